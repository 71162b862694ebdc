"""Every page renders in the shell, and the main pages cost a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import OrgUnit
from visits import services
from visits.demo import seed_visits_demo
from visits.models import Interview, Visit, WorkGroup

from ..conftest import PASSWORD


def test_every_page_renders_for_the_leader(client, users, group, make_interview):
    interview = make_interview()
    visit = interview.visit
    target = services.target_save(actor=users["leader"], group=group, period_start=visit.visited_on,
                                  period_end=visit.visited_on, min_workers=10)
    assert client.login(username="leader", password=PASSWORD)
    e1 = OrgUnit.objects.get(code="DEMO-E1")
    for url in [
        reverse("visits:groups"),
        reverse("visits:group_create"),
        reverse("visits:group", args=[group.pk]),
        reverse("visits:group_edit", args=[group.pk]),
        reverse("visits:target_create", args=[group.pk]),
        reverse("visits:target_edit", args=[group.pk, target.pk]),
        reverse("visits:visit_create", args=[group.pk]),
        reverse("visits:visit", args=[visit.pk]),
        reverse("visits:visit_edit", args=[visit.pk]),
        reverse("visits:interview_create", args=[visit.pk]),
        reverse("visits:interview", args=[interview.pk]),
        reverse("visits:interview_edit", args=[interview.pk]),
        reverse("visits:enterprises"),
        reverse("visits:enterprise_types", args=[e1.pk]),
        reverse("visits:summary"),
        reverse("visits:summary") + "?start=bad&end=2030-01-01",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "vf-page" in response.content.decode() or url.endswith(".xlsx")
    # the menu links to the visits pages
    assert reverse("visits:groups") in client.get(reverse("casework:inbox")).content.decode()


def test_forms_post_through_the_services(client, users, group):
    assert client.login(username="leader", password=PASSWORD)
    e2 = OrgUnit.objects.get(code="DEMO-E2")
    r = client.post(reverse("visits:visit_create", args=[group.pk]), {
        "enterprise": e2.pk, "visited_on": "2024-03-01", "kind": "legal", "workers_met": 3,
        "workers_named": "甲\n乙",
    })
    assert r.status_code == 302
    visit = Visit.objects.get()
    assert (visit.enterprise, visit.kind, visit.named_workers()) == (e2, "legal", ["甲", "乙"])
    assert visit.history.first().history_user == users["leader"]
    r = client.post(reverse("visits:enterprise_types", args=[e2.pk]), {"types": ["small_private"]})
    assert r.status_code == 302
    assert e2.visit_profile.types == ["small_private"]
    r = client.post(reverse("visits:interview_create", args=[visit.pk]), {
        "consent": "on", "worker_name": "赵六", "gender": "female", "interviewed_at": "2024-03-01T09:30",
        "interviewer": users["desk"].pk, "original_pages": 1, "cleaned_pages": 1, "notes": "反映加班费。",
    })
    assert r.status_code == 302
    interview = Interview.objects.get()
    assert (interview.number, interview.interviewer, interview.employer) == (1, users["desk"], e2.name)
    r = client.post(reverse("visits:interview_sign_off", args=[interview.pk]))
    assert r.status_code == 302
    interview.refresh_from_db()
    assert interview.signed_off_by == users["leader"]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_data(client, users, group, make_visit, make_interview):
    visit = make_visit()
    make_interview(visit=visit)
    services.target_save(actor=users["leader"], group=group, period_start=visit.visited_on,
                         period_end=visit.visited_on, min_workers=10)
    assert client.login(username="leader", password=PASSWORD)
    urls = [
        reverse("visits:group", args=[group.pk]),
        reverse("visits:visit", args=[visit.pk]),
        reverse("visits:groups"),
        reverse("visits:summary"),
        reverse("visits:register_xlsx", args=[group.pk]),
    ]
    before = [_count(client, u) for u in urls]
    for _ in range(3):
        v = make_visit(enterprise=OrgUnit.objects.get(code="DEMO-E2"), workers_named="")
        make_interview(visit=v)
        services.interview_file_case(actor=users["desk"], interview=make_interview(visit=visit))
    services.target_save(actor=users["leader"], group=group, period_start=visit.visited_on,
                         period_end=visit.visited_on, min_enterprises=3)
    after = [_count(client, u) for u in urls]
    assert after == before


def test_demo_is_idempotent(world):
    assert seed_visits_demo(cases=0) == 1
    assert seed_visits_demo(cases=0) == 0
    group = WorkGroup.objects.get()
    assert group.visits.count() == 2
    assert list(group.interviews.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert group.interviews.exclude(case=None).count() == 1
