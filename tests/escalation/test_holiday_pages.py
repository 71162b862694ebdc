"""The admin's paste page, and the warning supervisors and admins see on the dashboard and
in the digest while next year's schedule is not loaded."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from casework.digest import send_supervisor_digest
from escalation import calendar
from escalation.models import HolidaySchedule
from notifications.models import Notification

from .conftest import local

PASTE = "/admin/escalation/holidayschedule/paste/"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "holiday_notices"
NOTICE_2027 = (
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "春节：2月5日（周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。"
)


def test_preview_shows_the_days_and_what_was_not_taken_then_confirm_saves(client, users):
    client.force_login(users["admin"])
    page = client.get(PASTE)
    assert page.status_code == 200 and "粘贴通知录入节假日安排" in page.content.decode()
    text = (FIXTURES / "2024.txt").read_text(encoding="utf-8")
    before = HolidaySchedule.objects.count()
    preview = client.post(PASTE, {"text": text, "action": "preview"})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "读出 40 天" in body and "2024年2月4日" in body and "调休上班" in body
    assert "未采用的内容" in body and "除夕" in body
    assert "2024年已有确认的安排" in body  # seeded from the package: a revision needs a reason
    assert 'value="confirm"' in body and HolidaySchedule.objects.count() == before  # nothing saved yet
    refused = client.post(PASTE, {"text": text, "action": "confirm"})
    assert refused.status_code == 200 and "请填写修订理由" in refused.content.decode()
    assert HolidaySchedule.objects.count() == before
    saved = client.post(PASTE, {"text": text, "action": "confirm", "reason": "按国务院公报原文核对"})
    assert saved.status_code == 302
    schedule = HolidaySchedule.objects.get(year=2024, status="confirmed")
    assert schedule.revision == 2 and schedule.number == "国办发明电〔2023〕7号"
    assert saved["Location"].endswith(f"/holidayschedule/{schedule.pk}/change/")
    detail = client.get(saved["Location"])
    assert detail.status_code == 200 and "国办发明电〔2023〕7号" in detail.content.decode()


def test_an_unreadable_notice_shows_its_errors_and_offers_no_save(client, users):
    client.force_login(users["admin"])
    bad = "春节：2月5日至11日放假调休，共7天。2月8日（周一）上班。\n三、重阳节：10月18日放假。"
    page = client.post(PASTE, {"text": bad, "year": "2027", "action": "preview"}).content.decode()
    assert "既列为放假又列为上班" in page and "无法识别" in page
    assert 'value="confirm"' not in page and 'value="draft"' not in page
    forced = client.post(PASTE, {"text": bad, "year": "2027", "action": "confirm"})
    assert forced.status_code == 200 and "第1行：2027年2月8日 既列为放假又列为上班" in forced.content.decode()
    assert not HolidaySchedule.objects.filter(year=2027).exists()


def test_a_draft_then_the_confirm_action_in_the_list(client, users):
    client.force_login(users["admin"])
    saved = client.post(PASTE, {"text": NOTICE_2027, "action": "draft"})
    assert saved.status_code == 302
    draft = HolidaySchedule.objects.get(year=2027)
    assert draft.status == "draft" and not calendar.is_confirmed(2027)
    listing = client.get("/admin/escalation/holidayschedule/")
    assert "粘贴通知录入" in listing.content.decode()
    client.post(
        "/admin/escalation/holidayschedule/",
        {"action": "confirm_drafts", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "confirmed" and calendar.is_confirmed(2027)


@pytest.mark.parametrize("who", ["supervisor", "officer_government"])
def test_staff_without_the_permissions_get_nothing(client, users, who):
    user = users[who]
    client.force_login(user)
    assert client.get(PASTE).status_code in (302, 403)  # not staff: the admin's login; staff: 403
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(PASTE).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_holidayschedule"))
    client.force_login(user)
    page = client.post(PASTE, {"text": NOTICE_2027, "action": "preview"}).content.decode()
    assert 'value="draft"' in page and 'value="confirm"' not in page  # confirming needs its own permission
    assert client.post(PASTE, {"text": NOTICE_2027, "action": "confirm"}).status_code == 403
    assert not HolidaySchedule.objects.filter(year=2027).exists()


def test_dashboard_warns_supervisors_and_admins_from_november(client, users, time_machine):
    time_machine.move_to(local(2026, 12, 4), tick=False)
    for who, sees in [("supervisor", True), ("admin", True), ("leader", False)]:
        client.force_login(users[who])
        page = client.get("/reports/").content.decode()
        assert ("2027年的节假日安排" in page) is sees is ("data-calendar-notice" in page), who
    client.force_login(users["admin"])
    client.post(PASTE, {"text": NOTICE_2027, "action": "confirm"})
    client.force_login(users["supervisor"])
    assert "data-calendar-notice" not in client.get("/reports/").content.decode()


def test_digest_names_the_missing_schedule(users, time_machine):
    time_machine.move_to(local(2026, 12, 4, 9), tick=False)
    send_supervisor_digest(force=True)
    digest = Notification.objects.filter(event="supervisor_digest", user=users["supervisor"]).get()
    assert "2027年的节假日安排" in digest.body and "尚未录入" in digest.body
    time_machine.move_to(local(2026, 10, 4, 9), tick=False)
    send_supervisor_digest(force=True)
    october = Notification.objects.filter(event="supervisor_digest", user=users["supervisor"]).order_by("-pk")[0]
    assert "节假日安排" not in october.body


def test_an_administrator_by_role_loads_a_notice(client, users):
    """Not a superuser: the 系统管理员 role's group carries the holiday schedule's permissions."""
    from django.contrib.auth import get_user_model

    from casework.models import OrgUnit
    from casework.models.org import Role
    from casework.roles import sync_role_groups
    from casework.services.org import staff_ensure

    sync_role_groups()
    clerk = staff_ensure(
        username="admin_2", password="x-pass-123", unit=OrgUnit.objects.get(code="DEMO-K1"), role=Role.ADMIN
    )
    clerk = get_user_model().objects.get(pk=clerk.pk)
    assert clerk.is_staff and not clerk.is_superuser
    client.force_login(clerk)
    assert client.post(PASTE, {"text": NOTICE_2027, "action": "confirm"}).status_code == 302
    assert calendar.is_confirmed(2027)
    assert client.get("/admin/escalation/holidayschedule/").status_code == 200
