"""The one rule that turns scored candidates into a decision: answer, abstain ("not found"), or show two
figures and state neither ("ambiguous").

`rag.answer.asker` builds the user's answer from a `Decision`; `bench/fit_weights.py` calls the same
`decide` with trial thresholds on candidates scored with trial weights. One function for both means the
values the fitter reports are the values the answerer would get: the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from rag.answer.candidates import _FUNCTION_WORDS, Candidate, asks_a_span
from rag.core.types import AnswerStatus
from rag.text.numbers import UNIT_CLASS

if TYPE_CHECKING:
    from rag.answer.understand import QuestionInfo

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
# A figure the catalogue ties to the question's own indicator (by its name, abbreviation or synonym in
# both) is evidence the word overlap does not see: "điểm BĐVHX" asked, "53 bưu điện văn hóa xã" printed.
# Such a figure may be answered a little under the threshold when no other figure comes near it and no
# feature speaks against it (a qualifier, period or unit that does not fit). Set
# by hand on the dev gold, realdev and generated corpora (session 7, eval/NOTES.md).
INDICATOR_SLACK = 0.25
INDICATOR_CLEAR_LEAD = 0.5
# Share of indicator words two figures of one report must have in common to name the same indicator:
# near-identical sentences. "trực tuyến toàn trình" (55%) and "trực tuyến toàn trình và một phần" (96%)
# share two thirds of their words and are two indicators.
SAME_INDICATOR = 0.8
# No period asked, the newest report's figure answers unless an older report's scores this much higher
# (set by hand: twice the threshold's distance between a weak and a clear answer)
OLDER_CLEAR_LEAD = 0.4

Reason = Literal[
    "no_candidate",
    "below_threshold",
    "another_indicator",
    "level_for_change",
    "dated_elsewhere",
    "close_rival",
    "conflict",
    "clear",
]


@dataclass(frozen=True)
class Decision:
    """What to do with a question's candidates.

    answered:  `best` is the answer (reason "clear").
    not_found: no candidate (reason "no_candidate"), the best is too weak ("below_threshold"), or, for a
               table cell, it reports another indicator than the one asked ("another_indicator"), or a
               growth is asked and the figure is a level ("level_for_change").
    ambiguous: `best` and `other` are two different figures; either the other scores within the margin
               of the best ("close_rival"), or it is the same report's second figure for the same
               indicator ("conflict").
    """

    status: AnswerStatus
    reason: Reason
    # The candidates that count, best first: with no period asked, those of the newest report that holds
    # the figure. What the answer shows beside its figure (or instead of one) is taken from these.
    candidates: tuple[Candidate, ...] = ()
    best: Candidate | None = None
    other: Candidate | None = None


def decide(
    candidates: Iterable[Candidate],
    info: QuestionInfo,
    *,
    part: bool = False,
    cell: bool = False,
    abstain_below: float = ABSTAIN_BELOW,
    ambiguous_within: float = AMBIGUOUS_WITHIN,
    part_slack: float = PART_SLACK,
    part_clear_lead: float = PART_CLEAR_LEAD,
) -> Decision:
    """Decide from scored candidates (in any order) whether to answer, abstain or call it ambiguous.

    `part`: one part of a combined question (see `Asker.answer_part`), which may be answered a little
    under the threshold when no other figure comes near it. The thresholds default to the fitted values;
    the fitter passes its trial values.

    `cell`: one cell of a many-report table, where most reports may not print the figure at all: when the
    question and the figure both name a catalogued indicator, they must name the same one (a refinement
    such as "vị trí … chấp thuận" for "vị trí trạm BTS" is not enough), or the cell stays empty.
    """
    cands = sorted(candidates, key=lambda c: -c.score)  # stable: equal scores keep their order
    if not info.filters.periods and not asks_a_span(info.text):
        # (a span asked, "giai đoạn 2016 - 2020", is no "now": its report need not be the newest)
        cands = newest_report_only(cands, abstain_below)
    else:
        cands = newest_within_asked(cands, info.filters.periods, abstain_below)
    if not cands:
        return Decision(AnswerStatus.NOT_FOUND, "no_candidate")
    growth_asked = _growth_asked(info)
    if growth_asked and _a_level(cands[0]):
        # "nộp ngân sách ⟨12,5 tỷ đồng⟩, tăng 38%": the level is no answer to "tăng bao nhiêu"; its change
        # may be
        changes = [c for c in cands if not _a_level(c)]
        if not changes:
            return Decision(AnswerStatus.NOT_FOUND, "level_for_change", tuple(cands), cands[0])
        cands = changes
    best = cands[0]
    # a title's or summary's rounding of the figure the text gives in full ("đạt mật độ điện thoại 43
    # máy/100 dân" over "… 43,3 máy /100 dân") is that figure, and the full one is the answer
    finer = next((c for c in cands[1:] if rounds_to(best, c)), None)
    if finer is not None and best.score - finer.score < ambiguous_within:
        best = finer
    rival = next(
        (c for c in cands if c is not best and not same_figure(c, best) and not rounds_to(c, best)), None
    )
    lead = best.score - rival.score if rival is not None else 1.0
    # … and nothing speaks against it: "Toàn tỉnh hiện có … 48 trạm 5G" names the asked indicator but is
    # a stock where "lắp đặt được bao nhiêu" asks what the month added.
    named = best.features.get("indicator", 0.0) >= 1.0 and all(
        best.features.get(k, 0.0) >= 0.0 for k in ("qualifiers", "period", "unit")
    )
    sure = (
        best.score >= abstain_below
        or (part and best.score >= abstain_below - part_slack and lead >= part_clear_lead)
        or (named and best.score >= abstain_below - INDICATOR_SLACK and lead >= INDICATOR_CLEAR_LEAD)
    )
    kept = tuple(cands)
    if not sure:
        return Decision(AnswerStatus.NOT_FOUND, "below_threshold", kept, best)
    if cell and info.indicators and best.mention.indicators and best.features.get("indicator", 0.0) < 1.0:
        return Decision(AnswerStatus.NOT_FOUND, "another_indicator", kept, best)
    if growth_asked and _a_level(best):
        return Decision(AnswerStatus.NOT_FOUND, "level_for_change", kept, best)
    if _dated_elsewhere(best, cands, info):
        return Decision(AnswerStatus.NOT_FOUND, "dated_elsewhere", kept, best)
    if rival is not None and lead < ambiguous_within:
        whole = (
            _whole_of_its_part(best, rival, info)
            or _the_part_asked(best, rival, info)
            or _the_one_of_its_indicator(best, rival, info)
            or _no_density_unasked(best, rival, info)
        )
        if whole is None:
            return Decision(AnswerStatus.AMBIGUOUS, "close_rival", kept, best, rival)
        best = whole
    other = conflicting(best, cands, abstain_below)
    if other is not None:
        return Decision(AnswerStatus.AMBIGUOUS, "conflict", kept, best, other)
    return Decision(AnswerStatus.ANSWERED, "clear", kept, best)


def _dated_elsewhere(best: Candidate, cands: list[Candidate], info: QuestionInfo) -> bool:
    """Whether the report dates its title's figure to another period than the one asked where it prints
    it again: a title "… 2 năm liên tiếp đứng thứ 10 cả nước" carries no year, its body "DTI năm 2021 đứng thứ
    10/63" does, and DTI 2022 was asked."""
    if not info.filters.periods or best.features.get("period", 0.0) < 0.0 or not _in_title(best):
        return False
    return any(
        c.mention.doc_id == best.mention.doc_id
        and c.features.get("period", 0.0) < 0.0
        and same_figure(c, best)
        and c.mention.quantity.unit == best.mention.quantity.unit
        and set(c.mention.indicators) == set(best.mention.indicators)
        for c in cands
        if c is not best
    )


def _in_title(c: Candidate) -> bool:
    """Whether the figure stands in the report's title line, which restates figures without their dates."""
    chunk = c.hit.chunk
    off = c.mention.start - chunk.start
    return chunk.start == 0 and "\n" not in chunk.text[:off]


def _whole_of_its_part(a: Candidate, b: Candidate, info: QuestionInfo) -> Candidate | None:
    """Of two close figures of one indicator where the later one's sentence opens with "Trong đó" (a
    breakdown of the one before: "doanh thu ước đạt 13,2 tỷ đồng. Trong đó, … doanh thu ước đạt 130 triệu
    đồng"), the whole, when the question does not ask for a part; else None."""
    if "part" in info.families or a.hit.chunk.chunk_id != b.hit.chunk.chunk_id:
        return None
    ia, ib = set(a.mention.indicators), set(b.mention.indicators)
    if (ia or ib) and not ia & ib:
        return None  # of two indicators, neither is the other's part
    from rag.answer.understand import families_in

    first, later = sorted((a, b), key=lambda c: c.mention.start)
    if _a_part(later) and not _a_part(first):
        return first
    if _breaks_down(first) and "part" in families_in(later.local.split("⟨", 1)[0]):
        # "ghi nhận 6.371 cảnh báo, trong đó 5.221 cảnh báo thấp, …": the question names none of the
        # part's own words ("thấp"), so it asks the whole
        from rag.retrieve import tokenize  # folded tokens

        own = set(tokenize(later.local.split("⟩", 1)[-1])) - _FUNCTION_WORDS
        # … and the words of its label that the whole's label lacks: "Toàn tỉnh tiếp nhận 1.519 hồ sơ,
        # trong đó cấp tỉnh tiếp nhận ⟨568⟩ hồ sơ" names the part "cấp"
        label = re.split(r"(?i)trong\s+(?:số\s+)?đó", later.local.split("⟨", 1)[0])[-1]
        own |= set(tokenize(label)) - set(tokenize(first.local)) - _FUNCTION_WORDS
        own -= set(tokenize(later.mention.quantity.unit))
        if own and not own & set(tokenize(info.text)):
            return first
    return None


def _the_part_asked(a: Candidate, b: Candidate, info: QuestionInfo) -> Candidate | None:
    """Of two close figures where the later stands in a parenthesis opened after the earlier (its
    breakdown: "818/1.542 (gồm: 451 DVCTT toàn trình và 367 DVCTT một phần)"), the part, when the question
    names the words that are the part's own ("DVC một phần có phát sinh hồ sơ"); else None."""
    from rag.retrieve import tokenize  # folded tokens
    from rag.text.segment import open_parenthesis

    if a.hit.chunk.chunk_id != b.hit.chunk.chunk_id:
        return None
    first, later = sorted((a, b), key=lambda c: c.mention.start)
    chunk = later.hit.chunk
    found = open_parenthesis(chunk.text, later.mention.start - chunk.start, 200)
    if found is None or found[1] < first.mention.end - chunk.start:
        return None
    # the part's own words after it ("⟨451⟩ DVCTT toàn trình") or as its label ("(cấp tỉnh: 121, cấp huyện: ⟨188⟩")
    label = re.split(r"[(,;]", later.local.split("⟨", 1)[0])[-1]
    own = (
        set(tokenize(later.local.split("⟩", 1)[-1] + " " + label))
        - set(tokenize(first.local))
        - _FUNCTION_WORDS
    )
    own -= set(tokenize(later.mention.quantity.unit))
    # a date is no part's name: "698 đơn vị (tăng 08 đơn vị so với năm 2021)" asked "… năm 2022"
    own = {t for t in own if not t[0].isdigit() and t not in _PERIOD_WORDS}
    return later if own and own & set(tokenize(info.text)) else None


_PERIOD_WORDS = frozenset({"nam", "thang", "quy", "ky", "dau", "cuoi", "het", "ngay"})


def _the_one_of_its_indicator(a: Candidate, b: Candidate, info: QuestionInfo) -> Candidate | None:
    """Of two close figures, the one the catalogue ties to the asked indicator, when the other's unit
    cannot be a value of it ("Trạm 2G ở các xã biên giới …?": "99 trạm 2G", not "29 xã")."""
    from rag.text.indicators import fits_indicator

    if not info.indicators:
        return None
    for one, other in ((a, b), (b, a)):
        tied, against = one.features.get("indicator", 0.0), other.features.get("indicator", 0.0)
        if (
            # tied to it; or untied but able to be a value of it, against a figure said of another
            # ("có giá trị 0,5120" against "xếp thứ 25" when the pillar's score is asked)
            (tied >= 1.0 and against <= 0.0 or tied >= 0.0 and against < 0.0)
            and other.mention.quantity.unit
            and not any(fits_indicator(i, other.mention.quantity) for i in info.indicators)
            and any(fits_indicator(i, one.mention.quantity) for i in info.indicators)
        ):
            return one
    return None


_DENSITY_ASKED = re.compile(r"(?i)m[ậa]t\s+đ[ộo]|mat do|/\s*100|tr[êe]n\s+100|100\s+d[âa]n")


def _no_density_unasked(a: Candidate, b: Candidate, info: QuestionInfo) -> Candidate | None:
    """Of two close figures, the count rather than the density, when the question asks for no density
    ("Thuê bao ĐT Đồng Tháp T12/2007?": "426.545 máy", not "22,24 máy/100 dân")."""
    from rag.text.numbers import is_density

    if is_density(info.expected_unit) or _DENSITY_ASKED.search(info.text):
        return None
    da, db = is_density(a.mention.quantity.unit), is_density(b.mention.quantity.unit)
    if da == db:
        return None
    return b if da else a


def _breaks_down(c: Candidate) -> bool:
    """Whether a breakdown ("…, trong đó …") follows the figure."""
    from rag.answer.candidates import _BREAKDOWN_FOLLOWS

    return bool(_BREAKDOWN_FOLLOWS.match(c.hit.chunk.text, c.mention.end - c.hit.chunk.start))


def _a_part(c: Candidate) -> bool:
    """Whether the figure's sentence opens with "Trong đó" ("Trong đó, … doanh thu ước đạt 130 triệu
    đồng"). A "…, trong đó cấp tỉnh tiếp nhận 568 hồ sơ" inside the sentence is not enough: questions
    about such parts are often asked without the words that name them (paraphrase set: +3 false answers)."""
    from rag.answer.candidates import _PART_OPENING, _sentence_head

    return bool(_PART_OPENING.match(_sentence_head(c.mention, c.hit)))


def newest_report_only(cands: list[Candidate], abstain_below: float = ABSTAIN_BELOW) -> list[Candidate]:
    """No period asked: the newest report that holds the figure answers ("hiện có" means now), and
    figures of older reports neither win nor make the answer ambiguous."""
    from rag.text.periods import is_period, newest_period

    held = {c.hit.chunk.period for c in cands if c.score >= abstain_below and is_period(c.hit.chunk.period)}
    if len(held) < 2:
        return cands
    newest = newest_period(held)
    if (
        cands
        and cands[0].score - max(c.score for c in cands if c.hit.chunk.period == newest) > OLDER_CLEAR_LEAD
    ):
        # "Hệ thống truyền thanh huyện Phong Điền có bao nhiêu máy tăng âm?": an older report that names what
        # is asked far better than the newest does is about something the newest is not
        return cands
    return [c for c in cands if c.hit.chunk.period == newest]


def newest_within_asked(
    cands: list[Candidate], asked: tuple[str, ...], abstain_below: float = ABSTAIN_BELOW
) -> list[Candidate]:
    """A year asked of reports that each cover part of it (news "as of" October and November, none of
    the whole year): the newest is the latest word on it ("tích hợp … đạt 80,2%" in October, "đạt 91%" in
    November), and the older neither wins nor makes the answer ambiguous."""
    from rag.text.periods import contains, is_period, newest_period

    held = {c.hit.chunk.period for c in cands if c.score >= abstain_below and is_period(c.hit.chunk.period)}
    if len(held) < 2 or held & set(asked):
        return cands
    if not all(any(contains(a, p) for a in asked) for p in held):
        return cands
    newest = newest_period(held)
    return [c for c in cands if c.hit.chunk.period == newest or c.hit.chunk.period not in held]


def same_figure(a: Candidate, b: Candidate) -> bool:
    """One value, however printed: "30,5 tỷ đồng" is "30.500 triệu đồng"."""
    qa, qb = a.mention.quantity, b.mention.quantity
    va, vb = qa.value * qa.scale, qb.value * qb.scale
    return abs(va - vb) <= 1e-9 * max(1.0, abs(va))


def rounds_to(coarse: Candidate, fine: Candidate) -> bool:
    """Whether `coarse` is `fine` printed with fewer digits: the same unit, and within half a step of the
    coarse figure's last digit ("43" of "43,3"; "2,8 triệu" of "2.786.000")."""
    from rag.text.numbers import unit_head

    qc, qf = coarse.mention.quantity, fine.mention.quantity
    if unit_head(qc.unit) != unit_head(qf.unit) or qc.unit.count("/") != qf.unit.count("/"):
        return False
    if same_figure(coarse, fine):
        return False  # "30,5 tỷ đồng" is "30.500 triệu đồng", neither a rounding of the other
    step_c, step_f = _step(qc.value) * qc.scale, _step(qf.value) * qf.scale
    # two digits at least: "3 triệu đồng" beside "2,5 triệu đồng" are two fines, not one rounded
    if abs(qc.base_value) < 10 * step_c:
        return False
    return step_c > step_f and abs(qc.base_value - qf.base_value) < step_c / 2


def _step(value: float) -> float:
    """The place of a printed number's last digit: 1 for 43, 0.1 for 43.3, 0.01 for 4.35."""
    for k in range(4):
        if abs(round(value, k) - value) < 1e-9:
            return 10.0**-k
    return 10.0**-4


_PART_CLAUSE = re.compile(r"(?i)\W*trong\s+(?:số\s+)?đó\b")


def _indicator(c: Candidate) -> tuple[frozenset[str], frozenset[str]]:
    return _indicator_of(c.mention.clause, c.mention.quantity.unit)


@lru_cache(maxsize=8192)
def _indicator_of(clause: str, unit: str) -> tuple[frozenset[str], frozenset[str]]:
    """(words, qualifier families) of a figure's sentence: what it counts and how ("ước đạt", "lũy kế",
    "trong đó" …). The sentence's figures and their units are left out, and the words that only tie a
    clause together. Cached: the fitter asks for the same sentences on every trial."""
    from rag.answer.understand import families_in
    from rag.text.gazetteer import fold
    from rag.text.numbers import parse_quantities

    pieces, pos = [], 0
    for q in parse_quantities(clause):
        pieces.append(clause[pos : q.start])
        pos = q.end
    pieces.append(clause[pos:])
    text = " ".join(pieces)
    unit_words = set(fold(unit).split())  # "Số vị trí … là 999 vị trí": the noun counted
    words = frozenset(
        w
        for w in re.findall(r"[^\W\d_]+", fold(text))
        if w not in _FUNCTION_WORDS and w not in unit_words and len(w) > 1
    )
    fams = families_in(text) | ({"part"} if _PART_CLAUSE.match(clause) else set())
    return words, frozenset(fams)


def _periods_differ(a: Candidate, b: Candidate) -> bool:
    """Whether the two figures' clauses each name a period, and no period of one overlaps the other's."""
    from rag.text.periods import overlaps, parse_periods

    pa, pb = parse_periods(a.mention.clause), parse_periods(b.mention.clause)
    return bool(pa and pb) and not any(overlaps(x, y) for x in pa for y in pb)


def _growth_asked(info: QuestionInfo) -> bool:
    """Whether the question asks a change ("Tăng bao nhiêu so với tháng 2?"), which a level (`_a_level`),
    however well its words match, does not answer."""
    from rag.answer.understand import asks_growth

    if "change" not in info.families or not asks_growth(info.text):
        return False
    # "tăng thêm bao nhiêu thuê bao": how many were added, a count of the period's own
    return not (
        "new" in info.families
        and info.expected_unit
        and UNIT_CLASS.get(info.expected_unit, "count") == "count"
    )


def _a_level(best: Candidate) -> bool:
    """Whether a figure is a level, no change: its clause states none ("ước đạt 91.500 triệu đồng")."""
    from rag.answer.understand import families_in

    if "change" not in families_in(best.mention.clause):
        return True
    # "nộp ngân sách ⟨12,5 tỷ đồng⟩, tăng 38%": an amount not led by "tăng"/"giảm" is the level whose
    # change follows it
    led = re.search(r"(?i)(?<!\w)(?:tăng|giảm)(?:\s+(?:thêm|đi))?\s*$", best.local.split("⟨", 1)[0])
    return (
        best.mention.quantity.unit != "%"
        and UNIT_CLASS.get(best.mention.quantity.unit) == "money"
        and not led
    )


def _other_qualifier(a: Candidate, b: Candidate, shared: set[str]) -> bool:
    """Whether two figures of one indicator each name a qualifier of it, and not the same ones: a part each
    ("trạm 4G" and "trạm 5G", two pillars of a ranking), not two figures for one thing."""
    from rag.text.indicators import qualifiers_named

    for iid in shared:
        qa, qb = qualifiers_named(iid, a.mention.clause), qualifiers_named(iid, b.mention.clause)
        if qa and qb and qa != qb:
            return True
    return False


def conflicting(
    best: Candidate, cands: list[Candidate], abstain_below: float = ABSTAIN_BELOW
) -> Candidate | None:
    """A figure of the same report that names the indicator `best` names, with another value: in
    another sentence with the same unit, the same qualifiers and near-identical words, and scored as an
    answer in its own right. A report that gives two figures for one thing has not settled which is
    right, so the answer shows both instead of picking one."""
    from rag.text.numbers import unit_head

    doc = best.hit.chunk.doc_id
    words, fams = _indicator(best)
    for c in cands[1:]:
        if c.score < abstain_below:
            break
        if c.hit.chunk.doc_id != doc or same_figure(c, best) or rounds_to(c, best) or rounds_to(best, c):
            continue
        if _periods_differ(c, best):
            continue  # "Năm 2012, … 31 triệu đồng" is no second figure for "9 tháng năm 2015 … 50,5 triệu đồng"
        if c.mention.clause == best.mention.clause:
            continue
        if unit_head(c.mention.quantity.unit) != unit_head(best.mention.quantity.unit):
            continue
        ib, ic = set(best.mention.indicators), set(c.mention.indicators)
        if ib and ic and not ib & ic:
            continue  # "thuê bao Internet … lũy kế 26.500" and "thuê bao điện thoại … lũy kế 24.500"
        if _other_qualifier(best, c, ib & ic):
            continue  # "Nhóm chỉ số Nhân lực số tăng 12 bậc; … Nhận thức số tăng 25 bậc": two parts of the DTI
        other, other_fams = _indicator(c)
        if other_fams != fams or not words or not other:
            continue
        if len(words & other) / len(words | other) >= SAME_INDICATOR:
            return c
    return None
