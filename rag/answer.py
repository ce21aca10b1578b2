"""From a question to an `Answer`: understand the question, retrieve, pick the number, ground it.

The default answerer is extractive and deterministic: every number mention in the retrieved passages is
a candidate, scored by how well the words right around it match the question, whether its unit fits
the unit asked for, and whether its qualifiers (planned/achieved, cumulative/in-period, part/total,
change-rate) agree with the question. Below a calibrated score it abstains. An LLM, when configured,
may answer instead, but its answer is kept only if its quote is in the cited passage and its number is
in the quote (see `rag.llm`).
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from .config import Settings
from .gazetteer import fold
from .retrieve import Retriever, tokenize
from .types import Answer, Citation, Filters, Hit, Mention

# Below this the best candidate is too weak to state as a fact. Calibrated on the dev gold and the
# generated corpus (see eval/NOTES.md): it separates the worst correct answers from most unanswerables.
ABSTAIN_BELOW = 1.094
# When a different figure scores within this of the best, the passages do not settle which one is
# asked for: the answer is "ambiguous" and shows both, rather than a coin toss stated as fact.
AMBIGUOUS_WITHIN = 0.092
# A part of a combined question ("Nam Định … cao hơn Ninh Thuận … bao nhiêu") names its indicator and
# its one report outright, but its wording serves two reports at once and scores lower: a part may be
# answered a little under the threshold when no other figure comes near it. Set by hand (the dev gold
# has four combined questions; too few to fit), and the whole is still "not found" if a part is.
PART_SLACK = 0.25
PART_CLEAR_LEAD = 0.5
N_PASSAGES = 8

# Question cues -> the unit the answer must carry. A share ("tỷ lệ", "bao nhiêu %") wins over any noun
# that follows ("tỷ lệ hồ sơ … là bao nhiêu" asks for a percentage, not for hồ sơ).
_PERCENT_CUES = ("tỷ lệ", "tỉ lệ", "phần trăm", "bao nhiêu %", "mấy %")
_MONEY_CUES: tuple[str, ...] = (
    "doanh thu",
    "kinh phí",
    "giải ngân",
    "ngân sách",
    "tổng vốn",
    "số tiền",
    "tiền phạt",
    "xử phạt",
    "bị phạt",
    "phạt",
    "tỷ đồng",
    "triệu đồng",
)

# Qualifier families, written with diacritics (see `has_cue`). A family present around a candidate
# number but absent from the question (or the reverse) signals the wrong figure: planned vs achieved,
# cumulative vs in-period, a change rate vs a level, a part vs the total.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "cumulative": (
        "lũy kế",
        "luỹ kế",
        "tích lũy",
        "tích luỹ",
        "tính đến",
        "tính từ đầu năm",
        "từ đầu năm",
        "đến nay",
        "đến hết",
        "cộng dồn",
    ),
    "plan": ("kế hoạch", "chỉ tiêu", "phấn đấu", "dự kiến", "mục tiêu", "được giao", "giao chỉ tiêu"),
    "change": ("tăng", "giảm", "so với", "cùng kỳ", "tăng trưởng"),
    "part": ("trong đó", "trong số đó"),
    "new": ("mới", "phát triển mới", "cấp mới", "tăng thêm", "phát triển thêm", "thêm"),
    "total": ("tổng số", "tổng cộng", "toàn tỉnh", "tất cả", "toàn bộ", "nâng tổng số"),
}


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_dict(),
            "terms": list(self.terms),
            "expected_unit": self.expected_unit,
            "families": list(self.families),
            "modifiers": list(self.modifiers),
            "operation": self.operation,
        }


@dataclass
class AskResult:
    answer: Answer
    hits: list[Hit] = field(default_factory=list)
    info: QuestionInfo | None = None
    holdings: dict[str, list[str]] = field(default_factory=dict)


def has_diacritics(text: str) -> bool:
    return fold(text) != " ".join(text.lower().split())


@functools.lru_cache(maxsize=4096)
def _cue_re(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


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


def families_in(text: str, plain: bool = False) -> set[str]:
    hay = normalise_for_cues(text, plain)
    return {name for name, cues in _FAMILIES.items() if any(has_cue(hay, c, plain) for c in cues)}


def _has(folded: str, cue: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", folded) is not None


def _unit_after_words(question: str, start: int, plain: bool) -> tuple[str, float, int] | None:
    """The unit noun that starts at `start` in the question, and where it ends.

    With diacritics the noun must be spelled as a unit is ("tổ" is not "tờ"); a question typed
    without them is matched folded.
    """
    from .numbers import _UNIT_ALIASES, normalise_unit, parse_quantities

    qs = parse_quantities("1 " + question[start : start + 40])
    if qs and qs[0].start == 0 and qs[0].unit:
        return qs[0].unit, qs[0].scale, start + qs[0].end - 2
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
        return unit, scale, start + len(best)
    return None


def _expected_unit_span(question: str, plain: bool | None = None) -> tuple[str, float, tuple[int, int]]:
    from .gazetteer import fold_aligned

    question = unicodedata.normalize("NFC", question)
    if plain is None:
        plain = not has_diacritics(question)
    hay = normalise_for_cues(question, plain)
    if any(has_cue(hay, c, plain) for c in _PERCENT_CUES) or "%" in question:
        return "%", 1.0, (0, 0)
    f = fold_aligned(question).lower()  # same offsets as the question, so a match indexes into it
    # "bao nhiêu <unit>", "mấy <unit>"; "(tổng) số <unit>" only where it opens the question or a
    # clause ("Số DVC trực tuyến …"): in "chứng thư số cấp cho …" the "số" counts nothing.
    for pattern in (r"bao nhieu\s+", r"(?<!\w)may\s+", r"(?:^|[:;,]\s*|(?<!\w)tong\s+)so\s+(?=\w)"):
        for m in re.finditer(pattern, f):
            word = question[m.start() : m.end()].strip().lower()
            if pattern.endswith(r"(?=\w)") and not plain and not word.endswith("số"):
                continue  # "hồ sơ", "sở": folded alike, but not "số"
            if pattern.startswith("bao") and not plain and not word.startswith("bao nhiêu"):
                continue
            got = _unit_after_words(question, m.end(), plain)
            if got:
                return got[0], got[1], (m.end(), got[2])
    if any(has_cue(hay, c, plain) for c in _MONEY_CUES):
        scale = 1e9 if has_cue(hay, "tỷ đồng", plain) else 1e6 if has_cue(hay, "triệu đồng", plain) else 1.0
        return "đồng", scale, (0, 0)
    return "", 1.0, (0, 0)


def expected_unit(question: str) -> tuple[str, float]:
    """The unit (and scale word) the question asks for: "bao nhiêu vị trí" -> vị trí; "tỷ lệ" -> %."""
    unit, scale, _ = _expected_unit_span(question)
    return unit, scale


def understand(question: str, settings: Settings, extra: Filters | None = None) -> QuestionInfo:
    from .query import parse_question

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
    families = tuple(sorted(families_in(expanded[:us] + " " + expanded[ue:], plain)))
    modifiers: tuple[str, ...] = ()
    if ue:
        after = _MODIFIER_STOP.split(fold(_strip_filters(expanded[ue:])), maxsplit=1)[0]
        modifiers = tuple(t for t in tokenize(after)[:3] if "_" not in t)
    if unit and unit not in _UNIT_CLASS and re.search(r"(?i)100\s+d[âa]n|m[ậa]t\s+đ[ộo]|mat do", question):
        unit = unit + "/100 dân"  # "cứ 100 dân có bao nhiêu thuê bao": a density, not a count
    f = fold(question)
    op = ""
    if len(filters.provinces) > 1 or len(filters.periods) > 1:
        if any(_has(f, c) for c in ("hon", "chenh lech", "kem", "it hon", "nhieu hon", "cao hon")):
            op = "difference"
        elif any(_has(f, c) for c in ("tong", "cong", "ca hai", "hai tinh")):
            op = "sum"
    terms = tuple(dict.fromkeys(tokenize(expand_abbreviations(_strip_filters(question)), query=True)))
    if unit == "đồng":
        # "bao nhiêu tỷ đồng" names the scale to answer in, not words of the passage: a report may
        # print the same amount in triệu đồng.
        terms = tuple(t for t in terms if not set(t.split("_")) <= _MONEY_WORDS)
    return QuestionInfo(question, filters, terms, unit, scale, families, op, modifiers)


_MONEY_WORDS = frozenset({"ty", "trieu", "nghin", "ngan", "dong", "vnd"})

# Where the words qualifying the asked unit stop: "bao nhiêu trạm 4G ⟨của⟩ Hải Dương", "⟨đã⟩ …".
_MODIFIER_STOP = re.compile(
    r"[?,.;:()]|\b(?:cua|tai|o|tren|theo|trong|nam|thang|quy|da|duoc|la|dat|co|den|tu|vao|cho|hien|dang)\b"
)


def _strip_filters(question: str) -> str:
    from .query import strip_filter_phrases

    return strip_filter_phrases(question)


# --- candidate scoring --------------------------------------------------------------------------------

# Abbreviations officials type and reports print; both forms go into the query so either matches.
ABBREVIATIONS: dict[str, str] = {
    "tthc": "thủ tục hành chính",
    "cds": "chuyển đổi số",
    "dvc": "dịch vụ công",
    "dvctt": "dịch vụ công trực tuyến",
    "attt": "an toàn thông tin",
    "tb": "thuê bao",
    "cntt": "công nghệ thông tin",
    "bc-cp": "bưu chính chuyển phát",
    "bccp": "bưu chính chuyển phát",
    "tt&tt": "thông tin và truyền thông",
    "tttt": "thông tin và truyền thông",
    "stttt": "sở thông tin và truyền thông",
    "cchc": "cải cách hành chính",
    "tmdt": "thương mại điện tử",
    "ubnd": "ủy ban nhân dân",
    "csdl": "cơ sở dữ liệu",
    "vbdh": "văn bản điều hành",
    "kh&cn": "khoa học và công nghệ",
}
_ABBR = re.compile(
    r"(?<![\w&-])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&-])"
)


def expand_abbreviations(text: str) -> str:
    """The question with each known abbreviation followed by its expansion ("TB" -> "TB (thuê bao)")."""
    folded = fold(text)
    out, last = [], 0
    for m in _ABBR.finditer(folded):
        out.append(text[last : m.end()])
        out.append(f" ({ABBREVIATIONS[m.group(1)]})")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class Candidate:
    mention: Mention
    hit: Hit
    score: float
    features: dict[str, float]
    local: str  # the words right around the number


_SENT_BREAK = re.compile(r"(?<!\d)[.;!?](?=\s)|\n|(?<=\s)[-+•](?=\s)")
# Where one number's phrase ends and the next one's begins: "982 trạm 3G, 1.300 trạm 4G", "19 giấy phép
# xuất bản tài liệu và 3 giấy phép xuất bản bản tin".
_LIST_SEP = re.compile(r"[,(;:)]|(?<!\S)và(?!\S)")


def _local_context(mention: Mention, hit: Hit, siblings: list[Mention]) -> tuple[str, str]:
    """(left, right): the words that belong to a number inside its sentence.

    Vietnamese puts a number's qualifiers after its unit noun ("1.186 cảnh báo cao", "trạm 5G"), so a
    number's right side runs to the next separator, "và" or number; its left side starts after the
    previous number's phrase ("…, xây dựng mới ⟨52 trạm⟩"). For a sentence's first number the left
    side is the label before it ("… hiện có trên mạng: ⟨1.674.885 thuê bao⟩") or, after a colon that
    opens a list, just the words after the colon ("SOC (Ajiant): có ⟨2.699⟩ cảnh báo thấp, …"): the
    words before that are the subject every number of the list shares. In "chấp thuận 146 vị trí …,
    xây dựng mới 52 trạm, lắp đặt 35 trạm 5G" this is what tells the 146 from the 52 and the 35.
    """
    text = hit.chunk.text
    base = hit.chunk.start
    off, end = mention.start - base, mention.end - base
    sent_start = 0
    for br in _SENT_BREAK.finditer(text, 0, off):
        sent_start = br.end()
    nxt = _SENT_BREAK.search(text, end)
    sent_end = nxt.start() if nxt else len(text)
    prev = [n.end - base for n in siblings if sent_start <= n.end - base <= off]
    if prev:
        gap_start = max(prev)
        sep = _LIST_SEP.search(text, gap_start, off)
        left_start = sep.end() if sep else gap_start
    else:
        head = text[sent_start:off]
        colon = max(head.rfind(":"), head.rfind("("))
        if colon >= 0 and re.search(r"\w", head[colon + 1 :]):
            left_start = sent_start + colon + 1
        else:
            words = list(re.finditer(r"\S+", head))
            left_start = sent_start + words[-8].start() if len(words) > 8 else sent_start
    nexts = [n.start - base for n in siblings if end <= n.start - base < sent_end]
    stop = min([sent_end, end + 70, *nexts])
    sep = _LIST_SEP.search(text, end, stop)
    if sep:
        stop = sep.start()
    return text[left_start:off], text[end:stop]


# Words that tie a clause together without naming anything: no evidence for or against a figure.
_FUNCTION_WORDS = frozenset(
    "trong do so cua va cac nhung duoc da la co voi cho tai den tu theo ve nay dat uoc thuc hien khoang "
    "gan hon tren duoi tong cong".split()
)


def _fraction_partner(m: Mention, siblings: list[Mention], role: str) -> Mention | None:
    if role == "numerator":
        return next((n for n in siblings if n.start > m.end and n.start - m.end <= 3), None)
    if role == "denominator":
        return next((n for n in reversed(siblings) if n.end < m.start and m.start - n.end <= 3), None)
    return None


def _inherit_unit(m: Mention, hit: Hit, siblings: list[Mention], expected: str) -> Mention:
    """A bare decimal among money figures ("kinh phí được cấp là 30,5 tỷ đồng. … đã giải ngân 30,46,
    đạt 99,9%") is in the unit of the nearest money figure printed before it in the paragraph."""
    q = m.quantity
    if q.value == int(q.value) or q.unit:
        return m  # whole numbers without a unit are counts more often than amounts
    para_start = hit.chunk.text.rfind("\n", 0, m.start - hit.chunk.start) + hit.chunk.start
    before = [
        n
        for n in siblings
        if para_start <= n.start < m.start and n.quantity.unit == expected and n.quantity.scale != 1.0
    ]
    if not before:
        return m
    src = before[-1].quantity
    if not 0.1 <= q.value / src.value <= 10:
        return m
    return replace(
        m, quantity=replace(q, unit=src.unit, scale=src.scale), qualifier=m.qualifier or "inferred"
    )


def _fraction_role(mention: Mention, hit: Hit) -> str:
    """ "numerator" / "denominator" for the parts of "161/788 trạm", else ""."""
    text, base = hit.chunk.text, hit.chunk.start
    off = mention.start - base
    digits = re.match(r"[\d.,]+", mention.quantity.raw)
    if digits and re.match(r"\s?/\s?\d", text[off + len(digits.group()) :]):
        return "numerator"
    if re.search(r"\d\s?/\s?$", text[max(0, off - 3) : off]):
        return "denominator"
    return ""


_PART_OPENING = re.compile(r"(?i)\W*trong\s+(?:số\s+)?đó\b")
_PARENS = re.compile(r"\([^()]*\)")


# A comparison base names another period without the figure being of it: "tăng 8% so với cùng kỳ năm
# 2023" is a 2024 figure.
_COMPARISON_BASE = re.compile(r"(?i)(?:so\s+v[ớo]i|c[ùu]ng\s+k[ỳy])[^,;.()]{0,30}")


def _said_periods(text: str, year: int | None) -> list[str]:
    from .periods import parse_periods

    return parse_periods(_COMPARISON_BASE.sub(" ", text), default_year=year)


_UNIT_CLASS = {"%": "percent", "đồng": "money"}


def _parts(unit: str) -> list[str]:
    """A compound unit "tổ chức, cá nhân" is either of its nouns."""
    return [p.strip() for p in unit.split(",") if p.strip()] or [unit]


def _units_fit(expected: str, unit: str, left: str = "") -> float | None:
    """None: this number cannot be the answer (a percentage where a count is asked, and so on)."""
    if not expected:
        return 0.0
    if "/" in expected and "/" not in unit:
        return -0.2 if unit.startswith(expected.split("/")[0]) else None  # a count is not a density
    if any(
        unit == e or (unit and (unit.startswith(e) or e.startswith(unit))) for e in _parts(expected)
    ) or any(unit and (u == expected or expected.startswith(u)) for u in _parts(unit)):
        return 0.15
    if _UNIT_CLASS.get(expected, "count") != _UNIT_CLASS.get(unit, "count") and unit:
        return None
    if not unit:
        # "tỷ lệ đồng bộ hồ sơ trên Cổng quốc gia 434/568": the noun is printed elsewhere in the clause.
        if expected not in _UNIT_CLASS and has_cue(normalise_for_cues(left, False), expected, False):
            return 0.1
        return -0.3 if expected in _UNIT_CLASS else -0.05
    return -0.2  # two count nouns ("trạm" for "vị trí") may still be the figure


# Weights of the candidate features, fitted on the dev gold and a generated corpus together (random
# search maximising correct answers minus false answers; see bench/fit_weights.py). Coverage features
# are IDF-weighted shares of the question's words (uni: syllables, bi: two-syllable words) found in the
# number's sentence (+ heading path), its clause alone, its paragraph, or right around the number;
# precision is the share of the words around the number that the question asks for.
WEIGHTS: dict[str, float] = {
    "sent_uni": 0.002,
    "sent_bi": 0.564,
    "clause_bi": 0.561,
    "para_uni": 0.036,
    "local_uni": 0.126,
    "local_bi": 0.0,
    "precision": 0.437,
    "qmod": 0.018,
    "unit": 1.725,
    "qualifiers": 5.0,
    "period": 4.361,
    "modifier": 0.178,
    "retrieval": 0.101,
}


# Pairs that name opposite things. A sentence that speaks only of the other member ("trả sau" when
# "trả trước" is asked) cannot hold the answer, however many other words it shares with the question.
_OPPOSITES: tuple[tuple[str, str], ...] = (
    ("tra truoc", "tra sau"),
    ("toan trinh", "mot phan"),
    ("muc cao", "muc thap"),
    ("nong thon", "thanh thi"),
    ("buu chinh", "vien thong"),
    ("co dinh", "di dong"),
    ("cap tinh", "cap huyen"),
    ("cap tinh", "cap xa"),
    ("cap huyen", "cap xa"),
    ("da co", "chua co"),
)


def _opposed(question_folded: str, sentence_folded: str) -> bool:
    for a, b in _OPPOSITES:
        for asked, other in ((a, b), (b, a)):
            if asked in question_folded and other in sentence_folded and asked not in sentence_folded:
                return True
    return False


def _split_weights(
    idf: dict[str, float], terms: tuple[str, ...]
) -> tuple[dict[str, float], dict[str, float]]:
    uni = {t: idf.get(t, 0.0) for t in terms if "_" not in t}
    bi = {t: idf.get(t, 0.0) for t in terms if "_" in t}
    return uni, bi


def _modifier_match(modifiers: tuple[str, ...], local: set[str], idf: dict[str, float]) -> float:
    """+share of the question's unit modifiers ("trạm BTS ⟨4G⟩") found around the number; -1 if none."""
    if not modifiers:
        return 0.0
    total = sum(idf.get(t, 1.0) for t in modifiers) or 1.0
    got = sum(idf.get(t, 1.0) for t in modifiers if t in local) / total
    return got if got > 0 else -1.0


def _qualifier_score(asked: set[str], here: set[str], unit: str, role: str) -> float:
    fam = 0.0
    for name in ("cumulative", "plan", "new"):
        if name in asked and name in here:
            fam += 0.1
        elif name in here:
            fam -= 0.15
        elif name in asked and name != "new":
            fam -= 0.05  # a plan or a running total is named as such; a new count often is not
    if "change" in here and unit == "%":
        fam += 0.1 if "change" in asked else -0.2
    total_asked = "total" in asked
    if role == "denominator" or "total" in here:
        fam += 0.1 if total_asked else (-0.15 if role == "denominator" else 0.0)
    if role == "numerator" or "part" in here:
        fam += -0.15 if total_asked else 0.0
    if "part" in asked and "part" in here:
        fam += 0.1
    return fam


def candidate_features(
    info: QuestionInfo, hits: list[Hit], mentions: dict[str, list[Mention]], idf: dict[str, float]
) -> list[tuple[Mention, Hit, dict[str, float], str]]:
    from .periods import overlaps

    uni, bi = _split_weights(idf, info.terms)
    folded_q = fold(info.text)
    asked = set(info.families)
    q_terms = set(info.terms)
    tot_u, tot_b = sum(uni.values()) or 1.0, sum(bi.values()) or 1.0
    top_score = hits[0].score if hits else 1.0
    latest = ""
    if not info.filters.periods:
        latest = max((h.chunk.period for h in hits), default="")
    out = []
    for hit in hits:
        ms = sorted(mentions.get(hit.chunk.chunk_id, []), key=lambda m: m.start)
        context_toks = set(tokenize(" ".join(hit.chunk.section)))
        year = int(hit.chunk.period[:4]) if hit.chunk.period[:4].isdigit() else None
        for m in ms:
            role = _fraction_role(m, hit)
            partner = _fraction_partner(m, ms, role)
            # "161/788 trạm 2G": the parts of a fraction share the words around it.
            left, right = _local_context(m, hit, [n for n in ms if n is not m and n is not partner])
            if info.expected_unit in _UNIT_CLASS and not m.quantity.unit:
                m = _inherit_unit(m, hit, ms, info.expected_unit)
            unit_fit = _units_fit(info.expected_unit, m.quantity.unit, left + " " + m.clause)
            if unit_fit is None:
                continue
            if _opposed(folded_q, fold(m.clause)) or _opposed(folded_q, fold(left + " " + right)):
                continue
            local_list = tokenize(left + " " + m.quantity.raw + " " + right)
            local = set(local_list)
            clause = set(tokenize(m.clause))
            sent = clause | local | context_toks
            off = m.start - hit.chunk.start
            para = set(tokenize(hit.chunk.text[max(0, off - 300) : off])) | sent
            # Qualifiers of this figure: in its own clause segment, not in the unit noun ("0/01 chỉ tiêu"
            # is a count of targets, not a target) nor in a fraction partner.
            own_right = right.replace(partner.quantity.raw, " ") if partner else right
            unit_raw = m.quantity.raw[len(re.match(r"[\d.,]*", m.quantity.raw).group()) :]
            if partner and not unit_raw.strip():
                unit_raw = partner.quantity.raw[len(re.match(r"[\d.,]*", partner.quantity.raw).group()) :]
            if unit_raw.strip():
                own_right = own_right.replace(unit_raw.strip(), " ", 1)
            here = families_in(re.split(r"[,;:]", left)[-1][-70:] + " " + own_right)
            if _PART_OPENING.match(m.clause):
                here.add("part")  # "Trong đó, thuê bao cố định …: 11.260": every number here is a part
            fam = _qualifier_score(asked, here, m.quantity.unit, role)
            period_pen = 0.0
            if info.filters.periods:
                doc_covers = any(
                    hit.chunk.period and overlaps(p, hit.chunk.period) for p in info.filters.periods
                )
                said = _said_periods(left[-60:] + " " + right[:40], year)
                said_around = _said_periods(" ".join(hit.chunk.section) + " " + m.clause, year)
                if not doc_covers and not any(p in said or p in said_around for p in info.filters.periods):
                    continue  # a figure of another period is never the answer
                if said and not any(overlaps(p, s) for p in info.filters.periods for s in said):
                    period_pen -= 0.25
                said_section = _said_periods(" ".join(hit.chunk.section), year)
                if said_section and not any(
                    overlaps(p, s) for p in info.filters.periods for s in said_section
                ):
                    period_pen -= 0.25  # "IV. NHIỆM VỤ TRỌNG TÂM NĂM 2025" in the 2024 report
            elif latest and hit.chunk.period == latest:
                period_pen += 0.04  # no period asked: the newest report speaks of "now"
            # The words right after the unit qualify the number ("trạm 4G", "cảnh báo cao", "thuê bao
            # trả sau"): matching the question's word is evidence for it, a different one against.
            unit_toks = set(tokenize(m.quantity.unit))
            modifier = [
                t
                for t in tokenize(own_right)[:3]
                if "_" not in t and t not in unit_toks and not t[0].isdigit()
            ][:2]
            mod = 0.0
            if modifier:
                mod = 0.08 if any(t in uni for t in modifier) else -0.04
            # A parenthesis clarifies ("… di động (trả sau và trả trước) hiện có: N"): it adds no words of its own.
            own_list = tokenize(_PARENS.sub(" ", left) + " " + right)
            own = [
                t
                for t in own_list
                if "_" not in t and t not in unit_toks and t not in _FUNCTION_WORDS and not t[0].isdigit()
            ]
            own_w = sum(idf.get(t, 0.0) for t in own)
            precision = sum(idf.get(t, 0.0) for t in own if t in q_terms) / own_w if own_w else 0.5
            feats = {
                "sent_uni": sum(w for t, w in uni.items() if t in sent) / tot_u,
                "sent_bi": sum(w for t, w in bi.items() if t in sent) / tot_b if bi else 0.0,
                "clause_bi": sum(w for t, w in bi.items() if t in clause) / tot_b if bi else 0.0,
                "para_uni": sum(w for t, w in uni.items() if t in para) / tot_u,
                "local_uni": sum(w for t, w in uni.items() if t in local) / tot_u,
                "local_bi": sum(w for t, w in bi.items() if t in local) / tot_b if bi else 0.0,
                "precision": precision,
                "qmod": _modifier_match(info.modifiers, local, idf),
                "unit": unit_fit,
                "qualifiers": fam,
                "period": period_pen,
                "modifier": mod,
                "retrieval": hit.score / top_score if top_score > 0 else 0.0,
            }
            if not bi:  # one-word questions: let the syllables speak for the missing bigrams
                feats["sent_bi"], feats["local_bi"] = feats["sent_uni"], feats["local_uni"]
                feats["clause_bi"] = sum(w for t, w in uni.items() if t in clause) / tot_u
            out.append((m, hit, feats, (left + "⟨" + m.quantity.raw + "⟩" + right).strip()))
    return out


def score_candidates(
    info: QuestionInfo,
    hits: list[Hit],
    mentions: dict[str, list[Mention]],
    idf: dict[str, float],
    weights: dict[str, float] | None = None,
) -> list[Candidate]:
    w = weights or WEIGHTS
    out = []
    for m, hit, feats, local in candidate_features(info, hits, mentions, idf):
        score = sum(w.get(k, 0.0) * v for k, v in feats.items())
        out.append(Candidate(m, hit, score, {k: round(v, 3) for k, v in feats.items()}, local))
    out.sort(key=lambda c: -c.score)
    return out


# --- answer assembly ----------------------------------------------------------------------------------


def _citation(c: Candidate) -> Citation:
    m, chunk = c.mention, c.hit.chunk
    quote = m.clause.strip()
    doc_pos = chunk.text.find(quote)
    start = chunk.start + doc_pos if doc_pos >= 0 else m.start
    end = start + len(quote) if doc_pos >= 0 else m.end
    return Citation(chunk.chunk_id, chunk.source, chunk.section_path, quote, start, end)


def _alternative(c: Candidate) -> dict[str, Any]:
    from .numbers import format_quantity

    q = c.mention.quantity
    return {
        "value": q.value,
        "unit": q.unit,
        "scale": q.scale,
        "text": format_quantity(q.value, q.unit, q.scale),
        "context": c.local[-140:],
        "chunk_id": c.hit.chunk.chunk_id,
        "source": c.hit.chunk.source,
        "score": round(c.score, 3),
    }


def _unit_label(unit: str, scale: float) -> str:
    from .numbers import scale_word

    word = scale_word(scale)
    return f"{word} {unit}".strip() if word else unit


def extractive_answer(
    info: QuestionInfo,
    hits: list[Hit],
    mentions: dict[str, list[Mention]],
    idf: dict[str, float],
    part: bool = False,
) -> Answer:
    """`part`: one part of a combined question (see `Asker.answer_part`)."""
    from .numbers import format_quantity

    cands = score_candidates(info, hits, mentions, idf)
    if not info.filters.periods:
        cands = _newest_report_only(cands)
    rival = next((c for c in cands[1:] if not _same_figure(c, cands[0])), None) if cands else None
    lead = cands[0].score - rival.score if rival is not None else 1.0
    sure = bool(cands) and (
        cands[0].score >= ABSTAIN_BELOW
        or (part and cands[0].score >= ABSTAIN_BELOW - PART_SLACK and lead >= PART_CLEAR_LEAD)
    )
    if not sure:
        near = [_alternative(c) for c in cands[:3]]
        return Answer(
            question=info.text,
            status="not_found",
            text="Không tìm thấy số liệu này trong các báo cáo đã nạp."
            + (" Các số liệu gần nhất được báo cáo là bên dưới." if near else ""),
            alternatives=tuple(near),
            interpretation=info.to_dict(),
        )
    best = cands[0]
    q = best.mention.quantity
    if rival is not None and lead < AMBIGUOUS_WITHIN:
        return _ambiguous(info, best, rival)
    rejected = []
    seen = {(q.value, q.unit)}
    for c in cands[1:]:
        key = (c.mention.quantity.value, c.mention.quantity.unit)
        if key in seen or c.hit.chunk.chunk_id != best.hit.chunk.chunk_id:
            continue
        seen.add(key)
        rejected.append(_alternative(c))
        if len(rejected) >= 4:
            break
    shown = format_quantity(q.value, q.unit, q.scale)
    where = best.hit.chunk.source
    text = f"{shown}. Theo {where} ({best.hit.chunk.section_path or 'phần đầu'}): “{best.mention.clause.strip()}”"
    if rejected:
        text += "\nKhông phải: " + "; ".join(f"{a['text']} ({_short(a['context'])})" for a in rejected[:3])
    return Answer(
        question=info.text,
        status="answered",
        text=text,
        value=q.value,
        unit=q.unit,
        scale=q.scale,
        citations=(_citation(best),),
        alternatives=tuple(rejected),
        interpretation={**info.to_dict(), "features": best.features},
    )


def _newest_report_only(cands: list[Candidate]) -> list[Candidate]:
    """No period asked: the newest report that holds the figure answers ("hiện có" means now), and
    figures of older reports neither win nor make the answer ambiguous."""
    from .periods import is_period, period_sort_key

    held = {c.hit.chunk.period for c in cands if c.score >= ABSTAIN_BELOW and is_period(c.hit.chunk.period)}
    if len(held) < 2:
        return cands
    newest = max(held, key=period_sort_key)
    return [c for c in cands if c.hit.chunk.period == newest]


def _same_figure(a: Candidate, b: Candidate) -> bool:
    qa, qb = a.mention.quantity, b.mention.quantity
    va, vb = qa.value * qa.scale, qb.value * qb.scale
    return abs(va - vb) <= 1e-9 * max(1.0, abs(va))


def _ambiguous(info: QuestionInfo, best: Candidate, rival: Candidate) -> Answer:
    """Two different figures fit the question equally well: show both, state neither."""
    options = [_alternative(best), _alternative(rival)]
    lines = [f"- {o['text']} — {o['source']}: “{_short(o['context'], 120)}”" for o in options]
    return Answer(
        question=info.text,
        status="ambiguous",
        text="Có hai số liệu cùng khớp với câu hỏi; hãy nói rõ hơn (chỉ tiêu, kỳ báo cáo) để chọn:\n"
        + "\n".join(lines),
        citations=(_citation(best), _citation(rival)),
        alternatives=tuple(options),
        interpretation={**info.to_dict(), "features": best.features},
    )


def _short(context: str, n: int = 60) -> str:
    context = context.replace("⟨", "").replace("⟩", "")
    return context if len(context) <= n else "…" + context[-n:]


# --- the asker: one warm object per index, used by the CLI, the app and the eval ------------------------


@dataclass
class Asker:
    settings: Settings
    retriever: Retriever
    _mentions: dict[str, list[Mention]] = field(default_factory=dict)
    _version: int = -1

    @classmethod
    def open(cls, settings: Settings, embedder: Any = None) -> Asker:
        return cls(settings=settings, retriever=Retriever.open(settings, embedder=embedder))

    def _refresh(self) -> None:
        self.retriever.refresh()
        if self._version == self.retriever.version:
            return
        from .index import catalog, load_mentions

        with catalog(self.retriever.index_dir, create=False) as con:
            mentions = load_mentions(con)
        by_chunk: dict[str, list[Mention]] = {}
        for m in mentions:
            by_chunk.setdefault(m.chunk_id, []).append(m)
        self._mentions = by_chunk
        self._version = self.retriever.version

    def ask(
        self,
        question: str,
        province: str | None = None,
        period: str | None = None,
        doc: str | None = None,
        k: int | None = None,
    ) -> AskResult:
        from .gazetteer import canonical_province, suggest_provinces
        from .periods import normalise_period

        t0 = time.perf_counter()
        self._refresh()
        extra_p: tuple[str, ...] = ()
        if province:
            canon = canonical_province(province)
            if canon is None:
                from .errors import UnknownProvinceError

                hint = ", ".join(suggest_provinces(province))
                raise UnknownProvinceError(
                    f"unknown province {province!r}" + (f"; did you mean {hint}?" if hint else "")
                )
            extra_p = (canon,)
        extra = Filters(
            provinces=extra_p,
            periods=(normalise_period(period),) if period else (),
            doc_ids=(self._doc_id(doc),) if doc else (),
        )
        info = understand(question, self.settings, extra)
        t1 = time.perf_counter()
        if info.operation and (len(info.filters.provinces) > 1 or len(info.filters.periods) > 1):
            return self._combined(info, t0)
        k = k or self.settings.k
        timings: dict[str, float] = {}
        hits = self.retriever.search(
            expand_abbreviations(question), info.filters, k=max(k, N_PASSAGES), timings=timings
        )
        t2 = time.perf_counter()
        holdings = self.retriever.holdings()
        if not hits:
            answer = self._no_report(info, holdings)
        else:
            answer = self._answer(info, hits)
        timings.update(
            understand_ms=(t1 - t0) * 1000,
            answer_ms=(time.perf_counter() - t2) * 1000,
            total_ms=(time.perf_counter() - t0) * 1000,
        )
        answer = replace(answer, timings={k2: round(v, 2) for k2, v in timings.items()})
        return AskResult(answer=answer, hits=hits[:k], info=info, holdings=holdings)

    def _answer(self, info: QuestionInfo, hits: list[Hit]) -> Answer:
        extractive = extractive_answer(info, hits, self._mentions, self.retriever.idf)
        if self.settings.uses_llm:
            from .llm import llm_answer

            got = llm_answer(info, hits, self.settings, extractive)
            if got is not None:
                return got
        return extractive

    def _doc_id(self, ref: str) -> str:
        from .index import resolve_document

        return resolve_document(self.retriever.index_dir, ref).doc_id

    def _no_report(self, info: QuestionInfo, holdings: dict[str, list[str]]) -> Answer:
        from .periods import describe_period

        asked = []
        if info.filters.provinces:
            asked.append(", ".join(info.filters.provinces))
        if info.filters.periods:
            asked.append(", ".join(describe_period(p) for p in info.filters.periods))
        held = "; ".join(holdings.get("reports", [])[:12]) or "chưa có báo cáo nào"
        text = (
            f"Không có báo cáo nào cho {' '.join(asked) or 'yêu cầu này'} trong chỉ mục. "
            f"Chỉ mục hiện có: {held}."
        )
        return Answer(question=info.text, status="not_found", text=text, interpretation=info.to_dict())

    def _combined(self, info: QuestionInfo, t0: float) -> AskResult:
        from .combine import answer_combined

        answer, hits = answer_combined(self, info)
        answer = replace(answer, timings={"total_ms": round((time.perf_counter() - t0) * 1000, 2)})
        return AskResult(answer=answer, hits=hits, info=info, holdings=self.retriever.holdings())

    def answer_part(self, question: str, filters: Filters) -> tuple[Answer, list[Hit]]:
        """One part of a combined question, with its own filters.

        The comparison words ("cao hơn … bao nhiêu", "tổng … của hai tỉnh") are dropped: each part asks
        for one plain figure.
        """
        question = _COMPARISON.sub(" ", question)
        self._refresh()
        info = understand(question, self.settings, None)
        info = replace(info, filters=filters, operation="")
        hits = self.retriever.search(expand_abbreviations(question), filters, k=N_PASSAGES)
        if not hits:
            return self._no_report(info, self.retriever.holdings()), []
        return extractive_answer(info, hits, self._mentions, self.retriever.idf, part=True), hits


_COMPARISON = re.compile(
    r"(?i)\b(?:cao|nhiều|nhieu|thấp|thap|ít|it|lớn|lon|nhỏ|nho)\s+h[ơo]n\b|\bch[êe]nh\s+l[ệe]ch\b|"
    r"\bso\s+v[ớo]i\b|\bt[ổo]ng\s+c[ộo]ng\b|\bc[ủu]a\s+hai\s+t[ỉi]nh\b"
)


# --- presentation -------------------------------------------------------------------------------------


def answer_to_json(result: AskResult) -> dict[str, Any]:
    a = result.answer
    return {
        "question": a.question,
        "filters": (result.info.filters.to_dict() if result.info else Filters().to_dict()),
        "passages": [
            {
                "chunk_id": h.chunk.chunk_id,
                "source": h.chunk.source,
                "section": h.chunk.section_path,
                "text": h.chunk.text,
                "score": round(h.score, 4),
            }
            for h in result.hits
        ],
        "status": a.status,
        "text": a.text,
        "value": a.value,
        "unit": a.unit,
        "scale": a.scale,
        "citations": [c.to_dict() for c in a.citations],
        "alternatives": list(a.alternatives),
        "prompt_id": a.prompt_id,
        "interpretation": a.interpretation,
        "timings": a.timings,
    }


def format_answer(result: AskResult) -> str:
    a = result.answer
    lines = []
    f = result.info.filters if result.info else Filters()
    shown = {k: v for k, v in f.to_dict().items() if v}
    lines.append(f"Câu hỏi: {a.question}")
    if shown:
        lines.append("Bộ lọc: " + "; ".join(f"{k}={', '.join(v)}" for k, v in shown.items()))
    mark = {"answered": "✔", "not_found": "✘", "ambiguous": "?"}.get(a.status, "")
    lines.append(f"{mark} {a.text}")
    for c in a.citations:
        lines.append(f"  [nguồn] {c.source} › {c.section}  (ký tự {c.start}–{c.end})")
    if result.hits:
        lines.append("")
        lines.append("Đoạn trích liên quan:")
        for i, h in enumerate(result.hits, 1):
            text = " ".join(h.chunk.text.split())
            lines.append(f"{i}. [{h.score:.3f}] {h.chunk.source} › {h.chunk.section_path}")
            lines.append(f"   {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)
