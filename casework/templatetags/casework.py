from django import template
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
