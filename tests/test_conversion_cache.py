"""The conversion cache: a second export reuses every conversion; a changed post re-converts itself and
what reads it, nothing else (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters.hugo import HugoExporter
from migrate.content.pipeline import ContentPipeline
from migrate.export import build_plan
from migrate.reader import read_site
from migrate.report import Report

POSTS = {
    "_posts/2020-01-01-alpha.md": "---\ntitle: Alpha\n---\nAlpha body, see {% post_url 2020-01-02-beta %}.\n",
    "_posts/2020-01-02-beta.md": "---\ntitle: Beta\n---\nBeta body.\n",
    "_posts/2020-01-03-gamma.md": "---\ntitle: Gamma\n---\nGamma body.\n",
    "archive.md": "---\ntitle: Archive\n---\n{% for p in site.posts %}- {{ p.title }}: {{ p.content | strip_html }}\n"
                  "{% endfor %}\n",
    "about.md": "---\ntitle: About\n---\nJust text, {{ site.title }}.\n",
    "recent.md": "---\ntitle: Recent\n---\n{% include recent.html %}\n",
    "_includes/recent.html": "{% for p in site.posts limit: 2 %}{{ p.content | strip_html }}{% endfor %}",
}
DOCUMENTS = sorted(k for k in POSTS if not k.startswith("_includes/"))


@pytest.fixture()
def site_dir(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for rel, text in POSTS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    (root / "_config.yml").write_text("title: Cache test\ntimezone: UTC\n", "utf-8")
    return root


def _export(site_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, jobs: int = 1) -> tuple[list[str], dict]:
    converted: list[str] = []
    original = ContentPipeline.convert

    def counting(self, document, fmt, **options):  # type: ignore[no-untyped-def]
        converted.append(document.source)
        return original(self, document, fmt, **options)

    monkeypatch.setattr(ContentPipeline, "convert", counting)
    plan = build_plan(read_site(site_dir), HugoExporter, {}, Report(), jobs=jobs, cache_dir=cache)
    return sorted(converted), {p: f.read() for p, f in plan.files.items()}


def test_unchanged_site_converts_nothing_and_gives_the_same_output(site_dir, tmp_path, monkeypatch):
    first, out1 = _export(site_dir, tmp_path / "cache", monkeypatch)
    assert first == DOCUMENTS
    second, out2 = _export(site_dir, tmp_path / "cache", monkeypatch)
    assert second == []
    assert out2 == out1
    assert (tmp_path / "cache" / "conversions.sqlite3").is_file()


def test_changed_post_reconverts_itself_and_the_page_that_lists_posts(site_dir, tmp_path, monkeypatch):
    _export(site_dir, tmp_path / "cache", monkeypatch)
    beta = site_dir / "_posts/2020-01-02-beta.md"
    beta.write_text(beta.read_text("utf-8").replace("Beta body.", "Beta body, revised."), "utf-8")
    again, out = _export(site_dir, tmp_path / "cache", monkeypatch)
    # alpha links to beta by URL only, about reads the config: neither re-converts
    assert again == ["_posts/2020-01-02-beta.md", "archive.md", "recent.md"]
    for page in ("archive", "recent"):
        assert b"Beta body, revised." in next(v for k, v in out.items() if page in k)
    # and the same output as an export without any cache
    _, fresh = _export(site_dir, tmp_path / "other-cache", monkeypatch)
    assert out == fresh


def test_damaged_cache_file_is_converted_afresh(site_dir, tmp_path, monkeypatch):
    _, out1 = _export(site_dir, tmp_path / "cache", monkeypatch)
    (tmp_path / "cache" / "conversions.sqlite3").write_bytes(b"not a database")
    for name in ("conversions.sqlite3-wal", "conversions.sqlite3-shm"):
        (tmp_path / "cache" / name).unlink(missing_ok=True)
    again, out2 = _export(site_dir, tmp_path / "cache", monkeypatch)
    assert again == DOCUMENTS
    assert out2 == out1


def test_workers_read_the_cache_and_give_the_same_output(site_dir, tmp_path, monkeypatch):
    _, serial = _export(site_dir, tmp_path / "serial-cache", monkeypatch, jobs=1)
    _, filled = _export(site_dir, tmp_path / "cache", monkeypatch, jobs=2)
    _, reused = _export(site_dir, tmp_path / "cache", monkeypatch, jobs=2)
    assert filled == serial and reused == serial


def test_a_page_with_include_cached_of_an_include_that_lists_posts_reconverts(site_dir, tmp_path, monkeypatch):
    (site_dir / "_config.yml").write_text("title: Cache test\ntimezone: UTC\nplugins: [jekyll-include-cache]\n")
    (site_dir / "cached.md").write_text("---\ntitle: Cached\n---\n{% include_cached recent.html %}\n", "utf-8")
    _export(site_dir, tmp_path / "cache", monkeypatch)
    beta = site_dir / "_posts/2020-01-02-beta.md"
    beta.write_text(beta.read_text("utf-8").replace("Beta body.", "Beta body, revised."), "utf-8")
    again, out = _export(site_dir, tmp_path / "cache", monkeypatch)
    assert "cached.md" in again
    assert b"Beta body, revised." in next(v for k, v in out.items() if "cached" in k)


def test_a_plugin_loaded_through_the_gemfile_reconverts_every_document(site_dir, tmp_path, monkeypatch):
    # the plugins decide what a body becomes (jekyll-mentions' links); the Gemfile can load one the config
    # does not list
    (site_dir / "about.md").write_text("---\ntitle: About\n---\nThanks @ada.\n", "utf-8")
    _export(site_dir, tmp_path / "cache", monkeypatch)
    (site_dir / "Gemfile").write_text('group :jekyll_plugins do\n  gem "jekyll-mentions"\nend\n', "utf-8")
    again, out = _export(site_dir, tmp_path / "cache", monkeypatch)
    assert again == DOCUMENTS
    assert b'href="https://github.com/ada"' in next(v for k, v in out.items() if "about" in k)
