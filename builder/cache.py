"""The build cache: skip rendering whose inputs have not changed since the last build.

Each output file is recorded with a key (a hash of exactly what it was made from: the model
objects it shows, the theme, the font files' bytes, the tool version, SOURCE_DATE_EPOCH and the
options) and the hash of its bytes when written. A file is fresh when its key matches and its
bytes are still those we wrote (a size and a time can be kept by a changed file). Paths in the
keys and the manifest are relative to the project and the output folder, so a moved or copied
project is still up to date. A whole command is skipped without even reading the content when the
content files, fonts, version and options are those of the last run and all its files are fresh.
The manifest lives in output/.cache/ and is written after the outputs, so a build interrupted
between the two only rebuilds more next time. Beside it, hashes.json remembers each file's hash
with its stat, so that an unchanged rebuild reads no file twice across runs (see `KnownHashes`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from builder import __version__, places
from builder.places import user_cache

# Keys are SHA-256 of short texts, made by the interpreter's own SHA-256 module: hashlib loads
# OpenSSL, about 10 M instructions, more than all the rest of what a no-op adds to the interpreter.
# Files are hashed by hashlib (file_hash), whose SHA extensions are several times faster on megabytes.
try:
    from _sha256 import sha256 as _key_sha256  # Python 3.11
except ImportError:  # pragma: no cover - Python 3.12 renamed it; a Python built without it has hashlib's
    try:
        from _sha2 import sha256 as _key_sha256
    except ImportError:
        from hashlib import sha256 as _key_sha256

if TYPE_CHECKING:  # the no-op imports this module, and the dataclasses module costs it more than its answer
    from typing import Iterable

    from builder.options import Options
    from builder.paths import Project

MANIFEST = Path(".cache") / "manifest.json"
HASHES = Path(".cache") / "hashes.json"
# where no time of the file's own file system is known, a file changed this recently (by the clock) is
# hashed again next time: a safe bound on timestamp granularity (FAT: 2 s) and lag (see KnownHashes)
SETTLED_NS = 2_000_000_000
# a file this large (a font: 3-5 MB each, 17 MB in all, the most of a cold run key's reading) has
# its hash remembered in the user cache too, so that a new project or output folder need not read it
SHARED_SIZE = 1 << 20


def digest(*parts: object) -> str:
    h = _key_sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        # not mutated: any separator that repr() never yields keeps the parts apart
        h.update(b"\0")  # pragma: no mutate
    return h.hexdigest()


def files_stamp(paths: Iterable[Path]) -> str:
    """The input files by their names and bytes, with the tool version and SOURCE_DATE_EPOCH
    (which sets the dates inside the PDFs). Only regular files are read: a pipe or a folder
    named like a content file is left to the content loader to refuse."""
    parts: list[object] = [__version__, os.environ.get("SOURCE_DATE_EPOCH", "")]
    for path in sorted(paths, key=lambda p: (p.name, str(p))):
        parts.append((path.name, KNOWN.hash(path) if path.is_file() else "not a file"))
    return digest(*parts)


def file_hash(path: Path) -> str:
    import hashlib  # here: an unchanged run whose files are all remembered hashes none

    h = hashlib.sha256()
    try:
        # not mutated: the buffering and the chunk size change the speed, not the hash
        with open(path, "rb", buffering=0) as handle:  # pragma: no mutate
            while chunk := handle.read(1 << 20):  # pragma: no mutate
                h.update(chunk)
    except OSError:
        return "unreadable"
    return h.hexdigest()


class KnownHashes:
    """File hashes remembered with the file's stat (size, mtime, ctime, inode, device): a file
    whose stat is unchanged is not read again, within a run (the fonts are in the run key and in
    the pipeline's keys) and across runs (output/.cache/hashes.json, written with the manifest
    after a build, and by an unchanged run only when it learnt a hash). ctime cannot be set back
    by anyone (touch and utime update it too), so a file rewritten with its old size and mtime
    still counts as changed. The fonts (see SHARED_SIZE) are also remembered in the user cache,
    beside the fonts' parsed tables, since a new output folder would read them again.

    A stat can be kept by a second change, though, when it falls in the same tick of the file
    system's clock as the first (git's racily clean entries). So a hash is remembered only if the
    file's last change (its mtime or ctime, whichever is later) is older than a time the same file
    system's clock had already reached before the file was read: every later change then gets a
    later ctime. Such a time is the ctime of the memo's folder (or the user cache's), taken when
    the memo is loaded (a build writes its memo after its files), or, for files newer than that (a
    build's outputs), of the same folder after this process set its times (`_tick`: once a build,
    and in an unchanged run only for a file it is about to learn). The comparison is strict and both
    times are the file system's own, truncated to its granularity, so one tick apart is enough
    whatever the granularity; the machine's clock is not used, since file times lag it (the
    kernel's coarse clock) and may come from elsewhere (a file server). Only for a file on another
    device than these folders is the clock used, with the safe bound SETTLED_NS."""

    def __init__(self) -> None:
        self.known: dict[str, list] = {}  # absolute path -> [size, mtime, ctime, inode, device, sha256]
        self.changed = False
        self.shared: dict[str, list] | None = None  # the big files', from the user cache (None: not read yet)
        self.shared_changed = False
        self.seen: dict[int, int] = {}  # device -> a ctime (ns) its clock had reached before the reads that follow
        self.clock: Path | None = None  # a folder whose times this process may set, to read its file system's clock
        # not mutated: any value but a device's lets the clock folder be tried, and load sets both
        self.clock_device: int | None = None  # pragma: no mutate

    def load(self, root: Path) -> None:
        """Take what the runs in the output folder `root` knew (a damaged memo is ignored), with
        the time its folder last changed."""
        self.clock, self.clock_device = root / HASHES.parent, self._saw(root / HASHES.parent)
        self.known |= _entries(root / HASHES)

    def _shared(self) -> dict[str, list]:
        """The big files the user cache knows, read once, when a file is not known here (an
        unchanged run's output folder knows them all), with the time that folder last changed."""
        if self.shared is None:
            self._saw(Path(user_cache()))
            self.shared = _entries(Path(user_cache()) / HASHES.name)
        return self.shared

    def _saw(self, folder: Path) -> int | None:
        """Note the ctime of `folder`, stat'd now (so before any read that follows), as a time its
        file system's clock has reached; its device, or None if it cannot be stat'd."""
        try:
            stat = os.stat(folder)
        except OSError:
            return None
        self.seen[stat.st_dev] = max(self.seen.get(stat.st_dev, stat.st_ctime_ns), stat.st_ctime_ns)
        return stat.st_dev

    def _tick(self) -> None:
        """Set the clock folder's times to now and note its ctime (a metadata change, made only
        where a memo is about to be written); where that fails, the clock folder is given up."""
        if self.clock is None:
            return
        try:
            try:
                os.utime(self.clock)
            except FileNotFoundError:  # a first build: the memo's folder is made for it anyway
                self.clock.mkdir(parents=True)
        except OSError:
            self.clock = None
            return
        self.clock_device = self._saw(self.clock)

    def _settled(self, stat: os.stat_result) -> bool:
        """True when no later change of the file can keep `stat`; asked before the file is read."""
        changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
        if changed >= self.seen.get(stat.st_dev, changed) and self.clock_device in (None, stat.st_dev):
            self._tick()  # the file is newer than any time known of its file system: read it now
        if stat.st_dev in self.seen:
            return changed < self.seen[stat.st_dev]
        return time.time_ns() - changed > SETTLED_NS

    def hash(self, path: Path | str) -> str:
        """The file's SHA-256 in hex; "unreadable" or "not a file" (never opened: a FIFO would
        hang the read) for what has none."""
        try:
            stat = os.stat(path)
        except OSError:
            return "unreadable"
        if not S_ISREG(stat.st_mode):
            return "not a file"
        name = os.path.abspath(path)
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]
        entry = self.known.get(name)
        if entry is not None and entry[:5] == stamp:
            return entry[5]
        entry = self._shared().get(name)
        if entry is not None and entry[:5] == stamp:
            return entry[5]
        settled = self._settled(stat)
        sha = file_hash(path)
        if sha != "unreadable" and settled:
            self.known[name] = stamp + [sha]
            self.changed = True
            if stat.st_size >= SHARED_SIZE:
                self._shared()[name] = self.known[name]
                self.shared_changed = True
        return sha

    def save(self, root: Path) -> None:
        """Keep what this process knows in the output folder `root`, if it learnt anything; the
        big files outside it also in the user cache, for every project and output folder."""
        if self.changed and _write_json(root / HASHES, self.known):
            self.changed = False
        if self.shared_changed and self.shared is not None:
            inside = str(root.resolve()) + os.sep  # the outputs are no other folder's business
            big = {name: entry for name, entry in self.shared.items() if not name.startswith(inside)}
            if _write_json(Path(user_cache()) / HASHES.name, big):
                self.shared_changed = False


def _entries(path: Path) -> dict[str, list]:
    """The valid entries of a stored memo (none when it is missing or damaged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: entry for name, entry in data.items() if _valid_entry(entry)} if isinstance(data, dict) else {}


def _valid_entry(entry: object) -> bool:
    return (isinstance(entry, list) and len(entry) == 6 and all(type(v) is int for v in entry[:5])
            and isinstance(entry[5], str))


KNOWN = KnownHashes()


def _write_json(path: Path, data: object) -> bool:
    # not mutated: any escaping and indentation reads back the same (json.loads)
    return write_cache_file(path, json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8"))  # pragma: no mutate


def write_cache_file(path: Path, data: bytes) -> bool:
    """Written under a fresh name (created, never opened through a link someone planted), then
    moved into place; False if that failed (the caches are only optimisations)."""
    import tempfile  # here: only a run that learnt something writes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # not mutated: the temporary's name is read by no one (it is renamed, or removed on failure)
        name = {"prefix": path.stem + ".", "suffix": ".tmp"}  # pragma: no mutate
        fd, temp = tempfile.mkstemp(dir=path.parent, **name)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
        return True
    except OSError:
        Path(temp).unlink(missing_ok=True)
        return False


def run_key(project: Project, options: Options, targets: Iterable[str]) -> str:
    """Everything a command's files depend on, read without parsing the content."""
    return folder_run_key(project.root, output_root(project, options), options.identity(), targets)


def folder_run_key(root: Path, output: Path, identity: tuple, targets: Iterable[str]) -> str:
    """run_key from plain values: the project's folder, the output folder and Options.identity()
    (the no-op has no Project or Options, see builder.noop)."""
    KNOWN.load(output)
    inputs = [*(p for p in (root / "content").rglob("*.yaml") if _regular(p)), places.art_library(root),
              *(f for folder in places.font_dirs(root) if folder.is_dir() for f in folder.iterdir() if _regular(f))]
    output = output.resolve()
    where = output.relative_to(root) if output.is_relative_to(root) else output
    return digest(files_stamp(inputs), identity, sorted(targets), str(where))


def _regular(path: Path) -> bool:
    """Checked without opening, so a FIFO named like a content file cannot hang the check."""
    try:
        return path.is_file()
    except OSError:
        return False


def theme_identity(theme) -> str:
    """The theme as a key part: font files by name (their bytes are in the files stamp), so the
    project's folder does not enter the key."""
    import dataclasses

    return repr(dataclasses.replace(theme, fonts={role: path.name for role, path in theme.fonts.items()}))


def output_root(project: Project, options: Options) -> Path:
    return options.output or project.output


def unchanged_run(project: Project, options: Options, key: str) -> int | None:
    """How many files the earlier run with this `run_key` wrote, if all are still as written; else None.
    The build that wrote them remembered their hashes (see BuildCache.remember), so an unchanged
    run reads no output file: it only compares their stats."""
    return unchanged_files(output_root(project, options), key, force=options.force)


def unchanged_files(root: Path, key: str, *, force: bool = False) -> int | None:
    """unchanged_run from plain values: the output folder `root` and --force."""
    kept = BuildCache(root, enabled=not force).run_is_fresh(key)
    if kept is not None:
        KNOWN.save(root)
    return kept


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
        return self._fresh(self._name(path), path, key)

    def _fresh(self, name: str, path: Path | str, key: str) -> bool:
        entry = self.files.get(name)
        if not (self.enabled and entry and entry["key"] == key):
            return False
        return KNOWN.hash(path) == entry.get("sha256")

    def twin(self, key: str) -> Path | None:
        """A file that a build made with this key (from the same inputs, in another place) and
        that is still as it was written, or None (always None with --force: see `_fresh`)."""
        for name, entry in self.files.items():
            if entry.get("key") == key and self._fresh(name, self.root / name, key):
                return self.root / name
        return None

    def run_is_fresh(self, run_key: str) -> int | None:
        """How many files an identical earlier run wrote, if every one of them is still the file
        that run wrote (a later run with other content may have replaced some); else None. Looked
        up by the names the manifest records, joined as text (a no-op checks about a hundred files,
        and making each a Path cost more than checking it)."""
        if not self.enabled or run_key not in self.runs:
            return None
        files, root = self.runs[run_key], os.fspath(self.root)
        for name, key in files.items():
            if not self._fresh(name, os.path.join(root, name), key):
                return None
        return len(files)

    def remember(self, path: Path, key: str) -> None:
        """Record a file just written; its hash is remembered with its stat too (see KnownHashes),
        so that the next run reads no output again."""
        self.files[self._name(path)] = {"key": key, "sha256": KNOWN.hash(path)}

    def save(self, run_key: str, paths: list[Path]) -> None:
        files = {self._name(p): self.files[self._name(p)]["key"] for p in paths}
        self.runs = {run_key: files} | {k: v for k, v in self.runs.items() if k != run_key}
        self.runs = dict(list(self.runs.items())[:8])
        _write_json(self.path, {"files": self.files, "runs": self.runs})
        KNOWN.save(self.root)
