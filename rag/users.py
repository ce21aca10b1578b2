"""Login users for `baocao serve`: a small JSON file of argon2id hashes (salted, memory-hard).

Plain or unsalted passwords are never written. The file lives in the index folder by default
(`index/users.json`, or `BAOCAO_USERS`), so an index copied to another machine keeps its accounts.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

from .errors import BaocaoError

_NAME_RE = re.compile(r"^[\w.@-]{1,64}$")
_LOCK = threading.Lock()
MIN_PASSWORD = 8


def users_path(index_dir: Path, env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    return Path(env["BAOCAO_USERS"]) if env.get("BAOCAO_USERS") else Path(index_dir) / "users.json"


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def load_users(path: Path) -> dict[str, dict[str, str]]:
    if not Path(path).exists():
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BaocaoError(f"users file {path} is unreadable: {exc}") from exc
    users = data.get("users", {}) if isinstance(data, dict) else {}
    return {str(k): v for k, v in users.items() if isinstance(v, dict) and "hash" in v}


def _write(path: Path, users: dict[str, dict[str, str]]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    # Created 0600 from the start: the hashes are salted, but nobody else needs to read them.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"users": users}, f, ensure_ascii=False, indent=2)
    os.replace(tmp, path)


def add_user(path: Path, name: str, password: str) -> bool:
    """Add or replace a user; True when the user was new."""
    if not _NAME_RE.match(name):
        raise BaocaoError("user name: 1-64 letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise BaocaoError(f"password too short: at least {MIN_PASSWORD} characters")
    digest = _hasher().hash(password)
    with _LOCK:
        users = load_users(path)
        new = name not in users
        users[name] = {"hash": digest, "updated": time.strftime("%Y-%m-%dT%H:%M:%S")}
        _write(path, users)
    return new


def remove_user(path: Path, name: str) -> bool:
    with _LOCK:
        users = load_users(path)
        if users.pop(name, None) is None:
            return False
        _write(path, users)
    return True


def verify(path: Path, name: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    record = load_users(path).get(name)
    if record is None:
        # Hash anyway so a missing user takes as long as a wrong password.
        _hasher().hash(password or "x")
        return False
    try:
        return _hasher().verify(record["hash"], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def make_auth(path: Path):
    """A gradio `auth` callable when the users file exists and has users, else None (no login)."""
    if not load_users(path):
        return None

    def auth(name: str, password: str) -> bool:
        return verify(path, name, password)

    return auth
