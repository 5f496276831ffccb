"""Tests for pipeline.recognise.inline, with verbatim snippets from the sources (file:line).

Every snippet is checked against its source line first, so the tests cannot drift from the data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pipeline.recognise.inline import (
    Emph,
    Gap,
    Marker,
    Stray,
    Supplied,
    Text,
    Token,
    iter_tokens,
    printed,
    tokenize,
)

SOURCES = Path(__file__).resolve().parents[1] / "sources"
STAR_MARKER_SOURCES = {"000", "001"}  # bare "*" are note markers there; no italics


@cache
def _lines(file_id: str) -> list[str]:
    (path,) = SOURCES.glob(f"{file_id}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


def src(file_id: str, line: int, snippet: str) -> str:
    """The snippet, after checking that it is verbatim in the source line (1-based)."""
    assert snippet in _lines(file_id)[line - 1], f"{file_id}:{line} does not contain {snippet!r}"
    return snippet


def paragraphs(file_id: str) -> list[tuple[int, str]]:
    """Maximal runs of non-empty lines, joined with "\\n" (first line number, text)."""
    out: list[tuple[int, str]] = []
    run: list[str] = []
    first = 0
    for number, line in enumerate(_lines(file_id), 1):
        if line == "":
            if run:
                out.append((first, "\n".join(run)))
            run = []
        else:
            first = first if run else number
            run.append(line)
    if run:
        out.append((first, "\n".join(run)))
    return out


def markers(tokens: list[Token]) -> list[Marker]:
    return [t for t in iter_tokens(tokens) if isinstance(t, Marker)]


# --- the lossless property ---------------------------------------------------------------------

ALL_NUMBERS = frozenset(str(i) for i in range(1, 300))


@pytest.mark.parametrize("file_id", ["000", "001", "002", "003", "004"])
def test_every_paragraph_round_trips(file_id: str) -> None:
    paras = paragraphs(file_id)
    assert paras
    for first_line, para in paras:
        for star_markers in (False, True):
            for numbers in (frozenset(), ALL_NUMBERS):
                tokens = tokenize(para, note_numbers=numbers, star_markers=star_markers)
                assert printed(tokens) == para, f"{file_id}:{first_line}"


@pytest.mark.parametrize("text", ["", " ", "\n", "*", "**", "***", "[", "]", "][", "<sup>", "</sup>",
                                  "…", "\\*", "a**b*c", "[a [b] c]", "**[x**]", "<sup>*</sup>x*"])
def test_degenerate_inputs_round_trip(text: str) -> None:
    assert printed(tokenize(text)) == text
    assert printed(tokenize(text, star_markers=True)) == text


def test_marker_inventory_of_a_book_matches_the_catalogue() -> None:
    """PHENOMENA §7.1/§8.2: 57 inline + 7 note-line <sup>N</sup> + 1 <sup>\\*\\*\\*</sup>;
    20 inline + 21 note-line [N]; 300 escaped stars = 2 separators (6) + 188 marker runs, one
    of which is inside <sup>; 20 stray "]" and 1 unclosed "[" ("(...]" is an elision)."""
    found: dict[str, int] = {"sup": 0, "bracket": 0, "star": 0, "digit": 0}
    strays = []
    for _, para in paragraphs("003"):
        tokens = tokenize(para)
        for m in markers(tokens):
            found[m.system] += 1
        strays += [t.printed for t in iter_tokens(tokens) if isinstance(t, Stray)]
    assert found == {"sup": 65, "bracket": 41, "star": 187, "digit": 0}
    assert strays.count("]") == 20 and strays.count("[") == 1 and len(strays) == 21


def test_emphasis_inventory_of_a_book_matches_the_catalogue() -> None:
    """PHENOMENA §9.1: 645 bold spans (all functions), 76 italic spans, 2 <sup> letters."""
    rends: dict[str, int] = {"bold": 0, "italic": 0, "sup": 0}
    for _, para in paragraphs("003"):
        for t in iter_tokens(tokenize(para)):
            if isinstance(t, Emph):
                rends[t.rend] += 1
    assert rends == {"bold": 645, "italic": 76, "sup": 2}


# --- star markers ------------------------------------------------------------------------------


def test_escaped_star_after_word_is_marker() -> None:
    text = src("003", 1375, r"your representative in Moscow \* about the above.")
    assert tokenize(text) == [
        Text("your representative in Moscow "),
        Marker("*", r"\*", "star"),
        Text(" about the above."),
    ]


def test_escaped_star_run_of_five() -> None:
    text = src("003", 2148, r"At the time of sending you my letter no. 9 \*\*\*\*\*, an incident")
    assert markers(tokenize(text)) == [Marker("*****", r"\*\*\*\*\*", "star")]


def test_separator_is_text() -> None:
    text = src("003", 4495, r"\* \* \*")
    assert tokenize(text) == [Text(r"\* \* \*")]
    assert tokenize(text, star_markers=True) == [Text(r"\* \* \*")]


def test_escaped_marker_before_bold_closer_in_heading() -> None:
    text = src("003", 1743, r"concluded with the participation of the RSFSR in Kars \***")
    tokens = tokenize("**The treaty " + text)
    assert tokens == [
        Emph("bold", (
            Text("The treaty concluded with the participation of the RSFSR in Kars "),
            Marker("*", r"\*", "star"),
        ), "**", "**"),
    ]


def test_five_escaped_stars_before_bold_closer() -> None:
    text = src("003", 3130, r"**Recording of the conversation of the plenipotentiary representative "
               r"of the USSR in Turkey A.V. Terentyev with the prime minister of Turkey "
               r"R. Saydam \*\*\*\*\***")
    (emph,) = tokenize(text)
    assert isinstance(emph, Emph) and emph.rend == "bold"
    assert emph.children[-1] == Marker("*****", r"\*\*\*\*\*", "star")


@pytest.mark.parametrize(("line", "snippet", "before"), [
    (41, "In our relations with Armenia* and Georgia", "In our relations with Armenia"),
    (43, "not to push the wavering into the opposing camp*.",
     "not to push the wavering into the opposing camp"),
    (51, "The draft cannot be signed immediately and requires* thorough review",
     "The draft cannot be signed immediately and requires"),
    (96, "In connection with Kemal’s* advance on Armenia", "In connection with Kemal’s"),
])
def test_bare_star_glued_to_word_is_marker(line: int, snippet: str, before: str) -> None:
    tokens = tokenize(src("000", line, snippet), star_markers=True)
    assert tokens[0] == Text(before)
    assert tokens[1] == Marker("*", "*", "star")


def test_bare_double_star_after_original_ellipsis() -> None:
    """A "…**" with the note "**Ellipsis in the original text.": the ellipsis is
    the document's own (text) and "**" is the marker."""
    text = src("000", 57, "Message No. 3 …** For orientation:")
    assert tokenize(text, star_markers=True) == [
        Text("Message No. 3 …"),
        Marker("**", "**", "star"),
        Text(" For orientation:"),
    ]


def test_bare_star_between_spaces() -> None:
    text = src("001", 45, "Mr. Ali Fuad pasha, your representative in Moscow * about the above.")
    assert markers(tokenize(text, star_markers=True)) == [Marker("*", "*", "star")]


def test_web_form_star_is_not_a_marker() -> None:
    text = src("000", 106, "Your email address will not be published. Required fields are marked *")
    assert markers(tokenize(text, star_markers=True)) == []
    assert printed(tokenize(text, star_markers=True)) == text


def test_without_star_markers_bare_stars_are_emphasis() -> None:
    text = src("003", 804, "Dr. *Riza Nur bey*, people's commissar for education")
    assert tokenize(text) == [
        Text("Dr. "),
        Emph("italic", (Text("Riza Nur bey"),), "*", "*"),
        Text(", people's commissar for education"),
    ]


# --- <sup> ---------------------------------------------------------------------------------------


def test_sup_number_is_marker() -> None:
    text = src("003", 4391, "Turkey was an ally of England and France<sup>129</sup>. France fell out.")
    assert tokenize(text) == [
        Text("Turkey was an ally of England and France"),
        Marker("129", "<sup>129</sup>", "sup"),
        Text(". France fell out."),
    ]


def test_sup_escaped_stars_is_marker() -> None:
    text = src("003", 5313, r"2) concerning the Danube problem<sup>\*\*\*</sup>. The Italian government")
    assert markers(tokenize(text)) == [Marker("***", r"<sup>\*\*\*</sup>", "sup")]


def test_sup_letters_are_emphasis() -> None:
    text = src("003", 42, "Concentrated on 1<sup>st</sup> and 2<sup>nd</sup> WW Correspondence")
    assert tokenize(text) == [
        Text("Concentrated on 1"),
        Emph("sup", (Text("st"),), "<sup>", "</sup>"),
        Text(" and 2"),
        Emph("sup", (Text("nd"),), "<sup>", "</sup>"),
        Text(" WW Correspondence"),
    ]


# --- [N] and digit markers --------------------------------------------------------------------------


def test_bracket_number_is_marker_and_three_dots_are_text() -> None:
    text = src("003", 2327, "came to see me in Zergand [1] ... He reported")
    assert tokenize(text) == [
        Text("came to see me in Zergand "),
        Marker("1", "[1]", "bracket"),
        Text(" ... He reported"),
    ]


def test_plain_digit_is_marker_only_for_known_notes() -> None:
    text = src("002", 19, "The Turkish delegation 1 declared that it had an imperative mandate")
    assert tokenize(text) == [Text(text)]
    assert tokenize(text, note_numbers=frozenset({"1"})) == [
        Text("The Turkish delegation"),
        Marker("1", " 1", "digit"),
        Text(" declared that it had an imperative mandate"),
    ]


@pytest.mark.parametrize(("file_id", "line", "snippet"), [
    ("000", 21, "on the Conditions of Armenia’s Consent to Military Transit 1 November 1920"),
    ("002", 21, "The Central Committee agreed to issue 7,000,000 rubles in gold"),
    ("003", 2824, "Turkish government bought 24 Bristol bombers from the British"),
    ("003", 5192, "The location of these 2 new divisions was as follows"),
    ("003", 4178, "The conversation lasted 1 hour and 45 minutes."),
    ("003", 916, "general staff of scales 1 / 210.000 - 5 versts in inch"),
])
def test_numbers_that_are_quantities_or_dates_are_not_markers(file_id: str, line: int,
                                                               snippet: str) -> None:
    tokens = tokenize(src(file_id, line, snippet), note_numbers=ALL_NUMBERS)
    assert markers(tokens) == []


def test_digit_marker_at_sentence_end() -> None:
    text = src("003", 5962, "The text of the memorandum is attached 11.")
    assert markers(tokenize(text, note_numbers=frozenset({"11"}))) == [Marker("11", " 11", "digit")]


# --- supplied text -------------------------------------------------------------------------------


def test_supplied_completion_of_abbreviated_name() -> None:
    text = src("000", 78, "L[egran]: I await your response to the memorandum. Ch[icherin]: Stalin’s cipher")
    assert tokenize(text) == [
        Text("L"), Supplied("egran"),
        Text(": I await your response to the memorandum. Ch"), Supplied("icherin"),
        Text(": Stalin’s cipher"),
    ]


def test_supplied_after_space_and_signature() -> None:
    assert tokenize(src("003", 4354, "opinions at st [alin's] dacha.")) == [
        Text("opinions at st "), Supplied("alin's"), Text(" dacha."),
    ]
    assert tokenize(src("002", 25, "With communist greetings [Chicherin].")) == [
        Text("With communist greetings "), Supplied("Chicherin"), Text("."),
    ]


def test_bracketed_cross_reference_is_supplied() -> None:
    """Decision: the compilers' "[see. Approx. 66]" (= см. прим. 66) is Supplied; the reference
    inside is found by notes.find_doc_refs."""
    text = src("003", 1313, "on the eve of the Sakarya battle [see. Approx. 66], at a time")
    assert Supplied("see. Approx. 66") in tokenize(text)


# --- elisions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_id", "line", "snippet", "gap"), [
    ("000", 3, "Article XIV <…>", "<…>"),
    ("004", 13, "[...] The current session", "[...]"),
    ("003", 2190, "to the conference secretariat.) [.. .]", "[.. .]"),
    ("004", 33, "between us and other countries [...}", "[...}"),
    ("003", 696, "(...)", "(...)"),
    ("002", 31, "Batum withdraws from Georgia [...] Try to expel", "[...]"),
])
def test_elisions_are_gaps(file_id: str, line: int, snippet: str, gap: str) -> None:
    tokens = tokenize(src(file_id, line, snippet))
    assert [t for t in tokens if isinstance(t, Gap)] == [Gap(gap)]


def test_half_round_elision_after_bold_speaker() -> None:
    text = src("003", 6272, "**Stalin:** it would be very good (...]")
    assert tokenize(text) == [
        Emph("bold", (Text("Stalin:"),), "**", "**"),
        Text(" it would be very good "),
        Gap("(...]"),
    ]


def test_bare_ellipsis_at_paragraph_start_is_gap() -> None:
    text = src("000", 35, "…An even more difficult task lies before us in Armenia")
    assert tokenize(text) == [Gap("…"), Text("An even more difficult task lies before us in Armenia")]


def test_bare_ellipsis_before_date_is_gap() -> None:
    text = src("000", 11, "To the Commander of the 11th Army… 29 October 1920.")
    assert Gap("…") in tokenize(text)


def test_three_dots_inside_sentence_are_text() -> None:
    text = src("003", 1313, "a storm of applause ... , sent to us")
    assert tokenize(text) == [Text(text)]


# --- strays ---------------------------------------------------------------------------------------


def test_unbalanced_closing_bracket_is_stray() -> None:
    text = src("003", 3538, "regime was regarded by the [Soviet] government] as a fact")
    assert tokenize(text) == [
        Text("regime was regarded by the "), Supplied("Soviet"), Text(" government"),
        Stray("]", "unbalanced closing bracket"), Text(" as a fact"),
    ]


def test_unclosed_bracket_is_stray() -> None:
    text = src("003", 5196, "from personal observations of k [okaTurk1 and other military")
    assert tokenize(text) == [
        Text("from personal observations of k "), Stray("[", "unclosed bracket"),
        Text("okaTurk1 and other military"),
    ]


def test_garbled_bold_heading_with_stray_and_supplied() -> None:
    text = src("003", 4322, r"**Some] dir [ekti] you to burl [inn] ride \***")
    (emph,) = tokenize(text)
    assert isinstance(emph, Emph)
    assert emph.children == (
        Text("Some"), Stray("]", "unbalanced closing bracket"), Text(" dir "), Supplied("ekti"),
        Text(" you to burl "), Supplied("inn"), Text(" ride "), Marker("*", r"\*", "star"),
    )


def test_unpaired_emphasis_delimiter_is_stray() -> None:
    assert tokenize("a **b") == [Text("a "), Stray("**", "unpaired emphasis delimiter"), Text("b")]


# --- emphasis -------------------------------------------------------------------------------------


def test_italic_inside_paragraph_with_bold_speaker() -> None:
    text = src("003", 6126, "**Stalin:** will the oil (*other necessary items*) be supplied with weapons?")
    assert tokenize(text) == [
        Emph("bold", (Text("Stalin:"),), "**", "**"),
        Text(" will the oil ("),
        Emph("italic", (Text("other necessary items"),), "*", "*"),
        Text(") be supplied with weapons?"),
    ]


def test_inline_bold_emphasis() -> None:
    text = src("003", 5867, "they will not negotiate peace and **will not conclude an armistice** without")
    assert Emph("bold", (Text("will not conclude an armistice"),), "**", "**") in tokenize(text)


def test_bold_heading_over_hard_breaks() -> None:
    lines = [src("003", 2742, "**Telegram of the USSR plenipotentiary representative in Turkey  "),
             src("003", 2743, "Karakhan to the USSR people's commissariat of foreign affairs. 1  "),
             src("003", 2744, "February 1937**")]
    para = "\n".join(lines)
    (emph,) = tokenize(para)
    assert isinstance(emph, Emph) and emph.rend == "bold"
    assert printed([emph]) == para


def test_markdown_escapes_other_than_stars_stay_text() -> None:
    text = src("003", 3576, r"roughly amounts to \$ 45 million")
    assert tokenize(text) == [Text(text)]


def test_bracket_around_markup_is_flagged_not_supplied() -> None:
    """Supplied holds plain text only; a bracket around emphasis is left for review."""
    assert tokenize("[a **b** c]") == [
        Stray("[", "bracket encloses markup"), Text("a "), Emph("bold", (Text("b"),), "**", "**"),
        Text(" c"), Stray("]", "unbalanced closing bracket"),
    ]


def test_markdown_escapes_are_their_characters() -> None:
    from pipeline.recognise.inline import Escaped

    text = r"amounts to \$ 45 million, come to her \_\_\_ help"
    toks = tokenize(text, markdown=True)
    assert printed(toks) == text
    assert [t.char for t in toks if isinstance(t, Escaped)] == ["$", "_", "_", "_"]
    # escaped stars stay note markers, and outside markdown a backslash is text
    assert any(isinstance(t, Marker) for t in tokenize(r"treaty \* in", markdown=True))
    assert not any(isinstance(t, Escaped) for t in tokenize(text))
