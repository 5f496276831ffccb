"""Reads a raw source: checks its bytes, keeps its text verbatim, and remembers every line.

Normalisation rule (documented in docs/encoding.md): the text is NFC-normalised and
otherwise kept as printed — modifier primes (U+02B9/U+02BA), the hyphen U+2010 and
no-break spaces stay in the TEI, because they are evidence of the source's history;
comparisons between witnesses normalise them (see `normalise_for_comparison`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import EditionError


@dataclass(frozen=True)
class Para:
    """A paragraph: a maximal run of non-blank lines, or a slice of one (a heading glued
    to the end of a line). `first`/`last` are 1-based line numbers in the source; `col`
    is the offset of the text in the first line (0 unless the paragraph was split)."""

    first: int
    last: int
    text: str
    col: int = 0

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def slice(self, start: int, end: int | None = None) -> Para:
        """The part text[start:end], keeping line numbers right."""
        end = len(self.text) if end is None else end
        before = self.text[:start]
        first = self.first + before.count("\n")
        col = (self.col if "\n" not in before else 0) + len(before) - (before.rfind("\n") + 1)
        piece = self.text[start:end]
        return Para(first=first, last=first + piece.rstrip("\n").count("\n"), text=piece, col=col)


@dataclass(frozen=True)
class SourceText:
    path: Path
    lines: tuple[str, ...]  # without line ends; index 0 = line 1
    # A folder source: (first line in `lines`, file name) of each file, in file-name order.
    files: tuple[tuple[int, str], ...] = ()

    @property
    def name(self) -> str:
        return self.path.name

    def locate(self, line: int) -> tuple[str, int]:
        """The file (relative to the source's path, "" for a single file) and its line."""
        if not self.files:
            return "", line
        first, name = self.files[0]
        for start, fname in self.files:
            if start > line:
                break
            first, name = start, fname
        return name, line - first + 1

    def file_ranges(self) -> list[tuple[str, int, int]]:
        """(file name, first line, last line) of each file of a folder source."""
        out = []
        for k, (start, name) in enumerate(self.files):
            end = self.files[k + 1][0] - 1 if k + 1 < len(self.files) else len(self.lines)
            out.append((name, start, end))
        return out

    def paragraphs(self, first: int = 1, last: int | None = None) -> list[Para]:
        """Paragraphs between two lines (inclusive), blank and whitespace-only lines separating them."""
        last = len(self.lines) if last is None else last
        out: list[Para] = []
        run: list[str] = []
        start = 0
        for number in range(first, last + 1):
            line = self.lines[number - 1]
            if line.strip():
                if not run:
                    start = number
                run.append(line)
            elif run:
                out.append(Para(start, number - 1, "\n".join(run)))
                run = []
        if run:
            out.append(Para(start, last, "\n".join(run)))
        return out


def read_folder(path: Path, encoding: str) -> SourceText:
    """A folder of files, one document each, read in file-name order into one text whose
    `files` says where each file begins (hidden files and sub-folders are skipped)."""
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise EditionError("the source folder holds no file", path=str(path),
                           hint="put one text file per document in it, or point 'file:' at a file")
    lines: list[str] = []
    starts: list[tuple[int, str]] = []
    for f in files:
        text = read_source(f, encoding)
        starts.append((len(lines) + 1, f.name))
        lines.extend(text.lines or ("",))
    return SourceText(path=path, lines=tuple(lines), files=tuple(starts))


def read_source(path: Path, encoding: str = "utf-8") -> SourceText:
    """Reads a raw text; a missing, empty or binary file, or one that is not in its
    declared encoding, is an EditionError. `encoding` is the layout's: utf-8, latin-1,
    cp1252, or auto (UTF-8 if the bytes are UTF-8, else cp1252, else Latin-1)."""
    from .guard import read_plain

    try:
        data = read_plain(path)
    except FileNotFoundError:
        raise EditionError("source file not found", path=str(path),
                           hint="check 'file:' of this source in edition.yaml") from None
    except IsADirectoryError:
        return read_folder(path, encoding)
    except OSError as exc:
        raise EditionError(f"cannot read source: {exc.strerror}", path=str(path)) from None
    if not data.strip():
        raise EditionError("source file is empty", path=str(path),
                           hint="restore its text or remove it from edition.yaml")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise EditionError("source looks binary (it contains NUL bytes), not a text", path=str(path), line=line,
                           hint="export it as UTF-8 text")
    text = decode(data, encoding, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = unicodedata.normalize("NFC", xml_characters(text, path))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start another
    return SourceText(path=path, lines=tuple(line.rstrip("\r") for line in lines))


# Characters XML 1.0 cannot hold. A form feed or vertical tab (page and line breaks of a
# text exported from print) is whitespace and read as a space; any other is refused.
_SPACES = str.maketrans({"\x0b": " ", "\x0c": " "})
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_characters(text: str, path: Path, what: str = "source") -> str:
    """`text` with form feeds and vertical tabs as spaces; any other character XML cannot
    carry is an EditionError naming `path`, the line and the column (`what`: the file's kind)."""
    text = text.translate(_SPACES)
    bad = _NOT_XML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise EditionError(f"{what} holds the control character U+{ord(bad.group()):04X} (column {column}), "
                           "which XML cannot carry", path=str(path), line=line,
                           hint="remove it, or replace it with the character that was meant")
    return text


def decode(data: bytes, encoding: str, path: Path) -> str:
    if encoding == "auto":
        for candidate in ("utf-8", "cp1252"):
            try:
                return data.decode(candidate)
            except UnicodeDecodeError:
                continue
        return data.decode("latin-1")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        name = "UTF-8" if encoding == "utf-8" else encoding
        raise EditionError(f"source is not {name} (byte 0x{data[exc.start]:02x} cannot be decoded)",
                           path=str(path), line=line,
                           hint="convert it to UTF-8, e.g. with iconv, or give its encoding in the source's "
                                "layout (encoding: latin-1)") from None


def detect_encoding(data: bytes) -> str:
    """The encoding `auto` would use for these bytes."""
    for candidate in ("utf-8", "cp1252"):
        try:
            data.decode(candidate)
            return candidate
        except UnicodeDecodeError:
            continue
    return "latin-1"


_COMPARE_MAP = str.maketrans({"\u02b9": "'", "\u02ba": '"', "\u2010": "-", "\xa0": " ", "\u2019": "'",
                              "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_MARKDOWN = re.compile(r"\\\*|\*\*|</?sup>|^#+\s*", re.M)


def normalise_for_comparison(text: str) -> str:
    """Folds the spelling differences between witnesses (primes, hyphens, NBSP, quotes,
    markdown signs, case, spacing) so that copies of one document compare equal."""
    text = _MARKDOWN.sub(" ", text.translate(_COMPARE_MAP))
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return " ".join(text.lower().split())
