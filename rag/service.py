"""What the front ends call: the CLI and the Gradio app (rag/ui/) share this one code path.

`Backend` asks, lists, uploads, re-indexes, summarises, lists indicator figures and runs evaluations; it
knows nothing of Gradio, so the app's API endpoints, its handlers, the CLI and the tests all go through it.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.core.config import Settings
from rag.core.errors import (
    BaocaoError,
    DocumentNotFoundError,
    FileTooLargeError,
    IndexNotFoundError,
    IngestError,
    UnsupportedFormatError,
    redact_paths,
)

ALLOWED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
# While another process ingests report after report, the app reloads the index at most this often rather
# than once per report (each reload rebuilds BM25 and re-reads the figures): answers may lag a running
# ingest by this much, and questions are not held up by a reload per document.
APP_RELOAD_SECONDS = 2.0
AUTO = ""  # picker value meaning "whatever the question says"

# --- small helpers --------------------------------------------------------------------------------------


def sanitize_filename(name: str) -> str:
    """A safe base name for a file an official uploads: no folders, no odd characters, no hidden files."""
    base = Path(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    # Vietnamese letters are kept (file names like "báo-cáo-2024.docx" stay readable).
    stem = re.sub(r"[^\w.-]+", "_", stem, flags=re.UNICODE).strip("._-") or "bao-cao"
    ext = re.sub(r"[^A-Za-z0-9]", "", ext).lower()
    return f"{stem[:100]}.{ext}" if ext else stem[:100]


# Report text is data: in the chat, the summary and the notes it is shown through gradio's Markdown
# renderer, which turns `![x](http://…)` into a remote image and passes many HTML tags. Every character
# either language gives a meaning to becomes an entity, in one pass (escaping twice would mangle "&").
_INERT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~:$"},
    }
)


def safe_text(text: Any) -> str:
    """`text` as inert HTML and Markdown: shown as written, never read as a tag, link, image or emphasis.
    Line breaks become <br> so a blank line inside a quote cannot end the surrounding HTML block."""
    return str(text if text is not None else "").translate(_INERT).replace("\r\n", "\n").replace("\n", "<br>")


# A server path in a message tells a web user how the machine is laid out; the file name is all they need.
def vi_error(exc: BaseException) -> str:
    """The Vietnamese message an official sees for an error (the detail stays in the log)."""
    from rag.core.errors import PermissionDeniedError, QuestionTooLongError, UnknownProvinceError

    detail = redact_paths(str(exc))
    # the most specific class first: IngestError is a FileTooLargeError's parent, BaocaoError everyone's
    messages = (
        (UnknownProvinceError, "Không nhận ra tên tỉnh/thành phố ({detail})."),
        (IndexNotFoundError, "Chưa có chỉ mục báo cáo: hãy tải báo cáo lên ở thẻ «Báo cáo» trước."),
        (DocumentNotFoundError, "Không tìm thấy báo cáo được chọn trong chỉ mục ({detail})."),
        (FileTooLargeError, "Tệp quá lớn ({detail})."),
        (UnsupportedFormatError, "Định dạng tệp không được hỗ trợ; chỉ nhận {allowed}."),
        (IngestError, "Không đọc được tệp ({detail})."),
        (QuestionTooLongError, "Câu hỏi quá dài: {detail}."),
        (PermissionDeniedError, "Không được phép: {detail}."),
        (BaocaoError, "Không thực hiện được: {detail}"),
    )
    for kind, message in messages:
        if isinstance(exc, kind):
            return message.format(detail=detail, allowed=", ".join(ALLOWED_EXTENSIONS))
    return "Đã xảy ra lỗi nội bộ; chi tiết đã được ghi vào nhật ký (logs/ui-errors.log)."


# --- the backend ------------------------------------------------------------------------------------------


def default_eval_sets(root: Path | None = None) -> dict[str, tuple[Path, Path]]:
    """The repository's dev gold set, when the server runs from a checkout that has it."""
    root = Path(root) if root is not None else Path.cwd()
    gold, corpus = root / "eval" / "gold" / "dev.jsonl", root / "eval" / "corpus"
    return {"dev": (gold.resolve(), corpus.resolve())} if gold.is_file() and corpus.is_dir() else {}


def is_loopback(host: str) -> bool:
    import ipaddress

    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Backend:
    settings: Settings
    # Who may run evaluations: admins of this users file; with no users at all, anyone, but only while
    # the server listens on this machine alone (`local_only`).
    users_file: Path | None = None
    local_only: bool = True
    # Evaluation runs on these server-side sets only (name -> (gold .jsonl, corpus folder)), never on a
    # path a client sends: it indexes the folder and shows its text in the report.
    eval_sets: dict[str, tuple[Path, Path]] | None = None
    _asker: Any = None
    _open_lock: threading.Lock = field(default_factory=threading.Lock)
    # Uploads, metadata edits, removals and re-indexing write the catalog: one at a time.
    _write_lock: threading.Lock = field(default_factory=threading.Lock)
    _log_lock: threading.Lock = field(default_factory=threading.Lock)
    # what is derived from the whole index (the indicator table, its rows as listed, the checks), each
    # with the catalog version it was derived at
    _derived: dict[str, tuple[int, Any]] = field(default_factory=dict)
    _embedder: Any = None  # a BackgroundEmbedder once `start_embedding` ran
    _seen_version: int | None = None

    def __post_init__(self) -> None:
        from rag.users import UsersFile, users_path

        self.users = UsersFile(self.users_file or users_path(self.index_dir))
        if self.eval_sets is None:
            self.eval_sets = default_eval_sets()

    @property
    def index_dir(self) -> Path:
        return Path(self.settings.index_dir)

    def log_event(self, message: str, level: int = 30) -> None:
        from rag.core.logbook import log_event

        log_event(self.settings.log_dir, "server", message, level)

    # who may do what ---------------------------------------------------------------------------------

    def require_admin(self, username: str | None) -> None:
        from rag.core.errors import PermissionDeniedError
        from rag.users import is_admin

        users = self.users.load()
        if users:
            if not username or username not in users:
                raise PermissionDeniedError("phiên đăng nhập không còn hiệu lực; hãy đăng nhập lại")
            if not is_admin(users[username]):
                raise PermissionDeniedError(
                    "chỉ quản trị viên mới chạy được đánh giá (cấp quyền: baocao user add TÊN --admin)"
                )
        elif not self.local_only:
            raise PermissionDeniedError(
                "máy chủ mở cho mạng mà chưa có người dùng; hãy tạo quản trị viên bằng "
                "«baocao user add TÊN --admin» rồi khởi động lại"
            )

    # background embedding ----------------------------------------------------------------------------

    def start_embedding(self) -> bool:
        """Embed what lacks a vector in a thread of this process; False when there is no embedder."""
        from rag.background import BackgroundEmbedder

        if self.settings.embedder == "none":
            return False
        if self._embedder is None:
            self._embedder = BackgroundEmbedder(
                self.settings, on_done=self._embedding_done, on_error=self._embedding_failed
            )
        self._embedder.start()
        return True

    def _embedding_done(self, report) -> None:
        from rag.answer.asker import Asker

        self.log_event(f"background embedding: {report.summary()}", level=20)
        if report.embedded and self._asker is not None:
            # A retriever that found no vectors when it opened keeps to lexical scores until it is
            # rebuilt: build the next one here, off the request threads, and swap it in whole.
            self._asker = Asker.open(self.settings, reload_interval=APP_RELOAD_SECONDS)

    def _embedding_failed(self, exc: BaseException) -> None:
        self.log_error("background embedding", exc)
        self.log_event(f"background embedding failed: {type(exc).__name__}: {exc}", level=40)

    def _embed_later(self) -> bool:
        if self._embedder is None:
            return False
        self._embedder.request()
        return True

    def status(self) -> dict[str, Any]:
        """What the app's status line says: the background embedding's progress, and the catalog version
        (a change made by another process, e.g. `baocao ingest`, also asks for its vectors)."""
        from rag.index.catalog import catalog, catalog_version

        try:
            with catalog(self.index_dir, create=False) as con:
                version = catalog_version(con)
        except IndexNotFoundError:
            version = 0
        if self._seen_version is not None and version != self._seen_version:
            self._embed_later()
        self._seen_version = version
        emb = self._embedder.snapshot() if self._embedder is not None else {"state": "off"}
        text = self._embedder.status_text() if self._embedder is not None else ""
        return {"version": version, "embedding": emb, "text": text}

    def log_error(self, where: str, exc: BaseException) -> None:
        try:
            log = Path(self.settings.log_dir) / "ui-errors.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            with self._log_lock, open(log, "a", encoding="utf-8") as f:
                f.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {where}\n")
                f.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        except OSError:
            pass

    # asking ------------------------------------------------------------------------------------------

    def asker(self):
        asker = self._asker
        if asker is None:
            from rag.answer.asker import Asker
            from rag.index.catalog import catalog

            # Only the first build is serialised (two callers would build two BM25 tables); asking is not.
            with self._open_lock:
                if self._asker is None:
                    with catalog(self.index_dir):  # an empty index is a valid start: officials upload next
                        pass
                    self._asker = Asker.open(self.settings, reload_interval=APP_RELOAD_SECONDS)
                asker = self._asker
        return asker

    def ask(
        self, question: str, province: str | None = None, period: str | None = None, doc: str | None = None
    ):
        from rag.answer.query import check_question

        question = check_question(question)
        # No lock around asking: officials are answered side by side, and a slow question holds no one else.
        return self.asker().ask(question, province=province or None, period=period or None, doc=doc or None)

    def ask_json(self, question: str, province: str = "", period: str = "", doc: str = "") -> dict:
        from rag.answer.asker import answer_to_json

        return answer_to_json(self.ask(question, province, period, doc))

    # documents ---------------------------------------------------------------------------------------

    def documents(self) -> list:
        from rag.index.catalog import list_documents

        try:
            return list_documents(self.index_dir)
        except IndexNotFoundError:
            return []

    def doc_by_id(self) -> dict[str, Any]:
        return {d.doc_id: d for d in self.documents()}

    def choices(self) -> dict[str, list]:
        from rag.text.periods import describe_period, period_sort_key

        docs = self.documents()
        provinces = sorted({d.province for d in docs if d.province})
        periods = sorted({d.period for d in docs if d.period}, key=period_sort_key)
        reports = [(self.doc_label(d), d.doc_id) for d in docs]
        return {
            "provinces": [("Tự động (theo câu hỏi)", AUTO)] + [(p, p) for p in provinces],
            "periods": [("Tự động (theo câu hỏi)", AUTO)] + [(describe_period(p), p) for p in periods],
            "reports": [("Mọi báo cáo", AUTO)] + reports,
        }

    @staticmethod
    def doc_label(d) -> str:
        from rag.text.periods import describe_period

        meta = " ".join(x for x in (d.province, describe_period(d.period) if d.period else "") if x)
        return f"{d.source} — {meta}" if meta else d.source

    def documents_table(self) -> list[dict[str, str]]:
        from rag.text.periods import describe_period

        return [
            {
                "Mã": d.doc_id[:12],
                "Tệp": d.source,
                "Tỉnh": d.province,
                "Kỳ": d.period,
                "Kỳ (đọc)": describe_period(d.period) if d.period else "",
                "Loại": d.kind,
                "Tiêu đề": d.title,
            }
            for d in self.documents()
        ]

    def upload(self, paths: list[str]) -> tuple[str, list[str]]:
        """Check, copy (with sanitised names) and ingest uploaded files; (Vietnamese report, problems)."""
        from rag.index.catalog import embed_pending, ingest_paths

        if not paths:
            raise BaocaoError("chưa chọn tệp nào")
        limit = float(self.settings.max_file_mb)
        problems: list[str] = []
        accepted: list[Path] = []
        dest_dir = self.index_dir / "uploads"
        for raw in paths:
            src = Path(raw)
            shown = sanitize_filename(src.name)
            # Gradio stores uploads under a random folder: the name the official chose is the base name.
            if src.suffix.lower() not in ALLOWED_EXTENSIONS:
                problems.append(
                    f"«{shown}»: định dạng không được nhận (chỉ nhận {', '.join(ALLOWED_EXTENSIONS)})."
                )
                continue
            try:
                size_mb = src.stat().st_size / 1e6
            except OSError:
                problems.append(f"«{shown}»: không đọc được tệp tải lên.")
                continue
            if size_mb > limit:
                problems.append(f"«{shown}»: tệp {size_mb:.1f} MB vượt giới hạn {limit:g} MB.")
                continue
            if size_mb == 0:
                problems.append(f"«{shown}»: tệp rỗng.")
                continue
            dest_dir.mkdir(parents=True, exist_ok=True)
            dest = dest_dir / shown
            shutil.copyfile(src, dest)
            accepted.append(dest)
        lines: list[str] = []
        if accepted:
            with self._write_lock:
                report = ingest_paths(accepted, self.settings)
                if (report.added or report.replaced) and self._embed_later():
                    lines.append("⏳ Vector ngữ nghĩa đang được tạo ở nền; báo cáo đã tìm được theo từ khóa.")
                elif self.settings.embedder != "none" and (report.added or report.replaced):
                    try:
                        embed_pending(self.settings)
                    except BaocaoError as exc:
                        self.log_error("embed after upload", exc)
                        lines.append("⚠️ Chưa tạo được vector ngữ nghĩa; báo cáo vẫn tìm được theo từ khóa.")
            for name in report.added:
                lines.append(f"✅ Đã thêm «{name}».")
            for name in report.replaced:
                lines.append(f"🔄 Đã cập nhật «{name}» (nội dung thay đổi).")
            for name in report.unchanged:
                lines.append(f"ℹ️ «{name}» đã có trong chỉ mục, không thay đổi.")
            for f, why in report.failed:
                problems.append(f"«{Path(f).name}»: không đọc được nội dung ({redact_paths(why)}).")
                Path(f).unlink(missing_ok=True)
        lines += ["❌ " + p for p in problems]
        return "\n\n".join(lines), problems

    def update_metadata(self, doc_id: str, province: str, period: str, kind: str, title: str):
        from rag.index.catalog import update_metadata
        from rag.text.gazetteer import canonical_province, suggest_provinces
        from rag.text.periods import normalise_period

        if not doc_id:
            raise BaocaoError("chưa chọn báo cáo")
        changes: dict[str, str] = {}
        if province.strip():
            canon = canonical_province(province.strip())
            if canon is None:
                hint = ", ".join(suggest_provinces(province.strip()))
                raise BaocaoError(
                    f"không nhận ra tỉnh «{province}»" + (f"; có phải: {hint}?" if hint else "")
                )
            changes["province"] = canon
        if period.strip():
            try:
                changes["period"] = normalise_period(period.strip())
            except (BaocaoError, ValueError) as exc:
                raise BaocaoError(
                    f"không hiểu kỳ báo cáo «{period}» (ví dụ: 2024, 2021-08, 2023-Q1)"
                ) from exc
        if kind.strip():
            changes["kind"] = kind.strip()
        changes["title"] = title.strip()
        with self._write_lock:
            return update_metadata(self.index_dir, self._resolve(doc_id), changes)

    def _resolve(self, ref: str) -> str:
        from rag.index.catalog import resolve_document

        return resolve_document(self.index_dir, ref).doc_id

    def remove(self, doc_id: str):
        from rag.index.catalog import remove_document

        if not doc_id:
            raise BaocaoError("chưa chọn báo cáo")
        with self._write_lock:
            removed = remove_document(self.index_dir, self._resolve(doc_id), self.settings)
        self._embed_later()  # a vector written by the background run meanwhile is an orphan: sweep it
        return removed

    def reindex(self, progress=None) -> str:
        """Read every report again from where it came from, then embed what lacks a vector."""
        from rag.index.catalog import embed_pending, ingest_files, report_files

        with self._write_lock:
            # Every name the index knows, re-read under that same name (`2021/x.txt` stays itself).
            named = report_files(self.index_dir)
            paths = [(path, name) for path, name in named if path.is_file()]
            missing = [name for path, name in named if not path.is_file()]
            if progress:
                progress(0.0, "Đọc lại các báo cáo…")
            report = (
                ingest_files(
                    paths,
                    self.settings,
                    progress=(lambda i, n, *_: progress(0.5 * i / max(1, n), "Đọc lại các báo cáo…"))
                    if progress
                    else None,
                )
                if paths
                else None
            )
            embedded = None
            if self._embed_later():
                pass  # the background thread catches up; the status line shows its progress
            elif self.settings.embedder != "none":
                embedded = embed_pending(
                    self.settings,
                    progress=(lambda i, n: progress(0.5 + 0.5 * i / max(1, n), "Tạo vector ngữ nghĩa…"))
                    if progress
                    else None,
                )
            if progress:
                progress(1.0, "Xong")
        lines = []
        if report:
            lines.append(
                f"Đã đọc lại {len(paths)} báo cáo: {len(report.replaced)} cập nhật, "
                f"{len(report.unchanged)} không đổi, {len(report.failed)} lỗi."
            )
            lines += [f"❌ «{Path(f).name}»: {safe_text(redact_paths(why))}" for f, why in report.failed]
        if missing:
            lines.append("ℹ️ Không còn tệp gốc (giữ nguyên trong chỉ mục): " + ", ".join(missing))
        if embedded is not None:
            lines.append(f"Vector ngữ nghĩa: {embedded.embedded} đoạn mới, {embedded.already} đã có.")
        return "\n\n".join(lines) or "Chỉ mục trống."

    # feedback ----------------------------------------------------------------------------------------

    def feedback(self, record: dict[str, Any]) -> None:
        path = self.index_dir / "feedback.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        row = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}
        with self._log_lock, open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")

    # indicators --------------------------------------------------------------------------------------

    def _per_version(self, name: str, derive):
        """`derive()`, again only when the catalog version changed since it was last derived (the tabs
        list and check on every opening). Raises IndexNotFoundError without an index."""
        from rag.index.catalog import catalog, catalog_version

        with catalog(self.index_dir, create=False) as con:
            version = catalog_version(con)
        held = self._derived.get(name)
        if held is None or held[0] != version:
            held = (version, derive())
            self._derived[name] = held
        return held[1]

    def _figure_table(self) -> tuple[list[Any], dict[str, Any]]:
        """The stored indicator table (rag.figures.table.load_rows): (rows, documents by id)."""
        from rag.figures.table import load_rows

        return self._per_version("figures", lambda: load_rows(self.index_dir))

    def _figure_rows(self) -> list[dict[str, Any]]:
        """The indicator table as the rows the Chỉ số tab and `baocao indicators` list."""
        from rag.lexicon import load_lexicon

        def listed() -> list[dict[str, Any]]:
            names = {ind.id: ind.name for ind in load_lexicon().indicators}
            return [
                {
                    "Tỉnh": r.province,
                    "Kỳ": r.period,
                    "Báo cáo": r.source,
                    "Số liệu": r.printed,
                    "Giá trị": r.value,
                    "Đơn vị": r.unit,
                    "Ngữ cảnh": r.clause[:300],
                    "Mục": r.section[-160:],
                    "Chỉ tiêu": names.get(r.indicator, ""),
                    "Mã chỉ tiêu": r.indicator,
                    "Vị trí": f"{r.start}-{r.end}",
                    "_start": r.start,
                }
                for r in self._figure_table()[0]
            ]

        try:
            return self._per_version("rows", listed)
        except IndexNotFoundError:
            return []

    def indicators(
        self,
        province: str = "",
        period: str = "",
        unit: str = "",
        search: str = "",
        limit: int = 500,
        indicator: str = "",
    ) -> list[dict[str, Any]]:
        """Printed figures, filtered; `indicator` is a catalogue id ("vienthong.bts"; its children
        too) or words of an indicator's name ("trạm BTS")."""
        from rag.text.gazetteer import fold

        term = fold(search or "").strip()
        ind = (indicator or "").strip()
        ind_words = fold(ind)
        out = []
        for r in self._figure_rows():
            if ind and not (
                r["Mã chỉ tiêu"] == ind
                or r["Mã chỉ tiêu"].startswith(ind + ".")
                or (r["Chỉ tiêu"] and ind_words in fold(r["Chỉ tiêu"]))
            ):
                continue
            if province and r["Tỉnh"] != province:
                continue
            if period and r["Kỳ"] != period:
                continue
            if unit and r["Đơn vị"] != unit:
                continue
            if term and term not in fold(r["Ngữ cảnh"]) and term not in fold(r["Mục"]):
                continue
            out.append({k: v for k, v in r.items() if not k.startswith("_")})
            if len(out) >= limit:
                break
        return out

    def check(self, province: str = "", kind: str = "") -> list[Any]:
        """The consistency findings (rag.figures.check) of the index, optionally of one province or kind."""
        from rag.figures import check

        try:
            found = self._per_version("check", lambda: check(*self._figure_table()))
        except IndexNotFoundError:
            return []
        return [
            f
            for f in found
            if (not province or any(r.province == province for r in f.rows)) and (not kind or f.kind == kind)
        ]

    def indicator_units(self) -> list[str]:
        return sorted({r["Đơn vị"] for r in self._figure_rows() if r["Đơn vị"]})

    def many_report_answer(self, text: str):
        """The `AskResult` of `text` when it asks about many reports (a series, a comparison, a ranking,
        a change) and is answered with a table; None for keywords and one-figure questions."""
        from rag.answer.across import across_intent

        text = (text or "").strip()
        if not text:
            return None
        asker = self.asker()
        if across_intent(text, asker.understand(text)) is None:
            return None
        result = self.ask(text)
        return result if result.answer.table else None

    def indicator_chart(self, text: str, unit: str = ""):
        """What the Chỉ số tab draws for its search box: (chart, table rows, a one-line caption).

        A many-report question is answered and its table drawn (lines for a series or a change, bars for
        a comparison or a ranking); other text is a keyword, drawn as its series over the reports."""
        from rag.figures.chart import chart_from_series, chart_from_table, table_rows

        result = self.many_report_answer(text)
        if result is not None:
            a = result.answer
            kind = a.interpretation.get("across", "")
            provinces = result.info.filters.provinces
            chart = chart_from_table(
                a.table,
                kind,
                title=a.interpretation.get("cell_question", text),
                series=", ".join(provinces) if kind in ("series", "change") and provinces else "",
            )
            return chart, table_rows(a.table), a.text.split("\n", 1)[0]
        series, used_unit = self.indicator_series(text, unit)
        return chart_from_series(series, used_unit, title=text), None, ""

    def indicator_series(self, search: str, unit: str = "") -> tuple[list[dict[str, Any]], str]:
        """One indicator over reports: for each report, the first figure whose sentence holds the words."""
        from collections import Counter

        from rag.text.periods import period_sort_key

        if not (search or "").strip():
            return [], ""
        rows = self.indicators(unit=unit, search=search, limit=100000)
        if not unit and rows:
            unit = (
                Counter(r["Đơn vị"] for r in rows if r["Đơn vị"]).most_common(1)[0][0]
                if any(r["Đơn vị"] for r in rows)
                else ""
            )
            rows = [r for r in rows if r["Đơn vị"] == unit]
        first: dict[str, dict[str, Any]] = {}
        for r in rows:
            first.setdefault(r["Báo cáo"], r)
        series = sorted(
            first.values(), key=lambda r: (period_sort_key(r["Kỳ"]) if r["Kỳ"] else (0, 0, 0), r["Tỉnh"])
        )
        return [
            {
                "Kỳ": r["Kỳ"] or "?",
                "Tỉnh": r["Tỉnh"] or "?",
                "Giá trị": r["Giá trị"],
                "Số liệu": r["Số liệu"],
                "Báo cáo": r["Báo cáo"],
            }
            for r in series
        ], unit

    # summaries ---------------------------------------------------------------------------------------

    def summary(self, doc: str = "", province: str = "", period: str = "", max_words: int = 0):
        """A `rag.summarize.extractive.Summary` of one report, or of the set a province and/or a period select."""
        from rag.summarize.extractive import summarize_document, summarize_set

        words = int(max_words) if max_words else None
        if doc:
            return summarize_document(self.index_dir, self._resolve(doc), self.settings, max_words=words)
        if not (province or period):
            raise BaocaoError("hãy chọn một báo cáo, hoặc một tỉnh và/hoặc một kỳ")
        return summarize_set(
            self.index_dir, self.settings, province=province or None, period=period or None, max_words=words
        )

    # evaluation --------------------------------------------------------------------------------------

    def eval_choices(self) -> list[tuple[str, str]]:
        return [(f"{name} — {g.name} · {c.name}/", name) for name, (g, c) in sorted(self.eval_sets.items())]

    def evaluate(self, name: str, username: str | None = None, progress=None) -> tuple[dict[str, Any], str]:
        """Run the configured eval set `name` (for an admin, see `require_admin`)."""
        from rag.evaluation.harness import default_index_dir, load_gold, run_eval, with_index
        from rag.evaluation.report_html import render_report

        self.require_admin(username)
        if not self.eval_sets:
            raise BaocaoError(
                "máy chủ chưa cấu hình bộ đánh giá nào (baocao serve --eval-gold TỆP --eval-corpus THƯ_MỤC)"
            )
        if name not in self.eval_sets:
            raise BaocaoError(
                f"không có bộ đánh giá «{name}»; chọn một trong: {', '.join(sorted(self.eval_sets))}"
            )
        gold_path, corpus = self.eval_sets[name]
        gold = load_gold(Path(gold_path))
        # Its own index: evaluating must not add the gold corpus to the officials' reports.
        settings = with_index(self.settings, default_index_dir(corpus, self.settings))
        run = run_eval(
            gold,
            corpus,
            settings,
            progress=(lambda i, n: progress(i / max(1, n), "Đang chấm…")) if progress else None,
        )
        return run, render_report(run)


# --- rendering answers ------------------------------------------------------------------------------------
