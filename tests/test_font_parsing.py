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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace, TTFontFile

import tinyfont
from conftest import ROOT

from builder.text.fontfile import FastTTFont, FastTTFontFace
from builder.text.fonts import PT_TO_MM, Face, GlyphBox, MissingGlyph, face, font_files

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
    own = {"_subsets", "_identity"}  # where our face keeps the subsets it embeds (tests/test_font_subsets.py)
    assert ours.keys() - {"glyphToChar"} - own == theirs.keys() - {"glyphToChar"}  # (reportlab's fallback makes it)
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


def test_scaled_widths_share_one_float_per_advance():
    """A face of 2,048 units per em scales each distinct advance once, so its widths are a few
    shared floats (stored and loaded as such): as many objects as values."""
    widths = FastTTFontFace(str(FONTS[0])).charWidths
    assert len({id(w) for w in widths.values()}) == len(set(widths.values())) < 100


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


def test_the_parsed_maps_are_kept_by_the_font_hash_and_the_next_parse_loads_them(tmp_path: Path, monkeypatch):
    """The character map and widths are stored in the font cache ($XDG_CACHE_HOME/karuta-press/
    fonts) under the font file's SHA-256, loaded by the next parse instead of made again (they
    must still be reportlab's), and made again when damaged."""
    from builder.text import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = ROOT / "fonts" / "MTLmr3m.ttf"
    theirs = TTFontFace(str(path))
    fonts._parsed("made", path)
    stored = list((tmp_path / "karuta-press" / "fonts").iterdir())
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


# ---------------------------------------------------------------- tiny fonts: every branch, fast
# The same comparison with reportlab's own reader, on fonts of seven glyphs made here, so each
# odd corner of the fast reader is reached in milliseconds (the shipped faces reach only the
# common ones, in seconds).

# kana mapped to glyphs out of order: format 4 must use its glyph array (idRangeOffset), not a delta
SHUFFLED = {0x20: "space", 0x41: "A", 0x42: "B", 0x3041: "c", 0x3042: "a", 0x3043: "b", 0x3044: "A",
            0x3045: ".notdef", 0x3046: "B", 0x1F600: "c"}
TINY = {
    "plain": {},
    "2048 units per em, long offsets, four cmaps": dict(upem=2048, long_offsets=True,
                                                        subtables=[(1, 0, 6), (0, 3, 4), (3, 1, 4), (3, 10, 12)]),
    "Mac Roman after Windows is not chosen": dict(subtables=[(3, 1, 4), (1, 0, 6)]),
    "Mac Roman alone: reportlab's own reader": dict(subtables=[(1, 0, 6)]),
    "Mac Roman before Unicode 2.0": dict(subtables=[(1, 0, 6), (0, 4, 12)]),
    "Mac Japanese": dict(subtables=[(1, 1, 4)]),
    "variation sequences after Windows": dict(subtables=[(3, 1, 4), (0, 5, 14)]),
    "Unicode full repertoire 12 alone": dict(subtables=[(0, 4, 12)], chars=SHUFFLED),
    "glyph array in format 4": dict(subtables=[(3, 1, 4)], chars=SHUFFLED),
    "no-break space only": dict(chars={0xA0: "space", 0x41: "A", 0x3042: "a"}),
    "no space at all": dict(chars={0x41: "A", 0x3042: "a", 0x3044: "b"}),
    "every advance different": dict(glyphs={name: (500 + 10 * i, box) for i, (name, (_, box))
                                            in enumerate(tinyfont.GLYPHS.items())}),
}


@pytest.mark.parametrize("options", TINY.values(), ids=TINY.keys())
def test_tiny_fonts_read_as_reportlab_reads_them(tmp_path: Path, options: dict):
    path = tinyfont.build(tmp_path / "tiny.ttf", **options)
    _same_tables(path)


@pytest.mark.parametrize("options", TINY.values(), ids=TINY.keys())
def test_tiny_fonts_take_the_fast_path(tmp_path: Path, options: dict, monkeypatch):
    """Only a cmap format other than 4 and 12 goes to reportlab's slow reader (which gives the
    same tables, so the comparison above cannot tell)."""
    path = tinyfont.build(tmp_path / "tiny.ttf", **options)
    asked = []
    slow = TTFontFile.extractInfo

    def spy(self, charInfo=1):
        asked.append(charInfo)
        return slow(self, charInfo)

    monkeypatch.setattr(TTFontFile, "extractInfo", spy)
    FastTTFontFace(str(path))
    assert asked == ([0, 1] if options.get("subtables") == [(1, 0, 6)] else [0])


def _patch(path: Path, table: str, offset: int, value: int) -> Path:
    data = bytearray(path.read_bytes())
    start = TTFontFace(str(tinyfont.build(path.with_name("plain.ttf")))).get_table_pos(table)[0]
    data[start + offset:start + offset + 2] = struct.pack(">H", value)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("field, value", [("idDelta", 3), ("idRangeOffset", 0x4000)])
def test_glyph_array_with_a_delta_or_pointing_past_the_table(tmp_path: Path, field: str, value: int):
    """Format 4's glyph array: a delta added to what it holds (never to a 0), and offsets past
    the table's end (a broken font: reportlab reads glyph 0 there)."""
    path = tinyfont.build(tmp_path / "tiny.ttf", subtables=[(3, 1, 4)], chars=SHUFFLED)
    data = bytearray(path.read_bytes())
    cmap = TTFontFace(str(path)).get_table_pos("cmap")[0]
    table = cmap + struct.unpack_from(">L", data, cmap + 8)[0]
    seg_x2 = struct.unpack_from(">H", data, table + 6)[0]
    starts = struct.unpack_from(f">{seg_x2 // 2}H", data, table + 16 + seg_x2)
    segment = starts.index(0x3041)
    at = table + 16 + (2 if field == "idDelta" else 3) * seg_x2 + 2 * segment
    assert struct.unpack_from(">H", data, table + 16 + 3 * seg_x2 + 2 * segment)[0] != 0  # a glyph array
    data[at:at + 2] = struct.pack(">H", value)
    path.write_bytes(bytes(data))
    _same_tables(path)
    assert FastTTFontFace(str(path)).charToGlyph[0x3045] == 0


def test_more_metrics_than_glyphs_in_a_tiny_font(tmp_path: Path):
    glyphs = {name: (500 + 10 * i, box) for i, (name, (_, box)) in enumerate(tinyfont.GLYPHS.items())}
    path = tinyfont.build(tmp_path / "tiny.ttf", glyphs=glyphs)
    _same_tables(_patch(path, "maxp", 4, 6))  # seven metric pairs for six glyphs


def test_cmap_count_written_in_the_version_field(tmp_path: Path):
    """cmap header (0, n) written as (n, 0): reportlab swaps them, so must we."""
    path = tinyfont.build(tmp_path / "tiny.ttf")
    count = struct.unpack_from(">H", path.read_bytes(), TTFontFace(str(path)).get_table_pos("cmap")[0] + 2)[0]
    _patch(path, "cmap", 0, count)
    _same_tables(_patch(path, "cmap", 2, 0))


@pytest.mark.parametrize("table, offset, value, words", [
    ("head", 52, 1, "Unknown glyph data format"),
    ("head", 50, 2, "Unknown location table format"),
    ("cmap", 12, 2, "could not find a suitable cmap encoding"),  # the last of two subtables made ISO
])
def test_unusual_tiny_fonts_fail_as_reportlab_fails(tmp_path: Path, table, offset, value, words):
    path = tinyfont.build(tmp_path / "tiny.ttf", subtables=[(2, 1, 4), (3, 1, 4)])
    _patch(path, table, offset, value)
    with pytest.raises(Exception, match=words) as theirs:
        TTFontFace(str(path))
    with pytest.raises(type(theirs.value), match=words):
        FastTTFontFace(str(path))


def test_postscript_outlines_are_refused_as_reportlab_refuses_them(tmp_path: Path):
    path = tinyfont.build(tmp_path / "tiny.otf", cff=True)
    with pytest.raises(Exception, match="postscript outlines are not supported") as theirs:
        TTFontFace(str(path))
    with pytest.raises(type(theirs.value), match="postscript outlines are not supported"):
        FastTTFontFace(str(path))


def test_names_only(tmp_path: Path):
    """extractInfo(0) reads names and metrics only, as reportlab's does (the tables it leaves
    alone are the full parse's, compared above)."""
    path = tinyfont.build(tmp_path / "tiny.ttf")
    ours, theirs = FastTTFontFace(str(path)), TTFontFace(str(path))
    ours.extractInfo(0)
    theirs.extractInfo(0)
    assert ours.charToGlyph is None and ours.charWidths is None and ours.defaultWidth is None
    for name in vars(theirs).keys() - {"_pos", "_pdfScale", "glyphToChar", "hmetrics"}:
        assert getattr(ours, name) == getattr(theirs, name), name


# ---------------------------------------------------------------- Face: what layout asks of a font
@pytest.fixture
def tiny_face(tmp_path: Path, monkeypatch):
    """Faces on tiny fonts, each with a name of its own (reportlab registers faces by name, once);
    the tables a face stores go to a cache folder of the test's, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def make(**options) -> Face:
        name = f"tiny{abs(hash((str(tmp_path), repr(options))))}"
        return Face(tinyfont.build(tmp_path / f"{name}.ttf", name=name, **options))

    return make


def test_advances_and_widths_are_the_fonts(tiny_face):
    for upem, close in ((1000, 1e-12), (2048, 1e-3)):  # 2048: the tiny font's units are rounded
        tiny = tiny_face(upem=upem)
        for char, em in (("A", 0.6), ("B", 0.62), ("あ", 0.7), (" ", 0.25)):
            assert tiny.advance(char) == pytest.approx(em, abs=close), char
        assert tiny.width("AB あ", 10) == pytest.approx((0.6 + 0.62 + 0.25 + 0.7) * 10 * 25.4 / 72, rel=close)
        assert tiny.width("", 10) == 0
        assert tiny.ascent == pytest.approx(0.88, abs=close) and tiny.descent == pytest.approx(0.12, abs=close)
    assert PT_TO_MM == 25.4 / 72


def test_a_missing_character_is_named(tiny_face):
    tiny = tiny_face()
    assert tiny.missing("ABあ") is None and tiny.missing("AZBY") == "Z"
    tiny.check("ABあ ")
    for call in (lambda: tiny.check("AZ"), lambda: tiny.advance("Z"), lambda: tiny.width("AZY", 9)):
        with pytest.raises(MissingGlyph) as err:
            call()
        assert err.value.char == "Z" and err.value.face is tiny and err.value.args == ("Z",)
    name = tiny.path.name
    assert MissingGlyph("Z", tiny).describe() == \
        f"'Z' (U+005A) is not in the font {name}; replace it with another character or remove it"
    assert MissingGlyph("漢", tiny).describe().startswith("'漢' (U+6F22) is not in the font ")
    for code in (0x00, 0x07, 0x1F, 0x7F, 0x85, 0x9F):
        assert MissingGlyph(chr(code), tiny).describe() == \
            f"a control character (U+{code:04X}) is not in the font {name}; " \
            "replace it with another character or remove it"
    for code in (0x20, 0x7E, 0xA0, 0xA9):
        assert MissingGlyph(chr(code), tiny).describe().startswith(f"'{chr(code)}' (U+{code:04X})")


@pytest.mark.parametrize("options", [{}, {"upem": 2048}, {"long_offsets": True}], ids=["1000", "2048", "long offsets"])
def test_glyph_boxes_of_a_tiny_font(tiny_face, options: dict):
    tiny = tiny_face(**options)
    upem = options.get("upem", 1000)
    for char, glyph in (("A", "A"), ("B", "B"), ("あ", "a"), ("い", "b"), ("う", "c")):
        box = tiny.glyph_box(char)
        expected = [round(v * upem / 1000) / upem for v in tinyfont.GLYPHS[glyph][1]]
        assert [box.x_min, box.y_min, box.x_max, box.y_max] == expected, char
        assert tiny.glyph_box(char) is box  # read once
    assert tiny.glyph_box(" ") == GlyphBox(0, 0, 0, 0)  # no outline, no ink
    with pytest.raises(MissingGlyph):
        tiny.glyph_box("Z")


def test_a_face_is_registered_once_by_its_name(tiny_face):
    tiny = tiny_face()
    assert tiny.name == tiny.path.stem and tiny.name in pdfmetrics.getRegisteredFontNames()
    assert pdfmetrics.getFont(tiny.name).face.charWidths[0x41] == 600
    again = Face(tiny.path)
    assert pdfmetrics.getFont(again.name) is pdfmetrics.getFont(tiny.name)
    assert font_files({"body": tiny.path, "heading": tiny.path}) == {tiny.name: tiny.path}


def test_the_fast_font_is_reportlabs_font_on_the_fast_face(tmp_path: Path):
    path = tinyfont.build(tmp_path / "tiny.ttf")
    ours, theirs = FastTTFont("x", str(path)), TTFont("x", str(path))
    assert type(ours.face) is FastTTFontFace and ours.fontName == theirs.fontName == "x"
    assert vars(ours).keys() == vars(theirs).keys()
    for name in ("_asciiReadable", "shapable"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert type(ours.encoding) is type(theirs.encoding) and type(ours.state) is type(theirs.state)
    assert not ours.state
    assert FastTTFont("x", str(path)).shapable == TTFont("x", str(path)).shapable


def test_the_fast_font_is_shaped_as_reportlabs_would_be(tmp_path: Path, monkeypatch):
    """With HarfBuzz present (not a dependency, but a user may have it), fonts whose names match
    reportlab's unshaped globs are not shaped, the others are: ours as reportlab's."""
    from reportlab.pdfbase import ttfonts

    path = tinyfont.build(tmp_path / "tiny.ttf")
    monkeypatch.setattr(ttfonts, "uharfbuzz", object())
    monkeypatch.setattr(ttfonts, "unShapedFontGlob", ttfonts.unShapedFontGlob)
    saved = list(ttfonts.unShapedFontGlob)
    ttfonts.unShapedFontGlob[:] = ["Plain*"]
    try:
        for name, shaped in (("Tiny", True), ("PlainTiny", False)):
            assert FastTTFont(name, str(path)).shapable is TTFont(name, str(path)).shapable is shaped, name
    finally:
        ttfonts.unShapedFontGlob[:] = saved
