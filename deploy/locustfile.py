"""Load test: officers and intake desks on the API (``locust -f deploy/locustfile.py``).

Needs the demo users (``manage.py seed_demo``; password ``DEMO_PASSWORD``). Desks register
cases and open them; officers list their tasks and the case list, open a case and act on
it (claim the first queued task) when they can. See docs/operations.md for the command.
"""

import os
import random

from locust import HttpUser, between, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "casework-demo")


def _token(client, username: str) -> str:
    response = client.post("/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, name="token")
    response.raise_for_status()
    return response.json()["token"]


class Desk(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {_token(self.client, 'desk')}"
        self.numbers: list[str] = []

    @task(3)
    def register(self):
        i = random.randrange(10**8)  # noqa: S311 - load data
        body = {
            "worker": {"name": f"压测职工{i}", "phone": f"139{i:08d}"},
            "enterprise": "DEMO-E1",
            "category": "wages",
            "channel": "reception_day",
            "summary": "企业拖欠工资。",
            "request": "要求支付工资。",
            "consent": True,
        }
        response = self.client.post("/api/v1/cases/", json=body, name="register")
        if response.ok:
            self.numbers.append(response.json()["number"])

    @task(5)
    def list_cases(self):
        self.client.get("/api/v1/cases/?page_size=20", name="list cases")

    @task(5)
    def open_case(self):
        if self.numbers:
            self.client.get(f"/api/v1/cases/{random.choice(self.numbers)}/", name="open case")  # noqa: S311


class Officer(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {_token(self.client, 'officer_enterprise')}"

    @task(5)
    def inbox(self):
        self.client.get("/api/v1/tasks/", name="tasks")

    @task(3)
    def list_overdue(self):
        self.client.get("/api/v1/cases/?overdue=true&ordering=due_at", name="red list")

    @task(4)
    def open_and_act(self):
        response = self.client.get("/api/v1/cases/?status=enterprise&page_size=20", name="list cases")
        if not response.ok or not response.json().get("results"):
            return
        number = random.choice(response.json()["results"])["number"]  # noqa: S311
        case = self.client.get(f"/api/v1/cases/{number}/", name="open case").json()
        actions = [a for a in case.get("allowed_actions", []) if a in ("claim", "urge")]
        if "claim" in actions:
            with self.client.post(
                f"/api/v1/cases/{number}/actions/claim/", json={}, name="act: claim", catch_response=True
            ) as r:
                if r.status_code in (200, 409):  # 409: someone else claimed it first, a normal race
                    r.success()
