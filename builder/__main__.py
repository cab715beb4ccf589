"""`python -m builder` is the same as the `build` command."""

import sys


def main() -> None:
    """An unchanged plain build is answered without loading the CLI (see builder.noop)."""
    try:
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
    except BrokenPipeError:  # the no-op's answer met a closed output (the CLI ends such a run itself)
        from builder.finish import output_closed, reader_gone

        if not output_closed():
            raise
        reader_gone()


if __name__ == "__main__":
    main()
