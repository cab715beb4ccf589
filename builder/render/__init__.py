"""Geometry -> files: reportlab for PDF, Pillow for PNG. Renderers paint; they never decide."""
