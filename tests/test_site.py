"""`build site`: the web gallery built from the shipped content and inspected as files (pages,
tags, links, images, fonts), as a browser shows it (headless Chromium, screenshots), and
rebuilt after an edit. Oracles: the YAML read directly, the HTML parsed with html.parser,
images and fonts opened with Pillow and fontTools, the files on disk."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml
from fontTools.ttLib import TTFont
from PIL import Image, ImageStat

from conftest import ROOT, built_ok, invoke, run_build, shared_project

from builder.options import Options
from builder.paths import find_project
from builder.site.fonts import FONT_ROLES, read_stored, stored_subset
from builder.site.serve import start_server
from builder.watch import rebuild

CONTENT = ROOT / "content"
BASE_URL = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["site"]["base_url"]
CARDS = yaml.safe_load((CONTENT / "karuta.yaml").read_text(encoding="utf-8"))["cards"]
OG_TAGS = ("og:title", "og:description", "og:url", "og:image", "twitter:card")
pytestmark = pytest.mark.xdist_group("site")  # on one worker, while the other starts on the session build


class Page(HTMLParser):
    """What a test needs from one HTML file: its tags with attributes, ids and visible text."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []  # what is read, without ruby
        self.ruby: list[str] = []  # the <rt> texts
        self._in: str | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag in ("rt", "rp"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag in ("rt", "rp"):
            self._in = None

    def handle_data(self, data):
        if self._in == "rt":
            self.ruby.append(data)
        elif self._in is None:
            self.text.append(data)

    def meta(self) -> dict[str, str]:
        return {a.get("property") or a.get("name"): a.get("content", "") for t, a in self.tags if t == "meta"}

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]


def _site_after_the_session_build(built: Path) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        shutil.copytree(built / "output", project / "output")  # copy2 keeps times, so its build cache holds
        built_ok(run_build(project, "site"))
    return make


@pytest.fixture(scope="session")
def site_project(built: Path, tmp_path_factory) -> Path:
    """`build site` of the shipped content, once for the whole run (all workers read it; the
    tests that edit copy it first), in a copy of the session build, as a user who ran `build all`
    first: the site copies the print files and link previews that build made from the same inputs
    (54 files; about 3.5 s of CPU less) and makes its pages, images and fonts. (The site making its
    own download PDFs and previews: the card edit below, and test_a_file_another_build_made...)"""
    return shared_project(tmp_path_factory, "site", _site_after_the_session_build(built))


@pytest.fixture(scope="module")
def site(site_project: Path) -> Path:
    return site_project / "output" / "site"


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Page]:
    return {path.relative_to(site).as_posix(): Page(path) for path in sorted(site.rglob("*.html"))}


def test_index_and_one_page_per_card(site: Path, pages: dict[str, Page]):
    cards = [name for name in pages if name.startswith("cards/")]
    assert len(CARDS) == 46 and len(cards) == 46
    assert set(pages) == {"index.html", *cards}
    with_ruby = 0
    for card in CARDS:  # each card's slogan and explanation on a page of its own
        matching = [name for name in cards if card["explanation"].strip() in "".join(pages[name].text)]
        assert len(matching) == 1, card["kana"]
        page = pages[matching[0]]
        assert card["slogan"].replace(" ", "") in "".join(page.text).replace(" ", "")
        # ruby: every kanji run of the slogan carries its kana, in the reading's order
        kanji = re.findall(r"[\u4e00-\u9fff々]+", card["slogan"])
        assert len(page.ruby) in (0, len(kanji)), card["kana"]
        reading, at = card["reading"].replace(" ", ""), 0
        for kana in page.ruby:
            at = reading.index(kana, at) + len(kana)
        with_ruby += bool(page.ruby) or not kanji
    assert with_ruby >= 40  # a reading that does not fit the slogan leaves it without ruby
    index_links = {a["href"] for a in pages["index.html"].all("a")}
    assert all(name in index_links for name in cards)


def test_every_page_has_open_graph_and_x_tags_with_an_image_in_the_site(site: Path, pages: dict[str, Page]):
    for name, page in pages.items():
        meta = page.meta()
        for tag in OG_TAGS:
            assert meta.get(tag, "").strip(), f"{name}: {tag} missing"
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:url"] == BASE_URL + ("" if name == "index.html" else name)
        image = meta["og:image"]
        assert image.startswith(BASE_URL) and urlsplit(image).scheme == "https"
        file = site / image[len(BASE_URL):]
        assert file.is_file(), f"{name}: og:image {image} is not a file of the site"
        with Image.open(file) as im:
            assert im.size == (1200, 630)
        assert meta["og:image:alt"]


def test_every_image_has_alt_text_and_the_page_is_japanese(pages: dict[str, Page]):
    for name, page in pages.items():
        html = page.all("html")
        assert html and html[0].get("lang") == "ja", name
        images = page.all("img")
        assert images, name
        for img in images:
            assert img.get("alt", "").strip(), f"{name}: <img src={img.get('src')}> has no alt text"


def _internal(url: str) -> bool:
    return not urlsplit(url).scheme and not url.startswith("//")


def test_no_internal_link_is_broken(site: Path, pages: dict[str, Page]):
    checked = 0
    for name, page in pages.items():
        for tag, attrs in page.tags:
            for attr in ("href", "src"):
                url = attrs.get(attr)
                if url is None or not _internal(url):
                    continue
                parts = urlsplit(url)
                target = (page.path.parent / unquote(parts.path)).resolve() if parts.path else page.path
                assert target.is_file() and target.is_relative_to(site.resolve()), f"{name}: {url} is broken"
                if parts.fragment:
                    assert parts.fragment in pages[target.relative_to(site.resolve()).as_posix()].ids, url
                checked += 1
    css = (site / "style.css").read_text(encoding="utf-8")
    for url in re.findall(r'url\("?([^")]+)"?\)', css):
        assert _internal(url) and (site / url).is_file(), url
        checked += 1
    assert checked > 46 * 5


def test_no_request_leaves_the_site_and_no_script(site: Path, pages: dict[str, Page]):
    for name, page in pages.items():
        assert not page.all("script") and not page.all("iframe"), name
        for tag, attrs in page.tags:
            if tag in ("img", "source", "video", "audio", "embed") or \
                    (tag == "link" and attrs.get("rel") != "canonical"):
                for attr in ("src", "href", "srcset"):
                    assert attrs.get(attr) is None or _internal(attrs[attr]), f"{name}: <{tag} {attr}={attrs[attr]}>"
    assert "http" not in (site / "style.css").read_text(encoding="utf-8")


def test_card_pages_link_to_neighbours_and_share_the_page(pages: dict[str, Page]):
    names = sorted(name for name in pages if name.startswith("cards/"))
    for i, name in enumerate(names):
        page = pages[name]
        links = {a.get("rel"): a["href"] for a in page.all("a") if a.get("rel") in ("prev", "next")}
        assert links.get("prev") == (f"../{names[i - 1]}" if i else None)
        assert links.get("next") == (f"../{names[i + 1]}" if i + 1 < len(names) else None)
        url = quote(BASE_URL + name, safe="")
        shares = [a["href"] for a in page.all("a") if urlsplit(a["href"]).scheme == "https"]
        hosts = {urlsplit(href).netloc for href in shares}
        assert {"twitter.com", "social-plugins.line.me", "www.facebook.com"} <= hosts
        assert all(url in href for href in shares), name
        card = CARDS[i]
        x = next(href for href in shares if "twitter.com" in href)
        assert quote(card["slogan"], safe="") in x  # the caption text goes with the link


def test_index_lists_play_sheet_and_downloads_that_are_pdfs(site: Path, pages: dict[str, Page]):
    index = pages["index.html"]
    text = "".join(index.text)
    deck = yaml.safe_load((CONTENT / "karuta.yaml").read_text(encoding="utf-8"))["deck"]
    assert deck["play_sheet"]["title"] in text and all(step in text for step in deck["play_sheet"]["steps"])
    pdfs = [a["href"] for a in index.all("a") if a["href"].endswith(".pdf")]
    names = {Path(href).name for href in pdfs}
    assert {"newsletter.pdf", "karuta-print.pdf", "karuta-playsheet.pdf", "karuta-press-sheets.pdf"} <= names
    for href in pdfs:
        data = (site / href).read_bytes()
        assert data[:5] == b"%PDF-"
        assert (b"/GTS_PDFXVersion" in data) == ("-press" in href), href  # print-shop files as --press makes them


def test_fonts_are_woff2_subsets_covering_every_character_shown(site: Path, pages: dict[str, Page]):
    shown = {c for page in pages.values() for c in "".join(page.text) if not c.isspace()}
    display = set("".join(card["slogan"] for card in CARDS).replace(" ", "")) | set("セキュリティかるた")
    for role, chars in (("body", shown), ("bold", shown), ("display", display)):
        path = site / "fonts" / f"{role}.woff2"
        assert path.read_bytes()[:4] == b"wOF2"
        assert path.stat().st_size < 300_000  # the full faces are 3-5 MB
        cmap = TTFont(path).getBestCmap()
        assert not {c for c in chars if ord(c) not in cmap}, role
        assert len(cmap) < 2000


THEME_FONTS = yaml.safe_load((CONTENT / "theme.yaml").read_text(encoding="utf-8"))["fonts"]


def _shown_text(site: Path) -> str:
    """Every character of the pages and the style sheet (what the subsets are cut to)."""
    files = [*site.rglob("*.html"), site / "style.css"]
    return "".join(sorted(set("".join(path.read_text(encoding="utf-8") for path in files))))


def test_font_subsets_are_kept_in_the_user_cache_by_font_bytes_and_characters(site: Path, tmp_path: Path):
    """Cutting a face to the pages' characters is a second of CPU a font, so `build site` keeps each
    subset in the user's cache ($XDG_CACHE_HOME/karuta-press/site-fonts): found again for the same
    font bytes and characters wherever the font lies, a new one for other bytes or characters."""
    text = _shown_text(site)
    for role in FONT_ROLES:
        font = ROOT / "fonts" / THEME_FONTS[role]
        assert read_stored(stored_subset(font, text)) == (site / "fonts" / f"{role}.woff2").read_bytes(), role
    font = ROOT / "fonts" / THEME_FONTS["body"]
    copy, changed = tmp_path / "copy.ttf", tmp_path / "changed.ttf"
    data = font.read_bytes()
    copy.write_bytes(data)
    changed.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert stored_subset(copy, text) == stored_subset(font, text)  # another project, the same face
    assert stored_subset(changed, text) != stored_subset(font, text)
    assert stored_subset(font, text + "鬱") != stored_subset(font, text)
    assert stored_subset(font, text).parent.name == "site-fonts"


def test_a_missing_or_damaged_stored_subset_is_made_again_and_stored(site: Path, tmp_path: Path, monkeypatch):
    """The site's fonts come from the cache when it holds a whole WOFF2 file for them, else they are
    made (here by a stand-in for the subsetter) and the made file is stored for the next build."""
    from types import SimpleNamespace

    import builder.site.build as site_build

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = _shown_text(site)
    fonts = {role: ROOT / "fonts" / THEME_FONTS[role] for role in FONT_ROLES}
    woff2 = {role: (site / "fonts" / f"{role}.woff2").read_bytes() for role in FONT_ROLES}
    stored = {role: stored_subset(fonts[role], text) for role in FONT_ROLES}
    stored["body"].parent.mkdir(parents=True)
    stored["body"].write_bytes(woff2["body"])  # whole
    stored["bold"].write_bytes(woff2["bold"][:-4])  # cut short; display: none at all
    assert read_stored(stored["bold"]) is None and read_stored(stored["display"]) is None
    assert read_stored(tmp_path / "none.woff2") is None
    (tmp_path / "wrong.woff2").write_bytes(b"wOFF" + woff2["body"][4:])  # WOFF 1, not 2
    assert read_stored(tmp_path / "wrong.woff2") is None
    staged: dict[str, bytes] = {}
    build = SimpleNamespace(theme=SimpleNamespace(fonts=fonts), path=lambda *parts: "/".join(parts),
                            key=lambda *parts: repr(parts), fresh=lambda path, key: False,
                            outputs=SimpleNamespace(stage=lambda path, data, key: staged.__setitem__(path, data)))
    jobs = site_build._fonts(build, text)
    assert staged == {"site/fonts/body.woff2": woff2["body"]}
    assert [path for path, _, _ in jobs] == ["site/fonts/bold.woff2", "site/fonts/display.woff2"]
    made = {str(fonts[role]): woff2[role] for role in ("bold", "display")}
    monkeypatch.setattr(site_build, "subset_woff2", lambda path, chars: made[str(path)] if chars == text else b"")
    for (_, _, work), role in zip(jobs, ("bold", "display")):
        assert site_build._work(work) == woff2[role]
        assert stored[role].read_bytes() == woff2[role]


def test_a_file_another_build_made_from_the_same_inputs_is_copied_not_made_again(tmp_path: Path):
    """`build site` after `build all` copies the print files and link previews that build made
    (the same key: the same inputs), if they are still as written; not with --force, not a file
    changed since, not one made from other inputs."""
    from builder.cache import BuildCache
    from builder.options import Report
    from builder.output import Outputs
    from builder.pipeline import Build

    root = tmp_path / "output"
    made = root / "karuta" / "karuta-print.pdf"
    made.parent.mkdir(parents=True)
    made.write_bytes(b"%PDF- the print deck")
    BuildCache(root, enabled=True).remember(made, "deck key")

    def build(cache: BuildCache, copies: bool = True) -> Build:
        return Build(None, None, None, Outputs(root), Report(), cache, "", None, copies=copies)

    site_copy = root / "site" / "downloads" / "karuta" / "karuta-print.pdf"
    cache = BuildCache(root, enabled=True)
    cache.remember(made, "deck key")
    copying = build(cache)
    assert copying.fresh(site_copy, "deck key") and copying.copied == [site_copy]
    assert copying.outputs.sizes() == {site_copy: len(b"%PDF- the print deck")}
    assert copying.variant(None, "site").copies  # the site's download builds copy too
    assert not copying.fresh(site_copy, "another key") and copying.copied == [site_copy]
    assert not build(cache, copies=False).fresh(site_copy, "deck key")  # only the site copies
    assert not build(BuildCache(root, enabled=False)).fresh(site_copy, "deck key")  # --force
    time.sleep(0.01)
    made.write_bytes(b"%PDF- edited by hand")  # no longer what the build wrote
    assert not build(cache).fresh(site_copy, "deck key")


def test_missing_or_malformed_base_url_is_a_located_error(project: Path):
    path = project / "content" / "site.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip().startswith("base_url:"))
    path.write_text(text.replace("base_url: https://", "base_url: htps//"), encoding="utf-8")
    result = invoke(project, "site")
    assert result.returncode == 1
    assert f"site.yaml:{line}:" in result.stderr and "base_url" in result.stderr and "Traceback" not in result.stderr
    path.write_text(re.sub(r"\n  base_url:[^\n]*", "", text), encoding="utf-8")
    result = invoke(project, "site")
    assert result.returncode == 1 and "site.yaml:" in result.stderr and "'base_url'" in result.stderr
    assert not (project / "output" / "site").exists()


def test_a_saved_card_edit_rewrites_that_card_and_its_neighbours_only_and_is_served(site_project: Path,
                                                                                   tmp_path: Path):
    """--serve is --watch's rebuild (builder/watch.py, the pipeline a `build site` runs) plus a file
    server: one save of a card, one rebuild that rewrites that card's files and no others, the new
    page served; a mistake leaves the last good site up. (One test: a card edit makes five of the
    download PDFs again, about 2 s of CPU, so the edit is made once for both questions.)"""
    project = tmp_path / "p"
    shutil.copytree(site_project, project)  # copy2 keeps times, so the build cache holds
    found, options = find_project(project), Options()
    site = project / "output" / "site"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}
    karuta = project / "content" / "karuta.yaml"
    old = CARDS[10]["slogan"]  # さ: not one of the cards on the index's preview image
    reading = CARDS[10]["reading"]  # the reading must still fit the slogan
    text = karuta.read_text(encoding="utf-8").replace(old, old + "の", 1).replace(reading, reading + "の", 1)
    karuta.write_text(text, encoding="utf-8")
    lines = rebuild(found, options, ["site"], [karuta])
    assert any(line.startswith("wrote") and "site" in line for _, line in lines), lines
    changed = {p.relative_to(site).as_posix() for p, (data, mtime) in before.items()
               if p.stat().st_mtime_ns != mtime}
    # the card's page, its neighbours' (their links show its title) and the index's grid
    assert {name for name in changed if name.endswith(".html")} == \
        {"index.html", "cards/10-ko.html", "cards/11-sa.html", "cards/12-shi.html"}
    assert "images/og/11-sa.png" in changed  # its link preview shows the slogan
    assert not [name for name in changed if name.startswith("images/") and "11-sa" not in name]
    assert not [name for name in changed if name.startswith("fonts/")]  # no new character
    # the print files show the card; the backs of the cards do not (a pattern and the deck's name)
    pdfs = {name for name in changed if name.endswith(".pdf")}
    assert {f"downloads/karuta/{name}.pdf" for name in ("karuta-print", "karuta-playsheet", "karuta-press-sheets",
                                                        "karuta-press-cards", "karuta-press-playsheet")} <= pdfs
    assert not [name for name in pdfs if name.endswith("-backs.pdf")]
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("base_url: https://", "base_url: "),
                         encoding="utf-8")
    lines = rebuild(found, options, ["site"], [site_yaml])
    assert [kind for kind, _ in lines][-1] == "error" and "site.yaml:" in lines[-1][1]
    server = start_server(site, 0)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/cards/11-sa.html") as reply:
            assert reply.status == 200 and (old + "の").encode() in reply.read()
    finally:
        server.shutdown()
        server.server_close()


def test_the_backs_files_are_keyed_by_the_decks_name_and_size_not_its_cards():
    """A card edit leaves the print-shop backs (108 pages of pattern) as they are, but a card more or
    less, or another deck title (their document information), makes them again."""
    import dataclasses

    from builder.content.deck import load_deck
    from builder.content.theme import load_theme
    from builder.pipeline import deck_shown

    project = find_project(ROOT)
    deck = load_deck(project, load_theme(project))
    card = deck.cards[10]
    edited = dataclasses.replace(deck, cards=(*deck.cards[:10], dataclasses.replace(card, slogan=card.slogan + "の"),
                                              *deck.cards[11:]))
    fewer = dataclasses.replace(deck, cards=deck.cards[:-1])
    renamed = dataclasses.replace(deck, title=deck.title + "2")
    for name in ("karuta-press-sheets-backs.pdf", "karuta-press-cards-backs.pdf"):
        assert repr(deck_shown(name, edited)) == repr(deck_shown(name, deck))
        assert repr(deck_shown(name, fewer)) != repr(deck_shown(name, deck))
        assert repr(deck_shown(name, renamed)) != repr(deck_shown(name, deck))
    for name in ("karuta-print.pdf", "karuta-press-cards.pdf", "karuta-press-sheets.pdf", "karuta-playsheet.pdf"):
        assert repr(deck_shown(name, edited)) != repr(deck_shown(name, deck))


# --- in a browser ----------------------------------------------------------------------------

class _Recording(SimpleHTTPRequestHandler):
    requests: list[tuple[str, int]]

    def log_request(self, code="-", size="-"):
        self.requests.append((self.path, int(code)))


def _chromium(url: str, size: tuple[int, int], shot: Path, profile: Path) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.fail("headless Chromium is needed: apt-get install -y chromium (.ci/run does it)")
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}",
         "--enable-logging=stderr", "--v=0", url],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    return result.stderr


@pytest.mark.parametrize("page, size", [("index.html", (1280, 900)), ("cards/05-o.html", (390, 844))])
def test_pages_render_in_chromium_without_console_errors(site: Path, tmp_path: Path, page: str, size):
    requests: list[tuple[str, int]] = []
    handler = type("Handler", (_Recording,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    shot = tmp_path / "shot.png"
    try:
        log = _chromium(f"http://127.0.0.1:{server.server_address[1]}/{page}", size, shot, tmp_path / "profile")
    finally:
        server.shutdown()
        server.server_close()
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert all(code == 200 for _, code in requests), [r for r in requests if r[1] != 200]
    fetched = {path for path, _ in requests}
    assert "/style.css" in fetched and "/fonts/body.woff2" in fetched and "/fonts/display.woff2" in fetched
    with Image.open(shot) as im:
        assert im.size == size
        grey = im.convert("L")
        low, high = grey.getextrema()
        assert high - low > 100 and ImageStat.Stat(grey).stddev[0] > 10, "the page looks blank"
