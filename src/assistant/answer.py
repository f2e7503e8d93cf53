"""Question -> ranked, cited answers quoted from the bulletins, and the no-match decision (urgency is urgency.py's)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np

from assistant.contacts import emergency_contact, escalation
from assistant.analysis import CONCEPT_PREFIX, Phrases, data_sections, has_phrase, plain, word_runs
from assistant.index import Index, Query, QueryWord
from assistant.ingest import CONTACT_KIND, Contact, Passage
from assistant.urgency import is_urgent

# Share of a question's IDF-weighted content words that the top passages must contain to count as an
# answer; set on the question sets: lower lets more off-topic questions through, higher turns in-scope ones away.
MIN_COVERAGE = 0.3
URGENT_COVERAGE_FACTOR = 0.5
# A question about pay, leave, fees or IT (data/admin.txt), or about a subject of its own that no
# bulletin mentions (data/subjects.txt), needs this many times the usual coverage (3 rather than 2.5
# turned 4 more off-topic questions away over every set, and 1 in-scope question).
STRICT_COVERAGE_FACTOR = 3.0
# A subject no bulletin mentions that only sets the scene in a sentence before the question ("Our
# leaving care team has a pregnant care leaver. When should assessment start?") leaves the last
# sentence to be answered with this many times the usual coverage. Over every set: 3.0 answered 3
# more in-scope questions and 1 more off-topic one; 2.0 answered 5 and 2; 1.0 answered 5 and 3.
SCENE_COVERAGE_FACTOR = 2.0
# A best passage this many times the runner-up's score, on at least this many safeguarding words of
# the question, answers it however much else the question says; three times, on one such word.
DECISIVE_MARGIN = 2.5
DECISIVE_WORDS = 2
DECISIVE_MARGIN_ONE_WORD = 3.0
# In a question of more content words than this, the words that are not about safeguarding weigh
# together as much as this many would.
STORY_WORDS = 10
# The weight, against a BM25 IDF of about 1-5, of a safeguarding word the bulletin never uses.
UNSEEN_DOMAIN_WEIGHT = 1.0
# Passages whose terms overlap this much (Jaccard) are the same message said twice.
NEAR_DUPLICATE = 0.7
# How many candidates to look at when stepping over near-duplicates.
CANDIDATES = 12
# Passages scoring under this share of the best one are not shown (on both question sets this
# dropped a quarter of the quotes and none that was right).
RELATIVE_FLOOR = 0.35
# Answers from different bulletins this close in score are ordered newest bulletin first.
CLOSE_SCORES = 0.85

MESSAGES = {
    "answer": "Here is what the bulletin says. If you are worried about a child, contact the duty team.",
    "no_match": (
        "I couldn't find anything in the bulletins about that. I can only answer from the learning "
        "bulletins. If you are worried about a child, contact the duty team below."
    ),
    "urgent": "If a child is in immediate danger, call {emergency} now. Then contact the duty team.",
    "urgent_answer": " Here is what the bulletin says.",
    "empty": "Please type a question.",
}


class QuestionError(ValueError):
    """A question that cannot be answered as asked (empty, say)."""


@dataclass(frozen=True)
class Citation:
    """Where a passage is: its bulletin, case and section, as a label and a link."""

    bulletin: str
    bulletin_id: str
    case: str | None
    section: str | None
    label: str
    url: str


@dataclass(frozen=True)
class Quote:
    """One passage given as an answer: verbatim text, its citation, score and the words that matched."""

    passage_id: str
    text: str
    score: float
    matched_terms: tuple[str, ...]
    kind: str
    citation: Citation
    also_in: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The whole reply to a question."""

    question: str
    answers: tuple[Quote, ...]
    no_match: bool
    urgent: bool
    message: str
    contacts: tuple[Contact, ...]
    corrections: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The answer shape served by the API and printed by `assistant ask --json`."""
        return {
            "question": self.question,
            "answers": [
                {
                    "passage_id": q.passage_id,
                    "text": q.text,
                    "score": round(float(q.score), 6),
                    "matched_terms": list(q.matched_terms),
                    "kind": q.kind,
                    "citation": asdict(q.citation),
                    "also_in": [asdict(c) for c in q.also_in],
                }
                for q in self.answers
            ],
            "no_match": self.no_match,
            "urgent": self.urgent,
            "message": self.message,
            "contacts": [contact_dict(c) for c in self.contacts],
            "corrections": self.corrections,
        }


def contact_dict(contact: Contact) -> dict:
    """A contact as the API shows it."""
    return {
        "area": contact.area,
        "area_id": contact.area_id,
        "phone": contact.phone,
        "tel": contact.tel,
        "email": contact.email,
        "when": contact.when,
    }


# ---------------------------------------------------------------------------- citations


def citation(index: Index, passage: Passage) -> Citation:
    """The citation of a passage: bulletin, case, section, a readable label and its place on the bulletin page."""
    info = index.bulletin(passage.bulletin_id)
    where = [part for part in (passage.case, passage.section) if part]
    if not where and passage.kind == "introduction":
        where = ["Introduction"]
    return Citation(
        bulletin=info.name if info else passage.bulletin_id,
        bulletin_id=passage.bulletin_id,
        case=passage.case,
        section=passage.section,
        label=" · ".join([info.short_name if info else passage.bulletin_id, *where]),
        url=f"/bulletin/{passage.bulletin_id}#{passage.id}",
    )


# ---------------------------------------------------------------------------- administration


@lru_cache(maxsize=1)
def admin_frames() -> Phrases:
    """Question frames about work administration (data/admin.txt), in the form phrases are matched in."""
    return Phrases(plain(line) for line in data_sections("admin.txt").get("admin", ()))


# ---------------------------------------------------------------------------- answering


class Answerer:
    """Answers questions from an index: the core of the assistant."""

    def __init__(self, index: Index, emergency_number: str = "999", top_k: int = 3,
                 fusion: str = "sum", weight: float = 0.5, min_coverage: float = MIN_COVERAGE,
                 unseen_domain_weight: float = UNSEEN_DOMAIN_WEIGHT, story_words: int = STORY_WORDS) -> None:
        self.index = index
        self.emergency = emergency_contact(emergency_number)
        self.top_k = top_k
        self.fusion = fusion
        self.weight = weight
        self.min_coverage = min_coverage
        self.unseen_domain_weight = unseen_domain_weight
        self.story_words = story_words

    def answer(self, question: str, area: str | None = None) -> Answer:
        """Answer a question: the best passages, or no_match; urgent when a child is at risk now."""
        question = " ".join(question.split())
        if not question:
            raise QuestionError(MESSAGES["empty"])
        query = self.index.query(question)
        scores = self.index.scores(query, self.fusion, self.weight)
        urgent = is_urgent(question)
        candidates = [int(i) for i in self.index.top(scores.fused, CANDIDATES) if scores.fused[i] > 0]
        # A passage far weaker than the best is noise on a phone screen, not an answer.
        ranked = [i for i in candidates if scores.fused[i] >= RELATIVE_FLOOR * scores.fused[candidates[0]]]
        # An urgent question is about a child at risk by definition: a weaker match is still worth showing.
        # A subject no bulletin covers only sets the scene when the question names a case ("AWOL from
        # the children's home: what does the CSE case expect of us"), or when it lies in the sentences
        # before a question the bulletin answers on its own.
        strict = not urgent and (
            (query.unseen_subject and not query.cases and not self._scene_only(question, query, ranked))
            or (has_phrase(plain(question), admin_frames()) and not self._asks_contact(question, query, ranked))
            or self.index.lacks_answer_type(query))
        factor = URGENT_COVERAGE_FACTOR if urgent else STRICT_COVERAGE_FACTOR if strict else 1.0
        threshold = self.min_coverage * factor
        no_match = not ranked or (self.coverage(query, ranked[: self.top_k]) < threshold
                                  and (strict or not self.decisive(query, candidates, scores.unlifted)))
        quotes = () if no_match else self._quotes(query, ranked, scores.fused)
        contacts = tuple(escalation(self.index.contacts(), self.emergency, area, urgent))
        if urgent:
            message = MESSAGES["urgent"].format(emergency=self.emergency.phone)
            message += MESSAGES["urgent_answer"] if quotes else ""
        else:
            message = MESSAGES["no_match" if no_match else "answer"]
        message += self._newest_note(quotes)
        return Answer(question, quotes, no_match, urgent, message, contacts, query.corrections)

    def _scene_only(self, question: str, query: Query, ranked: list[int]) -> bool:
        """True when unseen subjects only set the scene: the last sentence alone is well covered.

        "Our leaving care team has a pregnant care leaver. When should assessment start in
        pregnancy?" is answered; "Private fostering rules? How long do parents have to tell us?" is not.
        """
        if not query.question_start or not ranked:
            return False
        asked = self.index.query(question[query.question_start :])
        return self.coverage(asked, ranked[: self.top_k]) >= self.min_coverage * SCENE_COVERAGE_FACTOR

    def _asks_contact(self, question: str, query: Query, ranked: list[int]) -> bool:
        """True when the question asks how to reach a duty contact, in everyday words the thesaurus reads too.

        "A number for bank holidays, if I need to pass on a worry" asks for the out-of-hours line,
        though a bank holiday is also a question of leave; "who do I ring about the printer" is not.
        """
        if not query.reaching or not ranked or self.index.passages[ranked[0]].kind != CONTACT_KIND:
            return False
        frames = admin_frames()
        read_as = [self.index.analyzer.analyse(f).concepts for f in frames & word_runs(plain(question), frames.longest)]
        asked = set(query.concepts)
        return all(concepts and all(CONCEPT_PREFIX + c.name in asked for c in concepts) for concepts in read_as)

    def coverage(self, query: Query, rows: list[int]) -> float:
        """IDF-weighted share of the question's content words found in the given passages.

        A word the corpus has never seen weighs as much as the rarest word, so a question that is
        mostly about something else ("the weather tomorrow in Leicester") covers little; an unseen
        safeguarding word ("toddler", "police") weighs little, since it says the question is on
        topic even where the bulletin words it differently. A question whose only matches are
        everyday words ("book a meeting room") covers nothing. In a long question the everyday
        words are mostly the story around it, so together they weigh as ten words would.
        """
        have = set().union(*(self.index.term_ids(row).tolist() for row in rows))
        # A long question is mostly the story around it: its other words weigh as if there were ten.
        story = min(1.0, self.story_words / len(query.words)) if query.words else 1.0
        total = covered = 0.0
        on_topic = False
        for word in query.words:
            if word.known:
                weight = max(self.index.idf(t) for t in word.terms)
            else:
                weight = self.unseen_domain_weight if word.domain else self.index.idf("")
            if not word.domain:
                weight *= story
            total += weight
            if self._found(word, have):
                covered += weight
                on_topic = on_topic or word.domain
        return covered / total if total and on_topic else 0.0

    def _found(self, word: QueryWord, have: set[int]) -> bool:
        """True when one of a question word's terms is among these vocabulary columns."""
        return any(self.index.vocab.get(t, -1) in have for t in word.terms)

    def decisive(self, query: Query, candidates: list[int], fused: np.ndarray) -> bool:
        """True when one passage stands far above the rest on several safeguarding words.

        A long question full of other words ("grandma keeps ringing in with worries about the kids,
        how much notice should I take of relatives and neighbours") covers little of itself, yet its
        best passage is plain to see.
        """
        best, *rest = sorted(candidates, key=lambda i: -fused[i])
        runner_up = fused[rest[0]] if rest else 0.0
        if fused[best] < DECISIVE_MARGIN * runner_up:
            return False
        have = set(self.index.term_ids(best).tolist())
        found = sum(1 for w in query.words if w.domain and self._found(w, have))
        return found >= DECISIVE_WORDS or (found >= 1 and fused[best] >= DECISIVE_MARGIN_ONE_WORD * runner_up)

    def _quotes(self, query: Query, ranked: list[int], fused: np.ndarray) -> tuple[Quote, ...]:
        """The top passages as quotes, stepping over near-duplicates (which become also_in citations)."""
        chosen: list[tuple[int, frozenset[int], list[Citation]]] = []
        for row in ranked:
            passage = self.index.passages[row]
            terms = frozenset(self.index.term_ids(row).tolist())
            twin = next((c for c in chosen if _jaccard(terms, c[1]) >= NEAR_DUPLICATE), None)
            if twin is not None:
                twin[2].append(citation(self.index, passage))
                continue
            if len(chosen) < self.top_k:
                chosen.append((row, terms, []))
        chosen = self._newer_first(chosen, fused)
        return tuple(
            Quote(
                passage_id=self.index.passages[row].id,
                text=self.index.passages[row].text,
                score=float(fused[row]),
                matched_terms=matched_terms(self.index, query, row),
                kind=self.index.passages[row].kind,
                citation=citation(self.index, self.index.passages[row]),
                also_in=tuple(also),
            )
            for row, _, also in chosen
        )


    def _newest_note(self, quotes: tuple[Quote, ...]) -> str:
        """When quotes come from several bulletins, a sentence saying which is the newest."""
        ids = list(dict.fromkeys(q.citation.bulletin_id for q in quotes))
        if len(ids) < 2:
            return ""
        newest = min(ids, key=lambda b: self.index.bulletin_rank(b))
        info = self.index.bulletin(newest)
        return f" These answers come from {len(ids)} bulletins; the newest is {info.short_name if info else newest}."

    def _newer_first(self, chosen: list, fused: np.ndarray) -> list:
        """Where two close answers come from different bulletins, put the newer bulletin's first."""
        age = self.index.bulletin_age
        ordered = list(chosen)
        for i in range(len(ordered) - 1):
            a, b = ordered[i][0], ordered[i + 1][0]
            if age(b) < age(a) and fused[b] >= CLOSE_SCORES * fused[a]:
                ordered[i], ordered[i + 1] = ordered[i + 1], ordered[i]
        return ordered


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def matched_terms(index: Index, query: Query, row: int) -> tuple[str, ...]:
    """The words of a passage's text (as written there) that match the question, directly or by concept."""
    passage = index.passages[row]
    analysed = index.analysed(row)
    stems = set(query.terms)
    hits: set[int] = {i for i, tok in enumerate(analysed.tokens) if not tok.stop and tok.stem in stems}
    for concept in analysed.concepts:
        if CONCEPT_PREFIX + concept.name in stems:
            hits.update(i for i in range(concept.first, concept.last + 1) if not analysed.tokens[i].stop)
    words: list[str] = []
    for i in sorted(hits):
        tok = analysed.tokens[i]
        word = passage.text[tok.start : tok.end]
        if word.lower() not in (w.lower() for w in words):
            words.append(word)
    return tuple(words)
