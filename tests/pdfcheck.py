"""Reading built PDFs the way a print shop would: poppler's pdffonts, pdfinfo and pdftotext, and
pypdf for what poppler does not show as written (page boxes, metadata, content streams)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

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
    """Per page: the MediaBox, TrimBox and BleedBox actually written in the page dictionary, in
    points. Read with pypdf, not `pdfinfo -box`, which prints every box even when none is set
    (it shows the MediaBox in their place); MediaBox alone may be inherited from the page tree."""
    pages = []
    for page in PdfReader(pdf).pages:
        found = {}
        for name in ("/MediaBox", "/TrimBox", "/BleedBox"):
            value = page.get(name)
            if value is None and name == "/MediaBox":
                value = page.get_inherited(name)
            if value is not None:
                found[name[1:]] = tuple(float(v) for v in value)
        pages.append(found)
    return pages


def info(pdf: Path) -> dict[str, str]:
    """The document information dictionary, keys without the slash (Title, Author, ...)."""
    meta = PdfReader(pdf).metadata or {}
    return {key.lstrip("/"): str(value) for key, value in meta.items()}


def page_operations(pdf: Path) -> list[list[tuple[str, list]]]:
    """Per page, the content stream as (operator, operands), numbers as floats."""
    reader = PdfReader(pdf)
    pages = []
    for page in reader.pages:
        contents = page.get_contents()
        ops = [] if contents is None else [
            (operator.decode("latin-1"), [float(v) if isinstance(v, (int, float)) else v for v in operands])
            for operands, operator in ContentStream(contents, reader).operations]
        pages.append(ops)
    return pages


def text(pdf: Path, *extra: str) -> str:
    return tool("pdftotext", *extra, str(pdf), "-")


def squash(s: str) -> str:
    """Text without any white space, so wrapped lines compare with the content's words."""
    return re.sub(r"\s+", "", s)
