"""The web gallery's settings: its public address, its words, downloads and share links."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import Where


@dataclass(frozen=True)
class Download:
    file: str  # a PDF the site build makes, by file name
    label: str
    note: str
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ShareLink:
    name: str
    url: str  # a template with {url} and {text}


@dataclass(frozen=True)
class Site:
    base_url: str  # absolute, ends with '/'
    description: str
    words: dict[str, str]
    downloads: tuple[Download, ...]
    share: tuple[ShareLink, ...]
    where: Where | None = field(default=None, compare=False, repr=False)  # base_url's place

    def url(self, path: str) -> str:
        """The absolute address of a file in the site, from its path inside it."""
        return self.base_url + path
