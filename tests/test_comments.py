"""Readers' comments: read from Staticman data, a Disqus export and a GitHub export into the IR, threaded,
and written on every target (wp:comment items, Hugo data files, Ghost JSON, Disqus's URL-mapper CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from pathlib import Path

import pytest
from lxml import etree

from exporters.ghost import GhostExporter
from exporters.hugo import HugoExporter
from exporters.wordpress import WordPressExporter
from migrate.cli import main
from migrate.content.comments import comment_html, sanitize
from migrate.export import build_plan
from migrate.ir import Comment, Site
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.reader.comments import read_comment_exports, thread
from migrate.report import Report

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "comments-blog"
CLASSIC = REPO / "samples" / "blog-classic"
FIXTURES = REPO / "tests" / "fixtures" / "comments"
DISQUS = FIXTURES / "blog-classic-disqus.xml"
GITHUB = FIXTURES / "comments-blog-github.json"
NS = {"wp": "http://wordpress.org/export/1.2/"}

SAMPLES = {
    # name -> (site folder, comment exports given on the command line)
    "comments-blog": (SAMPLE, {}),
    "blog-classic+disqus": (CLASSIC, {"disqus": DISQUS}),
    "comments-blog+github": (SAMPLE, {"github": GITHUB}),
}


def read(name: str) -> Site:
    folder, exports = SAMPLES[name]
    return read_comment_exports(read_site(folder), **exports)


def by_source(site: Site) -> dict[str, tuple[Comment, ...]]:
    return {d.source: d.comments for d in site.documents if d.comments}


def write_file(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


# -- Staticman ----------------------------------------------------------------------------------------


def test_staticman_comments_of_the_sample_are_read_per_post():
    comments = by_source(read_site(SAMPLE))
    assert {k: len(v) for k, v in comments.items()} == {
        "_posts/2019-04-02-first-light.md": 5,
        "_posts/2019-05-10-second-post.md": 4,
        "_posts/2020-01-15-one-file-per-post.md": 2,
    }


def test_staticman_threads_by_parent_id_and_by_position():
    comments = by_source(read_site(SAMPLE))
    first = comments["_posts/2019-04-02-first-light.md"]
    assert [(c.id[-3:], c.parent[-3:] if c.parent else None) for c in first] == [
        ("001", None), ("002", "001"), ("003", "002"), ("004", None), ("005", "004")]
    # Made Mistakes' replying_to: the position of the parent among the top-level comments, in file order
    second = comments["_posts/2019-05-10-second-post.md"]
    assert [(c.id, c.parent) for c in second] == [("c1", None), ("c4", "c1"), ("c2", None), ("c3", "c2")]
    per_file = comments["_posts/2020-01-15-one-file-per-post.md"]
    assert [(c.id, c.parent, c.line) for c in per_file] == [("p1", None, 1), ("p2", "p1", 5)]


def test_staticman_dates_in_every_form_with_their_offset():
    first = by_source(read_site(SAMPLE))["_posts/2019-04-02-first-light.md"]
    utc = [c.date.astimezone(dt.timezone.utc).replace(tzinfo=None) for c in first]
    assert utc == [
        dt.datetime(2019, 4, 3, 12, 55),  # Unix seconds 1554296100
        dt.datetime(2019, 4, 3, 13, 20),  # '2019-04-03T13:20:00.000Z'
        dt.datetime(2019, 4, 3, 16, 20),  # '2019-04-03 18:20:00 +0200'
        dt.datetime(2019, 4, 4, 17, 46, 40),  # Unix milliseconds 1554400000123
        dt.datetime(2019, 4, 5, 22, 13, 20),  # a YAML timestamp without offset: UTC, as Psych reads it
    ]
    assert all(c.date.utcoffset() == dt.timedelta(hours=-4) for c in first)  # the site's zone (New York, EDT)


def test_staticman_email_hash_and_clear_address():
    first = by_source(read_site(SAMPLE))["_posts/2019-04-02-first-light.md"]
    assert (first[0].email, first[0].email_md5) == (None, "2f9e4b4ab8f9b0d5b5fc1b2b3f1e8c11")
    assert (first[3].email, first[3].email_md5) == ("bruno@example.com", "926327312a90c4cb9e20de91e0590cbd")


def test_unmatched_staticman_comment_is_reported_with_file_and_line():
    site = read_site(SAMPLE)
    unmatched = [i for i in site.issues if i.code == "comment-unmatched"]
    assert [(i.source, i.line) for i in unmatched] == [
        ("_data/comments/an-old-post-removed/comment-1500000000.yml", 1)]


def test_staticman_folder_named_by_the_site_config(tmp_path):
    write_file(tmp_path, "_config.yml", "title: t\nstaticman:\n  path: \"_data/replies/{options.slug}\"\n")
    write_file(tmp_path, "_posts/2020-01-01-hello.md", "---\ntitle: Hello\n---\nHi\n")
    write_file(tmp_path, "_data/replies/hello/a.yml", "_id: a\nname: A\nmessage: hi\ndate: 1577880000\n")
    assert len(by_source(read_site(tmp_path))["_posts/2020-01-01-hello.md"]) == 1


def test_malformed_staticman_files_are_reported_and_the_others_go_on(tmp_path):
    write_file(tmp_path, "_config.yml", "title: t\n")
    write_file(tmp_path, "_posts/2020-01-01-hello.md", "---\ntitle: Hello\n---\nHi\n")
    folder = "_data/comments/hello/"
    write_file(tmp_path, folder + "1-good.yml", "_id: g\nname: G\nmessage: fine\ndate: 1577880000\n")
    write_file(tmp_path, folder + "2-bad-yaml.yml", "_id: b\nname: [unclosed\nmessage: x\n")
    write_file(tmp_path, folder + "3-no-message.yml", "_id: n\nname: N\ndate: 1577880000\n")
    write_file(tmp_path, folder + "4-orphan-reply.yml", "_id: o\n_parent: nobody\nmessage: lost parent\n"
               "date: 1577880001\n")
    write_file(tmp_path, folder + "5-loop-a.yml", "_id: la\n_parent: lb\nmessage: a\ndate: 1577880002\n")
    write_file(tmp_path, folder + "6-loop-b.yml", "_id: lb\n_parent: la\nmessage: b\ndate: 1577880003\n")
    write_file(tmp_path, folder + "7-bad-date.yml", "_id: d\nmessage: when?\ndate: someday\n")
    site = read_site(tmp_path)
    comments = by_source(site)["_posts/2020-01-01-hello.md"]
    assert [(c.id, c.parent) for c in comments] == [("g", None), ("o", None), ("la", None), ("lb", "la"),
                                                    ("d", None)]
    found = {(i.code, i.source.rsplit("/", 1)[-1], i.line) for i in site.issues if i.code.startswith("comment")}
    assert found == {
        ("comment-bad-file", "2-bad-yaml.yml", 3),  # where PyYAML finds the list unclosed
        ("comment-missing-field", "3-no-message.yml", 1),
        ("comment-missing-parent", "4-orphan-reply.yml", 1),
        ("comment-loop", "5-loop-a.yml", 1),
        ("comment-bad-date", "7-bad-date.yml", 1),
    }


def test_thread_keeps_every_comment_once_in_depth_first_order():
    when = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    made = [Comment(id=i, parent=p, author="", date=when + dt.timedelta(minutes=m), body=i)
            for i, p, m in [("r2", None, 5), ("a", "r1", 3), ("r1", None, 1), ("b", "a", 4), ("a", "r2", 6)]]
    issues: list = []
    out = thread(made, issues)
    assert [(c.id, c.parent) for c in out] == [("r1", None), ("a", "r1"), ("b", "a"), ("r2", None), ("a~2", "r2")]
    assert [i.code for i in issues] == ["comment-duplicate-id"]


# -- Disqus -------------------------------------------------------------------------------------------


def test_disqus_threads_match_documents_by_any_old_url():
    comments = by_source(read("blog-classic+disqus"))
    assert {k: len(v) for k, v in comments.items()} == {
        "_posts/2020-05-27-dates-without-seconds.md": 4,  # full URL with host
        "_posts/2020-08-10-with-an-excerpt.md": 3,  # other host + query, and a redirect_from URL without host
        "about.md": 2,  # a redirect_from URL with index.html
        "blog/_posts/2020-07-04-an-html-post.html": 1,  # with a fragment
    }
    dates = comments["_posts/2020-05-27-dates-without-seconds.md"]
    assert [(c.id, c.parent, c.status) for c in dates] == [
        ("2001", None, "approved"), ("2002", "2001", "approved"), ("2003", "2002", "approved"),
        ("2004", None, "spam")]
    assert dates[0].body_format == "html" and dates[0].email == "ada@example.net"
    assert "192.0.2.1" not in json.dumps([c.extra for c in dates])  # IP addresses are not kept


def test_disqus_problems_are_reported_with_file_and_line():
    site = read("blog-classic+disqus")
    found = sorted((i.code, i.source, i.line) for i in site.issues if i.code.startswith("comment"))
    assert found == [
        ("comment-deleted", "blog-classic-disqus.xml", None),
        ("comment-missing-parent", "blog-classic-disqus.xml", 259),
        ("comment-unmatched", "blog-classic-disqus.xml", 88),
    ]


def test_truncated_disqus_export_keeps_what_came_before(tmp_path):
    text = DISQUS.read_text("utf-8")
    cut = text[: text.index('<post dsq:id="2005">')] + "<post dsq:id="
    broken = tmp_path / "broken.xml"
    broken.write_text(cut, "utf-8")
    site = read_comment_exports(read_site(CLASSIC), disqus=broken)
    assert sum(len(d.comments) for d in site.documents) == 4
    assert [(i.code, i.source) for i in site.issues if i.code == "comment-bad-file"] == [
        ("comment-bad-file", "broken.xml")]


def test_a_20_mb_disqus_export_is_read_as_a_stream(tmp_path):
    head, _, _ = DISQUS.read_text("utf-8").partition("  <post ")
    posts = []
    body = "<p>" + "word " * 300 + "</p>"
    n = 0
    size = len(head)
    while size < 20_000_000:
        n += 1
        post = (f'  <post dsq:id="9{n}"><message><![CDATA[{body}]]></message><createdAt>2020-06-01T00:00:00Z'
                f'</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>N{n}</name>'
                f'</author><thread dsq:id="101" />'
                + (f'<parent dsq:id="9{n - 1}" />' if n % 10 else "") + "</post>\n")
        posts.append(post)
        size += len(post)
    big = tmp_path / "big.xml"
    big.write_text(head + "".join(posts) + "</disqus>\n", "utf-8")
    started = time.perf_counter()
    site = read_comment_exports(read_site(CLASSIC), disqus=big)
    seconds = time.perf_counter() - started
    doc = site.document("_posts/2020-05-27-dates-without-seconds.md")
    print(f"DISQUS-20MB bytes={big.stat().st_size} posts={n} read={len(doc.comments)} seconds={seconds:.1f}")
    assert len(doc.comments) == n


# -- GitHub (utterances, giscus) ---------------------------------------------------------------------


def test_github_issues_and_discussions_match_by_pathname_and_title():
    plain = by_source(read_site(SAMPLE))
    comments = by_source(read("comments-blog+github"))
    first = comments["_posts/2019-04-02-first-light.md"]
    added = [c for c in first if c not in plain["_posts/2019-04-02-first-light.md"]]
    assert [(c.author, c.status) for c in added] == [("octo", "approved"), ("spammer", "spam")]
    second = [c for c in comments["_posts/2019-05-10-second-post.md"] if c.id.startswith("DC_")]
    assert [(c.id, c.parent) for c in second] == [("DC_kwDOB1", None), ("DC_kwDOB2", "DC_kwDOB1")]
    issues = [i for i in read("comments-blog+github").issues if i.source == GITHUB.name]
    assert [i.code for i in issues] == ["comment-unmatched"] and "#2" in issues[0].message


# -- bodies -------------------------------------------------------------------------------------------


def test_comment_bodies_are_cut_down_to_safe_html():
    assert sanitize('<p onclick="x()">a<script>alert(1)</script> <a href="javascript:x">b</a></p>') == (
        '<p>a <a rel="nofollow ugc">b</a></p>')
    assert sanitize("<b>unclosed <i>tags") == "<b>unclosed <i>tags</i></b>"
    md = Comment(id="1", parent=None, author="", date=None, body="**hi** <em>there</em>")
    assert comment_html(md) == "<p><strong>hi</strong> <em>there</em></p>"


# -- targets ------------------------------------------------------------------------------------------


def export(name: str, exporter_cls: type, out: Path, **options) -> tuple[Site, object, Report]:
    site = read(name)
    opts, problems = exporter_cls.validate_options(options)
    assert problems == []
    report = Report()
    plan = build_plan(site, exporter_cls, opts, report)
    write_plan(plan, out)
    return site, plan, report


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_wxr_holds_every_comment_threaded(name, tmp_path):
    site, _, _ = export(name, WordPressExporter, tmp_path)
    tree = etree.parse(str(tmp_path / "wordpress.xml"))
    expected = by_source(site)
    got = {}
    for item in tree.iter("item"):
        source = item.findtext("wp:postmeta[wp:meta_key='_jekyll_source']/wp:meta_value", namespaces=NS)
        rows = item.findall("wp:comment", NS)
        if rows:
            got[source] = rows
    assert sorted(got) == sorted(expected)
    ids = []
    for source, rows in got.items():
        comments = expected[source]
        assert len(rows) == len(comments)
        number = {c.findtext("wp:comment_id", namespaces=NS): c for c in rows}
        for row, comment in zip(rows, comments):
            ids.append(int(row.findtext("wp:comment_id", namespaces=NS)))
            meta = row.findtext("wp:commentmeta[wp:meta_key='_jekyll_comment_id']/wp:meta_value", namespaces=NS)
            assert meta == comment.id
            parent = row.findtext("wp:comment_parent", namespaces=NS)
            if comment.parent is None:
                assert parent == "0"
            else:  # the parent is an earlier comment of the same item (the importer inserts by id)
                assert int(parent) < int(row.findtext("wp:comment_id", namespaces=NS))
                assert number[parent].findtext(
                    "wp:commentmeta/wp:meta_value", namespaces=NS) == comment.parent
            assert row.findtext("wp:comment_approved", namespaces=NS) == {
                "approved": "1", "pending": "0", "spam": "spam"}[comment.status]
            assert row.findtext("wp:comment_author", namespaces=NS) == comment.author
            assert row.findtext("wp:comment_author_IP", namespaces=NS) == ""
            assert row.findtext("wp:comment_type", namespaces=NS) == "comment"
            gmt = comment.date.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
            assert row.findtext("wp:comment_date_gmt", namespaces=NS) == gmt
            assert row.findtext("wp:comment_date", namespaces=NS) == comment.date.strftime("%Y-%m-%d %H:%M:%S")
    assert len(ids) == len(set(ids))
    source_n = sum(len(v) for v in expected.values())
    threaded = sum(1 for v in expected.values() for c in v if c.parent)
    print(f"COMMENTS site={name} target=wordpress source={source_n} in_wxr={len(ids)} replies={threaded}")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_ghost_export_writes_the_comments_of_each_post(name, tmp_path):
    site, _, report = export(name, GhostExporter, tmp_path)
    expected = by_source(site)
    files = sorted((tmp_path / "comments").glob("*.json"))
    written = {}
    for file in files:
        data = json.loads(file.read_text("utf-8"))
        written[data["post"]["source"]] = [(c["id"], c["parent"]) for c in data["comments"]]
    assert written == {k: [(c.id, c.parent) for c in v] for k, v in expected.items()}
    lines = [i.message for i in report.issues if i.code == "ghost-comments-not-imported"]
    total = sum(len(v) for v in expected.values())
    assert len(lines) == 1 and f"the {total} comments of {len(expected)} posts" in lines[0]
    print(f"COMMENTS site={name} target=ghost source={total} in_json={sum(len(v) for v in written.values())}")


@pytest.mark.parametrize("exporter_cls", [HugoExporter, WordPressExporter, GhostExporter], ids=lambda c: c.name)
def test_disqus_csv_is_the_redirect_map_of_the_commented_documents(exporter_cls, tmp_path):
    site, plan, _ = export("blog-classic+disqus", exporter_cls, tmp_path)
    commented = {d.source for d in site.documents if d.comments}
    rows = list(csv.reader(io.StringIO((tmp_path / "disqus-url-map.csv").read_text("utf-8"))))
    expected = []
    for rule in plan.redirect_map:
        if rule.origin in commented:
            target = rule.target if "://" in rule.target else "https://classic.example.org" + rule.target
            expected.append(["https://classic.example.org" + rule.source, target])
    assert rows == [r for r in expected if r[0] != r[1]] and rows
    print(f"DISQUS-CSV target={exporter_cls.name} rows={len(rows)} documents={len(commented)}")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_hugo_data_file_per_commented_page(name, tmp_path):
    site, _, _ = export(name, HugoExporter, tmp_path)
    files = sorted((tmp_path / "data" / "comments").glob("*.json"))
    written = {}
    for file in files:
        data = json.loads(file.read_text("utf-8"))
        written[data["source"]] = [c["id"] for c in data["comments"]]
        assert all("email" not in c for c in data["comments"])  # only the hash, never the address
    assert written == {k: [c.id for c in v] for k, v in by_source(site).items()}
    assert (tmp_path / "layouts" / "_partials" / "comments.html").is_file()


def test_partials_are_written_with_no_layouts_when_there_are_comments(tmp_path):
    export("comments-blog", HugoExporter, tmp_path, no_layouts=True)
    assert sorted(p.name for p in (tmp_path / "layouts").rglob("*.html")) == ["comment-thread.html",
                                                                                "comments.html"]


@pytest.mark.parametrize("exporter_cls", [HugoExporter, WordPressExporter, GhostExporter], ids=lambda c: c.name)
def test_export_with_comments_is_byte_identical_twice(exporter_cls, tmp_path):
    trees = []
    for run in ("a", "b"):
        export("blog-classic+disqus", exporter_cls, tmp_path / run)
        trees.append({p.relative_to(tmp_path / run).as_posix(): p.read_bytes()
                      for p in sorted((tmp_path / run).rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]


# -- IR and CLI ---------------------------------------------------------------------------------------


def test_comments_round_trip_through_the_ir_json():
    site = read("blog-classic+disqus")
    again = Site.from_dict(json.loads(json.dumps(site.to_dict())))
    assert by_source(again) == by_source(site)


def test_inspect_counts_comments_per_document(capsys):
    assert main(["inspect", str(CLASSIC), "--comments-disqus", str(DISQUS)]) == 1 - 1
    out = capsys.readouterr().out
    assert "comments: 10 on 4 documents" in out
    assert "  comments 4 (3 approved, 1 spam; 2 replies)" in out
    main(["inspect", "--json", str(SAMPLE)])
    data = json.loads(capsys.readouterr().out)
    assert {d["source"]: d["comments"] for d in data["documents"] if d["comments"]} == {
        "_posts/2019-04-02-first-light.md": 5, "_posts/2019-05-10-second-post.md": 4,
        "_posts/2020-01-15-one-file-per-post.md": 2}


def test_hugo_readme_tells_theme_users_how_to_show_comments(tmp_path):
    export("comments-blog", HugoExporter, tmp_path)
    assert '{{ partial "comments.html" . }}' in (tmp_path / "README.md").read_text("utf-8")


def test_a_key_shared_by_a_post_and_a_page_names_the_post(tmp_path):
    write_file(tmp_path, "_config.yml", "title: t\n")
    write_file(tmp_path, "_posts/2020-01-01-hello.md", "---\ntitle: Hello\n---\nHi\n")
    write_file(tmp_path, "hello.md", "---\ntitle: A page\n---\nHi\n")
    write_file(tmp_path, "_data/comments/hello/a.yml", "_id: a\nmessage: hi\ndate: 1577880000\n")
    assert list(by_source(read_site(tmp_path))) == ["_posts/2020-01-01-hello.md"]


def test_a_comment_export_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    assert main(["inspect", str(SAMPLE), "--comments-disqus", str(tmp_path / "none.xml")]) == 2
    assert "--comments-disqus" in capsys.readouterr().err


def test_wordpress_readme_counts_the_comments(tmp_path):
    export("comments-blog", WordPressExporter, tmp_path)
    assert "11 readers' comments" in (tmp_path / "README.txt").read_text("utf-8")


def test_staticman_key_may_be_the_page_id(tmp_path):
    write_file(tmp_path, "_config.yml", "title: t\n")
    # page.id is the folder of the URL and the slug: /notes/hello, though the URL ends in /x/
    write_file(tmp_path, "_posts/2020-01-01-hello.md", "---\ntitle: Hello\npermalink: /notes/x/\n---\nHi\n")
    write_file(tmp_path, "_data/comments/notes-hello/a.yml", "_id: a\nmessage: hi\ndate: 1577880000\n")
    assert list(by_source(read_site(tmp_path))) == ["_posts/2020-01-01-hello.md"]
