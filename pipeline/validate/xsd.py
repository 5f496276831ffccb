"""W3C XML Schema 1.1 (and 1.0 schemas libxml2 cannot compile), through xmlschema.

libxml2, which checks the other grammars, knows XML Schema 1.0 only and refuses a schema
that imports a component by a remote address (nothing is fetched here).  xmlschema is a
well-kept implementation of both versions that carries the W3C's own base schemas (xml.xsd
among them), so a team's schema that imports http://www.w3.org/2001/xml.xsd, or uses 1.1's
assertions and type alternatives, is checked as its authors meant.  It reads only files in
the schema's own folder and below (its "sandbox"), with XML entity and DTD defences on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import ERROR, Finding
from .source import Source, display_path

VERSIONING_NS = "http://www.w3.org/2007/XMLSchema-versioning"


class XSDError(Exception):
    """The schema cannot be read or compiled."""


def is_version_1_1(root: Any) -> bool:
    """A schema that asks for XML Schema 1.1 (vc:minVersion) or uses a construct only 1.1 has."""
    wanted = root.get(f"{{{VERSIONING_NS}}}minVersion")
    if wanted is not None:
        try:
            return float(wanted) >= 1.1
        except ValueError:
            return False
    only_1_1 = ("assert", "alternative", "openContent", "defaultOpenContent", "override")
    xs = "{http://www.w3.org/2001/XMLSchema}"
    return any(root.iter(*(xs + name for name in only_1_1)))


@dataclass
class XSDSchema:
    path: Path
    schema: Any  # xmlschema.XMLSchema10 | XMLSchema11 (the library ships no type stubs)
    version: str

    @classmethod
    def load(cls, path: Path, *, version_1_1: bool) -> XSDSchema:
        import xmlschema

        kind = xmlschema.XMLSchema11 if version_1_1 else xmlschema.XMLSchema10
        try:
            schema = kind(str(path.resolve()), allow="sandbox", defuse="always", timeout=5)
        except (xmlschema.XMLSchemaException, OSError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise XSDError(f"cannot compile the schema {display_path(path)}: {first}") from None
        return cls(path, schema, "1.1" if version_1_1 else "1.0")

    def findings(self, src: Source) -> list[Finding]:
        import xmlschema

        resource = xmlschema.XMLResource(src.tree, allow="none", defuse="always")
        out: list[Finding] = []
        seen: set[tuple[int, int, str]] = set()
        for error in self.schema.iter_errors(resource):
            el = getattr(error, "elem", None)
            line, col = src.position(el) if el is not None and hasattr(el, "sourceline") else (1, 1)
            reason = " ".join(str(error.reason or error.message).split()).rstrip(".")
            where = f" at {error.path}" if getattr(error, "path", None) else ""
            message = f"{reason}{where} (schema {self.path.name}, XML Schema {self.version})."
            key = (line, col, reason)
            if key not in seen:
                seen.add(key)
                out.append(Finding(src.display, line, col, ERROR, message, "schema"))
        return out
