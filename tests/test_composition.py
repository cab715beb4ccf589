"""Page composition of the newsletter, read back from the PDF (pagecheck): every finding's heading
on the same page as its charts, no page ending with more than 25 mm of empty type area, and the
running text justified (at least 95 % of the non-final lines flush with their column)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, safe_load
from pagecheck import flush_report, pages_with, text_lines, unused_at_foot

from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.paths import find_project

MAX_UNUSED = 25.0  # mm, from issue 9
MIN_FLUSH = 0.95


def _content(folder: Path) -> tuple[dict, dict]:
    """The words as printed: the YAML, with figure placeholders ({C1:発生した}) filled in by the loader."""
    newsletter = safe_load((folder / "newsletter.yaml").read_text(encoding="utf-8"))
    survey = safe_load((folder / newsletter["data"]).read_text(encoding="utf-8"))
    project = find_project(folder.parent)
    doc = load_newsletter(project, load_theme(project))
    newsletter["lead"] = doc.lead
    for part, loaded in zip(newsletter["parts"], doc.parts):
        part["intro"] = loaded.intro
        for finding, f in zip(part["findings"], loaded.findings):
            finding["heading"], finding["text"] = f.heading, f.text
    return newsletter, survey


@pytest.fixture(scope="module")
def shipped(built: Path) -> tuple[Path, Path]:
    return built / "output" / "newsletter" / "newsletter.pdf", ROOT / "content"


def _findings(newsletter: dict):
    for part in newsletter["parts"]:
        yield from part["findings"]


def check_headings_with_charts(pdf: Path, content: Path) -> None:
    newsletter, survey = _content(content)
    charts = {c["id"]: c for c in survey["charts"]}
    pages = text_lines(pdf)
    for finding in _findings(newsletter):
        heading_pages = pages_with(pages, finding["heading"])
        assert len(heading_pages) >= 1, finding["heading"]
        for chart_id in finding.get("charts", []):
            chart = charts[chart_id]
            chart_pages = pages_with(pages, chart["title"]) & pages_with(pages, chart["question"])
            assert len(chart_pages) == 1, (chart_id, chart_pages)
            assert chart_pages <= heading_pages, (finding["heading"], heading_pages, chart_id, chart_pages)


def check_pages_end_full(pdf: Path) -> None:
    unused = [round(unused_at_foot(lines), 1) for lines in text_lines(pdf)]
    assert max(unused) <= MAX_UNUSED, unused


def check_text_flush(pdf: Path, content: Path) -> None:
    newsletter, _ = _content(content)
    paragraphs = [newsletter["lead"]]
    for part in newsletter["parts"]:
        paragraphs += [part["intro"]] + [f["text"] for f in part["findings"]]
    flush, total, ragged = flush_report(text_lines(pdf), paragraphs)
    assert total >= len(paragraphs), total  # the oracle saw the paragraphs' lines
    assert flush / total >= MIN_FLUSH, (flush, total, ragged[:5])


def test_shipped_headings_share_a_page_with_their_charts(shipped):
    check_headings_with_charts(*shipped)


def test_shipped_pages_end_without_a_large_gap(shipped):
    check_pages_end_full(shipped[0])


def test_shipped_running_text_is_justified(shipped):
    check_text_flush(*shipped)


def test_small_headings_share_a_page_with_their_charts(small_newsletter):
    check_headings_with_charts(*small_newsletter)


def test_small_pages_end_without_a_large_gap(small_newsletter):
    check_pages_end_full(small_newsletter[0])


def test_small_running_text_is_justified(small_newsletter):
    check_text_flush(*small_newsletter)
