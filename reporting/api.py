"""``/api/v1/reporting/``: the 工作台账 rows, the period reports (list, one, submit, return),
the reporting periods and a union's subtree for a period (who submitted, who is late, the
totals computed from the submissions' frozen figures).

Token auth and scoping as for cases: a report or unit outside the caller's subtree is 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from idempotency.decorators import idempotent
from reports.api import CanViewReports
from reports.selectors.scope import home_unit, parse_scope

from . import ledger, selectors, services
from .models import PeriodReport, ReportingPeriod


class LedgerRowOut(serializers.Serializer):
    source = serializers.CharField()
    on = serializers.DateField()
    leaders = serializers.CharField(help_text="组织领导")
    cadres = serializers.CharField(help_text="参与干部")
    when_where = serializers.CharField(help_text="驻点时间")
    opinions = serializers.CharField(help_text="职工意见")
    matters = serializers.CharField(help_text="所办事项")
    results = serializers.CharField(help_text="办理结果")
    ratings = serializers.CharField(help_text="职工评价")


class LedgerView(APIView):
    permission_classes = [CanViewReports]
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
            OpenApiParameter("unit", str, description="单位代码"),
        ],
        responses={200: LedgerRowOut(many=True)},
        tags=["reporting"],
    )
    def get(self, request):
        scope = parse_scope(
            date_from=request.query_params.get("from"), date_to=request.query_params.get("to"),
            unit=request.query_params.get("unit"), within=home_unit(request.user),
            everything=request.user.is_superuser,
        )  # fmt: skip
        return Response(LedgerRowOut(ledger.ledger(scope), many=True).data)


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    due_on = serializers.DateField()
    unit = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField(allow_null=True)
    return_comment = serializers.CharField()
    work_done = serializers.CharField()
    typical_cases = serializers.CharField()
    problems = serializers.CharField()
    next_steps = serializers.CharField()
    figures = serializers.DictField(help_text="上报时冻结的数据（草稿为空）")
    systemic = serializers.ListField(child=serializers.DictField())


def report_data(r: PeriodReport) -> dict:
    return ReportOut({
        "id": r.pk, "period": r.period.name, "due_on": r.period.due_on, "unit": r.unit.code, "status": r.status,
        "submitted_at": r.submitted_at, "submitted_by": r.submitted_by.get_username() if r.submitted_by_id else None,
        "return_comment": r.return_comment, "work_done": r.work_done, "typical_cases": r.typical_cases,
        "problems": r.problems, "next_steps": r.next_steps, "figures": r.figures, "systemic": r.systemic,
    }).data  # fmt: skip


class StartIn(serializers.Serializer):
    period = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="上报期间编号")


class NarrativeIn(serializers.Serializer):
    work_done = serializers.CharField(max_length=20000, allow_blank=True, required=False, help_text="主要工作")
    typical_cases = serializers.CharField(max_length=20000, allow_blank=True, required=False, help_text="典型案例")
    problems = serializers.CharField(max_length=20000, allow_blank=True, required=False, help_text="存在问题")
    next_steps = serializers.CharField(max_length=20000, allow_blank=True, required=False, help_text="下一步工作")


class ReportListView(APIView):
    @extend_schema(responses={200: ReportOut(many=True)}, tags=["reporting"])
    def get(self, request):
        reports = selectors.visible_reports(request.user).select_related("period", "unit", "submitted_by")
        return Response([report_data(r) for r in reports.order_by("-period__due_on", "unit__path")[:500]])

    @extend_schema(request=StartIn, responses={201: ReportOut}, tags=["reporting"],
                   summary="起草本单位本期上报材料（已有则返回原稿）")  # fmt: skip
    @idempotent
    def post(self, request):
        from casework import rules as case_rules
        from casework.exceptions import InvalidInput, NotAllowed

        data = StartIn(data=request.data)
        data.is_valid(raise_exception=True)
        period = ReportingPeriod.objects.filter(pk=data.validated_data["period"]).first()
        if period is None:
            raise InvalidInput(fields={"period": [_("上报期间不存在。")]})
        profile = case_rules.profile(request.user)
        if profile is None:
            raise NotAllowed(_("只有本单位工作人员可以起草本单位的上报材料。"))
        report = services.report_start(actor=request.user, period=period, unit=profile.unit)
        return Response(report_data(selectors.get_visible_report(request.user, report.pk)), status=201)


class ReportDetailView(APIView):
    @extend_schema(responses={200: ReportOut}, tags=["reporting"])
    def get(self, request, pk: int):
        return Response(report_data(selectors.get_visible_report(request.user, pk)))

    @extend_schema(request=NarrativeIn, responses={200: ReportOut}, tags=["reporting"],
                   summary="修改工作简报（上报后不能修改）")  # fmt: skip
    def patch(self, request, pk: int):
        report = selectors.get_visible_report(request.user, pk)
        data = NarrativeIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_edit(actor=request.user, report=report, **data.validated_data)
        return Response(report_data(selectors.get_visible_report(request.user, pk)))


class ReturnIn(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, allow_blank=True)


class ReportSubmitView(APIView):
    @extend_schema(request=None, responses={200: ReportOut}, tags=["reporting"], summary="签发上报（数据冻结）")
    @idempotent
    def post(self, request, pk: int):
        report = services.report_submit(actor=request.user, report=selectors.get_visible_report(request.user, pk))
        return Response(report_data(selectors.get_visible_report(request.user, report.pk)))


class ReportReturnView(APIView):
    @extend_schema(request=ReturnIn, responses={200: ReportOut}, tags=["reporting"], summary="退回（须填写意见）")
    @idempotent
    def post(self, request, pk: int):
        report = selectors.get_visible_report(request.user, pk)
        data = ReturnIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_return(actor=request.user, report=report, comment=data.validated_data["comment"])
        return Response(report_data(selectors.get_visible_report(request.user, pk)))


# --- periods and the subtree's totals ---------------------------------------------------------


class PeriodOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    due_on = serializers.DateField(help_text="上报期限（当日24时止）")
    warn_days = serializers.IntegerField(help_text="期限前几天发出临期预警")


def period_data(p: ReportingPeriod) -> dict:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "starts_on": p.starts_on, "ends_on": p.ends_on,
            "due_on": p.due_on, "warn_days": p.warn_days}  # fmt: skip


class ChildOut(serializers.Serializer):
    unit = serializers.CharField(help_text="单位代码")
    unit_name = serializers.CharField()
    state = serializers.ChoiceField(choices=["submitted", "submitted_late", "returned", "draft", "missing"])
    state_label = serializers.CharField()
    late = serializers.BooleanField(help_text="已过上报期限（或逾期上报）")
    report = serializers.IntegerField(allow_null=True, help_text="上报材料编号")
    submitted_at = serializers.DateTimeField(allow_null=True)
    warned_at = serializers.DateTimeField(allow_null=True, help_text="临期预警发出时间")
    breached_at = serializers.DateTimeField(allow_null=True, help_text="逾期通知发出时间")


class TotalsOut(serializers.Serializer):
    reports = serializers.IntegerField(help_text="已上报份数")
    received = serializers.IntegerField()
    open = serializers.IntegerField()
    systemic = serializers.IntegerField()
    workers_involved = serializers.IntegerField()
    reception_held = serializers.IntegerField()
    voices = serializers.DictField(child=serializers.IntegerField())


class SubtreeOut(serializers.Serializer):
    period = PeriodOut()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    children = ChildOut(many=True)
    totals = TotalsOut(help_text="按下级工会已上报（冻结）的数据合计，不含草稿、退回和实时数据")


def child_data(row: selectors.ChildRow) -> dict:
    d = row.deadline
    return {
        "unit": row.unit.code, "unit_name": row.unit.name, "state": row.state, "state_label": row.label,
        "late": row.late, "report": row.report.pk if row.report else None,
        "submitted_at": row.report.submitted_at if row.report else None,
        "warned_at": d.warned_at if d else None, "breached_at": d.breached_at if d else None,
    }  # fmt: skip


class PeriodListView(APIView):
    permission_classes = [CanViewReports]
    error_statuses = (401, 403, 429)

    @extend_schema(responses={200: PeriodOut(many=True)}, tags=["reporting"], summary="上报期间（启用中）")
    def get(self, request):
        periods = ReportingPeriod.objects.filter(active=True).order_by("-due_on", "pk")[:100]
        return Response(PeriodOut([period_data(p) for p in periods], many=True).data)


class PeriodSubtreeView(APIView):
    """The union's direct subordinate federations for one period, and their submitted totals."""

    permission_classes = [CanViewReports]
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, description="单位代码（本辖区内），默认本人所在单位")],
        responses={200: SubtreeOut},
        tags=["reporting"],
        summary="下级工会上报情况与合计（按已上报数据）",
    )
    def get(self, request, pk: int):
        from django.http import Http404

        if not 0 < pk < 2**63:
            raise Http404
        period = ReportingPeriod.objects.filter(pk=pk, active=True).first()
        if period is None:
            raise Http404
        scope = parse_scope(
            unit=request.query_params.get("unit"), within=home_unit(request.user),
            everything=request.user.is_superuser,
        )  # fmt: skip
        unit = scope.unit or selectors.OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
        if unit is None:
            raise Http404
        rows = selectors.children_status(unit, period)
        data = {
            "period": period_data(period), "unit": unit.code, "unit_name": unit.name,
            "children": [child_data(r) for r in rows], "totals": selectors.subtree_totals(rows),
        }  # fmt: skip
        return Response(SubtreeOut(data).data)
