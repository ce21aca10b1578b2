"""The one decision rule (`rag.answer.decide`): answer, abstain or call it ambiguous from scored
candidates; and the weight fitter, which must decide exactly as the answerer does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import fit_weights as fit
from rag.answer.candidates import Candidate
from rag.answer.decide import ABSTAIN_BELOW, AMBIGUOUS_WITHIN, OLDER_CLEAR_LEAD, PART_SLACK, decide
from rag.answer.understand import QuestionInfo
from rag.core.types import AnswerStatus, Chunk, Filters, Hit, Mention, Quantity

ROOT = Path(__file__).resolve().parent.parent
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
    new = cand(1950, HIGH - OLDER_CLEAR_LEAD + 0.05, doc="new", period="2023")
    d = decide([old, new], info())
    assert d.status is AnswerStatus.ANSWERED and d.best is new
    assert d.candidates == (new,)  # the older report's figure is not even shown
    asked = decide([old, new], info("2022"))
    assert asked.status is AnswerStatus.ANSWERED and asked.best is old
    # two reports within the margin: without the rule this would be a coin toss
    close = decide([old, cand(1950, HIGH - 0.01, doc="new", period="2023")], info())
    assert close.status is AnswerStatus.ANSWERED and close.best.mention.quantity.value == 1950
    # … unless an older report names what is asked far better: it is about something the newest is not
    far = decide([old, cand(1950, HIGH - OLDER_CLEAR_LEAD - 0.05, doc="new", period="2023")], info())
    assert far.status is AnswerStatus.ANSWERED and far.best is old


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


# --- the fitter decides as the answerer does ------------------------------------------------------------


def _report(province: str, year: int, body: str) -> str:
    return (
        f"SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH {province.upper()}\n\nBÁO CÁO\n"
        f"Kết quả công tác thông tin và truyền thông năm {year}\n\n"
        f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}\n\n1. Viễn thông\n\n{body}\n\n"
        f"2. Bưu chính\n\nDoanh thu bưu chính năm {year} ước đạt {year - 1800} tỷ đồng.\n"
    )


# What neither real nor generated gold asks: a question with no period over two years of one province
# (the newest report answers), and one report that gives two figures for one indicator (a conflict).
RULES = {
    "hanam-2022.txt": _report("Hà Nam", 2022, "Hiện có 1.800 trạm BTS đang hoạt động."),
    "hanam-2023.txt": _report(
        "Hà Nam", 2023, "Các doanh nghiệp viễn thông duy trì ổn định 1.950 trạm BTS đang hoạt động."
    ),
    "ninhbinh-2024.txt": _report(
        "Ninh Bình",
        2024,
        "Trong năm đã rà soát, chấp thuận 146 vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông.\n\n"
        "Số vị trí xây dựng trạm BTS được chấp thuận cho các doanh nghiệp viễn thông trong năm là 160 vị trí.",
    ),
}
RULES_GOLD = [
    ("Hà Nam hiện có bao nhiêu trạm BTS đang hoạt động?", 1950, "trạm"),
    ("Năm 2022 Hà Nam có bao nhiêu trạm BTS đang hoạt động?", 1800, "trạm"),
    (
        "Năm 2024 Ninh Bình đã chấp thuận bao nhiêu vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông?",
        None,
        "",
    ),
    ("Doanh thu bưu chính của Hà Nam đạt bao nhiêu?", 223, "tỷ đồng"),
    ("Hà Nam có bao nhiêu trạm phát thanh?", None, ""),
]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> list[tuple[Path, Path]]:
    import json

    from tools.synthetic import generate_corpus

    syn = tmp_path_factory.mktemp("syn")
    generate_corpus(syn, n_docs=20, seed=7)
    rules = tmp_path_factory.mktemp("rules")
    for name, text in RULES.items():
        (rules / name).write_text(text, encoding="utf-8")
    gold = rules.parent / "rules-gold.jsonl"
    gold.write_text(
        "".join(
            json.dumps({"question_vi": q, "answer": a, "unit": u, "kind": "count"}, ensure_ascii=False) + "\n"
            for q, a, u in RULES_GOLD
        ),
        encoding="utf-8",
    )
    return [
        (ROOT / "eval/corpus", ROOT / "eval/gold/dev.jsonl"),
        (syn, syn / "gold.jsonl"),
        (rules, gold),
    ]


def test_the_fitter_with_the_live_values_answers_what_the_answerer_answers(corpora, tmp_path: Path) -> None:
    seen, reasons = set(), set()
    for i, (corpus, gold) in enumerate(corpora):
        asker = fit.open_index(corpus, tmp_path / f"ix{i}")
        rows = fit.collect(asker, gold)
        assert len(rows) >= len(RULES_GOLD)
        decided = fit.decisions(rows, fit.live_weights(), ABSTAIN_BELOW, AMBIGUOUS_WITHIN)
        for row, d in zip(rows, decided, strict=True):
            a = asker.ask(row.question).answer
            assert a.status == d.status, (row.question, a.text, d.reason)
            seen.add(d.status)
            reasons.add(d.reason)
            if d.status is AnswerStatus.ANSWERED:
                q = d.best.mention.quantity
                assert (a.value, a.unit, a.scale) == (q.value, q.unit, q.scale), row.question
            elif d.status is AnswerStatus.AMBIGUOUS:
                shown = {(x.value, x.scale) for x in a.alternatives}
                assert shown == {
                    (c.mention.quantity.value, c.mention.quantity.scale) for c in (d.best, d.other)
                }
        # and the fitter's objective counts exactly those answers
        _, counts = fit.evaluate(rows, fit.live_weights(), ABSTAIN_BELOW, AMBIGUOUS_WITHIN)
        answered = [(r, d) for r, d in zip(rows, decided, strict=True) if d.status is AnswerStatus.ANSWERED]
        assert counts["correct"] + counts["false"] == len(answered)
        assert counts["correct"] == sum(r.is_gold(d.best) for r, d in answered)
    assert seen == set(AnswerStatus)  # all three outcomes were compared
    assert {"clear", "below_threshold", "close_rival", "conflict"} <= reasons


def test_other_trial_values_change_the_fitters_decisions(corpora, tmp_path: Path) -> None:
    corpus, gold = corpora[0]
    rows = fit.collect(fit.open_index(corpus, tmp_path / "ix"), gold)
    live = fit.evaluate(rows, fit.live_weights(), ABSTAIN_BELOW, AMBIGUOUS_WITHIN)[1]
    strict = fit.evaluate(rows, fit.live_weights(), ABSTAIN_BELOW + 10, AMBIGUOUS_WITHIN)[1]
    assert live["correct"] > 0 and strict["correct"] == strict["false"] == 0
    assert strict["abstain_ok"] == sum(not r.answerable for r in rows)


def test_a_figure_of_the_asked_indicator_may_answer_a_little_under_the_threshold() -> None:
    from dataclasses import replace

    from rag.answer.decide import INDICATOR_CLEAR_LEAD, INDICATOR_SLACK

    under = ABSTAIN_BELOW - INDICATOR_SLACK / 2
    named = replace(cand(53, under), features={"indicator": 1.0, "unit": 0.15})
    words_only = replace(cand(53, under), features={"indicator": 0.0, "unit": 0.15})
    far = cand(76, under - INDICATOR_CLEAR_LEAD - 0.01)
    assert decide([named, far], info()).status is AnswerStatus.ANSWERED
    assert decide([words_only, far], info()).status is AnswerStatus.NOT_FOUND
    # a qualifier that does not fit (a stock asked as what the month added) speaks against it
    stock = replace(named, features={"indicator": 1.0, "qualifiers": -0.25})
    assert decide([stock, far], info()).status is AnswerStatus.NOT_FOUND
    # no clear lead, or too far under: the threshold stands
    near = cand(76, under - INDICATOR_CLEAR_LEAD / 2)
    assert decide([named, near], info()).status is AnswerStatus.NOT_FOUND
    weak = replace(named, score=ABSTAIN_BELOW - INDICATOR_SLACK - 0.01)
    assert decide([weak], info()).status is AnswerStatus.NOT_FOUND


def test_a_rounding_of_the_figure_is_no_rival_and_the_full_figure_answers() -> None:
    title = cand(43, HIGH, unit="máy/100 dân", raw="43 máy/100 dân", doc="d")
    text = cand(43.3, HIGH - AMBIGUOUS_WITHIN / 2, unit="máy/100 dân", raw="43,3 máy/100 dân", doc="d")
    d = decide([title, text], info())
    assert d.status is AnswerStatus.ANSWERED and d.best is text
    # one digit is no rounding: "3 triệu đồng" beside "2,5 triệu đồng" are two fines
    three = cand(3, HIGH, unit="đồng", scale=1e6, raw="3 triệu đồng")
    half = cand(2.5, HIGH - AMBIGUOUS_WITHIN / 2, unit="đồng", scale=1e6, raw="2,5 triệu đồng")
    assert decide([three, half], info()).status is AnswerStatus.AMBIGUOUS


def test_a_close_call_goes_to_the_figure_of_the_asked_indicator() -> None:
    """ "Trạm 2G ở các xã biên giới …?": "99 trạm 2G" is tied to the asked indicator, "29 xã" can be no
    value of it; of two close figures the first answers. Two figures both of its unit stay ambiguous."""
    from dataclasses import replace

    asked = QuestionInfo(
        text="Trạm 2G ở các xã biên giới?", filters=Filters(), terms=(), indicators=("vienthong.bts.tram_2g",)
    )
    communes = replace(cand(29, HIGH, unit="xã", doc="d"), features={"indicator": 0.0})
    sites = replace(cand(99, HIGH - AMBIGUOUS_WITHIN / 2, doc="d"), features={"indicator": 1.0})
    d = decide([communes, sites], asked)
    assert d.status is AnswerStatus.ANSWERED and d.best is sites
    other_sites = replace(cand(38, HIGH, doc="e"), features={"indicator": 0.0})
    assert decide([other_sites, sites], asked).status is AnswerStatus.AMBIGUOUS


def test_a_close_density_gives_way_to_the_count_unless_a_density_is_asked() -> None:
    count = cand(426545, HIGH - AMBIGUOUS_WITHIN / 2, unit="máy", doc="d")
    density = cand(22.24, HIGH, unit="máy/100 dân", raw="22,24 máy/100 dân", doc="d")
    plain = QuestionInfo(text="Thuê bao ĐT Đồng Tháp T12/2007?", filters=Filters(), terms=())
    d = decide([density, count], plain)
    assert d.status is AnswerStatus.ANSWERED and d.best is count
    asked = QuestionInfo(text="Mật độ điện thoại Đồng Tháp T12/2007?", filters=Filters(), terms=())
    assert decide([density, count], asked).status is AnswerStatus.AMBIGUOUS


def test_a_year_asked_of_reports_that_each_cover_part_of_it_takes_the_newest() -> None:
    october = cand(80.2, HIGH, unit="%", raw="80,2%", period="2024-10")
    november = cand(91, HIGH - 0.2, unit="%", raw="91%", period="2024-11")
    d = decide([october, november], info("2024"))
    assert d.status is AnswerStatus.ANSWERED and d.best is november
    # … but the year's own report, where there is one, is not set aside for a part of the year
    year = cand(88, HIGH - 0.3, unit="%", raw="88%", period="2024")
    assert decide([october, november, year], info("2024")).best is october


def test_a_change_in_parentheses_is_no_part_named_by_a_year() -> None:
    """ "812 đơn vị (tăng 15 đơn vị so với năm 2021)": the parenthesis is a change, and the "năm" that
    the question's "năm 2022" shares with it names no part."""
    from rag.answer.candidates import _qualifier_score
    from rag.answer.decide import _the_part_asked

    text = "Phủ sóng 4G đến thôn, xóm: 812 đơn vị (tăng 15 đơn vị so với năm 2021)"
    chunk = Chunk("d:0", "d", 0, text, ("I. Kết quả",), 0, len(text), source="d.txt", period="2022")

    def at(raw: str, value: float, local: str) -> Candidate:
        s = text.index(raw)
        m = Mention("d:0", "d", Quantity(value, "đơn vị", 1.0, raw), text, s, s + len(raw))
        return Candidate(m, Hit(chunk, 1.0), HIGH, {}, local)

    level = at("812 đơn vị", 812, "xóm: ⟨812 đơn vị⟩")
    change = at("15 đơn vị", 15, "(tăng ⟨15 đơn vị⟩ so với năm 2021")
    asked = QuestionInfo(
        text="Số thôn, xóm có sóng 4G năm 2022?", filters=Filters(periods=("2022",)), terms=()
    )
    assert _the_part_asked(level, change, asked) is None
    # a change a level question did not ask weighs against the figure "tăng" leads
    assert _qualifier_score(set(), {"change"}, "đơn vị", "", changed=True) < _qualifier_score(
        set(), set(), "đơn vị", ""
    )
    assert _qualifier_score({"change"}, {"change"}, "đơn vị", "", changed=True) > 0
    # "sẽ giảm đi 2,1 máy/100 dân so với năm 2015" is led by its change too
    from rag.answer.candidates import _CHANGE_LEAD

    assert _CHANGE_LEAD.search("mật độ điện thoại cố định sẽ giảm đi ")
    assert not _CHANGE_LEAD.search("phát triển thêm ")
