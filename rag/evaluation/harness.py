"""Gold sets, per-item scoring, metrics, baselines: evaluation as data.

A run is a list of rows, one per gold item, each saying what was asked, what came back and whether it
was right. Every aggregate (overall, by kind, by document) is computed from those rows by `metrics()`
and nothing else, so a number in a report can always be traced to the rows under it and a baseline is
just a saved run that can be diffed item by item.

Scoring rules (stated once, here):
- A number is correct when `rag.text.numbers.same_value` says it is the gold figure: equal after unit and
  scale normalisation within 0.5% relative ("10.000 triệu đồng" == 10 tỷ đồng), with compatible base
  units ("trạm" ~ "trạm BTS", never "%" ~ "thuê bao"); a side without a unit compares as printed.
- An unanswerable item (gold answer null) is correct when the tool declined (not_found or ambiguous);
  a row whose pipeline raised an error is never correct.
- A false answer is a row with status "answered" that is not correct: an answer to an unanswerable
  question, or a wrong number stated as fact. Abstaining on an answerable item is a miss, not a
  false answer.
- Retrieval metrics count answerable items only: for an unanswerable item the gold evidence is the
  misleading passage, and retrieving it is not a success.
- A passage holds the evidence when, after folding (case, diacritics, tone-mark placement) and
  collapsing whitespace, it contains the evidence, or the evidence's longest clause that carries a
  figure (a quantity `parse_quantities` finds; dates do not count) and is at least 20 characters. The second rule counts a hit when the evidence straddles a chunk
  boundary but the passage holds the part with the figure.
- Cross-document items join evidence parts with " || ". Such an item's hit rank is the rank by which
  every part has been retrieved (the worst of the parts' first ranks): one report alone cannot answer.
- Passages are ranked in the order the pipeline returned them; equal scores keep that order.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rag.core.config import Settings
from rag.core.errors import BaocaoError, ConfigError, GoldFormatError

REQUIRED_KEYS = (
    "id",
    "doc",
    "province",
    "period",
    "question_vi",
    "question_en",
    "answer",
    "unit",
    "evidence",
    "kind",
)
PART_SEP = " || "
REL_TOL = 0.005
FRAGMENT_MIN_CHARS = 20
MIN_DEPTH = 5  # hit_at_5 needs five passages whatever --k is

# Metric name -> True when higher is better. The order is the order of every printed table.
METRICS: dict[str, bool] = {
    "numeric_accuracy": True,
    "abstention_accuracy": True,
    "false_answer_rate": False,
    "hit_at_1": True,
    "hit_at_5": True,
    "mrr": True,
    "latency_ms.p50": False,
    "latency_ms.p95": False,
}
# Machines differ in speed far more than 2%, and a loaded CI box adds hundreds of ms to a few questions
# (seen on the dev set: p95 40 -> 257 ms with nothing changed). Latency regresses only past this factor
# plus a slack; the slow-downs worth blocking (a model reloaded per question) are far larger.
LATENCY_FACTOR = 3.0
LATENCY_SLACK_MS = 250.0


# --- gold ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldItem:
    id: str
    doc: str
    province: str
    period: str
    question_vi: str
    question_en: str
    answer: float | None
    unit: str
    evidence: str
    kind: str
    line: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def answerable(self) -> bool:
        return self.answer is not None

    @property
    def docs(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.doc.split(PART_SEP.strip()) if p.strip())

    @property
    def evidence_parts(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.evidence.split(PART_SEP.strip()) if p.strip())


def gold_records(path: Path) -> Iterator[tuple[int, str, Any]]:
    """(line number, "file:line", parsed JSON) for each non-blank line of a JSONL gold file; a file that
    cannot be read or a line that is not JSON is a GoldFormatError naming it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise GoldFormatError(f"gold file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"cannot read gold file {path}: {exc}") from exc
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{no}"
        try:
            yield no, where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc


def load_gold(path: Path) -> list[GoldItem]:
    """Read a JSONL gold set. Blank lines are skipped; anything else malformed names its line."""
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for no, where, obj in gold_records(path):
        item = _gold_item(obj, where, no)
        if item.id in seen:
            raise GoldFormatError(f"{where}: id {item.id!r} already used on line {seen[item.id]}")
        seen[item.id] = no
        items.append(item)
    if not items:
        raise GoldFormatError(f"gold file {path} holds no items")
    return items


_NULLABLE_WHEN_UNANSWERABLE = ("unit", "evidence", "doc")


def _gold_item(obj: Any, where: str, no: int) -> GoldItem:
    if not isinstance(obj, dict):
        raise GoldFormatError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in obj]
    if missing:
        raise GoldFormatError(f"{where}: missing key(s) {', '.join(missing)}")
    answer = obj["answer"]
    # bool is an int to Python; true/false in a gold file is a mistake, not the number 1/0.
    if answer is not None and (isinstance(answer, bool) or not isinstance(answer, (int, float))):
        raise GoldFormatError(f"{where}: 'answer' must be a number or null, not {answer!r}")
    if isinstance(answer, float) and not math.isfinite(answer):
        raise GoldFormatError(f"{where}: 'answer' must be a finite number, not {answer!r}")
    # "No answer" is naturally written with nulls: an unanswerable item has no unit, no evidence and
    # often no report (it asks about one the corpus lacks), so those keys may be null there.
    optional = _NULLABLE_WHEN_UNANSWERABLE if answer is None else ()
    obj = {k: ("" if k in optional and v is None else v) for k, v in obj.items()}
    for key in REQUIRED_KEYS:
        if key != "answer" and not isinstance(obj[key], str):
            allowed = (
                " (null is allowed only for unanswerable items)" if key in _NULLABLE_WHEN_UNANSWERABLE else ""
            )
            raise GoldFormatError(f"{where}: {key!r} must be a string, not {obj[key]!r}{allowed}")
    for key in ("id", "question_vi", "kind") + (("doc",) if answer is not None else ()):
        if not obj[key].strip():
            raise GoldFormatError(f"{where}: {key!r} is empty")
    if answer is not None and not obj["evidence"].strip():
        raise GoldFormatError(f"{where}: an answerable item needs its 'evidence' passage")
    extra = {k: v for k, v in obj.items() if k not in REQUIRED_KEYS}
    return GoldItem(
        id=obj["id"],
        doc=obj["doc"],
        province=obj["province"],
        period=obj["period"],
        question_vi=obj["question_vi"],
        question_en=obj["question_en"],
        answer=None if answer is None else float(answer),
        unit=obj["unit"],
        evidence=obj["evidence"],
        kind=obj["kind"],
        line=no,
        extra=extra,
    )


@dataclass(frozen=True)
class SummaryPoint:
    point_vi: str
    numbers: tuple[float, ...]
    evidence: str


@dataclass(frozen=True)
class SummaryGold:
    file: str
    province: str
    period: str
    title: str
    points: tuple[SummaryPoint, ...]


def load_summary_gold(path: Path) -> dict[str, SummaryGold]:
    """Read `*_summaries.json`: {file: {province, period, title, points: [{point_vi, numbers, evidence}]}}."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GoldFormatError(f"summary gold {path} does not exist") from exc
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"cannot read summary gold {path}: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise GoldFormatError(f"{path}: expected a non-empty object keyed by report file")
    out: dict[str, SummaryGold] = {}
    for file, rep in data.items():
        where = f"{path}: {file!r}"
        if not isinstance(rep, dict):
            raise GoldFormatError(f"{where}: expected an object")
        for key in ("province", "period", "title"):
            if not isinstance(rep.get(key), str):
                raise GoldFormatError(f"{where}: {key!r} must be a string")
        points = rep.get("points")
        if not isinstance(points, list) or not points:
            raise GoldFormatError(f"{where}: 'points' must be a non-empty list")
        parsed = []
        for i, p in enumerate(points, 1):
            pw = f"{where} point {i}"
            if not isinstance(p, dict):
                raise GoldFormatError(f"{pw}: expected an object")
            if not isinstance(p.get("point_vi"), str) or not p["point_vi"].strip():
                raise GoldFormatError(f"{pw}: 'point_vi' must be a non-empty string")
            if not isinstance(p.get("evidence"), str):
                raise GoldFormatError(f"{pw}: 'evidence' must be a string")
            nums = p.get("numbers")
            if not isinstance(nums, list) or any(
                isinstance(n, bool) or not isinstance(n, (int, float)) for n in nums
            ):
                raise GoldFormatError(f"{pw}: 'numbers' must be a list of numbers")
            parsed.append(SummaryPoint(p["point_vi"], tuple(float(n) for n in nums), p["evidence"]))
        out[file] = SummaryGold(file, rep["province"], rep["period"], rep["title"], tuple(parsed))
    return out


# --- per-item scoring ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    from rag.text.gazetteer import fold

    return " ".join(fold(unicodedata.normalize("NFC", text)).split())


# Not ":" — in these reports a colon introduces the figure ("ước đạt: 10.000 triệu đồng").
_CLAUSE_SPLIT = re.compile(r"[.;!?](?=\s)|[\n()\[\]]|\s[-–]\s|,\s")


def evidence_keys(evidence: str) -> tuple[str, ...]:
    """What a passage must contain to hold this evidence part: the whole of it, or its key clause."""
    whole = _fold(evidence)
    if not whole:
        return ()
    from rag.text.numbers import parse_quantities

    # A figure, not a date: "tháng 8 năm 2021" alone does not make a clause the one holding the answer.
    frags = [
        _fold(f)
        for f in _CLAUSE_SPLIT.split(evidence)
        if len(_fold(f)) >= FRAGMENT_MIN_CHARS and parse_quantities(f)
    ]
    keys = [whole]
    if frags:
        best = max(frags, key=len)
        if best != whole:
            keys.append(best)
    return tuple(keys)


def hit_rank(evidence: str, passages: list[str]) -> int | None:
    """1-based rank at which the evidence (every ` || ` part of it) has been retrieved, or None."""
    parts = [p for p in evidence.split(PART_SEP.strip()) if p.strip()]
    if not parts:
        return None
    folded = [_fold(t) for t in passages]
    worst = 0
    for part in parts:
        keys = evidence_keys(part)
        first = next((i for i, t in enumerate(folded, 1) if any(k in t for k in keys)), None)
        if first is None:
            return None
        worst = max(worst, first)
    return worst


def value_matches(gold_value: float, gold_unit: str, value: float | None, unit: str, scale: float) -> bool:
    """Whether an answered (value, unit, scale) is the gold figure: `rag.text.numbers.same_value`, 0.5%."""
    from rag.text.numbers import same_value

    if value is None:
        return False
    return same_value(value, unit, gold_value, gold_unit, REL_TOL, a_scale=scale or 1.0)


def score_item(
    item: GoldItem,
    status: str,
    value: float | None,
    unit: str,
    scale: float,
    retrieved: list[dict[str, Any]],
    latency_ms: float,
    text: str = "",
    prompt_id: str | None = None,
    error: str = "",
) -> dict[str, Any]:
    """One row: the gold, what came back, and the per-item verdicts every metric is computed from."""
    if item.answerable:
        correct = status == "answered" and value_matches(item.answer, item.unit, value, unit, scale)
        rank = hit_rank(item.evidence, [r["text"] for r in retrieved])
    else:
        # A crash is not an abstention: it would otherwise score as a correct "no answer".
        correct = status not in ("answered", "error")
        rank = None
    return {
        "id": item.id,
        "question": item.question_vi,
        "kind": item.kind,
        "doc": item.doc,
        "difficulty": item.extra.get("difficulty", ""),
        "paraphrase_of": item.extra.get("paraphrase_of", ""),
        "answerable": item.answerable,
        "gold_value": item.answer,
        "gold_unit": item.unit,
        "evidence": item.evidence,
        "status": status,
        "value": value,
        "unit": unit,
        "scale": scale,
        "answer_text": text,
        "correct": bool(correct),
        "hit_rank": rank,
        "latency_ms": round(latency_ms, 2),
        "prompt_id": prompt_id,
        "error": error,
        "retrieved": retrieved,
    }


# --- metrics: from rows only -----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), q in [0, 100]."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _mean(flags: Iterable[float]) -> float | None:
    xs = list(flags)
    return round(sum(xs) / len(xs), 4) if xs else None


def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The aggregate figures of a set of rows. A rate over an empty set is None, never 0."""
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    ranks = [r["hit_rank"] for r in ans]
    lat = [r["latency_ms"] for r in rows]
    p50, p95 = percentile(lat, 50), percentile(lat, 95)
    return {
        "n": len(rows),
        "n_answerable": len(ans),
        "n_unanswerable": len(una),
        "numeric_accuracy": _mean(r["correct"] for r in ans),
        "abstention_accuracy": _mean(r["correct"] for r in una),
        "false_answer_rate": _mean(r["status"] == "answered" and not r["correct"] for r in rows),
        "hit_at_1": _mean(rk is not None and rk <= 1 for rk in ranks),
        "hit_at_5": _mean(rk is not None and rk <= 5 for rk in ranks),
        "mrr": _mean(1.0 / rk if rk else 0.0 for rk in ranks),
        "latency_ms": {
            "p50": None if p50 is None else round(p50, 2),
            "p95": None if p95 is None else round(p95, 2),
        },
        "errors": sum(1 for r in rows if r["status"] == "error"),
        **paraphrase_consistency(rows),
    }


def paraphrase_consistency(rows: list[dict[str, Any]]) -> dict[str, float]:
    """For a set of paraphrases (rows carrying `paraphrase_of`): the share of questions whose every
    paraphrase got the same answer (status and value), and the mean share of a question's paraphrases
    that give its most common answer. Nothing for other sets."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for r in rows:
        if r.get("paraphrase_of"):
            value = None if r["value"] is None else round(float(r["value"]) * float(r["scale"] or 1.0), 6)
            groups.setdefault(r["paraphrase_of"], []).append((r["status"], value))
    if not groups:
        return {}
    return {
        "paraphrase_all_same": round(sum(len(set(v)) == 1 for v in groups.values()) / len(groups), 4),
        "paraphrase_agreement": round(
            sum(max(v.count(x) for x in v) / len(v) for v in groups.values()) / len(groups), 4
        ),
    }


def breakdown(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return breakdown_by(rows, key, metrics)


def breakdown_by(rows: list[dict[str, Any]], key: str, measure) -> dict[str, dict[str, Any]]:
    """`measure` of each group of rows that share `key`."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r[key]), []).append(r)
    return {k: measure(v) for k, v in sorted(groups.items())}


def metric_value(run: dict[str, Any], name: str) -> float | None:
    """A metric by its dotted name ("hit_at_5", "latency_ms.p95")."""
    cur: Any = run
    for part in name.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur if isinstance(cur, (int, float)) and not isinstance(cur, bool) else None


def assemble(rows: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, Any]:
    """A run: the metrics of its rows, their breakdowns, the config that produced them, the rows."""
    run = metrics(rows)
    run["by_kind"] = breakdown(rows, "kind")
    run["by_doc"] = breakdown(rows, "doc")
    run["config"] = {**config, "prompt_ids": sorted({r["prompt_id"] for r in rows if r.get("prompt_id")})}
    run["items"] = rows
    return run


# --- baselines, floors, regressions ----------------------------------------------------------------


def compare(run: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    deltas = {}
    for name in ("n", *METRICS):
        a, b = metric_value(run, name), metric_value(baseline, name)
        deltas[name] = {
            "baseline": b,
            "run": a,
            "delta": None if a is None or b is None else round(a - b, 4),
        }
    old = {r["id"]: r for r in baseline.get("items", [])}
    new = {r["id"]: r for r in run.get("items", [])}
    both = [i for i in new if i in old]
    return {
        "metrics": deltas,
        "newly_wrong": [i for i in both if old[i]["correct"] and not new[i]["correct"]],
        "newly_right": [i for i in both if new[i]["correct"] and not old[i]["correct"]],
        "added": [i for i in new if i not in old],
        "removed": [i for i in old if i not in new],
    }


def parse_floor_spec(spec: str) -> dict[str, float]:
    """ "numeric_accuracy=0.9,hit_at_5=0.95" -> {name: bound}. Lower-is-better metrics get a ceiling."""
    out: dict[str, float] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        name, sep, raw = part.partition("=")
        name = name.strip()
        if not sep or name not in METRICS:
            raise ConfigError(
                f"--fail-under: {part!r} is not METRIC=NUMBER with METRIC one of {', '.join(METRICS)}"
            )
        try:
            out[name] = float(raw)
        except ValueError as exc:
            raise ConfigError(f"--fail-under: {raw.strip()!r} is not a number (in {part!r})") from exc
    if not out:
        raise ConfigError("--fail-under: no METRIC=NUMBER given")
    return out


def check_floor(run: dict[str, Any], spec: str) -> list[str]:
    failures = []
    for name, bound in parse_floor_spec(spec).items():
        got = metric_value(run, name)
        if got is None:
            failures.append(f"{name} was not measured (no items it applies to); floor {bound}")
        elif METRICS[name] and got < bound:
            failures.append(f"{name} {got:.4g} is below the floor {bound:.4g}")
        elif not METRICS[name] and got > bound:
            failures.append(f"{name} {got:.4g} is above the ceiling {bound:.4g}")
    return failures


def regressions(run: dict[str, Any], baseline: dict[str, Any], tolerance: float = 0.02) -> list[str]:
    """What got worse than the baseline by more than `tolerance` (latency: by more than x3 + 250 ms)."""
    out = []
    if run.get("n") != baseline.get("n"):
        out.append(
            f"the gold set changed ({baseline.get('n')} items in the baseline, {run.get('n')} now): "
            "run `make eval-accept` to record a new baseline deliberately"
        )
    for name, higher_better in METRICS.items():
        a, b = metric_value(run, name), metric_value(baseline, name)
        if b is None:
            continue
        if a is None:
            out.append(f"{name} was {b:.4g} in the baseline and is not measured now")
            continue
        if name.startswith("latency_ms."):
            if a > b * LATENCY_FACTOR + LATENCY_SLACK_MS:
                out.append(f"{name} {a:.1f} ms vs {b:.1f} ms in the baseline (> x{LATENCY_FACTOR:g})")
        elif higher_better and a < b - tolerance - 1e-9:
            out.append(f"{name} fell from {b:.4g} to {a:.4g} (tolerance {tolerance:g})")
        elif not higher_better and a > b + tolerance + 1e-9:
            out.append(f"{name} rose from {b:.4g} to {a:.4g} (tolerance {tolerance:g})")
    return out


def for_baseline(run: dict[str, Any], keep_chars: int = 160) -> dict[str, Any]:
    """The run as stored in eval/baseline.json: every row kept, passages cut short."""
    items = []
    for r in run.get("items", []):
        short = [{**p, "text": p["text"][:keep_chars]} for p in r.get("retrieved", [])]
        items.append({**r, "retrieved": short})
    return {**run, "items": items}


# --- atomic output ---------------------------------------------------------------------------------


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename: an interrupt leaves the old file or none."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        # mkstemp makes the file private (0600); an eval report is meant to be shared like any output.
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def load_run(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaocaoError(
            f"baseline {path} does not exist: record one with `make eval-accept` (baocao eval --accept)"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaocaoError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(data, dict) or "items" not in data:
        raise BaocaoError(f"{path} is not an eval run (no 'items'); write one with `baocao eval --json`")
    return data


# --- running the pipelines -------------------------------------------------------------------------


def _package_hash() -> str:
    # The cached index must be rebuilt when the code that builds it changes, not only the corpus.
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]  # the whole `rag` package
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def corpus_hash(corpus_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(corpus_dir).rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts):
            h.update(str(p.relative_to(corpus_dir)).encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def default_index_dir(corpus_dir: Path, settings: Settings, root: Path = Path(".cache/eval-index")) -> Path:
    """A cache folder keyed by the corpus contents, the settings that shape an index, and the code."""
    key = json.dumps(
        {
            "corpus": corpus_hash(corpus_dir),
            "embedder": settings.embedder,
            "chunk_tokens": settings.chunk_tokens,
            "max_file_mb": settings.max_file_mb,
            "code": _package_hash(),
        },
        sort_keys=True,
    )
    return root / hashlib.sha256(key.encode()).hexdigest()[:16]


def git_commit(cwd: Path | None = None) -> str:
    """The commit of the code being evaluated (the checkout this package lives in), or ""."""
    cwd = cwd or Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _passage(chunk: Any, score: float) -> dict[str, Any]:
    return {
        "chunk_id": chunk.chunk_id,
        "source": chunk.source,
        "section": chunk.section_path,
        "text": chunk.text,
        "score": round(float(score), 4),
    }


Progress = Callable[[int, int], None]


def run_eval(
    gold: list[GoldItem],
    corpus_dir: Path,
    settings: Settings,
    pipeline: str = "default",
    k: int = 5,
    progress: Progress | None = None,
    embedder: Any = None,
) -> dict[str, Any]:
    """Index `corpus_dir` (into settings.index_dir) and answer every gold question with `pipeline`."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise BaocaoError(f"corpus {corpus_dir} is not a folder")
    depth = max(k, MIN_DEPTH)
    if embedder is None and settings.embedder != "none":
        from rag.index.adapters.embedders import make_embedder

        embedder = make_embedder(settings.embedder, threads=settings.embed_threads)
    if pipeline == "default":
        ask, chunker = _default_pipeline(corpus_dir, settings, embedder)
    elif pipeline == "naive":
        ask, chunker = _naive_pipeline(corpus_dir, settings, embedder)
    else:
        raise ConfigError(f"unknown pipeline {pipeline!r}: default or naive")
    rows = []
    for i, item in enumerate(gold):
        if progress:
            progress(i, len(gold))
        t0 = time.perf_counter()
        try:
            answer, hits = ask(item.question_vi, depth)
        except BaocaoError as exc:
            # One question the pipeline refuses must not hide the other 76; the row records why.
            rows.append(
                score_item(
                    item, "error", None, "", 1.0, [], (time.perf_counter() - t0) * 1000, error=str(exc)
                )
            )
            continue
        ms = (time.perf_counter() - t0) * 1000
        retrieved = [_passage(h.chunk, h.score) for h in hits[:depth]]
        rows.append(
            score_item(
                item,
                answer.status.value,  # rows are plain JSON records
                answer.value,
                answer.unit,
                answer.scale,
                retrieved,
                ms,
                text=answer.text,
                prompt_id=answer.prompt_id,
            )
        )
    if progress:
        progress(len(gold), len(gold))
    config = {
        "pipeline": pipeline,
        "embedder": getattr(embedder, "name", "none"),
        "chunker": chunker,
        "chunk_tokens": settings.chunk_tokens,
        "dense_weight": settings.dense_weight if pipeline == "default" else 1.0,
        "answerer": "llm" if settings.uses_llm and pipeline == "default" else "extractive",
        "llm_model": settings.llm_model if settings.uses_llm else "",
        "k": k,
        "depth": depth,
        "corpus": str(corpus_dir),
        "corpus_hash": corpus_hash(corpus_dir)[:16],
        "index_dir": str(settings.index_dir) if pipeline == "default" else "",
        "git_commit": git_commit(),
    }
    return assemble(rows, config)


def _default_pipeline(corpus_dir: Path, settings: Settings, embedder: Any):
    """The product itself: ingest + embed into the index, then `Asker.ask`, as `baocao ask` does."""
    from rag.answer.asker import Asker
    from rag.index.catalog import embed_pending, ingest_paths

    report = ingest_paths([corpus_dir], settings)
    if report.failed and not (report.added or report.replaced or report.unchanged):
        raise BaocaoError(
            f"no report of {corpus_dir} could be indexed: " + "; ".join(f"{f}: {w}" for f, w in report.failed)
        )
    if embedder is not None:
        embed_pending(settings, embedder=embedder)
    asker = Asker.open(settings, embedder=embedder)

    def ask(question: str, depth: int):
        res = asker.ask(question, k=depth)
        return res.answer, res.hits

    return ask, f"section-aware, <= {settings.chunk_tokens} tokens"


NAIVE_CHUNK_TOKENS = 512
NAIVE_OVERLAP = 64


def naive_chunks(corpus_dir: Path, settings: Settings) -> tuple[list[Any], list[Any]]:
    """llama-index SentenceSplitter over each report's text: (chunks, mentions).

    The chunks carry their report's metadata (as a llama-index reader would carry file metadata) but
    no headings, and retrieval applies no filters: the answerer gets the same kind of input as in the
    default pipeline, so the comparison isolates chunking and retrieval.
    """
    from rag.core.types import Chunk
    from rag.ingest.reports import iter_input_files, load_metadata_csv, read_document
    from rag.text import tokens
    from rag.text.numbers import extract_mentions

    tokens.encoding()  # verifies and points tiktoken at the offline vocabulary before llama-index asks
    from llama_index.core.node_parser import SentenceSplitter

    splitter = SentenceSplitter(chunk_size=NAIVE_CHUNK_TOKENS, chunk_overlap=NAIVE_OVERLAP)
    chunks: list[Chunk] = []
    mentions: list[Any] = []
    csv_cache: dict[Path, dict[str, dict]] = {}
    for path in iter_input_files([corpus_dir]):
        if path.parent not in csv_cache:
            csv_cache[path.parent] = load_metadata_csv(path.parent)
        doc = read_document(
            path, overrides=csv_cache[path.parent].get(path.name, {}), max_mb=settings.max_file_mb
        )
        cursor = 0
        for n, piece in enumerate(splitter.split_text(doc.text)):
            start = doc.text.find(piece, cursor)
            if start < 0:
                start = doc.text.find(piece)
            if start < 0:
                # The splitter rewrote whitespace; without a span its numbers cannot be cited, skip it.
                continue
            cursor = start + 1
            chunk = Chunk(
                chunk_id=f"naive:{doc.doc_id}:{n}",
                doc_id=doc.doc_id,
                n=n,
                text=piece,
                section=(),
                start=start,
                end=start + len(piece),
                source=doc.source,
                province=doc.province,
                period=doc.period,
                kind=doc.kind,
            )
            chunks.append(chunk)
            mentions.extend(extract_mentions(chunk, doc.text))
    return chunks, mentions


def _naive_pipeline(corpus_dir: Path, settings: Settings, embedder: Any):
    import numpy as np

    from rag.answer.asker import N_PASSAGES, extractive_answer
    from rag.answer.understand import understand
    from rag.core.types import Hit
    from rag.retrieve import idf_table, tokenize

    if embedder is None:
        raise ConfigError("the naive pipeline is dense retrieval only: it needs an embedder, not 'none'")
    chunks, mentions = naive_chunks(corpus_dir, settings)
    if not chunks:
        raise BaocaoError(f"no report in {corpus_dir} gave any text to chunk")
    texts = [c.text for c in chunks]
    batch = max(1, settings.embed_batch)
    matrix = np.vstack([embedder.embed_documents(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    by_chunk: dict[str, list[Any]] = {}
    for m in mentions:
        by_chunk.setdefault(m.chunk_id, []).append(m)
    idf = idf_table(tokenize(t) for t in texts)

    def ask(question: str, depth: int):
        q = np.asarray(embedder.embed_query(question), dtype=np.float32).reshape(-1)
        scores = matrix @ q
        # A stable sort keeps corpus order among equal scores, so runs are reproducible.
        order = np.argsort(-scores, kind="stable")[: max(depth, N_PASSAGES)]
        hits = [
            Hit(chunk=chunks[i], score=float(scores[i]), dense=float(scores[i]), rank=r)
            for r, i in enumerate(order, 1)
        ]
        info = understand(question)
        answer = extractive_answer(info, hits[:N_PASSAGES], by_chunk, idf)
        return answer, hits[:depth]

    return ask, f"llama-index SentenceSplitter {NAIVE_CHUNK_TOKENS} tokens, overlap {NAIVE_OVERLAP}"


def with_index(settings: Settings, index_dir: Path) -> Settings:
    return replace(settings, index_dir=Path(index_dir), log_dir=Path(index_dir) / "logs")


# --- the printed table -----------------------------------------------------------------------------


def format_metric(v: Any, name: str = "") -> str:
    if v is None:
        return "—"
    if name.startswith("latency"):
        return f"{v:.1f}"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _gold_text(r: dict[str, Any]) -> str:
    if r["gold_value"] is None:
        return "(không có / none)"
    from rag.text.numbers import format_quantity

    return format_quantity(r["gold_value"], r["gold_unit"])


def _got_text(r: dict[str, Any]) -> str:
    if r["status"] == "error":
        return f"error: {r['error']}"
    if r["status"] != "answered":
        return r["status"]
    if r["value"] is None:
        return "answered with no single figure (a table)"  # a many-report answer to a one-figure item
    from rag.text.numbers import format_quantity

    return format_quantity(r["value"], r["unit"], r["scale"])


def worst_items(run: dict[str, Any], limit: int = 15) -> list[dict[str, Any]]:
    """Wrong rows, worst first: false answers (stated wrongly), then errors, then misses."""
    wrong = [r for r in run["items"] if not r["correct"]]

    def badness(r: dict[str, Any]) -> tuple[int, str]:
        order = {"answered": 0, "error": 1}.get(r["status"], 2)
        return order, r["id"]

    return sorted(wrong, key=badness)[:limit]


def format_table(
    run: dict[str, Any], naive: dict[str, Any] | None = None, worst: int = 15, totals_only: bool = False
) -> str:
    """The run as a table. `totals_only`: the overall metrics alone, for a blind set that people must see
    only as totals (no kind or document breakdown, no items)."""
    runs = [("default" if naive else run["config"].get("pipeline", "run"), run)]
    if naive:
        runs.append(("naive", naive))
    lines = []
    head = f"{'metric':22}" + "".join(f"{name:>12}" for name, _ in runs)
    lines += [head, "-" * len(head)]
    extra = [m for m in ("paraphrase_all_same", "paraphrase_agreement") if m in run]
    for name in ("n", "n_answerable", "n_unanswerable", *METRICS, "errors", *extra):
        lines.append(
            f"{name:22}" + "".join(f"{format_metric(metric_value(r, name), name):>12}" for _, r in runs)
        )
    cols = ["n", "numeric_accuracy", "abstention_accuracy", "false_answer_rate", "hit_at_5"]
    short = {
        "numeric_accuracy": "acc",
        "abstention_accuracy": "abst",
        "false_answer_rate": "false",
        "hit_at_5": "hit@5",
    }
    if totals_only:
        return "\n".join(lines)
    for group, title in (("by_kind", "kind"), ("by_doc", "doc")):
        for name, r in runs:
            label = f"{title} ({name})" if len(runs) > 1 else title
            sub = f"{label:46}" + "".join(f"{short.get(c, c):>8}" for c in cols)
            lines += ["", sub, "-" * len(sub)]
            for key, m in r.get(group, {}).items():
                lines.append(f"{key[:46]:46}" + "".join(f"{format_metric(m.get(c)):>8}" for c in cols))
    for name, r in runs:
        bad = worst_items(r, worst)
        if not bad:
            continue
        lines += ["", f"worst items ({name}): {sum(not x['correct'] for x in r['items'])} wrong"]
        for x in bad:
            rank = x["hit_rank"] if x["hit_rank"] is not None else "-"
            lines.append(
                f"  {x['id']:11} {x['kind'][:10]:10} gold {_gold_text(x)[:28]:28} got "
                f"{_got_text(x)[:40]:40} evidence@{rank}"
            )
    return "\n".join(lines)


def format_compare(cmp: dict[str, Any]) -> str:
    lines = [f"{'vs baseline':22}{'baseline':>12}{'run':>12}{'delta':>10}"]
    for name, d in cmp["metrics"].items():
        delta = d["delta"]
        shown = "—" if delta is None else (f"{delta:+.1f}" if name.startswith("latency") else f"{delta:+.3f}")
        lines.append(
            f"{name:22}{format_metric(d['baseline'], name):>12}{format_metric(d['run'], name):>12}{shown:>10}"
        )
    for key, label in (
        ("newly_wrong", "newly wrong"),
        ("newly_right", "newly right"),
        ("added", "new items"),
        ("removed", "removed items"),
    ):
        if cmp[key]:
            lines.append(f"{label}: {', '.join(cmp[key])}")
    return "\n".join(lines)
