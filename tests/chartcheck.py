"""What the chart tests share: the shipped theme and newsletter loaded once, a figure written as the
source prints it, and a chart laid out at a width (its display items)."""

from __future__ import annotations

from conftest import ROOT

from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.layout.charts import layout_chart
from builder.paths import find_project

PROJECT = find_project(ROOT)
THEME = load_theme(PROJECT)
DOC = load_newsletter(PROJECT, THEME)


def fmt(value: float | None, unit: str) -> str:
    """As the source prints a figure: one decimal and the unit; a value it does not give as unknown."""
    return f"{DOC.words.unknown_value}{DOC.words.unknown_mark}" if value is None else f"{value:.1f}{unit}"


def layout(chart_id: str, width: float) -> list:
    """The display items of a shipped chart laid out `width` mm wide (it must take some height)."""
    items, height = layout_chart(DOC.survey.charts[chart_id], THEME, width, DOC.survey.credit, DOC.words)
    assert height > 0
    return items
