"""utterances and giscus comments from a JSON file ``gh api graphql`` wrote (the README gives the command;
nothing here touches the network).

utterances keeps a page's comments in a GitHub issue, giscus in a discussion, each titled after the page by
the widget's ``issue-term`` / ``data-mapping``: ``pathname`` (the URL's path without its leading slash and
without an extension, ``index`` for the home page; the default of both), ``url``, ``title`` or
``og:title``; utterances also links the page in the issue's body. A thread is matched to the document whose
path or URL its title holds (both widgets look up a title that contains the term), else whose title it
is, else whose URL its body links. Discussion replies thread under their comment; minimized comments keep
their state (spam and abuse as spam, others pending).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

from migrate.ir import Comment, Document, Issue, Site
from migrate.reader.comments.match import UrlIndex
from migrate.reader.dates import local_zone

_URL_IN_BODY = re.compile(r"https?://[^\s)\]>\"']+")
MAX_BYTES = 200_000_000
"""A larger file is refused with a message (it would be read whole)."""


def _pathname_term(url: str) -> str:
    """The term utterances and giscus compute from ``location.pathname`` for their ``pathname`` mapping."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    if len(path) < 2:
        return "index"
    return re.sub(r"\.\w+$", "", path[1:])


def read_github(path: Path, site: Site, issues: list[Issue], *, name: str | None = None) -> dict[str, list[Comment]]:
    source = name or path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            issues.append(Issue("comment-bad-file", "warning", f"the GitHub export is over {MAX_BYTES // 1_000_000} "
                                "MB: not read", source))
            return {}
        data = json.loads(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        issues.append(Issue("comment-bad-file", "warning", f"the GitHub export cannot be read: {exc}", source, line))
        return {}
    threads = list(_threads(data))
    if not threads:
        issues.append(Issue("comment-bad-file", "warning", "the GitHub export holds no issues or discussions "
                            "(see the README for the gh api command)", source))
        return {}
    zone = local_zone(site.timezone)
    finder = _Finder(site)
    found: dict[str, list[Comment]] = {}
    for thread in threads:
        comments = list(_comments(thread, source, zone, issues))
        if not comments:
            continue
        doc = finder.find(str(thread.get("title") or ""), str(thread.get("body") or ""))
        if doc is None:
            issues.append(Issue("comment-unmatched", "warning", f"{len(comments)} comment(s) of GitHub thread "
                                f"#{thread.get('number')} ({thread.get('title')!r}) not migrated: its title names "
                                "no document", source))
            continue
        found.setdefault(doc.source, []).extend(comments)
    return found


def _threads(data: Any) -> list[dict[str, Any]]:
    """Every issue or discussion of the file: ``gh api graphql --paginate --slurp`` pages, one page, or a
    plain list of them."""
    pages = data if isinstance(data, list) else [data]
    out: list[dict[str, Any]] = []
    for page in pages:
        if isinstance(page, dict) and "data" in page:
            repo = (page.get("data") or {}).get("repository") or {}
            for key in ("issues", "discussions"):
                out.extend(n for n in ((repo.get(key) or {}).get("nodes") or ()) if isinstance(n, dict))
        elif isinstance(page, dict) and "title" in page:
            out.append(page)
    return out


def _comments(thread: dict[str, Any], source: str, zone: _dt.tzinfo, issues: list[Issue]) -> list[Comment]:
    out: list[Comment] = []
    for node in ((thread.get("comments") or {}).get("nodes") or ()):
        made = _comment(node, None, source, zone)
        if made is None:
            continue
        out.append(made)
        for reply in ((node.get("replies") or {}).get("nodes") or ()):
            made_reply = _comment(reply, made.id, source, zone)
            if made_reply is not None:
                out.append(made_reply)
    return out


def _comment(node: Any, parent: str | None, source: str, zone: _dt.tzinfo) -> Comment | None:
    if not isinstance(node, dict) or not node.get("id"):
        return None
    author = node.get("author") or {}
    try:
        date = _dt.datetime.fromisoformat(str(node.get("createdAt")).replace("Z", "+00:00")).astimezone(zone)
    except ValueError:
        date = None
    status = "approved"
    if node.get("isMinimized"):
        status = "spam" if str(node.get("minimizedReason") or "").upper() in ("SPAM", "ABUSE") else "pending"
    return Comment(
        id=str(node["id"]),
        parent=parent,
        author=str(author.get("login") or ""),
        date=date,
        body=str(node.get("body") or ""),
        body_format="markdown",
        author_url=str(author.get("url") or "") or None,
        status=status,
        source=source,
        extra={k: v for k, v in sorted(node.items()) if k in ("url", "databaseId", "minimizedReason") and v},
    )


class _Finder:
    def __init__(self, site: Site) -> None:
        self.urls = UrlIndex(site)
        self.by_term: dict[str, Document] = {}
        self.by_title: dict[str, Document] = {}
        host = (site.url or "").rstrip("/")
        for doc in sorted(site.documents, key=lambda d: d.source):
            for url in (doc.url, *doc.redirect_from):
                full = (site.baseurl or "") + url
                for term in (_pathname_term(full), host + full):
                    self.by_term.setdefault(term.lower(), doc)
            if doc.title:
                self.by_title.setdefault(doc.title.strip().lower(), doc)

    def find(self, title: str, body: str) -> Document | None:
        wanted = title.strip().lower()
        if wanted in self.by_term:
            return self.by_term[wanted]
        if wanted in self.by_title:
            return self.by_title[wanted]
        for sep in (" | ", " - ", " · ", " — "):  # document.title is often "Post | Site"
            head = wanted.split(sep, 1)[0]
            if head in self.by_title:
                return self.by_title[head]
        for url in _URL_IN_BODY.findall(body):
            doc = self.urls.find(url)
            if doc is not None:
                return doc
        return None
