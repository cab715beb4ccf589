"""Japanese line breaking by measured width, with kinsoku on both ends of a line.

Text is cut into units that never split (a Latin word or number, ——, ……), then lines are
filled greedily; a break is legal only where the next line does not start with a character
JLREQ forbids there and the line does not end with an opening bracket. 、。 may hang past the
line end within an allowance. In phrase mode (headings, slogans) breaks fall between BudouX
phrases where they can, so that short lines do not split a word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, NamedTuple

# JLREQ cl-02 closing brackets, cl-04 hyphens, cl-05/06/07 punctuation, cl-03 + small kana, ー and iteration marks
NO_START = frozenset(
    ")]}）〕］｝〉》」』】〙〗〟’”｠»"
    "、。，．,.・：；:;！？!?‼⁇⁈⁉"
    "ーゝゞヽヾ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "〜～‐゠–%％"
)
# JLREQ cl-01 opening brackets
NO_END = frozenset("([{（〔［｛〈《「『【〘〖〝‘“｟«")
HANGING = frozenset("、。，．,.")
_INSEPARABLE = ("——", "……", "‥‥", "──")
_LATIN_WORD = r"[A-Za-z0-9][A-Za-z0-9.,%:/@_\-+#&?=~]*[A-Za-z0-9%/]"
# one unit: a Latin word or number of two characters or more, an inseparable pair, else one character
_UNIT = re.compile("|".join([_LATIN_WORD, *map(re.escape, _INSEPARABLE), "."]), re.DOTALL)


class Unit(NamedTuple):
    text: str
    phrase_start: bool  # a BudouX phrase begins here (always True outside phrase mode)


@lru_cache(maxsize=4096)
def units(text: str, phrases: bool = False) -> tuple[Unit, ...]:
    """Cut text into unbreakable units, marking which begin a phrase (cached: fitting breaks
    the same text at several sizes)."""
    if not phrases:
        return tuple(map(_plain_unit, _UNIT.findall(text)))
    starts = _phrase_starts(text)
    return tuple(Unit(match.group(), match.start() in starts) for match in _UNIT.finditer(text))


@lru_cache(maxsize=8192)
def _plain_unit(piece: str) -> Unit:
    """A unit outside phrase mode, made once per piece: running text repeats its characters, and
    a named tuple's constructor is a Python call."""
    return Unit(piece, True)


@lru_cache(maxsize=1)
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=4096)
def _budoux(text: str) -> tuple[str, ...]:
    """BudouX's phrases of `text`, parsed once (its parser is a Python loop over every character;
    line breaking and the fitting of headings both ask), or as an earlier process stored them
    (text/phrases.py: then BudouX is not even imported)."""
    from builder.text.phrases import STORE

    phrases = STORE.get(text)
    if phrases is None:
        phrases = tuple(_parser().parse(text))
        STORE.add(text, phrases)
    return phrases


def phrases_of(text: str) -> tuple[str, ...]:
    """BudouX phrases without the spaces between them: the pieces a heading should not split."""
    return tuple(p.strip() for p in _budoux(text) if p.strip())


def _phrase_starts(text: str) -> set[int]:
    starts, pos = set(), 0
    for phrase in _budoux(text):
        starts.add(pos)
        pos += len(phrase)
    return starts


def break_lines(
    text: str,
    measure: Callable[[str], float],
    width: float,
    *,
    hang: float = 0.0,
    phrases: bool = False,
) -> list[str]:
    """Break `text` into lines no wider than `width` (same unit as `measure`).

    `hang` is how far 、。 may stand past `width`; callers that must keep ink inside a box pass
    a `width` already reduced by that allowance. A unit wider than a whole line is split by
    character as a last resort (a long URL).
    """
    return avoid_short_last_line(text, measure, width, hang=hang, phrases=phrases, shortest=0)


def _fill(whole: tuple[Unit, ...], whole_widths: list[float], measure: Callable[[str], float], width: float,
          hang: float, phrases: bool) -> list[str]:
    """The lines of `break_lines`, from the text's units measured once (the short-last-line rule
    tries several widths with the same measurements)."""
    pieces, widths = _split_oversized(whole, whole_widths, measure, width)
    texts = [u.text for u in pieces]  # (the loops below run for every width the short-last-line rule tries)
    lines: list[str] = []
    start, n = 0, len(pieces)
    while True:
        while start < n and texts[start].isspace():
            start += 1
        if start >= n:
            break
        end, used = start + 1, widths[start]  # a line holds at least one unit
        while end < n and used + widths[end] <= width:
            used += widths[end]
            end += 1
        if end < n and texts[end] in HANGING and used + widths[end] <= width + hang:
            end += 1  # 、。 hangs at the line end
        if end < n:
            end = _best_break(pieces, start, end, phrases)
        lines.append("".join(texts[start:end]).rstrip())
        start = end
    return lines


def _best_break(pieces: list[Unit], start: int, end: int, phrases: bool) -> int:
    """The latest legal break at or before `end`; in phrase mode, a phrase boundary if one is legal."""
    def legal(b: int) -> bool:
        return (pieces[b].text.isspace() or pieces[b].text[0] not in NO_START) and \
            pieces[b - 1].text[-1] not in NO_END

    if phrases:
        for b in range(end, start, -1):  # a space the author typed is the best phrase boundary
            if pieces[b].text.isspace() and legal(b):
                return b
        for b in range(end, start, -1):
            if pieces[b].phrase_start and legal(b):
                return b
    for b in range(end, start, -1):
        if legal(b):
            return b
    return end  # no legal break at all (a line of nothing but closing marks): break anyway


def _split_oversized(pieces: tuple[Unit, ...], widths: list[float], measure: Callable[[str], float],
                     width: float) -> tuple[tuple[Unit, ...] | list[Unit], list[float]]:
    # not mutated: a shortcut; with no unit wider than the line the loop below gives the same back
    if not widths or max(widths) <= width:  # pragma: no mutate
        return pieces, widths
    out: list[Unit] = []
    for unit, unit_width in zip(pieces, widths):
        if unit_width > width:  # (a single character is "cut" into itself)
            out.extend(Unit(c, unit.phrase_start and k == 0) for k, c in enumerate(unit.text))
        else:
            out.append(unit)
    return out, [measure(u.text) for u in out]


def avoid_short_last_line(
    text: str,
    measure: Callable[[str], float],
    width: float,
    *,
    hang: float = 0.0,
    phrases: bool = False,
    shortest: int = 3,
) -> list[str]:
    """Break as `break_lines`, but narrow the measure a little while the last line would hold
    fewer than `shortest` characters (a one- or two-character line looks like a mistake)."""
    whole = units(text)
    widths = [measure(u.text) for u in whole]
    lines = _fill(whole, widths, measure, width, hang, False)
    if phrases and len(lines) > 1:  # phrases only choose among breaks: a text on one line needs no BudouX
        whole = units(text, True)
        lines = _fill(whole, widths, measure, width, hang, True)
    trial = width
    for _ in range(12):
        if len(lines) < 2 or len(lines[-1].strip()) >= shortest:
            return lines
        trial *= 0.98
        candidate = _fill(whole, widths, measure, trial, hang, phrases)
        if len(candidate) > len(lines):
            return lines
        lines = candidate
    return lines
