"""The one place where numbers are read and written: parsing, units and scales, formatting, mentions.

Reports print numbers the Vietnamese way ("1.674.885" thuê bao, "12,5" triệu đồng, "96,3%"), but
English-style numbers slip in from templates and PDFs. Ambiguity rule of `parse_number`:

- "," alone is a decimal comma when it appears once ("1,674" is 1.674, Vietnamese first);
  repeated with 3-digit groups it is an English thousands separator ("1,674,885").
- "." repeated with 3-digit groups is a Vietnamese thousands separator ("1.674.885").
- "." once: followed by exactly 3 digits it groups thousands ("1.000" is one thousand, as printed
  in every report) unless the integer part is "0" ("0.500" is a half); followed by any other
  number of digits it is an English decimal point ("12.5", "3.2", "1.5").
- Both "." and ",": the later one is the decimal separator ("1.674,5" and "1,674.5").
- Anything else ("1.2.3", "1.2.", "0228.3641.234") is not a number.

`parse_quantities` finds the quantities in a text (number + scale word + unit) and leaves out what only
looks like one: dates, years, document numbers, section numbers, technology names ("5G", "4.0"),
levels ("mức độ 3"), ordinals, phone numbers. The value is kept as printed and the scale separately,
so an answer can be shown in the report's own unit and still be compared across reports.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rag.core.types import Chunk, Mention, Quantity
from rag.lexicon import load_lexicon
from rag.text.segment import span_at, start_before

# --- scales and units --------------------------------------------------------------------------

SCALES: dict[str, float] = dict(load_lexicon().scales)
_SCALE_WORDS = {1e3: "nghìn", 1e6: "triệu", 1e9: "tỷ", 1e12: "nghìn tỷ"}

# Unit nouns seen after numbers in Sở TT&TT reports (rag/lexicon/units.toml): matched case-insensitively
# and longest-first; the value is the canonical unit.
_UNIT_ALIASES: dict[str, str] = dict(load_lexicon().unit_aliases)
# Units that may be glued to the number ("15m", "5km", "12,5%"); any other glued letters ("5G", "25b")
# make the token a name, not a quantity.
_GLUED_UNITS = set(load_lexicon().glued_units)

_WORD_CHARS = r"[^\W_]"


def _unit_alternation(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_SCALE_RE = re.compile(
    rf"[ \t\u00a0]*({_unit_alternation(SCALES)})(?!{_WORD_CHARS})(?![ \t]+(?:lệ|trọng|suất|giá)\b)", re.I
)
_UNIT_RE = re.compile(rf"[ \t\u00a0]*({_unit_alternation(_UNIT_ALIASES)})(?!{_WORD_CHARS})", re.I)
# A rate after the unit: "km/1 điểm", "thuê bao/100 dân", "người/1 điểm".
_RATE_RE = re.compile(rf"[ \t]?/[ \t]?(?:(\d+)[ \t]*)?({_WORD_CHARS}+)", re.I)  # "/100dân" too
_GLUED_RE = re.compile(rf"({_WORD_CHARS}+|%)")
# the base of a density ("/100 dân", "/1.000 dân"); any other number after "/" is a second figure
# ("4 cuộc/15 doanh nghiệp": four inspections of fifteen firms)
_PER_BASE = re.compile(r"10*|1[.,]000(?:[.,]000)*|10[.,]000|100[.,]000")
# "1277 máy/1795 người": a figure per head of a population stays one ratio
_POPULATION = frozenset({"dân", "người", "hộ"})
_QUALIFIED_DENSITY = re.compile(
    r"[ \t]+(?:di động|cố định|băng rộng|internet|điện thoại)(?=[ \t]?/[ \t]?\d)", re.I
)
_BARE_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_SECOND_FIGURE = re.compile(r"[ \t]?/[ \t]?(?=\d)")
_RATE_DENOMS = set(_UNIT_ALIASES) | {"dân"}
_SCALE_PREFIX = re.compile(
    r"(nghìn tỷ|ngàn tỷ|nghìn tỉ|ngàn tỉ|tỷ|tỉ|triệu|nghìn|ngàn|tr\.?)(?:\s+|$|(?<=\.))(?!lệ|trọng|suất)",
    re.I,
)


def normalise_unit(u: str) -> tuple[str, float]:
    """A unit as printed -> (canonical unit, scale): "triệu đồng" -> ("đồng", 1e6), "tỷ" -> ("", 1e9).

    Unknown nouns come back unchanged apart from spacing and case, so gold units never vanish.
    """
    s = " ".join((u or "").split()).strip(" .,:;")
    if not s:
        return "", 1.0
    scale = 1.0
    m = _SCALE_PREFIX.match(s)
    if m:
        scale = SCALES[m.group(1).lower().rstrip(".")]
        s = s[m.end() :].strip()
    low = s.lower()
    if not s:
        return "", scale
    if low in _UNIT_ALIASES:
        return _UNIT_ALIASES[low], scale
    if "/" in s:
        head, _, tail = s.partition("/")
        head_unit, _ = normalise_unit(head)
        tail = re.sub(r"^\s*1\s+", "", tail).strip()
        return f"{head_unit}/{tail}", scale
    # Keep acronyms as printed, lower-case ordinary nouns ("Sáng kiến" -> "sáng kiến").
    words = [w if sum(c.isupper() for c in w) >= 2 else w.lower() for w in s.split()]
    return " ".join(words), scale


# Nouns that name a kind of a more general unit: a gold or a question that says "điểm BĐVHX" is
# answered by "99 bưu điện văn hóa xã".
UNIT_KINDS = dict(load_lexicon().unit_kinds)
# Units whose class (a share, an amount of money, a length of time) no count noun can stand for: "9
# tháng năm 2022" is never the number of subscribers added in those nine months.
UNIT_CLASS = dict(load_lexicon().unit_class_of)


def is_density(unit: str) -> bool:
    """A figure per N people or households ("thuê bao/100 dân"), as opposed to a count or a rate per one."""
    return bool(re.search(r"/\d", unit))


def unit_head(u: str) -> str:
    """The noun a unit counts: "km/điểm" counts km (a rate keeps its numerator's unit), and a kind
    counts as its class ("bưu cục" is a "điểm")."""
    head = u.split("/", 1)[0].strip()
    return UNIT_KINDS.get(head, head)


_RANK_UNITS = frozenset({"thứ hạng", "hạng", "thứ"})
_OUT_OF = re.compile(r"/\s*\d")  # a unit that is only "out of N"


def units_compatible(a: str, b: str) -> bool:
    """Same base unit, allowing the report to say more than the gold: "trạm" ~ "trạm BTS",
    "dịch vụ" ~ "dịch vụ công", "km" ~ "km/điểm" (a rate keeps its numerator's unit)."""
    if a == b:
        return True
    if not a or not b:
        return True
    if {a, b} & _RANK_UNITS and any(_OUT_OF.match(u) for u in (a, b)):
        return True  # "xếp thứ 10/63 tỉnh": a gold written "10 /63 tỉnh, thành phố" is the rank 10
    if all(u.split("/", 1)[0].strip() in _RANK_UNITS for u in (a, b)):
        return True  # a gold written "6 hạng/63" is the rank 6
    if {a, b} == {"bậc", "hạng"}:
        return True  # "giảm 20 hạng" is 20 places moved: a gold written "20 hạng" is "20 bậc"
    a, b = unit_head(a), unit_head(b)
    if a == b:
        return True
    if "," in a or "," in b:  # "tổ chức, cá nhân" is either noun
        return any(units_compatible(x.strip(), y.strip()) for x in a.split(",") for y in b.split(","))
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short + " "):
        return True
    # "DVC trực tuyến" is a "dịch vụ công", and "tài khoản" the noun of "tài khoản thư điện tử", a "hộp thư":
    # a printed name of one unit that opens with (or is opened by) the other's words
    return _named_alike(a, b) or _named_alike(b, a)


_ALIASES_LONGEST_FIRST = sorted(_UNIT_ALIASES, key=len, reverse=True)


def _named_alike(a: str, b: str) -> bool:
    """Whether unit `b`, its leading alias spelled as its canonical unit, is unit `a` said at more length,
    or one of `a`'s printed names opens with `b`'s words."""
    low = b.lower()
    for alias in _ALIASES_LONGEST_FIRST:
        if low.startswith(alias + " "):
            spelled = _UNIT_ALIASES[alias] + low[len(alias) :]
            if spelled.startswith(a.lower() + " "):
                return True
            break
    return any(
        canon == a and (alias.startswith(low + " ") or alias == low) for alias, canon in _UNIT_ALIASES.items()
    )


def _close(x: float, y: float, rel_tol: float) -> bool:
    if x == y:
        return True
    return abs(x - y) <= rel_tol * max(abs(x), abs(y))


def same_value(
    a_value: float,
    a_unit: str,
    b_value: float,
    b_unit: str,
    rel_tol: float = 0.005,
    *,
    a_scale: float = 1.0,
    b_scale: float = 1.0,
) -> bool:
    """Whether two printed quantities are the same after unit and scale normalisation.

    10000 "triệu đồng" == 10 "tỷ đồng"; 1.3 "triệu tài khoản" == 1300000 "tài khoản".
    Different base units are never equal. When one side has no unit ("đã giải ngân 30,46") the
    report left the unit to the sentence, so the printed numbers may also match as they stand.
    """
    if a_value is None or b_value is None:
        return False
    ua, sa = normalise_unit(a_unit)
    ub, sb = normalise_unit(b_unit)
    sa *= a_scale
    sb *= b_scale
    if ua and ub and not units_compatible(ua, ub):
        return False
    if _close(a_value * sa, b_value * sb, rel_tol):
        return True
    if not ua or not ub:
        return _close(a_value, b_value, rel_tol)
    return False


def quantity_matches(q: Quantity, value: float, unit: str, rel_tol: float = 0.005) -> bool:
    """`same_value` for a parsed Quantity against a value and unit as a gold file prints them."""
    return same_value(q.value, q.unit, value, unit, rel_tol, a_scale=q.scale)


def scale_word(scale: float) -> str:
    """1e6 -> "triệu"; 1 -> "". A scale with no word is a programming error, not data."""
    if scale == 1:
        return ""
    for s, w in _SCALE_WORDS.items():
        if math.isclose(scale, s):
            return w
    raise ValueError(f"no Vietnamese scale word for {scale!r}")


def to_scale(value: float, scale_from: float, scale_to: float) -> float:
    """Re-express a value in another scale (10000 triệu -> 10 tỷ), without float noise."""
    x = value * scale_from / scale_to
    return float(f"{x:.12g}")


# --- parsing and formatting one number ---------------------------------------------------------

_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})+")


def parse_number(s: str) -> float | None:
    """A number as printed -> float, or None when it is not one. See the module doc for the rule."""
    if s is None:
        return None
    t = s.strip().replace("\u00a0", "")
    sign = 1.0
    if t[:1] in "+-−" and len(t) > 1:
        sign = -1.0 if t[0] != "+" else 1.0
        t = t[1:].strip()
    if not t or not re.fullmatch(r"\d[\d.,]*", t) or t[-1] in ".,":
        return None
    if t.isdigit():
        return sign * float(int(t))
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        grp = "," if dec == "." else "."
        intpart, _, frac = t.rpartition(dec)
        if grp in frac or dec in intpart or not frac.isdigit():
            return None
        if not _GROUPED.fullmatch(intpart) and not intpart.isdigit():
            return None
        if not intpart.isdigit() and _GROUPED.fullmatch(intpart).group(1) != grp:
            return None
        return sign * float(intpart.replace(grp, "") + "." + frac)
    sep = "." if dots else ","
    count = dots or commas
    if count > 1:
        return sign * float(t.replace(sep, "")) if _GROUPED.fullmatch(t) else None
    intpart, frac = t.split(sep)
    if sep == "," or len(frac) != 3 or not _GROUPED.fullmatch(t):
        # A decimal: Vietnamese comma, or an English point not followed by a 3-digit group.
        return sign * float(f"{intpart}.{frac}")
    return sign * float(intpart + frac)


def format_number(value: float, decimals: int | None = None) -> str:
    """Vietnamese style: "1.674.885", "12,5", "30,46"; whole floats print without decimals."""
    if decimals is None:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.{decimals}f}"
    if text in ("-0", ""):
        text = "0"
    neg = text.startswith("-")
    intpart, _, frac = text.lstrip("-").partition(".")
    grouped = f"{int(intpart):,}".replace(",", ".")
    out = grouped + ("," + frac if frac else "")
    return ("-" if neg and out.strip("0.,") else "") + out


def format_quantity(value: float, unit: str = "", scale: float = 1.0) -> str:
    """ "146 vị trí", "10.000 triệu đồng", "1,3 triệu tài khoản", "96,3%"."""
    num = format_number(value)
    unit, extra = normalise_unit(unit) if unit else ("", 1.0)
    word = scale_word(scale * extra)
    if unit == "%":
        return f"{num}%"
    if unit == "năm" and scale == 1.0 and value == int(value) and 1900 <= value <= 2100:
        return f"năm {int(value)}"  # a year asked ("thành lập năm nào"), never a span of 2.018 years
    return " ".join(p for p in (num, word, unit) if p)


# --- finding quantities in text ----------------------------------------------------------------

# A number token: digits with "." / "," groups. Not glued to a preceding word ("KV5", "VP2", "CoV-2").
_NUM_RE = re.compile(r"(?<![\w.,/])(?<![^\W\d_]-)\d+(?:[.,]\d+)*")
_DOCNUM_RE = re.compile(r"\d+(?:/\d+)*[/-](?:[^\W\d_]|&)[\w&./-]*")
_CLOCK_RE = re.compile(r"(?:[01]?\d|2[0-3])[:h][0-5]\d(?![\d.,:/])")  # "(25/11/2020, 15:06)": a time of day
_DMY_RE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")
_MY_RE = re.compile(r"(\d{1,2})[/-]((?:19|20)\d\d)(?!\d)")
_YEAR_RANGE_RE = re.compile(r"((?:19|20)\d\d)[ \t]*[-–][ \t]*((?:19|20)\d\d)(?!\d)")
_SLASH_RE = re.compile(r"(\d+(?:[.,]\d+)*)[ \t]?/[ \t]?(\d+(?:[.,]\d+)*)(?![\d/])")
_DASH_RE = re.compile(r"(\d+(?:[.,]\d+)*)[ \t]?[-–][ \t]?(\d+(?:[.,]\d+)*)(?![\d/])")
_ENUM_RE = re.compile(r"\(\d{1,2}\)")

# Words after which a number is a name, not an amount: dates, levels, ordinals, addresses, articles.
# … but a share or a decimal is never a year, month or ordinal: "vượt kế hoạch năm 18,18%"
_A_MEASURE = re.compile(r"\d+(?:[.,]\d{3})*(?:,\d{1,2}(?!\d))?[ \t]*%|\d+,\d{1,2}(?![\d.,])")
_SKIP_BEFORE = re.compile(
    r"(?:^|[\s(,;:])(?:năm|tháng|ngày|quý|tuần|thứ|mức độ|mức|cấp độ|level|phiên bản|version|giai đoạn|"
    r"điều|khoản|chương|mục|phụ lục|khóm|khoá|khóa|phường|ấp|tổ dân phố|khu phố|"
    r"kv|khu vực|lần thứ|top|bài)[ \t]*:?[ \t]*$",
    re.I,
)
# Words after which a number is a document's number unless a unit follows ("Nghị quyết số 09").
_DOC_BEFORE = re.compile(
    r"(?:^|[\s(,;:])(?:(?<!tổng )(?<!Tổng )số|nghị quyết|quyết định|kế hoạch|chỉ thị|thông tư|nghị định|"
    r"công văn|đề án|luật|tờ trình|thông báo|bão)[ \t]*$",
    re.I,
)
_SPAN_AFTER = re.compile(
    r"[ \t]+(?:(?:đầu|cuối)[ \t]+năm|năm[ \t]+(?:19|20)\d\d|qua\b|(?:19|20)\d\d)|[ \t]*/[ \t]*(?:19|20)\d\d",
    re.I,
)
# "đạt mức 18 thuê bao/100 dân", "ở mức 2,5 tỷ đồng": with its unit after it, a figure is an amount
_AMOUNT_AT = re.compile(r"(?:^|[\s,;(])(?:đạt|ở|lên|xuống)[ \t]+mức[ \t]*$", re.I)
_LEVEL_IN_PARENS = re.compile(r"\([ \t]*cấp[ \t]*$", re.I)
_CLOSING = re.compile(r"[ \t]*\)")
_LEVEL_BEFORE = re.compile(r"(?:^|[\s(,;:])(?:mức độ|mức|cấp độ)[ \t]*$", re.I)
_LEVEL_PAIR = re.compile(r"[1-4],[ \t]?[2-4](?![\d.,%])")
_NAME_LIST = re.compile(r"(?:[ \t]*,[ \t]*|[ \t]+và[ \t]+)\d{1,2}(?![\d.,/])")
_RANK_BEFORE = re.compile(r"(?:^|\s)thứ[ \t]*$", re.I)
# A place in a ranking printed without its field ("xếp hạng 20", "đứng thứ 10 cả nước"): the verb of
# ranking stands right before it, so it is no ordinal ("lần thứ 2") and no level ("mức độ 4").
_PLACE_BEFORE = re.compile(
    r"(?:^|[\s,;(])(?:(?:xếp|đứng|giữ|vươn lên|lên)[ \t]+(?:ở[ \t]+)?(?:vị trí[ \t]+)?(?:thứ hạng|hạng(?:[ \t]+thứ)?|thứ)|vị trí[ \t]+thứ"
    r"|(?:xếp|đứng|giữ)[ \t]+(?:ở[ \t]+)?vị trí)"
    r"[ \t]*$",
    re.I,
)
# "Xếp hạng chính quyền số: 44/63 tỉnh": a ranking's label and a colon before a fraction make it a place
# "xếp 58/63 tỉnh", "xã hội số hạng 55/63": "xếp" or "hạng" alone before a fraction places the province
_RANKED_FRACTION = re.compile(r"(?:^|[\s,;(])(?:xếp|hạng)[ \t]*$", re.I)
_RANK_LABEL = re.compile(
    r"(?:^|[\s,;(])(?:xếp hạng|thứ hạng)(?:[ \t]+[^\W\d_][^:;.\d\n]{0,40})?[ \t]*:[ \t]*$", re.I
)
# "giảm 20 hạng", "tăng 3 hạng": after a verb of change, "hạng" counts places moved, as "bậc" does
_MOVES = sorted((*load_lexicon().moves["lost"], *load_lexicon().moves["gained"]), key=len, reverse=True)
_MOVE_BEFORE = re.compile(rf"(?:^|[\s,;(])(?:{'|'.join(map(re.escape, _MOVES))})[ \t]+(?:thêm[ \t]+)?$", re.I)
_PLACES_MOVED = re.compile(r"[ \t]+hạng(?![\w/])", re.I)
# "… và thứ 7 cả nước về chỉ số hài lòng": "thứ" with the country after the number is a place, unless
# it counts times ("lần thứ 7 toàn quốc")
_NATIONWIDE_AFTER = re.compile(r"[ \t]+(?:(?:trong|trên)[ \t]+)?(?:cả[ \t]+nước|toàn[ \t]+quốc)\b", re.I)
_ORDINAL_BEFORE = re.compile(r"(?:^|\s)(?:lần|đợt|khóa|kỳ)[ \t]+thứ[ \t]*$", re.I)
_RANKING_WORDS = re.compile(r"(?i)xếp[ \t]+(?:hạng|thứ|vị trí)|đứng[ \t]+(?:thứ|vị trí)|thứ[ \t]+hạng")
_PROVINCE_UNITS = frozenset({"", "tỉnh", "tỉnh thành", "tỉnh, thành", "tỉnh, thành phố", "địa phương"})


def _in_a_ranking_list(text: str, start: int, a: float, b: float, unit: str) -> bool:
    """ "Thể chế số xếp hạng 6/63, nhận thức số 16/63, nhân lực số 28/63": in a sentence that ranks, a
    share of the provinces (63, 34 since 2025) is a place, each pillar's."""
    if b not in (63.0, 34.0) or not 1 <= a <= b or a != int(a) or unit not in _PROVINCE_UNITS:
        return False
    return bool(_RANKING_WORDS.search(text, start_before(text, start, "sentence"), start))


_ROUND_THE_CLOCK = re.compile(r"24[ \t]*/[ \t]*(?:7|24)")
_DAY_CONTEXT = re.compile(r"(?:ngày|quốc khánh|lễ|dịp|tết)\b", re.I)
_PHONE_BEFORE = re.compile(r"(?:điện thoại|đt|sđt|tel|fax|hotline|đường dây nóng)[ \t]*:?[ \t]*$", re.I)
_SECTION_LINE = re.compile(r"[ \t\-+*•]*")


def _year(v: float | None) -> bool:
    return v is not None and v == int(v) and 1900 <= v <= 2100


def _unit_after(text: str, pos: int) -> tuple[str, float, int]:
    """(canonical unit, scale, end) for the words printed after a number at `pos`."""
    scale = 1.0
    end = pos
    m = _GLUED_RE.match(text, pos)
    if m and m.group(1).lower() in _GLUED_UNITS:
        return _UNIT_ALIASES[m.group(1).lower()], 1.0, m.end()
    m = re.match(r"[ \t\u00a0]*%", text[pos : pos + 4])
    if m:
        return "%", 1.0, pos + m.end()
    m = _SCALE_RE.match(text, pos)
    if m:
        scale = SCALES[m.group(1).lower()]
        end = m.end()
    m = _UNIT_RE.match(text, end)
    if not m:
        return "", scale, end
    unit = _UNIT_ALIASES[m.group(1).lower()]
    end = m.end()
    if unit == "%":
        return unit, scale, end
    qualified = _QUALIFIED_DENSITY.match(text, end)
    # "78 thuê bao di động/100 dân": a density whose unit noun carries its kind before the base
    r = _RATE_RE.match(text, qualified.end() if qualified else end)
    if (
        r
        and (r.group(1) if qualified else True)
        and r.group(2).lower() in _RATE_DENOMS
        and (not r.group(1) or _PER_BASE.fullmatch(r.group(1)) or r.group(2).lower() in _POPULATION)
    ):
        denom = r.group(2).lower()
        unit = f"{unit}/{r.group(1)} {denom}" if r.group(1) and r.group(1) != "1" else f"{unit}/{denom}"
        end = r.end()
    return unit, scale, end


def _has_unit_after(text: str, pos: int) -> bool:
    unit, scale, _ = _unit_after(text, pos)
    return bool(unit) or scale != 1.0


def _glued_name(text: str, pos: int) -> bool:
    """Letters glued to the number that are not a unit: "5G", "25b", "4K". A unit noun the PDF's text
    lost its space before ("bình quân 3.037người/điểm phục vụ") is a unit: names are Latin letters."""
    m = _GLUED_RE.match(text, pos)
    if not m or m.group(1).lower() in _GLUED_UNITS:
        return False
    return not (not m.group(1).isascii() and _UNIT_RE.match(text, pos))


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order, with spans such that text[q.start:q.end] == q.raw.

    Spans never overlap. A fraction "161/788 trạm" gives two quantities (161 and 788, both in
    "trạm"); a rank "thứ 10/ 63 tỉnh" gives 10 in "thứ hạng" and 63 in "tỉnh".
    """
    out: list[Quantity] = []
    skip_until = 0

    def add(value: float, unit: str, scale: float, start: int, end: int) -> None:
        out.append(Quantity(value=value, unit=unit, scale=scale, raw=text[start:end], start=start, end=end))

    for m in _NUM_RE.finditer(text):
        start, end = m.start(), m.end()
        if start < skip_until:
            continue
        token = m.group()
        before = text[max(0, start - 40) : start]

        # Compounds that are names, consumed whole so their parts are not read again.
        d = _DOCNUM_RE.match(text, start)
        if d:
            skip_until = d.end()
            continue
        d = _DMY_RE.match(text, start) or _YEAR_RANGE_RE.match(text, start) or _CLOCK_RE.match(text, start)
        if d:
            skip_until = d.end()
            continue
        d = _MY_RE.match(text, start)
        if d and 1 <= int(d.group(1)) <= 12:
            skip_until = d.end()
            continue
        if start > 0 and text[start - 1] == "(" and _ENUM_RE.match(text, start - 1):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if _SECTION_LINE.fullmatch(text, line_start, start) and re.match(
            r"(?:\.\d+)*[.)](?:\s|\d|$)", text[end : end + 3]
        ):
            # "1.2. Lĩnh vực", "3)" at the head of a line: an outline number.
            sec = re.match(r"[\d.]*[.)]", text[start:])
            skip_until = start + (sec.end() if sec else len(token))
            continue
        if re.fullmatch(r"\d\.0", token):  # "4.0", "2.0": versions, never amounts in these reports
            continue
        digits = re.sub(r"\D", "", token)
        if (token.startswith("0") and len(digits) >= 9) or (
            _PHONE_BEFORE.search(before) and len(digits) >= 7
        ):
            continue
        if _glued_name(text, end):
            continue

        sl = _SLASH_RE.match(text, start)
        if sl and _ROUND_THE_CLOCK.fullmatch(sl.group()):
            skip_until = sl.end()  # "giám sát 24/7", "trực 24/24": round the clock, no figure
            continue
        if sl:
            a, b = parse_number(sl.group(1)), parse_number(sl.group(2))
            b_start = sl.start(2)
            if a is None or b is None:
                skip_until = sl.end()
                continue
            if _glued_name(text, sl.end()):
                skip_until = sl.end()
                continue
            unit, scale, uend = _unit_after(text, sl.end())
            if (
                _RANK_BEFORE.search(before)
                or _PLACE_BEFORE.search(before)
                or _RANK_LABEL.search(before)
                or _RANKED_FRACTION.search(before)
                or _in_a_ranking_list(text, start, a, b, unit)
            ):
                add(a, "thứ hạng", 1.0, start, sl.end(1))
                add(b, unit, scale, b_start, uend)
                skip_until = uend
                continue
            is_day = a == int(a) and b == int(b) and 1 <= a <= 31 and 1 <= b <= 12 and "/" in sl.group()
            if (
                is_day
                and not (unit or scale != 1.0)
                and (
                    _DAY_CONTEXT.search(before)
                    or re.match(r"[ \t]*năm\b", text[sl.end() : sl.end() + 8])
                    or (text[start - 1 : start] == "(" and text[sl.end() : sl.end() + 1] == ")")
                )
            ):
                skip_until = sl.end()
                continue
            if _SKIP_BEFORE.search(before) and (is_day or not unit or UNIT_CLASS.get(unit) == "time"):
                # "ngày 30/4", "năm 2020/2021"; but "số xã có báo đến trong ngày 156/159 xã" counts communes
                skip_until = sl.end()
                continue
            add(a, unit, scale, start, sl.end(1))
            add(b, unit, scale, b_start, uend)
            skip_until = uend
            continue

        dr = _DASH_RE.match(text, start)
        if dr:
            a, b = parse_number(dr.group(1)), parse_number(dr.group(2))
            if a is None or b is None:
                skip_until = dr.end()
                continue
            unit, scale, uend = _unit_after(text, dr.end())
            small = a == int(a) and b == int(b) and 1 <= a <= 31 and 1 <= b <= 12
            if _year(b) or (small and not unit and _DAY_CONTEXT.search(before)):
                skip_until = dr.end()  # "tháng 7-2021", "Quốc khánh 2-9"
                continue
            if not _SKIP_BEFORE.search(before) and not _glued_name(text, dr.end()):
                # A range "10-20%": both ends take the unit printed after the second.
                add(a, unit, scale, start, dr.end(1))
                add(b, unit, scale, dr.start(2), uend)
            skip_until = max(uend, dr.end())
            continue

        value = parse_number(token)
        if value is None:
            continue
        unit, scale, uend = _unit_after(text, end)
        if (
            not unit
            and scale == 1.0
            and value == int(value)
            and (
                _PLACE_BEFORE.search(before)
                or (
                    _RANK_BEFORE.search(before)
                    and not _ORDINAL_BEFORE.search(before)
                    and _NATIONWIDE_AFTER.match(text, end)
                )
            )
        ):
            add(value, "thứ hạng", 1.0, start, end)
            skip_until = end
            continue
        moved = _PLACES_MOVED.match(text, end) if not unit and _MOVE_BEFORE.search(before) else None
        if moved:
            add(value, "bậc", 1.0, start, moved.end())  # "giảm 20 hạng so với cùng kỳ": places lost
            skip_until = moved.end()
            continue
        if _LEVEL_IN_PARENS.search(before) and _CLOSING.match(text, end):
            continue  # "các xã, phường (cấp 4)": the tier's number, no count
        if _LEVEL_BEFORE.search(before) and _LEVEL_PAIR.match(text, start):
            skip_until = start + len(_LEVEL_PAIR.match(text, start).group())
            continue  # "DVC mức độ 3,4": two levels, no decimal
        if (
            _SKIP_BEFORE.search(before)
            and not _A_MEASURE.match(text, start)
            and not ((unit or scale != 1.0) and _AMOUNT_AT.search(before))
        ):
            # "mức độ 3, 4", "tháng 6 và 7": the names listed after the first are names too
            for more in _NAME_LIST.finditer(text, end):
                if more.start() != end or _has_unit_after(text, more.end()):
                    break
                end = skip_until = more.end()
            continue
        has_unit = bool(unit) or scale != 1.0
        if _DOC_BEFORE.search(before) and not has_unit:
            continue
        if _year(value) and token.isdigit() and len(token) == 4 and not has_unit:
            continue  # "so với 2023", "Tết Tân Sửu 2021"
        if unit == "tháng" and _SPAN_AFTER.match(text, uend):
            skip_until = uend
            continue  # "10 tháng đầu năm 2023", "6 tháng qua": the period a figure is of, not a figure
        add(value, unit, scale, start, uend)
        skip_until = uend
        second = _SECOND_FIGURE.match(text, uend) if unit else None
        n2 = _BARE_NUM.match(text, second.end()) if second else None
        if n2 is not None and (v2 := parse_number(n2.group())) is not None:
            unit2, scale2, uend2 = _unit_after(text, n2.end())
            if unit2 and not _glued_name(text, n2.end()):
                add(v2, unit2, scale2, n2.start(), uend2)
                skip_until = uend2

    return _propagate_ranges(text, out)


def _propagate_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """ "từ 10 đến 20 triệu đồng": the first number is in the unit printed after the second."""
    res = list(qs)
    for i in range(len(res) - 1, 0, -1):
        a, b = res[i - 1], res[i]
        if a.unit or a.scale != 1.0 or not (b.unit or b.scale != 1.0):
            continue
        if re.fullmatch(r"[ \t]*(?:đến|tới|-|–)[ \t]*", text[a.end : b.start], re.I):
            res[i - 1] = Quantity(a.value, b.unit, b.scale, a.raw, a.start, a.end)
    return res


# --- sentences and mentions --------------------------------------------------------------------

# Words right before a figure that qualify it ("ước đạt 10.000"); hedges stack after a verb ("ước đạt gần",
# "khoảng hơn"), the rest stand alone (rag/lexicon/cues.toml).
QUALIFIERS: tuple[str, ...] = load_lexicon().qualifiers
_HEDGES = load_lexicon().hedges
_FILLERS = {"có", "là", ":"}


@lru_cache(maxsize=1)
def _qualifiers_by_words() -> list[tuple[str, ...]]:
    return sorted((tuple(q.split()) for q in QUALIFIERS), key=len, reverse=True)


def _match_tail(words: list[str], phrases) -> tuple[str, int] | None:
    for p in phrases:
        if len(p) <= len(words) and tuple(words[-len(p) :]) == p:
            return " ".join(p), len(p)
    return None


def qualifier_before(text: str, pos: int) -> str:
    """The qualifier right before the number at `pos`: "ước đạt: 10.000" -> "ước đạt"."""
    window = text[max(0, pos - 60) : pos]
    window = re.split(r"[\n;.()]", window)[-1]
    words = [w for w in re.findall(r"[^\W\d_]+|:", window.lower())]
    while words and words[-1] in _FILLERS:
        words.pop()
    first = _match_tail(words, _qualifiers_by_words())
    if not first:
        return ""
    q, n = first
    rest = words[:-n]
    while rest and rest[-1] in _FILLERS:
        rest.pop()
    if q in _HEDGES:
        # Only hedges stack ("khoảng trên"); "đạt gần 55%" is qualified by "gần" alone.
        head = _match_tail(rest, [tuple(h.split()) for h in _HEDGES])
        if head and head[0] != q:
            return f"{head[0]} {q}"
    return q


_MAX_CLAUSE = 400


def _clause(text: str, start: int, end: int) -> str:
    """The clause holding the figure text[start:end] (rag.text.segment), a window of it when long."""
    s, e = span_at(text, start, "clause") or (start, end)
    e = max(e, end)
    if e - s > _MAX_CLAUSE:
        # Long list sentences: keep a window around the number, cut at spaces, verbatim.
        half = (_MAX_CLAUSE - (end - start)) // 2
        ws, we = max(s, start - half), min(e, end + half)
        if ws > s:
            sp = text.find(" ", ws, start)
            ws = sp + 1 if sp != -1 else ws
        if we < e:
            sp = text.rfind(" ", end, we)
            we = sp if sp != -1 else we
        s, e = ws, we
    return text[s:e].strip()


def _in_annotation(text: str, pos: int) -> bool:
    """Whether `pos` lies in a line wholly in square brackets: an editor's or a crawler's note ("[Ghi chú
    biên soạn: … 27 hai lần …]", "[Ảnh: …]"), whose figures are not the report's."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end == -1 else end].strip()
    return line.startswith("[") and line.endswith("]") and "]" not in line[:-1]


def extract_mentions(chunk: Chunk, doc_text: str | None = None) -> list[Mention]:
    """Every quantity in the chunk, with its sentence and qualifier; spans are in the document.

    With `doc_text`, the sentence is taken from the whole document, so a number near a chunk
    border still gets its full sentence.
    """
    qs = parse_quantities(chunk.text)
    if not qs:
        return []
    if doc_text is not None and doc_text[chunk.start : chunk.end] == chunk.text:
        base, offset = doc_text, chunk.start
    else:
        base, offset = chunk.text, 0
    from rag.text.injection import flag_at

    out = []
    for q in qs:
        s, e = q.start + offset, q.end + offset
        if _in_annotation(base, s):
            continue
        out.append(
            Mention(
                chunk_id=chunk.chunk_id,
                doc_id=chunk.doc_id,
                quantity=q,
                clause=_clause(base, s, e),
                start=chunk.start + q.start,
                end=chunk.start + q.end,
                qualifier=qualifier_before(base, s),
                section=chunk.section,
                flagged=flag_at(base, s),
            )
        )
    return out
