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

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import BaocaoError, DocumentNotFoundError, IndexNotFoundError, IngestError
from .types import Chunk, Document, Mention, Quantity

SCHEMA_VERSION = 1

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
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS mentions (
    chunk_id TEXT NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id);
"""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0
    chunks: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.replaced)} replaced",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.failed)} failed",
        ]
        return ", ".join(parts) + f" ({self.chunks} chunks, {self.seconds:.2f}s)"


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
    con = sqlite3.connect(path, timeout=30)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA journal_mode = WAL")
    con.executescript(_SCHEMA)
    row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if row is None:
        with con:
            con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            con.execute("INSERT OR IGNORE INTO meta VALUES ('version', '0')")
    elif int(row[0]) != SCHEMA_VERSION:
        raise IndexNotFoundError(
            f"index at {index_dir} has schema {row[0]}, this baocao needs {SCHEMA_VERSION}: "
            f"rebuild it (delete {index_dir} and run `baocao ingest` again)"
        )
    return con


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


def _bump_version(con: sqlite3.Connection) -> None:
    con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='version'")


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


def _mention_to_json(m: Mention) -> str:
    d = asdict(m)
    d.pop("chunk_id")
    d.pop("doc_id")
    return json.dumps(d, ensure_ascii=False)


def _mention_from_row(chunk_id: str, doc_id: str, data: str) -> Mention:
    d = json.loads(data)
    q = Quantity(**d.pop("quantity"))
    d["section"] = tuple(d.get("section", ()))
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


def resolve_document(index_dir: Path, ref: str) -> Document:
    """A document by id, id prefix or file name, as users type them."""
    docs = list_documents(index_dir)
    matches = [d for d in docs if d.doc_id == ref or d.source == ref or Path(d.path).name == ref]
    if not matches and len(ref) >= 4:
        matches = [d for d in docs if d.doc_id.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(f"{d.source} ({d.doc_id[:8]})" for d in docs[:20]) or "none"
        raise DocumentNotFoundError(f"no document {ref!r} in the index; it holds: {known}")
    raise DocumentNotFoundError(
        f"{ref!r} matches several documents: {', '.join(d.doc_id for d in matches)}; give the full id"
    )


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


# --- phase one: documents, chunks, mentions --------------------------------------------------------


def prepare(doc: Document, settings: Settings) -> tuple[list[Chunk], list[Mention]]:
    """Chunk a document and extract its number mentions (pure: no I/O)."""
    from .chunk import chunk_document
    from .numbers import extract_mentions
    from .periods import parse_periods

    year = int(doc.period[:4]) if doc.period[:4].isdigit() else None
    chunks = []
    for c in chunk_document(doc, max_tokens=settings.chunk_tokens):
        # The heading path counts: a passage under "II. Kế hoạch tháng 9" speaks of September.
        periods = tuple(parse_periods(" ".join(c.section) + "\n" + c.text, default_year=year))
        if doc.period and doc.period not in periods:
            periods = (doc.period, *periods)
        chunks.append(replace(c, periods=periods))
    mentions = [m for c in chunks for m in extract_mentions(c, doc.text)]
    return chunks, mentions


def write_document(
    con: sqlite3.Connection, doc: Document, chunks: list[Chunk], mentions: list[Mention]
) -> str:
    """Insert or replace one document in a single transaction. Returns added|replaced|unchanged."""
    existing = con.execute("SELECT doc_id FROM documents WHERE doc_id=?", (doc.doc_id,)).fetchone()
    if existing:
        return "unchanged"
    old = [r[0] for r in con.execute("SELECT doc_id FROM documents WHERE source=?", (doc.source,))]
    meta = doc.meta()
    with con:  # one transaction: the old version disappears exactly when the new one appears
        for old_id in old:
            con.execute("DELETE FROM mentions WHERE doc_id=?", (old_id,))
            con.execute("DELETE FROM chunks WHERE doc_id=?", (old_id,))
            con.execute("DELETE FROM documents WHERE doc_id=?", (old_id,))
        con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
            (
                doc.doc_id,
                doc.source,
                json.dumps(meta, ensure_ascii=False),
                doc.text,
                json.dumps(doc.pages),
                time.time(),
            ),
        )
        con.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?)",
            [(c.chunk_id, c.doc_id, c.n, _chunk_to_json(c)) for c in chunks],
        )
        con.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?)",
            [(m.chunk_id, m.doc_id, _mention_to_json(m)) for m in mentions],
        )
        _bump_version(con)
    return "replaced" if old else "added"


def update_metadata(index_dir: Path, doc_id: str, changes: dict[str, str]) -> Document:
    """Edit a document's metadata (province, period, kind, title) and carry it into its chunks."""
    allowed = {"province", "period", "kind", "title"}
    bad = set(changes) - allowed
    if bad:
        raise BaocaoError(f"cannot edit {', '.join(sorted(bad))}; editable: {', '.join(sorted(allowed))}")
    with catalog(index_dir, create=False) as con:
        doc = get_document(con, doc_id)
        new = replace(doc, **{k: v for k, v in changes.items() if v is not None})
        chunks = [
            replace(c, province=new.province, period=new.period, kind=new.kind, title=new.title)
            for c in load_chunks(con, [doc_id])
        ]
        with con:
            con.execute(
                "UPDATE documents SET meta=? WHERE doc_id=?",
                (json.dumps(new.meta(), ensure_ascii=False), doc_id),
            )
            con.executemany(
                "UPDATE chunks SET data=? WHERE chunk_id=?",
                [(_chunk_to_json(c), c.chunk_id) for c in chunks],
            )
            _bump_version(con)
    return new


def remove_document(index_dir: Path, ref: str, settings: Settings | None = None) -> Document:
    doc = resolve_document(index_dir, ref)
    with catalog(index_dir, create=False) as con:
        with con:
            con.execute("DELETE FROM mentions WHERE doc_id=?", (doc.doc_id,))
            con.execute("DELETE FROM chunks WHERE doc_id=?", (doc.doc_id,))
            con.execute("DELETE FROM documents WHERE doc_id=?", (doc.doc_id,))
            _bump_version(con)
    if settings is not None and _store_exists(index_dir, settings):
        _open_store(index_dir, settings).delete_where(doc.doc_id)
    return doc


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    overrides: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Phase one for many files. One bad file is reported and skipped; it never aborts the batch."""
    from .ingest import iter_input_files, load_metadata_csv, read_document

    t0 = time.perf_counter()
    report = IngestReport()
    files = iter_input_files(paths)
    csv_cache: dict[Path, dict[str, dict]] = {}
    with catalog(settings.index_dir) as con:
        for i, path in enumerate(files):
            if progress:
                progress(i, len(files), path.name)
            try:
                if path.parent not in csv_cache:
                    csv_cache[path.parent] = load_metadata_csv(path.parent)
                per_file = dict(csv_cache[path.parent].get(path.name, {}))
                per_file.update({k: v for k, v in (overrides or {}).items() if v})
                doc = read_document(path, overrides=per_file, max_mb=settings.max_file_mb)
                chunks, mentions = prepare(doc, settings)
                status = write_document(con, doc, chunks, mentions)
            except IngestError as exc:
                report.failed.append((str(path), str(exc)))
                continue
            except BaocaoError as exc:
                report.failed.append((str(path), str(exc)))
                continue
            getattr(report, status).append(path.name)
            if status != "unchanged":
                report.chunks += len(chunks)
        if progress:
            progress(len(files), len(files), "")
    report.seconds = time.perf_counter() - t0
    return report


# --- phase two: dense vectors ------------------------------------------------------------------------


def _store_exists(index_dir: Path, settings: Settings) -> bool:
    return bool(settings.chroma_url) or (Path(index_dir) / "chroma").exists()


def _open_store(index_dir: Path, settings: Settings, embedder_name: str = "", dim: int = 0):
    from .adapters.chroma_store import make_store

    return make_store(Path(index_dir), url=settings.chroma_url, embedder_name=embedder_name, dim=dim)


@dataclass
class EmbedReport:
    embedded: int = 0
    already: int = 0
    orphans_removed: int = 0
    seconds: float = 0.0
    tokens: int = 0
    embedder: str = ""

    def summary(self) -> str:
        rate = self.tokens / self.seconds if self.seconds else 0.0
        return (
            f"{self.embedded} chunks embedded, {self.already} already had vectors, "
            f"{self.orphans_removed} stale vectors removed ({self.seconds:.1f}s, {rate:,.0f} tokens/s, "
            f"{self.embedder})"
        )


def embed_pending(
    settings: Settings,
    embedder=None,
    progress: Callable[[int, int], None] | None = None,
    rebuild: bool = False,
) -> EmbedReport:
    """Embed every chunk that has no vector yet, batch by batch; each batch is stored before the next.

    Interrupting it loses at most one batch; running it again continues where it stopped.
    """
    from .adapters.embedders import make_embedder
    from .tokens import count_tokens

    report = EmbedReport()
    if embedder is None:
        embedder = make_embedder(settings.embedder, threads=settings.embed_threads)
    if embedder is None:
        return report
    report.embedder = embedder.name
    t0 = time.perf_counter()
    with catalog(settings.index_dir, create=False) as con:
        chunks = load_chunks(con)
    store = _open_store(settings.index_dir, settings, embedder.name, embedder.dim)
    if rebuild:
        store.reset()
    wanted = {c.chunk_id for c in chunks}
    have = store.existing_ids()
    orphans = sorted(have - wanted)
    if orphans:
        store.delete_ids(orphans)
        report.orphans_removed = len(orphans)
    todo = [c for c in chunks if c.chunk_id not in have]
    report.already = len(chunks) - len(todo)
    batch = max(1, settings.embed_batch)
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        texts = [c.embed_text() for c in part]
        vectors = embedder.embed_documents(texts)
        store.upsert(
            [c.chunk_id for c in part],
            vectors,
            [
                {"doc_id": c.doc_id, "province": c.province, "period": c.period, "source": c.source}
                for c in part
            ],
            [c.text for c in part],
        )
        report.embedded += len(part)
        report.tokens += sum(count_tokens(t) for t in texts)
        if progress:
            progress(report.embedded, len(todo))
    report.seconds = time.perf_counter() - t0
    return report


def index_status(settings: Settings) -> dict[str, Any]:
    with catalog(settings.index_dir, create=False) as con:
        n_docs = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        n_chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        n_mentions = con.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
        version = catalog_version(con)
    n_vectors = 0
    if settings.embedder != "none" and _store_exists(settings.index_dir, settings):
        try:
            n_vectors = _open_store(settings.index_dir, settings).count()
        except BaocaoError:
            n_vectors = 0
    return {
        "index": str(settings.index_dir),
        "documents": n_docs,
        "chunks": n_chunks,
        "mentions": n_mentions,
        "vectors": n_vectors,
        "version": version,
    }
