"""Real Jekyll with a language plugin (jekyll-polyglot, jekyll-multiple-languages-plugin) is the oracle: every
URL its language builds write is in ``inspect --json``, and nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from migrate.reader import read_site
from tests.acceptance.test_generated_urls import inspect_json
from tests.conftest import REPO, all_sites, site_id
from tests.support.jekyll import cached_jekyll_build

pytestmark = pytest.mark.acceptance

FIXTURES = REPO / "tests" / "fixtures" / "reader"
DOCUMENT_KINDS = ("post", "draft", "document", "page")
LANGUAGE_PLUGINS = ("jekyll-polyglot", "jekyll-multiple-languages-plugin")


def _loads_polyglot(site_dir: Path) -> bool:
    try:
        config = yaml.safe_load((site_dir / "_config.yml").read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return False
    plugins = config.get("plugins") or [] if isinstance(config, dict) else []
    return "jekyll-polyglot" in plugins or "jekyll-multiple-languages-plugin" in plugins


def language_sites() -> list[Path]:
    fixtures = sorted(p.parent for p in FIXTURES.glob("*/_config.yml"))
    return [p for p in all_sites() + fixtures if _loads_polyglot(p)]


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    root = tmp_path_factory.mktemp("jekyll-language-builds")
    return lambda site_dir, **options: cached_jekyll_build(site_dir, root, **options)


def inspect_urls(payload: dict) -> set[str]:
    """Every URL ``inspect --json`` says the old site served: documents in their own language and their copies
    in the others, redirect pages of every language build, static files and their per-language copies."""
    urls: set[str] = set()
    for doc in payload["documents"]:
        if doc["built"] and doc["output_path"] is not None:
            urls.add(doc["url"])
            urls.update(copy["url"] for copy in doc["language_copies"])
        if doc["built"]:
            urls.update(doc["redirect_from"])
    urls.update(s["url"] for s in payload["static_files"])
    urls.update(g["url"] for g in payload["generated"] if g["generator"] in LANGUAGE_PLUGINS)
    return urls


def test_there_is_a_language_sample():
    assert "polyglot-blog" in {p.name for p in language_sites()}


@pytest.mark.parametrize("site_dir", language_sites(), ids=site_id)
def test_language_urls_equal_jekyll(site_dir: Path, jekyll, monkeypatch):
    build = jekyll(site_dir)
    assert build.languages, "the oracle saw no jekyll-polyglot build"
    monkeypatch.setenv("TZ", build.timezone)
    theirs = build.urls | build.static_urls
    ours = inspect_urls(inspect_json(site_dir))
    matched = theirs & ours
    print(f"\nURLS site={site_dir.name} mode=plugins jekyll={len(theirs)} ours={len(ours)} matched={len(matched)}")
    assert sorted(theirs - ours) == [] and sorted(ours - theirs) == []


@pytest.mark.parametrize("site_dir", language_sites(), ids=site_id)
def test_each_document_and_copy_is_the_one_jekyll_wrote(site_dir: Path, jekyll, monkeypatch):
    """Not only the same URLs: the same source file behind each URL, in each language build (which version
    a language shows, which falls back to the default language), and the same static file behind each copy."""
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    site = read_site(site_dir, now=build.time)
    records = {(r["relative_path"], r["url"], r["lang"]) for r in build.records
               if r["kind"] in DOCUMENT_KINDS and r["written"]}
    ours: set[tuple[str, str]] = set()
    for doc in site.documents:
        if doc.served_by_jekyll:
            ours.add((doc.source, doc.url))
            ours.update((doc.source, url) for _, url in doc.language_copies)
            # each copy is the one that language's build wrote
            assert {(doc.source, url, lang) for lang, url in doc.language_copies} <= records
    theirs = {(source, url) for source, url, _ in records}
    assert sorted(theirs - ours) == [] and sorted(ours - theirs) == []
    static_theirs = {(s["relative_path"], s["url"]) for s in build.static_files if s["written"]}
    static_ours = {(s.source, s.url) for s in site.static_files} | {
        (g.template, g.url) for g in site.generated if g.generator in LANGUAGE_PLUGINS}
    assert static_ours == static_theirs


@pytest.mark.parametrize("site_dir", [p for p in language_sites() if p.name.startswith("polyglot")], ids=site_id)
def test_translations_are_the_versions_jekyll_shows_in_the_other_languages(site_dir: Path, jekyll, monkeypatch):
    """A document's translations are the documents that another language's build writes in place of it: the
    plugin sets each kept document's ``permalink`` to the URL it compares, which the oracle dumps."""
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    site = read_site(site_dir, now=build.time)
    by_url: dict[str, set[str]] = {}
    for r in build.records:
        if r["kind"] in DOCUMENT_KINDS and r["written"]:
            by_url.setdefault(r["permalink"], set()).add(r["relative_path"])
    for doc in site.documents:
        for other in doc.translations:
            partner = site.document(other)
            assert partner is not None and partner.language != doc.language
        if doc.served_by_jekyll and len(site.languages) > 1:
            together = {s for group in by_url.values() if doc.source in group for s in group}
            versions = {s for s in together - {doc.source} if site.document(s).language != doc.language}
            assert set(doc.translations) == versions
