"""One click files a case from an interview: fields carried over, linked, shown on both pages."""

import pytest
from django.urls import reverse

from casework.exceptions import InvalidInput, NotAllowed
from casework.models import Case
from visits import services
from visits.models import Interview

from ..conftest import PASSWORD


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_case_carries_the_interview_over(users, make_interview):
    interview = make_interview()
    case = services.interview_file_case(actor=users["desk"], interview=interview)
    assert case.channel.code == "visit"
    assert case.owner == users["desk"]
    assert case.enterprise == interview.visit.enterprise
    assert case.category.code == "wages"
    assert case.summary == interview.notes
    assert case.request == interview.request
    assert case.place == interview.place
    assert case.consent is True
    w = case.worker
    assert (w.name, w.gender, w.birth_month, w.phone) == ("王大力", "male", "1982-05", "13912340001")
    assert (w.province, w.city, w.county, w.hukou) == ("江东省", "临江市", "东城区", "江东省青川市")
    assert (w.ethnicity, w.political_status, w.education) == ("汉族", "群众", "初中")
    assert (w.post, w.technical_title, w.migrant, w.dispatched) == ("装配工", "初级工", True, False)
    assert w.enterprise == interview.visit.enterprise
    interview.refresh_from_db()
    assert interview.case == case
    assert list(case.visit_interviews.all()) == [interview]


def test_case_shows_on_the_interview_and_visit_pages(client, users, make_interview):
    interview = make_interview()
    c = _client(client, users["desk"])
    response = c.post(reverse("visits:interview_file_case", args=[interview.pk]))
    assert response.status_code == 302
    case = Case.objects.get(visit_interviews=interview)
    assert case.owner == users["desk"]
    page = c.get(reverse("visits:interview", args=[interview.pk])).content.decode()
    assert case.number in page and reverse("casework:detail", args=[case.number]) in page
    page = c.get(reverse("visits:visit", args=[interview.visit.pk])).content.decode()
    assert case.number in page and "由本次走访登记的案件（1）" in page
    # the case page itself is reachable for the filer (owner)
    assert c.get(reverse("casework:detail", args=[case.number])).status_code == 200


def test_second_click_files_nothing(users, make_interview):
    interview = make_interview()
    services.interview_file_case(actor=users["desk"], interview=interview)
    before = Case.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.interview_file_case(actor=users["desk"], interview=interview)
    assert "已登记为案件" in str(exc.value.message)
    assert Case.objects.count() == before


def test_incomplete_form_files_nothing_with_chinese_reasons(users, make_interview):
    interview = make_interview(consent=False, worker_name="", gender="unknown", birth_month="", phone="",
                               province="", city="", county="", hukou="", ethnicity="", political_status="",
                               education="", post="", technical_title="", migrant=False, request="")
    before = Case.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.interview_file_case(actor=users["desk"], interview=interview)
    assert set(exc.value.fields) == {"consent", "worker_name", "request"}
    assert "同意" in exc.value.fields["consent"][0]
    assert Case.objects.count() == before
    assert Interview.objects.get(pk=interview.pk).case is None


def test_filing_needs_the_register_permission(users, make_interview):
    interview = make_interview()
    with pytest.raises(NotAllowed) as exc:
        services.interview_file_case(actor=users["officer_union"], interview=interview)
    assert "登记案件" in str(exc.value.message)
    assert Interview.objects.get(pk=interview.pk).case is None


def test_page_refusal_is_a_message_not_a_500(client, users, make_interview):
    interview = make_interview(consent=False, worker_name="", gender="unknown", birth_month="", phone="",
                               province="", city="", county="", hukou="", ethnicity="", political_status="",
                               education="", post="", technical_title="", migrant=False)
    c = _client(client, users["desk"])
    response = c.post(reverse("visits:interview_file_case", args=[interview.pk]), follow=True)
    assert response.status_code == 200
    assert "登记表信息不全" in response.content.decode()
    assert not Case.objects.filter(visit_interviews=interview).exists()
