"""Real Hugo builds the exported samples with their comments: every approved comment's text is on its page,
in thread order and nested under the comment it answers; every row of the Disqus URL-mapper CSV leads to a
page that answers on the build."""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from exporters.hugo import HugoExporter
from migrate.export import build_plan
from migrate.ir import Comment
from migrate.plan import write_plan
from migrate.report import Report
from tests.acceptance.test_hugo_build import hugo_build, site_file
from tests.test_comments import SAMPLES, read

pytestmark = pytest.mark.acceptance

_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


class Comments(HTMLParser):
    """The ``li.comment`` elements of a page in document order: (id, id of the enclosing comment, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, comment id when it is a comment)
        self.found: list[list] = []
        self.open: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("data-comment-id") if tag == "li" and "comment" in (attrs.get("class") or "") else None
        if ident is not None:
            parent = self.found[self.open[-1]][0] if self.open else None
            self.found.append([ident, parent, ""])
            self.open.append(len(self.found) - 1)
        if tag not in ("br", "hr", "img", "meta", "link", "input"):
            self.stack.append((tag, ident))

    def handle_endtag(self, tag):
        while self.stack:
            top, ident = self.stack.pop()
            if ident is not None:
                self.open.pop()
            if top == tag:
                break

    def handle_data(self, data):
        if self.open:
            self.found[self.open[-1]][2] += data + " "


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def source_words(comment: Comment) -> list[str]:
    """The words a reader saw in the source body: its text without tags and scripts (Markdown marks are not
    words)."""
    body = comment.body
    if comment.body_format == "markdown":  # a list item's number is the list's, not the text's
        body = re.sub(r"(?m)^\s*(?:\d+[.)]|[-*+])\s+", " ", body)
    return words(html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", body))))


def shown(comments: tuple[Comment, ...]) -> list[tuple[str, str | None]]:
    """(id, parent shown) of the approved comments in thread order; a reply to a hidden comment shows under
    the nearest shown ancestor."""
    by_id = {c.id: c for c in comments}
    out = []
    for c in comments:
        if c.status != "approved":
            continue
        parent = by_id.get(c.parent) if c.parent else None
        while parent is not None and parent.status != "approved":
            parent = by_id.get(parent.parent) if parent.parent else None
        out.append((c.id, parent.id if parent else None))
    return out


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_comment_is_on_its_built_page_in_thread_order(name, tmp_path):
    site = read(name)
    report = Report()
    plan = build_plan(site, HugoExporter, HugoExporter.validate_options({})[0], report)
    out = tmp_path / "hugo"
    write_plan(plan, out)
    public = hugo_build(out)
    new_url = {d.source: d.new_url for d in plan.documents}
    source_n = on_page = threaded_ok = 0
    for doc in site.documents:
        if not doc.comments:
            continue
        source_n += len(doc.comments)
        page = site_file(public, unquote(urlsplit(new_url[doc.source]).path))
        assert page is not None, doc.source
        parser = Comments()
        parser.feed(page.read_text("utf-8"))
        got = [(ident, parent) for ident, parent, _ in parser.found]
        assert got == shown(doc.comments), doc.source  # order and nesting
        texts = {ident: words(text) for ident, _, text in parser.found}
        for c in doc.comments:
            if c.status != "approved":
                continue
            expected = source_words(c)
            seen = iter(texts[c.id])
            assert all(w in seen for w in expected), (doc.source, c.id, expected, texts[c.id])
            on_page += 1
            threaded_ok += 1
    hidden = sum(1 for d in site.documents for c in d.comments if c.status != "approved")
    assert on_page + hidden == source_n
    print(f"COMMENTS site={name} target=hugo source={source_n} on_page={on_page} hidden_not_approved={hidden} "
          f"threaded_ok={threaded_ok}")


def test_disqus_csv_targets_answer_on_the_hugo_build(tmp_path):
    site = read("blog-classic+disqus")
    plan = build_plan(site, HugoExporter, HugoExporter.validate_options({})[0], Report())
    out = tmp_path / "hugo"
    write_plan(plan, out)
    public = hugo_build(out)
    rows = list(csv.reader(io.StringIO((out / "disqus-url-map.csv").read_text("utf-8"))))
    assert rows
    for old, new in rows:
        assert site_file(public, unquote(urlsplit(new).path)) is not None, (old, new)
    # every thread link of the export that names a migrated document: its page answers at the link's path,
    # or the CSV says where it went
    mapped = {urlsplit(old).path for old, _ in rows}
    text = Path(SAMPLES["blog-classic+disqus"][1]["disqus"]).read_text("utf-8")
    links = re.findall(r"<link>(.*?)</link>", text)
    answered = 0
    for link in links:
        path = unquote(urlsplit(html.unescape(link)).path)
        if path in mapped or site_file(public, path) is not None:
            answered += 1
    print(f"DISQUS-CSV site=blog-classic target=hugo rows={len(rows)} thread_links={len(links)} answering={answered}")
    assert answered == len(links) - 1  # the thread of a post that no longer exists (reported) is the one left
