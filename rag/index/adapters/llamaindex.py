"""Our embedder seen through llama-index's `BaseEmbedding`, so llama-index components embed exactly
as the rest of the pipeline does. Hand the result to components explicitly: setting llama-index's
global `Settings.embed_model` would leak into unrelated code and tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from rag.index.adapters.embedders import Embedder

_ADAPTER_CLASS: Any = None


def _adapter_class() -> Any:
    # Built on first use: subclassing BaseEmbedding needs llama-index imported, which `import rag` avoids.
    global _ADAPTER_CLASS
    if _ADAPTER_CLASS is not None:
        return _ADAPTER_CLASS

    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class LlamaIndexEmbedding(BaseEmbedding):
        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: Embedder, embed_batch_size: int = 32, **kwargs: Any) -> None:
            super().__init__(model_name=embedder.name, embed_batch_size=embed_batch_size, **kwargs)
            self._embedder = embedder

        @classmethod
        def class_name(cls) -> str:
            return "BaocaoEmbedding"

        @property
        def embedder(self) -> Embedder:
            return self._embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_query(query).tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_documents([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_documents(list(texts)).tolist()

        # The embedders are CPU-bound and synchronous; the async variants exist to satisfy the API.
        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embedding(text)

        async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._get_text_embeddings(texts)

    _ADAPTER_CLASS = LlamaIndexEmbedding
    return _ADAPTER_CLASS


def __getattr__(name: str) -> Any:
    # `from rag.index.adapters.llamaindex import LlamaIndexEmbedding` works without importing llama-index eagerly.
    if name == "LlamaIndexEmbedding":
        return _adapter_class()
    raise AttributeError(name)


def as_llamaindex_embedding(embedder: Embedder, embed_batch_size: int = 32) -> BaseEmbedding:
    return _adapter_class()(embedder, embed_batch_size=embed_batch_size)
