"""Every API error as JSON: ``{"status", "code", "message", "fields"}``.

``message`` is Chinese (gettext), ``code`` is stable for machines, ``fields`` maps a
field path (``worker.phone``) to its messages. Unknown exceptions are logged and
answered with a JSON 500, but the fuzz tests pin that no input reaches that branch.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from ..exceptions import CaseworkError
from .throttling import throttle_refused_credentials

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("请求内容过大。")
    default_code = "too_large"


class UnknownAction(exceptions.NotFound):
    default_detail = _("没有这个操作。")
    default_code = "unknown_action"


# DRF exception class → (code, Chinese message); the message replaces DRF's English one.
_DRF = [
    (exceptions.NotAuthenticated, "not_authenticated", _("请先登录或提供有效的令牌。")),
    (exceptions.AuthenticationFailed, "authentication_failed", None),
    (exceptions.PermissionDenied, "forbidden", _("您没有权限执行此操作。")),
    (exceptions.NotFound, "not_found", _("请求的对象不存在，或您无权查看。")),
    (exceptions.MethodNotAllowed, "method_not_allowed", _("不支持该请求方法。")),
    (exceptions.NotAcceptable, "not_acceptable", _("无法按请求的格式返回内容。")),
    (exceptions.UnsupportedMediaType, "unsupported_media_type", _("请求体应为 JSON（application/json）。")),
    (exceptions.Throttled, "throttled", _("请求过于频繁，请稍后再试。")),
    (exceptions.ParseError, "malformed", _("请求体不是有效的 JSON。")),
]


# DRF messages that are not marked for translation (so no catalogue can give them Chinese).
_UNTRANSLATED = {"No data provided": _("请求体为空，应为 JSON 对象。")}


def _text(item) -> str:
    text = str(item)
    return str(_UNTRANSLATED.get(text, text))


def error_body(status_code: int, code: str, message, fields: dict | None = None) -> dict:
    return {"status": status_code, "code": code, "message": str(message), "fields": fields or {}}


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → ``{"worker.phone": ["..."]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (name or prefix)
            for k, v in flatten(value, path).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out.setdefault(prefix, []).extend(_text(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                for k, v in flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix, []).append(_text(detail))
    return out


def _validation(exc: exceptions.ValidationError) -> Response:
    fields = flatten(exc.detail)
    general = fields.pop("", None)
    message = general[0] if general else _("填写的内容有误，请检查后重试。")
    if general and len(general) > 1:
        fields["non_field_errors"] = general
    code = "invalid_credentials" if getattr(exc, "casework_code", "") == "invalid_credentials" else "invalid"
    return Response(error_body(400, code, message, fields), status=400)


def exception_handler(exc, context):
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        exc = throttle_refused_credentials(context.get("request"), context.get("view")) or exc
    if isinstance(exc, CaseworkError):
        fields = {str(k): [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for k, v in exc.fields.items()}
        return Response(error_body(exc.http_status, exc.code, exc.message, fields), status=exc.http_status)
    if isinstance(exc, exceptions.ValidationError):
        return _validation(exc)
    if isinstance(exc, Http404):
        return Response(error_body(404, "not_found", _("请求的对象不存在，或您无权查看。")), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body(403, "forbidden", _("您没有权限执行此操作。")), status=403)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(413, "too_large", PayloadTooLarge.default_detail), status=413)
    if isinstance(exc, TooManyFieldsSent | SuspiciousOperation):
        return Response(error_body(400, "invalid", _("请求无效。")), status=400)
    if isinstance(exc, exceptions.APIException):
        code, message = exc.default_code, exc.detail
        if not isinstance(exc, UnknownAction | PayloadTooLarge):
            for cls, c, m in _DRF:
                if isinstance(exc, cls):
                    code, message = c, (m or exc.detail)
                    break
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        return Response(error_body(exc.status_code, code, message), status=exc.status_code, headers=headers)
    # Logged with a reference id the body carries too (``config.errors``); a lost database
    # connection is 503 + Retry-After, not 500.
    from config.errors import server_error_body

    body, status_code, headers = server_error_body(exc, context.get("request"))
    return Response(body, status=status_code, headers=headers)


def page_not_found(request, exception=None):
    """JSON 404 for unknown paths under /api/ (wired as ``handler404`` in config/urls.py)."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(404, "not_found", _("请求的地址不存在。")), status=404)
    from django.views.defaults import page_not_found as default

    return default(request, exception)
