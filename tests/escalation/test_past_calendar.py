"""Past the loaded holiday schedules, the default (calendar-day) policies keep working
(working-day ones too, provisionally: ``test_provisional.py``)."""

import datetime as dt

from django.utils import timezone

from casework import services
from escalation import calendar


def test_cases_move_on_after_the_calendar_ends(users, make_case, time_machine):
    last = max(calendar.schedules().years)
    time_machine.move_to(timezone.make_aware(dt.datetime(last + 1, 3, 2, 10)), tick=False)
    case = make_case()
    assert case.status == "enterprise" and case.due_at is not None
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="需工会协调")
    case.refresh_from_db()
    assert case.status == "union" and case.due_at > timezone.now()
