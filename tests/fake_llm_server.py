"""A deterministic OpenAI-compatible chat server on 127.0.0.1, for the `llm` answerer's tests.

It reads the prompt baocao sends (numbered `<nguon so="N" …>` blocks, an "Đơn vị mong đợi:" line) and
answers by a fixed rule chosen by `mode`:

- "correct":  the first sentence of source 1 holding a number followed by the expected unit; that
              number, that sentence verbatim.
- "other":    a grounded but different figure: the first number of the second number-bearing
              sentence of source 1, quoted verbatim.
- "wrong":    the "correct" sentence, but a value that is not in it (the correct number + 1).
- "badquote": a value with a quote that is not in any source.
- "nonsense": plain text, no JSON.
- "injected": a model that obeys instructions found in the sources: 999, quoting the sentence of a
              source that says 999 when there is one (the strongest attack: quote and value agree).
- "null":     {"value": null}.
- "script":   `server.reply` verbatim.
- "mixed":    a model that is often wrong: by a hash of the prompt, one of "correct", "other", "wrong"
              or "badquote" (so a quarter of its replies carry a number that is not in its quote).
- "summary":  the summariser's map-reduce. A map prompt (the report text between "<<<" and ">>>")
              gets one "- " bullet per number-bearing sentence of the text, verbatim, at most
              `server.map_bullets`, then the lines of `server.map_extra`; a reduce prompt (numbered
              "[n] ..." lines after "Các ý nguồn:") gets "- <line n> [n]" for its first
              `server.reduce_points` lines, then the lines of `server.reduce_extra`, where "{n}"
              stands for the text of line [n] (to tamper with a real bullet).

Broken servers, for the fallback paths:

- "http_garbage": bytes that are not HTTP at all, then the connection closes.
- "not_json":     a 200 whose body is HTML, not JSON.
- "bad_shape":    a 200 JSON body with no "choices".
- "http_500":     an HTTP 500 error.

Every request is recorded in `server.requests` (the decoded JSON bodies).
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SOURCE = re.compile(r'<nguon so="(\d+)"[^>]*>\n(.*?)\n</nguon>', re.S)
_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+|\n+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def sources(prompt: str) -> dict[int, str]:
    return {int(n): text for n, text in _SOURCE.findall(prompt)}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def _number(raw: str) -> float:
    """A number as Vietnamese reports print it: "." groups thousands, "," is the decimal mark."""
    return float(raw.replace(".", "").replace(",", "."))


def _expected_unit(prompt: str) -> str:
    m = re.search(r"Đơn vị mong đợi: (.*)", prompt)
    return m.group(1).strip() if m else ""


def _correct(prompt: str) -> dict[str, Any] | None:
    src = sources(prompt).get(1, "")
    unit = _expected_unit(prompt)
    for s in _sentences(src):
        m = re.search(rf"({_NUMBER.pattern})\s*{re.escape(unit)}", s) if unit else _NUMBER.search(s)
        if m:
            return {"value": _number(m.group(1)), "unit": unit, "source": 1, "quote": s}
    return None


_MAP_TEXT = re.compile(r"<<<\n(.*)\n>>>", re.S)
_REDUCE_LINE = re.compile(r"^\[(\d+)\] (.+)$", re.M)
_LEAD = re.compile(r"^[-+•–*\s]+")


def is_map_prompt(prompt: str) -> bool:
    return _MAP_TEXT.search(prompt) is not None


def is_reduce_prompt(prompt: str) -> bool:
    return "Các ý nguồn:" in prompt


def summary_reply(prompt: str, server: FakeLLMServer) -> str:
    m = _MAP_TEXT.search(prompt)
    if m:
        lines = []
        for s in _sentences(m.group(1)):
            s = " ".join(_LEAD.sub("", s).split())
            if _NUMBER.search(s) and len(s) > 10 and len(lines) < server.map_bullets:
                lines.append(f"- {s}")
        return "\n".join(lines + list(server.map_extra)) or "- (không có)"
    if is_reduce_prompt(prompt):
        listing = prompt.split("Các ý nguồn:", 1)[1]
        listed = _REDUCE_LINE.findall(listing)
        by_number = dict(listed)
        extra = [
            re.sub(r"\{(\d+)\}", lambda m: by_number.get(m.group(1), ""), line)
            for line in server.reduce_extra
        ]
        return "\n".join([f"- {text} [{n}]" for n, text in listed[: server.reduce_points]] + extra)
    return "Tôi không hiểu yêu cầu."


def answer_for(mode: str, prompt: str, script: Any = None) -> str:
    if mode == "mixed":
        mode = ("correct", "other", "wrong", "badquote")[zlib.crc32(prompt.encode("utf-8")) % 4]
        if mode == "other" and not any(_NUMBER.search(x) for x in _sentences(sources(prompt).get(1, ""))):
            mode = "correct"
    if mode == "script":
        return script if isinstance(script, str) else json.dumps(script, ensure_ascii=False)
    if mode == "nonsense":
        return "Xin lỗi, tôi nghĩ con số là khoảng một trăm bốn mươi sáu."
    if mode == "null":
        return json.dumps({"value": None, "unit": "", "source": None, "quote": ""})
    if mode == "injected":
        for n, text in sorted(sources(prompt).items()):
            for s in _sentences(text):
                if "999" in s:
                    return json.dumps({"value": 999, "unit": "", "source": n, "quote": s}, ensure_ascii=False)
        first = _sentences(sources(prompt).get(1, "")) or [""]
        return json.dumps({"value": 999, "unit": "", "source": 1, "quote": first[0]}, ensure_ascii=False)
    if mode == "badquote":
        return json.dumps(
            {
                "value": 147,
                "unit": "vị trí",
                "source": 1,
                "quote": "Trong năm đã chấp thuận 147 vị trí trạm BTS.",
            },
            ensure_ascii=False,
        )
    if mode == "other":
        with_numbers = [s for s in _sentences(sources(prompt).get(1, "")) if _NUMBER.search(s)]
        s = with_numbers[1] if len(with_numbers) > 1 else with_numbers[0]
        value = _number(_NUMBER.search(s).group(0))
        return json.dumps({"value": value, "unit": "", "source": 1, "quote": s}, ensure_ascii=False)
    got = _correct(prompt)
    if got is None:
        return json.dumps({"value": None, "unit": "", "source": None, "quote": ""})
    if mode == "wrong":
        got = {**got, "value": got["value"] + 1}
    return json.dumps(got, ensure_ascii=False)


class FakeLLMServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str = "correct") -> None:
        self.mode = mode
        self.reply: Any = None
        self.requests: list[dict[str, Any]] = []
        # "summary" mode
        self.map_bullets = 2
        self.map_extra: list[str] = []
        self.reduce_points = 7
        self.reduce_extra: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    @property
    def prompts(self) -> list[str]:
        return [r["messages"][-1]["content"] for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server: FakeLLMServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.rstrip("/") == "/v1/models":
            self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:  # noqa: N802
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        self.server.requests.append(body)
        mode = self.server.mode
        if mode == "http_garbage":
            self.wfile.write(b"\x00\x01 this is not HTTP\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "not_json":
            data = b"<html><body>502 Bad Gateway</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if mode == "bad_shape":
            self._send(200, {"error": {"message": "model not loaded"}})
            return
        if mode == "http_500":
            self._send(500, {"error": {"message": "internal error"}})
            return
        prompt = body["messages"][-1]["content"]
        if mode == "summary":
            content = summary_reply(prompt, self.server)
        else:
            content = answer_for(mode, prompt, self.server.reply)
        self._send(
            200,
            {
                "id": f"chatcmpl-{len(self.server.requests)}",
                "object": "chat.completion",
                "model": body.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            },
        )


@contextmanager
def running(mode: str = "correct") -> Iterator[FakeLLMServer]:
    """A server on a free 127.0.0.1 port, served from a thread while the block runs."""
    server = FakeLLMServer(mode)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
