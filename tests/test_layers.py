"""The package's layers: imports point one way (core <- text <- ingest <- index <- retrieve <- figures <- answer <-
summarize <- evaluation <- service <- front ends), and no module imports itself back through others.
Read from the source with `ast`, every import counted (those inside functions too), except imports made
only for type checking."""

from __future__ import annotations

import ast
from pathlib import Path

RAG = Path(__file__).resolve().parent.parent / "rag"

LAYERS = {
    "rag.core": 0,
    "rag.lexicon": 0.5,
    "rag.text": 1,
    "rag.ingest": 2,
    "rag.index": 3,
    "rag.retrieve": 4,
    "rag.figures": 4.5,
    "rag.answer": 5,
    "rag.summarize": 6,
    "rag.evaluation": 7,
    "rag.background": 8,
    "rag.users": 8,
    "rag.service": 8,
    "rag.cli": 9,
    "rag.ui": 9,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(RAG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer(module: str) -> int | None:
    best = None
    for prefix, rank in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, rank)
    return best[1] if best else None


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; the package imports by absolute name"
            if node.module and node.module.startswith("rag"):
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("rag"))
    return out


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in RAG.rglob("*.py")}


def test_every_module_has_a_layer() -> None:
    assert [m for m in graph() if m != "rag" and layer(m) is None] == []


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{mod} (layer {layer(mod)}) imports {dep} (layer {layer(dep)})"
        for mod, deps in graph().items()
        for dep in deps
        if mod != "rag" and layer(dep) is not None and layer(dep) > layer(mod)
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    g = graph()
    known = set(g)

    def target(dep: str) -> str:
        while dep not in known and "." in dep:
            dep = dep.rsplit(".", 1)[0]
        return dep

    edges = {m: {target(d) for d in deps if target(d) != m and target(d) in known} for m, deps in g.items()}
    # a package's __init__ importing nothing keeps packages out of the cycles
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for d in sorted(edges[m]):
            if state.get(d) == 1:
                cycles.append([*stack[stack.index(d) :], d] if d in stack else [m, d])
            elif d not in state:
                visit(d, [*stack, d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The rule can fail: a core module importing the answerer is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from rag.answer.asker import Asker\n", encoding="utf-8")
    (dep,) = imports_of(bad)
    assert layer(dep) > layer("rag.core.types")


def test_the_wheel_carries_the_prompts_and_lexicon_and_not_the_tools(tmp_path: Path) -> None:
    """`pip install baocao` must find its prompts and vocabulary (package data) and not ship the corpus generator."""
    import subprocess
    import sys
    import zipfile

    root = RAG.parent
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(root),
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("baocao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    prompts = {p.name for p in (RAG / "prompts").glob("*.md")}
    assert prompts and {f"rag/prompts/{p}" for p in prompts} <= set(names)
    lexicon = {p.name for p in (RAG / "lexicon").glob("*.toml")}
    assert lexicon and {f"rag/lexicon/{p}" for p in lexicon} <= set(names)
    assert not [n for n in names if n.startswith("tools/") or n.startswith("tests/")]
    assert "rag/answer/asker.py" in names and "rag/index/adapters/chroma_store.py" in names
