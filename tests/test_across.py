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
        # "So sánh" before a difference asked: one figure, each province of its own period
        "So sánh số hộp thư, Trà Vinh (tháng 10/2022) nhiều hơn Ninh Thuận (tháng 2/2021) bao nhiêu hộp thư?",
        # a province's name is no cue: "dien bien" is also "diễn biến" (a trend) typed without diacritics
        "tong so thon ban cua 29 xa bien gioi dien bien",
        # one province named: what leads, leads inside it
        "Cục Thuế Phú Thọ dẫn đầu xếp hạng CĐS các sở, ngành 2022 với bao nhiêu điểm?",
    ],
)
def test_one_figure_questions_stay_one_figure(question: str) -> None:
    assert intent(question) is None


def test_a_cell_asks_the_plain_question() -> None:
    q = cell_question("Tỉnh nào thẩm định nhiều vị trí BTS nhất năm 2024?")
    assert "bao nhiêu vị trí BTS" in q and "nào" not in q and "nhất" not in q
    assert cell_question("Số thuê bao của các tỉnh tháng 3/2024").endswith("là bao nhiêu?")


@pytest.mark.parametrize(
    "question",
    [
        "Doanh thu viễn thông Thái Bình tháng 3/2023 tăng bao nhiêu so với tháng 2/2023?",
        "Số vị trí BTS của Thái Bình tháng 3/2023 tăng hay giảm so với tháng 1/2023?",
        "Doanh thu viễn thông Thái Bình tháng 3/2023 thay đổi thế nào so với tháng 2/2023?",
    ],
)
def test_a_change_cell_asks_the_level_not_the_change(question: str) -> None:
    spec = intent(question)
    assert spec is not None and spec.kind == "change"
    q = cell_question(question, "change")
    assert not {"tăng", "giảm", "so với", "thế nào"} & set(q.replace("?", " ").split()), q
    assert q.endswith("là bao nhiêu?")
    # an indicator whose name says "tăng trưởng" keeps it
    assert "tăng trưởng" in cell_question("Tốc độ tăng trưởng doanh thu năm 2024 so với năm 2023?", "change")


def test_a_change_of_a_share_asks_the_share_in_each_period() -> None:
    # "bao nhiêu phần trăm HTTT …" is the level, a share; "tăng bao nhiêu %" is the change, asked of levels
    q = cell_question(
        "Bắc Giang tháng 11/2024 so với tháng 2/2022: bao nhiêu phần trăm HTTT đã được duyệt?", "change"
    )
    assert "bao nhiêu phần trăm" in q
    assert understand(q).expected_unit == "%"
    q = cell_question(
        "Doanh thu viễn thông Nam Định năm 2024 tăng bao nhiêu phần trăm so với 2023?", "change"
    )
    assert "phần trăm" not in q and understand(q).expected_unit != "%"


@pytest.fixture(scope="module")
def monthly_index(tmp_path_factory):
    """Three monthly reports of one province (and the four samples): a series with a known value per month."""
    import sys

    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths

    sys.path.insert(0, str(Path(__file__).parent))
    from test_app import monthly_report

    root = tmp_path_factory.mktemp("monthly")
    folder = root / "reports"
    folder.mkdir()
    for month, sites, revenue in ((1, 40, "88.200"), (2, 52, "90.100"), (3, 77, "91.500")):
        (folder / f"thaibinh-2023-{month:02d}.txt").write_text(
            monthly_report(month, sites, revenue), encoding="utf-8"
        )
    s = Settings(index_dir=root / "index", embedder="none", log_dir=root / "logs")
    corpus = Path(__file__).resolve().parent.parent / "eval" / "corpus"
    assert not ingest_paths([corpus, folder], s).failed
    return s


def test_change_between_two_monthly_reports_is_computed_from_their_levels(monthly_index) -> None:
    from rag.service import Backend

    a = (
        Backend(monthly_index)
        .ask("Doanh thu viễn thông Thái Bình tháng 3/2023 tăng bao nhiêu so với tháng 2/2023?")
        .answer
    )
    assert a.status.value == "answered" and a.table
    assert [r["value"] for r in a.table["rows"]] == [90_100, 91_500]
    assert a.value == 1_400 and a.table["arithmetic"]


def test_the_indicators_tab_draws_a_series_question_as_a_line(monthly_index) -> None:
    from rag.service import Backend

    chart, rows, sentence = Backend(monthly_index).indicator_chart(
        "Doanh thu viễn thông của Thái Bình qua các tháng năm 2023?"
    )
    assert chart is not None and chart.kind == "line" and chart.unit == "tỷ đồng"
    assert [(p.x, p.label, p.value) for p in chart.points] == [
        ("2023-01", "tháng 1/2023", 88.2),
        ("2023-02", "tháng 2/2023", 90.1),
        ("2023-03", "tháng 3/2023", 91.5),
    ]
    assert all(p.series == "Thái Bình" and p.source.startswith("thaibinh-2023-") for p in chart.points)
    assert chart.order[:3] == ("tháng 1/2023", "tháng 2/2023", "tháng 3/2023")
    # the rows listed (and exported) under the chart: each cell with its report and section
    got = [r for r in rows if r["Giá trị"] is not None]
    assert [r["Giá trị"] for r in got] == [88.2e9, 90.1e9, 91.5e9]
    assert all(r["Báo cáo"] and r["Mục"] for r in got) and "3/3" in sentence


def test_a_keyword_is_drawn_as_its_series_over_reports(monthly_index) -> None:
    from rag.service import Backend

    chart, rows, _ = Backend(monthly_index).indicator_chart("doanh thu viễn thông")
    assert rows is None and chart is not None and chart.kind == "line"
    by_province = {}
    for p in chart.points:
        by_province.setdefault(p.series, []).append(p.value)
    assert by_province["Thái Bình"] == [88.2, 90.1, 91.5]
    assert Backend(monthly_index).indicator_chart("không có chỉ tiêu này") == (None, None, "")


def test_one_period_over_provinces_is_drawn_as_bars() -> None:
    from rag.figures.chart import chart_from_series, chart_from_table

    rows = [
        {"Kỳ": "2024", "Tỉnh": "Nam Định", "Giá trị": 146, "Số liệu": "146 vị trí", "Báo cáo": "nd.txt"},
        {"Kỳ": "2024", "Tỉnh": "Kon Tum", "Giá trị": 210, "Số liệu": "210 vị trí", "Báo cáo": "kt.txt"},
    ]
    chart = chart_from_series(rows, "vị trí")
    assert chart.kind == "bar" and chart.order == ("Kon Tum", "Nam Định")
    assert chart.rows()[0] == {
        "Tỉnh": "Nam Định",
        "Giá trị": 146.0,
        "Chuỗi": "năm 2024",
        "Số liệu": "146 vị trí",
        "Nguồn": "nd.txt",
    }
    table = {
        "columns": ["Tỉnh", "Giá trị", "Nguồn"],
        "rows": [
            {"cells": ["Kon Tum", "210 vị trí", "kt.txt › I"], "value": 210, "unit": "vị trí", "scale": 1.0},
            {
                "cells": ["Nam Định", "146 vị trí", "nd.txt › II"],
                "value": 146,
                "unit": "vị trí",
                "scale": 1.0,
            },
            {"cells": ["Trà Vinh", "— (báo cáo không nêu)", ""], "value": None, "unit": "", "scale": 1.0},
        ],
    }
    ranked = chart_from_table(table, "rank")
    # the gap is on the axis (in order) but has no bar: missing is not zero
    assert ranked.kind == "bar" and [p.x for p in ranked.points] == ["Kon Tum", "Nam Định"]
    assert ranked.order == ("Kon Tum", "Nam Định", "Trà Vinh")
    line = chart_from_series(
        [{**r, "Kỳ": k} for r, k in zip(rows, ("2024-03", "2024-01"), strict=True)], "vị trí"
    )
    assert line.kind == "line" and line.order == ("tháng 1/2024", "tháng 3/2024")
    assert line.rows()[0]["Mốc"] == "2024-03" and line.rows()[0]["Kỳ"] == "tháng 3/2024"
    assert chart_from_table({"columns": [], "rows": table["rows"][2:]}, "rank") is None


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


def test_a_cell_naming_another_indicator_stays_empty(tmp_path: Path) -> None:
    """A table cell holds the asked indicator or nothing: sites approved this month are not the sites
    standing (a one-figure question may still be answered from a refinement, a cell may not)."""
    import sys

    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths
    from rag.service import Backend

    sys.path.insert(0, str(Path(__file__).parent))
    from test_app import monthly_report

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "tb.txt").write_text(monthly_report(3, 40, "88.200"), encoding="utf-8")
    stock = monthly_report(3, 31, "120.400", province="Bắc Ninh").replace(
        "Trong tháng đã rà soát, chấp thuận 31 vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông.",
        "Toàn tỉnh hiện có 2.310 trạm BTS lắp đặt trên 1.204 vị trí.",
    )
    (tmp_path / "r" / "bn.txt").write_text(stock, encoding="utf-8")
    s = Settings(index_dir=tmp_path / "index", embedder="none", log_dir=tmp_path / "logs")
    assert not ingest_paths([tmp_path / "r"], s).failed
    a = Backend(s).ask("Số vị trí đặt trạm BTS hiện có của các tỉnh tháng 3/2023?").answer
    cells = {r["key"]: r for r in a.table["rows"]}
    assert cells["Bắc Ninh"]["value"] == 1204
    assert cells["Thái Bình"]["value"] is None and cells["Thái Bình"]["status"] == "not_found"


def test_a_growth_printed_by_the_report_comes_before_a_computed_change(tmp_path: Path) -> None:
    """Both years held: "tăng bao nhiêu %" is read from the report that prints it; "so với" alone gets
    the two levels. A change needs both years in the asked province's reports, not anyone's."""
    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths
    from rag.service import Backend

    def annual(province: str, year: int, body: str) -> str:
        return (
            f"UBND TỈNH {province.upper()}\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nBÁO CÁO\n"
            f"Kết quả công tác thông tin và truyền thông năm {year}\n\n"
            f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {year}\n\n1. Lĩnh vực viễn thông\n\n{body}\n"
        )

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "tb-2023.txt").write_text(
        annual("Thái Bình", 2023, "Doanh thu viễn thông năm 2023 ước đạt 1.000 tỷ đồng."), encoding="utf-8"
    )
    (tmp_path / "r" / "tb-2024.txt").write_text(
        annual(
            "Thái Bình", 2024, "Doanh thu viễn thông năm 2024 ước đạt 1.085 tỷ đồng, tăng 8% so với năm 2023."
        ),
        encoding="utf-8",
    )
    (tmp_path / "r" / "bn-2024.txt").write_text(
        annual(
            "Bắc Ninh", 2024, "Doanh thu viễn thông năm 2024 ước đạt 2.100 tỷ đồng, tăng 5% so với năm 2023."
        ),
        encoding="utf-8",
    )
    s = Settings(index_dir=tmp_path / "index", embedder="none", log_dir=tmp_path / "logs")
    assert not ingest_paths([tmp_path / "r"], s).failed
    be = Backend(s)
    printed = be.ask("Doanh thu viễn thông Thái Bình năm 2024 tăng bao nhiêu % so với năm 2023?").answer
    assert not printed.table and printed.value == 8 and printed.unit == "%"
    levels = be.ask("Doanh thu viễn thông Thái Bình năm 2024 so với năm 2023?").answer
    assert [r["value"] for r in levels.table["rows"]] == [1_000, 1_085] and levels.table["arithmetic"]
    # Bắc Ninh has no 2023 report (Thái Bình has): its own printed growth answers
    other = be.ask("Doanh thu viễn thông Bắc Ninh năm 2024 tăng bao nhiêu % so với năm 2023?").answer
    assert not other.table and other.value == 5


def test_a_level_is_no_answer_to_a_growth(monthly_index) -> None:
    """December 2022 is not held, so the one-figure answerer reads the question; March's report prints
    only the level, and "tăng bao nhiêu" asks a change: not found, not 91.500 triệu đồng."""
    from rag.service import Backend

    be = Backend(monthly_index)
    a = be.ask("Doanh thu viễn thông Thái Bình tháng 3/2023 tăng bao nhiêu so với tháng 12/2022?").answer
    assert a.status.value == "not_found" and not a.table
    # typed without diacritics, "nen tang" (nền tảng) asks no growth
    b = be.ask("doanh thu vien thong thai binh thang 3/2023 tren nen tang so la bao nhieu").answer
    assert b.status.value == "answered" and b.value == 91_500


@pytest.mark.parametrize(
    ("question", "kind", "grain"),
    [
        ("doanh thu vien thong nam dinh qua cac ky bao cao", "series", ""),
        ("Tỷ lệ tăng doanh thu bưu chính của Nam Định theo từng báo cáo?", "series", ""),
        (
            "Tỉnh nào cấp nhiều giấy phép xuất bản tài liệu không kinh doanh nhất trong tháng?",
            "rank",
            "monthly",
        ),
        ("Doanh thu viễn thông theo báo cáo gần nhất của Nam Định, Ninh Thuận và Trà Vinh?", "compare", ""),
        ("Doanh thu bưu chính trong năm của các tỉnh?", "compare", "annual"),
    ],
)
def test_reports_periods_and_named_provinces_make_tables(question: str, kind: str, grain: str) -> None:
    spec = intent(question)
    assert spec is not None and (spec.kind, spec.grain) == (kind, grain)


def test_a_cell_keeps_what_names_a_growth() -> None:
    # "so với cùng kỳ" is the growth's baseline, "tốc độ tăng" its name: only a comparison of tỉnh goes
    q = cell_question("Tỉnh nào có tốc độ tăng doanh thu bưu chính so với cùng kỳ cao nhất?", "rank")
    assert "tốc độ tăng" in q and "so với cùng kỳ" in q and "nào" not in q
    assert understand(q).expected_unit == "%"
    q = cell_question(
        "Tốc độ tăng doanh thu viễn thông năm 2024 so với năm 2023 thay đổi bao nhiêu?", "change"
    )
    assert "tốc độ tăng" in q.lower() and "so với" not in q
    assert "gần nhất" not in cell_question("Doanh thu viễn thông theo báo cáo gần nhất của các tỉnh?")


def test_tables_over_the_sample_reports(monthly_index) -> None:
    """The four samples are three provinces in four periods: a comparison with no period takes each
    province's newest report that prints the figure, a series over years a year's newest report."""
    from rag.service import Backend

    be = Backend(monthly_index)

    def rows(q: str) -> dict[str, dict]:
        a = be.ask(q).answer
        assert a.table, a.text
        return {r["key"]: r for r in a.table["rows"]}

    series = rows("Doanh thu bưu chính, chuyển phát của Nam Định qua các năm?")
    assert list(series) == ["2021-08", "2024"]
    assert (series["2021-08"]["value"], series["2024"]["value"]) == (10_000, 357)
    compare = rows("So sánh doanh thu bưu chính, chuyển phát của các tỉnh")
    assert compare["Nam Định"]["value"] == 357 and "năm 2024" in compare["Nam Định"]["cells"][0]
    # the whole (13,2 tỷ đồng), not the public-service part the next sentence opens with "Trong đó"
    assert compare["Ninh Thuận"]["value"] == 13.2
    assert compare["Trà Vinh"]["status"] == "not_found"
    # a figure printed bare ("… là 8.009") stands beside one printed with its noun
    boxes = rows("Số hộp thư điện tử công vụ đã cấp của Ninh Thuận và Trà Vinh hiện nay?")
    assert (boxes["Ninh Thuận"]["value"], boxes["Trà Vinh"]["value"]) == (5_906, 8_009)
    # a growth rate is asked: Nam Định's 8%, not the 357 tỷ đồng it grew to
    growth = rows("Tỉnh nào có tốc độ tăng doanh thu bưu chính so với cùng kỳ cao nhất?")
    assert (growth["Nam Định"]["value"], growth["Nam Định"]["unit"]) == (8, "%")
    # two shares differ by percentage points
    c = be.ask(
        "Tốc độ tăng doanh thu viễn thông của Nam Định năm 2024 so với tháng 8/2021 thay đổi bao nhiêu?"
    )
    assert (c.answer.value, c.answer.unit) == (6, "điểm phần trăm")
