"""Inbox, queue, archive and the case list, in the Material shell."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors
from ..clock import now
from ..models import Category, Channel
from ..models.case import Level, Status

PAGE_SIZE = 25


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _task_list(request, tasks, title: str, kind: str):
    page = _page(request, tasks)
    page.object_list = selectors.with_cases(page.object_list)
    return render(request, "casework/task_list.html", {"page": page, "title": title, "kind": kind, "now": now()})


@login_required
def inbox(request):
    return _task_list(request, selectors.inbox(request.user), _("待办任务"), "inbox")


@login_required
def queue(request):
    return _task_list(request, selectors.queue(request.user), _("单位待认领"), "queue")


@login_required
def archive(request):
    return _task_list(request, selectors.archive(request.user), _("已办任务"), "archive")


@login_required
def case_list(request):
    """All cases the user may see, filtered and searched, by due date."""
    cases = selectors.visible_cases(request.user).select_related(*selectors.CASE_RELATED)
    f = request.GET
    if f.get("status") in Status.values:
        cases = cases.filter(status=f["status"])
    if f.get("level") in Level.values:
        cases = cases.filter(level=f["level"])
    if f.get("category"):
        cases = cases.filter(category__code=f["category"])
    if f.get("channel"):
        cases = cases.filter(channel__code=f["channel"])
    if f.get("overdue") == "1":
        cases = cases.filter(due_at__lt=now())
    q = (f.get("q") or "").strip()[:100]
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(worker__name__icontains=q) | Q(enterprise__name__icontains=q))
    order = "-due_at" if f.get("sort") == "-due" else "due_at"
    cases = (
        cases.order_by(order, "-received_at") if f.get("sort") in ("due", "-due") else cases.order_by("-received_at")
    )
    return render(
        request,
        "casework/case_list.html",
        {
            "page": _page(request, cases),
            "title": _("案件查询"),
            "statuses": Status.choices,
            "levels": Level.choices,
            "categories": Category.objects.filter(active=True),
            "channels": Channel.objects.filter(active=True),
            "filters": f,
            "now": now(),
        },
    )
