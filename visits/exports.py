"""The interview register as .xlsx (in the paper form's column order) and the printable form.

The PDF comes from the same template as the printable page, through casework's WeasyPrint
helper (``casework.views.pdf.render_pdf``), which answers 503 with a Chinese message when
WeasyPrint or a CJK font is missing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import xlsx
from casework.clock import now
from casework.views.pdf import render_pdf
from casework.xlsx import XLSX_TYPE

from . import selectors


def register_columns() -> list[tuple[str, object]]:
    """(header, value of an interview) in the order of the 个案访谈登记表."""

    def yes(v):
        return _("是") if v else _("否")

    def person(u):
        return (u.get_full_name() or u.get_username()) if u else ""

    return [
        (_("个案编号"), lambda i: i.number),
        (_("所在地区"), lambda i: i.region),
        (_("工作单位"), lambda i: i.employer),
        (_("姓名"), lambda i: i.worker_name),
        (_("性别"), lambda i: i.get_gender_display() if i.gender != "unknown" else ""),
        (_("出生年月"), lambda i: i.birth_month),
        (_("户籍所在地"), lambda i: i.hukou),
        (_("民族"), lambda i: i.ethnicity),
        (_("政治面貌"), lambda i: i.political_status),
        (_("受教育程度"), lambda i: i.education),
        (_("现任职务或岗位"), lambda i: i.post),
        (_("职称（技术等级）"), lambda i: i.technical_title),
        (_("农民工"), lambda i: yes(i.migrant)),
        (_("劳务派遣工"), lambda i: yes(i.dispatched)),
        (_("备注"), lambda i: i.remark),
        (_("访问地点"), lambda i: i.place),
        (_("访问时间"), lambda i: timezone.localtime(i.interviewed_at).strftime("%Y-%m-%d %H:%M")),
        (_("访问员（签名）"), lambda i: person(i.interviewer)),
        (_("访问记录原稿页数"), lambda i: i.original_pages),
        (_("整理后的个案材料页数"), lambda i: i.cleaned_pages),
        (_("调查组负责人（签名）"), lambda i: person(i.signed_off_by)),
        (_("访谈情况记录"), lambda i: i.notes),
        (_("登记案件编号"), lambda i: i.case.number if i.case_id else ""),
    ]


def register_workbook(interviews, title: str, period: str) -> bytes:
    columns = register_columns()
    rows = ([value(interview) for _header, value in columns] for interview in interviews)
    sheet = xlsx.Sheet(_("个案访谈登记册"), [header for header, _value in columns], rows, wrap=True)
    return xlsx.workbook_bytes([sheet], title=title, period=period)


@login_required
def group_register_xlsx(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    rows = selectors.interview_register(group.interviews.all())
    title = _("个案访谈登记册") + " · " + group.name
    response = HttpResponse(register_workbook(rows, title, _interview_period(rows)), content_type=XLSX_TYPE)
    stamp = timezone.localtime(now()).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="interviews-{group.pk}-{stamp}.xlsx"'
    return response


def _interview_period(interviews) -> str:
    """From the first interview's day to the last one's (the register covers what the group did)."""
    days = sorted(timezone.localdate(i.interviewed_at) for i in interviews)
    return xlsx.period_label(days[0], days[-1]) if days else _("统计期间：尚无访谈")


def _print_context(request, interview):
    return {
        "interview": interview,
        "show_contact": False,  # the paper form has no phone line
        "title": _("个案访谈登记表"),
    }


@login_required
def interview_print(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    return render(request, "visits/interview_print.html", _print_context(request, interview))


@login_required
def interview_pdf(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    filename = f"interview-{interview.group_id}-{interview.number}.pdf"
    return render_pdf(request, "visits/interview_print.html", _print_context(request, interview), filename)


@login_required
def enterprises_xlsx(request):
    """企业类型与工会工作情况: the enterprises of the user's subtree, one row each."""
    from django.http import Http404

    from casework import rules as case_rules
    from casework.models import OrgUnit
    from casework.models.org import UnitKind

    from .models import UNION_FACTS, EnterpriseProfile, EnterpriseType

    profile = case_rules.profile(request.user)
    if profile is None and not request.user.is_superuser:
        raise Http404
    qs = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True).select_related("visit_profile", "parent")
    if not request.user.is_superuser:
        qs = qs.filter(path__startswith=profile.unit.path)
    fact_labels = [str(EnterpriseProfile._meta.get_field(f).verbose_name) for f in UNION_FACTS]
    headers = [_("企业"), _("上级单位"), _("职工人数"), *[str(t.label) for t in EnterpriseType], *fact_labels]
    rows = []
    for unit in qs.order_by("path").iterator(chunk_size=500):
        p = getattr(unit, "visit_profile", None)
        flags = [bool(p and getattr(p, t.value)) for t in EnterpriseType] + [
            bool(p and getattr(p, f)) for f in UNION_FACTS
        ]
        rows.append([unit.name, unit.parent.name if unit.parent else "", p.employees if p else None]
                    + [_("是") if f else "" for f in flags])  # fmt: skip
    unit_name = profile.unit.name if profile else _("全部单位")
    body = xlsx.workbook_bytes(
        [xlsx.Sheet(_("企业类型"), headers, rows)],
        title=unit_name + " · " + _("企业类型与工会工作情况"),
        period=_("统计时点：%(day)s") % {"day": timezone.localdate(now())},
    )
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="enterprises.xlsx"'
    return response
