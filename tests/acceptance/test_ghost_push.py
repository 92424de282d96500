"""Acceptance: ``jekyll-migrate push --to ghost`` into a real Ghost 6, through a recording and
fault-injecting proxy: every document, image and old URL; no write on a second push; one edit, one
addition, one removal; killed at random points and resumed; wrong key, wrong URL, server down, 429, 500.

CI pushes two samples and one corpus; ``JM_PUSH_ALL=1`` pushes every sample and corpus.
"""

from __future__ import annotations

import atexit
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin

import pytest
import requests

from exporters.ghost import GhostExporter
from migrate.report import Report
from tests.acceptance.test_ghost_import import (
    DEFAULT_ROUTES,
    GHOST_HOME,
    URL_SAFE,
    GhostServer,
    _Sources,
    check_document,
    old_urls,
)
from tests.conftest import IN_CI, all_sites, corpus_sites, sample_sites, site_id

pytestmark = pytest.mark.acceptance

REPO = Path(__file__).resolve().parents[2]
PUSH_ALL = os.environ.get("JM_PUSH_ALL") == "1"
TINY = REPO / "tests" / "fixtures" / "push" / "tiny-blog"
"""Two posts, three images (one Ghost cannot process), three tags, a redirect and a page: the site of the
tests that push many times."""
CI_SITES = [p for p in sample_sites() if p.name == "blog-classic"] + [
    p for p in corpus_sites() if p.name == "shell-novice"]
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class PushGhost(GhostServer):
    """A Ghost with a custom integration's Admin API key and the owner's staff access token."""

    integration_key = ""
    staff_key = ""

    def keys(self) -> None:
        r = self.api("POST", "/integrations/", json={"integrations": [{"name": "jekyll-migrate push"}]},
                     params={"include": "api_keys"})
        assert r.status_code == 201, r.text
        # Ghost gives an integration's admin key whole ("id:secret") in the secret field
        admin = next(k for k in r.json()["integrations"][0]["api_keys"] if k["type"] == "admin")
        self.integration_key = admin["secret"] if ":" in admin["secret"] else f"{admin['id']}:{admin['secret']}"
        r = self.api("GET", "/users/me/token/")
        assert r.status_code == 200, r.text
        token = r.json()["apiKey"]
        self.staff_key = f"{token['id']}:{token['secret']}"

    def clean(self) -> None:
        """No post, page or tag, no redirect, no uploaded file (the users stay)."""
        self.wipe()
        empty = self.workdir / "empty-redirects.json"
        empty.write_text("[]", "utf-8")
        with empty.open("rb") as fh:
            r = self.api("POST", "/redirects/upload/", files={"redirects": (empty.name, fh, "application/json")})
        assert r.status_code == 200, r.text
        self.upload_routes_text(DEFAULT_ROUTES)
        for folder in ("images", "media", "files"):
            shutil.rmtree(self.workdir / "content" / folder, ignore_errors=True)

    def upload_routes_text(self, text: str) -> None:
        path = self.workdir / "routes.yaml"
        path.write_text(text, "utf-8")
        with path.open("rb") as fh:
            r = self.api("POST", "/settings/routes/yaml/", files={"routes": (path.name, fh, "application/x-yaml")})
        assert r.status_code == 200, r.text

    def add_users(self, export: Path, tmp: Path) -> None:
        """The site's authors as Ghost users (the Admin API cannot make users: the import can), from the
        site's export in ``export``."""
        data = json.loads((export / "ghost-import.json").read_text("utf-8"))
        db = data["db"][0]["data"]
        only = {"db": [{"meta": data["db"][0]["meta"], "data": {
            "users": db["users"], "roles": db["roles"], "roles_users": db["roles_users"]}}]}
        path = tmp / "users.json"
        path.write_text(json.dumps(only), "utf-8")
        if db["users"]:
            with path.open("rb") as fh:
                r = self.api("POST", "/db/", files={"importfile": (path.name, fh, "application/json")})
            assert r.status_code == 200, r.text


@pytest.fixture(scope="session")
def ghost() -> Iterator[PushGhost]:
    installed = (GHOST_HOME / ".installed").is_file() and (GHOST_HOME / "ghost" / "index.js").is_file()
    if not installed:
        message = f"Ghost is not installed in {GHOST_HOME} (run .ci/install-ghost.sh, set GHOST_HOME)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="jm-ghost-push-"))
    server = PushGhost(GHOST_HOME, work)
    atexit.register(server.stop)
    try:
        server.start()
        server.keys()
        yield server
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


# -- the proxy ------------------------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    status: int
    body: bytes = b""


@dataclass
class Proxy:
    """A reverse proxy to Ghost on 127.0.0.1 that records every request, and may answer one itself
    (``fault``) or kill the pushing process after the N-th write it forwarded (``kill_after``)."""

    target: str
    seen: list[Seen] = field(default_factory=list)
    fault: Callable[[str, str, bytes], tuple[int, dict[str, str], bytes] | None] | None = None
    kill_after: int | None = None
    victim: int | None = None
    killed: bool = False

    def start(self) -> None:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                answer = proxy.fault(self.command, self.path, body) if proxy.fault else None
                if answer is not None:
                    status, headers, payload = answer
                else:
                    headers_in = {k: v for k, v in self.headers.items()
                                  if k.lower() not in ("host", "content-length", "connection", "accept-encoding")}
                    r = requests.request(self.command, proxy.target + self.path, data=body, headers=headers_in,
                                         allow_redirects=False, timeout=120)
                    status, payload = r.status_code, r.content
                    headers = {k: v for k, v in r.headers.items() if k.lower() not in (
                        "content-length", "transfer-encoding", "content-encoding", "connection")}
                proxy.seen.append(Seen(self.command, self.path, status, body))
                if (proxy.kill_after is not None and proxy.victim and self.command in WRITES
                        and sum(s.method in WRITES for s in proxy.seen) >= proxy.kill_after and not proxy.killed):
                    proxy.killed = True
                    os.kill(proxy.victim, signal.SIGKILL)  # the write was done; its answer never arrives
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the push was killed
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _any

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):  # a killed push
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def writes(self, since: int = 0) -> list[Seen]:
        return [s for s in self.seen[since:] if s.method in WRITES]


@pytest.fixture
def proxy(ghost: PushGhost) -> Iterator[Proxy]:
    p = Proxy(ghost.base)
    p.start()
    yield p
    p.stop()


# -- running the push -----------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str
    report: dict[str, Any]
    kept: str = ""
    """Everything the push left in its cache folder (the state file)."""

    def actions(self, action: str) -> list[str]:
        return sorted(c["key"] for c in self.report.get("changes", []) if c["action"] == action)


def push(site: Path, url: str, key: str, cache: Path, *args: str, proxy: Proxy | None = None,
         kill_after: int | None = None, timeout: float = 600) -> Run:
    cache.mkdir(parents=True, exist_ok=True)
    report = cache / "report.json"
    report.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "JM_GHOST_ADMIN_KEY": key}
    verbose = ["-v"] if "-v" in args else []
    cmd = [sys.executable, "-m", "migrate", *verbose, "push", str(site), "--to", "ghost", "--url", url, "--cache",
           str(cache), "--report", str(report), "--jobs", "1", *(a for a in args if a != "-v")]
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proxy is not None:
        proxy.victim, proxy.kill_after, proxy.killed = proc.pid, kill_after, False
    out, err = proc.communicate(timeout=timeout)
    if proxy is not None:
        proxy.victim = proxy.kill_after = None
    data = json.loads(report.read_text("utf-8")) if report.is_file() else {}
    kept = "".join(f.read_text("utf-8", "replace") for f in sorted(cache.rglob("*")) if f.is_file())
    return Run(proc.returncode, out, err, data, kept)


def no_secret(run: Run, ghost: PushGhost) -> None:
    for key in (ghost.staff_key, ghost.integration_key):
        for part in (key, key.split(":")[1]):
            assert part not in run.out + run.err + json.dumps(run.report) + run.kept


# -- what Ghost holds -----------------------------------------------------------------------------------


def snapshot(ghost: PushGhost) -> dict[str, Any]:
    """Everything a push decides, comparable between two pushes of one site (ids and times left out)."""
    posts = {}
    for kind in ("posts", "pages"):
        for p in ghost.everything(kind, include="tags,authors"):
            html = re.sub(r"/content/(images|media|files)/\d{4}/\d{2}/", "/content/F/", p.get("html") or "")
            # an undated page is dated by Ghost when first published
            dated = p["published_at"] if kind == "posts" else None
            posts[(kind, p["slug"])] = (p["title"], p["status"], dated, p["custom_excerpt"],
                                        [t["slug"] for t in p["tags"]], [a["slug"] for a in p["authors"]],
                                        html, p.get("feature_image") and p["feature_image"].rsplit("/", 1)[-1])
    tags = sorted(t["slug"] for t in ghost.everything("tags", filter_=None, include="count.posts"))
    files = sorted(str(f.relative_to(ghost.workdir / "content")).split("/", 3)[-1]
                   for folder in ("images", "media", "files")
                   for f in (ghost.workdir / "content" / folder).rglob("*") if f.is_file()
                   and "/size/" not in str(f))
    return {"posts": posts, "tags": tags, "files": files}


def duplicates(snap: dict[str, Any]) -> list[str]:
    """Names Ghost gives a second copy: ``slug-2`` posts and tags, ``name-1.png`` files."""
    slugs = {slug for _, slug in snap["posts"]}
    dup = [s for s in slugs if re.fullmatch(r"(.+)-\d+", s) and re.fullmatch(r"(.+)-\d+", s).group(1) in slugs]
    dup += [t for t in snap["tags"] if re.fullmatch(r"(.+)-\d+", t) and re.fullmatch(r"(.+)-\d+", t).group(1)
            in snap["tags"]]
    dup += [f for f in snap["files"] if re.search(r"-[0-9a-f]{10}-\d+\.\w+$", f)]
    return sorted(dup)


def export(site_dir: Path, out: Path) -> tuple[Any, Any]:
    """The site and its Ghost export's plan, written to ``out`` (what the import file would hold)."""
    from migrate.export import build_plan
    from migrate.plan import write_plan
    from migrate.reader import read_site

    site = read_site(site_dir)
    plan = build_plan(site, GhostExporter, {}, Report())
    write_plan(plan, out)
    return site, plan


def verify_site(ghost: PushGhost, site: Any, plan: Any, out: Path) -> tuple[int, int, int, int, list[str]]:
    """(documents, images answering, old URLs, answering, problems) of the pushed site on Ghost."""
    sent = {p["slug"]: p for p in json.loads((out / "ghost-import.json").read_text("utf-8"))
            ["db"][0]["data"]["posts"]}
    live = {p["slug"]: p for kind in ("posts", "pages") for p in ghost.everything(kind)}
    problems: list[str] = []
    exported = [d for d in plan.documents if d.status == "exported"]
    for outcome in exported:
        doc = site.document(outcome.source)
        assert doc is not None and outcome.new_url
        slug = outcome.new_url.strip("/").rsplit("/", 1)[-1]
        got = live.get(slug)
        if got is None:
            problems.append(f"{doc.source}: no Ghost post with slug {slug!r}")
            continue
        problems += [f"{doc.source}: {p}" for p in check_document(site, doc, got, sent.get(slug, {}))]
    images: set[str] = set()
    for post in live.values():
        parser = _Sources()
        parser.feed(post.get("html") or "")
        images |= {urljoin(ghost.base + "/", u) for u in [*parser.urls, post.get("feature_image") or ""] if u}
    images = {u for u in images if u.startswith(ghost.base + "/")}
    answering = 0
    for url in sorted(images):
        status = requests.get(url, timeout=30).status_code
        answering += status == 200
        if status != 200:
            problems.append(f"image {url} answered {status}")
    claims: dict[str, set[str]] = {}
    for outcome in exported:
        doc = site.document(outcome.source)
        assert doc is not None and outcome.new_url
        for old in old_urls(doc):
            claims.setdefault(quote(unquote(old), safe=URL_SAFE), set()).add(outcome.new_url)
    urls_ok = 0
    for old, targets in sorted(claims.items()):
        r = requests.get(ghost.base + old, allow_redirects=False, timeout=30)
        if old in targets:
            ok = r.status_code == 200
        else:
            location = urljoin(ghost.base + old, r.headers.get("Location", ""))
            ok = (r.status_code == 301 and location in {ghost.base + t for t in targets}
                  and requests.get(location, allow_redirects=False, timeout=30).status_code == 200)
        urls_ok += ok
        if not ok:
            problems.append(f"{old} answered {r.status_code} -> {r.headers.get('Location')} (want {targets})")
    return len(exported), answering, len(claims), urls_ok, problems


# -- the tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("site_dir", [*all_sites(), TINY] if PUSH_ALL else CI_SITES, ids=site_id)
def test_push_whole_site_then_nothing_to_send(ghost: PushGhost, proxy: Proxy, site_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    ghost.clean()
    site, plan = export(site_dir, tmp_path / "export")
    ghost.add_users(tmp_path / "export", tmp_path)
    started = time.monotonic()
    first = push(site_dir, proxy.url, ghost.staff_key, tmp_path / "cache", proxy=proxy)
    seconds = time.monotonic() - started
    assert first.code in (0, 1) and not first.actions("failed"), first.err[-3000:]
    no_secret(first, ghost)
    documents, images_ok, old, answering, problems = verify_site(ghost, site, plan, tmp_path / "export")
    media = len([k for k in first.actions("create") if k.startswith("media:")])
    with capsys.disabled():
        print(f"\nPUSH site={site_dir.name} target=ghost documents={documents} created={len(first.actions('create'))} "
              f"media={media} old_urls={old} answering={answering}")
        print(f"PUSH site={site_dir.name} seconds={seconds:.1f} requests={len(proxy.seen)} "
              f"writes={len(proxy.writes())} images_answering={images_ok}")
    assert not problems, "\n".join(problems[:60])
    assert answering == old

    mark = len(proxy.seen)
    second = push(site_dir, proxy.url, ghost.staff_key, tmp_path / "cache", proxy=proxy)
    assert second.code == first.code, second.err[-3000:]  # 1: the site's own errors (a redirect loop...)
    assert proxy.writes(mark) == [], [(s.method, s.path) for s in proxy.writes(mark)]
    assert second.actions("create") == second.actions("update") == []
    # the state file lost: found on Ghost by the source key kept on each post, still nothing written
    mark = len(proxy.seen)
    third = push(site_dir, proxy.url, ghost.staff_key, tmp_path / "other-cache", "--check", proxy=proxy)
    assert third.code == first.code and proxy.writes(mark) == [] and "would" not in third.out, third.out
    with capsys.disabled():
        print(f"PUSH site={site_dir.name} second_push_writes=0 reads={len(proxy.seen) - mark} (no state file)")


def _edited_copy(tmp: Path) -> Path:
    site = tmp / "site"
    shutil.copytree(REPO / "samples" / "blog-classic", site)
    post = site / "_posts" / "2020-05-27-dates-without-seconds.md"
    post.write_text(post.read_text("utf-8").replace("The front-matter date", "The edited front-matter date"), "utf-8")
    (site / "_posts" / "2022-02-02-brand-new.md").write_text(
        "---\ntitle: Brand new\ncategories: [news]\n---\nA post written during the migration.\n", "utf-8")
    (site / "_posts" / "2020-10-01-filters-at-work.md").unlink()
    return site


def test_one_edit_one_addition_one_removal(ghost: PushGhost, proxy: Proxy, tmp_path: Path) -> None:
    ghost.clean()
    cache = tmp_path / "cache"
    original = REPO / "samples" / "blog-classic"
    assert push(original, proxy.url, ghost.staff_key, cache, proxy=proxy).code == 0
    site = _edited_copy(tmp_path)

    mark = len(proxy.seen)
    dry = push(site, proxy.url, ghost.staff_key, cache, "--dry-run", "--diff", proxy=proxy)
    assert dry.code == 0 and proxy.writes(mark) == []
    assert "would update post _posts/2020-05-27-dates-without-seconds.md" in dry.out
    assert "+<p>The edited front-matter date" in dry.out
    assert "would create post _posts/2022-02-02-brand-new.md" in dry.out
    assert "not on the site any more: post" in dry.out and "(removed only with --prune)" in dry.out
    check = push(site, proxy.url, ghost.staff_key, cache, "--check", proxy=proxy)
    assert check.code == 1 and proxy.writes(mark) == []

    mark = len(proxy.seen)
    run = push(site, proxy.url, ghost.staff_key, cache, proxy=proxy)
    assert run.code == 0, run.err
    posts = [(s.method, s.path.split("?")[0].rsplit("/", 2)[0] if s.method == "PUT" else s.path.split("?")[0])
             for s in proxy.writes(mark) if "/posts/" in s.path or "/pages/" in s.path]
    assert sorted(m for m, _ in posts) == ["POST", "PUT"], posts
    assert run.actions("update") == ["_posts/2020-05-27-dates-without-seconds.md", "redirects"]
    assert run.actions("create") == ["_posts/2022-02-02-brand-new.md"]
    assert not [s for s in proxy.writes(mark) if s.method == "DELETE"]
    assert run.actions("orphan") == ["_posts/2020-10-01-filters-at-work.md"]
    assert any(p["slug"] == "filters-at-work" for p in ghost.everything("posts"))

    mark = len(proxy.seen)
    pruned = push(site, proxy.url, ghost.staff_key, cache, "--prune", proxy=proxy)
    assert pruned.code == 0 and pruned.actions("prune") == ["_posts/2020-10-01-filters-at-work.md"]
    assert [s.method for s in proxy.writes(mark)] == ["DELETE"]
    assert not any(p["slug"] == "filters-at-work" for p in ghost.everything("posts"))
    assert push(site, proxy.url, ghost.staff_key, cache, "--check", "--prune", proxy=proxy).code == 0


@pytest.fixture(scope="module")
def reference(ghost: PushGhost, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What an uninterrupted push of the tiny blog leaves on Ghost, and how many writes it takes."""
    ghost.clean()
    p = Proxy(ghost.base)
    p.start()
    try:
        run = push(TINY, p.url, ghost.staff_key, tmp_path_factory.mktemp("ref"), proxy=p)
        assert run.code == 0, run.err
        return {"snapshot": snapshot(ghost), "writes": len(p.writes())}
    finally:
        p.stop()


@pytest.mark.parametrize("seed", [1, 2, 3] + ([4, 5, 6, 7, 8] if PUSH_ALL else []))
def test_killed_push_resumes_to_the_same_site(ghost: PushGhost, proxy: Proxy, reference: dict[str, Any],
                                             seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = TINY
    n = random.Random(seed).randint(1, reference["writes"] - 1)
    ghost.clean()
    cache = tmp_path / "cache"
    killed = push(site, proxy.url, ghost.staff_key, cache, proxy=proxy, kill_after=n)
    assert killed.code == -signal.SIGKILL, (killed.code, killed.err[-2000:])
    mark = len(proxy.seen)
    resumed = push(site, proxy.url, ghost.staff_key, cache, proxy=proxy)
    assert resumed.code == 0, resumed.err[-3000:]
    snap = snapshot(ghost)
    with capsys.disabled():
        print(f"\nPUSH killed seed={seed} after_write={n}/{reference['writes']} "
              f"resumed_writes={len(proxy.writes(mark))} duplicates={len(duplicates(snap))}")
    assert duplicates(snap) == []
    assert snap == reference["snapshot"]
    mark = len(proxy.seen)
    assert push(site, proxy.url, ghost.staff_key, cache, proxy=proxy).code == 0 and proxy.writes(mark) == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_wrong_key_url_and_server_down_are_one_clear_line(ghost: PushGhost, proxy: Proxy, tmp_path: Path) -> None:
    site = TINY
    wrong = f"{random.getrandbits(96):024x}:{random.getrandbits(256):064x}"
    run = push(site, proxy.url, wrong, tmp_path / "c")
    assert run.code == 1 and "refused the Admin API key (401" in run.err and "JM_GHOST_ADMIN_KEY" in run.err
    assert wrong not in run.err + run.out and wrong.split(":")[1] not in run.err + run.out
    assert "Traceback" not in run.err and not [s for s in proxy.seen if s.method in WRITES]

    run = push(site, proxy.url, "not-a-key-at-all", tmp_path / "c")
    assert run.code == 2 and "is not a Ghost Admin API key" in run.err and "not-a-key-at-all" not in run.err

    env = {k: v for k, v in os.environ.items() if k != "JM_GHOST_ADMIN_KEY"}
    r = subprocess.run([sys.executable, "-m", "migrate", "push", str(site), "--to", "ghost", "--url", proxy.url],
                       env={**env, "PYTHONPATH": str(REPO)}, cwd=REPO, capture_output=True, text=True, check=False)
    assert r.returncode == 2 and "missing credential JM_GHOST_ADMIN_KEY" in r.stderr

    class NotGhost(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(404)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not here\n")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotGhost)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = push(site, f"http://127.0.0.1:{server.server_address[1]}", ghost.staff_key, tmp_path / "c")
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 1 and "is not a Ghost site (GET /ghost/api/admin/site/ answered 404); check --url" in run.err

    down = f"http://127.0.0.1:{_free_port()}"
    run = push(site, down, ghost.staff_key, tmp_path / "c", "--retries", "1")
    assert run.code == 1 and f"{down} does not answer" in run.err and "connection refused" in run.err
    assert "Traceback" not in run.err
    no_secret(run, ghost)


def test_integration_key_pushes_posts_and_says_how_to_upload_redirects(ghost: PushGhost, proxy: Proxy,
                                                                      tmp_path: Path) -> None:
    ghost.clean()
    site = TINY
    run = push(site, proxy.url, ghost.integration_key, tmp_path / "c", "-v", "--concurrency", "4", proxy=proxy)
    assert run.code == 1 and run.actions("failed") == ["redirects"]
    assert "staff access token" in run.err and "Settings -> Labs -> Redirects" in run.err
    assert len(run.actions("create")) == 9  # 3 images, 3 tags, 2 posts, 1 page
    no_secret(run, ghost)


def test_429_with_retry_after_and_500_on_one_post(ghost: PushGhost, proxy: Proxy, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    ghost.clean()
    site = TINY
    cache = tmp_path / "cache"
    limited = {"left": 2}

    def rate_limit(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes] | None:
        if method == "POST" and "/posts/" in path and limited["left"] > 0:
            limited["left"] -= 1
            return 429, {"Retry-After": "1", "Content-Type": "application/json"}, b'{"errors":[{"message":"slow down"}]}'
        if method in ("POST", "PUT") and "/posts/" in path and b'"slug": "second"' in body.replace(
                b'"slug":"', b'"slug": "'):
            return 500, {"Content-Type": "application/json"}, b'{"errors":[{"message":"Internal server error"}]}'
        return None

    proxy.fault = rate_limit
    started = time.monotonic()
    run = push(site, proxy.url, ghost.staff_key, cache, "--retries", "2", proxy=proxy)
    seconds = time.monotonic() - started
    assert run.code == 1, run.err
    assert run.actions("failed") == ["_posts/2021-02-01-second.md"]
    message = next(c["message"] for c in run.report["changes"] if c["action"] == "failed")
    assert "creating post _posts/2021-02-01-second.md: HTTP 500" in message
    assert "Internal server error" in message and "failed post _posts/2021-02-01-second.md" in run.err
    n429 = len([s for s in proxy.seen if s.status == 429])
    n500 = len([s for s in proxy.seen if s.status == 500])
    assert n429 == 2 and seconds >= 2  # each 429 waited its Retry-After: 1
    assert run.report["retried"] == n429 + n500 - 1  # every fault was retried but the post's last 500
    assert len(run.actions("create")) == 9  # all but the post that failed (the redirects too)
    with capsys.disabled():
        print(f"\nPUSH faults 429x2(Retry-After: 1)+500x3 seconds={seconds:.1f} retried={run.report['retried']}")

    proxy.fault = None
    mark = len(proxy.seen)
    again = push(site, proxy.url, ghost.staff_key, cache, proxy=proxy)
    assert again.code == 0, again.err
    assert again.actions("create") == ["_posts/2021-02-01-second.md"]
    assert [s.method for s in proxy.writes(mark)] == ["POST"]
    no_secret(again, ghost)
