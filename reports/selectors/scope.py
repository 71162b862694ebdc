"""Who may read reports, and the period × unit subtree a report covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules, selectors
from casework.exceptions import InvalidInput
from casework.forms import picked_code
from casework.models import Case, CaseStage, OrgUnit
from casework.models.org import FEDERATION_KINDS, Role, UnitKind

REPORT_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.ADMIN)
MAX_DAYS = 366 * 10


def can_view_reports(user) -> bool:
    """Supervisors (督导检查组), leaders and admins read reports for their unit's subtree."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or rules.role_of(user) in REPORT_ROLES


def home_unit(user) -> OrgUnit | None:
    """The root of the user's jurisdiction (None: everything, for a superuser)."""
    if user is not None and user.is_superuser:
        return None
    profile = rules.profile(user)
    return profile.unit if profile else None


@dataclass(frozen=True)
class Scope:
    date_from: dt.date
    date_to: dt.date
    unit: OrgUnit | None  # None: the whole database (superuser or command line)

    @property
    def start(self) -> dt.datetime:
        return _local_midnight(self.date_from)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after ``date_to``."""
        return _local_midnight(self.date_to + dt.timedelta(days=1))

    @property
    def unit_code(self) -> str | None:
        return self.unit.code if self.unit else None

    def as_dict(self) -> dict:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "unit": self.unit_code,
            "unit_name": self.unit.name if self.unit else None,
        }


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _date(value, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(fields={field: [_("%(label)s格式应为 YYYY-MM-DD。") % {"label": label}]}) from None


def parse_scope(
    *, date_from=None, date_to=None, unit: str | None = None, within: OrgUnit | None = None, everything: bool = False
) -> Scope:
    """The report's scope from user input; bad input raises ``InvalidInput`` (400, Chinese).

    ``within`` is the user's jurisdiction: a unit outside it answers 404 as if it did not
    exist. ``everything`` (superuser, command line) allows the whole database.
    Defaults: from 1 January of this year to today.
    """
    today = timezone.localdate()
    start = _date(date_from, "from", _("起始日期")) or today.replace(month=1, day=1)
    end = _date(date_to, "to", _("截止日期")) or today
    if end < start:
        raise InvalidInput(fields={"to": [_("截止日期不能早于起始日期。")]})
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(fields={"to": [_("统计区间不能超过十年。")]})
    code = picked_code(unit or "")
    if code:
        if len(code) > 40:
            raise Http404
        found = OrgUnit.objects.filter(code=code).first()
        if found is None or (not everything and (within is None or not found.path.startswith(within.path))):
            raise Http404
        chosen: OrgUnit | None = found
    else:
        chosen = None if everything else within
        if chosen is None and not everything:
            raise Http404
    return Scope(start, end, chosen)


def county_ids(unit: OrgUnit | None) -> list[int] | None:
    """The county federations of a federation's subtree (None: no unit, every county); the
    cases of such a scope are exactly those of these counties (``subtree_filter``)."""
    if unit is None:
        return None
    counties = OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.COUNTY_FEDERATION)
    return list(counties.values_list("pk", flat=True))


def by_county(unit: OrgUnit | None) -> bool:
    """Whether the scope's cases are those of a set of counties (or of every county)."""
    return unit is None or unit.kind in FEDERATION_KINDS


def subtree_filter(unit: OrgUnit | None) -> Q:
    """Cases of a unit's subtree: by 属地 county for federations; by enterprise or handling
    stage for enterprises, their unions and departments."""
    if unit is None:
        return Q()
    if unit.kind in FEDERATION_KINDS:
        return Q(county_id__in=county_ids(unit))
    handled = CaseStage.objects.filter(case=OuterRef("pk"), unit__path__startswith=unit.path)
    return Q(enterprise__path__startswith=unit.path) | Q(Exists(handled))


def unit_cases(scope: Scope) -> QuerySet[Case]:
    """Every case of the scope's unit subtree, whenever received."""
    return Case.objects.filter(subtree_filter(scope.unit))


def cohort(scope: Scope) -> QuerySet[Case]:
    """The cases a period report counts: received in the period in the unit subtree.

    For a supervisor this is ``visible_cases`` restricted to the chosen subtree (which lies
    inside the jurisdiction), written without the owner/leader alternatives so that the
    database can use the county index.
    """
    return unit_cases(scope).filter(received_at__gte=scope.start, received_at__lt=scope.end)


def jurisdiction_cases(user) -> QuerySet[Case]:
    """The dashboard's cases: what ``visible_cases`` shows this user in their subtree."""
    unit = home_unit(user)
    if unit is not None and rules.role_of(user) in REPORT_ROLES:
        # Their visibility includes the whole county subtree, so visible ∩ subtree is the
        # subtree: an id list the database can use with the county indexes.
        return Case.objects.filter(county_id__in=list(selectors.subtree_unit_ids(unit)))
    cases = selectors.visible_cases(user)
    if unit is not None:
        cases = cases.filter(county__path__startswith=unit.path)
    return cases
