"""Login users for `baocao serve`: a small JSON file of argon2id hashes (salted, memory-hard).

Plain or unsalted passwords are never written. The file lives in the index folder by default
(`index/users.json`, or `BAOCAO_USERS`), so an index copied to another machine keeps its accounts.
"""

from __future__ import annotations

import contextvars
import json
import os
import re
import threading
import time
from collections import deque
from pathlib import Path

from rag.core.errors import BaocaoError

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


def add_user(path: Path, name: str, password: str, admin: bool | None = None) -> bool:
    """Add or replace a user; True when the user was new. `admin` None keeps the user's current role
    (a new user is not an admin): a password reset must not quietly promote or demote anyone."""
    if not _NAME_RE.match(name):
        raise BaocaoError("user name: 1-64 letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise BaocaoError(f"password too short: at least {MIN_PASSWORD} characters")
    digest = _hasher().hash(password)
    with _LOCK:
        users = load_users(path)
        new = name not in users
        keep = bool(users.get(name, {}).get("admin", False))
        users[name] = {
            "hash": digest,
            "admin": keep if admin is None else bool(admin),
            "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        _write(path, users)
    return new


def is_admin(record: dict | None) -> bool:
    return bool(record and record.get("admin") is True)


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


class UsersFile:
    """The users file, read again only when it changes on disk: it is consulted on every request."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._key: tuple | None = None
        self._users: dict[str, dict] = {}
        self._lock = threading.Lock()

    def load(self) -> dict[str, dict]:
        try:
            st = self.path.stat()
            key: tuple | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            key = None
        with self._lock:
            if key != self._key or key is None:
                self._users = load_users(self.path) if key is not None else {}
                self._key = key
            return self._users


# The client address of the request being served, set by `LoginGuard`: gradio hands an auth function only
# the name and the password, and throttling needs the address too.
CLIENT_ADDRESS: contextvars.ContextVar[str] = contextvars.ContextVar("baocao_client_address", default="?")


class LoginThrottle:
    """Failures per key (a user name, an address) in a sliding window; too many lock the key for a while."""

    def __init__(self, max_failures: int = 5, window_s: float = 300.0, lockout_s: float = 300.0, clock=None):
        self.max_failures, self.window_s, self.lockout_s = max_failures, window_s, lockout_s
        self.clock = clock or time.monotonic
        self._fails: dict[str, deque[float]] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked_for(self, key: str) -> float:
        """Seconds left of `key`'s lockout (0 when it may try)."""
        with self._lock:
            left = self._until.get(key, 0.0) - self.clock()
            if left <= 0:
                self._until.pop(key, None)
                return 0.0
            return left

    def failure(self, key: str) -> bool:
        """Record a failure; True when it locks the key."""
        now = self.clock()
        with self._lock:
            if len(self._fails) > 10000:  # names made up by a scanner must not grow memory without bound
                self._fails = {k: q for k, q in self._fails.items() if q and q[-1] > now - self.window_s}
            q = self._fails.setdefault(key, deque())
            q.append(now)
            while q and q[0] <= now - self.window_s:
                q.popleft()
            if len(q) >= self.max_failures:
                self._until[key] = now + self.lockout_s
                q.clear()
                return True
            return False

    def success(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)


class Authenticator:
    """gradio's `auth` callable, plus what gradio lacks: throttling, a log of failures, and sessions that
    end when their user is removed or gets a new password (see `LoginGuard`)."""

    def __init__(self, path: Path, log_dir: Path | None = None, throttle: LoginThrottle | None = None):
        self.path = Path(path)
        self.users = UsersFile(self.path)
        self.log_dir = log_dir
        self.throttle = throttle or LoginThrottle()
        # token -> the password hash its login was checked against; a new hash (or none) ends the session
        self._stamps: dict[str, str] = {}
        self._login_hash: dict[str, str] = {}
        self._lock = threading.Lock()

    def _log(self, message: str) -> None:
        from rag.core.logbook import log_event

        log_event(self.log_dir, "auth", message)

    def __call__(self, name: str, password: str) -> bool:
        addr = CLIENT_ADDRESS.get()
        shown = repr(str(name)[:64])  # as typed, quoted, bounded; never the password
        for key in (f"user:{name}", f"addr:{addr}"):
            left = self.throttle.locked_for(key)
            if left:
                self._log(f"login refused (locked {left:.0f}s more) user={shown} addr={addr}")
                return False
        if verify(self.path, name, password):
            self.throttle.success(f"user:{name}")
            record = self.users.load().get(name) or load_users(self.path).get(name) or {}
            with self._lock:
                self._login_hash[name] = str(record.get("hash", ""))
            self._log(f"login ok user={shown} addr={addr}")
            return True
        self._log(f"login failed user={shown} addr={addr}")
        for key in (f"user:{name}", f"addr:{addr}"):
            if self.throttle.failure(key):
                self._log(
                    f"too many failed logins: {key.split(':', 1)[0]} locked for "
                    f"{self.throttle.lockout_s:.0f}s user={shown} addr={addr}"
                )
        return False

    def address_locked(self, addr: str) -> float:
        return self.throttle.locked_for(f"addr:{addr}")

    def session_valid(self, token: str, name: str) -> bool:
        record = self.users.load().get(name)
        if record is None:
            return False
        with self._lock:
            stamp = self._stamps.get(token)
            if stamp is None:
                stamp = self._stamps[token] = self._login_hash.get(name, record["hash"])
        return stamp == record["hash"]

    def end_session(self, token: str, name: str) -> None:
        with self._lock:
            self._stamps.pop(token, None)
        self._log(f"session ended (user removed or password changed) user={name!r}")


def make_auth(path: Path, log_dir: Path | None = None) -> Authenticator | None:
    """An `Authenticator` when the users file exists and has users, else None (no login)."""
    if not load_users(path):
        return None
    return Authenticator(path, log_dir=log_dir)


class LoginGuard:
    """ASGI middleware in front of gradio: notes each request's client address for the authenticator,
    refuses logins from a locked-out address, and drops the session token of a user who was removed or
    whose password changed, so the next request needs a fresh login."""

    def __init__(self, app, authenticator: Authenticator):
        self.app = app
        self.auth = authenticator

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        client = scope.get("client")
        addr = str(client[0]) if client else "?"
        CLIENT_ADDRESS.set(addr)
        path = scope.get("path", "")
        if scope["type"] == "http" and scope.get("method") == "POST" and path.rstrip("/").endswith("/login"):
            left = self.auth.address_locked(addr)
            if left:
                body = json.dumps(
                    {"detail": f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {int(left // 60) + 1} phút."},
                    ensure_ascii=False,
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 429,
                        "headers": [
                            (b"content-type", b"application/json; charset=utf-8"),
                            (b"retry-after", str(int(left) + 1).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        tokens = getattr(scope.get("app"), "tokens", None)
        if tokens:
            for token in _cookie_tokens(scope):
                name = tokens.get(token)
                if name is not None and not self.auth.session_valid(token, name):
                    tokens.pop(token, None)
                    self.auth.end_session(token, name)
        return await self.app(scope, receive, send)


def _cookie_tokens(scope) -> list[str]:
    from http.cookies import SimpleCookie

    raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    if not raw:
        return []
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is the client's problem; it simply carries no session
        return []
    return [m.value for k, m in jar.items() if k.startswith("access-token")]
