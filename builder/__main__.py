"""`python -m builder` is the same as the `build` command."""

from builder.cli import main

main()
