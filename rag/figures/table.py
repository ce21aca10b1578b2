"""The indicator table: every figure the index holds, with what it reports and where it is printed.
The rows are derived at ingest (rag.ingest.figures) and stored in the catalog; this module reads them."""

from __future__ import annotations

from pathlib import Path

from rag.core.types import Document
from rag.ingest.figures import SENTENCE_END, FigureRow, figure_rows, signature

__all__ = ["SENTENCE_END", "FigureRow", "figure_rows", "load_rows", "signature"]


def load_rows(index_dir: Path) -> tuple[list[FigureRow], dict[str, Document]]:
    """The stored indicator table of an index, with its documents by id (raises IndexNotFoundError)."""
    from rag.index.catalog import catalog, list_documents, load_figures

    docs = {d.doc_id: d for d in list_documents(index_dir)}
    with catalog(index_dir, create=False) as con:
        rows = load_figures(con, docs)
    rows.sort(key=lambda r: (r.province, r.period, r.source, r.start))
    return rows, docs
