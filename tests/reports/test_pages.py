"""Pages, API, permissions, exports, the access log, 问责 and 公示."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from casework import services
from casework.models import Case
from escalation.services import case_urge
from reports.models import AccessLog, AccountabilityNote, Publication

from .builders import resolved

pytestmark = pytest.mark.django_db


def test_api_figures_and_errors(client, users, register):
    register()
    register(enterprise="DEMO-E5")
    client.force_login(users["supervisor"])
    body = client.get("/api/v1/reports/outcomes/").json()
    assert body["received"] == 1 and body["open"] == 1
    for key in ("outcomes", "on_time_rate", "response_rate", "resolution_rate", "satisfaction_rate"):
        assert key in body
    assert body["resolution_rate"] is None  # nothing finished: no rate rather than 0
    bad = client.get("/api/v1/reports/outcomes/?from=2026-13-01")
    assert (
        bad.status_code == 400 and bad.json()["code"] == "invalid" and "YYYY-MM-DD" in bad.json()["fields"]["from"][0]
    )
    assert client.get("/api/v1/reports/outcomes/?from=2026-05-01&to=2026-04-01").status_code == 400
    other = client.get("/api/v1/reports/outcomes/?unit=DEMO-K2")
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert client.get("/api/v1/reports/outcomes/?unit=NOPE").status_code == 404


def test_api_refuses_officers_and_anonymous(client, users):
    assert client.get("/api/v1/reports/outcomes/").status_code == 401
    client.force_login(users["officer_enterprise"])
    assert client.get("/api/v1/reports/outcomes/").json()["code"] == "forbidden"


def test_pages_render_for_supervisor_only(client, users, register):
    register()
    client.force_login(users["officer_enterprise"])
    assert client.get("/reports/").status_code == 403
    client.force_login(users["supervisor"])
    for url in ["/reports/", "/reports/gaps/", "/reports/outcomes/", "/reports/outcomes/print/", "/reports/league/",
                "/reports/officers/", "/reports/systemic/", "/reports/league/?sort=speed"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/reports/outcomes/").content.decode()
    assert "<svg" in page and "解决率" in page and "满意率" in page
    assert client.get("/reports/outcomes/?from=xx").status_code == 400
    assert client.get("/reports/outcomes/?unit=DEMO-K2").status_code == 404
    assert client.get("/reports/outcomes.pdf").status_code in (200, 503)


def test_dashboard_red_list_and_supervision(client, users, register):
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(start, tick=False):
        late = register()
        register(enterprise="DEMO-E5")
    with time_machine.travel(start + dt.timedelta(days=60), tick=False):
        client.force_login(users["supervisor"])
        page = client.get("/reports/").content.decode()
        assert late.number in page and "红牌" in page
        assert Case.objects.filter(enterprise__code="DEMO-E5").get().number not in page
        response = client.post(
            f"/cases/{late.number}/act/accountability/",
            {"note": "企业层面超期未办", "person": "李主席", "version": Case.objects.get(pk=late.pk).version},
        )
        assert response.status_code == 302
        note = AccountabilityNote.objects.get(case=late)
        assert note.unit.code == "DEMO-E1-U" and note.person == "李主席"
        assert Case.objects.get(pk=late.pk).last_action == "accountability"
        case_urge(case=late.number, actor=users["supervisor"], message="请三日内办结")
        audit = client.get(f"/reports/cases/{late.number}/audit/").content.decode()
        assert "问责" in audit and "请三日内办结" in audit and "超期" in audit


def test_accountability_refused_outside_role(users, register):
    from casework.exceptions import NotAllowed
    from reports.services import case_hold_accountable

    case = register()
    with pytest.raises(NotAllowed):
        case_hold_accountable(case=case.number, actor=users["officer_enterprise"], note="x")


def test_gaps_listed_apart(client, users, register):
    not_told = resolved(users, register, reply=False)
    no_follow = resolved(users, register)
    client.force_login(users["supervisor"])
    page = client.get("/reports/gaps/").content.decode()
    told_part, follow_part = page.split('id="no-follow-up"')
    assert not_told.number in told_part and no_follow.number not in told_part
    assert no_follow.number in follow_part


def test_audit_shows_access_log_and_chinese_diffs(client, users, register):
    case = register()
    client.force_login(users["desk"])  # the owner asks to see the personal data unmasked
    assert client.get(f"/cases/{case.number}/").status_code == 200
    assert not AccessLog.objects.filter(case=case).exists()  # masked by default: nothing seen
    assert client.get(f"/cases/{case.number}/?unmask=1").status_code == 200
    assert AccessLog.objects.filter(case=case, user=users["desk"]).count() == 1
    client.force_login(users["officer_elsewhere"])
    assert client.get(f"/cases/{case.number}/").status_code == 404
    client.force_login(users["supervisor"])
    page = client.get(f"/reports/cases/{case.number}/audit/").content.decode()
    assert "查看职工完整个人信息" in page and "接待员小王" in page
    assert "状态" in page and "企业层面办理" in page  # a field diff in Chinese: 状态 → 企业层面办理
    other = register(enterprise="DEMO-E5")
    assert client.get(f"/reports/cases/{other.number}/audit/").status_code == 404


def test_exports_parse_back(client, users, register):
    cases = [register() for _ in range(3)]
    resolved(users, register, satisfaction="satisfied")
    client.force_login(users["supervisor"])
    response = client.get("/reports/ledger.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[2][0] == "案件编号" and len(rows) == 7  # title, period, headers, four cases
    assert {r[0] for r in rows[3:]} >= {c.number for c in cases}
    assert "13912345678" not in str(rows)  # no phone in the ledger
    response = client.get("/reports/ledger.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 5
    report = client.get("/reports/outcomes/?format=xlsx")
    sheets = load_workbook(io.BytesIO(b"".join(report.streaming_content)), read_only=True)
    summary = {r[0]: r[1] for r in sheets["概况"].iter_rows(min_row=4, values_only=True)}
    assert summary["受理量"] == 4 and summary["已解决"] == 1
    text = b"".join(client.get("/reports/league/?format=csv").streaming_content).decode("utf-8-sig")
    assert "名次" in text
    assert client.get("/reports/officers/?format=xlsx").status_code == 200
    assert client.get("/reports/systemic/?format=csv").status_code == 200


def test_command_outputs(tmp_path, users, register):
    register()
    out = tmp_path / "r.json"
    call_command(
        "outcome_report", "--from", "2020-01-01", "--to", "2029-12-31", "--unit", "DEMO-K1", "--output", str(out)
    )
    assert json.loads(out.read_text(encoding="utf-8"))["received"] == 1
    xlsx = tmp_path / "r.xlsx"
    call_command(
        "outcome_report", "--from", "2020-01-01", "--to", "2029-12-31", "--format", "xlsx", "--output", str(xlsx)
    )
    assert load_workbook(xlsx, read_only=True)["概况"] is not None
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("outcome_report", "--from", "2020-02-30", "--to", "2020-03-01")


def test_public_board_has_no_personal_data(client, users, register):
    case = resolved(users, register, satisfaction="satisfied", summary="张三的工资被拖欠", worker={"name": "赵秘密"})
    hidden = resolved(users, register, satisfaction="satisfied")
    with pytest.raises(Exception):  # noqa: B017 - only closed cases may be published
        services_publish(users, register().number)
    services_publish(users, case.number)
    response = client.get("/reports/public/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "东方机械制造有限公司" in page and "已解决" in page
    for secret in ["赵秘密", "13912345678", "11010519491231002X", "张三", case.number, hidden.number, "已协调"]:
        assert secret not in page
    assert Publication.objects.count() == 1


def services_publish(users, number):
    from portal.services import publication_consent_set
    from reports.services import case_publish

    # 公示 needs the worker's consent, recorded by the owner (or by the worker in the portal).
    publication_consent_set(case=number, agreed=True, actor=users["desk"], method="phone")
    return case_publish(case=number, actor=users["supervisor"])


def test_every_report_export_is_titled_period_labelled_and_frozen(client, users, register):
    from tests.xlsx_layout import assert_layout, workbook

    register()
    client.force_login(users["supervisor"])
    query = "from=2026-01-01&to=2026-12-31"
    for url, sheet, header in [
        (f"/reports/ledger.xlsx?{query}", "工作台账", "案件编号"),
        (f"/reports/outcomes/?{query}&format=xlsx", "概况", "指标"),
        (f"/reports/outcomes/?{query}&format=xlsx", "环节时限", "环节"),
        (f"/reports/league/?{query}&format=xlsx", "案件办理比拼", "名次"),
        (f"/reports/officers/?{query}&format=xlsx", "经办人统计", "姓名"),
        (f"/reports/systemic/?{query}&format=xlsx", "按企业", "名称"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        ws = workbook(response)[sheet]
        assert_layout(ws, title="东城区总工会 · ", period="2026-01-01 至 2026-12-31", header=header)


def test_the_officers_report_counts_what_each_told_the_worker(client, users, register):
    """告知职工 (#18) is work on the case: a column of the 经办人统计, on the page and in the export."""
    case = register()
    officer = users["officer_enterprise"]
    services.task_claim(case=case.number, actor=officer)
    services.case_inform_worker(case=case.number, actor=officer, content="材料已收到，正在核实。")
    services.case_inform_worker(case=case.number, actor=officer, content="已约企业负责人协商。")
    services.case_add_note(case=case.number, actor=officer, content="内部记录")
    client.force_login(users["supervisor"])
    html = client.get("/reports/officers/").content.decode()
    assert '<th scope="col">告知职工</th>' in html
    response = client.get("/reports/officers/?format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    header = next(r for r in rows if r and r[0] == "姓名")
    mine = next(r for r in rows if r and r[0] == (officer.get_full_name() or officer.username))
    by_title = dict(zip(header, mine, strict=True))
    assert by_title["告知职工"] == 2 and by_title["办理记录"] == 1 and by_title["形成结果"] == 0
