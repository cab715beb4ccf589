"""A reader that goes away (`build ... | head`) ends the run quietly, as it ends a Unix tool:
killed by SIGPIPE, nothing said on stderr, the files already built kept. A BrokenPipeError that
is not about our output is still a bug, reported as one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import invoke

import builder.cache as cache
from builder.finish import output_closed


def _with_reader_gone(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`build ARGS | head -0`: stdout is a pipe whose reading end is closed before the run starts."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "builder", "--project", str(project), *args], cwd=project,
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write)


def test_a_build_whose_reader_has_gone_ends_quietly_with_its_files(small_project: Path):
    pdf = small_project / "output" / "newsletter" / "newsletter.pdf"
    built = _with_reader_gone(small_project, "newsletter", "--force")  # the report meets the closed pipe
    assert (built.returncode, built.stderr) == (-signal.SIGPIPE, "")
    assert pdf.stat().st_size > 0
    unchanged = _with_reader_gone(small_project, "newsletter")  # answered by builder.noop, without the CLI
    assert (unchanged.returncode, unchanged.stderr) == (-signal.SIGPIPE, "")


def test_a_broken_pipe_elsewhere_is_still_reported_as_a_bug(project: Path, monkeypatch):
    def worker_gone(*args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cache, "folder_run_key", worker_gone)
    result = invoke(project, "newsletter")
    assert result.returncode == 1 and "internal error (BrokenPipeError" in result.stderr


def test_only_a_pipe_whose_reader_has_gone_is_a_closed_output(tmp_path: Path, monkeypatch):
    read, write = os.pipe()
    with open(write, "w") as pipe, open(tmp_path / "log", "w") as log:
        monkeypatch.setattr(sys, "stdout", pipe)
        monkeypatch.setattr(sys, "stderr", log)
        assert not output_closed(), "the reader is still there"
        os.close(read)
        assert output_closed()
        monkeypatch.setattr(sys, "stdout", log)
        assert not output_closed(), "a file"
