"""The site's files a WordPress export carries: media copied to ``media/``, attachments for those WordPress
uploads, and the featured image a post names."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from exporters.wordpress.slugs import wp_slug
from exporters.wordpress.wxr import Item
from migrate.content.links import remote_key
from migrate.errors import UnsafePathError
from migrate.ir import Document, Site, StaticFile
from migrate.plan import Plan
from migrate.report import Report

# File types a default WordPress accepts as uploads (wp_get_allowed_mime_types for an administrator);
# anything else (SVG, fonts, ...) is copied to media/ and linked absolutely, but not imported.
UPLOADABLE = frozenset(
    ["jpg", "jpeg", "jpe", "gif", "png", "bmp", "tif", "tiff", "webp", "avif", "ico", "heic", "heif", "asf", "asx", "wmv", "wmx", "wm", "avi", "divx", "flv", "mov", "qt", "mpeg", "mpg", "mpe", "mp4", "m4v", "ogv", "webm", "mkv", "3gp", "3gpp", "3g2", "3gp2", "txt", "asc", "c", "cc", "h", "srt", "csv", "tsv", "ics", "rtx", "css", "htm", "html", "vtt", "dfxp", "mp3", "m4a", "m4b", "aac", "ra", "ram", "wav", "x-wav", "ogg", "oga", "flac", "mid", "midi", "wma", "wax", "mka", "rtf", "js", "pdf", "class", "tar", "zip", "gz", "gzip", "rar", "7z", "psd", "xcf", "doc", "pot", "pps", "ppt", "wri", "xla", "xls", "xlt", "xlw", "mdb", "mpp", "docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xlsb", "xltx", "xltm", "xlam", "pptx", "pptm", "ppsx", "ppsm", "potx", "potm", "ppam", "sldx", "sldm", "onetoc", "onetoc2", "onetmp", "onepkg", "oxps", "xps", "odt", "odp", "ods", "odg", "odc", "odb", "odf", "wp", "wpd", "key", "numbers", "pages"]
)


@dataclass(frozen=True)
class AssetURL:
    """Targets.asset_url: an asset's absolute URL under the asset base (picklable)."""

    base: str

    def __call__(self, document: Document, asset: StaticFile) -> str:
        return self.base + asset.url


def featured_asset(
    doc: Document, assets: tuple[str, ...], static_by_source: dict[str, StaticFile], *, baseurl: str
) -> str | None:
    """The asset named by an ``image`` front-matter key (string or ``{path: ...}``), if it is used."""
    image = doc.front_matter.get("image")
    if isinstance(image, dict):
        image = image.get("path") or image.get("feature") or image.get("url")
    if not isinstance(image, str) or not image.strip():
        return None
    path = unquote(urlsplit(image.strip()).path)
    base = baseurl
    if base and path.startswith(base + "/"):
        path = path[len(base) :]
    for source in assets:
        static = static_by_source[source]
        if static.origin_url is not None:  # a downloaded remote asset, named by its remote URL
            if remote_key(static.origin_url) == remote_key(image):
                return source
        elif unquote(static.url) == path:
            return source
    return None


def attachments(
    exported: list[Item],
    *,
    site: Site,
    plan: Plan,
    report: Report,
    static_by_source: dict[str, StaticFile],
    asset_base: str,
    next_id: int,
    ids: Mapping[str, int] | None = None,
) -> list[Item]:
    """Copy the assets the ``exported`` items use to ``media/``; an attachment item (IDs from ``next_id``, or
    the ``ids`` decided before the bodies were written, by asset source) for each WordPress uploads, under
    the first item using it, which it is the featured image of."""
    first_user: dict[str, Item] = {}
    for item in sorted((i for i in exported if i.source), key=lambda i: i.source or ""):
        for used in item.assets:
            first_user.setdefault(used, item)
    out: list[Item] = []
    for source in sorted(first_user):
        asset = static_by_source[source]
        media_path = unquote(asset.url).lstrip("/")
        try:
            plan.add_copy("media/" + media_path, site.static_file_path(asset))
        except UnsafePathError as exc:
            report.emit("wp-media-path", "error", str(exc), source=asset.source)
            continue
        ext = posixpath.splitext(media_path)[1].lower().lstrip(".")
        if ext not in UPLOADABLE or asset.size == 0:
            why = "is empty" if asset.size == 0 else f"has a type WordPress refuses to upload (.{ext})"
            report.emit(
                "wp-media-not-imported",
                "info",
                f"{asset.source} {why}: it is copied to media/ and linked at {asset_base}{asset.url}, "
                "not imported as an attachment",
                source=asset.source,
            )
            continue
        parent = first_user[source]
        name = posixpath.basename(media_path)
        post_id = ids.get(source, next_id) if ids is not None else next_id
        out.append(
            Item(
                post_id=post_id,
                post_type="attachment",
                title=name,
                # "name-ext" rather than WordPress's "name": an attachment's slug must not take the slug of
                # a child page imported after it under the same parent.
                slug=wp_slug(name.replace(".", "-")) or f"attachment-{post_id}",
                status="inherit",
                local=parent.local,
                gmt=parent.gmt,
                url=asset_base + asset.url,
                parent=parent.post_id,
                creator=parent.creator,
                attachment_url=asset_base + asset.url,
                source=asset.source,
            )
        )
        next_id += 1
    ids = {a.source: a.post_id for a in out}
    for item in exported:
        if item.featured in ids:
            item.thumbnail_id = ids[item.featured]
    return out


def uploadable(asset: StaticFile) -> bool:
    """Whether a default WordPress takes the file as an upload (an attachment of the export)."""
    ext = posixpath.splitext(unquote(asset.url))[1].lower().lstrip(".")
    return ext in UPLOADABLE and asset.size != 0


def attachment_ids(static_files: list[StaticFile], *, first_id: int) -> dict[str, int]:
    """Attachment IDs decided before any body is converted (image blocks name them): one per file WordPress
    would upload, by source, from ``first_id``. Files no exported item uses leave gaps, which WordPress
    does not mind."""
    ids: dict[str, int] = {}
    for asset in sorted(static_files, key=lambda s: s.source):
        if uploadable(asset):
            ids[asset.source] = first_id + len(ids)
    return ids
