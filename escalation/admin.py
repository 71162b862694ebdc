from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casework.exceptions import CaseworkError

from .models import ClockPause, DeadlineClock, HolidayDay, HolidaySchedule, SweepRun, TimePolicy
from .services.holidays import holiday_schedule_confirm


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

    list_display = (
        "case",
        "kind",
        "stage",
        "started_at",
        "warn_at",
        "due_at",
        "provisional",
        "stopped_at",
        "late",
        "breach_outcome",
    )
    list_filter = ("kind", "stage", "provisional", "breach_outcome", "late")
    search_fields = ("case__number",)
    raw_id_fields = ("case",)
    inlines = [ClockPauseInline]
    exclude = ("policy_snapshot",)
    readonly_fields = ("rule",)

    @admin.display(description=_("开始时的规则"))
    def rule(self, obj):
        """The snapshot's keys by the rule's field names, its codes by their labels."""
        lines = []
        for key, value in obj.policy_snapshot.items():
            if key == "policy_id":
                label = TimePolicy._meta.verbose_name
            elif key == "version":
                label = _("规则版本")
            elif key == "name" and obj.policy_snapshot.get("policy_id") is None:
                label, value = TimePolicy._meta.get_field(key).verbose_name, _("默认时限（无适用规则）")
            else:
                field = TimePolicy._meta.get_field(key)
                label, value = field.verbose_name, dict(field.flatchoices).get(value, value)
            lines.append((label, self.get_empty_value_display() if value is None else value))
        return format_html_join("", "<div>{}：{}</div>", lines)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("name", "started_at", "finished_at", "as_of", "outcome")
    fields = ("name", "started_at", "finished_at", "as_of", "outcome")
    readonly_fields = ("outcome",)

    OUTCOMES = {
        "warned": _("预警"),
        "breached": _("超期"),
        "escalated": _("自动上报"),
        "flagged": _("标红"),
        "closed": _("按未评价办结"),
        "skipped": _("跳过"),
        "errors": _("出错"),
    }

    @admin.display(description=_("扫描结果"))
    def outcome(self, obj):
        return "，".join(f"{self.OUTCOMES.get(key, key)} {count}" for key, count in obj.summary.items())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    can_delete = False
    fields = ("date", "kind", "name")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(SimpleHistoryAdmin):
    """Read here, written through the paste page (``holiday_admin``) and the confirm action."""

    list_display = ("year", "title", "number", "status", "revision", "source", "confirmed_at")
    list_filter = ("status", "source")
    search_fields = ("title", "number")
    inlines = [HolidayDayInline]
    actions = ["confirm_drafts"]
    fields = (
        "year",
        "title",
        "number",
        "issued_on",
        "status",
        "revision",
        "reason",
        "supersedes",
        "source",
        "created_at",
        "created_by",
        "confirmed_at",
        "confirmed_by",
        "text",
    )
    readonly_fields = fields

    def get_urls(self):
        from django.urls import path

        from .holiday_admin import paste_notice_view

        extra = [path("paste/", self.admin_site.admin_view(paste_notice_view), name="escalation_holidayschedule_paste")]
        return extra + super().get_urls()

    def has_add_permission(self, request):
        return False  # the paste page adds (it reads the notice first)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("确认所选草稿（生效并重新计算期限）"), permissions=["confirm"])
    def confirm_drafts(self, request, queryset):
        for schedule in queryset.order_by("year", "pk"):
            try:
                confirmed = holiday_schedule_confirm(schedule=schedule, actor=request.user)
            except CaseworkError as exc:
                self.message_user(request, f"{schedule.year}：{exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(year)d年节假日安排已确认生效，重新计算了 %(moved)d 件案件的办理期限。")
                    % {"year": confirmed.year, "moved": confirmed.recomputed},
                )

    def has_confirm_permission(self, request):
        return request.user.has_perm("escalation.confirm_holidayschedule")
