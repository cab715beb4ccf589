"""`build site --serve`: the built site on http://127.0.0.1:PORT/, rebuilt on every save.

Rebuilding is `--watch`'s (builder/watch.py: file events, one incremental build per save, a
mistake printed while watching goes on); this module only adds the file server. Files are
replaced atomically, so the server never sends half a page, and after a mistake it goes on
serving the last good site.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from builder.cache import output_root
from builder.errors import BuildError
from builder.options import Options
from builder.paths import Project
from builder.watch import Say, watch


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


def serve(project: Project, options: Options, targets: list[str], port: int, say: Say) -> None:
    """Serve the site and rebuild it on every save until Ctrl-C."""
    server = start_server(output_root(project, options) / "site", port)
    say(f"preview on http://127.0.0.1:{server.server_address[1]}/index.html")
    try:
        watch(project, options, targets, say)
    finally:
        server.shutdown()
        server.server_close()
