"""`build site`: the deck as a static web gallery in output/site/, ready to upload as it is.

Pages come from Jinja2 templates in templates/; the images are the project's own renderings
(the picture face as laid out for screens, the `ogp` social image); the print PDFs are built
into the site by the same builders as `build newsletter` and `build karuta`, so that download
links are never broken. Every page is rendered in memory (cheap) and written only when its
bytes changed, so a card edit rewrites that card's page and, if its title changed, its
neighbours'. Images and font subsets are keyed like the rest of the build cache.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from builder.cache import write_cache_file
from builder.content.site import load_site
from builder.errors import ContentError, Where
from builder.layout.card import trimmed, where_of
from builder.layout.cover import layout_cover, layout_icon
from builder.layout.geometry import Page
from builder.layout.social import social_page, social_slogan_size
from builder.model.deck import Card, Deck
from builder.model.site import Site
from builder.pipeline import Build, _deck_pdfs, alt_text, build_newsletter, caption, card_stem, screen_faces
from builder.render.png import png_bytes, quantized, render_image
from builder.site.fonts import FONT_ROLES, read_stored, stored_subset, subset_woff2
from builder.text.fonts import font_files
from builder.text.linebreak import phrases_of
from builder.text.ruby import RubyError, align_ruby

TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE = "site"
OGP = "ogp"
CARD_IMAGE_PX = 480  # picture cards shown up to 240 CSS px wide, sharp on 2x screens
COVER_CARDS = "あいうえお"  # the cards on the index's link-preview image
ICON_PX = 64


@dataclass(frozen=True)
class Image:
    """An image of the site: where it goes, its size in pixels, its alt text."""

    path: str
    width: int
    height: int
    alt: str


def build_site(build: Build) -> None:
    build = build.variant(build.options, copies=True)  # print files and link previews `build all` made are copied
    site = load_site(build.project)
    deck = build.deck
    presets = build.theme.karuta.social.presets
    if OGP not in presets:
        raise ContentError(build.theme.karuta.where or Where(Path("theme.yaml")),
                           f"the site's link previews use the social image preset '{OGP}', which the theme does "
                           f"not define; add '{OGP}: [1200, 630]' under karuta: social: presets")
    pages = _Pages(build, site, deck)
    _submit(build, _images(build, deck, pages), "rendering site images", "image(s)")  # while the PDFs are made here
    downloads = _downloads(build, site, deck)
    files = pages.render(downloads)
    text = "".join(sorted(set("".join(data.decode() for data in files.values()))))
    _submit(build, _fonts(build, text), "making the site's fonts", "font subset(s)")
    written = 0
    for name, data in files.items():
        written += _stage(build, build.path(SITE, name), data)
    if written:
        build.report.add(build.path(SITE), f"{written} of {len(files) - 1} pages and the style sheet rewritten; "
                                           f"links in previews point to {site.base_url}")
    if build.copied:
        build.report.add(build.path(SITE), f"{len(build.copied)} file(s) copied from the same files other builds made")
    build.report.notes += pages.notes


def _stage(build: Build, path: Path, data: bytes) -> int:
    """Write a cheap file only when its bytes changed; 1 if written."""
    key = hashlib.sha256(data).hexdigest()
    if build.fresh(path, key):
        return 0
    build.outputs.stage(path, data, key)
    return 1


class _Pages:
    """The card and index pages, as templates filled from the deck and the site settings."""

    def __init__(self, build: Build, site: Site, deck: Deck):
        self.build, self.site, self.deck = build, site, deck
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        theme = build.theme
        self.ogp_size = theme.karuta.social.presets[OGP]
        sample = screen_faces(deck.cards[0], theme).picture
        self.card_size = (CARD_IMAGE_PX, round(CARD_IMAGE_PX * sample.height / sample.width))
        self.notes: list[str] = []
        self.cards = [self._card(card) for card in deck.cards]

    def words(self, key: str, card: Card) -> str:
        return self.site.words[key].format(kana=card.kana, slogan=card.slogan, keyword=card.keyword,
                                           topic=card.topic, picture=card.picture, deck=self.deck.title)

    def _card(self, card: Card) -> dict:
        stem = card_stem(card)
        page = f"cards/{stem}.html"
        url = self.site.url(page)
        text = caption(self.deck, card, self.build.theme.karuta.social)
        return {
            "card": card, "stem": stem, "page": page, "url": url,
            "label": self.words("card_label", card), "title": self.words("card_title", card),
            "slogan": slogan_parts(card, self.notes),
            "picture": Image(f"images/cards/{stem}.png", *self.card_size, self.words("picture_alt", card)),
            "og": Image(f"images/og/{stem}.png", *self.ogp_size, alt_text(self.deck, card)),
            "share": [(link.name, link.url.format(url=quote(url, safe=""), text=quote(text, safe="")))
                      for link in self.site.share],
        }

    def cover(self) -> Image:
        return Image("images/og/index.png", *self.ogp_size, f"{self.deck.title}：{self.deck.subtitle}")

    def render(self, downloads: list[dict]) -> dict[str, bytes]:
        common = {"site": self.site, "deck": self.deck, "words": self.site.words, "theme": self.build.theme}
        files = {"style.css": self.env.get_template("style.css").render(common)}
        files["index.html"] = self.env.get_template("index.html").render(
            common, root="", og_type="website", url=self.site.url(""), cards=self.cards, downloads=downloads, og=self.cover(),
            title=self.deck.title, description=self.site.description)
        for i, card in enumerate(self.cards):
            files[card["page"]] = self.env.get_template("card.html").render(
                common, root="../", og_type="article", url=card["url"], item=card, og=card["og"], title=card["title"],
                description=card["card"].explanation,
                previous=self.cards[i - 1] if i > 0 else None,
                next=self.cards[i + 1] if i + 1 < len(self.cards) else None)
        return {name: text.encode() for name, text in files.items()}


Ruby = list[tuple[str, str | None]]  # (text, its reading or None), in order


def slogan_parts(card: Card, notes: list[str]) -> list[list[Ruby]]:
    """The slogan as the author spaced it (5-7-5 parts), each part in BudouX phrases that a line
    never splits, each phrase as (text, ruby) pieces from the card's reading. A kanji run keeps
    its ruby whole, so a phrase boundary inside one moves to its end. A reading that does not
    fit leaves the slogan without ruby, with a note in `notes` saying where and why."""
    try:
        pairs = align_ruby(card.slogan, card.reading)
    except RubyError as err:
        notes.append(f"{where_of(card, 'reading')}: card '{card.kana}' is shown without ruby: {err}")
        pairs = [(card.slogan, None)]
    part_of: dict[int, int] = {}  # character offset -> its part, for every non-space character
    starts: set[int] = set()  # offsets where a phrase begins
    for number, match in enumerate(re.finditer(r"\S+", card.slogan)):
        offset = match.start()
        for phrase in phrases_of(match.group()):
            starts.add(offset)
            offset += len(phrase)
        part_of.update((i, number) for i in range(match.start(), match.end()))
    atoms, offset = [], 0  # kanji runs whole, other text character by character
    for base, ruby in pairs:
        for i, piece in ([(offset, base)] if ruby else enumerate(base, offset)):
            atoms.append((i, piece, ruby))
        offset += len(base)
    parts: list[list[Ruby]] = []
    for i, text, ruby in atoms:
        if i not in part_of:  # a space between parts
            continue
        if len(parts) <= part_of[i]:
            parts.append([])
        phrases = parts[-1]
        if i in starts or not phrases:
            phrases.append([])
        pieces = phrases[-1]
        if ruby is None and pieces and pieces[-1][1] is None:
            pieces[-1] = (pieces[-1][0] + text, None)
        else:
            pieces.append((text, ruby))
    return parts


# --- images ----------------------------------------------------------------------------------

Job = tuple[Path, str, tuple]  # where the result goes, its cache key, what _work is given


def _images(build: Build, deck: Deck, pages: _Pages) -> list[Job]:
    """Picture cards and link-preview images to render (only those whose card or theme changed)."""
    theme, fonts = build.theme, font_files(build.theme.fonts)
    jobs: list[Job] = []
    faces = {}

    def want(path: Path, key: str, page: Callable[[], Page], width: int, text: dict[str, str]) -> None:
        if not build.fresh(path, key):
            jobs.append((path, key, ("png", page(), fonts, width, text)))

    def face_of(card: Card):
        if card.kana not in faces:
            faces[card.kana] = screen_faces(card, theme)
        return faces[card.kana]

    size = social_slogan_size(deck.cards, theme, OGP)  # one slogan size for the whole series
    for item in pages.cards:
        card = item["card"]
        want(build.path(SITE, item["picture"].path), build.key("site-picture", card, CARD_IMAGE_PX),
             lambda: trimmed(face_of(card).picture), CARD_IMAGE_PX, {"Description": item["picture"].alt})
        want(build.path(SITE, item["og"].path), build.key("png", deck.title, card, OGP, size, len(deck.cards)),
             lambda: social_page(card, face_of(card), theme, OGP, number=card.number, total=len(deck.cards),
                                 slogan_size=size), pages.ogp_size[0],
             {"Title": f"{deck.title} {card.kana}: {card.slogan}", "Description": item["og"].alt})
    shown = [card for card in deck.cards if card.kana in COVER_CARDS]
    cover = pages.cover()
    want(build.path(SITE, cover.path), build.key("site-cover", deck.title, deck.subtitle, shown, OGP),
         lambda: layout_cover(deck, [face_of(card).picture for card in shown], theme, OGP), pages.ogp_size[0],
         {"Title": deck.title, "Description": cover.alt})
    want(build.path(SITE, "favicon.png"), build.key("site-icon", deck.cards[0].kana, ICON_PX),
         lambda: layout_icon(deck, theme), ICON_PX, {"Title": deck.title})
    return jobs


def _fonts(build: Build, text: str) -> list[Job]:
    """The theme's text fonts cut down to the characters the pages use (`text`), as WOFF2: taken
    from the user's cache when made before for the same font and characters, else to make."""
    jobs: list[Job] = []
    for role in FONT_ROLES:
        path = build.path(SITE, "fonts", f"{role}.woff2")
        key = build.key("site-font", role, text)
        if build.fresh(path, key):
            continue
        font = build.theme.fonts[role]
        stored = stored_subset(font, text)
        data = read_stored(stored)
        if data is not None:
            build.outputs.stage(path, data, key)
        else:
            jobs.append((path, key, ("font", font, text, stored)))
    return jobs


def _submit(build: Build, jobs: list[Job], label: str, what: str) -> None:
    """Start `jobs` in the pool; their files are staged once every target has started."""
    collect = build.background.submit(_work, [work for _, _, work in jobs], label)

    def finish() -> None:
        for (path, key, _), data in zip(jobs, collect()):
            build.outputs.stage(path, data, key)
        if jobs:
            build.report.add(build.path(SITE), f"{len(jobs)} {what} made")

    build.later(finish)


def _work(job: tuple) -> bytes:
    """In a worker: one PNG or one font subset."""
    if job[0] == "png":
        _, page, fonts, width, text = job
        return png_bytes(quantized(render_image(page, fonts, width)), text)
    _, path, text, stored = job
    data = subset_woff2(path, text)
    write_cache_file(stored, data)
    return data


# --- downloads -------------------------------------------------------------------------------

def _downloads(build: Build, site: Site, deck: Deck) -> list[dict]:
    """The print PDFs, built into the site (office and print-shop), and the links the index
    gives to those that site.yaml lists."""
    office = build.variant(replace(build.options, press=False, cmyk=False, backs=False, vertical=False),
                           SITE, "downloads")
    press = build.variant(replace(build.options, press=True, cmyk=True, backs=True, vertical=False),  # as --press
                          SITE, "downloads")
    build_newsletter(office)
    _deck_pdfs(office, deck)
    _deck_pdfs(press, deck)
    folder = build.path(SITE, "downloads")
    made = {path: size for path, size in build.outputs.sizes().items() if path.is_relative_to(folder)}
    made |= {path: path.stat().st_size for path in build.kept if path.is_relative_to(folder)}
    by_name = {path.name: path for path in made}
    links = []
    for item in site.downloads:
        if item.file not in by_name:
            raise ContentError(item.where or Where(Path("site.yaml")),
                               f"downloads: '{item.file}' is not a file `build site` makes; use one of "
                               f"{', '.join(sorted(by_name))}")
        path = by_name[item.file]
        links.append({"href": path.relative_to(build.path(SITE)).as_posix(), "label": item.label,
                      "note": item.note, "size": _size(made[path])})
    return links


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"
