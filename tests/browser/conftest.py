"""Browser tests: Debian's chromium driven by Playwright against the real server.

Session fixtures start `assistant serve` on a free port (rate limit off, CORS allowing only the
demo origin, a throw-away index folder) and a static server for web/demo/ on another free port,
i.e. another origin, the way an LSCB site embeds the widget. The demo pages name
http://127.0.0.1:8000 as the widget's host; the static server rewrites that to the test server.

Every test in this folder is marked `browser` and is skipped, with the reason, when chromium or
Playwright is missing. Screenshots go to test-artifacts/ at the repository root.

BROWSER_TESTS_SERVER_CMD, if set, replaces the server command (a command line with {port}),
e.g. to run these tests against another implementation of the API.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
DEMO = WEB / "demo"
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEMO_PLACEHOLDER = "http://127.0.0.1:8000"
HERE = Path(__file__).resolve().parent

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

SKIP_REASON = None
if sync_playwright is None:
    SKIP_REASON = "Playwright is not installed (pip install -e '.[test]')"
elif not Path(CHROMIUM).exists():
    SKIP_REASON = f"chromium not found at {CHROMIUM} (make browser installs Debian's chromium)"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> int:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
        return r.status


@pytest.fixture(scope="session")
def demo_port() -> int:
    return _free_port()


@contextlib.contextmanager
def _running_server(tmp: Path, **settings: str):
    """Start `assistant serve` on a free port with these ASSISTANT_* settings; yield its base URL."""
    port = _free_port()
    env = dict(os.environ)
    env.update(ASSISTANT_INDEX=str(tmp / "index"), ASSISTANT_WEB_DIR=str(WEB), PYTHONUNBUFFERED="1")
    env.update(settings)
    custom = os.environ.get("BROWSER_TESTS_SERVER_CMD")
    if custom:
        cmd = shlex.split(custom.format(port=port))
    else:
        exe = Path(sys.executable).with_name("assistant")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]
        cmd += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    log_path = tmp / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}: {' '.join(cmd)}\n{log_path.read_text()[-4000:]}")
            try:
                if _get(base + "/healthz") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not answer /healthz in 90 s\n{log_path.read_text()[-4000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


@pytest.fixture(scope="session")
def server(demo_port, tmp_path_factory):
    """Base URL of a running `assistant serve`: no rate limit, CORS for the demo origin only."""
    with _running_server(tmp_path_factory.mktemp("server"),
                         ASSISTANT_ALLOWED_ORIGINS=f"http://127.0.0.1:{demo_port}",
                         ASSISTANT_RATE_LIMIT="off") as base:
        yield base


@pytest.fixture(scope="session")
def limited_server(demo_port, tmp_path_factory):
    """A second server whose rate limit is 2 questions a minute, for the 429 paths."""
    with _running_server(tmp_path_factory.mktemp("limited"),
                         ASSISTANT_ALLOWED_ORIGINS=f"http://127.0.0.1:{demo_port}",
                         ASSISTANT_RATE_LIMIT="2/minute") as base:
        yield base


class _DemoHandler(http.server.SimpleHTTPRequestHandler):
    """Serves web/demo/, pointing the pages' widget <script src> at the test server."""

    api = ""

    def log_message(self, *args):  # keep test output quiet
        pass

    def send_head(self):
        if self.path.split("?")[0] == "/__blank__.html":  # an LSCB page without the widget, for tests to embed into
            return self._html(b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head>'
                              b"<body><main><h1>Blank host page</h1></main></body></html>")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._html(path.read_bytes().replace(DEMO_PLACEHOLDER.encode(), self.api.encode()))
        return super().send_head()

    def _html(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="session")
def demo(server, demo_port) -> str:
    """Base URL of web/demo/ served from a second origin."""
    handler = type("DemoHandler", (_DemoHandler,), {"api": server})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", demo_port), functools.partial(handler, directory=str(DEMO)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{demo_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as p:
        yield p


def launch(playwright, **kwargs):
    """Debian's chromium with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **kwargs)


@pytest.fixture(scope="session")
def browser(playwright):
    b = launch(playwright)
    yield b
    b.close()


@pytest.fixture
def bfcache_browser(playwright):
    """A browser with the back/forward cache on (Playwright turns it off by default)."""
    b = launch(playwright, ignore_default_args=["--disable-back-forward-cache"])
    yield b
    b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class PageErrors(list):
    """Uncaught script errors seen on a page; a test fails if any appear."""


@pytest.fixture
def make_page(browser):
    """Factory: a page in a fresh context (clean storage), failing the test on uncaught script errors
    or CSP violations. Pass bypass_csp=True to inject axe-core into the server's own pages."""
    contexts = []
    errors = PageErrors()

    def make(width: int = 1280, height: int = 900, **kwargs):
        ctx = browser.new_context(viewport={"width": width, "height": height}, **kwargs)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # the server's CSP (script-src/style-src 'self') must never have to block anything of ours
        page.on("console", lambda msg: errors.append(msg.text)
                if msg.type == "error" and "Content Security Policy" in msg.text else None)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(make_page):
    return make_page()


def _run_axe(page, context: str = "document") -> list[dict]:
    """axe-core violations with impact serious or critical (open shadow roots included).

    The server's pages forbid inline scripts, so their page must come from make_page(bypass_csp=True)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (ctx) => {
            const target = ctx === 'document' ? document : JSON.parse(ctx);
            const r = await axe.run(target, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}));
        }""",
        context,
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def _ask(page, question: str, input_selector: str = "#question"):
    """Type a question, press Enter, and return the parsed /api/ask response (or None if not sent)."""
    page.fill(input_selector, question)
    with page.expect_response(lambda r: "/api/ask" in r.url and r.request.method == "POST") as info:
        page.press(input_selector, "Enter")
    response = info.value
    try:
        return response.json()
    except Exception:  # noqa: BLE001 - an error body may not be JSON
        return None


@pytest.fixture(scope="session")
def run_axe():
    """run_axe(page, context="document") -> serious/critical violations; context may be a JSON axe context."""
    return _run_axe


@pytest.fixture(scope="session")
def ask():
    """ask(page, question, input_selector="#question") -> the /api/ask JSON the page received."""
    return _ask
