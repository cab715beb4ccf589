"""Paint a display-list page into a PNG with Pillow, at a given pixel size.

Shapes are drawn at `supersample` times the size and scaled down, since Pillow does not
anti-alias them; text is placed character by character at the advances the layout measured,
so that lines end exactly where they do in the PDF.
"""

from __future__ import annotations

import io
import sys
import zlib
from functools import lru_cache
from math import ceil, sqrt
from operator import mul
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont, PngImagePlugin

from builder.layout.geometry import Path as Shape
from builder.layout.geometry import Circle, Line, Page, Polygon, Rect, Text, cubic_segments
from builder.text.fonts import PT_TO_MM, face

_REGISTRATION_RGB = (0, 0, 0)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (glibc's malloc.h)


def _keep_freed_images() -> None:
    """glibc hands the memory of each freed image (megabytes: the picture, its supersampled
    patches) back to the system, so every next image page-faults all of it in again: measured,
    about 700 page faults and a tenth of the CPU of each social image. Kept on the heap instead
    (up to 128 MB free), the next image reuses it. Set before the workers fork: they inherit it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # images under 32 MB come from the heap
        libc.mallopt(_M_TRIM_THRESHOLD, 128 << 20)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): memory as it is
        pass


_keep_freed_images()
PALETTE_SAMPLE = 4  # the palette is chosen from every 4th pixel of every 4th row
FLATNESS = 0.25  # working-canvas pixels a flattened curve may stray from the true one


@lru_cache(maxsize=256)
def _font(path: Path, px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size=px, layout_engine=ImageFont.Layout.BASIC)


def render_image(page: Page, fonts: dict[str, Path], width_px: int, *, supersample: int = 2) -> Image.Image:
    """Shapes are drawn `supersample` times as large and reduced (a box filter, exact for a
    whole-number factor), each group of neighbouring shapes on its own patch of the image; text
    is drawn at the image's own size, where FreeType anti-aliases it (drawn large and reduced,
    it took twice as long for the same look)."""
    scale = width_px / page.width  # image pixels per mm
    size = (round(page.width * scale), round(page.height * scale))
    items = page.items
    ground = _ground(items[0], page) if items else None  # a full-page plain background: the image's colour
    canvas = _Canvas(Image.new("RGB", size, ground or (255, 255, 255)), scale, supersample, fonts)
    for item in items[1:] if ground else items:
        if isinstance(item, Text):
            canvas.text(item)
        elif isinstance(item, (Rect, Circle, Line, Polygon, Shape)):
            canvas.shape(item)
    canvas.flush()
    return canvas.image


class _Canvas:
    """Paints in page order, but gathers shapes that touch one another into one supersampled
    patch, and holds text back until that patch is painted, as long as no shape of the patch
    comes after the text and over it (which could not show a difference)."""

    def __init__(self, image: Image.Image, scale: float, supersample: int, fonts: dict[str, Path]):
        self.image, self.scale, self.supersample, self.fonts = image, scale, supersample, fonts
        self.draw = ImageDraw.Draw(image)
        self.ground = image.getpixel((0, 0))
        self.painted: list[tuple[float, float, float, float]] = []  # mm boxes painted over the ground so far
        self.run: list = []  # the shapes of the next patch
        self.run_box: tuple[float, float, float, float] | None = None
        self.waiting: list[tuple[Text, tuple[float, float, float, float]]] = []  # text to draw after the patch

    def text(self, item: Text) -> None:
        self.waiting.append((item, _text_extent(item, self.fonts[item.font])))

    def shape(self, item) -> None:
        box = _extent(item)
        if (self.run and not _meet(box, self.run_box)) or any(_meet(box, held) for _, held in self.waiting):
            self.flush()
        self.run.append(item)
        self.run_box = box if self.run_box is None else _union(self.run_box, box)

    def flush(self) -> None:
        if self.run:
            self._patch()
            self.painted.append(self.run_box)
        for item, box in self.waiting:
            _text(self.image, item, self.scale, self.fonts[item.font])
            self.painted.append(box)
        self.run, self.run_box, self.waiting = [], None, []

    def _patch(self) -> None:
        """The run's shapes on a supersampled copy of the pixels they cover, put back reduced:
        pixels no shape touches come back exactly as they were."""
        image, scale, n = self.image, self.scale, self.supersample
        x0, y0, x1, y1 = self.run_box
        left, top = max(int(x0 * scale) - 1, 0), max(int(y0 * scale) - 1, 0)
        right, bottom = min(int(x1 * scale) + 2, image.width), min(int(y1 * scale) + 2, image.height)
        if right <= left or bottom <= top:
            return
        if any(_meet(self.run_box, box) for box in self.painted):
            patch = image.crop((left, top, right, bottom))
            if n > 1:
                patch = patch.resize((patch.width * n, patch.height * n), Image.Resampling.NEAREST)
        else:  # nothing drawn here yet: the ground's colour
            patch = Image.new("RGB", ((right - left) * n, (bottom - top) * n), self.ground)
        draw = ImageDraw.Draw(patch)
        for item in self.run:
            _paint(patch, draw, item, scale * n, (left * n, top * n))
        image.paste(patch.reduce(n) if n > 1 else patch, (left, top))


def _meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> tuple[float, ...]:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _text_extent(item: Text, path: Path) -> tuple[float, float, float, float]:
    """Bounds in mm that surely hold the text's ink (glyphs may reach past the em box)."""
    em = item.size * PT_TO_MM
    length = face(path).width(item.text, item.size) + item.spacing * len(item.text) + em
    if item.rotate:
        return item.x - length, item.y - length, item.x + length, item.y + length
    return item.x - em, item.y - 1.5 * em, item.x + length, item.y + em


def _ground(item, page: Page) -> tuple[int, int, int] | None:
    if (isinstance(item, Rect) and item.fill is not None and item.stroke is None and not item.radius
            and item.x <= 0 and item.y <= 0 and item.x + item.w >= page.width and item.y + item.h >= page.height):
        return item.fill.rgb
    return None


def _extent(item) -> tuple[float, float, float, float]:
    """A shape's bounds in mm (left, top, right, bottom), strokes included."""
    if isinstance(item, Rect):
        grow = item.stroke_width if item.stroke is not None else 0.0
        return item.x - grow, item.y - grow, item.x + item.w + grow, item.y + item.h + grow
    if isinstance(item, Circle):
        r = item.r + (item.stroke_width if item.stroke is not None else 0.0)
        return item.cx - r, item.cy - r, item.cx + r, item.cy + r
    if isinstance(item, Line):
        return (min(item.x1, item.x2) - item.width, min(item.y1, item.y2) - item.width,
                max(item.x1, item.x2) + item.width, max(item.y1, item.y2) + item.width)
    if isinstance(item, Polygon):
        xs, ys = [x for x, _ in item.points], [y for _, y in item.points]
        return min(xs), min(ys), max(xs), max(ys)
    xs = [v for _, pts in item.commands for v in pts[0::2]]  # a curve lies inside its control points
    ys = [v for _, pts in item.commands for v in pts[1::2]]
    grow = item.stroke_width if item.stroke is not None else 0.0
    return min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow


def quantized(image: Image.Image) -> Image.Image:
    """Our images are flat colours and anti-aliased text, so a 256-colour palette keeps them
    (mean difference under 1/255) at less than half the size, in about the same time."""
    return image.quantize(palette=_palette(image), dither=Image.Dither.NONE)


def _palette(image: Image.Image) -> Image.Image:
    """The 256 colours, chosen from every fourth pixel of every fourth row: flat areas and edges
    cover the same share of it, and it holds only colours the image has (a box-filtered copy
    adds blends of neighbours and cost as much again as the whole choice; on the square images
    the difference from the full image is 0.84/255 either way), in a fifth of the time."""
    sample = image
    if min(image.size) >= 64 * PALETTE_SAMPLE:
        sample = image.resize((image.width // PALETTE_SAMPLE, image.height // PALETTE_SAMPLE),
                              Image.Resampling.NEAREST)
    return sample.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def png_bytes(image: Image.Image, text: dict[str, str]) -> bytes:
    """PNG with fixed metadata only (no dates), sRGB, saved fast: zlib's run-length strategy
    suits flat colours (a tenth smaller than compress_level 1's default, and faster)."""
    info = PngImagePlugin.PngInfo()
    info.add(b"sRGB", b"\x00")  # the colours are sRGB (perceptual intent), as screens assume
    for key, value in text.items():
        info.add_itxt(key, value, lang="ja")
    buffer = _PngBuffer()
    image.save(buffer, pnginfo=info, compress_level=1, compress_type=zlib.Z_RLE)
    return buffer.getvalue()


class _PngBuffer(io.BytesIO):
    """A file in memory named like a PNG file: Pillow saves it in the format its name says and,
    since Pillow 12, then loads only its PNG writer (told the format, it first loads five file
    format plugins, BMP, GIF, JPEG, PPM and PNG: 5-10 ms in the main process and in every
    worker, none of which reads or writes anything but PNG)."""

    name = "image.png"


def _paint(image: Image.Image, draw: ImageDraw.ImageDraw, item, scale: float, origin: tuple[int, int]) -> None:
    """One shape, `scale` pixels per mm, the image's top-left at `origin` pixels of the page."""
    ox, oy = origin
    if isinstance(item, Rect):
        width = max(1, round(item.stroke_width * scale)) if item.stroke is not None else 0
        grow = width / 2 / scale  # Pillow strokes inside the box, the PDF on the outline: centre it
        box = [(item.x - grow) * scale - ox, (item.y - grow) * scale - oy, (item.x + item.w + grow) * scale - 1 - ox,
               (item.y + item.h + grow) * scale - 1 - oy]
        kwargs = dict(fill=item.fill.rgb if item.fill else None, outline=item.stroke.rgb if item.stroke else None,
                      width=width)
        if item.radius:
            draw.rounded_rectangle(box, radius=(item.radius + grow) * scale, **kwargs)
        else:
            draw.rectangle(box, **kwargs)
    elif isinstance(item, Circle):
        width = max(1, round(item.stroke_width * scale)) if item.stroke is not None else 0
        r = item.r + width / 2 / scale  # stroke centred on the circle, as in the PDF
        box = [(item.cx - r) * scale - ox, (item.cy - r) * scale - oy, (item.cx + r) * scale - ox,
               (item.cy + r) * scale - oy]
        draw.ellipse(box, fill=item.fill.rgb if item.fill else None,
                     outline=item.stroke.rgb if item.stroke else None, width=width)
    elif isinstance(item, Line):
        colour = _REGISTRATION_RGB if item.registration else item.colour.rgb
        draw.line([(item.x1 * scale - ox, item.y1 * scale - oy), (item.x2 * scale - ox, item.y2 * scale - oy)],
                  fill=colour, width=max(1, round(item.width * scale)))
    elif isinstance(item, Polygon):
        draw.polygon([(x * scale - ox, y * scale - oy) for x, y in item.points], fill=item.fill.rgb)
    elif isinstance(item, Shape):
        _path(image, draw, item, scale, origin)


@lru_cache(maxsize=None)
def _bernstein(n: int) -> tuple[tuple[float, float, float, float], ...]:
    """The cubic Bézier weights at t = 1/n, 2/n, ... 1."""
    return tuple(((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3)
                 for t in (i / n for i in range(1, n + 1)))


def _flatten(item: Shape, scale: float, origin: tuple[int, int]) -> list[list[tuple[float, float]]]:
    """The path's subpaths as polygons in working-canvas pixels, each curve cut into as few
    straight pieces as keep it within FLATNESS of the true curve (and so a stroke's outer edge
    too): a gentle curve needs few, and every vertex costs polygon edges and a stroke's joint."""
    ox, oy = origin
    polygons: list[list[tuple[float, float]]] = []
    points: list[tuple[float, float]] = []
    for op, pts in cubic_segments(item):
        if op == "M":
            points = [(pts[0] * scale - ox, pts[1] * scale - oy)]
            polygons.append(points)
        elif op == "L":
            points.append((pts[0] * scale - ox, pts[1] * scale - oy))
        elif op == "C":
            (x0, y0), (x1, y1, x2, y2, x3, y3) = points[-1], pts
            x1, y1, x2, y2, x3, y3 = (x1 * scale - ox, y1 * scale - oy, x2 * scale - ox, y2 * scale - oy,
                                      x3 * scale - ox, y3 * scale - oy)
            # n pieces stray at most 6 * bend / (8 * n * n) from the curve, bend the largest
            # second difference of the control points (an upper bound of it: |dx| + |dy|)
            bend = max(abs(x0 - 2 * x1 + x2) + abs(y0 - 2 * y1 + y2), abs(x1 - 2 * x2 + x3) + abs(y1 - 2 * y2 + y3))
            n = max(1, min(64, ceil(sqrt(0.75 * bend / FLATNESS))))
            points += [(a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)
                       for a, b, c, d in _bernstein(n)]
        elif op == "Z" and points:
            points.append(points[0])
    return [p for p in polygons if len(p) > 1]


def _clockwise(points: list[tuple[float, float]]) -> bool:
    """The subpath's turning direction, by the sign of its area (y runs down the canvas)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return sum(map(mul, xs, ys[1:] + ys[:1])) > sum(map(mul, xs[1:] + xs[:1], ys))


def _path(image: Image.Image, draw: ImageDraw.ImageDraw, item: Shape, scale: float, origin: tuple[int, int]) -> None:
    """Fill by the path's rule, then stroke. Subpaths whose boxes do not meet, or that all turn
    one way under the nonzero rule, are filled one by one (each rule then fills their union);
    even-odd, and nonzero where it fills the same, as one outline; other nonzero paths on a
    mask that counts their winding."""
    polygons = _flatten(item, scale, origin)
    if item.fill is not None and len(polygons) == 1:  # one subpath (ours never cross themselves): no rule to apply
        draw.polygon(polygons[0], fill=item.fill.rgb)
    elif item.fill is not None and polygons:
        boxes = [_box(polygon) for polygon in polygons]
        apart = _apart(boxes)
        turns = None if apart or item.even_odd else [_clockwise(polygon) for polygon in polygons]
        if apart or turns is not None and len(set(turns)) == 1:
            for polygon in polygons:  # apart, or no holes (nonzero, one way round): each subpath alone
                draw.polygon(polygon, fill=item.fill.rgb)
        elif item.even_odd or _parity_is_winding(turns, boxes):
            draw.shape(_outline(polygons), fill=item.fill.rgb)  # Pillow fills an outline by even-odd
        else:
            _fill_nonzero(image, item.fill.rgb, polygons, boxes, turns)
    if item.stroke is not None and item.stroke_width > 0:
        width = max(1, round(item.stroke_width * scale))
        for polygon in polygons:
            _stroke(draw, polygon, width, item.stroke.rgb)


def _box(polygon: list[tuple[float, float]]) -> tuple[int, int, int, int]:
    """Whole-pixel bounds (left, top, right, bottom), one pixel of margin for edge pixels."""
    xs = [x for x, _ in polygon]
    ys = [y for _, y in polygon]
    return int(min(xs)) - 1, int(min(ys)) - 1, int(max(xs)) + 2, int(max(ys)) + 2


def _parity_is_winding(turns: list[bool], boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether the nonzero rule fills what even-odd fills: so when no two subpaths turning the
    same way meet, as no point then lies in more than one of each kind (outlines and their
    holes turn opposite ways), so the winding is 0 exactly where the count is even."""
    return all(_apart([box for box, turn in zip(boxes, turns) if turn == way]) for way in (True, False))


def _outline(polygons: list[list[tuple[float, float]]]) -> ImageDraw.Outline:
    outline = ImageDraw.Outline()
    for first, *rest in polygons:
        outline.move(*first)
        for point in rest:
            outline.line(*point)
        outline.close()
    return outline


def _apart(boxes: list[tuple[int, int, int, int]]) -> bool:
    return all(a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
               for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _fill_nonzero(image: Image.Image, colour: tuple[int, int, int], polygons: list[list[tuple[float, float]]],
                  boxes: list[tuple[int, int, int, int]], turns: list[bool]) -> None:
    """Nonzero winding on a mask of the subpaths' bounds: each subpath adds its winding there
    (+1 or -1 by its direction; the subpaths we draw do not cross themselves)."""
    left = max(min(b[0] for b in boxes), 0)
    top = max(min(b[1] for b in boxes), 0)
    right = min(max(b[2] for b in boxes), image.width)
    bottom = min(max(b[3] for b in boxes), image.height)
    if right <= left or bottom <= top:
        return
    coverage = Image.new("L", (right - left, bottom - top), 128)
    for polygon, (x0, y0, x1, y1), turn in zip(polygons, boxes, turns):
        x0, y0 = max(x0, left), max(y0, top)  # this subpath's own box, in mask coordinates
        x1, y1 = min(x1, right), min(y1, bottom)
        if x1 <= x0 or y1 <= y0:
            continue
        box = (x0 - left, y0 - top, x1 - left, y1 - top)
        one = Image.new("L", (x1 - x0, y1 - y0), 0)
        ImageDraw.Draw(one).polygon([(x - x0, y - y0) for x, y in polygon], fill=1)
        coverage.paste((ImageChops.add if turn else ImageChops.subtract)(coverage.crop(box), one), box)
    image.paste(colour, (left, top, right, bottom), coverage.point(lambda v: 0 if v == 128 else 255))


def _stroke(draw: ImageDraw.ImageDraw, polygon: list[tuple[float, float]], width: int,
            colour: tuple[int, int, int]) -> None:
    """A polyline with round joins and caps, as the PDF strokes paths: plain segments, and a
    disc on every vertex (Pillow's own round joint costs a pie slice per vertex, several times
    slower, with the same pixels)."""
    draw.line(polygon, fill=colour, width=width)
    r = width / 2
    if r >= 1.5:
        ink, disc = draw.draw.draw_ink(colour), draw.draw.draw_ellipse  # ImageDraw.ellipse, without its set-up per disc
        for x, y in polygon:
            disc((x - r, y - r, x + r, y + r), ink, 1)


def _text(image: Image.Image, item: Text, scale: float, path: Path) -> None:
    """Each glyph's coverage mask laid over a tile of the text's colour (Pillow's paste through
    a mask: the same blend as drawing the mask in that colour, ImageDraw's bitmap, with the same
    pixels, in about half the time)."""
    px = item.size * PT_TO_MM * scale
    font = _font(path, px)
    metrics = face(path)
    if item.rotate:
        _rotated_text(image, item, font, px, scale)
        return
    x = item.x * scale
    top = int(item.y * scale)
    paste, colour = image.im.paste, item.colour.rgb
    for char in item.text:
        if not char.isspace():
            mask, (dx, dy) = _glyph(font, char)
            width, height = mask.size
            if width and height:
                left, y = int(x) + dx, top + dy
                paste(_tile(colour, width, height), (left, y, left + width, y + height), mask)
        x += metrics.advance(char) * px + item.spacing * scale


@lru_cache(maxsize=4096)
def _tile(colour: tuple[int, int, int], width: int, height: int):
    """A plain block of `colour`, as large as a glyph's mask (a paste's source must be)."""
    return Image.new("RGB", (width, height), colour).im


@lru_cache(maxsize=8192)
def _glyph(font: ImageFont.FreeTypeFont, char: str):
    """A glyph's coverage mask and its offset from the baseline origin, made once per font and
    size. Pillow puts glyph bitmaps on whole pixels whatever fraction it is given, so each glyph
    is drawn at the pixel whose corner holds its origin (which lines the text up with the PDF's
    own rasters: measured in the text-position test), as ImageDraw.text would draw it, without
    the set-up ImageDraw.text makes for every call."""
    return font.getmask2(char, "L", anchor="ls")


def _rotated_text(image: Image.Image, item: Text, font: ImageFont.FreeTypeFont, px: float, scale: float) -> None:
    """Draw the text on its own layer, turned about its baseline origin, as the PDF does."""
    pad = int(px * (len(item.text) + 2))
    layer = Image.new("L", (2 * pad, 2 * pad), 0)
    ImageDraw.Draw(layer).text((pad, pad), item.text, font=font, fill=255, anchor="ls")
    layer = layer.rotate(-item.rotate, resample=Image.Resampling.BICUBIC, center=(pad, pad))
    solid = Image.new("RGB", layer.size, item.colour.rgb)
    image.paste(solid, (round(item.x * scale) - pad, round(item.y * scale) - pad), layer)


def thumbnail(image: Image.Image, width: int = 270) -> Image.Image:
    """A small copy for the contact sheet, from the pixels the PNG file holds (so that a sheet
    made from files on disk is byte-identical to one made while rendering)."""
    image = image.convert("RGB")
    factor = image.width // width
    if image.width == width * factor and image.height % factor == 0:
        return image.reduce(factor)  # the same box filter as resize's, several times faster
    return image.resize((width, round(image.height * width / image.width)), Image.Resampling.BOX)


def load_image(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


def contact_sheet(thumbs: list[Image.Image], columns: int, gap_px: int = 10) -> bytes:
    """A preview of many images side by side (scaled copies, no new layout)."""
    rows = -(-len(thumbs) // columns)
    cell_w = max(t.width for t in thumbs)
    cell_h = max(t.height for t in thumbs)
    sheet = Image.new("RGB", (columns * (cell_w + gap_px) + gap_px, rows * (cell_h + gap_px) + gap_px),
                      (255, 255, 255))
    for i, thumb in enumerate(thumbs):
        row, col = divmod(i, columns)
        sheet.paste(thumb, (gap_px + col * (cell_w + gap_px), gap_px + row * (cell_h + gap_px)))
    return png_bytes(quantized(sheet), {"Title": "contact sheet"})
