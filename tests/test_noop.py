"""An unchanged plain build is answered before the CLI is loaded (builder.noop): only for the plainest
command lines, with the run key and the words the CLI would have used, and never instead of
building or of an error the CLI reports."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import make_project

import builder.cache as cache
import builder.cli as cli
from builder import plain
from builder.noop import answered, plain_request
from builder.options import DEFAULT_FORMAT, command_options

RUN_KEY = cache.folder_run_key


@pytest.mark.parametrize("args, request_", [
    (["all"], (None, "all", False)),
    (["karuta", "-q"], (None, "karuta", True)),
    (["--quiet", "newsletter"], (None, "newsletter", True)),
    (["--project", ".", "all"], (".", "all", False)),
    (["-p", ".", "-q", "all"], (".", "all", True)),
    (["--project=.", "all", "--quiet"], (".", "all", True)),
])
def test_the_plainest_command_lines_are_understood(args, request_):
    assert plain_request(args) == request_


@pytest.mark.parametrize("args", [
    [], ["check"], ["site"], ["clean"], ["all", "x"], ["all", "all"], ["all", "-v"], ["-v", "all"],
    ["all", "--force"], ["all", "--format", "all"], ["karuta", "--press"], ["newsletter", "content/newsletter.yaml"],
    ["--debug", "all"], ["all", "--help"], ["--version"], ["-q", "--project", ".", "all"], ["--project"],
    ["--project", "all"], ["--project", "/no/such/folder", "all"], ["-p.", "all"], ["all", "--project", "."],
])
def test_anything_else_goes_to_the_cli(args):
    assert plain_request(args) is None


def _recorded(monkeypatch, unchanged: int | None) -> list:
    """Record the run keys asked about (the CLI's run_key and the no-op both end in
    cache.folder_run_key); every run counts as `unchanged`."""
    keys = []
    monkeypatch.setattr(cache, "folder_run_key", lambda *args: keys.append(RUN_KEY(*args)) or keys[-1])
    monkeypatch.setattr(cache, "unchanged_files", lambda root, key, force=False: unchanged)
    return keys


@pytest.mark.parametrize("args", [["all"], ["karuta"], ["newsletter"], ["-q", "all"], ["karuta", "--quiet"]])
def test_the_answer_is_the_cli_s_for_the_same_run(tmp_path: Path, monkeypatch, args):
    project = make_project(tmp_path / "p")
    monkeypatch.chdir(project)
    theirs = _recorded(monkeypatch, 7)
    said = CliRunner().invoke(cli.cli, ["--project", str(project), *args])
    assert said.exit_code == 0 and len(theirs) == 1
    ours = _recorded(monkeypatch, 7)
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert answered(["--project", str(project), *args])
    assert ours == theirs, "the same run key: the same options, targets and output folder"
    assert printed.getvalue() == said.stdout
    assert ("unchanged" in printed.getvalue()) == ("-q" not in args and "--quiet" not in args)


@pytest.mark.parametrize("where, args", [("content", ["all"]), ("content", ["--project", "..", "all"]),
                                         (".", ["-p", ".", "all"])])
def test_the_project_is_found_as_the_cli_finds_it(tmp_path: Path, monkeypatch, where, args):
    """From a subfolder, or named relative to the current folder: the same project, the same key."""
    project = make_project(tmp_path / "p")
    monkeypatch.chdir(project / where)
    theirs = _recorded(monkeypatch, 7)
    assert CliRunner().invoke(cli.cli, args).exit_code == 0
    ours = _recorded(monkeypatch, 7)
    with redirect_stdout(io.StringIO()):
        assert answered(args)
    assert ours == theirs and len(ours) == 1


@pytest.mark.parametrize("command", ["all", "karuta", "newsletter"])
def test_a_plain_command_means_the_cli_s_options(command):
    """What changes the files, as the no-op takes it without the Options dataclass."""
    assert plain.identity(command) == command_options(DEFAULT_FORMAT[command]).identity()


def test_a_run_with_something_to_build_goes_to_the_cli(tmp_path: Path, monkeypatch):
    project = make_project(tmp_path / "p")
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert not answered(["--project", str(project), "all"]), "never built: the CLI builds"
        monkeypatch.chdir(tmp_path)
        assert not answered(["all"]), "no project here: the CLI says so"
        (project / "content" / "karuta.yaml").unlink()
        (project / "content" / "newsletter.yaml").unlink()
        assert not answered(["--project", str(project), "all"]), "nothing to build: the CLI says so"
        monkeypatch.setattr(cache, "folder_run_key", lambda *args: 1 / 0)
        assert not answered(["--project", str(make_project(tmp_path / "q")), "all"]), "an error: the CLI reports it"
    assert printed.getvalue() == ""


def test_python_m_builder_answers_there_without_the_cli(tmp_path: Path, monkeypatch):
    """`python -m builder` and the `build` command (the same main) stop at the answer."""
    import builder.__main__ as entry
    import builder.finish as finish
    import builder.noop as noop

    ended = []
    monkeypatch.setattr(noop, "answered", lambda args: args == ["all"])
    monkeypatch.setattr(finish, "end", lambda: ended.append(True) or sys.exit(0))
    monkeypatch.setattr(sys, "argv", ["build", "all"])
    with pytest.raises(SystemExit):
        entry.main()
    assert ended == [True]
