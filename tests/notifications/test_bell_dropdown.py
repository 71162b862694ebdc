"""The bell's dropdown: the latest unread, repeats grouped, mark read one line or all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from notifications import selectors, services
from notifications.exceptions import NotificationError
from notifications.models import ChannelCode, Notification

pytestmark = pytest.mark.django_db


def _note(user, *, event="urge", link="/cases/GH-1/", minutes_ago=0, subject="催办", read=False):
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        key=f"k{Notification.objects.count()}", recipient=f"user:{user.pk}", channel=ChannelCode.IN_APP,
        event=event, user=user, subject=subject, link=link, created_at=at, read_at=at if read else None,
    )  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_repeats_of_one_kind_about_one_case_are_one_line(users):
    me = users["officer_enterprise"]
    a = [_note(me, minutes_ago=m) for m in (0, 20, 40)]  # one group: each within an hour of the next
    old = _note(me, minutes_ago=200)  # the same case and kind, hours earlier: its own line
    other_kind = _note(me, event="task_queued", minutes_ago=5, subject="新任务")
    other_case = _note(me, link="/cases/GH-2/", minutes_ago=10)
    _note(me, minutes_ago=1, read=True)
    _note(users["desk"], minutes_ago=1)  # someone else's
    groups = selectors.unread_groups(me)
    assert [g.ids for g in groups] == [[a[0].pk, a[1].pk, a[2].pk], [other_kind.pk], [other_case.pk], [old.pk]]
    assert groups[0].count == 3


def test_the_dropdown_shows_at_most_eight_lines(users):
    me = users["officer_enterprise"]
    for i in range(12):
        _note(me, link=f"/cases/GH-{i}/", minutes_ago=i)
    assert len(selectors.unread_groups(me)) == 8
    html = _client(me).get("/notifications/dropdown/").content.decode()
    assert html.count('class="cw-bell-item"') == 8 and 'data-unread="12"' in html
    assert "<html" not in html  # a fragment


def test_the_dropdown_shows_the_count_of_a_group(users):
    me = users["officer_enterprise"]
    for m in (0, 5):
        _note(me, minutes_ago=m)
    html = _client(me).get("/notifications/dropdown/").content.decode()
    assert "×2" in html and "没有未读通知" not in html
    assert "没有未读通知" in _client(users["desk"]).get("/notifications/dropdown/").content.decode()


def test_mark_one_line_read_in_the_background(users):
    me = users["officer_enterprise"]
    group = [_note(me, minutes_ago=m) for m in (0, 5)]
    keep = _note(me, link="/cases/GH-9/")
    ids = ",".join(str(n.pk) for n in group)
    response = _client(me).post("/notifications/read-group/", {"ids": ids}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"read": 2, "unread": 1}
    assert not Notification.objects.filter(pk__in=[n.pk for n in group], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=keep.pk).read_at is None


def test_open_a_line_marks_it_read_and_goes_to_the_case(users):
    me = users["officer_enterprise"]
    n = _note(me, link="/cases/GH-1/")
    response = _client(me).post("/notifications/read-group/", {"ids": str(n.pk), "next": "/cases/GH-1/"})
    assert response.status_code == 302 and response["Location"] == "/cases/GH-1/"
    response = _client(me).post("/notifications/read-group/", {"ids": str(n.pk), "next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_someone_elses_or_bad_ids_are_404_and_change_nothing(users):
    theirs = _note(users["desk"])
    client = _client(users["officer_enterprise"])
    for ids in (str(theirs.pk), "abc", "", "1,x", "999999"):
        response = client.post("/notifications/read-group/", {"ids": ids}, HTTP_ACCEPT="application/json")
        assert response.status_code == 404, ids
        assert response.json()["detail"] == "通知不存在。"
    assert client.post("/notifications/read-group/", {"ids": str(theirs.pk)}).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    with pytest.raises(NotificationError):
        services.notification_mark_many_read(user=users["officer_enterprise"], ids=[theirs.pk])


def test_mark_all_read_answers_json_to_the_bell(users):
    me = users["officer_enterprise"]
    _note(me)
    _note(me, link="/cases/GH-2/")
    response = _client(me).post("/notifications/read-all/", HTTP_ACCEPT="application/json")
    assert response.json() == {"read": 2, "unread": 0}


def test_the_bell_opens_the_dropdown_and_stays_a_link_without_script(users):
    html = _client(users["desk"]).get("/cases/all/").content.decode()
    assert 'data-dropdown="/notifications/dropdown/"' in html and 'href="/notifications/"' in html
    assert 'id="cw-bell-panel"' in html and "casework/bell.js" in html


def test_anonymous_gets_the_login_page(client):
    assert client.get("/notifications/dropdown/").status_code == 302
    assert client.post("/notifications/read-group/", {"ids": "1"}).status_code == 302
