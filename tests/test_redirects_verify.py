"""The live verifier against a small local HTTP server with scripted answers."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

import pytest

from migrate.errors import OptionError
from migrate.redirects import Redirect, RedirectMap
from migrate.verify import canonical_url, verify_map
from tests.support.local_http import serve_locally

# path -> (status, Location or None); "flaky" paths fail with 503 the first time
ROUTES: dict[str, tuple[int, str | None]] = {
    "/old/": (301, "/new/"),
    "/old-abs/": (301, "ABS/new/"),
    "/perm/": (308, "/new/"),
    "/temp/": (302, "/new/"),
    "/wrong/": (301, "/elsewhere/"),
    "/dead-target/": (301, "/missing/"),
    "/no-location/": (301, None),
    "/ftp/": (301, "ftp://example.org/x"),
    "/ext/": (301, "https://example.org/away"),
    "/flaky/": (301, "/new/"),
    "/slow/": (301, "/new/"),
    "/ру/": (301, "/new/"),
    "/index.php?p=1": (301, "/new/"),
    "/new/": (200, None),
    "/elsewhere/": (200, None),
}


class Handler(BaseHTTPRequestHandler):
    flaky_count = 0

    def do_GET(self) -> None:
        path = unquote(self.path)
        if path == "/flaky/":
            Handler.flaky_count += 1
            if Handler.flaky_count == 1:
                self._answer(503, None)
                return
        if path == "/slow/":
            time.sleep(1.5)
        status, location = ROUTES.get(path, (404, None))
        if location and location.startswith("ABS"):
            location = f"http://127.0.0.1:{self.server.server_address[1]}" + location[3:]
        self._answer(status, location)

    def _answer(self, status: int, location: str | None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_locally(Handler) as base:
        yield base


def check(base_url: str, source: str, target: str, **kw: object):
    result = verify_map([Redirect(source, target)], base_url, retries=kw.pop("retries", 0), backoff=0.01, **kw)  # type: ignore[arg-type]
    assert result.total == 1
    return result.checks[0]


def test_correct_redirect_and_live_target(base_url: str) -> None:
    c = check(base_url, "/old/", "/new/")
    assert c.ok and c.status == 301 and c.target_status == 200
    assert c.location == f"{base_url}/new/"  # a relative Location is made absolute


def test_absolute_location_and_308(base_url: str) -> None:
    assert check(base_url, "/old-abs/", "/new/").ok
    assert check(base_url, "/perm/", "/new/").ok


def test_wrong_status(base_url: str) -> None:
    c = check(base_url, "/temp/", "/new/")
    assert not c.ok and c.problem == "status 302, expected 301 or 308"
    assert check(base_url, "/temp/", "/new/", expected_statuses=(302,)).ok


def test_wrong_location(base_url: str) -> None:
    c = check(base_url, "/wrong/", "/new/")
    assert not c.ok and "is not" in (c.problem or "")


def test_target_must_answer_200(base_url: str) -> None:
    c = check(base_url, "/dead-target/", "/missing/")
    assert not c.ok and c.target_status == 404 and "expected 200" in (c.problem or "")


def test_missing_location_and_non_http_location(base_url: str) -> None:
    assert check(base_url, "/no-location/", "/new/").problem == "no Location header"
    assert "not http(s)" in (check(base_url, "/ftp/", "ftp://example.org/x").problem or "")


def test_not_redirected_at_all(base_url: str) -> None:
    c = check(base_url, "/nothing-here/", "/new/")
    assert not c.ok and c.status == 404


def test_external_target_is_not_requested(base_url: str) -> None:
    c = check(base_url, "/ext/", "https://example.org/away")
    assert c.ok and c.target_status is None


def test_retry_with_backoff(base_url: str) -> None:
    c = check(base_url, "/flaky/", "/new/", retries=2)
    assert c.ok and c.attempts == 2


def test_timeout_is_a_failure_not_a_crash(base_url: str) -> None:
    c = check(base_url, "/slow/", "/new/", timeout=0.3)
    assert not c.ok and (c.problem or "").startswith("no answer: ")


def test_non_ascii_and_query_sources(base_url: str) -> None:
    assert check(base_url, "/ру/", "/new/").ok
    assert check(base_url, "/%D1%80%D1%83/", "/new/").ok
    assert check(base_url, "/index.php?p=1", "/new/").ok


def test_rate_limit(base_url: str) -> None:
    rules = [Redirect("/old/", "/new/")] * 6
    start = time.monotonic()
    result = verify_map(rules, base_url, concurrency=6, rate_limit=20)
    assert result.ok == 6
    assert time.monotonic() - start >= 0.25  # 6 rule requests + 1 target at 20/s


def test_result_summary_and_json(base_url: str) -> None:
    m = RedirectMap((Redirect("/old/", "/new/"), Redirect("/wrong/", "/new/"), Redirect("/ext/", "https://example.org/away")))
    seen = []
    result = verify_map(m, base_url, concurrency=2, progress=seen.append)
    assert len(seen) == 3
    assert (result.total, result.ok, len(result.failed), result.target_unchecked) == (3, 2, 1, 1)
    assert not result.passed
    data = json.loads(json.dumps(result.to_dict()))
    assert data["ok"] == 2 and [c["source"] for c in data["checks"]] == ["/old/", "/wrong/", "/ext/"]
    assert result.summary() == "2/3 old URLs redirect correctly (1 to other hosts, target not requested); 1 failed"


@pytest.mark.parametrize("bad", ["ftp://example.org", "example.org", "file:///etc/passwd"])
def test_only_http_base_urls(bad: str) -> None:
    with pytest.raises(OptionError):
        verify_map([Redirect("/a", "/b")], bad)


def test_canonical_url() -> None:
    assert canonical_url("HTTP://Example.org:80/a%7eb/") == canonical_url("http://example.org/a~b/")
    assert canonical_url("http://h/%D1%80") == canonical_url("http://h/р")
    assert canonical_url("http://h/a?x=1") != canonical_url("http://h/a?x=2")


def test_load_rules_from_every_map_file(tmp_path) -> None:
    from migrate.redirects import render_redirects
    from migrate.verify import load_rules

    m = RedirectMap((Redirect("/a b/", "/x/"), Redirect("/q?p=1", "https://example.org/")))
    for fmt, name in (("json", "redirects.json"), ("csv", "redirects.csv")):
        path = tmp_path / name
        path.write_bytes(render_redirects(m, fmt)[name])
        assert load_rules(path) == list(m.rules)
    manifest = tmp_path / "migration.json"
    manifest.write_text(json.dumps({"tool": "jekyll-migrate", "redirects": [["/a b/", "/x/"]]}), "utf-8")
    assert load_rules(manifest) == [Redirect("/a b/", "/x/")]


@pytest.mark.parametrize("content", ["not json", '{"x": 1}', "[1, 2]"])
def test_load_rules_refuses_other_files(tmp_path, content: str) -> None:
    from migrate.errors import MigrateError
    from migrate.verify import load_rules

    path = tmp_path / "map.json"
    path.write_text(content, "utf-8")
    with pytest.raises(MigrateError):
        load_rules(path)


def test_rewrites_must_answer_in_place(base_url: str) -> None:
    """A map's rewrites (extensionless pages a static host serves from x.html) are checked too: the old
    URL itself must answer 200; a 404 or a redirect there is a failure naming the missing rewrite."""
    m = RedirectMap((Redirect("/old/", "/new/"),), rewrites=(
        Redirect("/elsewhere/", "/elsewhere/.html", 200), Redirect("/gone", "/gone.html", 200),
        Redirect("/old/", "/old/.html", 200)))
    result = verify_map(m, base_url, concurrency=2)
    assert [(c.source, c.in_place, c.ok) for c in result.checks] == [
        ("/old/", False, True), ("/elsewhere/", True, True), ("/gone", True, False), ("/old/", True, False)]
    assert "the host needs the rewrite" in (result.checks[2].problem or "")
    assert result.summary() == "2/4 old URLs redirect correctly (3 of them pages that must answer in place); 2 failed"
    assert json.loads(json.dumps(result.to_dict()))["in_place"] == 3


def test_trace_records_the_whole_redirect_chain(base_url: str) -> None:
    """With ``trace`` (the report page) each Location is followed to the last answer: /wrong/ -> /elsewhere/
    (200) although the map wanted /new/; a target on another host is named, not requested."""
    c = check(base_url, "/wrong/", "/new/", trace=True)
    assert not c.ok
    assert c.chain == ((f"{base_url}/wrong/", 301), (f"{base_url}/elsewhere/", 200))
    assert check(base_url, "/ext/", "https://example.org/away", trace=True).chain == (
        (f"{base_url}/ext/", 301), ("https://example.org/away", None))
    assert check(base_url, "/gone/", "/new/", trace=True).chain == ((f"{base_url}/gone/", 404),)
    assert check(base_url, "/old/", "/new/").chain == ()  # without trace: one request as before
    assert "chain" not in check(base_url, "/old/", "/new/").to_dict()
