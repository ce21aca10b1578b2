from pathlib import Path

import pytest

from rag.ingest.sections import CLOSING, FOOTER, FRONT, WHOLE, heading_spans, parse_sections

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"
SAMPLES = sorted(p.name for p in CORPUS.glob("*.txt"))


def _paths(text: str) -> list[tuple[str, ...]]:
    return [s.path for s in parse_sections(text)]


def _leaf(text: str) -> list[str]:
    return [s.path[-1] for s in parse_sections(text)]


@pytest.mark.parametrize("name", SAMPLES)
def test_sections_tile_the_text(name: str) -> None:
    """Heading lines and section bodies cover every character exactly once, in order."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    outline = heading_spans(text)
    assert outline[0][1] == 0
    assert outline[-1][0].end == len(text)
    for (prev, _), (_sec, head_start) in zip(outline, outline[1:], strict=False):
        assert prev.end == head_start
    for sec, head_start in outline:
        assert head_start <= sec.start <= sec.end
        head = text[head_start : sec.start].strip().strip("*").strip()
        if sec.level > 0:
            # The heading as printed, minus a trailing colon.
            assert head.rstrip(":").rstrip() == sec.path[-1]
            assert sec.level == len(sec.path)
        else:
            assert head == "" and sec.path[0] in {FRONT, WHOLE, CLOSING, FOOTER}


def test_namdinh_2024_outline() -> None:
    text = (CORPUS / "namdinh-2024.txt").read_text(encoding="utf-8")
    paths = _paths(text)
    top = "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024"
    field1 = "1. Lĩnh vực bưu chính, viễn thông, tần số vô tuyến điện"
    assert paths[0] == (FRONT,)
    assert (top, field1, "1.2. Kết quả thực hiện các chỉ tiêu") in paths
    c22 = (top, "2. Lĩnh vực Chuyển đổi số", "2.2. Kết quả thực hiện các chỉ tiêu")
    under_22 = [p[-1][:2] for p in paths if p[:3] == c22 and len(p) == 4]
    assert under_22 == ["a)", "b)", "c)", "d)"]
    # Trailing ":" of "c) ... kinh tế số:" is dropped.
    assert c22 + ("c) Kết quả thực hiện các chỉ tiêu cụ thể về phát triển kinh tế số",) in paths
    # Numbering restarts under IV and belongs there; there is no II in this report.
    assert ("IV. MỘT SỐ NHIỆM VỤ TRỌNG TÂM NĂM 2025", "5. Về công tác thanh tra, kiểm tra") in paths
    assert ("III. ĐÁNH GIÁ CHUNG",) in paths
    assert paths[-2:] == [(CLOSING,), (FOOTER,)]
    # "GIÁM ĐỐC" under the recipients list is a signer, not a heading.
    assert not any("GIÁM ĐỐC" in p[-1] for p in paths)


def test_numbered_task_list_is_body_not_headings() -> None:
    text = (CORPUS / "ninhthuan-2021-02.txt").read_text(encoding="utf-8")
    secs = parse_sections(text)
    ii = [s for s in secs if s.path[0].startswith("II.")]
    assert [s.path for s in ii] == [("II. CÁC CÔNG TÁC TRỌNG TÂM THÁNG 3/2021",)]
    body = text[ii[0].start : ii[0].end]
    assert "1. Tiếp tục triển khai công tác" in body and "9. Tổ chức 01 cuộc thanh tra" in body
    # 3.2.1 sits under 3.2 under 3. under I.
    assert any(len(s.path) == 4 and s.path[-1] == "3.2.1. Hạ tầng và doanh thu" for s in secs)


def test_line_cut_by_page_break_is_not_a_heading() -> None:
    # "7. ..." continues in lower case on the next line: a list item split by a page break.
    text = (CORPUS / "travinh-2022-10.txt").read_text(encoding="utf-8")
    assert not any(p[-1].startswith("7. Tiếp tục theo dõi") for p in _paths(text))
    assert ("I. CÔNG TÁC QUẢN LÝ NHÀ NƯỚC", "4. Lĩnh vực ứng dụng công nghệ thông tin") in _paths(text)


def test_short_unnumbered_subheadings() -> None:
    text = (CORPUS / "namdinh-2021-08.txt").read_text(encoding="utf-8")
    leaves = _leaf(text)
    assert "Bưu chính, chuyển phát" in leaves and "Viễn thông, internet" in leaves
    secs = {s.path[-1]: s for s in parse_sections(text)}
    assert secs["Viễn thông, internet"].path[-2].startswith("2. Kết quả thực hiện Kế hoạch")


SYNTHETIC = """UBND TỈNH X
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

Số: 12/BC-STTTT

BÁO CÁO
Kết quả tháng 5 năm 2023

Mở đầu báo cáo.

I. KẾT QUẢ

1. Bưu chính

1.1. Doanh thu:

Doanh thu đạt 1.674.885 triệu đồng.

a) Chỉ tiêu chính

Nội dung a.

b. Chỉ tiêu phụ

Nội dung b.

2. Viễn thông

- Một bullet không phải tiêu đề
+ Bullet cộng

3. Tổ chức 01 hội nghị tập huấn cho cán bộ.

ĐÁNH GIÁ CHUNG

Đánh giá.

II. PHƯƠNG HƯỚNG

Nội dung II.

Trên đây là báo cáo tháng 5./.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Nguyễn Văn A
"""


def test_synthetic_hierarchy() -> None:
    assert _paths(SYNTHETIC) == [
        (FRONT,),
        ("I. KẾT QUẢ",),
        ("I. KẾT QUẢ", "1. Bưu chính"),
        ("I. KẾT QUẢ", "1. Bưu chính", "1.1. Doanh thu"),
        ("I. KẾT QUẢ", "1. Bưu chính", "1.1. Doanh thu", "a) Chỉ tiêu chính"),
        ("I. KẾT QUẢ", "1. Bưu chính", "1.1. Doanh thu", "b. Chỉ tiêu phụ"),
        ("I. KẾT QUẢ", "2. Viễn thông"),
        ("ĐÁNH GIÁ CHUNG",),
        ("II. PHƯƠNG HƯỚNG",),
        (CLOSING,),
        (FOOTER,),
    ]
    secs = {s.path[-1]: s for s in parse_sections(SYNTHETIC)}
    # Bullets and the numbered task ending in "." stay in the body of "2. Viễn thông".
    body = SYNTHETIC[secs["2. Viễn thông"].start : secs["2. Viễn thông"].end]
    assert "- Một bullet" in body and "+ Bullet" in body and "3. Tổ chức 01 hội nghị" in body
    front = SYNTHETIC[secs[FRONT].start : secs[FRONT].end]
    assert "BÁO CÁO" in front and "Mở đầu báo cáo." in front
    assert SYNTHETIC[secs[FOOTER].start :].startswith("Nơi nhận:")
    assert secs["I. KẾT QUẢ"].level == 1 and secs["b. Chỉ tiêu phụ"].level == 4
    assert secs[FRONT].level == 0


def test_lettered_heading_below_nearest_number() -> None:
    text = "I. A\n\n1. Lĩnh vực\n\na) Mục một\n\nNội dung.\n\n2. Khác\n\nNội dung.\n"
    assert _paths(text) == [
        ("I. A",),
        ("I. A", "1. Lĩnh vực"),
        ("I. A", "1. Lĩnh vực", "a) Mục một"),
        ("I. A", "2. Khác"),
    ]


def test_caps_headings_without_numbers() -> None:
    text = "BÁO CÁO\n\nTình hình tháng 3\n\nKẾT QUẢ ĐẠT ĐƯỢC\n\nNội dung.\n\nPHƯƠNG HƯỚNG NHIỆM VỤ\n\nNội dung 2.\n"
    assert _paths(text) == [(FRONT,), ("KẾT QUẢ ĐẠT ĐƯỢC",), ("PHƯƠNG HƯỚNG NHIỆM VỤ",)]


def test_no_headings_is_one_section() -> None:
    text = "Một đoạn văn.\n\nĐoạn hai, không có tiêu đề nào.\n"
    secs = parse_sections(text)
    assert [(s.path, s.start, s.end) for s in secs] == [((WHOLE,), 0, len(text))]
    assert parse_sections("") == []


def test_numbers_at_line_start_are_not_headings() -> None:
    text = "I. A\n\n1.674.885 thuê bao hiện có.\n\n2024 là năm bản lề\n\n250 thuê bao mới\n"
    assert _paths(text) == [("I. A",)]


def test_markdown_bold_heading() -> None:
    text = "**I. KẾT QUẢ**\n\n**1. Bưu chính:**\n\nNội dung.\n"
    assert _paths(text) == [("I. KẾT QUẢ",), ("I. KẾT QUẢ", "1. Bưu chính")]
