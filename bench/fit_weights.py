"""Fit the extractive answerer's feature weights, abstention threshold and ambiguity margin.

Collects every candidate's features for every gold question (dev gold plus a generated corpus), then
random-searches weights, threshold and margin that maximise
    correct answers + right abstentions - 3 x false answers.
A second generated corpus (another seed) is held out to check the fit generalises. Prints the values;
copying them into rag/candidates.py and rag/answer.py is a deliberate, reviewed step.

    python -m bench.fit_weights [--docs 100] [--trials 3000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from rag.answer.asker import N_PASSAGES, Asker
from rag.answer.candidates import WEIGHTS, candidate_features
from rag.answer.decide import ABSTAIN_BELOW, AMBIGUOUS_WITHIN
from rag.answer.understand import understand
from rag.core.config import load_settings
from rag.index.catalog import ingest_paths
from rag.text.numbers import normalise_unit

ROOT = Path(__file__).resolve().parent.parent
KEYS = list(WEIGHTS)
FALSE_COST = 3.0


@dataclass
class Row:
    X: np.ndarray  # candidates x features
    y: np.ndarray  # candidate is the gold figure
    values: np.ndarray  # candidate value x scale: two candidates with one value are one answer
    answerable: bool
    weight: float = 1.0


def collect(corpus: Path, gold_path: Path, index_dir: Path, weight: float = 1.0) -> list[Row]:
    settings = replace(load_settings({}), index_dir=index_dir, embedder="none")
    ingest_paths([corpus], settings)
    asker = Asker.open(settings)
    asker.refresh()
    rows = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        if g.get("kind") == "cross-doc":
            continue
        info = understand(g["question_vi"])
        hits = asker.retriever.search(info.search_text, info.filters, k=N_PASSAGES)
        feats = candidate_features(info, hits, asker.mentions, asker.retriever.idf)
        answerable = g["answer"] is not None
        gv = 0.0
        if answerable:
            _, scale = normalise_unit(g["unit"])
            gv = g["answer"] * scale
        values = np.array([m.quantity.value * m.quantity.scale for m, _, _, _ in feats], dtype=float)
        X = np.array([[f[k] for k in KEYS] for _, _, f, _ in feats], dtype=float).reshape(-1, len(KEYS))
        y = answerable & (np.abs(values - gv) <= 0.005 * abs(gv) + 1e-9)
        rows.append(Row(X, y.astype(bool), values, answerable, weight))
    return rows


def evaluate(rows: list[Row], w: np.ndarray, tau: float, margin: float) -> tuple[float, dict]:
    correct = abstain_ok = false = ambiguous = 0.0
    for r in rows:
        if len(r.X) == 0:
            abstain_ok += r.weight * (not r.answerable)
            continue
        s = r.X @ w
        i = int(np.argmax(s))
        rivals = s[np.abs(r.values - r.values[i]) > 1e-9 * max(1.0, abs(r.values[i]))]
        gap = s[i] - rivals.max() if len(rivals) else 1.0
        if s[i] < tau:
            abstain_ok += r.weight * (not r.answerable)
        elif gap < margin:
            ambiguous += r.weight
            abstain_ok += r.weight * (not r.answerable)
        elif r.y[i]:
            correct += r.weight
        else:
            false += r.weight
    n = sum(r.weight for r in rows)
    return (correct + abstain_ok - FALSE_COST * false) / n, {
        "correct": correct,
        "abstain_ok": abstain_ok,
        "ambiguous": ambiguous,
        "false": false,
        "n": n,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--trials", type=int, default=3000)
    args = ap.parse_args()
    from tools.synthetic import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Real reports count three times: the generated ones teach variety, the real ones are the product.
        dev = collect(ROOT / "eval/corpus", ROOT / "eval/gold/dev.jsonl", tmp / "dev", weight=3.0)
        train = list(dev)
        generate_corpus(tmp / "s1", n_docs=args.docs, seed=7)
        train += collect(tmp / "s1", tmp / "s1/gold.jsonl", tmp / "ix1")
        generate_corpus(tmp / "s2", n_docs=args.docs, seed=11)
        held = collect(tmp / "s2", tmp / "s2/gold.jsonl", tmp / "ix2")
    w0 = np.array([WEIGHTS[k] for k in KEYS])
    best = (
        evaluate(train, w0, ABSTAIN_BELOW, AMBIGUOUS_WITHIN)[0],
        w0,
        ABSTAIN_BELOW,
        AMBIGUOUS_WITHIN,
    )
    print("current:", evaluate(train, *best[1:])[1], "held-out:", evaluate(held, *best[1:])[1])
    rng = np.random.default_rng(0)
    for t in range(args.trials):
        scale = 0.5 if t < args.trials // 2 else 0.2
        w = np.clip(best[1] * np.exp(rng.normal(0, scale, len(KEYS))), 0, 5)
        tau = float(np.clip(best[2] + rng.normal(0, 0.1 * scale), 0.0, 3.0))
        margin = float(np.clip(best[3] + rng.normal(0, 0.05 * scale), 0.0, 0.5))
        score = evaluate(train, w, tau, margin)[0]
        if score > best[0]:
            best = (score, w, tau, margin)
    print("fitted:", evaluate(train, *best[1:])[1], "held-out:", evaluate(held, *best[1:])[1])
    print("dev alone (x3):", evaluate(dev, *best[1:])[1])
    print(
        "WEIGHTS =", json.dumps({k: round(float(v), 3) for k, v in zip(KEYS, best[1], strict=True)}, indent=4)
    )
    print(f"ABSTAIN_BELOW = {best[2]:.3f}\nAMBIGUOUS_WITHIN = {best[3]:.3f}")


if __name__ == "__main__":
    main()
