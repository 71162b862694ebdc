"""Reading the State Council's notice: the real notices of 2022–2026 give exactly the days
chinese-calendar knows (tests/fixtures/holiday_notices/README.md says where each text is from)."""

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from escalation.holiday_notice import parse_notice

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "holiday_notices"
YEARS = [2022, 2023, 2024, 2025, 2026]
NUMBERS = {
    2022: ("国办发明电〔2021〕11号", dt.date(2021, 10, 25)),
    2023: ("国办发明电〔2022〕16号", dt.date(2022, 12, 8)),
    2024: ("国办发明电〔2023〕7号", dt.date(2023, 10, 25)),
    2025: ("国办发明电〔2024〕12号", dt.date(2024, 11, 12)),
    2026: ("", dt.date(2025, 11, 4)),
}
# chinese-calendar lists the weekend of 2024's "元旦：1月1日放假，与周末连休" (Dec 30–31, 2023)
# but not that of "端午节：6月10日放假，与周末连休"; the notice says the same of both.
PACKAGE_OMITS = {2024: {dt.date(2024, 6, 8), dt.date(2024, 6, 9)}}


def text_of(year: int) -> str:
    return (FIXTURES / f"{year}.txt").read_text(encoding="utf-8")


def ascii_punctuation(text: str) -> str:
    return text.translate(str.maketrans({"：": ":", "（": "(", "）": ")", "，": ","}))


def package(year: int) -> tuple[set, set]:
    """The package's days off and make-up working days of ``year``'s notice (a New Year
    holiday begun in December belongs to the next year's notice)."""

    def belongs(day, name):
        if day.month == 12 and name == chinese_calendar.Holiday.new_years_day.value:
            return day.year + 1 == year
        return day.year == year

    off = {d for d, name in chinese_calendar.holidays.items() if belongs(d, name)}
    work = {d for d, name in chinese_calendar.workdays.items() if belongs(d, name)}
    return off, work


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("form", ["as published", "ascii punctuation"])
def test_real_notices_give_the_packages_days(year, form):
    text = text_of(year) if form == "as published" else ascii_punctuation(text_of(year))
    notice = parse_notice(text)
    assert notice.errors == [] and notice.ok
    assert notice.year == year
    assert notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert (notice.number, notice.issued_on) == NUMBERS[year]
    off, work = package(year)
    assert {d.date for d in notice.work_days} == work
    assert {d.date for d in notice.off_days} == off | PACKAGE_OMITS.get(year, set())


def test_every_day_of_the_years_is_classified_as_the_package_does():
    """Whatever the weekend bookkeeping, a working day is a working day in both."""
    for year in YEARS:
        notice = parse_notice(text_of(year))
        kinds = {d.date: d.kind for d in notice.days}
        day = dt.date(year, 1, 1)
        while day.year == year:
            ours = kinds[day] == "work" if day in kinds else day.weekday() < 5
            assert ours == chinese_calendar.is_workday(day), day
            day += dt.timedelta(days=1)


def test_names_lines_and_what_was_not_taken():
    notice = parse_notice(text_of(2024))
    by_date = {d.date: d for d in notice.days}
    assert by_date[dt.date(2024, 2, 4)].kind == "work" and by_date[dt.date(2024, 2, 4)].name == "春节"
    assert by_date[dt.date(2023, 12, 30)].name == "元旦"  # 与周末连休, the weekend before
    assert dt.date(2024, 2, 9) not in by_date  # 除夕: only encouraged, not a day off
    advice = [u for u in notice.unused if "除夕" in u.text]
    assert len(advice) == 1 and advice[0].message  # shown as not taken, with why
    assert any("各省、自治区" in u.text for u in notice.unused)
    merged = parse_notice(text_of(2025))
    assert {d.name for d in merged.days if d.date == dt.date(2025, 10, 6)} == {"国庆节、中秋节"}


def test_the_issue_example_line_alone_with_a_year():
    notice = parse_notice(
        "春节：2月15日（农历腊月二十八）至23日（农历正月初七）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。",
        year=2026,
    )
    assert notice.ok
    assert [d.date.day for d in notice.off_days] == list(range(15, 24))
    assert [d.date for d in notice.work_days] == [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]


def test_older_wording_make_up_rest_day():
    notice = parse_notice("三、清明节：4月5日放假，4月7日（星期一）补休。", year=2014)
    assert [(d.date, d.kind) for d in notice.days] == [(dt.date(2014, 4, 5), "off"), (dt.date(2014, 4, 7), "off")]


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("春节：2月15日至23日放假调休，共9天。2月20日（周五）上班。", 2026, "既列为放假又列为上班"),
        ("春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。", 2027, "是星期"),
        ("元旦：2028年1月1日放假，共1天。", 2027, "不在 2027 年内"),
        ("国庆节：2026年9月30日至10月7日放假调休，共8天。", 2027, "不在 2027 年内"),
        ("春节：二月十五日至二十三日放假调休，共9天。", 2026, "没有读出"),
        ("春节：2月15日至23日放假调休，共8天。", 2026, "写明共8天"),
        ("三、重阳节：10月18日放假，共1天。", 2026, "无法识别"),
        ("2月14日（周六）上班。", 2026, "无法识别"),
        ("春节：2月30日放假。", 2026, "不是有效的日期"),
        ("春节：15日至23日放假调休，共9天。", 2026, "没有写明月份"),
    ],
)
def test_bad_lines_are_errors_in_chinese(text, year, message):
    notice = parse_notice(text, year=year)
    assert not notice.ok
    assert any(message in e.message for e in notice.errors), [e.message for e in notice.errors]


def test_title_and_year_must_agree_and_a_year_is_needed():
    assert "填写的年度是2027年" in parse_notice(text_of(2026), year=2027).errors[0].message
    assert "请填写年度" in parse_notice("春节：2月15日至23日放假调休，共9天。").errors[0].message
    assert "没有读到" in parse_notice("各省、自治区、直辖市人民政府：", year=2027).errors[0].message


def test_lines_are_shown_as_pasted():
    line = "三、重阳节：10月18日（周日）放假，共1天。"
    notice = parse_notice(f"国务院办公厅关于2026年部分节假日安排的通知\n{line}")
    assert [(e.line, e.text) for e in notice.errors] == [(2, line)]
    assert notice.unused[0].text == "国务院办公厅关于2026年部分节假日安排的通知"
