"""Font faces: cmap coverage and advance widths read with fontTools, so every renderer and
the line breaker measure text the same way."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import logging

from fontTools.ttLib import TTFont

logging.getLogger("fontTools").setLevel(logging.ERROR)  # harmless table warnings from icon fonts

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
        font = TTFont(str(path), lazy=True)
        self._cmap: dict[int, str] = font.getBestCmap()
        units = font["head"].unitsPerEm
        self._advance = {code: font["hmtx"][glyph][0] / units for code, glyph in self._cmap.items()}
        hhea = font["hhea"]
        self.ascent = hhea.ascent / units
        self.descent = -hhea.descent / units
        self._font = font
        self._units = units

    def missing(self, text: str) -> str | None:
        for char in text:
            if ord(char) not in self._cmap:
                return char
        return None

    def check(self, text: str) -> None:
        char = self.missing(text)
        if char is not None:
            raise MissingGlyph(char, self)

    def advance(self, char: str) -> float:
        """Advance width in em."""
        try:
            return self._advance[ord(char)]
        except KeyError:
            raise MissingGlyph(char, self) from None

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(c) for c in text) * size * PT_TO_MM

    def glyph_box(self, char: str) -> GlyphBox:
        self.check(char)
        glyph = self._font["glyf"][self._cmap[ord(char)]]
        glyph.recalcBounds(self._font["glyf"])
        u = self._units
        if not hasattr(glyph, "xMin"):
            return GlyphBox(0, 0, self.advance(char), 0)
        return GlyphBox(glyph.xMin / u, glyph.yMin / u, glyph.xMax / u, glyph.yMax / u)


@lru_cache(maxsize=None)
def face(path: Path) -> Face:
    return Face(path)


def font_files(fonts: dict[str, Path]) -> dict[str, Path]:
    """The renderers' font table: the key each Text item names -> its file."""
    return {face(path).name: path for path in fonts.values()}
