"""The chain is visible to superusers in the admin, never editable."""

from django.contrib import admin

from .models import AuditLink


@admin.register(AuditLink)
class AuditLinkAdmin(admin.ModelAdmin):
    list_display = ("case_id", "seq", "history_id", "hash", "created_at")
    search_fields = ("=case_id", "=history_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
