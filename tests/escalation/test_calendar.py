"""The working-day calendar against the official 2025/2026 schedules (国务院办公厅通知).

2025 国庆+中秋: Oct 1–8 off; Sun Sep 28 and Sat Oct 11 are working days (调休).
2026 国庆: Oct 1–7 off; Sun Sep 20 and Sat Oct 10 are working days; Fri Sep 25 is 中秋.
2026 春节: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are working days.
2025 春节: Jan 28–Feb 4 off; Sun Jan 26 and Sat Feb 8 are working days.
"""

import datetime as dt

import pytest
from django.core.management import call_command

from escalation import calendar, policies
from escalation.calendar import LengthUnit, add_length, extend, working_days_after
from escalation.checks import check_holiday_calendar


def at(y, m, d, h=10, minute=0):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


def test_make_up_saturdays_are_working_days_and_holidays_are_not():
    assert calendar.is_working_day(dt.date(2025, 9, 28))  # Sunday, 调休
    assert calendar.is_working_day(dt.date(2025, 10, 11))  # Saturday, 调休
    assert not calendar.is_working_day(dt.date(2025, 10, 8))  # Wednesday, 国庆
    assert calendar.is_working_day(dt.date(2026, 2, 14))  # Saturday before 春节
    assert not calendar.is_working_day(dt.date(2026, 2, 23))  # Monday, 春节
    assert not calendar.is_working_day(dt.date(2026, 9, 25))  # Friday, 中秋


def test_fifteen_working_days_from_the_friday_before_national_day_2025():
    # Fri Sep 26 (not counted) → 28(1) 29 30 | Oct 1–8 off | 9 10 11(6, Sat) 13 14 15 16 17 20 21 22 23(15)
    due = add_length(at(2025, 9, 26, 16, 30), 15, LengthUnit.WORKING_DAYS)
    assert due == at(2025, 10, 24, 0, 0)  # 24:00 of Thu Oct 23
    assert calendar.last_day_of(due) == dt.date(2025, 10, 23)


def test_fifteen_working_days_from_the_friday_before_national_day_2026():
    # Fri Sep 25 is 中秋 (not counted anyway) → 28 29 30 | Oct 1–7 off | 8 9 10(6, Sat) 12 … 16 19 20 21 22(15)
    due = add_length(at(2026, 9, 25), 15, LengthUnit.WORKING_DAYS)
    assert calendar.last_day_of(due) == dt.date(2026, 10, 22)


def test_spring_festival_2026_with_its_make_up_saturdays():
    start = dt.date(2026, 2, 13)  # Friday
    assert working_days_after(start, 1) == dt.date(2026, 2, 14)  # Saturday 调休
    assert working_days_after(start, 2) == dt.date(2026, 2, 24)  # after Feb 15–23
    assert working_days_after(start, 5) == dt.date(2026, 2, 27)
    assert working_days_after(start, 6) == dt.date(2026, 2, 28)  # Saturday 调休


def test_spring_festival_2025():
    assert working_days_after(dt.date(2025, 1, 24), 1) == dt.date(2025, 1, 26)  # Sunday 调休
    assert working_days_after(dt.date(2025, 1, 26), 2) == dt.date(2025, 2, 5)  # Jan 27, then Feb 5


def test_calendar_days_and_hours():
    assert add_length(at(2025, 9, 26, 16), 15, LengthUnit.CALENDAR_DAYS) == at(2025, 10, 12, 0, 0)
    assert add_length(at(2025, 9, 30, 16), 24, LengthUnit.HOURS) == at(2025, 10, 1, 16)


def test_extension_in_working_days_keeps_counting_the_calendar():
    due = add_length(at(2025, 9, 26), 3, LengthUnit.WORKING_DAYS)  # end of Tue Sep 30
    assert extend(due, 1, LengthUnit.WORKING_DAYS) == at(2025, 10, 10, 0, 0)  # Thu Oct 9
    assert extend(due, 1, LengthUnit.CALENDAR_DAYS) == at(2025, 10, 2, 0, 0)


def test_unknown_years_fail_loudly_in_chinese():
    first, last = calendar.known_range()
    with pytest.raises(calendar.CalendarUnknown) as exc:
        working_days_after(last - dt.timedelta(days=2), 10)
    assert "节假日日历只覆盖" in str(exc.value.message)
    with pytest.raises(calendar.CalendarUnknown):
        calendar.is_working_day(first - dt.timedelta(days=1))


def test_system_check_error_past_the_calendar_and_warning_near_its_end(time_machine, db):
    from escalation.models import TimePolicy

    first, last = calendar.known_range()
    time_machine.move_to(at(last.year + 1, 3, 1), tick=False)
    # the defaults count calendar days: the site keeps running, with a warning
    assert [e.id for e in check_holiday_calendar(None, databases=["default"])] == ["escalation.W002"]
    assert [e.id for e in check_holiday_calendar(None)] == ["escalation.W002"]
    TimePolicy.objects.filter(stage="reply").update(length_unit="working_days")
    policies.forget()  # a queryset update sends no signal
    errors = check_holiday_calendar(None, databases=["default"])
    assert [e.id for e in errors] == ["escalation.E001"] and "答复职工" in errors[0].msg
    time_machine.move_to(at(last.year, 11, 1), tick=False)
    assert [e.id for e in check_holiday_calendar(None)] == ["escalation.W001"]
    time_machine.move_to(at(last.year, 3, 1), tick=False)
    assert check_holiday_calendar(None) == []


def test_check_is_registered():
    from django.core import checks

    assert check_holiday_calendar in checks.registry.registry.get_checks()
    call_command("check")  # warnings do not fail the command
