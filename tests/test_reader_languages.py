"""jekyll-polyglot's rules on the IR, for what the oracle tests (tests/acceptance/test_language_urls.py) cannot
build deterministically or does not show: the race of parallel builds, generated pages, the path rule."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from migrate.ir import GeneratedPage
from migrate.reader import read_site
from migrate.reader.languages import apply_languages


def _site(tmp_path: Path, config: str, files: dict[str, str]) -> Path:
    root = tmp_path / "site"
    root.mkdir(parents=True)
    (root / "_config.yml").write_text(config, "utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


POLYGLOT = 'plugins: [jekyll-polyglot]\nlanguages: ["en", "ru"]\ndefault_lang: en\n'


def test_a_site_without_a_language_plugin_is_left_as_it_is(tmp_path):
    root = _site(tmp_path, 'languages: ["en", "ru"]\n', {"about.md": "---\nlang: ru\n---\nx\n"})
    site = read_site(root)
    assert apply_languages(site) is site
    assert site.languages == () and site.documents[0].language_copies == ()


def test_parallel_builds_race_for_what_the_default_language_writes_into_a_language_folder(tmp_path):
    """``ru/about.md`` in English is written to ``ru/about.html`` by the English build, which the Russian build's
    cleaner removes when it runs later (measured: 2 of 3 parallel builds); the reader says so."""
    root = _site(tmp_path, POLYGLOT, {"ru/about.md": "---\ntitle: A\n---\nx\n"})
    site = read_site(root)
    doc = site.document("ru/about.md")
    assert doc is not None and doc.url == "/ru/ru/about.html" and doc.language_copies == ()
    assert [i.code for i in site.issues] == ["polyglot-race"]
    sequential = read_site(_site(tmp_path / "b", POLYGLOT + "parallel_localization: false\n",
                                 {"ru/about.md": "---\ntitle: A\n---\nx\n"}))
    assert [i.code for i in sequential.issues] == []


def test_language_from_the_path_follows_the_plugins_pattern(tmp_path):
    files = {
        "_posts/zh_Hans_HK/2020-01-01-a.md": "---\ntitle: A\n---\nx\n",  # the plugin's README example
        "de/page.md": "---\ntitle: P\n---\nx\n",
        "docs/page.md": "---\ntitle: Q\n---\nx\n",  # four letters: no language
    }
    site = read_site(_site(tmp_path, POLYGLOT + "lang_from_path: true\n", files))
    langs = {d.source: d.language for d in site.documents}
    assert langs == {"_posts/zh_Hans_HK/2020-01-01-a.md": "zh_Hans_HK", "de/page.md": "de", "docs/page.md": "en"}


def test_each_language_build_writes_the_generated_pages_again_in_its_folder(tmp_path):
    """Generators run in every language build, so a feed at /feed.xml is also at /ru/feed.xml; not a page made
    from a template excluded from localization (that build never read it)."""
    root = _site(tmp_path, POLYGLOT + 'exclude_from_localization: ["blog"]\n',
                 {"index.html": "---\n---\nx\n", "blog/index.html": "---\n---\nx\n"})
    site = read_site(root)
    feed = GeneratedPage(kind="feed", url="/feed.xml", output_path="feed.xml", generator="jekyll-feed")
    page2 = GeneratedPage(kind="pagination", url="/blog/page2/", output_path="blog/page2/index.html",
                          generator="jekyll-paginate", template="blog/index.html", page_number=2)
    plain = dataclasses.replace(site, languages=(), generated=(feed, page2))
    built = apply_languages(dataclasses.replace(plain, documents=tuple(
        dataclasses.replace(d, language=None) for d in site.documents)))
    assert [(g.url, g.output_path, g.language) for g in built.generated] == [
        ("/blog/page2/", "blog/page2/index.html", None), ("/feed.xml", "feed.xml", None),
        ("/ru/feed.xml", "ru/feed.xml", "ru")]


MULTIPLE = Path(__file__).parent / "fixtures" / "reader" / "multiple-languages"


def test_multiple_languages_posts_of_one_name_in_two_language_folders_are_translations():
    """jekyll-multiple-languages-plugin pairs nothing itself; its posts live in ``_i18n/LANG/_posts`` and one
    post's versions share the file name there, which is what the reader takes as translations."""
    site = read_site(MULTIPLE)
    en = site.document("_i18n/en/_posts/2020-01-01-a.md")
    ru = site.document("_i18n/ru/_posts/2020-01-01-a.md")
    assert en is not None and ru is not None
    assert (en.language, ru.language) == ("en", "ru")
    assert en.translations == (ru.source,) and ru.translations == (en.source,)
    assert site.document("_i18n/ru/_posts/2020-01-02-only-ru.md").translations == ()
    assert site.document("_posts/2020-01-03-top.md") is None  # the plugin reads _i18n/LANG/_posts instead


def test_multiple_languages_without_a_translation_file_is_an_error(tmp_path):
    """The plugin loads ``_i18n/LANG.yml`` for every language before rendering; without it Jekyll stops."""
    root = _site(tmp_path, 'plugins: [jekyll-multiple-languages-plugin]\nlanguages: ["en", "ru"]\n',
                 {"_i18n/en.yml": "hello: Hello\n", "index.md": "---\n---\nx\n"})
    site = read_site(root)
    assert [(i.code, i.severity) for i in site.issues] == [("language-config", "error")]
    assert "_i18n/ru.yml" in site.issues[0].message
    assert site.document("index.md").language_copies == (("ru", "/ru/"),)


def test_multiple_languages_with_an_empty_language_is_an_error(tmp_path):
    """The plugin stops the build unless every entry of ``languages`` is set (``languages.all?``)."""
    root = _site(tmp_path, 'plugins: [jekyll-multiple-languages-plugin]\nlanguages: [null, "ru"]\n',
                 {"_i18n/ru.yml": "hello: Privet\n", "index.md": "---\n---\nx\n"})
    site = read_site(root)
    assert [(i.code, i.severity) for i in site.issues] == [("language-config", "error")]


def test_the_per_language_read_is_the_readers_own_pipeline(tmp_path):
    """jekyll-multiple-languages-plugin's builds are read by a copy of ``SiteReader.read``'s steps: where the
    plugin changes nothing (posts not localized, no permalink_LANG, no .htaccess) the default language's
    read equals the plain reader's, so a step added to one and not the other shows here."""
    from migrate.reader.languages import _MultipleLanguages
    from migrate.reader.site import SiteReader

    root = _site(tmp_path, 'plugins: [jekyll-multiple-languages-plugin, jekyll-redirect-from]\nlanguages: ["en"]\n'
                 'exclude_from_localizations: ["_posts"]\ncollections:\n  docs:\n    output: true\n',
                 {"_i18n/en.yml": "a: b\n", "_posts/2020-01-01-a.md": "---\ntitle: A\nredirect_from: /old/\n---\nx\n",
                  "_docs/d.md": "---\ntitle: D\n---\nd\n", "about.md": "---\npermalink: /about/\n---\nx\n",
                  "README.md": "no front matter\n", "img/x.png": "png"})
    reader = SiteReader(root)
    plain = reader.read()
    ours = _MultipleLanguages(SiteReader(root), plain)._read("en")
    assert ours.to_dict() == dataclasses.replace(plain, time=ours.time).to_dict()
