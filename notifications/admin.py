from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ChannelPreference, DeliveryAttempt, DeliveryStatus, Notification, WebhookEndpoint


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

    list_display = ("created_at", "event", "channel", "recipient", "subject", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("key", "recipient", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

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


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "channels")
    list_filter = ("event",)
    raw_id_fields = ("user",)
