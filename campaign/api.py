"""The campaign under ``/api/v1/campaign/`` (mounted by config/api_urls.py).

Same scoping as the pages (``selectors``: 404 outside the caller's jurisdiction), same
services, casework's JSON errors with Chinese messages. Families are masked unless
``?unmask=1`` by someone allowed, and that view is logged (``FamilyAccess``).
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import InvalidInput
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS
from idempotency.decorators import idempotent
from visits.models import Visit

from . import league, rules, selectors, services
from .models import Cadre, Commitment, Slot
from .overdue import overdue_contacts

ID_MAX = 2**62
OBJECT = {"type": "object", "additionalProperties": {}}
ARRAY = {"type": "array", "items": OBJECT}
UNMASK = OpenApiParameter("unmask", str, description="1 = 完整个人信息（有权限者，记录查看）")


def _campaign_data(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "unit": c.unit.code,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "targets": {
            "days_cadre": c.days_cadre,
            "days_leader": c.days_leader,
            "enterprises": c.enterprises,
            "workers": c.workers,
            "logs": c.logs,
            "reports": c.reports,
            "typicals": c.typicals,
        },
    }


def _progress_data(rows) -> list[dict]:
    keys = ("days", "enterprises", "workers", "logs", "reports", "typicals")
    return [
        {
            "cadre": r.cadre.pk,
            "name": r.cadre.name,
            "unit": r.cadre.unit.name,
            "leader": r.leader,
            "groups": r.groups,
            **{k: getattr(r, k) for k in keys},
            "shortfalls": {k: m.short for k, m in zip(keys, r.measures, strict=True) if not m.met},
        }
        for r in rows
    ]


class CampaignIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=50, help_text="主办单位代码")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    days_cadre = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, default=60)
    days_leader = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, default=90)
    enterprises = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=2)
    workers = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=10)
    logs = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=10)
    reports = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=3)
    typicals = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=1)


class CampaignListView(APIView):
    error_statuses = (400, 401, 403, 429)

    @extend_schema(operation_id="campaign_campaigns_list", responses={200: ARRAY}, tags=["campaign"])
    def get(self, request):
        return Response([_campaign_data(c) for c in selectors.campaign_list(request.user)])

    @extend_schema(
        operation_id="campaign_campaigns_create", request=CampaignIn, responses={201: OBJECT}, tags=["campaign"]
    )
    @idempotent
    def post(self, request):
        s = CampaignIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        unit = OrgUnit.objects.filter(code=d.pop("unit")).first()
        if unit is None:
            raise InvalidInput(fields={"unit": [_("单位代码不存在。")]})
        campaign = services.campaign_create(actor=request.user, unit=unit, data=services.CampaignInput(**d))
        return Response(_campaign_data(campaign), status=201)


class CampaignDetailView(APIView):
    error_statuses = (401, 403, 404, 429)

    @extend_schema(operation_id="campaign_campaigns_detail", responses=dict, tags=["campaign"])
    def get(self, request, pk: int):
        campaign = selectors.get_visible_campaign(request.user, pk)
        groups = selectors.campaign_groups(campaign)
        return Response(
            {
                **_campaign_data(campaign),
                "groups": [
                    {
                        "id": g.pk,
                        "name": g.name,
                        "leader": g.leader_id,
                        "members": [m.pk for m in g.members.all()],
                        "work_group": g.work_group_id,
                    }
                    for g in groups
                ],
                "progress": _progress_data(selectors.cadre_progress(campaign, groups)),
            }
        )


def _cadre(pk) -> Cadre | None:
    return Cadre.objects.select_related("unit").filter(pk=pk).first()


class DaysIn(serializers.Serializer):
    visit = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    cadre = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    day_from = serializers.DateField()
    day_to = serializers.DateField(required=False, allow_null=True)
    slot = serializers.ChoiceField(choices=Slot.choices, default=Slot.DAY)


class GroupDaysView(APIView):
    """``POST /campaign/groups/{id}/days/``: 驻点时间 of one cadre for one visit."""

    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        operation_id="campaign_groups_days_create", request=DaysIn, responses={201: ARRAY}, tags=["campaign"]
    )
    @idempotent
    def post(self, request, pk: int):
        group = selectors.get_visible_group(request.user, pk)
        s = DaysIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        created = services.participation_add(
            actor=request.user,
            group=group,
            visit=Visit.objects.select_related("enterprise").filter(pk=d["visit"]).first(),
            cadre=_cadre(d["cadre"]),
            day_from=d["day_from"],
            day_to=d.get("day_to"),
            slot=d["slot"],
        )
        return Response([{"id": p.pk, "day": p.day, "slot": p.slot} for p in created], status=201)


class LogIn(serializers.Serializer):
    cadre = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    day = serializers.DateField()
    content = serializers.CharField(max_length=5000)


class GroupLogView(APIView):
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        operation_id="campaign_groups_logs_create", request=LogIn, responses={201: OBJECT}, tags=["campaign"]
    )
    @idempotent
    def post(self, request, pk: int):
        group = selectors.get_visible_group(request.user, pk)
        s = LogIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        log = services.worklog_save(
            actor=request.user, group=group, cadre=_cadre(d["cadre"]), day=d["day"], content=d["content"]
        )
        return Response({"id": log.pk, "day": log.day}, status=201)


class ReportIn(serializers.Serializer):
    author = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    title = serializers.CharField(max_length=200)
    subject = serializers.CharField(max_length=200)
    findings = serializers.CharField(max_length=20000)
    suggestions = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    filed_on = serializers.DateField()


class GroupReportView(APIView):
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        operation_id="campaign_groups_reports_create", request=ReportIn, responses={201: OBJECT}, tags=["campaign"]
    )
    @idempotent
    def post(self, request, pk: int):
        group = selectors.get_visible_group(request.user, pk)
        s = ReportIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d["author"] = _cadre(d["author"])
        report = services.report_file(actor=request.user, group=group, **d)
        return Response({"id": report.pk, "title": report.title}, status=201)


class FamilyListView(APIView):
    """``GET /campaign/campaigns/{id}/families/``: the register, always masked."""

    error_statuses = (401, 403, 404, 429)

    @extend_schema(operation_id="campaign_families_list", responses={200: ARRAY}, tags=["campaign"])
    def get(self, request, pk: int):
        campaign = selectors.get_visible_campaign(request.user, pk)
        return Response([selectors.family_row(f) for f in selectors.campaign_families(campaign)])


class FamilyDetailView(APIView):
    error_statuses = (401, 403, 404, 429)

    @extend_schema(operation_id="campaign_families_detail", parameters=[UNMASK], responses=dict, tags=["campaign"])
    def get(self, request, pk: int):
        family = selectors.get_visible_family(request.user, pk)
        unmask = request.query_params.get("unmask") == "1" and rules.can_see_family_details(
            request.user, family.campaign
        )
        if unmask:
            services.family_access_record(
                family=family, user=request.user, kind="api", ip=request.META.get("REMOTE_ADDR")
            )
        data = selectors.family_row(family, unmask=unmask)
        data["contacts"] = [
            {"on": c.on, "kind": c.kind, "amount": c.amount, "delivered_by": c.delivered_by.name}
            for c in family.contacts.select_related("delivered_by").order_by("-on", "-pk")
        ]
        return Response(data)


class ContactIn(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    on = serializers.DateField()
    delivered_by = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    amount = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FamilyContactView(APIView):
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        operation_id="campaign_families_contacts_create", request=ContactIn, responses={201: OBJECT}, tags=["campaign"]
    )
    @idempotent
    def post(self, request, pk: int):
        family = selectors.get_visible_family(request.user, pk)
        s = ContactIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d["delivered_by"] = _cadre(d["delivered_by"])
        contact = services.family_contact_add(actor=request.user, family=family, **d)
        return Response({"id": contact.pk, "amount": contact.amount}, status=201)


class TypicalIn(serializers.Serializer):
    author = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    kind = serializers.CharField(max_length=20, help_text="experience 典型经验 / case 典型案例")
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000)
    filed_on = serializers.DateField()


class GroupTypicalView(APIView):
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        operation_id="campaign_groups_typicals_create", request=TypicalIn, responses={201: OBJECT}, tags=["campaign"]
    )
    @idempotent
    def post(self, request, pk: int):
        group = selectors.get_visible_group(request.user, pk)
        s = TypicalIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d["author"] = _cadre(d["author"])
        typical = services.typical_file(actor=request.user, group=group, **d)
        return Response({"id": typical.pk, "title": typical.title}, status=201)


class OverdueView(APIView):
    """``GET /campaign/campaigns/{id}/overdue/``: 联系点 / 联系户 overdue this quarter (masked)."""

    error_statuses = (401, 403, 404, 429)

    @extend_schema(operation_id="campaign_campaigns_overdue", responses={200: ARRAY}, tags=["campaign"])
    def get(self, request, pk: int):
        campaign = selectors.get_visible_campaign(request.user, pk)
        rows = overdue_contacts([campaign.unit_id], timezone.localdate(now()))
        return Response([asdict(o) for o in rows if o.campaign_id == campaign.pk])


YEAR = OpenApiParameter("year", int, description="年度，默认今年")


def _year(request) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate(now()).year


class CommitmentListView(APIView):
    """``GET /campaign/commitments/?year=``: 办实事 commitments of the caller's jurisdiction."""

    error_statuses = (401, 403, 429)

    @extend_schema(
        operation_id="campaign_commitments_list", parameters=[YEAR], responses={200: ARRAY}, tags=["campaign"]
    )
    def get(self, request):
        today = timezone.localdate(now())
        qs = Commitment.objects.filter(year=_year(request)).select_related("unit").order_by("unit__path", "due_on")
        if not request.user.is_superuser:
            p = case_rules.profile(request.user)
            qs = qs.filter(unit__path__startswith=p.unit.path) if p else qs.none()
        return Response(
            [
                {
                    "id": c.pk,
                    "unit": c.unit.code,
                    "year": c.year,
                    "title": c.title,
                    "due_on": c.due_on,
                    "owner": c.owner,
                    "status": c.status,
                    "result": c.result,
                    "done_on": c.done_on,
                    "published": c.published,
                    "overdue": c.overdue(today),
                }
                for c in qs
            ]
        )


class LeagueView(APIView):
    """``GET /campaign/league/?by=unit|cadre&year=&sort=``: 四比四看."""

    error_statuses = (401, 403, 429)

    @extend_schema(
        operation_id="campaign_league",
        parameters=[
            YEAR,
            OpenApiParameter("by", str, enum=["unit", "cadre"]),
            OpenApiParameter("sort", str, enum=league.SORTS),
        ],
        responses={200: ARRAY},
        tags=["campaign"],
    )
    def get(self, request):
        year = _year(request)
        sort = request.query_params.get("sort", "days")
        campaigns = selectors.visible_campaigns(request.user).filter(
            period_start__year__lte=year, period_end__year__gte=year
        )
        if request.query_params.get("by") == "cadre":
            return Response(league.cadre_league(campaigns, year, sort))
        units = OrgUnit.objects.filter(kind__in=FEDERATION_KINDS, active=True)
        if not request.user.is_superuser:
            p = case_rules.profile(request.user)
            units = units.filter(path__startswith=p.unit.path) if p else units.none()
        return Response(league.unit_league(campaigns, units, year, sort))
