"""Disqus comments from the XML export Disqus mails (Admin > Moderate > Export): ``<thread>`` elements with
the page's ``<link>`` (and the ``<id>`` the site gave as ``disqus_identifier``), and ``<post>`` elements
naming their thread and ``<parent>`` post, with ``isDeleted`` and ``isSpam`` flags. Read as a stream (an
export of many megabytes is read in constant memory), with no entity or network access."""

from __future__ import annotations

import datetime as _dt
import hashlib
import xml.sax
from pathlib import Path
from typing import Any
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes, feature_namespaces

from migrate.ir import Comment, Issue, Site
from migrate.reader.comments.match import UrlIndex
from migrate.reader.dates import local_zone

_INTERNALS = "http://disqus.com/disqus-internals"


class _Export(ContentHandler):
    """Collects the export's threads and posts as flat records: ``{"path/of/child": text, "child@id": id}``."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.record: dict[str, Any] | None = None
        self.text: list[str] = []
        self.threads: dict[str, dict[str, Any]] = {}
        self.posts: list[dict[str, Any]] = []
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:
        local = name[1]
        self.stack.append(local)
        self.text = []
        ident = attrs.get((_INTERNALS, "id"))
        if len(self.stack) == 2:
            self.record = {"kind": local, "dsq_id": ident, "line": self.locator.getLineNumber()}
        elif self.record is not None and ident is not None:
            self.record["/".join(self.stack[2:]) + "@id"] = ident

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        if self.record is not None and len(self.stack) > 2:
            self.record.setdefault("/".join(self.stack[2:]), "".join(self.text).strip())
        elif len(self.stack) == 2 and self.record is not None:
            if self.record["kind"] == "thread" and self.record["dsq_id"] is not None:
                self.threads[self.record["dsq_id"]] = self.record
            elif self.record["kind"] == "post":
                self.posts.append(self.record)
            self.record = None
        self.text = []
        self.stack.pop()


def read_disqus(path: Path, site: Site, issues: list[Issue], *, name: str | None = None) -> dict[str, list[Comment]]:
    """The export's comments, by document source. A thread with comments whose link names no document is
    reported (file and line), as are deleted comments (not migrated) and a file that stops being XML (what
    came before is kept)."""
    source = name or path.name
    handler = _Export()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(handler)
    try:
        parser.parse(str(path))
    except xml.sax.SAXParseException as exc:
        issues.append(Issue("comment-bad-file", "warning", f"the Disqus export stops being XML here "
                            f"({exc.getMessage()}): the comments before it are read", source, exc.getLineNumber()))
    except (OSError, ValueError) as exc:
        issues.append(Issue("comment-bad-file", "warning", f"the Disqus export cannot be read: {exc}", source))
        return {}
    zone = local_zone(site.timezone)
    index = UrlIndex(site)
    by_thread: dict[str, list[Comment]] = {}
    # a deleted comment is not migrated; its replies answer what it answered (Disqus shows them so)
    gone = {p["dsq_id"]: p.get("parent@id") for p in handler.posts if p.get("isDeleted") == "true"}
    for post in handler.posts:
        if post.get("isDeleted") == "true":
            continue
        parent, hops = post.get("parent@id"), 0
        while parent in gone and hops <= len(gone):
            parent, hops = gone[parent], hops + 1
        comment = _comment({**post, "parent@id": parent}, source, zone, issues)
        if comment is not None:
            by_thread.setdefault(post.get("thread@id") or "", []).append(comment)
    deleted = len(gone)
    if deleted:
        issues.append(Issue("comment-deleted", "info", f"{deleted} comment(s) deleted in Disqus not migrated (their replies are)",
                            source))
    found: dict[str, list[Comment]] = {}
    for thread_id, comments in sorted(by_thread.items()):
        thread = handler.threads.get(thread_id)
        doc = None
        if thread is not None:
            doc = index.find(thread.get("link") or "") if thread.get("link") else None
            if doc is None and thread.get("id"):
                doc = index.find(thread["id"])
        if doc is None:
            where = thread["line"] if thread is not None else comments[0].line
            what = (f"thread {thread_id} ({thread.get('link') or thread.get('title') or 'no link'})"
                    if thread is not None else f"thread {thread_id!r}, which the export does not describe")
            issues.append(Issue("comment-unmatched", "warning", f"{len(comments)} comment(s) of Disqus {what} not "
                                "migrated: no document answered at that URL", source, where))
            continue
        found.setdefault(doc.source, []).extend(comments)
    return found


def _comment(post: dict[str, Any], source: str, zone: _dt.tzinfo, issues: list[Issue]) -> Comment | None:
    if post.get("dsq_id") is None:
        issues.append(Issue("comment-missing-field", "warning", "Disqus post without dsq:id: not migrated",
                            source, post["line"]))
        return None
    date = None
    raw = post.get("createdAt") or ""
    try:
        date = _dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        date = (date if date.tzinfo else date.replace(tzinfo=_dt.timezone.utc)).astimezone(zone)
    except ValueError:
        issues.append(Issue("comment-bad-date", "warning", f"Disqus post {post['dsq_id']} has no date "
                            f"({raw!r}): migrated without one", source, post["line"]))
    email = post.get("author/email") or None
    spam = post.get("isSpam") == "true"
    pending = post.get("isApproved") == "false"
    known = {"kind", "dsq_id", "line", "message", "createdAt", "isDeleted", "isSpam", "isApproved", "author/email",
             "author/name", "author/username", "thread@id", "parent@id", "thread", "parent", "author", "id", "ipAddress"}
    return Comment(
        id=str(post["dsq_id"]),
        parent=post.get("parent@id") or None,
        author=post.get("author/name") or post.get("author/username") or "",
        date=date,
        body=post.get("message") or "",
        body_format="html",
        email=email,
        email_md5=hashlib.md5(email.strip().lower().encode()).hexdigest() if email else None,
        author_url=None,
        status="spam" if spam else "pending" if pending else "approved",
        source=source,
        line=post["line"],
        extra={k: v for k, v in sorted(post.items()) if k not in known and v not in ("", None)},
    )
