"""A converted body as serialized core blocks of WordPress 6.5, each with the markup its ``save()`` writes, so
the block editor opens the post without a single invalid or "Classic" block.

The body is parsed once into a small tree that keeps every element's exact source text. Each top-level
element becomes the core block that holds it (paragraph, heading, list, quote, code, preformatted, image,
gallery, table, separator, embed, group, footnotes); what no core block can hold (scripts, forms, iframes of
unknown providers, malformed markup, comments) is kept verbatim in a ``core/html`` block and counted.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
_RAW_TEXT = frozenset(("script", "style", "textarea", "title"))

# Elements rich text (paragraph, heading, list item, cell, caption) keeps as they are.
_INLINE = frozenset(
    ["a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"]
)
_GROUP_TAGS = frozenset(("div", "section", "aside", "article", "header", "footer", "main"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_FOOTNOTE_NAMESPACE = uuid.UUID("5d9a3bd4-4cc2-4d68-9a3b-6f1f3b8a6a21")


# -- the tree ------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """An element (``tag`` set) or a run of text or a comment (``tag`` None) and where it is in the source."""

    tag: str | None
    attrs: list[tuple[str, str | None]]
    start: int
    end: int = -1
    inner_start: int = -1
    inner_end: int = -1
    children: list[Node] = field(default_factory=list)
    comment: bool = False
    broken: bool = False
    """Its markup is not well formed (an end tag closed it implicitly or never came)."""

    def attr(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value if value is not None else ""
        return None

    def classes(self) -> list[str]:
        return (self.attr("class") or "").split()

    def elements(self) -> list[Node]:
        return [c for c in self.children if c.tag is not None]


class _TreeBuilder(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.lines = [0]
        for match in re.finditer("\n", text):
            self.lines.append(match.end())
        self.root = Node("#root", [], 0, len(text), 0, len(text))
        self.stack = [self.root]
        self.broken = False

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _add(self, node: Node) -> None:
        self.stack[-1].children.append(node)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        node = Node(tag, attrs, start, inner_start=start + len(raw))
        self._add(node)
        if tag in _VOID or raw.endswith("/>"):
            node.end = node.inner_end = node.inner_start
        else:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        self._add(Node(tag, attrs, start, end, end, end))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        close = self.text.find(">", start)
        end = len(self.text) if close < 0 else close + 1
        names = [n.tag for n in self.stack]
        if tag not in names[1:]:
            self._mark_broken(self.stack[-1])  # a stray end tag
            return
        while self.stack[-1].tag != tag:
            self._close(self.stack.pop(), start, broken=True)
        self._close(self.stack.pop(), start, end=end)

    def _close(self, node: Node, inner_end: int, *, end: int | None = None, broken: bool = False) -> None:
        node.inner_end = inner_end
        node.end = inner_end if end is None else end
        if broken:
            self._mark_broken(node)

    def _mark_broken(self, node: Node) -> None:
        node.broken = True
        self.broken = True

    def handle_data(self, data: str) -> None:
        self._leaf(len(data))

    def handle_entityref(self, name: str) -> None:
        self._leaf(len(name) + 2, probe=True)

    def handle_charref(self, name: str) -> None:
        self._leaf(len(name) + 3, probe=True)

    def _leaf(self, length: int, *, probe: bool = False) -> None:
        start = self._offset()
        if probe:  # the reference may lack its ';'
            length = length if self.text.startswith(";", start + length - 1) else length - 1
        parent = self.stack[-1]
        last = parent.children[-1] if parent.children else None
        if last is not None and last.tag is None and not last.comment and last.end == start:
            last.end = last.inner_end = start + length
        else:
            parent.children.append(Node(None, [], start, start + length, start, start + length))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        end = self.text.find("-->", start)
        end = len(self.text) if end < 0 else end + 3
        self._add(Node(None, [], start, end, start, end, comment=True))

    def handle_decl(self, decl: str) -> None:
        self._mark_broken(self.stack[-1])

    def handle_pi(self, data: str) -> None:
        self._mark_broken(self.stack[-1])

    def unknown_decl(self, data: str) -> None:
        self._mark_broken(self.stack[-1])


def parse_tree(text: str) -> Node:
    builder = _TreeBuilder(text)
    builder.feed(text)
    builder.close()
    while len(builder.stack) > 1:  # never closed
        builder._close(builder.stack.pop(), len(text), broken=True)
    return builder.root


# -- serialization -------------------------------------------------------------------------------------


def serialize_attributes(attrs: Mapping[str, object]) -> str:
    """The block comment's JSON as WordPress's ``serializeAttributes`` writes it."""
    text = json.dumps(attrs, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("--", "\\u002d\\u002d").replace("<", "\\u003c").replace(">", "\\u003e")
    return text.replace("&", "\\u0026").replace('\\"', "\\u0022")


def block(name: str, attrs: Mapping[str, object] | None, inner: str) -> str:
    comment = serialize_attributes(attrs) + " " if attrs else ""
    short = name.removeprefix("core/")
    if not inner:
        return f"<!-- wp:{short} {comment}/-->"
    return f"<!-- wp:{short} {comment}-->\n{inner}\n<!-- /wp:{short} -->"


def _escape_attr(value: str) -> str:
    return html.escape(value, quote=True).replace("&#x27;", "'")


def _class_attr(*names: str | None) -> str:
    joined = " ".join(n for n in names if n)
    return f' class="{_escape_attr(joined)}"' if joined else ""


# -- the result ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockBody:
    """A body as blocks, and what the post needs beside it."""

    content: str
    footnotes: str | None = None
    """The post meta ``footnotes`` (a JSON list of ``{"content", "id"}``) the footnotes block renders."""
    fallbacks: tuple[str, ...] = ()
    """What each ``core/html`` block holds, named briefly (``<iframe>``, ``<!-- comment -->``...)."""


class _Converter:
    def __init__(self, text: str, *, media: Callable[[str], int | None], key: str) -> None:
        self.text = text
        self.media = media
        self.key = key
        self.fallbacks: list[str] = []
        self.footnotes: list[dict[str, str]] = []
        self.footnote_ids: dict[str, str] = {}
        self.footnote_names: set[str] = set()

    # -- helpers

    def src(self, node: Node) -> str:
        return self.text[node.start : node.end]

    def inner(self, node: Node) -> str:
        return self.text[node.inner_start : node.inner_end]

    def html_block(self, raw: str, why: str) -> str:
        self.fallbacks.append(why)
        return block("core/html", None, raw.strip("\n"))

    def fallback(self, nodes: list[Node]) -> str:
        raw = self.text[nodes[0].start : nodes[-1].end]
        first = next((n for n in nodes if n.tag is not None or n.comment), nodes[0])
        if first.comment:
            why = "<!-- comment -->"
        elif first.tag is None:
            why = "text"
        else:
            why = f"<{first.tag}>"
        return self.html_block(raw, why)

    def rich_ok(self, node: Node, *, in_link: bool = False) -> bool:
        """Whether ``node``'s content is what rich text keeps: inline elements, text, no comments, no link
        inside a link (a browser splits those, and so does rich text)."""
        for child in node.children:
            if child.comment or child.broken:
                return False
            if child.tag is None:
                continue
            if child.tag not in _INLINE or (child.tag == "a" and in_link):
                return False
            if not child.children and child.tag not in _VOID:
                return False  # rich text drops an empty element (an anchor's <a id>, an empty <span>)
            if not self.rich_ok(child, in_link=in_link or child.tag == "a"):
                return False
        return True

    def rich(self, node: Node) -> str:
        """``node``'s content as rich text, with kramdown footnote references as WordPress's."""
        out: list[str] = []
        pos = node.inner_start
        for sup in self._footnote_sups(node):
            out.append(self.text[pos : sup.start])
            out.append(self._footnote_markup(sup))
            pos = sup.end
        out.append(self.text[pos : node.inner_end])
        return _BR.sub("<br>", "".join(out).strip())

    def _footnote_sups(self, node: Node) -> list[Node]:
        found: list[Node] = []
        for child in node.elements():
            if child.tag == "sup" and self._footnote_ref(child) is not None:
                found.append(child)
            else:
                found.extend(self._footnote_sups(child))
        return found

    def _footnote_ref(self, sup: Node) -> str | None:
        """The kramdown footnote name a ``<sup id="fnref:NAME"><a href="#fn:NAME">`` refers to."""
        if sup.attr("role") != "doc-noteref":
            return None
        links = sup.elements()
        if len(links) != 1 or links[0].tag != "a":
            return None
        href = links[0].attr("href") or ""
        return href[4:] if href.startswith("#fn:") and href[4:] in self.footnote_names else None

    def _footnote_markup(self, sup: Node) -> str:
        name = self._footnote_ref(sup) or ""
        ident = self.footnote_ids[name]
        label = self.inner(sup.elements()[0])
        return f'<sup data-fn="{ident}" class="fn"><a href="#{ident}" id="{ident}-link">{label}</a></sup>'

    # -- the body

    def convert(self, root: Node) -> str:
        if "".join(self.src(n) for n in root.children) != self.text:
            # The tree lost some of the text (markup html.parser reads in an odd way): kept whole.
            return self.html_block(self.text, "the whole body") if self.text.strip() else ""
        self.footnote_names = self._collect_footnotes(root)
        return "\n\n".join(self.blocks(root.children))

    def blocks(self, nodes: list[Node]) -> list[str]:
        out: list[str] = []
        run: list[Node] = []

        def flush() -> None:
            while run and run[-1].tag is None and not run[-1].comment and not self.src(run[-1]).strip():
                run.pop()
            if run:
                out.append(self.inline_run(run))
            run.clear()

        kept: list[Node] = []  # nodes no block holds, next to each other: one Custom HTML block

        def keep() -> None:
            if kept:
                out.append(self.fallback(kept))
            kept.clear()

        index = 0
        while index < len(nodes):
            node = nodes[index]
            blank = node.tag is None and not node.comment and not self.src(node).strip()
            if kept and blank:
                kept.append(node)
                index += 1
                continue
            if node.tag is None and not node.comment:
                keep()
                if run or not blank:
                    run.append(node)
                index += 1
                continue
            if node.tag in _INLINE and not node.broken:
                keep()
                run.append(node)
                index += 1
                continue
            flush()
            if node.comment:
                if self.src(node).strip() == "<!--more-->":
                    keep()
                    out.append(block("core/more", None, "<!--more-->"))
                else:
                    kept.append(node)
                index += 1
                continue
            images = self._image_run(nodes, index)
            if len(images) > 1:
                keep()
                out.append(self.gallery(images))
                index = nodes.index(images[-1]) + 1
                continue
            made = self.element(node)
            if made is None:
                kept.append(node)
            else:
                keep()
                out.append(made)
            index += 1
        flush()
        while kept and kept[-1].tag is None and not kept[-1].comment:
            kept.pop()
        keep()
        return out

    def inline_run(self, run: list[Node]) -> str:
        wrapper = Node("p", [], run[0].start, run[-1].end, run[0].start, run[-1].end, children=list(run))
        embed = self.embed_from_text(wrapper)
        if embed is not None:
            return embed
        image = self.image_from_paragraph(wrapper)
        if image is not None:
            return image
        if not self.rich_ok(wrapper):
            return self.fallback(run)
        return block("core/paragraph", None, f"<p>{self.rich(wrapper)}</p>")

    def element(self, node: Node) -> str | None:
        """The block holding ``node``, or None when none does."""
        if node.broken:
            return None
        handler = getattr(self, "el_" + node.tag.replace("-", "_"), None) if node.tag else None
        if node.tag in _HEADINGS:
            handler = self.heading
        elif node.tag in _GROUP_TAGS:
            handler = self.container
        return handler(node) if handler is not None else None

    # -- the blocks

    def _anchor_class(self, node: Node) -> dict[str, object] | None:
        """The block attributes for an element's ``class`` (its ``id`` is the anchor, read from the markup);
        None when it has any other attribute, which no core block keeps."""
        for key, value in node.attrs:
            if key not in ("id", "class") or value is None:
                return None
        classes = " ".join((node.attr("class") or "").split())
        return {"className": classes} if classes else {}

    def el_p(self, node: Node) -> str | None:
        attrs = self._anchor_class(node)
        if attrs is None or not self.rich_ok(node):
            return None
        embed = self.embed_from_text(node)
        if embed is not None and not node.attrs:
            return embed
        image = self.image_from_paragraph(node) if not node.attrs else None
        if image is not None:
            return image
        anchor = node.attr("id")
        open_tag = "<p" + _class_attr(str(attrs.get("className") or "")) + (f' id="{_escape_attr(anchor)}"' if anchor else "") + ">"
        return block("core/paragraph", attrs, f"{open_tag}{self.rich(node)}</p>")

    def heading(self, node: Node) -> str | None:
        attrs = self._anchor_class(node)
        if attrs is None or not self.rich_ok(node):
            return None
        level = int(node.tag[1]) if node.tag else 2
        if level != 2:
            attrs = {"level": level, **attrs}
        anchor = node.attr("id")
        open_tag = (
            f"<h{level}"
            + _class_attr("wp-block-heading", str(attrs.get("className") or ""))
            + (f' id="{_escape_attr(anchor)}"' if anchor else "")
            + ">"
        )
        return block("core/heading", attrs, f"{open_tag}{self.rich(node)}</h{level}>")

    def el_ul(self, node: Node) -> str | None:
        return self.list_block(node)

    def el_ol(self, node: Node) -> str | None:
        return self.list_block(node)

    def list_block(self, node: Node) -> str | None:
        attrs: dict[str, object] = {}
        ordered = node.tag == "ol"
        if ordered:
            attrs["ordered"] = True
        start = node.attr("start")
        for key, value in node.attrs:
            if key not in ("id", "class", "start") or value is None:
                return None
        if start is not None:
            if not ordered or not re.fullmatch(r"-?\d+", start.strip()):
                return None
            attrs["start"] = int(start)
        classes = " ".join((node.attr("class") or "").split())
        if classes:
            attrs["className"] = classes
        items: list[str] = []
        for child in node.children:
            if child.tag is None and not child.comment and not self.src(child).strip():
                continue
            if child.tag != "li" or child.broken:
                return None
            item = self.list_item(child)
            if item is None:
                return None
            items.append(item)
        anchor = node.attr("id")
        open_tag = (
            f"<{node.tag}"
            + (f' start="{attrs["start"]}"' if "start" in attrs else "")
            + (f' id="{_escape_attr(anchor)}"' if anchor else "")
            + _class_attr(classes)
            + ">"
        )
        return block("core/list", attrs, open_tag + "\n\n".join(items) + f"</{node.tag}>")

    def list_item(self, node: Node) -> str | None:
        for key, value in node.attrs:
            if key != "class" or value is None:
                return None
        nested: list[str] = []
        content_nodes: list[Node] = []
        for child in node.children:
            if child.tag in ("ul", "ol"):
                made = self.list_block(child)
                if made is None:
                    return None
                nested.append(made)
            elif nested:
                if child.tag is not None or child.comment or self.src(child).strip():
                    return None  # content after a nested list: a list item holds its text first
            else:
                content_nodes.append(child)
        content = self._item_content(node, content_nodes)
        if content is None:
            return None
        classes = " ".join((node.attr("class") or "").split())
        attrs = {"className": classes} if classes else None
        return block("core/list-item", attrs, f"<li{_class_attr(classes)}>{content}{''.join(nested)}</li>")

    def _item_content(self, node: Node, nodes: list[Node]) -> str | None:
        """A list item's text: inline content as it is, or the content of its paragraphs (a loose list)
        joined by line breaks."""
        elements = [n for n in nodes if n.tag is not None or n.comment]
        if nodes and all(n.tag == "p" and not n.attrs for n in elements) and elements:
            if any(n.tag is None and not n.comment and self.src(n).strip() for n in nodes):
                return None
            parts = []
            for para in elements:
                if not self.rich_ok(para):
                    return None
                parts.append(self.rich(para))
            return "<br><br>".join(parts)
        if not nodes:
            return ""
        wrapper = Node("li", [], nodes[0].start, nodes[-1].end, nodes[0].start, nodes[-1].end, children=nodes)
        if not self.rich_ok(wrapper):
            return None
        return self.rich(wrapper)

    def el_blockquote(self, node: Node) -> str | None:
        classes = node.classes()
        if "twitter-tweet" in classes:
            return self.tweet(node)
        attrs = self._anchor_class(node)
        if attrs is None:
            return None
        inner = "\n\n".join(self.blocks(node.children))
        anchor = node.attr("id")
        open_tag = (
            "<blockquote"
            + _class_attr("wp-block-quote", str(attrs.get("className") or ""))
            + (f' id="{_escape_attr(anchor)}"' if anchor else "")
            + ">"
        )
        return block("core/quote", attrs, f"{open_tag}{inner}</blockquote>")

    def container(self, node: Node) -> str | None:
        classes = node.classes()
        if self._is_footnotes(node):
            return self.footnotes_block(node)
        if node.tag == "div" and "highlighter-rouge" in classes:
            return self.rouge_code(node, classes)
        attrs = self._anchor_class(node)
        if attrs is None:
            return None
        if node.tag != "div":
            attrs = {"tagName": node.tag, **attrs}
        before = len(self.fallbacks)
        children = self.blocks(node.children)
        if all(c.startswith("<!-- wp:html -->") for c in children):
            del self.fallbacks[before:]  # nothing in it is a block: it is kept whole
            return None
        inner = "\n\n".join(children)
        anchor = node.attr("id")
        open_tag = (
            f"<{node.tag}"
            + (f' id="{_escape_attr(anchor)}"' if anchor else "")
            + _class_attr("wp-block-group", str(attrs.get("className") or ""))
            + ">"
        )
        return block("core/group", attrs, f"{open_tag}{inner}</{node.tag}>")

    # code

    def rouge_code(self, node: Node, classes: list[str]) -> str | None:
        """kramdown's highlighted fence: ``div.language-X.highlighter-rouge > div.highlight > pre > code``."""
        language = next((c[9:] for c in classes if c.startswith("language-")), None)
        pre = self._only_descendant(node, "pre")
        if pre is None:
            return None
        return self.code_block(pre, language)

    def _only_descendant(self, node: Node, tag: str) -> Node | None:
        current = node
        while True:
            elements = current.elements()
            others = [c for c in current.children if c.tag is None and (c.comment or self.src(c).strip())]
            if len(elements) != 1 or others:
                return None
            current = elements[0]
            if current.tag == tag:
                return current

    def el_figure(self, node: Node) -> str | None:
        if "highlight" in node.classes():  # Jekyll's highlight tag
            pre = self._only_descendant(node, "pre")
            if pre is None:
                return None
            code = pre.elements()[0] if len(pre.elements()) == 1 else None
            language = code.attr("data-lang") if code is not None else None
            return self.code_block(pre, language)
        return self.figure_image(node)

    def el_pre(self, node: Node) -> str | None:
        elements = node.elements()
        texts = [c for c in node.children if c.tag is None and (c.comment or self.src(c).strip())]
        if len(elements) == 1 and elements[0].tag == "code" and not texts:
            code = elements[0]
            language = next((c[9:] for c in code.classes() if c.startswith("language-")), None)
            return self.code_block(node, language)
        return self.preformatted(node)

    def code_block(self, pre: Node, language: str | None) -> str | None:
        code = pre.elements()[0] if len(pre.elements()) == 1 and pre.elements()[0].tag == "code" else None
        holder = code or pre
        table = holder.elements()[0] if len(holder.elements()) == 1 else None
        if table is not None and table.tag == "table" and "rouge-table" in table.classes():
            # Rouge's line numbers: a table of a gutter and the code; the code block numbers nothing.
            cells = [c for c in _descendants(table) if c.tag == "td" and "code" in c.classes()]
            inner = cells[0].elements() if len(cells) == 1 else []
            if len(inner) != 1 or inner[0].tag != "pre":
                return None
            holder = inner[0]
        text = self._text_of(holder)
        if text is None:
            return None
        attrs = {"className": f"language-{language}"} if language else None
        escaped = _code_escape(_escape_text(text))
        pre_class = _class_attr("wp-block-code", f"language-{language}" if language else None)
        return block("core/code", attrs, f"<pre{pre_class}><code>{escaped}</code></pre>")

    def _text_of(self, node: Node) -> str | None:
        """The text inside ``node`` (highlighting spans dropped), or None if it holds anything but spans."""
        out: list[str] = []
        for child in node.children:
            if child.comment:
                return None
            if child.tag is None:
                out.append(html.unescape(self.src(child)))
            elif child.tag in ("span", "code", "b", "i", "em", "strong") and not child.broken:
                inner = self._text_of(child)
                if inner is None:
                    return None
                out.append(inner)
            else:
                return None
        return "".join(out)

    def preformatted(self, node: Node) -> str | None:
        attrs = self._anchor_class(node)
        if attrs is None or not self.rich_ok(node):
            return None
        anchor = node.attr("id")
        content = self.inner(node).removeprefix("\n")  # the HTML parser drops a newline right after <pre>
        open_tag = (
            "<pre"
            + _class_attr("wp-block-preformatted", str(attrs.get("className") or ""))
            + (f' id="{_escape_attr(anchor)}"' if anchor else "")
            + ">"
        )
        return block("core/preformatted", attrs, f"{open_tag}{content}</pre>")

    def el_hr(self, node: Node) -> str | None:
        if node.attrs:
            return None
        return block("core/separator", None, '<hr class="wp-block-separator has-alpha-channel-opacity"/>')

    # tables

    def el_table(self, node: Node) -> str | None:
        if node.attrs:
            return None
        sections: list[tuple[str, list[str]]] = []
        for child in node.children:
            if child.tag is None and not child.comment and not self.src(child).strip():
                continue
            if child.tag not in ("thead", "tbody", "tfoot") or child.attrs or child.broken:
                return None
            rows: list[str] = []
            for row in child.children:
                if row.tag is None and not row.comment and not self.src(row).strip():
                    continue
                if row.tag != "tr" or row.attrs or row.broken:
                    return None
                cells: list[str] = []
                for cell in row.children:
                    if cell.tag is None and not cell.comment and not self.src(cell).strip():
                        continue
                    made = self.cell(cell)
                    if made is None:
                        return None
                    cells.append(made)
                rows.append("<tr>" + "".join(cells) + "</tr>")
            sections.append((child.tag, rows))
        order = {"thead": 0, "tbody": 1, "tfoot": 2}
        parts = [f"<{tag}>{''.join(rows)}</{tag}>" for tag, rows in sorted(sections, key=lambda s: order[s[0]]) if rows]
        if not parts or len({tag for tag, _ in sections}) != len(sections):
            return None
        return block("core/table", None, f'<figure class="wp-block-table"><table>{"".join(parts)}</table></figure>')

    def cell(self, cell: Node) -> str | None:
        if cell.tag not in ("td", "th") or cell.broken:
            return None
        content = self._item_content(cell, cell.children)
        if content is None:
            return None
        align = None
        extra = ""
        for key, value in cell.attrs:
            if key == "style" and value is not None:
                match = re.fullmatch(r"\s*text-align:\s*(left|center|right)\s*;?\s*", value)
                if not match:
                    return None
                align = match.group(1)
            elif key in ("colspan", "rowspan") and value is not None and re.fullmatch(r"\d+", value.strip()):
                extra += f' {key}="{value.strip()}"'
            elif key == "scope" and cell.tag == "th" and value in ("row", "col", "rowgroup", "colgroup"):
                extra += f' scope="{value}"'
            else:
                return None
        align_attrs = f' class="has-text-align-{align}" data-align="{align}"' if align else ""
        return f"<{cell.tag}{align_attrs}{extra}>{content}</{cell.tag}>"

    # images

    def _image_parts(self, node: Node) -> tuple[Node, Node | None] | None:
        """``(img, a)`` when ``node`` is an image or a link holding only an image."""
        if node.tag == "img":
            return node, None
        if node.tag == "a" and not node.broken:
            elements = node.elements()
            texts = [c for c in node.children if c.tag is None and (c.comment or self.src(c).strip())]
            if len(elements) == 1 and elements[0].tag == "img" and not texts:
                return elements[0], node
        return None

    def _lone_image(self, node: Node) -> tuple[Node, Node | None] | None:
        """The image a paragraph holds alone (perhaps inside a link)."""
        elements = node.elements()
        texts = [c for c in node.children if c.tag is None and (c.comment or self.src(c).strip())]
        if len(elements) != 1 or texts:
            return None
        return self._image_parts(elements[0])

    def _image_run(self, nodes: list[Node], index: int) -> list[Node]:
        """Paragraphs each holding one image, next to each other from ``index``: a gallery when several."""
        found: list[Node] = []
        for node in nodes[index:]:
            if node.tag is None and not node.comment and not self.src(node).strip():
                continue
            if node.tag == "p" and not node.attrs and not node.broken:
                parts = self._lone_image(node)
                if parts is not None and self.image(*parts, caption=None) is not None:
                    found.append(node)
                    continue
            break
        return found

    def image_from_paragraph(self, node: Node) -> str | None:
        parts = self._lone_image(node)
        return None if parts is None else self.image(*parts, caption=None)

    def figure_image(self, node: Node) -> str | None:
        if node.attrs:
            return None
        elements = node.elements()
        texts = [c for c in node.children if c.tag is None and (c.comment or self.src(c).strip())]
        if texts or not elements:
            return None
        parts = self._image_parts(elements[0])
        caption = None
        if len(elements) == 2 and elements[1].tag == "figcaption" and not elements[1].attrs:
            caption = elements[1]
        elif len(elements) != 1:
            return None
        if parts is None:
            return None
        return self.image(*parts, caption=caption)

    def image(self, img: Node, link: Node | None, *, caption: Node | None) -> str | None:
        src = img.attr("src")
        if not src:
            return None
        attrs: dict[str, object] = {}
        img_attrs = f' src="{_escape_attr(src)}"'
        alt = img.attr("alt") or ""
        img_attrs += f' alt="{_escape_attr(alt)}"'
        figure_classes: list[str] = []
        ident = self.media(src)
        style = ""
        title = None
        for key, value in img.attrs:
            if key in ("src", "alt"):
                continue
            if key == "title" and value is not None:
                title = value
            elif key in ("width", "height") and value is not None and re.fullmatch(r"\d+", value.strip()):
                attrs[key] = f"{value.strip()}px"
            else:
                return None
        if ident is not None:
            attrs = {"id": ident, **attrs}
            attrs["sizeSlug"] = "full"
            figure_classes.append("size-full")
        if "width" in attrs or "height" in attrs:
            figure_classes.append("is-resized")
            style = ";".join(f"{k}:{attrs[k]}" for k in ("width", "height") if k in attrs)
        if ident is not None:
            img_attrs += f' class="wp-image-{ident}"'
        if style:
            img_attrs += f' style="{style}"'
        if title is not None:
            img_attrs += f' title="{_escape_attr(title)}"'
        image = f"<img{img_attrs}/>"
        if link is not None:
            href = link.attr("href")
            if href is None:
                return None
            link_attrs = f' href="{_escape_attr(href)}"'
            for key, value in link.attrs:
                if key == "href":
                    continue
                if key == "target" and value:
                    link_attrs += f' target="{_escape_attr(value)}"'
                    attrs["linkTarget"] = value
                elif key == "rel" and value:
                    link_attrs += f' rel="{_escape_attr(value)}"'
                elif key == "class" and value:
                    link_attrs = f' class="{_escape_attr(value)}"' + link_attrs
                else:
                    return None
            image = f"<a{link_attrs}>{image}</a>"
            attrs["linkDestination"] = "custom"
        elif ident is not None:
            attrs["linkDestination"] = "none"
        if caption is not None:
            if not self.rich_ok(caption):
                return None
            text = self.rich(caption)
            if text:
                image += f'<figcaption class="wp-element-caption">{text}</figcaption>'
        ordered = {k: attrs[k] for k in ("id", "width", "height", "sizeSlug", "linkDestination", "linkTarget") if k in attrs}
        inner = f"<figure{_class_attr('wp-block-image', *figure_classes)}>{image}</figure>"
        return block("core/image", ordered, inner)

    def gallery(self, paragraphs: list[Node]) -> str:
        images = []
        for para in paragraphs:
            parts = self._lone_image(para)
            assert parts is not None
            made = self.image(*parts, caption=None)
            assert made is not None
            images.append(made)
        inner = (
            '<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
            + "\n\n".join(images)
            + "</figure>"
        )
        return block("core/gallery", {"linkTo": "none"}, inner)

    # embeds

    def el_iframe(self, node: Node) -> str | None:
        url = _provider_url(node.attr("src") or "")
        return None if url is None else self.embed(url)

    def embed_from_text(self, node: Node) -> str | None:
        """A paragraph holding nothing but a link to a known provider's page (WordPress embeds those)."""
        if node.elements():
            elements = node.elements()
            texts = [c for c in node.children if c.tag is None and (c.comment or self.src(c).strip())]
            if len(elements) != 1 or texts or elements[0].tag != "a":
                return None
            link = elements[0]
            href = link.attr("href") or ""
            if html.unescape(self.inner(link)).strip() != href:
                return None
            url = href
        else:
            url = html.unescape(self.inner(node)).strip()
        if not re.fullmatch(r"https?://\S+", url) or _provider(url) is None:
            return None
        return self.embed(url)

    def tweet(self, node: Node) -> str | None:
        links = [a.attr("href") or "" for a in _descendants(node) if a.tag == "a"]
        status = [h for h in links if re.match(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/]+/status/\d+", h)]
        if not status:
            return None
        return self.embed(status[-1].split("?")[0])

    def embed(self, url: str) -> str:
        provider = _provider(url)
        assert provider is not None
        slug, kind = provider
        attrs = {"url": url, "type": kind, "providerNameSlug": slug, "responsive": True}
        classes = f"wp-block-embed is-type-{kind} is-provider-{slug} wp-block-embed-{slug}"
        inner = f'<figure class="{classes}"><div class="wp-block-embed__wrapper">\n{_escape_text(url)}\n</div></figure>'
        return block("core/embed", attrs, inner)

    # footnotes

    def _collect_footnotes(self, root: Node) -> set[str]:
        """kramdown's footnotes (``div.footnotes > ol > li#fn:NAME``, each a paragraph or a few) when every
        one can be a footnote of WordPress's: their names. Otherwise the list stays as it is, in HTML."""
        names: set[str] = set()
        found = [n for n in root.children if self._is_footnotes(n)]
        if len(found) != 1:
            return names
        notes = self._footnote_items(found[0])
        if notes is None:
            return names
        contents: list[tuple[str, str]] = []
        for name, item in notes:
            parts = []
            for child in item.children:
                if child.tag is None and not child.comment and not self.src(child).strip():
                    continue
                if child.tag != "p" or child.attrs or not self.rich_ok(child):
                    return names
                parts.append(self._without_backlinks(child))
            contents.append((name, "<br>".join(parts)))
        for name, content in contents:
            ident = str(uuid.uuid5(_FOOTNOTE_NAMESPACE, f"{self.key}#{name}"))
            self.footnote_ids[name] = ident
            self.footnotes.append({"content": content, "id": ident})
            names.add(name)
        return names

    def _is_footnotes(self, node: Node) -> bool:
        return node.tag == "div" and "footnotes" in node.classes() and node.attr("role") == "doc-endnotes"

    def _footnote_items(self, node: Node) -> list[tuple[str, Node]] | None:
        lists = node.elements()
        if len(lists) != 1 or lists[0].tag != "ol":
            return None
        notes = []
        for item in lists[0].elements():
            ident = item.attr("id") or ""
            if item.tag != "li" or not ident.startswith("fn:"):
                return None
            notes.append((ident[3:], item))
        return notes

    def footnotes_block(self, node: Node) -> str | None:
        return block("core/footnotes", None, "") if self.footnotes else None

    def _without_backlinks(self, para: Node) -> str:
        out: list[str] = []
        pos = para.inner_start
        for child in para.elements():
            if child.tag == "a" and "reversefootnote" in child.classes():
                out.append(self.text[pos : child.start])
                pos = child.end
        out.append(self.text[pos : para.inner_end])
        return self.rich_text_of("".join(out).strip())

    def rich_text_of(self, text: str) -> str:
        """A footnote's text without the space kramdown puts before its back-link."""
        return re.sub(r"(?:\s|&nbsp;|&#160;)+$", "", text)


def _descendants(node: Node) -> list[Node]:
    out = []
    for child in node.elements():
        out.append(child)
        out.extend(_descendants(child))
    return out


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code_escape(content: str) -> str:
    """What the code block's ``save()`` does to its text: shortcodes and lone URLs kept inert."""
    content = content.replace("[", "&#91;")
    return re.sub(r"^(\s*https?:)//([^\s<>\"]+\s*)$", r"\1&#47;&#47;\2", content, count=1, flags=re.MULTILINE)


_PROVIDERS: tuple[tuple[str, str, str], ...] = (
    (r"https?://(?:www\.|m\.)?youtube\.com/(?:watch\?|shorts/|playlist\?)\S+|https?://youtu\.be/\S+", "youtube", "video"),
    (r"https?://(?:www\.|player\.)?vimeo\.com/\S+", "vimeo", "video"),
    (r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/\s]+/status(?:es)?/\d+\S*", "twitter", "rich"),
    (r"https?://(?:www\.)?(?:open\.)?spotify\.com/\S+", "spotify", "rich"),
    (r"https?://(?:www\.)?soundcloud\.com/\S+", "soundcloud", "rich"),
    (r"https?://(?:www\.)?flickr\.com/photos/\S+|https?://flic\.kr/\S+", "flickr", "photo"),
    (r"https?://(?:www\.)?slideshare\.net/\S+", "slideshare", "rich"),
    (r"https?://(?:www\.)?ted\.com/talks/\S+", "ted", "video"),
    (r"https?://(?:www\.)?dailymotion\.com/video/\S+", "dailymotion", "video"),
    (r"https?://(?:www\.)?tiktok\.com/@[^/\s]+/video/\d+\S*", "tiktok", "video"),
    (r"https?://(?:www\.)?speakerdeck\.com/\S+", "speaker-deck", "rich"),
    (r"https?://(?:www\.)?reddit\.com/r/[^/\s]+/comments/\S+", "reddit", "rich"),
)


def _provider(url: str) -> tuple[str, str] | None:
    """(providerNameSlug, type) of an oEmbed provider WordPress 6.5 knows, for a page URL."""
    for pattern, slug, kind in _PROVIDERS:
        if re.fullmatch(pattern, url):
            return slug, kind
    return None


def _provider_url(src: str) -> str | None:
    """The page URL of a YouTube or Vimeo player iframe, which WordPress embeds from oEmbed."""
    parts = urlsplit(html.unescape(src))
    host = parts.netloc.lower()
    if host.endswith(("youtube.com", "youtube-nocookie.com")):
        match = re.fullmatch(r"/embed/([A-Za-z0-9_-]{6,})", parts.path)
        if match:
            return f"https://www.youtube.com/watch?v={match.group(1)}"
    if host == "player.vimeo.com":
        match = re.fullmatch(r"/video/(\d+)", parts.path)
        if match:
            return f"https://vimeo.com/{match.group(1)}"
    return None


def to_blocks(body: str, *, media: Callable[[str], int | None] = lambda src: None, key: str = "") -> BlockBody:
    """``body`` (the converted HTML of one document) as core blocks. ``media(src)`` is the attachment ID of an
    image the export carries, None for any other; ``key`` names the document
    (footnote IDs are made from it, so they are the same on every run)."""
    converter = _Converter(body, media=media, key=key)
    content = converter.convert(parse_tree(body))
    footnotes = json.dumps(converter.footnotes, ensure_ascii=False, separators=(",", ":")) if converter.footnotes else None
    return BlockBody(content, footnotes, tuple(converter.fallbacks))
