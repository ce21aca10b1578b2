"""Render a Summary for people (Markdown, DOCX) and for scripts (JSON). No selection logic here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.summarize.extractive import Figure, Point, Summary, summary_to_dict
from rag.text.numbers import format_quantity

LABELS = {
    "vi": {
        "overview": "Tổng quan",
        "key_points": "Những điểm chính",
        "indicators": "Chỉ tiêu chủ yếu",
        "comparison": "So sánh giữa các báo cáo",
        "comparison_trend": "Diễn biến qua các kỳ",
        "comparison_provinces": "So sánh giữa các tỉnh",
        "trends": "Xu hướng chính",
        "difficulties": "Khó khăn, vướng mắc",
        "tasks": "Nhiệm vụ trọng tâm",
        "notes": "Ghi chú",
        "indicator": "Chỉ tiêu",
        "value": "Giá trị",
        "unit": "Đơn vị",
        "period": "Kỳ",
        "source": "Nguồn",
        "previous": "Kỳ trước",
        "change": "Thay đổi (tính toán)",
        "method": "Phương pháp",
        "faithfulness": "Độ khớp nguồn",
        "reports": "Báo cáo",
    },
    "en": {
        "overview": "Overview",
        "key_points": "Key points",
        "indicators": "Key indicators",
        "comparison": "Comparison across reports",
        "comparison_trend": "Over the periods",
        "comparison_provinces": "Across provinces",
        "trends": "Main trends",
        "difficulties": "Difficulties and obstacles",
        "tasks": "Priority tasks",
        "notes": "Notes",
        "indicator": "Indicator",
        "value": "Value",
        "unit": "Unit",
        "period": "Period",
        "source": "Source",
        "previous": "Previous period",
        "change": "Change (computed)",
        "method": "Method",
        "faithfulness": "Source agreement",
        "reports": "Reports",
    },
}


def _labels(s: Summary) -> dict[str, str]:
    return LABELS.get(s.lang, LABELS["vi"])


def _cite(p: Point) -> str:
    if p.citation is None:
        return "; ".join(dict.fromkeys(f.source for f in p.figures))
    return f"{p.citation.source} — {p.citation.section}" if p.citation.section else p.citation.source


def comparison_heads(s: Summary) -> list[str]:
    """One column per report of the set: its period for a trend (one province), its province for a
    comparison of one period, both otherwise; the file name where two reports would share a heading."""
    from rag.text.periods import describe_period

    def head(r) -> str:
        period = describe_period(r.period, s.lang) if r.period else ""
        if s.comparison_kind == "trend":
            return period or r.source
        if s.comparison_kind == "provinces":
            return r.province or r.source
        return f"{r.province} {period}".strip() or r.source

    heads = [head(r) for r in s.scope]
    return [h if heads.count(h) == 1 else f"{h} ({r.source})" for h, r in zip(heads, s.scope, strict=True)]


def _value(f: Figure) -> str:
    return f.text  # as printed: the reader can find it in the report with Ctrl+F


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _tables(s: Summary) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) of the summary's tables, shared by Markdown and DOCX."""
    lab = _labels(s)
    out = []
    if s.indicators:
        with_prev = any(r.previous for r in s.indicators)
        header = [lab["indicator"], lab["value"], lab["period"], lab["source"]]
        if with_prev:
            header += [lab["previous"], lab["change"]]
        rows = []
        for r in s.indicators:
            row = [r.indicator, _value(r.figure), r.period, f"{r.figure.source} — {r.figure.section}"]
            if with_prev:
                row += [f"{r.previous.text} ({r.previous_period})" if r.previous else "", r.change]
            rows.append(row)
        out.append((lab["indicators"], header, rows))
    if s.comparison:
        with_change = any(c.change for c in s.comparison)
        header = [lab["indicator"], *comparison_heads(s)] + ([lab["change"]] if with_change else [])
        rows = [
            [c.indicator, *[(_value(x) if x else "—") for x in c.cells]] + ([c.change] if with_change else [])
            for c in s.comparison
        ]
        out.append((lab.get(f"comparison_{s.comparison_kind}", lab["comparison"]), header, rows))
    return out


def to_markdown(s: Summary) -> str:
    lab = _labels(s)
    lines = [f"# {s.title}", ""]
    if len(s.scope) > 1:
        lines += [
            f"**{lab['reports']}:** " + "; ".join(f"{d.source} ({d.province}, {d.period})" for d in s.scope),
            "",
        ]
    lines += [f"## {lab['overview']}", "", s.overview, ""]
    if s.key_points:
        lines += [f"## {lab['key_points']}", ""]
        lines += [f"- {p.text} _({_cite(p)})_" for p in s.key_points]
        lines.append("")
    for heading, header, rows in _tables(s):
        lines += _md_table(heading, header, rows)
    if s.trends:
        lines += [f"## {lab['trends']}", ""] + [f"- {p.text}" for p in s.trends] + [""]
    for key, items in (("difficulties", s.difficulties), ("tasks", s.tasks)):
        if items:
            lines += [f"## {lab[key]}", ""] + [f"- {p.text} _({_cite(p)})_" for p in items] + [""]
    f = s.faithfulness
    foot = f"{lab['method']}: {s.method}; {lab['faithfulness']}: {f.get('score', 1.0):.2f}"
    lines += ["---", "", f"_{foot}_"]
    if s.notes:
        lines += [""] + [f"_{n}_" for n in s.notes]
    return "\n".join(lines).rstrip() + "\n"


def _md_table(heading: str, header: list[str], rows: list[list[str]]) -> list[str]:
    out = [f"## {heading}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return out + [""]


def to_docx(s: Summary, path: Path) -> Path:
    from docx import Document as Docx

    lab = _labels(s)
    doc = Docx()
    doc.add_heading(s.title, level=0)
    if len(s.scope) > 1:
        doc.add_paragraph(
            f"{lab['reports']}: " + "; ".join(f"{d.source} ({d.province}, {d.period})" for d in s.scope)
        )
    doc.add_heading(lab["overview"], level=1)
    doc.add_paragraph(s.overview)

    def bullets(heading: str, items: tuple[Point, ...], cite: bool = True) -> None:
        if not items:
            return
        doc.add_heading(heading, level=1)
        for p in items:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(p.text)
            if cite:
                run = para.add_run(f" ({_cite(p)})")
                run.italic = True

    bullets(lab["key_points"], s.key_points)
    for heading, header, rows in _tables(s):
        doc.add_heading(heading, level=1)
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            for r in cell.paragraphs[0].runs:
                r.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    bullets(lab["trends"], s.trends, cite=False)
    bullets(lab["difficulties"], s.difficulties)
    bullets(lab["tasks"], s.tasks)
    f = s.faithfulness
    foot = doc.add_paragraph(f"{lab['method']}: {s.method}; {lab['faithfulness']}: {f.get('score', 1.0):.2f}")
    foot.runs[0].italic = True
    for n in s.notes:
        doc.add_paragraph(n).runs[0].italic = True
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def to_json(s: Summary) -> dict[str, Any]:
    """The whole summary, plus a flat list of every figure shown with its source."""
    d = summary_to_dict(s)
    d["figures"] = [
        {
            "value": f.value,
            "unit": f.unit,
            "scale": f.scale,
            "display": format_quantity(f.value, f.unit, f.scale),
            "text": f.text,
            "source": f.source,
            "section": f.section,
            "quote": f.quote,
            "chunk_id": f.chunk_id,
            "start": f.start,
            "end": f.end,
        }
        for f in s.all_figures()
    ]
    return d
