"""The built PDFs read as written (pypdf: page dictionaries, info dictionary, content streams):
metadata from the content, CMYK drawn with the theme's own mixes (also when an RGB build came
first: the build cache must tell the two apart), and Japanese double crop marks (トンボ) at every
corner, one on the trim line and one on the bleed line."""

from __future__ import annotations

import json
from pathlib import Path


from conftest import ROOT, safe_load
from pdfcheck import boxes, info, page_operations

CONTENT = {name: safe_load((ROOT / "content" / name).read_text(encoding="utf-8"))
           for name in ("newsletter.yaml", "karuta.yaml", "theme.yaml")}
TOLERANCE = 0.05  # pt


def test_newsletter_author_title_and_subject_come_from_the_content(built: Path):
    meta = CONTENT["newsletter.yaml"]["meta"]
    found = info(built / "output" / "newsletter" / "newsletter.pdf")
    assert found.get("Author") == meta["author"]
    assert found.get("Title") == meta["title"]
    assert found.get("Subject") == meta["subject"]


def test_every_pdf_names_an_author(built: Path):
    for pdf in sorted((built / "output").rglob("*.pdf")):
        author = info(pdf).get("Author", "")
        assert author.strip() and "anonymous" not in author.lower(), (pdf.name, author)


def _colour_operands(pdf: Path, operators: set[str]) -> list[tuple[float, ...]]:
    return [tuple(operands) for ops in page_operations(pdf) for op, operands in ops if op in operators]


def test_cmyk_build_after_an_rgb_build_is_cmyk(cmyk_after_rgb: Path):
    assert _colour_operands(cmyk_after_rgb, {"k", "K"}), "no CMYK colour drawn"
    assert not _colour_operands(cmyk_after_rgb, {"rg", "RG", "g", "G"}), "RGB or grey colour left in a CMYK build"


def _device_cmyk(hex_colour: str) -> tuple[float, ...]:
    """The uncalibrated sRGB -> CMYK conversion with full grey replacement (K = 1 - max(R, G, B)),
    in whole percent, dots under 5 % dropped: what art colours, which have no mix of their own, print with."""
    value = hex_colour.lstrip("#")
    value = "".join(c * 2 for c in value) if len(value) == 3 else value
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    k = 1 - max(r, g, b)
    mix = (0, 0, 0, 1) if k >= 1 else ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)
    return tuple(0.0 if round(v, 2) < 0.05 else round(v, 2) for v in mix)


def test_cmyk_colours_are_the_theme_mixes(cmyk_after_rgb: Path):
    mixes = {name: tuple(v / 100 for v in colour["cmyk"]) for name, colour in CONTENT["theme.yaml"]["colours"].items()
             if "cmyk" in colour}
    # the card pictures on the last page: the art's own sRGB colours, converted
    art = json.loads((ROOT / "assets" / "art" / "fluent-emoji-flat.json").read_text(encoding="utf-8"))["pieces"]
    mixes |= {colour: _device_cmyk(colour) for piece in art.values() for shape in piece["shapes"]
              for colour in (shape.get("fill"), shape.get("stroke")) if colour}
    used = set(_colour_operands(cmyk_after_rgb, {"k", "K"}))

    def is_mix(values: tuple[float, ...]) -> bool:
        return any(all(abs(a - b) < 1e-3 for a, b in zip(values, mix)) for mix in mixes.values())

    assert all(is_mix(values) for values in used), sorted(v for v in used if not is_mix(v))
    style = CONTENT["theme.yaml"]["newsletter"]
    for name in [style["colours"]["masthead"], *style["chart_palette"]]:  # the brand colour and every chart colour
        assert any(all(abs(a - b) < 1e-3 for a, b in zip(values, mixes[name])) for values in used), name


def test_press_colours_are_the_theme_mixes(built: Path):
    """The print-shop file fills its brand and chart colours with the theme's own CMYK mixes (the
    shipped mixes already keep the press limits, so they print unchanged), not a conversion."""
    mixes = {name: tuple(v / 100 for v in colour["cmyk"]) for name, colour in CONTENT["theme.yaml"]["colours"].items()
             if "cmyk" in colour}
    used = set(_colour_operands(built / "output" / "newsletter" / "newsletter-press.pdf", {"k"}))
    style = CONTENT["theme.yaml"]["newsletter"]
    for name in [style["colours"]["masthead"], *style["chart_palette"]]:
        assert any(all(abs(a - b) < 1e-3 for a, b in zip(values, mixes[name])) for values in used), (name, mixes[name])


def _segments(ops: list[tuple[str, list]]) -> list[tuple[float, float, float, float]]:
    """Straight stroked lines (m, l, S) in page coordinates, following q/Q/cm."""
    ctm, stack, found, path = (1, 0, 0, 1, 0, 0), [], [], []

    def point(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm
        return a * x + c * y + e, b * x + d * y + f

    for op, args in ops:
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            a, b, c, d, e, f = args  # the new matrix is args x ctm
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif op == "m":
            path = [point(*args)]
        elif op == "l" and path:
            path.append(point(*args))
        elif op in ("S", "s") and len(path) == 2:
            (x1, y1), (x2, y2) = path
            found.append((x1, y1, x2, y2))
            path = []
        elif op in ("n", "f", "f*", "B", "b", "re"):
            path = []
    return found


def _has(segments, *, horizontal: bool, at: float, beyond: float, side: int) -> bool:
    """A mark on the line y=at (or x=at) lying wholly outside `beyond` on the given side."""
    for x1, y1, x2, y2 in segments:
        fixed = (y1, y2) if horizontal else (x1, x2)
        run = (x1, x2) if horizontal else (y1, y2)
        if abs(fixed[0] - at) < TOLERANCE and abs(fixed[1] - at) < TOLERANCE and abs(run[0] - run[1]) > 1:
            if (side < 0 and max(run) <= beyond + TOLERANCE) or (side > 0 and min(run) >= beyond - TOLERANCE):
                return True
    return False


def test_press_newsletter_has_double_crop_marks_at_every_corner(built: Path):
    pdf = built / "output" / "newsletter" / "newsletter-press.pdf"
    for number, (page, ops) in enumerate(zip(boxes(pdf), page_operations(pdf)), 1):
        tx0, ty0, tx1, ty1 = page["TrimBox"]
        bx0, by0, bx1, by1 = page["BleedBox"]
        assert bx0 < tx0 and by0 < ty0, "no bleed"
        segments = _segments(ops)
        for (tx, bx, sx) in ((tx0, bx0, -1), (tx1, bx1, 1)):
            for (ty, by, sy) in ((ty0, by0, -1), (ty1, by1, 1)):
                corner = (number, sx, sy)
                # horizontal marks run outward beyond the bleed in x: one on the trim line, one on the bleed line
                assert _has(segments, horizontal=True, at=ty, beyond=bx, side=sx), ("trim line, across", corner)
                assert _has(segments, horizontal=True, at=by, beyond=bx, side=sx), ("bleed line, across", corner)
                assert _has(segments, horizontal=False, at=tx, beyond=by, side=sy), ("trim line, down", corner)
                assert _has(segments, horizontal=False, at=bx, beyond=by, side=sy), ("bleed line, down", corner)
