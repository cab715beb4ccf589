"""Where things are: the user's project folder, and the fonts, art and content we ship (the
answers themselves are builder.places' plain functions, which the no-op uses on its own)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder import places
from builder.errors import BuildError
from builder.places import DECK_FILE


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def font_dirs(self) -> tuple[Path, ...]:
        """The project's own fonts/ first, then the fonts we ship."""
        return places.font_dirs(self.root)

    @property
    def deck_file(self) -> Path:
        return self.content / DECK_FILE

    def newsletter_files(self, names: tuple[str, ...] = ()) -> list[Path]:
        """The newsletter texts `names` (relative to content/), or by default every
        content/newsletter*.yaml, so that several issues sit side by side."""
        return places.newsletter_files(self.root, names)

    def targets(self) -> list[str]:
        """What `build all` makes here: the newsletters and the deck whose files exist."""
        return places.targets(self.root)

    @property
    def art_library(self) -> Path:
        """The illustration pieces: the project's own assets/art file if it has one, else ours."""
        return places.art_library(self.root)


def find_project(root: Path | None) -> Project:
    """The folder holding content/theme.yaml: `root` (default: the current folder) or the nearest
    folder above it, so that the commands work from content/ or any other subfolder."""
    start = (root or Path.cwd()).resolve()
    found = places.project_root(start)
    if found is None:
        raise BuildError(
            f"no content found: looked for content/theme.yaml in {start} and every folder above it. Run `build` "
            "inside a project folder, pass --project DIR, or start one with `build init DIR`."
        )
    return Project(found)
