"""jekyll-github-metadata's offline ``site.github``: the reader's own decisions that real Jekyll cannot show
offline (its build stops on a ``github:`` mapping or with no repository name). The values the plugin writes
are measured against real Jekyll in tests/acceptance/test_github_plugins.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from migrate.content.pipeline import ContentPipeline, identity_targets
from migrate.reader import read_site
from migrate.reader.plugins import github_metadata


def make_site(root: Path, config: str, body: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text("plugins: [jekyll-github-metadata]\n" + config, "utf-8")
    (root / "index.html").write_text("---\n---\n" + body, "utf-8")
    return root


def rendered(site_dir: Path) -> str:
    site = read_site(site_dir)
    pipeline = ContentPipeline(site, identity_targets(site))
    return pipeline.convert(next(d for d in site.documents if d.source == "index.html"), "html").body


def test_the_configurations_github_mapping_is_merged_over_the_computed_values(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGES_REPO_NWO", raising=False)
    site = make_site(tmp_path / "s", "repository: a/b\ngithub:\n  repository_nwo: Other/name\n  extra: 1\n",
                     "{{ site.github.repository_nwo }} {{ site.github.repository_url }} {{ site.github.extra }}")
    assert rendered(site) == "Other/name https://github.com/a/b 1"


def test_a_github_value_that_is_no_mapping_replaces_the_namespace(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGES_REPO_NWO", raising=False)
    site = make_site(tmp_path / "s", "repository: a/b\ngithub: plain\n", "{{ site.github }}")
    assert rendered(site) == "plain"


def test_no_repository_name_leaves_only_the_environment_values_and_is_reported(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGES_REPO_NWO", raising=False)
    site_dir = make_site(tmp_path / "s", "", "[{{ site.github.hostname }}|{{ site.github.repository_url }}]")
    site = read_site(site_dir)
    assert [i.code for i in site.issues if i.code.startswith("github-metadata")] == ["github-metadata-no-repository"]
    assert site.title == ""
    assert rendered(site_dir) == "[github.com|]"


def test_the_offline_issue_names_the_values_left_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGES_REPO_NWO", "o/r")
    site = read_site(make_site(tmp_path / "s", ""))
    [issue] = [i for i in site.issues if i.code == "github-metadata-offline"]
    assert "o/r (from PAGES_REPO_NWO)" in issue.message and "project_tagline" in issue.message
    assert site.title == "r"


def test_the_git_remote_names_the_repository_in_a_development_build_only(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGES_REPO_NWO", raising=False)
    root = tmp_path / "s"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "remote", "add", "origin", "https://github.com/me/my-site.git"], cwd=root, check=True)
    pages = github_metadata._Pages({})
    assert github_metadata.nwo_from_remote(root, "github.com") == "me/my-site"
    assert github_metadata.find_nwo({}, root, {}, pages)[0] == "me/my-site"
    assert github_metadata.find_nwo({}, root, {"JEKYLL_ENV": "production"}, pages)[0] is None


def test_a_site_without_the_plugin_has_no_site_github(tmp_path):
    (tmp_path / "_config.yml").write_text("repository: a/b\n", "utf-8")
    (tmp_path / "index.html").write_text("---\n---\n[{{ site.github.repository_url }}]", "utf-8")
    assert rendered(tmp_path) == "[]"


def test_the_edit_link_is_empty_without_a_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGES_REPO_NWO", raising=False)
    site_dir = make_site(tmp_path / "s", "", "[{% github_edit_link %}|{% github_edit_link \"Edit\" %}]")
    site = read_site(site_dir)
    pipeline = ContentPipeline(site, identity_targets(site))
    converted = pipeline.convert(next(d for d in site.documents if d.source == "index.html"), "html")
    assert converted.body == '[|<a href="">Edit</a>]'
    assert [i.code for i in converted.issues] == ["github-edit-link"]
