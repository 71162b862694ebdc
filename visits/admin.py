from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casework.privacy import PersonalDataAdmin

from .models import EnterpriseProfile, Interview, Target, Visit, WorkGroup


@admin.register(WorkGroup)
class WorkGroupAdmin(SimpleHistoryAdmin):
    """Read-only: a group is set up by ``workgroup_create`` (it also creates the numbering row)."""

    list_display = ("name", "unit", "leader", "active")
    list_filter = ("active",)
    search_fields = ("name", "unit__name")
    raw_id_fields = ("unit", "leader")
    filter_horizontal = ("members",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("group", "period_start", "period_end", "min_enterprises", "min_workers", "min_interviews")


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "difficult", "dispute_prone", "small_private", "migrant_heavy")
    raw_id_fields = ("enterprise",)


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    """Read-only: visits are written through the pages (services)."""

    list_display = ("visited_on", "group", "enterprise", "kind", "workers_met")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Interview)
class InterviewAdmin(PersonalDataAdmin, SimpleHistoryAdmin):
    """Read-only: numbering and consent are enforced by the services. The phone is masked."""

    personal_fields = ("phone",)

    list_display = ("group", "number", "worker_name", "interviewed_at", "case")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
