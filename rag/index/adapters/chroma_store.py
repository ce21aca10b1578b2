"""Dense vectors in Chroma: embedded on disk next to the index, or a `chroma run` server.

We always hand Chroma our own vectors. Chroma's default embedding function would download a model
on first use, which an offline tool must never do, so collections are created with an embedding
function that refuses to run: a missing vector becomes a clear error instead of a network call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from rag.core.errors import StoreError

META_EMBEDDER = "baocao_embedder"
META_DIM = "baocao_dim"
NO_EMBED_NAME = "baocao-no-embed"
# chromadb builds a client's shared system without a lock: the app's retriever and its background embedder
# opening one path at the same moment failed with "'RustBindingsAPI' object has no attribute 'bindings'".
_CLIENT_INIT = threading.Lock()
_PAGE = 5000  # rows per get() page when listing a whole collection


class VectorStore(Protocol):
    def upsert(
        self, ids: list[str], vectors: np.ndarray, metadatas: list[dict], documents: list[str]
    ) -> None: ...

    def delete_where(self, doc_id: str) -> None: ...

    def delete_ids(self, ids: list[str]) -> None: ...

    def query(
        self,
        vector: np.ndarray,
        k: int,
        ids_in: list[str] | None = None,
        where: dict | None = None,
    ) -> list[tuple[str, float]]: ...

    def existing_ids(self, ids: list[str] | None = None) -> set[str]: ...

    def close(self) -> None: ...

    def count(self) -> int: ...

    def get_vectors(self, ids: list[str]) -> dict[str, np.ndarray]: ...

    def reset(self) -> None: ...


_NO_EMBED_CLASS: Any = None


def _no_embed_function() -> Any:
    """An instance of chromadb's EmbeddingFunction that raises if Chroma ever tries to embed.

    The class subclasses chromadb's, so it is built on first use to keep chromadb out of `import rag`.
    It is registered by name because a reopened collection rebuilds its function from the stored config.
    """
    global _NO_EMBED_CLASS
    if _NO_EMBED_CLASS is None:
        from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
        from chromadb.utils.embedding_functions import (
            known_embedding_functions,
            register_embedding_function,
        )

        class NoEmbeddingFunction(EmbeddingFunction[Documents]):
            def __init__(self) -> None:
                pass

            def __call__(self, input: Documents) -> Embeddings:
                raise StoreError(
                    "the vector store was asked to embed text itself; baocao always passes vectors "
                    "(this is a bug: report it with the command you ran)"
                )

            @staticmethod
            def name() -> str:
                return NO_EMBED_NAME

            def get_config(self) -> dict[str, Any]:
                return {}

            @staticmethod
            def build_from_config(config: dict[str, Any]) -> NoEmbeddingFunction:
                return NoEmbeddingFunction()

            def default_space(self) -> str:
                return "cosine"

            def supported_spaces(self) -> list[str]:
                return ["cosine"]

        if NO_EMBED_NAME in known_embedding_functions:
            # Re-registering a name raises; another copy of this module may have done it already.
            _NO_EMBED_CLASS = known_embedding_functions[NO_EMBED_NAME]
        else:
            _NO_EMBED_CLASS = register_embedding_function(NoEmbeddingFunction)
    return _NO_EMBED_CLASS()


def _clean_meta(meta: dict) -> dict | None:
    """Chroma accepts only scalars (and flat lists) and rejects an empty dict, so coerce here."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, tuple | list):
            items = [v for v in value if v is not None]
            if items:
                out[key] = list(items)
            continue
        if isinstance(value, Path):
            value = str(value)
        out[key] = value
    return out or None


class ChromaStore:
    """Vectors of chunks, keyed by chunk id, with each chunk's metadata (always including `doc_id`)."""

    def __init__(
        self,
        path: Path | None = None,
        url: str = "",
        collection: str = "baocao",
        dim: int | None = None,
        embedder: str = "",
    ) -> None:
        if not path and not url:
            raise StoreError("a vector store needs a directory (--index-dir) or a server URL (--chroma-url)")
        self.path = Path(path) if path else None
        self.url = url
        self.collection_name = collection
        self.dim = int(dim) if dim else None
        self.embedder = embedder
        # Set before chromadb is imported: its settings read the environment once.
        os.environ["ANONYMIZED_TELEMETRY"] = "False"
        with self._guard("open"), _CLIENT_INIT:
            import chromadb
            from chromadb.config import Settings

            settings = Settings(anonymized_telemetry=False)
            if url:
                host, port, ssl = _parse_url(url)
                self._client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
            else:
                assert self.path is not None
                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.path), settings=settings)
            self._max_batch = max(1, int(self._client.get_max_batch_size()))
        self._open()

    # -- connection and errors -------------------------------------------------------------------

    @property
    def where(self) -> str:
        return f"Chroma server {self.url}" if self.url else f"Chroma store {self.path}"

    @contextmanager
    def _guard(self, op: str) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:  # chromadb raises ValueError, ChromaError, httpx and OS errors alike
            hint = ""
            if self.url:
                u = urlparse(self.url)
                hint = (
                    f"; is the server running? start it with `chroma run --path DIR --port {u.port or 8000}`"
                )
            raise StoreError(f"{self.where}: {op} failed: {exc}{hint}") from exc

    def _open(self) -> None:
        with self._guard("open collection"):
            self._col = self._client.get_or_create_collection(
                self.collection_name,
                embedding_function=_no_embed_function(),
                configuration={"hnsw": {"space": "cosine"}},
                metadata=self._wanted_meta() or None,
            )
            meta = dict(self._col.metadata or {})
            n = self._col.count()
        built_with = str(meta.get(META_EMBEDDER, "") or "")
        built_dim = int(meta.get(META_DIM, 0) or 0)
        mismatch = (self.embedder and built_with and built_with != self.embedder) or (
            self.dim and built_dim and built_dim != self.dim
        )
        if mismatch and n == 0:
            # Nothing to lose: an empty collection just takes the new embedder.
            self.reset()
            return
        if mismatch:
            raise StoreError(
                f"{self.where}: the index was built with {built_with or '?'} (dim {built_dim or '?'}) but "
                f"{self.embedder or '?'} (dim {self.dim or '?'}) was asked for; re-embed with "
                f"`baocao embed --rebuild` or use --embedder {built_with}"
            )
        self.embedder = self.embedder or built_with
        self.dim = self.dim or built_dim or None
        if (self.embedder and not built_with) or (self.dim and not built_dim):
            self._record_meta()

    def _wanted_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if self.embedder:
            meta[META_EMBEDDER] = self.embedder
        if self.dim:
            meta[META_DIM] = int(self.dim)
        return meta

    def _record_meta(self) -> None:
        with self._guard("record embedder"):
            meta = dict(self._col.metadata or {})
            meta.update(self._wanted_meta())
            self._col.modify(metadata=meta)

    def reset(self) -> None:
        """Drop every vector and start an empty collection for the current embedder (for --rebuild)."""
        with self._guard("reset"):
            try:
                self._client.delete_collection(self.collection_name)
            except Exception as exc:  # a collection that is already gone is what we want
                if "does not exist" not in str(exc):
                    raise
            self._col = self._client.create_collection(
                self.collection_name,
                embedding_function=_no_embed_function(),
                configuration={"hnsw": {"space": "cosine"}},
                metadata=self._wanted_meta() or None,
            )

    # -- writes ----------------------------------------------------------------------------------

    def upsert(
        self, ids: list[str], vectors: np.ndarray, metadatas: list[dict], documents: list[str]
    ) -> None:
        if len(ids) == 0:
            return
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[0] != len(ids):
            raise StoreError(f"upsert: got {len(ids)} ids but vectors of shape {vecs.shape}")
        if not (len(metadatas) == len(documents) == len(ids)):
            raise StoreError(
                f"upsert: {len(ids)} ids, {len(metadatas)} metadatas and {len(documents)} documents must match"
            )
        if self.dim and vecs.shape[1] != self.dim:
            raise StoreError(
                f"{self.where}: vectors have dimension {vecs.shape[1]} but the index holds {self.dim}; "
                f"re-embed with `baocao embed --rebuild` or use --embedder {self.embedder or '<the one used>'}"
            )
        if not self.dim:
            self.dim = int(vecs.shape[1])
            self._record_meta()
        metas = [_clean_meta(m) for m in metadatas]
        with self._guard("upsert"):
            for i in range(0, len(ids), self._max_batch):
                j = i + self._max_batch
                self._col.upsert(
                    ids=list(ids[i:j]),
                    embeddings=vecs[i:j],
                    metadatas=metas[i:j],  # type: ignore[arg-type]
                    documents=list(documents[i:j]),
                )

    def delete_where(self, doc_id: str) -> None:
        with self._guard("delete"):
            self._col.delete(where={"doc_id": doc_id})

    def delete_ids(self, ids: list[str]) -> None:
        if not ids:
            return
        with self._guard("delete"):
            for i in range(0, len(ids), self._max_batch):
                self._col.delete(ids=list(ids[i : i + self._max_batch]))

    # -- reads -----------------------------------------------------------------------------------

    def query(
        self,
        vector: np.ndarray,
        k: int,
        ids_in: list[str] | None = None,
        where: dict | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, cosine similarity), best first."""
        if k <= 0 or (ids_in is not None and len(ids_in) == 0):
            return []
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        if self.dim and q.shape[0] != self.dim:
            raise StoreError(
                f"{self.where}: query vector has dimension {q.shape[0]} but the index holds {self.dim}; "
                f"use --embedder {self.embedder or '<the one the index was built with>'}"
            )
        kwargs: dict[str, Any] = {}
        if ids_in is not None:
            kwargs["ids"] = list(dict.fromkeys(ids_in))
            k = min(k, len(kwargs["ids"]))
        if where:
            kwargs["where"] = where
        with self._guard("query"):
            res = self._col.query(query_embeddings=[q], n_results=int(k), include=["distances"], **kwargs)
        ids = (res.get("ids") or [[]])[0]
        dists = (res.get("distances") or [[]])[0]
        # Chroma's cosine "distance" is 1 - cosine similarity.
        return [(cid, float(1.0 - d)) for cid, d in zip(ids, dists, strict=True)]

    def existing_ids(self, ids: list[str] | None = None) -> set[str]:
        found: set[str] = set()
        with self._guard("list ids"):
            if ids is None:
                offset = 0
                while True:
                    page = self._col.get(include=[], limit=_PAGE, offset=offset)["ids"]
                    found.update(page)
                    if len(page) < _PAGE:
                        break
                    offset += _PAGE
                return found
            for i in range(0, len(ids), self._max_batch):
                found.update(self._col.get(ids=list(ids[i : i + self._max_batch]), include=[])["ids"])
        return found

    def close(self) -> None:
        """Let go of the client, so that a store opened again on the same path reads the disk afresh
        (chromadb shares one system per path in a process, and keeps serving what it loaded)."""
        close = getattr(self._client, "close", None)
        if close is not None:
            close()

    def count(self) -> int:
        with self._guard("count"):
            return int(self._col.count())

    def get_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        if not ids:
            return out
        with self._guard("get vectors"):
            for i in range(0, len(ids), self._max_batch):
                got = self._col.get(ids=list(ids[i : i + self._max_batch]), include=["embeddings"])
                embs = got.get("embeddings")
                if embs is None:
                    continue
                for cid, v in zip(got["ids"], embs, strict=True):
                    out[cid] = np.asarray(v, dtype=np.float32)
        return out


def _parse_url(url: str) -> tuple[str, int, bool]:
    u = urlparse(url if "://" in url else f"http://{url}")
    if u.scheme not in ("http", "https") or not u.hostname:
        raise StoreError(f"bad Chroma URL {url!r}; expected http://host:port")
    try:
        port = u.port or (443 if u.scheme == "https" else 8000)
    except ValueError as exc:
        raise StoreError(f"bad port in Chroma URL {url!r}; expected http://host:port") from exc
    return u.hostname, port, u.scheme == "https"


def make_store(index_dir: Path, url: str = "", embedder_name: str = "", dim: int = 0) -> ChromaStore:
    """The store for an index: `index_dir/chroma` unless a server URL is given."""
    if url:
        return ChromaStore(url=url, embedder=embedder_name, dim=dim or None)
    return ChromaStore(path=Path(index_dir) / "chroma", embedder=embedder_name, dim=dim or None)
