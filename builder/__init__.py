"""karuta-press: Japanese print and social-media material from YAML content."""

__version__ = "0.1.0"
