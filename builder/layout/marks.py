"""Japanese crop marks (トンボ): double corner marks on the trim and bleed lines, and centre
marks, all outside the bleed box, in registration colour; and the slug line (file, page, date)
a print operator reads outside the trim."""

from __future__ import annotations

from builder.layout.geometry import Line, Page, Text
from builder.model.theme import Colour, Theme
from builder.text.fonts import face

MARK_WIDTH = 0.3 * 25.4 / 72  # 0.3 pt (about 0.1 mm), in mm: what Japanese DTP draws; thinner drops out
MARK_LENGTH = 10.0  # mm: Japanese crop marks run 10-13 mm
SLUG_SIZE = 6.0  # pt
SLUG_INDENT = 3.0  # mm right of the trim's left edge, clear of the corner marks
SLUG_DROP = 5.0  # mm below the bleed's bottom edge (baseline)
SLUG_BAND = 4.0  # mm: a slug line below the marks, where the marks leave no room beside them
SLUG_INK = Colour("slug", (0, 0, 0), (0.0, 0.0, 0.0, 1.0))  # K100 alone: small type prints in one ink


def slug_position(trim_left: float, bleed_bottom: float) -> tuple[float, float]:
    """Where a slug line starts below a trim box: between the corner and the centre marks."""
    return trim_left + SLUG_INDENT, bleed_bottom + SLUG_DROP


def add_slugs(pages: list[Page], file_name: str, day: str, condition: str, theme: Theme) -> None:
    """File name, page, date and printing condition on every press page that has a slug place."""
    body = face(theme.fonts["body"])
    for number, page in enumerate(pages, 1):
        if page.slug is not None:
            text = f"{file_name}  {number}/{len(pages)}  {day}  PDF/X-1a {condition}"
            body.check(text)
            x, y = page.slug
            size = min(SLUG_SIZE, SLUG_SIZE * (page.width - 2 * x) / body.width(text, SLUG_SIZE))  # fit the media
            page.add(Text(x, y, text, body.name, size, SLUG_INK))



def crop_marks(x: float, y: float, w: float, h: float, bleed: float, length: float, colour: Colour,
               *, centre: bool = True) -> list[Line]:
    """Marks for a trim box (x, y, w, h): each corner gets a horizontal and a vertical pair, one
    on the trim line and one on the bleed line, running `length` mm outward from the bleed edge."""
    marks: list[Line] = []

    def line(x1: float, y1: float, x2: float, y2: float) -> None:
        marks.append(Line(x1, y1, x2, y2, colour, MARK_WIDTH, registration=True))

    for cx, sx in ((x, -1), (x + w, 1)):
        for cy, sy in ((y, -1), (y + h, 1)):
            start_x, start_y = cx + sx * bleed, cy + sy * bleed
            for offset in (0.0, bleed):  # on the trim line, then on the bleed line
                line(start_x, cy + sy * offset, start_x + sx * length, cy + sy * offset)
                line(cx + sx * offset, start_y, cx + sx * offset, start_y + sy * length)
    if centre:
        mid_x, mid_y = x + w / 2, y + h / 2
        half = min(length / 2, 5.0)
        for edge_y, sy in ((y, -1), (y + h, 1)):
            top = edge_y + sy * bleed
            line(mid_x, top, mid_x, top + sy * length)
            line(mid_x - half, top + sy * length / 2, mid_x + half, top + sy * length / 2)
        for edge_x, sx in ((x, -1), (x + w, 1)):
            side = edge_x + sx * bleed
            line(side, mid_y, side + sx * length, mid_y)
            line(side + sx * length / 2, mid_y - half, side + sx * length / 2, mid_y + half)
    return marks
