"""Whole-process timings and peak memory of the `build` command, as a user would run it.

    python benchmarks/run.py [--runs 5]

Each scenario runs in a fresh copy of the shipped content; the table shows the median wall
time over the runs, the median CPU time (user + system of the build process and the worker
processes it waited for: on a machine shared with other work, wall time mostly measures the
others, CPU time much less) and the largest peak resident memory of any run (ru_maxrss of the
same processes). Targets (2-core machine): cold full build within 1.2 s, `karuta --format all`
within 1.5 s, no-op rebuild within 0.1 s, peak memory under 300 MB, the newsletter 5x faster
than WeasyPrint setting its words.

The user cache (~/.cache/karuta-press: font subsets, QR codes, dataclass code) is kept between
runs, as on a user's machine; one row shows the cold build with it empty, as on a first run.

Our modules run from bytecode compiled once into a temporary cache (PYTHONPYCACHEPREFIX), as
from an installed wheel, even where PYTHONDONTWRITEBYTECODE is set (it would compile all of
them again in every run). Where WeasyPrint is installed (`pip install karuta-press[bench]`), the
newsletter's words set by it (benchmarks/peer_newsletter.py) are timed against `build newsletter`
in alternating runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# time this checkout's code, never an installed copy of the tool, compiled once as installed code is
BYTECODE = tempfile.mkdtemp(prefix="karuta-bench-pyc-")
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
       "PYTHONPYCACHEPREFIX": BYTECODE}


def _run(project: Path, *args: str, command: list[str] | None = None,
         env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS in MB of one `build` process (and its children), or
    of `command`."""
    command = command or [sys.executable, "-m", "builder", "--project", str(project), *args]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=env or ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    cpu = usage.ru_utime + usage.ru_stime  # the process's own and its waited children's
    return elapsed, cpu, usage.ru_maxrss / 1024  # Linux: KB; the largest of the process and its waited children


def _fresh_project(base: Path, name: str) -> Path:
    project = base / name
    if project.exists():
        shutil.rmtree(project)
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    return project


SCENARIOS = [
    # (name, command, prepare: cold = empty output/, first = cold and an empty user cache too (the
    # tool's first run on a machine: no stored font subsets, QR codes or dataclass code), warm =
    # built once before)
    ("cold full build (newsletter, print deck, 46 PNGs)", ["all"], "cold"),
    ("cold full build, empty user cache (first run)", ["all"], "first"),
    ("build newsletter", ["newsletter", "--force"], "cold"),
    ("build karuta --format png", ["karuta", "--format", "png", "--force"], "cold"),
    ("build karuta --format all", ["karuta", "--format", "all", "--force"], "cold"),
    ("no-op rebuild (build all, nothing changed)", ["all"], "warm"),
    ("build site (pages, images, fonts, PDFs)", ["site", "--force"], "cold"),
]


def _folder_size(folder: Path) -> str:
    files = [f for f in folder.rglob("*") if f.is_file()]
    return f"{sum(f.stat().st_size for f in files) / 1024 / 1024:.1f} MB in {len(files)} files"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"{runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"timer resolution {time.get_clock_info('perf_counter').resolution:g} s")
    print(f"| {'scenario':52} | median s | min s | max s | CPU s | peak MB |")
    print(f"| {'-' * 52} | -------: | ----: | ----: | ----: | ------: |")
    sizes: list[str] = []
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "builder")], env=ENV, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name, args, prepare in SCENARIOS:
            times, cpus, peaks = [], [], []
            project = _fresh_project(base, "p")
            if prepare == "warm":
                _run(project, *args)
            for _ in range(runs):
                env = None
                if prepare in ("cold", "first"):
                    shutil.rmtree(project / "output", ignore_errors=True)
                if prepare == "first":
                    user_cache = base / "user-cache"
                    shutil.rmtree(user_cache, ignore_errors=True)
                    env = {**ENV, "XDG_CACHE_HOME": str(user_cache)}
                elapsed, cpu, peak = _run(project, *args, env=env)
                times.append(elapsed)
                cpus.append(cpu)
                peaks.append(peak)
            print(f"| {name:52} | {statistics.median(times):8.3f} | {min(times):5.3f} | {max(times):5.3f} "
                  f"| {statistics.median(cpus):5.3f} | {max(peaks):7.0f} |")
            if args[0] == "site":
                sizes.append(f"output/site/: {_folder_size(project / 'output' / 'site')}")
        for line in sizes:
            print(line)
        _weasyprint_peer(base, runs)
        _squib_peer()
    shutil.rmtree(BYTECODE, ignore_errors=True)


# what any `build newsletter` must load before it does its own work: the interpreter, the PDF
# writer (which loads Pillow itself), the YAML reader and the command line
FLOOR = "import reportlab.pdfgen.canvas, yaml, click"


def _weasyprint_peer(base: Path, runs: int) -> None:
    """`build newsletter --force` (cold) and WeasyPrint setting the same words in the same fonts
    (charts left out), in alternating runs; WeasyPrint runs as its command would, in its own process.
    The floor (FLOOR) runs in turn with them: how close the 5x target is to what no build can avoid."""
    if importlib.util.find_spec("weasyprint") is None:
        print("WeasyPrint peer: skipped, WeasyPrint is not installed (pip install 'karuta-press[bench]')")
        return
    project = _fresh_project(base, "peer")
    page, pdf = project / "peer.html", project / "peer.pdf"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "peer_newsletter.py"), str(project), str(page)],
                   env=ENV, check=True)
    ours, theirs, floor = [], [], []
    for _ in range(runs):
        shutil.rmtree(project / "output", ignore_errors=True)
        ours.append(_run(project, "newsletter", "--force")[0])
        theirs.append(_run(project, command=[sys.executable, "-m", "weasyprint", str(page), str(pdf)])[0])
        floor.append(_run(project, command=[sys.executable, "-c", FLOOR])[0])
    us, them, least = statistics.median(ours), statistics.median(theirs), statistics.median(floor)
    print(f"\n| newsletter against a browser engine (alternating runs, median s) | karuta-press | WeasyPrint | ratio |")
    print("| ---------------------------------------------------------------- | -----------: | ---------: | ----: |")
    print(f"| {'same words and fonts, cold --force; charts only in ours':64} | {us:12.3f} "
          f"| {them:10.3f} | {them / us:4.1f}x |")
    print(f"| {'the floor: Python importing reportlab canvas, PyYAML and click':64} | {least:12.3f} "
          f"| {them:10.3f} | {them / least:4.1f}x |")
    print(f"5x WeasyPrint is {them / 5:.3f} s; the imports no build can avoid take {least:.3f} s of it")


def _squib_peer() -> None:
    """The deck's peer is Squib (Ruby, Cairo and Pango: 46 Japanese cards at two sizes, PNG and
    A4 sheets). It needs Ruby; without it the deck's own target stands alone."""
    if shutil.which("ruby") is None:
        print("Squib peer: skipped, Ruby is not installed here; the deck's target without it: "
              "build karuta --format all within 1.5 s on 2 cores (table above)")
    else:
        print("Squib peer: not run, benchmarks/ has no Squib deck script yet (Ruby was not available to write one)")


if __name__ == "__main__":
    main()
