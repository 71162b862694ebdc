"""条条有回音: every voice ends once; the unanswered list, its setting, registry, digest and report."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.digest import digest_context
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from reception import services as reception_services
from reports.selectors.outcomes import outcome_report
from reports.selectors.scope import Scope
from visits import services as visit_services
from voices import selectors, services
from voices.models import Voice, VoiceOutcome

from ..conftest import PASSWORD
from ..reception.conftest import MORNING


def _k1():
    return OrgUnit.objects.get(code="DEMO-K1")


def _record(users, days_ago=10, **kw):
    values = dict(actor=users["desk"], unit=_k1(), source="forum", summary="食堂饭菜涨价，希望工会协调。",
                  raised_on=MORNING.date() - dt.timedelta(days=days_ago))  # fmt: skip
    values.update(kw)
    return services.voice_record(**values)


def _keys(items):
    return {(i.kind, i.pk) for i in items}


def test_a_voice_ends_exactly_once(users, morning):
    voice = _record(users)
    with pytest.raises(InvalidInput) as exc:
        services.voice_close(actor=users["desk"], voice=voice, outcome="no_action", text="")
    assert "reason" in exc.value.fields
    services.voice_close(actor=users["leader"], voice=voice, outcome="answered", text="已与企业沟通，下月起恢复原价。")
    with pytest.raises(InvalidInput):
        services.voice_close(actor=users["desk"], voice=voice, outcome="no_action", text="无需")
    voice.refresh_from_db()
    assert voice.outcome == VoiceOutcome.ANSWERED and voice.outcome_by == users["leader"] and voice.reason == ""
    assert voice.history.count() == 2


def test_a_voice_links_a_visible_case_both_ways(users, morning, make_case):
    voice = _record(users)
    with pytest.raises(InvalidInput):
        services.voice_close(actor=users["desk"], voice=voice, outcome="case", case_number="GH-2000-000001")
    case = make_case()
    services.voice_close(actor=users["desk"], voice=voice, outcome="case", case_number=case.number)
    assert list(case.voices.all()) == [Voice.objects.get(pk=voice.pk)]


def test_bad_voices_are_refused(users, morning):
    with pytest.raises(InvalidInput):
        _record(users, summary=" ")
    with pytest.raises(InvalidInput):
        _record(users, days_ago=-1)
    with pytest.raises(NotAllowed):
        _record(users, unit=OrgUnit.objects.get(code="DEMO-K2"))
    assert not Voice.objects.exists()


def test_another_county_cannot_answer(users, morning, client):
    voice = _record(users)
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.get(username="leader_2")
    with pytest.raises(NotAllowed):
        services.voice_close(actor=other, voice=voice, outcome="answered", text="x")
    assert client.login(username="leader_2", password=PASSWORD)
    assert client.get(reverse("voices:voice", args=[voice.pk])).status_code == 404
    assert "食堂" not in client.get(reverse("voices:list")).content.decode()


def test_unanswered_after_n_days_from_every_source(users, morning, make_interview, add_entry, time_machine, settings):
    recent = _record(users, days_ago=2)
    old = _record(users, days_ago=10)
    interview = make_interview()  # its 诉求 is not filed yet
    filed = make_interview()
    visit_services.interview_file_case(actor=users["desk"], interview=filed)
    entry = add_entry()  # a reception entry left without an outcome
    path = _k1().path
    assert _keys(selectors.unanswered(unit_path=path)) == {("voice", old.pk)}
    time_machine.move_to(MORNING + dt.timedelta(days=8), tick=False)
    keys = _keys(selectors.unanswered(unit_path=path))
    assert keys == {("voice", old.pk), ("voice", recent.pk), ("interview", interview.pk), ("reception", entry.pk)}
    settings.VOICES_UNANSWERED_DAYS = 30
    assert selectors.unanswered(unit_path=path) == []
    settings.VOICES_UNANSWERED_DAYS = 7
    services.interview_close(actor=users["desk"], interview=interview, outcome="no_action", text="已在座谈会上说明政策")
    with pytest.raises(InvalidInput):
        services.interview_close(actor=users["desk"], interview=interview, outcome="answered", text="again")
    with pytest.raises(InvalidInput):
        services.interview_close(actor=users["desk"], interview=filed, outcome="answered", text="x")
    assert ("interview", interview.pk) not in _keys(selectors.unanswered(unit_path=path))
    assert selectors.unanswered(unit_path=OrgUnit.objects.get(code="DEMO-K2").path) == []


def fake_campaign_contacts(*, unit_path, start, end, unanswered_only):
    from voices.selectors import VoiceItem

    return [VoiceItem("campaign", 1, "联系点", 0, "测试单位", dt.date(2026, 1, 1), "三个月未走访", "", "/")]


def test_sources_are_a_registry(users, morning, settings):
    settings.VOICE_SOURCES = [*settings.VOICE_SOURCES, "tests.voices.test_voices.fake_campaign_contacts"]
    assert ("campaign", 1) in _keys(selectors.unanswered(unit_path=None))


def test_digest_and_report_count_voices(users, morning, add_entry):
    old = _record(users, days_ago=10)
    answered = _record(users, days_ago=3)
    services.voice_close(actor=users["desk"], voice=answered, outcome="answered", text="已答复")
    entry = add_entry()
    reception_services.entry_file_case(actor=users["desk"], entry=entry, consent=True)
    context = digest_context(_k1(), MORNING)
    assert any("未回音的职工诉求：1 条" in n for n in context["notices"])
    scope = Scope(date_from=MORNING.date() - dt.timedelta(days=30), date_to=MORNING.date(), unit=_k1())
    figures = outcome_report(scope, at=MORNING)["voices"]
    assert figures == {"received": 3, "answered": 1, "case": 1, "no_action": 0, "unanswered": 1, "overdue": 1}
    assert old.pk


def test_pages(users, morning, client, make_interview):
    _record(users)
    make_interview()
    assert client.login(username="desk", password=PASSWORD)
    page = client.get(reverse("voices:list")).content.decode()
    assert "食堂饭菜涨价" in page
    response = client.post(reverse("voices:create"), {"unit": _k1().pk, "source": "visit", "raised_on": "2026-05-30",
                                                       "summary": "宿舍漏雨"})  # fmt: skip
    voice = Voice.objects.get(summary="宿舍漏雨")
    assert response.status_code == 302
    response = client.post(reverse("voices:voice", args=[voice.pk]), {"outcome": "answered", "text": ""})
    assert response.status_code == 422 and "请填写答复内容" in response.content.decode()
    client.post(reverse("voices:voice", args=[voice.pk]), {"outcome": "no_action", "text": "企业已维修"})
    voice.refresh_from_db()
    assert voice.outcome == "no_action" and voice.reason == "企业已维修"
