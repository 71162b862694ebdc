"""Consent before personal details; bad input gives Chinese errors and writes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.exceptions import InvalidInput
from visits import services
from visits.models import Interview, InterviewSequence, Target, Visit, VisitAttachment

from ..conftest import PASSWORD
from .conftest import interview_input, visit_input


def _no_interviews(group):
    assert not Interview.objects.exists()
    assert not Interview.history.exists()
    assert InterviewSequence.objects.get(group=group).last == 0


def test_personal_details_without_consent_are_refused(users, group, make_visit):
    visit = make_visit()
    with pytest.raises(InvalidInput) as exc:
        services.interview_create(actor=users["officer_union"], visit=visit, data=interview_input(consent=False))
    assert "同意" in exc.value.fields["consent"][0]
    _no_interviews(group)


@pytest.mark.parametrize("field,value", [("worker_name", "张三"), ("phone", "13912340001"), ("migrant", True),
                                         ("gender", "female"), ("hukou", "江东省")])
def test_any_single_personal_field_needs_consent(users, group, make_visit, field, value):
    blank = {f: "" for f in ("worker_name", "birth_month", "phone", "province", "city", "county", "hukou",
                             "ethnicity", "political_status", "education", "post", "technical_title")}
    data = interview_input(consent=False, gender="unknown", migrant=False, dispatched=False, **blank)
    setattr(data, field, value)
    with pytest.raises(InvalidInput):
        services.interview_create(actor=users["officer_union"], visit=make_visit(), data=data)
    _no_interviews(group)


def test_anonymous_interview_is_allowed_and_consent_is_timestamped(users, make_visit):
    visit = make_visit()
    anon = services.interview_create(
        actor=users["officer_union"],
        visit=visit,
        data=services.InterviewInput(interviewed_at=timezone.now(), notes="职工反映食堂涨价。"),
    )
    assert (anon.consent, anon.consent_at, anon.worker_name) == (False, None, "")
    assert anon.employer == visit.enterprise.name
    named = services.interview_create(actor=users["officer_union"], visit=visit, data=interview_input())
    assert named.consent and named.consent_at is not None


@pytest.mark.parametrize(
    "overrides,field,fragment",
    [
        ({"birth_month": "1982-13"}, "birth_month", "YYYY-MM"),
        ({"phone": "12345"}, "phone", "电话"),
        ({"interviewed_at": timezone.now() + dt.timedelta(days=2)}, "interviewed_at", "不能晚于"),
        ({"gender": "robot"}, "gender", "有效"),
        ({"original_pages": -1}, "original_pages", ""),
    ],
)
def test_bad_interview_input_is_refused_in_chinese(users, group, make_visit, overrides, field, fragment):
    with pytest.raises(InvalidInput) as exc:
        services.interview_create(actor=users["officer_union"], visit=make_visit(), data=interview_input(**overrides))
    assert field in exc.value.fields
    message = exc.value.fields[field][0]
    assert fragment in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    _no_interviews(group)


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"visited_on": timezone.localdate() + dt.timedelta(days=3)}, "visited_on"),
        ({"workers_met": 1}, "workers_named"),
        ({"kind": "party"}, "kind"),
        ({"workers_met": -3, "workers_named": ""}, "workers_met"),
    ],
)
def test_bad_visit_input_writes_nothing(users, group, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        services.visit_create(actor=users["officer_union"], group=group, data=visit_input(**overrides))
    assert field in exc.value.fields
    assert not Visit.objects.exists() and not Visit.history.exists()


def test_a_bad_file_refuses_the_whole_visit(users, group, tmp_path, settings):
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path
    files = [SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10, content_type="image/png")]
    with pytest.raises(InvalidInput) as exc:
        services.visit_create(actor=users["officer_union"], group=group, data=visit_input(), files=files)
    assert "不是允许的文件类型" in exc.value.fields["attachments"][0]
    assert not Visit.objects.exists() and not VisitAttachment.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_bad_target_is_refused(users, group):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        services.target_save(actor=users["leader"], group=group, period_start=today,
                             period_end=today - dt.timedelta(days=1), min_enterprises=5)
    assert "截止日期" in str(exc.value.fields)
    with pytest.raises(InvalidInput):
        services.target_save(actor=users["leader"], group=group, period_start=today, period_end=today)
    assert not Target.objects.exists()


def test_pages_show_errors_instead_of_500(client, users, group, make_visit):
    assert client.login(username="officer_union", password=PASSWORD)
    response = client.post(reverse("visits:visit_create", args=[group.pk]), {"visited_on": "not-a-date"})
    assert response.status_code == 422
    assert "cw-error" in response.content.decode()
    assert not Visit.objects.exists()
    visit = make_visit()
    response = client.post(
        reverse("visits:interview_create", args=[visit.pk]),
        {"worker_name": "张三", "gender": "male", "interviewed_at": "2024-01-01T10:00",
         "interviewer": users["officer_union"].pk, "original_pages": 1, "cleaned_pages": 0},
    )
    assert response.status_code == 422
    assert "须先告知职工并取得其同意" in response.content.decode()
    assert not Interview.objects.exists()
    response = client.post(
        reverse("visits:interview_create", args=[visit.pk]),
        {"consent": "on", "worker_name": "张三", "gender": "male", "interviewed_at": "2024-01-01T10:00",
         "interviewer": users["officer_union"].pk, "original_pages": 1, "cleaned_pages": 0},
    )
    assert response.status_code == 302
    assert Interview.objects.get().number == 1


def test_signed_form_is_final(users, make_interview):
    interview = make_interview()
    services.interview_sign_off(actor=users["leader"], interview=interview)
    with pytest.raises(InvalidInput) as exc:
        services.interview_update(actor=users["officer_union"], interview=interview, data=interview_input(post="焊工"))
    assert "签字" in str(exc.value.message)
    assert Interview.objects.get(pk=interview.pk).post == "装配工"
