"""What each command builds: load content, lay it out, render it, and write it atomically.

This is the only module that knows which files a build makes and where they go.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import os
import time
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from builder import __version__
from builder.cache import BuildCache, digest, files_stamp, output_root, theme_identity
from builder.content.deck import load_deck
from builder.content.theme import load_theme
from builder.errors import BuildError, ContentError, ContentErrors, Gather
from builder.options import Options, Report
from builder.layout.card import (CardFaces, layout_card, layout_picture, layout_reading, reading_explanation_size,
                                 reading_slogan_size, where_of)
from builder.layout.geometry import DocumentInfo, Page
from builder.layout.art import piece
from builder.model.deck import Card, Deck
from builder.model.theme import SocialStyle, Theme
from builder.names import variant_name
from builder.output import Outputs
from builder.parallel import Background
from builder.paths import Project
from builder.text.fonts import font_files
from builder.text.mora import off_rhythm

if TYPE_CHECKING:
    from PIL import Image

    from builder.model.newsletter import Newsletter
    from builder.render.pdfx import PDFX

# Pillow, the PNG painter, the deck's sheets and the site's content load where a deck or a site
# is built, not with this module: `build newsletter` never needs them (about 60 ms of imports).
# The newsletter's modules and the PDF writer load where they are used, after the image workers
# have forked: they do not wait for what only this process needs (25-50 ms of imports).

ROMAJI = ("a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
          "ma mi mu me mo ya yu yo ra ri ru re ro wa wo n").split()
CAPTION_LIMIT = 140
CONTACT_COLUMNS = 8


@dataclass
class Build:
    """One command's work: where files go, what is already fresh, what has been written."""

    project: Project
    theme: Theme
    options: Options
    outputs: Outputs
    report: Report
    cache: BuildCache
    fonts_stamp: str
    background: Background

    kept: list[Path] = field(default_factory=list, init=False)  # fresh files this run keeps
    copied: list[Path] = field(default_factory=list, init=False)  # files taken from their twins (see `fresh`)
    _later: list[Callable[[], None]] = field(default_factory=list, init=False)
    under: tuple[str, ...] = ()  # a folder of the output root that this build writes into
    copies: bool = False  # a file another build made from the same inputs is copied, not made again

    def path(self, *parts: str) -> Path:
        return output_root(self.project, self.options).joinpath(*self.under, *parts)

    def variant(self, options: Options, *under: str, copies: bool | None = None) -> "Build":
        """The same run with other options, writing into the folder `under` (the site's copies
        of the print PDFs): one transaction, one cache, one report."""
        other = Build(self.project, self.theme, options, self.outputs, self.report, self.cache, self.fonts_stamp,
                      self.background, under=under, copies=self.copies if copies is None else copies)
        other.kept, other.copied, other._later = self.kept, self.copied, self._later
        if "deck" in vars(self):  # read already: the same content
            other.deck = self.deck
        return other

    def key(self, *parts: object) -> str:
        return digest(__version__, self.fonts_stamp, self._theme_key, *parts)

    @cached_property
    def _theme_key(self) -> str:  # the theme's repr, made once and not for each of the deck's 50 keys
        return theme_identity(self.theme)

    @cached_property
    def deck(self) -> Deck:  # read once: `build all` shows cards in the newsletter and builds the deck
        return load_deck(self.project, self.theme)

    def fresh(self, path: Path, key: str) -> bool:
        """True if the file at `path` need not be made: it is as this `key` would make it, or (for
        a build with `copies`) its twin is, a file made from the same inputs elsewhere in the
        output folder (the site's copies of what `build all` made), and a copy is staged."""
        if self.cache.fresh(path, key):
            self.report.unchanged += 1
            self.kept.append(path)
            return True
        twin = self.cache.twin(key) if self.copies else None
        if twin is not None:
            try:
                data = twin.read_bytes()
            except OSError:
                return False
            self.outputs.stage(path, data, key)
            self.copied.append(path)
            return True
        return False

    def pdfx(self) -> PDFX | None:
        """Print-shop files are PDF/X-1a, dated with the build day (see `build_day`)."""
        from builder.render.pdfx import PDFX

        return PDFX(self.theme.press, build_day()) if self.options.press else None

    def slugs(self, pages: list[Page], file_name: str) -> None:
        if self.options.press:
            from builder.layout.marks import add_slugs

            day = time.strftime("%Y-%m-%d", time.gmtime(build_day()))
            add_slugs(pages, file_name, day, self.theme.press.output_condition, self.theme)

    def later(self, step: Callable[[], None]) -> None:
        """Run `step` after every target has started (it waits for background work)."""
        self._later.append(step)

    def finish(self) -> None:
        for step in self._later:
            step()


def build_day() -> float:
    """Midnight UTC of today (or of SOURCE_DATE_EPOCH, for reproducible builds): the date press
    files carry, so that rebuilding on the same day gives the same bytes."""
    now = float(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    return now - now % 86400


def _size(data: bytes) -> str:
    return f"{len(data) / 1024:,.0f} KB" if len(data) < 1024 * 1024 else f"{len(data) / 1024 / 1024:,.1f} MB"


def run(project: Project, options: Options, targets: Iterable[str], this_run: str) -> Report:
    """Build the targets as one transaction: nothing is written unless all of them succeed.
    `this_run` is the targets' `cache.run_key`, with which the CLI has already answered a run
    with nothing changed."""
    root = output_root(project, options)
    cache = BuildCache(root, enabled=not options.force)
    report = Report()
    theme = load_theme(project)
    with Outputs(root) as outputs, Background(options.jobs) as background:
        build = Build(project, theme, options, outputs, report, cache, files_stamp(theme.fonts.values()),
                      background)
        # the deck first: its images render in the background while the PDFs are made here
        for target in sorted(targets, key=lambda t: t != "karuta"):
            BUILDERS[target](build)
        build.finish()
        written = outputs.commit()
    for path, key in written:
        cache.remember(path, key)
    cache.save(this_run, [path for path, _ in written] + build.kept)
    return report


def _colour_note(options: Options) -> str:
    return ", PDF/X-1a (CMYK)" if options.press else ", CMYK" if options.cmyk else ""


# --- newsletter ------------------------------------------------------------------------------

def build_newsletter(build: Build) -> None:
    """Each newsletter text becomes a PDF named after it (newsletter-2025.yaml -> newsletter-2025.pdf)."""
    files = build.project.newsletter_files(build.options.newsletters)
    if not files:
        raise BuildError(f"no newsletter text in {build.project.content}: write content/newsletter.yaml (`build init` "
                         "makes one to start from) or name the file: build newsletter content/FILE.yaml")
    for source in files:
        _newsletter(build, source)


def _newsletter(build: Build, source: Path) -> None:
    from builder.content.newsletter import load_newsletter
    from builder.render.pdf import render_pdf

    options = build.options
    doc = load_newsletter(build.project, build.theme, source, read_deck=lambda: build.deck)
    path = build.path("newsletter", variant_name(source.stem, options, ("press", "cmyk")))
    key = build.key("newsletter", doc, options.press, options.cmyk)
    if build.fresh(path, key):
        return
    pages = newsletter_pages(doc, build.theme, bleed=options.press)
    build.slugs(pages, path.name)
    info = DocumentInfo(doc.title, doc.subject, doc.author, doc.keywords, date=doc.issued_epoch)
    pdf = render_pdf(pages, font_files(build.theme.fonts), info, cmyk=options.cmyk, pdfx=build.pdfx())
    build.outputs.stage(path, pdf, key)
    build.report.add(path, f"{len(pages)} pages, {_size(pdf)}{_colour_note(options)}")


def newsletter_pages(doc: Newsletter, theme: Theme, *, bleed: bool) -> list[Page]:
    """The laid-out newsletter, refused with the content's place if a glyph is missing or text
    does not fit its page."""
    from builder.content.newsletter import where_char, where_text
    from builder.layout.bounds import glyphs_located, refuse_misfits
    from builder.layout.newsletter import layout_newsletter

    with glyphs_located(partial(where_char, doc)):
        pages = layout_newsletter(doc, theme, bleed=bleed)
    refuse_misfits(pages, theme, partial(where_text, doc))
    return pages


# --- karuta ----------------------------------------------------------------------------------

def card_stem(card: Card) -> str:
    """File names people can type and sort: 01-a, 02-i, ..., 46-n."""
    return f"{card.number:02d}-{ROMAJI[card.number - 1]}"


def deck_listing(project: Project) -> list[str]:
    deck = load_deck(project, load_theme(project))
    return [f"{card.number:2d} {card.kana}  {card.slogan}  [{card.topic}]" for card in deck.cards]


def build_karuta(build: Build) -> None:
    deck = build.deck
    presets = _presets(build.theme, build.options.presets)
    if "png" in build.options.formats:  # first, so that the images render while the PDFs are made
        _deck_images(build, deck, presets)
    if "pdf" in build.options.formats:
        _deck_pdfs(build, deck)


def build_site(build: Build) -> None:
    from builder.site.build import build_site as site  # Jinja2 and the font subsetter load only for the site

    site(build)


BUILDERS: dict[str, Callable[[Build], None]] = {"newsletter": build_newsletter, "karuta": build_karuta,
                                                "site": build_site}


def _presets(theme: Theme, asked: tuple[str, ...]) -> list[str]:
    known = theme.karuta.social.presets
    if "all" in asked:
        return list(known)
    for name in asked:
        if name not in known:
            raise BuildError(f"--preset {name}: there is no such preset; use one of {', '.join(known)} or all")
    return list(dict.fromkeys(asked))


def _deck_info(deck: Deck, what: str) -> DocumentInfo:
    return DocumentInfo(f"{deck.title}（{what}）", deck.subtitle, deck.title, ("カルタ", "セキュリティ"))


DECK_FILES = {  # file: what it is for, and whether it needs --press / --backs
    "karuta-print.pdf": ("office printing: picture and reading cards to cut out", False, False),
    "karuta-playsheet.pdf": ("how to play, with the list of cards", False, False),
    "karuta-press-sheets.pdf": ("print-shop sheets with bleed and crop marks", True, False),
    "karuta-press-cards.pdf": ("one card per page with bleed, for card printing services", True, False),
    "karuta-press-playsheet.pdf": ("the play sheet with bleed and crop marks", True, False),
    "karuta-press-sheets-backs.pdf": ("the backs of the sheets, columns mirrored, page for page", True, True),
    "karuta-press-cards-backs.pdf": ("the back of each card page, page for page", True, True),
}


# The options that change each file (others: only --cmyk), whose words its name then carries:
# karuta-print-backs-vertical-cmyk.pdf. Press files are CMYK always, so their names need no -cmyk.
DECK_VARIANTS = {"karuta-print.pdf": ("backs", "vertical", "cmyk"), "karuta-press-sheets.pdf": ("vertical",),
                 "karuta-press-cards.pdf": ("vertical",)}


def _deck_pdfs(build: Build, deck: Deck) -> None:
    from builder.render.pdf import render_pdf

    options, theme = build.options, build.theme
    files = {name: what for name, (what, press, backs) in DECK_FILES.items()
             if press == options.press and (not backs or options.backs)}
    if options.backs and not options.press:
        files["karuta-print.pdf"] = "office duplex printing (long edge): each sheet of cards, then its backs"
    names = {name: variant_name(name.removesuffix(".pdf"), options, DECK_VARIANTS.get(name, ("cmyk",)))
             for name in files}
    keys = {name: build.key("deck", name, deck_shown(name, deck), options.press, options.cmyk, options.backs,
                            options.vertical) for name in files}
    stale = [name for name in files if not build.fresh(build.path("karuta", names[name]), keys[name])]
    if not stale:
        return
    # print-shop backs files are separate: laid out only when one of them is made (a card edit keeps them)
    backs = options.backs and (not options.press or any(name.endswith("-backs.pdf") for name in stale))
    pages = deck_pages(deck, theme, press=options.press, backs=backs, vertical=options.vertical)
    for name in stale:
        build.slugs(pages[name], names[name])
        data = render_pdf(pages[name], font_files(theme.fonts), _deck_info(deck, files[name]), cmyk=options.cmyk,
                          pdfx=build.pdfx())
        path = build.path("karuta", names[name])
        build.outputs.stage(path, data, keys[name])
        build.report.add(path, f"{len(pages[name])} pages, {_size(data)}{_colour_note(options)}; {files[name]}")


def deck_shown(name: str, deck: Deck) -> object:
    """What of the deck the file `name` shows, for its key: the print-shop backs files only the
    deck's title (their document information) and how many cards there are (the back design is
    the theme's), so that a card edit does not draw its 108 pages of pattern again; every other
    file the whole deck."""
    return (deck.title, deck.subtitle, len(deck.cards)) if name.endswith("-backs.pdf") else deck


def deck_pages(deck: Deck, theme: Theme, *, press: bool, backs: bool, vertical: bool) -> dict[str, list[Page]]:
    """The pages of each deck PDF: office sheets keep gutters and no bleed, print-shop files
    carry bleed; the play sheet is a file of its own; backs differ for 取り札 and 読み札."""
    from builder.layout.back import layout_back
    from builder.layout.imposition import impose_office, impose_press, office_back_bleed, press_cards, press_page
    from builder.layout.playsheet import layout_play_sheet

    size = reading_slogan_size(deck.cards, theme, vertical=vertical)
    explanation = reading_explanation_size(deck.cards, theme, size, vertical=vertical)
    faces = [layout_card(card, theme, vertical=vertical, bleed=None if press else 0.0, slogan_size=size,
                         explanation_size=explanation) for card in deck.cards]
    pictures = [f.picture for f in faces]
    readings = [f.reading for f in faces]
    play = layout_play_sheet(deck, theme)
    if press:
        back_faces = [layout_back(theme, "picture")] * len(pictures) + [layout_back(theme, "reading")] * len(readings)
        pages = {"karuta-press-sheets.pdf": impose_press(pictures, theme) + impose_press(readings, theme),
                 "karuta-press-cards.pdf": press_cards(pictures + readings),
                 "karuta-press-playsheet.pdf": [press_page(play, theme)]}
        if backs:
            pages["karuta-press-sheets-backs.pdf"] = (
                impose_press(back_faces[:len(pictures)], theme, mirrored=True)
                + impose_press(back_faces[len(pictures):], theme, mirrored=True))
            pages["karuta-press-cards-backs.pdf"] = press_cards(back_faces)
        return pages
    bleed = office_back_bleed(theme)
    picture_back = layout_back(theme, "picture", bleed=bleed) if backs else None
    reading_back = layout_back(theme, "reading", bleed=bleed) if backs else None
    return {"karuta-print.pdf": impose_office(pictures, theme, backs=picture_back)
            + impose_office(readings, theme, backs=reading_back),
            "karuta-playsheet.pdf": [play]}


def screen_faces(card: Card, theme: Theme) -> CardFaces:
    """Cards for screens: no bleed, rounded corners (social images show the picture face, so
    the reading face's writing direction does not matter here)."""
    return layout_card(card, theme, bleed=0.0, rounded=True)


def alt_text(deck: Deck, card: Card) -> str:
    """For screen readers: what the picture shows, then everything the image says, word for
    word, with the slogan's reading so that it is read out right."""
    picture = f"{card.picture}" if card.picture else ""
    return (f"{deck.title} {card.number}/{len(deck.cards)}、「{card.kana}」の取り札。{picture}"
            f"キーワード：{card.keyword}。読み札：{card.slogan}（よみ：{card.reading}）。解説：{card.explanation}")


def caption(deck: Deck, card: Card, social: SocialStyle) -> str:
    """The post's text: the slogan as the hook, the card's one action, the call to action,
    then the hashtags on a line of their own. The call to action gives way first when the
    text would pass the posting limit."""
    head = [f"「{card.slogan}」（{deck.title} {card.number}/{len(deck.cards)}）", card.action]
    tags = " ".join(social.hashtags)
    for lines in ([*head, social.call_to_action, tags], [*head, tags], [head[0], tags]):
        text = "\n".join(line for line in lines if line)
        if len(text) <= CAPTION_LIMIT:
            return text
    return text


def captions_csv(deck: Deck, social: SocialStyle) -> bytes:
    """One row per card (image file name, kana, caption, alt text), with a header row and a
    UTF-8 byte-order mark, so that Excel on Japanese Windows opens it as UTF-8."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["image", "kana", "caption", "alt_text"])
    for card in deck.cards:
        writer.writerow([f"{card_stem(card)}.png", card.kana, caption(deck, card, social), alt_text(deck, card)])
    return out.getvalue().encode("utf-8-sig")


@dataclass
class _ImageJob:
    """One social image, laid out and rendered by whichever process takes it."""

    card: Card
    preset: str
    slogan_size: float
    total: int
    text: dict[str, str]  # the PNG's metadata
    sheet: bool  # shown on the contact sheet: a thumbnail is made with it

    def layout(self, theme: Theme) -> Page:
        from builder.layout.social import social_page

        picture = layout_picture(self.card, theme, bleed=0.0, rounded=True)  # as screen_faces lays it out
        return social_page(self.card, picture, theme, self.preset, number=self.card.number, total=self.total,
                           slogan_size=self.slogan_size)


def _render_png(theme: Theme, job: _ImageJob) -> tuple[bytes, Image.Image | None]:
    """In a worker (or the main process): the card's image for the preset, as a PNG file, and its
    thumbnail if the contact sheet shows it."""
    from builder.render.png import png_bytes, quantized, render_image, thumbnail

    page = job.layout(theme)
    image = quantized(render_image(page, font_files(theme.fonts), theme.karuta.social.presets[job.preset][0]))
    return png_bytes(image, job.text), thumbnail(image) if job.sheet else None


def _deck_images(build: Build, deck: Deck, presets: list[str]) -> None:
    """One PNG per card and preset (only those whose card or theme changed), alt texts,
    captions and a contact sheet of the first preset. Each image is laid out once, by the process
    that renders it, so the workers start at once; a content mistake only an image shows is
    raised when the images are collected, still before anything is written."""
    from builder.layout.social import social_slogan_size
    importlib.import_module("builder.render.png")  # Pillow loaded once, here, before the workers fork

    social = build.theme.karuta.social
    jobs, targets = [], []
    first_images: list[tuple[Path, str]] = []  # the first preset's images and keys, for the contact sheet
    for preset in presets:
        width_px, height_px = social.presets[preset]
        folder = build.path("karuta", "png", preset)
        before = len(jobs)
        size = social_slogan_size(deck.cards, build.theme, preset)
        for card in deck.cards:
            path = folder / f"{card_stem(card)}.png"
            key = build.key("png", deck.title, card, preset, size, len(deck.cards))
            if preset == presets[0]:
                first_images.append((path, key))
            if not build.fresh(path, key):
                text = {"Title": f"{deck.title} {card.kana}: {card.slogan}", "Description": alt_text(deck, card)}
                jobs.append(_ImageJob(card, preset, size, len(deck.cards), text, preset == presets[0]))
                targets.append((path, key))
            build.outputs.stage(folder / f"{card_stem(card)}.alt.txt", (alt_text(deck, card) + "\n").encode())
        rendered = len(jobs) - before
        if rendered:
            done = f"{len(deck.cards)} PNG images" if rendered == len(deck.cards) else \
                f"{rendered} of {len(deck.cards)} PNG images re-rendered,"
            build.report.add(folder, f"{done} {width_px}x{height_px}, with alt texts (.alt.txt)")
    for job in jobs:  # the art parsed once, here, before the workers fork (the print deck needs it too)
        for name in (job.card.art.main, *job.card.art.props):
            piece(job.card.art.library, name)
    collect = build.background.submit(partial(_render_png, build.theme), jobs, "rendering card images")
    build.later(lambda: _finish_images(build, deck, presets, targets, first_images, collect()))
    captions_path = build.path("karuta", "png", "captions.csv")
    build.outputs.stage(captions_path, captions_csv(deck, social))
    build.report.add(captions_path, "post text and alt text per card (CSV for Excel and scheduling tools)")


# Thumbnails by image key, kept while the process lives: `--watch` then remakes the contact sheet
# after a card edit without reading the other images back from disk.
_THUMBNAILS: dict[str, Image.Image] = {}


def _finish_images(build: Build, deck: Deck, presets: list[str], targets: list[tuple[Path, str]],
                   first_images: list[tuple[Path, str]], results: list[tuple[bytes, Image.Image | None]]) -> None:
    """Once the workers are done: the PNG files, and the contact sheet from their thumbnails."""
    from builder.render.png import contact_sheet, load_image, thumbnail

    rendered = dict(zip((path for path, _ in targets), results))
    for path, key in targets:
        build.outputs.stage(path, rendered[path][0], key)
        if rendered[path][1] is not None:
            _THUMBNAILS[key] = rendered[path][1]
    sheet_path = build.path("karuta", "png", "contact-sheet.png")
    sheet_key = build.key("contact", [key for _, key in first_images])
    if not build.fresh(sheet_path, sheet_key):
        thumbs = [_THUMBNAILS[key] if key in _THUMBNAILS else thumbnail(load_image(path)) for path, key in first_images]
        _THUMBNAILS.clear()  # only the sheet's own: a long watch session does not grow
        _THUMBNAILS.update(zip((key for _, key in first_images), thumbs))
        build.outputs.stage(sheet_path, contact_sheet(thumbs, columns=CONTACT_COLUMNS), sheet_key)
        build.report.add(sheet_path, f"all {len(deck.cards)} cards ({presets[0]}) on one preview image")


# --- check -----------------------------------------------------------------------------------

@dataclass
class Checked:
    """What `build check` found: located warnings and what was checked, and every mistake."""

    lines: list[str]
    errors: list[ContentError]


def check_all(project: Project) -> Checked:
    """Everything a build checks (schema, lengths, glyphs, fitting, figures) in every content
    file, writing nothing. A mistake skips only the checks that depend on its file (nothing is
    laid out from a file that does not load), so one run shows every mistake it can."""
    from builder.content.newsletter import load_newsletter
    from builder.content.site import SITE_FILE, load_site

    found = Gather()
    checked, warnings = [], []
    theme = found.attempt(lambda: load_theme(project))  # what all but site.yaml is laid out with
    read_deck = _once(lambda: load_deck(project, theme))  # the newsletters show its cards
    for source in project.newsletter_files() if theme else ():
        doc = found.attempt(lambda: load_newsletter(project, theme, source, deck_mistakes=found.errors,
                                                    read_deck=read_deck))
        pages = found.attempt(lambda: newsletter_pages(doc, theme, bleed=False)) if doc else None
        if pages is not None:
            checked.append(f"{source.stem} ({len(pages)} pages, {len(doc.survey.charts)} charts)")
    deck = found.attempt(read_deck) if theme and project.deck_file.is_file() else None
    if deck is not None:
        warnings += rhythm_warnings(deck)
        if found.attempt(lambda: _check_deck(deck, theme), False) is not False:
            checked.append(f"deck ({len(deck.cards)} cards)")
    if (project.content / SITE_FILE).is_file():
        found.attempt(lambda: load_site(project))
    if not found.errors and not checked:
        raise BuildError(f"nothing to check in {project.content}: no newsletter*.yaml and no karuta.yaml")
    errors = ContentErrors(found.errors).errors if found.errors else []
    return Checked(warnings + ([] if errors else [f"content OK: {', '.join(checked)}; nothing written"]), errors)


def _once(read: Callable[[], Deck]) -> Callable[[], Deck]:
    """`read` run at most once: each later call gives its deck, or raises its mistake, again."""
    done: list[tuple[Deck | None, ContentError | None]] = []

    def again() -> Deck:
        if not done:
            try:
                done.append((read(), None))
            except ContentError as err:
                done.append((None, err))
        deck, err = done[0]
        if err is not None:
            raise err
        return deck
    return again


def _check_deck(deck: Deck, theme: Theme) -> None:
    """Every face of the deck as each build lays it out; when one fails, each card alone, so
    that every card at fault is named and not only the first."""
    try:
        _lay_out_deck(deck, theme)
    except ContentError as err:
        cards = Gather()
        cards.errors.append(err)
        cards.each(deck.cards, lambda card: _lay_out_deck(dataclasses.replace(deck, cards=(card,)), theme, backs=False))
        cards.done()


def _lay_out_deck(deck: Deck, theme: Theme, backs: bool = True) -> None:
    """Every face and sheet geometry the builds lay out, each once and in the order `deck_pages`
    meets them (so the first mistake is the one a build meets): office, vertical and press files
    differ only in what check never makes, a sheet's copies of the faces and the bleed's colour,
    which no text or glyph depends on. `backs`: with the card backs, which are the same for
    every card (a card alone needs none)."""
    from builder.layout.back import layout_back
    from builder.layout.imposition import office_back_bleed, office_grid, press_grid
    from builder.layout.playsheet import layout_play_sheet
    from builder.layout.social import social_page, social_slogan_size

    for vertical in (False, True):  # the press files lay out the cards as the office file does
        size = reading_slogan_size(deck.cards, theme, vertical=vertical)
        explanation = reading_explanation_size(deck.cards, theme, size, vertical=vertical)
        for card in deck.cards:
            if vertical:  # the picture face is the one laid out in the first pass
                layout_reading(card, theme, vertical=True, bleed=0.0, rounded=False, slogan_size=size,
                               explanation_size=explanation)
            else:
                layout_card(card, theme, bleed=0.0, slogan_size=size, explanation_size=explanation)
        if not vertical:
            layout_play_sheet(deck, theme)
            if backs:  # the press backs differ only in their bleed
                for side in ("picture", "reading"):
                    layout_back(theme, side, bleed=office_back_bleed(theme))
            office_grid(theme)
    if deck.cards:  # a press sheet's cells are faces with the theme's bleed
        press_grid([layout_picture(deck.cards[0], theme)], theme)
    sizes = {preset: social_slogan_size(deck.cards, theme, preset) for preset in theme.karuta.social.presets}
    for card in deck.cards:
        picture = screen_faces(card, theme).picture  # both faces as the site shows them
        picture = dataclasses.replace(picture, items=[])  # an image only copies them: no copies made here
        for preset, size in sizes.items():
            social_page(card, picture, theme, preset, number=card.number, total=len(deck.cards), slogan_size=size)


def rhythm_warnings(deck: Deck) -> list[str]:
    """Located warnings for slogans whose reading is off 5-7-5 by more than a mora a phrase:
    a karuta is read aloud, and the rhythm is what players remember."""
    return [f"{where_of(card, 'reading')}: warning: card '{card.kana}' reading: {problem}"
            for card in deck.cards for problem in off_rhythm(card.reading)]
