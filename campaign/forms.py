"""Forms of the campaign pages. They only shape input; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit
from casework.models.org import UnitKind
from visits.models import Visit, WorkGroup

from .models import Cadre, Hardship, HelpKind, Slot, TypicalKind

_text = {"rows": 4}
_date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit.name}{'·' + obj.post if obj.post else ''}）"


class CadreMultipleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = CadreChoiceField.label_from_instance


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=100)
    period_start = forms.DateField(label=_("起始日期"), widget=_date)
    period_end = forms.DateField(label=_("截止日期"), widget=_date)
    units = forms.ModelMultipleChoiceField(
        label=_("参加单位"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    days_cadre = forms.DecimalField(label=_("干部驻点天数目标"), min_value=0, max_value=366, decimal_places=1)
    days_leader = forms.DecimalField(label=_("组长驻点天数目标"), min_value=0, max_value=366, decimal_places=1)
    enterprises = forms.IntegerField(label=_("每人走访企业数目标（家）"), min_value=0, max_value=10000)
    workers = forms.IntegerField(label=_("每人接触职工数目标（人）"), min_value=0, max_value=100000)
    logs = forms.IntegerField(label=_("每人工作日志目标（篇）"), min_value=0, max_value=366)
    reports = forms.IntegerField(label=_("每人调研报告目标（篇）"), min_value=0, max_value=100)
    typicals = forms.IntegerField(label=_("每人典型目标（个）"), min_value=0, max_value=100)

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = OrgUnit.objects.filter(
            path__startswith=unit.path, kind__in=[UnitKind.CITY_FEDERATION, UnitKind.COUNTY_FEDERATION]
        ).order_by("path")


class CadreForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=OrgUnit.objects.none(), empty_label=_("请选择"))
    post = forms.CharField(label=_("职务"), max_length=100, required=False)

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(path__startswith=unit.path, active=True).order_by("path")


class GroupForm(forms.Form):
    name = forms.CharField(label=_("工作组名称"), max_length=100)
    leader = CadreChoiceField(label=_("组长"), queryset=Cadre.objects.none(), empty_label=_("请选择"))
    members = CadreMultipleChoiceField(
        label=_("组员（参与干部）"), queryset=Cadre.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    work_group = forms.ModelChoiceField(
        label=_("走访工作组"),
        queryset=WorkGroup.objects.none(),
        required=False,
        empty_label=_("不关联"),
        help_text=_("该走访工作组的走访记录计入本活动"),
    )

    def __init__(self, *args, cadres, work_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = cadres
        self.fields["members"].queryset = cadres
        self.fields["work_group"].queryset = work_groups


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.visited_on:%Y-%m-%d} {obj.enterprise.name}（{obj.get_kind_display()}）"


class ParticipationForm(forms.Form):
    visit = VisitChoiceField(label=_("走访记录"), queryset=Visit.objects.none(), empty_label=_("请选择"))
    cadre = CadreChoiceField(label=_("参与干部"), queryset=Cadre.objects.none(), empty_label=_("请选择"))
    day_from = forms.DateField(label=_("日期"), widget=_date)
    day_to = forms.DateField(label=_("截止日期"), widget=_date, required=False, help_text=_("驻点多日时填写"))
    slot = forms.ChoiceField(label=_("时段"), choices=Slot.choices, initial=Slot.DAY)

    def __init__(self, *args, visits, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["cadre"].queryset = cadres


class WorkLogForm(forms.Form):
    cadre = CadreChoiceField(label=_("参与干部"), queryset=Cadre.objects.none(), empty_label=_("请选择"))
    day = forms.DateField(label=_("日期"), widget=_date)
    content = forms.CharField(label=_("日志内容"), widget=forms.Textarea(attrs=_text))

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class ReportForm(forms.Form):
    author = CadreChoiceField(label=_("执笔人"), queryset=Cadre.objects.none(), empty_label=_("请选择"))
    title = forms.CharField(label=_("标题"), max_length=200)
    subject = forms.CharField(label=_("调研主题"), max_length=200)
    findings = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs=_text))
    suggestions = forms.CharField(label=_("对策建议"), required=False, widget=forms.Textarea(attrs=_text))
    filed_on = forms.DateField(label=_("报送日期"), widget=_date)
    attachment = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = cadres


class TypicalForm(forms.Form):
    author = CadreChoiceField(label=_("执笔人"), queryset=Cadre.objects.none(), empty_label=_("请选择"))
    kind = forms.ChoiceField(label=_("类型"), choices=TypicalKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs=_text))
    filed_on = forms.DateField(label=_("报送日期"), widget=_date)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = cadres


class PointForm(forms.Form):
    place = forms.ModelChoiceField(label=_("联系点（企业或社区）"), queryset=OrgUnit.objects.none())
    unit = forms.ModelChoiceField(label=_("联系单位"), queryset=OrgUnit.objects.none())
    cadre = CadreChoiceField(label=_("联系干部"), queryset=Cadre.objects.none(), required=False)
    since = forms.DateField(label=_("建立日期"), widget=_date)

    def __init__(self, *args, unit: OrgUnit, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(path__startswith=unit.path, active=True).order_by("path")
        self.fields["place"].queryset = units.filter(kind=UnitKind.ENTERPRISE)
        self.fields["unit"].queryset = units.exclude(kind=UnitKind.ENTERPRISE)
        self.fields["cadre"].queryset = cadres


class FamilyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("建档单位"), queryset=OrgUnit.objects.none())
    head = forms.CharField(label=_("职工姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("家庭住址"), max_length=200, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    members = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=50, initial=1)
    hardship = forms.ChoiceField(
        label=_("困难类型"), choices=[("", _("非困难职工"))] + Hardship.choices, required=False
    )
    situation = forms.CharField(label=_("困难情况"), required=False, widget=forms.Textarea(attrs=_text))

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(path__startswith=unit.path, active=True).order_by("path")


class PairingForm(forms.Form):
    cadre = CadreChoiceField(label=_("帮扶干部"), queryset=Cadre.objects.none())
    since = forms.DateField(label=_("结对日期"), widget=_date)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres


class PairingEditForm(forms.Form):
    since = forms.DateField(label=_("结对日期"), widget=_date)
    until = forms.DateField(label=_("结束日期"), widget=_date, required=False, help_text=_("结对结束时填写"))


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=HelpKind.choices)
    on = forms.DateField(label=_("日期"), widget=_date)
    amount = forms.DecimalField(label=_("金额（元）"), required=False, max_digits=10, decimal_places=2)
    delivered_by = CadreChoiceField(label=_("经办干部"), queryset=Cadre.objects.none())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivered_by"].queryset = cadres


class CommitmentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("承诺单位"), queryset=OrgUnit.objects.none(), empty_label=_("请选择"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("承诺事项"), max_length=200)
    content = forms.CharField(label=_("具体内容"), required=False, widget=forms.Textarea(attrs=_text))
    due_on = forms.DateField(label=_("承诺完成日期"), widget=_date)
    owner = forms.CharField(label=_("责任人"), max_length=50)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CommitmentEditForm(forms.Form):
    title = forms.CharField(label=_("承诺事项"), max_length=200)
    content = forms.CharField(label=_("具体内容"), required=False, widget=forms.Textarea(attrs=_text))
    due_on = forms.DateField(label=_("承诺完成日期"), widget=_date)
    owner = forms.CharField(label=_("责任人"), max_length=50)


class CommitmentNoteForm(forms.Form):
    text_ = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("日期"), widget=_date)


class CommitmentDoneForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label=_("办结日期"), widget=_date)
