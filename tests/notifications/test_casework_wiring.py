"""casework → notifications: who hears about which change, in the service's transaction."""

import datetime as dt

import pytest
from django.utils import timezone

from casework import services
from casework.digest import send_supervisor_digest
from casework.models import Case
from casework.services import locked_case, record_change
from notifications.channels.sms import LocmemGateway
from notifications.delivery import deliver_due
from notifications.models import Notification, WebhookEndpoint

from ..conftest import case_input


def _rows(**filters):
    return Notification.objects.filter(**filters)


def test_registering_queues_owner_in_app_and_worker_receipt_sms(users, make_case):
    case = make_case()
    # the desk registered it: not told of its own action (#18)
    assert not _rows(event="case_registered", user=users["desk"], channel="inapp").exists()
    sms = _rows(event="case_registered", channel="sms").get()
    assert sms.address == "13912345678"
    assert case.number in sms.body and len(sms.body) <= 70
    assert "11010519491231002X" not in sms.body
    # accepted at once: the enterprise union's officers see a new task in their queue
    queued = _rows(event="task_queued")
    assert set(queued.values_list("user__username", flat=True)) == {"officer_enterprise"}
    deliver_due()
    assert [m["phone"] for m in LocmemGateway.outbox] == ["13912345678"]


def test_escalation_notifies_the_new_units_officers_owner_and_worker(users, make_case):
    case = make_case()
    case = services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业无力解决")
    queued = _rows(event="task_queued", key=f"{case.number}:v{case.version}:task_queued")
    assert set(queued.values_list("user__username", flat=True)) == {"officer_union"}
    assert _rows(event="case_escalated", user=users["desk"]).count() == 1
    sms = _rows(event="case_escalated", channel="sms").get()
    assert "工会层面" in sms.body and len(sms.body) <= 70


def test_a_failed_service_call_leaves_no_notification(users, make_case):
    before = Notification.objects.count()
    with pytest.raises(Exception):  # noqa: B017 (any refusal will do)
        services.case_escalate(case=make_case().number, actor=users["officer_elsewhere"], reason="x")
    after_register = Notification.objects.filter(event="case_escalated").count()
    assert after_register == 0 and Notification.objects.count() > before


def test_claim_resolve_reply_close_and_handover(users, make_case):
    case = make_case()
    officer, desk = users["officer_enterprise"], users["desk"]
    services.task_claim(case=case.number, actor=officer)
    assert _rows(event="case_claimed", user=desk).exists()
    services.case_resolve(case=case.number, actor=officer, outcome="resolved", result="已足额支付")
    assert _rows(event="case_resolved", user=desk).exists()
    services.case_reply(case=case.number, actor=desk, method="phone", content="已电话告知")
    assert not _rows(event="case_replied", user=desk).exists()  # the desk replied itself
    assert _rows(event="case_replied", channel="sms").exists()
    services.case_handover(case=case.number, actor=desk, to_username="officer_union", reason="调岗")
    handover = set(_rows(event="case_handover").values_list("user__username", flat=True))
    assert handover == {"officer_union"}  # the desk handed over itself


def test_escalation_engine_actions_reach_owner_officers_and_supervisors(users, make_case):
    case = make_case()
    with locked_case(case.number) as c:
        record_change(c, actor=None, action="deadline_breach", reason="企业层面超期")
    breach = set(_rows(event="deadline_breach", channel="inapp").values_list("user__username", flat=True))
    assert breach == {"desk", "officer_enterprise", "supervisor"}
    with locked_case(case.number) as c:
        record_change(c, actor=users["supervisor"], action="urge", reason="请加快")
    urge = set(_rows(event="urge").values_list("user__username", flat=True))
    assert urge == {"desk", "officer_enterprise"}


def test_webhooks_get_every_case_event_without_personal_data(users, make_case, receiver_factory):
    receiver = receiver_factory(secret="k1")
    WebhookEndpoint.objects.create(name="province", url=receiver.url, secret="k1")
    case = make_case()
    deliver_due()
    events = [r["json"]["event"] for r in receiver.accepted()]
    assert sorted(events) == ["case.accept", "case.register"]
    body = str([r["json"] for r in receiver.accepted()])
    assert case.number in body
    assert "13912345678" not in body and "11010519491231002X" not in body and "王建国" not in body


def test_supervisor_digest_once_a_day(users, make_case):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    make_case()
    # The next 09:00 (Beijing time) after the cases were made: the digest covers the day before it.
    local_now = timezone.localtime()
    at = local_now.replace(hour=9, minute=0, second=0, microsecond=0)
    if at <= local_now:
        at += dt.timedelta(days=1)
    assert send_supervisor_digest(at=at) >= 1
    row = _rows(event="supervisor_digest", user=users["supervisor"], channel="inapp").get()
    assert "新登记 2 件" in row.body and "已超期 1 件" in row.body and case.number in row.body
    assert send_supervisor_digest(at=at) == 0  # one per day
    assert send_supervisor_digest(at=at.replace(hour=3)) == 0  # not before the digest hour


def test_sms_to_workers_never_carries_the_id_number(users):
    data = case_input(worker={"id_number": "11010519491231002X", "phone": "13800001111"})
    case = services.case_register(actor=users["desk"], data=data)
    for n in _rows(channel="sms"):
        assert "11010519491231002X" not in n.body and "1101051949" not in n.body
    assert case.worker.id_number == "11010519491231002X"


def test_informing_the_worker_sends_them_an_sms_and_nobody_else_a_notice(users, make_case):
    """告知职工 (#18): the worker hears there is a message on their page; the words stay there
    (an SMS carries no case details); staff get no notice of it."""
    case = make_case()
    officer = users["officer_enterprise"]
    services.task_claim(case=case.number, actor=officer)
    staff_side = Notification.objects.exclude(channel__in=["sms", "webhook"])
    before = staff_side.count()
    case = services.case_inform_worker(case=case.number, actor=officer, content="已约企业负责人下周三协商。")
    sms = _rows(event="case_informed", channel="sms").get()
    assert sms.address == "13912345678" and sms.key == f"{case.number}:v{case.version}:case_informed"
    assert case.number in sms.body and "我的诉求" in sms.body and len(sms.body) <= 70
    assert "协商" not in sms.body
    assert staff_side.count() == before
    deliver_due()
    assert "13912345678" in [m["phone"] for m in LocmemGateway.outbox]
