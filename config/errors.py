"""Server errors users can read: a reference id, never a traceback (handler500).

Every unhandled error gets a short reference id, is logged with it (logger
``casework.errors``, with the traceback) and answered with that id: a plain page (no
database, no base template: the error may be the database itself) or, under ``/api/``,
the API's error body plus ``reference``. A lost database connection (PostgreSQL
restarting, a failover) is not a bug but a retry-able condition: 503 with ``Retry-After``.
The API's own handler (``casework.api.errors``) uses ``server_error_body`` for the same.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import Context, Engine
from django.utils.translation import gettext as _

logger = logging.getLogger("casework.errors")

RETRY_AFTER_SECONDS = 5

PAGE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main>
<h1>{{ title }}</h1>
<p>{{ message }}</p>
<p>{{ reference_label }}<code>{{ reference }}</code></p>
<p><a href="/">{{ home }}</a></p>
</main></body></html>
"""


def new_reference() -> str:
    return secrets.token_hex(6)


def is_retryable(exc: BaseException | None) -> bool:
    """The database went away (restart, failover, network): the same request may succeed later."""
    return isinstance(exc, OperationalError | InterfaceError)


def report(exc: BaseException | None, request=None) -> tuple[str, int]:
    """Log the error with a new reference id; return (reference, status)."""
    reference = new_reference()
    path = getattr(request, "path", "")
    retryable = is_retryable(exc)
    logger.error(
        "error %s on %s (%s)",
        reference,
        path,
        "database unavailable" if retryable else "unhandled",
        exc_info=(type(exc), exc, exc.__traceback__) if exc is not None else None,
    )
    return reference, (503 if retryable else 500)


def server_error_body(exc: BaseException | None, request=None) -> tuple[dict, int, dict]:
    """The JSON error body (status, code, message, fields, reference), the status, the headers."""
    reference, status = report(exc, request)
    if status == 503:
        code, message = "unavailable", _("系统暂时无法访问数据库，请稍后重试。")
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    else:
        code, message = "server_error", _("服务器内部错误，请稍后重试。")
        headers = {}
    message = f"{message}{_('（错误编号：%(reference)s）') % {'reference': reference}}"
    body = {"status": status, "code": code, "message": message, "fields": {}, "reference": reference}
    return body, status, {**headers, "X-Error-Reference": reference}


def server_error(request, *args, **kwargs):
    """handler500: called inside Django's ``except`` block, so ``sys.exc_info()`` is the error."""
    exc = sys.exc_info()[1]
    body, status, headers = server_error_body(exc, request)
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        title = _("暂时无法访问") if status == 503 else _("服务器出错了")
        context = Context(
            {
                "title": title,
                "message": body["message"],
                "reference_label": _("如需联系管理员，请提供错误编号："),
                "reference": body["reference"],
                "home": _("返回首页"),
            }
        )
        html = Engine(debug=False).from_string(PAGE).render(context)
        response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    for name, value in headers.items():
        response[name] = str(value)
    return response
