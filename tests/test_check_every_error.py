"""`build check` shows every mistake it can find across the content files in one run (the
README promises it), each at its file:line, in file order; a mistake stops only the checks that
depend on its file. And one cause is named at one place by `check` and by a build alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from conftest import ROOT, invoke, replace_once

RARE = "𠮷"  # not in the shipped fonts


def _errors(result) -> list[str]:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.stderr.strip().splitlines()


def test_check_reports_a_mistake_in_each_file_in_file_order(project: Path):
    """A card's unknown key (karuta.yaml), a character the fonts lack in the masthead
    (newsletter.yaml: found although the newsletter shows cards of that broken deck), a base_url
    that is not a web address (site.yaml)."""
    key = replace_once(project, "karuta.yaml", "    topic: 退職者のIDや不要な権限の放置", "    topik: 退職者のIDや不要な権限の放置")
    date = replace_once(project, "newsletter.yaml", "  date: 2021年12月", f"  date: {RARE}2021年12月")
    url = replace_once(project, "site.yaml", "  base_url: https://example.com/security-karuta/", "  base_url: ftp://x/")
    lines = _errors(invoke(project, "check"))
    assert lines[-1] == "3 mistakes found; nothing written", lines
    assert re.fullmatch(rf"content/karuta\.yaml:{key}:5: unknown key 'topik' in card 'ぬ'; did you mean 'topic'\?",
                        lines[0]), lines
    assert re.fullmatch(rf"content/newsletter\.yaml:{date}:9: '{RARE}' \(U\+20BB7\) is not in the font .*", lines[1]), \
        lines
    assert re.fullmatch(rf"content/site\.yaml:{url}:13: site base_url 'ftp://x/' is not an absolute web address.*",
                        lines[2]), lines
    assert len(lines) == 4


def test_check_names_every_card_that_cannot_be_laid_out(project: Path):
    """Two cards whose explanations hold a character the body font lacks: both named, at their
    explanation's line, not only the first the layout meets."""
    first = replace_once(project, "karuta.yaml", "見つかった弱点が", f"見つかった{RARE}弱点が")
    second = replace_once(project, "karuta.yaml", "技術や顧客の情報", f"技術や{RARE}顧客の情報")
    lines = _errors(invoke(project, "check"))
    assert [re.match(r"content/karuta\.yaml:(\d+):", line)[1] for line in lines[:2]] == [str(first), str(second)], \
        lines
    assert all(f"'{RARE}' (U+20BB7) is not in the font" in line for line in lines[:2]), lines
    assert lines[2:] == ["2 mistakes found; nothing written"], lines


def test_a_survey_mistake_skips_only_what_reads_the_survey(project: Path):
    """C1's shares no longer add up (survey-2021.yaml): the newsletter that draws it cannot be
    checked further, but the card and the site mistakes are still told, the sum's first."""
    values = replace_once(project, "survey-2021.yaml", "      - [10.5, 89.5]", "      - [10.5, 80.5]")
    key = replace_once(project, "karuta.yaml", "    topic: 退職者のIDや不要な権限の放置", "    topik: 退職者のIDや不要な権限の放置")
    url = replace_once(project, "site.yaml", "  base_url: https://example.com/security-karuta/", "  base_url: ftp://x/")
    lines = _errors(invoke(project, "check"))
    assert [line.split(": ")[0] for line in lines] == [
        f"content/karuta.yaml:{key}:5", f"content/site.yaml:{url}:13", f"content/survey-2021.yaml:{values}:9",
        "3 mistakes found; nothing written"], lines
    assert "add up to 91.0, not 100" in lines[2], lines


@pytest.mark.parametrize("role", ["body", "display"])
def test_a_font_without_japanese_is_named_at_its_role_by_check_and_by_all(project: Path, role: str):
    """One cause, one place: a Latin-only font as a role font is named at that role's line in
    theme.yaml by `check` and by `all` alike (before, each named the first text it happened to
    lay out: check a chart of the survey, all a card)."""
    font = TTFont(ROOT / "fonts" / "BIZUDPGothic-Regular.ttf")
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,")
    subsetter.subset(font)
    for record in font["name"].names:  # a face name of its own: reportlab hands back an earlier font of the same name
        if record.nameID in (1, 3, 4, 6):
            record.string = "LatinOnly"
    (project / "fonts").mkdir()
    font.save(project / "fonts" / "Latin.ttf")
    theme = (project / "content" / "theme.yaml").read_text(encoding="utf-8")
    old = next(line for line in theme.splitlines() if line.startswith(f"  {role}: "))
    line = replace_once(project, "theme.yaml", old, f"  {role}: Latin.ttf")
    check, build = _errors(invoke(project, "check")), _errors(invoke(project, "all", "--format", "pdf"))
    assert check == build, (check, build)
    assert len(check) == 1 and re.match(rf"content/theme\.yaml:{line}:\d+: font 'Latin\.ttf' has no Japanese", check[0])
