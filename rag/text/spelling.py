"""Letters swapped, dropped or doubled as a question is typed on a phone ("tnag", "internt", "truc tuyne").

A word typed without diacritics that no report of the index and no lexicon or province name holds, one
edit away from exactly one word that they do, is read as that word. One edit, and only among the known
words: a word of the reports is never changed, nor one of four letters or fewer that several words are one
edit from. Pure functions: the caller gives the vocabulary (`rag.answer.asker` the index's words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from rag.text.gazetteer import fold

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"\w+")
MIN_LENGTH = 4  # "tnag", "dihn", "cogn"; three letters ("hpo", "dta") are too near too many words


def _edits(word: str) -> tuple[list[str], list[str]]:
    """(letters swapped, letters dropped / added / replaced): the commonest typing slips first."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]]
    others = [a + b[1:] for a, b in splits if b]
    others += [a + c + b for a, b in splits for c in _LETTERS]
    others += [a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]]
    return swaps, others


def correction(
    word: str, known: Callable[[str], bool], fits: Callable[[str], bool] = lambda w: False
) -> str | None:
    """The one known word `word` (folded, lower-case) is a slip of, or None: unknown words with no
    known neighbour are left as typed, and so are those with several at the same kind of slip unless
    one alone `fits` (makes a word of the reports with its neighbour: "giai nagn" is "giai ngan")."""
    for kind in _edits(word):
        found = {w for w in kind if known(w)}
        if len(found) > 1:
            found = {w for w in found if fits(w)}
            if len(found) != 1:
                return None
        if found:
            return found.pop()
    return None


def known_words(vocabulary: Iterable[str]) -> frozenset[str]:
    """The words a slip may be read as, and that are left as typed: the reports' folded words and the
    lexicon's. Built once per index by the caller (a question is read in well under a millisecond)."""
    return frozenset(vocabulary) | _lexicon_words()


def correct_typos(question: str, known: frozenset[str], pairs: frozenset[str] = frozenset()) -> str:
    """The question with each slip of a word typed without diacritics read as the known word it misses.

    `known`: from `known_words`; `pairs`: the reports' two-word sequences as "a_b" (which of two near
    words the neighbours make a phrase of). A province's name is left as typed though no report holds
    it ("Bac Lieu" asked of an index without Bạc Liêu), and no slip is read as one ("bcvt" is no "brvt",
    Bà Rịa - Vũng Tàu: a province read into a question filters it to that province).
    """
    provinces = _province_words()
    question = unicodedata.normalize("NFC", question)
    words = list(_WORD.finditer(question))
    out, last = [], 0
    for i, m in enumerate(words):
        typed = m.group()
        word = typed.lower()
        # typed with diacritics, a word is as meant; digits ("4G", "2024") are no words to spell, and
        # capitals past the first make an abbreviation or a name ("BCVT", "iOffice")
        if len(word) < MIN_LENGTH or not (word.isascii() and word.isalpha()) or word in known:
            continue
        if word in provinces:
            continue
        if any(c.isupper() for c in typed[1:]):
            continue
        before = fold(words[i - 1].group()).lower() if i else ""
        after = fold(words[i + 1].group()).lower() if i + 1 < len(words) else ""

        def fits(w: str, before: str = before, after: str = after) -> bool:
            return f"{before}_{w}" in pairs or f"{w}_{after}" in pairs

        fixed = correction(word, known.__contains__, fits)
        if fixed is None:
            continue
        out += [question[last : m.start()], fixed]
        last = m.end()
    return "".join(out) + question[last:]


@lru_cache(maxsize=1)
def _province_words() -> frozenset[str]:
    """The folded words of the provinces' names: known though no report of the index holds them ("Bac
    Lieu" asked of an index without Bạc Liêu)."""
    from rag.text.gazetteer import province_words

    return province_words()


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    """Every folded word of the lexicon files."""
    from rag.lexicon import FILES, LEXICON_DIR

    words: set[str] = set()
    for name in FILES:
        text = (LEXICON_DIR / f"{name}.toml").read_text(encoding="utf-8")
        words.update(re.findall(r"[a-z]+", fold(text).lower()))
    return frozenset(words)
