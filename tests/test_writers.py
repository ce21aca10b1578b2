"""The index under the ways people really use it: two writers at once, a reader while another process
writes, an upgrade of baocao, an embedding run that was killed, one file name in two folders, one text
under two names, links out of the report folder, paths too long to open. Real SQLite and Chroma on
temp dirs; other processes are real processes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.answer.asker import Asker
from rag.core.config import Settings
from rag.core.errors import DocumentNotFoundError, IndexBusyError
from rag.index.catalog import (
    catalog,
    embed_pending,
    ingest_paths,
    list_documents,
    load_chunks,
    pending_vectors,
    remove_name,
    resolve_document,
    resolve_name,
    writer_lock,
)
from rag.ingest.reports import find_reports
from rag.retrieve import Retriever

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"


def settings_for(index_dir: Path, embedder: str = "none", **kw) -> Settings:
    return Settings(index_dir=index_dir, embedder=embedder, log_dir=index_dir / "logs", **kw)


def report_text(province: str, month: int, sites: int) -> str:
    return (
        f"UBND TỈNH {province.upper()}\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\n"
        f"BÁO CÁO\nTình hình hoạt động thông tin và truyền thông tháng {month} năm 2021\n\n"
        "I. KẾT QUẢ THỰC HIỆN\n\n1. Bưu chính, viễn thông\n\n"
        f"Trong tháng đã thẩm định, chấp thuận {sites} vị trí xây dựng trạm BTS cho các doanh nghiệp.\n"
        f"Tổng số thuê bao di động trên địa bàn là {sites * 1000 + 7} thuê bao.\n"
    )


def write_reports(folder: Path, province: str, n: int, base: int = 10) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"{province.lower().replace(' ', '')}-{i:03d}.txt"
        p.write_text(report_text(province, 1 + i % 12, base + i), encoding="utf-8")
        out.append(p)
    return out


def cli(*args: str, env_extra: dict[str, str] | None = None, timeout: float = 300) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    env.update(env_extra or {})
    return subprocess.Popen(
        [sys.executable, "-m", "rag.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


# --- one writer at a time -------------------------------------------------------------------------


def test_two_concurrent_ingests_both_land_and_the_index_keeps_working(tmp_path: Path) -> None:
    """Two `baocao ingest` processes on one index: the second waits for the first; afterwards both sets
    are there, and list, ask and embed work (they crashed, and Chroma's segment broke, before)."""
    index = tmp_path / "index"
    a = write_reports(tmp_path / "a", "Nam Định", 12)
    b = write_reports(tmp_path / "b", "Ninh Thuận", 12, base=40)
    args = ("--embedder", "hash", "--index", str(index), "ingest")
    p1 = cli(*args, str(tmp_path / "a"))
    p2 = cli(*args, str(tmp_path / "b"))
    out1, err1 = p1.communicate(timeout=300)
    out2, err2 = p2.communicate(timeout=300)
    assert p1.returncode == 0, err1
    assert p2.returncode == 0, err2
    assert "12 added" in out1 and "12 added" in out2
    docs = list_documents(index)
    assert len(docs) == len(a) + len(b)
    s = settings_for(index, "hash")
    assert pending_vectors(s) == 0
    with catalog(index) as con:
        n_chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    from rag.index.adapters.chroma_store import make_store

    assert make_store(index).count() == n_chunks
    listed = cli("--index", str(index), "list")
    assert listed.wait(timeout=60) == 0, listed.stderr.read()
    ask = cli(
        "--embedder",
        "hash",
        "--index",
        str(index),
        "ask",
        "Ninh Thuận tháng 3 năm 2021 chấp thuận bao nhiêu vị trí BTS?",
        "--json",
    )
    out, err = ask.communicate(timeout=120)
    assert ask.returncode == 0, err
    assert '"value": 42' in out
    again = cli("--embedder", "hash", "--index", str(index), "embed", "--rebuild")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{n_chunks} chunks embedded" in out


def test_a_second_writer_waits_with_a_message_then_stops_cleanly(tmp_path: Path) -> None:
    index = tmp_path / "index"
    write_reports(tmp_path / "r", "Nam Định", 2)
    with writer_lock(index):
        p = cli(
            "--index",
            str(index),
            "--embedder",
            "none",
            "ingest",
            str(tmp_path / "r"),
            env_extra={"BAOCAO_LOCK_TIMEOUT": "1"},
        )
        out, err = p.communicate(timeout=60)
    assert p.returncode == 1
    assert "being written by another baocao process" in err and "waiting" in err
    assert "still being written" in err and "Traceback" not in err
    # Released while it waits: it goes on.
    holder_done = threading.Event()

    def hold() -> None:
        with writer_lock(index):
            holder_done.wait(2)

    t = threading.Thread(target=hold)
    t.start()
    time.sleep(0.3)
    p = cli("--index", str(index), "--embedder", "none", "ingest", str(tmp_path / "r"))
    time.sleep(1.0)
    holder_done.set()
    out, err = p.communicate(timeout=60)
    t.join()
    assert p.returncode == 0, err
    assert "waiting" in err and "2 added" in out


def test_writer_lock_times_out_in_process(tmp_path: Path) -> None:
    index = tmp_path / "index"
    ready, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(index):
            ready.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    ready.wait(5)
    try:
        with pytest.raises(IndexBusyError, match="still being written"):
            with writer_lock(index, timeout=0.2):
                pass
    finally:
        release.set()
        t.join()


# --- readers never break ----------------------------------------------------------------------------


class _BrokenStore:
    """A vector store (the VectorStore interface) whose queries fail as Chroma's did while another
    process wrote it: "Error finding id"."""

    def query(self, vector, k, ids_in=None, where=None):
        raise RuntimeError("Error finding id")

    def count(self) -> int:
        return 1

    def close(self) -> None:
        pass


def test_a_failing_dense_query_falls_back_to_lexical_with_a_warning(tmp_path: Path, caplog) -> None:
    s = settings_for(tmp_path / "index", "hash")
    ingest_paths([CORPUS], s)
    embed_pending(s)
    r = Retriever.open(s)
    q = "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?"
    good = r.search(q, k=3)
    assert r._dense_ready() and any(h.dense is not None for h in good)
    r._store = _BrokenStore()
    with caplog.at_level("WARNING", logger="baocao.retrieve"):
        hits = r.search(q, k=3)
    assert hits and all(h.dense is None for h in hits)
    assert hits[0].chunk.chunk_id == r.search(q, k=3, dense_weight=0.0)[0].chunk.chunk_id
    assert any("dense retrieval failed" in m for m in caplog.messages)
    # the store is reopened afterwards: dense scores come back
    assert any(h.dense is not None for h in r.search(q, k=3))


def test_a_live_reader_sees_reports_another_process_ingests_and_embeds(tmp_path: Path) -> None:
    index = tmp_path / "index"
    write_reports(tmp_path / "first", "Nam Định", 3)
    s = settings_for(index, "hash")
    ingest_paths([tmp_path / "first"], s)
    embed_pending(s)
    asker = Asker.open(s)
    assert asker.ask("Nam Định tháng 1 năm 2021 chấp thuận bao nhiêu vị trí BTS?").answer.value == 10
    write_reports(tmp_path / "second", "Trà Vinh", 3, base=70)
    p = cli("--embedder", "hash", "--index", str(index), "ingest", str(tmp_path / "second"))
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    res = asker.ask("Trà Vinh tháng 2 năm 2021 chấp thuận bao nhiêu vị trí BTS?")
    assert res.answer.value == 71
    assert any(h.dense is not None for h in res.hits)  # the new vectors are seen, not an error


def test_concurrent_questions_in_threads_while_the_index_changes(tmp_path: Path) -> None:
    """The app answers its users in threads while uploads land: every answer is whole and right."""
    index = tmp_path / "index"
    write_reports(tmp_path / "a", "Nam Định", 6)
    s = settings_for(index)
    ingest_paths([tmp_path / "a"], s)
    asker = Asker.open(s)
    errors: list[BaseException] = []
    values: list[float | None] = []

    def ask_many() -> None:
        try:
            for _ in range(15):
                values.append(
                    asker.ask("Nam Định tháng 4 năm 2021 chấp thuận bao nhiêu vị trí BTS?").answer.value
                )
        except BaseException as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)

    threads = [threading.Thread(target=ask_many) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(3):
        write_reports(tmp_path / f"more{i}", "Trà Vinh", 2, base=100 + 10 * i)
        ingest_paths([tmp_path / f"more{i}"], replace(s))
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    assert values and set(values) == {13}


# --- an upgrade, a killed embedding -------------------------------------------------------------------


def test_a_changed_derivation_re_derives_instead_of_keeping_old_chunks(tmp_path: Path) -> None:
    """Ingest after an upgrade (here: another chunk budget) re-derives chunks and figures; before, it
    said "unchanged" and kept what the old code made."""
    s = settings_for(tmp_path / "index")
    ingest_paths([CORPUS], s)
    with catalog(s.index_dir) as con:
        before = len(load_chunks(con))
    smaller = replace(s, chunk_tokens=120)
    report = ingest_paths([CORPUS], smaller)
    assert len(report.unchanged) == 4 and report.rederived == 4
    assert "4 reports re-derived" in report.summary()
    with catalog(s.index_dir) as con:
        after = len(load_chunks(con))
        names = con.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    assert after > before and names == 4
    assert ingest_paths([CORPUS], smaller).rederived == 0  # recorded: once only


def test_a_re_derived_index_ranks_as_a_fresh_build_of_it(tmp_path: Path) -> None:
    """The saved lexical tables of the old derivation are dropped: the re-cut passages are not scored
    beside the old ones' statistics (which a handful of added reports may be), so an upgrade answers
    as a fresh build does."""
    s = settings_for(tmp_path / "index")
    ingest_paths([CORPUS], s)
    Retriever.open(s)  # the tables of this derivation, saved
    smaller = replace(s, chunk_tokens=120)
    assert ingest_paths([CORPUS], smaller).rederived == 4
    fresh = replace(smaller, index_dir=tmp_path / "fresh")
    ingest_paths([CORPUS], fresh)
    upgraded, built = Retriever.open(smaller), Retriever.open(fresh)
    assert upgraded.idf == built.idf
    for query in ("doanh thu viễn thông", "thẩm định vị trí trạm BTS", "hồ sơ trực tuyến"):
        got = [(h.chunk.chunk_id, round(h.score, 6)) for h in upgraded.search(query, k=8)]
        assert got == [(h.chunk.chunk_id, round(h.score, 6)) for h in built.search(query, k=8)]


def test_a_schema_1_index_is_migrated_and_re_derived(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "index")
    ingest_paths([CORPUS / "namdinh-2024.txt"], s)
    db = s.index_dir / "catalog.sqlite"
    con = sqlite3.connect(db)
    with con:  # what an index of schema 1 looked like: no names table, no vector flags, no derivation
        con.execute("DROP TABLE sources")
        con.execute("ALTER TABLE chunks DROP COLUMN vector")
        con.execute("DELETE FROM meta WHERE key='derivation'")
        con.execute("UPDATE meta SET value='1' WHERE key='schema'")
    con.close()
    assert resolve_document(s.index_dir, "namdinh-2024.txt").province == "Nam Định"
    report = ingest_paths([CORPUS], s)
    assert report.rederived == 1 and len(report.added) == 3 and report.unchanged == ["namdinh-2024.txt"]
    with catalog(s.index_dir) as con:
        idx = {r[1] for r in con.execute("PRAGMA index_list(mentions)")}
    assert "mentions_chunk" in idx


class _InterruptingEmbedder:
    """The hash embedder's interface, interrupted after its first batch as a Ctrl-C or a kill would."""

    def __init__(self) -> None:
        from rag.index.adapters.embedders import make_embedder

        self.inner = make_embedder("hash")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.calls = 0

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls > 1:
            raise KeyboardInterrupt
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_ingest_after_a_killed_embedding_embeds_what_is_missing(tmp_path: Path) -> None:
    index = tmp_path / "index"
    s = settings_for(index, "hash", embed_batch=16)
    ingest_paths([CORPUS], s)
    with catalog(index) as con:
        total = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    with pytest.raises(KeyboardInterrupt):
        embed_pending(s, embedder=_InterruptingEmbedder())
    assert pending_vectors(s) == total - 16
    p = cli("--embedder", "hash", "--index", str(index), "ingest", str(CORPUS))
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    assert "4 unchanged" in out
    assert f"{total - 16} chunks still lack vectors" in err
    assert f"embed: {total - 16} chunks embedded, 16 already had vectors" in out
    assert pending_vectors(s) == 0


# --- names ------------------------------------------------------------------------------------------------


def test_one_file_name_in_two_folders_is_two_reports(tmp_path: Path) -> None:
    top = tmp_path / "reports"
    for year, sites in (("2021", 11), ("2024", 22)):
        (top / year).mkdir(parents=True)
        (top / year / "baocao-thang8.txt").write_text(
            report_text("Nam Định", 8, sites).replace("2021", year), encoding="utf-8"
        )
    s = settings_for(tmp_path / "index")
    report = ingest_paths([top], s)
    assert sorted(report.added) == ["2021/baocao-thang8.txt", "2024/baocao-thang8.txt"]
    assert len(list_documents(s.index_dir)) == 2
    assert resolve_document(s.index_dir, "2024/baocao-thang8.txt").period == "2024-08"
    with pytest.raises(DocumentNotFoundError, match="several reports are named 'baocao-thang8.txt'"):
        resolve_document(s.index_dir, "baocao-thang8.txt")
    assert ingest_paths([top], s).unchanged == ["2021/baocao-thang8.txt", "2024/baocao-thang8.txt"]


def test_one_text_under_two_names_is_one_document_reachable_by_both(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    text = report_text("Trà Vinh", 5, 33)
    (d / "a.txt").write_text(text, encoding="utf-8")
    (d / "b.txt").write_text(text, encoding="utf-8")
    s = settings_for(tmp_path / "index")
    report = ingest_paths([d], s)
    assert sorted(report.added) == ["a.txt", "b.txt"] and report.same_text == [("b.txt", "a.txt")]
    docs = list_documents(s.index_dir)
    assert len(docs) == 1
    assert resolve_name(s.index_dir, "b.txt") == (docs[0], "b.txt")
    gone = remove_name(s.index_dir, "b.txt", s)
    assert not gone.whole and gone.names_left == ("a.txt",)
    assert len(list_documents(s.index_dir)) == 1
    with pytest.raises(DocumentNotFoundError):
        resolve_name(s.index_dir, "b.txt")
    # the shown name moves to one that is left when the shown one goes
    ingest_paths([d / "b.txt"], s)
    remove_name(s.index_dir, "a.txt", s)
    (doc,) = list_documents(s.index_dir)
    assert doc.source == "b.txt"
    with catalog(s.index_dir) as con:
        assert {c.source for c in load_chunks(con)} == {"b.txt"}
    assert remove_name(s.index_dir, "b.txt", s).whole
    assert list_documents(s.index_dir) == []


def test_a_changed_file_under_one_of_two_names_splits_them(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    (d / "a.txt").write_text(report_text("Trà Vinh", 5, 33), encoding="utf-8")
    (d / "b.txt").write_text(report_text("Trà Vinh", 5, 33), encoding="utf-8")
    s = settings_for(tmp_path / "index")
    ingest_paths([d], s)
    (d / "b.txt").write_text(report_text("Trà Vinh", 5, 44), encoding="utf-8")
    report = ingest_paths([d], s)
    assert report.replaced == ["b.txt"] and report.unchanged == ["a.txt"]
    values = sorted(
        Asker.open(s).ask("Trà Vinh tháng 5 năm 2021 chấp thuận bao nhiêu vị trí BTS?", doc=n).answer.value
        for n in ("a.txt", "b.txt")
    )
    assert values == [33, 44]


# --- what a folder may hold ---------------------------------------------------------------------------------


def test_links_out_of_the_folder_are_not_followed_unless_asked(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "passwords.txt"
    secret.parent.mkdir()
    secret.write_text("mật khẩu quản trị: 123456 vị trí", encoding="utf-8")
    d = tmp_path / "reports"
    write_reports(d, "Nam Định", 1)
    (d / "leak.txt").symlink_to(secret)
    (d / "inside.txt").symlink_to(d / "namđịnh-000.txt")
    found, skipped = find_reports([d])
    names = [n for _, n in found]
    assert "leak.txt" not in names and "inside.txt" in names
    assert skipped and "outside" in skipped[0][1] and "--follow-links" in skipped[0][1]
    s = settings_for(tmp_path / "index")
    report = ingest_paths([d], s)
    assert any("leak.txt" in f for f, _ in report.failed)
    assert all("passwords" not in doc.path for doc in list_documents(s.index_dir))
    found, skipped = find_reports([d], follow_links=True)
    assert "leak.txt" in [n for _, n in found] and not skipped


def test_a_path_too_long_to_open_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    d = tmp_path / "reports"
    write_reports(d, "Nam Định", 2)
    # Nest folders (made relative to an open folder, as a deep share or unzip makes them) until the
    # whole path is longer than PATH_MAX.
    fd = os.open(d, os.O_RDONLY)
    depth = 0
    try:
        while depth * 200 < 4300:
            name = "x" * 199
            os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
            depth += 1
        with os.fdopen(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as fh:
            fh.write(report_text("Nam Định", 9, 99))
    finally:
        os.close(fd)
    s = settings_for(tmp_path / "index")
    report = ingest_paths([d], s)
    assert len(report.added) == 2
    assert report.failed and "cannot be read" in report.failed[0][1]
    shutil.rmtree(d, ignore_errors=True)


def test_mentions_are_indexed_by_chunk(tmp_path: Path) -> None:
    """Replacing a report deletes its chunks' mentions: without this index each delete scanned them all."""
    s = settings_for(tmp_path / "index")
    ingest_paths([CORPUS / "namdinh-2024.txt"], s)
    with catalog(s.index_dir) as con:
        plan = " ".join(
            str(r) for r in con.execute("EXPLAIN QUERY PLAN DELETE FROM mentions WHERE chunk_id = 'x'")
        )
    assert "mentions_chunk" in plan


def test_vectors_of_unchanged_chunks_survive_a_re_derivation(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "index", "hash")
    ingest_paths([CORPUS], s)
    first = embed_pending(s)
    assert first.embedded > 0
    with catalog(s.index_dir) as con:
        con.execute("UPDATE meta SET value='old' WHERE key='derivation'")
        con.commit()
    report = ingest_paths([CORPUS], s)
    assert report.rederived == 4
    assert pending_vectors(s) == 0  # same code, same chunks: nothing to embed again
    again = embed_pending(s)
    assert again.embedded == 0 and again.already == first.embedded
    assert np.isfinite(again.seconds)


def test_the_apps_reindex_keeps_every_report_under_its_own_name(tmp_path: Path) -> None:
    """Re-reading reports known as `2021/x.txt` and `2024/x.txt` keeps those names (re-reading each file
    by its path alone would have named both `x.txt`, and the second would have replaced the first)."""
    from rag.service import Backend

    top = tmp_path / "reports"
    for year, sites in (("2021", 11), ("2024", 22)):
        (top / year).mkdir(parents=True)
        (top / year / "x.txt").write_text(
            report_text("Nam Định", 8, sites).replace("2021", year), encoding="utf-8"
        )
    s = settings_for(tmp_path / "index")
    ingest_paths([top], s)
    (top / "2024" / "x.txt").write_text(
        report_text("Nam Định", 8, 23).replace("2021", "2024"), encoding="utf-8"
    )
    out = Backend(s).reindex()
    assert "1 cập nhật" in out and "1 không đổi" in out
    with catalog(s.index_dir) as con:
        names = [r[0] for r in con.execute("SELECT source FROM sources ORDER BY source")]
    assert names == ["2021/x.txt", "2024/x.txt"]
    assert len(list_documents(s.index_dir)) == 2


def test_a_server_reloads_at_most_every_reload_interval(tmp_path: Path) -> None:
    """A long ingest by another process costs a server one reload per interval, not one per report."""
    s = settings_for(tmp_path / "index")
    write_reports(tmp_path / "a", "Nam Định", 2)
    ingest_paths([tmp_path / "a"], s)
    r = Retriever.open(s, reload_interval=60.0)
    seen = r.version
    write_reports(tmp_path / "b", "Trà Vinh", 2)
    ingest_paths([tmp_path / "b"], s)
    r.search("BTS")
    assert r.version == seen  # within the interval: the snapshot it has
    r.refresh(force=True)
    assert r.version > seen and len(r.documents) == 4
    eager = Retriever.open(s)  # the CLI's: every question sees the last write
    write_reports(tmp_path / "c", "Kon Tum", 1)
    ingest_paths([tmp_path / "c"], s)
    eager.search("BTS")
    assert len(eager.documents) == 5
