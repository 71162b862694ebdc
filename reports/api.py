"""``GET /api/v1/reports/outcomes/?from=&to=&unit=``: the period report's figures as JSON.

Errors follow casework's API style (``casework.api.errors``): JSON with ``code`` and a
Chinese ``message``; a unit outside the caller's jurisdiction is 404 like one that does not exist.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.clock import now

from .selectors.outcomes import outcome_report
from .selectors.scope import can_view_reports, home_unit, parse_scope


class CanViewReports(permissions.BasePermission):
    """Supervisors, leaders and admins (their unit's subtree); superusers (everything)."""

    def has_permission(self, request, view) -> bool:
        return can_view_reports(request.user)


class OutcomeReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewReports]
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="YYYY-MM-DD（含），默认本年1月1日"),
            OpenApiParameter("to", str, description="YYYY-MM-DD（含），默认今天"),
            OpenApiParameter("unit", str, description="单位代码（本辖区内），默认本人所在单位"),
        ],
        responses={200: dict},
        tags=["reports"],
    )
    def get(self, request):
        scope = parse_scope(
            date_from=request.query_params.get("from"),
            date_to=request.query_params.get("to"),
            unit=request.query_params.get("unit"),
            within=home_unit(request.user),
            everything=request.user.is_superuser,
        )
        return Response(outcome_report(scope, at=now()))
