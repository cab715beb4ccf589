"""Paint display-list pages into a PDF with reportlab: embedded subset TrueType fonts, page
boxes, RGB or CMYK colour. Byte-identical output for the same input (invariant mode)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from builder.layout.geometry import Circle, DocumentInfo, Line, Page, Polygon, Rect, Text
from builder.model.theme import Colour
from builder.text.fonts import face

_REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")


def register_fonts(fonts: dict[str, Path]) -> str:
    """Register every font (text.fonts.face does) under its key; return the one to use as the
    canvas default so that reportlab never falls back to an unembedded Helvetica."""
    for path in fonts.values():
        face(path)
    default = next(iter(fonts))
    pdfmetrics.registerFontFamily(default, normal=default, bold=default, italic=default, boldItalic=default,
                                  baseFontFor="canvas graphics")
    return default


def render_pdf(pages: list[Page], fonts: dict[str, Path], info: DocumentInfo, *, cmyk: bool = False) -> bytes:
    default_font = register_fonts(fonts)
    buffer = io.BytesIO()
    first = pages[0]
    canvas = Canvas(buffer, pagesize=(first.width * mm, first.height * mm), invariant=1, pageCompression=1,
                    initialFontName=default_font, initialFontSize=10, lang=info.language)
    canvas.setTitle(info.title)
    canvas.setSubject(info.subject)
    canvas.setAuthor(info.author)
    canvas.setCreator("karuta-press")
    canvas.setProducer("karuta-press (reportlab)")
    if info.keywords:
        canvas.setKeywords(", ".join(info.keywords))
    painter = _Painter(canvas, cmyk)
    for page in pages:
        canvas.setPageSize((page.width * mm, page.height * mm))
        _set_boxes(canvas, page)
        painter.height = page.height
        for item in page.items:
            painter.paint(item)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _set_boxes(canvas: Canvas, page: Page) -> None:
    def box(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x, y, w, h = rect
        bottom = page.height - y - h
        return (x * mm, bottom * mm, (x + w) * mm, (bottom + h) * mm)

    trim = page.trim or (0.0, 0.0, page.width, page.height)  # a page with no trim is cut at its edge
    canvas.setTrimBox(box(trim))
    canvas.setBleedBox(box(page.bleed or trim))


class _Painter:
    def __init__(self, canvas: Canvas, cmyk: bool):
        self.canvas = canvas
        self.cmyk = cmyk
        self.height = 0.0

    def colour(self, colour: Colour) -> Color:
        if self.cmyk:
            return CMYKColor(*colour.cmyk)
        r, g, b = colour.rgb
        return Color(r / 255, g / 255, b / 255)

    def y(self, y: float) -> float:
        return (self.height - y) * mm

    def _fill_stroke(self, fill: Colour | None, stroke: Colour | None, width: float) -> tuple[int, int]:
        c = self.canvas
        if fill is not None:
            c.setFillColor(self.colour(fill))
        if stroke is not None:
            c.setStrokeColor(self.colour(stroke))
            c.setLineWidth(width * mm)
        return int(fill is not None), int(stroke is not None and width > 0)

    def paint(self, item) -> None:
        c = self.canvas
        if isinstance(item, Text):
            c.setFillColor(self.colour(item.colour))
            c.setFont(item.font, item.size)
            if item.rotate:
                c.saveState()
                c.translate(item.x * mm, self.y(item.y))
                c.rotate(-item.rotate)
                c.drawString(0, 0, item.text)
                c.restoreState()
            else:
                c.drawString(item.x * mm, self.y(item.y), item.text)
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
            c.setStrokeColor(_REGISTRATION if item.registration else self.colour(item.colour))
            c.setLineWidth(item.width * mm)
            c.line(item.x1 * mm, self.y(item.y1), item.x2 * mm, self.y(item.y2))
        elif isinstance(item, Polygon):
            c.setFillColor(self.colour(item.fill))
            path = c.beginPath()
            (x0, y0), *rest = item.points
            path.moveTo(x0 * mm, self.y(y0))
            for x, y in rest:
                path.lineTo(x * mm, self.y(y))
            path.close()
            c.drawPath(path, fill=1, stroke=0)
        else:  # pragma: no cover - the display list is closed
            raise TypeError(f"cannot paint {item!r}")
