"""Shapes of the API: what comes in (validated for type and size only; the services own
the rules) and what goes out (the case, as the contract in issue 4 names its fields)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import rules, selectors
from ..bulk import BULK_ACTIONS, BULK_LIMIT
from ..deadlines import deadline_state, is_due_provisional
from ..models.case import ANSWERED_REPLIED, ANSWERED_UNREPLIED, Level, Status
from ..models.org import Role, UnitKind
from ..models.worker import Gender
from .fields import Text

DEADLINE_STATES = ["ok", "warning", "overdue", "paused", "none"]
ORDERINGS = ["due_at", "-due_at", "received_at", "-received_at"]


class Strict(serializers.Serializer):
    """Unknown keys are a 400, so a misspelt field is never silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({k: [_("未知字段。")] for k in unknown})
        return super().to_internal_value(data)


# --- references -------------------------------------------------------------------------


class CodeName(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class UnitRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)


class Unit(UnitRef):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)


class UserRef(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class Me(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user) -> list[str]:
        role = rules.role_of(user)
        return [role] if role else []

    @extend_schema_field(UnitRef(allow_null=True))
    def get_unit(self, user):
        profile = rules.profile(user)
        return UnitRef(profile.unit).data if profile else None


# --- the case, out ------------------------------------------------------------------------


class WorkerOut(serializers.Serializer):
    """The worker; phone and ID number masked unless asked for (``?unmask=1`` on a case's
    detail) by a user ``rules.can_see_personal_data`` allows; the view logs that."""

    name = serializers.CharField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    phone = serializers.CharField()
    id_number = serializers.CharField()
    birth_month = serializers.CharField()
    post = serializers.CharField()
    migrant = serializers.BooleanField()
    dispatched = serializers.BooleanField()
    masked = serializers.BooleanField(help_text=_("为 true 时电话与身份证号码已脱敏。"))


def worker_data(case, user, *, unmask: bool = False) -> dict:
    w = case.worker
    show = unmask and rules.can_see_personal_data(case, user)
    if rules.hides_worker(case, user):  # 对企业匿名: nothing that names the worker
        return {
            "name": str(_("（对企业匿名）")), "gender": "unknown", "phone": "", "id_number": "", "birth_month": "",
            "post": "", "migrant": False, "dispatched": False, "masked": True,
        }  # fmt: skip
    return {
        "name": w.name,
        "gender": w.gender,
        "phone": w.phone if show else w.masked_phone,
        "id_number": w.id_number if show else w.masked_id_number,
        "birth_month": w.birth_month,
        "post": w.post,
        "migrant": w.migrant,
        "dispatched": w.dispatched,
        "masked": not show,
    }


class TimelineEntry(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = UserRef(allow_null=True)
    action = serializers.CharField()
    action_label = serializers.CharField()
    from_status = serializers.CharField(help_text=_("空字符串表示登记前。"))
    to_status = serializers.CharField()
    reason = serializers.CharField()


def timeline_data(entries) -> list[dict]:
    return [
        {
            "at": e.at,
            "actor": e.actor,
            # The history row says "follow_up"; the API's action code is "followup".
            "action": "followup" if e.action == "follow_up" else e.action,
            "action_label": str(e.action_label),
            "from_status": e.from_status or "",
            "to_status": e.to_status or "",
            "reason": e.reason,
        }
        for e in entries
    ]


class NoteEntry(serializers.Serializer):
    """One 内部记录 or one item of 告知职工 (``internal_notes`` / ``told_worker``)."""

    at = serializers.DateTimeField()
    actor = UserRef(allow_null=True)
    action = serializers.ChoiceField(
        choices=["note", "not_accept", "inform", "reply"],
        help_text=_("note：内部记录；not_accept：不予受理的告知与指引；inform：告知职工的办理进展；reply：答复职工。"),
    )
    action_label = serializers.CharField()
    text = serializers.CharField()


def note_data(entries) -> list[dict]:
    return [
        {"at": e.at, "actor": e.actor, "action": e.action, "action_label": str(e.action_label), "text": e.reason}
        for e in entries
    ]


class _CaseSummaries(serializers.ListSerializer):
    """``CaseSummary(cases, many=True)``: the same dicts as ``CaseSummary(case).data`` case by
    case, built directly (``case_summary_data``). DRF's per-row path — every field's
    ``get_attribute``, a signature inspection per callable source, a nested serializer per
    reference — was a large part of a task list's time."""

    def to_representation(self, data):
        if type(self.child) is not CaseSummary:
            return super().to_representation(data)
        rows = data.all() if hasattr(data, "all") else data
        return [case_summary_data(case, self.context) for case in rows]


class CaseSummary(serializers.Serializer):
    """One case in a list (no timeline, no allowed actions: those cost queries per case)."""

    class Meta:
        list_serializer_class = _CaseSummaries

    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    level = serializers.CharField(help_text=_("enterprise / union / government；空字符串表示尚未进入办理层级。"))
    handling_unit = UnitRef(allow_null=True)
    enterprise = UnitRef()
    owner = UserRef()
    leader = UserRef(allow_null=True)
    category = CodeName()
    channel = CodeName()
    summary = serializers.CharField()
    urgent = serializers.BooleanField()
    workers_involved = serializers.IntegerField()
    outcome = serializers.CharField()
    satisfaction = serializers.CharField()
    systemic = serializers.BooleanField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    deadline_state = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    version = serializers.IntegerField(help_text=_("乐观锁版本号：执行操作时可传入，案件已被他人更新则返回 409。"))

    @extend_schema_field(serializers.ChoiceField(choices=DEADLINE_STATES))
    def get_deadline_state(self, case) -> str:
        return deadline_state(case, self.context["now"])

    @extend_schema_field(WorkerOut)
    def get_worker(self, case) -> dict:
        return worker_data(case, self.context["request"].user, unmask=self.context.get("unmask", False))


_DATETIME = serializers.DateTimeField()
# ``get_status_display`` would rebuild a dict of the choices on every call, once per case.
_STATUS_LABELS = dict(Status.choices)
_ANSWERED_LABELS = {False: ANSWERED_UNREPLIED, True: ANSWERED_REPLIED}


def _unit_ref(unit) -> dict | None:
    return None if unit is None else {"code": str(unit.code), "name": str(unit.name), "kind": str(unit.kind)}


def _user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"username": str(user.username), "name": user.get_full_name() or user.get_username()}


def _code_name(row) -> dict:
    return {"code": str(row.code), "name": str(row.name)}


def case_summary_data(case, context) -> dict:
    """``CaseSummary(case, context=context).data`` without DRF's per-field machinery (lists);
    ``tests/api/test_cases.py`` checks that both give the same."""
    return {
        "number": str(case.number),
        "status": str(case.status),
        "status_label": (
            str(_ANSWERED_LABELS[case.replied_at is not None])
            if case.status == Status.ANSWERED
            else str(_STATUS_LABELS.get(case.status, case.status))
        ),
        "level": str(case.level),
        "handling_unit": _unit_ref(case.handling_unit),
        "enterprise": _unit_ref(case.enterprise),
        "owner": _user_ref(case.owner),
        "leader": _user_ref(case.leader),
        "category": _code_name(case.category),
        "channel": _code_name(case.channel),
        "summary": str(case.summary),
        "urgent": bool(case.urgent),
        "workers_involved": int(case.workers_involved),
        "outcome": str(case.outcome),
        "satisfaction": str(case.satisfaction),
        "systemic": bool(case.systemic),
        "received_at": _DATETIME.to_representation(case.received_at),
        "due_at": _DATETIME.to_representation(case.due_at),
        "deadline_state": deadline_state(case, context["now"]),
        "worker": worker_data(case, context["request"].user, unmask=context.get("unmask", False)),
        "version": int(case.version),
    }


class CaseDetail(CaseSummary):
    request = serializers.CharField()
    result = serializers.CharField()
    place = serializers.CharField()
    guidance = serializers.CharField()
    reply_method = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.CharField(source="merged_into.number", allow_null=True, default=None)
    due_provisional = serializers.SerializerMethodField(
        help_text=_("期限为暂定：按周末和法定节假日规则推算（该年度放假安排尚未录入），录入后重新计算。")
    )
    allowed_actions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    internal_notes = serializers.SerializerMethodField(help_text=_("内部记录：仅工作人员可见，不告知职工。"))
    told_worker = serializers.SerializerMethodField(
        help_text=_("告知职工：不予受理的告知与指引、办理进展告知、答复，按时间顺序；职工在网上查询中看到的只有这些。")
    )

    def get_due_provisional(self, case) -> bool:
        return is_due_provisional(case)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, case) -> list[str]:
        return self.context["allowed_actions"]

    @extend_schema_field(TimelineEntry(many=True))
    def get_timeline(self, case) -> list[dict]:
        return TimelineEntry(timeline_data(self.context["timeline"]), many=True).data

    @extend_schema_field(NoteEntry(many=True))
    def get_internal_notes(self, case) -> list[dict]:
        return NoteEntry(note_data(selectors.internal_notes(self.context["timeline"])), many=True).data

    @extend_schema_field(NoteEntry(many=True))
    def get_told_worker(self, case) -> list[dict]:
        return NoteEntry(note_data(selectors.told_worker(self.context["timeline"])), many=True).data


# --- the case, in -------------------------------------------------------------------------


class WorkerIn(Strict):
    name = Text(max_length=50)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    phone = Text(max_length=30, required=False, allow_blank=True, default="")
    id_number = Text(max_length=30, required=False, allow_blank=True, default="")
    birth_month = Text(
        max_length=7,
        required=False,
        allow_blank=True,
        default="",
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("出生年月格式应为 YYYY-MM。"))],
    )
    hukou = Text(max_length=100, required=False, allow_blank=True, default="")
    ethnicity = Text(max_length=20, required=False, allow_blank=True, default="")
    political_status = Text(max_length=20, required=False, allow_blank=True, default="")
    education = Text(max_length=20, required=False, allow_blank=True, default="")
    post = Text(max_length=100, required=False, allow_blank=True, default="")
    technical_title = Text(max_length=50, required=False, allow_blank=True, default="")
    migrant = serializers.BooleanField(required=False, default=False)
    dispatched = serializers.BooleanField(required=False, default=False)
    province = Text(max_length=30, required=False, allow_blank=True, default="")
    city = Text(max_length=30, required=False, allow_blank=True, default="")
    county = Text(max_length=30, required=False, allow_blank=True, default="")


class CaseIn(Strict):
    """登记: the body of ``POST /cases/``; ``enterprise``, ``category``, ``channel`` are codes."""

    worker = WorkerIn()
    enterprise = Text(max_length=40, help_text=_("企业代码（见 /units/?kind=enterprise）"))
    category = Text(max_length=40, help_text=_("诉求类别代码（见 /categories/）"))
    channel = Text(max_length=40, help_text=_("受理渠道代码（见 /channels/）"))
    summary = Text()
    request = Text()
    workers_involved = serializers.IntegerField(min_value=1, max_value=100000, default=1)
    urgent = serializers.BooleanField(default=False)
    consent = serializers.BooleanField(help_text=_("须为 true：已告知职工并取得其同意。"))
    place = Text(max_length=200, required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    accept = serializers.BooleanField(default=True, help_text=_("true：当场受理，转企业层面办理。"))


# --- queries ------------------------------------------------------------------------------


class CaseFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    category = Text(max_length=40, required=False)
    channel = Text(max_length=40, required=False)
    unit = Text(max_length=40, required=False, help_text=_("承办单位代码（含下级单位）"))
    overdue = serializers.BooleanField(required=False, default=None, allow_null=True)
    warning = serializers.BooleanField(required=False, default=None, allow_null=True)
    q = Text(
        max_length=100,
        required=False,
        help_text=_("案件编号、职工姓名、企业名称或反映内容的一部分，或职工完整的电话、身份证号码"),
    )
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False)
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False)


class UnitFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    q = Text(max_length=100, required=False, help_text=_("名称或代码的一部分"))
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False)


class ReplyTemplateFilter(serializers.Serializer):
    category = Text(
        max_length=40, required=False, help_text=_("诉求类别代码：该类别的常用答复语在前，其后为适用于所有类别的")
    )


class ReplyTemplateOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    category = serializers.CharField(
        source="category.code", allow_null=True, default=None, help_text=_("为 null 时适用于所有类别")
    )


class TaskFilter(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, required=False, default=50)


class TaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.CharField(
        help_text=_("任务节点：review（受理审查）/ handle（层级办理）/ reply（答复）/ follow_up（回访）")
    )
    title = serializers.CharField()
    status = serializers.CharField()
    assigned_to = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField()
    case = CaseSummary()


class TaskLists(serializers.Serializer):
    inbox = TaskOut(many=True)
    inbox_count = serializers.IntegerField()
    queue = TaskOut(many=True)
    queue_count = serializers.IntegerField()


class BulkIn(Strict):
    action = serializers.ChoiceField(choices=[(k, str(v)) for k, v in BULK_ACTIONS.items()])
    cases = serializers.ListField(
        child=Text(max_length=32), help_text=_("案件编号，一次最多 %(n)d 个") % {"n": BULK_LIMIT}
    )
    to = Text(max_length=150, required=False, allow_blank=True, help_text=_("指派（assign）时必填：承办人的用户名"))
    message = Text(max_length=2000, required=False, allow_blank=True, help_text=_("催办（urge）时必填：催办内容"))


class BulkOutcomeOut(serializers.Serializer):
    case = serializers.CharField(source="number")
    done = serializers.BooleanField()
    message = serializers.CharField(help_text=_("已完成，或未办理的原因"))


class BulkOut(serializers.Serializer):
    action = serializers.CharField()
    done = serializers.IntegerField(help_text=_("已完成的案件数"))
    refused = serializers.IntegerField(help_text=_("未办理的案件数"))
    results = BulkOutcomeOut(many=True)


class TokenIn(Strict):
    username = Text(max_length=150)
    password = Text(max_length=128, trim_whitespace=False)
    otp_token = Text(max_length=8, required=False, allow_blank=True)


class StaffTokenOut(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class Error(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


__all__ = ["OpenApiTypes"]
