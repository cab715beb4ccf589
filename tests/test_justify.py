"""text/justify.py without rendering: a stub font with JIS-like widths (1 em for kana, kanji and
full-width marks, 0.5 em for ASCII) stands in for the fixed-pitch face, so every expected width
here is counted by hand in ems."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from builder.text.justify import justify
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
