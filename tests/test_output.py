"""Writing outputs and the build cache under failure: a commit is all or nothing, a full disk
leaves no partial file, only a build's own staging files are ever removed, no fixed temporary
name can be planted, and the cache follows content (not paths, sizes or times)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import invoke, make_project

from builder import output as output_module
from builder.cache import BuildCache, run_key
from builder.errors import BuildError
from builder.options import Options
from builder.output import Outputs, remove_leftovers
from builder.paths import Project

NAMES = ("a.pdf", "sub/b.png", "sub/c.txt")


def _previous(root: Path) -> dict[Path, bytes]:
    files = {}
    for name in NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"previous {name}".encode())
        files[path] = path.read_bytes()
    return files


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part") or p.name.startswith(".staging-")]


def _refuse_replace(monkeypatch, refuse: Callable[[Path, Path], bool], calls: list[str] | None = None) -> None:
    """os.replace as the commit calls it, failing with "Permission denied" (a program holding the
    file) wherever refuse(src, dst); each destination's name is noted in `calls` when given."""
    real_replace = os.replace

    def replace(src, dst):
        if calls is not None:
            calls.append(Path(dst).name)
        if refuse(Path(src), Path(dst)):
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(output_module.os, "replace", replace)


def _commit_new(outputs: Outputs, root: Path) -> None:
    """Stage a new version of every one of NAMES and commit them."""
    for name in NAMES:
        outputs.stage(root / name, f"new {name}".encode())
    outputs.commit()


def test_a_failed_rename_puts_every_replaced_file_back(tmp_path: Path, monkeypatch):
    previous = _previous(tmp_path)
    _refuse_replace(monkeypatch, lambda src, dst: dst.name == "c.txt" and src.suffix == ".part")  # the new last file
    with pytest.raises(BuildError) as caught:
        with Outputs(tmp_path) as outputs:
            _commit_new(outputs, tmp_path)
    message = str(caught.value)
    assert "sub/c.txt" in message and "Permission denied" in message
    assert "nothing was changed" in message
    for path, data in previous.items():
        assert path.read_bytes() == data
    assert not _leftovers(tmp_path)


def test_a_file_that_cannot_be_put_back_is_named_and_kept_in_the_staging_folder(tmp_path: Path, monkeypatch):
    """The rename of the last file fails, and so does putting back the first one (a program holds
    it): the message names that file and where its previous version waits, which stays there."""
    monkeypatch.chdir(tmp_path)  # paths in messages are shown from the current folder
    previous = _previous(tmp_path)
    _refuse_replace(monkeypatch, lambda src, dst: (dst.name, src.suffix) in {("c.txt", ".part"),
                                                                          ("a.pdf", ".old")})  # and putting a.pdf back
    with pytest.raises(BuildError) as caught:
        with Outputs(tmp_path) as outputs:
            _commit_new(outputs, tmp_path)
    staging = outputs.staging
    assert str(caught.value) == (
        "cannot write sub/c.txt (Permission denied); these files could not be put back as they were: a.pdf "
        f"(their previous versions are in {staging.relative_to(tmp_path)}); close any program using them and build again")
    kept = [p.read_bytes() for p in staging.iterdir()]
    assert kept == [previous[tmp_path / "a.pdf"]], kept  # the previous a.pdf, and nothing else of this build
    assert (tmp_path / "a.pdf").read_bytes() == b"new a.pdf"
    for name in NAMES[1:]:
        assert (tmp_path / name).read_bytes() == previous[tmp_path / name]


def test_the_put_back_message_says_nothing_changed(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _previous(tmp_path)
    _refuse_replace(monkeypatch, lambda src, dst: dst.name == "b.png")
    with pytest.raises(BuildError) as caught:
        with Outputs(tmp_path) as outputs:
            _commit_new(outputs, tmp_path)
    assert str(caught.value) == (
        "cannot write sub/b.png (Permission denied); nothing was changed: every previous file is back in place; "
        "close any program that has it open or check the folder, and build again")


def test_without_hard_links_the_old_file_is_moved_aside_and_put_back(tmp_path: Path, monkeypatch):
    """On a file system without hard links (some network and FAT drives) a failed commit still
    puts every previous file back, and a good one replaces them."""
    previous = _previous(tmp_path)

    def no_link(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output_module.os, "link", no_link)
    calls: list[str] = []
    real_replace = os.replace
    _refuse_replace(monkeypatch, lambda src, dst: dst.name == "c.txt" and src.suffix == ".part", calls)
    with pytest.raises(BuildError, match="nothing was changed"):
        with Outputs(tmp_path) as outputs:
            _commit_new(outputs, tmp_path)
    for path, data in previous.items():
        assert path.read_bytes() == data
    assert not _leftovers(tmp_path)
    monkeypatch.setattr(output_module.os, "replace", real_replace)
    with Outputs(tmp_path) as outputs:
        _commit_new(outputs, tmp_path)
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == f"new {name}".encode()
    assert not _leftovers(tmp_path)


def test_an_output_that_is_a_link_is_put_back_as_the_link(tmp_path: Path, monkeypatch):
    """A user's symbolic link where an output goes: a failed commit leaves the link itself (not
    a copy of the file it points to), and the file it points to untouched."""
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"the user's own file")
    (tmp_path / "out").mkdir()
    link = tmp_path / "out" / "a.pdf"
    link.symlink_to(elsewhere)
    _refuse_replace(monkeypatch, lambda src, dst: dst.name == "b.pdf")
    with pytest.raises(BuildError, match="nothing was changed"):
        with Outputs(tmp_path / "out") as outputs:
            outputs.stage(link, b"new a")
            outputs.stage(tmp_path / "out" / "b.pdf", b"new b")
            outputs.commit()
    assert link.is_symlink() and link.resolve() == elsewhere
    assert elsewhere.read_bytes() == b"the user's own file"


def test_a_full_disk_leaves_no_partial_file(tmp_path: Path, monkeypatch):
    previous = _previous(tmp_path)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output_module.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(BuildError, match="No space left on device"):
        with Outputs(tmp_path) as outputs:
            for name in NAMES:
                outputs.stage(tmp_path / name, b"x" * 100_000)
            outputs.commit()
    for path, data in previous.items():
        assert path.read_bytes() == data
    assert not _leftovers(tmp_path)


def test_only_a_dead_builds_own_staging_files_are_removed(tmp_path: Path):
    user = tmp_path / "Downloads" / ".movie.mkv.part"
    user.parent.mkdir()
    user.write_bytes(b"half a film")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".staging-{dead.stdout.strip()}-0"
    stale.mkdir()
    (stale / "0.part").write_bytes(b"left by a killed build")
    (stale / "notes.txt").write_bytes(b"not ours")  # a name a build never writes stays
    live = tmp_path / f".staging-{os.getppid()}-0"  # a running process's folder is its own
    live.mkdir()
    (live / "0.part").write_bytes(b"in use")
    remove_leftovers(tmp_path)
    assert user.read_bytes() == b"half a film"
    assert not (stale / "0.part").exists() and (stale / "notes.txt").exists()
    assert (live / "0.part").exists()


def test_a_running_builds_folder_is_left_alone_and_the_build_undisturbed(tmp_path: Path):
    """Asking whether the owner still runs must not signal it; folders not named by a build's
    process id (a user's own, say) are left as they are."""
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".staging-{owner.pid}-0"
        live.mkdir()
        (live / "0.part").write_bytes(b"in use")
        odd = tmp_path / ".staging-notes-0"
        odd.mkdir()
        (odd / "0.part").write_bytes(b"a user's folder")
        remove_leftovers(tmp_path)
        with pytest.raises(subprocess.TimeoutExpired):  # still running a moment later: not signalled
            owner.wait(timeout=0.5)
        assert (live / "0.part").exists() and (odd / "0.part").exists()
    finally:
        owner.kill()
        owner.wait()


def test_staging_that_cannot_be_made_is_one_sentence(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").write_text("a file where the output folder goes")
    with pytest.raises(BuildError) as caught:
        with Outputs(tmp_path / "output") as outputs:
            outputs.stage(tmp_path / "output" / "a.pdf", b"new")
            outputs.commit()
    assert str(caught.value) == "cannot write to output (Not a directory); check the folder's permissions and free space"


def test_a_staging_folder_left_under_this_process_id_is_reused(tmp_path: Path):
    """Process ids come round again: a folder a killed build left under ours does not stop the build."""
    outputs = Outputs(tmp_path)
    outputs.staging.mkdir()
    with outputs:
        outputs.stage(tmp_path / "a.pdf", b"new")
        outputs.commit()
    assert (tmp_path / "a.pdf").read_bytes() == b"new"


def test_new_files_are_readable_not_executable_and_their_folders_made(tmp_path: Path):
    old = os.umask(0o022)
    try:
        with Outputs(tmp_path) as outputs:
            outputs.stage(tmp_path / "new" / "deeper" / "a.pdf", b"new")
            outputs.commit()
    finally:
        os.umask(old)
    mode = (tmp_path / "new" / "deeper" / "a.pdf").stat().st_mode & 0o777
    assert mode == 0o644, oct(mode)


def test_a_folder_where_a_file_goes_is_named(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.pdf").mkdir()
    with pytest.raises(BuildError) as caught:
        with Outputs(tmp_path) as outputs:
            outputs.stage(tmp_path / "b.pdf", b"new")
            outputs.stage(tmp_path / "a.pdf", b"new")
            outputs.commit()
    assert str(caught.value) == ("cannot write a.pdf: a folder of that name is in the way; move or rename it; "
                                 "nothing was changed")
    assert not (tmp_path / "b.pdf").exists()


def test_two_builds_in_one_folder_keep_apart(tmp_path: Path):
    first, second = Outputs(tmp_path), Outputs(tmp_path)
    with first, second:
        first.stage(tmp_path / "a.pdf", b"first")
        second.stage(tmp_path / "b.pdf", b"second")
        second.commit()
        first.commit()
    assert (tmp_path / "a.pdf").read_bytes() == b"first" and (tmp_path / "b.pdf").read_bytes() == b"second"
    assert not _leftovers(tmp_path)


def test_ctrl_c_during_the_commit_takes_effect_after_it(tmp_path: Path, monkeypatch):
    _previous(tmp_path)
    real_replace = os.replace
    sent = []

    def replace(src, dst):
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        real_replace(src, dst)

    monkeypatch.setattr(output_module.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        with Outputs(tmp_path) as outputs:
            _commit_new(outputs, tmp_path)
    for name in NAMES:  # all new: the interrupt waited for the whole set
        assert (tmp_path / name).read_bytes() == f"new {name}".encode()
    assert not _leftovers(tmp_path)


def test_a_planted_manifest_temp_file_is_not_written_through(tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    cache_dir = tmp_path / "out" / ".cache"
    cache_dir.mkdir(parents=True)
    (cache_dir / "manifest.tmp").symlink_to(victim)
    (tmp_path / "out" / "a.pdf").write_bytes(b"pdf")
    cache = BuildCache(tmp_path / "out", enabled=True)
    cache.remember(tmp_path / "out" / "a.pdf", "key")
    cache.save("run", [tmp_path / "out" / "a.pdf"])
    assert victim.read_text() == "keep me"
    assert BuildCache(tmp_path / "out", enabled=True).fresh(tmp_path / "out" / "a.pdf", "key")


def test_a_file_changed_in_place_is_not_fresh(tmp_path: Path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"as written")
    cache = BuildCache(tmp_path, enabled=True)
    cache.remember(path, "key")
    stat = path.stat()
    path.write_bytes(b"as EDITED!")  # same size, same time
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not cache.fresh(path, "key")


def test_source_date_epoch_is_part_of_the_key(tmp_path: Path, monkeypatch):
    project = Project(make_project(tmp_path / "p"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    before = run_key(project, Options(), ["newsletter"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_key(project, Options(), ["newsletter"]) != before


def test_a_moved_project_is_still_up_to_date(tmp_path: Path):
    project = make_project(tmp_path / "here")
    (project / "fonts").mkdir()  # the project's own font, whose path moves with it
    shutil.copy(Path(__file__).parents[1] / "fonts" / "MTLmr3m.ttf", project / "fonts")
    assert invoke(project, "newsletter").returncode == 0
    moved = tmp_path / "there"
    shutil.move(project, moved)
    result = invoke(moved, "newsletter")
    assert result.returncode == 0, result.stderr
    assert "wrote" not in result.stdout and "unchanged" in result.stdout, result.stdout
    with open(moved / "content" / "newsletter.yaml", "a", encoding="utf-8") as handle:
        handle.write("# a comment changes the file, not the newsletter\n")
    result = invoke(moved, "newsletter")  # each file's own key holds no folder either
    assert result.returncode == 0, result.stderr
    assert "wrote" not in result.stdout and "unchanged" in result.stdout, result.stdout
