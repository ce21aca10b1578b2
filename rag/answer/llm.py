"""The optional LLM answerer, behind one small seam: `complete(prompt) -> str`.

Backends: any OpenAI-compatible server (Ollama, vLLM, llama.cpp's server) over plain HTTP, or a local
GGUF file run in-process by xllamacpp. No model ships with baocao: on PyPI there is no
instruction-tuned model worth answering with, so the extractive answerer stays the default.

Grounding: a model's answer is kept only if its quote is in the cited passage and its number is in
the quote. When the grounded answer disagrees with a confident extractive answer, neither is stated
as fact (status "ambiguous"), so turning an LLM on can never add false answers.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rag.core.config import Settings
from rag.core.errors import LLMError
from rag.core.types import Alternative, Answer, AnswerStatus, Citation, Hit

if TYPE_CHECKING:
    from rag.answer.understand import QuestionInfo

log = logging.getLogger("baocao.llm")

# Package data: a wheel install finds them too (`prompts/` at the top of the repo is a link here).
PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
SOURCE_TOKENS = 2400  # context budget for sources; small local models have 4k windows


class LLM(Protocol):
    name: str

    def complete(self, prompt: str, max_tokens: int = 256) -> str: ...


def load_prompt(prompt_id: str) -> tuple[str, str]:
    """(id, template) of `prompts/<prompt_id>.md`; the front matter is dropped."""
    path = PROMPTS_DIR / f"{prompt_id}.md"
    if not path.is_file():
        raise LLMError(f"prompt file {path} is missing; reinstall baocao or restore prompts/")
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2].lstrip("\n")
    return prompt_id, text


class OpenAICompatible:
    def __init__(self, url: str, model: str, key: str = "", timeout: float = 60.0):
        self.url = url.rstrip("/")
        if not self.url.endswith("/v1"):
            self.url += "/v1"
        self.model = model or "default"
        self.key = key
        self.timeout = timeout
        self.name = f"openai:{self.model}"

    def complete(self, prompt: str, max_tokens: int = 256) -> str:
        body = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        req = urllib.request.Request(
            self.url + "/chat/completions",
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.key}"} if self.key else {}),
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise LLMError(f"LLM server {self.url} did not answer ({exc}); check BAOCAO_LLM_URL") from exc
        except http.client.HTTPException as exc:  # not HTTP at all, or a truncated body
            raise LLMError(
                f"LLM server {self.url} did not speak HTTP ({type(exc).__name__}); check BAOCAO_LLM_URL"
            ) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise LLMError(f"LLM server {self.url} sent something that is not JSON") from exc
        try:
            content = data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(
                f"LLM server {self.url} answered in an unexpected shape: {str(data)[:200]}"
            ) from exc
        if not isinstance(content, str):
            raise LLMError(f"LLM server {self.url} answered with non-text content: {str(content)[:200]}")
        return content


class LocalGGUF:
    """A GGUF model file run in-process by xllamacpp (optional extra `baocao[llm]`)."""

    def __init__(self, path: str, threads: int = 2):
        if not Path(path).is_file():
            raise LLMError(f"GGUF model {path} does not exist; set BAOCAO_LLM_GGUF to a .gguf file")
        try:
            import xllamacpp as xlc
        except ImportError as exc:
            raise LLMError("local GGUF models need the optional extra: pip install 'baocao[llm]'") from exc
        params = xlc.CommonParams()
        params.model.path = path
        params.n_ctx = 4096
        params.cpuparams.n_threads = threads
        self._server = xlc.Server(params)
        self.name = f"gguf:{Path(path).name}"

    def complete(self, prompt: str, max_tokens: int = 256) -> str:
        res = self._server.handle_chat_completions(
            {"messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens, "temperature": 0}
        )
        try:
            return res["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"local model gave an unexpected reply: {str(res)[:200]}") from exc


@lru_cache(maxsize=4)
def _make_llm(url: str, model: str, key: str, gguf: str, timeout: float, threads: int) -> LLM:
    if url:
        return OpenAICompatible(url, model, key, timeout)
    return LocalGGUF(gguf, threads)


def make_llm(settings: Settings) -> LLM | None:
    if not settings.uses_llm:
        return None
    return _make_llm(
        settings.llm_url,
        settings.llm_model,
        settings.llm_key,
        settings.llm_gguf,
        settings.llm_timeout,
        settings.embed_threads,
    )


def complete(prompt: str, settings: Settings, max_tokens: int = 512) -> str:
    llm = make_llm(settings)
    if llm is None:
        raise LLMError("no LLM configured: set BAOCAO_LLM_URL (OpenAI-compatible) or BAOCAO_LLM_GGUF")
    return llm.complete(prompt, max_tokens=max_tokens)


def shown_text(hit: Hit) -> str:
    """What the model may read of a passage: sentences that instruct an AI are cut out (rag.text.injection),
    so that a model which obeys them has nothing to obey."""
    from rag.text.injection import redact

    return redact(hit.chunk.text)


def build_answer_prompt(info: QuestionInfo, hits: list[Hit]) -> tuple[str, str]:
    from rag.text.tokens import count_tokens, truncate_tokens

    prompt_id, template = load_prompt("answer.v1")
    budget = SOURCE_TOKENS
    blocks = []
    for i, h in enumerate(hits, 1):
        text = shown_text(h).replace("<nguon", "‹nguon").replace("</nguon", "‹/nguon")
        cost = count_tokens(text)
        if cost > budget:
            if budget < 80:
                break
            text = truncate_tokens(text, budget)
            cost = budget
        budget -= cost
        blocks.append(
            f'<nguon so="{i}" bao_cao="{h.chunk.source}" muc="{h.chunk.section_path}">\n{text}\n</nguon>'
        )
    filters = "; ".join(f"{k}: {', '.join(v)}" for k, v in info.filters.to_dict().items() if v) or "không nêu"
    prompt = (
        template.replace("{question}", info.text)
        .replace("{filters}", filters)
        .replace("{expected_unit}", info.expected_unit or "không rõ")
        .replace("{sources}", "\n\n".join(blocks))
    )
    return prompt_id, prompt


def parse_reply(reply: str) -> dict[str, Any] | None:
    m = re.search(r"\{.*\}", reply, flags=re.S)
    if not m:
        return None
    try:
        data = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _squash(s: str) -> str:
    return " ".join(s.split())


def grounded(data: dict[str, Any], hits: list[Hit]) -> tuple[Hit, Any] | None:
    """The cited hit and the matching quantity when the quote is in the source and the value in the quote."""
    from rag.text.numbers import parse_quantities

    try:
        idx = int(data.get("source"))
        value = float(data.get("value"))
    except (TypeError, ValueError):
        return None
    if not 1 <= idx <= len(hits):
        return None
    quote = _squash(str(data.get("quote") or ""))
    hit = hits[idx - 1]
    # In what the model was shown, and in the passage itself (a quote across a cut is in neither).
    if len(quote) < 8 or quote not in _squash(shown_text(hit)) or quote not in _squash(hit.chunk.text):
        return None
    for q in parse_quantities(quote):
        if abs(q.value - value) <= 1e-9 * max(1.0, abs(value)) or abs(
            q.value * q.scale - value
        ) <= 1e-6 * max(1.0, abs(value)):
            return hit, q
    return None


# The LLMs whose failure this process has logged: a server that is down is said once, not once per
# question (every answer still carries the reason in `Answer.meta`).
_LOGGED_FAILURES: set[str] = set()


def note_fallback(settings: Settings, exc: LLMError) -> str:
    """The reason to record on an answer the extractive answerer gave because the LLM failed; logged
    the first time this process sees that LLM fail."""
    reason = f"LLM unavailable, extractive answer shown: {exc}"
    where = settings.llm_url or settings.llm_gguf
    if where not in _LOGGED_FAILURES:
        _LOGGED_FAILURES.add(where)
        log.warning("%s (said once per process; each answer's meta.llm_fallback repeats it)", reason)
    return reason


def llm_answer(
    info: QuestionInfo, hits: list[Hit], settings: Settings, extractive: Answer | None = None
) -> Answer | None:
    """A grounded LLM answer, or None to let the extractive answerer speak. Raises LLMError when the
    model cannot be reached or answers in a shape that is not a chat completion."""
    from rag.text.numbers import format_quantity

    llm = make_llm(settings)
    if llm is None or not hits:
        return None
    prompt_id, prompt = build_answer_prompt(info, hits)
    data = None
    for _attempt in range(2):  # one retry: small models often fix a malformed reply the second time
        reply = llm.complete(prompt)  # an LLMError is the caller's to report: see `note_fallback`
        data = parse_reply(reply)
        if data is not None and (data.get("value") is None or grounded(data, hits)):
            break
        data = None
    if data is None or data.get("value") is None:
        return None
    hit, q = grounded(data, hits)
    from rag.answer.candidates import units_fit

    if units_fit(info.expected_unit, q.unit) is None or (info.expected_unit and not q.unit):
        return None  # a percentage where a count was asked (or an injected "999"): not this question's figure
    quote = _squash(str(data["quote"]))
    pos = _squash(hit.chunk.text).find(quote)
    citation = Citation(
        hit.chunk.chunk_id,
        hit.chunk.source,
        hit.chunk.section_path,
        quote,
        hit.chunk.start + max(pos, 0),
        hit.chunk.start + max(pos, 0) + len(quote),
    )
    shown = format_quantity(q.value, q.unit, q.scale)
    if extractive is not None and extractive.status == AnswerStatus.ANSWERED and extractive.value is not None:
        if abs(extractive.value * extractive.scale - q.value * q.scale) > 1e-6 * max(
            1.0, abs(q.value * q.scale)
        ):
            return Answer(
                question=info.text,
                status=AnswerStatus.AMBIGUOUS,
                text=f"Hai cách đọc khác nhau: {shown} (mô hình) và "
                f"{format_quantity(extractive.value, extractive.unit, extractive.scale)} (trích xuất). "
                "Xem các đoạn trích để xác định.",
                citations=(citation, *extractive.citations),
                alternatives=(
                    Alternative(value=q.value, unit=q.unit, scale=q.scale, by=llm.name),
                    Alternative(
                        value=extractive.value, unit=extractive.unit, scale=extractive.scale, by="extractive"
                    ),
                ),
                interpretation=info.to_dict(),
                prompt_id=prompt_id,
            )
    if extractive is not None and extractive.status != AnswerStatus.ANSWERED:
        # The extractive answerer found no figure it could stand behind; a model's reading alone is
        # shown as a lead, never stated as fact, so an LLM can never add a false answer.
        return Answer(
            question=info.text,
            status=AnswerStatus.AMBIGUOUS,
            text=f"Chưa chắc chắn: mô hình đọc được {shown} trong {hit.chunk.source} ({hit.chunk.section_path}): "
            f"“{quote}”. Hãy kiểm tra đoạn trích.",
            citations=(citation,),
            alternatives=(Alternative(value=q.value, unit=q.unit, scale=q.scale, by=llm.name),),
            interpretation={**info.to_dict(), "llm": llm.name},
            prompt_id=prompt_id,
        )
    return Answer(
        question=info.text,
        status=AnswerStatus.ANSWERED,
        text=f"{shown}. Theo {hit.chunk.source} ({hit.chunk.section_path}): “{quote}”",
        value=q.value,
        unit=q.unit,
        scale=q.scale,
        citations=(citation,),
        interpretation={**info.to_dict(), "llm": llm.name},
        prompt_id=prompt_id,
    )
