"""Every event renders in Chinese; SMS stay within one 70-character segment, never an ID number."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.events import EVENTS
from notifications.models import ChannelCode
from notifications.rendering import render_message, sms_segments, sms_text

WORST = {
    "case_number": "GH-2026-123456",
    "action_label": "批准延期",
    "actor": "区总工会张干事",
    "reason": "职工身份证号110105194912310029，" + "需协调多个部门" * 40,
    "status_label": "党委政府层面办理",
    "level_label": "党委政府层面",
    "unit": "东城区人力资源和社会保障局劳动保障监察大队" * 3,
    "outcome_label": "部分解决",
    "due_at": timezone.make_aware(dt.datetime(2026, 12, 31, 17, 30)),
    "new_owner": "接待员小王",
    "url": "/cases/GH-2026-123456/",
    "date": "2026-05-01",
    "new": 3,
    "warning": 1,
    "overdue": 2,
    "closed": 4,
    "overdue_cases": ["GH-2026-000001", "GH-2026-000002"],
    "overdue_more": 0,
    "warning_cases": ["GH-2026-000003"],
    "warning_more": 0,
}


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_renders_for_staff(event):
    subject, body = render_message(event, ChannelCode.IN_APP, WORST)
    assert subject and body
    assert "{" not in subject + body
    if event not in NOT_ABOUT_A_CASE:
        assert "GH-2026-123456" in subject


# Events about no single case (the digest; a reception day's notice; 定期上报 deadlines).
NOT_ABOUT_A_CASE = ("supervisor_digest", "reception_notice", "report_due_warning", "report_overdue")


@pytest.mark.parametrize("event", sorted(EVENTS))
@pytest.mark.parametrize("due", [True, False])
def test_sms_fit_one_segment_and_hide_id_numbers(event, due):
    context = dict(WORST, due_at=WORST["due_at"] if due else None)
    _, text = render_message(event, ChannelCode.SMS, context)
    assert len(text) <= 70, text
    assert sms_segments(text) == 1
    assert "110105194912310029" not in text
    assert "GH-2026-123456" in text or event in NOT_ABOUT_A_CASE


def test_sms_text_masks_any_id_number_and_counts_segments():
    text = sms_text("身份证 11010519491231002X 与 110105491231002")
    assert "11010519491231002X" not in text and "110105491231002" not in text
    assert "110105********X" in text
    assert sms_segments("字" * 70) == 1 and sms_segments("字" * 71) == 2 and sms_segments("字" * 135) == 3


@pytest.mark.parametrize("number", ["GH-2026-000123", "测试 1?#&=%"])
def test_case_url_is_what_reverse_gives(number):
    from django.urls import reverse

    from casework.notify import case_url

    assert case_url(number) == reverse("casework:detail", args=[number])


def test_one_phone_mask_serves_the_pages_and_the_sms_logs(capsys):
    from casework import validators
    from notifications.channels.sms import ConsoleGateway
    from notifications.masking import mask_phone

    assert validators.mask_phone is mask_phone
    assert [mask_phone(v) for v in ("13912345678", "01062345678", "1234567", "1", "", None)] == [
        "139****5678",
        "010****5678",
        "12*****",
        "1",
        "",
        "",
    ]
    ConsoleGateway().send("13912345678", "已受理", "ref")
    assert "[SMS to 139****5678]" in capsys.readouterr().out
