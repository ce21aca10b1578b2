"""Many-report questions (rag.answer.across): which questions are tables, what one cell asks, and
tables scored on a small generated corpus whose every figure is known (tools.across_gold)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.across import across_intent, cell_question
from rag.answer.understand import understand
from rag.core.types import Filters


def intent(q: str):
    return across_intent(q, understand(q, Filters()))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Số thuê bao di động của Nam Định qua các tháng năm 2024?", "series"),
        ("Doanh thu viễn thông Nam Định từ 2021 đến 2024?", "series"),
        ("doanh thu vien thong nam dinh theo tung thang nam 2024", "series"),
        ("So sánh số trạm BTS xây mới của các tỉnh năm 2024", "compare"),
        ("Từng tỉnh có bao nhiêu điểm BĐVHX năm 2023?", "compare"),
        ("Tỉnh nào có tỷ lệ hồ sơ trực tuyến cao nhất quý I/2023?", "rank"),
        ("Top 3 tỉnh phát triển nhiều thuê bao Internet nhất năm 2024?", "rank"),
        ("Doanh thu bưu chính Nam Định năm 2024 so với năm 2023?", "change"),
    ],
)
def test_many_report_questions_are_read_as_tables(question: str, kind: str) -> None:
    spec = intent(question)
    assert spec is not None and spec.kind == kind


@pytest.mark.parametrize(
    "question",
    [
        "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?",
        "Việc chỉnh trang cáp đạt bao nhiêu % kế hoạch 2024-2025?",
        "Doanh thu bưu chính năm 2024 tăng bao nhiêu % so với cùng kỳ?",
        "Trà Vinh nhiều hơn Ninh Thuận bao nhiêu hồ sơ?",
    ],
)
def test_one_figure_questions_stay_one_figure(question: str) -> None:
    assert intent(question) is None


def test_a_cell_asks_the_plain_question() -> None:
    q = cell_question("Tỉnh nào thẩm định nhiều vị trí BTS nhất năm 2024?")
    assert "bao nhiêu vị trí BTS" in q and "nào" not in q and "nhất" not in q
    assert cell_question("Số thuê bao của các tỉnh tháng 3/2024").endswith("là bao nhiêu?")


def test_tables_on_a_generated_corpus(tmp_path: Path) -> None:
    from rag.core.config import Settings
    from rag.evaluation.tables import load_table_gold, run_table_eval
    from tools.across_gold import build

    made = build(tmp_path, n_docs=80, seed=31, n_items=16)
    assert made["items"] >= 10
    gold = load_table_gold(tmp_path / "across.jsonl")
    s = Settings(index_dir=tmp_path / "index", embedder="none", log_dir=tmp_path / "logs")
    run = run_table_eval(gold, tmp_path / "corpus", s)
    assert run["all_cited"] == 1.0  # every stated cell cites its passage
    assert run["no_wrong_cell"] >= 0.7, [
        r["answer_text"][:200] for r in run["items"] if not r["no_wrong_cell"]
    ]
    assert run["tables_right"] >= 0.6
    assert {r["kind"] for r in run["items"]} >= {"compare", "rank", "change"}
