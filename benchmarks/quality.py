"""Answer quality side by side: the assistant against a plain rank-bm25 baseline over blank-line paragraphs.

Run: .venv/bin/python benchmarks/quality.py [QUESTIONS.jsonl ...]   (default: every set in tests/eval/)
The baseline is what a developer would try first: split the bulletin on blank lines, lower-case and
split on non-letters, rank with rank_bm25.BM25Okapi. An answer "finds" a passage when the quoted
text contains one of the question's expected strings, exactly as in `assistant eval`.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from rank_bm25 import BM25Okapi

from assistant.answer import Answerer
from assistant.evaluation import EvalError, evaluate, rank_of, read_questions
from assistant.index import open_index

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "eval"
# Every blind set, in the order written (blind_a ... blind_z, blind_aa ...).
BLIND_SETS = tuple(sorted((p.name for p in EVAL.glob("blind_*.jsonl")), key=lambda name: (len(name), name)))
QUALITY_SETS = ("questions.jsonl", "holdout.jsonl", *BLIND_SETS, "off_topic_f.jsonl",
                "urgency.jsonl", "urgency_i.jsonl", "urgency_k.jsonl")


def paragraphs(corpus: Path) -> list[str]:
    """Blank-line paragraphs of every bulletin, whitespace collapsed."""
    out = []
    for path in sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.md")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if block.strip():
                out.append(" ".join(block.split()))
    return out


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def baseline_figures(corpus: Path, questions) -> dict[str, float]:
    """hit@1, hit@3 and MRR of plain BM25Okapi over paragraphs, on the in-scope questions."""
    paras = paragraphs(corpus)
    bm25 = BM25Okapi([tokens(p) for p in paras])
    ranks = []
    for q in questions:
        if q.type != "in_scope":
            continue
        scores = bm25.get_scores(tokens(q.question))
        order = sorted(range(len(paras)), key=lambda i: -scores[i])[:3]
        ranks.append(rank_of([paras[i] for i in order if scores[i] > 0], q.expect))
    n = len(ranks) or 1
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@3": sum(r is not None for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def report(corpus: Path, questions_file: Path, questions, answerer) -> str:
    """Print one question set's table (the assistant beside the baseline, with ratios); return its summary row."""
    started = time.perf_counter()
    ours = evaluate(answerer, questions).figures()
    per_question_ms = (time.perf_counter() - started) * 1000 / len(questions)
    base = baseline_figures(corpus, questions)
    calm = sum(q.type == "calm" for q in questions)
    print(f"\n{questions_file.name}: {ours['in_scope']} in scope, {ours['off_topic']} off-topic, "
          f"{ours['urgent']} urgent" + (f", {calm} calm" if calm else "") + "\n")
    print("| measure | assistant | rank-bm25 over paragraphs | ratio |")
    print("|---|---:|---:|---:|")
    for key in ("hit@1", "hit@3", "mrr") if ours["in_scope"] else ():
        ratio = ours[key] / base[key] if base[key] else float("inf")
        print(f"| {key} | {ours[key]:.3f} | {base[key]:.3f} | {ratio:.2f}x |")
    for key in ("in_scope_no_match", "off_topic_rejected", "urgent_recall", "urgent_false_alarms"):
        print(f"| {key} | {ours[key]:.3f} | n/a | |")
    print(f"\nmean time per question (assistant, in process, whole answer): {per_question_ms:.2f} ms")
    return summary_row(questions_file.name, questions, ours, base)


def summary_row(name: str, questions, ours: dict, base: dict) -> str:
    """One markdown row: the set, its size, and the headline figures ('-' where a set has no such question)."""
    counts = {t: sum(q.type == t for q in questions) for t in ("in_scope", "off_topic", "urgent", "calm")}
    size = " / ".join(str(counts[t]) for t in ("in_scope", "off_topic", "urgent", "calm"))
    def cell(key: str, present: bool) -> str:
        return f"{ours[key]:.3f}" if present else "-"
    scoped, off, urgent = counts["in_scope"] > 0, counts["off_topic"] > 0, counts["urgent"] > 0
    cells = [cell("hit@1", scoped), cell("hit@3", scoped), cell("mrr", scoped), cell("in_scope_no_match", scoped),
             cell("off_topic_rejected", off), cell("urgent_recall", urgent), cell("urgent_false_alarms", True),
             f"{base['hit@1']:.3f}" if scoped else "-"]
    return f"| {name} | {size} | " + " | ".join(cells) + " |"


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv[1:]):
        print(__doc__)
        return 0
    files = [Path(a) for a in argv[1:]] or [EVAL / name for name in QUALITY_SETS]
    corpus = ROOT / "corpus"
    try:
        sets = [read_questions(path) for path in files]  # every set checked before anything is measured
    except EvalError as exc:
        print(f"quality.py: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        answerer = Answerer(open_index(corpus, Path(scratch)))
        rows = [report(corpus, path, questions, answerer) for path, questions in zip(files, sets)]
    print("\nSummary (questions: in scope / off-topic / urgent / calm)\n")
    print("| set | questions | hit@1 | hit@3 | MRR | in-scope no-match | off-topic rejected | urgent recall "
          "| urgent false alarms | rank-bm25 hit@1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
