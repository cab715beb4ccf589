"""Page composition read back from a built PDF with `pdftotext -bbox-layout`, independently of the
layout code: which page a text is on, how much type area a page leaves empty at its foot, and how
many lines of running text end flush with their column.

The oracle's own numbers: a footer is the lowest line of text on a page; the design keeps about
7 mm between the type area and the footer's text (so empty type area = the distance from the last
line above the footer to the footer's text, less 7 mm); a line is flush when it ends within 0.25 mm
of its column's right edge, and that edge is where the paragraph's longest lines in that column end."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from conftest import tool

PT = 25.4 / 72  # mm per point
FOOTER_CLEARANCE = 7.0  # mm
FLUSH_TOLERANCE = 0.25  # mm


@dataclass(frozen=True)
class TextLine:
    page: int  # from 1
    x0: float  # mm
    y0: float
    x1: float
    y1: float
    text: str


_LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word[^>]*>(.*?)</word>", re.S)


def text_lines(pdf: Path) -> list[list[TextLine]]:
    """Every extracted line, page by page, in millimetres from the page's top-left corner."""
    out = tool("pdftotext", "-bbox-layout", str(pdf), "-")
    pages = []
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        lines = []
        for x0, y0, x1, y1, body in _LINE.findall(page):
            words = "".join(html.unescape(w) for w in _WORD.findall(body))
            lines.append(TextLine(number, float(x0) * PT, float(y0) * PT, float(x1) * PT, float(y1) * PT, words))
        pages.append(_joined(lines))
    return pages


def _joined(lines: list[TextLine]) -> list[TextLine]:
    """pdftotext cuts a line where a compressed bracket's box overlaps the next character: pieces on
    one baseline that touch are one line again."""
    out: list[TextLine] = []
    for line in sorted(lines, key=lambda l: (round(l.y0, 1), l.x0)):
        last = out[-1] if out else None
        if last and abs(last.y0 - line.y0) < 0.3 and line.x0 <= last.x1 + 0.5 and line.x1 > last.x1:
            out[-1] = TextLine(last.page, last.x0, last.y0, line.x1, max(last.y1, line.y1), last.text + line.text)
        else:
            out.append(line)
    return out


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def pages_with(pages: list[list[TextLine]], text: str) -> set[int]:
    """The pages whose text (lines joined in reading order) holds `text`, ignoring white space."""
    wanted = squash(text)
    return {i for i, lines in enumerate(pages, start=1) if wanted in squash("".join(l.text for l in lines))}


def unused_at_foot(lines: list[TextLine]) -> float:
    """Millimetres of type area left empty between the last line of content and the footer."""
    footer_top = max(l.y0 for l in lines)
    above = [l.y1 for l in lines if l.y1 < footer_top - 0.5]
    return footer_top - max(above) - FOOTER_CLEARANCE


def flush_report(pages: list[list[TextLine]], paragraphs: list[str]) -> tuple[int, int, list[str]]:
    """(flush, total, the lines that are not) over the non-final lines of the given paragraphs.

    A paragraph's lines are the extracted lines whose text is a piece of it, taken in reading
    order until the paragraph is complete; columns are told apart by where their lines start."""
    flush = total = 0
    ragged: list[str] = []
    for paragraph in paragraphs:
        target = squash(paragraph)
        found = _paragraph_lines(pages, target)
        if not found:
            raise AssertionError(f"paragraph not found in the PDF: {paragraph[:30]}…")
        columns: dict[tuple[int, int], list[TextLine]] = {}
        for line in found:
            columns.setdefault((line.page, round(line.x0 / 3)), []).append(line)
        for line in found[:-1]:
            edge = max(l.x1 for l in columns[(line.page, round(line.x0 / 3))])
            total += 1
            if abs(line.x1 - edge) <= FLUSH_TOLERANCE:
                flush += 1
            else:
                ragged.append(f"p{line.page} {edge - line.x1:.2f} mm short: {line.text}")
    return flush, total, ragged


def _paragraph_lines(pages: list[list[TextLine]], target: str) -> list[TextLine]:
    """The run of lines, in order of page, column and height, that spells out `target`."""
    ordered = [l for lines in pages for l in sorted(lines, key=lambda l: (round(l.x0 / 3) * 3 > 105, l.y0))]
    flat = [squash(l.text) for l in ordered]
    for start, text in enumerate(flat):
        if not text or not target.startswith(text):
            continue
        got, run, k = text, [ordered[start]], start + 1
        while len(got) < len(target) and k < len(ordered):
            nxt = flat[k]
            if nxt and target.startswith(got + nxt):
                got += nxt
                run.append(ordered[k])
            k += 1
            if k - start > 400:
                break
        if got == target:
            return run
    return []
