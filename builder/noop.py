"""An unchanged build answered before the command-line library is loaded.

`build all` (or `build newsletter`, `build karuta`) with nothing changed since the last run is
what people run most, and loading click and our command tree was about half of what it cost.
The plainest command lines (the command alone, optionally `--project DIR` before it and `-q`
anywhere) are checked here first, with the same run key and options as the CLI: when an identical
earlier run's files are all still as written, the answer is printed as the CLI prints it. Any
other command line, a project not found, a run that has something to build, or any error goes
on to the CLI, which decides and reports everything as before.
"""

from __future__ import annotations

import os

COMMANDS = ("all", "karuta", "newsletter")
QUIET = ("-q", "--quiet")


def plain_request(args: list[str]) -> tuple[str | None, str, bool] | None:
    """(the --project folder or None, the command, quiet) of a plain command line; else None."""
    folder = None
    if args[:1] in (["--project"], ["-p"]) and len(args) > 1:
        folder, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--project="):
        folder, args = args[0].removeprefix("--project="), args[1:]
    words = [arg for arg in args if arg not in QUIET]
    if len(words) != 1 or words[0] not in COMMANDS or (folder is not None and not os.path.isdir(folder)):
        return None
    return folder, words[0], len(words) != len(args)


def answered(args: list[str]) -> bool:
    """True when `args` asked for a plain build that has nothing to do, and the answer is printed."""
    request = plain_request(args)
    if request is None:
        return False
    folder, command, quiet = request
    try:
        lines = _unchanged(folder, command)
    except Exception:  # noqa: BLE001 - the CLI meets the same problem and reports it as it should
        return False
    if lines is None:
        return False
    if not quiet:
        for line in lines:
            print(line)
    return True


def _unchanged(folder: str | None, command: str) -> list[str] | None:
    """The CLI's run_key and unchanged_run for this command line, from plain values: its Project,
    Options and Report are dataclasses, and loading the dataclasses module would cost more than
    the whole answer (builder.places and builder.plain hold what they would have said)."""
    from pathlib import Path

    from builder import cache, places, plain

    root = places.project_root(Path(folder) if folder is not None else Path.cwd())
    if root is None:
        return None
    targets = places.targets(root) if command == "all" else [command]
    if not targets:
        return None
    output = root / "output"  # output_root without --output
    unchanged = cache.unchanged_files(output, cache.folder_run_key(root, output, plain.identity(command), targets))
    if unchanged is None:
        return None
    return [plain.unchanged_line(unchanged)] if unchanged else []
