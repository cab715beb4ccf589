"""The newsletter's words as one HTML page for WeasyPrint, the browser-style engine a user would
reach for instead of karuta-press: the masthead, headline, lead, every part's title and
introduction, every finding's heading and text, and the closing block, read through our own
content loader (so placeholders are filled with the survey's figures), set in the theme's running
face and bold face by @font-face, justified on A4. The charts, cover art and cards are left out:
the peer does strictly less than `build newsletter`.

    python benchmarks/peer_newsletter.py PROJECT OUT.html
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def newsletter_html(project_root: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from builder.content.newsletter import load_newsletter
    from builder.content.theme import load_theme
    from builder.paths import Project

    project = Project(project_root)
    theme = load_theme(project)
    doc = load_newsletter(project, theme)
    nl = theme.newsletter
    sizes, margin = nl.sizes, nl.margin
    out: list[str] = []

    def tag(name: str, text: str) -> None:
        out.append(f"<{name}>{html.escape(text)}</{name}>")

    tag("h1", doc.name)
    tag("p", f"{doc.issuer}　{doc.date}　{doc.issue}")
    tag("h2", doc.headline)
    tag("p", doc.lead)
    for figure in doc.key_figures:
        tag("p", f"{figure.value}{figure.sub}　{figure.label}")
    for part in doc.parts:
        tag("h2", f"{part.id}　{part.title}")
        tag("p", part.intro)
        for finding in part.findings:
            tag("h3", finding.heading)
            tag("p", finding.text)
            if finding.link is not None:
                tag("p", f"{finding.link.label}　{finding.link.url}")
    if doc.closing is not None:
        closing = doc.closing
        tag("h2", closing.title)
        if closing.intro:
            tag("p", closing.intro)
        out.append("<ol>" + "".join(f"<li>{html.escape(a.text)}</li>" for a in closing.actions) + "</ol>")
        for label, text in closing.colophon:
            tag("p", f"{label}　{text}")
        tag("h3", closing.contact_title)
        tag("p", closing.contact)
    tag("p", doc.footer)
    regular, bold = theme.fonts["grid"].resolve().as_uri(), theme.fonts["bold"].resolve().as_uri()
    style = f"""
@font-face {{ font-family: Body; src: url("{regular}"); }}
@font-face {{ font-family: Body; font-weight: bold; src: url("{bold}"); }}
@page {{ size: A4; margin: {margin["top"]}mm {margin["outer"]}mm {margin["bottom"]}mm {margin["inner"]}mm; }}
body {{ font-family: Body; font-size: {sizes["body"]}pt; line-height: {theme.text.line_height};
        text-align: justify; }}
h1 {{ font-size: {sizes["masthead"]}pt; }} h2 {{ font-size: {sizes["part"]}pt; }}
h3 {{ font-size: {sizes["heading"]}pt; }}
"""
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(doc.title)}</title>'
            f"<style>{style}</style></head><body>{''.join(out)}</body></html>")


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(newsletter_html(Path(sys.argv[1])), encoding="utf-8")
