"""The command line: ask (text and JSON), index, eval, one-line errors with exit code 2, quiet when piped into head."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.cli import main
from conftest import CORPUS, ROOT


@pytest.fixture()
def run(tmp_path, capsys):
    """Run the CLI in process against the shipped corpus and a scratch index folder."""

    def _run(*args):
        code = main([*args[:1], "--corpus", str(CORPUS), "--index", str(tmp_path / "index"), *args[1:]])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_ask_prints_the_quote_citation_and_contacts(run):
    code, out, _ = run("ask", "What do I do when a child goes missing?")
    assert code == 0
    assert "when a child is reported missing" in out
    assert "Case 1 — Child Sexual Exploitation (CSE) · Recommendations for practice" in out
    for number in ("01163050005", "01572 758407", "0116 2527004", "0116 2551606"):
        assert number in out


def test_ask_json_prints_the_answer_shape(run):
    code, out, _ = run("ask", "What is the duty number for Rutland?", "--json")
    shape = json.loads(out)
    assert code == 0 and set(shape) >= {"question", "answers", "no_match", "urgent", "message", "contacts"}
    assert "01572 758407" in shape["answers"][0]["text"]


def test_urgent_answer_prints_999_first(run):
    code, out, _ = run("ask", "a baby is unconscious right now", "--area", "rutland")
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 0 and "999" in lines[0] and "999" in lines[1] and "Rutland" in lines[2]


def test_index_command_rebuilds(run, tmp_path):
    code, out, err = run("index")
    assert code == 0 and "indexed 66 passages from 1 bulletin" in out
    assert (tmp_path / "index" / "manifest.json").is_file()


def test_eval_prints_the_figures(run):
    code, out, _ = run("eval", str(ROOT / "tests" / "eval" / "questions.jsonl"))
    assert code == 0
    for name in ("hit@1", "hit@3", "mrr", "off_topic_rejected", "urgent_recall"):
        assert name in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("ask", "   "), "the question is empty"),
        (("ask", "hello", "--area", "narnia"), "unknown area"),
        (("eval", "no-such-file.jsonl"), "cannot read question set"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(run, args, message):
    code, out, err = run(*args)
    errors = [line for line in err.splitlines() if not line.startswith("index: ")]  # the rebuild notice
    assert code == 2 and out == ""
    assert len(errors) == 1 and errors[0].startswith("assistant: error:") and message in errors[0]


def test_missing_corpus_is_one_line_with_exit_code_2(tmp_path, capsys):
    code = main(["ask", "hello", "--corpus", str(tmp_path / "nowhere"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "corpus folder not found" in err


def test_console_script_reports_errors_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "", "--index", str(tmp_path / "i")],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("assistant: error:")


def test_settings_come_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_CORPUS", str(CORPUS))
    monkeypatch.setenv("ASSISTANT_INDEX", str(tmp_path / "env-index"))
    assert main(["ask", "What is MARAC?"]) == 0
    assert "MARAC" in capsys.readouterr().out
    assert (tmp_path / "env-index" / "manifest.json").is_file()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    script = tmp_path / "scenes.jsonl"
    lines = [{"text": f"he has a knife at the door {i}", "urgent": True, "source": f"w{i % 2}"} for i in range(6)]
    lines += [{"text": f"how do we write a knife policy {i}", "urgent": False, "source": f"w{i % 2}"} for i in range(6)]
    script.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    command = (f"{sys.executable} -m assistant train-urgency --scenes {script} --out {tmp_path / 'm.json'} | head -c 1")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
