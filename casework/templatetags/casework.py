from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import clock, dates
from ..deadlines import deadline_state as _deadline_state
from ..deadlines import due_soon_horizon, is_due_provisional

register = template.Library()

_LABELS = {
    "ok": _("期限内"),
    "warning": _("临近期限"),
    "overdue": _("已超期"),
    "paused": _("已挂起"),
    "none": _("无期限"),
}


@register.filter
def deadline_state(case, now):
    return _deadline_state(case, now)


@register.filter
def due_provisional(case):
    """The deadline is provisional (暂定: counted past the loaded holiday schedule)."""
    return is_due_provisional(case)


@register.filter
def deadline_label(state):
    return _LABELS.get(state, state)


@register.filter
def task_title(flow_task):
    """The node's annotated title (e.g. 层级办理)."""
    return getattr(flow_task, "task_title", None) or str(flow_task)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with ``kwargs`` replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def duration_days(delta):
    if delta is None:
        return ""
    days = delta.total_seconds() / 86400
    return _("%(d).1f 天") % {"d": days}


@register.filter
def since_days(start, now):
    """Days from ``start`` until ``now`` (time spent at a level still open)."""
    if start is None or now is None:
        return ""
    return duration_days(now - start)


@register.filter
def hides_worker(case, user) -> bool:
    """``rules.hides_worker``: the case is anonymous towards the enterprise and ``user`` is on its side."""
    from .. import rules

    return rules.hides_worker(case, user if hasattr(user, "is_authenticated") else None)


@register.filter
def worker_name(case, user) -> str:
    """The worker's name as ``user`` may see it (对企业匿名: none for the enterprise's side)."""
    return str(_("（对企业匿名）")) if hides_worker(case, user) else case.worker.name


@register.filter
def day(value) -> str:
    """``2026年12月19日``: the one way a day reads (``casework.dates.format_day``)."""
    return dates.format_day(value)


@register.filter
def moment(value) -> str:
    """``2026年12月19日 09:30``: the one way a moment reads (``casework.dates.format_moment``)."""
    return dates.format_moment(value)


@register.filter
def due_day(due, now=None):
    """``12月19日前`` (with the year when it is not this year's): the deadline as its last day."""
    return dates.due_day(due, now)


@register.filter
def due_left(due, now=None):
    """剩余 N 天 / 今天到期 / 超期 N 天, counted in calendar days against the last day."""
    return dates.due_left(due, now)


@register.filter
def due_date(due):
    """The deadline's last day in full (``2026年12月19日``), for letters and receipts."""
    return dates.due_date(due)


@register.filter
def due_short(due):
    """The deadline's last day without the year (``12月19日``), where a text must stay short (SMS)."""
    if not due:
        return ""
    day = dates.last_day(due)
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}


@register.inclusion_tag("casework/_due.html", takes_context=True)
def due(context, value, running=True, with_day=True):
    """A deadline that is a day or a moment, as the case lists show one: ``12月19日前`` and,
    while ``running``, ``剩余 N 天`` / ``超期 N 天`` (alone without ``with_day``); yellow when
    due within the working days casework calls 即将超期 (``deadlines.due_soon_horizon``, read
    once per page), red when past."""
    at = context.get("now") or clock.now()
    if not value:
        return {"value": None}
    if "cw_due_soon_until" not in context.render_context:
        context.render_context["cw_due_soon_until"] = timezone.localtime(due_soon_horizon(at)).date()
    left = dates.days_left(value, at)
    soon = dates.last_day(value) < context.render_context["cw_due_soon_until"]
    state = "overdue" if left < 0 else "warning" if soon else "ok"
    return {
        "value": value,
        "iso": dates.last_day(value).isoformat(),
        "day": dates.due_day(value, at) if with_day else "",
        "left": dates.due_left(value, at) if running else "",
        "state": state,
    }
