"""Font faces: cmap coverage, advance widths and glyph boxes. Each font file is parsed once, by
registering it with reportlab, so that the line breaker, both renderers and the PDF's own width
tables measure text with the same numbers. Each face's character map and widths (most of the
parsing) are kept in the user's font cache, keyed by the font file's hash, for the next process
to load instead of making them again (see `_parsed`)."""

from __future__ import annotations

import gc
import marshal
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from struct import unpack_from

from reportlab.pdfbase import pdfmetrics

from builder.cache import KNOWN, write_cache_file
from builder.text.fontfile import FastTTFont, Maps
from builder.text.opentype import cache_folder

TABLES_FORMAT = 2  # in the stored tables' names: a change of what is stored makes new names

PT_TO_MM = 25.4 / 72


class MissingGlyph(Exception):
    """A character the font cannot draw; the caller knows where it came from and reports it."""

    def __init__(self, char: str, face: "Face"):
        super().__init__(char)
        self.char = char
        self.face = face

    def describe(self) -> str:
        name = "a control character" if ord(self.char) < 32 or 0x7F <= ord(self.char) < 0xA0 else f"'{self.char}'"
        return (f"{name} (U+{ord(self.char):04X}) is not in the font {self.face.path.name}; "
                "replace it with another character or remove it")


@dataclass(frozen=True)
class GlyphBox:
    """A glyph's ink box in em units (y up), to centre icons on what is drawn, not on the advance."""

    x_min: float
    y_min: float
    x_max: float
    y_max: float


class Face:
    """One TrueType file. Widths are in millimetres for a size given in points."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.stem
        if self.name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_parsed(self.name, path))
        self._file = pdfmetrics.getFont(self.name).face
        self._widths: dict[int, float] = self._file.charWidths  # 1/1000 em, as the PDF's /W table
        self.ascent = self._file.ascent / 1000
        self.descent = -self._file.descent / 1000
        self._boxes: dict[str, GlyphBox] = {}

    def missing(self, text: str) -> str | None:
        widths = self._widths
        if all(map(widths.__contains__, map(ord, text))):  # in C: every line drawn is checked
            return None
        return next(char for char in text if ord(char) not in widths)

    def check(self, text: str) -> None:
        char = self.missing(text)
        if char is not None:
            raise MissingGlyph(char, self)

    def advance(self, char: str) -> float:
        """Advance width in em."""
        try:
            return self._widths[ord(char)] / 1000
        except KeyError:
            raise MissingGlyph(char, self) from None

    def width(self, text: str, size: float) -> float:
        widths = self._widths
        try:
            return sum(map(widths.__getitem__, map(ord, text))) * size * PT_TO_MM / 1000
        except KeyError:
            self.check(text)
            raise

    def glyph_box(self, char: str) -> GlyphBox:
        """The glyph's ink box, as the font's glyf table records it for each outline."""
        if char not in self._boxes:
            self._boxes[char] = self._glyph_box(char)
        return self._boxes[char]

    def _glyph_box(self, char: str) -> GlyphBox:
        self.check(char)
        file = self._file
        glyph = file.charToGlyph[ord(char)]
        start, end = file.glyphPos[glyph], file.glyphPos[glyph + 1]
        if end <= start:  # an empty glyph, such as a space: no ink
            return GlyphBox(0, 0, 0, 0)
        x_min, y_min, x_max, y_max = unpack_from(">4h", file._ttf_data, file.get_table_pos("glyf")[0] + start + 2)
        u = file.unitsPerEm
        return GlyphBox(x_min / u, y_min / u, x_max / u, y_max / u)


def _parsed(name: str, path: Path) -> FastTTFont:
    """The face, its character map and widths loaded from the font cache when an earlier process
    stored them for these bytes (a quarter of a newsletter's font work), else made and stored.
    The cache is the user's, beside the converted CFF fonts, not the project's output/.cache:
    every new project, output folder or `build clean` would start without it. The main process
    parses before the image workers fork, so they share what it loaded."""
    sha = KNOWN.hash(path)  # known already: the run key hashes the font files
    stored = cache_folder() / f"{sha}-{TABLES_FORMAT}.marshal" if sha != "unreadable" else None
    maps = _load_maps(stored) if stored else None
    font = FastTTFont(name, str(path), maps, cache_folder() / "subsets" if stored else None, sha)
    if stored and maps is None:
        write_cache_file(stored, marshal.dumps((font.face.charToGlyph, font.face.charWidths)))
    return font


def _load_maps(stored: Path) -> Maps | None:
    """The stored tables, or None when there are none or they are damaged (then made again)."""
    try:
        maps = marshal.loads(stored.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(maps, tuple) and len(maps) == 2 and all(isinstance(table, dict) for table in maps):
        return maps
    return None


@lru_cache(maxsize=None)
def face(path: Path) -> Face:
    loaded = Face(path)
    # the font's tables (some 60,000 small lists and tuples) live as long as the process: keep
    # them, and what was loaded before them, out of the cyclic garbage collector's scans
    gc.freeze()
    return loaded


def font_files(fonts: dict[str, Path]) -> dict[str, Path]:
    """The renderers' font table: the key each Text item names -> its file."""
    return {face(path).name: path for path in fonts.values()}
