"""Who the edition credits, as its title page, imprint, web home page and citations name
them: the persons of edition.yaml's `editors:` with their roles (never the publisher nor
a placeholder: `Edition.credits`), and the compilers and editors of the collections the
documents are printed from, who are credited for those collections only."""

from __future__ import annotations

import re

from .config import CONTRIBUTOR_ROLES, Edition


def person_name(name: str) -> str:
    """A name as printed: initials spaced as a press sets them ("A.V.Kvashonkin" →
    "A. V. Kvashonkin"); edition.yaml keeps the source's form."""
    return " ".join(re.sub(r"\b(\w\.)(?=\w)", r"\1 ", name).split())


def and_list(names: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def credit_lines(edition: Edition) -> list[dict[str, str]]:
    """The persons the edition credits, one entry per role in the order of edition.yaml:
    {"role": "Edited by", "names": "A and B"}, {"role": "Translated by", "names": "C"}."""
    roles: dict[str, list[str]] = {}
    for person in edition.credits:
        roles.setdefault(person.role, []).append(person_name(person.name))
    return [{"role": CONTRIBUTOR_ROLES[role], "names": and_list(names)} for role, names in roles.items()]


def source_credits(edition: Edition) -> list[tuple[str, list[str]]]:
    """Who made the collections the documents are printed from, as edition.yaml records
    them: the compilers of each collection, then the editors (a collection's persons named
    once): [("From the collections compiled by", ["A and B", "C"]), ("and edited by",
    ["E"])]. These persons are credited for their collections, never as editors of this
    edition."""
    compiled: list[str] = []
    edited: list[str] = []
    for s in edition.sources:
        c = s.collection
        for people, into in ((c.compilers, compiled), (c.editors, edited)):
            group = and_list([person_name(n) for n in people]) if people else ""
            if group and group not in into:
                into.append(group)
    out: list[tuple[str, list[str]]] = []
    for verb, groups in (("compiled by", compiled), ("edited by", edited)):
        if groups:
            out.append((f"and {verb}" if out else f"From the collections {verb}", groups))
    return out


def source_credit_text(edition: Edition) -> str | None:
    """The same as one sentence: "From the collections compiled by A and B; C; and edited
    by E" (None when the sources name nobody)."""
    parts = [f"{role} {'; '.join(groups)}" for role, groups in source_credits(edition)]
    return "; ".join(parts) if parts else None
