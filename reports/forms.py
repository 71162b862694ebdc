"""Forms of the supervisors' side: the period/unit picker and the 问责 / 公示 actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import ActionForm, LazyPickerInput, picked_code


class AccountabilityForm(ActionForm):
    note = forms.CharField(label=_("问责意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    unit = forms.CharField(
        label=_("被问责单位"),
        max_length=250,
        required=False,
        widget=LazyPickerInput("casework:pick_units"),
        help_text=_("输入单位名称的一部分，从列表中选择；留空为当前承办单位。"),
    )
    person = forms.CharField(label=_("被问责人"), max_length=100, required=False)

    def clean_unit(self):
        return picked_code(self.cleaned_data["unit"])


class PublishForm(ActionForm):
    pass


class UnpublishForm(ActionForm):
    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PeriodForm(forms.Form):
    """Any period, any unit subtree (the unit must lie in the user's jurisdiction)."""

    date_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    date_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    unit = forms.CharField(label=_("单位"), max_length=250, required=False)
