"""The same indicators side by side across a set of reports: one row per catalogued indicator (and its
qualifiers), one cell per report, each cell a printed figure with its span. A province over periods reads
as a trend (with the change from the first to the last period, computed and labelled so); a period over
provinces as a comparison.

Cells match on the indicator id the tagger gave each figure (rag.text.indicators), not on the words
around it: two reports that word "thuê bao băng rộng cố định" differently still share a row, and a
cumulative figure never shares a row with an in-period one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.figures.table import FigureRow

# A figure that states a change ("tăng 8%") is not a level of the indicator: it gets no cell.
_NOT_A_LEVEL = frozenset({"change"})
_ASPECT_WORDS = {
    "cumulative": "lũy kế",
    "plan": "kế hoạch",
    "part": "một phần",
    "new": "mới",
    "stock": "hiện có",
    "total": "tổng",
}


@dataclass(frozen=True)
class MatrixRow:
    indicator: str  # catalogue id
    name: str  # the catalogue's Vietnamese name, with its qualifiers
    aspects: tuple[str, ...]
    unit: str  # canonical ("đồng", "%", "trạm")
    cells: tuple[FigureRow | None, ...]  # one per report, in the order asked
    change: str = ""  # last cell against the first, computed (not printed in any report)


def _grain(period: str) -> str:
    from rag.text.periods import period_kind

    try:
        return period_kind(period)
    except ValueError:
        return ""


def _names() -> dict[str, str]:
    from rag.lexicon import load_lexicon

    return {i.id: i.name for i in load_lexicon().indicators}


def _scaled(value: float, unit: str) -> tuple[float, str, float]:
    """A value shown at the scale reports print it: (value, unit, scale) for format_quantity."""
    if unit == "đồng":
        for scale in (1e9, 1e6):
            if abs(value) >= scale:
                return value / scale, unit, scale
    return value, unit, 1.0


def describe_change(first: float, last: float, unit: str) -> str:
    """ "+1.400 triệu đồng (+1,6%)"; for a percentage, the difference in points."""
    from rag.text.numbers import format_number, format_quantity

    diff = last - first
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    if unit == "%":
        return f"{sign}{format_number(abs(diff))} điểm %"
    v, u, s = _scaled(abs(diff), unit)
    text = f"{sign}{format_quantity(v, u, s)}"
    if first:
        pct = diff / abs(first) * 100
        text += f" ({'+' if pct >= 0 else '−'}{format_number(round(abs(pct), 1))}%)"
    return text


def indicator_matrix(
    rows: list[FigureRow], doc_ids: list[str], trend: bool = False, limit: int = 15, min_cells: int = 2
) -> list[MatrixRow]:
    """Indicators printed by at least `min_cells` of the reports `doc_ids` (in that order), most widely
    reported first. In each report the first printed figure of an (indicator, qualifiers, unit) is its
    cell: reports print the total before its breakdown. With `trend`, each row gets its change."""
    from rag.text.numbers import normalise_unit

    position = {d: i for i, d in enumerate(doc_ids)}
    table: dict[tuple[str, tuple[str, ...], str], list[FigureRow | None]] = {}
    for r in rows:
        i = position.get(r.doc_id)
        if i is None or not r.indicator or _NOT_A_LEVEL & set(r.aspects):
            continue
        unit = normalise_unit(r.unit)[0]
        cells = table.setdefault((r.indicator, r.aspects, unit), [None] * len(doc_ids))
        if cells[i] is None:
            cells[i] = r
    names = _names()
    ranked = sorted(
        ((k, c) for k, c in table.items() if sum(x is not None for x in c) >= min_cells),
        key=lambda kc: -sum(x is not None for x in kc[1]),
    )
    out = []
    for (ind, aspects, unit), cells in ranked[:limit]:
        label = names.get(ind, ind)
        words = [_ASPECT_WORDS[a] for a in aspects if a in _ASPECT_WORDS]
        if words:
            label += f" ({', '.join(words)})"
        change = ""
        have = [c for c in cells if c is not None]
        # the last figure against the first of the same kind of period: a year is not set against a month
        have = [c for c in have if _grain(c.period) == _grain(have[-1].period)] if have else have
        if trend and len(have) >= 2:
            change = describe_change(have[0].value, have[-1].value, unit)
        out.append(MatrixRow(ind, label, aspects, unit, tuple(cells), change))
    return out
