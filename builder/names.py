"""Output file names that say what the file holds, so that variants never overwrite each other.

Every built file's name is made here: `newsletter.pdf`, `newsletter-press-cmyk.pdf`,
`karuta-print-backs-vertical.pdf`... A variant option adds its word to the name only for the
files it changes, always in the same order; press files are always CMYK, so `-press` says it.
"""

from __future__ import annotations

from builder.options import Options

# option -> the word it adds, in the order the words appear in a name
VARIANT_WORDS = (("press", "press"), ("backs", "backs"), ("vertical", "vertical"), ("cmyk", "cmyk"))


def variant_name(stem: str, options: Options, applies: tuple[str, ...], ext: str = "pdf") -> str:
    """`stem` plus a word for each option in `applies` that is on: the name of one variant."""
    unknown = set(applies) - {option for option, _ in VARIANT_WORDS}
    if unknown:
        raise ValueError(f"no file-name word for option(s) {sorted(unknown)}")
    words = [word for option, word in VARIANT_WORDS
             if option in applies and getattr(options, option) and not (option == "cmyk" and options.press)]
    return "-".join([stem, *words]) + f".{ext}"
