"""`build clean`: remove what the builds wrote, known from the build cache's manifest, and nothing else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from builder.cache import MANIFEST, file_hash
from builder.output import remove_leftovers


def clean_outputs(root: Path) -> tuple[list[Path], list[Path]]:
    """Remove every file the manifest records that is still the file a build wrote (the same
    content hash), the cache, temporary files of killed builds, and folders left empty.
    Returns (removed, kept): kept are recorded files changed since, left for the user to judge."""
    manifest = root / MANIFEST
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files", {}) if manifest.is_file() else {}
    except (ValueError, OSError):
        files = {}  # a damaged manifest: we no longer know what we wrote, so remove no outputs
    removed, kept, folders = [], [], set()
    for name, entry in files.items():
        path = root / name
        if not path.is_file() or path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
            continue
        if file_hash(path) != entry.get("sha256"):
            kept.append(path)
            continue
        path.unlink()
        removed.append(path)
        folders.update(parent for parent in path.parents if parent.is_relative_to(root) and parent != root)
    remove_leftovers(root)
    shutil.rmtree(manifest.parent, ignore_errors=True)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed, kept
