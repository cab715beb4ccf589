"""Vertical writing (縦書き): columns run top to bottom, right to left, one Text item per cell.

Both renderers draw plain characters, so vertical forms are made by geometry rather than by
font substitution: bars, brackets and Latin words are turned 90° clockwise (Text.rotate), 、。
move to the top-right of their cell, small kana move up and right a little. The characters
stay the ones in the content, so the PDF's text still searches and copies as written.

Breaking and fitting reuse `set_text` unchanged: `ColumnFace` measures a string by the length
it takes down a column instead of across a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.layout.geometry import Text
from builder.layout.textblock import Block
from builder.model.theme import Colour
from builder.text.fonts import PT_TO_MM, Face
from builder.text.linebreak import units

ROTATED = frozenset("ー〜～—―…‥「」『』（）［］【】〈〉《》｛｝〔〕‐－＝→←：；｜")
CORNER = frozenset("、。，．")
SMALL_KANA = frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ")
SMALL_SHIFT = 0.1  # em, up and right: where the vertical forms of small kana sit


@dataclass(frozen=True)
class Cell:
    """One piece of a column: its text, how it is drawn, and its length down the column in mm."""

    text: str
    kind: str  # "upright", "rotated", "corner", "small" or "space"
    length: float


def cells(text: str, face: Face, size: float) -> list[Cell]:
    """Cut a column's text into cells. Full-width characters take one em; turned characters
    and Latin words take their advance; one or two Latin characters that fit in an em stand
    upright in one cell (縦中横), so 3〜5人 reads naturally."""
    em = size * PT_TO_MM
    found: list[Cell] = []
    for unit in units(text):
        piece = unit.text
        if piece.isascii() and not piece.isspace():
            width = face.width(piece, size)
            found.append(Cell(piece, "upright", em) if len(piece) <= 2 and width <= em
                         else Cell(piece, "rotated", width))
            continue
        for char in piece:
            found.append(_cell(char, face, size, em))
    return found


def _cell(char: str, face: Face, size: float, em: float) -> Cell:
    if char.isspace():
        return Cell(char, "space", face.width(char, size))
    if char in ROTATED:
        return Cell(char, "rotated", face.width(char, size))
    if char in CORNER:
        return Cell(char, "corner", em)
    return Cell(char, "small" if char in SMALL_KANA else "upright", em)


class ColumnFace:
    """A Face whose `width` is the length down a column, so `set_text` breaks and fits columns;
    the resulting Block's `height` is then the width the columns take across the page."""

    def __init__(self, face: Face):
        self.face = face
        self.name = face.name
        self.ascent = face.ascent
        self.descent = face.descent

    def check(self, text: str) -> None:
        self.face.check(text)

    def width(self, text: str, size: float) -> float:
        return sum(cell.length for cell in cells(text, self.face, size))


def place_columns(block: Block, right: float, top: float, colour: Colour) -> list[Text]:
    """Text items for a Block set with a ColumnFace: the first column's right edge at `right`,
    every column starting at `top`; columns follow each other leftwards at the block's pitch."""
    face = block.face.face  # type: ignore[attr-defined]  # the Face inside the ColumnFace
    em = block.size * PT_TO_MM
    items: list[Text] = []
    for i, line in enumerate(block.lines):
        centre_x = right - em / 2 - i * block.pitch
        y = top
        for cell in cells(line, face, block.size):
            if cell.kind != "space":
                items.append(draw_cell(cell, face, block.size, centre_x, y, colour))
            y += cell.length
    return items


def draw_cell(cell: Cell, face: Face, size: float, cx: float, top: float, colour: Colour) -> Text:
    """One cell as a Text item; (cx, top) is the middle of the column at the cell's top edge."""
    em = size * PT_TO_MM
    to_baseline = (face.ascent - face.descent) / 2 * em  # from the em box's middle down to the baseline
    if cell.kind == "rotated":
        # turned clockwise about its baseline origin, the em box's middle lands on the column's axis
        return Text(cx - to_baseline, top, cell.text, face.name, size, colour, rotate=90)
    if cell.kind == "corner":
        box = face.glyph_box(cell.text)
        ink_x, ink_y = cx + em / 4, top + em / 4  # the middle of the cell's top-right quarter
        return Text(ink_x - (box.x_min + box.x_max) / 2 * em, ink_y + (box.y_min + box.y_max) / 2 * em,
                    cell.text, face.name, size, colour)
    shift = SMALL_SHIFT * em if cell.kind == "small" else 0.0
    width = face.width(cell.text, size)
    return Text(cx - width / 2 + shift, top + em / 2 + to_baseline - shift, cell.text, face.name, size, colour)
