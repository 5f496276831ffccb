"""YAML from files a stranger may have written (edition.yaml, a document's front matter,
tei/witnesses.yaml, a layout file): aliases and nesting deeper than MAX_DEPTH are refused
before anything is built (an alias bomb or 5,000 nested lists must give an error, not a
hang or a stack overflow); every error is an EditionError naming the file and line."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import EditionError

MAX_DEPTH = 20  # edition.yaml needs four levels; deeper is an error, not a stack overflow


def _line(event: yaml.Event | yaml.Node, offset: int) -> int | None:
    return event.start_mark.line + 1 + offset if event.start_mark is not None else None


def check_shape(raw: str, path: str, *, offset: int = 0) -> None:
    """Refuses aliases and deep nesting; `offset` is the line of the file before `raw`."""
    depth = 0
    try:
        for event in yaml.parse(raw, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise EditionError("YAML aliases (*name) are not allowed", path=path, line=_line(event, offset),
                                   hint="write the value out where it is needed")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise EditionError(f"YAML nested more than {MAX_DEPTH} levels deep", path=path,
                                       line=_line(event, offset), hint="see docs for the shape this file takes")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and not _text(event.value):
                raise EditionError("a value holds a character that is not text (an escaped lone surrogate such "
                                   "as \\ud800)", path=path, line=_line(event, offset),
                                   hint="write the character itself")
    except yaml.YAMLError as exc:
        raise _error(exc, path, offset) from None


def _text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" in a double-quoted scalar: no file, page or PDF can hold it
        return False
    return True


def _error(exc: yaml.YAMLError, path: str, offset: int) -> EditionError:
    mark = getattr(exc, "problem_mark", None)
    return EditionError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", path=path,
                        line=mark.line + 1 + offset if mark else None)


def compose(raw: str, path: str, *, offset: int = 0) -> yaml.Node | None:
    """The checked document's node tree (None when it is empty)."""
    check_shape(raw, path, offset=offset)
    try:
        node: yaml.Node | None = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _error(exc, path, offset) from None
    return node


def load(raw: str, path: str, *, offset: int = 0) -> Any:
    """The checked document as Python values; a key given twice in a mapping is refused."""
    node = compose(raw, path, offset=offset)
    if node is None:
        return None
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise EditionError(f"the key {key.value!r} appears twice", path=path,
                                           line=_line(key, offset), hint="keep one of them")
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    try:
        return yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # a timestamp like 2020-13-45
        if isinstance(exc, yaml.YAMLError):
            raise _error(exc, path, offset) from None
        raise EditionError(f"not valid YAML: {exc}", path=path, line=_line(node, offset)) from None
