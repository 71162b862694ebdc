"""Saving and confirming a year's schedule: bad input is refused in Chinese with nothing
saved; a second schedule for a confirmed year is a revision with its reason."""

import pytest

from casework.exceptions import InvalidInput
from escalation import calendar
from escalation.models import HolidayCalendarState, HolidayDay, HolidaySchedule
from escalation.services.holidays import holiday_schedule_confirm, holiday_schedule_save

GOOD = (
    "元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "春节：2月5日（周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。"
)


def counts():
    return (
        HolidaySchedule.objects.count(),
        HolidayDay.objects.count(),
        HolidaySchedule.history.count(),
        HolidayDay.history.count(),
    )


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("春节：2月5日至11日放假调休，共7天。2月8日（周一）上班。", 2027, "既列为放假又列为上班"),
        ("元旦：2028年1月1日放假，共1天。", 2027, "不在 2027 年内"),
        ("春节：二月五日至十一日放假调休。", 2027, "第1行"),
        ("2月20日（周六）上班。", 2027, "无法识别"),
        ("", 2027, "没有读到"),
    ],
)
def test_bad_notices_save_nothing(users, text, year, message):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        holiday_schedule_save(actor=users["admin"], text=text, year=year, confirm=True)
    assert message in str(exc.value.message)
    assert exc.value.fields["text"]
    assert counts() == before and not calendar.is_confirmed(2027)


def test_a_confirmed_year_takes_a_second_schedule_only_as_a_revision_with_its_reason(users):
    admin = users["admin"]
    first = holiday_schedule_save(actor=admin, text=GOOD, year=2027, confirm=True)
    assert (first.status, first.revision, first.created_by, first.confirmed_by) == ("confirmed", 1, admin, admin)
    assert first.days.count() == 11 and first.history.count() >= 1
    before = counts()
    revised_text = GOOD.replace("11日（周四）放假调休，共7天", "12日（周五）放假调休，共8天")
    with pytest.raises(InvalidInput) as exc:
        holiday_schedule_save(actor=admin, text=revised_text, year=2027, confirm=True)
    assert "请填写修订理由" in str(exc.value.fields["reason"][0]) and "已有确认的节假日安排" in str(exc.value.message)
    assert counts() == before
    token = HolidayCalendarState.objects.get().token
    second = holiday_schedule_save(
        actor=admin, text=revised_text, year=2027, reason="国务院办公厅补充通知：春节延长一天", confirm=True
    )
    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "confirmed")
    assert second.revision == 2 and second.supersedes == first and "补充通知" in second.reason
    assert HolidayCalendarState.objects.get().token != token
    assert not calendar.is_working_day(calendar.dt.date(2027, 2, 12))  # the revision counts at once
    assert HolidaySchedule.objects.filter(year=2027, status="confirmed").count() == 1
    assert first.history.first().history_change_reason.startswith("被修订")


def test_a_draft_is_confirmed_later_and_only_once(users):
    draft = holiday_schedule_save(actor=users["admin"], text=GOOD, year=2027)
    assert draft.status == "draft" and not calendar.is_confirmed(2027)
    confirmed = holiday_schedule_confirm(schedule=draft.pk, actor=users["admin"])
    assert confirmed.status == "confirmed" and calendar.is_confirmed(2027)
    with pytest.raises(InvalidInput) as exc:
        holiday_schedule_confirm(schedule=draft.pk, actor=users["admin"])
    assert "只有草稿可以确认" in str(exc.value.message)


def test_a_draft_for_a_confirmed_year_needs_its_reason_to_be_confirmed(users):
    holiday_schedule_save(actor=users["admin"], text=GOOD, year=2027, confirm=True)
    with pytest.raises(InvalidInput):
        holiday_schedule_save(actor=users["admin"], text=GOOD, year=2027)
    draft = holiday_schedule_save(actor=users["admin"], text=GOOD, year=2027, reason="更正文号")
    confirmed = holiday_schedule_confirm(schedule=draft, actor=users["admin"])
    assert confirmed.revision == 2


def test_title_number_and_date_are_read_from_the_notice_and_may_be_given(users):
    heading = "国务院办公厅关于2027年部分节假日安排的通知\n国办发明电〔2026〕8号\n"
    text = heading + GOOD + "\n国务院办公厅\n2026年11月3日"
    read = holiday_schedule_save(actor=users["admin"], text=text)
    assert (read.year, read.title, read.number, str(read.issued_on)) == (
        2027,
        "国务院办公厅关于2027年部分节假日安排的通知",
        "国办发明电〔2026〕8号",
        "2026-11-03",
    )
    given = holiday_schedule_save(actor=users["admin"], text=GOOD, year=2027, number="国办发明电〔2026〕9号")
    assert given.title == "国务院办公厅关于2027年部分节假日安排的通知" and given.number.endswith("9号")
