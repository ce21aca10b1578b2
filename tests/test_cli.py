"""The `baocao` command end to end: CliRunner for the commands, the installed console script for
error handling (one line, no traceback) and a fast --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
BTS_Q = "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?"
BAOCAO = Path(sys.executable).parent / "baocao"
COMMANDS = ["ingest", "embed", "list", "remove", "ask", "indicators"]


def run(index: Path, *args: str):
    result = CliRunner().invoke(cli, ["--index", str(index), "--embedder", "none", *args])
    return result


def script(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = str(BAOCAO) if BAOCAO.exists() else None
    cmd = [exe, *args] if exe else [sys.executable, "-m", "rag.cli", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli") / "index"
    r = run(d, "ingest", str(CORPUS))
    assert r.exit_code == 0, r.output
    return d


def test_ingest_prints_a_summary(tmp_path: Path) -> None:
    r = run(tmp_path / "idx", "ingest", str(CORPUS))
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("ingest:"))
    assert "4 added" in line and "0 failed" in line and "chunks" in line
    # the lexical tables are built by the ingest, so the next `ask` or `serve` only reads them
    assert "lexical tables ready" in r.output
    assert len(list((tmp_path / "idx" / "lexical").glob("*/chunk_ids.sha256"))) == 1
    # one more report is scored beside the saved tables at the next start: nothing rebuilt now
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "extra.txt").write_text(
        (CORPUS / "ninhthuan-2021-02.txt").read_text(encoding="utf-8").replace("1.904", "1.905"), "utf-8"
    )
    more = run(tmp_path / "idx", "ingest", str(tmp_path / "more"))
    assert more.exit_code == 0 and "1 added" in more.output and "lexical tables ready" not in more.output
    assert len(list((tmp_path / "idx" / "lexical").glob("*/chunk_ids.sha256"))) == 1
    run(tmp_path / "idx", "remove", "extra.txt")
    again = run(tmp_path / "idx", "ingest", str(CORPUS))
    assert again.exit_code == 0 and "4 unchanged" in again.output
    js = run(tmp_path / "idx", "ingest", "--json", str(CORPUS))
    assert js.exit_code == 0
    data = json.loads(js.output)
    assert sorted(data["unchanged"]) == sorted(p.name for p in CORPUS.glob("*.txt"))


def test_list_shows_provinces_and_periods(index: Path) -> None:
    r = run(index, "list")
    assert r.exit_code == 0, r.output
    for text in (
        "Nam Định",
        "Ninh Thuận",
        "Trà Vinh",
        "2024",
        "2021-08",
        "2021-02",
        "2022-10",
        "namdinh-2024.txt",
    ):
        assert text in r.output
    assert "4 reports" in r.output
    data = json.loads(run(index, "list", "--json").output)
    assert data["status"]["documents"] == 4
    assert {d["province"] for d in data["documents"]} == {"Nam Định", "Ninh Thuận", "Trà Vinh"}


def test_ask_prints_146_and_the_source(index: Path) -> None:
    r = run(index, "ask", BTS_Q)
    assert r.exit_code == 0, r.output
    assert "146" in r.output
    assert "namdinh-2024.txt" in r.output
    first_answer = next(x for x in r.output.splitlines() if "146" in x)
    assert "vị trí" in first_answer


def test_ask_json_has_the_stable_keys(index: Path) -> None:
    r = run(index, "ask", "--json", BTS_Q)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    keys = {
        "question",
        "filters",
        "passages",
        "status",
        "text",
        "value",
        "unit",
        "citations",
        "alternatives",
        "prompt_id",
    }
    assert keys <= set(data)
    assert data["value"] == 146 and data["status"] == "answered"
    assert set(data["passages"][0]) >= {"chunk_id", "source", "section", "text", "score"}
    assert data["passages"][0]["source"] == "namdinh-2024.txt"


def test_ask_with_flags(index: Path) -> None:
    r = run(
        index,
        "ask",
        "--json",
        "--province",
        "Nam Định",
        "--period",
        "2024",
        "--k",
        "3",
        "thẩm định bao nhiêu vị trí BTS?",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["filters"]["provinces"] == ["Nam Định"] and data["filters"]["periods"] == ["2024"]
    assert len(data["passages"]) == 3
    assert data["value"] == 146


def test_remove(tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    assert run(idx, "ingest", str(CORPUS)).exit_code == 0
    r = run(idx, "remove", "ninhthuan-2021-02.txt")
    assert r.exit_code == 0, r.output
    assert "removed ninhthuan-2021-02.txt" in r.output
    listing = run(idx, "list").output
    assert "ninhthuan-2021-02.txt" not in listing and "3 reports" in listing
    again = run(idx, "remove", "ninhthuan-2021-02.txt")
    assert again.exit_code != 0


def test_embed_with_hash_embedder(tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    runner = CliRunner()
    r = runner.invoke(
        cli, ["--index", str(idx), "--embedder", "hash", "ingest", str(CORPUS / "namdinh-2024.txt")]
    )
    assert r.exit_code == 0, r.output
    assert "embed:" in r.output
    r2 = runner.invoke(cli, ["--index", str(idx), "--embedder", "hash", "embed"])
    assert r2.exit_code == 0 and r2.output.startswith("embed: 0 chunks embedded")
    r3 = runner.invoke(cli, ["--index", str(idx), "--embedder", "hash", "embed", "--rebuild"])
    assert r3.exit_code == 0 and "embed: 0 chunks" not in r3.output


# --- errors through the real console script --------------------------------------------------------------


def _one_line_error(p: subprocess.CompletedProcess) -> None:
    assert p.returncode != 0
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout
    assert "internal error" not in p.stderr


def test_ingest_of_a_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    p = script(
        "--index", str(tmp_path / "idx"), "--embedder", "none", "ingest", str(tmp_path / "nope"), cwd=tmp_path
    )
    _one_line_error(p)
    lines = [x for x in p.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "nope" in lines[0]


def test_ingest_of_an_empty_file_fails_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    p = script("--index", str(tmp_path / "idx"), "--embedder", "none", "ingest", str(empty), cwd=tmp_path)
    _one_line_error(p)
    out = p.stdout + p.stderr
    failed = [x for x in out.splitlines() if "empty.txt" in x]
    assert failed and ("failed" in failed[0] or "error" in failed[0])
    assert "empty" in failed[0]


def test_ask_without_an_index_is_a_one_line_error(tmp_path: Path) -> None:
    p = script("--index", str(tmp_path / "none-here"), "--embedder", "none", "ask", BTS_Q, cwd=tmp_path)
    _one_line_error(p)
    assert p.stderr.startswith("error:") and "baocao ingest" in p.stderr


def test_help_of_every_command_works_and_is_fast(tmp_path: Path) -> None:
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    for cmd in COMMANDS:
        assert cmd in top.output
        r = runner.invoke(cli, [cmd, "--help"])
        assert r.exit_code == 0, (cmd, r.output)
        assert "Usage:" in r.output
    t0 = time.perf_counter()
    p = script("--help", cwd=tmp_path)
    elapsed = time.perf_counter() - t0
    assert p.returncode == 0 and "ingest" in p.stdout
    assert elapsed < 5, f"`baocao --help` took {elapsed:.1f}s"
    # The heavy libraries stay unloaded for --help.
    code = (
        "import sys; from click.testing import CliRunner; from rag.cli import cli; "
        "CliRunner().invoke(cli, ['ask', '--help']); "
        "print(sorted(m for m in ('chromadb', 'bm25s', 'llama_index', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_index_after_the_subcommand_is_the_same_as_before_it(index: Path, tmp_path: Path) -> None:
    """`baocao ask "…" --index X` is how people type it; every subcommand takes it there."""
    after = CliRunner().invoke(cli, ["--embedder", "none", "ask", BTS_Q, "--json", "--index", str(index)])
    assert after.exit_code == 0, after.output
    assert json.loads(after.output)["value"] == 146
    listed = CliRunner().invoke(cli, ["list", "--index", str(index)])
    assert listed.exit_code == 0 and "namdinh-2024.txt" in listed.output
    # ingest, embed, remove, summarize, serve and the user commands take it too
    for cmd in (
        ["ingest"],
        ["embed"],
        ["remove"],
        ["summarize"],
        ["serve"],
        ["user", "add"],
        ["user", "list"],
    ):
        h = CliRunner().invoke(cli, [*cmd, "--help"])
        assert "--index" in h.output, cmd
    users = tmp_path / "uidx"
    r = CliRunner().invoke(cli, ["user", "add", "an", "--password", "pw-123456", "--index", str(users)])
    assert r.exit_code == 0, r.output
    assert (users / "users.json").is_file()


@pytest.mark.parametrize("k", ["0", "-5"])
def test_ask_rejects_k_below_one(index: Path, k: str) -> None:
    r = run(index, "ask", BTS_Q, "--k", k)
    assert r.exit_code == 2
    assert "--k" in r.output and ">=1" in r.output.replace(" ", "")


def test_an_internal_error_is_logged_in_the_index_given_after_the_subcommand(tmp_path: Path) -> None:
    """The traceback of a bug goes to INDEX/logs of the index in use, not ./index/logs of the cwd."""
    code = (
        "import sys, rag.cli as c\n"
        "@c.cli.command('boom')\n"
        "@c.index_option\n"
        "@c.click.pass_context\n"
        "def boom(ctx):\n"
        "    c._settings(ctx)\n"
        "    raise RuntimeError('kaboom')\n"
        "sys.argv = ['baocao', 'boom', '--index', sys.argv[1]]\n"
        "c.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOCAO_")}
    idx = tmp_path / "elsewhere"
    p = subprocess.run(
        [sys.executable, "-c", code, str(idx)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert p.returncode == 2 and "internal error: RuntimeError: kaboom" in p.stderr
    assert "Traceback" not in p.stderr
    assert "kaboom" in (idx / "logs" / "last-error.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "index").exists()


def test_indicators_lists_the_figures_the_app_lists(index: Path) -> None:
    """`baocao indicators` goes through the same service as the app's Chỉ số tab."""
    from rag.core.config import Settings
    from rag.service import Backend

    r = run(index, "indicators", "--province", "nam dinh", "--period", "2024", "--search", "BTS", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and all(x["Tỉnh"] == "Nam Định" and x["Kỳ"] == "2024" for x in rows)
    assert any(x["Giá trị"] == 146 for x in rows)
    same = Backend(Settings(index_dir=index, embedder="none"), eval_sets={}).indicators(
        province="Nam Định", period="2024", search="BTS"
    )
    assert rows == json.loads(json.dumps(same, ensure_ascii=False))
    csv_out = run(index, "indicators", "--search", "BTS", "--csv")
    assert csv_out.exit_code == 0 and csv_out.output.startswith("\ufeffTỉnh,Kỳ,Báo cáo")
    assert len(csv_out.output.strip().splitlines()) >= len(rows) + 1
    book = index.parent / "bts.xlsx"
    x = run(index, "indicators", "--indicator", "vienthong.bts", "--xlsx", str(book))
    assert x.exit_code == 0, x.output
    import openpyxl

    sheet = openpyxl.load_workbook(book).active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Nguồn" and "Mã chỉ tiêu" in header
    ids = [r[header.index("Mã chỉ tiêu")].value for r in sheet.iter_rows(min_row=2)]
    assert ids and all(i.startswith("vienthong.bts.") for i in ids)
    assert all(r[-1].value.split(" › ")[0].endswith(".txt") for r in sheet.iter_rows(min_row=2))
    bad = run(index, "indicators", "--province", "Atlantis")
    assert bad.exit_code == 1 and "unknown province" in str(bad.exception)
