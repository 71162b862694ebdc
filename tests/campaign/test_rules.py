"""The rules of the campaign services, each with its refusal (Chinese message, nothing written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from campaign import services
from campaign.models import FamilyContact, Participation, WorkLog
from campaign.selectors import cadre_progress
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from visits import services as visit_services

from .conftest import today, visit_input

pytestmark = pytest.mark.django_db


def _days(users, group, visit, cadre, **kw):
    return services.participation_add(actor=users["leader"], group=group, visit=visit, cadre=cadre, **kw)


def test_days_add_up_per_cadre_against_the_targets(users, group, cadres, make_visit):
    visit = make_visit()
    other = make_visit(enterprise=OrgUnit.objects.get(code="DEMO-E2"), workers_met=5)
    _days(
        users, group, visit, cadres["desk"], day_from=visit.visited_on, day_to=visit.visited_on + dt.timedelta(days=1)
    )
    _days(users, group, other, cadres["desk"], day_from=visit.visited_on + dt.timedelta(days=2), slot="am")
    row = next(r for r in cadre_progress(group.campaign) if r.cadre == cadres["desk"])
    assert row.days == Decimal("2.5")
    assert row.workers == 17
    days = next(m for m in row.measures if m.label == "驻点天数")
    assert not days.met and days.short == Decimal("2.5")  # target 5 days: the shortfall shows
    leader = next(r for r in cadre_progress(group.campaign) if r.cadre == cadres["leader"])
    assert leader.leader and leader.measures[0].goal == 3  # the leader's own target


def test_no_day_outside_the_campaign_period(users, group, cadres, make_visit):
    visit = make_visit(visited_on=today() - dt.timedelta(days=90))  # before the campaign starts
    with pytest.raises(InvalidInput) as exc:
        _days(users, group, visit, cadres["desk"], day_from=visit.visited_on)
    assert "不在活动期间" in str(exc.value.fields["day_from"][0])
    visit = make_visit()
    with pytest.raises(InvalidInput) as exc:
        _days(users, group, visit, cadres["desk"], day_from=visit.visited_on, day_to=today() + dt.timedelta(days=1))
    assert "日期不能晚于今天" in str(exc.value.fields["day_to"][0])
    assert not Participation.objects.exists()


def test_no_two_visits_by_the_same_cadre_in_the_same_half_day(users, group, cadres, make_visit):
    a, b = make_visit(), make_visit(kind="home")
    _days(users, group, a, cadres["desk"], day_from=a.visited_on, slot="am")
    with pytest.raises(InvalidInput) as exc:
        _days(users, group, b, cadres["desk"], day_from=a.visited_on, slot="am")
    assert "同一半天不能记录两次走访" in str(exc.value.fields["day_from"][0])
    with pytest.raises(InvalidInput):  # a full day takes the morning too
        _days(users, group, b, cadres["desk"], day_from=a.visited_on, slot="day")
    with pytest.raises(InvalidInput):  # a stay of several days that runs into it
        _days(users, group, b, cadres["desk"], day_from=a.visited_on, day_to=a.visited_on + dt.timedelta(days=2))
    _days(users, group, b, cadres["desk"], day_from=a.visited_on, slot="pm")  # the afternoon is free
    _days(users, group, b, cadres["named"], day_from=a.visited_on, slot="am")  # another cadre is free
    assert Participation.objects.count() == 3


def test_days_only_for_the_groups_cadres_and_visits(users, group, cadres, make_visit, county):
    visit = make_visit()
    outsider = services.cadre_for_user(actor=users["leader"], user=users["officer_union"])
    with pytest.raises(InvalidInput) as exc:
        _days(users, group, visit, outsider, day_from=visit.visited_on)
    assert "本工作组的参与干部" in str(exc.value.fields["cadre"][0])
    other_group = visit_services.workgroup_create(
        actor=users["leader"], name="二组", unit=county, leader=users["leader"]
    )
    foreign = visit_services.visit_create(actor=users["leader"], group=other_group, data=visit_input())
    with pytest.raises(InvalidInput) as exc:
        _days(users, group, foreign, cadres["desk"], day_from=foreign.visited_on)
    assert "本工作组的走访记录" in str(exc.value.fields["visit"][0])
    with pytest.raises(NotAllowed):
        services.participation_add(
            actor=users["officer_union"], group=group, visit=visit, cadre=cadres["desk"], day_from=visit.visited_on
        )


def test_a_member_logs_days_and_a_work_log_for_a_day_at_the_grassroots(users, group, cadres, make_visit):
    visit = make_visit()
    desk = users["desk"]
    services.participation_add(actor=desk, group=group, visit=visit, cadre=cadres["desk"], day_from=visit.visited_on)
    with pytest.raises(InvalidInput) as exc:
        services.worklog_save(
            actor=desk, group=group, cadre=cadres["desk"], day=visit.visited_on + dt.timedelta(days=1), content="x"
        )
    assert "没有驻点记录" in str(exc.value.fields["day"][0])
    with pytest.raises(InvalidInput) as exc:
        services.worklog_save(
            actor=desk, group=group, cadre=cadres["desk"], day=today() - dt.timedelta(days=90), content="x"
        )
    assert "不在活动期间" in str(exc.value.fields["day"][0])
    services.worklog_save(actor=desk, group=group, cadre=cadres["desk"], day=visit.visited_on, content="座谈。")
    services.worklog_save(actor=desk, group=group, cadre=cadres["desk"], day=visit.visited_on, content="座谈，回访。")
    assert WorkLog.objects.get().content == "座谈，回访。"  # one per day: saved again, replaced
    with pytest.raises(InvalidInput):
        services.worklog_save(actor=desk, group=group, cadre=cadres["desk"], day=visit.visited_on, content=" ")


def test_reports_and_typicals_count_for_their_author(users, group, cadres):
    services.report_file(
        actor=users["desk"], group=group, author=cadres["desk"], title="调研报告", subject="工资",
        findings="拖欠。", filed_on=today(),
    )  # fmt: skip
    services.typical_file(
        actor=users["desk"], group=group, author=cadres["named"], kind="case", title="典型", content="做法。",
        filed_on=today(),
    )  # fmt: skip
    rows = {r.cadre.pk: r for r in cadre_progress(group.campaign)}
    assert rows[cadres["desk"].pk].reports == 1 and rows[cadres["named"].pk].typicals == 1
    with pytest.raises(InvalidInput) as exc:
        services.report_file(
            actor=users["desk"], group=group, author=cadres["desk"], title="", subject="工资", findings="x",
            filed_on=today(),
        )  # fmt: skip
    assert "请填写标题" in str(exc.value.fields["title"][0])
    with pytest.raises(NotAllowed):
        services.typical_file(
            actor=users["officer_elsewhere"], group=group, author=cadres["desk"], kind="case", title="t",
            content="c", filed_on=today(),
        )  # fmt: skip


def test_campaign_period_and_targets_are_checked(users, county):
    data = services.CampaignInput(name="活动", period_start=today(), period_end=today() - dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as exc:
        services.campaign_create(actor=users["leader"], unit=county, data=data)
    assert "截止日期不能早于起始日期" in str(exc.value.fields["period_end"][0])
    data = services.CampaignInput(name="活动", period_start=today(), period_end=today(), logs=-1)
    with pytest.raises(InvalidInput):
        services.campaign_create(actor=users["leader"], unit=county, data=data)
    data = services.CampaignInput(name="活动", period_start=today(), period_end=today())
    with pytest.raises(NotAllowed):
        services.campaign_create(actor=users["desk"], unit=county, data=data)


def test_the_period_cannot_shrink_past_logged_days(users, group, cadres, make_visit):
    visit = make_visit()
    _days(users, group, visit, cadres["desk"], day_from=visit.visited_on)
    c = group.campaign
    data = services.CampaignInput(name=c.name, period_start=today() - dt.timedelta(days=5), period_end=c.period_end)
    with pytest.raises(InvalidInput) as exc:
        services.campaign_update(actor=users["leader"], campaign=c, data=data)
    assert "活动期间之外" in str(exc.value.fields["period_start"][0])


def test_help_amounts_are_positive(users, family, cadres):
    for bad in (0, -5, "abc", "NaN"):
        with pytest.raises(InvalidInput) as exc:
            services.family_contact_add(
                actor=users["leader"], family=family, kind="condolence", on=today(), delivered_by=cadres["desk"],
                amount=bad,
            )  # fmt: skip
        assert exc.value.fields["amount"]
    with pytest.raises(InvalidInput) as exc:
        services.family_contact_add(
            actor=users["leader"], family=family, kind="warmth", on=today(), delivered_by=cadres["desk"]
        )
    assert "请填写金额" in str(exc.value.fields["amount"][0])
    services.family_contact_add(
        actor=users["leader"], family=family, kind="contact", on=today(), delivered_by=cadres["desk"]
    )
    services.family_contact_add(
        actor=users["leader"], family=family, kind="schooling", on=today(), delivered_by=cadres["desk"],
        amount="1500.50",
    )  # fmt: skip
    assert FamilyContact.objects.count() == 2
    with pytest.raises(InvalidInput) as exc:
        services.family_contact_add(
            actor=users["leader"], family=family, kind="contact", on=today() - dt.timedelta(days=100),
            delivered_by=cadres["desk"],
        )  # fmt: skip
    assert "不在活动期间" in str(exc.value.fields["on"][0])


def test_a_family_is_paired_once_per_cadre(users, family, cadres):
    services.pairing_add(actor=users["leader"], family=family, cadre=cadres["desk"], since=today())
    with pytest.raises(InvalidInput) as exc:
        services.pairing_add(actor=users["leader"], family=family, cadre=cadres["desk"], since=today())
    assert "已与该户结对" in str(exc.value.fields["cadre"][0])


def test_a_family_phone_is_validated(users, campaign):
    with pytest.raises(InvalidInput) as exc:
        services.family_create(actor=users["leader"], campaign=campaign, unit=campaign.unit, head="王", phone="123")
    assert exc.value.fields["phone"]
    with pytest.raises(NotAllowed):
        services.family_create(actor=users["officer_elsewhere"], campaign=campaign, unit=campaign.unit, head="王")
