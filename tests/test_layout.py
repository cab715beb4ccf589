"""Geometry, without rendering: every line of text stays inside its box (card safe area, page
margins), and vertical writing turns the characters it must."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import ROOT

from builder.content.deck import load_deck
from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.layout.card import layout_card
from builder.layout.geometry import Page, Text
from builder.layout.newsletter import layout_newsletter
from builder.layout.vertical import CORNER, SMALL_KANA
from builder.paths import find_project
from builder.text.fonts import PT_TO_MM, face, font_files

PROJECT = find_project(ROOT)
THEME = load_theme(PROJECT)
DECK = load_deck(PROJECT, THEME)
FACES = {name: face(path) for name, path in font_files(THEME.fonts).items()}
EPSILON = 0.05  # mm


def _extent(item: Text) -> tuple[float, float, float, float]:
    """The em box of an upright line: left, top, right, bottom in mm."""
    font = FACES[item.font]
    em = item.size * PT_TO_MM
    return (item.x, item.y - font.ascent * em, item.x + font.width(item.text, item.size),
            item.y + font.descent * em)


def _outside(page: Page, box: tuple[float, float, float, float], moved: frozenset = frozenset()) -> list[str]:
    """Upright lines whose em box leaves `box`; `moved` characters are set off their em box
    on purpose (vertical 、。 and small kana sit in a corner of their cell) and are skipped."""
    x0, y0, x1, y1 = box
    bad = []
    for item in page.items:
        if isinstance(item, Text) and not item.rotate and item.text.strip() and item.text not in moved:
            left, top, right, bottom = _extent(item)
            if left < x0 - EPSILON or right > x1 + EPSILON or top < y0 - EPSILON or bottom > y1 + EPSILON:
                bad.append(item.text)
    return bad


@pytest.mark.parametrize("vertical", [False, True])
def test_card_text_stays_inside_the_safe_area(vertical: bool):
    margin = THEME.karuta.safe_margin
    box = (margin, margin, THEME.karuta.card_width - margin, THEME.karuta.card_height - margin)
    for card in DECK.cards:
        faces = layout_card(card, THEME, vertical=vertical, bleed=0)
        moved = CORNER | SMALL_KANA if vertical else frozenset()
        for page in (faces.picture, faces.reading):
            assert not _outside(page, box, moved), (card.kana, _outside(page, box, moved))


def test_newsletter_text_stays_inside_the_page_margins():
    doc = load_newsletter(PROJECT, THEME)
    style = THEME.newsletter
    margin = style.margin
    for number, page in enumerate(layout_newsletter(doc, THEME, bleed=False), 1):
        side = min(margin["inner"], margin["outer"])
        box = (side, margin["top"] - 8, style.paper.width - side, style.paper.height - margin["bottom"] + 8)
        assert not _outside(page, box), (number, _outside(page, box)[:5])


def test_vertical_writing_turns_long_vowel_marks_and_brackets():
    card = next(c for c in DECK.cards if "ー" in c.explanation or "「" in c.explanation)
    reading = layout_card(card, THEME, vertical=True, bleed=0).reading
    turned = {item.text for item in reading.items if isinstance(item, Text) and item.rotate}
    assert turned & {"ー", "「", "」"}, turned
    upright = [item for item in reading.items if isinstance(item, Text) and not item.rotate]
    assert all(len(item.text) <= 2 for item in upright)  # one character per cell (or a short number)


@pytest.mark.parametrize("size", [(63, 88), (70, 100), (100, 70), (45, 64)])
def test_other_card_sizes_lay_out_without_overflow(size):
    width, height = size
    theme = replace(THEME, karuta=replace(THEME.karuta, card_width=width, card_height=height))
    margin = theme.karuta.safe_margin
    box = (margin, margin, width - margin, height - margin)
    for card in DECK.cards:
        for vertical in (False, True):
            faces = layout_card(card, theme, vertical=vertical, bleed=0)
            moved = CORNER | SMALL_KANA if vertical else frozenset()
            for page in (faces.picture, faces.reading):
                assert (page.width, page.height) == (width, height)
                assert not _outside(page, box, moved), (size, card.kana, _outside(page, box, moved))


def test_chart_palette_reads_in_grayscale_and_holds_labels():
    """Lightness rises along the palette (neighbours differ even in grayscale) and every colour
    carries ink or paper text at 4.5:1, so labels can sit on any segment."""
    from builder.layout.charts import contrast, luminance

    palette = THEME.newsletter.chart_palette
    ink, paper = THEME.newsletter.colours["body"], THEME.newsletter.colours["paper"]
    lightness = [luminance(c) for c in palette]
    assert lightness == sorted(lightness)
    for a, b in zip(palette, palette[1:]):
        assert contrast(a, b) >= 1.3, (a.name, b.name)
    for colour in palette:
        assert max(contrast(colour, ink), contrast(colour, paper)) >= 4.5, colour.name
