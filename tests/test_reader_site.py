"""The reader on small fixture sites: permalinks, time zones, defaults, categories, files, flags."""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

import pytest

from migrate.ir import Site
from migrate.reader import read_site
from tests.conftest import all_sites, site_id

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reader"
NOW = _dt.datetime(2024, 6, 1, 12, 0, tzinfo=_dt.timezone.utc)


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")


def read(name: str, **options) -> Site:
    return read_site(FIXTURES / name, now=NOW, **options)


def urls(site: Site) -> dict[str, str]:
    return {d.source: d.url for d in site.documents}


def test_every_placeholder():
    got = urls(read("placeholders"))
    assert got["_posts/2021-03-04-First-Post.md"] == (
        "/news%20room/%C3%A7a%20va/news-room/%C3%A7a-va/2021/Mar/March/W09/2021/4/Thu/Thursday/First-Post/"
    )
    # front-matter slug feeds :title (pretty, cased) and ISO week 53 of 2020 holds 3 January 2021
    assert got["_posts/2021-01-03-slugged.markdown"] == "/2021/Jan/January/W53/2020/7/Sun/Sunday/H%C3%A9llo,-World!-(v2)/"
    assert got["_notes/2020-02-29-Leap Day.md"] == (
        "/notes/2020/2/29/060/20/23-59-58/2020-02-29-leap-day/leap-day/Leap-Day.html"
    )
    assert got["_notes/plain.md"] == "/notes/2019/12/30/364/19/01-02-03/plain/own-slug/Own-Slug.html"


def test_page_placeholders_and_templates():
    got = urls(read("placeholders"))
    assert got["docs/guide.md"] == "/docs/guide/"  # site style ends in "/": pages follow
    assert got["docs/index.md"] == "/docs/"
    assert got["docs/custom.md"] == "/manual/custom.html"
    assert got["feed.xml"] == "/feed.xml"  # not HTML: /:path/:basename:output_ext
    assert got["page.html"] == "/p/page"
    site = read("placeholders")
    assert site.document("page.html").output_path == "p/page.html"


@pytest.mark.parametrize(
    "style,post,page",
    [
        ("date", "/cat/2021/02/03/a-post.html", "/sub/page.html"),
        ("pretty", "/cat/2021/02/03/a-post/", "/sub/page/"),
        ("ordinal", "/cat/2021/034/a-post.html", "/sub/page.html"),
        ("weekdate", "/cat/2021/W05/Wed/a-post.html", "/sub/page"),
        ("none", "/cat/a-post.html", "/sub/page.html"),
    ],
)
def test_built_in_permalink_styles(style, post, page):
    got = urls(read(f"style-{style}"))
    assert got["_posts/2021-02-03-a-post.md"] == post
    assert got["sub/page.md"] == page
    assert got["sub/index.md"] == "/sub/"


def test_timezone_moves_days():
    site = read("timezone")
    got = urls(site)
    assert site.timezone == "America/Los_Angeles"
    assert got["_posts/2020-01-02-offset-moves-back.md"] == "/2020/01/01/offset-moves-back.html"
    assert got["_posts/2020-01-02-naive-seconds-are-utc.md"] == "/2020/01/01/naive-seconds-are-utc.html"
    assert got["_posts/2020-01-10-offset-moves-forward.md"] == "/2020/01/11/offset-moves-forward.html"
    assert got["_posts/2020-05-27-no-seconds-local.md"] == "/2020/05/27/no-seconds-local.html"
    assert got["_posts/2019-12-31-front-matter-date-wins.md"] == "/2020/03/15/front-matter-date-wins.html"
    doc = site.document("_posts/2020-01-02-offset-moves-back.md")
    assert doc.date.isoformat() == "2020-01-01T19:00:00-08:00"


def test_categories_from_folders_and_front_matter():
    site = read("categories")
    got = urls(site)
    assert got["blog/_posts/2020-01-03-folder-category.md"] == "/blog/2020/01/03/folder-category.html"
    assert got["a/b/_posts/2020-01-04-two-folders.md"] == "/a/b/extra%20one/2020/01/04/two-folders.html"
    assert got["blog/_posts/2020-01-05-string-categories.md"] == "/blog/edge/case/2020/01/05/string-categories.html"
    assert got["_posts/sub/2020-01-02-under-posts-subfolder.md"] == "/2020/01/02/under-posts-subfolder.html"
    assert got["_posts/2020-01-06-list-and-singular.md"] == "/zeta/2020/c++/alpha/2020/01/06/list-and-singular.html"
    doc = site.document("blog/_posts/2020-01-05-string-categories.md")
    assert doc.categories == ("blog", "Edge", "Case")  # folder first, case kept in the IR


def test_post_without_front_matter_is_a_post_and_odd_names_are_accounted():
    site = read("categories")
    doc = site.document("_posts/2020-01-07-no-front-matter.md")
    assert doc.kind == "post" and doc.built_by_jekyll and doc.title == "No Front Matter"
    assert {(o.source, o.reason) for o in site.other_files} >= {("_posts/notes.md", "not-a-post")}


def test_defaults_scoping_and_precedence():
    site = read("defaults")
    got = urls(site)
    assert got["_posts/2020-01-01-typed.md"] == "/posts-typed/typed/"  # type beats the equal-length path
    assert got["blog/_posts/2020-01-03-front-matter-wins.md"] == "/own/"
    assert got["blog/page.md"] == "/blog-path/:title/"  # pages know no :title: it stays literal
    assert got["docs/typed.md"] == "/docs-typed/typed/"
    assert got["docs/deep/longer-path-wins.md"] == "/deeper/longer-path-wins/"
    assert got["root.md"] == "/everything/:title/"
    assert got["_guides/intro.md"] == "/g/intro/"
    assert got["_guides/part/chapter.md"] == "/g-part/chapter/"
    hidden = site.document("blog/_posts/2020-01-02-blog-unpublished-by-default.md")
    assert hidden.published is False and hidden.built_by_jekyll is False
    assert site.document("docs/typed.md").front_matter["globbed"] is True
    assert site.document("docs/typed.md").extra["globbed"] is True
    assert site.document("root.md").layout == "base"


def test_redirects_as_jekyll_redirect_from_writes_them():
    site = read("redirects")
    moved = site.document("_posts/2020-01-01-moved.md")
    assert moved.redirect_from == ("/old/post-without-extension", "/old/relative.html", "/old/folder/", "/старый/путь")
    assert site.document("gone.md").redirect_to == "https://example.org/elsewhere/"
    collisions = [i for i in site.issues if i.code == "url-collision"]
    assert len(collisions) == 1 and "claims-about.md" in collisions[0].message
    assert "Jekyll keeps claims-about.md" in collisions[0].message


def test_static_files_and_accounting():
    site = read("statics")
    statics = {s.source: s.url for s in site.static_files}
    assert statics == {
        ".well-known/security.txt": "/.well-known/security.txt",
        "README.md": "/README.md",
        "_things/static-note.md": "/things/static-note.md",
        "_things/sub/manual.pdf": "/things/sub/manual.pdf",
        "assets/img/logo.png": "/assets/img/logo.png",
        "assets/img/with space.png": "/assets/img/with space.png",
        "assets/site.css": "/assets/site.css",
    }
    other = {o.source: o.reason for o in site.other_files}
    assert other["secret.txt"] == "excluded"
    assert other["debug.log"] == "excluded"
    assert other["node_modules/pkg/index.js"] == "excluded"  # Jekyll's default excludes
    assert other["vendor/bundle/gem.rb"] == "excluded"
    assert other[".htaccess"] == "hidden"  # `include` replaced the default [.htaccess]
    assert other["notes.md~"] == "hidden"
    assert other["_hidden_things/file.pdf"] == "unpublished-collection"
    assert other["_config.yml"] == "config"
    # a file in _posts with a date in its name is a post, whatever it holds
    assert site.document("_posts/2020-01-01-photo.png").url == "/2020/01/01/photo.png"
    assert site.document("_hidden_things/doc.md").output_path is None


def test_every_file_is_accounted_for():
    for name in sorted(p.name for p in FIXTURES.iterdir() if (p / "_config.yml").exists()):
        site = read(name)
        seen = [d.source for d in site.documents] + [s.source for s in site.static_files]
        seen += [o.source for o in site.other_files]
        if name == "symlinks":
            continue  # files seen twice through links: test_links_inside_the_site_are_followed_... lists them all
        root = Path(site.source_dir)  # the site's files: those below source (source-dir reads src/)
        on_disk = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        # a static Markdown file jekyll-optional-front-matter or jekyll-readme-index made a page of is both
        twice = {s for s in seen if seen.count(s) > 1}
        assert twice <= {s.source for s in site.static_files} & {d.source for d in site.documents}, name
        assert sorted(set(seen)) == on_disk, name


def test_flags():
    plain = {d.source: d for d in read("flags").documents}
    assert plain["_posts/2020-01-01-published.md"].built_by_jekyll
    assert not plain["_posts/2020-01-02-unpublished.md"].built_by_jekyll
    assert plain["_posts/2999-01-01-far-future.md"].future and not plain["_posts/2999-01-01-far-future.md"].built_by_jekyll
    assert plain["_drafts/dated-draft.md"].kind == "draft" and not plain["_drafts/dated-draft.md"].built_by_jekyll
    assert not plain["hidden-page.md"].built_by_jekyll
    assert not plain["_items/future-item.md"].built_by_jekyll
    drafts = {d.source: d for d in read("flags", drafts=True).documents}
    assert drafts["_drafts/dated-draft.md"].built_by_jekyll
    assert drafts["_drafts/dated-draft.md"].url == "/2020/06/01/dated-draft/"
    assert drafts["_drafts/2020-02-02-draft-with-date-in-name.md"].url == "/2020/02/02/draft-with-date-in-name/"
    future = {d.source: d for d in read("flags", future=True).documents}
    assert future["_posts/2999-01-01-far-future.md"].built_by_jekyll
    assert future["_items/future-item.md"].built_by_jekyll
    unpublished = {d.source: d for d in read("flags", unpublished=True).documents}
    assert unpublished["_posts/2020-01-02-unpublished.md"].built_by_jekyll
    assert unpublished["hidden-page.md"].built_by_jekyll


def test_unquoted_colon_permalink():
    site = read("unquoted-title")
    got = urls(site)
    assert site.permalink == ":title"
    assert got["_posts/2020-01-01-hello-world.md"] == "/hello-world"
    assert site.document("_posts/2020-01-01-hello-world.md").output_path == "hello-world.html"
    assert got["about.md"] == "/about"


def test_several_config_files_merge_in_order():
    site = read("config-multi", config_files=["_config.yml", "_config.prod.yml"])
    assert site.title == "Second config wins"
    assert urls(site)["_posts/2020-01-01-post.md"] == "/archive/2020/post.html"
    assert urls(read("config-multi"))["_posts/2020-01-01-post.md"] == "/2020/01/01/post.html"


def test_ir_round_trips_through_json():
    site = read("placeholders")
    again = Site.from_dict(json.loads(json.dumps(site.to_dict())))
    assert again == site


def test_reading_is_deterministic():
    assert read("statics").to_dict() == read("statics").to_dict()


def test_collections_dir():
    site = read("collections-dir")
    got = urls(site)
    assert got["stuff/_posts/2020-01-01-inside.md"] == "/2020/01/01/inside.html"
    assert got["stuff/_recipes/soup.md"] == "/cook/soup.html"
    assert site.document("stuff/_recipes/soup.md").tags == ("food",)  # defaults scoped inside the folder
    assert [(s.source, s.url) for s in site.static_files] == [("stuff/_recipes/soup.png", "/cook/soup.png")]
    assert site.document("_posts/2020-01-02-outside-is-ignored.md") is None


def test_limit_posts_keeps_the_newest():
    site = read("limit-posts")
    built = sorted(d.source for d in site.documents if d.built_by_jekyll)
    assert built == ["_posts/2020-01-03-post-03.md", "_posts/2020-01-04-post-04.md"]
    # its front-matter date (2019) makes the 2021 file the oldest
    assert not site.document("_posts/2021-01-01-dated-earlier.md").built_by_jekyll


def test_pages():
    site = read("pages")
    got = urls(site)
    assert got["a.b.md"] == "/a.b/"
    assert got["legacy.htm"] == "/legacy/" and site.document("legacy.htm").output_path == "legacy/index.htm"
    assert got["folder with space/Ünïcode Page.md"] == "/folder%20with%20space/%C3%9Cn%C3%AFcode%20Page/"
    assert site.document("folder with space/Ünïcode Page.md").output_path == "folder with space/Ünïcode Page/index.html"
    assert got["deep/er/index.html"] == "/deep/er/"
    assert got["data.json"] == "/data.json" and got["robots.txt"] == "/robots.txt"
    assert got["custom-ext.md"] == "/custom.xml" and site.document("custom-ext.md").output_ext == ".xml"
    assert got["no-ext.html"] == "/no-ext" and site.document("no-ext.html").output_path == "no-ext.html"
    assert got["relative.md"] == "/relative/path/"
    # `published` from defaults does not reach pages in Jekyll 4.3 (Hash#fetch skips defaults); titles do
    assert site.document("drafts-area/p.md").built_by_jekyll
    assert site.document("drafts-area/p.md").title == "From defaults"
    assert not site.document("drafts-area/own-flag.md").built_by_jekyll


def _many_posts(root: Path, count: int, *, config: str = "") -> None:
    """A site with ``count`` posts, some of them broken in the ways a reader must report, and a few pages."""
    (root / "_posts" / "sub").mkdir(parents=True)
    (root / "_drafts").mkdir()
    (root / "_notes").mkdir()
    (root / "_config.yml").write_text(
        "title: Many\ntimezone: UTC\ncollections:\n  notes:\n    output: true\n"
        "defaults:\n  - scope: {path: '', type: posts}\n    values: {layout: post}\n" + config,
        "utf-8",
    )
    for i in range(count):
        day = _dt.date(2010, 1, 1) + _dt.timedelta(days=i % 3000)
        (root / "_posts" / f"{day}-post-{i}.md").write_text(
            f"---\ntitle: Post {i}\ntags: [t{i % 7}]\ncategories: c{i % 5}\n---\nBody {i}\n", "utf-8"
        )
    broken = {
        "_posts/2020-01-01-broken-yaml.md": b"---\ntitle: [unclosed\n---\nbody\n",
        "_posts/2020-01-02-a-list.md": b"---\n- a\n- b\n---\nbody\n",
        "_posts/2020-01-03-bad-date.md": b"---\ndate: 2020-13-45 99:00\n---\nbody\n",
        "_posts/2020-01-04-latin1.md": b"---\ntitle: caf\xe9\n---\nbody\n",
        "_posts/2020-01-05-bom-crlf.md": b"\xef\xbb\xbf---\r\ntitle: BOM\r\n---\r\nbody\r\n",
        "_posts/2020-01-06-bad-placeholder.md": b"---\npermalink: /:nope/\n---\nbody\n",
        "_posts/2020-01-07-collide.md": b"---\npermalink: /same/\n---\nbody\n",
        "_posts/2020-01-08-collide.md": b"---\npermalink: /same/\n---\nbody\n",
        "_posts/not-a-post.md": b"---\ntitle: no date\n---\n",
        "_posts/sub/2020-02-01-nested.md": b"---\nlast_modified_at: not a date\n---\nbody\n",
        "_drafts/a-draft.md": b"---\ntitle: Draft\n---\nbody\n",
        "_notes/note.md": b"---\ntitle: Note\nredirect_from: [/old-note/]\n---\nbody\n",
        "index.md": b"---\ntitle: Home\n---\nhome\n",
        "empty-permalink.md": b"---\npermalink: ''\n---\n",
    }
    for name, data in broken.items():
        (root / name).write_bytes(data)


@pytest.mark.parametrize("config", ["", "limit_posts: 700\n"])
def test_parallel_read_equals_serial_read(tmp_path, monkeypatch, config):
    from migrate.reader import parallel

    _many_posts(tmp_path, parallel.PARALLEL_MIN_DOCUMENTS + 50, config=config)
    forked = []
    build_parallel = parallel._build_parallel
    monkeypatch.setattr(parallel, "_build_parallel", lambda *args: forked.append(1) or build_parallel(*args))
    serial = read_site(tmp_path, now=NOW, drafts=True, jobs=1)
    assert not forked
    parallel = read_site(tmp_path, now=NOW, drafts=True, jobs=2)
    assert forked
    assert parallel.issues == serial.issues
    assert parallel.to_dict() == serial.to_dict()
    codes = [(i.code, i.source) for i in serial.issues]
    assert ("yaml-error", "_posts/2020-01-01-broken-yaml.md") in codes
    assert ("not-a-post", "_posts/not-a-post.md") in codes
    assert ("url-error", "_posts/2020-01-06-bad-placeholder.md") in codes
    broken = next(i for i in serial.issues if i.code == "yaml-error")
    assert broken.message.startswith("invalid YAML front matter: ") and broken.line is not None


def _dying_worker(index: int) -> None:
    os._exit(3)


@pytest.mark.parametrize("failure", ["worker-dies", "no-fork"])
def test_parallel_read_survives_worker_failures(tmp_path, monkeypatch, failure):
    from migrate.reader import parallel

    _many_posts(tmp_path, parallel.PARALLEL_MIN_DOCUMENTS + 50)
    serial = read_site(tmp_path, now=NOW, jobs=1)
    if failure == "worker-dies":
        monkeypatch.setattr(parallel, "_build_in_worker", _dying_worker)
    else:
        def no_fork() -> int:
            raise OSError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", no_fork)
    assert read_site(tmp_path, now=NOW, jobs=2).to_dict() == serial.to_dict()


def test_plugins_come_from_the_config_and_the_gemfiles_jekyll_plugins_group(tmp_path):
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\ngems:\n  - jekyll-seo-tag\n", encoding="utf-8")
    (tmp_path / "Gemfile").write_text(
        'source "https://rubygems.org"\ngem "jekyll", "~> 4.3"\ngem "webrick"  # group :jekyll_plugins\n'
        "group :jekyll_plugins do\n  gem 'jekyll-include-cache'\n  gem \"jekyll-sitemap\", \"~> 1.4\"\nend\n"
        "group :test do\n  gem 'html-proofer'\nend\n"
        'gem "jekyll-redirect-from", group: :jekyll_plugins\n',
        encoding="utf-8",
    )
    site = read_site(tmp_path)
    assert site.plugins == (
        "jekyll-feed", "jekyll-seo-tag", "jekyll-include-cache", "jekyll-sitemap", "jekyll-redirect-from"
    )
    assert Site.from_dict(json.loads(json.dumps(site.to_dict()))).plugins == site.plugins


def test_a_theme_gem_brings_the_plugins_it_depends_on(tmp_path):
    (tmp_path / "_config.yml").write_text("theme: minimal-mistakes-jekyll\n", encoding="utf-8")
    assert "jekyll-include-cache" in read_site(tmp_path).plugins
    (tmp_path / "_config.yml").write_text("remote_theme: mmistakes/minimal-mistakes\n", encoding="utf-8")
    assert read_site(tmp_path).plugins == ()


def test_dates_read_as_ruby_time_parse_reads_them():
    """URLs as Debian's Jekyll wrote them (tests/acceptance/test_jekyll_urls.py builds the same fixture):
    ``11-9-2017`` is 11 September; a zone abbreviation counts when Time.zone_offset knows it or the site's
    zone is called so (CEST, CET in Europe/Berlin), and is otherwise ignored (EET: a local time)."""
    site = read("dates-ruby")
    assert urls(site) == {
        "_posts/2017-01-01-a.md": "/2017/09/11/a.html",
        "_posts/2021-01-01-b.md": "/2021/09/03/b.html",
        "_posts/2021-01-01-c.md": "/2021/09/04/c.html",
        "_posts/2021-01-01-d.md": "/2021/01/03/d.html",
        "_posts/2021-01-01-e.md": "/2021/01/02/e.html",
        "_posts/2018-01-01-f.md": "/2018/03/03/f.html",
        "_posts/2019-01-01-g.md": "/2019/12/25/g.html",
    }
    assert [i for i in site.issues if i.severity != "info"] == []


def test_which_files_in_posts_and_collections_are_documents():
    """Jekyll's rule (as Debian's Jekyll builds fixture post-files): in _posts a file whose name matches the
    date pattern is a post, with or without front matter, unless its extension is exactly .yml or .yaml
    (read as data, no content: skipped); in a collection a file with front matter is a document (a YAML
    one is written empty), any other file a static file."""
    site = read("post-files")
    assert urls(site) == {
        "_posts/2008-02-06-upper.YML": "/2008/02/06/upper.YML",
        "_posts/2008-02-07-real.md": "/2008/02/07/real.html",
        "_posts/2008-02-08-bare.md": "/2008/02/08/bare.html",
        "_things/t.md": "/things/t.html",
        "_things/y.yml": "/things/y.yml",
    }
    assert site.document("_things/y.yml").body == ""
    assert [s.url for s in site.static_files] == ["/things/z.yml"]
    skipped = {o.source for o in site.other_files if o.reason == "not-a-post"}
    assert skipped == {"_posts/2008-02-03-wrong-extension.yml", "_posts/2008-02-04-front-matter.yml",
                       "_posts/2008-02-05-other.yaml"}


def test_redirect_fields_need_the_plugin():
    """Without jekyll-redirect-from, Jekyll serves core.md's text at /core.html and writes no old URLs
    (fixture redirects-off, compared with Debian's Jekyll); the fields stay as plain front matter."""
    site = read("redirects-off")
    core, about = site.document("core.md"), site.document("about.md")
    assert core.redirect_to is None and about.redirect_from == ()
    assert core.extra["redirect_to"] == "https://example.com/core/"
    assert [i.code for i in site.issues] == ["redirect-plugin-off"]


def test_redirect_plugin_from_the_gemfile_group():
    """Jekyll requires the Gemfile's :jekyll_plugins group through Bundler (as ``bundle exec jekyll build``
    in fixture redirects-gemfile writes /old-about/ and /older-about.html)."""
    site = read("redirects-gemfile")
    assert site.document("core.md").redirect_to == "https://example.com/core/"
    assert site.document("about.md").redirect_from == ("/old-about/", "/older-about")
    assert "redirect_to" not in site.document("core.md").extra


@pytest.mark.parametrize(
    "gemfile,expected",
    [
        ('group :jekyll_plugins do\n  gem "jekyll-feed"\nend\ngem "other"\n', ["jekyll-feed"]),
        ('gem "a", group: :jekyll_plugins\ngem "b", :group => [:test, :jekyll_plugins]\ngem "c"\n', ["a", "b"]),
        (('group :jekyll_plugins do\n  platforms :ruby do\n    gem "x"\n  end\n  if true\n    gem "y"\n  end\n'
          '  gem "z"\nend\ngem "after"\n'), ["x", "y", "z"]),
        ('group :test do\n  gem "t"\nend\n# gem "jekyll-redirect-from", group: :jekyll_plugins\n', []),
    ],
)
def test_gemfile_plugin_group(gemfile, expected):
    from migrate.reader.config import gemfile_plugins

    assert gemfile_plugins(gemfile) == expected


def test_safe_mode_loads_only_whitelisted_plugins(tmp_path):
    from migrate.reader.config import enabled_plugins

    config = {"safe": True, "whitelist": ["jekyll-feed"], "plugins": ["jekyll-feed", "jekyll-redirect-from"]}
    assert enabled_plugins(tmp_path, config) == ("jekyll-feed",)
    assert enabled_plugins(tmp_path, {**config, "safe": False}) == ("jekyll-feed", "jekyll-redirect-from")


def test_links_inside_the_site_are_followed_where_jekyll_follows_them():
    """As Debian's Jekyll builds fixture symlinks (with or without --safe): a linked file is a page, post,
    document or static file like any other, a linked folder is walked for pages and static files, but a
    linked folder inside _posts or a collection is not entered (Ruby's glob does not follow it)."""
    site = read("symlinks")
    assert sorted(d.url for d in site.documents) == [
        "/", "/2020/01/01/linked.html", "/css/page.html", "/linked-other/2020-02-02-dated.html",
        "/linked-other/p.html", "/other/2020-02-02-dated.html", "/other/p.html",
        "/symlink-test/symlinked-dir/page.html", "/symlink-test/symlinked-file", "/things/linked.html",
        "/things/sub/t.html",
    ]
    assert sorted(s.url for s in site.static_files) == [
        "/css/screen.css", "/symlink-test/symlinked-dir/screen.css", "/things/s.css"]
    assert sorted((i.source, i.severity) for i in site.issues if i.code == "symlink") == [
        ("_posts/linkdir", "info"), ("_things/linkdir", "info")]
    assert sorted(o.source for o in site.other_files) == ["_config.yml", "_posts/linkdir", "_things/linkdir"]


def test_a_folder_url_of_a_file_that_is_no_html():
    """Jekyll writes a .txt page with ``permalink: /contacts/humans/`` to contacts/humans/index.txt (fixture
    folder-urls, compared with Debian's Jekyll); a server answers the file at its own URL only."""
    site = read("folder-urls")
    humans, feed, about = (site.document(s) for s in ("contacts/humans.txt", "feed.xml", "about.md"))
    assert (humans.url, humans.output_path, humans.served_url) == (
        "/contacts/humans/", "contacts/humans/index.txt", "/contacts/humans/index.txt")
    assert (feed.output_path, feed.served_url) == ("feed/index.xml", "/feed/index.xml")
    assert (about.output_path, about.served_url) == ("about/index.html", "/about/")


def test_source_in_the_configuration_is_where_the_site_is_read_from():
    """``source: src`` (fixture source-dir, compared with Debian's Jekyll run beside its _config.yml): the
    site is src/, its paths are relative to src/, src/_config.yml is not read, files beside src/ are no
    part of the site."""
    site = read("source-dir")
    assert Path(site.source_dir) == FIXTURES / "source-dir" / "src"
    assert urls(site) == {"_posts/2020-01-01-p.md": "/blog/p/", "docs/d.md": "/docs/d/", "index.md": "/"}
    assert [s.url for s in site.static_files] == ["/style.css"]
    assert site.title == "A site in src"
    assert "outside.md" not in {o.source for o in site.other_files}
    assert [i.code for i in site.issues] == ["config-source"]


def test_source_that_is_no_folder_is_an_error(tmp_path):
    (tmp_path / "_config.yml").write_text("source: missing\n", "utf-8")
    (tmp_path / "index.md").write_text("---\n---\nx\n", "utf-8")
    site = read_site(tmp_path, now=NOW)
    assert [(i.code, i.severity) for i in site.issues] == [("config-error", "error")]
    assert "source 'missing'" in site.issues[0].message


def test_config_keys_jekyll_honours_and_the_migration_does_not_are_named(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "encoding: UTF-16LE\nmarkdown: CommonMark\nhighlighter: pygments\nlsi: true\n"
        "kramdown:\n  input: Kramdown\n  hard_wrap: true\n  auto_ids: false\n  toc_levels: 1..6\n"
        "  syntax_highlighter_opts:\n    default_lang: text\n    block:\n      line_numbers: true\n"
        "liquid:\n  strict_variables: true\n  error_mode: warn\n"
        "port: 4001\nincremental: true\nkeep_files: [x]\n", "utf-8")
    site = read_site(tmp_path, now=NOW)
    named = {i.message.split(":", 1)[0]: i for i in site.issues if i.code == "config-unsupported"}
    assert sorted(named) == ["encoding", "highlighter", "kramdown", "liquid", "lsi", "markdown"]
    assert "hard_wrap, input, syntax_highlighter_opts.block" in named["kramdown"].message
    assert "auto_ids" not in named["kramdown"].message and "toc_levels" not in named["kramdown"].message
    assert "strict_variables" in named["liquid"].message and "error_mode" not in named["liquid"].message
    assert all(i.source == "_config.yml" for i in named.values())


def test_files_are_read_in_the_configured_encoding():
    """``encoding: ISO-8859-1`` (fixture encoding-latin1, which Debian's Jekyll builds): pages and posts are
    read in it, not as broken UTF-8 (the post was not built, and both titles were mangled)."""
    site = read("encoding-latin1")
    assert {d.source: (d.url, d.title) for d in site.documents} == {
        "cafe.md": ("/cafe.html", "Café"), "_posts/2020-01-01-deja.md": ("/2020/01/01/deja.html", "Déjà vu")}
    assert all(d.built_by_jekyll for d in site.documents)
    assert site.document("cafe.md").body == "Crème brûlée.\n"
    assert site.issues == ()


def test_a_linked_folder_in_data_is_read(tmp_path):
    """Jekyll's data reader enters a linked folder inside the site (with and without --safe, as Debian's
    Jekyll renders ``site.data.more.x.a`` from _data/more -> ../shared); one out of the site is refused."""
    (tmp_path / "_config.yml").write_text("exclude: [shared]\n", "utf-8")
    (tmp_path / "_data").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "x.yml").write_text("a: from the linked folder\n", "utf-8")
    os.symlink("../shared", tmp_path / "_data" / "more")
    os.symlink("../..", tmp_path / "_data" / "up")
    site = read_site(tmp_path, now=NOW)
    assert site.data == {"more": {"x": {"a": "from the linked folder"}}}
    assert [(i.code, i.source) for i in site.issues] == [("symlink", "_data/up")]


@pytest.mark.parametrize("site_dir", all_sites(), ids=site_id)
def test_a_built_document_has_its_output_file_and_is_found_by_its_source(site_dir):
    """``served_by_jekyll`` (what every exporter reads) is ``built_by_jekyll``: Jekyll writes each document it
    builds to a file; ``Site.document`` finds every document by its source through one index."""
    site = read_site(site_dir)
    assert all(d.output_path is not None for d in site.documents if d.built_by_jekyll)
    assert all(d.served_by_jekyll == d.built_by_jekyll for d in site.documents)
    assert all(site.document(d.source) is d for d in site.documents)
    assert site.document("no/such/file.md") is None
