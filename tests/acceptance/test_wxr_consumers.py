"""Real WXR consumers read our WordPress export: a strict XML parser, Pelican's importer and
wordpress-export-to-markdown, for every sample site and every corpus.

Needs ``pelican`` and ``lxml`` (PyPI), Debian ``pandoc`` (Pelican converts HTML with it) and Node/npm: the
npm package ``wordpress-export-to-markdown`` is installed once into ``$JEKYLL_MIGRATE_TOOLS`` (default
``~/.cache/jekyll-migrate``) unless ``WETM_DIR`` or ``JM_NPM_PREFIX`` names an npm prefix holding it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import shutil
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

from exporters.wordpress import WordPressExporter, wp_slug
from migrate.export import build_plan
from migrate.ir import Document, Site
from migrate.plan import write_plan
from migrate.report import Report
from tests.conftest import all_sites, sample_sites, site_id

pytestmark = pytest.mark.acceptance

WETM_VERSION = "2.2.2"
NS = {"wp": "http://wordpress.org/export/1.2/", "dc": "http://purl.org/dc/elements/1.1/"}


@dataclass(frozen=True)
class Expected:
    """What a consumer must read for one document, derived from the IR (not from our XML)."""

    source: str
    post_type: str
    title: str
    local: dt.datetime
    gmt: dt.datetime
    slug: str
    status: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]


@pytest.fixture(scope="session")
def wetm_index() -> Path:
    given = os.environ.get("WETM_DIR") or os.environ.get("JM_NPM_PREFIX")
    root = (
        Path(given)
        if given and (Path(given) / "node_modules/wordpress-export-to-markdown/index.js").exists()
        else Path(os.environ.get("JEKYLL_MIGRATE_TOOLS", Path.home() / ".cache" / "jekyll-migrate"))
        / f"wetm-{WETM_VERSION}"
    )
    index = root / "node_modules" / "wordpress-export-to-markdown" / "index.js"
    if not index.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install wordpress-export-to-markdown")
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(root),
                "--no-audit",
                "--no-fund",
                f"wordpress-export-to-markdown@{WETM_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return index


@pytest.fixture(scope="session")
def pelican_import() -> str:
    found = shutil.which("pelican-import")
    if found is None or shutil.which("pandoc") is None:
        pytest.fail(
            "pelican-import (pip install pelican lxml) and pandoc (apt-get install pandoc) are needed"
        )
    return found


def expected_documents(site: Site, plan_documents: list, structure: str) -> list[Expected]:
    """One entry per exported document: fields from the IR; the slug from the URL the export promises."""
    docs = {d.source: d for d in site.documents}
    out = []
    for outcome in plan_documents:
        if outcome.status != "exported":
            continue
        doc: Document = docs[outcome.source]
        is_post = doc.kind in ("post", "draft")
        status = "draft" if (doc.draft or not doc.published) else ("future" if doc.future else "publish")
        when = doc.date
        if when is not None and doc.kind in ("page", "document") and when.microsecond:
            when = None  # Jekyll's build time stands in for a missing date: no date to keep
        if doc.kind == "draft" and "date" not in doc.front_matter:
            when = None  # a draft's file time is no date to keep (it changes with every checkout)
        out.append(
            Expected(
                source=doc.source,
                post_type="post" if is_post else "page",
                title=" ".join(doc.title.split()),
                local=when.replace(tzinfo=None) if when else None,  # type: ignore[arg-type]
                gmt=when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when else None,  # type: ignore[arg-type]
                slug=_slug_from_url(outcome.new_url, structure, is_post),
                status=status,
                categories=tuple(dict.fromkeys(c for c in doc.categories if c.strip())) if is_post else (),
                tags=tuple(dict.fromkeys(t for t in doc.tags if t.strip())) if is_post else (),
            )
        )
    return out


def _slug_from_url(url: str, structure: str, is_post: bool) -> str:
    path = url.rstrip("/")
    if is_post:
        suffix = structure.split("%postname%", 1)[1].rstrip("/")
        if suffix and path.endswith(suffix):
            path = path[: -len(suffix)]
    return path.rsplit("/", 1)[-1]


def read_pelican(folder: Path) -> dict[tuple[str, str], dict[str, str]]:
    """Every file pelican-import wrote: (kind, slug) -> header fields."""
    out = {}
    for path in sorted(folder.rglob("*.md")):
        header: dict[str, str] = {}
        for line in path.read_text("utf-8").split("\n\n", 1)[0].splitlines():
            key, sep, value = line.partition(": ")
            if sep:
                header[key] = value
        kind = "page" if path.parent.name == "pages" else "post"
        out[(kind, header.get("Slug", ""))] = header
    return out


def read_wetm(folder: Path) -> dict[tuple[str, str], dict[str, object]]:
    """Every file wordpress-export-to-markdown wrote: (type, slug) -> front matter."""
    out = {}
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text("utf-8")
        front = text.split("---\n", 2)[1]
        data: dict[str, object] = {}
        key = None
        for line in front.splitlines():
            if line.startswith("  - "):
                assert key is not None
                data.setdefault(key, [])
                data[key].append(_unquote_wetm(line[4:]))  # type: ignore[union-attr]
            else:
                key, _, value = line.partition(": ")
                key = key.rstrip(":")
                if value:
                    data[key] = _unquote_wetm(value)
        out[(path.parent.name, path.stem)] = data
    return out


def _unquote_wetm(value: str) -> str:
    value = value.strip()
    if value.startswith('"') and value.endswith('"'):
        value = value[1:-1]
    return value.replace('\\"', '"')


def same_title(got: object, jekyll_title: str) -> bool:
    """A WordPress title is HTML, as Jekyll's layouts print ``page.title``: ``Pr&aacute;cticas`` in front
    matter is what a reader sees as ``Prácticas``, whichever of the two a consumer hands back."""
    return isinstance(got, str) and html.unescape(got.strip()) == html.unescape(jekyll_title.strip())


def pelican_matches(exp: Expected, got: dict[str, str] | None) -> list[str]:
    if got is None:
        return ["not read"]
    problems = []
    if not same_title(got.get("Title"), exp.title):
        problems.append(f"title {got.get('Title')!r} != {exp.title!r}")
    if exp.local is not None and got.get("Date") != exp.local.strftime("%Y-%m-%d %H:%M"):
        problems.append(f"date {got.get('Date')} != {exp.local:%Y-%m-%d %H:%M}")
    want_status = "published" if exp.status == "publish" else exp.status
    if got.get("Status") != want_status:
        problems.append(f"status {got.get('Status')} != {want_status}")
    if got.get("Category", "") != ", ".join(exp.categories):
        problems.append(f"categories {got.get('Category')!r} != {exp.categories}")
    if got.get("Tags", "") != ", ".join(exp.tags):
        problems.append(f"tags {got.get('Tags')!r} != {exp.tags}")
    return problems


def wetm_matches(exp: Expected, got: dict[str, object] | None) -> list[str]:
    if got is None:
        return ["not read"]
    problems = []
    if not same_title(got.get("title"), exp.title):
        problems.append(f"title {got.get('title')!r} != {exp.title!r}")
    if exp.gmt is not None and got.get("date") != exp.gmt.strftime("%Y-%m-%d"):
        problems.append(f"date {got.get('date')} != {exp.gmt:%Y-%m-%d}")
    want_cats = [wp_slug(c) for c in exp.categories if wp_slug(c) != "uncategorized"]
    if [unquote(str(c)) for c in got.get("categories", [])] != [unquote(c) for c in dict.fromkeys(want_cats)]:
        problems.append(f"categories {got.get('categories')} != {want_cats}")
    want_tags = [wp_slug(t) for t in exp.tags]
    if [unquote(str(t)) for t in got.get("tags", [])] != [unquote(t) for t in dict.fromkeys(want_tags)]:
        problems.append(f"tags {got.get('tags')} != {want_tags}")
    return problems


@pytest.mark.parametrize("site_path", all_sites(), ids=site_id)
def test_wxr_is_read_by_real_consumers(
    site_path: Path, tmp_path: Path, wetm_index: Path, pelican_import: str
) -> None:
    check_consumers(site_path, tmp_path, wetm_index, pelican_import, {})


@pytest.mark.parametrize("site_path", sample_sites(), ids=site_id)
def test_split_wxr_files_are_each_read_by_real_consumers(
    site_path: Path, tmp_path: Path, wetm_index: Path, pelican_import: str
) -> None:
    check_consumers(site_path, tmp_path, wetm_index, pelican_import, {"split_size": "8KB"}, split=True)


def check_consumers(
    site_path: Path,
    tmp_path: Path,
    wetm_index: Path,
    pelican_import: str,
    values: dict[str, str],
    *,
    split: bool = False,
) -> None:
    from migrate.reader import read_site

    site = read_site(str(site_path), drafts=True, future=True, unpublished=True)
    report = Report()
    options, problems = WordPressExporter.validate_options(values)
    assert not problems
    plan = build_plan(site, WordPressExporter, options, report)
    out = tmp_path / "out"
    write_plan(plan, out)
    structure = plan.manifest_extra["permalink_structure"]
    wxr_files = plan.manifest_extra["wxr_files"]
    if split:
        assert len(wxr_files) > 1, wxr_files
    expected = expected_documents(site, plan.documents, structure)

    # 1. a strict XML parser (expat: well-formedness, namespaces) reads every file, and every document is in it
    in_xml: dict[str, ET.Element] = {}
    for name in wxr_files:
        root = ET.parse(out / name).getroot()
        for item in root.iter("item"):
            for meta in item.findall("wp:postmeta", NS):
                if meta.findtext("wp:meta_key", namespaces=NS) == "_jekyll_source":
                    in_xml[meta.findtext("wp:meta_value", namespaces=NS) or ""] = item
    assert sorted(in_xml.keys() & {e.source for e in expected}) == sorted(e.source for e in expected)
    for n, exp in enumerate(expected):
        item = in_xml[exp.source]
        if not exp.title:  # an untitled Jekyll page gets a title made from its file name: any non-empty one
            assert (item.findtext("title") or "").strip(), exp.source
            expected[n] = exp = dataclasses.replace(exp, title=item.findtext("title") or "")
        assert item.findtext("wp:post_type", namespaces=NS) == exp.post_type, exp.source
        assert item.findtext("wp:status", namespaces=NS) == exp.status, exp.source
        assert item.findtext("wp:post_name", namespaces=NS) == exp.slug, exp.source

    # 2. Pelican's importer (statuses publish and draft only, by design)
    pelican_out = tmp_path / "pelican"
    for n, name in enumerate(wxr_files):
        (pelican_out / str(n)).mkdir(parents=True)
        run = subprocess.run(
            [
                pelican_import,
                "--wpfile",
                "-m",
                "markdown",
                "--dir-page",
                "-o",
                str(pelican_out / str(n)),
                str(out / name),
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=1800,
        )
        assert run.returncode == 0, run.stderr[-2000:]
    pelican_read = read_pelican(pelican_out)
    for_pelican = [e for e in expected if e.status in ("publish", "draft")]
    pelican_problems = {
        e.source: pelican_matches(e, pelican_read.get((e.post_type, e.slug))) for e in for_pelican
    }
    read_by_pelican = sum(1 for p in pelican_problems.values() if not p)

    # 3. wordpress-export-to-markdown (skips drafts, by design)
    wetm_out = tmp_path / "wetm"
    for n, name in enumerate(wxr_files):
        run = subprocess.run(
            [
                "node",
                str(wetm_index),
                "--wizard=false",
                f"--input={out / name}",
                f"--output={wetm_out / str(n)}",
                "--include-other-types=true",
                "--post-folders=false",
                "--save-attached-images=false",
                "--save-scraped-images=false",
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=1800,
        )
        assert run.returncode == 0, run.stderr[-2000:]
    wetm_read = read_wetm(wetm_out)
    for_wetm = [e for e in expected if e.status != "draft"]
    wetm_problems = {
        e.source: wetm_matches(e, wetm_read.get((e.post_type, unquote(e.slug)))) for e in for_wetm
    }
    read_by_wetm = sum(1 for p in wetm_problems.values() if not p)

    label = f"{site_path.name}(split into {len(wxr_files)})" if split else site_path.name
    print(
        f"WXR site={label} documents={len(expected)} read_by_pelican={read_by_pelican} "
        f"read_by_wetm={read_by_wetm}"
    )
    print(
        f"    expected: pelican reads publish+draft={len(for_pelican)}, wetm reads publish+future={len(for_wetm)}"
    )
    bad = {k: v for k, v in {**pelican_problems, **wetm_problems}.items() if v}
    assert read_by_pelican == len(for_pelican), {k: v for k, v in pelican_problems.items() if v}
    assert read_by_wetm == len(for_wetm), {k: v for k, v in wetm_problems.items() if v}
    assert not bad


EMBEDS = Path(__file__).resolve().parent.parent / "fixtures" / "embeds"
CONTENT_NS = {"content": "http://purl.org/rss/1.0/modules/content/"}


def test_embed_tags_reach_wordpress_as_oembed_urls(
    tmp_path: Path, wetm_index: Path, pelican_import: str
) -> None:
    """tests/fixtures/embeds: the WXR the real consumers read holds each YouTube, Vimeo, tweet and other
    oEmbed link as its URL alone in a paragraph, which WordPress' auto-embeds expand (``WP_Embed::autoembed``
    matches ``<p>URL</p>``); gists, figures and video files stay HTML."""
    check_consumers(EMBEDS, tmp_path, wetm_index, pelican_import, {})
    contents = {}
    for item in ET.parse(tmp_path / "out" / "wordpress.xml").getroot().iter("item"):
        name = item.findtext("wp:post_name", namespaces=NS) or ""
        contents[name] = item.findtext("content:encoded", namespaces=CONTENT_NS) or ""
    alone = {name: re.findall(r"^<p>(https?://[^\s<>\"]+)</p>$", text, re.MULTILINE)
             for name, text in contents.items()}
    print("EMBEDS wordpress " + " ".join(f"{k}={len(v)}" for k, v in sorted(alone.items())))
    assert alone["videos"] == ["https://www.youtube.com/watch?v=ho8-vK0L1_8"] * 2 + [
        "https://vimeo.com/76979871", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
    assert alone["links"] == ["https://twitter.com/jekyllrb/status/1098621398325534720",
                              "https://jekyllrb.com/docs/plugins/", "https://vimeo.com/76979871"]
    assert "<video " in contents["videos"] and "gist.github.com/parkr" in contents["links"]
    assert contents["figures"].count("<figcaption>") == 3
    # a real consumer carries the URL on its own line into its own format
    pelican_text = "\n".join(p.read_text("utf-8") for p in (tmp_path / "pelican").rglob("*.md"))
    assert re.search(r"^https://vimeo\.com/76979871\s*$", pelican_text, re.MULTILINE), pelican_text[:3000]
