"""The build cache: skip rendering whose inputs have not changed since the last build.

Each output file is recorded with a key (a hash of exactly what it was made from: the model
objects it shows, the theme, the font files' bytes, the tool version, SOURCE_DATE_EPOCH and the
options) and the hash of its bytes when written. A file is fresh when its key matches and its
bytes are still those we wrote (a size and a time can be kept by a changed file). Paths in the
keys and the manifest are relative to the project and the output folder, so a moved or copied
project is still up to date. A whole command is skipped without even reading the content when the
content files, fonts, version and options are those of the last run and all its files are fresh.
The manifest lives in output/.cache/ and is written after the outputs, so a build interrupted
between the two only rebuilds more next time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterable

from builder import __version__
from builder.options import Options
from builder.paths import Project

MANIFEST = Path(".cache") / "manifest.json"


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def files_stamp(paths: Iterable[Path]) -> str:
    """The input files by their names and bytes, with the tool version and SOURCE_DATE_EPOCH
    (which sets the dates inside the PDFs). Only regular files are read: a pipe or a folder
    named like a content file is left to the content loader to refuse."""
    parts: list[object] = [__version__, os.environ.get("SOURCE_DATE_EPOCH", "")]
    for path in sorted(paths, key=lambda p: (p.name, str(p))):
        parts.append((path.name, file_hash(path) if path.is_file() else "not a file"))
    return digest(*parts)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb", buffering=0) as handle:
            while chunk := handle.read(1 << 20):
                h.update(chunk)
    except OSError:
        return "unreadable"
    return h.hexdigest()


def run_key(project: Project, options: Options, targets: Iterable[str]) -> str:
    """Everything a command's files depend on, read without parsing the content."""
    inputs = [*(p for p in project.content.rglob("*.yaml") if _regular(p)), project.art_library,
              *(f for folder in project.font_dirs if folder.is_dir() for f in folder.iterdir() if _regular(f))]
    root = output_root(project, options).resolve()
    where = root.relative_to(project.root) if root.is_relative_to(project.root) else root
    return digest(files_stamp(inputs), options.identity(), sorted(targets), str(where))


def _regular(path: Path) -> bool:
    """Checked without opening, so a FIFO named like a content file cannot hang the check."""
    try:
        return path.is_file()
    except OSError:
        return False


def theme_identity(theme) -> str:
    """The theme as a key part: font files by name (their bytes are in the files stamp), so the
    project's folder does not enter the key."""
    return repr(dataclasses.replace(theme, fonts={role: path.name for role, path in theme.fonts.items()}))


def output_root(project: Project, options: Options) -> Path:
    return options.output or project.output


def unchanged_run(project: Project, options: Options, key: str) -> int | None:
    """How many files the earlier run with this `run_key` wrote, if all are still as written; else None."""
    kept = BuildCache(output_root(project, options), enabled=not options.force).run_is_fresh(key)
    return None if kept is None else len(kept)


class BuildCache:
    def __init__(self, root: Path, *, enabled: bool):
        self.root = root
        self.enabled = enabled
        self.path = root / MANIFEST
        self.files: dict[str, dict] = {}
        self.runs: dict[str, dict[str, str]] = {}  # run key -> {file: its key when that run wrote it}
        if self.path.is_file():  # read even with --force: the files it records are what `build clean` removes
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                files, runs = data.get("files", {}), data.get("runs", {})
                if isinstance(files, dict) and isinstance(runs, dict):
                    self.files, self.runs = files, runs
            except (ValueError, OSError, AttributeError):
                pass  # a damaged manifest only means a full rebuild

    def _name(self, path: Path) -> str:
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def fresh(self, path: Path, key: str) -> bool:
        entry = self.files.get(self._name(path))
        if not (self.enabled and entry and entry["key"] == key):
            return False
        return _regular(path) and file_hash(path) == entry.get("sha256")

    def run_is_fresh(self, run_key: str) -> list[Path] | None:
        """The files of an identical earlier run, if every one of them is still the file that run
        wrote (a later run with other content may have replaced some)."""
        if not self.enabled or run_key not in self.runs:
            return None
        paths = [self.root / name for name in self.runs[run_key]]
        for name, path in zip(self.runs[run_key], paths):
            if not self.fresh(path, self.runs[run_key][name]):
                return None
        return paths

    def remember(self, path: Path, key: str) -> None:
        self.files[self._name(path)] = {"key": key, "sha256": file_hash(path)}

    def save(self, run_key: str, paths: list[Path]) -> None:
        files = {self._name(p): self.files[self._name(p)]["key"] for p in paths}
        self.runs = {run_key: files} | {k: v for k, v in self.runs.items() if k != run_key}
        self.runs = dict(list(self.runs.items())[:8])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a fresh name each time (created, never opened through a link someone planted)
        fd, temp = tempfile.mkstemp(prefix="manifest.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"files": self.files, "runs": self.runs}, handle, ensure_ascii=False, indent=0)
            os.replace(temp, self.path)
        except OSError:
            Path(temp).unlink(missing_ok=True)  # the cache is only an optimisation: the build stands
