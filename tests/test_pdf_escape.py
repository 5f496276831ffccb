"""Escaping for Typst: no character of any source changes the layout or runs Typst code.

Three proofs: (1) the XSLT escaping functions (xslt/typst/escape.xsl), applied to every
pair of ASCII punctuation characters and to a list of hostile strings, each at the start
of a line, typeset back to exactly those characters; (2) the same for the Python string
literals of the front matter (pipeline/pdf.py); (3) a hostile TEI document and a hostile
edition.yaml go through the whole stage and print literally."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pypdf
import pytest
import typst
from saxonche import PySaxonProcessor

from pipeline import pdf
from pipeline.transform import XSLT_ROOT

from .test_pdf_support import Pdf, copy_fixture, norm

PUNCT = [c for c in string.punctuation]

HOSTILE = [
    '#set page(width: 1cm) #panic("pwned")',
    "$x^2$ *strong* _emph_ `raw` @ref <label> [content] \\ ~",
    "= Heading", "== Second", "- item", "+ item", "1. numbered", "12. numbered", "/ term: description",
    "// a line comment", "/* a block comment */", "*/ closing", "#{ \"code\" }", "#let x = 1",
    "```raw block```", "\\u{1F600}", "\\n", "\\", "]", ")", "}", "]) } ]", "[", "((", "--", "---", "...", "-?",
    "'single' \"double\"", "http://example.org/a_b?c=d#e", "https://x.y//z", "a // b", "a /* b",
    "<lbl>", "@fig", "#", "$", "*", "_", "`", "~", "<", ">", "&", "#(1 + 1)", "#[content]", "#\"str\"",
    "text; #x; after", "Türkçe: ş ğ ı İ Ş Ğ; Русский: Чичерин", "quotes “ ” ‘ ’ « » primes ʹ ʺ ‐ – — …",
]

ESCAPE_STUB = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tp="https://edition-pipeline.example/ns/typst" exclude-result-prefixes="#all">
  <xsl:include href="{href}"/>
  <xsl:output method="text"/>
  <xsl:template match="/">
    <xsl:for-each select="//s">
      <xsl:text>&#10;ZZ</xsl:text><xsl:value-of select="position()"/><xsl:text>ZZ&#10;&#10;</xsl:text>
      <!-- markup, at the start of a line -->
      <xsl:value-of select="tp:text(.)"/>
      <xsl:text>&#10;&#10;QQ&#10;&#10;#</xsl:text>
      <!-- the same as a string literal -->
      <xsl:value-of select="tp:string(.)"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
"""

# A wide page without hyphenation: extracted text then has each string on one line.
PREAMBLE = """#set page(width: 60cm, height: auto, margin: 1cm)
#set text(font: "Libertinus Serif", hyphenate: false)
#set par(justify: false)
"""


def cases() -> list[str]:
    pairs = [a + b for a in PUNCT for b in PUNCT]
    return HOSTILE + pairs + [p + " x" for p in PUNCT] + ["x " + p for p in PUNCT]


def typeset_text(source: str) -> tuple[str, list[str]]:
    compiler = typst.Compiler(ignore_system_fonts=True)
    data, warnings = compiler.compile_with_warnings(source.encode("utf-8"), format="pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(p.extract_text() for p in reader.pages), [w.message for w in warnings]


def split_cases(text: str) -> dict[int, list[str]]:
    parts = re.split(r"ZZ(\d+)ZZ", text)
    return {int(parts[i]): parts[i + 1].split("QQ") for i in range(1, len(parts) - 1, 2)}


def test_xslt_escaping_prints_every_character_literally(tmp_path: Path) -> None:
    items = cases()
    stub = tmp_path / "stub.xsl"
    stub.write_text(ESCAPE_STUB.format(href=(XSLT_ROOT / "typst" / "escape.xsl").as_uri()), encoding="utf-8")
    proc = PySaxonProcessor(license=False)
    sheet = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stub))
    from xml.sax.saxutils import escape
    xml = "<all>" + "".join(f"<s>{escape(s)}</s>" for s in items) + "</all>"
    doc = proc.parse_xml(xml_text=xml)
    typ = sheet.transform_to_string(xdm_node=doc)
    text, warnings = typeset_text(PREAMBLE + typ)
    assert not warnings
    found = split_cases(text)
    assert len(found) == len(items)
    for n, s in enumerate(items, start=1):
        as_markup, as_string = found[n]
        assert norm(as_markup) == norm(s), f"markup escaping of {s!r}"
        assert norm(as_string) == norm(s), f"string escaping of {s!r}"


def test_python_string_literals_print_literally() -> None:
    items = cases() + ["line\nbreak", "tab\there", "nul\x01char", "\u2028sep"]
    body = "".join(f"\nZZ{n}ZZ\n\n#{pdf.typst_string(s)}\n\nQQ\n\n#({pdf.typst_value([s, None])}.first())\n"
                   for n, s in enumerate(items, start=1))
    text, warnings = typeset_text(PREAMBLE + body)
    assert not warnings
    found = split_cases(text)
    for n, s in enumerate(items, start=1):
        want = norm("".join(c for c in s if c.isprintable() or c.isspace()))
        assert norm(found[n][0]) == want and norm(found[n][1]) == want, f"string literal of {s!r}"


def test_typst_value_shapes() -> None:
    assert pdf.typst_value({"a-b": [1, "x"], "c": None, "d": True, "e": {}}) == \
        '("a-b": (1, "x", ), "c": none, "d": true, "e": (:))'
    with pytest.raises(TypeError):
        pdf.typst_value(1.5)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Pdf, str]:
    project = copy_fixture(tmp_path_factory.mktemp("hostile") / "project")
    [result] = pdf.make_pdfs(project / "edition.yaml", tei_root=project / "tei")
    assert result.warnings == []
    return Pdf.read(result.pdf_path), (project / "out" / "pdf" / "edition.typ").read_text(encoding="utf-8")


HOSTILE_DOC_TEXTS = [
    'Hostile #heading $math$ *strong* _emph_ `raw` <label> @ref [content] \\ backslash "quote"',
    "Heading note #set text(red) ]) }",
    "Kars // slash, 16 March 1921 #date *Top* _secret_",
    "= Immediate", "- Sent to comrade #Molotov", "Dear #comrade [x],",
    'Paragraph one: #set page(width: 1cm) #panic("pwned") $x^2$ *strong* _emph_ `raw` @fig <lbl> [b] \\ ~ -- --- '
    "... -? ' \" http://example.org/a_b?c=d#e & % ^ | { } ( ) ; : , !",
    "= Heading at a line start == Second level - list item + enum item 1. numbered item / term: description "
    '// a line comment /* a block comment */ after #{ "code block" } ```raw block``` \\u{1F600} and \\n and \\ '
    "]) } ] ) end",
    "Footnote #one: $a$ *b* _c_ `d` <e> @f [g] \\h = i - j + k / l // m /* n */",
    'Star note "**" with \\ backslash.', "bold #x, italic *y*, [supplied ]#z[], a gap [#...]",
    "(#9) here but not the text", "1) item #one *x*", "– item $two$",
    "Speaker #1: Speech with @mention and <angle>.", "* #* *",
    "With #greetings,", "#Signed *Name*", "AVP RF, f. #04, op. $39$, d. *52987*, l. 12–14 (copy). Copy *certified*.",
    "(Emphasis added – #Y.B.)", "No. #1 [one]", 'sources/hostile.txt, lines 1–20 // "comment"?',
]

HOSTILE_EDITION_TEXTS = [
    'Soviet Foreign Policy #1: $Turkey$ *and* _Iran_ [test] \\ "quoted" <x> @y',
    "// not a comment — = not a heading", "Editor #one and Editor [two]", "Fixture \\Press/",
    'Introduction with #panic("no") and $math$ and *stars* in it',
    "Principles: = heading? - list? + enum? 1. numbered? / term: no.",
    "Hostile #collection $x$ *y* _z_ [a] `b` <c> @d", "Compiled by Compiler \\ #1. Based on = based on.",
    "#site *bold* [x]",
]


@pytest.mark.parametrize("text", HOSTILE_DOC_TEXTS + HOSTILE_EDITION_TEXTS)
def test_hostile_text_prints_literally(hostile: tuple[Pdf, str], text: str) -> None:
    doc, _ = hostile
    assert norm(text) in doc.flat


def test_hostile_text_changes_no_layout(hostile: tuple[Pdf, str]) -> None:
    doc, typ = hostile
    # no page was resized by "#set page(width: 1cm)"
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in doc.reader.pages}
    assert sizes == {(442, 663)}  # 156 × 234 mm
    # no heading, list or label was made from the text: the bookmarks are exactly ours
    titles = [t for _, t, _ in doc.bookmarks()]
    assert not any("Heading at a line start" in t or t.startswith(("Second level", "Immediate")) for t in titles)
    assert sum(1 for t in titles if t.startswith("13. Hostile")) == 1
    # the hostile text reached Typst only escaped
    assert "#panic(\"pwned\")" not in typ.replace("\\#panic", "")
