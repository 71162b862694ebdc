"""Forms of the visits pages. They only shape input; the rules live in ``services``."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework.forms import MultipleFileField, MultipleFileInput
from casework.models import Category, OrgUnit
from casework.models.org import FEDERATION_KINDS, UnitKind
from casework.models.worker import Gender

from .models import OUTLINE_SECTIONS, EnterpriseType, MustVisit, VisitKind

_text = {"rows": 3}
_date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        unit = getattr(getattr(obj, "staff", None), "unit", None)
        return f"{name}（{unit.name}）" if unit else name


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = StaffChoiceField.label_from_instance


def staff_in(unit: OrgUnit):
    """Active staff of ``unit``'s subtree and of the units above it (a group may borrow them)."""
    paths = [u.path for u in unit.ancestors()]
    return (
        get_user_model()
        .objects.filter(is_active=True, staff__isnull=False)
        .filter(staff__unit__path__startswith=unit.path)
        .union(get_user_model().objects.filter(is_active=True, staff__unit__path__in=paths))
        .order_by("username")
    )


class WorkGroupForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=OrgUnit.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(label=_("工作组名称"), max_length=100)
    leader = StaffChoiceField(label=_("组长"), queryset=get_user_model().objects.none(), empty_label=_("请选择"))
    members = StaffMultipleChoiceField(
        label=_("组员"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, units, staff_unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        users = (
            get_user_model()
            .objects.filter(is_active=True, staff__unit__path__startswith=staff_unit.path)
            .select_related("staff__unit")
            .order_by("staff__unit__path", "username")
        )
        self.fields["leader"].queryset = users
        self.fields["members"].queryset = users


class TargetForm(forms.Form):
    period_start = forms.DateField(label=_("起始日期"), widget=_date)
    period_end = forms.DateField(label=_("截止日期"), widget=_date)
    min_enterprises = forms.IntegerField(label=_("走访企业数（家）"), min_value=0, max_value=100000, initial=5)
    min_workers = forms.IntegerField(label=_("接触职工数（人）"), min_value=0, max_value=1000000, initial=50)
    min_interviews = forms.IntegerField(label=_("个案访谈数（人）"), min_value=0, max_value=100000, initial=0)


class VisitForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("走访企业"), queryset=OrgUnit.objects.none(), empty_label=_("请选择"))
    visited_on = forms.DateField(label=_("走访日期"), widget=_date)
    kind = forms.ChoiceField(label=_("走访形式"), choices=VisitKind.choices)
    place = forms.CharField(label=_("走访地点"), max_length=200, required=False)
    must_visit = forms.ChoiceField(
        label=_("八必访对象"), choices=[("", _("（不是入户走访）")), *MustVisit.choices], required=False
    )
    workers_met = forms.IntegerField(label=_("接触职工人数"), min_value=0, max_value=100000, initial=0)
    workers_named = forms.CharField(
        label=_("接触职工名单"), required=False, widget=forms.Textarea(attrs=_text), help_text=_("每行一人，可不填")
    )
    difficulties = forms.CharField(label=_("企业生产经营困难"), required=False, widget=forms.Textarea(attrs=_text))
    bottlenecks = forms.CharField(label=_("企业发展瓶颈"), required=False, widget=forms.Textarea(attrs=_text))
    workforce_changes = forms.CharField(label=_("职工队伍变化"), required=False, widget=forms.Textarea(attrs=_text))
    conditions = forms.CharField(label=_("职工生产生活状况"), required=False, widget=forms.Textarea(attrs=_text))
    state_of_mind = forms.CharField(label=_("职工思想动态"), required=False, widget=forms.Textarea(attrs=_text))
    stability_risks = forms.CharField(label=_("影响稳定的风险隐患"), required=False, widget=forms.Textarea(attrs=_text))
    work_log = forms.CharField(label=_("工作日志"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("附件"), required=False, help_text=_("照片、签到表、记录扫描件等"))

    SIX_NOTES = (
        "difficulties",
        "bottlenecks",
        "workforce_changes",
        "conditions",
        "state_of_mind",
        "stability_risks",
    )

    def __init__(self, *args, group, with_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = OrgUnit.objects.filter(
            kind=UnitKind.ENTERPRISE, active=True, path__startswith=group.unit.path
        ).order_by("path")
        if not with_files:
            del self.fields["attachments"]


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("上传附件"))


class InterviewAttachmentForm(forms.Form):
    """访谈原稿 and 录音: the file picker offers recordings too (the service sniffs the content)."""

    attachments = MultipleFileField(
        label=_("上传原稿或录音"),
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf,audio/*"}),
        help_text=_("图片、PDF 或录音（MP3、M4A、WAV、OGG、FLAC、AMR）"),
    )


class InterviewForm(forms.Form):
    """个案访谈登记表, in the order of the paper form; consent comes first."""

    consent = forms.BooleanField(
        label=_("已告知职工个人信息的用途，职工同意登记"),
        required=False,
        help_text=_("未取得同意时，只能记录访谈情况，不能填写姓名等个人信息。"),
    )
    province = forms.CharField(label=_("省"), max_length=30, required=False)
    city = forms.CharField(label=_("市"), max_length=30, required=False)
    county = forms.CharField(label=_("区县"), max_length=30, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=200, required=False, help_text=_("不填时为走访企业"))
    worker_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_month = forms.CharField(label=_("出生年月"), max_length=7, required=False, help_text=_("格式：YYYY-MM"))
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    hukou = forms.CharField(label=_("户籍所在地"), max_length=100, required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    political_status = forms.CharField(label=_("政治面貌"), max_length=20, required=False)
    education = forms.CharField(label=_("受教育程度"), max_length=20, required=False)
    post = forms.CharField(label=_("现任职务或岗位"), max_length=100, required=False)
    technical_title = forms.CharField(label=_("职称（技术等级）"), max_length=50, required=False)
    migrant = forms.BooleanField(label=_("农民工"), required=False)
    dispatched = forms.BooleanField(label=_("劳务派遣工"), required=False)
    remark = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs=_text))
    notes = forms.CharField(label=_("访谈情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(active=True),
        required=False,
        empty_label=_("（无诉求）"),
    )
    request = forms.CharField(label=_("职工诉求"), required=False, widget=forms.Textarea(attrs=_text))
    place = forms.CharField(label=_("访问地点"), max_length=200, required=False)
    interviewed_at = forms.DateTimeField(
        label=_("访问时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    interviewer = StaffChoiceField(
        label=_("访问员（签名）"), queryset=get_user_model().objects.none(), empty_label=None
    )
    original_pages = forms.IntegerField(label=_("访问记录原稿共（）页"), min_value=0, max_value=999, initial=0)
    cleaned_pages = forms.IntegerField(label=_("整理后的个案材料共（）页"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in OUTLINE_SECTIONS:  # 参考提纲, optional structured notes
            self.fields[f"outline_{key}"] = forms.CharField(
                label=title, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        pks = [group.leader_id, *(m.pk for m in group.members.all())]
        self.fields["interviewer"].queryset = get_user_model().objects.filter(pk__in=pks).order_by("pk")


class EnterpriseProfileForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=_("企业类型"), choices=EnterpriseType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    employees = forms.IntegerField(label=_("职工人数"), min_value=0, max_value=10000000, required=False)
    has_union = forms.BooleanField(label=_("已建会"), required=False)
    collective_contract = forms.BooleanField(label=_("已签订集体合同"), required=False)
    wage_bargaining = forms.BooleanField(label=_("已开展工资集体协商"), required=False)
    workers_congress = forms.BooleanField(label=_("已建立职代会 / 厂务公开"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


def federation_units(queryset):
    return queryset.filter(kind__in=FEDERATION_KINDS)
