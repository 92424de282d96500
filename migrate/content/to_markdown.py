"""Markdown for Markdown targets (Hugo's Goldmark): kramdown-only syntax rewritten, HTML via markdownify."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from markdownify import MarkdownConverter

from migrate import ir
from migrate.content.markdown import (
    _ABBR_DEF,
    _FENCE,
    _HAS_MD_ATTR,
    _HEADER_ID,
    _IAL_LINE,
    _REF_DEF,
    SPAN_ELEMENTS,
    _lazy_list_lines,
    angle_links,
    gfm_header_id,
    goldmark_emphasis_blocks,
    indented_code_lines,
    parse_ial,
)
from migrate.content.typography import typographic

if TYPE_CHECKING:
    from migrate.content.pipeline import ContentPipeline

_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]+)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SPAN_IAL = re.compile(r"(?<=[*_`)\]])\{:(?!:)[^}\n]*\}")
_EXT_BLOCK = re.compile(r"^\{::(comment|nomarkdown)\s*\}\n?(.*?)\n?\{:/(?:\1)?\}[ \t]*$", re.S | re.M)
_EXT_INLINE = re.compile(r"\{::(comment|nomarkdown)\s*\}(.*?)\{:/(?:\1)?\}", re.S)
_EXT_OPTIONS = re.compile(r"^\{::options\b[^}]*/\}[ \t]*\n?", re.M)
_BLOCK_TAG = re.compile(r"^ {0,3}<([A-Za-z][\w-]*)(?=[\s/>]|$)")


def goldmark_id(text: str) -> str:
    """Goldmark's "github" heading id: lowercase, punctuation dropped, spaces to dashes."""
    out = []
    for ch in text.lower():
        cat = unicodedata.category(ch)
        if ch in "-_" or cat[0] in "LN" or cat[0] == "M":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
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


def to_markdown(pipeline: ContentPipeline, doc: ir.Document, text: str) -> tuple[str, list[ir.Issue]]:
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
            return html_as_raw_block(text), issues
        try:
            return html_to_markdown(text), issues
        except Exception as err:  # noqa: BLE001 - a hostile body must not stop the run
            issues.append(ir.Issue("markdown-error", "warning", f"HTML body kept as HTML: {err}", doc.source))
            return text, issues
    kramdown_ids = _kramdown_heading_ids(pipeline, text)
    out = _rewrite_kramdown(pipeline, doc, text, kramdown_ids, issues)
    out = goldmark_emphasis_blocks(pipeline.kramdown, out)
    if pipeline.kramdown.smart:
        out = markdown_typography(pipeline, out)
    return out, issues


_MASK = re.compile(
    r"<(code|kbd|samp|pre|script|style|math)\b[^>]*>.*?</\1>|\*+|~~|(?<!\w)_+|_+(?!\w)|\{[^{}]*\}\s*$"
    r"|\\.|`+[^`]*?`+|<!--.*?-->|<[A-Za-z/!][^<>]*>|\]\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|\{[#.][^}]*\}|\{:[^}]*\}|\[\^?[^\]]*\]:\s*\S+|&#?\w+;|https?://\S+",
    re.S,
)
_SKIP_LINE = re.compile(r"^\s*(?:\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?|[-*_=](?:\s*[-*_=]){2,})\s*$")


_TYPOGRAPHIC = re.compile(r"['\"]|--|\.\.\.|<<|>>")


_PLAIN_FENCE_OPEN = re.compile(r"(`{3,})[^`]*|(~{3,}).*")
_FENCE_LIKE = re.compile(r"[ \t>]*(?:`{3}|~{3})")


def markdown_typography(pipeline: ContentPipeline, text: str) -> str:
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


_PLAIN_HEADING = re.compile(r"#{1,6}[ \t]+([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)")


def _kramdown_heading_ids(pipeline: ContentPipeline, text: str) -> list[str]:
    """kramdown's ids for the ATX headings outside code, in order (from those headings alone: cheap)."""
    headings: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        bare = line.lstrip(" >")
        if fence is not None:
            if re.match(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", bare.strip()):
                fence = None
            continue
        f = _FENCE.match(bare)
        if f:
            fence = f.group(1)
        elif _ATX.match(line):
            headings.append(line.strip())
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
    pipeline: ContentPipeline, doc: ir.Document, text: str, kramdown_ids: list[str], issues: list[ir.Issue]
) -> str:
    parse_block_html = bool(re.search(r"\{::options\b[^}]*parse_block_html=[\"']?true", text))
    refs = "\n".join(line for line in text.split("\n") if _REF_DEF.match(line))
    text = _EXT_OPTIONS.sub("", text)
    text = _EXT_BLOCK.sub(
        lambda m: f"<!-- {m.group(2).strip()} -->" if m.group(1) == "comment" else m.group(2), text
    )
    text = _EXT_INLINE.sub(lambda m: "" if m.group(1) == "comment" else m.group(2), text)
    lines = _lazy_list_lines(text.split("\n"))
    code_lines = indented_code_lines(pipeline.kramdown, lines)  # nothing inside code is rewritten
    out: list[str] = []
    fence: str | None = None
    heading_index = 0
    used_ids: dict[str, int] = {}
    i = 0
    dropped_abbr = False
    pending: str | None = None  # an IAL written above its block: Goldmark wants it below
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
            if re.match(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", line.lstrip(" >")):
                fence = None
            i += 1
            continue
        f = _FENCE.match(line.lstrip(" >")) if line.lstrip(" >").startswith(("```", "~~~")) else None
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
            if j < len(lines) and (parse_block_html or _HAS_MD_ATTR.search(block)):
                # Goldmark cannot parse Markdown inside HTML: hand it kramdown's HTML for the element
                source = ('{::options parse_block_html="true" /}\n' if parse_block_html else "") + block
                rendered = pipeline.kramdown.convert(source + ("\n\n" + refs if refs else ""))
                out.extend(["", html_as_raw_block(rendered, wrap=False).strip("\n"), ""])
                i = j + 1
                continue
            if j < len(lines) and j > i:
                # kramdown keeps a balanced HTML element as one raw block; Goldmark would end it at a blank
                # line and read indented lines as code
                out.extend(["", html_as_raw_block(block, wrap=False).strip("\n"), ""])
                i = j + 1
                continue
        ial = _IAL_LINE.match(line.lstrip(" >")) if "{:" in line else None
        if ial:
            prefix = line[: len(line) - len(line.lstrip(" >"))]
            attrs = parse_ial(ial.group(1))
            if attrs.get("data-kd-toc"):
                # kramdown's generated table of contents: Hugo renders .TableOfContents in templates
                if out and re.match(r"^\s*[*+-]\s|^\s*1\.\s", out[-1]):
                    out.pop()
                issues.append(
                    ir.Issue(
                        "kramdown-toc",
                        "info",
                        "{:toc} removed: use Hugo's .TableOfContents in the layout",
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
            elif not prefix and (not out or not out[-1].strip()):
                pending, pending_started = _goldmark_attrs(attrs), False
            else:
                out.append(prefix + _goldmark_attrs(attrs))
            i += 1
            continue
        if _ABBR_DEF.match(line):
            dropped_abbr = True
            i += 1
            continue
        h = _ATX.match(line)
        if h:
            content = h.group(4)
            explicit = _HEADER_ID.search(content)
            kid = kramdown_ids[heading_index] if heading_index < len(kramdown_ids) else None
            heading_index += 1
            if explicit:
                content = content[: explicit.start()] + " {#" + explicit.group(1) + "}"
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
        if "{:" in line:
            new_line = _SPAN_IAL.sub("", line)
            if new_line != line:
                issues.append(
                    ir.Issue(
                        "kramdown-span-ial",
                        "info",
                        "span attribute list dropped (Goldmark has none)",
                        doc.source,
                    )
                )
            line = new_line
        if i not in code_lines:
            line = angle_links(line)
        out.append(line)
        i += 1
    if pending is not None and pending_started:
        out.append(pending)
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
