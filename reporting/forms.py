from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OnwardReport

_area = {"rows": 4}


class NarrativeForm(forms.Form):
    """工作简报: what was done, typical cases, problems, next steps."""

    work_done = forms.CharField(label=_("主要工作"), widget=forms.Textarea(attrs=_area), max_length=10000)
    typical_cases = forms.CharField(
        label=_("典型案例"), widget=forms.Textarea(attrs=_area), max_length=10000, required=False
    )
    problems = forms.CharField(
        label=_("存在问题"), widget=forms.Textarea(attrs=_area), max_length=10000, required=False
    )
    next_steps = forms.CharField(
        label=_("下一步工作"), widget=forms.Textarea(attrs=_area), max_length=10000, required=False
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class OnwardForm(forms.Form):
    recipient = forms.ChoiceField(label=_("报送对象"), choices=OnwardReport.Recipient.choices)
    reported_on = forms.DateField(label=_("报送日期"), widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=_("报送内容"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    response = forms.CharField(label=_("反馈情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000,
                               required=False)  # fmt: skip
