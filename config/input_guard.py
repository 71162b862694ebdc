"""Bad input stops at the door: one layer before any view, so no query string or path
can reach a view in a shape that makes it fail with a 500.

``InputGuardMiddleware`` refuses, with a Chinese message (a page, or the API's JSON error
body under ``/api/``):

- a NUL character (``%00``) anywhere in the path (404: no such page) or in a query
  parameter's name or value (400);
- a body larger than ``REQUEST_MAX_BODY_BYTES`` by its ``Content-Length`` (413; the proxy
  in front should refuse it earlier, docs/operations.md);
- a number-like query parameter (``page``, ``offset``, ``limit``, …; ``NUMBER_PARAMS``)
  that is all digits but longer than ``MAX_NUMBER_DIGITS``: beyond any page or count, and
  beyond what the database's integers hold (400);
- a date-like query parameter (``from``, ``to``, …; ``DATE_PARAMS``) whose year is outside
  ``YEARS`` (400): a report from 9999 would overflow the date arithmetic behind it.

Path segments that a URL converter turns into an integer are bounded too: an ``<int:pk>``
above ``MAX_ID`` is a 404 (no row has that id), before the database is asked (SQLite's and
PostgreSQL's integers stop at 2⁶³ − 1). Everything else stays with the views' own validation (forms, serializers).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

NUMBER_PARAMS = frozenset({"page", "offset", "limit", "page_size", "per_page", "size", "year", "days", "n", "count"})
DATE_PARAMS = frozenset({"from", "to", "since", "until", "date", "day", "start", "end", "date_from", "date_to"})
MAX_NUMBER_DIGITS = 9
YEARS = (1900, 2999)
MAX_ID = 2**63 - 1
_YEAR = re.compile(r"^\s*[+-]?(\d{1,6})(?=[-/年.]|$)")


def _id_out_of_range(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in match.kwargs.values())


def _too_big(request) -> bool:
    limit = getattr(settings, "REQUEST_MAX_BODY_BYTES", None)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django's own parser answers a malformed length
    return bool(limit) and length > limit


def query_problem(name: str, value: str) -> str | None:
    """Why a query parameter is refused, or None."""
    if "\x00" in name or "\x00" in value:
        return _("请求参数中含有不允许的空字符（NUL）。")
    key = name.lower()
    if (
        key in NUMBER_PARAMS
        and value.strip().lstrip("+-").isdigit()
        and len(value.strip().lstrip("+-")) > MAX_NUMBER_DIGITS
    ):
        return _("参数“%(name)s”的数值过大。") % {"name": name}
    if key in DATE_PARAMS:
        m = _YEAR.match(value)
        if m and len(m.group(1)) >= 4 and not YEARS[0] <= int(m.group(1)) <= YEARS[1]:
            return _("参数“%(name)s”的日期超出范围（%(low)d—%(high)d 年）。") % {
                "name": name,
                "low": YEARS[0],
                "high": YEARS[1],
            }
    return None


def refusal(request, status: int, message: str):
    """The refusal as the API's error body under ``/api/``, else a small Chinese page."""
    code = {400: "invalid", 404: "not_found", 413: "too_large"}.get(status, "invalid")
    if request.path.startswith("/api/"):
        body = {"status": status, "code": code, "message": str(message), "fields": {}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    from django.utils.html import escape

    page = (
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{t}</title></head>'
        '<body><main><h1>{t}</h1><p>{m}</p><p><a href="/">{h}</a></p></main></body></html>'
    ).format(t=escape(_("请求无效")), m=escape(message), h=escape(_("返回首页")))
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _id_out_of_range(request.path_info):
            return refusal(request, 404, _("页面不存在。"))
        if _too_big(request):
            limit = settings.REQUEST_MAX_BODY_BYTES // (1024 * 1024)
            return refusal(request, 413, _("请求内容过大（上限 %(mb)d MB）。") % {"mb": limit})
        for name, values in request.GET.lists():
            for value in values:
                problem = query_problem(name, value)
                if problem:
                    return refusal(request, 400, problem)
        return self.get_response(request)
