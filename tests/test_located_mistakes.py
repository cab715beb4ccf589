"""Mistakes that once came back as "internal error" or at the wrong line (issue 13, item 7): a
damaged art file, and a character the fonts lack in any text field of the newsletter, each named
at its file and line (the line found here from the file's own text)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, invoke, make_project

RARE = "𠮷"  # U+20BB7, in none of the shipped fonts
ART = Path("assets") / "art" / "fluent-emoji-flat.json"

# Each newsletter text field that is printed: (before, after) stand once in newsletter.yaml, and
# the rare character goes between them, at the start of the field's value.
FIELDS = {
    "masthead.name": ("  name: ", "職場のセキュリティ通信\n"),
    "masthead.issuer": ("  issuer: ", "社内"),
    "masthead.date": ("  date: ", "2021年12月"),
    "masthead.issue": ("  issue: ", "第1号"),
    "headline": ("headline: ", "報告"),
    "lead": ("lead: ", "中小企業で働く"),
    "key_visual.title": ("  title: ", "「かくれ"),
    "key_visual.above": ("  above: ", "報告された"),
    "key_visual.below": ("  below: ", "報告されなかった"),
    "key_visual.caption": ("  caption: ", "本人が経験"),
    "key_figures.value": ('{value: "', '5人に1人"'),
    "key_figures.sub": ("sub: ", "被害の内容の1位"),
    "key_figures.label": ('label: "', "回答者1,000人"),
    "summary_title": ("summary_title: ", "この号"),
    "overview_title": ("overview_title: ", "調査の概要"),
    "words.overview": ("    title: ", "調査名"),
    "words.credit_label": ("  credit_label: ", "出典"),
    "words.unknown_value": ("  unknown_value: ", "不明"),
    "words.unknown_mark": ("  unknown_mark: ", "※"),
    "words.note_prefix": ("  note_prefix: ", "注："),
    "words.answers.single": ("{single: ", "単回答"),
    "words.answers.multiple": ("multiple: ", "複数回答}"),
    "part.title": ("    title: ", "中小企業従業員の"),
    "part.summary": ("    summary: ", "勤務先でトラブルを経験"),
    "part.intro": ("    intro: ", "まず、"),
    "finding.heading": ("      - heading: ", "勤務先でのトラブル経験"),
    "finding.text": ("        text: ", "過去3年間に、勤務先で"),
    "finding.link.label": ("label: ", "お助け隊"),
    "finding.cards_caption": ("        cards_caption: ", "私たちのかるたから、上の"),
    "footer": ("footer: ", "職場の"),
    "closing.title": ("  title: ", "今日から"),
    "closing.intro": ("  intro: ", "調査の結果と"),
    "closing.action": ("text: ", "パスワードは"),
    "closing.colophon.label": ("{label: ", "発行, "),
    "closing.colophon.text": ("text: ", "社内セキュリティ研修チーム}"),
    "closing.contact.title": ("    title: ", "困った"),
    "closing.contact.text": ("    text: ", "総務部"),
}


@pytest.fixture(scope="module")
def newsletter(tmp_path_factory):
    """A project and its theme, loaded once: each field's case lays out the newsletter in this
    process, as `build check` does, without starting the command each time."""
    from builder.content.theme import load_theme
    from builder.paths import find_project

    project = find_project(make_project(tmp_path_factory.mktemp("glyphs") / "project"))
    return project, load_theme(project)


@pytest.mark.parametrize("field", FIELDS)
def test_a_character_the_fonts_lack_is_named_at_its_field(newsletter, field: str):
    from builder.content.newsletter import load_newsletter
    from builder.errors import ContentError
    from builder.pipeline import newsletter_pages

    project, theme = newsletter
    path = project.content / "newsletter.yaml"
    shipped = (ROOT / "content" / "newsletter.yaml").read_text(encoding="utf-8")
    before, after = FIELDS[field]
    assert shipped.count(before + after) == 1, field
    text = shipped.replace(before + after, before + RARE + after)
    line = text[:text.index(RARE)].count("\n") + 1
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        newsletter_pages(load_newsletter(project, theme), theme, bleed=False)
    where = caught.value.where
    assert (where.path.name, where.line) == ("newsletter.yaml", line), str(caught.value)
    assert f"'{RARE}' (U+20BB7) is not in the font" in caught.value.message


def _art_case(data: bytes, damage: str) -> bytes:
    pieces = json.loads(data)
    if damage == "piece without shapes":
        del pieces["pieces"]["alarm-clock"]["shapes"]
    elif damage == "points cut short":
        shape = pieces["pieces"]["alarm-clock"]["shapes"][0]
        shape["pts"] = shape["pts"][:-1]
    elif damage == "piece missing":
        del pieces["pieces"]["alarm-clock"]
    return json.dumps(pieces).encode()


@pytest.mark.parametrize("damage, where, message", [
    ("truncated", r"assets/art/fluent-emoji-flat\.json:\d+:\d+", "the art file is not valid JSON"),
    ("not JSON", r"assets/art/fluent-emoji-flat\.json:1:1", "the art file is not valid JSON"),
    ("a list", r"assets/art/fluent-emoji-flat\.json", r"the art file has no table of pieces by name"),
    ("piece without shapes", r"content/karuta\.yaml:{art}:\d+",
     r"card 'れ': the art file .* has a damaged piece 'alarm-clock' \(KeyError: 'shapes'\)"),
    ("points cut short", r"content/karuta\.yaml:{art}:\d+", r"card 'れ': the art file .* has a damaged piece"),
    ("piece missing", r"content/karuta\.yaml:{art}:\d+", r"card 'れ': there is no art piece 'alarm-clock'"),
])
def test_a_damaged_art_file_is_named_not_an_internal_error(project: Path, damage: str, where: str, message: str):
    """The project's own art file (it overrides the shipped one) broken in each way a copy or an
    edit can break it; the card that draws alarm-clock is れ."""
    shipped = (ROOT / ART).read_bytes()
    data = {"truncated": shipped[:100_000], "not JSON": b"not json\n", "a list": b"[1, 2]\n"}.get(damage)
    (project / ART).parent.mkdir(parents=True)
    (project / ART).write_bytes(data if data is not None else _art_case(shipped, damage))
    deck = (project / "content" / "karuta.yaml").read_text(encoding="utf-8").splitlines()
    art = next(i for i, line in enumerate(deck, 1) if line.startswith("    art: ") and "alarm-clock" in line)
    result = invoke(project, "karuta", "--format", "pdf")
    assert result.returncode == 1, result.stdout
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert re.match(where.format(art=art) + ": " + message, result.stderr), result.stderr


def test_located_errors_cross_from_an_image_worker_whole():
    """Image workers send a content error to the main process by pickling it: the gathered and
    the glyph errors arrive with their places and words (a lost one would be an internal error)."""
    import pickle

    from builder.errors import ContentError, ContentErrors, Where
    from builder.layout.textblock import GlyphError

    both = ContentErrors([ContentError(Where(Path("b.yaml"), 2), "second"), ContentError(Where(Path("a.yaml"), 1),
                                                                                          "first")])
    glyph = GlyphError(Where(Path("c.yaml"), 3), f"the footer: '{RARE}' ...", RARE, f"'{RARE}' ...")
    for err in (both, glyph):
        again = pickle.loads(pickle.dumps(err))
        assert (type(again), str(again), again.where) == (type(err), str(err), err.where)
    assert str(both) == "a.yaml:1: first\nb.yaml:2: second"
    assert pickle.loads(pickle.dumps(glyph)).char == RARE
