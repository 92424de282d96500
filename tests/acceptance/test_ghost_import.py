"""Acceptance: every sample and corpus site, exported to Ghost, imports whole into a real Ghost 6.

One Ghost runs for the whole session on 127.0.0.1 (free port, data in a temporary folder) and is wiped
between sites. It is found through $GHOST_HOME (installed by .ci/install-ghost.sh); in CI its absence
fails the test instead of skipping it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin

import pytest
import requests

from exporters.ghost import GhostExporter
from migrate.ir import Document, Site
from migrate.plan import write_plan
from migrate.report import Report
from tests.conftest import IN_CI, all_sites, site_id

pytestmark = pytest.mark.acceptance

GHOST_HOME = Path(os.environ.get("GHOST_HOME", "/opt/jm-ghost"))
OWNER_EMAIL = "owner@example.com"
OWNER_PASSWORD = "jekyll-migrate-Test-1234"
OWNER_NAME = "Test Owner"
BOOT_TIMEOUT = 120.0
URL_SAFE = "/!$&'()*+,;=:@-._~"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class GhostServer:
    """A real Ghost 6 on 127.0.0.1 with its data in ``workdir``; import is synchronous (NODE_ENV=testing)."""

    def __init__(self, home: Path, workdir: Path) -> None:
        self.home = home
        self.app = home / "ghost"
        self.node = home / "node" / "bin" / "node"
        self.workdir = workdir
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "ghost.log"
        self.session = requests.Session()
        self.session.headers["Origin"] = self.base

    def start(self) -> None:
        content = self.workdir / "content"
        shutil.copytree(self.app / "content", content)
        env = {
            **os.environ,
            "PATH": f"{self.node.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            # testing mode runs the import in the request and answers with its "problems"; it reads its
            # fixtures from the test tree, which the npm package lacks, hence the two paths.
            "NODE_ENV": "testing",
            "url": self.base,
            "server__host": "127.0.0.1",
            "server__port": str(self.port),
            "database__client": "better-sqlite3",
            "database__connection__filename": str(self.workdir / "ghost.db"),
            "paths__contentPath": str(content),
            "paths__fixtures": "core/server/data/schema/fixtures/fixtures",
            "paths__defaultSettings": "core/server/data/schema/default-settings/default-settings.json",
            "privacy__useTinfoil": "true",
            "logging__level": "warn",
        }
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(self.node), "index.js"],
            cwd=self.app,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Ghost exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.base + "/ghost/api/admin/site/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"Ghost did not answer within {BOOT_TIMEOUT:.0f} s:\n{self.log_tail()}")
        self._setup()

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def api(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.session.request(method, self.base + "/ghost/api/admin" + path, timeout=600, **kw)

    def _setup(self) -> None:
        setup = {
            "setup": [
                {
                    "name": OWNER_NAME,
                    "email": OWNER_EMAIL,
                    "password": OWNER_PASSWORD,
                    "blogTitle": "jekyll-migrate acceptance",
                }
            ]
        }
        r = self.api("POST", "/authentication/setup/", json=setup)
        assert r.status_code == 201, r.text
        r = self.api("POST", "/session/", json={"username": OWNER_EMAIL, "password": OWNER_PASSWORD})
        assert r.status_code == 201, r.text

    def wipe(self) -> None:
        """Delete all content, and every user but the owner (``DELETE /db/`` keeps users); Ghost's own
        routes again when a test uploaded others."""
        r = self.api("DELETE", "/db/")
        assert r.status_code == 204, r.text
        if getattr(self, "custom_routes", False):
            default = self.workdir / "default-routes.yaml"
            default.write_text(DEFAULT_ROUTES, "utf-8")
            self.upload_routes(default)
            self.custom_routes = False
        for user in self.everything("users", filter_=None, include="roles"):
            if all(role["name"] != "Owner" for role in user.get("roles", ())):
                r = self.api("DELETE", f"/users/{user['id']}/")
                assert r.status_code == 204, r.text

    def import_file(self, path: Path) -> dict[str, Any]:
        with path.open("rb") as fh:
            r = self.api("POST", "/db/", files={"importfile": (path.name, fh, "application/zip")})
        assert r.status_code == 200, f"import answered {r.status_code}: {r.text[:2000]}\n{self.log_tail()}"
        return r.json()

    def upload_redirects(self, path: Path) -> None:
        with path.open("rb") as fh:
            r = self.api(
                "POST", "/redirects/upload/", files={"redirects": (path.name, fh, "application/x-yaml")}
            )
        assert r.status_code == 200, r.text

    def upload_routes(self, path: Path) -> None:
        """Settings -> Labs -> Routes: a routes.yaml (one collection per language on a multilingual site)."""
        with path.open("rb") as fh:
            r = self.api("POST", "/settings/routes/yaml/", files={"routes": (path.name, fh, "application/x-yaml")})
        assert r.status_code == 200, r.text
        self.custom_routes = path.name != "default-routes.yaml"

    def everything(
        self,
        kind: str,
        *,
        filter_: str | None = "status:[draft,published,scheduled]",
        include: str = "tags,authors",
    ) -> list[dict[str, Any]]:
        """Every post, page or user, following pagination (the API gives at most 100 per request)."""
        items: list[dict[str, Any]] = []
        page: int | None = 1
        while page:
            params = {"formats": "html", "include": include, "limit": "100", "page": str(page)}
            if filter_:
                params["filter"] = filter_
            r = self.api("GET", f"/{kind}/", params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body[kind]
            page = body["meta"]["pagination"]["next"]
        return items


@pytest.fixture(scope="session")
def ghost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GhostServer]:
    installed = (GHOST_HOME / ".installed").is_file() and (GHOST_HOME / "ghost" / "index.js").is_file()
    if not installed:
        message = f"Ghost is not installed in {GHOST_HOME} (run .ci/install-ghost.sh, set GHOST_HOME)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = GhostServer(GHOST_HOME, tmp_path_factory.mktemp("ghost"))
    atexit.register(server.stop)  # also when the session is interrupted
    try:
        server.start()
        yield server
    finally:
        server.stop()


# -- what the site says each document should become ----------------------------------------------------


class _Sources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value or value.startswith("data:"):
                continue
            if (
                (name == "src" and tag in ("img", "video", "audio", "source"))
                or name == "poster"
                or (name == "href" and "/content/" in value)
            ):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


class _TextAndIds(HTMLParser):
    """The visible text (whitespace dropped: Ghost re-flows it) and the ids of an HTML fragment."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids |= {quote(v, safe=URL_SAFE + "%") for k, v in attrs if k == "id" and v}

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", "", "".join(self.parts))


def body_problems(sent_html: str, got_html: str) -> list[str]:
    """What Ghost's conversion lost or moved: text (in order) and in-page link targets (ids)."""
    sent, got = _TextAndIds(sent_html), _TextAndIds(got_html)
    problems = []
    if sent.text != got.text:
        i = next(
            (k for k, (a, b) in enumerate(zip(sent.text, got.text)) if a != b),
            min(len(sent.text), len(got.text)),
        )
        problems.append(
            f"body text differs at {i}: sent {sent.text[max(0, i - 40) : i + 40]!r}, "
            f"Ghost has {got.text[max(0, i - 40) : i + 40]!r}"
        )
    if sent.ids - got.ids:
        problems.append(f"ids lost: {sorted(sent.ids - got.ids)[:10]}")
    return problems


def expected_status(doc: Document) -> str:
    if doc.kind == "draft" or doc.draft or not doc.published:
        return "draft"
    return "scheduled" if doc.future and not doc.built_by_jekyll else "published"


def expected_tags(doc: Document) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for raw in (*doc.categories, *doc.tags):
        name = " ".join(str(raw).split()).lstrip("#,").strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def expected_authors(site: Site, doc: Document) -> list[str] | None:
    """Author names in order, or None when the document names none (Ghost then credits one default)."""
    names: list[str] = []
    for key in doc.authors:
        key = str(key).strip()
        author = next((a for a in site.authors if a.key == key), None) or next(
            (a for a in site.authors if a.name.casefold() == key.casefold()), None
        )
        name = author.name if author else key
        if name and name not in names:
            names.append(name)
    return names or None


def ghost_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_document(site: Site, doc: Document, got: dict[str, Any], sent: dict[str, Any]) -> list[str]:
    """Every difference between what Ghost holds for ``doc`` and what the Jekyll site says."""
    problems = []
    title = " ".join(doc.title.split())
    if title and not (
        got["title"] == title or (len(title) > 255 and title.startswith(got["title"].rstrip("…")))
    ):
        problems.append(f"title {got['title']!r} != {title!r}")
    if got["status"] != expected_status(doc):
        problems.append(f"status {got['status']} != {expected_status(doc)}")
    published = got["published_at"] and ghost_time(got["published_at"])
    if doc.date and got["status"] != "draft" and published != doc.date.replace(microsecond=0):
        problems.append(f"published_at {got['published_at']} != {doc.date.isoformat()}")
    tags = [t["name"] for t in got["tags"] if t.get("visibility") != "internal"]
    if tags != expected_tags(doc):
        problems.append(f"tags {tags} != {expected_tags(doc)}")
    authors = [a["name"] for a in got["authors"]]
    wanted = expected_authors(site, doc)
    # One person spelt two ways ("DirtyF", "dirtyf") is one Ghost user, named after the first spelling.
    if (wanted is not None and [a.casefold() for a in authors] != [w.casefold() for w in wanted]) or (
        wanted is None and len(authors) != 1
    ):
        problems.append(f"authors {authors} != {wanted}")
    has_excerpt = (
        doc.excerpt is not None
        or isinstance(doc.front_matter.get("description"), str)
        or bool(doc.excerpt_separator.strip() and doc.excerpt_separator in doc.body)
    )
    if has_excerpt and sent.get("custom_excerpt") and got["custom_excerpt"] != sent["custom_excerpt"]:
        problems.append(f"custom_excerpt {got['custom_excerpt']!r} != {sent['custom_excerpt']!r}")
    if has_excerpt and not got["custom_excerpt"] and (doc.excerpt or "").strip():
        problems.append("custom_excerpt missing")
    return problems


def old_urls(doc: Document) -> list[str]:
    """The URLs Jekyll served ``doc`` under: its own and its jekyll-redirect-from entries."""
    if not doc.built_by_jekyll or doc.output_path is None:
        return []
    urls = [doc.url]
    for entry in doc.redirect_from:
        if entry.startswith("/") and not entry.startswith("//") and "#" not in entry:
            urls.append(entry)
    return list(dict.fromkeys(urls))


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ghost"
FIXTURE_SITES = sorted(p.parent for p in FIXTURES.glob("*/_config.yml"))
"""Tiny sites for one Ghost rule each (``own-urls``: every document whose old URL has Ghost's ``/slug/`` shape
keeps it, before any other document may take that slug)."""


@pytest.mark.parametrize("site_dir", all_sites() + FIXTURE_SITES, ids=site_id)
def test_ghost_imports_the_whole_site(
    ghost: GhostServer, site_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from migrate.export import build_plan
    from migrate.reader import read_site

    started = time.monotonic()
    report = Report()
    site = read_site(site_dir)
    options, problems = GhostExporter.validate_options({})
    assert problems == []
    plan = build_plan(site, GhostExporter, options, report)
    out = tmp_path / "out"
    write_plan(plan, out)
    sent = {
        p["slug"]: p
        for p in json.loads((out / "ghost-import.json").read_text("utf-8"))["db"][0]["data"]["posts"]
    }

    ghost.wipe()
    result = ghost.import_file(out / "ghost-import.zip")
    assert result.get("problems", []) == [], json.dumps(result.get("problems"), indent=1)[:4000]
    if (out / "routes.yaml").is_file():  # a multilingual site: each language's posts at /xx/SLUG/
        ghost.upload_routes(out / "routes.yaml")

    imported = {p["slug"]: p for kind in ("posts", "pages") for p in ghost.everything(kind)}
    exported = [d for d in plan.documents if d.status == "exported"]
    failures: list[str] = []
    found = 0
    for outcome in exported:
        doc = site.document(outcome.source)
        assert doc is not None and outcome.new_url
        slug = outcome.new_url.strip("/").rsplit("/", 1)[-1]  # /SLUG/, or /xx/SLUG/ in a language collection
        got = imported.get(slug)
        if got is None:
            failures.append(f"{doc.source}: no Ghost post with slug {slug!r}")
            continue
        found += 1
        failures += [f"{doc.source}: {p}" for p in check_document(site, doc, got, sent.get(slug, {}))]
        # an empty body is sent as lexical (the editor's empty document), without html
        failures += [f"{doc.source}: {p}" for p in body_problems(sent[slug].get("html", ""), got["html"] or "")]

    images = set()
    for post in imported.values():
        parser = _Sources()
        parser.feed(post.get("html") or "")
        candidates = parser.urls + [post.get("feature_image") or ""]
        images |= {urljoin(ghost.base + post["url"].removeprefix(ghost.base), u) for u in candidates if u}
    # Images on other hosts (hotlinked by the site itself) are not ours to check; every other one must
    # be served by Ghost.
    images = {u for u in images if u.startswith(ghost.base + "/")}
    images_ok = 0
    for url in sorted(images):
        status = requests.get(url, timeout=30).status_code
        if status == 200:
            images_ok += 1
        else:
            failures.append(f"image {url} answered {status}")

    ghost.upload_redirects(out / "redirects.yaml")
    # Old URL -> the new URLs of the documents that claim it. Most have one claimant; a URL two documents
    # claim (a collision the exporter reports) may go to either.
    claims: dict[str, set[str]] = {}
    for outcome in exported:
        doc = site.document(outcome.source)
        assert doc is not None and outcome.new_url
        for old in old_urls(doc):
            claims.setdefault(quote(unquote(old), safe=URL_SAFE), set()).add(outcome.new_url)
    redirected_ok = 0
    for old, targets in sorted(claims.items()):
        if old in targets:  # the document kept its URL
            ok = requests.get(ghost.base + old, allow_redirects=False, timeout=30).status_code == 200
            if not ok:
                failures.append(f"{old} kept its URL but does not answer 200")
        else:
            r = requests.get(ghost.base + old, allow_redirects=False, timeout=30)
            location = urljoin(ghost.base + old, r.headers.get("Location", ""))
            ok = (
                r.status_code == 301
                and location in {ghost.base + t for t in targets}
                and (requests.get(location, allow_redirects=False, timeout=30).status_code == 200)
            )
            if not ok:
                failures.append(
                    f"{old} answered {r.status_code} -> {r.headers.get('Location')} (want {targets})"
                )
        redirected_ok += ok
    checked = len(claims)
    # Every rule of the uploaded file answers as written (feeds, redirect_to pages, external targets).
    for source, target in sorted(set(plan.redirects)):
        r = requests.get(ghost.base + source, allow_redirects=False, timeout=30)
        if r.status_code != 301 or urljoin(ghost.base + source, r.headers.get("Location", "")) != urljoin(
            ghost.base + source, target
        ):
            failures.append(f"rule {source} -> {target}: {r.status_code} {r.headers.get('Location')}")

    with capsys.disabled():
        print(
            f"\nGHOST site={site_dir.name} documents={len(exported)} imported={found} images_ok={images_ok} "
            f"old_urls={checked} redirected_ok={redirected_ok}"
        )
        print(f"GHOST site={site_dir.name} seconds={time.monotonic() - started:.1f}")
    assert not failures, "\n".join(failures[:60])
    assert found == len(exported) and images_ok == len(images) and redirected_ok == checked


@pytest.mark.parametrize("site_dir", [p for p in all_sites() if p.name == "blog-classic"], ids=site_id)
def test_lexical_body_option_imports(ghost: GhostServer, site_dir: Path, tmp_path: Path) -> None:
    """``--body lexical`` (each body one HTML card): imports with no problem, keeps every word and id."""
    import json

    from migrate.export import build_plan
    from migrate.reader import read_site

    site = read_site(site_dir)
    options, problems = GhostExporter.validate_options({"body": "lexical"})
    assert problems == []
    plan = build_plan(site, GhostExporter, options, Report())
    write_plan(plan, tmp_path / "out")
    sent = json.loads((tmp_path / "out" / "ghost-import.json").read_text("utf-8"))["db"][0]["data"]["posts"]
    ghost.wipe()
    result = ghost.import_file(tmp_path / "out" / "ghost-import.zip")
    assert result.get("problems", []) == []
    imported = {p["slug"]: p for kind in ("posts", "pages") for p in ghost.everything(kind)}
    assert sorted(imported) == sorted(p["slug"] for p in sent)
    for post in sent:
        card = json.loads(post["lexical"])["root"]["children"][0]["html"]
        assert body_problems(card, imported[post["slug"]]["html"] or "") == [], post["slug"]


EMBEDS = Path(__file__).resolve().parent.parent / "fixtures" / "embeds"


def test_embed_tags_import_as_ghost_embed_and_bookmark_cards(ghost: GhostServer, tmp_path: Path) -> None:
    """The well-known embed tags (tests/fixtures/embeds) reach Ghost as its own cards: YouTube and Vimeo
    players and tweets as embed cards, any other oEmbed link as a bookmark card; one import."""
    import json

    from migrate.export import build_plan
    from migrate.reader import read_site

    site = read_site(EMBEDS)
    report = Report()
    options, problems = GhostExporter.validate_options({})
    assert problems == []
    write_plan(build_plan(site, GhostExporter, options, report), tmp_path / "out")
    assert not [i for i in report.issues if i.code.startswith("liquid-")]
    ghost.wipe()
    result = ghost.import_file(tmp_path / "out" / "ghost-import.zip")
    assert result.get("problems", []) == []
    r = ghost.api("GET", "/posts/", params={"formats": "lexical,html", "limit": "all"})
    assert r.status_code == 200, r.text
    posts = {p["slug"]: p for p in r.json()["posts"]}
    cards: dict[str, list[dict]] = {}
    for slug, post in posts.items():
        children = json.loads(post["lexical"])["root"]["children"]
        cards[slug] = [c for c in children if c["type"] in ("embed", "bookmark")]
    urls = {slug: [(c["type"], c["url"]) for c in found] for slug, found in cards.items()}
    print("EMBEDS ghost " + " ".join(f"{slug}={len(found)}" for slug, found in sorted(cards.items())))
    assert urls["videos"] == [
        ("embed", "https://www.youtube.com/embed/ho8-vK0L1_8?feature=oembed"),
        ("embed", "https://www.youtube.com/embed/ho8-vK0L1_8?feature=oembed"),
        ("embed", "https://player.vimeo.com/video/76979871"),
        ("embed", "https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed"),
    ]
    assert urls["links"] == [
        ("embed", "https://twitter.com/jekyllrb/status/1098621398325534720"),
        ("bookmark", "https://jekyllrb.com/docs/plugins/"),
        ("embed", "https://player.vimeo.com/video/76979871"),
    ]
    # the embed cards render their player and tweet on the imported posts
    assert posts["videos"]["html"].count('class="kg-card kg-embed-card"') == 4
    assert 'class="twitter-tweet"' in posts["links"]["html"] and "kg-bookmark-card" in posts["links"]["html"]
    # gists keep their script in an HTML card; figures become image cards
    assert "gist.github.com/parkr/c08ee0f2726fd0e3909d.js" in posts["links"]["html"]
    assert posts["figures"]["html"].count("<figcaption>") == 3


DEFAULT_ROUTES = """routes:

collections:
  /:
    permalink: /{slug}/
    template: index

taxonomies:
  tag: /tag/{slug}/
  author: /author/{slug}/
"""
"""Ghost's own routes.yaml."""

GENERATED_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "generated"


@pytest.mark.parametrize("site_dir", all_sites() + sorted(p.parent for p in GENERATED_FIXTURES.glob("*/_config.yml")),
                         ids=site_id)
def test_generated_pages_answer_on_ghost(
    ghost: GhostServer, site_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every page real Jekyll's plugins wrote (pagination, archives, feeds, sitemaps) answers on real Ghost
    after the import and the redirects upload: 200, or 301 to a page that answers 200."""
    from migrate.export import build_plan
    from migrate.reader import read_site
    from migrate.redirects.core import encode_path
    from tests.support.jekyll import cached_jekyll_build
    from tests.support.tz import local_timezone

    build = cached_jekyll_build(site_dir, tmp_path / "jekyll")
    urls = sorted({encode_path(r["url"]) for r in build.records if r["kind"] == "generated" and r["written"]})
    with local_timezone(build.timezone):
        site = read_site(site_dir, now=build.time)
        options, problems = GhostExporter.validate_options({})
        assert problems == []
        plan = build_plan(site, GhostExporter, options, Report())
    out = tmp_path / "out"
    write_plan(plan, out)
    ghost.wipe()
    result = ghost.import_file(out / "ghost-import.zip")
    assert result.get("problems", []) == [], json.dumps(result.get("problems"), indent=1)[:4000]
    if (out / "routes.yaml").is_file():
        ghost.upload_routes(out / "routes.yaml")
    ghost.upload_redirects(out / "redirects.yaml")
    lost = []
    for url in urls:
        r = requests.get(ghost.base + url, allow_redirects=False, timeout=30)
        if r.status_code == 301:
            location = urljoin(ghost.base + url, r.headers.get("Location", ""))
            r = requests.get(location, allow_redirects=True, timeout=30)
        if r.status_code != 200:
            lost.append(f"{url}: {r.status_code} at {r.url}")
    with capsys.disabled():
        print(f"\nGENERATED site={site_dir.name} target=ghost urls={len(urls)} answering={len(urls) - len(lost)}")
    assert not lost, "\n".join(lost[:40])
