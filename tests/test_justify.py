"""text/justify.py without rendering: a stub font with JIS-like widths (1 em for kana, kanji and
full-width marks, 0.5 em for ASCII) stands in for the fixed-pitch face, so every expected width
here is counted by hand in ems."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from builder.text.justify import justify, paragraph_units
from builder.text.linebreak import NO_END, NO_START

SIZE = 72 / 25.4  # pt: one em is exactly 1 mm


class Grid:
    """Fixed pitch: ASCII half width, everything else full width."""

    def advance(self, char: str) -> float:
        return 0.5 if ord(char) < 0x80 else 1.0


GRID = Grid()
TEXT = ("過去3年間に、勤務先でサイバーセキュリティ上の事故やトラブルが「発生した」と答えた人は10.5%、"
        "「発生していない」は89.5%でした。回答者1,000人のうち、2021年に公衆Wi-Fiで仕事をした人もいます。")


@pytest.mark.parametrize("measure", [12, 17, 20, 26, 33, 40])
def test_every_line_but_the_last_fills_the_measure(measure):
    lines = justify(TEXT, GRID, SIZE, float(measure))
    assert "".join(line.text for line in lines) == TEXT
    for line in lines[:-1]:
        assert abs(line.width - measure) < 0.03, (line.text, line.width)
        assert not line.final
    assert lines[-1].final and lines[-1].width <= measure + 1e-6


@pytest.mark.parametrize("measure", [12, 17, 20, 26, 33, 40])
def test_kinsoku_and_units_hold(measure):
    lines = justify(TEXT, GRID, SIZE, float(measure))
    for line in lines:
        assert line.text[0] not in NO_START, line.text
        assert line.text[-1] not in NO_END, line.text
    joined = "|".join(line.text for line in lines)
    for unit in ("10.5%", "89.5%", "1,000人", "2021年", "Wi-Fi", "3年"):
        assert unit in joined, (unit, joined)


def test_runs_rebuild_the_line_and_its_width():
    for line in justify(TEXT, GRID, SIZE, 26.0):
        assert "".join(run.text for run in line.runs) == line.text
        last = line.runs[-1]
        end = last.x + sum(GRID.advance(c) for c in last.text) + last.spacing * (len(last.text) - 1)
        assert abs(end - line.width) < 1e-6
        xs = [run.x for run in line.runs]
        assert xs == sorted(xs)


def test_consecutive_marks_are_set_tight():
    # 「あ」「い」: 」 and 「 meet, half an em stays between them (JLREQ): 6 characters, 5.5 em
    (line,) = justify("「あ」「い」", GRID, SIZE, 40.0)
    assert abs(line.width - 5.5) < 1e-9
    # 」。 : the bracket loses its blank half, the full stop keeps its own: 4 characters, 3.5 em
    (line,) = justify("「あ」。", GRID, SIZE, 40.0)
    assert abs(line.width - 3.5) < 1e-9


def test_a_long_line_is_pulled_in_by_compressing_marks():
    # 10 characters with two 、: at a 9.5 em measure both commas give up a quarter em (追い込み)
    # rather than pushing a character to a second line
    lines = justify("あいう、えお、かきく", GRID, SIZE, 9.5)
    assert len(lines) == 1 and abs(lines[0].width - 9.5) < 1e-9


def test_a_paragraph_does_not_end_on_one_character():
    lines = justify("あいうえおかきくけこさしすせそたちつてとな。", GRID, SIZE, 10.0)
    assert len(lines[-1].text) >= 3, [line.text for line in lines]


kana = st.sampled_from(list("あいうえおかきくけこ漢字仮名、。「」・ー") + ["12.5%", "Wi-Fi", "2021年", "ABC"])


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(kana, min_size=1, max_size=80), st.integers(min_value=8, max_value=40))
def test_any_text_justifies_flush(pieces, measure):
    text = "".join(pieces)
    lines = justify(text, GRID, SIZE, float(measure))
    assert "".join(line.text for line in lines) == text.strip()
    for line in lines[:-1]:
        # flush, unless one unbreakable piece is longer than the line (then it stands alone)
        assert abs(line.width - measure) < 0.03 or len(line.runs) == 1 or line.width > measure, line.text


# ---------------------------------------------------------------- set lines counted out by hand
def _set(text: str, measure: float, metrics=GRID) -> list[tuple]:
    """Each line as (text, width, final, runs as (x, text, spacing)), rounded to 1e-6 mm."""
    return [(line.text, round(line.width, 6), line.final,
             [(round(run.x, 6), run.text, round(run.spacing, 6)) for run in line.runs])
            for line in justify(text, metrics, SIZE, measure)]


def test_a_short_line_is_spread_evenly_between_characters():
    # 8 characters at 7.5 mm: 7 + 1 leaves one character alone; filling to 7.0, 6.5, 6.0 still does;
    # at 5.5 it is 5 + 3. The first line is spread to 7.5: four gaps of 2.5 / 4 mm, none after お
    assert _set("あいうえおかきく", 7.5) == [
        ("あいうえお", 7.5, False, [(0.0, "あいうえ", 0.625), (6.5, "お", 0.0)]),
        ("かきく", 3.0, True, [(0.0, "かきく", 0.0)])]


def test_compressed_commas_give_up_a_quarter_each():
    # 10 em into 9.5 mm: each 、 gives half of its blank half
    assert _set("あいう、えお、かきく", 9.5) == [("あいう、えお、かきく", 9.5, True, [
        (0.0, "あいう", 0.0), (3.0, "、", -0.25), (3.75, "えお", 0.0), (5.75, "、", -0.25), (6.5, "かきく", 0.0)])]


def test_opening_after_opening_is_set_solid():
    # JLREQ 3.1.4: no space between two opening brackets: （ loses its blank half
    assert _set("「（あ", 10.0) == [("「（あ", 2.5, True, [(0.0, "「", -0.5), (0.5, "（あ", 0.0)])]


def test_closing_before_closing_is_set_solid():
    # 」」: the first loses its blank half, the second keeps it (3.5 em for 4 characters)
    assert _set("あ」」い", 10.0)[0][1] == 3.5
    assert _set("あ」、い", 10.0)[0][1] == 3.5


def test_spaces_at_a_break_are_dropped_and_the_line_is_still_flush():
    assert _set("  あいう えおか  ", 3.0) == [
        ("あいう", 3.0, False, [(0.0, "あいう", 0.0)]), ("えおか", 3.0, True, [(0.0, "えおか", 0.0)])]
    # あい␣ fills 2.5 of 3 mm; the space is dropped at the break and the two kana spread to 3 mm
    assert _set("あい うえお", 3.0) == [
        ("あい", 3.0, False, [(0.0, "あ", 1.0), (2.0, "い", 0.0)]), ("うえお", 3.0, True, [(0.0, "うえお", 0.0)])]


def test_never_spread_inside_a_word():
    # Wi-Fi (2.5 mm) と あ = 4.5 mm in 5: the half millimetre goes to the two gaps after the word
    assert _set("Wi-Fiとあいうえお", 5.0) == [
        ("Wi-Fiとあ", 5.0, False, [(0.0, "Wi-F", 0.0), (2.0, "iと", 0.25), (4.0, "あ", 0.0)]),
        ("いうえお", 4.0, True, [(0.0, "いうえお", 0.0)])]


def test_a_line_within_the_slack_is_not_spread():
    assert _set("あいうえおか", 3.01) == [
        ("あいう", 3.0, False, [(0.0, "あいう", 0.0)]), ("えおか", 3.0, True, [(0.0, "えおか", 0.0)])]
    assert _set("あいうえおか", 3.03)[0][1] == 3.03


class Proportional:
    """Grid, but 、 narrower than a full em by `short` em."""

    def __init__(self, short: float):
        self.short = short

    def advance(self, char: str) -> float:
        return 1.0 - self.short if char == "、" else GRID.advance(char)


@pytest.mark.parametrize("short, lines", [(0.0, 1), (0.04, 1), (0.06, 2), (0.1, 2)])
def test_only_a_full_width_mark_has_blanks_to_give(short, lines):
    """A comma within 5 % of an em is a full-width mark with a blank half to compress; a narrower
    one (a proportional face's) has none, so the line cannot be pulled in."""
    assert len(justify("あいう、えお、かきく", Proportional(short), SIZE, 9.5)) == lines


def test_numbers_keep_their_counters():
    assert paragraph_units("回答者1,000人のうち2021年に3割、abc人10%人") == (
        "回", "答", "者", "1,000人", "の", "う", "ち", "2021年", "に", "3割", "、", "abc", "人", "10%人")


def test_a_middle_dot_gives_up_its_quarters():
    # ・ carries a quarter em blank each side (JLREQ cl-05); at 2.5 mm both go, at 2.75 half of each
    assert _set("あ・い", 10.0) == [("あ・い", 3.0, True, [(0.0, "あ・い", 0.0)])]
    assert _set("あ・い", 2.5) == [("あ・い", 2.5, True, [(0.0, "あ・", -0.25), (1.5, "い", 0.0)])]
    assert _set("あ・い", 2.75) == [("あ・い", 2.75, True, [(0.0, "あ・", -0.125), (1.75, "い", 0.0)])]


def test_marks_after_a_half_width_character_still_have_blanks():
    # A (half an em) + 10 em into 10 mm: the two 、 give up a quarter each
    (line,) = justify("Aあいう、えお、かきく", GRID, SIZE, 10.0)
    assert abs(line.width - 10.0) < 1e-9


def test_a_character_that_may_not_start_a_line_pushes_one_out():
    # あいうえお fills 5 mm; 」 may not start the next line, so お goes down with it (追い出し)
    # and あいうえ is spread over the measure: three gaps of a third
    assert _set("あいうえお」かきくけこさしす", 5.0) == [
        ("あいうえ", 5.0, False, [(0.0, "あいう", round(1 / 3, 6)), (4.0, "え", 0.0)]),
        ("お」かきく", 5.0, False, [(0.0, "お」かきく", 0.0)]),
        ("けこさしす", 5.0, True, [(0.0, "けこさしす", 0.0)])]


def test_a_line_of_nothing_but_closing_marks_breaks_anyway():
    # 」」: set solid, half an em each after the first: five fill 3 mm, no legal break among them;
    # then the short-last-line rule takes one back: 4 + 3
    assert [line.text for line in justify("」" * 7, GRID, SIZE, 3.0)] == ["」」」」", "」」」"]


def test_widths_scale_with_the_size():
    # at twice the size an em is 2 mm: three kana fill 6 mm
    assert [(line.text, round(line.width, 6)) for line in justify("あいうえおか", GRID, SIZE * 2, 6.0)] == \
        [("あいう", 6.0), ("えおか", 6.0)]
