"""Writing outputs so that a failed or interrupted build leaves the previous files as they were.

Every file of a build is first written to a hidden temporary file in its own folder; only when
all of them are written are they moved into place, each with an atomic rename. An exception
(or Ctrl-C) before that removes the temporary files and touches nothing else.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from builder.errors import BuildError, display_path


class Outputs:
    """Collect the files of one build; `commit()` puts them in place all at once."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path, str]] = []

    def __enter__(self) -> "Outputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

    def stage(self, path: Path, data: bytes, key: str | None = None) -> None:
        """Write `data` beside `path`; `key` is what the build cache will record for it (by
        default the data's own hash, for files as cheap to make as to compare)."""
        key = key or hashlib.sha256(data).hexdigest()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as err:
            self.discard()
            raise BuildError(f"cannot write {display_path(path)} ({err.strerror}); check the folder's permissions "
                             "and free space") from None
        self._staged.append((Path(temp), path, key))

    def sizes(self) -> dict[Path, int]:
        """Each staged file's final path and its size in bytes (what this build will write)."""
        return {final: temp.stat().st_size for temp, final, _ in self._staged}

    def commit(self) -> list[tuple[Path, str]]:
        """Move every staged file into place; return (path, cache key) for each.

        What could stop a rename half-way (a folder where a file should go) is checked for all
        files first, so that such a build fails before it replaces anything."""
        for _, final, _ in self._staged:
            if final.is_dir():
                self.discard()
                raise BuildError(f"cannot write {display_path(final)}: a folder of that name is in the way; "
                                 "move or rename it")
        written = []
        for temp, final, key in self._staged:
            os.chmod(temp, 0o644)
            try:
                os.replace(temp, final)
            except OSError as err:
                self.discard()
                raise BuildError(f"cannot write {display_path(final)} ({err.strerror}); the files listed before "
                                 "it were written, the rest were not: check the folder and build again") from None
            written.append((final, key))
        self._staged = []
        return written

    def discard(self) -> None:
        for temp, _, _ in self._staged:
            temp.unlink(missing_ok=True)
        self._staged = []


def remove_leftovers(root: Path) -> None:
    """Temporary files left by a build that was killed (they are never outputs)."""
    if root.is_dir():
        for temp in root.rglob(".*.part"):
            temp.unlink(missing_ok=True)
