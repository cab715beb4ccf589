"""Press colour rules on plain numbers (render.inks), with expectations worked out by hand from
the print conventions: one ink under 9 pt or 0.5 pt, K100 black overprinting, no dot under 5 %,
total ink at most 300 %."""

from __future__ import annotations

from builder.model.theme import PressStyle
from builder.render.inks import press_ink

PRESS = PressStyle()


def test_black_text_overprints_and_black_fills_do_not():
    assert press_ink((0, 0, 0, 1), PRESS, line_art=True).overprint
    assert not press_ink((0, 0, 0, 1), PRESS).overprint  # an area of black knocks out
    assert not press_ink((0, 0, 0, 0.9), PRESS, line_art=True).overprint  # a K90 screen is not black


def test_small_grey_text_prints_on_the_black_plate_alone():
    c, m, y, k = press_ink((0.20, 0.10, 0.0, 0.65), PRESS, fine=True, line_art=True).cmyk
    assert (c, m, y) == (0, 0, 0)
    assert 0.70 <= k <= 0.80  # 1 - 0.8 * 0.9 * 0.35 = 0.748: as dark as the mix


def test_small_clear_colour_keeps_its_strongest_ink():
    assert press_ink((1.0, 0.55, 0.0, 0.25), PRESS, fine=True).cmyk == (1.0, 0.0, 0.0, 0.0)
    assert press_ink((0.0, 0.75, 1.0, 0.05), PRESS, fine=True).cmyk == (0.0, 0.0, 1.0, 0.0)


def test_large_text_keeps_its_mix():
    assert press_ink((1.0, 0.55, 0.0, 0.25), PRESS, line_art=True).cmyk == (1.0, 0.55, 0.0, 0.25)


def test_faint_dots_are_dropped_and_heavy_mixes_limited():
    assert press_ink((0.15, 0.03, 0.0, 0.0), PRESS).cmyk == (0.15, 0.0, 0.0, 0.0)
    c, m, y, k = press_ink((1.0, 1.0, 1.0, 0.5), PRESS).cmyk
    assert k == 0.5 and abs(c + m + y + k - 3.0) < 0.01 and c == m == y
