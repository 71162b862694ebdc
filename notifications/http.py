"""A small HTTP POST client with keep-alive per host (webhooks and the SMS gateway).

Standard library only: one connection per (scheme, host) for the life of a delivery
run, reopened once when the server closed an idle keep-alive connection.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from . import conf


class PostError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class HttpPoster:
    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = timeout if timeout is not None else conf.get("NOTIFICATIONS_HTTP_TIMEOUT")
        self._connections: dict[tuple[str, str], http.client.HTTPConnection] = {}

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST and return ``(status, first bytes of the answer)``; non-2xx raises ``PostError``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PostError(f"not an http(s) URL: {url}", permanent=True)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (parts.scheme, parts.netloc)
        for attempt in (1, 2):
            reused = key in self._connections
            conn = self._connections.get(key) or self._open(parts)
            self._connections[key] = conn
            try:
                conn.request("POST", target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self._drop(key)
                if (
                    reused
                    and attempt == 1
                    and isinstance(exc, http.client.RemoteDisconnected | BrokenPipeError | ConnectionResetError)
                ):
                    continue  # the server closed an idle keep-alive connection: reopen once
                raise PostError(f"{type(exc).__name__}: {exc}") from exc
            if response.will_close:
                self._drop(key)
            if not 200 <= response.status < 300:
                raise PostError(f"HTTP {response.status}: {data[:200].decode('utf-8', 'replace')}")
            return response.status, data[:2000]
        raise PostError("connection closed")  # pragma: no cover

    def _open(self, parts) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        return cls(parts.hostname, parts.port, timeout=self.timeout)

    def _drop(self, key) -> None:
        conn = self._connections.pop(key, None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        for key in list(self._connections):
            self._drop(key)
