"""The one decision rule (`rag.answer.decide`): answer, abstain or call it ambiguous from scored
candidates."""

from __future__ import annotations

from rag.answer.candidates import Candidate
from rag.answer.decide import ABSTAIN_BELOW, AMBIGUOUS_WITHIN, PART_SLACK, decide
from rag.answer.understand import QuestionInfo
from rag.core.types import AnswerStatus, Chunk, Filters, Hit, Mention, Quantity

HIGH = ABSTAIN_BELOW + 1.0  # comfortably answerable


def cand(
    value: float,
    score: float,
    *,
    unit: str = "trạm",
    scale: float = 1.0,
    raw: str = "",
    doc: str = "",
    period: str = "2024",
    clause: str = "",
) -> Candidate:
    """A figure of a one-sentence passage; each figure its own report unless `doc` says otherwise (two
    figures of one report in near-identical sentences are a conflict)."""
    raw = raw or f"{value:g} {unit}"
    doc = doc or f"d{value:g}"
    clause = clause or f"Chỉ tiêu số {value:g}: {raw}"
    chunk = Chunk(
        f"{doc}:0", doc, 0, clause, ("I. Kết quả",), 0, len(clause), source=f"{doc}.txt", period=period
    )
    at = clause.index(raw)
    m = Mention(chunk.chunk_id, doc, Quantity(value, unit, scale, raw), clause, at, at + len(raw))
    return Candidate(m, Hit(chunk, 1.0), score, {}, clause)


def info(*periods: str) -> QuestionInfo:
    return QuestionInfo(text="Có bao nhiêu trạm?", filters=Filters(periods=periods), terms=())


def test_a_clear_best_figure_is_answered() -> None:
    best, other = cand(146, HIGH), cand(52, HIGH - 0.5)
    d = decide([other, best], info())  # in any order
    assert d.status is AnswerStatus.ANSWERED and d.reason == "clear"
    assert d.best is best and d.other is None
    assert d.candidates == (best, other)


def test_no_candidate_or_a_weak_best_is_not_found() -> None:
    d = decide([], info())
    assert d.status is AnswerStatus.NOT_FOUND and d.reason == "no_candidate" and d.best is None
    weak = cand(146, ABSTAIN_BELOW - 0.01)
    d = decide([weak, cand(52, 0.2)], info())
    assert d.status is AnswerStatus.NOT_FOUND and d.reason == "below_threshold"
    assert [c.mention.quantity.value for c in d.candidates] == [146, 52]  # shown as the closest figures
    at = decide([cand(146, ABSTAIN_BELOW)], info())  # the threshold itself is answered
    assert at.status is AnswerStatus.ANSWERED


def test_a_different_figure_within_the_margin_is_ambiguous() -> None:
    best, rival = cand(50, HIGH), cand(70, HIGH - AMBIGUOUS_WITHIN / 2)
    d = decide([best, rival], info())
    assert d.status is AnswerStatus.AMBIGUOUS and d.reason == "close_rival"
    assert (d.best, d.other) == (best, rival)
    # just outside the margin the best stands
    assert decide([best, cand(70, HIGH - AMBIGUOUS_WITHIN - 0.01)], info()).status is AnswerStatus.ANSWERED


def test_the_same_value_printed_another_way_is_no_rival() -> None:
    billions = cand(30.5, HIGH, unit="đồng", scale=1e9, raw="30,5 tỷ đồng")
    millions = cand(30500, HIGH - 0.01, unit="đồng", scale=1e6, raw="30.500 triệu đồng")
    d = decide([billions, millions], info())
    assert d.status is AnswerStatus.ANSWERED and d.best is billions


def test_thresholds_are_arguments() -> None:
    best, other = cand(146, 2.0), cand(52, 1.5)
    assert decide([best, other], info()).status is AnswerStatus.ANSWERED
    assert decide([best, other], info(), abstain_below=2.5).status is AnswerStatus.NOT_FOUND
    assert decide([best, other], info(), ambiguous_within=0.6).status is AnswerStatus.AMBIGUOUS


def test_a_part_of_a_combined_question_may_answer_a_little_under_the_threshold() -> None:
    alone = [cand(146, ABSTAIN_BELOW - PART_SLACK / 2), cand(52, 0.1)]
    assert decide(alone, info()).status is AnswerStatus.NOT_FOUND
    assert decide(alone, info(), part=True).status is AnswerStatus.ANSWERED
    crowded = [cand(146, ABSTAIN_BELOW - PART_SLACK / 2), cand(52, ABSTAIN_BELOW - PART_SLACK)]
    assert decide(crowded, info(), part=True).status is AnswerStatus.NOT_FOUND  # no clear lead
    too_weak = [cand(146, ABSTAIN_BELOW - PART_SLACK - 0.01)]
    assert decide(too_weak, info(), part=True).status is AnswerStatus.NOT_FOUND


def test_no_period_asked_the_newest_report_decides() -> None:
    old = cand(1800, HIGH, doc="old", period="2022")
    new = cand(1950, HIGH - 0.5, doc="new", period="2023")
    d = decide([old, new], info())
    assert d.status is AnswerStatus.ANSWERED and d.best is new
    assert d.candidates == (new,)  # the older report's figure is not even shown
    asked = decide([old, new], info("2022"))
    assert asked.status is AnswerStatus.ANSWERED and asked.best is old
    # two reports within the margin: without the rule this would be a coin toss
    close = decide([old, cand(1950, HIGH - 0.01, doc="new", period="2023")], info())
    assert close.status is AnswerStatus.ANSWERED and close.best.mention.quantity.value == 1950


def test_one_report_giving_two_values_for_one_indicator_is_a_conflict() -> None:
    a = cand(3430, HIGH, doc="d1", clause="Toàn tỉnh hiện có 3.430 trạm BTS đang hoạt động", raw="3.430 trạm")
    b = cand(
        3450, HIGH - 0.5, doc="d1", clause="Toàn tỉnh hiện có 3.450 trạm BTS đang hoạt động", raw="3.450 trạm"
    )
    d = decide([a, b], info())
    assert d.status is AnswerStatus.AMBIGUOUS and d.reason == "conflict" and (d.best, d.other) == (a, b)
    other_report = cand(
        3450, HIGH - 0.5, doc="d2", clause="Toàn tỉnh hiện có 3.450 trạm BTS đang hoạt động", raw="3.450 trạm"
    )
    assert decide([a, other_report], info()).status is AnswerStatus.ANSWERED
    other_indicator = cand(
        35, HIGH - 0.5, doc="d1", clause="Trong năm đã phát triển được 35 trạm 5G mới", raw="35 trạm"
    )
    assert decide([a, other_indicator], info()).status is AnswerStatus.ANSWERED
