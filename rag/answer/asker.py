"""From a question to an `Answer`: understand it (`rag.answer.understand`), retrieve, score the numbers of the
passages (`rag.answer.candidates`), then answer, abstain, or call it ambiguous (`rag.answer.decide`).

The default answerer is extractive and deterministic: below a calibrated score it abstains ("not found",
with the closest figures shown); when a different figure scores within a margin of the best it shows
both and states neither. An LLM, when configured, may answer instead, but its answer is kept only if its
quote is in the cited passage and its number is in the quote (see `rag.answer.llm`).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from rag.answer.candidates import Candidate, MentionsByChunk, candidate_features, score_candidates
from rag.answer.decide import Decision, decide, same_figure
from rag.answer.understand import (
    QuestionInfo,
    asks_growth,
    compares,
    families_in,
    strip_comparison,
    understand,
)
from rag.core.config import Settings
from rag.core.types import Alternative, Answer, AnswerStatus, Citation, Filters, Hit, Mention
from rag.retrieve import Retriever
from rag.text.indicators import graded

# The threshold and margin of `rag.answer.decide` are fitted on this many passages: the answerer scores
# exactly these.
N_PASSAGES = 8


@dataclass
class AskResult:
    answer: Answer
    info: QuestionInfo
    hits: list[Hit] = field(default_factory=list)  # the passages shown with the answer


# --- answer assembly ----------------------------------------------------------------------------------


def _citation(c: Candidate) -> Citation:
    """The mention's clause as the quote, its span in the document: the part of the clause inside the
    chunk when the clause runs past the chunk's border, so that text[start:end] is always the quote."""
    m, chunk = c.mention, c.hit.chunk
    clause = m.clause
    at = clause.find(m.quantity.raw)
    start = m.start - at if at >= 0 else m.start
    lo, hi = max(start, chunk.start), min(start + len(clause), chunk.end)
    raw = chunk.text[lo - chunk.start : hi - chunk.start]
    if at < 0 or raw != clause[lo - start : hi - start]:
        lo, hi, raw = m.start, m.end, chunk.text[m.start - chunk.start : m.end - chunk.start]
    stripped = raw.strip()
    lo += len(raw) - len(raw.lstrip())
    return Citation(chunk.chunk_id, chunk.source, chunk.section_path, stripped, lo, lo + len(stripped))


def _alternative(c: Candidate) -> Alternative:
    from rag.text.numbers import format_quantity

    q = c.mention.quantity
    return Alternative(
        value=q.value,
        unit=q.unit,
        scale=q.scale,
        text=format_quantity(q.value, q.unit, q.scale),
        context=c.local[-140:],
        chunk_id=c.hit.chunk.chunk_id,
        source=c.hit.chunk.source,
        score=round(c.score, 3),
    )


def extractive_answer(
    info: QuestionInfo,
    hits: list[Hit],
    mentions: MentionsByChunk,
    idf: dict[str, float],
    part: bool = False,
    cell: bool = False,
) -> Answer:
    """`part`: one part of a combined question (see `Asker.answer_part`); `cell`: one cell of a table
    (see `Asker.answer_cell`)."""
    decision = decide(score_candidates(info, hits, mentions, idf), info, part=part, cell=cell)
    return answer_from(info, decision)


def answer_from(info: QuestionInfo, decision: Decision) -> Answer:
    """The user's answer for a decision: the figure with its source and the figures of its passage it
    is not; both figures when ambiguous; the closest figures when not found."""
    from rag.text.numbers import format_quantity

    cands, best, other = decision.candidates, decision.best, decision.other
    if decision.status == AnswerStatus.NOT_FOUND:
        near = [_alternative(c) for c in cands[:3]]
        return Answer(
            question=info.text,
            status=AnswerStatus.NOT_FOUND,
            text="Không tìm thấy số liệu này trong các báo cáo đã nạp."
            + (" Các số liệu gần nhất được báo cáo là bên dưới." if near else ""),
            alternatives=tuple(near),
            interpretation=info.to_dict(),
        )
    assert best is not None
    if decision.status == AnswerStatus.AMBIGUOUS:
        assert other is not None
        if decision.reason == "conflict":
            return _conflict(info, best, other)
        return _ambiguous(info, best, other)
    q = best.mention.quantity
    rejected = []
    kept = [best]
    for c in cands[1:]:
        if c.hit.chunk.chunk_id != best.hit.chunk.chunk_id or any(same_figure(c, k) for k in kept):
            continue  # "30,5 tỷ đồng" is never "not 30.500 triệu đồng"
        kept.append(c)
        rejected.append(_alternative(c))
        if len(rejected) >= 4:
            break
    shown = format_quantity(q.value, q.unit, q.scale)
    where = best.hit.chunk.source
    text = f"{shown}. Theo {where} ({best.hit.chunk.section_path or 'phần đầu'}): “{best.mention.clause.strip()}”"
    if rejected:
        text += "\nKhông phải: " + "; ".join(f"{a.text} ({_short(a.context or '')})" for a in rejected[:3])
    return Answer(
        question=info.text,
        status=AnswerStatus.ANSWERED,
        text=text,
        value=q.value,
        unit=q.unit,
        scale=q.scale,
        citations=(_citation(best),),
        alternatives=tuple(rejected),
        interpretation={**info.to_dict(), "features": best.features},
    )


def _conflict(info: QuestionInfo, best: Candidate, other: Candidate) -> Answer:
    """One report, two values for one indicator: both shown with their sentences, neither stated."""
    return _two_figures(
        info,
        best,
        other,
        f"Báo cáo {best.hit.chunk.source} nêu hai số liệu khác nhau cho cùng chỉ tiêu này; "
        "cần đối chiếu với đơn vị báo cáo:",
        meta={"conflict": "one report gives two different figures for this indicator"},
    )


def _ambiguous(info: QuestionInfo, best: Candidate, rival: Candidate) -> Answer:
    """Two different figures fit the question equally well: show both, state neither."""
    return _two_figures(
        info,
        best,
        rival,
        "Có hai số liệu cùng khớp với câu hỏi; hãy nói rõ hơn (chỉ tiêu, kỳ báo cáo) để chọn:",
    )


def _two_figures(
    info: QuestionInfo, best: Candidate, other: Candidate, heading: str, meta: dict[str, Any] | None = None
) -> Answer:
    options = [_alternative(best), _alternative(other)]
    lines = [f"- {o.text} — {o.source}: “{_short(o.context or '', 120)}”" for o in options]
    return Answer(
        question=info.text,
        status=AnswerStatus.AMBIGUOUS,
        text=heading + "\n" + "\n".join(lines),
        citations=(_citation(best), _citation(other)),
        alternatives=tuple(options),
        interpretation={**info.to_dict(), "features": best.features},
        **({"meta": meta} if meta else {}),
    )


def _short(context: str, n: int = 60) -> str:
    context = context.replace("⟨", "").replace("⟩", "")
    return context if len(context) <= n else "…" + context[-n:]


# --- the asker: one warm object per index, used by the CLI, the app and the eval ------------------------


@dataclass(frozen=True)
class _Held:
    """What an index holds that reading a question needs: its words and two-word sequences (typing
    slips, `rag.text.spelling`) and its provinces (initials, `rag.text.gazetteer.provinces_by_initials`)."""

    version: int
    words: frozenset[str]
    pairs: frozenset[str]
    provinces: frozenset[str]


@dataclass
class Asker:
    settings: Settings
    retriever: Retriever
    _mentions: MentionsByChunk = field(default_factory=dict)  # rag.index.catalog.MentionStore once refreshed
    _version: int = -1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _held_now: _Held | None = None

    @classmethod
    def open(cls, settings: Settings, embedder: Any = None, reload_interval: float = 0.0) -> Asker:
        """`reload_interval`: see `Retriever` (the app sets it; the CLI and tests read their own writes)."""
        retriever = Retriever.open(settings, embedder=embedder, reload_interval=reload_interval)
        return cls(settings=settings, retriever=retriever)

    def refresh(self) -> None:
        """Reload the index if another process changed it. Safe from several threads (the app answers
        its users concurrently): one reloads, and the mentions are swapped in whole."""
        self.retriever.refresh()
        if self._version == self.retriever.version:
            return
        from rag.index.catalog import MentionStore

        with self._lock:
            version = self.retriever.version
            if self._version == version:
                return
            # read from the catalog as chunks are asked about: a new store for a new version
            self._mentions = MentionStore(self.retriever.index_dir)
            self._version = version

    @property
    def mentions(self) -> MentionsByChunk:
        """The figures of the index by chunk id (`.get(chunk_id, default)`), as of the last `refresh`."""
        return self._mentions

    def understand(
        self, question: str, province: str | None = None, period: str | None = None, doc: str | None = None
    ) -> QuestionInfo:
        """The question as `ask` reads it, with the caller's filters (a province, a period, a report)."""
        from rag.text.gazetteer import canonical_province, suggest_provinces
        from rag.text.periods import normalise_period

        question = self.spell(question)
        extra_p: tuple[str, ...] = () if province else self._provinces_by_initials(question)
        if province:
            canon = canonical_province(province)
            if canon is None:
                from rag.core.errors import UnknownProvinceError

                hint = ", ".join(suggest_provinces(province))
                raise UnknownProvinceError(
                    f"unknown province {province!r}" + (f"; did you mean {hint}?" if hint else "")
                )
            extra_p = (canon,)
        extra = Filters(
            provinces=extra_p,
            periods=(normalise_period(period),) if period else (),
            doc_ids=(self._doc_id(doc),) if doc else (),
        )
        return self._in_the_report_named(self._mid_year_as_the_item_after(understand(question, extra)))

    def _named_report_missing(self, info: QuestionInfo) -> QuestionInfo | None:
        """The question as naming a report of its province that the index does not hold (no report of
        the province is of the period named: the annual report holds the January report's tasks no more
        than the February one does), or None."""
        if not info.report_named or len(info.filters.provinces) != 1 or info.filters.doc_ids:
            return None
        if self._reports_of(info.filters, info.report_named):
            return None
        return replace(info, filters=replace(info.filters, periods=info.report_named))

    def _reports_of(self, filters: Filters, periods: tuple[str, ...]) -> list[str]:
        """The ids of the reports (of the filters' provinces) whose own period is one of `periods`: the
        report named, not one that merely covers its months."""
        held = self.retriever.documents_matching(replace(filters, periods=periods))
        return [d.doc_id for d in held if d.period in periods]

    def _in_the_report_named(self, info: QuestionInfo) -> QuestionInfo:
        """ "cùng kỳ năm 2019 … trong báo cáo tổng hợp năm 2020": the 2019 figure as that report prints it.
        Where the index holds no such report, the question keeps both periods as typed."""
        if not info.reported_in or info.filters.doc_ids:
            return info
        own = self._reports_of(info.filters, info.reported_in)
        if not own:
            periods = tuple(dict.fromkeys((*info.filters.periods, *info.reported_in)))
            return replace(info, filters=replace(info.filters, periods=periods))
        return replace(info, filters=replace(info.filters, doc_ids=tuple(own)))

    def _mid_year_as_the_item_after(self, info: QuestionInfo) -> QuestionInfo:
        """ "giữa năm 2025" reads as the first half (2025-H1). A province with no report of that half
        speaks of it in what it published just after the half ended (July, else August): that item is
        the one asked."""
        from rag.text.gazetteer import fold

        if not re.search(r"\bgiua\s+nam\b", fold(info.text).lower()) or not info.filters.provinces:
            return info
        periods = []
        for p in info.filters.periods:
            if p.endswith("-H1") and not self.retriever.documents_matching(
                replace(info.filters, periods=(p,))
            ):
                # the first item after the half ended: July's, else August's
                after = (f"{p[:4]}-07", f"{p[:4]}-08")
                p = next(
                    (
                        a
                        for a in after
                        if self.retriever.documents_matching(replace(info.filters, periods=(a,)))
                    ),
                    p,
                )
            periods.append(p)
        return replace(info, filters=replace(info.filters, periods=tuple(periods)))

    def _provinces_by_initials(self, question: str) -> tuple[str, ...]:
        """ "ở NĐ năm 2024": the provinces of the index whose initials the question types
        (`rag.text.gazetteer.provinces_by_initials`); in a comparison with those it names in words ("DT
        viễn thông NĐ T8/2021 hơn Ninh Thuận T2/2021"), all of them in the order typed, as a comparison
        pairs each with the period after it. None when the initials add no province."""
        from rag.lexicon import load_lexicon
        from rag.text.gazetteer import initials_at, province_mentions

        lex = load_lexicon()
        blocked = (*lex.not_provinces, *lex.expansions, *lex.shorthand, *lex.contextual)
        typed = initials_at(question, self._held().provinces, blocked)
        named = province_mentions(question)
        if not named:
            return tuple(name for _, name in typed)
        # beside a province named in words, initials count only in a comparison: "Nam Định 2024, NB xử
        # phạt bao nhiêu?" asks Nam Định
        if not {name for _, name in typed} - {canon for _, _, canon in named} or not compares(question):
            return ()
        at = {canon: start for start, _, canon in reversed(named)}
        for start, name in typed:
            at.setdefault(name, start)
        return tuple(sorted(at, key=at.__getitem__))

    def spell(self, question: str) -> str:
        """The question with its typing slips read as the words of the reports they miss ("tnag" ->
        "tang"): see `rag.text.spelling`."""
        from rag.text.spelling import correct_typos

        held = self._held()
        return correct_typos(question, held.words, held.pairs)

    def _held(self) -> _Held:
        """What the index holds that reading a question needs, built once per index version."""
        from rag.text.spelling import known_words

        held = self._held_now
        if held is None or held.version != self.retriever.version:
            idf = self.retriever.idf
            held = _Held(
                version=self.retriever.version,
                words=known_words(t for t in idf if t.isalpha()),
                pairs=frozenset(t for t in idf if "_" in t),
                provinces=frozenset(d.province for d in self.retriever.documents if d.province),
            )
            self._held_now = held
        return held

    @staticmethod
    def combines(info: QuestionInfo) -> bool:
        """Whether `ask` answers the question in parts, one per province or period (`rag.answer.combine`)."""
        return bool(info.operation) and (len(info.filters.provinces) > 1 or len(info.filters.periods) > 1)

    def passages(
        self, info: QuestionInfo, k: int | None = None, timings: dict[str, float] | None = None
    ) -> list[Hit]:
        """The passages `ask` retrieves for a question, best first: `k` (default the settings') and at
        least N_PASSAGES; the first N_PASSAGES are the ones the answerer scores."""
        # a ranking of a year is announced the year after: that year's reports may hold it
        rankings = graded(info.indicators)
        own = self.retriever.own_period_filters(
            info.filters, published_after=bool(rankings) and len(rankings) == len(info.indicators)
        )
        return self.retriever.search(
            info.search_text, own, k=max(k or self.settings.k, N_PASSAGES), timings=timings
        )

    def candidate_features(
        self, info: QuestionInfo, hits: list[Hit]
    ) -> list[tuple[Mention, Hit, dict[str, float], str]]:
        """Every figure of the scored passages with its features, unweighted: what `ask` scores with
        the fitted weights, and what bench/fit_weights.py fits them on."""
        self.refresh()
        return candidate_features(info, hits[:N_PASSAGES], self._mentions, self.retriever.idf)

    def ask(
        self,
        question: str,
        province: str | None = None,
        period: str | None = None,
        doc: str | None = None,
        k: int | None = None,
    ) -> AskResult:
        t0 = time.perf_counter()
        self.refresh()
        info = self.understand(question, province, period, doc)
        t1 = time.perf_counter()
        from rag.answer.across import across_intent, period_report

        spec = across_intent(question, info)
        if spec is not None and spec.kind == "change":
            # A change is computed from the two reports the table would use; with one of them missing, the
            # asked report may print the change itself ("tăng 8% so với năm 2023"): the one-figure
            # answerer reads it. Asked as a growth ("tăng bao nhiêu"), the printed change comes first.
            if not all(period_report(self, info, p) for p in spec.periods):
                spec = None
            elif asks_growth(question):
                printed = self._one_figure(info, k, t0, t1)
                a = printed.answer
                # only a figure printed as a change: a level ("ước đạt 91.500 triệu đồng") is no answer to
                # "tăng bao nhiêu", the two reports' levels are
                if a.status == AnswerStatus.ANSWERED and any(
                    "change" in families_in(c.quote) for c in a.citations[:1]
                ):
                    return printed
        if spec is not None:
            return self._across(info, spec, t0)
        if self.combines(info):
            return self._combined(info, t0)
        return self._one_figure(info, k, t0, t1)

    def _one_figure(self, info: QuestionInfo, k: int | None, t0: float, t1: float) -> AskResult:
        k = k or self.settings.k
        timings: dict[str, float] = {}
        missing = self._named_report_missing(info)
        if missing is not None:
            # "theo báo cáo tháng 1/2024, Hải Dương …": that report is not in the index, and another
            # report's figure is no answer from it
            return AskResult(answer=self._no_report(missing, self.retriever.holdings()), info=info, hits=[])
        hits = self.passages(info, k, timings)
        t2 = time.perf_counter()
        if not hits:
            answer = self._no_report(info, self.retriever.holdings())
        else:
            # The threshold and margin are fitted on N_PASSAGES passages: score exactly those.
            answer = self._answer(info, hits[:N_PASSAGES])
        timings.update(
            understand_ms=(t1 - t0) * 1000,
            answer_ms=(time.perf_counter() - t2) * 1000,
            total_ms=(time.perf_counter() - t0) * 1000,
        )
        answer = replace(answer, timings={k2: round(v, 2) for k2, v in timings.items()})
        shown = hits[:k]
        cited = {c.chunk_id for c in answer.citations}
        shown += [h for h in hits[k:] if h.chunk.chunk_id in cited]  # the cited passage is always shown
        return AskResult(answer=answer, info=info, hits=shown)

    def _answer(self, info: QuestionInfo, hits: list[Hit]) -> Answer:
        extractive = extractive_answer(info, hits, self._mentions, self.retriever.idf)
        if self.settings.uses_llm:
            from rag.answer.llm import llm_answer, note_fallback
            from rag.core.errors import LLMError

            try:
                got = llm_answer(info, hits, self.settings, extractive)
            except LLMError as exc:
                # Said on the answer, not swallowed: a user who set BAOCAO_LLM_URL must be able to see
                # that no model answered.
                return replace(
                    extractive, meta={**extractive.meta, "llm_fallback": note_fallback(self.settings, exc)}
                )
            if got is not None:
                return got
            return replace(
                extractive,
                meta={
                    **extractive.meta,
                    "llm_fallback": "the model gave no answer grounded in the sources; extractive answer shown",
                },
            )
        return extractive

    def _doc_id(self, ref: str) -> str:
        from rag.index.catalog import resolve_document

        return resolve_document(self.retriever.index_dir, ref).doc_id

    def _no_report(self, info: QuestionInfo, holdings: dict[str, list[str]]) -> Answer:
        from rag.text.periods import describe_period

        asked = []
        if info.filters.provinces:
            asked.append(", ".join(info.filters.provinces))
        if info.filters.periods:
            asked.append(", ".join(describe_period(p) for p in info.filters.periods))
        held = "; ".join(holdings.get("reports", [])[:12]) or "chưa có báo cáo nào"
        text = (
            f"Không có báo cáo nào cho {' '.join(asked) or 'yêu cầu này'} trong chỉ mục. "
            f"Chỉ mục hiện có: {held}."
        )
        return Answer(
            question=info.text, status=AnswerStatus.NOT_FOUND, text=text, interpretation=info.to_dict()
        )

    def _combined(self, info: QuestionInfo, t0: float) -> AskResult:
        from rag.answer.combine import answer_combined

        answer, hits = answer_combined(self, info)
        answer = replace(answer, timings={"total_ms": round((time.perf_counter() - t0) * 1000, 2)})
        return AskResult(answer=answer, info=info, hits=hits)

    def _across(self, info: QuestionInfo, spec: Any, t0: float) -> AskResult:
        from rag.answer.across import answer_across

        answer, hits = answer_across(self, info, spec)
        answer = replace(answer, timings={"total_ms": round((time.perf_counter() - t0) * 1000, 2)})
        return AskResult(answer=answer, info=info, hits=hits)

    def answer_cell(self, question: str, filters: Filters) -> tuple[Answer, list[Hit]]:
        """One cell of a many-report table (`rag.answer.across`): a plain question held to the full
        evidence rule of a one-figure answer, on the cell's own report."""
        self.refresh()
        info = understand(question, filters, synonyms=True)
        hits = self.retriever.search(
            info.search_text, self.retriever.own_period_filters(info.filters), k=N_PASSAGES
        )
        if not hits:
            return self._no_report(info, self.retriever.holdings()), []
        if self.settings.uses_llm:
            return self._answer(info, hits[:N_PASSAGES]), hits
        return extractive_answer(info, hits[:N_PASSAGES], self._mentions, self.retriever.idf, cell=True), hits

    def answer_part(self, question: str, filters: Filters) -> tuple[Answer, list[Hit]]:
        """One part of a combined question, with its own filters.

        The comparison words ("cao hơn … bao nhiêu", "tổng … của hai tỉnh") are dropped: each part asks
        for one plain figure.
        """
        question = strip_comparison(question)
        self.refresh()
        info = understand(question)
        info = replace(info, filters=filters, operation="")
        hits = self.retriever.search(
            info.search_text, self.retriever.own_period_filters(filters), k=N_PASSAGES
        )
        if not hits:
            return self._no_report(info, self.retriever.holdings()), []
        return extractive_answer(info, hits, self._mentions, self.retriever.idf, part=True), hits


# --- presentation -------------------------------------------------------------------------------------


def answer_to_json(result: AskResult) -> dict[str, Any]:
    a = result.answer
    return {
        "question": a.question,
        "filters": result.info.filters.to_dict(),
        "passages": [
            {
                "chunk_id": h.chunk.chunk_id,
                "source": h.chunk.source,
                "section": h.chunk.section_path,
                "text": h.chunk.text,
                "score": round(h.score, 4),
            }
            for h in result.hits
        ],
        "status": a.status.value,
        "text": a.text,
        "value": a.value,
        "unit": a.unit,
        "scale": a.scale,
        "citations": [c.to_dict() for c in a.citations],
        "alternatives": [alt.to_dict() for alt in a.alternatives],
        "prompt_id": a.prompt_id,
        "interpretation": a.interpretation,
        "timings": a.timings,
        "meta": a.meta,
        "table": a.table or None,
    }


def format_answer(result: AskResult) -> str:
    a = result.answer
    lines = []
    f = result.info.filters
    shown = {k: v for k, v in f.to_dict().items() if v}
    lines.append(f"Câu hỏi: {a.question}")
    if shown:
        lines.append("Bộ lọc: " + "; ".join(f"{k}={', '.join(v)}" for k, v in shown.items()))
    mark = {AnswerStatus.ANSWERED: "✔", AnswerStatus.NOT_FOUND: "✘", AnswerStatus.AMBIGUOUS: "?"}[a.status]
    lines.append(f"{mark} {a.text}")
    if a.meta.get("llm_fallback"):
        lines.append(f"  [lưu ý] {a.meta['llm_fallback']}")
    for c in a.citations:
        lines.append(f"  [nguồn] {c.source} › {c.section}  (ký tự {c.start}–{c.end})")
    if a.status == AnswerStatus.NOT_FOUND and a.alternatives:
        for alt in a.alternatives:
            lines.append(f"  · {alt.text or ''} — {alt.source or ''}: “{_short(alt.context or '', 90)}”")
    if result.hits:
        lines.append("")
        lines.append("Đoạn trích liên quan:")
        for i, h in enumerate(result.hits, 1):
            text = " ".join(h.chunk.text.split())
            lines.append(f"{i}. [{h.score:.3f}] {h.chunk.source} › {h.chunk.section_path}")
            lines.append(f"   {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)
