"""Card faces: the picture card (取り札) and the reading card (読み札) (backs: layout.back).

A face is laid out once, in millimetres, as a Page whose trim box is the card and whose bleed
box is the whole page; the PDF and the PNG are two paintings of it. Sizes, colours and margins
come from theme.karuta; the constants below are proportions of those, in em or mm.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.art import piece
from builder.layout.geometry import Circle, Item, Line, Page, Rect, Text
from builder.layout.geometry import Path as Shape
from builder.layout.textblock import SIZE_STEP, Block, located, set_text
from builder.layout.verse import VerseStyle, fit_size, set_verse
from builder.layout.vertical import ColumnFace, place_columns
from builder.model.deck import Card
from builder.model.theme import Colour, Theme
from builder.text.fonts import PT_TO_MM, Face, face

FRAME_INSET = 1.6  # mm inside the trim: a rounded frame, friendlier than a bare edge
FRAME_WIDTH = 0.45  # mm
RING_WIDTH = 0.5  # mm, the outline of the kana and accent circles
KANA_CIRCLE = 0.74  # circle radius in em of the kana
GAP = 2.0  # mm between the parts of a face
SLOGAN_LEADING = 1.3  # times the size: slogans are short, so tighter than running text
SLOGAN_SHARE = 0.4  # at most this share of the text area's height goes to the slogan
SLOGAN_SHARE_VERTICAL = 0.4  # or of its width, in vertical writing
RULE_WIDTH = 0.3  # mm, between slogan and explanation


@dataclass
class CardFaces:
    picture: Page
    reading: Page


@dataclass(frozen=True)
class Area:
    """A box in card coordinates (mm, origin at the trim's top-left)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def layout_card(card: Card, theme: Theme, *, vertical: bool = False, bleed: float | None = None,
                rounded: bool = False, slogan_size: float | None = None,
                explanation_size: float | None = None) -> CardFaces:
    """Both faces of a card. `bleed` defaults to the theme's (office sheets abut cards and
    pass 0); `rounded` rounds the corners for screen images, which have no bleed; a deck passes
    its `reading_slogan_size` and `reading_explanation_size`, so that every card's slogan and
    every card's explanation have the same size."""
    style = theme.karuta
    bleed = style.bleed if bleed is None else bleed
    if slogan_size is None:
        slogan_size = reading_slogan_size([card], theme, vertical=vertical)
    if explanation_size is None:
        explanation_size = reading_explanation_size([card], theme, slogan_size, vertical=vertical)
    picture = layout_picture(card, theme, bleed=bleed, rounded=rounded)
    return CardFaces(picture, layout_reading(card, theme, vertical=vertical, bleed=bleed, rounded=rounded,
                                             slogan_size=slogan_size, explanation_size=explanation_size))


def layout_reading(card: Card, theme: Theme, *, vertical: bool, bleed: float, rounded: bool, slogan_size: float,
                   explanation_size: float) -> Page:
    """The reading face alone, as layout_card lays it out (`build check` lays each picture face
    out once, not once for every way of setting the reading face)."""
    items = (_reading_vertical if vertical else _reading)(card, theme, slogan_size, explanation_size)
    return _face_page(theme, theme.karuta.colours["reading_back"], items, bleed, rounded)


def layout_picture(card: Card, theme: Theme, *, bleed: float | None = None, rounded: bool = False) -> Page:
    """The picture face alone, as layout_card lays it out (social images show no other)."""
    bleed = theme.karuta.bleed if bleed is None else bleed
    return _face_page(theme, card.art.background, _picture(card, theme, bleed, rounded), bleed, rounded)


def trimmed(page: Page) -> Page:
    """The page itself, once checked to have no bleed: sheets that abut cards and screen images
    draw every item, and a bleed would spill over the neighbours."""
    if page.trim != (0.0, 0.0, page.width, page.height):
        raise ValueError("this face has a bleed; lay it out with layout_card(..., bleed=0)")
    return page


def centred_glyph(char: str, font: Face, size: float, cx: float, cy: float, colour: Colour) -> Text:
    """One glyph with its ink box centred on (cx, cy): icon advances vary, and a kana in a
    circle looks centred by its ink, not by its em box."""
    box = font.glyph_box(char)
    em = size * PT_TO_MM
    return Text(cx - (box.x_min + box.x_max) / 2 * em, cy + (box.y_min + box.y_max) / 2 * em, char, font.name,
                size, colour)


def kana_badge(kana: str, theme: Theme, size: float, cx: float, cy: float) -> list[Item]:
    """The kana in a ringed circle, as players look for it on the table."""
    style = theme.karuta
    em = size * PT_TO_MM
    return [Circle(cx, cy, KANA_CIRCLE * em, fill=style.colours["kana_back"], stroke=style.colours["kana"],
                   stroke_width=RING_WIDTH),
            centred_glyph(kana, face(theme.fonts["display"]), size, cx, cy, style.colours["kana"])]


def where_of(card: Card, field: str) -> Where:
    """The content position of a card's field; hand-made cards (tests) have none."""
    return card.where.get(field) or card.where.get("card") or Where(Path(f"card {card.kana}"))


def _face_page(theme: Theme, background: Colour, items: list[Item], bleed: float, rounded: bool) -> Page:
    style = theme.karuta
    if rounded and bleed:
        raise ValueError("rounded corners are for screen images, which have no bleed")
    page = Page(style.card_width + 2 * bleed, style.card_height + 2 * bleed)
    page.add(Rect(0, 0, page.width, page.height, fill=background, radius=style.corner_radius if rounded else 0))
    page.extend(items, bleed, bleed)
    page.trim = (bleed, bleed, style.card_width, style.card_height)
    page.bleed = (0.0, 0.0, page.width, page.height)
    return page


def _safe_area(theme: Theme) -> Area:
    style = theme.karuta
    m = style.safe_margin
    return Area(m, m, style.card_width - 2 * m, style.card_height - 2 * m)


def _frame(theme: Theme, colour: Colour) -> Rect:
    style = theme.karuta
    return Rect(FRAME_INSET, FRAME_INSET, style.card_width - 2 * FRAME_INSET, style.card_height - 2 * FRAME_INSET,
                stroke=colour, stroke_width=FRAME_WIDTH, radius=max(style.corner_radius - FRAME_INSET / 2, 0))


def _corner_badge(card: Card, theme: Theme, size_key: str, *, right: bool) -> tuple[list[Item], float]:
    """The kana badge in the top-left (or top-right) corner of the safe area; also its bottom."""
    inner = _safe_area(theme)
    r = KANA_CIRCLE * theme.karuta.sizes[size_key] * PT_TO_MM
    cx = inner.right - r if right else inner.x + r
    with located(where_of(card, "kana"), f"card '{card.kana}' kana"):
        return kana_badge(card.kana, theme, theme.karuta.sizes[size_key], cx, inner.y + r), inner.y + 2 * r


def _picture(card: Card, theme: Theme, bleed: float, rounded: bool) -> list[Item]:
    """Kana disc top-left (where players look for it), the art filling the card down to the
    keyword band, the band across the foot. Everything that carries meaning stays in the safe
    area; only the band's colour runs on to the trim and into the bleed, so that no thin frame
    or border can show a cutting error."""
    style = theme.karuta
    inner = _safe_area(theme)
    band_top = style.card_height - style.picture.band
    band = _keyword_band(card, theme, inner, band_top, bleed, rounded)
    art = _art(card, theme, Area(inner.x, inner.y, inner.w, band_top - GAP - inner.y))
    return [*band, *art, *_kana_disc(card, theme, inner)]


def _kana_disc(card: Card, theme: Theme, inner: Area) -> list[Item]:
    """The kana, bold and white, on a disc of the card's strong colour ringed in paper, its ink box
    (the glyph's bounds in the font) centred on the disc: centred by its em box a kana sits off
    the middle, each by its own amount (う by half a millimetre)."""
    pic = theme.karuta.picture
    r = pic.disc / 2
    cx, cy = inner.x + r + pic.ring / 2, inner.y + r + pic.ring / 2  # the ring touches the safe area
    with located(where_of(card, "kana"), f"card '{card.kana}' kana"):
        glyph = centred_glyph(card.kana, face(theme.fonts["bold"]), pic.kana, cx, cy, pic.colours["kana"])
    return [Circle(cx, cy, r, fill=card.art.colour, stroke=pic.colours["ring"], stroke_width=pic.ring), glyph]


def _keyword_band(card: Card, theme: Theme, inner: Area, top: float, bleed: float, rounded: bool) -> list[Item]:
    """The keyword, centred in the safe area, on a band of the card's strong colour that runs
    from `top` over the trim into the bleed (screen images round its lower corners instead)."""
    style = theme.karuta
    pic = style.picture
    width, bottom = style.card_width, style.card_height
    if rounded:
        r = style.corner_radius
        band = [Rect(0, top, width, bottom - top, fill=card.art.colour, radius=r),
                Rect(0, top, width, min(r, bottom - top), fill=card.art.colour)]
    else:
        band = [Rect(-bleed, top, width + 2 * bleed, bottom + bleed - top, fill=card.art.colour)]
    bold = face(theme.fonts["bold"])
    with located(where_of(card, "keyword"), f"card '{card.kana}' keyword"):
        block = set_text(card.keyword, bold, pic.keyword, inner.w, line_height=1.0, max_lines=1,
                         min_size=pic.keyword * theme.text.min_size_ratio)
    text_top = top + (inner.bottom - top - block.height) / 2
    return [*band, *block.place(inner.x, text_top, pic.colours["keyword"], align="center", width=inner.w)]


def _art(card: Card, theme: Theme, area: Area) -> list[Item]:
    """The main piece as large as the area allows below the disc's centre line; each prop,
    `prop` times its size, set into a lower corner it overlaps (right, then left),
    every piece outlined in paper so that overlaps read as one piece on another."""
    pic = theme.karuta.picture
    art = card.art
    with located(where_of(card, "art"), f"card '{card.kana}' art"):
        main = piece(art.library, art.main)
        props = [piece(art.library, name) for name in art.props]
    top = area.y + pic.disc / 2
    size = min(area.w, area.bottom - top) - 2 * pic.halo
    main_box = Area(area.x + pic.halo, top + pic.halo, area.w - 2 * pic.halo, area.bottom - top - 2 * pic.halo)
    layers = [main.fitted(main_box.x, main_box.y, main_box.w, main_box.h)]
    prop_size = pic.prop * size
    for prop, right in zip(props, (True, False)):  # lower right, then lower left
        s = prop_size / max(prop.width, prop.height)
        x = main_box.right - prop.width * s if right else main_box.x
        layers.append(prop.placed(x, main_box.bottom - prop.height * s, s))
    items: list[Item] = []
    for outline, shapes in layers:
        if pic.halo > 0:
            items.append(Shape(outline.commands, fill=pic.colours["halo"], stroke=pic.colours["halo"],
                               stroke_width=2 * pic.halo))
        items += shapes
    return items


def reading_verse(theme: Theme, *, vertical: bool) -> VerseStyle:
    """How reading cards set slogans: the proportional bold face, ruby in the body face."""
    return VerseStyle(face(theme.fonts["bold"]), face(theme.fonts["body"]), SLOGAN_LEADING, vertical)


def _slogan_room(theme: Theme, *, vertical: bool) -> tuple[float, float, float]:
    """Where the slogan starts on a reading card (mm below the trim's top), the length a line
    may take and the depth the lines may take side by side."""
    inner = _safe_area(theme)
    top = inner.y + 2 * KANA_CIRCLE * theme.karuta.sizes["reading_kana"] * PT_TO_MM + GAP
    if vertical:
        return top, inner.bottom - top, SLOGAN_SHARE_VERTICAL * inner.w
    return top, inner.w, SLOGAN_SHARE * (inner.bottom - top)


def reading_slogan_size(cards: list[Card] | tuple[Card, ...], theme: Theme, *, vertical: bool = False) -> float:
    """The one size every reading card of the deck sets its slogan at: the largest, up to the
    theme's, at which every phrase fits a line."""
    _, measure, depth = _slogan_room(theme, vertical=vertical)
    largest = theme.karuta.sizes["slogan"]
    return fit_size(cards, reading_verse(theme, vertical=vertical), measure, depth, largest,
                    largest * theme.text.min_size_ratio, where_of, "the reading cards")


def reading_explanation_size(cards: list[Card] | tuple[Card, ...], theme: Theme, slogan_size: float, *,
                             vertical: bool = False) -> float:
    """The one size every reading card of the deck sets its explanation at: the largest, up to the
    theme's, at which every explanation fits under its slogan. An explanation too long for the
    theme's smallest size is refused at its line (so `build check` names it)."""
    rooms = [(card, *_explanation_room(card, theme, slogan_size, vertical=vertical)) for card in cards]
    size = min(_explanation(card, theme, measure, depth, vertical=vertical).size for card, measure, depth in rooms)
    while True:  # a smaller size could, rarely, break a text into more lines: check every card at it
        try:
            for card, measure, depth in rooms:
                _explanation(card, theme, measure, depth, vertical=vertical, size=size)
            return size
        except ContentError:
            if size - SIZE_STEP < theme.karuta.sizes["explanation"] * theme.text.min_size_ratio - 1e-9:
                raise
            size -= SIZE_STEP


def _explanation_room(card: Card, theme: Theme, slogan_size: float, *, vertical: bool) -> tuple[float, float]:
    """The measure and depth the explanation has under (or beside) the card's slogan."""
    inner = _safe_area(theme)
    top, length, _ = _slogan_room(theme, vertical=vertical)
    slogan = set_verse(card, reading_verse(theme, vertical=vertical), slogan_size)
    if vertical:
        return length, inner.right - slogan.depth - GAP - GAP - inner.x
    return inner.w, inner.bottom - (top + slogan.depth + GAP) - GAP


def _reading(card: Card, theme: Theme, size: float, explanation_size: float) -> list[Item]:
    """Kana badge, the slogan one phrase a line with ruby, a rule, the explanation below."""
    style = theme.karuta
    inner = _safe_area(theme)
    badge, _ = _corner_badge(card, theme, "reading_kana", right=False)
    top, _, _ = _slogan_room(theme, vertical=False)
    slogan = set_verse(card, reading_verse(theme, vertical=False), size)
    rule_y = top + slogan.depth + GAP
    explanation = _explanation(card, theme, inner.w, inner.bottom - rule_y - GAP, vertical=False,
                               size=explanation_size)
    return [_frame(theme, style.colours["frame"]), *badge,
            *slogan.place(inner.x, top, style.colours["slogan"]),
            Line(inner.x, rule_y, inner.right, rule_y, style.colours["frame"], RULE_WIDTH),
            *explanation.place(inner.x, rule_y + GAP, style.colours["explanation"])]


def _reading_vertical(card: Card, theme: Theme, size: float, explanation_size: float) -> list[Item]:
    """The same parts in vertical writing: badge top-right, slogan columns on the right, a
    rule, the explanation's columns to the left, all columns starting below the badge."""
    style = theme.karuta
    inner = _safe_area(theme)
    badge, _ = _corner_badge(card, theme, "reading_kana", right=True)
    top, length, _ = _slogan_room(theme, vertical=True)
    slogan = set_verse(card, reading_verse(theme, vertical=True), size)
    rule_x = inner.right - slogan.depth - GAP
    explanation = _explanation(card, theme, length, rule_x - GAP - inner.x, vertical=True, size=explanation_size)
    return [_frame(theme, style.colours["frame"]), *badge,
            *slogan.place(inner.right, top, style.colours["slogan"]),
            Line(rule_x, top, rule_x, inner.bottom, style.colours["frame"], RULE_WIDTH),
            *place_columns(explanation, rule_x - GAP, top, style.colours["explanation"])]


def _explanation(card: Card, theme: Theme, measure: float, depth: float, *, vertical: bool,
                 size: float | None = None) -> Block:
    """The explanation at `size` exactly, or without one at the largest size (down to the theme's
    smallest) at which it fits."""
    design = theme.karuta.sizes["explanation"]
    body = face(theme.fonts["body"])
    with located(where_of(card, "explanation"), f"card '{card.kana}' explanation"):
        return _set_explanation(card.explanation, _column_face(body) if vertical else body, size or design, measure,
                                theme.text.line_height, theme.text.hanging_allowance, depth,
                                size or design * theme.text.min_size_ratio)


@lru_cache(maxsize=1024)
def _set_explanation(text: str, font: Face | ColumnFace, size: float, measure: float, line_height: float,
                     hang: float, depth: float, min_size: float) -> Block:
    """set_text, memoised: the deck's explanation size is found by setting every explanation, and
    the cards are then laid out with the blocks set at that size."""
    return set_text(text, font, size, measure, line_height=line_height, hang=hang, max_height=depth,
                    min_size=min_size)


@lru_cache(maxsize=None)
def _column_face(body: Face) -> ColumnFace:
    return ColumnFace(body)
