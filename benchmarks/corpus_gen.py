"""Generated corpora for the speed and load benchmarks: bulletin-shaped text at any size, seeded.

Every generated corpus is the real bulletin (corpus/learning-review-issue-2.txt) plus generated
bulletins written as plain-text files, so the real parser (assistant.ingest) reads them exactly as
it reads a bulletin: "Welcome to the Nth issue of ..." openings, standalone section headings, case
headings "Case N—Title" with a summary line, "Recommendations for practice:" followed by ".."
bullets, "Key messages for practitioners:" with "- " bullets and numbered research findings.

Sentence shapes come from the bulletin's own passages: each generated sentence is a bulletin
sentence whose content words are kept (45%), swapped for another bulletin content word drawn by
its bulletin frequency (40%), or swapped for an English word drawn Zipf-like from pyspellchecker's
frequency list (15%). Stopwords, punctuation, numbers and sentence lengths stay as the bulletin
has them. The English share makes the vocabulary grow with the corpus (Heaps' law), as a real
archive of bulletins would, instead of a fixed ~800 words whose postings grow without limit.

Run it alone to write a corpus folder and check that the parser finds the intended passages:

    .venv/bin/python benchmarks/corpus_gen.py 10000 /tmp/bench-corpus/10k
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BULLETIN = ROOT / "corpus" / "learning-review-issue-2.txt"
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
GENERATOR_VERSION = "2"  # bump when the generated text changes, so cached corpora are rewritten
SEED = 20240611
PASSAGES_PER_FILE = 500

KEEP, BULLETIN_WORD = 0.45, 0.40  # the rest (0.15) is an English word
ENGLISH_POOL = 40_000

CASE_TITLES = (
    "Child Sexual Exploitation (CSE)", "Child physical abuse", "Neglect", "Domestic abuse",
    "Missing from home", "Non-accidental injury", "Emotional abuse", "Child sexual abuse",
    "Disguised compliance", "Teenage neglect", "Unborn baby", "Criminal exploitation",
    "Parental mental health", "Children in care", "Online grooming", "Sudden unexpected death in infancy",
)
SECTION_SHAPES = (
    "Learning Lessons from local reviews", "The Munro Review & the Government Response",
    "Practitioners responsibilities to keep up to date with current research",
    "Learning from national reviews", "Practice updates from the board", "Training and development",
    "Updates on procedures and guidance", "Good practice from local teams",
)
_TOKEN = re.compile(r"[A-Za-z]+|[^A-Za-z]+")
_CALLOUT = re.compile(r"\b(N\.\s?B\.?|NB:|Note:)\s")  # would split a passage in two: avoid
# Swear words from the English frequency list have no place in bulletin-like text.
_COARSE = re.compile(r"fuck|shit|cunt|bitch|nigg|whore|slut|wank|twat|bastard|pussy|dick|cock|fag")


# ---------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Shapes:
    """Sentence shapes by the kind of unit they fill, and the words to fill them with."""

    recommendation: tuple[str, ...]
    key_message: tuple[str, ...]
    paragraph: tuple[str, ...]
    research: tuple[str, ...]
    summary: tuple[str, ...]
    bulletin_words: tuple[str, ...]
    bulletin_weights: tuple[int, ...]
    english_words: tuple[str, ...]
    english_weights: tuple[float, ...]
    stopwords: frozenset[str]


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    """Read the bulletin's passages (with the real parser) into shapes and word lists."""
    from spellchecker import SpellChecker

    from assistant.analysis import default_analyzer
    from assistant.ingest import read_bulletin

    bulletin = read_bulletin(BULLETIN)
    stop = default_analyzer().stopwords | {"the", "and", "for", "that", "with", "this", "you", "your"}
    by_kind: dict[str, list[str]] = {}
    words: Counter[str] = Counter()
    for p in bulletin.passages:
        by_kind.setdefault(p.kind, []).append(p.text)
        for w in re.findall(r"[A-Za-z]+", p.text):
            if len(w) >= 3 and w.lower() not in stop:
                words[w.lower()] += 1
    # Paragraphs must end a sentence: one ending "to:" or "recommendation>" introduces the next line
    # and would make the parser read a following heading as its content.
    long_paras = [t for k in ("context", "introduction", "review findings", "government response", "book")
                  for t in by_kind.get(k, []) if len(t.split()) >= 15 and t.endswith(".") and not _CALLOUT.search(t)]
    research = [re.sub(r"^\d+\.\s*", "", t) for t in by_kind.get("pitfall", []) + by_kind.get("research", [])]
    english = SpellChecker().word_frequency.dictionary
    pool = sorted((w for w, n in english.items()
                   if w.isalpha() and w.isascii() and 4 <= len(w) <= 14 and not _COARSE.search(w)),
                  key=lambda w: (-english[w], w))[:ENGLISH_POOL]
    return Shapes(
        recommendation=tuple(t for t in by_kind["recommendation"] if not _CALLOUT.search(t)),
        key_message=tuple(by_kind["key message"]),
        paragraph=tuple(long_paras),
        research=tuple(research) or tuple(long_paras),
        summary=tuple(by_kind["case summary"]),
        bulletin_words=tuple(words),
        bulletin_weights=tuple(words.values()),
        english_words=tuple(pool),
        english_weights=tuple(1.0 / (rank + 10) for rank in range(len(pool))),  # Zipf, s = 1
        stopwords=frozenset(stop),
    )


class Writer:
    """Fills sentence shapes with words, from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.s = shapes()
        self._bulletin: list[str] = []
        self._english: list[str] = []

    def _draw(self, pool: list[str], words, weights) -> str:
        if not pool:  # draw in batches: random.choices is much faster per word that way
            pool.extend(self.rng.choices(words, weights, k=4096))
        return pool.pop()

    def word(self, original: str) -> str:
        """A content word kept or replaced, with the original's capitalisation."""
        roll = self.rng.random()
        if roll < KEEP:
            return original
        if roll < KEEP + BULLETIN_WORD:
            new = self._draw(self._bulletin, self.s.bulletin_words, self.s.bulletin_weights)
        else:
            new = self._draw(self._english, self.s.english_words, self.s.english_weights)
        if original.isupper() and len(original) > 1:
            return new.upper()
        return new.capitalize() if original[:1].isupper() else new

    def fill(self, shape: str) -> str:
        """A sentence with the shape's stopwords, punctuation and length, and new content words."""
        for _ in range(5):
            out = []
            for piece in _TOKEN.findall(shape):
                if piece[0].isalpha() and len(piece) >= 3 and piece.lower() not in self.s.stopwords:
                    out.append(self.word(piece))
                else:
                    out.append(piece)
            text = "".join(out)
            if not _CALLOUT.search(text):
                return text
        return shape

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)


# ---------------------------------------------------------------------------- bulletins


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def bulletin_text(writer: Writer, issue: int, passages: int) -> tuple[str, int]:
    """One bulletin's text with about `passages` passages; returns the text and its exact passage count."""
    s = writer.s
    intro = writer.fill(s.paragraph[0]) if s.paragraph else "A generated bulletin."
    blocks = [f"Welcome to the {_ordinal(issue)} issue of the Generated Learning Review. {intro}"]
    count, case = 1, 0
    while count < passages:
        room = passages - count
        roll = writer.rng.random()
        if roll < 0.55 and room >= 4:  # a case: heading, summary, recommendations (and key messages)
            case += 1
            title = writer.pick(CASE_TITLES)
            blocks.append(f"Case {case}\u2014{title}")
            blocks.append(writer.fill(writer.pick(s.summary)))
            recs = min(room - 1, writer.rng.randint(3, 9))
            blocks.append("Recommendations for practice:")
            blocks += [".." + writer.fill(writer.pick(s.recommendation)) for _ in range(recs)]
            count += 1 + recs
            room = passages - count
            if room >= 2 and writer.rng.random() < 0.3:
                msgs = min(room, writer.rng.randint(2, 4))
                blocks.append("Key messages for practitioners:")
                blocks.append("\n".join("- " + writer.fill(writer.pick(s.key_message)) for _ in range(msgs)))
                count += msgs
        elif roll < 0.85 or room < 4:  # a section of plain paragraphs
            blocks.append(writer.fill(writer.pick(SECTION_SHAPES)))
            paras = min(room, writer.rng.randint(1, 4))
            blocks += [writer.fill(writer.pick(s.paragraph)) for _ in range(paras)]
            count += paras
        else:  # numbered research findings
            blocks.append("What research tells us")
            items = min(room, writer.rng.randint(3, 10))
            blocks.append("\n".join(f"{i}. {writer.fill(writer.pick(s.research))}" for i in range(1, items + 1)))
            count += items
    return "\n\n".join(blocks) + "\n", count


def corpus_key(total: int, seed: int = SEED) -> str:
    """What a generated corpus depends on: size, seed, generator version and the bulletin's text."""
    digest = hashlib.sha256(BULLETIN.read_bytes()).hexdigest()[:12]
    return f"n={total};seed={seed};v={GENERATOR_VERSION};bulletin={digest};per_file={PASSAGES_PER_FILE}"


def write_corpus(total: int, folder: Path, seed: int = SEED) -> Path:
    """Write the bulletin plus generated bulletins with `total` passages in all into folder (cached).

    The folder is reused when its stamp matches; otherwise it is emptied and written again.
    """
    stamp = folder / "GENERATED.json"
    key = corpus_key(total, seed)
    if stamp.is_file() and json.loads(stamp.read_text()).get("key") == key:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(BULLETIN, folder / BULLETIN.name)
    from assistant.ingest import read_bulletin

    remaining = total - len(read_bulletin(BULLETIN).passages)
    writer = Writer(seed)
    issue = 3
    files = 0
    while remaining > 0:
        size = min(PASSAGES_PER_FILE, remaining)
        text, count = bulletin_text(writer, issue, size)
        (folder / f"generated-review-issue-{issue:05d}.txt").write_text(text, encoding="utf-8")
        remaining -= count
        issue += 1
        files += 1
    stamp.write_text(json.dumps({"key": key, "passages": total, "files": files + 1}))
    return folder


def bulletin_only(folder: Path) -> Path:
    """A corpus folder holding just the real bulletin."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BULLETIN.name
    if not target.is_file() or target.read_bytes() != BULLETIN.read_bytes():
        shutil.copy(BULLETIN, target)
    return folder


# ---------------------------------------------------------------------------- queries


def _typo(word: str, rng: random.Random) -> str:
    """A plausible misspelling: an inner letter dropped, doubled, or two inner letters swapped."""
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(("drop", "double", "swap"))
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "double":
        return word[:i] + word[i] + word[i:]
    j = i + 1 if i + 1 < len(word) else i - 1
    a, b = sorted((i, j))
    return word[:a] + word[b] + word[a] + word[b + 1 :] if word[a] != word[b] else word[:i] + word[i + 1 :]


GENERATED_TEMPLATES = (
    "what should I do about {0} and {1}",
    "how do I {0} {1} {2}",
    "who do I tell about {0} {1}",
    "{0} {1} {2} recommendations",
    "is there guidance on {0} when {1}",
    "what does the bulletin say about {0} {1} {2}",
    "key messages about {0} for {1}",
    "{0} {1}",
)


def queries(n_eval: int = 120, n_generated: int = 60, n_misspelt: int = 20, seed: int = SEED) -> list[str]:
    """A fixed question set: the evaluation questions, generated ones, and misspelt versions of in-scope ones.

    The evaluation questions (tests/eval/questions.jsonl) are in-scope, off-topic and urgent questions a
    practitioner would type; the generated ones use the generated corpora's word distribution; the
    misspelt ones make every run exercise the spelling corrector.
    """
    rng = random.Random(seed + 1)
    evaluation: list[dict] = []
    if QUESTIONS.is_file():
        evaluation = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    asked = [q["question"] for q in evaluation][:n_eval]
    s = shapes()
    writer = Writer(seed + 2)
    generated = []
    for i in range(n_generated):
        picks = []
        for _ in range(3):
            if rng.random() < 0.7:
                picks.append(rng.choices(s.bulletin_words, s.bulletin_weights)[0])
            else:
                picks.append(writer._draw(writer._english, s.english_words, s.english_weights))
        generated.append(GENERATED_TEMPLATES[i % len(GENERATED_TEMPLATES)].format(*picks))
    in_scope = [q["question"] for q in evaluation if q.get("type") == "in_scope"] or asked
    misspelt = []
    for i in range(n_misspelt):
        words = in_scope[i % len(in_scope)].split()
        long = [j for j, w in enumerate(words) if w.isalpha() and len(w) >= 5]
        for j in rng.sample(long, min(len(long), 1 + i % 2)):
            words[j] = _typo(words[j], rng)
        misspelt.append(" ".join(words))
    return asked + generated + misspelt


def queries_digest(items: list[str]) -> str:
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:10]


# ---------------------------------------------------------------------------- code stamp


def code_stamp() -> str:
    """The commit and a digest of src/ as measured (src/ may hold uncommitted changes)."""
    import subprocess

    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        head = ""
    return f"commit {head or 'unknown'}, src digest {digest.hexdigest()[:10]}"


# ---------------------------------------------------------------------------- check


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: corpus_gen.py PASSAGES FOLDER", file=sys.stderr)
        return 2
    total, folder = int(argv[1]), Path(argv[2])
    write_corpus(total, folder)
    from assistant.index import read_corpus

    bulletins, warnings = read_corpus(folder)
    found = sum(len(b.passages) for b in bulletins)
    kinds = Counter(p.kind for b in bulletins for p in b.passages)
    print(f"{folder}: {len(bulletins)} bulletins, {found} passages (asked for {total}); kinds {dict(kinds)}")
    for w in warnings:
        print("warning:", w)
    return 0 if found == total else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
