"""The chain is visible to superusers in the admin, never editable."""

from django.contrib import admin

from .models import AccessLogLink, Anchor, AuditLink


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLink)
class AuditLinkAdmin(ReadOnly):
    list_display = ("case_id", "seq", "history_id", "hash", "created_at")
    search_fields = ("=case_id", "=history_id")


@admin.register(AccessLogLink)
class AccessLogLinkAdmin(ReadOnly):
    list_display = ("seq", "access_log_id", "hash", "created_at")
    search_fields = ("=access_log_id",)


@admin.register(Anchor)
class AnchorAdmin(ReadOnly):
    list_display = ("pk", "created_at", "last_link_id", "last_access_link_id", "links", "digest")
