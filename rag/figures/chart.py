"""What the Chỉ số tab draws: a line over periods for a series or a change, bars for a comparison or a
ranking. The chart is data here (points with their source); the front end picks the plotting component.

Two inputs make charts: the table of a many-report answer (rag.answer.across) and the keyword series of
the indicator table (one figure per report). Missing cells are gaps, never zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A money figure is drawn in the scale reports print it in, not in đồng with twelve digits.
_MONEY_SCALES = ((1e9, "tỷ đồng"), (1e6, "triệu đồng"))


@dataclass(frozen=True)
class Point:
    # On a line: the period code ("2024-03"), whose text order is time order, so the plot needs no
    # per-chart sort; on bars: the province.
    x: str
    label: str  # what a reader calls it: "tháng 3/2024", "Nam Định"
    series: str  # the line or bar group: a province for a series, the indicator for a comparison
    value: float  # in the chart's unit
    shown: str  # the figure as the report prints it
    source: str  # "file › section"


@dataclass(frozen=True)
class Chart:
    kind: str  # line | bar
    title: str
    unit: str
    points: tuple[Point, ...]
    order: tuple[str, ...]  # the labels in reading order (periods in time order, provinces as ranked)

    def rows(self) -> list[dict[str, Any]]:
        """One row per point, with the columns the plot shows on hover: "Mốc" (a period code) and "Kỳ" on
        a line, "Tỉnh" on bars."""
        head = (lambda p: {"Mốc": p.x, "Kỳ": p.label}) if self.kind == "line" else (lambda p: {"Tỉnh": p.x})
        return [
            {**head(p), "Giá trị": p.value, "Chuỗi": p.series, "Số liệu": p.shown, "Nguồn": p.source}
            for p in self.points
        ]


def _display(values: list[tuple[float, str]]) -> tuple[list[float], str]:
    """Base values (in the canonical unit) -> values in the unit a reader expects, and that unit."""
    units = {u for _, u in values}
    unit = units.pop() if len(units) == 1 else ""
    nums = [v for v, _ in values]
    if unit == "đồng" and nums:
        top = max(abs(v) for v in nums)
        for scale, word in _MONEY_SCALES:
            if top >= scale:
                return [v / scale for v in nums], word
    return nums, unit


def chart_from_table(table: dict[str, Any], kind: str, title: str = "", series: str = "") -> Chart | None:
    """The chart of a many-report answer's table (`Answer.table`); `kind` is the answer's
    interpretation["across"] (series | change | compare | rank). None when no cell holds a value."""
    from rag.text.numbers import normalise_unit

    rows = table.get("rows") or []
    got = [r for r in rows if r.get("value") is not None]
    if not got:
        return None
    base = []
    for r in got:
        canon, extra = normalise_unit(r.get("unit") or "")
        base.append((float(r["value"]) * float(r.get("scale") or 1.0) * extra, canon))
    values, unit = _display(base)
    line = kind in ("series", "change")
    points = tuple(
        Point(
            x=r.get("key") or r["cells"][0],
            label=r["cells"][0],
            series=series or "Giá trị",
            value=v,
            shown=r["cells"][1],
            source=r["cells"][2] if len(r["cells"]) > 2 else "",
        )
        for r, v in zip(got, values, strict=True)
    )
    return Chart(
        kind="line" if line else "bar",
        title=title,
        unit=unit,
        points=points,
        # the table's own order: periods in time order (gaps included), provinces as ranked
        order=tuple(dict.fromkeys(r["cells"][0] for r in rows)),
    )


def chart_from_series(rows: list[dict[str, Any]], unit: str, title: str = "") -> Chart | None:
    """The chart of a keyword series (`Backend.indicator_series` rows: Kỳ, Tỉnh, Giá trị, Số liệu, Báo cáo).
    One province over periods or several provinces over periods: lines, one per province; one period
    over provinces: bars."""
    from rag.text.numbers import normalise_unit
    from rag.text.periods import describe_period, period_sort_key

    rows = [r for r in rows if r.get("Giá trị") is not None]
    if not rows:
        return None
    canon, extra = normalise_unit(unit)
    values, shown_unit = _display([(float(r["Giá trị"]) * extra, canon) for r in rows])
    periods = {r["Kỳ"] for r in rows}
    provinces = {r["Tỉnh"] for r in rows}
    bars = len(periods) == 1 and len(provinces) > 1

    def label(period: str) -> str:
        return describe_period(period) if period and period != "?" else "?"

    points = tuple(
        Point(
            x=r["Tỉnh"] if bars else r["Kỳ"],
            label=r["Tỉnh"] if bars else label(r["Kỳ"]),
            series=label(r["Kỳ"]) if bars else r["Tỉnh"],
            value=v,
            shown=r.get("Số liệu") or "",
            source=r.get("Báo cáo") or "",
        )
        for r, v in zip(rows, values, strict=True)
    )
    if bars:
        order = tuple(p.x for p in sorted(points, key=lambda p: -p.value))
    else:
        known = sorted((p for p in periods if p and p != "?"), key=period_sort_key)
        order = tuple(dict.fromkeys([*(label(p) for p in known), *(p.label for p in points)]))
    return Chart(
        kind="bar" if bars else "line",
        title=title,
        unit=shown_unit,
        points=points,
        order=order,
    )


def table_rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    """A many-report answer's table as indicator-table rows (what the Chỉ số tab lists and exports):
    the cell as printed, its value in the canonical unit, and the report and section it was read from."""
    from rag.text.numbers import normalise_unit

    head = (table.get("columns") or ["Kỳ"])[0]
    out = []
    for r in table.get("rows") or []:
        cite = (r.get("citations") or [{}])[0]
        value = None
        unit = ""
        if r.get("value") is not None:
            unit, extra = normalise_unit(r.get("unit") or "")
            value = float(r["value"]) * float(r.get("scale") or 1.0) * extra
        out.append(
            {
                head: r["cells"][0],
                "Số liệu": r["cells"][1],
                "Giá trị": value,
                "Đơn vị": unit,
                "Báo cáo": cite.get("source", ""),
                "Mục": cite.get("section", ""),
            }
        )
    return out
