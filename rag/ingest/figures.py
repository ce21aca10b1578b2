"""The rows of the indicator table, derived at ingest from a report's tagged mentions
(rag.text.numbers + rag.text.indicators) and stored in the catalog beside them, so the table is rebuilt
whenever the index is. A row keeps the figure's cited span; nothing is merged here: two reports printing
different values for the same thing are two rows, and rag.figures.check says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rag.core.types import Document, Mention
from rag.text.gazetteer import fold

# A sentence ends at . ; ! ? followed by a space, or at a line break. A colon does not end one: "thuê bao
# hiện có trên mạng: 12.345 thuê bao" names its figure before the colon.
SENTENCE_END = re.compile(r"[.;!?](?=\s)|\n")
# Figures are masked, small numbers kept: a copy that changed its figures still matches, while "mức 3" and
# "mức 4" (or "tháng 8") stay apart.
_NUMBER = re.compile(r"\d{3,}(?:[.,]\d+)*|\d+[.,]\d+")
_WORD = re.compile(r"[#\w]+")
WORDS_BEFORE = 8
WORDS_AFTER = 4


@dataclass(frozen=True)
class FigureRow:
    """One printed figure: what it counts, of which province and period, and where it is printed."""

    indicator: str  # the catalogued indicator id (rag/lexicon/indicators.toml), "" when none was tagged
    province: str
    period: str  # the report's period (YYYY, YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-9M) or ""
    aspects: tuple[str, ...]  # cumulative, plan, part, change, new, stock, total
    value: float  # scale applied: "1,2 triệu thuê bao" -> 1_200_000
    unit: str
    printed: str  # the figure as printed, unit included
    source: str  # the report's file name
    section: str  # heading path, " › " joined
    clause: str
    doc_id: str
    start: int  # span of `printed` in the report's normalised text
    end: int
    # The words printed around the figure inside its sentence, folded, numbers masked as '#': a figure
    # copied into another section or another report keeps it, whatever indicator the tagger gave it.
    signature: str
    # The figure's own words: from the previous figure of its sentence (or the sentence start) up to it,
    # folded ("luy ke doanh thu den het thang 6/2021 uoc dat", or just "tang" in "… tỷ đồng, tăng 8%").
    lead: str = ""
    chunk_id: str = ""

    @property
    def cite(self) -> str:
        where = f" › {self.section}" if self.section else ""
        return f"{self.source}{where}"


def _masked_words(text: str) -> list[str]:
    return _WORD.findall(_NUMBER.sub("#", fold(text)))


def signature(text: str, start: int, end: int) -> str:
    """The folded words around text[start:end] within its sentence, numbers as '#'."""
    before = text[max(0, start - 240) : start]
    cuts = list(SENTENCE_END.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    after = text[end : end + 160]
    cut = SENTENCE_END.search(after)
    if cut:
        after = after[: cut.start()]
    words_before = _masked_words(before)[-WORDS_BEFORE:]
    words_after = _masked_words(after)[:WORDS_AFTER]
    return " ".join([*words_before, "<>", *words_after])


def _lead(text: str, begin: int, start: int) -> str:
    cuts = list(SENTENCE_END.finditer(text, max(begin, start - 400), start))
    return fold(text[cuts[-1].end() if cuts else max(begin, start - 400) : start])


def figure_rows(docs: Iterable[Document], mentions: Iterable[Mention]) -> list[FigureRow]:
    """One row per figure whose sentence is not distrusted, in report order. A figure printed without
    a unit ("18.281 trực tuyến") is kept with unit "": it can still be printed twice with two values."""
    by_id = {d.doc_id: d for d in docs}
    by_doc: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.doc_id in by_id:
            by_doc.setdefault(m.doc_id, []).append(m)
    rows = []
    for doc_id, ms in by_doc.items():
        d = by_id[doc_id]
        ms.sort(key=lambda m: m.start)
        prev_end = 0
        for m in ms:
            begin, prev_end = prev_end, m.end
            if m.flagged:
                continue
            q = m.quantity
            rows.append(
                FigureRow(
                    indicator=m.indicators[0] if m.indicators else "",
                    province=d.province,
                    period=d.period,
                    aspects=m.aspects,
                    value=q.value * q.scale,
                    unit=q.unit,
                    printed=d.text[m.start : m.end],
                    source=d.source,
                    section=" › ".join(m.section),
                    clause=" ".join(m.clause.split()),
                    doc_id=m.doc_id,
                    start=m.start,
                    end=m.end,
                    signature=signature(d.text, m.start, m.end),
                    lead=_lead(d.text, begin, m.start),
                    chunk_id=m.chunk_id,
                )
            )
    rows.sort(key=lambda r: (r.province, r.period, r.source, r.start))
    return rows


# What a stored row does not keep: the report's province, period and shown name can be edited or renamed
# after ingest, so they are read from the document when the table is loaded.
_FROM_DOCUMENT = ("province", "period", "source")
_STORED = tuple(f for f in FigureRow.__dataclass_fields__ if f not in _FROM_DOCUMENT)


def row_to_json(row: FigureRow) -> str:
    return json.dumps([getattr(row, f) for f in _STORED], ensure_ascii=False)


def row_from_json(data: str, doc: Document) -> FigureRow:
    values = dict(zip(_STORED, json.loads(data), strict=True))
    values["aspects"] = tuple(values["aspects"])
    return FigureRow(province=doc.province, period=doc.period, source=doc.source, **values)
