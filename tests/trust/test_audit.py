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


# --- #21, item 7: deletions and live-row edits, the access log, anchors -------------------


def test_a_case_row_changed_behind_the_services_back_is_found(make_case, capsys):
    case = make_case()
    call_command("verify_audit", "--case", case.number)
    _tamper("UPDATE casework_case SET summary = %s WHERE id = %s", ["改过的摘要", case.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit", "--case", case.number)
    err = capsys.readouterr().err
    assert "不一致" in err and "summary" in err


def test_deleting_the_last_history_row_and_its_link_is_found(make_case, users, capsys):
    case = make_case()
    services.case_add_note(case=case.number, actor=users["desk"], content="补充材料")
    last = _history(case).order_by("-history_id").first()
    _tamper("DELETE FROM audit_auditlink WHERE history_id = %s", [last.history_id])
    _tamper("DELETE FROM casework_historicalcase WHERE history_id = %s", [last.history_id])
    with pytest.raises(CommandError):
        call_command("verify_audit", "--case", case.number)
    assert "不一致" in capsys.readouterr().err  # the live row is a version ahead of its history


def _access(case, user):
    from reports.services import access_log_record

    return access_log_record(case=case, user=user, kind="case_page", ip="10.0.0.1")


def test_the_access_log_is_chained_and_a_deleted_entry_is_found(make_case, users, capsys):
    from audit import ledger

    case = make_case()
    entries = [_access(case, users["supervisor"]) for _ in range(3)]
    assert ledger.verify_access_log() == (3, [])
    call_command("verify_audit")
    _tamper("DELETE FROM reports_accesslog WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "查看记录缺失" in capsys.readouterr().err


def test_a_deleted_access_log_tail_with_its_link_is_found(make_case, users):
    from audit import ledger
    from audit.models import AccessLogLink

    case = make_case()
    entries = [_access(case, users["supervisor"]) for _ in range(2)]
    _tamper("DELETE FROM audit_accessloglink WHERE access_log_id = %s", [entries[1].pk])
    _tamper("DELETE FROM reports_accesslog WHERE id = %s", [entries[1].pk])
    checked, breaks = ledger.verify_access_log()
    assert checked == 1 and any("截断" in str(b) for b in breaks)
    assert AccessLogLink.objects.count() == 1


def test_an_anchor_finds_a_tail_cut_off_a_case_chain(make_case, users, settings):
    """Cut the last history row and its link and put the case row back as it was: the chain
    and the live row agree again, but the anchor taken before no longer does."""
    from audit import ledger
    from audit.models import Anchor

    settings.AUDIT_ANCHOR_SETTLE_SECONDS = 0
    case = make_case()
    before = Case.objects.filter(pk=case.pk).values("summary", "version", "last_action", "prev_status").get()
    services.case_add_note(case=case.number, actor=users["desk"], content="后来补记")
    made = ledger.anchor()
    assert made is not None and made.links >= 3 and Anchor.objects.count() == 1
    assert ledger.anchor() is None  # nothing new since
    assert ledger.verify_anchors() == (1, [])
    last = _history(case).order_by("-history_id").first()
    _tamper("DELETE FROM audit_auditlink WHERE history_id = %s", [last.history_id])
    _tamper("DELETE FROM casework_historicalcase WHERE history_id = %s", [last.history_id])
    _tamper(
        "UPDATE casework_case SET version = %s, last_action = %s, prev_status = %s WHERE id = %s",
        [before["version"], before["last_action"], before["prev_status"], case.pk],
    )
    assert chain.verify(case.number) == (1, [])  # the cut is invisible to the chain alone
    anchors, breaks = ledger.verify_anchors()
    assert anchors == 1 and len(breaks) == 1 and "截断" in str(breaks[0])


def test_anchors_chain_to_each_other_and_to_the_log(make_case, users, settings, caplog):
    import logging

    from audit import ledger

    settings.AUDIT_ANCHOR_SETTLE_SECONDS = 0
    make_case()
    with caplog.at_level(logging.INFO, logger="audit.anchor"):
        first = ledger.anchor()
        make_case()
        second = ledger.anchor()
    assert second.prev_digest == first.digest and second.last_link_id > first.last_link_id
    assert first.digest in caplog.text and second.digest in caplog.text
    assert ledger.verify_anchors() == (2, [])
    _tamper("DELETE FROM audit_anchor WHERE id = %s", [first.pk])
    assert ledger.verify_anchors()[1]
