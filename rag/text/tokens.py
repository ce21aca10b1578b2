"""Token counting with tiktoken's cl100k_base, strictly offline.

tiktoken fetches its vocabulary over the network unless the file sits in TIKTOKEN_CACHE_DIR, and it
re-downloads a cached file whose hash does not match. llama-index-core ships the vocabulary, so we
point tiktoken at that copy and verify it ourselves first: the download branch is never reached.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

from rag.core.errors import ConfigError

ENCODING = "cl100k_base"
_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# tiktoken names cache entries by the sha1 of the URL they came from.
_CACHE_KEY = hashlib.sha1(_URL.encode()).hexdigest()


def shipped_cache_dir() -> Path | None:
    """The tiktoken cache bundled with llama-index-core, found without importing llama_index (slow)."""
    import importlib.util

    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        cand = Path(root) / "_static" / "tiktoken_cache"
        if cand.is_dir():
            return cand
    return None


def _cache_file() -> Path:
    shipped = shipped_cache_dir()
    if shipped is not None:
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(shipped))
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR", "")
    if not cache_dir:
        raise ConfigError(
            "no tiktoken vocabulary available offline: install llama-index-core (it ships one) or set "
            f"TIKTOKEN_CACHE_DIR to a folder holding the {ENCODING} file named {_CACHE_KEY}"
        )
    path = Path(cache_dir) / _CACHE_KEY
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"tiktoken vocabulary {ENCODING} not found at {path}: reinstall llama-index-core, or unset "
            f"TIKTOKEN_CACHE_DIR (now {cache_dir!r}) so the copy llama-index-core ships is used"
        ) from exc
    if hashlib.sha256(data).hexdigest() != _SHA256:
        raise ConfigError(
            f"tiktoken vocabulary at {path} is corrupt (sha256 mismatch): reinstall llama-index-core; "
            "it will not be downloaded"
        )
    return path


@functools.lru_cache(maxsize=1)
def encoding() -> Any:
    """The cl100k_base encoding, loaded once from the verified local file."""
    _cache_file()
    try:
        import tiktoken

        return tiktoken.get_encoding(ENCODING)
    except ImportError as exc:
        raise ConfigError("tiktoken is not installed: pip install 'tiktoken>=0.7'") from exc
    except Exception as exc:  # tiktoken raises bare ValueError/OSError on a bad cache
        raise ConfigError(f"could not load tiktoken encoding {ENCODING} offline: {exc}") from exc


def count_tokens(text: str) -> int:
    if not text:
        return 0
    # disallowed_special=() so a report that happens to contain "<|endoftext|>" is counted, not refused.
    return len(encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, n: int) -> str:
    """The longest prefix of `text` that is at most `n` tokens, cut on a token boundary."""
    if n <= 0 or not text:
        return ""
    enc = encoding()
    ids = enc.encode(text, disallowed_special=())
    if len(ids) <= n:
        return text
    out = enc.decode(ids[:n])
    # A token can end mid-way through a multi-byte character; decode() then yields U+FFFD. Drop it so
    # the result is always a true prefix of the input.
    while out and not text.startswith(out):
        out = out[:-1]
    return out
