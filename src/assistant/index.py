"""Build, search, save and load the passage index.

Two lexical scorers over each passage's text and its context (case, case summary, section):
BM25 with a non-negative IDF, and TF-IDF cosine (weights learned with scikit-learn). Both are
precomputed into sparse matrices, so a query touches only the columns of its own terms. The
index is saved as plain files (JSON, JSONL, npz; no pickle) with a manifest holding the corpus
hash, the package version and a checksum of every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from assistant import __version__
from assistant.analysis import (CASE_PREFIX, CONCEPT_PREFIX, Analysed, Analyzer, Phrases, Speller, Token, data_files,
                                data_sections, default_analyzer, plain, read_data, word_runs)
from assistant.ingest import (ALL_AREAS, OFFICE_HOURS, RECORD_FIELD, Bulletin, Contact, IngestError, Passage,
                              corpus_files, introduced_cases, is_record, read_bulletin)

FORMAT = 3
K1 = 1.2
B = 0.75
# Context (case title, section heading) counts for less than the passage's own words.
CONTEXT_WEIGHT = 0.5
# A passage that matches a question only through its context ("Series: ..." under "one reader's
# recommendation") says nothing the question asks about: BM25 would put the shortest such passage
# first. Over every question set, 0.8 put the right passage first for 12 more questions than 1.0 did
# (21 sets gained, 7 lost); 0.9 gained as many, 0.7 four more first but four fewer in the top three.
CONTEXT_ONLY = 0.8
# A case's one-line summary or a bare link title is a weaker answer than the advice around it;
# short as they are, BM25 would otherwise rank them above it.
KIND_PRIOR = {"case summary": 0.8, "link": 0.8}
# A reference record ("Book Title: ... Authors: ... Publishers: ...") says where to find a work, not
# what it found: like a link title, a weaker answer than the passage that describes the work.
RECORD_PRIOR = 0.8
# A question that names a case by number wants that case's passages.
CASE_BOOST = 3.0
# A question that names an area wants that area's duty team: another area's contact is a weaker answer.
OTHER_AREA = 0.5
# Words before a subject that make it who is asking, not what is asked ("I'm a childminder", "I work
# in a children's home", "I run a family hub", "I'm in the youth offending team", "we're a children's
# home"); "as a childminder" only opens a question ("registering as a childminder" asks).
_BE = {"i": ("m", "am"), "we": ("re", "are")}  # "I'm a childminder", "we're a family hub"
ASKER_LEAD_INS = tuple((who, *rest) for who in ("i", "we") for rest in (
    *((be, "a") for be in _BE[who]), ("work", "in", "a"), ("work", "at", "a"), ("work", "in"), ("work", "at"),
    ("work", "for", "a"), ("work", "for"), ("run", "a"), ("run", "the"), ("manage", "a"), ("manage", "the"),
    ("lead", "a"), ("lead", "the"), *((be, where, det) for be in _BE[who] for where in ("in", "on", "with", "from")
                                      for det in ("a", "the")))) + (("we", "re"), ("we", "are"))
OPENING_LEAD_INS = (("as", "a"), ("as", "an"))
# "our lone working policy", "my youth offending team meeting": the asker's own.
OWN = frozenset({"our", "my"})
# After "it" or "them" a subject's word is a verb: "has the LSCB adopted it" is not about adoption.
OBJECTS = frozenset({"it", "them"})
# Words of a last sentence that point back to what the sentence before named ("the threshold for each").
POINTING_BACK = frozenset({"it", "its", "each", "both", "either", "this", "these", "those"})
# A sentence ends at a full stop, question or exclamation mark followed by more text.
_SENTENCE_END = re.compile(r"[.?!]+[\"')\]]*\s+(?=\S)")
# "how do I run a family hub" asks how; "I run a family hub" says who is asking.
ASKING = frozenset({"do", "does", "did", "should", "can", "could", "would", "to", "will"})
# The thesaurus concept of the bulletin's own name ("the bulletin", "this newsletter").
BULLETIN_CONCEPT = "bulletin"
# A question that names the kind of passage it wants (data/intents.txt: "summary", "link", "pitfall").
# Over every question set, 1.6 puts the right passage first for 9 more questions than 1.3 did; 2.0
# for 15 more, but 4 more in-scope questions then got no match.
KIND_INTENT_BOOST = 1.6
# The kind a request for a summary asks for; its phrases' words say how to answer ("the short
# version"), so they are not searched for ("short" is in "the short, medium and long term").
SUMMARY_KIND = "case summary"
# Phrases that say where to look, not what about ("what does the bulletin say about", "anything in
# the bulletin on"), or when the asker's own scene is ("next month"): like a request for a summary,
# their words are neither searched for nor covered.
FRAME = "frame"
# The section of data/intents.txt listing words that pad a request ("actually", "really").
FILLERS = "fillers"
# Kinds of answer a question can ask for by its form, and what a passage that gives one says: a
# question asking why ("[reason]" in data/intents.txt), when ("[date]"), how many ("[quantity]") or
# who wrote a work ("[reference]") lifts, by the same factor, the passages that give a reason, a
# date, a count ("149 children") or a reference record; one asking how often ("[frequency]") where
# no passage gives a frequency needs the closer match asked of a subject no bulletin covers.
ANSWER_TYPES = {
    "reason": re.compile(r"\b(because|due to|as a result of|the reason)\b", re.IGNORECASE),
    "date": re.compile(r"\b(1[89]\d\d|20\d\d|January|February|March|April|May|June|July|August|September|"
                       r"October|November|December)\b"),
    "frequency": re.compile(r"\b(every (day|week|month|year|\w+ (days|weeks|months|years))|daily|weekly|"
                            r"fortnightly|monthly|quarterly|annually|yearly|once an? \w+|twice an? \w+|"
                            r"times an? (day|week|month|year))\b", re.IGNORECASE),
    "reference": RECORD_FIELD,  # who wrote it, what it is called: a reference record ("Book Title: ...")
    # A number before a plural ("149 children", "9 months", "seven local authorities"); not a list
    # marker ("5."), part of a phone number, a time or a price.
    "quantity": re.compile(r"(?<![\d.:/£$-])\b(\d{1,3}(,\d{3})*|two|three|four|five|six|seven|eight|nine|ten|"
                           r"eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?)(?![.\d])"
                           r"\s+([a-z-]+\s+){0,2}[a-z-]+(s|ren)\b", re.IGNORECASE),
}
# A question asking which case is about something ("[cases introduced]" in data/intents.txt) lifts, by the
# same factor, the passages that introduce the cases after them ("The next two cases highlight...").
# A bulletin without such a passage answers it from the cases themselves: it is not held to the closer match.
INTRODUCTION = "cases introduced"  # not a passage kind: "introduction" is the issue's opening
# Words that ask how to reach someone: with a place ("rutland email") they ask for a duty contact.
GETTING_IN_TOUCH = frozenset({"phone", "telephone", "tel", "number", "email", "call", "ring", "contact", "helpline",
                              "refer", "referral", "referrals", "touch", "send", "report"})
# "Who do I get hold of": hold asks how to reach someone only after get ("hold a meeting" does not).
GET = frozenset({"get", "got", "getting"})
# How many passages' analyses (for highlighting matched words) to keep.
ANALYSED_CACHE = 4096
FILES = ("passages.jsonl", "bulletins.json", "vocab.json", "speller.json", "english.json", "stems.json",
         "matrices.npz")


@dataclass(frozen=True)
class QueryWord:
    """A content word of a question: as typed, as corrected, and the terms it searches for."""

    typed: str
    word: str
    terms: tuple[str, ...]
    known: bool
    domain: bool = False  # on topic: a safeguarding word, in a thesaurus phrase, or an uncommon thesaurus word


@dataclass(frozen=True)
class Query:
    """An analysed question: the terms to score with, and each content word's fate."""

    terms: tuple[str, ...]
    words: tuple[QueryWord, ...]
    concepts: tuple[str, ...]
    cases: tuple[int, ...] = ()
    case_terms: frozenset[str] = frozenset()  # the terms that only name those cases ("case 2", "the CSE case")
    unseen_subject: bool = False  # names a subject of its own (data/subjects.txt) that no bulletin mentions
    kinds: frozenset[str] = frozenset()  # kinds of passage the question asks for (data/intents.txt)
    # Where the last sentence begins, when every unseen subject lies before it: they may only set the scene.
    question_start: int = 0
    reaching: bool = False  # asks how to reach someone ("phone", "email", "get hold of")

    @property
    def corrections(self) -> dict[str, str]:
        """Typed word -> corrected word, for words that were misspelt."""
        return {w.typed: w.word for w in self.words if w.typed != w.word}


@dataclass(frozen=True)
class Scores:
    """Per-passage scores for one query, from each scorer and fused."""

    bm25: np.ndarray
    tfidf: np.ndarray
    fused: np.ndarray
    # Fused, before the lift for the answer a question's form asks for (why, when, how many): that
    # lift orders passages that match, it is no sign that one of them answers ("how long do I boil
    # an egg" is not about the passage that gives "9 months").
    unlifted: np.ndarray


def bm25_idf(n_docs: int, doc_freq: np.ndarray) -> np.ndarray:
    """Non-negative BM25 IDF, ln(1 + (N - n + 0.5) / (n + 0.5)) (Lucene; Robertson & Zaragoza 2009).

    Okapi's ln((N - n + 0.5) / (n + 0.5)) is zero for a term in half the passages and negative
    above that, which on a corpus as small as one bulletin silences common but useful words.
    """
    return np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25_weights(counts: sparse.csr_matrix, k1: float = K1, b: float = B) -> tuple[sparse.csc_matrix, np.ndarray]:
    """Precompute BM25 term weights idf * tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) per passage."""
    counts = counts.tocsr().astype(np.float64)
    n_docs = counts.shape[0]
    doc_len = np.asarray(counts.sum(axis=1)).ravel()
    avgdl = doc_len.mean() if n_docs else 1.0
    doc_freq = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = bm25_idf(n_docs, doc_freq)
    norm = k1 * (1 - b + b * doc_len / (avgdl or 1.0))
    rows = np.repeat(np.arange(n_docs), np.diff(counts.indptr))
    tf = counts.data
    data = idf[counts.indices] * tf * (k1 + 1) / (tf + norm[rows])
    weights = sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
    return weights.tocsc(), idf


def tfidf_query_vector(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """A query's TF-IDF vector as scikit-learn's TfidfTransformer makes it (sublinear tf, l2 norm)."""
    weights = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0.0) * idf
    norm = np.linalg.norm(weights)
    return weights / norm if norm else weights


@dataclass
class Index:
    """A searchable index over the passages of every bulletin in a corpus."""

    passages: tuple[Passage, ...]
    bulletins: tuple[Bulletin, ...]  # without their passages, which the index holds
    vocab: dict[str, int]
    bm25: sparse.csc_matrix
    bm25_idf: np.ndarray
    tfidf: sparse.csc_matrix
    tfidf_idf: np.ndarray
    in_text: sparse.csc_matrix  # passages x terms: which terms a passage's own text holds (not its context)
    word_freq: dict[str, int]
    english: frozenset[str]
    corpus_hash: str = ""
    covered_subjects: frozenset[str] = frozenset()  # data/subjects.txt phrases (as stems) some passage holds
    warnings: tuple[str, ...] = ()
    analyzer: Analyzer = field(default_factory=default_analyzer, repr=False)
    stems: dict[str, str] = field(default_factory=dict, repr=False)
    _speller: Speller | None = field(default=None, repr=False)
    _by_id: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {p.id: i for i, p in enumerate(self.passages)}
        self.prior = np.array([KIND_PRIOR.get(p.kind, 1.0) * (RECORD_PRIOR if is_record(p.text) else 1.0)
                               for p in self.passages])
        self.case_numbers = np.array([p.case_number or 0 for p in self.passages])
        self.is_summary = np.array([p.kind == "case summary" for p in self.passages])
        # "The next two cases highlight..." introduces cases 2 and 3: row -> the cases it introduces
        self.introduces = {row: cases for row, cases in enumerate(introduced_cases(self.passages)) if cases}
        self.kinds = np.array([p.kind for p in self.passages], dtype=object)
        self.gives = {name: np.array([bool(pattern.search(p.text)) for p in self.passages])
                      for name, pattern in ANSWER_TYPES.items()}  # answer type -> passages that give one
        # "Which of the cases are about babies": the passages that say what the cases that follow are about.
        self.gives[INTRODUCTION] = np.isin(np.arange(len(self.passages)), list(self.introduces))
        rows = self.bm25.tocsr()  # which terms each passage has, without analysing its text again
        self._row_ptr, self._row_terms = rows.indptr, rows.indices
        self._bulletin_by_id = {b.id: b for b in self.bulletins}
        self._bulletin_rank = {b.id: i for i, b in enumerate(self.bulletins)}
        self._analysed: dict[int, Analysed] = {}
        self._case_concepts: dict[int, set[str]] | None = None  # case number -> concepts of its title
        self._areas: dict[int, frozenset[str]] | None = None  # contact passage row -> its area's terms
        self._area_names: frozenset[str] = frozenset()  # every area's terms

    # ------------------------------------------------------------------ lookups

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id, or None."""
        i = self._by_id.get(passage_id)
        return None if i is None else self.passages[i]

    def bulletin(self, bulletin_id: str) -> Bulletin | None:
        """The bulletin with this id, or None."""
        return self._bulletin_by_id.get(bulletin_id)

    def analysed(self, row: int) -> Analysed:
        """Passage `row`'s text as tokens and concepts (kept for the most recently shown passages)."""
        found = self._analysed.get(row)
        if found is None:
            if len(self._analysed) >= ANALYSED_CACHE:
                self._analysed.pop(next(iter(self._analysed)))
            found = self._analysed[row] = self.analyzer.analyse(self.passages[row].text)
        return found

    def bulletin_rank(self, bulletin_id: str) -> int:
        """0 for the newest bulletin, 1 for the next newest, and so on."""
        return self._bulletin_rank.get(bulletin_id, len(self.bulletins))

    def bulletin_age(self, row: int) -> int:
        """How many bulletins are newer than the one passage `row` comes from."""
        return self.bulletin_rank(self.passages[row].bulletin_id)

    def contacts(self) -> tuple[Contact, ...]:
        """Duty contacts from the newest bulletin that lists any."""
        for info in self.bulletins:
            if info.contacts:
                return info.contacts
        return ()

    def doc_freq(self, term: str) -> int:
        """How many passages contain a term."""
        col = self.vocab.get(term)
        return 0 if col is None else int(self.bm25.indptr[col + 1] - self.bm25.indptr[col])

    def idf(self, term: str) -> float:
        """The BM25 IDF of a term (that of an unseen term when it is not in the index)."""
        return float(bm25_idf(len(self.passages), np.array([self.doc_freq(term)]))[0])

    # ------------------------------------------------------------------ queries

    def warm(self) -> None:
        """Build now what the first questions would otherwise wait for (the spelling corrector)."""
        _ = self.speller

    @property
    def speller(self) -> Speller:
        """Spelling correction against the corpus vocabulary, built on first use."""
        if self._speller is None:
            self._speller = Speller(self.word_freq, self.analyzer.stopwords, self.english)
        return self._speller

    def query(self, question: str) -> Query:
        """Analyse a question: correct misspelt words, find concepts, and list the terms to score."""
        typed = self.analyzer.tokens(question)
        tokens = list(typed)
        for i, tok in enumerate(typed):
            if tok.stop or tok.stem in self.vocab or tok.surface in self.word_freq or tok.surface in self.english:
                continue
            if tok.surface in self.analyzer.domain_words or tok.surface in self.analyzer.subject_words:
                continue  # "EHCP" is a word of the field the bulletin doesn't use, not a misspelt "ehc"
            fixed = self.speller.correct(tok.surface)
            if fixed:
                tokens[i] = replace(tok, surface=fixed, stem=self.analyzer.stem(fixed),
                                    stop=fixed in self.analyzer.stopwords)
        analysed = self.analyzer.analyse(question, tuple(tokens))
        concept_of: dict[int, list[str]] = {}
        for c in analysed.concepts:
            for pos in range(c.first, c.last + 1):
                concept_of.setdefault(pos, []).append(CONCEPT_PREFIX + c.name)
        unseen = self._unseen_subjects(analysed)
        reach = [i for i in range(len(analysed.tokens)) if reaches(analysed.tokens, i)]
        on_topic = self._on_topic(analysed, reach) - unseen  # a subject no bulletin covers does not make it ours
        asked = requests(question)
        asking = _form_words(asked)  # "the short version": how to answer, neither searched for nor to cover
        audience = self.analyzer.audience(question, analysed.tokens)  # "a session for new staff on ...": whom for
        framing = {i for i, tok in enumerate(analysed.tokens) if typed[i].surface in asking} | audience
        if all(tok.stop or i in framing for i, tok in enumerate(analysed.tokens)):
            framing, asking, audience = set(), frozenset(), set()  # "what does the bulletin say": the frame is all
        asked.pop(FRAME, None)
        words = []
        for i, tok in enumerate(analysed.tokens):
            if tok.stop or i in framing:
                continue
            # A subject no bulletin names ("section 47 timescales") is not found through its
            # thesaurus concept: the bulletin's "rigorous enquiries" do not answer it.
            terms = (tok.stem,) if i in unseen else (tok.stem, *concept_of.get(i, ()))
            known = any(t in self.vocab for t in terms)
            words.append(QueryWord(typed[i].surface, tok.surface, terms, known, i in on_topic))
        if not unseen:  # beside a subject no bulletin covers, "who do I tell" asks about that subject
            words += self._phrase_words(question, analysed, framing)
        naming = [c for c in analysed.concepts if c.name.startswith(CASE_PREFIX)]
        cases = tuple(int(c.name.removeprefix(CASE_PREFIX)) for c in naming)
        if not cases and any(t.surface in ("case", "cases") for t in analysed.tokens):
            cases, titled = self._cases_titled(analysed)  # "the CSE case", "the two physical abuse cases"
            naming = [c for c in analysed.concepts if c.name in titled]
        elif cases:  # "case 1, the CSE one": the title restated names the same case
            titled = {name for n in cases for name in self._title_concepts().get(n, ())}
            naming += [c for c in analysed.concepts if c.name in titled]
        # Naming the bulletin too ("the first case in the bulletin") still asks about the case alone.
        naming_too = naming + [c for c in analysed.concepts if c.name == BULLETIN_CONCEPT]
        case_terms = {CONCEPT_PREFIX + c.name for c in naming_too} | {"case"} | {
            analysed.tokens[i].stem for c in naming_too for i in range(c.first, c.last + 1)}
        form = {self.analyzer.stem(w) for w in asking}
        searched = Analysed(
            tuple(replace(tok, stop=True) if i in audience else tok for i, tok in enumerate(analysed.tokens)),
            tuple(c for c in analysed.concepts if not framing.issuperset(range(c.first, c.last + 1))))
        return Query(tuple(t for t in searched.terms() if t not in form), tuple(words),
                     tuple(CONCEPT_PREFIX + c.name for c in analysed.concepts), cases,
                     frozenset(case_terms) if cases else frozenset(), bool(unseen), frozenset(asked),
                     _question_start(question, analysed, unseen), bool(reach))

    def _phrase_words(self, question: str, analysed: Analysed, framing: set[int]) -> list[QueryWord]:
        """Thesaurus phrases made only of stopwords, each as one on-topic word of the question.

        "What's it actually for?" or "got what I meant" asks something the bulletin answers, though
        every one of its words is too common to count alone.
        """
        found = []
        for c in analysed.concepts:
            span = range(c.first, c.last + 1)
            if c.last > c.first and all(analysed.tokens[i].stop and i not in framing for i in span):
                phrase = question[analysed.tokens[c.first].start : analysed.tokens[c.last].end]
                term = CONCEPT_PREFIX + c.name
                found.append(QueryWord(phrase, phrase, (term,), term in self.vocab, True))
        return found

    def _title_concepts(self) -> dict[int, set[str]]:
        """Case number -> the concepts of its title that not every case title has."""
        if self._case_concepts is None:
            titles: dict[int, set[str]] = {}
            for p in self.passages:
                if p.case_number and p.case_title:
                    titles.setdefault(p.case_number, set()).update(
                        c.name for c in self.analyzer.analyse(p.case_title).concepts)
            everywhere = set.intersection(*titles.values()) if titles else set()
            self._case_concepts = {n: names - everywhere for n, names in titles.items()}
        return self._case_concepts

    def _cases_titled(self, analysed: Analysed) -> tuple[tuple[int, ...], set[str]]:
        """Case numbers whose titles carry a concept of this text that not every case title has,
        and those concepts."""
        asked = {c.name for c in analysed.concepts}
        titles = self._title_concepts()
        cases = tuple(sorted(n for n, names in titles.items() if names & asked))
        return cases, {name for n in cases for name in titles[n] & asked}

    def _unseen_subjects(self, analysed: Analysed) -> set[int]:
        """Positions of subjects of their own (data/subjects.txt) that no passage in the index names."""
        stems = [t.stem for t in analysed.tokens]
        found: set[int] = set()
        for start, subject in _subjects_in(stems, self.analyzer.subjects_by_first):
            end = start + len(subject)
            after = analysed.tokens[end].surface if end < len(stems) else ""
            previous = analysed.tokens[start - 1].surface if start else ""
            if after in self.analyzer.role_words:
                continue  # "school attendance officer": who is asking, not what
            if previous == "from":
                continue  # "gone missing from the children's home": where the child was, not what is asked
            if after in OBJECTS and len(subject) == 1:
                continue  # "has the LSCB adopted it": a verb, not the subject
            if after in self.analyzer.setting_words and previous in OWN:
                continue  # "for our lone working policy": where the asker is, not what is asked
            before = tuple(t.surface for t in analysed.tokens[max(0, start - 4) : start])
            if any(_says_who(analysed.tokens, start, lead) for lead in ASKER_LEAD_INS) or before in OPENING_LEAD_INS:
                continue  # "as a childminder, ...", "I work in a children's home": who is asking
            if " ".join(subject) not in self.covered_subjects:
                found.update(range(start, end))
        return found

    def _on_topic(self, analysed: Analysed, reach: Sequence[int]) -> set[int]:
        """Positions of the words that make a question one about safeguarding.

        A safeguarding word (data/domain.txt), a word of a thesaurus phrase ("red tape"), or a
        thesaurus word that is not everyday English ("cse", "munro"); never a place, a time or a way
        of getting in touch, unless `reach` (where the question asks how to reach someone) lies
        outside it. "Train" or "time" alone does not make a question ours.
        """
        in_phrase: set[int] = set()
        in_term: set[int] = set()
        not_subjects: list[range] = []
        for c in analysed.concepts:
            span = range(c.first, c.last + 1)
            if self.analyzer.is_subject(analysed.tokens[c.first : c.last + 1]):
                in_term.update(span)
                if c.last > c.first:
                    in_phrase.update(span)
            else:
                not_subjects.append(span)
        on_topic = {i for i, tok in enumerate(analysed.tokens) if not tok.stop and (
            self.analyzer.is_domain(tok) or i in in_phrase or (i in in_term and tok.surface not in self.english))}
        for span in not_subjects:  # "rutland email" asks for a duty contact; "who do I call" alone does not
            if any(i not in span for i in reach):
                on_topic.update(span)
        return on_topic

    def scores(self, query: Query, fusion: str = "sum", weight: float = 0.5) -> Scores:
        """Score every passage for a query with BM25, TF-IDF and their fusion."""
        n = len(self.passages)
        counts = Counter(t for t in query.terms if t in self.vocab)
        if not counts:
            zero = np.zeros(n)
            return Scores(zero, zero, zero, zero)
        cols = np.fromiter((self.vocab[t] for t in counts), dtype=np.int64)
        qtf = np.fromiter(counts.values(), dtype=np.float64)
        bm25 = column_scores(self.bm25, cols, qtf)
        tfidf = column_scores(self.tfidf, cols, tfidf_query_vector(qtf, self.tfidf_idf[cols]))
        fused = fuse(bm25, tfidf, fusion, weight)
        fused *= self.prior
        fused *= self._context_only(cols)
        other_areas = self._other_areas(list(counts))
        if other_areas is not None:  # "the Rutland number": not Leicestershire's
            fused *= other_areas
        if query.kinds:  # "summary of case 1", "link to the report", "which pitfall is that"
            fused = fused * np.where(np.isin(self.kinds, list(query.kinds)), KIND_INTENT_BOOST, 1.0)
        if query.cases:  # "what did case 2 teach us": that case's passages first
            in_case = np.isin(self.case_numbers, query.cases)
            if len(query.cases) > 1:  # "why are cases 2 and 3 together": so is the passage that introduces them
                in_case[[row for row, cases in self.introduces.items() if cases >= set(query.cases)]] = True
            fused = fused * np.where(in_case, CASE_BOOST, 1.0)
            if SUMMARY_KIND in query.kinds or all(
                    t in query.case_terms or self.doc_freq(t) > len(self.passages) / 2 for t in counts):
                # Nothing asked but the case itself ("what happened in case 1", "... to the children"),
                # or its summary asked for around other words: its summary says. A word in most
                # passages ("children") asks nothing more.
                fused = fused * np.where(in_case & self.is_summary, CASE_BOOST, 1.0)
        unlifted = fused
        for name in query.kinds & self.gives.keys():  # "why ...": the passage that says because
            fused = fused * np.where(self.gives[name], KIND_INTENT_BOOST, 1.0)
        return Scores(bm25, tfidf, fused, unlifted)

    def _area_terms(self) -> dict[int, frozenset[str]]:
        """Row of each passage holding an area's duty contact -> the terms naming that area.

        Concepts when the thesaurus knows the area ("Leicester City" is also "the city"), else stems.
        """
        if self._areas is None:
            self._areas = {}
            for info in self.bulletins:
                for contact in info.contacts:
                    row = self._by_id.get(contact.passage_id or "")
                    analysed = self.analyzer.analyse(contact.area)
                    named = {CONCEPT_PREFIX + c.name for c in analysed.concepts} or {
                        t.stem for t in analysed.tokens if not t.stop}
                    if row is not None and contact.when == OFFICE_HOURS and contact.area != ALL_AREAS and named:
                        self._areas[row] = frozenset(named)
            self._area_names = frozenset().union(*self._areas.values())
        return self._areas

    def _other_areas(self, terms: Sequence[str]) -> np.ndarray | None:
        """Per passage, OTHER_AREA for another area's duty contact when the question names an area."""
        areas = self._area_terms()
        named = self._area_names.intersection(terms)
        if not named:
            return None
        factor = np.ones(len(self.passages))
        factor[[row for row, own in areas.items() if not own & named]] = OTHER_AREA
        return factor

    def _context_only(self, cols: Sequence[int]) -> np.ndarray:
        """Per passage, 1 when its own text holds one of these terms, else CONTEXT_ONLY."""
        factor = np.full(len(self.passages), CONTEXT_ONLY)
        ptr = self.in_text.indptr
        for col in cols:
            factor[self.in_text.indices[ptr[col] : ptr[col + 1]]] = 1.0
        return factor

    def top(self, scores: np.ndarray, k: int) -> np.ndarray:
        """Indices of the k best-scoring passages, best first, by partial selection."""
        k = min(k, len(scores))
        if k <= 0:
            return np.empty(0, dtype=np.int64)
        part = np.argpartition(-scores, k - 1)[:k]
        return part[np.lexsort((part, -scores[part]))]

    def lacks_answer_type(self, query: Query) -> bool:
        """True when the question asks for a kind of answer no passage gives ("how often", with no frequency)."""
        return any(not self.gives[name].any() for name in query.kinds & ANSWER_TYPES.keys())

    def term_ids(self, row: int) -> np.ndarray:
        """The vocabulary columns of the terms passage `row` is indexed under (text and context)."""
        return self._row_terms[self._row_ptr[row] : self._row_ptr[row + 1]]


def _question_start(question: str, analysed: Analysed, unseen: set[int]) -> int:
    """Where the last sentence begins, when every unseen subject lies in the sentences before it; else 0.

    "Our leaving care team has a pregnant care leaver. When should assessment start?" may be about
    pre-birth assessment; "What are the s47 timescales?" and "s47 timescales? Which apply?" are about
    the subject itself.
    """
    ends = list(_SENTENCE_END.finditer(question.rstrip()))
    start = ends[-1].end() if ends else 0
    if not start or not unseen or any(analysed.tokens[i].start >= start for i in unseen):
        return 0
    # A subject in a question of its own ("Private fostering rules? How long ...") is asked about,
    # and so is one the question points back to ("... What is the threshold for each?").
    asks = [m for m in ends if "?" in m.group()]
    if any(analysed.tokens[i].start < m.start() for i in unseen for m in asks) or any(
            t.start >= start and t.surface in POINTING_BACK for t in analysed.tokens):
        return 0
    return start


def reaches(tokens: Sequence[Token], i: int) -> bool:
    """True when token i asks how to reach someone ("phone", "email", "get hold of")."""
    return tokens[i].surface in GETTING_IN_TOUCH or (
        tokens[i].surface == "hold" and i > 0 and tokens[i - 1].surface in GET)


def _says_who(tokens: Sequence[Token], start: int, lead: tuple[str, ...]) -> bool:
    """True when the words before position `start` are this lead-in, and not after "do" or "should"."""
    at = start - len(lead)
    return at >= 0 and tuple(t.surface for t in tokens[at:start]) == lead and not (
        at > 0 and tokens[at - 1].surface in ASKING)


@lru_cache(maxsize=1)
def kind_intents() -> dict[str, Phrases]:
    """Passage kind -> the phrases that ask for it (data/intents.txt), in plain() form without fillers."""
    sections = data_sections("intents.txt")
    return {kind: Phrases(_unfilled(plain(line)) for line in lines) for kind, lines in sections.items()
            if kind != FILLERS}


@lru_cache(maxsize=1)
def _fillers() -> frozenset[str]:
    """Words that pad a request without changing it ("what am I actually expected to do")."""
    return frozenset(plain(line) for line in data_sections("intents.txt").get(FILLERS, ()))


def _unfilled(text: str) -> str:
    """A plain() text without its filler words."""
    return " ".join(w for w in text.split() if w not in _fillers())


def requests(question: str) -> dict[str, frozenset[str]]:
    """Each kind of passage a question asks for by name, with the phrases it asks with."""
    text = _unfilled(plain(question))
    runs = word_runs(text, max((p.longest for p in kind_intents().values()), default=0))
    asked = {kind: phrases & runs for kind, phrases in kind_intents().items() if not phrases.isdisjoint(runs)}
    # A phrase inside a longer one asked for another kind is that one's word ("a recommendation at
    # this stage" asks for the note on what has been done, not for a recommendation); a frame says
    # only where to look ("what does the bulletin recommend" still asks for a recommendation).
    others = {kind: [p for other, found in asked.items() if other not in (kind, FRAME) for p in found]
              for kind in asked}
    return {kind: found for kind, found in asked.items()
            if not all(any(holds_phrase(q, p) for q in others[kind]) for p in found)}


def holds_phrase(outer: str, inner: str) -> bool:
    """True when a phrase (words joined by spaces) holds another, shorter one as whole words."""
    return outer != inner and f" {inner} " in f" {outer} "


def form_words(question: str) -> frozenset[str]:
    """Words of a request for a summary or of a frame ("the short version", "what does the bulletin say about",
    "next month"): how to answer or where to look, not what about."""
    return _form_words(requests(question))


def _form_words(asked: dict[str, frozenset[str]]) -> frozenset[str]:
    """The words of the summary and frame phrases among a question's requests."""
    return frozenset(w for kind in (SUMMARY_KIND, FRAME) for phrase in asked.get(kind, ()) for w in phrase.split())


def column_scores(matrix: sparse.csc_matrix, cols: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """matrix[:, cols] @ weights, touching only the stored entries of those columns.

    Within one column a passage appears once, so a plain fancy-index add is exact; this avoids
    scipy's general slicing, whose overhead dominates for a handful of query terms.
    """
    scores = np.zeros(matrix.shape[0])
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for col, weight in zip(cols.tolist(), weights.tolist()):
        start, end = indptr[col], indptr[col + 1]
        scores[indices[start:end]] += data[start:end] * weight
    return scores


def fuse(bm25: np.ndarray, tfidf: np.ndarray, method: str = "sum", weight: float = 0.5) -> np.ndarray:
    """Fuse two score vectors: "sum" of max-normalised scores, or reciprocal rank fusion ("rrf")."""
    if method == "rrf":
        return weight / (60 + _ranks(bm25)) + (1 - weight) / (60 + _ranks(tfidf))
    top_b, top_t = bm25.max(initial=0.0), tfidf.max(initial=0.0)
    fused = bm25 * (weight / top_b if top_b else weight)
    fused += tfidf * ((1 - weight) / top_t if top_t else 1 - weight)
    return fused


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each score (ties share the better rank); unscored passages rank last."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    ranks[scores <= 0] = len(scores) + 1
    return ranks


# ---------------------------------------------------------------------------- building


def read_corpus(corpus: Path) -> tuple[list[Bulletin], list[str]]:
    """Parse every bulletin in a corpus folder; unreadable ones are skipped with a warning."""
    bulletins, warnings = [], []
    for path in corpus_files(corpus):
        try:
            bulletins.append(read_bulletin(path))
        except IngestError as exc:
            warnings.append(f"skipped {exc}")
    if not bulletins:
        raise IngestError(f"no readable bulletins in {corpus}" + (f" ({'; '.join(warnings)})" if warnings else ""))
    bulletins.sort(key=newest_first)
    return bulletins, warnings


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")


def newest_first(bulletin: Bulletin) -> tuple:
    """Sort key putting the newest bulletin first: by date ("March 2019") when known, then issue number."""
    year = month = 0
    if bulletin.date:
        words = bulletin.date.lower().split()
        year = int(words[-1]) if words and words[-1].isdigit() else 0
        month = next((i + 1 for i, m in enumerate(_MONTHS) if m in words), 0)
    issue = int(bulletin.issue) if bulletin.issue and bulletin.issue.isdigit() else 0
    return (-year, -month, -issue, bulletin.id)


def build(bulletins: Sequence[Bulletin], analyzer: Analyzer | None = None, corpus_hash: str = "",
          warnings: Sequence[str] = ()) -> Index:
    """Build an index over the passages of the given bulletins."""
    from sklearn.feature_extraction.text import TfidfTransformer  # build-time only: keeps start-up light

    analyzer = analyzer or default_analyzer()
    passages = tuple(p for b in bulletins for p in b.passages)
    texts, contexts, word_freq, covered = _analyse_all(passages, analyzer)
    vocab: dict[str, int] = {}
    for terms in (*texts, *contexts):
        for term in terms:
            vocab.setdefault(term, len(vocab))
    counts = _counts(texts, vocab) + CONTEXT_WEIGHT * _counts(contexts, vocab)
    bm25, idf = bm25_weights(counts, K1, B)
    transformer = TfidfTransformer(sublinear_tf=True, norm="l2", smooth_idf=True)
    tfidf = transformer.fit_transform(counts)
    for word in analyzer.thesaurus_words():
        word_freq.setdefault(word, 1)
    infos = tuple(replace(b, passages=()) for b in bulletins)
    in_text = (_counts(texts, vocab) > 0).tocsc()
    index = Index(passages, infos, vocab, bm25, idf, tfidf.tocsc(), transformer.idf_.astype(np.float64), in_text,
                  dict(word_freq), common_english_words(), corpus_hash, frozenset(covered), tuple(warnings), analyzer)
    index.stems = stem_table(analyzer, vocab, word_freq)
    return index


def _analyse_all(passages: Sequence[Passage], analyzer: Analyzer) -> tuple[list, list, Counter, set[str]]:
    """Each passage's text terms and context terms, the corpus's word counts and the subjects it covers.

    Each analysis is dropped as soon as it has been read: holding them all (a token object per word)
    took a build of 100k passages past a gigabyte. Contexts repeat (one per case and section), so
    each distinct one is analysed once.
    """
    texts, contexts, words, covered = [], [], Counter(), set()
    seen: dict[str, tuple[list[str], list[str]]] = {}
    for passage in passages:
        text = analyzer.analyse(passage.text)
        texts.append(text.terms())
        words.update(t.surface for t in text.tokens if not t.stop)
        covered.update(" ".join(subject) for _, subject in
                       _subjects_in([t.stem for t in text.tokens], analyzer.subjects_by_first))
        if passage.context not in seen:
            context = analyzer.analyse(passage.context)
            seen[passage.context] = (context.terms(), [t.surface for t in context.tokens if not t.stop])
        terms, surfaces = seen[passage.context]
        contexts.append(terms)
        words.update(surfaces)
    return texts, contexts, words, covered


def _subjects_in(stems: list[str], by_first: dict[str, list[tuple[str, ...]]]) -> list[tuple[int, tuple[str, ...]]]:
    """(position, subject) for each subject phrase (indexed by its first stem) in a sequence of stems."""
    return [(i, subject) for i, stem in enumerate(stems) for subject in by_first.get(stem, ())
            if tuple(stems[i : i + len(subject)]) == subject]


def stem_table(analyzer: Analyzer, vocab: dict[str, int], words: dict[str, int]) -> dict[str, str]:
    """Word -> stem for every English, corpus or thesaurus word whose stem can match something.

    Saved with the index so that answering needs no stemmer: a word whose stem is in neither the
    vocabulary nor the thesaurus cannot change a score, whatever its stem.
    """
    listed = {analyzer.stem(w) for w in (*analyzer.domain_words, *analyzer.subject_words)}
    useful = set(vocab) | listed | {stem for phrase in analyzer.thesaurus_phrases() for stem in phrase}
    table = {w: s for w, s in english_stems().items() if s in useful}
    for word in (*words, *analyzer.thesaurus_words(), *analyzer.stopwords, *analyzer.domain_words, *analyzer.irregular,
                 *analyzer.subject_words):
        table[word] = analyzer.stem(word)
    for word in _inflections(useful):  # forms the English list lacks, often British: "organised", "minimised"
        if word not in table and (stem := analyzer.stem(word)) in useful:
            table[word] = stem
    return table


_SUFFIXES = ("s", "e", "es", "ed", "d", "ing", "er", "ers", "ise", "ised", "ises", "ising", "isation", "ize", "ized",
             "izes", "izing", "ization", "ation", "ations", "ment", "ments", "ly")


def _inflections(stems: set[str]) -> set[str]:
    """Words that may stem to one of these stems: each stem with common suffixes (a Snowball 'i' may be a 'y')."""
    words = set()
    for stem in stems:
        if not stem.isalnum() or stem.isdigit():  # "16yo" has forms ("16yos"); "2011" has none
            continue
        for base in (stem, stem[:-1] + "y") if stem.endswith("i") else (stem,):
            words.add(base)
            words.update(base + suffix for suffix in _SUFFIXES)
    return words


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """pyspellchecker's English word list with each word's frequency (read once, at build time only)."""
    from spellchecker import SpellChecker

    return {w: n for w, n in SpellChecker().word_frequency.dictionary.items() if w.isalpha()}


@lru_cache(maxsize=1)
def english_stems() -> dict[str, str]:
    """The Snowball stem of every word in the English list (about 130,000 words)."""
    from nltk.stem.snowball import SnowballStemmer  # build-time only, like the list itself

    stem = SnowballStemmer("english").stem
    return {w: stem(w) for w in english_counts()}


def _counts(docs: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """A passages x terms matrix of term counts."""
    rows = [row for row, terms in enumerate(docs) for _ in terms]
    cols = [vocab[t] for terms in docs for t in terms]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(docs), len(vocab)))


@lru_cache(maxsize=1)
def common_english_words(min_count: int = 1000) -> frozenset[str]:
    """Common English words: real words that must not be "corrected".

    A word counts by its whole family (the words sharing its stem), so a rarer form of a common
    word ("clashing", beside "clash" and "clashes") is not "corrected" into a corpus word ("chasing").
    """
    counts, stems = english_counts(), english_stems()
    family: Counter[str] = Counter()
    for word, n in counts.items():
        family[stems[word]] += n
    return frozenset(word for word in counts if family[stems[word]] >= min_count)


# ---------------------------------------------------------------------------- saving


def corpus_hash(corpus: Path) -> str:
    """A hash of the corpus files, the analysis data and code, and the package version."""
    digest = hashlib.sha256(f"format={FORMAT};version={__version__};k1={K1};b={B};c={CONTEXT_WEIGHT}".encode())
    for path in corpus_files(corpus):
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    for name in data_files():
        digest.update(name.encode() + read_data(name).encode())
    for module in ("ingest.py", "analysis.py", "index.py"):  # the code that shapes the index, too
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(index: Index, folder: Path) -> None:
    """Write the index as plain files; the manifest, written last, names each file's checksum."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    try:
        _write_files(index, staging)
        manifest = {
            "format": FORMAT,
            "package_version": __version__,
            "corpus_hash": index.corpus_hash,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "passages": len(index.passages),
            "bulletins": [b.id for b in index.bulletins],
            "bm25": {"k1": K1, "b": B, "idf": "ln(1 + (N - n + 0.5) / (n + 0.5))"},
            "context_weight": CONTEXT_WEIGHT,
            "covered_subjects": sorted(index.covered_subjects),
            "files": {name: _sha256(staging / name) for name in FILES},
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for name in (*FILES, "manifest.json"):  # os.replace is atomic per file; readers check checksums
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_files(index: Index, folder: Path) -> None:
    """Write passages, bulletins, vocabulary, speller words and matrices into folder."""
    with open(folder / "passages.jsonl", "w", encoding="utf-8") as out:
        for p in index.passages:
            out.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    (folder / "bulletins.json").write_text(
        json.dumps([asdict(b) for b in index.bulletins], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    terms = sorted(index.vocab, key=index.vocab.get)
    (folder / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    (folder / "speller.json").write_text(json.dumps(index.word_freq, ensure_ascii=False), encoding="utf-8")
    (folder / "english.json").write_text(json.dumps(sorted(index.english)), encoding="utf-8")
    (folder / "stems.json").write_text(json.dumps(index.stems, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    np.savez(
        folder / "matrices.npz",
        bm25_data=index.bm25.data, bm25_indices=index.bm25.indices, bm25_indptr=index.bm25.indptr,
        tfidf_data=index.tfidf.data, tfidf_indices=index.tfidf.indices, tfidf_indptr=index.tfidf.indptr,
        shape=np.array(index.bm25.shape), bm25_idf=index.bm25_idf, tfidf_idf=index.tfidf_idf,
        in_text_indices=index.in_text.indices, in_text_indptr=index.in_text.indptr,
    )


class StaleIndex(Exception):
    """The saved index is missing, damaged, or built from another corpus or version."""


def load(folder: Path, expected_hash: str | None = None) -> Index:
    """Load a saved index, checking its manifest, checksums and (if given) the corpus hash."""
    manifest = check(folder, expected_hash)
    try:
        return _read_files(folder, manifest)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StaleIndex(f"unreadable index ({exc})") from exc


def check(folder: Path, expected_hash: str | None = None) -> dict:
    """The manifest of a saved index that is whole and current; StaleIndex says what is wrong."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StaleIndex("no readable manifest") from exc
    if manifest.get("format") != FORMAT or manifest.get("package_version") != __version__:
        raise StaleIndex("built by another version")
    if expected_hash is not None and manifest.get("corpus_hash") != expected_hash:
        raise StaleIndex("the corpus has changed")
    for name in FILES:
        path = folder / name
        if not path.is_file() or _sha256(path) != manifest.get("files", {}).get(name):
            raise StaleIndex(f"{name} is missing or damaged")
    return manifest


def _read_files(folder: Path, manifest: dict) -> Index:
    """Read the plain files of a saved index back into an Index."""
    with open(folder / "passages.jsonl", encoding="utf-8") as lines:
        passages = tuple(Passage(**json.loads(line)) for line in lines)
    bulletins = tuple(
        Bulletin(**{**b, "passages": (), "contacts": tuple(Contact(**c) for c in b["contacts"])})
        for b in json.loads((folder / "bulletins.json").read_text(encoding="utf-8"))
    )
    terms = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    word_freq = json.loads((folder / "speller.json").read_text(encoding="utf-8"))
    english = frozenset(json.loads((folder / "english.json").read_text(encoding="utf-8")))
    with np.load(folder / "matrices.npz", allow_pickle=False) as m:
        shape = tuple(int(x) for x in m["shape"])
        bm25 = sparse.csc_matrix((m["bm25_data"], m["bm25_indices"], m["bm25_indptr"]), shape=shape)
        tfidf = sparse.csc_matrix((m["tfidf_data"], m["tfidf_indices"], m["tfidf_indptr"]), shape=shape)
        bm25_idf_, tfidf_idf = m["bm25_idf"], m["tfidf_idf"]
        indices = m["in_text_indices"]
        in_text = sparse.csc_matrix((np.ones(len(indices), dtype=bool), indices, m["in_text_indptr"]), shape=shape)
    vocab = {t: i for i, t in enumerate(terms)}
    stems = json.loads((folder / "stems.json").read_text(encoding="utf-8"))
    return Index(passages, bulletins, vocab, bm25, bm25_idf_, tfidf, tfidf_idf, in_text, word_freq, english,
                 manifest["corpus_hash"], frozenset(manifest.get("covered_subjects", ())),
                 analyzer=Analyzer(stems), stems=stems)


def require_bulletins(corpus: Path) -> None:
    """IngestError unless the corpus folder exists and holds at least one bulletin file."""
    if not corpus_files(corpus):
        raise IngestError(f"no bulletins in {corpus} (.txt, .md, .docx or .pdf)")


def open_index(corpus: Path, folder: Path, notify: Callable[[str], None] = lambda _: None,
               rebuild: bool = False) -> Index:
    """The index for a corpus: loaded from folder when current, else rebuilt and saved (with a notice)."""
    require_bulletins(corpus)
    expected = corpus_hash(corpus)
    if not rebuild:
        try:
            return load(folder, expected)
        except StaleIndex as exc:
            notify(f"index: rebuilding ({exc})")
    bulletins, warnings = read_corpus(corpus)
    for warning in warnings:
        notify(f"warning: {warning}")
    index = build(bulletins, corpus_hash=expected, warnings=warnings)
    try:
        save(index, folder)
    except OSError as exc:
        notify(f"warning: index not saved ({exc.strerror or exc}); serving from memory")
    return index
