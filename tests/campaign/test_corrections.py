"""Corrections: edit and delete of 联系点, 联系户, 结对帮扶 and 办实事 through the services —
history kept, other counties 404, wrong roles 403 / NotAllowed, refused deletes in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from campaign import services
from campaign.models import Commitment, ContactPoint, Family, FamilyAccess, Pairing
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit

from .conftest import today

pytestmark = pytest.mark.django_db


def _client(users, name):
    client = Client()
    client.force_login(users[name] if name in users else _user(name))
    return client


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def point(users, campaign):
    return services.point_add(
        actor=users["leader"], campaign=campaign, place=OrgUnit.objects.get(code="DEMO-E2"), unit=campaign.unit,
        since=campaign.period_start,
    )  # fmt: skip


@pytest.fixture
def pairing(users, family, cadres, group):
    return services.pairing_add(actor=users["leader"], family=family, cadre=cadres["desk"], since=today())


@pytest.fixture
def commitment(users, world):
    return services.commitment_create(
        actor=users["leader"], unit=OrgUnit.objects.get(code="DEMO-K1"), year=today().year,
        title="为一线职工建设爱心驿站", owner="区总工会陈主席", due_on=dt.date(today().year, 12, 31),
    )  # fmt: skip


# --- contact points -------------------------------------------------------------------------


def test_a_point_is_corrected_and_removed_with_its_history(users, campaign, cadres, point):
    e1 = OrgUnit.objects.get(code="DEMO-E1")
    services.point_update(
        actor=users["leader"], point=point, place=e1, unit=campaign.unit, cadre=cadres["named"], since=today()
    )
    point.refresh_from_db()
    assert (point.place, point.cadre, point.since) == (e1, cadres["named"], today())
    with pytest.raises(InvalidInput) as exc:  # outside the campaign's unit
        services.point_update(actor=users["leader"], point=point, place=OrgUnit.objects.get(code="DEMO-E5"),
                              unit=campaign.unit, since=today())  # fmt: skip
    assert "辖区" in exc.value.fields["place"][0]
    with pytest.raises(NotAllowed):
        services.point_delete(actor=users["desk"], point=point)
    pk = point.pk
    services.point_delete(actor=users["leader"], point=point)
    assert not ContactPoint.objects.filter(pk=pk).exists()
    history = list(ContactPoint.history.filter(id=pk).order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert history[-1].history_user == users["leader"] and history[-1].history_change_reason == "撤销联系点"


def test_point_pages_scope_and_roles(users, campaign, cadres, point):
    edit, delete = reverse("campaign:point_edit", args=[point.pk]), reverse("campaign:point_delete", args=[point.pk])
    leader = _client(users, "leader")
    assert edit in leader.get(reverse("campaign:detail", args=[campaign.pk])).content.decode()
    assert leader.get(edit).status_code == 200
    response = leader.post(edit, {"place": point.place_id, "unit": campaign.unit_id, "since": "2000-13-01"})
    assert response.status_code == 422 and ContactPoint.objects.get(pk=point.pk).since == point.since
    assert _client(users, "desk").get(edit).status_code == 403  # a cadre, not a manager
    assert _client(users, "desk").post(delete).status_code == 403
    for other in ("leader_2", "desk_2"):
        assert _client(users, other).get(edit).status_code == 404
        assert _client(users, other).post(delete).status_code == 404
    assert ContactPoint.objects.filter(pk=point.pk).exists()
    assert leader.post(delete).status_code == 302
    assert not ContactPoint.objects.filter(pk=point.pk).exists()


# --- families ---------------------------------------------------------------------------------


def test_a_family_is_corrected_by_those_who_see_its_details(users, campaign, family):
    args = dict(unit=campaign.unit, head="赵秀英", phone="13912340099", members=3, hardship="illness")
    with pytest.raises(NotAllowed):  # a cadre keeps the register but does not see the details
        services.family_update(actor=users["desk"], family=family, **args)
    with pytest.raises(InvalidInput) as exc:
        services.family_update(actor=users["leader"], family=family, **{**args, "phone": "12345"})
    assert "phone" in exc.value.fields
    with pytest.raises(InvalidInput):
        services.family_update(actor=users["leader"], family=family, **{**args, "head": " "})
    assert Family.objects.get(pk=family.pk).head == "赵秀兰"  # nothing half written
    services.family_update(actor=users["leader"], family=family, **args)
    family.refresh_from_db()
    assert (family.head, family.phone, family.members) == ("赵秀英", "13912340099", 3)
    assert family.history.first().history_change_reason == "修改联系户档案"


def test_the_family_edit_page_is_a_logged_view(users, campaign, family):
    url = reverse("campaign:family_edit", args=[family.pk])
    assert _client(users, "desk").get(url).status_code == 403
    assert _client(users, "leader_2").get(url).status_code == 404
    assert not FamilyAccess.objects.exists()
    leader = _client(users, "leader")
    page = leader.get(url).content.decode()
    assert "13912340088" in page
    assert FamilyAccess.objects.filter(family=family, user=users["leader"], kind="edit").count() == 1
    data = {"unit": campaign.unit_id, "head": "赵秀兰", "phone": "13912340088", "members": 0, "hardship": "illness"}
    assert leader.post(url, data).status_code == 422  # members ≥ 1
    data["members"] = 2
    assert leader.post(url, data).status_code == 302
    assert Family.objects.get(pk=family.pk).members == 2


def test_a_family_is_deleted_only_while_nothing_hangs_on_it(users, campaign, cadres):
    def fresh():
        return services.family_create(actor=users["leader"], campaign=campaign, unit=campaign.unit, head="钱多多")

    f = fresh()
    services.family_contact_add(
        actor=users["leader"], family=f, kind="contact", on=today(), delivered_by=cadres["desk"]
    )
    with pytest.raises(InvalidInput) as exc:
        services.family_delete(actor=users["leader"], family=f)
    assert "不能删除" in str(exc.value.message)
    g = fresh()
    services.family_access_record(family=g, user=users["leader"], kind="page")
    with pytest.raises(InvalidInput) as exc:
        services.family_delete(actor=users["leader"], family=g)
    assert "查看记录" in str(exc.value.message)
    h = fresh()
    with pytest.raises(NotAllowed):
        services.family_delete(actor=users["desk"], family=h)
    url = reverse("campaign:family_delete", args=[h.pk])
    assert _client(users, "leader_2").post(url).status_code == 404
    assert _client(users, "leader").post(url).status_code == 302
    assert not Family.objects.filter(pk=h.pk).exists()
    assert Family.history.filter(id=h.pk, history_type="-").get().history_user == users["leader"]
    # a refused delete on the page says why, and keeps the row
    response = _client(users, "leader").post(reverse("campaign:family_delete", args=[f.pk]), follow=True)
    assert "不能删除" in response.content.decode() and Family.objects.filter(pk=f.pk).exists()


# --- pairings ---------------------------------------------------------------------------------


def test_a_pairing_is_ended_corrected_or_removed(users, family, cadres, pairing):
    with pytest.raises(InvalidInput) as exc:
        services.pairing_update(actor=users["desk"], pairing=pairing, since=today(), until=today() - dt.timedelta(1))
    assert "结束日期" in exc.value.fields["until"][0]
    with pytest.raises(InvalidInput):
        services.pairing_update(actor=users["desk"], pairing=pairing, since=today() + dt.timedelta(days=1))
    with pytest.raises(NotAllowed):  # not a cadre of the campaign, not a manager
        services.pairing_update(actor=users["officer_union"], pairing=pairing, since=today(), until=today())
    services.pairing_update(actor=users["desk"], pairing=pairing, since=today(), until=today())  # a cadre ends it
    pairing.refresh_from_db()
    assert pairing.until == today()
    again = services.pairing_add(actor=users["leader"], family=family, cadre=cadres["desk"], since=today())
    with pytest.raises(InvalidInput):  # reopening the first would give two open pairings
        services.pairing_update(actor=users["leader"], pairing=pairing, since=today(), until=None)
    services.pairing_delete(actor=users["leader"], pairing=again)
    assert list(Pairing.objects.filter(family=family)) == [pairing]
    assert Pairing.history.filter(id=again.pk, history_type="-").exists()


def test_pairing_pages(users, family, pairing):
    edit, delete = (
        reverse("campaign:pairing_edit", args=[pairing.pk]),
        reverse("campaign:pairing_delete", args=[pairing.pk]),
    )
    desk = _client(users, "desk")
    assert edit in desk.get(reverse("campaign:family", args=[family.pk])).content.decode()
    assert desk.post(edit, {"since": today().isoformat(), "until": "not a date"}).status_code == 422
    assert _client(users, "officer_union").get(edit).status_code == 403
    assert _client(users, "leader_2").get(edit).status_code == 404
    assert _client(users, "leader_2").post(delete).status_code == 404
    assert desk.post(edit, {"since": today().isoformat(), "until": today().isoformat()}).status_code == 302
    assert Pairing.objects.get(pk=pairing.pk).until == today()
    assert desk.post(delete).status_code == 302 and not Pairing.objects.filter(pk=pairing.pk).exists()


# --- commitments ------------------------------------------------------------------------------


def test_a_commitment_is_corrected_while_open(users, commitment):
    with pytest.raises(InvalidInput) as exc:
        services.commitment_update(actor=users["leader"], commitment=commitment, title="x", owner="y",
                                   due_on=dt.date(today().year + 1, 1, 5))  # fmt: skip
    assert "年度" in exc.value.fields["due_on"][0]
    with pytest.raises(NotAllowed):
        services.commitment_update(actor=users["desk"], commitment=commitment, title="x", owner="y",
                                   due_on=commitment.due_on)  # fmt: skip
    services.commitment_update(actor=users["leader"], commitment=commitment, title="建设爱心驿站五处", owner="王副主席",
                               due_on=commitment.due_on)  # fmt: skip
    commitment.refresh_from_db()
    assert commitment.title == "建设爱心驿站五处" and commitment.history.count() == 2
    services.commitment_complete(actor=users["leader"], commitment=commitment, result="建成。", done_on=today())
    with pytest.raises(InvalidInput) as exc:
        services.commitment_update(actor=users["leader"], commitment=commitment, title="x", owner="y",
                                   due_on=commitment.due_on)  # fmt: skip
    assert "已办结" in str(exc.value.message)


def test_a_commitment_is_deleted_only_when_never_published_nor_noted(users, commitment):
    services.commitment_publish(actor=users["leader"], commitment=commitment)
    services.commitment_publish(actor=users["leader"], commitment=commitment, published=False)
    with pytest.raises(InvalidInput) as exc:
        services.commitment_delete(actor=users["leader"], commitment=commitment)
    assert "公开" in str(exc.value.message)
    other = services.commitment_create(actor=users["leader"], unit=commitment.unit, year=commitment.year,
                                       title="助学", owner="甲", due_on=commitment.due_on)  # fmt: skip
    services.commitment_note(actor=users["leader"], commitment=other, text_="已启动。")
    with pytest.raises(InvalidInput):
        services.commitment_delete(actor=users["leader"], commitment=other)
    third = services.commitment_create(actor=users["leader"], unit=commitment.unit, year=commitment.year,
                                       title="法律援助", owner="乙", due_on=commitment.due_on)  # fmt: skip
    with pytest.raises(NotAllowed):
        services.commitment_delete(actor=users["desk"], commitment=third)
    services.commitment_delete(actor=users["leader"], commitment=third)
    assert set(Commitment.objects.values_list("pk", flat=True)) == {commitment.pk, other.pk}
    assert Commitment.history.filter(id=third.pk, history_type="-").get().history_change_reason == "删除办实事承诺"


def test_commitment_pages(users, commitment):
    edit = reverse("campaign:commitment_edit", args=[commitment.pk])
    delete = reverse("campaign:commitment_delete", args=[commitment.pk])
    leader = _client(users, "leader")
    assert edit in leader.get(reverse("campaign:commitment", args=[commitment.pk])).content.decode()
    page = leader.get(edit).content.decode()
    assert delete in page
    assert _client(users, "desk").get(edit).status_code == 403
    assert _client(users, "desk").post(delete).status_code == 403
    for other in ("leader_2", "desk_2"):
        assert _client(users, other).get(edit).status_code == 404
        assert _client(users, other).post(delete).status_code == 404
    data = {"title": "新标题", "owner": "陈主席", "due_on": f"{today().year + 1}-01-01"}
    response = leader.post(edit, data)
    assert response.status_code == 422 and "年度" in response.content.decode()
    data["due_on"] = commitment.due_on.isoformat()
    assert leader.post(edit, data).status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).title == "新标题"
    assert leader.post(delete).status_code == 302 and not Commitment.objects.filter(pk=commitment.pk).exists()


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def api_for(users):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def _client(name: str) -> APIClient:
        user = users[name] if name in users else _user(name)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return _client


def test_api_corrections_are_scoped_and_go_through_the_services(api_for, users, campaign, point, family, pairing,
                                                                commitment):  # fmt: skip
    urls = {
        "point": f"/api/v1/campaign/points/{point.pk}/",
        "family": f"/api/v1/campaign/families/{family.pk}/",
        "pairing": f"/api/v1/campaign/pairings/{pairing.pk}/",
        "commitment": f"/api/v1/campaign/commitments/{commitment.pk}/",
    }
    other = api_for("leader_2")
    for url in urls.values():
        assert other.patch(url, {}, format="json").status_code == 404, url
        assert other.delete(url).status_code == 404, url
    desk = api_for("desk")  # a cadre: keeps pairings, may not correct points, families, commitments
    assert desk.patch(urls["point"], {"since": today().isoformat()}, format="json").status_code == 403
    assert desk.patch(urls["family"], {"members": 4}, format="json").status_code == 403
    assert desk.delete(urls["commitment"]).status_code == 403

    leader = api_for("leader")
    response = leader.patch(urls["point"], {"place": "DEMO-E5"}, format="json")
    assert response.status_code == 400 and "辖区" in response.json()["fields"]["place"][0]
    response = leader.patch(urls["point"], {"place": "DEMO-E1", "cadre": None}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "DEMO-E1"

    response = leader.patch(urls["family"], {"members": 4, "phone": "13900001111"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "139****1111"  # masked
    assert Family.objects.get(pk=family.pk).members == 4

    response = desk.patch(urls["pairing"], {"until": (today() - dt.timedelta(days=3)).isoformat()}, format="json")
    assert response.status_code == 400 and "结束日期" in response.json()["fields"]["until"][0]
    response = desk.patch(urls["pairing"], {"until": today().isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["until"] == today().isoformat()

    response = leader.patch(urls["commitment"], {"title": "  "}, format="json")
    assert response.status_code == 400
    response = leader.patch(urls["commitment"], {"owner": "王副主席"}, format="json")
    assert response.status_code == 200 and response.json()["owner"] == "王副主席"

    # deletes: refused in Chinese while something hangs on the row
    response = leader.delete(urls["family"])
    assert response.status_code == 400 and "不能删除" in response.json()["message"]
    assert leader.delete(urls["pairing"]).status_code == 204
    assert leader.delete(urls["point"]).status_code == 204
    assert leader.delete(urls["commitment"]).status_code == 204
    assert not ContactPoint.objects.filter(pk=point.pk).exists()
    assert not Commitment.objects.filter(pk=commitment.pk).exists()
    assert leader.delete(f"/api/v1/campaign/points/{2**70}/").status_code == 404
