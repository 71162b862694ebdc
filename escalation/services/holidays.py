"""节假日安排: save a year's schedule from its notice, confirm it, and recompute the open
clocks it changes.

``holiday_schedule_save`` and ``holiday_schedule_confirm`` are each one transaction that
first locks the ``HolidayCalendarState`` row (two administrators confirming at once wait
for each other, and clocks being computed right now finish first: see ``calendar.py``).
A confirmation changes the state's token, so every process re-reads the schedule, and then
``deadlines_recompute`` moves every open clock the new schedule changes, one case at a
time (``locked_case`` + ``record_change``: one history row ``deadline_recomputed`` naming
the notice, which tells the owner). If the process stops half-way, the scheduled job
``recompute_pending`` finishes: the state keeps the token the clocks were last recomputed for.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from casework.clock import now
from casework.dates import format_day
from casework.exceptions import InvalidInput
from casework.services import locked_case, record_change

from .. import calendar, policies
from ..holiday_notice import ParsedNotice, parse_notice
from ..models import (
    ClockKind,
    ClockPause,
    DeadlineClock,
    HolidayCalendarState,
    HolidayDay,
    HolidaySchedule,
    ScheduleSource,
    ScheduleStatus,
)
from ..system import system_actor
from ._clocks import open_clocks, sync_case

logger = logging.getLogger(__name__)

RECOMPUTE_ACTION = "deadline_recomputed"
PAGE = 200


def _lock_state() -> HolidayCalendarState:
    state, _created = HolidayCalendarState.objects.select_for_update().get_or_create(pk=1)
    return state


def _notice_errors(notice: ParsedNotice) -> list[str]:
    messages = []
    for note in notice.errors:
        prefix = _("第%(line)d行：") % {"line": note.line} if note.line else ""
        messages.append(f"{prefix}{note.message}")
    return messages


def _confirmed_of(year: int, *, exclude: int | None = None) -> HolidaySchedule | None:
    qs = HolidaySchedule.objects.filter(year=year, status=ScheduleStatus.CONFIRMED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _require_reason(year: int, reason: str, *, exclude: int | None = None) -> HolidaySchedule | None:
    """The confirmed schedule a new one would revise; a revision needs its reason."""
    current = _confirmed_of(year, exclude=exclude)
    if current is not None and not (reason or "").strip():
        raise InvalidInput(
            _("%(year)d年已有确认的节假日安排（%(title)s），再次录入即为修订，请填写修订理由。")
            % {"year": year, "title": current.title},
            fields={"reason": [_("请填写修订理由。")]},
        )
    return current


def holiday_schedule_save(
    *,
    actor,
    text: str,
    year: int | None = None,
    title: str = "",
    number: str = "",
    issued_on: dt.date | None = None,
    reason: str = "",
    confirm: bool = False,
) -> HolidaySchedule:
    """Save the schedule a pasted notice states: a draft, or confirmed at once (``confirm``).

    Refused, nothing saved, when the notice has a line it cannot read, a day both off and
    working, a date outside its year, or when the year already has a confirmed schedule and
    no reason is given (with one it is a revision of that schedule).
    """
    notice = parse_notice(text, year=year)
    if not notice.ok:
        errors = _notice_errors(notice)
        raise InvalidInput(_("通知无法读取：%(errors)s") % {"errors": "；".join(errors)}, fields={"text": errors})
    at = now()
    with transaction.atomic():
        _lock_state()
        _require_reason(notice.year, reason)
        schedule = HolidaySchedule(
            year=notice.year,
            # The document's own name, not translated.
            title=(title or notice.title or f"国务院办公厅关于{notice.year}年部分节假日安排的通知")[:200],
            number=(number or notice.number)[:60],
            issued_on=issued_on or notice.issued_on,
            source=ScheduleSource.NOTICE,
            text=text,
            status=ScheduleStatus.DRAFT,
            reason=(reason or "").strip(),
            created_at=at,
            created_by=actor,
        )
        schedule.full_clean()
        schedule._history_user = actor
        schedule._change_reason = _("录入节假日安排")
        schedule.save()
        days = [HolidayDay(schedule=schedule, date=d.date, kind=d.kind, name=d.name[:60]) for d in notice.days]
        for day in days:
            day.full_clean(exclude=["schedule"])
        bulk_create_with_history(days, HolidayDay, default_user=actor, default_change_reason=_("录入节假日安排"))
        if confirm:
            _confirm(schedule, actor=actor, at=at)
    if confirm:
        schedule.recomputed = deadlines_recompute()
    return schedule


def holiday_schedule_confirm(*, schedule: HolidaySchedule | int, actor, reason: str = "") -> HolidaySchedule:
    """确认: a draft becomes the year's schedule (a revision, with its reason, when the year
    had one); then the open clocks it changes are recomputed."""
    with transaction.atomic():
        _lock_state()
        pk = schedule.pk if isinstance(schedule, HolidaySchedule) else schedule
        locked = HolidaySchedule.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise InvalidInput(_("节假日安排不存在。"))
        if locked.status != ScheduleStatus.DRAFT:
            raise InvalidInput(
                _("只有草稿可以确认；该安排当前为“%(status)s”。") % {"status": locked.get_status_display()}
            )
        if (reason or "").strip():
            locked.reason = reason.strip()
        _confirm(locked, actor=actor, at=now())
    locked.recomputed = deadlines_recompute()
    return locked


def _confirm(schedule: HolidaySchedule, *, actor, at: dt.datetime) -> None:
    """Inside the caller's transaction, with the state row locked."""
    previous = _require_reason(schedule.year, schedule.reason, exclude=schedule.pk)
    if previous is not None:
        previous.status = ScheduleStatus.SUPERSEDED
        previous._history_user = actor
        previous._change_reason = _("被修订：%(reason)s") % {"reason": schedule.reason}
        previous.save(update_fields=["status"])
        schedule.supersedes = previous
        schedule.revision = previous.revision + 1
    schedule.status = ScheduleStatus.CONFIRMED
    schedule.confirmed_at, schedule.confirmed_by = at, actor
    schedule._history_user = actor
    schedule._change_reason = schedule.reason or _("确认节假日安排")
    try:
        with transaction.atomic():
            schedule.save()
    except IntegrityError:
        raise InvalidInput(_("%(year)d年已有确认的节假日安排，请刷新后重试。") % {"year": schedule.year}) from None
    state = HolidayCalendarState.objects.get(pk=1)
    state.token, state.changed_at = uuid.uuid4(), at
    state.pending_years = sorted({*state.pending_years, schedule.year})
    state.save()


# --- recompute -------------------------------------------------------------------------------


def clock_deadline(clock: DeadlineClock) -> tuple[dt.datetime, dt.datetime | None]:
    """``(due_at, warn_at)`` of ``clock`` computed again under today's calendar: the policy's
    length from its start, the time it stood still (挂起) and its approved extension, in
    the order they happened."""
    snapshot = clock.policy_snapshot
    due, warn = policies.deadline(snapshot, clock.started_at)
    if clock.extension_approved_at is None:
        if clock.paused_total:
            due += clock.paused_total
            warn = warn + clock.paused_total if warn else None
        return due, warn
    before = dt.timedelta()
    for started, ended in ClockPause.objects.filter(clock=clock, ended_at__isnull=False).values_list(
        "started_at", "ended_at"
    ):
        if ended <= clock.extension_approved_at:
            before += ended - started
    after = clock.paused_total - before
    due = calendar.extend(due + before, clock.extension_days or 0, clock.length_unit) if clock.extension_days else due
    warn = policies.warn_at(snapshot, clock.started_at + before, due)
    return due + after, (warn + after if warn else None)


def _candidates(years: set[int]):
    """Open stage clocks counted in working days that a change to ``years`` may move:
    the provisional ones, and those whose days reach into one of those years."""
    qs = DeadlineClock.objects.filter(
        stopped_at__isnull=True, kind=ClockKind.STAGE, policy_snapshot__length_unit=calendar.LengthUnit.WORKING_DAYS
    )
    reach = Q(provisional=True)
    for year in sorted(years):
        reach |= Q(
            due_at__gt=calendar.end_of_day(dt.date(year - 1, 12, 23)),
            started_at__lt=calendar.end_of_day(dt.date(year, 12, 31)),
        )
    return qs.filter(reach)


def _notice_label(years: set[int], span: tuple[dt.datetime, ...], labels: dict) -> str:
    """The notices behind a recomputed deadline: the changed years the clock's days reach
    (every confirmed year it reaches when no year is named), e.g. 《国务院办公厅关于2027年部分节假日安排的通知》."""
    reached = set(range(calendar.local_day(min(span)).year, calendar.last_day_of(max(span)).year + 1))
    wanted = frozenset(reached & years or reached)
    if wanted not in labels:
        schedules = HolidaySchedule.objects.filter(year__in=wanted, status=ScheduleStatus.CONFIRMED).order_by("year")
        names = [f"《{s.title}》" + (f"（{s.number}）" if s.number else "") for s in schedules]
        labels[wanted] = "、".join(names) or _("已确认的节假日安排")
    return labels[wanted]


def _apply(clock: DeadlineClock, due: dt.datetime, warn: dt.datetime | None, at: dt.datetime) -> None:
    clock.due_at, clock.warn_at = due, warn
    if warn and warn > at:
        clock.warned_at = None
    if clock.breach_outcome == "flagged" and due > at:
        clock.breached_at, clock.breach_outcome = None, ""  # the red is lifted: the new deadline counts
    clock.save()


def _recompute_case(case_id: int, years: set[int], labels: dict, actor) -> bool:
    """One case under its lock: True when its deadline moved (and the change was recorded)."""
    with locked_case(case_id) as case:
        clocks = open_clocks(case)
        clock = clocks.get(ClockKind.STAGE)
        if clock is None or clock.length_unit != calendar.LengthUnit.WORKING_DAYS:
            return False
        due, warn = clock_deadline(clock)
        old_due = clock.due_at
        if due == old_due and warn == clock.warn_at:
            if clock.provisional != calendar.is_provisional(clock.started_at, clock.due_at, clock.length_unit):
                clock.save(update_fields=["provisional"])
            return False
        label = _notice_label(years, (clock.started_at, due, *([old_due] if old_due else [])), labels)
        _apply(clock, due, warn, now())
        sync_case(case, clocks)
        reason = _("按%(notice)s重新计算办理期限：由 %(old)s 改为 %(new)s（当日24时止）。") % {
            "notice": label,
            "old": format_day(calendar.last_day_of(old_due)) if old_due else "—",
            "new": format_day(calendar.last_day_of(due)),
        }
        if clock.provisional:
            reason += _("（仍为暂定期限）")
        record_change(case, actor=actor, action=RECOMPUTE_ACTION, reason=reason)
        return True


def deadlines_recompute(*, years: set[int] | None = None) -> int:
    """Recompute the open clocks the schedules confirmed since the last run (``years``: the
    state's pending years) may move, and every provisional one; how many deadlines moved.
    Safe to run twice or concurrently: an unchanged clock writes nothing."""
    state = HolidayCalendarState.objects.filter(pk=1).first()
    if state is None:
        return 0
    token = state.token
    if years is None:
        years = set(state.pending_years)
    labels: dict = {}
    actor = system_actor()
    moved, failed, last = 0, 0, 0
    candidates = _candidates(years)
    while True:
        page = list(candidates.filter(pk__gt=last).order_by("pk").values_list("pk", "case_id")[:PAGE])
        if not page:
            break
        for pk, case_id in page:
            last = pk
            try:
                moved += _recompute_case(case_id, years, labels, actor)
            except Exception:  # one case's failure (its transaction undone) must not stop the others
                logger.exception("recomputing the deadline of case %s failed", case_id)
                failed += 1
    if not failed:
        # Done for this token; a confirmation meanwhile changed it and keeps its year pending.
        # After a failure the scheduled job (recompute_pending) runs it all again.
        HolidayCalendarState.objects.filter(pk=1, token=token).update(
            recomputed_token=token, recomputed_at=now(), pending_years=[]
        )
    return moved


def recompute_pending() -> int:
    """The scheduled job: recompute when a confirmation has not been followed by a
    completed recompute (the process stopped half-way); one query when there is nothing to do."""
    state = HolidayCalendarState.objects.filter(pk=1).values("token", "recomputed_token").first()
    if state is None or state["token"] == state["recomputed_token"]:
        return 0
    return deadlines_recompute()
