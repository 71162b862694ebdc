"""Overdue contacts in the unanswered-voices list (``campaign.voices.overdue_voices`` in
``VOICE_SOURCES``): in their own jurisdiction only, gone once visited, not counted as voices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaign import services
from campaign.overdue import quarter_start
from casework.digest import digest_context
from casework.models import OrgUnit
from voices import selectors as voice_selectors

from ..conftest import PASSWORD
from .conftest import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_point(users, campaign, settings):
    settings.VOICES_UNANSWERED_DAYS = 0  # the quarter's first day is old enough whatever today is
    since = quarter_start(today()) - dt.timedelta(days=1)  # set up before this quarter
    return services.point_add(
        actor=users["leader"], campaign=campaign, place=OrgUnit.objects.get(code="DEMO-E2"), unit=campaign.unit,
        since=since,
    )  # fmt: skip


def _keys(items):
    return {(i.kind, i.pk) for i in items}


def test_an_overdue_point_is_in_county_a_list_and_never_in_county_b(users, overdue_point, client):
    k1, k2 = OrgUnit.objects.get(code="DEMO-K1"), OrgUnit.objects.get(code="DEMO-K2")
    assert ("contact_point", overdue_point.pk) in _keys(voice_selectors.unanswered(unit_path=k1.path))
    assert ("contact_point", overdue_point.pk) in _keys(voice_selectors.unanswered(unit_path=None))
    assert ("contact_point", overdue_point.pk) not in _keys(voice_selectors.unanswered(unit_path=k2.path))

    assert client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("voices:list")).content.decode()
    assert "联系点本季度未走访" in page and overdue_point.place.name in page
    assert reverse("campaign:detail", args=[overdue_point.campaign_id]) in page
    api = client.get("/api/v1/voices/unanswered/").json()
    assert any(r["kind"] == "contact_point" and r["id"] == overdue_point.pk for r in api["results"])

    client.logout()
    assert client.login(username="desk_2", password=PASSWORD)
    page = client.get(reverse("voices:list")).content.decode()
    assert overdue_point.place.name not in page
    api = client.get("/api/v1/voices/unanswered/").json()
    assert not any(r["kind"] == "contact_point" for r in api["results"])


def test_a_visited_point_is_not_listed(users, overdue_point, make_visit):
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    make_visit(enterprise=overdue_point.place, visited_on=max(quarter_start(today()), today() - dt.timedelta(days=1)))
    assert ("contact_point", overdue_point.pk) not in _keys(voice_selectors.unanswered(unit_path=k1.path))


def test_an_overdue_family_is_listed_masked(users, campaign, family, settings):
    from campaign.models import Family

    settings.VOICES_UNANSWERED_DAYS = 0
    Family.objects.filter(pk=family.pk).update(created_at=family.created_at - dt.timedelta(days=120))
    items = [i for i in voice_selectors.unanswered(unit_path=campaign.unit.path) if i.kind == "contact_family"]
    assert [i.pk for i in items] == [family.pk]
    assert "赵**" in items[0].summary and "赵秀兰" not in items[0].summary
    assert items[0].url == reverse("campaign:family", args=[family.pk])


def test_listed_after_the_unanswered_days_like_any_voice(users, overdue_point, settings):
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    settings.VOICES_UNANSWERED_DAYS = (today() - quarter_start(today())).days + 1
    assert ("contact_point", overdue_point.pk) not in _keys(voice_selectors.unanswered(unit_path=k1.path))


def test_not_counted_as_voices_received_nor_in_the_voices_digest_line(users, overdue_point):
    from django.utils import timezone

    k1 = OrgUnit.objects.get(code="DEMO-K1")
    figures = voice_selectors.figures(unit_path=k1.path, start=quarter_start(today()) - dt.timedelta(days=400),
                                      end=today())  # fmt: skip
    assert figures["received"] == 0 and figures["overdue"] == 0
    notices = digest_context(k1, timezone.now())["notices"]
    assert not any("未回音的职工诉求" in n for n in notices)  # the campaign's own line counts it
    assert any("1 个联系点本季度未走访" in n for n in notices)
