"""Figures across reports at scale (issue 15, and issue 16's start-up figures): on a generated corpus with
its many-report gold (tools.across_gold), the lexical ingest with the indicator table stored, the re-ingest
of the unchanged folder, the consistency checks, the indicator table loaded, and the answer time of the
series / comparison / ranking / change questions. Prints figures; asserts nothing.

    python -m bench.tables [--docs 1000] [--seed 47]

Targets: a series or comparison answer p50 < 300 ms at 1,000 reports on 2 cores; an unchanged folder of
10,000 reports recognised in < 30 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.run import pct


def bench_tables(n_docs: int, seed: int = 47, items: int = 64) -> None:
    from rag.core.config import Settings
    from rag.figures import check_index, load_rows
    from rag.index.catalog import ingest_paths
    from rag.service import Backend
    from tools.across_gold import build

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        made = build(tmp, n_docs=n_docs, seed=seed, n_items=items)
        print(
            f"[tables] {n_docs} reports and {made['items']} gold tables written in {time.perf_counter() - t:.1f}s"
        )
        s = Settings(index_dir=tmp / "index", embedder="none", log_dir=tmp / "logs")
        t = time.perf_counter()
        rep = ingest_paths([tmp / "corpus"], s)
        lex = time.perf_counter() - t
        print(
            f"[tables] lexical ingest with the indicator table: {lex:.1f}s = {len(rep.added) / lex:.1f} reports/s"
        )
        t = time.perf_counter()
        again = ingest_paths([tmp / "corpus"], s)
        print(
            f"[tables] unchanged folder re-ingested: {len(again.unchanged)} files in {time.perf_counter() - t:.2f}s"
        )
        t = time.perf_counter()
        rows, _ = load_rows(s.index_dir)
        print(f"[tables] indicator table loaded: {len(rows)} rows in {time.perf_counter() - t:.2f}s")
        t = time.perf_counter()
        found = check_index(s.index_dir)
        print(f"[tables] consistency checks: {len(found)} findings in {time.perf_counter() - t:.2f}s")
        gold = [json.loads(x) for x in (tmp / "across.jsonl").read_text(encoding="utf-8").splitlines() if x]
        be = Backend(s)
        be.ask(gold[0]["question_vi"])  # warm: the BM25 table built
        by_kind: dict[str, list[float]] = {}
        for g in gold:
            t = time.perf_counter()
            be.ask(g["question_vi"])
            by_kind.setdefault(g["kind"], []).append((time.perf_counter() - t) * 1000)
        every = [x for xs in by_kind.values() for x in xs]
        print(
            f"[tables] {len(every)} many-report answers: p50 {statistics.median(every):.0f} ms, "
            f"p95 {pct(every, 95):.0f} ms (target p50 < 300 ms at 1,000 reports)"
        )
        for kind, xs in sorted(by_kind.items()):
            print(
                f"[tables]   {kind:8s} n={len(xs):3d} p50 {statistics.median(xs):.0f} ms, p95 {pct(xs, 95):.0f} ms"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=47)
    args = ap.parse_args()
    bench_tables(args.docs, args.seed)


if __name__ == "__main__":
    main()
