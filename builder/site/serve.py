"""`build site --serve`: the built site on http://127.0.0.1:PORT/, rebuilt when content changes.

Changes are found by polling the same key the build cache uses to skip a run (content files by
their bytes, fonts by size and time): it takes 2-3 ms, so a look twice a second costs
half a percent of one core and needs no file-watching library; the site shows an edit within
half a second plus the rebuild. Files are replaced atomically, so the server never sends half
a page. A content error is printed and the last good site stays up.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from builder.cache import output_root, run_key
from builder.errors import BuildError, ContentError
from builder.options import Options
from builder.paths import Project

POLL_SECONDS = 0.5


class _Quiet(SimpleHTTPRequestHandler):
    """Serve files without a log line per request (the terminal is for build messages)."""

    def log_message(self, format: str, *args) -> None:
        pass


def start_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """A file server for `folder` on 127.0.0.1 (only this computer), in a background thread."""
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(folder)))
    except OSError as err:
        raise BuildError(f"cannot serve on 127.0.0.1:{port} ({err.strerror}); choose another --port") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rebuild(project: Project, options: Options, targets: list[str], last: str | None) -> tuple[str, list[str]]:
    """Build again if an input changed since the run with key `last`: the new key and what to print."""
    key = run_key(project, options, targets)
    if key == last:
        return key, []
    from builder.pipeline import run

    try:
        return key, list(run(project, options, targets, key).lines())
    except (ContentError, BuildError) as err:
        return key, [f"{err}  (the preview shows the last good build)"]


def serve(project: Project, options: Options, targets: list[str], port: int) -> None:
    server = start_server(output_root(project, options) / "site", port)
    click.echo(f"preview on http://127.0.0.1:{server.server_address[1]}/index.html ; "
               "saving a file in content/ rebuilds it; Ctrl-C stops")
    key = run_key(project, options, targets)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            key, lines = rebuild(project, options, targets, key)
            for line in lines:
                click.echo(line)
    except KeyboardInterrupt:
        click.echo("preview stopped")
    finally:
        server.shutdown()
