"""Survey charts measured against the survey figures, read straight from the YAML (not from the
model the code builds): bar and column lengths and wedge areas proportional to the values, and
each label paired with its own bar, segment or wedge and its own printed value.

Only what any honest chart must satisfy is checked, not today's layout: which Rect is a bar is
found by counting (as many equal-height rects as non-zero values), labels and values are paired
with shapes by position (nearest row or column) or by colour (legend swatch of the same fill)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from chartcheck import THEME, fmt, layout
from conftest import ROOT, safe_load
from pagecheck import squash

from builder.layout.geometry import Polygon, Rect, Text
from builder.text.fonts import PT_TO_MM, face, font_files

FACES = {name: face(path) for name, path in font_files(THEME.fonts).items()}
FIGURES = {c["id"]: c for c in safe_load((ROOT / "content" / "survey-2021.yaml").read_text(encoding="utf-8"))
           ["charts"]}
WIDTHS = (90.0, 170.0)  # a column and the full measure of an A4 page
REL = 1e-3  # lengths proportional to values within 0.1 %


def _kind(*kinds: str) -> list[str]:
    return [cid for cid, c in FIGURES.items() if c["kind"] in kinds]


def centre_y(t: Text) -> float:
    f = FACES[t.font]
    em = t.size * PT_TO_MM
    return t.y + (f.descent - f.ascent) / 2 * em


def centre_x(t: Text) -> float:
    return t.x + FACES[t.font].width(t.text, t.size) / 2


def texts(items) -> list[Text]:
    return [i for i in items if isinstance(i, Text) and not i.rotate and i.text.strip()]


def label_pieces(items, labels: list[str], exclude: list[Text]) -> list[Text]:
    """Lines of text that are a piece of one of the labels (labels may wrap)."""
    wanted = [squash(label) for label in labels]
    return [t for t in texts(items) if t not in exclude and squash(t.text) and
            any(squash(t.text) in label for label in wanted)]


def shape_group(items, expected: int, key) -> list[Rect]:
    """The filled rects that share `key` (a height, a y) and come `expected` to a group: the bars."""
    groups = defaultdict(list)
    for item in items:
        if isinstance(item, Rect) and item.fill is not None and item.w > 0 and item.h > 0:
            groups[key(item)].append(item)
    found = [g for g in groups.values() if len(g) == expected]
    assert len(found) == 1, f"expected one group of {expected} bars, found groups of {sorted(map(len, groups.values()))}"
    return found[0]


def assert_proportional(lengths: list[float], values: list[float]) -> None:
    scales = [length / value for length, value in zip(lengths, values)]
    assert scales and all(abs(s - scales[0]) <= REL * scales[0] for s in scales), list(zip(values, lengths))


def join_by_nearest(pieces: list[Text], anchors: list[float], distance) -> list[str]:
    """Each piece of text goes to the nearest anchor; returns the text gathered at each anchor."""
    gathered: list[list[Text]] = [[] for _ in anchors]
    for piece in pieces:
        best = min(range(len(anchors)), key=lambda k: distance(piece, anchors[k]))
        gathered[best].append(piece)
    return ["".join(squash(t.text) for t in sorted(group, key=lambda t: (round(t.y, 2), t.x))) for group in gathered]


def em_box(t: Text) -> tuple[float, float]:
    f = FACES[t.font]
    em = t.size * PT_TO_MM
    return t.y - f.ascent * em, t.y + f.descent * em


def label_rows(pieces: list[Text], labels: list[str]) -> list[tuple[str, float, float]]:
    """Label lines read top to bottom and cut where the text read so far is a whole label:
    (label, top, bottom) of each row, top to bottom. Fails when the lines do not spell the labels."""
    left = sorted(squash(label) for label in labels)
    rows, text, top = [], "", None
    for piece in sorted(pieces, key=lambda t: (round(t.y, 2), t.x)):
        text += squash(piece.text)
        top = em_box(piece)[0] if top is None else top
        if text in left:
            left.remove(text)
            rows.append((text, top, em_box(piece)[1]))
            text, top = "", None
    assert not text and not left, f"label lines do not spell the labels: left over {text!r}, missing {left}"
    return rows


def row_of(rows: list[tuple[str, float, float]], y: float, slack: float = 1.0) -> str:
    """The label whose lines span `y` (within `slack` mm)."""
    found = [label for label, top, bottom in rows if top - slack <= y <= bottom + slack]
    assert len(found) == 1, (y, found)
    return found[0]


def legend_labels(items, colours: set, labels: list[str], values_text: list[Text]) -> dict:
    """Legend: swatch colour -> (label beside it, value printed in its row)."""
    swatches = [i for i in items if isinstance(i, Rect) and i.fill in colours and abs(i.w - i.h) < 1e-6]
    by_colour = defaultdict(list)
    for swatch in swatches:
        by_colour[swatch.fill].append(swatch)
    assert all(len(s) == 1 for s in by_colour.values()) and set(by_colour) == colours, \
        "each colour needs exactly one legend swatch"
    swatches = [s[0] for s in by_colour.values()]

    def owner(t: Text) -> Rect | None:
        left = [s for s in swatches if s.x <= t.x]
        if not left:  # left of the legend: a value printed on the drawing itself (a doughnut's segment)
            return None
        return min(left, key=lambda s: (round(abs(centre_y(t) - (s.y + s.h / 2)), 1), t.x - s.x))

    pieces = label_pieces(items, labels, values_text)
    result = {}
    for swatch in swatches:
        mine = sorted((t for t in pieces if owner(t) is swatch), key=lambda t: (round(t.y, 2), t.x))
        value = [t.text for t in values_text if owner(t) is swatch]
        result[swatch.fill] = ("".join(squash(t.text) for t in mine), value)
    return result


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("chart_id", _kind("bars"))
def test_bars_are_proportional_and_beside_their_own_label_and_value(chart_id: str, width: float):
    figure = FIGURES[chart_id]
    labels, values, unit = figure["labels"], figure["values"][0], figure["unit"]
    items = layout(chart_id, width)
    printed = {fmt(v, unit) for v in values}
    anchors = [t for t in texts(items) if t.text in printed]
    assert len(anchors) == len(values), sorted(t.text for t in anchors)
    rows = label_rows(label_pieces(items, labels, anchors), labels)
    expected = {squash(label): value for label, value in zip(labels, values)}
    for anchor in anchors:  # each printed value stands in its own label's row
        label = row_of(rows, centre_y(anchor))
        assert anchor.text == fmt(expected[label], unit), (label, anchor.text)
    bars = shape_group(items, sum(1 for v in values if v), key=lambda r: round(r.h, 3))
    assert len({round(b.x, 3) for b in bars}) == 1, "bars start from one axis"
    shown = [expected[row_of(rows, bar.y + bar.h / 2)] for bar in bars]
    assert sorted(shown) == sorted(v for v in values if v)
    assert_proportional([bar.w for bar in bars], shown)


def _shoelace(points) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("chart_id", _kind("pie"))
def test_pie_wedges_have_the_share_of_their_legend_label(chart_id: str, width: float):
    figure = FIGURES[chart_id]
    labels, values, unit = figure["labels"], figure["values"][0], figure["unit"]
    items = layout(chart_id, width)
    wedges = [i for i in items if isinstance(i, Polygon)]
    area = defaultdict(float)
    for wedge in wedges:
        area[wedge.fill] += _shoelace(list(wedge.points))
    assert len(area) == sum(1 for v in values if v), "one colour per non-zero value"
    printed = {fmt(v, unit) for v in values}
    legend = legend_labels(items, set(area), labels, [t for t in texts(items) if t.text in printed])
    expected = {squash(label): value for label, value in zip(labels, values)}
    total = sum(area.values())
    for colour, (label, shown) in legend.items():
        assert label in expected, (label, list(expected))
        assert shown == [fmt(expected[label], unit)], (label, shown)
        share = area[colour] / total
        assert abs(share - expected[label] / sum(v for v in values if v)) < 0.002, (label, share)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("chart_id", _kind("stacked"))
def test_stacked_segments_have_the_width_of_their_legend_label(chart_id: str, width: float):
    figure = FIGURES[chart_id]
    labels, values, unit = figure["labels"], figure["values"][0], figure["unit"]
    items = layout(chart_id, width)
    segments = shape_group(items, sum(1 for v in values if v), key=lambda r: (round(r.y, 3), round(r.h, 3)))
    assert len({s.fill for s in segments}) == len(segments)
    printed = {fmt(v, unit) for v in values}
    legend = legend_labels(items, {s.fill for s in segments}, labels,
                           [t for t in texts(items) if t.text in printed and t.x >= 0])
    expected = {squash(label): value for label, value in zip(labels, values)}
    ordered = sorted(segments, key=lambda s: s.x)
    for a, b in zip(ordered, ordered[1:]):
        assert abs(a.x + a.w - b.x) < 1e-6, "segments abut"
    shown = []
    for segment in segments:
        label, _ = legend[segment.fill]
        assert label in expected, (label, list(expected))
        shown.append(expected[label])
    assert_proportional([s.w for s in segments], shown)
    assert [expected[legend[s.fill][0]] for s in ordered] == [v for v in values if v], "segments in label order"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("chart_id", _kind("stacked-bars"))
def test_stacked_bars_split_each_row_by_series(chart_id: str, width: float):
    figure = FIGURES[chart_id]
    labels, series, rows_values = figure["labels"], figure["series"], figure["values"]
    items = layout(chart_id, width)
    count = sum(1 for row in rows_values for v in row if v)
    segments = shape_group(items, count, key=lambda r: round(r.h, 3))
    colours = list(dict.fromkeys(s.fill for s in sorted(segments, key=lambda s: s.x)))
    legend = legend_labels(items, set(colours), list(series), [])
    by_name = {squash(name): k for k, name in enumerate(series)}
    series_of = {colour: by_name[legend[colour][0]] for colour in colours}
    centres = sorted({round(s.y + s.h / 2, 3) for s in segments})
    assert len(centres) == len(labels)
    pieces = [t for t in label_pieces(items, labels, []) if t.y > min(s.y for s in segments) - 10]
    rows = label_rows(pieces, labels)
    expected = {squash(label): i for i, label in enumerate(labels)}
    lengths, shown = [], []
    for centre in centres:
        i = expected[row_of(rows, centre)]
        row = sorted((s for s in segments if abs(s.y + s.h / 2 - centre) < 1e-3), key=lambda s: s.x)
        assert [series_of[s.fill] for s in row] == [k for k in range(len(series)) if rows_values[k][i]]
        for s in row:
            lengths.append(s.w)
            shown.append(rows_values[series_of[s.fill]][i])
    assert_proportional(lengths, shown)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("chart_id", _kind("columns"))
def test_columns_are_proportional_and_above_their_own_label_and_value(chart_id: str, width: float):
    figure = FIGURES[chart_id]
    labels, values, unit = figure["labels"], figure["values"][0], figure["unit"]
    items = layout(chart_id, width)
    columns = shape_group(items, sum(1 for v in values if v), key=lambda r: round(r.w, 3))
    assert len({round(c.y + c.h, 3) for c in columns}) == 1, "columns stand on one baseline"
    centres = [c.x + c.w / 2 for c in columns]
    printed = {fmt(v, unit) for v in values}
    anchors = [t for t in texts(items) if t.text in printed]
    names = join_by_nearest(label_pieces(items, labels, anchors), centres, lambda t, x: abs(centre_x(t) - x))
    expected = {squash(label): value for label, value in zip(labels, values)}
    shown = []
    for column, name in zip(columns, names):
        assert name in expected, (name, list(expected))
        shown.append(expected[name])
        value = min(anchors, key=lambda a: abs(centre_x(a) - (column.x + column.w / 2)))
        assert value.text == fmt(expected[name], unit)
        assert centre_y(value) < column.y, "the value stands above its column"
    assert_proportional([c.h for c in columns], shown)
