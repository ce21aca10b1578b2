"""Phase two (dense vectors) in a thread of the server, so the app answers from the lexical index at once.

Embedding a thousand reports takes hours on a CPU; officials should not wait for it. Retrieval already
skips chunks without a vector, so answers are lexical until the vectors arrive, then hybrid. A failure
here (no model, a full disk) is logged and shown in the app; it never reaches the request threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rag.core.config import Settings


def vi_number(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


class BackgroundEmbedder:
    """One daemon thread that runs `rag.index.catalog.embed_pending` whenever asked (at start, after an upload, when
    another process changed the catalog). Requests made while it runs are folded into one more run."""

    def __init__(
        self,
        settings: Settings,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ):
        self.settings = settings
        self.on_done = on_done
        self.on_error = on_error
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._embedder: Any = None
        self.state = "idle"  # idle | waiting | running | done | failed | lexical (too large to embed)
        self.done: int | None = None
        self.total = 0
        self.error = ""
        self.runs = 0

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self.state = "waiting"
            self._thread = threading.Thread(target=self._loop, name="baocao-embed", daemon=True)
            self._thread.start()
        self._wake.set()

    def request(self) -> None:
        """Embed what lacks a vector (again) soon; cheap to call often."""
        with self._lock:
            if self._thread is None:
                return
            if self.state != "running":
                self.state = "waiting"
        self._wake.set()

    @property
    def busy(self) -> bool:
        return self.state in ("waiting", "running") or self._wake.is_set()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "state": self.state,
                "done": self.done,
                "total": self.total,
                "error": self.error,
                "runs": self.runs,
            }

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                self._run_once()
            except Exception as exc:  # noqa: BLE001 - whatever it is, the server goes on answering lexically
                from rag.core.errors import redact_paths

                # Logged before it is shown: whoever sees "failed" finds the details already written.
                if self.on_error:
                    try:
                        self.on_error(exc)
                    except Exception:  # noqa: BLE001, S110 - a failing logger must not end the thread
                        pass
                with self._lock:
                    self.state = "failed"
                    self.error = redact_paths(f"{type(exc).__name__}: {exc}")[:300]

    def _run_once(self) -> None:
        from rag.index.adapters.embedders import make_embedder
        from rag.index.catalog import catalog, embed_pending, too_large_to_embed

        if too_large_to_embed(self.settings):  # no model loaded for a run that would embed nothing
            with self._lock:
                self.state, self.done, self.error = "lexical", None, ""
            return
        with self._lock:
            self.state, self.done, self.error = "running", None, ""
        # Loaded once for the life of the server: the model takes seconds to load and runs are frequent.
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embedder, threads=self.settings.embed_threads)
        if self._embedder is None:
            with self._lock:
                self.state = "idle"
            return
        with catalog(self.settings.index_dir) as con:
            total = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        with self._lock:
            self.total = total

        def progress(embedded: int, todo: int) -> None:
            with self._lock:
                self.done = max(0, total - todo) + embedded

        report = embed_pending(self.settings, embedder=self._embedder, progress=progress)
        with self._lock:
            self.total = report.embedded + report.already
            self.done = self.total
            self.state = "done"
            self.runs += 1
        if self.on_done:
            self.on_done(report)

    def status_text(self) -> str:
        """The line the app shows; "" when there is nothing to say."""
        s = self.snapshot()
        lexical = "câu hỏi vẫn được trả lời theo từ khóa trong lúc chờ"
        if s["state"] == "waiting" or (s["state"] == "running" and s["done"] is None):
            what = f" cho {vi_number(s['total'])} đoạn" if s["total"] else ""
            return f"⏳ Đang chuẩn bị tạo vector ngữ nghĩa{what}; {lexical}."
        if s["state"] == "running":
            return f"⏳ Đang tạo vector: {vi_number(s['done'])}/{vi_number(s['total'])} đoạn; {lexical}."
        if s["state"] == "done":
            return f"✅ Đã tạo vector cho {vi_number(s['total'])} đoạn: tìm kiếm theo từ khóa và ngữ nghĩa."
        if s["state"] == "lexical":
            return (
                "ℹ️ Kho báo cáo lớn: chỉ tìm theo từ khóa (vector ngữ nghĩa không đổi câu trả lời ở quy mô này "
                "mà mất nhiều giờ để tạo; chạy `baocao embed` nếu cần)."
            )
        if s["state"] == "failed":
            return (
                f"⚠️ Không tạo được vector ngữ nghĩa ({s['error']}); câu hỏi vẫn được trả lời theo từ khóa. "
                "Chi tiết trong logs/server.log."
            )
        return ""
