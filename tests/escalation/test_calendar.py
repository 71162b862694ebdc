"""The working-day calendar against the official 2025/2026 schedules (国务院办公厅通知),
read from the database (seeded from chinese-calendar by migration escalation 0004).

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

pytestmark = pytest.mark.django_db


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


def test_years_without_a_schedule_are_provisional_not_refused():
    """2027 is not loaded: weekends and the statutory rules (holidays package) stand in."""
    assert calendar.is_confirmed(2026) and not calendar.is_confirmed(2027)
    assert not calendar.is_working_day(dt.date(2027, 1, 1))  # 元旦, Friday
    assert not calendar.is_working_day(dt.date(2027, 2, 5))  # 除夕, Friday
    assert not calendar.is_working_day(dt.date(2027, 2, 9))  # 春节 on the weekend, made up on Tuesday
    assert calendar.is_working_day(dt.date(2027, 2, 11))
    assert not calendar.is_working_day(dt.date(2027, 10, 4))  # 国庆 on Sunday Oct 3, made up on Monday
    assert working_days_after(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    due = add_length(at(2026, 12, 4), 60, LengthUnit.WORKING_DAYS)
    assert calendar.last_day_of(due) == dt.date(2027, 3, 5)
    assert calendar.is_provisional(at(2026, 12, 4), due, LengthUnit.WORKING_DAYS)
    assert not calendar.is_provisional(at(2026, 12, 4), due, LengthUnit.CALENDAR_DAYS)
    assert not calendar.is_provisional(
        at(2026, 9, 1), add_length(at(2026, 9, 1), 15, LengthUnit.WORKING_DAYS), "working_days"
    )


def test_the_seeded_years_are_the_packages():
    import chinese_calendar

    from escalation.models import HolidaySchedule

    seeded = HolidaySchedule.objects.filter(status="confirmed", source="package")
    assert sorted(seeded.values_list("year", flat=True)) == list(range(2004, 2027))
    for year in (2008, 2019, 2023, 2024, 2026):
        day = dt.date(year, 1, 1)
        while day.year == year:
            assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
            day += dt.timedelta(days=1)


def test_system_check_warns_never_errors(time_machine, db):
    from escalation.models import TimePolicy

    TimePolicy.objects.filter(stage="reply").update(length_unit="working_days")
    policies.forget()  # a queryset update sends no signal
    time_machine.move_to(at(2027, 3, 1), tick=False)  # this year's schedule is missing
    found = check_holiday_calendar(None, databases=["default"])
    assert [e.id for e in found] == ["escalation.W001"] and "2027" in found[0].msg
    assert [e.id for e in check_holiday_calendar(None)] == ["escalation.W001"]
    time_machine.move_to(at(2026, 11, 1), tick=False)  # next year's, from 1 November
    assert [e.id for e in check_holiday_calendar(None)] == ["escalation.W001"]
    time_machine.move_to(at(2026, 10, 31), tick=False)
    assert check_holiday_calendar(None) == []


def test_check_is_registered():
    from django.core import checks

    assert check_holiday_calendar in checks.registry.registry.get_checks()
    call_command("check")  # warnings do not fail the command
