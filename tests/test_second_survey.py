"""Another survey with YAML only: tests/fixtures/second-survey (other chart ids, a two-year
comparison, a subset n, an unknown value, two parts, no deck) replaces the shipped survey in a
`build init` project, and check, newsletter and all succeed. Every chart kind draws every series
it is given, or the data is refused at its line. Oracles: the fixture's YAML, read here."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, safe_load, tool
from pdfcheck import squash

from builder.cli import cli
from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.errors import ContentError
from builder.layout.charts import layout_chart
from builder.layout.geometry import Rect, Text
from builder.paths import find_project

FIXTURE = Path(__file__).parent / "fixtures" / "second-survey" / "content"
DATA = safe_load((FIXTURE / "survey-2024.yaml").read_text(encoding="utf-8"))
CHARTS = {chart["id"]: chart for chart in DATA["charts"]}


def _second_survey_project(tmp_path: Path) -> Path:
    """`build init`, then the shipped survey, newsletter and deck replaced by the fixture's YAML."""
    project = tmp_path / "second"
    result = CliRunner().invoke(cli, ["init", str(project)])
    assert result.exit_code == 0, result.output
    content = project / "content"
    for name in ("survey-2021.yaml", "newsletter.yaml", "karuta.yaml"):
        (content / name).unlink()
    for source in FIXTURE.iterdir():
        shutil.copy(source, content / source.name)
    return project


def _invoke(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project), *args])


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def test_a_second_survey_builds_with_yaml_only(tmp_path: Path):
    project = _second_survey_project(tmp_path)
    check = _invoke(project, "check")
    assert check.exit_code == 0, check.output
    assert "newsletter (" in check.stdout and "deck" not in check.stdout
    for command in (["newsletter"], ["all"]):
        result = _invoke(project, *command)
        assert result.exit_code == 0, (command, result.output)
    assert not (project / "output" / "karuta").exists()  # no deck, none built
    words = squash(tool("pdftotext", str(project / "output" / "newsletter" / "newsletter.pdf"), "-"))
    for chart in CHARTS.values():
        assert squash(chart["title"]) in words
        for series in chart["values"]:
            for value in series:
                if value is not None:
                    assert _percent(value) in words, (chart["id"], value)
    assert "2023年" in words and "2024年" in words  # the comparison's legend
    # the lead's placeholders, filled from the data: 45.0% (T1), 32.5% -> 47.5% (T2)
    assert squash("テレワークをしている人は45.0%。多要素認証を導入した職場は32.5%から47.5%に増えました") in words
    assert "{" not in words


@pytest.mark.parametrize("chart_id", ["T2", "T4"])
def test_grouped_charts_draw_every_series(tmp_path: Path, chart_id: str):
    project = find_project(_second_survey_project(tmp_path))
    theme = load_theme(project)
    doc = load_newsletter(project, theme)
    chart = doc.survey.charts[chart_id]
    items, height = layout_chart(chart, theme, 120.0, "credit", doc.words)
    texts = [item.text for item in items if isinstance(item, Text)]
    expected = CHARTS[chart_id]
    for series in expected["values"]:
        for value in series:
            shown = _percent(value) if value is not None else doc.words.unknown_value + doc.words.unknown_mark
            assert shown in texts, (chart_id, shown)
    known = sum(1 for series in expected["values"] for value in series if value)
    filled = [item for item in items if isinstance(item, Rect) and item.fill is not None]
    fills = {item.fill for item in filled}
    assert len(fills) >= len(expected["series"])  # one colour per series, named in the legend
    for name in expected["series"]:
        assert name in texts
    bars = [item for item in filled if abs(item.w - item.h) > 1e-6]  # legend swatches are square
    assert len(bars) >= known
    assert height > 0


def _break_survey(project: Path, old: str, new: str) -> None:
    path = project / "content" / "survey-2024.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("kind", ["bars", "columns", "pie", "stacked"])
def test_a_one_series_kind_refuses_two_series_at_their_line(tmp_path: Path, kind: str):
    project = _second_survey_project(tmp_path)
    _break_survey(project, "    kind: grouped-bars", f"    kind: {kind}")
    result = _invoke(project, "check")
    assert result.exit_code == 1
    line = next(i for i, text in enumerate((project / "content" / "survey-2024.yaml").read_text().splitlines(), 1)
                if text.startswith("    series: [2023年, 2024年]"))
    assert re.match(rf"content/survey-2024.yaml:{line}:\d+: chart T2: a '{kind}' chart draws one series, but "
                    r"'series' names 2 \(2023年, 2024年\); to compare them side by side write kind: grouped-bars",
                    result.stderr.replace(str(project) + "/", "")), result.stderr


def test_totals_only_on_stacked_bars(tmp_path: Path):
    project = _second_survey_project(tmp_path)
    _break_survey(project, "    notes: [両年とも400名に聞いた結果です。]",
                  "    totals: [80.0, 42.5, 116.5, 56.5]\n    notes: [両年とも400名に聞いた結果です。]")
    result = _invoke(project, "check")
    assert result.exit_code == 1 and "totals are printed only at the end of stacked bars" in result.stderr


def test_stacked_bars_print_a_total_only_when_the_data_gives_it():
    project = find_project(ROOT)
    theme = load_theme(project)
    doc = load_newsletter(project, theme)
    c10 = doc.survey.charts["C10"]
    with_totals = [i.text for i in layout_chart(c10, theme, 120.0, "credit", doc.words)[0] if isinstance(i, Text)]
    assert all(_percent(total) in with_totals for total in c10.totals)
    from dataclasses import replace

    without = [i.text for i in layout_chart(replace(c10, totals=None), theme, 120.0, "credit", doc.words)[0]
               if isinstance(i, Text)]
    values = {_percent(v) for row in c10.values for v in row}
    assert not [text for text in without if text.endswith("%") and text not in values]


def test_a_wrong_figure_in_the_second_survey_is_located(tmp_path: Path):
    project = _second_survey_project(tmp_path)
    _break_survey(project, "      - [5.0, 15.0, 25.0, 55.0]", "      - [5.0, 15.0, 25.0, 56.0]")
    result = _invoke(project, "newsletter")
    assert result.exit_code == 1
    assert re.search(r"survey-2024.yaml:\d+:\d+: chart T3: ", result.stderr)
    with pytest.raises(ContentError):
        load_newsletter(find_project(project), load_theme(find_project(project)))


def test_grouped_columns_too_narrow_for_their_values_are_refused_at_the_chart():
    """Twenty labels of two series leave each column too narrow for its value: a located message,
    not an internal error."""
    from dataclasses import replace

    from builder.errors import Where

    project = find_project(ROOT)
    theme = load_theme(project)
    doc = load_newsletter(project, theme)
    labels = tuple(f"L{i}" for i in range(20))
    chart = replace(doc.survey.charts["C1"], kind="grouped-columns", series=("2023", "2024"), labels=labels,
                    values=(tuple(10.0 for _ in labels), tuple(20.0 for _ in labels)), totals=None,
                    where=Where(Path("content/x.yaml"), 7, 3))
    with pytest.raises(ContentError, match=r"x.yaml:7:3: .*write kind: grouped-bars"):
        layout_chart(chart, theme, 120.0, "credit", doc.words)
