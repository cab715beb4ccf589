"""Paths written in content files: relative to the content folder, and never outside the project."""

from __future__ import annotations

from pathlib import Path

from builder.content.source import Node
from builder.paths import Project


def content_path(project: Project, node: Node) -> Path:
    name = node.text()
    target = (project.content / name).resolve()
    if not target.is_relative_to(project.root.resolve()):
        raise node.error(f"'{name}' points outside the project folder; name a file inside content/")
    if not target.is_file():
        raise node.error(f"'{name}' is not a file in content/; check the name")
    return target
