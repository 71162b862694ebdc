"""定期上报 pages: draft, edit, submit, return; printables; county B sees none of county A's."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import OrgUnit
from casework.models.org import Role
from casework.services.org import staff_ensure
from casework.views.pdf import weasyprint_ready
from reporting.models import PeriodReport, ReportingPeriod, ReportStatus
from tests.xlsx_layout import assert_layout

from ..conftest import PASSWORD


@pytest.fixture
def period(morning):
    return ReportingPeriod.objects.create(
        name="2026年第二季度", kind="quarter", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30),
        due_on=dt.date(2026, 7, 10),
    )  # fmt: skip


def _login(client, name):
    assert client.login(username=name, password=PASSWORD)


def test_draft_edit_submit_return_over_http(client, users, period, make_case):
    make_case()
    staff_ensure(username="city_leader", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-C1"), role=Role.LEADER)
    _login(client, "desk")
    assert client.get(reverse("reporting:periods")).status_code == 200
    response = client.post(reverse("reporting:start", args=[period.pk]))
    report = PeriodReport.objects.get()
    assert response["Location"] == reverse("reporting:report", args=[report.pk])
    narrative = {"work_done": "开展接待日三次。", "typical_cases": "", "problems": "欠薪多发", "next_steps": "专项行动"}
    assert client.post(reverse("reporting:report", args=[report.pk]), narrative).status_code == 302
    page = client.post(reverse("reporting:submit", args=[report.pk]), follow=True).content.decode()
    assert "只有本单位负责人" in page
    _login(client, "leader")
    client.post(reverse("reporting:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.problems == "欠薪多发"
    page = client.post(reverse("reporting:submit", args=[report.pk]), follow=True).content.decode()
    assert "不能重复上报" in page
    _login(client, "desk")
    assert client.post(reverse("reporting:report", args=[report.pk]), narrative).status_code == 403
    _login(client, "city_leader")
    page = client.get(reverse("reporting:periods")).content.decode()
    assert "东城区总工会" in page and "已按时上报" in page and "西城区总工会" in page
    page = client.post(reverse("reporting:return", args=[report.pk]), {"comment": ""}, follow=True).content.decode()
    assert "退回须填写意见" in page
    client.post(reverse("reporting:return", args=[report.pk]), {"comment": "请补充典型案例"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_printables(client, users, period):
    _login(client, "desk")
    client.post(reverse("reporting:start", args=[period.pk]))
    report = PeriodReport.objects.get()
    _login(client, "leader")
    client.post(reverse("reporting:submit", args=[report.pk]))
    page = client.get(reverse("reporting:print", args=[report.pk])).content.decode()
    assert "工作简报" in page and "签发人" in page
    wb = load_workbook(io.BytesIO(client.get(reverse("reporting:xlsx", args=[report.pk])).content))
    assert wb.sheetnames == ["上报数据", "工作简报", "倾向性、普遍性问题"]
    period_text = f"{report.period.starts_on} 至 {report.period.ends_on}"
    assert_layout(wb["上报数据"], title=report.period.name, period=period_text, header="指标")
    assert_layout(wb["倾向性、普遍性问题"], title=report.unit.name, period=period_text, header="案件编号")
    ready, why = weasyprint_ready()
    if not ready:
        pytest.skip(f"PDF rendering unavailable here: {why}")
    assert client.get(reverse("reporting:pdf", args=[report.pk])).content.startswith(b"%PDF-")


def test_county_b_sees_none_of_county_a(client, users, period):
    _login(client, "desk")
    client.post(reverse("reporting:start", args=[period.pk]))
    report = PeriodReport.objects.get()
    _login(client, "leader_2")
    for name in ("report", "print", "xlsx"):
        assert client.get(reverse(f"reporting:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("reporting:submit", args=[report.pk])).status_code == 404
    assert client.post(reverse("reporting:return", args=[report.pk]), {"comment": "x"}).status_code == 404
