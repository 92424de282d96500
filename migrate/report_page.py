"""The migration report as one file: JSON for machines, a self-contained HTML page for people.

The page is one file that works offline: its data is embedded as JSON and its rows are drawn by a small
script as they scroll into view, so a site of 10,000 documents opens at once. Bodies are stored once each
(a document whose two renderings are alike shares one string) in a table read only when a document is opened.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from migrate.ir import Site
from migrate.plan import Plan
from migrate.report import Report
from migrate.report_bodies import (
    MARKDOWN_STAND_IN,
    ImageResolver,
    clipped,
    image_urls,
    render_markdown,
    text_diff,
    visible_text,
)


def report_dict(report: Report, plan: Plan) -> dict:
    """The JSON report: summary counts, issues, document outcomes and redirects."""
    manifest = plan.manifest()
    return {
        "target": plan.target,
        "counts": manifest["counts"],
        "issues": report.to_dict(),
        "documents": manifest["documents"],
        "redirects": manifest["redirects"],
    }


def write_report(path: Path, report: Report, plan: Plan, *, site: Site | None = None) -> None:
    """Write the report as JSON or HTML, chosen by the file's extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".html", ".htm"):
        path.write_text(render_html(report, plan, site=site), "utf-8")
    else:
        path.write_text(json.dumps(report_dict(report, plan), indent=2, ensure_ascii=False) + "\n", "utf-8")


# -- the page's pieces -------------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("migrate").joinpath("report_assets", name).read_text("utf-8")


def _json_script(element_id: str, value: Any) -> str:
    """``value`` as JSON inside a script element; every ``<`` escaped so no text can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"<script type='application/json' id='{element_id}'>{text}</script>"


_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; frame-src 'self' about: data:; base-uri 'none'; form-action 'none'")
"""Nothing the page or its frames name can be fetched: it is one file, and opening it requests nothing."""


def _packed_script(element_id: str, value: Any) -> str:
    """``value`` as gzip-compressed JSON in base64 (about a fifth of its size), for the page to unpack when
    it first needs it (DecompressionStream)."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.b64encode(gzip.compress(data, 6, mtime=0)).decode("ascii")
    return f"<script type='application/octet-stream' data-encoding='gzip+base64' id='{element_id}'>{packed}</script>"


def _page(title: str, body: str, scripts: Iterable[str]) -> str:
    e = html.escape
    return "".join([
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">",
        ("<meta name='viewport' content='width=device-width,initial-scale=1'><meta name='color-scheme' "
         f"content='light dark'><title>{e(title)}</title><style>{_asset('report.css')}</style></head><body>"),
        body, *scripts, f"<script>{_asset('report.js')}</script></body></html>\n",
    ])


def _bar(label: str, parts: list[tuple[str, int, str]]) -> str:
    """A stacked bar (inline SVG) of ``parts`` (name, count, css class), with the numbers beside it."""
    e = html.escape
    total = sum(n for _, n, _ in parts)
    x, rects = 0.0, []
    for name, n, cls in parts:
        if n and total:
            w = 300.0 * n / total
            rects.append(f"<rect class='{cls}' x='{x:.2f}' y='0' width='{w:.2f}' height='14'><title>{e(name)}: "
                         f"{n}</title></rect>")
            x += w
    if not total:
        rects.append("<rect class='none' x='0' y='0' width='300' height='14'/>")
    words = ", ".join(f"{n} {name}" for name, n, _ in parts)
    legend = "".join(
        f"<li><span class='key {cls}'></span><b data-count='{e(label)}.{e(name)}'>{n}</b> {e(name)}</li>"
        for name, n, cls in parts
    )
    return (f"<div class='bar'><h3>{e(label[:1].upper() + label[1:])}</h3><svg viewBox='0 0 300 14' preserveAspectRatio='none' "
            f"role='img' aria-label='{e(label)}: {e(words)}'>{''.join(rects)}</svg><ul class='legend'>{legend}</ul>"
            "</div>")


def _summary(verdict_ok: bool, verdict: str, bars: list[str], note: str = "") -> str:
    cls = "ok" if verdict_ok else "bad"
    return (f"<section id='summary' aria-labelledby='verdict'><p id='verdict' class='verdict {cls}'>"
            f"{html.escape(verdict)}</p><div class='bars'>{''.join(bars)}</div>{note}</section>")


def _decoded(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        return unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url


def _same_page(old: str, new: str | None, base: str) -> bool:
    if not new:
        return False
    parts = urlsplit(new)
    path = unquote(parts.path or "/")
    return path in (unquote(old), unquote(base + old)) and not parts.query


# -- the migration report --------------------------------------------------------------------------------


def url_fates(plan: Plan, *, base: str = "") -> list[dict[str, Any]]:
    """Every old URL and its fate: ``kept`` (the new site answers it itself), ``redirected`` (a rule of
    the export's redirect map sends it on) or ``lost`` (nothing answers it). One row per URL as people
    read it (a rule's encoded and decoded spellings are one row)."""
    rules: dict[str, Any] = {}
    for rule in plan.redirect_map.rules if plan.redirect_map else ():
        rules.setdefault(rule.source, rule)
    rewrites = {r.source for r in plan.redirect_map.rewrites} if plan.redirect_map else set()
    rows: dict[str, dict[str, Any]] = {}

    def add(old: str, status: str, new: str | None, via: str | None) -> None:
        key = _decoded(old) or old
        row = rows.get(key)
        if row is None:
            rows[key] = {"old": old, "status": status, "new": new, "via": via}
        elif old not in row["old"].split(" "):
            row["old"] += " " + old  # the other spellings, shown on hover

    def rule_for(old: str) -> Any:
        return rules.get(old) or rules.get(base + old)

    for d in sorted(plan.documents, key=lambda d: d.source):
        if d.old_url is None:
            continue
        rule = rule_for(d.old_url)
        if rule is not None:
            add(d.old_url, "redirected", rule.target, d.source)
        elif d.status == "exported" and (_same_page(d.old_url, d.new_url, base) or d.old_url in rewrites
                                         or base + d.old_url in rewrites):
            add(d.old_url, "kept", d.new_url, d.source)
        else:
            add(d.old_url, "lost", None, d.source)
    covered = {d.old_url for d in plan.documents} | {base + (d.old_url or "") for d in plan.documents}
    for source, rule in sorted(rules.items()):
        if source not in covered:
            add(source, "redirected", rule.target, rule.origin)
    for g in sorted(plan.generated, key=lambda g: g.url):
        if g.url not in covered and rule_for(g.url) is None:
            add(g.url, "kept" if g.how == "native" and _same_page(g.url, g.new_url, base) else "lost",
                g.new_url, g.generator)
    return [rows[k] for k in sorted(rows)]


def report_data(report: Report, plan: Plan, *, site: Site | None = None) -> tuple[dict[str, Any], list[str],
                                                                                     list[str]]:
    """The page's data: (index, body strings, image data URIs)."""
    base = site.baseurl if site is not None else ""
    titles = {d.source: d.title for d in site.documents} if site is not None else {}
    urls = {d.source: d.url for d in site.documents} if site is not None else {}
    body_lines = {d.source: d.body_line for d in site.documents} if site is not None else {}
    kramdown = site.config.get("kramdown") if site is not None else None
    backlink = kramdown.get("footnote_backlink") if isinstance(kramdown, dict) else None
    backlink = backlink if isinstance(backlink, str) else "&#8617;"  # as the Hugo export configures Goldmark
    strings: list[str] = []
    string_index: dict[str, int] = {}

    def intern(text: str) -> int:
        index = string_index.get(text)
        if index is None:
            index = string_index[text] = len(strings)
            strings.append(text)
        return index

    resolver = ImageResolver(site, plan.files)
    images: dict[str, dict[str, int]] = {"before": {}, "after": {}}
    missing: dict[str, str] = {}
    issue_count: dict[str, int] = defaultdict(int)
    for issue in report.issues:
        if issue.source:
            issue_count[issue.source] += 1

    docs = []
    for d in sorted(plan.documents, key=lambda d: d.source):
        row: dict[str, Any] = {"s": d.source, "k": d.kind, "t": titles.get(d.source, ""), "o": d.old_url,
                               "n": d.new_url, "st": d.status, "i": issue_count.get(d.source, 0)}
        if d.reason:
            row["r"] = d.reason
        if d.source in plan.bodies:
            raw, converted = plan.bodies[d.source]
            is_page, before = plan.jekyll_html.get(d.source, (True, None))
            if not is_page:  # a file that is no web page: its text before and after, no rendering
                after = converted
                diff = text_diff([x for x in before.splitlines() if x.strip()],
                                 [x for x in converted.splitlines() if x.strip()])
                row["f"] = 1
            else:
                after = render_markdown(converted, backlink=backlink) if plan.body_format == "markdown" else converted
                if before is None:  # Jekyll's rendering failed (the export reported why): its source stands in
                    before = f"<pre>{html.escape(raw)}</pre>"
                diff = text_diff(visible_text(before), visible_text(after))
                local: dict[str, dict[str, int]] = {}
                for side, text, page_url in (("before", before, urls.get(d.source) or d.old_url),
                                             ("after", after, d.new_url)):
                    for url in image_urls(text):
                        relative = not urlsplit(url).scheme and not url.startswith("/")
                        known = local.setdefault(side, {}) if relative else images[side]
                        if url in known:
                            continue
                        wanted = urljoin(page_url or "/", url) if relative else url
                        found = resolver.resolve(wanted, export_first=side == "after")
                        if found is not None:
                            known[url] = found
                        else:
                            missing[url] = resolver.skipped.get(wanted, "not found")
                if any(local.values()):
                    row["im"] = {side: m for side, m in local.items() if m}
            if body_lines.get(d.source, 1) != 1:
                row["l"] = body_lines[d.source]  # the source's line numbers are the file's (issues name them)
            row["b"] = [intern(clipped(raw)), intern(clipped(converted)), intern(clipped(before)),
                        intern(clipped(after)), intern(clipped(diff.diff))]
            row["d"] = diff.score
            if diff.cut:
                row["c"] = diff.cut
        docs.append(row)
    docs.sort(key=lambda r: (-r.get("d", -1), r["s"]))

    grouped: dict[str, list] = defaultdict(list)
    for issue in report.sorted():
        grouped[issue.code].append(issue)
    issues = []
    for code, found in sorted(grouped.items(), key=lambda kv: ({"error": 0, "warning": 1}.get(kv[1][0].severity, 2),
                                                               kv[0])):
        messages: dict[str, int] = {}
        occurrences = [[i.source, i.line, messages.setdefault(i.message, len(messages))] for i in found]
        issues.append({"code": code, "sev": found[0].severity, "m": list(messages), "o": occurrences})

    fates = url_fates(plan, base=base)
    fate = {s: sum(1 for u in fates if u["status"] == s) for s in ("kept", "redirected", "lost")}
    counts = plan.counts()
    severities = {s: report.count(s) for s in ("error", "warning", "info")}
    problems = []
    if fate["lost"]:
        problems.append(f"{fate['lost']} old URL{'s' * (fate['lost'] != 1)} lost")
    if counts["failed"]:
        problems.append(f"{counts['failed']} document{'s' * (counts['failed'] != 1)} failed")
    if severities["error"]:
        problems.append(f"{severities['error']} error{'s' * (severities['error'] != 1)}")
    complete = not problems
    verdict = ("Migration complete: every old URL is kept or redirected, every document exported or skipped on "
               "purpose, no errors." if complete else "Migration not complete: " + ", ".join(problems) + ".")
    hugo_note = MARKDOWN_STAND_IN if plan.body_format == "markdown" else ""
    index = {
        "kind": "migration", "target": plan.target, "complete": complete, "verdict": verdict,
        "counts": {"urls": fate, "documents": counts, "issues": severities},
        "afterLabel": plan.target + (" (Markdown rendered by a stand-in)" if hugo_note else ""),
        "afterNote": hugo_note, "docs": docs, "urls": fates, "issues": issues,
        "images": images, "missingImages": dict(sorted(missing.items())),
    }
    return index, strings, resolver.data


def render_html(report: Report, plan: Plan, *, site: Site | None = None) -> str:
    index, strings, image_data = report_data(report, plan, site=site)
    c = index["counts"]
    bars = [
        _bar("old URLs", [("kept", c["urls"]["kept"], "ok"), ("redirected", c["urls"]["redirected"], "mid"),
                          ("lost", c["urls"]["lost"], "bad")]),
        _bar("documents", [("exported", c["documents"]["exported"], "ok"),
                           ("skipped", c["documents"]["skipped"], "mid"), ("failed", c["documents"]["failed"], "bad")]),
        _bar("issues", [("error", c["issues"]["error"], "bad"), ("warning", c["issues"]["warning"], "mid"),
                        ("info", c["issues"]["info"], "info")]),
    ]
    title = f"Migration report: {plan.target}"
    body = (f"<header><h1>{html.escape(title)}</h1>{_NAV}</header><main>"
            + _summary(index["complete"], index["verdict"], bars,
                       f"<p class='note'>{c['documents']['read']} documents read.</p>")
            + _DOCS_SECTION + _URLS_SECTION + _ISSUES_SECTION + "</main>")
    return _page(title, body, [_json_script("jm-index", index), _packed_script("jm-bodies", strings),
                               _json_script("jm-images", image_data)])


_NAV = ("<nav aria-label='sections'><a href='#summary'>Summary</a> <a href='#documents'>Documents</a> "
        "<a href='#urls'>URL map</a> <a href='#issues'>Issues</a></nav>")
_SEARCH_FIELD = ("<label class='search'><span>Search</span> <input type='search' id='q' placeholder='{}' "
                 "autocomplete='off'></label>")
_SEARCH = _SEARCH_FIELD.format("documents and URL map: title, file, URL (as people read it)")
_DOCS_SECTION = (
    "<section id='documents' aria-labelledby='documents-h'><h2 id='documents-h'>Documents, most changed first</h2>"
    + _SEARCH + "<div class='filters' data-for='docs' role='group' aria-label='document status'></div>"
    "<p class='count' id='docs-count' aria-live='polite'></p><table class='rows docs'><colgroup><col class='c-doc'>"
    "<col class='c-url'><col class='c-st'><col class='c-diff'></colgroup><thead><tr><th scope='col'>Document</th>"
    "<th scope='col'>Old URL → new URL</th><th scope='col'>Status</th><th scope='col'>Changed</th></tr></thead>"
    "<tbody id='docs-rows'></tbody></table><p class='more'><button type='button' id='docs-more' hidden>"
    "Show more</button></p></section>"
)
_URLS_SECTION = (
    "<section id='urls' aria-labelledby='urls-h'><h2 id='urls-h'>URL map</h2>"
    "<div class='filters' data-for='urls' role='group' aria-label='URL status'></div>"
    "<p class='count' id='urls-count' aria-live='polite'></p><table class='rows urlmap'><colgroup><col class='c-url2'>"
    "<col class='c-st'><col class='c-url2'><col class='c-via'></colgroup><thead><tr><th scope='col'>Old URL</th>"
    "<th scope='col'>Fate</th><th scope='col'>Now at</th><th scope='col'>From</th></tr></thead>"
    "<tbody id='urls-rows'></tbody></table><p class='more'><button type='button' id='urls-more' hidden>Show more"
    "</button></p></section>"
)
_ISSUES_SECTION = ("<section id='issues' aria-labelledby='issues-h'><h2 id='issues-h'>Issues by code</h2>"
                   "<div id='issue-groups'></div></section>")


# -- the verify report -----------------------------------------------------------------------------------


def render_verify_html(result: Any) -> str:
    """The page of a ``verify`` run: each old URL, the redirects it went through and where it ended."""
    checks = []
    for check in result.checks:
        chain = [list(hop) for hop in getattr(check, "chain", ())] or [[check.url, check.status]]
        final = chain[-1][1]
        checks.append({"src": check.source, "url": check.url, "ok": check.ok, "chain": chain, "final": final,
                       "problem": check.problem, "inPlace": check.in_place, "expected": check.expected})
    failed = len(result.failed)
    in_place = result.in_place
    verdict = (f"All {result.total} old URLs answer as the map says." if not failed
               else f"{failed} of {result.total} old URLs do not answer as the map says.")
    index = {"kind": "verify", "baseUrl": result.base_url, "verdict": verdict, "checks": checks}
    bars = [_bar("old URLs", [("ok", result.ok, "ok"), ("failed", failed, "bad")]),
            _bar("checks", [("redirects", result.total - in_place, "mid"), ("in place", in_place, "ok")])]
    title = f"Redirect check: {result.base_url}"
    body = (f"<header><h1>{html.escape(title)}</h1><nav aria-label='sections'><a href='#summary'>Summary</a> "
            "<a href='#checks'>Old URLs</a></nav></header><main>"
            + _summary(not failed, verdict, bars)
            + "<section id='checks' aria-labelledby='checks-h'><h2 id='checks-h'>Each old URL and where it led"
            "</h2>" + _SEARCH_FIELD.format("old URL, redirect chain or problem") + "<div class='filters' data-for='checks' role='group' aria-label='result'></div>"
            "<p class='count' id='checks-count' aria-live='polite'></p><table class='rows checks'><colgroup>"
            "<col class='c-url2'><col class='c-chain'><col class='c-st'></colgroup><thead><tr><th scope='col'>Old URL"
            "</th><th scope='col'>Redirect chain</th><th scope='col'>Result</th></tr></thead><tbody id='checks-rows'>"
            "</tbody></table><p class='more'><button type='button' id='checks-more' hidden>Show more</button></p>"
            "</section></main>")
    return _page(title, body, [_json_script("jm-index", index)])
