"""Any OpenType font as a TrueType file reportlab can embed: one face out of a collection
(.ttc/.otc, chosen by index or by name), PostScript (CFF) outlines turned into TrueType curves.

Most Japanese fonts are CFF (Noto Sans CJK, Source Han, commercial faces) and often come as a
collection. reportlab embeds only TrueType outlines, so such a face is subset to the characters
the project can print (its content, the tool's own words, common kana and punctuation) and
converted with fontTools' cu2qu (curves within 1 font unit). Converting all 65,535 glyphs of
Noto Sans CJK takes minutes; the subset takes seconds, and the result is kept in a cache folder
keyed by the font's bytes, the face and the character set, so it is made once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from builder.places import user_cache


MAX_ERROR = 1.0  # font units a converted curve may stray from the original
COMMON = "".join(chr(c) for block in ((0x20, 0x7F), (0xA0, 0x100), (0x2010, 0x2070), (0x2190, 0x2200),
                                      (0x2460, 0x2500), (0x25A0, 0x2700), (0x3000, 0x3100), (0xFF00, 0xFFF0))
                 for c in range(*block))


class FontProblem(Exception):
    """A font that cannot be used as it is named; the message says why and what to do."""


def is_plain_truetype(path: Path) -> bool:
    """A single face with TrueType outlines: reportlab reads it directly."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    return head in (b"\x00\x01\x00\x00", b"true")


def cache_folder() -> Path:
    return Path(user_cache()) / "fonts"


def truetype(path: Path, face: str | int | None, chars: Callable[[], str]) -> Path:
    """`path` itself when reportlab can read it, else a cached TrueType subset of the chosen face
    holding the characters `chars()` gives (asked only when a subset is made)."""
    if face is None and is_plain_truetype(path):
        return path
    import logging  # here, with fontTools: a TrueType font (the usual case) needs neither

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from fontTools.ttLib import TTFont, TTLibError

    data = path.read_bytes()
    wanted = "".join(sorted(set(chars()) | set(COMMON)))
    try:
        index = _face_index(path, data, face)
        key = hashlib.sha256(data + repr(index).encode() + wanted.encode()).hexdigest()[:24]
        target = cache_folder() / f"{path.stem}-{index}-{key}.ttf"
        if target.is_file():
            return target
        font = TTFont(path, fontNumber=index, lazy=False)
        _subset(font, wanted)
        if "CFF " in font or "CFF2" in font:
            _to_truetype(font)
        return _save(font, target)
    except FontProblem:
        raise
    except (TTLibError, KeyError, ValueError, AssertionError, EOFError, OSError, IndexError) as err:
        raise FontProblem(f"it cannot be read as a font ({type(err).__name__}: {err}); replace the file") from None


def _face_index(path: Path, data: bytes, face: str | int | None) -> int:
    """Which face of a collection: an index, or a family, full or PostScript name."""
    if data[:4] != b"ttcf":
        if face not in (None, 0, "0"):
            raise FontProblem("it holds one face, so 'face' has nothing to choose; leave it out")
        return 0
    from fontTools.ttLib import TTCollection

    # not mutated: lazy only delays reading the tables; the names read are the same
    fonts = TTCollection(path, lazy=True).fonts  # pragma: no mutate
    names = [_names(font) for font in fonts]
    if face is None:
        return 0
    if isinstance(face, int) or str(face).isdigit():
        if not 0 <= int(face) < len(fonts):
            raise FontProblem(f"it holds faces 0 to {len(fonts) - 1}; 'face' {face} is not one of them")
        return int(face)
    for i, found in enumerate(names):
        if str(face).casefold() in found:
            return i
    listed = ", ".join(f"{i}: {sorted(found)[0]}" for i, found in enumerate(names))
    raise FontProblem(f"it has no face named '{face}'; its faces are {listed}")


def _names(font) -> set[str]:
    table = font["name"]
    return {str(record.toUnicode()).casefold() for record in table.names if record.nameID in (1, 4, 6, 16)}


def _subset(font, chars: str) -> None:
    from fontTools import subset

    options = subset.Options()
    # not mutated: nothing reads the features (reportlab embeds outlines, Pillow lays out BASIC)
    options.layout_features = ["*"]  # pragma: no mutate
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    # CFF outlines are redrawn as TrueType glyphs through a pen, which drops their hints and expands
    # their subroutines: stripping the hints and desubroutinizing in the subsetter first (a quarter
    # of the CFF work) would be work the redraw makes moot. A TrueType face loses its hints as before.
    # Not mutated: every mutant made here only strips a CFF face's hints as well (slower, the same tables)
    options.hinting = "CFF " in font or "CFF2" in font  # pragma: no mutate
    options.desubroutinize = False  # pragma: no mutate
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)


def _to_truetype(font) -> None:
    """Replace PostScript outlines by quadratic TrueType glyphs with the same metrics."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for table in ("CFF ", "CFF2", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    metrics = font["hmtx"].metrics
    for name in order:  # left side bearing = the new outline's left edge
        glyph = glyf.glyphs[name]
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["maxp"] = maxp
    font["post"].formatType = 3.0  # no glyph names: a CJK font's thousands of names are dead weight
    font.sfntVersion = "\x00\x01\x00\x00"


def _save(font, target: Path) -> Path:
    """Written under a fresh name and renamed, so builds running side by side never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            font.save(handle)
        os.replace(temp, target)
    except BaseException:
        # not mutated: mkstemp made the file, so it is there to remove: missing_ok changes nothing
        Path(temp).unlink(missing_ok=True)  # pragma: no mutate
        raise
    return target
