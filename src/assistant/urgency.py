"""Urgency: does a question describe a child at risk now? Cue rules, and a small model trained on written scenes.

The cue lists (data/urgent.txt) hold what can be listed: strong cues that are an emergency alone,
danger cues that are one together with a cue that it is happening now, and calm cues of the past or
of practice in general. Scenes are told in endless ways, so the decision is a logistic model trained
on written urgent scenes and calm questions (data/urgency_scenes.jsonl), over the question's words,
word pairs and the cue rule's verdict. Its weights are a plain data file (data/urgency_model.json),
scored here without scikit-learn, so answering loads no learning library; `assistant train-urgency`
rebuilds them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.analysis import (Phrases, as_phrases, data_sections, has_phrase, negative_contractions, plain,
                                stopwords, word_runs)

SCENES_FILE = "urgency_scenes.jsonl"
MODEL_FILE = "urgency_model.json"
# Inverse regularisation strength of the model; chosen by leaving each scene writer out in turn
# and, since the scenes of imminent harm were added, by missing no urgent question of the sets
# (16 missed one whose strong cue was outweighed by its words; 8 misses none, at a few more false alarms).
C = 8.0
# The model's probability from which a question is urgent. Leaving each scene writer out in turn,
# 0.4 flagged 96% of urgent scenes with 6% false alarms on calm questions written to look alarming,
# 0.5 flagged 94% with 5%; on practitioners' questions 0.4 raises about 1 false alarm in 100. A
# missed emergency costs more than a needless banner, so the lower one.
THRESHOLD = 0.4
# With a strong cue ("not breathing", "posted a goodbye"), which alone describes an emergency, a
# lower probability is enough: the words around it ("quick one", "who do I call") must not talk
# the model out of it. Over the question sets this flagged the one urgent question 0.4 missed, for
# one more false alarm in about 3,000.
STRONG_THRESHOLD = 0.3


@dataclass(frozen=True)
class UrgencyCues:
    """Phrases that mark a question as describing a child at risk now (from data/urgent.txt)."""

    strong: Phrases
    danger: Phrases
    now: Phrases
    calm: Phrases = Phrases()


@lru_cache(maxsize=1)
def urgency_cues() -> UrgencyCues:
    """Read the urgency cue lists from the package's data file."""
    sections = data_sections("urgent.txt")
    return UrgencyCues(*(Phrases(plain(line) for line in sections.get(name, ()))
                         for name in ("strong", "danger", "now", "calm")))


# "he is running to his car", "she's walking towards it": something happening as the question is typed.
# Verbs of state or thought ("what support is lacking") say nothing is happening; nor does what the
# practitioner is doing ("I'm chairing an ICPC"), so "I am" is not an auxiliary here.
_STATIVE = ("be|go|miss|noth|someth|anyth|everyth|th|lack|hav|wonder|think|ask|say|plann|consider|do|work|"
            "writ|read|prepar|hop|expect|seek|struggl|look|gett|feel")
_PROGRESSIVE = re.compile(
    r"\b(?:is|are|s|re|shes|hes|theyre|youre)\s+(?:\w+ly\s+)?(?!(?:" + _STATIVE + r")ing\b)\w+ing\b")


@dataclass(frozen=True)
class CueHits:
    """Which kinds of cue a question holds."""

    strong: bool
    danger: bool
    now: bool
    calm: bool

    @property
    def rule(self) -> bool:
        """The cue rule: a strong cue, or danger together with now in a question not about the past."""
        return self.strong or (self.danger and self.now and not self.calm)


def cue_hits(question: str, cues: UrgencyCues | None = None) -> CueHits:
    """Find the strong, danger, now and calm cues in a question."""
    cues = cues or urgency_cues()
    text = plain(question)
    lists = [as_phrases(p) for p in (cues.strong, cues.danger, cues.now, cues.calm)]
    runs = word_runs(text, max(p.longest for p in lists))  # one look-up table for the four lists
    strong, danger, now, calm = (has_phrase(text, p, runs) for p in lists)
    return CueHits(strong, danger, now or _PROGRESSIVE.search(text) is not None, calm)


# ---------------------------------------------------------------------------- the model


_SUFFIXES = ("ing", "ed", "es", "s")


def light_stem(word: str) -> str:
    """A word without its commonest ending ("hitting" -> "hitt", "screams" -> "scream"); no stemmer to load."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words that say how a question is written, not what happens: the stopwords and "dont", "isnt"..."""
    return stopwords() | negative_contractions()


def features(question: str, cues: UrgencyCues | None = None) -> frozenset[str]:
    """The model's features: content-word stems, pairs of neighbouring words, and the cue rule's verdicts.

    Function words count only inside pairs ("is hitting", "on her own"): alone they say how a
    question is written (a story, a search-box fragment), not whether a child is at risk now. The
    cue lists enter as the rule's outcome, strong cue or danger-with-now, and as calm cues; a "now"
    or "danger" cue alone ("she says", "missing") is as common in practice questions as in scenes.
    """
    words = plain(question).split()
    stems = [light_stem(w) for w in words]
    found = {f"w:{s}" for w, s in zip(words, stems) if w not in function_words()}
    found |= {f"b:{a} {b}" for a, b in zip(stems, stems[1:])}
    hits = cue_hits(question, cues)
    found |= {f"cue:{name}" for name in ("strong", "calm") if getattr(hits, name)}
    if hits.rule:
        found.add("cue:rule")
    return frozenset(found)


@dataclass(frozen=True)
class UrgencyModel:
    """A logistic model over binary features, each row scaled to unit length."""

    weights: dict[str, float]
    bias: float
    scenes_sha256: str = ""

    def probability(self, question: str, cues: UrgencyCues | None = None) -> float:
        """The model's probability that the question describes a child at risk now."""
        found = features(question, cues)
        score = self.bias + sum(self.weights.get(f, 0.0) for f in found) / math.sqrt(len(found) or 1)
        return 1.0 / (1.0 + math.exp(-score))

    def to_json(self) -> str:
        """The model as the data file holds it (weights sorted, so a retrain diffs cleanly)."""
        weights = {f: round(w, 6) for f, w in sorted(self.weights.items()) if abs(w) >= 1e-6}
        return json.dumps({"scenes_sha256": self.scenes_sha256, "bias": round(self.bias, 6), "weights": weights},
                          indent=0, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Scene:
    """One training example: a question and whether it describes a child at risk now."""

    text: str
    urgent: bool
    source: str = ""


def read_scenes(path: Path | None = None) -> list[Scene]:
    """Read the training scenes (JSONL: {"text": ..., "urgent": true|false, "source": ...})."""
    text = path.read_text(encoding="utf-8") if path else _data_text(SCENES_FILE)
    name = path.name if path else SCENES_FILE
    scenes = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            if not isinstance(item.get("text"), str) or not isinstance(item.get("urgent"), bool):
                raise ValueError(f"{name}:{number}: a scene needs a text and urgent true or false")
            scenes.append(Scene(item["text"], item["urgent"], item.get("source", "")))
    return scenes


def train(scenes: Iterable[Scene], c: float = C, cues: UrgencyCues | None = None) -> UrgencyModel:
    """Fit the logistic model on scenes (scikit-learn is needed here only)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    scenes = list(scenes)
    vectorizer = DictVectorizer()
    x = normalize(vectorizer.fit_transform([dict.fromkeys(features(s.text, cues), 1.0) for s in scenes]))
    y = [s.urgent for s in scenes]
    fitted = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000,
                                 random_state=0).fit(x, y)
    weights = dict(zip(vectorizer.get_feature_names_out(), (float(w) for w in fitted.coef_[0])))
    return UrgencyModel(weights, float(fitted.intercept_[0]), scenes_sha256(scenes))


def cross_validate(scenes: list[Scene], c: float = C) -> list[tuple[str, float, float]]:
    """Per writer (source): urgent recall and false-alarm rate of a model trained on the other writers' scenes."""
    results = []
    for source in sorted({s.source for s in scenes}):
        held = [s for s in scenes if s.source == source]
        rest = [s for s in scenes if s.source != source]
        if not held or len({s.urgent for s in rest}) < 2:
            continue
        model = train(rest, c)
        said = [(s.urgent, is_urgent(s.text, model=model)) for s in held]
        urgent = [flag for gold, flag in said if gold]
        calm = [flag for gold, flag in said if not gold]
        results.append((source, sum(urgent) / (len(urgent) or 1), sum(calm) / (len(calm) or 1)))
    return results


def scenes_sha256(scenes: Iterable[Scene]) -> str:
    """A fingerprint of what a model is trained from, kept with it so a stale model is noticed.

    The scenes, and the data files the features are read through: the stopwords and the negative
    contractions of irregular.txt (function words count only in pairs), and the cue lists.
    """
    digest = hashlib.sha256()
    for name in ("stopwords.txt", "irregular.txt", "urgent.txt"):
        digest.update(_data_text(name).encode())
    for s in scenes:
        digest.update(f"{s.urgent}\t{s.text}\n".encode())
    return digest.hexdigest()


def _data_text(name: str) -> str:
    return resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def urgency_model() -> UrgencyModel:
    """The trained model shipped in the package's data folder."""
    data = json.loads(_data_text(MODEL_FILE))
    return UrgencyModel(data["weights"], data["bias"], data["scenes_sha256"])


# ---------------------------------------------------------------------------- the decision


def is_urgent(question: str, cues: UrgencyCues | None = None, model: UrgencyModel | None = None) -> bool:
    """True when a question describes a child at risk now, in the trained model's judgement.

    The cue rule is one of the model's features, with the words and word pairs around it, so a
    scene the lists miss ("he's got her in the car and won't let her out") can still be urgent,
    and a cue in a question about practice ("what if a parent arrives drunk?") need not be.
    """
    probability = (model or urgency_model()).probability(question, cues)
    return probability >= THRESHOLD or (probability >= STRONG_THRESHOLD and cue_hits(question, cues).strong)
