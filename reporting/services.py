"""Writes of 定期上报: draft, edit, submit (figures frozen), return with a comment, record onward.

One transaction each, the report row locked before its status is read; a refused call writes
nothing. The unit head (a leader of the unit itself) or their delegate (the unit's admin)
signs and submits; the union above (its leaders, supervisors, admins) returns.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS, Role

from . import deadlines, selectors
from .models import OnwardReport, PeriodReport, ReportingPeriod, ReportStatus

NARRATIVE = ("work_done", "typical_cases", "problems", "next_steps")


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _save(obj, actor, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def is_member(user, unit: OrgUnit) -> bool:
    p = case_rules.profile(user)
    return p is not None and p.unit_id == unit.pk


def is_head(user, unit: OrgUnit) -> bool:
    """The unit head (a leader of the unit itself) or their delegate (the unit's admin)."""
    p = case_rules.profile(user)
    return p is not None and user.is_active and p.unit_id == unit.pk and p.role in (Role.LEADER, Role.ADMIN)


def is_upper(user, unit: OrgUnit) -> bool:
    """A leader, supervisor or admin of a union above ``unit``."""
    p = case_rules.profile(user)
    return (
        p is not None
        and p.role in (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
        and unit.path.startswith(p.unit.path)
        and p.unit_id != unit.pk
    )


def period_save(
    *, actor, name: str, kind: str, starts_on: dt.date, ends_on: dt.date, due_on: dt.date, warn_days: int | None = None
) -> ReportingPeriod:
    """A reporting period (quarterly, half-year, the year's summary due end of November, a campaign)."""
    from django.core.exceptions import ValidationError

    period = ReportingPeriod.objects.filter(name=_text(name)).first() or ReportingPeriod(name=_text(name))
    period.kind, period.starts_on, period.ends_on, period.due_on = kind, starts_on, ends_on, due_on
    if warn_days is not None:
        period.warn_days = warn_days
    try:
        period.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None
    with transaction.atomic():
        _save(period, actor, _("设置上报期间"))
    return period


def report_start(*, actor, period: ReportingPeriod, unit: OrgUnit) -> PeriodReport:
    """起草: the unit's report for the period, its 工作简报 prefilled from the live figures."""
    if unit.kind not in FEDERATION_KINDS or unit.parent_id is None:
        raise InvalidInput(fields={"unit": [_("只有县级、市级总工会向上级工会定期上报。")]})
    if not is_member(actor, unit):
        raise NotAllowed(_("只有本单位工作人员可以起草本单位的上报材料。"))
    if not period.active:
        raise InvalidInput(_("该上报期间已停用。"))
    with transaction.atomic():
        existing = PeriodReport.objects.select_for_update().filter(period=period, unit=unit).first()
        if existing is not None:
            return existing
        figures = selectors.live_figures(period, unit)
        report = PeriodReport(
            period=period, unit=unit, created_by=actor, created_at=now(),
            work_done=selectors.prefill_work_done(figures), typical_cases=selectors.prefill_typical(figures),
        )  # fmt: skip
        _save(report, actor, _("起草上报材料"))
        return report


def _locked(report: PeriodReport) -> PeriodReport:
    return PeriodReport.objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=report.pk)


def report_edit(*, actor, report: PeriodReport, **narrative) -> PeriodReport:
    """Edit the 工作简报 — not once submitted (a returned report is editable again)."""
    unknown = set(narrative) - set(NARRATIVE)
    if unknown:
        raise InvalidInput(fields={k: [_("未知字段。")] for k in sorted(unknown)})
    if any("\x00" in _text(v) for v in narrative.values()):
        raise InvalidInput(_("不能包含空字符。"))
    with transaction.atomic():
        report = _locked(report)
        if not is_member(actor, report.unit):
            raise NotAllowed(_("只有本单位工作人员可以修改本单位的上报材料。"))
        if report.status == ReportStatus.SUBMITTED:
            raise InvalidInput(_("上报材料已上报，不能再修改；如需修改请由上级工会退回。"))
        for name, value in narrative.items():
            setattr(report, name, _text(value))
        _save(report, actor, _("修改上报材料"))
        return report


def report_submit(*, actor, report: PeriodReport) -> PeriodReport:
    """签发上报: the figures and the systemic issues are frozen now; once per period."""
    with transaction.atomic():
        report = _locked(report)
        if not is_head(actor, report.unit):
            raise NotAllowed(_("只有本单位负责人（或其委托的管理员）可以签发上报。"))
        if report.status == ReportStatus.SUBMITTED:
            raise InvalidInput(_("本期材料已上报，不能重复上报。"))
        if not report.work_done:
            raise InvalidInput(fields={"work_done": [_("请填写主要工作。")]})
        figures = selectors.live_figures(report.period, report.unit)
        report.figures = figures
        report.systemic = figures.pop("systemic_cases", [])
        report.status, report.submitted_by, report.submitted_at = ReportStatus.SUBMITTED, actor, now()
        _save(report, actor, _("签发上报"))
        deadlines.stop(report, report.submitted_at)
        return report


def report_return(*, actor, report: PeriodReport, comment: str) -> PeriodReport:
    """退回: the union above sends a submitted report back, with a comment."""
    comment = _text(comment)
    if not comment:
        raise InvalidInput(fields={"comment": [_("退回须填写意见。")]})
    with transaction.atomic():
        report = _locked(report)
        if not is_upper(actor, report.unit):
            raise NotAllowed(_("只有上级工会可以退回上报材料。"))
        if report.status != ReportStatus.SUBMITTED:
            raise InvalidInput(_("只有已上报的材料可以退回。"))
        report.status = ReportStatus.RETURNED
        report.returned_by, report.returned_at, report.return_comment = actor, now(), comment
        _save(report, actor, comment)
        deadlines.restart(report)
        return report


def onward_record(
    *, actor, report: PeriodReport, recipient: str, reported_on: dt.date, content: str, response: str = ""
) -> OnwardReport:
    """The upper union records to whom it reported the systemic issues onward, when, and what came back."""
    if not is_upper(actor, report.unit):
        raise NotAllowed(_("只有上级工会可以记录向上报送情况。"))
    errors: dict[str, list[str]] = {}
    if recipient not in OnwardReport.Recipient.values:
        errors["recipient"] = [_("请选择报送对象。")]
    if not _text(content):
        errors["content"] = [_("请填写报送内容。")]
    if not isinstance(reported_on, dt.date) or reported_on > timezone.localdate(now()):
        errors["reported_on"] = [_("报送日期不能晚于今天。")]
    if errors:
        raise InvalidInput(fields=errors)
    onward = OnwardReport(report=report, recipient=recipient, reported_on=reported_on, content=_text(content),
                          response=_text(response), created_by=actor, created_at=now())  # fmt: skip
    with transaction.atomic():
        _save(onward, actor, _("记录向上报送"))
    return onward
