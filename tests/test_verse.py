"""The deck's words: verse by phrase at one size, ruby, the rhythm check, captions and alt texts.

Oracles come from the content file read with plain PyYAML (the phrases are the slogan's
space-separated parts) and from poppler's `pdftotext -bbox-layout`, not from the layout code."""

from __future__ import annotations

import csv
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ROOT, invoke, run_build, safe_load, tool

CARDS = safe_load((ROOT / "content" / "karuta.yaml").read_text(encoding="utf-8"))["cards"]
LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
WORD = re.compile(r"<word[^>]*>(.*?)</word>")
JOINING = set("ゃゅょぁぃぅぇぉゎ")  # small kana that join the kana before them into one mora


def _lines(pdf: Path, first: int, last: int) -> list[tuple[int, float, float, float, str]]:
    """(page, x, top, height, text without spaces) of every line pdftotext finds."""
    found = []
    pages = tool("pdftotext", "-bbox-layout", "-f", str(first), "-l", str(last), str(pdf), "-").split("<page ")[1:]
    for number, page in enumerate(pages, first):
        for x0, y0, _, y1, body in LINE.findall(page):
            found.append((number, float(x0), float(y0), float(y1) - float(y0), "".join(WORD.findall(body))))
    return found


def _reading_pages(pdf: Path) -> tuple[int, int]:
    """The reading-card sheets: the second half of the office file (picture sheets first)."""
    pages = int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", str(pdf)), re.M).group(1))
    return pages // 2 + 1, pages


def test_office_pdf_sets_every_slogan_one_phrase_a_line_at_one_size(built: Path):
    pdf = built / "output" / "karuta" / "karuta-print.pdf"
    lines = _lines(pdf, *_reading_pages(pdf))
    by_text = defaultdict(list)
    for line in lines:
        by_text[line[4]].append(line)
    heights = set()
    for card in CARDS:
        phrases = card["slogan"].split()
        assert len(phrases) == 3, card["kana"]
        for phrase in phrases:
            assert by_text.get(phrase), f"card {card['kana']}: no line reads 「{phrase}」 alone"

        def follows(a, b):  # b is the next line of the same slogan: same page, flush left, below a
            return a[0] == b[0] and abs(a[1] - b[1]) < 0.5 and 0 < b[2] - a[2] < 3 * a[3]

        verses = [(a, b, c) for a in by_text[phrases[0]] for b in by_text[phrases[1]] for c in by_text[phrases[2]]
                  if follows(a, b) and follows(b, c)]
        assert len(verses) == 1, f"card {card['kana']}: its three phrases are not three lines one under another"
        heights |= {round(line[3], 1) for line in verses[0]}
    assert len(heights) == 1, f"slogan lines come in several sizes: {sorted(heights)}"
    size = heights.pop()
    rubies = [line for line in lines if abs(line[3] - size / 2) < 0.2]
    assert len(rubies) > 46, "the slogans' kanji carry ruby at half their size"


def test_ruby_reads_each_kanji_run(built: Path):
    """共連れ on card と: the ruby ともづ stands over 共連, centred on it."""
    pdf = built / "output" / "karuta" / "karuta-print.pdf"
    found = tool("pdftotext", "-bbox-layout", "-f", str(_reading_pages(pdf)[0]), "-l", str(_reading_pages(pdf)[1]),
                 str(pdf), "-")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', found)
    base = next(w for w in words if w[4].startswith("共連"))
    ruby = next(w for w in words if w[4] == "ともづ")
    em = float(base[3]) - float(base[1])  # the box's height is the size: a kanji is one em wide
    base_mid = float(base[0]) + em  # the middle of the two kanji
    ruby_mid = (float(ruby[0]) + float(ruby[2])) / 2
    assert float(ruby[3]) <= float(base[1]) + 0.5  # above the base
    assert abs(ruby_mid - base_mid) < 1.0, (ruby_mid, base_mid)  # centred over the two kanji


def _morae(kana: str) -> int:
    return sum(1 for c in kana if c not in JOINING)


def test_at_least_40_cards_are_5_7_5_within_a_mora():
    within = [c["kana"] for c in CARDS
              if [abs(_morae(p) - w) <= 1 for p, w in zip(c["reading"].split(), (5, 7, 5))] == [True] * 3
              and len(c["reading"].split()) == 3]
    assert len(within) >= 40, len(within)


def _edit_deck(project: Path, at: str, *changes: tuple[str, str]) -> int:
    """Make `changes` (old, new) to the project's karuta.yaml; the line number of the line `at`.
    The newsletter is taken out of the project: `check` then lays out the deck alone."""
    (project / "content" / "newsletter.yaml").unlink()
    deck = project / "content" / "karuta.yaml"
    text = deck.read_text(encoding="utf-8")
    line = text.splitlines().index(at) + 1
    for old, new in changes:
        text = text.replace(old, new)
    deck.write_text(text, encoding="utf-8")
    return line


def _check_middle_phrase(project: Path, slogan: str, reading: str,
                         at: str = "    slogan: 後回し やめて今夜は 更新を") -> tuple[int, subprocess.CompletedProcess]:
    """`check` of the deck with card あ's middle phrase (やめて今夜は, read やめてこんやは) rewritten
    in its slogan and its reading; the line number of the line `at`, and the result."""
    line = _edit_deck(project, at, ("slogan: 後回し やめて今夜は 更新を", f"slogan: 後回し {slogan} 更新を"),
                      ("reading: あとまわし やめてこんやは", f"reading: あとまわし {reading}"))
    return line, invoke(project, "check")


def test_check_warns_about_rhythm_with_file_and_line(project: Path):
    line, result = _check_middle_phrase(project, "すぐやめて", "すぐやめて",
                                        at="    reading: あとまわし やめてこんやは こうしんを")
    assert result.returncode == 0, result.stderr
    assert re.search(rf"content/karuta\.yaml:{line}:\d+: warning: card 'あ' .*「すぐやめて」 has 5 morae.*7",
                     result.stdout), result.stdout
    assert result.stdout.count("warning:") == 1


def test_check_names_a_phrase_too_long_for_the_decks_size(project: Path):
    line, result = _check_middle_phrase(project, "やめて今夜はぜったいに", "やめてこんやはぜったいに")
    assert result.returncode == 1
    assert re.search(rf"content/karuta\.yaml:{line}:\d+: card 'あ' slogan: the phrase 「やめて今夜はぜったいに」 is too "
                     r"long", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_check_names_a_slogan_that_fits_across_but_not_down_the_card(project: Path):
    """Four phrases fit the horizontal reading card (at 9.5 pt) but not the vertical one, whose
    columns may take only 0.4 of the card's width: `check` lays out the vertical faces too."""
    line, result = _check_middle_phrase(project, "やめて 今夜は", "やめて こんやは")
    assert result.returncode == 1
    assert re.fullmatch(rf"content/karuta\.yaml:{line}:\d+: card 'あ' slogan: its 4 phrases take too many lines on the "
                        r"reading cards, even at 8\.4 pt, .*", result.stderr.strip()), result.stderr


def test_check_names_a_mistake_only_the_social_images_show(project: Path):
    """The brand line is printed on the social images alone: `check` lays those out too."""
    _edit_deck(project, "  - kana: あ")  # the deck alone
    theme = project / "content" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    line = text.splitlines().index("karuta:") + 2  # told at the karuta section's mapping, as a build tells it
    theme.write_text(text.replace("    brand: セキュリティかるた｜", "    brand: セキュリティかるた😀｜"), encoding="utf-8")
    result = invoke(project, "check")
    assert result.returncode == 1
    assert re.fullmatch(rf"content/theme\.yaml:{line}:\d+: karuta social brand: '😀' \(U\+1F600\) is not in the font .*",
                        result.stderr.strip()), result.stderr


def test_a_build_names_a_mistake_only_the_social_images_show_in_one_line(project: Path):
    """Each image is laid out only where it renders (a worker, or the main process joining
    them): the mistake still ends the build with its one located line, no progress bar or
    traceback before it, and nothing written."""
    theme = project / "content" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    line = text.splitlines().index("karuta:") + 2
    theme.write_text(text.replace("    brand: セキュリティかるた｜", "    brand: セキュリティかるた😀｜"), encoding="utf-8")
    result = run_build(project, "karuta", "--format", "png", "--jobs", "2")
    assert result.returncode == 1
    assert re.fullmatch(rf"content/theme\.yaml:{line}:\d+: karuta social brand: '😀' \(U\+1F600\) is not in the font .*",
                        result.stderr.strip()), result.stderr
    assert not (project / "output" / "karuta").exists()


def test_a_reading_that_does_not_fit_its_slogan_is_located(project: Path):
    line = _edit_deck(project, "    reading: ともづれで はいってきたのは だれですか",
                      ("reading: ともづれで はいってきたのは", "reading: ともづらで はいってきたのは"))
    result = invoke(project, "check")
    assert result.returncode == 1
    assert re.search(rf"karuta\.yaml:{line}:\d+: card 'と'.*「ともづらで」 does not fit 「共連れで」", result.stderr), \
        result.stderr


def test_captions_csv_opens_in_excel(built: Path):
    raw = (built / "output" / "karuta" / "png" / "captions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark Excel looks for
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == ["image", "kana", "caption", "alt_text"]
    assert len(rows) == 1 + len(CARDS)
    for card, (image, kana, caption, alt) in zip(CARDS, rows[1:]):
        assert kana == card["kana"] and image.endswith(".png")
        lines = caption.split("\n")
        assert f"「{card['slogan']}」" in lines[0]  # the hook
        assert card["action"] in lines  # one concrete action, on its own line
        assert all(word.startswith("#") for word in lines[-1].split())  # hashtags on their own line
        assert "#" not in "".join(lines[:-1]) and len(caption) <= 140
        assert card["picture"] in alt and card["reading"] in alt and card["explanation"] in alt


@pytest.mark.parametrize("preset", ["square", "portrait", "landscape", "ogp"])
def test_social_images_are_a_series(preset: str):
    """Counter, slogan lines and brand line stand in the same places on every image, the slogan
    one phrase a line at one size, with ruby over its kanji as on the reading cards (each ruby a
    piece of the card's reading, in order); no hashtag in the picture."""
    from builder.content.deck import load_deck
    from builder.content.theme import load_theme
    from builder.layout.geometry import Text
    from builder.layout.social import social_page, social_slogan_size
    from builder.paths import find_project
    from builder.pipeline import screen_faces

    project = find_project(ROOT)
    theme = load_theme(project)
    deck = load_deck(project, theme)
    size = social_slogan_size(deck.cards, theme, preset)
    places = set()
    for card, content in zip(deck.cards, CARDS):
        page = social_page(card, screen_faces(card, theme), theme, preset, number=card.number, total=46,
                           slogan_size=size)
        texts = [item for item in page.items if isinstance(item, Text)]
        assert not any("#" in item.text for item in texts)
        assert any(item.text == f"{card.number}/46" for item in texts)
        lines = defaultdict(list)  # a phrase with ruby is drawn in runs: the runs on one baseline
        for item in texts:
            if item.size == size:
                lines[round(item.y, 3)].append(item)
        for i, phrase in enumerate(content["slogan"].split()):
            line = [sorted(runs, key=lambda t: t.x) for runs in lines.values()
                    if "".join(t.text for t in sorted(runs, key=lambda t: t.x)) == phrase]
            assert len(line) == 1, (card.kana, phrase)
            places.add((i, round(line[0][0].x, 2), round(line[0][0].y, 2)))
        # ruby as on the reading cards: half the slogan's size, over the kanji, read from `reading`
        ruby = sorted((item for item in texts if abs(item.size - size / 2) < 1e-6), key=lambda t: (round(t.y, 1), t.x))
        if re.search(r"[\u4e00-\u9fff]", content["slogan"]):
            assert ruby, f"card {card.kana}: no ruby over the slogan's kanji on the {preset} image"
        reading = content["reading"].replace(" ", "")
        at = 0
        for item in ruby:
            assert item.text in reading[at:], (card.kana, item.text, reading)
            at = reading.index(item.text, at) + len(item.text)
    assert len(places) == 3, places  # every card's phrase i at the same place


def test_office_pdf_sets_every_explanation_at_one_size(built: Path):
    """Every reading card's explanation is set at one size (the size its longest text allows),
    not each at its own: the lines of all 46 explanations have one height in pdftotext's boxes."""
    pdf = built / "output" / "karuta" / "karuta-print.pdf"
    lines = _lines(pdf, *_reading_pages(pdf))
    phrases = {phrase for card in CARDS for phrase in card["slogan"].split()}  # slogan lines, not explanation
    heights = defaultdict(set)
    for card in CARDS:
        text = re.sub(r"\s+", "", card["explanation"])
        mine = [line for line in lines if len(line[4]) >= 6 and line[4] in text and line[4] not in phrases]
        assert sum(len(line[4]) for line in mine) >= 0.8 * len(text), f"card {card['kana']}: explanation not found"
        for line in mine:
            heights[round(line[3], 1)].add(card["kana"])
    assert len(heights) == 1, {h: "".join(sorted(k)) for h, k in heights.items()}


def test_check_names_an_explanation_too_long_for_the_decks_size(tmp_path: Path):
    """With no room to set text smaller (min_size_ratio 1), an explanation that does not fit at the
    theme's size is named by `build check` at its own line in karuta.yaml (the newsletter is left
    out: its key figures need the room too)."""
    import shutil

    from conftest import invoke

    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / "newsletter.yaml").unlink()
    theme = tmp_path / "content" / "theme.yaml"
    text, count = re.subn(r"min_size_ratio: [\d.]+", "min_size_ratio: 1.0", theme.read_text(encoding="utf-8"))
    assert count == 1
    theme.write_text(text, encoding="utf-8")
    result = invoke(tmp_path, "check")
    assert result.returncode != 0
    found = re.search(r"karuta\.yaml:(\d+):\d+: card '(.)' explanation does not fit", result.stderr + result.stdout)
    assert found, result.stderr + result.stdout
    rows = (ROOT / "content" / "karuta.yaml").read_text(encoding="utf-8").splitlines()
    card = next(c for c in CARDS if c["kana"] == found.group(2))
    assert card["explanation"] in rows[int(found.group(1)) - 1]
