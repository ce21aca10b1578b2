"""Questions that combine figures ("Nam Định cao hơn Ninh Thuận bao nhiêu?", "tổng … của hai tỉnh"):
split into parts, answer each with its own filters and citation, then compute in one unit and scale
and show the arithmetic. If any part is not found, the whole is not found."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag.core.types import Alternative, Answer, AnswerStatus, Filters, Hit

if TYPE_CHECKING:
    from rag.answer.asker import Asker
    from rag.answer.understand import QuestionInfo


def part_filters(info: QuestionInfo) -> list[Filters]:
    """Pair provinces and periods in the order the question names them."""
    provs, pers = list(info.filters.provinces), list(info.filters.periods)
    if len(provs) > 1 and len(pers) > 1:
        n = min(len(provs), len(pers))
        return [Filters(provinces=(provs[i],), periods=(pers[i],)) for i in range(n)]
    if len(provs) > 1:
        return [Filters(provinces=(p,), periods=tuple(pers)) for p in provs]
    return [Filters(provinces=tuple(provs), periods=(p,)) for p in pers]


def answer_combined(asker: Asker, info: QuestionInfo) -> tuple[Answer, list[Hit]]:
    from rag.text.numbers import format_quantity, normalise_unit

    parts: list[Answer] = []
    hits: list[Hit] = []
    pieces = part_filters(info)
    for f in pieces:
        ans, part_hits = asker.answer_part(info.text, f)
        parts.append(ans)
        hits.extend(part_hits[:3])
    labels = [_label(f) for f in pieces]
    if any(p.status != AnswerStatus.ANSWERED for p in parts):
        missing = [lab for lab, p in zip(labels, parts, strict=False) if p.status != AnswerStatus.ANSWERED]
        return (
            Answer(
                question=info.text,
                status=AnswerStatus.NOT_FOUND,
                text="Không tính được: thiếu số liệu cho " + ", ".join(missing) + ".",
                citations=tuple(c for p in parts for c in p.citations),
                alternatives=tuple(
                    Alternative(part=lab, status=p.status, text=p.text)
                    for lab, p in zip(labels, parts, strict=False)
                ),
                interpretation=info.to_dict(),
            ),
            hits,
        )
    # A part printed without its noun ("… cấp cho cán bộ là 8.009") was accepted because the clause
    # names the asked unit: it is in the other parts' unit.
    units = {normalise_unit(p.unit)[0] for p in parts} - {""}
    if len(units) > 1:
        return (
            Answer(
                question=info.text,
                status=AnswerStatus.AMBIGUOUS,
                text="Các phần có đơn vị khác nhau (" + ", ".join(sorted(units)) + "), không cộng trừ được.",
                citations=tuple(c for p in parts for c in p.citations),
                interpretation=info.to_dict(),
            ),
            hits,
        )
    base = [p.value * p.scale for p in parts]
    if info.operation == "difference" and len(parts) == 2 and base[0] < base[1]:
        # "A ít hơn B bao nhiêu", "B cao hơn A": the difference is the larger less the smaller
        parts, labels, base = parts[::-1], labels[::-1], base[::-1]
    result = base[0] - sum(base[1:]) if info.operation == "difference" else sum(base)
    scale = info.expected_scale if info.expected_scale != 1.0 else parts[0].scale
    value = result / scale
    unit = next(iter(units), "")
    op = " − " if info.operation == "difference" else " + "
    shown_parts = [format_quantity(p.value, p.unit, p.scale) for p in parts]
    shown = format_quantity(value, unit, scale)
    arithmetic = op.join(shown_parts) + f" = {shown}"
    lines = [f"{shown} ({arithmetic})."]
    for lab, p in zip(labels, parts, strict=False):
        c = p.citations[0]
        lines.append(f"- {lab}: {format_quantity(p.value, p.unit, p.scale)} — {c.source} › {c.section}")
    return (
        Answer(
            question=info.text,
            status=AnswerStatus.ANSWERED,
            text="\n".join(lines),
            value=value,
            unit=unit,
            scale=scale,
            citations=tuple(c for p in parts for c in p.citations),
            alternatives=tuple(
                Alternative(part=lab, value=p.value, unit=p.unit, scale=p.scale, text=p.text)
                for lab, p in zip(labels, parts, strict=False)
            ),
            interpretation={**info.to_dict(), "arithmetic": arithmetic},
        ),
        hits,
    )


def _label(f: Filters) -> str:
    from rag.text.periods import describe_period

    return " ".join([*f.provinces, *(describe_period(p) for p in f.periods)])
