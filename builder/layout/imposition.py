"""Sheets of cards: office sheets to cut by hand, press sheets with crop marks, and one card
per page for a print shop; the backs of each.

Office sheets keep a gutter between cards, so each card's colour ends at its own cut and a
missed cut shows no sliver of the neighbour; thin cut guides continue every cut line across the
gutters and into the sheet margin. Back sheets are for long-edge duplex on portrait paper, where
the printer turns the sheet about its vertical axis: the back of the card in column c lies in
column cols-1-c. Because the grid is centred on the paper, a test can check mirroring from
coordinates alone: a back slot's x equals paper width - front x - card width (see `Grid.slot`).
Cards are spread evenly over the sheets they need (`batches`), so no sheet holds a lone card.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, floor
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.card import trimmed
from builder.layout.geometry import Item, Line, Page, translate
from builder.layout.marks import MARK_LENGTH, SLUG_BAND, crop_marks, slug_position
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
    """Cards `sheet_gutter` apart (so each card's colour ends at its own cut), leaving the cut
    guides room inside the sheet margin."""
    style = theme.karuta
    margin = style.sheet_margin + GUIDE_GAP + GUIDE_MIN
    return _theme_grid(theme, style.card_width, style.card_height, style.sheet_gutter, margin, "cut guides")


def batches(count: int, per_sheet: int) -> list[tuple[int, int]]:
    """(start, size) of each sheet: as few sheets as the grid allows, the cards spread evenly
    over them, so that no sheet carries a lone card (46 at 9 a sheet: 8, 8, 8, 8, 7, 7)."""
    sheets = ceil(count / per_sheet)
    if sheets == 0:
        return []
    base, extra = divmod(count, sheets)
    result, start = [], 0
    for index in range(sheets):
        size = base + (index < extra)
        result.append((start, size))
        start += size
    return result


def impose_office(faces: list[Page], theme: Theme, *, backs: Page | None = None) -> list[Page]:
    """Sheets of one kind of face (call once for picture cards, once for reading cards), laid out
    with bleed=0; with `backs` (that kind's back, laid out with half the gutter as bleed), each
    front sheet is followed by its back sheet, so page 2k is the back of page 2k-1."""
    grid = office_grid(theme)
    sheets: list[Page] = []
    placed = _Placed()
    for start, size in batches(len(faces), grid.per_sheet):
        batch = [trimmed(face) for face in faces[start:start + size]]
        sheets.append(_office_front(batch, grid, theme))
        if backs is not None:
            sheets.append(_office_back(size, grid, theme, backs, placed))
    return sheets


def office_back_bleed(theme: Theme) -> float:
    """Backs run half the gutter past each card: duplex misregistration shows no white edge, and
    no back reaches its neighbour's."""
    return theme.karuta.sheet_gutter / 2


def _office_front(batch: list[Page], grid: Grid, theme: Theme) -> Page:
    paper = theme.karuta.paper
    sheet = Page(paper.width, paper.height)
    for index, face in enumerate(batch):
        sheet.extend(face.items, *grid.slot(index))
    sheet.add(*_cut_guides(grid, len(batch), theme))
    return sheet


def _office_back(count: int, grid: Grid, theme: Theme, back: Page, placed: _Placed) -> Page:
    """Backs of the front's `count` cards, columns mirrored for long-edge duplex."""
    paper = theme.karuta.paper
    sheet = Page(paper.width, paper.height)
    tx, ty = back.trim[0], back.trim[1]
    for index in range(count):
        x, y = grid.slot(index, mirrored=True)
        sheet.add(*placed(back, x - tx, y - ty))
    return sheet


def _cut_guides(grid: Grid, count: int, theme: Theme) -> list[Line]:
    """Every card's four cut lines continued past its corners: across the gutters between cards
    (stopping GUIDE_GAP short of each card) and into the sheet margin (stopping at the margin)."""
    style = theme.karuta
    colour = style.colours["cut_guide"]
    top, bottom = grid.y - GUIDE_GAP, grid.y + grid.height + GUIDE_GAP
    left, right = grid.x - GUIDE_GAP, grid.x + grid.width + GUIDE_GAP
    reach_v = min(GUIDE_LENGTH, top - style.sheet_margin)
    reach_h = min(GUIDE_LENGTH, left - style.sheet_margin)
    used = {divmod(index, grid.cols) for index in range(count)}
    rows, cols = {r for r, _ in used}, {c for _, c in used}
    guides: set[tuple[float, float, float, float]] = set()
    for col in cols:
        for x in (grid.x + col * (grid.cell_w + grid.gap), grid.x + col * (grid.cell_w + grid.gap) + grid.cell_w):
            guides.add((x, top, x, top - reach_v))
            guides.add((x, bottom, x, bottom + reach_v))
            for row in range(grid.rows - 1):  # across each gutter between rows
                y = grid.y + row * (grid.cell_h + grid.gap) + grid.cell_h
                if grid.gap > 2 * GUIDE_GAP:
                    guides.add((x, y + GUIDE_GAP, x, y + grid.gap - GUIDE_GAP))
    for row in rows:
        for y in (grid.y + row * (grid.cell_h + grid.gap), grid.y + row * (grid.cell_h + grid.gap) + grid.cell_h):
            guides.add((left, y, left - reach_h, y))
            guides.add((right, y, right + reach_h, y))
            for col in range(grid.cols - 1):  # across each gutter between columns
                x = grid.x + col * (grid.cell_w + grid.gap) + grid.cell_w
                if grid.gap > 2 * GUIDE_GAP:
                    guides.add((x + GUIDE_GAP, y, x + grid.gap - GUIDE_GAP, y))
    return [Line(x1, y1, x2, y2, colour, GUIDE_WIDTH) for x1, y1, x2, y2 in sorted(guides)]


def press_mark_length(theme: Theme) -> float:
    """Crop marks shortened to the gutter, so no mark reaches a neighbour's bleed."""
    return min(MARK_LENGTH, theme.karuta.press_gutter - MARK_CLEARANCE)


def press_grid(faces: list[Page], theme: Theme) -> Grid:
    """Cells are whole faces (card + bleed); the gutter lies between neighbouring bleed boxes."""
    style = theme.karuta
    margin = style.sheet_margin + press_mark_length(theme) + MARK_CLEARANCE
    return _theme_grid(theme, faces[0].width, faces[0].height, style.press_gutter, margin, "bleed and crop marks")


def impose_press(faces: list[Page], theme: Theme, *, mirrored: bool = False) -> list[Page]:
    """Sheets of faces laid out with a bleed, each card with its own crop marks (トンボ).
    `mirrored`: the back sheets of the same faces' sheets (columns mirrored, for a press that
    turns the sheet about its vertical axis)."""
    grid = press_grid(faces, theme)
    paper = theme.karuta.paper
    length = press_mark_length(theme)
    sheets: list[Page] = []
    placed = _Placed()
    for start, size in batches(len(faces), grid.per_sheet):
        sheet = Page(paper.width, paper.height, trim=(0.0, 0.0, paper.width, paper.height),
                     bleed=(0.0, 0.0, paper.width, paper.height))
        for index, face in enumerate(faces[start:start + size]):
            x, y = grid.slot(index, mirrored=mirrored)
            sheet.add(*placed(face, x, y))
            sheet.add(*_marks(face, x, y, length))
        sheet.slug = (grid.x, grid.y + grid.height + length + SLUG_BAND)  # below the lowest marks
        sheets.append(sheet)
    return sheets


def press_page(page: Page, theme: Theme) -> Page:
    """A document page (the play sheet) as a print-shop page: its trim centred on a larger
    sheet with the deck's bleed, crop marks and a slug line."""
    bleed = theme.karuta.bleed
    room = bleed + MARK_LENGTH + MARK_CLEARANCE
    sheet = Page(page.width + 2 * room, page.height + 2 * room + SLUG_BAND, trim=(room, room, page.width, page.height),
                 bleed=(room - bleed, room - bleed, page.width + 2 * bleed, page.height + 2 * bleed),
                 slug=slug_position(room, room + page.height + bleed))
    sheet.extend(page.items, room, room)
    sheet.add(*crop_marks(room, room, page.width, page.height, bleed, MARK_LENGTH, REGISTRATION))
    return sheet


def press_cards(faces: list[Page]) -> list[Page]:
    """One card per page for a print shop: TrimBox the card, BleedBox the card and its bleed,
    crop marks of full length outside the bleed, the slug line below them."""
    room = MARK_LENGTH + MARK_CLEARANCE
    pages: list[Page] = []
    placed = _Placed()
    for face in faces:
        bx, by, bw, bh = face.bleed or (0.0, 0.0, face.width, face.height)
        tx, ty, tw, th = face.trim or (0.0, 0.0, face.width, face.height)
        page = Page(face.width + 2 * room, face.height + 2 * room + SLUG_BAND, trim=(tx + room, ty + room, tw, th),
                    bleed=(bx + room, by + room, bw, bh), slug=(MARK_CLEARANCE, face.height + 2 * room + SLUG_BAND / 2))
        page.add(*placed(face, room, room))
        page.add(*_marks(face, room, room, MARK_LENGTH))
        pages.append(page)
    return pages


class _Placed:
    """A face's items moved to (x, y), made once for each face and place: the backs place one
    face (the same Page) 46 times, ~370 pattern lines each. The items are immutable, so the pages
    share them (and the PDF painter formats each shared line once)."""

    def __init__(self) -> None:
        self._moved: dict[tuple[int, float, float], tuple[Page, list[Item]]] = {}

    def __call__(self, face: Page, x: float, y: float) -> list[Item]:
        key = (id(face), x, y)
        if key not in self._moved:  # the face is kept with its items, so its id stays its own
            self._moved[key] = (face, [translate(item, x, y) for item in face.items])
        return self._moved[key][1]


def _marks(face: Page, x: float, y: float, length: float) -> list[Line]:
    """Crop marks for a face placed with its top-left at (x, y)."""
    tx, ty, tw, th = face.trim or (0.0, 0.0, face.width, face.height)
    bleed = tx - (face.bleed[0] if face.bleed else 0.0)
    return crop_marks(x + tx, y + ty, tw, th, bleed, length, REGISTRATION)
