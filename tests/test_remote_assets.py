"""Remote assets piece by piece: fetcher, references, names, resolution, the download step.

The fetcher runs against a local server on 127.0.0.1; the rest on hand-built IR."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from migrate.content import Targets
from migrate.content.links import LinkResolver, find_references
from migrate.content.remote import (
    DownloadCache,
    FetchError,
    RemoteFetcher,
    download_remote_assets,
    find_remote_assets,
    plan_names,
    remote_url,
)
from migrate.ir import Document, Site, StaticFile
from tests.support.remote_server import FILES, serving_assets


@pytest.fixture()
def server():
    with serving_assets() as state:
        yield state


def post(body: str, *, name: str = "hello", **kw) -> Document:
    values = {"kind": "post", "source": f"_posts/2020-01-02-{name}.md", "url": f"/2020/01/02/{name}.html",
              "output_path": f"2020/01/02/{name}.html", "title": name, "slug": name, "body": body}
    return Document(**{**values, **kw})


def make_site(tmp_path: Path, *documents: Document, static: tuple[StaticFile, ...] = ()) -> Site:
    return Site(source_dir=str(tmp_path), url="https://example.org", documents=documents, static_files=static)


# -- the fetcher ------------------------------------------------------------------------------------------


def test_fetch_ok_image(server, tmp_path):
    dest = tmp_path / "a"
    fetched = RemoteFetcher(timeout=5).fetch(server.url("/img/a.png"), dest)
    assert dest.read_bytes() == FILES["/img/a.png"][1]
    assert fetched.content_type == "image/png" and fetched.size == len(dest.read_bytes())


def test_fetch_follows_a_few_redirects(server, tmp_path):
    fetched = RemoteFetcher(timeout=5, max_redirects=3).fetch(server.url("/hops/3"), tmp_path / "a")
    assert fetched.final_url == server.url("/img/a.png")
    assert (tmp_path / "a").read_bytes() == FILES["/img/a.png"][1]


def test_fetch_404(server, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        RemoteFetcher(timeout=5).fetch(server.url("/nothing.png"), tmp_path / "a")
    assert list(tmp_path.iterdir()) == []


def test_fetch_times_out_waiting_for_an_answer(server, tmp_path):
    with pytest.raises(FetchError, match=r"no answer within 0\.5 s"):
        RemoteFetcher(timeout=0.5).fetch(server.url("/slow.png"), tmp_path / "a")


def test_fetch_times_out_when_the_body_stalls(server, tmp_path):
    with pytest.raises(FetchError, match=r"within 0\.5 s"):
        RemoteFetcher(timeout=0.5).fetch(server.url("/drip.png"), tmp_path / "a")
    assert list(tmp_path.iterdir()) == []  # no partial file left


@pytest.mark.parametrize("path", ["/big/with-length.png", "/big/without-length.png"])
def test_fetch_refuses_a_body_over_the_cap(server, tmp_path, path):
    with pytest.raises(FetchError, match="limit of 0.05 MB"):
        RemoteFetcher(timeout=5, max_bytes=50_000).fetch(server.url(path), tmp_path / "a")
    assert list(tmp_path.iterdir()) == []
    # the same file under a cap it fits in
    RemoteFetcher(timeout=5, max_bytes=server.big).fetch(server.url(path), tmp_path / "a")
    assert (tmp_path / "a").stat().st_size == server.big


@pytest.mark.parametrize("path, scheme", [("/redirect/file", "file"), ("/redirect/ftp", "ftp")])
def test_fetch_refuses_a_redirect_off_http(server, tmp_path, path, scheme):
    with pytest.raises(FetchError, match=f"redirected to a {scheme}: URL, refused"):
        RemoteFetcher(timeout=5).fetch(server.url(path), tmp_path / "a")
    assert not (tmp_path / "a").exists()


def test_fetch_refuses_a_redirect_chain_over_the_limit(server, tmp_path):
    with pytest.raises(FetchError, match="more than 3 redirects"):
        RemoteFetcher(timeout=5, max_redirects=3).fetch(server.url("/loop/0"), tmp_path / "a")
    assert server.requested("/loop/3") == 1 and server.requested("/loop/4") == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/a.png", "data:image/png;base64,AAAA"])
def test_fetch_refuses_other_schemes_without_a_request(server, tmp_path, url):
    with pytest.raises(FetchError, match="refused"):
        RemoteFetcher(timeout=5).fetch(url, tmp_path / "a")
    assert server.requests == []


def test_fetch_refuses_an_html_page_for_a_file(server, tmp_path):
    with pytest.raises(FetchError, match="HTML page"):
        RemoteFetcher(timeout=5).fetch(server.url("/page.png"), tmp_path / "a")


def test_fetch_names_itself(server, tmp_path):
    fetcher = RemoteFetcher(timeout=5)
    session = fetcher._session()
    assert "jekyll-migrate" in session.headers["User-Agent"]
    fetcher.close()


def test_unreachable_host(tmp_path):
    with pytest.raises(FetchError, match="could not connect"):
        RemoteFetcher(timeout=2).fetch("http://127.0.0.1:9/a.png", tmp_path / "a")


# -- finding references ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, kind, expected",
    [
        ("https://cdn.example.com/a.png", "embed", "https://cdn.example.com/a.png"),
        ("  https://cdn.example.com/a.png#top ", "embed", "https://cdn.example.com/a.png"),
        ("//cdn.example.com/a.png", "embed", "https://cdn.example.com/a.png"),
        ("https://cdn.example.com/photo?id=3", "embed", "https://cdn.example.com/photo?id=3"),
        ("https://cdn.example.com/report.PDF", "link", "https://cdn.example.com/report.PDF"),
        ("https://cdn.example.com/about.html", "link", None),
        ("https://cdn.example.com/about/", "link", None),
        ("https://cdn.example.com/app.js", "code", None),
        ("https://example.org/a.png", "embed", None),
        ("https://www.example.org/a.png", "embed", None),
        ("/assets/a.png", "embed", None),
        ("a.png", "embed", None),
        ("ftp://cdn.example.com/a.png", "embed", None),
        ("file:///etc/passwd", "embed", None),
        ("data:image/png;base64,AAAA", "embed", None),
        ("javascript:alert(1)", "link", None),
        ("{{ site.cdn }}/a.png", "embed", None),
    ],
)
def test_remote_url(ref, kind, expected):
    assert remote_url(ref, kind, {"example.org", "www.example.org"}) == expected


def test_find_references_knows_what_is_embedded():
    body = (
        "![a](https://h/a.png) [b](https://h/b)\n"
        '<img src="https://h/c" srcset="https://h/d 1x, https://h/e 2x">\n'
        '<video poster="https://h/f"><source src="https://h/g"></video>\n'
        '<script src="https://h/h.js"></script>\n'
        "`![code](https://h/i.png)`\n\n```\n![fenced](https://h/j.png)\n```\n\n[ref]: https://h/k.pdf\n"
    )
    found = find_references(body, markdown=True)
    assert found == [
        ("https://h/a.png", "embed"), ("https://h/b", "link"), ("https://h/k.pdf", "link"),
        ("https://h/c", "embed"), ("https://h/d", "embed"), ("https://h/e", "embed"),
        ("https://h/f", "embed"), ("https://h/g", "embed"), ("https://h/h.js", "code"),
    ]


def test_find_remote_assets_in_bodies_excerpts_and_front_matter(tmp_path):
    first = post(
        "![a](https://cdn.test/a.png) ![again](https://cdn.test/a.png#x) [page](https://cdn.test/p.html)",
        name="b-first", front_matter={"header": {"teaser": "https://cdn.test/teaser.jpg"}},
    )
    second = post(
        "<img src='https://cdn.test/caf%C3%A9.png'>", name="c-second", markup="html", extension=".html",
        excerpt="<img src=https://cdn.test/excerpt.png>",
        front_matter={"image": "https://example.org/own.png"},
    )
    third = post("![a](https://cdn.test/a.png) ![x](https://cdn.test/café.png)", name="a-third")
    found = find_remote_assets(make_site(tmp_path, first, second, third))
    assert found == {
        "https://cdn.test/a.png": third.source,  # documents in source order: a-third comes first
        "https://cdn.test/café.png": third.source,  # and %C3%A9 in c-second is the same URL
        "https://cdn.test/teaser.jpg": first.source,
        "https://cdn.test/excerpt.png": second.source,
    }


# -- names -------------------------------------------------------------------------------------------------


def test_names_keep_host_path_and_extension():
    names = plan_names(["https://cdn.test/img/a.png", "http://127.0.0.1:8080/x/y/b.JPG"], {}, [])
    assert names == {"https://cdn.test/img/a.png": "assets/remote/cdn.test/img/a.png",
                     "http://127.0.0.1:8080/x/y/b.JPG": "assets/remote/127.0.0.1-8080/x/y/b.JPG"}


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://h.test/../../etc/passwd.png", "assets/remote/h.test/etc/passwd.png"),
        ("https://h.test/a/%2e%2e/%2E%2E/b.png", "assets/remote/h.test/a/b.png"),
        ("https://h.test/a%2Fb/c%00d.png", "assets/remote/h.test/a-b/c-d.png"),
        ("https://h.test//double//slash.png", "assets/remote/h.test/double/slash.png"),
        ("https://h.test/.hidden.png", "assets/remote/h.test/hidden.png"),
        ("https://h.test/caf%C3%A9%20noir.png", "assets/remote/h.test/cafe-noir.png"),
        ("https://h.test/日本.png", "assets/remote/h.test/{hash}.png"),
        ("https://user:pw@H.test:443/a.png", "assets/remote/h.test-443/a.png"),
        ("https://h.test/image.2x.png", "assets/remote/h.test/image-2x.png"),
        ("https://h.test/shell.php.png", "assets/remote/h.test/shell-php.png"),
        ("https://h.test/shell.php", "assets/remote/h.test/shell-php-{hash}.bin"),
    ],
)
def test_names_are_safe(url, expected):
    name = plan_names([url], {}, [])[url]
    assert "/../" not in name and "//" not in name and not name.startswith("/")
    if "{hash}" in expected:
        assert re.fullmatch(expected.replace(".", r"\.").replace("{hash}", "[0-9a-f]{10}"), name)
    else:
        assert name == expected


def test_names_take_an_extension_from_the_content_type():
    urls = ["https://h.test/photo/123", "https://h.test/blob"]
    names = plan_names(urls, {urls[0]: "image/webp", urls[1]: "application/x-unknown"}, [])
    assert names[urls[0]].startswith("assets/remote/h.test/photo/123-") and names[urls[0]].endswith(".webp")
    assert names[urls[1]].endswith(".bin")


def test_names_that_would_clash_all_get_a_hash():
    urls = ["https://h.test/a.png?w=300", "https://h.test/a.png?w=600", "https://h.test/A.png",
            "https://h.test/b.png"]
    names = plan_names(urls, {}, ["assets/remote/h.test/b.png"])
    assert len(set(names.values())) == 4
    assert all(n != "assets/remote/h.test/a.png" and n.lower() != "assets/remote/h.test/a.png"
               for n in names.values())
    assert names["https://h.test/b.png"] != "assets/remote/h.test/b.png"  # a file of the site has it
    # a name does not depend on the other URLs' order
    assert plan_names(list(reversed(urls)), {}, ["assets/remote/h.test/b.png"]) == names


def test_a_name_that_is_a_folder_of_another_falls_back_to_a_hash():
    urls = ["https://h.test/a.png", "https://h.test/a.png/b.png"]
    names = plan_names(urls, {}, [])
    assert names["https://h.test/a.png/b.png"] == "assets/remote/h.test/a.png/b.png"
    outer = names["https://h.test/a.png"]
    assert outer.startswith("assets/remote/") and outer.count("/") == 2


def test_long_names_fall_back_to_a_hash():
    url = "https://h.test/" + "/".join(["segment" * 10] * 5) + ".png"
    name = plan_names([url], {}, [])[url]
    assert len(name) < 60 and name.endswith(".png")


# -- resolving references to downloaded files -----------------------------------------------------------


def test_references_to_a_downloaded_file_always_move(tmp_path):
    remote = StaticFile("assets/remote/cdn.test/a.png", "/assets/remote/cdn.test/a.png", 3,
                        origin_url="https://cdn.test/a.png", local_path=str(tmp_path / "blob"))
    doc = post("")
    site = make_site(tmp_path, doc, static=(remote,))
    resolver = LinkResolver(site, Targets(document_urls={doc.source: doc.url}))  # every URL kept
    assert resolver.new_reference(doc, "https://cdn.test/a.png") == "/assets/remote/cdn.test/a.png"
    assert resolver.new_reference(doc, " //cdn.test/a.png#top") == "/assets/remote/cdn.test/a.png#top"
    assert resolver.new_reference(doc, "https://cdn.test/a.png?x=1") == "https://cdn.test/a.png?x=1"
    # the made-up site path is no old URL: nothing of the old site was there
    assert resolver.resolve(doc, "/assets/remote/cdn.test/a.png").kind == "missing"


def test_a_downloaded_file_moves_under_the_new_base_path(tmp_path):
    remote = StaticFile("assets/remote/cdn.test/a.png", "/assets/remote/cdn.test/a.png", 3,
                        origin_url="https://cdn.test/a.png")
    doc = post("")
    resolver = LinkResolver(make_site(tmp_path, doc, static=(remote,)),
                            Targets(document_urls={}, base_path="/blog"))
    html, found = resolver.rewrite_html(doc, '<img src="https://cdn.test/a.png" alt="">')
    assert html == '<img src="/blog/assets/remote/cdn.test/a.png" alt="">' and found.assets == [remote.source]


def test_a_rendered_reference_matches_the_url_as_written(tmp_path):
    remote = StaticFile("assets/remote/cdn.test/cafe.png", "/assets/remote/cdn.test/cafe.png", 3,
                        origin_url="https://cdn.test/café au lait.png")
    doc = post("")
    resolver = LinkResolver(make_site(tmp_path, doc, static=(remote,)), Targets(document_urls={}))
    assert resolver.new_reference(doc, "https://cdn.test/caf%C3%A9%20au%20lait.png") == remote.url


def test_ir_round_trips_the_new_fields(tmp_path):
    remote = StaticFile("assets/remote/h/a.png", "/assets/remote/h/a.png", 3, origin_url="https://h/a.png",
                        local_path="/cache/ab/abcd")
    site = make_site(tmp_path, static=(StaticFile("a.png", "/a.png", 1), remote))
    again = Site.from_dict(json.loads(json.dumps(site.to_dict())))
    assert again == site
    assert again.static_file_path(remote) == Path("/cache/ab/abcd")
    assert again.static_file_path(site.static_files[0]) == tmp_path / "a.png"
    assert again.served_static_files() == (site.static_files[0],)


def test_liquid_site_static_files_lists_only_files_jekyll_served(tmp_path):
    from migrate.content.pipeline import ContentPipeline, identity_targets

    doc = post("{% for f in site.static_files %}[{{ f.path }}]{% endfor %}")
    remote = StaticFile("assets/remote/h/a.png", "/assets/remote/h/a.png", 3, origin_url="https://h/a.png")
    site = make_site(tmp_path, doc, static=(StaticFile("a.png", "/a.png", 1), remote))
    body = ContentPipeline(site, identity_targets(site)).convert(doc, "html").body
    assert "[/a.png]" in body and "remote" not in body


# -- the download step -----------------------------------------------------------------------------------


def test_download_step(server, tmp_path):
    doc = post(f"![a]({server.url('/img/a.png')}) ![gone]({server.url('/missing.png')}) "
               f"![photo]({server.url('/photo/12345')}) [pdf]({server.url('/files/report.pdf')})",
               front_matter={"image": server.url("/img/cover.jpg")})
    site = make_site(tmp_path / "site", doc, static=(StaticFile("a.png", "/a.png", 1),))
    new_site, issues = download_remote_assets(site, tmp_path / "cache", fetcher=RemoteFetcher(timeout=5))
    added = new_site.static_files[1:]
    assert new_site.static_files[0] == site.static_files[0]
    expected = ("/files/report.pdf", "/img/a.png", "/img/cover.jpg", "/photo/12345")
    assert [s.origin_url for s in added] == [server.url(p) for p in expected]
    assert [s.source for s in added] == sorted(s.source for s in added)
    for static in added:
        served = FILES[static.origin_url[len(server.base):]][1]
        assert new_site.static_file_path(static).read_bytes() == served
        assert static.url == "/" + static.source and static.size > 0
    assert added[3].source.endswith(".webp")
    failed = [i for i in issues if i.code == "remote-asset-failed"]
    assert len(failed) == 1 and failed[0].severity == "warning" and failed[0].source == doc.source
    assert server.url("/missing.png") in failed[0].message and "HTTP 404" in failed[0].message
    assert [i.code for i in issues if i.severity == "info"] == ["remote-assets-downloaded"]

    # again: the same site, nothing downloaded but the URL that failed
    before = list(server.requests)
    again, _ = download_remote_assets(site, tmp_path / "cache", fetcher=RemoteFetcher(timeout=5), jobs=1)
    assert again == new_site
    assert server.requests[len(before):] == ["/missing.png"]


def test_download_step_does_not_depend_on_order(server, tmp_path):
    paths = ["/img/a.png", "/img/b.jpg", "/img/small.png", "/img/large.png", "/photo/12345", "/nothing.png"]
    docs = [post(f"![x]({server.url(p)})", name=f"p{i}") for i, p in enumerate(paths)]
    one, issues_one = download_remote_assets(make_site(tmp_path, *docs), tmp_path / "c1", jobs=1)
    many, issues_many = download_remote_assets(make_site(tmp_path, *reversed(docs)), tmp_path / "c2", jobs=6)
    assert [(s.source, s.url, s.origin_url, s.size) for s in one.static_files] == \
        [(s.source, s.url, s.origin_url, s.size) for s in many.static_files]
    assert [i for i in issues_one if i.severity == "warning"] == \
        [i for i in issues_many if i.severity == "warning"]


def test_a_site_without_remote_references_is_returned_as_it_is(server, tmp_path):
    site = make_site(tmp_path, post("![a](/a.png) [b](https://cdn.test/page.html)"))
    assert download_remote_assets(site, tmp_path / "cache") == (site, ())
    assert server.requests == [] and not (tmp_path / "cache").exists()


def test_a_broken_cache_entry_is_fetched_again(server, tmp_path):
    cache = DownloadCache(tmp_path)
    url = server.url("/img/a.png")
    RemoteFetcher(timeout=5).fetch(url, cache.path(url))
    assert cache.get(url) is None  # bytes without their .json: not complete
    doc = post(f"![a]({url})")
    download_remote_assets(make_site(tmp_path, doc), tmp_path)
    assert cache.get(url) is not None and server.requested("/img/a.png") == 2
