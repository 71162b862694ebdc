"""Input fields that turn every odd value into a 400, never a database error."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

_SURROGATE = re.compile("[\ud800-\udfff]")
TEXT_MAX = 5000  # long free text (summary, request, results); a hotline record is far shorter


class Text(serializers.CharField):
    """A string: no NUL (DRF's default check), no lone UTF-16 surrogates, bounded length."""

    default_error_messages = {
        "surrogate": _("包含无效的字符。"),
        "invalid": _("应为文本。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if _SURROGATE.search(value):
            self.fail("surrogate")
        return value


def clean_query_text(value: str, limit: int = 100) -> str:
    """Free text from a query string, made safe for any database."""
    value = _SURROGATE.sub("", (value or "").replace("\x00", ""))
    return value.strip()[:limit]
