"""Tests for pipeline.recognise.headings — every snippet is verbatim from sources/ (file:line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.recognise.headings import (
    DOC_TYPES,
    Heading,
    is_bold_heading,
    is_bold_heading_continuation,
    is_plain_heading_continuation,
    is_type_word_heading,
    parse_heading,
)

SOURCES = Path(__file__).resolve().parents[1] / "sources"


def _parts(text: str) -> dict[str, object]:
    """Heading as printed strings, for readable assertions."""
    h = parse_heading(text)

    def s(span: tuple[int, int] | None) -> str | None:
        return None if span is None else text[span[0]:span[1]]

    return {
        "type": h.doc_type, "excerpt": h.excerpt, "sender": s(h.sender), "addressee": s(h.addressee),
        "participants": [s(p) for p in h.participants], "topic": s(h.topic),
        "tail": None if h.tail_start is None else text[h.tail_start:],
        "date": s(h.date), "place": s(h.place), "copy_to": s(h.copy_to),
    }


# --------------------------------------------------------------------------------------------
# is_bold_heading
# --------------------------------------------------------------------------------------------

HEADINGS_003 = [
    # hard break inside a bold heading
    "**Note of the people's commissioner for foreign affairs of the RFSR  \nto the ministry of foreign "
    "affairs of Great Britain**",
    # "From:" excerpt
    "**From: appeal of the people's commissioner for foreign affairs of the RSFSR to the workers and "
    "peasants of Persia**",
    # date first, author before the type word
    "**November 6, 1920, from Stalin report delivered at a celebration meeting of the Baku Soviet**",
    # "From Annual report" with the date after a hard break
    "**From Annual report of the People's Commissariat of Foreign Affairs  \nof the RSFSR to the VIII "
    "Congress of Soviets for 1919-1920  \nDecember 22-29, 1920**",
    # date first + "the speech"
    "**February 26, 1921 , the speech at the opening of the Moscow conference on the conclusion of the "
    "Soviet-Turkish treaty was delivered on February 26, 1921 by the head of the Soviet delegation G.V. "
    "Chicherin.**",

    "**Treaty between Russia and Turkey, article no. 598.**",
    # footnote marker inside the bold
    "**The treaty of friendship between the Armenian SSR, the Azerbaijan SSR and the Georgian SSR, on the "
    "one hand, and Turkey, on the other, concluded with the participation of the RSFSR in Kars \\***",
    # 1937 block: ". <date>" appended
    "**Letter from the deputy people's commissar for foreign affairs of the USSR to the charge d'affaires "
    "of the USSR in Turkey, Ga Zalkind. December 14, 1937**",
    # date first + lower-case "telegram"
    "**March 18, 1938, telegram from the charge d'affaires of the USSR in Germany g. A. Astakhov to the "
    "people's commissariat of foreign affairs of the USSR**",
    # non-bold date, bold starts mid-line
    "May 12, 1938, from **telegram of the plenipotentiary representative of the USSR in Great Britain to "
    "the people's commissariat of foreign affairs of the USSR \\***",
    # "##" prefix
    "## **Recording of the conversation of the USSR plenipotentiary representative in Turkey with the "
    "minister of foreign affairs of Turkey**",
    # no bold at all
    "From letter of the interim attorney of the USSR in Iran I. A. Kartashev to the people's commissioner "
    "for foreign affairs of the USSR m. M. Litvinov",
    # run of escaped stars before the closing bold
    "**Recording of the conversation of the plenipotentiary representative of the USSR in Turkey A.V. "
    "Terentyev with the prime minister of Turkey R. Saydam \\*\\*\\*\\*\\***",
    # no type word
    "**G. A. Astakhov to the people's commissariat of foreign affairs of the USSR**",

    "## **From diary of the first secretary of the official**",
    # garbled "Some directives for the Berlin trip"
    "**Some] dir [ekti] you to burl [inn] ride \\***",
    # "From;" (semicolon typo) with hard breaks
    "**From; talk of the plenipotentiary representative of the USSR in the  \nGreat Britain I.M. Maisky "
    "with the minister of foreign affairs of the  \nGreat Britain**",

    "**Statement of the Soviet government of respect for the territorial invalidity of the Turkish "
    "republic**",
    # truncated, ends in an opening quote
    "**Record of the conversation of the chairman of the council of people's commissars of the USSR Stalin "
    "with the heads of the delegations of the Great Britain Lord W. Beaverbrook and the USA, A. Garriman "
    "at the Moscow conference of the representatives of three \"**",
]


@pytest.mark.parametrize("paragraph", HEADINGS_003)
def test_is_bold_heading_accepts(paragraph: str) -> None:
    assert is_bold_heading(paragraph)


NOT_HEADINGS_003 = [
    "**Stalin:** we don't take tracer bullets. Experience has shown them to be useless. We need "
    "incendiary bullets.",                                                      # speaker label
    "**Saracoglu** - why can't we achieve the goal we need by concluding a pact with you?",
    "**Beaverbrook** (throwing up his hands): it's absolutely impossible.",
    "**Sent to comrade Stalin, comrade Molotov, comrade Vyshinsky, comrade Lozovsky, general "
    "secretariat**",                                                           # distribution
    "**August 28, 1919**",                                                     # bold date
    "**March 6, 1939 , Top Secret**",
    "**1941**",                                                                # year divider
    "**Article I.**",
    "#### **Article ii.**",
    "**Appendix I (a).**",
    "## Annex ii",
    "**I. GENERAL PROVISION**",
    "**OUR EASTERN POLICY IN THE SUMMER AND AUTUMN 1920**",
    "**Now after that, the changed situation affected Georgia as well.** This is one of the most "
    "sensitive knots of world politics, and in Georgia we have set ourselves two goals.",
    "From the whole conversation it is clear that the afghan ambassador to Ankara is a brightly "
    "pro-British figure and, against the background of close Anglo-Turkish relations, is trying to shield "
    "the Turks in connection with the documents published against them. -",
    "From my conversation with Papen, I get the following impression:",
    "From the conversation it was possible to understand: 1) that Romania did not want and does not want "
    "to either increase its obligations on the little entente, or sign a pact with the French, wanting "
    "to wait and not wanting to \"provoke third powers\", and 2) that the Turks had a hand in",
    "From the stories of our correspondents about Papen's speech, his remark about Syria deserves "
    "attention:",
    "Note. Since Turkey does not have an embassy in Ukraine, Turkish commissioners will have the right to "
    "communicate in code with the Turkish embassy in Moscow and the central government of Turkey.",
    "#### 4. Violation of the border by the Turkish border soldiers themselves.",
    "Sent to comrade Molotov, comrade Dekanozov, gen. Secretariat",
    "",
]


@pytest.mark.parametrize("paragraph", NOT_HEADINGS_003)
def test_is_bold_heading_rejects(paragraph: str) -> None:
    assert not is_bold_heading(paragraph)


# --------------------------------------------------------------------------------------------
# is_bold_heading_continuation
# --------------------------------------------------------------------------------------------

H976 = ("**Note from the representative of the people's commissariat of foreign affairs of the RSFSR in "
        "Turkey to the commissioner for foreign affairs**")
H2832 = "**August 11, 1938, telegram from the plenipotentiary representative of the USSR in Turkey**"
H3207 = "## **From diary of the first secretary of the official**"
H4066 = ("**From: conversation of the people's commissar for foreign affairs of the USSR V. M. Molotov with "
         "the ambassador of the Turkish republic in the USSR**")


@pytest.mark.parametrize(("prev", "paragraph"), [
    (H976, "**of the government of the grand national assembly of Turkey Ahmed Mukhtar.**"),
    (H3207, "### **USSR representations in Germany Ivanova**"),
    (H2832, "A. Tereityeva in the people's commissariat of foreign"),
    (H2832 + "\n\nA. Tereityeva in the people's commissariat of foreign", "USSR affairs"),
    (H4066, "A. Aktaem"),
])
def test_bold_heading_continuation(prev: str, paragraph: str) -> None:
    assert is_bold_heading_continuation(prev, paragraph)


@pytest.mark.parametrize(("prev", "paragraph"), [
    (H976 + "\n\n**of the government of the grand national assembly of Turkey Ahmed Mukhtar.**",
     "April 6, 1921 no. 317"),                                                   # dateline
    (H2832 + "\n\nA. Tereityeva in the people's commissariat of foreign\n\nUSSR affairs",
     "Immediately 10 august 1938"),
    (H3207 + "\n\n### **USSR representations in Germany Ivanova**", "August 20-26, 1939 secret"),
    (H4066 + "\n\nA. Aktaem", "August 9, 1940"),
    # distribution line
    ("**From: conversation between the 1st counselor of the USSR embassy in Germany m. G. Tikhomirov and "
     "the representative of the German air force m. F. Kleis**",
     "Sent to comrade Molotov, comrade Dekanozov, gen. Secretariat"),
    # heading complete (ends with a year); italic volume reference
    ("**Telegram from the charge d'affaires of the USSR in Turkey to the people's commissariat of foreign "
     "affairs of the USSR. October 16, 1937**",
     "*USSR foreign policy documents. T. 20. January - December 1937 / ministry of foreign affairs of the "
     "USSR; - m.: politizdat, 1976., p. 549.*"),
    # bold section heading after a complete (dated) heading
    ("**From Annual report of the People's Commissariat of Foreign Affairs  \nof the RSFSR to the VIII "
     "Congress of Soviets for 1919-1920  \nDecember 22-29, 1920**", "**I. GENERAL PROVISION**"),
    # first body sentence
    ("**November 6, 1920, from Stalin report delivered at a celebration meeting of the Baku Soviet**",
     "In the east, the red army's successes started a ferment which, for instance in Turkey, developed "
     "into an outright war against the entente and its allies."),
    # bracketed date
    ("**Some] dir [ekti] you to burl [inn] ride \\***", "[November 9, 1940]"),
    # dateline with classification
    ("**Telegram of the plenipotentiary representative of the USSR in Turkey A.V. Terentyev**",
     "September 5, 1939 out of line. Top secret"),
])
def test_not_bold_heading_continuation(prev: str, paragraph: str) -> None:
    assert not is_bold_heading_continuation(prev, paragraph)


# --------------------------------------------------------------------------------------------
# plain headings (web pages)
# --------------------------------------------------------------------------------------------

H000_25 = ("Telegram from the Chief of the Operational Council of the Field Headquarters of the RVSR, Garf, "
           "to the People’s Commissar for Foreign Affairs G. Chicherin")
H000_37 = "Letter from the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin, to I. Stalin"
H000_68 = ("Memorandum Transmitted via Direct Line by the Plenipotentiary Representative of the RSFSR in "
           "Armenia, B. Legran, to the People’s Commissar for Foreign Affairs, G. Chicherin")
C000_27 = ("Including the text of a telegram from the Chief of Staff of the Caucasian Front, Pugachev, to the "
           "Chief of the Field Headquarters of the RVSR, Lebedev, regarding the movement of a Turkish Rifle "
           "Regiment through Zangezur and Nakhichevan Moscow, 2 November 1920")
C000_39 = ("On the Possible Shift in Kemalist Orientation and the Role of Armenia as a Barrier Against "
           "Expansionist Policies of Turkish Nationalists 5 November 1920")
C000_70 = ("On the Opposition by Azerbaijan and Stalin’s Group to the Conclusion of a Peace Treaty with "
           "Armenia and to Russia’s Mediation in the Turkish Withdrawal to the 1914 Border 7 November 1920")
H000_88 = ("Telegram from the Chief of the Operational Council of the Field Headquarters of the RVSR, B. "
           "Shaposhnikov, to the Deputy Chairman of the Revolutionary Military Council of the Republic, E. "
           "Sklyansky (Copy to the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin) On the "
           "Participation of a Turkish Regiment in Combat Operations Against Armenia in Zangezur Urgent. "
           "Secret. Moscow, 8 November 1920")
H000_94 = ("Transmission via Direct Line of the Text of a Secret Memorandum from Member of the Caucasian "
           "Bureau of the Central Committee of the RCP(b) and the Revolutionary Military Council of the "
           "Caucasian Front, G. Ordzhonikidze Via Secretary of the Revolutionary Military Council and Military "
           "Commissar of the Caucasian Front, Gelman, to Member of the Revolutionary Military Council of the "
           "Caucasian Front, V. Trifonov On Preparations for a Red Army Offensive Against Armenia Under the "
           "Pretext of Defending It from the Kemalists 9 November 1920")
H001_11 = ("Note from the plenipotentiary representative of the RSFSR in Turkey to the commissioner for foreign "
           "affairs of the government of the grand national assembly of Turkey, Yusuf Kemal.")
H004_11 = ("From the Report of the Peopleʹs Commissar for Foreign Affairs of the RSFSR G.V. Chicherin at a "
           "meeting of the All‐Russian Central Executive Committee on June 17, 1920\xa0")


@pytest.mark.parametrize("paragraph", [
    "First Addendum to the Draft Peace Treaty between the RSFSR and the Republic of Armenia",
    H000_25, H000_37, H000_68, H000_88, H000_94,
    "From Protocol No. 2 of the Joint Session of the Plenum of the Central Committee, the Baku Committee "
    "of the Communist Party of Azerbaijan, and the Caucasian Bureau of the Central Committee of the RCP(b) "
    "On Stalin’s Position Regarding Azerbaijan as a De Facto Part of Soviet Russia 8 November 1920",
    H001_11,
    "G. V. Chicherin to I. V. Stalin",
    H004_11,
])
def test_is_type_word_heading_accepts(paragraph: str) -> None:
    assert is_type_word_heading(paragraph)


@pytest.mark.parametrize("paragraph", [
    "Note: “via the duty political controller.” Message No. 3 …** For orientation:",
    "Armenia’s conditions: first, the incorporation of Zangezur and Nakhichevan into Armenia and the "
    "withdrawal of our troops from these districts, accompanied by Armenia’s renunciation of claims to "
    "Karabakh. RGASPI, f. 64, op. 1, d. 21, p. 136. Copy. (Emphasis added – Y.B.)",  # (its tail)
    "No. 555",
    "Article XIV <…>",
    "Transmitted by telegraph on august 24, 1921 no. 6781",
    "The following reply was received to this note from Yusuf Kemal on 28 august 1921:",
    C000_39,
    "Yuri Barsegov “Nagorno-Karabakh in International Law and Global Politics”",
    # (page-split body paragraph starting with a plural type word)
    "Notes of January 22, 1937 to Turkey's note on the entry into force of the convention on the regime "
    "of the straits of November 9, 1936, informed that Aras had told him that he also considered it "
    "necessary to give a \"proper answer\" to the German note.",
])
def test_is_type_word_heading_rejects(paragraph: str) -> None:
    assert not is_type_word_heading(paragraph)


@pytest.mark.parametrize(("prev", "paragraph"), [
    (H000_25, C000_27), (H000_37, C000_39), (H000_68, C000_70),
])
def test_plain_heading_continuation(prev: str, paragraph: str) -> None:
    assert is_plain_heading_continuation(prev, paragraph)


@pytest.mark.parametrize(("prev", "paragraph"), [
    # heading already dated → the next paragraph is body text
    (H000_88, "By order of the Revolutionary Military Council Headquarters, I report that according to the "
              "Caucasian Front Headquarters, the Turkish regiment dispatched to Gerusy and Nakhichevan reached "
              "Karakilisa (25 versts west of Gerusy) in combat on 5 November, where it engaged significantly "
              "superior enemy forces."),
    (H000_88, C000_39),
    # body paragraph (first sentence)
    (H000_37, "<…> In our relations with Armenia* and Georgia, we must never forget that, with a new turn of "
              "the historical wheel, these countries may prove necessary to us as barriers against the "
              "expansionist policies of Turkish nationalists who have changed sides."),
])
def test_not_plain_heading_continuation(prev: str, paragraph: str) -> None:
    assert not is_plain_heading_continuation(prev, paragraph)


# --------------------------------------------------------------------------------------------
# parse_heading
# --------------------------------------------------------------------------------------------

def test_parse_title_case_full_heading() -> None:
    p = _parts(H000_88)
    assert p["type"] == "telegram" and p["excerpt"] is False
    assert p["sender"] == "the Chief of the Operational Council of the Field Headquarters of the RVSR, B. Shaposhnikov"
    assert p["addressee"] == ("the Deputy Chairman of the Revolutionary Military Council of the Republic, "
                              "E. Sklyansky")
    assert p["copy_to"] == "the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin"
    assert p["topic"] == "On the Participation of a Turkish Regiment in Combat Operations Against Armenia in Zangezur"
    assert p["tail"] == "Urgent. Secret. Moscow, 8 November 1920"
    assert p["place"] == "Moscow" and p["date"] == "8 November 1920"


def test_parse_title_case_time_and_capitalised_topic() -> None:
    text = ("Telegram from I. Stalin to V. Lenin Outlining Political Arguments Against Settling the Territorial "
            "Dispute Between Soviet Azerbaijan and the Republic of Armenia Based on Retaining Nakhichevan for "
            "Armenia Baku, 5 November 1920, 22:15")
    p = _parts(text)
    assert (p["sender"], p["addressee"]) == ("I. Stalin", "V. Lenin")
    assert p["topic"].startswith("Outlining Political Arguments") and p["topic"].endswith("for Armenia")
    assert p["tail"] == "Baku, 5 November 1920, 22:15"


def test_parse_title_case_lower_case_on_topic() -> None:
    text = ("Letter from the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin, to the "
            "Plenipotentiary Representative B. Legran on the Political Motives Behind the Soviet Government’s "
            "Postponement of a Decision Regarding the Status of Disputed Territories 29 October 1920")
    p = _parts(text)
    assert p["sender"] == "the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin"
    assert p["addressee"] == "the Plenipotentiary Representative B. Legran"
    assert p["topic"].startswith("on the Political Motives")
    assert p["tail"] == "29 October 1920"


def test_parse_title_case_topic_with_inner_date() -> None:  # "Dated 23 October 1920" stays in the topic
    text = ("Telegram from the Caucasian Front Headquarters to the Command of the 11th Red Army, Conveying the "
            "Contents of a Telegram from the Chief of Staff of the Revolutionary Military Council of the "
            "Republic, Lebedev, Dated 23 October 1920, Prohibiting the Deployment of Muslim Units in "
            "Territories Disputed Between Armenia and Azerbaijan 29 October 1920")
    p = _parts(text)
    assert (p["sender"], p["addressee"]) == ("the Caucasian Front Headquarters", "the Command of the 11th Red Army")
    assert p["topic"].startswith("Conveying the Contents") and "Dated 23 October 1920" in p["topic"]
    assert p["tail"] == "29 October 1920"


def test_parse_title_case_split_heading_joined() -> None:
    p = _parts(H000_25 + "\n\n" + C000_27)
    assert p["sender"] == "the Chief of the Operational Council of the Field Headquarters of the RVSR, Garf"
    assert p["addressee"] == "the People’s Commissar for Foreign Affairs G. Chicherin"
    assert p["topic"].startswith("Including the text of a telegram from the Chief of Staff")
    assert p["tail"] == "Moscow, 2 November 1920"


def test_parse_title_case_record_between() -> None:
    text = ("Record of a Direct-Line Conversation Between the People’s Commissar for Foreign Affairs of the RSFSR, "
            "G. Chicherin, and the Plenipotentiary Representative in Armenia, B. Legran On Stalin’s Rejection of "
            "the Draft Treaty with Armenia and the Decision to Leave the Status of Zangezur and Nakhichevan—and "
            "Therefore Karabakh—Unresolved Baku, 7 November 1920")
    p = _parts(text)
    assert p["type"] == "record" and p["sender"] is None
    assert p["participants"] == ["the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin",
                                 "the Plenipotentiary Representative in Armenia, B. Legran"]
    assert p["topic"].startswith("On Stalin’s Rejection")
    assert p["tail"] == "Baku, 7 November 1920"


def test_parse_title_case_excerpts_and_special_types() -> None:
    p = _parts("From a Letter by the People’s Commissar for Foreign Affairs of the RSFSR, G. Chicherin, to the "
               "Plenipotentiary Representative in Armenia, B. Legran, on the Potential Role of Armenia as a "
               "Barrier Against Possible Expansionist Policies of the Kemalists 3 November 1920")
    assert (p["type"], p["excerpt"]) == ("letter", True)
    assert p["addressee"] == "the Plenipotentiary Representative in Armenia, B. Legran"
    p = _parts(H000_68)
    assert p["type"] == "memorandum"
    assert p["sender"] == "the Plenipotentiary Representative of the RSFSR in Armenia, B. Legran"
    p = _parts(H000_94)
    assert p["type"] == "transmission"
    assert p["sender"].endswith("Caucasian Front, G. Ordzhonikidze")
    assert p["addressee"] == "Member of the Revolutionary Military Council of the Caucasian Front, V. Trifonov"
    assert p["topic"].startswith("On Preparations")
    p = _parts("First Addendum to the Draft Peace Treaty between the RSFSR and the Republic of Armenia")
    assert p["type"] == "addendum" and p["addressee"] is None and p["tail"] is None


def test_parse() -> None:
    p = _parts(H001_11)
    assert (p["type"], p["sender"]) == ("note", "the plenipotentiary representative of the RSFSR in Turkey")
    assert p["addressee"] == ("the commissioner for foreign affairs of the government of the grand national "
                              "assembly of Turkey, Yusuf Kemal")
    p = _parts("G. V. Chicherin to I. V. Stalin")
    assert (p["type"], p["sender"], p["addressee"]) == ("letter", "G. V. Chicherin", "I. V. Stalin")
    p = _parts(H004_11)
    assert (p["type"], p["excerpt"]) == ("report", True)
    assert p["sender"] == "the Peopleʹs Commissar for Foreign Affairs of the RSFSR G.V. Chicherin"
    assert p["date"] == "June 17, 1920" and p["tail"] is None  # "on <date>" belongs to the title


@pytest.mark.parametrize(("text", "sender", "addressee"), [
    # "in the NKID" = to the NKID
    ("**Telegram of the plenipotentiary representative of the USSR in the Turkish republic A.V. Terentyev in "
     "the NKID of the USSR**",
     "the plenipotentiary representative of the USSR in the Turkish republic A.V. Terentyev", "the NKID of the USSR"),
    # "in the people's commissariat"
    ("**Telegram of the advisor of the plenipotentiary representation of the USSR in Germany Semenova in the "
     "people's commissariat for foreign affairs of the USSR**",
     "the advisor of the plenipotentiary representation of the USSR in Germany Semenova",
     "the people's commissariat for foreign affairs of the USSR"),
    # "to" inside the addressee's office
    ("**Note of the people's commissar for foreign affairs of the RSFSR to the ambassador of Turkey to the "
     "RSFSR Ali Fuad.**",
     "the people's commissar for foreign affairs of the RSFSR", "the ambassador of Turkey to the RSFSR Ali Fuad"),
    # "from Baku" is a place
    ("**Telegram from Baku, a member of the Revolutionary Military Council of the Caucasian Front to the "
     "Plenipotentiary Representative of the RSFSR in Armenia B.V. Legrand**",
     "a member of the Revolutionary Military Council of the Caucasian Front",
     "the Plenipotentiary Representative of the RSFSR in Armenia B.V. Legrand"),
    # footnote marker glued to the addressee
    ("**Telegram of the plenipotentiary representative of the USSR in the kingdom of Afghanistan k- a. "
     "Mikhailov in the NKID the USSR\\***",
     "the plenipotentiary representative of the USSR in the kingdom of Afghanistan k- a. Mikhailov",
     "the NKID the USSR"),
    # hard breaks inside both phrases
    ("**Telegram of the attorney of the USSR in the Turkish republic  \nVinogradov to V. M. Molotov, the "
     "people's commissar of foreign  \naffairs of the USSR**",
     "the attorney of the USSR in the Turkish republic  \nVinogradov",
     "V. M. Molotov, the people's commissar of foreign  \naffairs of the USSR"),
    # no type word
    ("**G. A. Astakhov to the people's commissariat of foreign affairs of the USSR**",
     "G. A. Astakhov", "the people's commissariat of foreign affairs of the USSR"),
    # "at the Lausanne Conference" belongs to the sender's office
    ("**Letter from the Chairman of the Russian-Ukrainian-Georgian delegation at the Lausanne Conference to "
     "the Deputy People's Commissar for Foreign Affairs of the RSFSR M. M. Litvinov**",
     "the Chairman of the Russian-Ukrainian-Georgian delegation at the Lausanne Conference",
     "the Deputy People's Commissar for Foreign Affairs of the RSFSR M. M. Litvinov"),
    # no addressee
    ("**Telegram of the plenipotentiary representative of the USSR in Turkey A.V. Terentyev**",
     "the plenipotentiary representative of the USSR in Turkey A.V. Terentyev", None),
])
def test_parse_bold_sender_addressee(text: str, sender: str, addressee: str | None) -> None:
    p = _parts(text)
    assert (p["sender"], p["addressee"]) == (sender, addressee)


def test_parse_bold_trailing_and_leading_dates() -> None:
    p = _parts("**Letter from the deputy people's commissar for foreign affairs of the USSR to the charge "
               "d'affaires of the USSR in Turkey, Ga Zalkind. December 14, 1937**")
    assert p["addressee"] == "the charge d'affaires of the USSR in Turkey, Ga Zalkind"
    assert p["date"] == "December 14, 1937" and p["tail"] == "December 14, 1937**"
    text = ("**Telegram of the USSR plenipotentiary representative in Turkey  \nKarakhan to the USSR people's "
            "commissariat of foreign affairs. 1  \nFebruary 1937**")  # date split by a hard break
    p = _parts(text)
    assert p["date"] == "1  \nFebruary 1937" and p["addressee"] == "the USSR people's commissariat of foreign affairs"
    p = _parts("**Telegram of the people's commissar for foreign affairs of the USSR to the people's commissariat "
               "for foreign affairs of the USSR, from Geneva. May 25, 1937**")
    assert p["addressee"] == "the people's commissariat for foreign affairs of the USSR"
    assert (p["place"], p["date"], p["tail"]) == ("Geneva", "May 25, 1937", "from Geneva. May 25, 1937**")
    p = _parts("**Telegram of the deputy people's commissar for foreign affairs of the USSR to the people's "
               "commissariat of foreign affairs of the USSR, from Ankara**")
    assert (p["place"], p["date"], p["tail"]) == ("Ankara", None, "from Ankara**")
    p = _parts("May 12, 1938, from **telegram of the plenipotentiary representative of the USSR in Great Britain "
               "to the people's commissariat of foreign affairs of the USSR \\***")
    assert (p["type"], p["excerpt"], p["date"], p["tail"]) == ("telegram", True, "May 12, 1938", None)
    assert p["addressee"] == "the people's commissariat of foreign affairs of the USSR"
    p = _parts("**November 6, 1920, from Stalin report delivered at a celebration meeting of the Baku "
               "Soviet**")
    assert (p["type"], p["excerpt"], p["sender"], p["date"]) == ("report", True, "Stalin", "November 6, 1920")


def test_parse_bold_conversations() -> None:
    p = _parts("**Recording of the conversation of the USSR plenipotentiary representative in Turkey with the "
               "minister of foreign affairs of Turkey Aras and the minister of internal affairs of Turkey Shukru "
               "Kaya. June 18, 1937**")
    assert p["type"] == "record"
    assert p["participants"] == ["the USSR plenipotentiary representative in Turkey",
                                 "the minister of foreign affairs of Turkey Aras",
                                 "the minister of internal affairs of Turkey Shukru Kaya"]
    assert p["date"] == "June 18, 1937"
    p = _parts("**From: conversation between the 1st counselor of the USSR embassy in Germany m. G. Tikhomirov "
               "and the representative of the German air force m. F. Kleis**")
    assert (p["type"], p["excerpt"]) == ("conversation", True)
    assert p["participants"] == ["the 1st counselor of the USSR embassy in Germany m. G. Tikhomirov",
                                 "the representative of the German air force m. F. Kleis"]
    p = _parts("**From: conversation of the general secretary Stalin with the ambassador of Great Britain in the "
               "USSR Cripps in the Kremlin**")
    assert p["participants"] == ["the general secretary Stalin", "the ambassador of Great Britain in the USSR Cripps"]
    text = ("**Record of the conversation of the secretary general of the cc CPSU (b)  \nStalin and the people's "
            "commissioner of foreign affairs of the USSR  \nV. M. Molotov with the minister of foreign affairs "
            "of Turkey  \nSaracoglu \\***")
    assert _parts(text)["participants"] == [
        "the secretary general of the cc CPSU (b)  \nStalin",
        "the people's commissioner of foreign affairs of the USSR  \nV. M. Molotov",
        "the minister of foreign affairs of Turkey  \nSaracoglu"]
    p = _parts("**Talk of the plenipotentiary representative of the USSR in the kingdom of Afghanistan Mikhailov "
               "with the ambassador of Turkey in Afghanistan Esendalem**")
    assert p["type"] == "conversation" and len(p["participants"]) == 2


def test_parse_bold_other_types() -> None:
    p = _parts("**Treaty between Russia and Turkey, article no. 598.**")
    assert (p["type"], p["participants"]) == ("treaty", ["Russia", "Turkey"])
    p = _parts("**The treaty of friendship between the Armenian SSR, the Azerbaijan SSR and the Georgian SSR, on "
               "the one hand, and Turkey, on the other, concluded with the participation of the RSFSR in Kars "
               "\\***")
    assert p["participants"] == ["the Armenian SSR, the Azerbaijan SSR and the Georgian SSR", "Turkey"]
    p = _parts("**Agreement on the repatriation of prisoners of war and civilian internees concluded between the "
               "government of the Ukrainian Soviet socialist republic and the government of the Turkish grand "
               "national assembly.**")
    assert p["type"] == "agreement"
    assert p["topic"] == "the repatriation of prisoners of war and civilian internees"
    assert p["participants"] == ["the government of the Ukrainian Soviet socialist republic",
                                 "the government of the Turkish grand national assembly"]
    p = _parts("**Statement of the Soviet government of respect for the territorial invalidity of the Turkish "
               "republic**")
    assert (p["type"], p["sender"]) == ("statement", "the Soviet government")
    assert p["topic"] == "respect for the territorial invalidity of the Turkish republic"
    p = _parts("**Report of the Soviet press on the signing of the convention on the procedure for consideration "
               "and resolution of border incidents and conflicts between the USSR and Turkey. July 16, "
               "1937.**")
    assert (p["type"], p["sender"], p["date"]) == ("report", "the Soviet press", "July 16, 1937")
    assert p["topic"].startswith("the signing of the convention") and p["topic"].endswith("the USSR and Turkey")
    p = _parts("**Some] dir [ekti] you to burl [inn] ride \\***")
    assert (p["type"], p["topic"]) == ("directive", "burl [inn] ride")
    p = _parts("**February 26, 1921 , the speech at the opening of the Moscow conference on the conclusion of "
               "the Soviet-Turkish treaty was delivered on February 26, 1921 by the head of the Soviet "
               "delegation G.V. Chicherin.**")
    assert (p["type"], p["sender"], p["date"]) == (
        "speech", "the head of the Soviet delegation G.V. Chicherin", "February 26, 1921")
    p = _parts("**From: political letter of the plenipotentiary of the USSR  \nrepresentation in Germany**")  # 4713
    assert (p["type"], p["excerpt"], p["sender"]) == (
        "letter", True, "the plenipotentiary of the USSR  \nrepresentation in Germany")
    p = _parts("**From the diary of the plenipotentiary representative of the USSR in the kingdom of Bulgaria "
               "Lavrishchev**")
    assert (p["type"], p["excerpt"]) == ("diary", True)
    assert p["sender"] == "the plenipotentiary representative of the USSR in the kingdom of Bulgaria Lavrishchev"
    p = _parts("**From Annual report of the People's Commissariat of Foreign Affairs  \nof the RSFSR to the VIII "
               "Congress of Soviets for 1919-1920  \nDecember 22-29, 1920**")
    assert p["sender"] == "the People's Commissariat of Foreign Affairs  \nof the RSFSR"
    assert p["addressee"] == "the VIII Congress of Soviets" and p["date"] == "December 22-29, 1920"


def test_parse_non_heading_and_vocabulary() -> None:
    h = parse_heading("Natsarenus")
    assert h == Heading("other", False, None, None, [], None, None)
    for text in HEADINGS_003 + [H000_25, H000_68, H000_88, H000_94, H001_11, H004_11]:
        assert parse_heading(text).doc_type in DOC_TYPES


# --------------------------------------------------------------------------------------------
# regression over the real book source (PHENOMENA §2.4: 183 headings, 4 continued headings)
# --------------------------------------------------------------------------------------------

def _paragraphs(path: Path) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    cur: list[str] = []
    start = 0
    for no, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.strip():
            if not cur:
                start = no
            cur.append(line)
        elif cur:
            out.append((start, "\n".join(cur)))
            cur = []
    if cur:
        out.append((start, "\n".join(cur)))
    return out


def test_bold_heading_count_of_the_converted_book() -> None:
    paths = sorted(SOURCES.glob("003_*.txt"))
    if not paths:
        pytest.skip("sources/003 not present")
    paras = [(no, t) for no, t in _paragraphs(paths[0]) if no > 428]
    heads = [i for i, (_, t) in enumerate(paras) if is_bold_heading(t)]
    assert len(heads) == 183
    continued = []
    for i in heads:
        acc, j = paras[i][1], i + 1
        while is_bold_heading_continuation(acc, paras[j][1]):
            continued.append(paras[j][0])
            acc += "\n\n" + paras[j][1]
            j += 1
    assert continued == [978, 2834, 2836, 3209, 4068]
