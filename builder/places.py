"""Where a project's files are, as plain functions of its folder.

builder.paths' Project answers the same questions for the rest of the program; these functions
are what both use, kept free of dataclasses so that the no-op (builder.noop) can find the project
and its inputs before anything heavier than pathlib is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DECK_FILE = "karuta.yaml"
NEWSLETTER_GLOB = "newsletter*.yaml"
ART_FILE = Path("assets") / "art" / "fluent-emoji-flat.json"


def shipped_dir() -> Path:
    """Installed wheels carry fonts/, assets/ and content/ in builder/_data; a checkout has them at the top."""
    packaged = _PACKAGE / "_data"
    return packaged if packaged.is_dir() else _PACKAGE.parent


def user_cache() -> str:
    """Our folder in the user's cache (XDG_CACHE_HOME, else ~/.cache): font tables, dataclass code,
    QR matrices, the large fonts' hashes."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "karuta-press")


def project_root(start: Path) -> Path | None:
    """The folder holding content/theme.yaml: `start` (resolved) or the nearest folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "content" / "theme.yaml").is_file():
            return folder
    return None


def font_dirs(root: Path) -> tuple[Path, ...]:
    """The project's own fonts/ first, then the fonts we ship."""
    own = root / "fonts"
    shipped = shipped_dir() / "fonts"
    return (own, shipped) if own.resolve() != shipped.resolve() else (shipped,)


def art_library(root: Path) -> Path:
    """The illustration pieces: the project's own assets/art file if it has one, else ours."""
    own = root / ART_FILE
    return own if own.is_file() else shipped_dir() / ART_FILE


def newsletter_files(root: Path, names: tuple[str, ...] = ()) -> list[Path]:
    """The newsletter texts `names` (relative to content/), or by default every
    content/newsletter*.yaml, so that several issues sit side by side."""
    content = root / "content"
    return [content / name for name in names] if names else sorted(content.glob(NEWSLETTER_GLOB))


def targets(root: Path) -> list[str]:
    """What `build all` makes here: the newsletters and the deck whose files exist."""
    return [name for name, present in (("newsletter", newsletter_files(root)),
                                       ("karuta", (root / "content" / DECK_FILE).is_file())) if present]
