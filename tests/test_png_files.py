"""The PNG files as written: palette images with no date chunk (read from the file's chunks),
rounded card corners found in the pixels, a contact sheet whose grid holds every card, and the
PNG painting of a card's text at the same place as the PDF painting (measured as the shift that
best aligns the two rasters, which must be none)."""

from __future__ import annotations

import struct
import subprocess
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from conftest import ROOT, safe_load

from builder.content.deck import load_deck
from builder.content.theme import load_theme
from builder.layout.card import layout_card
from builder.layout.geometry import DocumentInfo, Page, Rect, Text
from builder.paths import find_project
from builder.render.pdf import render_pdf
from builder.render.png import png_bytes, quantized, render_image
from builder.text.fonts import font_files

PROJECT = find_project(ROOT)
THEME = load_theme(PROJECT)
DECK = load_deck(PROJECT, THEME)
CONTENT = {name: safe_load((ROOT / "content" / name).read_text(encoding="utf-8"))
           for name in ("karuta.yaml", "theme.yaml")}
PALETTE = 3  # PNG colour type: indexed colour (PNG specification, IHDR)


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk, checking the signature and each CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    found, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        payload = data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + payload), f"bad CRC in {kind!r}"
        found.append((kind, payload))
        at += 12 + length
    assert found[-1][0] == b"IEND"
    return found


def _pngs(built: Path) -> list[Path]:
    found = sorted((built / "output" / "karuta" / "png").rglob("*.png"))
    presets = CONTENT["theme.yaml"]["karuta"]["social"]["presets"]
    assert len(found) == 46 * len(presets) + 1, len(found)  # 46 cards per preset and the contact sheet
    return found


def test_every_png_is_a_palette_image_without_a_date(built: Path):
    for path in _pngs(built):
        found = chunks(path.read_bytes())
        kinds = [kind for kind, _ in found]
        width, height, depth, colour_type = struct.unpack(">IIBB", found[0][1][:10])
        assert colour_type == PALETTE and depth <= 8, (path.name, colour_type)
        assert b"PLTE" in kinds and b"tIME" not in kinds, (path.name, kinds)


def test_the_project_png_writer_writes_no_date():
    page = layout_card(DECK.cards[0], THEME, bleed=0).picture
    data = png_bytes(quantized(render_image(page, font_files(THEME.fonts), 200)), {"Title": "t"})
    kinds = [kind for kind, _ in chunks(data)]
    assert b"tIME" not in kinds and b"IDAT" in kinds


def _hex(value: str) -> tuple[int, int, int]:
    return tuple(int(value[k:k + 2], 16) for k in (1, 3, 5))


def _close(a, b, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def _mask(rgb: Image.Image, colour, tolerance: int = 6) -> Image.Image:
    """255 where the pixel is within `tolerance` of `colour` in every channel, else 0."""
    difference = ImageChops.difference(rgb, Image.new("RGB", rgb.size, colour))
    near = [band.point(lambda v: 255 if v <= tolerance else 0) for band in difference.split()]
    return ImageChops.darker(ImageChops.darker(near[0], near[1]), near[2])


def test_social_images_show_the_card_with_rounded_corners(built: Path):
    radius_mm = CONTENT["theme.yaml"]["karuta"]["card"]["corner_radius"]
    card_mm = CONTENT["theme.yaml"]["karuta"]["card"]["width"]
    assert radius_mm > 0
    colours = CONTENT["theme.yaml"]["colours"]
    for card in CONTENT["karuta.yaml"]["cards"][:3]:
        stem = next(p for p in (built / "output" / "karuta" / "png" / "square").glob("*.png")
                    if p.stem.startswith(f"{DECK.cards[[c.kana for c in DECK.cards].index(card['kana'])].number:02d}-"))
        # the card is its tint, with its keyword band in its strong colour across the foot
        tint = _hex(colours[card["art"]["background"]]["rgb"])
        band = _hex(colours[card["art"]["colour"]]["rgb"])
        with Image.open(stem) as image:
            rgb = image.convert("RGB")
        pixels = rgb.load()
        mask = ImageChops.lighter(_mask(rgb, tint), _mask(rgb, band))
        rows = list(mask.resize((1, rgb.height), Image.Resampling.BOX).tobytes())  # share of each row
        cols = list(mask.resize((rgb.width, 1), Image.Resampling.BOX).tobytes())
        assert max(rows), f"card {card['kana']}: no pixel of its background colour"
        # the card: the rows and columns mostly of its colour (stray anti-aliased pixels elsewhere do not count)
        ys = [y for y, n in enumerate(rows) if n > max(rows) / 2]
        xs = [x for x, n in enumerate(cols) if n > max(cols) / 2]
        x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
        radius = radius_mm * (x1 - x0) / card_mm  # px
        assert radius >= 6, "corners too small to see at this size"

        def card_colour(pixel) -> bool:
            return _close(pixel, tint) or _close(pixel, band)

        for cx, cy, sx, sy in ((x0, y0, 1, 1), (x1, y0, -1, 1), (x0, y1, 1, -1), (x1, y1, -1, -1)):
            # on a rounded corner the bounding box's own corner, and a little along the diagonal, are not card
            for step in (0, round(radius * 0.15)):
                assert not card_colour(pixels[cx + sx * step, cy + sy * step]), (card["kana"], cx, cy, step)
            # while the middle of each edge is
            assert card_colour(pixels[(x0 + x1) // 2, cy + sy * 2])
            assert card_colour(pixels[cx + sx * 2, (y0 + y1) // 2])


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for k, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = k
        elif not flag and start is not None:
            runs.append((start, k))
            start = None
    return runs


def test_contact_sheet_grid_holds_every_card(built: Path):
    with Image.open(built / "output" / "karuta" / "png" / "contact-sheet.png") as sheet:
        rgb = sheet.convert("RGB")
    blank = rgb.getpixel((0, 0))
    grey = ImageChops.difference(rgb, Image.new("RGB", rgb.size, blank)).convert("L").point(lambda v: 255 if v > 8 else 0)
    columns = _runs([grey.crop((x, 0, x + 1, rgb.height)).getbbox() is not None for x in range(rgb.width)])
    rows = _runs([grey.crop((0, y, rgb.width, y + 1)).getbbox() is not None for y in range(rgb.height)])
    assert len(columns) >= 2 and len(rows) >= 2, (columns, rows)
    widths = {b - a for a, b in columns}
    assert max(widths) - min(widths) <= 2, columns  # one cell size
    filled = sum(1 for (r0, r1) in rows for (c0, c1) in columns
                 if ImageStat.Stat(grey.crop((c0, r0, c1, r1))).mean[0] > 128)
    assert filled == len(DECK.cards) == 46, (filled, len(columns), len(rows))


def _text_only(page: Page) -> Page:
    """The same page with nothing but its text, in ink on white: shapes would hide a shift of the
    text (and the picture card's white kana and keyword would vanish on white)."""
    white = CONTENT["theme.yaml"]["colours"]["paper"]["rgb"]
    assert white.lower() == "#ffffff"
    paper = THEME.newsletter.colours["paper"]
    ink = THEME.colours["ink"]
    return Page(page.width, page.height, [Rect(0, 0, page.width, page.height, fill=paper)]
                + [replace(i, colour=ink) for i in page.items if isinstance(i, Text)])


def _pdf_raster(page: Page, width: int, height: int, folder: Path) -> Image.Image:
    pdf = folder / "text.pdf"
    pdf.write_bytes(render_pdf([page], font_files(THEME.fonts), DocumentInfo("t", "s", "a")))
    subprocess.run(["pdftoppm", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", str(height),
                    str(pdf), str(folder / "text")], check=True)  # PPM: the pixels -png gives, uncompressed
    with Image.open(folder / "text.ppm") as image:
        return image.convert("L")


@pytest.mark.parametrize("side", ["picture", "reading"])
def test_png_text_lands_where_the_pdf_text_does(tmp_path: Path, side: str):
    """Of every shift up to 3 px each way, no shift at all must align the PNG's text best with the
    PDF's (what remains at no shift is anti-aliasing)."""
    page = _text_only(getattr(layout_card(DECK.cards[0], THEME, bleed=0), side))
    png = render_image(page, font_files(THEME.fonts), 620).convert("L")
    pdf = _pdf_raster(page, *png.size, tmp_path)

    def difference(dx: int, dy: int) -> float:
        return ImageStat.Stat(ImageChops.difference(png, ImageChops.offset(pdf, dx, dy))).mean[0]

    scores = {(dx, dy): difference(dx, dy) for dx in range(-3, 4) for dy in range(-3, 4)}
    best = min(scores, key=scores.get)
    assert best == (0, 0), (best, scores[best], scores[(0, 0)])
