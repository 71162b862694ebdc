"""Inbox, queue, archive and the case list, in the Material shell.

All four share one filter bar (status, level, category, channel, overdue, search) and
sort by due date; each page costs a fixed number of queries (pinned in tests).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import bulk, selectors
from ..clock import now
from ..deadlines import DUE_SOON_WORKING_DAYS, due_soon_horizon
from ..models import CaseWatch, Category, Channel, SavedFilter
from ..models.case import OPEN_STATUSES, Level, Status, status_choices, status_lookup
from ..pagination import CappedPaginator

PAGE_SIZE = 25
CASE = "process__caseprocess__case__"
BY_DUE = (F(CASE + "due_at").asc(nulls_last=True), "pk")
BY_DUE_CASE = (F("due_at").asc(nulls_last=True), "pk")


def _page(request, items):
    return CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def apply_filters(qs, f, prefix: str = "", context: dict | None = None, user=None):
    """Filter a case (or task, with ``prefix``) queryset by the filter bar's values.

    A category or channel the filter bar lists (``context``, its active ones) is filtered by
    its id: a constant the planner weighs with the case table's statistics, where a join on
    the code is guessed at a sixth of the cases (a channel no case uses scanned all 10⁶).
    ``user``: the searcher (``search.search_filter``)."""

    def k(name):
        return prefix + name

    lookup = status_lookup(f.get("status") or "")
    if lookup is not None:
        qs = qs.filter(**{k(name): value for name, value in lookup.items()})
    if f.get("level") in Level.values:
        qs = qs.filter(**{k("level"): f["level"]})
    for name, rows in (("category", "categories"), ("channel", "channels")):
        code = (f.get(name) or "")[:40]
        if not code:
            continue
        known = {row.code: row.pk for row in (context or {}).get(rows, ())}
        by = {k(name + "_id"): known[code]} if code in known else {k(name + "__code"): code}
        qs = qs.filter(**by)
    if f.get("overdue") == "1":
        qs = qs.filter(**{k("due_at__lt"): now(), k("paused_at__isnull"): True})
    q = (f.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(selectors.search_filter(q, prefix, user=user))
    return qs


# 个人视图 of the case list (``?view=``): each narrows the user's visible cases, never widens them.
PERSONAL_VIEWS = {
    "mine": gettext_lazy("我的包案"),
    "watched": gettext_lazy("我关注的"),
    "due_soon": gettext_lazy("即将超期"),
    "led": gettext_lazy("包案台账"),
}
CLOCKED = [*OPEN_STATUSES, Status.ANSWERED]  # the statuses whose stage runs a clock


def apply_view(qs, view: str, user, prefix: str = ""):
    """``qs`` narrowed to the personal view ``view`` (an unknown one: unchanged)."""

    def k(name):
        return prefix + name

    if view == "mine":
        return qs.filter(**{k("leader"): user})
    if view == "watched":
        return qs.filter(**{k("pk__in"): CaseWatch.objects.filter(user=user).values("case_id")})
    if view == "led":
        return qs.filter(**{k("leader__isnull"): False})
    if view == "due_soon":
        at = now()
        soon = Q(**{k("warn_at__lte"): at}) | Q(**{k("due_at__lt"): due_soon_horizon(at)})
        return qs.filter(soon, **{k("status__in"): CLOCKED, k("paused_at__isnull"): True, k("due_at__gt"): at})
    return qs


def _sorted(qs, sort: str, prefix: str, default):
    due = F(prefix + "due_at")
    if sort == "due":
        return qs.order_by(due.asc(nulls_last=True), "pk")
    if sort == "-due":
        return qs.order_by(due.desc(nulls_last=True), "pk")
    return qs.order_by(*default)


def _filter_context(request, page: str = "list"):
    view = request.GET.get("view", "")
    return {
        "list_page": page,
        "views": list(PERSONAL_VIEWS.items()) if page == "list" else [],
        "view": view if view in PERSONAL_VIEWS and page == "list" else "",
        "due_soon_days": DUE_SOON_WORKING_DAYS,
        "saved_filters": list(SavedFilter.objects.filter(user=request.user, page=page))
        if request.user.is_authenticated
        else [],
        "query": request.GET.urlencode(),
        "bulk_actions": [(code, bulk.BULK_ACTIONS[code]) for code in bulk.bulk_actions_for(request.user)],
        "statuses": status_choices(),
        "levels": Level.choices,
        "categories": list(Category.objects.filter(active=True)),
        "channels": list(Channel.objects.filter(active=True)),
        "filters": request.GET,
        "sort": request.GET.get("sort", ""),
        "filtered": any(request.GET.get(n) for n in ("status", "level", "category", "channel", "overdue", "q", "view")),
        "search_hint": _("单个字只匹配案件编号；按职工姓名、企业名称或反映内容搜索请至少输入 %(n)s 个字。")
        % {"n": selectors.SEARCH_MIN_LENGTH}
        if 0 < len((request.GET.get("q") or "").strip()) < selectors.SEARCH_MIN_LENGTH
        else "",
    }


def _task_list(request, tasks, title: str, kind: str, default_order):
    filters = _filter_context(request, kind)
    tasks = tasks.select_related(None).select_related(*selectors.TASK_PAGE_RELATED)
    tasks = apply_filters(tasks, request.GET, CASE, filters, user=request.user)
    tasks = _sorted(tasks, request.GET.get("sort", ""), CASE, default_order)
    page = _page(request, tasks)
    page.object_list = selectors.with_cases(page.object_list)
    context = {"page": page, "title": title, "kind": kind, "now": now(), **filters}
    return render(request, "casework/task_list.html", context)


@login_required
def inbox(request):
    return _task_list(request, selectors.inbox(request.user), _("待办任务"), "inbox", BY_DUE)


@login_required
def queue(request):
    return _task_list(request, selectors.queue(request.user), _("单位待认领"), "queue", BY_DUE)


@login_required
def archive(request):
    return _task_list(request, selectors.archive(request.user), _("已办任务"), "archive", ("-finished", "-pk"))


@login_required
def case_list(request):
    """All cases the user may see, filtered and searched."""
    filters = _filter_context(request)
    cases = selectors.visible_cases(request.user, listing=True).select_related(*selectors.LIST_RELATED)
    cases = apply_filters(cases, request.GET, context=filters, user=request.user)
    cases = apply_view(cases, filters["view"], request.user)
    if filters["view"] in ("mine", "led"):
        cases = cases.select_related("leader")  # the 包案领导 column
    default = BY_DUE_CASE if filters["view"] == "due_soon" else ("-received_at", "-pk")
    cases = _sorted(cases, request.GET.get("sort", ""), "", default)
    title = PERSONAL_VIEWS[filters["view"]] if filters["view"] else _("案件查询")
    context = {"page": _page(request, cases), "title": title, "now": now(), **filters}
    return render(request, "casework/case_list.html", context)
