"""Find every link and asset reference in a body, resolve it against the site, and point it at its new home."""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate import ir
from migrate.content import Targets


@dataclass
class References:
    """What a rewrite found: referenced assets and documents, and references resolving to nothing."""

    assets: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    issues: list[ir.Issue] = field(default_factory=list)


class LinkResolver:
    def __init__(self, site: ir.Site, targets: Targets) -> None:
        self.site = site
        self.targets = targets

    def rewrite_html(self, doc: ir.Document, body: str) -> tuple[str, References]:
        return body, References()

    def rewrite_markdown(self, doc: ir.Document, body: str) -> tuple[str, References]:
        return body, References()

    def front_matter_assets(self, doc: ir.Document) -> tuple[list[str], list[ir.Issue]]:
        return [], []
