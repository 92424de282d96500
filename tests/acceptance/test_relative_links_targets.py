"""Relative ``.md`` links (jekyll-relative-links) lead to the same page on every target.

Real Jekyll builds the GitHub Pages sample with GitHub's plugins (``{{ content }}`` layouts, so only bodies
hold links); each link of a body that leads to a page of the site (among them every ``.md`` link the plugin
rewrote) is paired, in order, with the same link of the exported body. The exported link must lead to the
export's own URL of the same document: on Hugo a file of the real Hugo build at that URL, on WordPress and
Ghost the document's URL in ``migration.json`` or a redirect there that leads to it.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from migrate.export import build_plan
from migrate.exporter import Registry
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.acceptance.test_fidelity import CONTENT_LAYOUTS, build_with_content_layouts, hugo_binary
from tests.conftest import REPO

pytestmark = pytest.mark.acceptance

SAMPLE = REPO / "samples" / "gh-pages-project"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v or "" for k, v in attrs if k == "href")


def hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def path_of(href: str, page_url: str, host: str) -> str | None:
    """The path a link leads to on its own site (None: another site, or no page: ``mailto:``, ``#top``)."""
    parts = urlsplit(urljoin(page_url, href))
    if parts.scheme not in ("http", "https") or (parts.netloc and parts.netloc != host) or not href or href[0] == "#":
        return None
    return unquote(parts.path) or "/"


def jekyll_links(tmp_path: Path) -> tuple[dict[str, list[tuple[str, str | None]]], str]:
    """Each document's links as Jekyll wrote them: (href, the source of the page it leads to, or None), and
    the site's baseurl."""
    _copy, dest, docs = build_with_content_layouts(SAMPLE, tmp_path / "jekyll")
    site = read_site(SAMPLE)
    base = site.baseurl
    host = "jekyll.invalid"
    by_url = {site.baseurl + d["url"]: d["source"] for d in docs if (SAMPLE / d["source"]).is_file()}
    out: dict[str, list[tuple[str, str | None]]] = {}
    for d in docs:
        page = dest / d["destination"]
        if not (SAMPLE / d["source"]).is_file() or not page.is_file() or not d["destination"].endswith(".html"):
            continue
        page_url = f"http://{host}{base}{d['url']}"
        links = []
        for href in hrefs(page.read_text("utf-8")):
            path = path_of(href, page_url, host)
            links.append((href, by_url.get(path) if path is not None else None))
        out[d["source"]] = links
    return out, base


def export(target: str, out: Path, **options: object) -> dict:
    exporter = Registry.load().get(target)
    opts, problems = exporter.validate_options(dict(options))
    assert problems == []
    write_plan(build_plan(read_site(SAMPLE), exporter, opts, Report()), out)
    return json.loads((out / "migration.json").read_text("utf-8"))


def served(manifest: dict) -> tuple[dict[str, str], dict[str, str]]:
    """The export's URL of each document, and its redirects (old path -> new path)."""
    new = {d["source"]: d["new_url"] for d in manifest["documents"] if d.get("new_url")}
    redirects = {src: dst for src, dst in manifest.get("redirects", [])}
    return new, redirects


def _norm(path: str) -> str:
    return path.rstrip("/") or "/"


def check(
    expected: dict[str, list[tuple[str, str | None]]],
    exported: dict[str, list[str]],
    page_urls: dict[str, str],
    host: str,
    leads_to: Callable[[str, str], bool],
) -> tuple[int, list[str]]:
    """(links to pages checked, problems)."""
    checked = 0
    problems: list[str] = []
    for source, links in sorted(expected.items()):
        if source not in exported:
            continue
        ours = exported[source]
        if len(ours) != len(links):
            problems.append(f"{source}: {len(ours)} links, Jekyll wrote {len(links)}: {ours} / {links}")
            continue
        for (theirs, target), href in zip(links, ours):
            if target is None:
                continue
            checked += 1
            path = path_of(href, page_urls[source], host)
            if path is None or not leads_to(path, target):
                problems.append(f"{source}: {href!r} (Jekyll: {theirs!r} -> {target}) does not lead to {target}")
    return checked, problems


@pytest.mark.parametrize("urls", ["keep", "hugo"])
def test_relative_md_links_lead_to_the_same_page_on_hugo(urls: str, tmp_path: Path) -> None:
    expected, _base = jekyll_links(tmp_path)
    out = tmp_path / "hugo"
    manifest = export("hugo", out, urls=urls, no_layouts=True)
    (out / "layouts").mkdir(exist_ok=True)
    for name in CONTENT_LAYOUTS:
        (out / "layouts" / name).write_text("<html><body>{{ .Content }}</body></html>", encoding="utf-8")
    public = out / "public"
    run = subprocess.run([str(hugo_binary()), "--logLevel", "error", "--noBuildLock", "-s", str(out), "-d", str(public)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    base_url = manifest["hugo"]["base_url"]
    host = urlsplit(base_url).netloc
    base_path = urlsplit(base_url).path.rstrip("/")
    new, _ = served(manifest)

    def file_at(path: str) -> Path | None:
        rel = path[len(base_path):] if base_path and path.startswith(base_path + "/") else path
        rel = rel.lstrip("/")
        for candidate in ([rel + "index.html"] if rel.endswith("/") or not rel else [rel, rel + "/index.html"]):
            if (public / candidate).is_file():
                return public / candidate
        return None

    page_urls = {s: urljoin(base_url, u) for s, u in new.items()}
    exported = {}
    for source, url in new.items():
        page = file_at(urlsplit(urljoin(base_url, url)).path)
        if page is not None:
            exported[source] = hrefs(page.read_text("utf-8"))

    def leads_to(path: str, target: str) -> bool:
        return target in new and file_at(path) is not None and file_at(path) == file_at(urlsplit(page_urls[target]).path)

    checked, problems = check(expected, exported, page_urls, host, leads_to)
    print(f"RELATIVE_LINKS site=gh-pages-project target=hugo urls={urls} links={checked} "
          f"answering={checked - len(problems)}")
    assert checked >= 10 and problems == []


def _wordpress_bodies(out: Path, manifest: dict) -> dict[str, list[str]]:
    ns = {"content": "http://purl.org/rss/1.0/modules/content/"}
    by_link = {}
    for item in ET.parse(out / "wordpress.xml").getroot().iter("item"):
        body = item.find("content:encoded", ns)
        by_link[urlsplit(item.findtext("link") or "").path] = hrefs(body.text or "" if body is not None else "")
    new, _ = served(manifest)
    return {s: by_link[_norm(u) if _norm(u) in by_link else u] for s, u in new.items() if u in by_link or _norm(u) in by_link}


def _ghost_bodies(out: Path, manifest: dict) -> dict[str, list[str]]:
    data = json.loads((out / "ghost-import.json").read_text("utf-8"))["db"][0]["data"]
    by_slug = {p["slug"]: hrefs(p.get("html") or "") for p in data["posts"]}
    new, _ = served(manifest)
    return {s: by_slug[u.strip("/").split("/")[-1]] for s, u in new.items() if u.strip("/").split("/")[-1] in by_slug}


@pytest.mark.parametrize("target", ["wordpress", "ghost"])
def test_relative_md_links_lead_to_the_same_page_on_wordpress_and_ghost(target: str, tmp_path: Path) -> None:
    expected, _base = jekyll_links(tmp_path)
    out = tmp_path / target
    manifest = export(target, out)
    new, redirects = served(manifest)
    host = "new.invalid"
    page_urls = {s: f"http://{host}{u}" for s, u in new.items()}
    bodies = _wordpress_bodies(out, manifest) if target == "wordpress" else _ghost_bodies(out, manifest)
    skipped = {d["source"] for d in manifest["documents"] if not d.get("new_url")}

    def leads_to(path: str, target_source: str) -> bool:
        for _ in range(5):  # through the export's own redirects
            if target_source in new and _norm(path) == _norm(new[target_source]):
                return True
            nxt = redirects.get(path) or redirects.get(_norm(path))
            if nxt is None:
                break
            path = nxt
        # the site's home page (a README index) becomes the target's own home where it imports no page for it
        return target_source in skipped and _norm(path) == "/" and target_source in ("README.md", "index.md")

    checked, problems = check(expected, bodies, page_urls, host, leads_to)
    print(f"RELATIVE_LINKS site=gh-pages-project target={target} links={checked} answering={checked - len(problems)}")
    assert len(bodies) >= 9 and checked >= 10 and problems == []
