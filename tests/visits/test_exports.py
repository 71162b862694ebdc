"""The interview register (.xlsx, form column order) and the printable form (page and PDF)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.views.pdf import weasyprint_ready
from tests.xlsx_layout import assert_layout
from visits import services
from visits.exports import register_columns

from ..conftest import PASSWORD

FORM_ORDER = [
    "个案编号", "所在地区", "工作单位", "姓名", "性别", "出生年月", "户籍所在地", "民族", "政治面貌", "受教育程度",
    "现任职务或岗位", "职称（技术等级）", "农民工", "劳务派遣工", "备注", "访问地点", "访问时间", "访问员（签名）",
    "访问记录原稿页数", "整理后的个案材料页数", "调查组负责人（签名）", "访谈情况记录", "登记案件编号",
]


def test_register_columns_follow_the_form(world):
    assert [h for h, _v in register_columns()] == FORM_ORDER


def test_register_xlsx(client, users, group, make_visit, make_interview):
    visit = make_visit()
    first = make_interview(visit=visit)
    make_interview(visit=visit, worker_name="=HYPERLINK(\"x\")", migrant=False)
    services.interview_sign_off(actor=users["leader"], interview=first)
    case = services.interview_file_case(actor=users["desk"], interview=first)
    assert client.login(username="supervisor", password=PASSWORD)
    response = client.get(reverse("visits:register_xlsx", args=[group.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "个案访谈登记册" in rows[0][0] and rows[1][0].startswith("统计期间：")
    assert list(rows[2]) == FORM_ORDER
    assert_layout(ws, title=group.name, period="统计期间：", header="个案编号")
    one = dict(zip(FORM_ORDER, rows[3], strict=True))
    assert one["个案编号"] == 1
    assert one["所在地区"] == "江东省临江市东城区"
    assert (one["姓名"], one["性别"], one["出生年月"], one["农民工"]) == ("王大力", "男", "1982-05", "是")
    assert one["调查组负责人（签名）"] == "区总工会陈主席"
    assert one["登记案件编号"] == case.number
    two = dict(zip(FORM_ORDER, rows[4], strict=True))
    assert two["个案编号"] == 2
    assert two["姓名"].startswith("'=")  # never a live formula
    assert len(rows) == 5


def test_printable_form_and_pdf(client, users, make_interview):
    interview = make_interview()
    assert client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("visits:interview_print", args=[interview.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "个案访谈登记表" in text and "王大力" in text and "装配工" in text
    ready, why = weasyprint_ready()
    if not ready:
        pytest.skip(f"PDF rendering unavailable here: {why}")
    response = client.get(reverse("visits:interview_pdf", args=[interview.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
