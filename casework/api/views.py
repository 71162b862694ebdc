"""The API's views: thin, each one a selector read or one service / registry call."""

from __future__ import annotations

import re

from django.contrib.auth import authenticate
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, pagination, permissions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from config.twofactor import confirmed_totp, totp_required
from idempotency.decorators import idempotent

from .. import bulk, privacy, selectors, services
from ..actions import ACTIONS, perform
from ..clock import now
from ..exceptions import CaseNotFound, InvalidInput, NotAllowed
from ..models import Case, Category, Channel, OrgUnit, ReplyTemplate
from ..pagination import CappedPaginator, rows_by_ids
from . import serializers as s
from .actions import form_data
from .auth import token_expired, token_expires_at
from .errors import UnknownAction
from .fields import clean_query_text
from .schema import ActionAutoSchema
from .throttling import AuthThrottle

_NUMBER_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
IDEMPOTENCY_PARAM = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="可选：1 至 100 个可见 ASCII 字符。同一用户以同一键重发请求时返回首次的响应（24 小时内）；"
    "同一键用于不同请求返回 422。",
)


class Pages(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("页码无效。")
    # ``count`` is exact up to 1000 and says 1000 above it; follow ``next`` for more.
    django_paginator_class = CappedPaginator


# --- auth and the caller ---------------------------------------------------------------


class TokenView(APIView):
    """``POST /auth/token/``: username, password (and ``otp_token`` for a user with TOTP) →
    ``{"token", "expires_at"}`` (one token per user; an expired one is replaced).
    ``DELETE /auth/token/`` (authenticated): revokes the caller's token, 204.

    POST takes no credentials but the body's: a client re-authenticating after its token
    expired may still send the old ``Authorization`` header, and that must not stop it.
    """

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AuthThrottle]
    error_statuses = (400, 401, 403, 413, 415, 429)

    def initialize_request(self, request, *args, **kwargs):
        # django-axes records the attempt on the request it is given, and its middleware reads
        # the lockout flag (``axes_locked_out``) off Django's own request: attributes set on
        # DRF's Request stay on the wrapper, so ``post`` authenticates with this one.
        self.django_request = request
        return super().initialize_request(request, *args, **kwargs)

    def _revoking(self) -> bool:
        # Django's View.setup() has set self.request (the Django request) before DRF asks
        # for the authenticators; the schema generator's view instance has a request or None.
        return getattr(self.request, "method", None) == "DELETE"

    def get_authenticators(self):
        return super().get_authenticators() if self._revoking() else []

    def get_permissions(self):
        if self._revoking():
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(request=s.TokenIn, responses={200: s.StaffTokenOut}, auth=[], tags=["auth"])
    def post(self, request):
        data = s.TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            self.django_request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise InvalidInput(_("用户名或密码不正确。"), code="invalid_credentials")
        _check_second_factor(user, (data.validated_data.get("otp_token") or "").strip())
        token = _live_token(user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)


def _check_second_factor(user, code: str) -> None:
    """The TOTP code for a user with a confirmed device; none issued to a user who must
    enrol first (``TOTP_REQUIRED_ROLES``). Wrong codes are slowed down by django-otp."""
    device = confirmed_totp(user)
    if device is None:
        if totp_required(user):
            raise NotAllowed(
                _("该账号须使用两步验证：请先在网页登录并绑定验证器 App，再申请令牌。"), code="otp_enrolment_required"
            )
        return
    if not code:
        raise InvalidInput(
            _("该账号已启用两步验证，请在 otp_token 中填写动态验证码。"),
            code="otp_required",
            fields={"otp_token": [_("请填写动态验证码。")]},
        )
    if not device.verify_token(code):
        raise InvalidInput(
            _("动态验证码不正确或已过期。"), code="otp_invalid", fields={"otp_token": [_("动态验证码不正确或已过期。")]}
        )


def _live_token(user) -> Token:
    """The user's token, or a new one when there is none or it has expired (two racing
    requests: ``get_or_create`` gives the second the first one's token)."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_expired(token):
        Token.objects.filter(pk=token.pk).delete()
        token = None
    if token is None:
        token, _created = Token.objects.get_or_create(user=user)
    return token


class MeView(APIView):
    error_statuses = (401, 403, 429)

    @extend_schema(responses=s.Me, tags=["me"])
    def get(self, request):
        return Response(s.Me(request.user).data)


# --- cases -----------------------------------------------------------------------------


def _visible_case(request, number: str) -> Case:
    """The case if the caller may see it; otherwise 404, whether or not it exists."""
    if not _NUMBER_RE.match(number or ""):
        raise CaseNotFound()
    case = selectors.visible_case(request.user, number)
    if case is None:
        raise CaseNotFound()
    return case


def case_detail_data(request, case: Case, *, unmask: bool = False) -> dict:
    task = selectors.open_task(case)
    context = {
        "request": request,
        "unmask": unmask,
        "now": now(),
        "allowed_actions": selectors.allowed_actions(case, request.user, task),
        "timeline": selectors.timeline(case),
    }
    return s.CaseDetail(case, context=context).data


def _case_filters(cases, f: dict, user=None):
    if f.get("status"):
        cases = cases.filter(status=f["status"])
    if f.get("level"):
        cases = cases.filter(level=f["level"])
    # By id, not by a join on the code: the planner then weighs the id with the case table's
    # statistics (a channel no case uses made the join plan scan all 10⁶ cases).
    for name, model in (("category", Category), ("channel", Channel)):
        if f.get(name):
            pk = model.objects.filter(code=f[name]).values_list("pk", flat=True).first()
            cases = cases.filter(**{name + "_id": pk}) if pk is not None else cases.none()
    if f.get("unit"):
        unit = OrgUnit.objects.filter(code=f["unit"]).first()
        if unit is None:
            raise InvalidInput(fields={"unit": [_("单位不存在。")]})
        cases = cases.filter(handling_unit__path__startswith=unit.path)
    at = now()
    if f.get("overdue"):
        cases = cases.filter(paused_at__isnull=True, due_at__lte=at)
    if f.get("warning"):
        cases = cases.filter(paused_at__isnull=True, warn_at__lte=at, due_at__gt=at)
    q = clean_query_text(f.get("q", ""))
    if q:
        cases = cases.filter(selectors.search_filter(q, user=user))
    ordering = f.get("ordering")
    if ordering:
        return cases.order_by(_ORDER_BY[ordering], "-received_at", "-pk")
    return cases.order_by("-received_at", "-pk")


# Cases without a deadline (registered, closed) last in both due-date orders, on every
# database (PostgreSQL puts NULL first in a descending order, SQLite last); the pages' order
# too, served by ``case_due_desc`` (migration 0009).
_ORDER_BY = {
    "due_at": F("due_at").asc(nulls_last=True),
    "-due_at": F("due_at").desc(nulls_last=True),
    "received_at": "received_at",
    "-received_at": "-received_at",
}


class CaseListView(generics.GenericAPIView):
    """``GET``: the cases the caller may see; ``POST``: register a case (登记)."""

    pagination_class = Pages
    serializer_class = s.CaseSummary

    def get_queryset(self):
        return selectors.summaries(selectors.visible_cases(self.request.user, listing=True))

    @extend_schema(parameters=[s.CaseFilter], responses=s.CaseSummary(many=True), tags=["cases"])
    def get(self, request):
        f = s.CaseFilter(data=request.query_params)
        f.is_valid(raise_exception=True)
        cases = _case_filters(self.get_queryset(), f.validated_data, request.user)
        page = self.paginate_queryset(cases)
        context = {"request": request, "now": now()}
        return self.get_paginated_response(s.CaseSummary(page, many=True, context=context).data)

    @extend_schema(request=s.CaseIn, responses={201: s.CaseDetail}, tags=["cases"], parameters=[IDEMPOTENCY_PARAM])
    @idempotent
    def post(self, request):
        body = s.CaseIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        data = services.CaseInput(
            worker=dict(d["worker"]),
            enterprise=d["enterprise"],
            category=d["category"],
            channel=d["channel"],
            summary=d["summary"],
            request=d["request"],
            consent=d["consent"],
            workers_involved=d["workers_involved"],
            urgent=d["urgent"],
            place=d["place"],
            received_at=d["received_at"],
        )
        # ``@idempotent``: the registration, this re-read and the answer are one transaction.
        case = services.case_register(actor=request.user, data=data, accept=d["accept"])
        case = _visible_case(request, case.number)
        return Response(case_detail_data(request, case), status=201)


NUMBER_PARAM = OpenApiParameter("number", str, OpenApiParameter.PATH, description="案件编号，如 GH-2026-000123")
UNMASK_PARAM = OpenApiParameter(
    "unmask",
    str,
    OpenApiParameter.QUERY,
    enum=["1"],
    description="1：显示完整电话与身份证号码（需相应权限，并记入个人信息查看记录）",
)


class CaseDetailView(APIView):
    error_statuses = (401, 403, 404, 429)

    @extend_schema(parameters=[NUMBER_PARAM, UNMASK_PARAM], responses=s.CaseDetail, tags=["cases"])
    def get(self, request, number: str):
        case = _visible_case(request, number)
        # 个人信息查看记录: the full phone / ID number only as a logged unmask (casework.privacy).
        return Response(case_detail_data(request, case, unmask=privacy.reveal_case(request, case, kind="api")))


class CaseActionView(APIView):
    """``POST /cases/{number}/actions/{action}/``: one action of the registry."""

    schema = ActionAutoSchema()

    @extend_schema(
        responses=s.CaseDetail,
        tags=["cases"],
        description=(
            "执行一个操作，请求体为该操作的字段（各操作所需字段见 docs/api.md），返回更新后的案件。"
            "version 可选：与案件当前版本不一致时返回 409。"
        ),
        parameters=[IDEMPOTENCY_PARAM],
    )
    @idempotent
    def post(self, request, number: str, action: str):
        case = _visible_case(request, number)
        if action not in ACTIONS:
            raise UnknownAction()
        data, version = form_data(action, request.data)
        perform(action, case, request.user, data, version)
        case = selectors.case_with_related(case.pk)
        return Response(case_detail_data(request, case))


class CaseBulkView(APIView):
    """``POST /cases/bulk/``: 批量操作, as the queue page's checkboxes do (``casework.bulk``)."""

    @extend_schema(
        request=s.BulkIn,
        responses=s.BulkOut,
        tags=["cases"],
        description=(
            "对多个案件执行同一操作：认领（claim，承办人）、指派承办人（assign，单位负责人）、"
            "催办（urge，单位负责人、督导）。逐案办理：某一案件不能办理时，结果中写明原因，"
            "该案件保持原样，其余案件照常办理；整个请求在一个事务中提交。"
            "角色不能执行该操作时返回 403，缺少必填内容时返回 400，均不作任何改动。"
        ),
        parameters=[IDEMPOTENCY_PARAM],
    )
    @idempotent
    def post(self, request):
        f = s.BulkIn(data=request.data)
        f.is_valid(raise_exception=True)
        data = f.validated_data
        outcomes = bulk.cases_bulk_act(actor=request.user, action=data["action"], numbers=data["cases"], data=data)
        done = sum(o.done for o in outcomes)
        body = {"action": data["action"], "done": done, "refused": len(outcomes) - done, "results": outcomes}
        return Response(s.BulkOut(body).data)


# --- tasks and reference data -------------------------------------------------------------


def _task_data(rows: list[tuple], cases: dict[int, Case], context) -> list[dict]:
    rows = [row for row in rows if row[5] in cases]
    # One list serializer for all the cases: a serializer per case would deep-copy its
    # declared fields once per row (most of this view's CPU with 50 + 50 tasks).
    data = s.CaseSummary([cases[row[5]] for row in rows], many=True, context=context).data
    return [
        {
            "id": pk,
            "task": node.name,
            "title": str(getattr(node, "task_title", "") or node.name),
            "status": status,
            "assigned_to": owner,
            "created": created,
            "case": case,
        }
        for (pk, node, status, owner, created, _case_id), case in zip(rows, data, strict=True)
    ]


class TaskListView(APIView):
    """The caller's inbox (assigned to them) and their unit's queue (to claim)."""

    error_statuses = (400, 401, 403, 429)

    @extend_schema(parameters=[s.TaskFilter], responses=s.TaskLists, tags=["tasks"])
    def get(self, request):
        f = s.TaskFilter(data=request.query_params)
        f.is_valid(raise_exception=True)
        limit = f.validated_data["limit"]
        context = {"request": request, "now": now()}
        inbox, inbox_count = selectors.task_page(request.user, "inbox", limit)
        queue, queue_count = selectors.task_page(request.user, "queue", limit)
        # Both lists' cases with their joins in one query (a deferred join, as the paginator
        # does); the task rows come as values (``selectors.task_page``): model instances of the
        # task, its process and the process's case link cost more Python than the query.
        ids = list(dict.fromkeys(row[5] for row in inbox + queue))
        cases = {case.pk: case for case in rows_by_ids(selectors.summaries(Case.objects.all()), ids)}
        return Response(
            {
                "inbox": _task_data(inbox, cases, context),
                "inbox_count": inbox_count,
                "queue": _task_data(queue, cases, context),
                "queue_count": queue_count,
            }
        )


class UnitListView(generics.GenericAPIView):
    """Units to file a case for (enterprises) or route it to (departments): active ones."""

    pagination_class = Pages
    serializer_class = s.Unit

    @extend_schema(parameters=[s.UnitFilter], responses=s.Unit(many=True), tags=["reference"])
    def get(self, request):
        f = s.UnitFilter(data=request.query_params)
        f.is_valid(raise_exception=True)
        units = OrgUnit.objects.filter(active=True).select_related("parent").order_by("path")
        if f.validated_data.get("kind"):
            units = units.filter(kind=f.validated_data["kind"])
        q = clean_query_text(f.validated_data.get("q", ""))
        if q:
            units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
        page = self.paginate_queryset(units)
        return self.get_paginated_response(s.Unit(page, many=True).data)


class ReplyTemplateListView(APIView):
    """常用答复语: the active ones, for one category (its own first, then those for all) or all."""

    error_statuses = (400, 401, 403, 429)

    @extend_schema(parameters=[s.ReplyTemplateFilter], responses=s.ReplyTemplateOut(many=True), tags=["reference"])
    def get(self, request):
        f = s.ReplyTemplateFilter(data=request.query_params)
        f.is_valid(raise_exception=True)
        code = f.validated_data.get("category")
        if code:
            category = Category.objects.filter(code=code).first()
            if category is None:
                raise InvalidInput(fields={"category": [_("诉求类别不存在。")]})
            rows = selectors.reply_templates(category.pk)
        else:
            rows = ReplyTemplate.objects.filter(active=True).select_related("category").order_by("order", "pk")
        return Response(s.ReplyTemplateOut(rows, many=True).data)


class _Reference(APIView):
    model = Category
    error_statuses = (401, 403, 429)

    def get(self, request):
        rows = self.model.objects.filter(active=True).order_by("order", "code")
        return Response(s.CodeName(rows, many=True).data)


class CategoryListView(_Reference):
    model = Category

    @extend_schema(responses=s.CodeName(many=True), tags=["reference"])
    def get(self, request):
        return super().get(request)


class ChannelListView(_Reference):
    model = Channel

    @extend_schema(responses=s.CodeName(many=True), tags=["reference"])
    def get(self, request):
        return super().get(request)
