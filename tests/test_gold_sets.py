"""The readable gold sets written from report text pass their shared checks (eval/gold/check_gold.py):
JSON with the schema keys, unique ids, documents that exist, evidence verbatim in its document, the answer
printed in its evidence. A set copied in by hand with a broken line fails here, not in a long eval run."""

import contextlib
import io
import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold"


@pytest.mark.parametrize(
    "folder,name",
    [
        ("realdev", "realdev.jsonl"),
        ("realdev2", "realdev2.jsonl"),
        ("realdev3", "realdev3.jsonl"),
        ("realdev4", "realdev4.jsonl"),
        ("realdev5", "realdev5.jsonl"),
        ("realdev6", "realdev6.jsonl"),
        ("realdev7", "realdev7.jsonl"),
        ("realdev8", "realdev8.jsonl"),
        ("realdev9", "realdev9.jsonl"),
        # other questions on the same texts, by other writers (session 18)
        ("realdev2", "fresh-rd2.jsonl"),
        ("realdev3", "fresh-rd3.jsonl"),
        ("realdev4", "fresh-rd4.jsonl"),
        ("realdev5", "fresh-rd5.jsonl"),
        # and three more (session 19)
        ("realdev6", "fresh-rd6.jsonl"),
        ("realdev8", "fresh-rd8.jsonl"),
        ("realdev9", "fresh-rd9.jsonl"),
        # and the first set's and realdev7's (session 20)
        ("realdev", "fresh-rd1.jsonl"),
        ("realdev7", "fresh-rd7.jsonl"),
    ],
)
def test_a_readable_gold_set_passes_its_checks(folder: str, name: str) -> None:
    sys.path.insert(0, str(GOLD))
    try:
        from check_gold import check_set
    finally:
        sys.path.remove(str(GOLD))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = check_set(str(GOLD / folder), name)
    assert ok, out.getvalue()[-2000:]


def test_the_fresh_questions_on_the_sample_reports_pass_the_checks() -> None:
    """fresh-dev.jsonl asks the four sample reports (eval/corpus) what dev.jsonl does not."""
    sys.path.insert(0, str(GOLD))
    try:
        from check_gold import check
    finally:
        sys.path.remove(str(GOLD))
    corpus = GOLD.parent / "corpus"
    texts = {p.name: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    rows, errors = check(str(GOLD / "fresh-dev.jsonl"), texts)
    assert len(rows) >= 100 and not errors, errors[:10]
    assert sum(r["answer"] is None for r in rows) / len(rows) >= 0.15


@pytest.mark.parametrize(
    "name",
    [
        "paraphrase-dev",
        "paraphrase-dev2",
        "paraphrase-dev3",
        "paraphrase-dev4",
        "paraphrase-dev5",
        "paraphrase-dev6",
    ],
)
def test_a_paraphrase_set_rewrites_each_answerable_dev_question_four_ways(name: str) -> None:
    """Each rewrite keeps its dev item's figure (answer, unit, report, period) and says it otherwise."""
    import json

    dev = {d["id"]: d for d in map(json.loads, (GOLD / "dev.jsonl").read_text(encoding="utf-8").splitlines())}
    rows = [json.loads(line) for line in (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in rows}) == len(rows)
    answerable = {i for i, d in dev.items() if d["answer"] is not None}
    by_item: dict[str, int] = {}
    for r in rows:
        d = dev[r["paraphrase_of"]]
        assert (r["answer"], r["unit"], r["doc"], r["period"]) == (
            d["answer"],
            d["unit"],
            d["doc"],
            d["period"],
        ), r["id"]
        assert r["question_vi"].strip() and r["question_vi"] != d["question_vi"], r["id"]
        by_item[r["paraphrase_of"]] = by_item.get(r["paraphrase_of"], 0) + 1
    assert set(by_item) == answerable and set(by_item.values()) == {4}
