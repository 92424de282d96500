"""jekyll-readme-index 0.3: a folder's README is its index page when the folder has none."""

from __future__ import annotations

import posixpath
import re

from migrate.reader.plugins.common import SiteReader, add_page, option, pages, site_static_files


def generate(reader: SiteReader) -> None:
    """Each static ``README`` with a Markdown extension (any case) becomes a page at its folder's URL when no
    page or static file of the site already answers there (``/dir/`` or ``/dir/index.html``, ``.htm``,
    ``.xhtml``, ``.xml``). With ``readme_index: {remove_originals: true}`` the file itself is not copied;
    with ``with_frontmatter: true`` a README that has front matter moves to its folder's URL too."""
    if option(reader, "readme_index", "enabled") is False:
        return
    exts = "|".join(re.escape(e) for e in sorted(reader.markdown_exts))
    readme = re.compile(rf"(?:^|/)readme(?:{exts})$", re.IGNORECASE)
    removed = set()
    for static in site_static_files(reader):
        if not readme.search(static.source) or _folder_has_index(reader, posixpath.dirname(static.url)):
            continue
        add_page(reader, static.source, permalink=posixpath.dirname(static.url) + "/")
        removed.add(static.source)
    if option(reader, "readme_index", "remove_originals") is True and removed:
        reader.statics[:] = [s for s in reader.statics if s.source not in removed]
    if option(reader, "readme_index", "with_frontmatter") is True:
        for entry in pages(reader):
            if (
                readme.search(entry.source)
                and entry.text.has_front_matter
                and not _folder_has_index(reader, posixpath.dirname(entry.url))
            ):
                entry.data["permalink"] = posixpath.dirname(entry.url) + "/"
                reader._entry_url(entry)


def _folder_has_index(reader: SiteReader, folder: str) -> bool:
    if not folder.endswith("/"):
        folder += "/"
    index = re.compile(rf"^{re.escape(folder)}(?:$|index\.(html?|xhtml|xml)$)", re.IGNORECASE | re.MULTILINE)
    urls = [p.url for p in pages(reader)] + [s.url for s in site_static_files(reader)]
    return any(index.search(url) for url in urls)
