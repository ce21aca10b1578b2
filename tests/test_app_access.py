"""Who may do what in the app (evaluation, login throttling, sessions of removed users), the warning for an
open server without users, background embedding, and reports added by another process while it runs.

Real servers on 127.0.0.1, real users files, real lexical or `hash`-embedded indexes on temp dirs."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

gradio = pytest.importorskip("gradio")
from gradio_client import Client  # noqa: E402

from rag.core.config import load_settings  # noqa: E402
from rag.service import APP_RELOAD_SECONDS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
BTS_QUESTION = "Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?"
THAIBINH_QUESTION = "Tháng 3/2023 Thái Bình chấp thuận bao nhiêu vị trí BTS?"
THAIBINH_REPORT = """UBND TỈNH THÁI BÌNH
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

BÁO CÁO
Kết quả công tác thông tin và truyền thông tháng 3 năm 2023 của tỉnh Thái Bình

I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 3/2023

1. Lĩnh vực bưu chính, viễn thông

Trong tháng đã rà soát, chấp thuận 77 vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông.
Doanh thu viễn thông tháng 3 năm 2023 ước đạt 91.500 triệu đồng.
"""
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lexical_index(d: Path, **overrides):
    from rag.index.catalog import ingest_paths

    settings = load_settings({"index_dir": d, "embedder": "none", **overrides})
    report = ingest_paths([CORPUS], settings)
    assert not report.failed, report.failed
    return settings


def small_gold(tmp_path: Path) -> Path:
    gold = (ROOT / "eval" / "gold" / "dev.jsonl").read_text("utf-8").splitlines()[:1]
    path = tmp_path / "gold-nho.jsonl"
    path.write_text("\n".join(gold), encoding="utf-8")
    return path


def login(url: str, name: str, password: str) -> int:
    """POST /login as the browser does; the HTTP status."""
    data = urllib.parse.urlencode({"username": name, "password": password}).encode()
    try:
        with _NO_PROXY.open(urllib.request.Request(url + "login", data=data, method="POST"), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


# --- 1. evaluation: configured sets only, admins only ---------------------------------------------------


def test_evaluate_never_reads_a_path_the_client_names(tmp_path):
    from gradio_client.exceptions import AppError

    from rag.ui.app import start

    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    (secret_dir / "mat-khau.txt").write_text("mật khẩu máy chủ: hunter2-rat-bi-mat", encoding="utf-8")
    settings = lexical_index(tmp_path / "idx")
    demo = start(
        settings,
        port=free_port(),
        eval_sets={"nho": (small_gold(tmp_path), CORPUS)},
        embed=False,
        quiet=True,
    )
    try:
        client = Client(f"http://127.0.0.1:{demo.server_port}/", verbose=False)
        for name in (str(secret_dir), str(secret_dir / "mat-khau.txt"), "../secret", "/etc"):
            with pytest.raises(AppError) as err:
                client.predict(name, api_name="/evaluate")
            assert "không có bộ đánh giá" in str(err.value) and "hunter2" not in str(err.value)
        # The old two-path call is refused by the endpoint's signature itself.
        with pytest.raises(Exception):  # noqa: B017 - any refusal: the point is that nothing is read
            client.predict(str(small_gold(tmp_path)), str(secret_dir), api_name="/evaluate")
        # The configured set runs (no users, local server: allowed), and its page holds no secret.
        metrics, _, page = client.predict("nho", api_name="/evaluate")
        assert dict(metrics["data"])["numeric_accuracy"] == 1.0
        assert "hunter2" not in Path(page).read_text(encoding="utf-8")
    finally:
        demo.close()


def test_evaluate_is_for_admins_and_ends_with_the_user(tmp_path):
    from gradio_client.exceptions import AppError

    from rag.ui.app import start
    from rag.users import add_user, remove_user

    users = tmp_path / "users.json"
    add_user(users, "quantri", "mat-khau-quan-tri", admin=True)
    add_user(users, "canbo", "mat-khau-can-bo")
    settings = lexical_index(tmp_path / "idx")
    demo = start(
        settings,
        port=free_port(),
        users_file=users,
        eval_sets={"nho": (small_gold(tmp_path), CORPUS)},
        embed=False,
        quiet=True,
    )
    try:
        url = f"http://127.0.0.1:{demo.server_port}/"
        officer = Client(url, auth=("canbo", "mat-khau-can-bo"), verbose=False)
        assert officer.predict(BTS_QUESTION, api_name="/ask")["value"] == 146
        with pytest.raises(AppError, match="chỉ quản trị viên"):
            officer.predict("nho", api_name="/evaluate")
        admin = Client(url, auth=("quantri", "mat-khau-quan-tri"), verbose=False)
        metrics, _, _ = admin.predict("nho", api_name="/evaluate")
        assert dict(metrics["data"])["numeric_accuracy"] == 1.0
        # Removed: the admin's open session is over, for evaluation and for everything else.
        assert remove_user(users, "quantri")
        with pytest.raises(Exception):  # noqa: B017 - refused at the HTTP layer or by the app: no access
            admin.predict("nho", api_name="/evaluate")
        with pytest.raises(Exception):  # noqa: B017
            admin.predict(BTS_QUESTION, api_name="/ask")
        # A new password ends the sessions opened with the old one.
        add_user(users, "canbo", "mat-khau-moi-hon")
        with pytest.raises(Exception):  # noqa: B017
            officer.predict(BTS_QUESTION, api_name="/ask")
        again = Client(url, auth=("canbo", "mat-khau-moi-hon"), verbose=False)
        assert again.predict(BTS_QUESTION, api_name="/ask")["value"] == 146
        log = (settings.log_dir / "auth.log").read_text(encoding="utf-8")
        assert "session ended" in log and "quantri" in log
    finally:
        demo.close()


def test_admin_rule_without_users(tmp_path):
    from rag.core.errors import PermissionDeniedError
    from rag.service import Backend

    settings = load_settings({"index_dir": tmp_path / "idx", "embedder": "none"})
    Backend(settings, local_only=True).require_admin(None)  # this machine only: the person at it
    with pytest.raises(PermissionDeniedError, match="chưa có người dùng"):
        Backend(settings, local_only=False).require_admin(None)


# --- 4. login: throttled, logged, open servers warned about ---------------------------------------------


def test_login_failures_are_throttled_and_logged_without_the_password(tmp_path):
    from rag.ui.app import start
    from rag.users import add_user

    users = tmp_path / "users.json"
    add_user(users, "canbo", "mat-khau-dung-roi")
    settings = lexical_index(tmp_path / "idx")
    demo = start(settings, port=free_port(), users_file=users, eval_sets={}, embed=False, quiet=True)
    try:
        url = f"http://127.0.0.1:{demo.server_port}/"
        assert login(url, "canbo", "mat-khau-dung-roi") == 200
        for i in range(5):
            assert login(url, "canbo", f"doan-sai-{i}") == 400
        # Locked: even the right password is refused now, with a message that says to wait.
        assert login(url, "canbo", "mat-khau-dung-roi") in (400, 429)
        assert login(url, "nguoi-khac", "bat-ky-gi-do") == 429  # the address is locked too
        log = (settings.log_dir / "auth.log").read_text(encoding="utf-8")
        assert log.count("login failed user='canbo' addr=127.0.0.1") == 5
        assert "locked" in log
        assert "doan-sai" not in log and "mat-khau-dung-roi" not in log
    finally:
        demo.close()


def test_throttle_is_per_user_and_per_address_and_expires(tmp_path):
    from rag.users import CLIENT_ADDRESS, Authenticator, LoginThrottle, add_user

    now = [1000.0]
    users = tmp_path / "users.json"
    add_user(users, "canbo", "mat-khau-dung-roi")
    add_user(users, "lanhdao", "mat-khau-lanh-dao")
    auth = Authenticator(users, log_dir=tmp_path / "logs", throttle=LoginThrottle(clock=lambda: now[0]))
    for i in range(5):  # a different address each time: the user's own counter locks them
        CLIENT_ADDRESS.set(f"10.0.0.{i}")
        assert not auth("canbo", "sai")
    CLIENT_ADDRESS.set("10.0.0.99")
    assert not auth("canbo", "mat-khau-dung-roi")
    assert auth("lanhdao", "mat-khau-lanh-dao")  # nobody else is locked out with them
    now[0] += 301  # the back-off ends
    assert auth("canbo", "mat-khau-dung-roi")
    # Five failures from one address, over several names, lock that address.
    for i in range(5):
        CLIENT_ADDRESS.set("10.9.9.9")
        assert not auth(f"doan-{i}", "sai")
    assert not auth("lanhdao", "mat-khau-lanh-dao")
    assert auth.address_locked("10.9.9.9") > 0
    CLIENT_ADDRESS.set("10.0.0.1")
    assert auth("lanhdao", "mat-khau-lanh-dao")


def test_open_host_without_users_warns_loudly(tmp_path, capfd):
    from rag.ui.app import start

    settings = lexical_index(tmp_path / "idx")
    demo = start(settings, host="0.0.0.0", port=free_port(), eval_sets={}, embed=False, quiet=True)
    try:
        err = capfd.readouterr().err
        assert "WARNING" in err and "WITHOUT LOGIN" in err and "0.0.0.0" in err
        assert "WITHOUT LOGIN" in (settings.log_dir / "server.log").read_text(encoding="utf-8")
        assert demo.baocao_backend.local_only is False
    finally:
        demo.close()


def test_cli_user_add_admin_flag(tmp_path):
    from click.testing import CliRunner

    from rag.cli import cli
    from rag.users import is_admin, load_users

    def run(*args, pw="mat-khau-dai-du"):
        res = CliRunner().invoke(cli, ["--index", str(tmp_path), "user", *args], input=f"{pw}\n{pw}\n")
        assert res.exit_code == 0, res.output
        return res.output

    assert "added admin quantri" in run("add", "quantri", "--admin")
    assert "added user canbo" in run("add", "canbo")
    assert "updated admin quantri" in run("add", "quantri", pw="mat-khau-moi-nhe")  # a reset keeps the role
    users = load_users(tmp_path / "users.json")
    assert is_admin(users["quantri"]) and not is_admin(users["canbo"])
    assert run("list").split() == ["canbo", "quantri", "(admin)"]


# --- 6. background embedding ----------------------------------------------------------------------------


def wait_for(pred, timeout: float = 120.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_questions_are_answered_while_vectors_are_made_in_the_background(tmp_path):
    from rag.index.catalog import index_status, ingest_paths
    from rag.service import Backend

    # The index `make index` now builds: lexical phase only. One chunk per batch keeps the embedding
    # phase long enough (seconds) to ask during it.
    settings = lexical_index(tmp_path / "idx", embedder="hash", embed_batch=1)
    n_chunks = index_status(settings)["chunks"]
    assert index_status(settings)["vectors"] == 0
    be = Backend(settings)
    assert be.start_embedding()
    wait_for(lambda: be.status()["embedding"]["done"], 60, "the first batch")
    assert be.ask_json(BTS_QUESTION)["value"] == 146
    during = be.status()
    assert during["embedding"]["state"] == "running", during  # answered before the vectors were all there
    assert during["embedding"]["done"] < n_chunks
    assert f"/{n_chunks} đoạn" in during["text"] and "Đang tạo vector" in during["text"]

    done = wait_for(lambda: (s := be.status())["embedding"]["state"] == "done" and s, 180, "embedding")
    assert f"Đã tạo vector cho {n_chunks} đoạn" in done["text"]
    assert index_status(settings)["vectors"] == n_chunks
    assert be.ask_json(BTS_QUESTION)["value"] == 146  # now with dense scores as well

    # A report added by another process (the CLI) is noticed, answered, and embedded in turn.
    src = tmp_path / "src"
    src.mkdir()
    (src / "thaibinh-2023-03.txt").write_text(THAIBINH_REPORT, encoding="utf-8")
    other = load_settings({"index_dir": settings.index_dir, "embedder": "hash"})
    assert ingest_paths([src], other).added == ["thaibinh-2023-03.txt"]
    # The app looks at the index at most every APP_RELOAD_SECONDS: answered within that, not at once.
    wait_for(lambda: be.ask_json(THAIBINH_QUESTION)["value"] == 77, APP_RELOAD_SECONDS + 3, "the new report")
    assert be.status()["embedding"]["state"] in ("waiting", "running", "done")
    wait_for(
        lambda: index_status(settings)["vectors"] > n_chunks and be.status()["embedding"]["state"] == "done",
        120,
        "the new report's vectors",
    )


def test_a_failing_background_embedder_is_shown_and_logged_and_answers_go_on(tmp_path):
    from rag.service import Backend

    settings = lexical_index(tmp_path / "idx", embedder=f"st:{tmp_path / 'no-such-model'}")
    be = Backend(settings)
    assert be.start_embedding()
    st = wait_for(lambda: (s := be.status())["embedding"]["state"] == "failed" and s, 60, "the failure")
    assert "Không tạo được vector ngữ nghĩa" in st["text"]
    assert str(tmp_path) not in st["text"]
    assert "background embedding failed" in (settings.log_dir / "server.log").read_text(encoding="utf-8")
    assert be.ask_json(BTS_QUESTION)["value"] == 146
    assert be._embedder._thread.is_alive()  # the thread waits for the next request; nothing died


def test_app_serves_at_once_and_shows_embedding_progress(tmp_path):
    from rag.ui.app import start

    settings = lexical_index(tmp_path / "idx", embedder="hash", embed_batch=1)
    demo = start(settings, port=free_port(), eval_sets={}, embed=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{demo.server_port}/", verbose=False)
        assert client.predict(BTS_QUESTION, api_name="/ask")["value"] == 146
        first = client.predict(api_name="/status")
        assert first["embedding"]["state"] in ("waiting", "running", "done")
        assert "vector" in first["text"]
        last = wait_for(
            lambda: (s := client.predict(api_name="/status"))["embedding"]["state"] == "done" and s,
            180,
            "done",
        )
        assert last["text"].startswith("✅ Đã tạo vector cho")
    finally:
        demo.close()


def test_serve_no_embed_leaves_vectors_alone(tmp_path):
    from rag.index.catalog import index_status
    from rag.ui.app import start

    settings = lexical_index(tmp_path / "idx", embedder="hash")
    demo = start(settings, port=free_port(), eval_sets={}, embed=False, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{demo.server_port}/", verbose=False)
        st = client.predict(api_name="/status")
        assert st["embedding"]["state"] == "off" and st["text"] == ""
        assert client.predict(BTS_QUESTION, api_name="/ask")["value"] == 146
        assert index_status(settings)["vectors"] == 0
    finally:
        demo.close()


# --- 7. reports ingested by another process ------------------------------------------------------------


def test_app_sees_reports_ingested_by_the_cli_while_it_runs(tmp_path):
    from rag.index.catalog import ingest_paths
    from rag.ui.app import start

    settings = lexical_index(tmp_path / "idx")
    demo = start(settings, port=free_port(), eval_sets={}, embed=False, quiet=True)
    try:
        be = demo.baocao_backend
        client = Client(f"http://127.0.0.1:{demo.server_port}/", verbose=False)
        assert client.predict(BTS_QUESTION, api_name="/ask")["value"] == 146  # the asker is built and warm
        before = client.predict(api_name="/status")["version"]
        src = tmp_path / "src"
        src.mkdir()
        (src / "thaibinh-2023-03.txt").write_text(THAIBINH_REPORT, encoding="utf-8")
        assert ingest_paths([src], load_settings({"index_dir": settings.index_dir, "embedder": "none"})).added
        data = wait_for(
            lambda: (d := client.predict(THAIBINH_QUESTION, api_name="/ask"))["value"] == 77 and d,
            APP_RELOAD_SECONDS + 3,
            "the report the CLI ingested",
        )
        assert data["status"] == "answered", data["text"]
        assert "thaibinh-2023-03.txt" in {d["source"] for d in client.predict(api_name="/reports")}
        assert client.predict(api_name="/status")["version"] != before
        # The page's pickers follow: the status tick sends new choices once the version moved.
        tick_fn = next(fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "tick")
        tick = tick_fn.fn
        out = tick(before)
        # one value per picker it refreshes, the checks tab's included (gradio drops extras with a warning)
        assert len(out) == len(tick_fn.outputs) and len(tick(out[1])) == len(tick_fn.outputs)
        table, prov_update = out[2], out[3]
        assert "thaibinh-2023-03.txt" in set(table["Tệp"])
        assert ("Thái Bình", "Thái Bình") in [tuple(c) for c in prov_update["choices"]]
        assert json.dumps(tick(out[1])[2:], default=str).count("thaibinh") == 0  # nothing new: no update
        assert any(d.source == "thaibinh-2023-03.txt" for d in be.documents())
    finally:
        demo.close()
