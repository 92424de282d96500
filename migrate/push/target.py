"""The push target protocol: what a platform answers so the core can push into it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from migrate.push.http import Http
from migrate.push.items import Exported, Managed, PushItem, Remote


class PushTarget:
    """A live platform to push into. See :mod:`migrate.push` for how one is written.

    The core makes it as ``Target(url, credentials, http, options)``: ``credentials`` holds the values of
    the names in :attr:`credentials` (from the environment or ``--credentials FILE``), ``http`` is the
    client every request goes through (its ``auth`` hook is the target's to set), ``options`` the push
    options (``author_map``...)."""

    name: ClassVar[str] = ""
    """The target's name (``ghost``, ``wordpress``), as ``--to`` spells it."""
    credentials: ClassVar[tuple[str, ...]] = ()
    """Names of the credentials it needs (``JM_GHOST_ADMIN_KEY``): read from the environment, else from
    ``--credentials FILE`` (``NAME=value`` lines). Their values are never printed."""
    order: ClassVar[tuple[str, ...]] = ("media", "term", "page", "post", "redirects")
    """Kinds in the order they are sent when nothing else decides (dependencies come first anyway)."""

    def __init__(self, url: str, credentials: Mapping[str, str], http: Http, options: Mapping[str, Any]) -> None:
        self.url = url.rstrip("/")
        self.secrets = dict(credentials)
        self.http = http
        self.options = dict(options)

    def check(self) -> None:
        """Raise :class:`~migrate.push.items.PushError` when the target cannot be pushed to."""
        raise NotImplementedError

    def build_items(self, exported: Exported) -> list[PushItem]:
        raise NotImplementedError

    def find(self, item: PushItem) -> Remote | None:
        raise NotImplementedError

    def create(self, item: PushItem, fields: Mapping[str, Any], digest: str) -> Remote:
        raise NotImplementedError

    def update(self, item: PushItem, remote: Remote, fields: Mapping[str, Any], digest: str) -> Remote:
        raise NotImplementedError

    def list_managed(self) -> Iterable[Managed]:
        return ()

    def remove(self, managed: Managed) -> None:
        raise NotImplementedError

    def live_fields(self, item: PushItem, remote: Remote) -> Mapping[str, Any] | None:
        """The remote's current values of ``item.fields``'s keys, for ``--dry-run --diff`` (None: unknown)."""
        return None

    def summary(self) -> list[str]:
        """Extra report lines after a push (authors that matched nobody, redirects not uploaded...)."""
        return []
