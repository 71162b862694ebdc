"""The bell, the list page, preferences, and /api/v1/notifications/."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def _ctx(i):
    return {"case_number": f"GH-2026-00000{i}", "action_label": "认领", "url": f"/cases/GH-2026-00000{i}/"}


@pytest.fixture
def carol():
    user = get_user_model().objects.create_user("carol", password="pw-carol-123")
    for i in range(3):
        notify(event="case_claimed", recipients=[user], context=_ctx(i), key=f"k{i}")
    return user


def test_api_lists_newest_first_with_unread_and_marks_read(carol):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=carol).key}")
    data = api.get("/api/v1/notifications/").json()
    assert data["count"] == 3 and data["unread"] == 3
    numbers = [r["subject"].split()[1] for r in data["results"]]
    assert numbers == ["GH-2026-000002", "GH-2026-000001", "GH-2026-000000"]  # newest first
    first = data["results"][0]["id"]
    answer = api.post(f"/api/v1/notifications/{first}/read/")
    assert answer.status_code == 200 and answer.json()["read"] is True and answer.json()["unread"] == 2
    assert api.post(f"/api/v1/notifications/{first}/read/").status_code == 200  # idempotent
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 2


def test_api_refuses_others_bad_input_and_anonymous(carol):
    dave = get_user_model().objects.create_user("dave")
    api = APIClient()
    api.force_authenticate(dave)
    theirs = Notification.objects.filter(user=carol).first()
    answer = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert answer.status_code == 404 and answer.json()["detail"] == "通知不存在。"
    bad = api.get("/api/v1/notifications/?limit=abc")
    assert bad.status_code == 400 and "非负整数" in bad.json()["detail"]
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_bell_list_page_and_read(client, carol):
    client.force_login(carol)
    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200 and "GH-2026-000001" in html
    assert 'class="cw-bell__count"' in html and ">3</span>" in html
    n = Notification.objects.filter(user=carol).first()
    answer = client.post(f"/notifications/{n.pk}/read/")
    assert answer.status_code == 302 and answer["Location"] == n.link
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=carol, read_at__isnull=True).exists()
    assert client.post("/notifications/999999/read/").status_code == 404


def test_preferences_page(client, carol):
    client.force_login(carol)
    assert "必收通知" in client.get("/notifications/preferences/").content.decode()
    client.post("/notifications/preferences/", {"ev_case_claimed": ["", "email"]})
    notify(event="case_claimed", recipients=[carol], context=_ctx(9), key="after-pref")
    assert list(Notification.objects.filter(key="after-pref").values_list("channel", flat=True)) == []  # no e-mail
    carol.email = "carol@example.cn"
    carol.save()
    notify(event="case_claimed", recipients=[carol], context=_ctx(8), key="after-pref-2")
    assert list(Notification.objects.filter(key="after-pref-2").values_list("channel", flat=True)) == ["email"]
