"""Load test: intake desks, officers and supervisors on the API (``locust -f deploy/locustfile.py``).

Needs the demo users (``manage.py seed_demo``; password ``DEMO_PASSWORD``); see
docs/operations.md for the command and the latest result.

- **Logins are not part of the mix.** A client logs in once and keeps its token (the API's
  tokens do not expire), so every demo account used here logs in once, before the test
  (``events.init``: before the ``--run-time`` clock starts), one after the other; those
  logins are timed and printed apart ("logins before the test"). 50 PBKDF2 logins in the
  first second are not what a morning looks like, and they would hide the steady state the
  test is for.
- **Accounts:** the simulated users spread over the demo's 3 intake desks, 16 officers (the
  10 enterprise unions, the 3 county federations, 3 departments) and the supervisor and
  leaders, so each works on its own unit's cases, as real staff do.
- **Think time:** 3–9 s between actions (reading a list or a case, typing a short note);
  each action is one to three requests.
- **The mix** follows a case through its life: desks register (the body varies: enterprise,
  category, channel, worker), list and search their cases, open one, and reply to and follow
  up the cases waiting in their inbox; officers read their tasks (inbox and queue), the case
  list and the red list, open a case and act: claim from the queue, add a note or resolve a
  claimed case; supervisors read the red list and the list, open a case, and urge an
  overdue one now and then.
- Two officers may try to claim the same case: the loser's ``409`` is a normal race and is
  counted apart ("races"), not as a failure. Any other answer outside 2xx is a failure.
- Requests carry ``X-Forwarded-Proto: https``, as the TLS proxy in front of gunicorn would.
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import time

import requests
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "casework-demo")
HEADERS = {"X-Forwarded-Proto": "https"}

DESKS = {"desk": "DEMO-K1", "desk_2": "DEMO-K2", "desk_3": "DEMO-K3"}
ENTERPRISES = {
    "DEMO-K1": ["DEMO-E1", "DEMO-E2", "DEMO-E3", "DEMO-E4"],
    "DEMO-K2": ["DEMO-E5", "DEMO-E6", "DEMO-E7"],
    "DEMO-K3": ["DEMO-E8", "DEMO-E9", "DEMO-E10"],
}
OFFICERS = [
    "officer_enterprise",
    "officer_demo-e2",
    "officer_demo-e3",
    "officer_demo-e4",
    "officer_elsewhere",
    "officer_demo-e6",
    "officer_demo-e7",
    "officer_demo-e8",
    "officer_demo-e9",
    "officer_demo-e10",
    "officer_union",
    "officer_union_2",
    "officer_union_3",
    "officer_government",
    "officer_demo-k2-g1",
    "officer_demo-k3-g1",
]
SUPERVISORS = ["supervisor", "leader", "leader_2", "leader_3"]
CATEGORIES = ["wages", "wages", "wages", "social_insurance", "contract", "safety", "injury", "employment", "other"]
CHANNELS = ["reception_day", "hotline", "hotline", "letter", "online", "visit"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    *("建国", "秀英", "志强", "丽", "伟", "芳", "军", "敏", "静"),
    *("磊", "洋", "艳", "勇", "杰", "娟", "涛", "明", "超"),
]

TOKENS: dict[str, str] = {}
RACES = {"claim": 0, "other": 0}
rng = random.Random()  # noqa: S311 - load data, not secrets


@events.init.add_listener
def log_in_every_account(environment, **kwargs):
    """One token per account, before the users start (see the module docstring)."""
    if not environment.host:
        return
    timings = []
    with requests.Session() as session:
        for username in [*DESKS, *OFFICERS, *SUPERVISORS]:
            t0 = time.perf_counter()
            r = session.post(
                f"{environment.host}/api/v1/auth/token/",
                json={"username": username, "password": PASSWORD},
                headers=HEADERS,
                timeout=60,
            )
            timings.append((time.perf_counter() - t0) * 1000)
            r.raise_for_status()
            TOKENS[username] = r.json()["token"]
    print(
        f"logins before the test: {len(timings)} accounts, one after the other; "
        f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms"
    )


@events.test_stop.add_listener
def report_races(environment, **kwargs):
    print(f"races (409 answered to the loser of a concurrent action, not failures): {RACES}")


def _ok(response, *, race_ok: bool = False, kind: str = "other"):
    if response.status_code == 409 and race_ok:
        RACES[kind] += 1
        response.success()
    elif not response.ok:
        response.failure(f"{response.status_code}: {response.text[:200]}")


class Staff(HttpUser):
    abstract = True
    wait_time = between(3, 9)
    accounts: list[str] = []
    _next = None

    def on_start(self):
        cls = type(self)
        if cls._next is None:
            cls._next = itertools.cycle(cls.accounts)
        self.username = next(cls._next)
        self.client.headers.update(HEADERS)
        self.client.headers["Authorization"] = f"Token {TOKENS[self.username]}"

    def get(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as r:
            _ok(r)
            return r.json() if r.ok else None

    def act(self, number: str, action: str, body: dict, *, race_ok: bool = True):
        with self.client.post(
            f"/api/v1/cases/{number}/actions/{action}/", json=body, name=f"act: {action}", catch_response=True
        ) as r:
            _ok(r, race_ok=race_ok, kind="claim" if action == "claim" else "other")
            return r

    def open_case(self, number: str):
        return self.get(f"/api/v1/cases/{number}/", "open case")

    def task_lists(self):
        return self.get("/api/v1/tasks/", "tasks")


class Desk(Staff):
    """Intake desk (接待窗口): registers, looks cases up, replies and follows up."""

    weight = 10
    accounts = list(DESKS)

    def on_start(self):
        super().on_start()
        self.county = DESKS[self.username]
        self.numbers: list[str] = []

    @task(4)
    def register(self):
        i = rng.randrange(10**8)
        body = {
            "worker": {
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": f"1{rng.choice('3589')}{i % 10**9:09d}",
                "migrant": rng.random() < 0.4,
            },
            "enterprise": rng.choice(ENTERPRISES[self.county]),
            "category": rng.choice(CATEGORIES),
            "channel": rng.choice(CHANNELS),
            "summary": "企业拖欠工资两个月，多次协商未果。",
            "request": "要求企业足额支付拖欠的工资。",
            "workers_involved": rng.choice([1, 1, 1, 2, 5, 12]),
            "consent": True,
        }
        with self.client.post("/api/v1/cases/", json=body, name="register", catch_response=True) as r:
            _ok(r)
            if r.ok:
                self.numbers.append(r.json()["number"])

    @task(4)
    def list_cases(self):
        self.get("/api/v1/cases/?page_size=20", "list cases")

    @task(1)
    def search(self):
        self.get(f"/api/v1/cases/?q={rng.choice(SURNAMES)}{rng.choice(GIVEN)[0]}", "search")

    @task(3)
    def open_recent(self):
        if self.numbers:
            self.open_case(rng.choice(self.numbers[-20:]))
        else:
            page = self.get("/api/v1/cases/?page_size=20", "list cases")
            if page and page["results"]:
                self.open_case(rng.choice(page["results"])["number"])

    @task(3)
    def work_the_inbox(self):
        """Reply to a resolved case, or record the follow-up call of a replied one."""
        tasks = self.task_lists()
        if not tasks or not tasks["inbox"]:
            return
        number = rng.choice(tasks["inbox"][:10])["case"]["number"]
        case = self.open_case(number)
        if not case:
            return
        allowed = case["allowed_actions"]
        if "reply" in allowed:
            self.act(number, "reply", {"method": "phone", "content": "已电话告知职工办理结果。"})
        elif "followup" in allowed:
            satisfaction = rng.choice(["satisfied", "satisfied", "basically_satisfied"])
            self.act(number, "followup", {"satisfaction": satisfaction, "comment": ""})


class Officer(Staff):
    """Officer of an enterprise union, a federation or a department (承办人)."""

    weight = 34
    accounts = OFFICERS

    @task(5)
    def inbox(self):
        self.task_lists()

    @task(2)
    def list_cases(self):
        self.get("/api/v1/cases/?page_size=20", "list cases")

    @task(2)
    def red_list(self):
        self.get("/api/v1/cases/?overdue=true&ordering=due_at", "red list")

    @task(5)
    def open_and_act(self):
        tasks = self.task_lists()
        if not tasks:
            return
        if tasks["queue"] and (not tasks["inbox"] or rng.random() < 0.5):
            number = rng.choice(tasks["queue"][:10])["case"]["number"]
            case = self.open_case(number)
            if case and "claim" in case["allowed_actions"]:
                self.act(number, "claim", {})
        elif tasks["inbox"]:
            number = rng.choice(tasks["inbox"][:10])["case"]["number"]
            case = self.open_case(number)
            if not case:
                return
            if "resolve" in case["allowed_actions"] and rng.random() < 0.4:
                self.act(number, "resolve", {"outcome": "resolved", "result": "经协调，企业已足额支付工资。"})
            elif "note" in case["allowed_actions"]:
                self.act(number, "note", {"content": "已电话联系企业人事部门，约定本周内答复。"})


class Supervisor(Staff):
    """Supervisor or leader (督办): the red list, the county's cases, urging."""

    weight = 6
    accounts = SUPERVISORS

    @task(4)
    def red_list(self):
        self.get("/api/v1/cases/?overdue=true&ordering=due_at", "red list")

    @task(3)
    def list_cases(self):
        self.get("/api/v1/cases/?page_size=20", "list cases")

    @task(3)
    def open_and_urge(self):
        page = self.get("/api/v1/cases/?overdue=true&ordering=due_at&page_size=20", "red list")
        if not page or not page["results"]:
            return
        number = rng.choice(page["results"])["number"]
        case = self.open_case(number)
        if case and "urge" in case["allowed_actions"] and rng.random() < 0.3:
            self.act(number, "urge", {"message": "请加快办理，三日内反馈进展。"})
