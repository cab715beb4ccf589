"""`--watch`: rebuild on save. Each rebuild is an ordinary incremental build, so a card edit
redraws that card's images and the deck PDF only; a mistake is printed and watching goes on."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from builder.cache import run_key
from builder.errors import BuildError, ContentError, display_path
from builder.options import Options
from builder.paths import Project

WATCHED_SUFFIXES = (".yaml", ".yml", ".json", ".ttf", ".otf", ".ttc", ".svg", ".png")

Say = Callable[..., None]


def watched_folders(project: Project) -> list[Path]:
    """The project's own inputs: content/, and fonts/ and assets/ when it has them."""
    return [folder for folder in (project.content, project.root / "fonts", project.root / "assets") if folder.is_dir()]


def is_input(path: Path) -> bool:
    """Files a build reads (not editor swap or backup files)."""
    return path.suffix.lower() in WATCHED_SUFFIXES and not path.name.startswith((".", "#"))


def rebuild(project: Project, options: Options, targets: list[str],
            changed: Iterable[Path]) -> list[tuple[str, str]]:
    """What one save means, as (kind, line) for the CLI to print: the files that changed, then
    what the rebuild wrote, or the mistake to fix (an "error") while watching goes on."""
    from builder.pipeline import run

    lines = [("info", f"changed {display_path(path)}") for path in sorted(set(changed))]
    try:
        report = run(project, options, targets, run_key(project, options, targets))
    except (ContentError, BuildError) as err:
        return lines + [("error", str(err))]
    if not report.written:
        return lines + [("info", "nothing to redraw: the change does not show in these files")]
    return lines + [("info", line) for line in report.lines()]


def watch(project: Project, options: Options, targets: list[str], say: Say) -> None:
    """Rebuild on every save until Ctrl-C. watchfiles groups the events of one save (editors
    write a file in several steps) into one set of changes."""
    from watchfiles import watch as file_changes

    folders = watched_folders(project)
    say(f"watching {', '.join(display_path(f) for f in folders)}; press Ctrl-C to stop")
    for changes in file_changes(*folders, watch_filter=lambda _change, path: is_input(Path(path)),
                                raise_interrupt=False):
        for kind, line in rebuild(project, options, targets, (Path(path) for _, path in changes)):
            say(line, kind)
    say("stopped watching")
