"""The new user's path through the command line, in-process with click's CliRunner: options that
do not apply are refused with the reason, help tells the truth, variants get their own file
names, -q/-v, colour and NO_COLOR, --debug on either side of the command, the project found from
a subfolder, clean, list, --watch, and the poppler skip. Where only the CLI's decision matters,
the pipeline's `run` is replaced by a recorder, so these tests take seconds."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, tool

import builder.pipeline
from builder.cli import cli
from builder.names import variant_name
from builder.options import Options, Report


def invoke(project: Path | None, *args: str, **kwargs):
    prefix = ["--project", str(project)] if project else []
    return CliRunner().invoke(cli, [*prefix, *args], **kwargs)


@pytest.fixture
def recorded(monkeypatch) -> list[Options]:
    """The options each build would run with; nothing is built."""
    calls: list[Options] = []

    def run(project, options, targets, key):
        calls.append(options)
        report = Report()
        report.add(project.output / "newsletter" / "newsletter.pdf", "4 pages")
        return report

    monkeypatch.setattr(builder.pipeline, "run", run)
    return calls


# --- options that do not apply ---------------------------------------------------------------

def test_preset_alone_makes_images(project: Path, recorded: list[Options]):
    result = invoke(project, "karuta", "--preset", "ogp")
    assert result.exit_code == 0, result.output
    assert recorded[-1].formats == ("png",) and recorded[-1].presets == ("ogp",)


def test_preset_with_format_pdf_is_refused(project: Path, recorded: list[Options]):
    result = invoke(project, "karuta", "--format", "pdf", "--preset", "ogp")
    assert result.exit_code == 2 and not recorded
    assert "--preset" in result.stderr and "makes no images" in result.stderr


@pytest.mark.parametrize("option", ["--cmyk", "--vertical", "--backs", "--press"])
def test_pdf_options_with_png_only_are_refused(project: Path, recorded: list[Options], option: str):
    result = invoke(project, "karuta", "--format", "png", option)
    assert result.exit_code == 2 and not recorded
    assert option in result.stderr and "--format png makes only the card images" in result.stderr


def test_all_with_png_keeps_cmyk_for_the_newsletter_but_refuses_vertical(project: Path, recorded: list[Options]):
    assert invoke(project, "all", "--format", "png", "--cmyk").exit_code == 0
    assert recorded[-1].cmyk and recorded[-1].formats == ("png",)
    result = invoke(project, "all", "--format", "png", "--vertical")
    assert result.exit_code == 2 and "--vertical" in result.stderr


def test_list_refuses_build_options(project: Path):
    result = invoke(project, "karuta", "--list", "--press")
    assert result.exit_code == 2 and "--press" in result.stderr


def test_help_shows_each_commands_own_default():
    assert re.search(r"\[default:\s+all\]", invoke(None, "all", "--help").stdout)
    assert re.search(r"\[default:\s+pdf\]", invoke(None, "karuta", "--help").stdout)


# --- names, verbosity, colour, --debug, subfolders -------------------------------------------

def test_variant_names_say_what_the_file_holds():
    options = Options(press=False, cmyk=True, backs=True, vertical=True)
    assert variant_name("karuta-print", options, ("backs", "vertical", "cmyk")) == "karuta-print-backs-vertical-cmyk.pdf"
    assert variant_name("newsletter", options, ("press", "cmyk")) == "newsletter-cmyk.pdf"
    assert variant_name("newsletter", Options(), ("press", "cmyk")) == "newsletter.pdf"


def test_variants_no_longer_overwrite_each_other(small_project: Path):
    project = small_project  # a newsletter build of small content: only the command line matters
    for args in (["newsletter"], ["newsletter", "--cmyk"]):
        result = invoke(project, *args, "-q")
        assert result.exit_code == 0, result.stderr
    folder = project / "output" / "newsletter"
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["newsletter-cmyk.pdf", "newsletter.pdf"]
    assert (folder / "newsletter.pdf").read_bytes() != (folder / "newsletter-cmyk.pdf").read_bytes()


def test_quiet_prints_nothing_and_verbose_says_more(project: Path, recorded: list[Options]):
    normal = invoke(project, "newsletter")
    assert normal.stdout.startswith("wrote ")
    assert invoke(project, "newsletter", "-q").stdout == ""
    assert invoke(project, "-q", "newsletter").stdout == ""
    verbose = invoke(project, "newsletter", "--verbose").stdout
    assert f"project {project.resolve()}" in verbose and re.search(r"done in [\d.]+ s", verbose)
    assert invoke(project, "-q", "newsletter", "-v").exit_code == 2


def test_colour_on_a_terminal_unless_no_color(project: Path, recorded: list[Options]):
    coloured = invoke(project, "newsletter", color=True).stdout
    assert "\x1b[32mwrote\x1b[0m" in coloured
    assert "\x1b[" not in invoke(project, "newsletter", color=True, env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" not in invoke(project, "newsletter").stdout  # not a terminal


def test_debug_works_before_and_after_the_command(project: Path):
    (project / "content" / "theme.yaml").write_text("colours: [", encoding="utf-8")
    plain = invoke(project, "check")
    assert plain.exit_code == 1 and "theme.yaml:" in plain.stderr
    for args in (["--debug", "check"], ["check", "--debug"]):
        result = invoke(project, *args)
        assert result.exception is not None and not isinstance(result.exception, SystemExit), args


def test_project_is_found_from_a_subfolder(project: Path, monkeypatch):
    monkeypatch.chdir(project / "content")
    result = invoke(None, "list", "cards")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 46
    monkeypatch.chdir(project.parent)
    assert invoke(None, "list", "cards").exit_code == 1  # no project above: the message says how


# --- clean, list, watch ----------------------------------------------------------------------

def test_clean_removes_only_what_the_builds_wrote(small_project: Path):
    project = small_project  # a newsletter build of small content: only the command line matters
    assert invoke(project, "newsletter", "-q").exit_code == 0
    assert invoke(project, "newsletter", "-q", "--press").exit_code == 0
    output = project / "output"
    mine = output / "newsletter" / "my-notes.txt"
    mine.write_text("mine")
    result = invoke(project, "clean")
    assert result.exit_code == 0 and "removed 2 built file(s)" in result.stdout
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == ["newsletter",
                                                                                   "newsletter/my-notes.txt"]
    assert invoke(project, "clean").stdout.strip() == "nothing to clean"


def test_clean_keeps_a_built_file_the_user_changed(small_project: Path):
    project = small_project  # a newsletter build of small content: only the command line matters
    assert invoke(project, "newsletter", "-q").exit_code == 0
    pdf = project / "output" / "newsletter" / "newsletter.pdf"
    pdf.write_bytes(b"%PDF my own edit")
    result = invoke(project, "clean")
    assert "kept output/newsletter/newsletter.pdf" in result.stdout.replace(str(project) + "/", "")
    assert pdf.read_bytes() == b"%PDF my own edit"


@pytest.mark.parametrize("command", ["icons", "art"])
def test_list_illustrations_filtered_by_a_word(project: Path, command: str):
    every = invoke(project, "list", command).stdout.splitlines()
    lock = invoke(project, "list", command, "LOCK").stdout.splitlines()
    assert "locked" in lock and "locked-with-key" in lock and len(every) > len(lock) > 2  # Fluent Emoji names
    assert all("lock" in name for name in lock)
    result = invoke(project, "list", command, "no-such-picture")
    assert result.exit_code == 1 and "no illustration name contains 'no-such-picture'" in result.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_rebuilds_what_changed_and_a_mistake_keeps_watching(small_project: Path):
    project = small_project  # a newsletter build of small content: only the command line matters
    from builder.paths import find_project
    from builder.watch import rebuild

    assert invoke(project, "newsletter", "-q").exit_code == 0
    text = project / "content" / "newsletter.yaml"
    _edit(text, "headline: ", "headline: 速報 ")
    lines = rebuild(find_project(project), Options(), ["newsletter"], [text])
    assert lines[0] == ("info", f"changed {text}") or lines[0] == ("info", "changed content/newsletter.yaml")
    assert any(kind == "info" and line.startswith("wrote ") and "newsletter.pdf" in line for kind, line in lines)
    _edit(text, "headline: ", "headline: [")
    kind, message = rebuild(find_project(project), Options(), ["newsletter"], [text])[-1]
    assert kind == "error" and re.search(r"newsletter\.yaml:\d+", message)


def test_watch_runs_a_rebuild_per_batch_of_changes(small_project: Path, monkeypatch):
    project = small_project  # a newsletter build of small content: only the command line matters
    import watchfiles

    text = project / "content" / "newsletter.yaml"

    def one_save(*folders, watch_filter, raise_interrupt):
        assert project.resolve() / "content" in folders
        assert watch_filter(None, str(text)) and not watch_filter(None, str(text) + ".swp")
        _edit(text, "headline: ", "headline: 速報 ")
        yield {(watchfiles.Change.modified, str(text))}

    monkeypatch.setattr(watchfiles, "watch", one_save)
    result = invoke(project, "newsletter", "--watch")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("wrote ") and lines[1].startswith("watching ")
    assert "changed " in lines[2] and "newsletter.yaml" in lines[2]
    assert lines[3].startswith("wrote ") and lines[-1] == "stopped watching"


# --- tests without poppler, licence ----------------------------------------------------------

def test_missing_poppler_skips_naming_the_package(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.skip.Exception, match="poppler-utils"):
        tool("pdftotext", "x.pdf", "-")


def test_licence_file_is_the_one_pyproject_names():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]["text"]
    assert licence.startswith("MIT License") and declared.startswith("MIT")
    assert "fonts/SOURCES.md" in licence



# --- the README's commands -------------------------------------------------------------------

README_REFUSED = {"build karuta --format png --cmyk"}  # the README shows it as the example of a refusal


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"`(build [^`]*)`", readme)))


@pytest.mark.parametrize("command", _readme_commands())
def test_every_readme_command_works_as_written(project: Path, recorded: list[Options], monkeypatch,
                                               tmp_path: Path, command: str):
    import watchfiles

    import builder.site.serve

    monkeypatch.setattr(watchfiles, "watch", lambda *folders, **kw: iter(()))  # --watch: no saves, then stop
    monkeypatch.setattr(builder.site.serve, "serve", lambda *args: None)  # --serve: no server
    monkeypatch.chdir(project)
    words = command.replace("[", "").replace("]", "").split()  # [--port 8000]: an optional part, given
    args = [str(tmp_path / "new") if word == "DIR" else word for word in words[1:]]
    for word in args:  # a newsletter text the README names as an example of one you would write
        if word.startswith("content/") and not (project / word).exists():
            shutil.copy(project / "content" / "newsletter.yaml", project / word)
    result = invoke(None, *args)
    expected = 2 if command in README_REFUSED else 0
    assert result.exit_code == expected, (command, result.output)
    if args[0] in ("all", "newsletter", "karuta") and "--list" not in args and expected == 0:
        assert recorded, command  # it really asked for a build
