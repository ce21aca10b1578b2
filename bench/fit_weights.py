"""Fit the extractive answerer's feature weights and abstention threshold.

Collects every candidate's features for every gold question (dev gold plus a generated corpus), then
random-searches weights that maximise  correct answers + right abstentions - 2 x false answers.
A second generated corpus (another seed) is held out to check the fit generalises. Prints the weights;
copying them into rag/answer.py is a deliberate, reviewed step.

    python -m bench.fit_weights [--docs 100] [--trials 3000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag.answer import ABSTAIN_BELOW, N_PASSAGES, WEIGHTS, Asker, candidate_features, understand
from rag.config import load_settings
from rag.index import ingest_paths
from rag.numbers import normalise_unit

ROOT = Path(__file__).resolve().parent.parent
KEYS = list(WEIGHTS)


def collect(corpus: Path, gold_path: Path, index_dir: Path) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    settings = replace(load_settings({}), index_dir=index_dir, embedder="none")
    ingest_paths([corpus], settings)
    asker = Asker.open(settings)
    asker._refresh()
    rows = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        if g.get("kind") == "cross-doc":
            continue
        info = understand(g["question_vi"], settings)
        from rag.answer import expand_abbreviations

        hits = asker.retriever.search(expand_abbreviations(g["question_vi"]), info.filters, k=N_PASSAGES)
        feats = candidate_features(info, hits, asker._mentions, asker.retriever.idf)
        answerable = g["answer"] is not None
        if answerable:
            unit, scale = normalise_unit(g["unit"])
            gv = g["answer"] * scale
        X = np.array([[f[k] for k in KEYS] for _, _, f, _ in feats], dtype=float).reshape(-1, len(KEYS))
        y = np.array(
            [
                answerable and abs(m.quantity.value * m.quantity.scale - gv) <= 0.005 * abs(gv) + 1e-9
                for m, _, _, _ in feats
            ],
            dtype=bool,
        )
        rows.append((X, y, answerable))
    return rows


def evaluate(rows, w: np.ndarray, tau: float) -> tuple[float, dict]:
    correct = abstain_ok = false = 0
    for X, y, answerable in rows:
        if len(X) == 0:
            abstain_ok += not answerable
            continue
        s = X @ w
        i = int(np.argmax(s))
        if s[i] < tau:
            abstain_ok += not answerable
        elif y[i]:
            correct += 1
        else:
            false += 1
    n = len(rows)
    return (correct + abstain_ok - 2 * false) / n, {
        "correct": correct,
        "abstain_ok": abstain_ok,
        "false": false,
        "n": n,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--trials", type=int, default=3000)
    args = ap.parse_args()
    from rag.synthetic import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        train = collect(ROOT / "eval/corpus", ROOT / "eval/gold/dev.jsonl", tmp / "dev")
        generate_corpus(tmp / "s1", n_docs=args.docs, seed=7)
        train += collect(tmp / "s1", tmp / "s1/gold.jsonl", tmp / "ix1")
        generate_corpus(tmp / "s2", n_docs=args.docs, seed=11)
        held = collect(tmp / "s2", tmp / "s2/gold.jsonl", tmp / "ix2")
    w0 = np.array([WEIGHTS[k] for k in KEYS])
    best = (evaluate(train, w0, ABSTAIN_BELOW)[0], w0, ABSTAIN_BELOW)
    print("current:", evaluate(train, w0, ABSTAIN_BELOW), "held-out:", evaluate(held, w0, ABSTAIN_BELOW))
    rng = np.random.default_rng(0)
    for t in range(args.trials):
        scale = 0.5 if t < args.trials // 2 else 0.2
        w = np.clip(best[1] * np.exp(rng.normal(0, scale, len(KEYS))), 0, 5)
        tau = float(np.clip(best[2] + rng.normal(0, 0.1 * scale), 0.0, 1.5))
        score = evaluate(train, w, tau)[0]
        if score > best[0]:
            best = (score, w, tau)
    print("fitted:", evaluate(train, best[1], best[2]), "held-out:", evaluate(held, best[1], best[2]))
    print(
        "WEIGHTS =", json.dumps({k: round(float(v), 3) for k, v in zip(KEYS, best[1], strict=True)}, indent=4)
    )
    print(f"ABSTAIN_BELOW = {best[2]:.3f}")


if __name__ == "__main__":
    main()
