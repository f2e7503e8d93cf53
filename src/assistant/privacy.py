"""Find and redact personal data in a practitioner's question before it goes anywhere else.

Practitioners sometimes type details that identify a child or family: a phone number, an
email address, an NHS or National Insurance number, a postcode, a date of birth or a name.
The server scans every question with :func:`redact`, answers the redacted text (the rest
of the question is kept character for character so it can still be answered) and shows the
user :func:`warning_for`'s message.

The detector is deliberately rule-based, with no third-party library. Every regular expression
uses bounded repetition and alternatives that cannot both match the same character, so
the scan is linear in the length of the text and cannot be stalled by pathological input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.analysis import data_sections

__all__ = ["Finding", "Redaction", "find_personal_data", "redact", "warning_for", "nhs_checksum_ok"]

KINDS = ("phone", "email", "nhs_number", "ni_number", "postcode", "date_of_birth", "name")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind and its [start, end) offsets in the original text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Redaction:
    """A redacted question and the findings that were replaced in it."""

    text: str
    findings: tuple[Finding, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Distinct kinds found, in order of first appearance."""
        return tuple(dict.fromkeys(f.kind for f in self.findings))


# --------------------------------------------------------------------------- phone numbers

# Digits are written [0-9] rather than \d so that other scripts' digits never reach int().
_PHONE = re.compile(
    r"""
    (?<![0-9+])
    (?:
        (?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?[0-9](?:[ -]?[0-9]){8,9}   # +44 7700 900123, +44 (0)116 ...
      | \(0[0-9]{2,4}\)[ ]?[0-9](?:[ -]?[0-9]){5,7}                 # (0116) 2527004
      | 0[0-9](?:[ -]?[0-9]){8,9}                                   # 0116 252 7004, 07700900123
    )
    (?![0-9])
    """,
    re.VERBOSE,
)


def _phone_ok(match: re.Match[str]) -> bool:
    """Whether a phone-shaped match has a UK length (10 or 11 digits from the leading 0)."""
    # The +44 form's length is fixed by the pattern (and its "44" would skew the count);
    # only "(0116) 2527004" has an area code and number whose lengths vary independently.
    if match.group().startswith(("+", "00")):
        return True
    return 10 <= sum(ch.isdigit() for ch in match.group()) <= 11


# ------------------------------------------------------------------------------- emails

# Each part is bounded and starts only where a run of its characters starts, so a long run
# without an "@" is scanned once rather than once per starting position.
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]{1,64}@(?:[\w\-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w\-])"
)

# ---------------------------------------------------------------------------- NHS numbers

_NHS = re.compile(r"(?<![\w+])([0-9]{3})([ -]?)([0-9]{3})\2([0-9]{4})(?!\w)")


def nhs_checksum_ok(digits: str) -> bool:
    """Whether ten digits pass the NHS modulus-11 check (weights 10..2 on the first nine)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    # A remainder giving 10 is never issued, so such a number cannot be an NHS number.
    return check != 10 and check == int(digits[9])


# ------------------------------------------------------------- National Insurance numbers

_NI = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{2})[ ]?([0-9]{2})[ ]?([0-9]{2})[ ]?([0-9]{2})[ ]?([A-Da-d])(?![A-Za-z0-9])"
)
_NI_BAD_FIRST = set("DFIQUV")
_NI_BAD_SECOND = set("DFIOQUV")
_NI_BAD_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
# HMRC's own example; people copy it as a placeholder, and over-redacting it costs nothing.
_NI_ALWAYS = {"QQ"}


def _ni_prefix_ok(prefix: str) -> bool:
    """Whether two letters can begin a National Insurance number."""
    p = prefix.upper()
    if p in _NI_ALWAYS:
        return True
    return p[0] not in _NI_BAD_FIRST and p[1] not in _NI_BAD_SECOND and p not in _NI_BAD_PREFIXES


# ------------------------------------------------------------------------------ postcodes

_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2})([0-9][A-Za-z0-9]?)[ ]?([0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![A-Za-z0-9])"
)
# The real postcode areas: checking them keeps "ab12 3cd"-shaped noise from being flagged.
_POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL
    DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY
    L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA
    SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV
    YO ZE""".split()
)
_ORDINAL = re.compile(r"(?:1st|2nd|3rd|[04-9]th)")


def _postcode_ok(match: re.Match[str]) -> bool:
    """Whether a postcode-shaped match is in a real area and is not e.g. "M1 2nd" typed in lower case."""
    area, _, inward = match.groups()
    if area.upper() not in _POSTCODE_AREAS:
        return False
    # Typed in lower case, "<district> 3rd" is far more often an ordinal than a postcode.
    return inward.isupper() or not _ORDINAL.fullmatch(inward)


# ------------------------------------------------------------------------- dates of birth

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_NUMERIC_DATE = r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![0-9]|[/.\-][0-9])"
_ISO_DATE = r"(" + _YEAR + r")-([0-9]{1,2})-([0-9]{1,2})(?![0-9]|[/.\-][0-9])"
_DMY = _DAY + r"(?:\s{1,3}of)?\s{1,3}" + _MONTH + r"(?:,?\s{1,3}(" + _YEAR + r"))?(?!\w)"
_MDY = _MONTH + r"\s{1,3}" + _DAY + r"(?:,?\s{1,3}(" + _YEAR + r"))?(?!\w)"
_MONTH_YEAR = _MONTH + r",?\s{1,3}" + _YEAR + r"(?!\w)"

_DATE_FLAGS = re.IGNORECASE
# Bare scans start only at a token boundary; anchored versions are tried right after a trigger.
_BARE = r"(?<![\w/.\-])"
_NUMERIC_BARE = re.compile(_BARE + _NUMERIC_DATE, _DATE_FLAGS)
_ISO_BARE = re.compile(_BARE + _ISO_DATE, _DATE_FLAGS)
_DMY_BARE = re.compile(r"(?<!\w)" + _DMY, _DATE_FLAGS)
_MDY_BARE = re.compile(r"(?<!\w)" + _MDY, _DATE_FLAGS)
_AFTER_TRIGGER = [
    re.compile(p, _DATE_FLAGS) for p in (_NUMERIC_DATE, _ISO_DATE, _DMY, _MDY, _MONTH_YEAR)
]
_DOB_TRIGGER = re.compile(
    r"(?<!\w)(?:d\.?\s?o\.?\s?b|date\s{1,3}of\s{1,3}birth|birth\s?date|birthday|born)(?!\w)\.?"
    r"(?:['’]s)?\s{0,3}[:=\-–—]?\s{0,3}(?:(?:is|was|on|in|of|the|date)\s{1,3}){0,3}",
    re.IGNORECASE,
)


def _day_month_ok(first: int, second: int) -> bool:
    """Whether two numbers can be a day and month in either order (UK or US writing)."""
    return (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31)


def _numeric_date_ok(match: re.Match[str], after_trigger: bool) -> bool:
    """Whether a d/m/y-shaped match is a plausible date."""
    first, sep, second, year = match.groups()
    if not _day_month_ok(int(first), int(second)):
        return False
    if len(year) == 4:
        return 1900 <= int(year) <= 2099
    # "4.2.15" is as likely a paragraph number as a date, unless "DOB" or "born" precedes it.
    return sep == "/" or after_trigger


def _iso_date_ok(match: re.Match[str]) -> bool:
    """Whether a yyyy-mm-dd match has a real month and day."""
    _, month, day = match.groups()
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _find_dates(text: str) -> list[Finding]:
    """Dates of birth: full dates anywhere, partial dates only after "DOB", "born", "birthday"..."""
    found = []
    for m in _NUMERIC_BARE.finditer(text):
        if _numeric_date_ok(m, after_trigger=False):
            found.append(Finding("date_of_birth", m.start(), m.end()))
    for m in _ISO_BARE.finditer(text):
        if _iso_date_ok(m):
            found.append(Finding("date_of_birth", m.start(), m.end()))
    for pattern in (_DMY_BARE, _MDY_BARE):
        # Without a trigger only a full day-month-year date counts: "in July" or "3 May" do not.
        found.extend(Finding("date_of_birth", m.start(), m.end()) for m in pattern.finditer(text) if m.group(1))
    for trigger in _DOB_TRIGGER.finditer(text):
        pos = trigger.end()
        for i, pattern in enumerate(_AFTER_TRIGGER):
            m = pattern.match(text, pos)
            if m is None:
                continue
            if i == 0 and not _numeric_date_ok(m, after_trigger=True):
                continue
            if i == 1 and not _iso_date_ok(m):
                continue
            found.append(Finding("date_of_birth", m.start(), m.end()))
            break
    return found


# ---------------------------------------------------------------------------------- names

# Words that commonly follow "called"/"named"/"name is" and are not names. Anything else after
# those words is treated as a name, so a lower-case "called jade" is still caught.
_NOT_NAMES = frozenset(
    """
    the a an me him her them us you it its this that these those they he she we i my your his
    their our one someone somebody anyone anybody everyone everybody nobody no none all both each
    every any some several many another other others what which who whom whose how why where when
    whether whatever something anything nothing everything
    back in out for about to by on off up down over round around at with from into onto upon
    after before during since until till while whilst because as and but or nor so if than then
    again ahead away earlier later today yesterday tonight tomorrow now once twice immediately
    straight directly regarding re via not also just only still already last next first
    recently repeatedly often never always there here please being been be is was are were
    police social services service care children's childrens emergency ambulance duty team mash
    camhs nspcc childline lado ofsted gp doctor doctors nurse midwife health visitor hospital
    school college nursery home office helpline line early help safeguarding designated named
    family families person people professional professionals practitioner worker workers officer
    officers lead leads contact number individual individuals agency agencies parent parents mum
    mom mother dad father carer carers foster grandparent grandmother grandma nan brother sister
    sibling siblings child children baby babies young boy boys girl girls pupil pupils student
    students teacher teachers staff head manager meeting conference strategy review panel
    adult adults man woman men women male female suspect perpetrator alleged victim
    names name things words slurs insults racist homophobic abusive offensive derogatory horrible
    nasty rude stupid ugly fat gay liar thief freak weird loser snitch grass slag slut whore bitch
    grooming neglect abuse exploitation county lines cuckooing sexting bullying radicalisation
    trafficking modern slavery domestic coercive control honour forced marriage fgm harm
    self-harm significant online contextual hidden disguised compliance section threshold level
    stage step tier plan assessment referral report document form process policy procedure
    procedures protocol guidance framework tool model approach scheme programme program project
    operation prevent channel working keeping signs mappa marac cin cp eha caf dsl send senco csc
    cse cce pcso sen ehcp nhs
    unknown known withheld redacted spelt spelled different changed listed recorded mentioned
    included given blank missing used shown written correct wrong unclear same similar
    barnardo's barnardos samaritans kidscape ceop called named 999 101 111
    """.split()
)

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f]|['’\-](?=[^\W\d_])){0,40}(?!\w)")
_INTRODUCER = re.compile(
    r"(?<![\w'’\-])(?:called|named|nicknamed|(?:sur)?name\s{1,3}(?:is|was)|(?:sur)?name['’]s)\s{1,3}[\"'‘“]?",
    re.IGNORECASE,
)
# "miss" is an ordinary verb and "MS" a condition, so those two need a capitalised name after them.
_TITLE = re.compile(r"(?<![\w'’\-])(?:(Mrs|Mr|Mx|mrs|mr|mx|MRS|MR)|(Ms|MS|ms|Miss|MISS))\.?[ \t]{1,2}")
_WORD_GAP = re.compile(r"[ \t]{1,2}")
_POSSESSIVE = ("'s", "’s")


def _is_name_word(word: str, need_capital: bool) -> bool:
    """Whether a word after an introducer or title looks like part of a name."""
    if word.lower() in _NOT_NAMES:
        return False
    return word[0].isupper() or not need_capital


def _name_after(text: str, pos: int, lower_ok: bool) -> Finding | None:
    """The 1-3 name words starting at pos, if the first one looks like a name."""
    end = None
    for index in range(3):
        m = _WORD.match(text, pos)
        if m is None:
            break
        word = m.group()
        if index == 0 and not _is_name_word(word, need_capital=not lower_ok):
            return None
        # Later words join the name only if capitalised ("Tyler Smith", not "Jade yesterday").
        if index > 0 and (word == "I" or not _is_name_word(word, need_capital=True)):
            break
        if index == 0:
            start = m.start()
        end = m.end()
        # "Mr J. Smith": a full stop may follow an initial without ending the name.
        pos = end + 1 if len(word) == 1 and text.startswith(".", end) else end
        gap = _WORD_GAP.match(text, pos)
        if gap is None:
            break
        pos = gap.end()
    if end is None:
        return None
    if text.endswith(_POSSESSIVE, start, end) and end - start > 2:
        end -= 2
    return Finding("name", start, end)


@lru_cache(maxsize=1)
def _given_names() -> tuple[frozenset[str], frozenset[str]]:
    """Given names from data/given_names.txt: (distinctive names, names that are also ordinary words)."""
    sections = data_sections("given_names.txt")
    return tuple(frozenset(w for line in sections.get(name, ()) for w in line.split())
                 for name in ("names", "also words"))


def _capitalised(word: str) -> bool:
    return word[0].isupper() and (word[1:].islower() or word.isupper())


def _known_given_names(text: str) -> list[Finding]:
    """A capitalised given name and the capitalised surname after it ("Jade Smith, 14, is missing").

    A name that is also an ordinary word ("Will", "Grace") counts only with a surname after it.
    """
    names, also_words = _given_names()
    found = []
    for m in _WORD.finditer(text):
        word = m.group()
        owner = word.endswith(_POSSESSIVE)  # "Mohammed's dad": the name, and no surname after it
        lower = (word[:-2] if owner else word).lower()
        if not _capitalised(word) or (lower not in names and lower not in also_words):
            continue
        after = None if owner else _WORD_GAP.match(text, m.end())
        surname = _WORD.match(text, after.end()) if after else None
        if surname and _capitalised(surname.group()) and surname.group() != "I" \
                and surname.group().lower().removesuffix("'s").removesuffix("’s") not in _NOT_NAMES:
            end = surname.end() - (2 if surname.group().endswith(_POSSESSIVE) else 0)
            found.append(Finding("name", m.start(), end))
        elif lower in names:
            found.append(Finding("name", m.start(), m.end() - (2 if owner else 0)))
    return found


def _find_names(text: str) -> list[Finding]:
    """Names introduced as names ("called Jade", "her name is Amelia"), after a title ("Mrs Khan"), or
    a common given name written with a capital ("Tyler", "Jade Smith")."""
    found = _known_given_names(text)
    for m in _INTRODUCER.finditer(text):
        finding = _name_after(text, m.end(), lower_ok=True)
        if finding:
            found.append(finding)
    for m in _TITLE.finditer(text):
        finding = _name_after(text, m.end(), lower_ok=m.group(1) is not None)
        if finding:
            found.append(finding)
    return found


# ------------------------------------------------------------------------------ assembly

# When two findings overlap, the more specific kind wins (an email can contain digits that
# look like a phone number; a phone starting 0 can pass the NHS checksum).
_PRIORITY = {"email": 0, "phone": 1, "nhs_number": 2, "ni_number": 3, "postcode": 4, "date_of_birth": 5, "name": 6}


def _candidates(text: str) -> list[Finding]:
    """Every possible finding, possibly overlapping."""
    found = [Finding("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    found += [Finding("phone", m.start(), m.end()) for m in _PHONE.finditer(text) if _phone_ok(m)]
    found += [
        Finding("nhs_number", m.start(), m.end())
        for m in _NHS.finditer(text)
        if nhs_checksum_ok(m.group(1) + m.group(3) + m.group(4))
    ]
    found += [Finding("ni_number", m.start(), m.end()) for m in _NI.finditer(text) if _ni_prefix_ok(m.group(1))]
    found += [Finding("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text) if _postcode_ok(m)]
    found += _find_dates(text)
    found += _find_names(text)
    return found


def find_personal_data(text: str) -> tuple[Finding, ...]:
    """All personal data in text, as non-overlapping findings sorted by position."""
    candidates = sorted(_candidates(text), key=lambda f: (_PRIORITY[f.kind], f.start - f.end, f.start))
    # A byte per character marks what is already claimed; every candidate is short, so this is linear.
    taken = bytearray(len(text))
    chosen = []
    for f in candidates:
        if taken.find(1, f.start, f.end) == -1:
            taken[f.start : f.end] = b"\x01" * (f.end - f.start)
            chosen.append(f)
    return tuple(sorted(chosen, key=lambda f: f.start))


def redact(text: str) -> Redaction:
    """Replace each finding with a placeholder such as "[phone]", keeping all other text as typed."""
    findings = find_personal_data(text)
    parts = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(f"[{f.kind}]")
        pos = f.end
    parts.append(text[pos:])
    return Redaction("".join(parts), findings)


_LABELS = {
    "phone": ("a phone number", "phone numbers"),
    "email": ("an email address", "email addresses"),
    "nhs_number": ("an NHS number", "NHS numbers"),
    "ni_number": ("a National Insurance number", "National Insurance numbers"),
    "postcode": ("a postcode", "postcodes"),
    "date_of_birth": ("a date of birth", "dates of birth"),
    "name": ("a name", "names"),
}


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def warning_for(redaction: Redaction) -> str | None:
    """A plain-English message naming what was removed from the question, or None if nothing was."""
    if not redaction.findings:
        return None
    counts = {kind: 0 for kind in redaction.kinds}
    for f in redaction.findings:
        counts[f.kind] += 1
    removed = _join([_LABELS[k][0] if n == 1 else _LABELS[k][1] for k, n in counts.items()])
    return (
        f"We removed {removed} from your question before searching. "
        "Please don't type names or other details that identify a child."
    )


_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(_LABELS) + r")\]")


_LEAD_IN_TO_NAME = re.compile(r"\b(?:called|named|name is|name's|names are)\s+(?=\[name\])", re.IGNORECASE)


def without_placeholders(text: str) -> str:
    """Redacted text with its placeholders dropped, for searching ("[phone]" is not a word to look up).

    The words that introduced a name go too: "a girl called [name]" is not about calling anyone.
    """
    return " ".join(_PLACEHOLDER.sub(" ", _LEAD_IN_TO_NAME.sub("", text)).split())
