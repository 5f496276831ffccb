"""Memoised views of the recognisers that the assembler asks about the same paragraph
several times (first to classify it, then to build it). The recognisers are pure, so
caching by text is safe; results are shared, so callers must not mutate them.

The archives that citations are read against are the edition's data (tei/registers.xml): the
converter sets them once per run with `use_archives`; they are part of every cache key."""

from __future__ import annotations

from functools import lru_cache

from . import citations as _cit
from . import notes as _nt

SIZE = 16384


_archives: list[_cit.Archives] = [_cit.NO_ARCHIVES]


def use_archives(archives: _cit.Archives) -> None:
    """The archives the following calls read citations against (the edition's registers)."""
    _archives[0] = archives


def archives() -> _cit.Archives:
    return _archives[0]


def find_citations(text: str) -> list[_cit.Citation]:
    return _find_citations(text, _archives[0])


@lru_cache(maxsize=SIZE)
def _find_citations(text: str, archives: _cit.Archives) -> list[_cit.Citation]:
    return _cit.find_citations(text, archives)


@lru_cache(maxsize=SIZE)
def find_publications(text: str) -> list[_cit.Publication]:
    return _cit.find_publications(text)


def is_source_line(text: str) -> bool:
    return _is_source_line(text, _archives[0])


@lru_cache(maxsize=SIZE)
def _is_source_line(text: str, archives: _cit.Archives) -> bool:
    return _cit.is_source_line(text, archives)


@lru_cache(maxsize=SIZE)
def split_note_paragraph(text: str, styles: frozenset[str] = frozenset()) -> list[_nt.NoteText] | None:
    return _nt.split_note_paragraph(text, styles)


@lru_cache(maxsize=SIZE)
def is_note_label(text: str) -> bool:
    return _nt.is_note_label(text)


@lru_cache(maxsize=SIZE)
def split_glued_notes(text: str) -> tuple[int, list[_nt.NoteText]]:
    return _nt.split_glued_notes(text)


@lru_cache(maxsize=SIZE)
def find_remarks(text: str) -> list[_nt.Remark]:
    return _nt.find_remarks(text)


@lru_cache(maxsize=SIZE)
def find_doc_refs(text: str) -> list[_nt.DocRef]:
    return _nt.find_doc_refs(text)
