from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReportDeadline, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    """Reporting periods are configured here (quarterly, half-year, the year's summary, campaigns)."""

    list_display = ("name", "kind", "starts_on", "ends_on", "due_on", "warn_days", "active")
    list_filter = ("kind", "active")


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    """Read-only: what the reporting sweep did (warned, breached, stopped at submission, errors)."""

    list_display = ("period", "unit", "warn_at", "due_at", "warned_at", "breached_at", "stopped_at", "attempts")
    list_filter = ("period",)
    list_select_related = ("period", "unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
