"""Ruby (furigana): which kana of a reading go over which kanji of a text.

The reading is the kana of the whole text (hiragana, spaces where the text has them). The
kana already in the text anchor the alignment: everything between two anchors belongs to the
kanji run (or Latin word) between them. Each kanji run gets its kana as one group ruby (JLREQ:
group ruby when the reading cannot be split per kanji without a dictionary). Latin words
(USB, Wi-Fi) take their part of the reading but carry no ruby; punctuation takes none.

    align_ruby("共連れで", "ともづれで") == [("共連", "ともづ"), ("れで", None)]
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["RubyError", "align_ruby", "is_kana", "is_kanji", "to_hiragana"]


class RubyError(ValueError):
    """The reading does not fit the text (or fits it in more than one way)."""


_SMALL_START = frozenset("ぁぃぅぇぉゃゅょゎっんー")  # no kanji or Latin reading starts with these
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+&/]*")
# how Latin letters are read out, to prefer that split where a word meets a kanji run
_LETTER_NAMES = dict(zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ("えー", "びー", "しー", "でぃー", "いー", "えふ", "じー", "えいち", "あい", "じぇー", "けー", "える",
     "えむ", "えぬ", "おー", "ぴー", "きゅー", "あーる", "えす", "てぃー", "ゆー", "ぶい", "だぶりゅー",
     "えっくす", "わい", "ぜっと")))


def is_kanji(char: str) -> bool:
    """CJK ideographs and the marks that behave as kanji in a reading (々 〆 〇 ヶ)."""
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FFFF or char in "々〆〇ヶ")


def to_hiragana(text: str) -> str:
    """Katakana to hiragana (ー and everything else unchanged)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" and c != "ヶ" else c for c in text)


def is_kana(char: str) -> bool:
    """Hiragana, katakana (small ones too) and the long mark ー; not ・ ゝ or the voicing marks."""
    return "ぁ" <= char <= "ゖ" or "ァ" <= char <= "ヺ" or char == "ー"


def _pieces(text: str) -> list[tuple[str, str]]:
    """The text cut into runs: ("kanji", 共連), ("latin", USB), ("kana", れで), ("space", " ")
    and ("mark", "、？") for what is not read."""
    pieces: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        latin = _LATIN.match(text, i)
        if latin:
            kind, end = "latin", latin.end()
        else:
            kind = ("kanji" if is_kanji(char) else "kana" if is_kana(char) else "space" if char.isspace()
                    else "mark")
            end = i + 1
            while end < len(text) and not _LATIN.match(text, end) and (
                    is_kanji(text[end]) if kind == "kanji" else is_kana(text[end]) if kind == "kana"
                    else text[end].isspace() if kind == "space" else False):
                end += 1
        if kind == "mark" and pieces and pieces[-1][0] == "mark":
            pieces[-1] = ("mark", pieces[-1][1] + text[i:end])
        else:
            pieces.append((kind, text[i:end]))
        i = end
    return pieces


def _spelled(word: str) -> str | None:
    """USB -> ゆーえすびー; None for words that are not read letter by letter (Wi-Fi)."""
    if not word.isalpha() or not word.isupper():
        return None
    return "".join(_LETTER_NAMES[c] for c in word)


def align_ruby(text: str, reading: str) -> list[tuple[str, str | None]]:
    """The text cut into (base, ruby) pairs, in order, the bases joining to `text`: each kanji
    run with its kana, everything else with None. Raises RubyError, saying where, when the
    reading does not fit the text or could be split between two runs in more than one way."""
    reading = " ".join(reading.split())
    pieces = _pieces(text)
    solutions = _solve(pieces, reading)
    if not solutions:
        raise RubyError(_misfit(text, reading))
    if len(solutions) > 1:
        first, second = solutions
        index = next(i for i, (a, b) in enumerate(zip(first, second)) if a != b)
        raise RubyError(f"the reading 「{reading}」 can be split over 「{pieces[index][1]}」 in more than one "
                        f"way (「{first[index]}」 or 「{second[index]}」); put kana between it and its "
                        f"neighbour in the text, or write the word differently")
    pairs: list[tuple[str, str | None]] = []
    for (kind, base), kana in zip(pieces, solutions[0]):
        ruby = kana if kind == "kanji" else None
        if ruby is None and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0] + base, None)
        else:
            pairs.append((base, ruby))
    return pairs


def _solve(pieces: list[tuple[str, str]], reading: str) -> list[list[str]]:
    """Up to two ways of giving each piece its part of the reading. A Latin word that can be
    read letter by letter (USB, PC) is read that way if any split allows it; otherwise as a
    word of any length. `ways` counts (up to two) the splits of the rest from each (piece,
    position), once each, so that even a reading that fits nowhere is settled quickly."""
    for spell in (True, False):
        solutions = _splits(pieces, reading, spell)
        if solutions:
            return solutions
    return []


def _splits(pieces: list[tuple[str, str]], reading: str, spell: bool) -> list[list[str]]:
    @lru_cache(maxsize=None)
    def ways(index: int, pos: int) -> tuple[tuple[str, ...], ...]:
        if index == len(pieces):
            return ((),) if pos == len(reading) else ()
        found: list[tuple[str, ...]] = []
        for part in _choices(pieces[index], reading, pos, spell):
            for rest in ways(index + 1, pos + len(part)):
                found.append((part, *rest))
                if len(found) > 1:
                    return tuple(found)
        return tuple(found)

    try:
        return [list(way) for way in ways(0, 0)]
    finally:
        ways.cache_clear()


def _choices(piece: tuple[str, str], reading: str, pos: int, spell: bool) -> list[str]:
    """The parts of the reading from `pos` that `piece` may take."""
    kind, base = piece
    if kind == "mark":
        return [""]
    if kind == "space":
        return [" "] if reading.startswith(" ", pos) else []
    if kind == "kana":
        want = to_hiragana(base)
        return [want] if reading.startswith(want, pos) else []
    spelled = _spelled(base) if kind == "latin" else None
    if spell and spelled is not None:
        return [spelled] if reading.startswith(spelled, pos) else []
    parts = []
    for end in range(pos + (len(base) if kind == "kanji" else 1), len(reading) + 1):
        part = reading[pos:end]
        if " " in part or part[0] in _SMALL_START:
            break
        parts.append(part)
    return parts


def _misfit(text: str, reading: str) -> str:
    """Say which phrase the reading does not fit, and which kana of the text it must contain."""
    phrases, said = text.split(), reading.split()
    if len(phrases) != len(said):
        return (f"the reading 「{reading}」 has {len(said)} phrases but the text 「{text}」 has "
                f"{len(phrases)}; separate the reading's phrases with spaces as the text does")
    for phrase, kana in zip(phrases, said):
        pieces = _pieces(phrase)
        if not _solve(pieces, kana):
            anchors = "・".join(to_hiragana(b) for k, b in pieces if k == "kana")
            hint = f"; it must contain the text's kana 「{anchors}」 in that order" if anchors else ""
            return f"the reading 「{kana}」 does not fit 「{phrase}」{hint}"
    return f"the reading 「{reading}」 does not fit the text 「{text}」"
