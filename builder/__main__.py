"""`python -m builder` is the same as the `build` command."""

import sys

try:
    from builder.cli import main
except KeyboardInterrupt:  # Ctrl-C while the program is still loading: nothing was started
    print("interrupted; the previous outputs are unchanged", file=sys.stderr)
    sys.exit(130)

main()
