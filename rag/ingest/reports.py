"""Reading reports: file -> text -> normalised text + page map -> metadata -> Document.

Reports arrive as .txt/.md (often text pulled out of a PDF by someone else), .docx or .pdf.
Whatever the source, the text every later stage sees is normalised the same way here, so spans,
ids and lexical matches agree across formats.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

from rag.core.errors import (
    ConfigError,
    ContentTooLargeError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    IngestError,
    NoTextLayerError,
    UnknownProvinceError,
    UnsupportedFormatError,
)
from rag.core.types import Document
from rag.text.gazetteer import canonical_province, find_provinces, suggest_provinces
from rag.text.periods import is_period, normalise_period, parse_periods, period_kind

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ("file", "province", "period", "kind", "title")
KINDS = ("monthly", "quarterly", "half-year", "nine-month", "annual", "other")

# A PDF page with fewer visible characters than this is treated as an image (scan, stamp page).
_MIN_PAGE_CHARS = 10

# A file's size on disk says little about what parsing it costs: a 390 KB .docx can hold 100 MB of XML
# (python-docx then needs minutes and gigabytes), a 12 KB PDF 4 MB of page content (pypdf's text
# extraction grows faster than linearly in it). These bound what is parsed, in multiples of
# `max_file_mb`, so the one setting a user knows raises them all.
DOCX_PART_FACTOR = 1.0  # one part of the package, uncompressed: max_file_mb
DOCX_TOTAL_FACTOR = 4.0  # all parts together, uncompressed: 4 x max_file_mb
# Word compresses document XML about 5-30:1. A part packed tighter than this is allowed only a tenth of
# the per-part budget: that is what a zip bomb looks like, and parsing it is where the time goes.
DOCX_BOMB_RATIO = 100.0
DOCX_BOMB_FACTOR = 0.1
DOCX_MAX_PARTS = 10_000
PDF_PAGES_PER_MB = 40  # pages: 40 x max_file_mb (2,000 at the default 50 MB)
PDF_PAGE_CONTENT_FACTOR = 0.04  # decoded content of one page, forms it draws included: 2 MB at 50 MB
PDF_CONTENT_FACTOR = 1.0  # decoded content of all pages together: max_file_mb
_MB = 1024 * 1024
_RAISE_HINT = "raise max_file_mb / BAOCAO_MAX_FILE_MB (now {max_mb:g} MB) if the file is genuine"

# ---------------------------------------------------------------------------------------------
# Reading files


def read_file(path: Path, max_mb: float = 50.0) -> str:
    """The raw text of one report. PDF pages are separated by "\\f" so `normalise` can map pages."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise IngestError(f"{name}: no such file ({path})")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        hint = ""
        if ext in (".doc", ".rtf", ".odt"):
            hint = "; convert it first, e.g. `libreoffice --headless --convert-to docx " + name + "`"
        raise UnsupportedFormatError(
            f"{name}: unsupported file type {ext or '(no extension)'!r}; "
            f"supported: {', '.join(SUPPORTED_EXTENSIONS)}{hint}"
        )
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise FileTooLargeError(
            f"{name} is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit; "
            "split the report or raise the limit (max_file_mb / BAOCAO_MAX_FILE_MB)"
        )
    if size == 0:
        raise EmptyFileError(f"{name} is empty")
    if ext == ".docx":
        _check_docx_package(path, max_mb)
        text = _read_docx(path)
    elif ext == ".pdf":
        text = _read_pdf(path, max_mb)
    else:
        text = _decode_text(path.read_bytes(), name)
    if not text.strip():
        raise EmptyFileError(f"{name} contains no text")
    return text


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _decode_text(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"{name} starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(bad bytes at offset {exc.start}); re-save it as UTF-8"
                ) from exc
    if b"\x00" in data:
        # UTF-16 without a BOM is possible, but so is a renamed binary; neither is safe to guess.
        raise EncodingError(
            f"{name} contains NUL bytes: it is a binary file or UTF-16 without a byte-order mark; "
            "save it as UTF-8 text (e.g. `iconv -f utf-16 -t utf-8 in.txt > out.txt`)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{name} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "reports must be UTF-8. Convert it, e.g. for Windows Vietnamese (cp1258): "
            f"`iconv -f cp1258 -t utf-8 {name} > utf8-{name}` (TCVN3/VNI files need a converter "
            "such as UniKey's)"
        ) from exc


def _not_docx(path: Path, exc: Exception) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        f"{path.name} is not a valid .docx file ({exc}); if it is an old Word .doc renamed, "
        "open it in Word/LibreOffice and save as .docx"
    )


def _check_docx_package(path: Path, max_mb: float) -> None:
    """Refuse a .docx whose parts expand past the limits, from the zip directory alone (nothing is
    decompressed). zipfile stops every read at the size the directory declares, so the declared sizes
    are what python-docx can be made to parse."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_docx(path, exc) from exc
    name, hint = path.name, _RAISE_HINT.format(max_mb=max_mb)
    if len(infos) > DOCX_MAX_PARTS:
        raise ContentTooLargeError(
            f"{name}: the .docx package has {len(infos)} parts, over the limit of {DOCX_MAX_PARTS}; "
            "a report has a few dozen. Open it in Word/LibreOffice and save it again"
        )
    part_limit = DOCX_PART_FACTOR * max_mb * _MB
    bomb_limit = DOCX_BOMB_FACTOR * part_limit
    for info in infos:
        size = info.file_size
        if size > part_limit:
            raise ContentTooLargeError(
                f"{name}: its part {info.filename} expands to {size / _MB:.1f} MB, over the per-part limit "
                f"of {part_limit / _MB:g} MB ({DOCX_PART_FACTOR:g} x max_file_mb); {hint}"
            )
        ratio = size / info.compress_size if info.compress_size else float("inf")
        if size > bomb_limit and ratio > DOCX_BOMB_RATIO:
            raise ContentTooLargeError(
                f"{name}: its part {info.filename} is compressed {ratio:,.0f}:1 and expands to "
                f"{size / _MB:.1f} MB; a part compressed over {DOCX_BOMB_RATIO:g}:1 may expand to at most "
                f"{bomb_limit / _MB:g} MB ({DOCX_BOMB_FACTOR:g} x max_file_mb), as Word never packs a "
                f"document that tightly (a zip bomb does); {hint}"
            )
    total = sum(i.file_size for i in infos)
    total_limit = DOCX_TOTAL_FACTOR * max_mb * _MB
    if total > total_limit:
        raise ContentTooLargeError(
            f"{name}: the .docx expands to {total / _MB:.1f} MB, over the limit of {total_limit / _MB:g} MB "
            f"({DOCX_TOTAL_FACTOR:g} x max_file_mb); {hint}"
        )


def _read_docx(path: Path) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a damaged package fails deep inside zipfile/lxml in many ways
        raise _not_docx(path, exc) from exc
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = _table_rows(item)
            if rows:
                blocks.append("\n".join(rows))
        else:
            blocks.append(item.text)
    return "\n\n".join(blocks)


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            # python-docx repeats a horizontally merged cell once per grid column it spans.
            if any(cell._tc is s for s in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


_DO_OP = re.compile(rb"/([^\s/<>\[\]()]+)\s*Do\b")


def _pdf_work(stream, resources, seen: dict, depth: int = 0) -> int:
    """Bytes of content text extraction walks for `stream`: its own decoded bytes plus, for every form
    XObject it draws, that form's work times the times it is drawn (a 2 KB form drawn 5,000 times is
    10 MB of work)."""
    data = stream.get_data() if stream is not None else b""
    work = len(data)
    if depth > 8 or b"Do" not in data or resources is None:
        return work
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return work
    xobjects = xobjects.get_object()
    for name, count in Counter(m.group(1) for m in _DO_OP.finditer(data)).items():
        ref = xobjects.get("/" + name.decode("latin-1"))
        if ref is None:
            continue
        form = ref.get_object()
        if form.get("/Subtype") != "/Form":
            continue  # images are not parsed by text extraction
        key = id(form)
        if key not in seen:
            seen[key] = 0  # a form drawing itself counts once
            seen[key] = _pdf_work(form, form.get("/Resources"), seen, depth + 1)
        work += count * seen[key]
    return work


def _read_pdf(path: Path, max_mb: float = 50.0) -> str:
    import contextlib

    import pypdf
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name, hint = path.name, _RAISE_HINT.format(max_mb=max_mb)
    stream_limit = int(max_mb * _MB)
    limit_errors = tuple(e for e in (getattr(pypdf.errors, "LimitReachedError", None),) if e)
    # pypdf >= 6 caps what one stream may decompress to; tie that cap to max_file_mb too.
    apply = getattr(pypdf, "apply_configuration", None)
    config = (
        apply(
            maximum_declared_stream_length=stream_limit,
            zlib_maximum_output_length=stream_limit,
            lzw_maximum_output_length=stream_limit,
            run_length_maximum_output_length=stream_limit,
            array_based_stream_maximum_output_length=stream_limit,
        )
        if apply
        else contextlib.nullcontext()
    )
    page_limit = PDF_PAGE_CONTENT_FACTOR * max_mb * _MB
    total_limit = PDF_CONTENT_FACTOR * max_mb * _MB
    try:
        with config:
            reader = PdfReader(str(path))
            if reader.is_encrypted and not reader.decrypt(""):
                raise IngestError(f"{name} is password-protected; remove the password and try again")
            n_pages = len(reader.pages)
            if n_pages > PDF_PAGES_PER_MB * max_mb:
                raise ContentTooLargeError(
                    f"{name} has {n_pages} pages, over the limit of {PDF_PAGES_PER_MB * max_mb:g} "
                    f"({PDF_PAGES_PER_MB} pages per MB of max_file_mb); split the report or {hint}"
                )
            pages, total = [], 0
            for number, page in enumerate(reader.pages, 1):
                # Measured before extracting: extraction time grows faster than the content it walks.
                work = _pdf_work(page.get_contents(), page.get("/Resources"), {})
                total += work
                if work > page_limit:
                    raise ContentTooLargeError(
                        f"{name}: page {number} holds {work / _MB:.1f} MB of page content, over the "
                        f"per-page limit of {page_limit / _MB:g} MB ({PDF_PAGE_CONTENT_FACTOR:g} x "
                        f"max_file_mb); {hint}"
                    )
                if total > total_limit:
                    raise ContentTooLargeError(
                        f"{name}: its pages hold over {total_limit / _MB:g} MB of page content "
                        f"({PDF_CONTENT_FACTOR:g} x max_file_mb) by page {number}; split the report or {hint}"
                    )
                pages.append(page.extract_text() or "")
    except limit_errors as exc:
        raise ContentTooLargeError(
            f"{name}: a stream of the PDF decompresses past the {max_mb:g} MB limit ({exc}); {hint}"
        ) from exc
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(f"{name}: cannot read the PDF ({exc}); is the file complete?") from exc
    if not any(len("".join(p.split())) >= _MIN_PAGE_CHARS for p in pages):
        raise NoTextLayerError(
            f"{name} has no text layer (scanned PDF?); run OCR first, e.g. "
            f"`ocrmypdf -l vie {name} ocr-{name}`"
        )
    return "\f".join(pages)


# ---------------------------------------------------------------------------------------------
# Tone marks

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_TONED = {}  # "à" -> ("a", "\u0300") for the second vowel of oa, oe, uy
for _base in "aeyAEY":
    for _mark in _TONE_MARKS:
        _TONED[unicodedata.normalize("NFC", _base + _mark)] = (_base, _mark)
_PAIR = re.compile(f"([oOuU])([{''.join(_TONED)}])(?![^\\W\\d_])")


def _is_vowel_or_q(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base in "aeiouyq"


def _move_tone(m: re.Match) -> str:
    glide, toned = m.group(1), m.group(2)
    base, mark = _TONED[toned]
    if (glide in "oO") != (base in "aeAE"):  # only oa, oe, uy
        return m.group(0)
    start = m.start()
    if start > 0:
        prev = m.string[start - 1]
        # "quý": the u belongs to the consonant qu; "ngoại"/"khuỷu"-like clusters are not the pair.
        if prev.isalpha() and _is_vowel_or_q(prev):
            return m.group(0)
    return unicodedata.normalize("NFC", glide + mark) + base


def unify_tone_marks(text: str) -> str:
    """One tone-mark style, so "hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe" match as the same word.

    We keep the style of the official place names (Thanh Hóa, Khánh Hòa, Ủy ban): in an open
    syllable ending in oa, oe or uy the mark sits on the first vowel. Syllables with a final
    consonant ("hoàng", "toán", "thuyền") already agree in both styles and are left alone.
    """
    return _PAIR.sub(_move_tone, text)


# ---------------------------------------------------------------------------------------------
# Normalisation and page-break repair

_DROP: dict[int, str | None] = dict.fromkeys(
    [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F, 0x00AD, 0x200B, 0x200D, 0xFEFF]
)
# Ð / ð (eth) are what some PDF encoders and web pages emit for Đ / đ: "Ðề án 06" is "Đề án 06"
_DROP.update({0x00D0: "Đ", 0x00F0: "đ"})
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:trang|page)\s+)?(\d{1,3})(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?$", re.IGNORECASE
)
_ENDS_SENTENCE = re.compile(r"[.:;!?…][)\]}\"'”’»*_]*$")
# Lines that start a new item even though they begin lowercase or with a digit.
_ITEM_START = re.compile(
    r"^(?:[a-zđ]\s?[).]\s|[ivx]{1,4}[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}(?:\.\d{1,2})+\s)"
)


def _all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _continues(prev: str, line: str) -> bool:
    """Whether `line` carries on the sentence `prev` left open (a PDF line or page break in it)."""
    first = line[0]
    if not (first.islower() or first.isdigit()):
        return False
    if _ENDS_SENTENCE.search(prev) or _ITEM_START.match(line):
        return False
    if " | " in prev or " | " in line or prev.startswith("|"):
        return False  # table rows
    return not (_all_caps(prev) or _all_caps(line))


def _clean_line(line: str) -> str:
    return " ".join(line.translate(_DROP).split())


def normalise(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Normalised text and its page map: (char offset where a page starts, page number).

    Pages come from "\\f" (PDF page breaks) or, in text without them, from bare page-number
    lines. Sentences broken by a page or line break are rejoined with a space.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unify_tone_marks(unicodedata.normalize("NFC", text))
    pages = text.split("\f")
    paged = len(pages) > 1

    out: list[str] = []
    length = 0
    page_map: list[tuple[int, int]] = []
    pending_page: int | None = 1
    last_number: int | None = None
    prev: str | None = None
    blank = boundary = False

    for index, page in enumerate(pages):
        lines = [_clean_line(line) for line in page.split("\n")]
        if paged:
            if index:
                pending_page, boundary = index + 1, True
            # Printed page numbers sit in the first or last line of a page.
            filled = [i for i, line in enumerate(lines) if line]
            for i in filled[:1] + filled[-1:]:
                if _PAGE_NUMBER.match(lines[i]):
                    lines[i] = ""
        for i, line in enumerate(lines):
            if not line:
                blank = True
                continue
            if not paged:
                m = _PAGE_NUMBER.match(line)
                if m and (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1]):
                    number = int(m.group(1))
                    if number == last_number:
                        continue
                    # A lone number is a page number only if it fits the sequence; a stray "2024"
                    # paragraph stays text.
                    if last_number is None or last_number < number <= last_number + 3:
                        if last_number is None and number > 2 and page_map == [(0, 1)]:
                            page_map[0] = (0, number - 1)
                        last_number = number
                        pending_page, boundary = number, True
                        continue
            if prev is None:
                sep = ""
            elif _continues(prev, line):
                sep = " "
            elif blank or boundary:
                sep = "\n\n"
            else:
                sep = "\n"
            out.append(sep)
            length += len(sep)
            if pending_page is not None:
                # Administrative documents print the number at the top of the page (Decree
                # 30/2020), so "12" marks where page 12 begins.
                if page_map and page_map[-1][0] == length:
                    page_map[-1] = (length, pending_page)
                else:
                    page_map.append((length, pending_page))
                pending_page = None
            out.append(line)
            length += len(line)
            prev = line
            blank = boundary = False

    if not page_map:
        page_map.append((0, 1))
    return "".join(out), tuple(page_map)


# ---------------------------------------------------------------------------------------------
# Metadata

_HEADER_CHARS = 1500
_HEADER_LINES = 15
# "BAO CAO": PDFs whose fonts lose the diacritics.
_TITLE_MARK = re.compile(r"^[#*\s]*B[ÁA]O\s+C[ÁA]O\b[*:\s]*(.*)$")
_TITLE_STOP = re.compile(
    r"^(?:[-+•]\s|[IVX]+[.)]\s|\d{1,2}[.)]\s|Kính\s+gửi|Căn\s+cứ|Thực\s+hiện)", re.IGNORECASE
)
_NUMBER_LINE = re.compile(r"^[*\s]*(Số\s*:.*?)[*\s]*$", re.MULTILINE)
_DATE = re.compile(
    r"ngày\s*(\d{1,2})?\s*(?:[/.-]\s*)?tháng\s*(\d{1,2})?\s*(?:[/.-]\s*)?năm\s*(\d{4})", re.IGNORECASE
)
_DATELINE = re.compile(r"^[*\s]*([^,\n]{2,40}),\s*ngày\b", re.MULTILINE | re.IGNORECASE)
_FILE_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-_.]?(0[1-9]|1[0-2]|[qQ][1-4]|[hH][12]|9[mM]))?(?!\d)")
# The header names the department, or its abbreviation ends the document number ("Số: 12/BC-STTTT").
_TTTT_ISSUER = re.compile(r"SỞ\s+THÔNG\s+TIN\s+VÀ\s+TRUYỀN\s+THÔNG|/\s*[A-ZĐ]+-STT&?TT\b")
_KHCN_ISSUER = re.compile(r"SỞ\s+KHOA\s+HỌC\s+VÀ\s+CÔNG\s+NGHỆ|/\s*[A-ZĐ]+-SKH(?:&?CN)\b")


def _kind(period: str) -> str:
    return period_kind(period) if is_period(period) else ""


def _header(text: str) -> str:
    lines = [line for line in text[:_HEADER_CHARS].split("\n") if line.strip()]
    return "\n".join(lines[:_HEADER_LINES])


def _province_from_name(stem: str) -> str:
    """ "namdinh-2024" -> "Nam Định": file names are usually folded ASCII, words glued or dashed."""
    words = re.sub(r"[\W\d_]+", " ", stem).split()
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            name = canonical_province(" ".join(words[i : i + size]))
            if name:
                return name
    return ""


def _infer_province(text: str, header: str, source: str) -> str:
    m = _DATELINE.search(header)
    if m:
        found = find_provinces(m.group(1))
        if found:
            return found[0]
    found = find_provinces(header)
    if found:
        return found[0]
    counts: Counter[str] = Counter()
    for line in text.split("\n"):
        if line:
            counts.update(set(find_provinces(line)))
    if counts:
        return counts.most_common(1)[0][0]
    return _province_from_name(Path(source).stem)


def _infer_title(text: str) -> str:
    lines = text[:4000].split("\n")
    for i, line in enumerate(lines[:60]):
        m = _TITLE_MARK.match(line)
        if not m:
            continue
        parts = [m.group(1).strip("*# ")] if m.group(1).strip("*# ") else []
        j = i + 1
        if not parts:
            while j < len(lines) and not lines[j].strip():
                j += 1
        while j < len(lines) and lines[j].strip() and len(parts) < 2:
            nxt = lines[j].strip("*# ")
            # PDF text has no blank line after the title: stop where the body visibly starts.
            if parts and (_ENDS_SENTENCE.search(parts[-1]) or _TITLE_STOP.match(nxt)):
                break
            parts.append(nxt)
            j += 1
        return " ".join(parts).strip()
    return ""


def _period_from_name(stem: str) -> str:
    m = _FILE_PERIOD.search(stem)
    if not m:
        return ""
    year, part = m.group(1), (m.group(2) or "").upper()
    period = f"{year}-{part}" if part else year
    return period if is_period(period) else ""


def _infer_period(title: str, header: str, source: str, date: str) -> str:
    default_year = int(date[:4]) if date else None
    for text in (title, header):
        if text:
            periods = parse_periods(text, default_year=default_year)
            if periods:
                return periods[0]
    return _period_from_name(Path(source).stem)


def _infer_date(header: str) -> str:
    m = _DATE.search(header)
    if not m:
        return ""
    day, month, year = m.group(1), m.group(2), m.group(3)
    if month and 1 <= int(month) <= 12:
        if day and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{int(month):02d}"
    return year


def infer_metadata(text: str, source: str) -> dict[str, str]:
    """Best-effort metadata from a normalised report and its file name; "" where unknown."""
    header = _header(text)
    title = _infer_title(text)
    m = _NUMBER_LINE.search(header)
    number = m.group(1).strip() if m else ""
    date = _infer_date(header)
    # The title names the reported period first ("năm 2024, nhiệm vụ trọng tâm năm 2025").
    period = _infer_period(title, "" if title else header, source, date)
    province = _infer_province(text, header, source)
    issuer = ""
    probe = header + "\n" + number
    if _TTTT_ISSUER.search(probe):
        issuer = "Sở Thông tin và Truyền thông"
    elif _KHCN_ISSUER.search(probe):
        issuer = "Sở Khoa học và Công nghệ"
    if issuer and province:
        issuer = f"{issuer} {province}"
    return {
        "province": province,
        "period": period,
        "kind": _kind(period),
        "issuer": issuer,
        "number": number,
        "date": date,
        "title": title,
    }


def _canonical_province(value: str, where: str) -> str:
    name = canonical_province(value)
    if name:
        return name
    message = f"{where}: unknown province {value!r}"
    close = suggest_provinces(value)
    if close:
        message += f"; did you mean {', '.join(close)}?"
    raise UnknownProvinceError(message)


def load_metadata_csv(directory: Path) -> dict[str, dict[str, str]]:
    """Per-file metadata overrides from `metadata.csv` in `directory`, keyed by file name.

    Empty cells are left out, so they never override inferred values.
    """
    path = Path(directory) / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{path}: not UTF-8; save it as 'CSV UTF-8' (Excel) or convert with iconv -t utf-8"
        ) from exc
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return {}
    except csv.Error as exc:
        raise IngestError(f"{path}, line 1: {exc}") from exc
    unknown = [h for h in header if h not in METADATA_COLUMNS]
    if "file" not in header or unknown:
        raise IngestError(
            f"{path}, line 1: header must have a 'file' column and only {', '.join(METADATA_COLUMNS)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    table: dict[str, dict[str, str]] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise IngestError(f"{path}, line {reader.line_num}: {exc}") from exc
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise IngestError(
                f"{path}, line {line}: {len(row)} fields but the header has {len(header)}; "
                "quote values that contain the delimiter"
            )
        values = {
            k: v.strip() for k, v in zip(header, row, strict=False) if v.strip()
        }  # short rows: trailing cells empty
        name = values.pop("file", "")
        if not name:
            raise IngestError(f"{path}, line {line}: the 'file' column is empty")
        where = f"{path}, line {line}"
        if "province" in values:
            values["province"] = _canonical_province(values["province"], where)
        if "period" in values:
            try:
                period = normalise_period(values["period"])
            except ConfigError as exc:
                raise IngestError(f"{where}: {exc}") from exc
            values["period"] = period
            values.setdefault("kind", _kind(period))
        if "kind" in values and values["kind"] not in KINDS:
            raise IngestError(f"{where}: kind {values['kind']!r} is not one of {', '.join(KINDS)}")
        table[Path(name).name] = values
    return table


# ---------------------------------------------------------------------------------------------
# Documents


def read_document(
    path: Path, overrides: dict | None = None, max_mb: float = 50.0, name: str = ""
) -> Document:
    """Read, normalise and describe one report. Non-empty `overrides` win over inferred metadata.

    `name` is what the report is known by in the index (its path relative to the folder ingested);
    the file name by default.
    """
    path = Path(path)
    name = name or path.name
    text, pages = normalise(read_file(path, max_mb=max_mb))
    if not text:
        raise EmptyFileError(f"{path.name} contains no text")
    meta = infer_metadata(text, path.name)
    for key, value in (overrides or {}).items():
        if key in meta and value not in (None, ""):
            meta[key] = str(value)
    if overrides and overrides.get("period") and not overrides.get("kind"):
        meta["kind"] = _kind(meta["period"])
    doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Document(doc_id=doc_id, source=name, text=text, path=str(path), pages=pages, **meta)


def iter_input_files(paths: list[Path]) -> list[Path]:
    """Report files under `paths` (files or directories, recursive), sorted, without duplicates."""
    return [path for path, _name in find_reports(paths)[0]]


def find_reports(
    paths: list[Path], follow_links: bool = False
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """The report files under `paths` with the name each is known by, and the entries passed over.

    A report's name is its path relative to the folder given (`2021/baocao-thang8.txt`), so two
    folders' `baocao-thang8.txt` stay two reports; a file given by itself is named by its file name.
    A link to a file outside the folder given is not followed unless `follow_links`: a report folder
    should not be able to make baocao read and cite `/etc/...`. An entry that cannot even be looked at
    (a path longer than the file system allows, no permission) is passed over with the reason, and
    the batch goes on.
    """
    found: dict[Path, str] = {}
    skipped: list[tuple[str, str]] = []
    for p in paths:
        p = Path(p)
        try:
            if not p.exists():
                raise IngestError(f"{p}: no such file or directory")
            if p.is_file():
                # Named explicitly: keep it, so reading it reports the problem instead of a silent skip.
                found.setdefault(p, p.name)
                continue
            root = p.resolve()
        except OSError as exc:
            skipped.append((str(p), f"cannot be read: {exc.strerror or exc}"))
            continue

        def unreadable(exc: OSError, top: Path = p) -> None:
            skipped.append((str(exc.filename or top), f"cannot be read: {exc.strerror or exc}"))

        for folder, dirs, files in os.walk(p, onerror=unreadable, followlinks=follow_links):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or name.startswith("~$") or name == METADATA_FILE:
                    continue  # hidden files, Word lock files, the metadata table
                f = Path(folder) / name
                if f.suffix.lower() not in SUPPORTED_EXTENSIONS:
                    continue
                try:
                    if f.is_symlink() and not follow_links:
                        target = f.resolve()
                        if not target.is_relative_to(root):
                            skipped.append(
                                (str(f), f"a link to {target}, outside {p}; pass --follow-links to read it")
                            )
                            continue
                    if not f.is_file():
                        continue
                except OSError as exc:
                    skipped.append((str(f), f"cannot be read: {exc.strerror or exc}"))
                    continue
                found.setdefault(f, f.relative_to(p).as_posix())
    return sorted(found.items()), skipped
