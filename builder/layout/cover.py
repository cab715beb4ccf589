"""The gallery's link-preview image (the deck's name over a row of its first picture cards) and
its browser icon (the first card's kana badge).

Like the social images, the page takes the preset's aspect exactly and is sized in mm from the
card, which keeps its own size; the cards are the faces as laid out for screens.
"""

from __future__ import annotations

from pathlib import Path

from builder.errors import Where
from builder.layout.card import KANA_CIRCLE, kana_badge, trimmed
from builder.layout.geometry import Page, Rect
from builder.layout.textblock import located, set_text
from builder.model.deck import Deck
from builder.model.theme import Theme
from builder.text.fonts import PT_TO_MM, face

PAD = 10.0  # mm around the page's content
CARD_GAP = 5.0  # mm between the cards
TITLE_SCALE = 3.0  # sizes relative to the reading card's slogan and explanation: seen as a thumbnail
SUBTITLE_SCALE = 2.0
LINE_GAP = 3.0  # mm between title and subtitle


def layout_cover(deck: Deck, pictures: list[Page], theme: Theme, preset: str) -> Page:
    """`pictures`: picture faces laid out with layout_card(card, theme, bleed=0, rounded=True)."""
    px_w, px_h = theme.karuta.social.presets[preset]
    style = theme.karuta
    cards = [trimmed(p) for p in pictures]
    row = sum(p.width for p in cards) + CARD_GAP * (len(cards) - 1)
    width = row + 2 * PAD
    page = Page(width, width * px_h / px_w)
    page.add(Rect(0, 0, page.width, page.height, fill=style.social.background))
    where = style.where or Where(Path("theme.yaml"))
    box = page.height - style.card_height - 3 * PAD  # above the cards
    with located(deck.play_sheet.where or where, "deck title"):
        size = style.sizes["slogan"] * TITLE_SCALE
        title = set_text(deck.title, face(theme.fonts["display"]), size, row, line_height=1.2, max_lines=1,
                         min_size=size * theme.text.min_size_ratio, max_height=box / 2)
        size = style.sizes["explanation"] * SUBTITLE_SCALE
        subtitle = set_text(deck.subtitle, face(theme.fonts["bold"]), size, row, line_height=1.3, max_lines=2,
                            min_size=size * theme.text.min_size_ratio, max_height=box / 2 - LINE_GAP)
    top = PAD + (box - title.height - LINE_GAP - subtitle.height) / 2
    page.add(*title.place(PAD, top, style.colours["frame"], align="center", width=row))
    page.add(*subtitle.place(PAD, top + title.height + LINE_GAP, style.colours["slogan"], align="center", width=row))
    x = PAD
    for card in cards:
        page.extend(card.items, x, page.height - PAD - card.height)
        x += card.width + CARD_GAP
    return page


def layout_icon(deck: Deck, theme: Theme) -> Page:
    """A square page holding the first card's kana in its ring, as on the picture cards."""
    size = theme.karuta.sizes["kana"]
    radius = KANA_CIRCLE * size * PT_TO_MM
    side = 2 * radius * 1.08  # room for the ring's stroke
    page = Page(side, side)
    page.add(*kana_badge(deck.cards[0].kana, theme, size, side / 2, side / 2))
    return page
