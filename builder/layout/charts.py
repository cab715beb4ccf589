"""Survey charts as display lists (top-left at 0,0, millimetres): pie, bars, stacked, stacked-bars
and columns, each with its title, question and n above, notes and the credit line below.

Values print exactly as the source gives them, with one decimal and the chart's unit; a value
the source does not give gets no bar, only the content's word for unknown (「不明」) and a
footnote mark pointing to the note.
Every value axis starts at 0. Text on a coloured shape is ink or paper, whichever contrasts more,
and only where that reaches the WCAG 4.5:1 ratio; otherwise the value goes beside the shape."""

from __future__ import annotations

import math
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable

from builder.errors import ContentError, Where
from builder.layout.geometry import Item, Line, Polygon, Rect, Text, translate
from builder.layout.textblock import Block, located, set_text
from builder.model.newsletter import Words
from builder.model.survey import Chart
from builder.model.theme import Colour, Theme
from builder.text.fonts import PT_TO_MM, Face, face

# how to make a layout's items (placed at 0, 0) when they are wanted, and the height they take
Drawing = tuple[Callable[[], list[Item]], float]

LABEL_LINE_HEIGHT = 1.3  # chart labels and notes sit tighter than running text
MIN_CONTRAST = 4.5  # WCAG AA for text of this size

TITLE_GAP = 1.2  # mm, title to question line
BLOCK_GAP = 2.6  # mm, between header, plot, notes and credit
BAR_HEIGHT = 3.8
ROW_GAP = 1.8
LABEL_SHARE = 0.42  # of the chart width, for the label column of bar charts
COLUMN_GAP = 2.5  # label column to the value axis
VALUE_GAP = 1.0  # bar end to its value
SEGMENT_PAD = 0.8  # text inside a segment keeps this far from its edges
STACK_HEIGHT = 8.0
OUTSIDE_GAP = 1.6  # between a stacked bar and the values printed above or below it (holds a leader)
SWATCH = 3.0
LEGEND_GAP = 1.6
LEGEND_COLUMN_MIN = 70.0  # mm a legend column needs before a second one is used
PIE_SHARE = 0.5  # of the chart width, at most, for the doughnut
PIE_MAX = 40.0
PIE_SCALE_MAX = 1.2  # a larger doughnut only looks heavier
RING = 0.55  # doughnut hole, as a share of the radius
ARC_STEP = 2.0  # degrees per polygon edge
SEPARATOR = 0.35  # mm, paper-coloured line between wedges
OUTLINE = 0.2  # mm, around a pale segment
PALE_CONTRAST = 1.25  # a fill closer than this to the paper is outlined
LEADER = 2.5  # mm a leader runs out from the ring
LEADER_RUN = 2.0  # mm it then runs across to its value
KEY_VALUE = 2.2  # the key value in a doughnut's hole, times the value size
COLUMN_PLOT_HEIGHT = 38.0
COLUMN_SHARE = 0.5  # of each column's slot
DASH, DASH_SPACE = 1.6, 1.0
AXIS_WIDTH = 0.25
AVERAGE_WIDTH = 0.4


# --------------------------------------------------------------------------- shared text tools

@dataclass(frozen=True)
class Setter:
    """The theme's two text faces and running-text rules, so every caller sets type the same way."""

    regular: Face
    bold: Face
    line_height: float
    hang: float
    min_ratio: float

    @classmethod
    def of(cls, theme: Theme) -> Setter:
        return cls(face(theme.fonts["body"]), face(theme.fonts["bold"]), theme.text.line_height,
                   theme.text.hanging_allowance, theme.text.min_size_ratio)

    def face(self, bold: bool) -> Face:
        return self.bold if bold else self.regular

    def block(self, text: str, size: float, width: float, *, bold: bool = False, line_height: float | None = None,
              phrases: bool = False, max_lines: int | None = None, max_height: float | None = None,
              fit: bool = False, hang: bool = True) -> Block:
        """Break `text` to `width`; with `fit`, set it smaller (down to the theme's minimum) to meet the
        limits. Without `hang` the whole width is used (figures and names that hang no 、。)."""
        return _set_text(text, self.face(bold), size, width, line_height or self.line_height,
                         self.hang if hang else 0.0, max_lines, max_height, phrases,
                         size * self.min_ratio if fit else size)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return self.face(bold).width(text, size)

    def em(self, size: float, bold: bool = False) -> float:
        """Height of a line's em box (ascent + descent) in mm."""
        f = self.face(bold)
        return size * PT_TO_MM * (f.ascent + f.descent)

    def line(self, text: str, size: float, x: float, top: float, colour: Colour, *, bold: bool = False) -> Text:
        """One unbroken line whose em box starts at `top`."""
        f = self.face(bold)
        f.check(text)
        return Text(x, top + size * PT_TO_MM * f.ascent, text, f.name, size, colour)


@lru_cache(maxsize=8192)
def _set_text(text: str, face: Face, size: float, width: float, line_height: float, hang: float,
              max_lines: int | None, max_height: float | None, phrases: bool, min_size: float) -> Block:
    """set_text, memoised: the page composer sets the same labels for every layout it weighs."""
    return set_text(text, face, size, width, line_height=line_height, hang=hang, max_lines=max_lines,
                    max_height=max_height, phrases=phrases, min_size=min_size)


@lru_cache(maxsize=1024)
def luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour (memoised: every label asks which ink reads on its fill)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour.rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=4096)
def contrast(a: Colour, b: Colour) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(fill: Colour, ink: Colour, paper: Colour) -> Colour:
    """Ink or paper, whichever stands out more against `fill`."""
    return max((ink, paper), key=lambda c: contrast(c, fill))


def shifted(items: list[Item], dx: float, dy: float) -> list[Item]:
    if dx == 0 and dy == 0:  # a chart's first block, a panel's first chart: the items as they are
        return list(items)
    return [translate(item, dx, dy) for item in items]


# --------------------------------------------------------------------------- chart style

@dataclass(frozen=True)
class _Style:
    type: Setter
    sizes: dict[str, float]
    ink: Colour
    muted: Colour
    paper: Colour
    palette: tuple[Colour, ...]  # neutral tones, dark to light
    accent: Colour  # the category a finding is about
    accent_soft: Colour  # next to it, when a finding is about several
    outline: Colour  # around segments too pale to stand on the paper
    words: Words
    figures: Setter  # labels and values: the theme's fixed-pitch face, so that figures align as in a table
    pie_min: float  # mm, the smallest doughnut
    pie_wide: float  # mm, the width from which a pie's legend is a bar chart beside the doughnut
    scale: float = 1.0  # the plot's height, times its design height (the page composer chooses it)
    focus: frozenset[str] = frozenset()  # labels or series names the finding is about

    @classmethod
    def of(cls, theme: Theme, words: Words, scale: float, focus: frozenset[str]) -> _Style:
        nl = theme.newsletter
        grid = face(theme.fonts["grid"])
        figures = Setter(grid, grid, theme.text.line_height, theme.text.hanging_allowance, theme.text.min_size_ratio)
        return cls(Setter.of(theme), nl.sizes, nl.colours["body"], nl.colours["note"], nl.colours["paper"],
                   nl.chart_palette, nl.colours["chart_focus"], nl.colours["chart_focus_soft"], nl.colours["rule"], words,
                   figures, nl.composer.pie_min, nl.composer.pie_wide, scale, focus)

    def colours(self, names: tuple[str, ...]) -> list[Colour]:
        """The accent for the categories in focus; the neutral tones, in order, for the rest."""
        out, k, f = [], 0, 0
        for name in names:
            if name in self.focus:  # several in focus: the accent and its soft tone by turns
                out.append(self.accent if f % 2 == 0 else self.accent_soft)
                f += 1
            else:
                out.append(self.palette[k % len(self.palette)])
                k += 1
        return out

    def bar_colour(self, name: str) -> Colour:
        """Bars of one series: the accent for a category in focus, else one neutral tone."""
        return self.accent if name in self.focus else self.palette[1 % len(self.palette)]

    def pale(self, colour: Colour) -> bool:
        return contrast(colour, self.paper) < PALE_CONTRAST

    @property
    def bar(self) -> float:
        """Thickness of a bar at this scale."""
        return BAR_HEIGHT * s_scale(self.scale)

    def format(self, value: float | None, unit: str) -> str:
        """As the source prints it: one decimal and the unit; an unknown value is marked for the footnote."""
        return f"{self.words.unknown_value}{self.words.unknown_mark}" if value is None else f"{value:.1f}{unit}"

    def label(self, text: str, width: float, size: float | None = None) -> Block:
        """Labels break between phrases, like headings, so a wrapped label does not split a word; they
        use their whole width, as a 、 at a label's line end is rare and may simply fit."""
        return self.figures.block(text, size or self.sizes["chart_label"], width, line_height=LABEL_LINE_HEIGHT,
                                  phrases=True, hang=False)

    def label_width(self, text: str, size: float | None = None) -> float:
        """A label's width on one line."""
        return self.figures.width(text, size or self.sizes["chart_label"])

    def value_width(self, text: str) -> float:
        return self.figures.width(text, self.sizes["chart_value"])

    def value(self, text: str, x: float, centre_y: float, colour: Colour | None = None) -> Text:
        """A value in the figures' face, vertically centred on `centre_y`."""
        size = self.sizes["chart_value"]
        return self.figures.line(text, size, x, centre_y - self.figures.em(size) / 2, colour or self.ink)

    def on(self, fill: Colour) -> Colour | None:
        """The text colour for a label on `fill`, or None when neither ink nor paper is legible on it."""
        colour = text_colour_on(fill, self.ink, self.paper)
        return colour if contrast(colour, fill) >= MIN_CONTRAST else None



def _per_unit(length: float, values: Iterable[float | None]) -> float:
    """Millimetres per unit of value, so that the largest known value spans `length` (every value
    axis starts at 0)."""
    known = [v for v in values if v]
    if not known:
        # not mutated: with no value above 0 no shape is drawn, whatever the scale
        return 1.0  # pragma: no mutate
    return length / max(known)


def s_scale(scale: float) -> float:
    """Bars thicken at half the rate the plot grows, so that a tall chart reads as airy, not heavy."""
    return 1 + (scale - 1) / 2


# --------------------------------------------------------------------------- the chart frame

def layout_chart(chart: Chart, theme: Theme, width: float, credit: str, words: Words, *,
                 scale: float = 1.0, focus: tuple[str, ...] = ()) -> tuple[list[Item], float]:
    """The chart with its title, question, n and answer type, notes and credit; returns the items and
    the height used. `scale` makes the plot taller or shorter (bar rows, doughnut, column heights),
    never its text; `focus` names the categories (labels or series) drawn in the accent colour."""
    draw, height = chart_drawing(chart, theme, width, credit, words, scale=scale, focus=focus)
    return draw(), height


def chart_drawing(chart: Chart, theme: Theme, width: float, credit: str, words: Words, *,
                  scale: float = 1.0, focus: tuple[str, ...] = ()) -> Drawing:
    """layout_chart's height at once and its items when asked: the page composer weighs every chart
    at every plot scale and both widths, and draws only the layouts it picks."""
    style = _Style.of(theme, words, scale, frozenset(focus))
    where = (chart.where or Where(Path("survey")), f"chart {chart.id}")
    with located(*where):
        header, plot_y = _header(chart, style, width)
        plot, height = _PLOTS[chart.kind](chart, style, width)
        notes_y = plot_y + height + BLOCK_GAP
        notes, height = _notes(chart, style, width)
        credit_y = notes_y + height
        credit_x = width - style.type.width(credit, style.sizes["note"])

    def draw() -> list[Item]:
        with located(*where):
            items = header() + shifted(plot(), 0, plot_y) + shifted(notes(), 0, notes_y)
            credit_line = style.type.line(credit, style.sizes["note"], 0, credit_y, style.muted)
            items.append(translate(credit_line, credit_x, 0))
        return items

    return draw, credit_y + style.type.em(style.sizes["note"])


def _header(chart: Chart, s: _Style, width: float) -> Drawing:
    title = s.type.block(chart.title, s.sizes["chart_title"], width, bold=True, phrases=True)
    y = title.height + TITLE_GAP
    lines = []  # the question and the n line, each with its top
    question = chart.question if chart.question != chart.title else ""
    for line in (question, _n_line(chart, s.words)):
        if line:
            block = s.type.block(line, s.sizes["note"], width, line_height=LABEL_LINE_HEIGHT)
            lines.append((block, y))
            y += block.height + TITLE_GAP / 2

    def draw() -> list[Item]:
        items: list[Item] = list(title.place(0, 0, s.ink))
        for block, top in lines:
            items += block.place(0, top, s.muted)
        return items

    return draw, y - TITLE_GAP / 2 + BLOCK_GAP


def _n_line(chart: Chart, words: Words) -> str:
    """n and who was asked, then single or multiple answers (a chart of `each` label asked on its
    own is single answer per label); when n is unknown only the note (if any) speaks about the group."""
    answers = words.multiple if chart.answers == "multiple" else words.single
    if chart.n is None:
        group = chart.n_note
    else:
        group = f"n={chart.n:,}" + (f"：{chart.n_note}" if chart.n_note else "")
    return f"{group}（{answers}）" if group else answers


def _notes(chart: Chart, s: _Style, width: float) -> Drawing:
    lines = [s.words.note_prefix + note for note in chart.notes]
    if chart.has_unknown:
        lines.append(s.words.unknown_mark + chart.unknown_note)
    blocks = []  # each note's block and top
    y = 0.0
    for text in lines:
        block = s.type.block(text, s.sizes["note"], width, line_height=LABEL_LINE_HEIGHT)
        blocks.append((block, y))
        y += block.height + TITLE_GAP / 2
    return (lambda: [item for block, top in blocks for item in block.place(0, top, s.muted)],
            y + (BLOCK_GAP / 2 if lines else 0.0))


# --------------------------------------------------------------------------- legends

@dataclass(frozen=True)
class _Entry:
    colour: Colour
    label: str
    value: str = ""


def _legend_width(entries: list[_Entry], s: _Style, size: float | None = None) -> float:
    """The width a legend column takes with each label on one line and its value after it."""
    value_w = max((s.value_width(e.value) for e in entries), default=0.0)
    label_w = max((s.label_width(e.label, size) for e in entries), default=0.0)
    return SWATCH + LEGEND_GAP + label_w + (2 * LEGEND_GAP + value_w if value_w else 0.0)


def _legend(entries: list[_Entry], s: _Style, width: float, columns: int = 1) -> Drawing:
    """Swatch, label and value, filled column by column. Labels stay on one line: the legend uses
    fewer columns when they need the room, and labels longer than one column are all set smaller
    together (down to the theme's smallest size; only beyond that would one wrap). Values are
    right-aligned just after their column's longest label, so that they line up as figures."""
    columns = max(1, min(columns, len(entries)))
    while columns > 1 and not _legend_fits(entries, s, width, columns):
        columns -= 1
    size = s.sizes["chart_label"]
    natural = _legend_width(entries, s) if columns == 1 else 0.0
    if natural > width:
        label_w = max(s.label_width(e.label) for e in entries)
        size = max(size * s.figures.min_ratio, size * (label_w - (natural - width)) / label_w)
    col_w = (width - (columns - 1) * 3 * LEGEND_GAP) / columns
    per_column = math.ceil(len(entries) / columns)
    rows = []  # each entry with its label block, its row's x, top and height, and where values end
    heights = []  # of the columns
    for c in range(columns):
        column = entries[c * per_column:(c + 1) * per_column]
        value_w = max((s.value_width(e.value) for e in column), default=0.0)
        label_w = min(max(s.label_width(e.label, size) for e in column),
                      col_w - SWATCH - LEGEND_GAP - (2 * LEGEND_GAP + value_w if value_w else 0.0))
        value_right = SWATCH + LEGEND_GAP + label_w + 2 * LEGEND_GAP + value_w
        x, y = c * (col_w + 3 * LEGEND_GAP), 0.0
        for e in column:
            block = s.label(e.label, label_w + 1e-6, size)
            h = max(block.height, SWATCH)
            rows.append((e, block, x, y, h, value_right))
            y += h + LEGEND_GAP
        heights.append(y - LEGEND_GAP)

    def draw() -> list[Item]:
        items: list[Item] = []
        for e, block, x, y, h, value_right in rows:
            centre = y + h / 2
            items.append(_box(x, centre - SWATCH / 2, SWATCH, SWATCH, e.colour, s))
            items += block.place(x + SWATCH + LEGEND_GAP, y + (h - block.height) / 2, s.ink)
            if e.value:
                items.append(s.value(e.value, x + value_right - s.value_width(e.value), centre))
        return items

    return draw, max(heights)


def _legend_fits(entries: list[_Entry], s: _Style, width: float, columns: int) -> bool:
    per_column = math.ceil(len(entries) / columns)
    col_w = (width - (columns - 1) * 3 * LEGEND_GAP) / columns
    return all(_legend_width(entries[c * per_column:(c + 1) * per_column], s) <= col_w + 1e-6
               for c in range(columns) if entries[c * per_column:(c + 1) * per_column])


def _legend_columns(width: float, entries: int) -> int:
    return 2 if entries > 1 and width >= 2 * LEGEND_COLUMN_MIN else 1


# --------------------------------------------------------------------------- pie (doughnut)

def _pie(chart: Chart, s: _Style, width: float) -> Drawing:
    """One doughnut layout for every pie: the ring on the left with the key value in its hole and
    every segment's value on it (inside where it fits, else outside on a leader line), the legend
    on the right, close enough for its labels to stay with their swatches. The ring shrinks (down
    to the theme's smallest) so that the legend's labels stay on one line beside it; failing that
    the legend goes under it. Across a wide measure the legend becomes a bar chart (_pie_wide)."""
    if width >= s.pie_wide:
        return _pie_wide(chart, s, width)
    values = chart.values[0]
    colours = s.colours(chart.labels)
    texts = [s.format(v, chart.unit) for v in values]
    entries = [_Entry(c, label, text) for c, label, text in zip(colours, chart.labels, texts)]
    legend_w = _legend_width(entries, s)
    value_h = s.figures.em(s.sizes["chart_value"])
    design = min(PIE_MAX * min(s.scale, PIE_SCALE_MAX), width * PIE_SHARE)
    diameter = design
    while True:
        ring = _Ring.of(values, texts, colours, diameter, s)
        beside = ring.width + 3 * LEGEND_GAP + legend_w <= width + 1e-6
        if beside or diameter <= s.pie_min:
            break
        diameter = max(diameter - 1.0, s.pie_min)
    if not beside:
        ring = _Ring.of(values, texts, colours, design, s)
    ring_h = 2 * ring.r + 2 * value_h
    if beside:
        legend_x = ring.width + 3 * LEGEND_GAP
        legend, legend_h = _legend(entries, s, width - legend_x)
        height = max(ring_h, legend_h)
        legend_y = (height - legend_h) / 2
    else:
        legend, legend_h = _legend(entries, s, width)
        legend_x, legend_y = 0.0, ring_h + 2 * LEGEND_GAP
        height = legend_y + legend_h
    cy = height / 2 if beside else ring_h / 2
    return (lambda: _draw_ring(chart, ring, texts, colours, ring.left + ring.r, cy, s) +
            shifted(legend(), legend_x, legend_y)), height


def _pie_wide(chart: Chart, s: _Style, width: float) -> Drawing:
    """A pie across a wide measure: the doughnut (growing with the plot's scale) on the left and,
    filling the rest of the width, its legend as a bar chart: each category's swatch, its label on
    one line and a bar as long as its share, the value at the bar's end. A doughnut with a plain
    legend would leave half the measure empty."""
    values = chart.values[0]
    colours = s.colours(chart.labels)
    texts = [s.format(v, chart.unit) for v in values]
    value_h = s.figures.em(s.sizes["chart_value"])
    ring = _Ring.of(values, texts, colours, min(PIE_MAX * s.scale, width * PIE_SHARE), s)
    ring_h = 2 * ring.r + 2 * value_h
    label_w = max(s.label_width(label) for label in chart.labels)
    value_w = max(s.value_width(t) for t in texts)
    x0 = ring.width + 6 * LEGEND_GAP
    bar_x = x0 + SWATCH + LEGEND_GAP + label_w + 2 * LEGEND_GAP
    bar_room = width - bar_x - VALUE_GAP - value_w
    if bar_room < width * 0.15:  # labels too long for bars beside them: the plain legend under the ring
        legend, legend_h = _legend([_Entry(c, label, t) for c, label, t in zip(colours, chart.labels, texts)], s,
                                   width, _legend_columns(width, len(texts)))
        return (lambda: _draw_ring(chart, ring, texts, colours, ring.left + ring.r, ring_h / 2, s) +
                shifted(legend(), 0, ring_h + 2 * LEGEND_GAP)), ring_h + 2 * LEGEND_GAP + legend_h
    row = max(s.bar, s.figures.em(s.sizes["chart_label"]))
    pitch = max(row + ROW_GAP * s.scale, min(ring_h / len(texts), 2.5 * row))  # rows spread beside the ring
    rows_h = pitch * len(texts)
    height = max(ring_h, rows_h)
    top = (height - rows_h) / 2
    per_unit = _per_unit(bar_room, values)

    def draw() -> list[Item]:
        items = _draw_ring(chart, ring, texts, colours, ring.left + ring.r, height / 2, s)
        for i, (value, text, label, colour) in enumerate(zip(values, texts, chart.labels, colours)):
            centre = top + pitch * (i + 0.5)
            items.append(_box(x0, centre - SWATCH / 2, SWATCH, SWATCH, colour, s))
            block = s.label(label, label_w + 1e-6)
            items += block.place(x0 + SWATCH + LEGEND_GAP, centre - block.height / 2, s.ink)
            length = (value or 0.0) * per_unit
            if value:
                items.append(_box(bar_x, centre - s.bar / 2, length, s.bar, colour, s))
            items.append(s.value(text, bar_x + length + VALUE_GAP, centre, s.muted if value is None else s.ink))
        return items

    return draw, height


def _draw_ring(chart: Chart, ring: _Ring, texts: list[str], colours: list[Colour], cx: float, cy: float,
               s: _Style) -> list[Item]:
    """The doughnut centred on (cx, cy): segments (pale ones outlined), separators, values on the
    ring or on leaders, and the key value in the hole."""
    r, inner, spans = ring.r, ring.inner, ring.spans
    items: list[Item] = []
    for (a0, sweep), colour in zip(spans, colours):
        if sweep > 0:
            if s.pale(colour):  # a pale segment gets an outline, or it vanishes into the paper: the
                # same ring a little larger in the outline colour, under it
                grow = math.degrees(OUTLINE / r)
                items.append(Polygon(_ring(cx, cy, r + OUTLINE, inner - OUTLINE, a0 - grow, a0 + sweep + grow),
                                     s.outline))
            items.append(Polygon(_ring(cx, cy, r, inner, a0, a0 + sweep), colour))
    if sum(1 for _, sweep in spans if sweep > 0) > 1:
        for a0, _ in spans:
            (x1, y1), (x2, y2) = _polar(cx, cy, inner, a0), _polar(cx, cy, r, a0)
            items.append(Line(x1, y1, x2, y2, s.paper, SEPARATOR))
    for i, ((a0, sweep), text) in enumerate(zip(spans, texts)):
        if ring.inside[i]:
            x, y = _polar(cx, cy, (r + inner) / 2, a0 + sweep / 2)
            items.append(s.value(text, x - s.value_width(text) / 2, y, s.on(colours[i])))
    items += _leader_labels(ring.outside, spans, texts, cx, cy, r, s.figures.em(s.sizes["chart_value"]), s)
    items += _key_value(chart, chart.values[0], texts, cx, cy, inner, s)
    return items


@dataclass(frozen=True)
class _Ring:
    """A doughnut of a given diameter: its segments, which values sit on the ring and which go
    outside on leaders, and the width the ring takes with those leader labels."""

    r: float
    inner: float
    spans: list[tuple[float, float]]
    inside: list[bool]
    outside: list[int]
    left: float  # room for the leader labels left of the ring
    width: float  # ring and leader labels on both sides

    @classmethod
    def of(cls, values: tuple[float | None, ...], texts: list[str], colours: list[Colour], diameter: float,
           s: _Style) -> _Ring:
        r = diameter / 2
        inner = r * RING
        known = [v or 0.0 for v in values]
        degrees = _per_unit(360.0, [sum(known)])
        value_h = s.figures.em(s.sizes["chart_value"])
        spans, start = [], 0.0
        for value in known:
            spans.append((start, value * degrees))
            start += value * degrees
        inside = [sweep > 0 and _fits_on_ring(text, sweep, r, inner, value_h, s) and s.on(c) is not None
                  for (_, sweep), text, c in zip(spans, texts, colours)]
        outside = [i for i, ok in enumerate(inside) if not ok and spans[i][1] > 0]

        def room(side: int) -> float:
            """Width the leader labels on one side of the ring need (right: 1, left: -1)."""
            widths = [s.value_width(texts[i]) for i in outside if _side(spans[i]) == side]
            return max(widths) + LEADER + LEADER_RUN + VALUE_GAP if widths else 0.0

        return cls(r, inner, spans, inside, outside, room(-1), room(-1) + diameter + room(1))


def _side(span: tuple[float, float]) -> int:
    """Which side of the ring a segment's middle is on: 1 right, -1 left."""
    return 1 if math.sin(math.radians(span[0] + span[1] / 2)) >= 0 else -1


def _fits_on_ring(text: str, sweep: float, r: float, inner: float, text_h: float, s: _Style) -> bool:
    """Whether a value can sit inside its segment: the ring thick enough, the arc long enough."""
    mid = (r + inner) / 2
    return (r - inner) >= text_h + SEGMENT_PAD and \
        mid * math.radians(sweep) * 0.9 >= s.value_width(text) + 2 * SEGMENT_PAD


def _leader_labels(indices: list[int], spans: list[tuple[float, float]], texts: list[str], cx: float, cy: float,
                   r: float, text_h: float, s: _Style) -> list[Item]:
    """Values of segments too small to hold them, outside the ring: a leader from the segment's middle
    out and across, the labels on each side pushed apart so that none overlaps another."""
    items: list[Item] = []
    for side in (1, -1):
        wanted = []
        for i in indices:
            a0, sweep = spans[i]
            mid = a0 + sweep / 2
            if _side(spans[i]) == side:
                wanted.append((_polar(cx, cy, r + LEADER, mid)[1], i, mid))
        wanted.sort()
        last = -math.inf
        for y, i, mid in wanted:
            y = max(y, last + text_h + 0.6)
            last = y
            x0, y0 = _polar(cx, cy, r, mid)
            elbow = cx + side * (r + LEADER)
            end = elbow + side * LEADER_RUN
            items += [Line(x0, y0, elbow, y, s.ink, AXIS_WIDTH), Line(elbow, y, end, y, s.ink, AXIS_WIDTH)]
            x = end + VALUE_GAP if side == 1 else end - VALUE_GAP - s.value_width(texts[i])
            items.append(s.value(texts[i], x, y))
    return items


def _key_value(chart: Chart, values: tuple[float | None, ...], texts: list[str], cx: float, cy: float,
               inner: float, s: _Style) -> list[Item]:
    """The share the finding is about, large in the doughnut's hole and in the accent: the value in
    focus, or the sum of several (C3: 18.1 + 22.9 = 41.0, as the source adds them); with no focus,
    the largest value in ink."""
    focus = [i for i, label in enumerate(chart.labels) if label in s.focus]
    if focus:
        text = s.format(round(sum(values[i] or 0.0 for i in focus), 1), chart.unit)
    else:
        text = texts[max(range(len(values)), key=lambda k: values[k] or 0.0)]
    size = s.sizes["chart_value"] * KEY_VALUE
    while size > s.sizes["chart_value"] and s.figures.width(text, size) > 1.6 * inner:
        size -= 0.5
    width = s.figures.width(text, size)
    return [s.figures.line(text, size, cx - width / 2, cy - s.figures.em(size) / 2, s.accent if focus else s.ink)]


def _polar(cx: float, cy: float, r: float, angle: float) -> tuple[float, float]:
    """Clockwise from 12 o'clock, y down."""
    a = math.radians(angle)
    return cx + r * math.sin(a), cy - r * math.cos(a)


def _ring(cx: float, cy: float, outer: float, inner: float, a0: float, a1: float) -> tuple[tuple[float, float], ...]:
    """A segment's outline: out along the outer arc, back along the inner one (each angle's sine
    and cosine taken once for both: the points are _polar's, and the composer draws every ring
    at every plot scale it weighs)."""
    steps = max(2, math.ceil((a1 - a0) / ARC_STEP))
    turns = [(math.sin(a), math.cos(a)) for a in map(math.radians, (a0 + (a1 - a0) * i / steps for i in range(steps + 1)))]
    return (tuple([(cx + outer * sin, cy - outer * cos) for sin, cos in turns])
            + tuple([(cx + inner * sin, cy - inner * cos) for sin, cos in reversed(turns)]))


def _box(x: float, y: float, w: float, h: float, colour: Colour, s: _Style) -> Rect:
    """A filled box, outlined when its colour is too pale to stand on the paper."""
    if s.pale(colour):
        return Rect(x, y, w, h, fill=colour, stroke=s.outline, stroke_width=OUTLINE)
    return Rect(x, y, w, h, fill=colour)


# --------------------------------------------------------------------------- horizontal bars

@dataclass(frozen=True)
class _Rows:
    """The label column of a horizontal bar chart: each row's label block, top and height."""

    blocks: list[Block]
    tops: list[float]
    heights: list[float]
    height: float
    axis_x: float

    @classmethod
    def of(cls, labels: tuple[str, ...], s: _Style, width: float) -> _Rows:
        label_w = width * LABEL_SHARE
        blocks = [s.label(label, label_w) for label in labels]
        row = max([block.height for block in blocks] + [s.bar])
        pitch = (row + ROW_GAP) * s.scale  # rows evenly spaced, whatever their labels' length
        tops = [i * pitch + (pitch - row) / 2 for i in range(len(blocks))]
        return cls(blocks, tops, [row] * len(blocks), len(blocks) * pitch, label_w + COLUMN_GAP)

    def place(self, s: _Style) -> list[Item]:
        items: list[Item] = []
        for block, top, h in zip(self.blocks, self.tops, self.heights):
            items += block.place(0, top + (h - block.height) / 2, s.ink)
        items.append(Line(self.axis_x, 0, self.axis_x, self.height, s.ink, AXIS_WIDTH))
        return items

    def centre(self, i: int) -> float:
        return self.tops[i] + self.heights[i] / 2


def _bars(chart: Chart, s: _Style, width: float) -> Drawing:
    values = chart.values[0]
    rows = _Rows.of(chart.labels, s, width)
    texts = [s.format(v, chart.unit) for v in values]
    plot_w = width - rows.axis_x - VALUE_GAP - max(s.value_width(t) for t in texts)
    scale = _per_unit(plot_w, values)

    def draw() -> list[Item]:
        items = rows.place(s)
        for i, (value, text) in enumerate(zip(values, texts)):
            centre, length = rows.centre(i), (value or 0.0) * scale
            if value:
                items.append(Rect(rows.axis_x, centre - s.bar / 2, length, s.bar, fill=s.bar_colour(chart.labels[i])))
            colour = s.muted if value is None else s.ink
            items.append(s.value(text, rows.axis_x + length + VALUE_GAP, centre, colour))
        return items

    return draw, rows.height


def _stacked_bars(chart: Chart, s: _Style, width: float) -> Drawing:
    colours = s.colours(chart.series)
    legend, legend_h = _legend([_Entry(c, name) for c, name in zip(colours, chart.series)], s, width,
                               _legend_columns(width, len(chart.series)))
    top = legend_h + 2 * LEGEND_GAP
    rows = _Rows.of(chart.labels, s, width)
    # the bars' lengths follow their sums; a total is printed only where the data gives it (a sum of
    # shares of different bases, such as two years, means nothing)
    sums = tuple(sum(row[i] or 0.0 for row in chart.values) for i in range(len(chart.labels)))
    total_texts = [s.format(t, chart.unit) for t in chart.totals] if chart.totals else [""] * len(sums)
    plot_w = width - rows.axis_x - VALUE_GAP - max(s.value_width(t) for t in total_texts)
    scale = _per_unit(plot_w, chart.totals or sums)

    def draw() -> list[Item]:
        items = legend() + shifted(rows.place(s), 0, top)
        for i, total_text in enumerate(total_texts):
            centre, x = top + rows.centre(i), rows.axis_x
            if any(series[i] is None for series in chart.values):  # a part unknown: no bar at all
                items.append(s.value(s.format(None, chart.unit), x + VALUE_GAP, centre, s.muted))
                continue
            for series, colour in zip(chart.values, colours):
                value = series[i] or 0.0
                items += _segment(x, centre - s.bar / 2, value * scale, s.bar, colour,
                                  s.format(series[i], chart.unit), s)
                x += value * scale
            if total_text:
                items.append(s.value(total_text, x + VALUE_GAP, centre))
        return items

    return draw, top + rows.height


def _segment(x: float, y: float, w: float, h: float, colour: Colour, text: str, s: _Style) -> list[Item]:
    """A bar segment, with its value inside when the value fits and can be read on the colour."""
    items: list[Item] = [_box(x, y, w, h, colour, s)] if w > 0 else []
    label = _inside(text, w, colour, s)
    if label is not None:
        items.append(s.value(text, x + (w - s.value_width(text)) / 2, y + h / 2, label))
    return items


def _inside(text: str, w: float, colour: Colour, s: _Style) -> Colour | None:
    """The colour for `text` inside a segment `w` wide, or None when it does not fit or would not read."""
    return s.on(colour) if s.value_width(text) + 2 * SEGMENT_PAD <= w else None


# --------------------------------------------------------------------------- one 100 % stacked bar

def _stacked(chart: Chart, s: _Style, width: float) -> Drawing:
    values = chart.values[0]
    colours = s.colours(chart.labels)
    texts = [s.format(v, chart.unit) for v in values]
    scale = _per_unit(width, [sum(v or 0.0 for v in values)])
    spans = []
    x = 0.0
    for value in values:
        spans.append((x, (value or 0.0) * scale))
        x += (value or 0.0) * scale
    outside = [i for i, ((_, w), c, t) in enumerate(zip(spans, colours, texts)) if _inside(t, w, c, s) is None]
    outside.sort(key=lambda i: -(values[i] or 0.0))  # the larger of the small segments get their label first
    above, below = _outside_rows(outside, spans, texts, s, width)
    value_h = s.figures.em(s.sizes["chart_value"])
    bar_top = value_h + OUTSIDE_GAP if above else 0.0
    bottom = bar_top + STACK_HEIGHT * s.scale
    y = bottom + (OUTSIDE_GAP + value_h if below else 0.0) + 2 * LEGEND_GAP
    entries = [_Entry(c, label, t) for c, label, t in zip(colours, chart.labels, texts)]
    legend, legend_h = _legend(entries, s, width, _legend_columns(width, len(entries)))

    def draw() -> list[Item]:
        items: list[Item] = []
        for (x, w), colour, text in zip(spans, colours, texts):
            items += _segment(x, bar_top, w, STACK_HEIGHT * s.scale, colour, text, s)
        items += [Line(x, bar_top, x, bottom, s.paper, SEPARATOR) for x, w in spans[1:] if w > 0]
        for row, centre, edge, tip in ((above, value_h / 2, bar_top, bar_top - OUTSIDE_GAP),
                                       (below, bottom + OUTSIDE_GAP + value_h / 2, bottom, bottom + OUTSIDE_GAP)):
            for i, left in row.items():
                x, w = spans[i]
                items += [s.value(texts[i], left, centre), Line(x + w / 2, edge, x + w / 2, tip, s.ink, AXIS_WIDTH)]
        return items + shifted(legend(), 0, y)

    return draw, y + legend_h


def _outside_rows(indices: list[int], spans: list[tuple[float, float]], texts: list[str], s: _Style,
                  width: float) -> tuple[dict[int, float], dict[int, float]]:
    """Values that do not go inside their segment, centred over it above the bar, else below it
    (a short leader points to the segment); one that would touch a neighbour in both rows is left
    to the legend."""
    rows: tuple[dict[int, float], dict[int, float]] = ({}, {})
    taken: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for i in indices:
        x, w = spans[i]
        tw = s.value_width(texts[i])
        left = min(max(x + w / 2 - tw / 2, 0.0), width - tw)
        for row, spans_taken in zip(rows, taken):
            if all(left + tw + LEGEND_GAP <= a or b + LEGEND_GAP <= left for a, b in spans_taken):
                row[i] = left
                spans_taken.append((left, left + tw))
                break
    return rows


# --------------------------------------------------------------------------- columns with an average line

def _columns(chart: Chart, s: _Style, width: float) -> Drawing:
    values = chart.values[0]
    texts = [s.format(v, chart.unit) for v in values]
    average = "" if chart.average is None else f"{chart.average_label} {s.format(chart.average, chart.unit)}"
    plot_w = width - (s.value_width(average) + 2 * VALUE_GAP if average else 0.0)
    slot = plot_w / len(values)
    value_h = s.figures.em(s.sizes["chart_value"])
    top_room = value_h + VALUE_GAP
    base = COLUMN_PLOT_HEIGHT * s.scale
    scale = _per_unit(base - top_room, [*values, chart.average])
    labels_h = 0.0
    boxes = []
    columns = []  # each column's left, x, height and value's place, and its label block
    for i, (value, text, label) in enumerate(zip(values, texts, chart.labels)):
        left = slot * i
        x = left + (slot - slot * COLUMN_SHARE) / 2
        h = (value or 0.0) * scale
        tw = s.value_width(text)
        text_left, centre = left + (slot - tw) / 2, base - h - VALUE_GAP - value_h / 2
        boxes.append((text_left, text_left + tw, centre - value_h / 2, centre + value_h / 2))
        block = s.label(label, slot - VALUE_GAP)
        columns.append((left, x, h, text_left, centre, block))
        labels_h = max(labels_h, block.height)

    def draw() -> list[Item]:
        items: list[Item] = []
        for (value, text, label), (left, x, h, text_left, centre, block) in zip(zip(values, texts, chart.labels),
                                                                                columns):
            if h > 0:
                items.append(Rect(x, base - h, slot * COLUMN_SHARE, h, fill=s.bar_colour(label)))
            items.append(s.value(text, text_left, centre, s.muted if value is None else s.ink))
            items += block.place(left + VALUE_GAP / 2, base + VALUE_GAP, s.ink, align="center",
                                 width=slot - VALUE_GAP)
        items.append(Line(0, base, plot_w, base, s.ink, AXIS_WIDTH))
        if chart.average is not None:
            y = base - chart.average * scale
            items += _dashes(0, plot_w, y, boxes, s.accent)
            items.append(s.value(average, plot_w + 2 * VALUE_GAP, y))
        return items

    return draw, base + VALUE_GAP + labels_h


def _dashes(x0: float, x1: float, y: float, avoid: list[tuple[float, float, float, float]],
            colour: Colour) -> list[Item]:
    """A dashed rule at `y`, leaving out dashes that would cross a value label."""
    items: list[Item] = []
    x = x0
    while x < x1:
        end = min(x + DASH, x1)
        clear = all(not (x < right and left < end and top < y < bottom) for left, right, top, bottom in avoid)
        if clear:
            items.append(Line(x, y, end, y, colour, AVERAGE_WIDTH))
        x += DASH + DASH_SPACE
    return items


# --------------------------------------------------------------------------- grouped: series side by side

GROUP_GAP = 0.6  # mm between the bars (or columns) of one label's group
GROUP_SHARE = 0.8  # of each label's slot, at most, for its group of columns
GROUP_COLUMN_MAX = 10.0  # mm, so that a wide chart's columns stay columns


def _series_legend(chart: Chart, s: _Style, width: float) -> tuple[list[Colour], Callable[[], list[Item]], float]:
    """One colour per series (the accent for a series in focus) and the legend naming them, with
    the room it takes above the plot."""
    colours = s.colours(chart.series)
    legend, height = _legend([_Entry(c, name) for c, name in zip(colours, chart.series)], s, width,
                             _legend_columns(width, len(chart.series)))
    return colours, legend, height + 2 * LEGEND_GAP


def _grouped_bars(chart: Chart, s: _Style, width: float) -> Drawing:
    """Horizontal bars for comparisons: under each label one bar per series, each with its value,
    on one scale from 0; the legend above names the series."""
    colours, legend, top = _series_legend(chart, s, width)
    k = len(chart.series)
    group = k * s.bar + (k - 1) * GROUP_GAP
    rows = _group_rows(chart.labels, s, width, group)
    texts = [[s.format(v, chart.unit) for v in row] for row in chart.values]
    plot_w = width - rows.axis_x - VALUE_GAP - max(s.value_width(t) for row in texts for t in row)
    scale = _per_unit(plot_w, [v for row in chart.values for v in row])

    def draw() -> list[Item]:
        items = legend() + shifted(rows.place(s), 0, top)
        for i in range(len(chart.labels)):
            y = top + rows.centre(i) - group / 2
            for row, row_texts, colour in zip(chart.values, texts, colours):
                value, length = row[i], (row[i] or 0.0) * scale
                if value:
                    items.append(_box(rows.axis_x, y, length, s.bar, colour, s))
                items.append(s.value(row_texts[i], rows.axis_x + length + VALUE_GAP, y + s.bar / 2,
                                     s.muted if value is None else s.ink))
                y += s.bar + GROUP_GAP
        return items

    return draw, top + rows.height


def _group_rows(labels: tuple[str, ...], s: _Style, width: float, group: float) -> _Rows:
    """Rows as for single bars, each tall enough for its group of bars."""
    label_w = width * LABEL_SHARE
    blocks = [s.label(label, label_w) for label in labels]
    row = max([block.height for block in blocks] + [group])
    pitch = row + ROW_GAP * s.scale
    tops = [i * pitch + ROW_GAP * s.scale / 2 for i in range(len(blocks))]
    return _Rows(blocks, tops, [row] * len(blocks), len(blocks) * pitch, label_w + COLUMN_GAP)


def _grouped_columns(chart: Chart, s: _Style, width: float) -> Drawing:
    """Columns for comparisons: for each label one column per series side by side, each value
    above its column, the label below the group; the legend above names the series."""
    colours, legend, top = _series_legend(chart, s, width)
    k, n = len(chart.series), len(chart.labels)
    slot = width / n
    col_w = min((slot * GROUP_SHARE - (k - 1) * GROUP_GAP) / k, GROUP_COLUMN_MAX)
    group = k * col_w + (k - 1) * GROUP_GAP
    texts = [[s.format(v, chart.unit) for v in row] for row in chart.values]
    widest = max(s.value_width(t) for row in texts for t in row)
    if widest > col_w + GROUP_GAP:  # values over neighbouring columns would touch
        raise ContentError(chart.where or Where(Path("survey")), f"chart {chart.id}: {n} labels of {k} series leave "
                           f"each column {col_w:.1f} mm, too narrow for its value; write kind: grouped-bars")
    value_h = s.figures.em(s.sizes["chart_value"])
    base = top + COLUMN_PLOT_HEIGHT * s.scale
    scale = _per_unit(COLUMN_PLOT_HEIGHT * s.scale - value_h - VALUE_GAP, [v for row in chart.values for v in row])
    blocks = [s.label(label, slot - VALUE_GAP) for label in chart.labels]
    labels_h = max([0.0, *(block.height for block in blocks)])

    def draw() -> list[Item]:
        items = legend()
        for i, block in enumerate(blocks):
            left = slot * i
            x = left + (slot - group) / 2
            for row, row_texts, colour in zip(chart.values, texts, colours):
                value, h = row[i], (row[i] or 0.0) * scale
                if h > 0:
                    items.append(_box(x, base - h, col_w, h, colour, s))
                tw = s.value_width(row_texts[i])
                items.append(s.value(row_texts[i], x + (col_w - tw) / 2, base - h - VALUE_GAP - value_h / 2,
                                     s.muted if value is None else s.ink))
                x += col_w + GROUP_GAP
            items += block.place(left + VALUE_GAP / 2, base + VALUE_GAP, s.ink, align="center",
                                 width=slot - VALUE_GAP)
        items.append(Line(0, base, width, base, s.ink, AXIS_WIDTH))
        return items

    return draw, base + VALUE_GAP + labels_h


_PLOTS: dict[str, Callable[[Chart, _Style, float], Drawing]] = {
    "pie": _pie,
    "bars": _bars,
    "stacked": _stacked,
    "stacked-bars": _stacked_bars,
    "columns": _columns,
    "grouped-bars": _grouped_bars,
    "grouped-columns": _grouped_columns,
}
