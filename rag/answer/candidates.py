"""Every number mention in the retrieved passages is a candidate answer; this scores them.

A candidate is scored by how much of the question its sentence and the words that belong to it cover,
whether its unit fits the unit asked for, whether its qualifiers agree with the question, and whether
it belongs to the asked period. The words around a number are read the Vietnamese way: qualifiers follow
the unit noun ("1.186 cảnh báo cao"), a list's first number shares the subject before it, the parts of
"161/788 trạm" share their words. The weights are fitted (bench/fit_weights.py); `rag.answer.decide` decides
from the scores whether to answer, abstain or call the question ambiguous.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from rag.answer.understand import (
    QuestionInfo,
    families_in,
    given_key,
    has_cue,
    has_diacritics,
    normalise_for_cues,
    runs_a_total,
    says_a_flow_verb,
)
from rag.core.types import Hit, Mention, Quantity
from rag.lexicon import load_lexicon
from rag.retrieve import tokenize
from rag.text.gazetteer import fold
from rag.text.indicators import (
    fits_indicator,
    graded,
    named_in,
    names_in,
    parts_of,
    quantity_class,
    refinement_match,
    verbs_of,
    without_named_acts,
)
from rag.text.numbers import UNIT_CLASS, is_density, unit_head
from rag.text.segment import open_parenthesis, span_at, span_before, start_before


@dataclass(frozen=True)
class Candidate:
    mention: Mention
    hit: Hit
    score: float
    features: dict[str, float]
    local: str  # the words right around the number


# Where one number's phrase ends and the next one's begins: "982 trạm 3G, 1.300 trạm 4G", "19 giấy phép
# xuất bản tài liệu và 3 giấy phép xuất bản bản tin".
_LIST_SEP = re.compile(r"[,(;:)]|(?<!\S)và(?!\S)")


def _sentence_head(mention: Mention, hit: Hit) -> str:
    """The whole sentence up to the number: a list's items ("…; 284 tuyến viba; …") share its verb."""
    text, off = hit.chunk.text, mention.start - hit.chunk.start
    return text[start_before(text, off, "statement") : off]


_GLOSS = re.compile(r"\s*\(\s*[^\W\d_][^()\d;,]{0,38}?[:=]?\s*")


def _local_context(mention: Mention, hit: Hit, siblings: list[Mention]) -> tuple[str, str]:
    """(left, right): the words that belong to a number inside its sentence.

    Vietnamese puts a number's qualifiers after its unit noun ("1.186 cảnh báo cao", "trạm 5G"), so a
    number's right side runs to the next separator, "và" or number; its left side starts after the
    previous number's phrase ("…, xây dựng mới ⟨52 trạm⟩"). For a sentence's first number the left
    side is the label before it ("… hiện có trên mạng: ⟨1.674.885 thuê bao⟩") or, after a colon that
    opens a list, just the words after the colon ("SOC (Ajiant): có ⟨2.699⟩ cảnh báo thấp, …"): the
    words before that are the subject every number of the list shares. In "chấp thuận 146 vị trí …,
    xây dựng mới 52 trạm, lắp đặt 35 trạm 5G" this is what tells the 146 from the 52 and the 35.
    """
    text = hit.chunk.text
    base = hit.chunk.start
    off, end = mention.start - base, mention.end - base
    sent_start, sent_end = span_at(text, off, "clause") or (start_before(text, off, "clause"), len(text))
    sent_end = max(sent_end, end)
    prev = [n.end - base for n in siblings if sent_start <= n.end - base <= off]
    right = _right_side(text, end, sent_end, siblings, base)

    def taken_from(owner: Mention, last_segment: bool = False) -> tuple[str, str]:
        """The figure read with the label of the one it belongs to, and the words up to it."""
        owner_left = _local_context(owner, hit, siblings)[0]
        if last_segment:
            owner_left = owner_left.rsplit(",", 1)[-1]
        return owner_left + text[owner.start - base : off], right

    if prev:
        gap_start = max(prev)
        gap = text[gap_start:off]
        level = next(n for n in siblings if n.end - base == gap_start)
        share = mention.quantity.unit == "%"
        if share and level.quantity.unit != "%" and _GROWTH_OF.match(gap):
            # "doanh thu ước đạt 13,2 tỷ đồng tăng 17%": a growth printed after its level is the level's;
            # it shares the level's label
            return taken_from(level)
        if share and level.quantity.unit != "%" and _SHARE_OF.match(gap):
            # "có 67.792 người có chữ ký số (chiếm ⟨0,88%⟩ …)": the share of what the level counts
            return taken_from(level, last_segment=True)
        numerator = next((n for n in siblings if n.end - base == level.start - base - 1), None)
        if (
            share
            and numerator is not None
            and text[level.start - base - 1] == "/"
            and _SHARE_AFTER_FRACTION.match(gap)
        ):
            # "đồng bộ hồ sơ trên Cổng quốc gia 434/568 đạt tỷ lệ ⟨76,41%⟩": the fraction's share, of
            # what the fraction counts
            return taken_from(numerator)
        if (
            share
            and level.quantity.unit
            and level.quantity.unit != "%"
            and quantity_class(level.quantity) == "count"
            and _SHARE_AFTER_COUNT.match(gap)
        ):
            # "có 427 dịch vụ công trực tuyến một phần, đạt ⟨23,09%⟩": the share of what the count counts
            return taken_from(level, last_segment=True)
        if _GLOSS.fullmatch(text, gap_start, off):
            # "tỷ lệ hộ có máy tính là 12,6% (Cần Thơ ⟨18%⟩)": the same measure for a narrower place, so
            # the same label
            level_left, _ = _local_context(level, hit, siblings)
            return level_left + " " + gap, right
        pos = gap_start
        sep = _LIST_SEP.search(text, pos, off)
        while sep and sep.group() == "(" and (close := text.find(")", sep.end(), off)) >= 0:
            # "1.090 vị trí trạm thu phát sóng (BTS), trong đó ⟨1.052 vị trí⟩ có phủ sóng 4G": a gloss
            # closed before the figure is the figure before's
            pos = close + 1
            sep = _LIST_SEP.search(text, pos, off)
        left_start = sep.end() if sep else pos
        if sep and sep.group() == ":" and not re.search(r"\w", text[sep.end() : off]):
            # "Chi nhánh Ninh Sơn: 541 hồ sơ Chi nhánh Ninh Hải: ⟨109 hồ sơ⟩" (no comma between the items):
            # the item's label is the words before its colon
            left_start = gap_start
    else:
        head = text[sent_start:off]
        opener = max(head.rfind(":"), head.rfind("("))
        if opener >= 0 and re.search(r"\w", head[opener + 1 :]):
            left_start = sent_start + opener + 1
        else:
            words = list(re.finditer(r"\S+", head))
            left_start = sent_start + words[-8].start() if len(words) > 8 else sent_start
    return text[left_start:off], right


_SHARE_OF = re.compile(
    r"(?i)[^,;()\d]{0,40}?\(\s*(?:chiếm|bằng|tương đương|tương ứng)(?:\s+(?:khoảng|gần|hơn|trên))?\s*\Z"
)
# what may stand between a fraction and its share: its unit noun ("87/117 hệ thống thông tin, đạt
# 74,4%"), "đạt tỷ lệ", a parenthesis
_SHARE_AFTER_FRACTION = re.compile(
    r"(?i)[^,;()\d]{0,30}?[,(]?\s*(?:(?:đạt|bằng|chiếm|là)\s*)?(?:(?:tỷ|tỉ)\s+lệ\s*)?(?:là\s*)?\Z"
)
_SHARE_AFTER_COUNT = re.compile(r"(?i)[^,;()\d]{0,40}?,\s*(?:đạt|chiếm)(?:\s+(?:tỷ|tỉ)\s+lệ)?\s*\Z")
_GROWTH_OF = re.compile(r"(?i)\s*,?\s*(?:tăng|giảm)(?:\s+(?:khoảng|gần|hơn|trên|thêm))?\s*\Z")


def _right_side(text: str, end: int, sent_end: int, siblings: list[Mention], base: int) -> str:
    nexts = [n.start - base for n in siblings if end <= n.start - base < sent_end]
    stop = min([sent_end, end + 70, *nexts])
    sep = _LIST_SEP.search(text, end, stop)
    if sep:
        stop = sep.start()
        if sep.group() == ":" and re.match(r"\s*\d", text[sep.end() : sep.end() + 12]):
            stop = end  # "541 hồ sơ Chi nhánh Ninh Hải: 109 hồ sơ": the words up to it label the next item
    return text[end:stop]


class MentionsByChunk(Protocol):
    """A chunk id's figures: a dict, or the catalog read on demand (rag.index.catalog.MentionStore)."""

    def get(self, chunk_id: str, default: list[Mention] | None = None, /) -> list[Mention] | None: ...


# Words that tie a clause together without naming anything: no evidence for or against a figure.
_FUNCTION_WORDS = frozenset(
    "trong do so cua va cac nhung duoc da la co voi cho tai den tu theo ve nay dat uoc thuc hien khoang "
    "gan hon tren duoi tong cong".split()
)


# "(cấp tỉnh: 139, cấp huyện: 332 …)", "(trong đó …)": a parenthesis that opens a breakdown
_LABELLED_ITEMS = re.compile(r"(?i)\(\s*(?:trong\s+(?:số\s+)?đó\b|[^\W\d_][^()\d:;]{0,30}:\s*\d)")
_FIGURE_BEFORE_PAREN = re.compile(r"(?<![\w.,])\d[\d.,]*\s+([^\W\d_][^\d()]{0,30}?)\s*\(\s*\Z")


def _in_a_breakdown(text: str, off: int, unit: str) -> bool:
    """Whether the figure at `off` is an item of a parenthesis of figures that opens right after a figure
    of the same noun ("4.977 trạm (1.290 trạm 2G; ⟨1.814 trạm⟩ 3G …)"): a part of it."""
    found = open_parenthesis(text, off, 200)
    if not found:
        return False
    before = _FIGURE_BEFORE_PAREN.search(text, max(0, found[1] - 60), found[1] + 1)
    if not before:
        return False
    if _LABELLED_ITEMS.match(text, found[1]):
        # "577 cơ quan (cấp tỉnh: ⟨139⟩, cấp huyện: 332 …)", "673.983 thuê bao (trong đó cố định 46.000 …)":
        # labelled items are counted in the noun before
        return not unit or before.group(1).split()[0].lower() == unit.split()[0].lower()
    if not unit or not re.match(r"\(\s*\d", text[found[1] : found[1] + 3]):
        return False
    return before.group(1).split()[0].lower() == unit.split()[0].lower()


def _enclosing_subject(text: str, off: int) -> set[str]:
    """The words before the parenthesis a figure stands in, from its statement's start: "Văn phòng Đăng ký
    đất đai tiếp nhận 849 hồ sơ (… Chi nhánh Ninh Sơn: ⟨541⟩ hồ sơ …)" — each item of the breakdown is
    of the subject outside it."""
    found = open_parenthesis(text, off, 400)
    return set(tokenize(text[found[0] : found[1]])) if found else set()


# A sentence that says only when and how much ("Đến cuối năm 2021 đạt 92,2%."): it goes on with the
# subject of the sentence before.
_ONLY_WHEN = re.compile(
    r"(?i)^\W*(?:(?:đến|tới|tính\s+đến|vào|trong|sang)\s+)?(?:(?:hết|cuối|đầu|giữa)\s+)?"
    r"(?:(?:năm|tháng|quý)\s+)?[\dIVX/.-]*\s*,?\s*(?:đã\s+|ước\s+)?(?:đạt|là|lên|còn|tăng\s+lên)?\s*$"
)


def _subject_of_the_sentence_before(text: str, off: int) -> set[str]:
    """The words before the first number of the sentence before, for a figure whose own sentence names
    nothing but its date ("… trả lương qua tài khoản đạt 89,8%. Đến cuối năm 2021 đạt ⟨92,2%⟩")."""
    here = span_at(text, off, "sentence")
    said = text[here[0] : off] if here is not None else ""
    if not re.search(r"\d", said) or not _ONLY_WHEN.match(said):
        return set()  # a date it must name: a figure that opens its sentence is a title or a label
    before = span_before(text, here[0], "sentence") if here is not None else None
    if before is None:
        return set()
    lead = re.split(r"\d", text[before[0] : before[1]], maxsplit=1)[0]
    return set(tokenize(lead))


def _object_of_the_step_before(m: Mention, hit: Hit, left: str) -> set[str]:
    """Steps of one process share their object: in "Tiếp nhận 8 đơn khiếu nại, tố cáo; đã xem xét, giải
    quyết ⟨04 đơn⟩", the resolved "đơn" are the complaints received. The words after the same unit noun
    where the sentence names the other step (cues.toml opposites.verbs)."""
    unit = m.quantity.unit
    if not unit or unit == "%" or not _OPPOSITE_VERBS:
        return set()
    own = fold(left)
    text, off = hit.chunk.text, m.start - hit.chunk.start
    start = (span_at(text, off, "sentence") or (start_before(text, off, "statement"),))[0]
    before = text[start:off]
    folded_before = fold(before)
    for a, b in _OPPOSITE_VERBS:
        for mine, other in ((a, b), (b, a)):
            if has_cue(own, mine, True) and has_cue(folded_before, other, True):
                found = re.search(rf"(?i)(?<!\w){re.escape(unit)}(?!\w)([^;:()\d]{{0,60}})", before)
                return set(tokenize(found.group(1))) if found else set()
    return set()


def _fraction_partner(m: Mention, siblings: list[Mention], role: str) -> Mention | None:
    if role == "numerator":
        return next((n for n in siblings if n.start > m.end and n.start - m.end <= 3), None)
    if role == "denominator":
        return next((n for n in reversed(siblings) if n.end < m.start and m.start - n.end <= 3), None)
    return None


def _inherit_unit(m: Mention, hit: Hit, siblings: list[Mention], expected: str) -> Mention:
    """A bare decimal among money figures ("kinh phí được cấp là 30,5 tỷ đồng. … đã giải ngân 30,46,
    đạt 99,9%") is in the unit of the nearest money figure printed before it in the paragraph."""
    q = m.quantity
    if not q.unit and q.scale >= 1e6 and UNIT_CLASS.get(expected) == "money":
        # "nộp ngân sách địa phương đạt 1,4 tỷ": a sum in tỷ or triệu with its "đồng" left out
        return replace(m, quantity=replace(q, unit=expected), qualifier=m.qualifier or "inferred")
    if q.value == int(q.value) or q.unit:
        return m  # whole numbers without a unit are counts more often than amounts
    para_start = hit.chunk.text.rfind("\n", 0, m.start - hit.chunk.start) + hit.chunk.start
    before = [
        n
        for n in siblings
        if para_start <= n.start < m.start
        and n.quantity.unit == expected
        and n.quantity.scale != 1.0
        and n.quantity.value
    ]
    if not before:
        return m
    src = before[-1].quantity
    if not 0.1 <= q.value / src.value <= 10:
        return m
    return replace(
        m, quantity=replace(q, unit=src.unit, scale=src.scale), qualifier=m.qualifier or "inferred"
    )


def _repeated_whole(m: Mention, hit: Hit, siblings: list[Mention]) -> Mention | None:
    """The figure with a unit printed earlier in the passage that a bare fraction's denominator repeats
    ("568 hồ sơ" … "434/568"), for the fraction's numerator."""
    text, base = hit.chunk.text, hit.chunk.start
    after = re.match(r"\s*/\s*([\d.,]+)", text[m.end - base : m.end - base + 20])
    if not after:
        return None
    denominator = next((n for n in siblings if n.start - base == m.end - base + after.start(1)), None)
    if denominator is None or denominator.quantity.unit:
        return None
    return next(
        (
            n
            for n in reversed(siblings)
            if n.end <= m.start
            and n.quantity.unit
            and n.quantity.value == denominator.quantity.value
            and n.quantity.scale == denominator.quantity.scale
        ),
        None,
    )


def _split_raw(raw: str) -> tuple[str, str]:
    """ "12,5 triệu đồng" -> ("12,5", " triệu đồng"): the number as printed and what follows it."""
    digits = re.match(r"[\d.,]*", raw).group()
    return digits, raw[len(digits) :]


# A word after a figure's number (its unit noun and what qualifies it), up to a separator.
_WORD_AFTER = r"(?:\s+[^\W\d][^\s,.;:()]*)"
# "352 km trên tổng gần 554 km tuyến cáp cần chỉnh trang", "53 trên tổng số 85 hệ thống": a fraction in words
_OVER_TOTAL_AFTER = re.compile(rf"(?i){_WORD_AFTER}{{0,4}}\s+trên\s+tổng\b")
_OVER_TOTAL_BEFORE = re.compile(r"(?i)(?<!\w)trên\s+tổng(?:\s+số)?(?:\s+(?:gần|khoảng|hơn|trên))?\s*$")


def _fraction_role(mention: Mention, hit: Hit) -> str:
    """ "numerator" / "denominator" for the parts of "161/788 trạm" or "161 trạm trên tổng số 788", else ""."""
    text, base = hit.chunk.text, hit.chunk.start
    off = mention.start - base
    digits, _ = _split_raw(mention.quantity.raw)
    if digits and re.match(r"\s?/\s?\d", text[off + len(digits) :]):
        return "numerator"
    if re.search(r"\d\s?/\s?$", text[max(0, off - 3) : off]):
        return "denominator"
    if _OVER_TOTAL_BEFORE.search(text[max(0, off - 30) : off]):
        return "denominator"
    if _OVER_TOTAL_AFTER.match(text, mention.end - base):
        return "numerator"
    return ""


_TOTAL_NAMED_BEFORE = re.compile(r"(?i)(?<!\w)(?:tổng\s+số|tổng\s+cộng)(?!\w)[^.;:\d]*$")
# One case's figure, no total: a fine "đối với Báo …", of "01 đơn vị", "mỗi cá nhân"
_ONE_CASE = re.compile(
    r"(?i)(?<!\w)(?:0?1\s+(?:đơn vị|cá nhân|công dân|tổ chức|doanh nghiệp|cơ sở|trường hợp|đối tượng)"
    r"|đối với\s+(?:ông|bà|anh|chị|cá nhân|báo|tạp chí|công ty|doanh nghiệp|cơ sở|hộ|chủ|trang|tài khoản)"
    r"|mỗi\s+(?:cá nhân|người|đối tượng|trường hợp|đơn vị|quản trị viên|trang|tài khoản|fanpage|chủ))(?!\w)"
)
_PART_OPENING = re.compile(r"(?i)\W*trong\s+(?:số\s+)?đó\b")
# "… hiện có trên mạng: 1.674.885 thuê bao. Trong đó, …": the figure a breakdown follows is its total.
# The unit's own words may come first: "151 đài truyền thanh ⟨cơ sở⟩, trong đó 114 …".
_BREAKDOWN_FOLLOWS = re.compile(
    rf"(?i){_WORD_AFTER}{{0,3}}\s*(?:\([^()]{{0,80}}\))?\s*(?:[.,;:(]?\s*trong\s+(?:số\s+)?đó\b"
    # "cung cấp 1.858 dịch vụ công: mức 3: 551 dịch vụ …": a colon after the figure opens its parts
    rf"|:\s*[^\d\n.;]{{1,40}}\d"
    # "Toàn tỉnh có 4.977 trạm (1.290 trạm 2G; 1.814 trạm 3G …)": so does a parenthesis of figures
    rf"|\(\s*\d[\d.,]*\s+[^\W\d_]"
    # "577 cơ quan (cấp tỉnh: 139, cấp huyện: 332, cấp xã: 106)": and one of labelled figures
    rf"|\(\s*[^\W\d_][^()\d:;]{{0,30}}:\s*\d)"
)


def _breakdown_after(text: str, pos: int) -> str:
    """The breakdown that follows the figure ending at `pos`, up to its closing parenthesis or the end of
    its sentence ("⟨673.983 thuê bao⟩ (trong đó cố định 46.000; trả sau 42.330 …)"), else ""."""
    found = _BREAKDOWN_FOLLOWS.match(text, pos)
    if not found:
        return ""
    rest = text[pos : pos + 400]
    opened = rest.find("(", 0, found.end() - pos)
    if opened >= 0:
        closed = rest.find(")", opened)
        return rest[: closed if closed > 0 else len(rest)]
    ends = re.search(r"\.\s|\n", rest[found.end() - pos :])
    return rest[: found.end() - pos + ends.start()] if ends else rest


# "Phấn đấu quý I năm 2025 thẩm định, chấp thuận 257 vị trí": a sentence that opens with a target
# makes every figure in it a target, past the comma that ends the figure's own label. ("Dự kiến nộp
# ngân sách ước khoảng 114 tỷ đồng" opens an estimate, not a target.)
_PLAN_OPENING = re.compile(
    r"(?i)\W*(?:(?:\d{1,2}|[a-zđ]|[ivx]{1,4})[.)]\s+)?(?:theo\s+)?(?:phấn\s+đấu|kế\s+hoạch|mục\s+tiêu)\b"
)  # after a list's number or letter: "2. Phấn đấu quý II năm 2025 thẩm định …"
# … unless the sentence turns to what was done: "Kế hoạch năm 2022 là 400 vị trí, quý I đã thẩm định 160".
_ACHIEVED = re.compile(r"(?i)(?<!\w)(?:đã|đạt)(?!\w)")
_PARENS = re.compile(r"\([^()]*\)")
# "đạt 33,6% kế hoạch vốn được giao": a share of the plan achieved, not a planned figure.
_PASSED_MARK = re.compile(r"(?i)(?<!\w)vượt\s+(?:qua\s+)?(?:mốc|ngưỡng)\s*(?:của\s+)?$")
# "chưa đạt trên ⟨5%⟩": a mark not reached bounds the figure, it is not the figure
_UNREACHED_MARK = re.compile(r"(?i)(?<!\w)(?:chưa|không)\s+(?:đạt|vượt|tới)(?:\s+(?:được|mức|trên|tới))*\s*$")
# Places lost and places gained: "tụt mấy hạng" is not answered by "(tăng ⟨1 bậc⟩)"
_PLACES_LOST, _PLACES_GAINED = (
    re.compile(r"\b(?:" + "|".join(re.escape(fold(v).lower()) for v in load_lexicon().moves[k]) + r")\b")
    for k in ("lost", "gained")
)
_FROM_VALUE = re.compile(r"(?i)(?<!\w)từ\s*(?:mức\s+)?$")
_TO_VALUE = re.compile(r"(?i)^[^\d;.]{0,12}?(?:xuống|lên|giảm xuống|tăng lên)(?:\s+(?:còn|đến|tới|mức))?\s")
_RANGE_JOIN = re.compile(r"(?i)[ \t]*(?:-|–|đến|tới)[ \t]*")
_RANGE_HIGH = load_lexicon().cues["range_high"]
_RANGE_LOW = load_lexicon().cues["range_low"]
_EARLIER_ASKED = re.compile(r"\b(?:truoc (?:khi|do|day)|ban dau|tu bao nhieu|tu muc)\b")
_NOW_MARK = re.compile(r"(?i)(?<!\w)(?:đến nay|tới nay|hiện nay|nay đã)(?!\w)")
_CHANGE_LEAD = re.compile(r"(?i)(?<!\w)(?:tăng|giảm)(?:\s+đi)?\s*$")
_EXCESS_BEFORE = re.compile(r"(?i)(?<!\w)(?:vượt|tăng|giảm)\s*$")
# A figure in a parenthesis right after the plan's name is the plan's value: "so với kế hoạch (75%)".
_PLAN_IN_PARENS = re.compile(r"(?i)(?<!\w)(?:kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu)(?:\s+[^\W\d_]+){0,3}\s*\(\s*$")
SHARE_OF_PLAN = re.compile(
    r"(?i)\s*(?:so\s+với\s+|của\s+)?(?:kế\s+hoạch|chỉ\s+tiêu)(?:\s+vốn)?(?:\s+được\s+giao)?(?!\w)"
)  # "đạt 64,5% kế hoạch vốn được giao": the whole phrase is what it is a share of
# A sentence that takes stock ("Toàn tỉnh hiện có 1.215 trạm BTS", "Có 182 điểm chuyển mạch; …; 667 vị
# trí trạm BTS") counts what exists, not what the period added: no answer to "xây dựng mới bao nhiêu".
_STOCK_OPENING = re.compile(
    r"(?i)^\W*(?:(?:toàn tỉnh|trên địa bàn[^,.;:]{0,30})\s+)?(?:hiện\s+(?:nay\s+)?)?có\s"
)


# "Tổng số thuê bao điện thoại trên toàn tỉnh là ⟨673.983⟩": what the province has, unless a verb of what
# the period did says otherwise ("Tổng số hồ sơ tiếp nhận trên toàn tỉnh là 1.519").
_PROVINCE_TOTAL_STATEMENT = re.compile(
    r"(?i)^\W*tổng\s+số\s+[^,.;:()]{1,60}?\s(?:trên\s+)?(?:toàn\s+tỉnh|địa\s+bàn(?:\s+tỉnh)?)\s+(?:là|đạt|có)\W*$"
)


@functools.lru_cache(maxsize=32768)
def _takes_stock(head: str) -> bool:
    """`head`: the sentence up to the number."""
    if _PROVINCE_TOTAL_STATEMENT.match(head):
        return not says_a_flow_verb(head)
    return bool(_STOCK_OPENING.match(head)) or "stock" in families_in(head)


# A comparison base names another period without the figure being of it: "tăng 8% so với cùng kỳ năm
# 2023" is a 2024 figure.
# a bracket opened right after a base of comparison glosses the base: "so với năm 2021 (xếp hạng 23)"
_BASE_GLOSS = re.compile(
    r"(?i)so\s+(?:v[ớo]i\s+)?((?:c[ùu]ng\s+k[ỳy]\s+)?[^,;.()]{0,20}?\d[^,;.()]{0,12})\(\s*[^()]*\Z"
)
_COMPARISON_BASE = re.compile(
    r"(?i)(?:so\s+v[ớo]i|so\s+(?=(?:n[ăa]m|c[ùu]ng|k[ỳy]|th[áa]ng|qu[ýy])\b)|c[ùu]ng\s+k[ỳy])"
    r"(?:(?!so\s+v[ớo]i)[^,;.()]){0,30}"
)  # "tăng 6 bậc so năm 2021": the base of a change, not the figure's period
# "01 đơn tố cáo từ tháng 01/2021 chuyển sang. Đã giải quyết ⟨02 đơn⟩": where a case came from, not when
# the figure after it was counted
_CARRIED_OVER = re.compile(
    r"(?i)(?<!\w)từ\s+(?:tháng|năm|quý|kỳ)[^,;.()]{0,20}?\s+chuyển\s+(?:sang|qua)(?!\w)"
)
# … but a statement that opens with the base speaks of it: "Cùng kỳ năm 2019 là 2.006.864 thuê bao trong
# đó thuê bao cố định 39.236" gives 2019's figures in the 2020 report.
_BASE_OPENING = re.compile(r"(?i)^\W*(?:trong\s+đó,?\s+)?c[ùu]ng\s+k[ỳy]\s+(?:năm\s+)?(?:trước|\d{4})")


# "cả năm 2022", "toàn năm", "trọn quý": the question wants the whole period, not the latest word on it
_WHOLE_PERIOD = re.compile(r"(?<![a-z])(?:(?:ca|toan|tron)\s+(?:nam|quy)|(?:cuoi|het)\s+nam)(?![a-z])")


def _longer(asked: str, filed: str) -> bool:
    """Whether the asked period holds the report's period and more ("2022" against "2022-10")."""
    from rag.text.periods import contains, period_span

    return asked != filed and contains(asked, filed) and period_span(asked)[1] > period_span(filed)[1]


_AS_OF = load_lexicon().cues["as_of"]


def _ends_with(filed: str, asked: str) -> bool:
    """Whether the asked period is the last month (or months) of the report's: "2014-03" of "2014-Q1"."""
    from rag.text.periods import period_span

    return period_span(filed)[1:] == period_span(asked)[1:]


def _shorter(asked: str, filed: str) -> bool:
    """Whether the report's period holds the asked one and more ("2024-10" against "2024-Q4")."""
    from rag.text.periods import contains, period_span

    if asked == filed or not contains(filed, asked):
        return False
    a, f = period_span(asked), period_span(filed)
    return f[1] - f[0] > a[1] - a[0]


def _words_before(left: str, n: int) -> str:
    """About the last `n` characters of `left`, widened to the phrase the cut falls in: "9 tháng năm 2023,
    Viettel … đã phát triển thêm" is of the nine months, not of "2023"."""
    cut = len(left) - n
    if cut <= 0:
        return left
    back = max(left.rfind(sep, 0, cut) for sep in ",;.\n")
    if back >= 0 and cut - back <= 40:
        return left[back + 1 :]
    space = left.rfind(" ", 0, cut)
    return left[space + 1 :] if space >= 0 else left[cut:]


def _closed_groups_out(before: str) -> str:
    """The words before a figure without the parentheses closed before it, whose periods are their own
    items' ("(… MobiFone: 95 trạm và dự kiến triển khai năm 2026), nâng tổng số trạm 5G lên 1.197")."""
    return re.sub(r"^[^()]*\)|\([^()]*\)", " ", before)


def _said_periods(text: str, year: int | None) -> list[str]:
    return list(_said_periods_cached(text, year))


@functools.lru_cache(maxsize=32768)
def _said_periods_cached(text: str, year: int | None) -> tuple[str, ...]:
    from rag.text.periods import parse_periods

    return tuple(parse_periods(_COMPARISON_BASE.sub(" ", text), default_year=year))


def _last_period_before(text: str, off: int, year: int | None) -> str:
    """The last period the paragraph names before `off`, bases of comparison and closed brackets left
    out; none past a mark of now ("đến nay")."""
    from rag.text.periods import period_mentions

    # "Nếu như năm 2006, … có 77 trạm, đến nay đã tăng lên ⟨193 trạm⟩": now, not 2006
    before = _NOW_MARK.split(_closed_groups_out(text[text.rfind("\n", 0, off) + 1 : off]))[-1]
    found = list(period_mentions(_COMPARISON_BASE.sub(" ", before), year))
    return found[-1][2] if found else ""


def _spanned_years(text: str) -> list[str]:
    """Every year of the spans `text` names ("GIAI ĐOẠN 2016-2020", "từ năm 2016 đến năm 2020"): a
    heading of the last plan period speaks against a figure asked of 2021, though a span's figure is
    no one year's answer."""
    out: list[str] = []
    for m in _YEAR_SPAN.finditer(text):
        first, last = int(m.group(1)), int(m.group(2))
        if first < last <= first + 10:
            out += [str(y) for y in range(first, last + 1)]
    return out


def _spans(text: str) -> list[tuple[str, str]]:
    """The year spans a text names, as (first, last): "giai đoạn 2016 - 2020" -> ("2016", "2020")."""
    return [(m.group(1), m.group(2)) for m in _YEAR_SPAN.finditer(text) if m.group(1) < m.group(2)]


def asks_a_span(question: str) -> bool:
    """Whether the question names a span of years ("giai đoạn 2016 - 2020"), which no one report's "now" is."""
    return bool(_spans(question))


_YEAR_SPAN = re.compile(
    r"(?i)(?<!\d)((?:19|20)\d\d)\s*(?:-|–|—|đến(?:\s+(?:hết\s+)?năm)?)\s*((?:19|20)\d\d)(?!\d)"
)


def _parts(unit: str) -> list[str]:
    """A compound unit "tổ chức, cá nhân" is either of its nouns."""
    return [p.strip() for p in unit.split(",") if p.strip()] or [unit]


def _same_head(a: str, b: str) -> bool:
    """ "trạm" and "trạm BTS" name one thing, as do "km" and "km/điểm" (a rate keeps its numerator's
    unit); prefixes count only as whole words."""
    a, b = unit_head(a), unit_head(b)
    return a == b or any(a.startswith(b + sep) or b.startswith(a + sep) for sep in (" ", ","))


def units_fit(expected: str, unit: str, left: str = "") -> float | None:
    """None: this number cannot be the answer (a percentage where a count is asked, and so on)."""
    if (unit == "bậc") != (expected == "bậc"):
        return None  # places gained ("tăng 12 bậc") answer only "tăng mấy bậc", and nothing else does
    if not expected:
        # Nothing asked for a share ("tỷ lệ", "%", "chiếm bao nhiêu" would have): "Thuê bao ĐT Đồng
        # Tháp 2007?" wants the 426.545, not the 56,67% beside it.
        # Nor a density ("22,24 máy/100 dân" beside "426.545 máy").
        return -0.1 if unit == "%" or is_density(unit) or UNIT_CLASS.get(unit) == "power" else 0.0
    if is_density(expected) and is_density(unit):
        # "mật độ điện thoại" is printed per 100 people as "máy/100 dân" or "thuê bao/100 người dân"
        return 0.15 if _same_head(unit, expected) else 0.05
    if "/" in expected and "/" not in unit:
        return -0.2 if unit.startswith(expected.split("/")[0]) else None  # a count is not a density
    if is_density(unit) and "/" not in expected:
        return None  # nor a density ("101 thuê bao/100 dân") a count; a rate per one ("km/điểm") may be
    if any(unit and _same_head(unit, e) for e in _parts(expected)) or any(
        unit and _same_head(u, expected) for u in _parts(unit)
    ):
        return 0.15
    if UNIT_CLASS.get(expected, "count") != UNIT_CLASS.get(unit, "count") and unit:
        return None
    if not unit:
        # "tỷ lệ đồng bộ hồ sơ trên Cổng quốc gia 434/568": the noun is printed elsewhere in the clause.
        if expected not in UNIT_CLASS and has_cue(normalise_for_cues(left, False), expected, False):
            return 0.1
        return -0.3 if expected in UNIT_CLASS else -0.05
    if unit in _GENERIC_COUNT_NOUNS and UNIT_CLASS.get(expected, "count") == "count":
        return 0.0  # "cấp xã có … 19 đơn vị loại kém": a generic noun counts whatever the clause names
    return -0.2  # two count nouns ("trạm" for "vị trí") may still be the figure


_GENERIC_COUNT_NOUNS = frozenset({"đơn vị"})


def _counts_what_is_asked(modifiers: tuple[str, ...], right: str) -> bool:
    """Whether a bare figure is followed by the noun the question counts after its classifier ("bao nhiêu
    bản tổng hợp tin tuần" asked, "⟨48⟩ tổng hợp tin tuần" printed): its first two words."""
    words = [t for t in tokenize(right) if "_" not in t][:2]
    return len(words) >= min(2, len(modifiers)) and tuple(words) == modifiers[: len(words)]


# Weights of the candidate features, fitted on the dev gold and a generated corpus together (random
# search maximising correct answers minus false answers; see bench/fit_weights.py). Coverage features
# are IDF-weighted shares of the question's words (uni: syllables, bi: two-syllable words) found in the
# number's sentence (+ heading path), its clause alone, the 300 characters before it, or right around it;
# precision is the share of the words around the number that the question asks for.
WEIGHTS: dict[str, float] = {
    "sent_uni": 0.002,
    "sent_bi": 0.564,
    "clause_bi": 0.561,
    "nearby_uni": 0.036,
    "local_uni": 0.126,
    "local_bi": 0.0,
    "precision": 0.437,
    "qmod": 0.018,
    "unit": 1.725,
    "qualifiers": 5.0,
    "period": 4.361,
    "modifier": 0.178,
    "retrieval": 0.101,
    # Set by hand, not fitted (session 6): lexical, weight 0 / 0.3 / 0.5 — dev 0.954 / 0.954 / 0.938;
    # realdev 0.648 / 0.727 / 0.727 (false 0.088 / 0.055 / 0.055); seeds 11, 23, 41 0.819 / 0.874 / 0.881,
    # 0.858 / 0.907 / 0.905, 0.824 / 0.862 / 0.860 with fewer false answers at 0.3 on all three.
    "indicator": 0.3,
}


# Pairs that name opposite things. A sentence that speaks only of the other member ("trả sau" when
# "trả trước" is asked) cannot hold the answer, however many other words it shares with the question.
_OPPOSITES: tuple[tuple[str, str], ...] = load_lexicon().opposites
_OPPOSITE_VERBS: tuple[tuple[str, str], ...] = load_lexicon().opposite_verbs


def _names_a_verb(folded: str) -> bool:
    """Whether the text names a verb of an opposite pair ("tiếp nhận", "giải quyết")."""
    return any(has_cue(folded, v, True) for pair in _OPPOSITE_VERBS for v in pair)


@functools.lru_cache(maxsize=65536)
def _opposed(
    question_folded: str, sentence_folded: str, pairs: tuple[tuple[str, str], ...] | None = None
) -> bool:
    def has(text: str, phrase: str) -> bool:
        return has_cue(text, phrase, True)  # folded, whole words: "kiểm tra sau" is not "trả sau"

    question_folded, sentence_folded = (
        _one_portal_spelling(question_folded),
        _one_portal_spelling(sentence_folded),
    )
    for asked, other in _asked_opposites(question_folded, pairs or _OPPOSITES):
        if has(sentence_folded, other) and not has(sentence_folded, asked):
            return True
    return False


def _one_portal_spelling(folded: str) -> str:
    """ "Cổng dịch vụ công quốc gia" is printed as often as "Cổng DVC quốc gia": one spelling for both."""
    return folded.replace("cong dich vu cong", "cong dvc")


def _opposed_by_heading(question_folded: str, section: tuple[str, ...], text: str) -> bool:
    """A figure whose own words (`text`) name neither member of an opposite pair is of the member its
    heading names: "Lũy kế doanh thu … 74.000 triệu đồng" under "1. Bưu chính" is no telecom revenue.
    `question_folded` is spelled by `_one_portal_spelling` already."""
    asked_pairs = _asked_opposites(question_folded, _OPPOSITES)
    if not section or not asked_pairs:
        return False
    heading = _one_portal_spelling(fold(section[-1]))
    text_folded = _one_portal_spelling(fold(text))
    for asked, other in asked_pairs:
        if has_cue(text_folded, asked, True) or has_cue(text_folded, other, True):
            continue
        if has_cue(heading, other, True) and not has_cue(heading, asked, True):
            return True
    return False


# A gap asked against something named ("thấp hơn trung bình cả nước bao nhiêu", "cao hơn … mấy"), and the
# words that print one ("cao hơn ⟨13,5 Mbps⟩", "chênh lệch ⟨5%⟩", "vượt ⟨82 máy⟩", "tăng ⟨8%⟩")
_GAP_ASKED = re.compile(
    r"\b(?:thap hon|cao hon|nhieu hon|it hon|chenh lech|kem hon)\b(?:(?!\bla\b)[^?]){0,60}\b(?:bao nhieu|may)\b"
)
_GAP_LEAD = re.compile(r"\b(?:hon|chenh lech|chenh|vuot|tang|giam|kem)\b[^\d]{0,15}$")
# The number of provinces a ranking asked is among ("trong 13 tỉnh ĐBSCL", "/13 tỉnh")
_FIELD_SIZE = re.compile(r"(?:\b(?:trong|giua|tren)\s+|/)(\d{1,2})\s+(?:tinh|dia phuong)\b")
# Where a figure's own words after it end: the next figure, a clause of its own, or its breakdown
_OWN_WORDS_AFTER = re.compile(r"(?i)[;(.:]|\d|\svà\s|,?\s*(?:trong\s+(?:số\s+)?đó|bao\s+gồm|gồm)(?!\w)")


def _joined_opposites(question_folded: str) -> tuple[tuple[str, str], ...]:
    """The opposite pairs whose two members the question joins ("toàn trình và một phần", "cố định +
    di động", "cả trả trước lẫn trả sau"): it asks them together."""
    out = []
    for a, b in _OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if re.search(
                rf"(?<!\w){re.escape(x)}\s*(?:,|\+|va|hoac|lan|cung|&)\s*{re.escape(y)}(?!\w)",
                question_folded,
            ):
                out.append((a, b))
                break
    return tuple(out)


def _one_of_both(pairs: tuple[tuple[str, str], ...], own_folded: str) -> bool:
    """Whether a figure's own words name one member only of a pair the question asks together."""
    return any(has_cue(own_folded, a, True) != has_cue(own_folded, b, True) for a, b in pairs)


@functools.lru_cache(maxsize=4096)
def _asked_opposites(question_folded: str, pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(asked, other) for each opposite pair of which the question names one member only ("cố định và di
    động": both asked, a sentence of either may hold a part of it). The same for every sentence scored."""
    out = []
    for a, b in pairs:
        has_a, has_b = has_cue(question_folded, a, True), has_cue(question_folded, b, True)
        if has_a and not has_b:
            out.append((a, b))
        elif has_b and not has_a:
            out.append((b, a))
    return tuple(out)


def _split_weights(
    idf: dict[str, float], terms: tuple[str, ...]
) -> tuple[dict[str, float], dict[str, float]]:
    uni = {t: idf.get(t, 0.0) for t in terms if "_" not in t}
    bi = {t: idf.get(t, 0.0) for t in terms if "_" in t}
    return uni, bi


def _modifier_match(modifiers: tuple[str, ...], local: set[str], idf: dict[str, float]) -> float:
    """+share of the question's unit modifiers ("trạm BTS ⟨4G⟩") found around the number; -1 if none."""
    if not modifiers:
        return 0.0
    total = sum(idf.get(t, 1.0) for t in modifiers) or 1.0
    got = sum(idf.get(t, 1.0) for t in modifiers if t in local) / total
    return got if got > 0 else -1.0


def _qualifier_score(
    asked: set[str], here: set[str], unit: str, role: str, running: bool = False, changed: bool = False
) -> float:
    """`running`: the sentence before the figure names a running total ("từ đầu năm đến … phát triển mới
    được 94.511"), though the figure's own label does not. `changed`: "tăng"/"giảm" right before it."""
    fam = 0.0
    for name in ("cumulative", "plan", "new"):
        if name in asked and name in here:
            fam += 0.1
        elif name in here:
            fam -= 0.15
        elif name == "cumulative" and name in asked and "new" in here and not running:
            fam -= 0.2  # "phát triển mới tháng 6 … 5.928" is the month's; "lũy kế" asks the running total
        elif name in asked and name != "new":
            fam -= 0.05  # a plan or a running total is named as such; a new count often is not
    if "stock" in asked and "stock" in here:
        fam += 0.1
    elif ("stock" in here and asked & {"new", "flow"}) or ("stock" in asked and "new" in here):
        fam -= 0.25 if "stock" in here else 0.1  # (+ the loop's -0.15 for a "new" not asked)
    if "change" in here and unit == "%":
        fam += 0.1 if "change" in asked else -0.2
    elif "change" in here and "change" in asked:
        fam += 0.1  # "tăng mấy bậc": "tăng 3 bậc so với năm trước"
    elif "change" in here and "new" not in here and changed:
        fam -= 0.1  # "698 đơn vị (tăng 08 đơn vị so với năm 2021)": a level asked, not its change
    elif "change" in asked and "plan" in here:
        fam -= 0.05  # "vượt kế hoạch bao nhiêu máy": not the plan's "(600 máy)"
    total_asked = "total" in asked
    if role == "denominator" or "total" in here:
        fam += 0.1 if total_asked else (-0.15 if role == "denominator" else 0.0)
    if role == "numerator" or "part" in here:
        fam += -0.15 if total_asked else 0.0
    if "part" in asked and "part" in here:
        fam += 0.1
    # The cues overlap ("tổng số … đang hoạt động" is a total and a stock): one match is the evidence,
    # a second adds none, or a figure of another unit could ride on them past the right one.
    return min(fam, 0.1)


_HOW_MANY_OF = re.compile(r"(?<!\w)(?:bao nhieu|may|bn)\s+((?:[a-z]+\s*){1,3})")


def _counted_noun(question: str) -> tuple[str, ...]:
    """The folded words a question counts when they are no unit ("bao nhiêu cổng thành phần" -> cong
    thanh phan), up to the first word of its frame ("của", "ở", …) or a province's name; () when none."""
    from rag.text.gazetteer import fold_aligned_lower, province_mentions

    folded = fold_aligned_lower(question)  # same offsets as the question
    found = _HOW_MANY_OF.search(folded)
    if not found:
        return ()
    end = min((s for s, _, _ in province_mentions(question) if s >= found.start(1)), default=found.end(1))
    words = []
    for w in folded[found.start(1) : min(end, found.end(1))].split():
        if w in _FRAME_WORDS:
            break
        words.append(w)
    return tuple(words) if len(words) >= 2 else ()


# the words that frame a counted noun, not part of it ("bao nhiêu cổng thành phần ⟨của⟩ tỉnh")
_FRAME_WORDS = frozenset("cua o tai trong nam thang quy duoc da la co tren cho va tinh ve".split())
_PORTAL_OF_TINH = re.compile(r"(?i)(cổng\s+(?:dịch\s+vụ\s+công|dvc))\s+của\s+tỉnh(?!\w)")
_PORTAL_BEFORE = re.compile(r"(?i)cổng\s+(?:dịch\s+vụ\s+công|dvc)\s+(?:của\s+)?$")


def _portal_of_the_province(question: str) -> str:
    """The question with "Cổng DVC Trà Vinh" read as "Cổng DVC tỉnh Trà Vinh": a portal named by its
    province is the provincial one, not the national portal ("cổng dvc tỉnh" / "quốc gia" are opposites)."""
    from rag.text.gazetteer import province_mentions

    for start, _, _ in sorted(province_mentions(question), reverse=True):
        if _PORTAL_BEFORE.search(question[:start]):
            question = question[:start] + "tỉnh " + question[start:]
    return _PORTAL_OF_TINH.sub(r"\1 tỉnh", question)  # "Cổng dịch vụ công của tỉnh"


def _indicator_match(asked: tuple[str, ...], reported: tuple[str, ...]) -> float:
    """+1 when the figure reports an indicator the question names, -1 when both name one and they
    differ (by another name: "thuê bao Internet cáp quang" is a "thuê bao băng rộng cố định"), else 0."""
    if not asked or not reported:
        return 0.0
    if set(asked) & set(reported):
        return 1.0
    # a refinement of the asked indicator ("vị trí … chấp thuận" when "vị trí trạm BTS" is asked) may be
    # what the question meant in words the catalogue lacks; the general one when a part is asked is not
    if any(r.startswith(a + "_") for a in asked for r in reported):
        return 0.0
    return -1.0


def _printed_by_the_question(info: QuestionInfo, value: float, left: str, unit: str = "") -> bool:
    """The figure is one the question prints, after the same word ("cấp 2", "tổng đài 19001075") or with
    the same unit noun ("trong 33 nhiệm vụ")."""
    if not info.printed:
        return False
    words = re.findall(r"[^\W\d_]+|\S", fold(left[-40:]).lower())
    return (
        bool(words)
        and (value, words[-1]) in info.printed
        or (unit and (value, given_key(unit)) in info.printed)
    )


def _rankings_only(ids: tuple[str, ...]) -> tuple[str, ...]:
    """The asked indicators when every one of them is a ranking's place or score, else none."""
    rankings = graded(ids)
    return tuple(rankings) if rankings and len(rankings) == len(ids) else ()


def _a_count_where_a_ranking_is_asked(rankings: tuple[str, ...], q: Quantity) -> bool:
    """A figure of a counted noun ("6 chỉ số", "3 trụ cột") when only a ranking's place or score is asked
    (`rankings`, from `_rankings_only`): places and scores are printed bare or in their own units ("thứ
    12", "0,5120", "41/63")."""
    return (
        bool(rankings)
        and bool(q.unit)
        and quantity_class(q) == "count"
        and not any(fits_indicator(i, q) for i in rankings)
    )


# "mức độ 3, 4", and spelled out each time: "(mức độ 1, mức độ 2)"
_LEVELS = re.compile(r"\bmuc(?:\s+do)?\s+(\d(?:\s*(?:,|va|-|&)\s*(?:muc(?:\s+do)?\s+)?\d)*)(?!\s*[.,]?\d)")


def _levels(folded: str) -> set[str]:
    """The online-service levels a folded text names ("mức độ 1, 2" -> {"1", "2"})."""
    return {d for m in _LEVELS.finditer(folded) for d in re.findall(r"\d", m.group(1))}


def _of_another_level(asked: set[str], right: str, before: str = "", total: bool = False) -> bool:
    """The levels an online service figure is of ("⟨409⟩ DVCTT mức độ 3") against those asked (`asked`,
    from `_levels` of the question: "mức độ 1, 2"): a figure of other levels only is another figure.
    `before`: the statement up to the figure, whose last level is the figure's when none follows it; a
    level so read that is only some of those asked together ("mức độ 3 và 4") makes the figure a part.
    `total`: the question asks a total ("tổng số DVCTT"), which one level's figure is only a part of."""
    if not asked and not total:
        return False
    after = _levels(fold(right[:60]))
    # "DVC trực tuyến mức độ 3 đạt 722 dịch vụ với ⟨896 hồ sơ⟩": the level its statement names last
    said = list(_LEVELS.finditer(fold(before).lower()))
    own = after or (set(re.findall(r"\d", said[-1].group(1))) if said else set())
    if not own:
        return False
    if not asked:
        # "cung cấp ⟨1.858⟩ dịch vụ công: mức 3: 551 …" names the levels of its parts, not its own
        return len(own) == 1 and not (after and _levels_are_its_parts(right))
    return not own & asked or (own < asked and (total or not after))


def _levels_are_its_parts(right: str) -> bool:
    """Whether the levels after a figure open its breakdown ("⟨1.858⟩ dịch vụ công: mức 3: 551 …")."""
    at = right.find("mức")
    return at > 0 and bool(re.search(r"[:(;]", right[:at]))


def _of_another_ranking(
    rankings: tuple[str, ...], m: Mention, before: str, after: str = "", q_terms: frozenset[str] = frozenset()
) -> bool:
    """A place or score of a ranking other than those asked (`rankings`, from `_rankings_only`), named in
    the figure's own statement ("chỉ số CCHC xếp thứ 1/63" when the DTI is asked): one ranking's place
    answers nothing of another. A tag read from the sentence before is no evidence ("Nhóm chỉ số An toàn
    thông tin mạng tăng 28 bậc" after a sentence on the PAR Index is a DTI pillar). `before`: the statement
    up to the figure; `after`: the sentence after it, whose "về chỉ số …" names the ranking outright."""
    if not rankings:
        return False
    about = _ranking_about(after)
    if about:
        return not about & set(rankings)
    about_words = _about_words(after)
    if about_words is not None and q_terms:
        # "xếp thứ 4/63 tỉnh, thành phố về phát triển thương mại điện tử": a place in what the question
        # names none of the words of
        words = {t for t in tokenize(about_words) if "_" not in t}
        if words and not words & q_terms:
            return True
    own = graded(m.indicators)
    if not m.indicators and UNIT_CLASS.get(m.quantity.unit) == "rank":
        # "Tích hợp 1.305 dịch vụ công trực tuyến lên Cổng quốc gia, đứng thứ ⟨16⟩/63": a place in what
        # its statement counts, no ranking's
        named = [ids for *_, ids in names_in(before)]
        return bool(named) and not any(graded(ids) for ids in named)
    if not own or len(own) != len(m.indicators) or set(own) & set(rankings):
        return False
    # "Chỉ số … (PAPI) tăng 6 bậc …, đặc biệt là chỉ số … PCI năm 2023, tỉnh xếp thứ ⟨19⟩/63": the ranking
    # named last before the figure is the one it places the province in
    printed = [set(graded(ids)) for _, _, ids in names_in(before) if graded(ids)]
    if printed and printed[-1] & set(own) and not printed[-1] & set(rankings):
        return True
    named = set(named_in(before + " " + m.clause, dominated=True))
    return bool(named & set(own)) and not named & set(rankings)


# "xếp thứ 28 cả nước về chỉ số cải cách hành chính (PAR Index) và thứ 7 cả nước về chỉ số … (SIPAS)"
_ABOUT_AFTER = re.compile(
    r"(?i)\s*(?:/\s*\d+(?:\s+tỉnh,?\s*thành(?:\s+phố)?|[^,;.()]{0,25}?))?(?:(?:trong|trên)\s+)?"
    r"(?:cả\s+nước|toàn\s+quốc)?\s*,?\s*về\s"
)


def _about_words(after: str) -> str | None:
    """The words after "về" right after a place (`after`: the rest of its sentence), up to the next figure
    ("… (PAR Index) và thứ 7 …"); None when no "về …" follows it."""
    found = _ABOUT_AFTER.match(after)
    return re.split(r"\d", after[found.end() :], maxsplit=1)[0] if found else None


def _about(after: str) -> str:
    """What a place is said to be in by "về …" right after it ("xếp thứ 6/63 tỉnh, thành phố về hạ tầng
    số theo Bộ Chỉ số …"), up to the next figure or clause; "" when nothing is."""
    about = _about_words(after)
    return re.split(r"[,;(]", about, maxsplit=1)[0][:60] if about is not None else ""


def _ranking_about(after: str) -> set[str]:
    """The rankings a place is said to be in, by "về …" right after it: those named after that, up to the
    next figure; a long name and its abbreviation may name two ids."""
    about = _about_words(after)
    return {i for _, _, ids in names_in(about) for i in graded(ids)} if about is not None else set()


def _named_count_noun(unit: str, folded_q: str) -> bool:
    """Whether a figure's count noun of two words or more is said in the question (which asks no unit)."""
    if not unit or UNIT_CLASS.get(unit, "count") != "count" or len(unit.split()) < 2:
        return False
    # "phạt mỗi cá nhân": a noun after "mỗi" says per what, not what is counted
    return (
        re.search(rf"(?<!\w)(?<!moi )(?<!tung ){re.escape(fold(unit).lower())}(?!\w)", folded_q.lower())
        is not None
    )


def _act_leads(asked: tuple[str, ...], head: str) -> bool:
    """Whether a verb of an asked indicator's act is said in `head`, the sentence up to a figure."""
    hay = normalise_for_cues(head, False)
    return any(has_cue(hay, v, False) for i in asked for v in verbs_of(i) if len(v.split()) > 1)


def _refined_match(
    info: QuestionInfo, m: Mention, ms: list[Mention], head: str, right: str, passage: str
) -> float:
    """`_indicator_match`, held to the refinement asked: of "kinh tế số … DTI xếp thứ mấy" the figure
    whose own words name the pillar answers (its passage reporting the DTI), the province's overall
    place (or another pillar's) does not."""
    plain = _indicator_match(info.indicators, m.indicators)
    q = m.quantity
    fits = any(fits_indicator(i, q) for i in info.indicators)
    if info.indicators and UNIT_CLASS.get(q.unit) == "rank" and not fits:
        return -1.0  # a place is no answer to "Điểm chính quyền số (DTI)", which asks the score
    refined = refinement_match(info.refinements, info.indicators, head, right)
    if not info.refinements and not (
        UNIT_CLASS.get(q.unit) == "rank" or q.unit == "bậc" or (not q.unit and q.value != int(q.value))
    ):
        refined = 0  # an unasked pillar speaks only against a place, a change of places or a score
    if refined > 0 and fits and (plain > 0 or any(set(info.indicators) & set(n.indicators) for n in ms)):
        return 1.0
    if refined == -1 and any(i in ids for *_, ids in names_in(passage) for i in info.indicators):
        return -1.0  # "cấp chứng thư số … cho 493 tổ chức" is another part than the "cá nhân" asked
    if refined < 0 and plain > 0:
        return -1.0
    return plain


# A sentence's opening phrase up to its first comma, when it is short enough to be its time: "Năm 2022,",
# "Tính đến hết tháng 6/2024,", "Trong quý I năm 2023,"
_PERIOD_OPENING = re.compile(r"\s*[^,;:()\d]{0,30}\d[^,;:()]{0,20},")

# A question of the average over provinces ("trung bình cấp tỉnh, thành phố cả nước", "bình quân cả nước"),
# and the words that say a figure is one ("mức trung bình của các tỉnh là 17%")
_AVERAGE_ASKED = re.compile(
    r"\b(?:trung binh|binh quan)\s+(?:cua\s+)?(?:ca nuoc|toan quoc|cap tinh|cac tinh|tinh, thanh|cac dia phuong)"
)
_AVERAGE_SAID = re.compile(r"\b(?:trung binh|binh quan)\b")
# a mean per one asked ("bình quân mỗi vụ", "trung bình một điểm"), and what says a figure is a mean or a
# rate per one: "bình quân", "mỗi", "/người", "trên một"
_MEAN_ASKED = re.compile(r"\b(?:trung binh|binh quan)\s+(?:moi|mot|1)\b")
_MEAN_SAID = re.compile(r"\b(?:trung binh|binh quan|moi|tren mot)\b|/")


def _per_period(spell: Callable[[str], str]) -> re.Pattern[str]:
    """ "trung bình mỗi năm trang bị ⟨40⟩ đài", "bình quân 1 ngày gần ⟨100.000⟩ lượt": a rate per period,
    its words spelled by `spell` (a report is read with diacritics: folded, "mới tháng 5" would be "mỗi
    tháng"). "tháng 1 năm 2023" is a date: a "1" after a period word is its number, a year after "năm"
    dates it."""
    per, nouns = (spell(w) for w in ("mỗi|một", "năm|tháng|ngày|tuần|quý"))
    not_after = "".join(f"(?<!{spell(w)} )" for w in ("tháng", "quý", "ngày"))
    return re.compile(rf"(?i)(?<!\w)(?:{per}|{not_after}1)\s+(?:{nouns})(?!\w)(?!\s*\d)")


_PER_PERIOD = _per_period(str)
_PER_PERIOD_PLAIN = _per_period(fold)


def _own_phrase(text: str, off: int, statement: str) -> str:
    """The words that qualify the figure at `off` from before it: its parenthesis up to it ("(1 ngày nhận
    bình quân 4- 11 tin, …; … 3-5 tin)"), else its statement's last comma-separated part."""
    found = open_parenthesis(text, off, 200)
    return text[found[1] : off] if found else re.split(r"[,;:]", statement)[-1]


# "Đến 31/12/2022", "tới ngày 30/6/2024": a level on a day, as "tính đến" asks it
_AS_OF_DATE = re.compile(r"\b(?:den|toi)\s+(?:het\s+)?(?:ngay\s+)?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}")

# Questions of which year: "thành lập năm nào", "vận hành từ năm nào", "ra mắt vào năm nào" (folded)
_YEAR_ASKED = re.compile(r"\bnam nao\b")


def _year_mentions(hit: Hit) -> list[Mention]:
    """The years a passage names ("Trung tâm HueIOC được thành lập năm 2018"), as figures in "năm"."""
    from rag.text.periods import period_mentions

    text = hit.chunk.text
    return [
        _passage_figure(hit, start, end, float(period), "năm")
        for start, end, period in period_mentions(text)
        if re.fullmatch(r"(?:19|20)\d\d", period)
    ]


def _passage_figure(hit: Hit, start: int, end: int, value: float, unit: str) -> Mention:
    """A figure read from a passage at question time (a year, a label's number): the passage's text
    between `start` and `end`, with its clause."""
    text = hit.chunk.text
    span = span_at(text, start, "clause") or (start, end)
    return Mention(
        chunk_id=hit.chunk.chunk_id,
        doc_id=hit.chunk.doc_id,
        quantity=Quantity(value, unit, 1.0, text[start:end], start, end),
        clause=text[span[0] : span[1]],
        start=hit.chunk.start + start,
        end=hit.chunk.start + end,
        section=hit.chunk.section,
    )


# "mức độ mấy", "tiêu chí số mấy", "công văn số mấy": the number a thing is named by, which reports print
# after its noun ("dịch vụ công trực tuyến mức độ 3", "tiêu chí số 08", "Công văn số 1024/CATTT-NCSC")
_LABEL_ASKED = re.compile(
    r"\b(?:(muc do|cap do|muc)\s+may\b(?!\s*%)"
    r"|(tieu chi|cong van|quyet dinh|nghi quyet|ke hoach)(?:\s+[a-z]+){0,3}?\s+so\s+(?:may|bao nhieu)\b)"
)
# how the passage prints the noun: "mức độ 3" and "mức 3" alike
_LABEL_PRINTED = {"muc do": r"muc(?:\s+do)?", "muc": r"muc(?:\s+do)?", "cap do": r"cap(?:\s+do)?"}


def _label_mentions(hit: Hit, noun: str) -> list[Mention]:
    """The numbers a passage names things of this noun by ("mức độ ⟨3⟩", "tiêu chí số ⟨08⟩"), as figures."""
    from rag.text.gazetteer import fold_aligned_lower

    folded = fold_aligned_lower(hit.chunk.text)  # one char for one char: a match's span is the text's span
    printed = _LABEL_PRINTED.get(noun, noun)
    return [
        _passage_figure(hit, *m.span(1), float(int(m.group(1))), "")
        for m in re.finditer(rf"\b{printed}\s+(?:so\s+)?(\d{{1,5}})(?![\d.,]\d)", folded)
    ]


# Questions of when: "từ năm nào", "năm nào", "khi nào", "bao giờ", "thời điểm nào" (folded)
_WHEN_ASKED = re.compile(r"\b(?:nam|thang|ngay|thoi diem|thoi gian) nao\b|\bkhi nao\b|\bbao gio\b")

# A figure said of the whole country ("bình quân cả nước là 41,7%", "toàn quốc có …") or of a province
# named right before it ("(Cần Thơ 40%)"), in a report of one province.
_NATIONAL = re.compile(r"\b(?:ca nuoc|toan quoc)\b")
_PAREN_PLACE = re.compile(r"\s*\(\s*([^()\d]{2,40}?)\s*[:=]?\s*\d")
_NATIONAL_BEFORE = re.compile(r"\b(?:ca nuoc|toan quoc)\s*(?:la|dat|co|chi|khoang|:)?\s*$")


# The base a change is against: "tăng bao nhiêu % so với cùng kỳ năm trước?", "… 19% so với cuối năm 2021".
_BASE_ASKED = re.compile(r"(?i)so\s+v[ớo]i\s+([^,;?.()]{2,40})")
_BASE_AFTER = re.compile(
    r"(?i)^\)?[^;.\d()]{0,25}?so\s+v[ớo]i\s+([^,;.()]{2,40})"
)  # "(giảm ⟨2 bậc⟩) so với năm 2022"
_BASE_CUES = (
    "cung ky",
    "ke hoach",
    "chi tieu",
    "thang truoc",
    "nam truoc",
    "quy truoc",
    "dau nam",
    "cuoi nam",
)


def _other_base(asked: str, after: str, year: int | None, period: str = "") -> bool:
    """Whether the change printed right after a figure is against another base than the one asked: two
    periods that do not overlap, or two named bases ("cùng kỳ", "kế hoạch", "tháng trước") that differ.
    "cùng kỳ" is the report's own `period` a year before ("tăng 7,7% so với cùng kỳ tháng 6/2021 nhưng
    giảm 4% so với 12/2021" in June 2022's report). Unknown either way is no evidence."""
    from rag.text.periods import overlaps, parse_periods

    found = _BASE_AFTER.match(after)
    if found is None:
        return False
    printed = re.split(r"(?i)\s+(?:và|,)\s+|\s+(?:tăng|giảm)\s", found.group(1))[0]
    pa, pp = parse_periods(asked, default_year=year), parse_periods(printed, default_year=year)
    same_time = _year_before(period)
    if same_time:
        if not pa and "cung ky" in fold(asked).lower():
            pa = [same_time]
        if not pp and "cung ky" in fold(printed).lower():
            pp = [same_time]
    if pa and pp:
        return not any(overlaps(a, b) for a in pa for b in pp)
    ca = {c for c in _BASE_CUES if c in fold(asked).lower()}
    cp = {c for c in _BASE_CUES if c in fold(printed).lower()}
    return bool(ca and cp and not ca & cp)


def _other_direction(folded_q: str, lead: str) -> bool:
    """Whether places moved are asked one way ("tụt mấy hạng") and the figure's lead says the other
    ("tăng ⟨1 bậc⟩")."""
    asked = [p for p in (_PLACES_LOST, _PLACES_GAINED) if p.search(folded_q)]
    said = [p for p in (_PLACES_LOST, _PLACES_GAINED) if p.search(lead)]
    return len(asked) == 1 and len(said) == 1 and asked != said


def _range_end_asked(folded_q: str) -> str:
    """ "tối đa bao nhiêu mét" asks the upper end of a range, "ít nhất bao nhiêu loa" the lower (cues.toml)."""
    hay = normalise_for_cues(folded_q, True)
    if any(has_cue(hay, fold(c), True) for c in _RANGE_HIGH):
        return "high"
    if any(has_cue(hay, fold(c), True) for c in _RANGE_LOW):
        return "low"
    return ""


def _range_end(m: Mention, ms: list[Mention], hit: Hit) -> str:
    """Which end of a printed range the figure is ("từ ⟨1.400⟩ - 3.600m" low, "4- ⟨11⟩ tin, bài" high), or ""."""
    text, base = hit.chunk.text, hit.chunk.start
    for n in ms:
        lo, hi = (m, n) if n.start >= m.end else (n, m)
        if lo.end > hi.start or hi.start - lo.end > 8 or lo.quantity.value >= hi.quantity.value:
            continue
        if lo.quantity.unit and hi.quantity.unit and lo.quantity.unit != hi.quantity.unit:
            continue
        if _RANGE_JOIN.fullmatch(text[lo.end - base : hi.start - base]):
            return "low" if lo is m else "high"
    return ""


def _year_before(period: str) -> str:
    """ "2022-06" -> "2021-06": the "cùng kỳ" of a report's period."""
    return f"{int(period[:4]) - 1}{period[4:]}" if period[:4].isdigit() else ""


_NOT_DONE = re.compile(r"^[^.;,\d]{0,25}?\b(?:chua|khong)\s+(?:duoc\s+)?(\w+\s+\w+)")
_NEGATION = re.compile(r"\b(?:chua|khong|con lai)\b")


_NOT_YET_ASKED = re.compile(r"\b(?:chua|khong)\s+(?:duoc\s+|co\s+)?([a-z]+(?:\s+[a-z]+)?)")


def _done_where_not_done_asked(folded_q: str, hit: Hit, m: Mention) -> bool:
    """Whether the question asks about what has not been done ("chưa được trang bị cáp dưỡng") and the
    figure's sentence speaks of that act with no negation: of what has been done ("đã được đầu tư, trang
    bị cáp dưỡng … đạt 62%")."""
    asked = _NOT_YET_ASKED.search(folded_q.lower())
    if asked is None:
        return False
    text, off = hit.chunk.text, m.start - hit.chunk.start
    span = span_at(text, off, "sentence")
    sentence = (
        " "
        + " ".join(re.findall(r"[a-z0-9]+", fold(text[span[0] : span[1]] if span else m.clause).lower()))
        + " "
    )
    return f" {asked.group(1)} " in sentence and not re.search(r" (?:chua|khong) ", sentence)


def _not_done(after: str, folded_q: str, head: str = "") -> bool:
    """Whether the words right after a figure say it is what has not been done ("… còn lại chưa chuyển
    đổi") of an act the question asks as done; or its statement up to it (`head`) says what still remains
    ("còn … 124 vùng lõm sóng") where the question asks what was dealt with ("đã khắc phục được bao nhiêu")."""
    found = _NOT_DONE.search(fold(after).lower())
    q = folded_q.lower()
    before = fold(head).lower()
    if _REMAINING_BEFORE.search(before) and _DEALT_WITH.search(q) and not _NEGATION.search(q):
        return not _DEALT_WITH.search(before.rsplit(" con ", 1)[-1])
    # "(5.745 thuê bao) còn lại chưa chuyển đổi" says it is the rest, whatever verb the question uses
    # for the act ("đã đổi sang 4G")
    rest = bool(found) and bool(_REST.search(fold(after).lower()[: found.end()]))
    return bool(found) and (found.group(1) in q or rest) and not _NEGATION.search(q)


_REST = re.compile(r"\bcon\s+lai\b")


# "còn" leading the figure's statement: "Hiện nay … còn 10 thôn …, chưa có sóng di động và ⟨124 vùng lõm⟩"
_REMAINING_BEFORE = re.compile(r"(?<![a-z])con(?:\s+lai)?\s(?![^,;]*\b(?:da|duoc)\b)")
_DEALT_WITH = re.compile(r"\b(?:khac phuc|xu ly|giai quyet|hoan thanh|xoa)\b")


def _of_another_place(left: str, after: str, info: QuestionInfo, national_asked: bool) -> bool:
    """Whether the words right before a figure give it to the country or to a province not asked, or a
    parenthesis right after it gives the asked province its own figure ("là 12,6% (Cần Thơ 18%)")."""
    from rag.text.gazetteer import province_mentions

    tail = left[-40:]
    if not national_asked and _NATIONAL_BEFORE.search(fold(tail).lower()):
        return True
    paren = _PAREN_PLACE.match(after)
    if paren and info.filters.provinces:
        inside = province_mentions(paren.group(1))
        if inside and inside[0][0] == 0 and inside[0][2] in info.filters.provinces:
            return True
    named = province_mentions(tail)
    if not named:
        return False
    _, end, name = named[-1]
    if tail[end:].strip(" :("):
        return False  # a province named earlier in the clause is its subject, not the figure's label
    return national_asked or bool(info.filters.provinces) and name not in info.filters.provinces


_ENTERPRISES = "|".join(re.escape(fold(e).lower()) for e in load_lexicon().cues["enterprises"])
_ENTERPRISE = re.compile(
    r"^\s*\(?\s*(?:(?:chi nhanh|cong ty|tap doan|tong cong ty|trung tam kinh doanh|nha mang|rieng)\s+)?"
    rf"(?:{_ENTERPRISES})\b"
)
_ANY_ENTERPRISE = re.compile(rf"\b(?:{_ENTERPRISES})\b")
# A clause opening with these speaks of the province or the Sở, not of the enterprise named before.
_OWN_SUBJECT = re.compile(r"^\s*(?:toan tinh|tren dia ban|so\b|ubnd|tinh\b|ca tinh)")
# A sentence opening with these has no subject of its own: it goes on about the one before's.
_GOES_ON = re.compile(r"^\s*(?:don vi|doanh nghiep|cong ty|nha mang|ngoai ra|dong thoi|ben canh do)\b")


def _of_one_enterprise(m: Mention, hit: Hit, folded_q: str) -> bool:
    """Whether the figure's clause has an enterprise as its subject ("Viettel Hải Dương đã phát triển thêm
    50 trạm BTS, nâng tổng số trạm … lên hơn 800 trạm"; "Đơn vị duy trì hơn 1,2 triệu thuê bao" after it)
    while the question names none: that enterprise's figure, not the province's."""
    if _ANY_ENTERPRISE.search(folded_q.lower()):
        return False
    text, off = hit.chunk.text, m.start - hit.chunk.start
    head = fold(text[start_before(text, off, "statement") : off]).lower()
    if _GOES_ON.match(head):
        prev = span_before(text, start_before(text, off, "statement"), "sentence")
        if prev is not None:
            head = fold(text[prev[0] : prev[1]]).lower() + "; " + head
    # "(VNPT: 364 trạm, Viettel: 569 trạm), nâng tổng số trạm 5G lên 1.197 trạm": a closed breakdown is no
    # subject of what follows it
    clauses = re.split(r"[,;:]", re.sub(r"\([^()]*\)", " ", head))
    for i, clause in enumerate(clauses):
        if _ENTERPRISE.match(clause):
            return not any(_OWN_SUBJECT.match(c) for c in clauses[i + 1 :])
    return False


def _of_another_enterprise(m: Mention, hit: Hit, folded_q: str) -> bool:
    """Whether the question asks an enterprise's figure and the figure's sentence (or the one its sentence
    goes on from) names none of the enterprises asked."""
    asked = {_one_spelling(e.group()) for e in _ANY_ENTERPRISE.finditer(folded_q.lower())}
    if not asked:
        return False
    text, off = hit.chunk.text, m.start - hit.chunk.start
    start = start_before(text, off, "sentence")
    end = (span_at(text, off, "sentence") or (start, off + 1))[1]
    said = fold(text[start:end]).lower()
    if _GOES_ON.match(said):
        prev = span_before(text, start, "sentence")
        if prev is not None:
            said = fold(text[prev[0] : prev[1]]).lower() + " " + said
    return not asked & {_one_spelling(e.group()) for e in _ANY_ENTERPRISE.finditer(said)}


def _one_spelling(enterprise: str) -> str:
    """ "vietel" is "viettel"; "EVN Telecom" ("telecom" may be read as "viễn thông") is "EVN"."""
    return {"vietel": "viettel", "evntelecom": "evn", "evn telecom": "evn"}.get(enterprise, enterprise)


# A level of government a question asks ("cấp huyện, xã", "cap xa") and the words a sentence of that level
# holds. "xã hội" is no commune; "đài truyền thanh cơ sở" are the communes' radios.
_LEVEL_ASKED = {
    "huyện": re.compile(r"\bcap\s+huyen\b|\bhuyen\s*,\s*xa\b"),
    "xã": re.compile(r"\bcap\s+(?:huyen\s*,\s*)?xa\b"),
}
_LEVEL_SAID = {
    "huyện": re.compile(r"(?i)huyện"),
    "xã": re.compile(r"(?i)\bxã\b(?!\s+hội)|phường|(?:truyền thanh|cấp)\s+cơ sở"),
}


def _of_no_asked_level(m: Mention, hit: Hit, folded_q: str) -> bool:
    """Whether the question asks a district or commune level and the figure's sentence names none of the
    levels asked: "Cấp huyện, xã … đã giải quyết bao nhiêu hồ sơ" is not answered by the province's total."""
    asked = [lvl for lvl, pat in _LEVEL_ASKED.items() if pat.search(folded_q.lower())]
    if not asked:
        return False
    text, off = hit.chunk.text, m.start - hit.chunk.start
    sentence = span_at(text, off, "sentence") or (off, m.end - hit.chunk.start)
    said = text[sentence[0] : sentence[1]]
    return not any(_LEVEL_SAID[lvl].search(said) for lvl in asked)


def _another_provinces_sentence(m: Mention, hit: Hit, info: QuestionInfo) -> bool:
    """Whether the figure's sentence, or the parenthesis it stands in, names provinces up to it and none
    of those asked: "Ở vị trí thứ 2 là TP.Hồ Chí Minh; trong đó, cả 3 trụ cột … đều xếp vị trí thứ 2/63" in
    Quảng Ngãi's news."""
    from rag.text.gazetteer import files_under, province_mentions

    if not info.filters.provinces:
        return False
    text, off = hit.chunk.text, m.start - hit.chunk.start
    sentence = span_at(text, off, "sentence")
    starts = [sentence[0] if sentence else 0]
    # … or the parenthesis it stands in: "Hải Phòng hiện đứng thứ 2 sau Đà Nẵng (tốc độ BRDĐ của Đà Nẵng hiện
    # đạt 42,69 Mbps)"
    found = open_parenthesis(text, off, 200)
    if found is not None:
        starts.append(found[1])
    spans = [text[start:off] for start in starts]
    # … or says whose the place is after it: "Vị trí thứ ⟨3⟩ trong bảng xếp hạng thuộc về TP.Huế."
    owner = _PLACE_OWNER.match(text, m.end - hit.chunk.start)
    if owner is not None:
        spans.append(re.split(r"\.\s|[;\n]", text[owner.end() : owner.end() + 40], maxsplit=1)[0])
    for span in spans:
        named = {name for _, _, name in province_mentions(span)}
        # "Thừa Thiên Huế" in the text is the "Huế" asked: one territory under its old and new names
        if named and not any(
            files_under(a, n) or files_under(n, a) for a in info.filters.provinces for n in named
        ):
            return True
    return False


_PLACE_OWNER = re.compile(r"(?i)[^.;\n]{0,60}?(?<!\w)(?:thuộc về|dành cho|là của)\s+")


_SHARE_PAIRS = frozenset({"ty_le", "ti_le", "ty_trong", "ti_trong", "phan_tram"})


def candidate_features(
    info: QuestionInfo, hits: list[Hit], mentions: MentionsByChunk, idf: dict[str, float]
) -> list[tuple[Mention, Hit, dict[str, float], str]]:
    from rag.text.periods import newest_period, overlaps, parse_periods

    uni, bi = _split_weights(idf, info.terms)
    # A pair of words no report holds ("GL BTS", a province typed as its initials beside the indicator)
    # is no evidence either way: a telegraphic question is read by its words, as a one-word one is.
    bi = {t: w for t, w in bi.items() if w > 0}
    if info.expected_unit == "%":
        # "tỷ lệ" asked a percentage, which the unit already holds the figure to: as a pair of words it
        # would count any sentence with a share in it as naming what is asked ("tỷ lệ trạm 2G/3G/4G" was
        # answered by "nâng tỷ lệ phủ sóng 5G lên 50%")
        bi = {t: w for t, w in bi.items() if t not in _SHARE_PAIRS}
    folded_q = fold(info.text)
    opposed_q = _one_portal_spelling(fold(_portal_of_the_province(info.text)))
    span_asked = next(iter(_spans(info.text)), None)
    counted = _counted_noun(info.text) if not info.expected_unit else ()
    year_asked = bool(_YEAR_ASKED.search(folded_q.lower()))
    label_asked = _LABEL_ASKED.search(folded_q.lower())
    if _WHEN_ASKED.search(folded_q.lower()) and not year_asked:
        return []  # "thành lập khi nào", "ngày nào": a date, which no counted figure answers
    asked = set(info.families)
    q_terms = set(info.terms)
    tot_u, tot_b = sum(uni.values()) or 1.0, sum(bi.values()) or 1.0
    top_score = hits[0].score if hits else 1.0
    latest = "" if info.filters.periods else newest_period(h.chunk.period for h in hits)
    whole_period = bool(_WHOLE_PERIOD.search(folded_q.lower()))
    national_asked = bool(_NATIONAL.search(folded_q.lower()))
    average_asked = bool(_AVERAGE_ASKED.search(folded_q.lower()))
    mean_asked = bool(_MEAN_ASKED.search(folded_q.lower()))
    both_asked = _joined_opposites(opposed_q)
    acts_q = without_named_acts(folded_q)
    gap_asked = not info.operation and bool(_GAP_ASKED.search(folded_q.lower()))
    field = _FIELD_SIZE.search(folded_q.lower())
    field_size = float(field.group(1)) if field else None
    wholes = [i for i in info.indicators if parts_of(i)]
    parts_of_wholes = {p for i in wholes for p in parts_of(i)} - set(info.indicators)
    per_period_asked = bool(
        (_PER_PERIOD if has_diacritics(info.text) else _PER_PERIOD_PLAIN).search(info.text)
        or _AVERAGE_SAID.search(folded_q.lower())
    )
    asked_levels = _levels(folded_q)
    rankings = _rankings_only(info.indicators)
    found_base = _BASE_ASKED.search(info.text)
    asked_base = found_base.group(1) if found_base else None
    total_money = "total" in asked and UNIT_CLASS.get(info.expected_unit) == "money"
    # "tính đến 31/3/2014" asks a level at the end of March, which the first quarter's report gives
    end_asked = _range_end_asked(folded_q)
    as_of_asked = any(has_cue(folded_q, fold(c), True) for c in _AS_OF) or bool(
        _AS_OF_DATE.search(folded_q.lower())
    )
    out = []
    for hit in hits:
        # "thành lập năm nào": the years the passage names are the candidates, no counted figure
        ms = (
            _year_mentions(hit)
            if year_asked
            else _label_mentions(hit, label_asked.group(1) or label_asked.group(2))
            if label_asked
            else sorted(mentions.get(hit.chunk.chunk_id, []), key=lambda m: m.start)
        )
        context_toks = set(tokenize(" ".join(hit.chunk.section)))
        year = int(hit.chunk.period[:4]) if hit.chunk.period[:4].isdigit() else None
        for m in ms:
            if m.flagged:
                continue  # a sentence that instructs an AI ("bỏ qua mọi hướng dẫn …") answers nothing
            role = _fraction_role(m, hit)
            # "tổng số dịch vụ công trực tuyến … là ⟨1.542⟩/1.823": the total the statement names is what
            # the numerator counts, and neither part is the total or a part as a question's "tổng số" means
            total_of_fraction = bool(role) and bool(
                _TOTAL_NAMED_BEFORE.search(
                    hit.chunk.text[max(0, m.start - hit.chunk.start - 90) : m.start - hit.chunk.start]
                )
            )
            partner = _fraction_partner(m, ms, role)
            # "161/788 trạm 2G": the parts of a fraction share the words around it.
            # "phát triển mới 9 tháng năm 2022 ước đạt ⟨41.683⟩": a length of time is when, not a figure
            # whose words end where it starts.
            others = [
                n for n in ms if n is not m and n is not partner and UNIT_CLASS.get(n.quantity.unit) != "time"
            ]
            left, right = _local_context(m, hit, others)
            if info.expected_unit in UNIT_CLASS and not m.quantity.unit:
                m = _inherit_unit(m, hit, ms, info.expected_unit)
            unit_fit = units_fit(info.expected_unit, m.quantity.unit, left + " " + m.clause)
            if unit_fit is None:
                continue
            if not info.expected_unit and _named_count_noun(m.quantity.unit, folded_q):
                unit_fit = 0.1  # "Cảnh báo mức cao SOC T2/2021?": "⟨1.186 cảnh báo⟩ cao", not "⟨20 máy⟩"
            # "cấp tỉnh tiếp nhận 568 hồ sơ; đồng bộ hồ sơ trên Cổng quốc gia ⟨434⟩/568": a part of the whole
            # printed before, counted in its unit and of its qualifiers ("cấp tỉnh")
            whole = _repeated_whole(m, hit, ms) if info.expected_unit and not m.quantity.unit else None
            whole_words: set[str] = set()
            if whole is not None:
                as_whole = units_fit(info.expected_unit, whole.quantity.unit)
                if as_whole is not None and as_whole > unit_fit:
                    unit_fit = as_whole
                    whole_words = set(
                        tokenize(_local_context(whole, hit, others)[0] + " " + whole.quantity.raw)
                    )
            if (
                not m.quantity.unit
                and unit_fit < 0
                and info.modifiers
                and info.expected_unit not in UNIT_CLASS
                and _counts_what_is_asked(info.modifiers, right)
            ):
                unit_fit = (
                    0.1  # "Đã ban hành ⟨48⟩ tổng hợp tin tuần" counts the "bản tổng hợp tin tuần" asked
                )
            if counted and not m.quantity.unit:
                # "bao nhiêu cổng thành phần": "⟨51⟩ cổng thành phần" counts it, "⟨1⟩ cổng chính" another kind
                after_words = [t for t in tokenize(right) if "_" not in t][: len(counted)]
                if tuple(after_words) == counted:
                    unit_fit = max(unit_fit, 0.1)
            head = _sentence_head(m, hit)
            # "đồng bộ hồ sơ trên Cổng quốc gia 434/⟨568⟩": when the act asked leads a fraction, its count is
            # the numerator and the denominator what it is out of, whether or not "tổng" is asked
            act_leads = bool(role) and _act_leads(info.indicators, head)
            statement = head.rsplit(";", 1)[-1]  # the figure's own statement, up to it
            if (
                _opposed(opposed_q, fold(m.clause))
                or _opposed(opposed_q, fold(left + " " + m.quantity.raw + " " + right))
                or _opposed_by_heading(opposed_q, hit.chunk.section, head + " " + m.clause + " " + right)
            ):
                continue
            if both_asked and _one_of_both(
                both_asked,
                fold(
                    m.quantity.raw
                    + " "
                    + _OWN_WORDS_AFTER.split(hit.chunk.text[m.end - hit.chunk.start :][:80], maxsplit=1)[0]
                ),
            ):
                continue  # "Tổng số DVCTT (toàn trình và một phần)": "⟨745⟩ … một phần" is one of the two
            if _done_where_not_done_asked(folded_q, hit, m):
                continue  # "tuyến cáp chưa được trang bị cáp dưỡng …?": not the sentence of those "đã được … trang bị"
            # "Sở tiếp nhận 01 đơn … và ⟨01 đơn⟩ …": a figure with no verb of its own has its statement's
            own_acts = fold(left) if _names_a_verb(without_named_acts(fold(left))) else fold(statement)
            if UNIT_CLASS.get(m.quantity.unit) != "money" and _opposed(
                acts_q, without_named_acts(own_acts), _OPPOSITE_VERBS
            ):
                # "Đã tiếp nhận ⟨8 đơn⟩" is no answer to "bao nhiêu đơn được giải quyết" (an amount is the
                # sanction's whatever steps its sentence tells: "kiểm tra …, đề xuất … xử phạt … ⟨100 triệu⟩")
                continue
            after = hit.chunk.text[m.end - hit.chunk.start : m.end - hit.chunk.start + 50]
            if average_asked and not _AVERAGE_SAID.search(
                fold(left[-60:] + " " + re.split(r"[\d(;]", after[:40])[0]).lower()
            ):
                continue  # "trung bình cấp tỉnh cả nước … bao nhiêu %": not the province's own figure
            if (
                mean_asked
                and not average_asked
                and not _MEAN_SAID.search(fold(statement + " " + m.quantity.raw + " " + right[:40]).lower())
            ):
                continue  # "bình quân mỗi vụ bị phạt bao nhiêu": not "37 vụ với tổng số tiền ⟨500 triệu⟩"
            if not per_period_asked and _PER_PERIOD.search(
                _own_phrase(hit.chunk.text, m.start - hit.chunk.start, statement)
            ):
                continue  # "trung bình mỗi năm trang bị ⟨40⟩ đài" answers no total nor level
            if _of_another_place(left, after, info, national_asked) or _another_provinces_sentence(
                m, hit, info
            ):
                continue  # "bình quân cả nước là ⟨41,7%⟩ (Cần Thơ 40%)": not the asked province's figure
            if _of_no_asked_level(m, hit, folded_q):
                continue  # "cấp huyện, xã … giải quyết bao nhiêu" of a sentence that names no district
            if _of_another_enterprise(m, hit, folded_q):
                continue  # "EVN Telecom có bao nhiêu trạm": not the province's "193 trạm (… Vietel là 67 …)"
            if _of_one_enterprise(m, hit, folded_q):
                continue  # "Viettel Hải Dương … nâng tổng số trạm … lên hơn ⟨800 trạm⟩" is not the province's
            if (
                _FROM_VALUE.search(left)
                and _TO_VALUE.match(right)
                and not _EARLIER_ASKED.search(folded_q.lower())
            ):
                continue  # "từ ⟨230 nghìn đồng/tháng⟩ xuống còn 100 nghìn": the value before the change
            if end_asked and _range_end(m, ms, hit) not in ("", end_asked):
                continue  # "tối đa bao nhiêu mét" of "từ 1.400 - 3.600m": not the lower end
            if (
                _PASSED_MARK.search(left)
                and "moc" not in folded_q.lower()
                and "nguong" not in folded_q.lower()
            ):
                continue  # "lần đầu vượt mốc ⟨40 Mbps⟩": a mark passed, not the figure (40,93 Mbps)
            if gap_asked and not _GAP_LEAD.search(fold(left[-30:]).lower()):
                continue  # "thấp hơn trung bình cả nước bao nhiêu Mbps": not the average "⟨73,5 Mbps⟩" itself
            if _UNREACHED_MARK.search(left) and not re.search(
                r"\b(?:chua|khong) (?:dat|vuot|toi)\b", folded_q.lower()
            ):
                continue
            if m.quantity.unit == "bậc" and _other_direction(folded_q.lower(), fold(left[-12:]).lower()):
                continue
            if _printed_by_the_question(info, m.quantity.value, left, m.quantity.unit):
                continue  # "tổng đài ⟨19001075⟩ tiếp nhận bao nhiêu cuộc gọi": the question's own figure
            if _of_another_level(
                asked_levels, right, statement, "total" in asked and info.expected_unit != "%"
            ):
                continue  # "⟨409⟩ DVCTT mức độ 3" is no answer to "DVCTT mức độ 1, 2"
            if (
                field_size is not None
                and partner is not None
                and role == "numerator"
                and UNIT_CLASS.get(m.quantity.unit) == "rank"
                and partner.quantity.value != field_size
            ):
                continue  # "trong 13 tỉnh ĐBSCL xếp thứ mấy": not "xếp vị trí thứ ⟨51⟩/63 tỉnh, thành cả nước"
            # the rest of the figure's sentence: "về …" there says what a place is in
            rest = re.split(r"[.;\n]\s", hit.chunk.text[m.end - hit.chunk.start :], maxsplit=1)[0]
            if _a_count_where_a_ranking_is_asked(rankings, m.quantity) or _of_another_ranking(
                rankings, m, statement, rest, frozenset(q_terms)
            ):
                continue  # "gồm ⟨6 chỉ số⟩ chính", "(ICT Index) xếp thứ ⟨5⟩": no place nor score of the DTI
            if wholes and m.indicators and set(m.indicators) <= parts_of_wholes:
                continue  # "doanh thu BCVT": the postal revenue alone is a part of the two sectors' sum
            if info.joined and not all(
                set(side) <= set(tokenize(statement + " " + m.quantity.raw + " " + right))
                for side in info.joined
            ):
                continue  # "bưu chính và viễn thông cộng lại": the postal figure alone is no sum of both
            if (
                total_money
                and _ONE_CASE.search(head[-200:] + " " + right[:80])
                and not re.search(r"(?i)(?<!\w)tổng(?!\w)", left[-40:])
            ):
                continue  # "Tổng số tiền xử phạt …?": not the fine of "01 đơn vị", "đối với Báo …"
            if _not_done(after, folded_q, head):
                continue  # "(⟨5.745 thuê bao⟩) còn lại chưa chuyển đổi" is no answer to "đã chuyển đổi"
            local_list = tokenize(left + " " + m.quantity.raw + " " + right)
            local = set(local_list) | whole_words
            clause = set(tokenize(m.clause))
            off = m.start - hit.chunk.start
            clause |= _enclosing_subject(hit.chunk.text, off) | _object_of_the_step_before(m, hit, left)
            clause |= _subject_of_the_sentence_before(hit.chunk.text, off) | whole_words
            # "Giải quyết 01 đơn … về hành vi mua, bán vật phẩm ảo …; … mỗi cá nhân là ⟨2,5 triệu đồng⟩": the
            # case a statement's figure is of is named in the sentence before its ";"
            sent = clause | local | context_toks | set(tokenize(head))
            if "total" in asked:
                # "tổng cộng bao nhiêu thuê bao (gồm cố định, trả trước và trả sau)": a total is also
                # named by the parts its breakdown lists
                sent |= set(tokenize(_breakdown_after(hit.chunk.text, m.end - hit.chunk.start)))
            nearby = set(tokenize(hit.chunk.text[max(0, off - 300) : off])) | sent
            # Qualifiers of this figure: in its own clause segment, not in the unit noun ("0/01 chỉ tiêu"
            # is a count of targets, not a target) nor in a fraction partner.
            own_right = right.replace(partner.quantity.raw, " ") if partner else right
            unit_raw = _split_raw(m.quantity.raw)[1]
            if partner and not unit_raw.strip():
                unit_raw = _split_raw(partner.quantity.raw)[1]
            if unit_raw.strip():
                own_right = own_right.replace(unit_raw.strip(), " ", 1)
            # "lũy kế đến hết tháng 5 ước đạt: ⟨30.243⟩": a colon right before the number ends its label.
            label = [seg for seg in re.split(r"[,;:]", left) if seg.strip()][-1:] or [""]
            here = families_in(label[0][-70:] + " " + own_right)
            # "vượt 14,8% so với kế hoạch": an excess over the plan, no share of it
            exceeds = _EXCESS_BEFORE.search(left)
            share_of_plan = SHARE_OF_PLAN.match(own_right) if m.quantity.unit == "%" and not exceeds else None
            if share_of_plan:
                # "đạt 16% so với Kế hoạch": achieved, as a share of the plan. The phrase makes the figure
                # no change, and a plan only for a question that asks about the plan ("% kế hoạch").
                by_phrase = here - families_in(label[0][-70:] + " " + own_right[share_of_plan.end() :])
                here -= by_phrase - (asked & {"plan"})
            if _PLAN_IN_PARENS.search(hit.chunk.text[max(0, off - 40) : off]):
                here = {"plan"}  # "vượt 82 máy so với kế hoạch (⟨600 máy⟩)": the plan itself
            if _PART_OPENING.match(m.clause) or _PART_OPENING.match(head):
                # "Trong đó, thuê bao cố định …: 11.260", "Trong đó, sản lượng … , doanh thu ước đạt 130
                # triệu đồng": every number of a sentence that opens so is a part
                here.add("part")
            if _BREAKDOWN_FOLLOWS.match(hit.chunk.text, m.end - hit.chunk.start):
                here.add("total")
            if _in_a_breakdown(hit.chunk.text, off, m.quantity.unit):
                here.add("part")
            if _PLAN_OPENING.match(head) and not _ACHIEVED.search(head):
                here.add("plan")
            if "part" in here:
                # "xây dựng mới 29 trạm BTS, trong đó có 11 trạm 5G": a part is of its whole's kind.
                whole = re.split(r"(?i)trong\s+(?:số\s+)?đó", head)[0]
                here |= families_in(whole) & {"new", "cumulative", "plan", "stock"}
            if not here:
                # "Toàn tỉnh hiện có 3.430 trạm BTS (…) lắp đặt trên 2.255 vị trí": a figure that says
                # nothing of itself is counted as the sentence's opening counts.
                at = m.start - len(head)
                opening = min((n.start - at for n in ms if at <= n.start < m.start), default=len(head))
                here |= families_in(head[:opening]) & {"total", "stock"}
            if "new" not in here and _takes_stock(head):
                here.add("stock")
            if (
                "cumulative" in here
                and "cumulative" not in asked
                and not runs_a_total(head + " " + own_right)
            ):
                # "ước tính đến 31/12/2020 … (trong đó … cố định: 38.961)" dates a level, as "tính đến"
                # does in a question (`understand`): a stock as of then, not a running total the question
                # did not ask. The sentence up to the figure is read: "Lũy kế doanh thu đến hết tháng 10".
                here.discard("cumulative")
                if "new" not in here:
                    here.add("stock")
            running = "cumulative" in asked and "cumulative" in families_in(head)
            changed = bool(_CHANGE_LEAD.search(left))
            fam = _qualifier_score(
                asked,
                here,
                m.quantity.unit,
                "" if total_of_fraction or (act_leads and "total" in asked) else role,
                running,
                changed,
            )
            period_pen = 0.0
            if info.filters.periods:
                doc_covers = any(
                    hit.chunk.period and overlaps(p, hit.chunk.period) for p in info.filters.periods
                )
                # read from the text, not from `left`, which starts where the number before it ends ("9
                # tháng năm ⟨2023⟩, Viettel … phát triển thêm ⟨50⟩")
                before = _NOW_MARK.split(_words_before(hit.chunk.text[max(0, off - 100) : off], 60))[-1]
                said = _said_periods(
                    _CARRIED_OVER.sub(" ", _closed_groups_out(before)) + " " + right[:40], year
                )
                base = _BASE_OPENING.match(head.rsplit(";", 1)[-1])
                if base:  # "cùng kỳ năm trước": the year before the report's
                    said += parse_periods(base.group(), default_year=year) or (
                        [str(year - 1)] if year else []
                    )
                at = m.clause.find(m.quantity.raw)
                # "Nếu như năm 2006 … có 77 trạm, đến nay đã tăng lên ⟨193 trạm⟩": now, not 2006
                own_pre = _NOW_MARK.split(_closed_groups_out(m.clause[:at]))[-1] if at > 0 else ""
                own_clause = own_pre + m.clause[at:] if at > 0 else m.clause
                said_around = _said_periods(" ".join(hit.chunk.section) + " " + own_clause, year)
                # "Năm 2022, TP có … 9,2 triệu dân (…), … có ⟨67.792 người⟩ …": the year opening the
                # sentence dates its every figure, however far along
                opening = _PERIOD_OPENING.match(
                    hit.chunk.text, start_before(hit.chunk.text, off, "sentence"), off
                )
                if opening and not _NOW_MARK.search(hit.chunk.text[opening.end() : off]):
                    said_around += _said_periods(opening.group(), year)
                glossed = _BASE_GLOSS.search(before) if UNIT_CLASS.get(m.quantity.unit) == "rank" else None
                if glossed:
                    # "tăng 3 hạng so với năm 2021 (xếp hạng ⟨23⟩)": the base's own place, of its period (a
                    # place only: "tăng 15% so với năm 2022 (đạt ⟨1.200 tỷ đồng⟩)" may well be now's)
                    said = parse_periods(glossed.group(1), default_year=year)
                    said_around = []
                said_here = any(p in said or p in said_around for p in info.filters.periods)
                if not doc_covers and not said_here and not said and not _said_periods(own_clause, year):
                    # "… (DTI) năm 2022, tỉnh xếp hạng 20 …. Trong đó, … Chính quyền số (xếp thứ ⟨14⟩, tăng 05
                    # bậc so với năm 2021)": a figure that names no period of its own is of the last one
                    # its paragraph named before it (a base of comparison is none)
                    said_here = _last_period_before(hit.chunk.text, off, year) in info.filters.periods
                if not doc_covers and not said_here:
                    continue  # a figure of another period is never the answer
                if (
                    hit.chunk.period
                    and (hit.chunk.kind in ("monthly", "quarterly") or whole_period)
                    and not said_here
                    and all(_longer(p, hit.chunk.period) for p in info.filters.periods)
                ):
                    # A year asked of the October report: its figures cover less. A half-year report
                    # or a news item "as of" a month is the latest word on the year, unless the
                    # question insists ("cả năm").
                    continue
                if (
                    hit.chunk.period
                    and not said_here
                    and all(_shorter(p, hit.chunk.period) for p in info.filters.periods)
                    and not (
                        as_of_asked and all(_ends_with(hit.chunk.period, p) for p in info.filters.periods)
                    )
                ):
                    # October asked of the fourth-quarter report: its figures are the quarter's, unless
                    # the passage leading to the figure names the month.
                    leading = _said_periods(hit.chunk.text[max(0, off - 400) : off], year)
                    if not any(p in leading for p in info.filters.periods):
                        continue
                said += _spanned_years(_closed_groups_out(before) + " " + right[:40])
                if said and not any(overlaps(p, s) for p in info.filters.periods for s in said):
                    period_pen -= 0.25
                elif (
                    said
                    and not said_here
                    and all(
                        len(p) > 4 and _longer(p, s) and not _ends_with(p, s)
                        for p in info.filters.periods
                        for s in said
                    )
                ):
                    # "quý I/2024" asked: "doanh thu ⟨02 tháng đầu năm 2024⟩ tăng 12%" covers less of it (a
                    # year asked may be answered by the latest word on it: see above)
                    period_pen -= 0.25
                section = " ".join(hit.chunk.section)
                said_section = _said_periods(section, year) + _spanned_years(section)
                if (
                    said_section
                    and not any(overlaps(p, s) for p in info.filters.periods for s in said_section)
                    and not any(p in _said_periods(m.clause, year) for p in info.filters.periods)
                ):
                    # "IV. NHIỆM VỤ TRỌNG TÂM NĂM 2025" in the 2024 report; but under "THÁNG 6/2023" a
                    # sentence of "DTI năm 2022" speaks of the year it names
                    period_pen -= 0.25
            elif span_asked:
                # "giai đoạn 2016 - 2020" asked: a figure whose heading or statement names that span
                sentence = hit.chunk.text[start_before(hit.chunk.text, off, "sentence") : off]
                if span_asked in _spans(" ".join(hit.chunk.section) + " " + sentence + " " + right[:60]):
                    period_pen += 0.05
            elif latest and hit.chunk.period == latest:
                period_pen += 0.04  # no period asked: the newest report speaks of "now"
            if asked_base is not None and _other_base(asked_base, after, year, hit.chunk.period):
                # "tăng 12% so với tháng 4/2022; 19% so với cuối năm 2021": asked "so với tháng 12/2021",
                # a change against another base is another figure, never the answer
                continue
            # The words right after the unit qualify the number ("trạm 4G", "cảnh báo cao", "thuê bao
            # trả sau"): matching the question's word is evidence for it, a different one against.
            unit_toks = set(tokenize(m.quantity.unit))
            modifier = [
                t for t in tokenize(own_right)[:3] if "_" not in t and t not in unit_toks and not t.isdigit()
            ][:2]
            mod = 0.0
            if modifier:
                mod = 0.08 if any(t in uni for t in modifier) else -0.04
            # A parenthesis clarifies ("… di động (trả sau và trả trước) hiện có: N"): it adds no words of its own.
            own_list = tokenize(_PARENS.sub(" ", left) + " " + right)
            own = [
                t
                for t in own_list
                if "_" not in t and t not in unit_toks and t not in _FUNCTION_WORDS and not t[0].isdigit()
            ]
            own_w = sum(idf.get(t, 0.0) for t in own)
            precision = sum(idf.get(t, 0.0) for t in own if t in q_terms) / own_w if own_w else 0.5
            if (
                rankings
                and not info.refinements
                and (m.quantity.unit == "bậc" or UNIT_CLASS.get(m.quantity.unit) == "rank")
                and refinement_match((), rankings, head, f"{unit_raw} {own_right} {_about(rest)}") == -1
                and not any(graded(ids) for *_, ids in names_in(left))
            ):
                # "kinh tế số hạng 25/63 (tăng ⟨1 bậc⟩)": a pillar's move, not the DTI's asked (a figure
                # whose own words name the ranking is the ranking's: "…, DTI tăng ⟨8 bậc⟩")
                continue
            feats = {
                "sent_uni": sum(w for t, w in uni.items() if t in sent) / tot_u,
                "sent_bi": sum(w for t, w in bi.items() if t in sent) / tot_b if bi else 0.0,
                "clause_bi": sum(w for t, w in bi.items() if t in clause) / tot_b if bi else 0.0,
                "nearby_uni": sum(w for t, w in uni.items() if t in nearby) / tot_u,
                "local_uni": sum(w for t, w in uni.items() if t in local) / tot_u,
                "local_bi": sum(w for t, w in bi.items() if t in local) / tot_b if bi else 0.0,
                "precision": precision,
                "qmod": _modifier_match(info.modifiers, local, idf),
                "unit": unit_fit,
                "qualifiers": fam,
                "period": period_pen,
                "modifier": mod,
                "retrieval": hit.score / top_score if top_score > 0 else 0.0,
                "indicator": _refined_match(info, m, ms, head, unit_raw + " " + own_right, hit.chunk.text),
            }
            if role == "denominator" and act_leads:
                feats["indicator"] = min(feats["indicator"], 0.0)  # what the act's count is out of
            if not bi:  # one-word questions: let the syllables speak for the missing bigrams
                feats["sent_bi"], feats["local_bi"] = feats["sent_uni"], feats["local_uni"]
                feats["clause_bi"] = sum(w for t, w in uni.items() if t in clause) / tot_u
            out.append((m, hit, feats, (left + "⟨" + m.quantity.raw + "⟩" + right).strip()))
    return out


def score_candidates(
    info: QuestionInfo,
    hits: list[Hit],
    mentions: MentionsByChunk,
    idf: dict[str, float],
) -> list[Candidate]:
    out = []
    for m, hit, feats, local in candidate_features(info, hits, mentions, idf):
        score = sum(WEIGHTS.get(k, 0.0) * v for k, v in feats.items())
        out.append(Candidate(m, hit, score, {k: round(v, 3) for k, v in feats.items()}, local))
    out.sort(key=lambda c: -c.score)
    return out
