"""Rate limits of the worker portal, per client address and per phone (Django's cache).

``PORTAL_LIMITS`` (settings) maps a scope to ``"count/seconds"``: at most ``count`` hits
per key in a fixed window of ``seconds``. Shared by the pages and the API, so a flood is
refused with 429 whichever door it comes through, before anything is written. With the
default local-memory cache the windows are per process; production uses Redis.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from casework.exceptions import CaseworkError


class TooManyRequests(CaseworkError):
    http_status = 429
    code = "throttled"
    default_message = _("操作过于频繁，请稍后再试。")


def _rate(scope: str) -> tuple[int, int]:
    count, seconds = str(settings.PORTAL_LIMITS[scope]).split("/")
    return int(count), int(seconds)


def hit(scope: str, key: str | None) -> None:
    """Count one hit of ``key`` in ``scope``; ``TooManyRequests`` once over the limit."""
    if not key:
        return
    count, seconds = _rate(scope)
    name = "portal-limit:" + scope + ":" + hashlib.sha256(str(key).encode()).hexdigest()[:32]
    if cache.add(name, 1, timeout=seconds):
        used = 1
    else:
        try:
            used = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.add(name, 1, timeout=seconds)
            used = 1
    if used > count:
        raise TooManyRequests()


def client_ip(request) -> str | None:
    """The client address as the API throttles and the login lockout see it (one rule:
    ``config.security.client_ip``, ``REST_FRAMEWORK["NUM_PROXIES"]``)."""
    from config.security import client_ip as resolve

    return resolve(request)


def over(scope: str, key: str | None) -> bool:
    """Whether ``key`` already used up ``scope``'s window (read only: nothing is counted)."""
    if not key:
        return False
    count, _seconds = _rate(scope)
    name = "portal-limit:" + scope + ":" + hashlib.sha256(str(key).encode()).hexdigest()[:32]
    return int(cache.get(name) or 0) >= count
