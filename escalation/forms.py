"""Forms of the escalation actions (shown on the case page, accepted by the API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import ActionForm, OptionalReasonForm

_text = {"rows": 3}


class PauseForm(ActionForm):
    reason = forms.CharField(label=_("挂起原因"), widget=forms.Textarea(attrs=_text))


class ResumeForm(OptionalReasonForm):
    pass


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("延期理由（将告知职工）"), widget=forms.Textarea(attrs=_text))


class ExtensionApproveForm(OptionalReasonForm):
    pass


class UrgeForm(ActionForm):
    message = forms.CharField(label=_("催办内容"), widget=forms.Textarea(attrs=_text))


class SuperviseForm(ActionForm):
    due_date = forms.DateField(label=_("督办期限"), widget=forms.DateInput(attrs={"type": "date"}))
    instructions = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs=_text))
