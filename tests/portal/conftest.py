"""Portal fixtures: a worker's submission, the desk accepting it, and a case carried to its answer."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.test import Client

from casework import services as cw
from portal import services
from portal.services.submissions import SubmissionInput

PHONE = "13912340001"


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.PORTAL_UPLOAD_ROOT = tmp_path / "portal"
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path / "attachments"
    settings.NOTIFICATIONS_SMS_BACKEND = "locmem"
    cache.clear()
    yield
    cache.clear()


def submission_input(**overrides) -> SubmissionInput:
    values = dict(
        name="孙小梅",
        phone=PHONE,
        enterprise="东方机械制造有限公司",
        category="wages",
        summary="车间三个月没有发工资。",
        request="要求企业补发工资。",
        consent=True,
        workers_involved=3,
    )
    values.update(overrides)
    return SubmissionInput(**values)


@pytest.fixture
def submit(world):
    def _submit(ip="10.0.0.1", **overrides):
        return services.submission_create(data=submission_input(**overrides), ip=ip)

    return _submit


@pytest.fixture
def accepted(submit, users):
    """A submission the desk accepted: (submission, query code, case)."""

    def _accepted(**overrides):
        submission, code = submit(**overrides)
        case = services.submission_accept(submission=submission, actor=users["desk"])
        submission.refresh_from_db()
        return submission, code, case

    return _accepted


@pytest.fixture
def answered(accepted, users):
    """A case escalated to the union level, resolved there and replied to by the desk."""

    def _answered(**overrides):
        submission, code, case = accepted(**overrides)
        cw.task_claim(case=case.number, actor=users["officer_enterprise"])
        enterprise, union = users["officer_enterprise"], users["officer_union"]
        cw.case_add_note(case=case.number, actor=enterprise, content="企业财务称资金链断裂（内部记录）")
        cw.case_escalate(case=case.number, actor=enterprise, reason="企业无力支付，内部意见：建议工会介入")
        cw.task_claim(case=case.number, actor=union)
        cw.case_resolve(case=case.number, actor=union, outcome="resolved", result="经区总工会协调，企业已补发工资。")
        cw.case_reply(case=case.number, actor=users["desk"], method="sms", content="工资已补发，请查收。")
        case.refresh_from_db()
        return submission, code, case

    return _answered


def answer(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def captcha_fields(client: Client, url: str = "/portal/submit/") -> dict:
    """Load the form and read its captcha's answer from the store (what the image shows)."""
    import re

    page = client.get(url).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    return {"captcha_0": key, "captcha_1": answer(key)}
