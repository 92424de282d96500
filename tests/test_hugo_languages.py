"""The Hugo export of a multilingual site (jekyll-polyglot read into ``Site.languages``), on hand-built IR: Hugo's
``[languages]`` with the default language at the root, each document content of its own language, translations
linked by ``translationKey``, every old URL of every language kept (aliases, redirect pages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomllib

from exporters.hugo.config import layout_text
from migrate.ir import Document, GeneratedPage, Site, StaticFile
from tests.test_hugo_exporter import front, make_site, page, post, run

PST = dt.timezone(dt.timedelta(hours=-8))
EN_HELLO = "_posts/2020-01-02-hello.md"
DE_HELLO = "_posts/de/2020-01-02-hello.md"


def bilingual_documents() -> list[Document]:
    """English (the default) at the root and German under /de/, as jekyll-polyglot serves them: a post and the
    home page in both languages, an English page the German build copied, a German page the English build
    copied (at an extensionless URL), and a German-only redirect_from."""
    return [
        post("hello", "/news/2020/01/02/hello/", language="en", translations=(DE_HELLO,)),
        post("hello", "/de/news/2020/01/02/hello/", source=DE_HELLO, title="Hallo", language="de",
             translations=(EN_HELLO,), body="Hallo Welt.\n"),
        page("index.html", "/", language="en", translations=("de/index.html",), markup="html"),
        page("de/index.html", "/de/", language="de", translations=("index.html",), markup="html"),
        page("about.md", "/about/", language="en", language_copies=(("de", "/de/about/"),)),
        page("de/kontakt.md", "/de/kontakt", output_path="de/kontakt.html", language="de",
             language_copies=(("en", "/kontakt"),), redirect_from=("/de/alt-kontakt/",)),
    ]


def bilingual_site(tmp_path: Path) -> Site:
    css = StaticFile("css/site.css", "/css/site.css", 9)
    copy = GeneratedPage(kind="other", url="/de/css/site.css", output_path="de/css/site.css",
                         generator="jekyll-polyglot", template="css/site.css", lists=None, language="de")
    return make_site(tmp_path, bilingual_documents(), static=[css], generated=(copy,), languages=("en", "de"))


def test_hugo_toml_has_the_languages_with_the_default_at_the_root(tmp_path):
    plan, _, _ = run(bilingual_site(tmp_path))
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert config["defaultContentLanguage"] == "en"
    assert config["defaultContentLanguageInSubdir"] is False
    assert config["languages"] == {"en": {"weight": 1, "locale": "en"}, "de": {"weight": 2, "locale": "de"}}


def test_each_document_is_content_of_its_language_and_translations_share_a_key(tmp_path):
    plan, _, targets = run(bilingual_site(tmp_path))
    en, de = front(plan, "content/posts/hello/index.md"), front(plan, "content/posts/hello/index.de.md")
    assert en["translationKey"] == de["translationKey"]
    # the German post is Hugo's /de/ + the posts permalink: no url needed
    assert "url" not in de and targets.document_urls[DE_HELLO] == "/de/news/2020/01/02/hello/"
    home_en, home_de = front(plan, "content/_index.md"), front(plan, "content/_index.de.md")
    assert home_en["translationKey"] == home_de["translationKey"] != en["translationKey"]
    assert "translationKey" not in front(plan, "content/about.md")
    assert "content/de/kontakt.md" not in plan.files and "content/kontakt.de.md" in plan.files


def test_each_languages_old_urls_are_kept(tmp_path):
    plan, _, _ = run(bilingual_site(tmp_path))
    # the default language's page: Hugo writes its aliases as they are
    assert front(plan, "content/about.md")["aliases"] == ["/de/about/"]
    # a German page: Hugo puts its aliases under /de/ itself; its English copy gets a redirect page
    kontakt = front(plan, "content/kontakt.de.md")
    assert kontakt["url"] == "/de/kontakt.html" and kontakt["aliases"] == ["/alt-kontakt/"]
    redirect = plan.files["static/kontakt.html"].content.decode()
    assert 'url=https://example.org/de/kontakt"' in redirect
    # the German copy of a static file: Hugo copies static/ once, at the root
    assert plan.files["static/de/css/site.css"].copy_from == str(tmp_path / "css/site.css")
    rules = dict(plan.redirects)
    assert "/de/css/site.css" not in rules and rules.get("/kontakt") == "/de/kontakt"


def test_a_one_language_site_has_no_languages(tmp_path):
    documents = [post("hello", "/news/2020/01/02/hello/"), page("about.md", "/about/")]
    plan, _, _ = run(make_site(tmp_path, documents))
    config = tomllib.loads(plan.files["hugo.toml"].content.decode())
    assert "languages" not in config and "defaultContentLanguage" not in config
    assert "translationKey" not in front(plan, "content/posts/hello/index.md")
    assert plan.files["layouts/baseof.html"].content.decode() == layout_text("baseof.html")


def test_the_default_base_layout_links_translations_on_a_multilingual_site(tmp_path):
    plan, _, _ = run(bilingual_site(tmp_path))
    baseof = plan.files["layouts/baseof.html"].content.decode()
    assert "{{- range .Translations }}" in baseof and 'hreflang="{{ .Language.Locale }}"' in baseof
    assert '{{ "/" | relLangURL }}' in baseof and '{{ "/" | relURL }}' not in baseof
