"""The display list: plain records in millimetres (origin top-left, y down) that both renderers
paint the same way. Layout produces them; nothing here draws."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.model.theme import Colour


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: Colour | None = None
    stroke: Colour | None = None
    stroke_width: float = 0.0  # mm
    radius: float = 0.0


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: Colour | None = None
    stroke: Colour | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: Colour
    width: float  # mm
    registration: bool = False  # crop marks: every separation in print, plain black on screen


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    fill: Colour


@dataclass(frozen=True)
class Text:
    """One line of text: (x, y) is the left end of the baseline; `size` is in points.

    `rotate` turns the text clockwise by that many degrees about (x, y), the left end of its
    baseline (vertical writing places ー and brackets this way); `font` is the key of the font
    file in the renderers' font table (`text.fonts.font_files`).
    """

    x: float
    y: float
    text: str
    font: str
    size: float
    colour: Colour
    rotate: int = 0
    spacing: float = 0.0  # mm added after every character (justified lines: a PDF's Tc)


@dataclass(frozen=True)
class Link:
    """A clickable area of a screen PDF that opens `url` (nothing is drawn)."""

    x: float
    y: float
    w: float
    h: float
    url: str


@dataclass(frozen=True)
class Bookmark:
    """An entry of the PDF's outline (bookmarks) pointing at this page, `y` mm from its top."""

    title: str
    y: float
    level: int = 0


@dataclass(frozen=True)
class Path:
    """A vector shape: subpaths of straight and curved segments, filled and/or stroked.

    Each command is an operator and its points in mm: ("M", (x, y)) starts a subpath, ("L", (x, y))
    draws a line, ("C", (x1, y1, x2, y2, x, y)) a cubic and ("Q", (x1, y1, x, y)) a quadratic
    Bézier, ("Z", ()) closes the subpath. `even_odd` picks the even-odd fill rule (SVG's
    fill-rule="evenodd"); otherwise nonzero winding, as SVG and PDF default to.
    """

    commands: tuple[tuple[str, tuple[float, ...]], ...]
    fill: Colour | None = None
    stroke: Colour | None = None
    stroke_width: float = 0.0  # mm
    even_odd: bool = False

    def moved(self, dx: float, dy: float, scale: float = 1.0) -> Path:
        """The same shape scaled about the origin by `scale`, then shifted by (dx, dy)."""
        commands = []  # written out per operator: art has thousands of points, moved for every card placed
        for op, p in self.commands:
            if len(p) == 6:
                p = (p[0] * scale + dx, p[1] * scale + dy, p[2] * scale + dx, p[3] * scale + dy, p[4] * scale + dx,
                     p[5] * scale + dy)
            elif len(p) == 2:
                p = (p[0] * scale + dx, p[1] * scale + dy)
            elif p:
                p = tuple(v * scale + (dy if i % 2 else dx) for i, v in enumerate(p))
            commands.append((op, p))
        return Path(tuple(commands), self.fill, self.stroke, self.stroke_width * scale, self.even_odd)


Item = Rect | Circle | Line | Polygon | Path | Text | Link | Bookmark


def cubic_segments(path: Path):
    """The path's commands with every quadratic raised to the equal cubic (PDF has no
    quadratics; the PNG renderer flattens cubics), as (op, points) with absolute points."""
    current = start = (0.0, 0.0)
    for op, pts in path.commands:
        if op == "Q":
            (qx, qy), (x, y) = pts[:2], pts[2:]
            (cx, cy) = current
            pts = (cx + 2 / 3 * (qx - cx), cy + 2 / 3 * (qy - cy), x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y), x, y)
            op = "C"
        if op == "M":
            start = pts
        current = start if op == "Z" else (pts[-2], pts[-1])
        yield op, pts


@dataclass
class Page:
    """A page or an image: its media size, what is on it, and its print boxes (x, y, w, h)."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    trim: tuple[float, float, float, float] | None = None
    bleed: tuple[float, float, float, float] | None = None
    slug: tuple[float, float] | None = None  # press pages: the slug line's baseline start, outside the trim

    def add(self, *items: Item) -> None:
        self.items.extend(items)

    def extend(self, items: list[Item], dx: float = 0.0, dy: float = 0.0) -> None:
        self.items.extend(translate(item, dx, dy) for item in items)


def translate(item: Item, dx: float, dy: float) -> Item:
    if dx == 0 and dy == 0:
        return item
    return _MOVERS[type(item)](item, dx, dy)


def _copy(item):
    """A copy of a display item whose fields the caller then sets: filled in directly, since a
    frozen dataclass's __init__ sets each field through object.__setattr__ at twice the cost,
    and the page composer moves tens of thousands of items."""
    copy = object.__new__(type(item))
    fields = copy.__dict__
    fields.update(item.__dict__)
    return copy, fields


def _move_xy(item, dx: float, dy: float):
    copy = object.__new__(type(item))  # as _copy, written out: most items are Text and Rect
    fields = copy.__dict__
    fields.update(item.__dict__)
    fields["x"] = item.x + dx
    fields["y"] = item.y + dy
    return copy


def _move_circle(item: Circle, dx: float, dy: float) -> Circle:
    copy, fields = _copy(item)
    fields["cx"], fields["cy"] = item.cx + dx, item.cy + dy
    return copy


def _move_line(item: Line, dx: float, dy: float) -> Line:
    copy, fields = _copy(item)
    fields["x1"], fields["y1"], fields["x2"], fields["y2"] = item.x1 + dx, item.y1 + dy, item.x2 + dx, item.y2 + dy
    return copy


def _move_polygon(item: Polygon, dx: float, dy: float) -> Polygon:
    copy, fields = _copy(item)
    fields["points"] = tuple([(x + dx, y + dy) for x, y in item.points])
    return copy


def _move_bookmark(item: Bookmark, dx: float, dy: float) -> Bookmark:
    copy, fields = _copy(item)
    fields["y"] = item.y + dy
    return copy


_MOVERS = {Text: _move_xy, Rect: _move_xy, Link: _move_xy, Circle: _move_circle, Line: _move_line,
           Polygon: _move_polygon, Path: lambda item, dx, dy: item.moved(dx, dy), Bookmark: _move_bookmark}


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...] = ()
    language: str = "ja"
    date: int | None = None  # seconds since 1970 (UTC): the date, for the PDF's dates
