"""The default time limits of DOMAIN.md (信访工作条例 2022, 企业劳动争议协商调解规定 2012).

Seeded by migration 0002; ``ensure_default_policies`` is idempotent and never overwrites
an administrator's edits (tests that flush the database call it again).
"""

from django.utils import timezone

from casework.deadlines import DEFAULT_LIMIT_DAYS as DAYS  # one table of the DOMAIN.md figures

DEFAULTS = [
    # stage, name, length, unit, breach action, max extension days, note
    (
        "receipt",
        "受理告知",
        DAYS["receipt"],
        "calendar_days",
        "flag",
        None,
        "信访工作条例（2022）第二十三条：15日内书面告知",
    ),
    (
        "enterprise",
        "企业层面办理",
        DAYS["enterprise"],
        "calendar_days",
        "escalate",
        None,
        "企业劳动争议协商调解规定（2012）：调解15日内结束；企业难以解决的转工会层面",
    ),
    ("union", "工会层面办理", DAYS["union"], "calendar_days", "flag", None, "工会工作惯例；由工会决定是否转党委政府"),
    (
        "government",
        "党委政府层面办理",
        DAYS["government"],
        "calendar_days",
        "flag",
        30,
        "信访工作条例（2022）：60日办结，经批准可延长不超过30日，并告知理由",
    ),
    ("reply", "答复职工", DAYS["reply"], "calendar_days", "flag", None, "首问负责：形成结果后及时答复职工"),
    (
        "follow_up",
        "回访",
        DAYS["follow_up"],
        "calendar_days",
        "close",
        None,
        "12345 惯例：一般诉求7天内回访，逾期按未评价办结",
    ),
    ("review", "复查办理", 30, "calendar_days", "flag", None, "信访工作条例（2022）：复查30日"),
    ("re_review", "复核办理", 30, "calendar_days", "flag", None, "信访工作条例（2022）：复核30日"),
]


def ensure_default_policies(TimePolicy=None, HistoricalTimePolicy=None) -> None:  # noqa: N803
    """Create the missing province-wide defaults.

    Inside a migration the historical models get no history signal, so the history row
    is written by hand; with the real model, simple_history writes it.
    """
    if TimePolicy is None:
        from .models import TimePolicy

    for stage, name, length, unit, action, max_ext, note in DEFAULTS:
        if TimePolicy.objects.filter(
            stage=stage, unit=None, category=None, min_workers=None, urgent_only=False
        ).exists():
            continue
        policy = TimePolicy.objects.create(
            stage=stage,
            name=name,
            length=length,
            length_unit=unit,
            breach_action=action,
            max_extension_days=max_ext,
            note=note,
            warn_fraction="0.667",
            warn_days_left=3,
        )
        if HistoricalTimePolicy is None:
            continue
        values = {f.attname: getattr(policy, f.attname) for f in TimePolicy._meta.fields}
        HistoricalTimePolicy.objects.create(
            **values, history_date=timezone.now(), history_type="+", history_change_reason="默认时限"
        )
