"""Whole builds as a user runs them: determinism, the build cache (no-op and incremental
rebuilds, --force), CMYK, `init`, and running outside a project. (Builds killed part-way:
test_atomic_output.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from conftest import ROOT, invoke, make_project, rebuilt_from, run_build, tool
from pdfcheck import page_count

from builder.cache import HASHES



def _outputs(project: Path) -> dict[str, bytes]:
    root = project / "output"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_same_content_builds_byte_identical_pdfs_and_pngs(built: Path, tmp_path: Path):
    """Built again in other processes (another hash seed), every file is the session build's to
    the byte: office PDFs and images from a fresh `build all` rendering in one process (the
    session build used workers), press PDFs from this process."""
    again = make_project(tmp_path / "again")
    assert run_build(again, "all", "--jobs", "1").returncode == 0
    assert invoke(again, "all", "--press", "--format", "pdf").returncode == 0
    first, second = _outputs(built), _outputs(again)  # the session build also made every other preset
    assert any(name.endswith(".pdf") for name in second) and any(name.endswith(".png") for name in second)
    assert second.keys() <= first.keys()
    different = [name for name in second if first[name] != second[name]]
    assert not different, different


def test_nothing_changed_means_nothing_rendered(built: Path, tmp_path: Path):
    project = rebuilt_from(built, tmp_path / "project")
    assert invoke(project, "all").returncode == 0  # in this process: only the no-op needs a real one
    memo = project / "output" / HASHES  # an unchanged run may remember hashes that have settled since
    before = {p: p.stat().st_mtime_ns for p in (project / "output").rglob("*") if p.is_file() and p != memo}
    result = run_build(project, "all")
    assert result.returncode == 0
    assert "unchanged since the last build" in result.stdout and "wrote" not in result.stdout
    after = {p: p.stat().st_mtime_ns for p in (project / "output").rglob("*") if p.is_file() and p != memo}
    assert before == after


def test_changing_one_card_rerenders_only_its_images(built: Path, tmp_path: Path):
    project = rebuilt_from(built, tmp_path / "project", "karuta")
    images = project / "output" / "karuta" / "png" / "square"
    before = {p.name: p.stat().st_mtime_ns for p in images.glob("*.png")}
    deck = project / "content" / "karuta.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("keyword: ID管理", "keyword: IDの管理"), encoding="utf-8")
    result = invoke(project, "karuta", "--format", "png")  # one image: rendered in this process, no worker
    assert result.returncode == 0, result.stderr
    after = {p.name: p.stat().st_mtime_ns for p in images.glob("*.png")}
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == ["23-nu.png"]
    assert "45 file(s) unchanged" in result.stdout or "unchanged" in result.stdout


def test_force_rebuilds_everything(built: Path, tmp_path: Path):
    project = rebuilt_from(built, tmp_path / "project", "newsletter")
    pdf = project / "output" / "newsletter" / "newsletter.pdf"
    assert "unchanged" in invoke(project, "newsletter").stdout  # fresh without --force
    stamp = pdf.stat().st_mtime_ns
    time.sleep(0.01)
    result = invoke(project, "newsletter", "--force")
    assert result.returncode == 0 and "wrote" in result.stdout
    assert pdf.stat().st_mtime_ns != stamp


def test_cmyk_output_draws_in_cmyk(cmyk_after_rgb: Path):
    pdf = cmyk_after_rgb
    content = _page_contents(pdf)
    assert b"BT" in content  # the page contents were found
    assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\b", content)
    assert not re.search(rb"[\d.]+ [\d.]+ [\d.]+ (rg|RG)\b", content)


def _page_contents(pdf: Path) -> bytes:
    """reportlab's page content streams (ASCII85, then Flate), decoded."""
    import base64
    import zlib

    data = pdf.read_bytes()
    out = b""
    for match in re.finditer(rb"/Filter \[ /ASCII85Decode /FlateDecode \][^\n]*\n>>\nstream\n(.*?)~>", data, re.S):
        out += zlib.decompress(base64.a85decode(match.group(1).replace(b"\n", b"")))
    return out


def test_outside_a_project_says_where_it_looked_and_how_to_start(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "builder", "all"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert str(tmp_path) in result.stderr and "build init" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_starts_a_project_that_builds(tmp_path: Path):
    target = tmp_path / "mine"
    result = subprocess.run([sys.executable, "-m", "builder", "init", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (target / "content" / "karuta.yaml").is_file()
    assert invoke(target, "check").returncode == 0


def test_help_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "builder", "--help"], capture_output=True, text=True)
    for command in ("newsletter", "karuta", "all", "check", "init"):
        assert command in result.stdout
    karuta = subprocess.run([sys.executable, "-m", "builder", "karuta", "--help"], capture_output=True, text=True)
    for option in ("--press", "--bleed", "--cmyk", "--output", "--jobs", "--format", "--preset", "--backs",
                   "--vertical"):
        assert option in karuta.stdout


def test_pdftotext_gives_the_japanese_back(built: Path):
    text = tool("pdftotext", str(built / "output" / "karuta" / "karuta-playsheet.pdf"), "-")
    assert "セキュリティかるた" in text  # the deck's title, on the play sheet (a file of its own)


def test_installed_package_finds_its_fonts_and_content(tmp_path: Path):
    """A plain (non-editable) wheel carries fonts, art and content inside the package: `init`
    copies the content out of it, and the deck is read there with the packaged fonts and art."""
    from hatchling.build import build_wheel  # the build backend pip calls (the test extra), here without pip

    cwd = os.getcwd()
    os.chdir(ROOT)  # a build backend builds the project in the current folder
    try:
        wheel = tmp_path / build_wheel(str(tmp_path))
    finally:
        os.chdir(cwd)
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # a pure-Python wheel installs by unpacking it
        archive.extractall(target)
    data = target / "builder" / "_data"
    for name in ("fonts/BIZUDPGothic-Regular.ttf", "assets/art/fluent-emoji-flat.json",
                 "content/karuta.yaml"):
        assert (data / name).is_file(), name
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONDONTWRITEBYTECODE": "1"}  # no bytecode of a throw-away copy
    project = tmp_path / "fresh"
    result = subprocess.run([sys.executable, "-m", "builder", "init", str(project)], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "builder", "karuta", "--list"], cwd=project, env=env,
                            capture_output=True, text=True)  # the theme's fonts parsed, the deck's art found
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) >= 46 and "共連れで" in result.stdout, result.stdout


def test_going_back_to_earlier_content_rebuilds_its_files(built: Path, tmp_path: Path):
    """A, then B, then A again: the cache must not take B's files for A's. B in this process (one
    image renders inline), A again in a real process, whose contact sheet takes every other
    thumbnail from the files on disk."""
    project = rebuilt_from(built, tmp_path / "project", "karuta")
    folder = project / "output" / "karuta" / "png" / "square"
    original = {p.name: p.read_bytes() for p in folder.iterdir()}
    sheet = project / "output" / "karuta" / "png" / "contact-sheet.png"
    original_sheet = sheet.read_bytes()
    deck = project / "content" / "karuta.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("keyword: ID管理", "keyword: IDの管理"), encoding="utf-8")
    assert invoke(project, "karuta", "--format", "png").returncode == 0
    assert (folder / "23-nu.alt.txt").read_bytes() != original["23-nu.alt.txt"]
    rerendered = (folder / "23-nu.png").read_bytes() != original["23-nu.png"]
    assert rerendered, "card 23's image is still content A's"
    deck.write_text(text, encoding="utf-8")
    assert run_build(project, "karuta", "--format", "png").returncode == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == original
    assert sheet.read_bytes() == original_sheet  # partly from files on disk, yet the same bytes


def test_press_with_backs_writes_the_print_shop_backs(built: Path):
    folder = built / "output" / "karuta"  # the session build ran all --press --backs
    assert page_count(folder / "karuta-press-cards-backs.pdf") == page_count(folder / "karuta-press-cards.pdf") == 92
    assert page_count(folder / "karuta-press-sheets-backs.pdf") == page_count(folder / "karuta-press-sheets.pdf")


def test_a_folder_in_the_way_fails_before_anything_is_replaced(built: Path, tmp_path: Path):
    project = rebuilt_from(built, tmp_path / "project", "karuta")
    deck = project / "output" / "karuta" / "karuta-print.pdf"
    before = deck.stat().st_mtime_ns  # the bytes would be the same: the file must not even be replaced
    (project / "output" / "newsletter" / "newsletter.pdf").mkdir(parents=True)
    result = invoke(project, "all", "--format", "pdf", "--force")
    assert result.returncode == 1
    assert "a folder of that name is in the way" in result.stderr and "Traceback" not in result.stderr
    assert deck.stat().st_mtime_ns == before
    assert not list((project / "output").rglob("*.part"))


def test_tests_run_the_checkout_not_an_installed_copy(tmp_path: Path):
    """Both in this process and in the subprocesses the CLI tests start from another folder."""
    import builder

    assert Path(builder.__file__).resolve().parent == ROOT / "builder"
    result = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    assert Path(result.stdout.strip()).resolve().parent == ROOT / "builder"
