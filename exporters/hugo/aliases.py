"""Old URLs on the Hugo site: redirect targets, static redirect pages and aliases, each kept only where it
replaces no real file (collisions are reported)."""

from __future__ import annotations

import html
from urllib.parse import quote, unquote, urlsplit

from exporters.hugo.paths import URL_SAFE, alias_path, output_file, site_path
from exporters.hugo.placement import Placement, Placer
from migrate.ir import Site
from migrate.report import Report


class Aliases:
    """Resolves redirect targets and settles which old URLs get a redirect page or an alias."""

    def __init__(self, site: Site, report: Report, placer: Placer) -> None:
        self.site = site
        self.report = report
        self.placer = placer
        self.placements = placer.placements
        self._old_urls = {d.url: d for d in site.documents}
        self.hidden_sections: set[str] = set()
        """Sections whose list page is not rendered: an old URL is there instead."""
        self.redirect_pages: dict[str, tuple[str, str]] = {}
        """Output file (relative to static/) -> (source of the document it stands for, target URL)."""

    def plan(self) -> None:
        """Resolve redirect targets, then drop (and report) old URLs that would replace a real file."""
        for p in self.placements.values():
            if p.mode == "redirect" and p.doc.redirect_to:
                p.new_url = self._redirect_target(p.doc.redirect_to)
        occupied = self.occupied()
        self._plan_redirect_pages(occupied)
        self._report_page_collisions()
        self._settle_aliases(occupied)

    def _redirect_target(self, target: str) -> str:
        """A redirect_to value with site-internal targets moved to their new URLs."""
        parts = urlsplit(target)
        site = urlsplit(self.site.url) if self.site.url else None
        if parts.scheme and site and (parts.scheme, parts.netloc) == (site.scheme, site.netloc):
            target = target[len(self.site.url):] or "/"
        elif parts.scheme or parts.netloc:
            return target
        path = target if target.startswith("/") else "/" + target
        if self.site.baseurl and path.startswith(self.site.baseurl + "/"):
            path = path[len(self.site.baseurl):]
        suffix = ""
        cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=-1)
        if cut >= 0:
            path, suffix = path[:cut], path[cut:]
        by_old = self._old_urls
        doc = by_old.get(path) or by_old.get(quote(unquote(path), safe=URL_SAFE))
        placed = self.placements.get(doc.source) if doc is not None else None
        if placed is not None and placed.new_url and placed.mode == "page":
            return placed.new_url + suffix
        return path + suffix

    def occupied(self) -> dict[str, str]:
        """Output file -> what Hugo writes there besides aliases (pages, bundle files, static files, lists)."""
        occupied: dict[str, str] = {}
        for src, p in sorted(self.placements.items()):
            if p.mode in ("page", "snapshot") and p.hugo_path is not None and not p.doc.is_draft:
                occupied.setdefault(output_file(p.hugo_path), src)
            for name in p.resources:
                occupied.setdefault(output_file((p.resource_dir or "/") + name), src)
        for asset in self.placer.static_assets():
            occupied.setdefault(output_file(unquote(asset.url)), asset.source)
        for path, owner in self.placer.hugo_list_paths():
            occupied.setdefault(output_file(path), owner)
        return occupied

    def _plan_redirect_pages(self, occupied: dict[str, str]) -> None:
        """``redirect_to`` documents (and their own old URLs) become static redirect pages."""
        for src, p in sorted(self.placements.items()):
            if p.mode != "redirect" or p.doc.output_path is None or p.doc.is_draft:
                continue
            copies = [alias_path(url) for _, url in p.doc.language_copies]
            for path in [site_path(p.doc.output_path)] + [alias_path(a) for a in p.doc.redirect_from] + copies:
                out = output_file(path)
                if self._hide_section(occupied.get(out)):
                    occupied.pop(out)
                if out in occupied or out in self.redirect_pages:
                    self._collision(src, path, occupied.get(out) or self.redirect_pages[out][0])
                    continue
                self.redirect_pages[out] = (src, p.new_url or "/")
        for src, p in sorted(self.placements.items()):
            # a folder URL whose file is no index.html (Document.served_url): the folder answers with a
            # redirect page to the file, where Jekyll's site answered nothing
            if p.mode != "snapshot" or p.new_url == p.doc.url or p.doc.is_draft:
                continue
            path = unquote(p.doc.url)
            out = output_file(path)
            if out in occupied or out in self.redirect_pages:
                self._collision(src, path, occupied.get(out) or self.redirect_pages[out][0])
                continue
            self.redirect_pages[out] = (src, p.new_url or "/")

    def _settle_aliases(self, occupied: dict[str, str]) -> None:
        """Keep each page's aliases that replace nothing; when pages share one, the one Jekyll showed wins."""
        claims: dict[str, list[tuple[bool, str]]] = {}
        for src, p in sorted(self.placements.items()):
            kept: list[str] = []
            for alias in p.aliases:
                out = output_file(alias)
                if p.hugo_path is not None and out == output_file(p.hugo_path):
                    continue
                if self._hide_section(occupied.get(out)):
                    occupied.pop(out)
                owner = occupied.get(out) or (self.redirect_pages.get(out) or ("",))[0]
                if owner:
                    self._collision(src, alias, owner)
                    continue
                kept.append(alias)
                if not p.doc.is_draft:
                    own = p.doc.output_path is not None and out == output_file(site_path(p.doc.output_path))
                    claims.setdefault(out, []).append((own, src))
            p.aliases = kept
        for out, claimants in sorted(claims.items()):
            # Jekyll writes a document after redirect pages, and a later redirect page after an earlier
            # one: the last written is what the old URL showed, so that one keeps the alias
            ordered = [src for _, src in sorted(claimants, key=lambda c: c[0])]
            for loser in ordered[:-1]:
                placement = self.placements[loser]
                alias = next(a for a in placement.aliases if output_file(a) == out)
                placement.aliases.remove(alias)
                self._collision(loser, alias, ordered[-1])
        self._outside_language_aliases()

    def _outside_language_aliases(self) -> None:
        """Hugo writes the aliases of a page in another language than the default one under that language's
        ``/LANG/``: an old URL outside it (the default language's copy of the page) gets a redirect page."""
        for src, p in sorted(self.placements.items()):
            if p.language is None:
                continue
            prefix = f"/{p.language}/"
            for alias in [a for a in p.aliases if not a.startswith(prefix)]:
                p.aliases.remove(alias)
                if not p.doc.is_draft:
                    self.redirect_pages.setdefault(output_file(alias), (src, p.new_url or "/"))

    def _report_page_collisions(self) -> None:
        """Pages that Hugo would write to one file although Jekyll wrote them apart (one is lost)."""
        by_file: dict[str, list[Placement]] = {}
        for _, p in sorted(self.placements.items()):
            if p.mode == "page" and p.hugo_path is not None and not p.doc.is_draft:
                by_file.setdefault(output_file(p.hugo_path), []).append(p)
        for out, group in sorted(by_file.items()):
            if len(group) > 1 and len({q.doc.output_path for q in group}) > 1:
                names = ", ".join(q.doc.source for q in group)
                self.report.emit("url-collision", "warning",
                                 f"{names} all land on /{out} on the Hugo site; only one of them will be there",
                                 source=group[-1].doc.source)

    def _hide_section(self, owner: str | None) -> bool:
        """An old URL wins over a section list page Hugo would only generate: that list is not rendered."""
        if owner is None or not owner.startswith("section:"):
            return False
        self.hidden_sections.add(owner.split(":", 1)[1])
        return True

    def _collision(self, source: str, path: str, owner: str) -> None:
        self.report.emit(
            "alias-collision", "warning",
            f"old URL {path} would replace {owner} on the Hugo site; no redirect written for it",
            source=source,
        )


def redirect_html(target: str) -> str:
    """A static page that sends a visitor (and a search engine) on to ``target``."""
    url = html.escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        f"<title>{url}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n"
        f"<body><p>This page has moved to <a href=\"{url}\">{url}</a>.</p></body>\n</html>\n"
    )
