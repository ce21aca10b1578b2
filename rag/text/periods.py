"""Reporting periods: finding them in Vietnamese (and English) text and comparing them.

A period is a normalised string:
  "2024" (year), "2024-08" (month), "2024-Q1" (quarter), "2024-H1" (first six months),
  "2024-9M" (first nine months).
Reports are cumulative from January, which is why the only multi-month periods are the ones that start
in January (plus the quarters that monthly reports sum into).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from rag.core.errors import ConfigError
from rag.text.gazetteer import fold_aligned, province_mentions

_VALID_FORMATS = "2024, 2021-08, 8/2021, 2023-Q1, Q1/2023, quý 1/2023, 2023-H1, 2023-9M"

_CANON = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>0[1-9]|1[0-2])|-Q(?P<q>[1-4])|-(?P<h>H1)|-(?P<n>9M))?$")

# --- parsing -------------------------------------------------------------------------------------------

_Y = r"((?:19|20)\d\d)"
# A year that is the first half of a range ("2021-2025", "2024 - 2025") is not a period of its own.
_RANGE_END = r"(?:(?:19|20)\d\d|1[3-9]|[2-9]\d)(?!\d)"  # "2025" or "25", never a month "08"
_NOT_RANGE = r"(?!\d|\s*[-–—]\s*" + _RANGE_END + r")"
_B = r"(?<![a-z0-9])"  # word start on folded text
_E = r"(?![a-z0-9])"

_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
    "muoi": 10, "muoi mot": 11, "muoi hai": 12,
}  # fmt: skip
_N = r"(\d{1,2}|muoi\s+mot|muoi\s+hai|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"
_MONTH_WORDS = {**_NUMBER_WORDS, "gieng": 1, "tu": 4, "chap": 12}
_MONTH_WORD = (
    r"(" + "|".join(w.replace(" ", r"\s+") for w in sorted(_MONTH_WORDS, key=len, reverse=True)) + r")"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_ORDINAL_EN = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

# Counted things a bare four-digit number may be a count of ("2024 thuê bao"), folded.
_UNIT_AFTER = re.compile(
    r"\s*(?:%|thue\s+bao|ho\s+so|tram|nguoi|may|luot|vi\s+tri|km|m2?|dong|trieu|ty(?!\s+(?:le|trong))|nghin|ngan|doanh\s+nghiep|"
    r"tin|bai|cuoc|van\s+ban|truong\s+hop|tai\s+khoan|xa|ho|diem|co\s+quan|don\s+vi|chung\s+thu|hop\s+thu|"
    r"sim|thiet\s+bi|can\s+bo|ban(?!\s+hanh)|gian\s+hang|dich\s+vu|thu\s+tuc|cong\s+chuc|hoc\s+sinh|gio|phut|ngay)(?![a-z0-9])"
)


def _year(s: str | None, default: int | None) -> int | None:
    return int(s) if s else default


def _month(m: int | None, y: int | None) -> str | None:
    if y is None or m is None or not 1 <= m <= 12:
        return None
    return f"{y:04d}-{m:02d}"


def _count(word: str) -> int:
    word = " ".join(word.split())
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _first_months(n: int, y: int | None) -> str | None:
    """ "N tháng đầu năm": the cumulative figure a report gives at the end of month N. 3/6/9/12 months have
    period names of their own; other counts are read as the monthly report they close (8 tháng -> 08)."""
    if y is None or not 1 <= n <= 12:
        return None
    return {3: f"{y}-Q1", 6: f"{y}-H1", 9: f"{y}-9M", 12: f"{y}"}.get(n) or f"{y:04d}-{n:02d}"


def _month_span(first: int, last: int, y: int) -> str | None:
    """The period "from month `first` to month `last`" of year `y` names."""
    if not 1 <= first <= last <= 12:
        return None
    named = {(1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4", (1, 6): "H1", (1, 9): "9M"}
    if (first, last) == (1, 12):
        return str(y)
    if (first, last) in named:
        return f"{y}-{named[(first, last)]}"
    return _first_months(last, y) if first == 1 else _month(last, y)


# (pattern, value) in priority order: among matches at the same start the longest wins, then the
# earlier rule. A value of None consumes the text without giving a period (dates, numbers, ranges).
# A month or quarter named without a year gives ("M", 8) / ("Q", 4): the year comes from the next
# period it is listed with ("tháng 8 và tháng 9 năm 2021") or else from the caller's default.
_Value = str | tuple[str, int] | None
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], int | None], _Value]]
_RULES: list[_Rule] = [
    # "tính đến ngày 30/6/2019", "đến hết 31/3/2025", "tới ngày 30 tháng 6": a stock or a running total as
    # of a day is what the report closing that month prints. Only after "đến"/"tới": a bare date is a
    # signature or a decision's date, never a period (next rules).
    (
        re.compile(
            _B
            + r"(?:tinh\s+)?(?:den|toi)\s+(?:het\s+|cuoi\s+)?(?:ngay\s+)?\d{1,2}\s*(?:[/.-]|\s+thang\s+)\s*(\d{1,2})"
            r"(?:\s*(?:[/.-]|,?\s+nam\s+)\s*" + _Y + r")?(?![\d/.-]\d)"
        ),
        lambda m, d: _month(int(m.group(1)), int(m.group(2))) if m.group(2) else ("M", int(m.group(1))),
    ),
    # dates and document numbers: "ngày 20/9/2022", "ngày 20 tháng 9 năm 2022", "30/2020/NĐ-CP"; a report
    # signed "ngày   tháng 01 năm 2025" leaves the day blank
    (
        re.compile(
            _B
            + r"ngay\s*(?:\d{1,2}|[.…]+)?\s+thang\s*(?:\d{1,2}|[.…]+)(?:\s*[/-]\s*\d{4}|\s*,?\s+nam\s+\d{4})?"
        ),
        lambda m, d: None,
    ),
    (re.compile(_B + r"ngay\s+\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?"), lambda m, d: None),
    (re.compile(r"(?<![\d/.])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d\d(?!\d)"), lambda m, d: None),
    (re.compile(r"(?<![\d/])\d{1,5}\s*/\s*(?:19|20)\d\d\s*/"), lambda m, d: None),
    (re.compile(_B + r"so\s*:?\s*\d{1,5}\s*/\s*(?:19|20)\d\d(?!\d)"), lambda m, d: None),
    # ranges: "giai đoạn 2021-2025", "từ năm 2021 đến năm 2025"
    (re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–—]\s*" + _RANGE_END), lambda m, d: None),
    (
        re.compile(_B + r"tu\s+(?:nam\s+)?(?:19|20)\d\d\s+den\s+(?:het\s+)?(?:nam\s+)?(?:19|20)\d\d(?!\d)"),
        lambda m, d: None,
    ),
    # a span of months of one year: "từ tháng 7 đến tháng 9/2025" is the third quarter, "từ tháng 1 đến
    # tháng 6 năm 2024" the first half; a span no report covers ("tháng 2 đến tháng 5") closes at its end
    (
        re.compile(
            _B + r"tu\s+thang\s+(\d{1,2})\s+(?:den|toi)\s+(?:het\s+)?thang\s+(\d{1,2})"
            r"(?:\s*[/.-]\s*" + _Y + r"|\s*,?\s+nam\s+" + _Y + r")" + _NOT_RANGE
        ),
        lambda m, d: _month_span(int(m.group(1)), int(m.group(2)), int(m.group(3) or m.group(4))),
    ),
    # "6 tháng đầu năm 2023", "9 tháng đầu năm", "sáu tháng đầu năm", "nửa đầu năm 2023"
    (
        re.compile(
            _B
            + _N
            + r"\s+thang\s+dau(?:\s+nam(?:\s+(?:"
            + _Y
            + r"|nay)"
            + _NOT_RANGE
            + r")?|\s+"
            + _Y
            + _NOT_RANGE
            + r")"
        ),
        lambda m, d: _first_months(_count(m.group(1)), _year(m.group(2) or m.group(3), d)),
    ),
    (
        re.compile(_B + _N + r"\s+thang\s+(?:cua\s+)?(?:nam\s+)?" + _Y + _NOT_RANGE),
        lambda m, d: _first_months(_count(m.group(1)), int(m.group(2))),
    ),
    # "10T/2023", "6T 2024": N months counted from January, as officials abbreviate them ("T8/2021",
    # with the letter first, is one month: a rule below)
    (
        re.compile(r"(?<![\w/.])(\d{1,2})\s?t\s*[/-]?\s*" + _Y + _NOT_RANGE),
        lambda m, d: _first_months(int(m.group(1)), int(m.group(2))),
    ),
    # Second halves have no period of their own; the annual report is where they are.
    (
        re.compile(_B + r"(?:(?:6|sau)\s+thang|nua)\s+cuoi\s+nam(?:\s+" + _Y + _NOT_RANGE + r")?"),
        lambda m, d: str(_year(m.group(1), d)) if _year(m.group(1), d) else None,
    ),
    (
        re.compile(_B + r"nua\s+dau\s+nam(?:\s+" + _Y + _NOT_RANGE + r")?"),
        lambda m, d: f"{_year(m.group(1), d)}-H1" if _year(m.group(1), d) else None,
    ),
    # "tính đến giữa năm 2023": as of the end of its first half
    (
        re.compile(_B + r"giua\s+nam(?:\s+" + _Y + _NOT_RANGE + r")?"),
        lambda m, d: f"{_year(m.group(1), d)}-H1" if _year(m.group(1), d) else None,
    ),
    # quarters: "quý I năm 2023", "quý 1/2023", "quý IV", "Q1/2023", "2023-Q1", "first quarter of 2023"
    (
        re.compile(
            _B + r"quy\s+(iv|iii|ii|i|[1-4])" + _E + r"(?:\s*(?:[/-]|,?\s*nam)?\s*" + _Y + _NOT_RANGE + r")?"
        ),
        lambda m, d: (
            _quarter(m.group(1), int(m.group(2)))
            if m.group(2)
            else ("Q", _ROMAN.get(m.group(1)) or int(m.group(1)))
        ),
    ),
    (
        re.compile(_B + r"q\s?([1-4])\s*[/-]?\s*" + _Y + _NOT_RANGE),
        lambda m, d: _quarter(m.group(1), int(m.group(2))),
    ),
    (re.compile(_B + _Y + r"\s*-?\s*q([1-4])" + _E), lambda m, d: _quarter(m.group(2), int(m.group(1)))),
    (
        re.compile(
            _B + r"(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?" + _Y + r")?" + _E
        ),
        lambda m, d: _quarter(str(_ORDINAL_EN[m.group(1)]), _year(m.group(2), d)),
    ),
    # half-year and nine months, ISO-ish and English
    (re.compile(_B + _Y + r"\s*-?\s*(h1|6m|9m)" + _E), lambda m, d: _span_code(m.group(2), int(m.group(1)))),
    (
        re.compile(_B + r"(h1|6m|9m)\s*[/-]?\s*" + _Y + _NOT_RANGE),
        lambda m, d: _span_code(m.group(1), int(m.group(2))),
    ),
    (
        re.compile(_B + r"(?:the\s+)?first\s+half\s+(?:of\s+)?(?:the\s+year\s+)?" + _Y + _E),
        lambda m, d: f"{m.group(1)}-H1",
    ),
    (
        re.compile(_B + r"(?:the\s+)?(?:first\s+)?(?:9|nine)\s+months\s+(?:of\s+)?" + _Y + _E),
        lambda m, d: f"{m.group(1)}-9M",
    ),
    # months named in words, a year after them: "tháng Tám năm 2021", "tháng Giêng/2023", "tháng Mười Hai
    # năm 2022", "tháng Chạp". Without the year, "tháng sau" is the next month and "tháng từ …" no month.
    (
        re.compile(
            _B + r"thang\s+" + _MONTH_WORD + r"\s*(?:[/.-]\s*" + _Y + r"|,?\s+nam\s+" + _Y + r")" + _NOT_RANGE
        ),
        lambda m, d: _month(_MONTH_WORDS[" ".join(m.group(1).split())], int(m.group(2) or m.group(3))),
    ),
    # months: "tháng 8/2021", "tháng 8 năm 2021", "tháng 10-2022", "T8/2021", "08/2021", "2021-08", "August 2021"
    (
        re.compile(
            _B + r"thang\s+(\d{1,2})(?!\d|\s*[/.-]\s*\d{1,2}\s*[/.-])"
            r"(?:\s*[/.-]\s*"
            + _Y
            + r"|\s*,?\s+nam\s+"
            + _Y
            + r"|\s+nam\s+(nay)|\s+"
            + _Y
            + r")?"
            + _NOT_RANGE
        ),
        # "thang 8 2021": typed without the slash, as "quý 1 2023" is
        lambda m, d: (
            _month(int(m.group(1)), int(m.group(2) or m.group(3) or m.group(5)))
            if m.group(2) or m.group(3) or m.group(5)
            else ("M", int(m.group(1)))
        ),
    ),
    (
        re.compile(_B + r"t\s?(\d{1,2})\s*[/-]\s*" + _Y + _NOT_RANGE),
        lambda m, d: _month(int(m.group(1)), int(m.group(2))),
    ),
    # the year in two digits, as typed in a hurry: "tháng 8/21", "T8/21", "thg 2/21" (never a bare "8/21",
    # which is as often a share: "8/21 huyện")
    (
        re.compile(_B + r"(?:thang|thg|t)\s?(\d{1,2})\s*/\s*([0-4]\d)(?![\d/]|[.,]\d|\s*[/.-]\s*\d)"),
        lambda m, d: _month(int(m.group(1)), 2000 + int(m.group(2))),
    ),
    (
        re.compile(r"(?<![\d/.,])(\d{1,2})\s*/\s*" + _Y + r"(?![\d/])"),
        lambda m, d: _month(int(m.group(1)), int(m.group(2))),
    ),
    (
        re.compile(r"(?<![\d/.,])" + _Y + r"-(0?[1-9]|1[0-2])(?![\d/])"),
        lambda m, d: _month(int(m.group(2)), int(m.group(1))),
    ),
    (
        re.compile(
            _B + r"(" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\.?\s+(?:of\s+)?" + _Y + _E
        ),
        lambda m, d: _month(_MONTHS_EN[m.group(1)], int(m.group(2))),
    ),
    # years: "năm 2024", "cả năm 2024", "năm nay", bare "2024" (not a count: "2024 thuê bao")
    (re.compile(_B + r"nam\s+" + _Y + _NOT_RANGE), lambda m, d: m.group(1)),
    (re.compile(_B + r"nam\s+nay" + _E), lambda m, d: str(d) if d else None),
    (re.compile(r"(?<![\d/.,:-])" + _Y + r"(?![\d/]|[.,]\d)" + _NOT_RANGE), lambda m, d: _bare_year(m)),
]


# For each rule, words one of which its every match contains (folded), or () for none: a passage without
# them is not scanned by that rule (ingest reads ~16 passages a report; most rules find nothing in most of
# them). Checked against scanning every rule (tests/test_periods.py).
_NEEDLES: tuple[tuple[str, ...], ...] = (
    ("den", "toi"), ("ngay",), ("ngay",), (), ("/",), ("/",), ("-", "–", "—"), ("den",), ("thang",), ("thang",),
    ("thang",), (), ("cuoi",), ("nua",), ("giua",), ("quy",), ("q",), ("q",), ("quarter",), ("h1", "6m", "9m"),
    ("h1", "6m", "9m"), ("half",), ("months",), ("thang",), ("thang",), (), ("/",), ("/",), ("-",), tuple(_MONTHS_EN),
    ("nam",), ("nay",), (),
)  # fmt: skip
assert len(_NEEDLES) == len(_RULES)


def _rules_for(folded: str) -> list[tuple[int, _Rule]]:
    return [
        (order, rule)
        for order, (rule, needles) in enumerate(zip(_RULES, _NEEDLES, strict=True))
        if not needles or any(n in folded for n in needles)
    ]


_LIST_GAP = re.compile(r"\s*(?:,|;|-|–|va|den|hoac|and|to|or)\s*")


def _quarter(q: str, y: int | None) -> str | None:
    n = _ROMAN.get(q) or (int(q) if q.isdigit() else 0)
    if y is None or not 1 <= n <= 4:
        return None
    return f"{y}-Q{n}"


def _span_code(code: str, y: int) -> str:
    return f"{y}-9M" if code == "9m" else f"{y}-H1"


def _bare_year(m: re.Match[str]) -> str | None:
    if _UNIT_AFTER.match(m.string, m.end()) and not _province_after(m.string, m.end()):
        return None  # "2024 thuê bao" is a count; "Cuối 2022 Đồng Tháp …" a year and a province
    return m.group(1)


def _province_after(text: str, pos: int) -> bool:
    """Whether a province's name follows `pos` ("đồng" of Đồng Tháp, "hồ" of Hồ Chí Minh are unit words too)."""
    after = text[pos : pos + 40]
    found = province_mentions(after)
    return bool(found) and not after[: found[0][0]].strip()


def period_mentions(text: str, default_year: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, period) of each period phrase in `text`, spans in `text` (NFC) coordinates.

    Leftmost match wins, then the longest: "6 tháng đầu năm 2024" is one H1 mention, never also "2024".
    """
    folded = fold_aligned(text).lower()
    if len(folded) != len(text):
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in fold_aligned(text))
    found: list[tuple[int, int, int, _Value]] = []
    for order, (pattern, value) in _rules_for(folded):
        for m in pattern.finditer(folded):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), order, value(m, default_year)))
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    chosen: list[tuple[int, int, _Value]] = []
    last_end = -1
    for start, neg_len, _, value in found:
        if start < last_end:
            continue
        last_end = start - neg_len
        if value is not None:
            # Matches may pick up trailing whitespace/punctuation in optional groups; trim for clean spans.
            end = last_end
            while end > start and not folded[end - 1].isalnum():
                end -= 1
            chosen.append((start, end, value))
    out: list[tuple[int, int, str]] = []
    later: tuple[int, str] | None = None  # (start, period) of the next mention, filled right to left
    for start, end, value in reversed(chosen):
        if isinstance(value, tuple):
            kind, n = value
            year = default_year
            if later and _LIST_GAP.fullmatch(folded, end, later[0]) and is_period(later[1]):
                if period_kind(later[1]) == ("monthly" if kind == "M" else "quarterly"):
                    year = int(later[1][:4])
            value = _month(n, year) if kind == "M" else _quarter(str(n), year)
            if value is None:
                later = None
                continue
        out.append((start, end, value))
        later = (start, value)
    out.reverse()
    return out


def parse_periods(text: str, default_year: int | None = None) -> list[str]:
    """All periods `text` speaks of, in order of appearance, without repeats.

    A month or quarter named without a year ("tháng 8", "quý IV") takes `default_year`, or is skipped when
    it is None. Dates ("ngày 20/9/2022"), document numbers ("30/2020/NĐ-CP") and ranges ("giai đoạn
    2021-2025") are not periods.
    """
    return list(_parse_periods(text, default_year))


@functools.lru_cache(maxsize=65536)
def _parse_periods(text: str, default_year: int | None) -> tuple[str, ...]:
    # The answerer reads the same clauses again for every question on a report (and for every cell of a
    # many-report table): parsed once.
    seen: dict[str, None] = {}
    for _, _, p in period_mentions(text, default_year):
        seen.setdefault(p, None)
    return tuple(seen)


# --- arithmetic ----------------------------------------------------------------------------------------


def is_period(p: str) -> bool:
    return bool(_CANON.match(p or ""))


def period_span(p: str) -> tuple[int, int, int]:
    """(first month, last month, year): "2021-Q2" -> (4, 6, 2021), "2021-9M" -> (1, 9, 2021)."""
    m = _CANON.match(p or "")
    if not m:
        raise ValueError(f"not a period: {p!r} (expected e.g. {_VALID_FORMATS})")
    y = int(m["y"])
    if m["m"]:
        return int(m["m"]), int(m["m"]), y
    if m["q"]:
        q = int(m["q"])
        return 3 * q - 2, 3 * q, y
    if m["h"]:
        return 1, 6, y
    if m["n"]:
        return 1, 9, y
    return 1, 12, y


def period_kind(p: str) -> str:
    """monthly | quarterly | half-year | nine-month | annual."""
    m = _CANON.match(p or "")
    if not m:
        raise ValueError(f"not a period: {p!r} (expected e.g. {_VALID_FORMATS})")
    if m["m"]:
        return "monthly"
    if m["q"]:
        return "quarterly"
    if m["h"]:
        return "half-year"
    if m["n"]:
        return "nine-month"
    return "annual"


def overlaps(a: str, b: str) -> bool:
    """Whether two periods share a month: 2021 and 2021-08 do, 2021-08 and 2021-02 do not.

    Strings that are not periods overlap only themselves, so odd metadata never matches everything.
    """
    if not (is_period(a) and is_period(b)):
        return bool(a) and a == b
    s1, e1, y1 = period_span(a)
    s2, e2, y2 = period_span(b)
    return y1 == y2 and s1 <= e2 and s2 <= e1


def contains(outer: str, inner: str) -> bool:
    """Whether every month of `inner` is in `outer`: 2021-H1 contains 2021-Q2, not 2021-Q3."""
    if not (is_period(outer) and is_period(inner)):
        return bool(outer) and outer == inner
    s1, e1, y1 = period_span(outer)
    s2, e2, y2 = period_span(inner)
    return y1 == y2 and s1 <= s2 and e2 <= e1


def shift_year(p: str, years: int) -> str:
    """The same period `years` later (negative: earlier): the "cùng kỳ năm trước" of 2024-H1 is 2023-H1."""
    period_span(p)  # validates
    return f"{int(p[:4]) + years:04d}{p[4:]}"


def newest_period(periods) -> str:
    """The latest of these periods by `period_sort_key` ("" for none); names that are not periods are
    skipped."""
    return max((p for p in periods if is_period(p)), key=period_sort_key, default="")


def period_sort_key(p: str) -> tuple[int, int, int]:
    """Chronological by end month, shorter periods first: 2021-08 < 2021-9M < 2021."""
    s, e, y = period_span(p)
    return y, e, -s


# --- display and input ---------------------------------------------------------------------------------

_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTH_NAMES_EN = (
    "January February March April May June July August September October November December".split()
)


def describe_period(p: str, lang: str = "vi") -> str:
    """Human form: "2021-08" -> "tháng 8/2021" ("August 2021"), "2023-Q1" -> "quý I/2023" ("Q1 2023")."""
    if not is_period(p):
        return p
    s, e, y = period_span(p)
    kind = period_kind(p)
    en = lang.lower().startswith("en")
    if kind == "monthly":
        return f"{_MONTH_NAMES_EN[s - 1]} {y}" if en else f"tháng {s}/{y}"
    if kind == "quarterly":
        q = e // 3
        return f"Q{q} {y}" if en else f"quý {_ROMAN_OUT[q]}/{y}"
    if kind == "half-year":
        return f"the first half of {y}" if en else f"6 tháng đầu năm {y}"
    if kind == "nine-month":
        return f"the first nine months of {y}" if en else f"9 tháng đầu năm {y}"
    return f"{y}" if en else f"năm {y}"


def normalise_period(s: str) -> str:
    """A period typed on the command line ("2021-08", "8/2021", "Q1/2023", "quý 1/2023") -> normal form.

    Raises ConfigError naming the accepted formats when `s` is not exactly one period.
    """
    raw = (s or "").strip()
    canon = raw.upper() if re.fullmatch(r"\d{4}-(?:q[1-4]|h1|9m)", raw, re.IGNORECASE) else raw
    if re.fullmatch(r"\d{4}-[1-9]", canon):
        canon = f"{canon[:5]}0{canon[5]}"
    if is_period(canon):
        return canon
    found = period_mentions(raw)
    if len(found) == 1:
        start, end, p = found[0]
        rest = raw[:start] + raw[end:]
        if not any(c.isalnum() for c in rest) or re.fullmatch(r"\W*(?:năm|nam|tháng|thang)?\W*", rest, re.I):
            return p
    raise ConfigError(f"cannot read {s!r} as a period; use one of: {_VALID_FORMATS}")
