"""Pushing a Ghost export into a live Ghost through its Admin API (``jekyll-migrate push --to ghost``).

The posts are the rows of the import file the exporter made (same title, slug, body, excerpt, dates,
status, tags in order, meta, feature image); the images it would have put in the zip are uploaded through
``/images/upload/`` (``/media/upload/``, ``/files/upload/`` for the others) and the bodies point at the
uploaded URLs; the redirects file is uploaded through ``/redirects/upload/``.

Where the source key lives: in the post's ``codeinjection_foot`` as an HTML comment
(``<!-- jekyll-migrate source=... sha=... -->``). Ghost has no custom field on a post; the code injection
is a plain text column it keeps verbatim through the editor, the API and its own exports, it belongs to the
one post, an Admin API browse returns it, and a comment in it shows nothing to readers. (An internal tag
per post would keep the key too, but would add a tag per post to the site's tag list.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import posixpath
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import yaml

from exporters.ghost.assets import content_folder, ghost_file_name
from migrate.push import Exported, Managed, PushError, PushItem, PushTarget, Remote, RemoteGone, ref
from migrate.push.items import item_hash

API = "/ghost/api/admin"
ACCEPT_VERSION = "v6.0"
KEY_NAME = "JM_GHOST_ADMIN_KEY"
_KEY = re.compile(r"([0-9a-f]{24}):([0-9a-f]{64})")
_MARK = re.compile(r"<!-- jekyll-migrate source=(\S+) sha=([0-9a-f]*) -->")
_UPLOADS = {"images": "images", "media": "media", "files": "files"}
_TOKEN_SECONDS = 300


def admin_token(key: str, *, now: float | None = None) -> str:
    """The JWT Ghost's Admin API takes for an ``id:secret`` key: HS256 over the hex-decoded secret, the
    key id as ``kid``, audience ``/admin/``, five minutes at most (Ghost refuses longer)."""
    match = _KEY.fullmatch(key.strip())
    if not match:
        raise PushError(f"{KEY_NAME} is not a Ghost Admin API key (expected ID:SECRET, 24 and 64 hex digits; "
                        "the value is not shown)")
    kid, secret = match.groups()
    issued = int(time.time() if now is None else now)

    def part(value: Mapping[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing = part({"alg": "HS256", "kid": kid, "typ": "JWT"}) + "." + part(
        {"iat": issued, "exp": issued + _TOKEN_SECONDS, "aud": "/admin/"})
    signature = hmac.new(bytes.fromhex(secret), signing.encode(), hashlib.sha256).digest()
    return signing + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def marker(key: str, digest: str) -> str:
    return f"<!-- jekyll-migrate source={quote(key, safe='/:@').replace('-', '%2D')} sha={digest} -->"


def read_marker(text: str | None) -> tuple[str, str] | None:
    match = _MARK.search(text or "")
    return (unquote(match.group(1)), match.group(2)) if match else None


class GhostPushTarget(PushTarget):
    """A live Ghost 5 or 6, through the Admin API with an Admin API key (a custom integration's, or an
    Administrator's staff access token: only the latter may upload the redirects file)."""

    name = "ghost"
    credentials = (KEY_NAME,)
    order = ("media", "term", "page", "post", "routes", "redirects")

    def __init__(self, url: str, credentials: Mapping[str, str], http: Any, options: Mapping[str, Any]) -> None:
        super().__init__(url, credentials, http, options)
        key = credentials[KEY_NAME]
        admin_token(key)  # a malformed key fails here, before any request
        http.add_secret(key)
        http.add_secret(key.partition(":")[2])
        self.http.auth = lambda: {"Authorization": "Ghost " + admin_token(key), "Accept-Version": ACCEPT_VERSION}
        self.users: list[dict[str, Any]] = []
        self.unmatched: dict[str, int] = {}
        self.notes: list[str] = []
        self._index: dict[str, dict[str, Any]] | None = None
        self._slugs: dict[tuple[str, str], dict[str, Any]] = {}
        self.site_url = self.url

    # -- talking to Ghost --------------------------------------------------------------------------------
    def _api(self, method: str, path: str, **kw: Any) -> Any:
        return self.http.request(method, API + path, **kw)

    def check(self) -> None:
        where = self.url
        try:
            r = self.http.request("GET", API + "/site/", allow=range(300, 600), what="GET /ghost/api/admin/site/")
        except PushError as exc:
            raise PushError(f"{where} does not answer: {exc}") from None
        try:
            site = r.json().get("site") if r.status_code == 200 else None
        except ValueError:
            site = None
        if not isinstance(site, dict) or "version" not in site:
            raise PushError(f"{where} is not a Ghost site (GET /ghost/api/admin/site/ answered {r.status_code}"
                            f"{'' if r.status_code != 200 else ' without a Ghost site object'}); check --url")
        r = self._api("GET", "/users/", params={"limit": "all", "fields": "id,name,slug,email"},
                      allow=(401, 403), what="GET /ghost/api/admin/users/")
        if r.status_code == 401:
            raise PushError(f"Ghost at {where} refused the Admin API key (401 {_message(r)}): check {KEY_NAME} "
                            "(ID:SECRET of a custom integration, Ghost Admin: Settings -> Integrations)")
        if r.status_code == 403:
            raise PushError(f"the Admin API key may not read users on {where} (403 {_message(r)}): use a custom "
                            "integration's key or an Administrator's staff access token")
        self.users = list(r.json().get("users", []))
        # Ghost names its uploads under its own configured address, which may differ from --url (a proxy)
        self.site_url = str(site.get("url") or self.url).rstrip("/")

    # -- items ---------------------------------------------------------------------------------------------
    def build_items(self, exported: Exported) -> list[PushItem]:
        exporter, site = exported.exporter, exported.site
        statics = {s.source: s for s in site.static_files}
        items: list[PushItem] = []
        by_path: dict[str, str] = {}  # "/content/images/..." of the import -> the media item's key
        for source in sorted(exporter.assets.in_zip):
            zip_path = exporter.assets.paths[source]
            file_path = site.static_file_path(statics[source])
            key = "media:" + source
            by_path["/" + zip_path] = key
            items.append(PushItem(key=key, kind="media", media_file=file_path, title=source,
                                  fields={"name": _upload_name(zip_path, file_path),
                                          "folder": content_folder(zip_path) or "files"}))
        paths = re.compile("|".join(re.escape(p) for p in sorted(by_path, key=len, reverse=True))
                           + r"(?![A-Za-z0-9_@.%/-])") if by_path else None

        def point(value: Any) -> Any:
            if not isinstance(value, str) or paths is None or "/content/" not in value:
                return value
            return paths.sub(lambda m: ref(by_path[m.group(0)], "url"), value)

        # Tags are items of their own, made before the posts: Ghost makes a missing tag while saving a
        # post, and two posts saved at once with one new tag make it twice ("news", "news-2").
        tag_names = {row["id"]: row for row in exporter.rows.tag_rows.values()}
        used_tags = {t for entry in exporter.entries.values() if entry.post_id for t in entry.tags}
        for row in sorted(exporter.rows.tag_rows.values(), key=lambda r: r["slug"]):
            if row["id"] in used_tags:
                items.append(PushItem(key=f"term:tag:{row['slug']}", kind="term", slug=row["slug"],
                                      fields={"name": row["name"], "slug": row["slug"]}, title=row["name"]))
        user_rows = {row["id"]: row for row in exporter.rows.user_rows.values()}
        for source, entry in sorted(exporter.entries.items()):
            if not entry.post_id or entry.post_json is None:
                continue
            row = json.loads(entry.post_json.read().decode("utf-8"))
            fields: dict[str, Any] = {k: row[k] for k in ("title", "slug", "status", "visibility", "featured",
                                                          "published_at", "custom_excerpt", "canonical_url")
                                      if row.get(k) is not None}
            for body in ("html", "lexical"):
                if body in row:
                    fields[body] = point(row[body])
            if row.get("feature_image"):
                fields["feature_image"] = point(row["feature_image"])
            fields.update(entry.meta)
            fields["tags"] = [{"id": ref(f"term:tag:{tag_names[t]['slug']}")} for t in entry.tags]
            if exporter._date(entry.doc) is None:
                # No date of its own: the export dates it at the newest post, which moves whenever a post
                # is added; Ghost dates it when first published and keeps that.
                fields.pop("published_at", None)
            authors = [a for a in (self._author(user_rows[u]) for u in entry.authors) if a]
            if authors:
                fields["authors"] = [{"id": a} for a in dict.fromkeys(authors)]
            items.append(PushItem(key=source, kind=entry.type, slug=entry.slug, fields=fields, title=source))
        redirects = exported.plan.files.get("redirects.json")
        if redirects is not None:
            rules = json.loads(b"".join(redirects.chunks()).decode("utf-8"))
            items.append(PushItem(key="redirects", kind="redirects", fields={"rules": rules},
                                  title=f"file of {len(rules)} rules"))
        routes = exported.plan.files.get("routes.yaml")
        if routes is not None:  # a multilingual site: a collection of posts per language
            items.append(PushItem(key="routes", kind="routes", title="routes.yaml (a collection per language)",
                                  fields={"yaml": b"".join(routes.chunks()).decode("utf-8")}))
        return items

    def _author(self, row: Mapping[str, Any]) -> str | None:
        """The id of the Ghost user a site author becomes: ``--author-map`` (by the author's slug, name or
        e-mail -> a user's slug or e-mail), else the user with the same e-mail, else the same slug."""
        wanted = self.options.get("author_map") or {}
        mapped = next((wanted[k] for k in (row.get("slug"), row.get("name"), row.get("email")) if k in wanted),
                      None)
        for user in self.users:
            if mapped is not None:
                if mapped in (user.get("slug"), user.get("email")):
                    return str(user["id"])
                continue
            if row.get("email") and str(user.get("email", "")).lower() == str(row["email"]).lower():
                return str(user["id"])
        if mapped is None:
            for user in self.users:
                if user.get("slug") == row.get("slug"):
                    return str(user["id"])
        name = str(row.get("name") or row.get("slug"))
        label = f"{name} (--author-map {row.get('slug')}={mapped} names no user)" if mapped else name
        self.unmatched[label] = self.unmatched.get(label, 0) + 1
        return None

    # -- finding what is there -------------------------------------------------------------------------
    def _load_index(self) -> dict[str, dict[str, Any]]:
        """Every post and page this tool pushed (by source key), and every one by (type, slug)."""
        if self._index is not None:
            return self._index
        index: dict[str, dict[str, Any]] = {}
        for kind in ("posts", "pages"):
            page: Any = 1
            while page:
                r = self._api("GET", f"/{kind}/", params={
                    "limit": "100", "page": str(page), "fields": "id,uuid,slug,url,updated_at,codeinjection_foot,title",
                    "filter": "status:[draft,published,scheduled,sent]"})
                body = r.json()
                for post in body.get(kind, []):
                    post["_type"] = kind[:-1]
                    self._slugs[(post["_type"], post["slug"])] = post
                    mark = read_marker(post.get("codeinjection_foot"))
                    if mark:
                        post["_sha"] = mark[1]
                        index.setdefault(mark[0], post)
                page = body.get("meta", {}).get("pagination", {}).get("next")
        self._index = index
        return index

    def find(self, item: PushItem) -> Remote | None:
        if item.kind == "media":
            return self._find_upload(item)
        if item.kind == "redirects":
            return self._find_redirects(item)
        if item.kind == "routes":
            r = self._api("GET", "/settings/routes/yaml/", allow=(403, 404), what="reading routes.yaml")
            if r.status_code == 200 and _yaml(r.text) == _yaml(item.fields["yaml"]):
                return Remote(id="routes", hash=item_hash(item, dict(item.fields)))
            return None
        if item.kind == "term":
            r = self._api("GET", f"/tags/slug/{quote(item.slug or '')}/", allow=(404,), what=f"reading tag {item.label}")
            if r.status_code == 404:
                return None
            tag = r.json()["tags"][0]
            same = tag.get("name") == item.fields["name"]
            return Remote(id=tag["id"], url=tag.get("url"), hash=item_hash(item, dict(item.fields)) if same else None)
        index = self._load_index()
        post = index.get(item.key)
        if post is None:
            post = self._slugs.get((item.kind, item.slug or ""))
            if post is None:
                return None
            if read_marker(post.get("codeinjection_foot")) is None:
                self.notes.append(f"the Ghost {item.kind} /{item.slug}/ was not pushed by jekyll-migrate; it has the "
                                  f"slug of {item.key} and becomes that document")
        return Remote(id=post["id"], url=post.get("url"), hash=post.get("_sha") or None,
                      extra={"type": post["_type"]})

    def _find_upload(self, item: PushItem) -> Remote | None:
        """An upload an interrupted push made but did not record: Ghost stores it under this month's (or
        last month's) folder with the name given, which holds the file's digest."""
        today = time.gmtime()
        months = [(today.tm_year, today.tm_mon)]
        months.append((today.tm_year - 1, 12) if today.tm_mon == 1 else (today.tm_year, today.tm_mon - 1))
        folders = [str(item.fields["folder"])] + (["files"] if item.fields["folder"] == "images" else [])
        for (year, month), folder in itertools.product(months, folders):
            path = f"/content/{folder}/{year:04d}/{month:02d}/{item.fields['name']}"
            r = self.http.request("HEAD", path, allow=(404, 403, 301, 302), allow_redirects=False)
            if r.status_code == 200:
                url = self.site_url + path
                return Remote(id=url, url=url, hash=item_hash(item, dict(item.fields)))
        return None

    def _find_redirects(self, item: PushItem) -> Remote | None:
        live = self._live_redirects()
        if live is None:
            return None
        if live == self._merged(item.fields["rules"], live):
            return Remote(id="redirects", hash=item_hash(item, dict(item.fields)),
                          extra={"ours": [rule.get("from") for rule in item.fields["rules"]]})
        return None

    # -- writing -------------------------------------------------------------------------------------------
    def create(self, item: PushItem, fields: Mapping[str, Any], digest: str) -> Remote:
        if item.kind == "media":
            return self._upload(item, fields)
        if item.kind == "redirects":
            return self._upload_redirects(item, fields)
        if item.kind == "routes":
            return self._upload_routes(fields)
        if item.kind == "term":
            r = self._api("POST", "/tags/", json={"tags": [dict(fields)]}, what=f"creating tag {item.label}")
            tag = r.json()["tags"][0]
            return Remote(id=tag["id"], url=tag.get("url"))
        kind = item.kind + "s"
        post = {**fields, "codeinjection_foot": marker(item.key, digest)}
        r = self._api("POST", f"/{kind}/", json={kind: [post]}, params=_source(fields),
                      what=f"creating {item.kind} {item.label}")
        made = r.json()[kind][0]
        return Remote(id=made["id"], url=made.get("url"), extra={"type": item.kind})

    def _upload_routes(self, fields: Mapping[str, Any]) -> Remote:
        with tempfile.NamedTemporaryFile(suffix=".yaml") as handle:
            handle.write(str(fields["yaml"]).encode("utf-8"))
            handle.flush()
            r = self._api("POST", "/settings/routes/yaml/",
                          files={"routes": ("routes.yaml", Path(handle.name), "application/x-yaml")},
                          allow=(403,), what="uploading routes.yaml")
        if r.status_code == 403:
            raise PushError("Ghost refuses the routes.yaml upload to this key (403): push again with an "
                            f"Administrator's staff access token in {KEY_NAME}, or upload routes.yaml of "
                            "`jekyll-migrate export --to ghost` at Settings -> Labs -> Routes")
        return Remote(id="routes")

    def update(self, item: PushItem, remote: Remote, fields: Mapping[str, Any], digest: str) -> Remote:
        if item.kind == "redirects":
            return self._upload_redirects(item, fields, remote.extra.get("ours") or ())
        if item.kind in ("media", "routes"):
            return self.create(item, fields, digest)
        if item.kind == "term":
            r = self._api("PUT", f"/tags/{remote.id}/", json={"tags": [dict(fields)]}, allow=(404,),
                          what=f"updating tag {item.label}")
            if r.status_code == 404:
                raise RemoteGone(f"Ghost no longer has tag {item.label}")
            tag = r.json()["tags"][0]
            return Remote(id=tag["id"], url=tag.get("url"))
        kind = str(remote.extra.get("type") or item.kind) + "s"
        r = self._api("GET", f"/{kind}/{remote.id}/", params={"fields": "id,updated_at"}, allow=(404,),
                      what=f"reading {item.kind} {item.label}")
        if r.status_code == 404:
            raise RemoteGone(f"{item.label}: Ghost no longer has {kind[:-1]} {remote.id}")
        current = r.json()[kind][0]
        post = {**fields, "codeinjection_foot": marker(item.key, digest), "updated_at": current["updated_at"]}
        r = self._api("PUT", f"/{kind}/{remote.id}/", json={kind: [post]}, params=_source(fields),
                      what=f"updating {item.kind} {item.label}")
        made = r.json()[kind][0]
        return Remote(id=made["id"], url=made.get("url"), extra={"type": kind[:-1]})

    def _upload(self, item: PushItem, fields: Mapping[str, Any]) -> Remote:
        folder = str(fields["folder"])
        endpoint = _UPLOADS.get(folder, "files")
        assert item.media_file is not None
        mime = _mime(str(fields["name"]))
        data = {"ref": item.key} if endpoint == "images" else None
        try:
            r = self._api("POST", f"/{endpoint}/upload/",
                          files={"file": (str(fields["name"]), item.media_file, mime)}, data=data,
                          what=f"uploading {item.label}")
        except PushError as exc:
            if endpoint != "images" or exc.status not in (400, 415, 422):
                raise
            # Ghost resizes every image it takes and refuses one its image library cannot read (the
            # import zip copies it as it is): the files endpoint keeps it as it is, at a URL that answers.
            endpoint = "files"
            r = self._api("POST", "/files/upload/", files={"file": (str(fields["name"]), item.media_file, mime)},
                          what=f"uploading {item.label} as a file")
            self.notes.append(f"Ghost could not process the image {item.label} ({exc.message.split(': ', 1)[-1]}); "
                              "it was uploaded as a file, served as it is")
        url = r.json()[endpoint][0]["url"]
        return Remote(id=url, url=url)

    def _live_redirects(self) -> list[dict[str, Any]] | None:
        r = self._api("GET", "/redirects/download/", allow=(403, 404), what="reading the redirects file")
        if r.status_code != 200:
            return None
        return _parse_redirects(r.text)

    @staticmethod
    def _merged(ours: list[dict[str, Any]], live: list[dict[str, Any]] | None,
                previous: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Our rules first, then the live site's own rules: those with a source none of ours has, and
        that the last push did not write (``previous``)."""
        sources = {rule.get("from") for rule in ours} | set(previous)
        return [*ours, *(rule for rule in live or () if rule.get("from") not in sources)]

    def _upload_redirects(self, item: PushItem, fields: Mapping[str, Any], previous: Iterable[str] = ()) -> Remote:
        live = self._live_redirects()
        rules = self._merged(list(fields["rules"]), live, previous)
        body = json.dumps(rules, ensure_ascii=False, indent=1).encode("utf-8")
        with tempfile.NamedTemporaryFile(suffix=".json") as handle:
            handle.write(body)
            handle.flush()
            r = self._api("POST", "/redirects/upload/", files={"redirects": ("redirects.json", Path(handle.name),
                                                                            "application/json")},
                          allow=(403,), what="uploading the redirects file")
        if r.status_code == 403:
            raise PushError("Ghost refuses the redirects upload to this key (403: an integration's key may not "
                            "change redirects): push again with an Administrator's staff access token in "
                            f"{KEY_NAME} (Ghost Admin: your profile -> Staff access token), or upload "
                            "redirects.yaml of `jekyll-migrate export --to ghost` at Settings -> Labs -> Redirects")
        return Remote(id="redirects", extra={"ours": [rule.get("from") for rule in fields["rules"]]})

    # -- pruning -------------------------------------------------------------------------------------------
    def list_managed(self) -> Iterable[Managed]:
        self._index = None  # what this push changed
        for key, post in sorted(self._load_index().items()):
            yield Managed(key=key, kind=post["_type"], remote=Remote(id=post["id"], url=post.get("url"),
                                                                     extra={"type": post["_type"]}),
                          title=post.get("title") or key)

    def remove(self, managed: Managed) -> None:
        kind = str(managed.remote.extra.get("type") or managed.kind) + "s"
        self._api("DELETE", f"/{kind}/{managed.remote.id}/", allow=(404,), what=f"deleting {managed.title}")

    def live_fields(self, item: PushItem, remote: Remote) -> Mapping[str, Any] | None:
        if item.kind == "redirects":
            return {"rules": self._live_redirects() or []}
        if item.kind not in ("post", "page"):
            return None
        kind = str(remote.extra.get("type") or item.kind) + "s"
        r = self._api("GET", f"/{kind}/{remote.id}/", params={"formats": "html,lexical", "include": "tags,authors"},
                      allow=(404,))
        if r.status_code == 404:
            return None
        post = r.json()[kind][0]
        live = {k: post.get(k) for k in item.fields}
        live["tags"] = [{"id": t["id"]} for t in post.get("tags", [])]
        if "authors" in item.fields:
            live["authors"] = [{"id": a["id"]} for a in post.get("authors", [])]
        return live

    def summary(self) -> list[str]:
        lines = list(self.notes)
        if self.unmatched:
            names = ", ".join(f"{n} ({c} documents)" for n, c in sorted(self.unmatched.items()))
            lines.append(f"authors matching no Ghost user (their posts get Ghost's default author; invite them "
                         f"or map them with --author-map OLD=SLUG): {names}")
        return lines


def _source(fields: Mapping[str, Any]) -> dict[str, str] | None:
    """``?source=html``: Ghost converts an HTML body to its editor's document, as its importer does."""
    return {"source": "html"} if "html" in fields else None


def _upload_name(zip_path: str, file_path: Any) -> str:
    """The name an upload is given: the import's file name with the first 10 hex digits of the file's
    SHA-256, so an upload is found again by name and two files of one name never collide."""
    digest = hashlib.sha256()
    with open(file_path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    stem, ext = posixpath.splitext(ghost_file_name(posixpath.basename(zip_path)))
    return f"{stem}-{digest.hexdigest()[:10]}{ext.lower()}"


def _mime(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _message(response: Any) -> str:
    try:
        errors = response.json().get("errors") or [{}]
        return str(errors[0].get("message") or "").rstrip(".")
    except (ValueError, AttributeError):
        return ""


def _yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _parse_redirects(text: str) -> list[dict[str, Any]]:
    """Ghost's redirects file, JSON (a list of from/to/permanent) or YAML (301:/302: maps), as a list."""
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            return []
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    rules = []
    if isinstance(data, dict):
        for status, mapping in data.items():
            for source, target in (mapping or {}).items():
                rules.append({"from": source, "to": target, "permanent": str(status) == "301"})
    return rules


