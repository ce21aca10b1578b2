"""Writers and readers of one index at once, as the hardening issue measured them. Prints figures.

    python -m bench.writers [--reports 200] [--rounds 10] [--load-seconds 30] [--replace 1000]

1. Two `baocao ingest` processes of REPORTS generated reports each into one fresh index, ROUNDS times:
   both sets indexed, every chunk with its vector, and `list`, `ask`, `embed --rebuild` working after.
2. The app under 20 clients asking in a loop while a CLI ingests and embeds REPORTS more reports:
   failed answers (target 0).
3. Replacing a tenth of REPLACE reports against adding them (mentions had no index by chunk: 42 s vs 2 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    return subprocess.Popen(
        [sys.executable, "-m", "rag.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _split_corpus(out: Path, n: int, seed: int) -> tuple[Path, Path]:
    """2n generated reports in two folders, no file name shared (a name is a report's identity)."""
    from tools.synthetic import generate_corpus

    raw = out / "raw"
    generate_corpus(raw, n_docs=2 * n, seed=seed)
    a, b = out / "a", out / "b"
    a.mkdir()
    b.mkdir()
    files = sorted(p for p in raw.iterdir() if p.suffix == ".txt")
    for i, p in enumerate(files):
        shutil.move(str(p), str((a if i % 2 == 0 else b) / p.name))
    return a, b


def concurrent_ingests(work: Path, n: int, rounds: int) -> None:
    from rag.index.adapters.chroma_store import make_store
    from rag.index.catalog import catalog, list_documents

    a, b = _split_corpus(work / "two", n, seed=5)
    expected = len(list(a.iterdir())) + len(list(b.iterdir()))
    failures = 0
    secs = []
    for r in range(rounds):
        index = work / f"round{r}"
        t0 = time.perf_counter()
        procs = [_cli("--embedder", "hash", "--index", str(index), "ingest", str(d)) for d in (a, b)]
        outs = [p.communicate(timeout=1800) for p in procs]
        secs.append(time.perf_counter() - t0)
        problems = [
            f"ingest rc {p.returncode}: {err.strip()[-300:]}"
            for p, (_, err) in zip(procs, outs, strict=True)
            if p.returncode
        ]
        docs = len(list_documents(index))
        with catalog(index) as con:
            chunks = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        store = make_store(index)
        vectors = store.count()
        store.close()
        if docs != expected:
            problems.append(f"{docs} documents, expected {expected}")
        if vectors != chunks:
            problems.append(f"{vectors} vectors for {chunks} chunks")
        for args in (
            ["list"],
            ["ask", "Số thuê bao di động là bao nhiêu?", "--json"],
            ["embed", "--rebuild"],
        ):
            p = _cli("--embedder", "hash", "--index", str(index), *args)
            _, err = p.communicate(timeout=1800)
            if p.returncode:
                problems.append(f"{args[0]} rc {p.returncode}: {err.strip()[-300:]}")
        failures += bool(problems)
        print(
            f"[writers] round {r + 1}: {secs[-1]:.1f}s, {docs} reports, {chunks} chunks, {vectors} vectors"
            + (f"  FAILED: {'; '.join(problems)}" if problems else ""),
            flush=True,
        )
        shutil.rmtree(index, ignore_errors=True)
    print(
        f"[writers] two concurrent ingests of {n} reports each: {rounds} rounds, {failures} failures "
        f"(target 0); wall per round median {sorted(secs)[len(secs) // 2]:.1f}s"
    )


def app_under_load_while_ingesting(work: Path, n: int, seconds: float) -> None:
    from bench.load import _free_port, run
    from rag.core.config import load_settings
    from rag.index.catalog import embed_pending, ingest_paths
    from rag.ui.app import build_app, launch
    from tools.synthetic import generate_corpus

    index = work / "served"
    settings = load_settings({"index_dir": index, "embedder": "hash", "answerer": "extractive"})
    ingest_paths([ROOT / "eval" / "corpus"], settings)
    embed_pending(settings)
    more = work / "more"
    generate_corpus(more, n_docs=n, seed=9)
    demo = build_app(settings)
    port = _free_port()
    launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    writer: dict[str, object] = {}

    def write() -> None:
        time.sleep(2)
        t0 = time.perf_counter()
        p = _cli("--embedder", "hash", "--index", str(index), "ingest", str(more))
        out, err = p.communicate(timeout=1800)
        writer.update(
            rc=p.returncode, seconds=time.perf_counter() - t0, out=out.strip(), err=err.strip()[-300:]
        )

    t = threading.Thread(target=write)
    t.start()
    try:
        result = run(f"http://127.0.0.1:{port}/", clients=20, seconds=seconds, endpoint="ask", timeout=30)
    finally:
        t.join()
        demo.close()
    print(
        f"[app+ingest] 20 clients x {seconds:.0f}s while a CLI ingested and embedded {n} reports "
        f"(rc {writer.get('rc')}, {writer.get('seconds', 0):.1f}s): {result['requests']} answers, "
        f"{result['throughput_rps']} answers/s, {result['errors']} failed (target 0), "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms"
    )
    for e in result["error_samples"]:
        print("  error:", e)
    if writer.get("rc"):
        print("  writer:", writer.get("err"))


def replace_a_tenth(work: Path, n: int) -> None:
    from rag.core.config import load_settings
    from rag.index.catalog import ingest_paths
    from tools.synthetic import generate_corpus

    corpus = work / "many"
    generate_corpus(corpus, n_docs=n, seed=13)
    settings = load_settings({"index_dir": work / "many-index", "embedder": "none"})
    t0 = time.perf_counter()
    added = ingest_paths([corpus], settings)
    add_s = time.perf_counter() - t0
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")[: n // 10]
    for p in files:
        p.write_text(
            p.read_text(encoding="utf-8") + "\nGhi chú: số liệu đã được cập nhật.\n", encoding="utf-8"
        )
    t0 = time.perf_counter()
    replaced = ingest_paths([corpus], settings)
    rep_s = time.perf_counter() - t0
    print(
        f"[replace] {len(added.added)} reports added in {add_s:.1f}s; then {len(replaced.replaced)} replaced "
        f"and {len(replaced.unchanged)} unchanged in {rep_s:.1f}s"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--load-seconds", type=float, default=30.0)
    ap.add_argument("--replace", type=int, default=1000)
    ap.add_argument("--only", choices=["writers", "app", "replace"], default=None)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="baocao-writers-") as tmp:
        work = Path(tmp)
        if args.only in (None, "writers"):
            concurrent_ingests(work, args.reports, args.rounds)
        if args.only in (None, "app"):
            app_under_load_while_ingesting(work, args.reports, args.load_seconds)
        if args.only in (None, "replace"):
            replace_a_tenth(work, args.replace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
