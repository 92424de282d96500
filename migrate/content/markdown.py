"""Markdown to HTML the way Jekyll's kramdown (``input: GFM``) writes it, on markdown-it-py."""

from __future__ import annotations

import bisect
import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Sequence, cast

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block.fence import fence as _cm_fence
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.autolink import autolink as _cm_autolink
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from migrate.content.kramdown_extensions import ABBREVIATIONS, abbreviations, kramdown_extensions_plugin
from migrate.content.kramdown_syntax import (
    ABBR_DEF,
    BLOCK_MODEL,
    BODYLESS_ELEMENTS,
    FENCE,
    HAS_MD_ATTR,
    HEADER_ID,
    HTML_BLOCK_ELEMENTS,
    IAL_LINE,
    IAL_SPAN,
    KNOWN_ELEMENTS,
    MD_ATTR_IN_TAG,
    MD_ATTR_TAG,
    OPTIONS_LINE,
    PARSE_BLOCK_HTML_ON,
    REF_DEF,
    SPAN_ELEMENTS,
    SPAN_IAL_AT,
    SPAN_MODEL,
    VOID_ELEMENTS,
    closing_fence,
    lazy_list_lines,
    parse_ial,
)
from migrate.content.typography import typographic

logger = logging.getLogger(__name__)



def _as_given(url: str) -> str:
    return url


def _any_link(url: str) -> bool:
    return True




def _merge_attrs(token: Token, attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "class" and token.attrGet("class"):
            token.attrSet("class", f"{token.attrGet('class')} {value}")
        else:
            token.attrSet(key, value)


def _is_word(c: str) -> bool:
    """Ruby's ``\\p{Word}``: letters, marks, decimal digits and connector punctuation."""
    cat = unicodedata.category(c)
    return cat[0] in "LM" or cat in ("Nd", "Pc")


def gfm_header_id(text: str) -> str:
    """kramdown-parser-gfm's id rule: lowercase, drop non-word characters, spaces to dashes."""
    result = "".join(c for c in text.lower() if c in "- \t" or _is_word(c))
    return result.replace(" ", "-").replace("\t", "-")


def kramdown_header_id(text: str) -> str:
    """kramdown's own id rule (its HTML converter's, used for headers the GFM parser does not reach, those
    inside HTML elements): drop leading non-letters, keep ASCII letters, digits, spaces and dashes."""
    result = re.sub(r"^[^a-zA-Z]+", "", text, flags=re.M)
    result = re.sub(r"[^a-zA-Z0-9 -]", "", result).replace(" ", "-").lower()
    return result or "section"


_LEAF_BLOCKS = ("fence", "code_block", "html_block", "hr", "kd_raw")
"""The blocks without children that an attribute list under them applies to."""


@dataclass
class _DocState:
    raw_blocks: list[str] = field(default_factory=list)
    id_counter: dict[str, int] = field(default_factory=dict)
    used_ids: dict[str, int] = field(default_factory=dict)


class KramdownConverter:
    """kramdown-flavoured Markdown -> HTML."""

    def __init__(
        self,
        *,
        auto_ids: bool = True,
        smart: bool = True,
        default_lang: str = "plaintext",
        auto_id_prefix: str = "",
        footnote_backlink: str = "&#8617;",
    ) -> None:
        self.auto_ids = auto_ids
        self.smart = smart
        self.default_lang = default_lang
        self.auto_id_prefix = auto_id_prefix
        self.footnote_backlink = footnote_backlink
        md = MarkdownIt("commonmark", {"xhtmlOut": True, "html": True, "typographer": False})
        md.enable(["strikethrough"])

        # kramdown writes link targets as given: no percent-encoding, no scheme filter
        md.normalizeLink = _as_given  # type: ignore[method-assign,assignment]
        md.normalizeLinkText = _as_given  # type: ignore[method-assign,assignment]
        md.validateLink = _any_link  # type: ignore[method-assign,assignment]
        # kramdown's link targets may hold spaces: a per-instance copy of the helpers with its rule
        md.helpers = SimpleNamespace(**{k: getattr(md.helpers, k) for k in md.helpers.__all__})  # type: ignore[assignment]
        md.helpers.parseLinkDestination = _kramdown_link_destination
        md.use(footnote_plugin)
        md.use(deflist_plugin)
        md.use(kramdown_extensions_plugin)
        md.inline.ruler.at("emphasis", _kramdown_emphasis)
        md.inline.ruler.before("emphasis", "kd_span_ial", _span_ial_text)
        md.inline.ruler.at("autolink", _kramdown_autolink)
        md.inline.ruler.after("autolink", "kd_raw_span_html", _raw_span_html)
        md.block.ruler.at(
            "html_block", _kramdown_html_block, {"alt": ["paragraph", "reference", "blockquote"]}
        )
        md.block.ruler.after("html_block", "kd_table", _kramdown_table)
        md.block.ruler.at("code", _kramdown_code_block)
        md.block.ruler.at("fence", _kramdown_fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})
        md.core.ruler.after("block", "kd_block_ial", self._block_ial_rule)
        md.core.ruler.after("kd_block_ial", "kd_lists", _list_paragraphs)
        md.core.ruler.after("kd_lists", "kd_task_lists", _task_lists)
        md.core.ruler.before("text_join", "kd_span_html", _balance_span_html)
        md.core.ruler.before("text_join", "kd_inline", self._inline_rule)
        r: dict[str, Any] = cast(RendererHTML, md.renderer).rules  # type: ignore[assignment]
        r["fence"] = self._render_fence
        r["code_block"] = self._render_fence
        r["code_inline"] = self._render_code_inline
        r["s_open"] = lambda *a: "<del>"
        r["s_close"] = lambda *a: "</del>"
        r["footnote_ref"] = self._render_footnote_ref
        r["footnote_block_open"] = lambda *a: '<div class="footnotes" role="doc-endnotes">\n<ol>\n'
        r["footnote_block_close"] = lambda *a: "</ol>\n</div>\n"
        r["footnote_open"] = self._render_footnote_open
        r["footnote_close"] = lambda *a: "</li>\n"
        r["footnote_anchor"] = self._render_footnote_anchor
        r["ordered_list_open"] = self._render_list_open
        r["image"] = self._render_image
        r["dl_open"] = lambda tokens, idx, *a: (
            "<dl"
            + "".join(
                f' {k}="{html.escape(str(v))}"'
                for k, v in tokens[idx].attrs.items()
                if k != "data-kd-auto-ids"
            )
            + ">\n"
        )
        r["html_block"] = lambda tokens, idx, *a: self.markdown_in_html(tokens[idx].content)
        r["html_inline"] = _render_html_inline
        self.md = md
        self._state = _DocState()
        self.parse_block_html = False

    # -- public ---------------------------------------------------------------------------------------
    def convert(self, text: str) -> str:
        outer = self._state
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth == 1:
            self.parse_block_html = False
            self._abbr_all = {
                m.group(1): m.group(2).strip() for m in map(ABBR_DEF.match, text.split("\n")) if m
            }
            refs = [line for line in text.split("\n") if REF_DEF.match(line)]
            self._refs_text = "\n".join(refs)
            self._refs_env: dict[str, Any] = {}
            if refs:
                self.md.parse(self._refs_text, self._refs_env)
        self._state = (
            _DocState(id_counter=outer.id_counter, used_ids=outer.used_ids)
            if self._depth > 1
            else _DocState()
        )
        env: dict[str, Any] = {}
        if self._depth > 1:
            # Markdown inside an HTML element: the document's abbreviations apply there too
            env[ABBREVIATIONS] = dict(getattr(self, "_abbr_all", {}))
        try:
            source = self._preprocess(text)
            tokens = self.md.parse(source, env)
            out = self.md.renderer.render(tokens, self.md.options, env)
            out = self._postprocess(out)
        finally:
            self._state = outer
            self._depth -= 1
        return out

    # -- preprocessing: kramdown extensions that are not CommonMark ---------------------------------------
    def _placeholder(self, html_text: str) -> str:
        self._state.raw_blocks.append(html_text)
        return f"<!--kdraw:{len(self._state.raw_blocks) - 1}-->"

    def _preprocess(self, text: str) -> str:
        lines = lazy_list_lines(text.split("\n"))
        out: list[str] = []
        i = 0
        fence: str | None = None
        while i < len(lines):
            line = lines[i]
            if fence is not None:
                out.append(line)
                if closing_fence(fence).match(line):
                    fence = None
                i += 1
                continue
            m = FENCE.match(line)
            if m:
                fence = m.group(1)
                out.append(line)
                i += 1
                continue
            if line[:4].lstrip(" ").startswith("<") and _OPEN_TAG_UNFINISHED.match(line):
                line = lines[i] = _join_start_tag(lines, i)
            if not (
                self.parse_block_html
                or "{::options" in line
                or HAS_MD_ATTR.search(line)
            ):
                # none of the kramdown extensions below can start on this line
                out.append(line)
                i += 1
                continue
            stripped = line.strip()
            opt = OPTIONS_LINE.match(stripped)
            if opt:
                self.parse_block_html = re.search(PARSE_BLOCK_HTML_ON, opt.group(1)) is not None or (
                    self.parse_block_html and "parse_block_html" not in opt.group(1)
                )
                i += 1
                continue
            if self.parse_block_html and re.match(
                r"^<(?:" + "|".join(sorted(BLOCK_MODEL)) + r")\b(?![^>]*\bmarkdown\s*=)", line, re.I
            ):
                line = re.sub(r"^(<[A-Za-z][\w-]*)", r'\1 markdown="1"', line)
                lines[i] = line
            hm = re.match(
                r"^<([a-zA-Z][\w-]*)\b([^>]*?)\bmarkdown\s*=\s*(\"1\"|'1'|1|\"block\"|\"span\")([^>]*)>(.*)$",
                line,
            )
            if hm:
                tag = hm.group(1)
                depth = 0
                body = []
                first_rest = hm.group(5)
                close_re = re.compile(rf"</{tag}\s*>", re.I)
                open_re = re.compile(rf"<{tag}\b", re.I)
                scan = [first_rest] + lines[i + 1 :]
                found = None
                for k, scan_line in enumerate(scan):
                    depth += len(open_re.findall(scan_line))
                    closes = close_re.findall(scan_line)
                    if closes and depth - len(closes) < 0:
                        found = k
                        break
                    depth -= len(closes)
                    body.append(scan_line)
                if found is not None:
                    last_line = scan[found]
                    cut = last_line.rfind(f"</{tag}")
                    pre = last_line[:cut]
                    if pre.strip():
                        body.append(pre)
                    whole = "\n".join(lines[i : i + 1 + found])
                    cut_at = whole.rfind(f"</{tag}")
                    close_end = whole.find(">", cut_at) + 1
                    html_text = self.markdown_in_html(whole[:close_end]) + whole[close_end:]
                    out.extend(["", self._placeholder(html_text), ""])
                    i = i + 1 + found
                    continue
                # never closed: kramdown ends the element with the document (and warns)
                whole = "\n".join(lines[i:]).rstrip("\n") + "\n"
                out.extend(["", self._placeholder(self.markdown_in_html(whole)), ""])
                i = len(lines)
                continue
            out.append(line)
            i += 1
        return "\n".join(out)

    def markdown_in_html(self, text: str) -> str:
        """Elements carrying ``markdown="1"`` get their content converted (span or block, per element)."""
        if not HAS_MD_ATTR.search(text):
            return text
        out: list[str] = []
        pos = 0
        for _ in range(1000):
            m = MD_ATTR_TAG.search(text, pos)
            if not m:
                break
            tag = m.group(1).lower()
            open_re = re.compile(rf"<{re.escape(tag)}(?=[\s/>])", re.I)
            close_re = re.compile(rf"</{re.escape(tag)}\s*>", re.I)
            depth = 1
            scan = m.end()
            close = None
            while True:
                o = open_re.search(text, scan)
                c = close_re.search(text, scan)
                if c is None:
                    break
                if o is not None and o.start() < c.start():
                    depth += 1
                    scan = o.end()
                    continue
                depth -= 1
                scan = c.end()
                if depth == 0:
                    close = c
                    break
            # an element never closed ends with the text (kramdown closes it at the end of the document)
            close_start, close_end = (close.start(), close.end()) if close else (len(text), len(text))
            inner = text[m.end() : close_start]
            attrs = _reserialise_attrs(m.group(2) + m.group(4))
            mode = m.group(3).strip("\"'")
            if mode == "span" or (mode != "block" and tag in SPAN_MODEL):
                converted = self.md.renderInline(inner.strip(), dict(self._refs_env))
            else:
                converted = "\n" + self.convert_nested(_dedent(inner.strip("\n")) + "\n")
                single = re.fullmatch(r"\n<p>((?:(?!<p[ >]).)*)</p>\n", converted, re.DOTALL)
                if single and not inner.startswith("\n") and not re.search(r"\n[ \t]*\n", inner.strip()):
                    converted = single.group(1)  # kramdown: a lone paragraph in an HTML element stays bare
            out.append(text[pos : m.start()])
            out.append(f"<{m.group(1)}{attrs}>{converted}</{m.group(1)}>")
            pos = close_end
        out.append(text[pos:])
        return "".join(out)

    def convert_nested(self, text: str) -> str:
        """Markdown inside an HTML element: the document's reference definitions still apply."""
        refs = getattr(self, "_refs_text", "")
        return self.convert(text + ("\n\n" + refs + "\n" if refs else ""))

    # -- block attribute lists -----------------------------------------------------------------------------
    def _block_ial_rule(self, state: Any) -> None:
        tokens: list[Token] = state.tokens
        lines = state.src.split("\n")
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "inline" and i > 0 and tokens[i - 1].type == "paragraph_open":
                content_lines = tok.content.split("\n")
                lead: dict[str, str] = {}
                while (
                    len(content_lines) > 1
                    and IAL_LINE.match(content_lines[0])
                    and not all(IAL_LINE.match(x) for x in content_lines)
                ):
                    lead.update(parse_ial(IAL_LINE.match(content_lines.pop(0)).group(1)))  # type: ignore[union-attr]
                if lead:
                    tok.content = "\n".join(content_lines)
                    para_open = tokens[i - 1]
                    first = para_open.map[0] if para_open.map else 0
                    before = lines[first - 1] if 0 < first <= len(lines) else ""
                    previous = self._previous_block(tokens, i - 1)
                    # an IAL right under a block (no blank line between) belongs to that block
                    target_lead = previous if previous is not None and before.strip(" >\t") else para_open
                    self._apply(target_lead, lead)
                ial_lines: list[str] = []
                while content_lines and IAL_LINE.match(content_lines[-1]):
                    ial_lines.insert(0, content_lines.pop())
                if ial_lines:
                    para_open = tokens[i - 1]
                    last_line = (para_open.map[1] - 1) if para_open.map else None
                    applied: list[tuple[Token, dict[str, str]]] = []
                    for n, ial in enumerate(ial_lines):
                        src_line = None if last_line is None else last_line - (len(ial_lines) - 1 - n)
                        attrs = parse_ial(IAL_LINE.match(ial).group(1))  # type: ignore[union-attr]
                        target: Token | None = self._ial_target(tokens, i - 1, lines, src_line)
                        if target is tokens[i - 1] and not content_lines:
                            # the paragraph was only IALs: they belong to the block right above them, or
                            # (after a blank line) to the block below
                            first = para_open.map[0] if para_open.map else 0
                            above = lines[first - 1] if 0 < first <= len(lines) else ""
                            if _blank_in_context(above, lines[first] if first < len(lines) else ""):
                                target = self._next_block(tokens, i)
                            else:
                                target = self._previous_block(tokens, i - 1)
                        if target is not None:
                            applied.append((target, attrs))
                    for target, attrs in applied:
                        self._apply(target, attrs)
                    if not content_lines:
                        del tokens[i - 1 : i + 2]
                        i -= 1
                        continue
                    tok.content = "\n".join(content_lines)
            i += 1

    @staticmethod
    def _apply(target: Token, attrs: dict[str, str]) -> None:
        if target.type in ("fence", "code_block"):
            target.meta.setdefault("ial", {}).update(attrs)
        else:
            _merge_attrs(target, attrs)

    @staticmethod
    def _next_block(tokens: list[Token], inline_idx: int) -> Token | None:
        close = inline_idx + 1
        if (
            close + 1 < len(tokens)
            and tokens[close + 1].level == tokens[close].level
            and tokens[close + 1].nesting >= 0
        ):
            return tokens[close + 1]
        return None

    @staticmethod
    def _previous_block(tokens: list[Token], idx: int) -> Token | None:
        level = tokens[idx].level
        j = idx - 1
        while j >= 0:
            t = tokens[j]
            if t.level == level and t.nesting == -1:
                depth = 0
                for k in range(j, -1, -1):
                    depth += tokens[k].nesting
                    if depth == 0:
                        return tokens[k]
                return None
            if t.level == level and t.nesting == 0 and t.type in _LEAF_BLOCKS:
                return t
            if t.level < level:
                return None
            j -= 1
        return None

    @staticmethod
    def _ial_target(tokens: list[Token], para_idx: int, lines: list[str], src_line: int | None) -> Token:
        """Which block an IAL on the paragraph's last line applies to (a container it is not inside)."""
        para = tokens[para_idx]
        if src_line is None or src_line >= len(lines):
            return para
        containers: list[Token] = []
        depth_stack: list[Token] = []
        for t in tokens[:para_idx]:
            if t.nesting == 1:
                depth_stack.append(t)
            elif t.nesting == -1 and depth_stack:
                depth_stack.pop()
        containers = [
            t
            for t in depth_stack
            if t.type in ("blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open")
        ]
        if not containers:
            return para
        line = lines[src_line]
        rest = line
        for c in containers:
            if c.type == "blockquote_open":
                m = re.match(r"^[ \t]{0,3}>[ \t]?", rest)
                if not m:
                    return c
                rest = rest[m.end() :]
            elif c.type in ("bullet_list_open", "ordered_list_open"):
                continue
            else:
                if not rest.startswith((" ", "\t")):
                    # outside the item: the IAL belongs to the list holding it
                    idx = containers.index(c)
                    return containers[idx - 1] if idx > 0 else c
                rest = rest.lstrip(" \t")
        return para

    # -- inline: header ids, span IALs, typography, abbreviations --------------------------------------------
    def _inline_rule(self, state: Any) -> None:
        tokens: list[Token] = state.tokens
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open":
                inline = tokens[i + 1]
                m = HEADER_ID.search(inline.content)
                if m:
                    tok.attrSet("id", m.group(1))
                    self._strip_trailing(inline, m.group(0))
            if tok.type == "inline" and tok.children is not None:
                self._span_ials(tok.children)
                if self.smart:
                    self._typography(tok.children)
                if state.env.get(ABBREVIATIONS):
                    tok.children = abbreviations(state.env[ABBREVIATIONS], tok.children)
            if (
                tok.type == "inline"
                and i > 0
                and tokens[i - 1].type == "dt_open"
                and self._auto_ids_dl(tokens, i)
            ):
                raw_text = "".join(
                    c.content for c in (tok.children or []) if c.type in ("text", "code_inline")
                )
                tokens[i - 1].attrSet("id", gfm_header_id(raw_text))
            if (
                tok.type == "inline"
                and i > 0
                and tokens[i - 1].type == "heading_open"
                and self.auto_ids
                and tokens[i - 1].attrGet("id") is None
            ):
                # entities count as the characters they stand for (kramdown-parser-gfm's raw text)
                raw_text = "".join(
                    c.content
                    for c in (tok.children or [])
                    if c.type in ("text", "text_special", "code_inline")
                )
                tok = tokens[i - 1]
                if self._depth > 1:
                    # inside an HTML element kramdown-parser-gfm leaves the id to kramdown's converter,
                    # which has its own rule and its own counter
                    base = kramdown_header_id(raw_text)
                    count = self._state.used_ids.get(base, -1) + 1
                    self._state.used_ids[base] = count
                    tok.attrSet("id", self.auto_id_prefix + (base if count == 0 else f"{base}-{count}"))
                    continue
                base = self.auto_id_prefix + gfm_header_id(raw_text)
                count = self._state.id_counter.get(base, -1) + 1
                self._state.id_counter[base] = count
                tok.attrSet("id", base if count == 0 else f"{base}-{count}")

    @staticmethod
    def _auto_ids_dl(tokens: list[Token], idx: int) -> bool:
        level = tokens[idx - 1].level - 1
        for k in range(idx - 1, -1, -1):
            if tokens[k].type == "dl_open" and tokens[k].level == level:
                if tokens[k].attrGet("data-kd-auto-ids") is not None:
                    return True
                return False
        return False

    @staticmethod
    def _strip_trailing(inline: Token, suffix: str) -> None:
        inline.content = inline.content[: len(inline.content) - len(suffix)]
        children = inline.children or []
        for child in reversed(children):
            if child.type == "text":
                child.content = HEADER_ID.sub("", child.content)
                break

    @staticmethod
    def _span_ials(children: list[Token]) -> None:
        for j, child in enumerate(children):
            if child.type != "text" or j == 0:
                continue
            m = IAL_SPAN.match(child.content)
            if not m:
                continue
            prev = children[j - 1]
            target: Token | None = None
            if prev.type in ("image", "code_inline"):
                target = prev
            elif prev.nesting == -1:
                depth = 0
                for k in range(j - 1, -1, -1):
                    depth += children[k].nesting
                    if depth == 0:
                        target = children[k]
                        break
            if target is None:
                continue
            attrs = parse_ial(m.group(1))
            if target.type == "code_inline":
                target.meta.setdefault("ial", {}).update(attrs)
            else:
                _merge_attrs(target, attrs)
            child.content = child.content[m.end() :]

    @staticmethod
    def _typography(children: list[Token]) -> None:
        in_code = 0
        prev: str | None = None
        for idx, child in enumerate(children):
            kind = child.type
            if kind == "html_inline":
                opens = len(re.findall(r"<(?:code|kbd|pre|script|math)\b", child.content, re.I))
                closes = len(re.findall(r"</(?:code|kbd|pre|script|math)>", child.content, re.I))
                in_code = max(0, in_code + opens - closes)
                prev = None
                continue
            if kind == "text_special":
                prev = None  # an escape or entity ends kramdown's text run
                continue
            if kind in ("softbreak", "hardbreak"):
                prev = "\n"
                continue
            if kind != "text" or in_code:
                prev = None
                continue
            after = _source_after(children, idx + 1)
            source = child.content
            child.content = typographic(source, before=prev, after=after)
            prev = None if _ENDS_WITH_SYMBOL.search(source) else (child.content[-1:] or prev)

    # -- rendering -------------------------------------------------------------------------------------------
    def _render_fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        tok = tokens[idx]
        info = tok.info.strip().split()[0] if tok.info and tok.info.strip() else ""
        ial = tok.meta.get("ial", {})
        classes = ial.get("class", "").split()
        lang = info
        extra_classes = []
        for c in classes:
            if c.startswith("language-") and not lang:
                lang = c[len("language-") :]
            elif not c.startswith("language-"):
                extra_classes.append(c)
        lang = lang or self.default_lang
        code = tok.content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        cls = " ".join(([f"language-{lang}"] if lang else []) + ["highlighter-rouge"] + extra_classes)
        other = "".join(f' {k}="{html.escape(v)}"' for k, v in ial.items() if k != "class")
        return (
            f'<div class="{cls}"{other}><div class="highlight"><pre class="highlight"><code>{code}'
            f"</code></pre></div></div>\n"
        )

    def _render_image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        tok = tokens[idx]
        attrs = dict(tok.attrs)
        src = attrs.pop("src", "")
        title = attrs.pop("title", None)
        alt = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", tok.content)  # kramdown keeps the label as written
        extra = "".join(f' {k}="{html.escape(str(v))}"' for k, v in attrs.items() if k != "alt")
        title_attr = f' title="{html.escape(str(title))}"' if title else ""
        return f'<img src="{html.escape(str(src))}" alt="{_escape_attribute(alt)}"{title_attr}{extra} />'

    def _render_code_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        tok = tokens[idx]
        ial = tok.meta.get("ial", {})
        classes = ial.get("class", "").split()
        lang = next((c[9:] for c in classes if c.startswith("language-")), self.default_lang)
        rest = [c for c in classes if not c.startswith("language-")]
        cls = " ".join(([f"language-{lang}"] if lang else []) + ["highlighter-rouge"] + rest)
        other = "".join(f' {k}="{html.escape(v)}"' for k, v in ial.items() if k != "class")
        code = tok.content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<code class="{cls}"{other}>{code}</code>'

    @staticmethod
    def _fn_label(tok: Token) -> str:
        label = tok.meta.get("label")
        return str(label) if label is not None else str(tok.meta["id"] + 1)

    def _render_footnote_ref(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        tok = tokens[idx]
        label = self._fn_label(tok)
        sub = tok.meta.get("subId", 0)
        ref_id = f"fnref:{label}" + (f":{sub}" if sub else "")
        number = tok.meta["id"] + 1
        return (
            f'<sup id="{ref_id}" role="doc-noteref"><a href="#fn:{label}" class="footnote" '
            f'rel="footnote">{number}</a></sup>'
        )

    def _render_footnote_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        return f'<li id="fn:{self._fn_label(tokens[idx])}" role="doc-endnote">\n'

    def _render_footnote_anchor(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        tok = tokens[idx]
        label = self._fn_label(tok)
        sub = tok.meta.get("subId", 0)
        ref_id = f"fnref:{label}" + (f":{sub}" if sub else "")
        mark = self.footnote_backlink + (f"<sup>{sub + 1}</sup>" if sub else "")
        sep = "\u00a0" if sub == 0 else " "
        return f'{sep}<a href="#{ref_id}" class="reversefootnote" role="doc-backlink">{mark}</a>'

    def _render_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
        tok = tokens[idx]
        if "start" in tok.attrs:
            del tok.attrs["start"]  # kramdown never writes a start number
        renderer = self.md.renderer
        return renderer.renderToken(tokens, idx, options, env)  # type: ignore[attr-defined]

    # -- after rendering -----------------------------------------------------------------------------------
    def _postprocess(self, out: str) -> str:
        raw = self._state.raw_blocks

        def put_back(m: re.Match[str]) -> str:
            return raw[int(m.group(1))]

        for _ in range(3):
            if "<!--kdraw:" not in out:
                break
            out = re.sub(r"<!--kdraw:(\d+)-->\n?", lambda m: put_back(m) + "\n", out)
        out = re.sub(r'style="text-align:(left|right|center)"', r'style="text-align: \1"', out)
        out = _toc(out)
        return out


_ENDS_WITH_SYMBOL = re.compile(r"(?:--|\.\.\.|<<|>>)$")


_EM_STACK = "_kd_em_stack"
_EM_CACHE = "_kd_em_cache"
_EM_SPANS = "_kd_em_spans"


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool, str, str]:
    """CommonMark's left- and right-flanking of the delimiter run ``text[start:end]`` (widened to the
    whole run), and the characters around it."""
    while start > 0 and text[start - 1] == text[start]:
        start -= 1
    while end < len(text) and text[end] == text[end - 1]:
        end += 1
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "

    def punct(c: str) -> bool:
        return unicodedata.category(c)[0] in "PS"

    left = not after.isspace() and (not punct(after) or before.isspace() or punct(before))
    right = not before.isspace() and (not punct(before) or after.isspace() or punct(after))
    return left, right, before, after


def _can_open_close(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether CommonMark lets the delimiter run at ``text[start:end]`` open, and close, emphasis."""
    left, right, before, after = _flanking(text, start, end)
    if text[start] == "_":
        return (
            left and (not right or unicodedata.category(before)[0] in "PS"),
            right and (not left or unicodedata.category(after)[0] in "PS"),
        )
    return left, right


def goldmark_emphasis(converter: KramdownConverter, text: str) -> str:
    """Markdown text whose emphasis CommonMark reads as kramdown does: an emphasis kramdown makes but
    CommonMark would not (``**x。**y``: a closing run after punctuation and before a letter) is written
    with HTML tags, and a delimiter kramdown takes as text is escaped where CommonMark could pair it."""
    if "*" not in text and "_" not in text:
        return text
    md = converter.md
    state = StateInline(text, md, {}, [])
    spans: list[tuple[int, int, str, str]] = []
    setattr(state, _EM_SPANS, spans)
    md.inline.tokenize(state)
    edits: list[tuple[int, int, str]] = []
    urls = [m.span() for m in re.finditer(r"(?:https?://|www\.)\S+", text)]
    for open_at, close_at, delim, element in spans:
        if close_at < 0:  # a literal delimiter
            if any(a <= open_at < b for a, b in urls):
                continue  # a bare URL stays as written (Goldmark links it whole)
            if any(_can_open_close(text, open_at, open_at + len(delim))):
                edits.append((open_at, open_at + len(delim), "".join("\\" + c for c in delim)))
            continue
        if not (
            _can_open_close(text, open_at, open_at + len(delim))[0]
            and _can_open_close(text, close_at, close_at + len(delim))[1]
        ):
            edits.append((open_at, open_at + len(delim), f"<{element}>"))
            edits.append((close_at, close_at + len(delim), f"</{element}>"))
    for begin, end, tag in sorted(edits, reverse=True):
        text = text[:begin] + tag + text[end:]
    return text


def goldmark_emphasis_blocks(converter: KramdownConverter, text: str) -> str:
    """:func:`goldmark_emphasis` on each paragraph and heading of a Markdown text (an emphasis may span
    the lines of a paragraph); code, HTML and tables are left alone."""
    if "*" not in text and "_" not in text:
        return text
    tokens: list[Token] = []
    converter.md.block.parse(text, converter.md, {}, tokens)
    lines = text.split("\n")
    for i, tok in enumerate(tokens):
        if (
            tok.type != "inline"
            or not tok.map
            or tokens[i - 1].type not in ("paragraph_open", "heading_open")
        ):
            continue
        first, last = tok.map
        chunk = lines[first:last]
        if not any("*" in x or "_" in x for x in chunk) or any(x.lstrip().startswith(">") for x in chunk):
            continue
        new = goldmark_emphasis(converter, "\n".join(chunk)).split("\n")
        if len(new) == len(chunk):
            lines[first:last] = new
    return "\n".join(lines)


def _kramdown_emphasis(state: StateInline, silent: bool) -> bool:
    """kramdown's emphasis: ``*``/``_`` (em) and ``**``/``__`` (strong) close at the first matching
    delimiter that follows a non-space (not ``**`` for em, not ``_`` + letter or digit for ``_``); inside
    an em another em is text, inside a strong another strong; an unclosed strong is tried as an em one
    character later. No flanking rules: ``**x。**y`` is strong."""
    src = state.src
    pos = state.pos
    marker = src[pos]
    if marker not in "*_":
        return False
    result = marker * 2 if src.startswith(marker * 2, pos) else marker
    element = "strong" if len(result) == 2 else "em"
    stack: list[str] = getattr(state, _EM_STACK, None) or []
    after = src[pos + len(result) : pos + len(result) + 1]
    if (marker == "_" and _after_letter(src, pos)) or after.isspace() or element in stack:
        return _literal(state, result, silent)
    start = pos + len(result)
    close = _emphasis_close(state, start, result, element, stack)
    delim = result
    if close is None and element == "strong" and (not stack or stack[-1] != "em"):
        start = pos + 1
        delim = marker
        element = "em"
        close = _emphasis_close(state, start, delim, element, stack)
    if close is None:
        return _literal(state, result, silent)
    if not silent:
        spans = getattr(state, _EM_SPANS, None)
        if spans is not None:
            spans.append((start - len(delim), close, delim, element))
        tag = element
        token = state.push(f"{tag}_open", tag, 1)
        token.markup = delim
        old_max = state.posMax
        state.pos, state.posMax = start, close
        setattr(state, _EM_STACK, [*stack, element])
        state.md.inline.tokenize(state)
        setattr(state, _EM_STACK, stack)
        state.posMax = old_max
        token = state.push(f"{tag}_close", tag, -1)
        token.markup = delim
    state.pos = close + len(delim)
    return True




def _span_ial_text(state: StateInline, silent: bool) -> bool:
    """A span IAL is one piece of text for kramdown: no emphasis inside ``{:target="_blank"}``."""
    if not state.src.startswith("{:", state.pos):
        return False
    m = SPAN_IAL_AT.match(state.src, state.pos, state.posMax)
    if not m:
        return False
    if not silent:
        state.pending += m.group(0)
    state.pos = m.end()
    return True


_AUTOLINK = re.compile(r"<(?:(?:mailto|https?|ftps?):.+?|[\w.-]+?@[\w.-]+?)>")


def _kramdown_autolink(state: StateInline, silent: bool) -> bool:
    """kramdown's autolinks: only mailto, http(s) and ftp(s) URLs and e-mail addresses (``<macro:code>``
    is an HTML tag for it)."""
    if not _AUTOLINK.match(state.src, state.pos, state.posMax):
        return False
    return bool(_cm_autolink(state, silent))


_UNAME = r"[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?"
_SPAN_TAG = re.compile(
    rf"""<({_UNAME})((?:\s+{_UNAME}(?:\s*=\s*(?:[\w-]+|"[^"]*"|'[^']*'))?)*)\s*(/)?>""", re.S
)
_ANY_TAG = re.compile(rf"""<(/?)({_UNAME})(?:\s+[^<>]*?)?\s*(/?)>""", re.S)


def _raw_span_html(state: StateInline, silent: bool) -> bool:
    """An inline element whose content kramdown does not parse (its content model is raw: ``code``,
    ``kbd``, ``samp``, ``var``, ``script``, ... and every element it does not know, ``<notextile>``,
    ``<macro:code>``): kept as written up to its end tag, or closed at the end of the paragraph."""
    if state.src[state.pos] != "<":
        return False
    m = _SPAN_TAG.match(state.src, state.pos, state.posMax)
    if not m:
        return False
    name = m.group(1)
    low = name.lower()
    known = low in KNOWN_ELEMENTS
    if known:
        name = low
    md_attr = re.search(r"""\bmarkdown\s*=\s*["']?(\w+)""", m.group(2))
    raw = md_attr.group(1) == "0" if md_attr else False
    if name in BODYLESS_ELEMENTS or m.group(3) or name in BLOCK_MODEL:
        return False
    if (name in SPAN_MODEL and not raw) or (md_attr and md_attr.group(1) == "span"):
        return False
    stop = re.compile(rf"</{re.escape(name)}\s*>", re.I if known else 0)
    close = stop.search(state.src, m.end(), state.posMax)
    end = close.end() if close else state.posMax
    if not silent:
        text = state.src[state.pos : end]
        if md_attr:
            text = (
                text[: m.start(2) - state.pos]
                + MD_ATTR_IN_TAG.sub("", m.group(2))
                + text[m.end(2) - state.pos :]
            )
        if not close:
            text += "".join(f"</{n}>" for n in reversed(_unclosed([name], state.src[m.end() : end])))
        token = state.push("html_inline", "", 0)
        token.content = text
    state.pos = end
    return True


def _unclosed(stack: list[str], text: str) -> list[str]:
    """The elements still open at the end of ``text`` (kramdown closes each at the paragraph's end)."""
    stack = list(stack)
    for t in _ANY_TAG.finditer(text):
        name = t.group(2)
        if t.group(1):
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
        elif not t.group(3) and name.lower() not in BODYLESS_ELEMENTS:
            stack.append(name)
    return stack


def _after_letter(src: str, pos: int) -> bool:
    """kramdown's ``/[[:alpha:]]-?[[:alpha:]]*\\z/`` on the text before ``pos``: a letter, or a letter
    and a dash, right before it."""
    before = src[pos - 1] if pos > 0 else ""
    return before.isalpha() or (before == "-" and pos > 1 and src[pos - 2].isalpha())


def _literal(state: StateInline, text: str, silent: bool) -> bool:
    if not silent and getattr(state, _EM_SPANS, None) is not None and text[0] in "*_":
        getattr(state, _EM_SPANS).append((state.pos, -1, text, ""))
    if not silent:
        # a token of its own: kramdown's smart quotes see the text after it as a new run
        token = state.push("text_special", "", 0)
        token.content = token.markup = text
        token.info = "kd_delimiter"
    state.pos += len(text)
    return True


def _emphasis_close(state: StateInline, start: int, delim: str, element: str, stack: list[str]) -> int | None:
    """Where the emphasis opened before ``start`` closes: the first position kramdown accepts, skipping
    over code spans, links and other spans as its span parser does."""
    key = (start, delim, element, tuple(stack), state.posMax)
    cache: dict[Any, int | None] | None = getattr(state, _EM_CACHE, None)
    if cache is None:
        cache = {}
        setattr(state, _EM_CACHE, cache)
    if key in cache:
        return cache[key]
    src = state.src
    # the positions where such an emphasis could close at all (a scan from ``start`` is only worth it
    # when one follows: without this a paragraph of unclosed delimiters costs quadratic time)
    candidates_key = ("candidates", delim, element)
    candidates = cache.get(candidates_key)  # type: ignore[call-overload]
    if candidates is None:
        candidates = [
            m.start()
            for m in re.finditer(re.escape(delim), src)
            if m.start() > 0
            and not src[m.start() - 1].isspace()
            and not (
                element == "em"
                and src.startswith(delim * 2, m.start())
                and not src.startswith(delim * 3, m.start())
            )
            and not (delim[0] == "_" and src[m.end() : m.end() + 1].isalnum())
        ]
        cache[candidates_key] = candidates  # type: ignore[index]
    n = bisect.bisect_right(candidates, start)
    if n >= len(candidates) or candidates[n] >= state.posMax:
        cache[key] = None
        return None
    saved_pos = state.pos
    setattr(state, _EM_STACK, [*stack, element])
    rules = state.md.inline.ruler.getRules("")
    found: int | None = None
    state.pos = start
    context = (delim, element, tuple(stack), state.posMax)
    visited: list[int] = []
    while state.pos < state.posMax:
        q = state.pos
        if q > start:
            # scans from different starts that reach one position go on alike from there
            known = cache.get(("from", q, context), False)  # type: ignore[call-overload]
            if known is not False:
                found = known
                break
            visited.append(q)
        if (
            src.startswith(delim, q)
            and q > start
            and not src[q - 1].isspace()
            and not (element == "em" and src.startswith(delim * 2, q) and not src.startswith(delim * 3, q))
            and not (delim[0] == "_" and src[q + len(delim) : q + len(delim) + 1].isalnum())
        ):
            found = q
            break
        ok = False
        if state.level < state.md.options["maxNesting"]:
            for rule in rules:
                state.level += 1
                ok = rule(state, True)
                state.level -= 1
                if ok:
                    break
        if not ok:
            state.pos = q + 1
    setattr(state, _EM_STACK, stack)
    state.pos = saved_pos
    cache[key] = found
    for q in visited:
        cache[("from", q, context)] = found  # type: ignore[index]
    return found


def _escape_attribute(text: str) -> str:
    """kramdown's attribute escaping: a named entity as written stays one."""
    text = re.sub(r"&(?!\w+;)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")




def _render_html_inline(tokens: Sequence[Token], idx: int, *args: Any) -> str:
    """An inline tag as written, less its ``markdown`` attribute (kramdown's HTML parser consumes it)."""
    content = tokens[idx].content
    if content.startswith("<") and HAS_MD_ATTR.search(content):
        return MD_ATTR_IN_TAG.sub("", content)
    return content


def _source_after(children: list[Token], start: int, size: int = 3) -> str:
    """The source text (its first few characters) of the inline tokens from ``start`` on."""
    text = ""
    for n in range(start, len(children)):
        if len(text) >= size:
            break
        tok = children[n]
        kind = tok.type
        if kind == "text":
            text += tok.content
        elif kind.endswith("break"):
            text += "\n"
        elif kind == "code_inline":
            text += tok.markup + tok.content
        elif kind in ("text_special", "html_inline"):
            text += tok.markup or tok.content
        elif kind == "link_open":
            text += "["
        elif kind == "link_close":
            text += "]"
        elif kind == "image":
            text += "!["
        else:
            text += tok.markup or "<"
    return text[:size]


_TOC_LIST = re.compile(r'<(ul|ol)([^>]*?) data-kd-toc="1"([^>]*)>.*?</\1>\n?', re.DOTALL)
_HEADING = re.compile(r"<h([1-6])([^>]*)>(.*?)</h\1>", re.DOTALL)


def _toc(out: str) -> str:
    """Replace the list marked ``{:toc}`` by kramdown's table of contents."""
    m = _TOC_LIST.search(out)
    if not m:
        return out
    tag = m.group(1)
    attrs = (m.group(2) + m.group(3)).strip()
    headings: list[tuple[int, str, str]] = []
    for h in _HEADING.finditer(out):
        id_m = re.search(r'\bid="([^"]*)"', h.group(2))
        cls_m = re.search(r'\bclass="([^"]*)"', h.group(2))
        if not id_m or (cls_m and "no_toc" in cls_m.group(1).split()):
            continue
        text = re.sub(r"</?a\b[^>]*>", "", h.group(3))
        text = re.sub(r'<sup id="fnref[^"]*".*?</sup>', "", text)
        headings.append((int(h.group(1)), id_m.group(1), text))
    list_id = 'id="markdown-toc"' if 'id="' not in attrs else ""
    open_tag = f"<{tag} {list_id}{(' ' + attrs) if attrs else ''}>".replace("  ", " ").replace(" >", ">")

    def build(items: list[tuple[int, str, str]], first: bool) -> str:
        parts = [open_tag if first else f"<{tag}>"]
        i = 0
        while i < len(items):
            level, hid, text = items[i]
            j = i + 1
            while j < len(items) and items[j][0] > level:
                j += 1
            children = items[i + 1 : j]
            link = f'<a href="#{hid}" id="markdown-toc-{hid}">{text}</a>'
            parts.append(f"<li>{link}" + (build(children, False) if children else "") + "</li>")
            i = j
        parts.append(f"</{tag}>")
        return "\n".join(parts)

    if not headings:
        return out[: m.start()] + out[m.end() :]
    return out[: m.start()] + build(headings, True) + "\n" + out[m.end() :]


_LAZY_CODE_STOP = re.compile(
    r"\{:(?![:/])|\^\s*$|</?(?!(?:" + "|".join(sorted(SPAN_ELEMENTS)) + r")\b)[A-Za-z_][\w.:-]*"
)
_TAG_START = re.compile(r"^<(/?)([A-Za-z][\w-]*)(?=[\s/>]|$)")


_TABLE_PIPE = re.compile(r"^(?:\||.*?[^\\\n]\|)")
_TABLE_SEP = re.compile(r"^[+|: \t-]*?-[+|: \t-]*?[ \t]*$")
_TABLE_FSEP = re.compile(r"^[+|: \t=]*?=[+|: \t=]*?[ \t]*$")
_TABLE_ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
_BLOCK_BOUNDARY = re.compile(r"^(?:[ \t]*$| {0,3}#| {0,3}\^[ \t]*$| {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$)")


def _table_cells(row: str) -> list[str]:
    """A row's cells as kramdown splits them: at pipes not escaped and not inside a code span."""
    cells: list[str] = []
    current = ""
    pos = 0
    while pos < len(row):
        c = row[pos]
        if c == "`":
            run = re.match(r"`+", row[pos:]).group(0)  # type: ignore[union-attr]
            close = re.compile(rf"(?<!`){run}(?!`)").search(row, pos + len(run))
            if close:
                current += row[pos : close.end()]
                pos = close.end()
                continue
            current += run
            pos += len(run)
            continue
        if c == "\\" and row[pos + 1 : pos + 2] == "|":
            current += "|"
            pos += 2
            continue
        if c == "|":
            cells.append(current)
            current = ""
        else:
            current += c
        pos += 1
    cells.append(current)
    return cells


def _outside_code(row: str) -> str:
    """A table line less its code spans and HTML tags."""
    row = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", row)
    return re.sub(r"<[^<>]*>", "", row)


def _kramdown_table(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """kramdown's tables: every line holding a pipe, a separator line (``|---|:-:|``) after the first
    rows makes them the header, later separators start a new body, ``|===|`` a footer; no header is
    needed; a pipe inside a code span or escaped does not split a cell; the line after must end the
    block. A table with no body row is not one."""
    if (
        state.is_code_block(start_line)
        or "|" not in state.src[state.bMarks[start_line] : state.eMarks[start_line]]
    ):
        return False

    def text(line: int) -> str:
        return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]  # type: ignore[no-any-return]

    first = text(start_line)
    if re.match(r"#{1,6}(?:[ \t]|$)", first) or (
        start_line + 1 < end_line and re.match(r"^ {0,3}(?:-+|=+)[ \t]*$", text(start_line + 1))
    ):
        return False  # a header comes first for kramdown
    if not _TABLE_PIPE.match(first) and not _TABLE_PIPE.match(" " * state.tShift[start_line] + first):
        return False
    leading_pipe = first.startswith("|")
    sections: list[tuple[str, list[list[str]]]] = []
    rows: list[list[str]] = []
    alignment: list[str] = []
    has_footer = False
    line = start_line

    def close_section(kind: str, force: bool) -> None:
        nonlocal rows
        if not has_footer or kind != "tbody" or force:
            sections.append((kind, rows))
            rows = []

    while line < end_line:
        if state.sCount[line] < state.blkIndent:
            break
        row = text(line)
        if not _TABLE_PIPE.match(row):
            break
        if not _TABLE_PIPE.match(_outside_code(row)):
            return False  # kramdown wants a pipe outside code spans and HTML tags on every line
        if _TABLE_SEP.match(row):
            if not rows:
                pass
            elif not alignment and not has_footer and not any(k == "thead" for k, _ in sections):
                close_section("thead", False)
                alignment = [
                    "default" if not a and not b else "left" if not b else "right" if not a else "center"
                    for a, b in _TABLE_ALIGN.findall(row)
                ]
            else:
                close_section("tbody", False)
        elif _TABLE_FSEP.match(row):
            if rows:
                close_section("tbody", True)
            has_footer = True
        else:
            cells = _table_cells(row.rstrip(" \t"))
            if leading_pipe and cells and not cells[0].strip():
                cells.pop(0)
            if cells and not cells[-1].strip():
                cells.pop()
            rows.append([c.strip() for c in cells])
        line += 1
    if line < end_line and not _BLOCK_BOUNDARY.match(text(line)) and state.sCount[line] >= state.blkIndent:
        return False
    if rows:
        close_section("tfoot" if has_footer else "tbody", False)
    if not any(kind == "tbody" for kind, _ in sections):
        return False
    if silent:
        return True
    columns = max((len(r) for _, rs in sections for r in rs), default=0)
    alignment = (alignment + ["default"] * columns)[:columns]
    state.line = line
    token = state.push("table_open", "table", 1)
    token.map = [start_line, line]
    for kind, rs in sections:
        state.push(f"{kind}_open", kind, 1)
        cell_tag = "th" if kind == "thead" else "td"
        for r in rs:
            state.push("tr_open", "tr", 1)
            for n in range(columns):
                token = state.push(f"{cell_tag}_open", cell_tag, 1)
                if alignment[n] != "default":
                    token.attrSet("style", f"text-align: {alignment[n]}")
                token = state.push("inline", "", 0)
                token.content = r[n] if n < len(r) else ""
                token.map = [start_line, line]
                token.children = []
                state.push(f"{cell_tag}_close", cell_tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{kind}_close", kind, -1)
    state.push("table_close", "table", -1)
    return True


def _kramdown_code_block(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """An indented code block as kramdown reads it: indented lines, blank lines between them, and any
    line right under one that starts no HTML element, attribute list or end-of-block marker (kramdown
    takes such a lazy line into the code)."""
    if state.sCount[start_line] - state.blkIndent < 4:
        return False
    last = line = start_line + 1
    lazy: list[int] = []
    while line < end_line:
        if state.isEmpty(line):
            line += 1
            continue
        if state.sCount[line] - state.blkIndent >= 4:
            line += 1
            last = line
            continue
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if line == last and state.sCount[line] >= state.blkIndent and not _LAZY_CODE_STOP.match(text):
            lazy.append(line)
            line += 1
            last = line
            continue
        break
    if silent:
        return True
    state.line = last
    token = state.push("code_block", "code", 0)
    parts = [state.getLines(start_line, last, 4 + state.blkIndent, False)]
    if lazy:
        # kramdown joins a lazy line to the line above it with a space
        parts = []
        begin = start_line
        for n in lazy:
            parts.append(state.getLines(begin, n, 4 + state.blkIndent, False) + " ")
            begin = n
        parts.append(state.getLines(begin, last, 4 + state.blkIndent, False))
    token.content = "".join(parts) + "\n"
    token.map = [start_line, state.line]
    return True


def _kramdown_fence(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """A fenced code block whose fence is indented keeps its lines as written: kramdown strips only the
    indentation of the block holding it (a list item's), never the fence's own 1-3 spaces."""
    if not _cm_fence(state, start_line, end_line, silent):
        return False
    if not silent and state.sCount[start_line] > state.blkIndent:
        token = state.tokens[-1]
        lines = token.content.count("\n")
        token.content = state.getLines(start_line + 1, start_line + 1 + lines, state.blkIndent, True)
    return True


def _kramdown_html_block(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """HTML blocks as kramdown finds them: block-level tags only, ending at the balancing close tag."""
    pos = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    if state.is_code_block(start_line) or pos >= maximum or state.src[pos] != "<":
        return False
    line_text = state.src[pos:maximum]
    if line_text.startswith(("<!--", "<?", "<!")):
        from markdown_it.rules_block.html_block import html_block

        return html_block(state, start_line, end_line, silent)
    m = _TAG_START.match(line_text)
    if not m:
        return False
    closing, name = m.group(1), m.group(2).lower()
    if name in SPAN_ELEMENTS or closing:
        return False  # a span tag starts a paragraph; so does an end tag closing nothing (it is text)
    if silent:
        return True
    next_line = start_line + 1
    if not closing and name not in VOID_ELEMENTS and not re.search(r"/>\s*$", line_text.split(">")[0] + ">"):
        open_re = re.compile(rf"<{re.escape(name)}(?=[\s/>])", re.I)
        close_re = re.compile(rf"</{re.escape(name)}\s*>", re.I)
        depth = 0
        line = start_line
        found = False
        while line < end_line:
            text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
            if line > start_line and state.sCount[line] < state.blkIndent and text:
                break
            depth += len(open_re.findall(text)) - len(close_re.findall(text))
            line += 1
            if depth <= 0:
                found = True
                break
        if found:
            next_line = line
        else:
            while next_line < end_line and not state.isEmpty(next_line):
                next_line += 1
    state.line = next_line
    token = state.push("html_block", "", 0)
    token.map = [start_line, next_line]
    token.content = state.getLines(start_line, next_line, state.blkIndent, True)
    return True


_INLINE_TAG = re.compile(r"<(/?)([A-Za-z_][\w.:-]*)[^>]*?(/?)>\s*$", re.S)


def _balance_span_html(state: Any) -> None:
    """HTML tags inside a paragraph as kramdown's span parser takes them: a block-level tag, or an end tag
    that closes no element opened in the paragraph, is text; an element left open is closed at the
    paragraph's end."""
    for tok in state.tokens:
        if tok.type != "inline" or not tok.children or not any(c.type == "html_inline" for c in tok.children):
            continue
        stack: list[str] = []
        for child in tok.children:
            if child.type != "html_inline":
                continue
            m = _INLINE_TAG.match(child.content)
            if not m or child.content.startswith(("<!", "<?")):
                continue
            name = m.group(2).lower() if m.group(2).lower() in KNOWN_ELEMENTS else m.group(2)
            if name in HTML_BLOCK_ELEMENTS or (m.group(1) and (not stack or stack[-1] != name)):
                child.type = "text_special"  # written escaped, as text
                continue
            if m.group(1):
                stack.pop()
            elif not m.group(3) and name not in BODYLESS_ELEMENTS:
                stack.append(name)
        for name in reversed(stack):
            close = Token("html_inline", "", 0)
            close.content = f"</{name}>"
            tok.children.append(close)


_BOX_UNCHECKED = '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />'
_BOX_CHECKED = (
    '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />'
)


def _task_lists(state: Any) -> None:
    """kramdown-parser-gfm's task lists: an item whose first paragraph starts ``[ ]`` or ``[x]`` and a
    space gets a disabled checkbox; from the first such item on, every item has the class
    ``task-list-item``, and the list the class ``task-list``."""
    tokens: list[Token] = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        is_task = False
        depth = 0
        for j in range(i, len(tokens)):
            t = tokens[j]
            depth += t.nesting
            if depth == 0:
                break
            if t.type == "list_item_open" and t.level == tok.level + 1:
                first = tokens[j + 1] if j + 1 < len(tokens) else None
                if first is not None and first.type == "paragraph_open":
                    inline = tokens[j + 2]
                    new = re.sub(r"^\s*\[ \]\s+", _BOX_UNCHECKED, inline.content, count=1)
                    new = re.sub(r"^\s*\[[xX]\]\s+", _BOX_CHECKED, new, count=1)
                    is_task = is_task or new != inline.content
                    inline.content = new
                    if is_task:
                        t.attrSet("class", "task-list-item")
        if is_task:
            tok.attrSet("class", "task-list")


def _list_paragraphs(state: Any) -> None:
    """kramdown's rule for when a list item's first paragraph gets no ``<p>`` (it is "transparent")."""
    tokens: list[Token] = state.tokens
    lines = state.src.split("\n")
    for i, tok in enumerate(tokens):
        if tok.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        level = tok.level
        items: list[tuple[int, int]] = []  # (open index, close index) of direct items
        j = i + 1
        while j < len(tokens) and not (tokens[j].level == level and tokens[j].nesting == -1):
            if tokens[j].type == "list_item_open" and tokens[j].level == level + 1:
                start = j
                depth = 0
                k = j
                while k < len(tokens):
                    depth += tokens[k].nesting
                    if depth == 0:
                        break
                    k += 1
                items.append((start, k))
                j = k
            j += 1
        transparent_seen = False
        for n, (start, end) in enumerate(items):
            child_level = tokens[start].level + 1
            children = [t for t in tokens[start + 1 : end] if t.level == child_level and t.nesting >= 0]
            for t in tokens[start + 1 : end]:
                if t.type in ("paragraph_open", "paragraph_close") and t.level == child_level:
                    t.hidden = False
            first = tokens[start + 1] if start + 1 < end else None
            if first is None or first.type != "paragraph_open":
                transparent_seen = True
                continue
            para_end = first.map[1] if first.map else None
            blank_after = (
                para_end is not None
                and para_end < len(lines) - 1
                and re.fullmatch(r"[\s>]*", lines[para_end]) is not None
            )
            only_para = len(children) == 1
            is_last = n == len(items) - 1
            cond_a = not blank_after or (is_last and only_para)
            cond_b = not is_last or len(items) == 1 or transparent_seen
            if cond_a and cond_b:
                first.hidden = True
                depth = 0
                for k in range(start + 1, end):
                    depth += tokens[k].nesting
                    if depth == 0 and tokens[k].type == "paragraph_close":
                        tokens[k].hidden = True
                        break
                transparent_seen = True


_OPEN_TAG_UNFINISHED = re.compile(r"^ {0,3}<[A-Za-z][\w:-]*(?:\s+[^<>]*)?$")


def _join_start_tag(lines: list[str], i: int) -> str:
    """A start tag spread over lines (``<div\n  class="x"\n>``) as one line, as kramdown reads it: the
    lines up to the ``>`` are taken out of ``lines``."""
    j = i + 1
    while j < len(lines) and j - i < 50 and lines[j].strip() and "<" not in lines[j] and ">" not in lines[j]:
        j += 1
    if j >= len(lines) or not lines[j].strip() or "<" in lines[j].split(">", 1)[0] or ">" not in lines[j]:
        return lines[i]
    joined = " ".join([lines[i].rstrip(), *(x.strip() for x in lines[i + 1 : j])])
    joined += ("" if lines[j].lstrip().startswith(">") else " ") + lines[j].lstrip()
    del lines[i + 1 : j + 1]
    return joined




_HTML_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def _reserialise_attrs(text: str) -> str:
    """An element's attributes as kramdown writes them back: `` name="value"`` each."""
    out = []
    for m in _HTML_ATTR.finditer(text):
        value = next((v for v in m.group(2, 3, 4) if v is not None), None)
        if value is None:
            out.append(f" {m.group(1)}")
        else:
            out.append(f' {m.group(1)}="{value}"')
    return "".join(out)


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] for line in lines)




def _quote_depth(line: str) -> tuple[int, str]:
    depth = 0
    rest = line
    while True:
        m = re.match(r"^[ \t]{0,3}>[ \t]?", rest)
        if not m:
            return depth, rest
        depth += 1
        rest = rest[m.end() :]


def _blank_in_context(above: str, line: str) -> bool:
    """Whether ``above`` is a blank line at the blockquote depth of ``line`` (``> >`` is not blank for a
    line at depth 1: it belongs to the inner quote)."""
    depth, _ = _quote_depth(line)
    above_depth, rest = _quote_depth(above)
    if above_depth > depth:
        return False
    return not rest.strip()


_LINK_WITH_SPACES = re.compile(r"\]\(([^()<>\s][^()<>\n]*?\s[^()<>\n]*?)\)")


def _kramdown_link_destination(string: str, pos: int, maximum: int) -> Any:
    """An inline link's target as kramdown reads it: up to the ``)`` that balances the opening one, or to
    white space followed by a quote (a title); spaces inside are part of it. Reference definitions and
    ``<...>`` targets keep CommonMark's rule."""
    before = string[max(0, pos - 200) : pos].rstrip(" \t\n")
    if string[pos : pos + 1] == "<":
        return parseLinkDestination(string, pos, maximum)
    if (
        before.endswith("]:")
        and "\n" not in string[max(0, pos - 200) : pos].rstrip(" \t").rsplit("]:", 1)[-1]
    ):
        # a reference definition: kramdown's target is the rest of the line less a quoted title
        end = string.find("\n", pos, maximum)
        line = string[pos : end if end >= 0 else maximum]
        m = re.match(r"""(.*?\S.*?)(?:[ \t]+(["']).+?\2)?[ \t]*$""", line)
        if not m or re.search(r"""[ \t]+["']""", m.group(1)):
            return parseLinkDestination(string, pos, pos)  # not a definition
        result = parseLinkDestination(string, pos, pos)
        result.str = unescapeAll(m.group(1))
        result.pos = pos + len(m.group(1))
        result.ok = True
        return result
    if not before.endswith("("):
        return parseLinkDestination(string, pos, maximum)
    result = parseLinkDestination(string, pos, pos)  # a failed result to fill in
    level = 0
    end = pos
    while end < maximum:
        c = string[end]
        if c == "(":
            level += 1
        elif c == ")":
            if level == 0:
                break
            level -= 1
        elif c in " \t\n" and string[end + 1 : end + 2] in ("'", '"'):
            break
        end += 1
    else:
        return result
    target = string[pos:end].rstrip(" \t\n")
    if not target:
        return result
    result.str = unescapeAll(target)
    result.pos = pos + len(target)
    result.ok = True
    return result


def indented_code_lines(converter: KramdownConverter, lines: list[str]) -> set[int]:
    """The numbers of the lines (of already preprocessed Markdown) inside indented code blocks."""
    if not any("](" in line and line[:1] in (" ", "\t") for line in lines):
        return set()
    tokens: list[Token] = []
    converter.md.block.parse("\n".join(lines), converter.md, {}, tokens)
    return {n for t in tokens if t.type == "code_block" and t.map for n in range(*t.map)}


def angle_links(line: str) -> str:
    """``[a](b c)`` as ``[a](<b c>)`` (CommonMark needs the brackets for spaces), outside code spans."""
    if "](" not in line:
        return line
    parts = re.split(r"(`+[^`]*?`+)", line)
    return "".join(p if n % 2 else _LINK_WITH_SPACES.sub(_angle_link, p) for n, p in enumerate(parts))


def _angle_link(m: re.Match[str]) -> str:
    """kramdown accepts spaces in a link target; CommonMark only inside ``<...>``."""
    target = m.group(1)
    if re.fullmatch(r"""\S+\s+("[^"]*"|'[^']*')\s*""", target):
        return m.group(0)
    return f"](<{target.strip()}>)"
