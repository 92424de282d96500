"""Markdown for Markdown targets (Hugo's Goldmark): kramdown-only syntax rewritten, HTML via markdownify."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from typing import Protocol
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdownify import MarkdownConverter
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from migrate import ir
from migrate.content.kramdown_extensions import ABBREVIATION_LINES
from migrate.content.kramdown_syntax import (
    FENCE,
    FOOTNOTE_DEF,
    HAS_MD_ATTR,
    HEADER_ID,
    IAL_LINE,
    PARSE_BLOCK_HTML_ON,
    REF_DEF,
    SPAN_ELEMENTS,
    closing_fence,
    lazy_list_lines,
    parse_ial,
)
from migrate.content.liquid import highlight_html
from migrate.content.markdown import (
    KramdownConverter,
    angle_links,
    gfm_header_id,
    goldmark_emphasis_blocks,
    indented_code_lines,
)
from migrate.content.typography import typographic


class MarkdownSource(Protocol):
    """What the Markdown writer reads from the content pipeline that calls it (``ContentPipeline`` is one):
    the site, its kramdown converter, and which documents are Markdown."""

    @property
    def site(self) -> ir.Site: ...

    @property
    def kramdown(self) -> KramdownConverter: ...

    def is_markdown(self, doc: ir.Document) -> bool: ...


_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]+)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SPAN_IAL = re.compile(r"(?<=[*_`)\]])\{:(?!:)[^}\n]*\}")
_EXT_INLINE = re.compile(r"\{::(comment|nomarkdown)\s*\}(.*?)\{:/(?:\1)?\}", re.S)
_OPTIONS_LINE = re.compile(r"\{::options\b[^}]*/\}[ \t]*$")
_BLOCK_TAG = re.compile(r"^ {0,3}<([A-Za-z][\w-]*)(?=[\s/>]|$)")


def goldmark_id(text: str) -> str:
    """Hugo's "github" heading id for Goldmark: the text trimmed, letters (lowercased), decimal digits and
    ``_`` kept, each space and ``-`` a dash, everything else (marks such as U+FE0F included) dropped."""
    out = []
    for ch in text.strip(" \t\n"):
        cat = unicodedata.category(ch)
        if ch in "- ":
            out.append("-")
        elif ch == "_" or cat[0] == "L" or cat == "Nd":
            out.append(ch.lower()[0])  # Go lowers one rune to one rune: "İ" is "i", not "i" + U+0307
    return "".join(out)


def _plain_heading_text(markdown: str) -> str:
    """The text Goldmark sees in a heading (links, emphasis and code markers removed)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`~]", "", text)
    return text


class _Converter(MarkdownConverter):
    """markdownify with fenced code that keeps its language (kramdown's and Rouge's class names)."""

    def convert_pre(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        code = el.find("code")
        classes = " ".join(el.get("class", []) + (code.get("class", []) if code is not None else []))
        parent = el.find_parent("div")
        if parent is not None:
            classes += " " + " ".join(parent.get("class", []))
            grand = parent.find_parent("div")
            if grand is not None:
                classes += " " + " ".join(grand.get("class", []))
        m = re.search(r"language-([\w+#.-]+)", classes)
        lang = m.group(1) if m else ""
        body = el.get_text()
        fence = "```"
        while fence in body:
            fence += "`"
        return f"\n\n{fence}{lang}\n{body.rstrip(chr(10))}\n{fence}\n\n"


_SIMPLE_TAGS = frozenset(
    """p h1 h2 h3 h4 h5 h6 a img ul ol li pre code table thead tbody tr th td em strong b i
blockquote br hr del s sup sub span div figure figcaption dl dt dd kbd abbr""".split()
)
_TAG_NAME = re.compile(r"<([A-Za-z][\w-]*)")
_BLOCKY_LINK = re.compile(r"<a\b[^>]*>\s*<(?:h[1-6]|div|p|ul|ol|table|section|figure)\b", re.I)


def is_simple_html(html_text: str) -> bool:
    """Whether Markdown can say everything this HTML says (no forms, scripts, layout markup or classes)."""
    # code blocks as kramdown and Rouge wrap them are plain code for Markdown
    html_text = re.sub(
        r'<(div|pre|figure)\s+class="(?:language-[\w+#.-]+\s+)?(?:highlighter-rouge|highlight)"\s*>',
        r"<\1>",
        html_text,
    )
    if _BLOCKY_LINK.search(html_text):
        return False
    for m in _TAG_NAME.finditer(html_text):
        if m.group(1).lower() not in _SIMPLE_TAGS:
            return False
    if re.search(r"<(?:div|span|p|section)\b[^>]*\b(?:class|id|style)=", html_text, re.I):
        return False
    return True


_PRE_REGION = re.compile(r"(<pre\b.*?</pre>)", re.S | re.I)


def html_as_raw_block(html_text: str, *, wrap: bool = True) -> str:
    """HTML that Goldmark (with ``unsafe``) passes through as one raw block: no blank line (it would end the
    block) and no indentation (it would start a code block); blank lines inside ``pre`` become ``&#10;``."""
    pieces = _PRE_REGION.split(html_text.strip("\n"))
    out: list[str] = []
    for k, piece in enumerate(pieces):
        if k % 2:
            out.append(re.sub(r"\n(?=\n)", "&#10;", piece))
        else:
            out.append(
                "\n".join(line.lstrip() for line in piece.split("\n") if line.strip())
                if piece.strip()
                else piece.replace("\n", "").replace(" ", "")
            )
    body = "".join(out)
    body = re.sub(r"\n{2,}", "\n", body)
    return f"<div>\n{body}\n</div>\n" if wrap else body + "\n"


def html_to_markdown(html_text: str) -> str:
    """An HTML body as Markdown (headings ATX, fenced code with language, tables, images kept)."""
    converter = _Converter(
        heading_style="ATX",
        bullets="-",
        escape_underscores=False,
        escape_asterisks=False,
        strip=["script", "style"],
    )
    out = converter.convert(html_text)
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n") + "\n"


def to_markdown(pipeline: MarkdownSource, doc: ir.Document, text: str) -> tuple[str, list[ir.Issue]]:
    """Body after Liquid -> Goldmark-readable Markdown."""
    issues: list[ir.Issue] = []
    if not pipeline.is_markdown(doc):
        if not is_simple_html(text):
            issues.append(
                ir.Issue(
                    "html-kept",
                    "info",
                    "HTML body kept as raw HTML (Markdown cannot express its markup)",
                    doc.source,
                )
            )
            return escape_shortcodes(html_as_raw_block(text), keep_toc=False), issues
        try:
            return escape_shortcodes(html_to_markdown(text), keep_toc=False), issues
        except Exception as err:  # noqa: BLE001 - a hostile body must not stop the run
            issues.append(ir.Issue("markdown-error", "warning", f"HTML body kept as HTML: {err}", doc.source))
            return escape_shortcodes(text, keep_toc=False), issues
    if _kramdown_input(pipeline):
        text = _kramdown_headings(text)
    kramdown_ids = _kramdown_heading_ids(pipeline, text)
    tocs: dict[int, str] = {}
    out = _rewrite_kramdown(pipeline, doc, text, kramdown_ids, issues, tocs)
    out = goldmark_emphasis_blocks(pipeline.kramdown, out)
    if pipeline.kramdown.smart:
        out = markdown_typography(pipeline, out)
    if tocs:
        # a line of its own that no text has, so the paragraph check below may move lines
        mark = "JekyllMigrateToc"
        while mark in out:
            mark += "X"
        lines = out.split("\n")
        for n, at in enumerate(tocs):
            lines[at] = f"{mark}{n}"
        out = "\n".join(lines)
    if "[^" in out:
        out = _named_footnotes_as_html(pipeline, text, out)
    out = _paragraphs_as_kramdown_read_them(pipeline, text, out)
    if "{:" in out:
        out = _drop_span_ials(out, doc, issues)
    if _MORE in out:
        out = _more_in_code_as_html(pipeline, out)
    out = escape_shortcodes(out, keep_toc=False)
    if tocs:
        calls = {f"{mark}{n}": call for n, call in enumerate(tocs.values())}
        lines = out.split("\n")
        for n, line in enumerate(lines):
            if line in calls:  # a block of its own: blank lines around it
                before = "\n" if n and lines[n - 1].strip() else ""
                after = "\n" if n + 1 < len(lines) and lines[n + 1].strip() else ""
                lines[n] = before + calls[line] + after
        out = "\n".join(lines)
    return out, issues


_MASK = re.compile(
    r"<(code|kbd|samp|pre|script|style|math)\b[^>]*>.*?</\1>|\*+|~~|(?<!\w)_+|_+(?!\w)|\{[^{}]*\}\s*$"
    r"|\\.|`+[^`]*?`+|<!--.*?-->|<[A-Za-z/!][^<>]*>|\]\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|\{[#.][^}]*\}|\{:[^}]*\}|^ {0,3}\[[^\]^][^\]]*\]:[ \t]*\S+[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\))[ \t]*$"
    r"|\[\^?[^\]]*\]:\s*\S+|&#?\w+;|https?://\S+",
    re.S,
)
_SKIP_LINE = re.compile(r"^\s*(?:\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?|[-*_=](?:\s*[-*_=]){2,})\s*$")


_TYPOGRAPHIC = re.compile(r"['\"]|--|\.\.\.|<<|>>")


_PLAIN_FENCE_OPEN = re.compile(r"(`{3,})[^`]*|(~{3,}).*")
_FENCE_LIKE = re.compile(r"[ \t>]*(?:`{3}|~{3})")


def markdown_typography(pipeline: MarkdownSource, text: str) -> str:
    """kramdown's smart quotes and symbols written into the Markdown text itself, so the target shows what
    Jekyll showed whatever its own typographer does (code, HTML, URLs and attributes are left alone)."""
    if not _TYPOGRAPHIC.search(text) or _typography_changes_nothing(text):
        return text
    md = pipeline.kramdown.md
    tokens: list = []
    md.block.parse(text, md, {}, tokens)  # block structure only: code and HTML blocks are left alone
    skip: set[int] = set()
    for tok in tokens:
        if tok.type in ("fence", "code_block", "html_block") and tok.map:
            skip.update(range(tok.map[0], tok.map[1]))
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if n not in skip:
            lines[n] = _typographed_line(line)
    return "\n".join(lines)


def _typographed_line(line: str) -> str:
    """One line outside code and HTML blocks with kramdown's typography (tags, code spans, URLs and
    attributes masked)."""
    if not line.strip() or _SKIP_LINE.match(line.lstrip(" >")) or not _TYPOGRAPHIC.search(line):
        return line
    lead = re.match(r"^[ \t>]*(?:(?:[*+-]|\d+[.)])[ \t]+)?(?:#{1,6}[ \t]+)?", line)
    start = lead.end() if lead else 0
    parts: list[str] = [line[:start]]
    pos = start
    for m in _MASK.finditer(line, start):
        text = line[pos : m.start()]
        parts.append(typographic(text, after=line[m.start() : m.start() + 3], source=True) if text else "")
        parts.append(m.group(0))
        pos = m.end()
    parts.append(typographic(line[pos:], source=True))
    return "".join(parts)


def _typography_changes_nothing(text: str) -> bool:
    """Whether :func:`markdown_typography` would return ``text`` as it is, decided without parsing its
    blocks (the parse was most of its cost; a third of a site's documents have a quote or a dash somewhere):
    every line outside fenced code reads the same after typography, and fenced code is trusted to be code
    only in the plainest case, fences opened at column 0 after a blank line in a text where no line may
    start an HTML block or another fence (those could hide or move a fence)."""
    fence: tuple[str, int] | None = None
    code_has_marks = irregular = False
    blank_before = True
    for line in text.split("\n"):
        if fence is not None:
            bare = line.lstrip(" ").rstrip(" \t")
            if len(line) - len(line.lstrip(" ")) <= 3 and len(bare) >= fence[1] and bare == fence[0] * len(bare):
                fence = None
            code_has_marks = code_has_marks or _TYPOGRAPHIC.search(line) is not None
            blank_before = False
            continue
        opening = _PLAIN_FENCE_OPEN.fullmatch(line) if blank_before else None
        if opening:
            marker = opening.group(1) or opening.group(2)
            fence = (marker[0], len(marker))
            blank_before = False
            continue
        if _FENCE_LIKE.match(line) or line.lstrip().startswith("<"):
            irregular = True
        if _typographed_line(line) != line:
            return False
        blank_before = not line.strip(" \t")
    return not (code_has_marks and irregular)


_HTML_BLOCK_FENCE = re.compile(r"^[ \t]*(`{3,})([\w+#.-]*)( \{linenos=table\})?\n(.*?)\n[ \t]*\1[ \t]*$", re.S | re.M)
_MORE = "<!--more-->"
_GOLDMARK: MarkdownIt | None = None
_CODE_ELEMENT = re.compile(r"<code\b[^>]*>[^<]*</code>|<[^<>]*>")
_LEFT_MARKUP = re.compile(r"[*_\[\]|`]|~~|\{:|\$\$")
_ATTR_LINE = re.compile(r"^[ \t>]*\{[.#][^{}]*\}[ \t]*$")
_MD_PUNCT = re.compile(r"([\\*_\[\]`|~])")
_LINE_START = re.compile(r"(^|\n)([ \t]*)([#+\-=>:]|\d+[.)])")


def _goldmark_like() -> MarkdownIt:
    """CommonMark with the extensions Hugo's Goldmark has on (tables, strikethrough, footnotes, definition
    lists), raw HTML allowed and no linkify: how Goldmark reads the Markdown, near enough to see where it
    leaves kramdown's markup as text."""
    global _GOLDMARK
    if _GOLDMARK is None:
        md = MarkdownIt("commonmark", {"html": True})
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        md.use(deflist_plugin)
        _GOLDMARK = md
    return _GOLDMARK


def goldmark_parser() -> MarkdownIt:
    """The parser that reads Markdown as Hugo's Goldmark does (see :func:`_goldmark_like`)."""
    return _goldmark_like()


def _reader_text(html_text: str) -> str:
    """What a reader gets from an HTML fragment: its text, link targets and image names, spaces folded."""
    text = re.sub(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>", lambda m: f" \x01{unquote(html.unescape(m.group(1)))} ",
                  html_text)
    text = re.sub(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"[^>]*>", lambda m: f" \x02{unquote(html.unescape(m.group(1)))} ",
                  text)
    text = text.replace("</a>", " \x03 ")
    text = re.sub(r"</?(?:p|div|table|thead|tbody|tr|td|th|ul|ol|li|dl|dt|dd|blockquote|h[1-6]|br|hr)\b[^>]*>", " ",
                  text)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).split())


_SUSPECT = re.compile(
    r"\{:|\$\$|\||[\])”\"’'».,:;!?][*_]+\w|\w[*_]+[\[(“\"‘'«]", re.M
)
"""Raw text where Goldmark and kramdown may part: a span IAL, maths, a table row, an emphasis mark that
closes after punctuation before a letter or opens after a letter before punctuation (CommonMark's flanking
rules refuse both)."""
_SUSPECT_BRACKET = re.compile(r"\][^(\[:]|\]$", re.M)
"""A bracket that is not an inline link: suspect when the page defines a reference CommonMark cannot read."""
_ODD_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*[^\s<][^\s]*[ \t]+(?![\"'(])\S", re.M)


def _paragraphs_as_kramdown_read_them(pipeline: MarkdownSource, source: str, markdown: str) -> str:
    """Each paragraph where Goldmark would leave markup as text (``**`` it cannot close, a ``|`` table it
    does not see, a reference it does not resolve) and kramdown reads it otherwise, written as the HTML
    kramdown made of it: inline HTML in place of the text (block HTML for a top-level paragraph that
    kramdown reads as a table or another block). Only blocks whose raw text looks suspect are parsed."""
    if not _LEFT_MARKUP.search(markdown):
        return markdown
    lines = markdown.split("\n")
    refs = ""
    odd_refs = bool(_ODD_REF_DEF.search(source))
    changes: list[tuple[int, int, list[str]]] = []
    chunk: list[int] = []
    for n, line, kind in _fenced_code_marked([*lines, ""]):
        if kind == "code":
            continue
        if kind == "opens" or not line.strip():
            if chunk:
                text = "\n".join(lines[chunk[0] : chunk[-1] + 1])
                plain = _CODE_ELEMENT.sub("", _CODE_SPAN.sub("", text))
                if _SUSPECT.search(plain) or (odd_refs and _SUSPECT_BRACKET.search(plain)):
                    if not refs:
                        refs = "\n" + "\n".join(line for line in source.split("\n") if REF_DEF.match(line))
                    changes += _kramdown_paragraphs(pipeline, lines, chunk[0], chunk[-1] + 1, refs)
                chunk = []
            continue
        chunk.append(n)
    for begin, end, new in reversed(changes):
        lines[begin:end] = new
    return "\n".join(lines)


def _kramdown_paragraphs(
    pipeline: MarkdownSource, lines: list[str], first: int, last: int, refs: str
) -> list[tuple[int, int, list[str]]]:
    """The replacements (line range, new lines) for the paragraphs of ``lines[first:last]`` that Goldmark
    reads otherwise than kramdown."""
    md = _goldmark_like()
    env: dict = {}
    chunk = "\n".join(lines[first:last]) + "\n" + refs
    tokens = md.parse(chunk, env)
    blocks = {t.type for t in tokens if t.level == 0 and t.nesting >= 0}
    if "table_open" in blocks and blocks <= {"paragraph_open", "table_open", "inline"}:
        # paragraphs and tables at the top: where a table starts and ends is read as a whole, and kramdown
        # and GFM place it differently (a table cannot interrupt kramdown's paragraph)
        kramdown_html = pipeline.kramdown.convert(chunk + "\n").strip()
        if _reader_text(kramdown_html) != _reader_text(md.render(chunk)):
            return [(first, last, ["", html_as_raw_block(kramdown_html, wrap=False).strip("\n"), ""])]
        return []
    changes: list[tuple[int, int, list[str]]] = []
    for k, tok in enumerate(tokens):
        if tok.type != "paragraph_open" or not tok.map or tokens[k + 1].type != "inline":
            continue
        if tok.map[0] >= last - first:
            break  # the reference definitions appended
        inline = tokens[k + 1]
        if "[^" in inline.content:
            continue  # footnotes are numbered per document: not in a fragment
        rendered = md.renderer.render(tokens[k : k + 3], md.options, env)
        if not _LEFT_MARKUP.search(_reader_text(_CODE_ELEMENT.sub("", rendered))):
            continue
        start, end = tok.map[0] + first, min(tok.map[1], last - first) + first
        while end > start + 1 and _ATTR_LINE.match(lines[end - 1]):
            end -= 1  # Goldmark's attribute line stays below the paragraph
        content = inline.content.split("\n")[: end - start]
        kramdown_html = pipeline.kramdown.convert("\n".join(content) + "\n" + refs + "\n")
        kramdown_html = re.sub(r'\n?<div class="footnotes".*', "", kramdown_html, flags=re.S).strip()
        if _reader_text(kramdown_html) == _reader_text(md.render("\n".join(content) + "\n" + refs + "\n")):
            continue
        line = lines[start]
        prefix = line[: line.find(content[0])] if content[0] and content[0] in line else ""
        single = re.fullmatch(r"<p>(.*)</p>", kramdown_html, re.S) or re.fullmatch(
            r"(?![ \t]*<(?!/?(?:a|abbr|b|br|code|del|em|i|img|kbd|span|strong|sub|sup)\b))(.*)", kramdown_html, re.S
        )
        if single and "<p>" not in single.group(1):
            # inline HTML in the paragraph's place: Goldmark still reads the text between the tags, so its
            # Markdown punctuation is escaped
            parts = re.split(r"(<[^>]*>)", single.group(1))
            body = "".join(part if n % 2 else _MD_PUNCT.sub(r"\\\1", part) for n, part in enumerate(parts))
            body = _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), body)
            changes.append((start, end, (prefix + body).split("\n")))
        elif not prefix.strip() and tok.level == 0:
            changes.append((start, end, ["", html_as_raw_block(kramdown_html, wrap=False).strip("\n"), ""]))
    return changes


_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")  # single-backtick spans: enough for what is looked for, and linear


def _named_footnotes_as_html(pipeline: MarkdownSource, source: str, markdown: str) -> str:
    """Footnotes as kramdown's HTML when kramdown's ids are not Goldmark's: kramdown names a footnote after
    its label (``#fn:js-disabled``), Goldmark after its number (``#fn:1``), and pages link to those ids."""
    full = pipeline.kramdown.convert(source)
    notes = list(re.finditer(r'<div class="footnotes" role="doc-endnotes">.*?</ol>\s*</div>', full, re.S))
    if not notes:
        return markdown
    ids = re.findall(r'<li id="fn:([^"]*)"', notes[-1].group(0))
    if all(label == str(n) for n, label in enumerate(ids, 1)):
        return markdown
    refs = {m.group(1): m.group(0) for m in re.finditer(r'<sup id="fnref:([^"]*)"[^>]*>.*?</sup>', full, re.S)}
    seen: dict[str, int] = {}

    def ref(m: re.Match[str]) -> str:
        label = m.group(1)
        k = seen.get(label, 0)
        seen[label] = k + 1
        return refs.get(label if k == 0 else f"{label}:{k}", m.group(0))

    out: list[str] = []
    in_def = False
    for _n, line, kind in _fenced_code_marked(markdown.split("\n")):
        if kind != "text":
            if kind == "opens":
                in_def = False
            out.append(line)
            continue
        if FOOTNOTE_DEF.match(line):
            in_def = True
            continue
        if in_def and (not line.strip() or line.startswith(("    ", "\t"))):
            continue
        in_def = False
        parts = _CODE_SPAN.split(line) if "`" in line else [line]
        if len(parts) == 1:
            out.append(_FOOTNOTE_REF.sub(ref, line))
        else:
            spans = [m.group(0) for m in _CODE_SPAN.finditer(line)]
            texts = _CODE_SPAN.sub("\x00", line).split("\x00")
            out.append("".join(_FOOTNOTE_REF.sub(ref, t) + (spans[n] if n < len(spans) else "")
                               for n, t in enumerate(texts)))
    return "\n".join(out).rstrip("\n") + "\n\n" + html_as_raw_block(notes[-1].group(0), wrap=False)


def _kramdown_input(pipeline: MarkdownSource) -> bool:
    """Whether the site reads Markdown with kramdown's own parser (``kramdown: input: kramdown``), not
    Jekyll's default GFM parser."""
    conf = pipeline.site.config.get("kramdown")
    return isinstance(conf, dict) and str(conf.get("input", "GFM")).lower() == "kramdown"


_TIGHT_ATX = re.compile(r"^(#{1,6})(?=[^#\s])")
_NOT_PARAGRAPH = re.compile(r"^[ \t]*(?:#|\{:|<|`{3,}|~{3,}|\$\$|([-*_])[ \t]*(?:\1[ \t]*){2,}$)")


def _kramdown_headings(text: str) -> str:
    """kramdown's parser (not GFM's) reads ``###Heading`` at the start of a block as a heading; CommonMark
    wants a space after the hashes. A ``#`` line inside a paragraph stays text for kramdown: escaped."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            if closing_fence(fence, r"[ \t]*").match(line):
                fence = None
            out.append(line)
            continue
        f = FENCE.match(line)
        if f:
            fence = f.group(1)
        elif line.startswith("#"):
            after_text = bool(out and out[-1].strip()) and not _NOT_PARAGRAPH.match(out[-1])
            if after_text:
                line = "\\" + line
            elif _TIGHT_ATX.match(line):
                line = _TIGHT_ATX.sub(r"\1 ", line)
        out.append(line)
    return "\n".join(out)


def _drop_span_ials(markdown: str, doc: ir.Document, issues: list[ir.Issue]) -> str:
    """Span attribute lists left where no paragraph took them as HTML (a table cell, a heading): dropped,
    as Goldmark has no attributes on a span."""
    out: list[str] = []
    dropped = False
    for _n, line, kind in _fenced_code_marked(markdown.split("\n")):
        if kind == "text" and "{:" in line:
            new = _SPAN_IAL.sub("", line)
            dropped = dropped or new != line
            line = new
        out.append(line)
    if dropped:
        issues.append(
            ir.Issue("kramdown-span-ial", "info", "span attribute list dropped (Goldmark has none)", doc.source)
        )
    return "\n".join(out)


def _more_in_code_as_html(pipeline: MarkdownSource, markdown: str) -> str:
    """Code showing ``<!--more-->`` as kramdown's HTML: Hugo takes the first ``<!--more-->`` anywhere in the
    Markdown, code included, as the summary divider and removes it from the page; escaped it stays."""
    md = _goldmark_like()
    lines = markdown.split("\n")
    changes = []
    for tok in md.parse(markdown):
        if tok.type in ("fence", "code_block") and _MORE in tok.content and tok.map and tok.level == 0:
            start, end = tok.map
            rendered = pipeline.kramdown.convert("\n".join(lines[start:end]) + "\n")
            changes.append((start, end, ["", html_as_raw_block(rendered, wrap=False).strip("\n"), ""]))
    for start, end, new in reversed(changes):
        lines[start:end] = new
    return "\n".join(lines)



def _fenced_code_marked(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """Each line with its number and what it is for the Markdown-side scans: ``"opens"`` a fenced code
    block, ``"code"`` inside one (its closing fence included) or ``"text"``; a fence is found with the
    blockquote marks taken off and closed by a line that, stripped, is its character at least as many
    times (the one rule of those scans)."""
    fence: str | None = None
    for n, line in enumerate(lines):
        bare = line.lstrip(" >")
        if fence is not None:
            if closing_fence(fence, "").match(bare.strip()):
                fence = None
            yield n, line, "code"
            continue
        f = FENCE.match(bare)
        if f:
            fence = f.group(1)
            yield n, line, "opens"
        else:
            yield n, line, "text"

_PLAIN_HEADING = re.compile(r"#{1,6}[ \t]+([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)")


def _kramdown_heading_ids(pipeline: MarkdownSource, text: str) -> list[str]:
    """kramdown's ids for the ATX headings outside code, in order (from those headings alone: cheap)."""
    headings = [line.strip() for _n, line, kind in _fenced_code_marked(text.split("\n"))
                if kind == "text" and _ATX.match(line)]
    if not headings:
        return []
    kramdown = pipeline.kramdown
    plain = [m.group(1) for m in map(_PLAIN_HEADING.fullmatch, headings) if m]
    if len(plain) == len(headings) and kramdown.auto_ids:
        # Words and single spaces only: the id is the text's, numbered on repeats, as kramdown gives it.
        ids, seen = [], dict[str, int]()
        for text in plain:
            base = kramdown.auto_id_prefix + gfm_header_id(text)
            seen[base] = count = seen.get(base, -1) + 1
            ids.append(base if count == 0 else f"{base}-{count}")
        return ids
    html_text = kramdown.convert("\n\n".join(headings) + "\n")
    return [m.group(2) for m in re.finditer(r"<h([1-6])[^>]*\bid=\"([^\"]*)\"", html_text)]


def _rewrite_kramdown(
    pipeline: MarkdownSource,
    doc: ir.Document,
    text: str,
    kramdown_ids: list[str],
    issues: list[ir.Issue],
    tocs: dict[int, str] | None = None,
) -> str:
    """The Markdown for Goldmark; ``tocs`` gets the line numbers (of the result) where a ``toc`` shortcode
    goes, with its call (added last, after typography and escaping)."""
    refs = "\n".join(line for line in text.split("\n") if REF_DEF.match(line))
    text, parse_block_html = _kramdown_options(text)
    lines, dropped_abbr = _kramdown_blocks_for_goldmark(pipeline, lazy_list_lines(text.split("\n")))
    if "{::" in text:
        text = _EXT_INLINE.sub(lambda m: "" if m.group(1) == "comment" else m.group(2), "\n".join(lines))
        lines = text.split("\n")
    code_lines = indented_code_lines(pipeline.kramdown, lines)  # nothing inside code is rewritten
    out: list[str] = []
    fence: str | None = None
    heading_index = 0
    used_ids: dict[str, int] = {}
    i = 0
    pending: str | None = None  # an IAL written above its block: Goldmark wants it below
    toc_at: list[tuple[int, bool]] = []  # where {:toc} stood (line of out, ordered list)
    no_toc: list[str] = []  # ids of the headings kramdown leaves out of its table of contents
    last_heading_id: str | None = None
    pending_started = False
    while i < len(lines):
        line = lines[i]
        if pending is not None and fence is None:
            if not line.strip():
                if pending_started:
                    out.append(pending)
                    pending, pending_started = None, False
                else:
                    i += 1
                    continue
            else:
                pending_started = True
        if fence is not None:
            out.append(line)
            if closing_fence(fence, r"[ \t]*").match(line.lstrip(" >")):
                fence = None
            i += 1
            continue
        f = FENCE.match(line.lstrip(" >")) if line.lstrip(" >").startswith(("```", "~~~")) else None
        if f:
            fence = f.group(1)
            out.append(line)
            i += 1
            continue
        m = _BLOCK_TAG.match(line)
        if (
            m
            and m.group(1).lower() in SPAN_ELEMENTS
            and re.fullmatch(r"\s*<[^<>]+>\s*", line)
            and i + 1 < len(lines)
            and lines[i + 1].strip()
            and (not out or not out[-1].strip())
        ):
            # kramdown reads a line-start span tag as the start of a paragraph; CommonMark would make a lone
            # tag an HTML block and leave the Markdown after it unparsed
            lines[i + 1] = line.strip() + lines[i + 1].lstrip()
            i += 1
            continue
        if m and m.group(1).lower() not in SPAN_ELEMENTS:
            tag = m.group(1)
            depth = 0
            j = i
            while j < len(lines):
                depth += len(re.findall(rf"<{tag}\b", lines[j], re.I)) - len(
                    re.findall(rf"</{tag}\s*>", lines[j], re.I)
                )
                if depth <= 0:
                    break
                j += 1
            block = "\n".join(lines[i : j + 1])
            if j < len(lines) and (parse_block_html or HAS_MD_ATTR.search(block)):
                # Goldmark cannot parse Markdown inside HTML: hand it kramdown's HTML for the element
                source = ('{::options parse_block_html="true" /}\n' if parse_block_html else "") + block
                rendered = pipeline.kramdown.convert(source + ("\n\n" + refs if refs else ""))
                out.extend(["", html_as_raw_block(rendered, wrap=False).strip("\n"), ""])
                i = j + 1
                continue
            if j < len(lines) and j > i:
                # kramdown keeps a balanced HTML element as one raw block; Goldmark would end it at a blank
                # line and read indented lines as code. A fence in it is a highlight tag's (written as a fence
                # for Markdown): in raw HTML it is the HTML Jekyll's tag wrote
                block = _HTML_BLOCK_FENCE.sub(
                    lambda m: highlight_html(m.group(4), m.group(2), linenos=bool(m.group(3))), block
                )
                out.extend(["", html_as_raw_block(block, wrap=False).strip("\n"), ""])
                i = j + 1
                continue
        ial = IAL_LINE.match(line.lstrip(" >")) if "{:" in line else None
        if ial:
            prefix = line[: len(line) - len(line.lstrip(" >"))]
            attrs = parse_ial(ial.group(1))
            if attrs.get("data-kd-toc"):
                # kramdown's generated table of contents, at this place: the toc shortcode the export writes
                # (layouts/_shortcodes/toc.html) lists the page's headings as kramdown's did
                ordered = bool(out and re.match(r"^\s*\d+[.)]\s", out[-1]))
                if out and re.match(r"^\s*[*+-]\s|^\s*\d+[.)]\s", out[-1]):
                    out.pop()
                toc_at.append((len(out), ordered))
                out.append("")
                issues.append(
                    ir.Issue(
                        "kramdown-toc",
                        "info",
                        "{:toc} became the toc shortcode (layouts/_shortcodes/toc.html)",
                        doc.source,
                    )
                )
                i += 1
                continue
            lang = next((c[9:] for c in attrs.get("class", "").split() if c.startswith("language-")), None)
            if lang and out and out[-1].lstrip(" >").startswith(("```", "~~~")):
                # the IAL names the language of the code block above it
                k = len(out) - 2
                while k >= 0 and not re.match(r"^[ \t>]*(`{3,}|~{3,})", out[k]):
                    k -= 1
                if k >= 0:
                    mm = re.match(r"^([ \t>]*)(`{3,}|~{3,})(\S*)(.*)$", out[k])
                    if mm and not mm.group(3):
                        out[k] = f"{mm.group(1)}{mm.group(2)}{lang}{mm.group(4)}"
                rest = " ".join(c for c in attrs.get("class", "").split() if not c.startswith("language-"))
                if rest:
                    out.append(prefix + "{" + " ".join("." + c for c in rest.split()) + "}")
                i += 1
                continue
            if out and _ATX.match(out[-1]) and not prefix:
                # a heading's IAL: Goldmark reads attributes at the end of the heading line
                heading = re.sub(r"\s*\{#[^}]*\}\s*$", "", out[-1])
                merged = dict(attrs)
                if "id" not in merged:
                    old_id = re.search(r"\{#([^}\s]+)\}\s*$", out[-1])
                    if old_id:
                        merged["id"] = old_id.group(1)
                out[-1] = f"{heading} {_goldmark_attrs(merged)}"
                if "no_toc" in merged.get("class", "").split():
                    no_toc.append(merged.get("id") or last_heading_id or "")
            elif not prefix and (not out or not out[-1].strip()):
                pending, pending_started = _goldmark_attrs(attrs), False
            else:
                out.append(prefix + _goldmark_attrs(attrs))
            i += 1
            continue
        h = _ATX.match(line)
        if h:
            content = h.group(4)
            explicit = HEADER_ID.search(content)
            kid = kramdown_ids[heading_index] if heading_index < len(kramdown_ids) else None
            heading_index += 1
            last_heading_id = kid
            if explicit:
                content = content[: explicit.start()] + " {#" + explicit.group(1) + "}"
                last_heading_id = explicit.group(1)
            elif kid is not None:
                base = goldmark_id(_plain_heading_text(content))
                n = used_ids.get(base, -1) + 1
                used_ids[base] = n
                gid = base if n == 0 else f"{base}-{n}"
                if gid != kid:
                    content = f"{content} {{#{kid}}}"
            out.append(f"{h.group(1)}{h.group(2)}{h.group(3)}{content}")
            i += 1
            continue
        # a span IAL stays for now: its paragraph becomes kramdown's HTML (see to_markdown), which keeps it
        if i not in code_lines:
            line = angle_links(line)
        out.append(line)
        i += 1
    if pending is not None and pending_started:
        out.append(pending)
    for at, ordered in toc_at if tocs is not None else ():
        tocs[sum(part.count("\n") + 1 for part in out[:at])] = toc_shortcode(ordered=ordered, exclude=[i for i in no_toc if i])
    if dropped_abbr:
        issues.append(
            ir.Issue(
                "kramdown-abbreviation",
                "info",
                "abbreviation definitions dropped (Goldmark has none)",
                doc.source,
            )
        )
    return "\n".join(out)


def _kramdown_options(text: str) -> tuple[str, bool]:
    """``text`` less its ``{::options}`` lines outside fenced code (code keeps them), and whether an option
    there turns ``parse_block_html`` on (kramdown then reads Markdown inside HTML blocks)."""
    if "{::options" not in text:
        return text, False
    outside = [line for _n, line, kind in _fenced_code_marked(text.split("\n")) if kind == "text"]
    parse_block_html = any(re.search(r"\{::options\b[^}]*" + PARSE_BLOCK_HTML_ON, x) for x in outside)
    text = "\n".join(
        line for _n, line, kind in _fenced_code_marked(text.split("\n"))
        if kind != "text" or not _OPTIONS_LINE.match(line)
    )
    return text, parse_block_html


def _kramdown_blocks_for_goldmark(pipeline: MarkdownSource, lines: list[str]) -> tuple[list[str], bool]:
    """``lines`` with what kramdown's own parse reads as block extensions and abbreviation definitions
    made Goldmark's: a comment an HTML comment, nomarkdown its body as written, abbreviation definitions
    dropped (Goldmark has none); and whether one was dropped."""
    if not any("{::" in line or "*[" in line for line in lines):
        return lines, False
    md = pipeline.kramdown.md
    env: dict = {}
    tokens: list = []
    md.block.parse("\n".join(lines), md, env, tokens)
    changes: list[tuple[int, int, list[str]]] = [(n, n + 1, []) for n in env.get(ABBREVIATION_LINES, ())]
    for tok in tokens:
        if tok.type != "kd_raw" or "extension" not in tok.meta or not tok.map:
            continue
        name, body = tok.meta["extension"], tok.meta["body"]
        first = lines[tok.map[0]]
        prefix = first[: first.find("{::")]
        if body is None or name == "options":
            new = []
        elif name == "comment":
            new = [prefix + line for line in f"<!-- {body.strip()} -->".split("\n")]
        else:
            new = [prefix + line for line in body.split("\n")]
        changes.append((tok.map[0], tok.map[1], new))
    lines = list(lines)
    for start, end, new in sorted(changes, reverse=True):
        lines[start:end] = new
    return lines, bool(env.get(ABBREVIATION_LINES))


def toc_shortcode(*, ordered: bool = False, exclude: list[str] = ()) -> str:  # type: ignore[assignment]
    """The call of the export's ``toc`` shortcode that stands for kramdown's ``{:toc}``."""
    args = ' list="ol"' if ordered else ""
    if exclude:
        args += ' exclude="' + " ".join(exclude).replace('"', "&quot;") + '"'
    return "{{< toc" + args + " >}}"


_OUR_SHORTCODE = re.compile(r'^\{\{< toc(?: list="ol")?(?: exclude="[^"\n]*")? >\}\}$')


def escape_shortcodes(body: str, *, keep_toc: bool = True) -> str:
    """Hugo reads ``{{<`` and ``{{%`` as shortcodes, even inside code: keep them as text. A complete
    ``{{< x >}}`` takes Hugo's own escape ``{{</* x */>}}``; a lone opener becomes an HTML entity. With
    ``keep_toc``, a line that is exactly the ``toc`` call :func:`to_markdown` writes stays (text from the
    site that reads the same was escaped by :func:`to_markdown` before it added its own)."""
    if "{{<" not in body and "{{%" not in body:
        return body
    return "\n".join(
        line if keep_toc and _OUR_SHORTCODE.match(line) else _escape_line(line) for line in body.split("\n")
    )


def _escape_line(text: str) -> str:
    text = re.sub(r"\{\{([<%])(?!/\*)([^\n]*?)\1?([>%])\}\}",
                  lambda m: "{{" + m.group(1) + "/*" + m.group(2) + "*/" + m.group(3) + "}}", text)
    return re.sub(r"\{\{([<%])(?!/\*)", lambda m: "{{&#" + str(ord(m.group(1))) + ";", text)


def _goldmark_attrs(attrs: dict[str, str]) -> str:
    """kramdown's ``{: .a #b k="v"}`` as Goldmark's ``{.a #b k="v"}``."""
    parts = []
    if "id" in attrs:
        parts.append("#" + attrs["id"])
    parts.extend("." + c for c in attrs.get("class", "").split())
    parts.extend(
        f'{k}="{v}"' for k, v in attrs.items() if k not in ("id", "class") and not k.startswith("data-kd")
    )
    return "{" + " ".join(parts) + "}"
