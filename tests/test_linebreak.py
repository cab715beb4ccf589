"""Kinsoku: for every forbidden character, a string where a plain greedy break would put it at
the start (or an opening bracket at the end) of a line, and a check that ours does not. The
forbidden characters come from JLREQ, written out in jlreq.py, never from the code's own sets."""

import pytest

from jlreq import MAY_HANG as HANGING, NOT_AT_LINE_END as NO_END, NOT_AT_LINE_START as NO_START

from builder.text.linebreak import break_lines

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

