"""Pushing into a live WordPress through its REST API (application passwords, HTTP Basic auth).

What is sent is read back from the WXR the exporter wrote (still in memory): every post, page, term and
attachment is the one the import file would have made, field for field.

Where the source key lives
--------------------------
WordPress's REST API writes only post meta that a plugin registered (``register_post_meta`` with
``show_in_rest``): the ``_jekyll_source`` and ``_jekyll_old_url`` meta of the WXR cannot be written without
code on the server. So each pushed post, page and medium carries a marker, an HTML comment at the end of
its content (a medium: of its description), which readers never see and REST can search for::

    <!-- jekyll-migrate jmsrc-<sha256 of the key, 24 hex> source=<key> old=<old URL> hash=<hash sent> -->

(key and URL percent-encoded). ``find`` searches for the ``jmsrc-`` token (``search`` over the content,
any status), so a lost state file duplicates nothing; ``list_managed`` searches for ``jekyll-migrate``.
A post that does not carry our marker is never taken over, even if its slug is the one we want
(WordPress then gives ours a ``-2`` slug). Terms are found by slug, which WordPress keeps unique per
taxonomy.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from migrate.push import Exported, Managed, PushError, PushItem, PushTarget, Remote, RemoteGone, ref, refs_in
from migrate.push.items import item_hash
from migrate.push.state import state_path

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
MARKER = re.compile(r"<!-- jekyll-migrate (jmsrc-[0-9a-f]{24})((?: [a-z]+=[^ ]*)*) -->")
REST_KINDS = {"post": "posts", "page": "pages", "media": "media", "category": "categories", "tag": "tags"}
ENCODE_SAFE = "/:@!$&'()*+,;=._~"


BLOCK_MEDIA_ID = re.compile(r'(<!-- wp:(?:image|cover|media-text|video|audio|file) \{[^\n]*?"(?:id|mediaId)":)(\d+)([,}])')
"""The attachment id in a media block's attributes."""
IMAGE_CLASS_ID = re.compile(r'(\bwp-image-)(\d+)(\b)')
"""The attachment id in the class of an image block's ``<img>``."""


def _enc(value: str) -> str:
    """Percent-encoded so it holds no space, ``-`` (no ``--`` to end the comment) or ``>``."""
    return quote(value, safe=ENCODE_SAFE).replace("-", "%2D")


def token(key: str) -> str:
    return "jmsrc-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def marker(key: str, digest: str, old_url: str | None = None) -> str:
    parts = [f"source={_enc(key)}"]
    if old_url:
        parts.append(f"old={_enc(old_url)}")
    parts.append(f"hash={digest}")
    return f"<!-- jekyll-migrate {token(key)} {' '.join(parts)} -->"


def read_marker(text: str) -> dict[str, str] | None:
    """The marker's values (``token``, ``source``, ``old``, ``hash``) in ``text``, None without one."""
    found = MARKER.search(text or "")
    if not found:
        return None
    values = {"token": found.group(1)}
    for part in found.group(2).split():
        name, _, value = part.partition("=")
        values[name] = unquote(value)
    return values


def strip_marker(text: str) -> str:
    return MARKER.sub("", text or "")


def _iso_with_offset(local: str, gmt: str) -> str:
    """``local`` (``YYYY-MM-DD HH:MM:SS``) with the offset from ``gmt``: WordPress stores the instant right
    whatever its own timezone, and the local time in its timezone."""
    when = dt.datetime.strptime(local, "%Y-%m-%d %H:%M:%S")
    utc = dt.datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S")
    minutes = round((when - utc).total_seconds() / 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return when.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _same_offset(gmt: str, sent: str) -> str:
    """WordPress's ``date_gmt`` written as ``sent`` is (local time and offset), to compare instants."""
    offset = sent[19:] or "+00:00"
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset[1:].partition(":")
    delta = dt.timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * sign
    when = dt.datetime.strptime(gmt[:19], "%Y-%m-%dT%H:%M:%S") + delta
    return when.strftime("%Y-%m-%dT%H:%M:%S") + offset


class WxrItem:
    """One ``<item>`` of the WXR, the values a push needs."""

    def __init__(self, node: ET.Element) -> None:
        def text(path: str) -> str:
            return node.findtext(path, default="", namespaces=NS) or ""

        self.post_id = int(text("wp:post_id") or 0)
        self.post_type = text("wp:post_type")
        self.title = text("title")
        self.slug = text("wp:post_name")
        self.status = text("wp:status")
        self.date = text("wp:post_date")
        self.date_gmt = text("wp:post_date_gmt")
        self.parent = int(text("wp:post_parent") or 0)
        self.creator = text("dc:creator")
        self.content = text("content:encoded")
        self.excerpt = text("excerpt:encoded")
        self.comment_status = text("wp:comment_status") or "closed"
        self.ping_status = text("wp:ping_status") or "closed"
        self.menu_order = int(text("wp:menu_order") or 0)
        self.attachment_url = text("wp:attachment_url")
        self.terms: list[tuple[str, str, str]] = [
            (c.get("domain") or "", c.get("nicename") or "", c.text or "") for c in node.findall("category")
        ]
        self.meta: dict[str, list[str]] = {}
        for meta in node.findall("wp:postmeta", NS):
            self.meta.setdefault(meta.findtext("wp:meta_key", "", NS), []).append(
                meta.findtext("wp:meta_value", "", NS)
            )

    def first(self, key: str) -> str | None:
        values = self.meta.get(key)
        return values[0] if values else None


def read_wxr(files: Iterable[bytes]) -> tuple[list[WxrItem], list[dict[str, str]], dict[str, dict[str, str]]]:
    """Items (each once, in file order), authors and terms (``category:slug`` -> name, parent) of the
    WXR files."""
    items: dict[int, WxrItem] = {}
    authors: dict[str, dict[str, str]] = {}
    terms: dict[str, dict[str, str]] = {}
    for data in files:
        channel = ET.fromstring(data).find("channel")
        if channel is None:
            continue
        for author in channel.findall("wp:author", NS):
            login = author.findtext("wp:author_login", "", NS)
            authors.setdefault(
                login, {"login": login, "display": author.findtext("wp:author_display_name", "", NS),
                        "email": author.findtext("wp:author_email", "", NS)}
            )
        for cat in channel.findall("wp:category", NS):
            slug = cat.findtext("wp:category_nicename", "", NS)
            terms.setdefault(f"category:{slug}", {"name": cat.findtext("wp:cat_name", "", NS),
                                                 "parent": cat.findtext("wp:category_parent", "", NS)})
        for tag in channel.findall("wp:tag", NS):
            slug = tag.findtext("wp:tag_slug", "", NS)
            terms.setdefault(f"post_tag:{slug}", {"name": tag.findtext("wp:tag_name", "", NS), "parent": ""})
        for node in channel.findall("item"):
            item = WxrItem(node)
            items.setdefault(item.post_id, item)
    return list(items.values()), list(authors.values()), terms


class WordPressTarget(PushTarget):
    """WordPress 5.6+ through ``/wp/v2`` with an application password."""

    name = "wordpress"
    credentials = ("JM_WP_USER", "JM_WP_APP_PASSWORD")
    order = ("term", "media", "page", "post", "redirect")

    def __init__(self, url: str, credentials: Mapping[str, str], http: Any, options: Mapping[str, Any]) -> None:
        super().__init__(url, credentials, http, options)
        self.user = self.secrets.get("JM_WP_USER", "")
        password = self.secrets.get("JM_WP_APP_PASSWORD", "")
        token_value = base64.b64encode(f"{self.user}:{password}".encode()).decode()
        for secret in (password, password.replace(" ", ""), token_value):
            self.http.add_secret(secret)
        header = {"Authorization": "Basic " + token_value}
        self.http.auth = lambda: header
        self.api = self.url + "/wp-json/"
        self.me: dict[str, Any] = {}
        self.authors_used: dict[str, str] = {}
        self.authors_unmatched: list[str] = []
        self.not_uploaded: list[str] = []
        self.redirects_note: str | None = None
        self.has_redirection = False
        self.redirect_rows: list[tuple[str, str]] = []
        self.author_lines: list[str] = []
        self._old_urls: dict[str, str | None] = {}
        self._group: int | None = None
        self.language_note: str | None = None

    # -- the API -----------------------------------------------------------------------------------

    def _path(self, route: str) -> str:
        """A REST route (``wp/v2/posts``) as a URL under the API root found by :meth:`check`."""
        if "?rest_route=" in self.api:
            path, _, query = route.partition("?")
            return self.api + "/" + path + (("&" + query) if query else "")
        return self.api + route

    def _get(self, route: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        response = self.http.request("GET", self._path(route), params=params, **kw)
        try:
            return response.json()
        except ValueError:
            raise PushError(f"GET {route}: the answer is not JSON (is {self.url} a WordPress site?)") from None

    def _write(self, method: str, route: str, *, what: str, **kw: Any) -> Any:
        response = self.http.request(method, self._path(route), what=what, **kw)
        try:
            return response.json()
        except ValueError:
            raise PushError(f"{what}: WordPress's answer is not JSON") from None

    # -- check ---------------------------------------------------------------------------------------

    def check(self) -> None:
        root = None
        for api in (self.url + "/wp-json/", self.url + "/?rest_route="):
            self.api = api
            try:
                response = self.http.request("GET", self._path(""), allow=(401, 403, 404), what=f"GET {self.url}")
            except PushError as exc:
                raise PushError(f"{self.url} does not answer: {exc}") from None
            body = _json(response)
            if response.status_code in (401, 403) and isinstance(body, dict) and body.get("code"):
                raise PushError(
                    f"{self.url}: the WordPress REST API is switched off or blocked "
                    f"({body.get('code')}: {_text(body.get('message'))}); "
                    "push needs it (a security plugin or a must-use plugin may disable it)",
                    status=response.status_code,
                )
            if response.status_code == 200 and isinstance(body, dict) and "namespaces" in body:
                root = body
                break
        if root is None:
            raise PushError(
                f"{self.url} is not a WordPress site with its REST API on: neither /wp-json/ nor "
                "/?rest_route=/ answers (check the URL, and that the REST API is not disabled)"
            )
        home = str(root.get("home") or "").rstrip("/")
        if home and urlsplit(home)._replace(scheme="").geturl().lower() != urlsplit(self.url)._replace(
                scheme="").geturl().lower():
            raise PushError(f"{self.url} is not the address of the WordPress site that answers there: its "
                            f"address is {home} (push --url {home})")
        namespaces = set(root.get("namespaces") or ())
        if "wp/v2" not in namespaces:
            raise PushError(f"{self.url}: the WordPress REST API has no wp/v2 routes (it may be disabled)")
        self.has_redirection = "redirection/v1" in namespaces
        if not self.user or not self.secrets.get("JM_WP_APP_PASSWORD"):
            raise PushError("WordPress credentials missing: set JM_WP_USER and JM_WP_APP_PASSWORD "
                            "(an application password from Users > Profile)")
        response = self.http.request("GET", self._path("wp/v2/users/me"), params={"context": "edit"},
                                     allow=(400, 401, 403), what="GET users/me")
        body = _json(response)
        if response.status_code != 200:
            code = body.get("code") if isinstance(body, dict) else None
            if code in ("rest_not_logged_in", "incorrect_password", "invalid_username", "invalid_email"):
                raise PushError(
                    f"{self.url}: WordPress refused the user {self.user!r} and its application password "
                    f"(HTTP {response.status_code} {code}); create one under Users > Profile > Application "
                    "Passwords (WordPress offers them only over https, or on a site whose environment type "
                    "is local)", status=response.status_code)
            raise PushError(
                f"{self.url}: the REST API refused the credentials (HTTP {response.status_code}"
                f"{' ' + code if code else ''}: {_text(body.get('message') if isinstance(body, dict) else '')})",
                status=response.status_code,
            )
        self.me = body
        caps = body.get("capabilities") or {}
        missing = [c for c in ("edit_posts", "edit_others_posts", "publish_posts", "edit_pages",
                               "publish_pages", "upload_files", "manage_categories") if not caps.get(c)]
        if missing:
            raise PushError(
                f"{self.url}: the user {self.user!r} lacks the capabilities {', '.join(missing)} "
                "(push needs an editor or administrator)", status=403)

    # -- the items -----------------------------------------------------------------------------------

    def build_items(self, exported: Exported) -> list[PushItem]:
        plan = exported.plan
        names = list(plan.manifest_extra.get("wxr_files") or [])
        wxr, authors, terms = read_wxr(plan.files[n].read() for n in names)
        self.authors_used = self._map_authors(authors, exported.options.get("author_map") or {})
        by_id = {i.post_id: i for i in wxr}
        keys = {i.post_id: self._key(i) for i in wxr}
        media_files = {
            f"/{path[len('media/'):]}": Path(planned.copy_from)
            for path, planned in plan.files.items()
            if path.startswith("media/") and getattr(planned, "copy_from", None)
        }
        asset_base = str(plan.manifest_extra.get("asset_base_url") or "")
        items: list[PushItem] = []
        for key, term in sorted(terms.items()):
            taxonomy, _, slug = key.partition(":")
            kind = "category" if taxonomy == "category" else "tag"
            fields: dict[str, Any] = {"name": term["name"], "slug": slug}
            if kind == "category" and term.get("parent"):
                fields["parent"] = ref(f"term:category:{term['parent']}")
            items.append(PushItem(key=f"term:{taxonomy}:{slug}", kind="term", slug=slug, fields=fields,
                                  title=f"{kind} {term['name']}"))
        url_of: dict[str, str] = {}
        for item in wxr:
            if item.post_type != "attachment":
                continue
            path = item.attachment_url[len(asset_base):] if item.attachment_url.startswith(asset_base) else ""
            local = media_files.get(unquote(path)) or media_files.get(path)
            if local is None:
                self.not_uploaded.append(item.attachment_url)
                continue
            key = keys[item.post_id]
            url_of[item.attachment_url] = key
            name = local.name
            items.append(PushItem(
                key=key, kind="media", slug=item.slug, media_file=local, title=item.attachment_url,
                # no date or author: the WXR takes them from the first post using the file, which changes
                # when that post goes; the upload is made by the authenticated user, now
                fields={"title": item.title, "slug": item.slug, "comment_status": "closed",
                        "ping_status": "closed", "filename": name},
            ))
        # the longest URL first, so one that begins another is not taken for it
        media_pattern = (
            re.compile("(" + "|".join(re.escape(u) for u in sorted(url_of, key=len, reverse=True)) + ")"
                       r"(?![\w%/.~-])")
            if url_of else None
        )

        uploaded_ids = {post_id: key for post_id, key in keys.items() if key in url_of.values()}

        def attachment(m: re.Match[str]) -> str:
            key = uploaded_ids.get(int(m.group(2)))
            return m.group(0) if key is None else m.group(1) + ref(key) + m.group(3)

        def rewrite(text: str) -> str:
            if not text:
                return text
            if uploaded_ids and "wp-image-" in text:
                # native blocks (--wp-content blocks) name their medium by the WXR's attachment id: the id
                # WordPress gives the upload, in the block's attributes and in its image's class
                text = BLOCK_MEDIA_ID.sub(attachment, text)
                text = IMAGE_CLASS_ID.sub(attachment, text)
            if media_pattern is None:
                return text
            return media_pattern.sub(lambda m: ref(url_of[m.group(1)], "url"), text)

        languages = sorted({s for i in wxr for d, s, _ in i.terms if d == "language"})
        if languages:
            self.language_note = (
                f"languages: the site has {len(languages)} ({', '.join(languages)}); each post is pushed, but its "
                "language (Polylang's taxonomy and the links between translations, which the WXR carries) is "
                "not: set them in Polylang, or import the WXR instead"
            )
        for item in wxr:
            if item.post_type not in ("post", "page"):
                continue
            key = keys[item.post_id]
            fields = {
                "title": item.title,
                "slug": item.slug,
                "status": item.status if item.status in ("publish", "future", "draft", "pending", "private")
                else "draft",
                "date": _iso_with_offset(item.date, item.date_gmt),
                "content": rewrite(item.content),
                "excerpt": rewrite(item.excerpt),
                "author": self.authors_used.get(item.creator) or self.me.get("id"),
                "comment_status": item.comment_status,
                "ping_status": item.ping_status,
            }
            if item.post_type == "page":
                fields["menu_order"] = item.menu_order
                fields["parent"] = ref(keys[item.parent]) if item.parent in by_id else 0
            else:
                # none: left out, so WordPress files it under its default category, as the importer does
                categories = [ref(f"term:category:{s}") for d, s, _ in item.terms if d == "category"]
                if categories:
                    fields["categories"] = categories
                fields["tags"] = [ref(f"term:post_tag:{s}") for d, s, _ in item.terms if d == "post_tag"]
            footnotes = item.first("footnotes")
            if footnotes:  # the footnotes block's post meta, which WordPress (6.3+) takes through REST
                fields["meta"] = {"footnotes": footnotes}
            thumb = item.first("_thumbnail_id")
            if thumb and thumb.isdigit() and int(thumb) in by_id and keys[int(thumb)] in url_of.values():
                fields["featured_media"] = ref(keys[int(thumb)])
            items.append(PushItem(
                key=key, kind=item.post_type, slug=item.slug, fields=fields,
                title=item.first("_jekyll_source") or item.slug,
            ))
            self._old_urls[key] = item.first("_jekyll_old_url")
        self.redirect_rows = list(getattr(exported.plan, "redirects", []) or [])
        if self.redirect_rows and not self.has_redirection:
            where = "redirects/redirection.csv of `jekyll-migrate export --to wordpress`"
            cache = exported.options.get("cache_dir")
            if cache:
                csv_path = state_path(Path(cache), self.name, self.url)
                csv_path = csv_path.with_name(csv_path.stem + "-redirection.csv")
                try:
                    csv_path.parent.mkdir(parents=True, exist_ok=True)
                    csv_path.write_text(self.redirects_csv(), encoding="utf-8")
                    where = str(csv_path)
                except OSError as exc:
                    exported.report.emit("wp-push-redirects", "warning",
                                         f"could not write {csv_path}: {exc.strerror or exc}")
            self.redirects_note = (
                f"redirects: the Redirection plugin is not active on {self.url}, so the "
                f"{len(set(self.redirect_rows))} old URLs WordPress does not answer itself are not redirected; "
                f"activate Redirection and push again, or import {where} in Tools > Redirection > Import"
            )
        elif self.redirect_rows:
            for source, target in sorted(set(self.redirect_rows)):
                items.append(PushItem(
                    key=f"redirect:{source}", kind="redirect", slug=None, title=f"redirect {source}",
                    fields={"url": source, "match_type": "url", "action_type": "url", "action_code": 301,
                            "action_data": {"url": target}, "regex": False, "status": "enabled"},
                ))
        return items

    @staticmethod
    def _key(item: WxrItem) -> str:
        source = item.first("_jekyll_source")
        if item.post_type == "attachment":
            return f"media:{source}" if source else f"media:{item.attachment_url}"
        return source or f"{item.post_type}:{item.slug}#{item.post_id}"

    def _map_authors(self, authors: list[dict[str, str]], author_map: Mapping[str, str]) -> dict[str, Any]:
        """WXR login -> WordPress user id: ``--author-map`` (by the old login or display name), else a user
        with the same login, else the authenticated user (listed in the summary)."""
        users: dict[str, int] = {}
        page = 1
        context = "edit"  # logins; an editor may list users only as the public see them (slugs)
        while True:
            response = self.http.request("GET", self._path("wp/v2/users"),
                                         params={"context": context, "per_page": 100, "page": page},
                                         allow=(400, 401, 403), what="GET users")
            if response.status_code in (401, 403) and context == "edit":
                context = "view"
                continue
            batch = _json(response)
            if response.status_code != 200 or not isinstance(batch, list) or not batch:
                break
            for user in batch:
                for name in (user.get("username"), user.get("slug")):
                    if name:
                        users.setdefault(str(name).lower(), int(user["id"]))
            if len(batch) < 100:
                break
            page += 1
        out: dict[str, Any] = {}
        for author in authors:
            wanted = author_map.get(author["login"]) or author_map.get(author["display"])
            if wanted is not None:
                if str(wanted).lower() not in users:
                    raise PushError(f"--author-map {author['login']}={wanted}: WordPress has no user {wanted!r}")
                out[author["login"]] = users[str(wanted).lower()]
                self.author_lines.append(f"author {author['login']} -> {wanted} (--author-map)")
            elif author["login"].lower() in users:
                out[author["login"]] = users[author["login"].lower()]
                self.author_lines.append(f"author {author['login']} -> {author['login']} (same login)")
            else:
                out[author["login"]] = self.me.get("id")
                self.authors_unmatched.append(author["login"])
                self.author_lines.append(
                    f"author {author['login']} -> {self.me.get('username') or self.user} (no such user: the "
                    "authenticated user; map it with --author-map OLD=LOGIN)"
                )
        return out

    # -- find, create, update -------------------------------------------------------------------------

    def find(self, item: PushItem) -> Remote | None:
        if item.kind == "term":
            taxonomy = "categories" if item.key.startswith("term:category:") else "tags"
            found = self._get(f"wp/v2/{taxonomy}", {"slug": item.slug, "context": "edit"})
            if not isinstance(found, list) or not found:
                return None
            term = found[0]
            digest = None
            if not refs_in(item.fields) and all(term.get(k) == v for k, v in item.fields.items()):
                digest = item_hash(item, dict(item.fields))  # as it would be sent: nothing to update
            return Remote(id=term["id"], url=term.get("link"), hash=digest)
        if item.kind == "redirect":
            return self._find_redirect(item)
        route = f"wp/v2/{REST_KINDS[item.kind]}"
        params = {"search": token(item.key), "context": "edit", "per_page": 100}
        if item.kind != "media":
            params["status"] = "any"
        found = self._get(route, params)
        for remote in found if isinstance(found, list) else []:
            raw = _raw(remote, "description" if item.kind == "media" else "content")
            mark = read_marker(raw)
            if mark and mark.get("source") == item.key:
                return self._remote(item.kind, remote, mark)
        return None

    def _remote(self, kind: str, body: Mapping[str, Any], mark: Mapping[str, str] | None = None) -> Remote:
        url = body.get("source_url") if kind == "media" else body.get("link")
        return Remote(id=body["id"], url=url, hash=(mark or {}).get("hash"))

    def _fields(self, item: PushItem, fields: Mapping[str, Any], digest: str) -> dict[str, Any]:
        out = dict(fields)
        if item.kind in ("post", "page"):
            out["content"] = (out.get("content") or "") + marker(item.key, digest, self._old_urls.get(item.key))
        elif item.kind == "media":
            out.pop("filename", None)
            out["description"] = marker(item.key, digest)
        return out

    def create(self, item: PushItem, fields: Mapping[str, Any], digest: str) -> Remote:
        if item.kind == "term":
            taxonomy = "categories" if item.key.startswith("term:category:") else "tags"
            body = self._write("POST", f"wp/v2/{taxonomy}", json=dict(fields), what=f"create {item.label}",
                               allow=(400,))
            if isinstance(body, dict) and body.get("code") == "term_exists":
                term_id = (body.get("data") or {}).get("term_id")
                return Remote(id=term_id)
            if not isinstance(body, dict) or "id" not in body:
                raise PushError(f"create {item.label}: {_text(body.get('message') if isinstance(body, dict) else body)}")
            return Remote(id=body["id"], url=body.get("link"))
        if item.kind == "redirect":
            return self._create_redirect(item, fields)
        sent = self._fields(item, fields, digest)
        if item.kind == "media":
            assert item.media_file is not None
            mime = mimetypes.guess_type(item.media_file.name)[0] or "application/octet-stream"
            form = {k: str(v) for k, v in sent.items() if v is not None}
            body = self._write("POST", "wp/v2/media", what=f"upload {item.label}", data=form,
                               files={"file": (fields.get("filename") or item.media_file.name, item.media_file, mime)})
            return self._remote("media", body, {"hash": digest})
        body = self._write("POST", f"wp/v2/{REST_KINDS[item.kind]}", json=sent, what=f"create {item.label}")
        return self._remote(item.kind, body, {"hash": digest})

    def update(self, item: PushItem, remote: Remote, fields: Mapping[str, Any], digest: str) -> Remote:
        if item.kind == "term":
            taxonomy = "categories" if item.key.startswith("term:category:") else "tags"
            response = self.http.request("POST", self._path(f"wp/v2/{taxonomy}/{remote.id}"), json=dict(fields),
                                         allow=(404,), what=f"update {item.label}")
            if response.status_code == 404:
                raise RemoteGone(f"{item.label} is gone from {self.url}")
            return Remote(id=remote.id, url=_json(response).get("link"))
        if item.kind == "redirect":
            return self._update_redirect(item, remote, fields)
        if item.kind == "media":
            # WordPress cannot replace an uploaded file: upload the new one, then delete the old
            new = self.create(item, fields, digest)
            self.http.request("DELETE", self._path(f"wp/v2/media/{remote.id}"), params={"force": "true"},
                              allow=(404, 410), what=f"delete the old {item.label}")
            return new
        sent = self._fields(item, fields, digest)
        response = self.http.request("POST", self._path(f"wp/v2/{REST_KINDS[item.kind]}/{remote.id}"), json=sent,
                                     allow=(404, 410), what=f"update {item.label}")
        body = _json(response)
        if response.status_code in (404, 410) or (isinstance(body, dict) and body.get("status") == "trash"):
            raise RemoteGone(f"{item.label} is gone from {self.url}")
        return self._remote(item.kind, body, {"hash": digest})

    # -- prune ----------------------------------------------------------------------------------------

    def list_managed(self) -> Iterable[Managed]:
        for kind in ("post", "page"):
            page = 1
            while True:
                response = self.http.request(
                    "GET", self._path(f"wp/v2/{REST_KINDS[kind]}"),
                    params={"search": "jekyll-migrate", "context": "edit", "status": "any", "per_page": 100,
                            "page": page},
                    allow=(400,), what=f"list {REST_KINDS[kind]}")
                batch = _json(response)
                if response.status_code != 200 or not isinstance(batch, list):
                    break
                for remote in batch:
                    mark = read_marker(_raw(remote, "content"))
                    if mark and mark.get("source"):
                        yield Managed(key=mark["source"], kind=kind, remote=self._remote(kind, remote, mark),
                                      title=_raw(remote, "title"))
                if len(batch) < 100:
                    break
                page += 1

    def remove(self, managed: Managed) -> None:
        """Moves it to the trash (WordPress keeps it 30 days)."""
        self.http.request("DELETE", self._path(f"wp/v2/{REST_KINDS[managed.kind]}/{managed.remote.id}"),
                          allow=(404, 410), what=f"trash {managed.kind} {managed.key}")

    def live_fields(self, item: PushItem, remote: Remote) -> Mapping[str, Any] | None:
        if item.kind not in ("post", "page"):
            return None
        body = self._get(f"wp/v2/{REST_KINDS[item.kind]}/{remote.id}", {"context": "edit"})
        out: dict[str, Any] = {}
        for name in item.fields:
            value = body.get(name)
            if isinstance(value, dict) and "raw" in value:
                value = value["raw"]
            if name == "content":
                value = strip_marker(value or "")
            if name == "date" and body.get("date_gmt"):
                value = _same_offset(str(body["date_gmt"]), str(item.fields["date"]))
            out[name] = value
        return out

    # -- redirects (the Redirection plugin) ----------------------------------------------------------

    def _redirect_group(self) -> int:
        if self._group is None:
            groups = self._get("redirection/v1/group", {"per_page": 100})
            rows = groups.get("items") if isinstance(groups, dict) else None
            if not rows:
                raise PushError("the Redirection plugin has no redirect group to put redirects in")
            self._group = int(rows[0]["id"])
        return self._group

    def _find_redirect(self, item: PushItem) -> Remote | None:
        found = self._get("redirection/v1/redirect", {"filterBy[url]": item.fields["url"], "per_page": 100})
        for row in (found.get("items") if isinstance(found, dict) else None) or []:
            if row.get("url") == item.fields["url"]:
                return Remote(id=row["id"])
        return None

    def _create_redirect(self, item: PushItem, fields: Mapping[str, Any]) -> Remote:
        body = self._write("POST", "redirection/v1/redirect", json={**fields, "group_id": self._redirect_group()},
                           what=f"create {item.label}")
        rows = body.get("items") if isinstance(body, dict) else None
        for row in rows or []:
            if row.get("url") == fields["url"]:
                return Remote(id=row["id"])
        found = self._find_redirect(item)
        if found is None:
            raise PushError(f"create {item.label}: Redirection did not keep it")
        return found

    def _update_redirect(self, item: PushItem, remote: Remote, fields: Mapping[str, Any]) -> Remote:
        self._write("POST", f"redirection/v1/redirect/{remote.id}",
                    json={**fields, "group_id": self._redirect_group()}, what=f"update {item.label}")
        return Remote(id=remote.id)

    # -- report ---------------------------------------------------------------------------------------

    def summary(self) -> list[str]:
        lines = list(self.author_lines)
        if self.not_uploaded:
            lines.append(f"media: {len(self.not_uploaded)} files WordPress does not take as uploads keep their "
                         f"old URLs (e.g. {self.not_uploaded[0]})")
        if self.redirects_note:
            lines.append(self.redirects_note)
        if self.language_note:
            lines.append(self.language_note)
        return lines

    def redirects_csv(self) -> str:
        """The Redirection plugin's import CSV of the redirects not pushed (source, target, 301)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["source", "target", "regex", "code"])
        for source, target in sorted(set(self.redirect_rows)):
            writer.writerow([source, target, 0, 301])
        return out.getvalue()


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


def _raw(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if isinstance(value, dict):
        return str(value.get("raw") if value.get("raw") is not None else value.get("rendered") or "")
    return str(value or "")


def _text(value: Any) -> str:
    text = re.sub(r"<[^>]+>", "", str(value or ""))
    return " ".join(text.split())[:300]

