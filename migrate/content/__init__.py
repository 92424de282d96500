"""The content pipeline: Liquid as Jekyll renders it, kramdown-faithful HTML, Markdown for Markdown targets,
and link and asset rewriting. Used by every exporter; knows nothing about any target.

The contract (exporters rely on it):

* an exporter first decides where everything lands and hands that over as :class:`Targets`;
* :meth:`ContentPipeline.convert` then turns one document's raw body into the target's format with
  every ``post_url``/``link``/internal link pointing at the new URL and every asset reference replaced
  by what ``Targets.asset_url`` returns. It never raises for a document's content: problems come back
  as issues in :class:`Converted`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Mapping

from migrate.content.extensions import Embed
from migrate.ir import Document, Issue, StaticFile

ContentFormat = Literal["html", "markdown"]

__all__ = ["ContentFormat", "Converted", "Embed", "Targets", "keep_asset_url"]


def keep_asset_url(document: Document, asset: StaticFile) -> str:
    """The identity asset policy: the asset keeps the URL Jekyll served it under."""
    return asset.url


@dataclass(frozen=True)
class Targets:
    """Where things land on the target site, decided by the exporter before any body is converted."""

    document_urls: Mapping[str, str]
    """Document source path -> its new URL (root-relative like ``/hello/`` or absolute)."""
    asset_url: Callable[[Document, StaticFile], str] = keep_asset_url
    """What a reference to ``asset`` from ``document`` becomes in the converted body. Must be a pure
    module-level function or picklable callable (bodies may be converted in worker processes)."""
    site_url: str = ""
    """The new site's absolute base URL without trailing slash (for ``absolute_url``); may be empty."""
    base_path: str = ""
    """Path prefix of the new site ("" or ``/sub``), used by ``relative_url``."""
    embed: Callable[[Embed, ContentFormat], str | None] | None = None
    """How the target writes embedded media (a video, a tweet, a gist, a figure: :class:`Embed`) in a body of
    the given format: its own form (a shortcode, an oEmbed URL on its own line, a card), or None to keep the
    HTML the plugin writes. Module-level function (picklable); None keeps every plugin's HTML."""


@dataclass(frozen=True)
class Converted:
    """One document's body, converted."""

    body: str
    """HTML or Markdown, per the requested format."""
    excerpt: str | None = None
    """The document's excerpt in the same format: front-matter ``excerpt`` when set, else the part before
    the excerpt separator (as Jekyll does)."""
    assets: tuple[str, ...] = ()
    """Static-file sources the body (and image front matter) references, in first-use order."""
    linked_documents: tuple[str, ...] = ()
    """Sources of the documents the body links to."""
    issues: tuple[Issue, ...] = field(default_factory=tuple)
