"""Readers' comments (Staticman data files, a Disqus export, GitHub issues or discussions) put on documents.

Each source yields comments per document source; :func:`attach_comments` checks their threads (unique ids,
parents that exist, no loops), orders them and returns the site with ``Document.comments`` filled.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from migrate.ir import Comment, Issue, Site

_EPOCH = _dt.datetime(1, 1, 1, tzinfo=_dt.timezone.utc)


def attach_comments(site: Site, found: Mapping[str, Iterable[Comment]], issues: list[Issue]) -> Site:
    """``site`` with each document's comments from ``found`` (document source -> comments) added to the ones
    it has, threaded; problems of threading go to ``issues``."""
    if not any(True for values in found.values() for _ in values):
        return site
    documents = []
    for doc in site.documents:
        more = list(found.get(doc.source, ()))
        if more:
            doc = dataclasses.replace(doc, comments=thread([*doc.comments, *more], issues))
        documents.append(doc)
    return dataclasses.replace(site, documents=tuple(documents))


def _key(comment: Comment) -> tuple[bool, _dt.datetime, str]:
    return (comment.date is None, comment.date or _EPOCH, comment.id)


def thread(comments: list[Comment], issues: list[Issue]) -> tuple[Comment, ...]:
    """``comments`` in thread order (depth first, siblings by date then id), after making ids unique, a
    parent that does not exist a top-level comment, and each loop of parents open at its earliest comment."""
    seen: dict[str, int] = {}
    unique = []
    for c in comments:
        if c.id in seen:
            seen[c.id] += 1
            new_id = f"{c.id}~{seen[c.id]}"
            issues.append(Issue("comment-duplicate-id", "warning", f"a second comment has the id {c.id!r}: "
                                f"it is kept as {new_id!r}", c.source or None, c.line))
            c = dataclasses.replace(c, id=new_id)
        else:
            seen[c.id] = 1
        unique.append(c)
    by_id = {c.id: c for c in unique}
    fixed: dict[str, Comment] = {}
    for c in unique:
        if c.parent is not None and (c.parent not in by_id or c.parent == c.id):
            issues.append(Issue("comment-missing-parent", "warning", f"comment {c.id!r} answers {c.parent!r}, "
                                "which is not a comment of the same page: it is kept as a top-level comment",
                                c.source or None, c.line))
            c = dataclasses.replace(c, parent=None)
        fixed[c.id] = c
    rooted: set[str] = set()  # comments known to lead to a top-level one (each chain is walked once)
    for c in list(fixed.values()):  # a loop never reaches a top-level comment: open it at its earliest member
        path: list[str] = []
        on_path: set[str] = set()
        at: str | None = c.id
        while at is not None and at not in on_path and at not in rooted:
            path.append(at)
            on_path.add(at)
            at = fixed[at].parent
        if at is None or at in rooted:
            rooted.update(path)
            continue
        loop = path[path.index(at):]
        first = min((fixed[i] for i in loop), key=_key)
        issues.append(Issue("comment-loop", "warning", f"comments {', '.join(repr(i) for i in sorted(loop))} "
                            f"answer each other in a loop: {first.id!r} is kept as a top-level comment",
                            first.source or None, first.line))
        fixed[first.id] = dataclasses.replace(first, parent=None)
        rooted.update(path)
    children: dict[str | None, list[Comment]] = {}
    for c in fixed.values():
        children.setdefault(c.parent, []).append(c)
    ordered: list[Comment] = []
    stack = sorted(children.get(None, ()), key=_key, reverse=True)
    while stack:
        c = stack.pop()
        ordered.append(c)
        stack.extend(sorted(children.get(c.id, ()), key=_key, reverse=True))
    return tuple(ordered)



def read_comment_exports(site: Site, *, disqus: str | Path | None = None, github: str | Path | None = None) -> Site:
    """``site`` with the comments of a Disqus export and of a GitHub (utterances, giscus) export added to its
    documents; the problems met are added to ``site.issues``."""
    from migrate.reader.comments.disqus import read_disqus
    from migrate.reader.comments.github import read_github

    issues: list[Issue] = []
    for given, read in ((disqus, read_disqus), (github, read_github)):
        if given:
            site = attach_comments(site, read(Path(given), site, issues, name=Path(given).name), issues)
    return dataclasses.replace(site, issues=site.issues + tuple(issues)) if issues else site
