"""Atomic output by fault injection, not by sleeping and hoping: a rename that fails on the nth
call, a build process killed (SIGKILL) at a chosen write or rename. Whatever happens, every output is
either the old file or the whole new one, and the next build cleans up and completes."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import invoke, make_project
from steps import at_step

from builder import output as output_module
from builder.errors import BuildError
from builder.output import Outputs

OLD, NEW = b"old file, complete", b"new file, also complete but longer"


def _fail_on(monkeypatch, nth: int) -> list[int]:
    """os.replace as the output module sees it, failing (disk full) on call number `nth`."""
    calls = []
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        calls.append(1)
        if len(calls) == nth:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(output_module.os, "replace", replace)
    return calls


def _parts(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def test_commit_renames_a_new_file_over_the_old_one(tmp_path: Path):
    """A reader that opened the old file keeps reading the whole old file; the path now names
    another file (a rename), never the old one rewritten in place."""
    target = tmp_path / "out" / "file.pdf"
    target.parent.mkdir()
    target.write_bytes(OLD)
    before = target.stat().st_ino
    with open(target, "rb") as reader:
        with Outputs(target.parent) as outputs:
            outputs.stage(target, NEW)
            assert target.read_bytes() == OLD  # staging touches nothing
            outputs.commit()
        assert reader.read() == OLD
    assert target.read_bytes() == NEW
    assert target.stat().st_ino != before
    assert not _parts(tmp_path)


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_failing_rename_leaves_old_or_new_files_never_partial(tmp_path: Path, monkeypatch, nth: int):
    targets = [tmp_path / "out" / name for name in ("a.pdf", "b/c.png", "d.txt")]
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(OLD)
    calls = _fail_on(monkeypatch, nth)
    with pytest.raises(BuildError) as raised:
        with Outputs(tmp_path / "out") as outputs:
            for target in targets:
                outputs.stage(target, NEW)
            outputs.commit()
    assert "cannot write" in str(raised.value)
    assert len(calls) >= nth, "the files must be moved into place with os.replace"
    for k, target in enumerate(targets, 1):
        assert target.read_bytes() in (OLD, NEW), target
        if k >= nth:
            assert target.read_bytes() == OLD, f"{target.name} replaced although its rename failed or never came"
    assert not _parts(tmp_path)


def test_an_exception_while_staging_removes_the_staged_files(tmp_path: Path):
    target = tmp_path / "out" / "a.pdf"
    target.parent.mkdir()
    target.write_bytes(OLD)
    with pytest.raises(RuntimeError):
        with Outputs(tmp_path / "out") as outputs:
            outputs.stage(target, NEW)
            outputs.stage(tmp_path / "out" / "b.pdf", NEW)
            raise RuntimeError("layout failed after two files were staged")
    assert target.read_bytes() == OLD
    assert not (tmp_path / "out" / "b.pdf").exists()
    assert not _parts(tmp_path)


# --- whole builds, killed at a chosen step in a real process -------------------------------------

BUILD = ("karuta", "--format", "pdf")  # what the killed builds run
BUILT = ("karuta-print.pdf", "karuta-playsheet.pdf")  # what it writes: two files, so a kill can fall between

@pytest.fixture
def previous(built: Path, tmp_path: Path) -> Path:
    """A project whose output/ holds an earlier build's deck PDFs (copied from the session build)
    and whose theme has since changed a colour, so that both PDFs of the next
    `build karuta --format pdf` differ from the old ones."""
    project = make_project(tmp_path / "project")
    (project / "output" / "karuta").mkdir(parents=True)
    for name in BUILT:
        shutil.copy2(built / "output" / "karuta" / name, project / "output" / "karuta")
    theme = project / "content" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    assert text.count('"#1f2933"') == 1  # the ink colour
    theme.write_text(text.replace('"#1f2933"', '"#1f2934"'), encoding="utf-8")
    return project


def _snapshot(project: Path) -> dict[str, bytes]:
    root = project / "output"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def _everything(project: Path) -> set[str]:
    """Every file in output/ but the build cache's manifest: what a user would find there."""
    root = project / "output"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}


def _kill_at(project: Path, step: str, nth: int) -> None:
    """`build karuta --format pdf`, killed (SIGKILL) on its nth call of `step` (os.replace: a rename
    into place; os.open: a staged file's first write) as builder/output.py makes it."""
    result = subprocess.run(at_step("builder.output", step, nth, "kill", "--project", str(project), *BUILD),
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == -9, (result.returncode, result.stderr[-2000:])  # killed where we said


def _whole_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path
    assert len(PdfReader(path).pages) >= 1


def test_killed_while_staging_nothing_is_replaced(previous: Path):
    old = _snapshot(previous)
    _kill_at(previous, "os.open", 1)
    assert _snapshot(previous) == old


def test_killed_half_way_through_the_renames_every_file_is_old_or_whole_new(previous: Path):
    old = _snapshot(previous)
    assert set(old) == {f"karuta/{name}" for name in BUILT}
    _kill_at(previous, "os.replace", 2)
    now = _snapshot(previous)
    assert now.keys() == old.keys()
    replaced = [name for name in now if now[name] != old[name]]
    assert 1 <= len(replaced) < len(now), "the kill must fall between the first and the last rename"
    for name in replaced:
        _whole_pdf(previous / "output" / name)
    result = invoke(previous, *BUILD)
    assert result.returncode == 0, result.stderr
    assert _everything(previous) == set(old), "the next build leaves no temporary file behind"
    final = _snapshot(previous)
    assert all(final[name] != old[name] for name in final)
    for name in final:
        _whole_pdf(previous / "output" / name)
