"""Bad input gives a clear issue naming the file (and line), never a traceback, and the rest is read."""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

import pytest

from migrate.errors import SiteError
from migrate.ir import Site
from migrate.reader import read_site

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reader"
NOW = _dt.datetime(2024, 6, 1, 12, 0, tzinfo=_dt.timezone.utc)


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(scope="module")
def broken() -> Site:
    return read_site(FIXTURES / "broken-but-built", now=NOW)


@pytest.fixture(scope="module")
def bad() -> Site:
    return read_site(FIXTURES / "bad-input", now=NOW)


def issues(site: Site, code: str) -> list[tuple[str | None, int | None]]:
    return [(i.source, i.line) for i in site.issues if i.code == code]


def test_broken_yaml_names_file_and_line_and_keeps_the_body(broken):
    assert issues(broken, "yaml-error") == [("_posts/2020-01-01-broken-yaml.md", 3)]
    doc = broken.document("_posts/2020-01-01-broken-yaml.md")
    assert doc.body == "Body survives.\n" and doc.body_line == 5
    # Jekyll skips the post's data: no filename date or slug, so site.time and the whole name
    assert doc.url == "/2024/06/01/2020-01-01-broken-yaml.html"
    assert doc.title == "Broken Yaml"


def test_non_utf8_file(broken):
    assert issues(broken, "encoding") == [("_posts/2020-01-02-latin1.md", 2)]
    doc = broken.document("_posts/2020-01-02-latin1.md")
    assert doc.built_by_jekyll is False  # Jekyll skips posts that are not valid UTF-8
    assert "\ufffd" in doc.body


def test_bom_and_crlf(broken):
    assert issues(broken, "bom") == [("_posts/2020-01-03-bom.md", None)]
    post = broken.document("_posts/2020-01-03-bom.md")
    assert post.title == "With BOM" and post.url == "/2020/01/03/bom.html"
    # a page whose front matter follows a BOM is a static file to Jekyll
    assert [s.source for s in broken.static_files] == ["bom-page.md"]
    assert issues(broken, "bom-front-matter") == [("bom-page.md", 1)]
    crlf = broken.document("_posts/2020-01-04-crlf.md")
    assert crlf.title == "CRLF" and crlf.body == "Line one\nLine two\n" and "\r" not in crlf.body
    assert issues(broken, "crlf") == [("_posts/2020-01-04-crlf.md", None)]


def test_front_matter_that_is_a_list_or_scalar(broken, bad):
    assert issues(broken, "front-matter-not-mapping") == [("_posts/2020-01-05-list.md", 2)]
    assert issues(bad, "front-matter-not-mapping") == [("scalar.md", 2)]
    assert bad.document("scalar.md").body == "Scalar front matter.\n"


def test_two_documents_claiming_one_url(broken):
    [issue] = [i for i in broken.issues if i.code == "url-collision"]
    assert "one.md" in issue.message and "two.md" in issue.message and "/same/index.html" in issue.message


def test_unterminated_front_matter_is_all_body(broken):
    doc = broken.document("unterminated.md")
    assert doc.body.startswith("---\ntitle: x") and doc.front_matter == {}


def test_impossible_and_invalid_dates(bad):
    found = issues(bad, "invalid-date")
    assert ("_posts/2020-13-45-impossible.md", None) in found
    assert ("_posts/2020-01-07-bad-date.md", None) in found
    # the front-matter date was unusable: the file name's date stands in
    assert bad.document("_posts/2020-01-07-bad-date.md").url == "/2020/01/07/bad-date.html"


def test_alias_bomb_refused(bad):
    assert [s for s, _ in issues(bad, "yaml-error")] == ["_posts/2020-01-06-alias-bomb.md"]
    assert bad.document("_posts/2020-01-06-alias-bomb.md").body == "Bomb.\n"


def test_empty_permalink(bad):
    assert issues(bad, "invalid-permalink") == [("empty-permalink.md", None)]
    assert bad.document("empty-permalink.md").url == "/empty-permalink.html"


def test_good_documents_still_read(broken):
    assert broken.document("good.md").title == "Good"
    assert all(i.source for i in broken.issues)  # every issue names its file


def test_broken_config(tmp_path):
    (tmp_path / "_config.yml").write_text("title: [broken\n", "utf-8")
    (tmp_path / "index.md").write_text("---\ntitle: Home\n---\n", "utf-8")
    site = read_site(tmp_path, now=NOW)
    assert [(i.code, i.source, i.line) for i in site.issues] == [("config-error", "_config.yml", 2)]
    assert site.document("index.md").url == "/"


def test_missing_config_and_empty_site(tmp_path):
    site = read_site(tmp_path, now=NOW)
    assert site.documents == () and site.issues == ()


def test_not_a_folder(tmp_path):
    with pytest.raises(SiteError):
        read_site(tmp_path / "missing")


def test_links_that_leave_the_site_dangle_or_loop_are_not_followed(tmp_path):
    """Jekyll in safe mode refuses links out of the site (and outside safe mode reads them: we never do);
    a dangling link stops Jekyll, a link to a folder above it makes Jekyll recurse until the path breaks."""
    (tmp_path / "_config.yml").write_text("title: x\n", "utf-8")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")
    os.symlink(".", tmp_path / "here")
    os.symlink("missing.md", tmp_path / "dangling.md")
    os.symlink(f"../{tmp_path.name}-elsewhere", tmp_path / "sideways")  # a sibling whose name extends the site's
    (tmp_path.parent / f"{tmp_path.name}-elsewhere").mkdir()
    (tmp_path.parent / f"{tmp_path.name}-elsewhere" / "x.md").write_text("---\n---\n", "utf-8")
    site = read_site(tmp_path, now=NOW)
    assert site.documents == ()
    assert sorted(s for s, _ in issues(site, "symlink")) == ["dangling.md", "here", "sideways", "sub/up"]
    assert {o.source: o.reason for o in site.other_files} == {
        "_config.yml": "config", "dangling.md": "symlink", "here": "symlink", "sideways": "symlink", "sub/up": "symlink"}


def test_symlinks_are_not_followed(tmp_path):
    (tmp_path / "_config.yml").write_text("title: x\n", "utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text("---\ntitle: secret\n---\n", "utf-8")
    os.symlink(outside, tmp_path / "leak.md")
    os.symlink("/etc", tmp_path / "etc")
    site = read_site(tmp_path, now=NOW)
    assert site.documents == ()
    assert {o.source: o.reason for o in site.other_files} == {"_config.yml": "config", "leak.md": "symlink", "etc": "symlink"}
    assert sorted(s for s, _ in issues(site, "symlink")) == ["etc", "leak.md"]


def test_unknown_placeholder_is_an_issue(tmp_path):
    (tmp_path / "_config.yml").write_text("permalink: /:nonsense/:title/\n", "utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-01-01-x.md").write_text("---\n---\n", "utf-8")
    site = read_site(tmp_path, now=NOW)
    assert issues(site, "url-error") == [("_posts/2020-01-01-x.md", None)]
    assert site.document("_posts/2020-01-01-x.md").built_by_jekyll is False


def test_theme_gem_is_named(tmp_path):
    (tmp_path / "_config.yml").write_text("theme: minima\n", "utf-8")
    site = read_site(tmp_path, now=NOW)
    assert issues(site, "theme-gem") == [("_config.yml", None)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_among_the_posts_is_reported_and_never_read(tmp_path):
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-01-01-real.md").write_text("---\ntitle: Real\n---\nText.\n")
    os.mkfifo(tmp_path / "_posts" / "2020-01-02-pipe.md")  # reading it would block forever
    site = read_site(tmp_path, now=NOW)
    assert [d.source for d in site.documents] == ["_posts/2020-01-01-real.md"]
    assert [(i.code, i.source) for i in site.issues if i.code == "special-file"] == [
        ("special-file", "_posts/2020-01-02-pipe.md")
    ]


def _make_bad_names(root: Path) -> None:
    """A post and an image whose names are not UTF-8 (bytes a Linux file system accepts)."""
    (root / "_posts").mkdir(exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    try:
        with open(os.fsencode(root / "_posts") + b"/2020-01-03-bad\xffname.md", "wb") as fh:
            fh.write(b"---\ntitle: Bad name\n---\nHello.\n")
        with open(os.fsencode(root / "assets") + b"/img\xfe.png", "wb") as fh:
            fh.write(b"\x89PNG\r\n\x1a\n")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")


def test_names_that_are_not_utf8_are_reported_and_left_out(tmp_path):
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-01-01-fine.md").write_text("---\ntitle: Fine\n---\nText.\n")
    _make_bad_names(tmp_path)
    site = read_site(tmp_path, now=NOW)
    assert [d.source for d in site.documents] == ["_posts/2020-01-01-fine.md"]
    assert site.static_files == ()
    assert sorted(i.source for i in site.issues if i.code == "file-name-not-utf8") == [
        "_posts/2020-01-03-bad\\xffname.md", "assets/img\\xfe.png",
    ]
    json.dumps(site.to_dict(), ensure_ascii=False).encode("utf-8")  # the IR can be written out


def test_an_infinite_limit_posts_reads_every_post_without_a_traceback(tmp_path):
    from migrate.reader import read_site

    (tmp_path / "_posts").mkdir()
    (tmp_path / "_config.yml").write_text("limit_posts: .inf\n", "utf-8")
    (tmp_path / "_posts" / "2020-01-01-a.md").write_text("---\ntitle: a\n---\nx\n", "utf-8")
    site = read_site(tmp_path)
    assert [d.source for d in site.documents if d.built_by_jekyll] == ["_posts/2020-01-01-a.md"]
