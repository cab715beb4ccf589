"""Sheets of cards: office sheets to cut by hand, press sheets with crop marks, and one card
per page for a print shop.

Office sheets abut cards so that one cut serves two neighbours; thin cut guides in the sheet
margin extend every cut line. Back sheets are for long-edge duplex on portrait paper, where the
printer turns the sheet about its vertical axis: the back of the card in column c lies in
column cols-1-c. Because the grid is centred on the paper, a test can check mirroring from
coordinates alone: a back slot's x equals paper width - front x - card width (see `Grid.slot`).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.card import layout_back, trimmed
from builder.layout.geometry import Line, Page, Rect
from builder.layout.marks import MARK_LENGTH, SLUG_BAND, crop_marks
from builder.model.theme import Colour, Theme

GUIDE_GAP = 1.0  # mm between a card's edge and its cut guide
GUIDE_LENGTH = 6.0  # mm at most
GUIDE_MIN = 2.5  # mm: the room a cut guide needs at least, kept between the grid and the margin
GUIDE_WIDTH = 0.2  # mm
MARK_CLEARANCE = 1.0  # mm between a mark's end and a neighbour's bleed or the sheet margin
# registration lines print on every separation; renderers ignore the colour, which is only a label
REGISTRATION = Colour("registration", (0, 0, 0), (1.0, 1.0, 1.0, 1.0))


@dataclass(frozen=True)
class Grid:
    """Slots on a sheet: `cols` x `rows` cells of `cell` size, `gap` apart, the first at (x, y)."""

    cols: int
    rows: int
    x: float
    y: float
    cell_w: float
    cell_h: float
    gap: float

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def slot(self, index: int, *, mirrored: bool = False) -> tuple[float, float]:
        """Top-left of slot `index` (row by row); `mirrored` puts column c at cols-1-c."""
        row, col = divmod(index % self.per_sheet, self.cols)
        if mirrored:
            col = self.cols - 1 - col
        return self.x + col * (self.cell_w + self.gap), self.y + row * (self.cell_h + self.gap)

    @property
    def width(self) -> float:
        return self.cols * self.cell_w + (self.cols - 1) * self.gap

    @property
    def height(self) -> float:
        return self.rows * self.cell_h + (self.rows - 1) * self.gap


def fit_grid(paper_w: float, paper_h: float, cell_w: float, cell_h: float, gap: float, margin: float) -> Grid:
    """As many cells as fit inside `margin` on every side, the whole grid centred on the paper."""
    cols = floor((paper_w - 2 * margin + gap) / (cell_w + gap))
    rows = floor((paper_h - 2 * margin + gap) / (cell_h + gap))
    if cols < 1 or rows < 1:
        raise ValueError(f"a {cell_w:g} x {cell_h:g} mm card does not fit on {paper_w:g} x {paper_h:g} mm paper")
    grid = Grid(cols, rows, 0.0, 0.0, cell_w, cell_h, gap)
    return Grid(cols, rows, (paper_w - grid.width) / 2, (paper_h - grid.height) / 2, cell_w, cell_h, gap)


def _theme_grid(theme: Theme, cell_w: float, cell_h: float, gap: float, margin: float, room: str) -> Grid:
    """fit_grid, with a card too large for the paper reported as a mistake in the theme."""
    try:
        return fit_grid(theme.karuta.paper.width, theme.karuta.paper.height, cell_w, cell_h, gap, margin)
    except ValueError as err:
        raise ContentError(theme.karuta.where or Where(Path("theme.yaml")),
                           f"karuta: {err} with room for {room}; make the card smaller or choose larger "
                           "paper") from None


def office_grid(theme: Theme) -> Grid:
    """Abutting cards, leaving the cut guides room inside the sheet margin."""
    style = theme.karuta
    margin = style.sheet_margin + GUIDE_GAP + GUIDE_MIN
    return _theme_grid(theme, style.card_width, style.card_height, 0.0, margin, "cut guides")


def impose_office(faces: list[Page], theme: Theme, *, backs: bool) -> list[Page]:
    """Sheets of one kind of face (call once for picture cards, once for reading cards), laid out
    with bleed=0; with `backs`, each front sheet is followed by its back sheet."""
    grid = office_grid(theme)
    sheets: list[Page] = []
    for start in range(0, len(faces), grid.per_sheet):
        batch = [trimmed(face) for face in faces[start:start + grid.per_sheet]]
        sheets.append(_office_front(batch, grid, theme))
        if backs:
            sheets.append(_office_back(len(batch), grid, theme))
    return sheets


def _office_front(batch: list[Page], grid: Grid, theme: Theme) -> Page:
    paper = theme.karuta.paper
    sheet = Page(paper.width, paper.height)
    for index, face in enumerate(batch):
        sheet.extend(face.items, *grid.slot(index))
    sheet.add(*_cut_guides(grid, theme))
    return sheet


def _office_back(count: int, grid: Grid, theme: Theme) -> Page:
    """Backs of the front's `count` cards, columns mirrored. The back colour runs a bleed past
    each card, so that duplex misregistration shows no white edge after cutting."""
    style = theme.karuta
    sheet = Page(style.paper.width, style.paper.height)
    slots = [grid.slot(index, mirrored=True) for index in range(count)]
    b = style.bleed
    sheet.add(*(Rect(x - b, y - b, grid.cell_w + 2 * b, grid.cell_h + 2 * b, fill=style.back_colour)
                for x, y in slots))
    back = layout_back(theme, bleed=0)
    for x, y in slots:
        sheet.extend(back.items, x, y)
    return sheet


def _cut_guides(grid: Grid, theme: Theme) -> list[Line]:
    """Short lines in the sheet margin on every cut line, stopping at the sheet margin."""
    style = theme.karuta
    colour = style.colours["cut_guide"]
    guides: list[Line] = []
    xs = [grid.x + c * grid.cell_w for c in range(grid.cols + 1)]
    ys = [grid.y + r * grid.cell_h for r in range(grid.rows + 1)]
    top, bottom = grid.y - GUIDE_GAP, grid.y + grid.height + GUIDE_GAP
    left, right = grid.x - GUIDE_GAP, grid.x + grid.width + GUIDE_GAP
    reach_v = min(GUIDE_LENGTH, top - style.sheet_margin)
    reach_h = min(GUIDE_LENGTH, left - style.sheet_margin)
    for x in xs:
        guides.append(Line(x, top, x, top - reach_v, colour, GUIDE_WIDTH))
        guides.append(Line(x, bottom, x, bottom + reach_v, colour, GUIDE_WIDTH))
    for y in ys:
        guides.append(Line(left, y, left - reach_h, y, colour, GUIDE_WIDTH))
        guides.append(Line(right, y, right + reach_h, y, colour, GUIDE_WIDTH))
    return guides


def press_mark_length(theme: Theme) -> float:
    """Crop marks shortened to the gutter, so no mark reaches a neighbour's bleed."""
    return min(MARK_LENGTH, theme.karuta.press_gutter - MARK_CLEARANCE)


def press_grid(faces: list[Page], theme: Theme) -> Grid:
    """Cells are whole faces (card + bleed); the gutter lies between neighbouring bleed boxes."""
    style = theme.karuta
    margin = style.sheet_margin + press_mark_length(theme) + MARK_CLEARANCE
    return _theme_grid(theme, faces[0].width, faces[0].height, style.press_gutter, margin, "bleed and crop marks")


def impose_press(faces: list[Page], theme: Theme) -> list[Page]:
    """Sheets of faces laid out with a bleed, each card with its own crop marks (トンボ)."""
    grid = press_grid(faces, theme)
    paper = theme.karuta.paper
    length = press_mark_length(theme)
    sheets: list[Page] = []
    for start in range(0, len(faces), grid.per_sheet):
        sheet = Page(paper.width, paper.height, trim=(0.0, 0.0, paper.width, paper.height),
                     bleed=(0.0, 0.0, paper.width, paper.height))
        for index, face in enumerate(faces[start:start + grid.per_sheet]):
            x, y = grid.slot(index)
            sheet.extend(face.items, x, y)
            sheet.add(*_marks(face, x, y, length))
        sheet.slug = (grid.x, grid.y + grid.height + length + SLUG_BAND)  # below the lowest marks
        sheets.append(sheet)
    return sheets


def press_cards(faces: list[Page]) -> list[Page]:
    """One card per page for a print shop: TrimBox the card, BleedBox the card and its bleed,
    crop marks of full length outside the bleed, the slug line below them."""
    room = MARK_LENGTH + MARK_CLEARANCE
    pages: list[Page] = []
    for face in faces:
        bx, by, bw, bh = face.bleed or (0.0, 0.0, face.width, face.height)
        tx, ty, tw, th = face.trim or (0.0, 0.0, face.width, face.height)
        page = Page(face.width + 2 * room, face.height + 2 * room + SLUG_BAND, trim=(tx + room, ty + room, tw, th),
                    bleed=(bx + room, by + room, bw, bh), slug=(MARK_CLEARANCE, face.height + 2 * room + SLUG_BAND / 2))
        page.extend(face.items, room, room)
        page.add(*_marks(face, room, room, MARK_LENGTH))
        pages.append(page)
    return pages


def _marks(face: Page, x: float, y: float, length: float) -> list[Line]:
    """Crop marks for a face placed with its top-left at (x, y)."""
    tx, ty, tw, th = face.trim or (0.0, 0.0, face.width, face.height)
    bleed = tx - (face.bleed[0] if face.bleed else 0.0)
    return crop_marks(x + tx, y + ty, tw, th, bleed, length, REGISTRATION)
