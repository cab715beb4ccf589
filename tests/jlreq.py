"""Kinsoku character classes written out from JLREQ (W3C, "Requirements for Japanese Text
Layout", Appendix A) and JIS X 4051, so that the tests do not take their oracle from the code's
own sets. Each string is one JLREQ class."""

from __future__ import annotations

# cl-01 opening brackets: never at the end of a line
OPENING_BRACKETS = "‘“(（〔[［{｛〈《「『【｟〘〖«〝"
# cl-02 closing brackets: never at the start of a line
CLOSING_BRACKETS = "’”)）〕]］}｝〉》」』】｠〙〗»〟"
# cl-03 hyphens
HYPHENS = "‐〜゠–"
# cl-04 dividing punctuation marks
DIVIDING = "？！?!‼⁇⁈⁉"
# cl-05 middle dots
MIDDLE_DOTS = "・：；:;"
# cl-06 full stops, cl-07 commas
FULL_STOPS = "。．."
COMMAS = "、，,"
# cl-09 iteration marks
ITERATION_MARKS = "ヽヾゝゞ々〻"
# cl-10 prolonged sound mark
PROLONGED_SOUND_MARK = "ー"
# cl-11 small kana (JIS X 4051 lets loose setting allow them; this project keeps them off, as its guide says)
SMALL_KANA = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"

NOT_AT_LINE_START = frozenset(CLOSING_BRACKETS + HYPHENS + DIVIDING + MIDDLE_DOTS + FULL_STOPS + COMMAS
                              + ITERATION_MARKS + PROLONGED_SOUND_MARK + SMALL_KANA)
NOT_AT_LINE_END = frozenset(OPENING_BRACKETS)
# JLREQ 3.8.2: full stops and commas may hang past the line end (ぶら下げ)
MAY_HANG = frozenset("。．、，")

# JLREQ 3.1.4 / JIS X 4051: in vertical writing these take their vertical forms (turned 90° here):
# brackets, the prolonged sound mark, dashes, leaders and the wave dash
TURNED_IN_VERTICAL = frozenset("「」『』（）【】〈〉《》〔〕［］｛｝ー—―…‥〜～")
