"""``/api/v1/reception/``: reception days, their register and its outcomes.

The same token auth, scoping (a session outside the caller's subtree is 404) and Chinese JSON
errors as cases (``casework.api.errors``); every write is one service call. Phone numbers
leave the server masked.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import rules as case_rules
from casework.exceptions import InvalidInput
from casework.models import Case, Category, OrgUnit
from casework.validators import mask_phone
from idempotency.decorators import idempotent

from . import selectors, services
from .models import EntryOutcome, ReceptionEntry, ReceptionSession, SessionForm

# --- output ---------------------------------------------------------------------------------


class PersonOut(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}


class UnitOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    number = serializers.IntegerField()
    worker_name = serializers.CharField()
    phone = serializers.CharField(help_text="脱敏")
    enterprise = serializers.CharField(allow_null=True, help_text="企业代码")
    employer = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    raised = serializers.CharField()
    request = serializers.CharField()
    head_count = serializers.IntegerField()
    leader = PersonOut(allow_null=True)
    outcome = serializers.CharField(help_text="answered / case / referred / out_of_scope，空为尚未处理")
    outcome_label = serializers.CharField()
    answer = serializers.CharField()
    referred_to = serializers.CharField()
    guidance = serializers.CharField()
    case = serializers.CharField(allow_null=True, help_text="登记案件编号")


def entry_data(e: ReceptionEntry) -> dict:
    return {
        "id": e.pk,
        "session": e.session_id,
        "number": e.number,
        "worker_name": e.worker_name,
        "phone": mask_phone(e.phone),
        "enterprise": e.enterprise.code if e.enterprise_id else None,
        "employer": e.employer_name,
        "category": e.category.code if e.category_id else None,
        "raised": e.raised,
        "request": e.request,
        "head_count": e.head_count,
        "leader": _person(e.leader),
        "outcome": e.outcome,
        "outcome_label": str(e.get_outcome_display()) if e.outcome else "",
        "answer": e.answer,
        "referred_to": e.referred_to,
        "guidance": e.guidance,
        "case": e.case.number if e.case_id else None,
    }


class SummaryOut(serializers.Serializer):
    entries = serializers.IntegerField(help_text="接待人次")
    people = serializers.IntegerField(help_text="涉及人数")
    cases = serializers.IntegerField(help_text="登记件数")
    answered = serializers.IntegerField(help_text="当场解答")
    referred = serializers.IntegerField(help_text="转办")
    out_of_scope = serializers.IntegerField()
    pending = serializers.IntegerField()
    groups = serializers.IntegerField()


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitOut()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    form = serializers.CharField()
    form_label = serializers.CharField()
    topic = serializers.CharField()
    issues = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    leaders = PersonOut(many=True)
    signed_off_by = PersonOut(allow_null=True)


class SessionDetailOut(SessionOut):
    entries = EntryOut(many=True)
    summary = SummaryOut()
    cases = serializers.ListField(child=serializers.CharField(), help_text="带案下访案件编号")


def session_data(s: ReceptionSession) -> dict:
    return {
        "id": s.pk,
        "unit": {"code": s.unit.code, "name": s.unit.name},
        "starts_at": serializers.DateTimeField().to_representation(s.starts_at),
        "ends_at": serializers.DateTimeField().to_representation(s.ends_at),
        "place": s.place,
        "form": s.form,
        "form_label": str(s.get_form_display()),
        "topic": s.topic,
        "issues": s.issues,
        "status": s.status,
        "status_label": str(s.get_status_display()),
        "leaders": [_person(u) for u in s.leaders.all()],
        "signed_off_by": _person(s.signed_off_by) if s.signed_off_by_id else None,
    }


def session_detail(s: ReceptionSession) -> dict:
    entries = selectors.entries_of(s)
    summary = selectors.session_summary(entries)
    return {
        **session_data(s),
        "entries": [entry_data(e) for e in entries],
        "summary": {k: getattr(summary, k) for k in SummaryOut().fields},
        "cases": [c.number for c in s.cases.all()],
    }


# --- input ----------------------------------------------------------------------------------


class SessionIn(serializers.Serializer):
    unit = serializers.CharField(max_length=50, help_text="举办单位代码（本辖区内的总工会）")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    form = serializers.ChoiceField(choices=SessionForm.choices)
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    issues = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    leaders = serializers.ListField(child=serializers.CharField(max_length=150), max_length=20, help_text="用户名")
    cases = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=100, required=False, default=list, help_text="案件编号"
    )


class EntryIn(serializers.Serializer):
    worker_name = serializers.CharField(max_length=50)
    raised = serializers.CharField(max_length=5000)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    enterprise = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    employer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    request = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    head_count = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    leader = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class OutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=EntryOutcome.choices)
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(required=False, default=False, help_text="登记为案件时：职工已同意")
    leader_takes_charge = serializers.BooleanField(required=False, default=False)
    urgent = serializers.BooleanField(required=False, default=False)


class AnnounceIn(serializers.Serializer):
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=["sms", "email"]), required=False, default=list, max_length=2,
        help_text="同时通过短信、电子邮件发送（站内通知总会发送）",
    )  # fmt: skip
    resend = serializers.BooleanField(required=False, default=False, help_text="已发送过时须为 true 才再次发送")


class AnnounceOut(serializers.Serializer):
    queued = serializers.IntegerField(help_text="本次排队发送的通知条数")
    notice_sends = serializers.IntegerField(help_text="累计发送次数")
    notice_sent_at = serializers.DateTimeField()
    notice_channels = serializers.ListField(child=serializers.CharField())


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _leaders(usernames) -> list:
    users = list(get_user_model().objects.filter(username__in=usernames))
    if len(users) != len(set(usernames)):
        raise InvalidInput(fields={"leaders": [_("接待领导不存在。")]})
    return users


def _session_input(d: dict, user) -> services.SessionInput:
    from casework.selectors import visible_cases

    numbers = list(dict.fromkeys(d["cases"]))
    cases = list(visible_cases(user).filter(number__in=numbers))
    if len(cases) != len(numbers):
        raise InvalidInput(fields={"cases": [_("案件不存在，或您无权查看。")]})
    return services.SessionInput(
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        place=d["place"],
        form=d["form"],
        topic=d["topic"],
        issues=d["issues"],
        leaders=_leaders(d["leaders"]),
        cases=Case.objects.filter(pk__in=[c.pk for c in cases]),
    )


# --- views ----------------------------------------------------------------------------------


class SessionListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM，默认本月")],
        responses={200: SessionOut(many=True)},
        tags=["reception"],
    )
    def get(self, request):
        from .views import _month

        year, month = _month(request)
        cal = selectors.month_calendar(request.user, year, month)
        sessions = [s for week in cal.weeks for _day, day_sessions in week for s in day_sessions]
        return Response([session_data(s) for s in sessions])

    @extend_schema(request=SessionIn, responses={201: SessionDetailOut}, tags=["reception"])
    @idempotent
    def post(self, request):
        d = _valid(SessionIn, request)
        unit = OrgUnit.objects.filter(code=d["unit"]).first()
        profile = case_rules.profile(request.user)
        if unit is None or not (request.user.is_superuser or (profile and unit.path.startswith(profile.unit.path))):
            raise InvalidInput(fields={"unit": [_("单位不存在，或不在您的辖区内。")]})
        session = services.session_plan(actor=request.user, unit=unit, data=_session_input(d, request.user))
        return Response(session_detail(selectors.get_visible_session(request.user, session.pk)), status=201)


class SessionDetailView(APIView):
    @extend_schema(responses={200: SessionDetailOut}, tags=["reception"])
    def get(self, request, pk: int):
        return Response(session_detail(selectors.get_visible_session(request.user, pk)))


def _session_action(name: str, call, request_serializer=None, doc: str = ""):
    class View(APIView):
        @extend_schema(request=request_serializer, responses={200: SessionDetailOut}, tags=["reception"],
                       summary=doc, operation_id=f"reception_session_{name}")  # fmt: skip
        @idempotent
        def post(self, request, pk: int):
            session = selectors.get_visible_session(request.user, pk)
            d = _valid(request_serializer, request) if request_serializer else {}
            call(request.user, session, d)
            return Response(session_detail(selectors.get_visible_session(request.user, pk)))

    View.__name__ = f"Session{name.title()}View"
    return View


SessionOpenView = _session_action("open", lambda u, s, d: services.session_open(actor=u, session=s), doc="开始接待")
SessionCloseView = _session_action(
    "close", lambda u, s, d: services.session_close(actor=u, session=s), doc="结束接待（每条登记须有处理情况）"
)
SessionSignOffView = _session_action(
    "sign_off", lambda u, s, d: services.session_sign_off(actor=u, session=s), doc="接待领导签字"
)
SessionCancelView = _session_action(
    "cancel", lambda u, s, d: services.session_cancel(actor=u, session=s, reason=d["reason"]), CancelIn, "取消"
)


class EntryListView(APIView):
    @extend_schema(responses={200: EntryOut(many=True)}, tags=["reception"])
    def get(self, request, pk: int):
        session = selectors.get_visible_session(request.user, pk)
        return Response([entry_data(e) for e in selectors.entries_of(session)])

    @extend_schema(request=EntryIn, responses={201: EntryOut}, tags=["reception"])
    @idempotent
    def post(self, request, pk: int):
        session = selectors.get_visible_session(request.user, pk)
        d = _valid(EntryIn, request)
        enterprise = category = leader = None
        if d["enterprise"]:
            enterprise = OrgUnit.objects.filter(code=d["enterprise"], kind="enterprise", active=True).first()
            if enterprise is None:
                raise InvalidInput(fields={"enterprise": [_("企业不存在或已停用。")]})
        if d["category"]:
            category = Category.objects.filter(code=d["category"], active=True).first()
            if category is None:
                raise InvalidInput(fields={"category": [_("请选择有效的诉求类别。")]})
        if d["leader"]:
            leader = get_user_model().objects.filter(username=d["leader"]).first()
            if leader is None:
                raise InvalidInput(fields={"leader": [_("请选择本次接待日的接待领导。")]})
        entry = services.entry_add(
            actor=request.user,
            session=session,
            data=services.EntryInput(
                worker_name=d["worker_name"], raised=d["raised"], phone=d["phone"], enterprise=enterprise,
                employer=d["employer"], category=category, request=d["request"], head_count=d["head_count"],
                leader=leader,
            ),
        )  # fmt: skip
        return Response(entry_data(selectors.get_visible_entry(request.user, entry.pk)), status=201)


class EntryOutcomeView(APIView):
    @extend_schema(request=OutcomeIn, responses={200: EntryOut}, tags=["reception"], summary="记录处理情况")
    @idempotent
    def post(self, request, pk: int):
        entry = selectors.get_visible_entry(request.user, pk)
        d = _valid(OutcomeIn, request)
        if d["outcome"] == EntryOutcome.CASE:
            services.entry_file_case(
                actor=request.user, entry=entry, consent=d["consent"],
                leader_takes_charge=d["leader_takes_charge"], urgent=d["urgent"],
            )  # fmt: skip
        else:
            services.entry_resolve(actor=request.user, entry=entry, outcome=d["outcome"], text=d["text"])
        return Response(entry_data(selectors.get_visible_entry(request.user, pk)))


class SessionAnnounceView(APIView):
    error_statuses = (400, 401, 403, 404, 429)

    @extend_schema(request=AnnounceIn, responses={200: AnnounceOut}, tags=["reception"],
                   summary="向辖区企业发布接待日公告（每次接待日一次，重新发送须 resend）")  # fmt: skip
    @idempotent
    def post(self, request, pk: int):
        session = selectors.get_visible_session(request.user, pk)
        d = _valid(AnnounceIn, request)
        queued = services.session_announce(
            actor=request.user, session=session, channels=d["channels"], resend=d["resend"]
        )
        session.refresh_from_db()
        return Response(AnnounceOut({
            "queued": queued, "notice_sends": session.notice_sends, "notice_sent_at": session.notice_sent_at,
            "notice_channels": [c for c in session.notice_channels.split(",") if c],
        }).data)  # fmt: skip
