"""What every .xlsx export looks like (``casework.xlsx``): shared by the apps' export tests."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def workbook(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body))


def assert_layout(ws, *, title: str, period: str, header: str) -> None:
    """Title in A1 (bold), the period in A2, headers in row 3 (bold), panes frozen below them,
    and each column at least as wide as its header in Excel's units (a CJK character counts 2)."""
    assert title in ws["A1"].value and ws["A1"].font.b
    assert ws["A2"].value.startswith("统计") and period in ws["A2"].value
    assert ws["A3"].value == header and ws["A3"].font.b
    assert ws.freeze_panes == "A4"
    for cell in ws[3]:
        if cell.value:
            need = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(cell.value))
            assert ws.column_dimensions[cell.column_letter].width >= need, cell.value
