"""The reception day's rules: planning, the register's outcomes, closing, signing."""

import datetime as dt

import pytest

from casework.exceptions import InvalidInput, NotAllowed
from casework.models import Case, OrgUnit
from reception import services
from reception.models import EntryOutcome, ReceptionEntry, ReceptionSession, SessionStatus

from .conftest import MORNING, session_input


def test_a_day_is_planned_with_its_leaders(users, plan):
    session = plan(form="topic", topic="工资支付专题")
    assert session.status == SessionStatus.PLANNED
    assert list(session.leaders.all()) == [users["leader"]]
    assert session.history.exists()


def test_a_session_in_the_past_cannot_be_planned(users, morning):
    unit = OrgUnit.objects.get(code="DEMO-K1")
    data = session_input([users["leader"]], starts_at=MORNING - dt.timedelta(hours=1))
    with pytest.raises(InvalidInput) as exc:
        services.session_plan(actor=users["desk"], unit=unit, data=data)
    assert "过去" in str(exc.value.fields["starts_at"][0])
    assert not ReceptionSession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": MORNING}, "ends_at"),
        ({"form": "topic"}, "topic"),
        ({"form": "with_cases"}, "cases"),
        ({"place": " "}, "place"),
        ({"form": "nonsense"}, "form"),
        ({"place": "a\x00b"}, "place"),
    ],
)
def test_bad_plans_are_refused(users, morning, overrides, field):
    unit = OrgUnit.objects.get(code="DEMO-K1")
    with pytest.raises(InvalidInput) as exc:
        services.session_plan(actor=users["desk"], unit=unit, data=session_input([users["leader"]], **overrides))
    assert field in exc.value.fields
    assert not ReceptionSession.objects.exists()


def test_receiving_leaders_must_be_leaders(users, morning):
    unit = OrgUnit.objects.get(code="DEMO-K1")
    for leaders in ([], [users["officer_union"]]):
        with pytest.raises(InvalidInput) as exc:
            services.session_plan(actor=users["desk"], unit=unit, data=session_input(leaders))
        assert "leaders" in exc.value.fields
    assert not ReceptionSession.objects.exists()


def test_only_planners_over_the_unit_plan(users, morning):
    k1 = OrgUnit.objects.get(code="DEMO-K1")
    with pytest.raises(NotAllowed):
        services.session_plan(actor=users["officer_union"], unit=k1, data=session_input([users["leader"]]))
    k2 = OrgUnit.objects.get(code="DEMO-K2")
    with pytest.raises(NotAllowed):
        services.session_plan(actor=users["desk"], unit=k2, data=session_input([users["leader"]]))
    assert not ReceptionSession.objects.exists()


def test_a_day_cannot_be_opened_before_its_date(users, plan):
    session = plan(starts_at=MORNING + dt.timedelta(days=2), ends_at=MORNING + dt.timedelta(days=2, hours=3))
    with pytest.raises(InvalidInput):
        services.session_open(actor=users["desk"], session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_entries_are_numbered_and_need_an_open_session(users, plan, add_entry, open_session):
    first = add_entry()
    group = add_entry(worker_name="李师傅", head_count=12)
    assert (first.number, group.number) == (1, 2)
    assert group.is_group and not first.is_group
    planned = plan()
    with pytest.raises(InvalidInput):
        services.entry_add(actor=users["desk"], session=planned, data=first_input())
    assert planned.entries.count() == 0


def first_input():
    from .conftest import entry_input

    return entry_input()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"worker_name": ""}, "worker_name"), ({"raised": " "}, "raised"), ({"head_count": 0}, "head_count"),
     ({"phone": "123"}, "phone")],
)  # fmt: skip
def test_bad_entries_are_refused(add_entry, open_session, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        add_entry(**overrides)
    assert field in exc.value.fields
    assert open_session.entries.count() == 0


def test_outcomes_on_the_spot(users, add_entry):
    answered = services.entry_resolve(
        actor=users["leader"], entry=add_entry(), outcome="answered", text="已告知劳动监察投诉途径。"
    )
    assert answered.outcome == EntryOutcome.ANSWERED and answered.outcome_by == users["leader"]
    referred = services.entry_resolve(actor=users["desk"], entry=add_entry(), outcome="referred", text="区人社局")
    assert referred.referred_to == "区人社局"
    out = services.entry_resolve(actor=users["desk"], entry=add_entry(), outcome="out_of_scope", text="请向法院起诉")
    assert out.guidance == "请向法院起诉"


def test_an_outcome_needs_its_text_and_is_given_once(users, add_entry):
    entry = add_entry()
    with pytest.raises(InvalidInput) as exc:
        services.entry_resolve(actor=users["desk"], entry=entry, outcome="answered", text="")
    assert "answer" in exc.value.fields
    with pytest.raises(InvalidInput):
        services.entry_resolve(actor=users["desk"], entry=entry, outcome="case", text="x")
    services.entry_resolve(actor=users["desk"], entry=entry, outcome="referred", text="区人社局")
    with pytest.raises(InvalidInput):
        services.entry_resolve(actor=users["desk"], entry=entry, outcome="answered", text="又一次")
    entry.refresh_from_db()
    assert entry.outcome == "referred" and entry.answer == ""


def test_filing_a_case_goes_through_registration(users, add_entry, open_session):
    entry = add_entry(head_count=3)
    case = services.entry_file_case(actor=users["desk"], entry=entry, consent=True, leader_takes_charge=True)
    entry.refresh_from_db()
    assert entry.case == case and entry.outcome == EntryOutcome.CASE
    assert case.reception_entry.session == open_session
    assert case.channel.code == "reception_day"
    assert case.receiving_leader == users["leader"]
    assert case.leader == users["leader"]
    assert case.owner == users["desk"]
    assert case.workers_involved == 3
    assert case.worker.name == "王建国"


def test_filing_without_consent_writes_nothing(users, add_entry):
    entry = add_entry()
    with pytest.raises(InvalidInput):
        services.entry_file_case(actor=users["desk"], entry=entry, consent=False)
    entry.refresh_from_db()
    assert entry.outcome == "" and entry.case is None
    assert not Case.objects.exists()


def test_filing_needs_an_enterprise_in_the_tree(users, add_entry):
    entry = add_entry(enterprise=None, employer="某外地公司")
    with pytest.raises(InvalidInput) as exc:
        services.entry_file_case(actor=users["desk"], entry=entry, consent=True)
    assert "enterprise" in exc.value.fields
    assert not Case.objects.exists()


def test_a_case_is_filed_once(users, add_entry):
    entry = add_entry()
    services.entry_file_case(actor=users["desk"], entry=entry, consent=True)
    with pytest.raises(InvalidInput):
        services.entry_file_case(actor=users["desk"], entry=entry, consent=True)
    assert Case.objects.count() == 1


def test_an_entry_needs_an_outcome_before_close(users, add_entry, open_session):
    add_entry()
    with pytest.raises(InvalidInput) as exc:
        services.session_close(actor=users["desk"], session=open_session)
    assert "1" in str(exc.value.message)
    open_session.refresh_from_db()
    assert open_session.status == SessionStatus.OPEN


def test_close_then_sign_off_by_the_receiving_leader(users, add_entry, open_session):
    services.entry_resolve(actor=users["desk"], entry=add_entry(), outcome="answered", text="已解答")
    session = services.session_close(actor=users["desk"], session=open_session)
    assert session.status == SessionStatus.CLOSED
    with pytest.raises(InvalidInput):
        services.entry_add(actor=users["desk"], session=session, data=first_input())
    with pytest.raises(NotAllowed):
        services.session_sign_off(actor=users["desk"], session=session)
    session = services.session_sign_off(actor=users["leader"], session=session)
    assert session.signed_off_by == users["leader"]
    with pytest.raises(InvalidInput):
        services.session_sign_off(actor=users["leader"], session=session)
    assert ReceptionEntry.objects.get().history.count() == 2


def test_cancel_needs_a_reason_and_a_planned_day(users, plan, open_session):
    session = plan()
    with pytest.raises(InvalidInput):
        services.session_cancel(actor=users["desk"], session=session, reason="")
    services.session_cancel(actor=users["desk"], session=session, reason="主席出差")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    with pytest.raises(InvalidInput):
        services.session_cancel(actor=users["desk"], session=open_session, reason="晚了")


def test_update_only_while_planned(users, plan, open_session):
    session = plan()
    services.session_update(actor=users["desk"], session=session, data=session_input([users["leader"]], place="新址"))
    session.refresh_from_db()
    assert session.place == "新址"
    with pytest.raises(InvalidInput):
        services.session_update(actor=users["desk"], session=open_session, data=session_input([users["leader"]]))


def test_a_day_held_on_paper_is_recorded_afterwards(users, morning):
    unit = OrgUnit.objects.get(code="DEMO-K1")
    past = session_input([users["leader"]], starts_at=MORNING - dt.timedelta(days=3),
                         ends_at=MORNING - dt.timedelta(days=3) + dt.timedelta(hours=3))  # fmt: skip
    session = services.session_record_held(actor=users["desk"], unit=unit, data=past)
    assert session.status == SessionStatus.OPEN
    future = session_input([users["leader"]])
    with pytest.raises(InvalidInput):
        services.session_record_held(actor=users["desk"], unit=unit, data=future)
    too_old = session_input([users["leader"]], starts_at=MORNING - dt.timedelta(days=100),
                            ends_at=MORNING - dt.timedelta(days=100) + dt.timedelta(hours=3))  # fmt: skip
    with pytest.raises(InvalidInput):
        services.session_record_held(actor=users["desk"], unit=unit, data=too_old)
    assert ReceptionSession.objects.count() == 1


def test_the_notice_goes_to_enterprise_unions_once(users, plan, open_session):
    from notifications.models import Notification

    session = plan()
    n = services.session_announce(actor=users["desk"], session=session)
    assert n >= 1
    recipients = set(
        Notification.objects.filter(key=f"reception:{session.pk}:notice").values_list("user__username", flat=True)
    )
    assert "officer_enterprise" in recipients and "officer_elsewhere" not in recipients
    with pytest.raises(InvalidInput):  # once; a second send must be asked for (resend)
        services.session_announce(actor=users["desk"], session=session)
    with pytest.raises(InvalidInput):
        services.session_announce(actor=users["desk"], session=open_session)
    with pytest.raises(NotAllowed):
        services.session_announce(actor=users["officer_union"], session=session)
