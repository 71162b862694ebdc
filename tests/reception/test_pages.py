"""The reception pages: the day worked end to end over HTTP, printables, refusals, access."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Case, OrgUnit
from casework.views.pdf import weasyprint_ready
from reception import services
from reception.models import ReceptionEntry, ReceptionSession, SessionStatus

from ..conftest import PASSWORD
from .conftest import MORNING


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_plan_receive_close_and_print_over_http(client, users, morning):
    _login(client, "desk")
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    response = client.post(
        reverse("reception:plan"),
        {
            "unit": k1.pk,
            "starts_at": "2026-06-01T09:00",
            "ends_at": "2026-06-01T12:00",
            "place": "职工服务中心",
            "form": "regular",
            "leaders": [users["leader"].pk],
        },
    )
    session = ReceptionSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reception:session", args=[session.pk])
    client.post(reverse("reception:open", args=[session.pk]))
    e1 = OrgUnit.objects.get(code="DEMO-E1")
    base = {"head_count": 1, "enterprise": e1.pk, "raised": "拖欠工资", "category": "", "leader": users["leader"].pk}
    from casework.models import Category

    wages = Category.objects.get(code="wages").pk
    client.post(reverse("reception:entry_add", args=[session.pk]), {**base, "worker_name": "甲"})
    client.post(reverse("reception:entry_add", args=[session.pk]), {**base, "worker_name": "乙", "category": wages})
    client.post(reverse("reception:entry_add", args=[session.pk]), {**base, "worker_name": "丙", "head_count": 8})
    first, second, group = ReceptionEntry.objects.order_by("number")
    client.post(reverse("reception:entry_resolve", args=[first.pk]), {"outcome": "answered", "text": "当场答复"})
    client.post(reverse("reception:entry_file_case", args=[second.pk]), {"consent": "on"})
    # Closing with the group unanswered is refused with its number.
    page = client.post(reverse("reception:close", args=[session.pk]), follow=True)
    assert "第 3 号登记尚无处理情况" in page.content.decode()
    client.post(reverse("reception:entry_resolve", args=[group.pk]), {"outcome": "referred", "text": "区人社局"})
    client.post(reverse("reception:close", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    case = Case.objects.get()
    assert case.reception_entry == second and case.receiving_leader == users["leader"]
    summary = client.get(reverse("reception:summary", args=[session.pk])).content.decode()
    assert "接待情况汇总" in summary and case.number in summary
    # 接待人次 3, 涉及人数 10, 登记件数 1, 当场解答 1, 转办 1; names masked on paper.
    assert '<th scope="row">接待人次</th><td>3</td>' in summary
    assert '<th scope="row">涉及人数</th><td>10</td>' in summary
    assert "乙*" in summary


def test_pages_render(client, users, add_entry, open_session, plan):
    services.entry_resolve(actor=users["desk"], entry=add_entry(), outcome="answered", text="已解答")
    planned = plan()
    _login(client, "leader")
    for url in [
        reverse("reception:calendar"),
        reverse("reception:calendar") + "?month=2026-06",
        reverse("reception:calendar") + "?month=bad",
        reverse("reception:plan"),
        reverse("reception:dashboard"),
        reverse("reception:my_cases"),
        reverse("reception:session", args=[open_session.pk]),
        reverse("reception:session", args=[planned.pk]),
        reverse("reception:edit", args=[planned.pk]),
        reverse("reception:notice", args=[planned.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "主席接待日" in client.get(reverse("reception:calendar") + "?month=2026-06").content.decode()


def test_summary_waits_for_close_and_prints_as_pdf(client, users, add_entry, open_session):
    services.entry_resolve(actor=users["desk"], entry=add_entry(), outcome="answered", text="已解答")
    _login(client, "leader")
    response = client.get(reverse("reception:summary", args=[open_session.pk]))
    assert response.status_code == 302
    services.session_close(actor=users["desk"], session=open_session)
    assert client.get(reverse("reception:summary", args=[open_session.pk])).status_code == 200
    ready, why = weasyprint_ready()
    if not ready:
        pytest.skip(f"PDF rendering unavailable here: {why}")
    pdf = client.get(reverse("reception:summary_pdf", args=[open_session.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_a_past_session_is_refused_on_the_form(client, users, morning):
    _login(client, "desk")
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    response = client.post(
        reverse("reception:plan"),
        {"unit": k1.pk, "starts_at": "2026-05-01T09:00", "ends_at": "2026-05-01T12:00", "place": "x",
         "form": "regular", "leaders": [users["leader"].pk]},
    )  # fmt: skip
    assert response.status_code == 422
    assert "不能安排已经过去的接待日" in response.content.decode()
    assert not ReceptionSession.objects.exists()


def test_county_b_sees_none_of_county_a(client, users, add_entry, open_session):
    entry = add_entry()
    _login(client, "leader_2")
    for name in ["session", "notice", "summary", "edit"]:
        assert client.get(reverse(f"reception:{name}", args=[open_session.pk])).status_code == 404, name
    for name in ["open", "close", "entry_add", "sign_off"]:
        assert client.post(reverse(f"reception:{name}", args=[open_session.pk])).status_code == 404, name
    assert (
        client.post(
            reverse("reception:entry_resolve", args=[entry.pk]), {"outcome": "answered", "text": "x"}
        ).status_code
        == 404
    )
    calendar = client.get(reverse("reception:calendar") + "?month=2026-06").content.decode()
    assert open_session.place not in calendar
    entry.refresh_from_db()
    assert entry.outcome == ""


def test_who_may_not_plan_or_see_dashboards(client, users, morning):
    _login(client, "officer_union")
    assert client.get(reverse("reception:plan")).status_code == 403
    assert client.get(reverse("reception:dashboard")).status_code == 403
    _login(client, "officer_enterprise")
    assert client.get(reverse("reception:plan")).status_code == 403


def test_dashboard_held_vs_planned(client, users, add_entry, open_session, plan):
    services.session_close(actor=users["desk"], session=open_session)
    plan()
    _login(client, "supervisor")
    page = client.get(reverse("reception:dashboard") + "?month=2026-06").content.decode()
    assert "东城区总工会" in page and "西城区总工会" not in page and "本月未举办" not in page
    _login(client, "admin")
    page = client.get(reverse("reception:dashboard") + "?month=2026-06").content.decode()
    assert "西城区总工会 <strong>（本月未举办）" in page


def test_the_leaders_baoan_list(client, users, add_entry):
    entry = add_entry()
    case = services.entry_file_case(actor=users["desk"], entry=entry, consent=True, leader_takes_charge=True)
    _login(client, "leader")
    assert case.number in client.get(reverse("reception:my_cases")).content.decode()
    assert case.number in client.get(reverse("reception:leader_cases", args=[users["leader"].pk])).content.decode()
    _login(client, "leader_2")
    assert client.get(reverse("reception:leader_cases", args=[users["leader"].pk])).status_code == 404


def test_a_session_on_another_day_is_not_in_this_month(client, users, plan):
    plan(starts_at=MORNING + dt.timedelta(days=40), ends_at=MORNING + dt.timedelta(days=40, hours=2))
    _login(client, "desk")
    page = client.get(reverse("reception:calendar") + "?month=2026-06").content.decode()
    assert "rc-session" not in page
