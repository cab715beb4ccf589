"""The survey newsletter as A4 pages: a cover (masthead, headline, lead, key figures, contents and
survey overview), then PART1-PART5 flowing through the pages, with a running header and footer.

The parts are cut into blocks that never break (a part banner, a heading with its text, a chart)
and laid down a page at a time; a block that must stay with the next one (a banner, an intro)
moves to the next page with it. Each finding is set either as text beside its chart or as text
in two balanced columns above a full-width chart, whichever takes less height."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.card import layout_card
from builder.layout.charts import Setter, layout_chart, shifted, text_colour_on
from builder.layout.geometry import Item, Line, Page, Rect
from builder.layout.marks import MARK_LENGTH, crop_marks, slug_position
from builder.layout.qr import qr_rects
from builder.layout.textblock import Block, located
from builder.model.newsletter import Finding, KeyFigure, Link, Newsletter, Part
from builder.model.theme import Colour, Theme
from builder.text.fonts import PT_TO_MM

GUTTER = 6.0  # mm between two columns
BAND_PAD = 5.0  # masthead band below its last line
COVER_GAP = 7.0  # between the cover's blocks
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

    @classmethod
    def of(cls, theme: Theme) -> _Style:
        nl = theme.newsletter
        width = nl.paper.width - nl.margin["inner"] - nl.margin["outer"]
        return cls(Setter.of(theme), theme, nl.sizes, nl.colours, nl.colours["paper"], width,
                   (width - GUTTER) / 2)

    def block(self, text: str, size: str, width: float, **options) -> Block:
        return self.type.block(text, self.sizes[size], width, **options)

    def em(self, size: str, bold: bool = False) -> float:
        return self.type.em(self.sizes[size], bold)


@dataclass
class _Block:
    """A piece of the flow that is never split: items at (0, 0) and its height."""

    items: list[Item]
    height: float
    gap: float = 0.0  # space above it, dropped at the top of a page
    keep_with_next: bool = False
    where: Where | None = None  # the content it comes from, to point at when it cannot fit a page


@dataclass(frozen=True)
class _Choice:
    """Layouts of the same content, the preferred first."""

    options: tuple[list[_Block], ...]

    def pick(self, room: float, *, first_gap: bool = True) -> list[_Block]:
        """The first option whose opening block fits `room`, else the preferred one (for a new page)."""
        for option in self.options:
            if (option[0].gap if first_gap else 0.0) + option[0].height <= room:
                return option
        return self.options[0]


def layout_newsletter(doc: Newsletter, theme: Theme, *, bleed: bool) -> list[Page]:
    style = _Style.of(theme)
    nl = theme.newsletter
    bleed_width = nl.bleed if bleed else 0.0
    flow = [item for part in doc.parts for item in _part_flow(part, doc, style)]
    frame_top = nl.margin["top"] + style.em("footer") + RULE_GAP + HEADER_GAP
    frame_bottom = nl.paper.height - nl.margin["bottom"] - style.em("footer") - RULE_GAP - FOOTER_GAP
    cover, cover_end = _cover(doc, style, bleed_width)
    placed = _paginate(flow, cover_end, frame_top, frame_bottom)
    if not placed[0]:  # the parts start on page 2: let the cover breathe instead of ending in a gap
        cover, _ = _cover(doc, style, bleed_width, spare=frame_bottom - cover_end)
    pages = []
    for number, page_blocks in enumerate(placed, start=1):
        left = _left_margin(theme, number)
        items = list(cover) if number == 1 else _header(doc, style, number)
        for block, y in page_blocks:
            items += shifted(block.items, left, y)
        items += _footer(doc, style, number, len(placed))
        pages.append(_page(items, theme, bleed))
    return pages


def _left_margin(theme: Theme, number: int) -> float:
    """Odd pages are rectos: their inner margin is on the left."""
    margin = theme.newsletter.margin
    return margin["inner"] if number % 2 else margin["outer"]


# --------------------------------------------------------------------------- pagination

def _paginate(flow: list[_Block | _Choice], first_top: float, top: float,
              bottom: float) -> list[list[tuple[_Block, float]]]:
    """Lay blocks down page by page. A chain of keep-with-next blocks moves to a new page whole;
    where the flow offers a choice of layouts, the first (preferred) one that fits the room left is taken."""
    flow = list(flow)
    pages: list[list[tuple[_Block, float]]] = [[]]
    y, fresh = first_top, False
    i = 0
    while i < len(flow):
        item = flow[i]
        if isinstance(item, _Choice):
            flow[i:i + 1] = item.pick(bottom - y if not fresh else bottom - top, first_gap=not fresh)
            continue
        gap = 0.0 if fresh else item.gap
        height, picks = _chain(flow, i, bottom - y - gap)
        if y + gap + height > bottom and not fresh:
            pages.append([])
            y, gap, fresh = top, 0.0, True
            height, picks = _chain(flow, i, bottom - top)
        if item.height > bottom - top:
            raise ContentError(item.where or Where(Path("newsletter")),
                               f"this is {item.height:.0f} mm tall, more than a page holds ({bottom - top:.0f} mm); "
                               "shorten its text")
        for j in sorted(picks, reverse=True):
            flow[j:j + 1] = picks[j]
        pages[-1].append((item, y + gap))
        y += gap + item.height
        fresh = False
        i += 1
    return pages


def _chain(flow: list[_Block | _Choice], start: int, room: float) -> tuple[float, dict[int, list[_Block]]]:
    """The height of the block at `start` and the blocks it keeps with; a choice met on the way
    is decided for the room left (returned as index -> chosen blocks, for the caller to apply)."""
    block, j = flow[start], start
    height, picks = block.height, {}
    while block.keep_with_next and j + 1 < len(flow):
        j += 1
        nxt = flow[j]
        if isinstance(nxt, _Choice):
            picks[j] = nxt.pick(room - height)
            height += picks[j][0].gap + picks[j][0].height
            break
        block = nxt
        height += block.gap + block.height
    return height, picks


# --------------------------------------------------------------------------- page furniture

def _page(items: list[Item], theme: Theme, bleed: bool) -> Page:
    """A4 media, or in bleed mode a larger sheet with the trim box centred and crop marks around it."""
    nl = theme.newsletter
    w, h = nl.paper.width, nl.paper.height
    if not bleed:
        return Page(w, h, items, trim=(0, 0, w, h), bleed=(0, 0, w, h))
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

def _cover(doc: Newsletter, s: _Style, bleed: float, spare: float = 0.0) -> tuple[list[Item], float]:
    """The first page's own content, in page coordinates; returns the items and where they end.
    `spare` mm are shared out between the blocks when the parts start on page 2."""
    nl = s.theme.newsletter
    left = _left_margin(s.theme, 1)
    items, y = _masthead(doc, s, bleed, left, nl.margin["top"])
    with located(doc.where["headline"], "the headline"):
        headline = s.block(doc.headline, "headline", s.width, bold=True, phrases=True, max_lines=2, fit=True)
    with located(doc.where["lead"], "the lead"):
        lead = s.block(doc.lead, "lead", s.width)
    summary, summary_h = _summary(doc, s)
    overview, overview_h = _overview(doc, s)
    sections = [(headline.place(0, 0, s.colours["masthead"]), headline.height, COVER_GAP),
                (lead.place(0, 0, s.colours["body"]), lead.height, COVER_GAP / 2),
                (*_key_figures(doc, s), COVER_GAP),
                (summary + shifted(overview, s.column + GUTTER, 0), max(summary_h, overview_h), COVER_GAP)]
    extra = min(spare / len(sections), COVER_GAP)
    for section_items, height, gap in sections:
        y += gap + extra
        items += shifted(section_items, left, y)
        y += height
    return items, y


def _masthead(doc: Newsletter, s: _Style, bleed: float, left: float, top: float) -> tuple[list[Item], float]:
    """The name on a brand band that runs off the top and sides of the trim (into the bleed)."""
    paper_w = s.theme.newsletter.paper.width
    band = s.colours["masthead"]
    on_band = text_colour_on(band, s.colours["body"], s.paper)
    issue = _issue_line(doc)
    issue_w = s.type.width(issue, s.sizes["lead"], bold=True)
    with located(doc.where["name"], "the newsletter name"):
        name = s.block(doc.name, "masthead", s.width - issue_w - GUTTER, bold=True, max_lines=1, fit=True, hang=False)
    with located(doc.where["issuer"], "the issuer"):
        issuer = s.block(doc.issuer, "footer", s.width, max_lines=1, fit=True, hang=False)
    issuer_top = top + name.height + LINE_GAP * 2
    bottom = issuer_top + issuer.height + BAND_PAD
    items: list[Item] = [Rect(-bleed, -bleed, paper_w + 2 * bleed, bottom + bleed, fill=band)]
    name_items = name.place(left, top, on_band)
    issue_line = s.type.line(issue, s.sizes["lead"], left + s.width - issue_w, 0, on_band, bold=True)
    items += name_items + [replace(issue_line, y=name_items[-1].y)]  # on the name's baseline
    items += issuer.place(left, issuer_top, on_band)
    return items, bottom


def _key_figures(doc: Newsletter, s: _Style) -> tuple[list[Item], float]:
    """Tinted boxes, two to a row: the value large (all at the size the widest one allows) with its
    sub-figure beside it, and below them what it counts."""
    box_w = s.column
    inner = box_w - 2 * CALLOUT_PAD
    sizes = []
    for f in doc.key_figures:
        with located(f.where or doc.where["headline"], "a key figure"):
            sizes.append(s.block(f.value, "callout_value", inner - _sub_width(f, s), bold=True, max_lines=1,
                                 fit=True, hang=False).size)
    contents = []
    for f in doc.key_figures:
        with located(f.where or doc.where["headline"], "a key figure"):
            contents.append(_key_figure(f, s, min(sizes), inner))
    box_h = max(h for _, h in contents) + 2 * CALLOUT_PAD
    items: list[Item] = []
    for i, (figure_items, _) in enumerate(contents):
        x, y = (i % 2) * (box_w + GUTTER), (i // 2) * (box_h + CALLOUT_GAP)
        items.append(Rect(x, y, box_w, box_h, fill=s.colours["callout_back"], radius=1.5))
        items += shifted(figure_items, x + CALLOUT_PAD, y + CALLOUT_PAD)
    rows = math.ceil(len(contents) / 2)
    return items, rows * box_h + (rows - 1) * CALLOUT_GAP


def _sub_width(figure: KeyFigure, s: _Style) -> float:
    return s.type.width(figure.sub, s.sizes["heading"], bold=True) + GUTTER if figure.sub else 0.0


def _key_figure(figure: KeyFigure, s: _Style, size: float, width: float) -> tuple[list[Item], float]:
    value = s.type.block(figure.value, size, width - _sub_width(figure, s), bold=True, max_lines=1, hang=False)
    items: list[Item] = list(value.place(0, 0, s.colours["callout"]))
    if figure.sub:
        sub = s.type.line(figure.sub, s.sizes["heading"], value.width() + GUTTER / 2, 0, s.colours["body"], bold=True)
        items.append(replace(sub, y=items[0].y))  # on the value's baseline
    label = s.block(figure.label, "callout_label", width, phrases=True)
    items += label.place(0, value.height + LINE_GAP, s.colours["body"])
    return items, value.height + LINE_GAP + label.height


def _summary(doc: Newsletter, s: _Style) -> tuple[list[Item], float]:
    """The contents: each part's id as a tag, its title and its one-line summary."""
    with located(doc.where["summary_title"], "the contents title"):
        title = s.block(doc.summary_title, "heading", s.column, bold=True, max_lines=1, fit=True, hang=False)
    items: list[Item] = list(title.place(0, 0, s.colours["part"]))
    y = title.height + SUMMARY_GAP
    for part in doc.parts:
        with located(part.where or Where(Path("newsletter")), f"the summary of {part.id}"):
            tag = s.block(part.id, "callout_label", s.column, bold=True, max_lines=1, hang=False)
            tag_w = tag.width() + 2 * TAG_PAD
            head = s.block(part.title, "callout_label", s.column - tag_w - TAG_PAD * 2, bold=True, phrases=True)
            text = s.block(part.summary, "callout_label", s.column)
        tag_h = tag.height + TAG_PAD
        items.append(Rect(0, y, tag_w, tag_h, fill=s.colours["part"]))
        items += tag.place(TAG_PAD, y + TAG_PAD / 2, text_colour_on(s.colours["part"], s.colours["body"], s.paper))
        items += head.place(tag_w + TAG_PAD * 2, y + (tag_h - tag.height) / 2, s.colours["heading"])
        y += max(tag_h, head.height) + LINE_GAP
        items += text.place(0, y, s.colours["body"])
        y += text.height + SUMMARY_GAP
    return items, y - SUMMARY_GAP


def _issue_line(doc: Newsletter) -> str:
    """Issue and date, as the masthead and the running header both print them."""
    return f"{doc.issue}　{doc.date}"


def _overview(doc: Newsletter, s: _Style) -> tuple[list[Item], float]:
    """The survey at a glance, in a tinted box, ending with the credit the source asks for."""
    survey = doc.survey
    inner = s.column - 2 * CALLOUT_PAD
    with located(doc.where["overview_title"], "the overview title"):
        title = s.block(doc.overview_title, "heading", inner, bold=True, max_lines=1, fit=True, hang=False)
    items: list[Item] = list(title.place(CALLOUT_PAD, CALLOUT_PAD, s.colours["part"]))
    y = CALLOUT_PAD + title.height + SUMMARY_GAP
    words = doc.words
    rows = [(label, getattr(survey, key)) for label, key in words.overview] + [(words.credit_label, survey.credit)]
    label_w = max(s.type.width(label, s.sizes["callout_label"], bold=True) for label, _ in rows) + GUTTER / 2
    with located(survey.where or doc.where["headline"], "the survey overview"):
        for label, value in rows:
            head = s.block(label, "callout_label", label_w, bold=True, hang=False)
            text = s.block(value, "callout_label", inner - label_w, phrases=True, hang=False)
            items += head.place(CALLOUT_PAD, y, s.colours["body"])
            items += text.place(CALLOUT_PAD + label_w, y, s.colours["body"])
            y += max(head.height, text.height) + LINE_GAP
        note = s.block(survey.rounding_note, "note", inner, line_height=SMALL_LINE_HEIGHT)
    items += note.place(CALLOUT_PAD, y + LINE_GAP, s.colours["note"])
    height = y + LINE_GAP + note.height + CALLOUT_PAD
    return [Rect(0, 0, s.column, height, fill=s.colours["callout_back"], radius=1.5)] + items, height


# --------------------------------------------------------------------------- parts and findings

def _part_flow(part: Part, doc: Newsletter, s: _Style) -> list[_Block | _Choice]:
    """Banner and intro, kept with the first finding; then each finding as a choice of layouts."""
    where = part.where or Where(Path("newsletter"))
    with located(where, f"{part.id}"):
        banner = _banner(part, s)
        intro = s.block(part.intro, "lead", s.width)
    flow: list[_Block | _Choice] = [
        banner, _Block(intro.place(0, 0, s.colours["body"]), intro.height, INTRO_GAP, keep_with_next=True, where=where)]
    for i, finding in enumerate(part.findings):
        flow.append(_finding_choice(finding, doc, s, INTRO_GAP * 1.5 if i == 0 else FINDING_GAP))
    return flow


def _banner(part: Part, s: _Style) -> _Block:
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
    return _Block(items, height, PART_GAP, keep_with_next=True, where=part.where)


def _finding_choice(finding: Finding, doc: Newsletter, s: _Style, gap: float) -> _Choice:
    """Heading and text, and the finding's charts (or link) set two ways: beside the text, or full
    width below the text set in two balanced columns. The shorter is preferred; the other lets a
    page foot take the heading and text while the chart starts the next page."""
    where = finding.where or Where(Path("newsletter"))
    with located(where, f"the finding '{finding.heading}'"):
        heading = s.block(finding.heading, "heading", s.width - HEADING_INDENT, bold=True, phrases=True)
        text = s.block(finding.text, "body", s.column)
    head: list[Item] = [Rect(0, 0, HEADING_BAR, heading.height, fill=s.colours["part"]),
                        *heading.place(HEADING_INDENT, 0, s.colours["heading"])]
    top = heading.height + HEADING_GAP
    body = s.colours["body"]
    left, right = _halves(text)
    wide = [_Block(head + left.place(0, top, body) + right.place(s.column + GUTTER, top, body), top + left.height, gap,
                   where=where)]
    full, full_h = _panel(finding, doc, s, s.width)
    if full:
        wide.append(_Block(full, full_h, CHART_GAP, where=where))
    side_panel, side_h = _panel(finding, doc, s, s.column)
    if not side_panel:
        return _Choice((wide,))
    side = [_Block(head + text.place(0, top, body) + shifted(side_panel, s.column + GUTTER, top),
                   top + max(text.height, side_h), gap, where=where)]
    wide_h = sum(b.height for b in wide) + CHART_GAP
    return _Choice((side, wide) if side[0].height <= wide_h else (wide, side))


def _halves(block: Block) -> tuple[Block, Block]:
    """The lines of a paragraph shared between two columns, the first one the longer."""
    k = math.ceil(len(block.lines) / 2)
    return replace(block, lines=block.lines[:k]), replace(block, lines=block.lines[k:])


def _panel(finding: Finding, doc: Newsletter, s: _Style, width: float) -> tuple[list[Item], float]:
    """The finding's charts one under the other, or its link with a QR code; empty when it has neither."""
    items: list[Item] = []
    y = 0.0
    for chart_id in finding.charts:
        chart_items, height = layout_chart(doc.survey.charts[chart_id], s.theme, width, doc.survey.credit, doc.words)
        items += shifted(chart_items, 0, y)
        y += height + CHART_GAP
    if finding.link is not None:
        with located(finding.where or Where(Path("newsletter")), "the link"):
            link_items, height = _link(finding.link, s, width)
        items += shifted(link_items, 0, y)
        y += height + CHART_GAP
    if finding.cards:
        with located(finding.where or Where(Path("newsletter")), "the cards' caption"):
            card_items, height = _card_row(finding, s, width)
        items += shifted(card_items, 0, y)
        y += height + CHART_GAP
    return items, max(y - CHART_GAP, 0.0)


def _card_row(finding: Finding, s: _Style, width: float) -> tuple[list[Item], float]:
    """Picture cards at actual size, as many to a row as the width holds, then the caption: the
    same card layout the deck prints, so the newsletter shows exactly what people will cut out."""
    style = s.theme.karuta
    per_row = max(1, int((width + GUTTER) // (style.card_width + GUTTER)))
    row_w = min(per_row, len(finding.cards)) * (style.card_width + GUTTER) - GUTTER
    left = (width - row_w) / 2
    items: list[Item] = []
    y = 0.0
    for i, card in enumerate(finding.cards):
        row, col = divmod(i, per_row)
        y = row * (style.card_height + GUTTER)
        face_items = layout_card(card, s.theme, bleed=0.0, rounded=True).picture.items
        items += shifted(face_items, left + col * (style.card_width + GUTTER), y)
    y += style.card_height
    if finding.cards_caption:
        caption = s.block(finding.cards_caption, "note", width, phrases=True, hang=False)
        items += caption.place(left, y + LINE_GAP, s.colours["note"])
        y += LINE_GAP + caption.height
    return items, y


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
