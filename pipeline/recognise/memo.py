"""Memoised views of the recognisers that the assembler asks about the same paragraph
several times (first to classify it, then to build it). The recognisers are pure, so
caching by text is safe; results are shared, so callers must not mutate them."""

from __future__ import annotations

from functools import lru_cache

from . import citations as _cit
from . import notes as _nt

SIZE = 16384


@lru_cache(maxsize=SIZE)
def find_citations(text: str) -> list[_cit.Citation]:
    return _cit.find_citations(text)


@lru_cache(maxsize=SIZE)
def find_publications(text: str) -> list[_cit.Publication]:
    return _cit.find_publications(text)


@lru_cache(maxsize=SIZE)
def is_source_line(text: str) -> bool:
    return _cit.is_source_line(text)


@lru_cache(maxsize=SIZE)
def split_note_paragraph(text: str) -> list[_nt.NoteText] | None:
    return _nt.split_note_paragraph(text)


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
