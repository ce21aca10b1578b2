"""Large single reports: seconds to read, chunk and extract the number mentions of one report of 1, 4 and
16 MB (generated report text, concatenated). Every stage should grow linearly with the size; a stage whose
seconds grow four-fold per doubling is quadratic. Prints figures; asserts nothing.

    python -m bench.large [--mb 1,4,16]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def large_report(directory: Path, mb: float, seed: int = 7) -> Path:
    """A .txt report of about `mb` MB made of generated reports' text, so that its density of figures,
    sentences and headings is that of real ones."""
    from tools.synthetic import generate_corpus

    src = directory / "src"
    if not src.exists():
        generate_corpus(src, n_docs=40, seed=seed, page_breaks=False)
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(src.glob("*.txt")))
    size = int(mb * 1024 * 1024)
    raw = base.encode("utf-8")
    data = (raw + b"\n\n") * (size // (len(raw) + 2) + 1)
    text = data[:size].decode("utf-8", errors="ignore")
    path = directory / f"large-{mb:g}mb.txt"
    path.write_text(text, encoding="utf-8")
    return path


def bench_large(sizes: list[float]) -> None:
    from rag.core.config import Settings
    from rag.ingest.chunk import chunk_document
    from rag.ingest.reports import read_document
    from rag.text.numbers import extract_mentions

    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for mb in sizes:
            path = large_report(tmp, mb)
            t0 = time.perf_counter()
            doc = read_document(path, max_mb=max(settings.max_file_mb, mb + 1))
            t1 = time.perf_counter()
            chunks = list(chunk_document(doc, max_tokens=settings.chunk_tokens))
            t2 = time.perf_counter()
            n = sum(len(extract_mentions(c, doc.text)) for c in chunks)
            t3 = time.perf_counter()
            print(
                f"[large {mb:g} MB] read+normalise {t1 - t0:.2f}s, chunk {t2 - t1:.2f}s ({len(chunks)} chunks), "
                f"mentions {t3 - t2:.2f}s ({n} figures); total {t3 - t0:.2f}s",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", default="1,4,16", help="comma-separated report sizes in MB")
    args = ap.parse_args()
    bench_large([float(x) for x in args.mb.split(",") if x.strip()])


if __name__ == "__main__":
    main()
