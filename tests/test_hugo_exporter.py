"""Unit tests of the Hugo exporter on hand-built IR: placement, URLs, front matter, assets, config."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import tomllib
import yaml

from exporters.hugo import HugoExporter
from migrate.testing import run_exporter
from migrate.content import Converted
from migrate.ir import Collection, Document, Site, StaticFile
from migrate.plan import Plan
from migrate.report import Report

PST = dt.timezone(dt.timedelta(hours=-8))


def post(name: str, url: str, **kw) -> Document:
    values = {
        "kind": "post", "source": f"_posts/2020-01-02-{name}.md", "url": url,
        "output_path": url.lstrip("/") + ("index.html" if url.endswith("/") else ""),
        "title": name.title(), "slug": name, "collection": "posts",
        "date": dt.datetime(2020, 1, 2, 10, 0, tzinfo=PST), "body": f"Body of {name}.\n",
    }
    return Document(**{**values, **kw})


def page(source: str, url: str, **kw) -> Document:
    values = {
        "kind": "page", "source": source, "url": url,
        "output_path": url.lstrip("/") + ("index.html" if url.endswith("/") else ""),
        "title": source, "slug": Path(source).stem, "body": "A page.\n",
    }
    return Document(**{**values, **kw})


def make_site(tmp_path: Path, documents, static=(), permalink="/news/:year/:month/:day/:title/", **kw) -> Site:
    for asset in static:
        target = tmp_path / asset.source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x89PNG fake")
    values = {
        "source_dir": str(tmp_path), "title": "Test site", "url": "https://example.org",
        "timezone": "America/Los_Angeles", "collections": (Collection("posts", True, permalink, "_posts"),),
        "documents": tuple(documents), "static_files": tuple(static),
    }
    return Site(**{**values, **kw})


def run(site: Site, *, rewrite_assets: bool = True, **options):
    def convert(doc, targets):
        excerpt = doc.excerpt if doc.excerpt is not None else doc.body.split("\n\n")[0]
        body = doc.body
        if rewrite_assets:  # what the content pipeline does with each asset reference
            for asset in site.static_files:
                body = body.replace(asset.url, targets.asset_url(doc, asset))
        return Converted(body=body, excerpt=excerpt)

    export = run_exporter(HugoExporter, site, options, converter=convert)
    return export.plan, export.report, export.targets


def own_issues(plan: Plan, report: Report) -> list:
    """The issues the Hugo exporter reported, without the redirect map's (the core reports those for
    every target)."""
    return [i for i in report.issues if i not in plan.redirect_map.issues]


def front(plan: Plan, path: str) -> dict:
    text = plan.files[path].content.decode()
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def outcome(plan: Plan, source: str):
    return next(d for d in plan.documents if d.source == source)


def test_keep_maps_post_permalink_onto_hugo_tokens(tmp_path):
    late = post("late", "/news/2020/01/02/late/", date=dt.datetime(2020, 1, 2, 23, 30, tzinfo=PST))
    site = make_site(tmp_path, [post("hello", "/news/2020/01/02/hello/"), late])
    plan, _, targets = run(site)
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert config["permalinks"] == {"page": {"posts": "/news/:year/:month/:day/:slug/"}}
    fm = front(plan, "content/posts/late/index.md")
    assert "url" not in fm
    assert fm["slug"] == "late"
    assert fm["date"] == "2020-01-02T23:30:00-08:00"
    assert targets.document_urls["_posts/2020-01-02-late.md"] == "/news/2020/01/02/late/"


def test_keep_uses_url_for_what_tokens_cannot_say(tmp_path):
    odd = post("edge", "/Edge%20Case/2009/08/06/edge.html", output_path="Edge Case/2009/08/06/edge.html")
    bare = post("bare", "/ru/pr-blog/bare", output_path="ru/pr-blog/bare.html")
    site = make_site(tmp_path, [odd, bare], permalink="/:categories/:year/:month/:day/:title:output_ext")
    plan, _, targets = run(site)
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert "permalinks" not in config
    assert front(plan, "content/posts/edge/index.md")["url"] == "/Edge Case/2009/08/06/edge.html"
    assert front(plan, "content/posts/bare/index.md")["url"] == "/ru/pr-blog/bare.html"
    assert targets.document_urls[bare.source] == "/ru/pr-blog/bare"
    assert outcome(plan, odd.source).new_url == "/Edge%20Case/2009/08/06/edge.html"


def test_hugo_policy_gives_hugo_urls_and_aliases_for_old(tmp_path):
    site = make_site(tmp_path, [post("Hello World", "/news/2020/01/02/hello-world/", slug="Hello World"),
                                page("about.md", "/about.html", output_path="about.html")])
    plan, _, targets = run(site, urls="hugo")
    fm = front(plan, "content/posts/hello-world/index.md")
    assert "url" not in fm
    assert fm["aliases"] == ["/news/2020/01/02/hello-world/"]
    assert targets.document_urls["about.md"] == "/about/"
    assert front(plan, "content/about.md")["aliases"] == ["/about.html"]
    assert ("/about.html", "/about/") in plan.redirects


def test_pages_go_under_content_at_their_path(tmp_path):
    docs = [page("index.md", "/", output_path="index.html"),
            page("docs/index.md", "/docs/"),
            page("docs/My Page.md", "/docs/My%20Page.html", output_path="docs/My Page.html")]
    plan, _, _ = run(make_site(tmp_path, docs))
    assert "url" not in front(plan, "content/_index.md")
    assert "url" not in front(plan, "content/docs/_index.md")
    assert front(plan, "content/docs/my-page.md")["url"] == "/docs/My Page.html"


def test_collection_documents_become_a_section(tmp_path):
    doc = Document(kind="document", source="_docs/install/linux.md", url="/docs/install/linux/",
                   output_path="docs/install/linux/index.html", title="Linux", slug="linux",
                   collection="docs")
    hidden = Document(kind="document", source="_notes/a.md", url="/notes/a/", output_path=None,
                      title="A", slug="a", collection="notes")
    site = make_site(tmp_path, [doc, hidden], collections=(
        Collection("posts", True, "/:year/:title/", "_posts"),
        Collection("docs", True, "/:collection/:path/", "_docs"),
        Collection("notes", False, "/:collection/:path/", "_notes")))
    plan, _, targets = run(site)
    assert "url" not in front(plan, "content/docs/install/linux.md")
    fm = front(plan, "content/notes/a.md")
    assert fm["build"] == {"render": "never", "list": "never"}
    assert outcome(plan, "_notes/a.md").new_url is None
    assert "_notes/a.md" not in targets.document_urls


def test_drafts_and_unpublished_become_draft_true(tmp_path):
    draft = post("wip", "/news/2020/01/02/wip/", kind="draft", source="_drafts/wip.md",
                 built_by_jekyll=False)
    hidden = post("hidden", "/news/2020/01/02/hidden/", published=False, built_by_jekyll=False,
                  front_matter={"published": False})
    plan, _, _ = run(make_site(tmp_path, [draft, hidden]))
    for path in ("content/posts/wip/index.md", "content/posts/hidden/index.md"):
        fm = front(plan, path)
        assert fm["draft"] is True
        assert ("date" in fm) == (path == "content/posts/hidden/index.md")  # a draft's date is "now"
        assert "published" not in fm and "published" not in fm.get("jekyll", {})


def test_front_matter_fields_and_jekyll_map(tmp_path):
    doc = post("full", "/news/2020/01/02/full/", categories=("Release", "news"), tags=("ruby",),
               authors=("alice",), excerpt="Short.", last_modified=dt.datetime(2021, 5, 6, 7, 8, 9, tzinfo=PST),
               layout="post", extra={"description": "About it", "image": "/a.png", "custom": {"k": [1, 2]}},
               front_matter={"layout": "post"})
    plan, _, _ = run(make_site(tmp_path, [doc]))
    fm = front(plan, "content/posts/full/index.md")
    assert fm["title"] == "Full"
    assert fm["lastmod"] == "2021-05-06T07:08:09-08:00"
    assert fm["categories"] == ["Release", "news"]
    assert fm["tags"] == ["ruby"]
    assert fm["authors"] == ["alice"]
    assert fm["description"] == "About it"
    assert fm["summary"] == "Short."
    assert fm["jekyll"] == {"image": "/a.png", "custom": {"k": [1, 2]}, "layout": "post"}


def test_toml_front_matter_reads_back(tmp_path):
    doc = post("t", "/news/2020/01/02/t/", extra={"nothing": None, "n": 3})
    plan, _, _ = run(make_site(tmp_path, [doc]), front_matter="toml")
    text = plan.files["content/posts/t/index.md"].content.decode()
    assert text.startswith("+++\n")
    fm = tomllib.loads(text.split("+++\n")[1])
    assert fm["date"] == dt.datetime(2020, 1, 2, 10, 0, tzinfo=PST)
    assert fm["jekyll"] == {"n": 3}


def test_custom_excerpt_separator_becomes_more(tmp_path):
    doc = post("sep", "/news/2020/01/02/sep/", excerpt_separator="<!--cut-->", body="Intro\n<!--cut-->\nRest\n")
    plan, _, _ = run(make_site(tmp_path, [doc]))
    text = plan.files["content/posts/sep/index.md"].content.decode()
    assert "Intro\n<!--more-->\nRest" in text
    assert "summary" not in front(plan, "content/posts/sep/index.md")


def test_redirect_from_becomes_aliases_as_jekyll_writes_them(tmp_path):
    doc = post("moved", "/news/2020/01/02/moved/", redirect_from=("/old", "/older/", "/Ünï.html"))
    plan, report, _ = run(make_site(tmp_path, [doc]))
    assert front(plan, "content/posts/moved/index.md")["aliases"] == ["/old.html", "/older/", "/Ünï.html"]
    assert report.issues == []


def test_alias_that_would_replace_a_page_is_reported_not_written(tmp_path):
    about = page("about.md", "/about/")
    thief = post("thief", "/news/2020/01/02/thief/", redirect_from=("/about/",))
    plan, report, _ = run(make_site(tmp_path, [about, thief]))
    assert "aliases" not in front(plan, "content/posts/thief/index.md")
    assert [i.code for i in own_issues(plan, report)] == ["alias-collision"]
    assert report.issues[0].source == thief.source


def test_redirect_to_page_becomes_static_redirect(tmp_path):
    target = page("new.md", "/new/")
    redirect = page("old.md", "/old/", redirect_to="/new/", redirect_from=("/older",))
    external = page("ext.md", "/ext.html", output_path="ext.html", redirect_to="https://other.example/x")
    plan, _, _ = run(make_site(tmp_path, [target, redirect, external]), urls="hugo")
    text = plan.files["static/old/index.html"].content.decode()
    assert '<meta http-equiv="refresh" content="0; url=https://example.org/new/">' in text
    assert "static/older.html" in plan.files
    assert "url=https://other.example/x" in plan.files["static/ext.html"].content.decode()
    assert not any(p.startswith("content/old") for p in plan.files)
    assert outcome(plan, "old.md").new_url == "/new/"


def test_assets_referenced_by_one_post_move_into_its_bundle(tmp_path):
    own = StaticFile("assets/only.png", "/assets/only.png", 9)
    shared = StaticFile("assets/shared.png", "/assets/shared.png", 9)
    unused = StaticFile("assets/unused.png", "/assets/unused.png", 9)
    a = post("a", "/news/2020/01/02/a/", body="![x](/assets/only.png) ![y](/assets/shared.png)\n")
    b = post("b", "/b.html", output_path="b.html", body="![y]({{ site.baseurl }}/assets/shared.png)\n")
    site = make_site(tmp_path, [a, b], static=[own, shared, unused])
    plan, _, targets = run(site)
    assert plan.files["content/posts/a/only.png"].copy_from == str(tmp_path / "assets/only.png")
    assert "static/assets/shared.png" in plan.files and "static/assets/unused.png" in plan.files
    assert "static/assets/only.png" not in plan.files
    assert targets.asset_url(a, own) == "only.png"
    assert targets.asset_url(b, own) == "/news/2020/01/02/a/only.png"
    assert targets.asset_url(b, shared) == "/assets/shared.png"


@pytest.mark.parametrize("url, output", [
    ("/2020/solo.html", "2020/solo.html"),
    ("/ru/pr-blog/solo", "ru/pr-blog/solo.html"),  # an extensionless permalink: Jekyll writes NAME.html
    ("/%D0%B0/solo", "а/solo.html"),
])
def test_assets_of_a_page_that_is_a_file_stay_static(tmp_path, url, output):
    """Hugo publishes bundle files in a folder named after the page: beside x.html, that folder x/ would
    shadow the extensionless URL /x (hugo server, hosts that look for x/ first). The files stay static."""
    own = StaticFile("img/Only Me.png", "/img/Only%20Me.png", 9)
    doc = post("solo", url, output_path=output, body="<img src='/img/Only%20Me.png'>")
    plan, _, targets = run(make_site(tmp_path, [doc], static=[own]))
    assert "content/posts/solo/Only Me.png" not in plan.files
    assert "static/img/Only Me.png" in plan.files
    assert targets.asset_url(doc, own) == "/img/Only%20Me.png"
    assert plan.manifest_extra["hugo"]["bundled_assets"] == 0


def test_hugo_toml_config(tmp_path):
    site = make_site(tmp_path, [post("a", "/news/2020/01/02/a/")], baseurl="/blog", language="ru",
                     config={"future": True})
    plan, _, targets = run(site)
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert config["baseURL"] == "https://example.org/blog/"
    assert config["title"] == "Test site"
    assert config["locale"] == "ru"
    assert config["timeZone"] == "America/Los_Angeles"
    assert config["buildFuture"] is True
    assert config["markup"]["goldmark"]["renderer"]["unsafe"] is True
    assert config["markup"]["goldmark"]["renderHooks"]["image"]["useEmbedded"] == "fallback"
    assert "last_modified_at" in config["frontmatter"]["lastmod"]
    assert config["taxonomies"] == {"category": "categories", "tag": "tags"}
    assert targets.base_path == "/blog"
    assert targets.document_urls["_posts/2020-01-02-a.md"] == "/news/2020/01/02/a/"


def test_new_site_url_option_wins(tmp_path):
    plan, _, _ = run(make_site(tmp_path, [post("a", "/news/2020/01/02/a/")]),
                     new_site_url="https://new.example/")
    assert tomllib.loads(plan.files["hugo.toml"].content.decode())["baseURL"] == "https://new.example/"


def test_layouts_and_readme(tmp_path):
    plan, _, _ = run(make_site(tmp_path, [post("a", "/news/2020/01/02/a/")]))
    for name in ("baseof", "home", "list", "single", "taxonomy"):
        assert f"layouts/{name}.html" in plan.files
    assert "theme" in plan.files["README.md"].content.decode()
    plan, _, _ = run(make_site(tmp_path, [post("a", "/news/2020/01/02/a/")]), no_layouts=True)
    assert not any(p.startswith("layouts/") for p in plan.files)


@pytest.mark.parametrize("options, message", [
    ({"urls": "pretty"}, "--urls: 'pretty' is not one of keep, hugo"),
    ({"new_site_url": "example.org"}, "--new-site-url: 'example.org' is not an absolute http(s) URL"),
    ({"front_matter": "json"}, "--front-matter: 'json' is not one of yaml, toml"),
])
def test_bad_options_are_reported(options, message):
    _, problems = HugoExporter.validate_options(options)
    assert problems == [message]


def test_same_slug_twice_gets_distinct_bundles(tmp_path):
    one = post("same", "/news/2020/01/02/same/")
    two = post("same", "/news/2021/01/02/same/", source="_posts/2021-01-02-same.md",
               date=dt.datetime(2021, 1, 2, tzinfo=PST))
    plan, _, _ = run(make_site(tmp_path, [one, two]))
    assert "content/posts/same/index.md" in plan.files
    assert "content/posts/2021-01-02-same/index.md" in plan.files
    assert front(plan, "content/posts/2021-01-02-same/index.md")["url"] == "/news/2021/01/02/same/"


def test_output_is_deterministic(tmp_path):
    docs = [post("a", "/news/2020/01/02/a/", redirect_from=("/x",)), page("about.md", "/about/")]
    first, _, _ = run(make_site(tmp_path, docs))
    second, _, _ = run(make_site(tmp_path, docs))
    assert {p: f.read() for p, f in first.files.items()} == {p: f.read() for p, f in second.files.items()}


def test_page_at_a_section_url_becomes_the_section_index(tmp_path):
    listing = page("archive.md", "/posts/")
    plan, _, _ = run(make_site(tmp_path, [listing, post("a", "/news/2020/01/02/a/")]))
    assert "content/archive.md" not in plan.files
    assert "url" not in front(plan, "content/posts/_index.md")


def test_alias_onto_a_hugo_list_page_is_reported(tmp_path):
    doc = post("a", "/news/2020/01/02/a/", redirect_from=("/tags/",))
    plan, report, _ = run(make_site(tmp_path, [doc]))
    assert "aliases" not in front(plan, "content/posts/a/index.md")
    assert [i.code for i in own_issues(plan, report)] == ["alias-collision"]


def test_page_claiming_the_tags_url_switches_off_hugo_taxonomy_list(tmp_path):
    plan, report, _ = run(make_site(tmp_path, [page("tags.html", "/tags/"), post("a", "/news/2020/01/02/a/")]))
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert config["disableKinds"] == ["taxonomy"]
    assert "hugo-kind-disabled" in [i.code for i in report.issues]


def test_feed_keeps_its_url_as_hugo_rss(tmp_path):
    site = make_site(tmp_path, [post("a", "/news/2020/01/02/a/")], config={"plugins": ["jekyll-feed"]})
    plan, _, _ = run(site)
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert config["outputFormats"] == {"rss": {"baseName": "feed"}}


def test_old_url_wins_over_a_generated_section_list(tmp_path):
    doc = Document(kind="document", source="_guides/home.md", url="/guides/home/",
                   output_path="guides/home/index.html", title="Home", slug="home", collection="guides",
                   redirect_from=("/guides/",))
    site = make_site(tmp_path, [doc], collections=(Collection("guides", True, "/:collection/:path/", "_guides"),))
    plan, report, _ = run(site)
    assert report.issues == []
    assert front(plan, "content/guides/home.md")["aliases"] == ["/guides/"]
    assert front(plan, "content/guides/_index.md")["build"] == {"render": "never", "list": "always"}


def test_asset_reference_left_unrewritten_keeps_a_static_copy(tmp_path):
    own = StaticFile("assets/only.png", "/assets/only.png", 9)
    doc = post("a", "/news/2020/01/02/a/", body="![x](/assets/only.png)\n")
    plan, _, _ = run(make_site(tmp_path, [doc], static=[own]), rewrite_assets=False)
    assert "content/posts/a/only.png" in plan.files
    assert "static/assets/only.png" in plan.files


def test_two_documents_claiming_one_old_url_the_later_wins_as_in_jekyll(tmp_path):
    first = page("a.md", "/a/", redirect_from=("/shared/",))
    second = page("b.md", "/b/", redirect_from=("/shared/",))
    plan, report, _ = run(make_site(tmp_path, [first, second]))
    assert "aliases" not in front(plan, "content/a.md")
    assert front(plan, "content/b.md")["aliases"] == ["/shared/"]
    assert [(i.code, i.source) for i in own_issues(plan, report)] == [("alias-collision", "a.md")]


def test_a_documents_own_old_url_beats_a_redirect_from_claiming_it(tmp_path):
    moved = post("moved", "/2012/07/08/moved.html", output_path="2012/07/08/moved.html")
    claimer = page("claimer.md", "/claimer/", redirect_from=("/2012/07/08/moved.html",))
    plan, report, _ = run(make_site(tmp_path, [moved, claimer]), urls="hugo")
    assert front(plan, "content/posts/moved/index.md")["aliases"] == ["/2012/07/08/moved.html"]
    assert "aliases" not in front(plan, "content/claimer.md")
    assert [(i.code, i.source) for i in own_issues(plan, report)] == [("alias-collision", "claimer.md")]


def test_targets_site_url_is_the_origin_and_base_path_separate(tmp_path):
    site = make_site(tmp_path, [post("a", "/news/2020/01/02/a/")], baseurl="/blog")
    _, _, targets = run(site)
    assert (targets.site_url, targets.base_path) == ("https://example.org", "/blog")


def test_authors_become_hugo_data(tmp_path):
    from migrate.ir import Author

    site = make_site(tmp_path, [post("a", "/news/2020/01/02/a/", authors=("ada",))],
                     authors=(Author("ada", "Ada L.", email="ada@example.org", extra={"twitter": "ada"}),))
    plan, _, _ = run(site)
    import json

    assert json.loads(plan.files["data/authors.json"].content) == {
        "ada": {"name": "Ada L.", "email": "ada@example.org", "twitter": "ada"}}


def test_pages_landing_on_one_hugo_file_are_reported(tmp_path):
    docs = [page("about.md", "/about.html", output_path="about.html"),
            page("about/index.md", "/about/")]
    _, report, _ = run(make_site(tmp_path, docs), urls="hugo")
    assert [i.code for i in report.issues] == ["url-collision"]


def test_generated_text_files_are_written_as_static_files(tmp_path):
    robots = page("robots.txt", "/robots.txt", output_path="robots.txt", markup="txt", extension=".txt",
                  output_ext=".txt", body="Sitemap: {{ site.url }}/sitemap.xml\n")
    style = page("css/main.scss", "/css/main.css", output_path="css/main.css", markup="scss",
                 extension=".scss", output_ext=".css", body="$c: red;\n")
    plan, report, _ = run(make_site(tmp_path, [robots, style]))
    assert plan.files["static/robots.txt"].content == robots.body.encode()
    assert not any(p.startswith("content/robots") for p in plan.files)
    assert "static/css/main.css" in plan.files
    assert [i.code for i in report.issues] == ["sass-not-compiled"]


def test_a_folder_url_whose_file_is_no_index_html_answers_with_a_redirect_to_the_file(tmp_path):
    """Jekyll writes humans.txt with ``permalink: /contacts/humans/`` to contacts/humans/index.txt (as the
    reader fixture folder-urls shows with Debian's Jekyll), which no server takes as the folder's index:
    the export keeps the file there and the folder URL answers with a redirect page to it."""
    humans = page("contacts/humans.txt", "/contacts/humans/", output_path="contacts/humans/index.txt",
                  markup="txt", extension=".txt", output_ext=".txt", body="Humans: us\n")
    assert humans.served_url == "/contacts/humans/index.txt"
    plan, report, _ = run(make_site(tmp_path, [humans]))
    assert plan.files["static/contacts/humans/index.txt"].content == b"Humans: us\n"
    redirect = plan.files["static/contacts/humans/index.html"].content.decode()
    assert "url=https://example.org/contacts/humans/index.txt" in redirect
    assert outcome(plan, "contacts/humans.txt").new_url == "/contacts/humans/index.txt"
    assert list(report.issues) == []


def test_redirect_to_keeps_query_and_fragment_of_a_moved_target(tmp_path):
    target = page("new.md", "/new.html", output_path="new.html")
    redirect = page("old.md", "/old/", redirect_to="/new.html?from=old#top")
    plan, _, _ = run(make_site(tmp_path, [target, redirect]), urls="hugo")
    assert outcome(plan, "old.md").new_url == "/new/?from=old#top"


def test_hugo_shortcode_delimiters_in_a_body_stay_text(tmp_path):
    doc = post("sc", "/news/2020/01/02/sc/", body="Hugo writes {{< figure >}} and {{% note %}}, or {{< alone.\n")
    plan, _, _ = run(make_site(tmp_path, [doc]))
    text = plan.files["content/posts/sc/index.md"].content.decode()
    assert "Hugo writes {{</* figure */>}} and {{%/* note */%}}, or {{&#60; alone." in text


@pytest.mark.parametrize("name, segment", [
    ("Hello World", "hello-world"),
    ("Café-Crème", "café-crème"),
    ("Ёлки-Палки", "ёлки-палки"),
    ("a  b?c!", "a-bc"),
    ("...", ""),
])
def test_path_segments_are_what_hugo_leaves_alone(name, segment):
    from exporters.hugo.paths import segment as hugo_segment

    assert hugo_segment(name) == segment


def test_static_file_whose_url_leaves_the_output_is_reported(tmp_path):
    evil = StaticFile("assets/x.png", "/../../etc/x.png", 9)
    plan, report, _ = run(make_site(tmp_path, [page("about.md", "/about/")], static=[evil]))
    assert not any("etc" in p for p in plan.files)
    assert [i.code for i in report.issues] == ["unsafe-path"]


def test_unpublished_redirect_page_is_not_written(tmp_path):
    hidden = page("gone.md", "/gone/", redirect_to="https://else.example/", published=False, built_by_jekyll=False)
    plan, _, _ = run(make_site(tmp_path, [hidden]))
    assert "static/gone/index.html" not in plan.files
    assert (outcome(plan, "gone.md").status, outcome(plan, "gone.md").new_url) == ("skipped", None)


@pytest.mark.parametrize("docs, wanted", [
    ([post("a", "/ru/pr-blog/a", output_path="ru/pr-blog/a.html")], True),  # a permalink without slash or extension
    ([post("a", "/notes/v2.0", output_path="notes/v2.0.html")], True),  # a dot, yet Jekyll appended .html
    ([post("a", "/docs/v1.2", output_path="docs/v1.2")], False),  # a front-matter permalink's own extension
    ([page("old.md", "/new/", redirect_from=("/old-page",))], True),  # jekyll-redirect-from writes old-page.html
    ([post("a", "/news/2020/01/02/a/"), page("b.md", "/b.html")], False),
    ([page("feed.xml", "/feed.xml")], False),
])
def test_hugo_server_answers_extensionless_urls_with_their_html_file(tmp_path, docs, wanted):
    """Sites with a URL Jekyll wrote as NAME.html get a hugo server rewrite /x -> /x.html (200) in hugo.toml,
    and Hugo's own 404 rule back, which any [[server.redirects]] replaces."""
    plan, _, _ = run(make_site(tmp_path, docs))
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    readme = plan.files["README.md"].content.decode()
    assert ("### URLs without slash or extension" in readme) is wanted  # which host needs which file
    if not wanted:
        assert "server" not in config
        return
    assert "--format nginx" in readme and "vercel" in readme and "Netlify" in readme
    assert config["server"]["redirects"] == [
        {"fromRe": "^(.*[^/])$", "to": "$1.html", "status": 200},
        {"from": "/**", "to": "/404.html", "status": 404},
    ]


@pytest.mark.parametrize("no_layouts", [False, True])
def test_kramdown_toc_is_the_toc_shortcode_written_with_or_without_layouts(tmp_path, no_layouts):
    from migrate.export import build_plan

    doc = post("a", "/news/2020/01/02/a/", body="* x\n{:toc}\n\n## One\n\n## Two\n{: .no_toc}\n")
    plan = build_plan(make_site(tmp_path, [doc]), HugoExporter, {"no_layouts": no_layouts}, Report())
    body = plan.files["content/posts/a/index.md"].content.decode()
    assert '{{< toc exclude="two" >}}\n\n## One\n\n## Two {.no_toc}' in body
    assert "layouts/_shortcodes/toc.html" in plan.files
    plan = build_plan(make_site(tmp_path, [post("b", "/news/2020/01/02/b/", body="No table.\n")]),
                      HugoExporter, {"no_layouts": no_layouts}, Report())
    assert "layouts/_shortcodes/toc.html" not in plan.files


@pytest.mark.parametrize("kramdown, renderer, parser", [
    ({}, {"unsafe": True}, {"attribute": {"block": True, "title": True}}),
    ({"auto_ids": False}, {"unsafe": True}, {"attribute": {"block": True, "title": True}, "autoHeadingID": False}),
    ({"hard_wrap": True}, {"unsafe": True, "hardWraps": True}, {"attribute": {"block": True, "title": True}}),
    ({"hard_wrap": True, "input": "kramdown"}, {"unsafe": True}, {"attribute": {"block": True, "title": True}}),
])
def test_goldmark_settings_follow_the_sites_kramdown_options(tmp_path, kramdown, renderer, parser):
    site = make_site(tmp_path, [post("a", "/news/2020/01/02/a/")])
    site = replace(site, config={**site.config, "kramdown": kramdown})
    plan, _, _ = run(site)
    goldmark = tomllib.loads(plan.files["hugo.toml"].content.decode())["markup"]["goldmark"]
    assert goldmark["renderer"] == renderer and goldmark["parser"] == parser
    assert goldmark["extensions"]["linkify"] is False
    assert goldmark["extensions"]["footnote"] == {"backlinkHTML": "&#8617;"}


def test_url_characters_hugo_cannot_parse(tmp_path):
    """Hugo writes ``url:`` as it is but parses it first: a colon is written ``\\:`` (``:name`` is a token
    there), and a path with a "%" that starts no escape moves to Hugo's own path with the old one as alias."""
    site = make_site(tmp_path, [
        page("index.md", "/", output_path="index.html"),
        page("a:b.md", "/a:b.html", output_path="a:b.html"),
        page("p%20c/100%.md", "/p%2520c/100%25.html", output_path="p%20c/100%.html"),
        page("docs/index.md", "/docs.html", output_path="docs.html"),
        page("docs/a.md", "/docs/a.html", output_path="docs/a.html"),
    ])
    plan, report, targets = run(site)
    assert front(plan, "content/ab.md")["url"] == "/a\\:b.html"
    moved = front(plan, "content/p20c/100.md")
    assert "url" not in moved and moved["aliases"] == ["/p%20c/100%.html"]
    assert targets.document_urls["p%20c/100%.md"] == "/p20c/100/"
    assert ("/p%2520c/100%25.html", "/p20c/100/") in plan.redirects
    assert [i.source for i in report.issues if i.code == "hugo-url-moved"] == ["p%20c/100%.md"]
    # a section page whose URL is a file: Hugo's RSS output of the section would be written over it
    assert front(plan, "content/docs/_index.md")["outputs"] == ["html"]
