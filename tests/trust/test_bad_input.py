"""Bad input (hypothesis): the intake page, every action page and ``case_register``.

Chinese text, emoji, RTL and zero-width marks, NUL, 10,000-character fields, SQL and HTML
injection strings, malformed dates and numbers. For every example: never a server error
(the test client re-raises any exception a view lets out), a refusal writes nothing (no
case, history row, clock or outbox row; the case's version unchanged), and what was stored
is escaped on the case page. The API is fuzzed apart (tests/api/test_fuzz.py).

Bounded: ``max_examples`` per test and no deadline; the file runs in well under a minute
on SQLite.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import services
from casework.actions import ACTIONS
from casework.exceptions import CaseworkError
from casework.models import Case
from escalation.models import DeadlineClock
from notifications.models import Notification
from tests.casework.helpers import INTAKE_FORM

from ..casework.helpers import bring_to
from ..conftest import PASSWORD, case_input

SCRIPT = "<script>alert(1)</script>"
NASTY = [
    "",
    " ",
    "王建国",
    "职工诉求：拖欠工资😀🔥👷‍♀️",
    "\u202eRTL override\u202c \u200f مرحبا \u200e",
    "zero\u200bwidth\ufeff",
    "NUL\x00byte",
    "\r\n\t",
    "工" * 10_000,
    "😀" * 10_000,
    "a" * 10_001,
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% now 'Y' %}",
    "'; DROP TABLE casework_case; --",
    "1' OR '1'='1",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "2026-02-30",
    "2026-13-01",
    "9999-99-99T99:99",
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "３",
    "١٢٣",
    "C2026-000001",
]
nasty = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
INTAKE = {**INTAKE_FORM, "phone": ""}
INTAKE_FIELDS = [
    *INTAKE,
    "birth_month", "post", "technical_title", "hukou", "ethnicity", "political_status", "education",
    "migrant", "dispatched", "place", "urgent", "duplicate",
]  # fmt: skip


def _counts() -> tuple:
    return (
        Case.objects.count(),
        Case.history.count(),
        DeadlineClock.objects.count(),
        Notification.objects.count(),
    )


def _assert_escaped(html: str) -> None:
    """The injected markup never comes back as markup (the page escapes it)."""
    assert SCRIPT not in html
    assert "<img src=x" not in html


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_stored_script_is_escaped_on_the_case_page(client, users):
    _login(client, users["desk"])
    response = client.post("/cases/new/", {**INTAKE, "summary": SCRIPT, "request": '"><img src=x onerror=alert(1)>'})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.summary == SCRIPT  # stored as typed: escaping is the page's job
    html = client.get(f"/cases/{case.number}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    _assert_escaped(html)
    for page in ("receipt/", "act/note/"):
        _assert_escaped(client.get(f"/cases/{case.number}/{page}").content.decode())


@pytest.mark.django_db
def test_intake_page_never_fails_and_refusals_write_nothing(client, users):
    _login(client, users["desk"])
    seen = {"registered": 0, "refused": 0}

    @settings(max_examples=60, deadline=None, suppress_health_check=HEALTH, database=None)
    @given(st.dictionaries(st.sampled_from(INTAKE_FIELDS), nasty, min_size=1, max_size=4))
    def check(overrides):
        before = _counts()
        response = client.post("/cases/new/", {**INTAKE, **overrides})
        assert response.status_code in (200, 302, 422), response.status_code
        if response.status_code != 302:
            seen["refused"] += 1
            assert _counts() == before
            _assert_escaped(response.content.decode())
            return
        seen["registered"] += 1
        number = re.search(r"/cases/([^/]+)/", response["Location"]).group(1)
        page = client.get(f"/cases/{number}/")
        assert page.status_code == 200
        _assert_escaped(page.content.decode())

    check()
    assert seen["registered"] and seen["refused"], seen


@pytest.fixture
def cases(users, make_case):
    """Cases in the states the action pages act on, with who may act there."""
    return [
        (bring_to("registered", users, make_case), users["desk"]),
        (bring_to("enterprise", users, make_case), users["officer_enterprise"]),
        (bring_to("union", users, make_case), users["officer_union"]),
        (bring_to("answered", users, make_case), users["desk"]),
        (bring_to("replied", users, make_case), users["desk"]),
        (make_case(), users["leader"]),
    ]


def _fields(action: str) -> list[str]:
    return [name for name in ACTIONS[action].form.base_fields if name != "version"]


@pytest.mark.django_db
def test_action_pages_never_fail_and_refusals_write_nothing(client, users, cases):
    actions = sorted(ACTIONS)  # escalate, resolve, reply, followup, merge, handover, pause, …
    logged_in = {}
    seen = {"done": 0, "refused": 0}

    @settings(max_examples=120, deadline=None, suppress_health_check=HEALTH, database=None)
    @given(
        st.sampled_from(range(len(cases))),
        st.sampled_from(actions),
        st.data(),
    )
    def check(which, action, data):
        case, user = cases[which]
        case.refresh_from_db()
        if logged_in.get("user") != user.pk:
            client.logout()
            _login(client, user)
            logged_in["user"] = user.pk
        post = {name: data.draw(nasty, label=name) for name in _fields(action)}
        post["version"] = data.draw(st.one_of(st.just(str(case.version)), nasty), label="version")
        before, version = _counts(), case.version
        response = client.post(f"/cases/{case.number}/act/{action}/", post)
        assert response.status_code in (302, 404, 422), response.status_code
        case.refresh_from_db()
        if response.status_code == 302:
            seen["done"] += 1
            assert case.version > version
            page = client.get(f"/cases/{case.number}/")
            if page.status_code == 200:
                _assert_escaped(page.content.decode())
            return
        seen["refused"] += 1
        assert _counts() == before
        assert case.version == version
        if response.status_code == 422:
            _assert_escaped(response.content.decode())

    check()
    assert seen["done"] and seen["refused"], seen


@pytest.mark.django_db
def test_case_register_service_accepts_or_refuses_whole(users):
    seen = {"registered": 0, "refused": 0}

    @settings(max_examples=60, deadline=None, suppress_health_check=HEALTH, database=None)
    @given(
        worker=st.fixed_dictionaries({}, optional={k: nasty for k in ("name", "gender", "phone", "id_number")}),
        fields=st.fixed_dictionaries(
            {},
            optional={
                "summary": nasty,
                "request": nasty,
                "enterprise": nasty,
                "category": nasty,
                "channel": nasty,
                "place": nasty,
                "workers_involved": st.one_of(st.integers(), nasty),
            },
        ),
        accept=st.booleans(),
    )
    def check(worker, fields, accept):
        before = _counts()
        try:
            case = services.case_register(actor=users["desk"], data=case_input(worker=worker, **fields), accept=accept)
        except CaseworkError:
            seen["refused"] += 1
            assert _counts() == before
            return
        seen["registered"] += 1
        case.refresh_from_db()
        assert case.number and case.history.count() >= 1

    check()
    assert seen["registered"] and seen["refused"], seen
