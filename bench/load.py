"""Load bench of the app: N concurrent chat clients against a real server on 127.0.0.1, bounded in time.

    python -m bench.load [--clients 20] [--seconds 60] [--endpoint chat|ask] [--index DIR] [--json OUT]

Without --url it builds a lexical index of eval/corpus in a temporary folder (extractive answerer, no
embedder: the bench measures the app and the answerer, not a model), serves it in this process, and
stops it at the end. Each client is one gradio_client session asking the dev questions in turn.
Target (issue 7): p95 < 2 s, zero errors.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?",
    "Doanh thu viễn thông Nam Định tháng 8/2021 ước đạt bao nhiêu?",
    "Tỷ lệ hồ sơ trực tuyến toàn trình của Nam Định năm 2024 là bao nhiêu?",
    "Doanh thu viễn thông Nam Định tháng 8/2021 cao hơn Ninh Thuận tháng 2/2021 bao nhiêu?",
    "Hà Nội năm 2024 có bao nhiêu trạm BTS?",
]


def _questions() -> list[str]:
    gold = ROOT / "eval" / "gold" / "dev.jsonl"
    qs = list(QUESTIONS)
    if gold.exists():
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line)["question_vi"])
    return qs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(q * (len(v) - 1))))]


def run(url: str, clients: int, seconds: float, endpoint: str, timeout: float) -> dict:
    from gradio_client import Client

    qs = _questions()
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline: list[float] = [0.0]
    # The deadline is set as the barrier opens, before any client looks at it (set after the barrier, a
    # fast client could read 0 and stop at once: a run of no requests).
    start = threading.Barrier(clients + 1, action=lambda: deadline.__setitem__(0, time.monotonic() + seconds))

    def client(i: int) -> None:
        try:
            c = Client(url, verbose=False)
        except Exception as exc:
            with lock:
                errors.append(f"connect: {exc!r}")
            start.wait()
            return
        start.wait()
        n = i
        while time.monotonic() < deadline[0]:
            q = qs[n % len(qs)]
            n += clients
            t0 = time.perf_counter()
            try:
                if endpoint == "ask":
                    out = c.submit(q, api_name="/ask").result(timeout=timeout)
                    ok = isinstance(out, dict) and out.get("status") in ("answered", "not_found", "ambiguous")
                else:
                    out = c.submit(q, [], "", "", "", api_name="/chat").result(timeout=timeout)
                    ok = bool(out and out[0] and out[0][-1].get("content"))
                dt = time.perf_counter() - t0
                with lock:
                    if ok:
                        lat.append(dt)
                    else:
                        errors.append(f"bad reply to {q!r}")
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t_start = deadline[0] - seconds
    for t in threads:
        # Bounded: a request still running at the deadline gets `timeout` more seconds, then is abandoned.
        t.join(timeout=max(0.0, deadline[0] + timeout + 5 - time.monotonic()))
    wall = time.monotonic() - t_start
    hung = sum(t.is_alive() for t in threads)
    return {
        "url": url,
        "endpoint": endpoint,
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "errors": len(errors) + hung,
        "error_samples": sorted(set(errors))[:5]
        + ([f"{hung} clients still waiting at the end"] if hung else []),
        "throughput_rps": round(len(lat) / wall, 2) if wall else None,
        "p50_ms": round(1000 * _pct(lat, 0.50), 1) if lat else None,
        "p95_ms": round(1000 * _pct(lat, 0.95), 1) if lat else None,
        "max_ms": round(1000 * max(lat), 1) if lat else None,
        "mean_ms": round(1000 * statistics.fmean(lat), 1) if lat else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--endpoint", choices=["chat", "ask"], default="chat")
    ap.add_argument("--timeout", type=float, default=30.0, help="per request")
    ap.add_argument("--url", default=None, help="an app already running (default: start one here)")
    ap.add_argument("--index", type=Path, default=None, help="index to serve (default: eval/corpus, lexical)")
    ap.add_argument("--json", type=Path, default=ROOT / "artifacts" / "load.json")
    args = ap.parse_args(argv)

    demo = None
    url = args.url
    if url is None:
        from rag.core.config import load_settings
        from rag.index.catalog import ingest_paths
        from rag.ui.app import build_app, launch

        tmp = tempfile.TemporaryDirectory(prefix="baocao-load-")
        index = args.index or Path(tmp.name) / "index"
        settings = load_settings(
            {"index_dir": index, "embedder": "none" if args.index is None else None, "answerer": "extractive"}
        )
        if args.index is None:
            ingest_paths([ROOT / "eval" / "corpus"], settings)
        demo = build_app(settings)
        port = _free_port()
        launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
        url = f"http://127.0.0.1:{port}/"
    try:
        result = run(url, args.clients, args.seconds, args.endpoint, args.timeout)
    finally:
        if demo is not None:
            demo.close()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "error_samples"}, ensure_ascii=False))
    for e in result["error_samples"]:
        print("  error:", e, file=sys.stderr)
    ok = result["errors"] == 0 and result["p95_ms"] is not None and result["p95_ms"] < 2000
    print(f"target p95 < 2000 ms, 0 errors: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
