"""Fonts, glyph coverage, Japanese line breaking and vertical forms, shared by every renderer."""
