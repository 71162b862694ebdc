import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..deadlines import deadline_state as _deadline_state
from ..deadlines import is_due_provisional

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


def last_day(due: dt.datetime) -> dt.date:
    """The last day one may still act: a deadline at local midnight ends the day before
    (a limit counted in days ends at 00:00 of the next day)."""
    local = timezone.localtime(due)
    day = local.date()
    return day - dt.timedelta(days=1) if local.time() == dt.time(0) else day


@register.filter
def due_day(due, now=None):
    """``12月19日前`` (with the year when it is not this year's): the deadline as its last day."""
    if not due:
        return "—"
    day = last_day(due)
    this_year = timezone.localdate(now).year if now else timezone.localdate().year
    if day.year == this_year:
        return _("%(m)d月%(d)d日前") % {"m": day.month, "d": day.day}
    return _("%(y)d年%(m)d月%(d)d日前") % {"y": day.year, "m": day.month, "d": day.day}


@register.filter
def due_left(due, now):
    """剩余 N 天 / 今天到期 / 超期 N 天, counted in calendar days against the last day."""
    if not due or now is None:
        return ""
    left = (last_day(due) - timezone.localdate(now)).days
    if left > 0:
        return _("剩余 %(n)d 天") % {"n": left}
    if left == 0:
        return _("今天到期")
    return _("超期 %(n)d 天") % {"n": -left}


@register.filter
def due_date(due):
    """The deadline's last day in full (``2026年12月19日``), for letters and receipts."""
    if not due:
        return ""
    day = last_day(due)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
