"""The admin names codes in Chinese: permissions in the user and group pickers (their stored
names are English), the outbox's event codes, and a time-limit clock's rule snapshot."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_default_permissions_are_named_from_their_codename():
    from casework.admin_permissions import permission_label

    assert _permission("casework", "add_case").name == "Can add 案件"  # what migrate stored
    assert permission_label(_permission("casework", "add_case")) == "职工诉求案件 | 添加案件"
    assert permission_label(_permission("casework", "view_historicalcase")) == "职工诉求案件 | 查看案件历史记录"
    assert permission_label(_permission("otp_totp", "delete_totpdevice")).endswith("| 删除两步验证设备")


def test_other_permissions_keep_their_own_name():
    from casework.admin_permissions import permission_label

    confirm = _permission("escalation", "confirm_holidayschedule")
    assert permission_label(confirm).endswith(f"| {confirm.name}")


def test_the_group_picker_shows_the_chinese_names(client, users):
    client.force_login(users["admin"])
    page = client.get("/admin/auth/group/add/").content.decode()
    assert "添加案件" in page
    assert "Can add" not in page


def test_event_codes_are_named_by_the_apps_that_send_them():
    from notifications.events import label

    assert label("case_registered") == "案件已登记"  # the catalogue
    assert label("case.accept") == "受理"  # a webhook's case event (casework's action)
    assert label("portal_code") == "网上职工心声查询验证码"  # a text to a phone (the portal)
    assert label("no_such_event") == "no_such_event"


def test_a_clock_rule_reads_in_chinese():
    from django.contrib import admin

    from escalation.admin import DeadlineClockAdmin
    from escalation.models import DeadlineClock
    from escalation.policies import fallback_snapshot

    clock = DeadlineClock(policy_snapshot=fallback_snapshot("union"))
    html = DeadlineClockAdmin(DeadlineClock, admin.site).rule(clock)
    assert "时限单位：自然日" in html
    assert "超期处理：标红并通知，等待督办" in html
    assert "默认时限（无适用规则）" in html
    assert "calendar_days" not in html and "flag" not in html
