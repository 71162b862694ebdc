"""JSON bodies only, and never larger than ``settings.API_MAX_BODY_BYTES`` (else 413)."""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .errors import PayloadTooLarge


def _reject_constant(name: str):
    raise ValueError(name)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = getattr(settings, "API_MAX_BODY_BYTES", 256 * 1024)
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if length and int(length) > limit:
                raise PayloadTooLarge()
        except ValueError:
            pass
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            # NaN/Infinity are not JSON; refuse them like any other malformed body.
            return json.loads(text, parse_constant=_reject_constant)
        except (ValueError, LookupError, RecursionError):
            raise ParseError(_("请求体不是有效的 JSON。")) from None
