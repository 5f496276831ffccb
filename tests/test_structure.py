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
    "Lord commissioner,",                    # 001:15
    "“Mr. Plenipotentiary representative,",  # 001:27
    "Mr. Commissioner,",                     # 001:43
    "Comrade Stalin.",                       # 002:15 address line
    "Dear comrade,",                         # 002:17
    '"Mr. Commissioner,',                    # 003:998
    "Mr. Chairman,",                         # 003:1012
    '"Mr. Representative,',                  # 003:1030
    "Mr. Ambassador,",                       # 003:1052
    "Lord ambassador,",                      # 003:2076
])
def test_salutation(p: str) -> None:
    assert salutation(p)


@pytest.mark.parametrize("p", [
    "Karakhan,",                                                # 003:2090 signature with a comma
    "Comrade Chumakova was present at the conversation.",       # 003:4955
    "Comrade Stalin turns to the question of Turkey.",          # 003:4032
    "Mr. Saracoglu can reply that we have a reservation of the order that Turkish commitments",  # 003:3364 (start)
    "There is no print. By apx,",                               # 003:2828
    "Please accept, Mr. Commissioner, the assurance of my highest consideration.",  # 001:21
])
def test_not_salutation(p: str) -> None:
    assert not salutation(p)


# --------------------------------------------------------------------------------------------
# closing formula
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [
    "Please accept, Mr. Commissioner, the assurance of my highest consideration.",                  # 001:21
    "Please accept, Mr. Plenipotentiary representative, the assurances of my highest consideration. ʺ",  # 001:37
    "Please accept the assurance of perfect respect for you.",                                      # 001:77
    "While waiting for your answer, please accept, Mr. Commissioner, the assurance of my highest "
    "consideration. ʺ",                                                                             # 001:99
    "With communist greetings [Chicherin].",                                                        # 002:25
    "With communist greetings",                                                                     # 003:2042
    "With comradely greetings",                                                                     # 003:2265
    "Please accept, Mr. Commissioner, the assurance of my sincere respect.  \n\"",                 # 003:1216-1217
    "I take this opportunity to express to you, lord commissioner, the assurance of my utmost respect.",  # 003:1593
    "Waiting for an early reply, I ask you, Mr. Commissioner, to accept the assurances of my deepest "
    "respect. \"",                                                                                  # 003:1725
    "Long live revolutionary Turkey!",                                                              # 003:1102
])
def test_closing_formula(p: str) -> None:
    assert closing_formula(p)


P1333 = ("We ask you to wire about your agreement to admit this representative to Artvin. Please accept the "
         "assurances of my utmost respect,")  # 003:1333
P2020 = ("I have received with gratitude a copy of the protest that you have deigned to send to all governments "
         "against the atrocities committed by the Greeks in Asia minor, and which is proof of the high humane "
         "feelings that inspire the Soviet government. On this occasion, I express my warmest gratitude to the "
         "Soviet government on behalf of the people and the government of Turkey, and I ask you to accept, Mr. "
         "Commissioner, the assurances of my highest esteem. \"")  # 003:2020


@pytest.mark.parametrize("p", [
    P1333, P2020,
    "My government, however, rejects angora as a place to convene the conference because of the difficulty "
    "of telegraph communication with this city and the martial law, and expresses the wish that the "
    "conference be held in Kars, the city you yourself proposed earlier.",      # 001:19
    "I asked Apaydin to thank Ankara for the assurances. At the same time, I said that not only from Paris, "
    "but also from other capitals, we are receiving information",               # 003:2678 (start)
    "Natsarenus",                                                               # 001:23
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
    "Natsarenus",                                   # 001:23
    "Peopleʹs commissar for foreign affairs",       # 001:79
    "Mravyan",                                      # 001:81
    "People's commissioner for foreign affairs",    # 003:446
    "Chicherin",                                    # 003:448
    "*Georgy Chicherin.*",                          # 003:904
    "*Dr. Riza Noor .Ali Fuad.*",                   # 003:974
    "Representative of the people's commissariat of the RSFSR",  # 003:990
    "P. Mdivani",                                   # 003:992
    "Pre-revolutionary committee",                  # 003:1106
    "I. Narimanov",                                 # 003:1108
    "Narkomindel",                                  # 003:1110
    "D, Huseynov",                                  # 003:1112
    "[Chicherin]",                                  # 003:1241
    "A. Mravyan Kazim Karabekir",                   # 003:1891 flattened two-column signatories
    "B. Shahtakhtiisky mukhtar",                    # 003:1927
    "*Jelal korkmasov.*",                           # 003:926 surname lower-cased, no initial
    "In Turkey",                                    # 003:2640 place line of "Charge d'affaires of the USSR"
    "Karakhan,",                                    # 003:2090
    "*M. Karsky*",                                  # 003:2319
    "Plenipotentiary",                              # 003:2784
    "Chargé d'affaires",                            # 003:2804
    "[temporary] charge d'affaires of the USSR in Turkey",  # 003:3026
    "Plenipotentiary of the USSR in Turkey a. Terentyev",   # 003:3126
    "V.M [olotov]",                                 # 003:4328
    "A. Vyshinsky",                                 # 003:4262
])
def test_signature(p: str) -> None:
    assert signature(p)


@pytest.mark.parametrize("p", [
    "Top secret",                                   # 003:4326
    "Secret",                                       # 003:4306
    "*Immediately*",                                # 003:2570
    "Special folder",                               # 003:5998
    "May",                                          # 003:2826 stray date fragment
    "And",                                          # 003:4545 stray word
    "USSR affairs",                                 # 003:2836 heading continuation
    "Territory of Nakhichevan",                     # 003:1971
    "Saracoglu ismet was not invited.",             # 003:3008
    "Atatürk was clearly very pleased.",            # 003:2554
    "Molotov from Stalin",                          # 003:4483 telegram address line
    "Union of Soviet United Kingdom",               # 003:6076
    "Print. By architect.",                         # 001:53
    "Comrade Stalin.",                              # 002:15
    "Mr. Ambassador,",                              # 003:1052
    "How is Hess doing?",                           # 003:6288
    "Harriman: you can.",                           # 003:6228
    "**1941**",                                     # 003:5174
    "#### Article 7",                               # 003:1807
    "No. 555",                                      # 000:7
    "The conversation ended there.",                # 003:4318
    "We advise:",                                   # 003:4485
])
def test_not_signature(p: str) -> None:
    assert not signature(p)


@pytest.mark.parametrize(("p", "archive", "expected"), [
    ("O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145.", "avp rf", "O. Nikitnikova"),  # 003:3096
    ("Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, on. 64, d.675, l. 21-30. "
     "Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73.", "archive of",
     "Recorded by v. Pavlov"),                                                                       # 003:4399
    ("Recorded subcerob of the rf wua, f.ob, op. 2, p.z, d.19, l.50-57.", "rf wua", "Recorded subcerob"),  # 003:5108
    ("Recorded subcerob of wua rf, f.ob, op. 2, p.z, d.19, l.10-14.", "wua rf", "Recorded subcerob"),  # 003:5009
    ("Charge d'affaires of the RF WUA, f. 059, on. 1, p. 294, d. 2036, l. 131-132.", "RF WUA",
     "Charge d'affaires"),                                                                           # 003:3205
    ("Plenipotentiary of wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.", "wua rf", "Plenipotentiary"),  # 003:2928
    ("Surits\\ avp rf, f 059. On 1, p. 302, d 2090. L 45-46", "avp rf", "Surits"),                  # 003:3197
    ("Vinogradov , Avp rf, f. 059, on. 1, p. 314, d. 2162, l. 59-60.", "Avp rf", "Vinogradov"),     # 003:4064
    ("I. Maisky avprf, f.059, op.24, p.70, d.43, l.132-137.", "avprf", "I. Maisky"),              # 003:5146
    ("Plenipotentiary representative of the USSR in Germany Dekanozov avprf, f. 082, on. 24, p. 105, db, l. "
     "75-76.", "avprf", "Plenipotentiary representative of the USSR in Germany Dekanozov"),          # 003:5244
])
def test_signature_prefix(p: str, archive: str, expected: str) -> None:
    span = signature_prefix(p, p.index(archive))
    assert span is not None and p[span[0]:span[1]] == expected


def test_signature_prefix_rejects_body_and_bare_citation() -> None:
    p = "Avp rf, f. 071, on. 22, p. 192, d. 7, l. 72-75."  # 003:4679
    assert signature_prefix(p, 0) is None
    # 000:23 (tail): body text before the citation is no signature
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
    ("**Stalin:** yes, good.", "Stalin", "yes, good."),                                       # 003:6206
    ("Beaverbrook: hand grenades?", "Beaverbrook", "hand grenades?"),                          # 003:6200
    ("Beaverbrook and Harriman: yes.", "Beaverbrook and Harriman", "yes."),                    # 003:6354
    ("**Saracoglu** - I will gladly answer your questions. However, won't comrade Molotov be able to tell "
     "me something about the Soviet-Turkish mutual assistance pact?", "Saracoglu",
     "I will gladly answer your questions. However, won't comrade Molotov be able to tell me something "
     "about the Soviet-Turkish mutual assistance pact?"),                                      # 003:3304
    ("**Comrade Stalin** — I would like to ask you to thank the president for the good memory of us. How is "
     "Ismet's health?", "Comrade Stalin",
     "I would like to ask you to thank the president for the good memory of us. How is Ismet's health?"),  # 3370
    ("**Beaverbrook** (throwing up his hands): it's absolutely impossible.", "Beaverbrook",
     "it's absolutely impossible."),                                                           # 003:6168
    ("**Comrade Stalin.** - so, the translation is not going to the consultation?", "Comrade Stalin",
     "so, the translation is not going to the consultation?"),                                 # 003:3430
    ("**Comrade Stalin** — (remark) —it is not necessary to ask. This is not a rebuke.", "Comrade Stalin",
     "it is not necessary to ask. This is not a rebuke."),                                     # 003:3374
    ("Stalin: Now, regarding Azerbaijan.", "Stalin", "Now, regarding Azerbaijan."),            # 000:84 (start)
])
def test_speaker_label(p: str, name: str, text: str) -> None:
    assert _label(p) == (name, text)


def test_speaker_label_glued_dash() -> None:  # 003:3302 "**Comrade Molotov**- now …" (start)
    p = "**Comrade Molotov**- now let's get down to business. We got acquainted with the draft"
    assert _label(p) == ("Comrade Molotov", "now let's get down to business. We got acquainted with the draft")


def test_stage_direction_between_label_and_text() -> None:  # 003:6168
    p = "**Beaverbrook** (throwing up his hands): it's absolutely impossible."
    r = speaker_label(p)
    assert r is not None and "(throwing up his hands)" in p[r[1]:r[2]]


@pytest.mark.parametrize("p", [
    "Note: “via the duty political controller.” Message No. 3 …** For orientation:",   # 000:57
    "Saracoglu answers - Provides historical information.",                             # 003:3428
    "**Sent to comrade Molotov, comrade Vyshinsky**",                                   # 003:5132
    "**Now after that, the changed situation affected Georgia as well.** This is one of the most "
    "sensitive knots of world politics",                                                # 003:616 (start)
    "Publ.: Soviet-English relations ... - t. 1. - p. 77-81.",                          # 003:5956
    "We advise:",                                                                       # 003:4485
    "- maybe, maybe, - Aktay answers.",                                                 # 003:3889
    "**Article I.**",                                                                   # 003:808
])
def test_not_speaker_label(p: str) -> None:
    assert speaker_label(p) is None


def test_speaker_turns_two_in_one_line() -> None:  # 003:6230
    p = "Stalin: how much? Harriman: I'll have to ask."
    assert [(p[a:b], p[c:]) for a, b, c in speaker_turns(p)] == [
        ("Stalin", "how much? Harriman: I'll have to ask."), ("Harriman", "I'll have to ask.")]


def test_speaker_turns_000_bracketed_names() -> None:  # 000:78 (start)
    p = ("L[egran]: I await your response to the memorandum. Ch[icherin]: Stalin’s cipher No. 164 has not yet "
         "been decrypted. L[egran]: Comrade Chicherin, I am requesting a response to my memorandum, not to "
         "Stalin’s cipher.")
    assert [p[a:b] for a, b, _ in speaker_turns(p)] == ["L[egran]", "Ch[icherin]", "L[egran]"]
    p = ("(Gelman): On the line—Operational Commissar and Secretary of the Revolutionary Military Council, "
         "Gelman. By order of Comrade Trifonov, please explain the situation. (Mirazbekyan): Receive and "
         "transmit the memorandum to Secretary Comrade Trifonov.")  # 000:96 (start)
    assert [p[a:b] for a, b, _ in speaker_turns(p)] == ["(Gelman)", "(Mirazbekyan)"]


def test_speaker_turns_ignores_example_colon() -> None:  # 003:3404: "Example:" is not a speaker
    p = ("**Comrade Stalin** - when you are dealing with the French and the British, **you need to remember "
         "that** these are people **who fulfill their obligations only when it is beneficial to them**, and do "
         "not fulfill their obligations when it is not beneficial to them. Example: Czechoslovakia, Poland, etc.")
    assert [p[a:b] for a, b, _ in speaker_turns(p)] == ["Comrade Stalin"]


def test_speaker_turns_needs_opening_label() -> None:  # 003:3428
    assert speaker_turns("Saracoglu answers - Provides historical information.") == []


# --------------------------------------------------------------------------------------------
# distribution, recorder, reply intro
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [
    "Sent to comrade Molotov, comrade Dekanozov, gen. Secretariat",                        # 003:3899
    "Sent to comrade Molotov, Dekanozov, gen. Secretariat",                                # 003:3964
    "Sent to c. Stalin, c. Molotov, c. Voroshilov, c. Kaganovich, c. Mikoyan, c. Vyshinsky, c. Dekanozov, "
    "c. Lozovsky",                                                                         # 003:4639
    "**Sent to comrade Stalin, comrade Molotov, comrade Vyshinsky, comrade Lozovsky, general secretariat**",  # 4914
    "Sent out to comrade Molotov, comrade Vyshinsky, general secretariat",                 # 003:5383
])
def test_distribution_line(p: str) -> None:
    assert distribution_line(p)


@pytest.mark.parametrize("p", [
    "Molotov from Stalin",                                                                 # 003:4483
    "The ambassador came to me with the following questions:",                             # 003:4918
    "This note was sent in connection with the following note by Ahmet Mukhtar to Chicherin dated March "
    "21, 1921:",                                                                           # 003:996
])
def test_not_distribution_line(p: str) -> None:
    assert not distribution_line(p)


@pytest.mark.parametrize("p", [
    "The conversation was recorded by Semenov",                                            # 003:3710
    "The conversation was recorded by b. Podtserob",                                       # 003:3893
    "Recorded subcerob",                                                                   # 003:4096
    "Recorded by v. Pavlov",                                                               # 003:4605
    "Recorded by Chumakova",                                                               # 003:5793
    "Translated by Maisky",                                                                # 003:6554
    "Comrade Chumakova was present at the conversation.",                                  # 003:4955
    "Comrade Zhegalova was present during the conversation.",                              # 003:5475
    "The conversation lasted 1 hour and 45 minutes.",                                      # 003:4178
    "The conversation lasted from 9 pm to midnight in the Ribbentrop bomb shelter.",       # 003:4603
    "The meeting ended at 21:00. 00 minutes",                                              # 003:6552
])
def test_recorder_line(p: str) -> None:
    assert recorder_line(p)


@pytest.mark.parametrize("p", [
    "The conversation ended there.",                                                       # 003:4318
    "Comrade Podtserob was present at the conversation. I must note that Aktay made an impression on me and "
    "comrade Podtserob of a person clearly \"not at ease\": when making a statement about border flights by "
    "our pilots, he was noticeably worried and stressed twice or more that such cases were observed by the "
    "USSR for the first time.",                                                            # 003:5835
    "Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, on. 64, d.675, l. 21-30. "
    "Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73.",                  # 003:4399 (split first)
    "Natsarenus",                                                                          # 001:23
])
def test_not_recorder_line(p: str) -> None:
    assert not recorder_line(p)


@pytest.mark.parametrize("p", [
    "The following reply was received to this note from Yusuf Kemal on 28 august 1921:",   # 001:25
    "To this note the following reply was received from Yusuf Kemal on august 30, 1921:",   # 001:83
    "This note was sent in connection with the following note by Ahmet Mukhtar to Chicherin dated March "
    "21, 1921:",                                                                           # 003:996
    "To this note, Ali Fuad received a reply from April 10, 1921, no. 280, which, in particular, said:",  # 003:1078
    "In the mentioned memorandum of august 4, 1921, in particular, it was said:",          # 003:1687
    "In connection with the published note of the people's commissariat of foreign affairs of the RSFSR, "
    "Turkish ambassador to the RSFSR Ali Fuad sent Chicherin the following note dated October 26, 1921:",  # 2016
    "In his speech G.V. Chicherin, in particular, said:",                                  # 003:752
    "On March 9, 1937, the Turkish government sent a note to the German embassy in Ankara, which, in "
    "particular, said:",                                                                   # 003:2794
    "In response to this note, the following note by Yusuf Kemal dated September 27, 1921 was sent to the "
    "plenipotentiary representative of the RSFSR in Turkey:",                              # 003:1621
    # the quoted letter starts on the intro's line with its salutation
    'In the mentioned letter of Yusuf Kemal no. 2874 dated September 18, 1921 it was said: "Mr. '
    'Plenipotentiary representative.',                                                      # 003:1597
])
def test_reply_intro(p: str) -> None:
    assert reply_intro(p)


# 003:774, verbatim
P774 = ('In a speech in response, delivered in Turkish, the head of the Turkish delegation, Yusuf Kemal,'
        ' said: "In his speech, Mr. Commissioner praised the Turkish working people and Turkish soldiers'
        ' who are fighting for the independence of their homeland. I give him endless gratitude for this'
        '. At the same time, it is necessary to express praise to the Russian people and the Red Army.')


@pytest.mark.parametrize("p", [
    "On behalf of the government of the union of Soviet socialist republics, in response to your note dated "
    "October 29, this year, I have the honor to state the following:",                     # 003:4186
    "The draft agreement presented by Cripps read:",                                       # 003:5861
    "In addition, Saracoglu requested that the second message of the Turkish government be brought to the "
    "attention of Moscow as follows:",                                                     # 003:3014
    "The ambassador begins the conversation by suggesting that the chairman of the Soviet government is "
    "already aware of what he has come to talk about. The ambassador states the following:",  # 003:3833
    "I hasten to inform you of the translation of the telegram I have just received, comrade Chicherin, "
    "people's commissariat of the RSFSR:",                                                 # 003:984
    "These principles are as follows:",                                                    # 003:471
    # a quotation (not a salutation) follows the colon on the same line
    P774,  # 003:774
    'Shumenkovich said: "this is impossible for England, since she does not have a sufficient army for this."',
    # 003:4882
    "Note: “via the duty political controller.” Message No. 3 …** For orientation:",      # 000:57
    # 003:2706 + 2708: a note text split by a page break, joined
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
    ("**Article I.**", ("article", "I")),                  # 003:808
    ("#### **Article ii.**", ("article", "II")),           # 003:816
    ("**Article iv .**", ("article", "IV")),               # 003:830
    ("**Article the v .**", ("article", "V")),             # 003:834
    ("#### Article I", ("article", "I")),                  # 003:1447
    ("Article xii", ("article", "XII")),                   # 003:1563
    ("#### Article 1", ("article", "1")),                  # 003:1763
    ("#### Article 4.", ("article", "4")),                 # 003:1785
    ("Article 5.", ("article", "5")),                      # 003:1793
    ("Article XIV <…>", ("article", "XIV")),               # 000:3
    ("**Appendix I (a).**", ("annex", "I (a)")),           # 003:914
    ("## **appendix I (b).**", ("annex", "I (b)")),        # 003:962
    ("## **Appendix I**", ("annex", "I")),                 # 003:1913
    ("## Annex ii", ("annex", "II")),                      # 003:1939
    ("### **Appendix iii**", ("annex", "III")),            # 003:1969
    ("Appendix iv: map.", ("annex", "IV")),                # 003:1791
    ("#### Application", ("annex", "")),                   # 003:4264
    ("#### § 1", ("section", "1")),                        # 003:1520
    ("#### Section 2", ("section", "2")),                  # 003:1524
    ("### Section 3", ("section", "3")),                   # 003:1532
])
def test_article_heading(p: str, expected: tuple[str, str]) -> None:
    assert article_heading(p) == expected


@pytest.mark.parametrize("p", [
    "Article 4 is mistakenly indicated in the original.",            # 003:6508
    "**Treaty between Russia and Turkey, article no. 598.**",        # 003:794
    "### I, zone Arpa-Chay",                                         # 003:1945
    "#### 4. Violation of the border by the Turkish border soldiers themselves.",  # 003:2401
    "**I. GENERAL PROVISION**",                                      # 003:694
    "A. Vyshinsky appendix",                                         # 003:4182
])
def test_not_article_heading(p: str) -> None:
    assert article_heading(p) is None


def _label_text(p: str) -> str | None:
    s = list_item(p)
    return None if s is None else p[s[0]:s[1]]


@pytest.mark.parametrize(("p", "label"), [
    ("- 1) find out whether Bulgaria itself wants these guarantees from the Soviet Union,", "1)"),  # 003:4543
    ("7) Abolition of the regime of capitulations and economic control by foreign states.", "7)"),  # 003:480
    ("  1. <…>\n  2. The situation in Turkey is unclear and may become dangerous if Kemal reaches an agreement "
     "with the Entente", "1."),                                                                     # 000:59-60
    ('A) either all together will agree to the Italian proposal and join the "anti-Comintern pact", or',
     "A)"),                                                                                         # 003:2970
    ("J) in Svalbard, our coal concession must be operated.", "J)"),                                # 003:4346
])
def test_list_item(p: str, label: str) -> None:
    assert _label_text(p) == label


@pytest.mark.parametrize("p", [
    "A. Vyshinsky",                                                  # 003:4262 signer
    "*1937 g 25 on May.*",                                           # 003:2572 dateline
    "#### 4. Violation of the border by the Turkish border soldiers themselves.",  # 003:2401 markdown heading
    "- maybe, maybe, - Aktay answers.",                              # 003:3889 dialogue dash
    "I. Narimanov",                                                  # 003:1108
    "*1937 g on May 14.*",                                           # 003:2646
])
def test_not_list_item(p: str) -> None:
    assert list_item(p) is None


def test_list_labels_consecutive_lines() -> None:  # 003:2700
    p = ("1. Show us that Turkey's policy towards the USSR remains unchanged, despite the rejection of the pact.\n"
         "2. To give additional comfort to Romania in connection with the Bulgarian-Yugoslav pact.\n"
         "3. Balance the Milan date.")
    assert [p[a:b] for a, b in list_labels(p)] == ["1.", "2.", "3."]


def test_postscript() -> None:
    assert postscript("P.s.: transferred on behalf of the instance.")  # 003:4501
    assert postscript("P.s. It is interesting to note that at the time of the appearance of the warrior Ahmed khan "
                      "in the cinema (somewhat belated), everyone presents stood up as if on command.")  # 003:4677
    assert not postscript("Print. By architect.")  # 001:53
    assert not postscript("Publ. into gas. Izvestia Jtè 123 (970), June 9, 1920")  # 003:494


def test_separator() -> None:
    assert separator("\\* \\* \\*")  # 003:4495
    assert not separator("\\* see doc. No. 187")  # 003:1385
    assert not separator("**1941**")  # 003:5174


@pytest.mark.parametrize("p", [".....", "..", ".", "...", "...."])  # 003:4030, 3935, 6560, 004:123, 003:4050
def test_dots_only(p: str) -> None:
    assert dots_only(p)


@pytest.mark.parametrize("p", ["(...)", "[...] Then Saracoglu said", "", "Natsarenus"])  # 003:696, 003:3160
def test_not_dots_only(p: str) -> None:
    assert not dots_only(p)
