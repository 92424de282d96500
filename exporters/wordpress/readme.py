"""README.txt of a WordPress export: the steps of the import, in order."""

from __future__ import annotations

from collections.abc import Sequence


def readme_text(
    *,
    site_name: str,
    timezone: str,
    kinds: dict[str, int],
    attachments: int,
    redirects: int,
    structure: str,
    category_base: str,
    tag_base: str,
    asset_base: str,
    has_media: bool,
    files: Sequence[str],
    comments: int = 0,
    image_blocks: bool = False,
) -> str:
    """The README: ``kinds`` counts items by post type; ``files`` are the WXR files, in import order."""
    steps = [
        f"WordPress import of {site_name}",
        "",
        f"Contents: {kinds.get('post', 0)} posts, {kinds.get('page', 0)} pages, "
        f"{attachments} attachments, {redirects} redirects"
        + (f", {comments} readers' comments (imported with their posts, threaded)." if comments else "."),
        "",
        "1. Settings > General: set Timezone to "
        + timezone
        + " (post dates and URLs use the site's local time).",
        "2. Settings > Permalinks: choose 'Custom Structure' and enter exactly:",
        f"       {structure}",
        *(
            [
                "   and under Optional enter the Category base and the Tag base (pages of the old",
                "   site live under /category/ or /tag/, which the defaults would hide):",
                f"       {category_base}   and   {tag_base}",
            ]
            if (category_base, tag_base) != ("category", "tag")
            else []
        ),
        *(
            [
                f"3. Make the folder media/ reachable at {asset_base}/ (it already is if the old site",
                "   still serves it there): the importer downloads every attachment from that address, and",
                "   files WordPress does not import (SVG, fonts...) stay linked there.",
            ]
            if has_media
            else ["3. (No media files: nothing to serve.)"]
        ),
        "4. Tools > Import > WordPress (install the importer when asked), then import, in this order:",
        *[f"       {name}" for name in files],
        "   Tick 'Download and import file attachments'. Assign the authors as you like.",
        *(
            [
                "   The posts are block-editor blocks whose images name their attachments by ID: the",
                "   importer keeps an attachment's ID only where the site has no post with that ID yet, and",
                "   does not update the blocks otherwise, so import into a site without content of its own.",
            ]
            if image_blocks and attachments
            else []
        ),
        "5. Install the Redirection plugin, then Tools > Redirection > Import and choose",
        "       redirects/redirection.json   (or redirects/redirection.csv)",
        "   Every old URL that WordPress does not serve by itself then answers with a 301.",
        "",
        "migration.json lists every source document, its old URL and its new URL.",
    ]
    return "\n".join(steps) + "\n"
