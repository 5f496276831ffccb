"""Recognise printed dates, datelines, handling marks and outgoing numbers.

The sources are machine translations of Russian originals that went through OCR, so the same
date is printed in many shapes: ``August 20, 1921``, ``13 august 1921``, ``*July 15-17, 1937*``,
``// December 1920`` (day lost), ``*1937 g 25 on May.*`` (Russian word order "1937 г. 25 мая"
kept by the translator), ``[november 9, 1940]`` (supplied by the editor).  This module turns
such text into ISO 8601 values for TEI ``@when``/``@from``/``@to`` and says, for every guess,
how sure it is (``cert``) and why (``reason``) so the editor's review report can list it.

Everything here is pure: functions take a string and return spans into *that* string.  The
caller need not strip markdown first: ``*``, ``**``, ``\\*`` and ``#`` around or inside the text
are tolerated and never included in a span.  Internally each text is mapped to a same-length
"shadow" string (dash variants → ``-``, NBSP → space, markdown characters → space) so every
regex offset is also an offset into the original text.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

__all__ = [
    "DateMatch",
    "Dateline",
    "find_dates",
    "find_classifications",
    "find_outgoing_number",
    "find_trailing_dateline",
    "looks_like_dateline",
    "parse_dateline",
    "parse_signing_dateline",
    "CLASSIFICATION_LEVELS",
]


@dataclass(frozen=True)
class DateMatch:
    """One printed date: its span in the input and its normalised ISO value(s).

    ``start``/``end`` cover the printed date itself — without surrounding markdown or square
    brackets, but including an attached time (``5 November 1920, 22:15``) and the garbled
    Russian "г." rendering (``1937 g 25 on May``, ``October 1937 11 city of``) because those
    words *are* the printed date.  ``cert`` is ``None`` when the value is exactly what is
    printed, ``"medium"`` when a garble was repaired from the text alone and ``"low"`` when a
    value came from outside the text (``context_year``) or the printed date is impossible.
    ``supplied`` is true when the date sits in editorial square brackets.  A month-only date
    is expressed as ``when="YYYY-MM"`` (ISO reduced precision), so ``not_before``/``not_after``
    are not set by this module; they are kept for callers that narrow a date from context.
    """

    start: int
    end: int
    text: str
    when: str | None = None
    from_: str | None = None
    to: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    cert: str | None = None
    reason: str | None = None
    supplied: bool = False


@dataclass(frozen=True)
class Dateline:
    """The parts of a dateline paragraph (or of the dateline tail of a heading).

    All spans index the string that was parsed.  ``time`` is a sub-span of ``date`` (the time
    is folded into ``date.when``).  ``classifications`` holds ``(start, end, level)`` with
    ``level`` from :data:`CLASSIFICATION_LEVELS`.  ``span`` is the extent of all recognised
    dateline material (for a heading tail: where the tail begins and ends).
    """

    date: DateMatch | None
    place: tuple[int, int] | None
    time: tuple[int, int] | None
    classifications: list[tuple[int, int, str]]
    outgoing_number: tuple[int, int] | None
    prefix: tuple[int, int] | None
    span: tuple[int, int] | None = None


#: Normalised handling-mark levels returned by :func:`find_classifications`.
CLASSIFICATION_LEVELS: tuple[str, ...] = (
    "top-secret",
    "secret",
    "special-folder",
    "immediate",
    "out-of-turn",
    "urgent",
    "highly-important",
)

# ---------------------------------------------------------------------------------------------
# Shadow text: same length as the input, so offsets carry over unchanged.
# ---------------------------------------------------------------------------------------------

_SHADOW_TABLE = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\xa0": " ", "\u2009": " ", "\u202f": " ",
    "\u02b9": "'", "\u2019": "'", "\u2018": "'",
    "*": " ", "\\": " ", "#": " ", "_": " ",
})


def _shadow(text: str) -> str:
    """Return ``text`` with typographic variants and markdown folded, keeping every offset.

    Why: the sources mix U+2010 hyphens, en dashes, NBSPs and markdown
    emphasis; one translation table lets a single set of ASCII regexes serve all files.
    """
    return text.translate(_SHADOW_TABLE)


# ---------------------------------------------------------------------------------------------
# Building blocks of the date regexes (all applied case-insensitively to the shadow text).
# ---------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4, "jun.": 6, "jul.": 7, "aug.": 8,
    "sep.": 9, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12,
}
# The months in the other languages diplomatic collections print their dates in (French,
# German, Italian, Spanish): "le 24 juillet 1914", "den 4. August 1914", "5 maggio 1915".
_FOREIGN_MONTHS: dict[str, int] = {
    **dict.fromkeys(("janvier", "januar", "jänner", "gennaio", "enero"), 1),
    **dict.fromkeys(("février", "fevrier", "februar", "febbraio", "febrero"), 2),
    **dict.fromkeys(("mars", "märz", "maerz", "marzo"), 3),
    **dict.fromkeys(("avril", "aprile", "abril"), 4),
    **dict.fromkeys(("mai", "maggio", "mayo"), 5),
    **dict.fromkeys(("juin", "juni", "giugno", "junio"), 6),
    **dict.fromkeys(("juillet", "juli", "luglio", "julio"), 7),
    **dict.fromkeys(("août", "aout", "agosto"), 8),
    **dict.fromkeys(("septembre", "settembre", "septiembre", "setiembre"), 9),
    **dict.fromkeys(("octobre", "oktober", "ottobre", "octubre"), 10),
    **dict.fromkeys(("novembre", "noviembre"), 11),
    **dict.fromkeys(("décembre", "decembre", "dezember", "dicembre", "diciembre"), 12),
}
_MONTHS.update(_FOREIGN_MONTHS)
_VERB_MONTHS: frozenset[str] = frozenset({"may", "march"})
_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november"
        r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.|"
        + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True)) + r")(?![\w])")
_WS = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"       # some blanks, at most one line break (hard break)
_WS0 = r"[ \t]*\n?[ \t]*"                   # optional blanks, at most one line break
_SEP = rf"(?:{_WS0},{_WS0}|{_WS})"          # between day and year: ", " or " , " or " "
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|\.(?=[ \t]))?"  # "4th", "1er", "4." (German)
_YEAR = r"(?P<y>1[6-9]\d\d|20[0-4]\d)(?!\d)"
_TIME = rf"(?:{_WS0},?{_WS0}(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?![\d:]))?"
_NOT_WORD_BEFORE = r"(?<![\w])"
_DAY_START = r"(?<![\w./:\-])"             # a day must not continue a number like 11/551 or 1.5
_G = rf"(?:g\.?|city{_WS}of)"               # "г." (year) as the translator rendered it

_ORDINAL_WORDS: dict[str, int] = {
    w: i + 1 for i, w in enumerate([
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
        "seventeenth", "eighteenth", "nineteenth", "twentieth",
    ])
}
_ORDINAL_WORDS.update({f"twenty-{w}": 20 + n for w, n in list(_ORDINAL_WORDS.items())[:9]})
_ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31})
_UNITS: dict[str, int] = {w: i + 1 for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])}
_TEENS: dict[str, int] = {w: i + 10 for i, w in enumerate(
    ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
     "eighteen", "nineteen"])}
_TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40}
_ORD_ALT = "|".join(sorted((re.escape(w).replace("\\-", "[- ]") for w in _ORDINAL_WORDS),
                           key=len, reverse=True))
_YEAR_WORDS = (rf"one{_WS}thousand{_WS}nine{_WS}hundred(?:{_WS}and)?{_WS}"
               rf"(?P<yw>(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?"
               rf"|{'|'.join(_TEENS)}|{'|'.join(_UNITS)})(?![a-z])")

_FLAGS = re.IGNORECASE

_RE_MDY_RANGE = re.compile(
    rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}){_WS}(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?{_WS0}-{_WS0}"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?{_SEP}{_YEAR}", _FLAGS)
_RE_DMY_RANGE = re.compile(
    rf"{_DAY_START}(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?{_WS0}-{_WS0}(?P<d2>[0-3]?\d)"
    rf"(?:st|nd|rd|th)?{_WS}(?:of{_WS})?(?P<m>{_MON}){_SEP}{_YEAR}", _FLAGS)
# Also the misprints "May, 24 1862" and "May 27.1862".
_RE_MDY = re.compile(rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}),?{_WS}{_DAY}(?:{_SEP}|\.){_YEAR}{_TIME}", _FLAGS)
_RE_DMY = re.compile(
    rf"{_DAY_START}{_DAY}{_WS}(?:(?:of|de){_WS})?(?P<m>{_MON}){_SEP}(?:de{_WS})?{_YEAR}{_TIME}", _FLAGS)
_RE_MONTH_YEAR = re.compile(rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}){_SEP}{_YEAR}", _FLAGS)
_RE_SLASH_MONTH_YEAR = re.compile(
    rf"(?<![\w/])(?P<slash>/+){_WS0}(?P<m>{_MON}){_SEP}{_YEAR}", _FLAGS)
# "1937 g 25 on May" = "1937 г. 25 мая"; "1937 g on May 14"
_RE_RU_YDM = re.compile(
    rf"{_NOT_WORD_BEFORE}{_YEAR}{_WS}{_G}{_WS}(?P<d>[0-3]?\d){_WS}(?:on{_WS})?(?P<m>{_MON})",
    _FLAGS)
_RE_RU_YMD = re.compile(
    rf"{_NOT_WORD_BEFORE}{_YEAR}{_WS}{_G}{_WS}(?:on{_WS})?(?P<m>{_MON}){_WS}(?P<d>[0-3]?\d)(?!\d)",
    _FLAGS)
# "October 1937 11 city of" = "11 октября 1937 г." with the day moved behind the year
_RE_RU_MYD = re.compile(
    rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}){_WS}{_YEAR}{_WS}(?P<d>[0-3]?\d){_WS}{_G}(?![a-z])", _FLAGS)
# "[august 10/94 / y.]": month and day readable, year garbled, inside editorial brackets
_RE_BRACKET_MD = re.compile(
    rf"(?<=\[){_WS0}(?P<m>{_MON}){_WS}{_DAY}(?P<rest>[^\]\n]{{0,20}}?)(?={_WS0}\])",
    _FLAGS)
# "MAY [15?] 1862": the editor's conjectured day in brackets.
_RE_CONJECTURED_DAY = re.compile(
    rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}){_WS}\[(?P<d>[0-3]?\d)\?\]{_SEP}{_YEAR}", _FLAGS)
# "December 1, 20 No. 9979", "June 6, 192 has": truncated year
_RE_MD_SHORT_YEAR = re.compile(
    rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}){_WS}{_DAY}{_WS0},{_WS0}(?P<yy>\d{{2,3}})(?![\d:])", _FLAGS)
_RE_DM_SHORT_YEAR = re.compile(
    rf"{_DAY_START}{_DAY}{_WS}(?:of{_WS})?(?P<m>{_MON}){_SEP}(?P<yy>\d{{2,3}})(?![\d:])", _FLAGS)
_RE_MD_NO_YEAR = re.compile(
    rf"{_NOT_WORD_BEFORE}(?P<m>{_MON}){_WS}{_DAY}(?![\d:]|{_WS0},?{_WS0}\d)", _FLAGS)
_RE_DM_NO_YEAR = re.compile(
    rf"{_DAY_START}{_DAY}{_WS}(?:of{_WS})?(?P<m>{_MON})(?!{_SEP}\d)", _FLAGS)
_RE_WORDS = re.compile(
    rf"{_NOT_WORD_BEFORE}(?:the{_WS})?(?P<dw>{_ORD_ALT}){_WS}day{_WS}of{_WS}(?P<m>{_MON})"
    rf"(?:{_WS0},)?{_WS}{_YEAR_WORDS}", _FLAGS)
_RE_FULL_YEAR_IN_REST = re.compile(rf"{_SEP}(?:1[6-9]\d\d|20[0-4]\d)(?!\d)")
_RE_ONLY_PUNCT = re.compile(r"[\s.,]*")
_RE_WORD_SPLIT = re.compile(r"[- ]+")
_RE_TIME_AT_END = re.compile(r"\d{1,2}:\d{2}$")
_RE_YEAR_RANGE = re.compile(r"(?<![\w./:\-])(?P<y1>1[89]\d\d)-(?P<y2>1[89]\d\d)(?![\w/\-])")
_RE_YEAR_ONLY = re.compile(r"(?<![\w./:\-(])(?P<y>1[89]\d\d)(?![\w/\-)])")

# ---------------------------------------------------------------------------------------------
# Small value helpers
# ---------------------------------------------------------------------------------------------


def _month_number(name: str) -> int:
    """Map a printed month name (any case, full or dotted abbreviation) to 1–12."""
    return _MONTHS["".join(name.lower().split())]


def _iso_day(year: int, month: int, day: int) -> str | None:
    """Return ``YYYY-MM-DD`` or ``None`` when the day does not exist (Feb 30, June 31, day 0)."""
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _impossible(text: str, start: int, end: int, year: int, month: int, day: int) -> DateMatch:
    """A printed date that cannot exist: keep it visible to the editor, but give no value."""
    return DateMatch(start, end, text[start:end], cert="low",
                     reason=f"impossible date: {calendar.month_name[month]} {year} has no day {day}")


def _with_time(iso: str, m: re.Match[str]) -> str:
    """Append ``Thh:mm`` when the match captured an attached time."""
    if m.groupdict().get("hh") is None:
        return iso
    return f"{iso}T{int(m['hh']):02d}:{m['mm']}"


def _year_from_context(printed: str, context_year: int | None) -> int | None:
    """Expand a truncated year (``20`` or ``192``) when — and only when — context agrees.

    Why: ``December 1, 20`` is 1920 only because the surrounding document is from 1920; a
    truncated year without such support is left unparsed rather than guessed.
    """
    if context_year is None:
        return None
    if len(printed) == 3:
        return context_year if str(context_year).startswith(printed) else None
    candidate = context_year // 100 * 100 + int(printed)
    return candidate if abs(candidate - context_year) <= 2 else None


# ---------------------------------------------------------------------------------------------
# One builder per pattern: regex match → DateMatch (or None to reject the candidate)
# ---------------------------------------------------------------------------------------------

_Builder = Callable[[str, re.Match[str], int | None], DateMatch | None]


def _build_day(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """Full day date (``Month D, YYYY`` / ``D Month YYYY``), optionally with a time."""
    year, month, day = int(m["y"]), _month_number(m["m"]), int(m["d"])
    iso = _iso_day(year, month, day)
    if iso is None:
        return _impossible(text, m.start(), m.end(), year, month, day)
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], when=_with_time(iso, m))


def _build_range(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """Day range within one month (``July 15-17, 1937``) → ``from_``/``to``."""
    year, month = int(m["y"]), _month_number(m["m"])
    d1, d2 = int(m["d1"]), int(m["d2"])
    first, last = _iso_day(year, month, d1), _iso_day(year, month, d2)
    span = text[m.start():m.end()]
    if first is None or last is None:
        bad = d1 if first is None else d2
        return _impossible(text, m.start(), m.end(), year, month, bad)
    if d2 < d1:
        return DateMatch(m.start(), m.end(), span, cert="low",
                         reason=f"range ends before it starts ({d1}-{d2})")
    return DateMatch(m.start(), m.end(), span, from_=first, to=last)


def _is_verb_month(printed: str) -> bool:
    """True for lower-case ``may``/``march``: without a day they are the verb, not the month."""
    return printed.lower() in _VERB_MONTHS and printed[0].islower()


def _build_month_year(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """Month and year only (``June 1937``): ISO ``YYYY-MM``, certain as printed."""
    if _is_verb_month(m["m"]):
        return None
    return DateMatch(m.start(), m.end(), text[m.start():m.end()],
                     when=f"{int(m['y']):04d}-{_month_number(m['m']):02d}")


def _build_slash_month_year(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """``// December 1920``: the day was printed but lost (OCR); keep the month, flag it."""
    return DateMatch(m.start(), m.end(), text[m.start():m.end()],
                     when=f"{int(m['y']):04d}-{_month_number(m['m']):02d}", cert="medium",
                     reason=f"day missing: printed as {m['slash']!r} before the month")


def _build_russian_order(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """Russian ``YYYY г. D месяца`` order left by the translator (``1937 g 25 on May``)."""
    year, month, day = int(m["y"]), _month_number(m["m"]), int(m["d"])
    iso = _iso_day(year, month, day)
    if iso is None:
        return _impossible(text, m.start(), m.end(), year, month, day)
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], when=iso, cert="medium",
                     reason="garbled Russian word order (year, 'g.'/'city of' = г., day, month) "
                            "reordered")


def _build_conjectured_day(text: str, m: re.Match[str], ctx: int | None) -> DateMatch | None:
    """``MAY [15?] 1862``: the day is the editor's conjecture."""
    iso = _iso_day(int(m["y"]), _month_number(m["m"]), int(m["d"]))
    if iso is None:
        return None
    return DateMatch(m.start(), m.end(), m.group(0), when=iso, cert="medium",
                     reason="the day is the editor's conjecture, printed in brackets with a question mark")


def _build_bracket_md(text: str, m: re.Match[str], ctx: int | None) -> DateMatch | None:
    """``[august 10/94 / y.]``: editor-supplied month and day, year unreadable.

    The year is taken from ``context_year`` (cert low) if given, otherwise ``when`` stays None.
    A well-formed ``[November 9, 1940]`` is rejected here so the plain pattern takes it.
    """
    rest = m["rest"]
    if _RE_FULL_YEAR_IN_REST.search(rest) or _RE_ONLY_PUNCT.fullmatch(rest):
        return None
    start, end = m.start("m"), m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    span = text[start:end]
    month, day = _month_number(m["m"]), int(m["d"])
    if ctx is None:
        return DateMatch(start, end, span, cert="low",
                         reason=f"year illegible ({rest.strip()!r}); needs context year")
    iso = _iso_day(ctx, month, day)
    if iso is None:
        return _impossible(text, start, end, ctx, month, day)
    return DateMatch(start, end, span, when=iso, cert="low",
                     reason=f"year illegible ({rest.strip()!r}); {ctx} taken from context")


def _build_short_year(text: str, m: re.Match[str], ctx: int | None) -> DateMatch | None:
    """``December 1, 20`` / ``30 October 40``: truncated year, accepted only if context agrees."""
    year = _year_from_context(m["yy"], ctx)
    if year is None:
        return None
    month, day = _month_number(m["m"]), int(m["d"])
    iso = _iso_day(year, month, day)
    if iso is None:
        return _impossible(text, m.start(), m.end(), year, month, day)
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], when=iso, cert="low",
                     reason=f"year printed as {m['yy']!r}; {year} taken from context")


def _build_no_year(text: str, m: re.Match[str], ctx: int | None) -> DateMatch | None:
    """``on May 12`` (no year; only with ``allow_no_year``): year from context, else no value."""
    if m.start("m") == m.start() and _is_verb_month(m["m"]):  # "4 may" is fine, "may 4" is not
        return None
    month, day = _month_number(m["m"]), int(m["d"])
    span = text[m.start():m.end()]
    if ctx is None:
        if _iso_day(2000, month, day) is None:  # leap year: accept Feb 29 as possible
            return None
        return DateMatch(m.start(), m.end(), span, cert="low", reason="no year printed")
    iso = _iso_day(ctx, month, day)
    if iso is None:
        return None
    return DateMatch(m.start(), m.end(), span, when=iso, cert="low",
                     reason=f"no year printed; {ctx} taken from context")


def _build_words(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """Treaty style ``the seventeenth day of September one thousand nine hundred and twenty-one``."""
    day = _ORDINAL_WORDS["-".join(m["dw"].lower().split())]
    parts = _RE_WORD_SPLIT.split(m["yw"].lower())
    year = 1900 + sum(_TENS.get(p, 0) + _UNITS.get(p, 0) + _TEENS.get(p, 0) for p in parts)
    month = _month_number(m["m"])
    iso = _iso_day(year, month, day)
    if iso is None:
        return _impossible(text, m.start(), m.end(), year, month, day)
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], when=iso)


def _build_year_range(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """``1919-1920`` (only with ``allow_year_only``)."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 <= y1:
        return None
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], from_=str(y1), to=str(y2))


def _build_year(text: str, m: re.Match[str], _ctx: int | None) -> DateMatch | None:
    """A bare year (only with ``allow_year_only``)."""
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], when=m["y"])


# (pattern, builder) — order only breaks ties between candidates with the same span.
_FULL_PATTERNS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_RE_WORDS, _build_words),
    (_RE_MDY_RANGE, _build_range),
    (_RE_DMY_RANGE, _build_range),
    (_RE_RU_MYD, _build_russian_order),
    (_RE_RU_YDM, _build_russian_order),
    (_RE_RU_YMD, _build_russian_order),
    (_RE_MDY, _build_day),
    (_RE_DMY, _build_day),
    (_RE_CONJECTURED_DAY, _build_conjectured_day),
    (_RE_SLASH_MONTH_YEAR, _build_slash_month_year),
    (_RE_MONTH_YEAR, _build_month_year),
    (_RE_BRACKET_MD, _build_bracket_md),
    (_RE_MD_SHORT_YEAR, _build_short_year),
    (_RE_DM_SHORT_YEAR, _build_short_year),
)
_NO_YEAR_PATTERNS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_RE_MD_NO_YEAR, _build_no_year),
    (_RE_DM_NO_YEAR, _build_no_year),
)
_YEAR_PATTERNS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_RE_YEAR_RANGE, _build_year_range),
    (_RE_YEAR_ONLY, _build_year),
)


def _is_bracketed(shadow: str, start: int, end: int) -> bool:
    """True when the span is enclosed by ``[`` … ``]`` (blanks and markdown allowed between)."""
    while start > 0 and shadow[start - 1].isspace():
        start -= 1
    while end < len(shadow) and shadow[end].isspace():
        end += 1
    return start > 0 and shadow[start - 1] == "[" and end < len(shadow) and shadow[end] == "]"


def find_dates(text: str, *, context_year: int | None = None, allow_year_only: bool = False,
               allow_no_year: bool = False) -> list[DateMatch]:
    """Every printed date in ``text``, left to right, non-overlapping.

    Candidates from all patterns are collected and the leftmost-longest wins, so
    ``5 November 1920`` beats ``November 1920`` and ``July 15-17, 1937`` beats nothing shorter.
    ``context_year`` lets truncated years (``December 1, 20``) and garbled bracketed dates be
    resolved with ``cert="low"``.  Bare years (``the 1914 border``) are reported only with
    ``allow_year_only``; day+month without year (``on May 12``) only with ``allow_no_year``,
    because both are too frequent in prose to be useful by default.
    """
    shadow = _shadow(text)
    patterns = list(_FULL_PATTERNS)
    if allow_no_year:
        patterns.extend(_NO_YEAR_PATTERNS)
    if allow_year_only:
        patterns.extend(_YEAR_PATTERNS)
    candidates: list[tuple[int, int, int, DateMatch]] = []
    for rank, (pattern, build) in enumerate(patterns):
        for m in pattern.finditer(shadow):
            found = build(text, m, context_year)
            if found is not None and found.end > found.start:
                candidates.append((found.start, -(found.end - found.start), rank, found))
    candidates.sort(key=lambda c: c[:3])
    chosen: list[DateMatch] = []
    last_end = -1
    for start, _neg_len, _rank, found in candidates:
        if start < last_end:
            continue
        if _is_bracketed(shadow, found.start, found.end):
            found = replace(found, supplied=True)
        chosen.append(found)
        last_end = found.end
    return chosen


# ---------------------------------------------------------------------------------------------
# Classifications / handling marks
# ---------------------------------------------------------------------------------------------

_RE_CLASSIFICATION = re.compile(
    r"""(?<![a-z])(?:
      (?P<top_secret>
          top\s*\.?\s*secret                      # top secret, Top. Secret
        | sov(?:iet)?\s*[.,]?\s*secret            # Soviet secret, Sov. secret  (Сов. секретно)
        | soy\s*[.,]?\s*secret                    # Soy, secret  (OCR of "Сов.")
        | (?:highly|strictly|completely|absolutely)\s+secret   # совершенно секретно
      )
    | (?P<special_folder>special\s+(?:folder|stick|file))      # особая папка
    | (?P<out_of_turn>out\s+of\s+(?:line|turn))                 # вне очереди
    | (?P<highly_important>(?:highly|especially|particularly|extremely)\s+important)
    | (?P<urgent>(?:extremely\s+|very\s+)?urgent(?:ly)?)
    | (?P<immediate>immediate(?:ly)?)
    | (?P<secret>secret)
    )(?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)


def find_classifications(text: str) -> list[tuple[int, int, str]]:
    """Spans of security classifications / handling marks with a normalised level.

    Meant for datelines, mark lines and heading tails: in running prose "secret" or
    "urgently" are ordinary words.  Levels (see :data:`CLASSIFICATION_LEVELS`) and the
    mapping of mistranslations: "Soviet secret"/"Soy, secret" and "highly secret" are
    renderings of "совершенно секретно" → ``top-secret`` (the "highly" case is a judgement:
    there is no Russian grade between secret and top secret that it could translate);
    "special stick" is "особая папка" → ``special-folder``; "out of line" is "вне очереди"
    → ``out-of-turn``; "extremely urgent" → ``urgent``; "especially important" →
    ``highly-important``.  Spans cover the printed words exactly (no trailing full stop).
    """
    shadow = _shadow(text)
    found: list[tuple[int, int, str]] = []
    for m in _RE_CLASSIFICATION.finditer(shadow):
        group = m.lastgroup
        if group is None:
            continue
        found.append((m.start(), m.end(), group.replace("_", "-")))
    return found


# ---------------------------------------------------------------------------------------------
# Outgoing (reference) numbers
# ---------------------------------------------------------------------------------------------

_RE_OUTGOING = re.compile(
    r"""(?<![\w])
    (?:no\s*\.?|nr\s*\.?|n[eo](?=\s+\d)|№\s*|m(?=\s+\d))   # No. / no / № / 'M' 'm' 'Ne' (№ OCR)
    \s*
    (?:[a-z]{1,3}\s*/\s*)?                                  # letter series: Vb / 1034
    \d+(?:\s*/\s*\d+)*                                      # 11/551
    (?:-[a-z](?![a-z]))?                                    # 863-a (also U+2010 via shadow)
    (?:/[a-z]{1,3}\.?(?![a-z]))?                            # 6411/op.
    """,
    re.IGNORECASE | re.VERBOSE,
)


def find_outgoing_number(text: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Span of the first outgoing/reference number (``no. 863‐a``, ``M 935``) in ``text[start:end]``.

    ``M``/``m`` and ``Ne`` are the usual OCR readings of ``№``; they are accepted only before
    a number.  Callers should restrict the window (e.g. to the text after a dateline's date)
    because ``No. 555`` on its own is a document number, not an outgoing number.
    """
    shadow = _shadow(text)
    m = _RE_OUTGOING.search(shadow, start, len(text) if end is None else end)
    if m is None:
        return None
    stop = m.end()
    if shadow[stop - 1] == ".":          # "/op." keeps its dot; a sentence full stop does not
        stop = stop if "/" in shadow[m.start():stop] else stop - 1
    return (m.start(), stop)


# ---------------------------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------------------------

# Places that head a dateline in these sources or plausibly could (1919-1942 Soviet diplomacy).
_KNOWN_PLACES: frozenset[str] = frozenset({
    "moscow", "baku", "tiflis", "tbilisi", "erivan", "yerevan", "angora", "ankara", "kars",
    "batum", "batumi", "lausanne", "geneva", "london", "paris", "berlin", "rome", "tehran",
    "teheran", "kabul", "istanbul", "constantinople", "sofia", "bucharest", "warsaw", "riga",
    "tallinn", "reval", "helsinki", "helsingfors", "kuibyshev", "kuybyshev", "genoa", "montreux",
    "trebizond", "trabzon", "petrograd", "leningrad", "kharkov", "kiev", "tokyo", "washington",
    "belgrade", "athens", "budapest", "prague", "vienna", "stockholm", "erzurum", "nakhichevan",
    "herat", "mashhad", "tabriz",
})
_RE_PREFIX = re.compile(
    r"(?P<p>(?:transmitted|sent|dispatched|despatched|received|dated|telegraphed)\b[^\d]{0,40}?"
    # where a text was published, closed by a full stop: "For the Independent Journal."
    r"|(?:for|from)\s+the\s+[^\d,.]{2,40}\.(?:\s*(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)?)"
    r"[\s,]*$",
    re.IGNORECASE,
)
_RE_PLACE_BEFORE = re.compile(r"(?<![\w])(?P<pl>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s*,\s*$")
# A wider place for a dateline paragraph: capitals ("WAR DEPARTMENT", "ST CLOUD"), "St.",
# up to five words ("Headquarters of the Army"); separated from the date by a comma,
# a semicolon or a full stop ("WASHINGTON. May 28").
_PLACE_SEG = r"(?:[A-Z][A-Za-z'’]*\.?)(?:[ -](?:[A-Z][A-Za-z'’]*\.?|of|de|the|on|upon|am|an)){0,5}"
_RE_PLACE_WIDE = re.compile(
    rf"(?<![\w])(?:(?P<pl>{_PLACE_SEG}(?:,\s*{_PLACE_SEG}){{0,3}})\s*[,;.]"
    r"|(?P<caps>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,4}))\s*$")
# What may stand before a dateline's place on its line: a label in brackets ("(Telegraphic.)")
# or a salutation the dateline shares its line with ("Sir,   Foreign Office, …").
_RE_LEAD_LABEL = re.compile(r"^\s*(?:\((?P<label>[A-Z][a-z]+\.?)\)|(?P<salute>Sir|Madam|Gentlemen|My Lord|"
                            r"My dear \w+|Dear \w+),)\s+")
# A clock time after the date: "7.15 P.M.", "(10 P.M.)", "4 PM.", "12.40", "noon".
_RE_CLOCK_AFTER = re.compile(r"^[\s.,;—–-]*(?P<t>\(?(?:\d{1,2}(?:[.:]\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\b\.?|o'clock)"
                             r"|\d{1,2}[.:]\d{2}|noon|midnight)\)?)")
# A day of the week, a time of day or an article just before the date ("Wednesday, July 3",
# "Moscow, Tuesday 5 March", "Morning, July 6", "Paris, le 3 août"): part of the date, never
# its place.
_RE_WEEKDAY_BEFORE = re.compile(r"(?<![\w])(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|morning|evening|night|"
                                r"afternoon|noon|midnight|le|den|am|il|el)\.?,?\s*$", re.IGNORECASE)
# A place's name does not begin with a preposition ("From the Embassy", "For the Journal").
_NOT_A_PLACE_START: frozenset[str] = frozenset({"for", "from", "to", "by", "per", "via", "with"})
_FILLER_WORDS: frozenset[str] = frozenset({"on", "of", "the", "city", "g", "dated", "and",
                                           "le", "den", "am", "il", "el", "ce"})  # "Paris, le 3 août 1914"
_RE_RESIDUAL_WORD = re.compile(r"[^\W_]+")
_MAX_DATELINE_CHARS = 160


def _mask_out(chars: list[str], start: int, end: int) -> None:
    """Blank ``chars[start:end]`` so the residual check ignores recognised material."""
    chars[start:end] = [" "] * (end - start)


def _residual_is_noise(residual: str) -> bool:
    """True when what is left after removing dateline parts is punctuation or filler words.

    Why: a dateline is *only* date + marks + number (+ place/prefix); any other word means
    the paragraph is prose or a heading that merely contains a date.
    """
    return all(w.lower() in _FILLER_WORDS for w in _RE_RESIDUAL_WORD.findall(residual))


def _place_before(shadow: str, upto: int, *, known_only: bool) -> tuple[int, int] | None:
    """Span of ``Place,`` immediately before ``upto`` (``Lausanne, January 21, 1923``)."""
    m = _RE_PLACE_BEFORE.search(shadow, 0, upto)
    if m is None:
        return None
    start, end = m.start("pl"), m.end("pl")
    if known_only:  # "… Nakhichevan Moscow, 2 November": only the last word is the place
        start = max(start, shadow.rfind(" ", start, end) + 1)
    words = shadow[start:end].lower().split()
    if any(w in _MONTHS or _RE_CLASSIFICATION.fullmatch(w) for w in words):
        return None
    if known_only and not all(w in _KNOWN_PLACES for w in words):
        return None
    return (start, end)


def _time_span(date: DateMatch, shadow: str) -> tuple[int, int] | None:
    """Sub-span of ``hh:mm`` inside a date whose ``when`` carries a time."""
    if date.when is None or "T" not in date.when:
        return None
    m = _RE_TIME_AT_END.search(shadow, date.start, date.end)
    return None if m is None else (m.start(), m.end())


def parse_dateline(text: str, context_year: int | None = None) -> Dateline | None:
    """Split a dateline paragraph into date, place, time, marks, outgoing number and prefix.

    Returns ``None`` when the paragraph is not a dateline: too long, more than one date, or
    any word left over that is not part of a recognised element (``on``, ``of``, ``city of``
    and punctuation/markdown are tolerated).  A paragraph of handling marks only (``Top
    secret``, ``*Immediately*``) is returned with ``date=None`` because in the sources it is
    part of the dateline block.  ``context_year`` is used only for garbled or truncated years
    and always yields ``cert="low"``.
    """
    if not text.strip() or len(text) > _MAX_DATELINE_CHARS:
        return None
    shadow = _shadow(text)
    dates = find_dates(text, context_year=context_year)
    if len(dates) > 1:
        return None
    date = dates[0] if dates else None
    chars = list(shadow)
    clock: re.Match[str] | None = None
    clock_span = (0, 0)
    prefix: tuple[int, int] | None = None
    place: tuple[int, int] | None = None
    number: tuple[int, int] | None = None
    weekday_span: tuple[int, int] | None = None
    classes = [c for c in find_classifications(text)
               if date is None or c[1] <= date.start or c[0] >= date.end]
    for c_start, c_end, _level in classes:
        _mask_out(chars, c_start, c_end)
    if date is not None:
        _mask_out(chars, date.start, date.end)
        before = "".join(chars[:date.start])
        prefix_match = _RE_PREFIX.search(before)
        if prefix_match is not None:
            prefix = (prefix_match.start("p"), prefix_match.end("p"))
            while prefix[1] > prefix[0] and text[prefix[1] - 1] in " .,:;":
                prefix = (prefix[0], prefix[1] - 1)
            _mask_out(chars, *prefix)
        weekday = _RE_WEEKDAY_BEFORE.search("".join(chars), 0, date.start)
        if weekday is not None:
            weekday_span = (weekday.start(), date.start)
            _mask_out(chars, *weekday_span)
        place = _place_before("".join(chars), date.start, known_only=False)
        wide = _wide_place_before("".join(chars), date.start)
        if wide is not None and (place is None or wide[0] < place[0]):
            place = wide
        if place is not None:
            _mask_out(chars, *place)
            lead = _RE_LEAD_LABEL.match("".join(chars), 0, place[0])
            if lead is not None and not "".join(chars)[lead.end():place[0]].strip():
                prefix = prefix or (lead.start(), lead.end())
                _mask_out(chars, lead.start(), lead.end())
        elif (lead := _RE_LEAD_LABEL.match("".join(chars), 0, date.start)) is not None and \
                not "".join(chars)[lead.end():date.start].strip():
            prefix = prefix or (lead.start(), lead.end())
            _mask_out(chars, lead.start(), lead.end())
        clock = _RE_CLOCK_AFTER.match("".join(chars)[date.end:])
        if clock is not None:
            clock_span = (date.end + clock.start("t"), date.end + clock.end("t"))
            _mask_out(chars, *clock_span)
        number = find_outgoing_number("".join(chars), date.end)
        if number is not None:
            _mask_out(chars, *number)
    if date is None and not classes:
        return None
    if not _residual_is_noise("".join(chars)):
        return None
    spans = [s for s in (prefix, place, number, weekday_span) if s is not None]
    spans += [(c[0], c[1]) for c in classes]
    if date is not None:
        spans.append((date.start, date.end))
    extent = (min(s[0] for s in spans), max(s[1] for s in spans))
    time = None if date is None else _time_span(date, shadow)
    if date is not None and time is None and clock is not None:
        time = clock_span
        extent = (extent[0], max(extent[1], clock_span[1]))
    return Dateline(date=date, place=place, time=time,
                    classifications=classes, outgoing_number=number, prefix=prefix, span=extent)


def _wide_place_before(shadow: str, upto: int) -> tuple[int, int] | None:
    """A dateline's place in capitals or of several words, right before the date."""
    m = _RE_PLACE_WIDE.search(shadow, 0, upto)
    if m is None:
        return None
    group = "pl" if m.group("pl") else "caps"
    start, end = m.start(group), m.end(group)
    words = shadow[start:end].lower().replace(".", " ").split()
    if words and words[0] in _NOT_A_PLACE_START:  # "From the Embassy, Moscow": the place is the last part
        comma = shadow.rfind(",", start, end)
        if comma < 0:
            return None
        start = comma + 1 + len(shadow[comma + 1:end]) - len(shadow[comma + 1:end].lstrip())
        words = shadow[start:end].lower().replace(".", " ").split()
    if not words or any(w in _MONTHS or _RE_CLASSIFICATION.fullmatch(w) for w in words):
        return None
    return (start, end)


def looks_like_dateline(text: str) -> bool:
    """True for a short paragraph that is essentially a date (+ marks, number, place, prefix).

    Mark-only lines (``Top secret``) are *not* datelines by this test although
    :func:`parse_dateline` accepts them; callers use this to find where the dateline is.
    """
    parsed = parse_dateline(text)
    return parsed is not None and parsed.date is not None


_RE_TAIL_NOISE = re.compile(r"[\s.,;:)\]\"'*]*$")
_RE_MARK_GAP = re.compile(r"[\s.,;]*$")


def find_trailing_dateline(text: str, context_year: int | None = None) -> Dateline | None:
    """The dateline at the end of a heading (``… Urgent. Secret. Moscow, 8 November 1920``).

    Only a date that ends the text (modulo punctuation, markdown and footnote stars) counts.
    Going left from it: a place from a small gazetteer followed by a comma (a generic
    capitalised word would catch topic words such as "Turkey,"), then handling marks separated
    by blanks or full stops.  ``span`` tells the caller where the title proper ends.
    """
    dates = find_dates(text, context_year=context_year)
    if not dates:
        return None
    date = dates[-1]
    shadow = _shadow(text)
    if not _RE_TAIL_NOISE.fullmatch(shadow, date.end):
        return None
    begin = date.start
    place = _place_before(shadow, date.start, known_only=True)
    if place is not None:
        begin = place[0]
    marks: list[tuple[int, int, str]] = []
    for mark in reversed(find_classifications(text[:begin])):
        if _RE_MARK_GAP.fullmatch(shadow, mark[1], begin) is None:
            break
        marks.insert(0, mark)
        begin = mark[0]
    return Dateline(date=date, place=place, time=_time_span(date, shadow), classifications=marks,
                    outgoing_number=None, prefix=None, span=(begin, date.end))



# The clause that closes a treaty or an agreement, saying where and when it was signed:
# "Done in duplicate at Moscow on …", "Signed in Kars, the 13th of October …". The place is
# the first capitalised word (or two) after the last "at"/"in" before "on"/"this"/"the"/a digit.
_RE_SIGNED_AT = re.compile(
    r"^[\s*_]*(?P<prefix>(?:Done|Drawn\s+up|Made|Signed|Executed|Concluded)\b[\w\s,]{0,40}?\b(?:at|in))\s+"
    r"(?P<place>[A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+)?)\s*,?\s+(?=(?:on|this|the)\b|\d)")
_MAX_SIGNING_CHARS = 300


def parse_signing_dateline(text: str, context_year: int | None = None) -> Dateline | None:
    """The dateline that closes a treaty or an agreement: "Done in five copies at Kars on
    13 October 1921 (1337)." → place, date (when it can be read; a date in words too) and
    the opening words as ``prefix``. ``None`` for anything else: a longer paragraph, one that
    goes on after its date with a sentence of its own, or a place that is a month."""
    if len(text) > _MAX_SIGNING_CHARS:
        return None
    m = _RE_SIGNED_AT.match(text)
    if m is None or m.group("place").lower() in _MONTHS:
        return None
    dates = [d for d in find_dates(text, context_year=context_year) if d.start >= m.end() and (d.when or d.from_)]
    date = dates[0] if dates else None
    end = date.end if date is not None else m.end("place")
    if re.search(r"[.;!?]\s+[A-Z]", text[end:]):  # a further sentence: running text, not a dateline
        return None
    return Dateline(date=date, place=(m.start("place"), m.end("place")), time=None, classifications=[],
                    outgoing_number=None, prefix=(m.start("prefix"), m.end("prefix")), span=(m.start("prefix"), end))
