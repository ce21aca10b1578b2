"""The eval run as one self-contained HTML page an official or a reviewer can open offline.

Inline CSS and inline SVG only: the page is mailed around and opened on machines with no network.
Every value from the run is escaped, since report text and answers are data, not markup.
"""

from __future__ import annotations

from html import escape
from typing import Any

from rag.evaluation.harness import METRICS, format_metric, metric_value, worst_items

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2430;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d5dbe3}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d5dbe3;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#eef2f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.good{color:#156f2e}.bad{color:#b3261e}.muted{color:#66707d;font-size:.85rem}
.item{border:1px solid #d5dbe3;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.item h3{font-size:1rem;margin:.2rem 0}
.passage{background:#f6f8fa;border-left:3px solid #c4ccd6;padding:.3rem .6rem;margin:.3rem 0;
font-size:.85rem;white-space:pre-wrap}
.passage.hit{border-left-color:#2e8b57}
mark{background:#fff2a8}
"""

_LABELS = {
    "numeric_accuracy": "Độ chính xác số liệu / numeric accuracy",
    "abstention_accuracy": "Từ chối đúng / abstention accuracy",
    "false_answer_rate": "Trả lời sai / false answer rate",
    "hit_at_1": "Hit@1",
    "hit_at_5": "Hit@5",
    "mrr": "MRR",
    "latency_ms.p50": "Thời gian p50 (ms)",
    "latency_ms.p95": "Thời gian p95 (ms)",
}


def _num(v: Any, name: str = "") -> str:
    return escape(format_metric(v, name))


def _metrics_table(runs: list[tuple[str, dict[str, Any]]], cmp: dict[str, Any] | None) -> str:
    head = "".join(f"<th>{escape(n)}</th>" for n, _ in runs)
    if cmp:
        head += "<th>baseline</th><th>Δ</th>"
    rows = []
    for name in ("n", "n_answerable", "n_unanswerable", *METRICS):
        cells = "".join(f'<td class="num">{_num(metric_value(r, name), name)}</td>' for _, r in runs)
        if cmp:
            d = cmp["metrics"].get(name, {})
            delta = d.get("delta")
            cls = ""
            if delta:
                better = delta > 0 if METRICS.get(name, True) else delta < 0
                cls = "good" if better else "bad"
            cells += f'<td class="num">{_num(d.get("baseline"), name)}</td>'
            cells += f'<td class="num {cls}">{"—" if delta is None else f"{delta:+.3f}"}</td>'
        rows.append(f"<tr><th>{escape(_LABELS.get(name, name))}</th>{cells}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _kind_chart(runs: list[tuple[str, dict[str, Any]]]) -> str:
    """Horizontal bars of numeric accuracy (abstention accuracy for unanswerable) per kind, per pipeline."""
    kinds = sorted({k for _, r in runs for k in r.get("by_kind", {})})
    colours = ["#2b6cb0", "#dd8a2b", "#5a9e6f"]
    bar_h, gap, label_w, width = 14, 6, 170, 360
    group_h = len(runs) * (bar_h + 2) + gap
    height = len(kinds) * group_h + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + width + 60}" height="{height}" '
        f'role="img" aria-label="accuracy by kind">'
    ]
    for gi, kind in enumerate(kinds):
        y0 = gi * group_h
        parts.append(f'<text x="0" y="{y0 + bar_h}" font-size="12">{escape(kind)}</text>')
        for ri, (name, r) in enumerate(runs):
            m = r.get("by_kind", {}).get(kind, {})
            v = m.get("numeric_accuracy")
            if v is None:
                v = m.get("abstention_accuracy")
            y = y0 + ri * (bar_h + 2)
            w = int(width * (v or 0))
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" '
                f'fill="{colours[ri % len(colours)]}"><title>{escape(name)}: {_num(v)}</title></rect>'
            )
            parts.append(f'<text x="{label_w + w + 4}" y="{y + bar_h - 3}" font-size="11">{_num(v)}</text>')
    ly = len(kinds) * group_h + 14
    for ri, (name, _) in enumerate(runs):
        x = label_w + ri * 120
        parts.append(f'<rect x="{x}" y="{ly}" width="12" height="12" fill="{colours[ri % len(colours)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{ly + 11}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _breakdown_table(runs: list[tuple[str, dict[str, Any]]], group: str, title: str) -> str:
    cols = [
        ("n", "n"),
        ("numeric_accuracy", "acc"),
        ("abstention_accuracy", "abst"),
        ("false_answer_rate", "false"),
        ("hit_at_5", "hit@5"),
    ]
    head = "".join(
        f"<th>{escape(label)}{' · ' + escape(n) if len(runs) > 1 else ''}</th>"
        for n, _ in runs
        for _, label in cols
    )
    keys = sorted({k for _, r in runs for k in r.get(group, {})})
    body = []
    for key in keys:
        cells = "".join(
            f'<td class="num">{_num(r.get(group, {}).get(key, {}).get(c))}</td>'
            for _, r in runs
            for c, _ in cols
        )
        body.append(f"<tr><th>{escape(key)}</th>{cells}</tr>")
    return f"<table><tr><th>{escape(title)}</th>{head}</tr>{''.join(body)}</table>"


def _got(r: dict[str, Any]) -> str:
    if r["status"] == "error":
        return f"lỗi / error: {r.get('error', '')}"
    if r["status"] != "answered":
        return f"{r['status']} (không trả lời / no answer)"
    from rag.text.numbers import format_quantity

    return format_quantity(r["value"], r["unit"], r["scale"])


def _gold(r: dict[str, Any]) -> str:
    if r["gold_value"] is None:
        return "không có trong báo cáo / not in the reports"
    from rag.text.numbers import format_quantity

    return format_quantity(r["gold_value"], r["gold_unit"])


def _wrong_item(r: dict[str, Any]) -> str:
    verdict = (
        "false answer" if r["status"] == "answered" else ("error" if r["status"] == "error" else "missed")
    )
    rank = r.get("hit_rank")
    passages = []
    for i, p in enumerate(r.get("retrieved", []), 1):
        cls = "passage hit" if _holds(r, p) else "passage"
        passages.append(
            f'<div class="{cls}"><span class="muted">#{i} {escape(p.get("source", ""))} › '
            f"{escape(p.get('section', ''))} · {_num(p.get('score'))}</span>\n{escape(p.get('text', ''))}</div>"
        )
    return (
        f'<div class="item" id="{escape(r["id"])}"><h3>{escape(r["id"])} · {escape(r["kind"])} · '
        f'<span class="bad">{verdict}</span></h3>'
        f"<p><b>Câu hỏi:</b> {escape(r['question'])}</p>"
        f"<p><b>Đáp án chuẩn / gold:</b> {escape(_gold(r))}<br><b>Bằng chứng / evidence:</b> "
        f"<mark>{escape(r.get('evidence', ''))}</mark></p>"
        f"<p><b>Trả lời / got:</b> {escape(_got(r))}</p>"
        + (f'<p class="muted">{escape(r.get("answer_text", ""))}</p>' if r.get("answer_text") else "")
        + f'<p class="muted">evidence retrieved at rank: {escape(str(rank) if rank else "—")}</p>'
        + "".join(passages)
        + "</div>"
    )


def _holds(r: dict[str, Any], passage: dict[str, Any]) -> bool:
    from rag.evaluation.harness import hit_rank

    return any(hit_rank(part, [passage["text"]]) == 1 for part in str(r.get("evidence", "")).split("||"))


def render_report(
    run: dict[str, Any], naive: dict[str, Any] | None = None, compare: dict[str, Any] | None = None
) -> str:
    name = "default" if naive else run.get("config", {}).get("pipeline", "run")
    runs = [(name, run)] + ([("naive", naive)] if naive else [])
    cfg = run.get("config", {})
    cfg_rows = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in cfg.items())
    sections = [
        "<h2>Tổng quan / overview</h2>",
        _metrics_table(runs, compare),
        "<h2>Theo loại câu hỏi / by kind</h2>",
        _kind_chart(runs),
        '<p class="muted">Bars: numeric accuracy; for unanswerable items, abstention accuracy.</p>',
        _breakdown_table(runs, "by_kind", "kind"),
        "<h2>Theo báo cáo / by report</h2>",
        _breakdown_table(runs, "by_doc", "doc"),
    ]
    if compare:
        changes = []
        for key, label in (
            ("newly_wrong", "Mới sai / newly wrong"),
            ("newly_right", "Mới đúng / newly right"),
        ):
            ids = compare.get(key, [])
            changes.append(f"<p><b>{label}:</b> {escape(', '.join(ids)) if ids else '—'}</p>")
        sections += ["<h2>So với baseline / vs baseline</h2>", *changes]
    for label, r in runs:
        bad = worst_items(r, limit=len(r.get("items", [])))
        sections.append(f"<h2>Câu sai / wrong items — {escape(label)} ({len(bad)})</h2>")
        sections += [_wrong_item(x) for x in bad] or ["<p>Không có / none.</p>"]
    sections += ["<h2>Cấu hình / config</h2>", f"<table>{cfg_rows}</table>"]
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>baocao eval</title><style>{_CSS}</style></head><body>"
        f"<h1>baocao — đánh giá / evaluation</h1>"
        f'<p class="muted">commit {escape(str(cfg.get("git_commit", "") or "—"))} · '
        f"embedder {escape(str(cfg.get('embedder', '')))} · corpus {escape(str(cfg.get('corpus', '')))}</p>"
        + "".join(sections)
        + "</body></html>"
    )
