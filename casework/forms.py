"""Forms of the pages. They only shape input; the rules live in the services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Channel
from .models.case import RESULT_OUTCOMES, Outcome, ReplyMethod, Satisfaction
from .models.worker import Gender
from .validators import id_contradictions, id_number_facts, normalize_phone, validate_id_number

_text = {"rows": 3}
ENTERPRISE_CHOICES_SHOWN = 8
_ENTERPRISE_CODE = re.compile(r"[（(]\s*([^()（）]+?)\s*[）)]\s*$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check size, count and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class IntakeForm(forms.Form):
    """登记受理: one page, in the order a desk officer asks."""

    name = forms.CharField(label=_("职工姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, initial=Gender.UNKNOWN)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=18, required=False, help_text=_("可不填；填写时将校验并在页面上脱敏显示。")
    )
    birth_month = forms.RegexField(
        label=_("出生年月"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("格式：YYYY-MM"),
        error_messages={"invalid": _("出生年月格式应为 YYYY-MM。")},
    )
    post = forms.CharField(label=_("工作岗位"), max_length=100, required=False)
    technical_title = forms.CharField(label=_("技术职称"), max_length=50, required=False)
    hukou = forms.CharField(label=_("户籍所在地"), max_length=100, required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    political_status = forms.CharField(label=_("政治面貌"), max_length=20, required=False)
    education = forms.CharField(label=_("文化程度"), max_length=20, required=False)
    migrant = forms.BooleanField(label=_("农民工"), required=False)
    dispatched = forms.BooleanField(label=_("劳务派遣工"), required=False)
    enterprise = forms.CharField(
        label=_("所在企业（名称或代码）"),
        max_length=250,
        help_text=_("输入企业名称或代码的一部分，用方向键从列表中选择。"),
    )
    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("请选择"),
    )
    channel = forms.ModelChoiceField(
        label=_("受理渠道"), queryset=Channel.objects.filter(active=True), to_field_name="code", empty_label=_("请选择")
    )
    place = forms.CharField(label=_("受理地点"), max_length=200, required=False)
    summary = forms.CharField(label=_("反映问题"), widget=forms.Textarea(attrs=_text))
    request = forms.CharField(label=_("职工诉求"), widget=forms.Textarea(attrs=_text))
    workers_involved = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=100000, initial=1)
    urgent = forms.BooleanField(label=_("紧急（安全生产等）"), required=False)
    consent = forms.BooleanField(
        label=_("已告知职工个人信息的用途，职工同意登记"),
        required=True,
        error_messages={"required": _("须告知职工并取得其同意后，方可登记个人信息。")},
    )
    accept = forms.BooleanField(label=_("当场受理，转企业层面办理"), required=False, initial=True)
    attachments = MultipleFileField(
        label=_("附件（照片、扫描件、PDF）"),
        required=False,
        help_text=_("可选多个文件；每个不超过 10 MB，每件最多 10 个；限图片（JPG、PNG、GIF、WebP、TIFF）和 PDF。"),
    )
    # "" (not decided yet), "new", "repeat:<number>" or "merge:<number>"; checked by the view.
    duplicate = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_enterprise(self):
        """The code: from "名称（代码）" as the picker fills it, a code in any case, an exact
        name, or a part of a name or code that only one enterprise has; several: the list."""
        from django.db.models import Q

        from .models import OrgUnit
        from .models.org import UnitKind

        value = self.cleaned_data["enterprise"].strip()
        units = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True)
        match = _ENTERPRISE_CODE.search(value)
        for candidate in ([match.group(1)] if match else []) + [value]:
            by_code = list(units.filter(code__iexact=candidate).values_list("code", flat=True)[:2])
            if len(by_code) == 1:
                return by_code[0]
        by_name = list(units.filter(name=value).values_list("code", flat=True)[:2])
        if len(by_name) == 1:
            return by_name[0]
        partial = list(
            units.filter(Q(name__icontains=value) | Q(code__icontains=value))
            .order_by("name", "code")
            .values_list("code", "name")[: ENTERPRISE_CHOICES_SHOWN + 1]
        )
        if len(partial) == 1:
            return partial[0][0]
        if partial:
            listed = "、".join(f"{name}（{code}）" for code, name in partial[:ENTERPRISE_CHOICES_SHOWN])
            more = _("等") if len(partial) > ENTERPRISE_CHOICES_SHOWN else ""
            raise forms.ValidationError(
                _("有多家企业符合“%(q)s”：%(list)s%(more)s。请输入更完整的名称或代码，或从列表中选择。")
                % {"q": value, "list": listed, "more": more}
            )
        raise forms.ValidationError(_("未找到该企业，请输入名称或代码的一部分，并从列表中选择。"))

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_id_number(self):
        value = (self.cleaned_data["id_number"] or "").strip().upper()
        if value:
            validate_id_number(value)
        return value

    def clean(self):
        """What the ID number states is checked here, before any duplicate warning: a
        contradicting 出生年月 or 性别 is a field error (the service refuses them too); left
        blank (性别 未说明), they are filled from it."""
        cleaned = super().clean()
        facts = id_number_facts(cleaned.get("id_number") or "")
        if facts is None:
            return cleaned
        gender, month = cleaned.get("gender") or "", cleaned.get("birth_month") or ""
        for field, message in id_contradictions(facts, gender=gender, birth_month=month).items():
            self.add_error(field, message)
        if not month and "birth_month" not in self.errors:
            cleaned["birth_month"] = facts.birth_month
        if gender in ("", "unknown"):
            cleaned["gender"] = facts.gender
        return cleaned

    def worker_data(self) -> dict:
        d = self.cleaned_data
        keys = (
            "name",
            "gender",
            "phone",
            "id_number",
            "birth_month",
            "post",
            "technical_title",
            "hukou",
            "ethnicity",
            "political_status",
            "education",
            "migrant",
            "dispatched",
        )
        return {k: d[k] for k in keys}


class ActionForm(forms.Form):
    """Base of the per-action forms; ``version`` guards against acting on a stale page."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs=_text))


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs=_text), required=False)


class NotAcceptForm(ActionForm):
    guidance = forms.CharField(label=_("告知与指引（应向何处反映）"), widget=forms.Textarea(attrs=_text))


def picked_code(value: str) -> str:
    """The code from what a picker filled in ("名称（代码）"), or the text as typed."""
    value = (value or "").strip()
    match = _ENTERPRISE_CODE.search(value)
    return match.group(1) if match else value


class LazyPickerInput(forms.TextInput):
    """``picker`` resolved at render time (URLs are not loaded when forms are imported)."""

    def __init__(self, url_name: str, **params):
        super().__init__(attrs={"autocomplete": "off", "class": "cw-picker"})
        self.url_name, self.params = url_name, params

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        query = "".join(f"&{k}={v}" for k, v in self.params.items()).replace("&", "?", 1)
        attrs = {**(attrs or {}), "data-picker": reverse(self.url_name) + query}
        return super().get_context(name, value, attrs)


class EscalateForm(ReasonForm):
    to_unit = forms.CharField(
        label=_("转办部门（转党委政府层面时选择）"),
        required=False,
        widget=LazyPickerInput("casework:pick_units", kind="government"),
        help_text=_("输入部门名称的一部分，从列表中选择。"),
    )

    def clean_to_unit(self):
        return picked_code(self.cleaned_data["to_unit"])


class ResolveForm(ActionForm):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=[(o.value, o.label) for o in RESULT_OUTCOMES])
    result = forms.CharField(label=_("结果说明"), widget=forms.Textarea(attrs=_text))


class ReplyForm(ActionForm):
    method = forms.ChoiceField(label=_("答复方式"), choices=ReplyMethod.choices)
    content = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs=_text))


class FollowUpForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        choices=[
            (s.value, s.label) for s in (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED)
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("回访意见"), widget=forms.Textarea(attrs=_text), required=False)


class MergeForm(OptionalReasonForm):
    into = forms.CharField(
        label=_("合并至案件"),
        max_length=32,
        widget=LazyPickerInput("casework:pick_cases"),
        help_text=_("输入案件编号的一部分，从列表中选择。"),
    )


class AssignForm(ActionForm):
    to = forms.CharField(
        label=_("指派给"),
        max_length=150,
        widget=LazyPickerInput("casework:pick_staff"),
        help_text=_("承办单位的承办人：输入姓名或用户名的一部分，从列表中选择。"),
    )

    def clean_to(self):
        return picked_code(self.cleaned_data["to"])


class HandoverForm(ReasonForm):
    to = forms.CharField(
        label=_("移交给"),
        max_length=150,
        widget=LazyPickerInput("casework:pick_staff"),
        help_text=_("输入姓名或用户名的一部分，从列表中选择。"),
    )

    def clean_to(self):
        return picked_code(self.cleaned_data["to"])


class NoteForm(ActionForm):
    content = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs=_text), help_text=_("内部记录，仅工作人员可见，职工看不到。")
    )


class InformForm(ActionForm):
    content = forms.CharField(
        label=_("告知内容"),
        widget=forms.Textarea(attrs=_text),
        help_text=_("告知职工的办理进展，职工可在网上查询中看到。内部情况请用“办理记录”。"),
    )


__all__ = ["Outcome"]


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(
        label=_("添加附件"), help_text=_("每个不超过 10 MB；限图片（JPG、PNG、GIF、WebP、TIFF）和 PDF。")
    )
