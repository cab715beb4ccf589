"""Slogans set as verse: one phrase a line (one column in vertical writing), with ruby over the
kanji, at one size for the whole deck on each kind of face.

The spaces in a slogan are its phrase breaks, so a 5-7-5 verse always reads as three lines,
whatever the face. Ruby is group ruby per kanji run (builder.text.ruby), half the base size,
centred on its base; a ruby longer than its base may overhang a neighbouring kana by up to
half a base character (JLREQ), and beyond that the base takes the room it needs.

Every length here grows in proportion to the size, so the largest size at which every phrase
of every card fits is found from each phrase's length at 1 pt, without trying sizes in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import floor

from builder.errors import ContentError
from builder.layout.geometry import Text
from builder.layout.textblock import located
from builder.layout.vertical import ColumnFace, cells, draw_cell
from builder.model.deck import Card
from builder.model.theme import Colour
from builder.text.fonts import PT_TO_MM, Face
from builder.text.ruby import align_ruby

RUBY_SCALE = 0.5  # ruby size in times the base size
RUBY_CLEARANCE = 0.2  # em of base left between a line's ruby and the line before it
OVERHANG = 0.5  # em of base: how far a ruby may reach over a neighbouring kana
SIZE_STEP = 0.25  # pt: the deck's size is rounded down to this


@dataclass(frozen=True)
class VerseStyle:
    """How a face sets its slogans: the base face, the ruby face (None: no ruby), the distance
    from one line to the next in times the size (widened where the ruby needs it), and
    whether lines are columns."""

    face: Face
    ruby_face: Face | None
    leading: float
    vertical: bool = False

    def ruby_band(self, size: float) -> float:
        """mm beside each line (above it, or right of a column) that its ruby takes."""
        return RUBY_SCALE * size * PT_TO_MM if self.ruby_face else 0.0

    def pitch(self, size: float) -> float:
        """Line to line: the ruby sits in the space between lines, with some clearance left."""
        least = 1 + RUBY_SCALE + RUBY_CLEARANCE if self.ruby_face else 0.0
        return max(self.leading, least) * size * PT_TO_MM

    def depth(self, size: float, lines: int) -> float:
        """mm the lines take side by side: across the columns, or down the lines."""
        em = size * PT_TO_MM
        body = em if self.vertical else em * (self.face.ascent + self.face.descent)
        return self.ruby_band(size) + (lines - 1) * self.pitch(size) + body


@dataclass(frozen=True)
class Piece:
    """A base run on a line and its ruby (or None); offsets in mm from the line's start."""

    base: str
    ruby: str | None
    start: float
    length: float
    ruby_start: float = 0.0


@dataclass(frozen=True)
class Verse:
    """A slogan set: its lines (phrases), the pieces of each, at `size` pt."""

    lines: tuple[tuple[Piece, ...], ...]
    lengths: tuple[float, ...]  # mm, each line's length
    size: float
    style: VerseStyle

    @property
    def depth(self) -> float:
        return self.style.depth(self.size, len(self.lines))

    @property
    def length(self) -> float:
        return max(self.lengths, default=0.0)

    def place(self, x: float, y: float, colour: Colour, *, align: str = "left", measure: float = 0.0) -> list[Text]:
        """Text items with the block's top-left (horizontal) or top-right (vertical) at (x, y);
        lines aligned within `measure` mm when align is "center". The ruby comes after all the
        base text, so that the PDF's text reads (and copies) as the slogan, then its readings."""
        em = self.size * PT_TO_MM
        style = self.style
        band = style.ruby_band(self.size)
        ruby_size = RUBY_SCALE * self.size
        items: list[Text] = []
        rubies: list[Text] = []
        for i, (pieces, length) in enumerate(zip(self.lines, self.lengths)):
            shift = (measure - length) / 2 if align == "center" else 0.0
            across = band + i * style.pitch(self.size)  # from the block's edge to the line's em box
            for piece in pieces:
                start = shift + piece.start
                if style.vertical:
                    centre = x - across - em / 2
                    items += _column(piece.base, style.face, self.size, centre, y + start, colour)
                    if piece.ruby:
                        top = y + shift + piece.ruby_start
                        rubies += _column(piece.ruby, style.ruby_face, ruby_size, centre + em / 2 + band / 2, top,
                                          colour)
                else:
                    baseline = y + across + em * style.face.ascent
                    items.append(Text(x + start, baseline, piece.base, style.face.name, self.size, colour))
                    if piece.ruby:
                        ruby_x = x + shift + piece.ruby_start
                        ruby_base = baseline - em * style.face.ascent - band * style.ruby_face.descent
                        rubies.append(Text(ruby_x, ruby_base, piece.ruby, style.ruby_face.name, ruby_size, colour))
        return items + rubies


def _column(text: str, face: Face, size: float, centre: float, top: float, colour: Colour) -> list[Text]:
    items = []
    for cell in cells(text, face, size):
        if cell.kind != "space":
            items.append(draw_cell(cell, face, size, centre, top, colour))
        top += cell.length
    return items


def phrases(card: Card) -> list[tuple[str, str]]:
    """The slogan's phrases with the reading of each."""
    return list(zip(card.slogan.split(), card.reading.split()))


@lru_cache(maxsize=4096)
def _aligned(phrase: str, reading: str) -> tuple[tuple[str, str | None], ...]:
    return tuple(align_ruby(phrase, reading))


def _line(phrase: str, reading: str, style: VerseStyle, size: float) -> tuple[tuple[Piece, ...], float]:
    """One phrase's pieces and its length in mm at `size`. A ruby is centred on its base,
    except at the start of the line, where base and ruby both start flush with the line."""
    em = size * PT_TO_MM
    ruby_size = RUBY_SCALE * size
    pairs = _aligned(phrase, reading) if style.ruby_face else ((phrase, None),)
    measure = ColumnFace(style.face).width if style.vertical else style.face.width
    pieces: list[Piece] = []
    pos = 0.0
    for i, (base, ruby) in enumerate(pairs):
        length = measure(base, size)
        if not ruby:
            pieces.append(Piece(base, None, pos, length))
            pos += length
            continue
        ruby_len = (len(ruby) * ruby_size * PT_TO_MM if style.vertical
                    else style.ruby_face.width(ruby, ruby_size))
        excess = max(ruby_len - length, 0.0)
        # how far the ruby may reach over the kana before and after it
        before = min(excess / 2, OVERHANG * em) if i > 0 and pairs[i - 1][1] is None else 0.0
        after = OVERHANG * em if i + 1 < len(pairs) and pairs[i + 1][1] is None else 0.0
        if i == 0:  # flush with the line's start: the ruby reaches only forwards
            start = pos
            ruby_start = pos + max((length - ruby_len) / 2, 0.0)
            end = pos + max(length, ruby_len - after)
        else:
            start = pos + excess / 2 - before
            ruby_start = start + (length - ruby_len) / 2
            end = start + length + max(0.0, excess / 2 - after)
        pieces.append(Piece(base, ruby, start, length, ruby_start))
        pos = end
    return tuple(pieces), pos


def set_verse(card: Card, style: VerseStyle, size: float) -> Verse:
    lines = [_line(phrase, reading, style, size) for phrase, reading in phrases(card)]
    return Verse(tuple(p for p, _ in lines), tuple(length for _, length in lines), size, style)


def fit_size(cards: list[Card] | tuple[Card, ...], style: VerseStyle, measure: float, depth: float,
             largest: float, smallest: float, where_of, what: str) -> float:
    """The largest size, at most `largest` pt and a multiple of SIZE_STEP, at which every phrase
    of every card fits `measure` mm and every slogan `depth` mm. If that is below `smallest`,
    the phrase that forces it is named at its card's slogan line."""
    size, worst = largest, None
    for card in cards:
        with located(where_of(card, "slogan"), f"card '{card.kana}' slogan"):
            verse = set_verse(card, style, 1.0)
        for (phrase, _), length in zip(phrases(card), verse.lengths):
            if length * size > measure:
                size, worst = measure / length, (card, f"the phrase 「{phrase}」 is too long for one line")
        if verse.depth * size > depth:
            size, worst = depth / verse.depth, (card, f"its {len(verse.lines)} phrases take too many lines")
    size = floor(size / SIZE_STEP + 1e-9) * SIZE_STEP
    if size < smallest - 1e-9 and worst is not None:
        card, problem = worst
        raise ContentError(where_of(card, "slogan"),
                           f"card '{card.kana}' slogan: {problem} on {what}, even at {smallest:g} pt, the "
                           f"smallest size all slogans may share; shorten it, or split it with a space "
                           f"(and the reading with it)")
    return size
