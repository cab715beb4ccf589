"""The newsletter as built from the shipped content: A4 pages and boxes, every chart's title
and figures in the text, the credit under every chart, kinsoku in the extracted lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, invoke
from jlreq import NOT_AT_LINE_START as NO_START
from pdfcheck import boxes, squash, text

from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.paths import find_project

A4 = (595.276, 841.89)
NEWSLETTER = load_newsletter(find_project(ROOT), load_theme(find_project(ROOT)))
SURVEY = NEWSLETTER.survey
CREDIT = SURVEY.credit


@pytest.fixture(scope="module")
def pdf(built: Path) -> Path:
    return built / "output" / "newsletter" / "newsletter.pdf"


def test_pages_are_a4_with_trim_box(pdf: Path):
    pages = boxes(pdf)
    assert 6 <= len(pages) <= 12  # composed to fill pages: about nine for the shipped issue
    for page in pages:
        for box in ("MediaBox", "TrimBox"):
            x0, y0, x1, y1 = page[box]
            assert (round(x1 - x0, 1), round(y1 - y0, 1)) == (round(A4[0], 1), round(A4[1], 1)), page


def test_press_version_has_bleed_and_room_for_crop_marks(built: Path):
    pages = boxes(built / "output" / "newsletter" / "newsletter-press.pdf")
    bleed = 3 * 72 / 25.4
    for page in pages:
        tx0, ty0, tx1, ty1 = page["TrimBox"]
        bx0, by0, bx1, by1 = page["BleedBox"]
        mx0, my0, mx1, my1 = page["MediaBox"]
        assert (round(tx1 - tx0, 1), round(ty1 - ty0, 1)) == (round(A4[0], 1), round(A4[1], 1))
        assert abs((tx0 - bx0) - bleed) < 0.05 and abs((bx1 - tx1) - bleed) < 0.05
        assert abs((ty0 - by0) - bleed) < 0.05 and abs((by1 - ty1) - bleed) < 0.05
        assert bx0 - mx0 > 20 and my1 - by1 > 20  # crop marks need room outside the bleed


def _chart_regions(extracted: str) -> dict[str, str]:
    """The text from each chart's title to the credit line that closes it."""
    regions = {}
    flat = squash(extracted)
    for chart in SURVEY.charts.values():
        start = flat.find(squash(chart.title))
        assert start >= 0, f"chart {chart.id} title missing: {chart.title}"
        end = flat.find(squash(CREDIT), start)
        assert end > start, f"no credit after chart {chart.id}"
        regions[chart.id] = flat[start:end]
    return regions


def test_every_chart_title_label_and_value_is_in_the_text(pdf: Path):
    regions = _chart_regions(text(pdf))
    for chart in SURVEY.charts.values():
        region = regions[chart.id]
        for series in chart.values:
            for label, value in zip(chart.labels, series):
                assert squash(label) in region, (chart.id, label)
                if value is not None:
                    assert f"{value:.1f}{chart.unit}" in region, (chart.id, label, value)
        if chart.has_unknown:
            assert squash(chart.unknown_note) in region, chart.id


def test_credit_stands_under_every_chart_and_in_the_overview(pdf: Path):
    extracted = squash(text(pdf))
    assert extracted.count(squash(CREDIT)) >= len(SURVEY.charts) + 1
    assert len(_chart_regions(text(pdf))) == len(SURVEY.charts)


def test_no_extracted_line_starts_with_a_forbidden_character(pdf: Path):
    bad = []
    for line in text(pdf, "-layout").splitlines():
        for column in re.split(r"\s{3,}", line.strip()):
            if column and column[0] in NO_START and not re.match(r"^[%％]", column):
                bad.append(column)
    assert not bad, bad[:10]


def test_japanese_text_is_searchable(pdf: Path):
    extracted = squash(text(pdf))
    newsletter = NEWSLETTER
    assert squash(newsletter.headline) in extracted
    assert squash(newsletter.lead) in extracted


@pytest.mark.parametrize("old,new,expected", [
    ("24.7", "24.8", r"content/survey-2021\.yaml:\d+:\d+: chart C7: 24\.8 % is not a whole number of the 81"),
    ("[41.0, 23.8, 23.8, null, null, 14.3", "[41.0, 23.8, 23.8, null, 14.3",
     r"content/survey-2021\.yaml:\d+:\d+: chart C2: series '割合' has 13 values for 14 labels"),
])
def test_wrong_or_missing_survey_value_fails_with_file_and_line(project: Path, old, new, expected):
    data = project / "content" / "survey-2021.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = invoke(project, "newsletter")
    assert result.returncode == 1
    assert re.match(expected, result.stderr.strip()), result.stderr
    assert not (project / "output" / "newsletter" / "newsletter.pdf").exists()
