"""Summaries over a real index of the sample reports (lexical only, built once per module)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.core.config import Settings
from rag.core.types import Citation
from rag.index.catalog import resolve_document
from rag.summarize.export import to_docx, to_json, to_markdown
from rag.summarize.extractive import (
    Point,
    apply_faithfulness,
    score_summaries,
    summarize_document,
    summarize_set,
)
from rag.text.numbers import parse_quantities

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"
REPORTS = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def index(sample_index) -> tuple[Path, Settings]:
    settings = sample_index("sumidx")
    return settings.index_dir, settings


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_has_cited_key_points_with_verbatim_figures(index, name):
    idx, settings = index
    s = summarize_document(idx, name, settings, use_cache=False)
    doc = resolve_document(idx, name)
    assert 5 <= len(s.key_points) <= 10
    assert s.indicators, "indicator table is empty"
    for p in s.key_points:
        assert p.citation is not None and p.citation.source == name and p.citation.section
        cited = doc.text[p.citation.start : p.citation.end]
        for f in p.figures:
            assert doc.text[f.start : f.end] == f.text
            assert f.start >= p.citation.start and f.end <= p.citation.end
        # every number printed in the point is printed, the same way, in the cited passage
        cited_flat = " ".join(cited.split())
        for q in parse_quantities(p.text):
            assert re.match(r"[\d.,]+", q.raw).group() in cited_flat, (q.raw, p.text)
    for r in s.indicators:
        assert doc.text[r.figure.start : r.figure.end] == r.figure.text
    assert s.faithfulness["score"] == 1.0
    assert s.timings["total_s"] < 10


def test_faithfulness_drops_a_fabricated_sentence(index):
    idx, settings = index
    s = summarize_document(idx, "namdinh-2024.txt", settings)
    doc = resolve_document(idx, "namdinh-2024.txt")
    real = s.key_points[0]
    fake = Point(
        text="Doanh thu dịch vụ viễn thông năm 2024 đạt 9.999 tỷ đồng, tăng 77%.",
        citation=real.citation,
    )
    kept, report = apply_faithfulness([real, fake], {doc.source: doc.text})
    assert kept == [real]
    assert report["dropped"] == [fake.text]
    marked, _ = apply_faithfulness([fake], {doc.source: doc.text}, mark=True)
    assert marked[0].status == "unverified" and "[chưa kiểm chứng]" in marked[0].text
    # a citation cannot vouch for itself: a quote edited to hold the number still fails
    forged = Citation(
        real.citation.chunk_id, doc.source, "", fake.text, real.citation.start, real.citation.end
    )
    kept, _ = apply_faithfulness([Point(fake.text, (), forged)], {doc.source: doc.text})
    assert kept == []


def test_set_summary_has_a_comparison_table(index):
    idx, settings = index
    s = summarize_set(idx, settings, all=True, use_cache=False)
    assert len(s.scope) == 4
    assert s.comparison
    for row in s.comparison:
        assert len(row.cells) == 4 and any(row.cells)
    assert {p.citation.source for p in s.key_points} == set(REPORTS)
    md = to_markdown(s)
    assert "So sánh giữa các báo cáo" in md
    s2 = summarize_set(idx, settings, province="Nam Định")
    assert [d.source for d in s2.scope] == ["namdinh-2021-08.txt", "namdinh-2024.txt"]


def test_markdown_and_json_rendering(index):
    idx, settings = index
    s = summarize_document(idx, "travinh-2022-10.txt", settings)
    md = to_markdown(s)
    assert md.startswith("# ")
    assert "## Những điểm chính" in md and "## Chỉ tiêu chủ yếu" in md
    assert re.search(r"^\| Chỉ tiêu \| Giá trị \|", md, re.M)
    assert "travinh-2022-10.txt — " in md
    data = to_json(s)
    json.dumps(data, ensure_ascii=False)
    assert data["figures"] and all(f["source"] and f["quote"] for f in data["figures"])
    en = summarize_document(idx, "travinh-2022-10.txt", settings, lang="en")
    md_en = to_markdown(en)
    assert "## Key points" in md_en and "## Key indicators" in md_en
    assert any("verbatim" in n for n in en.notes)


def test_docx_opens_back_with_headings_and_table(index, tmp_path):
    from docx import Document as Docx

    idx, settings = index
    s = summarize_document(idx, "namdinh-2024.txt", settings)
    path = to_docx(s, tmp_path / "tomtat.docx")
    d = Docx(str(path))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert "Những điểm chính" in headings and "Chỉ tiêu chủ yếu" in headings
    assert d.tables and d.tables[0].rows[0].cells[0].text == "Chỉ tiêu"
    assert len(d.tables[0].rows) == len(s.indicators) + 1


def test_cache_hit_on_second_call(index):
    idx, settings = index
    first = summarize_document(idx, "ninhthuan-2021-02.txt", settings, max_words=300)
    files = list((idx / "summaries").glob("*.json"))
    assert files
    stamp = {f: f.stat().st_mtime_ns for f in files}
    second = summarize_document(idx, "ninhthuan-2021-02.txt", settings, max_words=300)
    assert second == first
    assert {f: f.stat().st_mtime_ns for f in files} == stamp


def test_score_summaries_hand_built():
    from rag.summarize.extractive import Figure, ReportRef, Summary

    quote = "Doanh thu ước đạt 357 tỷ đồng, tăng 8%."
    cit = Citation("d:0", "a.txt", "I", quote, 0, len(quote))
    fig = Figure(357, "đồng", 1e9, "357 tỷ đồng", "a.txt", "I", quote, "d:0", 17, 28)
    good = Point("Doanh thu ước đạt 357 tỷ đồng, tăng 8%.", (fig,), cit)
    bad = Point("Thuê bao đạt 1.000 thuê bao.", (), cit)
    summary = Summary("t", (ReportRef("d", "a.txt", "t", "Nam Định", "2024", "annual"),), "", (good, bad), ())
    gold = {"a.txt": {"points": [{"numbers": [357, 8]}, {"numbers": [1.3]}, {"numbers": []}]}}
    r = score_summaries({"a.txt": summary}, gold)
    assert r["coverage"] == pytest.approx(2 / 3, abs=1e-3)
    # 357 and 8 in the text, 357 as a figure: verified; 1.000 is not in the cited passage
    assert r["faithfulness"] == pytest.approx(3 / 4, abs=1e-3)
    assert r["files"]["a.txt"]["unverified"] == ["1.000 thuê bao"]
    assert score_summaries({}, gold)["coverage"] == 0.0


def test_cli_summarize(index, tmp_path):
    from rag.cli import cli

    idx, _ = index
    runner = CliRunner()
    res = runner.invoke(
        cli, ["--index", str(idx), "--embedder", "none", "summarize", "--doc", "namdinh-2024.txt"]
    )
    assert res.exit_code == 0, res.output
    assert "## Những điểm chính" in res.output
    res = runner.invoke(
        cli,
        [
            "--index",
            str(idx),
            "--embedder",
            "none",
            "summarize",
            "--doc",
            "namdinh-2024.txt",
            "--format",
            "docx",
        ],
    )
    assert res.exit_code != 0
    out = tmp_path / "s.json"
    res = runner.invoke(
        cli,
        [
            "--index",
            str(idx),
            "--embedder",
            "none",
            "summarize",
            "--province",
            "Nam Định",
            "--format",
            "json",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8"))["comparison"]


DIFFICULT_REPORT = """SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH HÀ NAM

BÁO CÁO
Kết quả công tác thông tin và truyền thông quý I năm 2023

I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ I NĂM 2023

1. Viễn thông

Trong quý đã thẩm định, chấp thuận 27 vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông.
Doanh thu viễn thông quý I ước đạt 145 tỷ đồng, tăng 6% so với cùng kỳ năm 2022.

2. Dịch vụ công trực tuyến

Hệ thống đã tiếp nhận 12.400 hồ sơ, trong đó 9.800 hồ sơ trực tuyến, đạt tỷ lệ 79%.

II. KHÓ KHĂN, VƯỚNG MẮC

- Việc ngầm hóa cáp viễn thông còn chậm do thiếu kinh phí, mới đạt 40% kế hoạch.
- Một số xã vùng sâu chưa có sóng 4G ổn định.

III. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2023

- Hoàn thành thẩm định 30 vị trí trạm BTS.
- Nâng tỷ lệ hồ sơ trực tuyến lên trên 85%.
"""


def test_difficulties_and_tasks_get_their_own_parts(tmp_path):
    path = tmp_path / "hanam-2023-Q1.txt"
    path.write_text(DIFFICULT_REPORT, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", embedder="none")
    from rag.index.catalog import ingest_paths

    ingest_paths([path], settings)
    s = summarize_document(settings.index_dir, path.name, settings, use_cache=False)
    assert any("ngầm hóa cáp" in p.text for p in s.difficulties), s.difficulties
    assert any("30 vị trí" in p.text for p in s.tasks), s.tasks
    assert not any("ngầm hóa" in p.text for p in s.key_points)  # a difficulty is not an achievement
    md = to_markdown(s)
    assert "Khó khăn, vướng mắc" in md and "Nhiệm vụ trọng tâm" in md
    assert md.index("Khó khăn, vướng mắc") < md.index("Nhiệm vụ trọng tâm")


@pytest.fixture(scope="module")
def monthly(tmp_path_factory) -> Settings:
    """Thái Bình over three months and Bắc Ninh in March: a trend and a comparison of provinces."""
    import sys

    from rag.index.catalog import ingest_paths

    sys.path.insert(0, str(Path(__file__).parent))
    from test_app import monthly_report

    root = tmp_path_factory.mktemp("sets")
    (root / "r").mkdir()
    for month, sites, revenue in ((1, 40, "88.200"), (2, 52, "90.100"), (3, 77, "91.500")):
        (root / "r" / f"tb-{month}.txt").write_text(monthly_report(month, sites, revenue), encoding="utf-8")
    (root / "r" / "bn-3.txt").write_text(monthly_report(3, 31, "120.400", province="Bắc Ninh"), "utf-8")
    s = Settings(index_dir=root / "index", embedder="none", log_dir=root / "logs")
    assert not ingest_paths([root / "r"], s).failed
    return s


def test_a_province_over_periods_gets_a_trend_table_with_changes(monthly):
    s = summarize_set(monthly.index_dir, monthly, province="Thái Bình", use_cache=False)
    assert s.comparison_kind == "trend"
    rows = {r.indicator: r for r in s.comparison}
    sites = next(r for name, r in rows.items() if "BTS" in name)
    assert [c.text for c in sites.cells] == ["40 vị trí", "52 vị trí", "77 vị trí"]
    assert sites.change == "+37 vị trí (+92,5%)"
    revenue = next(r for name, r in rows.items() if "Doanh thu" in name)
    assert [c.value for c in revenue.cells] == [88.2e9, 90.1e9, 91.5e9]
    assert revenue.change == "+3,3 tỷ đồng (+3,7%)"
    # every cell is the printed span of its report
    for row in s.comparison:
        for c in row.cells:
            text = (monthly.index_dir.parent / "r" / c.source).read_text(encoding="utf-8")
            assert c.text in text and c.section
    md = to_markdown(s)
    assert "Diễn biến qua các kỳ" in md and "| tháng 1/2023 | tháng 2/2023 | tháng 3/2023 |" in md
    assert "+37 vị trí (+92,5%)" in md
    back = to_json(s)
    assert back["comparison_kind"] == "trend" and back["comparison"][0]["change"]


def test_a_period_over_provinces_gets_a_comparison_table(monthly):
    s = summarize_set(monthly.index_dir, monthly, period="2023-03", use_cache=False)
    assert s.comparison_kind == "provinces"
    assert [d.province for d in s.scope] == ["Bắc Ninh", "Thái Bình"]
    sites = next(r for r in s.comparison if "BTS" in r.indicator)
    assert [c.text for c in sites.cells] == ["31 vị trí", "77 vị trí"] and not sites.change
    assert "| Bắc Ninh | Thái Bình |" in to_markdown(s) and "So sánh giữa các tỉnh" in to_markdown(s)


def test_the_matrix_keeps_cumulative_apart_from_in_period() -> None:
    from rag.figures.matrix import describe_change, indicator_matrix
    from rag.figures.table import FigureRow

    def row(doc: str, period: str, value: float, aspects: tuple[str, ...] = ()) -> FigureRow:
        return FigureRow(
            "vienthong.doanh_thu", "X", period, aspects, value, "đồng", "…", doc + ".txt", "",
            "", doc, 0, 1, "",
        )  # fmt: skip

    rows = [
        row("a", "2024-01", 10e9),
        row("a", "2024-01", 10e9, ("cumulative",)),
        row("b", "2024-02", 12e9),
        row("b", "2024-02", 22e9, ("cumulative",)),
        row("b", "2024-02", 1e9, ("change",)),
    ]
    got = {r.aspects: r for r in indicator_matrix(rows, ["a", "b"], trend=True)}
    assert set(got) == {(), ("cumulative",)}
    assert [c.value for c in got[()].cells] == [10e9, 12e9] and got[()].change == "+2 tỷ đồng (+20%)"
    assert [c.value for c in got[("cumulative",)].cells] == [10e9, 22e9]
    assert "lũy kế" in got[("cumulative",)].name
    assert describe_change(96.0, 91.5, "%") == "−4,5 điểm %"
    # a year is not set against a month
    year = indicator_matrix([row("a", "2023", 100e9), row("b", "2024-02", 12e9)], ["a", "b"], trend=True)
    assert year[0].change == ""
