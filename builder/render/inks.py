"""How a colour prints on press (PDF/X files): the one place where a display-list colour's CMYK
mix is adjusted for the printing condition. Pure functions, so the rules are tested without a PDF.

- A mix keeps every component 0 or at least the press minimum (a 2 % dot does not hold) and its
  total ink within the limit. Theme colours are checked when the theme loads; this cleans colours
  made in code (illustrations, conversions) the same way.
- Small text and fine lines print in one ink: on four plates they fringe when plates slip.
- Black text and hairlines print as K100 and overprint, so a slipped plate leaves no white gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model.theme import PressStyle

CMYK = tuple[float, float, float, float]
BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)
NEUTRAL_SPREAD = 0.25  # C, M and Y this close together read as a grey, which K alone prints


@dataclass(frozen=True)
class Ink:
    cmyk: CMYK
    overprint: bool = False


def press_ink(cmyk: CMYK, press: PressStyle, *, fine: bool = False, line_art: bool = False) -> Ink:
    """The mix a colour prints with. `fine`: text under press.fine_text pt or a line under
    press.fine_line pt; `line_art`: text or a stroke (not an area fill), which overprints when black."""
    mix = clean(cmyk, press)
    if fine and sum(1 for v in mix if v > 0) > 1:
        mix = single_ink(mix, press)
    return Ink(mix, overprint=line_art and mix == BLACK)


def clean(cmyk: CMYK, press: PressStyle) -> CMYK:
    """Whole tenths of a percent, faint components dropped, total ink scaled into the limit
    by taking C, M and Y down (K carries the darkness)."""
    c, m, y, k = (0.0 if v < press.min_ink else round(min(v, 1.0), 3) for v in cmyk)
    total = c + m + y + k
    if total > press.max_total_ink:
        scale = max(press.max_total_ink - k, 0.0) / (c + m + y)
        c, m, y = (round(v * scale, 3) for v in (c, m, y))
    return (c, m, y, k)


def single_ink(cmyk: CMYK, press: PressStyle) -> CMYK:
    """One plate for a mix: greys and dark colours go to K at the mix's overall density; a
    clear colour keeps its strongest chromatic ink."""
    c, m, y, k = cmyk
    chroma = max(c, m, y) - min(c, m, y)
    if chroma <= NEUTRAL_SPREAD or k >= max(c, m, y):
        density = 1 - (1 - c) * (1 - m) * (1 - y) * (1 - k)
        return (0.0, 0.0, 0.0, max(round(density, 2), press.min_ink))
    strongest = max(range(3), key=lambda i: cmyk[i])
    mix = [0.0, 0.0, 0.0, 0.0]
    mix[strongest] = cmyk[strongest]
    return tuple(mix)  # type: ignore[return-value]
