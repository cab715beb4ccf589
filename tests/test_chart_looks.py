"""How the charts read: legend labels on one line, a pie across the full measure filling it, and
labels and figures in the theme's fixed-pitch face so that figures line up as in a table.

Labels, values and widths come from the YAML files (survey, theme), the face's advance widths from
the font file through fontTools, not from the code under test."""

from __future__ import annotations


import pytest
from fontTools.ttLib import TTFont

from chartcheck import fmt, layout
from conftest import ROOT, safe_load
from pagecheck import squash

from builder.layout.geometry import Polygon, Rect, Text

THEME_YAML = safe_load((ROOT / "content" / "theme.yaml").read_text(encoding="utf-8"))
CHARTS = {c["id"]: c for c in safe_load((ROOT / "content" / "survey-2021.yaml").read_text(encoding="utf-8"))
          ["charts"]}
_margin = THEME_YAML["newsletter"]["margin"]
MEASURE = 210.0 - _margin["inner"] - _margin["outer"]  # A4
COLUMN = (MEASURE - 6.0) / 2  # two columns and their 6 mm gutter
GRID_FILE = ROOT / "fonts" / THEME_YAML["fonts"]["grid"]
PIE_WIDE = THEME_YAML["newsletter"]["composer"]["pie_wide"]


def legend_names(chart: dict) -> list[str]:
    """What a chart's legend names: its series, or for one-series shares (pie, stacked) its labels."""
    return chart["labels"] if chart["kind"] in ("pie", "stacked") else chart.get("series", [])


LEGENDS = [cid for cid, c in CHARTS.items() if c["kind"] in ("pie", "stacked") or len(c.get("series", [])) > 1]


@pytest.mark.parametrize("width", [COLUMN, MEASURE])
@pytest.mark.parametrize("chart_id", LEGENDS)
def test_legend_labels_are_never_wrapped(chart_id: str, width: float):
    """Each name in the legend is one line of text, whole (C1's 「発生していない」 wrapped in a column)."""
    lines = [squash(t.text) for t in layout(chart_id, width) if isinstance(t, Text)]
    for name in legend_names(CHARTS[chart_id]):
        assert squash(name) in lines, f"{chart_id} at {width:.0f} mm: legend label {name!r} is not on one line"


def _covered(spans: list[tuple[float, float]]) -> float:
    total, end = 0.0, -1e9
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


_ADVANCES: dict[str, tuple[dict, object, int]] = {}


def text_width(t: Text) -> float:
    """Width of a line of text from the font file's own advances (fontTools), in mm."""
    if t.font not in _ADVANCES:
        font = TTFont(next((ROOT / "fonts").glob(t.font + ".*")), lazy=True)
        _ADVANCES[t.font] = (font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm)
    cmap, hmtx, upm = _ADVANCES[t.font]
    return sum(hmtx[cmap[ord(c)]][0] for c in t.text) / upm * t.size * 25.4 / 72


@pytest.mark.parametrize("chart_id", [cid for cid, c in CHARTS.items() if c["kind"] == "pie"])
def test_a_pie_across_the_full_measure_fills_it(chart_id: str):
    """C8 at full width left its right half empty: below the chart's header, the ink (filled shapes
    and text) covers at least 85 % of the measure and reaches its last tenth, with no empty band
    wider than a fifth of it; in a column the doughnut keeps its plain legend."""
    assert MEASURE >= PIE_WIDE
    items = layout(chart_id, MEASURE)
    top = min(y for i in items if isinstance(i, Polygon) for _, y in i.points)  # the plot: the ring's height
    bottom = max(y for i in items if isinstance(i, Polygon) for _, y in i.points)
    spans = []
    for i in items:
        if isinstance(i, Rect) and i.fill is not None and top <= i.y <= bottom:
            spans.append((i.x, i.x + i.w))
        elif isinstance(i, Polygon):
            spans.append((min(x for x, _ in i.points), max(x for x, _ in i.points)))
        elif isinstance(i, Text) and top <= i.y <= bottom + 3:
            spans.append((i.x, i.x + text_width(i)))
    covered = _covered(spans)
    assert covered >= 0.85 * MEASURE, f"{chart_id}: ink covers {covered:.0f} of {MEASURE:.0f} mm"
    assert max(b for _, b in spans) >= 0.9 * MEASURE, f"{chart_id}: nothing in the right tenth"
    ordered = sorted(spans)
    end, widest = ordered[0][1], 0.0
    for a, b in ordered[1:]:
        widest, end = max(widest, a - end), max(end, b)
    assert widest <= MEASURE / 5, f"{chart_id}: an empty band {widest:.0f} mm wide"


def test_the_grid_face_has_tabular_figures():
    """The oracle for the next test: in the theme's grid face every digit, the point and % have one advance."""
    font = TTFont(GRID_FILE, lazy=True)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    assert len({hmtx[cmap[ord(c)]][0] for c in "0123456789.%"}) == 1


@pytest.mark.parametrize("width", [COLUMN, MEASURE])
@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_chart_labels_and_figures_are_set_in_the_grid_face(chart_id: str, width: float):
    """Every label and every value a chart prints is in the theme's grid face (as the running text),
    not the proportional body face; the title, question, notes and credit may use other faces."""
    chart = CHARTS[chart_id]
    labels = {squash(x) for x in chart["labels"] + chart.get("series", [])}
    values = {fmt(v, chart["unit"]) for row in chart["values"] for v in row}
    grid = GRID_FILE.stem
    items = [t for t in layout(chart_id, width) if isinstance(t, Text)]
    shown = [t for t in items if t.text in values or (squash(t.text) and any(squash(t.text) in x for x in labels)
                                                      and t.size <= THEME_YAML["newsletter"]["sizes"]["chart_label"])]
    assert shown, chart_id
    assert {t.font for t in shown} == {grid}, {(t.text, t.font) for t in shown if t.font != grid}


@pytest.mark.parametrize("chart_id", [cid for cid, c in CHARTS.items() if c["kind"] == "pie"])
def test_legend_values_line_up(chart_id: str):
    """In a doughnut's legend the values end at one x, so that with tabular figures their points align."""
    chart = CHARTS[chart_id]
    values = [fmt(v, chart["unit"]) for v in chart["values"][0]]
    font = TTFont(GRID_FILE, lazy=True)
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    legend_x = max(i.x for i in layout(chart_id, COLUMN) if isinstance(i, Rect) and abs(i.w - i.h) < 1e-6)
    ends = []
    for t in layout(chart_id, COLUMN):
        if isinstance(t, Text) and t.text in values and t.x > legend_x:
            ends.append(t.x + sum(hmtx[cmap[ord(c)]][0] for c in t.text) / upm * t.size * 25.4 / 72)
    assert len(ends) == len(values)
    assert max(ends) - min(ends) < 0.01, ends
