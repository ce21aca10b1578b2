import json
import re
from pathlib import Path

import pytest

from rag.evaluation.harness import REQUIRED_KEYS
from tools import synthetic as syn

N = 20
# The keys the gold loader requires, plus the ones the dev gold's README describes for every item.
DEV_KEYS = {*REQUIRED_KEYS, "trap", "difficulty", "qualifier"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict, list[dict]]:
    out = tmp_path_factory.mktemp("syn")
    stats = syn.generate_corpus(out, n_docs=N, seed=7)
    gold = [json.loads(line) for line in (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, stats, gold


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_deterministic(tmp_path, corpus):
    out, _, _ = corpus
    again = tmp_path / "again"
    syn.generate_corpus(again, n_docs=N, seed=7)
    assert _files(again) == _files(out)
    other = tmp_path / "other"
    syn.generate_corpus(other, n_docs=N, seed=8)
    assert _files(other) != _files(out)


def test_files_and_stats(corpus):
    out, stats, gold = corpus
    docs = sorted(p.name for p in out.glob("*.txt"))
    assert len(docs) == len(set(docs)) == N == stats["docs"]
    assert not (out / "metadata.csv").exists()
    for name in docs:
        assert re.fullmatch(r"[a-z]+-\d{4}(-(\d{2}|Q[1-4]|H1|9M))?\.txt", name), name
    assert stats["questions"] == len(gold)
    # several docs per province and several provinces per period, or nothing collides
    assert stats["provinces"] < N and stats["periods"] < N


def _period_phrases(code: str) -> list[str]:
    for per in syn.all_periods():
        if per.code == code:
            return per.doc_phrases()
    raise AssertionError(code)


def test_header_names_province_and_period(corpus):
    out, _, gold = corpus
    for doc in {g["doc"] for g in gold}:
        text = (out / doc).read_text(encoding="utf-8")
        head, title = text.split("BÁO CÁO\n", 1)
        title = title.split("\n\n")[0]
        item = next(g for g in gold if g["doc"] == doc and g["kind"] != "unanswerable")
        assert item["province"].upper() in head and f"{item['province']}, ngày" in head
        assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in head
        assert any(p in title for p in _period_phrases(item["period"])), (doc, title)


def _vn_forms(answer: float) -> set[str]:
    if float(answer).is_integer():
        n = int(answer)
        return {syn.vn_int(n), f"{n:02d}"}
    return {syn.vn_dec(answer, 3)}


def test_answerable_evidence_is_verbatim(corpus):
    out, _, gold = corpus
    answerable = [g for g in gold if g["kind"] != "unanswerable"]
    assert len(answerable) >= 3 * N
    for g in answerable:
        assert DEV_KEYS <= set(g)
        text = (out / g["doc"]).read_text(encoding="utf-8")
        assert g["evidence"] in text, g["id"]
        nums = re.findall(r"\d[\d.,]*\d|\d", g["evidence"])
        assert any(f in nums for f in _vn_forms(g["answer"])), (g["id"], g["answer"], g["evidence"])
        assert g["kind"] in {"count", "percent", "money", "date-free numeric"}
        assert g["question_vi"] != g["evidence"]


def test_questions_vary(corpus):
    _, _, gold = corpus
    folded = [g for g in gold if g["question_vi"] == syn.fold(g["question_vi"])]
    assert 0 < len(folded) < len(gold) / 2
    assert len({g["question_vi"] for g in gold}) == len(gold)
    for key, (_, vis) in syn.QUESTIONS.items():
        assert len(vis) >= 3, key


def test_unanswerable_really_unanswerable(corpus):
    out, _, gold = corpus
    present = {(g["province"], g["period"]) for g in gold if g["kind"] != "unanswerable"}
    specs, _, _ = syn._plan(N, 7)
    in_corpus = {(s.province, s.period.code) for s in specs}
    assert present <= in_corpus
    by_file = {s.file: s for s in specs}
    unans = [g for g in gold if g["kind"] == "unanswerable"]
    assert len(unans) == N
    for g in unans:
        assert g["answer"] is None
        if (g["province"], g["period"]) not in in_corpus:
            continue  # another period or a province no report covers
        # same report: the indicator's template was not written into it
        spec = by_file[g["doc"]]
        assert syn._FACT_TEMPLATE[g["indicator"]] not in spec.indicators, g["id"]
        assert not any(
            x["indicator"] == g["indicator"] and x["doc"] == g["doc"]
            for x in gold
            if x["kind"] != "unanswerable"
        )


def test_page_breaks_optional(tmp_path):
    syn.generate_corpus(tmp_path / "a", n_docs=4, seed=1, page_breaks=False)
    syn.generate_corpus(tmp_path / "b", n_docs=4, seed=1, page_breaks=True)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert any(a[k] != b[k] for k in a if k.endswith(".txt"))


def test_helpers():
    assert syn.vn_int(1674885) == "1.674.885"
    assert syn.vn_dec(99.7, 1) == "99,7"
    assert syn.answer_value("1.674.885") == 1674885
    assert syn.answer_value("2,5") == 2.5
    assert syn.answer_value("02") == 2
    assert syn.fold("Đắk Lắk") == "Dak Lak"
    assert syn.slug("Bà Rịa - Vũng Tàu") == "bariavungtau"
    assert len(syn.TEMPLATES) >= 30


def test_cli(tmp_path, capsys):
    syn.main([str(tmp_path), "--n", "3", "--seed", "2"])
    assert json.loads(capsys.readouterr().out)["docs"] == 3
