"""The admin pages of django-axes, django-otp and viewflow, in Chinese.

Their ``ModelAdmin`` classes are subclassed and registered again on the project's site (after
``autodiscover``, ``config.apps.AdminConfig.ready``): django-otp gives its model, fields,
fieldsets and columns no gettext, so its devices are shown through a proxy model with a
Chinese name (``casework.TwoFactorDevice``, same table) and Chinese labels; django-axes names
two columns after its methods and titles its rows in English (``__str__``: the change page's
title, heading and breadcrumb read a Chinese ``subtitle`` instead, ``templates/admin/axes/``);
viewflow's processes and tasks have fields without verbose_name and columns named after
methods. The tables and migrations stay the libraries'; their gettext'd strings are in
``locale_vendor/``.
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from casework.admin_permissions import ContentTypeChoiceField


class AccessTitle:
    """The change page of an axes row titled in Chinese: the kind of row, who, when."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            at = formats.date_format(timezone.localtime(obj.attempt_time), "DATETIME_FORMAT")
            context["subtitle"] = f"{obj._meta.verbose_name}：{obj.username or ''} {at}"
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class ChineseAccessLogAdmin(AccessTitle, AccessLogAdmin):
    pass


class ChineseAccessFailureLogAdmin(AccessTitle, AccessFailureLogAdmin):
    pass


class ChineseAccessAttemptAdmin(AccessTitle, AccessAttemptAdmin):
    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)

    @admin.display(description=_("过期时间"))
    def expiration(self, obj):
        return super().expiration(obj)


class TOTPDeviceForm(forms.ModelForm):
    class Meta:
        model = TOTPDevice  # the admin's model is the proxy: modelform_factory sets it
        fields = "__all__"  # noqa: DJ007 - the vendor admin's fieldsets choose the fields
        labels = {
            "user": _("用户"),
            "name": _("名称"),
            "confirmed": _("已确认"),
            "key": _("密钥"),
            "step": _("时间步长（秒）"),
            "t0": _("起算时间"),
            "digits": _("位数"),
            "tolerance": _("容差（步）"),
            "drift": _("时钟偏移（步）"),
            "last_t": _("最近一次验证的时间步"),
            "throttling_failure_timestamp": _("最近一次验证失败时间"),
            "throttling_failure_count": _("连续验证失败次数"),
        }
        help_texts = {
            "user": _("设备所属的用户。"),
            "name": _("便于辨认的设备名称。"),
            "confirmed": _("设备是否已确认可用。"),
            "key": _("十六进制编码的密钥，最长 40 字节。"),
            "step": _("每个动态验证码的有效时长。"),
            "t0": _("开始计算时间步的时刻（自 1970 年 1 月 1 日起的秒数）。"),
            "digits": _("动态验证码的位数。"),
            "tolerance": _("允许前后相差的时间步数。"),
            "drift": _("验证器与服务器时钟相差的时间步数。"),
            "last_t": _("下一个验证码须在更晚的时间步。"),
            "throttling_failure_timestamp": _("最近一次验证失败的时间，没有失败时为空。"),
            "throttling_failure_count": _("连续验证失败的次数。"),
        }


class _Titled:
    """A field's list filter under a Chinese title (django-otp's fields have no verbose_name)."""

    chinese_title = ""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = self.chinese_title


class CreatedFilter(_Titled, admin.DateFieldListFilter):
    chinese_title = _("创建时间")


class LastUsedFilter(_Titled, admin.DateFieldListFilter):
    chinese_title = _("最近使用时间")


class ConfirmedFilter(_Titled, admin.BooleanFieldListFilter):
    chinese_title = _("已确认")


FIELDSETS = {
    "Identity": _("设备"),
    "Timestamps": _("时间"),
    "Configuration": _("配置"),
    "State": _("状态"),
    "Throttling": _("验证失败限制"),
}
READONLY = {"created_at": "created", "last_used_at": "last_used"}


class ChineseTOTPDeviceAdmin(TOTPDeviceAdmin):
    form = TOTPDeviceForm
    list_display = ["owner", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = [("created_at", CreatedFilter), ("last_used_at", LastUsedFilter), ("confirmed", ConfirmedFilter)]
    readonly_fields = ["created", "last_used", "qrcode_link"]
    search_help_text = _("按用户的用户名或电子邮箱搜索")

    @admin.display(description=_("用户"), ordering="user__username")
    def owner(self, device):
        return device.user

    @admin.display(description=_("名称"), ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description=_("创建时间"), ordering="created_at")
    def created(self, device):
        return device.created_at or self.get_empty_value_display()  # not "None" on the add form

    @admin.display(description=_("最近使用时间"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at or self.get_empty_value_display()

    @admin.display(description=_("已确认"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed

    @admin.display(description=_("二维码"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("查看二维码"))

    def get_fieldsets(self, request, obj=None):
        return [
            (FIELDSETS.get(name, name), {**options, "fields": [READONLY.get(f, f) for f in options["fields"]]})
            for name, options in super().get_fieldsets(request, obj)
        ]


# viewflow's fields without verbose_name (a process's or task's seed and artifact: the
# objects it started from and produced).
WORKFLOW_LABELS = {
    "data": _("数据"),
    "seed_content_type": _("起因对象类型"),
    "seed_object_id": _("起因对象编号"),
    "artifact_content_type": _("产出对象类型"),
    "artifact_object_id": _("产出对象编号"),
    "owner_permission_content_type": _("办理权限对象类型"),
    "owner_permission_obj_pk": _("办理权限对象编号"),
}


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = "__all__"  # noqa: DJ007 - the vendor admin chooses the fields
        labels = WORKFLOW_LABELS


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = "__all__"  # noqa: DJ007 - the vendor admin chooses the fields
        labels = WORKFLOW_LABELS


class ContentTypeNames:
    """The content type pickers (a seed's, an artifact's, a permission's) by Chinese model names."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is ContentType:
            kwargs["form_class"] = ContentTypeChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChineseProcessAdmin(ContentTypeNames, ProcessAdmin):
    form = ProcessForm
    exclude = ["parent_task"]
    list_display = ["number", "created", "flow_class", "status", "participants", "brief"]
    list_display_links = ["number", "created", "flow_class"]
    readonly_fields = ["flow_class", "status", "finished", "parent"]

    @admin.display(description=_("编号"), ordering="pk")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("参与人"))
    def participants(self, obj):
        return super().participants(obj)

    @admin.display(description=_("摘要"))
    def brief(self, obj):
        return obj.brief

    @admin.display(description=_("上级任务"))
    def parent(self, obj):
        return obj.parent_task or self.get_empty_value_display()


class ChineseTaskAdmin(ContentTypeNames, TaskAdmin):
    form = TaskForm
    list_display = ["number", *TaskAdmin.list_display[1:]]
    list_display_links = ["number", "created", "process"]

    @admin.display(description=_("编号"), ordering="pk")
    def number(self, obj):
        return obj.pk


def register(site: admin.AdminSite) -> None:
    """TOTP devices move to ``casework.TwoFactorDevice`` (a proxy with a Chinese name)."""
    from casework.models import TwoFactorDevice

    for model in (AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice, Process, Task):
        if site.is_registered(model):
            site.unregister(model)
    site.register(AccessAttempt, ChineseAccessAttemptAdmin)
    site.register(AccessLog, ChineseAccessLogAdmin)
    site.register(AccessFailureLog, ChineseAccessFailureLogAdmin)
    site.register(Process, ChineseProcessAdmin)
    site.register(Task, ChineseTaskAdmin)
    site.register(TwoFactorDevice, ChineseTOTPDeviceAdmin)
