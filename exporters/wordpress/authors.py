"""WordPress users for the authors of the site's documents."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from exporters.wordpress.slugs import remove_accents, unique_slug
from migrate.ir import Author, Document


@dataclass(frozen=True)
class WpAuthor:
    login: str
    display: str
    email: str = ""
    first: str = ""
    last: str = ""


class Authors:
    """Maps author keys of documents to WordPress logins; lists only the authors in use."""

    def __init__(self, authors: Iterable[Author], config: dict[str, Any]) -> None:
        self.known = {a.key: a for a in authors}
        self.by_key: dict[str, WpAuthor] = {}
        self.logins: set[str] = set()
        self.order: list[str] = []
        site_author = config.get("author")
        if isinstance(site_author, dict):
            site_author = site_author.get("name") or site_author.get("login")
        self.default_key = str(site_author).strip() if site_author else "admin"

    @property
    def default_login(self) -> str:
        return self._login(self.default_key)

    def _login(self, key: str) -> str:
        if key in self.by_key:
            login = self.by_key[key].login
        else:
            author = self.known.get(key)
            name = author.name if author else key
            base = re.sub(r"[^a-z0-9_.@-]+", "-", remove_accents(key).lower()).strip("-") or "author"
            login = unique_slug(base[:60], self.logins)
            parts = name.split(None, 1)
            self.by_key[key] = WpAuthor(
                login=login,
                display=name,
                email=(author.email or "") if author else "",
                first=parts[0] if len(parts) > 1 else "",
                last=parts[1] if len(parts) > 1 else "",
            )
        if key not in self.order:
            self.order.append(key)
        return login

    def login_for(self, doc: Document) -> str:
        keys = [a for a in doc.authors if str(a).strip()]
        return self._login(str(keys[0]).strip()) if keys else self._login(self.default_key)

    def used(self) -> list[WpAuthor]:
        return [self.by_key[k] for k in self.order]
