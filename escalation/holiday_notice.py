"""Read the State Council's notice (国务院办公厅关于某年部分节假日安排的通知) into days.

A schedule line names its holidays before a colon and lists, sentence by sentence, the
days off (放假, 放假调休, 补休) and the make-up working days (上班)::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

Rules, from the notices of 2014–2026:

- a date without a year is in the notice's year; a range's end without a month keeps the
  start's month; the weekday in brackets (周六 / 星期六), when given, must be the date's;
- "共N天" / "放假N天" must equal the days of the ranges; "与周末连休" adds the adjacent
  weekend to the days off (2024: "元旦：1月1日放假，与周末连休");
- a date of the previous December is allowed in the 元旦 line only (2023's New Year began
  2022-12-31); any other date outside the year is an error;
- a day both off and working is an error; a schedule line that cannot be read is an error;
- a sentence with a date but neither 放假 nor 上班 (2024: "鼓励……安排职工在除夕（2月9日）
  休息") is not taken and is shown as such; so are the other lines (heading, preamble,
  signature), never silently turned into days.

The parser only reads; ``services.holidays`` saves what an administrator confirmed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.dates import format_day

from .models import DayKind

HOLIDAY_NAMES = {
    "元旦": "元旦",
    "春节": "春节",
    "清明节": "清明节",
    "清明": "清明节",
    "劳动节": "劳动节",
    "五一": "劳动节",
    "端午节": "端午节",
    "端午": "端午节",
    "中秋节": "中秋节",
    "中秋": "中秋节",
    "国庆节": "国庆节",
    "国庆": "国庆节",
}
WEEKDAYS = "一二三四五六日"

_PUNCTUATION = str.maketrans(
    {"：": ":", "（": "(", "）": ")", "，": ",", "；": ";", "\u3000": " ", "\xa0": " ", "～": "~", "—": "-"}
    | {chr(0xFF10 + i): str(i) for i in range(10)}
)
_ITEM = re.compile(
    r"^(?:(?P<no>[一二三四五六七八九十]+)\s*[、.．]\s*)?(?P<names>[^:,。()\d]{1,60}?)\s*:\s*(?P<body>.*)$"
)
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_NAME_SPLIT = re.compile(r"、|和|与|及")
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年)?\s*(?:(?P<m>\d{1,2})\s*月)?\s*(?P<d>\d{1,2})\s*日(?:\s*\((?P<note>[^()]*)\))?"
)
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
_COUNT = re.compile(r"(?:共|放假)\s*(\d+)\s*天")
_RANGE = re.compile(r"至|到|~|-")
_TITLE = re.compile(r"国务院办公厅关于\s*(\d{4})\s*年\s*部分节假日安排的通知")
_NUMBER = re.compile(r"国办发(明电)?\s*[〔\[(【]\s*(\d{4})\s*[〕\])】]\s*(\d+)\s*号")
_SIGNED = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_STARTS_WITH_DATE = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]\s*)?(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日"
)
_KEYWORDS_OFF = ("放假", "补休")
_KEYWORD_WORK = "上班"
MAX_RANGE_DAYS = 31


@dataclass
class ParsedDay:
    date: dt.date
    kind: str
    name: str
    line: int


@dataclass
class LineNote:
    line: int
    text: str
    message: str = ""


@dataclass
class ParsedNotice:
    year: int | None = None
    title: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    days: list[ParsedDay] = field(default_factory=list)
    errors: list[LineNote] = field(default_factory=list)
    unused: list[LineNote] = field(default_factory=list)  # sentences or lines not taken

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.days)

    @property
    def off_days(self) -> list[ParsedDay]:
        return [d for d in self.days if d.kind == DayKind.OFF]

    @property
    def work_days(self) -> list[ParsedDay]:
        return [d for d in self.days if d.kind == DayKind.WORK]


class _LineError(Exception):
    pass


def normalise(text: str) -> str:
    return (text or "").translate(_PUNCTUATION)


def _heading(text: str, notice: ParsedNotice) -> None:
    joined = re.sub(r"\s+", "", text)
    title = _TITLE.search(joined)
    if title:
        notice.title = f"国务院办公厅关于{title.group(1)}年部分节假日安排的通知"
        notice.year = int(title.group(1))
    number = _NUMBER.search(joined)
    if number:
        notice.number = f"国办发{number.group(1) or ''}〔{number.group(2)}〕{number.group(3)}号"
    for raw in reversed(text.splitlines()):
        signed = _SIGNED.match(raw.strip())
        if signed:
            try:
                notice.issued_on = dt.date(*(int(g) for g in signed.groups()))
            except ValueError:
                pass
            break


def _names(part: str) -> list[str] | None:
    names = [n.strip() for n in _NAME_SPLIT.split(part) if n.strip()]
    if not names:
        return None
    known = []
    for name in names:
        if name in HOLIDAY_NAMES:
            known.append(HOLIDAY_NAMES[name])
        elif name.endswith("纪念日"):  # a one-off day of commemoration (2015)
            known.append(name)
        else:
            return None
    return known


def _check_weekday(day: dt.date, note: str | None) -> None:
    found = _WEEKDAY.search(note or "")
    if not found:
        return
    written = found.group(1).replace("天", "日")
    actual = WEEKDAYS[day.weekday()]
    if written != actual:
        raise _LineError(
            _("%(date)s 是星期%(actual)s，通知中写的是星期%(written)s：请核对年度和日期。")
            % {"date": _fmt(day), "actual": actual, "written": written}
        )


def _fmt(day: dt.date) -> str:
    return format_day(day)


def _sentence_days(sentence: str, year: int) -> tuple[list[dt.date], int]:
    """The dates a sentence lists (ranges expanded) and how many of them it counted."""
    tokens = list(_DATE.finditer(sentence))
    days: list[dt.date] = []
    last_year, last_month = year, None
    previous: dt.date | None = None
    pending_range = False
    for i, token in enumerate(tokens):
        y = int(token.group("y")) if token.group("y") else last_year
        m = int(token.group("m")) if token.group("m") else last_month
        if m is None:
            raise _LineError(_("“%(text)s”没有写明月份。") % {"text": token.group(0)})
        try:
            day = dt.date(y, m, int(token.group("d")))
        except ValueError:
            raise _LineError(_("“%(text)s”不是有效的日期。") % {"text": token.group(0)}) from None
        _check_weekday(day, token.group("note"))
        if pending_range and previous is not None:
            if day < previous:
                raise _LineError(
                    _("日期范围 %(first)s 至 %(last)s 的结束日早于开始日。")
                    % {"first": _fmt(previous), "last": _fmt(day)}
                )
            if (day - previous).days >= MAX_RANGE_DAYS:
                raise _LineError(
                    _("日期范围 %(first)s 至 %(last)s 过长。") % {"first": _fmt(previous), "last": _fmt(day)}
                )
            span = (day - previous).days
            days.extend(previous + dt.timedelta(days=k) for k in range(1, span + 1))
        else:
            days.append(day)
        between = sentence[token.end() : tokens[i + 1].start()] if i + 1 < len(tokens) else ""
        pending_range = bool(_RANGE.search(between)) and not pending_range
        previous, last_year, last_month = day, y, m
    if pending_range:
        raise _LineError(_("日期范围没有写明结束日。"))
    return days, len(days)


def _weekend_around(days: list[dt.date]) -> list[dt.date]:
    """The weekend days adjacent to a block of days (与周末连休)."""
    extra = []
    before = min(days) - dt.timedelta(days=1)
    while before.weekday() >= 5:
        extra.append(before)
        before -= dt.timedelta(days=1)
    after = max(days) + dt.timedelta(days=1)
    while after.weekday() >= 5:
        extra.append(after)
        after += dt.timedelta(days=1)
    return extra


def _in_year(day: dt.date, year: int, names: list[str]) -> bool:
    if day.year == year:
        return True
    return "元旦" in names and day.year == year - 1 and day.month == 12 and day.day >= 24


def _item(body: str, names: list[str], year: int, line_no: int, notice: ParsedNotice) -> list[ParsedDay]:
    found: list[ParsedDay] = []
    label = "、".join(names)
    for sentence in re.split(r"[。;]", body):
        sentence = sentence.strip(" ,")
        if not sentence:
            continue
        has_dates = bool(_DATE.search(sentence))
        work = _KEYWORD_WORK in sentence
        off = any(k in sentence for k in _KEYWORDS_OFF)
        if not has_dates:
            continue
        if work and off:
            raise _LineError(_("“%(text)s”同时写了放假和上班，无法区分。") % {"text": sentence})
        if not (work or off):
            notice.unused.append(LineNote(line_no, sentence, _("这句话写了日期，但不是放假或上班安排，未采用。")))
            continue
        days, counted = _sentence_days(sentence, year)
        count = _COUNT.search(sentence)
        if off and count and int(count.group(1)) != counted:
            raise _LineError(
                _("写明共%(written)s天，但列出的日期是%(counted)d天。")
                % {"written": count.group(1), "counted": counted}
            )
        if off and "与周末连休" in sentence:
            days += _weekend_around(days)
        for day in days:
            if not _in_year(day, year, names):
                raise _LineError(_("%(date)s 不在 %(year)d 年内。") % {"date": _fmt(day), "year": year})
            found.append(ParsedDay(day, DayKind.WORK if work else DayKind.OFF, label, line_no))
    if not found:
        raise _LineError(_("没有读出放假或上班的日期。"))
    return found


def parse_notice(text: str, *, year: int | None = None) -> ParsedNotice:
    """Read ``text``; ``year`` (the form's) must agree with the title's when both are given."""
    pasted = (text or "").splitlines()  # shown as pasted; read normalised (same lines: 1 char for 1)
    text = normalise(text)
    notice = ParsedNotice()
    _heading(text, notice)
    if year is not None and notice.year is not None and year != notice.year:
        notice.errors.append(
            LineNote(
                0,
                notice.title,
                _("通知标题写的是%(title)d年，填写的年度是%(year)d年。") % {"title": notice.year, "year": year},
            )
        )
        return notice
    notice.year = year or notice.year
    if notice.year is None:
        notice.errors.append(LineNote(0, "", _("没有找到通知标题中的年度，请填写年度。")))
        return notice
    by_date: dict[dt.date, ParsedDay] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line, shown = raw.strip(), pasted[line_no - 1].strip()
        if not line:
            continue
        item = _ITEM.match(line)
        names = _names(item.group("names")) if item else None
        if names is None:
            if (
                item
                and item.group("no")
                or (_STARTS_WITH_DATE.match(line) and _has_keyword(line))
                or _NUMBERED.match(line)
                and _has_keyword(line)
            ):
                notice.errors.append(
                    LineNote(line_no, shown, _("这一行无法识别：请以节日名称和冒号开头，如“春节：”。"))
                )
            else:
                notice.unused.append(LineNote(line_no, shown))
            continue
        try:
            days = _item(item.group("body"), names, notice.year, line_no, notice)
        except _LineError as exc:
            notice.errors.append(LineNote(line_no, shown, str(exc)))
            continue
        for day in days:
            _merge(by_date, day, notice, shown)
    notice.days = sorted(by_date.values(), key=lambda d: d.date)
    if not notice.days and not notice.errors:
        notice.errors.append(LineNote(0, "", _("没有读到任何放假或上班安排。")))
    return notice


def _has_keyword(line: str) -> bool:
    return _KEYWORD_WORK in line or any(k in line for k in _KEYWORDS_OFF)


def _merge(by_date: dict[dt.date, ParsedDay], day: ParsedDay, notice: ParsedNotice, line: str) -> None:
    seen = by_date.get(day.date)
    if seen is None:
        by_date[day.date] = day
        return
    if seen.kind != day.kind:
        notice.errors.append(LineNote(day.line, line, _("%(date)s 既列为放假又列为上班。") % {"date": _fmt(day.date)}))
        return
    if day.name not in seen.name.split("、"):
        seen.name = f"{seen.name}、{day.name}"
