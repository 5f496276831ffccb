"""The one way this project reads XML: every lxml parse and every Saxon processor of every
command comes from here (a test greps the code for any other parse call).

A TEI file, a register or a configuration is untrusted input — an edition is built in CI
for pull requests from strangers. So no parse ever loads a DTD, expands an entity, reads an
external resource, follows an XInclude or touches the network, and a file that declares a
DOCTYPE is refused with a clear error (the edition's files never need one). libxml2's
default size limits stay on (`huge_tree=False`): no text node over 10 MB, no nesting deeper
than 256 elements — a hostile file gets an error, not a hang or a crash.

Saxon parses the files that the stylesheets read through `doc()` itself, so its processor
is configured the same way: DOCTYPE declarations refused by its XML parser, only `file:`
URIs, no XInclude. The files handed to Saxon are checked with lxml first (`check_file`),
which gives the error its line and keeps Saxon away from documents nested so deeply that
its recursion could run away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from .errors import EditionError

DOCTYPE_HINT = ("remove the <!DOCTYPE …> declaration and write the characters themselves: "
                "entities and DTDs are never read, for safety")

# Saxon configuration: its XML parser refuses any DOCTYPE (so no DTD, no external entity
# can be read), only local files may be opened, XInclude stays off.
_SAXON_PROPERTIES = (
    ("http://saxon.sf.net/feature/parserFeature?uri=http://apache.org/xml/features/disallow-doctype-decl", "true"),
    ("http://saxon.sf.net/feature/parserFeature?uri=http://xml.org/sax/features/external-general-entities", "false"),
    ("http://saxon.sf.net/feature/parserFeature?uri=http://xml.org/sax/features/external-parameter-entities",
     "false"),
    ("http://saxon.sf.net/feature/xinclude-aware", "false"),
    ("http://saxon.sf.net/feature/allowedProtocols", "file"),
)


def safe_parser(*, remove_blank_text: bool = False) -> etree.XMLParser:
    """An lxml parser that never resolves entities, never loads a DTD, never touches the
    network, and keeps libxml2's limits on text size and nesting depth."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           attribute_defaults=False, huge_tree=False, remove_blank_text=remove_blank_text)


def fromstring(data: bytes, parser: etree.XMLParser, *, base_url: str | None = None) -> etree._Element:
    """The bare parse, for callers that turn syntax errors into their own findings: `parser`
    must come from `safe_parser()`; raises etree.XMLSyntaxError; check `declares_doctype`."""
    if base_url is None:
        return etree.fromstring(data, parser)
    return etree.fromstring(data, parser, base_url=base_url)


def parse_path(path: Path, parser: etree.XMLParser) -> etree._ElementTree:
    """Like `fromstring`, for a file (OSError and etree.XMLSyntaxError pass through; a pipe or
    a device is an EditionError, never waited on or read without end)."""
    from .guard import read_plain

    return fromstring(read_plain(path), parser, base_url=path.resolve().as_uri()).getroottree()


def declares_doctype(tree: etree._ElementTree) -> bool:
    """True when the document has a DOCTYPE, an internal subset or entity references."""
    docinfo: Any = tree.docinfo  # lxml-stubs lack DocInfo.doctype
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        return True
    return any(True for _ in tree.getroot().iter(etree.Entity))


def _syntax_error(exc: etree.XMLSyntaxError, path: str, parser: etree.XMLParser) -> EditionError:
    entries = [e for e in parser.error_log if e.level_name in ("ERROR", "FATAL")]
    first = entries[0] if entries else None
    line = first.line if first is not None else exc.lineno
    message = (first.message if first is not None else str(exc.msg or exc)).strip()
    hint = "fix the XML (a text editor that shows the line helps)"
    if "DOCTYPE" in message or "ntity" in message:
        hint = DOCTYPE_HINT
    elif "depth" in message.lower() or "huge" in message.lower():
        hint = "the file is nested too deeply or has a text over 10 MB: such a file is refused, split it"
    return EditionError(f"not well-formed XML: {message}", path=path, line=line or None, hint=hint)


def parse_bytes(data: bytes, *, path: str, base_url: str | None = None,
                remove_blank_text: bool = False) -> etree._ElementTree:
    """Parses a document safely; any problem (syntax, DOCTYPE, entities, limits) becomes an
    EditionError naming `path` and the line."""
    parser = safe_parser(remove_blank_text=remove_blank_text)
    try:
        root = fromstring(data, parser, base_url=base_url)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, path, parser) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise EditionError(f"cannot be read as XML: {exc}", path=path) from None
    tree = root.getroottree()
    if declares_doctype(tree):
        raise EditionError("the file declares a DOCTYPE (a DTD or entities)", path=path, line=1,
                           hint=DOCTYPE_HINT)
    return tree


def parse_file(path: Path, *, remove_blank_text: bool = False) -> etree._ElementTree:
    """Reads and parses one file safely (see `parse_bytes`)."""
    from .guard import read_plain

    try:
        data = read_plain(path)  # a pipe or a device is refused, never waited on or read without end
    except IsADirectoryError:
        raise EditionError("a folder, where an XML file belongs: nothing is read from it", path=str(path),
                           hint="move the folder away or remove it, and put the file in its place") from None
    except OSError as exc:
        raise EditionError(f"cannot read the file: {exc.strerror or exc}", path=str(path),
                           hint="check that it exists and is readable") from None
    return parse_bytes(data, path=str(path), base_url=path.resolve().as_uri(), remove_blank_text=remove_blank_text)


def check_file(path: Path) -> None:
    """Refuses a file that must not be handed to Saxon (see the module's docstring)."""
    parse_file(path)


def saxon_processor() -> Any:
    """A Saxon processor configured to read no DTD, no external entity, nothing but local files."""
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    for name, value in _SAXON_PROPERTIES:
        processor.set_configuration_property(name, value)
    return processor


def saxon_parse_file(processor: Any, path: Path) -> Any:
    """A Saxon tree of a local file, checked with lxml first (raises EditionError)."""
    from saxonche import PySaxonApiError

    check_file(path)
    try:
        return processor.parse_xml(xml_file_name=str(path))
    except PySaxonApiError as exc:
        raise EditionError(f"not well-formed XML: {_first_line(str(exc))}", path=str(path)) from None


def saxon_parse_text(processor: Any, text: str, *, name: str) -> Any:
    """A Saxon tree of XML this program made itself (checked with lxml first all the same)."""
    from saxonche import PySaxonApiError

    parse_bytes(text.encode("utf-8"), path=name)
    try:
        return processor.parse_xml(xml_text=text)
    except PySaxonApiError as exc:
        raise EditionError(f"not well-formed XML: {_first_line(str(exc))}", path=name) from None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines[:3])[:400] if lines else "unknown XML error"
