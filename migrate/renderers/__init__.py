"""Other renderers of document bodies than the built-in pipeline: what they hand the pipeline, per document.

A renderer supplies bodies only; the reader stays the source of URLs and structure, and every body still goes
through the pipeline's link and asset rewriting and the target's conversion (see ``ContentPipeline``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from migrate.ir import Issue

RENDERERS = ("builtin", "jekyll", "jekyll,builtin")
"""What ``--renderer`` takes: the built-in pipeline, the site's own Jekyll, or Jekyll with the built-in
pipeline for the documents Jekyll did not render (also when Jekyll is missing, fails or times out)."""


@dataclass(frozen=True)
class RenderedBody:
    """One document as the site's own Jekyll rendered it."""

    content: str
    """The content after Liquid and conversion, before the layout (HTML for Markdown documents)."""
    excerpt: str | None
    """The rendered excerpt of a post or collection document (None for a page)."""
    url: str
    """The URL Jekyll gave it (only cross-checked: the reader's URL is the one used)."""


@dataclass(frozen=True)
class GeneratedBody:
    """A page or document a generator made, with no source file of its own."""

    url: str
    output_path: str
    generator: str
    """The Ruby class of the page (``Jekyll::PageWithoutAFile``, a plugin's own class)."""
    content: str | None


@dataclass(frozen=True)
class Rendering:
    """What a renderer made of a site: bodies by source file, and why the others are missing."""

    renderer: str
    bodies: Mapping[str, RenderedBody] = field(default_factory=dict)
    generated: tuple[GeneratedBody, ...] = ()
    issues: tuple[Issue, ...] = ()
    """Cross-check warnings and notes from the run (plugins left out, generated pages)."""
    failure: str | None = None
    """Why the renderer rendered nothing (Jekyll missing, failed, timed out); None when it ran."""
    seconds: float = 0.0
    skipped: frozenset[str] = frozenset()
    """Sources the renderer leaves to the built-in pipeline on purpose (stylesheets), without a warning."""
    command: str = ""
    """How the renderer ran (``bundle exec jekyll`` or ``jekyll``)."""

    def digest(self) -> str:
        """A key of every body, for the conversion cache."""
        h = hashlib.sha256(self.renderer.encode())
        for source in sorted(self.bodies):
            body = self.bodies[source]
            h.update(json.dumps([source, body.content, body.excerpt], ensure_ascii=False).encode("utf-8"))
        h.update(repr((self.failure, sorted(self.skipped))).encode("utf-8"))
        return h.hexdigest()

    def fallback_issue(self, source: str) -> Issue | None:
        """The report's line for a document the built-in pipeline rendered instead (None: on purpose)."""
        if source in self.bodies or source in self.skipped:
            return None
        why = self.failure or "Jekyll did not render this document"
        return Issue("renderer-fallback", "warning", f"rendered by the built-in renderer: {why}", source)
