"""``overdue_contacts(unit_ids, today)``: 联系点 not visited and 联系户 not contacted this quarter."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign import services
from campaign.models import Family
from campaign.overdue import overdue_contacts, quarter_start
from casework.models import OrgUnit

from .conftest import today

pytestmark = pytest.mark.django_db


def test_quarter_start():
    assert quarter_start(dt.date(2026, 5, 17)) == dt.date(2026, 4, 1)
    assert quarter_start(dt.date(2026, 12, 31)) == dt.date(2026, 10, 1)


def test_points_and_families_overdue_this_quarter(users, campaign, cadres, group, make_visit, family):
    e1, e2 = OrgUnit.objects.get(code="DEMO-E1"), OrgUnit.objects.get(code="DEMO-E2")
    since = quarter_start(today()) - dt.timedelta(days=1)  # set up before this quarter
    for place in (e1, e2):
        services.point_add(actor=users["leader"], campaign=campaign, place=place, unit=campaign.unit, since=since)
    Family.objects.filter(pk=family.pk).update(created_at=family.created_at - dt.timedelta(days=120))
    visit_day = max(quarter_start(today()), today() - dt.timedelta(days=1))
    make_visit(enterprise=e1, visited_on=visit_day)  # e1 visited this quarter
    found = overdue_contacts([campaign.unit_id], today())
    assert {(o.kind, o.name) for o in found} == {("point", e2.name), ("family", "赵**")}
    assert all(o.since == quarter_start(today()) and o.link for o in found)
    services.family_contact_add(
        actor=users["leader"], family=family, kind="contact", on=today(), delivered_by=cadres["desk"]
    )
    assert {o.kind for o in overdue_contacts([campaign.unit_id], today())} == {"point"}
    # scoped by unit: county B's units see none of county A's contacts
    assert overdue_contacts([OrgUnit.objects.get(code="DEMO-K2").pk], today()) == []
    assert overdue_contacts([], today()) == []


def test_new_points_are_not_overdue_before_the_quarter_ends(users, campaign):
    services.point_add(
        actor=users["leader"], campaign=campaign, place=OrgUnit.objects.get(code="DEMO-E2"), unit=campaign.unit,
        since=today(),
    )  # fmt: skip
    assert overdue_contacts([campaign.unit_id], today()) == []


def test_the_supervisors_digest_counts_overdue_contacts_of_its_own_jurisdiction(users, campaign):
    from django.utils import timezone

    from casework.digest import digest_context

    since = quarter_start(today()) - dt.timedelta(days=1)
    services.point_add(
        actor=users["leader"], campaign=campaign, place=OrgUnit.objects.get(code="DEMO-E2"), unit=campaign.unit,
        since=since,
    )  # fmt: skip
    at = timezone.now()
    assert "双走双促：1 个联系点本季度未走访，0 户联系户本季度未联系。" in digest_context(campaign.unit, at)["notices"]
    other = digest_context(OrgUnit.objects.get(code="DEMO-K2"), at)["notices"]
    assert not any("联系点" in n for n in other)
