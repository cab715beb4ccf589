"""Errors a user can cause, phrased as one line: file:line:col: what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


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


class ContentErrors(ContentError):
    """Several mistakes found in one reading (each card, chart or file that `build check` reads
    on past a mistake), one line each, in file order and without repeats, so one run shows all."""

    def __init__(self, errors: Iterable[ContentError]):
        unique: dict[str, ContentError] = {}
        for err in errors:
            for one in getattr(err, "errors", (err,)):
                unique.setdefault(str(one), one)
        self.errors = sorted(unique.values(), key=lambda e: (display_path(e.where.path), e.where.line,
                                                             e.where.column))
        Exception.__init__(self, "\n".join(map(str, self.errors)))
        self.where, self.message = self.errors[0].where, self.errors[0].message

    def __reduce__(self):
        return type(self), (self.errors,)


class Gather:
    """Reads on past a mistake where what follows does not depend on it, and raises every
    mistake found together at the end (done)."""

    def __init__(self, errors: list[ContentError] | None = None) -> None:
        self.errors: list[ContentError] = [] if errors is None else errors  # given: kept there

    def attempt(self, step: Callable[[], T], default: T | None = None) -> T | None:
        try:
            return step()
        except ContentError as err:
            self.errors.append(err)
            return default

    def each(self, items: Iterable[object], make: Callable[[object], T]) -> list[T]:
        """make(item) for every item; the items that fail are left out, their mistakes kept."""
        failed = object()
        made = (self.attempt(lambda item=item: make(item), failed) for item in items)
        return [result for result in made if result is not failed]

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ContentErrors(self.errors)


class BuildError(Exception):
    """A failure that is not located in a content file (missing project, unwritable output)."""


def display_path(path: Path) -> str:
    """Paths relative to the working folder when they lie inside it, so messages stay short."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
