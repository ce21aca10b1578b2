"""The app's named endpoints, called over HTTP with gradio_client against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

gradio = pytest.importorskip("gradio")
from gradio_client import Client, handle_file  # noqa: E402

from rag.core.config import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
BTS_QUESTION = "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?"


def monthly_report(
    month: int, sites: int, revenue: str, province: str = "Thái Bình", year: int = 2023
) -> str:
    """A short monthly report of a Sở TT&TT, as the portal prints them."""
    return f"""UBND TỈNH {province.upper()}
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

BÁO CÁO
Kết quả công tác thông tin và truyền thông tháng {month} năm {year} của tỉnh {province}

I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG {month}/{year}

1. Lĩnh vực bưu chính, viễn thông

Trong tháng đã rà soát, chấp thuận {sites} vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông.
Doanh thu viễn thông tháng {month} năm {year} ước đạt {revenue} triệu đồng.
"""


NEW_REPORT = monthly_report(3, 77, "91.500")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(index_dir: Path, extra: tuple[Path, ...] = (), **settings_overrides):
    from rag.index.catalog import ingest_paths
    from rag.ui.app import build_app, launch

    settings = load_settings({"index_dir": index_dir, "embedder": "none", **settings_overrides})
    if not (index_dir / "catalog.sqlite").exists():
        report = ingest_paths([CORPUS, *extra], settings)
        assert not report.failed, report.failed
    demo = build_app(settings)
    port = free_port()
    launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("app-index")
    demo, url = start_app(index_dir)
    try:
        yield demo, url, index_dir
    finally:
        demo.close()


@pytest.fixture(scope="module")
def client(app):
    return Client(app[1], verbose=False)


def test_binds_localhost_only(app):
    demo, url, _ = app
    assert demo.server_name == "127.0.0.1"
    assert demo.share is False or demo.share is None
    assert url.startswith("http://127.0.0.1:")


def test_ask_endpoint_returns_cited_json(client):
    data = client.predict(BTS_QUESTION, api_name="/ask")
    assert data["status"] == "answered", data["text"]
    assert data["value"] == 146
    assert data["unit"] == "vị trí"
    assert data["citations"], "an answer must cite its source"
    cite = data["citations"][0]
    assert cite["source"] == "namdinh-2024.txt"
    assert "146" in cite["quote"]
    assert data["filters"]["provinces"] == ["Nam Định"]
    # The same keys as `baocao ask --json`.
    for key in ("question", "passages", "text", "scale", "alternatives", "prompt_id", "timings"):
        assert key in data


def test_ask_endpoint_is_same_json_as_cli(app, client):
    from rag.answer.asker import Asker, answer_to_json

    _, _, index_dir = app
    direct = answer_to_json(
        Asker.open(load_settings({"index_dir": index_dir, "embedder": "none"})).ask(BTS_QUESTION)
    )
    served = client.predict(BTS_QUESTION, api_name="/ask")
    drop = ("timings",)
    assert {k: v for k, v in served.items() if k not in drop} == json.loads(
        json.dumps({k: v for k, v in direct.items() if k not in drop}, ensure_ascii=False)
    )


def test_ask_not_found_says_what_the_index_holds(client):
    data = client.predict("Hà Nội năm 2024 thẩm định bao nhiêu vị trí BTS?", api_name="/ask")
    assert data["status"] == "not_found"
    assert data["value"] is None
    assert "Nam Định" in data["text"]


def test_ask_bad_province_is_a_vietnamese_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="Không nhận ra tên tỉnh"):
        client.predict(BTS_QUESTION, "Atlantis", api_name="/ask")


def test_chat_streams_value_then_citation_and_keeps_filters(app):
    client = Client(app[1], verbose=False)  # its own session: the follow-up depends on this one's history
    job = client.submit(BTS_QUESTION, [], "", "", "", api_name="/chat")
    outputs = list(job)  # every streamed update
    final = job.result()
    assert len(outputs) >= 3, "the answer should stream in stages"
    history, _, province, period, _, note = final
    answer = (
        history[-1]["content"][0]["text"]
        if isinstance(history[-1]["content"], list)
        else history[-1]["content"]
    )
    assert "146 vị trí" in answer
    assert "<mark>146</mark>" in answer
    assert 'class="bc-cite"' in answer and "namdinh-2024.txt" in answer
    assert "bc-answered" in answer
    assert province == "Nam Định" and period == "2024"
    assert "Nam Định" in note

    # A follow-up keeps the indicator and the province, and swaps the period.
    job = client.submit("còn năm 2021 thì sao?", history, province, period, "", api_name="/chat")
    history2, _, province2, period2, _, note2 = job.result()
    assert province2 == "Nam Định"
    assert period2 == "2021"
    assert "vị trí" in note2  # the indicator asked about is kept as well
    assert len(history2) == 4


def test_chat_filters_chosen_by_hand_override_the_question(client):
    def ask(question, province="", period=""):
        history, _, prov, per, _, note = client.predict(question, [], province, period, "", api_name="/chat")
        answer = history[-1]["content"]
        return (answer[0]["text"] if isinstance(answer, list) else answer), prov, per, note

    # No province in the question: the one chosen in the dropdown is used, and shown as understood.
    answer, prov, per, note = ask("Năm 2024 thẩm định bao nhiêu vị trí BTS?", province="Nam Định")
    assert "146 vị trí" in answer and "bc-answered" in answer
    assert (prov, per) == ("Nam Định", "2024") and "Nam Định" in note
    # A province chosen by hand wins over the one the question names.
    answer, prov, _, note = ask(BTS_QUESTION, province="Ninh Thuận")
    assert "bc-notfound" in answer and "Ninh Thuận" in answer and "146" not in answer
    assert prov == "Ninh Thuận" and "Ninh Thuận" in note
    # The same for the period.
    answer, _, per, _ = ask("Nam Định thẩm định bao nhiêu vị trí BTS?", period="2024")
    assert "146 vị trí" in answer and per == "2024"


def test_chat_not_found_looks_different(client):
    history, *_ = client.predict(
        "Hà Nội năm 2024 thẩm định bao nhiêu vị trí BTS?", [], "", "", "", api_name="/chat"
    )
    answer = history[-1]["content"]
    answer = answer[0]["text"] if isinstance(answer, list) else answer
    assert "bc-notfound" in answer and "bc-answered" not in answer


def test_reports_endpoint_lists_inferred_metadata(client):
    docs = client.predict(api_name="/reports")
    by_source = {d["source"]: d for d in docs}
    assert set(by_source) == {p.name for p in CORPUS.glob("*.txt")}
    assert by_source["namdinh-2024.txt"]["province"] == "Nam Định"
    assert by_source["namdinh-2024.txt"]["period"] == "2024"
    assert "path" not in by_source["namdinh-2024.txt"]


def test_summary_endpoint(client):
    s = client.predict("namdinh-2024.txt", api_name="/summary")
    assert "Nam Định" in s["title"]
    assert len(s["key_points"]) >= 5
    assert s["indicators"], "a summary has a key-indicator table"
    assert all(p["citation"] for p in s["key_points"])


def test_summary_of_a_province_set(client):
    s = client.predict("", "Nam Định", "", api_name="/summary")
    assert {r["source"] for r in s["scope"]} == {"namdinh-2021-08.txt", "namdinh-2024.txt"}


def test_summarize_downloads_markdown_and_a_real_docx(client):
    import docx

    doc_id = {d["source"]: d for d in client.predict(api_name="/reports")}["namdinh-2024.txt"]["doc_id"]
    md, table, files = client.predict(doc_id, "", "", 0, api_name="/summarize")
    assert "Nam Định" in md and "Điểm chính" in md
    assert table["headers"][:2] == ["Chỉ tiêu", "Giá trị"] and table["data"]
    by_ext = {Path(f).suffix: Path(f) for f in files}
    assert set(by_ext) == {".md", ".docx"}
    assert all(p.is_file() and p.stat().st_size > 0 for p in by_ext.values())  # downloaded by the client
    assert "Nam Định" in by_ext[".md"].read_text(encoding="utf-8")

    d = docx.Document(str(by_ext[".docx"]))
    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert "Nam Định" in title.text and "2024" in title.text
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Những điểm chính" in headings and "Chỉ tiêu chủ yếu" in headings
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0][:2] == ["Chỉ tiêu", "Giá trị"]
    assert len(rows) > 5
    assert any(r[1] == "146 vị trí" for r in rows[1:]), "the BTS figure is a key indicator"

    # A province set: the DOCX sets its reports side by side, one column per period. A month and a year
    # get no computed change: one is not the other's earlier period.
    _, _, files = client.predict("", "Nam Định", "", 0, api_name="/summarize")
    d = docx.Document(next(f for f in files if f.endswith(".docx")))
    assert "Diễn biến qua các kỳ" in [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0] == ["Chỉ tiêu", "tháng 8/2021", "năm 2024"] and len(rows) >= 2


def test_summary_without_a_choice_is_a_vietnamese_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="hãy chọn một báo cáo"):
        client.predict("", "", "", api_name="/summary")


def test_check_endpoint_cites_the_trà_vinh_copy(client):
    found = client.predict("", api_name="/check")
    assert [f["kind"] for f in found] == ["conflict"]
    figures = found[0]["figures"]
    assert {"66.543 hộ", "66.343 hộ"} <= {g["printed"] for g in figures}
    assert all(g["source"] == "travinh-2022-10.txt" and g["section"] for g in figures)
    assert client.predict("Nam Định", api_name="/check") == []


def test_indicators_endpoint_filters(client):
    rows = client.predict("Nam Định", "2024", "", "BTS", api_name="/indicators")
    assert rows
    assert all(r["Tỉnh"] == "Nam Định" and r["Kỳ"] == "2024" for r in rows)
    assert any(r["Giá trị"] == 146 and r["Đơn vị"] == "vị trí" for r in rows)
    pct = client.predict("", "", "%", "", api_name="/indicators")
    assert pct and all(r["Đơn vị"] == "%" for r in pct)


def test_upload_indexes_a_report_that_can_then_be_asked(app, client, tmp_path):
    from gradio_client.exceptions import AppError

    _, _, index_dir = app
    f = tmp_path / "thaibinh 2023-03 (bản cuối).txt"
    f.write_text(NEW_REPORT, encoding="utf-8")
    status, table, *_ = client.predict([handle_file(str(f))], api_name="/upload")
    assert "Đã thêm" in status, status
    stored = list((index_dir / "uploads").iterdir())
    assert [p.name for p in stored] == ["thaibinh_2023-03_bản_cuối.txt"]
    assert any("thaibinh" in str(row) for row in table["data"])
    docs = {d["source"]: d for d in client.predict(api_name="/reports")}
    assert docs["thaibinh_2023-03_bản_cuối.txt"]["province"] == "Thái Bình"
    data = client.predict("Tháng 3/2023 Thái Bình chấp thuận bao nhiêu vị trí BTS?", api_name="/ask")
    assert data["status"] == "answered" and data["value"] == 77, data["text"]

    # The metadata is editable, and a removed report is gone from answers.
    doc_id = docs["thaibinh_2023-03_bản_cuối.txt"]["doc_id"]
    msg, *_ = client.predict(
        doc_id, "", "2023-03", "monthly", "Báo cáo tháng 3/2023 (sửa)", api_name="/update_report"
    )
    assert "Đã lưu" in msg
    docs = {d["source"]: d for d in client.predict(api_name="/reports")}
    assert docs["thaibinh_2023-03_bản_cuối.txt"]["title"] == "Báo cáo tháng 3/2023 (sửa)"
    # A report uploaded after the app started can be summarised, alone or by its province.
    md, _, files = client.predict(doc_id, "", "", 0, api_name="/summarize")
    assert "Thái Bình" in md and len(files) == 2
    md, *_ = client.predict("", "Thái Bình", "", 0, api_name="/summarize")
    assert "Thái Bình" in md
    msg, *_ = client.predict(doc_id, api_name="/remove_report")
    assert "Đã xóa" in msg
    assert "thaibinh_2023-03_bản_cuối.txt" not in {d["source"] for d in client.predict(api_name="/reports")}
    with pytest.raises(AppError, match="Không tìm thấy báo cáo"):
        client.predict(doc_id, "", "", 0, api_name="/summarize")


def test_bad_upload_type_is_refused_in_vietnamese(client, tmp_path):
    from gradio_client.exceptions import AppError

    f = tmp_path / "virus.exe"
    f.write_bytes(b"MZ\x90\x00")
    with pytest.raises(AppError) as err:
        client.predict([handle_file(str(f))], api_name="/upload")
    assert "định dạng không được nhận" in str(err.value)
    assert ".docx" in str(err.value) and "Traceback" not in str(err.value)


def test_unreadable_upload_is_reported_not_crashed(client, tmp_path):
    from gradio_client.exceptions import AppError

    f = tmp_path / "hong.pdf"
    f.write_bytes(b"this is not a pdf at all")
    with pytest.raises(AppError, match="không đọc được"):
        client.predict([handle_file(str(f))], api_name="/upload")


def test_empty_upload_is_refused_in_vietnamese(app, client, tmp_path):
    from gradio_client.exceptions import AppError

    f = tmp_path / "rong.txt"
    f.write_bytes(b"")
    with pytest.raises(AppError, match="«rong.txt»: tệp rỗng"):
        client.predict([handle_file(str(f))], api_name="/upload")
    assert not (app[2] / "uploads" / "rong.txt").exists()


def test_upload_over_the_size_limit_is_refused_and_the_rest_indexed(tmp_path):
    from gradio_client.exceptions import AppError

    from rag.ui.app import build_app, launch

    # An empty index (a valid start: officials upload next) and a 1 kB limit.
    settings = load_settings({"index_dir": tmp_path / "idx", "embedder": "none", "max_file_mb": 0.001})
    demo = build_app(settings)
    port = free_port()
    launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        small, big = tmp_path / "thaibinh-2023-03.txt", tmp_path / "lon.txt"
        small.write_text(NEW_REPORT, encoding="utf-8")  # under 1 kB
        big.write_text(NEW_REPORT * 4, encoding="utf-8")
        with pytest.raises(AppError, match="«lon.txt»: tệp .* vượt giới hạn 0.001 MB"):
            client.predict([handle_file(str(big))], api_name="/upload")
        # One good file and one too large: the good one is indexed, the other named in the status.
        status, *_ = client.predict([handle_file(str(small)), handle_file(str(big))], api_name="/upload")
        assert "✅ Đã thêm «thaibinh-2023-03.txt»" in status
        assert "❌ «lon.txt»" in status and "vượt giới hạn" in status
        assert sorted(p.name for p in (tmp_path / "idx" / "uploads").iterdir()) == ["thaibinh-2023-03.txt"]
        assert [d["source"] for d in client.predict(api_name="/reports")] == ["thaibinh-2023-03.txt"]
    finally:
        demo.close()


def test_reindex_endpoint(client):
    msg, table = client.predict(api_name="/reindex")
    assert "Đã đọc lại" in msg
    assert len(table["data"]) >= 4


def test_feedback_is_appended_to_jsonl(app, client):
    from gradio_client.exceptions import AppError

    log = app[2] / "feedback.jsonl"

    def rows():
        return (
            [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
            if log.exists()
            else []
        )

    before = len(rows())
    client.predict("down", "sai kỳ báo cáo", BTS_QUESTION, api_name="/feedback")
    client.predict("up", "", BTS_QUESTION, api_name="/feedback")
    after = rows()
    assert len(after) == before + 2  # appended, never rewritten
    assert after[-2]["rating"] == "down" and after[-2]["comment"] == "sai kỳ báo cáo"
    assert after[-2]["question"] == BTS_QUESTION and after[-2]["time"]
    assert after[-1]["rating"] == "up"
    with pytest.raises(AppError, match="up"):
        client.predict("meh", "", BTS_QUESTION, api_name="/feedback")
    assert len(rows()) == before + 2


def test_evaluate_endpoint_shows_metrics_and_worst_items(tmp_path):
    # The gold set is configured on the server (a client names it, never a path): see test_app_access.py.
    from rag.service import Backend
    from rag.ui.app import build_app, launch

    gold = [
        json.loads(line) for line in (ROOT / "eval" / "gold" / "dev.jsonl").read_text("utf-8").splitlines()
    ]
    wrong = {**gold[1], "id": "sai-co-y", "answer": 999999}  # a gold answer no report gives
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in (gold[0], wrong)), encoding="utf-8")
    settings = load_settings({"index_dir": tmp_path / "idx", "embedder": "none"})
    demo = build_app(settings, backend=Backend(settings, eval_sets={"thu": (path, CORPUS)}))
    port = free_port()
    launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        metrics, worst, page = client.predict("thu", api_name="/evaluate")
    finally:
        demo.close()
    m = dict(metrics["data"])
    assert m["numeric_accuracy"] == 0.5 and m["hit_at_5"] == 1.0
    assert m["latency_p50_ms"] > 0 and m["latency_p95_ms"] >= m["latency_p50_ms"]
    assert [row[0] for row in worst["data"]] == ["sai-co-y"]
    assert "999.999" in worst["data"][0][3]
    assert "sai-co-y" in Path(page).read_text(encoding="utf-8")


def test_queue_runs_heavy_work_one_at_a_time(app):
    demo = app[0]
    fns = {fn.api_name: fn for fn in demo.fns.values()}
    for name in ("upload", "update_report", "remove_report", "reindex", "summarize", "summary", "evaluate"):
        assert (fns[name].concurrency_id, fns[name].concurrency_limit) == ("heavy", 1), name
    assert fns["chat"].concurrency_limit == fns["ask"].concurrency_limit == 16
    assert demo._queue.max_size == 256


# --- pieces that need no server ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\báo cáo.docx", "báo_cáo.docx"),
        ("  .hidden.txt", "hidden.txt"),
        ("a<b>|c?.PDF", "a_b_c.pdf"),
        ("$(rm -rf ~).md", "rm_-rf.md"),
    ],
)
def test_sanitize_filename(raw, safe):
    from rag.service import sanitize_filename

    assert sanitize_filename(raw) == safe


def test_upload_size_limit(tmp_path):
    from rag.service import Backend

    be = Backend(load_settings({"index_dir": tmp_path / "idx", "embedder": "none", "max_file_mb": 0.001}))
    f = tmp_path / "big.txt"
    f.write_text("Báo cáo tỉnh Nam Định năm 2024. " * 200, encoding="utf-8")
    msg, problems = be.upload([str(f)])
    assert problems and "vượt giới hạn" in problems[0]
    assert not (tmp_path / "idx" / "uploads" / "big.txt").exists()


def test_users_file_has_salted_argon2_hashes_and_login_works(tmp_path):
    from rag.users import add_user, make_auth, verify

    path = tmp_path / "users.json"
    assert make_auth(path) is None  # no users file: no login
    add_user(path, "canbo", "mat-khau-dai")
    add_user(path, "lanhdao", "mat-khau-dai")
    data = json.loads(path.read_text())
    h1, h2 = data["users"]["canbo"]["hash"], data["users"]["lanhdao"]["hash"]
    assert h1.startswith("$argon2id$") and h1 != h2  # same password, different salts
    assert "mat-khau-dai" not in path.read_text()
    assert verify(path, "canbo", "mat-khau-dai")
    assert not verify(path, "canbo", "sai")
    assert not verify(path, "nobody", "mat-khau-dai")
    assert (path.stat().st_mode & 0o077) == 0


def test_login_is_required_when_users_exist(tmp_path):
    from rag.index.catalog import ingest_paths
    from rag.ui.app import build_app, launch
    from rag.users import add_user, make_auth

    settings = load_settings({"index_dir": tmp_path / "idx", "embedder": "none"})
    ingest_paths([CORPUS / "namdinh-2024.txt"], settings)
    add_user(tmp_path / "users.json", "canbo", "mat-khau-dai")
    demo = build_app(settings)
    port = free_port()
    launch(
        demo,
        settings,
        port=port,
        auth=make_auth(tmp_path / "users.json"),
        prevent_thread_lock=True,
        quiet=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do: the point is no access
            Client(url, verbose=False).predict(BTS_QUESTION, api_name="/ask")
        ok = Client(url, auth=("canbo", "mat-khau-dai"), verbose=False)
        assert ok.predict(BTS_QUESTION, api_name="/ask")["value"] == 146
    finally:
        demo.close()


def test_cli_user_add_stores_a_hash(tmp_path):
    from click.testing import CliRunner

    from rag.cli import cli

    res = CliRunner().invoke(
        cli, ["--index", str(tmp_path), "user", "add", "canbo"], input="mat-khau-dai\nmat-khau-dai\n"
    )
    assert res.exit_code == 0, res.output
    text = (tmp_path / "users.json").read_text()
    assert "$argon2id$" in text and "mat-khau-dai" not in text
