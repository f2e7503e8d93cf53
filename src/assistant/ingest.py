"""Bulletin text -> passages that know their bulletin, section, case, kind and lines.

Bulletins arrive as exported text with the defects of a PDF or Word export: bullets written
"..", "- ", "•" or "*", numbered items, **bold** marks, Markdown links with empty targets,
sentences and list items broken across blank lines, headings with and without colons, case
headings with assorted dashes, and call-outs ("N.B ...") inside paragraphs. This module reads
the structure from the layout itself, never from one bulletin's particular headings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from assistant.formats import FormatError, is_bulletin_file, read_metadata, read_text

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(?:\.\.(?!\.)|[-•*·▪◦–]\s+|[•▪◦·])\s*")
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+")
_CASE = re.compile(r"^case\s*(\d+)\s*(?:[—–\-:.]+\s*|\s+)(.*)$", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
_BOLD = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")  # a web address (also left out of analysis: not words)
_CALLOUT = re.compile(r"\s*[—–-]*\s*\b(N\.\s?B\.?|NB:|Note:)\s")
_DIRECTIVE = re.compile(r"\b(should|must|needs? to|ensure|is to|are to)\b", re.IGNORECASE)
_FINITE_VERB = re.compile(
    r"\b(is|are|was|were|will|would|should|must|can|could|has|have|had|may|might|do|does|did)\b",
    re.IGNORECASE,
)
RECORD_FIELD = re.compile(r"^[A-Z][A-Za-z ]{1,20}:\s+\S")  # "Book Title: ...", "Series: ..."
# "The first case identifies...", "The next two cases highlight...": a passage that introduces cases.
_INTRODUCES = re.compile(r"\b(?:first|next|following)\s+(?:(two|three|four|five|[2-5])\s+)?cases?\b", re.I)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
_ISSUE_PHRASE = re.compile(r"(\d+)(?:st|nd|rd|th)?\s+issue\s+of\s+(?:the\s+)?([^.\n]+?)(?:\.|\n|$)", re.I)
_ISSUE_FIRST = re.compile(r"\bissue\s+(\d+)\s+of\s+(?:the\s+)?([^.\n]+?)(?:[.,]|\n|$)", re.I)
_ISSUE_NUMBER = re.compile(r"\bissue\s*(?:no\.?|number|#)?\s*(\d+)\b", re.IGNORECASE)
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?:19|20)\d\d\b"
)
_TERMINAL = ".!?:;)\"'”’…>"
# Kinds that say nothing a question asks about; any other kind the section heading does not name
# is indexed with the passage's context.
SUBJECTLESS_KINDS = frozenset({"context", "note", "introduction", "review findings"})


class IngestError(Exception):
    """A bulletin could not be read or holds no passages."""


@dataclass(frozen=True)
class Passage:
    """One quotable piece of a bulletin, with everything needed to cite it."""

    id: str
    bulletin_id: str
    text: str
    kind: str
    section: str | None
    case_number: int | None
    case_title: str | None
    line_start: int
    line_end: int
    context: str = ""

    @property
    def case(self) -> str | None:
        """The case as a person reads it, e.g. "Case 1 — Child Sexual Exploitation (CSE)"."""
        if self.case_number is None:
            return None
        return f"Case {self.case_number} — {self.case_title}" if self.case_title else f"Case {self.case_number}"


@dataclass(frozen=True)
class Contact:
    """A duty team to call about a child: where it covers, how to reach it, and when."""

    area: str
    area_id: str
    phone: str
    email: str | None
    when: str
    passage_id: str | None = None

    @property
    def tel(self) -> str:
        """The number as a tel: link wants it (digits and a leading +)."""
        return re.sub(r"[^\d+]", "", self.phone.replace("(0)", ""))


@dataclass(frozen=True)
class Bulletin:
    """A parsed bulletin: its identity and its passages in document order."""

    id: str
    title: str
    issue: str | None
    date: str | None
    source: str
    digest: str
    passages: tuple[Passage, ...]
    contacts: tuple[Contact, ...] = field(default=())
    short_title: str = ""

    @property
    def name(self) -> str:
        """Title and issue in full, e.g. "Leicestershire & Rutland Learning Review, issue 2"."""
        return f"{self.title}, issue {self.issue}" if self.issue else self.title

    @property
    def short_name(self) -> str:
        """Short title and issue, as a citation label starts ("Learning Review, issue 2")."""
        short = self.short_title or self.title
        return f"{short}, issue {self.issue}" if self.issue else short


# --------------------------------------------------------------------------- cleaning


def clean_inline(text: str) -> str:
    """Drop inline markup (bold and italic marks, link targets) and normalise whitespace."""
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _BOLD.sub("", text)
    text = _ITALIC.sub(lambda m: m.group(1), text)
    return " ".join(text.split())


def normalised_source(text: str) -> str:
    """The source as passages quote it: markup dropped line by line, whitespace collapsed (for checking quotes)."""
    # A line of markup alone ("**") leaves nothing to join: it must not leave a double space.
    return " ".join(cleaned for cleaned in map(clean_inline, text.splitlines()) if cleaned.strip())


def slug(text: str) -> str:
    """A lower-case, hyphenated identifier made from text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "bulletin"


# --------------------------------------------------------------------------- units


@dataclass
class _Unit:
    """A logical line of the source: a heading, list item or paragraph, with its line span."""

    text: str
    first: int
    last: int
    marker: str = ""  # "bullet", "number", "md" (Markdown heading) or ""
    level: int = 0
    block_start: bool = True
    block_end: bool = True

    @property
    def listed(self) -> bool:
        return self.marker in ("bullet", "number")


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Group non-blank lines into blocks separated by blank lines, keeping 1-based line numbers."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            current.append((number, line.strip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _units_of_block(block: list[tuple[int, str]]) -> list[_Unit]:
    """Split a block into units: each marked line starts a unit; unmarked lines continue one."""
    units: list[_Unit] = []
    for number, raw in block:
        line = clean_inline(raw) if not _MD_HEADING.match(raw) else raw  # markup never spans lines
        if not line:
            continue
        heading = _MD_HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            units.append(_Unit(heading.group(2), number, number, "md", len(heading.group(1))))
        elif numbered:
            units.append(_Unit(line, number, number, "number"))  # "3." kept: pitfalls are cited by number
        elif bullet and not _ITALIC.match(raw):
            units.append(_Unit(line[bullet.end() :], number, number, "bullet"))
        elif units and units[-1].marker != "md":
            units[-1].text += " " + line
            units[-1].last = number
        else:
            units.append(_Unit(line, number, number))
    for i, unit in enumerate(units):
        unit.block_start, unit.block_end = i == 0, i == len(units) - 1
        unit.text = " ".join(unit.text.split())
    return [u for u in units if u.text]


def _ends_open(text: str) -> bool:
    """True when text stops mid-sentence (no closing punctuation)."""
    return not text.rstrip().endswith(tuple(_TERMINAL))


def _continues(prev: _Unit, unit: _Unit) -> bool:
    """True when unit is the rest of prev, split off by a stray blank line in the export."""
    return (
        prev.block_end
        and unit.block_start
        and not unit.marker
        and prev.marker != "md"
        and _ends_open(prev.text)
        and unit.text[:1].islower()
    )


def _has_contact_details(text: str) -> bool:
    return bool(_PHONE.search(text) or _EMAIL.search(text))


def _starts_with_contact_details(text: str) -> bool:
    """True for a bare "01572 758407 or email ..." line, whose label is the line before it."""
    return bool(_PHONE.match(text) or _EMAIL.match(text))


def units_of(text: str) -> list[_Unit]:
    """The source as units, with broken sentences and split contact lines joined back up."""
    units: list[_Unit] = []
    for block in _blocks(text.splitlines()):
        for unit in _units_of_block(block):
            prev = units[-1] if units else None
            if prev and _continues(prev, unit):
                prev.text, prev.last, prev.block_end = f"{prev.text} {unit.text}", unit.last, unit.block_end
            elif (
                prev
                and not prev.marker
                and not unit.marker
                and prev.block_end
                and len(prev.text.split()) <= 12
                and not _has_contact_details(prev.text)
                and _starts_with_contact_details(unit.text)
                and (_ends_open(prev.text) or prev.text.endswith(":"))
            ):
                # "For children living in Rutland contact" / "01572 ..." is one contact, not a heading.
                prev.text, prev.last, prev.block_end = f"{prev.text} {unit.text}", unit.last, unit.block_end
            elif prev and _same_record(prev, unit):
                # "Book Title: ..." / "Authors: ..." / "Publishers: ...": one reference, one passage.
                prev.text, prev.last, prev.block_end = f"{prev.text} {unit.text}", unit.last, unit.block_end
            else:
                units.append(unit)
    return units


def is_record(text: str) -> bool:
    """True for a reference record's text: "Label: value" fields ("Book Title: ...", "Series: ...")."""
    return bool(RECORD_FIELD.match(text))


def introduced_cases(passages: Sequence[Passage]) -> list[frozenset[int]]:
    """Per passage, the cases it introduces: as many as it counts of the cases that follow it in its bulletin."""
    introduced: list[frozenset[int]] = [frozenset()] * len(passages)
    for i, passage in enumerate(passages):
        found = None if passage.case_number else _INTRODUCES.search(passage.text)
        if found is None:
            continue
        word = (found.group(1) or "1").lower()
        count = _COUNTS.get(word) or int(word)
        following: list[int] = []
        j = i + 1
        while j < len(passages) and len(following) < count and passages[j].bulletin_id == passage.bulletin_id:
            if passages[j].case_number and passages[j].case_number not in following:
                following.append(passages[j].case_number)
            j += 1
        introduced[i] = frozenset(following)
    return introduced


def _same_record(prev: _Unit, unit: _Unit) -> bool:
    """True when two "Label: value" paragraphs follow each other: the fields of one record."""
    return (
        not prev.marker
        and not unit.marker
        and prev.block_end
        and unit.block_start
        and is_record(prev.text)
        and is_record(unit.text)
        and not _has_contact_details(prev.text + " " + unit.text)
    )


# --------------------------------------------------------------------------- headings


def _looks_like_heading(unit: _Unit, prev: _Unit | None) -> bool:
    """True for a short, title-like line standing alone (plain-text layouts have no heading marks)."""
    text = unit.text
    words = text.split()
    if unit.marker or not (unit.block_start and unit.block_end) or unit.first != unit.last:
        return False
    if not words or len(words) > 12 or len(text) > 100 or text.endswith((",", ";")):
        return False
    if _has_contact_details(text) or URL.search(text) or is_record(text):
        return False
    if prev is not None and prev.text.endswith(":") and not prev.listed:
        return False  # the line after "Further information:" is what it introduces
    if re.search(r"[.!?]\s+[A-Z]", text.rstrip(".!?")):
        return False  # two sentences
    if text.endswith(":"):
        return True
    # A full stop after a finite verb makes a sentence, not a title ("Work will be undertaken...").
    return not (text.endswith(".") and not text.endswith("..") and _FINITE_VERB.search(text))


def _heading_text(text: str) -> str:
    """A heading as shown in citations: trailing colons, dots and stray marks removed."""
    return re.sub(r"[\s:.>…]+$", "", text).strip()


def _split_case_title(rest: str) -> tuple[str, str]:
    """Split "Child Sexual Exploitation (CSE) Involving young women..." into title and summary."""
    rest = rest.strip()
    paren = re.match(r"^(.+?\))\s+([A-Z].*)$", rest)
    if paren and len(paren.group(1).split()) <= 8:
        return _heading_text(paren.group(1)), paren.group(2)
    sentence = re.match(r"^(.+?[.!?])\s+([A-Z].*)$", rest)
    if sentence and len(sentence.group(1).split()) <= 8:
        return _heading_text(sentence.group(1)), sentence.group(2)
    return _heading_text(rest), ""


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class KindRule:
    """A kind and the heading words that signal it."""

    kind: str
    pattern: re.Pattern[str]


def read_kind_rules() -> tuple[KindRule, ...]:
    """The ordered heading -> kind rules from the package's data file."""
    text = resources.files("assistant").joinpath("data", "kinds.txt").read_text(encoding="utf-8")
    rules = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            kind, _, pattern = line.partition(":")
            rules.append(KindRule(kind.strip(), re.compile(pattern.strip(), re.IGNORECASE)))
    return tuple(rules)


def _kind(lead_in: str, headings: list[str], rules: tuple[KindRule, ...], default: str) -> str:
    """The kind the lead-in names, else that of the first rule matching any heading, else default."""
    for texts in ([lead_in], headings):
        for rule in rules:
            if any(rule.pattern.search(text) for text in texts if text):
                return rule.kind
    return default


# --------------------------------------------------------------------------- structure


@dataclass
class _State:
    """Where the parser is: open headings, the open case, the lead-in of an unbulleted list."""

    sections: list[tuple[int, str]] = field(default_factory=list)
    case: tuple[int, int, str] | None = None  # (level, number, title)
    case_summary: str = ""
    lead_in: str = ""
    after_list: bool = False
    case_listed: bool = False
    list_kind: str = ""

    def open_heading(self, level: int, text: str) -> None:
        """Enter a heading: close those at its level or deeper, and the case if it sits at or above it."""
        self.sections = [s for s in self.sections if s[0] < level]
        if self.case and level <= self.case[0]:
            self.case, self.case_summary = None, ""
        self.sections.append((level, text))
        self.lead_in, self.after_list = "", False

    def open_case(self, level: int, number: int, title: str) -> None:
        """Enter a case: close open sub-headings at its level or deeper."""
        self.sections = [s for s in self.sections if s[0] < level]
        self.case, self.case_summary, self.case_listed = (level, number, title), "", False
        self.lead_in, self.after_list = "", False

    def close_list_scope(self) -> None:
        """A plain paragraph after a list ends the list's sub-heading and the case around it."""
        floor = 1 if self.case is None else self.case[0]
        self.sections = [s for s in self.sections if s[0] <= floor]
        if self.case:
            self.case, self.case_summary = None, ""
            self.sections = [s for s in self.sections if s[0] < 2]
        self.after_list = False

    @property
    def section(self) -> str | None:
        """The innermost heading that applies (for a case passage, only headings inside the case)."""
        floor = self.case[0] if self.case else 0
        inner = [text for level, text in self.sections if level > floor]
        return inner[-1] if inner else None


def _parse_title(text: str, units: list[_Unit], fallback: str) -> tuple[str, str | None]:
    """The bulletin's title and issue number from its own words, else from the file name."""
    phrase = _ISSUE_PHRASE.search(text[:2000]) or _ISSUE_FIRST.search(text[:2000])
    if phrase:
        return phrase.group(2).strip(), phrase.group(1)
    first_md = next((u for u in units if u.marker == "md"), None)
    if first_md is not None:
        number = _ISSUE_NUMBER.search(first_md.text)
        title = re.split(r"\s*[—–:|-]\s*issue\b", first_md.text, flags=re.I)[0].strip() or first_md.text
        return title, number.group(1) if number else None
    number = _ISSUE_NUMBER.search(fallback.replace("-", " "))
    title = re.sub(r"[-_]+", " ", re.split(r"[-_]issue", fallback, flags=re.I)[0]).strip().title()
    return title or fallback, number.group(1) if number else None


def parse_bulletin(text: str, bulletin_id: str, source: str = "") -> Bulletin:
    """Parse a bulletin's text into a Bulletin with its passages and contacts."""
    units = units_of(text)
    title, issue = _parse_title(text, units, bulletin_id)
    rules = read_kind_rules()
    explicit = any(u.marker == "md" for u in units)
    drafts: list[tuple[_Unit, str, str | None, tuple[int, int, str] | None, str, str]] = []
    state = _State()
    prev: _Unit | None = None

    for index, unit in enumerate(units):
        nxt = units[index + 1] if index + 1 < len(units) else None
        case = _CASE.match(unit.text) if not unit.listed else None
        if index == 0 and not case and (
            unit.marker == "md" and unit.level == 1 or not explicit and _looks_like_heading(unit, None)
        ):
            pass  # the document's own title (read by _parse_title), not a section
        elif case and (unit.marker == "md" or len(unit.text.split()) <= 30):
            case_title, summary = _split_case_title(case.group(2))
            state.open_case(unit.level if unit.marker == "md" else 2, int(case.group(1)), case_title)
            if summary:
                drafts.append((unit, summary, None, state.case, "case summary", ""))
                state.case_summary = summary
        elif unit.marker == "md":
            level = unit.level
            if state.case and level > state.case[0] or unit.text.endswith(":"):
                level = max(level, (state.case[0] if state.case else 1) + 1)
            state.open_heading(level, _heading_text(unit.text))
        elif _opens_case(state, prev) and not unit.text.endswith(":"):
            state.case_summary = unit.text
            drafts.append((unit, unit.text, None, state.case, "case summary", ""))
        elif (
            not explicit and _looks_like_heading(unit, prev) and not _sentence_before_case(unit, nxt)
            or _is_colon_heading(unit, prev)
        ):
            # A bare heading that introduces a list is a sub-heading, unless the case it would sit
            # in has had its list already: then it starts a section of its own.
            sub = unit.text.endswith(":") or (nxt is not None and nxt.listed and not (state.case and state.case_listed))
            state.open_heading(3 if sub else 1, _heading_text(unit.text))
        else:
            kind = _place(unit, prev, state, explicit, rules, drafts)
            if not unit.listed and unit.text.endswith(":"):
                state.lead_in = unit.text  # it introduces the unbulleted items after it, and names their kind
                kind = _kind(unit.text, _headings_inside_out(state), rules, kind)
            drafts.append((unit, unit.text, state.section, state.case, kind, state.case_summary))
        prev = unit

    return _assemble(text, bulletin_id, source, title, issue, drafts)


def _sentence_before_case(unit: _Unit, nxt: _Unit | None) -> bool:
    """A full-stopped line straight before a case heading is a sentence introducing it, not a heading."""
    return unit.text.endswith(".") and nxt is not None and not nxt.listed and bool(_CASE.match(nxt.text))


def _opens_case(state: _State, prev: _Unit | None) -> bool:
    """True right after a case heading that had no summary of its own: the next line summarises it."""
    return bool(state.case and not state.case_summary and prev is not None and not prev.listed and _CASE.match(prev.text))


def _is_colon_heading(unit: _Unit, prev: _Unit | None) -> bool:
    """A short standalone line ending in a colon heads what follows, in any layout."""
    return (
        not unit.marker
        and unit.block_start
        and unit.block_end
        and unit.text.endswith(":")
        and len(unit.text.split()) <= 10
        and not _has_contact_details(unit.text)
        and not (prev is not None and prev.text.endswith(":") and not prev.listed)
    )


def _place(unit: _Unit, prev: _Unit | None, state: _State, explicit: bool, rules, drafts) -> str:
    """Decide a content unit's kind, closing list scopes that a plain paragraph ends."""
    if unit.listed:
        state.after_list = True
        state.case_listed = state.case is not None
        state.list_kind = _kind(state.lead_in, _headings_inside_out(state), rules, "context")
        return state.list_kind
    if state.after_list and not explicit:
        if _DIRECTIVE.search(re.split(r"(?<=[.!?])\s", unit.text, maxsplit=1)[0]):
            unit.marker = "bullet"  # an item whose bullet the export lost
            return state.list_kind
        state.close_list_scope()
        state.lead_in = ""
    if not state.sections and state.case is None and not any(d[4] != "introduction" for d in drafts):
        return "introduction"
    return _kind(state.lead_in, _headings_inside_out(state), rules, "context")


def _headings_inside_out(state: _State) -> list[str]:
    return [text for _, text in reversed(state.sections)]


def _split_callout(text: str) -> tuple[str, str]:
    """Split "…when a child dies. their case—N.B We have set up…" into the text and its call-out."""
    match = _CALLOUT.search(text)
    if not match or match.start() == 0:
        return text, ""
    return text[: match.start()].rstrip(" —–-"), text[match.start(1) :]


def _unnamed_kind(kind: str, section: str | None) -> str:
    """The kind, when the section heading does not say it: each of the ten pitfalls sits under
    "What research tells us", a reader's recommendation is a book. Empty for kinds that name no subject."""
    if kind in SUBJECTLESS_KINDS or all(word in (section or "").lower() for word in kind.split()):
        return ""
    return kind


def _assemble(text, bulletin_id, source, title, issue, drafts) -> Bulletin:
    """Number the drafted passages, split call-outs off, and pull out the contacts."""
    passages: list[Passage] = []
    for unit, body, section, case, kind, summary in drafts:
        main, callout = _split_callout(body)
        # A call-out ("N.B. we have set up a working group about this") is about the text it interrupts.
        for piece, piece_kind, about in ((main, kind, ""), (callout, "note", main)):
            if not piece:
                continue
            number, case_title = (case[1], case[2]) if case else (None, None)
            context = " ".join(p for p in (f"Case {number}" if number else "", case_title or "", section or "",
                                           _unnamed_kind(piece_kind, section), about) if p)
            passages.append(
                Passage(
                    id=f"{bulletin_id}-{len(passages) + 1:03d}",
                    bulletin_id=bulletin_id,
                    text=piece,
                    kind=piece_kind,
                    section=section,
                    case_number=number,
                    case_title=case_title,
                    line_start=unit.first,
                    line_end=unit.last,
                    context=context,
                )
            )
    if not passages:
        raise IngestError(f"{source or bulletin_id}: no passages found")
    date = _DATE.search(text[:3000])
    return Bulletin(
        id=bulletin_id,
        title=title,
        short_title=short_title(title),
        issue=issue,
        date=date.group(0) if date else None,
        source=source,
        digest=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        passages=tuple(passages),
        contacts=extract_contacts(passages),
    )


def short_title(title: str) -> str:
    """The name a citation uses: the last two words of a long title ("Learning Review")."""
    words = title.split()
    return " ".join(words[-2:]) if len(words) > 3 else title


# --------------------------------------------------------------------------- contacts


CONTACT_KIND = "contact"
ALL_AREAS = "All areas"
OFFICE_HOURS = "Office hours"
OUT_OF_HOURS = "Out of office hours"


def extract_contacts(passages: list[Passage]) -> tuple[Contact, ...]:
    """Duty contacts (area, phone, email, when) from contact passages that hold a phone number."""
    contacts: list[Contact] = []
    for passage in passages:
        if passage.kind != CONTACT_KIND:
            continue
        phone = _PHONE.search(passage.text)
        if not phone:
            continue
        email = _EMAIL.search(passage.text)
        if re.search(r"out of (?:office )?hours|after hours|emergency duty", passage.text, re.I):
            area, when = ALL_AREAS, OUT_OF_HOURS
        else:
            found = re.search(r"\bin\s+(?:the\s+)?([A-Z][\w&'.]*(?:\s+[A-Z][\w&'.]*)*)", passage.text)
            area, when = (found.group(1) if found else ALL_AREAS), OFFICE_HOURS
        area_id = "out-of-hours" if when == OUT_OF_HOURS else slug(area)
        contacts.append(
            Contact(area, area_id, phone.group().strip(), email.group() if email else None, when, passage.id)
        )
    return tuple(contacts)


# --------------------------------------------------------------------------- files


def bulletin_id_for(path: Path) -> str:
    """A bulletin's id: its file name without the suffix, as a slug (stable across rebuilds)."""
    return slug(path.stem)


def read_bulletin(path: Path) -> Bulletin:
    """Read and parse one bulletin file (.txt, .md, .docx, .pdf) with its optional metadata."""
    try:
        text = read_text(path)
        meta = read_metadata(path)
    except FormatError as exc:
        raise IngestError(str(exc)) from exc
    bulletin = parse_bulletin(text, bulletin_id_for(path), path.name)
    if meta:
        bulletin = replace(bulletin, **{k: v for k, v in meta.items() if k in ("title", "short_title", "issue", "date")})
    return bulletin


def corpus_files(corpus: Path) -> list[Path]:
    """The bulletin files in a corpus folder, in a stable order."""
    if not corpus.is_dir():
        raise IngestError(f"corpus folder not found: {corpus}")
    return sorted(p for p in corpus.iterdir() if is_bulletin_file(p))

