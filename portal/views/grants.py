"""The worker's proven access in the browser session (pages) — 30 minutes from proving it."""

from __future__ import annotations

import time

from ..services.access import Grant

SESSION_KEY = "portal_grant"
GRANT_SECONDS = 30 * 60


def current(request) -> Grant | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > GRANT_SECONDS:
        return None
    return Grant.from_dict(data.get("grant"))


def remember(request, grant: Grant) -> None:
    """Add ``grant`` to what the session may see (a new submission joins the earlier access)."""
    held = current(request)
    if held is not None:
        grant = Grant(
            sorted(set(held.submissions) | set(grant.submissions)),
            sorted(set(held.cases) | set(grant.cases)),
            grant.via,
        )
    request.session.cycle_key()  # a new session id once access is proven
    request.session[SESSION_KEY] = {"grant": grant.as_dict(), "at": time.time()}


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
