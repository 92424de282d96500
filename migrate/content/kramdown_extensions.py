"""kramdown's extensions to Markdown as markdown-it rules, with their state in ``env`` (as mdit-py-plugins
writes ``dollarmath`` and ``attrs``): ``{::comment}``, ``{::nomarkdown}`` and ``{::options}`` (block and span),
abbreviations, ``$$`` math (block and inline)."""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from migrate.content.kramdown_syntax import (
    ABBR_DEF,
    EXTENSION_BLOCK_START,
    EXTENSION_SPAN_START,
    EXTENSIONS,
    IAL_LINE,
    extension_block_stop,
    extension_stop,
    parse_ial,
)


def kramdown_extensions_plugin(md: MarkdownIt) -> None:
    """The rules: block extensions and block math after indented code (four spaces are code for kramdown
    too), abbreviation definitions before paragraphs (they interrupt none), span extensions and inline math
    before escapes; ``kd_raw`` tokens are written as they are."""
    md.inline.ruler.before("escape", "kd_math", inline_math)
    md.inline.ruler.before("escape", "kd_extension", extension_span)
    md.block.ruler.after("code", "kd_extension", extension_block)
    md.block.ruler.after("kd_extension", "kd_math", math_block)
    md.block.ruler.before("paragraph", "kd_abbreviation", abbreviation_definition)
    md.add_render_rule("kd_raw", _render_raw)


def _render_raw(self: Any, tokens: list[Token], idx: int, *args: Any) -> str:
    """A ``kd_raw`` token: the HTML an extension wrote, as it is."""
    return tokens[idx].content


def inline_math(state: StateInline, silent: bool) -> bool:
    """kramdown's inline math, ``$$x$$`` inside a paragraph, written for MathJax: ``\\(x\\)``."""
    src = state.src
    pos = state.pos
    if not src.startswith("$$", pos):
        return False
    end = src.find("$$", pos + 2)
    if end < 0 or end == pos + 2:
        return False
    if not silent:
        token = state.push("html_inline", "", 0)
        token.content = "\\(" + html.escape(src[pos + 2 : end], quote=False) + "\\)"
    state.pos = end + 2
    return True


ABBREVIATIONS = "kd_abbreviations"
"""The ``env`` key of a parse's abbreviations (``*[HTML]: Hyper Text Markup Language``): abbreviation ->
title, read from its definitions by :func:`abbreviation_definition`."""
ABBREVIATION_LINES = "kd_abbreviation_lines"
"""The ``env`` key of the numbers of the lines that define abbreviations."""


def abbreviation_definition(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """kramdown's abbreviation definition: a line ``*[HTML]: title`` where a block may start (in a quote
    or list item too, not inside a paragraph: there it is text); it makes no output and applies to the
    whole document."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("*[", pos):
        return False
    m = ABBR_DEF.match(state.src[pos : state.eMarks[start_line]])
    if not m:
        return False
    if not silent:
        state.env.setdefault(ABBREVIATIONS, {})[m.group(1)] = m.group(2).strip()
        state.env.setdefault(ABBREVIATION_LINES, []).append(start_line)
        state.line = start_line + 1
    return True



def _extension_output(name: str, attrs: str | None, body: str) -> str:
    """What kramdown writes for the extension ``name`` with ``body``: a comment, the body itself (raw, when
    its ``type`` names no format or HTML), or nothing."""
    if name == "comment":
        return f"<!-- {body} -->"
    if name == "nomarkdown":
        kinds = parse_ial(attrs or "").get("type", "").split()
        return body if not kinds or "html" in kinds else ""
    return ""  # {::options}: read before the parse (see _preprocess)


def extension_block(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """kramdown's block extension: ``{::comment}``, ``{::nomarkdown}`` or ``{::options}`` alone on a line
    where a block may start, its body up to its stop tag alone on a line (``{:/comment}`` or ``{:/}``), or
    none (``{::comment /}``). Without its stop tag, or with a name kramdown does not know, it is text."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("{:", pos):
        return False
    m = EXTENSION_BLOCK_START.match(state.src, pos, state.eMarks[start_line])
    if not m or m.group(1) not in EXTENSIONS:
        return False
    name, attrs, no_body = m.group(1), m.group(2), m.group(3)
    end = start_line + 1
    body = ""
    if not no_body:
        stop = extension_block_stop(name)
        line = start_line + 1
        while True:
            if line >= end_line or (state.sCount[line] < state.blkIndent and not state.isEmpty(line)):
                return False  # no stop tag in the block holding it
            if stop.match(state.getLines(line, line + 1, state.blkIndent, False).rstrip("\n")):
                break
            line += 1
        body = state.getLines(start_line + 1, line, state.blkIndent, False)
        body = body[:-1] if body.endswith("\n") else body
        end = line + 1
    if silent:
        return True
    state.line = end
    output = _extension_output(name, attrs, body) if not no_body else ""
    token = state.push("kd_raw", "", 0)
    token.content = output + "\n" if output else ""
    token.map = [start_line, end]
    token.meta = {"extension": name, "body": None if no_body else body}
    return True


def extension_span(state: StateInline, silent: bool) -> bool:
    """kramdown's span extension: ``{::comment}...{:/comment}`` or ``{::nomarkdown}...{:/}`` inside a
    paragraph (a comment, or the text as written), ``{::comment /}`` nothing; with no stop tag it is text."""
    if not state.src.startswith("{::", state.pos):
        return False
    m = EXTENSION_SPAN_START.match(state.src, state.pos, state.posMax)
    if not m or m.group(1) not in EXTENSIONS:
        return False
    end = m.end()
    output = ""
    if not m.group(3):
        stop = extension_stop(m.group(1)).search(state.src, end, state.posMax)
        if not stop:
            return False
        output = _extension_output(m.group(1), m.group(2), state.src[end : stop.start()])
        end = stop.end()
    if not silent and output:
        token = state.push("kd_raw", "", 0)
        token.content = output
    state.pos = end
    return True


_EOB_MARKER = re.compile(r"\^\s*$")


def math_block(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """kramdown's block math: ``$$`` where a block may start after a blank line (or first in its block), the
    formula up to the next ``$$`` across lines, that ``$$`` ending its line and a block boundary after it
    (a blank line, the block's end, an attribute list or ``^``); else the ``$$`` are inline math. Written
    for MathJax: ``\\[...\\]``."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("$$", pos):
        return False
    first_in_block = not state.tokens or state.tokens[-1].nesting == 1
    if not (first_in_block or start_line == 0 or state.isEmpty(start_line - 1)):
        return False

    def inside(line: int) -> bool:
        return line < end_line and (state.sCount[line] >= state.blkIndent or state.isEmpty(line))

    text = state.src[pos + 2 : state.eMarks[start_line]]
    line = start_line
    while "$$" not in text:
        line += 1
        if not inside(line):
            return False
        text += "\n" + state.getLines(line, line + 1, state.blkIndent, False).rstrip("\n")
    formula, _, rest = text.partition("$$")
    if rest.strip():
        return False
    after = line + 1
    if inside(after) and not state.isEmpty(after):
        following = state.src[state.bMarks[after] + state.tShift[after] : state.eMarks[after]]
        if state.sCount[after] - state.blkIndent >= 4 or not (
            _EOB_MARKER.match(following) or IAL_LINE.match(following)
        ):
            return False
    if silent:
        return True
    state.line = after
    token = state.push("kd_raw", "", 0)
    token.content = f"\\[{html.escape(formula.strip(), quote=False)}\\]\n"
    token.map = [start_line, after]
    return True

def abbreviations(abbrs: dict[str, str], children: list[Token]) -> list[Token]:
    """The inline tokens with each abbreviation (a whole word) as kramdown's ``<abbr>``."""
    pattern = re.compile(
        r"(?<![\w])("
        + "|".join(re.escape(a) for a in sorted(abbrs, key=len, reverse=True))
        + r")(?![\w])"
    )
    out: list[Token] = []
    for child in children:
        if child.type != "text" or not pattern.search(child.content):
            out.append(child)
            continue
        pos = 0
        for m in pattern.finditer(child.content):
            if m.start() > pos:
                t = Token("text", "", 0)
                t.content = child.content[pos : m.start()]
                out.append(t)
            h = Token("html_inline", "", 0)
            title = abbrs[m.group(1)]
            h.content = (
                f'<abbr title="{html.escape(title)}">{html.escape(m.group(1))}</abbr>'
                if title
                else f"<abbr>{html.escape(m.group(1))}</abbr>"
            )
            out.append(h)
            pos = m.end()
        if pos < len(child.content):
            t = Token("text", "", 0)
            t.content = child.content[pos:]
            out.append(t)
    return out
