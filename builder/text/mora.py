"""Morae (拍) of a kana reading, the unit a 5-7-5 verse counts.

Small ゃゅょ and small ぁぃぅぇぉゎ join the kana before them (きゃ is one mora); っ, ん and
the long mark ー each count as one. Spaces separate phrases.
"""

from __future__ import annotations

from builder.text.ruby import is_kana

VERSE = (5, 7, 5)
_JOINING = frozenset("ゃゅょぁぃぅぇぉゎゕゖャュョァィゥェォヮヵヶ")


def morae(kana: str) -> int:
    """How many morae `kana` has (spaces and anything not kana are not counted)."""
    return sum(1 for c in kana if is_kana(c) and c not in _JOINING)


def phrase_morae(reading: str) -> list[int]:
    """Morae of each space-separated phrase of a reading."""
    return [morae(phrase) for phrase in reading.split()]


def off_rhythm(reading: str, slack: int = 1) -> list[str]:
    """What keeps a reading from being a 5-7-5 verse within `slack` morae a phrase, in words
    (empty if nothing does)."""
    counts = phrase_morae(reading)
    if len(counts) != len(VERSE):
        return [f"it has {len(counts)} phrases; a verse has {len(VERSE)} (5-7-5), separated by spaces"]
    return [f"phrase {i} 「{phrase}」 has {count} morae; the verse wants {want}"
            for i, (phrase, count, want) in enumerate(zip(reading.split(), counts, VERSE), 1)
            if abs(count - want) > slack]
