"""The heading outline of a report: which heading every stretch of text sits under.

Sở TT&TT reports number their parts "I." / "1." / "1.1." / "3.2.1." / "a)", with the occasional
ALL-CAPS heading and short unnumbered sub-heading lines. Numbered *list items* look the same as numbered
headings ("1. Tổ chức 01 cuộc thanh tra ... theo kế hoạch."), so a numbered line is a heading only when it
reads like a title: short, no sentence-final punctuation, and not continued on the next line.

Every character of the text belongs either to a heading line or to exactly one section body; the text
before the first heading, the closing "Trên đây là ..." paragraph and the recipients/signers block get
synthetic sections (level 0) so that nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.core.types import Section

FRONT = "Phần mở đầu"
WHOLE = "Nội dung"  # the one section of a report that has no headings at all
CLOSING = "Phần kết"
FOOTER = "Nơi nhận"
SYNTHETIC = frozenset({FRONT, WHOLE, CLOSING, FOOTER})

MAX_HEADING_CHARS = 200
MAX_PLAIN_HEADING_CHARS = 60

_MARKUP = "*#_ \t"
_ROMAN_RE = re.compile(r"^(?P<num>[IVXL]{1,6})\.\s+(?P<rest>\S.*)$")
_PART_RE = re.compile(r"^(?P<num>[A-H])\.\s+(?P<rest>\S.*)$")  # "A. KẾT QUẢ" above the roman numerals
# "1." needs its dot (else "2024 là năm ..." would match); "1.1" may drop the last one. Parts have at
# most two digits so that "2.350 tỷ đồng" or "1.674.885" at a line start is never taken for a number.
_NUM_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}\.)\s+(?P<rest>\S.*)$")
_LETTER_RE = re.compile(r"^(?P<num>[a-zđ])[).]\s+(?P<rest>\S.*)$")
_FOOTER_RE = re.compile(r"^(Nơi nhận|Nơi gửi)\s*:?", re.IGNORECASE)
_SIGNER_RE = re.compile(
    r"^(KT\.|TM\.|TL\.|TUQ\.|Q\.)?\s*(PHÓ\s+)?(GIÁM ĐỐC|CHÁNH VĂN PHÒNG|CHỦ TỊCH|TRƯỞNG PHÒNG)\s*$"
)
_CLOSING_RE = re.compile(r"^[ \t*]*Trên đây (là|la)\b", re.MULTILINE)
# ALL-CAPS lines of the letterhead: never headings, even in a report without numbered headings.
_LETTERHEAD_RE = re.compile(
    r"^(BÁO CÁO|CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP|UBND|ỦY BAN|UỶ BAN|SỞ |TỈNH ỦY|TỈNH UỶ|BAN |VĂN PHÒNG)"
)
_TERMINAL = tuple(".;!?,…")


@dataclass(frozen=True)
class _Heading:
    start: int  # line start in the text
    end: int  # end of the line, newline included: where the body begins
    text: str
    kind: str  # part | roman | caps | num | letter | plain
    depth: int = 0  # number of parts of a "3.2.1." label


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        out.append((pos, pos + len(raw), raw.strip().strip(_MARKUP).strip()))
        pos += len(raw)
    return out


def _starts_upper(s: str) -> bool:
    s = s.lstrip("\"“'‘(«")
    return bool(s) and (s[0].isupper() or s[0].isdigit())


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters) and len(s) <= 150


def _title_like(s: str) -> bool:
    """A line that reads as a title rather than as a sentence or list item."""
    body = s.rstrip(":").rstrip()
    return bool(body) and len(s) <= MAX_HEADING_CHARS and not body.endswith(_TERMINAL) and "./" not in s


def _classify(line: str, next_line: str) -> _Heading | None:
    """Heading kind of one stripped line, offsets left at 0 (filled by the caller)."""
    if not line or line[0] in "-+•*–":
        return None
    # A line cut by a page break continues in lower case; "a) ..." under a heading is no continuation.
    continued = bool(next_line) and next_line[0].islower() and not _LETTER_RE.match(next_line)
    m = _ROMAN_RE.match(line)
    if m and len(line) <= MAX_HEADING_CHARS and not continued:
        return _Heading(0, 0, line, "roman")
    m = _NUM_RE.match(line)
    if m:
        if _title_like(line) and _starts_upper(m["rest"]) and not continued:
            return _Heading(0, 0, line, "num", depth=len([p for p in m["num"].split(".") if p]))
        return None
    m = _LETTER_RE.match(line)
    if m:
        if _title_like(line) and _starts_upper(m["rest"]) and not continued:
            return _Heading(0, 0, line, "letter")
        return None
    m = _PART_RE.match(line)
    if m and _title_like(line) and _is_caps(m["rest"]) and not continued:
        return _Heading(0, 0, line, "part")
    if _is_caps(line) and _title_like(line) and not continued:
        return _Heading(0, 0, line, "caps")
    if (
        len(line) <= MAX_PLAIN_HEADING_CHARS
        and line[0].isupper()
        and not line.endswith(_TERMINAL + (":",))
        and next_line
        and not continued
    ):
        return _Heading(0, 0, line, "plain")
    return None


def _find_footer(lines: list[tuple[int, int, str]], first: int, last: int) -> int | None:
    """Offset where the recipients/signers block begins: "Nơi nhận:" after the first heading, else the
    first signer title ("KT. GIÁM ĐỐC") after the last one."""
    for start, _end, s in lines:
        if start > first and _FOOTER_RE.match(s):
            return start
    for start, _end, s in lines:
        if start > last and _SIGNER_RE.match(s):
            return start
    return None


def _headings(text: str) -> tuple[list[_Heading], int | None]:
    lines = _lines(text)
    nonblank = [i for i, (_s, _e, s) in enumerate(lines) if s]
    nxt = {i: lines[j][2] for i, j in zip(nonblank, nonblank[1:], strict=False)}
    found: list[_Heading] = []
    for i in nonblank:
        start, end, s = lines[i]
        h = _classify(s, nxt.get(i, ""))
        if h is not None:
            found.append(_Heading(start, end, s.rstrip(":").rstrip(), h.kind, h.depth))

    # The letterhead and title block are front matter: structure starts at the first numbered heading.
    structural = [h for h in found if h.kind in ("part", "roman", "num")]
    if structural:
        first = structural[0].start
        found = [h for h in found if h.start >= first]
    else:
        title_end = next((e for s, e, t in lines if t.startswith("BÁO CÁO")), 0)
        found = [
            h for h in found if h.kind == "caps" and h.start >= title_end and not _LETTERHEAD_RE.match(h.text)
        ]

    # The recipients/signers block ends the outline; its "GIÁM ĐỐC" lines would otherwise read as headings.
    numbered = [h for h in found if h.kind != "plain"]
    footer = _find_footer(lines, numbered[0].start if numbered else 0, numbered[-1].start if numbered else 0)
    if footer is not None:
        found = [h for h in found if h.start < footer]
    return found, footer


def _rank(h: _Heading, stack: list[tuple[int, _Heading]]) -> int:
    if h.kind == "part":
        return 0
    if h.kind in ("roman", "caps"):
        return 1
    if h.kind == "num":
        return h.depth + 1
    if h.kind == "letter":
        # "a)" sits just below the nearest numbered heading, wherever that is in the hierarchy.
        base = next((r for r, s in reversed(stack) if s.kind not in ("letter", "plain")), 0)
        return base + 1
    base = next((r for r, s in reversed(stack) if s.kind != "plain"), 0)
    return base + 1


def _outline(text: str) -> list[tuple[Section, int]]:
    """Sections in document order, each with the offset where its heading line starts."""
    heads, footer = _headings(text)
    body_end = footer if footer is not None else len(text)
    out: list[tuple[Section, int]] = []

    # Closing paragraph ("Trên đây là báo cáo ...") after the last heading.
    closing = None
    if heads:
        m = _CLOSING_RE.search(text, heads[-1].end, body_end)
        if m:
            closing = m.start()
    heads_end = closing if closing is not None else body_end

    first = heads[0].start if heads else heads_end
    if text[:first].strip():
        out.append((Section((FRONT if heads else WHOLE,), 0, first, 0), 0))

    stack: list[tuple[int, _Heading]] = []
    for i, h in enumerate(heads):
        r = _rank(h, stack)
        while stack and stack[-1][0] >= r:
            stack.pop()
        stack.append((r, h))
        end = heads[i + 1].start if i + 1 < len(heads) else heads_end
        path = tuple(s.text for _r, s in stack)
        out.append((Section(path, h.end, end, len(path)), h.start))

    if closing is not None and text[closing:body_end].strip():
        out.append((Section((CLOSING,), closing, body_end, 0), closing))
    elif closing is not None and out:
        sec, hs = out[-1]
        out[-1] = (Section(sec.path, sec.start, body_end, sec.level), hs)
    if footer is not None:
        out.append((Section((FOOTER,), footer, len(text), 0), footer))
    elif out and out[-1][0].end < len(text):
        sec, hs = out[-1]
        out[-1] = (Section(sec.path, sec.start, len(text), sec.level), hs)
    return out


def parse_sections(text: str) -> list[Section]:
    """The report's outline in document order.

    `path` runs from the top heading down to this one, each heading as printed (markup and a trailing
    ":" removed). `start`/`end` span the body: after the heading line, up to the next heading line.
    `level` is the depth of the path; 0 marks the synthetic sections (front matter, closing paragraph,
    recipients and signers), whose one-element path is FRONT/WHOLE, CLOSING or FOOTER.
    """
    return [s for s, _hs in _outline(text)]


def heading_spans(text: str) -> list[tuple[Section, int]]:
    """Like parse_sections, with each section's heading-line start (== start for synthetic sections)."""
    return _outline(text)
