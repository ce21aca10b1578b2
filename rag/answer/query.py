"""Question understanding, part 1: what a question filters on (provinces, periods) and what it is about.

"Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?" -> provinces ("Nam Định",), periods ("2024",),
terms ("tham", "dinh", "vi", "tri", "bts").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from typing import Any

from rag.core.types import Filters
from rag.text.gazetteer import fold, fold_aligned_lower, province_mentions
from rag.text.periods import describe_period, period_mentions


@dataclass(frozen=True)
class Query:
    text: str
    filters: Filters
    terms: tuple[str, ...]  # folded content words, filter phrases and question words removed
    relative: str = ""  # "" | previous-year | previous-month | previous-quarter | previous-period
    compare: tuple[str, ...] = ()  # periods the question compares against ("so với năm 2023")
    # the period of the report a question names as its source when it asks a figure of another period
    # ("cùng kỳ năm 2019 … trong báo cáo tổng hợp năm 2020")
    reported_in: tuple[str, ...] = ()
    # the period of every report the question names ("theo nhiệm vụ trong báo cáo tháng 1/2024 …")
    report_named: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["filters"] = self.filters.to_dict()
        return d


# --- phrase tables (folded) ----------------------------------------------------------------------------

# Words that ask rather than say; a passage never answers with them. Accented, checked on the words as
# written, so "có" goes but "cố" (cố định) and "cơ" (cơ quan) stay.
_STOP_VI = frozenset(
    """là gì nào mấy không có được đã của ở tại trong và với cho các những một thì sao còn hãy bị về này
    đó kia nhiêu cái vậy nữa thế ạ nhé tôi biết hỏi xin
    what how many much was were is are the of in did does do a an to for by and on at which there
    about please tell me""".split()
)
# The same for text typed without diacritics, less the ones that would take content words with them
# ("co" cố/cơ, "da" đa, "so" số, "the" thẻ, "sao" sao lưu, "cho" chợ, "con" con người, "may" máy,
# "tai" tài khoản, "thi" cuộc thi, "ve" vé, "ban" bản).
_STOP_ASCII = frozenset(fold(w) for w in _STOP_VI) - {
    "co", "da", "so", "the", "sao", "cho", "con", "may", "tai", "thi", "ve", "ban", "nay", "bi",
}  # fmt: skip

# Multi-word question phrases, removed before splitting into words.
_QUESTION_PHRASES = re.compile(
    r"(?<![a-z0-9])(?:la\s+bao\s+nhieu|bao\s+nhieu|nhu\s+the\s+nao|the\s+nao|ra\s+sao|thi\s+sao|"
    r"hay\s+cho\s+biet|cho\s+(?:toi\s+)?biet|hay\s+khong|co\s+phai|la\s+gi|"
    r"how\s+many|how\s+much|what\s+about|how\s+about)(?![a-z0-9])"
)

_RELATIVE = (
    (re.compile(r"cung\s+ky(?:\s+nam\s+(?:truoc|ngoai))?|(?:so\s+voi\s+)?nam\s+(?:truoc|ngoai)|"
                r"same\s+period\s+(?:of\s+|in\s+)?last\s+year|previous\s+year|last\s+year|year[\s-]on[\s-]year"),
     "previous-year"),
    (re.compile(r"thang\s+truoc|previous\s+month|last\s+month"), "previous-month"),
    (re.compile(r"quy\s+truoc|previous\s+quarter|last\s+quarter"), "previous-quarter"),
    (re.compile(r"ky\s+truoc|previous\s+period"), "previous-period"),
)  # fmt: skip

# A period right after these is the baseline of a comparison, not the period asked about.
_COMPARE_BEFORE = re.compile(
    r"(?:so\s+voi|compared\s+(?:with|to)|than|vs\.?|versus)\s+(?:cung\s+ky\s+|the\s+same\s+period\s+(?:of|in)\s+)?$"
)
# A period right after these names the report a figure is read from ("theo báo cáo tổng hợp năm 2020").
_REPORT_BEFORE = re.compile(r"bao\s+cao(?:\s+(?:tong\s+hop|tong\s+ket|so\s+ket|ket\s+qua))?\s*$")
# Words that belong to a province or period phrase and mean nothing once it is gone.
# A lead is a whole word: the "o" ("ở") of "kinh te so Quang Ngai" is the end of "so".
_PROVINCE_LEAD = re.compile(
    r"(?:(?<![a-z0-9])(?:cua|o|tai|in|of|for)\s+)?(?:(?<![a-z0-9])(?:tinh|thanh\s+pho|tp\.?)\s*)?$"
)
_PERIOD_LEAD = re.compile(r"(?:(?<![a-z0-9])(?:trong|vao|in|for|of|during)\s+)?(?:(?:so\s+voi|compared\s+(?:with|to)|than)\s+"
                          r"(?:cung\s+ky\s+)?)?$")  # fmt: skip

_FOLLOWUP_LEAD = re.compile(r"^\W*(?:the\s+con|vay\s+con|con|va|what\s+about|how\s+about|and)(?![a-z0-9])\W*")
_FOLLOWUP_TAIL = re.compile(r"\W*(?:thi\s+sao|thi\s+the\s+nao|the\s+nao|nua|then)?\W*$")

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _spans(text: str, default_year: int | None) -> dict[str, list[tuple[int, int, str]]]:
    """Filter phrases of `text`: provinces, periods asked about, comparison baselines, relative phrases."""
    folded = fold_aligned_lower(text)
    provinces = province_mentions(text)
    periods, compare, reported = [], [], []
    for start, end, p in period_mentions(text, default_year):
        before = folded[max(0, start - 40) : start]
        if _COMPARE_BEFORE.search(before):
            compare.append((start, end, p))
        elif _REPORT_BEFORE.search(before):
            reported.append((start, end, p))
        else:
            periods.append((start, end, p))
    named = list(reported) if len(provinces) <= 1 else []
    if (
        len(provinces) > 1
        or not any(p not in {r for *_, r in reported} for *_, p in periods)
        or not all(_ends_before(p, r) for *_, p in periods for *_, r in reported)
    ):
        # Only a figure of a time before the report ("cùng kỳ năm 2019" in the 2020 report) is read from
        # the report named; a plan's horizon ("chỉ tiêu đến năm 2025 … báo cáo năm 2024") or the next
        # month's tasks are the report's own, and a report named per province is each one's period
        # ("báo cáo tháng 10/2022 của Trà Vinh và tháng 02/2021 của Ninh Thuận")
        periods, reported = sorted(periods + reported), []  # the report's period is the one asked
    relative = []
    for pattern, name in _RELATIVE:
        relative += [(m.start(), m.end(), name) for m in pattern.finditer(folded) if _is_word(folded, m)]
    return {
        "provinces": provinces,
        "periods": periods,
        "compare": compare,
        "reported": reported,
        "named": named,
        "relative": relative,
    }


def _ends_before(a: str, b: str) -> bool:
    """Whether period `a` ends before period `b` starts (2019 before 2020; 2021-05 not before 2021-04)."""
    from rag.text.periods import is_period, period_span

    if not (is_period(a) and is_period(b)):
        return False
    _, last, year_a = period_span(a)
    first, _, year_b = period_span(b)
    return (year_a, last) < (year_b, first)


def _is_word(folded: str, m: re.Match[str]) -> bool:
    before = folded[m.start() - 1] if m.start() else " "
    after = folded[m.end()] if m.end() < len(folded) else " "
    return not before.isalnum() and not after.isalnum()


def _cut(text: str, spans: list[tuple[int, int, re.Pattern[str]]]) -> str:
    """`text` without `spans` and the words that only served them; tidy spaces and empty brackets."""
    folded = fold_aligned_lower(text)
    widened = []
    for start, end, lead in spans:
        m = lead.search(folded[max(0, start - 30) : start])
        widened.append((start - len(m.group()) if m and m.group().strip() else start, end))
    out, pos = [], 0
    for start, end in sorted(widened):
        if start < pos:
            start = pos
        out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    s = "".join(out)
    s = re.sub(r"\(\s*[,;:–-]?\s*\)", " ", s)
    s = re.sub(r"\s+([?.,;:!)])", r"\1", s)
    s = re.sub(r"([(])\s+", r"\1", s)
    s = re.sub(r"([,;:])(?=[,;:?.!])", "", s)
    s = re.sub(r"\s{2,}", " ", s).strip()
    return re.sub(r"^[,;:–-]\s*", "", s)


def strip_filter_phrases(text: str) -> str:
    """The question without its province and period phrases ("của tỉnh Nam Định", "trong tháng 8/2021").

    "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?" -> "thẩm định bao nhiêu vị trí BTS?"
    """
    text = unicodedata.normalize("NFC", text)
    sp = _spans(text, None)
    spans = [(s, e, _PROVINCE_LEAD) for s, e, _ in sp["provinces"]]
    spans += [(s, e, _PERIOD_LEAD) for s, e, _ in sp["periods"] + sp["compare"] + sp["reported"]]
    return _cut(text, spans)


def _terms(text: str) -> tuple[str, ...]:
    folded = fold_aligned_lower(text)
    # Question phrases go first, on the folded text; the spans hold for the original too.
    for m in reversed(list(_QUESTION_PHRASES.finditer(folded))):
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    accented = not text.isascii()
    out: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        stop = word in _STOP_VI if accented else fold(word) in _STOP_ASCII
        if stop:
            continue
        out.setdefault(fold(word), None)
    return tuple(out)


def parse_question(text: str, default_year: int | None = None) -> Query:
    """Filters and content words of a question.

    Provinces and periods named in the question become filters; a period after "so với" is a comparison
    baseline (`compare`), not a filter. A month or quarter without a year takes `default_year`.
    """
    text = unicodedata.normalize("NFC", text or "").strip()
    sp = _spans(text, default_year)
    provinces = tuple(dict.fromkeys(p for _, _, p in sp["provinces"]))
    periods = tuple(dict.fromkeys(p for _, _, p in sp["periods"]))
    compare = tuple(dict.fromkeys(p for _, _, p in sp["compare"] if p not in periods))
    reported = tuple(dict.fromkeys(p for _, _, p in sp["reported"] if p not in periods))
    relative = sp["relative"][0][2] if sp["relative"] else ""
    spans = [(s, e, _PROVINCE_LEAD) for s, e, _ in sp["provinces"]]
    spans += [(s, e, _PERIOD_LEAD) for s, e, _ in sp["periods"] + sp["compare"] + sp["reported"]]
    spans += [(s, e, _PERIOD_LEAD) for s, e, _ in sp["relative"]]
    terms = _terms(_cut(text, spans))
    return Query(text=text, filters=Filters(provinces=provinces, periods=periods), terms=terms,
                 relative=relative, compare=compare, reported_in=reported,
                 report_named=tuple(dict.fromkeys(p for _, _, p in sp["named"])))  # fmt: skip


def looks_like_followup(text: str) -> bool:
    """ "còn năm 2021 thì sao?", "Thái Bình thì sao?", "what about 2023?": leans on the previous question."""
    folded = fold(text)
    if _FOLLOWUP_LEAD.match(folded) or re.search(r"(?:thi\s+sao|nua)\W*$", folded):
        return True
    q = parse_question(text)
    return not q.terms and not q.filters.is_empty()


def _substitute(text: str, spans: list[tuple[int, int, str]], new: list[str]) -> str:
    """Put `new` in place of the first span, drop the other spans; append when there is no span."""
    joined = " và ".join(new)
    if not spans:
        body = text.rstrip()
        tail = "?" if body.endswith("?") else ""
        return f"{body[: len(body) - len(tail)].rstrip()} ({joined}){tail}"
    spans = sorted(spans)
    if text[spans[0][0] : spans[0][0] + 1].isupper():  # "Năm 2024 ..." stays capitalised as "Năm 2021 ..."
        joined = joined[:1].upper() + joined[1:]
    out = text[: spans[0][0]] + joined
    pos = spans[0][1]
    for start, end, _ in spans[1:]:
        out += text[pos:start]
        pos = end
    return _cut(out + text[pos:], [])


def merge_followup(previous: Query, text: str, default_year: int | None = None) -> Query:
    """Read a follow-up question in the light of the previous one.

    - Filters the follow-up names replace the previous ones of the same kind; the others carry over
      ("còn Thái Bình thì sao?" keeps the period, swaps the province).
    - A follow-up with no content words of its own ("còn năm 2021 thì sao?") asks the previous question
      again: its `text` is the previous text with the province/period phrases rewritten (so it reads, and
      re-parses, as a whole question) and it keeps the previous terms.
    - A follow-up with content words ("còn doanh thu viễn thông?") is a new question under the carried
      filters: its text is the follow-up, without "còn … thì sao", with the carried filters appended.
    A month or quarter without a year takes the year of the previous question's period.
    """
    if default_year is None and previous.filters.periods:
        default_year = int(previous.filters.periods[0][:4])
    text = unicodedata.normalize("NFC", text or "").strip()
    new = parse_question(text, default_year)
    provinces = new.filters.provinces or previous.filters.provinces
    periods = new.filters.periods or previous.filters.periods
    filters = replace(previous.filters, provinces=provinces, periods=periods)
    if not new.terms:
        sp = _spans(previous.text, default_year)
        merged = previous.text
        # Rewriting the periods moves what follows them, so the province spans are found afresh.
        if new.filters.periods:
            merged = _substitute(merged, sp["periods"], [describe_period(p) for p in new.filters.periods])
        if new.filters.provinces:
            merged = _substitute(
                merged, _spans(merged, default_year)["provinces"], list(new.filters.provinces)
            )
        return Query(text=merged, filters=filters, terms=previous.terms,
                     relative=new.relative or previous.relative, compare=new.compare or previous.compare)  # fmt: skip
    body = text
    folded = fold_aligned_lower(body)
    lead = _FOLLOWUP_LEAD.match(folded)
    tail = _FOLLOWUP_TAIL.search(folded)
    start = lead.end() if lead else 0
    end = tail.start() if tail and tail.start() > start else len(body)
    if body[start:end].strip():
        body = body[start:end].strip()
    carried = [p for p in provinces if p not in new.filters.provinces]
    carried += [describe_period(p) for p in periods if p not in new.filters.periods]
    merged = f"{body} ({', '.join(carried)})?" if carried else f"{body}?"
    if body.endswith("?"):
        merged = f"{body[:-1].rstrip()} ({', '.join(carried)})?" if carried else body
    return Query(text=merged, filters=filters, terms=new.terms, relative=new.relative, compare=new.compare)


# One limit for every way in (app, `ask` API, `baocao ask`). Real questions are a sentence or two; the
# cap exists so a pasted document cannot hold a worker for a minute of tokenising and scoring.
MAX_QUESTION_CHARS = 2000


def check_question(text: str) -> str:
    """The question stripped, or a QuestionTooLongError / BaocaoError a user can act on."""
    from rag.core.errors import BaocaoError, QuestionTooLongError

    text = (text or "").strip()
    if not text:
        raise BaocaoError("câu hỏi trống")
    if len(text) > MAX_QUESTION_CHARS:
        n, cap = (f"{v:,}".replace(",", ".") for v in (len(text), MAX_QUESTION_CHARS))
        raise QuestionTooLongError(
            f"câu hỏi dài {n} ký tự, vượt giới hạn {cap} ký tự; hãy hỏi ngắn gọn hơn (một câu về một chỉ tiêu)"
        )
    return text
