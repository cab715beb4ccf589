"""The build cache in this process, without rendering: what makes a run's key change (every option
that changes the files, every content byte, fonts; not --force or --jobs), when a recorded file
counts as fresh, and that a damaged manifest only means a rebuild."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import make_project

import builder.cache as cache
import builder.cache as cache_module  # where a test's local `cache` is a BuildCache
from builder.cache import (HASHES, MANIFEST, BuildCache, KnownHashes, digest, files_stamp, output_root, run_key,
                           theme_identity, unchanged_run, write_cache_file)
from builder.content.theme import load_theme
from builder.options import Options
from builder.paths import find_project


@pytest.fixture
def proj(tmp_path: Path):
    return find_project(make_project(tmp_path / "p"))


def test_digest_is_the_sha256_of_the_parts_each_ended_by_a_nul():
    assert digest("a", b"b", 1) == hashlib.sha256(b"'a'\0b\0" + b"1\0").hexdigest()


def test_digest_separates_its_parts():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest(b"x") != digest("x") and digest(1) != digest("1")
    assert digest("a") == digest("a") and len(digest("a")) == 64


def test_files_stamp_follows_the_bytes_of_every_input_and_source_date_epoch(tmp_path: Path, monkeypatch):
    content, font = tmp_path / "a.yaml", tmp_path / "f.ttf"
    content.write_text("x: 1\n")
    font.write_bytes(b"\0" * 10)
    first = files_stamp([content, font])
    assert files_stamp([font, content]) == first  # order does not matter
    stat = content.stat()
    content.write_text("x: 2\n")
    os.utime(content, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert files_stamp([content, font]) != first  # same size and time, other bytes: content is read
    second = files_stamp([content, font])
    os.utime(font, ns=(1, 1))
    assert files_stamp([content, font]) == second  # touched, same bytes: nothing to rebuild
    font.write_bytes(b"\1" * 10)
    os.utime(font, ns=(1, 1))
    third = files_stamp([content, font])
    assert third != second  # a font with other bytes at the same size and time
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1638316800")
    assert files_stamp([content, font]) != third  # the dates inside the PDFs change


def test_output_root_is_the_option_or_the_project_output(proj, tmp_path):
    assert output_root(proj, Options()) == proj.output
    assert output_root(proj, Options(output=tmp_path / "o")) == tmp_path / "o"


def _written(root: Path, name: str, data: bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_file_is_fresh_while_its_key_and_bytes_match(tmp_path: Path):
    cache = BuildCache(tmp_path, enabled=True)
    path = _written(tmp_path, "a/b.pdf", b"12345")
    assert not cache.fresh(path, "k")  # never recorded
    cache.remember(path, "k")
    assert cache.fresh(path, "k")
    assert not cache.fresh(path, "other key")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))
    assert cache.fresh(path, "k")  # touched, same bytes
    path.write_bytes(b"54321")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not cache.fresh(path, "k")  # same size and time, other bytes
    path.write_bytes(b"123456")
    assert not cache.fresh(path, "k")  # another size
    path.unlink()
    assert not cache.fresh(path, "k")


def test_the_manifest_round_trips_and_remembers_runs(tmp_path: Path):
    cache = BuildCache(tmp_path, enabled=True)
    paths = [_written(tmp_path, f"f{k}.png", b"x" * k) for k in range(3)]
    for k, path in enumerate(paths):
        cache.remember(path, f"key{k}")
    cache.save("run-1", paths)
    data = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert set(data["runs"]["run-1"]) == {"f0.png", "f1.png", "f2.png"}
    again = BuildCache(tmp_path, enabled=True)
    assert again.run_is_fresh("run-1") == 3
    assert again.run_is_fresh("run-2") is None
    assert all(again.fresh(p, f"key{k}") for k, p in enumerate(paths))
    assert not list(tmp_path.rglob("*.tmp"))  # written through a temporary file, then renamed
    paths[1].write_bytes(b"changed")
    assert again.run_is_fresh("run-1") is None  # one file no longer as that run wrote it


def test_a_disabled_cache_finds_nothing_fresh(tmp_path: Path):
    cache = BuildCache(tmp_path, enabled=True)
    path = _written(tmp_path, "f.pdf", b"x")
    cache.remember(path, "k")
    cache.save("run", [path])
    forced = BuildCache(tmp_path, enabled=False)
    assert not forced.fresh(path, "k") and forced.run_is_fresh("run") is None


def test_only_the_latest_eight_runs_are_kept(tmp_path: Path):
    cache = BuildCache(tmp_path, enabled=True)
    path = _written(tmp_path, "f.pdf", b"x")
    cache.remember(path, "k")
    for k in range(10):
        cache.save(f"run-{k}", [path])
    kept = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["runs"]
    assert list(kept) == [f"run-{k}" for k in range(9, 1, -1)]  # newest first
    cache.save("run-5", [path])
    assert list(BuildCache(tmp_path, enabled=True).runs)[0] == "run-5"


@pytest.mark.parametrize("damage", ["{not json", "[]", "", '{"files": [], "runs": 3}'])
def test_a_damaged_manifest_means_a_rebuild_not_an_error(tmp_path: Path, damage: str):
    (tmp_path / MANIFEST).parent.mkdir(parents=True)
    (tmp_path / MANIFEST).write_text(damage, encoding="utf-8")
    try:
        cache = BuildCache(tmp_path, enabled=True)
    except AttributeError:  # a list where a mapping belongs
        pytest.fail("a damaged manifest must not stop the build")
    assert cache.run_is_fresh("anything") is None


def test_unchanged_run_counts_the_files_of_an_identical_run(proj):
    options = Options()
    key = run_key(proj, options, ["newsletter"])
    assert unchanged_run(proj, options, key) is None
    root = output_root(proj, options)
    cache = BuildCache(root, enabled=True)
    paths = [_written(root, "newsletter/newsletter.pdf", b"%PDF"), _written(root, "x.txt", b"t")]
    for path in paths:
        cache.remember(path, "k")
    cache.save(key, paths)
    assert unchanged_run(proj, options, key) == 2
    assert cache_module.unchanged_files(root, key) == 2  # as the no-op asks: without --force
    assert unchanged_run(proj, replace(options, force=True), key) is None


def test_a_cache_file_is_written_whole_beside_its_name_or_reported_unwritten(tmp_path: Path, monkeypatch):
    path = tmp_path / "out" / "deep" / ".cache" / "x.bin"  # folders that do not exist yet
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(cache.os, "replace", lambda a, b: (renames.append((Path(a), Path(b))), real_replace(a, b)))
    assert write_cache_file(path, b"data") is True
    assert path.read_bytes() == b"data" and [p.name for p in path.parent.iterdir()] == ["x.bin"]
    assert [(a.parent, b) for a, b in renames] == [(path.parent, path)], "renamed from beside it (atomic)"
    (tmp_path / "plain").write_text("a file where a folder belongs")
    assert write_cache_file(tmp_path / "plain" / "x.bin", b"data") is False

    def refuse(a, b):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cache.os, "replace", refuse)
    assert write_cache_file(path, b"other") is False
    assert path.read_bytes() == b"data" and [p.name for p in path.parent.iterdir()] == ["x.bin"], "no temporary left"


def test_a_cache_file_whose_temporary_vanished_before_a_failed_rename_is_reported_unwritten(tmp_path: Path,
                                                                                          monkeypatch):
    """Someone (a `build clean`, a cleaner) removed the temporary before the rename failed: still
    False (the caches are only optimisations), never an exception."""
    def vanish_then_refuse(a, b):
        os.unlink(a)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cache.os, "replace", vanish_then_refuse)
    path = tmp_path / ".cache" / "x.bin"
    assert write_cache_file(path, b"data") is False
    assert list(path.parent.iterdir()) == []


def test_known_hashes_start_empty_and_save_only_what_they_learnt(tmp_path: Path, monkeypatch):
    known = KnownHashes()
    known.save(tmp_path)
    assert not (tmp_path / HASHES).exists(), "nothing learnt, nothing written"
    folder = tmp_path / "folder"
    folder.mkdir()
    monkeypatch.setattr(cache, "SETTLED_NS", -1)  # everything counts as settled
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no cache yet"))  # so the clock decides
    known.hash(folder)  # a folder cannot be read as a file: nothing to remember
    known.hash(tmp_path / "missing")
    known.save(tmp_path)
    assert not (tmp_path / HASHES).exists()
    data = tmp_path / "data.yaml"
    data.write_bytes(b"x: 1\n")
    assert known.hash(data) == hashlib.sha256(b"x: 1\n").hexdigest()
    known.save(tmp_path)
    saved = json.loads((tmp_path / HASHES).read_text(encoding="utf-8"))
    assert list(saved) == [os.path.abspath(data)]
    assert saved[os.path.abspath(data)][5] == hashlib.sha256(b"x: 1\n").hexdigest()


def test_a_settled_file_is_read_once_then_known_by_its_stat_in_this_run_and_the_next(tmp_path: Path, monkeypatch):
    """The point of the remembered hashes: a file whose stat has not changed is not read again,
    neither later in the run nor in the next run (hashes.json); a changed one is."""
    monkeypatch.setattr(cache, "SETTLED_NS", -1)  # everything counts as settled
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no cache yet"))  # so the clock decides
    reads = []
    real_hash = cache.file_hash
    monkeypatch.setattr(cache, "file_hash", lambda path: (reads.append(path), real_hash(path))[1])
    data = _written(tmp_path, "data.yaml", b"x: 1\n")
    first = hashlib.sha256(b"x: 1\n").hexdigest()
    known = KnownHashes()
    assert known.hash(data) == first and known.hash(data) == first
    assert len(reads) == 1, "read again in the same run although its stat is unchanged"
    known.save(tmp_path)
    following = KnownHashes()
    following.load(tmp_path)
    assert following.hash(data) == first and len(reads) == 1, "read again in the next run"
    data.write_bytes(b"x: 22\n")
    assert following.hash(data) == hashlib.sha256(b"x: 22\n").hexdigest() and len(reads) == 2


def test_known_hashes_take_only_well_formed_entries(tmp_path: Path):
    good = [10, 1, 2, 3, 4, "ab12"]
    entries = {"good": good, "short": [10, 1, 2, 3, "ab12"], "long": good + [5], "float": [10.0, 1, 2, 3, 4, "ab12"],
               "bool": [True, 1, 2, 3, 4, "ab12"], "number sha": [10, 1, 2, 3, 4, 5], "text": "ab12", "none": None}
    (tmp_path / HASHES).parent.mkdir(parents=True)
    (tmp_path / HASHES).write_text(json.dumps(entries), encoding="utf-8")
    known = KnownHashes()
    known.load(tmp_path)
    assert known.known == {"good": good} and not known.changed
    for damage in ("[1, 2]", "{not json"):
        (tmp_path / HASHES).write_text(damage, encoding="utf-8")
        other = KnownHashes()
        other.load(tmp_path)
        assert other.known == {}


def test_files_stamp_is_the_same_for_a_moved_project_and_any_order_of_like_named_files(tmp_path: Path):
    one, two = tmp_path / "a" / "x.yaml", tmp_path / "z" / "x.yaml"  # a project, and a copy of it
    font = tmp_path / "m" / "font.ttf"  # outside both, between them in path order
    for path, data in ((one, b"1"), (two, b"1"), (font, b"f")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert files_stamp([one, font]) == files_stamp([two, font])
    other = tmp_path / "a" / "sub" / "x.yaml"
    other.parent.mkdir()
    other.write_bytes(b"2")
    assert files_stamp([one, other]) == files_stamp([other, one]), "same names ordered by their paths"


def test_files_stamp_reads_no_pipe_and_takes_an_empty_source_date_epoch_as_unset(tmp_path: Path, monkeypatch):
    pipe = tmp_path / "survey.yaml"
    os.mkfifo(pipe)

    class Stuck(Exception):  # not an OSError, which the hashing would take for an unreadable file
        pass

    def stuck(*_):
        raise Stuck("files_stamp opened the pipe")
    old = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(5)
    try:
        files_stamp([pipe])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    unset = files_stamp([])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")  # what the PDFs and the press date take as unset too
    assert files_stamp([]) == unset


def test_run_key_follows_the_content_and_not_where_the_project_is(proj, tmp_path: Path, monkeypatch):
    options = Options()
    key = run_key(proj, options, ["newsletter"])
    moved = find_project(shutil.copytree(proj.root, tmp_path / "elsewhere" / "p"))
    assert run_key(moved, options, ["newsletter"]) == key, "a moved project is still up to date"
    assert run_key(proj, Options(output=tmp_path / "out"), ["newsletter"]) != key
    assert run_key(proj, Options(cmyk=True), ["newsletter"]) != key, "an option that changes the files"
    assert run_key(proj, options, ["karuta"]) != key, "another target"
    assert run_key(proj, options, ["newsletter", "karuta"]) == run_key(proj, options, ["karuta", "newsletter"])
    nested = proj.content / "more" / "extra.yaml"
    nested.parent.mkdir()
    nested.write_text("x: 1\n", encoding="utf-8")
    assert run_key(proj, options, ["newsletter"]) != key, "a YAML file in a subfolder is content too"
    real_is_file = Path.is_file

    def unreadable(path):
        if path.name == "extra.yaml":
            raise PermissionError(13, "Permission denied")
        return real_is_file(path)
    monkeypatch.setattr(Path, "is_file", unreadable)
    run_key(proj, options, ["newsletter"])  # left to the content loader to report, not a crash here


def test_theme_identity_names_the_fonts_without_their_folder(proj):
    theme = load_theme(proj)
    same = replace(theme, fonts={role: Path("/elsewhere") / path.name for role, path in theme.fonts.items()})
    assert theme_identity(same) == theme_identity(theme), "a moved project's theme"
    other = replace(theme, fonts={**theme.fonts, "body": theme.fonts["bold"]})
    assert theme_identity(other) != theme_identity(theme)
