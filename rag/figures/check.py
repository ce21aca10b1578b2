"""Consistency checks over the indicator table: what an official wants caught before a report goes up.

- conflict: one figure printed with two values (two sections of one report, or two reports of the same
  province and period) — found by the words around it, so a copy still matches its original when the
  tagger names it differently;
- cumulative_down: a running total since January that falls between two reports of the same year;
- part_over_whole: "N …, trong đó M …" with M larger than N;
- percent_over_100: a share ("tỷ lệ", "chiếm") over 100%.
Every finding carries the rows it speaks of, each with its own citation. Nothing is resolved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.core.types import Document
from rag.figures.table import SENTENCE_END, FigureRow, load_rows
from rag.lexicon import load_lexicon
from rag.text.gazetteer import fold
from rag.text.numbers import format_quantity
from rag.text.periods import is_period, period_span

KINDS = ("conflict", "cumulative_down", "part_over_whole", "percent_over_100")
KIND_LABELS = {
    "conflict": "Một số liệu, hai giá trị",
    "cumulative_down": "Số lũy kế giảm",
    "part_over_whole": "Phần lớn hơn tổng",
    "percent_over_100": "Tỷ lệ vượt 100%",
}
# A signature needs this many words besides the masked numbers to identify a figure: "tháng # <> hồ sơ"
# is every line of a monthly table.
MIN_SIGNATURE_WORDS = 4
MIN_OWN_WORDS = 3
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    message: str  # Vietnamese, for the official
    rows: tuple[FigureRow, ...]  # the figures it speaks of, each cited

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": KIND_LABELS[self.kind],
            "message": self.message,
            "figures": [
                {
                    "printed": r.printed,
                    "value": r.value,
                    "unit": r.unit,
                    "indicator": r.indicator,
                    "province": r.province,
                    "period": r.period,
                    "source": r.source,
                    "section": r.section,
                    "start": r.start,
                    "end": r.end,
                    "clause": r.clause,
                }
                for r in self.rows
            ],
        }


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()

    def pattern(words: Iterable[str]) -> re.Pattern[str]:
        alts = sorted({fold(w) for w in words}, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)")

    return {
        "part": pattern(lex.families["part"]),
        "share": pattern(lex.cues["share"]),
        "running_total": pattern(lex.cues["running_total"]),
        "plan_or_change": pattern((*lex.families["plan"], *lex.families["change"])),
    }


def _fmt(r: FigureRow) -> str:
    return f"«{r.printed}» ({r.cite})"


def _value(v: float, unit: str) -> str:
    return format_quantity(v, unit, 1.0)


def _by_indicator(group: list[FigureRow]) -> list[list[FigureRow]]:
    """Same words, two tagged indicators: "lũy kế thuê bao phát sinh … 24.500" after a clause on phones
    and "… 26.500" after one on Internet are two figures. An untagged row may match either."""
    named = sorted({r.indicator for r in group if r.indicator})
    if len(named) < 2:
        return [group]
    return [[r for r in group if r.indicator in (ind, "")] for ind in named]


def _conflicts(rows: list[FigureRow]) -> list[Finding]:
    groups: dict[tuple, list[FigureRow]] = defaultdict(list)
    for r in rows:
        words = [w for w in r.signature.split() if w not in ("#", "<>")]
        if len(words) < MIN_SIGNATURE_WORDS:
            continue
        if not r.unit and not _THOUSANDS.fullmatch(r.printed.strip()):
            continue  # "9", "25" without a unit: list numbers and counts of everything, not figures
        # A figure with few words of its own ("…, tăng 8%") is told apart by what it was tagged as: the
        # words around it belong to its neighbour. One with its own words keeps matching a copy under
        # another heading, whatever the tagger made of it there.
        named = len(r.lead.split()) >= MIN_OWN_WORDS
        if not named and not r.indicator:
            continue  # neither its own words nor a tag say what it counts
        groups[(r.province, r.period, r.unit, r.aspects, r.signature, "" if named else r.indicator)].append(r)
    # Groups whose figures sit in the same sentences are one finding: a paragraph copied with three
    # figures changed is one thing to fix.
    merged: dict[tuple, list[FigureRow]] = {}
    for group in groups.values():
        for part in _by_indicator(group):
            if len({round(r.value, 6) for r in part}) > 1:
                merged.setdefault(tuple(sorted({(r.doc_id, r.clause) for r in part})), []).extend(part)
    out = []
    for group in merged.values():
        # one row per (report, value): a sentence that prints the same figure twice is not two claims
        seen, keep = set(), []
        for r in group:
            if (r.doc_id, round(r.value, 6)) not in seen:
                seen.add((r.doc_id, round(r.value, 6)))
                keep.append(r)
        where = "hai báo cáo" if len({r.doc_id for r in keep}) > 1 else "hai chỗ của một báo cáo"
        message = f"{where.capitalize()} in cùng một số liệu với giá trị khác nhau: " + "; ".join(
            _fmt(r) for r in keep
        )
        out.append(Finding("conflict", message, tuple(keep)))
    return out


def _by_doc(rows: list[FigureRow]) -> dict[str, list[FigureRow]]:
    out: dict[str, list[FigureRow]] = defaultdict(list)
    for r in rows:
        out[r.doc_id].append(r)
    for rs in out.values():
        rs.sort(key=lambda r: r.start)
    return out


def _cumulative_down(by_doc: dict[str, list[FigureRow]]) -> list[Finding]:
    w = _words()
    # the first running-total figure of each indicator in each report
    first: dict[tuple[str, str, str], FigureRow] = {}
    for doc_id, rs in by_doc.items():
        for r in rs:
            if not r.indicator or not r.unit or not is_period(r.period):
                continue
            if {"plan", "change"} & set(r.aspects) or r.unit == "%":
                continue
            if not w["running_total"].search(r.lead):
                continue
            first.setdefault((doc_id, r.indicator, r.unit), r)
    series: dict[tuple, dict[int, list[FigureRow]]] = defaultdict(lambda: defaultdict(list))
    for r in first.values():
        _, last, year = period_span(r.period)
        series[(r.province, r.indicator, r.unit, year)][last].append(r)
    out = []
    for by_month in series.values():
        months = sorted(by_month)
        # each report against those of the previous month reported: one typo is one finding, not one
        # per later month
        for m1, m2 in zip(months, months[1:], strict=False):
            for a, b in ((a, b) for a in by_month[m1] for b in by_month[m2]):
                if b.value >= a.value:
                    continue
                message = (
                    f"Số lũy kế giảm trong cùng năm: {_fmt(a)} ({a.period}) rồi {_fmt(b)} ({b.period}); "
                    f"giảm {_value(a.value - b.value, a.unit)}."
                )
                out.append(Finding("cumulative_down", message, (a, b)))
    return out


def _part_over_whole(by_doc: dict[str, list[FigureRow]], docs: dict[str, Document]) -> list[Finding]:
    w = _words()
    out = []
    for doc_id, rs in by_doc.items():
        text = docs[doc_id].text
        for i, r in enumerate(rs):
            if r.unit in ("%", ""):
                continue
            whole = next((p for p in reversed(rs[:i]) if p.unit == r.unit), None)
            if whole is None:
                continue
            between = text[whole.end : r.start]
            if SENTENCE_END.search(between) or not w["part"].search(fold(between)):
                continue
            if r.value > whole.value:
                message = f"Phần lớn hơn tổng: {_fmt(r)} nằm «trong đó» của {_fmt(whole)}."
                out.append(Finding("part_over_whole", message, (whole, r)))
    return out


def _percent_over_100(by_doc: dict[str, list[FigureRow]]) -> list[Finding]:
    w = _words()
    out = []
    for rs in by_doc.values():
        for r in rs:
            if r.unit != "%" or r.value <= 100:
                continue
            if not w["share"].search(r.lead):
                continue
            if w["plan_or_change"].search(fold(r.clause)):
                continue  # "đạt 105% kế hoạch", "tăng 120% so với cùng kỳ": not a share of a whole
            out.append(Finding("percent_over_100", f"Tỷ lệ vượt 100%: {_fmt(r)}.", (r,)))
    return out


def check(rows: list[FigureRow], docs: dict[str, Document]) -> list[Finding]:
    """Every finding over these rows, conflicts first, each kind in report order."""
    by_doc = _by_doc([r for r in rows if r.doc_id in docs])
    found = [
        *_conflicts(rows),
        *_cumulative_down(by_doc),
        *_part_over_whole(by_doc, docs),
        *_percent_over_100(by_doc),
    ]
    return sorted(
        found, key=lambda f: (KINDS.index(f.kind), f.rows[0].province, f.rows[0].source, f.rows[0].start)
    )


def check_index(index_dir: Path) -> list[Finding]:
    rows, docs = load_rows(index_dir)
    return check(rows, docs)
