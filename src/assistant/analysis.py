"""Text analysis in one place: text -> terms for indexing and search.

Tokenizing, Snowball stemming (nltk, no downloaded data), a stopword list that keeps the words
that matter in safeguarding questions, a domain thesaurus read from a data file (acronyms and
synonyms become shared concept terms), and typo tolerance against the corpus vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.ingest import URL

CONCEPT_PREFIX = "~"
# The "stem" of a word outside a saved stem table: it can match nothing in the index, and says so.
UNKNOWN_PREFIX = "?"
# The concept a case reference ("Case 2") becomes; cases are named by number across a bulletin.
CASE_PREFIX = "case#"
# How many other content words may stand between the words of a multi-word thesaurus term.
PHRASE_GAP = 2
# How far an occasion's audience may reach: "for community midwives and health visitors".
AUDIENCE_REACH = 5
_AUDIENCE_LINKS = frozenset({"for", "with", "to"})
_AUDIENCE_ENDS = frozenset({"on", "about", "around", "regarding", "at", "in"})
_CLAUSE_BREAK = re.compile(r"[.,;:?!()]")
# A person's age written short ("16yo", "24yo", "15yrs"): a detail of a case, so a word of the field.
_AGE = re.compile(r"\d{1,2}(?:yo|yos|yr|yrs)")
# "a 24 year old": the age is the number, so "year" and "old" are not words of the question (they
# would match "babies under a year old"); thesaurus phrases ("16 year old") still see them.
# "a fifteen-year-old" is "a 15-year-old": the thesaurus knows ages by their digits ("15 year old").
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split(), start=2)}
_AGE_WORDS = re.compile(r"\b([2-9]|[1-9]\d|" + "|".join(_NUMBER_WORDS) + r")[ -]((?:years?|yrs?)[ -]olds?)\b")
_WORD = re.compile(r"[a-z0-9]+")
# "case two", "pitfall number three", "cases two and three": a numbered case or pitfall named in
# words, as speech-to-text writes it, is the same as its digits; "in case one of them" is not. A
# pitfall is also counted off a list of mistakes ("mistake number two").
_ITEM_WORDS = {"one": 1, **_NUMBER_WORDS}
_ITEM_NUMBER = "(?:" + "|".join(_ITEM_WORDS) + ")"
_LISTED = r"(?:pitfalls?|mistakes?|traps?|errors?)"
_NUMBERED_ITEMS = re.compile(r"\b(?:cases?|" + _LISTED + r")((?: number| no)? " + _ITEM_NUMBER
                             + r"(?:(?:,| and| or| &) " + _ITEM_NUMBER + r")*)\b")
_ORDINALS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)} | {
    f"{n}{suffix}": n for n, suffix in ((1, "st"), (2, "nd"), (3, "rd"), *((k, "th") for k in range(4, 11)))}
# "the third pitfall", "number ten on the mistakes list": only an ordinal, or "number", counts an
# item off the list; "three mistakes" does not.
_ORDINAL = "(?:" + "|".join(_ORDINALS) + ")"
_LISTED_ITEMS = re.compile(
    rf"\b(?:({_ORDINAL})(?: (?:common|big|main|classic|key))? {_LISTED}\b"
    rf"|number ({_ITEM_NUMBER})(?= (?:[a-z]+ ){{0,4}}{_LISTED}\b))")
# What a case is called by people who read the bulletin as stories: "the first story", "the second example".
_CASE_NOUNS = frozenset("case cases story stories example examples scenario scenarios".split())
_LIST_LINKS = frozenset(("and", "or"))  # "cases 2 and 3", "the second or third story" ("&" and "," are not tokens)
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_POSSESSIVE = re.compile(r"(?<=[a-z])['\u2019]s\b")


def _numbered_items(folded: str) -> dict[int, str]:
    """Offset -> digits of each word that numbers a case or pitfall ("case two", "the third mistake")."""
    found: dict[int, str] = {}
    for m in _NUMBERED_ITEMS.finditer(folded):
        if folded[: m.start()].endswith("in ") and folded[m.end() :].startswith(" of "):
            continue
        for w in _WORD.finditer(folded, m.start(1), m.end(1)):
            if w.group() in _ITEM_WORDS:
                found[w.start()] = str(_ITEM_WORDS[w.group()])
    for m in _LISTED_ITEMS.finditer(folded):
        ordinal, number = m.group(1), m.group(2)
        found[m.start(1 if ordinal else 2)] = str(_ORDINALS[ordinal] if ordinal else _ITEM_WORDS[number])
    return found


@dataclass(frozen=True)
class Token:
    """One word of a text: where it is, how it was written, its stem and whether it is a stopword."""

    surface: str
    stem: str
    stop: bool
    start: int
    end: int


@dataclass(frozen=True)
class Concept:
    """A thesaurus concept found in a text, spanning tokens [first, last]."""

    name: str
    first: int
    last: int


@dataclass(frozen=True)
class Analysed:
    """A text broken into tokens and the thesaurus concepts they form."""

    tokens: tuple[Token, ...]
    concepts: tuple[Concept, ...]

    def terms(self) -> list[str]:
        """Index terms: stems of the content words, then one concept term per concept found.

        A word that is on its own a thesaurus term ("runaway", "CSE") is indexed only as its
        concept, so that it and its synonyms weigh the same; the words of a phrase keep their stems.
        """
        synonyms = {i for c in self.concepts if c.first == c.last or c.name.startswith(CASE_PREFIX)
                    for i in range(c.first, c.last + 1)}
        stems = [t.stem for i, t in enumerate(self.tokens) if not t.stop and i not in synonyms]
        return stems + [CONCEPT_PREFIX + c.name for c in self.concepts]


def _data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a file in the package's data folder."""
    text = resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def homophones() -> dict[str, tuple[str, frozenset[str]]]:
    """Written word -> (the word said, the next words that show it) from data/homophones.txt."""
    found = {}
    for line in _data_lines("homophones.txt"):
        head, _, after = line.partition(":")
        written, said = head.split()
        found[written] = (said, frozenset(after.split()))
    return found


def _homophones(folded: str) -> dict[int, str]:
    """Offset -> the word said, for each dictated homophone whose next word shows it ("weather the")."""
    table = homophones()
    if not any(written in folded for written in table):  # most texts: no second pass over the words
        return {}
    words = list(_WORD.finditer(folded))
    return {w.start(): table[w.group()][0] for w, after in zip(words, words[1:])
            if w.group() in table and after.group() in table[w.group()][1]}


def data_sections(name: str) -> dict[str, list[str]]:
    """The lines of a data file written in "[section]" groups, by section (lines before any header are dropped)."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in _data_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword list (data/stopwords.txt): function words and filler, but not "not", "no", "missing"..."""
    return frozenset(_data_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def irregular_forms() -> dict[str, str]:
    """Irregular forms and the base each is read as (data/irregular.txt): "came" -> "come", "dont" -> "not"."""
    return dict(line.split() for line in _data_lines("irregular.txt"))


@lru_cache(maxsize=1)
def negative_contractions() -> frozenset[str]:
    """Negative contractions ("dont", "isnt", and the "t" of "isn't"), which irregular.txt reads as "not"."""
    return frozenset(form for form, base in irregular_forms().items() if base == "not")


def plain(text: str) -> str:
    """Lower-case words separated by single spaces, apostrophes dropped: the form cue phrases are matched in."""
    return " ".join(_WORD.findall(text.lower().replace("'", "").replace("\u2019", "")))


class Phrases(frozenset):
    """Phrases in plain() form, found by looking up a text's word runs rather than scanning every phrase."""

    def __new__(cls, phrases: Iterable[str] = ()) -> Phrases:
        self = super().__new__(cls, (p for p in phrases if p))
        self.longest = max((p.count(" ") + 1 for p in self), default=0)
        return self


def as_phrases(items: Iterable[str]) -> Phrases:
    """The items as Phrases (unchanged when they already are)."""
    return items if isinstance(items, Phrases) else Phrases(items)


def word_runs(plain_text: str, longest: int) -> frozenset[str]:
    """Every run of up to `longest` consecutive words of a plain() text: what a phrase can match."""
    words = plain_text.split()
    return frozenset(" ".join(words[i : i + n]) for n in range(1, min(longest, len(words)) + 1)
                     for i in range(len(words) - n + 1))


def has_phrase(plain_text: str, phrases: Iterable[str], runs: frozenset[str] | None = None) -> bool:
    """True when any phrase occurs in a plain() text as whole words (`runs`: its word runs, if known)."""
    phrases = as_phrases(phrases)
    return not phrases.isdisjoint(runs if runs is not None else word_runs(plain_text, phrases.longest))


def data_files() -> list[str]:
    """The data files that shape analysis; a change to any of them makes a saved index stale."""
    return ["stopwords.txt", "thesaurus.txt", "kinds.txt", "urgent.txt", "domain.txt", "irregular.txt", "subjects.txt",
            "roles.txt", "homophones.txt"]


def read_data(name: str) -> str:
    """The raw text of one data file (for hashing)."""
    return resources.files("assistant").joinpath("data", name).read_text(encoding="utf-8")


def concept_name(term: str) -> str:
    """The name a thesaurus line's first term gives its concept: "child protection plan" -> "child_protection_plan"."""
    return re.sub(r"[^a-z0-9]+", "_", term.lstrip("-").lower()).strip("_")


def fold(text: str) -> str:
    """Lower-case, strip accents and possessives, drop apostrophes: the form tokens are read from."""
    if text.isascii():  # the common case, and lower() keeps ASCII offsets as they are
        return _APOSTROPHES.sub(" ", _POSSESSIVE.sub("  ", text.lower()))
    # Character by character, so that offsets in the folded text are offsets in the original.
    chars = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] or ch
        low = base.lower()
        chars.append(low if len(low) == 1 else base)
    folded = _POSSESSIVE.sub("  ", "".join(chars))
    return _APOSTROPHES.sub(" ", folded)


class Analyzer:
    """Turns text into tokens, concepts and index terms; one instance per process is enough."""

    def __init__(self, stems: Mapping[str, str] | None = None) -> None:
        # With a stem table (saved with an index) no stemmer is loaded: nltk's import costs more
        # than a second and ~100 MB, and only words whose stem the index holds can match anyway.
        self._table = stems
        self._stemmer = None
        self.stopwords = stopwords()
        # "came" is read as "come", "told" as "tell": the stemmer only strips regular endings.
        self.irregular = irregular_forms()
        # Words of the safeguarding world, in the bulletin or not: a question that matches the
        # corpus only through other words ("book a meeting room") is not about safeguarding.
        self.domain_words = frozenset(w for line in _data_lines("domain.txt") for w in _WORD.findall(fold(line))
                                      if w not in self.stopwords)
        self._domain_stems: frozenset[str] | None = None
        self._gapped_terms: dict[tuple[str, ...], set[str]] = {}
        self.unmatchable: list[str] = []  # gapped terms of fewer than two words once stopwords are left out
        self._not_subjects: set[tuple[str, ...]] = set()  # terms that find passages but do not make a question ours
        # Subjects of their own (data/subjects.txt), as stem sequences: "private fostering", "fgm".
        subject_lines = [_WORD.findall(fold(line)) for line in _data_lines("subjects.txt")]
        self.subject_words = frozenset(w for words in subject_lines for w in words)
        roles = data_sections("roles.txt")
        self.role_words = frozenset(roles.get("job", ()))  # "officer" after a subject: a job title
        self.setting_words = frozenset(roles.get("setting", ()))  # "our ... policy": the asker's own setting
        self.occasion_words = frozenset(roles.get("occasion", ()))  # "a session for ...": what the asker prepares
        self.audience_words = frozenset(roles.get("audience", ()))  # "... newly qualified staff": whom for
        self.subjects_by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in subject_lines:
            if words:
                subject = tuple(self.stem(w) for w in words)
                self.subjects_by_first.setdefault(subject[0], []).append(subject)
        self._phrases = self._read_thesaurus()
        self._longest = max((len(p) for p in self._phrases), default=1)
        self._by_first: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}
        for words, names in self._gapped_terms.items():
            self._by_first.setdefault(words[0], []).append((words, names))

    @lru_cache(maxsize=65536)
    def stem(self, word: str) -> str:
        """The Snowball stem of one lower-case word (from the stem table when there is one)."""
        if self._table is not None:
            return self._table.get(word, UNKNOWN_PREFIX + word)
        if self._stemmer is None:
            from nltk.stem.snowball import SnowballStemmer

            self._stemmer = SnowballStemmer("english")
        base = self.irregular.get(word, word)
        return base[1:] if base.startswith("=") else self._stemmer.stem(base)  # "=officer": kept whole

    def _read_thesaurus(self) -> dict[tuple[str, ...], set[str]]:
        """Map each thesaurus phrase (as a tuple of stems) to the concepts it belongs to."""
        phrases: dict[tuple[str, ...], set[str]] = {}
        for line in _data_lines("thesaurus.txt"):
            whole_line = line.startswith("- ")  # places, times, ways of getting in touch: not subjects
            terms = [t.strip() for t in line.removeprefix("- ").split(",") if t.strip()]
            name = concept_name(terms[0])
            # "won't engage" is also typed "wont engage", "that's them told" "thats them told".
            terms += [_APOSTROPHES.sub("", t) for t in terms if _APOSTROPHES.search(t)]
            for term in terms:
                not_subject = whole_line or term.startswith("-")
                term = term.lstrip("-").strip()
                if not_subject:
                    self._not_subjects.add(tuple(self.stem(w) for w in _WORD.findall(fold(term))))
                if "..." in term:  # "end ... plan": other words may come between
                    key = tuple(self.stem(w) for w in _WORD.findall(fold(term)) if w not in self.stopwords)
                    if len(key) >= 2:
                        self._gapped_terms.setdefault(key, set()).add(name)
                    else:
                        self.unmatchable.append(term)
                    continue
                key = tuple(self.stem(w) for w in _WORD.findall(fold(term)))
                if key:
                    phrases.setdefault(key, set()).add(name)
        return phrases

    def audience(self, text: str, tokens: Sequence[Token]) -> set[int]:
        """Positions of the people an occasion is for: whom the asker prepares, not what is asked.

        "A session for newly qualified staff on noticing the child" asks about noticing the child;
        "supervision with a new worker" and "briefing new officers" name an audience the same way
        (data/roles.txt).
        """
        occasions = [i for i, tok in enumerate(tokens) if tok.surface in self.occasion_words]
        if not occasions:
            return set()
        folded = fold(text)  # the tokens' offsets are into the folded text
        found: set[int] = set()
        for i in occasions:
            first = i + 1
            if first < len(tokens) and tokens[first].surface in _AUDIENCE_LINKS:
                first += 1
            last = None
            for k in range(first, min(first + AUDIENCE_REACH, len(tokens))):
                if tokens[k].surface in _AUDIENCE_ENDS or _CLAUSE_BREAK.search(folded[tokens[k - 1].end : tokens[k].start]):
                    break
                if tokens[k].surface in self.audience_words:
                    last = k
            if last is not None:
                found.update(range(first, last + 1))
        return found

    def is_subject(self, tokens: tuple[Token, ...]) -> bool:
        """False when these tokens are a thesaurus term marked as a place, time or way to get in touch."""
        return tuple(t.stem for t in tokens) not in self._not_subjects

    def thesaurus_phrases(self) -> list[tuple[str, ...]]:
        """Every thesaurus term as a tuple of stems ("end ... plan" terms included)."""
        return [*self._phrases, *self._gapped_terms]

    def concept_names(self) -> set[str]:
        """The name of every thesaurus concept (its first term, as "child_protection_plan")."""
        return {name for names in (*self._phrases.values(), *self._gapped_terms.values()) for name in names}

    def thesaurus_words(self) -> set[str]:
        """Every plain word that appears in the thesaurus (for spelling correction)."""
        words: set[str] = set()
        for line in _data_lines("thesaurus.txt"):
            words.update(_WORD.findall(fold(line)))
        return words

    def is_domain(self, token: Token) -> bool:
        """True when a word belongs to the safeguarding world (data/domain.txt), in any inflection, or is an age."""
        if self._domain_stems is None:
            self._domain_stems = frozenset(self.stem(w) for w in self.domain_words)
        return (token.surface in self.domain_words or token.stem in self._domain_stems
                or bool(_AGE.fullmatch(token.surface)))

    def tokens(self, text: str) -> tuple[Token, ...]:
        """Split text into word tokens with stems, stopword flags and character offsets.

        A web address is not words: "www", "news" and "html" in a link would make a passage that is
        only a link look long and about the news.
        """
        folded = fold(text)
        urls = [m.span() for m in URL.finditer(folded)]
        matches = list(_AGE_WORDS.finditer(folded))
        ages = {i for m in matches for i in range(m.start(2), m.end())}
        numbers = {m.start(): str(_NUMBER_WORDS[m.group(1)]) for m in matches if m.group(1) in _NUMBER_WORDS}
        numbers |= _numbered_items(folded) | _homophones(folded)
        return tuple(
            Token(word, self.stem(word), word in self.stopwords or m.start() in ages, m.start(), m.end())
            for m in _WORD.finditer(folded)
            if not any(start <= m.start() < end for start, end in urls)
            for word in (numbers.get(m.start(), m.group()),)
        )

    def analyse(self, text: str, tokens: tuple[Token, ...] | None = None) -> Analysed:
        """Tokens of a text plus the thesaurus concepts found in it (longest phrase wins at a position)."""
        toks = self.tokens(text) if tokens is None else tokens
        return Analysed(toks, tuple(self._concepts(toks)))

    def _concepts(self, toks: tuple[Token, ...]) -> Iterable[Concept]:
        """Find thesaurus phrases in a token sequence, each concept once per place it occurs.

        At each word the longest phrase starting there counts, unless it ends inside a phrase already
        found: "who do I ring at the weekend" is both "who do I ring" and "ring at the weekend", while
        "child protection plan" is not also "protection plan".
        """
        stems = [t.stem for t in toks]
        covered = -1  # the last position inside a phrase found so far
        for i in range(len(stems)):
            for size in range(min(self._longest, len(stems) - i), 0, -1):
                names = self._phrases.get(tuple(stems[i : i + size]))
                if names and not (size == 1 and toks[i].stop):
                    break
            else:
                continue
            last = i + size - 1
            if last <= covered:
                continue
            for name in sorted(names):
                yield Concept(name, i, last)
            if size > 1:  # a word inside a phrase keeps its own concept: "what children say" is about a child
                for k in range(max(i, covered + 1), last + 1):
                    if not toks[k].stop:
                        for name in sorted(self._phrases.get((stems[k],), ())):
                            yield Concept(name, k, k)
            covered = last
        yield from self._gapped(toks)
        for i in range(len(toks) - 1):  # "Case 2" names one case: a term of its own, not "case" and "2"
            n = i + 2 if toks[i + 1].surface in ("number", "no") and i + 2 < len(toks) else i + 1  # "case number 1"
            if toks[i].surface in ("case", "cases") and toks[n].surface.isdigit():
                yield Concept(f"{CASE_PREFIX}{toks[n].surface}", i, n)
                j = n + 1  # "cases 2 and 3" names both
                while j + 1 < len(toks) and toks[j].surface in _LIST_LINKS and toks[j + 1].surface.isdigit():
                    yield Concept(f"{CASE_PREFIX}{toks[j + 1].surface}", j + 1, j + 1)
                    j += 2
        yield from self._ordinal_cases(toks)

    @staticmethod
    def _ordinal_cases(toks: tuple[Token, ...]) -> Iterable[Concept]:
        """Cases named by ordinals: "the third case", "the first story", "the second and third cases"."""
        i = 0
        while i < len(toks):
            if toks[i].surface not in _ORDINALS:
                i += 1
                continue
            run, j = [i], i + 1
            while j < len(toks) and (toks[j].surface in _ORDINALS or (
                    toks[j].surface in _LIST_LINKS and j + 1 < len(toks) and toks[j + 1].surface in _ORDINALS)):
                j += toks[j].surface in _LIST_LINKS
                run.append(j)
                j += 1
            if j < len(toks) and toks[j].surface in _CASE_NOUNS:
                for k in run:
                    yield Concept(f"{CASE_PREFIX}{_ORDINALS[toks[k].surface]}", k, j if k == run[-1] else k)
            i = j

    def _gapped(self, toks: tuple[Token, ...]) -> Iterable[Concept]:
        """Terms written "end ... plan": their words in order, up to PHRASE_GAP other words between.

        "ending a child protection plan" then carries the concept of "end ... plan".
        """
        content = [i for i, t in enumerate(toks) if not t.stop]
        for start, pos in enumerate(content):
            for words, names in self._by_first.get(toks[pos].stem, ()):
                at, last = 1, start
                for k in range(start + 1, min(len(content), start + 1 + (len(words) - 1) * (PHRASE_GAP + 1))):
                    if toks[content[k]].stem == words[at]:
                        at, last = at + 1, k
                        if at == len(words):
                            break
                    elif k - last > PHRASE_GAP:
                        break
                if at == len(words):
                    for name in sorted(names):
                        yield Concept(name, pos, content[last])

    def terms(self, text: str) -> list[str]:
        """Index terms of a text: content-word stems and concept terms."""
        return self.analyse(text).terms()


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The shared analyzer (its data files are read once)."""
    return Analyzer()


def damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance, giving up (returning limit + 1) once it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(word: str, depth: int) -> set[str]:
    """Every string made by deleting up to `depth` characters from word (SymSpell's key set)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


def allowed_distance(word: str) -> int:
    """How many edits a misspelling of this length may have: short words are easy to confuse."""
    if len(word) <= 3:
        return 1 if len(word) == 3 else 0
    return 1 if len(word) <= 7 else 2


class Speller:
    """Corrects words that are not in the corpus vocabulary to the nearest word that is."""

    def __init__(self, frequencies: dict[str, int], common: frozenset[str] = frozenset(),
                 english: frozenset[str] = frozenset()) -> None:
        self.frequencies = dict(frequencies)
        # Three-letter typos ("wat", "wen") are only corrected to common words: a short rare
        # word is as likely to be a different word as a misspelling.
        self.common = common
        self.english = english
        for word in common:
            self.frequencies.setdefault(word, 1_000_000)
        self._index: dict[str, list[str]] = {}
        for word in self.frequencies:
            if word.isalpha() and len(word) >= 3:
                for key in _deletes(word, 2 if len(word) >= 5 else 1):
                    self._index.setdefault(key, []).append(word)

    def correct(self, word: str) -> str | None:
        """The best vocabulary word within the allowed edit distance, or None."""
        limit = allowed_distance(word)
        if limit == 0 or not word.isalpha() or word in self.english:
            return None
        candidates = {c for key in _deletes(word, limit) for c in self._index.get(key, ())}
        if len(word) <= 3:
            candidates &= self.common
        # Typists rarely get the first letter wrong; keeping it stops real words ("told", "hits")
        # being "corrected" into unrelated corpus words ("old", "its").
        candidates = {c for c in candidates if c[:1] == word[:1] or c[:2] == word[1::-1]}
        best: tuple[int, int, str] | None = None
        for cand in candidates:
            dist = damerau(word, cand, limit)
            if dist <= limit:
                rank = (dist, -self.frequencies[cand], cand)
                best = rank if best is None or rank < best else best
        return best[2] if best else None
