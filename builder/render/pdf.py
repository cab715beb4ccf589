"""Paint display-list pages into a PDF with reportlab: embedded subset TrueType fonts, page
boxes, RGB or CMYK colour. Byte-identical output for the same input (invariant mode)."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from builder.layout.geometry import Path as Shape
from builder.layout.geometry import Bookmark, Circle, DocumentInfo, Line, Link, Page, Polygon, Rect, Text, cubic_segments
from builder.model.theme import Colour
from builder.render.inks import press_ink
from builder.render.pdfx import PDFX, make_pdfx
from builder.text.fonts import face

PT = 25.4 / 72  # mm

# colours carry no alpha: reportlab would otherwise mark every file PDF 1.4 ("transparency"),
# while PDF/X-1a:2001 files are PDF 1.3
_REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All", alpha=None)
_PATH_OPERATORS = {"M": "%.2f %.2f m", "L": "%.2f %.2f l", "C": "%.2f %.2f %.2f %.2f %.2f %.2f c", "Z": "h"}
_PAINT = {(1, 0): "f", (0, 1): "S", (1, 1): "B", (0, 0): "n"}


def register_fonts(fonts: dict[str, Path]) -> str:
    """Register every font (text.fonts.face does) under its key; return the one to use as the
    canvas default so that reportlab never falls back to an unembedded Helvetica."""
    for path in fonts.values():
        face(path)
    default = next(iter(fonts))
    pdfmetrics.registerFontFamily(default, normal=default, bold=default, italic=default, boldItalic=default,
                                  baseFontFor="canvas graphics")
    return default


def render_pdf(pages: list[Page], fonts: dict[str, Path], info: DocumentInfo, *, cmyk: bool = False,
               pdfx: PDFX | None = None) -> bytes:
    """`pdfx` makes a PDF/X-1a file for a print shop (CMYK with press inks, see render.inks)."""
    default_font = register_fonts(fonts)
    buffer = io.BytesIO()
    first = pages[0]
    cmyk = cmyk or pdfx is not None
    canvas = Canvas(buffer, pagesize=(first.width * mm, first.height * mm), invariant=1, pageCompression=1,
                    initialFontName=default_font, initialFontSize=10, lang=info.language,
                    enforceColorSpace=_cmyk_only if cmyk else None)
    if pdfx is not None:
        make_pdfx(canvas, pdfx)
    canvas.setTitle(info.title)
    canvas.setSubject(info.subject)
    canvas.setAuthor(info.author)
    canvas.setCreator("karuta-press")
    canvas.setProducer("karuta-press (reportlab)")
    if info.keywords:
        canvas.setKeywords(", ".join(info.keywords))
    if pdfx is None and info.date is not None and not os.environ.get("SOURCE_DATE_EPOCH"):
        _set_date(canvas, info.date)
    painter = _Painter(canvas, cmyk, pdfx)
    for page in pages:
        canvas.setPageSize((page.width * mm, page.height * mm))
        _set_boxes(canvas, page)
        painter.begin_page(page.height)
        for item in page.items:
            painter.paint(item)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _set_date(canvas: Canvas, epoch: int) -> None:
    """CreationDate and ModDate: reportlab's invariant mode writes 2000-01-01 (or SOURCE_DATE_EPOCH
    when set); without that variable the document's own date is the true one, and as fixed."""
    stamp = canvas._doc._timeStamp
    stamp.t, stamp.lt = epoch, time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]


def _cmyk_only(colour: Color) -> Color:
    """reportlab's own CMYK enforcers set an alpha (making the file PDF 1.4) or turn the
    registration colour into process black: this one only refuses anything not CMYK."""
    if not isinstance(colour, CMYKColor):
        raise TypeError(f"{colour!r} is not a CMYK colour, and this file is CMYK only")
    return colour


def _set_boxes(canvas: Canvas, page: Page) -> None:
    def box(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x, y, w, h = rect
        bottom = page.height - y - h
        return (x * mm, bottom * mm, (x + w) * mm, (bottom + h) * mm)

    trim = page.trim or (0.0, 0.0, page.width, page.height)  # a page with no trim is cut at its edge
    canvas.setTrimBox(box(trim))
    canvas.setBleedBox(box(page.bleed or trim))


class _Painter:
    def __init__(self, canvas: Canvas, cmyk: bool, pdfx: PDFX | None = None):
        self.canvas = canvas
        self.cmyk = cmyk
        self.press = pdfx.condition if pdfx is not None else None
        self.height = 0.0
        self.overprint = False
        self.bookmarks: list[str] = []
        self.shown: dict[tuple[str, float, str], str] = {}  # a line's text operators by font, size and text
        self.inks: dict[tuple, tuple[CMYKColor, bool]] = {}  # press: the paint and overprint by mix and use
        # lines (a deck's backs: ~70,000 in a few inks): paint, overprint and operators by colour and width,
        # and by line and page height; keyed by identity, each value keeps its key's object alive
        self.strokes: dict[tuple[int, float, bool], tuple[Color, bool | None, str, Colour]] = {}
        self.lines: dict[tuple[int, float], tuple[Color, bool | None, str, Line]] = {}

    def colour(self, colour: Colour, *, size: float | None = None, width: float | None = None) -> Color:
        """The one place a display-list colour becomes a PDF colour, for the item painted next.
        For press, `size` (pt, text) or `width` (mm, strokes) decide single-ink printing and
        overprint (render.inks); an area fill (neither given) never overprints."""
        if self.press is not None:
            fine = (size is not None and size < self.press.fine_text) or \
                (width is not None and width / PT < self.press.fine_line)
            key = (colour.cmyk, fine, size is not None or width is not None)
            if key not in self.inks:  # a deck's print files paint ~70,000 items in a few dozen inks
                ink = press_ink(colour.cmyk, self.press, fine=fine, line_art=key[2])
                self.inks[key] = (CMYKColor(*ink.cmyk, alpha=None), ink.overprint)
            paint, overprint = self.inks[key]
            self._overprint(overprint)
            return paint
        if self.cmyk:
            return CMYKColor(*colour.cmyk, alpha=None)
        r, g, b = colour.rgb
        return Color(r / 255, g / 255, b / 255)

    def _overprint(self, on: bool) -> None:
        """Black text and hairlines overprint (/OP /op true, /OPM 1); everything else knocks out."""
        if on != self.overprint:
            self.overprint = on
            self.canvas.setFillOverprint(on)
            self.canvas.setStrokeOverprint(on)
            self.canvas.setOverprintMask(on)

    def begin_page(self, height: float) -> None:
        self.height = height
        self.overprint = False  # every page starts with the default graphics state

    def y(self, y: float) -> float:
        return (self.height - y) * mm

    def _fill_stroke(self, fill: Colour | None, stroke: Colour | None, width: float) -> tuple[int, int]:
        c = self.canvas
        if stroke is not None:
            c.setStrokeColor(self.colour(stroke, width=width))
            c.setLineWidth(width * mm)
        if fill is not None:  # last: a filled shape must not overprint
            c.setFillColor(self.colour(fill))
        return int(fill is not None), int(stroke is not None and width > 0)

    def paint(self, item) -> None:
        c = self.canvas
        if isinstance(item, Text):
            c.setFillColor(self.colour(item.colour, size=item.size))
            c.setFont(item.font, item.size)
            if item.rotate:
                c.saveState()
                c.translate(item.x * mm, self.y(item.y))
                c.rotate(-item.rotate)
                c.drawString(0, 0, item.text)
                c.restoreState()
            else:
                self._text(item)
        elif isinstance(item, Rect):
            fill, stroke = self._fill_stroke(item.fill, item.stroke, item.stroke_width)
            args = (item.x * mm, self.y(item.y + item.h), item.w * mm, item.h * mm)
            if item.radius:
                c.roundRect(*args, item.radius * mm, fill=fill, stroke=stroke)
            else:
                c.rect(*args, fill=fill, stroke=stroke)
        elif isinstance(item, Circle):
            fill, stroke = self._fill_stroke(item.fill, item.stroke, item.stroke_width)
            c.circle(item.cx * mm, self.y(item.cy), item.r * mm, fill=fill, stroke=stroke)
        elif isinstance(item, Line):
            self._line(item)
        elif isinstance(item, Polygon):
            c.setFillColor(self.colour(item.fill))
            path = c.beginPath()
            (x0, y0), *rest = item.points
            path.moveTo(x0 * mm, self.y(y0))
            for x, y in rest:
                path.lineTo(x * mm, self.y(y))
            path.close()
            c.drawPath(path, fill=1, stroke=0)
        elif isinstance(item, Link):
            c.linkURL(item.url, (item.x * mm, self.y(item.y + item.h), (item.x + item.w) * mm, self.y(item.y)),
                      relative=0, thickness=0)
        elif isinstance(item, Bookmark):
            key = f"bookmark{len(self.bookmarks)}"
            self.bookmarks.append(key)
            c.bookmarkPage(key, fit="XYZ", left=0, top=self.y(item.y))
            c.addOutlineEntry(item.title, key, level=item.level)
        elif isinstance(item, Shape):
            self._path(item)
        else:  # pragma: no cover - the display list is closed
            raise TypeError(f"cannot paint {item!r}")

    def _line(self, item: Line) -> None:
        """setStrokeColor, setLineWidth and line's operators written out directly (the same bytes),
        once per line and page height: a deck's print-shop backs are ~70,000 pattern lines in one
        colour and width, a face's lines placed on many pages are the same items (layout.imposition),
        and reportlab would format the colour, the width and the points again for each."""
        c = self.canvas
        if item.registration:  # crop marks: a separation colour space, which reportlab lists per page
            c._checkSeparation(_REGISTRATION)
        key = (id(item), self.height)  # by identity: the value keeps the item alive
        if key not in self.lines:
            paint, overprint, setting = self._stroke(item.colour, item.width, item.registration)
            height = self.height
            x1, y1, x2, y2 = fp_str(item.x1 * mm, (height - item.y1) * mm, item.x2 * mm,
                                    (height - item.y2) * mm).split(" ")
            self.lines[key] = (paint, overprint, f"{setting}\nn {x1} {y1} m {x2} {y2} l S", item)
        paint, overprint, code, _ = self.lines[key]
        if overprint is not None and overprint != self.overprint:
            self._overprint(overprint)
        c._strokeColorObj, c._lineWidth = paint, item.width * mm  # the canvas's state, as its setters leave it
        c._code.append(code)

    def _stroke(self, colour: Colour, width: float, registration: bool) -> tuple[Color, bool | None, str]:
        """A line's paint, its overprint (press, and not for registration marks, which leave it as
        it is) and its colour and width operators, made once per colour and width; the painter's
        overprint is switched as the line needs when first made."""
        key = (id(colour), width, registration)
        if key not in self.strokes:
            paint = _REGISTRATION if registration else self.colour(colour, width=width)
            code = self.canvas._code
            start = len(code)
            self.canvas.setStrokeColor(paint)
            self.canvas.setLineWidth(width * mm)
            overprint = self.overprint if self.press is not None and not registration else None
            self.strokes[key] = (paint, overprint, "\n".join(code[start:]), colour)
            del code[start:]
        return self.strokes[key][:3]

    def _text(self, item: Text) -> None:
        """drawString's operators written out directly (the same bytes): reportlab makes a text
        object for every line, measures the line for a width it then drops and formats the
        operators through generic code, which cost more than everything else a page paints."""
        c = self.canvas
        code = [f"BT 1 0 0 1 {fp_str(item.x * mm, self.y(item.y))} Tm"]
        spacing = item.spacing * mm
        if spacing:
            code.append(f"{fp_str(spacing)} Tc")
        key = (item.font, item.size, item.text)
        if key not in self.shown:  # the same line again (a running head, a label) shows the same glyphs
            self.shown[key] = self._shown(item)
        code.append(self.shown[key])
        if spacing:
            code.append("0 Tc")
        code.append("ET")
        c._code.append(" ".join(code))

    def _shown(self, item: Text) -> str:
        """The operators that select the line's font subsets and show its glyphs (splitString
        gives each new character its code in a subset of this document, once)."""
        c = self.canvas
        font = pdfmetrics.getFont(item.font)
        size = f"{fp_str(item.size)} Tf {fp_str(item.size * 1.2)} TL"  # reportlab's leading: 1.2 em
        shown, subset = [], -1
        for part, chunk in font.splitString(item.text, c._doc):
            if part != subset:
                shown.append(f"{font.getSubsetInternalName(part, c._doc)} {size}")
                subset = part
            shown.append(f"({c._escape(chunk)}) Tj")
        return f"{' '.join(shown)} T*"

    def _path(self, item: Shape) -> None:
        """The path's operators written out directly (two decimals of a point, 0.0035 mm): a
        card's art has thousands of curves, and reportlab's path object formats each number
        through slow generic code."""
        c = self.canvas
        fill, stroke = self._fill_stroke(item.fill, item.stroke, item.stroke_width)
        if stroke:  # round joins and caps, as the PNG renderer strokes (no saveState: it would
            c.setLineJoin(1)  # also undo an overprint switch the painter keeps track of)
            c.setLineCap(1)
        top = self.height * mm
        ops = []
        for op, p in cubic_segments(item):  # points written out per operator (the same numbers, faster)
            if len(p) == 6:
                p = (p[0] * mm, top - p[1] * mm, p[2] * mm, top - p[3] * mm, p[4] * mm, top - p[5] * mm)
            elif len(p) == 2:
                p = (p[0] * mm, top - p[1] * mm)
            ops.append(_PATH_OPERATORS[op] % p)
        ops.append(_PAINT[fill, stroke] + ("*" if item.even_odd and fill else ""))
        c.addLiteral("\n".join(ops))
        if stroke:
            c.setLineJoin(0)  # back to PDF's defaults, which lines and crop marks use
            c.setLineCap(0)
