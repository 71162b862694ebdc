"""The search box finds a worker by a whole phone or ID number through the worker's keyed
hashes (``Worker.phone_hash``, ``id_hash``; HMAC-SHA256 under ``SEARCH_HASH_KEY``), never by
comparing the stored numbers: on SQLite and PostgreSQL alike. The hashes follow every write
of a worker, and ``rehash_workers`` remakes them under a new key."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from casework import selectors
from casework.models import Case, Worker
from casework.models.worker import lookup_hash, refill_lookup_hashes

ID_X = "11010519491231002X"
PHONE = "13900000001"
# An equality test on a plaintext identifier column, in any of the SQL the search runs.
PLAINTEXT_MATCH = re.compile(r'(?<![\w])"?(phone|id_number)"?\s*(=|IN\b)', re.IGNORECASE)


@pytest.fixture
def case(make_case):
    return make_case(worker={"name": "赵六", "id_number": ID_X, "phone": PHONE})


def _search(q):
    """The numbers found and the SQL run to find them."""
    with CaptureQueriesContext(connection) as ctx:
        found = set(Case.objects.filter(selectors.search_filter(q)).values_list("number", flat=True))
    return found, "\n".join(query["sql"] for query in ctx.captured_queries)


@pytest.mark.parametrize(
    ("q", "column", "kind", "value"),
    [
        (PHONE, "phone_hash", "phone", PHONE),
        ("+86 139-0000-0001", "phone_hash", "phone", PHONE),
        (ID_X, "id_hash", "id_number", ID_X),
        (ID_X.lower(), "id_hash", "id_number", ID_X),  # a lower-case x still finds it
    ],
)
def test_a_whole_phone_or_id_number_is_found_through_its_hash_column(case, q, column, kind, value):
    found, sql = _search(q)
    assert found == {case.number}
    assert column in sql and lookup_hash(kind, value) in sql, sql
    assert not PLAINTEXT_MATCH.search(sql), sql


def test_a_worker_without_hashes_is_not_found_by_the_plain_number(case):
    """The plaintext columns are not searched: blank the hashes and the number finds nothing
    (until ``rehash_workers`` fills them again)."""
    Worker.objects.filter(pk=case.worker_id).update(phone_hash="", id_hash="")
    assert _search(PHONE)[0] == set()
    assert _search(ID_X)[0] == set()
    assert refill_lookup_hashes() == 1
    assert _search(PHONE)[0] == _search(ID_X)[0] == {case.number}


def test_the_hash_is_keyed_and_normalised():
    assert lookup_hash("phone", "139 0000 0001") == lookup_hash("phone", "+8613900000001")
    assert lookup_hash("id_number", ID_X.lower()) == lookup_hash("id_number", ID_X)
    assert lookup_hash("phone", PHONE) != lookup_hash("phone", "13900000002")
    assert lookup_hash("phone", "") == lookup_hash("id_number", "") == ""
    assert re.fullmatch(r"[0-9a-f]{64}", lookup_hash("phone", PHONE))
    with override_settings(SEARCH_HASH_KEY="another key"):
        other = lookup_hash("phone", PHONE)
    assert other != lookup_hash("phone", PHONE)
    with pytest.raises(ValueError, match="unknown identifier kind"):
        lookup_hash("name", "赵六")


def test_after_a_key_change_rehash_workers_makes_the_search_find_again(case, capsys):
    with override_settings(SEARCH_HASH_KEY="rotated key"):
        assert _search(PHONE)[0] == set()  # hashes made under the old key
        call_command("rehash_workers", batch_size=1)
        assert "rehashed 1" in capsys.readouterr().out
        assert _search(PHONE)[0] == _search(ID_X)[0] == {case.number}
        call_command("rehash_workers")
        assert "rehashed 0" in capsys.readouterr().out  # nothing left stale


def _hashes(pk):
    return tuple(Worker.objects.filter(pk=pk).values_list("phone_hash", "id_hash").get())


def test_every_write_of_a_worker_keeps_its_hashes(case):
    worker = case.worker
    assert _hashes(worker.pk) == (lookup_hash("phone", PHONE), lookup_hash("id_number", ID_X))

    worker.phone = "13900000002"
    worker.save(update_fields=["phone"])
    assert _hashes(worker.pk)[0] == lookup_hash("phone", "13900000002")

    Worker.objects.filter(pk=worker.pk).update(phone="13900000003", id_number="")
    assert _hashes(worker.pk) == (lookup_hash("phone", "13900000003"), "")

    worker.phone, worker.id_number = "13900000004", ID_X
    Worker.objects.bulk_update([worker], ["phone", "id_number"])
    assert _hashes(worker.pk) == (lookup_hash("phone", "13900000004"), lookup_hash("id_number", ID_X))

    [made] = Worker.objects.bulk_create([Worker(name="孙七", phone="13900000005")])
    assert _hashes(made.pk) == (lookup_hash("phone", "13900000005"), "")

    with pytest.raises(TypeError, match="phone_hash"):
        Worker.objects.filter(pk=worker.pk).update(phone=Worker.objects.values("phone")[:1])


def test_the_hashes_are_not_history(case):
    fields = {f.name for f in Worker.history.model._meta.get_fields()}
    assert "phone" in fields and "phone_hash" not in fields and "id_hash" not in fields
