"""Glyph coverage of the print edition's font (Libertinus Serif, embedded in Typst):
every character of the raw sources and of the TEI, Turkish and the whole Russian
alphabet, and the signs the page design adds, render with that font alone — Typst's
font fallback switched off, so a missing glyph would show as a blank or .notdef and
be missing from the extracted text."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import typst

from pipeline import pdf

from .test_pdf_support import ROOT

TURKISH = "ÇçĞğİıÖöŞşÜüÂâÎîÛû"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
DESIGN = "⟨⟩–—…’“”·*†‡§№"  # signs the page design and the conventions print


def corpus_characters() -> set[str]:
    chars: set[str] = set()
    for path in [*ROOT.glob("sources/*.txt"), *ROOT.glob("tei/*/*.xml"), ROOT / "edition.yaml",
                 pdf.LIBRARY]:
        chars |= set(path.read_text(encoding="utf-8"))
    return chars


def printable(chars: set[str]) -> list[str]:
    # Spaces, controls and format characters have no glyph to check.
    return sorted(c for c in chars if not c.isspace() and unicodedata.category(c)[0] not in "CZ")


def test_every_character_has_a_glyph_in_libertinus() -> None:
    chars = printable(corpus_characters() | set(TURKISH + RUSSIAN + DESIGN))
    assert {"ş", "ğ", "ı", "İ", "Ж", "ʹ", "‐"} <= set(chars)
    # One character a paragraph, each between two markers, in Libertinus only.
    body = "".join(f"\n\nA#{pdf.typst_string(c)};A" for c in chars)
    source = ('#set text(font: "Libertinus Serif", fallback: false)\n'
              '#set page(width: 40cm, height: auto)\n' + body)
    data, warnings = typst.Compiler(ignore_system_fonts=True).compile_with_warnings(
        source.encode("utf-8"), format="pdf")
    assert [w.message for w in warnings] == []
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    found = [line[1:-1] for line in text.split("\n") if len(line) >= 2 and line[0] == "A" and line[-1] == "A"]
    missing = [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c, got in zip(chars, found, strict=True)
               if unicodedata.normalize("NFKC", got) != unicodedata.normalize("NFKC", c)]
    assert not missing, missing
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert all("Libertinus" in f for f in fonts), fonts


def test_the_stage_compiles_with_embedded_fonts_only(monkeypatch) -> None:  # noqa: ANN001 - pytest fixture
    """Typst runs in a child process (pipeline/typst_run.py): the job it is given keeps the
    machine's fonts out and its root and package folder empty, and the PDF it returns holds
    only fonts it embeds."""
    jobs: list[dict[str, object]] = []
    real = pdf.compile_limited

    def spy(job: dict[str, object], limits: object) -> object:
        jobs.append(dict(job))
        return real(job, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf, "compile_limited", spy)
    source = pdf.TypstSource(text='#set document(date: datetime(year: 2026, month: 1, day: 1))\nText', paths={})
    data, warnings = pdf.typeset(source)
    assert data.startswith(b"%PDF") and warnings == []
    [job] = jobs
    assert job.get("ignore_system_fonts", True) is True
    assert job["root"] == job["packages"]  # an empty build folder of its own (tests/test_hostile_paths.py)
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
