"""Answer-quality evaluation: hit@1, hit@3, MRR, off-topic rejection and urgent recall on a question set.

A question set is JSONL, one object a line:
  {"question": "...", "type": "in_scope", "expect": ["words from the passage that should be found", ...]}
  {"question": "...", "type": "off_topic"}
  {"question": "...", "type": "urgent", "expect": [...optional...]}
  {"question": "...", "type": "calm"}   (must not be flagged urgent; nothing else is asked of it)
An answer "finds" a passage when its quoted text contains any of the expected strings (case-insensitive),
so the set stays valid however passages are numbered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TYPES = ("in_scope", "off_topic", "urgent", "calm")


class EvalError(ValueError):
    """A question set that cannot be read."""


@dataclass(frozen=True)
class EvalQuestion:
    """One question of a set, with what it should find."""

    question: str
    type: str
    expect: tuple[str, ...] = ()


@dataclass
class Report:
    """Per-question outcomes and the figures computed from them."""

    ranks: list[tuple[EvalQuestion, int | None]] = field(default_factory=list)  # in-scope: 1-based rank or None
    no_match: dict[str, list[bool]] = field(default_factory=lambda: {t: [] for t in TYPES})
    urgent: dict[str, list[bool]] = field(default_factory=lambda: {t: [] for t in TYPES})
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        """The headline figures, as fractions."""
        ranks = [r for _, r in self.ranks]
        n = len(ranks) or 1
        off = self.no_match["off_topic"]
        not_urgent = self.urgent["in_scope"] + self.urgent["off_topic"] + self.urgent["calm"]
        return {
            "in_scope": len(ranks),
            "hit@1": sum(r == 1 for r in ranks) / n,
            "hit@3": sum(r is not None and r <= 3 for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks if r) / n,
            "in_scope_no_match": sum(self.no_match["in_scope"]) / n,
            "off_topic": len(off),
            "off_topic_rejected": sum(off) / (len(off) or 1),
            "urgent": len(self.urgent["urgent"]),
            "urgent_recall": sum(self.urgent["urgent"]) / (len(self.urgent["urgent"]) or 1),
            "urgent_false_alarms": sum(not_urgent) / (len(not_urgent) or 1),
        }

    def table(self) -> str:
        """The figures as an aligned two-column table."""
        rows = []
        for name, value in self.figures().items():
            rows.append(f"{name:<22}{value:>8.3f}" if isinstance(value, float) else f"{name:<22}{value:>8d}")
        return "\n".join(rows)

    def failures(self) -> list[str]:
        """One line per question that missed its mark."""
        return list(self.misses)


def read_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL question set, checking every line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalError(f"cannot read question set {path}: {exc.strerror or exc}") from exc
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            kind = item.get("type", "in_scope")
            expect = item.get("expect", [])
            expect = [expect] if isinstance(expect, str) else list(expect)
            if kind not in TYPES or not isinstance(item["question"], str):
                raise ValueError(f"type must be one of {', '.join(TYPES)}")
            if kind == "in_scope" and not expect:
                raise ValueError("an in-scope question needs 'expect'")
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            raise EvalError(f"{path}:{number}: bad question ({exc})") from exc
        questions.append(EvalQuestion(item["question"], kind, tuple(expect)))
    if not questions:
        raise EvalError(f"{path}: no questions")
    return questions


def rank_of(texts: list[str], expect: tuple[str, ...]) -> int | None:
    """1-based position of the first text containing an expected string, or None."""
    wanted = [e.lower() for e in expect]
    for position, text in enumerate(texts, start=1):
        if any(w in text.lower() for w in wanted):
            return position
    return None


def evaluate(answerer, questions: list[EvalQuestion]) -> Report:
    """Ask every question and record ranks, no-match and urgency outcomes."""
    report = Report()
    for q in questions:
        answer = answerer.answer(q.question)
        report.no_match[q.type].append(answer.no_match)
        report.urgent[q.type].append(answer.urgent)
        texts = [a.text for a in answer.answers]
        if q.type == "in_scope":
            rank = rank_of(texts, q.expect)
            report.ranks.append((q, rank))
            if rank != 1:
                top = texts[0][:70] if texts else "(no match)"
                report.misses.append(f"rank {rank}: {q.question!r} -> {top!r}")
        elif q.type == "off_topic" and not answer.no_match:
            report.misses.append(f"answered off-topic: {q.question!r} -> {texts[0][:70]!r}")
        elif q.type == "urgent" and not answer.urgent:
            report.misses.append(f"not flagged urgent: {q.question!r}")
        if q.type != "urgent" and answer.urgent:
            report.misses.append(f"false urgent: {q.question!r}")
    return report
