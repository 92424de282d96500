"""Acceptance: ``jekyll-migrate push --to wordpress`` into a real WordPress 6.5 (SQLite, Debian's PHP, on
127.0.0.1; see tests/support/wordpress/server.py).

Every sample site is pushed and read back through the REST API against the WXR the exporter writes for it
(the pushed post is the imported post): title, slug, dates, status, terms, author, excerpt and content
(media URLs aside), every body image and featured image answering 200 from WordPress, old URLs requested
at WordPress; so are the small corpora, and all of them when $JEKYLL_MIGRATE_PUSH_CORPORA is set (a by-hand
run: they take minutes). Then, on one site: a second push sends no write request (counted in the server's request
log), an edit, an addition and a deletion are one update, one create and one prune (only with --prune),
a push of a tiny blog killed at a random write (three seeds) and re-run leaves what an uninterrupted push
leaves, with no duplicate, and a wrong password, a wrong URL and a
REST API that is off each give one clear message.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
import requests

from exporters.wordpress import WordPressExporter
from exporters.wordpress.push import read_marker, read_wxr, strip_marker
from migrate.export import build_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import IN_CI, REPO, corpus_sites, sample_sites, site_id
from tests.support.wordpress import server

pytestmark = pytest.mark.acceptance

URL_SAFE = "/!$&'()*+,;=:@-._~%"
TINY = REPO / "tests/fixtures/push/tiny-blog"  # a few terms, media, a page and posts
BROKEN_POST = r"""<?php
add_filter('rest_pre_dispatch', function ($result, $server, $request) {
  if ($request->get_method() === 'POST' && $request->get_route() === '/wp/v2/posts'
      && $request->get_param('slug') === 'filters-at-work') {
    return new WP_Error('jm_broken', 'Broken on purpose', array('status' => 500));
  }
  return $result;
}, 10, 3);
"""


@pytest.fixture(scope="session")
def wp_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    builds = server.builds_tarball()
    if builds is None or not server.php_available():
        if IN_CI:
            raise RuntimeError("the WordPress builds tarball or PHP is missing: run .ci/install.sh")
        pytest.skip("no WordPress builds tarball ($JM_NPM_PREFIX/tarballs) or no php with sqlite")
    return server.prepared(builds, tmp_path_factory.mktemp("wp"))


SMALL_CORPORA = {"seed-ru", "shell-novice"}
"""Corpora pushed in every run (seconds each); the others with $JEKYLL_MIGRATE_PUSH_CORPORA (minutes)."""


def push_sites() -> list[Path]:
    every = bool(os.environ.get("JEKYLL_MIGRATE_PUSH_CORPORA"))
    return sample_sites() + [c for c in corpus_sites() if every or c.name in SMALL_CORPORA]


def run_push(wp: server.WordPress, site: Path, cache: Path, *extra: str, password: str | None = None,
             report: Path | None = None, url: str | None = None, user: str | None = None,
             ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "JM_WP_USER": user or wp.user,
           "JM_WP_APP_PASSWORD": password if password is not None else wp.app_password}
    args = [sys.executable, "-m", "migrate", "push", str(site), "--to", "wordpress", "--url", url or wp.url,
            "--cache", str(cache), "--jobs", "1", *extra]
    if report is not None:
        args += ["--report", str(report)]
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO, timeout=900, check=False)


class Expected:
    """What the WXR export of ``site`` says WordPress should hold."""

    def __init__(self, site_dir: Path, values: dict[str, Any] | None = None) -> None:
        self.site = read_site(str(site_dir))
        options, problems = WordPressExporter.validate_options(values or {})
        assert not problems
        self.plan = build_plan(self.site, WordPressExporter, options, Report())
        extra = self.plan.manifest_extra
        self.items, self.authors, self.terms = read_wxr(self.plan.files[n].read() for n in extra["wxr_files"])
        self.structure = extra["permalink_structure"]
        self.category_base = extra.get("category_base", "")
        self.tag_base = extra.get("tag_base", "")
        self.documents = [d for d in self.plan.manifest()["documents"] if d["status"] == "exported"]

    def configure(self, wp: server.WordPress) -> None:
        """The settings the export's README asks for."""
        wp.set_options(permalink_structure=self.structure, category_base=self.category_base,
                       tag_base=self.tag_base, timezone_string=self.site.timezone or "UTC", gmt_offset="")


class Live:
    """What WordPress holds, read through its REST API."""

    def __init__(self, wp: server.WordPress) -> None:
        self.wp = wp
        self.http = requests.Session()
        self.http.auth = (wp.user, wp.app_password)
        self.posts = self.all("posts", status="any") + self.all("pages", status="any")
        self.media = self.all("media")
        self.categories = {t["id"]: t for t in self.all("categories")}
        self.tags = {t["id"]: t for t in self.all("tags")}

    def all(self, kind: str, **params: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            response = self.http.get(f"{self.wp.url}/wp-json/wp/v2/{kind}", timeout=60,
                                     params={"context": "edit", "per_page": 100, "page": page, **params})
            response.raise_for_status()
            batch = response.json()
            out.extend(batch)
            if page >= int(response.headers.get("X-WP-TotalPages", "1")):
                return out
            page += 1


def _no_noopener(html: str) -> str:
    """WordPress adds ``noopener`` to the rel of every link that opens a new window when it saves a post
    (wp_targeted_link_rel), through its importer and its REST API alike: taken out to compare."""
    html = html.replace(' rel="noopener"', "")
    return re.sub(r'(\brel="[^"]*?) noopener"', r'\1"', html)


def _expected_status(status: str, gmt: str, now: str) -> str:
    """WordPress publishes a ``future`` post whose date has passed, and schedules a published one whose date
    has not (wp_insert_post), for the importer and for REST alike."""
    if status == "future" and gmt <= now:
        return "publish"
    if status == "publish" and gmt > now:
        return "future"
    return status


def check_site(site_dir: Path, wp: server.WordPress, expected: Expected, author_map: dict[str, str],
               users: dict[str, int]) -> tuple[list[str], dict[str, int]]:
    """Problems, and the counts of the PUSH line."""
    live = Live(wp)
    problems: list[str] = []
    by_source = {}
    for post in live.posts:
        mark = read_marker(post["content"]["raw"])
        if mark:
            by_source.setdefault(mark["source"], []).append(post)
    media_by_source = {}
    for medium in live.media:
        mark = read_marker(medium["description"]["raw"])
        if mark:
            media_by_source.setdefault(mark["source"], []).append(medium)
    for key, found in list(by_source.items()) + list(media_by_source.items()):
        if len(found) > 1:
            problems.append(f"{key}: {len(found)} copies on WordPress")
    wxr_by_id = {i.post_id: i for i in expected.items}
    uploaded_url: dict[str, str] = {}
    for item in expected.items:
        if item.post_type == "attachment":
            key = "media:" + (item.first("_jekyll_source") or item.attachment_url)
            if key in media_by_source:
                uploaded_url[item.attachment_url] = media_by_source[key][0]["source_url"]
    pattern = (re.compile("(" + "|".join(re.escape(u) for u in sorted(uploaded_url, key=len, reverse=True))
                          + r")(?![\w%/.~-])") if uploaded_url else None)

    def rewrite(text: str) -> str:
        return pattern.sub(lambda m: uploaded_url[m.group(1)], text) if pattern else text

    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    cat_slug = {i: t["slug"] for i, t in live.categories.items()}
    tag_slug = {i: t["slug"] for i, t in live.tags.items()}
    images_checked = 0
    seen_images: dict[str, int] = {}

    def answers(url: str) -> int:
        if url not in seen_images:
            seen_images[url] = requests.get(quote(url, safe=URL_SAFE + "?#"), timeout=60).status_code
        return seen_images[url]

    for item in expected.items:
        if item.post_type not in ("post", "page"):
            continue
        key = item.first("_jekyll_source") or f"{item.post_type}:{item.slug}#{item.post_id}"
        found = by_source.get(key)
        if not found:
            problems.append(f"{key}: not on WordPress")
            continue
        post = found[0]
        label = key

        def same(name: str, got: Any, want: Any, label: str = label) -> None:
            if got != want:
                problems.append(f"{label}: {name} is {got!r}, the WXR says {want!r}")

        same("type", post["type"], item.post_type)
        same("old permalink kept", read_marker(post["content"]["raw"]).get("old"), item.first("_jekyll_old_url"))
        same("title", post["title"]["raw"], item.title)
        same("slug", unquote(post["slug"]), unquote(item.slug))
        same("date", post["date"], item.date.replace(" ", "T"))
        same("date_gmt", post["date_gmt"], item.date_gmt.replace(" ", "T"))
        same("status", post["status"], _expected_status(item.status, item.date_gmt, now))
        same("content", _no_noopener(strip_marker(post["content"]["raw"])), rewrite(item.content))
        same("excerpt", post["excerpt"]["raw"], rewrite(item.excerpt))
        want_author = users.get(author_map.get(item.creator, item.creator), users[wp.user])
        same("author", post["author"], want_author)
        if item.post_type == "post":
            want_cats = sorted(s for d, s, _ in item.terms if d == "category") or ["uncategorized"]
            same("categories", sorted(cat_slug[c] for c in post["categories"]), want_cats)
            same("tags", sorted(tag_slug[t] for t in post["tags"]), sorted(s for d, s, _ in item.terms if d == "post_tag"))
        else:
            parent = wxr_by_id.get(item.parent)
            want_parent = 0
            if parent is not None:
                pkey = parent.first("_jekyll_source") or f"{parent.post_type}:{parent.slug}#{parent.post_id}"
                want_parent = by_source[pkey][0]["id"] if pkey in by_source else -1
            same("parent", post["parent"], want_parent)
        thumb = item.first("_thumbnail_id")
        if thumb and int(thumb) in wxr_by_id:
            att = wxr_by_id[int(thumb)]
            if att.attachment_url in uploaded_url:
                media = next((m for m in live.media if m["id"] == post["featured_media"]), None)
                if media is None:
                    problems.append(f"{label}: no featured image (the WXR names {att.attachment_url})")
                else:
                    same("featured image", media["source_url"], uploaded_url[att.attachment_url])
                    images_checked += 1
                    if answers(media["source_url"]) != 200:
                        problems.append(f"{label}: featured image {media['source_url']} -> {answers(media['source_url'])}")
        for src in re.findall(r"<img\b[^>]*?\bsrc=\"([^\"]+)\"", strip_marker(post["content"]["raw"])):
            src = src.replace("&amp;", "&")
            if src.startswith(wp.host):
                images_checked += 1
                if answers(src) != 200:
                    problems.append(f"{label}: image {src} -> {answers(src)}")
            elif any(src == u for u in uploaded_url):
                problems.append(f"{label}: image {src} still points at the old site")
    for url in uploaded_url.values():
        if answers(url) != 200:
            problems.append(f"medium {url} -> {answers(url)}")
    # old URLs: every published document, at its old path on WordPress (installed under the old baseurl)
    posts_by_source = {k: v[0] for k, v in by_source.items()}
    old_urls = answering = 0
    for doc in expected.documents:
        post = posts_by_source.get(doc["source"])
        if not doc.get("old_url") or post is None or post["status"] != "publish":
            continue
        old_urls += 1
        old = wp.host + (expected.site.baseurl or "") + doc["old_url"]
        response = requests.get(quote(old, safe=URL_SAFE), timeout=60)
        shown = re.search(r'<body[^>]*class="([^"]*)"', response.text)
        ident = re.search(r"\b(?:postid|page-id)-(\d+)\b", shown.group(1)) if shown else None
        if response.status_code == 200 and ident and int(ident.group(1)) == post["id"]:
            answering += 1
        elif urlsplit(post["link"]).path == urlsplit(old).path:
            problems.append(f"{doc['source']}: {doc['old_url']} is its WordPress permalink but answers "
                            f"{response.status_code}")
    counts = {"media": len(media_by_source), "old_urls": old_urls, "answering": answering,
              "images": images_checked}
    return problems, counts


def _users(wp: server.WordPress) -> dict[str, int]:
    response = requests.get(f"{wp.url}/wp-json/wp/v2/users", params={"context": "edit"},
                            auth=(wp.user, wp.app_password), timeout=60)
    return {u["username"]: u["id"] for u in response.json()}


@pytest.mark.parametrize("site_dir", push_sites(), ids=site_id)
def test_push_site(site_dir: Path, wp_template: Path, tmp_path: Path) -> None:
    expected = Expected(site_dir)
    author_map = {"ada": "editor"} if site_dir.name == "blog-classic" else {}
    with server.WordPress(wp_template, tmp_path / "wp", base=expected.site.baseurl or "") as wp:
        expected.configure(wp)
        started = time.monotonic()
        extra = [f"--author-map={k}={v}" for k, v in author_map.items()]
        run = run_push(wp, site_dir, tmp_path / "cache", *extra, report=tmp_path / "report.json")
        took = time.monotonic() - started
        assert run.returncode in (0, 1), run.stderr[-3000:]
        assert "Traceback" not in run.stderr, run.stderr[-3000:]
        result = json.loads((tmp_path / "report.json").read_text("utf-8"))
        failed = [c for c in result["changes"] if c["action"] == "failed"]
        assert not failed, failed[:5]
        writes = len(wp.writes())
        problems, counts = check_site(site_dir, wp, expected, author_map, _users(wp))
        created = sum(1 for c in result["changes"] if c["action"] == "create")
        print(f"PUSH site={site_dir.name} target=wordpress documents={len(expected.documents)} created={created} "
              f"media={counts['media']} old_urls={counts['old_urls']} answering={counts['answering']} "
              f"images_200={counts['images']} writes={writes} seconds={took:.1f}")
        if expected.plan.redirects:  # no Redirection plugin here (it is in no package registry)
            assert "Redirection plugin is not active" in run.stderr
            written = next((tmp_path / "cache/push").glob("*-redirection.csv"))
            rows = written.read_text("utf-8").splitlines()
            assert len(rows) == 1 + len(set(expected.plan.redirects))
            assert str(written) in run.stderr
        assert not problems, "\n".join(problems[:40])


# -- one site, pushed again, changed, interrupted ------------------------------------------------------


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "samples/blog-classic", site)
    return site


def _changes(report: Path) -> Counter[tuple[str, str]]:
    data = json.loads(report.read_text("utf-8"))
    return Counter((c["action"], c["kind"]) for c in data["changes"] if c["action"] != "unchanged")


def test_second_push_edit_add_delete(blog: Path, wp_template: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with server.WordPress(wp_template, tmp_path / "wp") as wp:
        first = run_push(wp, blog, cache)
        assert first.returncode == 0, first.stderr[-3000:]
        wp.clear_log()
        again = run_push(wp, blog, cache, report=tmp_path / "again.json")
        assert again.returncode == 0, again.stderr[-3000:]
        assert wp.writes() == [], wp.writes()
        assert _changes(tmp_path / "again.json") == Counter()
        print(f"second push: {len(wp.requests())} requests, {len(wp.writes())} writes")

        # a lost state file: found again on WordPress, nothing duplicated, nothing written
        shutil.rmtree(cache)
        wp.clear_log()
        lost = run_push(wp, blog, cache, report=tmp_path / "lost.json")
        assert lost.returncode == 0, lost.stderr[-3000:]
        assert wp.writes() == [], wp.writes()
        print(f"push after losing the state file: {len(wp.requests())} requests, {len(wp.writes())} writes")

        before = _documents(blog)
        edited = blog / "_posts/2020-05-27-dates-without-seconds.md"
        edited.write_text(edited.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
        edited_key = "_posts/2020-05-27-dates-without-seconds.md"
        (blog / "_posts/2020-11-11-a-new-post.md").write_text(
            "---\ntitle: A new post\nlayout: post\n---\nWritten during the migration.\n", "utf-8")
        (blog / "_posts/2020-08-10-with-an-excerpt.md").unlink()
        wp.clear_log()
        dry = run_push(wp, blog, cache, "--dry-run", "--diff")
        assert dry.returncode == 0, dry.stderr[-3000:]
        assert wp.writes() == []
        assert f"would update post {edited_key}" in dry.stdout
        assert "would create post _posts/2020-11-11-a-new-post.md" in dry.stdout
        assert "+<p>One more sentence.</p>" in dry.stdout
        assert f"{edited_key} date (live)" not in dry.stdout  # the same instant, whatever WordPress's time zone
        assert f"{edited_key} title (live)" not in dry.stdout
        check = run_push(wp, blog, cache, "--check")
        assert check.returncode == 1 and wp.writes() == []

        wp.clear_log()
        changed = run_push(wp, blog, cache, report=tmp_path / "changed.json")
        assert changed.returncode == 0, changed.stderr[-3000:]
        after = _documents(blog)
        # what else changed in the export itself (a home page listing the posts): updated too, nothing more
        also = sorted(k for k in before.keys() & after.keys() if before[k] != after[k] and k != edited_key)
        data = json.loads((tmp_path / "changed.json").read_text("utf-8"))
        done = {(c["action"], c["key"]) for c in data["changes"] if c["action"] != "unchanged"}
        assert done == {("update", edited_key), ("create", "_posts/2020-11-11-a-new-post.md"),
                        ("orphan", "_posts/2020-08-10-with-an-excerpt.md")} | {("update", k) for k in also}
        writes = wp.writes()
        assert len(writes) == 2 + len(also), writes
        print(f"edit one, add one, delete one: {len(writes)} writes ({', '.join(m + ' ' + u for m, u in writes)});"
              f" updated besides the edited post, as their export changed too: {also}")
        assert "not on the site any more" in changed.stdout
        live = Live(wp)
        assert any(p["slug"] == "with-an-excerpt" and p["status"] == "publish" for p in live.posts)

        wp.clear_log()
        pruned = run_push(wp, blog, cache, "--prune", report=tmp_path / "pruned.json")
        assert pruned.returncode == 0, pruned.stderr[-3000:]
        assert _changes(tmp_path / "pruned.json") == Counter({("prune", "post"): 1})
        assert [m for m, _ in wp.writes()] == ["DELETE"]
        live = Live(wp)
        assert not any(p["slug"] == "with-an-excerpt" for p in live.posts)  # in the trash


def _documents(site: Path) -> dict[str, tuple[Any, ...]]:
    """Source key -> what the WXR export says of each post and page."""
    expected = Expected(site)
    return {i.first("_jekyll_source") or i.slug: (i.title, i.slug, i.status, i.date, i.content, i.excerpt, i.terms,
                                                 i.parent, i.creator)
            for i in expected.items if i.post_type in ("post", "page")}


def _fingerprint(wp: server.WordPress) -> dict[str, Any]:
    live = Live(wp)
    posts = sorted((p["type"], p["slug"], p["status"], p["title"]["raw"], strip_marker(p["content"]["raw"])
                    .replace(wp.host, "HOST"), read_marker(p["content"]["raw"])["source"])
                   for p in live.posts if read_marker(p["content"]["raw"]))
    media = sorted(read_marker(m["description"]["raw"])["source"] for m in live.media)
    terms = sorted([("c", t["slug"]) for t in live.categories.values()] + [("t", t["slug"]) for t in live.tags.values()])
    return {"posts": posts, "media": media, "terms": terms}


@pytest.fixture(scope="module")
def whole_push(wp_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], int]:
    """What an uninterrupted push of the tiny blog leaves on WordPress, and how many writes it takes."""
    tmp = tmp_path_factory.mktemp("whole")
    with server.WordPress(wp_template, tmp / "wp") as wp:
        run = run_push(wp, TINY, tmp / "cache")
        assert run.returncode == 0, run.stderr[-3000:]
        return _fingerprint(wp), len(wp.writes())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_push_resumes(seed: int, whole_push: tuple[dict[str, Any], int], wp_template: Path,
                             tmp_path: Path) -> None:
    blog = TINY
    whole, total_writes = whole_push
    at = random.Random(seed).randint(1, total_writes - 1)
    cache = tmp_path / "cache"
    with server.WordPress(wp_template, tmp_path / "wp") as wp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "JM_WP_USER": wp.user, "JM_WP_APP_PASSWORD": wp.app_password}
        proc = subprocess.Popen(
            [sys.executable, "-m", "migrate", "push", str(blog), "--to", "wordpress", "--url", wp.url,
             "--cache", str(cache), "--jobs", "1"],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 300
        while proc.poll() is None and len(wp.writes()) < at and time.monotonic() < deadline:
            time.sleep(0.002)
        assert proc.poll() is None, "the push ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(0.5)  # requests the server was still answering
        killed = len(wp.writes())
        wp.clear_log()
        final = run_push(wp, blog, cache)
        assert final.returncode == 0, final.stderr[-3000:]
        after = _fingerprint(wp)
        resumed = len(wp.writes())
    print(f"killed push (seed {seed}): killed after {killed} of {total_writes} writes; the re-run sent {resumed}")
    assert [p[-1] for p in after["posts"]] == [p[-1] for p in whole["posts"]]  # one of each, no duplicate
    assert len(after["media"]) == len(set(after["media"]))
    assert after == whole
    assert killed + resumed <= total_writes + 4  # resumed where it stopped (a write in flight may repeat)


# -- errors ----------------------------------------------------------------------------------------------


def test_clear_messages(blog: Path, wp_template: Path, tmp_path: Path) -> None:
    with server.WordPress(wp_template, tmp_path / "wp") as wp:
        wrong = run_push(wp, blog, tmp_path / "cache", password="abcd efgh ijkl mnop qrst uvwx")
        assert wrong.returncode != 0
        assert "refused the user 'admin'" in wrong.stderr, wrong.stderr
        assert "abcd efgh" not in wrong.stderr + wrong.stdout
        assert "Traceback" not in wrong.stderr
        assert wp.writes() == []

        nobody = f"http://127.0.0.1:{server.free_port()}"
        lost = run_push(wp, blog, tmp_path / "cache", "--retries", "0", url=nobody)
        assert lost.returncode != 0
        assert f"{nobody} does not answer" in lost.stderr and "connection refused" in lost.stderr, lost.stderr
        assert "Traceback" not in lost.stderr

        # a path under the site: WordPress answers there too, but its address is another
        elsewhere = run_push(wp, blog, tmp_path / "cache", url=wp.url + "/blog")
        assert elsewhere.returncode != 0
        assert f"its address is {wp.url} (push --url {wp.url})" in elsewhere.stderr, elsewhere.stderr
        assert wp.writes() == []

        # one post answered with 500 (every attempt): that one fails with its reason, the others go on,
        # exit 1; the next push completes it
        broken = wp.add_mu_plugin("broken-post", BROKEN_POST)
        one_bad = run_push(wp, blog, tmp_path / "cache", "--retries", "1")
        assert one_bad.returncode == 1, one_bad.stderr[-3000:]
        failed = [line for line in one_bad.stderr.splitlines() if line.startswith("failed ")]
        assert len(failed) == 1 and "HTTP 500" in failed[0] and "Broken on purpose" in failed[0], failed
        live = Live(wp)
        expected = Expected(blog)
        pushed = [p for p in live.posts if read_marker(p["content"]["raw"])]
        assert len(pushed) == sum(1 for i in expected.items if i.post_type in ("post", "page")) - 1
        broken.unlink()
        wp.clear_log()
        again = run_push(wp, blog, tmp_path / "cache", report=tmp_path / "again.json")
        assert again.returncode == 0, again.stderr[-3000:]
        assert _changes(tmp_path / "again.json") == Counter({("create", "post"): 1})
        print("message:", failed[0])

        wp.disable_rest()
        wp.clear_log()
        off = run_push(wp, blog, tmp_path / "cache")
        assert off.returncode != 0
        assert "REST API is switched off or blocked" in off.stderr, off.stderr
        assert "Traceback" not in off.stderr
        assert wp.writes() == []
        for run in (wrong, lost, elsewhere, off):
            print("message:", run.stderr.strip().splitlines()[-1])


def test_plain_permalinks_use_rest_route(wp_template: Path, tmp_path: Path) -> None:
    """Without pretty permalinks WordPress has no /wp-json/: the API is reached at /?rest_route=/."""
    tiny = TINY
    with server.WordPress(wp_template, tmp_path / "wp") as wp:
        wp.set_options(permalink_structure="")
        run = run_push(wp, tiny, tmp_path / "cache", report=tmp_path / "report.json")
        assert run.returncode == 0, run.stderr[-3000:]
        writes = wp.writes()
        assert writes and all("?rest_route=/wp/v2/" in uri for _, uri in writes), writes
        assert _changes(tmp_path / "report.json")[("create", "post")] == 2
        wp.clear_log()
        again = run_push(wp, tiny, tmp_path / "cache")
        assert again.returncode == 0 and wp.writes() == []


def test_an_editor_can_push(wp_template: Path, tmp_path: Path) -> None:
    """An editor (not an administrator) may push: WordPress lists users to it only as the public sees them."""
    with server.WordPress(wp_template, tmp_path / "wp") as wp:
        out = wp.php("require __DIR__ . '/wp-load.php'; $u = get_user_by('login', 'editor');"
                     "$made = WP_Application_Passwords::create_new_application_password($u->ID, array('name' => 't'));"
                     "echo 'PW:' . $made[0];")
        password = out[out.index("PW:") + 3:].strip()
        run = run_push(wp, TINY, tmp_path / "cache", user="editor", password=password,
                       report=tmp_path / "report.json")
        assert run.returncode == 0, run.stderr[-3000:]
        assert _changes(tmp_path / "report.json")[("create", "post")] == 2
        assert "-> editor" in run.stderr  # the authors the site names went to the authenticated user
        assert any("/wp/v2/users" in uri and "context=view" in uri for _, uri in wp.requests())


@pytest.mark.parametrize("name", ["blog-classic", "pretty-docs"])
def test_native_blocks_name_the_uploaded_media(name: str, wp_template: Path, tmp_path: Path) -> None:
    """`push --wp-content blocks` sends the same native blocks as the WXR, with each image block naming the
    medium WordPress made of the upload (its id in the block's attributes and the image's class) and the
    footnotes block's post meta; the block markup otherwise as exported."""
    site_dir = REPO / "samples" / name
    expected = Expected(site_dir, {"wp_content": "blocks"})
    with server.WordPress(wp_template, tmp_path / "wp", base=expected.site.baseurl or "") as wp:
        expected.configure(wp)
        run = run_push(wp, site_dir, tmp_path / "cache", "--wp-content", "blocks", report=tmp_path / "report.json")
        assert run.returncode == 0, run.stderr[-3000:]
        live = Live(wp)
        media_by_id = {m["id"]: m["source_url"] for m in live.media}
        checked = with_footnotes = 0
        for post in live.posts:
            raw = post["content"]["raw"]
            assert "{{jm-ref" not in raw
            for block_id, img in re.findall(r'<!-- wp:image \{[^\n]*?"id":(\d+)[^\n]*?-->\s*<figure[^>]*>'
                                             r'(?:<a [^>]*>)?(<img [^>]*>)', raw):
                src = re.search(r'src="([^"]+)"', img).group(1)
                assert media_by_id.get(int(block_id)) == src, (post["slug"], block_id, src)
                assert f"wp-image-{block_id}" in img
                checked += 1
            footnotes = re.search(r"<!-- wp:footnotes", raw)
            if footnotes:
                sent = next(i.first("footnotes") for i in expected.items if i.slug == post["slug"])
                assert post.get("meta", {}).get("footnotes") == sent, post["slug"]
                with_footnotes += 1
        print(f"\nPUSH-BLOCKS site={name} image_blocks={checked} (each naming its upload) "
              f"posts_with_footnotes={with_footnotes} (meta as exported)")
        assert checked + with_footnotes > 0
        wp.clear_log()
        again = run_push(wp, site_dir, tmp_path / "cache", "--wp-content", "blocks")
        assert again.returncode == 0 and wp.writes() == []
