"""The interview register as .xlsx (in the paper form's column order) and the printable form.

The PDF comes from the same template as the printable page, through casework's WeasyPrint
helper (``casework.views.pdf.render_pdf``), which answers 503 with a Chinese message when
WeasyPrint or a CJK font is missing.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clock import now
from casework.views.pdf import render_pdf

from . import selectors
from .views import contact_context

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_columns() -> list[tuple[str, object]]:
    """(header, value of an interview) in the order of the 个案访谈登记表."""

    def yes(v):
        return _("是") if v else _("否")

    def person(u):
        return (u.get_full_name() or u.get_username()) if u else ""

    return [
        (_("个案访谈编号"), lambda i: i.number),
        (_("地区"), lambda i: i.region),
        (_("工作单位"), lambda i: i.employer),
        (_("姓名"), lambda i: i.worker_name),
        (_("性别"), lambda i: i.get_gender_display() if i.gender != "unknown" else ""),
        (_("出生年月"), lambda i: i.birth_month),
        (_("户籍所在地"), lambda i: i.hukou),
        (_("民族"), lambda i: i.ethnicity),
        (_("政治面貌"), lambda i: i.political_status),
        (_("文化程度"), lambda i: i.education),
        (_("工作岗位"), lambda i: i.post),
        (_("技术职称"), lambda i: i.technical_title),
        (_("农民工"), lambda i: yes(i.migrant)),
        (_("劳务派遣工"), lambda i: yes(i.dispatched)),
        (_("访谈情况记录"), lambda i: i.notes),
        (_("访谈地点"), lambda i: i.place),
        (_("访谈时间"), lambda i: timezone.localtime(i.interviewed_at).strftime("%Y-%m-%d %H:%M")),
        (_("访谈人"), lambda i: person(i.interviewer)),
        (_("原始记录页数"), lambda i: i.original_pages),
        (_("整理记录页数"), lambda i: i.cleaned_pages),
        (_("组长签字"), lambda i: person(i.signed_off_by)),
        (_("登记案件编号"), lambda i: i.case.number if i.case_id else ""),
    ]


def _safe(value):
    """Text that a spreadsheet would run as a formula is kept as text (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def register_workbook(interviews, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    columns = register_columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("个案访谈登记册")[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([header for header, _value in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for interview in interviews:
        ws.append([_safe(value(interview)) for _header, value in columns])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def group_register_xlsx(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    rows = selectors.interview_register(group.interviews.all())
    title = _("个案访谈登记册") + " · " + group.name
    response = HttpResponse(register_workbook(rows, title), content_type=XLSX_TYPE)
    stamp = timezone.localtime(now()).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="interviews-{group.pk}-{stamp}.xlsx"'
    return response


def _print_context(request, interview, kind: str):
    return {**contact_context(request, interview, kind), "title": _("个案访谈登记表")}


@login_required
def interview_print(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    return render(request, "visits/interview_print.html", _print_context(request, interview, "print"))


@login_required
def interview_pdf(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    filename = f"interview-{interview.group_id}-{interview.number}.pdf"
    return render_pdf(request, "visits/interview_print.html", _print_context(request, interview, "pdf"), filename)
