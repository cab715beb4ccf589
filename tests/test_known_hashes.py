"""A file's hash is remembered with its stat, so an unchanged rebuild reads no font twice, but
any change of its bytes is still seen: a rewrite that keeps size and mtime (ctime moves), a
change moments after the last one (not remembered until it has settled), a damaged memo."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import builder.cache as cache
from builder.cache import HASHES, KnownHashes
from builder.options import Options
from builder.paths import Project


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _aged(path: Path, seconds: float, monkeypatch) -> None:
    """Make `path` look unchanged for `seconds`: the clock moves on instead (ctime cannot be set)."""
    now = max(path.stat().st_mtime_ns, path.stat().st_ctime_ns)
    monkeypatch.setattr(cache.time, "time_ns", lambda: now + int(seconds * 1e9))


def test_a_settled_file_is_read_once_and_remembered_across_runs(tmp_path: Path, monkeypatch):
    font = tmp_path / "f.ttf"
    font.write_bytes(b"\0" * 10)
    _aged(font, 3, monkeypatch)
    memo = KnownHashes()
    memo.load(tmp_path / "output")
    assert memo.hash(font) == _sha(font)
    reads = []
    monkeypatch.setattr(cache, "file_hash", lambda p: reads.append(p) or "read")
    assert memo.hash(font) == _sha(font) and reads == []  # from the memo
    memo.save(tmp_path / "output")
    stored = json.loads((tmp_path / "output" / HASHES).read_text(encoding="utf-8"))
    assert list(stored.values())[0][-1] == _sha(font)
    again = KnownHashes()
    again.load(tmp_path / "output")
    assert again.hash(font) == _sha(font) and reads == []  # the next run reads nothing either


def test_a_rewrite_with_the_old_size_and_mtime_is_read_again(tmp_path: Path, monkeypatch):
    font = tmp_path / "f.ttf"
    font.write_bytes(b"\0" * 10)
    _aged(font, 3, monkeypatch)
    memo = KnownHashes()
    first = memo.hash(font)
    stat = font.stat()
    font.write_bytes(b"\1" * 10)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _aged(font, 3, monkeypatch)
    assert memo.hash(font) == _sha(font) != first


def test_a_file_changed_moments_ago_is_not_remembered(tmp_path: Path, monkeypatch):
    """Two writes within one tick of the file system's clock keep the whole stat: only a file that
    has been still for a while may be trusted by its stat."""
    font = tmp_path / "f.ttf"
    font.write_bytes(b"\0" * 10)
    _aged(font, 0.5, monkeypatch)
    memo = KnownHashes()
    memo.hash(font)
    assert memo.known == {}
    reads = []
    monkeypatch.setattr(cache, "file_hash", lambda p: reads.append(p) or "fresh read")
    assert memo.hash(font) == "fresh read" and reads == [font]


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"x": 3}', '{"%s": [1, 2, 3, 4, 5, 6]}',
                                    '{"%s": ["a", 0, 0, 0, 0, "sha"]}'])
def test_a_damaged_memo_is_ignored(tmp_path: Path, damage: str):
    font = tmp_path / "f.ttf"
    font.write_bytes(b"\0" * 10)
    (tmp_path / HASHES).parent.mkdir(parents=True)
    (tmp_path / HASHES).write_text(damage.replace("%s", str(font)), encoding="utf-8")
    memo = KnownHashes()
    memo.load(tmp_path)
    assert memo.hash(font) == _sha(font)


def test_a_forged_entry_with_another_stat_is_not_believed(tmp_path: Path):
    font = tmp_path / "f.ttf"
    font.write_bytes(b"\0" * 10)
    s = font.stat()
    (tmp_path / HASHES).parent.mkdir(parents=True)
    forged = {str(font): [s.st_size, s.st_mtime_ns, s.st_ctime_ns - 1, s.st_ino, s.st_dev, "0" * 64]}
    (tmp_path / HASHES).write_text(json.dumps(forged), encoding="utf-8")
    memo = KnownHashes()
    memo.load(tmp_path)
    assert memo.hash(font) == _sha(font)


def test_an_unchanged_run_remembers_the_outputs_once_they_have_settled(tmp_path: Path, monkeypatch):
    """A build saves the memo moments after writing its files, too soon to remember them; the first
    unchanged run after they have settled remembers them, so the runs after it read no output."""
    out = tmp_path / "out"
    pdf = out / "a.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 x")
    monkeypatch.setattr(cache, "KNOWN", KnownHashes())
    written = cache.BuildCache(out, enabled=True)
    written.remember(pdf, "k")
    written.save("run", [pdf])
    project, options = Project(tmp_path), Options(output=out)
    assert cache.unchanged_run(project, options, "run") == 1
    assert not (out / HASHES).exists(), "not settled yet: nothing to remember"
    _aged(pdf, 3, monkeypatch)
    assert cache.unchanged_run(project, options, "run") == 1
    stored = json.loads((out / HASHES).read_text(encoding="utf-8"))
    assert stored[str(pdf)][-1] == _sha(pdf)
    later = KnownHashes()  # the next process, which reads the memo first (as run_key does)
    later.load(out)
    monkeypatch.setattr(cache, "KNOWN", later)
    reads = []
    monkeypatch.setattr(cache, "file_hash", lambda p: reads.append(p) or "read")
    assert cache.unchanged_run(project, options, "run") == 1 and reads == []


def test_a_font_is_remembered_for_every_output_folder_but_outputs_stay_in_their_own(tmp_path: Path, monkeypatch):
    """A font (a big file) hashed for one output folder is not read again for a new project's
    (the user cache keeps it); a big output file is remembered only in its own folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font, pdf = tmp_path / "f.ttf", tmp_path / "one" / "big.pdf"
    pdf.parent.mkdir()
    for path in (font, pdf):
        path.write_bytes(b"\0" * cache.SHARED_SIZE)
        _aged(path, 3, monkeypatch)
    memo = KnownHashes()
    memo.load(tmp_path / "one")
    memo.hash(font), memo.hash(pdf)
    memo.save(tmp_path / "one")
    reads = []
    monkeypatch.setattr(cache, "file_hash", lambda p: reads.append(p) or "read")
    other = KnownHashes()  # another process, for another output folder
    other.load(tmp_path / "two")
    assert other.hash(font) == _sha(font) and reads == []
    assert other.hash(pdf) == "read" and reads == [pdf]
