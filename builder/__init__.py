"""karuta-press: Japanese print and social-media material from YAML content."""

from builder.dataclass_code import install

__version__ = "0.1.0"

install()  # before any of our dataclasses is made: their methods' code is kept across runs
