"""Cut a report into passages that follow its outline and fit a token budget.

A chunk is always one contiguous span of Document.text (doc.text[start:end] == chunk.text), so a
citation can point back at the exact characters. Cuts fall only on whitespace at paragraph, sentence or,
for a monster sentence, clause boundaries; a number such as "1.674.885" or "99,7%" has no whitespace in
it and therefore can never be cut.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rag.core.types import Chunk, Document, Section
from rag.ingest.sections import heading_spans
from rag.text.segment import add_trimmed, paragraph_spans, sentence_spans
from rag.text.tokens import count_tokens

# A line that ends a sentence ends a list item or a paragraph printed without a blank line after it: a
# long paragraph is cut there before it is cut between the sentences of one item ("… (75%). Đến cuối
# năm 2021 đạt 92,2%." reads the second sentence with the first). A hard-wrapped line ends in no mark.
_LINE_END = re.compile(r"([.:;!?])([ \t]*\n\s*)")
_SEMI_END = re.compile(r"(;)(\s+)")
_CLAUSE_END = re.compile(r"([;,])(\s+)")
_WORD_END = re.compile(r"(\S)(\s+)")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    tokens: int


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_at(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of text[start:end] cut after each match's group 1 (the punctuation kept on the left)."""
    out = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.end() >= end:
            break
        add_trimmed(out, text, pos, m.end(1))
        pos = m.end()
    add_trimmed(out, text, pos, end)
    return out


_SPLITTERS = (
    paragraph_spans,
    lambda t, s, e: _cut_at(_LINE_END, t, s, e),
    sentence_spans,
    lambda t, s, e: _cut_at(_SEMI_END, t, s, e),
    lambda t, s, e: _cut_at(_CLAUSE_END, t, s, e),
    lambda t, s, e: _cut_at(_WORD_END, t, s, e),
)


def _pieces(text: str, start: int, end: int, max_tokens: int, level: int = 0) -> list[_Piece]:
    """Spans of text[start:end] within budget: paragraphs, else lines, else sentences, else clauses at "; " then
    ", ", else words; a single word over budget is kept whole."""
    out: list[_Piece] = []
    for s, e in _SPLITTERS[level](text, start, end):
        n = count_tokens(text[s:e])
        if n <= max_tokens or level == len(_SPLITTERS) - 1:
            out.append(_Piece(s, e, n))
        else:
            out.extend(_pieces(text, s, e, max_tokens, level + 1))
    return out


def _groups(pieces: list[_Piece], budget: float) -> list[list[_Piece]]:
    """Split consecutive pieces into runs of at most `budget` estimated tokens, as evenly as possible.

    Dynamic programming over cut points, cost = sum of squared slack: fewest chunks first, then equal
    sizes, so a section never ends in a 10-token runt that greedy filling would leave.
    """
    n = len(pieces)
    prefix = [0]
    for p in pieces:
        prefix.append(prefix[-1] + p.tokens)
    best = [0.0] + [float("inf")] * n
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            size = prefix[j] - prefix[i] + (j - i - 1)  # +1 a join: the separator between two pieces
            if size > budget and j - i > 1:
                break
            cost = best[i] + (budget - size) ** 2
            if cost < best[j]:
                best[j], cut[j] = cost, i
    out = []
    j = n
    while j > 0:
        out.append(pieces[cut[j] : j])
        j = cut[j]
    return out[::-1]


def _pack(text: str, pieces: list[_Piece], max_tokens: int, budget: float | None = None) -> list[_Piece]:
    """Consecutive pieces joined into chunks of at most max_tokens (exact count of the joined text)."""
    budget = max_tokens if budget is None else budget
    out: list[_Piece] = []
    for group in _groups(pieces, budget):
        s, e = group[0].start, group[-1].end
        n = group[0].tokens if len(group) == 1 else count_tokens(text[s:e])
        if n > max_tokens and len(group) > 1:
            # Pieces counted apart can merge differently once joined: repack this run a little tighter.
            out.extend(_pack(text, group, max_tokens, budget - (n - max_tokens) - 1))
            continue
        out.append(_Piece(s, e, n))
    return out


@dataclass
class _Block:
    """One section's share of the chunks before siblings are merged."""

    section: Section
    head_start: int
    pieces: list[_Piece]


def _blocks(text: str, outline: list[tuple[Section, int]], max_tokens: int) -> list[_Block]:
    out = []
    for i, (sec, head_start) in enumerate(outline):
        pieces = _pack(text, _pieces(text, sec.start, sec.end, max_tokens), max_tokens)
        if not pieces and sec.level > 0:
            nxt = outline[i + 1][0] if i + 1 < len(outline) else None
            has_children = nxt is not None and nxt.path[: len(sec.path)] == sec.path and nxt.path != sec.path
            if not has_children:
                # A heading with nothing under it: the heading line is the only content there is.
                s, e = _trimmed(text, head_start, sec.start)
                if e > s:
                    pieces = [_Piece(s, e, count_tokens(text[s:e]))]
        out.append(_Block(sec, head_start, pieces))
    return out


def _merge_siblings(
    text: str, blocks: list[_Block], max_tokens: int, min_tokens: int
) -> list[tuple[tuple[str, ...], _Piece]]:
    """(section path, chunk span) in order, short sibling sections merged while within budget.

    A merged chunk spans from the first section's heading line, so every heading it covers is in its
    text, and it is filed under the common parent: citing the first sibling for the second's facts
    would be wrong.
    """
    out: list[tuple[tuple[str, ...], _Piece]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if (
            len(b.pieces) != 1
            or b.pieces[0].tokens >= min_tokens
            or b.section.level == 0
            or len(b.section.path) < 2
        ):
            out.extend((b.section.path, p) for p in b.pieces)
            i += 1
            continue
        parent = b.section.path[:-1]
        start = b.head_start
        j = i + 1
        best: _Piece | None = None
        tokens = b.pieces[0].tokens
        while j < len(blocks):
            nb = blocks[j]
            if nb.section.level == 0 or nb.section.path[:-1] != parent or len(nb.pieces) > 1:
                break
            if tokens >= min_tokens and (not nb.pieces or nb.pieces[0].tokens >= min_tokens):
                break  # already long enough, and the next one stands on its own
            end = nb.pieces[0].end if nb.pieces else _trimmed(text, nb.head_start, nb.section.start)[1]
            n = count_tokens(text[start:end])
            if n > max_tokens:
                break
            best, tokens = _Piece(start, end, n), n
            j += 1
        if best is None:
            out.append((b.section.path, b.pieces[0]))
            i += 1
        else:
            out.append((parent, best))
            i = j
    return out


def _page(doc: Document, offset: int) -> int:
    if not doc.pages:
        return 0
    offsets = [o for o, _p in doc.pages]
    k = bisect.bisect_right(offsets, offset) - 1
    return doc.pages[k][1] if k >= 0 else doc.pages[0][1]


def _periods_fn():
    # periods.py is optional here: without it the indexer fills Chunk.periods itself.
    try:
        from rag.text.periods import parse_periods
    except ImportError:
        return None
    return parse_periods


def _periods(fn, text: str, default_year: int | None) -> tuple[str, ...]:
    return tuple(fn(text, default_year=default_year)) if fn is not None else ()


def _make_chunks(
    doc: Document, spans: list[tuple[tuple[str, ...], int, int]], periods: bool = True
) -> list[Chunk]:
    fn = _periods_fn() if periods else None
    year = int(doc.period[:4]) if doc.period[:4].isdigit() else None
    out = []
    for n, (path, s, e) in enumerate(spans):
        text = doc.text[s:e]
        out.append(
            Chunk(
                chunk_id=f"{doc.doc_id}:{n}",
                doc_id=doc.doc_id,
                n=n,
                text=text,
                section=path,
                start=s,
                end=e,
                source=doc.source,
                title=doc.title,
                province=doc.province,
                period=doc.period,
                kind=doc.kind,
                periods=_periods(fn, text, year),
                page=_page(doc, s),
            )
        )
    return out


def chunk_document(
    doc: Document, max_tokens: int = 320, min_tokens: int = 60, periods: bool = True
) -> list[Chunk]:
    """Passages of `doc` in document order, following its sections, each at most `max_tokens` tokens
    (cl100k_base) unless a single word is longer; short sibling sections are merged up to the budget.
    `periods`: read each passage's periods (False leaves them to the caller: the indexer reads them with
    the heading path)."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    text = doc.text
    outline = heading_spans(text)
    blocks = _blocks(text, outline, max_tokens)
    merged = _merge_siblings(text, blocks, max_tokens, min_tokens)
    return _make_chunks(doc, [(path, p.start, p.end) for path, p in merged], periods)


def paragraph_chunks(doc: Document) -> list[Chunk]:
    """One chunk per paragraph of every section body, no budget: the naive baseline for the eval."""
    spans = []
    for sec, _hs in heading_spans(doc.text):
        spans.extend((sec.path, s, e) for s, e in paragraph_spans(doc.text, sec.start, sec.end))
    return _make_chunks(doc, spans)
