"""The portal's services: submission, the desk's decision, the worker's acts on the case."""

from __future__ import annotations

import pytest

from casework.exceptions import InvalidInput, NotAllowed, TransitionRefused
from casework.models import Case
from portal import services
from portal.limits import TooManyRequests
from portal.models import Submission, SubmissionStatus

from .conftest import PHONE

pytestmark = pytest.mark.django_db


def test_submission_then_acceptance_makes_a_case_owned_by_the_desk(submit, users):
    submission, code = submit(anonymous_to_enterprise=True)
    assert submission.status == SubmissionStatus.PENDING and len(code) == 8
    assert code not in submission.code_hash and len(submission.code_hash) == 64
    assert not Case.objects.exists()  # not a case until the desk accepts it
    case = services.submission_accept(submission=submission, actor=users["desk"])
    assert case.owner == users["desk"] and case.channel.code == "online"
    assert case.status == "enterprise" and case.anonymous_to_enterprise
    submission.refresh_from_db()
    assert submission.case == case and submission.status == SubmissionStatus.ACCEPTED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "01012345678"}, "phone"),  # a landline cannot receive the codes
        ({"id_number": "110105194912310021"}, "id_number"),  # bad check digit
        ({"enterprise": "不存在的公司"}, "enterprise"),
        ({"category": "nope"}, "category"),
        ({"summary": "  "}, "summary"),
        ({"workers_involved": 0}, "workers_involved"),
        ({"consent": False}, "consent"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(submit, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        submit(**overrides)
    assert field in exc.value.fields
    assert all("\u4e00" <= m[0] <= "\u9fff" or m[0] in "“请" for m in exc.value.fields[field])
    assert not Submission.objects.exists()


def test_a_flood_from_one_address_or_phone_never_reaches_the_desk(submit, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "submit_ip": "3/3600", "submit_phone": "2/86400"}
    submit(ip="10.0.0.9", phone="13912340011")
    submit(ip="10.0.0.9", phone="13912340012")
    submit(ip="10.0.0.9", phone="13912340013")
    with pytest.raises(TooManyRequests):
        submit(ip="10.0.0.9", phone="13912340014")
    submit(ip="10.0.0.10", phone=PHONE)
    submit(ip="10.0.0.11", phone=PHONE)
    with pytest.raises(TooManyRequests):
        submit(ip="10.0.0.12", phone=PHONE)
    assert Submission.objects.count() == 5


def test_only_the_countys_desk_decides(submit, users):
    submission, _code = submit()
    from django.contrib.auth import get_user_model

    other_desk = get_user_model().objects.get(username="desk_2")
    with pytest.raises(NotAllowed):
        services.submission_accept(submission=submission, actor=other_desk)
    with pytest.raises(NotAllowed):
        services.submission_decline(submission=submission, actor=users["officer_enterprise"], guidance="x")
    with pytest.raises(InvalidInput):
        services.submission_decline(submission=submission, actor=users["desk"], guidance=" ")
    declined = services.submission_decline(submission=submission, actor=users["desk"], guidance="请向仲裁院申请仲裁。")
    assert declined.status == SubmissionStatus.DECLINED
    with pytest.raises(TransitionRefused):
        services.submission_accept(submission=submission, actor=users["desk"])


def test_an_id_number_on_file_with_another_phone_needs_a_check(submit, users, make_case):
    make_case(worker={"name": "孙小梅", "phone": "13700000000", "id_number": "11010519491231002X"})
    submission, _code = submit(id_number="11010519491231002X")
    with pytest.raises(InvalidInput) as exc:
        services.submission_accept(submission=submission, actor=users["desk"])
    assert "identity_checked" in exc.value.fields
    case = services.submission_accept(submission=submission, actor=users["desk"], identity_checked=True)
    assert case.number


def test_the_worker_rates_once_and_it_counts_as_the_follow_up(answered):
    _s, _code, case = answered()
    closed = services.worker_follow_up(case=case, satisfaction="basically_satisfied", comment="还算及时")
    assert closed.status == "closed" and closed.satisfaction == "basically_satisfied"
    last = closed.history.order_by("-history_id").first()
    assert last.last_action == "follow_up" and "网上职工心声" in last.history_change_reason
    assert last.history_user.username == "portal"
    with pytest.raises(TransitionRefused, match="不能重复评价"):
        services.worker_follow_up(case=Case.objects.get(pk=case.pk), satisfaction="satisfied")


def test_reopen_within_the_window_and_not_after(answered):
    import datetime as dt

    import time_machine

    _s, _code, case = answered()
    closed = services.worker_follow_up(case=case, satisfaction="dissatisfied")
    with time_machine.travel(closed.closed_at + dt.timedelta(days=31)), pytest.raises(TransitionRefused):
        services.worker_reopen(case=Case.objects.get(pk=case.pk), reason="仍未补发。")
    reopened = services.worker_reopen(case=Case.objects.get(pk=case.pk), reason="仍未补发。")
    assert reopened.status == "government" and reopened.reopen_count == 1
    assert "职工本人通过网上职工心声申请复查" in reopened.history.order_by("-history_id").first().history_change_reason


def test_the_portal_actor_acts_only_on_the_case_it_was_given(accepted, users):
    from portal.actor import portal_actor

    _s, _code, mine = accepted()
    _s2, _code2, other = accepted(phone="13912340002")
    from casework import services as cw

    with pytest.raises(NotAllowed):
        cw.case_withdraw(case=other.number, actor=portal_actor(mine), reason="x")
    with pytest.raises(NotAllowed):  # never the desk's or officers' actions
        cw.case_escalate(case=mine.number, actor=portal_actor(mine), reason="x")
    withdrawn = services.worker_withdraw(case=mine, reason="已自行协商解决。")
    assert withdrawn.status == "withdrawn"


def test_publication_consent_is_recorded_and_filters_the_board(answered, users):
    from portal.actor import portal_actor
    from portal.models import ConsentMethod
    from reports.selectors.board import published
    from reports.services import case_publish

    _s, _code, case = answered()
    case = services.worker_follow_up(case=case, satisfaction="satisfied")
    with pytest.raises(TransitionRefused, match="职工未同意公示"):
        case_publish(case=case.number, actor=users["supervisor"])
    consent = services.publication_consent_set(
        case=case.number, agreed=True, actor=portal_actor(case), method=ConsentMethod.PORTAL
    )
    assert consent.agreed and consent.method == "portal" and consent.recorded_by.username == "portal"
    case_publish(case=case.number, actor=users["supervisor"])
    assert published().count() == 1
    services.publication_consent_set(case=case.number, agreed=False, actor=portal_actor(case), method="portal")
    assert published().count() == 0
    assert consent.history.count() == 2


def test_union_rating_once_a_year(answered):
    from portal.selectors import rating_results

    _s, _code, case = answered()
    from portal.selectors import ratable_unions

    unions = ratable_unions(case)
    assert [u.kind for u in unions] == ["enterprise_union", "county_federation"]
    scores = {"contact": 5, "rights": 4, "efficiency": 4, "conduct": 5}
    services.union_rating_submit(case=case, union=unions[0].pk, scores=scores, comment="很负责")
    with pytest.raises(TransitionRefused, match="每年可评价一次"):
        services.union_rating_submit(case=case, union=unions[0].pk, scores=scores)
    with pytest.raises(InvalidInput):
        services.union_rating_submit(case=case, union=unions[1].pk, scores={**scores, "rights": 6})
    with pytest.raises(InvalidInput):
        services.union_rating_submit(case=case, union=999999, scores=scores)
    rows = rating_results(unit=None, year=case.replied_at.year)
    assert rows[0]["count"] == 1 and rows[0]["scores"] == [5.0, 4.0, 4.0, 5.0] and rows[0]["comments"] == ["很负责"]
    assert "孙小梅" not in str(rows)


def test_submission_files_follow_the_case(submit, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    submission, _code = submit(files=[SimpleUploadedFile("工资条.png", png, "image/png")])
    assert submission.files.count() == 1
    case = services.submission_accept(submission=submission, actor=users["desk"])
    assert [a.name for a in case.attachments.all()] == ["工资条.png"]
    with pytest.raises(InvalidInput) as exc:
        submit(phone="13912340005", files=[SimpleUploadedFile("x.exe", b"MZ" + b"\x00" * 40, "image/png")])
    assert "attachments" in exc.value.fields
    assert Submission.objects.count() == 1


def test_the_owner_records_consent_as_a_case_action_page_and_api(answered, users):
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from casework import selectors as cw_selectors
    from portal.models import PublicationConsent

    _s, _code, case = answered()
    case = services.worker_follow_up(case=case, satisfaction="satisfied")
    assert "publication_consent" in cw_selectors.allowed_actions(case, users["desk"])
    assert "publication_consent" not in cw_selectors.allowed_actions(case, users["supervisor"])
    desk = Client()
    desk.force_login(users["desk"])
    page = desk.get(f"/cases/{case.number}/act/publication_consent/")
    assert page.status_code == 200 and "确认方式" in page.content.decode()
    response = desk.post(
        f"/cases/{case.number}/act/publication_consent/", {"version": case.version, "agreed": "no", "method": "phone"}
    )
    assert response.status_code == 302
    consent = PublicationConsent.objects.get(case=case)
    assert consent.agreed is False and consent.method == "phone" and consent.recorded_by == users["desk"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['desk']).key}")
    case.refresh_from_db()
    body = {"version": case.version, "agreed": "yes", "method": "in_person"}
    answer = api.post(f"/api/v1/cases/{case.number}/actions/publication_consent/", body, format="json")
    assert answer.status_code == 200, answer.content
    consent.refresh_from_db()
    assert consent.agreed is True and consent.method == "in_person"
