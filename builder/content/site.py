"""content/site.yaml -> Site, with located errors for the address and the word templates."""

from __future__ import annotations

import string
from urllib.parse import urlsplit

from builder.content.source import Node, load
from builder.errors import ContentError, Gather, Where
from builder.model.site import Download, ShareLink, Site
from builder.paths import Project

SITE_FILE = "site.yaml"
WORDS = ("cards_heading", "cards_intro", "play_heading", "downloads_heading", "downloads_intro", "card_label",
         "card_title", "picture_alt", "topic", "keyword", "previous", "next", "back_to_list", "share_heading",
         "footer")
CARD_FIELDS = ("kana", "slogan", "keyword", "topic", "picture", "deck")  # what a word may name in {braces}
SHARE_FIELDS = ("url", "text")


def load_site(project: Project) -> Site:
    path = project.content / SITE_FILE
    if not path.is_file():
        raise ContentError(Where(path), "file not found; `build site` needs it for the site's address (base_url) "
                                        "and words: copy content/site.yaml from a project made by `build init` "
                                        "and set base_url")
    root = load(path).mapping(required=("site", "words", "downloads", "share"))
    info = root["site"].mapping(required=("base_url", "description")).labelled("site")
    words = root["words"].mapping(required=WORDS).labelled("words")
    found = Gather()  # every word's, download's and share link's mistakes in one reading
    site = Site(
        base_url=found.attempt(lambda: _base_url(info["base_url"])),
        description=found.attempt(lambda: info["description"].text()),
        words=dict(zip(WORDS, found.each(WORDS, lambda key: _template(words[key], CARD_FIELDS)))),
        downloads=tuple(found.each(root["downloads"].items(min_items=1), _download)),
        share=tuple(found.each(root["share"].items(), _share)),
        where=info["base_url"].where,
    )
    found.done()
    return site


def _base_url(node: Node) -> str:
    """An absolute http(s) address of a folder; a missing final '/' is added."""
    url = node.text()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise node.error(f"site base_url '{url}' is not an absolute web address; write it as "
                         "https://example.org/karuta/ (where the site will be published)")
    if parts.query or parts.fragment:
        raise node.error(f"site base_url '{url}' has a '?' or '#' part; give the folder's address only")
    return url if url.endswith("/") else url + "/"


def _template(node: Node, fields: tuple[str, ...]) -> str:
    """A text that may name `fields` in {braces}; any other name is a typo to point at."""
    text = node.text()
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise node.error(f"{node.label} has an unmatched '{{' or '}}'; write {{name}} with both braces") from None
    for name in names:
        if name not in fields:
            raise node.error(f"{node.label} names {{{name}}}, which is not known; use "
                             f"{', '.join('{' + f + '}' for f in fields)}")
    return text


def _download(node: Node) -> Download:
    m = node.mapping(required=("file", "label", "note")).labelled(node.label)
    return Download(file=m["file"].text(), label=m["label"].text(), note=m["note"].text(), where=m["file"].where)


def _share(node: Node) -> ShareLink:
    m = node.mapping(required=("name", "url")).labelled(node.label)
    url = _template(m["url"], SHARE_FIELDS)
    if not url.startswith("https://") or "{url}" not in url:
        raise m["url"].error(f"{m['url'].label} must start with https:// and contain {{url}} (the page's address)")
    return ShareLink(name=m["name"].text(), url=url)
