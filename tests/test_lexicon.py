"""The vocabulary as data (rag/lexicon): what ships loads, a contradiction in it is a clear error, and a
change to it is a data change that re-derives the index."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag.core.errors import BaocaoError, LexiconError
from rag.lexicon import LEXICON_DIR, load_lexicon

RAG = Path(__file__).resolve().parent.parent / "rag"


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def append(folder: Path, name: str, text: str) -> None:
    with (folder / f"{name}.toml").open("a", encoding="utf-8") as f:
        f.write("\n" + text + "\n")


def test_the_shipped_lexicon_loads() -> None:
    lex = load_lexicon()
    assert len(lex.version) == 12
    assert lex.expansions["tthc"] == "thủ tục hành chính"
    assert lex.unit_aliases["trạm bts"] == "trạm" and lex.scales["tỷ"] == 1e9
    assert lex.unit_class_of["%"] == "percent"
    groups = {g.canon: g.words for g in lex.synonyms}
    assert "tham dinh" in groups["chap thuan"]
    assert ("tra truoc", "tra sau") in lex.opposites
    assert "cumulative" in lex.families and "lũy kế" in lex.families["cumulative"]
    assert {"tp", "ths"} <= {a.lower() for a in lex.dotted_abbreviations}
    for ind in lex.indicators:
        assert ind.unit_class in lex.unit_classes and ind.name


def test_a_copy_loads_to_the_same_version(lexicon_copy: Path) -> None:
    assert load_lexicon(lexicon_copy).version == load_lexicon().version
    append(lexicon_copy, "synonyms", '[[group]]\ncanon = "tram goc"\nwords = ["tram goc", "nodeb"]')
    changed = load_lexicon(lexicon_copy)
    assert changed.version != load_lexicon().version
    assert changed.synonyms[-1].words == ("tram goc", "nodeb")


def test_a_duplicate_synonym_is_an_error(lexicon_copy: Path) -> None:
    append(lexicon_copy, "synonyms", '[[group]]\ncanon = "phe duyet moi"\nwords = ["duyet", "cho phep"]')
    with pytest.raises(
        LexiconError, match=r"synonyms\.toml: duplicate synonym 'duyet'.*'chap thuan'.*'phe duyet moi'"
    ):
        load_lexicon(lexicon_copy)


def test_a_contextual_abbreviation_must_say_what_it_means(lexicon_copy: Path) -> None:
    append(lexicon_copy, "abbreviations", '[contextual.vt]\nbefore = ["doanh thu"]')
    with pytest.raises(LexiconError, match=r"abbreviations\.toml: 'contextual\.vt' has no 'means'"):
        load_lexicon(lexicon_copy)


def test_an_unknown_unit_class_is_an_error(lexicon_copy: Path) -> None:
    text = (lexicon_copy / "units.toml").read_text(encoding="utf-8")
    (lexicon_copy / "units.toml").write_text(text.replace('"%" = "percent"', '"%" = "phan tram"'), "utf-8")
    with pytest.raises(LexiconError, match=r"units\.toml: unit '%' has unknown unit class 'phan tram'"):
        load_lexicon(lexicon_copy)


def test_a_measure_must_ask_in_a_known_unit(lexicon_copy: Path) -> None:
    text = (lexicon_copy / "units.toml").read_text(encoding="utf-8")
    (lexicon_copy / "units.toml").write_text(
        text.replace('"công suất" = "W"', '"công suất" = "oát"'), "utf-8"
    )
    with pytest.raises(
        LexiconError, match=r"units\.toml: measure 'công suất' asks in 'oát', which is no unit"
    ):
        load_lexicon(lexicon_copy)


def test_a_density_must_name_a_ratio_indicator(lexicon_copy: Path) -> None:
    text = (lexicon_copy / "indicators.toml").read_text(encoding="utf-8")
    text = text.replace('per_100 = "vienthong.mat_do.internet"', 'per_100 = "vienthong.thuebao.di_dong"', 1)
    (lexicon_copy / "indicators.toml").write_text(text, "utf-8")
    with pytest.raises(
        LexiconError, match=r"'vienthong.thuebao.internet'.per_100 names .*no ratio indicator"
    ):
        load_lexicon(lexicon_copy)


def test_the_parts_of_a_sum_must_be_other_indicators(lexicon_copy: Path) -> None:
    text = (lexicon_copy / "indicators.toml").read_text(encoding="utf-8")
    text = text.replace(
        'parts = ["buuchinh.doanh_thu", "vienthong.doanh_thu"]', 'parts = ["buuchinh.doanh_so"]', 1
    )
    (lexicon_copy / "indicators.toml").write_text(text, "utf-8")
    with pytest.raises(
        LexiconError, match=r"'bcvt.doanh_thu'.parts names 'buuchinh.doanh_so', which is no other"
    ):
        load_lexicon(lexicon_copy)


def test_a_phrase_that_is_no_cue_names_a_known_family(lexicon_copy: Path) -> None:
    text = (lexicon_copy / "cues.toml").read_text(encoding="utf-8")
    (lexicon_copy / "cues.toml").write_text(
        text.replace("[families_not]\nnew =", "[families_not]\nmoi ="), "utf-8"
    )
    with pytest.raises(LexiconError, match=r"cues\.toml: 'families_not\.moi' names no family"):
        load_lexicon(lexicon_copy)


INDICATOR = """[[indicator]]
id = "{id}"
name = "{name}"
names = ["{alias}"]
unit_class = "{cls}"
units = ["trạm"]
kind = "stock"
source = "test"
"""


def test_indicator_entries_are_checked(tmp_path: Path, lexicon_copy: Path) -> None:
    (lexicon_copy / "indicators.toml").write_text("", encoding="utf-8")
    ok = INDICATOR.format(id="x.tram", name="Số trạm thử", alias="trạm thử nghiệm", cls="count")
    append(lexicon_copy, "indicators", ok)
    (ind,) = load_lexicon(lexicon_copy).indicators
    assert ind.id == "x.tram" and ind.all_names == ("Số trạm thử", "trạm thử nghiệm")

    cases = {
        "unknown unit class 'so dem'": INDICATOR.format(id="x.b", name="B", alias="bb", cls="so dem"),
        "duplicate indicator id 'x.tram'": INDICATOR.format(id="x.tram", name="C", alias="cc", cls="count"),
        "'trạm thử nghiệm' is claimed by both 'x.tram' and 'x.d'": INDICATOR.format(
            id="x.d", name="D", alias="Trạm thử nghiệm", cls="count"
        ),
    }
    for message, entry in cases.items():
        bad = tmp_path / f"bad-{len(message)}"
        shutil.copytree(lexicon_copy, bad)
        append(bad, "indicators", entry)
        with pytest.raises(LexiconError, match=re_escape(message)):
            load_lexicon(bad)


def re_escape(s: str) -> str:
    import re

    return re.escape(s)


def test_malformed_or_missing_files_name_the_file(lexicon_copy: Path) -> None:
    append(lexicon_copy, "cues", "percent = [unclosed")
    with pytest.raises(LexiconError, match=r"cues\.toml is not valid UTF-8 TOML"):
        load_lexicon(lexicon_copy)
    (lexicon_copy / "cues.toml").unlink()
    with pytest.raises(LexiconError, match=r"cues\.toml cannot be read") as err:
        load_lexicon(lexicon_copy)
    assert isinstance(err.value, BaocaoError)  # the CLI prints it as one line, no traceback


def test_a_new_synonym_changes_retrieval_and_the_derivation_version(tmp_path: Path) -> None:
    """A synonym added to the data files of an installed baocao takes effect without a code change, and
    the index it built re-derives (the lexicon folder is part of the derivation version)."""
    probe = (
        "import json; from rag.retrieve import tokenize; from rag.index.catalog import derivation_version;"
        "from rag.core.config import load_settings;"
        "print(json.dumps([tokenize('tram goc'), derivation_version(load_settings({}))]))"
    )

    def run(root: Path) -> list:
        out = subprocess.run(
            [sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(root), "PATH": ""},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(out.stdout)

    copy = tmp_path / "pkg"
    shutil.copytree(RAG, copy / "rag", ignore=shutil.ignore_patterns("__pycache__"))
    before = run(copy)
    append(copy / "rag" / "lexicon", "synonyms", '[[group]]\ncanon = "tram bts"\nwords = ["tram goc"]')
    after = run(copy)
    assert "tram_goc" in before[0] and "tram_bts" in after[0]
    assert before[1] != after[1]
