"""The search box matches a part of the case number, worker name, enterprise name or the
complaint's text, and a worker's whole phone or ID number: the same results on SQLite
(icontains) and PostgreSQL (trigram and bigram indexes, btree on the phone and ID hashes)."""

import pytest
from django.db.models import F, Q

from casework import search, selectors
from casework.models import Case
from casework.pagination import CappedPaginator, split


@pytest.fixture
def cases(make_case):
    return {
        "li": make_case(worker={"name": "李四", "id_number": "", "phone": "13900000001"}),
        "wang": make_case(worker={"name": "王五一", "id_number": "", "phone": "13900000002"}),
        "other_enterprise": make_case(
            worker={"name": "赵六", "id_number": "", "phone": "13900000003"}, enterprise="DEMO-E2"
        ),
    }


def _found(q):
    return set(Case.objects.filter(selectors.search_filter(q)).values_list("number", flat=True))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("李四", {"li"}),  # two characters: the bigram path on PostgreSQL
        ("王五一", {"wang"}),  # three: trigrams
        ("五一", {"wang"}),
        ("东方", {"li", "wang"}),  # DEMO-E1 is 东方机械制造有限公司
        ("红星纺织", {"other_enterprise"}),
        ("钱七", set()),
    ],
)
def test_search_by_name_and_enterprise(cases, q, expected):
    assert _found(q) == {cases[key].number for key in expected}


def test_search_by_part_of_the_number(cases):
    number = cases["wang"].number
    assert _found(number[-6:]) == {number}
    assert _found(number.lower()) == {number}
    assert cases["li"].number in _found("gh")  # two characters of the number, any case


# --- the paginator reads a search branch by branch (PostgreSQL) ---------------------------

ORDERINGS = [
    ("-received_at", "-pk"),  # the case list's default
    (F("due_at").asc(nulls_last=True), "pk"),  # the pages' due-date sorts
    (F("due_at").desc(nulls_last=True), "pk"),
    (F("due_at").asc(nulls_last=True), "-received_at", "-pk"),  # the API's orderings
    (F("due_at").desc(nulls_last=True), "-received_at", "-pk"),
]
TERMS = ["东方", "红星", "李四", "王五一", "五一", "GH", "gh-", "红星纺织", "钱七", "职工"]
TERMS += ["工资", "三个月", "13900000003"]  # the complaint's text; a whole phone number


@pytest.fixture
def many(make_case):
    made = []
    for i, (name, enterprise) in enumerate(
        [("李四", "DEMO-E1"), ("王五一", "DEMO-E1"), ("赵六", "DEMO-E2"), ("李四", "DEMO-E2"), ("职工甲", "DEMO-E1")]
        * 2
    ):
        made.append(
            make_case(
                accept=i % 3 != 0,  # some registered only: no due date
                worker={"name": name, "id_number": "", "phone": f"1390000{i:04d}"},
                enterprise=enterprise,
                summary="企业拖欠工资三个月。" if i % 2 else "加班费未按规定支付。",
            )
        )
    return made


def _every_page(rows, per_page, cap):
    paginator = CappedPaginator(rows, per_page)
    paginator.cap = cap
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen.extend(case.pk for case in page.object_list)
        if not page.has_next():
            return seen, paginator.count_label
        number += 1


@pytest.mark.postgres
@pytest.mark.parametrize("broad", [False, True], ids=["index ids", "ordered walk"])
def test_split_search_gives_the_same_pages_as_the_plain_filter(many, users, monkeypatch, broad):
    if broad:  # every branch that matches at all is read as a broad one
        monkeypatch.setattr(search, "BROAD", 1)
        monkeypatch.setattr(search, "ENTERPRISE_IDS", 0)
    supervisor = users["supervisor"]
    for q in TERMS:
        plain = (
            Q(number__icontains=q)
            | Q(worker__name__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(summary__icontains=q)
            | Q(request__icontains=q)
            | Q(worker__phone=q)
        )
        for ordering in ORDERINGS:
            rows = (
                selectors.visible_cases(supervisor)
                .select_related(*selectors.LIST_RELATED)
                .filter(selectors.search_filter(q))
                .order_by(*ordering)
            )
            expected = list(
                selectors.visible_cases(supervisor).filter(plain).order_by(*ordering).values_list("pk", flat=True)
            )
            if expected:
                assert split(rows) is not None, q
            for per_page, cap in [(3, 1000), (2, 3), (25, 1000)]:
                seen, label = _every_page(rows, per_page, cap)
                assert seen == expected, (q, ordering, per_page)
                assert label == (f"{cap} 以上" if len(expected) > cap else str(len(expected)))


@pytest.mark.postgres
def test_split_is_only_taken_at_the_top_of_the_filter(many, users):
    search = selectors.search_filter("李四")
    rows = Case.objects.select_related("worker").order_by("-received_at", "-pk")
    assert split(rows.filter(search)) is not None
    assert split(rows.filter(search | Q(number="x"))) is None  # under an OR
    assert split(rows.exclude(search)) is None  # negated
    assert split(rows.filter(search).values("pk").union(rows.values("pk"))) is None
