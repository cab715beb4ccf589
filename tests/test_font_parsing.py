"""Our fast reading of a TrueType file gives reportlab exactly the tables its own reader makes
(the PDF's width arrays and glyph subsets are built from them), and the ink boxes the cards
centre their kana on are those of the glyphs' outlines."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase.ttfonts import TTFontFace

from conftest import ROOT

from builder.text.fontfile import FastTTFontFace
from builder.text.fonts import face

FONTS = sorted((ROOT / "fonts").glob("*.ttf"))


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.name)
def test_the_fast_face_holds_what_reportlab_reads(path: Path):
    ours, theirs = vars(FastTTFontFace(str(path))), vars(TTFontFace(str(path)))
    assert ours.keys() == theirs.keys()
    for name in theirs.keys() - {"_pdfScale", "_pos"}:
        assert ours[name] == theirs[name], name
        assert type(ours[name]) is type(theirs[name]), name
    for table in ("charToGlyph", "glyphToChar", "charWidths"):  # the same order too
        assert list(ours[table].items()) == list(theirs[table].items()), table
    assert [tuple(map(type, m)) for m in ours["hmetrics"]] == [tuple(map(type, m)) for m in theirs["hmetrics"]]


def test_both_cmap_formats_are_read_fast():
    """The shipped faces use the two formats the fast reader knows (a 4 and a 12), so the test
    above compares the fast path and not reportlab's own fallback."""
    formats = set()
    for path in FONTS:
        tables = FontToolsFont(str(path), lazy=True)["cmap"].tables
        chosen = [t for t in tables if t.platformID == 3 or (t.platformID == 0 and t.platEncID != 5)][-1]
        formats.add(chosen.format)
    assert formats == {4, 12}


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.name)
def test_glyph_boxes_are_the_outlines_bounds(path: Path):
    outlines = FontToolsFont(str(path), lazy=True)
    glyf, cmap, units = outlines["glyf"], outlines.getBestCmap(), outlines["head"].unitsPerEm
    chars = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん" + "A1%、。 "
    for char in chars:
        glyph = glyf[cmap[ord(char)]]
        glyph.recalcBounds(glyf)
        box = face(path).glyph_box(char)
        expected = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) if glyph.numberOfContours else (0, 0, 0, 0)
        assert (box.x_min, box.y_min, box.x_max, box.y_max) == tuple(v / units for v in expected), char
