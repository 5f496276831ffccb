"""The edition's own vocabularies: its period and its document types (edition.yaml).

Both are data, not code. The converter writes them into tei/edition.xml — the period as
`profileDesc/creation/date[@type='period'][@from][@to]`, the document types as the taxonomy
`classDecl/taxonomy[@xml:id='doctypes']` — and the Schematron reads them from there (through
each document's `catRef/@scheme`), so an editor who changes a document's kind or date by hand
is checked against the edition's lists, not against lists in the schema.

Without `period:` in edition.yaml the period is inferred from the years printed in the titles
of the edition and its collections ("…, 1919–1942"); with none there is no period check.
Without `document_types:` the types are the ones the converter recognised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .assemble import Built, Flag

YEAR_RE = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def infer_period(titles: Iterable[str | None]) -> tuple[int, int] | None:
    """The span of the years printed in the titles, or None when they print none."""
    years = [int(y) for t in titles if t for y in YEAR_RE.findall(t)]
    return (min(years), max(years)) if years else None


def check_document_type(built: Built, declared: tuple[str, ...], line: int) -> None:
    """Keep a document's kind within the edition's declared types.

    An edition that declares its types gets only those: a kind it does not list becomes
    "other", with a review item naming the kind so that the editors can add it to edition.yaml
    (or correct the heading). Without declared types every recognised kind stands."""
    if not declared or built.doc_type in declared:
        return
    built.flags.append(Flag(line, "document type",
                            f"document type {built.doc_type!r} is not in edition.yaml's document_types: "
                            "add it there, or correct the kind by hand"))
    built.doc_type = "other"
    built.div.set("subtype", "other")


__all__ = ["check_document_type", "infer_period"]
