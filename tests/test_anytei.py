"""`edition html PATH…` and `edition pdf PATH…` on third-party TEI with no configuration:
for every input file, the words of its text (every division, every element, notes and all
readings) appear in its web page and in the PDF's text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

from pipeline import anytei, cli

HERE = Path(__file__).resolve().parent
FOREIGN = HERE / "fixtures" / "foreign"
FILES = sorted([*(FOREIGN / "tei-stylesheets").glob("*.xml"), *(FOREIGN / "cmif").glob("example*.xml"),
                FOREIGN / "frus-like" / "frus1969-76v99.xml",
                *(FOREIGN / "schnitzler-briefe" / "editions").glob("*.xml")])
TEI = "{http://www.tei-c.org/ns/1.0}"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def text_words(path: Path) -> list[str]:
    """The words of the file's <text> elements (the outermost ones), as a reader sees them."""
    root = etree.parse(str(path)).getroot()
    found: list[str] = []
    for text in root.iter(f"{TEI}text"):
        if any(a.tag == f"{TEI}text" for a in text.iterancestors()):
            continue
        found.extend(words(" ".join(text.itertext())))
    return found


def missing(expected: list[str], shown: str) -> list[str]:
    """Words not in the output (compared as words, or — for words a line break split or
    glued — as part of the output without spaces)."""
    have = set(words(shown))
    squashed = "".join(words(shown))
    return sorted({w for w in expected if w not in have and w not in squashed})


def test_every_word_reaches_the_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "--out", "site", *map(str, FILES)]) == 0
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) == len(FILES) + 1  # and the index
    by_name = {p.stem: p for p in pages}
    for path in FILES:
        page = lhtml.parse(str(by_name[path.stem])).getroot()
        main = page.find(".//main")
        assert main is not None
        assert not missing(text_words(path), main.text_content()), path.name
        divs = sum(1 for _ in etree.parse(str(path)).iter(f"{TEI}div"))
        assert len(page.findall(".//main//div")) >= divs, path.name  # every division kept


def test_every_word_reaches_the_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    for path in FILES:
        out = tmp_path / f"{path.stem}.pdf"
        anytei.build_pdf([path], out)
        reader = pypdf.PdfReader(str(out))
        shown = "\n".join(page.extract_text() or "" for page in reader.pages)
        assert not missing(text_words(path), shown), path.name


def test_several_documents_of_a_file_are_all_kept(tmp_path: Path) -> None:
    """The FRUS-like volume holds two document divisions: both reach the page."""
    site = anytei.build_html([FOREIGN / "frus-like" / "frus1969-76v99.xml"], tmp_path / "site")
    page = (site.out / "frus1969-76v99.html").read_text(encoding="utf-8")
    assert "Memorandum for the Record" in page and "Telegram From the Embassy" in page


def test_malformed_file_is_named_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    (tmp_path / "good.xml").write_bytes((FOREIGN / "tei-stylesheets" / "test6.xml").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "--out", "site", "bad.xml", "good.xml"]) == 1
    err = capsys.readouterr().err
    assert "bad.xml:1:" in err and "Traceback" not in err
    assert (tmp_path / "site" / "good.html").is_file()
