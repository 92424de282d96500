"""A multilingual site on real Hugo: every URL real Jekyll with jekyll-polyglot wrote, in every language, answers
in Hugo's public/ (the page itself or a redirect page to it), each page is Hugo content of its own language, and
Hugo links each page to its translations (``.Translations``)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import tomllib

from migrate.plan import write_plan
from migrate.reader import read_site
from tests.acceptance.test_hugo_build import export, hugo_build, local_path, refresh_target, site_file
from tests.acceptance.test_language_urls import language_sites
from tests.conftest import REPO, site_id
from tests.support.jekyll import cached_jekyll_build
from tests.support.tz import local_timezone
from tests.test_hugo_languages import bilingual_site, run

pytestmark = pytest.mark.acceptance

POLYGLOT_BLOG = REPO / "samples" / "polyglot-blog"
# each page says its Hugo language and links its translations as Hugo found them
LAYOUT = ('<html lang="{{ .Lang }}"><head>{{ range .Translations }}<link rel="alternate" hreflang="{{ .Lang }}" '
          'href="{{ .RelPermalink }}">{{ end }}</head><body>{{ .Content }}</body></html>\n')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def with_language_layouts(out: Path) -> None:
    (out / "layouts").mkdir(exist_ok=True)
    for name in ("single.html", "list.html"):
        (out / "layouts" / name).write_text(LAYOUT, "utf-8")


def answering(public: Path, urls: set[str], base_url: str) -> tuple[set[str], dict[str, str]]:
    """The URLs a static host answers from ``public/`` (a file, or a redirect page to a page that is there),
    and where each redirect page sends."""
    answered: set[str] = set()
    redirects: dict[str, str] = {}
    for url in sorted(urls):
        file = site_file(public, unquote(url))
        if file is None:
            continue
        target = refresh_target(file)
        if target is None:
            answered.add(url)
            continue
        path = local_path(target, base_url)
        landing = site_file(public, path) if path is not None else None
        if landing is not None and refresh_target(landing) is None:
            answered.add(url)
            redirects[url] = path
    return answered, redirects


def page_language(public: Path, url: str) -> tuple[str, set[tuple[str, str]]]:
    """The Hugo language of the page at ``url`` and its translations (language, decoded path)."""
    text = site_file(public, unquote(url)).read_text("utf-8")
    lang = re.search(r'<html lang="([^"]*)">', text).group(1)
    return lang, {(code, unquote(href)) for code, href in ALTERNATE.findall(text)}


def test_the_sample_is_one_of_them():
    assert POLYGLOT_BLOG in language_sites()


@pytest.mark.parametrize("policy", ["keep", "hugo"])
@pytest.mark.parametrize("site_dir", language_sites(), ids=site_id)
def test_every_url_of_every_language_answers_on_hugo(site_dir, policy, tmp_path, tmp_path_factory):
    build = cached_jekyll_build(site_dir, tmp_path_factory.mktemp("jekyll-languages"))
    assert build.languages, "the oracle saw no language build"
    out = tmp_path / "hugo"
    manifest, _, _ = export(site_dir, out, now=build.time, tz=build.timezone, no_layouts=True, urls=policy)
    with_language_layouts(out)
    with local_timezone(build.timezone):
        site = read_site(site_dir, now=build.time)
    config = tomllib.loads((out / "hugo.toml").read_text("utf-8"))
    assert config["defaultContentLanguage"] == site.languages[0] and config["defaultContentLanguageInSubdir"] is False
    assert tuple(config["languages"]) == site.languages
    public = hugo_build(out)
    base_url = manifest["hugo"]["base_url"]
    urls = build.urls | build.static_urls
    answered, redirects = answering(public, urls, base_url)
    print(f"\nGENERATED site={site_dir.name} target=hugo policy={policy} urls={len(urls)} answering={len(answered)} "
          f"redirect-pages={len(redirects)}")
    assert sorted(urls - answered) == []

    new_url = {d["source"]: d["new_url"] for d in manifest["documents"]}
    written_in = {(r["relative_path"], r["url"]): r["lang"] for r in build.records if r.get("written")}
    for doc in site.documents:
        if not doc.served_by_jekyll or doc.output_path is None:
            continue
        # each language's copy of a document sends the visitor to the document itself
        for lang, url in doc.language_copies:
            if url == f"/{lang}/" and url not in redirects:
                continue  # the language's home: Hugo's own home page of that language is there
            assert redirects.get(url) == unquote(new_url[doc.source]), url
        # each page is content of its own language, linked to each of its translations
        # its language is that of the build that wrote it (the oracle's record): a page in lang: fr on a site
        # of en, ru and de was written by the en build, a page polyglot wrote only in the de build is German
        lang, alternates = page_language(public, new_url[doc.source])
        assert lang == written_in[(doc.source, doc.url)], doc.source
        expected = {(written_in[(t, site.document(t).url)], unquote(new_url[t])) for t in doc.translations}
        # Hugo links the home pages of all languages by itself
        extra = {(code, path) for code, path in alternates - expected if path != f"/{code}/"}
        assert expected <= alternates and extra == set(), doc.source


def test_a_hand_built_bilingual_site_builds_with_each_old_url(tmp_path):
    site = bilingual_site(tmp_path / "site")
    plan, _, _ = run(site, no_layouts=True)
    out = tmp_path / "hugo"
    write_plan(plan, out)
    with_language_layouts(out)
    public = hugo_build(out)
    urls = {d.url for d in site.documents} | {url for d in site.documents for _, url in d.language_copies}
    urls |= {a for d in site.documents for a in d.redirect_from} | {g.url for g in site.generated}
    answered, redirects = answering(public, urls, "https://example.org/")
    print(f"\nGENERATED site=hand-built-bilingual target=hugo urls={len(urls)} answering={len(answered)}")
    assert sorted(urls - answered) == []
    # each old URL of a copy or a redirect_from leads to the file of its page (Hugo's own aliases name the
    # page by its permalink, /de/kontakt.html; the redirect pages by the URL Jekyll gave it, /de/kontakt)
    landings = {url: site_file(public, path) for url, path in redirects.items()}
    expected = {"/kontakt": "/de/kontakt", "/de/about/": "/about/", "/de/alt-kontakt/": "/de/kontakt"}
    assert landings == {url: site_file(public, path) for url, path in expected.items()}
    assert page_language(public, "/de/news/2020/01/02/hello/") == ("de", {("en", "/news/2020/01/02/hello/")})
    assert page_language(public, "/") == ("en", {("de", "/de/")})
    assert page_language(public, "/de/kontakt") == ("de", set())


def test_the_default_layouts_link_each_page_to_its_translations(tmp_path, tmp_path_factory):
    """With the layouts the exporter ships: each page names its translations (``hreflang``, absolute URLs)
    and its header leads to the home page of its own language."""
    build = cached_jekyll_build(POLYGLOT_BLOG, tmp_path_factory.mktemp("jekyll-polyglot"))
    out = tmp_path / "hugo"
    manifest, _, _ = export(POLYGLOT_BLOG, out, now=build.time, tz=build.timezone)
    public = hugo_build(out)
    base_url = manifest["hugo"]["base_url"].rstrip("/")
    with local_timezone(build.timezone):
        site = read_site(POLYGLOT_BLOG, now=build.time)
    new_url = {d["source"]: d["new_url"] for d in manifest["documents"]}
    checked = 0
    for doc in site.documents:
        if not doc.translations:
            continue
        text = site_file(public, unquote(new_url[doc.source])).read_text("utf-8")
        links = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text))
        assert links == {(site.document(t).language, base_url + new_url[t]) for t in doc.translations}
        home = "/" if doc.language == site.languages[0] else f"/{doc.language}/"
        assert f'<header><a href="{home}">' in text
        checked += 1
    print(f"\nHUGO-TRANSLATIONS site=polyglot-blog pages={checked}")
    assert checked == 8  # the sample: two posts, about and the home page, each in English and Russian
