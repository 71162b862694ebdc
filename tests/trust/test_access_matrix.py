"""The access matrix: every role × every URL of the URLconf × own county / another county.

The URL list comes from ``get_resolver()``, so a new page or endpoint is in the matrix the
day it is added; a URL keyword this file does not know how to fill fails the test (add it
to ``FILL``). Cells:

- anonymous: the login page (302) for pages, 401/403 JSON for the API, except ``PUBLIC``;
- a case of another county: 404 for every role of county A, on every case URL, GET and
  POST (pages, documents, attachments, actions, audit, API);
- a case in the user's jurisdiction: never 404 on the case page, receipt and API detail for
  the roles that see it (``SEES_CASE_A``), 404 for those who do not;
- nowhere a 5xx; lists, search, exports and reports of another county never name the case;
  a notification's link opened by someone outside the case's county is a 404.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from casework.services import attachments as att
from notifications.models import Notification

pytestmark = pytest.mark.django_db

ROLES = [
    "desk",
    "officer_enterprise",
    "officer_union",
    "officer_government",
    "leader",
    "supervisor",
    "officer_elsewhere",
    "admin",
    None,  # anonymous
]
# Who sees a fresh case of county A at the enterprise level (selectors.visible_cases).
SEES_CASE_A = {"desk", "officer_enterprise", "leader", "supervisor", "admin"}
SEES_CASE_B = {"officer_elsewhere", "admin"}  # case B: county B, handled by officer_elsewhere's unit
PUBLIC = {
    *("healthz", "logout", "login", "javascript-catalog", "reports:board", "campaign:public_commitments"),
    *("api-token", "api-schema", "api-docs", ""),
    # the worker portal (no staff login; a case needs the worker's query code or SMS code) and its captcha
    *("portal:home", "portal:submit", "portal:receipt", "portal:enterprises", "portal:follow", "portal:leave"),
    *("portal:my", "portal:item", "portal:letter", "portal:act"),
    *("captcha-image", "captcha-image-2x", "captcha-audio", "captcha-refresh"),
    *(f"api-portal-{n}" for n in ("captcha", "enterprises", "categories", "submissions", "access", "phone-codes")),
    *(f"api-portal-{n}" for n in ("phone-access", "items", "item", "rating", "reopen", "withdraw", "publication")),
    "api-portal-union-rating",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _walk(patterns, prefix="", ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # Django's admin: staff only, covered by its own permission checks
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield "/" + prefix + str(p.pattern), ns + (p.name or "")


def all_urls():
    return list(_walk(get_resolver().url_patterns))


@pytest.fixture
def matrix(users, make_case):
    a = make_case()
    b = make_case(actor=users["admin"], enterprise="DEMO-E5", worker={"phone": "13700001111", "id_number": ""})
    file_a = att.attachment_add(case=a, actor=users["desk"], files=[SimpleUploadedFile("a.png", PNG, "image/png")])[0]
    file_b = att.attachment_add(case=b, actor=users["admin"], files=[SimpleUploadedFile("b.png", PNG, "image/png")])[0]
    return {"a": a, "b": b, "file": {a.pk: file_a.pk, b.pk: file_b.pk}}


def _fill(route: str, case, matrix) -> str:
    fill = {
        "number": case.number,
        "action": "claim",
        "pk": matrix["file"][case.pk] if "attachments/" in route else 999999,
        "target_pk": 999999,
        "user_pk": 999999,
        "period_pk": 999999,
        "attachment_pk": 999999,
        "round_no": 1,
        "report_pk": 999999,
        "key": "0" * 40,
    }
    # A regular-expression route (django-simple-captcha's): its groups as <name>, no anchors.
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).replace("^", "").replace("$", "")

    def sub(m):
        name = m.group(2)
        assert name in fill, f"{route}: add a value for <{name}> to the access matrix"
        return str(fill[name])

    return re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def _client(users, role):
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(users[role])
    return client


def _anonymous_ok(url, name, response):
    if name in PUBLIC:
        return True  # /healthz answers 503 when a job is not running: that is its answer
    if url.startswith("/api/"):
        return response.status_code in (401, 403)
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_role_every_url_both_counties(users, matrix):
    urls = all_urls()
    assert len(urls) > 50
    failures = []
    for role in ROLES:
        client = _client(users, role)
        for route, name in urls:
            case_scoped = "<str:number>" in route
            codes = {}
            for which in ("a", "b") if case_scoped else ("a",):
                url = _fill(route, matrix[which], matrix)
                if role is None:
                    # every anonymous 401 counts against the address's rate (API_THROTTLE_ANON,
                    # 60/min): with more API routes than that, the cell would see 429s; the
                    # throttle has its own tests, this cell checks authentication.
                    cache.clear()
                response = client.get(url)
                code = codes[which] = response.status_code
                cell = f"{role or 'anonymous'} GET {url} ({name}, case {which}) → {code}"
                sees = role in (SEES_CASE_A if which == "a" else SEES_CASE_B)
                if code >= 500 and name != "healthz":  # 503 = a job is not running: its answer
                    failures.append(cell + " (server error)")
                elif role is None:
                    if not _anonymous_ok(url, name, response):
                        failures.append(cell + " (anonymous let through)")
                elif case_scoped and not sees:
                    # a 403 is accepted here only when it is the same for both counties (below)
                    if code not in (403, 404, 405):
                        failures.append(cell + " (a case outside the jurisdiction must be 404)")
                elif case_scoped and name in ("casework:detail", "casework:receipt", "api-case") and code != 200:
                    failures.append(cell + " (should be allowed)")
                if case_scoped and role is not None and code == 404 and not url.startswith("/api/"):
                    assert matrix[which].worker.name not in response.content.decode()
            tells_apart = 403 in codes.values() and not set(codes.values()) <= {403, 404, 405}
            if case_scoped and role is not None and tells_apart:
                failures.append(f"{role} {name}: 403 for one county and {codes} — tells the case apart")
    assert not failures, "\n".join(failures)


def test_posts_to_another_countys_case_are_404(users, matrix):
    client = _client(users, "officer_elsewhere")
    for route, name in all_urls():
        if "<str:number>" not in route:
            continue
        url = _fill(route, matrix["a"], matrix)
        if url.startswith("/api/"):
            response = client.post(url, {"reason": "x"}, content_type="application/json")
        else:
            response = client.post(url, {"reason": "x", "content": "x"})
        allowed = (403, 404, 405) if name == "reports:audit" else (404, 405)  # reports: role-level 403
        assert response.status_code in allowed, f"POST {url} ({name}) → {response.status_code}"
    matrix["a"].refresh_from_db()
    assert matrix["a"].version == 1 or matrix["a"].status == "enterprise"


def test_lists_search_exports_and_reports_never_name_another_countys_case(users, matrix):
    number = matrix["a"].number
    client = _client(users, "officer_elsewhere")
    for url in (
        "/cases/inbox/",
        "/cases/queue/",
        "/cases/archive/",
        f"/cases/all/?q={number}",
        "/cases/all/?q=王建国",
        "/cases/new/duplicates.json?phone=13912345678&id_number=11010519491231002X",
        "/api/v1/cases/",
        f"/api/v1/cases/?q={number}",
        "/api/v1/tasks/",
        "/notifications/",
        "/api/v1/notifications/",
        "/reports/ledger.csv",
        "/reports/",
        "/reports/outcomes/",
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code < 500, url
        # HTML echoes the search term in its input: look for a link to the case there
        needle = f"/cases/{number}/" if response["Content-Type"].startswith("text/html") else number
        assert needle.encode() not in body, f"{url} names another county's case"


def test_notification_links_are_404_outside_the_case(users, matrix):
    links = [n.link for n in Notification.objects.exclude(link="") if matrix["a"].number in n.link]
    assert links, "registering a case notifies someone with a link to it"
    client = _client(users, "officer_elsewhere")
    for link in set(links):
        assert client.get(link).status_code == 404, link
