"""One error type for everything a user can get wrong: printed as one line, never a traceback."""

from __future__ import annotations


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
