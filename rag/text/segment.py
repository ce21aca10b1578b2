"""Where the sentences and clauses of report text begin and end: the one splitter that chunking, number
mentions, answer candidates, summaries and injection flagging share.

Three grains, one set of rules:
- a **sentence** ends at ". ! ? …" or ";" when the next word opens a sentence (a capital, a digit, a
  bullet) — what chunking packs and summaries quote;
- a **statement** is a sentence also cut at line breaks and spaced bullets but *not* at ";": the items
  of "…: 982 trạm 3G; 1.300 trạm 4G; …" share the verb before them;
- a **clause** is a statement also cut at every ";": the words that belong to one figure.
A "." is never a stop inside a number ("1.674.885", "4.0": no space follows), after an abbreviation
("TP. Nam Định", "ThS. Lê") or after an outline label ("1.2. Lĩnh vực", "II. KẾ HOẠCH").
Every span is absolute in the text given and trimmed of blanks (and, for statements and clauses, of a
leading bullet), so text[s:e] is always the exact passage a citation points at.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from rag.lexicon import load_lexicon

_PARA_SEP = re.compile(r"\n[ \t]*\n\s*")
_STOP = re.compile(r"([.;!?…]+)([\"”’»)\]]*)(\s+)")
# a spaced bullet breaks a statement, but not a dash between two numbers: "giai đoạn 2016 - 2020 là …",
# "từ 1.400 - 3.600m" are ranges
_STATEMENT_BREAK = re.compile(r"\n|(?<=\s)(?<!\d\s)[-+•](?=\s)|(?<=\d\s)[-+•](?=\s(?!\d))")
_SEMICOLON = re.compile(r";(?=\s)")
_LABEL = re.compile(r"^[-+•*\s]*(\d{1,2}(\.\d{1,2})*|[IVXL]{1,6}|[A-Za-zđĐ])$")
_BULLETS = "-+•–"
_LEADING = "-+•*–"  # bullets a statement or clause does not start with

Span = tuple[int, int]


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(a.lower() for a in load_lexicon().dotted_abbreviations)


def _opens_sentence(ch: str, nxt: str) -> bool:
    if ch.isupper() or ch.isdigit() or ch in _BULLETS:
        return True
    # An opening quote or bracket counts when what it opens starts like a sentence.
    return ch in "\"“‘'«([" and bool(nxt) and (nxt.isupper() or nxt.isdigit())


def is_false_stop(text: str, seg_start: int, punct_start: int) -> bool:
    """A "." at punct_start that ends an abbreviation or an outline label rather than a sentence."""
    if text[punct_start] != ".":
        return False
    word_start = punct_start
    while word_start > seg_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:punct_start]
    if word.lower() in _abbreviations() or (len(word) == 1 and word.isupper() and word not in "IVX"):
        return True
    line_start = max(text.rfind("\n", seg_start, punct_start) + 1, seg_start)
    return bool(_LABEL.match(text[line_start:punct_start]))


def add_trimmed(out: list[Span], text: str, start: int, end: int, lead: str = "") -> None:
    """Append text[start:end] less surrounding whitespace (and any of `lead`'s characters at its
    start), unless nothing is left of it."""
    while start < end and (text[start].isspace() or text[start] in lead):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Non-blank paragraphs (blank-line separated) of text[start:end], as absolute trimmed spans."""
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    for m in _PARA_SEP.finditer(text, start, end):
        add_trimmed(out, text, pos, m.start())
        pos = m.end()
    add_trimmed(out, text, pos, end)
    return out


def sentence_spans(text: str, start: int = 0, end: int | None = None, semicolons: bool = True) -> list[Span]:
    """Sentences of text[start:end], as absolute trimmed spans; with semicolons=False a ";" never ends
    one (a list's items stay with the words that open the list)."""
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    for m in _STOP.finditer(text, start, end):
        nxt = m.end()
        if nxt >= end:
            break
        if not semicolons and m.group(1) == ";":
            continue
        if not _opens_sentence(text[nxt], text[nxt + 1] if nxt + 1 < end else ""):
            continue
        if is_false_stop(text, pos, m.start(1)):
            continue
        add_trimmed(out, text, pos, m.end(2))
        pos = nxt
    add_trimmed(out, text, pos, end)
    return out


def _cut(text: str, spans: list[Span], pattern: re.Pattern[str], keep: bool) -> list[Span]:
    """Each span cut further at pattern's matches; `keep` leaves the matched mark on the left piece."""
    out: list[Span] = []
    for s, e in spans:
        pos = s
        for m in pattern.finditer(text, s, e):
            add_trimmed(out, text, pos, m.end() if keep else m.start(), _LEADING)
            pos = m.end()
        add_trimmed(out, text, pos, e, _LEADING)
    return out


def statement_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences (never ended by ";") cut further at line breaks and spaced bullets."""
    return _cut(text, sentence_spans(text, start, end, semicolons=False), _STATEMENT_BREAK, keep=False)


def clause_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Statements cut further at every ";": the span of words that belongs to one figure."""
    return _cut(text, statement_spans(text, start, end), _SEMICOLON, keep=False)


@lru_cache(maxsize=64)
def _cached(text: str, grain: str) -> tuple[tuple[Span, ...], tuple[int, ...]]:
    spans = tuple(_GRAINS[grain](text))
    return spans, tuple(s for s, _ in spans)


_GRAINS = {"sentence": sentence_spans, "statement": statement_spans, "clause": clause_spans}


def span_at(text: str, pos: int, grain: str = "clause") -> Span | None:
    """The span of the given grain ("sentence", "statement", "clause") holding position pos, or None
    when pos falls between two (on a blank or a bullet). Cached per text: a chunk's numbers share it."""
    spans, starts = _cached(text, grain)
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < spans[i][1]:
        return spans[i]
    return None


def start_before(text: str, pos: int, grain: str = "clause") -> int:
    """Where the span of the given grain that holds (or last ended before) pos begins; 0 if none."""
    spans, starts = _cached(text, grain)
    i = bisect.bisect_right(starts, pos) - 1
    return spans[i][0] if i >= 0 else 0


def open_parenthesis(text: str, pos: int, within: int) -> tuple[int, int] | None:
    """(start of the statement before it, its position) of the "(" that `pos` stands inside, looked for in
    the `within` characters before `pos`; None when there is none or it is closed before `pos`. A
    breakdown in parentheses ("849 hồ sơ (… Chi nhánh Ninh Sơn: 541 hồ sơ …)") is of the words before it."""
    opened = text.rfind("(", max(0, pos - within), pos)
    if opened < 0 or text.find(")", opened, pos) >= 0:
        return None
    return start_before(text, opened, "statement"), opened


def span_before(text: str, pos: int, grain: str = "sentence") -> Span | None:
    """The last span of the given grain that ends at or before pos, or None."""
    spans, starts = _cached(text, grain)
    i = bisect.bisect_right(starts, pos) - 1
    while i >= 0 and spans[i][1] > pos:
        i -= 1
    return spans[i] if i >= 0 else None
