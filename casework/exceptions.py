"""Errors a user can hit, each with a Chinese message and a stable machine code.

The API maps them once to HTTP status codes (``http_status``); pages show them as
form errors or messages.
"""

from django.utils.translation import gettext_lazy as _


class CaseworkError(Exception):
    http_status = 400
    code = "invalid"
    default_message = _("请求无效。")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))


class InvalidInput(CaseworkError):
    """Bad input: ``fields`` maps field names to lists of messages."""

    http_status = 400
    code = "invalid"
    default_message = _("填写的内容有误，请检查后重试。")


class NotAllowed(CaseworkError):
    http_status = 403
    code = "forbidden"
    default_message = _("您没有权限执行此操作。")


class CaseNotFound(CaseworkError):
    http_status = 404
    code = "not_found"
    default_message = _("案件不存在，或您无权查看。")


class TransitionRefused(CaseworkError):
    http_status = 409
    code = "invalid_status"
    default_message = _("案件当前状态下不能执行此操作。")


class CaseChanged(CaseworkError):
    http_status = 409
    code = "conflict"
    default_message = _("案件已被他人更新，请刷新页面后重试。")
