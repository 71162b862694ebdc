"""The search box also finds a case by its complaint's text and by the worker's whole phone
or ID number (an exact match on the normalised value's keyed hash, never a part of it; see
test_search_hash.py), scoped like every
list, and never finds an anonymous worker for the enterprise's side."""

import copy

import pytest
from django.db import connection

from casework import search, selectors
from casework.models import Case, Worker

from ..plans import index_plan

ID_LI = "110101199003071233"
ID_WANG = "440305198511124563"


@pytest.fixture
def cases(make_case):
    return {
        "li": make_case(
            worker={"name": "李四", "gender": "male", "id_number": ID_LI, "phone": "13900000001"},
            summary="车间搬迁后企业单方面调岗降薪。",
            request="要求恢复原岗位和工资待遇。",
        ),
        "wang": make_case(
            worker={"name": "王五一", "gender": "female", "id_number": ID_WANG, "phone": "01062345678"},
            summary="工伤认定后企业拒绝支付停工留薪期工资。",
            request="要求按规定支付工伤待遇。",
        ),
    }


def _found(q, user=None):
    return set(Case.objects.filter(selectors.search_filter(q, user=user)).values_list("number", flat=True))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("调岗", {"li"}),  # two characters of the summary: bigrams on PostgreSQL
        ("调岗降薪", {"li"}),  # trigrams
        ("停工留薪", {"wang"}),
        ("恢复原岗位", {"li"}),  # the request (职工诉求)
        ("工伤", {"wang"}),
        ("工资", {"li", "wang"}),
        ("仲裁", set()),
    ],
)
def test_search_by_the_complaint(cases, q, expected):
    assert _found(q) == {cases[key].number for key in expected}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("13900000001", {"li"}),
        ("139 0000 0001", {"li"}),  # typed with spaces or dashes: normalised as stored
        ("139-0000-0001", {"li"}),
        ("+86 139 0000 0001", {"li"}),
        ("010-62345678", {"wang"}),  # a landline
        (ID_LI, {"li"}),
        (ID_WANG, {"wang"}),
        ("11010519491231002x", set()),  # a valid ID nobody here has
        ("3900000001", set()),  # a part of a phone is not a match
        ("1101011990", set()),  # nor a part of an ID number
        ("13900000009", set()),
    ],
)
def test_search_by_the_workers_phone_or_id_number(cases, q, expected):
    assert _found(q) == {cases[key].number for key in expected}


def test_a_lower_case_x_finds_the_id_number(make_case):
    case = make_case(worker={"name": "赵六", "id_number": "11010519491231002X", "phone": ""})
    assert _found("11010519491231002x") == {case.number}
    assert search.identifier(" 11010519491231002x ") == ("id_number", "11010519491231002X")
    assert search.identifier("139 0000 0001") == ("phone", "13900000001")
    assert search.identifier("GH-2026-000001") is None
    assert search.identifier("12345678") is None  # not a valid phone number


def test_pages_and_api_find_by_phone_only_in_the_users_jurisdiction(cases, client, users, client_for):
    number = cases["li"].number
    client.force_login(users["supervisor"])
    page = client.get("/cases/all/", {"q": "139 0000 0001"})
    assert page.status_code == 200 and number in page.content.decode()
    assert cases["wang"].number not in page.content.decode()
    api = client_for("supervisor").get("/api/v1/cases/", {"q": ID_LI})
    assert [c["number"] for c in api.json()["results"]] == [number]
    assert ID_LI not in api.content.decode()  # found by it, still shown masked

    # Another county's officer: the same search finds nothing.
    client.force_login(users["officer_elsewhere"])
    assert number not in client.get("/cases/all/", {"q": "13900000001"}).content.decode()
    assert client_for("officer_elsewhere").get("/api/v1/cases/", {"q": ID_LI}).json()["results"] == []
    assert client_for("officer_elsewhere").get("/api/v1/cases/", {"q": "调岗降薪"}).json()["results"] == []


def test_the_enterprise_side_cannot_find_an_anonymous_worker(make_case, users, client):
    case = make_case(
        worker={"name": "钱八", "gender": "male", "id_number": ID_LI, "phone": "13900000001"},
        summary="企业拖欠加班费。",
    )
    # As a portal submission asking for it registers it (test set-up only).
    Case.objects.filter(pk=case.pk).update(anonymous_to_enterprise=True)
    officer = users["officer_enterprise"]  # DEMO-E1's union, which handles the case
    assert selectors.visible_cases(officer).filter(pk=case.pk).exists()
    for q in ("钱八", "13900000001", ID_LI):
        assert case.number not in _found(q, officer), q
        assert case.number in _found(q, users["supervisor"]), q
    assert _found("加班费", officer) == {case.number}  # the complaint and the number still find it
    assert _found(case.number, officer) == {case.number}
    client.force_login(officer)
    assert case.number not in client.get("/cases/all/", {"q": "13900000001"}).content.decode()


def test_a_task_list_search_finds_by_phone(cases, client, users):
    client.force_login(users["officer_enterprise"])
    claimed = client.get("/cases/queue/", {"q": "13900000001"})
    assert claimed.status_code == 200
    body = claimed.content.decode()
    assert cases["li"].number in body and cases["wang"].number not in body


# --- PostgreSQL: each branch is read off its index --------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(("q", "index"), [("调岗", "case_text_bigram"), ("调岗降薪", "case_text_trgm")])
def test_the_complaint_is_searched_through_its_index(cases, q, index):
    condition, params = search._contains_sql(search.CASE_TEXT, q)
    assert index in index_plan(f"SELECT id FROM casework_case WHERE {condition}", params)  # noqa: S608


@pytest.mark.postgres
@pytest.mark.parametrize(("kind", "value"), [("phone", "13900000001"), ("id_number", ID_LI)])
def test_phone_and_id_number_are_exact_index_lookups_of_their_hashes(cases, kind, value):
    column, digest = search._hashed((kind, value))
    plan = index_plan(f"SELECT id FROM casework_worker WHERE {column} = %s", [digest])  # noqa: S608
    assert "Index" in plan and column in plan, plan


@pytest.mark.postgres
def test_the_search_reads_text_and_phone_by_ids_and_broad_terms_by_walking(cases, monkeypatch):
    branches = selectors.search_filter("13900000001").children[0][1].query.search_parts
    assert len(branches) == 1 and "worker_id__in" in str(branches[0])
    monkeypatch.setattr(search, "BROAD", 1)
    broad = selectors.search_filter("工资").children[0][1].query.search_parts
    assert any("summary__icontains" in str(b) for b in broad)


def _copy_and_analyze(template, changes: list[dict]) -> None:
    """Copies of ``template``, each with a worker of its own and ``changes[i]`` set, then
    ANALYZE so the planner and the statistics see them."""
    workers = []
    for i in range(len(changes)):
        worker = copy.copy(template.worker)
        worker.pk = None
        worker.name, worker.phone, worker.id_number = f"职工{i}", f"139{i:08d}", ""
        workers.append(worker)
    copies = []
    for worker, values in zip(Worker.objects.bulk_create(workers, batch_size=500), changes, strict=True):
        case = copy.copy(template)
        case.pk, case.worker = None, worker
        for name, value in values.items():
            setattr(case, name, value)
        copies.append(case)
    Case.objects.bulk_create(copies, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_case")


@pytest.mark.postgres
def test_a_county_of_a_few_thousand_cases_searches_two_characters_through_the_index(cases):
    """Priced at PostgreSQL's default, computing each row's bigrams looked cheap, and a
    county's few thousand cases were read by a sequential scan (~100 ms) instead of the
    GIN index (migration 0024): the planner's own choice, nothing forced, after ANALYZE."""
    _copy_and_analyze(
        cases["li"],
        [
            {
                "number": f"LOAD-{i:05d}",
                "summary": f"第{i}号：企业拖欠工资，车间搬迁后单方面调整岗位，要求补发工资并恢复原岗位。",
            }
            for i in range(3000)
        ],
    )
    condition, params = search._contains_sql(search.CASE_TEXT, "张伟")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT id FROM casework_case WHERE {condition} LIMIT 2000", params)  # noqa: S608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_text_bigram" in plan, plan


@pytest.mark.postgres
def test_a_word_the_statistics_call_common_is_broad_without_listing_its_ids(cases, monkeypatch):
    """工资 in most complaints: listing its first ``BROAD`` ids would read the whole posting
    list, so the probe takes the bigram index's statistics' word and reads the branch as
    broad; a word the statistics do not count as common is still listed by id."""
    _copy_and_analyze(
        cases["li"],
        [
            {
                "number": f"WAGE-{i:05d}",
                "summary": f"第{i}号：企业拖欠工资。" if i >= 3 else f"第{i}号：企业不付加班费。",
                "request": "要求依法处理。",
            }
            for i in range(300)
        ],
    )
    monkeypatch.setattr(search, "COMMON", 100)  # a test-sized table
    assert search._probe("工资", None).texts is None
    overtime = set(Case.objects.filter(number__in=[f"WAGE-{i:05d}" for i in range(3)]).values_list("pk", flat=True))
    assert set(search._probe("加班", None).texts) == overtime
    # The strategy changes, not what the list finds.
    assert len(_found("工资")) == 297 + 2
    monkeypatch.setattr(search, "COMMON", 10**9)
    assert len(search._probe("工资", None).texts) == 297 + 2
