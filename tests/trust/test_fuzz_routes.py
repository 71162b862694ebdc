"""Issue #21 item 8: no input reaches a 500, on any HTML or API route, as any demo role.

The routes come from the URLconf (``test_access_matrix.all_urls``), so a new page is fuzzed
the day it is added. For each role and route: a plain GET records which query parameters the
view reads (a ``QueryDict`` that remembers the names asked for: forms, serializers and views
all read through it); then every one of them gets each hostile value at once (NUL, numbers
beyond bigint, years 9999 and 1, …); then each path segment gets hostile values (NUL, an
integer beyond bigint, an overlong string). Any 5xx fails, with the URL.

Plus the exact URLs of the issue, and what the refusals say (Chinese, JSON under ``/api/``).
"""

from __future__ import annotations

import re
import threading
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client

from config.input_guard import DATE_PARAMS, NUMBER_PARAMS

from .test_access_matrix import ROLES, _fill, all_urls, matrix  # noqa: F401 - matrix is a fixture

pytestmark = pytest.mark.django_db

_seen = threading.local()


class RecordingQueryDict(QueryDict):
    """A query dict that remembers every name a view asked for."""

    def _note(self, key):
        names = getattr(_seen, "names", None)
        if names is not None and isinstance(key, str):
            names.add(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


class RecordQueryParams:
    """Test-only middleware (last in the chain): the view gets a ``RecordingQueryDict``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        return self.get_response(request)


HOSTILE_VALUES = ["\x00", "99999999999999999999", "9999-12-31", "0001-01-01"]
HOSTILE_SEGMENTS = {
    "int": ["99999999999999999999"],
    "str": [quote("\x00"), "9" * 40],
}
# Never fuzzed: Django's admin (its own code, staff only) and the logout (it ends the session).
SKIP = {"logout"}


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.trust.test_fuzz_routes.RecordQueryParams"]
    _seen.names = set()
    yield
    _seen.names = None


def _client(users, role):
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(users[role])
    return client


def _segments(route: str):
    """(converter, name) of each path parameter of ``route``."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return [(conv or "str", name) for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)]


def _check(failures, client, role, url, data=None):
    response = client.get(url, data) if data is not None else client.get(url)
    if response.status_code >= 500 and not url.startswith("/healthz"):
        failures.append(f"{role or 'anonymous'} GET {url} {data or ''!r} → {response.status_code}")
    return response


def _hostile_queries(params: list[str], *, one_by_one: bool):
    """Each hostile value on every parameter at once; on the date and number parameters
    together (a report needs both ends of a range to compute it); and, for one role (the
    admin, who sees every case and report), on each parameter alone, so another parameter's
    refusal cannot hide it. Other roles reach the same views with fewer rows."""
    if not params:
        return
    for value in HOSTILE_VALUES:
        yield dict.fromkeys(params, value)
    dates = [p for p in params if p.lower() in DATE_PARAMS]
    numbers = [p for p in params if p.lower() in NUMBER_PARAMS]
    for value in ("9999-12-31", "0001-01-01"):
        if dates:
            yield dict.fromkeys(dates, value)
    if numbers:
        yield dict.fromkeys(numbers, "99999999999999999999")
    for param in params if one_by_one else ():
        for value in HOSTILE_VALUES:
            yield {param: value}


def _discover(failures, client, role, url) -> list[str]:
    """The query parameters the view reads: asked plainly, then with every name it asked
    for set (a view may read ``offset`` only once ``limit`` is given)."""
    _seen.names = set()
    _check(failures, client, role, url)
    known: set[str] = set()
    while _seen.names - known and len(known) < 40:
        known |= _seen.names
        _check(failures, client, role, url, dict.fromkeys(sorted(known), "1"))
    return sorted(known | _seen.names)


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_no_route_answers_a_server_error(role, users, matrix, recording):  # noqa: F811
    client = _client(users, role)
    failures: list[str] = []
    for route, name in all_urls():
        if name in SKIP:
            continue
        url = _fill(route, matrix["a"], matrix)
        params = _discover(failures, client, role, url)
        for data in _hostile_queries(params, one_by_one=role == "admin"):
            _check(failures, client, role, url, data)
        for conv, seg in _segments(route):
            for hostile in HOSTILE_SEGMENTS.get(conv, HOSTILE_SEGMENTS["str"]):
                bad = re.sub(rf"<(?:\w+:)?{seg}>", hostile, route)
                bad = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", bad).replace("^", "").replace("$", "")
                _check(failures, client, role, _fill(bad, matrix["a"], matrix))
    assert not failures, "\n".join(failures)


ISSUE_URLS = [
    "/cases/all/?q=%00",
    "/cases/%00/",
    "/cases/enterprises.json?q=%00",
    "/reports/outcomes/?unit=%00",
    "/api/v1/reports/outcomes/?unit=%00",
    "/api/v1/cases/?page=99999999999999999999",
    "/api/v1/notifications/?offset=99999999999999999999",
    "/reports/outcomes/?from=9999-12-01&to=9999-12-31",
]


@pytest.mark.parametrize("url", ISSUE_URLS)
def test_the_issues_urls_are_refused_in_chinese(url, users):
    client = _client(users, "admin")
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    body = response.content.decode()
    assert re.search(r"[\u4e00-\u9fff]", body), body[:200]
    if url.startswith("/api/"):
        assert response.json()["status"] == response.status_code and response.json()["message"]


def test_a_sane_query_still_passes(users):
    client = _client(users, "admin")
    assert client.get("/api/v1/cases/?page=1").status_code == 200
    assert client.get("/reports/outcomes/?from=2026-01-01&to=2026-12-31").status_code == 200
    assert client.get("/cases/all/?q=王建国").status_code == 200


def test_oversized_body_is_413_before_the_view(users, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024
    client = _client(users, "admin")
    response = client.post("/api/v1/cases/", data="x" * 2048, content_type="application/json")
    assert response.status_code == 413
    assert "过大" in response.json()["message"]
