"""Build and update the index: a SQLite catalog (documents, chunks, number mentions), a BM25 lexical
index derived from it, and dense vectors in Chroma.

Ingest runs in two phases. Phase one (parse, chunk, mentions, catalog, BM25) is fast and makes the
corpus searchable at once. Phase two (`embed_pending`) embeds whatever chunks have no vector yet, in
batches; it can be interrupted and resumed, because the catalog, not Chroma, says what should exist.

The catalog is the source of truth and every document is written in one SQLite transaction, so a
crash never leaves a half-replaced document. Chroma may briefly hold vectors of chunks that no longer
exist; retrieval ignores them and the next `embed_pending` deletes them.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.config import Settings
from rag.core.errors import (
    BaocaoError,
    DocumentNotFoundError,
    IndexBusyError,
    IndexNotFoundError,
)
from rag.core.types import Chunk, Document, Mention, Quantity
from rag.ingest.figures import FigureRow, figure_rows, row_from_json, row_to_json

log = logging.getLogger("baocao.index")

# 2: a report's names live in `sources` (one document, many names), chunks record whether their vector
# was made from their current text, mentions are indexed by chunk.
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    meta TEXT NOT NULL,
    text TEXT NOT NULL,
    pages TEXT NOT NULL,
    added_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    data TEXT NOT NULL,
    vector INTEGER  -- 0: needs a vector of its current text; 1: has one; NULL: unknown (schema 1)
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS mentions (
    chunk_id TEXT NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY,  -- the report's path relative to the folder it was ingested from
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
-- the indicator table (rag.ingest.figures): one row per printed figure, written with its mentions
CREATE TABLE IF NOT EXISTS figures (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id);
-- what a report file looked like when it was last read: an unchanged folder is recognised without
-- reading its files again (size, modification time and the metadata given for it)
CREATE TABLE IF NOT EXISTS file_stats (
    source TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    meta TEXT NOT NULL,
    doc_id TEXT NOT NULL
);
"""
# Deleting a chunk's mentions looked them up by a full scan (replacing 100 of 1,000 reports took 42 s).
_INDEXES = "CREATE INDEX IF NOT EXISTS mentions_chunk ON mentions(chunk_id);"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    same_text: list[tuple[str, str]] = field(default_factory=list)  # (new name, name already indexed)
    rederived: int = 0  # reports re-derived because this baocao derives chunks/figures differently
    seconds: float = 0.0
    chunks: int = 0
    workers: int = 1  # processes that chunked and read the reports (1: this one)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.replaced)} replaced",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.failed)} failed",
        ]
        extra = ""
        if self.same_text:
            extra += (
                f"; {len(self.same_text)} added under a second name (same text as a report already indexed)"
            )
        if self.rederived:
            extra += (
                f"; {self.rederived} reports re-derived (this baocao chunks or reads figures differently)"
            )
        how = f", {self.workers} worker processes" if self.workers > 1 else ""
        return ", ".join(parts) + f" ({self.chunks} chunks, {self.seconds:.2f}s{how}){extra}"


# --- catalog -------------------------------------------------------------------------------------


def catalog_path(index_dir: Path) -> Path:
    return Path(index_dir) / "catalog.sqlite"


def open_catalog(index_dir: Path, create: bool = True) -> sqlite3.Connection:
    path = catalog_path(index_dir)
    if not path.exists() and not create:
        raise IndexNotFoundError(
            f"no index at {index_dir}: build one with `baocao ingest PATH --index {index_dir}`"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = sqlite3.connect(path, timeout=30)
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA journal_mode = WAL")
        con.executescript(_SCHEMA)
        row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            with con:
                con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                con.execute("INSERT OR IGNORE INTO meta VALUES ('version', '0')")
        elif row[0] == "1":
            _migrate_from_1(con)
        elif row[0] != str(SCHEMA_VERSION):
            raise IndexNotFoundError(
                f"index at {index_dir} has schema {row[0]}, this baocao reads {SCHEMA_VERSION}: "
                f"use the baocao that built it, or rebuild (delete {index_dir} and run `baocao ingest`)"
            )
        con.executescript(_INDEXES)
    except sqlite3.DatabaseError as exc:
        raise IndexNotFoundError(
            f"{path} is not a readable baocao catalog ({exc}); move it aside and run `baocao ingest` again"
        ) from exc
    return con


def _migrate_from_1(con: sqlite3.Connection) -> None:
    """Schema 1 kept one name per document in `documents.source`: carry it into `sources`."""
    with con:
        cols = {r[1] for r in con.execute("PRAGMA table_info(chunks)")}
        if "vector" not in cols:
            con.execute("ALTER TABLE chunks ADD COLUMN vector INTEGER")
        for doc_id, source, meta in con.execute("SELECT doc_id, source, meta FROM documents").fetchall():
            path = json.loads(meta).get("path", "")
            con.execute("INSERT OR IGNORE INTO sources VALUES (?, ?, ?)", (source, doc_id, path))
        con.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))


@contextmanager
def catalog(index_dir: Path, create: bool = True) -> Iterator[sqlite3.Connection]:
    con = open_catalog(index_dir, create=create)
    try:
        yield con
    finally:
        con.close()


def catalog_version(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key='version'").fetchone()
    return int(row[0]) if row else 0


def vectors_version(con: sqlite3.Connection) -> int:
    """Bumped by every batch of vectors stored: readers reopen the vector store when it moves."""
    row = con.execute("SELECT value FROM meta WHERE key='vectors'").fetchone()
    return int(row[0]) if row else 0


def _bump_version(con: sqlite3.Connection, key: str = "version") -> None:
    con.execute("INSERT OR IGNORE INTO meta VALUES (?, '0')", (key,))
    con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key=?", (key,))


# --- one writer at a time ------------------------------------------------------------------------


def lock_path(index_dir: Path) -> Path:
    return Path(index_dir) / "write.lock"


@contextmanager
def writer_lock(index_dir: Path, timeout: float = 600.0) -> Iterator[None]:
    """Hold the index's writer lock: a second ingest/embed/remove waits for the first, then goes on.

    Chroma's embedded store and the catalog's read-check-write steps are not safe for two writing
    processes (two ingests corrupted the vector segment). Readers (ask, serve) never take it.
    """
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(index_dir)), thread_local=False)
    owner = index_dir / "write.lock.owner"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = _read_owner(owner)
        log.warning(
            "the index %s is being written by another baocao process%s; waiting for it (up to %.0f s)",
            index_dir,
            f" ({who})" if who else "",
            timeout,
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise IndexBusyError(
                f"the index {index_dir} is still being written by another baocao process"
                f"{f' ({who})' if who else ''} after {timeout:.0f} s; try again when it has finished "
                "(or raise lock_timeout / BAOCAO_LOCK_TIMEOUT)"
            ) from None
    try:
        try:
            owner.write_text(f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}", encoding="utf-8")
        except OSError:
            pass
        yield
    finally:
        lock.release()


def _read_owner(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _doc_from_row(row: tuple) -> Document:
    doc_id, _source, meta, text, pages = row
    m = json.loads(meta)
    return Document(text=text, pages=tuple(tuple(p) for p in json.loads(pages)), **m)


def _chunk_to_json(c: Chunk) -> str:
    d = asdict(c)
    d.pop("chunk_id")
    d.pop("doc_id")
    d.pop("n")
    return json.dumps(d, ensure_ascii=False)


def _chunk_from_row(chunk_id: str, doc_id: str, n: int, data: str) -> Chunk:
    d = json.loads(data)
    d["section"] = tuple(d["section"])
    d["periods"] = tuple(d.get("periods", ()))
    return Chunk(chunk_id=chunk_id, doc_id=doc_id, n=n, **d)


_MENTION_FIELDS = tuple(
    f for f in Mention.__dataclass_fields__ if f not in ("chunk_id", "doc_id", "quantity")
)
_QUANTITY_FIELDS = tuple(Quantity.__dataclass_fields__)


def _mention_to_json(m: Mention) -> str:
    # field by field: dataclasses.asdict deep-copies every value and cost a tenth of ingest
    d: dict[str, Any] = {"quantity": {f: getattr(m.quantity, f) for f in _QUANTITY_FIELDS}}
    for f in _MENTION_FIELDS:
        v = getattr(m, f)
        d[f] = list(v) if isinstance(v, tuple) else v
    return json.dumps(d, ensure_ascii=False)


def _mention_from_row(chunk_id: str, doc_id: str, data: str) -> Mention:
    d = json.loads(data)
    q = Quantity(**d.pop("quantity"))
    for key in ("section", "indicators", "aspects"):
        d[key] = tuple(d.get(key, ()))
    return Mention(chunk_id=chunk_id, doc_id=doc_id, quantity=q, **d)


def list_documents(index_dir: Path) -> list[Document]:
    with catalog(index_dir, create=False) as con:
        rows = con.execute(
            "SELECT doc_id, source, meta, text, pages FROM documents ORDER BY source"
        ).fetchall()
    return [_doc_from_row(r) for r in rows]


def get_document(con: sqlite3.Connection, doc_id: str) -> Document:
    row = con.execute(
        "SELECT doc_id, source, meta, text, pages FROM documents WHERE doc_id=?", (doc_id,)
    ).fetchone()
    if row is None:
        raise DocumentNotFoundError(f"no document {doc_id!r} in the index (see `baocao list`)")
    return _doc_from_row(row)


def document_names(con: sqlite3.Connection) -> dict[str, list[str]]:
    """Every name each document is known by (one text ingested under two names is one document)."""
    names: dict[str, list[str]] = {}
    for source, doc_id in con.execute("SELECT source, doc_id FROM sources ORDER BY source"):
        names.setdefault(doc_id, []).append(source)
    return names


def resolve_name(index_dir: Path, ref: str) -> tuple[Document, str]:
    """The document `ref` names, and the name itself ("" when `ref` is an id or id prefix).

    A reference is a name as ingested (`2021/baocao-thang8.txt`), a bare file name when only one report
    has it, a document id, or an id prefix of at least 4 characters.
    """
    docs = {d.doc_id: d for d in list_documents(index_dir)}
    with catalog(index_dir, create=False) as con:
        names = document_names(con)
    by_name = {n: doc_id for doc_id, ns in names.items() for n in ns}
    if ref in by_name:
        return docs[by_name[ref]], ref
    if ref in docs:
        return docs[ref], ""
    same_file = sorted(n for n in by_name if Path(n).name == ref)
    if len(same_file) == 1:
        return docs[by_name[same_file[0]]], same_file[0]
    if same_file:
        raise DocumentNotFoundError(
            f"several reports are named {ref!r}: {', '.join(same_file)}; give the one you mean with its folder"
        )
    prefixed = [d for d in docs if d.startswith(ref)] if len(ref) >= 4 else []
    if len(prefixed) == 1:
        return docs[prefixed[0]], ""
    if prefixed:
        raise DocumentNotFoundError(
            f"{ref!r} matches several documents: {', '.join(prefixed)}; give the full id"
        )
    known = ", ".join(f"{d.source} ({d.doc_id[:8]})" for d in list(docs.values())[:20]) or "none"
    raise DocumentNotFoundError(f"no document {ref!r} in the index; it holds: {known}")


def resolve_document(index_dir: Path, ref: str) -> Document:
    """A document by name, file name, id or id prefix, as users type them."""
    return resolve_name(index_dir, ref)[0]


def load_chunks(con: sqlite3.Connection, doc_ids: Iterable[str] | None = None) -> list[Chunk]:
    if doc_ids is None:
        rows = con.execute("SELECT chunk_id, doc_id, n, data FROM chunks ORDER BY doc_id, n").fetchall()
    else:
        ids = list(doc_ids)
        marks = ",".join("?" * len(ids))
        rows = con.execute(
            f"SELECT chunk_id, doc_id, n, data FROM chunks WHERE doc_id IN ({marks}) ORDER BY doc_id, n",
            ids,
        ).fetchall()
    return [_chunk_from_row(*r) for r in rows]


def load_mentions(con: sqlite3.Connection, chunk_ids: Iterable[str] | None = None) -> list[Mention]:
    if chunk_ids is None:
        rows = con.execute("SELECT chunk_id, doc_id, data FROM mentions").fetchall()
    else:
        ids = list(chunk_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = con.execute(
            f"SELECT chunk_id, doc_id, data FROM mentions WHERE chunk_id IN ({marks})", ids
        ).fetchall()
    return [_mention_from_row(*r) for r in rows]


class MentionStore:
    """The figures of an index by chunk id, read from the catalog when a chunk is asked about and kept
    for the chunks asked about lately. Loading every figure at start took seconds and most of the memory
    (a million figures at 10,000 reports); a question reads a few chunks' worth. Safe across threads: each
    thread reads through its own connection."""

    def __init__(self, index_dir: Path, keep: int = 20000):
        from collections import OrderedDict
        from threading import Lock, local

        self._path = catalog_path(index_dir)
        self._local = local()
        self._kept: OrderedDict[str, list[Mention]] = OrderedDict()
        self._keep = keep
        self._lock = Lock()

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self._path, timeout=30)
            self._local.con = con
        return con

    def get(self, chunk_id: str, default: list[Mention] | None = None) -> list[Mention] | None:
        with self._lock:
            got = self._kept.get(chunk_id)
            if got is not None:
                self._kept.move_to_end(chunk_id)
                return got or default
        rows = (
            self._con()
            .execute("SELECT chunk_id, doc_id, data FROM mentions WHERE chunk_id=?", (chunk_id,))
            .fetchall()
        )
        got = [_mention_from_row(*r) for r in rows]
        with self._lock:
            self._kept[chunk_id] = got
            while len(self._kept) > self._keep:
                self._kept.popitem(last=False)
        return got or default

    def __getitem__(self, chunk_id: str) -> list[Mention]:
        got = self.get(chunk_id)
        if got is None:
            raise KeyError(chunk_id)
        return got


# --- phase one: documents, chunks, mentions --------------------------------------------------------


def prepare(doc: Document, settings: Settings) -> tuple[list[Chunk], list[Mention]]:
    """Chunk a document and extract its number mentions (pure: no I/O)."""
    from rag.ingest.chunk import chunk_document
    from rag.text.indicators import tag_mentions
    from rag.text.numbers import extract_mentions
    from rag.text.periods import parse_periods

    year = int(doc.period[:4]) if doc.period[:4].isdigit() else None
    chunks = []
    # the periods are read here, with the heading path, not by the chunker from the passage alone
    for c in chunk_document(doc, max_tokens=settings.chunk_tokens, periods=False):
        # The heading path counts: a passage under "II. Kế hoạch tháng 9" speaks of September.
        periods = tuple(parse_periods(" ".join(c.section) + "\n" + c.text, default_year=year))
        if doc.period and doc.period not in periods:
            periods = (doc.period, *periods)
        chunks.append(replace(c, periods=periods))
    mentions = [m for c in chunks for m in extract_mentions(c, doc.text)]
    return chunks, tag_mentions(mentions, doc.text)


def _holds(con: sqlite3.Connection, name: str, doc_id: str) -> bool:
    row = con.execute("SELECT doc_id FROM sources WHERE source=?", (name,)).fetchone()
    return row is not None and row[0] == doc_id


def write_document(
    con: sqlite3.Connection, doc: Document, chunks: list[Chunk], mentions: list[Mention]
) -> str:
    """Record `doc` under its name (`doc.source`) in a single transaction.

    Returns "unchanged" (the name already holds this text), "added" (a new name), "replaced" (the name
    held another text, now gone unless another name still holds it) or "same_text" (a new name for a
    text already indexed under another name: one document, reachable by both).
    """
    if _holds(con, doc.source, doc.doc_id):
        return "unchanged"
    held = con.execute("SELECT doc_id FROM sources WHERE source=?", (doc.source,)).fetchone()
    known = con.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc.doc_id,)).fetchone()
    with con:  # one transaction: the old version disappears exactly when the new one appears
        if held:
            con.execute("DELETE FROM sources WHERE source=?", (doc.source,))
            _drop_or_rename(con, held[0])
        if not known:
            _insert_document(con, doc, chunks, mentions)
        con.execute("INSERT INTO sources VALUES (?, ?, ?)", (doc.source, doc.doc_id, doc.path))
        _bump_version(con)
    if held:
        return "replaced"
    return "same_text" if known else "added"


def _insert_document(
    con: sqlite3.Connection,
    doc: Document,
    chunks: list[Chunk],
    mentions: list[Mention],
    vector_of: dict[str, int | None] | None = None,
) -> None:
    con.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
        (
            doc.doc_id,
            doc.source,
            json.dumps(doc.meta(), ensure_ascii=False),
            doc.text,
            json.dumps(doc.pages),
            time.time(),
        ),
    )
    vector_of = vector_of or {}
    con.executemany(
        "INSERT INTO chunks VALUES (?, ?, ?, ?, ?)",
        [(c.chunk_id, c.doc_id, c.n, _chunk_to_json(c), vector_of.get(c.chunk_id, 0)) for c in chunks],
    )
    con.executemany(
        "INSERT INTO mentions VALUES (?, ?, ?)",
        [(m.chunk_id, m.doc_id, _mention_to_json(m)) for m in mentions],
    )
    con.executemany(
        "INSERT INTO figures VALUES (?, ?)",
        [(doc.doc_id, row_to_json(r)) for r in figure_rows([doc], mentions)],
    )


def load_figures(
    con: sqlite3.Connection, docs: dict[str, Document], doc_ids: Iterable[str] | None = None
) -> list[FigureRow]:
    """The stored indicator-table rows (of some reports), each with its report's current province,
    period and name."""
    if doc_ids is None:
        rows = con.execute("SELECT doc_id, data FROM figures").fetchall()
    else:
        ids = list(doc_ids)
        marks = ",".join("?" * len(ids))
        rows = (
            con.execute(f"SELECT doc_id, data FROM figures WHERE doc_id IN ({marks})", ids).fetchall()
            if ids
            else []
        )
    return [row_from_json(data, docs[doc_id]) for doc_id, data in rows if doc_id in docs]


def _remember_file(con: sqlite3.Connection, name: str, seen: tuple[int, int, str], doc_id: str) -> None:
    with con:
        con.execute("INSERT OR REPLACE INTO file_stats VALUES (?, ?, ?, ?, ?)", (name, *seen, doc_id))


def _delete_document(con: sqlite3.Connection, doc_id: str) -> None:
    # file_stats rows stay: a re-derived document keeps its files, and a row whose name no longer holds
    # its document is not trusted (see ingest_files)
    con.execute("DELETE FROM figures WHERE doc_id=?", (doc_id,))
    con.execute("DELETE FROM mentions WHERE doc_id=?", (doc_id,))
    con.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
    con.execute("DELETE FROM sources WHERE doc_id=?", (doc_id,))
    con.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))


def _drop_or_rename(con: sqlite3.Connection, doc_id: str) -> None:
    """After one of its names went away: drop a document no name holds any more, or make one of the
    names left its shown name (citations show it)."""
    left = con.execute(
        "SELECT source, path FROM sources WHERE doc_id=? ORDER BY source", (doc_id,)
    ).fetchall()
    if not left:
        _delete_document(con, doc_id)
        return
    doc = get_document(con, doc_id)
    if doc.source in {n for n, _ in left}:
        return
    source, path = left[0]
    _set_document(con, replace(doc, source=source, path=path), {"source": source})


def _set_document(con: sqlite3.Connection, doc: Document, chunk_changes: dict[str, str]) -> None:
    con.execute(
        "UPDATE documents SET source=?, meta=? WHERE doc_id=?",
        (doc.source, json.dumps(doc.meta(), ensure_ascii=False), doc.doc_id),
    )
    con.executemany(
        "UPDATE chunks SET data=? WHERE chunk_id=?",
        [(_chunk_to_json(replace(c, **chunk_changes)), c.chunk_id) for c in load_chunks(con, [doc.doc_id])],
    )


def update_metadata(
    index_dir: Path, doc_id: str, changes: dict[str, str], timeout: float = 600.0
) -> Document:
    """Edit a document's metadata (province, period, kind, title) and carry it into its chunks."""
    allowed = {"province", "period", "kind", "title"}
    bad = set(changes) - allowed
    if bad:
        raise BaocaoError(f"cannot edit {', '.join(sorted(bad))}; editable: {', '.join(sorted(allowed))}")
    with writer_lock(index_dir, timeout), catalog(index_dir, create=False) as con:
        doc = get_document(con, doc_id)
        new = replace(doc, **{k: v for k, v in changes.items() if v is not None})
        carried = {"province": new.province, "period": new.period, "kind": new.kind, "title": new.title}
        with con:
            _set_document(con, new, carried)
            _bump_version(con)
    return new


@dataclass(frozen=True)
class Removal:
    document: Document
    name: str  # the name removed ("" when the whole document was named by its id)
    whole: bool  # False: only this name went; the text stays under its other names
    names_left: tuple[str, ...] = ()


def remove_document(index_dir: Path, ref: str, settings: Settings | None = None) -> Document:
    """Remove what `ref` names (see `remove_name`); the document it named."""
    return remove_name(index_dir, ref, settings).document


def remove_name(index_dir: Path, ref: str, settings: Settings | None = None) -> Removal:
    """Remove what `ref` names: one name of a text that has others, or the whole document."""
    timeout = settings.lock_timeout if settings is not None else 600.0
    with writer_lock(index_dir, timeout):
        doc, name = resolve_name(index_dir, ref)
        with catalog(index_dir, create=False) as con:
            names = document_names(con).get(doc.doc_id, [])
            whole = not name or len(names) <= 1
            with con:
                if whole:
                    _delete_document(con, doc.doc_id)
                else:
                    con.execute("DELETE FROM sources WHERE source=?", (name,))
                    _drop_or_rename(con, doc.doc_id)
                _bump_version(con)
        if whole and settings is not None and _store_exists(index_dir, settings):
            with closing(_open_store(index_dir, settings)) as store:
                store.delete_where(doc.doc_id)
    left = tuple(n for n in names if n != name) if not whole else ()
    return Removal(document=doc, name=name or doc.source, whole=whole, names_left=left)


class _Preparer:
    """Runs `prepare` in worker processes when a batch is large enough to repay starting them (each
    imports baocao, about a second), else in this process. `submit` returns a Future, or the result
    itself when run here; `window` is how many reports may wait to be written."""

    MIN_BATCH = 24  # reports left to read before workers are worth starting

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        wanted = settings.ingest_workers or min(os.cpu_count() or 1, 4)
        self.workers = max(1, wanted)
        self.pool: Any = None
        self.window = 0

    def submit(self, doc: Document, left: int) -> Any:
        if self.pool is None and self.workers > 1 and left >= self.MIN_BATCH:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawned, not forked: the app ingests from a thread of a process that holds other threads
            # and open connections, which a forked child would inherit mid-use
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            self.window = 2 * self.workers
        if self.pool is not None:
            try:
                return self.pool.submit(prepare, doc, self.settings)
            except RuntimeError:  # a broken pool (a worker killed): go on without it
                self.pool = None
                self.window = 0
        return prepare(doc, self.settings)

    def __enter__(self) -> _Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    overrides: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    follow_links: bool = False,
) -> IngestReport:
    """Phase one for the reports under `paths` (files or folders), each known by its path relative to
    the folder given. One bad file is reported and skipped; it never aborts the batch."""
    from rag.ingest.reports import find_reports

    files, skipped = find_reports(paths, follow_links=follow_links)
    return ingest_files(files, settings, overrides, progress, failed=skipped)


def report_files(index_dir: Path) -> list[tuple[Path, str]]:
    """Every name in the index with the file it was read from: what `ingest_files` re-reads."""
    with catalog(index_dir, create=False) as con:
        return [
            (Path(path), name)
            for name, path in con.execute("SELECT source, path FROM sources ORDER BY source")
        ]


def ingest_files(
    files: list[tuple[Path, str]],
    settings: Settings,
    overrides: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    failed: list[tuple[str, str]] | None = None,
) -> IngestReport:
    """Phase one for (file, name) pairs: the name is what the report is known by in the index."""
    from rag.ingest.reports import load_metadata_csv, read_document

    t0 = time.perf_counter()
    report = IngestReport()
    report.failed.extend(failed or [])
    csv_cache: dict[Path, dict[str, dict]] = {}
    # Reports are read here and chunked in worker processes; each is written, in the order given, as
    # soon as it and those before it are ready (a name holding the same text as an earlier one is
    # "same_text" whichever worker finished first).
    pending: deque[tuple[Path, str, tuple[int, int, str], Document, Any]] = deque()

    def finish(con: sqlite3.Connection) -> None:
        path, name, seen, doc, job = pending.popleft()
        try:
            chunks, mentions = _prepared(job, doc, settings)
            status = write_document(con, doc, chunks, mentions)
            _remember_file(con, name, seen, doc.doc_id)
        except BaocaoError as exc:
            report.failed.append((str(path), str(exc)))
            return
        if status == "same_text":
            report.added.append(name)
            first = con.execute(
                "SELECT source FROM sources WHERE doc_id=? AND source<>? ORDER BY source",
                (doc.doc_id, name),
            ).fetchone()
            report.same_text.append((name, first[0] if first else ""))
            return
        getattr(report, status).append(name)
        if status != "unchanged":
            report.chunks += len(chunks)

    with (
        writer_lock(settings.index_dir, settings.lock_timeout),
        catalog(settings.index_dir) as con,
        _Preparer(settings) as preparer,
    ):
        report.rederived = rederive_if_changed(con, settings)
        for i, (path, name) in enumerate(files):
            if progress:
                progress(i, len(files), name)
            try:
                if path.parent not in csv_cache:
                    csv_cache[path.parent] = load_metadata_csv(path.parent)
                per_file = dict(csv_cache[path.parent].get(path.name, {}))
                per_file.update({k: v for k, v in (overrides or {}).items() if v})
                stat = path.stat()
                seen = (
                    stat.st_size,
                    stat.st_mtime_ns,
                    json.dumps(per_file, sort_keys=True, ensure_ascii=False),
                )
                was = con.execute(
                    "SELECT size, mtime_ns, meta, doc_id FROM file_stats WHERE source=?", (name,)
                ).fetchone()
                if was is not None and tuple(was[:3]) == seen and _holds(con, name, was[3]):
                    report.unchanged.append(name)  # same size, time and metadata: not even read
                    continue
                doc = read_document(path, overrides=per_file, max_mb=settings.max_file_mb, name=name)
                if _holds(con, name, doc.doc_id):
                    report.unchanged.append(name)  # chunking and figures are the costly part: skip them
                    _remember_file(con, name, seen, doc.doc_id)
                    continue
            except BaocaoError as exc:
                report.failed.append((str(path), str(exc)))
                continue
            except OSError as exc:  # vanished, unreadable, a name too long: this file, not the batch
                report.failed.append((str(path), f"cannot be read: {exc.strerror or exc}"))
                continue
            pending.append((path, name, seen, doc, preparer.submit(doc, left=len(files) - i)))
            while len(pending) > preparer.window:
                finish(con)
        while pending:
            finish(con)
        report.workers = preparer.workers if preparer.pool is not None else 1
        if progress:
            progress(len(files), len(files), "")
    report.seconds = time.perf_counter() - t0
    return report


# --- derivation version -----------------------------------------------------------------------------

# Where chunks and mentions come from: these modules and everything of rag's they import. Their source
# is hashed into the derivation version, so an upgrade that changes how reports are sectioned, chunked
# or read for figures re-derives the index instead of keeping what the old code made.
_DERIVERS = (
    "rag.index.catalog", "rag.ingest.chunk", "rag.text.numbers", "rag.text.periods", "rag.text.indicators",
)  # fmt: skip
_DATA_DIRS = ("lexicon", "data")
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the `rag` folder


def _module_file(module: str) -> Path | None:
    """The source file of a module of `rag` (a package's __init__), or None for anything else."""
    parts = module.split(".")
    if parts[0] != "rag":
        return None
    base = _PACKAGE_ROOT.joinpath(*parts[1:])
    for f in (base.with_suffix(".py"), base / "__init__.py"):
        if f.is_file():
            return f
    return None


def _rag_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)  # `from rag.text import numbers`
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("rag.")}


_DERIVING_LOCK = threading.Lock()
_deriving: dict[str, Path] | None = None


def _deriving_modules() -> dict[str, Path]:
    """The deriving modules and everything of rag's they import, found once per process (their sources
    are still read, and hashed, on every call). Under a lock: CPython 3.11's `ast.parse` may fail with
    "AST constructor recursion depth mismatch" when two threads parse at once (the app's status line and
    its background embedder both ask)."""
    global _deriving
    with _DERIVING_LOCK:
        if _deriving is None:
            seen: dict[str, Path] = {}
            todo = list(_DERIVERS)
            while todo:
                name = todo.pop()
                f = _module_file(name)
                if name in seen or f is None:
                    continue
                seen[name] = f
                todo.extend(_rag_imports(f))
            _deriving = seen
        return _deriving


def derivation_version(settings: Settings) -> str:
    seen = _deriving_modules()
    h = hashlib.sha256(f"chunk_tokens={settings.chunk_tokens}".encode())
    for name in sorted(seen):
        h.update(name.encode() + b"\0" + seen[name].read_bytes())
    for folder in _DATA_DIRS:
        root = _PACKAGE_ROOT / folder
        for f in sorted(root.rglob("*")) if root.is_dir() else ():
            if f.is_file():
                h.update(f.relative_to(_PACKAGE_ROOT).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def rederive_if_changed(con: sqlite3.Connection, settings: Settings) -> int:
    """Re-chunk and re-read figures of every document when this baocao derives them differently from
    the one that built the index. Metadata (inferred or edited) is kept; a chunk whose text did not
    change keeps its vector. Returns how many documents were re-derived."""
    wanted = derivation_version(settings)
    row = con.execute("SELECT value FROM meta WHERE key='derivation'").fetchone()
    if row is not None and row[0] == wanted:
        return 0
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents")]
    with _Preparer(settings) as preparer:
        pending: deque[tuple[Document, Any]] = deque()
        for i, doc_id in enumerate(ids):
            doc = get_document(con, doc_id)
            pending.append((doc, preparer.submit(doc, left=len(ids) - i)))
            while len(pending) > preparer.window:
                _rederived(con, *pending.popleft(), settings)
        while pending:
            _rederived(con, *pending.popleft(), settings)
    with con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('derivation', ?)", (wanted,))
        if ids:
            _bump_version(con)
    if ids:
        # The saved lexical tables hold the old derivation's passages and statistics; scored beside them,
        # re-cut passages would rank as a fresh build of this index would not (rag.retrieve._with_added).
        shutil.rmtree(Path(settings.index_dir) / "lexical", ignore_errors=True)
    return len(ids)


def _rederived(con: sqlite3.Connection, doc: Document, job: Any, settings: Settings) -> None:
    """Write a document re-derived by `rederive_if_changed`, keeping the vectors of unchanged chunks."""
    doc_id = doc.doc_id
    old = {c.chunk_id: c for c in load_chunks(con, [doc_id])}
    had = dict(con.execute("SELECT chunk_id, vector FROM chunks WHERE doc_id=?", (doc_id,)).fetchall())
    chunks, mentions = _prepared(job, doc, settings)
    keep = {
        c.chunk_id: had.get(c.chunk_id)
        for c in chunks
        if c.chunk_id in old and old[c.chunk_id].embed_text() == c.embed_text()
    }
    names = con.execute("SELECT source, path FROM sources WHERE doc_id=?", (doc_id,)).fetchall()
    with con:
        _delete_document(con, doc_id)
        _insert_document(con, doc, chunks, mentions, vector_of=keep)
        con.executemany("INSERT INTO sources VALUES (?, ?, ?)", [(n, doc_id, p) for n, p in names])


def _prepared(job: Any, doc: Document, settings: Settings) -> tuple[list[Chunk], list[Mention]]:
    """What `_Preparer.submit` gave: a worker's result, or the result itself when run here."""
    if not isinstance(job, Future):
        return job
    try:
        return job.result()
    except BrokenExecutor:  # a worker died (killed for memory?): this report is read here instead
        return prepare(doc, settings)


def derivation_is_current(settings: Settings) -> bool:
    with catalog(settings.index_dir, create=False) as con:
        row = con.execute("SELECT value FROM meta WHERE key='derivation'").fetchone()
    return row is not None and row[0] == derivation_version(settings)


# --- phase two: dense vectors ------------------------------------------------------------------------


def _store_exists(index_dir: Path, settings: Settings) -> bool:
    return bool(settings.chroma_url) or (Path(index_dir) / "chroma").exists()


def _open_store(index_dir: Path, settings: Settings, embedder_name: str = "", dim: int = 0):
    from rag.index.adapters.chroma_store import make_store

    return make_store(Path(index_dir), url=settings.chroma_url, embedder_name=embedder_name, dim=dim)


@dataclass
class EmbedReport:
    embedded: int = 0
    already: int = 0
    orphans_removed: int = 0
    pending: int = 0  # chunks that lacked a vector of their current text when this run started
    seconds: float = 0.0
    tokens: int = 0
    embedder: str = ""
    skipped: str = ""  # why nothing was embedded though passages lack vectors (the index's size)

    def summary(self) -> str:
        if self.skipped:
            return self.skipped
        rate = self.tokens / self.seconds if self.seconds else 0.0
        return (
            f"{self.embedded} chunks embedded, {self.already} already had vectors, "
            f"{self.orphans_removed} stale vectors removed ({self.seconds:.1f}s, {rate:,.0f} tokens/s, "
            f"{self.embedder or 'no embedder'})"
        )


def too_large_to_embed(settings: Settings) -> str:
    """Why the index is left lexical unless `baocao embed` is run ("" when it is not): it holds more than
    `settings.embed_max_chunks` passages."""
    if not settings.embed_max_chunks or settings.embedder == "none":
        return ""
    with catalog(settings.index_dir, create=False) as con:
        n_chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    if n_chunks <= settings.embed_max_chunks:
        return ""
    return (
        f"dense vectors left to `baocao embed`: the index holds {n_chunks:,} passages, more than "
        f"embed_max_chunks ({settings.embed_max_chunks:,}); at this size they changed no answer in our "
        "measurements and take hours to compute. Answers are lexical."
    )


def embed_pending(
    settings: Settings,
    embedder=None,
    progress: Callable[[int, int], None] | None = None,
    rebuild: bool = False,
    explicit: bool = False,
) -> EmbedReport:
    """Embed every chunk that has no vector of its current text yet, batch by batch; each batch is
    stored (and recorded in the catalog) before the next.

    Unless asked `explicit`ly (`baocao embed`) or to `rebuild`, an index of more than
    `settings.embed_max_chunks` passages is left lexical: the report says so in `skipped`.

    Interrupting it loses at most one batch; running it again continues where it stopped. The model
    is loaded only when there is something to embed. The writer lock is held while vectors are
    written, not while the model computes them: an embedding run of hours does not keep an upload or
    another ingest waiting, and a chunk that changed meanwhile is not given a vector of its old text.
    """
    from rag.index.adapters.embedders import make_embedder
    from rag.text.tokens import count_tokens

    report = EmbedReport()
    if settings.embedder == "none" and embedder is None:
        return report
    t0 = time.perf_counter()
    index_dir = settings.index_dir
    if not rebuild and _store_exists(index_dir, settings) and pending_vectors(settings) == 0:
        # Nothing lacks a vector; unless the store holds vectors of chunks that are gone (a report
        # removed without it), there is nothing to do and no model to load.
        with catalog(index_dir, create=False) as con:
            n_chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        with closing(_open_store(index_dir, settings)) as store:
            in_store = store.count()
        if in_store == n_chunks:
            report.already = n_chunks
            return report
    if not (explicit or rebuild):
        report.skipped = too_large_to_embed(settings)
        if report.skipped:
            report.pending = pending_vectors(settings)
            return report
    if embedder is None:
        embedder = make_embedder(settings.embedder, threads=settings.embed_threads)
    if embedder is None:
        return report
    report.embedder = embedder.name

    def open_store():
        # Closed after each use: a client left open in this process would keep serving stale vectors
        # to a reader here (the app embeds in the background and answers from the same store).
        return closing(_open_store(index_dir, settings, embedder.name, embedder.dim))

    with writer_lock(index_dir, settings.lock_timeout):
        with catalog(index_dir, create=False) as con:
            chunks = load_chunks(con)
            stale = {r[0] for r in con.execute("SELECT chunk_id FROM chunks WHERE vector = 0")}
        with open_store() as store:
            if rebuild:
                store.reset()
            wanted = {c.chunk_id for c in chunks}
            have = store.existing_ids()
            orphans = sorted(have - wanted)
            if orphans:
                store.delete_ids(orphans)
                report.orphans_removed = len(orphans)
        todo = [c for c in chunks if c.chunk_id not in have or c.chunk_id in stale]
        report.pending = len(todo)
        report.already = len(chunks) - len(todo)
        with catalog(index_dir, create=False) as con, con:
            # Chunks that have a vector but whose flag was unknown (an index of schema 1) are settled now.
            con.execute("UPDATE chunks SET vector = 1 WHERE vector IS NULL")
            con.executemany("UPDATE chunks SET vector = 0 WHERE chunk_id = ?", [(c.chunk_id,) for c in todo])
            if orphans:
                _bump_version(con, "vectors")
    batch = max(1, settings.embed_batch)
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        texts = [c.embed_text() for c in part]
        vectors = embedder.embed_documents(texts)
        with writer_lock(index_dir, settings.lock_timeout), catalog(index_dir, create=False) as con:
            marks = ",".join("?" * len(part))
            rows = con.execute(
                f"SELECT chunk_id, doc_id, n, data FROM chunks WHERE chunk_id IN ({marks})",
                [c.chunk_id for c in part],
            ).fetchall()
            current = {r[0]: _chunk_from_row(*r).embed_text() for r in rows}
            keep = [i for i, c in enumerate(part) if current.get(c.chunk_id) == texts[i]]
            if keep:
                with open_store() as store:
                    store.upsert(
                        [part[i].chunk_id for i in keep],
                        np.asarray(vectors)[keep],
                        [
                            {
                                "doc_id": part[i].doc_id,
                                "province": part[i].province,
                                "period": part[i].period,
                                "source": part[i].source,
                            }
                            for i in keep
                        ],
                        [part[i].text for i in keep],
                    )
                with con:
                    con.executemany(
                        "UPDATE chunks SET vector = 1 WHERE chunk_id = ?", [(part[i].chunk_id,) for i in keep]
                    )
                    _bump_version(con, "vectors")
        report.embedded += len(keep)
        report.tokens += sum(count_tokens(texts[i]) for i in keep)
        if progress:
            progress(start + len(part), len(todo))
    report.seconds = time.perf_counter() - t0
    return report


def pending_vectors(settings: Settings) -> int:
    """Chunks known to lack a vector of their current text (cheap: the catalog alone)."""
    with catalog(settings.index_dir, create=False) as con:
        return con.execute("SELECT COUNT(*) FROM chunks WHERE vector IS NOT 1").fetchone()[0]


def index_status(settings: Settings) -> dict[str, Any]:
    with catalog(settings.index_dir, create=False) as con:
        n_docs = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        n_chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        n_mentions = con.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
        version = catalog_version(con)
    n_vectors = 0
    if settings.embedder != "none" and _store_exists(settings.index_dir, settings):
        try:
            with closing(_open_store(settings.index_dir, settings)) as store:
                n_vectors = store.count()
        except BaocaoError:
            n_vectors = 0
    return {
        "index": str(settings.index_dir),
        "documents": n_docs,
        "chunks": n_chunks,
        "mentions": n_mentions,
        "vectors": n_vectors,
        "version": version,
        "derivation_current": derivation_is_current(settings),
    }
