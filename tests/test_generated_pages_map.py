"""Pages plugins generated on the old site (pagination, archives, feeds, sitemaps) lead somewhere on every
target: to the target's own page of the same list where it has one, else to the nearest page listing the
same content; migration.json says which, and the one redirect map holds the rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from migrate.content import Converted
from migrate.ir import Document, GeneratedPage, Site
from migrate.testing import run_exporter

UTC = dt.timezone.utc


def _post(name: str, day: int, tags=(), categories=()) -> Document:
    return Document(kind="post", source=f"_posts/2020-05-{day:02d}-{name}.md", url=f"/2020/05/{day:02d}/{name}/",
                    output_path=f"2020/05/{day:02d}/{name}/index.html", title=name.title(), slug=name,
                    collection="posts", date=dt.datetime(2020, 5, day, 12, tzinfo=UTC), tags=tags,
                    categories=categories, body="text")


def _site(root: Path) -> Site:
    docs = (
        Document(kind="page", source="blog/index.html", url="/blog/", output_path="blog/index.html",
                 title="Blog", slug="index", markup="html", extension=".html", body="{% for p in paginator.posts %}"),
        _post("one", 1, tags=("python",), categories=("Tech",)),
        _post("two", 2, tags=("python",)),
        _post("three", 3),
    )
    generated = (
        GeneratedPage("pagination", "/blog/", "blog/index.html", "jekyll-paginate", template="blog/index.html",
                      page_number=1, total_pages=2, per_page=2),
        GeneratedPage("pagination", "/blog/page2/", "blog/page2/index.html", "jekyll-paginate",
                      template="blog/index.html", page_number=2, total_pages=2, per_page=2),
        GeneratedPage("archive", "/tag/python/", "tag/python/index.html", "jekyll-archives", tag="python"),
        GeneratedPage("archive", "/tag/unused/", "tag/unused/index.html", "jekyll-archives", tag="unused"),
        GeneratedPage("archive", "/category/tech/", "category/tech/index.html", "jekyll-archives", category="Tech"),
        GeneratedPage("archive", "/2020/05/", "2020/05/index.html", "jekyll-archives", period="2020/05"),
        GeneratedPage("feed", "/feed.xml", "feed.xml", "jekyll-feed"),
        GeneratedPage("feed", "/feed/Tech.xml", "feed/Tech.xml", "jekyll-feed", category="Tech"),
        GeneratedPage("sitemap", "/sitemap.xml", "sitemap.xml", "jekyll-sitemap", lists=None),
        GeneratedPage("other", "/robots.txt", "robots.txt", "jekyll-sitemap", lists=None),
    )
    return Site(source_dir=str(root), documents=docs, generated=generated, plugins=("jekyll-paginate",))


def _run(target: str, root: Path, **options):
    return run_exporter(target, _site(root), options, converter=lambda doc, targets: Converted(body="<p>text</p>"))


def _generated(run) -> dict[str, tuple[str | None, str]]:
    manifest = json.loads(run.files["migration.json"])
    return {g["url"]: (g["new_url"], g["how"]) for g in manifest["generated"]}


def test_wordpress_leads_each_generated_page_to_its_own_list(tmp_path: Path) -> None:
    run = _run("wordpress", tmp_path, posts_per_page=2)
    placed = _generated(run)
    assert "/blog/" not in placed  # page 1 of the list is the template's own page, a document
    assert placed["/blog/page2/"] == ("/page/2/", "native")
    assert placed["/tag/python/"] == ("/tag/python/", "native")
    assert placed["/tag/unused/"] == ("/", "nearest")  # no exported post has it: WordPress has no such page
    assert placed["/category/tech/"] == ("/category/tech/", "native")
    assert placed["/2020/05/"] == ("/2020/05/", "native")
    assert placed["/feed.xml"] == ("/feed/", "native")
    assert placed["/feed/Tech.xml"] == ("/category/tech/feed/", "native")
    assert placed["/sitemap.xml"] == ("/wp-sitemap.xml", "native")
    assert placed["/robots.txt"] == ("/robots.txt", "native")
    rules = run.redirect_map.as_dict()
    assert rules["/blog/page2/"] == "/page/2/" and rules["/blog/page2/index.html"] == "/page/2/"
    assert rules["/feed/Tech.xml"] == "/category/tech/feed/"
    assert "/robots.txt" not in rules and "/2020/05/" not in rules  # the same URL answers by itself


@pytest.mark.parametrize("where", ["baseurl", "wp_url"])
def test_wordpress_below_the_root_of_its_host_has_no_robots_txt(where: str, tmp_path: Path) -> None:
    """WordPress serves its virtual robots.txt only when installed at the root of its host (seen on a real
    WordPress 6.5 at /widget-toolkit/: 404), so the old file leads to the nearest page instead."""
    site = _site(tmp_path)
    options = {"posts_per_page": 2}
    if where == "baseurl":
        site = dataclasses.replace(site, baseurl="/project")
    else:
        options["wp_url"] = "https://example.org/blog"
    run = run_exporter("wordpress", site, options,
                       converter=lambda doc, targets: Converted(body="<p>text</p>"))
    new_url, how = _generated(run)["/robots.txt"]
    assert how == "nearest" and not new_url.endswith("robots.txt")


def test_ghost_has_no_date_archives_or_categories_of_its_own(tmp_path: Path) -> None:
    run = _run("ghost", tmp_path, posts_per_page=2)
    placed = _generated(run)
    assert placed["/blog/page2/"] == ("/page/2/", "native")
    assert placed["/tag/python/"] == ("/tag/python/", "native")
    assert placed["/category/tech/"] == ("/tag/tech/", "native")  # categories are Ghost tags
    assert placed["/2020/05/"] == ("/", "nearest")
    assert placed["/feed.xml"] == ("/rss/", "native")
    assert placed["/feed/Tech.xml"] == ("/tag/tech/rss/", "native")
    assert run.redirect_map.as_dict()["/2020/05/"] == "/"


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
def test_every_generated_url_has_a_rule_or_answers_itself(target: str, tmp_path: Path) -> None:
    run = _run(target, tmp_path)
    placed = _generated(run)
    rules = run.redirect_map.as_dict()
    for page in _site(tmp_path).generated:
        if page.url == "/blog/":
            continue
        new_url, how = placed[page.url]
        assert how != "none", page.url
        assert page.url in rules or new_url == page.url, (page.url, new_url)


def test_a_site_without_generated_pages_has_no_generated_section(tmp_path: Path) -> None:
    site = dataclasses.replace(_site(tmp_path), generated=())
    run = run_exporter("ghost", site, converter=lambda doc, targets: Converted(body="<p>x</p>"))
    assert "generated" not in json.loads(run.files["migration.json"])


def _bilingual(root: Path) -> Site:
    about_en = Document(kind="page", source="about.md", url="/about/", output_path="about/index.html",
                        title="About", slug="about", language="en", translations=("ru/about.md",), body="hi")
    about_ru = Document(kind="page", source="ru/about.md", url="/ru/about/", output_path="ru/about/index.html",
                        title="О сайте", slug="about", language="ru", translations=("about.md",), body="привет")
    hello = dataclasses.replace(_post("hello", 4), language="en",
                                language_copies=(("ru", "/ru/2020/05/04/hello/"),))
    privet = dataclasses.replace(_post("privet", 5), language="ru", url="/ru/2020/05/05/privet/",
                                 output_path="ru/2020/05/05/privet/index.html")
    return Site(source_dir=str(root), documents=(about_en, about_ru, hello, privet), languages=("en", "ru"))


@pytest.mark.parametrize("target", ["wordpress", "ghost"])
def test_a_language_copy_leads_to_its_document(target: str, tmp_path: Path) -> None:
    run = run_exporter(target, _bilingual(tmp_path), converter=lambda doc, targets: Converted(body="<p>x</p>"))
    hello = run.outcomes["_posts/2020-05-04-hello.md"].new_url
    assert run.redirect_map.as_dict()["/ru/2020/05/04/hello/"] == hello


def test_ghost_marks_languages_with_internal_tags_and_a_collection_each(tmp_path: Path) -> None:
    run = run_exporter("ghost", _bilingual(tmp_path), converter=lambda doc, targets: Converted(body="<p>x</p>"))
    assert run.outcomes["_posts/2020-05-05-privet.md"].new_url.startswith("/ru/")
    assert not run.outcomes["_posts/2020-05-04-hello.md"].new_url.startswith("/ru/")
    data = json.loads(run.files["ghost-import.json"])["db"][0]["data"]
    tags = {t["slug"]: t for t in data["tags"]}
    assert tags["hash-lang-ru"]["name"] == "#lang-ru" and tags["hash-lang-ru"]["visibility"] == "internal"
    routes = run.text("routes.yaml")
    assert "  /ru/:\n    permalink: /ru/{slug}/" in routes and "filter: tag:hash-lang-ru" in routes


def test_wordpress_marks_each_item_with_its_language(tmp_path: Path) -> None:
    run = run_exporter("wordpress", _bilingual(tmp_path), converter=lambda doc, targets: Converted(body="<p>x</p>"))
    wxr = run.text("wordpress.xml")
    assert '<category domain="language" nicename="ru"><![CDATA[ru]]></category>' in wxr
    assert "<wp:meta_key><![CDATA[_jekyll_language]]></wp:meta_key><wp:meta_value><![CDATA[ru]]>" in wxr
    assert "<wp:meta_value><![CDATA[ru/about.md]]></wp:meta_value>" in wxr  # its translation


@pytest.mark.parametrize(("per_page", "expected"), [(1, "/page/3/"), (2, "/page/2/"), (3, "/"), (4, "/")])
def test_a_list_page_leads_to_the_target_page_with_the_same_first_post(per_page: int, expected: str,
                                                                       tmp_path: Path) -> None:
    # Old page 2 of 2 a page starts with the third post: the target's page holding it.
    run = _run("ghost", tmp_path, posts_per_page=per_page)
    assert _generated(run)["/blog/page2/"][0] == expected


def test_hugo_paginates_its_home_page_as_the_old_list_and_keeps_term_pages(tmp_path: Path) -> None:
    run = _run("hugo", tmp_path)
    placed = _generated(run)
    assert placed["/blog/page2/"] == ("/page/2/", "native")  # the same page size: the same page number
    assert "pagerSize = 2" in run.text("hugo.toml")
    assert ".Paginate" in run.text("layouts/home.html")
    assert placed["/tag/python/"] == ("/tags/python/", "native")
    assert placed["/category/tech/"] == ("/categories/tech/", "native")
    assert placed["/feed/Tech.xml"] == ("/categories/tech/index.xml", "native")
    assert placed["/2020/05/"] == ("/", "nearest")
    assert placed["/sitemap.xml"] == ("/sitemap.xml", "native")
    assert placed["/robots.txt"] == ("/robots.txt", "native")  # Hugo writes its own (enableRobotsTXT)
    assert "enableRobotsTXT = true" in run.text("hugo.toml")
    # a static host answers the old pages by themselves: a redirect page at each file Jekyll wrote
    assert 'href="/page/2/"' in run.text("static/blog/page2/index.html")
    assert 'href="/tags/python/"' in run.text("static/tag/python/index.html")
    assert "static/2020/05/index.html" in run.files and "static/feed/Tech.xml" not in run.files
