"""Social-media images: the picture card beside (or above) its slogan and explanation.

The page takes the preset's aspect exactly, so rendering it `width_px` wide gives the preset's
pixels. Its size in mm is derived from the card, which keeps its own size: the picture face is
reused as laid out (with bleed=0 and rounded corners), and only the page grows around it, to the
smallest size that leaves the words enough room. Wide presets put the card on the left, tall
ones on top; neither is a stretched copy of the other.
"""

from __future__ import annotations

from pathlib import Path

from builder.errors import Where
from builder.layout.card import SLOGAN_LEADING, Area, CardFaces, trimmed, where_of
from builder.layout.geometry import Item, Page, Rect
from builder.layout.textblock import located, set_text
from builder.model.deck import Card
from builder.model.theme import Theme
from builder.text.fonts import face

PAD = 7.0  # mm around and between the card and the words
GAP = 4.0  # mm above and below the bar between slogan and explanation
TEXT_BESIDE = 1.0  # beside the card, the words get at least this many card widths
TEXT_BELOW = 0.55  # below the card, at least this many card heights
SLOGAN_SCALE = 1.8  # sizes relative to the reading card's: a screen is seen at arm's length
EXPLANATION_SCALE = 1.35
CREDIT_SCALE = 1.1
SLOGAN_SHARE = 0.4  # at most this share of the words' height goes to the slogan
ACCENT_BAR = (12.0, 0.9)  # mm, the short brand bar between slogan and explanation


def social_page(card: Card, faces: CardFaces, theme: Theme, preset: str) -> Page:
    """The card's image for `preset` (a key of theme.karuta.social.presets); `faces` laid out
    with layout_card(card, theme, bleed=0, rounded=True)."""
    presets = theme.karuta.social.presets
    if preset not in presets:
        raise ValueError(f"unknown social preset '{preset}'; the theme has {', '.join(presets)}")
    px_w, px_h = presets[preset]
    picture = trimmed(faces.picture)
    if px_w >= px_h:
        page, words = _beside(picture, px_w / px_h)
    else:
        page, words = _below(picture, px_w / px_h)
    page.items.insert(0, Rect(0, 0, page.width, page.height, fill=theme.karuta.social.background))
    page.add(*_words(card, theme, words))
    return page


def _beside(picture: Page, aspect: float) -> tuple[Page, Area]:
    """Card on the left, vertically centred; the words on the right."""
    height = max(picture.height + 2 * PAD, (picture.width * (1 + TEXT_BESIDE) + 3 * PAD) / aspect)
    page = Page(height * aspect, height)
    page.extend(picture.items, PAD, (height - picture.height) / 2)
    left = picture.width + 2 * PAD
    return page, Area(left, PAD, page.width - left - PAD, height - 2 * PAD)


def _below(picture: Page, aspect: float) -> tuple[Page, Area]:
    """Card on top, horizontally centred; the words below across the page."""
    height = max(picture.height * (1 + TEXT_BELOW) + 3 * PAD, (picture.width * (1 + TEXT_BESIDE) + 2 * PAD) / aspect)
    page = Page(height * aspect, height)
    page.extend(picture.items, (page.width - picture.width) / 2, PAD)
    top = picture.height + 2 * PAD
    return page, Area(PAD, top, page.width - 2 * PAD, height - top - PAD)


def _words(card: Card, theme: Theme, box: Area) -> list[Item]:
    """Slogan, a short bar, the explanation and the credit line, centred in the box together."""
    style = theme.karuta
    ratio = theme.text.min_size_ratio
    body, display = face(theme.fonts["body"]), face(theme.fonts["display"])
    with located(style.where or Where(Path("theme.yaml")), "karuta social credit"):
        credit = set_text(style.social.credit, body, style.sizes["explanation"] * CREDIT_SCALE, box.w,
                          line_height=theme.text.line_height, max_lines=1,
                          min_size=style.sizes["explanation"] * ratio)
    room = box.h - credit.height - PAD  # for slogan, bar and explanation, at most
    with located(where_of(card, "slogan"), f"card '{card.kana}' slogan"):
        size = style.sizes["slogan"] * SLOGAN_SCALE
        slogan = set_text(card.slogan, display, size, box.w, line_height=SLOGAN_LEADING,
                          hang=theme.text.hanging_allowance, max_height=SLOGAN_SHARE * room, min_size=size * ratio,
                          phrases=True)
    with located(where_of(card, "explanation"), f"card '{card.kana}' explanation"):
        size = style.sizes["explanation"] * EXPLANATION_SCALE
        explanation = set_text(card.explanation, body, size, box.w, line_height=theme.text.line_height,
                               hang=theme.text.hanging_allowance, max_height=room - slogan.height - 2 * GAP,
                               min_size=size * ratio)
    bar_w, bar_h = ACCENT_BAR
    words = slogan.height + 2 * GAP + explanation.height
    top = box.y + (box.h - words - PAD - credit.height) / 2
    bar_y = top + slogan.height + GAP - bar_h / 2
    return [*slogan.place(box.x, top, style.colours["slogan"]),
            Rect(box.x, bar_y, bar_w, bar_h, fill=style.colours["frame"], radius=bar_h / 2),
            *explanation.place(box.x, top + slogan.height + 2 * GAP, style.colours["explanation"]),
            *credit.place(box.x, top + words + PAD, style.colours["frame"])]
