"""Every .xlsx the project hands out, laid out one way.

Each sheet reads: row 1 the title (bold), row 2 the period it covers, row 3 the column
headers (bold), data from row 4; the panes are frozen below the headers, and each column is
as wide as its header and the first ``SAMPLE`` rows need (a CJK character counts double,
capped at ``MAX_WIDTH``). The workbook is openpyxl's write-only one, which spools each sheet
to a temporary file row by row, so a ledger of a million rows keeps memory flat: only the
sample rows are held to measure the widths before the sheet is written.

It lives in casework, the bottom layer, so that reports, reporting, visits and campaign all
use it without an import against the dependency direction (docs/architecture.md).
"""

from __future__ import annotations

import io
import itertools
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE = 200
MIN_WIDTH = 6
MAX_WIDTH = 60
HEADER_ROW = 3  # title, period, headers; data below
FREEZE = f"A{HEADER_ROW + 1}"


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab name, column headers and rows (any iterable, read once)."""

    name: str
    headers: Sequence
    rows: Iterable[Sequence]
    wrap: bool = False  # wrap long text in data cells (small sheets only: it styles every cell)


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is kept as text (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def period_label(date_from, date_to) -> str:
    return _("统计期间：%(a)s 至 %(b)s") % {"a": date_from, "b": date_to}


def text_width(value) -> int:
    """Display width of a cell's text in Excel's character units: wide (CJK) characters count 2."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in longest)


def column_widths(headers: Sequence, rows: Sequence[Sequence]) -> list[int]:
    widths = [text_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], text_width(value))
            else:
                widths.append(text_width(value))
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def _write_sheet(workbook, sheet: Sheet, title: str, period: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(title=str(sheet.name)[:31])
    rows = iter(sheet.rows)
    sample = [[safe_cell(v) for v in row] for row in itertools.islice(rows, SAMPLE)]
    headers = [str(h) for h in sheet.headers]
    for i, width in enumerate(column_widths(headers, sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = FREEZE

    def styled(value, **style):
        cell = WriteOnlyCell(ws, value=value)
        for key, val in style.items():
            setattr(cell, key, val)
        return cell

    ws.append([styled(str(title), font=Font(bold=True, size=14))])
    ws.append([str(period)])
    bold = Font(bold=True)
    ws.append([styled(h, font=bold) for h in headers])
    wrap = Alignment(wrap_text=True, vertical="top")

    def out(row):
        return [styled(v, alignment=wrap) for v in row] if sheet.wrap else row

    for row in sample:
        ws.append(out(row))
    for row in rows:
        ws.append(out([safe_cell(v) for v in row]))


def write_workbook(target, sheets: Iterable[Sheet], *, title: str, period: str) -> None:
    """Write the sheets, each titled and period-labelled, to ``target`` (a path or a binary file)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet, title, period)
    workbook.save(target)


def workbook_file(sheets: Iterable[Sheet], *, title: str, period: str):
    """The workbook in a temporary file, open and positioned at 0 (for a ``FileResponse``)."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller (FileResponse) closes it
    write_workbook(out, sheets, title=title, period=period)
    out.seek(0)
    return out


def workbook_bytes(sheets: Iterable[Sheet], *, title: str, period: str) -> bytes:
    out = io.BytesIO()
    write_workbook(out, sheets, title=title, period=period)
    return out.getvalue()


def xlsx_response(sheets: Iterable[Sheet], filename: str, *, title: str, period: str):
    from django.http import FileResponse

    return FileResponse(
        workbook_file(sheets, title=title, period=period),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_TYPE,
    )
