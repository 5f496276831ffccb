"""Tests for pipeline.recognise.dates, driven by verbatim snippets from the seed sources.

Every snippet names its origin as ``NNN:L`` (file id, 1-based line).  ``test_snippets_are_verbatim``
checks that each cited snippet really occurs on that line, so the tests cannot drift away from
the corpus they claim to cover.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.recognise.dates import (
    CLASSIFICATION_LEVELS,
    Dateline,
    DateMatch,
    find_classifications,
    find_dates,
    find_outgoing_number,
    find_trailing_dateline,
    looks_like_dateline,
    parse_dateline,
    parse_signing_dateline,
)

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def _span(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0]:span[1]]


def _marks(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    return [(text[a:b], level) for a, b, level in marks]


def _parse(text: str, context_year: int | None = None) -> Dateline:
    parsed = parse_dateline(text, context_year=context_year)
    assert parsed is not None, text
    return parsed


def _date(parsed: Dateline) -> DateMatch:
    assert parsed.date is not None
    return parsed.date


# --------------------------------------------------------------------------------------------
# Snippets are verbatim
# --------------------------------------------------------------------------------------------

CITED: list[tuple[str, int, str]] = [
    ("000", 11, "“Moscow, 23 October 1920, 14:15."),
    ("000", 27, "Nakhichevan Moscow, 2 November 1920"),
    ("000", 55, "Based on Retaining Nakhichevan for Armenia Baku, 5 November 1920, 22:15"),
    ("000", 70, "Turkish Withdrawal to the 1914 Border 7 November 1920"),
    ("000", 88, "in Zangezur Urgent. Secret. Moscow, 8 November 1920"),
    ("000", 17, "RGASPI, f. 64, op. 1, d. 21, pp. 192–193. Copy;"),
    ("001", 13, "August 20, 1921 no. 863‐a"),
    ("001", 25, "from Yusuf Kemal on 28 august 1921:"),
    ("001", 71, "Transmitted by telegraph on august 24, 1921 no. 6781"),
    ("001", 83, "from Yusuf Kemal on august 30, 1921:"),
    ("002", 13, "March 10, 1921"),
    ("003", 432, "Transmitted on the radio on April 21, 1919. No 531"),
    ("003", 451, "April 23, 1919 ."),
    ("003", 457, "**August 28, 1919**"),
    ("003", 467, "June 3, 1920 No. 11/551"),
    ("003", 496, "Executive Committee on June 17, 1920**"),
    ("003", 668, "December 3, 1920 M 935"),
    ("003", 674, "Chicherin. December 1, 20 No. 9979 \"."),
    ("003", 684, "// December 1920"),
    ("003", 692, "December 22-29, 1920**"),
    ("003", 736, "January 18, 1921"),
    ("003", 812, "assembly of January 28, 1336 (1920)"),
    ("003", 1050, "April 6, 1921 no. 11/551"),
    ("003", 1206, "Ali Fuad's note of June 6, 192 has been received! G. No. 511"),
    ("003", 1285, "13 august 1921"),
    ("003", 1341, "August 20, 1921 no. 863-a"),
    ("003", 1401, "Transmitted by telegraph on august 24, 1921 no. 6781"),
    ("003", 1573, "on the seventeenth day of September one thousand nine hundred and twenty-one"),
    ("003", 1889, "Done in five copies at Kars on 13 October 1921 (1337)."),
    ("003", 2074, "November 24, 1922 no. Vb / 1034"),
    ("003", 2144, "December 17, 1922 m 12"),
    ("003", 2186, "December 19, 1922 m 15"),
    ("003", 2220, "Lausanne, January 21, 1923 No. 84"),
    ("003", 2269, "Zalkind. December 14, 1937**"),
    ("003", 2271, "*December 14, 1937*"),
    ("003", 2287, "*June 18, 1937*"),
    ("003", 2349, "[2] probably referring to the conversations on May 13-14, 1937."),
    ("003", 2375, "*October 1937 11 city of*"),
    ("003", 2437, "*July 15-17, 1937*"),
    ("003", 2463, "*No. 165 (6 327), July 16, 1937*"),
    ("003", 2496, "*June 1937*"),
    ("003", 2534, "demonstrations that took place in Bulgaria on 4 may."),
    ("003", 2570, "*Immediately*"),
    ("003", 2572, "*1937 g 25 on May.*"),
    ("003", 2646, "*1937 g on May 14.*"),
    ("003", 2743, "Karakhan to the USSR people's commissariat of foreign affairs. 1  "),
    ("003", 2744, "February 1937**"),
    ("003", 2746, "*February 1937*"),
    ("003", 2822, "Immediately on May 12, 1938"),
    ("003", 2826, "May"),
    ("003", 2838, "Immediately 10 august 1938"),
    ("003", 2902, "Out of line 24 November 1938"),
    ("003", 2922, "January 18, 1939 top secret"),
    ("003", 2932, "January 21, 1939 secret"),
    ("003", 2966, "**March 6, 1939 , Top Secret**"),
    ("003", 3176, "May 19, 1939 out of line. Top secret"),
    ("003", 3211, "August 20-26, 1939 secret"),
    ("003", 3269, "September 6, 1939 immediately. Top secret"),
    ("003", 3296, "October 1939 top secret"),
    ("003", 3719, "December 7, 1939, Top Secret"),
    ("003", 3899, "Sent to comrade Molotov, comrade Dekanozov, gen. Secretariat"),
    ("003", 3907, "// March 1940"),
    ("003", 3998, "June 20, 1940, urgent"),
    ("003", 4028, "/ July 1940 top secret"),
    ("003", 4058, "10 July 1940"),
    ("003", 4178, "The conversation lasted 1 hour and 45 minutes."),
    ("003", 4224, "Soy, secret"),
    ("003", 4254, "our conversation on 30 October 40 \\* (the text of the"),
    ("003", 4252, "Top secret"),
    ("003", 4324, "[November 9, 1940]"),
    ("003", 4407, "Top. Secret special folder"),
    ("003", 4685, "Immediately top secret"),
    ("003", 4794, "Top. Secret special stick"),
    ("003", 4814, "Out of line especially important"),
    ("003", 4856, "November 28, 1940 , secret"),
    ("003", 4894, "Top secret highly important out of turn"),
    ("003", 5174, "**1941**"),
    ("003", 5385, "18 February 1941 secret"),
    ("003", 5998, "Special folder"),
    ("003", 5994, "5 august 1941"),
    ("003", 6038, "[august 10/94 / y.]"),
    ("003", 6086, "September 29, 1941 highly secret"),
    ("003", 6290, "Beaverbrook: I visited him on September 8th."),
    ("003", 6382, "October 15, 1941 Soviet secret"),
    ("003", 6396, "I asked the minister to keep this plan a secret until it is implemented."),
    ("003", 6552, "The meeting ended at 21:00. 00 minutes"),
    ("004", 11, "at a meeting of the All‐Russian Central Executive Committee on June 17, 1920"),
]


def _source_line(file_id: str, line: int) -> str:
    matches = sorted(SOURCES.glob(f"{file_id}_*.txt"))
    if not matches:
        pytest.skip(f"source {file_id} not present")
    return matches[0].read_text(encoding="utf-8").split("\n")[line - 1]


@pytest.mark.parametrize(("file_id", "line", "snippet"), CITED, ids=[f"{f}:{n}" for f, n, _ in CITED])
def test_snippets_are_verbatim(file_id: str, line: int, snippet: str) -> None:
    assert snippet in _source_line(file_id, line)


# --------------------------------------------------------------------------------------------
# find_dates: plain forms
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "printed", "when"), [
    ("January 18, 1921", "January 18, 1921", "1921-01-18"),
    ("March 10, 1921", "March 10, 1921", "1921-03-10"),
    ("from Yusuf Kemal on august 30, 1921:", "august 30, 1921", "1921-08-30"),
    ("13 august 1921", "13 august 1921", "1921-08-13"),
    ("from Yusuf Kemal on 28 august 1921:", "28 august 1921", "1921-08-28"),
    ("10 July 1940", "10 July 1940", "1940-07-10"),
    ("5 august 1941", "5 august 1941", "1941-08-05"),
    ("April 23, 1919 .", "April 23, 1919", "1919-04-23"),
    ("November 28, 1940 , secret", "November 28, 1940", "1940-11-28"),
    ("**August 28, 1919**", "August 28, 1919", "1919-08-28"),
    ("*June 18, 1937*", "June 18, 1937", "1937-06-18"),
    ("*June 1937*", "June 1937", "1937-06"),
    ("*February 1937*", "February 1937", "1937-02"),
    ("October 1939 top secret", "October 1939", "1939-10"),
    ("Done in five copies at Kars on 13 October 1921 (1337).", "13 October 1921", "1921-10-13"),
])
def test_single_date(text: str, printed: str, when: str) -> None:
    (found,) = find_dates(text)
    assert found.text == printed
    assert text[found.start:found.end] == printed
    assert found.when == when
    assert found.cert is None and found.reason is None


def test_time_is_folded_into_when() -> None:
    text = "Based on Retaining Nakhichevan for Armenia Baku, 5 November 1920, 22:15"
    (found,) = find_dates(text)
    assert found.text == "5 November 1920, 22:15"
    assert found.when == "1920-11-05T22:15"


def test_time_inside_quoted_telegram() -> None:
    (found,) = find_dates("“Moscow, 23 October 1920, 14:15.")
    assert found.when == "1920-10-23T14:15"


def test_date_in_running_prose() -> None:
    text = "G.V. Chicherin at a meeting of the All‐Russian Central Executive Committee on June 17, 1920"
    (found,) = find_dates(text)
    assert found.when == "1920-06-17"
    assert text.endswith(found.text)


def test_several_dates_left_to_right() -> None:
    text = "Lebedev, Dated 23 October 1920, Prohibiting the Deployment … 29 October 1920"
    assert [d.when for d in find_dates(text)] == ["1920-10-23", "1920-10-29"]


def test_date_split_by_markdown_hard_break() -> None:
    text = "Karakhan to the USSR people's commissariat of foreign affairs. 1  \nFebruary 1937**"
    (found,) = find_dates(text)
    assert found.when == "1937-02-01"
    assert found.text == "1  \nFebruary 1937"


def test_words_date_in_treaty() -> None:
    text = ("Done in duplicate at Moscow on the seventeenth day of September one thousand nine "
            "hundred and twenty-one (one thousand three hundred thirty-seven).")
    (found,) = find_dates(text)
    assert found.when == "1921-09-17"
    assert found.text.startswith("the seventeenth day") and found.text.endswith("twenty-one")


# --------------------------------------------------------------------------------------------
# find_dates: ranges, partial, garbled, supplied
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "from_", "to"), [
    ("*July 15-17, 1937*", "1937-07-15", "1937-07-17"),
    ("August 20-26, 1939 secret", "1939-08-20", "1939-08-26"),
    ("December 22-29, 1920**", "1920-12-22", "1920-12-29"),
    ("probably referring to the conversations on May 13-14, 1937.", "1937-05-13", "1937-05-14"),
])
def test_ranges(text: str, from_: str, to: str) -> None:
    (found,) = find_dates(text)
    assert (found.when, found.from_, found.to) == (None, from_, to)


@pytest.mark.parametrize(("text", "printed", "when"), [
    ("// December 1920", "// December 1920", "1920-12"),
    ("// March 1940", "// March 1940", "1940-03"),
    ("/ July 1940 top secret", "/ July 1940", "1940-07"),
])
def test_slash_prefixed_day_lost(text: str, printed: str, when: str) -> None:
    (found,) = find_dates(text)
    assert (found.text, found.when, found.cert) == (printed, when, "medium")
    assert found.reason is not None and "day missing" in found.reason


@pytest.mark.parametrize(("text", "printed", "when"), [
    ("*1937 g 25 on May.*", "1937 g 25 on May", "1937-05-25"),
    ("*1937 g on May 14.*", "1937 g on May 14", "1937-05-14"),
    ("*October 1937 11 city of*", "October 1937 11 city of", "1937-10-11"),
])
def test_garbled_russian_order(text: str, printed: str, when: str) -> None:
    (found,) = find_dates(text)
    assert (found.text, found.when, found.cert) == (printed, when, "medium")
    assert found.reason


def test_bracketed_supplied_date() -> None:
    (found,) = find_dates("[November 9, 1940]")
    assert found.when == "1940-11-09"
    assert found.text == "November 9, 1940"
    assert found.supplied and found.cert is None


def test_bracketed_garbled_year_without_context() -> None:
    (found,) = find_dates("[august 10/94 / y.]")
    assert found.when is None
    assert found.text == "august 10/94 / y."
    assert found.supplied and found.cert == "low"
    assert found.reason is not None and "year" in found.reason


def test_bracketed_garbled_year_with_context() -> None:
    (found,) = find_dates("[august 10/94 / y.]", context_year=1941)
    assert (found.when, found.cert) == ("1941-08-10", "low")
    assert found.reason is not None and "1941" in found.reason


def test_truncated_year_needs_context() -> None:
    text = 'Chicherin. December 1, 20 No. 9979 ".'
    assert find_dates(text) == []
    (found,) = find_dates(text, context_year=1920)
    assert (found.text, found.when, found.cert) == ("December 1, 20", "1920-12-01", "low")
    assert find_dates(text, context_year=1937) == []  # context does not support 1920


def test_three_digit_year_with_context() -> None:
    text = "Ali Fuad's note of June 6, 192 has been received! G. No. 511"
    assert find_dates(text) == []
    (found,) = find_dates(text, context_year=1921)
    assert (found.when, found.cert) == ("1921-06-06", "low")


def test_day_month_two_digit_year_with_context() -> None:
    text = "our conversation on 30 October 40 \\* (the text of the"
    assert find_dates(text) == []
    (found,) = find_dates(text, context_year=1940)
    assert (found.text, found.when) == ("30 October 40", "1940-10-30")


# --------------------------------------------------------------------------------------------
# find_dates: things that are not dates
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "No. 555",
    "The conversation lasted 1 hour and 45 minutes.",
    "RGASPI, f. 64, op. 1, d. 21, pp. 192–193. Copy;",
    "(637)",
    "Turkish Withdrawal to the 1914 Border",
    "**1941**",
    "May",
    "The meeting ended at 21:00. 00 minutes",
    "assembly of January 28, 1336",  # hijri-solar year
    "Beaverbrook: I visited him on September 8th.",  # no year
    "they may 1939",
])
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_year_only_is_opt_in() -> None:
    text = "Turkish Withdrawal to the 1914 Border 7 November 1920"
    assert [d.when for d in find_dates(text)] == ["1920-11-07"]
    assert [d.when for d in find_dates(text, allow_year_only=True)] == ["1914", "1920-11-07"]
    (year_range,) = find_dates("for 1919-1920", allow_year_only=True)
    assert (year_range.from_, year_range.to) == ("1919", "1920")


def test_no_year_is_opt() -> None:
    text = "Beaverbrook: I visited him on September 8th."
    (found,) = find_dates(text, allow_no_year=True)
    assert (found.text, found.when, found.cert) == ("September 8th", None, "low")
    (found,) = find_dates(text, allow_no_year=True, context_year=1941)
    assert (found.when, found.cert) == ("1941-09-08", "low")


def test_no_year_day_first_lower_case_may() -> None:
    text = "demonstrations that took place in Bulgaria on 4 may."
    assert find_dates(text) == []
    (found,) = find_dates(text, allow_no_year=True, context_year=1937)
    assert (found.text, found.when) == ("4 may", "1937-05-04")
    assert find_dates("they may 4 times", allow_no_year=True) == []  # verb, not month


@pytest.mark.parametrize("text", ["February 30, 1921", "31 June 1937", "April 0, 1940"])
def test_impossible_dates_have_no_value(text: str) -> None:
    (found,) = find_dates(text)
    assert found.when is None and found.cert == "low"
    assert found.reason is not None and "impossible" in found.reason


def test_impossible_range() -> None:
    (found,) = find_dates("February 27-30, 1921")
    assert found.from_ is None and found.to is None and found.reason


def test_leap_day() -> None:
    assert find_dates("February 29, 1940")[0].when == "1940-02-29"
    assert find_dates("February 29, 1939")[0].when is None


def test_newspaper_issue_numbers_are_not_dates() -> None:
    (found,) = find_dates("*No. 165 (6 327), July 16, 1937*")
    assert found.when == "1937-07-16"


# --------------------------------------------------------------------------------------------
# parse_dateline
# --------------------------------------------------------------------------------------------

def test_dateline_with_number_and_u2010_hyphen() -> None:
    text = "August 20, 1921 no. 863‐a"
    parsed = _parse(text)
    assert _date(parsed).when == "1921-08-20"
    assert _span(text, parsed.outgoing_number) == "no. 863‐a"
    assert parsed.place is None and parsed.prefix is None and parsed.classifications == []


@pytest.mark.parametrize(("text", "number"), [
    ("June 3, 1920 No. 11/551", "No. 11/551"),
    ("April 6, 1921 no. 11/551", "no. 11/551"),
    ("December 3, 1920 M 935", "M 935"),
    ("December 17, 1922 m 12", "m 12"),
    ("December 19, 1922 m 15", "m 15"),
    ("November 24, 1922 no. Vb / 1034", "no. Vb / 1034"),
    ("August 20, 1921 no. 863-a", "no. 863-a"),
])
def test_dateline_outgoing_numbers(text: str, number: str) -> None:
    assert _span(text, _parse(text).outgoing_number) == number


@pytest.mark.parametrize(("text", "prefix", "when", "number"), [
    ("Transmitted on the radio on April 21, 1919. No 531",
     "Transmitted on the radio on", "1919-04-21", "No 531"),
    ("Transmitted by telegraph on august 24, 1921 no. 6781",
     "Transmitted by telegraph on", "1921-08-24", "no. 6781"),
])
def test_dateline_prefix(text: str, prefix: str, when: str, number: str) -> None:
    parsed = _parse(text)
    assert _span(text, parsed.prefix) == prefix
    assert _date(parsed).when == when
    assert _span(text, parsed.outgoing_number) == number


def test_dateline_place() -> None:
    text = "Lausanne, January 21, 1923 No. 84"
    parsed = _parse(text)
    assert _span(text, parsed.place) == "Lausanne"
    assert _date(parsed).when == "1923-01-21"
    assert _span(text, parsed.outgoing_number) == "No. 84"
    assert parsed.span == (0, len(text))


@pytest.mark.parametrize(("text", "prefix", "place", "when"), [
    ("Done in duplicate in Moscow on March 16, 1921 (one thousand three hundred thirty-seventh).",
     "Done in duplicate in", "Moscow", "1921-03-16"),
    ("Done in duplicate at Moscow on the seventeenth day of September one thousand nine hundred and "
     "twenty-one (one thousand three hundred thirty-seven).", "Done in duplicate at", "Moscow", "1921-09-17"),
    ("Done in five copies at Kars on 13 October 1921 (1337).", "Done in five copies at", "Kars", "1921-10-13"),
    ("Signed at Brest-Litovsk, 3 March 1918.", "Signed at", "Brest-Litovsk", "1918-03-03"),
    ("Done at Geneva, this twentieth day of July 1936.", "Done at", "Geneva", "1936-07"),
])
def test_signing_dateline(text: str, prefix: str, place: str, when: str | None) -> None:
    parsed = parse_signing_dateline(text)
    assert parsed is not None
    assert (_span(text, parsed.prefix), _span(text, parsed.place)) == (prefix, place)
    assert (parsed.date.when if parsed.date else None) == when


@pytest.mark.parametrize("text", [
    "Done at March on 5 May 1921.",
    "Signed in Moscow on 5 May 1921. The parties shall exchange the instruments of ratification in Kars.",
    "The treaty was done in Moscow on 5 May 1921.",
    "Done in duplicate.",
    "Moscow, 5 May 1921.",
])
def test_not_a_signing_dateline(text: str) -> None:
    assert parse_signing_dateline(text) is None


@pytest.mark.parametrize(("text", "place", "when"), [
    ("Belgrade, le 24 juillet 1914.", "Belgrade", "1914-07-24"),
    ("Paris, le 1er août 1914", "Paris", "1914-08-01"),
    ("Berlin, den 4. August 1914.", "Berlin", "1914-08-04"),
    ("Wien, am 28. Juli 1914", "Wien", "1914-07-28"),
    ("Roma, 5 maggio 1915", "Roma", "1915-05-05"),
    ("Madrid, 5 de mayo de 1915", "Madrid", "1915-05-05"),
])
def test_datelines_in_french_german_italian_spanish(text: str, place: str, when: str) -> None:
    parsed = _parse(text)
    assert _span(text, parsed.place) == place
    assert _date(parsed).when == when


@pytest.mark.parametrize(("text", "place", "when"), [
    ("Wednesday, July 3, 1817.", None, "1817-07-03"),
    ("Vienna, Wednesday, July 3, 1817.", "Vienna", "1817-07-03"),
    ("Moscow, Tuesday 5 March 1921, 3 p.m.", "Moscow", "1921-03-05"),
    ("Morning, July 6, 1800.", None, "1800-07-06"),
])
def test_dateline_weekday_is_not_its_place(text: str, place: str | None, when: str) -> None:
    parsed = _parse(text)
    assert (None if parsed.place is None else _span(text, parsed.place)) == place
    assert _date(parsed).when == when
    assert parsed.span[0] == 0


@pytest.mark.parametrize(("text", "marks", "when"), [
    ("Immediately on May 12, 1938", [("Immediately", "immediate")], "1938-05-12"),
    ("Immediately 10 august 1938", [("Immediately", "immediate")], "1938-08-10"),
    ("Out of line 24 November 1938", [("Out of line", "out-of-turn")], "1938-11-24"),
    ("January 18, 1939 top secret", [("top secret", "top-secret")], "1939-01-18"),
    ("January 21, 1939 secret", [("secret", "secret")], "1939-01-21"),
    ("**March 6, 1939 , Top Secret**", [("Top Secret", "top-secret")], "1939-03-06"),
    ("May 19, 1939 out of line. Top secret",
     [("out of line", "out-of-turn"), ("Top secret", "top-secret")], "1939-05-19"),
    ("September 6, 1939 immediately. Top secret",
     [("immediately", "immediate"), ("Top secret", "top-secret")], "1939-09-06"),
    ("December 7, 1939, Top Secret", [("Top Secret", "top-secret")], "1939-12-07"),
    ("June 20, 1940, urgent", [("urgent", "urgent")], "1940-06-20"),
    ("18 February 1941 secret", [("secret", "secret")], "1941-02-18"),
    ("September 29, 1941 highly secret", [("highly secret", "top-secret")], "1941-09-29"),
    ("October 15, 1941 Soviet secret", [("Soviet secret", "top-secret")], "1941-10-15"),
    ("October 1939 top secret", [("top secret", "top-secret")], "1939-10"),
    ("/ July 1940 top secret", [("top secret", "top-secret")], "1940-07"),
])
def test_dateline_with_marks(text: str, marks: list[tuple[str, str]], when: str) -> None:
    parsed = _parse(text)
    assert _date(parsed).when == when
    assert _marks(text, parsed.classifications) == marks
    assert looks_like_dateline(text)


def test_dateline_range() -> None:
    text = "August 20-26, 1939 secret"
    parsed = _parse(text)
    assert (_date(parsed).from_, _date(parsed).to) == ("1939-08-20", "1939-08-26")
    assert _marks(text, parsed.classifications) == [("secret", "secret")]


@pytest.mark.parametrize(("text", "when", "cert"), [
    ("*December 14, 1937*", "1937-12-14", None),
    ("// December 1920", "1920-12", "medium"),
    ("*1937 g 25 on May.*", "1937-05-25", "medium"),
    ("*1937 g on May 14.*", "1937-05-14", "medium"),
    ("*October 1937 11 city of*", "1937-10-11", "medium"),
    ("[November 9, 1940]", "1940-11-09", None),
    ("*June 1937*", "1937-06", None),
    ("April 23, 1919 .", "1919-04-23", None),
])
def test_dateline_whole_paragraph_forms(text: str, when: str, cert: str | None) -> None:
    date = _date(_parse(text))
    assert (date.when, date.cert) == (when, cert)
    assert looks_like_dateline(text)


def test_dateline_bracketed_garble_uses_context_year() -> None:
    text = "[august 10/94 / y.]"
    assert _date(_parse(text)).when is None
    date = _date(_parse(text, context_year=1941))
    assert (date.when, date.cert) == ("1941-08-10", "low")
    assert looks_like_dateline(text)


@pytest.mark.parametrize(("text", "marks"), [
    ("Top secret", [("Top secret", "top-secret")]),
    ("*Immediately*", [("Immediately", "immediate")]),
    ("Soy, secret", [("Soy, secret", "top-secret")]),
    ("Top. Secret special folder", [("Top. Secret", "top-secret"),
                                    ("special folder", "special-folder")]),
    ("Top. Secret special stick", [("Top. Secret", "top-secret"),
                                   ("special stick", "special-folder")]),
    ("Immediately top secret", [("Immediately", "immediate"), ("top secret", "top-secret")]),
    ("Out of line especially important", [("Out of line", "out-of-turn"),
                                          ("especially important", "highly-important")]),
    ("Top secret highly important out of turn", [("Top secret", "top-secret"),
                                                 ("highly important", "highly-important"),
                                                 ("out of turn", "out-of-turn")]),
    ("Special folder", [("Special folder", "special-folder")]),
])
def test_mark_only_lines(text: str, marks: list[tuple[str, str]]) -> None:
    parsed = _parse(text)
    assert parsed.date is None
    assert _marks(text, parsed.classifications) == marks
    assert not looks_like_dateline(text)  # marks belong to the dateline block but are not a date


@pytest.mark.parametrize("text", [
    "Sent to comrade Molotov, comrade Dekanozov, gen. Secretariat",
    "May",
    "*No. 165 (6 327), July 16, 1937*",
    "Done in five copies at Kars on 13 October 1921 (1337).",
    "Beaverbrook: I visited him on September 8th.",
    "I asked the minister to keep this plan a secret until it is implemented.",
    "from Yusuf Kemal on 28 august 1921:",
    "No. 555",
    "",
    "   ",
])
def test_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None
    assert not looks_like_dateline(text)


def test_overlong_paragraph_is_not_a_dateline() -> None:
    assert parse_dateline("January 18, 1921 " + "secret " * 40) is None


# --------------------------------------------------------------------------------------------
# Heading tails (web pages) and headings with dates (a book)
# --------------------------------------------------------------------------------------------

def test_heading_tail_with_marks_and_place() -> None:
    text = "On the Participation of a Turkish Regiment in Combat Operations Against Armenia in Zangezur Urgent. Secret. Moscow, 8 November 1920"  # noqa: E501
    tail = find_trailing_dateline(text)
    assert tail is not None and tail.span is not None
    assert text[tail.span[0]:] == "Urgent. Secret. Moscow, 8 November 1920"
    assert _marks(text, tail.classifications) == [("Urgent", "urgent"), ("Secret", "secret")]
    assert _span(text, tail.place) == "Moscow"
    assert _date(tail).when == "1920-11-08"


def test_heading_tail_place_is_last_word_only() -> None:
    text = "regarding the movement of a Turkish Rifle Regiment through Zangezur and Nakhichevan Moscow, 2 November 1920"  # noqa: E501
    tail = find_trailing_dateline(text)
    assert tail is not None
    assert _span(text, tail.place) == "Moscow"
    assert _date(tail).when == "1920-11-02"


def test_heading_tail_with_time() -> None:
    text = "Based on Retaining Nakhichevan for Armenia Baku, 5 November 1920, 22:15"
    tail = find_trailing_dateline(text)
    assert tail is not None
    assert _span(text, tail.place) == "Baku"
    assert _span(text, tail.time) == "22:15"
    assert _date(tail).when == "1920-11-05T22:15"


def test_heading_tail_no_place() -> None:
    text = "Turkish Withdrawal to the 1914 Border 7 November 1920"
    tail = find_trailing_dateline(text)
    assert tail is not None
    assert tail.place is None and tail.classifications == []
    assert _date(tail).text == "7 November 1920"


def test_heading_tail_bold() -> None:
    text = "**Letter from the plenipotentiary representative of the USSR in Turkey Ga Zalkind. December 14, 1937**"  # noqa: E501
    tail = find_trailing_dateline(text)
    assert tail is not None and _date(tail).when == "1937-12-14"


def test_heading_tail_requires_date_at_end() -> None:
    text = "Lebedev, Dated 23 October 1920, Prohibiting the Deployment of Muslim Units"
    assert find_trailing_dateline(text) is None


# --------------------------------------------------------------------------------------------
# find_classifications / find_outgoing_number directly
# --------------------------------------------------------------------------------------------

def test_classification_levels_are_from_vocabulary() -> None:
    text = ("Top secret highly important out of turn Soy, secret special stick Immediately "
            "urgent secret Out of line especially important")
    levels = {level for _a, _b, level in find_classifications(text)}
    assert levels <= set(CLASSIFICATION_LEVELS)
    assert levels == set(CLASSIFICATION_LEVELS)


def test_classification_spans_exclude_full_stops() -> None:
    text = "May 19, 1939 out of line. Top secret"
    assert _marks(text, find_classifications(text)) == [("out of line", "out-of-turn"),
                                                        ("Top secret", "top-secret")]


def test_secret_is_a_whole_word() -> None:
    assert find_classifications("the secretary general secretly") == []


def test_outgoing_number_window() -> None:
    text = "August 20, 1921 no. 863‐a"
    assert _span(text, find_outgoing_number(text, 15)) == "no. 863‐a"
    assert find_outgoing_number("No. 6411/op.: “Moscow") == (0, 12)  # keeps "/op."
    assert find_outgoing_number("Legran should travel to Moscow. No. 159.") is not None
    assert _span("No. 159.", find_outgoing_number("No. 159.")) == "No. 159"
