"""The eval harness: gold loading, per-item scoring, metrics from rows, gates, the CLI contract, reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.cli import cli
from rag.core.config import Settings
from rag.core.errors import ConfigError, GoldFormatError
from rag.evaluation import harness as ev

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "eval" / "corpus"
DEV = ROOT / "eval" / "gold" / "dev.jsonl"
SUMMARIES = ROOT / "eval" / "gold" / "dev_summaries.json"


def row(
    id="q",
    *,
    answerable=True,
    status="answered",
    correct=True,
    rank=1,
    latency=10.0,
    kind="count",
    doc="a.txt",
):
    """A scored row as `score_item` makes it, reduced to what the metrics read."""
    return {
        "id": id,
        "kind": kind,
        "doc": doc,
        "answerable": answerable,
        "status": status,
        "correct": correct,
        "hit_rank": rank,
        "latency_ms": latency,
        "prompt_id": None,
        "gold_value": 1.0 if answerable else None,
        "gold_unit": "trạm",
        "value": 1.0,
        "unit": "trạm",
        "scale": 1.0,
        "question": "?",
        "evidence": "",
        "error": "",
        "retrieved": [],
    }


def gold_item(**kw) -> ev.GoldItem:
    base = dict(
        id="g1",
        doc="a.txt",
        province="Nam Định",
        period="2024",
        question_vi="?",
        question_en="?",
        answer=146.0,
        unit="vị trí",
        evidence="chấp thuận 146 vị trí xây dựng trạm BTS",
        kind="count",
    )
    base.update(kw)
    return ev.GoldItem(**base)


# --- gold files -----------------------------------------------------------------------------------


def test_dev_gold_and_summaries_load():
    gold = ev.load_gold(DEV)
    assert len(gold) == 77
    assert sum(not g.answerable for g in gold) == 12
    cross = [g for g in gold if g.kind == "cross-doc"]
    assert cross and all(len(g.docs) == 2 and len(g.evidence_parts) == 2 for g in cross)
    assert gold[0].extra["difficulty"] and "trap" in gold[0].extra
    summaries = ev.load_summary_gold(SUMMARIES)
    assert summaries and all(s.points for s in summaries.values())
    assert any(p.numbers for s in summaries.values() for p in s.points)


GOOD = {
    "id": "a",
    "doc": "d.txt",
    "province": "P",
    "period": "2024",
    "question_vi": "q",
    "question_en": "q",
    "answer": 1,
    "unit": "trạm",
    "evidence": "1 trạm",
    "kind": "count",
}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "evidence"}), "missing key(s) evidence"),
        (json.dumps({**GOOD, "answer": "146"}), "'answer' must be a number or null"),
        (json.dumps({**GOOD, "answer": True}), "'answer' must be a number or null"),
        (json.dumps({**GOOD, "unit": 5}), "'unit' must be a string"),
        (json.dumps({**GOOD, "id": " "}), "'id' is empty"),
        (json.dumps(GOOD), "already used on line 1"),
    ],
)
def test_malformed_gold_names_the_line(tmp_path, line, message):
    p = tmp_path / "gold.jsonl"
    p.write_text(json.dumps(GOOD) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(GoldFormatError) as exc:
        ev.load_gold(p)
    assert f"{p}:3:" in str(exc.value)
    assert message in str(exc.value)


def test_unanswerable_items_may_write_no_answer_with_nulls(tmp_path):
    """'unit', 'evidence' and 'doc' null is how people write "no answer"; an answerable item still needs them."""
    none = {**GOOD, "id": "n", "answer": None, "unit": None, "evidence": None, "doc": None}
    p = tmp_path / "gold.jsonl"
    p.write_text(json.dumps(GOOD) + "\n" + json.dumps(none) + "\n", encoding="utf-8")
    items = ev.load_gold(p)
    assert [i.answerable for i in items] == [True, False]
    assert (items[1].unit, items[1].evidence, items[1].doc) == ("", "", "")
    for key in ("unit", "evidence", "doc"):
        p.write_text(json.dumps({**GOOD, key: None}) + "\n", encoding="utf-8")
        with pytest.raises(GoldFormatError, match=f"'{key}' must be a string.*only for unanswerable"):
            ev.load_gold(p)


def test_gold_file_errors(tmp_path):
    with pytest.raises(GoldFormatError, match="does not exist"):
        ev.load_gold(tmp_path / "missing.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="no items"):
        ev.load_gold(tmp_path / "empty.jsonl")
    (tmp_path / "extra.jsonl").write_text(json.dumps({**GOOD, "answer": None, "mine": [1]}), encoding="utf-8")
    item = ev.load_gold(tmp_path / "extra.jsonl")[0]
    assert item.extra == {"mine": [1]} and not item.answerable


def test_malformed_summary_gold(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(
        json.dumps(
            {
                "a.txt": {
                    "province": "P",
                    "period": "2024",
                    "title": "t",
                    "points": [{"point_vi": "x", "numbers": ["1"], "evidence": ""}],
                }
            }
        )
    )
    with pytest.raises(GoldFormatError, match="point 1: 'numbers' must be a list of numbers"):
        ev.load_summary_gold(p)
    p.write_text(json.dumps({"a.txt": {"province": "P", "period": "2024", "title": "t", "points": []}}))
    with pytest.raises(GoldFormatError, match="'points' must be a non-empty list"):
        ev.load_summary_gold(p)


# --- scoring one item -------------------------------------------------------------------------------


def test_value_matching_normalises_scale_and_unit():
    assert ev.value_matches(10000, "triệu đồng", 10, "đồng", 1e9)
    assert ev.value_matches(1.3, "triệu tài khoản", 1.3, "tài khoản", 1e6)
    assert ev.value_matches(100, "%", 99.6, "%", 1.0)  # 0.4% relative: inside the tolerance
    assert not ev.value_matches(100, "%", 99.4, "%", 1.0)
    assert not ev.value_matches(96.3, "%", 96.3, "thuê bao", 1.0)
    assert not ev.value_matches(146, "vị trí", None, "", 1.0)


def test_evidence_hit_rules():
    ev_text = "Trong năm đã rà soát, chấp thuận 146 vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông."
    # Folding and whitespace: a passage printed with different spacing and case still holds it.
    assert (
        ev.hit_rank(
            ev_text,
            [
                "x",
                "TRONG  NĂM đã rà soát,\nchấp thuận 146 vị trí xây dựng trạm BTS cho các "
                "doanh nghiệp viễn thông. Tiếp theo",
            ],
        )
        == 2
    )
    # Cut by a chunk boundary: the part with the figure is enough, the part without it is not.
    assert ev.hit_rank(ev_text, ["chấp thuận 146 vị trí xây dựng trạm BTS cho các doanh"]) is None
    assert (
        ev.hit_rank(
            ev_text,
            [
                "... đã rà soát",
                "chấp thuận 146 vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông. Khác",
            ],
        )
        == 2
    )
    assert ev.hit_rank(ev_text, ["Trong năm đã rà soát"]) is None
    assert ev.hit_rank(ev_text, []) is None
    # Cross-document: ranked by the last part to arrive; one part alone is no hit.
    assert (
        ev.hit_rank(
            "tiếp nhận 30.280 hồ sơ || tiếp nhận 1.519 hồ sơ",
            ["tiếp nhận 1.519 hồ sơ", "x", "tiếp nhận 30.280 hồ sơ"],
        )
        == 3
    )
    assert ev.hit_rank("tiếp nhận 30.280 hồ sơ || tiếp nhận 1.519 hồ sơ", ["tiếp nhận 30.280 hồ sơ"]) is None


def test_score_item_verdicts():
    passages = [{"text": "chấp thuận 146 vị trí xây dựng trạm BTS"}]
    good = ev.score_item(gold_item(), "answered", 146, "vị trí", 1.0, passages, 12.3)
    assert good["correct"] and good["hit_rank"] == 1 and good["gold_value"] == 146
    wrong = ev.score_item(gold_item(), "answered", 52, "vị trí", 1.0, passages, 1)
    assert not wrong["correct"]
    missed = ev.score_item(gold_item(), "not_found", None, "", 1.0, [], 1)
    assert not missed["correct"] and missed["hit_rank"] is None
    una = gold_item(answer=None)
    assert ev.score_item(una, "not_found", None, "", 1.0, passages, 1)["correct"]
    assert ev.score_item(una, "ambiguous", None, "", 1.0, passages, 1)["correct"]
    assert not ev.score_item(una, "answered", 146, "vị trí", 1.0, passages, 1)["correct"]
    # An unanswerable question that crashed the pipeline did not abstain.
    assert not ev.score_item(una, "error", None, "", 1.0, [], 1, error="boom")["correct"]
    # Retrieval is not scored on unanswerable items: their evidence is the misleading passage.
    assert ev.score_item(una, "not_found", None, "", 1.0, passages, 1)["hit_rank"] is None


def test_a_table_answer_to_a_one_figure_item_is_wrong_and_printable():
    """A many-report table (answered, no single value) to a one-figure gold item: scored as a false answer
    and shown in the report table, not a crash of `baocao eval`."""
    row = ev.score_item(gold_item(), "answered", None, "", 1.0, [], 4.0)
    assert not row["correct"]
    text = ev.format_table(ev.assemble([row], {"pipeline": "default"}))
    assert "no single figure" in text


def test_paraphrases_are_scored_for_giving_one_answer():
    """Rows of a paraphrase set (gold lines with `paraphrase_of`): the share of questions whose every
    rewrite got the same answer, and the mean share agreeing with the most common one."""

    def row(of: str, status: str, value: float | None) -> dict:
        item = gold_item()
        item.extra["paraphrase_of"] = of
        return ev.score_item(item, status, value, "vị trí", 1.0, [], 1.0)

    rows = [row("q1", "answered", 146), row("q1", "answered", 146), row("q1", "answered", 146)]
    rows += [row("q2", "answered", 146), row("q2", "not_found", None), row("q2", "answered", 146)]
    m = ev.metrics(rows)
    assert m["paraphrase_all_same"] == 0.5
    assert m["paraphrase_agreement"] == round((1 + 2 / 3) / 2, 4)
    assert "paraphrase_agreement" not in ev.metrics(
        [ev.score_item(gold_item(), "answered", 146, "", 1.0, [], 1)]
    )


# --- metrics from rows ------------------------------------------------------------------------------


def test_metrics_hand_computed():
    rows = [
        row("a", rank=1, latency=10),  # right, evidence first
        row("b", correct=False, rank=2, latency=20),  # wrong number stated: a false answer
        row("c", status="not_found", correct=False, rank=None, latency=30),  # missed, nothing retrieved
        row("d", rank=4, latency=40),  # right, evidence fourth
        row("e", answerable=False, status="not_found", correct=True, rank=None, latency=50),
        row("f", answerable=False, status="answered", correct=False, rank=None, latency=60),
    ]
    m = ev.metrics(rows)
    assert (m["n"], m["n_answerable"], m["n_unanswerable"]) == (6, 4, 2)
    assert m["numeric_accuracy"] == 0.5
    assert m["abstention_accuracy"] == 0.5
    assert m["false_answer_rate"] == round(2 / 6, 4)
    assert m["hit_at_1"] == 0.25
    assert m["hit_at_5"] == 0.75
    assert m["mrr"] == round((1 + 0.5 + 0 + 0.25) / 4, 4)
    assert m["latency_ms"] == {"p50": 35.0, "p95": 57.5}


def test_metrics_edge_cases():
    empty = ev.metrics([])
    assert empty["n"] == 0 and empty["numeric_accuracy"] is None and empty["latency_ms"]["p50"] is None
    # Only unanswerable items: answer and retrieval rates are undefined, not zero.
    only_una = ev.metrics([row(answerable=False, status="not_found", correct=True, rank=None)])
    assert only_una["numeric_accuracy"] is None and only_una["hit_at_5"] is None
    assert only_una["abstention_accuracy"] == 1.0 and only_una["false_answer_rate"] == 0.0
    all_wrong = ev.metrics([row(str(i), correct=False, rank=None) for i in range(3)])
    assert all_wrong["numeric_accuracy"] == 0.0 and all_wrong["false_answer_rate"] == 1.0
    assert all_wrong["mrr"] == 0.0 and all_wrong["hit_at_5"] == 0.0
    # Ties: equal latencies give that latency at every percentile; rank 5 is inside hit@5, 6 is not.
    tied = ev.metrics([row("a", latency=7, rank=5), row("b", latency=7, rank=6)])
    assert tied["latency_ms"] == {"p50": 7.0, "p95": 7.0}
    assert tied["hit_at_5"] == 0.5 and tied["hit_at_1"] == 0.0


def test_percentile_interpolates():
    assert ev.percentile([1, 2, 3, 4], 50) == 2.5
    assert ev.percentile([5], 95) == 5
    assert ev.percentile([], 50) is None


def test_tied_passages_keep_the_pipeline_order():
    passages = ["chấp thuận 146 vị trí xây dựng trạm BTS", "chấp thuận 146 vị trí xây dựng trạm BTS"]
    assert ev.hit_rank("chấp thuận 146 vị trí xây dựng trạm BTS", passages) == 1


def test_breakdowns_are_the_metrics_of_each_group():
    rows = [
        row("a", kind="count"),
        row("b", kind="percent", correct=False),
        row("c", kind="cross-doc", doc="a.txt || b.txt"),
    ]
    run = ev.assemble(rows, {"pipeline": "default"})
    assert run["by_kind"]["percent"] == ev.metrics([rows[1]])
    assert set(run["by_doc"]) == {"a.txt", "a.txt || b.txt"}
    assert run["numeric_accuracy"] == round(2 / 3, 4)


# --- gates ------------------------------------------------------------------------------------------


def test_check_floor():
    run = ev.assemble([row("a"), row("b", correct=False, rank=None)], {})
    assert ev.check_floor(run, "numeric_accuracy=0.5,hit_at_5=0.5") == []
    fails = ev.check_floor(run, "numeric_accuracy=0.9, false_answer_rate=0.1, abstention_accuracy=0.5")
    assert len(fails) == 3
    assert "below the floor" in fails[0] and "above the ceiling" in fails[1] and "not measured" in fails[2]
    for bad in ("accuracy=0.9", "numeric_accuracy", "numeric_accuracy=high", ""):
        with pytest.raises(ConfigError):
            ev.check_floor(run, bad)


def test_compare_and_regressions():
    base = ev.assemble([row("a"), row("b"), row("c", status="not_found", correct=False, rank=None)], {})
    now = ev.assemble([row("a"), row("b", correct=False), row("c", rank=1)], {})
    cmp = ev.compare(now, base)
    assert cmp["newly_wrong"] == ["b"] and cmp["newly_right"] == ["c"]
    assert cmp["metrics"]["numeric_accuracy"]["delta"] == 0.0
    assert cmp["metrics"]["hit_at_5"]["delta"] == round(1 - 2 / 3, 4)
    assert cmp["metrics"]["false_answer_rate"]["delta"] == round(1 / 3, 4)
    regs = ev.regressions(now, base)
    assert len(regs) == 1 and regs[0].startswith("false_answer_rate rose")
    assert ev.regressions(base, base) == []
    # Within tolerance: one item of 60 is 0.0167 < 0.02.
    big = ev.assemble([row(str(i)) for i in range(60)], {})
    one_off = ev.assemble([row(str(i), correct=i != 0) for i in range(60)], {})
    assert not [r for r in ev.regressions(one_off, big) if r.startswith("numeric")]
    assert ev.regressions(one_off, big, tolerance=0.01)
    # Latency: machines differ, so only a large slow-down counts.
    slow = ev.assemble([row(str(i), latency=250) for i in range(60)], {})
    assert ev.regressions(slow, big) == []
    very_slow = ev.assemble([row(str(i), latency=1000) for i in range(60)], {})
    assert any(r.startswith("latency_ms.p50") for r in ev.regressions(very_slow, big))
    # A changed gold set is flagged: the baseline must be re-accepted on purpose.
    assert any("gold set changed" in r for r in ev.regressions(base, big))


def test_atomic_write_leaves_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out" / "run.json"
    ev.write_json_atomic(target, {"a": 1})

    def interrupted(fd):
        raise KeyboardInterrupt  # Ctrl-C while the new file is half on disk

    monkeypatch.setattr(ev.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ev.write_json_atomic(target, {"a": 2, "big": "x" * 100_000})
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in target.parent.iterdir()] == ["run.json"]


# --- the pipelines and the CLI on a small copy of the sample corpus ----------------------------------


TINY_IDS = ("nd24-q001", "nd21-q001", "nd21-q019", "x-q007")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("namdinh-2024.txt", "namdinh-2021-08.txt", "ninhthuan-2021-02.txt", "travinh-2022-10.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    by_id = {json.loads(line)["id"]: line for line in DEV.read_text(encoding="utf-8").splitlines() if line}
    gold = root / "gold.jsonl"
    gold.write_text("\n".join(by_id[i] for i in TINY_IDS) + "\n", encoding="utf-8")
    return root, corpus, gold


ITEM_KEYS = {
    "id",
    "question",
    "gold_value",
    "gold_unit",
    "status",
    "value",
    "unit",
    "correct",
    "latency_ms",
    "retrieved",
}


def test_cli_json_contract(tiny):
    root, corpus, gold = tiny
    out, html = root / "run.json", root / "run.html"
    res = CliRunner().invoke(
        cli,
        [
            "--embedder",
            "hash",
            "eval",
            "--gold",
            str(gold),
            "--corpus",
            str(corpus),
            "--index",
            str(root / "ix"),
            "--json",
            str(out),
            "--report",
            str(html),
            "--summaries",
            str(SUMMARIES),
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    assert "numeric_accuracy" in res.output and "naive" in res.output and "summaries" in res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert 0.0 <= data["summaries"]["coverage"] <= 1.0 and data["summaries"]["faithfulness"] == 1.0
    for key in ("n", "n_answerable", "n_unanswerable"):
        assert isinstance(data[key], int)
    assert (data["n"], data["n_answerable"], data["n_unanswerable"]) == (4, 3, 1)
    for key in (
        "numeric_accuracy",
        "abstention_accuracy",
        "false_answer_rate",
        "hit_at_1",
        "hit_at_5",
        "mrr",
    ):
        assert isinstance(data[key], float) and 0.0 <= data[key] <= 1.0, key
    assert set(data["latency_ms"]) == {"p50", "p95"} and data["latency_ms"]["p50"] > 0
    cfg = data["config"]
    assert cfg["embedder"].startswith("hash") and cfg["pipeline"] == "default" and "chunker" in cfg
    assert {"prompt_ids", "git_commit"} <= set(cfg)
    assert [i["id"] for i in data["items"]] == list(TINY_IDS)
    for item in data["items"]:
        assert ITEM_KEYS <= set(item)
        assert isinstance(item["correct"], bool) and isinstance(item["latency_ms"], float)
        assert len(item["retrieved"]) >= 5
        assert set(item["retrieved"][0]) >= {"chunk_id", "source", "section", "text"}
    assert data["naive"]["config"]["pipeline"] == "naive" and data["naive"]["n"] == 4
    # Aggregates come from the rows: recomputing them from the written items gives the same numbers.
    again = ev.metrics(data["items"])
    assert {k: data[k] for k in again} == again
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "http" not in page.split("<svg", 1)[0]


def test_cli_fail_under_and_compare_exit_codes(tiny):
    root, corpus, gold = tiny
    base = [
        "--embedder",
        "none",
        "eval",
        "--gold",
        str(gold),
        "--corpus",
        str(corpus),
        "--index",
        str(root / "ix-none"),
        "--pipeline",
        "default",
    ]
    runner = CliRunner()
    ok = runner.invoke(cli, [*base, "--fail-under", "hit_at_5=0"])
    assert ok.exit_code == 0, ok.output
    low = runner.invoke(cli, [*base, "--fail-under", "numeric_accuracy=1.01"])
    assert low.exit_code == 1 and "below the floor" in low.output
    bad = runner.invoke(cli, [*base, "--fail-under", "accuracy=1"])
    assert bad.exit_code != 0 and isinstance(bad.exception, ConfigError)

    baseline = root / "baseline.json"
    acc = runner.invoke(cli, [*base, "--compare", str(baseline), "--accept"])
    assert acc.exit_code == 0, acc.output
    stored = json.loads(baseline.read_text(encoding="utf-8"))
    assert all(len(p["text"]) <= 160 for i in stored["items"] for p in i["retrieved"])
    same = runner.invoke(cli, [*base, "--compare", str(baseline)])
    assert same.exit_code == 0 and "vs baseline" in same.output
    # A baseline better than anything reachable: the gate must fail.
    stored["numeric_accuracy"] = 1.5
    stored["items"][0]["correct"] = not stored["items"][0]["correct"]
    baseline.write_text(json.dumps(stored), encoding="utf-8")
    worse = runner.invoke(cli, [*base, "--compare", str(baseline)])
    assert worse.exit_code == 1 and "regression: numeric_accuracy" in worse.output


def test_cli_bad_gold_is_a_clear_error(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text('{"id": 1}\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["--embedder", "none", "eval", "--gold", str(p), "--corpus", str(CORPUS)])
    assert isinstance(res.exception, GoldFormatError) and ":1: missing key(s)" in str(res.exception)


def test_naive_pipeline_runs_on_the_sample_corpus(tiny):
    root, corpus, gold = tiny
    items = ev.load_gold(gold)
    settings = Settings(index_dir=root / "unused", embedder="hash")
    run = ev.run_eval(items, corpus, settings, pipeline="naive", k=5)
    assert run["config"]["pipeline"] == "naive" and "SentenceSplitter" in run["config"]["chunker"]
    assert run["n"] == 4 and not (root / "unused").exists()  # the naive pipeline keeps its index in memory
    assert all(r["status"] in {"answered", "not_found", "ambiguous"} for r in run["items"])
    assert all(p["chunk_id"].startswith("naive:") for r in run["items"] for p in r["retrieved"])
    chunks, mentions = ev.naive_chunks(corpus, settings)
    assert len({c.source for c in chunks}) == 4 and mentions
    text = (corpus / "namdinh-2024.txt").read_text(encoding="utf-8")
    assert any("146 vị trí" in c.text for c in chunks) and "146 vị trí" in text
    with pytest.raises(ConfigError, match="needs an embedder"):
        ev.run_eval(items, corpus, Settings(index_dir=root / "unused", embedder="none"), pipeline="naive")


def test_html_report_shows_the_wrong_items():
    wrong = {
        **row("nd24-q999", correct=False, rank=None),
        "question": "Bao nhiêu <b>trạm</b>?",
        "evidence": "chấp thuận 146 vị trí",
        "gold_value": 146.0,
        "gold_unit": "vị trí",
        "value": 52.0,
        "retrieved": [
            {"chunk_id": "c:1", "source": "a.txt", "section": "1 › 2", "text": "xây 52 trạm", "score": 0.5}
        ],
    }
    run = ev.assemble([row("ok"), wrong], {"pipeline": "default", "git_commit": "abc"})
    naive = ev.assemble([row("ok", correct=False), wrong], {"pipeline": "naive"})
    page = __import__("rag.evaluation.report_html", fromlist=["render_report"]).render_report(
        run, naive, ev.compare(run, naive)
    )
    assert page.startswith("<!doctype html>") and "<style>" in page and "<svg" in page
    assert 'id="nd24-q999"' in page and "146 vị trí" in page and "52 trạm" in page and "xây 52 trạm" in page
    assert "Bao nhiêu &lt;b&gt;trạm&lt;/b&gt;?" in page and "<b>trạm</b>" not in page
    assert "src=" not in page and "<link" not in page and "<script" not in page


def test_totals_only_prints_no_breakdown_and_no_item(tiny):
    """A blind set is looked at as totals: no kind or document rows, no item ids."""
    root, corpus, gold = tiny
    args = ["--embedder", "none", "eval", "--gold", str(gold), "--corpus", str(corpus)]
    args += ["--index", str(root / "ix-totals"), "--pipeline", "default"]
    full = CliRunner().invoke(cli, args, catch_exceptions=False)
    totals = CliRunner().invoke(cli, [*args, "--totals-only"], catch_exceptions=False)
    assert full.exit_code == 0 and totals.exit_code == 0
    ids = [json.loads(line)["id"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert "numeric_accuracy" in totals.output and "false_answer_rate" in totals.output
    assert "doc" in full.output.split("false_answer_rate", 1)[1]
    assert not any(i in totals.output for i in ids)
    assert "kind" not in totals.output.split("errors", 1)[1] and ".txt" not in totals.output
