"""``seed_reception_demo`` builds its days through the services, once."""

from reception.demo import seed_reception_demo
from reception.models import ReceptionSession, SessionStatus


def test_the_demo_has_past_and_planned_days(world):
    assert seed_reception_demo(cases=0) == 1
    assert seed_reception_demo(cases=0) == 0
    held = ReceptionSession.objects.get(status=SessionStatus.CLOSED)
    assert held.signed_off_by is not None
    assert sorted(held.entries.values_list("outcome", flat=True)) == ["answered", "case", "referred"]
    assert ReceptionSession.objects.filter(status=SessionStatus.PLANNED).count() == 3
    assert held.entries.get(outcome="case").case.leader.username == "leader"
    from voices.models import Voice

    assert Voice.objects.filter(outcome="").count() == 1


def test_the_reporting_demo(world):
    from reporting.demo import seed_reporting_demo
    from reporting.models import PeriodReport, ReportingPeriod
    from reporting.selectors import children_status

    seed_reception_demo(cases=0)
    assert seed_reporting_demo() == 1
    assert seed_reporting_demo() == 0
    assert PeriodReport.objects.get().status == "submitted"
    from casework.models import OrgUnit

    city = OrgUnit.objects.get(code="DEMO-C1")
    late = [r for p in ReportingPeriod.objects.all() for r in children_status(city, p) if r.late]
    assert any(r.unit.code == "DEMO-K2" for r in late)
