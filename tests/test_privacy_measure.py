"""Measured personal-data detection: how often ordinary questions are flagged, how many planted details are caught.

`pytest -s tests/test_privacy_measure.py` prints the figures.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from assistant.privacy import find_personal_data, redact

EVAL = Path(__file__).resolve().parent / "eval"
# At most 1 in 50 questions without personal data may lose words to redaction.
MAX_FLAGGED = 1 / 50
# Planted details caught (every kind in the sample found); test_privacy.py holds each sample to its exact kinds.
MIN_CAUGHT = 49 / 50


def _load(name: str, field: str) -> list[str]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)[field] for line in lines if line.strip()]


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)"


def test_ordinary_questions_are_flagged_at_most_1_in_50():
    sets = {
        "questions.jsonl": _load("questions.jsonl", "question"),
        "ordinary_questions.jsonl": _load("ordinary_questions.jsonl", "text"),
    }
    questions = [q for qs in sets.values() for q in qs]
    assert len(questions) >= 150, "the question sets have shrunk: the measure means less"
    flagged = {q: redact(q).text for q in questions if find_personal_data(q)}
    print()
    for name, qs in sets.items():
        print(f"privacy: {name}: flagged {_percent(sum(q in flagged for q in qs), len(qs))}")
    print(f"privacy: ordinary questions flagged: {_percent(len(flagged), len(questions))} (limit 1 in 50)")
    for original, redacted in flagged.items():
        print(f"privacy:   flagged: {original!r} -> {redacted!r}")
    assert len(flagged) <= MAX_FLAGGED * len(questions), flagged


def test_planted_personal_data_is_caught():
    lines = (EVAL / "personal_data.jsonl").read_text(encoding="utf-8").splitlines()
    samples = [json.loads(line) for line in lines if line.strip()]
    caught = exact = 0
    by_kind: Counter[str] = Counter()
    by_kind_caught: Counter[str] = Counter()
    missed = []
    for sample in samples:
        found = set(redact(sample["text"]).kinds)
        wanted = set(sample["kinds"])
        by_kind.update(wanted)
        by_kind_caught.update(wanted & found)
        if wanted <= found:
            caught += 1
            exact += found == wanted
        else:
            missed.append((sample["text"], sorted(wanted - found)))
    print()
    print(f"privacy: planted samples caught: {_percent(caught, len(samples))}; "
          f"with exactly their kinds: {_percent(exact, len(samples))}")
    for kind in sorted(by_kind):
        print(f"privacy:   {kind}: {_percent(by_kind_caught[kind], by_kind[kind])}")
    for text, kinds in missed:
        print(f"privacy:   missed {kinds}: {text!r}")
    assert len(samples) >= 40
    assert caught >= MIN_CAUGHT * len(samples), missed
