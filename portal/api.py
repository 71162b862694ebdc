"""``/api/v1/portal/…``: the worker portal for a hotline or WeChat front end.

No staff login: a worker proves access with ``POST access/`` (reference or case number +
query code) or ``POST phone-codes/`` then ``POST phone-access/`` (phone + SMS code) and gets a
signed token, valid 30 minutes, sent back as the ``X-Portal-Token`` header. Submissions need
the image captcha (``GET captcha/``). Throttles of their own (scopes ``portal`` and
``portal_submit``, per address) on top of the services' limits per address and phone
(``portal.limits``). Bodies are the allow-listed views of ``portal.selectors``.
"""

from __future__ import annotations

from captcha.models import CaptchaStore
from captcha.validators import captcha_validate
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.fields import Text
from casework.api.throttling import AnonThrottle
from casework.models import Case, Category
from casework.models.case import Satisfaction
from casework.signals import personal_data_viewed
from reports.models import AccessKind

from . import limits, selectors, services
from .actor import portal_actor, portal_user
from .models import ConsentMethod, RatingQuestion, Submission
from .services.submissions import enterprise_matches
from .views.grants import GRANT_SECONDS

TOKEN_HEADER = "HTTP_X_PORTAL_TOKEN"  # noqa: S105 - a header name
TOKEN_SALT = "portal.access"  # noqa: S105 - the signing salt's name


class PortalThrottle(AnonThrottle):
    scope = "portal"


class SubmitThrottle(AnonThrottle):
    scope = "portal_submit"


def token_for(grant: services.Grant) -> str:
    return signing.dumps(grant.as_dict(), salt=TOKEN_SALT, compress=True)


def grant_of(request) -> services.Grant | None:
    raw = request.META.get(TOKEN_HEADER, "")
    if not raw or len(raw) > 4000:
        return None
    try:
        return services.Grant.from_dict(signing.loads(raw, salt=TOKEN_SALT, max_age=GRANT_SECONDS))
    except signing.BadSignature:
        return None


class HasToken(permissions.BasePermission):
    """A valid ``X-Portal-Token``, checked before the throttles (a request without one costs
    nothing to refuse): the list answers 403, one item 404 (as for a number never issued)."""

    def has_permission(self, request, view) -> bool:
        request.portal_grant = grant_of(request)
        if request.portal_grant is None and "number" in view.kwargs:
            raise exceptions.NotFound()
        return request.portal_grant is not None


class Base(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PortalThrottle]

    def ip(self) -> str | None:
        return limits.client_ip(self.request)


# --- serializers ---------------------------------------------------------------------------


class Progress(serializers.Serializer):
    on = serializers.CharField()
    text = serializers.CharField()


class Reply(serializers.Serializer):
    on = serializers.CharField()
    method = serializers.CharField()
    content = serializers.CharField(allow_blank=True)


class Notice(serializers.Serializer):
    on = serializers.CharField()
    text = serializers.CharField()


class Union(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rated = serializers.BooleanField()


class Item(serializers.Serializer):
    """A submission or a case as the worker sees it (the fields of ``selectors.CASE_FIELDS``)."""

    kind = serializers.ChoiceField(choices=["submission", "case"])
    reference = serializers.CharField(allow_blank=True, help_text=_("提交编号（网上提交的）"))
    number = serializers.CharField(allow_blank=True, help_text=_("案件编号（受理后）"))
    status = serializers.CharField()
    status_text = serializers.CharField()
    level = serializers.CharField(allow_blank=True)
    level_label = serializers.CharField(allow_blank=True)
    hear_back_by = serializers.CharField(allow_blank=True, help_text=_("在此日期前告知办理情况（YYYY-MM-DD）"))
    received_on = serializers.CharField()
    category = serializers.CharField()
    enterprise = serializers.CharField()
    summary = serializers.CharField()
    request = serializers.CharField()
    workers_involved = serializers.IntegerField()
    anonymous_to_enterprise = serializers.BooleanField()
    progress = Progress(many=True)
    notices = Notice(many=True, help_text=_("工作人员告知您的办理进展"))
    outcome = serializers.CharField(allow_blank=True)
    result = serializers.CharField(allow_blank=True)
    reply = Reply(allow_null=True)
    guidance = serializers.CharField(allow_blank=True)
    satisfaction = serializers.CharField(allow_blank=True)
    satisfaction_comment = serializers.CharField(allow_blank=True)
    can_rate = serializers.BooleanField()
    can_reopen = serializers.BooleanField()
    reopen_until = serializers.CharField(allow_blank=True)
    can_withdraw = serializers.BooleanField()
    publication = serializers.ChoiceField(choices=["", "agreed", "refused"], allow_blank=True)
    can_consent = serializers.BooleanField()
    unions = Union(many=True)
    letter = serializers.BooleanField()


class Items(serializers.Serializer):
    results = Item(many=True)


EMPTY = {
    "level": "", "level_label": "", "hear_back_by": "", "progress": [], "notices": [], "outcome": "", "result": "",
    "reply": None,
    "satisfaction": "", "satisfaction_comment": "", "can_rate": False, "can_reopen": False, "reopen_until": "",
    "publication": "", "can_consent": False, "unions": [], "letter": False,
}  # fmt: skip


def item_data(view: dict) -> dict:
    return {name: view[name] if name in view else EMPTY[name] for name in selectors.CASE_FIELDS}


class PortalTokenOut(serializers.Serializer):
    token = serializers.CharField(help_text=_("放在请求头 X-Portal-Token 中，30 分钟内有效"))
    expires_in = serializers.IntegerField()


class SubmissionIn(serializers.Serializer):
    name = Text(max_length=50)
    phone = Text(max_length=20)
    id_number = Text(max_length=18, required=False, allow_blank=True, default="")
    enterprise = Text(max_length=200, help_text=_("企业全称或代码"))
    category = Text(max_length=40, help_text=_("诉求类别代码（GET categories/）"))
    summary = Text(max_length=4000)
    request = Text(max_length=2000)
    workers_involved = serializers.IntegerField(min_value=1, max_value=100000, default=1)
    consent = serializers.BooleanField(help_text=_("须为 true：同意为办理本诉求处理个人信息"))
    anonymous_to_enterprise = serializers.BooleanField(default=False)
    captcha_key = Text(max_length=40)
    captcha_answer = Text(max_length=32)


class SubmissionOut(serializers.Serializer):
    reference = serializers.CharField()
    query_code = serializers.CharField(help_text=_("只返回这一次，请告知职工妥善保管"))
    token = serializers.CharField()
    expires_in = serializers.IntegerField()


class CaptchaOut(serializers.Serializer):
    key = serializers.CharField()
    image_url = serializers.CharField()


class Names(serializers.Serializer):
    results = serializers.ListField(child=serializers.CharField())


class CategoryOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CodeIn(serializers.Serializer):
    reference = Text(max_length=40)
    code = Text(max_length=20)


class PhoneIn(serializers.Serializer):
    phone = Text(max_length=20)


class PhoneCodeIn(serializers.Serializer):
    phone = Text(max_length=20)
    code = Text(max_length=10)


class Detail(serializers.Serializer):
    detail = serializers.CharField()


class RatingIn(serializers.Serializer):
    satisfaction = serializers.ChoiceField(
        choices=[Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED]
    )
    comment = Text(max_length=500, required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = Text(max_length=1000)


class PublicationIn(serializers.Serializer):
    agreed = serializers.BooleanField()


class UnionRatingIn(serializers.Serializer):
    union = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    contact = serializers.IntegerField(min_value=1, max_value=5, help_text=RatingQuestion.CONTACT.label)
    rights = serializers.IntegerField(min_value=1, max_value=5, help_text=RatingQuestion.RIGHTS.label)
    efficiency = serializers.IntegerField(min_value=1, max_value=5, help_text=RatingQuestion.EFFICIENCY.label)
    conduct = serializers.IntegerField(min_value=1, max_value=5, help_text=RatingQuestion.CONDUCT.label)
    comment = Text(max_length=1000, required=False, allow_blank=True, default="")


# --- public reads and the submission ------------------------------------------------------


class CaptchaView(Base):
    error_statuses = (429,)

    @extend_schema(responses={200: CaptchaOut}, tags=["portal"], summary="图片验证码（提交诉求前获取）")
    def get(self, request):
        key = CaptchaStore.generate_key()
        return Response({"key": key, "image_url": reverse("captcha-image", kwargs={"key": key})})


class EnterpriseView(Base):
    error_statuses = (400, 429)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="企业名称的一部分（至少 2 个字）")],
        responses={200: Names},
        tags=["portal"],
        summary="按名称查找企业",
    )
    def get(self, request):
        q = str(request.query_params.get("q") or "").replace("\x00", "").strip()[:50]
        names = [u.name for u in enterprise_matches(q, limit=20)] if len(q) >= 2 else []
        return Response({"results": names})


class CategoryView(Base):
    error_statuses = (429,)

    @extend_schema(responses={200: CategoryOut(many=True)}, tags=["portal"], summary="诉求类别")
    def get(self, request):
        return Response(list(Category.objects.filter(active=True).values("code", "name")))


class SubmissionView(Base):
    throttle_classes = [PortalThrottle, SubmitThrottle]
    error_statuses = (400, 413, 415, 429)

    @extend_schema(
        request=SubmissionIn, responses={201: SubmissionOut}, tags=["portal"], summary="提交诉求（网上职工心声）"
    )
    def post(self, request):
        body = SubmissionIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        if limits.over("submit_ip", self.ip()):
            raise limits.TooManyRequests()
        try:
            captcha_validate(d["captcha_key"], d["captcha_answer"])
        except exceptions.ValidationError:
            raise exceptions.ValidationError({"captcha_answer": [_("验证码不正确或已过期，请重新获取。")]}) from None
        data = services.SubmissionInput(
            name=d["name"], phone=d["phone"], id_number=d["id_number"], enterprise=d["enterprise"],
            category=d["category"], summary=d["summary"], request=d["request"],
            workers_involved=d["workers_involved"], consent=d["consent"],
            anonymous_to_enterprise=d["anonymous_to_enterprise"],
        )  # fmt: skip
        submission, code = services.submission_create(data=data, ip=self.ip())
        token = token_for(services.Grant([submission.pk], [], "code"))
        out = {"reference": submission.reference, "query_code": code, "token": token, "expires_in": GRANT_SECONDS}
        return Response(out, status=status.HTTP_201_CREATED)


# --- proving access -------------------------------------------------------------------------


class AccessView(Base):
    error_statuses = (400, 403, 415, 429)

    @extend_schema(request=CodeIn, responses={200: PortalTokenOut}, tags=["portal"], summary="编号 + 查询码")
    def post(self, request):
        body = CodeIn(data=request.data)
        body.is_valid(raise_exception=True)
        grant = services.open_by_code(**body.validated_data, ip=self.ip())
        return Response({"token": token_for(grant), "expires_in": GRANT_SECONDS})


class PhoneCodeView(Base):
    error_statuses = (400, 403, 415, 429)

    @extend_schema(request=PhoneIn, responses={202: Detail}, tags=["portal"], summary="发送短信验证码（5 分钟内有效）")
    def post(self, request):
        body = PhoneIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.phone_code_send(phone=body.validated_data["phone"], ip=self.ip())
        return Response({"detail": str(_("如该号码有诉求记录，验证码已发送，5 分钟内有效。"))}, status=202)


class PhoneAccessView(Base):
    error_statuses = (400, 403, 415, 429)

    @extend_schema(request=PhoneCodeIn, responses={200: PortalTokenOut}, tags=["portal"], summary="手机号 + 短信验证码")
    def post(self, request):
        body = PhoneCodeIn(data=request.data)
        body.is_valid(raise_exception=True)
        grant = services.open_by_phone(**body.validated_data, ip=self.ip())
        return Response({"token": token_for(grant), "expires_in": GRANT_SECONDS})


# --- the worker's items -----------------------------------------------------------------------

TOKEN_PARAM = OpenApiParameter(
    "X-Portal-Token", str, OpenApiParameter.HEADER, required=False, description="access/ 或 phone-access/ 返回的令牌"
)


def _log(request, case: Case) -> None:
    personal_data_viewed.send(
        sender=Case, case=case, user=portal_user(), kind=AccessKind.PORTAL, ip=limits.client_ip(request)
    )


class ItemsView(Base):
    permission_classes = [HasToken]
    error_statuses = (403, 429)

    @extend_schema(
        parameters=[TOKEN_PARAM],
        responses={200: Items},
        tags=["portal"],
        summary="我的诉求",
        operation_id="portal_items_list",
    )
    def get(self, request):
        grant = request.portal_grant
        cases = selectors.granted_cases(grant)
        for case in cases:
            _log(request, case)
        views = [selectors.submission_view(s) for s in selectors.granted_submissions(grant)]
        views += [selectors.case_view(c) for c in cases]
        return Response({"results": [item_data(v) for v in views]})


def _found(request, number: str):
    """The case or submission ``number`` if the token covers it; else 404 (also without one)."""
    grant = request.portal_grant
    number = str(number)[:40]
    case = Case.objects.filter(number=number).select_related("category", "enterprise", "county", "worker").first()
    if case is not None:
        if case.pk not in selectors.granted_case_ids(grant):
            raise exceptions.NotFound()
        return case
    submission = Submission.objects.filter(reference=number).select_related("category", "enterprise").first()
    if submission is None or not grant.allows_submission(submission.pk):
        raise exceptions.NotFound()
    return submission.case if submission.case_id else submission


def _view(request, found) -> dict:
    if isinstance(found, Case):
        _log(request, found)
        found = Case.objects.select_related("category", "enterprise", "county", "worker").get(pk=found.pk)
        return item_data(selectors.case_view(found))
    return item_data(selectors.submission_view(Submission.objects.get(pk=found.pk)))


NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="案件编号或提交编号")


class ItemView(Base):
    permission_classes = [HasToken]
    error_statuses = (404, 429)

    @extend_schema(parameters=[NUMBER, TOKEN_PARAM], responses={200: Item}, tags=["portal"], summary="一件诉求")
    def get(self, request, number: str):
        return Response(_view(request, _found(request, number)))


def _case(request, number: str) -> Case:
    found = _found(request, number)
    if not isinstance(found, Case):
        raise exceptions.NotFound()
    return found


class ActBase(Base):
    permission_classes = [HasToken]
    error_statuses = (400, 404, 409, 413, 415, 429)


class RatingView(ActBase):
    @extend_schema(
        parameters=[NUMBER, TOKEN_PARAM], request=RatingIn, responses={200: Item}, tags=["portal"],
        summary="评价办理结果（计为回访）",
    )  # fmt: skip
    def post(self, request, number: str):
        case = _case(request, number)
        body = RatingIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.worker_follow_up(case=case, **body.validated_data)
        return Response(_view(request, case))


class ReopenView(ActBase):
    @extend_schema(
        parameters=[NUMBER, TOKEN_PARAM], request=ReasonIn, responses={200: Item}, tags=["portal"],
        summary="申请复查（30 日内）",
    )  # fmt: skip
    def post(self, request, number: str):
        case = _case(request, number)
        body = ReasonIn(data=request.data)
        body.is_valid(raise_exception=True)
        services.worker_reopen(case=case, reason=body.validated_data["reason"])
        return Response(_view(request, case))


class WithdrawView(ActBase):
    @extend_schema(
        parameters=[NUMBER, TOKEN_PARAM], request=ReasonIn, responses={200: Item}, tags=["portal"], summary="撤回"
    )
    def post(self, request, number: str):
        found = _found(request, number)
        body = ReasonIn(data=request.data)
        body.is_valid(raise_exception=True)
        if isinstance(found, Case):
            services.worker_withdraw(case=found, reason=body.validated_data["reason"])
        else:
            services.submission_withdraw(submission=found, reason=body.validated_data["reason"])
        return Response(_view(request, found))


class PublicationView(ActBase):
    @extend_schema(
        parameters=[NUMBER, TOKEN_PARAM], request=PublicationIn, responses={200: Item}, tags=["portal"],
        summary="是否同意公示办理结果",
    )  # fmt: skip
    def post(self, request, number: str):
        case = _case(request, number)
        body = PublicationIn(data=request.data)
        body.is_valid(raise_exception=True)
        if not selectors.case_view(case)["can_consent"]:
            from casework.exceptions import TransitionRefused

            raise TransitionRefused(_("案件办结后才能选择是否公示。"))
        services.publication_consent_set(
            case=case.number, agreed=body.validated_data["agreed"], actor=portal_actor(case),
            method=ConsentMethod.PORTAL,
        )  # fmt: skip
        return Response(_view(request, case))


class UnionRatingView(ActBase):
    @extend_schema(
        parameters=[NUMBER, TOKEN_PARAM], request=UnionRatingIn, responses={200: Item}, tags=["portal"],
        summary="会员评家（每年每个工会一次）",
    )  # fmt: skip
    def post(self, request, number: str):
        case = _case(request, number)
        body = UnionRatingIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        union, comment = d.pop("union"), d.pop("comment")
        services.union_rating_submit(case=case, union=union, scores=d, comment=comment)
        return Response(_view(request, case))
