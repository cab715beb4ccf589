"""Tiny fonts made in the test with fontTools' FontBuilder (a few glyphs, milliseconds to build):
the odd corners of the font readers (cmap formats and platforms, units per em, trailing
metrics, long glyph offsets, PostScript outlines, collections) without parsing a 14,000-glyph
Japanese face. Every glyph is a rectangle whose box and advance the test chooses."""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.ttProgram import Program
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

# glyph name -> (advance, (x_min, y_min, x_max, y_max) or None for no outline), in font units of 1000
GLYPHS = {
    ".notdef": (500, (50, 0, 450, 700)),
    "space": (250, None),
    "A": (600, (20, 0, 580, 700)),
    "B": (620, (60, -10, 560, 710)),
    "a": (700, (30, -120, 650, 560)),
    "b": (700, (40, 0, 660, 520)),
    "c": (700, (50, 0, 640, 800)),
}
CHARS = {0x20: "space", 0x41: "A", 0x42: "B", 0x3042: "a", 0x3044: "b", 0x3046: "c"}


def _rect(pen, box, clockwise: bool) -> None:
    """An outer contour: clockwise in TrueType, counter-clockwise in PostScript outlines."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    pen.moveTo(corners[0])
    for corner in (corners[1:] if clockwise else corners[:0:-1]):
        pen.lineTo(corner)
    pen.closePath()


def build(path: Path, *, upem: int = 1000, glyphs: dict | None = None, chars: dict | None = None,
          cff: bool = False, cff2: bool = False, name: str = "Tiny",
          subtables: list[tuple[int, int, int]] | None = None,
          long_offsets: bool = False, names: dict | None = None, hinted: bool = False) -> Path:
    """A font at `path`. `subtables` lists cmap (platform, encoding, format) in file order
    (default: format 4 for Windows Unicode); glyph numbers in fonts units scaled from 1000. A CFF2
    font gets a VORG table (vertical origins), as CJK PostScript fonts have."""
    glyphs = GLYPHS if glyphs is None else glyphs
    chars = CHARS if chars is None else chars
    k = upem / 1000
    order = list(glyphs)
    fb = FontBuilder(upem, isTTF=not (cff or cff2))
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(chars)
    metrics = {}
    if cff or cff2:
        strings = {}
        for glyph, (advance, box) in glyphs.items():
            pen = T2CharStringPen(None if cff2 else round(advance * k), None, CFF2=cff2)
            if box:
                _rect(pen, [round(v * k) for v in box], clockwise=False)
            strings[glyph] = pen.getCharString()
            metrics[glyph] = (round(advance * k), round(box[0] * k) if box else 0)
        if cff2:
            fb.setupCFF2(strings)
            fb.font["VORG"] = vorg = newTable("VORG")
            vorg.majorVersion, vorg.minorVersion, vorg.defaultVertOriginY, vorg.VOriginRecords = 1, 0, 880, {}
        else:
            fb.setupCFF(name, {"FullName": name}, strings, {})
    else:
        outlines = {}
        for glyph, (advance, box) in glyphs.items():
            pen = TTGlyphPen(None)
            if box:
                _rect(pen, [round(v * k) for v in box], clockwise=True)
            outlines[glyph] = pen.glyph()
            metrics[glyph] = (round(advance * k), round(box[0] * k) if box else 0)
        fb.setupGlyf(outlines)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=round(880 * k), descent=round(-120 * k))
    fb.setupNameTable({"familyName": name, "styleName": "Regular", "psName": name, **(names or {})})
    fb.setupOS2(sTypoAscender=round(880 * k), sTypoDescender=round(-120 * k), usWinAscent=round(880 * k),
                usWinDescent=round(120 * k))
    fb.setupPost()
    if subtables is not None:
        fb.font["cmap"].tables = [_subtable(fmt, platform, encoding, chars) for platform, encoding, fmt in subtables]
    if hinted:  # a pre-program, as hinted TrueType fonts have
        fb.font["prep"] = newTable("prep")
        fb.font["prep"].program = Program()
        fb.font["prep"].program.fromBytecode(b"\xb0\x01")
    if long_offsets:
        fb.font["glyf"].padding = 0  # odd glyph lengths: offsets only the long loca format can hold
    fb.save(str(path))
    if long_offsets:
        assert TTFont(str(path))["head"].indexToLocFormat == 1
    return path


def _subtable(fmt: int, platform: int, encoding: int, chars: dict) -> CmapSubtable:
    table = CmapSubtable.newSubtable(fmt)
    table.platformID, table.platEncID, table.language = platform, encoding, 0
    table.cmap = {c: g for c, g in chars.items() if c < {4: 0x10000, 12: 0x110000}.get(fmt, 256)}
    if fmt == 14:  # variation sequences: no plain mapping
        table.cmap, table.uvsDict = {}, {0xFE00: [(0x41, "B")]}
    if fmt == 12:
        table.format, table.reserved, table.length, table.nGroups = 12, 0, 0, 0
    return table
