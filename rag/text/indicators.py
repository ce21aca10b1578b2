"""Which catalogued indicator a figure reports, and which one a question asks for.

The names come from the lexicon's catalogue (rag/lexicon/indicators.toml: the national catalogues and
the words real reports use). A figure is read from the words nearest to it outwards: its unit noun and
what qualifies it ("35 trạm 5G"), the rest of its clause, its statement up to it (a list shares the verb
that opens it), the sentence before, then its heading path. The first of those that names an indicator
whose unit fits the figure decides, so "146 vị trí … 52 trạm xây mới" under a heading "Hạ tầng viễn
thông" still tells a site from a station. A figure's aspects (cumulative, plan, part, change, new,
stock, total) are read from its clause the same way.

Names are matched folded (no diacritics), whole words, longest first: questions are often typed
without diacritics, and every name is two words or an abbreviation, so folding confuses none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rag.core.types import Mention, Quantity
from rag.lexicon import Indicator, load_lexicon
from rag.text.gazetteer import fold, fold_aligned_lower
from rag.text.numbers import unit_head
from rag.text.segment import span_at, span_before, start_before

_BOUNDED_CLASSES = ("percent", "money", "time")


@dataclass(frozen=True)
class _Catalogue:
    by_id: dict[str, Indicator]
    owners: dict[str, tuple[str, ...]]  # folded name -> indicator ids
    pattern: re.Pattern[str] | None
    unit_heads: dict[str, frozenset[str]]
    unit_class_of: dict[str, str]
    families: dict[str, tuple[re.Pattern[str], ...]]


# "tỉ lệ" and "tỷ lệ", "tỉ đồng" and "tỷ đồng": one word in two spellings (same length, so spans hold).
_TI = re.compile(r"(?<!\w)ti(?!\w)")


def _key(name: str) -> str:
    return _TI.sub("ty", " ".join(fold(name).lower().split()))


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    lex = load_lexicon()
    owners: dict[str, list[str]] = {}
    for ind in lex.indicators:
        for name in ind.all_names:
            key = _key(name)
            if key and ind.id not in owners.setdefault(key, []):
                owners[key].append(ind.id)
    alternation = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(owners, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)") if owners else None
    heads = {ind.id: frozenset(unit_head(u.lower()) for u in ind.units) for ind in lex.indicators}
    families = {
        name: tuple(re.compile(rf"(?<!\w){re.escape(c.lower())}(?!\w)") for c in cues)
        for name, cues in lex.families.items()
    }
    return _Catalogue(
        {i.id: i for i in lex.indicators},
        {k: tuple(v) for k, v in owners.items()},
        pattern,
        heads,
        dict(lex.unit_class_of),
        families,
    )


def names_in(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, indicator ids) of every catalogued name in `text`, left to right."""
    cat = _catalogue()
    if cat.pattern is None or not text:
        return []
    folded = _TI.sub("ty", fold_aligned_lower(text))
    out = []
    for m in cat.pattern.finditer(folded):
        ids = cat.owners.get(" ".join(m.group().split()))
        if ids:
            out.append((m.start(), m.end(), ids))
    return out


def quantity_class(q: Quantity) -> str:
    """The unit class of a figure: percent, money, time, or count for any noun (or none)."""
    return _catalogue().unit_class_of.get(q.unit, "count")


def fits(ind: Indicator, q: Quantity) -> bool:
    """Whether a figure of this unit can be a value of the indicator."""
    cls = quantity_class(q)
    if ind.unit_class in _BOUNDED_CLASSES or cls in _BOUNDED_CLASSES:
        if ind.unit_class in ("ratio", "index", "rank") and cls in ("percent", "count"):
            return not q.unit or cls == "percent"
        return cls == ind.unit_class
    heads = _catalogue().unit_heads.get(ind.id, frozenset())
    return not q.unit or not heads or unit_head(q.unit.lower()) in heads


def _fitting(
    found: list[tuple[int, int, tuple[str, ...]]], q: Quantity, nearest_to: int | None
) -> tuple[str, ...]:
    cat = _catalogue()
    ranked = sorted(found, key=lambda f: abs(f[0] - nearest_to)) if nearest_to is not None else found[::-1]
    for _, _, ids in ranked:
        ok = tuple(i for i in ids if fits(cat.by_id[i], q))
        if ok:
            return ok
    return ()


def tag(text: str, start: int, end: int, q: Quantity, section: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The indicator ids of the figure text[start:end], from the nearest words that name one."""
    clause = span_at(text, start, "clause") or (start, end)
    statement_start = start_before(text, start, "statement")
    after = names_in(text[start : clause[1]])  # from the figure itself: its unit noun may name it
    ids = _fitting(after, q, 0)
    if ids:
        return ids
    before = names_in(text[clause[0] : start])
    ids = _fitting(before, q, start - clause[0])
    if ids:
        return ids
    if statement_start < clause[0]:
        ids = _fitting(names_in(text[statement_start : clause[0]]), q, None)
        if ids:
            return ids
    prev = span_before(text, statement_start, "sentence")
    if prev:
        ids = _fitting(names_in(text[prev[0] : prev[1]]), q, None)
        if ids:
            return ids
    for heading in reversed(section):
        ids = _fitting(names_in(heading), q, None)
        if ids:
            return ids
    return ()


def aspects(clause: str, qualifier: str = "") -> tuple[str, ...]:
    """The qualifier families (cumulative, plan, part, change, new, stock, total) of a clause."""
    hay = " ".join(f"{qualifier} {clause}".lower().split())
    return tuple(name for name, cues in _catalogue().families.items() if any(c.search(hay) for c in cues))


def tag_mentions(mentions: list[Mention], doc_text: str) -> list[Mention]:
    """The mentions with their indicator ids and aspects (spans are positions in doc_text)."""
    out = []
    for m in mentions:
        ids = tag(doc_text, m.start, m.end, m.quantity, m.section)
        out.append(replace(m, indicators=ids, aspects=aspects(m.clause, m.qualifier)))
    return out


_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _name_words() -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Each catalogued name of two words or more as a set of folded words, with its indicator ids."""
    return tuple(
        (frozenset(words), ids)
        for key, ids in _catalogue().owners.items()
        if len(words := _WORD.findall(key)) > 1
    )


def question_indicators(question: str, q: Quantity | None = None) -> tuple[str, ...]:
    """The indicator ids a question names (fitting the unit it asks for, when given), most specific first.

    Officials reorder and split names ("hồ sơ TTHC nộp trực tuyến" for "hồ sơ trực tuyến", "trạm 4G và
    5G"), so a name counts when all its words are in the question, not only when it is printed whole.
    A name inside a longer one that is also there gives way to it: "thuê bao di động trả trước" is the
    prepaid indicator, not mobile subscriptions in general.
    """
    cat = _catalogue()
    words = set(_WORD.findall(_TI.sub("ty", fold_aligned_lower(question))))
    present = [(w, ids) for w, ids in _name_words() if w <= words]
    # one-word names (abbreviations: "BTS", "DTI") are matched whole, as printed
    folded = _TI.sub("ty", fold_aligned_lower(question))
    whole = {i for s, e, ids in names_in(question) if len(_WORD.findall(folded[s:e])) == 1 for i in ids}
    kept: dict[str, int] = {}
    for w, ids in present:
        if any(w < other for other, _ in present):
            continue
        for i in ids:
            kept[i] = max(kept.get(i, 0), len(w))
    for i in whole:
        kept.setdefault(i, 1)
    ranked = sorted(kept, key=lambda i: -kept[i])
    if q is None:
        return tuple(ranked)
    # "bao nhiêu % hồ sơ đúng hạn" names the count and asks for its share: the catalogue's "_ty_le" twin
    out = []
    for i in ranked:
        for j in (i, f"{i}_ty_le"):
            if j in cat.by_id and fits(cat.by_id[j], q) and j not in out:
                out.append(j)
                break
    return tuple(out)
