"""The readable gold sets written from report text pass their shared checks (eval/gold/check_gold.py):
JSON with the schema keys, unique ids, documents that exist, evidence verbatim in its document, the answer
printed in its evidence. A set copied in by hand with a broken line fails here, not in a long eval run."""

import contextlib
import io
import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold"


@pytest.mark.parametrize(
    "folder,name",
    [
        ("realdev", "realdev.jsonl"),
        ("realdev2", "realdev2.jsonl"),
        ("realdev3", "realdev3.jsonl"),
        ("realdev4", "realdev4.jsonl"),
        ("realdev5", "realdev5.jsonl"),
    ],
)
def test_a_readable_gold_set_passes_its_checks(folder: str, name: str) -> None:
    sys.path.insert(0, str(GOLD))
    try:
        from check_gold import check_set
    finally:
        sys.path.remove(str(GOLD))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = check_set(str(GOLD / folder), name)
    assert ok, out.getvalue()[-2000:]
