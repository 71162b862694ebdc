"""``Idempotency-Key`` on the API's POSTs, and the answer built inside the write's transaction.

``@idempotent`` wraps a POST handler. For an authenticated caller the handler runs inside one
``transaction.atomic()``: the service's write, the re-read and the serialised answer, and —
when the request carries an ``Idempotency-Key`` — the stored key with that answer. So a
connection lost after the write commits can no longer turn into a "请稍后重试" for a case that
exists, and a client that retries with the same key gets the first answer (same status, same
body, header ``Idempotent-Replayed: true``) instead of a second case.

- Keys are per user: 1–100 visible ASCII characters; kept ``API_IDEMPOTENCY_TTL_HOURS`` (24).
- The same key with a different method, path or body: 422 ``idempotency_key_reused``.
- Only successful answers (2xx) are kept: a refused request wrote nothing, so repeating it
  is safe and is judged again.
- Two requests with one key at the same time: the unique ``(user, key)`` makes the second
  one's transaction fail and roll back its write; it then answers with the first's answer.
- Anonymous POSTs (the token endpoint, the worker portal) ignore the header and are not
  wrapped: their failed-attempt counters must survive a refusal.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from . import services as keys

HEADER = "Idempotency-Key"
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,100}$")


class InvalidIdempotencyKey(exceptions.ValidationError):
    default_detail = _("Idempotency-Key 应为 1 至 100 个可见的 ASCII 字符。")
    default_code = "invalid"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("该 Idempotency-Key 已用于另一个请求（路径或内容不同），请为新请求使用新的键。")
    default_code = "idempotency_key_reused"


def fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    raw = f"{request.method} {request.get_full_path()}\n{body}".encode()
    return hashlib.sha256(raw).hexdigest()


def _replay(record, print_) -> Response:
    if record.fingerprint != print_:
        raise IdempotencyKeyReused()
    return Response(record.body, status=record.status, headers={"Idempotent-Replayed": "true"})


def idempotent(handler):
    """Decorate an ``APIView.post``: see the module docstring."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        user = request.user
        if not (user and user.is_authenticated):
            return handler(self, request, *args, **kwargs)
        key = request.headers.get(HEADER)
        if key is None:
            with transaction.atomic():
                return handler(self, request, *args, **kwargs)
        if not _KEY_RE.match(key):
            raise InvalidIdempotencyKey({"idempotency_key": [InvalidIdempotencyKey.default_detail]})
        print_ = fingerprint(request)
        try:
            with transaction.atomic():
                record = keys.idempotency_key_find(user=user, key=key)
                if record is not None:
                    return _replay(record, print_)
                response = handler(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    keys.idempotency_key_store(
                        user=user, key=key, fingerprint=print_, status=response.status_code, body=response.data
                    )
                return response
        except IntegrityError:
            # The same key committed by a concurrent request first: this one's write rolled back.
            with transaction.atomic():
                record = keys.idempotency_key_find(user=user, key=key)
            if record is None:
                raise
            return _replay(record, print_)

    wrapper.idempotent = True
    return wrapper
