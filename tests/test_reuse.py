"""Reuse: the deck's survey coverage is optional and keyed by whatever charts its survey has; a
newsletter text is named on the command line and several sit side by side; figures in prose are
placeholders filled from the data (worked out here by hand, not by the code under test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.content.deck import load_deck
from builder.content.figures import fill
from builder.content.survey import load_survey
from builder.content.theme import load_theme
from builder.errors import ContentError, Where
from builder.paths import find_project

WHERE = Where(Path("content/newsletter.yaml"), 7)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _without_coverage(karuta: Path) -> str:
    text = karuta.read_text(encoding="utf-8")
    start = text.index("survey_coverage:")
    end = text.index("\ncards:")
    return text[:start] + text[end + 1:]


def test_a_deck_needs_no_survey(project: Path):
    karuta = project / "content" / "karuta.yaml"
    text = _without_coverage(karuta)
    text = re.sub(r"\n  survey: [^\n]*", "", text, count=1)
    karuta.write_text(text, encoding="utf-8")
    (project / "content" / "survey-2021.yaml").unlink()  # nothing refers to it any more
    found = find_project(project)
    deck = load_deck(found, load_theme(found))
    assert len(deck.cards) == 46 and deck.coverage == {}


def test_coverage_is_keyed_by_any_chart_of_the_survey(project: Path):
    karuta = project / "content" / "karuta.yaml"
    text = _without_coverage(karuta).replace("\ncards:", "\nsurvey_coverage:\n  C8:\n    1度も報告を行わなかった: ほ\n"
                                                           "    一部のみ報告を行なった: ほ\n    全て報告を行なった: ほ\ncards:", 1)
    karuta.write_text(text, encoding="utf-8")
    found = find_project(project)
    assert load_deck(found, load_theme(found)).coverage == {"C8": {"1度も報告を行わなかった": "ほ",
                                                                   "一部のみ報告を行なった": "ほ", "全て報告を行なった": "ほ"}}
    _edit(karuta, "    全て報告を行なった: ほ\n", "")
    with pytest.raises(ContentError, match=r"karuta.yaml:\d+:\d+: survey_coverage C8: no card covers '全て報告を行なった'"):
        load_deck(found, load_theme(found))


def test_coverage_without_a_survey_says_what_to_add(project: Path):
    karuta = project / "content" / "karuta.yaml"
    _edit(karuta, "  survey: survey-2021.yaml", "")
    found = find_project(project)
    with pytest.raises(ContentError, match="add 'survey: <its data file>' under deck:"):
        load_deck(found, load_theme(found))


def test_newsletters_named_on_the_command_line_sit_side_by_side(project: Path, monkeypatch):
    content = project / "content"
    issue = content / "newsletter-2025.yaml"
    issue.write_text((content / "newsletter.yaml").read_text(encoding="utf-8")
                     .replace("issue: 第1号", "issue: 第2号"), encoding="utf-8")
    monkeypatch.chdir(project)
    runner = CliRunner()
    result = runner.invoke(cli, ["newsletter", "content/newsletter-2025.yaml", "-q"])
    assert result.exit_code == 0, result.output
    folder = project / "output" / "newsletter"
    assert [p.name for p in folder.glob("*.pdf")] == ["newsletter-2025.pdf"]
    monkeypatch.chdir(content)  # named from inside content/ as well; without a name, every newsletter*.yaml
    assert runner.invoke(cli, ["newsletter", "newsletter-2025.yaml", "-q"]).exit_code == 0
    assert runner.invoke(cli, ["newsletter", "-q"]).exit_code == 0
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["newsletter-2025.pdf", "newsletter.pdf"]
    missing = runner.invoke(cli, ["newsletter", "newsletter-2030.yaml"])
    assert missing.exit_code == 1 and "newsletter-2030.yaml: there is no such file" in missing.stderr


# --- placeholders ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def charts():
    return load_survey(Path(__file__).resolve().parents[1] / "content" / "survey-2021.yaml").charts


@pytest.mark.parametrize("text, expected", [
    ("{C1:発生した}", "10.5%"),
    ("起きたのは{C1:発生した}、起きていないのは{C1:発生していない}", "起きたのは10.5%、起きていないのは89.5%"),
    ("{C6:100 - 1度もルール違反を犯さなかった}", "19.0%"),  # the source's 19.0 (parts add to 18.9)
    ("{C5:ルールが制定・周知されており + ルールが制定・周知されているが + ルールが制定されているが}", "42.7%"),
    ("{C3:複数 + 1回}", "41.0%"),  # a unique start of a label is enough
    ("{C2:n}人", "105人"),
    ("{C1:n}人", "1,000人"),
    ("{C4:average}", "1.4回"),
    ("{C4:2018年}", "2.8回"),
    ("{C10:発生したが、会社・上司に報告しなかった/自分の利用}", "1.8%"),
    ("{C10:total/自分の利用}", "4.2%"),
])
def test_placeholders_print_the_datas_figures(charts, text: str, expected: str):
    assert fill(text, charts, WHERE) == expected


@pytest.mark.parametrize("text, message", [
    ("{C99:発生した}", "there is no chart 'C99'"),
    ("{C1:起きた}", "chart C1 has no label '起きた'"),
    ("{C5:ルールが制定・周知されて}", "starts 2 labels of chart C5"),
    ("{C10:自分の利用}", "chart C10 has 2 series; write series/label"),
    ("{C2:テレワーク}", "the source gives no value for this label"),
    ("{C12:n}", "chart C12 has no n"),
])
def test_a_wrong_placeholder_is_located(charts, text: str, message: str):
    with pytest.raises(ContentError, match=rf"^content/newsletter.yaml:7: .*{re.escape(message)}"):
        fill(text, charts, WHERE)


def test_a_corrected_figure_changes_every_sentence_or_check_stops(project: Path):
    """C1 corrected to 11.5 / 88.5 (still whole people of 1,000): every sentence that states it follows;
    a percentage typed in by hand that the data no longer holds stops the check at its line."""
    from conftest import tool
    from pdfcheck import squash

    _edit(project / "content" / "survey-2021.yaml", "[10.5, 89.5]", "[11.5, 88.5]")
    runner = CliRunner()
    assert runner.invoke(cli, ["--project", str(project), "check"]).exit_code == 0
    assert runner.invoke(cli, ["--project", str(project), "newsletter", "-q"]).exit_code == 0
    words = squash(tool("pdftotext", str(project / "output" / "newsletter" / "newsletter.pdf"), "-"))
    for sentence in ("勤務先でトラブルがあったと答えた人は11.5%",  # lead
                     "勤務先でのトラブル経験は11.5%",  # heading
                     "「発生した」と答えた人は11.5%", "は88.5%でした"):  # finding text (wrapped beside its chart)
        assert sentence in words, sentence
    assert words.count("11.5%") >= 6  # also the key figure and the chart itself
    text = project / "content" / "newsletter.yaml"
    _edit(text, "「発生した」と答えた人は{C1:発生した}", "「発生した」と答えた人は10.5%")
    line = next(i for i, row in enumerate(text.read_text(encoding="utf-8").splitlines(), 1) if "答えた人は10.5%" in row)
    result = runner.invoke(cli, ["--project", str(project), "check"])
    assert result.exit_code == 1
    assert re.match(rf"content/newsletter.yaml:{line}:\d+: PART1 finding: '10.5%' is no value of chart C1",
                    result.stderr.replace(str(project) + "/", "")), result.stderr


def test_a_typed_percentage_in_a_text_without_a_chart_must_be_a_placeholder(project: Path):
    text = project / "content" / "newsletter.yaml"
    _edit(text, "勤務先でトラブルがあったと答えた人は{C1:発生した}。", "勤務先でトラブルがあったと答えた人は10.5%。")
    result = CliRunner().invoke(cli, ["--project", str(project), "check"])
    assert result.exit_code == 1
    assert re.search(r"newsletter.yaml:\d+:\d+: lead: '10.5%' is typed in; this text shows no chart", result.stderr)


def test_the_survey_is_read_once_for_the_same_bytes_and_again_after_an_edit(project: Path):
    """The deck's coverage and the newsletter both read the survey: one reading serves both, but an
    edited file (a watching process rebuilds) is read again, and a broken one refused every time."""
    path = project / "content" / "survey-2021.yaml"
    first = load_survey(path)
    assert load_survey(path) is first
    _edit(path, "title: 発生した事故・トラブルの内容", "title: 事故・トラブルの内容")
    edited = load_survey(path)
    assert edited is not first and "事故・トラブルの内容" in {chart.title for chart in edited.charts.values()}
    _edit(path, "n: 427", "n: -5")
    for _ in range(2):
        with pytest.raises(ContentError, match="n must be a positive whole number"):
            load_survey(path)
