"""Hand-built IR for the WordPress exporter tests (no reader, no content pipeline needed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from exporters.wordpress import WordPressExporter
from migrate.testing import run_exporter
from migrate.content import Converted
from migrate.ir import Author, Collection, Document, Site, StaticFile
from migrate.plan import Plan
from migrate.report import Report

BERLIN_SUMMER = dt.timezone(dt.timedelta(hours=2))
BERLIN_WINTER = dt.timezone(dt.timedelta(hours=1))


def small_site(root: Path) -> Site:
    """A blog with posts, a draft, a future post, pages with a parent, a collection and two images."""
    (root / "assets/img").mkdir(parents=True, exist_ok=True)
    (root / "assets/img/cover.jpg").write_bytes(b"\xff\xd8\xff\xe0fake-jpeg")
    (root / "assets/img/diagram.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    docs = (
        Document(
            kind="post",
            source="_posts/2020-05-27-hello-world.md",
            url="/2020/05/27/hello-world.html",
            output_path="2020/05/27/hello-world.html",
            title="Hello, World",
            slug="hello-world",
            collection="posts",
            date=dt.datetime(2020, 5, 27, 15, 20, tzinfo=BERLIN_SUMMER),
            categories=("Tech",),
            tags=("intro", "Café"),
            authors=("ada",),
            excerpt="Hi",
            body="Hi\n\nthere",
            front_matter={"image": "/assets/img/cover.jpg"},
        ),
        Document(
            kind="post",
            source="blog/_posts/2021-01-01-new-year.md",
            url="/blog/2021/01/01/new-year.html",
            output_path="blog/2021/01/01/new-year.html",
            title="New Year",
            slug="new-year",
            collection="posts",
            date=dt.datetime(2021, 1, 1, 0, 30, tzinfo=BERLIN_WINTER),
            categories=("blog",),
            redirect_from=("/old-new-year/",),
        ),
        Document(
            kind="post",
            source="_posts/2021-01-01-new-year-again.md",
            url="/2021/01/01/new-year-again.html",
            output_path="2021/01/01/new-year-again.html",
            title="New Year",
            slug="new-year-again",
            collection="posts",
            date=dt.datetime(2021, 1, 1, 0, 30, tzinfo=BERLIN_WINTER),
        ),
        Document(
            kind="post",
            source="_posts/2099-01-01-future.md",
            url="/2099/01/01/future.html",
            output_path=None,
            title="From the future",
            slug="future",
            collection="posts",
            date=dt.datetime(2099, 1, 1, 9, 0, tzinfo=BERLIN_WINTER),
            future=True,
            built_by_jekyll=False,
        ),
        Document(
            kind="draft",
            source="_drafts/idea.md",
            url="/2020/06/01/idea.html",
            output_path=None,
            title="An idea",
            slug="idea",
            collection="posts",
            date=dt.datetime(2020, 6, 1, 10, 0, tzinfo=BERLIN_SUMMER),
            built_by_jekyll=False,
        ),
        Document(
            kind="page",
            source="about.md",
            url="/about.html",
            output_path="about.html",
            title="About",
            slug="about",
        ),
        Document(
            kind="page",
            source="guides/index.md",
            url="/guides/",
            output_path="guides/index.html",
            title="Guides",
            slug="index",
        ),
        Document(
            kind="page",
            source="guides/setup.md",
            url="/guides/setup.html",
            output_path="guides/setup.html",
            title="Setup",
            slug="setup",
        ),
        Document(
            kind="page", source="index.html", url="/", output_path="index.html", title="Home", slug="index"
        ),
        Document(
            kind="page",
            source="feed.xml",
            url="/feed.xml",
            output_path="feed.xml",
            title="",
            slug="feed",
            output_ext=".xml",
        ),
        Document(
            kind="page",
            source="moved.md",
            url="/moved.html",
            output_path="moved.html",
            title="Moved",
            slug="moved",
            redirect_to="/about.html",
        ),
        Document(
            kind="document",
            source="_recipes/soup.md",
            url="/recipes/soup/",
            output_path="recipes/soup/index.html",
            title="Soup",
            slug="soup",
            collection="recipes",
        ),
    )
    return Site(
        source_dir=str(root),
        title="Small Blog",
        description="A test blog",
        url="https://blog.example.org",
        language="en",
        timezone="Europe/Berlin",
        config={"plugins": ["jekyll-feed"]},
        authors=(Author(key="ada", name="Ada Lovelace", email="ada@example.org"),),
        collections=(
            Collection("posts", True, "/:categories/:year/:month/:day/:title:output_ext", "_posts"),
            Collection("recipes", True, "/:collection/:path/", "_recipes"),
        ),
        documents=docs,
        static_files=(
            StaticFile("assets/img/cover.jpg", "/assets/img/cover.jpg", 17),
            StaticFile("assets/img/diagram.svg", "/assets/img/diagram.svg", 41),
        ),
    )


def bodies_for(site: Site, targets_urls: Mapping[str, str], asset_base: str) -> dict[str, Converted]:
    """What the content pipeline would hand over: HTML with resolved links and asset URLs."""
    about = targets_urls.get("about.md", "/about.html")
    out = {}
    for doc in site.documents:
        body = f'<p>{doc.title} body\nsecond line</p>\n\n<p>See <a href="{about}">about</a>.</p>'
        assets: tuple[str, ...] = ()
        if doc.source == "_posts/2020-05-27-hello-world.md":
            body += (
                f'\n<p><img src="{asset_base}/assets/img/cover.jpg" alt="c"></p>\n'
                f'<p><img src="{asset_base}/assets/img/diagram.svg" alt="d"></p>\n'
                "<pre><code>a ]]> b\n\n  indented\n</code></pre>\n<div>\n\n<p>in a div</p>\n\n</div>"
                "\x07"
            )
            assets = ("assets/img/cover.jpg", "assets/img/diagram.svg")
        if doc.source == "about.md":
            assets = ("assets/img/cover.jpg",)
        out[doc.source] = Converted(body=body, excerpt="<p>Hi</p>" if doc.excerpt else None, assets=assets)
    return out


def export(site: Site, options: Mapping[str, Any] | None = None) -> tuple[Plan, Report]:
    """Run the exporter through the exporter-author harness (migrate.testing), with hand-made conversions."""
    converted: dict[str, Converted] = {}

    def convert(doc: Document, targets: Any) -> Converted:
        if not converted:
            probe = Document(kind="page", source="x", url="/x", output_path=None, title="x", slug="x")
            base = targets.asset_url(probe, StaticFile("a", "", 0))
            converted.update(bodies_for(site, targets.document_urls, base))
        return converted[doc.source]

    run = run_exporter(WordPressExporter, site, options, converter=convert)
    return run.plan, run.report
