"""Our fast reading of a TrueType file gives reportlab exactly the tables its own reader makes
(the PDF's width arrays and glyph subsets are built from them), and the ink boxes the cards
centre their kana on are those of the glyphs' outlines."""

from __future__ import annotations

import hashlib
import marshal
import struct
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase.ttfonts import TTFontFace

from conftest import ROOT

from builder.text.fontfile import FastTTFontFace
from builder.text.fonts import face

FONTS = sorted((ROOT / "fonts").glob("*.ttf"))


def _patched(tmp_path: Path, name: str, table: str, offset: int, value: int) -> Path:
    """MTLmr3m with one unsigned short of `table` changed (the fast path's rarer branches)."""
    data = bytearray((ROOT / "fonts" / "MTLmr3m.ttf").read_bytes())
    start = TTFontFace(str(ROOT / "fonts" / "MTLmr3m.ttf")).get_table_pos(table)[0]
    data[start + offset:start + offset + 2] = struct.pack(">H", value)
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(params=["shipped", "1000 units per em", "more metrics than glyphs"])
def fonts(request, tmp_path: Path) -> list[Path]:
    if request.param == "shipped":
        return FONTS
    if request.param == "1000 units per em":  # widths taken as they are, not scaled
        return [_patched(tmp_path, "em1000.ttf", "head", 18, 1000)]
    return [_patched(tmp_path, "fewer.ttf", "maxp", 4, 7590)]  # hhea lists 7,600 pairs for 7,590 glyphs


def test_the_fast_face_holds_what_reportlab_reads(fonts: list[Path]):
    for path in fonts:
        _same_tables(path)


def _same_tables(path: Path) -> None:
    """Every table reportlab reads after parsing, value for value and of the same types; the
    glyph -> characters table is read only by reportlab's own parser, and is not made."""
    ours, theirs = vars(FastTTFontFace(str(path))), vars(TTFontFace(str(path)))
    assert ours.keys() == theirs.keys() - {"glyphToChar"}
    for name in theirs.keys() - {"_pdfScale", "_pos", "glyphToChar", "hmetrics"}:
        assert ours[name] == theirs[name], name
        assert type(ours[name]) is type(theirs[name]), name
    for table in ("charToGlyph", "charWidths"):
        assert [(k, type(v)) for k, v in sorted(ours[table].items())] == \
            [(k, type(v)) for k, v in sorted(theirs[table].items())], table
    metrics = ours["hmetrics"]  # looked up by glyph, as reportlab's subsetter does
    assert len(metrics) == len(theirs["hmetrics"])
    assert [metrics[g] for g in range(len(metrics))] == theirs["hmetrics"]
    assert [tuple(map(type, metrics[g])) for g in range(len(metrics))] == [tuple(map(type, m)) for m in theirs["hmetrics"]]
    with pytest.raises(IndexError):
        metrics[len(metrics)]


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


def test_a_build_keeps_the_parsed_maps_by_the_font_hash_and_the_next_loads_them(tmp_path: Path, monkeypatch):
    """The character map and widths are stored under the font file's SHA-256, loaded by the next
    parse instead of made again (they must still be reportlab's), and made again when damaged."""
    from builder.text import fonts

    monkeypatch.setattr(fonts, "_tables", [])
    fonts.keep_tables_in(tmp_path)
    path = ROOT / "fonts" / "MTLmr3m.ttf"
    theirs = TTFontFace(str(path))
    fonts._parsed("made", path)
    stored = list(tmp_path.iterdir())
    assert [p.name.split("-")[0] for p in stored] == [hashlib.sha256(path.read_bytes()).hexdigest()]

    def made_again(*args):
        raise AssertionError("the character map was made again instead of loaded")

    with monkeypatch.context() as patch:
        patch.setattr(FastTTFontFace, "_maps_of", made_again)
        loaded = fonts._parsed("loaded", path).face
    assert (loaded.charToGlyph, loaded.charWidths) == (theirs.charToGlyph, theirs.charWidths)
    for damage in (stored[0].read_bytes()[:1000], b"not marshal", marshal.dumps(("a", "b"))):
        stored[0].write_bytes(damage)
        again = fonts._parsed("again", path).face
        assert (again.charToGlyph, again.charWidths) == (theirs.charToGlyph, theirs.charWidths)


def test_a_build_keeps_them_in_its_cache_folder(built: Path):
    """Where a build keeps them: output/.cache/fonts, one file per face the theme names (the
    shipped theme names all four shipped faces)."""
    kept = {p.name.split("-")[0] for p in (built / "output" / ".cache" / "fonts").iterdir()}
    assert kept == {hashlib.sha256(path.read_bytes()).hexdigest() for path in FONTS}
