"""Questions over many reports: a series over periods ("qua các tháng năm 2024", "từ 2021 đến 2024"), a
comparison of provinces ("các tỉnh", "so sánh"), a ranking ("tỉnh nào … cao nhất", "top 5") and the change
between two periods ("năm 2024 so với 2023").

Each cell is one plain question answered by the single-figure answerer with the cell's own report
filters, so a cell is held to the same evidence rule as any answer and cites its passage. A cell with no
report is shown as missing, never as zero; a cell the reports do not answer is shown as not found; nothing
is differenced or summed that the question did not ask for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rag.core.types import Answer, AnswerStatus, Citation, Document, Filters, Hit
from rag.lexicon import load_lexicon
from rag.text.gazetteer import fold, fold_aligned

if TYPE_CHECKING:
    from rag.answer.asker import Asker
    from rag.answer.understand import QuestionInfo

_CUES = load_lexicon().across
_YEAR_SPAN = re.compile(
    r"(?:từ|tu)\s+(?:năm\s+|nam\s+)?(20\d\d)\s+(?:đến|den|tới|toi)\s+(?:năm\s+|nam\s+)?(20\d\d)"
    r"|(?<!\d)(20\d\d)\s*[-–]\s*(20\d\d)(?!\d)",
    re.IGNORECASE,
)
_TOP = re.compile(
    r"(?<!\w)top\s*(\d{1,2})(?!\d)|(?<!\w)(\d{1,2})\s+(?:tỉnh|tinh|địa phương|dia phuong)(?!\w)"
)
# "nhiều vị trí BTS nhất" asks "bao nhiêu vị trí BTS" of each province
_MOST = re.compile(r"(?<!\w)(nhiều|nhieu|ít|it)\s+(\S.{0,60}?)\s+(nhất|nhat)(?!\w)", re.IGNORECASE)
MAX_CELLS = 24
# No period asked: a province's figure comes from its newest report that prints it, looked for in its
# newest few reports (an annual report may leave out what the monthly ones print).
NEWEST_TRIED = 3


@dataclass(frozen=True)
class Across:
    kind: str  # series | compare | rank | change
    order: str = "desc"  # rank: desc (cao nhất) | asc (thấp nhất)
    top: int = 0  # rank: how many to show first (0: all, the first one named)
    years: tuple[int, ...] = ()  # series over a span of years
    grain: str = ""  # monthly | quarterly | annual | "" (series: every report of the span; else: any)
    periods: tuple[str, ...] = ()  # change: (earlier, later)


def _hay(text: str) -> tuple[str, bool]:
    from rag.answer.understand import has_diacritics, normalise_for_cues
    from rag.text.gazetteer import province_mentions

    plain = not has_diacritics(text)
    # a province's name is no cue: typed without diacritics "dien bien" (Điện Biên) is "diễn biến" (trend)
    for start, end, _ in reversed(province_mentions(text)):
        text = text[:start] + " " + text[end:]
    return normalise_for_cues(text, plain), plain


def _any(hay: str, plain: bool, cues: tuple[str, ...]) -> bool:
    from rag.answer.understand import has_cue

    return any(has_cue(hay, c, plain) for c in cues)


def across_intent(question: str, info: QuestionInfo) -> Across | None:
    """What kind of many-report question this is, or None for a one-figure question."""
    from rag.answer.query import parse_question
    from rag.text.periods import is_period, period_sort_key

    hay, plain = _hay(question)
    provinces, periods = info.filters.provinces, info.filters.periods
    folded = fold(question)
    # "trong tháng" with no period named: the monthly reports are compared, not an annual one beside them
    grain = ""
    if not periods:
        if _any(hay, plain, _CUES["grain_monthly"]):
            grain = "monthly"
        elif _any(hay, plain, _CUES["grain_annual"]):
            grain = "annual"
    most = _MOST.search(question) or _MOST.search(folded)
    high, low_end = _any(hay, plain, _CUES["rank_high"]), _any(hay, plain, _CUES["rank_low"])
    # one province named: what leads is inside it ("Cục Thuế Phú Thọ dẫn đầu xếp hạng CĐS các sở, ngành"),
    # not a ranking of provinces
    ranked = _any(hay, plain, _CUES["rank_subject"]) and (high or low_end or _TOP.search(folded) or most)
    if ranked and len(provinces) != 1:
        top = _TOP.search(folded)
        n = int(top.group(1) or top.group(2)) if top else 0
        low = low_end and not high
        if most and not high and not low_end:
            low = fold(most.group(1)).lower() == "it"  # "ít X nhất"
        return Across("rank", order="asc" if low else "desc", top=n, grain=grain)
    span = _YEAR_SPAN.search(question)
    years: tuple[int, ...] = ()
    # "2024-2025" alone names a plan's span ("kế hoạch 2024-2025"); "từ 2021 đến 2024" asks a series
    if span and span.group(1) is None and not _any(hay, plain, _CUES["series"]):
        span = None
    if span:
        a, b = (int(x) for x in (span.group(1) or span.group(3), span.group(2) or span.group(4)))
        if a < b <= a + 30:
            years = tuple(range(a, b + 1))
    if _any(hay, plain, _CUES["series"]) or (years and len(provinces) <= 1):
        grain = ""
        if re.search(r"cac thang|tung thang|theo thang|hang thang", folded):
            grain = "monthly"
        elif re.search(r"cac quy|tung quy|theo quy", folded):
            grain = "quarterly"
        elif re.search(r"cac nam|tung nam|theo nam", folded) or years:
            grain = "annual"
        if not years:
            years = tuple(sorted({int(p[:4]) for p in periods if is_period(p)}))
        return Across("series", years=years, grain=grain)
    if _any(hay, plain, _CUES["compare"]) and len(provinces) != 1 and not info.operation:
        # "So sánh …, Trà Vinh (tháng 10/2022) nhiều hơn Ninh Thuận (tháng 2/2021) bao nhiêu": a
        # difference asked, each province of its own period (a combined question), no table
        return Across("compare", grain=grain)
    if len(provinces) > 1 and not info.operation:
        # "… của Nam Định, Ninh Thuận và Trà Vinh?": one figure each, side by side (a sum or a difference
        # of them is a combined question)
        return Across("compare", grain=grain)
    if len(provinces) <= 1 and _any(hay, plain, _CUES["change"]):
        named = list(periods) + [p for p in parse_question(question).compare if p not in periods]
        named = [p for p in named if is_period(p)]
        if len(named) == 2:
            earlier, later = sorted(named, key=period_sort_key)
            return Across("change", periods=(earlier, later))
    return None


_CHANGE_IN_PERCENT = re.compile(
    r"(?i)(?<!\w)(?:tăng|giảm|tang|giam)(?:\s+\w+)?\s+bao\s+nhi[eê]u\s*(?:%|ph[aầ]n\s+tr[aă]m)"
)


_KEPT_AFTER = re.compile(
    r"\s+(?:cùng kỳ|cung ky|kế hoạch|ke hoach|chỉ tiêu|chi tieu|(?:năm|nam|tháng|thang|quý|quy|kỳ|ky)\s+"
    r"(?:trước|truoc))(?!\w)"
)
_NAMES_A_CHANGE = re.compile(r"(?:tốc độ|toc do|mức|muc|tỷ lệ|tỉ lệ|ty le|ti le)\s*\Z")


def cell_question(question: str, kind: str = "") -> str:
    """The question one cell asks: the many-report words gone, "nhiều X nhất" read as "bao nhiêu X"; for a
    change, the level of each period ("tăng bao nhiêu so với" gone too)."""
    q = unicodedata.normalize("NFC", question)
    q = _MOST.sub(lambda m: f"bao nhiêu {m.group(2)}", q)
    q = _YEAR_SPAN.sub(" ", q)
    from rag.answer.understand import has_diacritics

    # Cues are matched with their diacritics when the question has them: folded, "có" is "cơ" too
    # ("Số cơ quan" lost its "cơ"), "nào" is "não".
    plain = not has_diacritics(q) or len(q.lower()) != len(q)
    folded = fold_aligned(q).lower() if plain else q.lower()
    keep = [True] * len(q)
    cues = [c for k in ("series", "compare", "rank_subject", "rank_high", "rank_low") for c in _CUES[k]]
    # without diacritics "co" may be "cơ" (cơ quan), so it stays: a stray "có" harms no answer
    cues += ["so với", "nào"] if plain else ["so với", "có", "nào"]
    cues += _CUES["latest"]
    if kind == "change":
        asked = list(_CUES["change_asked"])
        if not _CHANGE_IN_PERCENT.search(q):
            # "so với tháng 2/2022: bao nhiêu phần trăm HTTT đã được duyệt": the level is a share; only
            # "tăng/giảm bao nhiêu %" asks for the change in percent
            asked = [c for c in asked if "%" not in c and "phần trăm" not in c]
        cues += [*_CUES["change"], *asked]
    for cue in sorted({fold(c) if plain else c.lower() for c in cues}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(cue)}(?!\w)(?!\s+(?:truong|trưởng))", folded):
            if fold(cue) == "so voi" and _KEPT_AFTER.match(folded, m.end()):
                continue  # "tăng 8% so với cùng kỳ": the figure asked is a change against a baseline
            if fold(cue) in ("tang", "giam") and _NAMES_A_CHANGE.search(folded, 0, m.start()):
                continue  # "tốc độ tăng doanh thu" names an indicator: only the verb asks the change
            keep[m.start() : m.end()] = [False] * (m.end() - m.start())
    q = "".join(c if k else " " for c, k in zip(q, keep, strict=True))
    q = _TOP.sub(" ", q)
    q = re.sub(r"\s+([?,.;:])", r"\1", " ".join(q.split()))
    if not re.search(r"bao nhi[eê]u|m[aấ]y\b", fold(q)):
        q = q.rstrip("?. ") + " là bao nhiêu?"
    return q


# --- the cells ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    key: str  # a province or a period code
    label: str
    answer: Answer | None  # None: no report for this cell
    hits: tuple[Hit, ...] = ()

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.status == AnswerStatus.ANSWERED

    @property
    def base(self) -> float | None:
        return (
            self.answer.value * self.answer.scale if self.answered and self.answer.value is not None else None
        )


def _grain_of(doc: Document) -> str:
    from rag.text.periods import period_kind

    try:
        kind = period_kind(doc.period)
    except ValueError:
        return ""
    return kind if kind in ("monthly", "quarterly", "annual") else "other"


def _series_docs(asker: Asker, info: QuestionInfo, spec: Across) -> list[Document]:
    from rag.text.gazetteer import files_under
    from rag.text.periods import period_sort_key

    docs = [
        d
        for d in asker.retriever.documents
        if d.period
        and (not info.filters.provinces or any(files_under(p, d.province) for p in info.filters.provinces))
        and (not spec.years or int(d.period[:4]) in spec.years)
    ]
    if spec.grain == "annual":
        # "qua các năm": a year's annual report, or where a year has none its latest report (labelled
        # with its own period: a level of August is not the year's)
        by_year: dict[tuple[str, int], list[Document]] = {}
        for d in docs:
            by_year.setdefault((d.province, int(d.period[:4])), []).append(d)
        docs = [
            next((d for d in group if _grain_of(d) == "annual"), None)
            or max(group, key=lambda d: period_sort_key(d.period))
            for group in by_year.values()
        ]
    elif spec.grain:
        same = [d for d in docs if _grain_of(d) == spec.grain]
        docs = same or docs
    # one report per (province, period): a supplement of the same period is another row only if it
    # is the only one
    seen, out = set(), []
    for d in sorted(docs, key=lambda d: (period_sort_key(d.period), d.province, d.source)):
        if (d.province, d.period) not in seen:
            seen.add((d.province, d.period))
            out.append(d)
    return out


def _province_docs(
    asker: Asker, info: QuestionInfo, grain: str = ""
) -> tuple[list[tuple[str, list[Document]]], str]:
    """For a comparison: (province, its reports that may answer, newest first), and the asked period ("" when
    none was asked: then each province's most recent report that prints the figure answers)."""
    from rag.text.gazetteer import files_under
    from rag.text.periods import period_sort_key

    docs = asker.retriever.documents
    period = info.filters.periods[0] if info.filters.periods else ""
    provinces = list(info.filters.provinces) or sorted({d.province for d in docs if d.province})
    out = []
    for p in provinces:
        own = [
            d
            for d in docs
            if d.period
            and (d.period == period or not period and (not grain or _grain_of(d) == grain))
            and files_under(p, d.province)
        ]
        own.sort(key=lambda d: d.source)
        own.sort(key=lambda d: period_sort_key(d.period), reverse=True)
        out.append((p, own[:NEWEST_TRIED] if not period else own[:1]))
    return out, period


def period_report(asker: Asker, info: QuestionInfo, period: str) -> Document | None:
    """The report of exactly `period` among those the question's filters select (its province's), or None:
    one side of a change."""
    own = asker.retriever.own_period_filters(replace(info.filters, periods=(period,)))
    return next((d for d in asker.retriever.documents_matching(own) if d.period == period), None)


def _ask_cell(asker: Asker, question: str, key: str, label: str, doc: Document | None) -> Cell:
    if doc is None:
        return Cell(key, label, None)
    answer, hits = asker.answer_cell(
        question,
        Filters(
            provinces=(doc.province,) if doc.province else (), periods=(doc.period,), doc_ids=(doc.doc_id,)
        ),
    )
    return Cell(key, label, answer, tuple(hits[:2]))


def _newest_cell(asker: Asker, question: str, province: str, own: list[Document], labelled: bool) -> Cell:
    """A province's cell from the first of its reports (newest first) that answers; `labelled`: the label
    names the report's period, as the reports of a comparison may be of different periods."""
    from rag.text.periods import describe_period

    cell = Cell(province, province, None)
    for doc in own:
        label = f"{province} ({describe_period(doc.period)})" if labelled else province
        tried = _ask_cell(asker, question, province, label, doc)
        if cell.answer is None or tried.answered:
            cell = tried
        if tried.answer is not None and tried.answer.status != AnswerStatus.NOT_FOUND:
            break  # an unclear figure in the newest report is not settled by an older one
    return cell


def _shown(cell: Cell) -> str:
    from rag.text.numbers import format_quantity

    if cell.answer is None:
        return "— (không có báo cáo)"
    if not cell.answered or cell.answer.value is None:
        return "— (báo cáo không nêu)" if cell.answer.status == AnswerStatus.NOT_FOUND else "? (không rõ)"
    a = cell.answer
    return format_quantity(a.value, a.unit, a.scale)


def _cite(c: Citation) -> str:
    return f"{c.source} › {c.section}" if c.section else c.source


def _table(columns: list[str], cells: list[Cell]) -> dict[str, Any]:
    rows = []
    for c in cells:
        cites = list(c.answer.citations[:1]) if c.answered and c.answer else []
        rows.append(
            {
                "key": c.key,
                "cells": [c.label, _shown(c), _cite(cites[0]) if cites else ""],
                "value": c.answer.value if c.answered and c.answer else None,
                "unit": c.answer.unit if c.answered and c.answer else "",
                "scale": c.answer.scale if c.answered and c.answer else 1.0,
                "status": "no_report" if c.answer is None else c.answer.status.value,
                "citations": [x.to_dict() for x in cites],
            }
        )
    return {"columns": columns, "rows": rows}


def answer_across(asker: Asker, info: QuestionInfo, spec: Across) -> tuple[Answer, list[Hit]]:
    from rag.text.periods import describe_period

    question = cell_question(info.text, spec.kind)
    if spec.kind == "series":
        docs = _series_docs(asker, info, spec)
        provinces = {d.province for d in docs}
        if len(provinces) > 1 and not info.filters.provinces:
            return _refuse(info, "Câu hỏi theo chuỗi thời gian cần một tỉnh: hãy nêu tên tỉnh.")
        cells = [_ask_cell(asker, question, d.period, describe_period(d.period), d) for d in docs[:MAX_CELLS]]
        cells = _with_gaps(_one_unit(cells), spec)
        return _finish(info, question, spec, ["Kỳ", "Giá trị", "Nguồn"], cells, _series_sentence(cells))
    if spec.kind == "change":
        cells = [
            _ask_cell(asker, question, p, describe_period(p), period_report(asker, info, p))
            for p in spec.periods
        ]
        cells = _one_unit(cells)
        return _finish(info, question, spec, ["Kỳ", "Giá trị", "Nguồn"], cells, *_change(cells))
    pairs, period = _province_docs(asker, info, spec.grain)
    cells = _one_unit(
        [_newest_cell(asker, question, p, own, labelled=not period) for p, own in pairs[: MAX_CELLS * 3]]
    )
    head = describe_period(period) if period else "theo báo cáo gần nhất của mỗi tỉnh"
    if spec.kind == "rank":
        have = sorted(
            (c for c in cells if c.base is not None), key=lambda c: c.base, reverse=spec.order == "desc"
        )
        rest = [c for c in cells if c.base is None and c.answer is not None]
        shown = have[: spec.top] if spec.top else have
        cells = shown + ([] if spec.top else rest)
        sentence = _rank_sentence(have, spec, head)
        return _finish(
            info, question, spec, ["Tỉnh", "Giá trị", "Nguồn"], cells, sentence, top=have[0] if have else None
        )
    if not any(own for _, own in pairs):
        return _refuse(
            info,
            f"Không có báo cáo {describe_period(period) if period else 'nào'} của các tỉnh được hỏi trong chỉ mục.",
        )
    if not info.filters.provinces:
        cells = [c for c in cells if c.answer is not None]  # "các tỉnh": those that reported the period
    n_got = sum(c.answered for c in cells)
    sentence = (
        f"So sánh {head}: {n_got}/{sum(c.answer is not None for c in cells)} tỉnh có báo cáo nêu số liệu này."
    )
    missing = [c.label for c in cells if c.answer is None]
    if missing:
        sentence += f" Không có báo cáo {'kỳ này ' if period else ''}của: " + ", ".join(missing) + "."
    return _finish(info, question, spec, ["Tỉnh", "Giá trị", "Nguồn"], cells, sentence)


def _one_unit(cells: list[Cell]) -> list[Cell]:
    """One indicator is printed in one unit across reports ("tỷ đồng" and "triệu đồng" are one): a cell
    answered in another unit than most cells read another figure, and is shown as unclear, not stated."""
    from collections import Counter

    from rag.text.numbers import normalise_unit

    # a figure printed bare ("tổng số hộp thư … là 8.009") takes its noun from the sentence: no other unit
    units = [u for c in cells if c.answered and (u := normalise_unit(c.answer.unit)[0])]
    if len(set(units)) < 2:
        return cells
    counts = Counter(units).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        keep = None  # no majority: every cell is unclear
    else:
        keep = counts[0][0]
    out = []
    for c in cells:
        if c.answered and c.answer.unit and normalise_unit(c.answer.unit)[0] != keep:
            a = replace(c.answer, status=AnswerStatus.AMBIGUOUS, text=f"đơn vị khác ({c.answer.unit})")
            c = replace(c, answer=a)
        out.append(c)
    return out


def _with_gaps(cells: list[Cell], spec: Across) -> list[Cell]:
    """Months (or quarters) of the span with no report appear as missing rows, not as zero or nothing."""
    from rag.text.periods import describe_period

    if spec.grain not in ("monthly", "quarterly") or not cells:
        return cells
    have = {c.key: c for c in cells}
    years = sorted({int(c.key[:4]) for c in cells})
    out = []
    for y in years:
        keys = [k for k in have if k.startswith(str(y))]
        last = max(keys)
        if spec.grain == "monthly":
            codes = [f"{y}-{m:02d}" for m in range(1, int(last[5:7]) + 1)]
        else:
            codes = [f"{y}-Q{q}" for q in range(1, int(last[-1]) + 1)]
        out += [have.get(code) or Cell(code, describe_period(code), None) for code in codes]
    return out


def _series_sentence(cells: list[Cell]) -> str:
    got = [c for c in cells if c.base is not None]
    if not got:
        return "Không tìm thấy số liệu này trong các báo cáo của chuỗi."
    first, last = got[0], got[-1]
    s = f"{len(got)}/{len(cells)} kỳ có số liệu, từ {_shown(first)} ({first.label}) đến {_shown(last)} ({last.label})."
    missing = [c.label for c in cells if c.answer is None]
    if missing:
        s += " Không có báo cáo: " + ", ".join(missing) + "."
    return s


def _change(cells: list[Cell]) -> tuple[str, dict[str, Any]]:
    from rag.text.numbers import format_quantity, normalise_unit

    a, b = cells
    if a.base is None or b.base is None:
        missing = [c.label for c in cells if c.base is None]
        return "Không tính được thay đổi: thiếu số liệu " + ", ".join(missing) + ".", {}
    ua, ub = normalise_unit(a.answer.unit)[0], normalise_unit(b.answer.unit)[0]
    if ua != ub:
        return f"Hai kỳ có đơn vị khác nhau ({ua}, {ub}), không so được.", {}
    diff = b.base - a.base
    scale = b.answer.scale
    # two shares differ by percentage points; a relative change of a share says little
    share = ub == "%"
    unit = "điểm phần trăm" if share else b.answer.unit
    shown = format_quantity(diff / scale, unit, scale)
    arithmetic = f"{_shown(b)} − {_shown(a)} = {shown}"
    pct = f"{diff / a.base * 100:+.1f}%".replace(".", ",") if a.base and not share else ""
    word = "tăng" if diff > 0 else "giảm" if diff < 0 else "không đổi"
    sentence = (
        f"{b.label} so với {a.label}: {word} {shown.lstrip('-')}"
        + (f" ({pct})" if pct else "")
        + f"; {arithmetic}."
    )
    return sentence, {"arithmetic": arithmetic, "value": diff / scale, "unit": unit, "scale": scale}


def _rank_sentence(have: list[Cell], spec: Across, head: str) -> str:
    if not have:
        return "Không tỉnh nào có số liệu này" + (f" {head}" if head else "") + "."
    end = "cao nhất" if spec.order == "desc" else "thấp nhất"
    s = f"{have[0].label} {end}" + (f" {head}" if head else "") + f": {_shown(have[0])}"
    if len(have) > 1:
        s += f"; tiếp theo {have[1].label} ({_shown(have[1])})"
    return s + f". Xếp hạng trên {len(have)} tỉnh có số liệu."


def _refuse(info: QuestionInfo, text: str) -> tuple[Answer, list[Hit]]:
    return Answer(
        question=info.text, status=AnswerStatus.NOT_FOUND, text=text, interpretation=info.to_dict()
    ), []


def _finish(
    info: QuestionInfo,
    question: str,
    spec: Across,
    columns: list[str],
    cells: list[Cell],
    sentence: str,
    computed: dict[str, Any] | None = None,
    top: Cell | None = None,
) -> tuple[Answer, list[Hit]]:
    table = _table(columns, cells)
    answered = [c for c in cells if c.answered]
    lines = [sentence, ""]
    for row in table["rows"]:
        label, shown, source = row["cells"]
        lines.append(f"- {label}: {shown}" + (f" — {source}" if source else ""))
    status = AnswerStatus.ANSWERED if answered else AnswerStatus.NOT_FOUND
    value = unit = None
    scale = 1.0
    if spec.kind == "rank" and top is not None:
        value, unit, scale = top.answer.value, top.answer.unit, top.answer.scale
    elif spec.kind == "change":
        if computed:
            value, unit, scale = computed["value"], computed["unit"], computed["scale"]
            table["arithmetic"] = computed["arithmetic"]
        else:
            status = AnswerStatus.NOT_FOUND
    hits = [h for c in cells for h in c.hits]
    return (
        Answer(
            question=info.text,
            status=status,
            text="\n".join(lines).strip(),
            value=value,
            unit=unit or "",
            scale=scale,
            citations=tuple(c.answer.citations[0] for c in answered if c.answer.citations),
            interpretation={**info.to_dict(), "across": spec.kind, "cell_question": question},
            table=table,
        ),
        hits,
    )
