"""The LLM summary path (map over sections, reduce, faithfulness, fallback, cache) against the
deterministic OpenAI-compatible fake server on 127.0.0.1 and a real lexical index of the sample reports."""

from __future__ import annotations

import json
import re
import socket
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_llm_server import is_map_prompt, is_reduce_prompt, running, summary_reply

from rag.core.config import Settings
from rag.index.catalog import resolve_document
from rag.summarize.export import to_json, to_markdown
from rag.summarize.extractive import (
    MAP_TOKENS,
    PROMPT_REDUCE,
    PROMPT_SECTION,
    REDUCE_TOKENS,
    summarize_document,
    summarize_set,
    summary_to_dict,
)
from rag.text.numbers import parse_quantities, same_value
from rag.text.tokens import count_tokens

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"
REPORTS = sorted(p.name for p in CORPUS.glob("*.txt"))
LONG = "namdinh-2024.txt"
FALLBACK_NOTE = "Không gọi được LLM"
CONTEXT_WINDOW = 4096  # the small local models MAP_TOKENS / REDUCE_TOKENS are sized for
MAP_TEXT = re.compile(r"<<<\n(.*)\n>>>", re.S)
LISTED = re.compile(r"^\[(\d+)\] (.+)$", re.M)


@pytest.fixture(scope="module")
def index(sample_index) -> tuple[Path, Settings]:
    settings = sample_index("sumllm")
    return settings.index_dir, settings


def with_llm(base: Settings, url: str, model: str = "fake") -> Settings:
    return replace(base, llm_url=url, llm_model=model, llm_timeout=3)


def dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # nothing listens there once the socket is closed


def listing(reduce_prompt: str) -> dict[int, str]:
    return {int(n): text for n, text in LISTED.findall(reduce_prompt.split("Các ý nguồn:", 1)[1])}


def squash(text: str) -> str:
    return " ".join(text.split())


# --- 1. map, then reduce ---------------------------------------------------------------------------


def test_llm_summary_maps_each_section_batch_then_reduces_once(index) -> None:
    idx, base = index
    doc = resolve_document(idx, LONG)
    with running("summary") as server:
        s = summarize_document(idx, LONG, with_llm(base, server.url), use_cache=False)
        prompts = server.prompts
        requests = list(server.requests)
    maps, reduce = prompts[:-1], prompts[-1]
    assert len(maps) >= 2 and all(is_map_prompt(p) for p in maps), "one map request per section batch"
    assert is_reduce_prompt(reduce) and not any(is_reduce_prompt(p) for p in maps), "exactly one reduce, last"
    assert all(r["model"] == "fake" for r in requests)

    # Each map request carries one contiguous, verbatim piece of the report, in document order and
    # without overlap, labelled with the top-level section it comes from.
    pos, labels = 0, []
    for p in maps:
        text = MAP_TEXT.search(p).group(1)
        at = doc.text.find(text, pos)
        assert at >= pos, "a map batch is not the report's own text, in order"
        label = re.search(r"^Phần: (.*)$", p, re.M).group(1)
        assert doc.text.rfind(label, 0, at + 1) != -1, f"batch labelled {label!r} precedes its heading"
        labels.append(label)
        pos = at + len(text)
    assert labels.count(labels[0]) >= 2, "the long results section is split into several batches"

    assert s.method == "llm:fake"
    assert s.prompt_ids == (PROMPT_SECTION, PROMPT_REDUCE) == ("summary_section.v1", "summary_reduce.v1")
    assert not s.notes
    d = summary_to_dict(s)
    assert d["method"] == "llm:fake" and list(d["prompt_ids"]) == ["summary_section.v1", "summary_reduce.v1"]

    # The key points are the reduce step's output: the fake restates listed bullets 1..7 verbatim.
    listed = listing(reduce)
    assert [p.text for p in s.key_points] == [listed[n] for n in sorted(listed)[:7]]
    for p in s.key_points:
        assert p.citation is not None and p.citation.source == LONG
        assert p.status == "verified"


# --- 2. token budget -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_no_request_exceeds_the_token_budget(index, name: str) -> None:
    idx, base = index
    with running("summary") as server:
        server.map_bullets = 100  # a verbose model: the reduce listing must be cut to its budget
        s = summarize_document(idx, name, with_llm(base, server.url), use_cache=False)
        prompts, requests = server.prompts, list(server.requests)
        mapped = sum(
            len(summary_reply(p, server).splitlines()) for p in prompts if is_map_prompt(p)
        )  # the bullets the server answered (all verbatim, so all pass the map check)
    assert s.method == "llm:fake", s.notes
    for p, r in zip(prompts, requests, strict=True):
        n = count_tokens(p)
        if is_map_prompt(p):
            assert n <= MAP_TOKENS, f"map prompt of {n} tokens"
        else:
            assert is_reduce_prompt(p)
            assert n <= REDUCE_TOKENS, f"reduce prompt of {n} tokens"
        assert n + r["max_tokens"] <= CONTEXT_WINDOW
    if name == LONG:
        assert sum(count_tokens(p) for p in prompts if is_map_prompt(p)) > 2 * MAP_TOKENS
        assert len(listing(prompts[-1])) < mapped, "the reduce listing was not cut to REDUCE_TOKENS"


# --- 3. faithfulness ----------------------------------------------------------------------------------


FABRICATED_MAP = "- Tổng doanh thu toàn ngành năm 2024 đạt 8.765 tỷ đồng."
FABRICATED_REDUCE = "- Doanh thu dịch vụ viễn thông đạt 9.876 tỷ đồng, tăng 35,4% so với năm trước [1]"
TAMPER = ", tăng 77,7% so với cùng kỳ"


def test_a_number_not_in_the_cited_source_is_dropped_and_the_rest_kept(index) -> None:
    idx, base = index
    doc = resolve_document(idx, LONG)
    for invented in ("8.765", "9.876", "35,4", "77,7"):
        assert invented not in doc.text
    with running("summary") as server:
        summarize_document(idx, LONG, with_llm(base, server.url), use_cache=False)
        clean_listing = listing(server.prompts[-1])
    # a listed bullet holding a real figure, within the 7 the fake restates
    k = next(n for n in sorted(clean_listing)[:7] if parse_quantities(clean_listing[n]))
    with running("summary") as server:
        server.map_extra = [FABRICATED_MAP]
        server.reduce_extra = [f"- {{{k}}}{TAMPER} [{k}]", FABRICATED_REDUCE]
        s = summarize_document(idx, LONG, with_llm(base, server.url), use_cache=False)
        prompts = server.prompts
    assert s.method == "llm:fake"
    # the map step's invented bullet never reaches the reduce step
    assert all("8.765" not in p for p in prompts[1:] if is_reduce_prompt(p))
    assert listing(prompts[-1]) == clean_listing

    tampered = f"{clean_listing[k]}{TAMPER}"
    fabricated = FABRICATED_REDUCE[2:].removesuffix(" [1]")
    texts = [p.text for p in s.key_points]
    assert clean_listing[k] in texts, "the verbatim bullet with real figures is kept"
    assert tampered not in texts and fabricated not in texts
    assert tampered in s.faithfulness["dropped"] and fabricated in s.faithfulness["dropped"]
    assert s.faithfulness["score"] == 1.0 and s.faithfulness["text_numbers_total"] > 0
    # never shown as fact: only the faithfulness audit (the list of dropped sentences) names them
    exported = to_json(s)
    exported.pop("faithfulness")
    shown = to_markdown(s) + json.dumps(exported, ensure_ascii=False)
    for invented in ("8.765", "9.876", "35,4", "77,7"):
        assert invented not in shown

    # every number a kept LLM point states is printed in its cited passage and listed as a figure
    # with its source, in the Summary and in its JSON
    data = summary_to_dict(s)
    all_figures = {(f["source"], f["start"], f["end"]) for f in to_json(s)["figures"]}
    n_numbers = 0
    for p, pd in zip(s.key_points, data["key_points"], strict=True):
        cited = squash(doc.text[p.citation.start : p.citation.end])
        for q in parse_quantities(p.text):
            n_numbers += 1
            assert re.match(r"[\d.,]+", q.raw).group() in cited, (q.raw, p.text)
            fig = next(
                f
                for f in pd["figures"]
                if same_value(q.value, q.unit, f["value"], f["unit"], a_scale=q.scale, b_scale=f["scale"])
            )
            assert fig["source"] == LONG and fig["text"] in fig["quote"]
            assert doc.text[fig["start"] : fig["end"]] == fig["text"]
            assert p.citation.start <= fig["start"] < p.citation.end
            assert (LONG, fig["start"], fig["end"]) in all_figures
    assert n_numbers >= 3


# --- 4. fallback ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractive(index):
    idx, base = index
    return summarize_document(idx, "travinh-2022-10.txt", base, use_cache=False)


@pytest.mark.parametrize(
    "mode, attrs",
    [
        ("unreachable", {}),
        ("http_garbage", {}),  # bytes that are not HTTP
        ("http_500", {}),
        ("not_json", {}),
        ("bad_shape", {}),  # JSON without "choices"
        ("nonsense", {}),  # prose, no bullets: no section summary
        ("summary", {"reduce_points": 0}),  # map fine, reduce says nothing usable
        ("summary", {"reduce_points": 0, "reduce_extra": [FABRICATED_REDUCE]}),  # reduce only invents
    ],
)
def test_unusable_llm_falls_back_to_the_extractive_summary(index, extractive, mode: str, attrs) -> None:
    idx, base = index
    if mode == "unreachable":
        s = summarize_document(idx, "travinh-2022-10.txt", with_llm(base, dead_url()), use_cache=False)
    else:
        with running(mode) as server:
            for k, v in attrs.items():
                setattr(server, k, v)
            s = summarize_document(idx, "travinh-2022-10.txt", with_llm(base, server.url), use_cache=False)
            assert server.requests, "the model was not asked"
    assert s.method == "extractive" and s.prompt_ids == ()
    assert len(s.notes) == 1 and s.notes[0].startswith(FALLBACK_NOTE)
    assert s.key_points == extractive.key_points
    assert s.indicators == extractive.indicators
    assert all("9.876" not in p.text for p in s.key_points)


def test_cli_summarize_with_a_broken_server_prints_the_extractive_summary(index) -> None:
    from rag.cli import cli

    idx, _ = index
    with running("http_garbage") as server:
        res = CliRunner().invoke(
            cli,
            ["--index", str(idx), "--embedder", "none", "summarize", "--doc", LONG, "--no-cache"],
            env={"BAOCAO_LLM_URL": server.url, "BAOCAO_LLM_MODEL": "cli-fake", "BAOCAO_LLM_TIMEOUT": "3"},
        )
    assert res.exit_code == 0, res.output
    assert res.exception is None and "Traceback" not in res.output
    assert "## Những điểm chính" in res.output


# --- 5. cache --------------------------------------------------------------------------------------


def test_cache_is_keyed_by_document_prompt_and_model(index) -> None:
    idx, base = index
    doc = "ninhthuan-2021-02.txt"
    with running("summary") as server:
        a = summarize_document(idx, doc, with_llm(base, server.url, "cache-a"))
        n = len(server.requests)
        assert n >= 2 and a.method == "llm:cache-a"
        again = summarize_document(idx, doc, with_llm(base, server.url, "cache-a"))
        assert len(server.requests) == n, "same (document, prompts, model): served from the cache"
        assert again == a
        b = summarize_document(idx, doc, with_llm(base, server.url, "cache-b"))
        assert len(server.requests) > n, "another model must be asked"
        assert {r["model"] for r in server.requests[n:]} == {"cache-b"}
        assert b.method == "llm:cache-b"
        m = len(server.requests)
        summarize_document(idx, doc, with_llm(base, server.url, "cache-a"))
        plain = summarize_document(idx, doc, base)
        assert len(server.requests) == m
    assert plain.method == "extractive" and plain.key_points != a.key_points


def test_a_fallback_is_not_cached_under_the_model_key(index) -> None:
    idx, base = index
    doc = "namdinh-2021-08.txt"
    down = summarize_document(idx, doc, with_llm(base, dead_url(), "cache-down"))
    assert down.method == "extractive" and down.notes[0].startswith(FALLBACK_NOTE)
    with running("summary") as server:
        up = summarize_document(idx, doc, with_llm(base, server.url, "cache-down"))
        assert server.requests, "the outage's fallback was served from the cache"
    assert up.method == "llm:cache-down" and not up.notes


def test_set_summary_cache_is_keyed_by_model(index) -> None:
    idx, base = index
    plain = summarize_set(idx, base, province="Nam Định")
    assert plain.method == "extractive"
    with running("summary") as server:
        s = summarize_set(idx, with_llm(base, server.url, "set-a"), province="Nam Định")
        n = len(server.requests)
        assert n > 0 and s.method == "llm:set-a" and s.prompt_ids == (PROMPT_SECTION, PROMPT_REDUCE)
        assert summarize_set(idx, with_llm(base, server.url, "set-a"), province="Nam Định") == s
        assert len(server.requests) == n
