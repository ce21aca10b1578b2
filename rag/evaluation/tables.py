"""Scoring many-report answers (series, comparison, ranking, change: rag.answer.across) against gold
tables. Evaluation as data: a gold item lists the cells it expects and the cells that must stay empty;
a run is one row per item and the metrics are computed from the rows alone.

Gold line (JSONL): {"id", "question_vi", "kind": series|compare|rank|change,
  "cells": [{"key": "Nam Định" | "2024-03", "value": 146, "unit": "vị trí"}],
  "absent": [keys whose report does not print the figure: an answered cell there is wrong],
  "top": key (rank: the first row), "change": later − earlier, in "change_unit" (default: the
  later cell's unit)}
A table is right when every gold cell is there with its value (and, for a ranking, the first row is the
top; for a change, the difference is right); a cell is wrong when it states a value the gold does not
hold (another value, or one where the gold says the report is silent).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from rag.core.config import Settings
from rag.core.errors import BaocaoError, ConfigError, GoldFormatError

KINDS = ("series", "compare", "rank", "change")
# metrics a table run can be held to (`--fail-under`): all higher-is-better rates
TABLE_METRICS = ("tables_right", "no_wrong_cell", "all_cited", "cell_recall")


def parse_table_floors(spec: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        name, sep, raw = part.partition("=")
        if not sep or name.strip() not in TABLE_METRICS:
            raise ConfigError(
                f"--fail-under: {part!r} is not METRIC=NUMBER with METRIC one of {', '.join(TABLE_METRICS)}"
            )
        try:
            out[name.strip()] = float(raw)
        except ValueError as exc:
            raise ConfigError(f"--fail-under: {raw.strip()!r} is not a number (in {part!r})") from exc
    return out


def check_table_floors(run: dict[str, Any], spec: str) -> list[str]:
    return [
        f"{name} {run.get(name)} < {bound}"
        for name, bound in parse_table_floors(spec).items()
        if run.get(name) is None or run[name] < bound
    ]


def is_table_gold(path: Path) -> bool:
    """Whether a gold file holds table items (their lines carry "cells")."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    return '"cells"' in line
    except (OSError, UnicodeDecodeError):
        return False
    return False


def load_table_gold(path: Path) -> list[dict[str, Any]]:
    from rag.evaluation.harness import gold_records

    items, seen = [], set()
    for no, where, obj in gold_records(path):
        if not isinstance(obj, dict):
            raise GoldFormatError(f"{where}: expected a JSON object")
        for key in ("id", "question_vi", "kind", "cells"):
            if key not in obj:
                raise GoldFormatError(f"{where}: missing key {key!r}")
        if obj["kind"] not in KINDS:
            raise GoldFormatError(f"{where}: kind must be one of {', '.join(KINDS)}, not {obj['kind']!r}")
        cells = obj["cells"]
        if not isinstance(cells, list) or not cells:
            raise GoldFormatError(f"{where}: 'cells' must be a non-empty list")
        for c in cells:
            v = c.get("value") if isinstance(c, dict) else None
            if not isinstance(c, dict) or not isinstance(c.get("key"), str) or isinstance(v, bool):
                raise GoldFormatError(f"{where}: each cell needs a string 'key' and a number 'value'")
            if not isinstance(v, int | float) or not math.isfinite(v):
                raise GoldFormatError(f"{where}: cell {c.get('key')!r} has no finite number 'value'")
        if obj["id"] in seen:
            raise GoldFormatError(f"{where}: id {obj['id']!r} used twice")
        seen.add(obj["id"])
        items.append({**obj, "absent": list(obj.get("absent") or []), "line": no})
    if not items:
        raise GoldFormatError(f"gold file {path} holds no items")
    return items


def _matches(gold: dict[str, Any], row: dict[str, Any]) -> bool:
    from rag.text.numbers import same_value

    if row.get("value") is None or row.get("status") != "answered":
        return False
    return same_value(
        row["value"],
        row.get("unit", ""),
        gold["value"],
        gold.get("unit", ""),
        0.005,
        a_scale=row.get("scale") or 1.0,
    )


def score_table(item: dict[str, Any], answer: Any, ms: float) -> dict[str, Any]:
    table = getattr(answer, "table", None) or {}
    rows = {r["key"]: r for r in table.get("rows", [])}
    right = [c["key"] for c in item["cells"] if c["key"] in rows and _matches(c, rows[c["key"]])]
    wrong = []
    gold_keys = {c["key"]: c for c in item["cells"]}
    for key, r in rows.items():
        if r.get("status") != "answered":
            continue
        if key in gold_keys and not _matches(gold_keys[key], r):
            wrong.append(key)
        elif key not in gold_keys:
            wrong.append(key)  # a value where the report prints none (or a row the gold does not know)
    answered = [r for r in rows.values() if r.get("status") == "answered"]
    cited = all(r.get("citations") for r in answered)
    full = len(right) == len(item["cells"])
    if item["kind"] == "rank" and item.get("top"):
        first = next((r for r in table.get("rows", []) if r.get("status") == "answered"), None)
        full = full and first is not None and first["key"] == item["top"]
    if item["kind"] == "change" and "change" in item:
        from rag.text.numbers import same_value

        unit = item.get("change_unit") or item["cells"][-1].get("unit", "")
        got = answer.value if getattr(answer, "value", None) is not None else None
        full = (
            full
            and got is not None
            and same_value(got, answer.unit, item["change"], unit, 0.005, a_scale=answer.scale or 1.0)
        )
    return {
        "id": item["id"],
        "question": item["question_vi"],
        "kind": item["kind"],
        "status": getattr(answer, "status", "error") if answer is not None else "error",
        "cells": len(item["cells"]),
        "cells_right": len(right),
        "cells_wrong": wrong,
        "table_right": bool(full),
        "no_wrong_cell": not wrong,
        "all_cited": bool(cited),
        "latency_ms": round(ms, 2),
        "answer_text": getattr(answer, "text", ""),
    }


def table_metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from rag.evaluation.harness import _mean, percentile

    lat = [r["latency_ms"] for r in rows]
    p50, p95 = percentile(lat, 50), percentile(lat, 95)
    n_cells = sum(r["cells"] for r in rows)
    return {
        "n": len(rows),
        "tables_right": _mean(r["table_right"] for r in rows),
        "no_wrong_cell": _mean(r["no_wrong_cell"] for r in rows),
        "all_cited": _mean(r["all_cited"] for r in rows),
        "cell_recall": round(sum(r["cells_right"] for r in rows) / n_cells, 4) if n_cells else None,
        "latency_ms": {
            "p50": None if p50 is None else round(p50, 2),
            "p95": None if p95 is None else round(p95, 2),
        },
        "errors": sum(1 for r in rows if r["status"] == "error"),
    }


def run_table_eval(
    gold: list[dict[str, Any]], corpus_dir: Path, settings: Settings, progress=None
) -> dict[str, Any]:
    from rag.evaluation.harness import _default_pipeline, breakdown_by, corpus_hash, git_commit

    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise BaocaoError(f"corpus {corpus_dir} is not a folder")
    # the product as `baocao ask` runs it, indexed the way the one-figure harness indexes it
    ask, _ = _default_pipeline(corpus_dir, settings, embedder=None)
    rows = []
    for i, item in enumerate(gold):
        if progress:
            progress(i, len(gold))
        t0 = time.perf_counter()
        try:
            answer, _ = ask(item["question_vi"], settings.k)
        except BaocaoError:
            answer = None
        rows.append(score_table(item, answer, (time.perf_counter() - t0) * 1000))
    if progress:
        progress(len(gold), len(gold))
    run = table_metrics(rows)
    run["by_kind"] = breakdown_by(rows, "kind", table_metrics)
    run["config"] = {
        "corpus": str(corpus_dir),
        "corpus_hash": corpus_hash(corpus_dir)[:16],
        "git_commit": git_commit(),
    }
    run["items"] = rows
    return run


def format_table_run(run: dict[str, Any]) -> str:
    lines = [
        f"many-report answers: {run['n']} tables — fully right {run['tables_right']}, no wrong cell "
        f"{run['no_wrong_cell']}, every cell cited {run['all_cited']}, cell recall {run['cell_recall']}, "
        f"p50 {run['latency_ms']['p50']} ms / p95 {run['latency_ms']['p95']} ms"
    ]
    for kind, m in run.get("by_kind", {}).items():
        lines.append(
            f"  {kind:8} n={m['n']:3}  right {m['tables_right']}  no wrong cell {m['no_wrong_cell']}"
        )
    return "\n".join(lines)
