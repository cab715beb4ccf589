"""Random edits to the shipped content (a value's type changed, a key dropped or added,
characters inserted, a text lengthened or emptied, a list item duplicated): whatever the
edit, the tool answers exit 0 with whole outputs or exit 1 with one `file:line:` sentence,
never a traceback or an internal error, and never leaves a partial file."""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

from builder.cli import cli

FILES = ("karuta.yaml", "survey-2021.yaml", "newsletter.yaml", "theme.yaml")
# read with libyaml where PyYAML has it (the same data, a tenth of the time: every xdist worker imports this)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ORIGINAL = {name: yaml.load((ROOT / "content" / name).read_text(encoding="utf-8"), Loader=_LOADER) for name in FILES}
INSERTS = st.text(alphabet=st.sampled_from(list("あア漢、。」ー😀𠮷\x07\t:#-{}[]'\"&*!|>%@`") + ["\n", " ", "a"]),
                  min_size=1, max_size=4)
REPLACEMENTS = st.sampled_from([0, 7, -1, 3.5, 1e9, True, None, "", "x", [], {}, ["a"], {"k": "v"}])
MESSAGE = re.compile(r"^content/[\w.-]+\.yaml(:\d+){1,2}: \S.*$")


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _get(node, path):
    for step in path:
        node = node[step]
    return node


@st.composite
def edits(draw):
    """A copy of one content file with one random edit."""
    name = draw(st.sampled_from(FILES))
    data = copy.deepcopy(ORIGINAL[name])
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent, key = _get(data, path[:-1]), path[-1]
    value = parent[key]
    operation = draw(st.sampled_from(["type", "drop", "add", "insert", "lengthen", "empty", "duplicate"]))
    if operation == "type":
        parent[key] = draw(REPLACEMENTS)
    elif operation == "drop":
        del parent[key]
    elif operation == "add" and isinstance(value, dict):
        value[draw(st.sampled_from(["extra", "titel", "kana", "0"]))] = draw(REPLACEMENTS)
    elif operation == "insert" and isinstance(value, str):
        at = draw(st.integers(0, len(value)))
        parent[key] = value[:at] + draw(INSERTS) + value[at:]
    elif operation == "lengthen" and isinstance(value, str):
        parent[key] = value * draw(st.integers(2, 8))
    elif operation == "empty":
        parent[key] = type(value)() if isinstance(value, (str, list, dict)) else None
    elif operation == "duplicate" and isinstance(parent, list):
        parent.append(value)
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@contextmanager
def _project(name: str, text: str):
    folder = Path(tempfile.mkdtemp(prefix="karuta-prop-"))
    try:
        shutil.copytree(ROOT / "content", folder / "content")
        (folder / "content" / name).write_text(text, encoding="utf-8")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _invoke(project: Path, *args: str):
    """The CLI in this process (a few hundred subprocesses would be slow), run from the project."""
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return runner.invoke(cli, ["--project", str(project), *args], catch_exceptions=True)
    finally:
        os.chdir(cwd)


def _assert_contract(result, *, every: bool = False) -> None:
    """`every`: build check, which prints each mistake it finds (and warnings) on a line of its
    own, then how many when there are several; a build stops at its first."""
    output = result.output
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (result.exit_code, output)
    if result.exit_code == 1:
        lines = [line for line in output.splitlines() if line.strip()]
        if every and len(lines) > 1 and re.fullmatch(r"\d+ mistakes found; nothing written", lines[-1]):
            lines = lines[:-1]
        assert lines and (every or len(lines) == 1) and all(MESSAGE.match(line) for line in lines), output


@given(edits())  # as many examples as the hypothesis profile gives (see conftest.py)
def test_random_edits_are_checked_or_reported(edit):
    name, text = edit
    with _project(name, text) as project:
        _assert_contract(_invoke(project, "check"), every=True)


@settings(max_examples=max(3, settings().max_examples // 10))  # a whole build per example
@given(edits())
def test_random_edits_build_whole_files_or_nothing(edit):
    name, text = edit
    with _project(name, text) as project:
        result = _invoke(project, "all", "--format", "pdf")
        _assert_contract(result)
        written = [p for p in (project / "output").rglob("*") if p.is_file() and ".cache" not in p.parts]
        assert not [p for p in written if p.name.endswith(".part")]
        if result.exit_code == 0:
            names = {p.name for p in written}
            assert {"newsletter.pdf", "karuta-print.pdf"} <= names
            assert all(p.read_bytes().startswith(b"%PDF") and b"%%EOF" in p.read_bytes()[-32:]
                       for p in written if p.suffix == ".pdf")
        else:
            assert not written
