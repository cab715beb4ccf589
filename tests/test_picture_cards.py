"""Picture cards (取り札) and their art, judged against the spec and the theme, not the layout code:
the art pieces every card names exist and print without transparency; everything drawn stays in
the safe area (pixels of the printed card, read back by poppler); the kana disc is at least 15 mm
and holds the largest, highest-contrast text; the PDF draws the art as vector paths with no
raster image; the PNG shows art in many hues; both renderers fill paths by the rule they name."""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from conftest import ROOT, tool

from builder.content.deck import load_deck
from builder.content.theme import load_theme
from builder.layout.card import layout_card
from builder.layout.geometry import Circle, DocumentInfo, Page, Rect, Text
from builder.layout.geometry import Path as Shape
from builder.model.theme import Colour, plain_cmyk
from builder.paths import find_project
from builder.render.pdf import render_pdf
from builder.render.png import render_image
from builder.text.fonts import font_files

PROJECT = find_project(ROOT)
THEME = load_theme(PROJECT)
DECK = load_deck(PROJECT, THEME)
STYLE = THEME.karuta
ART_FILE = ROOT / "assets" / "art" / "fluent-emoji-flat.json"
MIN_SAFE_MARGIN = 3.0  # mm from the trim: the spec's floor, whatever the theme says
MIN_DISC = 15.0  # mm: the spec's smallest kana disc
DPI = 150
PX_PER_MM = DPI / 25.4


def _pictures(bleed: float = 0.0) -> list[Page]:
    return [layout_card(card, THEME, bleed=bleed).picture for card in DECK.cards]


# the tests that read the rasters run on one worker, which makes them once (about 2.3 s CPU); spread
# over two workers, each made its own
ON_THE_RASTERS = pytest.mark.xdist_group("picture-rasters")


@pytest.fixture(scope="module")
def rasters(tmp_path_factory) -> list[Image.Image]:
    """Every picture card printed to PDF (trim = page) and read back by poppler at 150 dpi."""
    folder = tmp_path_factory.mktemp("pictures")
    pdf = folder / "pictures.pdf"
    pdf.write_bytes(render_pdf(_pictures(), font_files(THEME.fonts), DocumentInfo("t", "s", "a")))
    # PPM, poppler's own output: the same pixels as -png without compressing 46 images (1.3 s of its 1.9 s CPU)
    subprocess.run(["pdftoppm", "-r", str(DPI), str(pdf), str(folder / "card")], check=True)
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob("card-*.ppm"))]


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(p - c) <= tolerance for p, c in zip(pixel, colour))


def _every_channel(image: Image.Image, holds) -> Image.Image:
    """255 where `holds(value)` for every channel of the pixel, else 0 (a mask, for getbbox)."""
    channels = [band.point(lambda v: 255 if holds(v) else 0) for band in image.split()]
    return ImageChops.darker(ImageChops.darker(channels[0], channels[1]), channels[2])


def _near_mask(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> Image.Image:
    """255 where the pixel is `_near` the colour."""
    return _every_channel(ImageChops.difference(image, Image.new("RGB", image.size, colour)), lambda v: v <= tolerance)


def test_every_card_names_vendored_pieces_that_print_without_transparency():
    pieces = json.loads(ART_FILE.read_text(encoding="utf-8"))["pieces"]
    named = set()
    for card in DECK.cards:
        assert 1 <= len(card.art.props) <= 2, card.kana  # a main subject and one or two props
        named.update([card.art.main, *card.art.props])
    assert named <= set(pieces)
    for name, data in pieces.items():
        assert data["shapes"], name
        for shape in data["shapes"]:
            # paths and flat colours only: no opacity, gradient, filter or transform
            assert set(shape) <= {"ops", "pts", "fill", "evenodd", "stroke", "stroke_width"}, name
            for key in ("fill", "stroke"):
                if key in shape:
                    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", shape[key]), (name, shape[key])
    assert (ROOT / "assets" / "art" / "LICENSE-fluent-emoji.txt").read_text().startswith("MIT License")


def test_plain_cmyk_conversion():
    assert plain_cmyk((255, 255, 255)) == (0.0, 0.0, 0.0, 0.0)
    assert plain_cmyk((0, 0, 0)) == (0.0, 0.0, 0.0, 1.0)
    assert plain_cmyk((255, 0, 0)) == (0.0, 1.0, 1.0, 0.0)
    assert plain_cmyk((0, 128, 255)) == (1.0, 0.5, 0.0, 0.0)  # whole percent
    assert plain_cmyk((250, 250, 255)) == (0.02, 0.02, 0.0, 0.0)
    assert plain_cmyk((250, 250, 255), 0.05) == (0.0, 0.0, 0.0, 0.0)  # 2 % dots do not hold on press


def test_every_art_colour_has_a_cmyk_mix():
    for page in _pictures():
        for item in page.items:
            if isinstance(item, Shape):
                for colour in (item.fill, item.stroke):
                    if colour is not None:
                        assert len(colour.cmyk) == 4 and all(v == 0 or 0.05 <= v <= 1 for v in colour.cmyk)
                        assert sum(colour.cmyk) <= 3.0 + 1e-9  # total ink at most 300 %


def test_safe_margin_is_at_least_3_mm():
    assert STYLE.safe_margin >= MIN_SAFE_MARGIN


def _curve_points(item: Shape) -> list[tuple[float, float]]:
    """Points on the outline: ends of lines and 16 samples along every Bézier curve."""
    points: list[tuple[float, float]] = []
    current = start = (0.0, 0.0)
    for op, pts in item.commands:
        if op == "Z":
            current = start
            continue
        controls = [current] + [(pts[i], pts[i + 1]) for i in range(0, len(pts), 2)]
        if op in ("C", "Q"):
            for step in range(1, 17):
                t = step / 16
                layer = controls
                while len(layer) > 1:  # de Casteljau
                    layer = [((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]) for a, b in zip(layer, layer[1:])]
                points.append(layer[0])
        else:
            points.append(controls[-1])
        current = controls[-1]
        if op == "M":
            start = current
    return points


def _bounds(item) -> tuple[float, float, float, float] | None:
    """Ink bounds in mm of shapes whose geometry alone says where they are (text is checked on
    the pixels); a stroke adds half its width."""
    if isinstance(item, Shape):
        points = _curve_points(item)
        grow = item.stroke_width / 2 if item.stroke else 0
        return (min(x for x, _ in points) - grow, min(y for _, y in points) - grow,
                max(x for x, _ in points) + grow, max(y for _, y in points) + grow)
    if isinstance(item, Circle):
        r = item.r + (item.stroke_width / 2 if item.stroke else 0)
        return item.cx - r, item.cy - r, item.cx + r, item.cy + r
    return None


@pytest.mark.parametrize("bleed", [0.0, 3.0])
def test_shapes_of_every_picture_card_lie_in_the_safe_area_or_run_to_the_bleed(bleed: float):
    for card, page in zip(DECK.cards, _pictures(bleed)):
        x, y, w, h = page.trim
        safe = (x + STYLE.safe_margin, y + STYLE.safe_margin, x + w - STYLE.safe_margin, y + h - STYLE.safe_margin)
        for item in page.items:
            if isinstance(item, Rect):  # colour fields: inside the safe area, or full width to the bleed
                inside = item.x >= safe[0] and item.x + item.w <= safe[2] and item.y >= safe[1]
                full = item.x <= 1e-6 and item.x + item.w >= page.width - 1e-6
                assert inside or full, (card.kana, item)
                continue
            box = _bounds(item)
            if box is not None:
                assert box[0] >= safe[0] - 0.01 and box[1] >= safe[1] - 0.01, (card.kana, item)
                assert box[2] <= safe[2] + 0.01 and box[3] <= safe[3] + 0.01, (card.kana, item)


def _off_colours(image: Image.Image, colours, tolerance: int = 12) -> Image.Image:
    """255 where a pixel is more than `tolerance` (in some channel) from every one of `colours`."""
    near = None
    for colour in colours:
        this = _near_mask(image, colour, tolerance)
        near = this if near is None else ImageChops.lighter(near, this)
    return ImageChops.invert(near)


@ON_THE_RASTERS
def test_printed_margin_holds_only_the_background_and_the_band_colour(rasters):
    """Between trim and safe area, a printed picture card shows only its tint and its band
    colour (one colour field each, so a cutting error cannot show): no art, ring or text."""
    margin = round(MIN_SAFE_MARGIN * PX_PER_MM) - 1  # the strip every theme must keep clear
    # poppler rounds the page up to whole pixels: the last part-pixel column and row are paper
    width, height = int(STYLE.card_width * PX_PER_MM), int(STYLE.card_height * PX_PER_MM)
    strips = [(0, 0, width, margin), (0, height - margin, width, height),
              (0, margin, margin, height - margin), (width - margin, margin, width, height - margin)]
    for card, image in zip(DECK.cards, rasters):
        off = _off_colours(image, (card.art.background.rgb, card.art.colour.rgb))
        strays = sum(off.crop(strip).histogram()[255] for strip in strips)
        # the one anti-aliased row where the band meets the tint crosses the side strips
        assert strays <= 4 * margin, (card.kana, strays)


def test_kana_disc_is_at_least_15_mm_and_holds_the_largest_highest_contrast_text():
    for card, page in zip(DECK.cards, _pictures()):
        texts = [item for item in page.items if isinstance(item, Text)]
        kana = [t for t in texts if t.text == card.kana]
        assert len(kana) == 1, card.kana
        kana = kana[0]
        assert all(kana.size > t.size for t in texts if t is not kana), card.kana
        discs = [item for item in page.items if isinstance(item, Circle) and item.fill is not None
                 and (item.cx - kana.x) ** 2 < item.r ** 2 and abs(item.cy - kana.y) < item.r]
        assert discs, card.kana
        disc = discs[-1]
        assert 2 * disc.r >= MIN_DISC, card.kana
        assert disc.cx < STYLE.card_width / 2 and disc.cy < STYLE.card_height / 3  # top left
        kana_contrast = _contrast(kana.colour.rgb, disc.fill.rgb)
        assert kana_contrast >= 4.5, card.kana
        for other in texts:
            if other is not kana:  # the keyword, on its band
                band = [r for r in page.items if isinstance(r, Rect) and r.y <= other.y <= r.y + r.h][-1]
                assert kana_contrast >= _contrast(other.colour.rgb, band.fill.rgb) - 1e-9, card.kana


@ON_THE_RASTERS
def test_disc_measured_on_the_printed_card_is_at_least_15_mm(rasters):
    for card, image in zip(DECK.cards, rasters):
        top = image.crop((0, 0, image.width, image.height // 2))
        left, upper, right, lower = _near_mask(top, card.art.colour.rgb, 20).getbbox()
        assert (right - 1 - left) / PX_PER_MM >= MIN_DISC, card.kana
        assert (lower - 1 - upper) / PX_PER_MM >= MIN_DISC, card.kana


def test_picture_card_pdf_draws_vector_paths_and_no_raster_image(tmp_path: Path):
    pdf = tmp_path / "card.pdf"
    page = layout_card(DECK.cards[0], THEME, bleed=0).picture
    data = render_pdf([page], font_files(THEME.fonts), DocumentInfo("t", "s", "a"))
    pdf.write_bytes(data)
    assert tool("pdfimages", "-list", str(pdf)).splitlines()[2:] == []  # no raster image at all
    # poppler's cairo backend redraws the page as SVG: glyphs go to <defs>, the drawing follows
    subprocess.run(["pdftocairo", "-svg", str(pdf), str(tmp_path / "card.svg")], check=True)
    drawing = (tmp_path / "card.svg").read_text().split("</defs>", 1)[1]
    assert "<image" not in drawing
    curves = [p for p in re.findall(r"<path [^>]*>", drawing) if " C " in p]
    fills = set(re.findall(r"fill:(rgb\([^)]*\))", " ".join(curves)))
    assert len(curves) >= 10 and len(fills) >= 5  # the art: Bézier outlines filled in many colours


def _hues(image: Image.Image, box: tuple[int, int, int, int], background: tuple[int, int, int]) -> set[int]:
    """Hue buckets (of 12) covering at least 0.3 % of the box in saturated (S > 0.3), not dark
    (V > 0.3) colour, not counting the card's background tint."""
    region = image.crop(box).convert("RGB")
    h, s, v = region.convert("HSV").split()
    colourful = ImageChops.darker(s.point(lambda x: 255 if x > 0.3 * 255 else 0),
                                  v.point(lambda x: 255 if x > 0.3 * 255 else 0))
    mask = ImageChops.darker(colourful, _off_colours(region, (background,), 16))
    counts = h.point(lambda x: x * 12 // 256).histogram(mask)[:12]
    total = region.width * region.height
    return {hue for hue, n in enumerate(counts) if n >= 0.003 * total}


def test_png_art_is_in_full_colour():
    """Full-colour art, not a dark line icon with one accent: on every card the art area (below
    the disc, above the band) holds at least two hues besides the tint, and three on most."""
    scale = 4  # px per mm
    counts = []
    for card in DECK.cards:
        page = layout_card(card, THEME, bleed=0).picture
        image = render_image(page, font_files(THEME.fonts), round(page.width * scale))
        m = STYLE.safe_margin
        box = (round(m * scale), round((m + STYLE.picture.disc) * scale), round((page.width - m) * scale),
               round((page.height - STYLE.picture.band - 1) * scale))
        counts.append(len(_hues(image, box, card.art.background.rgb)))
        assert counts[-1] >= 2, card.kana
    assert sum(n >= 3 for n in counts) >= len(counts) / 2


def _ring(even_odd: bool, colour: Colour) -> Shape:
    """Two squares drawn the same way round: nonzero fills the inner one, even-odd leaves a hole."""
    def square(x0: float, y0: float, size: float):
        return [("M", (x0, y0)), ("L", (x0 + size, y0)), ("L", (x0 + size, y0 + size)), ("L", (x0, y0 + size)),
                ("Z", ())]
    return Shape(tuple(square(2, 2, 16) + square(7, 7, 6)), fill=colour, even_odd=even_odd)


@pytest.mark.parametrize("even_odd", [False, True])
def test_both_renderers_fill_paths_by_their_rule(tmp_path: Path, even_odd: bool):
    red = Colour("red", (220, 0, 0), (0, 1, 1, 0))
    page = Page(20, 20, [Rect(0, 0, 20, 20, fill=Colour("white", (255, 255, 255), (0, 0, 0, 0))),
                         _ring(even_odd, red)])
    png = render_image(page, font_files(THEME.fonts), 200)
    pdf = tmp_path / "ring.pdf"
    pdf.write_bytes(render_pdf([page], font_files(THEME.fonts), DocumentInfo("t", "s", "a")))
    subprocess.run(["pdftoppm", "-singlefile", "-scale-to-x", "200", "-scale-to-y", "200", str(pdf),
                    str(tmp_path / "ring")], check=True)
    poppler = Image.open(tmp_path / "ring.ppm").convert("RGB")
    for image in (png, poppler):
        assert _near(image.getpixel((40, 40)), red.rgb, 30)  # between the squares: filled
        assert _near(image.getpixel((5, 5)), (255, 255, 255), 30)  # outside: paper
        centre = image.getpixel((100, 100))
        assert _near(centre, (255, 255, 255), 30) if even_odd else _near(centre, red.rgb, 30)


KANA_CENTRING = 0.3  # mm: the kana's ink centred on the disc's centre within this (about two pixels)


@ON_THE_RASTERS
def test_kana_ink_is_centred_on_its_disc(rasters):
    """Measured on the printed card (pixels, not the layout): the disc is the card's strong colour
    in the top-left corner (measured above its centre line), the kana the paper-white
    ink inside it; the middle of the kana's ink box
    lies on the disc's centre, across and down (a kana centred by its em box sits off, by up to
    half a millimetre and differently for each kana)."""
    corner = round((STYLE.safe_margin + STYLE.picture.disc + 2 * STYLE.picture.ring) * PX_PER_MM)
    off = []
    for card, image in zip(DECK.cards, rasters):
        box = image.crop((0, 0, corner, corner))
        disc = _near_mask(box, card.art.colour.rgb, 40)
        # measured above its centre line only: below it, art of a like colour may touch the disc
        top = disc.getbbox()[1]
        left, _, right, _ = disc.crop((0, 0, box.width, math.ceil(top + 0.45 * STYLE.picture.disc * PX_PER_MM))).getbbox()
        cx, r = (left + right - 1) / 2, (right - 1 - left) / 2
        cy = top + r
        inside = Image.new("L", box.size)  # two pixels short of the ring
        inside.putdata([255 if (x - cx) ** 2 + (y - cy) ** 2 < (r - 2) ** 2 else 0
                        for y in range(box.height) for x in range(box.width)])
        ink = ImageChops.darker(_every_channel(box, lambda v: v > 160), inside).getbbox()  # white
        kx, ky = (ink[0] + ink[2] - 1) / 2, (ink[1] + ink[3] - 1) / 2
        off.append((card.kana, round((kx - cx) / PX_PER_MM, 2), round((ky - cy) / PX_PER_MM, 2)))
    worst = [o for o in off if max(abs(o[1]), abs(o[2])) > KANA_CENTRING]
    assert not worst, worst
