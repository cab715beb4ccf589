"""A file's hash is remembered with its stat, so an unchanged rebuild reads no font or output
twice, but any change of its bytes is still seen: a rewrite that keeps size and mtime (ctime
moves), a change in the same tick of the file system's clock as the memo's folder last changed (not
remembered: a second change in that tick would keep the stat), a damaged memo."""

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
    _settle(font)
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


def test_a_build_remembers_its_outputs_so_the_next_run_reads_none(tmp_path: Path, monkeypatch):
    """A build writes its files after its memo's folder last changed (when run_key loaded it):
    it moves that folder's times to read its file system's clock, and then the files it has just
    written are older than that and remembered; the unchanged run right after it reads no output."""
    out = tmp_path / "out"
    pdf = out / "a.pdf"
    (out / HASHES).parent.mkdir(parents=True)
    monkeypatch.setattr(cache, "KNOWN", KnownHashes())
    cache.KNOWN.load(out)  # as run_key does, before the build writes anything
    _settle(out / HASHES.parent)
    pdf.write_bytes(b"%PDF-1.4 x")
    _settle(pdf)  # the folder's times, set after it, are then surely later
    written = cache.BuildCache(out, enabled=True)
    written.remember(pdf, "k")
    written.save("run", [pdf])
    stored = json.loads((out / HASHES).read_text(encoding="utf-8"))
    assert stored[str(pdf)][-1] == _sha(pdf)
    later = KnownHashes()  # the next process, which reads the memo first (as run_key does)
    later.load(out)
    monkeypatch.setattr(cache, "KNOWN", later)
    reads = []
    monkeypatch.setattr(cache, "file_hash", lambda p: reads.append(p) or "read")
    assert cache.unchanged_run(Project(tmp_path), Options(output=out), "run") == 1 and reads == []


def _settle(path: Path) -> None:
    """Wait until the file system's clock has moved on from `path`'s last change (a tick: a
    jiffy on ext4, up to 2 s on FAT), so that what is written next is measurably later."""
    changed = path.stat().st_ctime_ns
    probe = path.parent / "probe"
    while True:
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns > changed:
            probe.unlink()
            return


def _settled_data(tmp_path: Path) -> Path:
    """A small content file whose last change the file system's clock has left behind."""
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    _settle(data)
    return data


def _loaded(folder: Path) -> KnownHashes:
    memo = KnownHashes()
    memo.load(folder)
    return memo


def _memo_folder_changed_at(memo: KnownHashes, path: Path, ctime_ns: int) -> None:
    """As if the memo's folder, on `path`'s device, had last changed at `ctime_ns` when the memo
    was loaded (no clock folder: nothing else tells this memo the file system's time)."""
    memo.seen = {path.stat().st_dev: ctime_ns}
    memo.clock = None


def test_a_file_changed_in_the_tick_the_memo_s_folder_last_changed_is_not_remembered(tmp_path: Path):
    """The racy case: a file changed in the same tick of the file system's clock as the memo was
    written (after it, or before it) may change again in that tick and keep its whole stat. One
    tick later is enough, whatever the tick: both times are the file system's own."""
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    changed = data.stat().st_ctime_ns
    memo = KnownHashes()
    _memo_folder_changed_at(memo, data, changed)
    assert memo.hash(data) == _sha(data) and memo.known == {}
    _memo_folder_changed_at(memo, data, changed + 1)
    memo.hash(data)
    assert memo.known[str(data)][-1] == _sha(data)


def test_the_later_of_mtime_and_ctime_counts(tmp_path: Path):
    """Where a file system keeps no change time (vfat's ctime is the file's creation), a write
    still moves the mtime: a file whose mtime is not older than the memo's folder is not trusted."""
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    stat = data.stat()
    os.utime(data, ns=(stat.st_atime_ns, stat.st_ctime_ns + 10**9))  # the ctime moves too, by less
    memo = KnownHashes()
    _memo_folder_changed_at(memo, data, data.stat().st_ctime_ns + 1)
    memo.hash(data)
    assert memo.known == {}


def test_a_file_on_another_file_system_than_the_memo_goes_by_the_clock(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no cache yet"))  # no time of this file system known
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    memo = KnownHashes()
    memo.seen = {data.stat().st_dev + 1: data.stat().st_ctime_ns + 10**12}
    _aged(data, 2, monkeypatch)  # more than SETTLED_NS is asked
    memo.hash(data)
    assert memo.known == {}
    _aged(data, 3, monkeypatch)
    memo.hash(data)
    assert list(memo.known) == [str(data)]


def test_the_latest_of_the_memo_folders_times_counts(tmp_path: Path, monkeypatch):
    """The output folder's memo is older than a file, the user cache's is newer (loaded first):
    the file is older than a time the file system's clock has reached, and remembered."""
    (tmp_path / "out" / HASHES).parent.mkdir(parents=True)
    _settle(tmp_path / "out" / HASHES.parent)
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    _settle(data)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    Path(cache.user_cache()).mkdir(parents=True)
    memo = KnownHashes()
    memo.load(tmp_path / "out")
    memo.clock = None
    memo.hash(data)
    assert list(memo.known) == [str(data)]


def test_a_memo_folder_whose_times_cannot_be_set_leaves_the_clock_to_decide(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no cache yet"))  # no time of this file system known
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    memo = KnownHashes()
    memo.clock = clock = data / "not a folder"
    _aged(data, 0.5, monkeypatch)
    memo.hash(data)
    assert memo.known == {} and not clock.exists()
    _aged(data, 3, monkeypatch)
    memo.hash(data)
    assert list(memo.known) == [str(data)]


def test_a_font_is_remembered_for_every_output_folder_but_outputs_stay_in_their_own(tmp_path: Path, monkeypatch):
    """A font (a big file) hashed for one output folder is not read again for a new project's
    (the user cache keeps it); a big output file is remembered only in its own folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font, pdf = tmp_path / "f.ttf", tmp_path / "one" / "big.pdf"
    pdf.parent.mkdir()
    for path in (font, pdf):
        path.write_bytes(b"\0" * cache.SHARED_SIZE)
        _settle(path)
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


def test_the_memo_folder_s_times_are_set_only_where_they_can_tell_something(tmp_path: Path, monkeypatch):
    """Not for a file older than the memo's folder, not for a file on another device than it (its
    clock is not that file's), and after one failure to set them, never again in the run."""
    (tmp_path / "out" / HASHES).parent.mkdir(parents=True)
    old = tmp_path / "old.yaml"
    old.write_bytes(b"x: 1\n")
    _settle(old)
    os.utime(tmp_path / "out" / HASHES.parent)  # the memo's folder changed after it
    sets = []
    real_utime = os.utime
    monkeypatch.setattr(cache.os, "utime", lambda path, *a, **k: sets.append(path) or real_utime(path, *a, **k))
    memo = KnownHashes()
    memo.load(tmp_path / "out")
    memo.hash(old)
    assert sets == [] and list(memo.known) == [str(old)]
    fresh = tmp_path / "fresh.yaml"
    fresh.write_bytes(b"x: 2\n")
    memo.clock_device = fresh.stat().st_dev + 1
    memo.hash(fresh)
    assert sets == []
    memo.clock, memo.clock_device = fresh / "not a folder", None
    memo.hash(fresh)
    memo.hash(fresh)
    assert sets == [fresh / "not a folder"]


def test_what_is_not_a_regular_file_is_never_opened(tmp_path: Path, monkeypatch):
    """A FIFO (its read would wait for a writer) or a folder where a file was: no hash, not opened."""
    fifo, folder = tmp_path / "a.pdf", tmp_path / "b.pdf"
    os.mkfifo(fifo)
    folder.mkdir()
    opened = []
    monkeypatch.setattr(cache, "file_hash", lambda p: opened.append(p) or "read")
    memo = KnownHashes()
    assert memo.hash(fifo) == memo.hash(folder) == "not a file" and opened == []
    assert memo.hash(tmp_path / "gone.pdf") == "unreadable" and opened == []


def test_the_user_cache_memo_is_read_only_for_a_file_the_output_folder_does_not_know(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font = tmp_path / "f.ttf"
    font.write_bytes(b"\0" * 10)
    _settle(font)
    memo = KnownHashes()
    memo.load(tmp_path / "out")
    memo.hash(font)
    memo.save(tmp_path / "out")
    later = KnownHashes()
    later.load(tmp_path / "out")
    assert later.hash(font) == _sha(font) and later.shared is None
    other = tmp_path / "g.ttf"
    other.write_bytes(b"\1" * 10)
    later.hash(other)
    assert later.shared == {}


def test_a_file_that_cannot_be_read_is_not_remembered(tmp_path: Path, monkeypatch):
    """Its mode forbids reading (root, who runs these tests, reads anything: open is refused here)."""
    data = _settled_data(tmp_path)
    memo = _loaded(tmp_path / "out")

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(cache, "open", refused, raising=False)
    assert memo.hash(data) == "unreadable" and memo.known == {}
    monkeypatch.delattr(cache, "open")
    assert memo.hash(data) == _sha(data)


def test_a_memo_is_written_only_when_something_was_learnt_since(tmp_path: Path, monkeypatch):
    """Neither the output folder's memo a second time, nor the user cache's for a small file."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = _settled_data(tmp_path)
    memo = _loaded(tmp_path / "out")
    memo.hash(data)  # unknown here: the user cache's memo is read too
    writes = []
    real_write = cache._write_json
    monkeypatch.setattr(cache, "_write_json", lambda path, data: writes.append(path) or real_write(path, data))
    memo.save(tmp_path / "out")
    memo.save(tmp_path / "out")
    assert writes == [tmp_path / "out" / HASHES]
    font = tmp_path / "f.ttf"  # a big file: the user cache's memo too, once
    font.write_bytes(b"\0" * cache.SHARED_SIZE)
    _settle(font)
    memo.hash(font)
    memo.save(tmp_path / "out")
    memo.save(tmp_path / "out")
    assert writes == [tmp_path / "out" / HASHES] * 2 + [Path(cache.user_cache()) / HASHES.name]


def test_a_second_output_folder_s_memo_adds_to_what_this_process_knows(tmp_path: Path, monkeypatch):
    data = _settled_data(tmp_path)
    memo = _loaded(tmp_path / "one")
    memo.hash(data)
    memo.load(tmp_path / "two")
    reads = []
    monkeypatch.setattr(cache, "file_hash", lambda p: reads.append(p) or "read")
    assert memo.hash(data) == _sha(data) and reads == []


def test_an_unchanged_run_keeps_the_hashes_it_learnt(tmp_path: Path, monkeypatch):
    """Outputs a build could not remember (its memo's folder could not be touched: the clock
    decided, and they were new) are remembered by the first unchanged run, which saves them."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no cache yet"))
    out = tmp_path / "out"
    pdf = out / "a.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 x")
    monkeypatch.setattr(cache, "KNOWN", KnownHashes())  # never loaded: no folder to touch
    written = cache.BuildCache(out, enabled=True)
    written.remember(pdf, "k")
    written.save("run", [pdf])
    assert not (out / HASHES).exists()
    later = KnownHashes()
    later.load(out)
    monkeypatch.setattr(cache, "KNOWN", later)
    assert cache.unchanged_files(out, "run") == 1
    assert json.loads((out / HASHES).read_text(encoding="utf-8"))[str(pdf)][-1] == _sha(pdf)
