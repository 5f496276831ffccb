"""The transform stage: one Saxon processor per run, each stylesheet compiled once and
applied per document. XSLT errors and xsl:message output become clear Python errors
naming the document, never a raw Saxon dump."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from . import xmlparse
from .errors import EditionError

XSLT_ROOT = Path(__file__).resolve().parent / "xslt"
_TERMINATE = re.compile(r"^(?:Error|Fatal|ERROR)\b", re.M)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines[:3])[:400] if lines else "unknown XSLT error"


@dataclass
class Stylesheet:
    """A compiled stylesheet; call `apply` per document."""

    path: Path
    executable: PyXsltExecutable
    processor: PySaxonProcessor
    messages: list[str] = field(default_factory=list)

    def apply(self, source: Path | str, *, params: dict[str, str] | None = None,
              document: PyXdmNode | None = None) -> str:
        """Transforms one document (a file, or an already parsed node) to a string.
        xsl:message output is collected in `messages`, prefixed with the document."""
        name = str(source)
        ex = self.executable
        ex.clear_parameters()
        for key, value in (params or {}).items():
            ex.set_parameter(key, self.processor.make_string_value(value))
        ex.clear_xsl_messages()
        try:
            node = document if document is not None else xmlparse.saxon_parse_file(self.processor, Path(source))
            result = ex.transform_to_string(xdm_node=node)
        except PySaxonApiError as exc:
            raise EditionError(f"XSLT {self.path.name} failed: {_first_line(str(exc))}", path=name) from None
        msgs = ex.get_xsl_messages()
        if msgs is not None:
            for item in str(msgs).splitlines():
                if item.strip():
                    self.messages.append(f"{name}: {item.strip()}")
        if result is None:
            raise EditionError(f"XSLT {self.path.name} produced no output", path=name)
        return result


class Transformer:
    """Holds the Saxon processor of this run and the stylesheets compiled so far."""

    def __init__(self) -> None:
        self.processor: PySaxonProcessor = xmlparse.saxon_processor()
        self.xslt = self.processor.new_xslt30_processor()
        self._compiled: dict[Path, Stylesheet] = {}

    def stylesheet(self, path: Path) -> Stylesheet:
        path = path.resolve()
        if path not in self._compiled:
            try:
                ex = self.xslt.compile_stylesheet(stylesheet_file=str(path))
            except PySaxonApiError as exc:
                raise EditionError(f"stylesheet does not compile: {_first_line(str(exc))}", path=str(path)) from None
            if ex is None:
                raise EditionError("stylesheet does not compile", path=str(path))
            ex.set_save_xsl_message(True, None)
            self._compiled[path] = Stylesheet(path, ex, self.processor)
        return self._compiled[path]

    def parse(self, path: Path) -> PyXdmNode:
        """A file as a Saxon tree, checked for safety first (see xmlparse)."""
        node: PyXdmNode = xmlparse.saxon_parse_file(self.processor, path)
        return node
