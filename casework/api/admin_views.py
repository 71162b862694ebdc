"""The admin page for the batch import (``/admin/casework/case/import/``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..models import Case
from .importing import ImportFileError, import_file

MAX_FILE_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（CSV 或 .xlsx）"), help_text=_("第一行为列名；每行一件诉求。"))
    skip_invalid = forms.BooleanField(
        label=_("跳过有误的行，导入其余各行"), required=False, help_text=_("不勾选时，只要有一行有误就全部不导入。")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload


def import_cases_view(request):
    if not request.user.has_perm("casework.register_case"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_file(
                upload.read(), upload.name, actor=request.user, skip_invalid=form.cleaned_data["skip_invalid"]
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    context = {
        **admin.site.each_context(request),
        "form": form,
        "report": report,
        "title": _("批量导入案件"),
        "opts": Case._meta,
    }
    return TemplateResponse(request, "admin/casework/case/import.html", context)
