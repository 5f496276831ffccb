"""One error type for everything a user can get wrong: printed as one line, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


class EditionError(Exception):
    """A problem with the user's input: which file, which line, what is wrong, what to do."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        self.exit_code = exit_code

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def report_left_out(args: Any, errors: Sequence[EditionError]) -> None:
    """Prints an error line per document a stage left out (the others were made) and
    counts them on the command's arguments: the command ends with exit code 1, and
    `edition build` goes on with the next stage but does not record this one as made."""
    for error in errors:
        print(f"edition: {error}", file=sys.stderr)
    args.left_out = int(getattr(args, "left_out", 0) or 0) + len(errors)


def refuse_edition_options(command: str, options: Sequence[tuple[str, object]]) -> None:
    """`edition html PATH…` or `pdf PATH…` render any TEI files, without the edition: an
    option that only the edition's build knows (given as (flag, value), a value that is
    not None or False counts as given) is a usage error, not silently ignored."""
    given = [flag for flag, value in options if value is not None and value is not False]
    if given:
        raise EditionError(f"{' and '.join(given)} {'applies' if len(given) == 1 else 'apply'} to the edition's "
                           f"{command}, not to TEI files named on the command line", exit_code=2,
                           hint=f"leave out the PATHs to make the edition's {command}, or the option")
