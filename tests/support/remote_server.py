"""A local HTTP server on 127.0.0.1 standing in for the other hosts a site embeds files from.

It serves a few small files, and the ways a download goes wrong: a missing file, a slow answer, a body
over the size cap (with and without Content-Length), redirects to ``file:`` and ``ftp:``, an endless
redirect chain, an HTML page where an image was expected. Every request is recorded.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.local_http import serve_locally

FILES: dict[str, tuple[str, bytes]] = {
    "/img/a.png": ("image/png", b"\x89PNG\r\n\x1a\n remote a"),
    "/img/b.jpg": ("image/jpeg", b"\xff\xd8\xff remote b"),
    "/img/small.png": ("image/png", b"\x89PNG\r\n\x1a\n remote small"),
    "/img/large.png": ("image/png", b"\x89PNG\r\n\x1a\n remote large"),
    "/img/cover.jpg": ("image/jpeg", b"\xff\xd8\xff remote cover"),
    "/img/caf%C3%A9%20au%20lait.png": ("image/png", b"\x89PNG\r\n\x1a\n remote cafe"),
    "/photo/12345": ("image/webp", b"RIFF remote photo without extension"),
    "/files/report.pdf": ("application/pdf", b"%PDF-1.4 remote report"),
    "/page.png": ("text/html; charset=utf-8", b"<!doctype html><title>sign in</title>"),
}
"""Path as requested (percent-encoded) -> (Content-Type, body). Every body is distinct."""


class AssetServer:
    """The running server: its base URL, the requests it received, and switches for the tests."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.stop = threading.Event()
        self.big = 200_000
        """Size of the ``/big`` bodies."""
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self, path: str) -> int:
        with self.lock:
            return sum(1 for p in self.requests if p == path)


def _handler(server_state: AssetServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            with server_state.lock:
                server_state.requests.append(self.path)
            path = urlsplit(self.path).path
            if path in FILES:
                content_type, body = FILES[path]
                self._send(200, body, content_type)
            elif path == "/slow.png":  # no answer at all for a while
                server_state.stop.wait(3)
                self._send(200, b"late", "image/png")
            elif path == "/drip.png":  # headers at once, then nothing
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b"x")
                self.wfile.flush()
                server_state.stop.wait(3)
            elif path == "/big/with-length.png":
                self._send(200, b"x" * server_state.big, "image/png")
            elif path == "/big/without-length.png":  # HTTP/1.0: the body ends when the connection closes
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                try:
                    for _ in range(server_state.big // 1000):
                        self.wfile.write(b"x" * 1000)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher stopped reading at its size cap, as it should
            elif path == "/redirect/file":
                self._redirect("file:///etc/passwd")
            elif path == "/redirect/ftp":
                self._redirect("ftp://127.0.0.1/a.png")
            elif path.startswith("/loop/"):  # /loop/N redirects to /loop/N+1, forever
                self._redirect(f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
            elif path.startswith("/hops/"):  # /hops/N: N redirects, then /img/a.png
                left = int(path.rsplit("/", 1)[1])
                self._redirect(f"/hops/{left - 1}" if left > 1 else "/img/a.png")
            else:
                self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the fetcher gave up first (the slow answer of the timeout test): that is the point

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def serving_assets() -> Iterator[AssetServer]:
    """Start the server on a free port of 127.0.0.1; shut it down afterwards."""
    state = AssetServer("")
    with serve_locally(_handler(state)) as base:
        state.base = base
        try:
            yield state
        finally:
            state.stop.set()  # a slow answer still sleeping gives up, so the server can stop


def write_site(folder: Path, base: str, *, failing: bool = False) -> Path:
    """A small Jekyll site whose posts embed files from ``base``: a Markdown image, an HTML image with a
    srcset, a link to a PDF, an image without extension, ``image:`` front matter, a link to a page (not an
    asset). With ``failing``, also references that cannot be downloaded."""
    (folder / "_posts").mkdir(parents=True)
    (folder / "assets").mkdir()
    (folder / "assets" / "local.png").write_bytes(b"\x89PNG\r\n\x1a\n local")
    (folder / "_config.yml").write_text("title: Remote\nurl: https://example.org\n", "utf-8")
    broken = (
        f"\n![gone]({base}/missing.png) ![login]({base}/page.png)\n<img src=\"{base}/redirect/file\">\n"
        if failing else ""
    )
    (folder / "_posts" / "2021-03-04-gallery.md").write_text(
        f"---\ntitle: Gallery\nimage: {base}/img/cover.jpg\n---\n"
        f"Intro ![A]({base}/img/a.png) and a local ![local](/assets/local.png).\n\n"
        f'<img src="{base}/img/b.jpg" srcset="{base}/img/small.png 1x, {base}/img/large.png 2x" alt="b">\n\n'
        f"[The report]({base}/files/report.pdf) and [a page]({base}/about.html).\n\n"
        f"![café](<{base}/img/café au lait.png>) ![photo]({base}/photo/12345#detail)\n{broken}",
        "utf-8",
    )
    (folder / "_posts" / "2021-03-05-second.md").write_text(
        f"---\ntitle: Second\n---\nAgain ![A]({base}/img/a.png).\n", "utf-8"
    )
    return folder


DOWNLOADED = ("/img/a.png", "/img/b.jpg", "/img/small.png", "/img/large.png", "/img/cover.jpg",
              "/files/report.pdf", "/photo/12345", "/img/caf%C3%A9%20au%20lait.png")
"""What :func:`write_site` makes an export download (as requested)."""
