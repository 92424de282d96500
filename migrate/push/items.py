"""The values a push passes between its core and a target: items to send, remote references, errors."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.errors import MigrateError

_REF = re.compile(r"\{\{jm-ref:(id|url):([^{}]*?)\}\}")


class PushError(MigrateError):
    """An expected failure talking to the target: a clear message, never a credential.

    Raised by ``check()`` it stops the push (exit 2 before any write); raised for one item it fails that
    item alone (exit 1, the others go on)."""

    category = "push"

    def __init__(self, message: str, *, source: str | None = None, status: int | None = None) -> None:
        super().__init__(message, source=source)
        self.status = status
        """The HTTP status that caused it, when there was one."""


class RemoteGone(PushError):
    """The remote thing the state file names no longer exists (deleted by hand): the core creates it."""


def ref(key: str, attr: str = "id") -> str:
    """A placeholder for the remote ``id`` or ``url`` of the item ``key``, replaced at send time.

    A string that is exactly one placeholder becomes the value itself (an int id stays an int); a
    placeholder inside a longer string (an HTML body) is replaced by the value as text."""
    if attr not in ("id", "url"):
        raise ValueError(f"ref attr must be 'id' or 'url', not {attr!r}")
    if "{" in key or "}" in key:
        raise ValueError(f"a push key may not contain braces: {key!r}")
    return f"{{{{jm-ref:{attr}:{key}}}}}"


def refs_in(value: Any) -> set[str]:
    """The keys ``value`` (a JSON-like structure) refers to through :func:`ref`."""
    found: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, str):
            found.update(m.group(2) for m in _REF.finditer(v))
        elif isinstance(v, Mapping):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(value)
    return found


def resolve_refs(value: Any, remotes: Mapping[str, Remote], *, keep_missing: bool = False) -> Any:
    """``value`` with every placeholder replaced from ``remotes`` (key -> :class:`Remote`). A missing one
    raises KeyError, unless ``keep_missing`` (dry runs: the placeholder stays)."""
    if isinstance(value, str):
        if "{{jm-ref:" not in value:
            return value
        whole = _REF.fullmatch(value)
        if whole:
            remote = remotes.get(whole.group(2))
            if remote is None:
                if keep_missing:
                    return value
                raise KeyError(whole.group(2))
            return getattr(remote, whole.group(1))

        def one(m: re.Match[str]) -> str:
            remote = remotes.get(m.group(2))
            if remote is None:
                if keep_missing:
                    return m.group(0)
                raise KeyError(m.group(2))
            return str(getattr(remote, m.group(1)))

        return _REF.sub(one, value)
    if isinstance(value, Mapping):
        return {k: resolve_refs(v, remotes, keep_missing=keep_missing) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolve_refs(v, remotes, keep_missing=keep_missing) for v in value]
    return value


@dataclass(frozen=True)
class PushItem:
    """One thing to send: a post, a page, an uploaded file, a term, the redirects."""

    key: str
    """Stable source key: the document's source path, ``media:<static source>``,
    ``term:<taxonomy>:<slug>``, ``redirects``. Ties the remote thing to the source across runs."""
    kind: str
    """``post``, ``page``, ``media``, ``term``, ``redirects`` (or another word the target uses): shown in
    reports and counted."""
    slug: str | None = None
    """The slug on the target, when it has one (``find`` falls back to it)."""
    fields: Mapping[str, Any] = field(default_factory=dict)
    """The JSON body the target's API takes, with :func:`ref` placeholders for other items."""
    depends_on: tuple[str, ...] = ()
    """Keys that must be sent first (besides those found through :func:`ref` in ``fields``)."""
    media_file: Path | None = None
    """A local file to upload (its bytes are part of the item's hash)."""
    title: str = ""
    """What a person calls it in messages (default: the key)."""

    def dependencies(self) -> set[str]:
        return set(self.depends_on) | refs_in(self.fields)

    @property
    def label(self) -> str:
        return self.title or self.key


@dataclass(frozen=True)
class Remote:
    """The remote thing an item became."""

    id: Any
    """The target's id (a Ghost object id string, a WordPress integer)."""
    url: str | None = None
    """Where it is served (for uploads: the URL bodies point at)."""
    hash: str | None = None
    """The hash of what was last sent, when known (state file, or kept on the remote)."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Anything else the target wants back later (kept in the state file; JSON values only)."""


@dataclass(frozen=True)
class Managed:
    """A remote thing this tool pushed, found by ``list_managed`` (for ``--prune``)."""

    key: str
    kind: str
    remote: Remote
    title: str = ""


@dataclass
class Exported:
    """The export a push sends: what ``export`` would have written, still in memory."""

    site: Any
    """The :class:`migrate.ir.Site`."""
    exporter: Any
    """The exporter instance after its whole export (its own bookkeeping: entries, assets, rows)."""
    plan: Any
    """The :class:`migrate.plan.Plan` (planned files, document outcomes)."""
    redirect_map: Any
    """The :class:`migrate.redirects.RedirectMap` of the export (old URL -> new URL)."""
    report: Any
    """The :class:`migrate.report.Report` to add issues to."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Push options given on the command line (``author_map``: old name -> target login/slug, ...)."""


def item_hash(item: PushItem, fields: Any) -> str:
    """The hash of what is sent for ``item``: its resolved fields, and its file's bytes."""
    digest = hashlib.sha256()
    digest.update(item.kind.encode())
    digest.update(b"\0")
    digest.update(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    if item.media_file is not None:
        digest.update(b"\0file\0")
        digest.update(item.media_file.name.encode("utf-8", "surrogatepass"))
        with open(item.media_file, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:32]
