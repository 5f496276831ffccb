"""Tests for pipeline.recognise.citations — every snippet is verbatim from sources/ (file:line given)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.archives import load_archives
from pipeline.recognise import citations as cit
from pipeline.recognise.citations import Citation, Part, find_publications

ROOT = Path(__file__).resolve().parent.parent
# The archives of the bundled edition's registers: the citations are read against them.
ARCHIVES = load_archives(ROOT / "tei" / "registers.xml")


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
    [
        ("000:5", "NA RA, f. 200, op. 1, d. 628, pp. 8–10. Certified copy.", "NA RA", "NA RA", None),
        ("000:11", "RGVA, f. 195, op. 11, d. 24, p. 43. (Emphasis added – Y.B.)", "RGVA", "RGVA", None),
        ("000:23", "RGASPI, f. 64, op. 1, d. 21, p. 136. Copy.", "RGASPI", "RGASPI", None),
        ("000:45", "AVPR, f. 04, op. 39, p. 232, d. 54987, pp. 42–44. Copy.", "AVPR", "AVP RF", None),
        ("002:27", "RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text.", "RTSKHIDNI", "RGASPI", "high"),
        ("003:2990", "Avp rf, f. 059, on 1, p. 293, d. 2027, l. 77-79.", "Avp rf", "AVP RF", None),
        ("003:3172", "Terentyev avp rf, f. Ou, on. 4, p. 31, d. 166, l. 286-288.", "avp rf", "AVP RF", None),
        ("003:5146", "I. Maisky avprf, f.059, op.24, p.70, d.43, l.132-137.", "avprf", "AVP RF", None),
        ("003:6583", "Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46.", "Wua rf", "AVP RF", "medium"),
        ("003:5811", "A. Vyshinsky wua rf. F. 06. On. 3. P. 3. D. 29. L. 73-74.",
         "wua rf", "AVP RF", "medium"),
        ("003:3205", "Charge d'affaires of the RF WUA, f. 059, on. 1, p. 294, d. 2036, l. 131-132.",
         "RF WUA", "AVP RF", "medium"),
        ("003:5108", "Recorded subcerob of the rf wua, f.ob, op. 2, p.z, d.19, l.50-57.",
         "rf wua", "AVP RF", "medium"),
        ("003:3978", "Hdl rf, f. 082, on. 23, p. 95, d. 5, l. 43-45.", "Hdl rf", "AVP RF", "medium"),
        ("003:3959", "Lip rf, f. 059, on. 1, p. 315, d. 2174, l. 264-266.", "Lip rf", "AVP RF", "medium"),
        ("003:4362", "Archive of the president of the Russian federation, f. 56, on. 1, d. 1161, l. 147-155.",
         "Archive of the president of the Russian federation", "APRF", None),
        ("003:4399", "Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, "
         "on. 64, d.675, l. 21-30.", "archive of the president of the Russian federation", "APRF", None),
        ("003:6556", "Ap rf. F. 45. On. 1.d. 279. L. 115-122.", "Ap rf", "APRF", None),
    ],
)
def test_archive_names(where: str, text: str, printed: str, key: str, cert: str | None) -> None:
    c = one(text)
    assert c.archive_printed == printed, where
    assert c.archive == key, where
    assert c.archive_cert == cert, where
    assert text[c.start:c.start + len(printed)] == printed, where
    assert c.part("fond") and c.part("delo"), where


def test_garbled_archive_has_reason_003_3978() -> None:
    c = one("Hdl rf, f. 082, on. 23, p. 95, d. 5, l. 43-45.")
    assert c.archive_reason == "a garbled form of AVP RF"
    assert c.archive_id == "arch-avprf"


def test_rtskhidni_is_former_name_of_rgaspi_002_27() -> None:
    c = one("RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text.")
    assert c.archive_reason is not None and "RGASPI" in c.archive_reason


# --------------------------------------------------------------------------------------------
# Glued signatures: span starts at the archive name (PHENOMENA §5.2)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "prefix"),
    [
        ("003:3096", "O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145.", "O. Nikitnikova "),
        ("003:2928", "Plenipotentiary of wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.",
         "Plenipotentiary of "),
        ("003:3197", "Surits\\ avp rf, f 059. On 1, p. 302, d 2090. L 45-46", "Surits\\ "),
        ("003:4064", "Vinogradov , Avp rf, f. 059, on. 1, p. 314, d. 2162, l. 59-60.", "Vinogradov , "),
        ("003:5244", "Plenipotentiary representative of the USSR in Germany Dekanozov avprf, f. 082, on. 24, "
         "p. 105, db, l. 75-76.", "Plenipotentiary representative of the USSR in Germany Dekanozov "),
    ],
)
def test_span_starts_at_archive_name(where: str, text: str, prefix: str) -> None:
    c = one(text)
    assert c.start == len(prefix), where
    assert text[: c.start] == prefix, where


def test_span_ends_at_last_folio_003_3096() -> None:
    text = "O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145."
    c = one(text)
    assert text[c.start:c.end] == "avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145"


def test_missing_fond_label_003_2928() -> None:
    c = one("Plenipotentiary of wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.")
    fond = part(c, "fond")
    assert (fond.label, fond.value) == ("", "059")
    assert values(c) == {"fond": "059", "opis": "1", "papka": "294", "delo": "2036", "folios": "18-20"}


def test_missing_final_period_and_bare_labels_003_3197() -> None:
    c = one("Surits\\ avp rf, f 059. On 1, p. 302, d 2090. L 45-46")
    assert labels(c) == {"fond": "f", "opis": "On", "papka": "p.", "delo": "d", "folios": "L"}
    assert values(c) == {"fond": "059", "opis": "1", "papka": "302", "delo": "2090", "folios": "45-46"}
    assert (c.folios_from, c.folios_to) == ("45", "46")


# --------------------------------------------------------------------------------------------
# Component labels decided by position (PHENOMENA §5.3)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "expected_labels"),
    [
        ("003:3140", "Wua rf. F 'oh, on 4, I 31, d 166, l 242",
         {"fond": "F '", "opis": "on", "papka": "I", "delo": "d", "folios": "l"}),
        ("003:6416", "Vinogradov wua rf. F- 06. On. 3. L. 22.d. 300. L. 58-59.",
         {"fond": "F-", "opis": "On.", "papka": "L.", "delo": "d.", "folios": "L."}),
        ("003:3042", "Wua rf, f 059, on I, n 294, d 2029, l 83",
         {"fond": "f", "opis": "on", "papka": "n", "delo": "d", "folios": "l"}),
        ("003:4008", "Hdl rf, f. 059, on. 1, l. 314, d. 2161, l. 290-294.",
         {"fond": "f.", "opis": "on.", "papka": "l.", "delo": "d.", "folios": "l."}),
        ("003:3289", "Wua rf, f 06. On. I, l 14, d 153, l. 97-99.",
         {"fond": "f", "opis": "On.", "papka": "l", "delo": "d", "folios": "l."}),
        ("003:4383", "Avp rf, f. 059, on. 1, item 328, a. 2253, l. 267-269.",
         {"fond": "f.", "opis": "on.", "papka": "item", "delo": "a.", "folios": "l."}),
        ("003:4651", "Avp rf, f. 059, on. 1, p. 316, d., 2177, l. 129.",
         {"fond": "f.", "opis": "on.", "papka": "p.", "delo": "d.,", "folios": "l."}),
        ("003:3895", "Avp rf, f. Oil, on. 4, p. 24, d. 5, l, 61-66.",
         {"fond": "f.", "opis": "on.", "papka": "p.", "delo": "d.", "folios": "l,"}),
        ("003:4553", "Archive of the president of the Russian federation, f. 3, on. 64, d. 675, I. 49-67.",
         {"fond": "f.", "opis": "on.", "delo": "d.", "folios": "I."}),
        ("002:27", "RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text.",
         {"fond": "F.", "opis": "Op.", "delo": "D.", "folios": "L."}),
        ("003:3817", "Wua rf, f oil. On 4.n 31 d 166, l 331-344.",
         {"fond": "f", "opis": "On", "papka": "n", "delo": "d", "folios": "l"}),
        ("003:6008", "Wua rf. F. 06. On. 3, p. 1.d. 6.l. 103-105.",
         {"fond": "F.", "opis": "On.", "papka": "p.", "delo": "d.", "folios": "l."}),
    ],
)
def test_labels_by_position(where: str, text: str, expected_labels: dict[str, str]) -> None:
    assert labels(one(text)) == expected_labels, where


def test_p_after_delo_is_folio_in_000_11() -> None:
    c = one("Pechersky. RGVA, f. 195, op. 11, d. 24, p. 43. (Emphasis added – Y.B.)")
    assert "papka" not in values(c)
    f = part(c, "folios")
    assert (f.label, f.value) == ("p.", "43")
    assert (c.folios_from, c.folios_to) == ("43", "43")


def test_p_before_delo_is_papka_in_000_45() -> None:
    c = one("AVPR, f. 04, op. 39, p. 232, d. 54987, pp. 42–44. Copy.")
    assert values(c) == {"fond": "04", "opis": "39", "papka": "232", "delo": "54987", "folios": "42–44"}


def test_compact_style_003_5029() -> None:
    c = one("Wua rf, f.059, op.1, p.314, d.2163, l.170-174.")
    assert values(c) == {"fond": "059", "opis": "1", "papka": "314", "delo": "2163", "folios": "170-174"}


def test_period_style_003_5954() -> None:
    c = one("Wua rf. F. 048. On. 48. P. 431. D. 10. L. 5-12.")
    assert values(c) == {"fond": "048", "opis": "48", "papka": "431", "delo": "10", "folios": "5-12"}


def test_opis_with_letter_003_4886() -> None:
    c = one("S. Vinogradov, avp rf, f. 0132, on. 24a, p. 236, d. 7, l. 32-30")
    assert part(c, "opis").value == "24a"


# --------------------------------------------------------------------------------------------
# Damaged values and their readings
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "printed", "reading", "cert"),
    [
        ("003:3030", "Avp rf, f. Oil, on. 4, p. 31, d. 166, l. 151-154.", "Oil", "011", "medium"),
        ("003:3154", "V. Potemkin wua rf, f oil, on. 4, p 24, d.7, l. 29-30.", "oil", "011", "medium"),
        ("003:2962", "Avp rf, f. Oh, on 4, p 28, d 86, l 40-43", "Oh", "011", "low"),
        ("003:3140", "Wua rf. F 'oh, on 4, I 31, d 166, l 242", "oh", "011", "low"),
        ("003:3172", "Terentyev avp rf, f. Ou, on. 4, p. 31, d. 166, l. 286-288.", "Ou", "011", "low"),
        ("003:5271", "Avp rf, f. Oh, on. 3, p. 1, d. 4, l. 42-47.", "Oh", "06", "low"),
        ("003:5009", "Recorded subcerob of wua rf, f.ob, op. 2, p.z, d.19, l.10-14.", "ob", "06", "medium"),
        ("003:5795", "Avp rf, f. About. On. 3. P. 1, d.5. L. 32-33.", "About", "06", "medium"),
        ("003:6446", "Vinogradov wua rf. F. About. On. 3. L. 22.d. 300. L. 60-61.", "About", "06", "medium"),
    ],
)
def test_damaged_fond(where: str, text: str, printed: str, reading: str, cert: str) -> None:
    fond = part(one(text), "fond")
    assert (fond.value, fond.reading, fond.cert) == (printed, reading, cert), where
    assert fond.reason, where


def test_clean_fond_has_no_reading_003_3128() -> None:
    fond = part(one("Avp rf, f. 011. On. 4, p 31, d 166, l 247-249"), "fond")
    assert (fond.value, fond.reading, fond.cert) == ("011", None, None)


def test_fond_given_by_name_003_6082() -> None:
    c = one("Avp rf, f. For - Great Britain, d. 107.")
    fond = part(c, "fond")
    assert (fond.value, fond.reading) == ("For - Great Britain", None)
    assert values(c) == {"fond": "For - Great Britain", "delo": "107"}
    assert (c.folios_from, c.folios_to) == (None, None)


def test_opis_capital_i_003_3827() -> None:
    opis = part(one("Terentyev avp rf, f. 059, on. I, p. 293, d. 2028, l. 368-371."), "opis")
    assert (opis.value, opis.reading, opis.cert) == ("I", "1", "medium")


def test_papka_capital_i_003_6583() -> None:
    papka = part(one("Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46."), "papka")
    assert (papka.label, papka.value, papka.reading) == ("P.", "I", "1")


def test_papka_z_is_3_003_5108() -> None:
    papka = part(one("Recorded subcerob of the rf wua, f.ob, op. 2, p.z, d.19, l.50-57."), "papka")
    assert (papka.label, papka.value, papka.reading, papka.cert) == ("p.", "z", "3", "medium")


def test_papka_po_unreadable_003_5299() -> None:
    papka = part(one("Avp rf, f. 074, on. 26, p. Po, d. 6, l. 26-27."), "papka")
    assert (papka.value, papka.reading) == ("Po", None)
    assert papka.reason


def test_delo_db_003_5244() -> None:
    text = ("Plenipotentiary representative of the USSR in Germany Dekanozov avprf, f. 082, on. 24, p. 105, "
            "db, l. 75-76.")
    c = one(text)
    delo = part(c, "delo")
    assert text[delo.start:delo.end] == "db"
    assert (delo.label, delo.value, delo.reading, delo.cert) == ("d", "b", "6", "low")
    assert (c.folios_from, c.folios_to) == ("75", "76")


def test_folio_is_15_003_5172() -> None:
    c = one("Recorded subcerob wua rf, f. 06, on. 2, p. 20, d. 229, l. Is — 21.")
    f = part(c, "folios")
    assert (f.value, f.reading, f.cert) == ("Is — 21", "15-21", "low")
    assert (c.folios_from, c.folios_to) == ("15", "21")


# --------------------------------------------------------------------------------------------
# Folio forms
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text", "value", "ff", "ft"),
    [
        ("000:5", "NA RA, f. 200, op. 1, d. 628, pp. 8–10. Certified copy.", "8–10", "8", "10"),
        ("003:4503", "Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39. Publ  ",
         "35, 35a, 36, 38, 39", "35", "39"),
        ("003:4278", "Avp rf, f. 059, on. 1, p. 315, d. 2165, l. 73-74, 75-76.", "73-74, 75-76", "73", "76"),
        ("003:3636", "Wua rf, f 011, on 4, p. 31, d 166, l 353—365.", "353—365", "353", "365"),
        ("003:3042", "Wua rf, f 059, on I, n 294, d 2029, l 83", "83", "83", "83"),
        ("003:4475", "Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 29, 30. Publ. : "
         "international life.", "29, 30", "29", "30"),
    ],
)
def test_folio_forms(where: str, text: str, value: str, ff: str, ft: str) -> None:
    c = one(text)
    assert part(c, "folios").value == value, where
    assert (c.folios_from, c.folios_to) == (ff, ft), where


def test_verso_000_17() -> None:
    text = ("RGASPI, f. 64, op. 1, d. 21, pp. 192–193. Copy; AVPR, f. 04, op. 51, p. 321a, d. 54870, "
            "pp. 10–10 verso. Draft. (Emphasis added – Y.B.)")
    first, second = find_citations(text)
    assert part(second, "folios").value == "10–10 verso"
    assert (second.folios_from, second.folios_to) == ("10", "10v")
    assert part(second, "papka").value == "321a"
    assert [s[2] for s in first.states] == ["copy"]
    assert [s[2] for s in second.states] == ["draft"]


def test_reversed_range_is_flagged_003_4886() -> None:
    c = one("S. Vinogradov, avp rf, f. 0132, on. 24a, p. 236, d. 7, l. 32-30")
    f = part(c, "folios")
    assert (c.folios_from, c.folios_to) == ("32", "30")
    assert f.cert == "low" and f.reason and "reverse" in f.reason


def test_glued_next_document_number_not_a_folio_000_96() -> None:
    text = "Secretary Mirazbekyan. RGVA, f. 109, op. 3, d. 80, p. 278. 570"
    c = one(text)
    assert text[c.start:c.end] == "RGVA, f. 109, op. 3, d. 80, p. 278"


# --------------------------------------------------------------------------------------------
# Continuations and states (PHENOMENA §5.1, §5.4)
# --------------------------------------------------------------------------------------------

LINE_000_35 = ("containing the final decision. —Chicherin RGASPI, f. 64, op. 1, d. 21, pp. 199–200. "
               "Copy; AVPR, f. 148, op. 3, p. 1, d. 5, pp. 9–10. Original; f. 04, op. 51, p. 321a, "
               "d. 54870, pp. 8–9. Draft. (Emphasis added – Y.B.)")


def test_continuation_inherits_archive_000_35() -> None:
    cits = find_citations(LINE_000_35)
    assert [c.archive for c in cits] == ["RGASPI", "AVP RF", "AVP RF"]
    assert [c.archive_printed for c in cits] == ["RGASPI", "AVPR", ""]
    last = cits[2]
    assert last.archive_cert == "medium"
    assert LINE_000_35[last.start:last.end] == "f. 04, op. 51, p. 321a, d. 54870, pp. 8–9"
    assert [[s[2] for s in c.states] for c in cits] == [["copy"], ["original"], ["draft"]]
    assert values(last) == {"fond": "04", "opis": "51", "papka": "321a", "delo": "54870", "folios": "8–9"}


def test_states_spans_000_5() -> None:
    text = ("<…> NA RA, f. 200, op. 1, d. 628, pp. 8–10. Certified copy. Typescript. Copy certified by the "
            "Secretary of the Permanent Mission of the RSFSR in Armenia, L. Schiffers.")
    c = one(text)
    assert [s[2] for s in c.states] == ["certified-copy", "typescript"]  # "Copy certified by" is prose
    assert [text[s:e] for s, e, _ in c.states] == ["Certified copy", "Typescript"]


def test_original_autograph_000_60() -> None:
    c = one("—Stalin RGASPI, f. 558, op. 1, d. 1987, p. 1. Original. Autograph. (Emphasis added – Y.B.)")
    assert [s[2] for s in c.states] == ["original", "autograph"]


def test_typewritten_text_002_27() -> None:
    c = one("RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text.")
    assert [s[2] for s in c.states] == ["typewritten"]


def test_no_state_without_citation_000_66() -> None:
    c = one("<…> RGASPI, f. 64, op. 1, d. 21, p. 203. Certified copy. (Emphasis added – Y.B.)")
    assert [s[2] for s in c.states] == ["certified-copy"]


def test_citation_in_parentheses_inside_note_002_31() -> None:
    text = "remain in the shadows [...]” (RTSKHIDNI. F. 558. Op. 2. D. 162. L. 1). The border of Turkey"
    c = one(text)
    assert text[c.start:c.end] == "RTSKHIDNI. F. 558. Op. 2. D. 162. L. 1"
    assert values(c) == {"fond": "558", "opis": "2", "delo": "162", "folios": "1"}


# --------------------------------------------------------------------------------------------
# No false positives in prose
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("001:55", "* see doc. No. 187"),
        ("003:2830", '\\* see doc. Chg 183. \\*\\* see vol. Xix doc. L "236. \\*\\*\\* see doc. L? 180.'),
        ("003:1206", "Ali Fuad's note of June 6, 192 has been received! G. No. 511"),
        ("004:37", "The same is true for Wrangel. Our press published the notes with which"),
        ("003:6530", "Comrade Stalin replied that he would have sent a copy of his letter to Eden to "
         "general xi Korekho and would even be ready to publish it."),
    ],
)
def test_prose_has_no_citation(where: str, text: str) -> None:
    assert find_citations(text) == [], where
    assert not is_source_line(text), where


def test_print_inside_prose_is_not_publication_004_37() -> None:
    assert find_publications("The same is true for Wrangel. Our press published the notes with which") == []


# --------------------------------------------------------------------------------------------
# Publications (PHENOMENA §6)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("001:53", "Print. By architect."),
        ("003:746", "Print. by architect."),
        ("003:1301", "Printed by architect."),
        ("003:2918", "Print t. By architect."),
        ("003:2806", "Pgchat. About arch."),
        ("003:2898", "Pgkat. By arch"),
        ("003:2816", "Print. By srh."),
        ("003:2828", "There is no print. By apx,"),
    ],
)
def test_printed_from_archive(where: str, text: str) -> None:
    pubs = find_publications(text)
    assert [(p.kind, p.text) for p in pubs] == [("printed-from-archive", text)], where
    assert is_source_line(text), where


def test_seal_by_arch_and_newspaper_003_450() -> None:
    text = 'It\'s a seal. By arch. The opoble. To the gas. "Izvestia" lq 85 (637),  \nApril 23, 1919 .'
    pubs = find_publications(text)
    assert [p.kind for p in pubs] == ["printed-from-archive", "newspaper"]
    assert pubs[0].text == "It's a seal. By arch."
    assert pubs[1].text.startswith("The opoble. To the gas.") and pubs[1].text.endswith("April 23, 1919 .")
    assert is_source_line(text)


@pytest.mark.parametrize(
    ("where", "text", "kind"),
    [
        ("003:494", "Publ. into gas. Izvestia Jtè 123 (970), June 9, 1920", "newspaper"),
        ("003:2010", 'Publ. Into gas. "news"', "newspaper"),
        ("003:2012", "No. 239 (1382), October 25, 1921", "newspaper-issue"),
        ("003:4364", "Publ .: new and contemporary history. - 1995. - no. 4. - p. 77-79.", "journal"),
        ("003:4459", "Publ. : international life. - 1991. - no. B. - s. 131-132.", "journal"),
        ("003:4635", "Publ.: international life. - 1991. - no. 8. - s. 117.", "journal"),
        ("003:5956", "Publ.: Soviet-English relations ... - t. 1. - p. 77-81.", "volume"),
        ("003:6044", "Publ .: foreign policy of the USSR ... -t. I. - s. 145-146.", "volume"),
        ("003:6558", "Publ .: Soviet-English relations ... - t. I. - s. 192-197", "volume"),
        ("003:1579", 'Publ. In the "collection of existing contracts ..." I, m., no. 24, pp. 281-285.',
         "collection"),
        ("003:1987", 'Publ. In the "collection of existing contracts ...". No. Iii, m "1922, pp. 49-57.',
         "collection"),
        ("003:650", 'Print. according to the brochure "Report of the People\'s Commissar for Foreign '
         'Affairs GV Chicherin at a meeting of the All-Russian Central Executive Committee on June 17, 1920. '
         '(Transcript) ", NKID, M. 1920.', "brochure"),
        ("003:730", 'Printed according to the brochure "Annual report of the NK.ID to the VIII Congress '
         'of Soviets (1919-1920)", M. 1921. As manuscript.', "brochure"),
        ("004:117", "Print. according to the brochure “Report of the Peopleʹs Commissar for Foreign "
         "Affairs GV Chicherin at a meeting of the All‐Russian Central", "brochure"),
        ("003:2357", "*USSR foreign policy documents. T. 20. January - December 1937 / ministry of foreign "
         "affairs of the USSR; - m.: politizdat, 1976., p. 549.*", "volume"),
    ],
)
def test_publication_whole_line(where: str, text: str, kind: str) -> None:
    pubs = find_publications(text)
    assert len(pubs) == 1, (where, pubs)
    assert pubs[0].kind == kind, where
    assert pubs[0].text == text.strip("*"), where
    assert is_source_line(text), where


def test_newspaper_in_italics_003_2482() -> None:
    pubs = find_publications('*Print. By gas. "news"*')
    assert [(p.kind, p.text) for p in pubs] == [("newspaper", 'Print. By gas. "news"')]


def test_collected_works_in_note_002_31() -> None:
    text = "significant influence on their outcome (Stalin I.V. Op. T. 5. S. 424). On March 16, 1921,"
    assert find_citations(text) == []  # "Op." here is Соч. (works), not опись
    pubs = find_publications(text)
    assert [(p.kind, p.text) for p in pubs] == [("collected-works", "Stalin I.V. Op. T. 5. S. 424")]


@pytest.mark.parametrize(
    ("where", "text", "pub"),
    [
        ("003:4431", "Molotov avp rf, f. 059, on. 1, p. 338, d. 2314, l. 5-6, 7-9. Publ. : international "
         "life. - 1991. - no. 6. - s. 126.", "Publ. : international life. - 1991. - no. 6. - s. 126."),
        ("003:4399", "Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, "
         "on. 64, d.675, l. 21-30. Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73.",
         "Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73."),
        ("003:4503-4504", "Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39. Publ  \n"
         ".: international life. - 1991. - no. 8. - p. 105.",
         "Publ  \n.: international life. - 1991. - no. 8. - p. 105."),
    ],
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
    [
        ("002:27", "RTSKHIDNI. F. 5. Op. 2. D. 315. L. 34. Typewritten text."),
        ("003:3096", "O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145."),
        ("003:5009", "Recorded subcerob of wua rf, f.ob, op. 2, p.z, d.19, l.10-14."),
        ("003:3205", "Charge d'affaires of the RF WUA, f. 059, on. 1, p. 294, d. 2036, l. 131-132."),
        ("003:5403", "Plenipotentiary of the USSR in Germany v. Dekanozov avp rf, f. 082, on. 24, p. 105, "
         "d. 6, l. 124-130."),
        ("003:4503", "Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39. Publ  "),
        ("003:6082", "Avp rf, f. For - Great Britain, d. 107."),
    ],
)
def test_is_source_line_true(where: str, text: str) -> None:
    assert is_source_line(text), where


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("000:78", "The question of Zangezur and Nakhichevan must remain open. <…> RGASPI, f. 64, op. 1, "
         "d. 21, p. 207. Copy. (Emphasis added – Y.B.)"),
        ("000:90", "No. 6600/op. Signed: Chief of Operational Council – Shaposhnikov Military Commissar – "
         "Klim RGVA, f. 6, op. 10, d. 303, p. 126."),
        ("003:451", "April 23, 1919 ."),
        ("003:2461", "(Tass)"),
        ("003:992", "P. Mdivani"),
        ("003:6080", "And Northern Ireland a. Mikoyan r. Stafford Cripps"),
    ],
)
def test_is_source_line_false(where: str, text: str) -> None:
    assert not is_source_line(text), where
