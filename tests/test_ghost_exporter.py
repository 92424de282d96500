"""Ghost exporter unit tests: import JSON, zip, redirects and HTML cards from hand-built IR."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exporters.ghost import GhostExporter
from migrate.testing import run_exporter
from exporters.ghost.cards import CARD_BEGIN, ghost_heading_id, ghost_html
from exporters.ghost.schema import ghost_date
from exporters.ghost.slugs import SlugAllocator, ghost_slug
from migrate.content import Converted
from migrate.errors import OptionError
from migrate.ir import Author, Collection, Document, Site, StaticFile
from migrate.plan import Plan
from migrate.report import Report
from tests.support.budget import examples

GOLDEN = Path(__file__).parent / "golden" / "ghost"
BERLIN = dt.timezone(dt.timedelta(hours=2))
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154"
    "78da63f8cfc0f01f0005000201a5e1a1d90000000049454e44ae426082"
)


def post(name: str, **kw: Any) -> Document:
    values: dict[str, Any] = {
        "kind": "post", "source": f"_posts/2020-01-02-{name}.md", "url": f"/2020/01/02/{name}.html",
        "output_path": f"2020/01/02/{name}.html", "title": name.replace("-", " ").title(), "slug": name,
        "collection": "posts", "date": dt.datetime(2020, 1, 2, 10, 0, tzinfo=BERLIN),
    }  # fmt: skip
    return Document(**{**values, **kw})


def page(source: str, url: str, **kw: Any) -> Document:
    values: dict[str, Any] = {
        "kind": "page", "source": source, "url": url, "output_path": url.lstrip("/") or "index.html",
        "title": kw.pop("title", source), "slug": Path(source).stem,
    }  # fmt: skip
    return Document(**{**values, **kw})


def make_site(
    tmp_path: Path, documents: list[Document], *, static: dict[str, bytes] | None = None, **kw: Any
) -> Site:
    files = []
    for source, content in (static or {}).items():
        path = tmp_path / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        files.append(StaticFile(source=source, url="/" + source, size=len(content)))
    return Site(source_dir=str(tmp_path), documents=tuple(documents), static_files=tuple(files), **kw)


class Run:
    """One export of a hand-built site, through the exporter-author harness (migrate.testing)."""

    def __init__(
        self,
        site: Site,
        options: dict[str, Any] | None = None,
        convert: Callable[[Document], Converted] | None = None,
    ) -> None:
        body = convert or (lambda d: Converted(body="<p>x</p>"))
        export = run_exporter(GhostExporter, site, options, converter=lambda doc, targets: body(doc))
        self.exporter, self.report, self.plan, self.targets = export.exporter, export.report, export.plan, export.targets
        self.json = json.loads(self.plan.files["ghost-import.json"].content or b"")
        self.data = self.json["db"][0]["data"]

    def post(self, slug: str) -> dict[str, Any]:
        return next(p for p in self.data["posts"] if p["slug"] == slug)

    def codes(self) -> list[str]:
        return [i.code for i in self.report.issues]

    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.plan.files["ghost-import.zip"].content or b""))

    def outcome(self, source: str) -> Any:
        return next(d for d in self.plan.documents if d.source == source)


# -- file shape -----------------------------------------------------------------------------------------


def test_file_has_ghost6_shape_and_semver_version(tmp_path: Path) -> None:
    run = Run(make_site(tmp_path, [post("hello")]))
    meta = run.json["db"][0]["meta"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert set(run.data) == {
        "posts",
        "posts_meta",
        "tags",
        "posts_tags",
        "users",
        "roles",
        "roles_users",
        "posts_authors",
    }
    assert run.post("hello")["type"] == "post"
    assert re.fullmatch(r"[0-9a-f]{24}", run.post("hello")["id"])


def test_exported_on_is_the_newest_document_date_not_the_clock(tmp_path: Path) -> None:
    docs = [
        post("a"),
        post("b", date=dt.datetime(2021, 6, 1, 12, 0, tzinfo=dt.timezone.utc)),
        post("c", date=dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc), future=True),
    ]
    run = Run(make_site(tmp_path, docs))
    assert run.json["db"][0]["meta"]["exported_on"] == 1622548800000


def test_now_option_sets_exported_on(tmp_path: Path) -> None:
    run = Run(make_site(tmp_path, [post("a")]), {"now": "2024-02-03T04:05:06Z"})
    assert run.json["db"][0]["meta"]["exported_on"] == 1706933106000


def test_bad_now_option_is_a_problem() -> None:
    _, problems = GhostExporter.validate_options({"now": "yesterday"})
    assert problems and "now" in problems[0]


# -- statuses and dates ------------------------------------------------------------------------------------


def test_statuses(tmp_path: Path) -> None:
    docs = [
        post("live"),
        post("hidden", published=False, built_by_jekyll=False),
        Document(
            kind="draft",
            source="_drafts/idea.md",
            url="/2020/01/05/idea.html",
            output_path=None,
            title="Idea",
            slug="idea",
            collection="posts",
            built_by_jekyll=False,
        ),
        post("later", date=dt.datetime(2099, 1, 1, 12, 0, tzinfo=BERLIN), future=True, built_by_jekyll=False),
    ]
    run = Run(make_site(tmp_path, docs))
    assert {p["slug"]: p["status"] for p in run.data["posts"]} == {
        "live": "published",
        "hidden": "draft",
        "idea": "draft",
        "later": "scheduled",
    }
    assert run.post("later")["published_at"] == "2099-01-01T10:00:00.000Z"


def test_dates_keep_their_offsets_as_utc(tmp_path: Path) -> None:
    doc = post(
        "offset",
        date=dt.datetime(2021, 3, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        last_modified=dt.datetime(2021, 4, 1, 9, 0, tzinfo=dt.timezone.utc),
    )
    p = Run(make_site(tmp_path, [doc])).post("offset")
    assert p["published_at"] == "2021-02-28T20:30:00.000Z"
    assert p["created_at"] == "2021-02-28T20:30:00.000Z"
    assert p["updated_at"] == "2021-04-01T09:00:00.000Z"


def test_ghost_date_of_naive_datetime_is_utc() -> None:
    assert ghost_date(dt.datetime(2020, 1, 1, 12, 0)) == "2020-01-01T12:00:00.000Z"
    assert ghost_date(None) is None


# -- slugs and titles -------------------------------------------------------------------------------------


@given(st.text(max_size=400))
def test_ghost_slug_is_always_valid(text: str) -> None:
    slug = ghost_slug(text)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert len(slug) <= 185


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Hello, World!", "hello-world"),
        ("Don't panic", "dont-panic"),
        ("Привет, мир", "privet-mir"),
        ("Ça va — très bien", "ca-va-tres-bien"),
        ("Straße", "strasse"),
        ("日本語", ""),
    ],
)
def test_ghost_slug_transliterates(text: str, slug: str) -> None:
    assert ghost_slug(text) == slug


def test_slug_allocator_makes_unique_and_avoids_reserved() -> None:
    slugs = SlugAllocator({"rss"})
    assert [slugs.take(s, fallback="post") for s in ("a", "a", "a", "rss", "", "")] == [
        "a",
        "a-2",
        "a-3",
        "rss-post",
        "post",
        "post-2",
    ]
    long = "x" * 185
    assert slugs.take(long, fallback="post") == long
    second = slugs.take(long, fallback="post")
    assert second.endswith("-2") and len(second) <= 191


def test_documents_get_unique_slugs_and_new_urls(tmp_path: Path) -> None:
    docs = [
        post("same"),
        post("same", source="_posts/2021-01-01-same.md", url="/2021/01/01/same.html"),
        post("Привет мир", source="_posts/2020-01-03-privet.md", url="/2020/01/03/x.html"),
        page("about.md", "/about/"),
        page("docs/about.md", "/docs/about/"),
        page("rss.md", "/rss.html"),
    ]
    run = Run(make_site(tmp_path, docs))
    urls = run.targets.document_urls
    assert urls["_posts/2020-01-02-same.md"] == "/same/"
    assert urls["_posts/2021-01-01-same.md"] == "/same-2/"
    assert urls["_posts/2020-01-03-privet.md"] == "/privet-mir/"
    assert urls["about.md"] == "/about/" and urls["docs/about.md"] == "/about-2/"
    assert urls["rss.md"] == "/rss-page/"
    assert sorted(p["slug"] for p in run.data["posts"]) == sorted(
        u.strip("/") for u in (urls[d.source] for d in docs)
    )


def test_a_documents_own_old_url_keeps_showing_it(tmp_path: Path) -> None:
    """An old URL of Ghost's /SLUG/ shape gives that slug to its own document first (before posts and
    before documents sorted earlier); a numbered slug skips every other document's old URL, redirect_from
    entries included."""
    docs = [
        page("_articles/ar/guide.md", "/ar/guide/", kind="document", collection="articles"),
        page("_articles/guide.md", "/guide/", kind="document", collection="articles"),
        page("_articles/guide-2.md", "/guide-2/", kind="document", collection="articles"),
        post("about"),
        page("about.md", "/about/"),
        post("news"),
        page("old.md", "/old.html", redirect_from=("/news/",)),
        page("tag.md", "/tag/"),
    ]
    urls = Run(make_site(tmp_path, docs)).targets.document_urls
    assert urls["_articles/guide.md"] == "/guide/" and urls["_articles/guide-2.md"] == "/guide-2/"
    assert urls["_articles/ar/guide.md"] == "/guide-3/"
    assert urls["about.md"] == "/about/" and urls["_posts/2020-01-02-about.md"] == "/about-2/"
    assert urls["_posts/2020-01-02-news.md"] == "/news-2/" and urls["old.md"] == "/old/"
    assert urls["tag.md"] == "/tag-page/"  # Ghost's own route: the page cannot keep it


def test_long_title_is_cut_with_a_warning(tmp_path: Path) -> None:
    run = Run(make_site(tmp_path, [post("long", title="word " * 80)]))
    title = run.post("long")["title"]
    assert 0 < len(title) <= 255 and title.startswith("word word")
    assert "ghost-title-cut" in run.codes()


def test_missing_title_falls_back(tmp_path: Path) -> None:
    assert Run(make_site(tmp_path, [post("untitled", title="  ")])).post("untitled")["title"] == "untitled"


# -- tags, authors, excerpt, meta ----------------------------------------------------------------------


def test_tags_categories_first_in_order_with_join_table(tmp_path: Path) -> None:
    doc = post("t", categories=("News", "release notes"), tags=("python", "news", "#hash", "Python"))
    run = Run(make_site(tmp_path, [doc]))
    names = {t["id"]: t["name"] for t in run.data["tags"]}
    joins = sorted(
        (j for j in run.data["posts_tags"] if j["post_id"] == run.post("t")["id"]),
        key=lambda j: j["sort_order"],
    )
    assert [names[j["tag_id"]] for j in joins] == ["News", "release notes", "python", "hash"]
    assert [j["sort_order"] for j in joins] == [0, 1, 2, 3]
    assert {t["slug"] for t in run.data["tags"]} == {"news", "release-notes", "python", "hash"}


def test_tags_are_shared_between_posts(tmp_path: Path) -> None:
    run = Run(make_site(tmp_path, [post("a", tags=("x",)), post("b", tags=("X",), source="_posts/b.md")]))
    assert len(run.data["tags"]) == 1 and len(run.data["posts_tags"]) == 2


def test_authors_users_roles_and_join_table(tmp_path: Path) -> None:
    authors = (
        Author(
            key="ada",
            name="Ada Example",
            email="ada@example.org",
            bio="Dates.",
            extra={"avatar": "/assets/ada.png"},
        ),
        Author(key="grace", name="Grace Sample", url="https://grace.example.org", extra={"role": "editor"}),
    )
    docs = [
        post("a", authors=("grace", "ada")),
        post("b", source="_posts/b.md", authors=("Someone Else",)),
        post("c", source="_posts/c.md"),
    ]
    run = Run(make_site(tmp_path, docs, static={"assets/ada.png": PNG}, authors=authors))
    users = {u["id"]: u for u in run.data["users"]}
    by_post: dict[str, list[str]] = {}
    for j in sorted(run.data["posts_authors"], key=lambda j: j["sort_order"]):
        by_post.setdefault(j["post_id"], []).append(users[j["author_id"]]["name"])
    assert by_post[run.post("a")["id"]] == ["Grace Sample", "Ada Example"]
    assert by_post[run.post("b")["id"]] == ["Someone Else"]
    assert run.post("c")["id"] not in by_post  # Ghost gives it the importing owner
    ada = next(u for u in users.values() if u["slug"] == "ada")
    assert ada["email"] == "ada@example.org" and ada["bio"] == "Dates."
    assert ada["profile_image"].startswith("/content/images/")
    other = next(u for u in users.values() if u["name"] == "Someone Else")
    assert other["email"] == "someone-else@example.invalid"
    roles = {r["id"]: r["name"] for r in run.data["roles"]}
    assert {users[ru["user_id"]]["slug"]: roles[ru["role_id"]] for ru in run.data["roles_users"]} == {
        "ada": "Author",
        "grace": "Editor",
        "someone-else": "Author",
    }


def test_site_author_is_the_default(tmp_path: Path) -> None:
    run = Run(
        make_site(tmp_path, [post("a")], config={"author": {"name": "Site Owner", "email": "o@example.org"}})
    )
    assert [u["name"] for u in run.data["users"]] == ["Site Owner"]
    assert len(run.data["posts_authors"]) == 1


def test_excerpt_from_front_matter_description_and_cut(tmp_path: Path) -> None:
    docs = [
        post("ex", excerpt="The *short* version."),
        post("desc", source="_posts/d.md", front_matter={"description": "Said   plainly."}),
        post("long", source="_posts/l.md", front_matter={"description": "blah " * 100}),
        post("none", source="_posts/n.md"),
    ]

    def convert(doc: Document) -> Converted:
        return Converted(
            body="<p>x</p>", excerpt="<p>The <em>short</em> version.</p>" if doc.excerpt else None
        )

    run = Run(make_site(tmp_path, docs), convert=convert)
    assert run.post("ex")["custom_excerpt"] == "The short version."
    assert run.post("desc")["custom_excerpt"] == "Said plainly."
    assert len(run.post("long")["custom_excerpt"]) <= 300
    assert "custom_excerpt" not in run.post("none")
    assert "ghost-excerpt-cut" in run.codes()


def test_posts_meta(tmp_path: Path) -> None:
    doc = post(
        "m",
        front_matter={
            "description": "D" * 600,
            "seo": {"title": "SEO title"},
            "image": {"path": "/assets/c.png", "alt": "Cover", "caption": "A cover"},
        },
    )
    run = Run(make_site(tmp_path, [doc], static={"assets/c.png": PNG}))
    (meta,) = run.data["posts_meta"]
    assert meta["post_id"] == run.post("m")["id"]
    assert meta["meta_title"] == "SEO title"
    assert len(meta["meta_description"]) <= 500
    assert meta["feature_image_alt"] == "Cover" and meta["feature_image_caption"] == "A cover"
    assert "ghost-field-cut" in run.codes()


def test_canonical_url(tmp_path: Path) -> None:
    docs = [
        post("abs", front_matter={"canonical_url": "https://elsewhere.example/x"}),
        post("rel", source="_posts/r.md", front_matter={"canonical_url": "/original/"}),
    ]
    run = Run(make_site(tmp_path, docs, url="https://old.example"))
    assert run.post("abs")["canonical_url"] == "https://elsewhere.example/x"
    assert run.post("rel")["canonical_url"] == "https://old.example/original/"


# -- assets ------------------------------------------------------------------------------------------


def test_feature_image_and_body_assets_travel_in_the_zip(tmp_path: Path) -> None:
    static = {
        "assets/img/cover.png": PNG,
        "assets/files/guide.pdf": b"%PDF-1.4 x",
        "assets/My Pic.png": PNG,
        "other/cover.png": PNG + b"2",
        "assets/app.exe": b"MZ",
    }
    doc = post(
        "pics",
        front_matter={"image": "/assets/img/cover.png"},
        date=dt.datetime(2019, 7, 3, 12, 0, tzinfo=dt.timezone.utc),
        body="![](/assets/My Pic.png) ![](/other/cover.png) cover.png guide.pdf app.exe",
    )
    site = make_site(tmp_path, [doc], static=static)

    def convert(d: Document) -> Converted:
        return Converted(
            body="<p>x</p>",
            assets=("assets/files/guide.pdf", "assets/My Pic.png", "other/cover.png", "assets/app.exe"),
        )

    run = Run(site, convert=convert)
    assert run.post("pics")["feature_image"] == "/content/images/2019/07/cover.png"
    url_of = {s: run.targets.asset_url(doc, f) for s, f in ((f.source, f) for f in site.static_files)}
    assert url_of["assets/files/guide.pdf"] == "/content/files/2019/07/guide.pdf"
    assert url_of["assets/My Pic.png"] == "/content/images/2019/07/My-Pic.png"
    assert url_of["other/cover.png"] == "/content/images/2019/07/cover-1.png"
    assert url_of["assets/app.exe"] == "/assets/app.exe"
    archive = run.zip()
    assert archive.read("content/images/2019/07/cover.png") == PNG
    assert archive.read("content/images/2019/07/cover-1.png") == PNG + b"2"
    assert archive.read("content/files/2019/07/guide.pdf") == b"%PDF-1.4 x"
    assert json.loads(archive.read("ghost-import.json")) == run.json
    assert "ghost-asset-not-imported" in run.codes()


def test_missing_feature_image_is_a_warning(tmp_path: Path) -> None:
    run = Run(make_site(tmp_path, [post("a", front_matter={"image": "/nowhere.png"})]))
    assert "feature_image" not in run.post("a")
    assert "ghost-image-missing" in run.codes()


def test_zip_is_deterministic_and_sorted(tmp_path: Path) -> None:
    static = {"assets/b.png": PNG, "assets/a.png": PNG}
    doc = post("z", body="a.png b.png")
    convert = lambda d: Converted(body="<p>x</p>", assets=("assets/b.png", "assets/a.png"))
    first = Run(make_site(tmp_path, [doc], static=static), convert=convert)
    second = Run(make_site(tmp_path, [doc], static=static), convert=convert)
    assert first.plan.files["ghost-import.zip"].content == second.plan.files["ghost-import.zip"].content
    infos = first.zip().infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


# -- pages, collections, redirects -------------------------------------------------------------------


def test_which_pages_become_ghost_pages(tmp_path: Path) -> None:
    docs = [
        page("index.html", "/"),
        page("404.html", "/404.html"),
        page("feed.xml", "/feed.xml", output_ext=".xml"),
        page("about.md", "/about/"),
        page("moved.md", "/moved/", redirect_to="/about/"),
    ]
    run = Run(make_site(tmp_path, docs))
    assert [(p["slug"], p["type"]) for p in run.data["posts"]] == [("about", "page")]
    assert {d.source: d.status for d in run.plan.documents} == {
        "index.html": "skipped",
        "404.html": "skipped",
        "feed.xml": "skipped",
        "about.md": "exported",
        "moved.md": "skipped",
    }
    assert run.targets.document_urls["moved.md"] == "/about/"


def collection_docs() -> tuple[list[Document], tuple[Collection, ...]]:
    docs = [
        Document(
            kind="document",
            source="_docs/install.md",
            url="/docs/install/",
            output_path="docs/install/index.html",
            title="Install",
            slug="install",
            collection="docs",
        ),
        Document(
            kind="document",
            source="_notes/n.md",
            url="/notes/n/",
            output_path=None,
            title="N",
            slug="n",
            collection="notes",
        ),
    ]
    return docs, (Collection("docs", True, "/docs/:name/", "_docs"), Collection("notes", False, "", "_notes"))


def test_collections_default_to_pages_and_unrendered_ones_are_skipped(tmp_path: Path) -> None:
    docs, collections = collection_docs()
    run = Run(make_site(tmp_path, docs, collections=collections))
    assert [(p["slug"], p["type"]) for p in run.data["posts"]] == [("install", "page")]
    assert run.outcome("_notes/n.md").status == "skipped"
    assert "ghost-collection-skipped" in run.codes()


@pytest.mark.parametrize("choice, expected", [("docs=post", [("install", "post")]), ("docs=skip", [])])
def test_collection_option(tmp_path: Path, choice: str, expected: list[tuple[str, str]]) -> None:
    docs, collections = collection_docs()
    run = Run(make_site(tmp_path, docs, collections=collections), {"collection": [choice]})
    assert [(p["slug"], p["type"]) for p in run.data["posts"]] == expected


def test_collection_option_is_validated(tmp_path: Path) -> None:
    _, problems = GhostExporter.validate_options({"collection": ["docs", "docs=blog"]})
    assert len(problems) == 2
    opts, _ = GhostExporter.validate_options({"collection": ["nosuch=page"]})
    with pytest.raises(OptionError):
        GhostExporter(make_site(tmp_path, []), opts, Report(), Plan("ghost")).prepare()


def test_redirects_are_anchored_escaped_and_percent_encoded(tmp_path: Path) -> None:
    docs = [post("hello", redirect_from=("/old/hello/",)), page("cafe.md", "/caf%C3%A9.html", title="Café")]
    run = Run(make_site(tmp_path, docs))
    rules = yaml.safe_load(run.plan.files["redirects.yaml"].content or b"")[301]
    assert rules[r"^/2020/01/02/hello\.html$"] == "/hello/"
    assert rules[r"^/old/hello/$"] == "/hello/"
    assert rules[r"^/caf%C3%A9\.html$"] == "/cafe/"
    assert all(k.startswith("^") and k.endswith("$") for k in rules)
    entries = json.loads(run.plan.files["redirects.json"].content or b"")
    assert {e["from"]: e["to"] for e in entries} == rules
    for pattern in rules:  # no rule catches a new URL
        assert not any(re.search(pattern, p["slug"].join("//")) for p in run.data["posts"])
    assert ("/2020/01/02/hello.html", "/hello/") in run.plan.redirects


# -- body ----------------------------------------------------------------------------------------------


def test_body_html_gets_cards_and_lexical_option_wraps_everything(tmp_path: Path) -> None:
    body = "<p>a</p>\n<script>x()</script>\n"
    convert = lambda d: Converted(body=body)
    html_run = Run(make_site(tmp_path, [post("b")]), convert=convert)
    assert html_run.post("b")["html"] == ghost_html(body) and CARD_BEGIN in html_run.post("b")["html"]
    lexical_run = Run(make_site(tmp_path, [post("b")]), {"body": "lexical"}, convert=convert)
    p = lexical_run.post("b")
    assert "html" not in p
    assert json.loads(p["lexical"])["root"]["children"] == [{"type": "html", "version": 1, "html": body}]


def _card_cases() -> list[Any]:
    cases = []
    blocks = re.split(r"^\.\n", (GOLDEN / "html-cards.txt").read_text("utf-8"), flags=re.MULTILINE)
    lines = [b for b in blocks]
    i = 0
    while i + 2 < len(lines):
        title = [ln for ln in lines[i].splitlines() if ln.strip() and not ln.startswith("#")][-1]
        cases.append(pytest.param(lines[i + 1], lines[i + 2], id=title))
        i += 3
    return cases


@pytest.mark.parametrize("source, expected", _card_cases())
def test_html_cards(source: str, expected: str) -> None:
    assert ghost_html(source) == expected


def test_featured_and_dry_run_items(tmp_path: Path) -> None:
    docs = [
        post("a", front_matter={"featured": True}),
        post("b", source="_posts/b.md", front_matter={"sticky": "false"}),
    ]
    run = Run(make_site(tmp_path, docs))
    assert run.post("a")["featured"] is True and run.post("b")["featured"] is False
    items = run.plan.itemizers["ghost-import.json"](run.plan.files["ghost-import.json"].read())
    assert {"posts/a", "posts/b"} <= set(items)
    assert json.loads(items["posts/a"])["slug"] == "a"


@pytest.mark.parametrize(
    ("text", "ghost_id"),
    [  # ids a real Ghost 6.65 gave these headings
        ("ℹ️ brew info and brew tap-info", "%E2%84%B9%EF%B8%8F-brew-info-and-brew-tap-info"),
        ("Intro", "intro"),
        ("  Hello   World  ", "hello-world"),
        ("The --help option", "thehelp-option"),
    ],
)
def test_ghost_heading_id(text: str, ghost_id: str) -> None:
    assert ghost_heading_id(text) == ghost_id


@settings(max_examples=examples(300), deadline=None)
@given(
    st.text(alphabet="ab.pngx\0", max_size=200),
    st.lists(st.text(alphabet="ab.pngx", min_size=1, max_size=8), max_size=12),
    st.integers(0, 3),
)
def test_first_mentions_is_find_for_every_name(text: str, names: list[str], scan: int) -> None:
    from unittest import mock

    from exporters.ghost import assets

    names += [text[i : i + n] for i, n in zip(range(0, len(text), 7), range(1, 9)) if text[i : i + n]]
    with mock.patch.object(assets, "_SCAN_PER_NAME", scan):  # few places per name: the name-by-name search too
        found = assets.first_mentions(text, names)
    assert found == {name: text.find(name) for name in names if name in text}


# -- the asset safety net: a cheap check first, the HTML parse only when a value may name a site file --------

_ASSET_HTML = st.lists(st.sampled_from([
    '<img src="/assets/a.png">', "<img src='/assets/b.png' alt=x>", "<img src=/assets/a.png>",
    '<a href="/assets/b.png?x=1#y">b</a>', '<img srcset="/assets/a.png 1x, /assets/b.png 2x">',
    '<a href="/content/images/a.png">', '<a href="#top">', '<a href="mailto:x@y">', '<a href="https://e.org/">',
    '<img src="assets/a.png">', '<a href="/assets/&#97;.png">', 'a = "/assets/a.png"', "x='/assets/b.png",
    '<p title="a=b">', "<!-- <img src=/assets/a.png> -->", "<pre><img src=/assets/b.png></pre>", "=", "'", '"',
    "<", ">", "text", " ", "\n", "<img src = '/assets/a.png' >", '<video poster="/assets/b.png">',
]), max_size=12).map("".join)


@settings(max_examples=examples(300), deadline=None)
@given(body=_ASSET_HTML)
def test_the_cheap_check_never_skips_a_body_the_parser_would_change(body: str) -> None:
    import tempfile

    doc = post("assets")
    with tempfile.TemporaryDirectory() as folder:
        run = Run(make_site(Path(folder), [doc], static={"assets/a.png": PNG, "assets/b.png": PNG}))
        assets = run.exporter.assets
        checked_used: set[str] = set()
        checked = assets.rewrite(body, doc, checked_used)
        parsed_used: set[str] = set()
        original = assets.may_name_site_files
        assets.may_name_site_files = lambda body, doc: True  # type: ignore[method-assign]
        try:
            parsed = assets.rewrite(body, doc, parsed_used)
        finally:
            assets.may_name_site_files = original  # type: ignore[method-assign]
    assert (checked, checked_used) == (parsed, parsed_used)
