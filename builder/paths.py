"""Where things are: the user's project folder, and the fonts, art and content we ship."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import BuildError

_PACKAGE = Path(__file__).resolve().parent
DECK_FILE = "karuta.yaml"
NEWSLETTER_GLOB = "newsletter*.yaml"
ART_FILE = Path("assets") / "art" / "fluent-emoji-flat.json"


def shipped_dir() -> Path:
    """Installed wheels carry fonts/, assets/ and content/ in builder/_data; a checkout has them at the top."""
    packaged = _PACKAGE / "_data"
    return packaged if packaged.is_dir() else _PACKAGE.parent


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
        own = self.root / "fonts"
        shipped = shipped_dir() / "fonts"
        return (own, shipped) if own.resolve() != shipped.resolve() else (shipped,)

    @property
    def deck_file(self) -> Path:
        return self.content / DECK_FILE

    def newsletter_files(self, names: tuple[str, ...] = ()) -> list[Path]:
        """The newsletter texts `names` (relative to content/), or by default every
        content/newsletter*.yaml, so that several issues sit side by side."""
        return [self.content / name for name in names] if names else sorted(self.content.glob(NEWSLETTER_GLOB))

    def targets(self) -> list[str]:
        """What `build all` makes here: the newsletters and the deck whose files exist."""
        return [name for name, present in (("newsletter", self.newsletter_files()), ("karuta", self.deck_file.is_file()))
                if present]

    @property
    def art_library(self) -> Path:
        """The illustration pieces: the project's own assets/art file if it has one, else ours."""
        own = self.root / ART_FILE
        return own if own.is_file() else shipped_dir() / ART_FILE


def find_project(root: Path | None) -> Project:
    """The folder holding content/theme.yaml: `root` (default: the current folder) or the nearest
    folder above it, so that the commands work from content/ or any other subfolder."""
    start = (root or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "content" / "theme.yaml").is_file():
            return Project(folder)
    raise BuildError(
        f"no content found: looked for content/theme.yaml in {start} and every folder above it. Run `build` "
        "inside a project folder, pass --project DIR, or start one with `build init DIR`."
    )
