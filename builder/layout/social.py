"""Social-media images, made as a series: the picture card beside (or above) its words.

The page takes the preset's aspect exactly, so rendering it `width_px` wide gives the preset's
pixels. Its size in mm is derived from the card, which keeps its own size: the picture face is
reused as laid out (with bleed=0 and rounded corners), and only the page grows around it, to the
smallest size that leaves the words enough room. Wide presets put the card on the left, tall
ones on top; neither is a stretched copy of the other.

Every image of a preset puts its words in the same places, so that a feed of them reads as one
series: the counter (「1/46」) at the top of the words, the slogan below it one phrase a line at
the one size of the whole deck, the explanation from a fixed line, the brand line at the foot.
Hashtags go in the post's caption, not in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import Where
from builder.layout.card import Area, CardFaces, reading_verse, trimmed, where_of
from builder.layout.geometry import Item, Page, Rect
from builder.layout.textblock import Block, located, set_text
from builder.layout.verse import VerseStyle, fit_size, set_verse
from builder.model.deck import Card
from builder.model.theme import Theme
from builder.text.fonts import face

PAD = 7.0  # mm around and between the card and the words
GAP = 4.0  # mm above and below the bar between slogan and explanation
TEXT_BESIDE = 1.0  # beside the card, the words get at least this many card widths
TEXT_BELOW = 0.55  # below the card, at least this many card heights
SLOGAN_SCALE = 2.0  # largest slogan size relative to the reading card's: a screen is seen at arm's length
EXPLANATION_SCALE = 1.35  # beside the card
EXPLANATION_SCALE_BELOW = 1.6  # across a tall image, under the card: longer lines, so larger
LINE_SCALE = 1.1  # counter and brand line, relative to the reading card's explanation size
SLOGAN_SHARE = 0.55  # at most this share of the words' height goes to the slogan (with its ruby)
ACCENT_BAR = (12.0, 0.9)  # mm, the short brand bar between slogan and explanation


@dataclass(frozen=True)
class _Frame:
    """Where a preset's image puts the card and its words: the counter and the slogan in
    `head`, the explanation and the brand line in `body`. Beside the card the two are one box
    and the explanation follows the slogan; on tall images the slogan stands beside the card
    and the explanation runs under both."""

    page: Page
    picture_at: tuple[float, float]
    head: Area
    body: Area

    @property
    def stacked(self) -> bool:
        return self.head == self.body


def social_page(card: Card, faces: CardFaces | Page, theme: Theme, preset: str, *, number: int = 0, total: int = 0,
                slogan_size: float | None = None) -> Page:
    """The card's image for `preset` (a key of theme.karuta.social.presets); `faces` laid out
    with layout_card(card, theme, bleed=0, rounded=True), or only the picture face (layout_picture
    with the same options). `number` of `total` is the series counter (none if total is 0); a
    deck passes its `social_slogan_size` for the preset."""
    picture = trimmed(faces.picture if isinstance(faces, CardFaces) else faces)
    frame = _frame(theme, preset)
    page = Page(frame.page.width, frame.page.height)
    page.add(Rect(0, 0, page.width, page.height, fill=theme.karuta.social.background))
    page.extend(picture.items, *frame.picture_at)
    if slogan_size is None:
        slogan_size = social_slogan_size([card], theme, preset)
    page.add(*_words(card, theme, frame, slogan_size, f"{number}/{total}" if total else ""))
    return page


def social_slogan_size(cards: list[Card] | tuple[Card, ...], theme: Theme, preset: str) -> float:
    """The one slogan size of a preset's images: the largest, up to SLOGAN_SCALE times the
    reading card's, at which every phrase of every card fits the words' width."""
    frame = _frame(theme, preset)
    line = _line_block(theme, "0/0", frame.head).height + GAP
    if frame.stacked:
        depth = SLOGAN_SHARE * (frame.head.h - 2 * line)
    else:
        depth = frame.head.h - line
    largest = theme.karuta.sizes["slogan"] * SLOGAN_SCALE
    return fit_size(cards, _verse_style(theme), frame.head.w, depth, largest,
                    largest * theme.text.min_size_ratio, where_of, f"the {preset} images")


def _verse_style(theme: Theme) -> VerseStyle:
    """As on the reading cards: the slogan in the bold face with ruby over its kanji (so that a
    post is read right, 共連れ as ともづれ), one phrase a line."""
    return reading_verse(theme, vertical=False)


def _frame(theme: Theme, preset: str) -> _Frame:
    presets = theme.karuta.social.presets
    if preset not in presets:
        raise ValueError(f"unknown social preset '{preset}'; the theme has {', '.join(presets)}")
    px_w, px_h = presets[preset]
    style = theme.karuta
    return (_beside if px_w >= px_h else _below)(style.card_width, style.card_height, px_w / px_h)


def _beside(card_w: float, card_h: float, aspect: float) -> _Frame:
    """Card on the left, vertically centred; the words on the right."""
    height = max(card_h + 2 * PAD, (card_w * (1 + TEXT_BESIDE) + 3 * PAD) / aspect)
    page = Page(height * aspect, height)
    left = card_w + 2 * PAD
    words = Area(left, PAD, page.width - left - PAD, height - 2 * PAD)
    return _Frame(page, (PAD, (height - card_h) / 2), words, words)


def _below(card_w: float, card_h: float, aspect: float) -> _Frame:
    """Card top left with the slogan beside it; the explanation across the page below."""
    height = max(card_h * (1 + TEXT_BELOW) + 3 * PAD, (card_w * (1 + TEXT_BESIDE) + 3 * PAD) / aspect)
    page = Page(height * aspect, height)
    left, top = card_w + 2 * PAD, card_h + 2 * PAD
    return _Frame(page, (PAD, PAD), Area(left, PAD, page.width - left - PAD, card_h),
                  Area(PAD, top, page.width - 2 * PAD, height - top - PAD))


def _line_block(theme: Theme, text: str, box: Area) -> Block:
    """The counter or the brand line: one line in the bold face."""
    style = theme.karuta
    size = style.sizes["explanation"] * LINE_SCALE
    with located(style.where or Where(Path("theme.yaml")), "karuta social brand"):
        return set_text(text, face(theme.fonts["bold"]), size, box.w, line_height=theme.text.line_height,
                        max_lines=1, min_size=size * theme.text.min_size_ratio)


def _words(card: Card, theme: Theme, frame: _Frame, slogan_size: float, counter: str) -> list[Item]:
    """Counter and slogan from the top of the head; a short bar, the explanation and, at the
    foot, the brand line in the body. Only the explanation's length varies from card to card,
    and it comes last, so everything else stands in the same place on every image."""
    style = theme.karuta
    ratio = theme.text.min_size_ratio
    head, body = frame.head, frame.body
    count = _line_block(theme, counter or " ", head)
    brand = _line_block(theme, style.social.brand, body)
    slogan = set_verse(card, _verse_style(theme), slogan_size)
    slogan_top = head.y + count.height + GAP
    bar_w, bar_h = ACCENT_BAR
    bar_y = slogan_top + slogan.depth + GAP if frame.stacked else body.y
    text_top = bar_y + bar_h + GAP
    brand_top = body.bottom - brand.height
    with located(where_of(card, "explanation"), f"card '{card.kana}' explanation"):
        size = style.sizes["explanation"] * (EXPLANATION_SCALE if frame.stacked else EXPLANATION_SCALE_BELOW)
        explanation = set_text(card.explanation, face(theme.fonts["body"]), size, body.w,
                               line_height=theme.text.line_height, hang=theme.text.hanging_allowance,
                               max_height=brand_top - GAP - text_top, min_size=size * ratio)
    items: list[Item] = [*slogan.place(head.x, slogan_top, style.colours["slogan"]),
                         Rect(body.x, bar_y, bar_w, bar_h, fill=style.colours["frame"], radius=bar_h / 2),
                         *explanation.place(body.x, text_top, style.colours["explanation"]),
                         *brand.place(body.x, brand_top, style.colours["frame"])]
    if counter:
        items += count.place(head.x, head.y, style.colours["frame"])
    return items
