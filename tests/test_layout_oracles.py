"""Layout rules checked against print conventions written here, not against the code's constants:
the newsletter's text inside the type area the theme's margins leave (no slack) and never on top
of other text; in vertical writing every bracket and long-vowel mark turned (JLREQ), each one."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT, safe_load
from jlreq import TURNED_IN_VERTICAL

from builder.content.deck import load_deck
from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.layout.card import layout_card
from builder.layout.geometry import Text
from builder.layout.newsletter import layout_newsletter
from builder.paths import find_project
from builder.text.fonts import PT_TO_MM, face, font_files

PROJECT = find_project(ROOT)
THEME = load_theme(PROJECT)
DECK = load_deck(PROJECT, THEME)
FACES = {name: face(path) for name, path in font_files(THEME.fonts).items()}
THEME_YAML = safe_load((ROOT / "content" / "theme.yaml").read_text(encoding="utf-8"))
PAPER = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "Letter": (215.9, 279.4)}  # mm, ISO 216 / ANSI
EPSILON = 0.05  # mm


def _box(item: Text) -> tuple[float, float, float, float]:
    font = FACES[item.font]
    em = item.size * PT_TO_MM
    advance = font.width(item.text, item.size) + item.spacing * len(item.text)  # justified runs: PDF Tc per glyph
    return item.x, item.y - font.ascent * em, item.x + advance, item.y + font.descent * em


def _lines(page) -> list[Text]:
    """Lines of text."""
    return [i for i in page.items if isinstance(i, Text) and not i.rotate and i.text.strip()]


@pytest.fixture(scope="module")
def pages():
    return layout_newsletter(load_newsletter(PROJECT, THEME), THEME, bleed=False)


def test_newsletter_text_stays_in_the_type_area_without_slack(pages):
    """Odd pages are rectos (inner margin on the left), even pages versos."""
    style = THEME_YAML["newsletter"]
    margin = style["margin"]
    width, height = PAPER[style["paper"]]
    for number, page in enumerate(pages, 1):
        left, right = (margin["inner"], margin["outer"]) if number % 2 else (margin["outer"], margin["inner"])
        area = (left, margin["top"], width - right, height - margin["bottom"])
        outside = [(item.text[:12], [round(v, 1) for v in _box(item)]) for item in _lines(page)
                   if not (_box(item)[0] >= area[0] - EPSILON and _box(item)[1] >= area[1] - EPSILON
                           and _box(item)[2] <= area[2] + EPSILON and _box(item)[3] <= area[3] + EPSILON)]
        assert not outside, (number, area, outside[:5])


def test_newsletter_text_never_overprints_text(pages):
    for number, page in enumerate(pages, 1):
        boxes = [(_box(item), item.text) for item in _lines(page)]
        for k, (a, text_a) in enumerate(boxes):
            for b, text_b in boxes[k + 1:]:
                overlap = (min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1]))
                assert not (overlap[0] > EPSILON and overlap[1] > EPSILON), (number, text_a[:15], text_b[:15])


def _turnable(card) -> Counter:
    text = card.slogan + card.explanation  # what the reading card says
    return Counter(c for c in text if c in TURNED_IN_VERTICAL)


def test_vertical_reading_cards_turn_every_bracket_and_long_vowel_mark():
    cards = [card for card in DECK.cards if _turnable(card)]
    assert any("「" in card.explanation for card in cards) and any("ー" in card.explanation for card in cards)
    for card in cards:
        page = layout_card(card, THEME, vertical=True, bleed=0).reading
        texts = [i for i in page.items if isinstance(i, Text)]
        upright = [c for i in texts if not i.rotate for c in i.text if c in TURNED_IN_VERTICAL]
        assert not upright, (card.kana, upright)
        turned = Counter(c for i in texts if i.rotate == 90 for c in i.text if c in TURNED_IN_VERTICAL)
        assert turned == _turnable(card), (card.kana, turned, _turnable(card))


def test_vertical_reading_cards_keep_kana_and_kanji_upright():
    card = DECK.cards[0]
    page = layout_card(card, THEME, vertical=True, bleed=0).reading
    for item in page.items:
        if isinstance(item, Text) and item.rotate:
            assert all(c in TURNED_IN_VERTICAL or c.isascii() for c in item.text), item.text
