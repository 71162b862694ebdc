"""The years chinese-calendar knows, as confirmed holiday schedules (read from the package now, at migrate time)."""

from django.db import migrations


def seed(apps, schema_editor):
    from escalation.holiday_seed import ensure_package_schedules

    ensure_package_schedules(
        apps.get_model("escalation", "HolidaySchedule"),
        apps.get_model("escalation", "HolidayDay"),
        apps.get_model("escalation", "HolidayCalendarState"),
        apps.get_model("escalation", "HistoricalHolidaySchedule"),
        apps.get_model("escalation", "HistoricalHolidayDay"),
    )


class Migration(migrations.Migration):
    dependencies = [("escalation", "0003_holiday_schedules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
