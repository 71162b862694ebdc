"""``/api/v1/visits/``: work groups, their visits and the case interviews (个案访谈).

Same token auth, scoping (a group, visit or interview outside the caller's jurisdiction is
404, like the pages: ``selectors``) and Chinese JSON errors as cases; every write is one call
of ``visits.services``. An interviewed worker's phone always leaves the server masked (the
page's logged unmask is the way to see it); originals and recordings are listed, not served.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import rules as case_rules
from casework.api.views import Pages
from casework.clock import now
from casework.exceptions import InvalidInput
from casework.models import Category, OrgUnit
from casework.models.worker import Gender
from casework.validators import mask_phone
from idempotency.decorators import idempotent

from . import selectors, services
from .models import OUTLINE_SECTIONS, Interview, MustVisit, Visit, VisitKind, WorkGroup

TAGS = ["visits"]
LIST_ERRORS = (401, 403, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 429)

# --- output ---------------------------------------------------------------------------------


class VisitPersonOut(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class VisitUnitOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def _unit(unit) -> dict:
    return {"code": unit.code, "name": unit.name}


class TargetOut(serializers.Serializer):
    id = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    min_enterprises = serializers.IntegerField()
    min_workers = serializers.IntegerField()
    min_interviews = serializers.IntegerField()
    enterprises = serializers.IntegerField(help_text="已走访企业（家）")
    workers = serializers.IntegerField(help_text="已接触职工（人）")
    interviews = serializers.IntegerField(help_text="已个案访谈（人）")


class GroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = VisitUnitOut()
    leader = VisitPersonOut()
    members = VisitPersonOut(many=True)
    active = serializers.BooleanField()


class GroupDetailOut(GroupOut):
    targets = TargetOut(many=True)


class VisitOut(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.IntegerField()
    enterprise = VisitUnitOut()
    visited_on = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    must_visit = serializers.CharField(help_text="八必访对象（入户走访慰问时）")
    place = serializers.CharField()
    workers_met = serializers.IntegerField()
    workers_named = serializers.ListField(child=serializers.CharField())
    difficulties = serializers.CharField()
    bottlenecks = serializers.CharField()
    workforce_changes = serializers.CharField()
    conditions = serializers.CharField()
    state_of_mind = serializers.CharField()
    stability_risks = serializers.CharField()
    work_log = serializers.CharField()
    created_by = VisitPersonOut()


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class InterviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.IntegerField()
    visit = serializers.IntegerField()
    number = serializers.IntegerField(help_text="个案编号（组内）")
    consent = serializers.BooleanField()
    province = serializers.CharField()
    city = serializers.CharField()
    county = serializers.CharField()
    employer = serializers.CharField()
    worker_name = serializers.CharField()
    gender = serializers.CharField()
    birth_month = serializers.CharField()
    phone = serializers.CharField(help_text="脱敏")
    hukou = serializers.CharField()
    ethnicity = serializers.CharField()
    political_status = serializers.CharField()
    education = serializers.CharField()
    post = serializers.CharField()
    technical_title = serializers.CharField()
    migrant = serializers.BooleanField()
    dispatched = serializers.BooleanField()
    remark = serializers.CharField()
    outline = serializers.DictField(child=serializers.CharField(), help_text="参考提纲：s1 … s8")
    notes = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    request = serializers.CharField()
    place = serializers.CharField()
    interviewed_at = serializers.DateTimeField()
    interviewer = VisitPersonOut()
    original_pages = serializers.IntegerField()
    cleaned_pages = serializers.IntegerField()
    signed_off_by = VisitPersonOut(allow_null=True)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    written_up_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    report_stage = serializers.CharField(help_text="报送：整理中 / 已整理 / 组长已签字 / 已报送活动办公室")
    late = serializers.BooleanField(help_text="访谈次日仍未整理")
    case = serializers.CharField(allow_null=True, help_text="登记案件编号")


class InterviewDetailOut(InterviewOut):
    attachments = AttachmentOut(many=True, help_text="原稿和录音（文件在页面上查看）")


class VisitDetailOut(VisitOut):
    interviews = InterviewOut(many=True)
    attachments = AttachmentOut(many=True)


def _page_of(name: str, item):
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )


GroupPageOut = _page_of("VisitGroupPageOut", GroupOut)
VisitPageOut = _page_of("VisitPageOut", VisitOut)
InterviewPageOut = _page_of("InterviewPageOut", InterviewOut)


def group_data(g: WorkGroup) -> dict:
    return {
        "id": g.pk,
        "name": g.name,
        "unit": _unit(g.unit),
        "leader": _person(g.leader),
        "members": [_person(m) for m in g.members.all()],
        "active": g.active,
    }


def visit_data(v: Visit) -> dict:
    names = ("place", "workers_met", "difficulties", "bottlenecks", "workforce_changes", "conditions")
    names += ("state_of_mind", "stability_risks", "work_log", "must_visit", "kind", "visited_on")
    return {
        "id": v.pk,
        "group": v.group_id,
        "enterprise": _unit(v.enterprise),
        "kind_label": str(v.get_kind_display()),
        "workers_named": v.named_workers(),
        "created_by": _person(v.created_by),
        **{n: getattr(v, n) for n in names},
    }


def _attachments(rows) -> list[dict]:
    return [{"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size} for a in rows]


def interview_data(i: Interview, today) -> dict:
    plain = ("number", "consent", "province", "city", "county", "employer", "worker_name", "gender", "birth_month")
    plain += ("hukou", "ethnicity", "political_status", "education", "post", "technical_title", "migrant")
    plain += ("dispatched", "remark", "notes", "request", "place", "interviewed_at", "original_pages")
    plain += ("cleaned_pages", "signed_off_at", "written_up_at", "submitted_at")
    return {
        "id": i.pk,
        "group": i.group_id,
        "visit": i.visit_id,
        **{n: getattr(i, n) for n in plain},
        "phone": mask_phone(i.phone),
        "outline": dict(i.outline or {}),
        "category": i.category.code if i.category_id else None,
        "interviewer": _person(i.interviewer),
        "signed_off_by": _person(i.signed_off_by) if i.signed_off_by_id else None,
        "report_stage": i.report_stage(),
        "late": i.late(today),
        "case": i.case.number if i.case_id else None,
    }


def _today():
    return timezone.localdate(now())


# --- input ----------------------------------------------------------------------------------


def _text(max_length: int, **kw):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kw)


class GroupIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=50, help_text="所属单位代码（本辖区内）")
    leader = serializers.CharField(max_length=150, help_text="组长用户名")
    members = serializers.ListField(
        child=serializers.CharField(max_length=150), max_length=50, required=False, default=list, help_text="用户名"
    )


class VisitIn(serializers.Serializer):
    enterprise = serializers.CharField(max_length=50, help_text="企业代码（工作组所属单位辖区内）")
    visited_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    must_visit = serializers.ChoiceField(choices=MustVisit.choices, required=False, allow_blank=True, default="")
    place = _text(200)
    workers_met = serializers.IntegerField(min_value=0, max_value=100000, required=False, default=0)
    workers_named = _text(5000, help_text="每行一人")
    difficulties = _text(5000)
    bottlenecks = _text(5000)
    workforce_changes = _text(5000)
    conditions = _text(5000)
    state_of_mind = _text(5000)
    stability_risks = _text(5000)
    work_log = _text(5000)


class InterviewIn(serializers.Serializer):
    interviewed_at = serializers.DateTimeField()
    consent = serializers.BooleanField(required=False, default=False, help_text="职工同意登记个人信息")
    province = _text(30)
    city = _text(30)
    county = _text(30)
    employer = _text(200)
    worker_name = _text(50)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default=Gender.UNKNOWN)
    birth_month = _text(7, help_text="YYYY-MM")
    phone = _text(20)
    hukou = _text(100)
    ethnicity = _text(20)
    political_status = _text(20)
    education = _text(20)
    post = _text(100)
    technical_title = _text(50)
    migrant = serializers.BooleanField(required=False, default=False)
    dispatched = serializers.BooleanField(required=False, default=False)
    remark = _text(5000)
    outline = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True),
        required=False,
        default=dict,
        help_text="参考提纲：" + "、".join(key for key, _title in OUTLINE_SECTIONS),
    )
    notes = _text(5000)
    category = _text(50, help_text="诉求类别代码")
    request = _text(5000)
    place = _text(200)
    interviewer = _text(150, help_text="访问员用户名，默认为调用者")
    original_pages = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    cleaned_pages = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _users(usernames, field: str, message) -> list:
    usernames = list(dict.fromkeys(usernames))
    users = list(get_user_model().objects.filter(username__in=usernames))
    if len(users) != len(usernames):
        raise InvalidInput(fields={field: [message]})
    return users


def _pk(pk: int) -> int:
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def _paged(view, request, queryset, render):
    paginator = Pages()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response([render(row) for row in page])


# --- views ----------------------------------------------------------------------------------


class GroupListView(APIView):
    error_statuses = WRITE_ERRORS

    @extend_schema(operation_id="visits_groups_list", responses={200: GroupPageOut}, tags=TAGS)
    def get(self, request):
        groups = (
            selectors.visible_groups(request.user)
            .select_related("unit", "leader")
            .prefetch_related("members")
            .order_by("unit__path", "name", "pk")
        )
        return _paged(self, request, groups, group_data)

    @extend_schema(
        operation_id="visits_groups_create", request=GroupIn, responses={201: GroupDetailOut}, tags=TAGS,
        summary="成立走访工作组（本单位及下级单位的领导、管理员）",
    )  # fmt: skip
    @idempotent
    def post(self, request):
        d = _valid(GroupIn, request)
        unit = OrgUnit.objects.filter(code=d["unit"], active=True).first()
        profile = case_rules.profile(request.user)
        if unit is None or not (request.user.is_superuser or (profile and unit.path.startswith(profile.unit.path))):
            raise InvalidInput(fields={"unit": [_("单位不存在，或不在您的辖区内。")]})
        (leader,) = _users([d["leader"]], "leader", _("只能选择启用的工作人员。"))
        members = _users(d["members"], "members", _("只能选择启用的工作人员。"))
        group = services.workgroup_create(actor=request.user, name=d["name"], unit=unit, leader=leader, members=members)
        return Response(_group_detail(selectors.get_visible_group(request.user, group.pk)), status=201)


def _group_detail(group: WorkGroup) -> dict:
    targets = [
        {
            "id": p.target.pk,
            "period_start": p.target.period_start,
            "period_end": p.target.period_end,
            "min_enterprises": p.target.min_enterprises,
            "min_workers": p.target.min_workers,
            "min_interviews": p.target.min_interviews,
            "enterprises": p.enterprises,
            "workers": p.workers,
            "interviews": p.interviews,
        }
        for p in selectors.target_progress(group)
    ]
    return {**group_data(group), "targets": targets}


class GroupDetailView(APIView):
    error_statuses = LIST_ERRORS

    @extend_schema(operation_id="visits_group_detail", responses={200: GroupDetailOut}, tags=TAGS)
    def get(self, request, pk: int):
        return Response(_group_detail(selectors.get_visible_group(request.user, _pk(pk))))


def _visits(qs):
    return qs.select_related("enterprise", "created_by").order_by("-visited_on", "-pk")


class GroupVisitsView(APIView):
    error_statuses = WRITE_ERRORS

    @extend_schema(operation_id="visits_group_visits_list", responses={200: VisitPageOut}, tags=TAGS)
    def get(self, request, pk: int):
        group = selectors.get_visible_group(request.user, _pk(pk))
        return _paged(self, request, _visits(group.visits.all()), visit_data)

    @extend_schema(
        operation_id="visits_group_visits_create", request=VisitIn, responses={201: VisitDetailOut}, tags=TAGS,
        summary="记录走访（工作组成员，或所属单位的领导、管理员）",
    )  # fmt: skip
    @idempotent
    def post(self, request, pk: int):
        group = selectors.get_visible_group(request.user, _pk(pk))
        d = _valid(VisitIn, request)
        d["enterprise"] = OrgUnit.objects.filter(code=d["enterprise"]).first()
        visit = services.visit_create(actor=request.user, group=group, data=services.VisitInput(**d))
        return Response(_visit_detail(selectors.get_visible_visit(request.user, visit.pk)), status=201)


def _visit_detail(visit: Visit) -> dict:
    today = _today()
    return {
        **visit_data(visit),
        "interviews": [interview_data(i, today) for i in selectors.visit_interviews(visit)],
        "attachments": _attachments(visit.attachments.all()),
    }


class VisitDetailView(APIView):
    error_statuses = LIST_ERRORS

    @extend_schema(operation_id="visits_visit_detail", responses={200: VisitDetailOut}, tags=TAGS)
    def get(self, request, pk: int):
        return Response(_visit_detail(selectors.get_visible_visit(request.user, _pk(pk))))


class VisitInterviewsView(APIView):
    error_statuses = WRITE_ERRORS

    @extend_schema(
        operation_id="visits_visit_interviews_create", request=InterviewIn, responses={201: InterviewDetailOut},
        tags=TAGS, summary="个案访谈登记（个人信息须职工同意）",
    )  # fmt: skip
    @idempotent
    def post(self, request, pk: int):
        visit = selectors.get_visible_visit(request.user, _pk(pk))
        d = _valid(InterviewIn, request)
        code, username = d.pop("category"), d.pop("interviewer")
        category = interviewer = None
        if code:
            category = Category.objects.filter(code=code, active=True).first()
            if category is None:
                raise InvalidInput(fields={"category": [_("请选择有效的诉求类别。")]})
        if username:
            (interviewer,) = _users([username], "interviewer", _("访谈人须为工作人员。"))
        data = services.InterviewInput(**d, category=category, interviewer=interviewer)
        interview = services.interview_create(actor=request.user, visit=visit, data=data)
        return Response(_interview_detail(selectors.get_visible_interview(request.user, interview.pk)), status=201)


class GroupInterviewsView(APIView):
    error_statuses = LIST_ERRORS

    @extend_schema(operation_id="visits_group_interviews_list", responses={200: InterviewPageOut}, tags=TAGS)
    def get(self, request, pk: int):
        group = selectors.get_visible_group(request.user, _pk(pk))
        rows = group.interviews.select_related(*selectors.INTERVIEW_RELATED).order_by("number")
        today = _today()
        return _paged(self, request, rows, lambda i: interview_data(i, today))


def _interview_detail(interview: Interview) -> dict:
    return {
        **interview_data(interview, _today()),
        "attachments": _attachments(interview.attachments.all()),
    }


class InterviewDetailView(APIView):
    error_statuses = LIST_ERRORS

    @extend_schema(operation_id="visits_interview_detail", responses={200: InterviewDetailOut}, tags=TAGS)
    def get(self, request, pk: int):
        return Response(_interview_detail(selectors.get_visible_interview(request.user, _pk(pk))))


# --- the interview's steps (报送) and filing it as a case ---------------------------------------


class FileCaseIn(serializers.Serializer):
    urgent = serializers.BooleanField(required=False, default=False)


def _interview_step(name: str, service, summary: str, request_serializer=None):
    class View(APIView):
        error_statuses = (400, 401, 403, 404, 409, 413, 415, 429)

        @extend_schema(
            operation_id=f"visits_interview_{name}", request=request_serializer, responses={200: InterviewDetailOut},
            tags=TAGS, summary=summary,
        )  # fmt: skip
        @idempotent
        def post(self, request, pk: int):
            interview = selectors.get_visible_interview(request.user, _pk(pk))
            d = _valid(request_serializer, request) if request_serializer else {}
            service(actor=request.user, interview=interview, **d)
            return Response(_interview_detail(selectors.get_visible_interview(request.user, interview.pk)))

    View.__name__ = "Interview" + name.title().replace("_", "") + "View"
    return View


InterviewWriteUpView = _interview_step("write_up", services.interview_write_up, "整理完成（工作组成员）")
InterviewSignOffView = _interview_step("sign_off", services.interview_sign_off, "组长签字（签字后登记表不能再修改）")
InterviewSubmitView = _interview_step("submit", services.interview_submit, "报送活动办公室（组长，签字后）")
InterviewFileCaseView = _interview_step(
    "file_case", services.interview_file_case, "一键登记案件（调用者成为首问负责人）", FileCaseIn
)
