"""The build cache in this process, without rendering: what makes a run's key change (every option
that changes the files, every content byte, fonts; not --force or --jobs), when a recorded file
counts as fresh, and that a damaged manifest only means a rebuild."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import make_project

from builder.cache import MANIFEST, BuildCache, digest, files_stamp, output_root, run_key, unchanged_run
from builder.options import Options
from builder.paths import find_project


@pytest.fixture
def proj(tmp_path: Path):
    return find_project(make_project(tmp_path / "p"))


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
    assert again.run_is_fresh("run-1") == paths
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
    assert unchanged_run(proj, replace(options, force=True), key) is None
