"""The data that flows through the pipeline: small frozen dataclasses, nothing else.

ingest -> Document -> sections/chunk -> Chunk (+ Mention) -> index -> retrieve -> Hit -> answer -> Answer
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Document:
    """One report, normalised. `doc_id` is the hash of `text`, so the same content always has the same id."""

    doc_id: str
    source: str  # file name as the user knows it, e.g. "namdinh-2024.txt"
    text: str  # normalised text (NFC, tone marks, page breaks repaired)
    title: str = ""
    province: str = ""  # canonical name with diacritics, e.g. "Nam Định"
    period: str = ""  # YYYY | YYYY-MM | YYYY-Qn | YYYY-H1 | YYYY-9M
    kind: str = ""  # monthly | quarterly | half-year | nine-month | annual | other
    issuer: str = ""
    number: str = ""  # "Số: 123/BC-STTTT"
    date: str = ""  # ISO date of signature when known
    path: str = ""  # where it was read from
    pages: tuple[tuple[int, int], ...] = ()  # (char offset in text, page number) where a page starts

    def meta(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("text")
        d.pop("pages")
        return d


@dataclass(frozen=True)
class Section:
    """A heading in a report's outline; `path` is the headings from the root down to this one."""

    path: tuple[str, ...]
    start: int  # char offset of the section body (after the heading line) in Document.text
    end: int
    level: int


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # f"{doc_id}:{n}"
    doc_id: str
    n: int
    text: str  # the passage itself, as in the document
    section: tuple[str, ...]  # heading path
    start: int  # char span of `text` in Document.text
    end: int
    source: str = ""
    title: str = ""
    province: str = ""
    period: str = ""
    kind: str = ""
    periods: tuple[str, ...] = ()  # periods the passage itself speaks of ("năm 2025", "tháng 8/2021")
    page: int = 0

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    def embed_text(self) -> str:
        """What the embedder and the lexical index see: title and heading path give a passage its context."""
        head = " › ".join(p for p in (self.title, *self.section) if p)
        return f"{head}\n{self.text}" if head else self.text


@dataclass(frozen=True)
class Quantity:
    """A parsed number: `value` as printed (scale not applied), `scale` the multiplier its words give."""

    value: float
    unit: str = ""  # normalised unit, e.g. "%", "đồng", "thuê bao", "vị trí"
    scale: float = 1.0  # 1e3 nghìn, 1e6 triệu, 1e9 tỷ
    raw: str = ""  # the text as printed, e.g. "1,67 triệu thuê bao"
    start: int = 0  # span of `raw` in the string it was parsed from
    end: int = 0

    @property
    def base_value(self) -> float:
        return self.value * self.scale


@dataclass(frozen=True)
class Mention:
    """A number in a chunk, with the clause around it: the raw material of exact answers and summary tables."""

    chunk_id: str
    doc_id: str
    quantity: Quantity
    clause: str  # the clause/sentence holding the number
    start: int  # span of the number in Document.text
    end: int
    qualifier: str = ""  # "ước đạt", "hơn", "gần", "khoảng", ...
    section: tuple[str, ...] = ()
    # Why the number's sentence is distrusted ("bỏ qua … hướng dẫn": it speaks to an AI, see
    # rag.text.injection), or "". A flagged figure is never an answer, a key point or LLM context.
    flagged: str = ""
    # The catalogued indicators the figure reports (rag/lexicon/indicators.toml ids, rag.text.indicators)
    # and its aspects: cumulative, plan, part, change, new, stock, total.
    indicators: tuple[str, ...] = ()
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    lexical: float = 0.0
    dense: float | None = None
    rank: int = 0


@dataclass(frozen=True)
class Filters:
    provinces: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.provinces or self.periods or self.kinds or self.doc_ids)

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Citation:
    chunk_id: str
    source: str
    section: str
    quote: str
    start: int  # char span of `quote` in the normalised document text
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AnswerStatus(StrEnum):
    """What became of a question. A `str`, so `status == "answered"` and JSON keep working."""

    ANSWERED = "answered"  # one figure, stated with its source
    NOT_FOUND = "not_found"  # no figure the reports support; the closest ones may be shown
    AMBIGUOUS = "ambiguous"  # two figures fit and neither is stated

    def __str__(self) -> str:  # "answered", not "AnswerStatus.ANSWERED", in f-strings and str()
        return self.value


@dataclass(frozen=True)
class Alternative:
    """A figure shown beside an answer or instead of one. Three kinds, by the fields they set:

    - a figure of the passages (value … score): the figures an answer is not ("Không phải …"), the two
      of an ambiguous answer, the closest ones of a "not found";
    - a reading (value, unit, scale, `by`): the LLM's figure and the extractive one when they differ, or
      the LLM's alone when the extractive answerer found none;
    - a part of a combined question (`part`, with its status and text, or its value … text).

    Fields a kind does not set stay None and are left out of `to_dict`, the JSON form.
    """

    part: str | None = None  # the part of a combined question ("Nam Định tháng 8/2021")
    status: AnswerStatus | None = None  # that part's outcome, when the whole was not answered
    value: float | None = None  # as printed, scale not applied (as Answer.value)
    unit: str | None = None
    scale: float | None = None
    text: str | None = None  # the figure as shown ("30,5 tỷ đồng"), or the part's answer text
    context: str | None = None  # the words around the figure, the figure marked ⟨…⟩
    chunk_id: str | None = None  # the passage that holds it
    source: str | None = None  # its report's file name
    score: float | None = None  # the candidate's score, rounded
    by: str | None = None  # who read the figure: the LLM's name or "extractive"

    def __post_init__(self) -> None:
        if self.status is not None:
            object.__setattr__(self, "status", AnswerStatus(self.status))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: the fields this kind sets, in field order."""
        d = {k: v for k, v in asdict(self).items() if v is not None}
        if self.status is not None:
            d["status"] = self.status.value
        return d


@dataclass(frozen=True)
class Answer:
    question: str
    status: AnswerStatus  # a plain "answered" | "not_found" | "ambiguous" is taken and converted
    text: str
    value: float | None = None
    unit: str = ""
    scale: float = 1.0
    citations: tuple[Citation, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    interpretation: dict[str, Any] = field(default_factory=dict)
    prompt_id: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # How the answer came about when that is not the configured way, e.g. "llm_fallback": why the LLM
    # answerer was configured but the extractive answer is shown.
    meta: dict[str, Any] = field(default_factory=dict)
    # A many-report answer's table (rag.answer.across): {columns, rows: [{key, cells, value, unit, scale,
    # status, citations}]}; empty for a one-figure answer.
    table: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", AnswerStatus(self.status))
