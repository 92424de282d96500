"""The WordPress push target without a server: its marker, its dates, and the items it makes from the
exporter's WXR (the acceptance tests send them to a real WordPress: tests/acceptance/test_wordpress_push.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exporters.wordpress import WordPressExporter
from exporters.wordpress.push import (
    WordPressTarget,
    _iso_with_offset,
    _same_offset,
    marker,
    read_marker,
    read_wxr,
    strip_marker,
    token,
)
from migrate.export import build_plan
from migrate.push import Exported, refs_in
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR


@pytest.mark.parametrize("key", ["_posts/2020-01-01-a.md", "media:assets/a b--c>.png", "pages/café/index.md"])
def test_marker_round_trip(key: str) -> None:
    mark = marker(key, "0123abcd", "https://old.example.org/a b/é?x=1")
    assert "--" not in mark[4:-3] and ">" not in mark[:-1]  # a valid HTML comment whatever the key
    body = "<p>Text</p>" + mark
    assert read_marker(body) == {"token": token(key), "source": key, "old": "https://old.example.org/a b/é?x=1",
                                 "hash": "0123abcd"}
    assert strip_marker(body) == "<p>Text</p>"
    assert read_marker("<p>no marker <!-- jekyll-migrate --></p>") is None


@pytest.mark.parametrize(
    ("local", "gmt", "want"),
    [
        ("2021-03-01 00:30:00", "2021-02-28 23:30:00", "2021-03-01T00:30:00+01:00"),
        ("2021-02-28 19:00:00", "2021-03-01 00:00:00", "2021-02-28T19:00:00-05:00"),
        ("2020-06-01 12:00:00", "2020-06-01 06:30:00", "2020-06-01T12:00:00+05:30"),
        ("2020-06-01 12:00:00", "2020-06-01 12:00:00", "2020-06-01T12:00:00+00:00"),
    ],
)
def test_dates_carry_their_offset(local: str, gmt: str, want: str) -> None:
    assert _iso_with_offset(local, gmt) == want
    # what WordPress answers (date_gmt), written the same way for --diff: no change when the instant is kept
    assert _same_offset(gmt.replace(" ", "T"), want) == want


class ScriptedHttp:
    """Answers the reads build_items makes (the users list); refuses writes."""

    def __init__(self, users: list[dict[str, Any]]) -> None:
        self.users = users
        self.auth = None
        self.secrets: list[str] = []

    def add_secret(self, secret: str) -> None:
        self.secrets.append(secret)

    def request(self, method: str, url: str, **kw: Any) -> Any:
        assert method == "GET", (method, url)
        users = self.users

        class Answer:
            status_code = 200

            def json(self) -> Any:
                return users if kw.get("params", {}).get("page", 1) == 1 else []

        return Answer()


def _items(site_name: str, author_map: dict[str, str] | None = None) -> tuple[WordPressTarget, list[Any], Any]:
    site = read_site(str(SAMPLES_DIR / site_name))
    options, problems = WordPressExporter.validate_options({})
    assert not problems
    report = Report()
    plan = build_plan(site, WordPressExporter, options, report)
    http = ScriptedHttp([{"id": 1, "username": "admin", "slug": "admin"}, {"id": 7, "username": "editor", "slug": "ed"}])
    target = WordPressTarget("http://wp.test", {"JM_WP_USER": "admin", "JM_WP_APP_PASSWORD": "aaaa bbbb"}, http, {})
    target.me = {"id": 1, "username": "admin"}
    exported = Exported(site=site, exporter=None, plan=plan, redirect_map=None, report=report,
                        options={"author_map": author_map or {}})
    wxr = read_wxr(plan.files[n].read() for n in plan.manifest_extra["wxr_files"])
    return target, target.build_items(exported), wxr


def test_items_are_the_wxr_items() -> None:
    target, items, (wxr, _authors, terms) = _items("blog-classic", {"ada": "editor"})
    by_key = {i.key: i for i in items}
    assert len(by_key) == len(items)
    documents = [w for w in wxr if w.post_type in ("post", "page")]
    assert {w.first("_jekyll_source") for w in documents} <= set(by_key)
    attachments = [w for w in wxr if w.post_type == "attachment"]
    assert {"media:" + (w.first("_jekyll_source") or "") for w in attachments} <= set(by_key)
    assert {f"term:{k}" for k in terms} <= set(by_key)
    for doc in documents:
        item = by_key[doc.first("_jekyll_source") or ""]
        assert item.fields["title"] == doc.title and item.fields["slug"] == doc.slug
        # the body is the WXR's, but for the media, which point at the uploads (placeholders until sent)
        for att in attachments:
            assert att.attachment_url not in item.fields["content"]
        body_refs = refs_in(item.fields["content"])
        assert body_refs <= {"media:" + (a.first("_jekyll_source") or "") for a in attachments}
        if doc.post_type == "post":
            cats = [s for d, s, _ in doc.terms if d == "category"]
            assert ("categories" in item.fields) == bool(cats)  # none: WordPress's default, as on import
        if doc.first("_thumbnail_id"):
            assert refs_in(item.fields["featured_media"])
    # the old author ada is sent as the user "editor", the others as a user of the same login or the
    # authenticated user, and said so
    ada = [by_key[d.first("_jekyll_source") or ""] for d in documents if d.creator == "ada"]
    assert ada and all(i.fields["author"] == 7 for i in ada)
    assert any("ada -> editor (--author-map)" in line for line in target.summary())
    assert "aaaa bbbb" in target.http.secrets  # the password is never printed


def test_media_items_upload_the_local_files() -> None:
    _target, items, _wxr = _items("blog-classic")
    media = [i for i in items if i.kind == "media"]
    assert media
    for item in media:
        assert item.media_file is not None and Path(item.media_file).is_file()
        assert set(item.fields) >= {"title", "slug"} and "date" not in item.fields


def test_languages_the_push_cannot_set_are_said() -> None:
    target, _items_made, _wxr = _items("polyglot-blog")
    assert any(line.startswith("languages: the site has ") for line in target.summary())
    target, _items_made, _wxr = _items("blog-classic")
    assert not any(line.startswith("languages:") for line in target.summary())
