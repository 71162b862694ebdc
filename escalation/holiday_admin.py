"""粘贴通知录入: the admin page where an administrator pastes the State Council's notice,
checks the days read from it, and saves them (``/admin/escalation/holidayschedule/paste/``).

Two steps: "解析预览" reads the text and shows every day, the lines that could not be read
(errors: nothing can be saved) and the lines not taken; "确认生效" (permission
``escalation.confirm_holidayschedule``) or "保存为草稿" reads the same text again and saves
it through ``services.holidays`` — the page keeps nothing between the two requests.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.exceptions import CaseworkError

from .forms import HolidayNoticeForm
from .holiday_notice import ParsedNotice, parse_notice
from .models import DayKind, HolidayDay, HolidaySchedule, ScheduleStatus
from .services.holidays import holiday_schedule_save

WEEKDAYS = "一二三四五六日"


def _current(year: int | None) -> HolidaySchedule | None:
    if year is None:
        return None
    return HolidaySchedule.objects.filter(year=year, status=ScheduleStatus.CONFIRMED).first()


def _changes(notice: ParsedNotice, current: HolidaySchedule | None) -> dict | None:
    """What the notice changes against the year's confirmed schedule (a revision)."""
    if current is None:
        return None
    before = {d.date: d.kind for d in HolidayDay.objects.filter(schedule=current)}
    after = {d.date: d.kind for d in notice.days}
    labels = dict(DayKind.choices)
    return {
        "added": [(day, labels[kind]) for day, kind in sorted(after.items()) if before.get(day) != kind],
        "removed": [(day, labels[kind]) for day, kind in sorted(before.items()) if day not in after],
    }


def paste_notice_view(request):
    if not request.user.has_perm("escalation.add_holidayschedule"):
        raise PermissionDenied
    can_confirm = request.user.has_perm("escalation.confirm_holidayschedule")
    form = HolidayNoticeForm(request.POST or None)
    notice = None
    action = request.POST.get("action", "preview")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)  # add_error() below takes fields out of cleaned_data
        if action in ("confirm", "draft"):
            if action == "confirm" and not can_confirm:
                raise PermissionDenied
            try:
                schedule = holiday_schedule_save(
                    actor=request.user,
                    text=data["text"],
                    year=data["year"],
                    title=data["title"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    reason=data["reason"],
                    confirm=action == "confirm",
                )
            except CaseworkError as exc:
                for field, errors in (exc.fields or {}).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, str(error))
                if not exc.fields:
                    form.add_error(None, str(exc.message))
            else:
                if action == "confirm":
                    text = _("%(year)d年节假日安排已确认生效，重新计算了 %(moved)d 件案件的办理期限。") % {
                        "year": schedule.year,
                        "moved": getattr(schedule, "recomputed", 0),
                    }
                else:
                    text = _("%(year)d年节假日安排已保存为草稿，确认后生效。") % {"year": schedule.year}
                messages.success(request, text)
                return redirect(reverse("admin:escalation_holidayschedule_change", args=[schedule.pk]))
        notice = parse_notice(data["text"], year=data["year"])
    current = _current(notice.year) if notice else None
    context = {
        **admin.site.each_context(request),
        "form": form,
        "notice": notice,
        "days": [(d, WEEKDAYS[d.date.weekday()]) for d in notice.days] if notice else [],
        "current": current,
        "changes": _changes(notice, current) if notice and notice.ok else None,
        "can_confirm": can_confirm,
        "title": _("粘贴通知录入节假日安排"),
        "opts": HolidaySchedule._meta,
    }
    return TemplateResponse(request, "admin/escalation/holidayschedule/paste.html", context)
