"""Errors a user can cause, phrased as one line: file:line:col: what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Where:
    """A place in a content file (line and column are 1-based)."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


class ContentError(Exception):
    """A mistake in the content that the user can fix; shown as `file:line:col: message`."""

    def __init__(self, where: Where, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message

    def __reduce__(self):  # raised in an image worker, it is sent to the main process whole
        return type(self), (self.where, self.message)


class BuildError(Exception):
    """A failure that is not located in a content file (missing project, unwritable output)."""


def display_path(path: Path) -> str:
    """Paths relative to the working folder when they lie inside it, so messages stay short."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
