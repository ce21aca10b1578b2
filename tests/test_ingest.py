import time
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject

from rag.core.errors import (
    ContentTooLargeError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    IngestError,
    NoTextLayerError,
    UnknownProvinceError,
    UnsupportedFormatError,
)
from rag.ingest.reports import (
    infer_metadata,
    iter_input_files,
    load_metadata_csv,
    normalise,
    read_document,
    read_file,
    unify_tone_marks,
)

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def text_of(raw: str) -> str:
    return normalise(raw)[0]


def write_pdf(path: Path, pages: list[list[str]]) -> None:
    """A minimal PDF with Helvetica text, one string per line; enough for pypdf to extract."""
    n = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        ops = ["BT /F1 12 Tf 72 800 Td"] + [f"({line}) Tj 0 -16 Td" for line in lines] + ["ET"]
        stream = "\n".join(ops).encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


# --- page-break repair ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, joined",
    [
        (  # travinh-2022-10.txt, lines 21-23
            "- Về hỗ trợ tiêu thụ nông sản và đưa hộ sản xuất nông nghiệp lên sàn thương mại điện tử. "
            "Đến nay có 66.543 hộ sản xuất nông nghiệp có tài khoản bán hàng\n\n"
            "trên sàn thương mại điện tử Postmart.vn (66.543 hộ) và Voso.vn (57.291 hộ).\n\n3. Lĩnh vực viễn thông",
            "có tài khoản bán hàng trên sàn thương mại điện tử Postmart.vn",
        ),
        (  # namdinh-2024.txt
            "Đã in và phát 75.000 tờ rơi tuyên truyền phát cho các đối tượng được hưởng ưu đãi từ chương trình. "
            "Sở Thông tin và Truyền\n\nthông đã phối hợp với Phòng Văn hoá và Thông tin các huyện: Giao Thủy.",
            "Sở Thông tin và Truyền thông đã phối hợp với Phòng Văn hóa và Thông tin",
        ),
        (  # ninhthuan-2021-02.txt
            "Phối hợp Sở Nội vụ báo cáo kết quả thực hiện Chỉ số cải\n\n"
            "cách hành chính của tỉnh năm 2020 thuộc lĩnh vực Sở Thông tin và Truyền thông phụ trách.",
            "Chỉ số cải cách hành chính của tỉnh năm 2020",
        ),
        (  # ninhthuan-2021-02.txt: a continuation that starts with a number
            "phát triển mới internet băng rộng (70 thuê bao internet cố định,\n\n"
            "250 thuê bao internet di động).",
            "(70 thuê bao internet cố định, 250 thuê bao internet di động).",
        ),
    ],
)
def test_sentences_split_by_a_page_break_are_rejoined(raw, joined):
    assert joined in text_of(raw)


def test_bare_page_number_lines_are_removed_and_mapped():
    raw = (
        "Mở đầu báo cáo.\n\n"
        "Đến nay có 66.543 hộ có tài khoản bán hàng\n\n12\n\ntrên sàn thương mại điện tử.\n\n"
        "Hết trang.\n\n- 13 -\n\nII. KẾ HOẠCH THÁNG 11\n\nTrang 14\n\n"
        "Nội dung trang mười bốn."
    )
    text, pages = normalise(raw)
    assert "có tài khoản bán hàng trên sàn thương mại điện tử." in text
    for stray in ("12", "- 13 -", "Trang 14"):
        assert f"\n{stray}\n" not in text
    assert "Hết trang.\n\nII. KẾ HOẠCH THÁNG 11\n\nNội dung" in text
    assert [p for _, p in pages] == [11, 12, 13, 14]
    offsets = dict((p, o) for o, p in pages)
    assert text[offsets[12] :].startswith("trên sàn")  # the page starts mid-sentence
    assert text[offsets[13] :].startswith("II. KẾ HOẠCH")
    assert text[offsets[14] :].startswith("Nội dung trang")


def test_synthetic_page_number_between_paragraphs():
    raw = "Các doanh nghiệp đã phát triển được\n\n- 3 -\n\n35 trạm 5G trên địa bàn.\n\nĐoạn sau."
    text, pages = normalise(raw)
    assert text == "Các doanh nghiệp đã phát triển được 35 trạm 5G trên địa bàn.\n\nĐoạn sau."
    assert pages == ((0, 2), (text.index("35 trạm"), 3))


def test_a_lone_number_out_of_sequence_stays_text():
    text, pages = normalise("Tổng số trạm năm nay\n\n2024\n\nLà năm bản lề.")
    assert "2024" in text
    assert pages == ((0, 1),)


@pytest.mark.parametrize(
    "nxt",
    [
        "a) Kết quả thực hiện các chỉ tiêu",
        "đ) nội dung khác",
        "- tham mưu ban hành kế hoạch",
        "+ hỗ trợ doanh nghiệp",
        "1. Công tác quản lý nhà nước",
        "2) phối hợp kiểm tra",
        "1.2. Kết quả thực hiện các chỉ tiêu",
        "1.2 Kết quả thực hiện các chỉ tiêu",
        "II. KẾ HOẠCH THÁNG 11",
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        "Tham mưu UBND tỉnh ban hành",
    ],
)
def test_no_join_before_headings_bullets_or_capitals(nxt):
    raw = f"Các doanh nghiệp viễn thông trên địa bàn\n\n{nxt}"
    assert text_of(raw) == f"Các doanh nghiệp viễn thông trên địa bàn\n\n{nxt}"


@pytest.mark.parametrize("end", [".", ":", ";", "!", "?", ".)", "./.", ".”", "…"])
def test_no_join_after_sentence_punctuation(end):
    raw = f"Kết quả cụ thể như sau{end}\n\nthông tin thêm về lĩnh vực"
    assert text_of(raw) == f"Kết quả cụ thể như sau{end}\n\nthông tin thêm về lĩnh vực"


def test_thousands_number_is_a_continuation_not_a_heading():
    assert text_of("Tổng số tin đã phát là\n\n1.339 tin bài.") == "Tổng số tin đã phát là 1.339 tin bài."


def test_pdf_soft_wraps_inside_a_paragraph_are_joined_but_items_kept():
    raw = "2.3. Công tác phối hợp, triển khai chuyển đổi số\ntại các địa phương\n- Hỗ trợ xã\n- Cấp tài khoản"
    assert text_of(raw) == (
        "2.3. Công tác phối hợp, triển khai chuyển đổi số tại các địa phương\n- Hỗ trợ xã\n- Cấp tài khoản"
    )


def test_table_rows_are_never_joined():
    raw = "Chỉ tiêu | Kết quả\nthuê bao 4G | 152.954"
    assert text_of(raw) == raw


def test_whitespace_line_endings_and_form_feeds():
    raw = (
        "\ufeff  Dòng\tmột\u00a0\u00a0có   khoảng trắng.  \r\n\r\n\r\n\r\nDòng hai.\r\n\fDòng ba.\u200b\n\n\n"
    )
    text, pages = normalise(raw)
    assert text == "Dòng một có khoảng trắng.\n\nDòng hai.\n\nDòng ba."
    assert pages == ((0, 1), (text.index("Dòng ba"), 2))


def test_form_feed_pages_drop_printed_numbers_at_page_edges():
    raw = "Trang đầu có nội dung chưa hết\n1\f2\ncâu và tiếp tục ở trang hai.\f\f3\nTrang ba."
    text, pages = normalise(raw)
    assert text == "Trang đầu có nội dung chưa hết câu và tiếp tục ở trang hai.\n\nTrang ba."
    assert pages == ((0, 1), (text.index("câu và"), 2), (text.index("Trang ba"), 4))


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông Nam Định.")
    assert decomposed != "Sở Thông tin và Truyền thông Nam Định."
    assert text_of(decomposed) == "Sở Thông tin và Truyền thông Nam Định."


def test_normalise_is_fast_and_idempotent():
    raw = (CORPUS / "namdinh-2024.txt").read_text(encoding="utf-8")
    raw = raw + raw[: 60_000 - len(raw)] if len(raw) < 60_000 else raw
    start = time.perf_counter()
    text, _ = normalise(raw)
    assert time.perf_counter() - start < 0.25
    assert normalise(text)[0] == text


# --- tone marks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("hoả", "hỏa"),
        ("hoạ", "họa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Uỷ ban", "Ủy ban"),
        ("Tỉnh uỷ,", "Tỉnh ủy,"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("văn hoá-xã hội", "văn hóa-xã hội"),
    ],
)
def test_tone_marks_unified_both_directions(old, new):
    assert unify_tone_marks(old) == new
    assert unify_tone_marks(new) == new


@pytest.mark.parametrize(
    "word", ["hoàng", "toán", "thuyền", "hoạch", "quý", "quỳnh", "khuỷu", "khoái", "xoáy", "huỳnh", "ngoài"]
)
def test_syllables_with_other_shapes_are_left_alone(word):
    assert unify_tone_marks(word) == word


def test_tone_unification_makes_old_and_new_spellings_equal():
    assert text_of("Phòng Văn hoá, Giao Thuỷ.") == text_of("Phòng Văn hóa, Giao Thủy.")


# --- metadata ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, province, period, kind, title_start, date",
    [
        ("namdinh-2024.txt", "Nam Định", "2024", "annual", "Kết quả thực hiện nhiệm vụ năm 2024", "2025-01"),
        (
            "namdinh-2021-08.txt",
            "Nam Định",
            "2021-08",
            "monthly",
            "Tình hình hoạt động Thông tin và Truyền thông tháng 8 năm 2021",
            "2021-08",
        ),
        (
            "ninhthuan-2021-02.txt",
            "Ninh Thuận",
            "2021-02",
            "monthly",
            "Tình hình thực hiện nhiệm vụ tháng 02/2021",
            "",
        ),
        (
            "travinh-2022-10.txt",
            "Trà Vinh",
            "2022-10",
            "monthly",
            "kết quả công tác thông tin và truyền thông",
            "",
        ),
    ],
)
def test_metadata_of_sample_reports(name, province, period, kind, title_start, date):
    doc = read_document(CORPUS / name)
    assert (doc.province, doc.period, doc.kind, doc.date) == (province, period, kind, date)
    assert doc.title.startswith(title_start)
    assert doc.source == name
    if name.startswith("namdinh"):
        assert doc.number == "Số: /BC-STTTT"
        assert doc.issuer == "Sở Thông tin và Truyền thông Nam Định"


def test_metadata_from_a_full_header():
    text = text_of(
        "UBND TỈNH NAM ĐỊNH\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nSố: 123/BC-STTTT\n\n"
        "Nam Định, ngày 15 tháng 01 năm 2025\n\nBÁO CÁO\nKết quả công tác quý I năm 2025\n\n"
        "I. KẾT QUẢ\n\nHợp tác với tỉnh Ninh Bình và Ninh Bình."
    )
    meta = infer_metadata(text, "report.txt")
    assert meta["province"] == "Nam Định"
    assert meta["number"] == "Số: 123/BC-STTTT"
    assert meta["date"] == "2025-01-15"
    assert meta["issuer"] == "Sở Thông tin và Truyền thông Nam Định"
    assert meta["title"] == "Kết quả công tác quý I năm 2025"
    assert (meta["period"], meta["kind"]) == ("2025-Q1", "quarterly")


def test_metadata_falls_back_to_the_file_name():
    meta = infer_metadata("Báo cáo nội bộ không có tiêu đề.", "namdinh-2021-08.txt")
    assert (meta["province"], meta["period"], meta["kind"]) == ("Nam Định", "2021-08", "monthly")
    assert meta["title"] == meta["date"] == meta["number"] == meta["issuer"] == ""


# --- metadata.csv -----------------------------------------------------------------------------


def test_metadata_csv_overrides_inferred_values(tmp_path):
    (tmp_path / "report.txt").write_text("BÁO CÁO\nTình hình tháng 8 năm 2021\n\nNội dung.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "\ufefffile,province,period,kind,title\nreport.txt,Trà Vinh,2022-Q3,,Báo cáo quý\nother.txt,,,,\n",
        encoding="utf-8",
    )
    table = load_metadata_csv(tmp_path)
    assert table["report.txt"] == {
        "province": "Trà Vinh",
        "period": "2022-Q3",
        "kind": "quarterly",
        "title": "Báo cáo quý",
    }
    assert table["other.txt"] == {}
    doc = read_document(tmp_path / "report.txt", overrides=table["report.txt"])
    assert (doc.province, doc.period, doc.kind, doc.title) == (
        "Trà Vinh",
        "2022-Q3",
        "quarterly",
        "Báo cáo quý",
    )
    plain = read_document(tmp_path / "report.txt", overrides={"province": "", "title": None})
    assert (plain.period, plain.title) == ("2021-08", "Tình hình tháng 8 năm 2021")


def test_no_metadata_csv_means_no_overrides(tmp_path):
    assert load_metadata_csv(tmp_path) == {}


@pytest.mark.parametrize(
    "content, line, fragment",
    [
        ("file,province\na.txt,Nam Định\nb.txt,Nam Định,2024\n", 3, "3 fields"),
        ("file,provice\na.txt,Nam Định\n", 1, "provice"),
        ("province,period\nNam Định,2024\n", 1, "'file'"),
        ("file,period\na.txt,2024\nb.txt,sometime\n", 3, "sometime"),
        ("file,kind\na.txt,weekly\n", 2, "weekly"),
        ("file,title\n,Báo cáo\n", 2, "empty"),
        ('file,title\na.txt,"unterminated\n', 2, ""),
    ],
)
def test_malformed_metadata_csv_names_the_line(tmp_path, content, line, fragment):
    (tmp_path / "metadata.csv").write_text(content, encoding="utf-8")
    with pytest.raises(IngestError) as err:
        load_metadata_csv(tmp_path)
    assert f"line {line}" in str(err.value)
    assert fragment in str(err.value)


def test_metadata_csv_unknown_province(tmp_path):
    (tmp_path / "metadata.csv").write_text("file,province\na.txt,Atlantis\n", encoding="utf-8")
    with pytest.raises(UnknownProvinceError, match="Atlantis"):
        load_metadata_csv(tmp_path)


# --- bad inputs -------------------------------------------------------------------------------


def test_empty_and_blank_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text(" \n\t\n\u00a0\n", encoding="utf-8")
    with pytest.raises(EmptyFileError, match="empty.txt"):
        read_file(tmp_path / "empty.txt")
    with pytest.raises(EmptyFileError, match="blank.md"):
        read_document(tmp_path / "blank.md")


def test_binary_file_renamed_txt(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(EncodingError, match="image.txt.*binary"):
        read_file(tmp_path / "image.txt")


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_legacy_encodings_are_refused_with_a_fix(tmp_path, encoding):
    (tmp_path / "old.txt").write_bytes("Báo cáo tháng Tám, café".encode(encoding))
    with pytest.raises(EncodingError) as err:
        read_file(tmp_path / "old.txt")
    assert "old.txt" in str(err.value)
    assert "UTF-8" in str(err.value) and "iconv -f cp1258 -t utf-8" in str(err.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_unicode_files_with_a_bom_are_read(tmp_path, encoding):
    (tmp_path / "bom.txt").write_bytes("Báo cáo Trà Vinh\r\ntháng 10 năm 2022.".encode(encoding))
    assert read_file(tmp_path / "bom.txt") == "Báo cáo Trà Vinh\r\ntháng 10 năm 2022."


def test_too_large(tmp_path):
    (tmp_path / "big.txt").write_text("Nội dung báo cáo.\n" * 200, encoding="utf-8")
    with pytest.raises(FileTooLargeError, match="big.txt"):
        read_file(tmp_path / "big.txt", max_mb=0.001)
    assert read_file(tmp_path / "big.txt", max_mb=1)


def test_unsupported_extensions(tmp_path):
    (tmp_path / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormatError) as err:
        read_file(tmp_path / "report.doc")
    assert "report.doc" in str(err.value) and ".docx" in str(err.value) and ".pdf" in str(err.value)


def test_corrupt_docx(tmp_path):
    (tmp_path / "broken.docx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match="broken.docx"):
        read_file(tmp_path / "broken.docx")


def test_scanned_pdf_without_text(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    with open(tmp_path / "scan.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(NoTextLayerError) as err:
        read_file(tmp_path / "scan.pdf")
    assert "scan.pdf" in str(err.value) and "ocrmypdf" in str(err.value)


def test_text_pdf_pages_are_tracked(tmp_path):
    write_pdf(
        tmp_path / "report.pdf",
        [
            ["BAO CAO", "Tinh hinh thang 8 nam 2021 cua Nam Dinh.", "Doanh nghiep da phat trien duoc"],
            ["2", "35 tram 5G trong nam.", "Ket thuc."],
        ],
    )
    raw = read_file(tmp_path / "report.pdf")
    assert raw.count("\f") == 1
    doc = read_document(tmp_path / "report.pdf")
    assert "Doanh nghiep da phat trien duoc 35 tram 5G trong nam." in doc.text
    assert doc.pages == ((0, 1), (doc.text.index("35 tram"), 2))
    assert doc.title == "Tinh hinh thang 8 nam 2021 cua Nam Dinh."


def test_docx_paragraphs_and_tables(tmp_path):
    d = docx.Document()
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả công tác tháng 8 năm 2021")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([("Chỉ tiêu", "Đơn vị", "Kết quả"), ("Trạm BTS", "trạm", "146")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("Đoạn sau bảng.")
    d.save(tmp_path / "report.docx")
    raw = read_file(tmp_path / "report.docx")
    assert raw == (
        "BÁO CÁO\n\nKết quả công tác tháng 8 năm 2021\n\n"
        "Chỉ tiêu | Đơn vị | Kết quả\nTrạm BTS | trạm | 146\n\nĐoạn sau bảng."
    )
    doc = read_document(tmp_path / "report.docx")
    assert "Chỉ tiêu | Đơn vị | Kết quả\nTrạm BTS | trạm | 146" in doc.text
    assert doc.title == "Kết quả công tác tháng 8 năm 2021"


# --- files small on disk, large inside --------------------------------------------------------


def write_docx_bomb(path: Path, xml_mb: float, filler: bytes = b"<w:p/>") -> None:
    """A real .docx whose document.xml is padded with `xml_mb` MB of `filler` (empty paragraphs: what
    makes python-docx slow): a few hundred KB on disk."""
    d = docx.Document()
    d.add_paragraph("Doanh thu viễn thông đạt 12 tỷ đồng.")
    d.save(path.with_suffix(".src.docx"))
    with (
        zipfile.ZipFile(path.with_suffix(".src.docx")) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "word/document.xml":
                z.writestr(info, data)
                continue
            head, tail = data.split(b"</w:body>")
            with z.open(info.filename, "w", force_zip64=True) as out:
                out.write(head)
                block = filler * ((1 << 20) // len(filler))
                for _ in range(int(xml_mb)):
                    out.write(block)
                out.write(b"</w:body>" + tail)
    path.with_suffix(".src.docx").unlink()


def test_docx_expanding_past_the_part_limit_is_refused_before_parsing(tmp_path):
    # The review's case: 100 MB of XML in a file far under the 50 MB limit; parsing it took minutes.
    write_docx_bomb(tmp_path / "bomb.docx", 100)
    assert (tmp_path / "bomb.docx").stat().st_size < 1024 * 1024
    t = time.perf_counter()
    with pytest.raises(ContentTooLargeError) as err:
        read_file(tmp_path / "bomb.docx")
    assert time.perf_counter() - t < 1.0, "refused from the zip directory, not by parsing"
    msg = str(err.value)
    assert "bomb.docx" in msg and "word/document.xml" in msg and "100.0 MB" in msg
    assert "max_file_mb" in msg and "BAOCAO_MAX_FILE_MB" in msg
    assert isinstance(err.value, FileTooLargeError)


def test_docx_packed_like_a_zip_bomb_is_refused_until_max_file_mb_allows_it(tmp_path):
    # 8 MB is under the 50 MB per-part limit, but packed ~1000:1 it gets a tenth of it (5 MB).
    write_docx_bomb(tmp_path / "packed.docx", 8)
    with pytest.raises(ContentTooLargeError) as err:
        read_file(tmp_path / "packed.docx")
    assert "packed.docx" in str(err.value) and "compressed" in str(err.value)
    assert "max_file_mb" in str(err.value)
    write_docx_bomb(tmp_path / "blank.docx", 8, filler=b" ")  # as packed, and cheap to parse
    with pytest.raises(ContentTooLargeError, match="compressed"):
        read_file(tmp_path / "blank.docx")
    assert read_file(tmp_path / "blank.docx", max_mb=100) == "Doanh thu viễn thông đạt 12 tỷ đồng."


def test_a_refused_docx_does_not_stop_the_batch(tmp_path):
    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths

    src = tmp_path / "src"
    src.mkdir()
    write_docx_bomb(src / "bomb.docx", 100)
    (src / "namdinh-2024.txt").write_text((CORPUS / "namdinh-2024.txt").read_text(encoding="utf-8"), "utf-8")
    s = Settings(index_dir=tmp_path / "index", embedder="none", log_dir=tmp_path / "logs")
    report = ingest_paths([src], s)
    assert report.added == ["namdinh-2024.txt"]
    ((path, message),) = report.failed
    assert path.endswith("bomb.docx") and "max_file_mb" in message


def write_pdf_streams(path: Path, contents: list[bytes], form: bytes = b"") -> None:
    """A PDF whose pages draw the given (Flate-compressed) content streams; with `form`, every page also
    has that content as form XObject /Fm0 (drawn by "/Fm0 Do" in its content)."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    if form:
        xobject = StreamObject()
        xobject.set_data(form)
        xobject = xobject.flate_encode()
        xobject[NameObject("/Type")] = NameObject("/XObject")
        xobject[NameObject("/Subtype")] = NameObject("/Form")
        xobject[NameObject("/BBox")] = ArrayObject(
            [FloatObject(0), FloatObject(0), FloatObject(595), FloatObject(842)]
        )
        xobject[NameObject("/Resources")] = resources
        resources[NameObject("/XObject")] = DictionaryObject(
            {NameObject("/Fm0"): writer._add_object(xobject)}
        )
    for data in contents:
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = resources
        stream = StreamObject()
        stream.set_data(data)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    with open(path, "wb") as fh:
        writer.write(fh)


_TEXT_OP = b"BT /F1 12 Tf 72 700 Td (Doanh thu dat 12 ty dong) Tj ET\n"


def test_pdf_page_content_past_the_limit_is_refused_before_extraction(tmp_path):
    # 3 MB of text operators on one page, ~10 KB on disk: pypdf needs seconds for it, and its time grows
    # faster than the content.
    write_pdf_streams(tmp_path / "dense.pdf", [_TEXT_OP * (3 * 1024 * 1024 // len(_TEXT_OP))])
    assert (tmp_path / "dense.pdf").stat().st_size < 100_000
    t = time.perf_counter()
    with pytest.raises(ContentTooLargeError) as err:
        read_file(tmp_path / "dense.pdf")
    assert time.perf_counter() - t < 2.0
    msg = str(err.value)
    assert "dense.pdf" in msg and "page 1" in msg and "max_file_mb" in msg


def test_pdf_form_drawn_many_times_counts_each_time(tmp_path):
    # A 40 KB form drawn 100 times is 4 MB of content to walk, however small the page's own stream.
    form = _TEXT_OP * (40_000 // len(_TEXT_OP))
    write_pdf_streams(tmp_path / "forms.pdf", [b"/Fm0 Do\n" * 100], form=form)
    with pytest.raises(ContentTooLargeError, match="forms.pdf: page 1"):
        read_file(tmp_path / "forms.pdf")
    write_pdf_streams(tmp_path / "once.pdf", [b"/Fm0 Do\n"], form=form)
    assert "Doanh thu dat 12 ty dong" in read_file(tmp_path / "once.pdf")


def test_pdf_page_count_and_total_content_are_bounded_by_max_file_mb(tmp_path):
    pages = [_TEXT_OP * 20] * 5
    write_pdf_streams(tmp_path / "pages.pdf", pages)
    assert read_file(tmp_path / "pages.pdf").count("\f") == 4
    with pytest.raises(ContentTooLargeError, match=r"pages.pdf has 5 pages, over the limit of 2\b"):
        read_file(tmp_path / "pages.pdf", max_mb=0.05)  # 40 pages per MB of max_file_mb
    many = [_TEXT_OP * (30_000 // len(_TEXT_OP))] * 40  # 40 pages of 30 KB: 1.2 MB in all
    write_pdf_streams(tmp_path / "long.pdf", many)
    with pytest.raises(ContentTooLargeError, match="long.pdf: its pages hold over 1 MB"):
        read_file(tmp_path / "long.pdf", max_mb=1)


# --- documents and input files ----------------------------------------------------------------


def test_doc_id_is_stable_and_content_based(tmp_path):
    (tmp_path / "a.txt").write_text("Báo cáo tháng 8.\n\nNội dung hoà hợp.", encoding="utf-8")
    (tmp_path / "b.md").write_bytes("Báo cáo tháng 8.\r\n\r\n\r\nNội dung   hòa hợp.\r\n".encode("utf-16"))
    (tmp_path / "c.txt").write_text("Báo cáo tháng 9.\n\nNội dung hòa hợp.", encoding="utf-8")
    a, b, c = (read_document(tmp_path / n) for n in ("a.txt", "b.md", "c.txt"))
    assert a.doc_id == b.doc_id == read_document(tmp_path / "a.txt").doc_id
    assert a.doc_id != c.doc_id
    assert len(a.doc_id) == 16 and int(a.doc_id, 16) >= 0
    assert (a.source, a.path) == ("a.txt", str(tmp_path / "a.txt"))


def test_iter_input_files(tmp_path):
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in (
        "b.txt",
        "a.PDF",
        "sub/c.md",
        "sub/deep/d.docx",
        "notes.xlsx",
        "metadata.csv",
        ".x.txt",
        ".hidden/e.txt",
    ):
        (tmp_path / name).write_text("x", encoding="utf-8")
    single = tmp_path / "sub" / "c.md"
    found = iter_input_files([tmp_path, single])
    assert found == sorted([tmp_path / "a.PDF", tmp_path / "b.txt", single, tmp_path / "sub/deep/d.docx"])
    with pytest.raises(IngestError, match="missing"):
        iter_input_files([tmp_path / "missing"])


def test_eth_some_encoders_emit_for_d_stroke_is_read_as_it():
    """ "Ðề án 06" (U+00D0) is "Đề án 06": a document number a reader recognises, not a stray letter."""
    from rag.ingest.reports import normalise

    assert normalise("gọi tắt là Ðề án 06, ðã triển khai")[0] == "gọi tắt là Đề án 06, đã triển khai"
