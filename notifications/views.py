"""The notification list (the bell's page) and the user's channel preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import events, selectors, services
from .exceptions import NotificationError
from .models import ChannelCode

PAGE_SIZE = 25


@login_required
def notification_list(request):
    items = selectors.inbox(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        items = items.filter(read_at__isnull=True)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread": selectors.unread_count(request.user),
            "title": _("通知"),
        },
    )


@login_required
@require_POST
def read(request, pk: int):
    try:
        n = services.notification_mark_read(user=request.user, notification_id=pk)
    except NotificationError:
        raise Http404 from None
    target = request.POST.get("next") or n.link
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    if _wants_json(request):
        return JsonResponse({"read": count, "unread": selectors.unread_count(request.user)})
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return _back(request)


@login_required
def dropdown(request):
    """The bell's dropdown (an HTML fragment the bell's script loads): the latest unread
    notifications, repeats of one kind about one case shown once with a count."""
    return render(
        request,
        "notifications/_dropdown.html",
        {"groups": selectors.unread_groups(request.user), "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def read_group(request):
    """Mark one line of the dropdown read (``ids``: its notifications, comma-separated)."""
    ids = [i for i in (request.POST.get("ids") or "").split(",") if i.strip()][:500]
    try:
        count = services.notification_mark_many_read(user=request.user, ids=ids)
    except NotificationError as exc:
        if _wants_json(request):
            return JsonResponse({"detail": str(exc.message)}, status=exc.status)
        raise Http404 from None
    if _wants_json(request):
        return JsonResponse({"read": count, "unread": selectors.unread_count(request.user)})
    return _back(request)


@login_required
def preferences(request):
    optional = events.optional_events()
    current = selectors.preferences(request.user)
    if request.method == "POST":
        try:
            for spec in optional:
                chosen = [c for c in request.POST.getlist(f"ev_{spec.code}") if c]
                services.preference_set(user=request.user, event=spec.code, channels=chosen)
        except NotificationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    labels = dict(ChannelCode.choices)
    rows = [
        {
            "code": spec.code,
            "label": spec.label,
            "channels": [
                {"code": c, "label": labels[c], "checked": c in current.get(spec.code, spec.default)}
                for c in spec.allowed
            ],
        }
        for spec in optional
    ]
    mandatory = [spec for spec in events.EVENTS.values() if spec.mandatory]
    return render(
        request, "notifications/preferences.html", {"rows": rows, "mandatory": mandatory, "title": _("通知设置")}
    )
