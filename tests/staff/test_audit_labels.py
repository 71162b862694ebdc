"""The overdue audit page names its stages in Chinese, never by their codes."""

from __future__ import annotations

import re

import pytest

from tests.casework.helpers import bring_to

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_clock_stages_are_named(client, users, make_case):
    case = bring_to("replied", users, make_case)
    assert client.login(username=users["supervisor"].username, password=PASSWORD)
    page = client.get(f"/reports/cases/{case.number}/audit/").content.decode()
    clocks = page.split('id="clocks"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>([^<]*)</td>", clocks)
    assert cells, clocks
    assert {"受理告知", "企业层面办理", "答复职工"} <= set(cells)
    assert not {"receipt", "enterprise", "reply", "follow_up"} & set(cells)
