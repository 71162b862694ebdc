"""Resident ID numbers: region (GB/T 2260), birth date bounds, and what they tell the intake."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.exceptions import InvalidInput
from casework.forms import IntakeForm
from casework.models import Case, Worker
from casework.validators import id_number_check_digit, validate_id_number
from tests.casework.helpers import INTAKE_FORM

from ..conftest import PASSWORD

NOW = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)


def make_id(first17: str) -> str:
    return first17 + id_number_check_digit(first17)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110101203001011236", "id_birth_future"),  # the example: born in 2030
        (make_id("11010120261206001"), "id_birth_future"),  # tomorrow
        (make_id("99999919800101001"), "id_region"),
        (make_id("11019919800101001"), "id_region"),  # a county code that never existed in Beijing
        (make_id("11010118990101001"), "id_birth_old"),  # 127 years old
        (make_id("11010119061204001"), "id_birth_old"),  # 120 years and one day old
        (make_id("11010119800230001"), "id_birth"),  # 30 February
        ("11010519491231002Y", "id_format"),
        ("110105194912310021", "id_checksum"),
    ],
)
def test_refused(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == code
    assert all("\u4e00" <= ch <= "\u9fff" for ch in exc.value.messages[0][:2])  # a Chinese message


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",
        make_id("11010319800101001"),  # 崇文区: merged into 东城区 in 2010, its IDs stay valid
        make_id("44030519900101002"),
        make_id("11010120261205001"),  # born today
        make_id("11010119070101001"),  # 119 years old
        make_id("11010119061205001"),  # 120 years old today
    ],
)
def test_accepted(number):
    validate_id_number(number)


@pytest.mark.django_db
def test_the_id_fills_gender_and_birth_month(make_case):
    number = make_id("44030519900315003")  # 17th digit odd: male
    case = make_case(worker={"name": "陈一", "gender": "unknown", "id_number": number})
    assert (case.worker.gender, case.worker.birth_month) == ("male", "1990-03")
    told = make_case(worker={"name": "陈二", "gender": "male", "id_number": number, "birth_month": "1990-03"})
    assert (told.worker.gender, told.worker.birth_month) == ("male", "1990-03")


@pytest.mark.django_db
def test_a_gender_against_the_id_is_refused(make_case):
    number = make_id("44030519900315003")  # 17th digit odd: male
    with pytest.raises(InvalidInput) as exc:
        make_case(worker={"name": "陈二", "gender": "female", "id_number": number})
    assert exc.value.fields["worker.gender"] == ["性别与身份证号码不符（身份证号码为男性）。"]
    assert not Case.objects.exists() and not Worker.objects.exists()


@pytest.mark.django_db
def test_a_birth_month_against_the_id_is_refused(make_case):
    with pytest.raises(InvalidInput) as exc:
        make_case(worker={"id_number": "11010519491231002X", "birth_month": "1950-01"})
    assert "1949-12" in exc.value.fields["worker.birth_month"][0]
    assert not Case.objects.exists() and not Worker.objects.exists()


@pytest.mark.django_db
def test_the_intake_page_says_so(client, users):
    assert client.login(username=users["desk"].username, password=PASSWORD)
    url = reverse("casework:register")
    future = client.post(url, {**INTAKE_FORM, "id_number": "110101203001011236"})
    assert future.status_code == 422 and "出生日期晚于今天" in future.content.decode()
    region = client.post(url, {**INTAKE_FORM, "id_number": make_id("99999919800101001")})
    assert "行政区划代码" in region.content.decode()
    month = client.post(url, {**INTAKE_FORM, "id_number": "11010519491231002X", "birth_month": "1950-01"})
    assert month.status_code == 422 and "出生年月与身份证号码不符" in month.content.decode()
    gender = client.post(url, {**INTAKE_FORM, "id_number": "11010519491231002X", "gender": "male"})  # 2: female
    assert gender.status_code == 422 and "性别与身份证号码不符（身份证号码为女性）" in gender.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_form_fills_gender_and_birth_month_from_the_id(world):
    form = IntakeForm({**INTAKE_FORM, "id_number": "11010519491231002X", "gender": "unknown", "birth_month": ""})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["gender"], form.cleaned_data["birth_month"]) == ("female", "1949-12")
