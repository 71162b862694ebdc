from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ClockPause, DeadlineClock, SweepRun, TimePolicy


@admin.register(TimePolicy)
class TimePolicyAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "stage",
        "length",
        "length_unit",
        "breach_action",
        "unit",
        "category",
        "min_workers",
        "urgent_only",
        "active",
    )
    list_filter = ("stage", "length_unit", "breach_action", "urgent_only", "active")
    search_fields = ("name", "unit__name", "category__name")
    autocomplete_fields = ("unit",)


class ClockPauseInline(admin.TabularInline):
    model = ClockPause
    extra = 0
    can_delete = False
    readonly_fields = ("started_at", "ended_at", "reason", "paused_by", "resumed_by")


@admin.register(DeadlineClock)
class DeadlineClockAdmin(admin.ModelAdmin):
    """Read-only: clocks change only through the escalation services and the sweep."""

    list_display = ("case", "kind", "stage", "started_at", "warn_at", "due_at", "stopped_at", "late", "breach_outcome")
    list_filter = ("kind", "stage", "breach_outcome", "late")
    search_fields = ("case__number",)
    raw_id_fields = ("case",)
    inlines = [ClockPauseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("name", "started_at", "finished_at", "as_of", "summary")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
