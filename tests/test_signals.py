"""Interrupts and kills, as a terminal and the kernel deliver them: Ctrl-C goes to the whole
process group; SIGKILL (or the out-of-memory killer) hits the main process alone. Ten of each in a
row, at different moments of a build that renders images in worker processes: every build ends
promptly, Ctrl-C exits 130 with one line and no traceback, no process of the build is left, the
previous outputs stay, and no temporary file is left outside the staging folder of a killed build
(which the next build removes).

The moments are steps of the build's own code (tests/steps.py): the build tells the test through a
pipe when it reaches one, and the test sends the signal then, from outside, instead of sleeping
and hoping the build is still at the step."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import invoke, make_project
from steps import at_step

# when the signal comes: (module, step, on its nth call, what that is). Each signal meets each
# moment twice in a row (ten in all), as a user presses Ctrl-C again after a restart.
MOMENTS = (("yaml", "", 1, "the content starts loading (YAML loaded)"),
           ("builder.pipeline", "load_deck", 1, "the deck is read, the theme's fonts loaded"),
           ("builder.parallel", "_worker_start", 1, "the first worker starts (just forked)"),
           ("builder.pipeline", "_render_png", 2, "a worker renders its second image"),
           ("builder.pipeline", "deck_pages", 1, "the print deck is laid out while the workers render")) * 2
PROMPT = 20  # s a build may take to end after the signal before it counts as hung
REACH = 120  # s a build may take to reach its moment (a loaded machine)
PREVIOUS = b"%PDF previous deck"


def _start(project: Path, module: str, step: str, nth: int) -> tuple[subprocess.Popen, int]:
    """A build in its own process group, as a shell starts a foreground job; and the pipe it
    writes to at its moment."""
    reader, writer = os.pipe()
    command = at_step(module, step, nth, writer, "--project", str(project), "karuta", "--format", "all", "--force",
                      "--jobs", "2")
    try:
        build = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True, pass_fds=(writer,))
    finally:
        os.close(writer)
    return build, reader


def _reached(reader: int) -> bool:
    """Until the build writes (it reached its moment) or every process of it has ended."""
    try:
        ready, _, _ = select.select([reader], [], [], REACH)
        return bool(ready) and os.read(reader, 1) == b"!"
    finally:
        os.close(reader)


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
    for module, step, nth, moment in MOMENTS:
        when = f"{name} when {moment}"
        build, reader = _start(project, module, step, nth)
        if not _reached(reader):
            _, err = build.communicate(timeout=PROMPT)
            pytest.fail(f"{when}: the build ended (exit {build.returncode}) before that moment: {err}")
        if signum == signal.SIGINT:
            os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        else:
            os.kill(build.pid, signal.SIGKILL)  # the main process only, like the OOM killer
        try:
            _, err = build.communicate(timeout=PROMPT)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGKILL)
            build.communicate()
            pytest.fail(f"{when}: the build hung")
        assert _gone(build.pid), f"{when}: processes left: {_group(build.pid)}"
        if signum == signal.SIGINT:
            assert build.returncode == 130, f"{when}: exit {build.returncode}: {err}"
            assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted"), err
            assert not list(output.glob(".staging-*")), f"{when}: staging left"
        else:
            assert build.returncode == -signal.SIGKILL, f"{when}: exit {build.returncode}: {err}"
        assert (output / "karuta" / "karuta-print.pdf").read_bytes() == PREVIOUS, f"{when}: previous output replaced"
        assert not _stray_parts(output), f"{when}: {_stray_parts(output)}"


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
    killed = projects["kill"]
    if list((killed / "output").glob(".staging-*")):  # a kill in the commit: the next build clears it
        result = invoke(killed, "karuta", "--format", "pdf")
        assert result.returncode == 0, result.stderr
    for project in projects.values():
        assert not list((project / "output").rglob("*.part")) and not list((project / "output").glob(".staging-*"))
