"""Hostile input, privacy and faults: the app stays up, says what was wrong, keeps nothing and survives rebuilds.

1. A table of hostile requests against every route: each gets a readable 4xx (or, for legitimate if odd text,
   an ordinary answer), the security headers, and leaves /healthz answering.
2. Nothing kept: the real server, asked questions carrying a planted marker and phone number, writes neither to
   its output nor to any file; with ASSISTANT_LOG_QUESTIONS=on only the redacted question may be logged.
3. Faults: a missing or empty corpus, unreadable bulletins, and rebuilding the index under a running server.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import threading
import time
import uuid
import warnings
from pathlib import Path

import anyio
import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from assistant.answer import Answerer
from assistant.api import create_app
from assistant.config import Settings
from assistant.privacy import redact, without_placeholders
from conftest import CORPUS, FIXTURES, ROOT
from hardening.files import files_containing
from hardening.server import assistant, clean_env, free_port, running_server

ASK = "/api/ask"
JSON = {"content-type": "application/json"}
CHOICES = "choose one of: leicestershire, rutland, leicester-city"
MISSING = "What do I do when a child goes missing?"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "permissions-policy")


def make_app(index_dir: Path, corpus: Path = CORPUS, notify=lambda _: None):
    env = {"ASSISTANT_CORPUS": str(corpus), "ASSISTANT_INDEX": str(index_dir), "ASSISTANT_RATE_LIMIT": "off"}
    return create_app(Settings.from_env(env), notify)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("hardening-index"))


@pytest.fixture(scope="module")
def client(app):
    # Server exceptions become 500 responses, as a client would see them, instead of failing inside the client.
    return TestClient(app, raise_server_exceptions=False)


def assert_security_headers(response) -> None:
    missing = [h for h in SECURITY_HEADERS if not response.headers.get(h)]
    assert not missing, f"{response.status_code} {response.request.url.path[:60]} lacks {missing}"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def assert_readable_error(response, status: int | tuple[int, ...], words: str = "") -> None:
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), (
        response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    body = response.json()
    assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"].strip(), body
    assert words in body["detail"], body


# ---------------------------------------------------------------------------- 1. hostile requests


def _chunks(total: int, size: int = 64 * 1024):
    """A body streamed without Content-Length (chunked), so only the streamed count can refuse it."""
    yield b'{"question": "'
    for _ in range(total // size):
        yield b"a" * size
    yield b'"}'


def rejected(name, status, words, method="POST", path=ASK, marks=(), **request):
    return pytest.param(method, path, request, status, words, id=name, marks=marks)


REJECTED = [
    # Empty, blank, too long, too big
    rejected("empty", 422, "the question is empty", json={"question": ""}),
    rejected("unicode-whitespace", 422, "the question is empty", json={"question": "\t\r\n \u00a0\u2003\u3000\u2028"}),
    rejected("nul-bytes-only", 422, "the question is empty", json={"question": "\x00 \x00\x00"}),
    rejected("501-chars", 422, "too long (501 characters); the limit is 500", json={"question": "a" * 501}),
    rejected("10000-chars", 422, "too long (10000 characters)", json={"question": "why " * 2499 + "why?"}),
    rejected("16000-digits-inside-16KiB", 422, "too long (16000 characters)", json={"question": "7" * 16000}),
    rejected("100000-digits", 413, "request body too large", json={"question": "7" * 100_000}),
    rejected("1MB-json", 413, "request body too large (limit 16384 bytes)",
             content=json.dumps({"question": "a" * 1_000_000}).encode(), headers=JSON),
    rejected("1MB-chunked-no-length", 413, "request body too large", content=_chunks(1_000_000), headers=JSON),
    rejected("content-length-not-a-number", 413, "", content=b'{"question": "hi"}',
             headers={**JSON, "content-length": "18x"}),
    # Not JSON, or not the JSON we want
    rejected("truncated-json", 422, "not valid JSON", content=b'{"question": "What is MARAC?"', headers=JSON),
    rejected("single-quoted-json", 422, "not valid JSON", content=b"{'question': 'What is MARAC?'}", headers=JSON),
    rejected("invalid-utf8", (400, 422), "", content=b'{"question": "What is \xff\xfe MARAC?"}', headers=JSON),
    rejected("trailing-comma", 422, "not valid JSON", content=b'{"question": "What is MARAC?",}', headers=JSON),
    rejected("empty-body", 422, "required", content=b"", headers=JSON),
    rejected("json-null", 422, "JSON object", content=b"null", headers=JSON),
    rejected("json-array", 422, "JSON object", json=[]),
    rejected("json-array-of-questions", 422, "JSON object", json=[{"question": "What is MARAC?"}]),
    rejected("json-string", 422, "JSON object", json="What is MARAC?"),
    rejected("json-number", 422, "JSON object", json=42),
    rejected("question-number", 422, "question", json={"question": 42}),
    rejected("question-float", 422, "question", json={"question": 4.2}),
    rejected("question-object", 422, "question", json={"question": {"text": "What is MARAC?"}}),
    rejected("question-bool", 422, "question", json={"question": True}),
    rejected("question-null", 422, "question", json={"question": None}),
    rejected("question-list", 422, "question", json={"question": ["What is MARAC?"]}),
    rejected("no-question", 422, "question is required", json={"area": "rutland"}),
    rejected("area-number", 422, "area", json={"question": "What is MARAC?", "area": 3}),
    rejected("area-bool", 422, "area", json={"question": "What is MARAC?", "area": False}),
    rejected("extra-field", 422, "admin", json={"question": "What is MARAC?", "admin": True}),
    rejected("text-plain", 422, "JSON object", content=b'{"question": "What is MARAC?"}',
             headers={"content-type": "text/plain"}),
    rejected("form-urlencoded", 422, "JSON object", data={"question": "What is MARAC?"}),
    rejected("multipart", 422, "JSON object", files={"question": ("q.txt", b"What is MARAC?")}),
    rejected("lone-surrogate", 422, "", content=b'{"question": "\\ud800"}', headers=JSON),
    rejected("lone-low-surrogate-in-text", 422, "", content=b'{"question": "What is MARAC? \\udc00"}', headers=JSON),
    # Areas
    rejected("unknown-area", 422, f"unknown area 'narnia'; {CHOICES}", json={"question": MISSING, "area": "narnia"}),
    rejected("javascript-area", 422, CHOICES, json={"question": MISSING, "area": "javascript:alert(1)"}),
    rejected("nul-area", 422, CHOICES, json={"question": MISSING, "area": "rut\x00land"}),
    rejected("10000-char-area", 422, CHOICES, json={"question": MISSING, "area": "x" * 10_000}),
    # Wrong methods
    rejected("put-ask", 405, "Method Not Allowed", method="PUT", json={"question": MISSING}),
    rejected("delete-ask", 405, "Method Not Allowed", method="DELETE"),
    rejected("patch-ask", 405, "Method Not Allowed", method="PATCH", json={"question": MISSING}),
    rejected("post-healthz", 405, "Method Not Allowed", path="/healthz", json={}),
    rejected("delete-bulletin", 405, "Method Not Allowed", method="DELETE",
             path="/api/bulletins/learning-review-issue-2"),
    # GET routes
    rejected("contacts-unknown-area", 422, CHOICES, method="GET", path="/api/contacts?area=narnia"),
    rejected("contacts-41-char-area", 422, "at most 40 characters", method="GET",
             path="/api/contacts?area=" + "a" * 41),
    rejected("contacts-10000-char-area", 422, "at most 40", method="GET", path="/api/contacts?area=" + "a" * 10_000),
    rejected("contacts-invalid-utf8-area", 422, CHOICES, method="GET", path="/api/contacts?area=%ED%A0%80"),
    rejected("contacts-nul-area", 422, CHOICES, method="GET", path="/api/contacts?area=%00"),
    rejected("passage-60000-char-id", 404, "no passage with that id", method="GET",
             path="/api/passages/" + "p" * 60_000),
    rejected("bulletin-60000-char-id", 404, "no bulletin with that id", method="GET",
             path="/api/bulletins/" + "b" * 60_000),
    rejected("passage-nul-id", 404, "no passage", method="GET", path="/api/passages/%00"),
    rejected("passage-invalid-utf8-id", 404, "no passage", method="GET", path="/api/passages/%FF%FE"),
    rejected("passage-traversal-id", 404, "", method="GET", path="/api/passages/..%2f..%2findex%2fmanifest.json"),
    rejected("bulletin-dotdot-id", 404, "", method="GET", path="/api/bulletins/%2e%2e"),
    rejected("unknown-route", 404, "Not Found", method="GET", path="/api/../../etc/passwd"),
]


@pytest.mark.parametrize("method, path, request_kwargs, status, words", REJECTED)
def test_hostile_request_gets_a_readable_4xx(client, method, path, request_kwargs, status, words):
    response = client.request(method, path, **request_kwargs)
    assert_readable_error(response, status, words)
    assert_security_headers(response)
    if status == 405:
        assert response.headers.get("allow"), "a 405 should say which methods are allowed"
    assert client.get("/healthz").status_code == 200


def answered(name, question, echoed=None, found=None, **kwargs):
    return pytest.param(question, echoed, found, id=name, **kwargs)


ANSWERED = [
    answered("nul-inside", "What do I do when a child goes\x00missing?", MISSING, "reported missing"),
    answered("right-to-left-override", "\u202eWhat do I do when a child goes missing?\u202c", None, "reported missing"),
    answered("zero-width", "What do I do when a\u200b child goes\u200d missing?\ufeff", None, "reported missing"),
    # Mostly markup: whether these still find the MARAC passage is a ranking question, not this test's.
    answered("html", "<img src=x onerror=alert(1)> What is MARAC?", None, None),
    answered("script", "<script>alert(document.cookie)</script> What is MARAC?", None, None),
    answered("javascript-link", "javascript:alert(1)//What is MARAC?", None, None),
    answered("markdown-link", "[click](javascript:alert(1)) What is MARAC?", None, None),
    answered("json-in-question", '{"question": "x"}", "area": "rutland"} What is MARAC?', None, None),
    answered("exactly-500", ("What do I do when a child goes missing? " * 13)[:500], None, "reported missing"),
    answered("astral-emoji", "\U0001f622 What do I do when a child goes missing? \U0001f9d2\U0001f3fd", None,
             "reported missing"),
    answered("other-script-digits", "\u0660\u0667\u0667\u0660\u0660 What is MARAC?", None, None),
    answered("100-combining-marks", "What is MARAC?" + "\u0301" * 100, None, None),
]


@pytest.mark.parametrize("question, echoed, found", ANSWERED)
def test_odd_but_legitimate_text_is_answered_as_inert_text(client, question, echoed, found):
    response = client.post(ASK, json={"question": question})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert_security_headers(response)
    body = response.json()
    # Echoed back only as a JSON string: the text as typed (blanks and NULs collapsed), nothing interpreted.
    expected = echoed if echoed is not None else " ".join(question.replace("\x00", " ").split())
    assert body["question"] == redact(expected).text
    assert "\x00" not in body["question"]
    if found:
        assert any(found in a["text"] for a in body["answers"]), [a["text"][:80] for a in body["answers"]]
    # Quotes come from the bulletins, never from the question.
    for a in body["answers"]:
        assert "<img" not in a["text"] and "javascript:" not in a["text"] and "<script" not in a["text"]
    assert client.get("/healthz").status_code == 200


def _asgi_get(app, raw_path: bytes) -> tuple[int, dict[str, str], bytes]:
    """GET a raw, un-normalised path straight through the ASGI app (HTTP clients would resolve "../")."""
    from urllib.parse import unquote

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": unquote(raw_path.decode("ascii")), "raw_path": raw_path,  # as uvicorn decodes it
        "root_path": "", "query_string": b"", "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }
    sent: list[dict] = []

    async def run():
        finished = anyio.Event()
        requested = False

        async def receive():
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await finished.wait()  # file responses listen for the client going away
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                finished.set()

        with anyio.fail_after(30):
            await app(scope, receive, send)

    # A thread of its own: Playwright's sync API (the browser tests) may hold this thread's event loop.
    worker = threading.Thread(target=anyio.run, args=(run,))
    worker.start()
    worker.join(timeout=60)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


SECRETS = [path for path in (ROOT / "src" / "assistant" / "api.py", ROOT / "README.md", ROOT / "pyproject.toml",
                               Path("/etc/passwd")) if path.is_file()]
TRAVERSALS = [
    b"/static/../src/assistant/api.py",
    b"/static/../../../../etc/passwd",
    b"/static/%2e%2e/%2e%2e/etc/passwd",
    b"/static/..%2f..%2fsrc%2fassistant%2fapi.py",
    b"/static/..%5c..%5csrc%5cassistant%5capi.py",
    b"/static//etc/passwd",
    b"/static/%2fetc%2fpasswd",
    b"/static/demo/../../pyproject.toml",
    b"/static/./../README.md",
    b"/static/%00../../etc/passwd",
    b"/bulletin/..%2f..%2fetc%2fpasswd",
    b"/bulletin/../../etc/passwd",
    b"/bulletin/..%2f..%2fsrc%2fassistant%2fapi.py",
    b"/widget.js/../../etc/passwd",
    b"/../../etc/passwd",
]


@pytest.mark.parametrize("raw_path", TRAVERSALS, ids=lambda p: p.decode())
def test_path_traversal_leaks_no_file(app, raw_path):
    status, headers, body = _asgi_get(app, raw_path)
    bulletin_page = (ROOT / "web" / "bulletin.html").read_bytes()
    for secret in SECRETS:
        assert secret.read_bytes()[:80] not in body, f"{raw_path!r} leaked {secret}"
    # Either refused, or (for /bulletin/<anything>) the bulletin page shell itself, which holds no data.
    assert (400 <= status < 500) or (status == 200 and body == bulletin_page), (status, body[:200])
    assert all(headers.get(h) for h in SECURITY_HEADERS), headers
    if status >= 400:
        assert isinstance(json.loads(body)["detail"], str)


def test_raw_path_requests_do_reach_static_files(app):
    # The control for the test above: the same helper does fetch a real static file.
    status, headers, body = _asgi_get(app, b"/static/style.css")
    assert status == 200 and body == (ROOT / "web" / "style.css").read_bytes()


def test_very_long_bulletin_page_id_gets_the_page_shell(client):
    r = client.get("/bulletin/" + "b" * 60_000)
    assert r.status_code == 200 and r.content == (ROOT / "web" / "bulletin.html").read_bytes()
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert_security_headers(r)


EVIL = "https://evil.example"


@pytest.mark.parametrize("origin", [EVIL, "null", "http://127.0.0.1:8001.evil.example", "http://127.0.0.1:80011",
                                    "http://localhost:8001@evil.example", "HTTP://127.0.0.1:8001/"])
def test_cors_preflight_from_an_unlisted_origin_gets_no_allow_origin(client, origin):
    r = client.options(ASK, headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                     "Access-Control-Request-Headers": "content-type"})
    assert 400 <= r.status_code < 500
    assert "access-control-allow-origin" not in r.headers
    assert_security_headers(r)
    # The real request from that origin is answered (CORS is enforced by browsers) but carries no grant.
    r = client.post(ASK, json={"question": MISSING}, headers={"Origin": origin})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    assert "access-control-allow-credentials" not in r.headers


@pytest.mark.parametrize("request_method, request_headers", [("PUT", "content-type"), ("POST", "x-evil, content-type")])
def test_cors_preflight_for_a_listed_origin_refuses_other_methods_and_headers(client, request_method, request_headers):
    r = client.options(ASK, headers={"Origin": "http://127.0.0.1:8001", "Access-Control-Request-Method": request_method,
                                     "Access-Control-Request-Headers": request_headers})
    assert r.status_code == 400
    assert_security_headers(r)


def test_refused_cors_preflight_is_a_json_error(client):
    r = client.options(ASK, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert_readable_error(r, 400)


def test_an_unexpected_error_is_a_json_500_with_the_security_headers(tmp_path):
    app = make_app(tmp_path / "index")

    async def boom():
        raise RuntimeError("something broke")

    app.add_api_route("/api/boom", boom)
    r = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert r.status_code == 500
    assert_security_headers(r)
    assert isinstance(r.json()["detail"], str)


# ---------------------------------------------------------------------------- catastrophic backtracking

_rng = random.Random(20240601)
DIGIT_STRINGS = {
    "sevens": "7" * 100_000,
    "zeros": "0" * 100_000,
    "leading-zero": "07" + "7" * 99_998,
    "plus-44": "+44" + "7" * 99_998,
    "random": "".join(_rng.choice("0123456789") for _ in range(100_000)),
}


@pytest.mark.parametrize("name", list(DIGIT_STRINGS))
def test_a_100000_digit_question_is_handled_in_under_a_second(index, name):
    text = DIGIT_STRINGS[name]
    answerer = Answerer(index)
    answerer.answer("What is MARAC?")  # warm the lazily built speller, so only the long question is timed
    started = time.perf_counter()
    redaction = redact(text)
    redact_seconds = time.perf_counter() - started
    started = time.perf_counter()
    answerer.answer(without_placeholders(redaction.text) or "x")
    answer_seconds = time.perf_counter() - started
    assert redact_seconds < 1.0, f"redact took {redact_seconds:.2f}s"
    assert answer_seconds < 1.0, f"answer took {answer_seconds:.2f}s"


# ---------------------------------------------------------------------------- 2. nothing kept


def _planted_session(tmp_path_factory, name: str, **settings: str) -> dict:
    """Run the real server, ask it questions carrying a marker and a phone number, stop it; report what it left."""
    # Letters only: a hex marker holds a run of digits now and then, which is rightly redacted as a number.
    marker = "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex)
    phone_digits = f"07700900{random.Random(marker).randrange(100, 1000)}"  # Ofcom's drama range
    phone = f"{phone_digits[:5]} {phone_digits[5:]}"
    base = tmp_path_factory.mktemp(name)
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    index, logs = base / "index", base / "logs"
    started = time.time() - 1  # mtimes may be a little coarse
    responses = {}
    # A connection per request: after the (buggy) 500 below, uvicorn resets a reused keep-alive connection.
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with running_server(logs, corpus, index, cwd=ROOT, **settings) as server, \
            httpx.Client(base_url=server.url, timeout=60, limits=no_reuse) as http:
        plain = f"{MISSING} Our ref {marker}"
        asks = {
            "plain": {"json": {"question": plain}},
            "phone": {"json": {"question": f"Mum of pupil {marker} is on {phone}, should I ring her first?"}},
            "too-long": {"json": {"question": f"{marker} {phone} " + "x" * 600}},
            "bad-area": {"json": {"question": f"{marker} {phone}", "area": f"narnia {marker}"}},
            "extra-field": {"json": {"question": f"{marker}", "note": f"{marker} {phone}"}},
            "bad-json": {"content": f'{{"question": "{marker} {phone}",,}}'.encode(), "headers": JSON},
            "surrogate": {"content": f'{{"question": "{marker} {phone} \\ud800"}}'.encode(), "headers": JSON},
            "too-large": {"content": json.dumps({"question": f"{marker} {phone} " * 1000}).encode(), "headers": JSON},
        }
        for key, kwargs in asks.items():
            responses[key] = http.post(ASK, **kwargs)
        responses["contacts"] = http.get("/api/contacts", params={"area": f"{marker} {phone}"})
        responses["passage"] = http.get(f"/api/passages/{marker}")
        responses["page"] = http.get(f"/bulletin/{marker}", params={"q": phone})
    canary = f"canary-{uuid.uuid4().hex}"
    (base / "canary.txt").write_text(canary)  # proves the search below can find a new file under /tmp
    wanted = [marker, phone, phone_digits]
    return {
        "marker": marker, "phone": phone, "phone_digits": phone_digits, "plain": plain, "server": server,
        "responses": responses, "index": index, "corpus": corpus, "base": base,
        "output": server.output(),
        "in_server_files": files_containing([index, corpus, base], wanted, exclude=[server.stdout, server.stderr]),
        "in_new_files": files_containing([ROOT, Path("/tmp")], [marker, canary], since=started,
                                         exclude=[server.stdout, server.stderr]),
        "canary": canary,
    }


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    """A server session with the default settings (questions never logged)."""
    return _planted_session(tmp_path_factory, "quiet")


@pytest.fixture(scope="module")
def logging_on(tmp_path_factory):
    """A server session with ASSISTANT_LOG_QUESTIONS=on."""
    return _planted_session(tmp_path_factory, "logged", ASSISTANT_LOG_QUESTIONS="on")


def _check_session_responses(session) -> None:
    r = session["responses"]
    assert r["plain"].status_code == 200 and r["phone"].status_code == 200
    asked = r["phone"].json()
    assert session["phone"] not in asked["question"] and "[phone]" in asked["question"]
    for key in ("too-long", "bad-area", "extra-field", "bad-json", "contacts"):
        assert r[key].status_code == 422, (key, r[key].text[:200])
    assert r["too-large"].status_code == 413 and r["passage"].status_code == 404
    # The canary shows the search for new files works; the server's own output is checked separately.
    assert any(session["canary"] in hit for hit in session["in_new_files"])


def test_nothing_kept_by_default(quiet):
    _check_session_responses(quiet)
    output = quiet["output"]
    assert "index: rebuilding" in output  # the capture works: the start-up notice is there
    for planted in (quiet["marker"], quiet["phone"], quiet["phone_digits"]):
        assert planted not in output, f"the server's output holds planted text {planted!r}"
    assert quiet["in_server_files"] == []
    assert [hit for hit in quiet["in_new_files"] if quiet["canary"] not in hit] == []


def test_logged_questions_are_redacted(logging_on):
    _check_session_responses(logging_on)
    output = logging_on["output"]
    # With logging on, the redacted question may be logged; the phone number, in any form, must not be.
    assert logging_on["phone"] not in output and logging_on["phone_digits"] not in output
    assert logging_on["in_server_files"] == []
    assert [hit for hit in logging_on["in_new_files"] if logging_on["canary"] not in hit] == []


def test_logged_questions_reach_stderr(logging_on):
    assert logging_on["plain"] in logging_on["server"].stderr.read_text(errors="replace")


# ---------------------------------------------------------------------------- 3. faults


@pytest.mark.parametrize("kind", [
    "missing",
    "empty",
])
def test_serve_refuses_a_missing_or_empty_corpus(tmp_path, kind):
    corpus = tmp_path / "corpus"
    if kind == "empty":
        corpus.mkdir()
    result = assistant("serve", "--host", "127.0.0.1", "--port", str(free_port()), "--corpus", str(corpus),
                       "--index", str(tmp_path / "index"), timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("assistant: error:") and str(corpus) in lines[-1]
    assert len(lines) == 1, lines


def test_serve_with_an_empty_corpus_exits_2_with_one_error_line(tmp_path):
    # The error is one line, exit code 2, no traceback.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = assistant("serve", "--port", str(free_port()), "--corpus", str(corpus),
                       "--index", str(tmp_path / "index"), timeout=120)
    errors = [line for line in result.stderr.splitlines() if not line.startswith("index: ")]
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    assert len(errors) == 1 and errors[0].startswith("assistant: error:") and str(corpus) in errors[0], errors


def test_unreadable_bulletins_are_skipped_with_a_warning_and_the_rest_served(corpus_copy, tmp_path):
    garbage = bytes(random.Random(3).randrange(256) for _ in range(5_000))
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "blank.md").write_text("\n\n   \n")
    (corpus_copy / "broken.docx").write_bytes(garbage)
    (corpus_copy / "broken.pdf").write_bytes(b"%PDF-1.7\n" + garbage)
    (corpus_copy / "folder.txt").mkdir()  # not a file: not a bulletin, and no reason to stop
    notices: list[str] = []
    client = TestClient(make_app(tmp_path / "index", corpus_copy, notices.append))
    for name in ("empty.txt", "blank.md", "broken.docx", "broken.pdf"):
        assert any(n.startswith("warning: skipped") and name in n for n in notices), (name, notices)
    assert [b["id"] for b in client.get("/api/bulletins").json()["bulletins"]] == ["learning-review-issue-2"]
    answer = client.post(ASK, json={"question": MISSING}).json()
    assert any("reported missing" in a["text"] for a in answer["answers"])


def test_an_undecodable_bulletin_is_skipped_with_a_warning(corpus_copy, tmp_path):
    (corpus_copy / "binary.txt").write_bytes(bytes(random.Random(7).randrange(256) for _ in range(20_000)))
    notices: list[str] = []
    client = TestClient(make_app(tmp_path / "index", corpus_copy, notices.append))
    assert [b["id"] for b in client.get("/api/bulletins").json()["bulletins"]] == ["learning-review-issue-2"]
    assert any("binary.txt" in n and n.startswith("warning:") for n in notices), notices


NEW_BULLETIN = "practice-bulletin-issue-7"
REBUILD_QUESTIONS = [MISSING, "What is MARAC?", "duty number for Rutland", "neglect assessment tool",
                     "a baby is unconscious right now"]


def test_rebuilding_the_index_under_a_running_server_drops_no_request(corpus_copy, tmp_path):
    index = tmp_path / "index"
    results: list[tuple[str, int | str]] = []
    rebuilt = threading.Event()  # after this, the asker stops once it has made 300 requests
    abandon = threading.Event()  # the test failed: stop at once

    with running_server(tmp_path / "logs", corpus_copy, index) as server:

        def ask_continuously():
            with httpx.Client(base_url=server.url, timeout=30) as http:
                for i in range(3000):  # bounded, whatever happens to the main thread
                    if abandon.is_set() or (rebuilt.is_set() and i >= 300):
                        return
                    try:
                        if i % 4 == 3:
                            r = http.get("/api/bulletins")
                        else:
                            r = http.post(ASK, json={"question": REBUILD_QUESTIONS[i % len(REBUILD_QUESTIONS)]})
                        results.append((r.request.url.path, r.status_code))
                    except httpx.HTTPError as exc:
                        results.append(("error", repr(exc)))
                    time.sleep(0.02)  # steady load through all three rebuilds, leaving CPU for them

        asker = threading.Thread(target=ask_continuously, daemon=True)
        asker.start()
        try:
            outputs = []
            for rebuild in range(3):
                if rebuild == 1:
                    shutil.copy(FIXTURES / f"{NEW_BULLETIN}.md", corpus_copy / f"{NEW_BULLETIN}.md")
                result = assistant("index", "--corpus", str(corpus_copy), "--index", str(index), env=clean_env())
                assert result.returncode == 0, result.stderr
                outputs.append(result.stdout)
                time.sleep(1.5)  # let the server notice (it checks once a second) and swap under load
            assert "from 2 bulletin(s)" in outputs[-1]

            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                listed = [b["id"] for b in httpx.get(server.url + "/api/bulletins", timeout=30).json()["bulletins"]]
                if NEW_BULLETIN in listed:
                    break
                time.sleep(0.25)
            assert NEW_BULLETIN in listed, f"the new bulletin is not served 15s after the rebuild: {listed}"
            new = httpx.post(server.url + ASK, json={"question": "neglect assessment tool unannounced home visits"},
                             timeout=30).json()
            assert new["answers"] and new["answers"][0]["citation"]["bulletin_id"] == NEW_BULLETIN
            passages = int(re.search(r"indexed (\d+) passages", outputs[-1]).group(1))
            assert httpx.get(server.url + "/healthz", timeout=30).json()["passages"] == passages
            rebuilt.set()
            asker.join(120)
            assert not asker.is_alive()
        finally:
            abandon.set()
            asker.join(30)
        stderr = server.stderr.read_text(errors="replace")

    failures = [r for r in results if r[1] != 200]
    assert len(results) >= 300 and failures == [], (len(results), failures[:10])
    swaps = [line for line in stderr.splitlines() if line.startswith("index: now serving")]
    assert len(swaps) >= 2 and "from 2 bulletin(s)" in swaps[-1], stderr[-2000:]
    assert "Traceback" not in stderr, stderr[-3000:]
