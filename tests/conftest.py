"""Shared helpers: a throw-away project with a copy of the shipped content, and the CLI run as
a user runs it (a separate process, or in this process through click's CliRunner where no images
are rendered, which is much faster), so tests see exit codes, messages and files. The shipped
content is built once per session (`built`); tests that need an earlier build start from a copy
of its output and build cache (`rebuilt_from`) instead of building again.

The tests always run the checkout's code, never an installed copy: this folder's parent goes first
on sys.path here and on PYTHONPATH for every subprocess the tests start."""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest

# the cyclic garbage collector's threshold that `build` runs with (builder.cli.main), from the start
# (collecting makes many objects too; see pytest_collection_finish)
GC_THRESHOLD = (20_000, 20, 20)
gc.set_threshold(*GC_THRESHOLD)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
# Bytecode: where the environment forbids writing it (PYTHONDONTWRITEBYTECODE), every process the tests
# start (the xdist workers, each `python -m builder`) would compile the checkout from source again (about
# 0.14 s CPU per build process; the workers parse and assertion-rewrite every test module and hypothesis's
# 100-odd modules, a plugin's package being rewritten too: about 2 s CPU per process). So the tests let
# Python keep bytecode where it keeps it by default, beside the sources (__pycache__, ignored by git): the
# installed packages' bytecode, compiled when pip installed them, is then read as it is. (A separate
# PYTHONPYCACHEPREFIX folder, used before, hides that bytecode: on a fresh machine, as on CI, every
# process compiled reportlab, Pillow, fontTools, pytest and the rest again until the folder was filled,
# 5-6 s CPU more per xdist worker.)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False  # the same for this process (pytest's own rewritten test modules)
# The tool's user cache (font maps and converted fonts, $XDG_CACHE_HOME/karuta-press) in a folder of the
# tests' own, kept between runs: a run neither reads what the user's builds left there nor fills it
# (tests make fonts of their own), and a CFF font is still converted once, not once a run.
os.environ["XDG_CACHE_HOME"] = os.path.join(tempfile.gettempdir(), f"karuta-press-test-cache-{os.getuid()}")

from hypothesis import HealthCheck, settings  # noqa: E402 (after bytecode is allowed)

# Property tests: the same examples on every run unless asked otherwise, so that the suite never
# fails by chance. "ci" (the default, and always when CI is set): a fixed seed and a modest number
# of examples. "dev" (HYPOTHESIS_PROFILE=dev, for local runs): random, many more examples.
_QUIET = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("ci", derandomize=True, max_examples=20, **_QUIET)
settings.register_profile("dev", derandomize=False, max_examples=300, **_QUIET)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def safe_load(text: str):
    """yaml.safe_load's data, parsed by libyaml where PyYAML has it (the same data, a tenth of the
    time): the test modules that read the content when imported are imported by every xdist worker."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def make_project(where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", where / "content")
    return where


def replace_once(project: Path, name: str, old: str, new: str) -> int:
    """Replace `old` (once in content/`name`) and return the 1-based line where `new` now stands."""
    path = project / "content" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (name, old)
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text[:text.index(new)].count("\n") + 1


def run_build(project: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", "--project", str(project), *args],
                          cwd=project, capture_output=True, text=True, timeout=timeout)


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI in this process, from the project folder, answered like `run_build` (returncode,
    stdout, stderr). For commands that render no images (those use worker processes)."""
    from click.testing import CliRunner

    from builder.cli import cli

    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(cli, ["--project", str(project), *args])
    finally:
        os.chdir(cwd)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def rebuilt_from(built: Path, where: Path, *folders: str) -> Path:
    """A new project whose output/ holds the session build's files (all of them, or the given
    folders of output/) with its build cache, as if it had been built there."""
    project = make_project(where)
    for folder in folders or ("",):
        shutil.copytree(built / "output" / folder, project / "output" / folder, dirs_exist_ok=True)
    shutil.copytree(built / "output" / ".cache", project / "output" / ".cache", dirs_exist_ok=True)
    return project


def tool(*args: str) -> str:
    """Run a poppler tool and return what it printed; without it, skip the test and say what to install."""
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed: this test reads PDFs with poppler; install the package "
                    "poppler-utils (apt-get install poppler-utils)")
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def shared_project(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A project with the shipped content, built by `make` once per test run: parallel workers
    (pytest-xdist) share it in the run's common temporary folder, the first to need it builds it
    while the others wait. Tests only read it (or copy it)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all workers' temporary folders live in
    project = shared / name
    done = shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(project, ignore_errors=True)
            make(make_project(project))
            done.write_text("ok")
    return project


def built_ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr


def _build_shipped(project: Path) -> None:
    built_ok(run_build(project, "all", "--preset", "all"))  # images: worker processes, so a real process
    # PDFs only: in this process (no start-up, fonts loaded once), one run (the content and theme read once)
    built_ok(invoke(project, "all", "--press", "--backs", "--format", "pdf"))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped content built once the way the README does (build all, here with every social
    preset), plus print-shop output (the newsletter, the deck with its backs), shared by all workers."""
    return shared_project(tmp_path_factory, "built", _build_shipped)


# The order in which xdist hands the work out (pyproject: --dist loadgroup --no-loadscope-reorder, so in
# this order): the print-shop preflight group first, whose first test makes the session build (`built`);
# meanwhile the other worker starts on the longest single tests (longest first, the classic fix: one of
# them starting last would leave the other core idle at the end), then the site group, whose build
# copies what the session build made, so it should not start before that build is done; then the rest.
FIRST_GROUPS, LATER_GROUPS = ("preflight",), ("site",)
# Measured CPU, longest first.
LONGEST_FIRST = ("test_signals.py::test_ten_interrupts_and_ten_kills_in_a_row",
                 "test_properties.py::test_random_edits_are_checked_or_reported",
                 "test_builds.py::test_same_content_builds_byte_identical_pdfs_and_pngs",
                 "test_builds.py::test_installed_package_finds_its_fonts_and_content",
                 "test_fonts.py::test_a_face_of_a_collection_is_chosen_by_name_or_index",
                 "test_verse.py::test_check_names_a_phrase_too_long_for_the_decks_size",
                 "test_reuse.py::test_a_corrected_figure_changes_every_sentence_or_check_stops",
                 "test_builds.py::test_going_back_to_earlier_content_rebuilds_its_files",
                 "test_atomic_output.py::test_killed_half_way_through_the_renames_every_file_is_old_or_whole_new")


def _place(item: pytest.Item, rank: dict[str, int]) -> tuple[int, int]:
    marker = item.get_closest_marker("xdist_group")
    group = marker.args[0] if marker and marker.args else None
    if group in FIRST_GROUPS:
        return 0, FIRST_GROUPS.index(group)
    name = item.nodeid.rpartition("/")[2].partition("[")[0]
    if name in rank:
        return 1, rank[name]
    if group in LATER_GROUPS:
        return 2, LATER_GROUPS.index(group)
    return 3, 0


def pytest_collection_finish(session: pytest.Session) -> None:
    """The cyclic garbage collector as `build` runs it (builder.cli.main: after 20,000 new objects, not
    700), since most tests run the CLI in this process; and what is loaded by now (the modules, the
    collected tests, the content their parameters were read from) kept out of its scans: with the
    default, the collector took 4-6 s of CPU in each xdist worker, rescanning what lives to the end."""
    gc.set_threshold(*GC_THRESHOLD)
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: _place(item, rank))


SMALL_NEWSLETTER = Path(__file__).parent / "fixtures" / "small-newsletter" / "content"


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A project of the small newsletter (tests/fixtures/small-newsletter) with the shipped theme and
    no deck, for command-line tests around newsletter builds whose content does not matter: its
    build takes half the CPU of the shipped newsletter's."""
    shutil.copytree(SMALL_NEWSLETTER, tmp_path / "small" / "content")
    shutil.copy(ROOT / "content" / "theme.yaml", tmp_path / "small" / "content" / "theme.yaml")
    return tmp_path / "small"


@pytest.fixture(scope="session")
def small_newsletter(tmp_path_factory) -> tuple[Path, Path]:
    """A differently shaped survey and newsletter (tests/fixtures/small-newsletter), built once with
    the shipped theme: two parts, a finding with two charts, short and long paragraphs, no deck.
    The newsletter PDF and the project's content folder."""
    project = tmp_path_factory.mktemp("small")
    shutil.copytree(SMALL_NEWSLETTER, project / "content")
    shutil.copy(ROOT / "content" / "theme.yaml", project / "content" / "theme.yaml")
    result = invoke(project, "newsletter")
    assert result.returncode == 0, result.stderr
    return project / "output" / "newsletter" / "newsletter.pdf", project / "content"


@pytest.fixture(scope="session")
def cmyk_after_rgb(built: Path, tmp_path_factory) -> Path:
    """`build newsletter --cmyk` in a project whose output/ already holds the RGB build and its
    build cache (the cache must not hand back the RGB file); the CMYK newsletter PDF."""
    project = rebuilt_from(built, tmp_path_factory.mktemp("cmyk"), "newsletter")
    result = invoke(project, "newsletter", "--cmyk")
    assert result.returncode == 0, result.stderr
    return project / "output" / "newsletter" / "newsletter-cmyk.pdf"
