"""The reception day's notice to the enterprises: in-app always, SMS / e-mail as chosen per
session, once unless re-sent explicitly, audited; delivered for real (local SMTP, SMS gateway)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.exceptions import InvalidInput, NotAllowed
from notifications.channels.sms import LocmemGateway
from notifications.delivery import deliver_due
from notifications.models import Notification
from reception import services
from reception.models import ReceptionSession

from ..notifications.conftest import _sms_and_backoff, smtp_server  # noqa: F401  (the real SMTP server)


@pytest.fixture
def with_email(users):
    officer = users["officer_enterprise"]
    officer.email = "li@example.cn"
    officer.save()
    return officer


def _keys(session):
    return Notification.objects.filter(key__startswith=f"reception:{session.pk}:notice")


def test_sms_and_email_go_to_the_enterprises_contacts(users, plan, with_email):
    session = plan()
    n = services.session_announce(actor=users["desk"], session=session, channels=["sms", "email"])
    rows = _keys(session)
    assert n == rows.count() > 0
    assert rows.filter(channel="email", address="li@example.cn").exists()
    assert rows.filter(channel="sms", address="13800138000").exists()  # the staff profile's phone
    assert rows.filter(channel="inapp", user=with_email).exists()
    assert not rows.filter(user=users["officer_elsewhere"]).exists()  # county B's enterprise
    sms = rows.get(channel="sms").body
    assert len(sms) <= 70 and "区总工会职工服务中心" in sms and "陈主席" in sms
    mail = rows.get(channel="email")
    for part in ("区总工会职工服务中心", "区总工会陈主席", "劳动报酬、社会保险"):  # 地点、接待领导、可反映的问题
        assert part in mail.subject + mail.body
    session.refresh_from_db()
    assert session.notice_sends == 1 and session.notice_channels == "email,sms"
    assert session.history.filter(history_change_reason__startswith="发布公告").exists()


def test_in_app_only_when_no_channel_is_chosen(users, plan, with_email):
    session = plan()
    services.session_announce(actor=users["desk"], session=session, channels=[])
    assert set(_keys(session).values_list("channel", flat=True)) == {"inapp"}


def test_once_unless_resent_explicitly(users, plan, with_email):
    session = plan()
    services.session_announce(actor=users["desk"], session=session, channels=["email"])
    before = _keys(session).count()
    history = session.history.count()
    with pytest.raises(InvalidInput) as exc:
        services.session_announce(actor=users["desk"], session=session, channels=["email"])
    assert "重新发送" in str(exc.value.message)
    assert _keys(session).count() == before and session.history.count() == history  # nothing written
    services.session_announce(actor=users["desk"], session=session, channels=["email"], resend=True)
    assert Notification.objects.filter(key=f"reception:{session.pk}:notice:2", channel="email").exists()
    session.refresh_from_db()
    assert session.notice_sends == 2
    assert session.history.filter(history_change_reason__startswith="重新发送公告").exists()


def test_refusals_write_nothing(users, plan, open_session):
    session = plan()
    with pytest.raises(InvalidInput) as exc:
        services.session_announce(actor=users["desk"], session=session, channels=["fax"])
    assert "短信或电子邮件" in str(exc.value.fields["channels"][0])
    with pytest.raises(NotAllowed):
        services.session_announce(actor=users["officer_enterprise"], session=session, channels=["sms"])
    with pytest.raises(InvalidInput):
        services.session_announce(actor=users["desk"], session=open_session, channels=["sms"])
    assert not Notification.objects.filter(key__startswith="reception:").exists()
    assert not ReceptionSession.objects.filter(notice_sends__gt=0).exists()


def test_delivered_over_smtp_and_the_sms_gateway(users, plan, with_email, smtp_server):  # noqa: F811
    session = plan()
    services.session_announce(actor=users["desk"], session=session, channels=["sms", "email"])
    deliver_due()
    assert ["li@example.cn"] in [m["rcpt"] for m in smtp_server.messages]
    message = next(m["message"] for m in smtp_server.messages if m["rcpt"] == ["li@example.cn"])
    assert "主席接待日" in message["Subject"]
    assert "劳动报酬、社会保险" in message.get_body(preferencelist=("plain",)).get_content()
    assert any(m["phone"] == "13800138000" and "主席接待日" in m["text"] for m in LocmemGateway.outbox)


def _api(name):
    from django.contrib.auth import get_user_model

    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=name))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_api_announce(users, plan, with_email):
    session = plan()
    url = f"/api/v1/reception/sessions/{session.pk}/announce/"
    ok = _api("desk").post(url, {"channels": ["email"]}, format="json")
    assert ok.status_code == 200 and ok.json()["notice_sends"] == 1 and ok.json()["queued"] > 0
    again = _api("desk").post(url, {"channels": ["email"]}, format="json")
    assert again.status_code == 400 and "重新发送" in again.json()["message"]
    assert _api("desk").post(url, {"channels": ["email"], "resend": True}, format="json").json()["notice_sends"] == 2
    bad = _api("desk").post(url, {"channels": ["fax"]}, format="json")
    assert bad.status_code == 400
    assert _api("leader_2").post(url, {"channels": []}, format="json").status_code == 404  # county B
    assert _api("officer_enterprise").post(url, {}, format="json").status_code in (403, 404)
    session.refresh_from_db()
    assert session.notice_sends == 2


def test_page_sends_with_the_chosen_channels(client, users, plan, with_email):
    session = plan()
    client.force_login(users["desk"])
    page = client.get(f"/reception/{session.pk}/")
    assert "发送公告" in page.content.decode()
    client.post(f"/reception/{session.pk}/announce/", {"channels": ["sms"]})
    assert _keys(session).filter(channel="sms").exists()
    again = client.post(f"/reception/{session.pk}/announce/", {"channels": ["sms"]}, follow=True)
    assert "重新发送" in again.content.decode()
    client.post(f"/reception/{session.pk}/announce/", {"channels": ["bogus"], "resend": "on"})
    session.refresh_from_db()
    assert session.notice_sends == 1
