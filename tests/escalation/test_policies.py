"""Which policy applies: urgent > group > nearer unit > category > the province default."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casework.models import Category, OrgUnit
from escalation import policies
from escalation.models import TimePolicy

from .conftest import local


def policy(**kw):
    values = dict(name=kw.get("name", "p"), stage="enterprise", length=10, breach_action="escalate")
    values.update(kw)
    return TimePolicy.objects.create(**values)


def test_seeded_defaults_follow_the_domain_table(db):
    rows = {p.stage: p for p in TimePolicy.objects.filter(unit=None, category=None)}
    assert {s: (p.length, p.length_unit, p.breach_action) for s, p in rows.items()} == {
        "receipt": (15, "calendar_days", "flag"),
        "enterprise": (15, "calendar_days", "escalate"),
        "union": (30, "calendar_days", "flag"),
        "government": (60, "calendar_days", "flag"),
        "reply": (3, "calendar_days", "flag"),
        "follow_up": (7, "calendar_days", "close"),
        "review": (30, "calendar_days", "flag"),
        "re_review": (30, "calendar_days", "flag"),
    }
    assert rows["government"].max_extension_days == 30
    assert rows["enterprise"].history.count() == 1


def test_precedence(make_case, monday):
    case = make_case()
    unit = case.handling_unit  # DEMO-E1's union, under DEMO-E1, under county DEMO-K1
    county = OrgUnit.objects.get(code="DEMO-K1")
    wages = Category.objects.get(code="wages")
    assert policies.resolve(case, "enterprise").name == "企业层面办理"

    policy(name="wages", category=wages, length=12)
    assert policies.resolve(case, "enterprise").name == "wages"
    policy(name="county", unit=county, length=11)
    assert policies.resolve(case, "enterprise").name == "county"  # unit beats category
    policy(name="enterprise-union", unit=unit, length=9)
    assert policies.resolve(case, "enterprise").name == "enterprise-union"  # nearer unit wins
    policy(name="elsewhere", unit=OrgUnit.objects.get(code="DEMO-K2"), length=1)
    assert policies.resolve(case, "enterprise").name == "enterprise-union"  # other subtrees never apply

    policy(name="group", min_workers=10, length=7)
    assert policies.resolve(case, "enterprise").name == "enterprise-union"  # 1 worker: not a group
    case.workers_involved = 30
    assert policies.resolve(case, "enterprise").name == "group"
    policy(name="big group", min_workers=20, length=5)
    assert policies.resolve(case, "enterprise").name == "big group"

    policy(name="urgent", urgent_only=True, length=72, length_unit="hours")
    assert policies.resolve(case, "enterprise").name == "big group"
    case.urgent = True
    assert policies.resolve(case, "enterprise").name == "urgent"

    TimePolicy.objects.filter(name="urgent").update(active=False)
    policies.forget()  # a queryset update sends no signal
    assert policies.resolve(case, "enterprise").name == "big group"


def test_override_sets_the_clock_of_a_new_case(make_case, monday):
    p = policy(name="urgent", urgent_only=True, length=3, length_unit="working_days", warn_days_left=1)
    case = make_case(urgent=True)
    assert case.due_at == local(2025, 3, 7, 0, 0)  # Tue, Wed, Thu
    # 2/3 (stored as 0.667) of the 86 hours used comes before "1 day left"
    assert case.warn_at == monday + dt.timedelta(hours=86) * 0.667
    p.warn_fraction = None
    p.save()
    assert make_case(urgent=True).warn_at == local(2025, 3, 6, 0, 0)


def test_reopened_cases_use_the_review_policy(make_case, monday):
    case = make_case()
    assert policies.policy_stage(case, "union") == "union"
    case.reopen_count = 1
    assert policies.policy_stage(case, "union") == "review"
    assert policies.resolve(case, "union").stage == "review"
    case.reopen_count = 2
    assert policies.resolve(case, "union").stage == "re_review"
    TimePolicy.objects.filter(stage="re_review").delete()
    assert policies.resolve(case, "union").stage == "union"


def test_no_policy_falls_back_to_casework_defaults(make_case, monday):
    TimePolicy.objects.filter(stage="enterprise").delete()
    case = make_case()
    assert case.due_at == local(2025, 3, 19, 0, 0)  # casework's 15 days, counted like a policy
    assert case.clocks.get(stopped_at__isnull=True).policy_snapshot["name"] == "default"


@pytest.mark.parametrize(
    "values, field",
    [
        ({"stage": "union", "breach_action": "close"}, "breach_action"),
        ({"stage": "government", "breach_action": "escalate"}, "breach_action"),
        ({"length_unit": "hours", "warn_days_left": 3}, "warn_days_left"),
        ({"length": 0}, "length"),
    ],
)
def test_invalid_policies_are_refused(db, values, field):
    p = TimePolicy(**{"name": "x", "stage": "enterprise", "length": 5, "breach_action": "flag", **values})
    with pytest.raises(ValidationError) as exc:
        p.full_clean()
    assert field in exc.value.message_dict
