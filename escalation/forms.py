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


class HolidayNoticeForm(forms.Form):
    """粘贴通知: the notice's text, and what the text may not say itself."""

    text = forms.CharField(
        label=_("通知全文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        help_text=_(
            "从中国政府网复制《国务院办公厅关于某年部分节假日安排的通知》全文粘贴于此；标题、文号和日期会自动读出。"
        ),
    )
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2000, max_value=2100, help_text=_("留空时取通知标题中的年度。")
    )
    title = forms.CharField(label=_("通知标题"), required=False, max_length=200)
    number = forms.CharField(label=_("文号"), required=False, max_length=60)
    issued_on = forms.DateField(label=_("发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("修订理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 90}),
        help_text=_("该年度已有确认的安排时必填（如：国务院办公厅发布补充通知）。"),
    )
