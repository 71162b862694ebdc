"""Target progress and the unit summary match counts computed by hand."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from casework import services as case_services
from casework.models import OrgUnit
from visits import selectors, services

from ..conftest import PASSWORD


def test_progress_counts_match_hand_computed_values(client, users, group, make_visit, make_interview):
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    target = services.target_save(
        actor=users["leader"], group=group, period_start=start, period_end=today,
        min_enterprises=5, min_workers=50, min_interviews=4,
    )
    e = {c: OrgUnit.objects.get(code=c) for c in ("DEMO-E1", "DEMO-E2", "DEMO-E3")}
    v1 = make_visit(enterprise=e["DEMO-E1"], visited_on=today - dt.timedelta(days=20), workers_met=12)
    make_visit(enterprise=e["DEMO-E1"], visited_on=today - dt.timedelta(days=10), workers_met=8, workers_named="")
    v3 = make_visit(enterprise=e["DEMO-E2"], visited_on=today, workers_met=15, workers_named="")
    # outside the period: not counted
    old = make_visit(enterprise=e["DEMO-E3"], visited_on=start - dt.timedelta(days=1), workers_met=40, workers_named="")
    make_interview(visit=v1)
    make_interview(visit=v1)
    make_interview(visit=v3)
    make_interview(visit=old)
    [p] = selectors.target_progress(group)
    assert p.target == target
    assert (p.enterprises, p.workers, p.interviews) == (2, 35, 3)
    bars = {b.label: (b.done, b.goal, b.percent, b.met) for b in p.bars}
    assert bars == {
        "走访企业（家）": (2, 5, 40, False),
        "接触职工（人）": (35, 50, 70, False),
        "个案访谈（人）": (3, 4, 75, False),
    }
    assert client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("visits:group", args=[group.pk])).content.decode()
    assert 'aria-valuenow="35"' in page and 'aria-valuemax="50"' in page and "width:70%" in page


def test_unit_summary_counts(users, group, make_visit, make_interview):
    today = timezone.localdate()
    e1, e2 = OrgUnit.objects.get(code="DEMO-E1"), OrgUnit.objects.get(code="DEMO-E2")
    services.enterprise_profile_set(actor=users["leader"], enterprise=e1, types=["difficult", "migrant_heavy"])
    services.enterprise_profile_set(actor=users["leader"], enterprise=e2, types=["difficult"])
    v1 = make_visit(enterprise=e1, workers_met=10)
    v2 = make_visit(enterprise=e1, workers_met=5, workers_named="")
    v3 = make_visit(enterprise=e2, workers_met=7, workers_named="")
    i1 = make_interview(visit=v1)
    i2 = make_interview(visit=v2)
    make_interview(visit=v3)
    c1 = services.interview_file_case(actor=users["desk"], interview=i1)
    services.interview_file_case(actor=users["desk"], interview=i2)
    case_services.case_resolve(case=c1.number, actor=users["officer_enterprise"], outcome="resolved",
                               result="企业已补发工资。")
    s = selectors.unit_summary(OrgUnit.objects.get(code="DEMO-K1"))
    assert (s.visits, s.enterprises, s.workers, s.interviews, s.cases) == (3, 2, 22, 3, 2)
    assert dict(s.by_type) == {"经营困难": 2, "劳动关系矛盾易发": 0, "小微非公": 0, "农民工集中": 1, "已建立联系点": 0,
                              "工会工作难开展": 0, "工会工作基础薄弱": 0, "以往缺乏联系": 0}  # fmt: skip
    assert dict(s.outcomes) == {"已解决": 1}
    assert s.open_cases == 1
    # the province sees the same; a date range before the visits sees nothing
    assert selectors.unit_summary(OrgUnit.objects.get(code="DEMO-P")).visits == 3
    empty = selectors.unit_summary(OrgUnit.objects.get(code="DEMO-K1"), end=today - dt.timedelta(days=30))
    assert (empty.visits, empty.workers, empty.interviews, empty.cases) == (0, 0, 0, 0)
