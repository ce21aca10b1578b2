import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rag.core.types import Document
from rag.ingest.chunk import chunk_document, paragraph_chunks
from rag.ingest.sections import heading_spans
from rag.text.segment import sentence_spans
from rag.text.tokens import count_tokens, truncate_tokens

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted(p.stem for p in CORPUS.glob("*.txt"))
NUMBER = re.compile(r"\d[\d.,]*\d%?")
UPDATE_ENV = "BAOCAO_UPDATE_GOLDEN"


def _doc(name: str, **meta: object) -> Document:
    return Document(
        doc_id=name, source=f"{name}.txt", text=(CORPUS / f"{name}.txt").read_text("utf-8"), **meta
    )


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def _check_invariants(doc: Document, chunks: list, max_tokens: int) -> None:
    text = doc.text
    assert [c.n for c in chunks] == list(range(len(chunks)))
    covered = bytearray(len(text))
    prev_end = 0
    for c in chunks:
        assert text[c.start : c.end] == c.text, c.chunk_id
        assert c.chunk_id == f"{doc.doc_id}:{c.n}"
        assert c.text == c.text.strip() and c.text
        assert c.start >= prev_end, "chunks overlap or are out of order"
        prev_end = c.end
        n = count_tokens(c.text)
        # Only a single word longer than the whole budget may exceed it.
        assert n <= max_tokens or not re.search(r"\s", c.text), (c.chunk_id, n)
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    headings = bytearray(len(text))
    for sec, head_start in heading_spans(text):
        headings[head_start : sec.start] = b"\x01" * (sec.start - head_start)
    # Nothing lost: every visible character is in a chunk or in a heading line (the path carries it).
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] or headings[i], (i, text[max(0, i - 30) : i + 30])
    # Numbers are never cut: each lies wholly inside one chunk or wholly in a heading line.
    for m in NUMBER.finditer(text):
        s, e = m.span()
        inside = any(c.start <= s and e <= c.end for c in chunks)
        assert inside or all(headings[s:e]), (m.group(), s)
        assert not any(s < c.start < e or s < c.end < e for c in chunks), m.group()


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("max_tokens", [320, 120, 48])
def test_chunk_invariants_on_samples(name: str, max_tokens: int) -> None:
    doc = _doc(name)
    chunks = chunk_document(doc, max_tokens=max_tokens, min_tokens=min(60, max_tokens // 3))
    _check_invariants(doc, chunks, max_tokens)


def test_invariants_on_ingested_text() -> None:
    ingest = pytest.importorskip("rag.ingest.reports")
    for name in SAMPLES:
        text, pages = ingest.normalise((CORPUS / f"{name}.txt").read_text("utf-8"))
        doc = Document(doc_id=name, source=name, text=text, pages=pages)
        _check_invariants(doc, chunk_document(doc), 320)


def _outline(name: str) -> str:
    chunks = chunk_document(_doc(name))
    return "".join(f"{c.n}\t{count_tokens(c.text)}\t{c.section_path}\n" for c in chunks)


@pytest.mark.parametrize("name", SAMPLES)
def test_golden_outline(name: str) -> None:
    """The chunk outline (n, tokens, section path) of each sample report is reviewed and frozen.
    Regenerate with BAOCAO_UPDATE_GOLDEN=1 after a deliberate change, then review the git diff."""
    path = GOLDEN / f"{name}.outline.txt"
    current = _outline(name)
    if os.environ.get(UPDATE_ENV):
        path.parent.mkdir(exist_ok=True)
        path.write_text(current, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if current != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                current.splitlines(keepends=True),
                fromfile=f"golden/{path.name}",
                tofile="current",
            )
        )
        pytest.fail(f"chunk outline of {name} changed ({UPDATE_ENV}=1 to accept):\n{diff}")


def test_chunk_metadata_and_pages() -> None:
    text = "I. KẾT QUẢ\n\nĐoạn một có 12,5% tăng trưởng.\n\nII. KẾ HOẠCH\n\nĐoạn hai.\n"
    second = text.index("II.")
    doc = Document(
        doc_id="d1",
        source="f.txt",
        text=text,
        title="Báo cáo tháng 5",
        province="Nam Định",
        period="2023-05",
        kind="monthly",
        pages=((0, 1), (second, 2)),
    )
    chunks = chunk_document(doc)
    assert [(c.text, c.section, c.page) for c in chunks] == [
        ("Đoạn một có 12,5% tăng trưởng.", ("I. KẾT QUẢ",), 1),
        ("Đoạn hai.", ("II. KẾ HOẠCH",), 2),
    ]
    c = chunks[0]
    assert (c.chunk_id, c.doc_id, c.source, c.title, c.province, c.period, c.kind) == (
        "d1:0",
        "d1",
        "f.txt",
        "Báo cáo tháng 5",
        "Nam Định",
        "2023-05",
        "monthly",
    )
    assert all(isinstance(p, str) for p in c.periods)
    assert (
        Document(doc_id="e", source="e.txt", text="").text == ""
        and chunk_document(Document(doc_id="e", source="e.txt", text="")) == []
    )


def test_short_siblings_merge_under_parent() -> None:
    text = (
        "I. KẾT QUẢ\n\n1. Bưu chính\n\n1.1. Doanh thu\n\nĐạt 357 tỷ đồng.\n\n"
        "1.2. Sản lượng\n\nĐạt 1.674.885 bưu gửi.\n\n2. Viễn thông\n\nTăng 8%.\n"
    )
    doc = Document(doc_id="m", source="m.txt", text=text)
    chunks = chunk_document(doc, max_tokens=320, min_tokens=60)
    assert [(c.section, c.text) for c in chunks] == [
        # Merged siblings span from the first one's heading, filed under their common parent.
        (
            ("I. KẾT QUẢ", "1. Bưu chính"),
            "1.1. Doanh thu\n\nĐạt 357 tỷ đồng.\n\n1.2. Sản lượng\n\nĐạt 1.674.885 bưu gửi.",
        ),
        (("I. KẾT QUẢ", "2. Viễn thông"), "Tăng 8%."),
    ]
    # With a budget too small for both, each keeps its own section.
    small = chunk_document(doc, max_tokens=16, min_tokens=12)
    assert [c.section[-1] for c in small] == ["1.1. Doanh thu", "1.2. Sản lượng", "2. Viễn thông"]


def test_heading_without_body_is_its_own_chunk() -> None:
    text = "I. KẾT QUẢ\n\nNội dung phần một khá dài để không bị gộp.\n\nII. KIẾN NGHỊ, ĐỀ XUẤT\n"
    chunks = chunk_document(Document(doc_id="h", source="h.txt", text=text), min_tokens=1)
    assert [(c.section, c.text) for c in chunks] == [
        (("I. KẾT QUẢ",), "Nội dung phần một khá dài để không bị gộp."),
        (("II. KIẾN NGHỊ, ĐỀ XUẤT",), "II. KIẾN NGHỊ, ĐỀ XUẤT"),
    ]


def test_headings_with_children_are_not_repeated() -> None:
    doc = _doc("namdinh-2024")
    chunks = chunk_document(doc)
    assert not any(c.text.startswith("I. KẾT QUẢ") for c in chunks)
    target = (
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024",
        "1. Lĩnh vực bưu chính, viễn thông, tần số vô tuyến điện",
        "1.2. Kết quả thực hiện các chỉ tiêu",
    )
    hits = [c for c in chunks if c.section == target]
    assert len(hits) == 1 and "1.674.885 thuê bao" in hits[0].text


def test_long_sentence_falls_back_to_clauses() -> None:
    sentence = (
        "Tổ chức tập huấn " + ", ".join(f"hội nghị số {i} với 1.{i:03d} người" for i in range(60)) + "."
    )
    doc = Document(doc_id="s", source="s.txt", text="I. A\n\n" + sentence + "\n")
    chunks = chunk_document(doc, max_tokens=80)
    assert len(chunks) > 1
    _check_invariants(doc, chunks, 80)
    # Cuts fall after a comma, never inside "1.023".
    assert all(c.text.endswith((",", ".")) for c in chunks)


def test_sentence_splitter_tricky_cases() -> None:
    assert _sentences("Tỷ lệ hồ sơ giải quyết đúng hạn là 99,7%. Tỷ lệ trực tuyến đạt 96%.") == [
        "Tỷ lệ hồ sơ giải quyết đúng hạn là 99,7%.",
        "Tỷ lệ trực tuyến đạt 96%.",
    ]
    # Abbreviations are not sentence ends.
    assert _sentences("Hội nghị tại TP. Nam Định do ThS. Nguyễn Văn A chủ trì. Kết quả tốt.") == [
        "Hội nghị tại TP. Nam Định do ThS. Nguyễn Văn A chủ trì.",
        "Kết quả tốt.",
    ]
    # A lone capital with a dot is read as an initial ("Lê B."), at the cost of missing a boundary there.
    assert _sentences("Trạm tại Tp. Hồ Chí Minh và TS. Lê B. Xong.") == [
        "Trạm tại Tp. Hồ Chí Minh và TS. Lê B. Xong."
    ]
    # Thousands separators and dotted labels are not boundaries.
    assert _sentences("Có 1.674.885 thuê bao. Trong đó 372.440 cố định.") == [
        "Có 1.674.885 thuê bao.",
        "Trong đó 372.440 cố định.",
    ]
    assert _sentences("3.2.1. Hạ tầng và doanh thu đạt 13,2 tỷ.") == [
        "3.2.1. Hạ tầng và doanh thu đạt 13,2 tỷ."
    ]
    assert _sentences("II. Nhiệm vụ trọng tâm") == ["II. Nhiệm vụ trọng tâm"]
    # "; " before a capital is a boundary; before lower case it is not.
    assert _sentences("Ban hành kế hoạch; Tổ chức hội nghị; cấp phép 05 đơn vị.") == [
        "Ban hành kế hoạch;",
        "Tổ chức hội nghị; cấp phép 05 đơn vị.",
    ]
    # Closing quotes stay with their sentence; a bullet after a stop starts a new one.
    assert _sentences("Biên soạn “Sổ tay phát ngôn”. - Kiện toàn Ban biên tập.") == [
        "Biên soạn “Sổ tay phát ngôn”.",
        "- Kiện toàn Ban biên tập.",
    ]
    assert _sentences("Năm 2023. 100% xã có cáp quang./.") == ["Năm 2023.", "100% xã có cáp quang./."]
    assert _sentences("giảm 0,5 điểm so với năm trước, v.v. còn lại ổn định.") == [
        "giảm 0,5 điểm so với năm trước, v.v. còn lại ổn định."
    ]


def test_paragraph_chunks_spans() -> None:
    doc = _doc("travinh-2022-10")
    chunks = paragraph_chunks(doc)
    assert len(chunks) > len(chunk_document(doc))
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text and "\n\n" not in c.text


def test_count_tokens_basic() -> None:
    assert count_tokens("") == 0
    n = count_tokens("Doanh thu viễn thông đạt 2.350 tỷ đồng, tăng 11%.")
    assert 10 < n < 40
    assert count_tokens("<|endoftext|>") > 1  # special tokens are counted as text, not refused
    text = "Tổng số thuê bao điện thoại trên toàn tỉnh là 673.983 thuê bao."
    for k in (0, 1, 5, 9):
        out = truncate_tokens(text, k)
        assert text.startswith(out) and count_tokens(out) <= k
    assert truncate_tokens(text, 1000) == text


_OFFLINE_PROBE = """
import os, socket
def _no_network(*a, **k):
    raise AssertionError("network access attempted")
socket.socket.connect = _no_network
socket.create_connection = _no_network
import urllib.request
urllib.request.urlopen = _no_network
from rag.core.errors import ConfigError
try:
    from rag.text.tokens import count_tokens
    print(count_tokens("Sở Thông tin và Truyền thông"), os.environ["TIKTOKEN_CACHE_DIR"])
except ConfigError as exc:
    print("ConfigError", exc)
"""


def _probe(env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", _OFFLINE_PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_count_tokens_offline_from_shipped_cache() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR")}
    n, cache = _probe(env).split(" ", 1)
    assert int(n) > 0
    assert cache.replace("\\", "/").endswith("llama_index/core/_static/tiktoken_cache")


def test_missing_vocabulary_is_config_error_not_download(tmp_path: Path) -> None:
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path)}
    out = _probe(env)
    assert out.startswith("ConfigError") and "TIKTOKEN_CACHE_DIR" in out
    assert list(tmp_path.iterdir()) == []


def test_a_long_list_printed_without_blank_lines_is_cut_between_its_items() -> None:
    """An item's second sentence ("Đến cuối năm 2021 đạt 92,2%.") goes on with its first: a paragraph
    over budget is cut at the ends of its lines before it is cut between sentences."""
    items = [
        f"- Chỉ tiêu thứ {i} về phát triển thanh toán không dùng tiền mặt trên địa bàn tỉnh đạt {80 + i}%, "
        f"vượt {i}% so với kế hoạch ({70 + i}%). Đến cuối năm 2021 đạt {90 + i}%."
        for i in range(1, 16)
    ]
    text = "A. KẾT QUẢ GIAI ĐOẠN 2016-2020\n" + "\n".join(items) + "\n"
    doc = Document(doc_id="d", source="d.txt", text=text)
    chunks = chunk_document(doc, max_tokens=200)
    assert len(chunks) > 1
    _check_invariants(doc, chunks, 200)
    for c in chunks:
        body = c.text.split("\n", 1)[1] if c.text.startswith("A. ") else c.text
        assert body.startswith("- Chỉ tiêu"), c.text[:60]
