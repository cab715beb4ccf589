"""The theme: colours, fonts, sizes and paper, so that no design number lives in code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import Where

PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "Letter": (215.9, 279.4),
}


@dataclass(frozen=True)
class Colour:
    name: str
    rgb: tuple[int, int, int]
    cmyk: tuple[float, float, float, float]  # 0..1 each


def plain_cmyk(rgb: tuple[int, int, int], min_ink: float = 0.0) -> tuple[float, float, float, float]:
    """CMYK (0..1) for an sRGB colour that has no mix of its own (art colours, theme colours
    without `cmyk`): the uncalibrated device conversion, black taken out as far as it goes
    (full grey replacement, so at most three inks and 300 % in all), rounded to whole percent,
    components under `min_ink` (too faint to hold on press) dropped. Good enough for
    illustrations; colours that must match a brand give their mix in theme.yaml."""
    r, g, b = (c / 255 for c in rgb)
    k = 1 - max(r, g, b)
    if k >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    mix = ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)
    rounded = (round(v * 100) / 100 for v in mix)
    return tuple(0.0 if v < min_ink else v for v in rounded)  # type: ignore[return-value]


@dataclass(frozen=True)
class TextRules:
    hanging_allowance: float  # in character widths
    line_height: float  # times the font size
    min_size_ratio: float  # fitting goes down to this share of the design size


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float


@dataclass(frozen=True)
class Composer:
    """How the newsletter's pages are composed: the choices a finding's layout may take."""

    chart_scales: tuple[float, ...]  # chart plot heights the composer may use, times the design height
    side_growth: float  # a chart goes beside its text only if it grows no more than this in the column
    max_unused: float  # mm of type area a page may leave empty at its foot
    stretch: float  # mm each space between blocks may grow to fill a page
    columns_from_lines: int  # a paragraph runs into a second column only from this many lines
    max_chars: int  # characters a line of running text holds at most
    action_gaps: tuple[float, ...]  # mm between the closing block's actions, to choose from
    pie_min: float  # mm, a doughnut's smallest diameter, shrunk to keep its legend on one line beside it
    pie_wide: float  # mm: from this width a pie's legend is a bar per category beside the doughnut, across the width


@dataclass(frozen=True)
class CoverStyle:
    """How the newsletter's cover shares out the space its content leaves."""

    spare_under_masthead: float  # share of the spare space under the masthead; the rest goes above the contents
    gaps: tuple[float, ...]  # mm between the cover's groups, the preferred first, tighter ones to make room


@dataclass(frozen=True)
class NewsletterStyle:
    paper: Paper
    margin: dict[str, float]
    bleed: float
    sizes: dict[str, float]
    colours: dict[str, Colour]
    chart_palette: tuple[Colour, ...]
    composer: Composer
    cover: CoverStyle


@dataclass(frozen=True)
class SocialStyle:
    brand: str  # the line at the foot of every image
    call_to_action: str  # the caption's closing line, before the hashtags
    hashtags: tuple[str, ...]
    background: Colour
    presets: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class BackStyle:
    """One kind of card back (取り札 or 読み札): different colours, pattern and label, so that
    mixed cards can be sorted face down."""

    colour: Colour
    pattern: str  # a traditional pattern drawn in lines: asanoha (麻の葉) or kagome (籠目)
    pattern_colour: Colour
    label: str


@dataclass(frozen=True)
class PictureStyle:
    """The picture card (取り札): kana disc top-left, art, keyword band across the foot."""

    kana: float  # pt, the kana in its disc: the largest text on the card
    disc: float  # mm, the disc's diameter
    ring: float  # mm, the paper ring that lifts the disc off the art
    keyword: float  # pt
    band: float  # mm, the keyword band's height above the trim (it runs on into the bleed)
    prop: float  # a prop's size as a share of the main piece's
    halo: float  # mm, the outline that lifts a prop off the main piece
    colours: dict[str, Colour]  # kana, keyword, ring, halo


@dataclass(frozen=True)
class KarutaStyle:
    card_width: float
    card_height: float
    corner_radius: float
    safe_margin: float
    bleed: float
    paper: Paper
    sheet_margin: float
    press_gutter: float
    sizes: dict[str, float]
    colours: dict[str, Colour]
    back_text: str
    backs: dict[str, BackStyle]  # "picture" (取り札) and "reading" (読み札)
    sheet_gutter: float  # mm between cards on office sheets: each card's colour ends at its own cut
    back_sizes: dict[str, float]  # pt: title and label of the back's lockup; pattern cell and line in mm
    social: SocialStyle
    picture: PictureStyle
    where: Where | None = field(default=None, compare=False, repr=False)  # the karuta section


@dataclass(frozen=True)
class PressStyle:
    """The printing condition print-shop files are made for (PDF/X output intent) and the ink
    limits their colours keep (ISO 12647-2 offset on coated paper by default)."""

    output_condition: str = "JC200103"
    condition_name: str = "Japan Color 2001 Coated"
    registry: str = "http://www.color.org"
    min_ink: float = 0.05  # a component below this (and above 0) does not hold on press
    max_total_ink: float = 3.0  # C+M+Y+K at most this (300 %)
    fine_text: float = 9.0  # pt: smaller text is printed in one ink
    fine_line: float = 0.5  # pt: thinner lines are printed in one ink


@dataclass(frozen=True)
class Theme:
    fonts: dict[str, Path]  # role -> TrueType file
    colours: dict[str, Colour]
    text: TextRules
    newsletter: NewsletterStyle
    karuta: KarutaStyle
    press: PressStyle = PressStyle()
