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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rag.core.types import Mention, Quantity
from rag.lexicon import Indicator, load_lexicon, spell_synonyms_as_canon
from rag.text.gazetteer import fold, fold_aligned_lower
from rag.text.numbers import is_density, unit_head
from rag.text.segment import open_parenthesis, span_at, span_before, start_before

_BOUNDED_CLASSES = ("percent", "money", "time")


@dataclass(frozen=True)
class _Catalogue:
    by_id: dict[str, Indicator]
    owners: dict[str, tuple[str, ...]]  # folded name -> indicator ids
    unit_heads: dict[str, frozenset[str]]
    unit_class_of: dict[str, str]
    families: dict[str, tuple[re.Pattern[str], ...]]
    families_not: dict[str, re.Pattern[str]]


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
    heads = {ind.id: frozenset(unit_head(u.lower()) for u in ind.units) for ind in lex.indicators}
    # one pattern per family: a mention's clause is searched once per family, not once per cue
    families = {
        name: (re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(c.lower()) for c in cues)})(?!\w)"),)
        for name, cues in lex.families.items()
    }
    nots = {
        name: re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(p.lower()) for p in phrases)})(?!\w)")
        for name, phrases in lex.families_not.items()
    }
    return _Catalogue(
        {i.id: i for i in lex.indicators},
        {k: tuple(v) for k, v in owners.items()},
        heads,
        dict(lex.unit_class_of),
        families,
        nots,
    )


def names_in(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, indicator ids) of every catalogued name in `text`, left to right."""
    return list(_names_in(text))


# Every figure of a section asks about the same heading and often the same sentence: cached (ingest
# spent most of its time here).
@lru_cache(maxsize=16384)
def _names_in(text: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    if not text:
        return ()
    folded = _TI.sub("ty", fold_aligned_lower(text))
    trie = _name_trie()
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    out = []
    i, n = 0, len(toks)
    while i < n:
        node, j, found = trie.get(toks[i][0]), i, None
        while node is not None:
            if _END in node and _ends_clean(folded, toks[j]):
                found = (j, node[_END])  # the longest name so far, as the pattern's longest-first order
            j += 1
            if j == n:
                break
            node = node.get((toks[j - 1][2] < toks[j][1], toks[j][0]))
        if found is None:
            i += 1
            continue
        out.append((toks[i][1], toks[found[0]][2], found[1]))
        i = found[0] + 1
    return tuple(out)


# Names are matched token by token (words and single marks) through a trie, leftmost and longest first,
# with whitespace where a name has a space and none where it has none: what one alternation of every
# name matched, without trying each of ~1,500 names at every position.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_END = ""  # the trie key of a node where a name ends (no token is empty)


@lru_cache(maxsize=1)
def _name_trie() -> dict:
    root: dict = {}
    for key, ids in _catalogue().owners.items():
        found = list(_TOKEN.finditer(key))
        node = root.setdefault(found[0].group(), {})
        for a, b in zip(found, found[1:], strict=False):
            node = node.setdefault((a.end() < b.start(), b.group()), {})
        node[_END] = ids
    return root


def _ends_clean(folded: str, tok: tuple[str, int, int]) -> bool:
    """A name that ends in a mark ("…,") must not run into a word, as one that ends in a word cannot."""
    return tok[0][-1].isalnum() or tok[2] >= len(folded) or not folded[tok[2]].isalnum()


def quantity_class(q: Quantity) -> str:
    """The unit class of a figure: percent, money, time, or count for any noun (or none). A bare sum in
    tỷ ("nộp ngân sách địa phương được 106 tỷ") is money: no count runs to billions in these reports."""
    if not q.unit and q.scale >= 1e9:
        return "money"
    return _catalogue().unit_class_of.get(q.unit, "count")


def fits(ind: Indicator, q: Quantity) -> bool:
    """Whether a figure of this unit can be a value of the indicator."""
    cls = quantity_class(q)
    if is_density(q.unit):
        # "101 thuê bao/100 dân", "43,3 máy /100 dân": a density, never a count of subscriptions
        return ind.unit_class == "ratio"
    if ind.unit_class == "rank" and q.value != int(q.value):
        return False  # a place is a whole number: "Chỉ số Xã hội số có giá trị 0,6783" is a score
    if ind.unit_class in _BOUNDED_CLASSES or cls in _BOUNDED_CLASSES:
        if ind.unit_class in ("ratio", "index", "rank") and cls in ("percent", "count"):
            return not q.unit or cls == "percent"
        return cls == ind.unit_class
    heads = _catalogue().unit_heads.get(ind.id, frozenset())
    return not q.unit or not heads or unit_head(q.unit.lower()) in heads


def parts_of(iid: str) -> tuple[str, ...]:
    """The catalogued indicators `iid` is the sum of (lexicon `parts`); () when none or unknown."""
    ind = _catalogue().by_id.get(iid)
    return ind.parts if ind is not None else ()


def qualifiers_named(iid: str, text: str) -> frozenset[str]:
    """The catalogued indicator's qualifiers `text` names ("Nhóm chỉ số Nhân lực số" names the DTI's
    "nhân lực số"; "trạm 5G" the BTS count's "5G")."""
    ind = _catalogue().by_id.get(iid)
    if ind is None:
        return frozenset()
    hay = f" {_key(text)} "
    return frozenset(p for p in ind.qualifiers if f" {_key(p)} " in hay)


def kind_of(iid: str) -> str:
    """The catalogued indicator's kind (stock, flow, rate, amount); "" when unknown."""
    ind = _catalogue().by_id.get(iid)
    return ind.kind if ind is not None else ""


def verbs_of(iid: str) -> tuple[str, ...]:
    """The verbs of the catalogued indicator's act ("đồng bộ", "giải quyết"); () when none or unknown."""
    ind = _catalogue().by_id.get(iid)
    return tuple(ind.verbs) if ind is not None else ()


def fits_indicator(iid: str, q: Quantity) -> bool:
    """Whether the figure can be a value of the catalogued indicator `iid` (by its unit)."""
    return fits(_catalogue().by_id[iid], q)


def _fit(ids: Iterable[str], q: Quantity, per_100: bool) -> tuple[str, ...]:
    """Of the indicators `ids`, those the figure can be a value of; with `per_100`, the densities of the
    counts among them instead ("tổng số thuê bao điện thoại … đạt 101 thuê bao/100 dân")."""
    cat = _catalogue()
    if per_100:
        return tuple(dict.fromkeys(cat.by_id[i].per_100 for i in ids if cat.by_id[i].per_100))
    ok = tuple(i for i in ids if fits(cat.by_id[i], q))
    if ok:
        return ok
    # "Kết quả xếp hạng … (DTI) 2022 … Theo đó, tỉnh đạt ⟨507,72 điểm⟩": a ranking named, its score printed
    return tuple(j for i in ids for j in _ranking_twins(i) if fits(cat.by_id[j], q))


@lru_cache(maxsize=512)
def _ranking_twins(iid: str) -> tuple[str, ...]:
    """A ranking's place and its score (cds.dti.xep_hang, cds.dti.diem): the other of the pair."""
    cat = _catalogue()
    ind = cat.by_id[iid]
    if ind.unit_class not in ("rank", "index"):
        return ()
    other = "index" if ind.unit_class == "rank" else "rank"
    prefix = iid.rsplit(".", 1)[0] + "."
    return tuple(j for j, o in cat.by_id.items() if j.startswith(prefix) and o.unit_class == other)


def _fitting(
    found: list[tuple[int, int, tuple[str, ...]]], q: Quantity, nearest_to: int | None, per_100: bool = False
) -> tuple[str, ...]:
    ranked = sorted(found, key=lambda f: abs(f[0] - nearest_to)) if nearest_to is not None else found[::-1]
    for _, _, ids in ranked:
        ok = _fit(ids, q, per_100)
        if ok:
            return ok
    return ()


def _named_fitting(text: str, q: Quantity, per_100: bool = False) -> tuple[str, ...]:
    """The most specific indicator `text` names (its words in any order) that the figure fits, or ()."""
    # a longer name there that the unit does not fit ("6 lớp tập huấn kỹ năng số … 1.434 lượt người") leaves
    # the shorter one it hid to the figure
    for ranked in (named_in(text), named_in(text, dominated=True)):
        found = next((ok for i in ranked if (ok := _fit((i,), q, per_100))), ())
        if found:
            return found
    return ()


# the label of one item of a list: the words after the previous item's figure or separator
_OWN_LABEL = re.compile(r"[;,]|(?<!\w)\d[\d.,]*(?!\w)")
_NEXT_STEP = re.compile(r"(?i)(?<!\w)\d[\d.,]*\s+[^\W\d_][^\d;:,()]{0,30}?\svà\s(?!.*\svà\s)")
# … or where "và" joins the next step ("tiếp nhận 121.355 hồ sơ và giải quyết 116.517 hồ sơ")
_OWN_WORDS_END = re.compile(r"[(;:,]|(?<!\w)\d[\d.,]*(?!\w)|(?i:\btrong\s+(?:số\s+)?đó\b)|(?i:\svà\s)")


def tag(text: str, start: int, end: int, q: Quantity, section: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The indicator ids of the figure text[start:end], from the nearest words that name one."""
    ids = _tag(text, start, end, q, section, per_100=False)
    if not ids and is_density(q.unit):
        # a density printed beside its count's name only: "tổng số thuê bao điện thoại ước đạt 1.952.768
        # thuê bao …, đạt 101 thuê bao/100 dân"
        ids = _tag(text, start, end, q, section, per_100=True)
    return ids


def _tag(
    text: str, start: int, end: int, q: Quantity, section: tuple[str, ...], per_100: bool
) -> tuple[str, ...]:
    clause = span_at(text, start, "clause") or (start, end)
    statement_start = start_before(text, start, "statement")
    # the figure's own words first: its unit noun and what qualifies it ("734 trạm phát sóng mạng 5G"),
    # up to where a list or a breakdown starts ("1.952.768 thuê bao (Trong đó … cố định …)")
    own = _OWN_WORDS_END.split(text[end : min(clause[1], end + 60)], maxsplit=1)[0]
    ids = _named_fitting(text[start:end] + own, q, per_100)
    if ids:
        return ids
    shared = _share_of_the_figure_before(text, start, q, section) if not per_100 else ()
    if shared:
        return shared
    # a breakdown in parentheses: "cung cấp 2.665 DVC trực tuyến (toàn trình: ⟨1.701⟩; một phần: 964)" —
    # the item's label completes the name outside ("DVC trực tuyến" + "toàn trình")
    found = open_parenthesis(text, start, 300)
    if found:
        label = _OWN_LABEL.split(text[found[1] + 1 : start])[-1]
        subject = text[found[0] : found[1]]
        if label.strip():
            outside = set(named_in(subject, dominated=True))
            new = [i for i in named_in(subject + " " + label, dominated=True) if i not in outside]
            # "… và di động trả trước ⟨585.653⟩": the refinement the label names, not its general indicator
            new = [i for i in new if not any(j.startswith(i + "_") for j in new)]
            added = [ok for i in new if (ok := _fit((i,), q, per_100))]
            if added:
                return added[0]
    step = _NEXT_STEP.search(text, clause[0], start)
    if step:
        # "tiếp nhận 121.355 hồ sơ và giải quyết ⟨116.517⟩ hồ sơ": after "và", the next step's own words
        ids = _named_fitting(text[step.end() : end] + own, q, per_100)
        if ids:
            return ids
    # the list item the figure closes, whose verb and unit name it around the number: "Tổng số hồ sơ …
    # tiếp nhận … là 342.249 hồ sơ, đã giải quyết ⟨330.488⟩ hồ sơ" is resolved, not received
    item = max(text.rfind(sep, clause[0], start) for sep in ",;:")
    label = text[item + 1 : start]
    if item > clause[0] and not re.search(r"[\d()]", label):
        ids = _named_fitting(label + text[start:end] + own, q, per_100)
        if ids:
            return ids
    before = names_in(text[clause[0] : start])
    if not q.unit and not per_100:
        # "… cơ sở dữ liệu dùng chung …, đã giải ngân ⟨30,46⟩" (the unit left off): a bare figure after a
        # verb that only money is the object of is that amount, not the thing named before the verb
        acts = _acts_named(text[clause[0] : start], after=max((f[1] for f in before), default=0))
        if acts:
            return acts
    ids = _fitting(before, q, start - clause[0], per_100)
    if ids:
        return ids
    # a name spread over the figure's own clause ("đã giải quyết 22.358 hồ sơ") before the statement's
    # earlier clauses, whose names belong to their own figures ("tiếp nhận … (… trực tuyến)")
    ids = _named_fitting(text[clause[0] : end] + own, q, per_100)
    if ids:
        return ids
    if statement_start < clause[0]:
        ids = _fitting(names_in(text[statement_start : clause[0]]), q, None, per_100)
        if ids:
            return ids
    # a name spread over the statement up to the figure: "tiếp nhận 43.549 hồ sơ (22.792 trực tiếp;
    # 20.757 trực tuyến)" names "hồ sơ tiếp nhận trực tuyến" for the last figure
    sentence_start = min(statement_start, (span_at(text, start, "sentence") or (statement_start,))[0])
    for at in dict.fromkeys((statement_start, sentence_start)):
        ids = _named_fitting(text[at:end] + own, q, per_100)
        if ids:
            return ids
    if per_100:
        return ()  # a count named in another sentence is another figure's
    # "… (SIPAS). Ngoài ra, … Nhóm chỉ số Nhân lực số tăng ⟨12 bậc⟩": a place whose clause names a
    # ranking's pillar is that ranking's, before whatever ranking the sentence before names
    ids = _pillar_of_a_ranking_named_before(text, clause, start, q)
    if ids:
        return ids
    prev = span_before(text, statement_start, "sentence")
    if prev:
        ids = _fitting(names_in(text[prev[0] : prev[1]]), q, None, per_100)
        if ids:
            return ids
        # a list item under its lead ("… tiếp nhận 1.519 hồ sơ, trong đó:" / "Chi nhánh Ninh Sơn: 541")
        ids = _named_fitting(text[prev[0] : prev[1]], q, per_100)
        if ids:
            return ids
    for heading in reversed(section):
        ids = _fitting(names_in(heading), q, None, per_100)
        if ids:
            return ids
    return _pillar_of_a_ranking_named_before(text, clause, start, q)


def _pillar_of_a_ranking_named_before(
    text: str, clause: tuple[int, int], start: int, q: Quantity
) -> tuple[str, ...]:
    """ "(DTI) 2022 … Cụ thể, chính quyền số xếp hạng ⟨28⟩/63": a place whose clause names a pillar of a
    ranking the passage named before (within a few sentences) is that ranking's."""
    if quantity_class(q) != "rank":
        return ()
    cat = _catalogue()
    own = text[clause[0] : start]
    before = text[max(0, clause[0] - 1200) : clause[0]]
    named = {i for *_, ids in names_in(before) for i in ids}
    return tuple(
        i
        for i in graded(tuple(named))
        if cat.by_id[i].unit_class == "rank" and qualifiers_named(i, own) and fits(cat.by_id[i], q)
    )


@lru_cache(maxsize=1)
def _money_acts() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """The verbs whose every indicator is an amount of money or its share ("giải ngân", "phân bổ"),
    with those indicators that are amounts. Not a word printed before any figure ("ước đạt", "chiếm"),
    nor a one-word verb, which starts others ("thu" of "thu hồi")."""
    lex = load_lexicon()
    before_any = {_key(w) for w in lex.qualifiers}
    by_verb: dict[str, list[Indicator]] = {}
    for ind in lex.indicators:
        for verb in ind.verbs:
            key = _key(verb)
            if " " in key and key not in before_any:
                by_verb.setdefault(key, []).append(ind)
    acts = {
        verb: tuple(i.id for i in inds if i.unit_class == "money")
        for verb, inds in by_verb.items()
        if all(i.unit_class in ("money", "percent") for i in inds)
        and any(i.unit_class == "money" for i in inds)
    }
    alternation = "|".join(re.escape(v) for v in sorted(acts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), acts


def _acts_named(words: str, after: int = 0) -> tuple[str, ...]:
    """The amounts of money that the last verb of `words`, if it starts at or past `after`, can only
    speak of; () for any other verb."""
    pattern, acts = _money_acts()
    found = list(pattern.finditer(_TI.sub("ty", fold_aligned_lower(words))))
    return acts[found[-1].group()] if found and found[-1].start() >= after else ()


# "đã giải ngân 19,62 tỷ đồng, đạt ⟨44,7%⟩ kế hoạch vốn": a share printed right after the figure it is a
# share of
_SHARE_AFTER_ITS_FIGURE = re.compile(r"(?i)(\d[\d.,]*)[^\d,;:()]{0,25},?\s*(?:đạt|bằng)(?:\s+tỷ\s+lệ)?\s*$")


# … ending its clause or naming the plan it is a share of ("đạt 44,7% kế hoạch vốn được giao")
_SHARE_ENDS = re.compile(r"(?i)\s*(?:[.;,)\n]|$|(?:so\s+với\s+)?(?:kế\s+hoạch|KH|chỉ\s+tiêu)(?!\w))")


def _percent_end(text: str, start: int) -> int:
    """Where the percentage starting at `start` ends ("44,7%" or "44,7 %")."""
    found = re.match(r"[\d.,]+\s*%", text[start : start + 20])
    return start + found.end() if found else start


def _share_of_the_figure_before(
    text: str, start: int, q: Quantity, section: tuple[str, ...]
) -> tuple[str, ...]:
    """The rate twins ("…_ty_le") of the indicators of the figure a share follows, or ()."""
    from rag.text.numbers import parse_quantities

    if quantity_class(q) != "percent":
        return ()
    lead_start = max(0, start - 60)
    found = _SHARE_AFTER_ITS_FIGURE.search(text, lead_start, start)
    if found is None:
        return ()
    before = [
        b for b in parse_quantities(text[lead_start : found.end()]) if b.start == found.start(1) - lead_start
    ]
    if not before or quantity_class(before[0]) == "percent":
        return ()
    b = before[0]
    if "/" in text[lead_start + b.start - 2 : lead_start + b.end + 2] or not _SHARE_ENDS.match(
        text, _percent_end(text, start)
    ):
        # "1.542/1.823 DVCTT, đạt 100% đối với những TTHC đủ điều kiện": a share of some other whole
        return ()
    cat = _catalogue()
    ids = tag(text, lead_start + b.start, lead_start + b.end, b, section)
    return tuple(t for i in ids if (t := f"{i}_ty_le") in cat.by_id)


def aspects(clause: str, qualifier: str = "") -> tuple[str, ...]:
    """The qualifier families (cumulative, plan, part, change, new, stock, total) of a clause."""
    hay = " ".join(f"{qualifier} {clause}".lower().split())
    nots = _catalogue().families_not
    return tuple(
        name
        for name, cues in _catalogue().families.items()
        if any(c.search(nots[name].sub(" ", hay) if name in nots else hay) for c in cues)
    )


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


@lru_cache(maxsize=1)
def _canon_name_words() -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """`_name_words` with the names' synonyms read as their canon ("hồ sơ online": "hồ sơ trực tuyến")."""
    return tuple(
        (frozenset(words), ids)
        for key, ids in _catalogue().owners.items()
        if len(words := _WORD.findall(spell_synonyms_as_canon(key))) > 1
    )


@lru_cache(maxsize=2)
def _by_rarest(synonyms: bool) -> dict[str, tuple[int, ...]]:
    """The positions of the names (in `_name_words` or `_canon_name_words`), by the name's rarest word."""
    from collections import Counter

    names = _canon_name_words() if synonyms else _name_words()
    freq = Counter(word for w, _ in names for word in w)
    out: dict[str, list[int]] = {}
    for i, (w, _) in enumerate(names):
        out.setdefault(min(w, key=lambda word: (freq[word], word)), []).append(i)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Words in the names of many indicators ("hồ sơ", "TTHC", "trực tuyến"): they tell none apart."""
    from collections import Counter

    pairs = {(i, w) for words, ids in _name_words() for i in ids for w in words}
    # the steps of a process ("tiếp nhận" / "giải quyết" hồ sơ) are in many names and yet tell them apart
    steps = {w for pair in load_lexicon().opposite_verbs for verb in pair for w in fold(verb).lower().split()}
    return frozenset(w for w, n in Counter(w for _, w in pairs).items() if n >= 8 and w not in steps)


def named_in(text: str, dominated: bool = False, synonyms: bool = False) -> list[str]:
    return list(_named_in(text, dominated, synonyms))


@lru_cache(maxsize=16384)
def _named_in(text: str, dominated: bool, synonyms: bool) -> tuple[str, ...]:
    """The indicator ids `text` names, most specific first, its words in any order.

    Officials reorder and split names ("hồ sơ TTHC nộp trực tuyến" for "hồ sơ trực tuyến", "trạm 4G và
    5G"; reports print "trạm phát sóng mạng 5G"), so a name counts when all its words are there, not only
    when it is printed whole. A name inside a longer one that is also there gives way to it: "thuê bao
    di động trả trước" is the prepaid indicator, not mobile subscriptions in general (`dominated`: keep
    both, most specific first).
    """
    folded = _TI.sub("ty", fold_aligned_lower(text))
    words = set(_WORD.findall(folded))
    names = _name_words()
    if synonyms:  # the text's synonyms and the names' read as their canon ("online": "trực tuyến")
        words |= set(_WORD.findall(spell_synonyms_as_canon(folded)))
        names = _canon_name_words()
    # only the names whose rarest word is in the text can be all there; kept in catalogue order
    buckets = _by_rarest(synonyms)
    present = [
        names[i] for i in sorted(i for word in words for i in buckets.get(word, ())) if names[i][0] <= words
    ]
    # A name that adds only common words to what a longer one there explains gives way to it: a name
    # inside the longer one adds none ("thuê bao di động" in "… trả trước"), "hồ sơ TTHC trực tuyến" beside
    # "tỷ lệ hồ sơ thanh toán trực tuyến" only "TTHC".
    common = _common_words()
    if not dominated:
        present = [
            (w, ids)
            for w, ids in present
            if not any(len(other) > len(w) and w - other <= common for other, _ in present)
        ]
    kept: dict[str, int] = {}
    for w, ids in present:
        for i in ids:
            kept[i] = max(kept.get(i, 0), len(w))
    # one-word names (abbreviations: "BTS", "DTI") are matched whole, as printed
    for _, _, ids in (f for f in names_in(text) if len(_WORD.findall(folded[f[0] : f[1]])) == 1):
        for i in ids:
            kept.setdefault(i, 1)
    return tuple(sorted(kept, key=lambda i: -kept[i]))


def _one_step(question: str, ids: list[str]) -> list[str]:
    """A question that names one step of a process and not the other ("giải quyết bao nhiêu hồ sơ TTHC")
    does not ask the other step's indicator, which a generic name of it ("hồ sơ TTHC") also matched."""
    folded = " " + " ".join(_WORD.findall(without_named_acts(fold(question).lower()))) + " "
    cat = _catalogue()
    for a, b in load_lexicon().opposite_verbs:
        fa, fb = (" " + fold(v).lower() + " " for v in (a, b))
        for mine, other in ((fa, fb), (fb, fa)):
            # both named: the one right before "bao nhiêu" is asked ("hệ thống giải quyết TTHC … đã tiếp
            # nhận (tổng cộng) bao nhiêu hồ sơ")
            if mine in folded and (
                other not in folded or re.search(rf"{mine}(?:\w+ ){{0,2}}(?:bao nhieu|may) ", folded)
            ):
                ids = [i for i in ids if other not in " " + fold(cat.by_id[i].name).lower() + " "]
    return ids


# "Hệ thống thông tin giải quyết TTHC … đã tiếp nhận bao nhiêu hồ sơ": an office's or system's name holds
# a step's verb and asks no step (cues.toml named_after_acts)
_NAMED_AFTER_ACTS = re.compile(
    r"(?i)(?<!\w)(?:"
    + "|".join(
        re.escape(fold(n).lower())
        for n in sorted(load_lexicon().cues["named_after_acts"], key=len, reverse=True)
    )
    + r")(?!\w)"
)


def without_named_acts(folded: str) -> str:
    """Folded text without the offices and systems named after a step ("Bộ phận Tiếp nhận và trả kết
    quả"): their verbs are no act of the sentence or the question."""
    return _NAMED_AFTER_ACTS.sub(" ", folded)


def _place_or_score(question: str, ids: list[str]) -> list[str]:
    """Of a ranking's place and its score, both named by "DTI", the one whose unit or verb the question
    says: "Điểm chính quyền số (DTI 2021)" asks the score, "DTI … xếp thứ mấy" the place."""
    cat = _catalogue()
    rankings = graded(ids)
    if len({cat.by_id[i].unit_class for i in rankings}) < 2:
        return ids
    said = {cat.by_id[i].unit_class for i in rankings if _says_unit(question, cat.by_id[i])}
    if len(said) != 1:
        return ids
    return [i for i in ids if i not in rankings or cat.by_id[i].unit_class in said]


def _by_its_act(question: str, ids: list[str]) -> list[str]:
    """ "BTS thẩm định NĐ 2024?": a thing named with a verb its own indicator does not have, but an indicator
    whose name holds the thing does ("vị trí xây dựng trạm BTS", "thẩm định"), asks that one first."""
    cat = _catalogue()
    hay = _words_of(question)
    out: list[str] = []
    for i in ids:
        if _says_any(hay, _acts(cat.by_id[i])):
            continue
        for j in _holding_the_name(i):
            if j not in ids and j not in out and _says_any(hay, _acts(cat.by_id[j])):
                out.append(j)
    return out + [i for i in ids if i not in out]


def _acts(ind: Indicator) -> list[str]:
    """An indicator's verbs of two words or more (one-word verbs, "đạt", say nothing of which one)."""
    return [v for v in ind.verbs if len(v.split()) > 1]


def _words_of(text: str) -> str:
    """`text` as `_says_any` searches it: its words folded, space-delimited at both ends."""
    return " " + " ".join(_WORD.findall(_key(text))) + " "


def _says_any(hay: str, phrases: Iterable[str]) -> bool:
    """Whether one of `phrases` is said, word for word, in `hay` (from `_words_of`)."""
    return any(f" {' '.join(w)} " in hay for w in (_WORD.findall(_key(x)) for x in phrases) if w)


@lru_cache(maxsize=512)
def _holding_the_name(iid: str) -> tuple[str, ...]:
    """The indicators one of whose names holds one of `iid`'s abbreviations ("BTS" in "vị trí xây dựng
    trạm BTS")."""
    cat = _catalogue()
    keys = [f" {_key(a)} " for a in cat.by_id[iid].abbreviations if _key(a)]
    return tuple(
        j
        for j, ind in cat.by_id.items()
        if j != iid and any(k in f" {_key(n)} " for n in ind.names for k in keys)
    )


def _says_unit(question: str, ind: Indicator) -> bool:
    """Whether the question says one of the indicator's unit nouns or its verbs of two words or more
    (one-word verbs, "đạt", say nothing of which indicator)."""
    return _says_any(_words_of(question), [*ind.units, *_acts(ind)])


def _ranking_by_its_part(question: str, ids: list[str]) -> list[str]:
    """A ranking named only by one of its parts and its own unit ("Hạng chính quyền số của Yên Bái",
    "điểm kinh tế số", "xã hội số … tụt mấy bậc") is the ranking: its pillars name no indicator of their own."""
    if graded(ids):
        return ids
    cat = _catalogue()
    found = [
        i
        for i in graded(cat.by_id)
        if _qualifiers_at(question, _refining(cat.by_id[i])) and _says_unit(question, cat.by_id[i])
    ]
    return [*ids, *found]


_HOW_MANY = re.compile(r"(?i)\bbao\s+nhi[eêề]u\b")


def question_indicators(question: str, q: Quantity | None = None, synonyms: bool = False) -> tuple[str, ...]:
    """The indicator ids a question names (fitting the unit it asks for, when given), most specific first.
    `synonyms`: read the lexicon's synonyms as their canon too (a table cell, held to its indicator)."""
    # "bao nhiêu" asks; its "bao" is not the "báo" of "họp báo" ("phạt bao nhiêu trường hợp" named a
    # press conference by "trường hợp" + "bao")
    named = _one_step(question, named_in(_HOW_MANY.sub(" ", question), synonyms=synonyms))
    ranked = _by_its_act(question, _place_or_score(question, _ranking_by_its_part(question, named)))
    if q is None:
        return tuple(ranked)
    cat = _catalogue()
    # "bao nhiêu % hồ sơ đúng hạn" names the count and asks for its share: the catalogue's "_ty_le" twin
    out: list[str] = []
    for i in ranked:
        for j in (i, f"{i}_ty_le"):
            if j in cat.by_id and fits(cat.by_id[j], q) and j not in out:
                out.append(j)
                break
    return tuple(out)


@lru_cache(maxsize=1024)
def _refining(ind: Indicator) -> tuple[str, ...]:
    """The qualifiers of an indicator that refine it: those none of its own names holds ("kinh tế số"
    narrows the DTI rank to one pillar; "di động" in "thuê bao di động" is the name itself)."""
    names = [f" {_key(n)} " for n in ind.all_names]
    # "lũy kế", "kế hoạch": aspects every indicator has, weighed as such (the cue families), not parts
    aspects = {_key(c) for cues in load_lexicon().families.values() for c in cues}
    return tuple(
        q for q in ind.qualifiers if _key(q) not in aspects and not any(f" {_key(q)} " in n for n in names)
    )


def _forms(qualifier: str) -> tuple[str, ...]:
    """Folded forms of a qualifier as printed: a level is often written without "cấp" ("7 đài phát
    thanh xã" for "cấp xã")."""
    key = " ".join(_WORD.findall(_key(qualifier)))
    return (key, key[4:]) if key.startswith("cap ") else (key,)


def _qualifiers_at(text: str, qualifiers: Iterable[str]) -> list[tuple[int, str]]:
    """(position, qualifier) of each qualifier named in `text`, in order of position."""
    hay = _words_of(text)
    found = []
    for q in qualifiers:
        for form in _forms(q):
            at = hay.rfind(f" {form} ")
            if at >= 0:
                found.append((at, q))
                break
    return sorted(found)


def asked_refinements(question: str, ids: Iterable[str]) -> tuple[str, ...]:
    """The refining qualifiers of the asked indicators the question names: "kinh tế số … DTI xếp thứ"
    asks one pillar's place, which the province's overall place does not answer."""
    cat = _catalogue()
    out: list[str] = []
    for i in ids:
        ind = cat.by_id.get(i)
        if ind is not None:
            out.extend(q for _, q in _qualifiers_at(question, _refining(ind)) if q not in out)
    return tuple(out)


def refinement_match(asked: tuple[str, ...], ids: Iterable[str], head: str, right: str) -> int:
    """+1 when the refinement nearest a figure is one asked, -1 when it is another, -2 when none is named
    (the whole), 0 when nothing is asked. Qualifiers follow the unit noun ("35 trạm 5G", "2.241 cá
    nhân": `right`, the figure's own words from its unit on), else the last one named before the figure
    in its statement counts ("chính quyền số ở vị trí thứ 12, kinh tế số ở vị trí thứ ⟨13⟩"). `ids`:
    the asked indicators, whose refining qualifiers are the ones that count."""
    if not asked:
        # A ranking's pillar ("xếp hạng chính quyền số: 44/63 … (giảm 10 bậc)") is a part of it the
        # question did not ask for: the province's own place is. For other indicators the unasked
        # qualifiers ("trạm 4G", "thuê bao trả trước") are what questions leave out, so only rankings.
        return -1 if _nearest_refinement(graded(ids), head, right) else 0
    here = _nearest_refinement(ids, head, right)
    if not here:
        return -2
    return 1 if set(here) & set(asked) else -1


def graded(ids: Iterable[str]) -> list[str]:
    """The rankings' places and scores among `ids`."""
    cat = _catalogue()
    return [i for i in ids if i in cat.by_id and cat.by_id[i].unit_class in ("rank", "index")]


def _nearest_refinement(ids: Iterable[str], head: str, right: str) -> list[str]:
    """The refining qualifiers of `ids` a figure's own words after it name, else the last one its
    statement names before it (see `refinement_match`)."""
    cat = _catalogue()
    refining = {q for i in ids if i in cat.by_id for q in _refining(cat.by_id[i])}
    return [q for _, q in _qualifiers_at(right, refining)] or [q for _, q in _qualifiers_at(head, refining)][
        -1:
    ]
