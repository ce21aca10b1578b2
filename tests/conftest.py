"""Shared fixtures. Real components only: a real `chroma run` server, real stores on tmp dirs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# No test may reach a model hub or phone home.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["ANONYMIZED_TELEMETRY"] = "False"


# A proxy from the environment must not intercept calls to the local server.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chroma_cli() -> str | None:
    # Prefer the CLI next to the running interpreter (the venv), then PATH.
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a real Chroma server on a free port, for the whole session."""
    cli = _chroma_cli()
    if cli is None:
        pytest.fail("the `chroma` CLI is not installed (it ships with chromadb: `pip install chromadb`)")
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = open(data / "server.log", "wb")  # noqa: SIM115 - closed after the server stops
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [cli, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"chroma server exited with {proc.returncode}: {(data / 'server.log').read_text()}"
                )
            try:
                with _NO_PROXY.open(f"{url}/api/v2/heartbeat", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"chroma server did not answer within 60 s: {(data / 'server.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory):
    """`sample_index(name, **settings) -> Settings`: a lexical index (no embedder: fast, deterministic)
    of the four sample reports on a temp dir of its own, so tests that write to it never meet."""
    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths

    def build(name: str, **overrides) -> Settings:
        d = tmp_path_factory.mktemp(name)
        s = Settings(index_dir=d, embedder="none", log_dir=d / "logs", **overrides)
        ingest_paths([SAMPLE_CORPUS], s)
        return s

    return build
