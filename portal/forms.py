"""The portal's forms: input types and sizes only; the rules live in the services."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import MultipleFileField
from casework.models import Category

from .models import RatingQuestion

_area = {"rows": 4}


class CaptchaInput(CaptchaTextInput):
    """The captcha's image with a Chinese alternative text, and a numeric keyboard."""

    template_name = "portal/captcha.html"

    def __init__(self):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off"})


def category_choices():
    return [("", _("请选择"))] + list(Category.objects.filter(active=True).values_list("code", "name"))


class SubmitForm(forms.Form):
    """我要反映: what the worker tells us. Mobile keyboards: ``inputmode`` and ``autocomplete``."""

    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("用于接收查询码、验证码和办理结果。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(label=_("身份证号码（选填）"), max_length=18, required=False)
    enterprise = forms.CharField(
        label=_("所在企业"),
        max_length=200,
        help_text=_("请填写企业全称，可输入部分名称后从列表中选择。"),
        widget=forms.TextInput(attrs={"list": "enterprises", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("诉求类别"), choices=())
    summary = forms.CharField(
        label=_("反映问题（发生了什么）"), max_length=4000, widget=forms.Textarea(attrs=_area)
    )
    request = forms.CharField(label=_("您的诉求（希望怎样解决）"), max_length=2000, widget=forms.Textarea(attrs=_area))
    workers_involved = forms.IntegerField(
        label=_("涉及职工人数"), min_value=1, max_value=100000, initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    attachments = MultipleFileField(
        label=_("附件（选填：照片、PDF）"),
        required=False,
        help_text=_("最多 5 个，每个不超过 10 MB；限图片和 PDF。"),
    )
    anonymous_to_enterprise = forms.BooleanField(
        label=_("对企业匿名"), required=False, help_text=_("企业方面看不到您的姓名和联系方式；工会仍可联系您。")
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意：工会为办理本诉求收集、使用我填写的个人信息，不用于其他用途。"), required=False
    )
    captcha = CaptchaField(
        label=_("验证码（请计算图中算式）"),
        widget=CaptchaInput(),
        error_messages={"invalid": _("验证码不正确，请重新计算。"), "required": _("请填写验证码。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class CodeForm(forms.Form):
    reference = forms.CharField(label=_("提交编号或案件编号"), max_length=40)
    code = forms.CharField(label=_("查询码"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果是否满意"),
        choices=[("satisfied", _("满意")), ("basically_satisfied", _("基本满意")), ("dissatisfied", _("不满意"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价意见（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs=_area)
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs=_area))


class ConsentForm(forms.Form):
    agreed = forms.ChoiceField(
        label=_("是否同意公示办理结果"),
        choices=[("yes", _("同意公示（只公示类别、企业、结果，不含个人信息）")), ("no", _("不同意公示"))],
        widget=forms.RadioSelect,
    )


SCORES = [(str(i), str(i)) for i in range(5, 0, -1)]


class UnionRatingForm(forms.Form):
    union = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("意见建议（选填）"), max_length=1000, required=False, widget=forms.Textarea(attrs=_area)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in RatingQuestion:
            self.fields[question.value] = forms.ChoiceField(
                label=question.label, choices=SCORES, widget=forms.RadioSelect
            )
        self.order_fields([q.value for q in RatingQuestion] + ["comment"])


class AcceptForm(forms.Form):
    category = forms.ChoiceField(label=_("诉求类别"), choices=())
    identity_checked = forms.BooleanField(label=_("已电话核实职工身份"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()[1:]


class DeclineForm(forms.Form):
    guidance = forms.CharField(
        label=_("告知与指引（应向何处反映）"), max_length=2000, widget=forms.Textarea(attrs=_area)
    )
