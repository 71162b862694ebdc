"""Issue #21 item 3: personal data leaves the server masked unless the request is a logged unmask.

Every page that can show a worker's phone or ID number: masked by default, and ``?unmask=1``
shows it only with an access-log row written (the case page, every action page, the form
re-rendered after a failed POST, the admin's worker change and history pages, the interview
page and its printable form).
"""

from __future__ import annotations

import pytest
from django.test import Client

from casework import selectors
from casework.actions import ACTIONS
from casework.history import acting
from casework.models import Worker
from reports.models import AccessLog
from visits.models import InterviewAccessLog

from ..conftest import PASSWORD
from ..visits.conftest import group, make_interview, make_visit  # noqa: F401 - fixtures

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _full(html: str) -> bool:
    return ID_NUMBER in html or PHONE in html


@pytest.fixture
def case(make_case):
    return make_case()


def test_case_page_masked_by_default_and_unmask_logged(users, case):
    client = _client(users["desk"])
    assert not _full(client.get(f"/cases/{case.number}/").content.decode())
    assert AccessLog.objects.count() == 0
    assert _full(client.get(f"/cases/{case.number}/?unmask=1").content.decode())
    assert AccessLog.objects.filter(case=case, user=users["desk"], kind="case_page").count() == 1


def test_every_action_page_masked_and_unmask_logged(users, case):
    client = _client(users["desk"])
    codes = selectors.allowed_actions(case, users["desk"])
    assert {"note", "handover"} <= set(codes)
    for code in codes:
        before = AccessLog.objects.count()
        page = client.get(f"/cases/{case.number}/act/{code}/")
        assert page.status_code == 200, code
        assert not _full(page.content.decode()), code
        assert AccessLog.objects.count() == before, code
        page = client.get(f"/cases/{case.number}/act/{code}/?unmask=1")
        assert _full(page.content.decode()), code
        assert AccessLog.objects.count() == before + 1, code


def test_unmask_refused_to_who_may_not_see_it(users, case):
    client = _client(users["officer_enterprise"])
    for url in (f"/cases/{case.number}/?unmask=1", f"/cases/{case.number}/act/note/?unmask=1"):
        assert not _full(client.get(url).content.decode()), url
    assert AccessLog.objects.count() == 0


def test_form_rerendered_after_failed_post_is_masked(users, case):
    client = _client(users["desk"])
    assert "note" in ACTIONS
    response = client.post(f"/cases/{case.number}/act/note/?unmask=1", {"version": case.version, "text": ""})
    assert response.status_code == 422
    assert not _full(response.content.decode())
    assert AccessLog.objects.count() == 0


def test_api_detail_masked_and_unmask_logged(users, case):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["desk"])
    body = client.get(f"/api/v1/cases/{case.number}/").json()
    assert body["worker"]["masked"] and body["worker"]["id_number"] != ID_NUMBER
    assert AccessLog.objects.count() == 0
    body = client.get(f"/api/v1/cases/{case.number}/?unmask=1").json()
    assert body["worker"]["id_number"] == ID_NUMBER
    assert AccessLog.objects.filter(kind="api").count() == 1


def test_admin_worker_change_and_history_pages_masked(users, case):
    client = _client(users["admin"])
    worker = case.worker
    with acting(users["admin"], "改动"):
        Worker.objects.filter(pk=worker.pk).first().save()
    history = worker.history.order_by("-history_id").first()
    for url in (
        f"/admin/casework/worker/{worker.pk}/change/",
        f"/admin/casework/worker/{worker.pk}/change/?unmask=1",
        f"/admin/casework/worker/{worker.pk}/history/",
        f"/admin/casework/worker/{worker.pk}/history/{history.history_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not _full(html), url
    assert worker.masked_id_number in client.get(f"/admin/casework/worker/{worker.pk}/change/").content.decode()


def test_admin_worker_history_changes_masked(users, case):
    """A changed phone number appears in the history list's changes column masked, old and new."""
    worker = Worker.objects.get(pk=case.worker.pk)
    worker.phone = "13800138000"
    with acting(users["admin"], "改号"):
        worker.save()
    html = _client(users["admin"]).get(f"/admin/casework/worker/{worker.pk}/history/").content.decode()
    assert "13800138000" not in html and PHONE not in html
    assert "138****8000" in html


def test_interview_page_masked_and_unmask_logged(users, make_interview):  # noqa: F811
    interview = make_interview()
    phone = interview.phone
    client = _client(users["officer_union"])  # a group member: may see the phone
    url = f"/visits/interview/{interview.pk}/"
    assert phone not in client.get(url).content.decode()
    assert InterviewAccessLog.objects.count() == 0
    assert phone in client.get(url + "?unmask=1").content.decode()
    logged = InterviewAccessLog.objects.filter(interview=interview, user=users["officer_union"], kind="page")
    assert logged.count() == 1


def test_interview_print_never_carries_the_phone(users, make_interview):  # noqa: F811
    # The printed 个案访谈登记表 is the paper form line for line, and the paper has no phone line:
    # nothing to unmask, so nothing is logged either.
    interview = make_interview()
    client = _client(users["officer_union"])
    page = client.get(f"/visits/interview/{interview.pk}/print/?unmask=1")
    assert page.status_code == 200
    assert interview.phone not in page.content.decode()
    assert InterviewAccessLog.objects.count() == 0


def test_interview_unmask_refused_to_who_may_not_see_it(users, make_interview):  # noqa: F811
    interview = make_interview()
    client = _client(users["supervisor"])
    response = client.get(f"/visits/interview/{interview.pk}/?unmask=1")
    if response.status_code == 200:
        assert interview.phone not in response.content.decode()
    assert InterviewAccessLog.objects.count() == 0


def test_portal_desk_page_masked_and_unmask_logged(users, world, settings, tmp_path):
    from portal import services as portal_services
    from portal.models import SubmissionAccessLog

    from ..portal.conftest import PHONE, submission_input

    settings.PORTAL_UPLOAD_ROOT = tmp_path / "portal"
    submission, _code = portal_services.submission_create(data=submission_input(), ip="10.0.0.1")
    client = _client(users["desk"])
    url = f"/portal/desk/{submission.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert PHONE not in page.content.decode() and "?unmask=1" in page.content.decode()
    assert not SubmissionAccessLog.objects.exists()
    assert PHONE in client.get(url + "?unmask=1").content.decode()
    assert SubmissionAccessLog.objects.filter(submission=submission, user=users["desk"]).count() == 1
