"""工作台账: seven columns drawn from reception days, visits and cases; .xlsx formatted; scoped."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from casework.models import OrgUnit
from reception import services as reception_services
from reporting import ledger
from reports.selectors.scope import Scope
from visits import services as visit_services

from ..conftest import PASSWORD
from ..reception.conftest import MORNING


def _world(users, add_entry, open_session, make_interview, make_case):
    entry = add_entry()
    reception_services.entry_file_case(actor=users["desk"], entry=entry, consent=True)
    reception_services.session_close(actor=users["desk"], session=open_session)
    interview = make_interview()
    visit_services.interview_file_case(actor=users["desk"], interview=interview)
    make_case(summary="热线反映加班费未发。")


def _scope():
    return Scope(MORNING.date().replace(month=5, day=1), MORNING.date(), OrgUnit.objects.get(code="DEMO-K1"))


def test_rows_come_from_each_source_once(users, add_entry, open_session, make_interview, make_case):
    _world(users, add_entry, open_session, make_interview, make_case)
    rows = ledger.ledger(_scope())
    sources = sorted(r.source.split("（")[0] for r in rows)
    assert sources == ["主席接待日", "案件", "走访"]
    reception = next(r for r in rows if r.source.startswith("主席接待日"))
    assert reception.leaders == "区总工会陈主席" and "登记为案件 1" in reception.results
    case_row = next(r for r in rows if r.source.startswith("案件"))
    assert "加班费" in case_row.opinions
    empty = Scope(MORNING.date(), MORNING.date(), OrgUnit.objects.get(code="DEMO-K2"))
    assert ledger.ledger(empty) == []


def test_xlsx_is_formatted_with_the_case_sheet(client, users, add_entry, open_session, make_interview, make_case):
    _world(users, add_entry, open_session, make_interview, make_case)
    assert client.login(username="leader", password=PASSWORD)
    response = client.get(reverse("reporting:ledger_xlsx"), {"from": "2026-05-01", "to": "2026-06-01"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["工作台账"]
    assert "工作台账" in ws["A1"].value and "2026-05-01" in ws["A2"].value
    assert [c.value for c in ws[3]][2:] == [
        "组织领导",
        "参与干部",
        "驻点时间",
        "职工意见",
        "所办事项",
        "办理结果",
        "职工评价",
    ]
    assert ws.freeze_panes == "A4" and ws.column_dimensions["A"].width < ws.column_dimensions["F"].width <= 60
    assert ws.max_row == 6
    cases = wb["案件台账"]
    assert cases.max_row == 6  # title, period, header + three cases
    assert cases["A3"].value == "案件编号" and cases.freeze_panes == "A4" and "2026-05-01" in cases["A2"].value


def test_pages_and_scope(client, users, add_entry, open_session, make_interview, make_case):
    _world(users, add_entry, open_session, make_interview, make_case)
    assert client.login(username="supervisor", password=PASSWORD)
    page = client.get(reverse("reporting:ledger"), {"from": "2026-05-01", "to": "2026-06-01"})
    assert page.status_code == 200 and "加班费" in page.content.decode()
    assert client.get(reverse("reporting:ledger_print"), {"from": "2026-05-01"}).status_code == 200
    assert client.get(reverse("reporting:ledger"), {"from": "bad"}).status_code == 400
    assert client.login(username="leader_2", password=PASSWORD)
    assert client.get(reverse("reporting:ledger"), {"unit": "DEMO-K1"}).status_code == 404
    assert "加班费" not in client.get(reverse("reporting:ledger"), {"from": "2026-05-01"}).content.decode()
    assert client.login(username="desk", password=PASSWORD)
    assert client.get(reverse("reporting:ledger")).status_code == 403
