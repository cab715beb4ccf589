"""Interrupts and kills, as a terminal and the kernel deliver them: Ctrl-C goes to the whole
process group; SIGKILL (or the out-of-memory killer) hits the main process alone. Ten of each in a
row, at different moments of a build that renders images in worker processes: every build ends
promptly, Ctrl-C exits 130 with one line and no traceback, no process of the build is left, the
previous outputs stay, and no temporary file is left outside the staging folder of a killed build
(which the next build removes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import make_project

# when the signal comes: (what to wait for, then seconds): from when the content starts loading
# (the YAML library is mapped in) until the deck is laid out, and while workers render. Each signal
# meets each moment twice in a row (ten in all), as a user presses Ctrl-C again after a restart.
MOMENTS = (("loading", 0.0), ("loading", 0.6), ("workers", 0.0), ("workers", 0.5), ("workers", 1.5)) * 2
PROMPT = 20  # s a build may take to end after the signal before it counts as hung
PREVIOUS = b"%PDF previous deck"


def _start(project: Path) -> subprocess.Popen:
    """A build in its own process group, as a shell starts a foreground job."""
    return subprocess.Popen([sys.executable, "-m", "builder", "--project", str(project), "karuta", "--format", "all",
                             "--force", "--jobs", "2"], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _group(pgid: int) -> list[int]:
    """Live processes in the process group (zombies are already dead)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _wait_for(build: subprocess.Popen, moment: str) -> None:
    """Until the build loads content (before that, Python itself is starting) or runs workers."""
    maps = Path(f"/proc/{build.pid}/maps")

    def reached() -> bool:
        if moment == "workers":
            return len(_group(build.pid)) >= 2
        try:
            return "_yaml" in maps.read_text()
        except OSError:
            return False

    deadline = time.monotonic() + 60
    while not reached() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def _gone(pgid: int) -> bool:
    deadline = time.monotonic() + 5
    while _group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _stray_parts(output: Path) -> list[Path]:
    return [p for p in output.rglob("*") if p.name.endswith(".part") and not p.parent.name.startswith(".staging-")]


def _deck_project(where: Path) -> Path:
    project = make_project(where)
    (project / "output" / "karuta").mkdir(parents=True)
    (project / "output" / "karuta" / "karuta-print.pdf").write_bytes(PREVIOUS)
    return project


def _in_a_row(project: Path, signum: int, name: str) -> None:
    """Ten builds of `project`, each sent `signum` at its moment, one after the other."""
    output = project / "output"
    stopped = 0
    for moment, delay in MOMENTS:
        before = (output / "karuta" / "karuta-print.pdf").read_bytes()
        build = _start(project)
        _wait_for(build, moment)
        time.sleep(delay)
        if signum == signal.SIGINT:
            os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        else:
            os.kill(build.pid, signal.SIGKILL)  # the main process only, like the OOM killer
        try:
            _, err = build.communicate(timeout=PROMPT)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGKILL)
            build.communicate()
            pytest.fail(f"{name} {delay} s after {moment}: the build hung")
        assert _gone(build.pid), f"{name} {delay} s after {moment}: processes left: {_group(build.pid)}"
        if build.returncode == 0:  # finished before the signal came: fine, and nothing to check
            continue
        stopped += 1
        if signum == signal.SIGINT:
            assert build.returncode == 130, f"{name} {delay} s after {moment}: exit {build.returncode}: {err}"
            assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted"), err
            assert not list(output.glob(".staging-*")), f"{name} {delay} s after {moment}: staging left"
            assert (output / "karuta" / "karuta-print.pdf").read_bytes() == before
        assert not _stray_parts(output), f"{name} {delay} s after {moment}: {_stray_parts(output)}"
    assert stopped >= 8, f"only {stopped} of {len(MOMENTS)} builds were still running when the {name} came"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_ten_interrupts_and_ten_kills_in_a_row(tmp_path: Path):
    """The interrupts and the kills go to two projects side by side (each series in a row, as
    before), which halves the time the test waits on builds."""
    projects = {name: _deck_project(tmp_path / name) for name in ("interrupt", "kill")}
    with ThreadPoolExecutor(2) as pool:
        series = [pool.submit(_in_a_row, projects[name], signum, name)
                  for signum, name in ((signal.SIGINT, "interrupt"), (signal.SIGKILL, "kill"))]
        for done in series:
            done.result()  # a failed assertion in either series fails the test
    killed = projects["kill"]  # the next build clears what the killed builds left (interrupted ones left nothing)
    result = subprocess.run([sys.executable, "-m", "builder", "--project", str(killed), "karuta", "--format", "pdf"],
                            cwd=killed, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for project in projects.values():
        assert not list((project / "output").rglob("*.part")) and not list((project / "output").glob(".staging-*"))
