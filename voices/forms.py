"""Forms of the voices pages; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit

from .models import VoiceOutcome, VoiceSource


class VoiceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=OrgUnit.objects.none(), empty_label=_("请选择"))
    source = forms.ChoiceField(
        label=_("来源"), choices=[(k, v) for k, v in VoiceSource.choices if k != VoiceSource.INTERVIEW]
    )
    raised_on = forms.DateField(label=_("提出日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    worker_name = forms.CharField(label=_("提出人"), max_length=50, required=False)
    summary = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("回音"), choices=VoiceOutcome.choices)
    text = forms.CharField(
        label=_("答复内容 / 无需办理的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    case_number = forms.CharField(label=_("案件编号"), max_length=32, required=False, help_text=_("登记为案件时填写"))


class InterviewCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("回音"), choices=[(k, v) for k, v in VoiceOutcome.choices if k != VoiceOutcome.CASE]
    )
    text = forms.CharField(
        label=_("答复内容 / 无需办理的理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
