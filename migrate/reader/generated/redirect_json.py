"""jekyll-redirect-from 0.16's ``/redirects.json``: every redirect of the site as one JSON object, written
unless ``redirect_from: {json: false}`` or the source already holds a ``redirects.json``. The redirect pages
themselves are the documents' ``redirect_from``; this is the one extra file the plugin writes."""

from __future__ import annotations

from migrate.ir import GeneratedPage, Issue
from migrate.reader.generated.common import Inputs

GEM = "jekyll-redirect-from"


def generate(inputs: Inputs, issues: list[Issue]) -> list[GeneratedPage]:
    options = inputs.config.get("redirect_from")
    if isinstance(options, dict) and options.get("json") is False:
        return []
    if (inputs.root / "redirects.json").exists():
        return []
    return [GeneratedPage(kind="other", url="/redirects.json", output_path="redirects.json", generator=GEM,
                          lists=None)]
