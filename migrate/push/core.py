"""The push core: dependency order, state, hashes, bounded concurrency, dry runs, pruning, the books."""

from __future__ import annotations

import difflib
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.push.items import Managed, PushError, PushItem, Remote, RemoteGone, item_hash, resolve_refs
from migrate.push.state import PushState
from migrate.push.target import PushTarget

log = logging.getLogger(__name__)

ACTIONS = ("create", "update", "unchanged", "failed", "prune", "orphan")
"""What happened to an item: ``orphan`` is a remote thing the site no longer has, kept without --prune."""


@dataclass
class Change:
    """The outcome of one item (or one remote orphan)."""

    action: str
    key: str
    kind: str
    label: str
    url: str | None = None
    message: str = ""
    """Why it failed."""
    diff: list[str] = field(default_factory=list)
    """With ``--diff``: the changed fields, as unified-diff lines."""


@dataclass
class PushResult:
    changes: list[Change]
    dry_run: bool
    reads: int = 0
    writes: int = 0
    retried: int = 0
    waited: float = 0.0

    def count(self, action: str, kind: str | None = None) -> int:
        return sum(1 for c in self.changes if c.action == action and (kind is None or c.kind == kind))

    @property
    def failed(self) -> bool:
        return any(c.action == "failed" for c in self.changes)

    @property
    def has_changes(self) -> bool:
        return any(c.action in ("create", "update", "prune") for c in self.changes)


def load_credentials(names: Sequence[str], file: str | os.PathLike[str] | None,
                     environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The values of ``names``: from the environment, else from ``file`` (``NAME=value`` lines)."""
    environ = os.environ if environ is None else environ
    values = {n: environ[n] for n in names if environ.get(n)}
    if file is not None and len(values) < len(names):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise PushError(f"cannot read the credentials file {file}: {exc.strerror or exc}") from None
        for number, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, value = line.partition("=")
            if not sep:
                raise PushError(f"{file}:{number}: expected NAME=value (the value is not shown)")
            name = name.strip().removeprefix("export ").strip()
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            if name in names and name not in values and value:
                values[name] = value
    missing = [n for n in names if n not in values]
    if missing:
        raise PushError(f"missing credential {', '.join(missing)}: set it in the environment or in a file "
                        "given with --credentials FILE (NAME=value lines); never on the command line")
    return values


def _levels(items: Sequence[PushItem], order: Sequence[str]) -> tuple[list[list[PushItem]], dict[str, str]]:
    """Items grouped so each group needs only earlier groups; and key -> why an item cannot be sent
    (a dependency nobody provides, or a cycle)."""
    by_key = {i.key: i for i in items}
    level: dict[str, int] = {}
    broken: dict[str, str] = {}
    visiting: set[str] = set()

    def depth(key: str) -> int:
        if key in level:
            return level[key]
        if key in visiting:
            broken[key] = "depends on itself (a cycle)"
            return 0
        visiting.add(key)
        item = by_key[key]
        d = 0
        for dep in sorted(item.dependencies()):
            if dep not in by_key:
                broken.setdefault(key, f"depends on {dep}, which is not pushed")
                continue
            d = max(d, depth(dep) + 1)
            if dep in broken:
                broken.setdefault(key, f"depends on {dep}, which cannot be pushed")
        visiting.discard(key)
        level[key] = d
        return d

    rank = {kind: i for i, kind in enumerate(order)}
    for item in items:
        depth(item.key)
    groups: dict[int, list[PushItem]] = {}
    for item in sorted(items, key=lambda i: (rank.get(i.kind, len(rank)), i.key)):
        groups.setdefault(level[item.key], []).append(item)
    return [groups[n] for n in sorted(groups)], broken


def _field_diff(label: str, old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for name in sorted(new):
        before = None if old is None else old.get(name)
        after = new[name]
        if before == after:
            continue
        a = _text(before).splitlines(keepends=True) if before is not None else []
        b = _text(after).splitlines(keepends=True)
        lines.extend(difflib.unified_diff(a, b, f"{label} {name} (live)", f"{label} {name} (site)", n=2))
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    return lines


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value if value.endswith("\n") else value + "\n"
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"


def push(
    target: PushTarget,
    items: Sequence[PushItem],
    state: PushState,
    *,
    dry_run: bool = False,
    diff: bool = False,
    prune: bool = False,
    jobs: int = 4,
    protected: Iterable[str] = (),
    on_change: Callable[[Change], None] | None = None,
) -> PushResult:
    """Send ``items`` to ``target`` (see :mod:`migrate.push`). ``protected``: keys never pruned (documents
    whose export failed this time). ``on_change`` is called once per item as it completes."""
    keys = [i.key for i in items]
    if len(set(keys)) != len(keys):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        raise PushError(f"the {target.name} target made two items with the key {dupes[0]!r}")
    groups, broken = _levels(items, target.order)
    remotes: dict[str, Remote] = {}
    failed: set[str] = set()
    changes: list[Change] = []

    def note(change: Change) -> Change:
        changes.append(change)
        if on_change is not None:
            on_change(change)
        return change

    def one(item: PushItem) -> Change:
        label = item.label
        try:
            bad = broken.get(item.key) or next(
                (f"depends on {d}, which failed" for d in sorted(item.dependencies()) if d in failed), None)
            if bad:
                return Change("failed", item.key, item.kind, label, message=bad)
            fields = resolve_refs(dict(item.fields), remotes, keep_missing=dry_run)
            digest = item_hash(item, fields)
            known = state.get(item.key)
            if known is not None and known.hash == digest:
                remotes[item.key] = known
                return Change("unchanged", item.key, item.kind, label, url=known.url)
            remote = known or target.find(item)
            if remote is not None and remote.hash == digest:
                remotes[item.key] = remote
                if not dry_run:
                    state.record(item.key, item.kind, remote)
                return Change("unchanged", item.key, item.kind, label, url=remote.url)
            if dry_run:
                if remote is not None:
                    remotes[item.key] = remote
                lines: list[str] = []
                if diff:
                    old = target.live_fields(item, remote) if remote is not None else {}
                    lines = _field_diff(label, old, fields)
                return Change("update" if remote else "create", item.key, item.kind, label,
                              url=remote.url if remote else None, diff=lines)
            action = "update"
            if remote is not None:
                try:
                    new = target.update(item, remote, fields, digest)
                except RemoteGone:
                    action, new = "create", target.create(item, fields, digest)
            else:
                action, new = "create", target.create(item, fields, digest)
            new = Remote(id=new.id, url=new.url, hash=digest, extra=new.extra)
            state.record(item.key, item.kind, new)
            remotes[item.key] = new
            return Change(action, item.key, item.kind, label, url=new.url)
        except PushError as exc:
            return Change("failed", item.key, item.kind, label, message=str(exc))
        except KeyError as exc:
            return Change("failed", item.key, item.kind, label, message=f"depends on {exc.args[0]}, not pushed")

    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="push")
    try:
        for group in groups:
            for change in pool.map(one, group):
                if change.action == "failed":
                    failed.add(change.key)
                note(change)
    except BaseException:
        # Ctrl-C: what is being sent finishes and is recorded; nothing more starts
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)

    wanted = set(keys) | set(protected)
    try:
        managed: list[Managed] = sorted(target.list_managed(), key=lambda m: m.key)
    except PushError as exc:
        note(Change("failed", "(prune)", "list", "listing what the target holds", message=str(exc)))
        managed = []
    for thing in managed:
        if thing.key in wanted:
            continue
        label = thing.title or thing.key
        if not prune:
            note(Change("orphan", thing.key, thing.kind, label, url=thing.remote.url))
            continue
        if dry_run:
            note(Change("prune", thing.key, thing.kind, label, url=thing.remote.url))
            continue
        try:
            target.remove(thing)
        except PushError as exc:
            note(Change("failed", thing.key, thing.kind, label, message=str(exc)))
            continue
        state.forget(thing.key)
        note(Change("prune", thing.key, thing.kind, label, url=thing.remote.url))
    http = target.http
    return PushResult(changes, dry_run, reads=http.reads, writes=http.writes, retried=http.retried,
                      waited=http.waited)


def load_target(exporter_cls: Any) -> type[PushTarget]:
    """The push target class an exporter names."""
    import importlib

    spec = getattr(exporter_cls, "push_target", None)
    if not spec:
        raise PushError(f"the {exporter_cls.name} exporter cannot push to a live site")
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)
