"""Consistency checks (`baocao check`, rag.figures): the Trà Vinh copy in the sample reports, each kind
on reports written for the test (with the near misses that must stay quiet), and recall/precision on a
small generated corpus with planted inconsistencies (tools.planted)."""

from __future__ import annotations

import json
from pathlib import Path

from rag.core.config import Settings
from rag.figures import check_index, load_rows
from rag.index.catalog import ingest_paths

ROOT = Path(__file__).resolve().parent.parent


def _index(tmp: Path, reports: dict[str, tuple[str, str, str]]) -> Path:
    """Index reports {file: (province, period, body)} (lexical) and return the index folder."""
    src = tmp / "src"
    src.mkdir()
    s = Settings(index_dir=tmp / "index", embedder="none", log_dir=tmp / "logs")
    for name, (province, period, body) in reports.items():
        (src / name).write_text(body, encoding="utf-8")
        rep = ingest_paths([src / name], s, {"province": province, "period": period})
        assert not rep.failed, rep.failed
    return s.index_dir


def _report(title: str, *paras: str) -> str:
    return "\n\n".join(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "BÁO CÁO", title, *paras]) + "\n"


def test_sample_reports_trà_vinh_printed_twice(sample_index) -> None:
    s = sample_index("figures")
    found = check_index(s.index_dir)
    # the four sample reports hold one inconsistency that a reader can confirm: Trà Vinh's e-commerce
    # paragraph printed in two sections with different figures; nothing else is flagged
    assert [f.kind for f in found] == ["conflict"]
    rows = found[0].rows
    printed = {r.printed for r in rows}
    assert {"66.543 hộ", "66.343 hộ", "57.291 hộ", "57.035 hộ"} <= printed
    assert {"1.118 loại sản phẩm", "1.073 loại sản phẩm"} <= printed
    assert {r.source for r in rows} == {"travinh-2022-10.txt"}
    sections = {r.section.split(" › ")[1] for r in rows}
    assert sections == {"2. Lĩnh vực bưu chính", "4. Lĩnh vực ứng dụng công nghệ thông tin"}
    docs = {d.source: d for d in load_rows(s.index_dir)[1].values()}
    text = docs["travinh-2022-10.txt"].text
    assert all(text[r.start : r.end] == r.printed for r in rows)  # every figure cited by its span


def test_each_kind_and_its_near_misses(tmp_path: Path) -> None:
    march = _report(
        "Kết quả tháng 3 năm 2024",
        "1. Dịch vụ công",
        "- Tổng số hồ sơ tiếp nhận trong tháng là 1.200 hồ sơ, trong đó 1.500 hồ sơ trực tuyến.",
        "- Cổng dịch vụ công tiếp nhận 800 hồ sơ, trong đó 650 hồ sơ trực tuyến toàn trình.",
        "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 104,5%.",
        "- Doanh thu viễn thông đạt 105% kế hoạch năm; số thuê bao tăng 120% so với cùng kỳ.",
        "- Lũy kế doanh thu bưu chính từ đầu năm đến hết tháng 3/2024 đạt 45.000 triệu đồng.",
        "- Lũy kế số thuê bao Internet phát triển mới từ đầu năm đạt 9.000 thuê bao.",
        "2. Chuyển đổi số",
        "- Đến nay có 12.345 hộ sản xuất nông nghiệp có tài khoản bán hàng trên sàn thương mại điện tử.",
        "3. Kinh tế số",
        "- Đến nay có 12.045 hộ sản xuất nông nghiệp có tài khoản bán hàng trên sàn thương mại điện tử.",
    )
    may = _report(
        "Kết quả tháng 5 năm 2024",
        "1. Bưu chính, viễn thông",
        "- Lũy kế doanh thu bưu chính từ đầu năm đến hết tháng 5/2024 đạt 41.000 triệu đồng.",
        "- Lũy kế số thuê bao Internet phát triển mới từ đầu năm đạt 15.000 thuê bao.",
    )
    idx = _index(
        tmp_path,
        {"a-2024-03.txt": ("Nam Định", "2024-03", march), "a-2024-05.txt": ("Nam Định", "2024-05", may)},
    )
    found = check_index(idx)
    kinds = {f.kind: [f2 for f2 in found if f2.kind == f.kind] for f in found}
    assert sorted(kinds) == ["conflict", "cumulative_down", "part_over_whole", "percent_over_100"]
    # one of each: the near misses (650 of 800, 105% of plan, +120%, a rising running total) stay quiet
    assert {k: len(v) for k, v in kinds.items()} == {
        "conflict": 1,
        "cumulative_down": 1,
        "part_over_whole": 1,
        "percent_over_100": 1,
    }
    assert {r.printed for r in kinds["conflict"][0].rows} == {"12.345 hộ", "12.045 hộ"}
    down = kinds["cumulative_down"][0].rows
    assert [(r.period, r.value) for r in down] == [("2024-03", 45e9), ("2024-05", 41e9)]
    whole, part = kinds["part_over_whole"][0].rows
    assert (whole.value, part.value) == (1200, 1500)
    assert kinds["percent_over_100"][0].rows[0].printed == "104,5%"
    assert all(f.message and f.to_dict()["figures"][0]["source"] for f in found)


def test_planted_inconsistencies_are_found(tmp_path: Path) -> None:
    from tools.planted import evaluate

    r = evaluate(n_docs=35, seed=5, work=tmp_path)
    assert r["plants"] >= 15
    assert r["recall"] >= 0.9, r["missed"]
    assert r["precision"] >= 0.9, r["false_alarms"]


def test_check_cli_json_and_filters(sample_index) -> None:
    from click.testing import CliRunner

    from rag.cli import cli

    s = sample_index("figures-cli")
    run = lambda *a: CliRunner().invoke(cli, ["--index", str(s.index_dir), "--embedder", "none", *a])  # noqa: E731
    r = run("check", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data[0]["kind"] == "conflict" and data[0]["label"]
    assert all(f["source"] and f["section"] and f["printed"] for f in data[0]["figures"])
    assert json.loads(run("check", "--json", "--province", "Nam Định").output) == []
    assert json.loads(run("check", "--json", "--kind", "percent_over_100").output) == []
    text = run("check", "--province", "tra vinh")
    assert text.exit_code == 0 and "66.543 hộ" in text.output and "1 finding" in text.output
    bad = run("check", "--province", "Atlantis")
    assert bad.exit_code == 1 and "unknown province" in str(bad.exception)


def test_the_table_is_stored_at_ingest_and_follows_the_index(tmp_path: Path) -> None:
    """Rows are written with their report's mentions, read back with its current metadata, dropped with
    it, and written again when the index is re-derived by a newer baocao."""
    from rag.figures.table import figure_rows
    from rag.index.catalog import (
        catalog,
        load_mentions,
        rederive_if_changed,
        remove_document,
        update_metadata,
    )

    body = _report("Báo cáo tháng 3 năm 2024", "Toàn tỉnh hiện có 1.204 vị trí trạm BTS, 2.310 trạm BTS.")
    idx = _index(
        tmp_path,
        {
            "a.txt": ("Thái Bình", "2024-03", body),
            "b.txt": ("Nam Định", "2024-03", body.replace("1.204", "1.150")),
        },
    )
    rows, docs = load_rows(idx)
    with catalog(idx, create=False) as con:
        derived = figure_rows(docs.values(), load_mentions(con))
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == len(rows) == len(derived) > 0
    assert sorted(rows, key=lambda r: (r.doc_id, r.start)) == sorted(
        derived, key=lambda r: (r.doc_id, r.start)
    )
    a = next(d for d in docs.values() if d.source == "a.txt")
    update_metadata(idx, a.doc_id, {"province": "Bắc Ninh"})
    assert {r.province for r in load_rows(idx)[0] if r.doc_id == a.doc_id} == {"Bắc Ninh"}
    remove_document(idx, a.doc_id)
    assert {r.source for r in load_rows(idx)[0]} == {"b.txt"}
    s = Settings(index_dir=idx, embedder="none", log_dir=tmp_path / "logs")
    with catalog(idx, create=False) as con:
        with con:
            con.execute("DELETE FROM figures")
            con.execute("UPDATE meta SET value='older' WHERE key='derivation'")
        assert rederive_if_changed(con, s) == 1
    assert len(load_rows(idx)[0]) == len([r for r in rows if r.source == "b.txt"])
