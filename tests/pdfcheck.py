"""Reading built PDFs the way a print shop would: poppler's pdffonts, pdfinfo and pdftotext."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import tool


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts rows as dicts (name, type, emb, sub, uni)."""
    lines = tool("pdffonts", str(pdf)).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [encoding...] emb sub uni object ID: the last five columns are fixed
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", str(pdf)), re.M).group(1))


def boxes(pdf: Path) -> list[dict[str, tuple[float, ...]]]:
    """Per page: MediaBox, TrimBox, BleedBox in points."""
    info = tool("pdfinfo", "-box", "-f", "1", "-l", str(page_count(pdf)), str(pdf))
    pages: dict[int, dict[str, tuple[float, ...]]] = {}
    for number, box, values in re.findall(r"^Page\s+(\d+)\s+(\w+Box):\s+([-\d.\s]+)$", info, re.M):
        pages.setdefault(int(number), {})[box] = tuple(float(v) for v in values.split())
    return [pages[k] for k in sorted(pages)]


def text(pdf: Path, *extra: str) -> str:
    return tool("pdftotext", *extra, str(pdf), "-")


def squash(s: str) -> str:
    """Text without any white space, so wrapped lines compare with the content's words."""
    return re.sub(r"\s+", "", s)
