"""The indicator table as files officials paste from: CSV (UTF-8 with a BOM, so Excel reads it as
written) and XLSX (openpyxl), every row with the source it was read from."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from rag.core.errors import BaocaoError


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols = [k for k in (rows[0] if rows else {}) if not k.startswith("_")]
    return cols or ["Tỉnh", "Kỳ", "Báo cáo", "Số liệu"]


def _source(r: dict[str, Any]) -> str:
    parts = [r.get("Báo cáo", ""), r.get("Mục", "")]
    where = " › ".join(p for p in parts if p)
    return f"{where} [ký tự {r['Vị trí']}]" if r.get("Vị trí") else where


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    cols = _columns(rows)
    writer = csv.DictWriter(buf, fieldnames=[*cols, "Nguồn"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows({**r, "Nguồn": _source(r)} for r in rows)
    return "\ufeff" + buf.getvalue()


def write_xlsx(rows: list[dict[str, Any]], path: Path, sheet: str = "Số liệu") -> Path:
    """One sheet: a bold header, filters, the values as numbers, a "Nguồn" column citing each cell."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise BaocaoError("writing XLSX needs openpyxl: pip install openpyxl") from e
    cols = [*_columns(rows), "Nguồn"]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([_source(r) if c == "Nguồn" else r.get(c, "") for c in cols])
    for i, c in enumerate(cols, 1):
        width = max([len(str(c)), *(len(str(r.get(c, ""))) for r in rows[:200])]) + 2
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, width)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as e:
        raise BaocaoError(f"cannot write {path.name}: {e.strerror or e}") from e
    return path
