"""Kinsoku: for every forbidden character, a string where a plain greedy break would put it at
the start (or an opening bracket at the end) of a line, and a check that ours does not. The
forbidden characters come from JLREQ, written out in jlreq.py, never from the code's own sets."""

import pytest

from jlreq import MAY_HANG as HANGING, NOT_AT_LINE_END as NO_END, NOT_AT_LINE_START as NO_START

from builder.text.linebreak import (Unit, _best_break, _split_oversized, avoid_short_last_line, break_lines,
                                    phrases_of, units)

WIDTH = 10  # characters; measure = len, so a greedy break falls after the 10th character


def measure(text: str) -> float:
    return float(len(text))


def _starts(lines):
    return [line[0] for line in lines[1:]]


@pytest.mark.parametrize("char", sorted(NO_START - HANGING))
def test_no_line_starts_with_forbidden_character(char):
    text = "あ" * WIDTH + char + "い" * 5
    lines = break_lines(text, measure, WIDTH)
    assert "".join(lines) == text
    assert all(c not in NO_START for c in _starts(lines)), lines
    assert all(len(line) <= WIDTH for line in lines), lines


@pytest.mark.parametrize("char", sorted(HANGING))
def test_hanging_punctuation_hangs_within_allowance(char):
    text = "あ" * WIDTH + char + "い" * 5
    lines = break_lines(text, measure, WIDTH, hang=1)
    assert lines[0] == "あ" * WIDTH + char  # hung at the end of the line
    assert lines[1][0] not in NO_START


@pytest.mark.parametrize("char", sorted(HANGING))
def test_punctuation_pushes_a_character_when_hanging_is_not_allowed(char):
    text = "あ" * WIDTH + char + "い" * 5
    lines = break_lines(text, measure, WIDTH, hang=0)
    assert lines[0] == "あ" * (WIDTH - 1)
    assert lines[1].startswith("あ" + char)


@pytest.mark.parametrize("char", sorted(NO_END))
def test_no_line_ends_with_opening_bracket(char):
    text = "あ" * (WIDTH - 1) + char + "いうえお" + "か" * 5
    lines = break_lines(text, measure, WIDTH)
    assert "".join(lines) == text
    assert all(line[-1] not in NO_END for line in lines), lines


@pytest.mark.parametrize("pair", ["——", "……"])
def test_dashes_and_ellipses_are_never_split(pair):
    text = "あ" * (WIDTH - 1) + pair + "い" * 5
    lines = break_lines(text, measure, WIDTH)
    assert all(pair in line or pair[0] not in line for line in lines), lines


def test_run_of_forbidden_characters_moves_back_as_far_as_needed():
    text = "あ" * (WIDTH - 1) + "っ」。" + "い" * 5
    lines = break_lines(text, measure, WIDTH, hang=0)
    assert all(c not in NO_START for c in _starts(lines)), lines


def test_latin_words_and_numbers_stay_whole():
    text = "あ" * 8 + "10.5%" + "い" * 3
    lines = break_lines(text, measure, WIDTH)
    assert any("10.5%" in line for line in lines), lines


def test_phrase_mode_breaks_between_phrases():
    lines = break_lines("パスワードの使い回しはやめましょう", measure, 8, phrases=True)
    assert lines == ["パスワードの", "使い回しは", "やめましょう"]



# ---------------------------------------------------------------- the breaker's parts, by hand
# Small cases whose lines are counted out by hand (measure = one per character), each reaching
# one rule of the breaker: what may start or end a line besides JLREQ's sets, spaces at a break,
# the last resort for a word wider than the line, phrase mode's preferences and the short last line.

def U(text: str, phrase_start: bool = True) -> Unit:
    return Unit(text, phrase_start)


@pytest.mark.parametrize("char", list("AXaxZ09あア漢([「"[:10]))
def test_ordinary_characters_may_start_a_line(char):
    """A plain greedy break where nothing forbids it: the 11th character starts line two."""
    text = "あ" * WIDTH + char + "い" * 3
    assert break_lines(text, measure, WIDTH) == ["あ" * WIDTH, char + "い" * 3]


@pytest.mark.parametrize("char", list("AX)」。、"))
def test_ordinary_characters_and_closing_marks_may_end_a_line(char):
    text = "あ" * (WIDTH - 1) + char + "い" * 3
    assert break_lines(text, measure, WIDTH) == ["あ" * (WIDTH - 1) + char, "い" * 3]


@pytest.mark.parametrize("char", list("XAー」"))
def test_only_commas_and_full_stops_hang(char):
    text = "あ" * WIDTH + char + "い" * 3
    lines = break_lines(text, measure, WIDTH, hang=1)
    assert lines[0] == ("あ" * WIDTH if char in "XA" else "あ" * (WIDTH - 1))


def test_hanging_needs_the_whole_allowance():
    assert break_lines("あ" * WIDTH + "。い", measure, WIDTH, hang=0.5)[0] == "あ" * (WIDTH - 1)
    assert break_lines("あ" * WIDTH + "。い", measure, WIDTH, hang=1.0)[0] == "あ" * WIDTH + "。"


def test_exact_fit_stays_on_one_line():
    assert break_lines("あ" * WIDTH, measure, WIDTH) == ["あ" * WIDTH]
    assert break_lines("あ" * (WIDTH + 1), measure, WIDTH) == ["あ" * WIDTH, "あ"]


def test_spaces_at_a_break_are_dropped():
    assert break_lines("あいうえお かきくけこ", measure, 5) == ["あいうえお", "かきくけこ"]
    assert break_lines("あいうえお   かきくけこ ", measure, 5) == ["あいうえお", "かきくけこ"]
    assert break_lines("あいうえお ", measure, 5) == ["あいうえお"]
    assert break_lines("あい うえお", measure, 3) == ["あい", "うえお"]  # the space fitted, then was dropped
    assert break_lines("  あい", measure, 5) == ["あい"]
    assert break_lines("   ", measure, 5) == []
    assert break_lines("", measure, 5) == []


def test_a_line_of_nothing_but_closing_marks_breaks_anyway():
    assert break_lines("」" * 13, measure, WIDTH) == ["」" * WIDTH, "」" * 3]


def test_one_character_wider_than_the_line_stands_alone():
    wide = lambda text: sum(25.0 if c == "W" else 1.0 for c in text)
    assert break_lines("あいWうえ", wide, WIDTH) == ["あい", "W", "うえ"]


def test_a_word_wider_than_the_line_is_cut_by_character():
    url = "https://example.jp/abcdefghij"  # 29 characters
    assert break_lines("あいう" + url, measure, WIDTH) == ["あいうhttps:/", "/example.j", "p/abcdefgh", "ij"]
    assert _split_oversized((U("ab"), U("cdef"), U("gh", False)), [2.0, 4.0, 2.0], measure, 3) == (
        [U("ab"), U("c"), U("d", False), U("e", False), U("f", False), U("gh", False)], [2.0, 1, 1, 1, 1, 2.0])
    assert _split_oversized((U("abcd", False),), [4.0], measure, 3)[0] == [U(c, False) for c in "abcd"]
    whole = (U("ab"), U("c"))  # nothing too wide: the same pieces back
    assert _split_oversized(whole, [2.0, 1.0], measure, 2) == (whole, [2.0, 1.0])
    # only what is wider than the line is cut: two characters are, a unit exactly as wide is not
    assert _split_oversized((U("ab"), U("efg", False)), [5.0, 3.0], measure, 3) == (
        [U("a"), U("b", False), U("efg", False)], [1, 1, 3])


def test_phrase_mode_also_hangs_marks_and_cuts_long_words():
    # the same lines as without phrases where BudouX offers no better break: 。 hangs when allowed
    assert break_lines("あ" * 10 + "。い" * 2, measure, 10, hang=1, phrases=True) == ["あ" * 10 + "。", "い。い"]
    assert break_lines("あ" * 10 + "。い" * 2, measure, 10, phrases=True) == ["あ" * 9, "あ。い。い"]
    # the address is a phrase of its own, so it starts a line; then it is cut by character
    assert break_lines("あいうhttps://example.jp/abcdefghij", measure, WIDTH, phrases=True) == \
        ["あいう", "https://ex", "ample.jp/a", "bcdefghij"]


def test_the_latest_legal_break_is_taken():
    pieces = [U(c) for c in "あいう」えお"]
    assert _best_break(pieces, 0, 5, False) == 5  # before お
    assert _best_break(pieces, 0, 3, False) == 2  # not before 」: before う
    pieces = [U(c) for c in "あ「いう"]
    assert _best_break(pieces, 0, 2, False) == 1  # not after 「


def test_phrase_mode_prefers_a_typed_space_then_a_phrase_start():
    # あいう|␣|えお|かき: phrases start at あ, え and か; the author's space wins over the later phrase
    pieces = [U("あ"), U("い", False), U("う", False), U(" "), U("え"), U("お", False), U("か"), U("き", False)]
    assert _best_break(pieces, 0, 7, True) == 3
    assert _best_break(pieces, 0, 6, True) == 3  # every place looked at, back to the start
    assert _best_break(pieces, 0, 7, False) == 7  # outside phrase mode: the latest legal break
    assert _best_break(pieces, 4, 7, True) == 6  # no space after the start: the phrase at か
    no_phrase = [U("あ"), *(U(c, False) for c in "いうえお")]
    assert _best_break(no_phrase, 0, 4, True) == 4  # no phrase start either: the latest legal break
    closing = [U("あ"), U("い", False), U("」"), U("う", False)]  # a phrase start that may not start a line
    assert _best_break(closing, 0, 3, True) == 3
    spaced = [U("あ"), U(" "), U("」"), U("う", False)]  # a space is always a legal place
    assert _best_break(spaced, 0, 3, True) == 1


def test_phrase_mode_keeps_budoux_phrases_whole():
    assert break_lines("怪しいメールの添付ファイルは開かずに削除", measure, 11, phrases=True) == \
        ["怪しいメールの", "添付ファイルは開かずに", "削除"]
    assert break_lines("怪しいメールの添付ファイルは開かずに削除", measure, 11) == \
        ["怪しいメールの添付ファ", "イルは開かずに削除"]  # ァ may not start a line: ファ|イル
    assert phrases_of("パスワードの 使い回しは  やめましょう") == ("パスワードの", "使い回しは", "やめましょう")
    assert [u.phrase_start for u in units("怪しいメール", True)] == [True, False, False, True, False, False]
    assert all(u.phrase_start for u in units("怪しいメール"))


def test_text_is_cut_into_units():
    assert [u.text for u in units("Wi-Fiの10.5%と\nhttps://ex.jp/a?b=1")] == \
        ["Wi-Fi", "の", "10.5%", "と", "\n", "https://ex.jp/a?b=1"]
    assert [u.text for u in units("A。end.——あ……")] == ["A", "。", "end", ".", "——", "あ", "……"]


@pytest.mark.parametrize("text, width, shortest, expected", [
    ("あ" * 11, 10, 3, ["あ" * 8, "あ" * 3]),  # 10+1, 9+2, then 8+3
    ("あ" * 21, 10, 3, ["あ" * 9, "あ" * 9, "あ" * 3]),
    ("あ" * 7, 3, 3, ["あ" * 3, "あ" * 3, "あ"]),  # narrower would take a fourth line: left as it was
    ("あ" * 11, 10, 1, ["あ" * 10, "あ"]),  # one character is enough when asked
    ("あ" * 12, 10, 3, ["あ" * 9, "あ" * 3]),
    ("あ" * 10, 10, 3, ["あ" * 10]),  # one line is never short
    ("あ" * 5, 4, 3, ["あ" * 3, "あ" * 2]),  # 4 x 0.98^12 still holds 3: gives up after 12 tries
])
def test_a_short_last_line_is_avoided(text, width, shortest, expected):
    assert avoid_short_last_line(text, measure, width, shortest=shortest) == expected


def test_short_last_line_rule_keeps_hanging_and_phrases():
    assert avoid_short_last_line("あ" * 10 + "。い" * 2, measure, 10, hang=1) == ["あ" * 10 + "。", "い。い"]
    assert avoid_short_last_line("あ" * 10 + "。い" * 2, measure, 10) == ["あ" * 9, "あ。い。い"]
    assert avoid_short_last_line("怪しいメールの添付ファイルは開かずに削除", measure, 11, phrases=True) == \
        ["怪しいメールの", "添付ファイルは", "開かずに削除"]


def test_short_last_line_rule_cuts_a_long_word_and_defaults_to_character_breaks():
    # 9 a line after one narrowing: "." may not start a line, so //example gives up its e
    assert avoid_short_last_line("あいうhttps://example.jp/abcdefghij", measure, WIDTH) == \
        ["あいうhttps:", "//exampl", "e.jp/abcd", "efghij"]
    assert avoid_short_last_line("怪しいメールの添付ファイルは開かずに削除", measure, 11) == \
        ["怪しいメールの添付ファ", "イルは開かずに削除"]


def test_short_last_line_rule_gives_up_after_twelve_narrowings():
    # 甲乙 (78) fits every width down to 100 x 0.98^12 = 78.47, leaving 丙丁 short; only a
    # thirteenth narrowing (76.90) would move 乙 down
    widths = {"甲": 40.0, "乙": 38.0, "丙": 23.0, "丁": 1.0}
    assert avoid_short_last_line("甲乙丙丁", lambda text: sum(widths[c] for c in text), 100) == ["甲乙", "丙丁"]
