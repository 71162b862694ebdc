"""The intake's enterprise field accepts what its help text asks for."""

from __future__ import annotations

import pytest

from casework.forms import IntakeForm
from casework.models import Case
from tests.casework.helpers import INTAKE_FORM

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _clean(users, value):
    form = IntakeForm(data={**INTAKE_FORM, "enterprise": value})
    form.is_valid()
    return form.cleaned_data.get("enterprise"), form.errors.get("enterprise")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("东方机械", "DEMO-E1"),  # a unique part of a name
        ("demo-e1", "DEMO-E1"),  # a code in lower case
        ("东方机械制造有限公司（DEMO-E1）", "DEMO-E1"),  # as the picker fills it
        ("东方机械制造有限公司", "DEMO-E1"),
        ("红星纺织", "DEMO-E2"),
    ],
)
def test_accepted(users, value, code):
    cleaned, errors = _clean(users, value)
    assert errors is None, errors
    assert cleaned == code


def test_several_matches_are_listed(users):
    cleaned, errors = _clean(users, "公司")
    assert cleaned is None
    assert "有多家企业符合" in errors[0] and "东方机械制造有限公司（DEMO-E1）" in errors[0]


def test_nothing_matches(users):
    _, errors = _clean(users, "不存在的企业")
    assert "未找到该企业" in errors[0]


def test_the_desk_registers_with_a_part_of_the_name(client, users):
    assert client.login(username=users["desk"].username, password=PASSWORD)
    response = client.post("/cases/new/", {**INTAKE_FORM, "enterprise": "东方机械", "duplicate": "new"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get().enterprise.code == "DEMO-E1"
