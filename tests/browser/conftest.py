"""End-to-end browser tests: the real server (``oicplan serve``) driven by Chromium.

A session-scoped fixture starts ``python -m oicplan serve`` (uvicorn) in a
subprocess on a free port, with a fresh SQLite database, data folder and secret,
and one user of each role made through the users service. Chromium is Debian's
(``/usr/bin/chromium``, or ``$OICPLAN_CHROMIUM``) driven by the ``playwright``
package; a browser is never downloaded. Without Chromium or playwright the tests
skip, or fail under ``OICPLAN_REQUIRE_SERVICES=1`` (``tests.conftest.require_service``).

The pages are reached at ``http://localhost:<port>`` with the session cookie's
production settings (Secure, HttpOnly, SameSite=Lax): Chromium keeps Secure
cookies on ``http://localhost``, so ``OICPLAN_INSECURE_COOKIES`` stays unset
(see :mod:`oicplan.web.session`).

Every test's page is recorded: each request's URL (a request to a host other
than localhost fails the test), console errors and uncaught page errors, and a
screenshot at the end of the test into ``$OICPLAN_ARTIFACTS_DIR/screenshots``
(default ``test-artifacts/screenshots`` at the repository root, gitignored); the
server's log goes to ``browser-server.log`` beside that folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import require_service

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
ROLES = ("viewer", "editor", "admin")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about"}
SERVER_START_SECONDS = 120


def chromium_path() -> str | None:
    """Debian's Chromium (``$OICPLAN_CHROMIUM`` overrides), or None when it is missing."""
    wanted = os.environ.get("OICPLAN_CHROMIUM") or "/usr/bin/chromium"
    if Path(wanted).is_file() and os.access(wanted, os.X_OK):
        return wanted
    return shutil.which("chromium")


def artifacts_dir() -> Path:
    """Where screenshots go: ``$OICPLAN_ARTIFACTS_DIR/screenshots`` or ``test-artifacts/...``."""
    base = Path(os.environ.get("OICPLAN_ARTIFACTS_DIR") or REPO / "test-artifacts")
    folder = base / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``oicplan serve``: its base URL, data folder and log file."""

    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    health = server.url.replace("localhost", "127.0.0.1") + "/api/health"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"oicplan serve exited ({server.process.returncode}):\n"
                               f"{server.log_tail()}")
        with (contextlib.suppress(urllib.error.URLError, OSError),
              urllib.request.urlopen(health, timeout=5) as answer):  # noqa: S310 (loopback)
            if answer.status == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"oicplan serve did not answer in {SERVER_START_SECONDS} s:\n"
                       f"{server.log_tail()}")


def start_server(folder: Path, *, extra_env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> Server:
    """Start ``python -m oicplan serve`` on a free port with a fresh database; users of each role.

    The users are made through :func:`oicplan.services.users.add_user` before
    the server starts (``viewer1``, ``editor1``, ``admin1``, password :data:`PASSWORD`).
    """
    from oicplan.services.users import AddUserRequest, add_user

    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{folder / 'oicplan.sqlite'}"
    for role in ROLES:
        add_user(AddUserRequest(database_url=database_url, name=f"{role}1", role=role,
                                password=PASSWORD))
    env = {k: v for k, v in os.environ.items() if k != "OICPLAN_INSECURE_COOKIES"}
    env.update(
        OICPLAN_DATA_DIR=str(data_dir),
        OICPLAN_DATABASE_URL=database_url,
        OICPLAN_SECRET_KEY=secrets.token_urlsafe(48),
        MPLBACKEND="Agg",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    port = free_port()
    log = folder / "server.log"
    handle = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "oicplan", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", *args],
        env=env, cwd=folder, stdout=handle, stderr=subprocess.STDOUT,
    )
    handle.close()
    server = Server(url=f"http://localhost:{port}", data_dir=data_dir, log=log, process=process)
    try:
        _wait_healthy(server)
        _warm_up(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def _warm_up(server: Server) -> None:
    """Rank the built-in scenario once, so that no page waits for the first ranking.

    With an empty cache (CI) the first ranking builds the data and the match
    matrix; a page's navigation timeout should not have to cover that.
    """
    import json
    from urllib.parse import urlencode

    base = server.url.replace("localhost", "127.0.0.1")
    form = urlencode({"username": "viewer1", "password": PASSWORD}).encode()
    with urllib.request.urlopen(f"{base}/api/auth/token", data=form,  # noqa: S310 (loopback)
                                timeout=60) as answer:
        token = json.load(answer)["access_token"]
    ask = urllib.request.Request(f"{base}/api/rankings?scenario=zhejiang&top=1",
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(ask, timeout=SERVER_START_SECONDS * 3):  # noqa: S310
        pass


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real server (``oicplan serve``) on a fresh database, for the whole session."""
    _playwright_or_skip()
    running = start_server(tmp_path_factory.mktemp("browser-server"))
    yield running
    stop_server(running)
    with contextlib.suppress(OSError):  # kept beside the screenshots for a failed CI run
        shutil.copyfile(running.log, artifacts_dir().parent / "browser-server.log")


def _playwright_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        require_service("playwright", False, f"the playwright package is missing ({error})")
    path = chromium_path()
    require_service("Chromium", path is not None,
                    f"{os.environ.get('OICPLAN_CHROMIUM') or '/usr/bin/chromium'} is missing "
                    "(apt-get install chromium)")
    return sync_playwright, path


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by playwright (never a downloaded browser)."""
    sync_playwright, path = _playwright_or_skip()
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 (a broken install: say so, once)
            require_service("Chromium", False, f"{path} does not start: {error}")
        yield launched
        launched.close()


@dataclass
class Recorder:
    """What a page did: requests, console errors, page errors."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but this machine (the pages must load nothing from elsewhere)."""
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.hostname not in LOCAL_HOSTS:
                foreign.append(url)
        return foreign


def _artifact_name(nodeid: str) -> str:
    name = nodeid.split("::", 1)[-1]
    module = Path(nodeid.split("::", 1)[0]).stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{module}__{name}")[:150]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the server's last log lines with its report."""
    outcome = yield
    report = outcome.get_result()
    running = getattr(item, "funcargs", {}).get("server")
    if report.failed and isinstance(running, Server):
        report.sections.append(("oicplan serve log (last lines)", running.log_tail()))


@pytest.fixture()
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture()
def new_context(browser, server, recorder, request):
    """``new_context()``: a fresh browser context (no cookies) on the server, as many as needed.

    Every context's requests, console errors and page errors go to ``recorder``;
    its pages are screenshotted at the end of the test. Fails the test when any
    page asked a host other than localhost.
    """
    contexts = []

    def make():
        ctx = browser.new_context(base_url=server.url, accept_downloads=True,
                                  viewport={"width": 1280, "height": 900}, locale="zh-CN")
        ctx.set_default_timeout(30_000)
        ctx.set_default_navigation_timeout(120_000)  # a page may compute (a plan's map)
        ctx.on("request", lambda req: recorder.requests.append(req.url))

        def watch(page):
            page.on("console", lambda msg: msg.type == "error"
                    and recorder.console_errors.append(f"{msg.text} @ {msg.location}"))
            page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))

        ctx.on("page", watch)
        contexts.append(ctx)
        return ctx

    yield make
    name = _artifact_name(request.node.nodeid)
    number = 0
    for ctx in contexts:
        for page in ctx.pages:
            suffix = "" if number == 0 else f"-{number}"
            number += 1
            with contextlib.suppress(Exception):
                page.screenshot(path=str(artifacts_dir() / f"{name}{suffix}.png"),
                                full_page=True)
        ctx.close()
    foreign = recorder.foreign_requests()
    assert not foreign, f"the pages asked hosts other than localhost: {foreign}"


@pytest.fixture()
def context(new_context):
    """A fresh browser context (no cookies) on the server (see ``new_context``)."""
    return new_context()


@pytest.fixture()
def page(context):
    return context.new_page()


def sign_in(page, role: str = "viewer", next_path: str = "/") -> None:
    """Sign in through the form as that role's user; waits for the page it leads to."""
    page.goto(f"/login?next={quote(next_path, safe='/')}")
    page.fill("#username", f"{role}1")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    landed = urlsplit(page.url)
    assert landed.path + (f"?{landed.query}" if landed.query else "") == next_path, page.url


@pytest.fixture()
def signed_in(page):
    """``signed_in("editor")``: the page signed in as that role's user, on the dashboard."""

    def sign(role: str = "viewer", next_path: str = "/"):
        sign_in(page, role, next_path)
        return page

    return sign
