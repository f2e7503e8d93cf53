"""The HTTP API: answers, contacts, bulletins, readable 4xx errors, headers, CORS and limits."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from conftest import CORPUS

DEMO = "http://127.0.0.1:8001"


def make_client(tmp_path, **env) -> TestClient:
    base = {"ASSISTANT_CORPUS": str(CORPUS), "ASSISTANT_INDEX": str(tmp_path / "index"),
            "ASSISTANT_RATE_LIMIT": "off"}
    return TestClient(create_app(Settings.from_env({**base, **env})))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_client(tmp_path_factory.mktemp("api"))


def test_ask_returns_the_answer_shape(client):
    r = client.post("/api/ask", json={"question": "  What do I do when a child goes missing?  ", "area": "rutland"})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == "What do I do when a child goes missing?"
    top = body["answers"][0]
    assert "reported missing" in top["text"]
    assert top["citation"]["case"] == "Case 1 — Child Sexual Exploitation (CSE)"
    assert body["contacts"][0]["area_id"] == "rutland"
    assert body["personal_data_warning"] is None


def test_personal_data_is_redacted_before_answering(client):
    r = client.post("/api/ask", json={"question": "My pupil called Jade is missing, mum is on 07700 900123"})
    body = r.json()
    assert "Jade" not in body["question"] and "07700" not in body["question"]
    assert "[name]" in body["question"] and "a name" in body["personal_data_warning"]
    assert any("reported missing" in a["text"] for a in body["answers"])


def test_contacts_with_and_without_area(client):
    assert client.get("/api/contacts").json()["area"] is None
    body = client.get("/api/contacts", params={"area": "leicester-city"}).json()
    assert body["contacts"][0]["phone"] == "0116 2527004"
    assert any(c["area_id"] == "emergency" and c["phone"] == "999" for c in body["contacts"])


def test_passage_and_bulletins(client):
    top = client.post("/api/ask", json={"question": "What is MARAC?"}).json()["answers"][0]
    passage = client.get(f"/api/passages/{top['passage_id']}").json()
    assert passage["text"] == top["text"] and passage["line_start"] == 77
    listing = client.get("/api/bulletins").json()["bulletins"]
    assert listing[0]["id"] == "learning-review-issue-2" and listing[0]["passages"] == 66
    whole = client.get("/api/bulletins/learning-review-issue-2").json()
    assert len(whole["passages"]) == 66 and whole["passages"][0]["kind"] == "introduction"


def test_health_and_docs(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/openapi.json").json()["paths"]["/api/ask"]
    assert client.get("/docs").status_code == 200


def test_pages_are_served(client):
    assert "text/html" in client.get("/").headers["content-type"]
    assert "text/html" in client.get("/bulletin/learning-review-issue-2").headers["content-type"]
    assert "javascript" in client.get("/widget.js").headers["content-type"]


@pytest.mark.parametrize(
    "kwargs, status, message",
    [
        ({"json": {"question": ""}}, 422, "empty"),
        ({"json": {"question": " \t\n "}}, 422, "empty"),
        ({"json": {"question": "x" * 501}}, 422, "too long"),
        ({"json": {}}, 422, "question is required"),
        ({"json": None}, 422, ""),
        ({"json": ["a"]}, 422, "JSON object"),
        ({"json": {"question": 7}}, 422, "valid string"),
        ({"json": {"question": "hi", "area": "narnia"}}, 422, "unknown area"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "not valid JSON"),
        ({"content": b"question=hi", "headers": {"content-type": "text/plain"}}, 422, ""),
        ({"content": b"x" * 1_000_000, "headers": {"content-type": "application/json"}}, 413, "too large"),
    ],
)
def test_bad_requests_get_a_readable_4xx(client, kwargs, status, message):
    r = client.post("/api/ask", **kwargs)
    assert r.status_code == status
    assert isinstance(r.json()["detail"], str) and message in r.json()["detail"]
    assert client.get("/healthz").status_code == 200


def test_unknown_things_are_404(client):
    assert client.get("/api/passages/nope").status_code == 404
    assert client.get("/api/bulletins/nope").status_code == 404
    assert client.get("/api/contacts", params={"area": "narnia"}).status_code == 422
    assert client.get("/api/ask").status_code == 405


@pytest.mark.parametrize("path", ["/", "/api/contacts", "/widget.js", "/api/passages/nope", "/healthz"])
def test_every_response_carries_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in headers and "frame-ancestors" in headers["content-security-policy"]
    assert headers["referrer-policy"] and headers["permissions-policy"]


def test_pages_get_a_page_policy_and_data_gets_none(client):
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]
    assert client.get("/api/contacts").headers["content-security-policy"].startswith("default-src 'none'")


def test_cors_allows_the_listed_origin_only(client):
    ok = client.options("/api/ask", headers={"Origin": DEMO, "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == DEMO
    bad = client.options("/api/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
    r = client.post("/api/ask", json={"question": "What is MARAC?"}, headers={"Origin": DEMO})
    assert r.headers["access-control-allow-origin"] == DEMO and "set-cookie" not in r.headers


def test_rate_limit_answers_429_with_retry_after(tmp_path):
    limited = make_client(tmp_path, ASSISTANT_RATE_LIMIT="3/minute")
    codes = [limited.post("/api/ask", json={"question": "What is MARAC?"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = limited.post("/api/ask", json={"question": "What is MARAC?"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "wait" in r.json()["detail"]
    assert limited.get("/healthz").status_code == 200  # health checks are never limited
    assert limited.get("/api/contacts").status_code == 200  # nor is the contacts panel


def test_a_413_or_429_can_be_read_by_the_widget_on_another_site(tmp_path):
    limited = make_client(tmp_path, ASSISTANT_RATE_LIMIT="1/minute")
    ask = {"json": {"question": "What is MARAC?"}, "headers": {"Origin": DEMO}}
    limited.post("/api/ask", **ask)
    r = limited.post("/api/ask", **ask)
    assert r.status_code == 429 and r.headers["access-control-allow-origin"] == DEMO
    assert "retry-after" in r.headers["access-control-expose-headers"].lower()
    big = limited.post("/api/ask", content=b"x" * 20_000,
                       headers={"Origin": DEMO, "content-type": "application/json"})
    assert big.status_code == 413 and big.headers["access-control-allow-origin"] == DEMO
    assert "content-security-policy" in big.headers


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(tmp_path):
    trusted = make_client(tmp_path, ASSISTANT_RATE_LIMIT="1/minute", ASSISTANT_TRUSTED_PROXIES="testclient")
    ask = {"json": {"question": "What is MARAC?"}}
    assert trusted.post("/api/ask", headers={"X-Forwarded-For": "10.0.0.1"}, **ask).status_code == 200
    assert trusted.post("/api/ask", headers={"X-Forwarded-For": "10.0.0.2"}, **ask).status_code == 200
    assert trusted.post("/api/ask", headers={"X-Forwarded-For": "10.0.0.1"}, **ask).status_code == 429
    untrusted = make_client(tmp_path, ASSISTANT_RATE_LIMIT="1/minute")
    assert untrusted.post("/api/ask", headers={"X-Forwarded-For": "10.0.0.1"}, **ask).status_code == 200
    assert untrusted.post("/api/ask", headers={"X-Forwarded-For": "10.0.0.2"}, **ask).status_code == 429
