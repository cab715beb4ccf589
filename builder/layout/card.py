"""Card faces: the picture card (取り札) and the reading card (読み札) (backs: layout.back).

A face is laid out once, in millimetres, as a Page whose trim box is the card and whose bleed
box is the whole page; the PDF and the PNG are two paintings of it. Sizes, colours and margins
come from theme.karuta; the constants below are proportions of those, in em or mm.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.geometry import Circle, Item, Line, Page, Rect, Text
from builder.layout.textblock import Block, located, set_text
from builder.layout.verse import VerseStyle, fit_size, set_verse
from builder.layout.vertical import ColumnFace, place_columns
from builder.model.deck import Card
from builder.model.theme import Colour, Theme
from builder.text.fonts import PT_TO_MM, Face, face

MIN_ICON_SHARE = 0.3  # below this share of its theme size the icon is too small to read
FRAME_INSET = 1.6  # mm inside the trim: a rounded frame, friendlier than a bare edge
FRAME_WIDTH = 0.45  # mm
RING_WIDTH = 0.5  # mm, the outline of the kana and accent circles
KANA_CIRCLE = 0.74  # circle radius in em of the kana
GAP = 2.0  # mm between the parts of a face
KEYWORD_PAD = 0.6  # em of padding left and right of the keyword in its label
KEYWORD_LABEL = 1.55  # label height in em of the keyword
ACCENT_CIRCLE = 0.62  # accent circle radius in em of the accent icon
ACCENT_OVERLAP = 0.45  # share of the accent circle's radius that lies inside the main icon's box
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
                rounded: bool = False, slogan_size: float | None = None) -> CardFaces:
    """Both faces of a card. `bleed` defaults to the theme's (office sheets abut cards and
    pass 0); `rounded` rounds the corners for screen images, which have no bleed; a deck passes
    its `reading_slogan_size`, so that every card's slogan has the same size."""
    style = theme.karuta
    bleed = style.bleed if bleed is None else bleed
    if slogan_size is None:
        slogan_size = reading_slogan_size([card], theme, vertical=vertical)
    picture = _face_page(theme, card.illustration.background, _picture(card, theme), bleed, rounded)
    reading_items = (_reading_vertical if vertical else _reading)(card, theme, slogan_size)
    reading = _face_page(theme, style.colours["reading_back"], reading_items, bleed, rounded)
    return CardFaces(picture, reading)


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


def _picture(card: Card, theme: Theme) -> list[Item]:
    style = theme.karuta
    inner = _safe_area(theme)
    badge, badge_bottom = _corner_badge(card, theme, "kana", right=False)
    keyword, label_top = _keyword(card, theme, inner)
    icon_top = (inner.y + badge_bottom) / 2  # the icon may pass beside the badge's lower half
    icons = _icons(card, theme, Area(inner.x, icon_top, inner.w, label_top - GAP - icon_top))
    return [_frame(theme, style.colours["frame"]), *icons, *badge, *keyword]


def _keyword(card: Card, theme: Theme, inner: Area) -> tuple[list[Item], float]:
    """The keyword on a paper-coloured label at the bottom; also the label's top edge."""
    style = theme.karuta
    size = style.sizes["keyword"]
    display = face(theme.fonts["display"])
    with located(where_of(card, "keyword"), f"card '{card.kana}' keyword"):
        block = set_text(card.keyword, display, size, inner.w - 2 * KEYWORD_PAD * size * PT_TO_MM,
                         line_height=1.0, max_lines=1, min_size=size * theme.text.min_size_ratio)
    em = block.size * PT_TO_MM
    label_w = block.width() + 2 * KEYWORD_PAD * em
    label_h = KEYWORD_LABEL * em
    top = inner.bottom - label_h
    label = Rect(inner.x + (inner.w - label_w) / 2, top, label_w, label_h, fill=style.colours["kana_back"],
                 radius=label_h / 2)
    text = block.place(label.x, top + (label_h - block.height) / 2, style.colours["keyword"], align="center",
                       width=label_w)
    return [label, *text], top


def _icons(card: Card, theme: Theme, area: Area) -> list[Item]:
    """The main icon as large as the theme asks (smaller if the area is short), with the accent
    icon on a paper circle overlapping its lower-right corner; the pair is centred in `area`."""
    style = theme.karuta
    ill = card.illustration
    icons = face(theme.fonts["icons"])
    with located(where_of(card, "illustration"), f"card '{card.kana}' icon"):
        icons.check(ill.icon_char + ill.accent_char)
    main = icons.glyph_box(ill.icon_char)
    main_w, main_h = main.x_max - main.x_min, main.y_max - main.y_min  # em

    def extent(size: float, accent_size: float) -> tuple[float, float, float]:
        """Width and height of the pair, and the accent circle's radius, in mm."""
        em, r = size * PT_TO_MM, ACCENT_CIRCLE * accent_size * PT_TO_MM
        overhang = (1 - ACCENT_OVERLAP) * r
        return main_w * em + overhang, main_h * em + overhang, r

    size, accent_size = style.sizes["icon"], style.sizes["accent_icon"]
    width, height, _ = extent(size, accent_size)
    shrink = min(1.0, area.w / width, area.h / height)
    if shrink < MIN_ICON_SHARE:
        raise ContentError(style.where or Where(Path("theme.yaml")),
                           "karuta: the kana badge and keyword leave the picture card no room for its icon; "
                           "make sizes kana or keyword smaller, or the card larger")
    size, accent_size = size * shrink, accent_size * shrink
    width, height, r = extent(size, accent_size)
    em = size * PT_TO_MM
    left, top = area.x + (area.w - width) / 2, area.y + (area.h - height) / 2
    cx, cy = left + main_w * em / 2, top + main_h * em / 2
    ax, ay = left + main_w * em - ACCENT_OVERLAP * r, top + main_h * em - ACCENT_OVERLAP * r
    return [centred_glyph(ill.icon_char, icons, size, cx, cy, style.colours["icon"]),
            Circle(ax, ay, r, fill=style.colours["kana_back"], stroke=ill.accent_colour, stroke_width=RING_WIDTH),
            centred_glyph(ill.accent_char, icons, accent_size, ax, ay, ill.accent_colour)]


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


def _reading(card: Card, theme: Theme, size: float) -> list[Item]:
    """Kana badge, the slogan one phrase a line with ruby, a rule, the explanation below."""
    style = theme.karuta
    inner = _safe_area(theme)
    badge, _ = _corner_badge(card, theme, "reading_kana", right=False)
    top, _, _ = _slogan_room(theme, vertical=False)
    slogan = set_verse(card, reading_verse(theme, vertical=False), size)
    rule_y = top + slogan.depth + GAP
    explanation = _explanation(card, theme, inner.w, inner.bottom - rule_y - GAP, vertical=False)
    return [_frame(theme, style.colours["frame"]), *badge,
            *slogan.place(inner.x, top, style.colours["slogan"]),
            Line(inner.x, rule_y, inner.right, rule_y, style.colours["frame"], RULE_WIDTH),
            *explanation.place(inner.x, rule_y + GAP, style.colours["explanation"])]


def _reading_vertical(card: Card, theme: Theme, size: float) -> list[Item]:
    """The same parts in vertical writing: badge top-right, slogan columns on the right, a
    rule, the explanation's columns to the left, all columns starting below the badge."""
    style = theme.karuta
    inner = _safe_area(theme)
    badge, _ = _corner_badge(card, theme, "reading_kana", right=True)
    top, length, _ = _slogan_room(theme, vertical=True)
    slogan = set_verse(card, reading_verse(theme, vertical=True), size)
    rule_x = inner.right - slogan.depth - GAP
    explanation = _explanation(card, theme, length, rule_x - GAP - inner.x, vertical=True)
    return [_frame(theme, style.colours["frame"]), *badge,
            *slogan.place(inner.right, top, style.colours["slogan"]),
            Line(rule_x, top, rule_x, inner.bottom, style.colours["frame"], RULE_WIDTH),
            *place_columns(explanation, rule_x - GAP, top, style.colours["explanation"])]


def _explanation(card: Card, theme: Theme, measure: float, depth: float, *, vertical: bool) -> Block:
    size = theme.karuta.sizes["explanation"]
    body = face(theme.fonts["body"])
    with located(where_of(card, "explanation"), f"card '{card.kana}' explanation"):
        return set_text(card.explanation, ColumnFace(body) if vertical else body, size, measure,
                        line_height=theme.text.line_height, hang=theme.text.hanging_allowance, max_height=depth,
                        min_size=size * theme.text.min_size_ratio)
