"""The redirect map: sources Jekyll served, their other forms, chains, loops, collisions, identities."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.ir import Document, Site
from migrate.redirects import Redirect, RedirectMap, build_redirect_map, page_key, served_forms

RU = "/ru/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/"  # /ru/привет/


def doc(source: str, url: str, **kw: Any) -> Document:
    output = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    return Document(
        kind=kw.pop("kind", "page"), source=source, url=url, output_path=output or "index.html",
        title=source, slug=source.rsplit("/", 1)[-1].split(".")[0], **kw,
    )


def site(*docs: Document, **kw: Any) -> Site:
    return Site(source_dir="/nowhere", url=kw.pop("url", "https://old.example"), documents=docs, **kw)


def codes(m: RedirectMap) -> list[str]:
    return [i.code for i in m.issues]


# -- forms a Jekyll host answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "forms"),
    [
        ("/a/", ["/a/", "/a/index.html", "/a"]),
        ("/a/index.html", ["/a/index.html", "/a/", "/a"]),
        ("/a.html", ["/a.html", "/a"]),
        ("/ru/pr-blog/title", ["/ru/pr-blog/title", "/ru/pr-blog/title.html"]),
        ("/feed.xml", ["/feed.xml"]),
        ("/", ["/", "/index.html"]),
        ("/old?id=3", ["/old?id=3"]),
    ],
)
def test_served_forms(url: str, forms: list[str]) -> None:
    assert served_forms(url) == forms


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("/x/", "/x", True), ("/x/index.html", "/x/", True), ("/x.html", "/x", False), ("/", "/index.html", True)],
)
def test_page_key(a: str, b: str, same: bool) -> None:
    assert (page_key(a) == page_key(b)) is same


# -- the map ----------------------------------------------------------------------------------------


def test_moved_post_gets_every_form_and_identity_is_dropped() -> None:
    s = site(doc("_posts/2020-01-02-hello.md", "/2020/01/02/hello.html", kind="post"), doc("about.md", "/about/"))
    m = build_redirect_map(s, {"_posts/2020-01-02-hello.md": "/posts/hello/", "about.md": "/about/"})
    assert m.as_dict() == {"/2020/01/02/hello": "/posts/hello/", "/2020/01/02/hello.html": "/posts/hello/"}
    assert m.issues == ()


def test_html_old_url_to_extensionless_and_back() -> None:
    s = site(doc("a.md", "/a.html"), doc("b.md", "/b"))
    m = build_redirect_map(s, {"a.md": "/a/", "b.md": "/b.html"})
    # /b (served from b.html on GitHub Pages) must redirect, /b.html is the new page itself
    assert m.as_dict() == {"/a.html": "/a/", "/b": "/b.html"}


def test_extensionless_new_url_keeps_its_html_file() -> None:
    # a host that serves /b serves it from b.html: redirecting /b.html to /b adds nothing
    s = site(doc("b.md", "/old/b"))
    m = build_redirect_map(s, {"b.md": "/b"})
    assert m.as_dict() == {"/old/b": "/b", "/old/b.html": "/b"}
    assert build_redirect_map(site(doc("b.md", "/b")), {"b.md": "/b"}).rules == ()


def test_same_page_forms_are_left_to_the_server() -> None:
    # /x/index.html -> /x/ would loop through nginx's and Apache's own index lookup
    s = site(doc("x.md", "/x/index.html"))
    m = build_redirect_map(s, {"x.md": "/x/"})
    assert m.rules == ()


def test_redirect_from_entries_and_jekyll_html_files() -> None:
    s = site(doc("a.md", "/a/", redirect_from=("/old-a", "/older/", "/oldest.html")))
    m = build_redirect_map(s, {"a.md": "/new-a/"})
    assert m.as_dict() == {
        "/a": "/new-a/", "/a/": "/new-a/", "/a/index.html": "/new-a/",
        "/old-a": "/new-a/", "/old-a.html": "/new-a/",  # jekyll-redirect-from writes old-a.html
        "/older": "/new-a/", "/older/": "/new-a/", "/older/index.html": "/new-a/",
        "/oldest": "/new-a/", "/oldest.html": "/new-a/",
    }
    assert all(r.origin == "a.md" for r in m.rules)


def test_chain_is_collapsed() -> None:
    # c redirects to b's old URL, b moved: c -> b -> new-b becomes c -> new-b
    s = site(doc("b.md", "/b/"), doc("c.md", "/c/", redirect_to="/b/"), doc("d.md", "/d/", redirect_to="/c/"))
    m = build_redirect_map(s, {"b.md": "/new-b/"})
    assert {r.target for r in m.rules} == {"/new-b/"}
    assert m.as_dict()["/d/"] == "/new-b/"
    assert m.as_dict()["/c/"] == "/new-b/"


def test_loop_is_reported_and_dropped() -> None:
    s = site(doc("l1.md", "/l1/", redirect_to="/l2/"), doc("l2.md", "/l2/", redirect_to="/l1/"), doc("ok.md", "/ok/"))
    m = build_redirect_map(s, {"ok.md": "/fine/"})
    assert codes(m) == ["redirect-loop"]
    assert m.issues[0].severity == "error"
    assert "/l1/ -> /l2/ -> /l1/" in m.issues[0].message
    assert not any(r.source.startswith(("/l1", "/l2")) for r in m.rules)
    assert m.as_dict()["/ok/"] == "/fine/"


def test_two_pages_claiming_one_url_later_name_wins() -> None:
    # measured with Jekyll 4.3 on samples/edge-cases: clash-two.html is written over clash-one.md
    s = site(doc("clash-two.html", "/same/"), doc("clash-one.md", "/same/"))
    m = build_redirect_map(s, {"clash-one.md": "/one/", "clash-two.html": "/two/"})
    assert codes(m) == ["url-collision"]
    assert m.issues[0].source == "clash-one.md"
    assert "clash-one.md and clash-two.html both claim /same/" in m.issues[0].message
    assert m.as_dict()["/same/"] == "/two/"


def test_two_posts_claiming_one_url() -> None:
    s = site(doc("_posts/2020-01-01-b.md", "/p/", kind="post"), doc("_posts/2020-01-01-a.md", "/p/", kind="post"))
    m = build_redirect_map(s, {"_posts/2020-01-01-a.md": "/a/", "_posts/2020-01-01-b.md": "/b/"})
    assert codes(m) == ["url-collision"]
    assert m.as_dict()["/p/"] == "/b/"


def test_redirect_from_replaces_a_page() -> None:
    # Jekyll writes its redirect pages after the pages: the redirect replaces the page (samples/edge-cases /taken/)
    s = site(doc("taken.md", "/taken/"), doc("claimer.md", "/claimer/", redirect_from=("/taken/",)))
    m = build_redirect_map(s, {"taken.md": "/taken-page/", "claimer.md": "/claimer/"})
    assert codes(m) == ["redirect-replaces-page"]
    assert m.issues[0].source == "taken.md"
    # every spelling of /taken/ reaches the file the old host served there: the redirect page
    assert {k: v for k, v in m.as_dict().items() if k.startswith("/taken")} == {
        "/taken": "/claimer/", "/taken/": "/claimer/", "/taken/index.html": "/claimer/"
    }


def test_extensionless_spelling_prefers_the_html_file() -> None:
    # GitHub Pages answers /x with x.html before it would add a slash to the folder x/
    s = site(doc("file.md", "/x.html"), doc("folder.md", "/x/"))
    m = build_redirect_map(s, {"file.md": "/file/", "folder.md": "/folder/"})
    assert m.as_dict()["/x"] == "/file/"
    assert m.as_dict()["/x/index.html"] == "/folder/"


def test_redirect_from_shadowed_by_a_post() -> None:
    # ...but posts are written after the redirect pages: the post keeps its URL
    s = site(
        doc("_posts/2012-05-06-d.md", "/2012/07/08/d.html", kind="post"),
        doc("claimer.md", "/claimer/", redirect_from=("/2012/07/08/d.html",)),
    )
    m = build_redirect_map(s, {"_posts/2012-05-06-d.md": "/posts/d/", "claimer.md": "/claimer/"})
    assert codes(m) == ["redirect-shadowed"]
    assert m.issues[0].source == "claimer.md"
    assert m.as_dict()["/2012/07/08/d.html"] == "/posts/d/"


def test_conflicting_redirect_from() -> None:
    s = site(doc("a.md", "/a/", redirect_from=("/x/",)), doc("b.md", "/b/", redirect_from=("/x/",)))
    m = build_redirect_map(s, {"a.md": "/na/", "b.md": "/nb/"})
    assert codes(m) == ["redirect-conflict"]
    assert m.as_dict()["/x/"] == "/nb/"


def test_old_url_that_is_now_a_live_page_keeps_the_page() -> None:
    s = site(doc("a.md", "/a/", redirect_from=("/b/",)), doc("b.md", "/bb/"))
    m = build_redirect_map(s, {"a.md": "/a/", "b.md": "/b/"})
    assert "redirect-shadows-page" in codes(m)
    assert "/b/" not in m.as_dict()


def test_non_ascii_url_has_encoded_and_raw_forms() -> None:
    s = site(doc("ru.md", RU))
    m = build_redirect_map(s, {"ru.md": "/ru/privet/"})
    d = m.as_dict()
    assert d[RU] == "/ru/privet/"
    assert d["/ru/привет/"] == "/ru/privet/"
    assert d["/ru/привет"] == "/ru/privet/"


def test_non_ascii_target_is_percent_encoded() -> None:
    s = site(doc("ru.md", "/ru/old/"))
    m = build_redirect_map(s, {"ru.md": "/ru/привет/"})
    assert m.as_dict()["/ru/old/"] == RU


def test_space_in_url() -> None:
    s = site(doc("_posts/2009-08-06-x.md", "/edge%20case/2009/08/06/x.html", kind="post"))
    m = build_redirect_map(s, {"_posts/2009-08-06-x.md": "/edge-case/x/"})
    d = m.as_dict()
    assert d["/edge%20case/2009/08/06/x.html"] == "/edge-case/x/"
    assert d["/edge case/2009/08/06/x.html"] == "/edge-case/x/"


def test_query_string_redirect_from_is_kept_and_reported() -> None:
    s = site(doc("a.md", "/a/", redirect_from=("/index.php?p=12",)))
    m = build_redirect_map(s, {"a.md": "/a/"})
    assert m.as_dict() == {"/index.php?p=12": "/a/"}
    assert codes(m) == ["redirect-from-query"]


def test_redirect_to_external_and_own_domain() -> None:
    s = site(
        doc("gh.md", "/gh/", redirect_to="https://github.com/org/repo"),
        doc("own.md", "/own/", redirect_to="https://old.example/target/"),
        doc("target.md", "/target/"),
    )
    m = build_redirect_map(s, {"target.md": "/t/"})
    d = m.as_dict()
    assert d["/gh/"] == "https://github.com/org/repo"
    assert d["/own/"] == "/t/"  # the old site's own absolute URL is followed through the chain


def test_feed_and_configured_feed_path() -> None:
    s = site(config={"plugins": ["jekyll-feed"], "feed": {"path": "atom.xml", "categories": ["release"]}})
    m = build_redirect_map(s, {}, feed_url="/index.xml")
    assert m.as_dict() == {"/atom.xml": "/index.xml", "/feed/release.xml": "/index.xml"}
    plain = site(config={"plugins": ["jekyll-feed"]})
    assert build_redirect_map(plain, {}, feed_url="/index.xml").as_dict() == {"/feed.xml": "/index.xml"}
    no_plugin = site(config={})
    assert build_redirect_map(no_plugin, {}, feed_url="/index.xml").rules == ()


def test_base_path_prefixes_sources_and_targets() -> None:
    s = site(doc("a.md", "/a.html"), doc("g.md", "/g/", redirect_to="https://github.com/"))
    m = build_redirect_map(s, {"a.md": "/a/"}, base_path="/blog/")
    assert m.as_dict() == {
        "/blog/a.html": "/blog/a/",  # /blog/a is the new page's own directory form
        "/blog/g": "https://github.com/", "/blog/g/": "https://github.com/",
        "/blog/g/index.html": "https://github.com/",
    }


def test_documents_not_built_or_not_exported() -> None:
    s = site(
        doc("_drafts/d.md", "/d/", kind="draft", built_by_jekyll=False),
        Document(kind="document", source="_coll/x.md", url="/x/", output_path=None, title="x", slug="x"),
        doc("robots.txt", "/robots.txt"),
    )
    m = build_redirect_map(s, {"_drafts/d.md": "/d2/", "_coll/x.md": "/x2/"})
    assert m.rules == ()
    assert codes(m) == ["redirect-no-target"]


def test_extra_pairs() -> None:
    m = build_redirect_map(site(), {}, extra=[("/tags/jekyll/", "/tags/jekyll-x/")])
    assert m.as_dict()["/tags/jekyll/"] == "/tags/jekyll-x/"


def test_output_is_sorted_and_deterministic() -> None:
    s = site(doc("b.md", "/b/"), doc("a.md", "/a/"), doc("ru.md", RU))
    urls = {"a.md": "/1/", "b.md": "/2/", "ru.md": "/3/"}
    one = build_redirect_map(s, urls)
    two = build_redirect_map(site(*reversed(s.documents)), urls)
    assert one == two
    assert [r.source for r in one.rules] == sorted(r.source for r in one.rules)


def test_round_trip_through_dict() -> None:
    s = site(doc("a.md", "/a/", redirect_from=("/x?y=1",)), doc("ru.md", RU))
    m = build_redirect_map(s, {"a.md": "/b/", "ru.md": "/r/"})
    assert RedirectMap.from_dict(m.to_dict()) == m
    assert Redirect("/a", "/b") == Redirect("/a", "/b", 301, origin="other")


def test_chain_keeps_query_and_fragment_of_the_first_hop() -> None:
    s = site(doc("q.md", "/with-query/", redirect_to="/finish/?from=q#top"), doc("f.md", "/finish/"))
    m = build_redirect_map(s, {"f.md": "/the-end/"})
    assert m.as_dict()["/with-query/"] == "/the-end/?from=q#top"


def test_absolute_new_urls_on_the_new_site_become_relative() -> None:
    s = site(doc("a.md", "/2020/a.html"), doc("b.md", "/b/"))
    urls = {"a.md": "https://new.example/2020/a.html", "b.md": "https://new.example/blog/b/"}
    m = build_redirect_map(s, urls, new_site_url="https://new.example/blog/")
    # same path on the new host: only the extensionless spelling moves; a moved page: root-relative targets
    assert m.as_dict() == {"/2020/a": "/2020/a.html", "/b": "/blog/b/", "/b/": "/blog/b/", "/b/index.html": "/blog/b/"}
    other_host = build_redirect_map(s, urls)
    assert other_host.as_dict()["/2020/a.html"] == "https://new.example/2020/a.html"


def test_application_hosts_need_the_index_html_spellings() -> None:
    # Ghost and WordPress answer /x/ (and add the slash to /x) but not /x/index.html or /x.html
    s = site(doc("x.md", "/x/"), doc("y.md", "/y"))
    static = build_redirect_map(s, {"x.md": "/x/", "y.md": "/y"})
    assert static.rules == ()
    app = build_redirect_map(s, {"x.md": "/x/", "y.md": "/y"}, index_files=False)
    assert app.as_dict() == {"/x/index.html": "/x/", "/y.html": "/y"}


# -- extensionless pages on a static host --------------------------------------------------------------


def _written_as(source: str, url: str, output: str, **kw: Any) -> Document:
    return Document(kind=kw.pop("kind", "post"), source=source, url=url, output_path=output, title=source,
                    slug=source, **kw)


EXTENSIONLESS = site(
    _written_as("a.md", "/ru/pr-blog/a", "ru/pr-blog/a.html"),
    _written_as("v.md", "/notes/v2.0", "notes/v2.0.html"),  # a pattern's URL: Jekyll appends .html whatever the dot
    _written_as("x.md", "/docs/v1.2", "docs/v1.2"),  # a front-matter permalink's own extension (.2) replaces it
    _written_as("u.md", "/%D0%B0/b", "а/b.html"),
    _written_as("f.md", "/f.html", "f.html"),
    _written_as("d.md", "/d/", "d/index.html"),
    _written_as("moved.md", "/moved", "moved.html"),
)


def test_extensionless_pages_kept_on_a_static_host_are_rewrites() -> None:
    """A page that keeps a URL Jekyll wrote as NAME.html is served from that file: a 200 rewrite for
    hosts that do not look up x.html, never a redirect, and its .html spelling needs no rule either."""
    new = {"a.md": "/ru/pr-blog/a", "v.md": "/notes/v2.0", "x.md": "/docs/v1.2", "u.md": "/%D0%B0/b", "f.md": "/f.html",
           "d.md": "/d/", "moved.md": "/posts/moved/"}
    m = build_redirect_map(EXTENSIONLESS, new, base_path="/blog")
    assert [(r.source, r.target, r.status, r.origin) for r in m.rewrites] == [
        ("/blog/%D0%B0/b", "/blog/%D0%B0/b.html", 200, "u.md"),
        ("/blog/notes/v2.0", "/blog/notes/v2.0.html", 200, "v.md"),
        ("/blog/ru/pr-blog/a", "/blog/ru/pr-blog/a.html", 200, "a.md"),
    ]
    sources = {r.source for r in m.rules}
    assert not sources & {r.source for r in m.rewrites}
    assert "/blog/ru/pr-blog/a.html" not in sources
    assert m.as_dict()["/blog/moved"] == "/blog/posts/moved/"  # moved: a redirect, no rewrite
    assert RedirectMap.from_dict(m.to_dict()) == m


def test_applications_serve_extensionless_urls_themselves() -> None:
    m = build_redirect_map(EXTENSIONLESS, {"a.md": "/ru/pr-blog/a"}, index_files=False)
    assert m.rewrites == ()
    assert m.as_dict()["/ru/pr-blog/a.html"] == "/ru/pr-blog/a"
