"""Other renderers of document bodies than the built-in pipeline: what they hand the pipeline, per document.

A renderer supplies bodies only; the reader stays the source of URLs and structure, and every body still goes
through the pipeline's link and asset rewriting and the target's conversion (see ``ContentPipeline``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass, field

from migrate.ir import Document, Issue, Site

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
    title: str | None = None
    """The page's ``title`` as the generator set it (None: none)."""


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


def add_generated_pages(site: Site, rendering: Rendering) -> tuple[Site, Rendering, tuple[Issue, ...]]:
    """The site with a page for each HTML page a generator made (the site's own Ruby or a gem's) at a URL the
    reader has nothing at, its body as Jekyll rendered it, so the export keeps it; and the rendering with
    those bodies. A generated page's source is the file Jekyll wrote (it has no file of its own)."""
    known = {d.url for d in site.documents} | {u for d in site.documents for u in d.redirect_from}
    known |= {g.url for g in site.generated} | {url for d in site.documents for _, url in d.language_copies}
    taken = {d.source for d in site.documents} | {s.source for s in site.static_files}
    pages: list[Document] = []
    bodies = dict(rendering.bodies)
    issues: list[Issue] = []
    for page in rendering.generated:
        if (page.url in known or page.content is None or not page.output_path.endswith((".html", ".htm"))
                or page.generator == "JekyllRedirectFrom::RedirectPage" or page.output_path in taken):
            continue
        known.add(page.url)
        taken.add(page.output_path)
        name = page.output_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        slug = page.url.rstrip("/").rsplit("/", 1)[-1] if name == "index" else name
        title = page.title or slug.replace("-", " ").replace("_", " ").strip().capitalize() or page.url
        pages.append(Document(kind="page", source=page.output_path, url=page.url, output_path=page.output_path,
                              title=title, slug=slug or "index", markup="html", extension=".html",
                              body=page.content, render_with_liquid=False,
                              front_matter={"title": title} if page.title else {}))
        bodies[page.output_path] = RenderedBody(page.content, None, page.url)
        issues.append(Issue("renderer-generated", "info",
                            f"Jekyll generated {page.url} ({page.generator}) from no source file: exported as a "
                            "page with the body Jekyll rendered", page.output_path))
    if not pages:
        return site, rendering, ()
    site = dataclasses.replace(site, documents=site.documents + tuple(pages))
    return site, dataclasses.replace(rendering, bodies=bodies), tuple(issues)
