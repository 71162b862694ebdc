from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import events, services
from .models import ChannelCode, ChannelPreference, DeliveryAttempt, DeliveryStatus, Notification, WebhookEndpoint


class EventFilter(admin.SimpleListFilter):
    """The event codes present, by their names."""

    title = _("事件")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by("event").values_list("event", flat=True).distinct()
        return [(code, events.label(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.display(description=_("事件"), ordering="event")
def event_name(obj) -> str:
    return events.label(obj.event)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("at", "ok", "error", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox. Filter by status “发送失败” to see what could not be delivered."""

    list_display = (
        "created_at", event_name, "channel", "recipient_name", "subject", "status", "attempts", "next_attempt_at",
    )  # fmt: skip
    list_filter = ("status", "channel", EventFilter)
    search_fields = ("key", "recipient", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("user", "endpoint")
    # Codes (the event, the recipient's ``kind:value`` key, the case link) by what they name;
    # the idempotency key as the code it is.
    exclude = ("key", "event", "recipient", "link")
    readonly_fields = [
        {"key": "key_code", "event": event_name, "recipient": "recipient_name", "link": "link_to"}.get(f.name, f.name)
        for f in Notification._meta.fields
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=Notification._meta.get_field("key").verbose_name)
    def key_code(self, obj):
        return format_html("<code>{}</code>", obj.key)

    @admin.display(description=_("接收方"), ordering="recipient")
    def recipient_name(self, obj):
        return obj.user or obj.endpoint or obj.address or obj.recipient

    @admin.display(description=_("链接"))
    def link_to(self, obj):
        return format_html('<a href="{}">{}</a>', obj.link, _("打开")) if obj.link else ""

    @admin.action(description=_("重新发送所选的失败通知"), permissions=["change"])
    def retry(self, request, queryset):
        count = services.notification_retry(
            ids=queryset.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(n)d 条通知已重新排队。", "%(n)d 条通知已重新排队。", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "events", "active")
    list_filter = ("active",)


class ChannelPreferenceForm(forms.ModelForm):
    """The events a user may choose channels for, and the channels a user can get, by name."""

    event = forms.ChoiceField(label=_("事件"), choices=lambda: [(e.code, e.label) for e in events.optional_events()])
    channels = forms.MultipleChoiceField(
        label=_("通知方式"),
        choices=[(code, ChannelCode(code).label) for code in events.USER_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ChannelPreference
        fields = ("user", "event", "channels")


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    form = ChannelPreferenceForm
    list_display = ("user", event_name, "channel_names")
    list_filter = (EventFilter,)
    raw_id_fields = ("user",)

    @admin.display(description=_("通知方式"))
    def channel_names(self, obj) -> str:
        labels = dict(ChannelCode.choices)
        return "、".join(str(labels.get(code, code)) for code in obj.channels)
