"""The search box of the case lists and the API (``q``): a part of the case number, the
worker's name, the enterprise's name or the complaint's text (反映问题 and 职工诉求), and the
worker's whole phone or ID number, matched exactly through its keyed hash (``Worker.phone_hash``,
``id_hash``: ``models.worker.lookup_hash``), never the stored number itself.

Only conditions are built here; ``selectors.visible_cases`` scopes them as every list is
scoped, and ``casework.pagination`` reads a search branch by branch (``search_parts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from . import rules
from .models import Case, OrgUnit, Worker
from .models.worker import HASH_FIELDS, lookup_hash
from .validators import ID_NUMBER_RE, normalize_id_number, normalize_phone

SEARCH_MIN_LENGTH = 2

# A search branch matching this many cases or workers is "broad": read by walking the list's
# ordered index rather than by id.
BROAD = 2_000

# A two-character word that PostgreSQL's statistics count in this many cases or more is broad
# without asking the index: listing its first ``BROAD`` ids would read a posting list as long
# as the table (a word such as 工资 is in a large part of the complaints).
COMMON = 5 * BROAD

# Up to this many enterprises matching a term, the search names them (a constant list the
# planner can estimate from the case table's statistics); above it, a subquery.
ENTERPRISE_IDS = 1000

# The complaint as one text: the expression migration 0021 indexes. The SQL must stay the
# same as the index's, or PostgreSQL cannot use the index.
CASE_TEXT = "(summary || ' ' || request)"

_PHONE_CHARS = re.compile(r"^\+?[\d()]{7,16}$")


def identifier(q: str) -> tuple[str, str] | None:
    """``("id_number", …)`` or ``("phone", …)`` when ``q`` is a whole ID number or phone
    number, normalised as registration stores it (``validators``); else ``None``. Spaces
    and dashes typed inside the number are ignored."""
    compact = re.sub(r"[\s\-]", "", q)
    id_number = normalize_id_number(compact)
    if ID_NUMBER_RE.match(id_number):
        return "id_number", id_number
    if _PHONE_CHARS.match(compact):
        try:
            phone = normalize_phone(compact)
        except ValidationError:
            return None
        return ("phone", phone) if phone else None
    return None


def _hashed(found: tuple[str, str] | None) -> tuple[str, str] | None:
    """The worker's hash column and the value's keyed hash for ``identifier``'s answer: what
    the search compares, so the plaintext columns are never searched."""
    if found is None:
        return None
    kind, value = found
    return HASH_FIELDS[kind], lookup_hash(kind, value)


def _worker_shown(user) -> Q:
    """The cases whose worker ``user`` may find by name, phone or ID number: on the
    enterprise's side, not those whose worker is anonymous towards it (``rules.hides_worker``;
    the owner and the leader in charge still may)."""
    profile = rules.profile(user) if user is not None else None
    if profile is None or profile.unit.kind not in ("enterprise", "enterprise_union"):
        return Q()
    return Q(anonymous_to_enterprise=False) | Q(owner=user) | Q(leader=user)


def _bigram(table: str, column: str, term: str) -> RawSQL:
    """Ids of ``table`` rows whose ``column`` contains the two-character ``term`` (PostgreSQL)."""
    # table and column are our constants; the term is a bound parameter.
    sql = f"SELECT id FROM {table} WHERE casework_bigrams({column}) @> ARRAY[UPPER(%s)]::text[]"  # noqa: S608
    return RawSQL(sql, [term])  # noqa: S611


def _contains_sql(column: str, q: str) -> tuple[str, list]:
    """SQL for "``column`` contains ``q``, any case" that the column's GIN index answers
    (``column`` one of our columns or ``CASE_TEXT``)."""
    if len(q) == 2:
        return f"casework_bigrams({column}) @> ARRAY[UPPER(%s)]::text[]", [q]
    return f"UPPER({column}) LIKE UPPER(%s)", [f"%{connection.ops.prep_for_like_query(q)}%"]


@dataclass
class _Probe:
    """Ids matching each branch, ``None`` when there are too many to list."""

    numbers: list | None
    workers: list | None
    units: list | None
    texts: list | None
    identified: list | None


def _text_probe(q: str) -> tuple[str, list]:
    """The probe's complaint branch, SQL and parameters: its ids, cut at ``BROAD``. For two characters, NULL
    (broad) when the statistics of the bigram index (ANALYZE samples the indexed expression:
    ``pg_stats.most_common_elems``) put the word in ``COMMON`` cases or more; PostgreSQL runs
    the id list's subquery only when the CASE reaches it. Statistics a word is missing from,
    or a table never analysed, fall through to the id list: the strategy may change, never the
    result."""
    text_sql, text_params = _contains_sql(CASE_TEXT, q)
    ids = f"ARRAY(SELECT id FROM casework_case WHERE {text_sql} LIMIT {BROAD})"  # noqa: S608 - our SQL
    if len(q) != 2:
        return ids, text_params
    common = (
        "SELECT coalesce(max(u.f), 0) * max(c.reltuples) FROM pg_stats s CROSS JOIN LATERAL "
        "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f), pg_class c "
        "WHERE s.schemaname = current_schema() AND s.tablename = 'case_text_bigram' "
        "AND u.e = UPPER(%s) AND c.oid = 'casework_case'::regclass"
    )
    return f"CASE WHEN ({common}) >= {COMMON} THEN NULL ELSE {ids} END", [q, *text_params]


def _probe(q: str, hashed: tuple[str, str] | None) -> _Probe:
    """The ids of the cases whose number or complaint contains ``q``, of the workers whose
    name does or whose phone or ID number hash is ``hashed`` (each ``None`` from ``BROAD`` on), and
    of the units whose name does (``None`` above ``ENTERPRISE_IDS``): one query, each list
    read off its index and cut at its limit."""
    number_sql, number_params = _contains_sql("number", q)
    name_sql, name_params = _contains_sql("name", q)
    text_sql, text_params = _text_probe(q)
    # Our table names, columns and conditions; the term is a bound parameter.
    sql = (
        f"SELECT ARRAY(SELECT id FROM casework_case WHERE {number_sql} LIMIT {BROAD}), "  # noqa: S608
        f"ARRAY(SELECT id FROM casework_worker WHERE {name_sql} LIMIT {BROAD}), "
        f"ARRAY(SELECT id FROM casework_orgunit WHERE {name_sql} LIMIT {ENTERPRISE_IDS + 1}), "
        f"{text_sql}"
    )
    params = [*number_params, *name_params, *name_params, *text_params]
    if hashed is not None:
        column, digest = hashed  # "phone_hash" or "id_hash": our column names
        sql += f", ARRAY(SELECT id FROM casework_worker WHERE {column} = %s LIMIT {BROAD})"  # noqa: S608
        params.append(digest)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    numbers, workers, units, texts = row[:4]
    identified = row[4] if hashed is not None else []
    return _Probe(
        numbers=numbers if len(numbers) < BROAD else None,
        workers=workers if len(workers) < BROAD else None,
        units=units if len(units) <= ENTERPRISE_IDS else None,
        texts=texts if texts is not None and len(texts) < BROAD else None,
        identified=identified if len(identified) < BROAD else None,
    )


def _text_contains(q: str) -> Q:
    return Q(summary__icontains=q) | Q(request__icontains=q)


def search_filter(q: str, prefix: str = "", *, user=None) -> Q:
    """The search box: ``q`` in the case number, the worker's name, the enterprise's name or
    the complaint; or ``q`` is the worker's whole phone or ID number (``identifier``).
    ``prefix`` is the path to the case (task lists); ``user`` the searcher, on the
    enterprise's side kept from finding an anonymous worker (``_worker_shown``).

    A single character matches the case number only (a name search needs at least
    ``SEARCH_MIN_LENGTH`` characters; the page says so). A whole phone or ID number is
    compared as its keyed hash with the worker's hash column (``_hashed``), on every
    database. On PostgreSQL the branches are a
    UNION of id lists so that each uses its index (trigram: migrations 0006 and 0021;
    bigram for two characters: 0007 and 0021; the phone and ID hashes their btree, 0025); an
    ``OR`` across the joins would scan the whole case table.

    The UNION also carries its branches as conditions on the case (``search_parts``), so
    that the paginator counts and cuts a page branch by branch, each with the list's other
    filters, its order and a ``LIMIT`` (``casework.pagination.split``). How each branch reads
    depends on how many rows it matches, which one query learns first (``_probe``: the
    planner cannot estimate a substring match, and a wrong guess reads the whole case table): fewer than
    ``BROAD`` — their ids, as a list; more ("基准", "GH", "职工", "工资") — the list's ordered
    index, testing each row (``LIKE`` on the number or the text, an ``EXISTS`` on the worker)
    until the page is full, instead of building id lists of 10⁵–10⁶ ids first. Enterprises
    are few: their ids.
    """
    if len(q) < SEARCH_MIN_LENGTH:
        return Q(**{prefix + "number__icontains": q})
    hashed = _hashed(identifier(q))
    shown = _worker_shown(user)
    if connection.vendor != "postgresql":
        condition = (
            Q(number__icontains=q)
            | (Q(worker__name__icontains=q) & shown)
            | Q(enterprise__name__icontains=q)
            | _text_contains(q)
        )
        if hashed is not None:
            condition |= Q(**{f"worker__{hashed[0]}": hashed[1]}) & shown
        if not prefix:
            return condition
        return Q(**{prefix + "pk__in": Case.objects.filter(condition).values("pk")})
    if len(q) == 2:
        # Trigrams cannot narrow two characters; the bigram indexes of migrations 0007 and 0021 can.
        number_q, name_q = _bigram("casework_case", "number", q), _bigram("casework_worker", "name", q)
        text_q = _bigram("casework_case", CASE_TEXT, q)
        worker_ids = Worker.objects.filter(pk__in=name_q)
        unit_ids = OrgUnit.objects.filter(pk__in=_bigram("casework_orgunit", "name", q))
        by_number = Case.objects.filter(pk__in=number_q).order_by().values("pk")
        by_text = Case.objects.filter(pk__in=text_q).order_by().values("pk")
    else:
        worker_ids = Worker.objects.filter(name__icontains=q)
        unit_ids = OrgUnit.objects.filter(name__icontains=q)
        by_number = Case.objects.filter(number__icontains=q).order_by().values("pk")
        text_sql, text_params = _contains_sql(CASE_TEXT, q)
        # Our expression; the term is a bound parameter.
        text_ids = RawSQL(f"SELECT id FROM casework_case WHERE {text_sql}", text_params)  # noqa: S608, S611
        by_text = Case.objects.filter(pk__in=text_ids).order_by().values("pk")
    by_worker = Case.objects.filter(shown, worker_id__in=worker_ids.values("pk")).order_by().values("pk")
    by_enterprise = Case.objects.filter(enterprise_id__in=unit_ids.values("pk")).order_by().values("pk")
    parts = [by_worker, by_enterprise, by_text]
    if hashed is not None:
        identified = Worker.objects.filter(**{hashed[0]: hashed[1]}).values("pk")
        parts.append(Case.objects.filter(shown, worker_id__in=identified).order_by().values("pk"))
    union = by_number.union(*parts)
    if not prefix:
        branches = _search_parts(q, unit_ids, hashed, shown)
        if not branches:
            return Q(pk__in=[])  # nothing anywhere contains the term
        union.query.search_parts = branches
    return Q(**{prefix + "pk__in": union})


def _search_parts(q: str, unit_ids: QuerySet, hashed: tuple[str, str] | None, shown: Q) -> list[Q]:
    """The search's branches as conditions on the case, each read the way its size calls for;
    a branch that matches nothing anywhere is left out."""
    probe = _probe(q, hashed)
    branches = []
    if probe.numbers is None:
        branches.append(Q(number__icontains=q))
    elif probe.numbers:
        branches.append(Q(pk__in=probe.numbers))
    if probe.workers is None:
        branches.append(Q(Exists(Worker.objects.filter(pk=OuterRef("worker_id"), name__icontains=q))) & shown)
    elif probe.workers:
        branches.append(Q(worker_id__in=probe.workers) & shown)
    if probe.units is None:
        branches.append(Q(enterprise_id__in=unit_ids.values("pk")))
    elif probe.units:
        branches.append(Q(enterprise_id__in=probe.units))
    if probe.texts is None:
        branches.append(_text_contains(q))
    elif probe.texts:
        branches.append(Q(pk__in=probe.texts))
    if hashed is not None:
        if probe.identified is None:
            match = Worker.objects.filter(pk=OuterRef("worker_id"), **{hashed[0]: hashed[1]})
            branches.append(Q(Exists(match)) & shown)
        elif probe.identified:
            branches.append(Q(worker_id__in=probe.identified) & shown)
    return branches
