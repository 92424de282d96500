"""Which lines of a Markdown text are code or raw HTML, as Goldmark's block parser reads them: the text
rewriters (mentions, emoji) change only the lines of running text."""

from __future__ import annotations

from typing import Any


def block_kinds(markdown: str, parser: Any) -> dict[int, str]:
    """Line number -> ``fence``, ``code_block`` or ``html_block`` for each line such a block covers
    (``parser`` a markdown-it block parser set up as Goldmark reads Markdown)."""
    tokens: list[Any] = []
    parser.block.parse(markdown, parser, {}, tokens)
    kinds: dict[int, str] = {}
    for tok in tokens:
        if tok.type in ("fence", "code_block", "html_block") and tok.map:
            for n in range(tok.map[0], tok.map[1]):
                kinds[n] = tok.type
    return kinds
