"""The one sentence/clause splitter (rag.text.segment), on sentences of the sample reports and on the
cases each of its former copies handled: numbers, abbreviations, outline labels, lists after a colon,
bullets, page breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.text.segment import (
    clause_spans,
    paragraph_spans,
    sentence_spans,
    span_at,
    span_before,
    start_before,
    statement_spans,
)

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def cut(fn, text: str) -> list[str]:
    return [text[s:e] for s, e in fn(text)]


# A sentence of the Ninh Thuận report: one verb ("Có") opens a list of figures cut by ";".
NT_LIST = (
    "Trên địa bàn tỉnh hiện có 07 doanh nghiệp cung cấp các dịch vụ viễn thông. Có 182 điểm chuyển mạch; "
    "284 tuyến viba; 84 tuyến cáp đồng dài 2.303 km; 804 tuyến cáp quang với tổng chiều dài 7.148 km."
)


def test_the_sample_sentence_is_in_the_corpus() -> None:
    text = (CORPUS / "ninhthuan-2021-02.txt").read_text(encoding="utf-8")
    assert "Có 182 điểm chuyển mạch; 284 tuyến viba; 84 tuyến cáp đồng dài 2.303 km; 804 tuyến" in text


def test_grains_of_a_list_sentence() -> None:
    assert cut(sentence_spans, NT_LIST) == [
        "Trên địa bàn tỉnh hiện có 07 doanh nghiệp cung cấp các dịch vụ viễn thông.",
        "Có 182 điểm chuyển mạch;",
        "284 tuyến viba;",
        "84 tuyến cáp đồng dài 2.303 km;",
        "804 tuyến cáp quang với tổng chiều dài 7.148 km.",
    ]
    # A statement keeps a list's items with the verb that opens it ...
    assert cut(statement_spans, NT_LIST)[1] == (
        "Có 182 điểm chuyển mạch; 284 tuyến viba; 84 tuyến cáp đồng dài 2.303 km; "
        "804 tuyến cáp quang với tổng chiều dài 7.148 km."
    )
    # ... and a clause is one item.
    assert cut(clause_spans, NT_LIST)[1:3] == ["Có 182 điểm chuyển mạch", "284 tuyến viba"]


def test_numbers_abbreviations_and_bullets() -> None:
    text = (
        "Doanh thu ước đạt 1.674.885 thuê bao. TP. Nam Định đạt 12,5%; Chợ 4.0 hoạt động\n- 100% xã có điểm."
    )
    assert cut(clause_spans, text) == [
        "Doanh thu ước đạt 1.674.885 thuê bao.",
        "TP. Nam Định đạt 12,5%",
        "Chợ 4.0 hoạt động",
        "100% xã có điểm.",
    ]
    # Lower-case abbreviations too, and a dotted one ("v.v."); no sentence ends inside them.
    text = "Các lớp do ThS. Lê Văn A, Tp. Phan Rang dạy, v.v. Tổng cộng 12 lớp."
    assert cut(sentence_spans, text) == [
        "Các lớp do ThS. Lê Văn A, Tp. Phan Rang dạy, v.v. Tổng cộng 12 lớp."
    ]


def test_outline_labels_stay_with_their_heading() -> None:
    text = "1.2. Lĩnh vực Công nghệ thông tin\nII. KẾ HOẠCH THÁNG 11\na. Nội dung"
    assert cut(clause_spans, text) == [
        "1.2. Lĩnh vực Công nghệ thông tin",
        "II. KẾ HOẠCH THÁNG 11",
        "a. Nội dung",
    ]
    assert cut(sentence_spans, "3.2.1. Hạ tầng viễn thông") == ["3.2.1. Hạ tầng viễn thông"]


def test_a_stop_needs_a_sentence_to_follow() -> None:
    # "… 12 lớp. trong đó" is a typo'd continuation, not two sentences; a quote opening a sentence counts.
    assert len(sentence_spans("Mở 12 lớp. trong đó 3 lớp trực tuyến.")) == 1
    assert cut(sentence_spans, 'Đạt 12 lớp. "Chuyển đổi số" được tuyên truyền.') == [
        "Đạt 12 lớp.",
        '"Chuyển đổi số" được tuyên truyền.',
    ]


def test_page_break_paragraphs() -> None:
    # Text from a PDF: a page number between blank lines cuts a paragraph; paragraphs keep exact spans.
    text = "Toàn tỉnh có 1.904 trạm BTS\n\n12\n\nvà 667 vị trí trạm."
    paras = paragraph_spans(text)
    assert [text[s:e] for s, e in paras] == ["Toàn tỉnh có 1.904 trạm BTS", "12", "và 667 vị trí trạm."]


def test_spans_are_exact_and_trimmed_of_bullets() -> None:
    text = "Kết quả:\n  - 146 vị trí được thẩm định;\n  + 52 trạm xây mới.\n• 35 trạm 5G."
    for fn in (statement_spans, clause_spans):
        for s, e in fn(text):
            assert text[s:e] == text[s:e].strip() and text[s] not in "-+•"
    assert cut(statement_spans, text) == [
        "Kết quả:",
        "146 vị trí được thẩm định;",
        "52 trạm xây mới.",
        "35 trạm 5G.",
    ]


def test_lookups_by_position() -> None:
    i = NT_LIST.index("284")
    s, e = span_at(NT_LIST, i, "clause")
    assert NT_LIST[s:e] == "284 tuyến viba"
    assert NT_LIST[start_before(NT_LIST, i, "statement") : i] == "Có 182 điểm chuyển mạch; "
    assert span_at(NT_LIST, NT_LIST.index("Có 182") - 1, "clause") is None  # the blank between two
    s, e = span_before(NT_LIST, NT_LIST.index("Có 182"), "sentence")
    assert NT_LIST[s:e].startswith("Trên địa bàn tỉnh") and NT_LIST[s:e].endswith("viễn thông.")
    assert span_before(NT_LIST, 5, "sentence") is None  # nothing ends before the first sentence
    with pytest.raises(KeyError):
        span_at(NT_LIST, i, "word")


@pytest.mark.parametrize("fn", [sentence_spans, statement_spans, clause_spans])
def test_every_figure_of_the_sample_reports_is_inside_one_span(fn) -> None:
    """No grain cuts a number: each printed figure of the four reports lies within one span."""
    import re

    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = fn(text)
        starts = [s for s, _ in spans]
        import bisect

        for m in re.finditer(r"\d+(?:[.,]\d+)+", text):
            i = bisect.bisect_right(starts, m.start()) - 1
            assert i >= 0 and spans[i][1] >= m.end(), (path.name, m.group())


def test_a_dash_between_two_numbers_is_a_range_not_a_bullet() -> None:
    from rag.text.segment import statement_spans

    text = "Tổng kinh phí giai đoạn 2016 - 2020 là 11,6 tỷ đồng - Doanh thu đạt 5 tỷ."
    assert [text[s:e] for s, e in statement_spans(text)] == [
        "Tổng kinh phí giai đoạn 2016 - 2020 là 11,6 tỷ đồng",
        "Doanh thu đạt 5 tỷ.",
    ]
