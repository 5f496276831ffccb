"""Tests for pipeline.recognise.citations on verbatim citation lines of the bundled sources (the
cases, with the file and line each comes from, are in tests/fixtures/citations/bundled.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.archives import load_archives
from pipeline.recognise import citations as cit
from pipeline.recognise.citations import Citation, Part, find_publications

ROOT = Path(__file__).resolve().parent.parent
# The archives of the bundled edition's registers: the citations are read against them.
ARCHIVES = load_archives(ROOT / "tei" / "registers.xml")


CASES = yaml.safe_load((ROOT / "tests" / "fixtures" / "citations" / "bundled.yaml").read_text(encoding="utf-8"))


def _cases(test: str, names: tuple[str, ...]) -> list[object]:
    """The cases of one test from the fixture, as pytest parameters with their provenance as id."""
    return [pytest.param(*(case[n] for n in names), id=case["where"]) for case in CASES[test]]


def find_citations(text: str) -> list[Citation]:
    return cit.find_citations(text, ARCHIVES)


def is_source_line(text: str) -> bool:
    return cit.is_source_line(text, ARCHIVES)


def one(text: str) -> Citation:
    cits = find_citations(text)
    assert len(cits) == 1, cits
    return cits[0]


def values(c: Citation) -> dict[str, str]:
    return {p.kind: p.value for p in c.parts}


def labels(c: Citation) -> dict[str, str]:
    return {p.kind: p.label for p in c.parts}


def part(c: Citation, kind: str) -> Part:
    p = c.part(kind)
    assert p is not None, (kind, c)
    return p


# --------------------------------------------------------------------------------------------
# Archive names (PHENOMENA §5.1)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "printed", "key", "cert"),
    _cases("test_archive_names", ('where', 'text', 'printed', 'key', 'cert')),
)
def test_archive_names(where: str, text: str, printed: str, key: str, cert: str | None) -> None:
    c = one(text)
    assert c.archive_printed == printed, where
    assert c.archive == key, where
    assert c.archive_cert == cert, where
    assert text[c.start:c.start + len(printed)] == printed, where
    assert c.part("fond") and c.part("delo"), where


def test_garbled_archive_has_reason() -> None:
    c = one("Hdl rf, f. 082, on. 23, p. 95, d. 5, l. 43-45.")
    assert c.archive_reason == "a garbled form of AVP RF"
    assert c.archive_id == "arch-avprf"


def test_rtskhidni_is_former_name_of_rgaspi() -> None:
    c = one("RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text.")
    assert c.archive_reason is not None and "RGASPI" in c.archive_reason


# --------------------------------------------------------------------------------------------
# Glued signatures: span starts at the archive name (PHENOMENA §5.2)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "prefix"),
    _cases("test_span_starts_at_archive_name", ('where', 'text', 'prefix')),
)
def test_span_starts_at_archive_name(where: str, text: str, prefix: str) -> None:
    c = one(text)
    assert c.start == len(prefix), where
    assert text[: c.start] == prefix, where


def test_span_ends_at_last_folio() -> None:
    text = "O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145."
    c = one(text)
    assert text[c.start:c.end] == "avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145"


def test_missing_fond_label() -> None:
    c = one("Plenipotentiary of wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.")
    fond = part(c, "fond")
    assert (fond.label, fond.value) == ("", "059")
    assert values(c) == {"fond": "059", "opis": "1", "papka": "294", "delo": "2036", "folios": "18-20"}


def test_missing_final_period_and_bare_labels() -> None:
    c = one("Surits\\ avp rf, f 059. On 1, p. 302, d 2090. L 45-46")
    assert labels(c) == {"fond": "f", "opis": "On", "papka": "p.", "delo": "d", "folios": "L"}
    assert values(c) == {"fond": "059", "opis": "1", "papka": "302", "delo": "2090", "folios": "45-46"}
    assert (c.folios_from, c.folios_to) == ("45", "46")


# --------------------------------------------------------------------------------------------
# Component labels decided by position (PHENOMENA §5.3)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "expected_labels"),
    _cases("test_labels_by_position", ('where', 'text', 'expected_labels')),
)
def test_labels_by_position(where: str, text: str, expected_labels: dict[str, str]) -> None:
    assert labels(one(text)) == expected_labels, where


def test_p_after_delo_is_folio_in() -> None:
    c = one("Pechersky. RGVA, f. 195, op. 11, d. 24, p. 43. (Emphasis added – Y.B.)")
    assert "papka" not in values(c)
    f = part(c, "folios")
    assert (f.label, f.value) == ("p.", "43")
    assert (c.folios_from, c.folios_to) == ("43", "43")


def test_p_before_delo_is_papka_in() -> None:
    c = one("AVPR, f. 04, op. 39, p. 232, d. 54987, pp. 42–44. Copy.")
    assert values(c) == {"fond": "04", "opis": "39", "papka": "232", "delo": "54987", "folios": "42–44"}


def test_compact_style() -> None:
    c = one("Wua rf, f.059, op.1, p.314, d.2163, l.170-174.")
    assert values(c) == {"fond": "059", "opis": "1", "papka": "314", "delo": "2163", "folios": "170-174"}


def test_period_style() -> None:
    c = one("Wua rf. F. 048. On. 48. P. 431. D. 10. L. 5-12.")
    assert values(c) == {"fond": "048", "opis": "48", "papka": "431", "delo": "10", "folios": "5-12"}


def test_opis_with_letter() -> None:
    c = one("S. Vinogradov, avp rf, f. 0132, on. 24a, p. 236, d. 7, l. 32-30")
    assert part(c, "opis").value == "24a"


# --------------------------------------------------------------------------------------------
# Damaged values and their readings
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "printed", "reading", "cert"),
    _cases("test_damaged_fond", ('where', 'text', 'printed', 'reading', 'cert')),
)
def test_damaged_fond(where: str, text: str, printed: str, reading: str, cert: str) -> None:
    fond = part(one(text), "fond")
    assert (fond.value, fond.reading, fond.cert) == (printed, reading, cert), where
    assert fond.reason, where


def test_clean_fond_has_no_reading() -> None:
    fond = part(one("Avp rf, f. 011. On. 4, p 31, d 166, l 247-249"), "fond")
    assert (fond.value, fond.reading, fond.cert) == ("011", None, None)


def test_fond_given_by_name() -> None:
    c = one("Avp rf, f. For - Great Britain, d. 107.")
    fond = part(c, "fond")
    assert (fond.value, fond.reading) == ("For - Great Britain", None)
    assert values(c) == {"fond": "For - Great Britain", "delo": "107"}
    assert (c.folios_from, c.folios_to) == (None, None)


def test_opis_capital_i() -> None:
    opis = part(one("Terentyev avp rf, f. 059, on. I, p. 293, d. 2028, l. 368-371."), "opis")
    assert (opis.value, opis.reading, opis.cert) == ("I", "1", "medium")


def test_papka_capital_i() -> None:
    papka = part(one("Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46."), "papka")
    assert (papka.label, papka.value, papka.reading) == ("P.", "I", "1")


def test_papka_z_is_3() -> None:
    papka = part(one("Recorded subcerob of the rf wua, f.ob, op. 2, p.z, d.19, l.50-57."), "papka")
    assert (papka.label, papka.value, papka.reading, papka.cert) == ("p.", "z", "3", "medium")


def test_papka_po_unreadable() -> None:
    papka = part(one("Avp rf, f. 074, on. 26, p. Po, d. 6, l. 26-27."), "papka")
    assert (papka.value, papka.reading) == ("Po", None)
    assert papka.reason


def test_delo_db() -> None:
    text = ("Plenipotentiary representative of the USSR in Germany Dekanozov avprf, f. 082, on. 24, p. 105, "
            "db, l. 75-76.")
    c = one(text)
    delo = part(c, "delo")
    assert text[delo.start:delo.end] == "db"
    assert (delo.label, delo.value, delo.reading, delo.cert) == ("d", "b", "6", "low")
    assert (c.folios_from, c.folios_to) == ("75", "76")


def test_folio_is_15() -> None:
    c = one("Recorded subcerob wua rf, f. 06, on. 2, p. 20, d. 229, l. Is — 21.")
    f = part(c, "folios")
    assert (f.value, f.reading, f.cert) == ("Is — 21", "15-21", "low")
    assert (c.folios_from, c.folios_to) == ("15", "21")


# --------------------------------------------------------------------------------------------
# Folio forms
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "value", "ff", "ft"),
    _cases("test_folio_forms", ('where', 'text', 'value', 'ff', 'ft')),
)
def test_folio_forms(where: str, text: str, value: str, ff: str, ft: str) -> None:
    c = one(text)
    assert part(c, "folios").value == value, where
    assert (c.folios_from, c.folios_to) == (ff, ft), where


def test_verso() -> None:
    text = ("RGASPI, f. 64, op. 1, d. 21, pp. 192–193. Copy; AVPR, f. 04, op. 51, p. 321a, d. 54870, "
            "pp. 10–10 verso. Draft. (Emphasis added – Y.B.)")
    first, second = find_citations(text)
    assert part(second, "folios").value == "10–10 verso"
    assert (second.folios_from, second.folios_to) == ("10", "10v")
    assert part(second, "papka").value == "321a"
    assert [s[2] for s in first.states] == ["copy"]
    assert [s[2] for s in second.states] == ["draft"]


def test_reversed_range_is_flagged() -> None:
    c = one("S. Vinogradov, avp rf, f. 0132, on. 24a, p. 236, d. 7, l. 32-30")
    f = part(c, "folios")
    assert (c.folios_from, c.folios_to) == ("32", "30")
    assert f.cert == "low" and f.reason and "reverse" in f.reason


def test_glued_next_document_number_not_a_folio() -> None:
    text = "Secretary Mirazbekyan. RGVA, f. 109, op. 3, d. 80, p. 278. 570"
    c = one(text)
    assert text[c.start:c.end] == "RGVA, f. 109, op. 3, d. 80, p. 278"


# --------------------------------------------------------------------------------------------
# Continuations and states (PHENOMENA §5.1, §5.4)
# --------------------------------------------------------------------------------------------

LINE_000_35 = ("containing the final decision. —Chicherin RGASPI, f. 64, op. 1, d. 21, pp. 199–200. "
               "Copy; AVPR, f. 148, op. 3, p. 1, d. 5, pp. 9–10. Original; f. 04, op. 51, p. 321a, "
               "d. 54870, pp. 8–9. Draft. (Emphasis added – Y.B.)")


def test_continuation_inherits_archive() -> None:
    cits = find_citations(LINE_000_35)
    assert [c.archive for c in cits] == ["RGASPI", "AVP RF", "AVP RF"]
    assert [c.archive_printed for c in cits] == ["RGASPI", "AVPR", ""]
    last = cits[2]
    assert last.archive_cert == "medium"
    assert LINE_000_35[last.start:last.end] == "f. 04, op. 51, p. 321a, d. 54870, pp. 8–9"
    assert [[s[2] for s in c.states] for c in cits] == [["copy"], ["original"], ["draft"]]
    assert values(last) == {"fond": "04", "opis": "51", "papka": "321a", "delo": "54870", "folios": "8–9"}


def test_states_spans() -> None:
    text = ("<…> NA RA, f. 200, op. 1, d. 628, pp. 8–10. Certified copy. Typescript. Copy certified by the "
            "Secretary of the Permanent Mission of the RSFSR in Armenia, L. Schiffers.")
    c = one(text)
    assert [s[2] for s in c.states] == ["certified-copy", "typescript"]  # "Copy certified by" is prose
    assert [text[s:e] for s, e, _ in c.states] == ["Certified copy", "Typescript"]


def test_original_autograph() -> None:
    c = one("—Stalin RGASPI, f. 558, op. 1, d. 1987, p. 1. Original. Autograph. (Emphasis added – Y.B.)")
    assert [s[2] for s in c.states] == ["original", "autograph"]


def test_typewritten_text() -> None:
    c = one("RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text.")
    assert [s[2] for s in c.states] == ["typewritten"]


def test_no_state_without_citation() -> None:
    c = one("<…> RGASPI, f. 64, op. 1, d. 21, p. 203. Certified copy. (Emphasis added – Y.B.)")
    assert [s[2] for s in c.states] == ["certified-copy"]


def test_citation_in_parentheses_inside_note() -> None:
    text = "remain in the shadows [...]” (RTSKHIDNI. F. 558. Op. 2. D. 162. L. 1). The border of Turkey"
    c = one(text)
    assert text[c.start:c.end] == "RTSKHIDNI. F. 558. Op. 2. D. 162. L. 1"
    assert values(c) == {"fond": "558", "opis": "2", "delo": "162", "folios": "1"}


# --------------------------------------------------------------------------------------------
# No false positives in prose
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    _cases("test_prose_has_no_citation", ('where', 'text')),
)
def test_prose_has_no_citation(where: str, text: str) -> None:
    assert find_citations(text) == [], where
    assert not is_source_line(text), where


def test_print_inside_prose_is_not_publication() -> None:
    assert find_publications("The same is true for Wrangel. Our press published the notes with which") == []


# --------------------------------------------------------------------------------------------
# Publications (PHENOMENA §6)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    _cases("test_printed_from_archive", ('where', 'text')),
)
def test_printed_from_archive(where: str, text: str) -> None:
    pubs = find_publications(text)
    assert [(p.kind, p.text) for p in pubs] == [("printed-from-archive", text)], where
    assert is_source_line(text), where


def test_seal_by_arch_and_newspaper() -> None:
    text = 'It\'s a seal. By arch. The opoble. To the gas. "Izvestia" lq 85 (637),  \nApril 23, 1919 .'
    pubs = find_publications(text)
    assert [p.kind for p in pubs] == ["printed-from-archive", "newspaper"]
    assert pubs[0].text == "It's a seal. By arch."
    assert pubs[1].text.startswith("The opoble. To the gas.") and pubs[1].text.endswith("April 23, 1919 .")
    assert is_source_line(text)


@pytest.mark.parametrize(
    ("where", "text", "kind"),
    _cases("test_publication_whole_line", ('where', 'text', 'kind')),
)
def test_publication_whole_line(where: str, text: str, kind: str) -> None:
    pubs = find_publications(text)
    assert len(pubs) == 1, (where, pubs)
    assert pubs[0].kind == kind, where
    assert pubs[0].text == text.strip("*"), where
    assert is_source_line(text), where


def test_newspaper_in_italics() -> None:
    pubs = find_publications('*Print. By gas. "news"*')
    assert [(p.kind, p.text) for p in pubs] == [("newspaper", 'Print. By gas. "news"')]


def test_collected_works_in_note() -> None:
    text = "significant influence on their outcome (Stalin I.V. Op. T. 5. S. 424). On March 16, 1921,"
    assert find_citations(text) == []  # "Op." here is Соч. (works), not опись
    pubs = find_publications(text)
    assert [(p.kind, p.text) for p in pubs] == [("collected-works", "Stalin I.V. Op. T. 5. S. 424")]


@pytest.mark.parametrize(
    ("where", "text", "pub"),
    _cases("test_citation_and_publication_on_one_line", ('where', 'text', 'pub')),
)
def test_citation_and_publication_on_one_line(where: str, text: str, pub: str) -> None:
    c = one(text)
    pubs = find_publications(text)
    assert [p.text for p in pubs] == [pub], where
    assert pubs[0].kind == "journal", where
    assert c.end <= pubs[0].start, where
    assert is_source_line(text), where


# --------------------------------------------------------------------------------------------
# is_source_line
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    _cases("test_is_source_line_true", ('where', 'text')),
)
def test_is_source_line_true(where: str, text: str) -> None:
    assert is_source_line(text), where


@pytest.mark.parametrize(
    ("where", "text"),
    _cases("test_is_source_line_false", ('where', 'text')),
)
def test_is_source_line_false(where: str, text: str) -> None:
    assert not is_source_line(text), where
