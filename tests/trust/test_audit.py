"""The audit trail: append-only history, the per-case hash chain, verify_audit."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from simple_history.models import HistoricalChanges

from audit import chain, guard
from audit.models import AuditLink
from casework import services
from casework.models import Case

pytestmark = pytest.mark.django_db


def _history(case):
    return Case.history.model.objects.filter(id=case.pk)


def test_every_history_row_of_a_case_is_linked(make_case, users):
    case = make_case()
    services.case_add_note(case=case.number, actor=users["desk"], content="职工补充了工资条。")
    rows = list(_history(case).order_by("history_id").values_list("history_id", flat=True))
    links = list(AuditLink.objects.filter(case_id=case.pk).order_by("seq"))
    assert [link.history_id for link in links] == rows
    assert links[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(links, links[1:], strict=False))
    checked, breaks = chain.verify()
    assert checked >= 1 and breaks == []
    call_command("verify_audit", "--case", case.number)


def _tamper(sql: str, params) -> None:
    """What an attacker with superuser rights does: a session with the triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_audit_names_the_row_changed_by_raw_sql(make_case, capsys):
    first, second = make_case(), make_case()
    target = _history(second).order_by("history_id").first()
    _tamper("UPDATE casework_historicalcase SET summary = %s WHERE history_id = %s", ["已解决", target.history_id])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert second.number in err and f"history_id={target.history_id}" in err and "内容已被改动" in err
    assert first.number not in err
    call_command("verify_audit", "--case", first.number)  # the other chain is intact


def test_verify_audit_finds_a_deleted_row(make_case, users, capsys):
    case = make_case()
    services.case_add_note(case=case.number, actor=users["desk"], content="补充材料")
    rows = list(_history(case).order_by("history_id").values_list("history_id", flat=True))
    _tamper("DELETE FROM casework_historicalcase WHERE history_id = %s", [rows[0]])
    with pytest.raises(CommandError):
        call_command("verify_audit", "--case", case.number)
    assert "缺失" in capsys.readouterr().err


def test_history_is_not_editable_in_the_admin(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert not getattr(settings, "SIMPLE_HISTORY_EDIT", False)
    for model in admin.site._registry:
        assert not issubclass(model, HistoricalChanges), f"{model} is a history model in the admin"
    link_admin = admin.site._registry[AuditLink]
    assert not link_admin.has_change_permission(None) and not link_admin.has_delete_permission(None)


@pytest.mark.postgres
def test_postgres_trigger_rejects_update_and_delete_on_every_audit_table(make_case):
    make_case()
    tables = guard.audit_tables()
    assert "casework_historicalcase" in tables and "audit_auditlink" in tables and "reports_accesslog" in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'audit_append_only'"
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= guarded
    for sql in (
        "UPDATE casework_historicalcase SET summary = 'x'",
        "DELETE FROM casework_historicalcase",
        "UPDATE audit_auditlink SET hash = 'x'",
        "DELETE FROM audit_auditlink",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
