"""The karuta deck as built from the shipped content: the print PDFs (cards by text and by page
count), print-shop boxes and crop marks, duplex backs by coordinates, the social images, alt
texts and captions, and PNG/PDF parity of one card's layout."""

from __future__ import annotations

import csv
import io
from math import ceil
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from conftest import ROOT, invoke, tool
from pdfcheck import boxes, page_count, squash, text

from builder.content.deck import load_deck
from builder.content.theme import load_theme
from builder.layout.back import layout_back
from builder.layout.card import layout_card
from builder.layout.geometry import DocumentInfo, Line, Rect
from builder.layout.imposition import impose_office, impose_press, office_grid
from builder.model.deck import KANA
from builder.paths import find_project
from builder.pipeline import CAPTION_LIMIT, card_stem
from builder.render.pdf import render_pdf
from builder.render.png import png_bytes, quantized, render_image
from builder.text.fonts import font_files

PROJECT = find_project(ROOT)
THEME = load_theme(PROJECT)
DECK = load_deck(PROJECT, THEME)


@pytest.fixture(scope="module")
def karuta(built: Path) -> Path:
    return built / "output" / "karuta"


def test_deck_has_the_46_kana_in_order():
    assert tuple(card.kana for card in DECK.cards) == KANA
    assert len(DECK.cards) == 46


def test_list_prints_kana_slogan_and_topic_of_every_card(project: Path):
    result = invoke(project, "karuta", "--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 46
    for line, card in zip(lines, DECK.cards):
        assert card.kana in line and card.slogan in line and card.topic in line


def test_check_passes_on_the_shipped_content(project: Path):
    result = invoke(project, "check")
    assert result.returncode == 0, result.stderr
    assert "46 cards" in result.stdout
    assert not (project / "output").exists()


def test_office_pdf_holds_every_card_on_the_grid_the_theme_gives(karuta: Path):
    pdf = karuta / "karuta-print.pdf"
    per_sheet = office_grid(THEME).per_sheet
    assert page_count(pdf) == 2 * ceil(46 / per_sheet)  # picture sheets, reading sheets
    extracted = squash(text(pdf, "-raw"))  # in drawing order: card by card, not across the grid
    for card in DECK.cards:
        assert squash(card.slogan) in extracted, card.kana
        assert squash(card.keyword) in extracted, card.kana
        assert squash(card.explanation) in extracted, card.kana
    assert squash(DECK.play_sheet.title) not in extracted  # the play sheet is a file of its own
    play = karuta / "karuta-playsheet.pdf"
    assert page_count(play) == 1 and squash(DECK.play_sheet.title) in squash(text(play))


def test_press_pdfs_have_boxes_on_every_page(karuta: Path):
    for name in ("karuta-press-sheets.pdf", "karuta-press-cards.pdf"):
        for page in boxes(karuta / name):
            assert "TrimBox" in page and "BleedBox" in page
    cards = boxes(karuta / "karuta-press-cards.pdf")
    assert len(cards) == 92
    mm = 72 / 25.4
    style = THEME.karuta
    for page in cards:
        tx0, ty0, tx1, ty1 = page["TrimBox"]
        bx0, by0, bx1, by1 = page["BleedBox"]
        assert round((tx1 - tx0) / mm, 1) == style.card_width and round((ty1 - ty0) / mm, 1) == style.card_height
        assert round((tx0 - bx0) / mm, 1) == style.bleed and round((by1 - ty1) / mm, 1) == style.bleed


def _card_rects(page, width, height):
    return [(round(i.x, 2), round(i.y, 2)) for i in page.items
            if isinstance(i, Rect) and abs(i.w - width) < 0.01 and abs(i.h - height) < 0.01 and i.fill is not None]


def test_press_crop_marks_lie_outside_every_card_and_its_bleed():
    faces = [layout_card(card, THEME).picture for card in DECK.cards]
    style = THEME.karuta
    for sheet in impose_press(faces, THEME):
        bleeds = [(x, y, x + style.card_width + 2 * style.bleed, y + style.card_height + 2 * style.bleed)
                  for x, y in _card_rects(sheet, style.card_width + 2 * style.bleed,
                                          style.card_height + 2 * style.bleed)]
        assert bleeds, "no card backgrounds found on a press sheet"
        marks = [i for i in sheet.items if isinstance(i, Line) and i.registration]
        assert len(marks) >= 16 * len(bleeds)
        for mark in marks:
            for x0, y0, x1, y1 in bleeds:
                inside_x = max(mark.x1, mark.x2) > x0 + 1e-6 and min(mark.x1, mark.x2) < x1 - 1e-6
                inside_y = max(mark.y1, mark.y2) > y0 + 1e-6 and min(mark.y1, mark.y2) < y1 - 1e-6
                assert not (inside_x and inside_y), (mark, (x0, y0, x1, y1))


def test_backs_mirror_the_columns_for_long_edge_duplex():
    faces = [layout_card(card, THEME, bleed=0).picture for card in DECK.cards]
    style, paper = THEME.karuta, THEME.karuta.paper
    b = style.sheet_gutter / 2  # office backs run half the gutter past the card
    sheets = impose_office(faces, THEME, backs=layout_back(THEME, "picture", bleed=b))
    grid = office_grid(THEME)
    assert len(sheets) == 2 * ceil(46 / grid.per_sheet)
    for front, back in zip(sheets[::2], sheets[1::2]):
        fronts = sorted(_card_rects(front, style.card_width, style.card_height))
        backs = sorted((round(x + b, 2), round(y + b, 2))
                       for x, y in _card_rects(back, style.card_width + 2 * b, style.card_height + 2 * b))
        assert fronts and len(fronts) == len(backs)
        mirrored = sorted((round(paper.width - x - style.card_width, 2), y) for x, y in fronts)
        assert backs == mirrored
    assert grid.cols > 1  # otherwise mirroring proves nothing


def test_no_sheet_holds_a_lone_card_and_the_deck_takes_as_few_sheets_as_the_grid_allows():
    per_sheet = office_grid(THEME).per_sheet
    for kind in ("picture", "reading"):
        faces = [getattr(layout_card(card, THEME, bleed=0), kind) for card in DECK.cards]
        sheets = impose_office(faces, THEME)
        counts = [len(_card_rects(sheet, THEME.karuta.card_width, THEME.karuta.card_height)) for sheet in sheets]
        assert sum(counts) == 46 and len(sheets) == ceil(46 / per_sheet), counts
        assert min(counts) >= 2 and max(counts) - min(counts) <= 1, counts
        press = impose_press([getattr(layout_card(card, THEME), kind) for card in DECK.cards], THEME)
        w, h = THEME.karuta.card_width + 2 * THEME.karuta.bleed, THEME.karuta.card_height + 2 * THEME.karuta.bleed
        counts = [len(_card_rects(sheet, w, h)) for sheet in press]
        assert sum(counts) == 46 and min(counts) >= 2, counts


def test_office_duplex_pages_run_front_back_with_the_right_backs(project: Path):
    result = invoke(project, "karuta", "--backs")
    assert result.returncode == 0, result.stderr
    pdf = project / "output" / "karuta" / "karuta-print-backs.pdf"
    pages = page_count(pdf)
    assert pages == 4 * ceil(46 / office_grid(THEME).per_sheet)
    labels = {kind: squash(THEME.karuta.backs[kind].label) for kind in ("picture", "reading")}
    seen = {"picture": 0, "reading": 0}
    raw, plain = text(pdf, "-raw").split("\f"), text(pdf).split("\f")  # pdftotext ends every page with a form feed
    assert len(raw) == len(plain) == pages + 1
    for front_number in range(1, pages + 1, 2):
        front, back = squash(raw[front_number - 1]), squash(plain[front_number])
        readings = sum(squash(card.explanation) in front for card in DECK.cards)  # only reading cards explain
        pictures = sum(squash(card.keyword) in front for card in DECK.cards)
        kind, count = ("reading", readings) if readings else ("picture", pictures)
        assert count, front_number
        other = "reading" if kind == "picture" else "picture"
        assert back.count(labels[kind]) == count and labels[other] not in back, (front_number, kind, count)
        assert not any(squash(card.keyword) in back for card in DECK.cards)  # a back shows no card
        seen[kind] += count
    assert seen == {"picture": 46, "reading": 46}


@pytest.mark.parametrize("preset", list(THEME.karuta.social.presets))
def test_social_images_for_every_preset(built: Path, preset: str):
    folder = built / "output" / "karuta" / "png" / preset  # the session build makes every preset
    images = sorted(folder.glob("*.png"))
    assert len(images) == 46
    size = THEME.karuta.social.presets[preset]
    for path in images:
        with Image.open(path) as image:
            assert image.size == size and image.mode == "P"  # 256 colours: flat art, half the bytes
            assert "Description" in image.info and "Title" in image.info
            assert image.info.get("srgb") == 0  # the sRGB chunk
        assert 20_000 < path.stat().st_size < 1_500_000, (path.name, path.stat().st_size)


def test_alt_texts_and_captions_are_complete(karuta: Path):
    folder = karuta / "png" / "square"
    captions = list(csv.reader(io.StringIO((karuta / "png" / "captions.csv").read_text(encoding="utf-8-sig"))))[1:]
    assert len(captions) == 46
    for card, row in zip(DECK.cards, captions):
        alt = (folder / f"{card_stem(card)}.alt.txt").read_text(encoding="utf-8")
        for words in (card.kana, card.keyword, card.slogan, card.reading, card.picture, card.explanation):
            assert words in alt, (card.kana, words)
        with Image.open(folder / f"{card_stem(card)}.png") as image:
            assert card.explanation in image.info["Description"]
        image, kana, post, _ = row
        assert image == f"{card_stem(card)}.png" and kana == card.kana
        assert card.slogan in post and "#" in post and len(post) <= CAPTION_LIMIT
    with Image.open(karuta / "png" / "contact-sheet.png") as sheet:
        assert sheet.width > 1000


def _pdf_raster(page, width: int, height: int, tmp_path: Path) -> Image.Image:
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(render_pdf([page], font_files(THEME.fonts), DocumentInfo("t", "s", "a")))
    tool("pdftoppm", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", str(height),
         str(pdf), str(tmp_path / "card"))  # PPM: the pixels -png gives, without compressing them
    return Image.open(tmp_path / "card.ppm").convert("RGB")


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


# Mean absolute difference per channel (0-255) between Pillow's painting of a card and
# poppler's rasterisation of the PDF painting of the same layout. What remains is anti-aliasing
# at glyph and shape edges (measured 1.4 for a picture card, 2.7 for a reading card at 620 px); a shape
# moved by 1 mm or a wrong colour shows as well over 6, and a different card as over 15.
PARITY_THRESHOLD = 6.0


@pytest.mark.parametrize("side", ["picture", "reading"])
def test_png_and_pdf_paint_the_same_layout(tmp_path: Path, side: str):
    width = 620  # about 300 dpi for a 52 mm card
    first = getattr(layout_card(DECK.cards[0], THEME, bleed=0), side)
    other = getattr(layout_card(DECK.cards[1], THEME, bleed=0), side)
    png = render_image(first, font_files(THEME.fonts), width)
    pdf = _pdf_raster(first, *png.size, tmp_path)
    assert _mean_difference(png, pdf) < PARITY_THRESHOLD
    different = _pdf_raster(other, *png.size, tmp_path)
    assert _mean_difference(png, different) > PARITY_THRESHOLD  # the measure can tell cards apart


def test_vertical_reading_cards_build(project: Path):
    result = invoke(project, "karuta", "--vertical", "--output", str(project / "vertical"))
    assert result.returncode == 0, result.stderr
    pdf = project / "vertical" / "karuta" / "karuta-print-vertical.pdf"
    assert page_count(pdf) == 2 * ceil(46 / office_grid(THEME).per_sheet)


def test_png_bytes_carry_no_date():
    """Through the project's own writer (png_bytes), not Pillow directly."""
    image = quantized(render_image(layout_card(DECK.cards[0], THEME, bleed=0).picture, font_files(THEME.fonts), 200))
    data = png_bytes(image, {"Title": "t"})
    assert data.startswith(b"\x89PNG") and b"tIME" not in data


def test_office_sheets_keep_a_printable_margin_and_guides_outside_the_cards():
    faces = [layout_card(card, THEME, bleed=0).picture for card in DECK.cards]
    style, paper = THEME.karuta, THEME.karuta.paper
    for sheet in impose_office(faces, THEME):
        cards = _card_rects(sheet, style.card_width, style.card_height)
        assert cards
        left = min(x for x, _ in cards)
        top = min(y for _, y in cards)
        right = max(x for x, _ in cards) + style.card_width
        bottom = max(y for _, y in cards) + style.card_height
        assert left >= 5 and top >= 5 and paper.width - right >= 5 and paper.height - bottom >= 5
        xs, ys = sorted({x for x, _ in cards}), sorted({y for _, y in cards})
        assert all((b - a) - style.card_width >= 3 - 1e-6 for a, b in zip(xs, xs[1:]))  # gutters of 3 mm or more
        assert all((b - a) - style.card_height >= 3 - 1e-6 for a, b in zip(ys, ys[1:]))
        guides = [i for i in sheet.items if isinstance(i, Line) and i.colour == style.colours["cut_guide"]]
        assert guides
        in_gutters = 0
        for guide in guides:
            for end in ((guide.x1, guide.y1), (guide.x2, guide.y2)):
                assert 5 - 1e-6 <= end[0] <= paper.width - 5 + 1e-6 and 5 - 1e-6 <= end[1] <= paper.height - 5 + 1e-6
            for x, y in cards:  # no guide enters a card
                overlap_x = min(max(guide.x1, guide.x2), x + style.card_width) - max(min(guide.x1, guide.x2), x)
                overlap_y = min(max(guide.y1, guide.y2), y + style.card_height) - max(min(guide.y1, guide.y2), y)
                touching = (overlap_x >= -1e-6 and overlap_y > 1e-6) or (overlap_x > 1e-6 and overlap_y >= -1e-6)
                assert not touching, (guide, x, y)  # not over a card, nor along its edge
            in_gutters += left < min(guide.x1, guide.x2) and max(guide.x1, guide.x2) < right and \
                top < min(guide.y1, guide.y2) and max(guide.y1, guide.y2) < bottom
        assert in_gutters, "no cut guide in the gutters"
