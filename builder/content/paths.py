"""Paths written in content files: relative to the content folder, and never outside it (the build
cache watches that folder, so a file elsewhere could change without a rebuild)."""

from __future__ import annotations

from pathlib import Path

from builder.content.source import Node
from builder.paths import Project


def content_path(project: Project, node: Node) -> Path:
    name = node.text()
    target = (project.content / name).resolve()
    if not target.is_relative_to(project.content.resolve()):
        raise node.error(f"'{name}' points outside the content folder; put the file in content/ and name it "
                         "from there")
    if not target.is_file():
        raise node.error(f"'{name}' is not a file in content/; check the name")
    return target
