"""Vietnamese provinces: canonical names, aliases, the 2025 merger, and finding them in text.

Also home of `fold`, the one diacritic-insensitive normaliser every module matches with, so that
"Nam Định", "nam dinh" and "NAM ĐỊNH" compare equal everywhere in the same way.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# --- folding -------------------------------------------------------------------------------------------


def _build_tables() -> tuple[dict[int, str | None], dict[int, str]]:
    drop: dict[int, str | None] = {}
    keep: dict[int, str] = {}
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base != ch:
            drop[cp] = keep[cp] = base
    for ch in "đĐ":
        drop[ord(ch)] = keep[ord(ch)] = "d"
    # Ð (eth) is what some PDF encoders emit for Đ.
    drop[0xD0] = keep[0xD0] = "d"
    # Decomposed input (NFD) keeps its marks as separate code points; `fold` drops them, the aligned
    # variant cannot (it must stay one char for one char) and expects NFC text instead.
    for cp in range(0x300, 0x370):
        drop[cp] = None
    return drop, keep


_FOLD_TABLE, _ALIGNED_TABLE = _build_tables()


def fold(text: str) -> str:
    """Lowercase, strip Vietnamese diacritics (đ -> d), collapse whitespace: "Nam  Định" -> "nam dinh"."""
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


def fold_aligned(text: str) -> str:
    """Like `fold` but one char for one char, so spans found in the result are spans of `text`.

    Whitespace is left as it is; `text` should be NFC (documents are).
    """
    return text.translate(_ALIGNED_TABLE)


def fold_aligned_lower(text: str) -> str:
    """fold_aligned, lower-cased, still one character for one character: a match's span in it is the
    span in `text` (a character whose lower case is longer, such as "İ", keeps its case)."""
    folded = fold_aligned(text).lower()
    if len(folded) != len(text):
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in fold_aligned(text))
    return folded


# --- data ----------------------------------------------------------------------------------------------

# The 63 provinces and centrally-run cities before the 2025 reorganisation.
PROVINCES_PRE_2025: tuple[str, ...] = (
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ",
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

# Resolution 202/2025/QH15 (in force 12 June 2025, new provinces working from 1 July 2025): each
# absorbed province -> the one that took it over. Thừa Thiên Huế became the city of Huế in January 2025.
MERGED_INTO: dict[str, str] = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Phú Yên": "Đắk Lắk",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
    "Thừa Thiên Huế": "Huế",
}

# The 34 provinces and centrally-run cities from July 2025.
PROVINCES_2025: tuple[str, ...] = tuple(
    sorted({MERGED_INTO.get(p, p) for p in PROVINCES_PRE_2025}, key=lambda p: fold(p))
)

# Every name a report may be filed under: old reports keep their old province.
ALL_PROVINCES: tuple[str, ...] = tuple(
    sorted(set(PROVINCES_PRE_2025) | set(PROVINCES_2025), key=lambda p: fold(p))
)

# Spellings beyond the canonical one (folding already covers case, diacritics and òa/oà tone placement).
_ALIASES: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("TP.HCM", "TPHCM", "TP HCM", "HCM", "HCMC", "Sài Gòn", "Saigon"),
    "Bà Rịa - Vũng Tàu": ("Bà Rịa Vũng Tàu", "BR-VT", "BRVT", "BR VT"),
    "Thừa Thiên Huế": ("Thừa Thiên - Huế", "TT-Huế", "TT Huế", "TTHuế"),
    "Đắk Lắk": ("Đắc Lắc", "Đăk Lăk", "Đắk Lắc", "Dak Lak"),
    "Đắk Nông": ("Đắc Nông", "Đăk Nông"),
    "Bắc Kạn": ("Bắc Cạn",),
    "Kon Tum": ("Kontum",),
}

# Names that are also ordinary words ("hòa bình" = peace): in properly written text they count only
# when capitalised or after "tỉnh"/"thành phố"; text typed without diacritics is taken at its word.
_COMMON_WORDS = frozenset({"Hòa Bình", "Thái Bình", "Bình Định", "Hải Dương"})

# Phrases that contain a province name but do not speak of the province. Folded tokens.
_BLOCKERS = (
    "thai binh duong",  # the Pacific Ocean
    "cap quang",  # "cáp quang": "tuyen cap quang Ninh Thuan" typed without diacritics is no Quảng Ninh
    "viet nam dinh",  # "Việt Nam định hướng ..."
    "tu tuong ho chi minh",
    "phong cach ho chi minh",
    "chu tich ho chi minh",
    "cong san ho chi minh",
    "tncs ho chi minh",
    "quoc gia ho chi minh",
    "giai thuong ho chi minh",
    "duong ho chi minh",
    "lang ho chi minh",
    "sai gon postel",
    "saigon postel",
)

_PREFIX = re.compile(r"(?:tinh|thanh\s+pho|tp\.?)\s*$")
_TOKEN = re.compile(r"[a-z0-9]+")
_GAP_OK = frozenset(" \t\n\r\xa0-–—_")


def _tone_variants(name: str) -> set[str]:
    """ "Hòa" and "Hoà" are the same name written with the two tone-placement conventions."""
    out = {name}
    marks = "\u0300\u0301\u0303\u0309\u0323"
    for pair in ("oa", "oe", "uy"):
        a, b = pair
        nfd = unicodedata.normalize("NFD", name)
        for m in marks:
            nfd = nfd.replace(f"{a}{m}{b}", f"{a}{b}{m}")
            nfd = nfd.replace(f"{a.upper()}{m}{b}", f"{a.upper()}{b}{m}")
        out.add(unicodedata.normalize("NFC", nfd))
    return out


def _letters(s: str) -> str:
    return "".join(c for c in s.lower() if c.isalnum())


def _key(s: str) -> str:
    return "".join(_TOKEN.findall(fold_aligned(unicodedata.normalize("NFC", s)).lower()))


# folded token tuple -> canonical name (None for blockers)
_PHRASES: dict[tuple[str, ...], str | None] = {}
# folded token tuple -> accented spellings (letters only, lowercase) the original text must agree with
_SPELLINGS: dict[tuple[str, ...], set[str]] = {}
# key without separators -> canonical name, for `canonical_province`
_KEYS: dict[str, str] = {}


def _add(spelling: str, canon: str | None) -> None:
    for variant in _tone_variants(spelling):
        folded = fold_aligned(variant).lower()
        groups = [g for g in re.split(r"\s*[-–—]\s*", folded) if g]
        forms = {
            tuple(_TOKEN.findall(folded)),
            ("".join(_TOKEN.findall(folded)),),
            tuple("".join(_TOKEN.findall(g)) for g in groups),
        }
        for toks in forms:
            if not toks or not all(toks):
                continue
            _PHRASES.setdefault(toks, canon)
            if canon is not None and not variant.isascii():
                _SPELLINGS.setdefault(toks, set()).add(_letters(variant))
        if canon is not None:
            _KEYS.setdefault(_key(variant), canon)


for _name in ALL_PROVINCES:
    _add(_name, _name)
for _name, _extra in _ALIASES.items():
    for _alias in _extra:
        _add(_alias, _name)
for _phrase in _BLOCKERS:
    _PHRASES[tuple(_phrase.split())] = None
_FIRST = frozenset(t[0] for t in _PHRASES)
_MAX_LEN = max(len(t) for t in _PHRASES)


def _agrees(original: str, spellings: set[str]) -> bool:
    """Whether the diacritics written in `original` fit one spelling: each letter is the spelling's letter
    or its bare base. So "Nam Đinh" (a tone left out) is Nam Định, but "năm định" and "Huệ" are not."""
    if original.isascii() or not spellings:
        return True
    got = _letters(original)
    for spelling in spellings:
        if len(spelling) == len(got) and all(
            g == s or g == fold_aligned(s) for g, s in zip(got, spelling, strict=True)
        ):
            return True
    return False


def _in_address(folded: str, start: int, end: int, prev_token: str) -> bool:
    """Inside a domain or e-mail address ("mail.travinh.gov.vn"), a name is not a mention; "TP.HCM" is."""
    before = folded[start - 1] if start else " "
    after = folded[end : end + 2]
    if before in ".@" and start >= 2 and folded[start - 2].isalnum() and prev_token not in ("tp", "t"):
        return True
    return len(after) == 2 and after[0] in ".@" and after[1].isalpha()


def province_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of every province named in `text`, longest match first, left to right."""
    text = unicodedata.normalize("NFC", text)
    folded = fold_aligned_lower(text)
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(toks)
    while i < n:
        if toks[i][2] not in _FIRST:
            i += 1
            continue
        step = 1
        for length in range(min(_MAX_LEN, n - i), 0, -1):
            window = toks[i : i + length]
            phrase = tuple(t[2] for t in window)
            if phrase not in _PHRASES:
                continue
            if any(set(folded[a[1] : b[0]]) - _GAP_OK for a, b in zip(window, window[1:], strict=False)):
                continue
            canon = _PHRASES[phrase]
            start, end = window[0][0], window[-1][1]
            if canon is not None and _in_address(folded, start, end, toks[i - 1][2] if i else ""):
                continue
            if canon is None:
                step = length
                break
            original = text[start:end]
            if not _agrees(original, _SPELLINGS.get(phrase, set())):
                continue
            if (
                canon in _COMMON_WORDS
                and not original.isascii()
                and original[:1].islower()
                and not _PREFIX.search(folded[max(0, start - 12) : start])
            ):
                continue
            out.append((start, end, canon))
            step = length
            break
        i += step
    return out


def initials(name: str) -> str:
    """A province's name as officials shorten it in a hurry: "Nam Định" -> "NĐ", "Trà Vinh" -> "TV"."""
    return "".join(w[0] for w in re.findall(r"\w+", unicodedata.normalize("NFC", name))).upper()


def provinces_by_initials(
    text: str, among: Iterable[str], not_initials: Iterable[str] = ()
) -> tuple[str, ...]:
    """The provinces of `among` whose initials the text types in capitals ("ở NĐ năm 2024", "TV (10/2022)
    hơn NT (02/2021)"), in the order typed.

    Initials name many things ("KH" kế hoạch, "DT" doanh thu) and several provinces share most of them
    ("QN"), so they count only among the provinces a caller holds reports of, only where exactly one of
    those fits a token, and never for a token of `not_initials` (abbreviations of other things)."""
    return tuple(name for _, name in initials_at(text, among, not_initials))


def initials_at(text: str, among: Iterable[str], not_initials: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(where typed, province) for each province `provinces_by_initials` reads, once each, in order."""
    blocked = {t.upper() for t in not_initials}  # as typed: "ND" may be "người dân", "NĐ" is Nam Định
    codes: dict[str, list[str]] = {}
    for name in among:
        code = initials(name)
        codes.setdefault(code, []).append(name)
        if fold(code).upper() != code:
            codes.setdefault(fold(code).upper(), []).append(name)
    out: list[tuple[int, str]] = []
    for m in re.finditer(r"(?<![\w&./-])[A-ZĐ]{2,4}(?![\w&/-])", text):
        names = codes.get(m.group(), [])
        if m.group() not in blocked and len(names) == 1 and names[0] not in {n for _, n in out}:
            out.append((m.start(), names[0]))
    return out


def province_words() -> frozenset[str]:
    """Every folded word of the provinces' names and their other spellings ("nam", "dinh", "hcm")."""
    return frozenset(t for toks, canon in _PHRASES.items() if canon is not None for t in toks)


def find_provinces(text: str) -> list[str]:
    """Canonical names of the provinces named in `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for _, _, canon in province_mentions(text):
        seen.setdefault(canon, None)
    return list(seen)


_NAME_PREFIX = re.compile(r"^(?:tinh|thanh\s*pho|tp\.?|so\s+tt\s*&?\s*tt)\s*", re.IGNORECASE)


def canonical_province(name: str) -> str | None:
    """The canonical name for a user-typed one ("nam dinh", "tỉnh Nam Định", "TP.HCM"), or None."""
    folded = fold(unicodedata.normalize("NFC", name or ""))
    key = "".join(_TOKEN.findall(folded))
    if key in _KEYS:
        return _KEYS[key]
    stripped = _NAME_PREFIX.sub("", folded)
    return _KEYS.get("".join(_TOKEN.findall(stripped)))


def suggest_provinces(name: str, n: int = 3) -> list[str]:
    """Closest canonical names to a misspelt one, for error messages."""
    key = "".join(_TOKEN.findall(_NAME_PREFIX.sub("", fold(name or ""))))
    if not key:
        return []
    out: list[str] = []
    for k in difflib.get_close_matches(key, list(_KEYS), n=n * 4, cutoff=0.6):
        if _KEYS[k] not in out:
            out.append(_KEYS[k])
    return out[:n]


def province_slug(name: str) -> str:
    """File-name form: "Nam Định" -> "namdinh", "Bà Rịa - Vũng Tàu" -> "bariavungtau"."""
    return _key(canonical_province(name) or name)


def successor(name: str) -> str:
    """The province that holds `name`'s territory after the 2025 merger (itself if unchanged)."""
    canon = canonical_province(name) or name
    return MERGED_INTO.get(canon, canon)


def predecessors(name: str) -> tuple[str, ...]:
    """The pre-2025 provinces a post-2025 one was made of, itself first when it existed before."""
    canon = canonical_province(name) or name
    olds = [old for old, new in MERGED_INTO.items() if new == canon]
    head = (canon,) if canon in PROVINCES_PRE_2025 else ()
    return head + tuple(olds)


def files_under(asked: str, filed: str) -> bool:
    """Whether a report filed under province `filed` may answer a question that names `asked`.

    A name that only exists since the 2025 merger stands for the province it renamed: "Huế 2023" is
    asked of Thừa Thiên Huế's reports. A merged-into province that existed before ("Ninh Bình") keeps
    its own reports only: its absorbed neighbours reported separately.
    """
    if asked == filed:
        return True
    return asked not in PROVINCES_PRE_2025 and filed in predecessors(asked)
