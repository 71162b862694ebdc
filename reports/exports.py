"""Exports: the 工作台账 ledger and every report as .xlsx (streamed, write-only) and CSV.

The xlsx is built by ``casework.xlsx`` (title, period, fitted widths, frozen header) on openpyxl's
write-only workbook, which spools each sheet to a temporary file row by row, so memory stays flat
however many rows; the ledger reads the database with ``iterator(chunk_size=…)`` and
``values_list`` (no model instances).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import xlsx
from casework.models import Case
from casework.models.case import Outcome, ReplyMethod, Satisfaction, status_label
from casework.xlsx import safe_cell

Table = tuple[str, list[str], Iterable[list]]  # (sheet title, headers, rows)
CHUNK = 2000


def ledger_headers() -> list[str]:
    return [
        _("案件编号"), _("受理时间"), _("受理渠道"), _("诉求类别"), _("所在企业"), _("属地"), _("受理单位"),
        _("承办单位"), _("首问负责人"), _("包案领导"), _("承办人"), _("职工姓名"), _("涉及人数"),
        _("反映问题"), _("职工诉求（意见）"), _("办理情况"), _("办理结果"), _("结果形成层级"), _("形成结果时间"),
        _("答复方式"), _("答复时间"), _("办结时间"), _("职工评价"), _("回访意见"), _("复查次数"), _("状态"),
    ]  # fmt: skip


def _full_name(prefix: str):
    return Coalesce(
        NullIf(Concat(f"{prefix}__last_name", f"{prefix}__first_name", output_field=CharField()), Value("")),
        f"{prefix}__username",
        output_field=CharField(),
    )


def ledger_rows(cases) -> Iterator[list]:
    """A row per case (the ledger); 承办人 is whoever recorded the result. No phone or ID number."""
    resolver = (
        Case.history.filter(id=OuterRef("pk"), last_action="resolve")
        .order_by("-history_date")
        .annotate(n=_full_name("history_user"))
        .values("n")[:1]
    )
    labels = {
        "outcome": dict(Outcome.choices),
        "reply": dict(ReplyMethod.choices),
        "sat": dict(Satisfaction.choices),
        "level": {"enterprise": _("企业层面"), "union": _("工会层面"), "government": _("党委政府层面")},
    }
    qs = (
        cases.order_by("received_at", "pk")
        .annotate(owner_name=_full_name("owner"), leader_name=_full_name("leader"), resolver=Subquery(resolver))
        .values_list(
            "number",
            "received_at",
            "channel__name",
            "category__name",
            "enterprise__name",
            "county__name",
            "receiving_unit__name",
            "handling_unit__name",
            "owner_name",
            "leader_name",
            "resolver",
            "worker__name",
            "workers_involved",
            "summary",
            "request",
            "result",
            "outcome",
            "answered_level",
            "answered_at",
            "reply_method",
            "replied_at",
            "closed_at",
            "satisfaction",
            "satisfaction_comment",
            "reopen_count",
            "status",
        )  # fmt: skip
    )
    for r in qs.iterator(chunk_size=CHUNK):
        yield [
            r[0], _dt(r[1]), r[2], r[3], r[4], r[5], r[6], r[7] or "", r[8] or "", r[9] or "", r[10] or "", r[11],
            r[12], r[13], r[14], r[15], str(labels["outcome"].get(r[16], "")), str(labels["level"].get(r[17], "")),
            _dt(r[18]), str(labels["reply"].get(r[19], "")), _dt(r[20]), _dt(r[21]), str(labels["sat"].get(r[22], "")),
            r[23], r[24], status_label(r[25], r[20] is not None),
        ]  # fmt: skip


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _pct(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def report_tables(report: dict) -> list[Table]:
    """The period report as tables (one sheet each in xlsx, one section each in CSV)."""
    p = report["period"]
    summary = [
        [_("统计区间"), f"{p['from']} — {p['to']}"],
        [_("单位"), p.get("unit_name") or _("全部")],
        [_("受理量"), report["received"]],
        [_("办理中"), report["open"]],
        *[[report["outcome_labels"][c], n] for c, n in report["outcomes"].items()],
        [_("复查（重办）案件"), report["reopened"]],
        [_("延期申请 / 批准"), f"{report['extensions']['requested']} / {report['extensions']['approved']}"],
        [_("倾向性、普遍性问题"), report["systemic"]],
        [_("按时办结率"), _pct(report["on_time_rate"])],
        [_("响应率"), _pct(report["response_rate"])],
        [_("解决率"), _pct(report["resolution_rate"])],
        [_("满意率"), _pct(report["satisfaction_rate"])],
        [_("参评率"), _pct(report["rated_share"])],
    ]
    return [
        (_("概况"), [_("指标"), _("数值")], summary),
        (_("按渠道"), [_("渠道"), _("件数")], [[r["name"], r["count"]] for r in report["by_channel"]]),
        (_("按类别"), [_("类别"), _("件数")], [[r["name"], r["count"]] for r in report["by_category"]]),
        (_("按层级"), [_("到达的最高层级"), _("件数")], [[r["name"], r["count"]] for r in report["by_level"]]),
        (
            _("环节时限"),
            [_("环节"), _("已判定"), _("按期"), _("超期"), _("进行中"), _("按时率"), _("延期申请"), _("延期批准")],
            [
                [
                    s["name"],
                    s["judged"],
                    s["on_time"],
                    s["late"],
                    s["running"],
                    _pct(s["on_time_rate"]),
                    s["extensions_requested"],
                    s["extensions_approved"],
                ]
                for s in report["stages"]
            ],
        ),  # fmt: skip
        (
            _("办理用时"),
            [_("层级"), _("已结束"), _("平均（天）"), _("第90百分位（天）")],
            [[h["name"], h["finished"], h["avg_days"], h["p90_days"]] for h in report["handling_time"]],
        ),
        (
            _("满意度"),
            [_("评价"), _("件数")],
            [[report["satisfaction_labels"][c], n] for c, n in report["satisfaction"].items()],
        ),
        (_("指标定义"), [_("指标"), _("定义")], [[k, v] for k, v in report["definitions"].items()]),
    ]


def xlsx_file(tables: list[Table], *, title: str, period: str):
    """Write the tables to a temporary .xlsx (``casework.xlsx``'s layout) and return the open file at 0."""
    return xlsx.workbook_file([xlsx.Sheet(t, headers, rows) for t, headers, rows in tables], title=title, period=period)


def xlsx_response(tables: list[Table], filename: str, *, title: str, period: str) -> FileResponse:
    sheets = [xlsx.Sheet(t, headers, rows) for t, headers, rows in tables]
    return xlsx.xlsx_response(sheets, filename, title=title, period=period)


def csv_chunks(tables: list[Table]) -> Iterator[str]:
    """UTF-8 with a BOM (so Excel reads the Chinese), tables separated by a blank line."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for i, (title, headers, rows) in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([f"# {title}"])
        writer.writerow([str(h) for h in headers])
        for n, row in enumerate(rows):
            writer.writerow([safe_cell(v) for v in row])
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def csv_response(tables: list[Table], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(fmt: str, tables: list[Table], filename: str, *, title: str, period: str):
    """The tables as a download in ``fmt`` (``xlsx``, titled and period-labelled, or ``csv``)."""
    if fmt == "xlsx":
        return xlsx_response(tables, filename, title=title, period=period)
    return csv_response(tables, filename)
