"""The transform stage: one Saxon processor per run, each stylesheet compiled once and
applied per document. XSLT errors and xsl:message output become clear Python errors
naming the document, never a raw Saxon dump.

Saxon runs in a child process of its own with bounded time and memory
(pipeline/saxon_run.py; edition.yaml `limits: saxon_seconds`, `saxon_megabytes`): a
transform that runs away ends as one error naming its file. `Transformer(limits=None)`
runs Saxon in this process (the child itself does)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saxonche import PySaxonApiError, PySaxonProcessor, PyXsltExecutable

from . import xmlparse
from .errors import EditionError
from .saxon_run import ChildFailed, LimitExceeded, SaxonChild, SaxonLimits

if TYPE_CHECKING:  # not imported at run time: the Saxon child imports this module alone
    from .config import Limits

XSLT_ROOT = Path(__file__).resolve().parent / "xslt"
DEFAULT_LIMITS = SaxonLimits()
_TERMINATE = re.compile(r"^(?:Error|Fatal|ERROR)\b", re.M)


def saxon_limits(limits: Limits) -> SaxonLimits:
    """The Saxon process's limits from edition.yaml's `limits:`."""
    return SaxonLimits(seconds=limits.saxon_seconds, megabytes=limits.saxon_megabytes)


class TransformStopped(EditionError):
    """A transform went past its time or memory limit and was stopped: the stages leave
    its document out and make the others."""


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines[:3])[:400] if lines else "unknown XSLT error"


@dataclass
class Stylesheet:
    """A compiled stylesheet (here, or in the Saxon child); call `apply` per document."""

    path: Path
    executable: PyXsltExecutable | None
    processor: PySaxonProcessor | None
    messages: list[str] = field(default_factory=list)
    child: SaxonChild | None = None
    text: str | None = None  # a stylesheet made in memory: its XSLT (sent to the child once)
    base_uri: str = ""

    def apply(self, source: Path | str, *, params: dict[str, str] | None = None, text: str | None = None) -> str:
        """Transforms one document to a string: the file `source`, or the XML `text` (which
        this program made; `source` then names it). xsl:message output is collected in
        `messages`, prefixed with the document."""
        if self.child is not None:
            return self._apply_in_child(source, params, text)
        name = str(source)
        ex = self.executable
        assert ex is not None and self.processor is not None
        ex.clear_parameters()
        for key, value in (params or {}).items():
            ex.set_parameter(key, self.processor.make_string_value(value))
        ex.clear_xsl_messages()
        try:
            node = xmlparse.saxon_parse_file(self.processor, Path(source)) if text is None \
                else xmlparse.saxon_parse_text(self.processor, text, name=name)
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

    def _apply_in_child(self, source: Path | str, params: dict[str, str] | None, text: str | None) -> str:
        assert self.child is not None
        name = str(source)
        request: dict[str, Any] = {"stylesheet": str(self.path), "source": name, "params": params or {},
                                   "text": text}
        if self.text is not None:
            request["base_uri"] = self.base_uri
            if str(self.path) not in self.child.compiled:
                request["stylesheet_text"] = self.text
        try:
            answer = self.child.request(request)
        except LimitExceeded as exc:
            limits = self.child.limits
            raise TransformStopped(f"the transform {self.path.name} {exc} and was stopped", path=name,
                               hint="a document this size or shape cannot be transformed within the limits; split "
                                    f"it, or raise 'limits: saxon_seconds' ({limits.seconds}) / 'saxon_megabytes' "
                                    f"({limits.megabytes}) in edition.yaml") from None
        except ChildFailed as exc:
            raise EditionError(f"the transform {self.path.name} failed: {exc}", path=name) from None
        if "error" in answer:
            error = answer["error"]
            raise EditionError(error["message"], path=error.get("path"), line=error.get("line"),
                               hint=error.get("hint"), exit_code=int(error.get("exit_code") or 1))
        if "internal" in answer:
            raise RuntimeError(f"in the Saxon process: {answer['internal']}")
        if self.text is not None:
            self.child.compiled.add(str(self.path))
        self.messages.extend(answer.get("messages", []))
        result: str = answer["result"]
        return result


class Transformer:
    """The stylesheets of this run: compiled in the Saxon child (`limits`, the default)
    or, with `limits=None`, in this process's Saxon processor."""

    def __init__(self, limits: SaxonLimits | None = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.child = SaxonChild(limits) if limits is not None else None
        if self.child is not None:
            self.child.start()
        self.processor: PySaxonProcessor | None = None
        self._compiled: dict[Path, Stylesheet] = {}
        if self.child is None:
            self.processor = xmlparse.saxon_processor()
            self.xslt = self.processor.new_xslt30_processor()

    def stylesheet(self, path: Path) -> Stylesheet:
        path = path.resolve()
        if path not in self._compiled:
            if self.child is not None:  # compiled in the child at its first use there
                if not path.is_file():
                    raise EditionError("stylesheet not found", path=str(path))
                self._compiled[path] = Stylesheet(path, None, None, child=self.child)
                return self._compiled[path]
            try:
                ex = self.xslt.compile_stylesheet(stylesheet_file=str(path))
            except PySaxonApiError as exc:
                raise EditionError(f"stylesheet does not compile: {_first_line(str(exc))}", path=str(path)) from None
            if ex is None:
                raise EditionError("stylesheet does not compile", path=str(path))
            ex.set_save_xsl_message(True, None)
            self._compiled[path] = Stylesheet(path, ex, self.processor)
        return self._compiled[path]

    def stylesheet_text(self, key: str, text: str, base_uri: str) -> Stylesheet:
        """A stylesheet made in memory (`text`, its relative URIs resolved against `base_uri`),
        compiled once under the name `key` (a digest of the text, say)."""
        path = Path(key)
        if path not in self._compiled:
            if self.child is not None:
                self._compiled[path] = Stylesheet(path, None, None, child=self.child, text=text, base_uri=base_uri)
                return self._compiled[path]
            try:
                ex = self.xslt.compile_stylesheet(stylesheet_text=text, base_uri=base_uri)
            except PySaxonApiError as exc:
                raise EditionError(f"stylesheet does not compile: {_first_line(str(exc))}", path=base_uri) from None
            if ex is None:
                raise EditionError("stylesheet does not compile", path=base_uri)
            ex.set_save_xsl_message(True, None)
            self._compiled[path] = Stylesheet(path, ex, self.processor)
        return self._compiled[path]

    def close(self) -> None:
        """Ends the Saxon child (it also ends with this process)."""
        if self.child is not None:
            self.child.stop()
