"""The index on real SQLite and Chroma in tmp dirs: counts, idempotent re-ingest, atomic replace, remove,
metadata edits and overrides, bad files in a batch, and the resumable embedding phase."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from rag.core.config import Settings
from rag.core.errors import BaocaoError, DocumentNotFoundError
from rag.index.catalog import (
    catalog,
    catalog_version,
    embed_pending,
    get_document,
    index_status,
    ingest_paths,
    list_documents,
    load_chunks,
    load_mentions,
    prepare,
    remove_document,
    resolve_document,
    update_metadata,
    write_document,
)
from rag.ingest.reports import read_document

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"
REPORTS = sorted(p.name for p in CORPUS.glob("*.txt"))


def settings_for(index_dir: Path, embedder: str = "none") -> Settings:
    return Settings(index_dir=index_dir, embedder=embedder, log_dir=index_dir / "logs")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the sample reports that a test may change."""
    d = tmp_path / "corpus"
    d.mkdir()
    for name in REPORTS:
        shutil.copy(CORPUS / name, d / name)
    return d


@pytest.fixture
def indexed(tmp_path: Path, corpus: Path) -> tuple[Settings, Path]:
    s = settings_for(tmp_path / "index")
    report = ingest_paths([corpus], s)
    assert sorted(report.added) == REPORTS
    return s, corpus


def _counts(con: sqlite3.Connection, doc_id: str) -> tuple[int, int, int]:
    return tuple(
        con.execute(f"SELECT COUNT(*) FROM {table} WHERE doc_id=?", (doc_id,)).fetchone()[0]
        for table in ("documents", "chunks", "mentions")
    )


def test_ingest_sample_reports_counts(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "index")
    report = ingest_paths([CORPUS], s)
    assert sorted(report.added) == REPORTS
    assert report.replaced == [] and report.unchanged == [] and report.failed == []
    st = index_status(s)
    assert st["documents"] == 4
    assert st["chunks"] == report.chunks > 4 * 10
    assert st["mentions"] > st["chunks"]  # reports are full of figures
    assert st["vectors"] == 0  # lexical only
    docs = {d.source: d for d in list_documents(s.index_dir)}
    assert set(docs) == set(REPORTS)
    assert (docs["namdinh-2024.txt"].province, docs["namdinh-2024.txt"].period) == ("Nam Định", "2024")
    assert (docs["namdinh-2021-08.txt"].province, docs["namdinh-2021-08.txt"].period) == (
        "Nam Định",
        "2021-08",
    )
    assert (docs["ninhthuan-2021-02.txt"].province, docs["ninhthuan-2021-02.txt"].period) == (
        "Ninh Thuận",
        "2021-02",
    )
    assert (docs["travinh-2022-10.txt"].province, docs["travinh-2022-10.txt"].period) == (
        "Trà Vinh",
        "2022-10",
    )
    with catalog(s.index_dir) as con:
        chunks = load_chunks(con)
    for c in chunks:
        assert c.chunk_id == f"{c.doc_id}:{c.n}"
        # The chunk text is a verbatim span of the normalised document text.
        assert docs[c.source].text[c.start : c.end] == c.text


def test_reingest_unchanged_is_a_noop(indexed: tuple[Settings, Path]) -> None:
    s, corpus = indexed
    with catalog(s.index_dir) as con:
        version = catalog_version(con)
        n_chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    report = ingest_paths([corpus], s)
    assert sorted(report.unchanged) == REPORTS
    assert report.added == [] and report.replaced == [] and report.failed == []
    assert report.chunks == 0
    with catalog(s.index_dir) as con:
        assert catalog_version(con) == version
        assert con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == n_chunks


def test_changed_file_replaces_old_chunks(indexed: tuple[Settings, Path]) -> None:
    s, corpus = indexed
    old = resolve_document(s.index_dir, "namdinh-2024.txt")
    path = corpus / "namdinh-2024.txt"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n\nĐoạn bổ sung: trong năm đã cấp 77 giấy phép thử nghiệm dịch vụ số cho doanh nghiệp.\n",
        encoding="utf-8",
    )
    report = ingest_paths([corpus], s)
    assert report.replaced == ["namdinh-2024.txt"]
    assert sorted(report.unchanged) == sorted(set(REPORTS) - {"namdinh-2024.txt"})
    new = resolve_document(s.index_dir, "namdinh-2024.txt")
    assert new.doc_id != old.doc_id
    assert "77 giấy phép thử nghiệm" in new.text
    with catalog(s.index_dir) as con:
        assert _counts(con, old.doc_id) == (0, 0, 0)  # nothing of the old version is left
        chunks = load_chunks(con, [new.doc_id])
        assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
        orphan = con.execute(
            "SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone()[0]
        assert orphan == 0
    assert [c.n for c in chunks] == list(range(len(chunks)))
    assert all(c.chunk_id == f"{new.doc_id}:{c.n}" for c in chunks)
    assert any("77 giấy phép" in c.text for c in chunks)


def test_replace_is_atomic_when_the_write_fails(indexed: tuple[Settings, Path]) -> None:
    """A failure in the middle of writing the new version leaves the old one whole."""
    s, corpus = indexed
    old = resolve_document(s.index_dir, "travinh-2022-10.txt")
    path = corpus / "travinh-2022-10.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nMột đoạn mới có 12 hồ sơ.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.doc_id != old.doc_id and doc.source == old.source
    chunks, mentions = prepare(doc, s)
    broken = [*chunks, chunks[0]]  # a duplicate chunk_id: the chunk INSERT fails after the DELETEs ran
    with catalog(s.index_dir) as con:
        before = _counts(con, old.doc_id)
        version = catalog_version(con)
        assert before[1] > 0
        with pytest.raises(sqlite3.IntegrityError):
            write_document(con, doc, broken, mentions)
    with catalog(s.index_dir) as con:  # a fresh connection sees what is on disk
        assert _counts(con, old.doc_id) == before
        assert _counts(con, doc.doc_id) == (0, 0, 0)
        assert catalog_version(con) == version
        assert get_document(con, old.doc_id).text == old.text
    # And the next ingest repairs it the normal way.
    report = ingest_paths([path], s)
    assert report.replaced == ["travinh-2022-10.txt"]


def test_remove_by_file_name_and_by_id_prefix(indexed: tuple[Settings, Path]) -> None:
    s, _ = indexed
    gone = remove_document(s.index_dir, "ninhthuan-2021-02.txt", s)
    assert gone.source == "ninhthuan-2021-02.txt"
    prefix = resolve_document(s.index_dir, "travinh-2022-10.txt").doc_id[:8]
    gone2 = remove_document(s.index_dir, prefix, s)
    assert gone2.source == "travinh-2022-10.txt"
    assert sorted(d.source for d in list_documents(s.index_dir)) == [
        "namdinh-2021-08.txt",
        "namdinh-2024.txt",
    ]
    with catalog(s.index_dir) as con:
        for d in (gone, gone2):
            assert _counts(con, d.doc_id) == (0, 0, 0)
    with pytest.raises(DocumentNotFoundError, match="ninhthuan-2021-02.txt"):
        remove_document(s.index_dir, "ninhthuan-2021-02.txt", s)


def test_update_metadata_carries_into_chunks(indexed: tuple[Settings, Path]) -> None:
    s, _ = indexed
    doc = resolve_document(s.index_dir, "travinh-2022-10.txt")
    new = update_metadata(s.index_dir, doc.doc_id, {"period": "2022-Q4", "title": "Báo cáo quý IV"})
    assert (new.period, new.title, new.province) == ("2022-Q4", "Báo cáo quý IV", "Trà Vinh")
    assert resolve_document(s.index_dir, doc.doc_id).period == "2022-Q4"
    with catalog(s.index_dir) as con:
        chunks = load_chunks(con, [doc.doc_id])
    assert chunks and all(c.period == "2022-Q4" and c.title == "Báo cáo quý IV" for c in chunks)
    with pytest.raises(BaocaoError, match="cannot edit"):
        update_metadata(s.index_dir, doc.doc_id, {"text": "x"})


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(os.urandom(512) + b"\x00\x00\x00" + os.urandom(512))
    s = settings_for(tmp_path / "index")
    report = ingest_paths([corpus], s)
    assert sorted(report.added) == REPORTS
    failed = {Path(f).name: why for f, why in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt"}
    assert "empty" in failed["empty.txt"]
    assert "binary" in failed["binary.txt"] or "NUL" in failed["binary.txt"]
    assert "failed" in report.summary() and "2 failed" in report.summary()


def test_metadata_csv_in_the_corpus_dir_is_applied(tmp_path: Path, corpus: Path) -> None:
    (corpus / "metadata.csv").write_text(
        "file,province,period,kind,title\n"
        "travinh-2022-10.txt,Tra Vinh,2022-Q4,,Báo cáo quý IV năm 2022\n"
        "namdinh-2021-08.txt,,,,Tháng tám\n",
        encoding="utf-8",
    )
    s = settings_for(tmp_path / "index")
    report = ingest_paths([corpus], s)
    assert sorted(report.added) == REPORTS and report.failed == []
    docs = {d.source: d for d in list_documents(s.index_dir)}
    tv = docs["travinh-2022-10.txt"]
    assert (tv.province, tv.period, tv.kind, tv.title) == (
        "Trà Vinh",
        "2022-Q4",
        "quarterly",
        "Báo cáo quý IV năm 2022",
    )
    nd = docs["namdinh-2021-08.txt"]
    assert (nd.province, nd.period, nd.title) == (
        "Nam Định",
        "2021-08",
        "Tháng tám",
    )  # empty cells keep inferred
    with catalog(s.index_dir) as con:
        assert all(c.period == "2022-Q4" for c in load_chunks(con, [tv.doc_id]))


def test_embed_pending_is_resumable_and_removes_orphans(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "index", embedder="hash")
    ingest_paths([CORPUS], s)
    total = index_status(s)["chunks"]

    first = embed_pending(s)
    assert first.embedded == total and first.already == 0 and first.orphans_removed == 0
    assert index_status(s)["vectors"] == total

    again = embed_pending(s)
    assert again.embedded == 0 and again.already == total

    # Removed without the store (as after a crash): the next run deletes the stale vectors.
    doc = resolve_document(s.index_dir, "ninhthuan-2021-02.txt")
    with catalog(s.index_dir) as con:
        n_doc = len(load_chunks(con, [doc.doc_id]))
    remove_document(s.index_dir, doc.doc_id)  # no settings: the vectors stay behind
    assert index_status(s)["vectors"] == total
    cleaned = embed_pending(s)
    assert cleaned.orphans_removed == n_doc and cleaned.embedded == 0
    assert index_status(s)["vectors"] == total - n_doc

    # Removed with the store: its vectors go at once.
    doc2 = resolve_document(s.index_dir, "travinh-2022-10.txt")
    with catalog(s.index_dir) as con:
        n_doc2 = len(load_chunks(con, [doc2.doc_id]))
    remove_document(s.index_dir, doc2.doc_id, s)
    assert index_status(s)["vectors"] == total - n_doc - n_doc2

    # `baocao embed --rebuild`: everything again from scratch.
    rebuilt = embed_pending(s, rebuild=True)
    assert rebuilt.embedded == total - n_doc - n_doc2 and rebuilt.already == 0
    assert index_status(s)["vectors"] == total - n_doc - n_doc2


def test_embed_pending_with_embedder_none_does_nothing(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "index")
    ingest_paths([CORPUS / "namdinh-2024.txt"], s)
    report = embed_pending(s)
    assert report.embedded == 0 and report.embedder == ""
    assert index_status(replace(s, embedder="hash"))["vectors"] == 0


def test_an_index_above_the_size_limit_is_left_lexical_unless_embedding_is_asked(tmp_path: Path) -> None:
    from rag.background import BackgroundEmbedder

    s = replace(settings_for(tmp_path / "index", embedder="hash"), embed_max_chunks=10)
    ingest_paths([CORPUS], s)
    total = index_status(s)["chunks"]
    assert total > 10
    left = embed_pending(s)
    assert left.embedded == 0 and left.pending == total
    assert "baocao embed" in left.summary() and "embed_max_chunks" in left.summary()
    assert index_status(s)["vectors"] == 0
    bg = BackgroundEmbedder(s)
    bg._run_once()  # the app's thread: no model loaded, the status line says why answers are lexical
    assert bg.snapshot()["state"] == "lexical" and bg._embedder is None
    assert "baocao embed" in bg.status_text()
    asked = embed_pending(s, explicit=True)  # `baocao embed`
    assert asked.embedded == total and index_status(s)["vectors"] == total
    assert embed_pending(replace(s, embed_max_chunks=0)).already == total  # 0: no limit


def test_mentions_are_keyed_by_existing_chunks(indexed: tuple[Settings, Path]) -> None:
    s, _ = indexed
    with catalog(s.index_dir) as con:
        ids = {c.chunk_id for c in load_chunks(con)}
        mentions = load_mentions(con)
        docs = {d.doc_id: d for d in list_documents(s.index_dir)}
    assert mentions and all(m.chunk_id in ids for m in mentions)
    bts = [m for m in mentions if m.quantity.value == 146 and m.quantity.unit == "vị trí"]
    assert len(bts) == 1
    m = bts[0]
    assert docs[m.doc_id].text[m.start : m.end].startswith("146")


def test_an_unchanged_folder_is_recognised_without_reading_its_files(tmp_path: Path) -> None:
    """Size, modification time and the metadata given for a file decide "unchanged" before it is read;
    a file touched or given other metadata is read again, and its content hash decides."""
    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    s = Settings(index_dir=tmp_path / "index", embedder="none", log_dir=tmp_path / "logs")
    assert not ingest_paths([corpus], s).failed
    path = corpus / "namdinh-2024.txt"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    # Same size, same time, other figures: only a read would notice, and an unchanged folder is not read
    # (the trade-off that makes a 10,000-file folder a few seconds).
    path.write_text(text.replace("146", "641"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert sorted(ingest_paths([corpus], s).unchanged) == REPORTS
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # saved again: read, replaced
    again = ingest_paths([corpus], s)
    assert again.replaced == ["namdinh-2024.txt"]
    assert "641" in resolve_document(s.index_dir, "namdinh-2024.txt").text
    # touched with the same text: read, found unchanged by its hash
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    assert sorted(ingest_paths([corpus], s).unchanged) == REPORTS
    # other metadata given for the folder: the fingerprint differs, the content hash keeps the documents
    other = ingest_paths([corpus], s, {"kind": "monthly"})
    assert sorted(other.unchanged) == REPORTS and not other.replaced


def test_figures_are_read_per_chunk_when_asked(indexed: tuple[Settings, Path]) -> None:
    """The answerer reads a chunk's figures from the catalog when it scores that chunk, and keeps only
    the chunks asked about lately; what it reads is what was stored."""
    from threading import Thread

    from rag.answer.asker import Asker
    from rag.index.catalog import MentionStore

    s, _ = indexed
    with catalog(s.index_dir) as con:
        stored = load_mentions(con)
    by_chunk: dict[str, list] = {}
    for m in stored:
        by_chunk.setdefault(m.chunk_id, []).append(m)
    store = MentionStore(s.index_dir, keep=3)
    got: dict[str, list] = {}

    def read(ids: list[str]) -> None:
        for cid in ids:
            got[cid] = store[cid]

    ids = sorted(by_chunk)
    threads = [Thread(target=read, args=(ids[i::2],)) for i in range(2)]  # one connection per thread
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == by_chunk and len(store._kept) == 3
    assert store.get("nope:0", []) == [] and store.get("nope:0") is None
    with pytest.raises(KeyError):
        store["nope:0"]
    asker = Asker.open(s)
    a = asker.ask("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?").answer
    assert a.value == 146
    assert 0 < len(asker.mentions._kept) < len(by_chunk)  # only the passages scored were read


def test_reports_read_by_worker_processes_are_indexed_as_in_process(tmp_path: Path) -> None:
    """A large batch is chunked by worker processes: the index is the same as one built in-process, a bad
    file among them is still reported, and two names holding one text are still told apart in order."""
    from tools.synthetic import generate_corpus

    src = tmp_path / "src"
    generate_corpus(src, n_docs=26, seed=5)
    first = sorted(src.glob("*.txt"))[0]
    (src / "zz-copy.txt").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")

    def tables(index_dir: Path) -> dict[str, list[tuple]]:
        with sqlite3.connect(index_dir / "catalog.sqlite") as con:
            return {
                t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("chunks", "mentions", "figures", "sources")
            }

    alone = replace(settings_for(tmp_path / "alone"), ingest_workers=1)
    pooled = replace(settings_for(tmp_path / "pooled"), ingest_workers=2)
    a, b = ingest_paths([src], alone), ingest_paths([src], pooled)
    assert len(a.added) == len(b.added) == 27
    assert (a.workers, b.workers) == (1, 2)
    assert a.same_text == b.same_text == [("zz-copy.txt", first.name)]
    assert [Path(f).name for f, _ in b.failed] == ["empty.txt"]
    assert tables(alone.index_dir) == tables(pooled.index_dir)
    assert ingest_paths([src], pooled).unchanged  # and a second pass reads nothing again
    # an index made by a baocao that derived figures differently is re-derived by the workers too
    with sqlite3.connect(pooled.index_dir / "catalog.sqlite") as con:
        con.execute("UPDATE meta SET value='older' WHERE key='derivation'")
        con.execute("DELETE FROM mentions")
    assert ingest_paths([src], pooled).rederived == 26  # the copy's text is one document
    assert tables(alone.index_dir) == tables(pooled.index_dir)
