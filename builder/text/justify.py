"""Justified Japanese paragraphs, the JLREQ way, as a pure function of text, face, size and measure.

Every line but the last ends flush with the measure. A line is found greedily, pulling the next
unit in (追い込み) while it fits once punctuation is compressed, else pushing units out
(追い出し) to the latest break kinsoku allows; nothing hangs past the measure. Then the line is
adjusted: consecutive punctuation is always set tight (」「 keeps one half-em space, 」。 none
between), a line that is too long compresses the blank halves of brackets and 、。・ inside it,
and a line that is too short spreads the rest evenly between characters (never inside a Latin
word or a number). A number with its unit (10.5%, 1,000人, 2021年) is one unit and never breaks.

A set line is a few runs of characters, each at its own x with one spacing after every
character: what a PDF's character spacing (Tc) paints without one item per glyph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from functools import lru_cache
from typing import Protocol

from builder.text.linebreak import NO_END, NO_START, units

OPENING = NO_END  # JLREQ cl-01: ink in the right half, the left half blank
CLOSING = frozenset("、。，．）〕］｝〉》」』】〙〗〟’”｠")  # cl-02, cl-06, cl-07: right half blank
MIDDLE = frozenset("・：；")  # cl-05: a quarter blank on each side
# counters and units that stay with the number before them (JLREQ: no break inside 1,000人)
UNIT_AFTER_NUMBER = frozenset("%％人名回年月日時分秒件位割倍歳円項社個枚度代")
_NUMBER = re.compile(r"^[0-9][0-9.,]*%?$")
EPS = 1e-6
SHORTEST_LAST = 3  # characters on a paragraph's last line, at least
SLACK = 0.02  # mm a line may fall short of the measure unadjusted (rounding of the grid size)


class Metrics(Protocol):
    """What justification needs of a font: advance widths in em (text.fonts.Face has it)."""

    def advance(self, char: str) -> float: ...


@dataclass(frozen=True)
class Run:
    """Characters drawn from `x` (mm from the line's start), each followed by `spacing` mm."""

    x: float
    text: str
    spacing: float = 0.0


@dataclass(frozen=True)
class SetLine:
    text: str
    runs: tuple[Run, ...]
    width: float  # mm from the start of the first glyph to the end of the last one
    final: bool  # the paragraph's last line: set at its natural width, not stretched


def paragraph_units(text: str) -> tuple[str, ...]:
    """The pieces a line never breaks inside: units of the line breaker, with a number and the
    counter after it joined (1,000人, 2021年)."""
    out: list[str] = []
    for unit in (u.text for u in units(text)):
        if out and unit in UNIT_AFTER_NUMBER and _NUMBER.match(out[-1]):
            out[-1] += unit
        else:
            out.append(unit)
    return tuple(out)


@lru_cache(maxsize=2048)
def justify(text: str, metrics: Metrics, size: float, measure: float) -> tuple[SetLine, ...]:
    """Break `text` into lines of `measure` mm at `size` pt and set each line (memoised: the page
    composer asks for the same paragraph at the same measure many times)."""
    paragraph = _Paragraph(text, metrics, size * 25.4 / 72)
    lines = paragraph.lines(measure)
    for shorter in range(1, 5):  # a last line of one or two characters looks like a mistake:
        if len(lines) < 2 or len(lines[-1].text) >= SHORTEST_LAST:  # break a little earlier, still
            break  # setting every line flush with the full measure
        lines = paragraph.lines(measure, fill=measure - shorter * paragraph.em / 2)
    return lines


def _prefix(values: list[float]) -> list[float]:
    return list(accumulate(values, initial=0.0))  # the same running sums, added in C


class _Paragraph:
    """Per-character advances and the blanks of punctuation, for the whole paragraph at once."""

    def __init__(self, text: str, metrics: Metrics, em: float):
        self.pieces = paragraph_units(text.strip())
        self.chars = "".join(self.pieces)
        self.em = em
        self.adv = [advance * em for advance in map(metrics.advance, self.chars)]
        n = len(self.chars)
        full = [abs(a - em) < em * 0.05 for a in self.adv]  # only full-width marks carry blanks
        self.left = [0.0] * n
        self.right = [0.0] * n
        for i, c in enumerate(self.chars):
            if not full[i]:
                continue
            if c in OPENING:
                self.left[i] = em / 2
            elif c in CLOSING:
                self.right[i] = em / 2
            elif c in MIDDLE:
                self.left[i] = self.right[i] = em / 4
        # consecutive punctuation: the space between two marks is taken out (after a closing mark
        # before an opening one, half an em stays)
        self.pair_cut = [0.0] * n  # removed between char i and i + 1, taken from i's right blank first
        for i in range(n - 1):
            between = self.right[i] + self.left[i + 1]
            if self.right[i] and self.left[i + 1]:  # the larger blank stays: half an em in 」「
                self.pair_cut[i] = between - max(self.right[i], self.left[i + 1])
            elif self.right[i] and self.chars[i + 1] in CLOSING and full[i + 1]:  # (a full ・ is the case above)
                self.pair_cut[i] = self.right[i]
            elif self.left[i + 1] and self.chars[i] in OPENING and full[i]:
                self.pair_cut[i] = self.left[i + 1]
        self.starts = []  # char index where each piece starts
        pos = 0
        for piece in self.pieces:
            self.starts.append(pos)
            pos += len(piece)
        self.starts.append(pos)
        self._unit_starts = set(self.starts)
        self.squeeze = [max(self.right[i] + self.left[i + 1] - self.pair_cut[i], 0.0) for i in range(n - 1)]
        self._sum_adv = _prefix(self.adv)
        self._sum_cut = _prefix(self.pair_cut)
        self._sum_squeeze = _prefix(self.squeeze)

    # ----------------------------------------------------------------- widths of a slice of chars

    def _gaps(self, s: int, e: int) -> tuple[float, list[float], list[float]]:
        """Natural width of chars [s, e) set as one line, and per gap (i, i + 1) what is left to
        compress and whether it may expand (1.0) or not (0.0: inside a unit)."""
        natural = self._sum_adv[e] - self._sum_adv[s] - (self._sum_cut[e - 1] - self._sum_cut[s])  # e > s: never empty
        return natural, self.squeeze[s:e - 1], [1.0 if i + 1 in self._unit_starts else 0.0 for i in range(s, e - 1)]

    def _min_width(self, s: int, e: int) -> float:
        """Width of chars [s, e) as one line with every blank inside it compressed (prefix sums:
        the breaker asks this for every candidate line)."""
        cut = self._sum_cut[e - 1] - self._sum_cut[s]
        squeeze = self._sum_squeeze[e - 1] - self._sum_squeeze[s]
        return self._sum_adv[e] - self._sum_adv[s] - cut - squeeze

    # ----------------------------------------------------------------- breaking

    def _legal(self, k: int) -> bool:
        """May a line end before piece k?"""
        nxt, prev = self.pieces[k], self.pieces[k - 1]
        return (nxt.isspace() or nxt[0] not in NO_START) and prev[-1] not in NO_END

    def lines(self, measure: float, fill: float | None = None) -> tuple[SetLine, ...]:
        """Lines filled up to `fill` mm (the measure unless told) and set to `measure`."""
        fill = measure if fill is None else fill
        out: list[SetLine] = []
        k, count = 0, len(self.pieces)
        while True:
            while k < count and self.pieces[k].isspace():
                k += 1
            if k >= count:
                break
            end = k + 1
            while end < count and self._min_width(self.starts[k], self.starts[end + 1]) <= fill + EPS:
                end += 1
            if end < count:
                brk = next((b for b in range(end, k, -1) if self._legal(b)), end)
                end = brk
            s, e = self.starts[k], self.starts[end]
            while e > s and self.chars[e - 1].isspace():
                e -= 1
            out.append(self._set(s, e, measure, final=end >= count))
            k = end
        return tuple(out)

    # ----------------------------------------------------------------- adjustment

    def _set(self, s: int, e: int, measure: float, final: bool) -> SetLine:
        natural, squeeze, stretch = self._gaps(s, e)
        extra = [0.0] * len(squeeze)  # added to each gap (negative: compressed)
        if natural > measure + EPS and sum(squeeze) > EPS:  # 追い込み: compress the marks' blanks evenly
            ratio = min(1.0, (natural - measure) / sum(squeeze))
            extra = [-q * ratio for q in squeeze]
        elif natural < measure - SLACK and not final and sum(stretch):  # spread evenly between characters
            each = (measure - natural) / sum(stretch)
            extra = [each * t for t in stretch]
        xs = [0.0]
        for i in range(s, e - 1):
            xs.append(xs[-1] + self.adv[i] - self.pair_cut[i] + extra[i - s])
        width = xs[-1] + self.adv[e - 1]
        return SetLine(self.chars[s:e], self._runs(s, e, xs), width, final)

    def _runs(self, s: int, e: int, xs: list[float]) -> tuple[Run, ...]:
        """Group characters into runs whose characters are all followed by the same space, so that
        each character's box (advance plus space) meets the next one's: no overlaps for a text
        extractor to read as a new line, and nothing added after the line's last character."""
        runs: list[Run] = []
        n = e - s

        def gap(k: int) -> float:
            """Space after character k, as the next one's position makes it (none after the last)."""
            return xs[k + 1] - xs[k] - self.adv[s + k] if k < n - 1 else 0.0

        i = 0
        while i < n:
            spacing = gap(i)
            j = i + 1
            while j < n and abs(gap(j) - spacing) < EPS:
                j += 1
            runs.append(Run(xs[i], self.chars[s + i:s + j], 0.0 if abs(spacing) < EPS else spacing))
            i = j
        return tuple(runs)
