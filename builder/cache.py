"""The build cache: skip rendering whose inputs have not changed since the last build.

Each output file is recorded with a key (a hash of exactly what it was made from: the model
objects it shows, the theme, the font files, the tool version and the options) and the size and
modification time it had when written. A file is fresh when its key matches and it is still
the file we wrote. A whole command is skipped without even reading the content when the
content files, fonts, version and options are those of the last run and all its files are fresh.
The manifest lives in output/.cache/ and is written after the outputs, so a build interrupted
between the two only rebuilds more next time.
"""

from __future__ import annotations

import hashlib
import json
import os
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
    """Content files by their bytes; fonts (large) by name, size and modification time."""
    parts: list[object] = [__version__]
    for path in sorted(paths):
        stat = path.stat()
        parts.append(path.read_bytes() if stat.st_size < 4_000_000 and path.suffix in (".yaml", ".yml", ".json")
                     else (path.name, stat.st_size, stat.st_mtime_ns))
    return digest(*parts)


def run_key(project: Project, options: Options, targets: Iterable[str]) -> str:
    """Everything a command's files depend on, read without parsing the content."""
    inputs = [*project.content.rglob("*.yaml"), project.icon_map,
              *(f for folder in project.font_dirs if folder.is_dir() for f in folder.iterdir() if f.is_file())]
    return digest(files_stamp(inputs), options.identity(), sorted(targets), str(output_root(project, options)))


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
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == entry["size"] and stat.st_mtime_ns == entry["mtime_ns"]

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
        stat = path.stat()
        self.files[self._name(path)] = {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def save(self, run_key: str, paths: list[Path]) -> None:
        files = {self._name(p): self.files[self._name(p)]["key"] for p in paths}
        self.runs = {run_key: files} | {k: v for k, v in self.runs.items() if k != run_key}
        self.runs = dict(list(self.runs.items())[:8])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps({"files": self.files, "runs": self.runs}, ensure_ascii=False, indent=0),
                        encoding="utf-8")
        os.replace(temp, self.path)
