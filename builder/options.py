"""What a build is asked for and what it reports: plain data the CLI can use without loading
the renderers (an up-to-date check must stay fast)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from builder.errors import display_path
from builder.plain import DEFAULT_FORMAT, DEFAULT_PRESETS, formats_named, unchanged_line


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = ("pdf",)
    presets: tuple[str, ...] = DEFAULT_PRESETS
    press: bool = False
    cmyk: bool = False
    output: Path | None = None
    jobs: int = 1
    force: bool = False
    backs: bool = False
    vertical: bool = False
    newsletters: tuple[str, ...] = ()  # newsletter texts relative to content/; () = every newsletter*.yaml

    def identity(self) -> tuple:
        """What changes the files (not --force, not --jobs)."""
        return (self.formats, self.presets, self.press, self.cmyk, self.backs, self.vertical, self.newsletters)


def command_options(formats: str, presets: tuple[str, ...] = (), jobs: int | None = None, **flags) -> Options:
    """Options as a command's flags give them: --format all is both formats, no --preset is the
    square, --press implies --cmyk (print shops take CMYK only), no --jobs is every core."""
    flags["cmyk"] = flags.get("cmyk", False) or flags.get("press", False)
    return Options(formats=formats_named(formats), presets=tuple(presets) or DEFAULT_PRESETS,
                   jobs=jobs or os.cpu_count() or 1, **flags)


@dataclass
class Report:
    """What a build wrote, said so that people find their files."""

    written: list[tuple[Path, str]] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # what the user may want to fix, though it built

    def add(self, path: Path, what: str) -> None:
        self.written.append((path, what))

    def lines(self) -> Iterator[str]:
        for path, what in self.written:
            yield f"wrote {display_path(path)}  ({what})"
        for note in self.notes:
            yield f"note: {note}"
        if self.unchanged:
            yield unchanged_line(self.unchanged)
