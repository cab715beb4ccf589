"""Vendor the illustration pieces the deck names from Microsoft's Fluent Emoji (flat, MIT).

    cd /tmp && npm pack @iconify-json/fluent-emoji-flat && tar xzf iconify-json-fluent-emoji-flat-*.tgz
    python tools/vendor_art.py /tmp/package/icons.json

Reads every card's `art` in content/karuta.yaml and writes assets/art/fluent-emoji-flat.json with
only those pieces, each as a list of shapes (path, fill colour, fill rule, optional stroke), the
ink box of the whole piece and its outline (the union of its shapes, which the cards draw as the
paper outline round a piece), in the icons' 32 x 32 units. Rectangles, circles and ellipses
become path data; fontTools parses the SVG path data (arcs become cubics) and each path is
stored parsed, as its operators ("ops": M, L, C, Q, Z) and their absolute points ("pts"), so a
build reads numbers and never parses SVG. A piece that needs what print
cannot carry (transparency, gradients, filters) or what we do not draw (transforms, <use>) is
refused by name: pick another.

The outline is computed here, once, with skia-pathops (pip install skia-pathops; only this tool
needs it): a path union is a job for a geometry library, not for code of ours. The same library
checks each nonzero fill: where the even-odd rule fills exactly the same area (no two subpaths
turning the same way overlap), the shape is stored as even-odd, which every renderer paints in
one pass (Pillow has no nonzero rule: such a path costs it a mask per subpath).
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pathops
import yaml
from fontTools.pens.basePen import decomposeQuadraticSegment
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.svgLib.path import parse_path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "art" / "fluent-emoji-flat.json"
FULL_BOX = re.compile(r"^M0 0h32v32H0z$")  # a clip path that clips nothing
REFUSED = ("opacity", "fill-opacity", "stroke-opacity", "transform", "filter", "mask")


def names_in_deck() -> list[str]:
    cards = yaml.safe_load((ROOT / "content" / "karuta.yaml").read_text(encoding="utf-8"))["cards"]
    names: list[str] = []
    for card in cards:
        art = card["art"]
        for name in [art["main"], *art.get("props", [])]:
            if name not in names:
                names.append(name)
    return sorted(names)


def _num(value: str | None) -> float:
    return float(value or 0)


def _shape_path(tag: str, el: ET.Element) -> str:
    """Path data for <path>, <rect> (rounded or not), <circle> and <ellipse>."""
    if tag == "path":
        return el.get("d", "")
    if tag == "rect":
        x, y, w, h = (_num(el.get(k)) for k in ("x", "y", "width", "height"))
        rx = _num(el.get("rx") or el.get("ry"))
        ry = _num(el.get("ry") or el.get("rx"))
        if not rx:
            return f"M{x} {y}h{w}v{h}h{-w}z"
        return (f"M{x + rx} {y}h{w - 2 * rx}a{rx} {ry} 0 0 1 {rx} {ry}v{h - 2 * ry}a{rx} {ry} 0 0 1 {-rx} {ry}"
                f"h{-(w - 2 * rx)}a{rx} {ry} 0 0 1 {-rx} {-ry}v{-(h - 2 * ry)}a{rx} {ry} 0 0 1 {rx} {-ry}z")
    cx, cy = _num(el.get("cx")), _num(el.get("cy"))
    rx = _num(el.get("r") or el.get("rx"))
    ry = _num(el.get("r") or el.get("ry"))
    return f"M{cx - rx} {cy}a{rx} {ry} 0 1 0 {2 * rx} 0a{rx} {ry} 0 1 0 {-2 * rx} 0z"


def piece(name: str, body: str) -> dict:
    root = ET.fromstring(f"<svg>{body}</svg>")
    clips = {el.get("id") for el in root.iter("clipPath")
             if all(FULL_BOX.match(p.get("d", "")) for p in el.iter("path"))}
    shapes: list[dict] = []

    def walk(el: ET.Element, inherited: dict) -> None:
        tag = el.tag
        if tag in ("defs", "clipPath"):
            return
        for attr in REFUSED:
            if el.get(attr) is not None:
                raise SystemExit(f"{name}: uses {attr}; pick another piece")
        clip = el.get("clip-path")
        if clip and clip[5:-1] not in clips:
            raise SystemExit(f"{name}: clips a shape; pick another piece")
        style = dict(inherited)
        for key in ("fill", "fill-rule", "stroke", "stroke-width"):
            if el.get(key) is not None:
                style[key] = el.get(key)
        if tag in ("svg", "g"):
            for child in el:
                walk(child, style)
            return
        if tag not in ("path", "rect", "circle", "ellipse"):
            raise SystemExit(f"{name}: has a <{tag}>; pick another piece")
        for key in ("fill", "stroke"):
            if style.get(key, "none").startswith("url("):
                raise SystemExit(f"{name}: has a gradient; pick another piece")
        shape = {"d": _shape_path(tag, el)}
        if style.get("fill", "none") != "none":
            shape["fill"] = style["fill"]
        if style.get("fill-rule") == "evenodd" or ("fill" in shape and same_by_parity(shape["d"])):
            shape["evenodd"] = True
        if style.get("stroke", "none") != "none":
            shape["stroke"] = style["stroke"]
            shape["stroke_width"] = float(style.get("stroke-width", 1))
        if "fill" in shape or "stroke" in shape:
            shapes.append(shape)

    walk(root, {"fill": "#000"})
    bounds = BoundsPen(None)
    for shape in shapes:
        parse_path(shape["d"], bounds)
        bounds.endPath()
    box = [round(v, 3) for v in bounds.bounds]
    united = RecordingPen()
    outline(shapes).draw(united)
    for shape in shapes:
        recording = RecordingPen()
        parse_path(shape.pop("d"), recording)
        shape.update(commands(recording))
    return {"box": box, "outline": commands(united), "shapes": shapes}


def commands(recording: RecordingPen) -> dict:
    """Pen calls as one string of operators and one flat list of absolute points."""
    ops, pts = [], []
    for call, points in recording.value:
        if call == "qCurveTo":
            for control, end in decomposeQuadraticSegment(points):
                ops.append("Q")
                pts += [*control, *end]
        elif call in ("moveTo", "lineTo", "curveTo"):
            ops.append({"moveTo": "M", "lineTo": "L", "curveTo": "C"}[call])
            pts += [v for point in points for v in point]
        elif call == "closePath":
            ops.append("Z")
    return {"ops": "".join(ops), "pts": [round(v, 3) for v in pts]}


def same_by_parity(d: str) -> bool:
    """Whether the even-odd rule fills the same area as the nonzero rule (SVG's default)."""
    rules = []
    for fill_type in (pathops.FillType.WINDING, pathops.FillType.EVEN_ODD):
        path = pathops.Path(fillType=fill_type)
        parse_path(d, path.getPen(allow_open_paths=True))
        rules.append(path)
    return pathops.op(*rules, pathops.PathOp.XOR).area < 1e-6


def outline(shapes: list[dict]) -> pathops.Path:
    """The area the piece covers: every fill (by its rule) and stroke, united."""
    union = pathops.Path()
    for shape in shapes:
        path = pathops.Path()
        parse_path(shape["d"], path.getPen(allow_open_paths=True))
        if "stroke" in shape:
            stroked = pathops.Path()
            path.draw(stroked.getPen(allow_open_paths=True))
            stroked.stroke(shape["stroke_width"], pathops.LineCap.ROUND_CAP, pathops.LineJoin.ROUND_JOIN, 4)
            stroked.convertConicsToQuads()
            union = pathops.op(union, stroked, pathops.PathOp.UNION)
        if "fill" in shape:
            if shape.get("evenodd"):
                path.fillType = pathops.FillType.EVEN_ODD
            union = pathops.op(union, path, pathops.PathOp.UNION)
    return union


def main() -> None:
    icons = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    pieces = {}
    for name in names_in_deck():
        if name not in icons["icons"]:
            raise SystemExit(f"{name}: not in Fluent Emoji flat")
        pieces[name] = piece(name, icons["icons"][name]["body"])
    data = {"source": "@iconify-json/fluent-emoji-flat (Microsoft Fluent Emoji, flat style), MIT",
            "size": [icons.get("width", 32), icons.get("height", 32)], "pieces": pieces}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    compact = {"separators": (",", ":"), "ensure_ascii": False, "sort_keys": True}
    lines = [f"{json.dumps(name)}:{json.dumps(value, **compact)}" for name, value in sorted(pieces.items())]
    header = json.dumps({k: v for k, v in data.items() if k != "pieces"}, **compact)[:-1]
    OUT.write_text(header + ',"pieces":{\n' + ",\n".join(lines) + "\n}}\n", encoding="utf-8")
    print(f"{len(pieces)} pieces -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
