"""Executive summaries of one report or a set of reports, every figure traceable to its source.

Extractive path (default, no LLM): sentences are scored for the figures and indicator vocabulary they
carry and for the section they sit in; the best are picked, deduplicated, grouped by paragraph and
kept verbatim (trimmed only at clause boundaries), so a figure in a summary is always a figure printed
in the report. The LLM path maps over sections, reduces to key points, and then every number a model
wrote must be found in the passage it cites, or the sentence is dropped.

Summaries are cached under `index_dir/summaries/` by (documents' content hash, prompt ids, method,
language, length); `doc_id` is the hash of the text, so an edited report never reuses a stale summary.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rag.core.config import Settings
from rag.core.errors import BaocaoError, DocumentNotFoundError, LLMError
from rag.core.types import Chunk, Citation, Document, Quantity
from rag.lexicon import load_lexicon
from rag.text.gazetteer import fold
from rag.text.numbers import parse_quantities, qualifier_before, same_value

SUMMARY_VERSION = "summary.v2"  # bump when the extractive selection changes: old cache entries die
PROMPT_SECTION = "summary_section.v1"
PROMPT_REDUCE = "summary_reduce.v1"
MAP_TOKENS = 3000  # source text per map call; small local models have 4k windows
REDUCE_TOKENS = 3000
DEFAULT_KEY_WORDS = 750
MIN_KEY_WORDS = 600
POINT_WORDS = 100  # one key point: a few sentences of one section
MIN_POINTS, MAX_POINTS = 5, 10
MAX_INDICATORS = 30  # rows of the key-indicator table of a monthly report; a long report gets more
MAX_INDICATORS_LONG = 50
MAX_LIST_ITEMS = 5
MAX_COMPARISON = 15  # rows of a set's comparison or trend table
UNVERIFIED = "[chưa kiểm chứng]"


# --- the summary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number shown in a summary and where the report prints it."""

    value: float
    unit: str
    scale: float
    text: str  # as printed, e.g. "2.350 tỷ đồng"
    source: str  # report file name
    section: str
    quote: str  # the source sentence holding it
    chunk_id: str
    start: int  # span of `text` in the report's normalised text
    end: int
    qualifier: str = ""
    doc_id: str = ""


@dataclass(frozen=True)
class Point:
    """A key point, a difficulty or a task: text, the figures it states, the passage that backs it."""

    text: str
    figures: tuple[Figure, ...] = ()
    citation: Citation | None = None
    status: str = "verified"  # verified | unverified (shown marked, never as fact)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str
    figure: Figure
    period: str
    previous: Figure | None = None  # the same indicator in the province's previous report
    previous_period: str = ""
    change: str = ""  # computed, not printed in any report; labelled as such when shown

    @property
    def value(self) -> float:
        return self.figure.value

    @property
    def unit(self) -> str:
        return self.figure.unit

    @property
    def source(self) -> str:
        return self.figure.source


@dataclass(frozen=True)
class ComparisonRow:
    indicator: str
    unit: str
    cells: tuple[Figure | None, ...]  # one per report of Summary.scope, in that order
    # A province over periods: the last figure against the first of the same kind of period, computed
    # (no report prints it) and shown under a "(tính)" heading.
    change: str = ""


@dataclass(frozen=True)
class ReportRef:
    doc_id: str
    source: str
    title: str
    province: str
    period: str
    kind: str


@dataclass(frozen=True)
class Summary:
    title: str
    scope: tuple[ReportRef, ...]
    overview: str
    key_points: tuple[Point, ...]
    indicators: tuple[IndicatorRow, ...]
    difficulties: tuple[Point, ...] = ()
    tasks: tuple[Point, ...] = ()
    method: str = "extractive"
    prompt_ids: tuple[str, ...] = ()
    faithfulness: dict[str, Any] = field(default_factory=dict)
    lang: str = "vi"
    comparison: tuple[ComparisonRow, ...] = ()
    trends: tuple[Point, ...] = ()
    # What the comparison table is: "trend" (one province over periods), "provinces" (one period over
    # provinces) or "reports" (any other set)
    comparison_kind: str = ""
    notes: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def provinces(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.province for r in self.scope if r.province))

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.period for r in self.scope if r.period))

    def all_points(self) -> list[Point]:
        return [*self.key_points, *self.trends, *self.difficulties, *self.tasks]

    def all_figures(self) -> list[Figure]:
        figs = [f for p in self.all_points() for f in p.figures]
        figs += [r.figure for r in self.indicators]
        figs += [r.previous for r in self.indicators if r.previous]
        figs += [c for row in self.comparison for c in row.cells if c]
        return figs


def summary_to_dict(s: Summary) -> dict[str, Any]:
    return asdict(s)


def _figure(d: dict | None) -> Figure | None:
    return Figure(**d) if d else None


def _point(d: dict) -> Point:
    return Point(
        text=d["text"],
        figures=tuple(Figure(**f) for f in d["figures"]),
        citation=Citation(**d["citation"]) if d.get("citation") else None,
        status=d.get("status", "verified"),
    )


def summary_from_dict(d: dict[str, Any]) -> Summary:
    return Summary(
        title=d["title"],
        scope=tuple(ReportRef(**r) for r in d["scope"]),
        overview=d["overview"],
        key_points=tuple(_point(p) for p in d["key_points"]),
        indicators=tuple(
            IndicatorRow(**{**r, "figure": _figure(r["figure"]), "previous": _figure(r.get("previous"))})
            for r in d["indicators"]
        ),
        difficulties=tuple(_point(p) for p in d.get("difficulties", ())),
        tasks=tuple(_point(p) for p in d.get("tasks", ())),
        method=d.get("method", "extractive"),
        prompt_ids=tuple(d.get("prompt_ids", ())),
        faithfulness=dict(d.get("faithfulness", {})),
        lang=d.get("lang", "vi"),
        comparison=tuple(
            ComparisonRow(
                r["indicator"], r["unit"], tuple(_figure(c) for c in r["cells"]), r.get("change", "")
            )
            for r in d.get("comparison", ())
        ),
        comparison_kind=d.get("comparison_kind", ""),
        trends=tuple(_point(p) for p in d.get("trends", ())),
        notes=tuple(d.get("notes", ())),
        timings=dict(d.get("timings", {})),
    )


# --- reading a report into scored sentences --------------------------------------------------------

# Words that mark a sentence as carrying a headline indicator of a Sở TT&TT report (folded).
INDICATOR_TERMS = load_lexicon().summary_terms
ACHIEVEMENT_CUES = load_lexicon().achievement_cues
_ADMIN_RE = re.compile(
    r"\b(so \d+|ngay \d{1,2}/\d{1,2}|quyet dinh|cong van|ke hoach so|nghi dinh|thong tu|chi thi)\b"
)
_DIFFICULTY_RE = re.compile(r"\b(kho khan|vuong mac|han che|ton tai|bat cap)\b")
_TASK_RE = re.compile(
    r"\b(trong tam|phuong huong|ke hoach cong tac|ke hoach thuc hien nhiem vu|nhiem vu (va giai phap )?"
    r"(thang|quy|nam|6 thang)( \S+)? (toi|tiep theo|cuoi nam)|nhiem vu,? giai phap)\b"
)
_RESULT_RE = re.compile(r"\b(ket qua|chi tieu|tinh hinh)\b")
_ASSESS_RE = re.compile(r"\b(danh gia chung|nhan xet)\b")
_BULLET_RE = re.compile(r"^(?:[-+•–*]\s*)+")
_WORD_RE = re.compile(r"\w+")
_DEPENDENT = re.compile(r"^[-+•\s]*(trong do|trong so do|ngoai ra|cu the)\b")


@dataclass
class _Sentence:
    idx: int
    start: int
    end: int
    para: int  # paragraph (continuations across PDF page breaks joined)
    section: tuple[str, ...]
    role: str  # results | difficulties | tasks | assessment | front | other | skip
    quantities: list[Quantity]  # spans absolute in Document.text
    folded: str
    words: int
    score: float = 0.0
    flagged: str = ""  # it instructs an AI (rag.text.injection): never a point, a figure or LLM input


def _role(path: tuple[str, ...]) -> str:
    from rag.ingest.sections import CLOSING, FOOTER, FRONT, WHOLE

    if not path or path[0] in (CLOSING, FOOTER):
        return "skip"
    if path[0] == FRONT:
        return "front"
    if path[0] == WHOLE:
        return "results"
    f = fold(" / ".join(path))
    if _DIFFICULTY_RE.search(f):
        return "difficulties"
    if _TASK_RE.search(f) and not _RESULT_RE.search(fold(path[0])):
        return "tasks"
    if _ASSESS_RE.search(f):
        return "assessment"
    return "results"


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs of a section body. A line opening with a bullet starts a new one even without a
    blank line; a paragraph starting in lower case continues the previous one (a sentence cut by a
    PDF page break)."""
    from rag.text.segment import paragraph_spans

    out: list[tuple[int, int]] = []
    for s, e in paragraph_spans(text, start, end):
        if out and text[s : s + 1].islower():
            out[-1] = (out[-1][0], e)
            continue
        pos = s
        for m in _LINE_BULLET.finditer(text, s, e):
            if m.start() > pos:
                out.append((pos, m.start()))
            pos = m.start() + 1
        out.append((pos, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


_LINE_BULLET = re.compile(r"\n(?=[ \t]*[-+•–*][ \t])")


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences, re-joined where a ";" cut fell inside brackets ("(gồm: 01/01 chỉ tiêu chung; 04/05 ...)"):
    a figure list in parentheses belongs to the sentence that opened it."""
    from rag.text.segment import sentence_spans

    out: list[tuple[int, int]] = []
    depth = 0
    for s, e in sentence_spans(text, start, end):
        if out and depth > 0:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        seg = text[out[-1][0] : out[-1][1]]
        depth = seg.count("(") - seg.count(")")
    return out


def _sentences(doc: Document) -> list[_Sentence]:
    from rag.ingest.sections import parse_sections
    from rag.text.injection import overlaps_flagged

    out: list[_Sentence] = []
    para = 0
    for sec in parse_sections(doc.text):
        role = _role(sec.path)
        if role == "skip":
            continue
        for ps, pe in _paragraphs(doc.text, sec.start, sec.end):
            para += 1
            for s, e in _sentence_spans(doc.text, ps, pe):
                raw = doc.text[s:e]
                flagged = overlaps_flagged(doc.text, s, e)
                qs = [
                    Quantity(q.value, q.unit, q.scale, q.raw, q.start + s, q.end + s)
                    for q in ([] if flagged else parse_quantities(raw))
                ]
                out.append(
                    _Sentence(
                        len(out),
                        s,
                        e,
                        para,
                        sec.path,
                        role,
                        qs,
                        fold(raw),
                        len(_WORD_RE.findall(raw)),
                        0.0,
                        flagged,
                    )
                )
    return out


def _has_term(folded: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded) is not None


# Units of the indicators a leader tracks; activity counts ("hội nghị", "đại biểu") weigh less.
CORE_UNITS = load_lexicon().core_units


def _weight(q: Quantity) -> float:
    if q.unit in CORE_UNITS or q.scale >= 1e6:
        return 1.0
    return 0.5 if q.unit else 0.3


def _score(s: _Sentence) -> float:
    """Salience: figures of core indicator units first, then indicator vocabulary, achievement verbs
    and a results/targets section; long sentences and administrative citations ("Quyết định số ...
    ngày ...") pull a sentence down."""
    if not s.quantities or s.flagged:
        return 0.0
    # sqrt: a sentence listing nine small activity counts must not outrank one headline figure
    score = min(2.2 * sum(_weight(q) for q in s.quantities) ** 0.5, 5.5)
    score += min(sum(0.3 for q in s.quantities if q.unit in ("%", "đồng") or q.base_value >= 1000), 0.9)
    score += min(sum(1 for t in INDICATOR_TERMS if _has_term(s.folded, t)), 4) * 0.5
    score += min(sum(1 for t in ACHIEVEMENT_CUES if _has_term(s.folded, t)), 3) * 0.4
    path = fold(" / ".join(s.section))
    if _RESULT_RE.search(path):
        score += 0.6
    if "chi tieu" in path:
        score += 1.0
    score -= min(len(_ADMIN_RE.findall(s.folded)), 3) * 0.7
    if s.words > 50:
        score -= 0.03 * (s.words - 50)
    if s.role == "assessment":
        score *= 0.6
    elif s.role == "front":
        score *= 0.3
    elif s.role != "results":
        score = 0.0
    return max(score, 0.0)


# --- verbatim text of a point ----------------------------------------------------------------------

_CLAUSE_CUT = re.compile(r"[,;:](?=\s)|\)(?=[\s,;])")


def _clean(text: str) -> str:
    return " ".join(_BULLET_RE.sub("", text.strip()).split())


def _trim_end(doc_text: str, s: _Sentence, max_words: int) -> int:
    """End of the sentence, or of the clause holding its last figure when the sentence is long: the
    shown text stays a verbatim prefix, so no number is ever cut or altered."""
    if s.words <= max_words or not s.quantities:
        return s.end
    last = max(q.end for q in s.quantities)
    m = _CLAUSE_CUT.search(doc_text, last, s.end)
    cut = m.end() if m and m.group() == ")" else (m.start() if m else s.end)
    return cut if cut < s.end - 1 else s.end


def _short_prefix(doc_text: str, start: int, end: int, max_words: int) -> tuple[int, bool]:
    """Cut text[start:end] at the last clause boundary within max_words (for list items)."""
    words = list(re.finditer(r"\S+", doc_text[start:end]))
    if len(words) <= max_words:
        return end, False
    limit = start + words[max_words - 1].end()
    cut = None
    for m in _CLAUSE_CUT.finditer(doc_text, start, limit):
        cut = m.start() if m.group() != ")" else m.end()
    if cut is None or cut - start < 40:
        cut = limit
    return cut, True


class _Report:
    """One document with its chunks (for citations) and scored sentences."""

    def __init__(self, doc: Document, chunks: list[Chunk]):
        self.doc = doc
        self.chunks = sorted(chunks, key=lambda c: c.start)
        self._starts = [c.start for c in self.chunks]
        self.sentences = _sentences(doc)
        for s in self.sentences:
            s.score = _score(s)

    doc_lang_vi = True  # table labels the report's own words; only "tổng số" is ours

    def chunk_at(self, pos: int) -> Chunk | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.chunks[i] if i >= 0 else (self.chunks[0] if self.chunks else None)

    def citation(self, start: int, end: int) -> Citation:
        c = self.chunk_at(start)
        quote = " ".join(self.doc.text[start:end].split())
        return Citation(
            chunk_id=c.chunk_id if c else f"{self.doc.doc_id}:0",
            source=self.doc.source,
            section=c.section_path if c else "",
            quote=quote,
            start=start,
            end=end,
        )

    def figure(self, q: Quantity, quote_start: int, quote_end: int) -> Figure:
        c = self.chunk_at(q.start)
        return Figure(
            value=q.value,
            unit=q.unit,
            scale=q.scale,
            text=q.raw,
            source=self.doc.source,
            section=c.section_path if c else "",
            quote=" ".join(self.doc.text[quote_start:quote_end].split()),
            chunk_id=c.chunk_id if c else "",
            start=q.start,
            end=q.end,
            qualifier=qualifier_before(self.doc.text, q.start),
            doc_id=self.doc.doc_id,
        )

    def point(self, sents: list[_Sentence], max_sentence_words: int = 55) -> Point:
        text = self.doc.text
        parts, figs = [], []
        for s in sents:
            end = _trim_end(text, s, max_sentence_words)
            piece = _clean(text[s.start : end])
            if end < s.end:
                piece = piece.rstrip(",;: ") + " …"
            parts.append(piece)
            figs += [self.figure(q, s.start, s.end) for q in s.quantities if q.end <= end]
        start, end = sents[0].start, sents[-1].end
        return Point(text=" ".join(parts), figures=tuple(figs), citation=self.citation(start, end))

    def list_point(self, start: int, end: int, max_words: int = 40) -> Point:
        cut, trimmed = _short_prefix(self.doc.text, start, end, max_words)
        piece = _clean(self.doc.text[start:cut])
        if trimmed:
            piece = piece.rstrip(",;: ") + " …"
        figs = [
            self.figure(Quantity(q.value, q.unit, q.scale, q.raw, q.start + start, q.end + start), start, cut)
            for q in parse_quantities(self.doc.text[start:cut])
        ]
        return Point(text=piece, figures=tuple(figs), citation=self.citation(start, cut))


# --- extractive selection ----------------------------------------------------------------------------


def _tokens(folded: str) -> set[str]:
    return set(_WORD_RE.findall(folded))


def _blocks(sents: list[_Sentence]) -> dict[int, int]:
    """Paragraph -> block: consecutive short one-line bullets of one section ("- Doanh thu ...",
    "- Thuê bao ...") read as one point, long paragraphs stand alone."""
    by_para: dict[int, list[_Sentence]] = {}
    for s in sents:
        by_para.setdefault(s.para, []).append(s)
    block_of: dict[int, int] = {}
    block, words, last_section, last_para = 0, 10**6, None, None
    for para in sorted(by_para):
        ss = by_para[para]
        w = sum(s.words for s in ss)
        joinable = w <= 40 and last_section == ss[0].section and last_para == para - 1 and words + w <= 90
        if joinable:
            words += w
        else:
            block += 1
            words = w if w <= 40 else 10**6
        block_of[para] = block
        last_section, last_para = ss[0].section, para
    return block_of


def select_key_points(rep: _Report, max_words: int | None = None) -> list[Point]:
    """Greedy by salience: each sentence joins a point of its own section while the point has room
    (POINT_WORDS), else opens a new point; at most MAX_POINTS points and `max_words` words."""
    doc_words = sum(x.words for x in rep.sentences)
    # a monthly 3-page report gets a short summary, an annual 60-page one a longer one
    budget = max_words or max(MIN_KEY_WORDS, min(DEFAULT_KEY_WORDS, int(doc_words * 0.08)))
    cap = min(POINT_WORDS, max(40, budget // MIN_POINTS))
    cands = sorted((s for s in rep.sentences if s.score > 0), key=lambda s: (-s.score, s.idx))
    groups: list[list[_Sentence]] = []
    chosen: list[_Sentence] = []
    seen_figures: set[tuple[float, str]] = set()
    used = 0

    def words(s: _Sentence) -> int:
        return min(s.words, 60)  # a long sentence is shown trimmed to its figures

    def place(s: _Sentence) -> bool:
        for g in groups:
            if g[0].section == s.section and sum(words(x) for x in g) + words(s) <= cap and len(g) < 5:
                g.append(s)
                return True
        if len(groups) >= MAX_POINTS:
            return False
        groups.append([s])
        return True

    for s in cands:
        if used >= budget:
            break
        figs = {(round(q.base_value, 6), q.unit) for q in s.quantities}
        if figs and figs <= seen_figures:
            continue  # says nothing new: a repeated figure (summary line, "như đã nêu")
        toks = _tokens(s.folded)
        if any(len(toks & _tokens(c.folded)) / max(1, len(toks | _tokens(c.folded))) > 0.6 for c in chosen):
            continue
        if used + words(s) > budget and len(groups) >= MIN_POINTS:
            continue
        if not place(s):
            continue
        prev = rep.sentences[s.idx - 1] if s.idx else None
        if (
            prev is not None
            and prev.para == s.para
            and prev not in chosen
            and not prev.flagged
            and _DEPENDENT.match(s.folded)
        ):
            # "Trong đó, ..." is unreadable without the sentence it breaks down
            if place(prev):
                chosen.append(prev)
                seen_figures |= {(round(q.base_value, 6), q.unit) for q in prev.quantities}
                used += words(prev)
        chosen.append(s)
        seen_figures |= figs
        used += words(s)
    if len(groups) < MIN_POINTS:
        # A report with few figures: add the fullest sentences of other results paragraphs.
        taken = {x.para for g in groups for x in g}
        rest = [
            s
            for s in rep.sentences
            if s.role == "results" and s.para not in taken and s.words >= 8 and not s.flagged
        ]
        for s in sorted(rest, key=lambda s: (-min(s.words, 40), s.idx)):
            if len(groups) >= MIN_POINTS:
                break
            if s.para not in taken:
                groups.append([s])
                taken.add(s.para)
    groups = [sorted(g, key=lambda s: s.idx) for g in groups]
    return [rep.point(g) for g in sorted(groups, key=lambda g: g[0].idx)]


_LEAD_STRIP = re.compile(
    r"^(?:[-+•–*(\s]|trong đó|trong tháng|trong năm|đến nay|hiện nay|hiện tại|tổng cộng|cụ thể|với|và|gồm|"
    r"bao gồm|tương ứng|đối với|số|qua đó|đã|có)+\s*",
    re.I,
)
_TAIL_STRIP = re.compile(
    r"(?:\s|:|,|\(|là|đạt|ước đạt|ước|được|có|khoảng|gần|hơn|trên|dưới|chiếm|tổng|tổng số|với|"
    r"tương ứng|số tiền|lên|nâng|năm \d{4}|tháng \d{1,2}(?:/\d{4})?|\d{4}|hiện có trên mạng|hiện có|"
    r"trong đó|cấp|xếp|thứ|hạng|số)+$",
    re.I,
)
_GENERIC = {"tỷ lệ", "tổng", "tổng số", "số lượng", "trong đó", "", "số", "tổng cộng"}


def indicator_name(doc_text: str, q: Quantity, floor: int) -> str:
    """The few words before a number in its clause ("Doanh thu bưu chính, chuyển phát"): the text
    since the previous figure or clause opening, stripped of hedges and verbs, last 9 words."""
    window = doc_text[max(floor, q.start - 160) : q.start]
    window = " ".join(window.split())
    for sep in (";", ":", "(", ". ", " - "):
        if sep in window:
            window = window.rsplit(sep, 1)[1]
    if ")" in window:
        window = window.rsplit(")", 1)[1]
    window = _TAIL_STRIP.sub("", window).strip()
    window = _LEAD_STRIP.sub("", window).strip(" ,.;:-")
    words = window.split()
    if len(words) > 9:
        # cut at a verb so the name starts at a phrase ("tắt sóng", not "nghiệp viễn thông đã ...")
        for i in range(len(words) - 3, 0, -1):
            if words[i] in ("đã", "được", "là", "đạt") and len(words) - i - 1 <= 9:
                words = words[i + 1 :]
                break
        words = words[-9:]
    return " ".join(words).strip(" ,;:")


def indicator_limit(rep: _Report) -> int:
    """30 rows for a short report, up to 50 for an annual one (one row per ~200 words)."""
    words = sum(x.words for x in rep.sentences)
    return max(MAX_INDICATORS, min(MAX_INDICATORS_LONG, words // 200))


def indicator_rows(rep: _Report, points: list[Point], limit: int = MAX_INDICATORS) -> list[IndicatorRow]:
    """Key figures: those of the key points first, then the most salient other figures of the results
    sections, one row per (indicator, value)."""
    by_start = {q.start: s for s in rep.sentences for q in s.quantities}
    in_points = {f.start for p in points for f in p.figures}
    # The table ranks every results sentence, not only the key points': it is where the figures the
    # ten key points had no room for still reach the reader.
    pool = sorted(
        (s for s in rep.sentences if s.score > 0 and s.role == "results"),
        key=lambda s: (-s.score - 0.5 * any(q.start in in_points for q in s.quantities), s.idx),
    )
    per_sentence = [
        [
            rep.figure(q, s.start, s.end)
            for q in s.quantities
            if q.unit in CORE_UNITS or q.scale != 1.0 or (not q.unit and q.value >= 100)
        ][:5]
        for s in pool
    ]
    # Round robin: every salient sentence's headline figure before any sentence's third one, so a
    # lone key figure ("… chấp thuận 146 vị trí …") is not crowded out by one long list of figures.
    figs = [fs[r] for r in range(5) for fs in per_sentence if r < len(fs)]
    rows: list[IndicatorRow] = []
    seen: set[tuple[str, float, str]] = set()
    prev_name: dict[int, str] = {}
    for f in figs:
        s = by_start.get(f.start)
        floor = s.start if s else max(0, f.start - 160)
        if s:
            before = [q for q in s.quantities if q.end <= f.start]
            if before:
                floor = max(floor, before[-1].end)
        name = indicator_name(rep.doc.text, Quantity(f.value, f.unit, f.scale, f.text, f.start, f.end), floor)
        key_s = s.idx if s else -1
        between = rep.doc.text[floor : f.start].strip()
        if between == "/":
            name = "tổng số" if rep.doc_lang_vi else "total"
        if name.lower() in _GENERIC or len(name) < 4 or fold(name) in ("tang", "giam", "chiem", "dat"):
            base = prev_name.get(key_s, "")
            name = f"{base} ({name})" if base and name else (base or name or f.unit or "—")
        else:
            prev_name[key_s] = name
        key = (fold(name), round(f.value * f.scale, 6), f.unit)
        if key in seen:
            continue
        seen.add(key)
        rows.append(IndicatorRow(indicator=name[:1].upper() + name[1:], figure=f, period=rep.doc.period))
        if len(rows) >= limit:
            break
    return sorted(rows, key=lambda r: r.figure.start)


def _list_section(rep: _Report, role: str, limit: int = MAX_LIST_ITEMS) -> list[Point]:
    """The first bullet of each sub-section of the difficulties or tasks part, round robin."""
    by_section: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    seen_para: set[int] = set()
    for s in rep.sentences:
        if s.role != role or s.para in seen_para:
            continue
        seen_para.add(s.para)
        ps = [x for x in rep.sentences if x.para == s.para]
        # The item is a verbatim stretch of the paragraph: it stops before a flagged sentence.
        ps = ps[: next((i for i, x in enumerate(ps) if x.flagged), len(ps))]
        if sum(x.words for x in ps) < 4:
            continue
        by_section.setdefault(s.section, []).append((ps[0].start, ps[-1].end))
    queues = list(by_section.values())
    out: list[Point] = []
    i = 0
    while queues and len(out) < limit:
        q = queues[i % len(queues)]
        if q:
            out.append(rep.list_point(*q.pop(0)))
        queues = [x for x in queues if x]
        i += 1
    return out


# --- faithfulness --------------------------------------------------------------------------------------


def _found_in(q: Quantity, passage_quantities: list[Quantity], passage: str) -> bool:
    for p in passage_quantities:
        if same_value(q.value, q.unit, p.value, p.unit, a_scale=q.scale, b_scale=p.scale):
            return True
    number = re.match(r"[\d.,]+", q.raw)
    return bool(number) and re.search(rf"(?<![\d.,]){re.escape(number.group())}(?![\d])", passage) is not None


def check_point(point: Point, passage: str | None = None) -> tuple[int, int]:
    """(verified, total): the numbers in the point's text found in its cited passage."""
    qs = parse_quantities(point.text)
    if not qs:
        return 0, 0
    passage = passage if passage is not None else (point.citation.quote if point.citation else "")
    pq = parse_quantities(passage)
    ok = sum(1 for q in qs if _found_in(q, pq, passage))
    return ok, len(qs)


def apply_faithfulness(
    points: Iterable[Point], doc_texts: dict[str, str] | None = None, mark: bool = False
) -> tuple[list[Point], dict[str, Any]]:
    """Keep the points whose every number is in their cited passage; drop (or mark) the others.

    The cited passage is read back from the report text by its span when `doc_texts` has the report,
    so a citation's own quote cannot vouch for itself.
    """
    kept: list[Point] = []
    verified = total = 0
    dropped: list[str] = []
    for p in points:
        passage = None
        if p.citation and doc_texts and p.citation.source in doc_texts:
            passage = doc_texts[p.citation.source][p.citation.start : p.citation.end]
        ok, n = check_point(p, passage)
        if p.citation is None and n:
            ok = 0
        if ok == n:
            kept.append(p)
            verified += ok
            total += n
        elif mark:
            kept.append(Point(f"{p.text} {UNVERIFIED}", p.figures, p.citation, "unverified"))
            dropped.append(p.text)
        else:
            dropped.append(p.text)
    shown_total = total
    report = {
        "verified": verified,
        "total": shown_total,
        "score": round(verified / shown_total, 4) if shown_total else 1.0,
        "dropped": dropped,
    }
    return kept, report


def _figure_faithfulness(figs: Iterable[Figure], doc_texts: dict[str, str]) -> tuple[int, int]:
    ok = n = 0
    for f in figs:
        n += 1
        text = doc_texts.get(f.source)
        if text is not None and text[f.start : f.end] == f.text:
            ok += 1
        elif text is None and f.text and f.text in f.quote:
            ok += 1
    return ok, n


# --- caching ---------------------------------------------------------------------------------------


def _cache_key(
    doc_ids: Iterable[str], method: str, prompt_ids: Iterable[str], lang: str, max_words: Any
) -> str:
    raw = json.dumps([SUMMARY_VERSION, sorted(doc_ids), method, sorted(prompt_ids), lang, max_words])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _cache_path(index_dir: Path, key: str) -> Path:
    return Path(index_dir) / "summaries" / f"{key}.json"


def _cache_read(index_dir: Path, key: str) -> Summary | None:
    path = _cache_path(index_dir, key)
    try:
        return summary_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or written by an older version: recompute


def _cache_write(index_dir: Path, key: str, s: Summary) -> None:
    path = _cache_path(index_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(summary_to_dict(s), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a cache entry


# --- one report -------------------------------------------------------------------------------------


def _load(index_dir: Path, doc: Document) -> _Report:
    from rag.index.catalog import catalog, load_chunks

    with catalog(index_dir, create=False) as con:
        chunks = load_chunks(con, [doc.doc_id])
    return _Report(doc, chunks)


def _describe(period: str, lang: str) -> str:
    from rag.text.periods import describe_period

    try:
        return describe_period(period, lang) if period else ""
    except (ValueError, KeyError):
        return period


def _overview(rep: _Report, points: list[Point], lang: str) -> str:
    d = rep.doc
    sections = []
    for s in rep.sentences:
        top = s.section[0] if s.section else ""
        if s.role in ("results", "tasks", "difficulties", "assessment") and top and top not in sections:
            sections.append(top)
    tops = [re.sub(r"^(?:[IVXL]+|[A-H]|\d+(?:\.\d+)*)[.)]\s+", "", t).strip() for t in sections][:4]
    tops = [t[:1].upper() + t[1:].lower() if t.isupper() else t for t in tops if t]
    period = _describe(d.period, lang)
    if lang == "en":
        first = (
            f"Report of the Department of Information and Communications of {d.province or 'the province'}"
        )
        first += f", {period}" if period else ""
        first += f': "{d.title}".' if d.title else "."
        parts = [first]
        if tops:
            parts.append("It covers: " + "; ".join(tops) + ".")
        if points:
            parts.append(f"The {len(points)} key points below quote the report's own sentences.")
        return " ".join(parts)
    first = f"Báo cáo của Sở Thông tin và Truyền thông {d.province}".rstrip()
    first += f", {period}" if period else ""
    first += f": “{d.title}”." if d.title else "."
    parts = [first]
    if tops:
        parts.append("Nội dung chính: " + "; ".join(tops) + ".")
    return " ".join(parts)


def _ref(d: Document) -> ReportRef:
    return ReportRef(d.doc_id, d.source, d.title, d.province, d.period, d.kind)


def _previous_report(index_dir: Path, doc: Document) -> Document | None:
    """The same province's report of the same kind for the nearest earlier period, if indexed."""
    from rag.index.catalog import list_documents
    from rag.text.periods import period_sort_key

    if not doc.province or not doc.period:
        return None
    try:
        mine = period_sort_key(doc.period)
    except (ValueError, KeyError):
        return None
    best, best_key = None, None
    for d in list_documents(index_dir):
        if d.doc_id == doc.doc_id or d.province != doc.province or d.kind != doc.kind or not d.period:
            continue
        try:
            k = period_sort_key(d.period)
        except (ValueError, KeyError):
            continue
        if k < mine and (best_key is None or k > best_key):
            best, best_key = d, k
    return best


def _concept(name: str, unit: str) -> str:
    """A key that matches the same indicator across reports whatever the wording around it."""
    from rag.text.numbers import normalise_unit

    words = [w for w in fold(name).split() if not w.isdigit() and w not in _STOP]
    return " ".join(words[-5:]) + "|" + normalise_unit(unit)[0]


_STOP = frozenset("nam thang quy cua va cac tren dia ban tinh trong da duoc la co cho hien".split())


def _with_changes(
    rows: list[IndicatorRow], prev_rows: list[IndicatorRow], prev: Document
) -> list[IndicatorRow]:
    from dataclasses import replace

    index = {_concept(r.indicator, r.unit): r for r in prev_rows}
    out = []
    for r in rows:
        p = index.get(_concept(r.indicator, r.unit))
        if p is None:
            out.append(r)
            continue
        a, b = p.figure.value * p.figure.scale, r.figure.value * r.figure.scale
        change = ""
        if a:
            pct = (b - a) / abs(a) * 100
            change = f"{'+' if pct >= 0 else ''}{pct:.1f}%".replace(".", ",")
        out.append(replace(r, previous=p.figure, previous_period=prev.period, change=change))
    return out


def _extractive(rep: _Report, lang: str, max_words: int | None) -> dict[str, Any]:
    points = select_key_points(rep, max_words)
    return {
        "key_points": points,
        "indicators": indicator_rows(rep, points, limit=indicator_limit(rep)),
        "difficulties": _list_section(rep, "difficulties"),
        "tasks": _list_section(rep, "tasks"),
    }


def _method(settings: Settings) -> tuple[str, tuple[str, ...]]:
    """(method, prompt ids) a summary is made with under `settings`; part of the cache key."""
    if not settings.uses_llm:
        return "extractive", ()
    model = settings.llm_model or Path(settings.llm_gguf).stem or "default"
    return f"llm:{model}", (PROMPT_SECTION, PROMPT_REDUCE)


def summarize_document(
    index_dir: Path,
    doc_ref: str,
    settings: Settings,
    lang: str = "vi",
    max_words: int | None = None,
    use_cache: bool = True,
) -> Summary:
    """Summary of one indexed report (`doc_ref`: document id, id prefix or file name)."""
    from rag.index.catalog import resolve_document

    if lang not in ("vi", "en"):
        raise BaocaoError(f"language must be vi or en, not {lang!r}")
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    doc = resolve_document(index_dir, doc_ref)
    prev = _previous_report(index_dir, doc)
    method, prompt_ids = _method(settings)
    ids = [doc.doc_id] + ([prev.doc_id] if prev else [])
    key = _cache_key(ids, method, prompt_ids, lang, max_words)
    if use_cache:
        hit = _cache_read(index_dir, key)
        if hit is not None:
            return hit

    rep = _load(index_dir, doc)
    parts = _extractive(rep, lang, max_words)
    notes: list[str] = []
    llm_failed = False
    if method != "extractive":
        try:
            parts["key_points"] = _llm_key_points(rep, settings, lang, max_words)
        except (LLMError, OSError, ValueError) as exc:
            llm_failed = True
            notes.append(
                f"LLM unavailable ({exc}); extractive summary shown"
                if lang == "en"
                else f"Không gọi được LLM ({exc}); hiển thị tóm tắt trích xuất"
            )
            method, prompt_ids = "extractive", ()
    if prev is not None:
        prev_rows = indicator_rows(_load(index_dir, prev), [], limit=200)
        parts["indicators"] = _with_changes(parts["indicators"], prev_rows, prev)
    if lang == "en" and method == "extractive":
        notes.append("Key points, difficulties and tasks are quoted verbatim from the Vietnamese report.")

    texts = {doc.source: doc.text}
    if prev:
        texts[prev.source] = prev.text
    summary = _finish(
        title=doc.title or doc.source,
        scope=(_ref(doc),),
        overview=_overview(rep, parts["key_points"], lang),
        parts=parts,
        method=method,
        prompt_ids=prompt_ids,
        lang=lang,
        notes=notes,
        texts=texts,
        t0=t0,
    )
    if not llm_failed:  # a fallback is not cached under the LLM's key: the next call tries the model again
        _cache_write(index_dir, key, summary)
    return summary


def _finish(
    *,
    title,
    scope,
    overview,
    parts,
    method,
    prompt_ids,
    lang,
    notes,
    texts,
    t0,
    comparison=(),
    trends=(),
    comparison_kind="",
) -> Summary:
    kp, rep_kp = apply_faithfulness(parts["key_points"], texts)
    diff, rep_d = apply_faithfulness(parts.get("difficulties", ()), texts)
    tasks, rep_t = apply_faithfulness(parts.get("tasks", ()), texts)
    trends, rep_tr = apply_faithfulness(trends, texts)
    indicators = [r for r in parts["indicators"] if _figure_faithfulness([r.figure], texts)[0]]
    fig_ok, fig_n = _figure_faithfulness(
        [f for p in (*kp, *diff, *tasks, *trends) for f in p.figures] + [r.figure for r in indicators], texts
    )
    verified = sum(r["verified"] for r in (rep_kp, rep_d, rep_t, rep_tr))
    total = sum(r["total"] for r in (rep_kp, rep_d, rep_t, rep_tr))
    faith = {
        "text_numbers_verified": verified,
        "text_numbers_total": total,
        "figures_verified": fig_ok,
        "figures_total": fig_n,
        "score": round((verified + fig_ok) / (total + fig_n), 4) if total + fig_n else 1.0,
        "dropped": rep_kp["dropped"] + rep_d["dropped"] + rep_t["dropped"] + rep_tr["dropped"],
    }
    return Summary(
        title=title,
        scope=tuple(scope),
        overview=overview,
        key_points=tuple(kp),
        indicators=tuple(indicators),
        difficulties=tuple(diff),
        tasks=tuple(tasks),
        method=method,
        prompt_ids=tuple(prompt_ids),
        faithfulness=faith,
        lang=lang,
        comparison=tuple(comparison),
        trends=tuple(trends),
        comparison_kind=comparison_kind,
        notes=tuple(notes),
        timings={"total_s": round(time.perf_counter() - t0, 3)},
    )


# --- LLM map-reduce --------------------------------------------------------------------------------


def _sections_for_map(rep: _Report, budget: int) -> list[tuple[str, int, int]]:
    """(label, start, end) pieces of the results text, one per top-level section, split so each fits
    the map budget (cut between paragraphs, or between sentences for a monster paragraph)."""
    from rag.text.tokens import count_tokens

    pieces: list[tuple[str, int, int]] = []
    by_top: dict[str, list[_Sentence]] = {}
    for s in rep.sentences:
        if s.role in ("results", "assessment") and s.section:
            by_top.setdefault(s.section[0], []).append(s)
    for top, ss in by_top.items():
        cur_start, cur_end, cur_tokens = ss[0].start, ss[0].start, 0
        for s in ss:
            if s.flagged:
                # The model never reads a sentence that instructs it: the piece ends before it.
                if cur_end > cur_start:
                    pieces.append((top, cur_start, cur_end))
                cur_start = cur_end = -1
                cur_tokens = 0
                continue
            if cur_start < 0:
                cur_start = cur_end = s.start
            t = count_tokens(rep.doc.text[s.start : s.end])
            if cur_tokens + t > budget and cur_end > cur_start:
                pieces.append((top, cur_start, cur_end))
                cur_start, cur_tokens = s.start, 0
            cur_end, cur_tokens = s.end, cur_tokens + t
        if cur_end > cur_start:
            pieces.append((top, cur_start, cur_end))
    return pieces


def _bullets(reply: str) -> list[tuple[str, list[int]]]:
    out = []
    for line in reply.splitlines():
        line = line.strip()
        if not _BULLET_RE.match(line) and not re.match(r"^\d+[.)]\s", line):
            continue
        line = re.sub(r"^(?:[-+•–*]\s*|\d+[.)]\s*)", "", line).strip()
        refs = [int(x) for x in re.findall(r"\[(\d+)\]", line)]
        text = re.sub(r"\s*\[\d+\]", "", line).strip()
        if len(text) > 10:
            out.append((text, refs))
    return out


def _llm_key_points(rep: _Report, settings: Settings, lang: str, max_words: int | None) -> list[Point]:
    from rag.answer.llm import complete, load_prompt
    from rag.text.tokens import count_tokens, truncate_tokens

    _, map_tpl = load_prompt(PROMPT_SECTION)
    _, reduce_tpl = load_prompt(PROMPT_REDUCE)
    overhead = count_tokens(map_tpl) + 200
    mapped: list[tuple[str, int, int]] = []  # bullet, source span
    for label, start, end in _sections_for_map(rep, MAP_TOKENS - overhead):
        text = truncate_tokens(rep.doc.text[start:end], MAP_TOKENS - overhead)
        prompt = (
            map_tpl.replace("{title}", rep.doc.title)
            .replace("{section}", label)
            .replace("{lang}", "tiếng Việt" if lang == "vi" else "English")
            .replace("{text}", text)
        )
        for bullet, _refs in _bullets(complete(prompt, settings, max_tokens=400)):
            p = Point(bullet, (), rep.citation(start, end))
            ok, n = check_point(p, rep.doc.text[start:end])
            if ok == n:  # an unverifiable bullet never reaches the reduce step
                mapped.append((bullet, start, end))
    if not mapped:
        raise LLMError("the model returned no verifiable section summary")
    listing, budget = [], REDUCE_TOKENS - count_tokens(reduce_tpl) - 200
    for i, (b, _s, _e) in enumerate(mapped, 1):
        line = f"[{i}] {b}"
        budget -= count_tokens(line)
        if budget < 0:
            break
        listing.append(line)
    prompt = (
        reduce_tpl.replace("{title}", rep.doc.title)
        .replace("{lang}", "tiếng Việt" if lang == "vi" else "English")
        .replace("{max_points}", str(MAX_POINTS))
        .replace("{max_words}", str(max_words or DEFAULT_KEY_WORDS))
        .replace("{bullets}", "\n".join(listing))
    )
    points = []
    for text, refs in _bullets(complete(prompt, settings, max_tokens=900)):
        refs = [r for r in refs if 1 <= r <= len(listing)]
        if not refs:
            continue
        start = min(mapped[r - 1][1] for r in refs)
        end = max(mapped[r - 1][2] for r in refs)
        cite = _narrow_citation(rep, text, start, end)
        qs = parse_quantities(text)
        figs = []
        for q in qs:
            for s in rep.sentences:
                if cite.start <= s.start < cite.end:
                    hit = next(
                        (
                            x
                            for x in s.quantities
                            if same_value(q.value, q.unit, x.value, x.unit, a_scale=q.scale, b_scale=x.scale)
                        ),
                        None,
                    )
                    if hit:
                        figs.append(rep.figure(hit, s.start, s.end))
                        break
        points.append(Point(text, tuple(figs), cite))
    points = points[:MAX_POINTS]
    # Faithfulness drops the unverifiable points later (_finish); when none would survive, the
    # model gave nothing usable: fail so the caller shows the extractive summary, not an empty one.
    if not any(_verified(p, rep.doc.text) for p in points):
        raise LLMError("the model returned no verifiable key point")
    return points


def _verified(p: Point, doc_text: str) -> bool:
    ok, n = check_point(p, doc_text[p.citation.start : p.citation.end] if p.citation else None)
    return ok == n and (p.citation is not None or n == 0)


def _narrow_citation(rep: _Report, text: str, start: int, end: int) -> Citation:
    """The smallest paragraph run of the cited sections that still holds every number of `text`."""
    qs = parse_quantities(text)
    paras = sorted({s.para for s in rep.sentences if start <= s.start < end})
    for para in paras:
        ss = [s for s in rep.sentences if s.para == para]
        p = Point(text, (), None)
        ok, n = check_point(p, rep.doc.text[ss[0].start : ss[-1].end])
        if qs and ok == n:
            return rep.citation(ss[0].start, ss[-1].end)
    return rep.citation(start, end)


# --- a set of reports --------------------------------------------------------------------------------


def _select_documents(
    index_dir: Path, province: str | None, period: str | None, all_: bool
) -> list[Document]:
    from rag.index.catalog import list_documents
    from rag.text.periods import overlaps, period_sort_key

    docs = list_documents(index_dir)
    if not all_ and not province and not period:
        raise BaocaoError("choose the reports: --province and/or --period, or --all")
    if province:
        from rag.text.gazetteer import canonical_province

        canon = canonical_province(province) or province
        docs = [d for d in docs if fold(d.province) == fold(canon)]
    if period:
        from rag.text.periods import normalise_period

        try:
            p = normalise_period(period)
        except (ValueError, BaocaoError):
            p = period
        docs = [d for d in docs if d.period and (d.period == p or _safe_overlaps(overlaps, d.period, p))]
    if not docs:
        raise DocumentNotFoundError(
            f"no indexed report matches province={province!r} period={period!r}; see `baocao list`"
        )

    def order(d: Document) -> tuple:
        try:
            return (d.province, period_sort_key(d.period))
        except (ValueError, KeyError):
            return (d.province, (0, 0, 0))

    return sorted(docs, key=order)


def _safe_overlaps(fn, a: str, b: str) -> bool:
    try:
        return bool(fn(a, b))
    except (ValueError, KeyError):
        return False


def summarize_set(
    index_dir: Path,
    settings: Settings,
    province: str | None = None,
    period: str | None = None,
    all: bool = False,  # noqa: A002 - the CLI flag's name
    lang: str = "vi",
    max_words: int | None = None,
    use_cache: bool = True,
) -> Summary:
    """Several reports: the same indicators side by side, the main trends, each figure cited."""
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    docs = _select_documents(index_dir, province, period, all)
    method, prompt_ids = _method(settings)
    key = _cache_key([d.doc_id for d in docs], f"set:{method}", prompt_ids, lang, max_words)
    if use_cache:
        hit = _cache_read(index_dir, key)
        if hit is not None:
            return hit
    singles = [summarize_document(index_dir, d.doc_id, settings, lang, max_words, use_cache) for d in docs]
    kind = _set_kind(docs)
    comparison = _indicator_comparison(index_dir, docs, kind)
    comparison += _comparison(singles, used={(f.source, f.start) for r in comparison for f in r.cells if f})
    comparison = comparison[:MAX_COMPARISON]
    trends = _trends(comparison, docs, lang)
    per_doc = max(1, min(3, (MAX_POINTS + len(docs) - 1) // len(docs)))
    key_points = [p for s in singles for p in s.key_points[:per_doc]]
    provinces = list(dict.fromkeys(d.province for d in docs if d.province))
    periods = [_describe(d.period, lang) for d in docs if d.period]
    if lang == "en":
        title = f"Summary of {len(docs)} reports"
        overview = (
            f"{len(docs)} reports ({', '.join(provinces)}; {', '.join(dict.fromkeys(periods))}). "
            f"The table compares {len(comparison)} indicators reported in more than one of them."
        )
    else:
        title = f"Tổng hợp {len(docs)} báo cáo"
        overview = (
            f"{len(docs)} báo cáo ({', '.join(provinces)}; {', '.join(dict.fromkeys(periods))}). "
            f"Bảng so sánh {len(comparison)} chỉ tiêu có trong từ hai báo cáo trở lên."
        )
    parts = {
        "key_points": key_points,
        "indicators": [],
        "difficulties": [p for s in singles for p in s.difficulties[:2]],
        "tasks": [p for s in singles for p in s.tasks[:2]],
    }
    notes = [n for s in singles for n in s.notes if n not in ()]
    summary = _finish(
        title=title,
        scope=[_ref(d) for d in docs],
        overview=overview,
        parts=parts,
        method=singles[0].method if singles else "extractive",
        prompt_ids=singles[0].prompt_ids if singles else (),
        lang=lang,
        notes=list(dict.fromkeys(notes)),
        texts={d.source: d.text for d in docs},
        t0=t0,
        comparison=comparison,
        trends=trends,
        comparison_kind=kind,
    )
    if not any(s.method != method for s in singles):  # no report fell back from the LLM (`all` is a flag)
        _cache_write(index_dir, key, summary)
    return summary


def _set_kind(docs: list[Document]) -> str:
    provinces = {d.province for d in docs}
    periods = {d.period for d in docs}
    if len(provinces) == 1 and len(periods) > 1:
        return "trend"
    if len(periods) == 1 and len(provinces) > 1:
        return "provinces"
    return "reports"


def _figure_of(row: Any) -> Figure:
    """A summary figure from an indicator-table row (rag.figures.FigureRow): the printed span, cited."""
    from rag.text.numbers import normalise_unit

    return Figure(
        value=row.value,
        unit=normalise_unit(row.unit)[0],
        scale=1.0,
        text=row.printed,
        source=row.source,
        section=row.section,
        quote=row.clause,
        chunk_id=row.chunk_id,
        start=row.start,
        end=row.end,
        qualifier=",".join(row.aspects),
        doc_id=row.doc_id,
    )


def _indicator_comparison(index_dir: Path, docs: list[Document], kind: str) -> list[ComparisonRow]:
    """The catalogued indicators the reports share (rag.figures.matrix): matched on indicator id and
    qualifiers, so a cumulative figure never sits beside an in-period one; a trend gets its change."""
    from rag.figures.matrix import indicator_matrix
    from rag.index.catalog import catalog, load_figures

    if len(docs) < 2:
        return []
    ids = [d.doc_id for d in docs]
    with catalog(index_dir, create=False) as con:
        stored = load_figures(con, {d.doc_id: d for d in docs}, ids)
    stored.sort(key=lambda r: (r.doc_id, r.start))
    rows = indicator_matrix(stored, ids, trend=kind == "trend", limit=MAX_COMPARISON)
    return [
        ComparisonRow(r.name, r.unit, tuple(_figure_of(c) if c else None for c in r.cells), r.change)
        for r in rows
    ]


def _comparison(
    singles: list[Summary], limit: int = 15, used: set[tuple[str, int]] = frozenset()
) -> list[ComparisonRow]:
    """Indicators found in two or more of the reports; when none is shared, each report's top three
    so the table still reads as a side-by-side. Figures in `used` (source, start) are in a row already."""
    n = len(singles)
    table: dict[str, list[Figure | None]] = {}
    names: dict[str, str] = {}
    for i, s in enumerate(singles):
        for r in s.indicators:
            if (r.figure.source, r.figure.start) in used:
                continue
            k = _concept(r.indicator, r.unit)
            cells = table.setdefault(k, [None] * n)
            if cells[i] is None:
                cells[i] = r.figure
                names.setdefault(k, r.indicator)
    shared = [(k, c) for k, c in table.items() if sum(x is not None for x in c) >= 2]
    shared.sort(key=lambda kc: -sum(x is not None for x in kc[1]))
    if not shared and not used:
        for s in singles:
            for r in s.indicators[:3]:
                k = _concept(r.indicator, r.unit)
                shared.append((k, table[k]))
    rows, seen = [], set()
    for k, cells in shared:
        if k in seen:
            continue
        seen.add(k)
        unit = next(c.unit for c in cells if c)
        rows.append(ComparisonRow(names[k], unit, tuple(cells)))
    return rows[:limit]


def _trends(rows: list[ComparisonRow], docs: list[Document], lang: str) -> list[Point]:
    """ "Indicator: value (report A) → value (report B)", printed values only, no computed number."""
    out = []
    for row in rows:
        cells = [(d, c) for d, c in zip(docs, row.cells, strict=True) if c]
        if len(cells) < 2:
            continue
        a, b = cells[0][1], cells[-1][1]
        va, vb = a.value * a.scale, b.value * b.scale
        if lang == "en":
            word = "up" if vb > va else "down" if vb < va else "unchanged"
        else:
            word = "tăng" if vb > va else "giảm" if vb < va else "không đổi"

        def step(dc: tuple[Document, Figure]) -> str:
            return f"{dc[1].text} ({dc[0].province} {_describe(dc[0].period, lang)})"

        # a long series reads as its first two steps and its last
        steps = " → ".join(map(step, cells if len(cells) <= 4 else cells[:2]))
        if len(cells) > 4:
            steps += " → … → " + step(cells[-1])
        out.append(
            Point(f"{row.indicator}: {steps} ({word}).", tuple(c for _d, c in cells), None, "verified")
        )
    return out[:MAX_POINTS]


# --- evaluation ---------------------------------------------------------------------------------------


def _summary_quantities(s: Any) -> tuple[list[tuple[float, str, float]], list[tuple[bool, str]]]:
    """(value, unit, scale) of everything a summary shows, and per shown text-number whether its
    cited source holds it. Accepts a Summary, its JSON dict, or plain text."""
    if isinstance(s, str):
        return [(q.value, q.unit, q.scale) for q in parse_quantities(s)], []
    if isinstance(s, dict):
        s = summary_from_dict(s)
    shown: list[tuple[float, str, float]] = []
    checks: list[tuple[bool, str]] = []
    for p in s.all_points():
        pq = [(q.value, q.unit, q.scale) for q in parse_quantities(p.text)]
        shown += pq
        passages = [p.citation.quote] if p.citation else []
        passages += [f.quote for f in p.figures]
        passage = " \n ".join(passages)
        pqs = parse_quantities(passage)
        for q in parse_quantities(p.text):
            checks.append((bool(passage) and _found_in(q, pqs, passage), q.raw))
    for f in s.all_figures():
        shown.append((f.value, f.unit, f.scale))
        pqs = parse_quantities(f.quote)
        q = Quantity(f.value, f.unit, f.scale, f.text)
        checks.append((_found_in(q, pqs, f.quote), f.text))
    return shown, checks


def score_summaries(summaries: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """Coverage and faithfulness of summaries against a gold file of key points.

    summaries: {report file: Summary | Summary JSON dict | text}; gold: the dev_summaries.json shape
    `{file: {points: [{point_vi, numbers, evidence}]}}`. Coverage: share of gold points whose numbers
    all appear among the summary's figures (same_value, the gold side unit-free). Faithfulness: share of
    the summary's numbers found in their cited source passage. Rows per point; aggregates from rows.
    """
    rows: list[dict[str, Any]] = []
    per_file: dict[str, Any] = {}
    faith_ok = faith_n = 0
    for file, g in gold.items():
        s = summaries.get(file)
        shown, checks = _summary_quantities(s) if s is not None else ([], [])
        ok = sum(1 for c, _ in checks if c)
        faith_ok += ok
        faith_n += len(checks)
        covered = 0
        points = g.get("points", [])
        for i, pt in enumerate(points):
            nums = [float(x) for x in pt.get("numbers", [])]
            missing = [x for x in nums if not any(same_value(x, "", v, u, b_scale=sc) for v, u, sc in shown)]
            hit = s is not None and not missing
            covered += hit
            rows.append(
                {"file": file, "point": i, "text": pt.get("point_vi", ""), "covered": hit, "missing": missing}
            )
        per_file[file] = {
            "coverage": round(covered / len(points), 4) if points else None,
            "faithfulness": round(ok / len(checks), 4) if checks else None,
            "points": len(points),
            "covered": covered,
            "unverified": [t for c, t in checks if not c],
            "summarized": s is not None,
        }
    n_points = len(rows)
    return {
        "coverage": round(sum(r["covered"] for r in rows) / n_points, 4) if n_points else None,
        "faithfulness": round(faith_ok / faith_n, 4) if faith_n else None,
        "points": n_points,
        "files": per_file,
        "rows": rows,
    }
