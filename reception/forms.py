"""Forms of the reception pages. They only shape input; the rules live in ``services``."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Category, OrgUnit
from casework.models.org import FEDERATION_KINDS, Role, UnitKind

from .models import EntryOutcome, SessionForm

_dt = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        unit = getattr(getattr(obj, "staff", None), "unit", None)
        return f"{name}（{unit.name}）" if unit else name


class CaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.summary[:30]}"


class SessionPlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("举办单位"), queryset=OrgUnit.objects.none(), empty_label=_("请选择"))
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_dt, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_dt, input_formats=["%Y-%m-%dT%H:%M"])
    place = forms.CharField(label=_("接待地点"), max_length=200)
    form = forms.ChoiceField(label=_("接待形式"), choices=SessionForm.choices)
    topic = forms.CharField(label=_("接访专题"), max_length=200, required=False, help_text=_("专题接访时必填"))
    leaders = StaffMultipleChoiceField(
        label=_("接待领导"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )
    issues = forms.CharField(
        label=_("可反映的问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    cases = CaseChoiceField(
        label=_("带案下访案件"), queryset=Case.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("带案下访时必选"),
    )  # fmt: skip

    def __init__(self, *args, units, staff_unit: OrgUnit, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(kind__in=FEDERATION_KINDS)
        self.fields["leaders"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, staff__unit__path__startswith=staff_unit.path, staff__role__in=[Role.LEADER, Role.ADMIN]
            )
            .select_related("staff__unit")
            .order_by("staff__unit__path", "username")
        )
        self.fields["cases"].queryset = cases


class AnnounceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("同时发送"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("sms", _("短信")), ("email", _("电子邮件"))],
        help_text=_("企业及企业工会工作人员的站内通知总会收到公告。"),
    )  # fmt: skip
    resend = forms.BooleanField(label=_("重新发送"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=500)


class EntryForm(forms.Form):
    worker_name = forms.CharField(label=_("来访人姓名"), max_length=50, help_text=_("集体来访填写代表姓名"))
    head_count = forms.IntegerField(label=_("来访人数"), min_value=1, max_value=10000, initial=1)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("所在企业"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("（系统外单位）")
    )
    employer = forms.CharField(label=_("工作单位（系统外）"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("诉求类别"), queryset=Category.objects.filter(active=True), required=False, empty_label=_("请选择")
    )
    raised = forms.CharField(label=_("反映问题"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    request = forms.CharField(
        label=_("职工诉求"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    leader = forms.ModelChoiceField(
        label=_("接待领导"), queryset=get_user_model().objects.none(), required=False, empty_label=_("请选择")
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = OrgUnit.objects.filter(
            kind=UnitKind.ENTERPRISE, active=True, path__startswith=session.unit.path
        ).order_by("path")
        self.fields["leader"].queryset = session.leaders.all()
        self.fields["leader"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理情况"), choices=[(k, v) for k, v in EntryOutcome.choices if k != EntryOutcome.CASE]
    )
    text = forms.CharField(
        label=_("解答内容 / 转交单位 / 告知与指引"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class FileCaseForm(forms.Form):
    consent = forms.BooleanField(label=_("已告知职工并取得其同意登记个人信息"), required=False)
    leader_takes_charge = forms.BooleanField(label=_("接待领导包案"), required=False)
    urgent = forms.BooleanField(label=_("紧急"), required=False)
