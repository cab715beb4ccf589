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
    from pathlib import Path

    from builder.cache import run_key, unchanged_run
    from builder.options import DEFAULT_FORMAT, Report, command_options
    from builder.paths import find_project

    project = find_project(Path(folder) if folder is not None else None)
    targets = project.targets() if command == "all" else [command]
    if not targets:
        return None
    options = command_options(DEFAULT_FORMAT[command])
    unchanged = unchanged_run(project, options, run_key(project, options, targets))
    return None if unchanged is None else list(Report(unchanged=unchanged).lines())
