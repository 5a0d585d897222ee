"""Serving a built site over HTTP on 127.0.0.1 for the benchmarks that drive chromium
(bench/prep.py, bench/pagefind_spelling.py): one quiet server, shut down when done."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of one folder, without a log line per request (it would drown the tables)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """`directory` served on a free port of 127.0.0.1; yields the base address (ends in /)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
