"""The portal's demo: printed case number and query code open the demo case, a new code each run."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal.demo import seed_portal_demo

pytestmark = pytest.mark.django_db


def test_the_printed_code_opens_the_demo_case(world, settings, tmp_path):
    settings.PORTAL_UPLOAD_ROOT = tmp_path
    first = seed_portal_demo()
    number, code = re.search(r"case (GH-\d{4}-\d{6}), query code ([A-Z0-9-]+)", first).groups()
    client = Client()
    client.post("/portal/follow/", {"via": "code", "reference": number, "code": code})
    page = client.get(f"/portal/my/{number}/").content.decode()
    assert "已答复，请您评价" in page and "加班费已补发" in page
    second = seed_portal_demo()
    assert re.search(r"case (GH-\d{4}-\d{6})", second).group(1) == number
    stale = Client().post("/portal/follow/", {"via": "code", "reference": number, "code": code})
    assert stale.status_code == 403
