"""Batch import of petitions from a hotline export (CSV or .xlsx).

Each row is shaped by the API's registration serializer (``CaseIn``) and registered by
``services.case_register`` — the same rules as the desk and ``POST /cases/``. All rows run
in one transaction, each in its own savepoint: when any row is bad, everything is rolled
back and only the per-row report is returned, unless ``skip_invalid`` keeps the good rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .. import services
from ..exceptions import CaseworkError
from ..models import Category, Channel
from .errors import flatten
from .serializers import CaseIn, WorkerIn

MAX_ROWS = 10000

# Column headings: our field names, or the Chinese headings a hotline export uses.
HEADINGS = {
    "姓名": "name",
    "职工姓名": "name",
    "性别": "gender",
    "联系电话": "phone",
    "电话": "phone",
    "身份证号码": "id_number",
    "身份证号": "id_number",
    "出生年月": "birth_month",
    "户籍所在地": "hukou",
    "民族": "ethnicity",
    "政治面貌": "political_status",
    "文化程度": "education",
    "工作岗位": "post",
    "技术职称": "technical_title",
    "农民工": "migrant",
    "劳务派遣工": "dispatched",
    "省": "province",
    "市": "city",
    "区县": "county",
    "企业代码": "enterprise",
    "所在企业": "enterprise",
    "诉求类别": "category",
    "受理渠道": "channel",
    "反映问题": "summary",
    "职工诉求": "request",
    "涉及人数": "workers_involved",
    "紧急": "urgent",
    "同意": "consent",
    "已告知并同意": "consent",
    "受理地点": "place",
    "受理时间": "received_at",
}
GENDERS = {"男": "male", "女": "female", "未说明": "unknown"}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}


@dataclass
class RowError:
    row: int  # as the user sees it in the file: the heading is row 1
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    imported: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no heading, too many rows)."""


def read_rows(data: bytes, filename: str) -> list[dict]:
    """The data rows as ``{heading: value}`` dicts (CSV in UTF-8 or GB18030, or .xlsx)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        table = _xlsx(data)
    elif suffix in (".csv", ".txt"):
        table = _csv(data)
    else:
        raise ImportFileError(_("只支持 CSV 或 .xlsx 文件。"))
    table = [row for row in table if any(str(v or "").strip() for v in row)]
    if not table:
        raise ImportFileError(_("文件为空。"))
    heading = [str(h or "").strip() for h in table[0]]
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
    return [dict(zip(heading, row, strict=False)) for row in table[1:]]


def _csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text)))
    raise ImportFileError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV。"))


def _xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException: not a workbook
        raise ImportFileError(_("无法读取该 .xlsx 文件。")) from None
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _flag(value, name: str, errors: dict) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    errors[name] = [_("应为“是”或“否”。")]
    return False


def _code(model, value: str) -> str:
    """A code, or the Chinese name of an active category / channel."""
    found = model.objects.filter(name=value, active=True).values_list("code", flat=True).first()
    return found or value


def row_to_body(row: dict) -> tuple[dict, dict]:
    """One file row → the body of ``POST /cases/`` (and errors of the row's own format)."""
    values: dict = {}
    for heading, value in row.items():
        name = HEADINGS.get(heading, heading)
        if name:
            values[name] = value
    errors: dict = {}
    worker = {}
    for name in WorkerIn().fields:
        if name in ("migrant", "dispatched"):
            worker[name] = _flag(values.get(name), name, errors)
        elif name in values:
            worker[name] = _text(values[name])
    if "gender" in worker:
        worker["gender"] = GENDERS.get(worker["gender"], worker["gender"] or "unknown")
    body = {
        "worker": worker,
        "enterprise": _text(values.get("enterprise")),
        "category": _code(Category, _text(values.get("category"))),
        "channel": _code(Channel, _text(values.get("channel"))),
        "summary": _text(values.get("summary")),
        "request": _text(values.get("request")),
        "workers_involved": _text(values.get("workers_involved")) or 1,
        "urgent": _flag(values.get("urgent"), "urgent", errors),
        "consent": _flag(values.get("consent"), "consent", errors),
        "place": _text(values.get("place")),
    }
    if _text(values.get("received_at")):
        body["received_at"] = _text(values.get("received_at"))
    return body, errors


class _RollBack(Exception):
    pass


def import_rows(rows: list[dict], *, actor, skip_invalid: bool = False, accept: bool = True) -> ImportReport:
    """Register every row; all or nothing unless ``skip_invalid``. Returns the per-row report."""
    report = ImportReport(rows=len(rows))
    try:
        with transaction.atomic():
            for index, row in enumerate(rows, start=2):
                _import_one(index, row, actor=actor, accept=accept, report=report)
            if report.errors and not skip_invalid:
                raise _RollBack()
    except _RollBack:
        report.imported = []
    return report


def _import_one(index: int, row: dict, *, actor, accept: bool, report: ImportReport) -> None:
    body, errors = row_to_body(row)
    shaped = CaseIn(data=body)
    if not shaped.is_valid() or errors:
        fields = {**flatten(shaped.errors), **errors}
        report.errors.extend(RowError(index, f, str(m)) for f, ms in fields.items() for m in ms)
        return
    d = shaped.validated_data
    data = services.CaseInput(
        worker=dict(d["worker"]),
        enterprise=d["enterprise"],
        category=d["category"],
        channel=d["channel"],
        summary=d["summary"],
        request=d["request"],
        consent=d["consent"],
        workers_involved=d["workers_involved"],
        urgent=d["urgent"],
        place=d["place"],
        received_at=d["received_at"],
    )
    try:
        with transaction.atomic():
            case = services.case_register(actor=actor, data=data, accept=accept)
    except CaseworkError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.fields.items()} or {"": [str(exc.message)]}
        report.errors.extend(RowError(index, f, m) for f, ms in fields.items() for m in ms)
        return
    report.imported.append(case.number)


def import_file(data: bytes, filename: str, *, actor, skip_invalid: bool = False) -> ImportReport:
    return import_rows(read_rows(data, filename), actor=actor, skip_invalid=skip_invalid)
