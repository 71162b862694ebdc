"""Writes that travel with the next statement (``services._sql.carrying``) and prepared
statements (PostgreSQL): order kept, nothing left behind, nothing kept after a rollback,
and the round trips of the two hot write paths pinned."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.models import Case, CaseStage
from casework.services import _sql
from escalation.system import system_actor

from ..conftest import case_input

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Round trips on PostgreSQL, BEGIN and COMMIT included (the statements themselves are
# pinned in test_write_query_counts.py). Raise a pin only with a reason in the commit message.
REGISTER_ROUND_TRIPS = 7
ESCALATE_ROUND_TRIPS = 6


def _note_sql():
    qn = connection.ops.quote_name
    return f"UPDATE {qn(Case._meta.db_table)} SET {qn('place')} = %s WHERE {qn('id')} = %s"  # noqa: S608


def _place(case) -> str:
    return Case.objects.values_list("place", flat=True).get(pk=case.pk)


def test_deferred_write_rides_with_the_next_statement(make_case):
    case = make_case()
    with transaction.atomic(), _sql.carrying(), CaptureQueriesContext(connection) as ctx:
        _sql.defer(_note_sql(), ["第一", case.pk])
        _sql.defer(_note_sql(), ["第二", case.pk])
        assert len(ctx.captured_queries) == 0  # nothing sent yet
        # The ORM's read carries both updates, in order, and reads their result.
        assert _place(case) == "第二"
        assert len(ctx.captured_queries) == 1
    assert _place(case) == "第二"


def test_a_deferred_write_reports_its_row_count_once_it_ran(make_case):
    case = make_case()
    counts = []
    with transaction.atomic(), _sql.carrying(), CaptureQueriesContext(connection) as ctx:
        _sql.defer(_note_sql(), ["有这一行", case.pk], check=counts.append)
        _sql.defer(_note_sql(), ["没有这一行", 0], check=counts.append)
        assert counts == []  # not sent yet
        assert _place(case) == "有这一行"  # the read carries both and comes back with its own rows
        assert counts == [1, 0] and len(ctx.captured_queries) == 1
        _sql.defer(_note_sql(), ["块尾", case.pk], check=counts.append)
    assert counts == [1, 0, 1]  # the last one went when the block ended


def test_queue_is_sent_when_the_block_ends(make_case):
    case = make_case()
    with transaction.atomic(), _sql.carrying():
        _sql.defer(_note_sql(), ["块尾发送", case.pk])
    assert _place(case) == "块尾发送"


def test_statement_without_parameters_and_executemany_send_the_queue_first(make_case):
    case = make_case()
    with transaction.atomic(), _sql.carrying(), connection.cursor() as cursor:
        _sql.defer(_note_sql(), ["百分号 100%", case.pk])
        cursor.execute("SELECT 'literal %'")  # no parameters: its % is literal
        assert cursor.fetchone() == ("literal %",)
        _sql.defer(_note_sql(), ["批量之前", case.pk])
        cursor.executemany(_note_sql(), [["批量", case.pk]])
    assert _place(case) == "批量"


def test_server_side_cursor_gets_the_queue_first(make_case):
    case = make_case()
    with transaction.atomic(), _sql.carrying():
        _sql.defer(_note_sql(), ["游标之前", case.pk])
        places = list(Case.objects.filter(pk=case.pk).values_list("place", flat=True).iterator(chunk_size=10))
    assert places == ["游标之前"]


def test_a_failing_block_leaves_nothing(make_case):
    case = make_case()
    before = _place(case)
    with pytest.raises(RuntimeError), transaction.atomic(), _sql.carrying():
        _sql.defer(_note_sql(), ["不应保存", case.pk])
        raise RuntimeError
    assert _place(case) == before
    assert getattr(connection, _sql._PENDING) is None  # the queue is gone with the block


def test_a_failing_deferred_write_fails_the_call_that_carries_it(make_case):
    case = make_case()
    qn = connection.ops.quote_name
    bad = f"INSERT INTO {qn(CaseStage._meta.db_table)} ({qn('id')}, {qn('case_id')}, {qn('level')}, {qn('unit_id')}, {qn('started_at')}, {qn('result')}) SELECT {qn('id')}, {qn('case_id')}, {qn('level')}, {qn('unit_id')}, {qn('started_at')}, {qn('result')} FROM {qn(CaseStage._meta.db_table)} WHERE {qn('case_id')} = %s"  # noqa: E501, S608 - a duplicate primary key
    with pytest.raises(IntegrityError), transaction.atomic(), _sql.carrying():
        _sql.defer(_note_sql(), ["不应保存", case.pk])
        _sql.defer(bad, [case.pk])
        _place(case)
    assert _place(case) != "不应保存"


def test_rollback_to_savepoint_drops_what_the_inner_block_queued(make_case):
    case = make_case()
    with transaction.atomic(), _sql.carrying():
        _sql.defer(_note_sql(), ["外层", case.pk])
        try:
            with transaction.atomic():  # the savepoint carries the outer queue first
                _sql.defer(_note_sql(), ["内层", case.pk])
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1 / 0", [])  # aborts the transaction up to the savepoint
        except DatabaseError:
            pass
        assert _place(case) == "外层"
    assert _place(case) == "外层"


def test_prepared_statement_is_prepared_once_per_connection(make_case):
    case = make_case()
    sql = f"SELECT {connection.ops.quote_name('number')} FROM {Case._meta.db_table} WHERE id = %s"  # noqa: S608
    key = "test_number_by_id"
    with CaptureQueriesContext(connection) as ctx:
        assert _sql.fetchone_prepared(key, sql, [case.pk]) == (case.number,)
        assert _sql.fetchone_prepared(key, sql, [case.pk]) == (case.number,)
        assert _sql.fetchone_prepared(key, sql, [0]) is None
    sent = [q["sql"] for q in ctx.captured_queries]
    assert sent[0].startswith("PREPARE casework_test_number_by_id_")
    assert all(s.startswith("EXECUTE casework_test_number_by_id_") for s in sent[1:])


def test_register_and_escalate_round_trips(users, make_case):
    make_case()  # the year's number row, the prepared statements and the caches exist: the steady state
    services.case_escalate(case=make_case().pk, actor=system_actor(), reason="预热。")
    with CaptureQueriesContext(connection) as ctx, _sql.recording() as statements:
        case = services.case_register(
            actor=users["desk"], data=case_input(worker={"id_number": "", "phone": "13912345679"}), accept=True
        )
    assert len(ctx.captured_queries) <= REGISTER_ROUND_TRIPS, [q["sql"][:80] for q in ctx.captured_queries]
    assert len(statements) > len(ctx.captured_queries)  # some statements travelled together
    system = system_actor()
    with CaptureQueriesContext(connection) as ctx:
        case = services.case_escalate(case=case.pk, actor=system, reason="上报。")
    assert len(ctx.captured_queries) <= ESCALATE_ROUND_TRIPS, [q["sql"][:80] for q in ctx.captured_queries]
    assert case.status == "union" and case.history.count() == 3
    assert CaseStage.objects.filter(case=case, ended_at__isnull=True).count() == 1


def test_the_long_queries_of_a_write_path_are_split_once(users, make_case, monkeypatch):
    """psycopg splits a query once and keeps the result (``casework.compat``): also the
    carried statements of the write paths, longer than its default limits."""
    from psycopg import _queries

    system = system_actor()
    for _ in range(2):  # the path's texts (the first call prepares its reads), split once
        services.case_escalate(case=make_case().pk, actor=system, reason="预热。")
    case = make_case()
    split = _queries._query2pg_client
    seen = []

    def spy(query, encoding):
        before = split.cache_info().misses
        result = split(query, encoding)
        seen.append((query, split.cache_info().misses > before))
        return result

    monkeypatch.setattr(_queries, "_query2pg_client", spy)
    before = split.cache_info()
    services.case_escalate(case=case.pk, actor=system, reason="上报。")
    after = split.cache_info()
    assert [q for q, _missed in seen if len(q) > 4096 or q.count(b"%s") > 50]  # beyond psycopg's defaults
    assert [q[:200] for q, missed in seen if missed] == []  # each was split on the warm-up call, and kept
    assert after.misses == before.misses
