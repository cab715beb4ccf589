"""`python -m builder` is the same as the `build` command."""

import sys


def main() -> None:
    """An unchanged plain build is answered without loading the CLI (see builder.noop)."""
    try:
        from builder.finish import end
        from builder.noop import answered

        if answered(sys.argv[1:]):
            end()
        from builder.cli import main as cli
    except KeyboardInterrupt:  # Ctrl-C while the program is still loading or checking: nothing was started
        print("interrupted; the previous outputs are unchanged", file=sys.stderr)
        sys.exit(130)
    cli()


if __name__ == "__main__":
    main()
