"""The survey newsletter as A4 pages: a cover (masthead, headline, lead, key figures, contents and
survey overview), then PART1-PART5 flowing through the pages, with a running header and footer.

The parts are cut into blocks that never break (a part banner, a heading with its text, a chart)
and laid down a page at a time; a block that must stay with the next one (a banner, an intro)
moves to the next page with it. Each finding is set either as text beside its chart or as text
in two balanced columns above a full-width chart, whichever takes less height."""

from __future__ import annotations

import math
from collections.abc import Callable
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.card import kana_badge, layout_card, reading_explanation_size, reading_slogan_size
from builder.layout.charts import Drawing, Setter, chart_drawing, shifted, text_colour_on
from builder.layout.geometry import Bookmark, Circle, Item, Line, Page, Polygon, Rect
from builder.layout.geometry import Link as Hotspot
from builder.layout.marks import MARK_LENGTH, crop_marks, slug_position
from builder.layout.qr import qr_rects
from builder.layout.textblock import Block, Paragraph, located
from builder.model.newsletter import Closing, Finding, KeyFigure, Link, Newsletter, Part
from builder.model.theme import Colour, Composer, Theme
from builder.text.fonts import PT_TO_MM, Face, face
from builder.text.justify import justify

GUTTER = 6.0  # mm between two columns
BAND_PAD = 5.0  # masthead band below its last line
CALLOUT_GAP = 4.0  # between key-figure boxes
CALLOUT_PAD = 3.2
LINE_GAP = 1.6  # between stacked lines of one small block
PART_GAP = 10.0  # above a part banner
BANNER_PAD = 2.8
INTRO_GAP = 4.0  # banner to intro, intro to the first finding
FINDING_GAP = 8.0
HEADING_GAP = 2.4  # heading to its text
HEADING_BAR = 1.2  # the brand-coloured bar left of a heading
HEADING_INDENT = 3.2
CHART_GAP = 5.0  # text to a chart below it, or between two charts
SUMMARY_GAP = 3.0  # between the parts listed on the cover
TAG_PAD = 1.2  # around a part id in the contents
HEADER_GAP = 6.0  # header rule to the first block
FOOTER_GAP = 5.0  # last block to the footer rule
RULE_GAP = 1.6  # a header or footer line to its rule
RULE_WIDTH = 0.2
QR_SIZE = 26.0
SMALL_LINE_HEIGHT = 1.3  # URLs and notes sit tighter than running text
MARK_SPARE = 2.0  # sheet left beyond the crop marks in bleed mode
EMBLEM_RATIO = 0.8  # the emblem's width to its height
ICEBERG_HEIGHT = 40.0  # mm, the key visual's drawing (sky and sea)
ICEBERG_PAD = 3.0  # mm above the tip and below the base
ACTION_GAP = 3.5  # mm between the closing block's actions, preferred (the theme lists the choices)



@dataclass(frozen=True)
class _Style:
    """Everything the newsletter's layout reads from the theme, looked up once."""

    type: Setter
    theme: Theme
    sizes: dict[str, float]
    colours: dict[str, Colour]
    paper: Colour
    width: float  # of the text area
    column: float  # one of two columns
    grid: Face  # fixed-pitch face for running text
    faces: dict = field(default_factory=dict, compare=False)  # card faces by kana and sizes, laid out once

    @classmethod
    def of(cls, theme: Theme) -> _Style:
        nl = theme.newsletter
        width = nl.paper.width - nl.margin["inner"] - nl.margin["outer"]
        return cls(Setter.of(theme), theme, nl.sizes, nl.colours, nl.colours["paper"], width,
                   (width - GUTTER) / 2, face(theme.fonts["grid"]))

    def block(self, text: str, size: str, width: float, **options) -> Block:
        return self.type.block(text, self.sizes[size], width, **options)

    def em(self, size: str, bold: bool = False) -> float:
        return self.type.em(self.sizes[size], bold)

    def paragraph(self, text: str, size: str, width: float) -> Paragraph:
        """Running text justified on the fixed-pitch grid: at most the theme's characters a line,
        the body size nudged so that a column holds a whole number of characters."""
        grid = self.grid
        grid.check(text)
        pt = self.sizes[size]
        if size == "body":
            pt = self.column / round(self.column / (pt * PT_TO_MM)) / PT_TO_MM
        em = pt * PT_TO_MM
        chars = min(self.theme.newsletter.composer.max_chars, math.floor(width / em + 1e-6))
        return Paragraph(justify(text, grid, pt, chars * em), grid, pt, em * self.theme.text.line_height)


@dataclass(frozen=True)
class _Option:
    """One way to set a piece of the flow: its height, how much the composer would rather not use
    it (0 for the design size, more the further from it), and how to make its items at (0, 0):
    made only for the layout chosen, since the composer weighs many."""

    make: Callable[[], list[Item]]
    height: float
    penalty: float = 0.0


@dataclass
class _Piece:
    """A piece of the flow that is never split across pages (a finding, with the part's banner and
    intro when it is the part's first), with its layouts to choose from."""

    options: list[_Option]
    gap: float  # space above it, dropped at the top of a page
    where: Where | None = None  # the content it comes from, to point at when it cannot fit a page


def layout_newsletter(doc: Newsletter, theme: Theme, *, bleed: bool) -> list[Page]:
    style = _Style.of(theme)
    nl = theme.newsletter
    bleed_width = nl.bleed if bleed else 0.0
    flow: list[_Piece] = []
    starts = []  # the flow index where each part (then the closing block) begins
    for part in doc.parts:
        starts.append(len(flow))
        flow += _part_flow(part, doc, style)
    if doc.closing is not None:
        starts.append(len(flow))
        flow.append(_closing(doc.closing, style))
    frame_top = nl.margin["top"] + style.em("footer") + RULE_GAP + HEADER_GAP
    frame_bottom = nl.paper.height - nl.margin["bottom"] - style.em("footer") - RULE_GAP - FOOTER_GAP
    placed, firsts = compose(flow, frame_bottom - frame_top, nl.composer)
    numbers = [2 + max(k for k, first in enumerate(firsts) if first <= start) for start in starts]  # the parts start on page 2
    cover = _compose_cover(doc, style, bleed_width, numbers, frame_bottom)
    pages = [_page(cover + _footer(doc, style, 1, len(placed) + 1), theme, bleed)]
    for number, page_blocks in enumerate(placed, start=2):
        left = _left_margin(theme, number)
        items = _header(doc, style, number)
        for block_items, y in page_blocks:
            items += shifted(block_items, left, frame_top + y)
        items += _footer(doc, style, number, len(placed) + 1)
        pages.append(_page(items, theme, bleed))
    return pages


def _left_margin(theme: Theme, number: int) -> float:
    """Odd pages are rectos: their inner margin is on the left."""
    margin = theme.newsletter.margin
    return margin["inner"] if number % 2 else margin["outer"]


# --------------------------------------------------------------------------- the page composer

_BUCKET = 0.25  # mm: page heights closer than this count as the same in the search
_OVERFULL = 1e9
_PAGE_COST = 10.0  # a page more costs as much as 32 mm left empty: fewer, fuller pages win


def compose(flow: list[_Piece], room: float,
            rules: Composer) -> tuple[list[list[tuple[list[Item], float]]], list[int]]:
    """Pages of pieces, each piece in one of its layouts at a y from the type area's top; and the
    index of each page's first piece.

    A small dynamic programme over the pieces: for every run of pieces that could share a page,
    the layouts that fill it best (a knapsack over their heights); over the runs, the page breaks
    whose pages end most evenly. A page's cost is the square of the space left at its foot once
    the gaps between its pieces have grown by up to `rules.stretch` each, and beyond
    `rules.max_unused` it is a fault to avoid at any price; each layout adds its own penalty."""
    for piece in flow:
        if min(o.height for o in piece.options) > room:
            raise ContentError(piece.where or Where(Path("newsletter")),
                               f"this is {min(o.height for o in piece.options):.0f} mm tall, more than a page "
                               f"holds ({room:.0f} mm); shorten its text")
    n = len(flow)
    best: list[tuple[float, int, tuple[int, ...]]] = [(0.0, 0, ())] + [(math.inf, 0, ())] * n
    for start in range(n):
        if best[start][0] == math.inf:
            continue
        for end in range(start + 1, n + 1):
            fill = _best_fill(flow[start:end], room, rules)
            if fill is None:
                break
            cost = best[start][0] + fill[0]
            if cost < best[end][0]:
                best[end] = (cost, start, fill[1])
    pages, firsts = [], []
    end = n
    while end > 0:
        _, start, picks = best[end]
        pages.append(_stack(flow[start:end], picks, room, rules))
        firsts.append(start)
        end = start
    return pages[::-1], firsts[::-1]


def _best_fill(pieces: list[_Piece], room: float, rules: Composer) -> tuple[float, tuple[int, ...]] | None:
    """The cheapest choice of layouts for these pieces on one page, or None when even the shortest overfill it."""
    states: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for k, piece in enumerate(pieces):
        gap = piece.gap if k else 0.0
        nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
        for bucket, (penalty, picks) in states.items():
            for i, option in enumerate(piece.options):
                h = bucket * _BUCKET + gap + option.height
                if h > room + 1e-6:
                    continue
                key = round(h / _BUCKET)
                candidate = (penalty + option.penalty, picks + (i,))
                if key not in nxt or candidate[0] < nxt[key][0]:
                    nxt[key] = candidate
        if not nxt:
            return None
        states = nxt
    gaps = len(pieces) - 1
    costs = []
    for bucket, (penalty, picks) in states.items():
        unused = max(0.0, room - bucket * _BUCKET - gaps * rules.stretch)
        fault = _OVERFULL if unused > rules.max_unused else 0.0
        costs.append((fault + _PAGE_COST + (unused / 10) ** 2 + penalty, picks))
    return min(costs)


def _stack(pieces: list[_Piece], picks: tuple[int, ...], room: float,
           rules: Composer) -> list[tuple[list[Item], float]]:
    """The chosen layouts one under the other, the gaps grown (up to `rules.stretch`) to fill the page."""
    chosen = [piece.options[i] for piece, i in zip(pieces, picks)]
    used = sum(o.height for o in chosen) + sum(p.gap for p in pieces[1:])
    grow = min(rules.stretch, (room - used) / (len(pieces) - 1)) if len(pieces) > 1 else 0.0
    placed, y = [], 0.0
    for k, (piece, option) in enumerate(zip(pieces, chosen)):
        if k:
            y += piece.gap + max(grow, 0.0)
        placed.append((option.make(), y))
        y += option.height
    return placed


# --------------------------------------------------------------------------- page furniture

def _page(items: list[Item], theme: Theme, bleed: bool) -> Page:
    """A4 media, or in bleed mode a larger sheet with the trim box centred and crop marks around it."""
    nl = theme.newsletter
    w, h = nl.paper.width, nl.paper.height
    if not bleed:
        return Page(w, h, items, trim=(0, 0, w, h), bleed=(0, 0, w, h))
    items = [item for item in items if not isinstance(item, Hotspot)]  # print has nothing to click
    room = nl.bleed + MARK_LENGTH + MARK_SPARE
    marks = crop_marks(room, room, w, h, nl.bleed, MARK_LENGTH, nl.colours["body"])
    return Page(w + 2 * room, h + 2 * room, shifted(items, room, room) + list(marks),
                trim=(room, room, w, h), bleed=(room - nl.bleed, room - nl.bleed, w + 2 * nl.bleed, h + 2 * nl.bleed),
                slug=slug_position(room, room + h + nl.bleed))


def _footer(doc: Newsletter, s: _Style, number: int, count: int) -> list[Item]:
    nl = s.theme.newsletter
    left = _left_margin(s.theme, number)
    top = nl.paper.height - nl.margin["bottom"] - s.em("footer")
    folio = f"{number} / {count}"
    folio_w = s.type.width(folio, s.sizes["footer"])
    with located(doc.where["footer"], "the footer"):
        text = s.block(doc.footer, "footer", s.width - folio_w - GUTTER, max_lines=1, fit=True, hang=False)
    colour = s.colours["footer"]
    return [Line(left, top - RULE_GAP, left + s.width, top - RULE_GAP, s.colours["rule"], RULE_WIDTH),
            *text.place(left, top + s.em("footer") - text.height, colour),
            s.type.line(folio, s.sizes["footer"], left + s.width - folio_w, top, colour)]


def _header(doc: Newsletter, s: _Style, number: int) -> list[Item]:
    nl = s.theme.newsletter
    left, top = _left_margin(s.theme, number), nl.margin["top"]
    issue = _issue_line(doc)
    issue_w = s.type.width(issue, s.sizes["footer"])
    with located(doc.where["name"], "the newsletter name"):
        name = s.block(doc.name, "footer", s.width - issue_w - GUTTER, max_lines=1, fit=True, bold=True, hang=False)
    rule_y = top + s.em("footer") + RULE_GAP
    return [*name.place(left, top, s.colours["masthead"]),
            s.type.line(issue, s.sizes["footer"], left + s.width - issue_w, top, s.colours["footer"]),
            Line(left, rule_y, left + s.width, rule_y, s.colours["rule"], RULE_WIDTH)]


# --------------------------------------------------------------------------- cover

# how the cover may be set, preferred first: where the survey overview stands, and the size of the
# contents' summaries and the overview's rows (a size of theme.newsletter.sizes)
_ARRANGEMENTS = (("design", "callout_label"), ("overview up", "callout_label"), ("overview up", "note"))


def _compose_cover(doc: Newsletter, s: _Style, bleed: float, numbers: list[int], bottom: float) -> list[Item]:
    """The cover in the first arrangement that holds the contents with every part's summary: as
    designed (contents beside the survey overview at the foot), else with the overview moved up
    beside the key visual (or the lead) and the contents across both columns at the foot, then
    the same with summaries and overview in the note size. None fits, even with the theme's
    tighter gaps between the groups: refused at the first part's
    summary, never a summary left out. The space to spare goes
    to two deliberate places, under the masthead (the theme's share) and above the contents,
    which thus stand on the foot of the type area; the groups keep their own gaps."""
    short = math.inf
    style = s.theme.newsletter.cover
    memo: dict = {}  # the groups, set once for all the arrangements and gaps tried
    for arrangement in _ARRANGEMENTS:
        for gap in style.gaps:
            _, end = _cover(doc, s, bleed, numbers, arrangement, gap, memo=memo, place=False)
            if end <= bottom + 1e-6:
                spare = bottom - end
                top = spare * style.spare_under_masthead
                return _cover(doc, s, bleed, numbers, arrangement, gap, top, spare - top, memo=memo)[0]
            short = min(short, end - bottom)
    _, bare = _cover(doc, s, bleed, numbers, _ARRANGEMENTS[0], style.gaps[-1], summaries=False, memo=memo,
                     place=False)
    if bare > bottom + 1e-6 or not doc.parts:
        raise ContentError(doc.where["lead"], f"the cover's content runs {bare - bottom:.0f} mm past the page; "
                                              "shorten the lead or the key-figure labels")
    raise ContentError(doc.parts[0].where or doc.where["lead"],
                       f"the cover has no room for the contents with the parts' summaries: it runs {short:.0f} mm "
                       "past the page; shorten the summaries, the lead or the key-figure labels")


def _cover(doc: Newsletter, s: _Style, bleed: float, numbers: list[int], arrangement: tuple[str, str], gap: float,
           top_space: float = 0.0, foot_space: float = 0.0, summaries: bool = True,
           memo: dict | None = None, place: bool = True) -> tuple[list[Item], float]:
    """The first page's own content, in page coordinates, in one of the _ARRANGEMENTS with `gap` mm
    between its groups; returns the items and where they end. `top_space` mm go under the
    masthead, `foot_space` above the contents. `numbers` are the pages the parts (and the closing
    block) start on. Without `summaries` (only to tell which content is too long) the contents
    list titles alone. `memo` keeps the groups between calls: only their places change; without
    `place` only the end is found (the items are the masthead's alone)."""
    nl = s.theme.newsletter
    left = _left_margin(s.theme, 1)
    memo = {} if memo is None else memo

    def once(key, make):
        if key not in memo:
            memo[key] = make()
        return memo[key]

    masthead, y = once("masthead", lambda: _masthead(doc, s, bleed, left, nl.margin["top"]))
    items = list(masthead)
    with located(doc.where["headline"], "the headline"):
        headline = s.block(doc.headline, "headline", s.width, bold=True, phrases=True, max_lines=2, fit=True)
    where, size = arrangement
    overview, overview_h = once(("overview", size), lambda: _overview(doc, s, size))
    if where == "design":
        opening, opening_h = once(("opening", gap), lambda: _opening(doc, s, gap, memo=memo))
        summary, summary_h = once(("contents", 1, summaries, size),
                                  lambda: _summary(doc, s, numbers, 1, summaries, size))
        foot, foot_h = once(("foot", summaries, size), lambda: (summary + shifted(overview, s.column + GUTTER, 0),
                                                                max(summary_h, overview_h)))
    else:
        opening, opening_h = once(("opening", gap, size),
                                  lambda: _opening(doc, s, gap, beside=(overview, overview_h), memo=memo))
        foot, foot_h = once(("contents", 2, summaries, size), lambda: _summary(doc, s, numbers, 2, summaries, size))
    sections = [(headline.place(0, 0, s.colours["masthead"]), headline.height, gap + top_space),
                (opening, opening_h, gap / 2),
                (*once("figures", lambda: _key_figures(doc, s)), gap),
                (foot, foot_h, gap + foot_space)]
    for section_items, height, gap in sections:
        y += gap
        if place:
            items += shifted(section_items, left, y)
        y += height
    return items, y


def _opening(doc: Newsletter, s: _Style, gap: float, beside: tuple[list[Item], float] | None = None,
             memo: dict | None = None, place: bool = True) -> tuple[list[Item], float]:
    """The lead, then the key visual as a band under it when the issue has one: its hook and caption
    on the left, the drawing on the right (side by side with the lead, a text extractor would
    read the two as one). With `beside` (items and height: the survey overview, moved up to make
    room), the key visual is stacked in the left column (hook, caption, drawing) and the overview
    stands in the right one; with no key visual the lead takes the left column."""
    with located(doc.where["lead"], "the lead"):
        lead = s.paragraph(doc.lead, "lead", s.column if beside and doc.key_visual is None else s.width)
    items = lead.place(0, 0, s.colours["body"])
    if doc.key_visual is None:
        if beside is None:
            return items, lead.height
        items += shifted(beside[0], s.column + GUTTER, 0)
        return items, max(lead.height, beside[1])
    kv = doc.key_visual
    with located(kv.where or doc.where["lead"], "the key visual"):
        title = s.block(kv.title, "headline", s.column, bold=True, max_lines=1, fit=True, hang=False)
        caption = s.block(kv.caption, "callout_label", s.column)
        memo = {} if memo is None else memo  # the cover's trials share one drawing
        if "iceberg" not in memo:
            memo["iceberg"] = _iceberg(doc, s, s.column)
        drawing, drawing_h = memo["iceberg"]
    top = lead.height + gap
    if beside is not None:
        items += title.place(0, top, s.colours["masthead"])
        y = top + title.height + LINE_GAP * 2
        items += caption.place(0, y, s.colours["body"])
        y += caption.height + LINE_GAP * 2
        items += shifted(drawing, 0, y)
        items += shifted(beside[0], s.column + GUTTER, top)
        return items, max(y + drawing_h, top + beside[1])
    text_h = title.height + LINE_GAP * 2 + caption.height
    band_h = max(text_h, drawing_h)
    items += title.place(0, top + (band_h - text_h) / 2, s.colours["masthead"])
    items += caption.place(0, top + (band_h - text_h) / 2 + title.height + LINE_GAP * 2, s.colours["body"])
    items += shifted(drawing, s.column + GUTTER, top + (band_h - drawing_h) / 2)
    return items, top + band_h


def _iceberg(doc: Newsletter, s: _Style, width: float) -> tuple[list[Item], float]:
    """An iceberg drawn from the key visual's chart: the first series, summed over the items, is the
    part above the waterline, the second the part below, their areas in proportion; each part
    labelled with its sum."""
    kv = doc.key_visual
    chart = doc.survey.charts[kv.chart]
    above, below = (round(sum(v or 0.0 for v in series), 1) for series in chart.values)
    top = 0.0
    h = ICEBERG_HEIGHT
    tip_w, base_w = width * 0.5, width * 0.6
    # areas in proportion: the tip a triangle (tip_w * h1 / 2), the hull about 0.6 of its box
    k = (above / (tip_w / 2)) / (above / (tip_w / 2) + below / (base_w * 0.6))
    h1 = (h - 2 * ICEBERG_PAD) * k
    water = top + ICEBERG_PAD + h1
    h2 = h - 2 * ICEBERG_PAD - h1
    cx = width - base_w / 2 - GUTTER / 2
    neutral = s.theme.newsletter.chart_palette
    items: list[Item] = [Rect(0, top, width, water - top, fill=neutral[-1]),  # sky in the palest neutral
                         Rect(0, water, width, top + h - water, fill=s.colours["callout_back"])]
    tip = ((cx - tip_w / 2, water), (cx - tip_w * 0.18, water - h1 * 0.62), (cx - tip_w * 0.05, water - h1 * 0.7),
           (cx + tip_w * 0.04, water - h1), (cx + tip_w * 0.2, water - h1 * 0.55), (cx + tip_w / 2, water))
    base = ((cx - tip_w / 2, water), (cx - base_w * 0.5, water + h2 * 0.35), (cx - base_w * 0.42, water + h2 * 0.8),
            (cx - base_w * 0.1, water + h2), (cx + base_w * 0.3, water + h2 * 0.86),
            (cx + base_w * 0.5, water + h2 * 0.42), (cx + tip_w / 2, water))
    items += [Polygon(base, s.colours["chart_focus"]), Polygon(tip, neutral[min(3, len(neutral) - 1)]),
              Line(0, water, width, water, s.colours["masthead"], RULE_WIDTH * 2)]
    items += [Line(*p, *q, s.colours["rule"], RULE_WIDTH) for p, q in zip(tip, tip[1:])]
    label_w = cx - base_w / 2 - GUTTER / 2
    for text, number, y in ((kv.above, above, top + ICEBERG_PAD), (kv.below, below, water + ICEBERG_PAD)):
        label = s.block(text, "callout_label", label_w, bold=True, phrases=True, hang=False)
        items += label.place(0, y, s.colours["body"])
        items.append(s.type.line(f"{number:.1f}", s.sizes["heading"], 0, y + label.height + LINE_GAP / 2,
                                 s.colours["body"], bold=True))
    return items, h


def _masthead(doc: Newsletter, s: _Style, bleed: float, left: float, top: float) -> tuple[list[Item], float]:
    """The name on a brand band that runs off the top and sides of the trim (into the bleed)."""
    paper_w = s.theme.newsletter.paper.width
    band = s.colours["masthead"]
    on_band = text_colour_on(band, s.colours["body"], s.paper)
    issue = _issue_line(doc)
    issue_w = s.type.width(issue, s.sizes["lead"], bold=True)
    mark_h = s.em("masthead", True) + LINE_GAP * 2 + s.em("footer")
    mark_w = mark_h * EMBLEM_RATIO
    text_x = left + mark_w + GUTTER
    width = s.width - mark_w - GUTTER
    with located(doc.where["name"], "the newsletter name"):
        name = s.block(doc.name, "masthead", width - issue_w - GUTTER, bold=True, max_lines=1, fit=True, hang=False)
    with located(doc.where["issuer"], "the issuer"):
        issuer = s.block(doc.issuer, "footer", width, max_lines=1, fit=True, hang=False)
    issuer_top = top + name.height + LINE_GAP * 2
    bottom = issuer_top + issuer.height + BAND_PAD
    items: list[Item] = [Rect(-bleed, -bleed, paper_w + 2 * bleed, bottom + bleed, fill=band)]
    items += _emblem(left, top, issuer_top + issuer.height - top, on_band, band, s.colours["chart_focus"])
    name_items = name.place(text_x, top, on_band)
    issue_line = s.type.line(issue, s.sizes["lead"], left + s.width - issue_w, 0, on_band, bold=True)
    items += name_items + [replace(issue_line, y=name_items[-1].y)]  # on the name's baseline
    items += issuer.place(text_x, issuer_top, on_band)
    return items, bottom


def _emblem(x: float, y: float, h: float, shield: Colour, hole: Colour, accent: Colour) -> list[Item]:
    """The issue's mark, drawn (no font or image): a shield with a keyhole, an accent dot above it."""
    w = h * EMBLEM_RATIO
    outline = [(x, y + h * 0.08), (x + w / 2, y), (x + w, y + h * 0.08), (x + w, y + h * 0.5)]
    curve = [(x + w / 2 + w / 2 * math.cos(math.radians(a)), y + h * 0.5 + h * 0.5 * math.sin(math.radians(a)))
             for a in range(0, 181, 15)]  # the shield's rounded foot
    outline += curve + [(x, y + h * 0.5)]
    cx, cy, r = x + w / 2, y + h * 0.42, w * 0.13
    slot = ((cx - r * 0.55, cy + r * 0.5), (cx + r * 0.55, cy + r * 0.5), (cx + r * 0.9, y + h * 0.74),
            (cx - r * 0.9, y + h * 0.74))
    return [Polygon(tuple(outline), shield), Circle(cx, cy, r, fill=hole), Polygon(slot, hole),
            Circle(x + w * 0.82, y + h * 0.13, w * 0.09, fill=accent)]


def _key_figures(doc: Newsletter, s: _Style) -> tuple[list[Item], float]:
    """Tinted boxes in one row (two rows beyond four): the value large (all at the size the widest
    one allows), its sub-figure under it, and what it counts, base first (「ルールを破った81人のうち」)."""
    per_row = min(len(doc.key_figures), 4)
    box_w = (s.width - (per_row - 1) * CALLOUT_GAP) / per_row
    inner = box_w - 2 * CALLOUT_PAD
    sizes = []
    for f in doc.key_figures:
        with located(f.where or doc.where["headline"], "a key figure"):
            sizes.append(s.block(f.value, "callout_value", inner, bold=True, max_lines=1, fit=True, hang=False).size)
    contents = []
    for f in doc.key_figures:
        with located(f.where or doc.where["headline"], "a key figure"):
            contents.append(_key_figure(f, s, min(sizes), inner))
    box_h = max(h for _, h in contents) + 2 * CALLOUT_PAD
    items: list[Item] = []
    for i, (figure_items, _) in enumerate(contents):
        x, y = (i % per_row) * (box_w + CALLOUT_GAP), (i // per_row) * (box_h + CALLOUT_GAP)
        items.append(Rect(x, y, box_w, box_h, fill=s.colours["callout_back"], radius=1.5))
        items += shifted(figure_items, x + CALLOUT_PAD, y + CALLOUT_PAD)
    rows = math.ceil(len(contents) / per_row)
    return items, rows * box_h + (rows - 1) * CALLOUT_GAP


def _key_figure(figure: KeyFigure, s: _Style, size: float, width: float) -> tuple[list[Item], float]:
    value = s.type.block(figure.value, size, width, bold=True, max_lines=1, hang=False)
    items: list[Item] = list(value.place(0, 0, s.colours["callout"]))
    y = value.height + LINE_GAP
    if figure.sub:
        sub = s.block(figure.sub, "heading", width, bold=True, max_lines=1, fit=True, hang=False)
        items += sub.place(0, y, s.colours["callout"])
        y += sub.height + LINE_GAP
    label = s.block(figure.label, "callout_label", width, phrases=True)
    items += label.place(0, y, s.colours["body"])
    return items, y + label.height


def _summary(doc: Newsletter, s: _Style, numbers: list[int], columns: int, summaries: bool = True,
             size: str = "callout_label") -> tuple[list[Item], float]:
    """The contents: each part's id as a tag, its title, the page it starts on and its one-line
    summary; then the closing block's title and page. In one column, or under a title across the
    measure in two columns (entries in reading order, down the first column, then the second)."""
    with located(doc.where["summary_title"], "the contents title"):
        title = s.block(doc.summary_title, "heading", s.column, bold=True, max_lines=1, fit=True, hang=False)
    number_w = max(s.type.width(str(n), s.sizes["heading"], True) for n in numbers)
    on_tag = text_colour_on(s.colours["part"], s.colours["body"], s.paper)
    entries = [(part.id, part.title, part.summary if summaries else "", part.where) for part in doc.parts]
    if doc.closing is not None:
        entries.append(("", doc.closing.title, "", doc.closing.where))
    blocks = []
    for (tag_text, head_text, summary, where), number in zip(entries, numbers):
        with located(where or Where(Path("newsletter")), f"the contents line '{head_text}'"):
            blocks.append(_contents_entry(s, tag_text, head_text, summary, number, number_w, on_tag, size))
    split = len(blocks) if columns == 1 else _balanced_split([h for _, h in blocks])
    items: list[Item] = list(title.place(0, 0, s.colours["part"]))
    top = title.height + SUMMARY_GAP
    height = top
    for c, column in enumerate((blocks[:split], blocks[split:])):
        y = top
        for entry_items, h in column:
            items += shifted(entry_items, c * (s.column + GUTTER), y)
            y += h + SUMMARY_GAP
        height = max(height, y - SUMMARY_GAP)
    return items, height


def _balanced_split(heights: list[float]) -> int:
    """Where to cut a list of entries into two columns so that the taller column is shortest."""
    return min(range(1, len(heights) + 1),
               key=lambda k: (max(sum(heights[:k]), sum(heights[k:])), -k)) if heights else 0


def _contents_entry(s: _Style, tag_text: str, head_text: str, summary: str, number: int, number_w: float,
                    on_tag: Colour, size: str) -> tuple[list[Item], float]:
    """One line of the contents, a column wide: the tag, the title, the page number; the summary under them."""
    tag = s.block(tag_text or "■", "callout_label", s.column, bold=True, max_lines=1, hang=False)
    tag_w = tag.width() + 2 * TAG_PAD
    head = s.block(head_text, "callout_label", s.column - tag_w - TAG_PAD * 2 - number_w - GUTTER, bold=True,
                   phrases=True)
    text = s.block(summary, size, s.column) if summary else None
    tag_h = tag.height + TAG_PAD
    items: list[Item] = []
    if tag_text:
        items.append(Rect(0, 0, tag_w, tag_h, fill=s.colours["part"]))
        items += tag.place(TAG_PAD, TAG_PAD / 2, on_tag)
    else:
        items.append(Rect(0, 0, tag_w, tag_h, fill=s.colours["callout"]))
    items += head.place(tag_w + TAG_PAD * 2, (tag_h - tag.height) / 2, s.colours["heading"])
    page = str(number)
    items.append(s.type.line(page, s.sizes["heading"], s.column - s.type.width(page, s.sizes["heading"], True),
                             (tag_h - s.type.em(s.sizes["heading"], True)) / 2, s.colours["part"], bold=True))
    y = max(tag_h, head.height) + LINE_GAP
    if text is not None:
        items += text.place(0, y, s.colours["body"])
        y += text.height
    return items, y


def _issue_line(doc: Newsletter) -> str:
    """Issue and date, as the masthead and the running header both print them."""
    return f"{doc.issue}　{doc.date}"


def _overview(doc: Newsletter, s: _Style, size: str = "callout_label") -> tuple[list[Item], float]:
    """The survey at a glance, in a tinted box, ending with the credit the source asks for."""
    survey = doc.survey
    inner = s.column - 2 * CALLOUT_PAD
    with located(doc.where["overview_title"], "the overview title"):
        title = s.block(doc.overview_title, "heading", inner, bold=True, max_lines=1, fit=True, hang=False)
    items: list[Item] = list(title.place(CALLOUT_PAD, CALLOUT_PAD, s.colours["part"]))
    y = CALLOUT_PAD + title.height + SUMMARY_GAP
    words = doc.words
    rows = [(label, getattr(survey, key)) for label, key in words.overview] + [(words.credit_label, survey.credit)]
    label_w = max(s.type.width(label, s.sizes[size], bold=True) for label, _ in rows) + GUTTER / 2
    with located(survey.where or doc.where["headline"], "the survey overview"):
        for label, value in rows:
            head = s.block(label, size, label_w, bold=True, hang=False)
            text = s.block(value, size, inner - label_w, phrases=True, hang=False)
            items += head.place(CALLOUT_PAD, y, s.colours["body"])
            items += text.place(CALLOUT_PAD + label_w, y, s.colours["body"])
            y += max(head.height, text.height) + LINE_GAP
        note = s.block(survey.rounding_note, "note", inner, line_height=SMALL_LINE_HEIGHT)
    items += note.place(CALLOUT_PAD, y + LINE_GAP, s.colours["note"])
    height = y + LINE_GAP + note.height + CALLOUT_PAD
    return [Rect(0, 0, s.column, height, fill=s.colours["callout_back"], radius=1.5)] + items, height


# --------------------------------------------------------------------------- parts and findings

def _part_flow(part: Part, doc: Newsletter, s: _Style) -> list[_Piece]:
    """Each finding as a piece with its layouts; the part's banner and intro ride on the first one,
    so that a part starts mid-page only where its first finding fits too."""
    where = part.where or Where(Path("newsletter"))
    with located(where, f"{part.id}"):
        banner_items, banner_h = _banner(part, s)
        intro = s.paragraph(part.intro, "lead", s.width)
    head = [Bookmark(f"{part.id}　{part.title}", 0)] + banner_items + intro.place(0, banner_h + INTRO_GAP,
                                                                                   s.colours["body"])
    head_h = banner_h + INTRO_GAP + intro.height + INTRO_GAP * 1.5
    pieces = [_finding_piece(finding, doc, s) for finding in part.findings]
    first = pieces[0]
    pieces[0] = _Piece([_Option(lambda o=o: head + shifted(o.make(), 0, head_h), head_h + o.height, o.penalty)
                        for o in first.options], PART_GAP, where)
    return pieces


def _banner(part: Part, s: _Style) -> tuple[list[Item], float]:
    fill = s.colours["part"]
    on = text_colour_on(fill, s.colours["body"], s.paper)
    tag = s.block(part.id, "part", s.width, bold=True, max_lines=1, hang=False)
    tag_w = tag.width() + GUTTER
    title = s.block(part.title, "part", s.width - tag_w - 2 * BANNER_PAD, bold=True, phrases=True, max_lines=2,
                    fit=True)
    height = max(tag.height, title.height) + 2 * BANNER_PAD
    rule_x = BANNER_PAD + tag.width() + GUTTER / 2
    items: list[Item] = [Rect(0, 0, s.width, height, fill=fill)]
    items += tag.place(BANNER_PAD, (height - tag.height) / 2, on)
    items.append(Line(rule_x, BANNER_PAD, rule_x, height - BANNER_PAD, on, RULE_WIDTH * 2))
    items += title.place(BANNER_PAD + tag_w, (height - title.height) / 2, on)
    return items, height


def _finding_piece(finding: Finding, doc: Newsletter, s: _Style) -> _Piece:
    """A finding's heading, text and charts (or link, or cards) in every layout the theme allows:
    the panel beside the text in the right-hand column, or full width under the text, each at
    every chart scale. Under a full-width panel a long text runs in two columns; a short one
    (fewer lines than the theme's `columns_from_lines`) stays in one measure, so that no one reads
    across the gap."""
    rules = s.theme.newsletter.composer
    where = finding.where or Where(Path("newsletter"))
    body = s.colours["body"]
    with located(where, f"the finding '{finding.heading}'"):
        heading = s.block(finding.heading, "heading", s.width - HEADING_INDENT, bold=True, phrases=True)
        column = s.paragraph(finding.text, "body", s.column)
        wide = column if len(column.lines) >= rules.columns_from_lines else s.paragraph(finding.text, "body", s.width)
    head: list[Item] = [Rect(0, 0, HEADING_BAR, heading.height, fill=s.colours["part"]),
                        *heading.place(HEADING_INDENT, 0, s.colours["heading"])]
    top = heading.height + HEADING_GAP
    if wide is column:
        first, second = column.split(math.ceil(len(column.lines) / 2))
        under_text = first.place(0, top, body) + second.place(s.column + GUTTER, top, body)
        under_h = first.height
    else:
        under_text, under_h = wide.place(0, top, body), wide.height
    options = []
    side_allowed = True  # decided at the design scale: a chart whose labels crowd a column stays full width
    for scale in sorted(rules.chart_scales if finding.charts else (1.0,), key=lambda k: abs(k - 1)):
        penalty = 30 * (scale - 1) ** 2
        if not (finding.charts or finding.link is not None or finding.cards):  # text alone
            options.append(_Option(lambda: head + under_text, top + under_h))
            break
        with located(where, f"the finding '{finding.heading}'"):
            full, full_h = _panel(finding, doc, s, s.width, scale)
            side, side_h = _panel(finding, doc, s, s.column, scale) if side_allowed else (list, 0.0)
        side_allowed = side_allowed and side_h <= full_h * rules.side_growth
        if side_allowed:
            hole = abs(side_h - column.height) / 20
            options.append(_Option(lambda side=side: head + column.place(0, top, body) +
                                   shifted(side(), s.column + GUTTER, top),
                                   top + max(column.height, side_h), penalty + hole))
        options.append(_Option(lambda full=full: head + under_text + shifted(full(), 0, top + under_h + CHART_GAP),
                               top + under_h + CHART_GAP + full_h, penalty))
    return _Piece(options, FINDING_GAP, where)


def _panel(finding: Finding, doc: Newsletter, s: _Style, width: float, scale: float = 1.0) -> Drawing:
    """The finding's charts one under the other, then its link with a QR code and its cards: their
    height, and the items when the composer picks this layout (charts are drawn only then)."""
    parts: list[Drawing] = []  # each part's drawing, with its top in place of its height
    y = 0.0
    for chart_id in finding.charts:
        draw, height = chart_drawing(doc.survey.charts[chart_id], s.theme, width, doc.survey.credit, doc.words,
                                     scale=scale, focus=finding.focus)
        parts.append((draw, y))
        y += height + CHART_GAP
    if finding.link is not None:
        with located(finding.where or Where(Path("newsletter")), "the link"):
            link_items, height = _link(finding.link, s, width)
        parts.append((lambda: link_items, y))
        y += height + CHART_GAP
    if finding.cards:
        with located(finding.where or Where(Path("newsletter")), "the cards' caption"):
            cards, height = _card_row(finding, s, width)
        parts.append((cards, y))
        y += height + CHART_GAP
    return (lambda: [item for draw, top in parts for item in shifted(draw(), 0, top)]), max(y - CHART_GAP, 0.0)


# --------------------------------------------------------------------------- the closing block

def _closing(closing: Closing, s: _Style) -> _Piece:
    """「今日からできる対策」 in a tinted box (each action by its card's kana), then the colophon
    and the in-house contact side by side. The actions may run in one column or two and their
    rows breathe more or less: the composer picks what fills the last page."""
    where = closing.where or Where(Path("newsletter"))
    inner = s.width - 2 * CALLOUT_PAD
    with located(where, "the closing block"):
        title = s.block(closing.title, "part", inner, bold=True, max_lines=1, fit=True, hang=False)
        intro = s.paragraph(closing.intro, "body", inner) if closing.intro else None
        foot, foot_h = _colophon(closing, s)
        options = []
        for columns in (2, 1):
            column_w = (inner - (columns - 1) * GUTTER) / columns
            for row_gap in s.theme.newsletter.composer.action_gaps:
                actions, actions_h = _actions(closing, s, column_w, columns, row_gap)
                items: list[Item] = [Bookmark(closing.title, 0), *title.place(CALLOUT_PAD, CALLOUT_PAD,
                                                                              s.colours["part"])]
                y = CALLOUT_PAD + title.height + HEADING_GAP
                if intro is not None:
                    items += intro.place(CALLOUT_PAD, y, s.colours["body"])
                    y += intro.height + HEADING_GAP * 2
                items += shifted(actions, CALLOUT_PAD, y)
                box_h = y + actions_h + CALLOUT_PAD
                box = [Rect(0, 0, s.width, box_h, fill=s.colours["callout_back"], radius=1.5)]
                options.append(_Option(lambda box=box, items=items, box_h=box_h:
                                       box + items + shifted(foot, 0, box_h + CHART_GAP), box_h + CHART_GAP + foot_h,
                                       penalty=abs(row_gap - ACTION_GAP) / 2 + (columns == 1) * 2))
    return _Piece(options, PART_GAP, where)


def _actions(closing: Closing, s: _Style, width: float, columns: int, row_gap: float) -> tuple[list[Item], float]:
    """The actions down the columns, each beside a ringed badge: its card's kana, or its number."""
    size = s.sizes["heading"]
    r = size * PT_TO_MM * 0.75
    text_w = width - 2 * r - GUTTER / 2
    blocks = [s.paragraph(action.text, "body", text_w) for action in closing.actions]
    per_column = math.ceil(len(blocks) / columns)
    items: list[Item] = []
    height = 0.0
    for c in range(columns):
        x, y = c * (width + GUTTER), 0.0
        for i in range(c * per_column, min((c + 1) * per_column, len(blocks))):
            action, block = closing.actions[i], blocks[i]
            row_h = max(2 * r, block.height)
            cx, cy = x + r, y + row_h / 2
            if action.card is not None:
                items += kana_badge(action.card.kana, s.theme, size, cx, cy)
            else:
                number = str(i + 1)
                items += [Circle(cx, cy, r, fill=s.paper, stroke=s.colours["part"], stroke_width=RULE_WIDTH * 2),
                          s.type.line(number, size, cx - s.type.width(number, size, True) / 2,
                                      cy - s.type.em(size, True) / 2, s.colours["part"], bold=True)]
            items += block.place(x + 2 * r + GUTTER / 2, y + (row_h - block.height) / 2, s.colours["body"])
            y += row_h + row_gap
        height = max(height, y - row_gap)
    return items, height


def _colophon(closing: Closing, s: _Style) -> tuple[list[Item], float]:
    """The colophon rows (発行, 発行日, 出典) on the left; the in-house contact, boxed, on the right."""
    label_w = max(s.type.width(label, s.sizes["callout_label"], bold=True) for label, _ in closing.colophon) + GUTTER / 2
    items: list[Item] = []
    y = 0.0
    for label, text in closing.colophon:
        head = s.block(label, "callout_label", label_w, bold=True, hang=False)
        body = s.block(text, "callout_label", s.column - label_w)
        items += head.place(0, y, s.colours["body"]) + body.place(label_w, y, s.colours["body"])
        y += max(head.height, body.height) + LINE_GAP
    left_h = y - LINE_GAP
    inner = s.column - 2 * CALLOUT_PAD
    title = s.block(closing.contact_title, "heading", inner, bold=True, max_lines=1, fit=True, hang=False)
    text = s.block(closing.contact, "callout_label", inner)
    box_h = 2 * CALLOUT_PAD + title.height + LINE_GAP + text.height
    x = s.column + GUTTER
    items += [Rect(x, 0, s.column, box_h, stroke=s.colours["part"], stroke_width=RULE_WIDTH * 2, radius=1.5),
              *title.place(x + CALLOUT_PAD, CALLOUT_PAD, s.colours["part"]),
              *text.place(x + CALLOUT_PAD, CALLOUT_PAD + title.height + LINE_GAP, s.colours["body"])]
    return items, max(left_h, box_h)


def _card_row(finding: Finding, s: _Style, width: float) -> Drawing:
    """Cards at actual size (picture or reading face), as many to a row as the width holds, then the
    caption: the deck's own card layout, so the newsletter shows exactly what people will cut out.
    The cards' art (thousands of points) is moved into place only for the layout the composer picks."""
    style = s.theme.karuta
    per_row = max(1, int((width + GUTTER) // (style.card_width + GUTTER)))
    row_w = min(per_row, len(finding.cards)) * (style.card_width + GUTTER) - GUTTER
    left = (width - row_w) / 2
    placed = []  # each card's face items, with where they go
    y = 0.0
    slogan = reading_slogan_size(finding.cards, s.theme)  # the cards shown side by side share their sizes
    explanation = reading_explanation_size(finding.cards, s.theme, slogan)
    for i, card in enumerate(finding.cards):
        row, col = divmod(i, per_row)
        y = row * (style.card_height + GUTTER)
        key = (card.kana, slogan, explanation)
        if key not in s.faces:
            s.faces[key] = layout_card(card, s.theme, bleed=0.0, rounded=True, slogan_size=slogan,
                                       explanation_size=explanation)
        faces = s.faces[key]
        face_items = (faces.reading if finding.cards_face == "reading" else faces.picture).items
        placed.append((face_items, left + col * (style.card_width + GUTTER), y))
    y += style.card_height
    caption = None
    if finding.cards_caption:
        caption = s.block(finding.cards_caption, "note", width, phrases=True, hang=False), y + LINE_GAP
        y += LINE_GAP + caption[0].height

    def draw() -> list[Item]:
        items = [item for face_items, x, top in placed for item in shifted(face_items, x, top)]
        if caption is not None:
            items += caption[0].place(left, caption[1], s.colours["note"])
        return items

    return draw, y


def _link(link: Link, s: _Style, width: float) -> tuple[list[Item], float]:
    """A tinted box: the QR code on the left; the link's label and its URL, printed in full, beside it."""
    text_x = CALLOUT_PAD + QR_SIZE + GUTTER / 2
    text_w = width - text_x - CALLOUT_PAD
    label = s.block(link.label, "chart_title", text_w, bold=True, phrases=True)
    url = _url_block(link.url, s, text_w)
    text_h = label.height + LINE_GAP + url.height
    height = max(QR_SIZE, text_h) + 2 * CALLOUT_PAD
    text_top = (height - text_h) / 2
    items: list[Item] = [Rect(0, 0, width, height, fill=s.colours["callout_back"], radius=1.5),
                         Rect(CALLOUT_PAD, (height - QR_SIZE) / 2, QR_SIZE, QR_SIZE, fill=s.paper)]
    items += qr_rects(link.url, CALLOUT_PAD, (height - QR_SIZE) / 2, QR_SIZE, s.colours["body"])
    items += label.place(text_x, text_top, s.colours["heading"])
    items += url.place(text_x, text_top + label.height + LINE_GAP, s.colours["body"])
    items += [Hotspot(CALLOUT_PAD, (height - QR_SIZE) / 2, QR_SIZE, QR_SIZE, link.url),
              Hotspot(text_x, text_top, text_w, text_h, link.url)]
    return items, height


def _url_block(url: str, s: _Style, width: float) -> Block:
    """A URL broken only after its slashes, so each line ends where a reader expects a break."""
    face, size = s.type.regular, s.sizes["chart_label"]
    face.check(url)
    lines = [""]
    for piece in re.findall(r"[^/]*/+|[^/]+$", url):
        if lines[-1] and face.width(lines[-1] + piece, size) > width:
            lines.append("")
        lines[-1] += piece
    if any(face.width(line, size) > width for line in lines):
        return s.type.block(url, size, width, hang=False)  # a piece longer than the line: break anywhere
    return Block(tuple(lines), face, size, size * PT_TO_MM * SMALL_LINE_HEIGHT)
