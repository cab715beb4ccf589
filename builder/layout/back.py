"""Card backs: a designed back per kind of card (取り札, 読み札), so that mixed cards can be sorted
face down. A traditional pattern in lines covers the whole back up to its bleed edge; over it a
paper cartouche holds the deck's title in vertical writing, with the kind's label on a plate below.

Patterns are families of straight lines clipped to the face, so they end exactly at the face's
edge (the display list has no clipping): 麻の葉 (asanoha: a triangle grid with each triangle's
centre joined to its corners) and 籠目 (kagome: three families of parallel lines that never meet
in one point).
"""

from __future__ import annotations

from math import ceil, cos, floor, radians, sin, sqrt
from pathlib import Path

from builder.errors import Where
from builder.layout.geometry import Item, Line, Page, Rect
from builder.layout.textblock import located, set_text
from builder.layout.vertical import ColumnFace, place_columns
from builder.model.theme import Colour, Theme
from builder.text.fonts import PT_TO_MM, face

PAD = 2.5  # mm inside the cartouche around the title
INNER_RULE = 0.8  # mm: the cartouche's inner rule sits this far inside its edge
RULE_WIDTH = 0.25  # mm
GAP = 2.0  # mm between the cartouche and the label plate
PLATE_PAD = 0.6  # em of the label around it
KAGOME_SHARE = 0.7  # kagome's line spacing in cells, so its hexagons read at about asanoha's scale


def layout_back(theme: Theme, side: str, *, bleed: float | None = None) -> Page:
    """The back of every `side` card ("picture" or "reading"), laid out with `bleed` mm of
    colour and pattern past the trim on every side (the theme's bleed by default)."""
    style = theme.karuta
    back = style.backs[side]
    bleed = style.bleed if bleed is None else bleed
    w, h = style.card_width + 2 * bleed, style.card_height + 2 * bleed
    page = Page(w, h, trim=(bleed, bleed, style.card_width, style.card_height), bleed=(0.0, 0.0, w, h))
    page.add(Rect(0, 0, w, h, fill=back.colour))
    page.add(*pattern(back.pattern, (0.0, 0.0, w, h), style.back_sizes["pattern_cell"], back.pattern_colour,
                      style.back_sizes["pattern_line"]))
    page.extend(_lockup(theme, side), bleed, bleed)
    return page


def _lockup(theme: Theme, side: str) -> list[Item]:
    """Cartouche with the vertical title, and the label plate below it, centred on the card."""
    style = theme.karuta
    back = style.backs[side]
    paper, ink = style.colours["kana_back"], back.colour
    where = style.where or Where(Path("theme.yaml"))
    title_size, label_size = style.back_sizes["title"], style.back_sizes["label"]
    label_em = label_size * PT_TO_MM
    plate_h = label_em * (1 + 2 * PLATE_PAD)
    room = style.card_height - 2 * style.safe_margin - 2 * PAD - GAP - plate_h
    display = face(theme.fonts["display"])
    with located(where, "karuta back text"):
        title = set_text(style.back_text, ColumnFace(display), title_size, room, line_height=1.0, max_lines=1,
                         min_size=title_size * theme.text.min_size_ratio)
    with located(where, f"karuta back {side} label"):
        label = set_text(back.label, display, label_size, style.card_width, line_height=1.0, max_lines=1)
    em = title.size * PT_TO_MM
    box_w, box_h = em + 2 * PAD, title.width() + 2 * PAD
    plate_w = label.width() + 2 * PLATE_PAD * label_em
    total = box_h + GAP + plate_h
    cx, top = style.card_width / 2, (style.card_height - total) / 2
    items: list[Item] = [
        Rect(cx - box_w / 2, top, box_w, box_h, fill=paper, radius=PAD),
        Rect(cx - box_w / 2 + INNER_RULE, top + INNER_RULE, box_w - 2 * INNER_RULE, box_h - 2 * INNER_RULE,
             stroke=ink, stroke_width=RULE_WIDTH, radius=PAD - INNER_RULE),
        *place_columns(title, cx + em / 2, top + PAD, ink),
    ]
    plate_y = top + box_h + GAP
    items.append(Rect(cx - plate_w / 2, plate_y, plate_w, plate_h, fill=paper, radius=plate_h / 2))
    items += label.place(cx - plate_w / 2, plate_y + (plate_h - label.height) / 2, ink, align="center", width=plate_w)
    return items


def pattern(kind: str, area: tuple[float, float, float, float], cell: float, colour: Colour,
            width: float) -> list[Line]:
    """The pattern's lines over `area` (x, y, w, h), each clipped to it."""
    segments = _asanoha(area, cell) if kind == "asanoha" else _kagome(area, cell * KAGOME_SHARE)
    lines = []
    for segment in segments:
        clipped = _clip(segment, area)
        if clipped is not None:
            (x1, y1), (x2, y2) = clipped
            lines.append(Line(x1, y1, x2, y2, colour, width))
    return lines


Segment = tuple[tuple[float, float], tuple[float, float]]


def _asanoha(area: tuple[float, float, float, float], side: float) -> list[Segment]:
    """A triangle grid of `side` mm; every triangle's centre joined to its three corners."""
    x0, y0, w, h = area
    row = side * sqrt(3) / 2
    rows, cols = ceil(h / row) + 1, ceil(w / side) + 2

    def point(i: int, j: int) -> tuple[float, float]:
        return x0 + (i - 1 + (j % 2) / 2) * side, y0 + j * row

    edges: set[Segment] = set()
    spokes: list[Segment] = []
    for j in range(rows):
        for i in range(cols):
            k = i + j % 2
            for corners in ((point(i, j), point(i + 1, j), point(k, j + 1)),
                            (point(i + 1, j), point(k, j + 1), point(k + 1, j + 1))):
                centre = (sum(p[0] for p in corners) / 3, sum(p[1] for p in corners) / 3)
                spokes += [(centre, p) for p in corners]
                for a, b in ((0, 1), (1, 2), (2, 0)):
                    edge = tuple(sorted((_rounded(corners[a]), _rounded(corners[b]))))
                    edges.add(edge)  # type: ignore[arg-type]
    return sorted(edges) + spokes


def _kagome(area: tuple[float, float, float, float], spacing: float) -> list[Segment]:
    """Three families of lines `spacing` mm apart at 0°, 60° and 120°; one family shifted by half
    a spacing, so that no three lines meet in a point (hexagons ringed by triangles)."""
    x0, y0, w, h = area
    cx, cy = x0 + w / 2, y0 + h / 2
    reach = sqrt(w * w + h * h) / 2 + spacing
    segments: list[Segment] = []
    for angle, shift in ((0, 0.0), (60, 0.0), (120, 0.5)):
        dx, dy = cos(radians(angle)), sin(radians(angle))  # along the line
        nx, ny = -dy, dx  # across
        for k in range(floor(-reach / spacing) - 1, ceil(reach / spacing) + 2):
            offset = (k + shift) * spacing
            px, py = cx + nx * offset, cy + ny * offset
            segments.append(((px - dx * reach, py - dy * reach), (px + dx * reach, py + dy * reach)))
    return segments


def _rounded(p: tuple[float, float]) -> tuple[float, float]:
    return round(p[0], 6), round(p[1], 6)


def _clip(segment: Segment, area: tuple[float, float, float, float]) -> Segment | None:
    """Liang-Barsky: the part of a segment inside the rectangle, or None."""
    (x1, y1), (x2, y2) = segment
    x0, y0, w, h = area
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - x0), (dx, x0 + w - x1), (-dy, y1 - y0), (dy, y0 + h - y1)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    if t1 - t0 < 1e-9:
        return None
    return (x1 + t0 * dx, y1 + t0 * dy), (x1 + t1 * dx, y1 + t1 * dy)
