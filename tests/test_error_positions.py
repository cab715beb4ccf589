"""Errors point at the exact line and column to change. Each case edits the shipped content and
marks, in the new text, the character the message must point at (`at`: the first occurrence of
that string inside `new`); the expected line:column is counted in the edited file by the test,
not taken from the code. Run in-process with click's CliRunner (fast); a few as real processes.

Where an error concerns a whole mapping (a card missing a key), `at` marks the mapping's first key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import invoke, run_build

CARD_NU = "  - kana: ぬ\n"
CASES = [
    # (name, file, old, new, at)
    ("unclosed quote", "karuta.yaml", "  title: セキュリティかるた", "  title: \"セキュリティかるた", "\"セ"),
    ("colon inside a value", "karuta.yaml", "  subtitle: 小さな会社のための", "  subtitle: 注意: 小さな会社のための", ": 小"),
    ("unknown key", "karuta.yaml", "    topic: 退職者のIDや不要な権限の放置", "    topik: 退職者のIDや不要な権限の放置", "topik"),
    ("missing key", "karuta.yaml", CARD_NU, CARD_NU, "kana: ぬ"),
    ("number where text belongs", "karuta.yaml", "    keyword: ID管理", "    keyword: 110", "110"),
    ("list where a mapping belongs", "karuta.yaml",
     "    art: {main: identification-card, props: [door], background: rose, colour: magenta}",
     "    art: [identification-card, door]", "[identification-card"),
    ("duplicate kana (the later card)", "karuta.yaml", "  - kana: ね\n", "  - kana: ぬ\n", "kana: ぬ"),
    ("kana not hiragana", "karuta.yaml", CARD_NU, "  - kana: ヌ\n", "ヌ"),
    ("empty slogan", "karuta.yaml", "    slogan: 抜け道は 退職者の IDから", "    slogan: ''", "''"),
    ("reading with the wrong kana", "karuta.yaml", "    reading: ぬけみちは たいしょくしゃの あいでぃーから",
     "    reading: けぬみちは たいしょくしゃの あいでぃーから", "けぬ"),
    ("unknown art piece", "karuta.yaml", "{main: identification-card, props: [door], background: rose, colour: magenta}",
     "{main: identification-card, props: [dor], background: rose, colour: magenta}", "dor]"),
    ("unknown background", "karuta.yaml", "{main: identification-card, props: [door], background: rose, colour: magenta}",
     "{main: identification-card, props: [door], background: rosa, colour: magenta}", "rosa"),
    ("unknown survey category", "karuta.yaml", "    ウイルス・ランサムウェアによる被害: ら", "    ウイルス被害: ら", "ウイルス被害"),
    ("survey value not k/n", "survey-2021.yaml", "[41.0, 23.8, 23.8, null, null, 14.3, 11.4, 10.5, 9.5, 7.6, 5.7, 5.7, 4.8, 0.0]",
     "[41.0, 23.8, 23.8, null, null, 14.3, 11.4, 10.5, 9.5, 7.6, 5.7, 5.7, 4.7, 0.0]", "4.7"),
    # single-answer shares must add up to 100 within rounding (two one-decimal figures: ± 0.1, the
    # source's rounding note allows 0.2): 99.5 is a typo, not rounding
    ("single-answer values add up to 99.5", "survey-2021.yaml", "[10.5, 89.5]", "[10.5, 89.0]", "[10.5, 89.0]"),
    ("survey value written as text", "survey-2021.yaml", "[10.5, 89.5]", "[10.5, ninety]", "ninety"),
    ("unknown chart kind", "survey-2021.yaml", "    kind: columns", "    kind: column", "column"),
    ("newsletter names an unknown chart", "newsletter.yaml", "charts: [C1]", "charts: [C13]", "C13"),
    ("theme font missing", "theme.yaml", "  body: BIZUDPGothic-Regular.ttf", "  body: Missing.ttf", "Missing.ttf"),
    ("theme colour", "theme.yaml", "  ink:        {rgb: \"#1f2933\"", "  ink:        {rgb: \"#1f29\"", "\"#1f29\""),
    ("theme size out of range", "theme.yaml", "  sizes: {kana: 28,", "  sizes: {kana: 500,", "500"),
]
WHOLE_FILE = [
    # (name, file, content, line, column or None)
    ("empty file", "karuta.yaml", "", 1, None),
    ("tab indentation", "karuta.yaml", "deck:\n  title: x\n\tsubtitle: y\n", 3, 1),
    ("control character", "karuta.yaml", "deck:\n  title: a\n  subtitle: b\x07c\n", 3, None),
    ("not UTF-8", "karuta.yaml", "deck:\n  title: x\n  subtitle: caf\xe9\n", 3, None),
]
LOCATED = re.compile(r"^content/(?P<file>[\w.-]+):(?P<line>\d+)(?::(?P<col>\d+))?: \S")


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index`."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _deck_alone(project: Path, file: str) -> None:
    """For a mistake in karuta.yaml, the newsletter is taken out of the project: `check` would lay it
    out (0.2-0.3 s CPU a case), which has no bearing on where a deck mistake is reported (that a
    broken deck adds no newsletter error is test_check_every_error's question)."""
    if file == "karuta.yaml":
        (project / "content" / "newsletter.yaml").unlink()


def _edit(project: Path, file: str, old: str, new: str, at: str) -> tuple[int, int]:
    path = project / "content" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"case text must occur once in {file}: {old!r}"
    start = text.index(old)
    edited = text.replace(old, new)
    if old == new:  # "missing key": drop the card's keyword line instead
        edited = text.replace("    keyword: ID管理\n", "", 1)
    path.write_text(edited, encoding="utf-8")
    return _position(edited, start + new.index(at))


def _located(output: str) -> tuple[str, int, int | None]:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    match = LOCATED.match(lines[0])
    assert match, lines[0]
    return match["file"], int(match["line"]), None if match["col"] is None else int(match["col"])


@pytest.mark.parametrize("name,file,old,new,at", CASES, ids=[c[0] for c in CASES])
def test_error_points_at_the_line_and_column_to_change(project: Path, name, file, old, new, at):
    _deck_alone(project, file)
    expected = _edit(project, file, old, new, at)
    result = invoke(project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    where = _located(result.stderr)
    assert where == (file, *expected), f"{name}: {result.stderr.strip()}"


@pytest.mark.parametrize("name,file,content,line,column", WHOLE_FILE, ids=[c[0] for c in WHOLE_FILE])
def test_whole_file_errors_name_the_line(project: Path, name, file, content, line, column):
    _deck_alone(project, file)
    path = project / "content" / file
    path.write_bytes(content.encode("latin-1") if name == "not UTF-8" else content.encode("utf-8"))
    result = invoke(project, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    found_file, found_line, found_column = _located(result.stderr)
    assert (found_file, found_line) == (file, line), result.stderr
    if column is not None:
        assert found_column == column, result.stderr


def test_rounding_within_the_tolerance_is_accepted(project: Path, monkeypatch):
    _edit(project, "survey-2021.yaml", "[10.5, 89.5]", "[10.5, 89.6]", "89.6")  # 100.1: rounding
    result = invoke(project, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [("check",), ("all", "--format", "pdf")])
def test_a_real_process_reports_the_same_position(project: Path, command):
    """The same contract outside the test process: exit 1, one line, exact position."""
    expected = _edit(project, "karuta.yaml", "    topic: 退職者のIDや不要な権限の放置",
                     "    topik: 退職者のIDや不要な権限の放置", "topik")
    result = run_build(project, *command)
    assert result.returncode == 1
    assert _located(result.stderr) == ("karuta.yaml", *expected), result.stderr
