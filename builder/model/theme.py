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


@dataclass(frozen=True)
class NewsletterStyle:
    paper: Paper
    margin: dict[str, float]
    bleed: float
    sizes: dict[str, float]
    colours: dict[str, Colour]
    chart_palette: tuple[Colour, ...]
    composer: Composer


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
