"""Writing outputs so that a failed or interrupted build leaves the previous files as they were.

A build keeps its files in memory until all of them are made; then it writes them into a
staging folder that it alone owns (`<output>/.staging-<pid>-<n>/`, files named by a counter), and
only when all of them are written are they moved into place. The commit first keeps each file it
replaces under a second name in the staging folder (a hard link), so that if any rename fails
every file goes back as it was. Nothing outside the staging folder is ever deleted except by its
exact name, and an interrupt during the commit waits for
the commit to finish. Overlapping builds each have their own staging folder, and commit one
after the other (a lock file in the output folder's .cache/).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from builder.errors import BuildError, display_path

STAGING_PREFIX = ".staging-"
LOCK_NAME = Path(".cache") / "build.lock"
_SERIAL = itertools.count()
_OURS = re.compile(r"^\d+\.(part|old)$")  # the only names a build writes into its staging folder


class Outputs:
    """Collect the files of one build; `commit()` puts them in place all at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root / f"{STAGING_PREFIX}{os.getpid()}-{next(_SERIAL)}"
        self._made: list[Path] = []  # every file this build created in the staging folder, by name
        self._staged: list[tuple[bytes, Path, str]] = []

    def __enter__(self) -> "Outputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.discard()

    def _new_name(self, suffix: str) -> Path:
        """The next staging file name, recorded before the file exists so an interrupt cannot orphan it."""
        if not self._made:
            remove_leftovers(self.root)
            try:
                self.staging.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise BuildError(f"cannot write to {display_path(self.root)} ({err.strerror}); check the folder's "
                                 "permissions and free space") from None
        path = self.staging / f"{len(self._made)}.{suffix}"
        self._made.append(path)
        return path

    def stage(self, path: Path, data: bytes, key: str | None = None) -> None:
        """Keep `data` for `path` until the commit (nothing touches the disk before then, so a
        build killed while it works leaves no file behind); `key` is what the build cache will
        record for it (by default the data's own hash, for files as cheap to make as to compare)."""
        self._staged.append((data, path, key or hashlib.sha256(data).hexdigest()))

    def _write(self, data: bytes, path: Path) -> Path:
        temp = self._new_name("part")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as err:
            temp.unlink(missing_ok=True)
            raise BuildError(f"cannot write {display_path(path)} ({err.strerror}); check the folder's permissions "
                             "and free space; nothing was changed") from None
        return temp

    def sizes(self) -> dict[Path, int]:
        """Each staged file's final path and its size in bytes (what this build will write)."""
        return {final: len(data) for data, final, _ in self._staged}

    def commit(self) -> list[tuple[Path, str]]:
        """Move every staged file into place, all or none; return (path, cache key) for each."""
        for _, final, _ in self._staged:
            if final.is_dir():
                raise BuildError(f"cannot write {display_path(final)}: a folder of that name is in the way; "
                                 "move or rename it; nothing was changed")
        temps = [self._write(data, final) for data, final, _ in self._staged]
        with _interrupts_wait(), build_lock(self.root):
            done: list[tuple[Path, Path | None]] = []  # (final, where its previous file waits) for each placed
            for temp, (_, final, _) in zip(temps, self._staged):
                aside = None
                try:
                    final.parent.mkdir(parents=True, exist_ok=True)
                    if final.exists() or final.is_symlink():
                        aside = self._new_name("old")
                        _keep_aside(final, aside)
                    os.replace(temp, final)
                except OSError as err:
                    if aside is not None and not final.exists():
                        done.append((final, aside))
                    self._roll_back(done, final, err)
                done.append((final, aside))
            written = [(final, key) for _, final, key in self._staged]
            self._staged = []
        return written

    def _roll_back(self, done: list[tuple[Path, Path | None]], failed: Path, err: OSError) -> None:
        """Put back every file the commit replaced, then say what happened, file by file."""
        lost: list[str] = []
        for final, aside in reversed(done):
            try:
                if aside is None:
                    # not mutated: a file this commit placed is there: missing_ok changes nothing
                    final.unlink(missing_ok=True)  # pragma: no mutate
                else:
                    os.replace(aside, final)
            except OSError:
                lost.append(display_path(final))
                if aside is not None:  # keep the previous file where the user can find it
                    self._made.remove(aside)
        message = f"cannot write {display_path(failed)} ({err.strerror}); "
        if lost:
            raise BuildError(message + f"these files could not be put back as they were: {', '.join(lost)} "
                                       f"(their previous versions are in {display_path(self.staging)}); "
                                       "close any program using them and build again")
        raise BuildError(message + "nothing was changed: every previous file is back in place; close any "
                                   "program that has it open or check the folder, and build again")

    def discard(self) -> None:
        """Remove what this build put in its staging folder, by exact name, and the folder."""
        for temp in self._made:
            temp.unlink(missing_ok=True)
        self._made, self._staged = [], []
        try:
            self.staging.rmdir()
        except OSError:
            pass


def _keep_aside(final: Path, aside: Path) -> None:
    """A second name for the file about to be replaced, so the commit can put it back; a hard
    link keeps `final` in place until the new file's rename (a build killed there leaves the old
    or the new file, never none); where links are not allowed the file is moved aside."""
    try:
        # not mutated: Linux link() never follows a symlink: True and False do the same
        os.link(final, aside, follow_symlinks=False)  # pragma: no mutate
    except OSError:
        os.replace(final, aside)


def remove_leftovers(root: Path) -> None:
    """Staging folders of builds that were killed: only files a build names there, only when
    the process that owned the folder is gone; the user's own files are never swept."""
    if not root.is_dir():
        return
    for folder in root.glob(f"{STAGING_PREFIX}*"):
        # not mutated: pid-serial has one dash: rpartition finds the same pid
        pid = folder.name[len(STAGING_PREFIX):].partition("-")[0]  # pragma: no mutate
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)) or folder.is_symlink():
            continue
        for temp in folder.iterdir():
            if _OURS.match(temp.name) and temp.is_file() and not temp.is_symlink():
                temp.unlink(missing_ok=True)
        try:
            folder.rmdir()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One commit at a time per output folder, so overlapping builds never mix their files."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: each build still has its own staging folder
        yield
        return
    (root / LOCK_NAME).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def _interrupts_wait() -> Iterator[None]:
    """Ctrl-C during the commit takes effect after it, so the set is never half replaced."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt("after the new files were in place")
