from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import admin_users
from .catalog import ACTION_LABELS
from .models import Case, Category, Channel, OrgUnit, ReplyTemplate, Worker
from .models.case import Status
from .privacy import PersonalDataAdmin

# Users and staff profiles, scoped to the admin's own subtree (casework/admin_users.py).
admin_users.register(admin.site)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "region_code", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Category, Channel)
class ReferenceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "order", "active")
    list_editable = ("order", "active")


@admin.register(Worker)
class WorkerAdmin(PersonalDataAdmin, SimpleHistoryAdmin):
    personal_fields = ("phone", "id_number")
    list_display = ("name", "gender", "enterprise")
    search_fields = ("name",)
    raw_id_fields = ("enterprise",)


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    """Read-only: cases change only through the services (status machine + workflow)."""

    list_display = ("number", "status", "level", "handling_unit", "owner", "received_at", "due_at")
    list_filter = ("status", "level", "category", "channel")
    search_fields = ("number", "worker__name")
    # The last change's codes by their names.
    exclude = ("last_action", "prev_status")
    readonly_fields = ("last_action_name", "prev_status_name")

    @admin.display(description=Case._meta.get_field("last_action").verbose_name)
    def last_action_name(self, obj) -> str:
        return str(ACTION_LABELS.get(obj.last_action, obj.last_action))

    @admin.display(description=Case._meta.get_field("prev_status").verbose_name)
    def prev_status_name(self, obj) -> str:
        return str(dict(Status.choices).get(obj.prev_status, obj.prev_status))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        from django.urls import path

        from .api.admin_views import import_cases_view

        extra = [path("import/", self.admin_site.admin_view(import_cases_view), name="casework_case_import")]
        return extra + super().get_urls()


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(SimpleHistoryAdmin):
    """常用答复语: kept by the admins, offered on the 答复 form (empty category: every category)."""

    list_display = ("title", "category_label", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("active", "category")
    search_fields = ("title", "text")
    fields = ("category", "title", "text", "order", "active")
    list_select_related = ("category",)

    @admin.display(description=_("适用类别"), ordering="category__order")
    def category_label(self, obj) -> str:
        return obj.category.name if obj.category_id else str(_("所有类别"))
