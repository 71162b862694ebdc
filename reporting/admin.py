from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    """Reporting periods are configured here (quarterly, half-year, the year's summary, campaigns)."""

    list_display = ("name", "kind", "starts_on", "ends_on", "due_on", "active")
    list_filter = ("kind", "active")
