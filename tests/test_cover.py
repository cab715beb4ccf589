"""The newsletter's cover read back from the PDF (pdftotext -bbox-layout): the contents give every
part's summary (the cover makes room for them or the build is refused at its line, never a summary
silently left out), and the space the cover has to spare sits in deliberate places (under the
masthead and above the contents, which stand on the foot), not spread into gaps between every group.

The oracle's own numbers: a gap between groups of the cover is at most 12 mm; the type area's foot
is 7 mm above the footer's text (as in pagecheck)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, invoke, safe_load
from pagecheck import FOOTER_CLEARANCE, squash, text_lines

from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.paths import find_project

GROUP_GAP = 12.0  # mm: a larger gap is space the cover had to spare


def summaries(content: Path) -> list[str]:
    """Each part's summary as printed: the YAML's words, figure placeholders filled in by the loader."""
    project = find_project(content.parent)
    return [part.summary for part in load_newsletter(project, load_theme(project)).parts]


@pytest.fixture(scope="module")
def shipped(built: Path) -> tuple[Path, Path]:
    return built / "output" / "newsletter" / "newsletter.pdf", ROOT / "content"


def check_summaries_on_cover(pdf: Path, content: Path) -> None:
    """Read column by column (lines starting left or right of the page's middle), top to bottom."""
    lines = text_lines(pdf)[0]
    middle = 105.0  # mm, A4
    columns = ["".join(squash(line.text) for line in sorted(lines, key=lambda line: line.y0)
                       if (line.x0 < middle) == left) for left in (True, False)]
    for summary in summaries(content):
        assert any(squash(summary) in column for column in columns), \
            f"the cover's contents lack the summary {summary!r}"


def check_spare_space_placed(pdf: Path, content: Path) -> None:
    """Lines merged into bands down the page: every gap between bands wider than GROUP_GAP lies
    right under the masthead (its issuer line) or right above the contents title; the contents end
    at the type area's foot."""
    newsletter = safe_load((content / "newsletter.yaml").read_text(encoding="utf-8"))
    lines = text_lines(pdf)[0]
    footer = max(lines, key=lambda line: line.y0)
    body = [line for line in lines if line is not footer and line.y1 < footer.y0 - 1]
    bands: list[list[float]] = []
    for line in sorted(body, key=lambda line: line.y0):
        if bands and line.y0 <= bands[-1][1] + 0.5:
            bands[-1][1] = max(bands[-1][1], line.y1)
        else:
            bands.append([line.y0, line.y1])
    issuer = next(line for line in body if squash(newsletter["masthead"]["issuer"]) in squash(line.text))
    title = next(line for line in body if squash(line.text) == squash(newsletter["summary_title"]))
    wide = [(a, b) for a, b in zip(bands, bands[1:]) if b[0] - a[1] > GROUP_GAP]
    for above, below in wide:
        assert above[1] >= issuer.y1 - 0.5 and above[0] <= issuer.y0 + 0.5 or \
            below[0] <= title.y0 + 0.5 and below[1] >= title.y1 - 0.5, \
            f"a {below[0] - above[1]:.0f} mm gap at {above[1]:.0f} mm from the top, neither under the masthead " \
            "nor above the contents"
    assert footer.y0 - FOOTER_CLEARANCE - bands[-1][1] <= GROUP_GAP, "the contents stand on the foot"


def test_shipped_cover_gives_every_summary(shipped):
    check_summaries_on_cover(*shipped)


def test_small_cover_gives_every_summary(small_newsletter):
    check_summaries_on_cover(*small_newsletter)


def test_shipped_cover_spare_space_is_placed(shipped):
    check_spare_space_placed(*shipped)


def test_small_cover_spare_space_is_placed(small_newsletter):
    check_spare_space_placed(*small_newsletter)


def test_summaries_without_room_are_refused_at_their_line(tmp_path: Path):
    """Summaries four times as long cannot fit any arrangement: the build stops naming the first
    part's line in newsletter.yaml, and no newsletter is written."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    path = tmp_path / "content" / "newsletter.yaml"
    text = path.read_text(encoding="utf-8")
    data = safe_load(text)
    for part in data["parts"]:
        old = part["summary"]
        text = text.replace(f"summary: {old}", f"summary: {old}{old}{old}{old}", 1)
    path.write_text(text, encoding="utf-8")
    first = next(n for n, line in enumerate(text.splitlines(), start=1) if line.strip().startswith("- id:"))
    result = invoke(tmp_path, "newsletter")
    assert result.returncode != 0
    assert re.search(rf"newsletter\.yaml:{first}:\d+: .*summar", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output" / "newsletter" / "newsletter.pdf").exists()
