"""One document's body from raw Jekyll source to the target's HTML or Markdown, with links resolved."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from migrate import ir
from migrate.content import ContentFormat, Converted, Targets, emoji, mentions
from migrate.content.kramdown_syntax import DEFINITION_LINE, REF_DEF, closing_fence
from migrate.content.extensions import Embed
from migrate.content.liquid import Limits, LiquidRenderer, SiteInfo, place_embeds
from migrate.content.links import LinkResolver, References
from migrate.content.markdown import KramdownConverter
from migrate.content.to_markdown import goldmark_parser, to_markdown
from migrate.renderers import RenderedBody, Rendering
from migrate.renderers.normalise import first_difference, normalise

logger = logging.getLogger(__name__)

LARGE_BODY_CHARS = 4_000_000
"""Above this, Markdown is converted in parts split at blank lines outside code, bounding memory."""


def split_large_markdown(text: str, size: int) -> list[str]:
    """``text`` in pieces of about ``size`` characters, cut only at blank lines outside fenced code."""
    parts: list[str] = []
    current: list[str] = []
    length = 0
    fence: str | None = None
    for line in text.split("\n"):
        bare = line.lstrip(" >")
        if fence is None:
            m = re.match(r"(`{3,}|~{3,})", bare)
            if m:
                fence = m.group(1)
        elif closing_fence(fence, "").match(bare):
            fence = None
        if fence is None and not line.strip() and length >= size:
            parts.append("\n".join(current) + "\n")
            current, length = [], 0
            continue
        current.append(line)
        length += len(line) + 1
    if current:
        parts.append("\n".join(current) + "\n")
    return parts


def identity_targets(site: ir.Site) -> Targets:
    """Every document and asset keeps the URL Jekyll gives it."""
    return Targets(
        document_urls={d.source: d.url for d in site.documents}, site_url=site.url, base_path=site.baseurl
    )


def _kramdown_options(site: ir.Site) -> dict[str, Any]:
    conf = site.config.get("kramdown") or {}
    if not isinstance(conf, dict):
        conf = {}
    opts = conf.get("syntax_highlighter_opts") or {}
    default_lang = opts.get("default_lang", "plaintext") if isinstance(opts, dict) else "plaintext"
    return {
        "auto_ids": bool(conf.get("auto_ids", True)),
        "auto_id_prefix": str(conf.get("auto_id_prefix", "") or ""),
        "default_lang": str(default_lang or ""),
        "footnote_backlink": str(conf.get("footnote_backlink", "&#8617;")),
    }


class ContentPipeline:
    """Converts document bodies for one site and one set of targets (see :mod:`migrate.content`)."""

    def __init__(
        self,
        site: ir.Site,
        targets: Targets,
        *,
        limits: Limits | None = None,
        environment: str = "development",
        rendering: Rendering | None = None,
    ) -> None:
        self.site = site
        self.targets = targets
        self.rendering = rendering
        """Bodies another renderer (the site's own Jekyll) made: they replace Liquid and Markdown here."""
        self._differences: dict[str, str | None] = {}
        self._last_liquid: tuple[str, tuple[str, list[ir.Issue], list[str]]] | None = None
        """The built-in Liquid output the last comparison made (source, result), which HTML output reuses."""
        self._reference: ContentPipeline | None = None
        self._limits, self._environment = limits, environment
        self.kramdown = KramdownConverter(**_kramdown_options(site))
        self.info = SiteInfo(
            site, targets.document_urls, base_path=targets.base_path, site_url=targets.site_url
        )
        self.info.embed_writer = targets.embed
        self.liquid = LiquidRenderer(
            site, self.info, limits=limits, markdownify=self.kramdown.convert, environment=environment
        )
        self.links = LinkResolver(site, targets)
        self.info.render_html = self._drop_html
        self._drop_cache: dict[tuple[str, str], str] = {}
        self._in_progress: set[str] = set()

    def _drop_html(self, doc: ir.Document, key: str) -> str:
        """``post.content``/``post.excerpt`` seen from another document: rendered HTML, as Jekyll has it."""
        cache_key = (doc.source, key)
        if cache_key in self._drop_cache:
            return self._drop_cache[cache_key]
        other = self.rendering.bodies.get(doc.source) if self.rendering is not None else None
        if other is not None:  # what Jekyll's own Liquid read there
            return other.content if key == "content" else other.excerpt or ""
        if doc.source in self._in_progress:
            return doc.body if key == "content" else ""
        self._in_progress.add(doc.source)
        try:
            text = self.excerpt_source(doc) if key == "excerpt" else doc.body
            if text is None:
                html_text = ""
            else:
                rendered, _issues, _linked = self.render_liquid(doc, text)
                html_text, _ = self.to_html(doc, rendered)
        finally:
            self._in_progress.discard(doc.source)
        self._drop_cache[cache_key] = html_text
        return html_text

    @staticmethod
    def excerpt_source(doc: ir.Document) -> str | None:
        """Jekyll's excerpt text: front-matter ``excerpt``, else the body up to the separator, plus the
        body's link reference definitions (so reference links in the excerpt resolve)."""
        if doc.excerpt is not None:
            return doc.excerpt
        sep = doc.excerpt_separator or "\n\n"
        head, found, rest = doc.body.partition(sep)
        if not found:
            return doc.body
        refs = [line for line in rest.split("\n") if DEFINITION_LINE.match(line)]
        if refs:
            head += "\n\n" + "\n".join(refs)
        return head

    def is_markdown(self, doc: ir.Document) -> bool:
        """Whether the body is kramdown source here (a body another renderer made is HTML already)."""
        return doc.is_markdown and self.rendered(doc) is None

    def rendered(self, doc: ir.Document) -> RenderedBody | None:
        """The body another renderer made of ``doc``, where it differs from the built-in renderer's. Where
        the two agree (as a reader sees the HTML), the built-in one is kept: it converts the source to the
        target's Markdown natively, so the output differs only where the bodies do."""
        if self.rendering is None:
            return None
        other = self.rendering.bodies.get(doc.source)
        if other is None:
            return None
        if doc.source not in self._differences:
            self._differences[doc.source] = self.builtin_difference(doc, other)
        return other if self._differences[doc.source] is not None else None

    def _reference_pipeline(self) -> ContentPipeline:
        """The built-in renderer with the site's own URLs, as Jekyll renders (``post_url``, ``link`` and
        ``absolute_url`` give the old URLs there): this pipeline when its targets are those."""
        if self._reference is None:
            identity = identity_targets(self.site)
            self._reference = self if self.targets == identity else ContentPipeline(
                self.site, identity, limits=self._limits, environment=self._environment)
        return self._reference

    def builtin_difference(self, doc: ir.Document, other: RenderedBody) -> str | None:
        """Where the built-in renderer's HTML of ``doc`` parts from ``other``'s (None: they agree)."""
        reference = self._reference_pipeline()
        try:
            body, found, linked = reference.render_liquid(doc)
            if reference is self:
                self._last_liquid = (doc.source, (body, found, linked))
            ours = reference.kramdown.convert(body) if doc.is_markdown else body
        except Exception as exc:  # noqa: BLE001 - the other renderer's body is used instead
            logger.debug("built-in rendering of %s failed", doc.source, exc_info=True)
            return f"the built-in renderer failed ({type(exc).__name__})"
        mine, theirs = normalise(ours), normalise(other.content)
        return None if mine == theirs else first_difference(mine, theirs)

    def _liquid_or_rendered(
        self, document: ir.Document, fmt: ContentFormat
    ) -> tuple[str, list[ir.Issue], list[str]]:
        """The body after Liquid: another renderer's (already converted, so HTML) where it made one, else
        the built-in Liquid's, noted in the report when another renderer was asked for."""
        other = self.rendered(document)
        if other is not None:
            return other.content, [], []
        last, self._last_liquid = self._last_liquid, None
        if last is not None and last[0] == document.source and fmt == "html":
            body, found, linked = last[1]  # the comparison's, which agreed with Jekyll
            return body, list(found), list(linked)
        body, found, linked = self.render_liquid(document, fmt=fmt)
        fallback = self.rendering.fallback_issue(document.source) if self.rendering is not None else None
        return body, found + ([fallback] if fallback else []), linked

    def render_liquid(
        self, doc: ir.Document, text: str | None = None, *, fmt: ContentFormat = "html"
    ) -> tuple[str, list[ir.Issue], list[str]]:
        """The body after Liquid, as Jekyll hands it to the converter."""
        return self.liquid.render(doc, text, fmt=fmt)

    def to_html(self, doc: ir.Document, text: str) -> tuple[str, list[ir.Issue]]:
        """Body after Liquid -> HTML (kramdown for Markdown, unchanged for HTML)."""
        if not self.is_markdown(doc):
            return text, []
        try:
            if len(text) > LARGE_BODY_CHARS:
                parts = split_large_markdown(text, LARGE_BODY_CHARS // 4)
                refs = "\n".join(line for line in text.split("\n") if REF_DEF.match(line))
                html_text = "".join(
                    self.kramdown.convert(part + ("\n\n" + refs if refs else "")) for part in parts
                )
                note = ir.Issue(
                    "large-document",
                    "info",
                    f"{len(text) // 1_000_000} MB of Markdown converted in {len(parts)} parts "
                    "(footnotes do not cross parts)",
                    doc.source,
                )
                return html_text, [note]
            return self.kramdown.convert(text), []
        except Exception as err:  # noqa: BLE001 - content must never crash the run
            logger.debug("markdown failure in %s", doc.source, exc_info=True)
            return text, [
                ir.Issue("markdown-error", "error", f"Markdown conversion failed: {err}", doc.source)
            ]

    def convert(self, document: ir.Document, fmt: ContentFormat, *, with_excerpt: bool = True) -> Converted:
        """The document's body (and excerpt, unless ``with_excerpt`` is false) in ``fmt``, links and assets
        resolved; never raises."""
        issues: list[ir.Issue] = []
        if not document.is_html_page:
            return self._convert_file(document)
        try:
            body, found, linked = self._liquid_or_rendered(
                document, fmt if self.is_markdown(document) else "html"
            )
            issues.extend(found)
            if fmt == "html":
                out, found = self.to_html(document, body)
                issues.extend(found)
                out, refs = self.links.rewrite_html(document, out)
                out = self._mentions(document, out, issues)
                out = self._emoji(document, out)
            else:
                body = self._mentions(document, body, issues, before_markdown=True)
                body = self._emoji(document, body, before_markdown=True)
                out, found = to_markdown(self, document, body)
                issues.extend(found)
                out, refs = self.links.rewrite_markdown(document, out)
                out = self._mentions(document, out, issues, markdown=True)
                out = self._emoji(document, out, markdown=True)
            out = self.place_embeds(document, out, refs)
            issues.extend(refs.issues)
            image_assets, image_issues = self.links.front_matter_assets(document)
            issues.extend(image_issues)
            excerpt = self._excerpt(document, fmt, issues, out) if with_excerpt else None
            if excerpt is not None:
                excerpt = self.place_embeds(document, excerpt, References())
            assets = tuple(dict.fromkeys([*refs.assets, *image_assets]))
            docs = tuple(dict.fromkeys([*linked, *refs.documents]))
            return Converted(
                body=out,
                excerpt=excerpt,
                assets=assets,
                linked_documents=docs,
                issues=tuple(dict.fromkeys(issues)),
            )
        except Exception as err:  # noqa: BLE001 - the contract: never raise for a document's content
            logger.debug("conversion crash on %s", document.source, exc_info=True)
            issues.append(
                ir.Issue(
                    "convert-error",
                    "error",
                    f"conversion failed ({type(err).__name__}: {err}); body kept as written",
                    document.source,
                )
            )
            return Converted(body=document.body, issues=tuple(issues))

    def place_embeds(self, document: ir.Document, text: str, refs: References) -> str:
        """The embeds the target writes its own way (``Targets.embed``), in place of their placeholders, with
        a site file they show (a figure's image, a video) at its new URL."""
        writer = self.targets.embed
        if writer is None:
            return text

        def write(embed: Embed, fmt: str) -> str:
            local = not re.match(r"[a-z][a-z0-9+.-]*:|//", embed.url, re.IGNORECASE)
            if embed.kind in ("figure", "video") and local:
                embed = dataclasses.replace(embed, url=self.links.new_reference(document, embed.url, refs))
            return writer(embed, fmt) or embed.html  # type: ignore[arg-type]

        return place_embeds(text, self.liquid.env.embeds, write)

    def _mentions(
        self, document: ir.Document, text: str, issues: list[ir.Issue], *, markdown: bool = False,
        before_markdown: bool = False,
    ) -> str:
        """jekyll-mentions, when the site loads it: ``@name`` in the page's text linked to the profile, on the
        pages the plugin runs on (after rendering, so never in ``post.content`` seen from another page). In
        Markdown output: an HTML body is linked before it becomes Markdown, a Markdown body after."""
        if "jekyll-mentions" not in self.site.plugins or not mentions.mentionable(document):
            return text
        if (markdown or before_markdown) and (before_markdown == self.is_markdown(document)):
            return text
        base, problem = mentions.base_url(self.site.config, document.front_matter)
        if problem is not None and not before_markdown:
            issues.append(ir.Issue("mentions-config", "warning", problem, document.source))
        if markdown:
            return mentions.mentionify_markdown(text, base, goldmark_parser())
        return mentions.mentionify(text, base)

    def _emoji(self, document: ir.Document, text: str, *, markdown: bool = False, before_markdown: bool = False) -> str:
        """jemoji, when the site loads it: each ``:name:`` of GitHub's emoji in the page's text as the Unicode
        emoji, on the pages the plugin runs on (after rendering). In Markdown output: an HTML body before it
        becomes Markdown, a Markdown body after."""
        if "jemoji" not in self.site.plugins or not emoji.emojiable(document):
            return text
        if (markdown or before_markdown) and (before_markdown == self.is_markdown(document)):
            return text
        if markdown:
            return emoji.emojify_markdown(text, goldmark_parser())
        return emoji.emojify(text)

    def _convert_file(self, document: ir.Document) -> Converted:
        """A document whose output is not a web page (a feed, script, stylesheet, text): its text exactly as
        Jekyll writes it, after Liquid (and kramdown for Markdown), whatever the format asked for."""
        try:
            body, issues, linked = self._liquid_or_rendered(document, "html")
            out, found = self.to_html(document, body)
            out = place_embeds(out, self.liquid.env.embeds, lambda embed, _fmt: embed.html)
            return Converted(
                body=out, linked_documents=tuple(dict.fromkeys(linked)), issues=tuple(dict.fromkeys(issues + found))
            )
        except Exception as err:  # noqa: BLE001 - the contract: never raise for a document's content
            logger.debug("conversion crash on %s", document.source, exc_info=True)
            issue = ir.Issue(
                "convert-error", "error", f"conversion failed ({type(err).__name__}: {err}); body kept as written",
                document.source,
            )
            return Converted(body=document.body, issues=(issue,))

    def _excerpt(
        self, doc: ir.Document, fmt: ContentFormat, issues: list[ir.Issue], converted_body: str
    ) -> str | None:
        other = self.rendered(doc)
        if other is not None:
            return self._rendered_excerpt(doc, other, fmt)
        if doc.excerpt is not None:
            text, found, _ = self.render_liquid(doc, doc.excerpt)
        else:
            sep = doc.excerpt_separator or "\n\n"
            source = doc.body.lstrip("\n")
            if sep not in source:
                return None
            head, _, rest = source.partition(sep)
            if fmt == "html" and sep == "\n\n" and self.is_markdown(doc) and _plain_paragraph(head, rest):
                first = _first_paragraph(converted_body)
                if first is not None:
                    return first
            text, found, _ = self.render_liquid(doc, head)
        issues.extend(i for i in found if i not in issues)
        if not text.strip():
            return None
        if fmt == "html":
            html_text, _ = self.to_html(doc, text)
            html_text, _refs = self.links.rewrite_html(doc, html_text)
            return html_text
        md, _ = to_markdown(self, doc, text)
        md, _refs = self.links.rewrite_markdown(doc, md)
        return md

    def _rendered_excerpt(self, doc: ir.Document, other: RenderedBody, fmt: ContentFormat) -> str | None:
        """Another renderer's excerpt, where the built-in one would give one (its own excerpt in the front
        matter, or a separator in the body): Jekyll makes one of every post, the whole body without one."""
        if other.excerpt is None or not other.excerpt.strip():
            return None
        if doc.excerpt is None and (doc.excerpt_separator or "\n\n") not in doc.body.lstrip("\n"):
            return None
        if fmt == "html":
            html_text, _refs = self.links.rewrite_html(doc, other.excerpt)
            return html_text
        md, _ = to_markdown(self, doc, other.excerpt)
        md, _refs = self.links.rewrite_markdown(doc, md)
        return md


_BLOCK_START = re.compile(r"[ \t]*(?:[#>|:=~`$\[{<*+_-]|\d+[.)]|    |\t)|.*(?:\[\^|\{|<|\$\$)")
"""A line that may start (or hold) something other than paragraph text: a heading, quote, list, table,
definition, rule, fence, code, math, reference, IAL, extension or HTML; footnotes, Liquid and tags inside."""


def _plain_paragraph(head: str, rest: str) -> bool:
    """Whether ``head`` is one paragraph of plain text that converts alone exactly as it does at the top of
    its document (``head`` + blank line + ``rest``): no line that could be anything but paragraph text,
    nothing that reads definitions from ``rest`` (abbreviations, reference links, footnotes), and no
    ``rest`` that could reach back into it (a definition or an IAL right after the blank line)."""
    if not head.strip() or len(head) > 20_000:
        return False
    for line in head.split("\n"):
        if not line.strip() or _BLOCK_START.match(line):
            return False
    if "\r" in head or "*[" in rest or ("[" in head and DEFINITION_LINE.search(rest) is not None):
        return False
    following = rest.lstrip(" \t\n")
    return not following.startswith((":", "{:", "*[", "~", "="))


def _first_paragraph(html_text: str) -> str | None:
    """The first ``<p>...</p>`` element of a converted body and its newline, when the body starts with one."""
    if not html_text.startswith("<p>"):
        return None
    end = html_text.find("</p>\n")
    return html_text[: end + 5] if end >= 0 else None


def convert_documents(
    site: ir.Site, sources: list[str] | None, fmt: ContentFormat, *, targets: Targets | None = None
) -> tuple[list[dict[str, str]], list[ir.Issue]]:
    """For ``jekyll-migrate convert``: each named (or every) document's converted body."""
    pipeline = ContentPipeline(site, targets or identity_targets(site))
    wanted = set(sources) if sources else None
    rows: list[dict[str, str]] = []
    issues: list[ir.Issue] = []
    for doc in site.documents:
        if wanted is not None and doc.source not in wanted:
            continue
        converted = pipeline.convert(doc, fmt)
        rows.append(
            {
                "source": doc.source,
                "url": pipeline.targets.document_urls.get(doc.source, doc.url),
                "body": converted.body,
            }
        )
        issues.extend(converted.issues)
    if wanted:
        known = {d.source for d in site.documents}
        for missing in sorted(wanted - known):
            issues.append(
                ir.Issue("unknown-source", "error", f"no document with source {missing!r}", missing)
            )
    return rows, issues
