"""The README.md of a Hugo export: how the site keeps its URLs and what to do next."""

from __future__ import annotations

import string

from exporters.hugo.config import has_extensionless_urls, layout_text
from migrate.ir import Site

EXTENSIONLESS_README = """
### URLs without slash or extension

Jekyll wrote a URL such as `/notes/x` (no trailing slash, no extension) as the file `notes/x.html`,
and GitHub Pages answered `/notes/x` with it. The page keeps that file here, and no folder
`notes/x/` sits beside it. What each way of serving the site needs to answer `/notes/x`:

- `hugo server`: nothing; the `[server]` rule in `hugo.toml` serves `x.html` for `/x` to a browser
  (`curl` must send `-H 'Sec-Fetch-Mode: navigate'` when the path has a dot, as a browser does).
- GitHub Pages, Netlify, Cloudflare Pages, Render: nothing; they look up `x.html` themselves. Their
  `_redirects` (`jekyll-migrate redirects --to hugo --format netlify SITE`) holds only redirects.
- nginx, Apache, Caddy: the file from `jekyll-migrate redirects --to hugo --format nginx SITE` (or
  `apache`, `caddy`): besides the redirects it serves each such `/x` from `x.html` (status 200).
- Vercel: `vercel.json` from `--format vercel` (its `rewrites`), or `"cleanUrls": true`.
"""

COMMENTS_README = """
Readers' comments are in `data/comments/` (one file per page, named by the SHA-1 of the page's content
path; e-mail addresses only as their MD5 hash). `layouts/_partials/comments.html` shows the approved ones
threaded and is written also with `--no-layouts`: with a theme, add `{{ partial "comments.html" . }}` to
its single-page template. `disqus-url-map.csv` is for Disqus's URL mapper, should the site keep Disqus."""


def readme_text(site: Site, *, keep: bool, base_url: str, no_layouts: bool) -> str:
    """The export's README, from the template ``hugo_layouts/export-readme.md``."""
    if keep:
        policy = ("URL policy `keep`: every page keeps its exact Jekyll URL, through `[permalinks]` in\n"
                  "`hugo.toml` where Hugo's tokens can say it and a front-matter `url:` where they cannot.")
    else:
        policy = ("URL policy `hugo`: pages use Hugo's own URLs, and every old Jekyll URL is an `aliases`\n"
                  "entry (a small redirect page Hugo writes).")
    future = ("Future-dated posts are built (`buildFuture = true`, as the Jekyll site had `future: true`)."
              if site.config.get("future") is True else
              "Future-dated posts keep their date: add `--buildFuture` to publish them before that date.")
    template = layout_text("export-readme.md")
    return string.Template(template).substitute(
        title=site.title or "Migrated site",
        base_url=base_url,
        future=future,
        policy=policy,
        layouts=("No layouts were written (`--no-layouts`)." if no_layouts else
                 "`layouts/` holds a small default layout set (base, home, single, list, taxonomy)."),
        authors=" Authors (`authors:` keys) are described in `data/authors.json`." if site.authors else "",
        extensionless=EXTENSIONLESS_README if has_extensionless_urls(site) else "",
        comments=COMMENTS_README if any(d.comments for d in site.documents) else "",
    )
