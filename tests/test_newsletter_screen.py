"""The screen PDF's reader aids, read back with poppler: an outline entry for every part and the
closing block, each pointing at the page the part starts on; a link on every printed URL; the
issue's own date in the document information; the answer type (単回答/複数回答) on every chart."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, safe_load, tool
from pagecheck import pages_with, squash, text_lines


@pytest.fixture(scope="module")
def pdf(built: Path) -> Path:
    return built / "output" / "newsletter" / "newsletter.pdf"


@pytest.fixture(scope="module")
def content() -> dict:
    return safe_load((ROOT / "content" / "newsletter.yaml").read_text(encoding="utf-8"))


def _xml(pdf: Path) -> str:
    return tool("pdftohtml", "-xml", "-i", "-stdout", str(pdf))


def test_outline_points_at_each_part_and_the_closing(pdf: Path, content: dict):
    outline = re.findall(r'<item page="(\d+)">(.*?)</item>', _xml(pdf))
    pages = text_lines(pdf)
    wanted = [(part["id"], part["title"]) for part in content["parts"]] + [("", content["closing"]["title"])]
    assert len(outline) == len(wanted), outline
    for (page, title), (part_id, part_title) in zip(outline, wanted):
        assert part_id in title and part_title in title, (title, part_title)
        starts = min(pages_with(pages, part_title) - {1})  # page 1 lists every part in the contents
        assert int(page) == starts, (title, page, starts)


def test_every_printed_url_is_a_link(pdf: Path):
    xml = _xml(pdf)
    linked = set(re.findall(r'<a href="([^"]+)"', xml))
    printed = set(re.findall(r"https?://[A-Za-z0-9_./%~?=&#-]+", squash(tool("pdftotext", str(pdf), "-"))))
    assert printed, "no URL printed"
    assert printed <= linked, printed - linked


def test_document_date_is_the_issue_date(pdf: Path, content: dict):
    info = tool("pdfinfo", "-isodates", str(pdf))
    created = re.search(r"^CreationDate:\s+(\S+)", info, re.M).group(1)
    if os.environ.get("SOURCE_DATE_EPOCH"):
        expected = datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), datetime.timezone.utc)
    else:
        issued = datetime.date.fromisoformat(str(content["masthead"]["issued"]))
        expected = datetime.datetime(issued.year, issued.month, issued.day, tzinfo=datetime.timezone.utc)
    assert created.startswith(expected.strftime("%Y-%m-%dT%H:%M:%S")), (created, expected)


def test_every_chart_says_single_or_multiple_answers(pdf: Path, content: dict):
    survey = safe_load((ROOT / "content" / content["data"]).read_text(encoding="utf-8"))
    words = content["words"]["answers"]
    flat = squash(tool("pdftotext", str(pdf), "-"))
    for chart in survey["charts"]:
        start = flat.find(squash(chart["title"]))
        end = flat.find(squash(survey["survey"]["credit"]), start)
        assert 0 <= start < end, chart["id"]
        answers = "multiple" if chart["answers"] == "multiple" else "single"  # each: one answer per item
        assert words[answers] in flat[start:end], chart["id"]
        other = words["single" if answers == "multiple" else "multiple"]
        assert other not in flat[start:end], chart["id"]
