"""From the command line to a running server: a Word or PDF bulletin added with `assistant add` is
answered from, with a citation naming its issue, by the CLI and by a server that keeps running."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from hardening.server import assistant, clean_env, running_server
from test_formats import write_docx, write_pdf

pytestmark = pytest.mark.server

QUESTION = "should we make unannounced home visits when we are worried about neglect?"
LABEL = "Safeguarding Practice Bulletin, issue 7 · Case 4 — Neglect of a toddler"


@pytest.mark.parametrize("suffix, write", [(".docx", write_docx), (".pdf", write_pdf)])
def test_an_added_bulletin_is_answered_from_without_a_restart(corpus_copy, tmp_path, suffix, write):
    index = tmp_path / "index"
    bulletin = tmp_path / f"practice-bulletin-7{suffix}"
    write(bulletin)
    env = clean_env(ASSISTANT_CORPUS=str(corpus_copy), ASSISTANT_INDEX=str(index))
    with running_server(tmp_path / "logs", corpus_copy, index) as server:
        before = httpx.post(server.url + "/api/ask", json={"question": QUESTION}, timeout=10).json()
        assert not any(a["citation"]["label"].startswith(LABEL) for a in before["answers"])

        added = assistant("add", str(bulletin), env=env)
        assert added.returncode == 0, added.stderr
        assert "added Safeguarding Practice Bulletin, issue 7" in added.stdout

        asked = assistant("ask", QUESTION, "--json", env=env)
        top = json.loads(asked.stdout)["answers"][0]
        assert top["citation"]["label"].startswith(LABEL) and "unannounced home visits" in top["text"]

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            served = httpx.get(server.url + "/api/bulletins", timeout=10).json()["bulletins"]
            if served[0]["id"] == "practice-bulletin-7":
                break
            time.sleep(0.2)
        assert [b["id"] for b in served] == ["practice-bulletin-7", "learning-review-issue-2"]
        answer = httpx.post(server.url + "/api/ask", json={"question": QUESTION}, timeout=10).json()
        assert answer["answers"][0]["citation"]["label"].startswith(LABEL)
        old = httpx.post(server.url + "/api/ask", json={"question": "What do I do when a child goes missing?"},
                         timeout=10).json()
        assert old["answers"][0]["citation"]["label"].startswith("Learning Review, issue 2 · Case 1")
