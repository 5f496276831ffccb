"""Tests for pipeline.recognise.structure — every snippet is verbatim from sources/ (file:line)."""

from __future__ import annotations

import pytest

from pipeline.recognise.structure import (
    article_heading,
    closing_formula,
    closing_span,
    distribution_line,
    dots_only,
    list_item,
    list_labels,
    postscript,
    recorder_line,
    reply_intro,
    salutation,
    separator,
    signature,
    signature_prefix,
    speaker_label,
    speaker_turns,
)

# --------------------------------------------------------------------------------------------
# salutation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [
    "Lord commissioner,",
    "“Mr. Plenipotentiary representative,",
    "Mr. Commissioner,",
    "Comrade Stalin.",                       # address line
    "Dear comrade,",
    '"Mr. Commissioner,',
    "Mr. Chairman,",
    '"Mr. Representative,',
    "Mr. Ambassador,",
    "Lord ambassador,",
])
def test_salutation(p: str) -> None:
    assert salutation(p)


@pytest.mark.parametrize("p", [
    "Karakhan,",                                                # signature with a comma
    "Comrade Chumakova was present at the conversation.",
    "Comrade Stalin turns to the question of Turkey.",
    "Mr. Saracoglu can reply that we have a reservation of the order that Turkish commitments",
    "There is no print. By apx,",
    "Please accept, Mr. Commissioner, the assurance of my highest consideration.",
])
def test_not_salutation(p: str) -> None:
    assert not salutation(p)


# --------------------------------------------------------------------------------------------
# closing formula
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [
    "Please accept, Mr. Commissioner, the assurance of my highest consideration.",
    "Please accept, Mr. Plenipotentiary representative, the assurances of my highest consideration. ʺ",
    "Please accept the assurance of perfect respect for you.",
    "While waiting for your answer, please accept, Mr. Commissioner, the assurance of my highest "
    "consideration. ʺ",
    "With communist greetings [Chicherin].",
    "With communist greetings",
    "With comradely greetings",
    "Please accept, Mr. Commissioner, the assurance of my sincere respect.  \n\"",
    "I take this opportunity to express to you, lord commissioner, the assurance of my utmost respect.",
    "Waiting for an early reply, I ask you, Mr. Commissioner, to accept the assurances of my deepest "
    "respect. \"",
    "Long live revolutionary Turkey!",
])
def test_closing_formula(p: str) -> None:
    assert closing_formula(p)


P1333 = ("We ask you to wire about your agreement to admit this representative to Artvin. Please accept the "
         "assurances of my utmost respect,")
P2020 = ("I have received with gratitude a copy of the protest that you have deigned to send to all governments "
         "against the atrocities committed by the Greeks in Asia minor, and which is proof of the high humane "
         "feelings that inspire the Soviet government. On this occasion, I express my warmest gratitude to the "
         "Soviet government on behalf of the people and the government of Turkey, and I ask you to accept, Mr. "
         "Commissioner, the assurances of my highest esteem. \"")


@pytest.mark.parametrize("p", [
    P1333, P2020,
    "My government, however, rejects angora as a place to convene the conference because of the difficulty "
    "of telegraph communication with this city and the martial law, and expresses the wish that the "
    "conference be held in Kars, the city you yourself proposed earlier.",
    "I asked Apaydin to thank Ankara for the assurances. At the same time, I said that not only from Paris, "
    "but also from other capitals, we are receiving information",
    "Natsarenus",
])
def test_not_closing_formula(p: str) -> None:
    assert not closing_formula(p)


def test_closing_span_inside_body() -> None:
    s = closing_span(P1333)
    assert s is not None and P1333[s[0]:s[1]] == "Please accept the assurances of my utmost respect,"
    s = closing_span(P2020)
    assert s is not None
    assert P2020[s[0]:s[1]].startswith("On this occasion, I express my warmest gratitude")
    assert P2020[s[0]:s[1]].endswith("the assurances of my highest esteem.")
    assert closing_span("Natsarenus") is None


# --------------------------------------------------------------------------------------------
# signature
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [
    "Natsarenus",
    "Peopleʹs commissar for foreign affairs",
    "Mravyan",
    "People's commissioner for foreign affairs",
    "Chicherin",
    "*Georgy Chicherin.*",
    "*Dr. Riza Noor .Ali Fuad.*",
    "Representative of the people's commissariat of the RSFSR",
    "P. Mdivani",
    "Pre-revolutionary committee",
    "I. Narimanov",
    "Narkomindel",
    "D, Huseynov",
    "[Chicherin]",
    "A. Mravyan Kazim Karabekir",                   # flattened two-column signatories
    "B. Shahtakhtiisky mukhtar",
    "*Jelal korkmasov.*",                           # surname lower-cased, no initial
    "In Turkey",                                    # place line of "Charge d'affaires of the USSR"
    "Karakhan,",
    "*M. Karsky*",
    "Plenipotentiary",
    "Chargé d'affaires",
    "[temporary] charge d'affaires of the USSR in Turkey",
    "Plenipotentiary of the USSR in Turkey a. Terentyev",
    "V.M [olotov]",
    "A. Vyshinsky",
])
def test_signature(p: str) -> None:
    assert signature(p)


@pytest.mark.parametrize("p", [
    "Top secret",
    "Secret",
    "*Immediately*",
    "Special folder",
    "May",                                          # stray date fragment
    "And",                                          # stray word
    "USSR affairs",                                 # heading continuation
    "Territory of Nakhichevan",
    "Saracoglu ismet was not invited.",
    "Atatürk was clearly very pleased.",
    "Molotov from Stalin",                          # telegram address line
    "Union of Soviet United Kingdom",
    "Print. By architect.",
    "Comrade Stalin.",
    "Mr. Ambassador,",
    "How is Hess doing?",
    "Harriman: you can.",
    "**1941**",
    "#### Article 7",
    "No. 555",
    "The conversation ended there.",
    "We advise:",
])
def test_not_signature(p: str) -> None:
    assert not signature(p)


@pytest.mark.parametrize(("p", "archive", "expected"), [
    ("O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145.", "avp rf", "O. Nikitnikova"),
    ("Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, on. 64, d.675, l. 21-30. "
     "Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73.", "archive of",
     "Recorded by v. Pavlov"),
    ("Recorded subcerob of the rf wua, f.ob, op. 2, p.z, d.19, l.50-57.", "rf wua", "Recorded subcerob"),
    ("Recorded subcerob of wua rf, f.ob, op. 2, p.z, d.19, l.10-14.", "wua rf", "Recorded subcerob"),
    ("Charge d'affaires of the RF WUA, f. 059, on. 1, p. 294, d. 2036, l. 131-132.", "RF WUA",
     "Charge d'affaires"),
    ("Plenipotentiary of wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.", "wua rf", "Plenipotentiary"),
    ("Surits\\ avp rf, f 059. On 1, p. 302, d 2090. L 45-46", "avp rf", "Surits"),
    ("Vinogradov , Avp rf, f. 059, on. 1, p. 314, d. 2162, l. 59-60.", "Avp rf", "Vinogradov"),
    ("I. Maisky avprf, f.059, op.24, p.70, d.43, l.132-137.", "avprf", "I. Maisky"),
    ("Plenipotentiary representative of the USSR in Germany Dekanozov avprf, f. 082, on. 24, p. 105, db, l. "
     "75-76.", "avprf", "Plenipotentiary representative of the USSR in Germany Dekanozov"),
])
def test_signature_prefix(p: str, archive: str, expected: str) -> None:
    span = signature_prefix(p, p.index(archive))
    assert span is not None and p[span[0]:span[1]] == expected


def test_signature_prefix_rejects_body_and_bare_citation() -> None:
    p = "Avp rf, f. 071, on. 22, p. 192, d. 7, l. 72-75."
    assert signature_prefix(p, 0) is None
    # (tail): body text before the citation is no signature
    p = ("Armenia’s conditions: first, the incorporation of Zangezur and Nakhichevan into Armenia and the "
         "withdrawal of our troops from these districts, accompanied by Armenia’s renunciation of claims to "
         "Karabakh. RGASPI, f. 64, op. 1, d. 21, p. 136. Copy. (Emphasis added – Y.B.)")
    assert signature_prefix(p, p.index("RGASPI")) is None


# --------------------------------------------------------------------------------------------
# speaker labels
# --------------------------------------------------------------------------------------------


def _label(p: str) -> tuple[str, str] | None:
    r = speaker_label(p)
    return None if r is None else (p[r[0]:r[1]], p[r[2]:])


@pytest.mark.parametrize(("p", "name", "text"), [
    ("**Stalin:** yes, good.", "Stalin", "yes, good."),
    ("Beaverbrook: hand grenades?", "Beaverbrook", "hand grenades?"),
    ("Beaverbrook and Harriman: yes.", "Beaverbrook and Harriman", "yes."),
    ("**Saracoglu** - I will gladly answer your questions. However, won't comrade Molotov be able to tell "
     "me something about the Soviet-Turkish mutual assistance pact?", "Saracoglu",
     "I will gladly answer your questions. However, won't comrade Molotov be able to tell me something "
     "about the Soviet-Turkish mutual assistance pact?"),
    ("**Comrade Stalin** — I would like to ask you to thank the president for the good memory of us. How is "
     "Ismet's health?", "Comrade Stalin",
     "I would like to ask you to thank the president for the good memory of us. How is Ismet's health?"),  # 3370
    ("**Beaverbrook** (throwing up his hands): it's absolutely impossible.", "Beaverbrook",
     "it's absolutely impossible."),
    ("**Comrade Stalin.** - so, the translation is not going to the consultation?", "Comrade Stalin",
     "so, the translation is not going to the consultation?"),
    ("**Comrade Stalin** — (remark) —it is not necessary to ask. This is not a rebuke.", "Comrade Stalin",
     "it is not necessary to ask. This is not a rebuke."),
    ("Stalin: Now, regarding Azerbaijan.", "Stalin", "Now, regarding Azerbaijan."),
])
def test_speaker_label(p: str, name: str, text: str) -> None:
    assert _label(p) == (name, text)


def test_speaker_label_glued_dash() -> None:  # "**Comrade Molotov**- now …" (start)
    p = "**Comrade Molotov**- now let's get down to business. We got acquainted with the draft"
    assert _label(p) == ("Comrade Molotov", "now let's get down to business. We got acquainted with the draft")


def test_stage_direction_between_label_and_text() -> None:
    p = "**Beaverbrook** (throwing up his hands): it's absolutely impossible."
    r = speaker_label(p)
    assert r is not None and "(throwing up his hands)" in p[r[1]:r[2]]


@pytest.mark.parametrize("p", [
    "Note: “via the duty political controller.” Message No. 3 …** For orientation:",
    "Saracoglu answers - Provides historical information.",
    "**Sent to comrade Molotov, comrade Vyshinsky**",
    "**Now after that, the changed situation affected Georgia as well.** This is one of the most "
    "sensitive knots of world politics",
    "Publ.: Soviet-English relations ... - t. 1. - p. 77-81.",
    "We advise:",
    "- maybe, maybe, - Aktay answers.",
    "**Article I.**",
])
def test_not_speaker_label(p: str) -> None:
    assert speaker_label(p) is None


def test_speaker_turns_two_in_one_line() -> None:
    p = "Stalin: how much? Harriman: I'll have to ask."
    assert [(p[a:b], p[c:]) for a, b, c in speaker_turns(p)] == [
        ("Stalin", "how much? Harriman: I'll have to ask."), ("Harriman", "I'll have to ask.")]


def test_speaker_turns_with_bracketed_names() -> None:
    p = ("L[egran]: I await your response to the memorandum. Ch[icherin]: Stalin’s cipher No. 164 has not yet "
         "been decrypted. L[egran]: Comrade Chicherin, I am requesting a response to my memorandum, not to "
         "Stalin’s cipher.")
    assert [p[a:b] for a, b, _ in speaker_turns(p)] == ["L[egran]", "Ch[icherin]", "L[egran]"]
    p = ("(Gelman): On the line—Operational Commissar and Secretary of the Revolutionary Military Council, "
         "Gelman. By order of Comrade Trifonov, please explain the situation. (Mirazbekyan): Receive and "
         "transmit the memorandum to Secretary Comrade Trifonov.")
    assert [p[a:b] for a, b, _ in speaker_turns(p)] == ["(Gelman)", "(Mirazbekyan)"]


def test_speaker_turns_ignores_example_colon() -> None:  # "Example:" is not a speaker
    p = ("**Comrade Stalin** - when you are dealing with the French and the British, **you need to remember "
         "that** these are people **who fulfill their obligations only when it is beneficial to them**, and do "
         "not fulfill their obligations when it is not beneficial to them. Example: Czechoslovakia, Poland, etc.")
    assert [p[a:b] for a, b, _ in speaker_turns(p)] == ["Comrade Stalin"]


def test_speaker_turns_needs_opening_label() -> None:
    assert speaker_turns("Saracoglu answers - Provides historical information.") == []


# --------------------------------------------------------------------------------------------
# distribution, recorder, reply intro
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [
    "Sent to comrade Molotov, comrade Dekanozov, gen. Secretariat",
    "Sent to comrade Molotov, Dekanozov, gen. Secretariat",
    "Sent to c. Stalin, c. Molotov, c. Voroshilov, c. Kaganovich, c. Mikoyan, c. Vyshinsky, c. Dekanozov, "
    "c. Lozovsky",
    "**Sent to comrade Stalin, comrade Molotov, comrade Vyshinsky, comrade Lozovsky, general secretariat**",  # 4914
    "Sent out to comrade Molotov, comrade Vyshinsky, general secretariat",
])
def test_distribution_line(p: str) -> None:
    assert distribution_line(p)


@pytest.mark.parametrize("p", [
    "Molotov from Stalin",
    "The ambassador came to me with the following questions:",
    "This note was sent in connection with the following note by Ahmet Mukhtar to Chicherin dated March "
    "21, 1921:",
])
def test_not_distribution_line(p: str) -> None:
    assert not distribution_line(p)


@pytest.mark.parametrize("p", [
    "The conversation was recorded by Semenov",
    "The conversation was recorded by b. Podtserob",
    "Recorded subcerob",
    "Recorded by v. Pavlov",
    "Recorded by Chumakova",
    "Translated by Maisky",
    "Comrade Chumakova was present at the conversation.",
    "Comrade Zhegalova was present during the conversation.",
    "The conversation lasted 1 hour and 45 minutes.",
    "The conversation lasted from 9 pm to midnight in the Ribbentrop bomb shelter.",
    "The meeting ended at 21:00. 00 minutes",
])
def test_recorder_line(p: str) -> None:
    assert recorder_line(p)


@pytest.mark.parametrize("p", [
    "The conversation ended there.",
    "Comrade Podtserob was present at the conversation. I must note that Aktay made an impression on me and "
    "comrade Podtserob of a person clearly \"not at ease\": when making a statement about border flights by "
    "our pilots, he was noticeably worried and stressed twice or more that such cases were observed by the "
    "USSR for the first time.",
    "Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, on. 64, d.675, l. 21-30. "
    "Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73.",                  # (split first)
    "Natsarenus",
])
def test_not_recorder_line(p: str) -> None:
    assert not recorder_line(p)


@pytest.mark.parametrize("p", [
    "The following reply was received to this note from Yusuf Kemal on 28 august 1921:",
    "To this note the following reply was received from Yusuf Kemal on august 30, 1921:",
    "This note was sent in connection with the following note by Ahmet Mukhtar to Chicherin dated March "
    "21, 1921:",
    "To this note, Ali Fuad received a reply from April 10, 1921, no. 280, which, in particular, said:",
    "In the mentioned memorandum of august 4, 1921, in particular, it was said:",
    "In connection with the published note of the people's commissariat of foreign affairs of the RSFSR, "
    "Turkish ambassador to the RSFSR Ali Fuad sent Chicherin the following note dated October 26, 1921:",  # 2016
    "In his speech G.V. Chicherin, in particular, said:",
    "On March 9, 1937, the Turkish government sent a note to the German embassy in Ankara, which, in "
    "particular, said:",
    "In response to this note, the following note by Yusuf Kemal dated September 27, 1921 was sent to the "
    "plenipotentiary representative of the RSFSR in Turkey:",
    # the quoted letter starts on the intro's line with its salutation
    'In the mentioned letter of Yusuf Kemal no. 2874 dated September 18, 1921 it was said: "Mr. '
    'Plenipotentiary representative.',
])
def test_reply_intro(p: str) -> None:
    assert reply_intro(p)


# , verbatim
P774 = ('In a speech in response, delivered in Turkish, the head of the Turkish delegation, Yusuf Kemal,'
        ' said: "In his speech, Mr. Commissioner praised the Turkish working people and Turkish soldiers'
        ' who are fighting for the independence of their homeland. I give him endless gratitude for this'
        '. At the same time, it is necessary to express praise to the Russian people and the Red Army.')


@pytest.mark.parametrize("p", [
    "On behalf of the government of the union of Soviet socialist republics, in response to your note dated "
    "October 29, this year, I have the honor to state the following:",
    "The draft agreement presented by Cripps read:",
    "In addition, Saracoglu requested that the second message of the Turkish government be brought to the "
    "attention of Moscow as follows:",
    "The ambassador begins the conversation by suggesting that the chairman of the Soviet government is "
    "already aware of what he has come to talk about. The ambassador states the following:",
    "I hasten to inform you of the translation of the telegram I have just received, comrade Chicherin, "
    "people's commissariat of the RSFSR:",
    "These principles are as follows:",
    # a quotation (not a salutation) follows the colon on the same line
    P774,
    'Shumenkovich said: "this is impossible for England, since she does not have a sufficient army for this."',

    "Note: “via the duty political controller.” Message No. 3 …** For orientation:",
    # a note text split by a page break, joined
    "[1] this refers to the speech of Turkish president Kemal Ataturk, delivered on November 1, 1936 at the "
    "opening of the session of the Mejlis, in which he, speaking about the significance of the conclusion of a "
    "convention on the regime of the straits, said:",
])
def test_not_reply_intro(p: str) -> None:
    assert not reply_intro(p)


# --------------------------------------------------------------------------------------------
# articles, lists, small blocks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "expected"), [
    ("**Article I.**", ("article", "I")),
    ("#### **Article ii.**", ("article", "II")),
    ("**Article iv .**", ("article", "IV")),
    ("**Article the v .**", ("article", "V")),
    ("#### Article I", ("article", "I")),
    ("Article xii", ("article", "XII")),
    ("#### Article 1", ("article", "1")),
    ("#### Article 4.", ("article", "4")),
    ("Article 5.", ("article", "5")),
    ("Article XIV <…>", ("article", "XIV")),
    ("**Appendix I (a).**", ("annex", "I (a)")),
    ("## **appendix I (b).**", ("annex", "I (b)")),
    ("## **Appendix I**", ("annex", "I")),
    ("## Annex ii", ("annex", "II")),
    ("### **Appendix iii**", ("annex", "III")),
    ("Appendix iv: map.", ("annex", "IV")),
    ("#### Application", ("annex", "")),
    ("#### § 1", ("section", "1")),
    ("#### Section 2", ("section", "2")),
    ("### Section 3", ("section", "3")),
])
def test_article_heading(p: str, expected: tuple[str, str]) -> None:
    assert article_heading(p) == expected


@pytest.mark.parametrize("p", [
    "Article 4 is mistakenly indicated in the original.",
    "**Treaty between Russia and Turkey, article no. 598.**",
    "### I, zone Arpa-Chay",
    "#### 4. Violation of the border by the Turkish border soldiers themselves.",
    "**I. GENERAL PROVISION**",
    "A. Vyshinsky appendix",
])
def test_not_article_heading(p: str) -> None:
    assert article_heading(p) is None


def _label_text(p: str) -> str | None:
    s = list_item(p)
    return None if s is None else p[s[0]:s[1]]


@pytest.mark.parametrize(("p", "label"), [
    ("- 1) find out whether Bulgaria itself wants these guarantees from the Soviet Union,", "1)"),
    ("7) Abolition of the regime of capitulations and economic control by foreign states.", "7)"),
    ("  1. <…>\n  2. The situation in Turkey is unclear and may become dangerous if Kemal reaches an agreement "
     "with the Entente", "1."),
    ('A) either all together will agree to the Italian proposal and join the "anti-Comintern pact", or',
     "A)"),
    ("J) in Svalbard, our coal concession must be operated.", "J)"),
])
def test_list_item(p: str, label: str) -> None:
    assert _label_text(p) == label


@pytest.mark.parametrize("p", [
    "A. Vyshinsky",                                                  # signer
    "*1937 g 25 on May.*",                                           # dateline
    "#### 4. Violation of the border by the Turkish border soldiers themselves.",  # markdown heading
    "- maybe, maybe, - Aktay answers.",                              # dialogue dash
    "I. Narimanov",
    "*1937 g on May 14.*",
])
def test_not_list_item(p: str) -> None:
    assert list_item(p) is None


def test_list_labels_consecutive_lines() -> None:
    p = ("1. Show us that Turkey's policy towards the USSR remains unchanged, despite the rejection of the pact.\n"
         "2. To give additional comfort to Romania in connection with the Bulgarian-Yugoslav pact.\n"
         "3. Balance the Milan date.")
    assert [p[a:b] for a, b in list_labels(p)] == ["1.", "2.", "3."]


def test_postscript() -> None:
    assert postscript("P.s.: transferred on behalf of the instance.")
    assert postscript("P.s. It is interesting to note that at the time of the appearance of the warrior Ahmed khan "
                      "in the cinema (somewhat belated), everyone presents stood up as if on command.")
    assert not postscript("Print. By architect.")
    assert not postscript("Publ. into gas. Izvestia Jtè 123 (970), June 9, 1920")


def test_separator() -> None:
    assert separator("\\* \\* \\*")
    assert not separator("\\* see doc. No. 187")
    assert not separator("**1941**")


@pytest.mark.parametrize("p", [".....", "..", ".", "...", "...."])
def test_dots_only(p: str) -> None:
    assert dots_only(p)


@pytest.mark.parametrize("p", ["(...)", "[...] Then Saracoglu said", "", "Natsarenus"])
def test_not_dots_only(p: str) -> None:
    assert not dots_only(p)
