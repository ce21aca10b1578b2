"""What a question asks: its filters, the words that name the indicator, the unit it expects, and the
qualifiers that change the answer (planned vs achieved, cumulative vs in-period, part vs total, new).

Cues are written with diacritics and matched with them when the question has them ("mỗi" is not
"mới"); a question typed without diacritics is matched folded.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rag.answer.query import parse_question, strip_filter_phrases
from rag.core.types import Filters, Quantity
from rag.lexicon import load_lexicon
from rag.retrieve import tokenize
from rag.text.gazetteer import fold, fold_aligned
from rag.text.indicators import asked_refinements, kind_of, question_indicators
from rag.text.numbers import UNIT_CLASS, is_density, parse_quantities, unit_head

_LEX = load_lexicon()

# Question cues -> the unit the answer must carry. A share ("tỷ lệ", "bao nhiêu %") wins over any noun
# that follows ("tỷ lệ hồ sơ … là bao nhiêu" asks for a percentage, not for hồ sơ).
_PERCENT_CUES = _LEX.cues["percent"]
_MONEY_CUES = _LEX.cues["money"]

# "bao nhiêu <unit>", "mấy <unit>"; "(tổng) số <unit>" only where it opens the question or a clause
# ("Số DVC trực tuyến …"): in "chứng thư số cấp cho …" the "số" counts nothing. (folded pattern, the
# word as it must be spelled when the question has diacritics)
_COUNT_CUES = (
    (r"bao nhieu\s+", "bao nhiêu"),
    # typed without diacritics "may" is also "máy": "may phat", "may tang am" are machines, never "mấy"
    (r"(?<!\w)may\s+(?!(?:phat|tang\s+am)\b)", "mấy"),
    # not "Sở TTTT" typed without diacritics: the department, no count
    (r"(?:^|[:;,]\s*|(?<!\w)tong\s+)so\s+(?=\w)(?!(?:tt&tt|tttt|tt|thong tin)\b)", "số"),
)

# Words that make a question combine figures of several reports ("Nam Định cao hơn Ninh Thuận bao
# nhiêu", "tổng … của hai tỉnh"); each part's question loses them (`strip_comparison`).
_DIFFERENCE_CUES = _LEX.cues["difference"]
_SUM_CUES = _LEX.cues["sum"]
_SUM_NOT = _LEX.cues["sum_not"]

# Qualifier families, written with diacritics (see `has_cue`). A family present around a candidate
# number but absent from the question (or the reverse) signals the wrong figure: planned vs achieved,
# cumulative vs in-period, a change rate vs a level, a part vs the total.
_FAMILIES: dict[str, tuple[str, ...]] = dict(_LEX.families)

# Verbs of what a period did. Asked with one of them, a question wants the period's figure; a
# sentence that takes stock ("Toàn tỉnh hiện có … trạm 5G") does not hold it.
_FLOW_CUES = _LEX.cues["flow"]
# Running-total cues that are not also "as of" a date ("lũy kế", "cộng dồn", "từ đầu năm").
_RUNNING_CUES = tuple(c for c in _FAMILIES["cumulative"] if c not in _LEX.cues["as_of"])


@dataclass(frozen=True)
class QuestionInfo:
    """What the answerer understood: shown to the user and recorded with the answer."""

    text: str
    filters: Filters
    terms: tuple[str, ...]
    expected_unit: str = ""
    expected_scale: float = 1.0
    families: tuple[str, ...] = ()
    operation: str = ""  # "" | "difference" | "sum" for questions that combine figures
    modifiers: tuple[str, ...] = ()  # the words right after the asked unit: "trạm BTS ⟨4G⟩"
    # What retrieval looks for: the question less its province and period phrases, which the filters
    # enforce (left in, they pull up every report's letterhead and closing line), abbreviations expanded.
    search_text: str = ""
    # Catalogued indicators the question names (rag.text.indicators), fitting the unit it asks for.
    indicators: tuple[str, ...] = ()
    # Their refining qualifiers the question names: "kinh tế số" of "DTI … xếp thứ mấy"
    refinements: tuple[str, ...] = ()
    # Figures the question itself prints, with the word before each ("tổng đài 19001075", "cấp 2"): printed
    # after that word in a report too, they name what is asked about, never the answer
    printed: tuple[tuple[float, str], ...] = ()
    # The two things a question adds up within one report ("doanh thu bưu chính và viễn thông cộng lại"):
    # their folded words. Only a figure printed of both answers; none is computed.
    joined: tuple[tuple[str, ...], ...] = ()
    # The period of the report the question names as its source, when it asks a figure of another period
    # ("cùng kỳ năm 2019 … trong báo cáo tổng hợp năm 2020"): `Asker` looks in that report.
    reported_in: tuple[str, ...] = ()
    # The period of every report the question names as its source: a report the index lacks answers
    # nothing, whatever other report prints the figure.
    report_named: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_dict(),
            "terms": list(self.terms),
            "expected_unit": self.expected_unit,
            "expected_scale": self.expected_scale,
            "families": list(self.families),
            "modifiers": list(self.modifiers),
            "operation": self.operation,
            "indicators": list(self.indicators),
            "refinements": list(self.refinements),
            "printed": list(self.printed),
            "joined": [list(side) for side in self.joined],
            "reported_in": list(self.reported_in),
            "report_named": list(self.report_named),
        }


def has_diacritics(text: str) -> bool:
    return fold(text) != " ".join(text.lower().split())


@functools.lru_cache(maxsize=4096)
def _cue_re(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


def _says_any(question: str, cues: tuple[str, ...] | list[str]) -> bool:
    """Whether the question holds one of `cues`, as typed (with diacritics) or folded (without)."""
    plain = not has_diacritics(question)
    hay = normalise_for_cues(question, plain)
    return any(has_cue(hay, c, plain) for c in cues)


def compares(question: str) -> bool:
    """Whether a question compares figures ("… hơn … bao nhiêu", "chênh lệch"; cues.toml difference)."""
    return _says_any(question, _DIFFERENCE_CUES)


def normalise_for_cues(text: str, plain: bool) -> str:
    """The form `has_cue` searches: folded for text typed without diacritics, else lowercase NFC."""
    if plain:
        return fold(text)
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def has_cue(hay: str, cue: str, plain: bool) -> bool:
    """Whether `cue` (written with diacritics) is a whole word or phrase of `hay` (from
    `normalise_for_cues`). Text typed with diacritics must carry the cue's own marks, so "mỗi" (each)
    is not "mới" (new) and "giáo dục" is not "giao"; text typed without them is matched folded."""
    return _cue_re(fold(cue) if plain else cue).search(hay) is not None


def says_a_flow_verb(text: str, plain: bool = False) -> bool:
    """Whether `text` says a verb of what a period did ("lắp đặt", "tiếp nhận": cues.toml `flow`)."""
    hay = normalise_for_cues(text, plain)
    return any(has_cue(hay, c, plain) for c in _FLOW_CUES)


def families_in(text: str, plain: bool = False) -> set[str]:
    return set(_families_in(text, plain))


# Candidates ask the same sentences again for every question (a table asks one per report): cached.
@functools.lru_cache(maxsize=32768)
def _families_in(text: str, plain: bool) -> frozenset[str]:
    hay = normalise_for_cues(text, plain)
    out = []
    for name, cues in _FAMILIES.items():
        own = hay
        for phrase in _LEX.families_not.get(name, ()):  # "mới chỉ có": only, not new
            own = _cue_re(fold(phrase) if plain else phrase).sub(" ", own)
        if any(has_cue(own, c, plain) for c in cues):
            out.append(name)
    return frozenset(out)


@functools.lru_cache(maxsize=32768)
def runs_a_total(text: str, plain: bool = False) -> bool:
    """Whether `text` names a running total since a start ("lũy kế", "từ đầu năm", "cộng dồn"), not
    only a date a figure stands at ("tính đến 31/12/2020", "đến nay": a level as of then)."""
    hay = normalise_for_cues(text, plain)
    return any(has_cue(hay, c, plain) for c in _RUNNING_CUES)


def asks_growth(question: str) -> bool:
    """Whether a question asks how much a figure grew ("tăng bao nhiêu", "tăng trưởng"; cues.toml
    across.growth), which reports print themselves ("tăng 8% so với cùng kỳ"), rather than a level."""
    return _says_any(question, _GROWTH)


_GROWTH = _LEX.across["growth"]


def _unit_after_words(question: str, start: int, plain: bool) -> tuple[str, float, int] | None:
    """The unit noun that starts at `start` in the question, and where it ends.

    With diacritics the noun must be spelled as a unit is ("tổ" is not "tờ"); a question typed
    without them is matched folded.
    """
    from rag.text.numbers import _UNIT_ALIASES, normalise_unit, parse_quantities

    # "bao nhiêu DN (doanh nghiệp)": the expansion names the unit, the abbreviation may not
    abbr = re.match(r"[\w&-]+ \(([^()]+)\)", question[start:])
    if abbr:
        got = _unit_after_words(
            question[: start + abbr.start(1)] + abbr.group(1), start + abbr.start(1), plain
        )
        if got:
            return got[0], got[1], start + abbr.end()
    qs = parse_quantities("1 " + question[start : start + 40])
    if qs and qs[0].start == 0 and qs[0].unit:
        end = start + qs[0].end - 2
        return None if _dates(qs[0].unit, question, end) else (qs[0].unit, qs[0].scale, end)
    if not plain:
        return None
    folded = " ".join(re.sub(r"[^\w\s%]", " ", fold(question[start : start + 40])).split())
    best = ""
    for alias in _UNIT_ALIASES:
        fa = fold(alias)
        if len(fa) > len(fold(best)) and (folded == fa or folded.startswith(fa + " ")):
            best = alias
    if best:
        unit, scale = normalise_unit(best)
        return None if _dates(unit, question, start + len(best)) else (unit, scale, start + len(best))
    return None


_PERIOD_NUMBER = re.compile(r"\s*(?:\d|[IVX]+\b)")


def _dates(unit: str, question: str, end: int) -> bool:
    """Whether a time unit after "bao nhiêu" is the period its number names, not the unit asked: "nộp ngân
    sách bao nhiêu năm 2016", "được bao nhiêu tháng 6"."""
    return UNIT_CLASS.get(unit) == "time" and _PERIOD_NUMBER.match(question, end) is not None


# Nouns after "bao nhiêu"/"số" that still ask for money ("số tiền", "bao nhiêu vốn"), folded.
_MONEY_NOUNS = re.compile(r"(?:tien|von|kinh phi|ngan sach|doanh thu|dong|ty|trieu|nghin)(?![a-z0-9])")


def _counts_a_thing(folded: str, start: int) -> bool:
    """Whether a count cue ending at `start` is followed by a noun that is not money."""
    rest = folded[start:].lstrip()
    # "bị phạt bao nhiêu mỗi người": a rate per person, no count of people
    return (
        bool(re.match(r"[a-z]", rest))
        and not _MONEY_NOUNS.match(rest)
        and not _PER.match(rest)
        and not _A_PERIOD.match(rest)
        and not _NO_NOUN.match(rest)
    )


_PER = re.compile(r"(?:moi|mot)\s")
# "bị phạt tổng cộng bao nhiêu vì vi phạm …": a clause goes on, no noun is counted
_NO_NOUN = re.compile(
    r"(?:vi|do|trong|tai|o|so\s+voi|de|khi|theo|cua|cho|tu|den|voi|la|tren|nhu|va|hay|neu)\b"
)
# "nộp ngân sách bao nhiêu năm 2016": the period asked follows, no noun counted
_A_PERIOD = re.compile(r"(?:nam|thang|quy|ngay)\s*(?:\d|[ivx]+\b)")


def _expected_unit_span(question: str, plain: bool | None = None) -> tuple[str, float, tuple[int, int]]:
    question = unicodedata.normalize("NFC", question)
    if plain is None:
        plain = not has_diacritics(question)
    hay = normalise_for_cues(question, plain)
    if any(has_cue(hay, c, plain) for c in _PERCENT_CUES) or "%" in question:
        return "%", 1.0, (0, 0)
    # "cong suat may phat … (W)", "… doanh thu (tỷ đồng)?": the unit asked, put in brackets at the end
    closing = re.search(r"\(\s*([^()\d]{1,15}?)\s*\)\W*$", question)
    if closing:
        got = _unit_after_words(question, closing.start(1), plain)
        if got and got[2] >= closing.end(1):
            return got[0], got[1], (closing.start(1), got[2])
    f = fold_aligned(question).lower()  # same offsets as the question, so a match indexes into it
    # "bao nhiêu <unit>", "mấy <unit>"; "(tổng) số <unit>" only where it opens the question or a
    # clause ("Số DVC trực tuyến …"): in "chứng thư số cấp cho …" the "số" counts nothing.
    counted = False  # "xử phạt bao nhiêu doanh nghiệp": a count of firms, though "xử phạt" speaks of money
    for pattern, spelled in _COUNT_CUES:
        for m in re.finditer(pattern, f):
            if not plain and spelled not in question[m.start() : m.end()].lower():
                continue  # folded alike, but "máy" is not "mấy" and "hồ sơ" is not "số"
            got = _unit_after_words(question, m.end(), plain)
            if got:
                return got[0], got[1], (m.end(), got[2])
            if _counts_a_thing(f, m.end()):
                counted = True
    if not counted and has_cue(hay, "tăng trưởng", plain) and not has_cue(hay, "bao nhiêu", plain):
        # "Tăng trưởng doanh thu BC-CP Nam Định 2024": a rate, as typed in a search box
        return "%", 1.0, (0, 0)
    if not counted:
        for noun, unit in _LEX.measures.items():
            if has_cue(hay, noun, plain):
                return unit, 1.0, (0, 0)  # "máy tăng âm có công suất bao nhiêu?": watts
    # "Nộp ngân sách … tăng bao nhiêu?": the growth of an amount, which reports print as a share as
    # often as an amount ("tăng 38% so với năm 2023")
    if not counted and any(has_cue(hay, c, plain) for c in _MONEY_CUES) and not asks_growth(question):
        scale = 1e9 if has_cue(hay, "tỷ đồng", plain) else 1e6 if has_cue(hay, "triệu đồng", plain) else 1.0
        return "đồng", scale, (0, 0)
    return "", 1.0, (0, 0)


# not "điểm phần trăm", percentage points: a unit of its own
_PERCENT_WORDS = re.compile(r"(?i)(?<!điểm )(?<!diem )(?<!\w)ph(?:ầ|a)n\s+tr(?:ă|a)m(?!\w)")


def understand(question: str, extra: Filters | None = None, synonyms: bool = False) -> QuestionInfo:
    """`synonyms`: name the question's indicators with the lexicon's synonyms read as their canon (a
    table cell, which holds its indicator or nothing)."""

    question = drop_exclusions(drop_chat(spell_out_shorthand(question)))
    q = parse_question(question)
    filters = q.filters
    if extra is not None:
        filters = Filters(
            provinces=extra.provinces or filters.provinces,
            periods=extra.periods or filters.periods,
            kinds=extra.kinds or filters.kinds,
            doc_ids=extra.doc_ids or filters.doc_ids,
        )
    # Typed without diacritics, the question stays "plain" though the expansion of "TTHC" adds some.
    plain = not has_diacritics(question)
    expanded = unicodedata.normalize("NFC", expand_abbreviations(question))
    unit, scale, (us, ue) = _expected_unit_span(expanded, plain)
    # The unit noun itself qualifies nothing: "bao nhiêu chỉ tiêu" asks for a count of targets, not
    # for a planned figure.
    asked = families_in(expanded[:us] + " " + expanded[ue:], plain)
    flow_verb = says_a_flow_verb(question, plain)
    if "cumulative" in asked and not flow_verb and "new" not in asked:
        if not runs_a_total(question, plain):
            asked.discard("cumulative")  # "… trên mạng tính đến quý IV/2024": a stock as of then
    if not asked & {"stock", "total", "cumulative"} and flow_verb:
        asked.add("flow")  # "quý I lắp đặt được bao nhiêu trạm 5G": what the period did, not what exists
    folded_question = fold(question)
    folded_expanded = fold(expanded)
    if "plan" in asked and _PLAN_DOCUMENT.search(folded_expanded):
        # "Theo kế hoạch UBND tỉnh ký ngày 30/10/2023, … đứng thứ mấy": the plan names the document
        # asked about, not a planned figure
        if not families_in(_PLAN_DOCUMENT.sub(" ", folded_expanded), True) & {"plan"}:
            asked.discard("plan")
    if _OVER_PLAN_ASKED.search(folded_question):
        asked.add("change")  # "vượt kế hoạch bao nhiêu máy": the excess over the plan, not the plan
    families = tuple(sorted(asked))
    modifiers: tuple[str, ...] = ()
    if ue:
        after = _MODIFIER_STOP.split(fold(strip_filter_phrases(expanded[ue:])), maxsplit=1)[0]
        modifiers = tuple(t for t in tokenize(after)[:3] if "_" not in t)
    if _RANK_ASKED.search(folded_question):
        # "Tỷ trọng KTS Phú Thọ đứng thứ mấy cả nước?" asks a place, not the share its words name
        unit, scale = "thứ hạng", 1.0
    elif _PLACES_MOVED_ASKED.search(folded_question):
        unit, scale = "bậc", 1.0  # "tụt mấy hạng so với 2021": places lost, printed "giảm 20 bậc"
    density = re.search(r"(?i)100\s+(?:ng[ưu][ờo]i\s+)?d[âa]n|m[ậa]t\s+đ[ộo]|mat do", question)
    # "gấp bao nhiêu lần": a ratio of two densities, no density itself
    if unit and unit not in UNIT_CLASS and unit != "lần" and density and not is_density(unit):
        unit = unit + "/100 dân"  # "cứ 100 dân có bao nhiêu thuê bao": a density, not a count
    elif (
        not unit
        and density
        and re.search(
            r"(?i)thu[êe] bao|\bTB\b|đi[ệe]n tho[ạa]i|dien thoai|internet|b[ăa]ng r[ộo]ng", question
        )
    ):
        unit = "thuê bao/100 dân"  # "mật độ thuê bao … là bao nhiêu trên 100 dân"
    op = ""
    if len(filters.provinces) > 1 or len(filters.periods) > 1:
        if compares(question):
            op = "difference"
        elif unit != "%" and _says_any(_without_cues(question, _SUM_NOT), _SUM_CUES):
            op = "sum"  # shares do not add up: "tỷ lệ … của hai tỉnh" is two answers, not one
    stripped = strip_filter_phrases(question)
    named = stripped if re.search(r"\w\w", stripped) else question  # a question of filters only keeps all
    indicator = expand_abbreviations(stripped)
    search_text = expand_abbreviations(named)
    if unit == "%":
        # "bao nhiêu phần trăm hồ sơ …" names the unit to answer in, which reports print as "%": its
        # words are no words of the passage (and "trăm" folds as "trạm" does)
        indicator = _PERCENT_WORDS.sub(" % ", indicator)
    terms = tuple(dict.fromkeys(tokenize(indicator, query=True)))
    if unit == "đồng":
        # "bao nhiêu tỷ đồng" names the scale to answer in, not words of the passage: a report may
        # print the same amount in triệu đồng.
        terms = tuple(t for t in terms if not set(t.split("_")) <= _MONEY_WORDS)
    asked = Quantity(0.0, unit, scale, "", 0, 0) if unit else None
    # Names are looked for as typed and with abbreviations spelled out ("TB di động", "DTI").
    spelled_out = named + " . " + expand_abbreviations(named, keep=False)
    # "HS TTHC có thanh toán online" is named fully only once its words are read as the reports' ("trực
    # tuyến"); what the words as typed name stays
    typed = question_indicators(spelled_out, asked, synonyms=synonyms)
    read = typed if synonyms else question_indicators(spelled_out, asked, synonyms=True)
    indicators = tuple(dict.fromkeys([*typed, *read]))
    if op == "sum" and len(filters.provinces) <= 1 and indicators:
        if all(kind_of(i) in ("stock", "rate") for i in indicators):
            # "tổng thuê bao … cùng kỳ năm 2019 … báo cáo năm 2020": what exists at two times adds up to
            # nothing; "tổng" names the indicator, and each year is a figure of its own
            op = ""
    joined = () if op else _joined(stripped)
    if joined and "total" not in families:
        families = tuple(sorted((*families, "total")))  # a sum is a total of what it adds
    return QuestionInfo(
        question,
        filters,
        terms,
        unit,
        scale,
        families,
        op,
        modifiers,
        search_text,
        indicators,
        asked_refinements(spelled_out, indicators),  # "KTS … hạng mấy" asks the digital-economy pillar
        _printed(stripped),
        joined,
        q.reported_in,
        q.report_named,
    )


# "… cộng lại", "cộng chung", "gộp lại", "cả hai": a sum asked (folded); "A và B", "A + B": its terms
_SUM_WITHIN = re.compile(r"(?<!\w)(?:cong lai|cong chung|gop lai|cong gop|tinh gop|ca hai)(?!\w)")
# "bưu chính cộng viễn thông": typed with diacritics, a "cộng" between two words joins and sums
# (not "tổng cộng", "cộng lại", "cộng đồng"; folded, "cộng" would be "công")
_PLUS_WORD = re.compile(r"(?<!tổng )(?<=\w )cộng(?= \w)(?! (?:lại|chung|gộp|đồng|dồn|cả)(?!\w))")
_JOINER = re.compile(r"(?<!\w)và(?!\w)|\+|" + _PLUS_WORD.pattern)
_NAMES_WITH_AND = re.compile(r"(?<!\w)thông tin và truyền thông(?!\w)|tt ?& ?tt")


def _joined(question: str) -> tuple[tuple[str, ...], ...]:
    """The folded words of the two things a question adds up in one report ("Tổng doanh thu ⟨bưu chính⟩
    và ⟨viễn thông⟩ … cộng lại"): up to two words either side of the joiner; () when no sum is asked."""
    from rag.retrieve import tokenize

    text = _NAMES_WITH_AND.sub(" ", unicodedata.normalize("NFC", question).lower())
    if not has_diacritics(text):
        text = re.sub(r"(?<!\w)va(?!\w)", "và", text)
    if not (_SUM_WITHIN.search(fold(text)) or _PLUS_WORD.search(text)):
        return ()
    for j in _JOINER.finditer(text):
        before = [t for t in tokenize(text[: j.start()]) if "_" not in t][-2:]
        after = [t for t in tokenize(text[j.end() :]) if "_" not in t][:2]
        if before and after:
            return (tuple(before), tuple(after))
    return ()


def _printed(question: str) -> tuple[tuple[float, str], ...]:
    """The question's own figures and the folded word before each (a date's day and month are not the
    word before anything: "(1/8–31/8)" gives none)."""
    out = []
    for q in parse_quantities(question):
        words = re.findall(r"[^\W\d_]+|\S", fold(question[: q.start]).lower())
        if words and words[-1].isalpha():
            out.append((q.value, words[-1]))
        if q.unit:
            # "trong 33 nhiệm vụ …, đã xong mấy nhiệm vụ": a count the question gives is no answer to it
            out.append((q.value, given_key(q.unit)))
    return tuple(out)


def given_key(unit: str) -> str:
    """The key under which `printed` holds a figure the question gives with its unit noun."""
    return "unit:" + fold(unit_head(unit)).lower()


_PLAN_DOCUMENT = re.compile(r"\btheo\s+ke\s+hoach\s+(?=so\b|\d|ubnd|cua\b|ky\b|ban hanh|da ky)")
_OVER_PLAN_ASKED = re.compile(r"\bvuot\s+(?:so\s+voi\s+)?(?:ke\s+hoach|chi\s+tieu|muc\s+tieu)\b")

# not "doanh thu bao nhiêu", "nguồn thu", "tổng thu": revenue, which folds to the same "thu"
# nor "năm/lần/kỳ/đợt thứ mấy": which of a series, no place in a ranking
_RANK_ASKED = re.compile(
    r"\b(?<!doanh )(?<!nguon )(?<!tong )(?<!nam )(?<!lan )(?<!ky )(?<!dot )(?:thu|hang|vi tri thu)\s+(?:may|bao nhieu)\b"
)

_PLACES_MOVED_ASKED = re.compile(
    r"\b(?:"
    + "|".join(re.escape(fold(v).lower()) for k in ("lost", "gained") for v in _LEX.moves[k])
    + r")\s+(?:them\s+)?(?:may|bao nhieu)\s+(?:hang|bac)\b"
)

_MONEY_WORDS = frozenset({"ty", "trieu", "nghin", "ngan", "dong", "vnd"})

# Where the words qualifying the asked unit stop: "bao nhiêu trạm 4G ⟨của⟩ Hải Dương", "⟨đã⟩ …".
_MODIFIER_STOP = re.compile(
    r"[?,.;:()]|\b(?:cua|tai|o|tren|theo|trong|nam|thang|quy|da|duoc|la|dat|co|den|tu|vao|cho|hien|dang|va)\b"
)


# Abbreviations officials type and reports print; both forms go into the query so either matches.
ABBREVIATIONS: dict[str, str] = dict(_LEX.expansions)
_ABBR = re.compile(
    r"(?<![\w&-])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&-])"
)


def _without_cues(question: str, phrases: tuple[str, ...]) -> str:
    """`question` with these phrases blanked (folded match, same length): "báo cáo tổng hợp" says no "tổng"."""
    question = unicodedata.normalize("NFC", question)
    folded = fold_aligned(question).lower()
    keep = [True] * len(question)
    for phrase in phrases:
        for m in _cue_re(fold(phrase)).finditer(folded):
            keep[m.start() : m.end()] = [False] * (m.end() - m.start())
    return "".join(c if k else " " for c, k in zip(question, keep, strict=True))


def strip_comparison(question: str) -> str:
    """One part of a combined question asks for one plain figure: the comparison words go (not the "tổng"
    of "báo cáo tổng hợp", which names a report)."""
    question = unicodedata.normalize("NFC", question)
    folded = fold_aligned(_without_cues(question, _SUM_NOT)).lower()
    keep = [True] * len(question)
    for cue in sorted((*_DIFFERENCE_CUES, *_SUM_CUES, "so với"), key=len, reverse=True):
        for m in _cue_re(fold(cue)).finditer(folded):
            keep[m.start() : m.end()] = [False] * (m.end() - m.start())
    return "".join(c if k else " " for c, k in zip(question, keep, strict=True))


_SHORTHAND = _LEX.shorthand
_SHORT = (
    re.compile(
        r"(?<![\w&])(" + "|".join(map(re.escape, sorted(_SHORTHAND, key=len, reverse=True))) + r")(?![\w&])"
    )
    if _SHORTHAND
    else None
)


# after a comma or a bracket: "số hồ sơ không phải bổ sung" names an indicator, ", không phải tỷ lệ" sets one aside
_EXCLUDED = re.compile(
    r"(?<=[,(;–-])\s*(?:"
    + "|".join(re.escape(fold(c).lower()) for c in sorted(_LEX.cues["excluded"], key=len, reverse=True))
    + r")(?!\w)[^,;:()\[\]?.!]*"
)


_CHAT_TYPED = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(c) for c in sorted(_LEX.cues["chat"], key=len, reverse=True))
    + r")(?!\w)"
)
_CHAT_FOLDED = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(fold(c)) for c in sorted(_LEX.cues["chat"], key=len, reverse=True) if " " in c)
    + r")(?!\w)"
)


# "… bao nhiêu cơ quan em?", "… được bao nhiêu anh nhé": the person addressed, closing the question
_ADDRESSED = re.compile(r"(?<!trẻ)\s(em|anh|chị)(?=\s*(?:[?.!,]|$))")


def drop_chat(text: str) -> str:
    """The question without the words of a chat message that ask nothing ("Em ơi", "vậy em", "nhé"):
    they are no words of any report, and leave the asked words a smaller share of the question."""
    text = unicodedata.normalize("NFC", text)
    lowered = text.lower()
    if len(lowered) != len(text):
        return text
    spans = [m.span() for m in _CHAT_TYPED.finditer(lowered)]
    spans += [m.span() for m in _CHAT_FOLDED.finditer(fold_aligned(lowered))]
    spans += [m.span(1) for m in _ADDRESSED.finditer(lowered)]
    keep = [True] * len(text)
    for a, b in spans:
        keep[a:b] = [False] * (b - a)
    # what is left opens the question ("Đề nghị cung cấp số hồ sơ …" asks "số hồ sơ …")
    return "".join(c for c, k in zip(text, keep, strict=True) if k).lstrip(" ,:")


def drop_exclusions(text: str) -> str:
    """The question without what it says it does not ask: "(số trạm, không phải tỷ lệ)" asks the count,
    and the share's words must not make the share's sentence the better match."""
    text = unicodedata.normalize("NFC", text)
    folded = fold_aligned(text).lower()  # one char for one char: a match's span is the text's span
    return _splice(text, [(m.start(), m.end(), "") for m in _EXCLUDED.finditer(folded)])


def _splice(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) span replaced, in order of start; a span that starts
    inside one already replaced is left out."""
    out, last = [], 0
    for start, end, replacement in sorted(spans):
        if start < last:
            continue
        out += [text[last:start], replacement]
        last = end
    return "".join(out) + text[last:]


_CONTEXTUAL = [
    (
        re.compile(
            rf"(?<![\w&-]){re.escape(key)}(?=\s+(?:"
            + "|".join(re.escape(fold(w).lower()) for w in sorted(before, key=len, reverse=True))
            + r")(?![\w&]))"
        ),
        means,
    )
    for key, (means, before) in _LEX.contextual.items()
]


_ENGLISH_WORDS = {**_LEX.english, **{w: f"{w} ({v})" for w, v in _LEX.english_kept.items()}}
_ENGLISH = re.compile(
    r"(?<![\w&-])("
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_ENGLISH_WORDS, key=len, reverse=True))
    + r")(?![\w&-])",
    re.IGNORECASE,
)


# A year spoken into a phone and transcribed: "năm hai không hai mốt" (2021), "hai nghìn không trăm hai
# mươi tư" (2024). Folded digit words; "mốt", "tư", "lăm" are how 1, 4, 5 are said after the first.
_DIGIT_WORDS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9,
}  # fmt: skip
_DIGIT = "(?:" + "|".join(_DIGIT_WORDS) + ")"
_SPOKEN_YEAR = re.compile(rf"(?<![\w])(?:nam\s+)?((?:mot|hai)(?:\s+{_DIGIT}){{3}})(?![\w])")
_SPOKEN_THOUSANDS = re.compile(
    rf"(?<![\w])(?:nam\s+)?hai\s+(?:nghin|ngan)\s+khong\s+tram\s+(?:(muoi)|({_DIGIT})\s+muoi)(?:\s+({_DIGIT}))?(?![\w])"
)


def _spoken_years(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, "năm 2021") of each year said in words in a text folded one char for one char: only
    those that read as 1990–2039."""
    out = []
    pos = 0
    while (m := _SPOKEN_YEAR.search(folded, pos)) is not None:
        year = int("".join(str(_DIGIT_WORDS[w]) for w in m.group(1).split()))
        if 1990 <= year <= 2039:
            out.append((m.start(), m.end(), f"năm {year}"))
            pos = m.end()
        else:  # "tháng hai năm hai không hai mốt": the month's "hai" starts no year
            pos = folded.find(" ", m.start() + 1) + 1 or len(folded)
    for m in _SPOKEN_THOUSANDS.finditer(folded):
        tens = 1 if m.group(1) else _DIGIT_WORDS[m.group(2)]
        year = 2000 + tens * 10 + (_DIGIT_WORDS[m.group(3)] if m.group(3) else 0)
        if year <= 2039:
            out.append((m.start(), m.end(), f"năm {year}"))
    return out


def spell_out_shorthand(text: str) -> str:
    """The question with chat shorthand spelled out ("nhận bn HS" -> "nhận bao nhiêu HS"), and the
    abbreviations that mean one thing before certain words ("DT viễn thông" -> "doanh thu viễn thông")."""
    text = unicodedata.normalize("NFC", text)
    # spelled as typed: a question typed without diacritics stays so ("bn" is "bao nhieu" there), or
    # its other words would be read as if they carried marks they were never given ("hon" is not "hơn")
    plain = not has_diacritics(text)
    folded = fold_aligned(text).lower()  # one char for one char: a match's span is the text's span
    spans = [(m.start(), m.end(), _SHORTHAND[m.group(1)]) for m in _SHORT.finditer(folded)] if _SHORT else []
    for pattern, means in _CONTEXTUAL:
        spans += [(m.start(), m.end(), means) for m in pattern.finditer(folded)]
    spans += [
        (m.start(), m.end(), _ENGLISH_WORDS[" ".join(m.group(1).lower().split())])
        for m in _ENGLISH.finditer(text)
    ]
    spans += _spoken_years(folded)
    return _splice(text, [(a, b, fold(spelled) if plain else spelled) for a, b, spelled in spans])


def expand_abbreviations(text: str, keep: bool = True) -> str:
    """The question with each known abbreviation followed by its expansion ("TB" -> "TB (thuê bao)"),
    or replaced by it (`keep=False`: "TB di động" -> "thuê bao di động", for matching names)."""
    text = unicodedata.normalize("NFC", text)
    folded = fold_aligned(text).lower()  # one char for one char: a match's span is the text's span
    spans = []
    for m in _ABBR.finditer(folded):
        meaning = ABBREVIATIONS[m.group(1)]
        spans.append((m.start(), m.end(), f"{text[m.start() : m.end()]} ({meaning})" if keep else meaning))
    return _splice(text, spans)
