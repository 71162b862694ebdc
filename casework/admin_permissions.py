"""Permission names in the admin's pickers (users' and groups'), in Chinese.

``migrate`` stores each model's default permissions under English names ("Can add 案件"),
and vendor models' names are English too; the pickers show a name made from the codename
instead: 添加/修改/删除/查看 and the model's (translated) name, a history table's as its
model's 历史记录. Other permissions keep their stored (Chinese) names.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Django's defaults, and the one viewflow adds to a flow's process model.
VERBS = {"add": _("添加"), "change": _("修改"), "delete": _("删除"), "view": _("查看"), "manage": _("管理")}
# Vendor models whose verbose_name is not gettext'd.
VENDOR_NAMES = {
    "otp_totp.TOTPDevice": _("两步验证设备"),
    "captcha.CaptchaStore": _("图形验证码"),
}


def model_label(model) -> str:
    history_of = getattr(model, "instance_type", None)  # simple_history's history tables
    if history_of is not None:
        return gettext("%(name)s历史记录") % {"name": model_label(history_of)}
    owner = model._meta.auto_created  # a many-to-many table: its model's field
    if owner:
        field = next(f for f in owner._meta.many_to_many if f.remote_field.through is model)
        return f"{model_label(owner)}{field.verbose_name}"
    return str(VENDOR_NAMES.get(model._meta.label, model._meta.verbose_name))


def permission_label(permission) -> str:
    content_type = ContentType.objects.get_for_id(permission.content_type_id)  # cached: no query per row
    model = content_type.model_class()
    if model is None:  # a model no longer installed
        return f"{content_type.app_label} | {permission.name}"
    verb, _sep, model_name = permission.codename.partition("_")
    name = permission.name
    if verb in VERBS and model_name == model._meta.model_name:
        name = f"{VERBS[verb]}{model_label(model)}"
    return f"{apps.get_app_config(content_type.app_label).verbose_name} | {name}"


def content_type_label(content_type) -> str:
    model = content_type.model_class()
    if model is None:
        return str(content_type)
    return f"{apps.get_app_config(content_type.app_label).verbose_name} | {model_label(model)}"


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return content_type_label(obj)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return permission_label(obj)


class PermissionNames:
    """For a ``ModelAdmin``: its permission field (``permissions``, ``user_permissions``) names them in Chinese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


class ChineseGroupAdmin(PermissionNames, GroupAdmin):
    pass


def register(site: admin.AdminSite) -> None:
    if site.is_registered(Group):
        site.unregister(Group)
    site.register(Group, ChineseGroupAdmin)
