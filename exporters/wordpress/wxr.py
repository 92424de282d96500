"""WXR 1.2 text: XML escaping, wpautop-safe HTML, dates as WordPress writes them, and the channel and items."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from exporters.wordpress.authors import WpAuthor
from migrate.plan import Plan, Span, Spool, SpoolWriter
from migrate.report import Report

# wpautop() puts paragraph breaks around these and drops a newline next to them.
_AUTOP_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    "blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|"
    "figure|figcaption|details|menu|summary|math|svg|script|noscript|iframe|video|audio|source|option|select"
)
_BLOCK_END = re.compile(rf"</?(?:{_AUTOP_BLOCKS})\b[^>]*>\s*$|<!--.*-->\s*$", re.IGNORECASE | re.DOTALL)
_BLOCK_START = re.compile(rf"^\s*(?:</?(?:{_AUTOP_BLOCKS})\b|<!--)", re.IGNORECASE)
_VERBATIM = re.compile(r"<(pre|textarea|script|style|svg|math)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (control characters, lone surrogates...)."""
    if text.isprintable():  # no control, surrogate or non-character: nothing to remove
        return text
    return _XML_INVALID.sub("", text)


def cdata(text: str) -> str:
    """A CDATA section holding ``text`` exactly; ``]]>`` is split across two sections."""
    return "<![CDATA[" + xml_clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


cdata_word = functools.lru_cache(maxsize=1024)(cdata)
""":func:`cdata` of the few values many items share (statuses, types, logins, meta keys)."""


def body_xml(content: str, excerpt: str) -> str:
    """An item's ``content:encoded`` and ``excerpt:encoded`` lines."""
    return (
        f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
    )


EMPTY_BODY = body_xml("", "").encode("utf-8")


def esc(text: str) -> str:
    """``text`` escaped for an XML text node or a double-quoted attribute."""
    return (
        xml_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def mysql_date(when: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` with a four-digit year (``strftime`` drops the zeros of year 1)."""
    return (f"{when.year:04d}-{when.month:02d}-{when.day:02d} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}")


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822_utc(when: dt.datetime) -> str:
    """``email.utils.format_datetime`` of ``when``, a naive UTC time, in UTC (``+0000``), without its
    detours through a time tuple and ``strftime``."""
    return (f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} {when.year:04d} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} +0000")


def autop_safe(html: str) -> str:
    """HTML that WordPress's ``wpautop`` leaves as it is: no blank lines, and no newline inside running
    text (which ``wpautop`` would turn into ``<br />``), except inside ``pre``/``script``/... and comments."""
    out: list[str] = []
    pos = 0
    for match in _VERBATIM.finditer(html):
        out.append(_join_lines(html[pos : match.start()]))
        kept = match.group(0)
        out.append(re.sub(r"\n\s*\n", "\n", kept) if kept.startswith("<!--") else kept)
        pos = match.end()
    out.append(_join_lines(html[pos:]))
    return "".join(out).strip("\n")


def _join_lines(chunk: str) -> str:
    chunk = re.sub(r"\n[ \t]*(?=\n)", "", chunk)
    lines = chunk.split("\n")
    if len(lines) == 1:
        return chunk
    # Built as a list of pieces, looking only at the recent tail: linear in the size of the document.
    pieces = [lines[0]]
    tail = lines[0]
    for line in lines[1:]:
        if not line.strip():
            if not tail.endswith("\n"):
                pieces.append("\n")
                tail += "\n"
            continue
        ends_line = tail.endswith("\n")
        if ends_line or _BLOCK_END.search(tail[-_TAIL:]) or _BLOCK_START.match(line) or not tail.strip():
            _rstrip_last(pieces)
            joined = ("" if ends_line else "\n") + line
        else:
            _rstrip_last(pieces)
            joined = " " + line.lstrip(" \t")
        pieces.append(joined)
        tail = (pieces[-2] if len(pieces) > 1 else "")[-_TAIL:] + joined
    return "".join(pieces)


_TAIL = 4096
"""How much of the output so far decides whether it ends a block (longer than any real tag)."""


def _rstrip_last(pieces: list[str]) -> None:
    """Strip trailing spaces and tabs off the output built so far (pieces may be empty at the end)."""
    while pieces:
        stripped = pieces[-1].rstrip(" \t")
        if stripped or len(pieces) == 1:
            pieces[-1] = stripped
            return
        pieces.pop()


def wrap_html_block(html: str) -> str:
    """One ``wp:html`` block: the block editor keeps it exactly and ``wpautop`` does not run on it."""
    return "<!-- wp:html -->\n" + html.strip("\n") + "\n<!-- /wp:html -->"


# -- the items of the export ------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One WXR item being assembled."""

    post_id: int
    post_type: str
    title: str
    slug: str
    status: str
    local: dt.datetime
    gmt: dt.datetime
    url: str
    source: str | None = None
    old_url: str | None = None
    parent: int = 0
    creator: str = ""
    categories: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    body: Span | None = None
    """The item's content and excerpt lines as written in the WXR (see :func:`body_xml`), kept in the
    plan's spool rather than in memory until the WXR is written; None for an item without either."""
    attachment_url: str | None = None
    assets: tuple[str, ...] = ()
    featured: str | None = None
    """Source of the asset that becomes the featured image (``_thumbnail_id``)."""
    thumbnail_id: int | None = None
    depth: int = 0
    synthetic: bool = False
    language: str | None = None
    """On a multilingual site: the item's language code (Polylang's ``language`` taxonomy and post meta)."""
    translations: tuple[str, ...] = ()
    """On a multilingual site: the sources of the item's other language versions (post meta)."""
    comments: str = ""
    """The item's ``wp:comment`` elements (see :mod:`.comments`)."""
    footnotes: str | None = None
    """With ``--wp-content blocks``: the post meta ``footnotes`` the footnotes block renders (a JSON list)."""

    @property
    def date(self) -> str:
        return mysql_date(self.local)


class ItemXml:
    """Each WXR item's XML before and after its body, made once, when the item is sized, and kept in the
    plan's spool (one stream for all of them) until its file is written."""

    def __init__(self, spool: Spool, make: Callable[[Item], tuple[str, str]]) -> None:
        self.spool = spool
        self.make = make
        self.writer = spool.open_stream()
        self.where: dict[int, tuple[int, int, int]] = {}
        """Post ID -> (offset in the stream, bytes before the body, bytes after it)."""

    def size(self, item: Item) -> int:
        """Bytes of the item's XML, without reading its body back."""
        where = self.where.get(item.post_id)
        if where is None:
            head, tail = (text.encode() for text in self.make(item))
            where = self.where[item.post_id] = (self.writer.tell(), len(head), len(tail))
            self.writer.write(head + tail)
        body = item.body.length if item.body is not None else len(EMPTY_BODY)
        return where[1] + body + where[2]

    def close(self) -> None:
        """No more items: what they keep can be read (and the spool takes other files again)."""
        self.writer.close()

    def read(self, item: Item) -> tuple[bytes, bytes]:
        offset, head, tail = self.where[item.post_id]
        data = self.spool.read(self.writer.span.offset + offset, head + tail)
        return data[:head], data[head:]


_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_ITEM_KEY = re.compile(r"<wp:post_type><!\[CDATA\[(.*?)\]\]></wp:post_type>")
_ITEM_ID = re.compile(r"<wp:post_id>(\d+)</wp:post_id>")
_ITEM_NAME = re.compile(r"<wp:post_name><!\[CDATA\[(.*?)\]\]></wp:post_name>")


def wxr_items(data: bytes) -> dict[str, str]:
    """Split a WXR file into its items, named ``type/post_name#id`` (for dry-run diffs)."""
    text = data.decode("utf-8", errors="replace")
    out: dict[str, str] = {}
    header_end = text.find("<item>")
    out["channel"] = text if header_end < 0 else text[:header_end]
    for match in _ITEM.finditer(text):
        block = match.group(0)
        kind = _ITEM_KEY.search(block)
        name = _ITEM_NAME.search(block)
        ident = _ITEM_ID.search(block)
        key = f"{kind.group(1) if kind else '?'}/{name.group(1) if name else '?'}#{ident.group(1) if ident else '?'}"
        out[key] = block
    return out


# -- the files ---------------------------------------------------------------------------------------


def channel_header(
    *,
    title: str,
    description: str,
    language: str,
    old_site_url: str,
    old_base: str,
    authors: Iterable[WpAuthor],
    categories: Mapping[str, str],
    tags: Mapping[str, str],
) -> str:
    """The WXR's opening up to its first item: the channel, its users and its terms (slug -> name)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- WordPress eXtended RSS (WXR) 1.2 written by jekyll-migrate: import it with "
        "Tools > Import > WordPress. -->",
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">',
        "<channel>",
        f"\t<title>{esc(title)}</title>",
        f"\t<link>{esc(old_base)}</link>",
        f"\t<description>{esc(description)}</description>",
        f"\t<language>{esc(language)}</language>",
        "\t<wp:wxr_version>1.2</wp:wxr_version>",
        f"\t<wp:base_site_url>{esc(old_site_url)}</wp:base_site_url>",
        f"\t<wp:base_blog_url>{esc(old_base)}</wp:base_blog_url>",
    ]
    for n, author in enumerate(authors, start=1):
        lines.append(
            "\t<wp:author>"
            f"<wp:author_id>{n}</wp:author_id>"
            f"<wp:author_login>{cdata(author.login)}</wp:author_login>"
            f"<wp:author_email>{cdata(author.email)}</wp:author_email>"
            f"<wp:author_display_name>{cdata(author.display)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(author.first)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(author.last)}</wp:author_last_name>"
            "</wp:author>"
        )
    term_id = 0
    for slug, name in categories.items():
        term_id += 1
        lines.append(
            f"\t<wp:category><wp:term_id>{term_id}</wp:term_id>"
            f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata('')}</wp:category_parent>"
            f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        )
    for slug, name in tags.items():
        term_id += 1
        lines.append(
            f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
        )
    lines.append(f"\t<generator>{esc('jekyll-migrate')}</generator>")
    return "\n".join(lines) + "\n"


def item_xml(item: Item, *, comments_open: bool, old_base: str, new_base: str) -> tuple[str, str]:
    """The item's XML before and after its body lines (which wait in the spool). ``old_base`` makes GUIDs
    and old URLs absolute, ``new_base`` the item's link."""
    comments = cdata_word("open" if comments_open and item.post_type != "attachment" else "closed")
    link = item.attachment_url or new_base + item.url
    guid = item.attachment_url or (
        old_base + item.old_url
        if item.old_url
        else f"{old_base}/?{'page_id' if item.post_type == 'page' else 'p'}={item.post_id}"
    )
    head = (
        "\t<item>\n"
        f"\t\t<title>{cdata(item.title)}</title>\n"
        f"\t\t<link>{esc(link)}</link>\n"
        f"\t\t<pubDate>{rfc2822_utc(item.gmt)}</pubDate>\n"
        f"\t\t<dc:creator>{cdata_word(item.creator)}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{esc(guid)}</guid>\n'
        "\t\t<description></description>\n"
    )
    fields = (
        f"\t\t<wp:post_id>{item.post_id}</wp:post_id>\n"
        f"\t\t<wp:post_date>{cdata(item.date)}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{cdata(mysql_date(item.gmt))}</wp:post_date_gmt>\n"
        f"\t\t<wp:comment_status>{comments}</wp:comment_status>\n"
        f"\t\t<wp:ping_status>{comments}</wp:ping_status>\n"
        f"\t\t<wp:post_name>{cdata(item.slug)}</wp:post_name>\n"
        f"\t\t<wp:status>{cdata_word(item.status)}</wp:status>\n"
        f"\t\t<wp:post_parent>{item.parent}</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        f"\t\t<wp:post_type>{cdata_word(item.post_type)}</wp:post_type>\n"
        f"\t\t<wp:post_password>{cdata_word('')}</wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
    )
    lines = [fields]
    if item.attachment_url:
        lines.append(f"\t\t<wp:attachment_url>{cdata(item.attachment_url)}</wp:attachment_url>\n")
    languages = ((item.language, item.language),) if item.language else ()
    for domain, terms in (("category", item.categories), ("post_tag", item.tags), ("language", languages)):
        for slug, name in terms:
            lines.append(
                f'\t\t<category domain="{domain}" nicename="{esc(slug)}">{cdata(name)}</category>\n'
            )
    meta = []
    if item.old_url is not None:
        meta.append(("_jekyll_old_url", old_base + item.old_url))
    if item.source:
        meta.append(("_jekyll_source", item.source))
    if item.thumbnail_id:
        meta.append(("_thumbnail_id", str(item.thumbnail_id)))
    if item.language:
        meta.append(("_jekyll_language", item.language))
    meta.extend(("_jekyll_translation", source) for source in item.translations)
    if item.footnotes is not None:
        meta.append(("footnotes", item.footnotes))
    for key, value in meta:
        lines.append(
            f"\t\t<wp:postmeta><wp:meta_key>{cdata_word(key)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>\n"
        )
    lines.append(item.comments)
    lines.append("\t</item>\n")
    return head, "".join(lines)


def write_wxr(
    plan: Plan,
    report: Report,
    items: list[Item],
    attachments: list[Item],
    *,
    header: str,
    make: Callable[[Item], tuple[str, str]],
    limit: int,
    attachments_first: bool = False,
) -> list[str]:
    """Write ``items`` and ``attachments`` into WXR files of at most ``limit`` bytes (an item with its
    ancestors and attachments in one file), opened by ``header``; returns the files' names.

    With ``attachments_first`` every attachment opens the first file instead: the importer then creates
    them before any post, so each keeps the ID of the WXR wherever that ID is free (a post whose ID is taken
    is given a new one above every ID in use, never one of the attachments'), which the image blocks name."""
    by_id = {i.post_id: i for i in items}
    attached: dict[int, list[Item]] = {}
    if attachments_first:
        items = attachments + items
    else:
        for att in attachments:
            attached.setdefault(att.parent, []).append(att)
    footer = "</channel>\n</rss>\n"
    budget = limit - len(header.encode()) - len(footer.encode())
    # Which items go to which file is decided from their sizes alone; each file is then written item by
    # item, its contents read back from the spool, so no file is ever built whole in memory.
    made = ItemXml(plan.spool, make)
    parts: list[list[Item]] = [[]]
    sizes = [0]
    in_part: list[set[int]] = [set()]
    try:
        for item in items:
            ancestors = [] if item.post_type == "attachment" else _ancestors(item, by_id)
            unit = [i for i in ancestors if i.post_id not in in_part[-1]] + [item]
            unit += attached.get(item.post_id, [])
            size = sum(made.size(i) for i in unit)
            if sizes[-1] and sizes[-1] + size > budget:
                parts.append([])
                sizes.append(0)
                in_part.append(set())
                unit = ancestors + [item] + attached.get(item.post_id, [])
                size = sum(made.size(i) for i in unit)
            if size > budget:
                report.emit(
                    "wp-item-too-large",
                    "warning",
                    f"{item.source or item.title} alone is larger than --split-size",
                    source=item.source,
                )
            parts[-1].extend(unit)
            sizes[-1] += size
            in_part[-1].update(i.post_id for i in unit)
    finally:
        made.close()
    names = (
        ["wordpress.xml"]
        if len(parts) == 1
        else [f"wordpress-{n:03d}.xml" for n in range(1, len(parts) + 1)]
    )
    for name, part in zip(names, parts):
        with plan.open_stream(name) as out:
            out.write_text(header)
            for item in part:
                _write_item(out, item, made)
            out.write_text(footer)
        plan.itemizers[name] = wxr_items
    return names


def _write_item(out: SpoolWriter, item: Item, made: ItemXml) -> None:
    head, tail = made.read(item)
    out.write(head)
    if item.body is None:
        out.write(EMPTY_BODY)
    else:
        for chunk in item.body.chunks():
            out.write(chunk)
    out.write(tail)


def _ancestors(item: Item, by_id: dict[int, Item]) -> list[Item]:
    chain: list[Item] = []
    parent = by_id.get(item.parent)
    while parent is not None and parent not in chain:
        chain.insert(0, parent)
        parent = by_id.get(parent.parent)
    return chain
