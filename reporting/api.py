"""``/api/v1/reporting/``: the 工作台账 rows and the period reports (list, one, submit, return).

Token auth and scoping as for cases: a report or unit outside the caller's subtree is 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from idempotency.decorators import idempotent
from reports.api import CanViewReports
from reports.selectors.scope import home_unit, parse_scope

from . import ledger, selectors, services
from .models import PeriodReport


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


class ReportListView(APIView):
    @extend_schema(responses={200: ReportOut(many=True)}, tags=["reporting"])
    def get(self, request):
        reports = selectors.visible_reports(request.user).select_related("period", "unit", "submitted_by")
        return Response([report_data(r) for r in reports.order_by("-period__due_on", "unit__path")[:500]])


class ReportDetailView(APIView):
    @extend_schema(responses={200: ReportOut}, tags=["reporting"])
    def get(self, request, pk: int):
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
