"""Vendor the illustration pieces the deck names from Microsoft's Fluent Emoji (flat, MIT).

    cd /tmp && npm pack @iconify-json/fluent-emoji-flat && tar xzf iconify-json-fluent-emoji-flat-*.tgz
    python tools/vendor_art.py /tmp/package/icons.json

Reads every card's `art` in content/karuta.yaml and writes assets/art/fluent-emoji-flat.json with
only those pieces, each as a list of shapes (SVG path data, fill colour, fill rule, optional
stroke) and the ink box of the whole piece, in the icons' 32 x 32 units. Rectangles, circles and
ellipses become path data here, so the build reads paths only. A piece that needs what print
cannot carry (transparency, gradients, filters) or what we do not draw (transforms, <use>) is
refused by name: pick another.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from fontTools.pens.boundsPen import BoundsPen
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
        if style.get("fill-rule") == "evenodd":
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
    return {"box": box, "shapes": shapes}


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
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(pieces)} pieces -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
