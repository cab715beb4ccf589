"""What each command builds: load content, lay it out, render it, and write it atomically.

This is the only module that knows which files a build makes and where they go.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import click

from builder.content.deck import load_deck
from builder.content.newsletter import load_newsletter
from builder.content.theme import load_theme
from builder.errors import BuildError, display_path
from builder.layout.card import CardFaces, layout_card
from builder.layout.geometry import DocumentInfo, Page
from builder.layout.imposition import impose_office, impose_press, press_cards
from builder.layout.newsletter import layout_newsletter
from builder.layout.playsheet import layout_play_sheet
from builder.layout.social import social_page
from builder.model.deck import Card, Deck
from builder.model.theme import Theme
from builder.output import Outputs
from builder.paths import Project
from builder.render.pdf import render_pdf
from builder.render.png import contact_sheet, png_bytes, render_image
from builder.text.fonts import font_files

ROMAJI = ("a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
          "ma mi mu me mo ya yu yo ra ri ru re ro wa wo n").split()
CAPTION_LIMIT = 140


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = ("pdf",)
    presets: tuple[str, ...] = ("square",)
    press: bool = False
    cmyk: bool = False
    output: Path | None = None
    jobs: int = 1
    force: bool = False
    backs: bool = False
    vertical: bool = False


@dataclass
class Report:
    """What a build wrote, said so that people find their files."""

    written: list[tuple[Path, str]] = field(default_factory=list)

    def add(self, path: Path, what: str) -> None:
        self.written.append((path, what))

    def lines(self) -> Iterator[str]:
        for path, what in self.written:
            yield f"wrote {display_path(path)}  ({what})"


def _out(project: Project, options: Options, *parts: str) -> Path:
    return (options.output or project.output).joinpath(*parts)


def _size(data: bytes) -> str:
    return f"{len(data) / 1024:,.0f} KB" if len(data) < 1024 * 1024 else f"{len(data) / 1024 / 1024:,.1f} MB"


# --- newsletter ------------------------------------------------------------------------------

def newsletter_pdf(project: Project, theme: Theme, options: Options) -> tuple[bytes, int]:
    doc = load_newsletter(project)
    pages = layout_newsletter(doc, theme, bleed=options.press)
    info = DocumentInfo(doc.title, doc.subject, doc.author, doc.keywords)
    return render_pdf(pages, font_files(theme.fonts), info, cmyk=options.cmyk), len(pages)


def build_newsletter(project: Project, theme: Theme, options: Options, outputs: Outputs, report: Report) -> None:
    pdf, count = newsletter_pdf(project, theme, options)
    name = "newsletter-press.pdf" if options.press else "newsletter.pdf"
    path = _out(project, options, "newsletter", name)
    outputs.stage(path, pdf)
    report.add(path, f"{count} pages, {_size(pdf)}{', CMYK' if options.cmyk else ''}")


# --- karuta ----------------------------------------------------------------------------------

def card_stem(card: Card) -> str:
    """File names people can type and sort: 01-a, 02-i, ..., 46-n."""
    return f"{card.number:02d}-{ROMAJI[card.number - 1]}"


def deck_listing(project: Project) -> list[str]:
    deck = load_deck(project, load_theme(project))
    return [f"{card.number:2d} {card.kana}  {card.slogan}  [{card.topic}]" for card in deck.cards]


def build_karuta(project: Project, theme: Theme, options: Options, outputs: Outputs, report: Report) -> None:
    deck = load_deck(project, theme)
    _check_presets(theme, options.presets)
    if "pdf" in options.formats:
        _deck_pdfs(project, theme, deck, options, outputs, report)
    if "png" in options.formats:
        _deck_images(project, theme, deck, options, outputs, report)


BUILDERS = {"newsletter": build_newsletter, "karuta": build_karuta}


def run(project: Project, options: Options, targets: Iterable[str]) -> Report:
    """Build the targets as one transaction: nothing is written unless all of them succeed."""
    theme = load_theme(project)
    report = Report()
    with Outputs() as outputs:
        for target in targets:
            BUILDERS[target](project, theme, options, outputs, report)
        outputs.commit()
    return report


def _check_presets(theme: Theme, presets: tuple[str, ...]) -> None:
    known = theme.karuta.social.presets
    for name in presets:
        if name != "all" and name not in known:
            raise BuildError(f"--preset {name}: there is no such preset; use one of {', '.join(known)} or all")


def _deck_info(deck: Deck, what: str) -> DocumentInfo:
    return DocumentInfo(f"{deck.title}（{what}）", deck.subtitle, deck.title, ("カルタ", "セキュリティ"))


def _deck_pdfs(project: Project, theme: Theme, deck: Deck, options: Options, outputs: Outputs,
               report: Report) -> None:
    """Office sheets abut cards so one cut serves two (no bleed); print-shop sheets carry bleed."""
    fonts = font_files(theme.fonts)
    bleed = None if options.press else 0.0
    faces = [layout_card(card, theme, vertical=options.vertical, bleed=bleed) for card in deck.cards]
    pictures = [f.picture for f in faces]
    readings = [f.reading for f in faces]
    play = layout_play_sheet(deck, theme)
    files: list[tuple[str, list[Page], str]] = []
    if options.press:
        sheets = impose_press(pictures, theme) + impose_press(readings, theme)
        files.append(("karuta-press-sheets.pdf", [play] + sheets, "print-shop sheets with bleed and crop marks"))
        files.append(("karuta-press-cards.pdf", press_cards(pictures + readings),
                      "one card per page with bleed, for card printing services"))
    else:
        sheets = impose_office(pictures, theme, backs=options.backs) + \
            impose_office(readings, theme, backs=options.backs)
        files.append(("karuta-print.pdf", [play] + sheets, "office printing: play sheet, then cards to cut out"))
    for name, pages, what in files:
        data = render_pdf(pages, fonts, _deck_info(deck, what), cmyk=options.cmyk)
        path = _out(project, options, "karuta", name)
        outputs.stage(path, data)
        report.add(path, f"{len(pages)} pages, {_size(data)}; {what}")


def alt_text(deck: Deck, card: Card) -> str:
    """Everything the image says, word for word, for screen readers."""
    return (f"{deck.title}「{card.kana}」の札。キーワード：{card.keyword}。"
            f"読み札：{card.slogan}。解説：{card.explanation}")


def caption(card: Card, hashtags: Iterable[str]) -> str:
    tags = " ".join(hashtags)
    text = f"「{card.kana}」の札：{card.slogan}　テーマは{card.topic}。{tags}"
    return text if len(text) < CAPTION_LIMIT else f"「{card.kana}」の札：{card.slogan} {tags}"


def _render_png(job: tuple[Page, dict[str, Path], int, dict[str, str]]) -> bytes:
    page, fonts, width_px, text = job
    return png_bytes(render_image(page, fonts, width_px), text)


def screen_faces(card: Card, theme: Theme, options: Options) -> CardFaces:
    """Cards for screens: no bleed, rounded corners."""
    return layout_card(card, theme, vertical=options.vertical, bleed=0.0, rounded=True)


def _deck_images(project: Project, theme: Theme, deck: Deck, options: Options, outputs: Outputs,
                 report: Report) -> None:
    social = theme.karuta.social
    presets = list(social.presets) if "all" in options.presets else list(options.presets)
    fonts = font_files(theme.fonts)
    jobs, targets = [], []
    for preset in presets:
        width_px, _ = social.presets[preset]
        for card in deck.cards:
            page = social_page(card, screen_faces(card, theme, options), theme, preset)
            text = {"Title": f"{deck.title} {card.kana}: {card.slogan}", "Description": alt_text(deck, card)}
            jobs.append((page, fonts, width_px, text))
            targets.append(_out(project, options, "karuta", "png", preset, f"{card_stem(card)}.png"))
    images = _run_parallel(_render_png, jobs, options.jobs, "rendering card images")
    for path, data in zip(targets, images):
        outputs.stage(path, data)
    for preset in presets:
        folder = _out(project, options, "karuta", "png", preset)
        for card in deck.cards:
            outputs.stage(folder / f"{card_stem(card)}.alt.txt", (alt_text(deck, card) + "\n").encode())
        report.add(folder, f"{len(deck.cards)} PNG images {social.presets[preset][0]}x{social.presets[preset][1]} "
                           "with alt texts (.alt.txt)")
    captions = "".join(f"{card_stem(card)}\t{caption(card, social.hashtags)}\n" for card in deck.cards)
    captions_path = _out(project, options, "karuta", "png", "captions.tsv")
    outputs.stage(captions_path, captions.encode())
    report.add(captions_path, "one post text per card, with hashtags")
    first = presets[0]
    sheet = contact_sheet(images[: len(deck.cards)], columns=8)
    sheet_path = _out(project, options, "karuta", "png", "contact-sheet.png")
    outputs.stage(sheet_path, sheet)
    report.add(sheet_path, f"all {len(deck.cards)} cards ({first}) on one preview image")


def _run_parallel(func: Callable, jobs: list, workers: int, label: str) -> list:
    """Render in worker processes with a progress bar; results come back in job order."""
    results: list = [None] * len(jobs)
    with click.progressbar(length=len(jobs), label=label, file=click.get_text_stream("stderr")) as bar:
        if workers <= 1 or len(jobs) < 4:
            for i, job in enumerate(jobs):
                results[i] = func(job)
                bar.update(1)
            return results
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for i, result in enumerate(pool.map(func, jobs, chunksize=4)):
                results[i] = result
                bar.update(1)
    return results


# --- check -----------------------------------------------------------------------------------

def check_all(project: Project) -> list[str]:
    """Everything a build checks (schema, lengths, glyphs, fitting, figures), writing nothing."""
    theme = load_theme(project)
    _, pages = newsletter_pdf_check(project, theme)
    deck = load_deck(project, theme)
    for card in deck.cards:
        layout_card(card, theme)
        layout_card(card, theme, vertical=True)
        faces = screen_faces(card, theme, Options())
        for preset in theme.karuta.social.presets:
            social_page(card, faces, theme, preset)
    layout_play_sheet(deck, theme)
    return [f"content OK: newsletter ({pages} pages, {len(load_newsletter(project).survey.charts)} charts), "
            f"deck ({len(deck.cards)} cards)"]


def newsletter_pdf_check(project: Project, theme: Theme) -> tuple[None, int]:
    doc = load_newsletter(project)
    return None, len(layout_newsletter(doc, theme, bleed=False))
