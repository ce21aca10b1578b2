"""The vocabulary of Sở TT&TT reports as data: units, abbreviations, synonyms, cues, opposites, the
summariser's words and the indicator catalogue, in the TOML files beside this module.

Adding a synonym, a unit or an indicator name is a change to those files (with a test), not to code.
The files are read once, checked (a word in two synonym groups, an unknown unit class, an indicator
name claimed twice are errors that name the file and the entry), and hashed into `Lexicon.version`;
the index's derivation version covers this folder, so a new synonym re-derives the mentions.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.core.errors import LexiconError

LEXICON_DIR = Path(__file__).resolve().parent
FILES = ("abbreviations", "units", "cues", "synonyms", "summary", "indicators")
INDICATOR_KINDS = ("stock", "flow", "rate", "amount")


@dataclass(frozen=True)
class Indicator:
    """One indicator a report may print: a catalogue entry with the words that name it."""

    id: str
    name: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...]
    unit_class: str
    units: tuple[str, ...]
    verbs: tuple[str, ...]
    qualifiers: tuple[str, ...]
    kind: str
    source: str
    # the density of this count ("thuê bao điện thoại" -> "mật độ … trên 100 dân"): what a figure per
    # 100 people in a sentence that names only the count is a value of
    per_100: str = ""
    # the indicators this one is the sum of ("doanh thu bưu chính, viễn thông": the two sectors'): a
    # figure of one part alone is no value of the whole
    parts: tuple[str, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names, *self.abbreviations)


@dataclass(frozen=True)
class SynonymGroup:
    canon: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    version: str
    dotted_abbreviations: frozenset[str]
    expansions: dict[str, str]
    shorthand: dict[str, str]  # question words typed short ("bn"): spelled out before a question is read
    not_provinces: tuple[str, ...]  # capitals that look like a province's initials and are not
    english: dict[str, str]  # English words mixed into a question ("revenue"): read as the Vietnamese
    # English words reports also print ("smartphone"): kept, with the Vietnamese beside them
    english_kept: dict[str, str]
    # abbreviations spelled out only before certain words ("DT viễn thông"): folded key -> (means, before)
    contextual: dict[str, tuple[str, tuple[str, ...]]]
    unit_classes: tuple[str, ...]
    unit_aliases: dict[str, str]
    scales: dict[str, float]
    unit_kinds: dict[str, str]
    unit_class_of: dict[str, str]
    glued_units: frozenset[str]
    measures: dict[str, str]  # a noun a question measures by ("công suất") -> the unit it asks in
    core_units: frozenset[str]
    cues: dict[str, tuple[str, ...]]
    families: dict[str, tuple[str, ...]]
    families_not: dict[str, tuple[str, ...]]
    across: dict[str, tuple[str, ...]]
    moves: dict[str, tuple[str, ...]]  # "lost" / "gained": verbs that move a province in a ranking
    opposites: tuple[tuple[str, str], ...]
    opposite_verbs: tuple[tuple[str, str], ...]  # checked on a figure's own words only
    qualifiers: tuple[str, ...]
    hedges: tuple[str, ...]
    synonyms: tuple[SynonymGroup, ...]
    summary_terms: tuple[str, ...]
    achievement_cues: tuple[str, ...]
    indicators: tuple[Indicator, ...]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


class _Reader:
    """Typed access to one parsed file, with errors that say which file and key are wrong."""

    def __init__(self, name: str, data: dict[str, Any]):
        self.name, self.data = name, data

    def fail(self, msg: str) -> LexiconError:
        return LexiconError(f"lexicon file {self.name}.toml: {msg}")

    def get(self, *path: str, default: Any = ...) -> Any:
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                if default is not ...:
                    return default
                raise self.fail(f"missing '{'.'.join(path)}'")
            node = node[key]
        return node

    def words(self, *path: str, where: str = "", default: Any = ...) -> tuple[str, ...]:
        value = self.get(*path, default=default)
        label = where or ".".join(path)
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise self.fail(f"'{label}' must be a list of non-empty strings")
        return tuple(_nfc(w) for w in value)

    def mapping(self, *path: str) -> dict[str, Any]:
        value = self.get(*path)
        if not isinstance(value, dict):
            raise self.fail(f"'{'.'.join(path)}' must be a table")
        return {_nfc(k): _nfc(v) if isinstance(v, str) else v for k, v in value.items()}


def _read(folder: Path, name: str) -> tuple[_Reader, bytes]:
    path = folder / f"{name}.toml"
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise LexiconError(f"lexicon file {path} cannot be read ({e.strerror or e}).") from None
    try:
        return _Reader(name, tomllib.loads(raw.decode("utf-8"))), raw
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise LexiconError(f"lexicon file {path} is not valid UTF-8 TOML: {e}") from None


def _synonyms(r: _Reader) -> tuple[SynonymGroup, ...]:
    groups, owner = [], {}
    for i, g in enumerate(r.get("group")):
        canon = g.get("canon") if isinstance(g, dict) else None
        if not isinstance(canon, str) or not canon.strip():
            raise r.fail(f"group {i + 1} has no 'canon'")
        words = _Reader(r.name, g).words("words", where=f"group '{canon}'.words")
        for w in words:
            if w in owner:
                raise r.fail(f"duplicate synonym '{w}': in group '{owner[w]}' and in group '{canon}'")
            owner[w] = canon
        groups.append(SynonymGroup(_nfc(canon), words))
    return tuple(groups)


def _indicators(r: _Reader, unit_classes: tuple[str, ...]) -> tuple[Indicator, ...]:
    out, ids, owner = [], set(), {}
    for i, entry in enumerate(r.get("indicator", default=[])):
        e = _Reader(r.name, entry if isinstance(entry, dict) else {})
        iid = e.get("id", default=None)
        if not isinstance(iid, str) or not iid.strip():
            raise r.fail(f"indicator {i + 1} has no 'id'")
        if iid in ids:
            raise r.fail(f"duplicate indicator id '{iid}'")
        ids.add(iid)
        unit_class = e.get("unit_class", default="")
        if unit_class not in unit_classes:
            raise r.fail(
                f"indicator '{iid}' has unknown unit class '{unit_class}' (known: {', '.join(unit_classes)})"
            )
        kind = e.get("kind", default="")
        if kind not in INDICATOR_KINDS:
            raise r.fail(f"indicator '{iid}' has unknown kind '{kind}' (known: {', '.join(INDICATOR_KINDS)})")
        name = e.get("name", default="")
        if not isinstance(name, str) or not name.strip():
            raise r.fail(f"indicator '{iid}' has no 'name'")

        def opt(key: str, e: _Reader = e, iid: str = iid) -> tuple[str, ...]:
            return e.words(key, where=f"indicator '{iid}'.{key}", default=[])

        ind = Indicator(
            iid,
            _nfc(name),
            opt("names"),
            opt("abbreviations"),
            unit_class,
            opt("units"),
            opt("verbs"),
            opt("qualifiers"),
            kind,
            str(e.get("source", default="")),
            str(e.get("per_100", default="")),
            opt("parts"),
        )
        for n in {n.lower() for n in ind.all_names}:
            if n in owner and owner[n] != iid:
                raise r.fail(f"indicator name '{n}' is claimed by both '{owner[n]}' and '{iid}'")
            owner[n] = iid
        out.append(ind)
    by_id = {i.id: i for i in out}
    for ind in out:
        if ind.per_100 and (ind.per_100 not in by_id or by_id[ind.per_100].unit_class != "ratio"):
            raise r.fail(f"indicator '{ind.id}'.per_100 names '{ind.per_100}', which is no ratio indicator")
        for part in ind.parts:
            if part not in by_id or part == ind.id:
                raise r.fail(f"indicator '{ind.id}'.parts names '{part}', which is no other indicator")
    return tuple(out)


def load_lexicon(folder: Path | str | None = None) -> Lexicon:
    """The lexicon in `folder`, read and checked; the one shipped with baocao (the default) is read once."""
    return _load(Path(folder)) if folder is not None else _shipped()


@lru_cache(maxsize=1)
def _shipped() -> Lexicon:
    return _load(LEXICON_DIR)


def _load(folder: Path) -> Lexicon:
    readers, digest = {}, hashlib.sha256()
    for name in FILES:
        readers[name], raw = _read(folder, name)
        digest.update(name.encode() + b"\0" + raw)
    ab, un, cu, sy, su, ind = (readers[n] for n in FILES)

    unit_classes = un.words("classes")
    class_of = un.mapping("class_of")
    for unit, cls in class_of.items():
        if cls not in unit_classes:
            raise un.fail(f"unit '{unit}' has unknown unit class '{cls}' (known: {', '.join(unit_classes)})")
    measures = un.mapping("measures")
    for noun, unit in measures.items():
        if unit not in set(un.mapping("aliases").values()):
            raise un.fail(f"measure '{noun}' asks in '{unit}', which is no unit of [aliases]")
    scales = un.mapping("scales")
    for word, factor in scales.items():
        if not isinstance(factor, int | float) or factor <= 0:
            raise un.fail(f"scale '{word}' must be a positive number")
    pairs = cu.get("opposites", "pairs")
    verbs = cu.get("opposites", "verbs", default=[])
    for name, got in (("pairs", pairs), ("verbs", verbs)):
        if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(w, str) for w in p) for p in got):
            raise cu.fail(f"'opposites.{name}' must be a list of [word, word] pairs")
    families = cu.mapping("families")
    across = cu.mapping("across")
    return Lexicon(
        version=digest.hexdigest()[:12],
        dotted_abbreviations=frozenset(ab.words("dotted")),
        expansions={k.lower(): v for k, v in ab.mapping("expand").items()},
        shorthand={k.lower(): v for k, v in ab.mapping("shorthand").items()},
        not_provinces=ab.words("not_provinces"),
        english={k.lower(): v for k, v in ab.mapping("english").items()},
        english_kept={k.lower(): v for k, v in ab.mapping("english_kept").items()},
        contextual=_contextual(ab),
        unit_classes=unit_classes,
        unit_aliases=un.mapping("aliases"),
        scales={k: float(v) for k, v in scales.items()},
        unit_kinds=un.mapping("kinds"),
        unit_class_of=class_of,
        glued_units=frozenset(un.words("glued", "units")),
        measures=measures,
        core_units=frozenset(un.words("summary", "core")),
        cues={
            k: cu.words(k)
            for k in (
                "percent",
                "money",
                "difference",
                "sum",
                "flow",
                "as_of",
                "share",
                "running_total",
                "enterprises",
                "named_after_acts",
                "excluded",
                "chat",
                "range_high",
                "range_low",
                "sum_not",
            )
        },
        families={k: cu.words("families", k) for k in families},
        families_not=_families_not(cu, families),
        across={k: cu.words("across", k) for k in across},
        moves={k: cu.words("moves", k) for k in ("lost", "gained")},
        opposites=tuple((_nfc(a), _nfc(b)) for a, b in pairs),
        opposite_verbs=tuple((_nfc(a), _nfc(b)) for a, b in verbs),
        qualifiers=cu.words("qualifiers", "before"),
        hedges=cu.words("qualifiers", "hedges"),
        synonyms=_synonyms(sy),
        summary_terms=su.words("indicator_terms"),
        achievement_cues=su.words("achievement"),
        indicators=_indicators(ind, unit_classes),
    )


def _contextual(ab: _Reader) -> dict[str, tuple[str, tuple[str, ...]]]:
    table = ab.get("contextual", default={})
    if not isinstance(table, dict):
        raise ab.fail("'contextual' must be a table")
    out = {}
    for key, entry in table.items():
        means = entry.get("means") if isinstance(entry, dict) else None
        if not isinstance(means, str) or not means.strip():
            raise ab.fail(f"'contextual.{key}' has no 'means'")
        out[key.lower()] = (means, ab.words("contextual", key, "before"))
    return out


def _families_not(cu: _Reader, families: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Phrases holding a family's cue that do not say it ("mới chỉ có 169 trạm": only, not new)."""
    table = cu.get("families_not", default={})
    if not isinstance(table, dict):
        raise cu.fail("'families_not' must be a table")
    for name in table:
        if name not in families:
            raise cu.fail(f"'families_not.{name}' names no family (known: {', '.join(families)})")
    return {k: cu.words("families_not", k) for k in table}


@lru_cache(maxsize=1)
def _synonym_patterns() -> tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...]:
    return tuple(
        (g.words, re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in g.words)})(?!\w)"), g.canon)
        for g in load_lexicon().synonyms
        if g.words
    )


def spell_synonyms_as_canon(folded: str) -> str:
    """A folded text with each synonym spelled as its group's canon ("ho so online" -> "ho so truc
    tuyen"): what the tokenizer and the indicator names read."""
    for words, pattern, canon in _synonym_patterns():
        if any(w in folded for w in words):  # a substring test first: most texts hold none of them
            folded = pattern.sub(canon, folded)
    return folded
