"""The officials' app: a Gradio Blocks UI (Hỏi đáp, Báo cáo, Tóm tắt, Chỉ số, Đánh giá) and its named API.

`rag.service.Backend` does the work and knows nothing of Gradio, so the API endpoints, the UI handlers,
the CLI and the tests share one code path; `build_app` only wires widgets to it. Gradio is imported inside functions so that
`import rag` stays light for the CLI.
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path
from typing import Any

from rag.core.config import Settings
from rag.core.errors import (
    BaocaoError,
)
from rag.service import (
    AUTO,
    Backend,
    is_loopback,
    safe_text,
    sanitize_filename,
    vi_error,
)

EXAMPLES = [
    "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?",
    "Tỷ lệ hồ sơ trực tuyến toàn trình của Nam Định năm 2024 là bao nhiêu?",
    "Doanh thu viễn thông Nam Định tháng 8/2021 ước đạt bao nhiêu?",
    "Doanh thu viễn thông Nam Định tháng 8/2021 cao hơn Ninh Thuận tháng 2/2021 bao nhiêu?",
    "Trà Vinh tháng 10/2022 có bao nhiêu thuê bao di động?",
    "còn năm 2021 thì sao?",
]

CSS = """
.bc-answer { border-left: 4px solid #2563eb; padding: 6px 12px; margin: 2px 0 8px; border-radius: 4px;
             background: rgba(37, 99, 235, 0.06); }
.bc-value { font-size: 1.45em; font-weight: 700; color: #1d4ed8; }
.bc-notfound { border-left-color: #9ca3af; background: rgba(156, 163, 175, 0.12); color: #4b5563; }
.bc-notfound .bc-value { color: #6b7280; }
.bc-ambiguous { border-left-color: #d97706; background: rgba(217, 119, 6, 0.08); }
.bc-ambiguous .bc-value { color: #b45309; }
.bc-cite { border: 1px solid rgba(125, 125, 125, 0.35); border-radius: 6px; padding: 4px 10px; margin: 6px 0; }
.bc-cite summary { cursor: pointer; font-weight: 600; }
.bc-cite blockquote { margin: 6px 0; padding-left: 10px; border-left: 3px solid #93c5fd; }
.bc-cite mark, .bc-answer mark { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 2px; }
.bc-meta { font-size: 0.85em; opacity: 0.75; }
.bc-alt { font-size: 0.9em; opacity: 0.85; }
#bc-filters-note { font-size: 0.92em; }
footer { display: none !important; }
"""


def _num_tokens(text: str) -> list[tuple[int, int, float]]:
    from rag.text.numbers import parse_number

    out = []
    for m in re.finditer(r"(?<![\w.,])\d+(?:[.,]\d+)*", text):
        v = parse_number(m.group(0))
        if v is not None:
            out.append((m.start(), m.end(), v))
    return out


def _is_year(v: float) -> bool:
    return float(v).is_integer() and 1990 <= v <= 2100


def highlight(quote: str, values: set[float]) -> str:
    """Escape `quote` and wrap the numbers that are the answer's figures in <mark>."""
    out, pos = [], 0
    for s, e, v in _num_tokens(quote):
        if any(abs(v - w) <= 1e-9 * max(1.0, abs(w)) for w in values):
            out += [safe_text(quote[pos:s]), f"<mark>{safe_text(quote[s:e])}</mark>"]
            pos = e
    out.append(safe_text(quote[pos:]))
    return "".join(out)


def _filters_note(filters: dict[str, list[str]], expected_unit: str = "") -> str:
    from rag.text.periods import describe_period

    parts = []
    if filters.get("provinces"):
        parts.append("tỉnh **" + safe_text(", ".join(filters["provinces"])) + "**")
    if filters.get("periods"):
        parts.append("kỳ **" + safe_text(", ".join(describe_period(p) for p in filters["periods"])) + "**")
    if filters.get("doc_ids"):
        parts.append(f"{len(filters['doc_ids'])} báo cáo được chọn")
    if expected_unit:
        parts.append(f"đơn vị **{safe_text(expected_unit)}**")
    if not parts:
        return "🔎 Câu hỏi không nêu tỉnh hay kỳ báo cáo: tìm trong mọi báo cáo."
    return "🔎 Đã hiểu: " + " · ".join(parts) + ". Có thể chỉnh ở các ô lọc bên trên rồi hỏi lại."


def answer_values(a: dict[str, Any]) -> set[float]:
    """The figures an answer stands on: its value and the numbers of its own sentence (minus years)."""
    vals: set[float] = set()
    if a.get("value") is not None:
        vals.add(float(a["value"]))
    first = (a.get("text") or "").split("\nKhông phải:")[0]
    # The sentence quotes the source; only its head (before "Theo …") states figures of the answer.
    head = first.split(" Theo ")[0]
    vals.update(v for _, _, v in _num_tokens(head) if not _is_year(v))
    return vals


def render_answer(data: dict[str, Any], docs: dict[str, Any] | None = None) -> list[str]:
    """The assistant message in stages (value first, then the sentence, then the citations): streamed."""
    from rag.text.numbers import format_quantity
    from rag.text.periods import describe_period

    docs = docs or {}
    status = data.get("status", "not_found")
    cls = {"answered": "bc-answered", "ambiguous": "bc-ambiguous"}.get(status, "bc-notfound")
    text = data.get("text") or ""
    main, _, _ = text.partition("\nKhông phải:")
    values = answer_values(data)
    table = data.get("table") or {}
    if status == "answered" and data.get("value") is not None:
        headline = "✔ " + format_quantity(data["value"], data.get("unit", ""), data.get("scale", 1.0))
    elif status == "answered" and table:
        stated = sum(r.get("status") == "answered" for r in table.get("rows", []))
        headline = f"✔ Bảng {stated}/{len(table.get('rows', []))} ô có số liệu, mỗi ô kèm nguồn"
    elif status == "ambiguous":
        headline = "? Có nhiều số liệu khớp — cần làm rõ"
    else:
        headline = "✘ Không tìm thấy"
    head = f'<div class="bc-answer {cls}"><div class="bc-value">{safe_text(headline)}</div>'
    stages = [head + "</div>"]
    plain = re.match(r"^[^\n]*?\. Theo (\S+) \(.*\)?: “.*”$", main, flags=re.S)
    if status == "answered" and plain and data.get("citations"):
        # The extractive sentence repeats the quote that the citation panel shows: say only where.
        body = f"Theo báo cáo <b>{safe_text(plain.group(1))}</b> — đoạn trích dẫn bên dưới."
    elif status == "ambiguous" and data.get("alternatives"):
        # The options follow as a list of their own; the text's copy of them would say it twice.
        body = safe_text(main.split("\n", 1)[0])
    else:
        body = highlight(main, values if status == "answered" else set()).replace("\n", "<br>")
    block = head + f"<div>{body}</div></div>"
    stages.append(block)
    extra = []
    alts = list(data.get("alternatives") or [])
    if alts and status == "answered":
        items = "".join(
            f"<li>{safe_text(a.get('text', ''))} — <i>{safe_text(_clean_ctx(a.get('context', '')))}</i></li>"
            for a in alts[:4]
        )
        extra.append(f'<div class="bc-alt">Không phải (số liệu khác trong cùng đoạn):<ul>{items}</ul></div>')
    elif alts:
        title = (
            "Các phương án:"
            if status == "ambiguous"
            else "Số liệu gần nhất được báo cáo (không phải câu trả lời):"
        )
        items = "".join(
            f"<li><b>{safe_text(a.get('text', ''))}</b> — {safe_text(a.get('source', ''))}: "
            f"<i>{safe_text(_clean_ctx(a.get('context', '')))}</i></li>"
            for a in alts[:5]
        )
        extra.append(f'<div class="bc-alt">{title}<ul>{items}</ul></div>')
    for i, c in enumerate(data.get("citations") or [], 1):
        d = docs.get(str(c.get("chunk_id", "")).split(":")[0])
        meta = []
        if d is not None:
            meta += [x for x in (d.province, describe_period(d.period) if d.period else "", d.title) if x]
        meta.append(f"ký tự {c.get('start')}–{c.get('end')}")
        extra.append(
            f'<details class="bc-cite"{" open" if i == 1 else ""}><summary>📄 Nguồn {i}: '
            f"{safe_text(c.get('source', ''))} › {safe_text(c.get('section', '') or 'phần đầu')}</summary>"
            f"<blockquote>{highlight(c.get('quote', ''), values)}</blockquote>"
            f'<div class="bc-meta">{safe_text(" · ".join(meta))}</div></details>'
        )
    if extra:
        stages.append(block + "\n\n" + "\n".join(extra))
    return stages


def _clean_ctx(s: str) -> str:
    s = " ".join(s.replace("⟨", "").replace("⟩", "").split())
    return s if len(s) <= 120 else "…" + s[-120:]


# --- the Gradio app ---------------------------------------------------------------------------------------


def build_app(settings: Settings, backend: Backend | None = None):
    import gradio as gr
    import pandas as pd

    from rag.answer.query import MAX_QUESTION_CHARS

    be = backend or Backend(settings)

    def fail(where: str, exc: BaseException):
        if not isinstance(exc, BaocaoError):
            be.log_error(where, exc)
        # Toasts render HTML; a message may quote what a client typed or a file held.
        return gr.Error(html.escape(vi_error(exc), quote=False), print_exception=False)

    def tab_choices() -> list[list]:
        """Choices of the Tóm tắt, Chỉ số and Kiểm tra pickers, in order: report, province, period
        (summary); province, period, unit (indicators); province (checks). Built at start-up and again
        whenever a tab is opened."""
        ch = be.choices()
        every_province = [("Mọi tỉnh", AUTO), *ch["provinces"][1:]]
        return [
            [("— chọn một báo cáo —", AUTO), *ch["reports"][1:]],
            ch["provinces"],
            ch["periods"],
            every_province,
            [("Mọi kỳ", AUTO), *ch["periods"][1:]],
            [("Mọi đơn vị", ""), *((u, u) for u in be.indicator_units())],
            every_province,
        ]

    def dd_updates():
        ch = be.choices()
        return (
            gr.update(choices=ch["provinces"]),
            gr.update(choices=ch["periods"]),
            gr.update(choices=ch["reports"]),
        )

    # ---- Hỏi đáp -----------------------------------------------------------------------------------

    def chat(message, history, province, period, doc, state):
        from rag.answer.query import merge_followup, parse_question

        history = list(history or [])
        state = dict(state or {})
        message = (message or "").strip()
        if not message:
            yield history, "", state, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        from rag.answer.query import MAX_QUESTION_CHARS

        shown = message if len(message) <= MAX_QUESTION_CHARS else message[:300] + " …"
        history.append({"role": "user", "content": safe_text(shown)})
        history.append({"role": "assistant", "content": "⏳ Đang tìm trong các báo cáo…"})
        yield history, "", state, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        auto = state.get("auto") or {}
        # A dropdown the official changed is an order; one still showing what we read is only a reading.
        explicit = {
            "province": province if province and province != auto.get("province") else "",
            "period": period if period and period != auto.get("period") else "",
            "doc": doc or "",  # a chosen report stays chosen until cleared
        }
        prev = state.get("query")
        try:
            from rag.answer.query import check_question

            check_question(message)  # before parsing: a pasted document must cost nothing
            q = merge_followup(prev, message) if prev is not None else parse_question(message)
            res = be.ask(q.text, explicit["province"], explicit["period"], explicit["doc"])
        except Exception as exc:  # shown in the chat, never as a traceback
            if not isinstance(exc, BaocaoError):
                be.log_error("chat", exc)
            history[-1] = {
                "role": "assistant",
                "content": f'<div class="bc-answer bc-notfound">⚠️ {safe_text(vi_error(exc))}</div>',
            }
            yield history, "", state, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        from dataclasses import replace

        from rag.answer.asker import answer_to_json

        data = answer_to_json(res)
        filters = data.get("filters") or {}
        # The next follow-up reads against what was actually asked, including the dropdowns' say.
        state["query"] = replace(q, filters=res.info.filters)
        state["last"] = {
            "question": message,
            "asked": q.text,
            "status": data["status"],
            "value": data["value"],
            "unit": data["unit"],
            "filters": filters,
            "citations": [c["chunk_id"] for c in data["citations"]],
        }
        docs = be.doc_by_id()
        for stage in render_answer(data, docs):
            history[-1] = {"role": "assistant", "content": stage}
            yield history, "", state, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        provs, pers, dids = (
            filters.get("provinces") or [],
            filters.get("periods") or [],
            filters.get("doc_ids") or [],
        )
        new_auto = {
            "province": provs[0] if len(provs) == 1 else "",
            "period": pers[0] if len(pers) == 1 else "",
            "doc": dids[0] if len(dids) == 1 else "",
        }
        state["auto"] = new_auto
        note = _filters_note(filters, (data.get("interpretation") or {}).get("expected_unit", ""))
        yield (
            history,
            "",
            state,
            new_auto["province"],
            new_auto["period"],
            new_auto["doc"],
            note,
        )

    def clear_chat():
        return [], {}, AUTO, AUTO, AUTO, "🔎 Cuộc hội thoại mới: bộ lọc theo câu hỏi."

    def api_ask(question: str, province: str = "", period: str = "", doc: str = "") -> dict:
        """Answer a question: the same JSON as `baocao ask --json`."""
        try:
            return be.ask_json(question, province, period, doc)
        except Exception as exc:
            raise fail("ask", exc) from exc

    def send_feedback(rating, comment, state):
        last = (state or {}).get("last")
        if not last:
            return "Chưa có câu trả lời nào để đánh giá."
        be.feedback({"rating": rating, "comment": (comment or "").strip(), **last})
        return "Cảm ơn! Đã ghi nhận ý kiến " + ("👍" if rating == "up" else "👎") + "."

    def on_like(data: gr.LikeData, state):
        be.feedback(
            {
                "rating": "up" if data.liked else "down",
                "comment": "",
                "message_index": data.index,
                **((state or {}).get("last") or {}),
            }
        )

    def api_feedback(rating: str, comment: str = "", question: str = "") -> str:
        """Record 👍 ("up") / 👎 ("down") with an optional comment."""
        if rating not in ("up", "down"):
            raise gr.Error("Đánh giá phải là «up» (👍) hoặc «down» (👎).")
        be.feedback({"rating": rating, "comment": comment, "question": question})
        return "Đã ghi nhận."

    # ---- Báo cáo -----------------------------------------------------------------------------------

    def table_df():
        rows = be.documents_table()
        cols = ["Mã", "Tệp", "Tỉnh", "Kỳ", "Kỳ (đọc)", "Loại", "Tiêu đề"]
        return pd.DataFrame(rows, columns=cols)

    def do_upload(files):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
        if not paths:
            raise gr.Error("Chưa chọn tệp nào để tải lên.")
        try:
            msg, problems = be.upload(paths)
        except Exception as exc:
            raise fail("upload", exc) from exc
        if problems and not any(line.startswith(("✅", "🔄", "ℹ️")) for line in msg.split("\n\n")):
            raise gr.Error(html.escape(" ".join(problems), quote=False), print_exception=False)
        return (msg, table_df(), *dd_updates(), gr.update(choices=be.choices()["reports"][1:]), None)

    def api_reports() -> list:
        """The indexed reports with their metadata."""
        # gradio_client would take a dict with a "path" key for a file to download: name it otherwise.
        return [{("file" if k == "path" else k): v for k, v in d.meta().items()} for d in be.documents()]

    def pick_report(doc_id):
        d = be.doc_by_id().get(doc_id) if doc_id else None
        if d is None:
            return "", "", "", ""
        return d.province, d.period, d.kind, d.title

    def on_table_select(evt: gr.SelectData, df):
        try:
            row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            prefix = str(df.iloc[row]["Mã"])
        except Exception:  # a click on an empty table
            return gr.skip()
        for d in be.documents():
            if d.doc_id.startswith(prefix):
                return d.doc_id
        return gr.skip()

    def do_update(doc_id, province, period, kind, title):
        try:
            d = be.update_metadata(doc_id, province or "", period or "", kind or "", title or "")
        except Exception as exc:
            raise fail("update", exc) from exc
        return (
            f"✅ Đã lưu thông tin của «{d.source}».",
            table_df(),
            *dd_updates(),
            gr.update(choices=be.choices()["reports"][1:]),
        )

    def do_remove(doc_id):
        try:
            d = be.remove(doc_id)
        except Exception as exc:
            raise fail("remove", exc) from exc
        return (
            f"🗑️ Đã xóa «{d.source}» khỏi chỉ mục.",
            table_df(),
            *dd_updates(),
            gr.update(choices=be.choices()["reports"][1:], value=None),
        )

    def do_reindex(progress=gr.Progress()):  # noqa: B008 - how gradio injects a progress bar
        try:
            msg = be.reindex(progress=lambda f, desc: progress(f, desc=desc))
        except Exception as exc:
            raise fail("reindex", exc) from exc
        return msg, table_df()

    # ---- Tóm tắt -----------------------------------------------------------------------------------

    def do_summary(doc, province, period, max_words):
        try:
            s = be.summary(doc or "", province or "", period or "", int(max_words or 0))
        except Exception as exc:
            raise fail("summary", exc) from exc
        md, table, files = summary_outputs(s)
        return md, table, files

    def summary_outputs(s):
        out_dir = be.index_dir / "exports"
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = "tom-tat-" + "-".join(sanitize_filename(r.source).rsplit(".", 1)[0] for r in s.scope[:3])[:80]
        stem += time.strftime("-%Y%m%d-%H%M%S")
        md = summary_markdown(s)
        files = []
        try:
            from rag.summarize.export import to_docx, to_markdown

            (out_dir / f"{stem}.md").write_text(_call_export(to_markdown, s), encoding="utf-8")
            files.append(str(out_dir / f"{stem}.md"))
            _call_export(to_docx, s, out_dir / f"{stem}.docx")
            files.append(str(out_dir / f"{stem}.docx"))
        except Exception as exc:  # the summary on screen is still worth having
            be.log_error("export", exc)
            if not files:
                (out_dir / f"{stem}.md").write_text(md, encoding="utf-8")
                files.append(str(out_dir / f"{stem}.md"))
        return md, pd.DataFrame(summary_table(s)), files

    def api_summary(doc: str = "", province: str = "", period: str = "") -> dict:
        """Summary of one report (`doc`: id or file name) or of a province/period set, as JSON."""
        from rag.summarize.extractive import summary_to_dict

        try:
            return summary_to_dict(be.summary(doc, province, period))
        except Exception as exc:
            raise fail("summary", exc) from exc

    # ---- Chỉ số ------------------------------------------------------------------------------------

    def do_indicators(province, period, unit, search):
        rows = be.indicators(province or "", period or "", unit or "", search or "")
        cols = ["Tỉnh", "Kỳ", "Báo cáo", "Số liệu", "Giá trị", "Đơn vị", "Chỉ tiêu", "Ngữ cảnh", "Mục"]
        chart, answer_rows, sentence = be.indicator_chart(search or "", unit or "")
        if answer_rows is not None:  # a many-report question: its table, each cell cited
            rows = answer_rows
            cols = list(rows[0]) if rows else cols
            label = f"**{safe_text(sentence)}**"
        else:
            label = f"**{len(rows)}** số liệu" + (" (hiển thị 500 đầu tiên)" if len(rows) >= 500 else "")
            label += (
                f" · biểu đồ: «{safe_text(search)}» ({safe_text(chart.unit or 'không đơn vị')}), "
                f"{len(chart.points)} báo cáo"
                if chart
                else " · nhập từ khóa (ví dụ «BTS», «doanh thu viễn thông») hoặc câu hỏi nhiều kỳ, nhiều tỉnh "
                "(ví dụ «Số thuê bao di động của Nam Định qua các tháng năm 2024») để vẽ biểu đồ"
            )
        line, bars = plot_updates(chart)
        return (pd.DataFrame(rows, columns=cols), line, bars, label, indicator_files(rows))

    def plot_updates(chart):
        """The line plot for a series, the bar plot for a comparison; the other one hidden."""
        hidden = gr.update(visible=False, value=None)
        if chart is None:
            return hidden, hidden
        # Only the data and the titles change: Gradio 6's plot redraws stale data when its sort changes
        # with its value, hence period codes on the x axis (text order is time order) and bars by value.
        shown = gr.update(
            visible=True,
            value=pd.DataFrame(chart.rows()),
            label=chart.title[:120] or "Biểu đồ",
            y_title=f"Giá trị ({chart.unit})" if chart.unit else "Giá trị",
        )
        return (shown, hidden) if chart.kind == "line" else (hidden, shown)

    def indicator_files(rows):
        """The filtered table as CSV and XLSX, each row with its source: what officials paste from."""
        from rag.figures.export import to_csv, write_xlsx

        out_dir = be.index_dir / "exports"
        stem = "chi-so" + time.strftime("-%Y%m%d-%H%M%S")
        files = []
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / f"{stem}.csv").write_text(to_csv(rows), encoding="utf-8")
            files.append(str(out_dir / f"{stem}.csv"))
            files.append(str(write_xlsx(rows, out_dir / f"{stem}.xlsx")))
        except Exception as exc:  # the table on screen is still worth having
            be.log_error("export", exc)
        return files

    def api_indicators(province: str = "", period: str = "", unit: str = "", search: str = "") -> list:
        """Extracted figures, filtered by province, period, unit and words of their sentence."""
        return be.indicators(province, period, unit, search)

    # ---- Kiểm tra số liệu -----------------------------------------------------------------------------

    check_cols = ["#", "Loại", "Số liệu", "Tỉnh", "Kỳ", "Báo cáo", "Mục", "Câu"]

    def do_check(province):
        from rag.figures.check import KIND_LABELS

        found = be.check(province=province or "")
        rows = [
            [
                i,
                KIND_LABELS[f.kind],
                r.printed,
                r.province,
                r.period,
                r.source,
                _tail(r.section),
                r.clause[:300],
            ]
            for i, f in enumerate(found, 1)
            for r in f.rows
        ]
        where = f" của {safe_text(province)}" if province else ""
        label = (
            f"**{len(found)}** chỗ số liệu không khớp{where}: mỗi dòng là một số liệu, cùng số # là cùng một chỗ."
            if found
            else f"Không thấy số liệu nào không khớp{where}."
        )
        return pd.DataFrame(rows, columns=check_cols), label

    def _tail(section: str) -> str:
        """The last two headings: what tells the two places of one report apart."""
        return " › ".join(section.split(" › ")[-2:])

    def api_check(province: str = "") -> list:
        """Figures that disagree (one figure printed twice with two values, a running total that falls, a
        part over its whole, a share over 100%), each figure with its report, section and span."""
        return [f.to_dict() for f in be.check(province=province)]

    # ---- Đánh giá ----------------------------------------------------------------------------------

    def do_eval(name, request: gr.Request, progress=gr.Progress()):  # noqa: B008 - how gradio injects it
        try:
            user = getattr(request, "username", None) if request is not None else None
            run, page = be.evaluate(name or "", user, progress=lambda f, d: progress(f, desc=d))
        except Exception as exc:
            raise fail("eval", exc) from exc
        from rag.evaluation.harness import _gold_text, _got_text, worst_items

        m = run.get("metrics", run)
        keys = ["numeric_accuracy", "abstention_accuracy", "false_answer_rate", "hit_at_5"]
        rows = [{"Chỉ số": k, "Giá trị": m.get(k)} for k in keys if k in m]
        lat = m.get("latency_ms")  # {"p50": …, "p95": …}
        if rows and isinstance(lat, dict):
            rows += [{"Chỉ số": f"latency_{p}_ms", "Giá trị": lat.get(p)} for p in ("p50", "p95")]
        metrics = pd.DataFrame(
            rows or [{"Chỉ số": k, "Giá trị": v} for k, v in m.items() if isinstance(v, (int, float))]
        )
        worst = pd.DataFrame(
            [
                {
                    "Mã": r.get("id"),
                    "Loại": r.get("kind"),
                    "Câu hỏi": r.get("question", ""),
                    "Đúng": _gold_text(r),
                    "Trả lời": _got_text(r)[:160],
                }
                for r in worst_items(run, 15)
            ]
        )
        out = be.index_dir / "exports" / "eval.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
        return metrics, worst, str(out)

    # ---- layout ------------------------------------------------------------------------------------

    # Gradio finds event-data parameters by their annotation; with postponed annotations they are strings.
    on_like.__annotations__["data"] = gr.LikeData
    on_table_select.__annotations__["evt"] = gr.SelectData
    do_eval.__annotations__["request"] = gr.Request

    # ---- status line: background embedding, and reports added by another process --------------------

    def status_text(st: dict[str, Any]) -> str:
        text = st["text"]
        if st["embedding"].get("state") == "failed":
            text = safe_text(text)
        return text

    def api_status() -> dict:
        """The index's state: catalog version and the background embedding's progress."""
        return be.status()

    def tick(seen):
        """Every few seconds per open page: refresh the status line, and the report lists and pickers when
        the catalog changed (an upload in another tab, `baocao ingest` in a terminal)."""
        try:
            st = be.status()
        except Exception as exc:  # a busy catalog now is no reason for an error toast every 3 s
            be.log_error("status tick", exc)
            return (gr.skip(), seen, *([gr.skip()] * 12))
        if seen == st["version"]:
            return (status_text(st), seen, *([gr.skip()] * 12))
        ch = be.choices()
        return (
            status_text(st),
            st["version"],
            table_df(),
            gr.update(choices=ch["provinces"]),
            gr.update(choices=ch["periods"]),
            gr.update(choices=ch["reports"]),
            gr.update(choices=ch["reports"][1:]),
            *(gr.update(choices=c) for c in tab_choices()),
        )

    ch = be.choices()
    with gr.Blocks(title="baocao — Hỏi đáp báo cáo Sở TT&TT", analytics_enabled=False) as demo:
        gr.Markdown(
            "## 📊 baocao — Hỏi đáp & tóm tắt báo cáo Sở Thông tin và Truyền thông\n"
            "Chạy hoàn toàn trên máy này; mọi con số đều kèm nguồn trích dẫn."
        )
        st0 = be.status()
        status_md = gr.Markdown(status_text(st0), elem_id="bc-status")
        seen_version = gr.State(st0["version"])
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat"):
                state = gr.State({})
                with gr.Row():
                    f_prov = gr.Dropdown(
                        ch["provinces"], value=AUTO, label="Tỉnh/thành phố", allow_custom_value=True
                    )
                    f_per = gr.Dropdown(
                        ch["periods"], value=AUTO, label="Kỳ báo cáo", allow_custom_value=True
                    )
                    f_doc = gr.Dropdown(ch["reports"], value=AUTO, label="Báo cáo", allow_custom_value=True)
                note = gr.Markdown(
                    "🔎 Bộ lọc được đọc từ câu hỏi; có thể chọn tay ở trên.", elem_id="bc-filters-note"
                )
                bot = gr.Chatbot(
                    label="Hỏi đáp",
                    height=520,
                    elem_id="bc-chat",
                    placeholder="Hỏi về số liệu trong các báo cáo, ví dụ: "
                    "«Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?»",
                )
                with gr.Row():
                    msg = gr.Textbox(
                        placeholder="Nhập câu hỏi rồi nhấn Enter…",
                        show_label=False,
                        scale=8,
                        elem_id="bc-question",
                        autofocus=True,
                        max_length=MAX_QUESTION_CHARS,
                    )
                    send = gr.Button("Hỏi", variant="primary", scale=1, elem_id="bc-send")
                    new = gr.Button("Hội thoại mới", scale=1)
                gr.Examples(EXAMPLES, inputs=[msg], label="Câu hỏi mẫu")
                with gr.Accordion("Góp ý về câu trả lời gần nhất", open=False):
                    comment = gr.Textbox(label="Nhận xét (không bắt buộc)", lines=2)
                    with gr.Row():
                        up = gr.Button("👍 Đúng, hữu ích")
                        down = gr.Button("👎 Chưa đúng")
                    fb_status = gr.Markdown()

                chat_io = dict(
                    inputs=[msg, bot, f_prov, f_per, f_doc, state],
                    outputs=[bot, msg, state, f_prov, f_per, f_doc, note],
                )
                msg.submit(chat, **chat_io, api_name="chat", concurrency_id="chat", concurrency_limit=16)
                send.click(
                    chat, **chat_io, api_visibility="private", concurrency_id="chat", concurrency_limit=16
                )
                new.click(
                    clear_chat, outputs=[bot, state, f_prov, f_per, f_doc, note], api_visibility="private"
                )
                up.click(
                    lambda c, s: send_feedback("up", c, s),
                    [comment, state],
                    fb_status,
                    api_visibility="private",
                )
                down.click(
                    lambda c, s: send_feedback("down", c, s),
                    [comment, state],
                    fb_status,
                    api_visibility="private",
                )
                bot.like(on_like, [state], None, api_visibility="private")

            with gr.Tab("Báo cáo", id="reports"):
                with gr.Row():
                    with gr.Column(scale=2):
                        files = gr.File(
                            label="Tải báo cáo lên (.txt, .md, .docx, .pdf; tối đa "
                            f"{settings.max_file_mb:g} MB mỗi tệp)",
                            file_count="multiple",
                            # No file_types: gradio would refuse other types with an English message;
                            # the app's own check answers in Vietnamese.
                            elem_id="bc-upload",
                        )
                        up_btn = gr.Button("Nạp vào chỉ mục", variant="primary", elem_id="bc-upload-btn")
                    with gr.Column(scale=3):
                        up_status = gr.Markdown(elem_id="bc-upload-status")
                        reindex_btn = gr.Button("🔁 Lập chỉ mục lại")
                        reindex_status = gr.Markdown()
                table = gr.Dataframe(
                    table_df(),
                    label="Báo cáo trong chỉ mục (bấm một dòng để sửa)",
                    interactive=False,
                    wrap=True,
                    elem_id="bc-reports",
                )
                with gr.Accordion("Sửa thông tin / xóa báo cáo", open=True):
                    with gr.Row():
                        edit_doc = gr.Dropdown(ch["reports"][1:], label="Báo cáo", scale=3)
                        e_prov = gr.Textbox(label="Tỉnh")
                        e_per = gr.Textbox(label="Kỳ (2024, 2021-08, 2023-Q1…)")
                        e_kind = gr.Dropdown(
                            ["monthly", "quarterly", "half-year", "nine-month", "annual", "other"],
                            label="Loại",
                            allow_custom_value=True,
                        )
                    e_title = gr.Textbox(label="Tiêu đề")
                    with gr.Row():
                        save_btn = gr.Button("💾 Lưu thông tin", variant="primary")
                        rm_btn = gr.Button("🗑️ Xóa khỏi chỉ mục", variant="stop")
                    edit_status = gr.Markdown()

                up_btn.click(
                    do_upload,
                    [files],
                    [up_status, table, f_prov, f_per, f_doc, edit_doc, files],
                    api_name="upload",
                    concurrency_id="heavy",
                    concurrency_limit=1,
                )
                edit_doc.change(
                    pick_report, [edit_doc], [e_prov, e_per, e_kind, e_title], api_visibility="private"
                )
                table.select(on_table_select, [table], [edit_doc], api_visibility="private")
                save_btn.click(
                    do_update,
                    [edit_doc, e_prov, e_per, e_kind, e_title],
                    [edit_status, table, f_prov, f_per, f_doc, edit_doc],
                    api_name="update_report",
                    concurrency_id="heavy",
                    concurrency_limit=1,
                )
                rm_btn.click(
                    do_remove,
                    [edit_doc],
                    [edit_status, table, f_prov, f_per, f_doc, edit_doc],
                    api_name="remove_report",
                    concurrency_id="heavy",
                    concurrency_limit=1,
                )
                reindex_btn.click(
                    do_reindex,
                    None,
                    [reindex_status, table],
                    api_name="reindex",
                    concurrency_id="heavy",
                    concurrency_limit=1,
                )

            with gr.Tab("Tóm tắt", id="summary") as summary_tab:
                with gr.Row():
                    tc = tab_choices()
                    s_doc = gr.Dropdown(
                        tc[0],
                        elem_id="bc-summary-doc",
                        value=AUTO,
                        label="Một báo cáo",
                        # API callers may name a report uploaded after the app started (id or file name).
                        allow_custom_value=True,
                        scale=3,
                    )
                    s_prov = gr.Dropdown(tc[1], value=AUTO, label="…hoặc một tỉnh", allow_custom_value=True)
                    s_per = gr.Dropdown(tc[2], value=AUTO, label="…và/hoặc một kỳ", allow_custom_value=True)
                    s_words = gr.Number(value=0, label="Số từ tối đa (0 = mặc định)", precision=0)
                s_btn = gr.Button("📝 Tóm tắt", variant="primary", elem_id="bc-summary-btn")
                s_md = gr.Markdown(elem_id="bc-summary")
                s_table = gr.Dataframe(
                    elem_id="bc-summary-table",
                    headers=["Chỉ tiêu", "Giá trị", "Kỳ", "Kỳ trước", "Thay đổi (tính)", "Nguồn"],
                    label="Chỉ số chính",
                    interactive=False,
                    wrap=True,
                )
                s_files = gr.File(label="Tải về (Markdown, DOCX)", file_count="multiple", interactive=False)
                s_btn.click(
                    do_summary,
                    [s_doc, s_prov, s_per, s_words],
                    [s_md, s_table, s_files],
                    api_name="summarize",
                    concurrency_id="heavy",
                    concurrency_limit=1,
                )

            with gr.Tab("Chỉ số", id="indicators") as indicators_tab:
                with gr.Row():
                    i_prov = gr.Dropdown(tc[3], value=AUTO, label="Tỉnh")
                    i_per = gr.Dropdown(tc[4], value=AUTO, label="Kỳ")
                    i_unit = gr.Dropdown(tc[5], value="", label="Đơn vị")
                    i_search = gr.Textbox(
                        elem_id="bc-ind-search",
                        label="Từ khóa chỉ tiêu, hoặc câu hỏi nhiều kỳ / nhiều tỉnh",
                        placeholder="ví dụ: BTS · doanh thu viễn thông · thuê bao di động Nam Định qua các tháng năm 2024",
                    )
                i_btn = gr.Button("Lọc", variant="primary")
                i_label = gr.Markdown(elem_id="bc-ind-label")
                # Vega plots drawn in the browser: the value, the printed figure and its source on hover
                i_line = gr.LinePlot(
                    x="Mốc",
                    x_title="Kỳ",
                    y="Giá trị",
                    color="Chuỗi",
                    tooltip="all",
                    elem_id="bc-ind-line",
                    visible=False,
                    height=320,
                )
                i_bar = gr.BarPlot(
                    x="Tỉnh",
                    y="Giá trị",
                    tooltip="all",
                    elem_id="bc-ind-bar",
                    visible=False,
                    height=320,
                    y_lim=[0, None],
                    sort="-y",
                )
                i_table = gr.Dataframe(
                    elem_id="bc-ind-table",
                    label="Số liệu trích từ báo cáo",
                    interactive=False,
                    wrap=True,
                    max_height=520,
                )
                i_files = gr.File(
                    elem_id="bc-ind-files",
                    label="Tải về (CSV, XLSX, kèm nguồn)",
                    file_count="multiple",
                    interactive=False,
                )
                i_inputs = [i_prov, i_per, i_unit, i_search]
                i_outputs = [i_table, i_line, i_bar, i_label, i_files]
                # filled on open with what the index holds, not an empty table; the plots are emptied
                # first, or Gradio keeps the last chart's legend and axis domains
                for trigger in (i_btn.click, i_search.submit, indicators_tab.select):
                    # one at a time, in the order asked: the table of the tab's opening must not land
                    # after the one for the words typed next
                    trigger(
                        lambda: (None, None), None, [i_line, i_bar], api_visibility="private", queue=False
                    ).then(
                        do_indicators,
                        i_inputs,
                        i_outputs,
                        api_visibility="private",
                        concurrency_id="indicators",
                        concurrency_limit=1,
                    )

            with gr.Tab("Kiểm tra số liệu", id="check") as check_tab:
                gr.Markdown(
                    "Số liệu tự mâu thuẫn trong các báo cáo đã nạp: một số liệu in hai giá trị khác nhau, "
                    "số lũy kế giảm trong năm, phần lớn hơn tổng («trong đó»), tỷ lệ vượt 100%."
                )
                with gr.Row():
                    c_prov = gr.Dropdown(tc[6], value=AUTO, label="Tỉnh")
                    c_btn = gr.Button("Kiểm tra", variant="primary")
                c_label = gr.Markdown()
                c_table = gr.Dataframe(
                    elem_id="bc-check-table",
                    label="Các số liệu không khớp, mỗi số liệu kèm nguồn",
                    interactive=False,
                    wrap=True,
                    max_height=520,
                )
                c_btn.click(do_check, [c_prov], [c_table, c_label], api_visibility="private")
                check_tab.select(do_check, [c_prov], [c_table, c_label], api_visibility="private")

            with gr.Tab("Đánh giá", id="eval"):
                eval_choices = be.eval_choices()
                gr.Markdown(
                    "Chạy bộ câu hỏi chuẩn đã cấu hình trên máy chủ (chỉ quản trị viên)."
                    if eval_choices
                    else "Máy chủ chưa cấu hình bộ đánh giá (baocao serve --eval-gold … --eval-corpus …)."
                )
                g_set = gr.Dropdown(
                    eval_choices,
                    value=eval_choices[0][1] if eval_choices else None,
                    label="Bộ câu hỏi chuẩn",
                    # The backend checks the name and answers in Vietnamese; gradio's own refusal is English.
                    allow_custom_value=True,
                )
                g_btn = gr.Button("▶️ Chạy đánh giá", variant="primary")
                g_metrics = gr.Dataframe(label="Kết quả", interactive=False)
                g_worst = gr.Dataframe(label="Các câu sai (tệ nhất trước)", interactive=False, wrap=True)
                g_file = gr.File(label="Báo cáo HTML", interactive=False)
                g_btn.click(
                    do_eval,
                    [g_set],
                    [g_metrics, g_worst, g_file],
                    api_name="evaluate",
                    concurrency_id="heavy",
                    concurrency_limit=1,
                )

        # API-only endpoints: stable JSON for other tools (gradio_client).
        gr.api(api_ask, api_name="ask", concurrency_id="chat", concurrency_limit=16)
        gr.api(api_reports, api_name="reports")
        gr.api(api_summary, api_name="summary", concurrency_id="heavy", concurrency_limit=1)
        gr.api(api_indicators, api_name="indicators")
        gr.api(api_check, api_name="check")
        gr.api(api_feedback, api_name="feedback")
        gr.api(api_status, api_name="status", concurrency_limit=None)

        timer = gr.Timer(3.0)
        timer.tick(
            tick,
            [seen_version],
            [
                status_md,
                seen_version,
                table,
                f_prov,
                f_per,
                f_doc,
                edit_doc,
                s_doc,
                s_prov,
                s_per,
                i_prov,
                i_per,
                i_unit,
                c_prov,
            ],
            api_visibility="private",
            concurrency_limit=None,
            show_progress="hidden",
        )

        # The pickers of these tabs were filled when the app started: refresh them when a tab is opened,
        # so reports uploaded, edited or removed since then are offered (or no longer offered).
        def picker_updates():
            return tuple(gr.update(choices=c) for c in tab_choices())

        pickers = [s_doc, s_prov, s_per, i_prov, i_per, i_unit, c_prov]
        summary_tab.select(picker_updates, None, pickers, api_visibility="private")
        indicators_tab.select(picker_updates, None, pickers, api_visibility="private")
        check_tab.select(picker_updates, None, pickers, api_visibility="private")
        demo.load(
            lambda: (table_df(), *dd_updates()), None, [table, f_prov, f_per, f_doc], api_visibility="private"
        )
    demo.baocao_backend = be  # for tests and the bench
    return demo


def _call_export(fn, summary, path: Path | None = None):
    """The exporters take (summary) or (summary, path); the Markdown one returns text."""
    if path is None:
        return fn(summary)
    return fn(summary, path)


def summary_table(s) -> list[dict[str, Any]]:
    """The key-indicator table of one report, or the comparison table of several."""
    from rag.text.periods import describe_period

    if s.comparison:
        from rag.summarize.export import comparison_heads

        heads = comparison_heads(s)
        with_change = any(row.change for row in s.comparison)
        return [
            {
                "Chỉ tiêu": row.indicator,
                "Đơn vị": row.unit,
                **{h: (c.text if c else "—") for h, c in zip(heads, row.cells, strict=False)},
                **({"Thay đổi (tính)": row.change} if with_change else {}),
            }
            for row in s.comparison
        ]
    return [
        {
            "Chỉ tiêu": r.indicator,
            "Giá trị": r.figure.text,
            "Kỳ": describe_period(r.period) if r.period else "",
            "Kỳ trước": (r.previous.text + f" ({describe_period(r.previous_period)})") if r.previous else "",
            "Thay đổi (tính)": r.change,
            "Nguồn": f"{r.figure.source} › {r.figure.section}",
        }
        for r in s.indicators
    ]


def summary_markdown(s) -> str:
    """The summary on screen: overview, key points with their source, difficulties, tasks."""

    def cite(p) -> str:
        c = p.citation
        mark = " ⚠️ *chưa kiểm chứng*" if p.status != "verified" else ""
        return (
            f"{safe_text(p.text)}{mark} <span class='bc-meta'>({safe_text(c.source)} › {safe_text(c.section)})</span>"
            if c
            else safe_text(p.text) + mark
        )

    lines = [f"### {safe_text(s.title)}", "", safe_text(s.overview), ""]
    if s.key_points:
        lines += ["#### Điểm chính", *[f"- {cite(p)}" for p in s.key_points], ""]
    if s.trends:
        lines += ["#### Xu hướng", *[f"- {cite(p)}" for p in s.trends], ""]
    if s.difficulties:
        lines += ["#### Khó khăn, vướng mắc", *[f"- {cite(p)}" for p in s.difficulties], ""]
    if s.tasks:
        lines += ["#### Nhiệm vụ trọng tâm", *[f"- {cite(p)}" for p in s.tasks], ""]
    faith = s.faithfulness or {}
    if faith:
        shown = ", ".join(f"{k}: {v}" for k, v in faith.items() if not isinstance(v, (list, dict)))
        lines.append(
            f"<span class='bc-meta'>Kiểm tra trung thực — {safe_text(shown)} · phương pháp {safe_text(s.method)}</span>"
        )
    lines += [f"<span class='bc-meta'>{safe_text(n)}</span>" for n in s.notes]
    return "\n".join(lines)


# --- serving ----------------------------------------------------------------------------------------------


def launch(
    demo,
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    auth=None,
    **kwargs,
):
    """Queue and launch with the app's CSS; never a public share link.

    With an `rag.users.Authenticator`, a `LoginGuard` sits in front of gradio: login throttling by
    address, and sessions that end when their user is removed or gets a new password."""
    import gradio as gr

    from rag.users import Authenticator, LoginGuard

    max_mb = settings.max_file_mb if settings is not None else 50.0
    demo.queue(default_concurrency_limit=4, max_size=256)
    kwargs.setdefault("show_error", True)
    kwargs.setdefault("footer_links", ["api"])
    if isinstance(auth, Authenticator):
        from starlette.middleware import Middleware

        app_kwargs = dict(kwargs.pop("app_kwargs", None) or {})
        app_kwargs["middleware"] = [
            *app_kwargs.get("middleware", []),
            Middleware(LoginGuard, authenticator=auth),
        ]
        kwargs["app_kwargs"] = app_kwargs
        be = getattr(demo, "baocao_backend", None)
        if be is not None:  # admin rights are read from the same file the logins are checked against
            be.users = auth.users
    return demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth,
        auth_message="Đăng nhập để dùng baocao" if auth else None,
        # The HTTP layer refuses absurd uploads outright; the app's own check (with a Vietnamese message)
        # applies the configured limit.
        max_file_size=f"{int(max_mb * 2) + 1}mb",
        css=CSS,
        theme=gr.themes.Soft(primary_hue="blue"),
        **kwargs,
    )


def start(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    users_file: Path | None = None,
    eval_sets: dict[str, tuple[Path, Path]] | None = None,
    embed: bool = True,
    **launch_kwargs,
):
    """Build and launch the app without blocking; `serve` then waits on it. Returns the gradio Blocks."""
    import sys

    from rag.users import make_auth, users_path

    path = Path(users_file) if users_file else users_path(settings.index_dir)
    auth = make_auth(path, log_dir=settings.log_dir)
    local = is_loopback(host)
    be = Backend(settings, users_file=path, local_only=local, eval_sets=eval_sets)
    if not local and auth is None:
        warning = (
            f"CẢNH BÁO / WARNING: baocao listens on {host}, reachable from the network, WITHOUT LOGIN: "
            f"anyone who can reach port {port} can read, upload and delete reports. Add users with "
            f"`baocao --index {settings.index_dir} user add NAME [--admin]` and restart, or use --host 127.0.0.1."
        )
        bar = "!" * 100
        print(f"{bar}\n{warning}\n{bar}", file=sys.stderr, flush=True)
        be.log_event(warning, level=40)
    demo = build_app(settings, backend=be)
    print(
        f"baocao: http://{host}:{port}  (chỉ mục {settings.index_dir}; "
        + (f"đăng nhập theo {path})" if auth else "không yêu cầu đăng nhập)"),
        flush=True,
    )
    launch(demo, settings, host=host, port=port, auth=auth, prevent_thread_lock=True, **launch_kwargs)
    if embed and be.start_embedding():
        print(
            "baocao: vector ngữ nghĩa được tạo ở nền; câu hỏi được trả lời theo từ khóa trong lúc chờ.",
            flush=True,
        )
    return demo


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    users_file: Path | None = None,
    eval_sets: dict[str, tuple[Path, Path]] | None = None,
    embed: bool = True,
) -> None:
    demo = start(settings, host=host, port=port, users_file=users_file, eval_sets=eval_sets, embed=embed)
    demo.block_thread()


def main() -> None:
    """`python app.py`: BAOCAO_INDEX (and the other BAOCAO_* settings), BAOCAO_HOST, BAOCAO_PORT."""
    import os

    from rag.core.config import load_settings

    settings = load_settings()
    serve(
        settings,
        host=os.environ.get("BAOCAO_HOST", "127.0.0.1"),
        port=int(os.environ.get("BAOCAO_PORT", "7860")),
    )
