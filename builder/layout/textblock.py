"""Paragraphs and single lines: break, fit (set smaller down to a minimum) and place as Text items."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

from builder.errors import ContentError, Where
from builder.layout.geometry import Text
from builder.model.theme import Colour
from builder.text.fonts import PT_TO_MM, Face, MissingGlyph
from builder.text.justify import SetLine
from builder.text.linebreak import avoid_short_last_line, phrases_of

SIZE_STEP = 0.25  # pt


class DoesNotFit(Exception):
    def __init__(self, min_size: float):
        super().__init__(min_size)
        self.min_size = min_size


class GlyphError(ContentError):
    """A character the fonts lack, at the text a layout was setting; a caller that can find the
    very field holding the character (a chart's words come from the newsletter) names that."""

    def __init__(self, where: Where, message: str, char: str, description: str):
        super().__init__(where, message)
        self.char, self.description = char, description  # the character, and the message for it alone

    def __reduce__(self):  # raised in an image worker, it is sent to the main process whole
        return type(self), (self.where, self.message, self.char, self.description)


@contextmanager
def located(where: Where, what: str) -> Iterator[None]:
    """Turn a font or fitting failure inside layout into a content error at the text's place."""
    try:
        yield
    except MissingGlyph as err:
        raise GlyphError(where, f"{what}: {err.describe()}", err.char, err.describe()) from None
    except DoesNotFit as err:
        raise ContentError(where, f"{what} does not fit its box even at {err.min_size:g} pt; shorten it, or "
                                  "make its size in theme.yaml smaller") from None


def lines_height(count: int, pitch: float, size: float, face: Face) -> float:
    """Mm from the first line's em-box top to the last line's em-box bottom: Block and Paragraph
    stack their lines the same way."""
    return (count - 1) * pitch + size * PT_TO_MM * (face.ascent + face.descent)


@dataclass(frozen=True)
class Block:
    lines: tuple[str, ...]
    face: Face
    size: float  # pt
    pitch: float  # mm from baseline to baseline

    @property
    def height(self) -> float:
        return lines_height(len(self.lines), self.pitch, self.size, self.face)

    def width(self) -> float:
        return max((self.face.width(line, self.size) for line in self.lines), default=0.0)

    def place(self, x: float, top: float, colour: Colour, *, align: str = "left", width: float = 0.0) -> list[Text]:
        """Text items whose first line's em box starts at `top`; align within `width` when given."""
        em = self.size * PT_TO_MM
        items = []
        for i, line in enumerate(self.lines):
            line_x = x
            if align != "left":
                spare = width - self.face.width(line, self.size)
                line_x += spare / 2 if align == "center" else spare
            items.append(Text(line_x, top + em * self.face.ascent + i * self.pitch, line, self.face.name,
                              self.size, colour))
        return items


@dataclass(frozen=True)
class Paragraph:
    """Justified lines (text.justify) set in one face and size, placed as Text runs."""

    lines: tuple[SetLine, ...]
    face: Face
    size: float  # pt
    pitch: float  # mm from baseline to baseline

    @property
    def height(self) -> float:
        return lines_height(len(self.lines), self.pitch, self.size, self.face) if self.lines else 0.0

    def split(self, k: int) -> tuple[Paragraph, Paragraph]:
        """The first `k` lines and the rest, to run into a second column."""
        return replace(self, lines=self.lines[:k]), replace(self, lines=self.lines[k:])

    def place(self, x: float, top: float, colour: Colour) -> list[Text]:
        baseline = top + self.size * PT_TO_MM * self.face.ascent
        return [Text(x + run.x, baseline + i * self.pitch, run.text, self.face.name, self.size, colour,
                     spacing=run.spacing)
                for i, line in enumerate(self.lines) for run in line.runs]


class _Widths(dict):
    """Widths of text units in one face at one size, each measured once: the line breaker measures
    every unit (mostly single characters) of every text, and the same characters recur."""

    def __init__(self, face: Face, size: float):
        super().__init__()
        self.face, self.size = face, size

    def __missing__(self, text: str) -> float:
        width = self[text] = self.face.width(text, self.size)
        return width


@lru_cache(maxsize=256)
def _unit_widths(face: Face, size: float) -> _Widths:
    return _Widths(face, size)


# a Block is immutable: the same text set alike again (the brand line of every social image) is reused
@lru_cache(maxsize=2048)
def set_text(
    text: str,
    face: Face,
    size: float,
    width: float,
    *,
    line_height: float,
    hang: float = 0.0,
    max_height: float | None = None,
    max_lines: int | None = None,
    min_size: float | None = None,
    phrases: bool = False,
) -> Block:
    """Break `text` to `width` mm; while it is taller than `max_height` or has more than
    `max_lines` lines, set it smaller, down to `min_size`; below that raise DoesNotFit.

    `hang` is the 、。 allowance in character widths: the measure is narrowed by it so that
    hanging punctuation stays inside the box."""
    face.check(text)
    floor = min_size if min_size is not None else size
    current = size
    while True:
        em = current * PT_TO_MM
        measure_width = max(width - hang * em, em)
        measure = _unit_widths(face, current).__getitem__  # every unit: a dict lookup once measured
        lines = avoid_short_last_line(text, measure, measure_width, hang=hang * em, phrases=phrases)
        block = Block(tuple(lines), face, current, em * line_height)
        too_tall = max_height is not None and block.height > max_height + 1e-6
        too_many = max_lines is not None and len(lines) > max_lines
        too_wide = any(face.width(line, current) > width + 1e-6 for line in lines)
        fits = not (too_tall or too_many or too_wide)
        # a phrase split in the middle reads badly: prefer a smaller size, down to the floor
        # (no phrase is wider than the measure when the whole text is not: BudouX need not parse it)
        split_phrase = phrases and face.width(text, current) > measure_width and \
            any(face.width(p, current) > measure_width + 1e-6 for p in phrases_of(text))
        if fits and not split_phrase:
            return block
        if current - SIZE_STEP < floor - 1e-9:
            if fits:
                return block
            raise DoesNotFit(floor)
        current -= SIZE_STEP
