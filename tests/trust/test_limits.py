"""Issue #21 item 9 (the parts that are not tokens or throttles): sane 受理时间, no
attachments on a closed case, request-size settings, Chinese messages instead of DRF's
English or Django's wrong Chinese, and a console SMS backend that masks the number.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from casework import services
from casework.exceptions import TransitionRefused
from casework.models import Attachment, Case
from casework.validators import check_received_at
from notifications.channels.sms import ConsoleGateway

from ..casework.helpers import bring_to
from ..conftest import PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(**overrides):
    body = {
        "worker": {"name": "王建国", "gender": "male", "phone": "13912345678"},
        "enterprise": "DEMO-E1",
        "category": "wages",
        "channel": "reception_day",
        "summary": "拖欠工资。",
        "request": "支付工资。",
        "consent": True,
    }
    body.update(overrides)
    return body


# --- 受理时间 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,code",
    [
        (dt.datetime(1, 1, 1, tzinfo=dt.UTC), "received_early"),
        (dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.UTC), "received_early"),
        (NOW + dt.timedelta(minutes=6), "received_future"),
        (dt.datetime(9999, 12, 31, tzinfo=dt.UTC), "received_future"),
    ],
)
def test_check_received_at_refuses(value, code):
    with pytest.raises(ValidationError) as info:
        check_received_at(value, at=NOW)
    assert info.value.code == code


@pytest.mark.parametrize("value", [dt.datetime(2000, 1, 1, tzinfo=dt.UTC), NOW, NOW + dt.timedelta(minutes=4)])
def test_check_received_at_accepts(value):
    check_received_at(value, at=NOW)


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00:00+08:00", "1999-12-31T08:00:00+08:00", "2999-01-01T00:00"])
def test_api_refuses_received_at_out_of_range(users, received_at):
    response = _api(users["desk"]).post("/api/v1/cases/", _body(received_at=received_at), format="json")
    assert response.status_code == 400
    message = response.json()["fields"]["received_at"][0]
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert not Case.objects.exists()


# --- attachments on a closed case -------------------------------------------------------


@pytest.mark.parametrize("state", ["closed", "withdrawn", "not_accepted"])
def test_no_attachment_on_a_finished_case(state, users, make_case):
    case = bring_to(state, users, make_case)
    version = case.version
    with pytest.raises(TransitionRefused, match="不能再上传附件"):
        services.attachment_add(case=case, actor=users["desk"], files=[SimpleUploadedFile("a.png", PNG, "image/png")])
    assert not Attachment.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).version == version


def test_attachment_page_post_on_a_closed_case_is_refused(users, make_case):
    case = bring_to("closed", users, make_case)
    client = Client()
    assert client.login(username=users["desk"].username, password=PASSWORD)
    response = client.post(
        f"/cases/{case.number}/attachments/",
        {"attachments": SimpleUploadedFile("a.png", PNG, "image/png")},
        follow=True,
    )
    assert "不能再上传附件" in response.content.decode()
    assert not Attachment.objects.filter(case=case).exists()


def test_attachment_on_an_open_case_still_works(users, make_case):
    case = make_case()
    saved = services.attachment_add(case=case, actor=users["desk"], files=[SimpleUploadedFile("a.png", PNG)])
    assert len(saved) == 1


# --- request sizes ----------------------------------------------------------------------


def test_upload_size_settings_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE and settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE and settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.REQUEST_MAX_BODY_BYTES >= 10 * 10 * 1024 * 1024  # ten attachments of 10 MB fit
    assert "config.input_guard.InputGuardMiddleware" in settings.MIDDLEWARE


def test_oversized_page_post_is_413_in_chinese(users, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024
    client = Client()
    client.force_login(users["desk"])
    response = client.post("/cases/new/", {"summary": "x" * 4096})
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()


# --- messages ---------------------------------------------------------------------------


def test_empty_api_body_is_refused_in_chinese(users):
    response = _api(users["desk"]).post("/api/v1/cases/", "null", content_type="application/json")
    assert response.status_code == 400
    text = str(response.json())
    assert "No data provided" not in text
    assert "请求体为空" in text


def test_nul_in_a_form_field_says_so_in_chinese(users, make_case):
    case = make_case()
    client = Client()
    client.force_login(users["desk"])
    response = client.post(f"/cases/{case.number}/act/note/", {"version": case.version, "content": "记录\x00内容"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "不允许是用空字符串" not in html
    assert "不能包含空字符" in html


def test_nul_in_an_api_field_says_so_in_chinese(users, make_case):
    case = make_case()
    response = _api(users["desk"]).post(
        f"/api/v1/cases/{case.number}/actions/note/", {"content": "记录\x00内容"}, format="json"
    )
    assert response.status_code == 400
    text = str(response.json())
    assert "不允许是用空字符串" not in text and "Null characters" not in text


# --- the console SMS backend ------------------------------------------------------------


def test_console_sms_masks_the_number(capsys):
    ConsoleGateway().send("13912345678", "您的案件已受理。", "ref-1")
    out = capsys.readouterr().out
    assert "13912345678" not in out
    assert "139****5678" in out and "您的案件已受理。" in out
