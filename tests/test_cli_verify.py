"""`jekyll-migrate redirects` then `jekyll-migrate verify` against a small local server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from migrate.cli import main
from tests.conftest import SAMPLES_DIR
from tests.support.local_http import serve_locally


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def serving(redirects: dict[str, str], pages: set[str]):
    """A host that answers each redirect source with 301 and each page with 200; 404 otherwise."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = unquote(urlsplit(self.path).path)
            if path in redirects:
                self.send_response(301)
                self.send_header("Location", redirects[path])
            else:
                self.send_response(200 if path in pages else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    with serve_locally(Handler) as base:
        yield base


def test_redirects_then_verify(tmp_path: Path) -> None:
    map_file = tmp_path / "map.json"
    code, _, _ = _cli("redirects", str(SAMPLES_DIR / "blog-classic"), "--to", "hugo", "--format", "json",
                      "-o", str(map_file))
    assert code == 0
    rules = json.loads(map_file.read_text())["redirects"]
    assert rules
    table = {unquote(r["source"]): r["target"] for r in rules}
    pages = {unquote(urlsplit(r["target"]).path) for r in rules}
    report = tmp_path / "verify.json"
    with serving(table, pages) as base:
        code, out, _ = _cli("verify", str(map_file), "--base-url", base, "--json-report", str(report))
    assert code == 0, out
    assert json.loads(report.read_text())
    # A host that lost one redirect fails verification with exit code 1.
    broken = dict(table)
    broken.pop(next(iter(broken)))
    with serving(broken, pages) as base:
        code, _, _ = _cli("verify", str(map_file), "--base-url", base, "--retries", "0")
    assert code == 1


def test_verify_refuses_non_http_base(tmp_path: Path) -> None:
    map_file = tmp_path / "map.csv"
    map_file.write_text("source,target,status\n/a,/b,301\n")
    code, _, err = _cli("verify", str(map_file), "--base-url", "file:///etc")
    assert code == 2 and "http" in err


def test_verify_checks_the_extensionless_pages_of_the_map(tmp_path: Path) -> None:
    """unicode-journal keeps /ru/zametka-o-pereezde (written zametka-o-pereezde.html): the json map holds
    it as a rewrite, and verify fails on a host that does not answer it in place."""
    map_file = tmp_path / "map.json"
    code, _, _ = _cli("redirects", str(SAMPLES_DIR / "unicode-journal"), "--to", "hugo", "--format", "json",
                      "-o", str(map_file))
    assert code == 0
    data = json.loads(map_file.read_text())
    assert [(r["source"], r["target"], r["status"]) for r in data["rewrites"]] == [
        ("/ru/zametka-o-pereezde", "/ru/zametka-o-pereezde.html", 200)]
    table = {unquote(r["source"]): r["target"] for r in data["redirects"]}
    pages = {unquote(urlsplit(r["target"]).path) for r in data["redirects"]} - {"/ru/zametka-o-pereezde"}
    with serving(table, pages) as base:  # the redirects' targets, but not the page's own old URL
        code, out, err = _cli("verify", str(map_file), "--base-url", base)
    assert code == 1 and "/ru/zametka-o-pereezde: status 404, expected 200" in err, out + err
    with serving(table, pages | {"/ru/zametka-o-pereezde"}) as base:
        code, out, _ = _cli("verify", str(map_file), "--base-url", base)
    assert code == 0 and "pages that must answer in place" in out, out
