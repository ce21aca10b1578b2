"""A generated corpus with planted inconsistencies, to measure `baocao check` (issue 15).

Each (province, year) gets one clean report of a month m (2-8) written by tools.synthetic, so the
generator's own random values never make two reports of one year disagree. Some reports then get one
planted inconsistency, written the way an official's slip looks:

- conflict_in: a figure's sentence printed again, lower in the report, with another value;
- conflict_across: a supplementary copy of the report (`<stem>-bosung.txt`) with one figure changed;
- cumulative_down: a later month's report of the same province and year whose running totals rise,
  except one that falls;
- part_over_whole: "N …, trong đó … M …" (same unit) with M made larger than N;
- percent_over_100: a share ("tỷ lệ …") printed over 100%.
The other reports stay clean: every finding on them is a false alarm. `planted.jsonl` lists the plants
(kind, file, the planted figure as printed).

    python -m tools.planted generate OUT_DIR --n 120 --seed 0
    python -m tools.planted eval --seed 2     # what `make eval-check` runs
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from tools.synthetic import (
    PROVINCES,
    TEMPLATES,
    YEARS,
    Ctx,
    Period,
    _page_breaks,
    _write_doc,
    answer_value,
    slug,
    vn_dec,
    vn_int,
)

PLANT_KINDS = ("conflict_in", "conflict_across", "cumulative_down", "part_over_whole", "percent_over_100")
CHECK_KIND = {
    "conflict_in": "conflict",
    "conflict_across": "conflict",
    "cumulative_down": "cumulative_down",
    "part_over_whole": "part_over_whole",
    "percent_over_100": "percent_over_100",
}
CUMULATIVE_TEMPLATES = ("postal_revenue", "internet_subs", "telecom_revenue")
SCALE = {"tỷ đồng": 1e9, "triệu đồng": 1e6, "triệu thuê bao": 1e6}
_SPLIT_UNITS = {"tỷ đồng": "đồng", "triệu đồng": "đồng", "triệu thuê bao": "thuê bao"}
# words a reader takes as "this share is compared with something", where over 100% is no slip
_NOT_A_SHARE = re.compile(r"kế hoạch|chỉ tiêu|so với|tăng|giảm|cùng kỳ|mục tiêu|phấn đấu", re.I)


def _number(printed: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\d.,])" + re.escape(printed) + r"(?![\d]|[.,]\d)")


def _like(printed: str, value: float) -> str:
    """`value` printed the way `printed` is (thousands dots, a decimal comma)."""
    if "," in printed:
        digits = len(printed.split(",")[1])
        return vn_dec(value, digits)
    return vn_int(int(round(value)))


def _changed(printed: str, rng: random.Random) -> str:
    v = float(answer_value(printed))
    for _ in range(20):
        new = _like(
            printed, v * rng.choice((rng.uniform(0.8, 0.97), rng.uniform(1.03, 1.25))) + rng.randint(1, 9)
        )
        if new != printed and float(answer_value(new)) > 0:
            return new
    return _like(printed, v + 11)


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _write(c: Ctx, names: list[str], rng: random.Random) -> str:
    text = _write_doc(c, names)
    return _page_breaks(text, [f.evidence for f in c.facts], rng)


def _templates(rng: random.Random, per: Period, must: tuple[str, ...] = ()) -> list[str]:
    long_ok = per.kind in ("year", "half", "nine")
    pool = [k for k, (_, long_only, _) in TEMPLATES.items() if (long_ok or not long_only) and k not in must]
    chosen = [*must, *rng.sample(pool, k=min(len(pool), rng.randint(14, 20)))]
    chosen.sort(key=list(TEMPLATES).index)
    return chosen


def _single(fact, text: str) -> bool:
    return len(_number(fact.printed).findall(fact.evidence)) == 1 and text.count(fact.evidence) == 1


def generate(out_dir: Path, n_docs: int = 120, seed: int = 0) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"planted:{seed}")
    combos = rng.sample([(p, y) for p, _ in PROVINCES for y in YEARS], n_docs)
    plants: list[dict] = []
    files = 0
    for i, (prov, year) in enumerate(combos):
        kind = PLANT_KINDS[i % 7] if i % 7 < len(PLANT_KINDS) else ""  # 2 in 7 reports stay clean
        drng = random.Random(f"planted:{seed}:{prov}:{year}")
        per = Period("month", year, drng.randint(2, 8))
        c = Ctx(prov, per, drng, drng.uniform(0.4, 2.5))
        names = _templates(drng, per, CUMULATIVE_TEMPLATES if kind == "cumulative_down" else ())
        text = _write(c, names, drng)
        stem = f"{slug(prov)}-{per.code}"
        extra: dict[str, str] = {}
        plant = None
        if kind == "conflict_in":
            facts = [f for f in c.facts if f.unit != "%" and _single(f, text) and "II. " in text]
            if facts:
                f = drng.choice(facts)
                new = _changed(f.printed, drng)
                copy = _number(f.printed).sub(new, f.evidence, count=1)
                head = text.index("\n\nII. ")
                text = text[:head] + "\n\n- " + copy + text[head:]
                plant = {"file": f"{stem}.txt", "printed": new}
        elif kind == "conflict_across":
            facts = [f for f in c.facts if _single(f, text)]
            if facts:
                f = drng.choice(facts)
                new = _changed(f.printed, drng)
                extra[f"{stem}-bosung.txt"] = _replace_once(
                    text, f.evidence, _number(f.printed).sub(new, f.evidence, count=1)
                )
                plant = {"file": f"{stem}-bosung.txt", "printed": new}
        elif kind == "cumulative_down":
            plant = _later_report(c, names, text, prov, year, seed, extra)
        elif kind == "part_over_whole":
            text, plant = _part_over_whole(text, f"{stem}.txt", drng)
        elif kind == "percent_over_100":
            facts = [
                f
                for f in c.facts
                if f.unit == "%"
                and _single(f, text)
                and re.search(r"t[ỷỉ] lệ[^.;:]*$", f.evidence[: f.evidence.index(f.printed)], re.I)
                and not _NOT_A_SHARE.search(f.evidence)
            ]
            if facts:
                f = drng.choice(facts)
                new = vn_dec(drng.uniform(101, 140), 1)
                text = _replace_once(text, f.evidence, _number(f.printed).sub(new, f.evidence, count=1))
                plant = {"file": f"{stem}.txt", "printed": new}
        (out_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
        files += 1
        for name, body in extra.items():
            (out_dir / name).write_text(body, encoding="utf-8")
            files += 1
        if plant:
            plants.append({"kind": kind, **plant})
    with open(out_dir / "planted.jsonl", "w", encoding="utf-8") as fh:
        for p in plants:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    by_kind: dict[str, int] = {}
    for p in plants:
        by_kind[p["kind"]] = by_kind.get(p["kind"], 0) + 1
    return {"files": files, "plants": len(plants), "by_kind": by_kind}


def _later_report(c: Ctx, names, text, prov, year, seed, extra) -> dict | None:
    """A report of a later month whose running totals rise, except one planted to fall."""
    base = {f.key: f for f in c.facts if f.key.endswith("_cum")}
    m2 = min(12, c.per.idx + random.Random(f"later:{seed}:{prov}:{year}").randint(2, 4))
    lrng = random.Random(f"planted-later:{seed}:{prov}:{year}")
    later = Ctx(prov, Period("month", year, m2), lrng, c.size)
    ltext = _write(later, names, lrng)
    common = [f for f in later.facts if f.key in base and _single(f, ltext)]
    if not common:
        return None
    low = lrng.choice(common)
    plant = None
    for f in common:
        b = base[f.key]
        earlier = float(answer_value(b.printed)) * SCALE.get(b.unit, 1.0)
        if _SPLIT_UNITS.get(b.unit, b.unit) != _SPLIT_UNITS.get(f.unit, f.unit):
            return None
        target = earlier * (
            lrng.uniform(0.6, 0.9) if f is low else m2 / c.per.idx * lrng.uniform(0.95, 1.1) + 1
        )
        new = _like(f.printed, target / SCALE.get(f.unit, 1.0))
        if f is not low and float(answer_value(new)) * SCALE.get(f.unit, 1.0) <= earlier:
            new = _like(f.printed, (earlier * 1.2) / SCALE.get(f.unit, 1.0))
        ltext = _replace_once(ltext, f.evidence, _number(f.printed).sub(new, f.evidence, count=1))
        if f is low:
            plant = {"file": f"{slug(prov)}-{later.per.code}.txt", "printed": new}
    extra[f"{slug(prov)}-{later.per.code}.txt"] = ltext
    return plant


_PART = re.compile(
    r"(?P<n>\d{1,3}(?:\.\d{3})+|\d{2,3}) (?P<u>[^\W\d]+(?: [^\W\d]+)?)"
    r"(?P<mid>[^.;\n\d]{0,80}?trong (?:số )?đó[^.;\n\d]{0,80}?)"
    r"(?P<m>\d{1,3}(?:\.\d{3})*) (?P=u)(?!\w)"
)


def _part_over_whole(text: str, file: str, rng: random.Random) -> tuple[str, dict | None]:
    found = list(_PART.finditer(text))
    if not found:
        return text, None
    m = rng.choice(found)
    whole = float(answer_value(m["n"]))
    new = vn_int(int(whole * rng.uniform(1.05, 1.4)) + rng.randint(1, 9))
    return text[: m.start("m")] + new + text[m.end("m") :], {"file": file, "printed": new}


# --------------------------------------------------------------------------- scoring


def score(findings: list[dict], plants: list[dict]) -> dict:
    """Recall (plants found) and precision (findings that are a plant), matched by kind, file and value."""

    def matches(f: dict, p: dict) -> bool:
        if f["kind"] != CHECK_KIND[p["kind"]]:
            return False
        pat = re.compile(r"^" + re.escape(p["printed"]) + r"(?![\d]|[.,]\d)")
        return any(g["source"] == p["file"] and pat.match(g["printed"]) for g in f["figures"])

    found = [p for p in plants if any(matches(f, p) for f in findings)]
    true = [f for f in findings if any(matches(f, p) for p in plants)]
    by_kind = {}
    for k in PLANT_KINDS:
        ps = [p for p in plants if p["kind"] == k]
        by_kind[k] = {"plants": len(ps), "found": sum(p in found for p in ps)}
    return {
        "plants": len(plants),
        "findings": len(findings),
        "recall": round(len(found) / len(plants), 3) if plants else 0.0,
        "precision": round(len(true) / len(findings), 3) if findings else 1.0,
        "by_kind": by_kind,
        "false_alarms": [f["message"] for f in findings if f not in true],
        "missed": [p for p in plants if p not in found],
    }


def evaluate(n_docs: int = 120, seed: int = 2, work: Path | None = None) -> dict:
    """Generate a planted corpus, index it (lexical), run the checks and score them."""
    import tempfile
    import time

    from rag.core.config import Settings
    from rag.figures import check_index
    from rag.index.catalog import ingest_paths

    with tempfile.TemporaryDirectory(prefix="baocao-planted-") as tmp:
        root = Path(work or tmp)
        corpus, index = root / "corpus", root / "index"
        made = generate(corpus, n_docs, seed)
        settings = Settings(index_dir=index, embedder="none", log_dir=root / "logs")
        t0 = time.perf_counter()
        ingest_paths([corpus], settings)
        t1 = time.perf_counter()
        found = check_index(index)
        t2 = time.perf_counter()
        plants = [
            json.loads(line) for line in (corpus / "planted.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        result = score([f.to_dict() for f in found], plants)
    return {
        "seed": seed,
        "files": made["files"],
        **result,
        "ingest_s": round(t1 - t0, 2),
        "check_s": round(t2 - t1, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write a planted corpus and planted.jsonl")
    g.add_argument("out", type=Path)
    g.add_argument("--n", type=int, default=120, help="clean base reports (one per province and year)")
    g.add_argument("--seed", type=int, default=0)
    e = sub.add_parser("eval", help="generate, index, check, score; exit 1 below --min")
    e.add_argument("--n", type=int, default=120)
    e.add_argument("--seed", type=int, default=2)
    e.add_argument("--min", type=float, default=0.9, help="least recall and precision that passes")
    args = ap.parse_args(argv)
    if args.cmd == "generate":
        print(json.dumps(generate(args.out, args.n, args.seed), ensure_ascii=False))
        return 0
    r = evaluate(args.n, args.seed)
    print(
        f"consistency checks on {r['files']} generated reports (seed {r['seed']}), {r['plants']} planted: "
        f"recall {r['recall']:.3f}, precision {r['precision']:.3f} ({r['findings']} findings); "
        f"ingest {r['ingest_s']} s, check {r['check_s']} s"
    )
    for kind, k in r["by_kind"].items():
        print(f"  {kind:18} {k['found']}/{k['plants']}")
    ok = r["recall"] >= args.min and r["precision"] >= args.min
    if not ok:
        print(f"FAIL: recall and precision must be at least {args.min}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
