"""A plain command line (`build all`, `build newsletter` or `build karuta`, no options): what it
asks for and how the answer that nothing changed reads, as plain values.

builder.options makes the CLI's Options and Report from these values, and builder.noop answers
an unchanged plain build from them before any dataclass is loaded (importing the dataclasses
module alone costs about as much as the rest of that answer).
"""

from __future__ import annotations

# --format when none is given: the deck's PDF for `build karuta`, PDF and images for `build all`
DEFAULT_FORMAT = {"karuta": "pdf", "all": "all", "newsletter": "pdf"}
DEFAULT_PRESETS = ("square",)  # no --preset: the square social image


def formats_named(name: str) -> tuple[str, ...]:
    """The formats a --format value means: `all` is both."""
    return ("pdf", "png") if name == "all" else (name,)


def identity(command: str) -> tuple:
    """Options.identity() of the plain `command` (what changes the files: its default formats,
    nothing else asked for); test_noop holds it equal to the CLI's."""
    return formats_named(DEFAULT_FORMAT[command]), DEFAULT_PRESETS, False, False, False, False, ()


def unchanged_line(count: int) -> str:
    return f"{count} file(s) unchanged since the last build, not rebuilt (--force rebuilds everything)"
