"""The play sheet: one page telling a group how to play, with the deck's cards listed below
when room is left. It is a document page like the newsletter's, so it takes the newsletter's
margins, sizes and colours, on the deck's paper."""

from __future__ import annotations

from math import ceil
from pathlib import Path

from builder.errors import ContentError, Where
from builder.layout.card import KANA_CIRCLE, kana_badge
from builder.layout.geometry import Circle, Line, Page, Rect, Text
from builder.layout.textblock import Block, located, set_text
from builder.model.deck import Deck
from builder.model.theme import Theme
from builder.text.fonts import PT_TO_MM, face

GAP = 4.0  # mm between parts
STEP_GAP = 3.0  # mm between steps
NUMBER_CIRCLE = 0.75  # step number circle radius, in em of the body size
BOX_PAD = 4.0  # mm inside the closing box
RULE_WIDTH = 0.5  # mm
LIST_COLUMNS = (3, 4, 5, 6)  # the card list tries these, fewest first
LIST_BADGE = 1.4  # kana badge size in times the note size
LIST_ROW = 1.9  # row pitch in times the badge size's em


def layout_play_sheet(deck: Deck, theme: Theme) -> Page:
    paper = theme.karuta.paper
    margin = theme.newsletter.margin
    page = Page(paper.width, paper.height)
    sheet = _Column(page, theme, margin["inner"], margin["top"], paper.width - margin["inner"] - margin["outer"],
                    paper.height - margin["bottom"], _where(deck))
    play = deck.play_sheet
    sheet.text(deck.title, "bold", "lead", "masthead", "deck title", deck.where.get("title"))
    sheet.text(play.title, "bold", "headline", "masthead", "play sheet title", deck.where.get("play_sheet title"))
    sheet.rule()
    sheet.text(play.intro, "body", "lead", "body", "play sheet intro", deck.where.get("play_sheet intro"))
    for number, step in enumerate(play.steps, 1):
        sheet.step(number, step, deck.where.get(f"step {number}"))
    sheet.boxed(play.closing, deck.where.get("play_sheet closing"))
    sheet.card_list(deck)
    return page


def _where(deck: Deck) -> Where:
    return deck.play_sheet.where or Where(Path("play_sheet"))


class _Column:
    """A single column filled top to bottom; `y` is where the next part starts."""

    def __init__(self, page: Page, theme: Theme, x: float, y: float, width: float, bottom: float, where: Where):
        self.page, self.theme, self.x, self.y, self.width, self.bottom, self.where = (
            page, theme, x, y, width, bottom, where)
        self.sizes = theme.newsletter.sizes
        self.colours = theme.newsletter.colours

    def block(self, text: str, role: str, size_key: str, width: float, what: str, where: Where | None) -> Block:
        with located(where or self.where, f"play_sheet {what}"):
            return set_text(text, face(self.theme.fonts[role]), self.sizes[size_key], width,
                            line_height=self.theme.text.line_height, hang=self.theme.text.hanging_allowance)

    def fits(self, bottom: float, what: str, where: Where | None) -> None:
        """Refuse a part that ends below the page's bottom margin: nothing is drawn off the page."""
        if bottom > self.bottom + 1e-6:
            raise ContentError(where or self.where, f"play_sheet {what} ends {bottom - self.bottom:.0f} mm below the "
                                                    "page's bottom margin: the play sheet is one page, so shorten "
                                                    "its texts or steps")

    def text(self, text: str, role: str, size_key: str, colour_key: str, what: str, where: Where | None) -> None:
        block = self.block(text, role, size_key, self.width, what, where)
        self.fits(self.y + block.height, what, where)
        self.page.add(*block.place(self.x, self.y, self.colours[colour_key]))
        self.y += block.height + GAP

    def rule(self) -> None:
        self.page.add(Line(self.x, self.y, self.x + self.width, self.y, self.colours["masthead"], RULE_WIDTH))
        self.y += GAP

    def step(self, number: int, text: str, where: Where | None) -> None:
        """A numbered step: the number in a brand circle, the text hanging beside it."""
        size = self.sizes["body"]
        em = size * PT_TO_MM
        r = NUMBER_CIRCLE * em
        indent = 2 * r + GAP / 2
        block = self.block(text, "body", "body", self.width - indent, f"step {number}", where)
        self.fits(self.y + max(block.height, 2 * r), f"step {number}", where)
        cy = self.y + em / 2
        bold = face(self.theme.fonts["bold"])
        label = str(number)
        self.page.add(Circle(self.x + r, cy, r, fill=self.colours["masthead"]),
                      Text(self.x + r - bold.width(label, size) / 2, cy + (bold.ascent - bold.descent) / 2 * em,
                           label, bold.name, size, self.colours["callout_back"]),
                      *block.place(self.x + indent, self.y, self.colours["body"]))
        self.y += max(block.height, 2 * r) + STEP_GAP

    def boxed(self, text: str, where: Where | None) -> None:
        self.y += GAP - STEP_GAP
        block = self.block(text, "body", "body", self.width - 2 * BOX_PAD, "closing", where)
        height = block.height + 2 * BOX_PAD
        self.fits(self.y + height, "closing", where)
        self.page.add(Rect(self.x, self.y, self.width, height, fill=self.colours["callout_back"], radius=BOX_PAD / 2),
                      *block.place(self.x + BOX_PAD, self.y + BOX_PAD, self.colours["body"]))
        self.y += height + GAP

    def card_list(self, deck: Deck) -> None:
        """Kana and keyword of every card, in the fewest columns that fit; left out if none do."""
        badge_size = self.sizes["note"] * LIST_BADGE
        pitch = LIST_ROW * badge_size * PT_TO_MM
        room = self.bottom - self.y - GAP
        cols = next((c for c in LIST_COLUMNS if ceil(len(deck.cards) / c) * pitch <= room), None)
        if cols is None:
            return
        self.rule()
        rows = ceil(len(deck.cards) / cols)
        col_w = self.width / cols
        r = KANA_CIRCLE * badge_size * PT_TO_MM
        body = face(self.theme.fonts["body"])
        size = self.sizes["body"]
        for i, card in enumerate(deck.cards):
            col, row = divmod(i, rows)  # down each column, in あいうえお order
            x, cy = self.x + col * col_w, self.y + row * pitch + pitch / 2
            with located(card.where.get("keyword", self.where), f"card '{card.kana}' keyword"):
                block = set_text(card.keyword, body, size, col_w - 2 * r - 2 * GAP, line_height=1.0, max_lines=1,
                                 min_size=size * self.theme.text.min_size_ratio)
            self.page.add(*kana_badge(card.kana, self.theme, badge_size, x + r, cy),
                          *block.place(x + 2 * r + GAP / 2, cy - block.height / 2, self.colours["body"]))
        self.y += rows * pitch
