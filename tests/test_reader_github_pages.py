"""Which build made the site (GitHub Pages or plain Jekyll), and the configuration and plugins it reads with.

What the content plugins do is measured against real Jekyll in tests/acceptance/test_github_pages.py; these
are the reader's own decisions: detection, GitHub's settings, and the plugins it names."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from migrate.cli import build_parser, main
from migrate.reader import read_site
from migrate.reader.github_pages import DEFAULT_PLUGINS, detect_build

FUTURE_POST = "---\ntitle: Ahead\n---\nLater.\n"


def make_site(root: Path, config: str = "title: T\n", **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config, "utf-8")
    for name, text in files.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def codes(site) -> list[str]:
    return [i.code for i in site.issues]


def named(site, code: str) -> list[str]:
    """The plugins the issues of ``code`` name."""
    return sorted(re.search(r"plugin (\S+?),", i.message).group(1) for i in site.issues if i.code == code)


@pytest.mark.parametrize("gemfile, expected", [
    ('source "https://rubygems.org"\ngem "github-pages", group: :jekyll_plugins\n', True),
    ("gem 'github-pages', '~> 232'\n", True),
    ('gem("github-pages")\n', True),
    ('# gem "github-pages"\ngem "jekyll", "~> 4.3"\n', False),
    ('gem "github-pages-health-check"\n', False),
])
def test_a_gemfile_naming_the_github_pages_gem_marks_the_build(tmp_path, gemfile, expected):
    site = make_site(tmp_path / "s", Gemfile=gemfile)
    assert detect_build(site, None).github_pages is expected


def test_a_workflow_running_jekyll_build_pages_marks_the_build(tmp_path):
    uses = "    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/jekyll-build-pages@v1\n"
    site = make_site(tmp_path / "s", **{".github__workflows__pages.yml": "jobs:\n  build:\n" + uses})
    build = detect_build(site, None)
    assert build.github_pages and ".github/workflows/pages.yml" in build.reason
    other = make_site(tmp_path / "o", **{".github__workflows__ci.yml": "jobs:\n  b:\n    steps:\n"
                                         "      # - uses: actions/jekyll-build-pages@v1\n"
                                         "      - run: bundle exec jekyll build\n"})
    assert not detect_build(other, None).github_pages


def test_a_workflow_at_the_top_of_the_repository_marks_a_site_in_a_folder(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    make_site(repo, **{".github__workflows__pages.yaml": "jobs:\n  b:\n    steps:\n"
                       "      - uses: 'actions/jekyll-build-pages@v1'\n"})
    docs = make_site(repo / "docs")
    assert detect_build(docs, None).github_pages
    outside = make_site(tmp_path / "elsewhere")  # no repository above it: only its own folder counts
    assert not detect_build(outside, None).github_pages


def test_the_flags_decide_over_detection(tmp_path):
    site = make_site(tmp_path / "s", Gemfile='gem "github-pages"\n')
    assert not detect_build(site, False).github_pages
    assert detect_build(make_site(tmp_path / "p"), True).github_pages


def test_github_pages_publishes_future_posts_unless_the_site_says_otherwise(tmp_path):
    files = {"Gemfile": 'gem "github-pages"\n', "_posts__2998-01-01-ahead.md": FUTURE_POST}
    site = read_site(make_site(tmp_path / "s", **files))
    assert site.document("_posts/2998-01-01-ahead.md").built_by_jekyll
    assert site.config["future"] is True and site.config["safe"] is True
    assert "github-pages" in codes(site)
    own = read_site(make_site(tmp_path / "own", "future: false\n", **files))
    assert not own.document("_posts/2998-01-01-ahead.md").built_by_jekyll
    plain = read_site(make_site(tmp_path / "plain", **files), github_pages=False)
    assert not plain.document("_posts/2998-01-01-ahead.md").built_by_jekyll
    assert "github-pages" not in codes(plain)


def test_github_pages_excludes_cname_only_when_the_site_excludes_nothing(tmp_path):
    files = {"Gemfile": 'gem "github-pages"\n', "CNAME": "example.org\n"}
    site = read_site(make_site(tmp_path / "s", **files))
    assert "CNAME" not in {s.source for s in site.static_files}
    own = read_site(make_site(tmp_path / "own", "exclude: [notes.txt]\n", **files))
    assert "CNAME" in {s.source for s in own.static_files}


def test_github_pages_runs_its_plugins_and_only_those_it_allows(tmp_path):
    config = "plugins: [jekyll-feed, jekyll-archives]\nmarkdown: redcarpet\n"
    gemfile = 'gem "github-pages"\ngroup :jekyll_plugins do\n  gem "jekyll-polyglot"\nend\n'
    site = read_site(make_site(tmp_path / "s", config, Gemfile=gemfile))
    assert site.plugins == ("jekyll-feed", *DEFAULT_PLUGINS)  # the Gemfile's group plays no part
    assert named(site, "github-pages-plugin-ignored") == ["jekyll-archives"]
    assert site.config["markdown"] == "kramdown"  # GitHub Pages turns other converters into kramdown
    assert "config-unsupported" not in codes(site)


def test_each_plugin_the_migration_does_not_model_is_named(tmp_path):
    config = (
        "plugins: [jekyll-feed, jekyll-redirect-from, jekyll-titles-from-headings, jekyll-gist, jekyll-avatar, jemoji,"
        " jekyll-octicons]\n"
    )
    site = read_site(make_site(tmp_path / "s", config))
    assert named(site, "plugin-not-modelled") == ["jekyll-octicons"]


def test_the_plugins_run_on_a_plain_site_that_lists_them_and_not_otherwise(tmp_path):
    files = {"notes.md": "Notes\n=====\n\nSee [a](a.md).\n", "a.md": "---\n---\nA.\n"}
    listed = read_site(make_site(tmp_path / "on", "plugins: [jekyll-optional-front-matter]\n", **files))
    assert listed.document("notes.md").url == "/notes.html" and listed.document("notes.md").title == ""
    assert listed.document("notes.md").body == "Notes\n=====\n\nSee [a](a.md).\n"
    off = read_site(make_site(tmp_path / "off", **files))
    assert off.document("notes.md") is None and "notes.md" in {s.source for s in off.static_files}


def _inspect(*argv: str) -> tuple[int, dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["inspect", "--json", *argv])
    return code, json.loads(out.getvalue())


def test_every_command_that_reads_a_site_takes_the_flags(tmp_path):
    site = make_site(tmp_path / "s", **{"README.md": "# Read me\n"})
    _, plain = _inspect(str(site))
    _, pages = _inspect("--github-pages", str(site))
    assert [d["url"] for d in plain["documents"]] == []
    assert [(d["url"], d["title"]) for d in pages["documents"]] == [("/", "Read me")]
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["inspect", "--github-pages", "--no-github-pages", str(site)]) == 2
    parser = build_parser()
    for argv in (["dump-ir"], ["convert"], ["export", "--to", "hugo", "-o", "out"],
                 ["redirects", "--to", "hugo", "--format", "nginx"]):
        assert parser.parse_args([*argv, "--no-github-pages", str(site)]).github_pages is False
        assert parser.parse_args([*argv, "--github-pages", str(site)]).github_pages is True
        assert parser.parse_args([*argv, str(site)]).github_pages is None


def test_a_readme_page_a_collection_document_overwrites_is_left_out():
    """jekyll-readme-index makes a collection folder's README a page at the folder's URL; where the collection
    writes its own index there (documents are written after pages), the page was never served (real Jekyll:
    tests/acceptance/test_github_pages.py on this fixture)."""
    site = read_site(Path(__file__).parent / "fixtures" / "reader" / "gh-pages-plugins")
    assert site.document("_guides/intro/README.md") is None
    assert site.document("_guides/intro/index.html").url == "/intro/"
    assert site.document("_guides/notes/README.md").url == "/notes/"
    assert [i.source for i in site.issues if i.code == "page-overwritten"] == ["_guides/intro/README.md"]
    assert {"_guides/intro/README.md", "_guides/notes/README.md"} <= {s.source for s in site.static_files}


def test_github_pages_uses_its_default_theme_unless_the_site_turns_it_off(tmp_path):
    gemfile = {"Gemfile": 'gem "github-pages"\n'}
    site = read_site(make_site(tmp_path / "s", **gemfile))
    assert site.config["theme"] == "jekyll-theme-primer" and "theme-gem" in codes(site)
    off = read_site(make_site(tmp_path / "off", "theme: null\n", **gemfile))
    assert off.config.get("theme") is None and "theme-gem" not in codes(off)
    own = read_site(make_site(tmp_path / "own", "theme: minima\n", **gemfile))
    assert own.config["theme"] == "minima"


def test_inspect_lists_the_plugins_the_build_loads_and_which_are_modelled(tmp_path):
    site = make_site(tmp_path / "s", "plugins: [jekyll-feed, jekyll-octicons]\n")
    _, plain = _inspect(str(site))
    assert plain["site"]["plugins"] == [{"name": "jekyll-feed", "modelled": True},
                                        {"name": "jekyll-octicons", "modelled": False}]
    _, pages = _inspect("--github-pages", str(site))
    assert {"name": "jekyll-github-metadata", "modelled": True} in pages["site"]["plugins"]


def test_inspect_text_names_the_plugins_it_does_not_model(tmp_path, capsys):
    site = make_site(tmp_path / "s", "plugins: [jekyll-feed, jekyll-octicons]\n")
    main(["inspect", str(site)])
    assert "plugins: jekyll-feed, jekyll-octicons (not modelled)\n" in capsys.readouterr().out
