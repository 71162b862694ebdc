"""The shared .xlsx layout: title, period, fitted widths (CJK counts double), frozen header, no formulas."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from casework import xlsx
from tests.xlsx_layout import assert_layout


def test_cjk_characters_count_double():
    assert xlsx.text_width("abc") == 3
    assert xlsx.text_width("案件编号") == 8
    assert xlsx.text_width("GH-2026-000001 王") == 17
    assert xlsx.text_width("短\n很长的一行") == 10  # the longest line
    assert xlsx.text_width(None) == 0


def test_widths_fit_the_widest_cell_within_bounds():
    widths = xlsx.column_widths(["号", "反映问题"], [["1", "拖欠工资三个月"], ["2", "x" * 500]])
    assert widths == [xlsx.MIN_WIDTH, xlsx.MAX_WIDTH]
    assert xlsx.column_widths(["单位", "n"], [["东城区总工会", 12345]]) == [14, 7]


def test_workbook_is_titled_period_labelled_frozen_and_guarded():
    rows = ([n, f"企业{n}", "=1+1" if n == 2 else "-"] for n in range(1, 500))
    body = xlsx.workbook_bytes(
        [xlsx.Sheet("表一", ["序号", "所在企业名称", "备注"], rows), xlsx.Sheet("表二", ["空"], [])],
        title="东城区总工会 · 测试",
        period=xlsx.period_label("2026-01-01", "2026-06-30"),
    )
    wb = load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["表一", "表二"]
    ws = wb["表一"]
    assert_layout(ws, title="东城区总工会 · 测试", period="2026-01-01 至 2026-06-30", header="序号")
    assert ws.column_dimensions["B"].width == xlsx.text_width("所在企业名称") + 2  # the header is the widest
    assert ws["C5"].value == "'=1+1" and ws["C4"].value == "'-"  # never a live formula
    assert ws.max_row == 3 + 499  # rows past the width sample are all written
    assert_layout(wb["表二"], title="测试", period="2026-01-01", header="空")


def test_the_sheet_name_is_cut_to_excels_limit():
    body = xlsx.workbook_bytes([xlsx.Sheet("长" * 40, ["a"], [])], title="t", period="统计期间：—")
    assert load_workbook(io.BytesIO(body)).sheetnames == ["长" * 31]
