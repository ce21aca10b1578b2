"""Gold many-report questions (series, comparison, ranking, change) over a generated corpus, written from
the generator's own figures: every report's facts are known, so each gold cell is a printed value and
each report that does not print the figure is a cell that must stay empty.

    python -m tools.across_gold OUT_DIR --n 300 --seed 31 --items 64
writes the corpus into OUT_DIR/corpus and the gold into OUT_DIR/across.jsonl; then
    baocao eval --gold OUT_DIR/across.jsonl --corpus OUT_DIR/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from tools.synthetic import QUESTIONS, generate_corpus

PER_KIND = {"compare": 0.3, "rank": 0.25, "series": 0.25, "change": 0.2}


def _base(value: float, unit: str) -> float:
    from rag.text.numbers import normalise_unit

    return value * normalise_unit(unit)[1] if unit else value


def _render(key: str, rng: random.Random, P: str, T: str) -> str:
    vi = rng.choice(QUESTIONS[key][1]).replace("trong {T}", "{T}")
    q = vi.format(P=P, T=T, N="")
    return q[0].upper() + q[1:]


def build(out: Path, n_docs: int = 300, seed: int = 31, n_items: int = 64) -> dict:
    corpus = Path(out) / "corpus"
    facts_by_file: dict = {}
    generate_corpus(corpus, n_docs, seed, facts_out=facts_by_file)
    (corpus / "gold.jsonl").unlink(missing_ok=True)  # the one-figure gold is another set
    rng = random.Random(f"across:{seed}")
    docs = []
    for spec, facts in facts_by_file.values():
        docs.append((spec, {f.key: f for f in facts if "{N}" not in " ".join(QUESTIONS[f.key][1])}))
    by_period = defaultdict(list)
    by_prov_year = defaultdict(list)
    by_prov = defaultdict(list)
    for spec, facts in docs:
        by_period[spec.period.code].append((spec, facts))
        by_prov_year[(spec.province, spec.period.year)].append((spec, facts))
        by_prov[spec.province].append((spec, facts))
    items: list[dict] = []
    want = {k: round(n_items * f) for k, f in PER_KIND.items()}
    seen: set = set()

    def add(kind: str, item: dict) -> None:
        if item["question_vi"] in seen:
            return
        seen.add(item["question_vi"])
        items.append(
            {
                "id": f"across-{seed}-{kind}-{sum(i['kind'] == kind for i in items) + 1:03d}",
                "kind": kind,
                **item,
            }
        )

    # comparison and ranking: one period, the provinces that reported it
    periods = [p for p, ds in by_period.items() if len(ds) >= 3]
    for kind in ("compare", "rank"):
        for _ in range(400):
            if sum(i["kind"] == kind for i in items) >= want[kind] or not periods:
                break
            code = rng.choice(periods)
            ds = by_period[code]
            keys = sorted({k for _, f in ds for k in f})
            key = rng.choice(keys)
            have = [(s, f[key]) for s, f in ds if key in f]
            if len(have) < 2:
                continue
            per = ds[0][0].period
            T = rng.choice(per.question_phrases())
            cells = [{"key": s.province, "value": f.value, "unit": f.unit} for s, f in have]
            absent = sorted(s.province for s, f in ds if key not in f)
            base = _render(key, rng, rng.choice(("các tỉnh", "từng tỉnh")), T)
            if kind == "compare":
                add(
                    kind,
                    {"question_vi": base, "cells": cells, "absent": absent, "indicator": key, "period": code},
                )
                continue
            high = rng.random() < 0.7
            ranked = sorted(have, key=lambda sf: _base(sf[1].value, sf[1].unit), reverse=high)
            if _base(ranked[0][1].value, ranked[0][1].unit) == _base(ranked[1][1].value, ranked[1][1].unit):
                continue
            tail = rng.choice(
                (", tỉnh nào cao nhất?", ", tỉnh nào nhiều nhất?")
                if high
                else (", tỉnh nào thấp nhất?", ", tỉnh nào ít nhất?")
            )
            add(
                kind,
                {
                    "question_vi": base.rstrip("?") + tail,
                    "cells": cells,
                    "absent": absent,
                    "top": ranked[0][0].province,
                    "indicator": key,
                    "period": code,
                },
            )
    # series: the months of one year of one province
    groups = [(k, v) for k, v in by_prov_year.items() if sum(s.period.kind == "month" for s, _ in v) >= 3]
    for _ in range(400):
        if sum(i["kind"] == "series" for i in items) >= want["series"] or not groups:
            break
        (prov, year), ds = rng.choice(groups)
        months = [(s, f) for s, f in ds if s.period.kind == "month"]
        keys = sorted({k for _, f in months for k in f})
        key = rng.choice(keys)
        have = [(s, f[key]) for s, f in months if key in f]
        if len(have) < 2:
            continue
        T = rng.choice((f"qua các tháng năm {year}", f"theo từng tháng năm {year}"))
        add(
            "series",
            {
                "question_vi": _render(key, rng, prov, T),
                "cells": [{"key": s.period.code, "value": f.value, "unit": f.unit} for s, f in have],
                "absent": sorted(s.period.code for s, f in months if key not in f),
                "indicator": key,
                "province": prov,
            },
        )
    # change: two reports of the same kind of period of one province
    provs = sorted(by_prov)
    for _ in range(600):
        if sum(i["kind"] == "change" for i in items) >= want["change"]:
            break
        prov = rng.choice(provs)
        ds = by_prov[prov]
        pairs = [
            (a, b)
            for a in ds
            for b in ds
            if a[0].period.kind == b[0].period.kind and a[0].period.code < b[0].period.code
        ]
        if not pairs:
            continue
        (sa, fa), (sb, fb) = rng.choice(pairs)
        keys = sorted(set(fa) & set(fb))
        if not keys:
            continue
        key = rng.choice(keys)
        a, b = fa[key], fb[key]
        if _base(a.value, a.unit) == _base(b.value, b.unit):
            continue
        T = f"{rng.choice(sb.period.question_phrases())} so với {rng.choice(sa.period.question_phrases())}"
        change_base = _base(b.value, b.unit) - _base(a.value, a.unit)
        add(
            "change",
            {
                "question_vi": _render(key, rng, prov, T),
                "cells": [
                    {"key": sa.period.code, "value": a.value, "unit": a.unit},
                    {"key": sb.period.code, "value": b.value, "unit": b.unit},
                ],
                "absent": [],
                "change": change_base / _base(1, b.unit),
                "change_unit": b.unit,
                "indicator": key,
                "province": prov,
            },
        )
    gold = Path(out) / "across.jsonl"
    with open(gold, "w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for it in items:
        counts[it["kind"]] += 1
    return {"items": len(items), "by_kind": dict(counts), "docs": n_docs, "seed": seed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--items", type=int, default=64)
    args = ap.parse_args(argv)
    print(json.dumps(build(args.out, args.n, args.seed, args.items), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
