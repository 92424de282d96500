"""The migration report as one file: JSON for machines, a self-contained HTML page for people."""

from __future__ import annotations

import difflib
import html
import json
from collections import defaultdict
from pathlib import Path

from migrate.plan import Plan
from migrate.report import Report

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}.error{color:#b00}.warning{color:#a60}.info{color:#666}
.counts span{display:inline-block;margin-right:1.5em;font-size:1.2em}
details{margin:.4em 0}summary{cursor:pointer}table.diff{font:12px monospace;table-layout:fixed}
table.diff td{white-space:pre-wrap;overflow-wrap:anywhere}table.diff td.n{width:3.5em;color:#888;text-align:right}
.diff_add{background:#dfd}.diff_chg{background:#ffd}.diff_sub{background:#fdd}
#q{width:30em;padding:4px;font-size:1em}
"""

_SCRIPT = """
function filter(){var q=document.getElementById('q').value.toLowerCase();
document.querySelectorAll('[data-search]').forEach(function(e){
e.style.display=e.getAttribute('data-search').toLowerCase().indexOf(q)>=0?'':'none';});}
"""


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


def write_report(path: Path, report: Report, plan: Plan) -> None:
    """Write the report as JSON or HTML, chosen by the file's extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".html", ".htm"):
        path.write_text(render_html(report, plan), "utf-8")
    else:
        path.write_text(json.dumps(report_dict(report, plan), indent=2, ensure_ascii=False) + "\n", "utf-8")


def render_html(report: Report, plan: Plan) -> str:
    e = html.escape
    counts = plan.counts()
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>jekyll-migrate report: {e(plan.target)}</title><style>{_STYLE}</style>",
        f"<script>{_SCRIPT}</script></head><body>",
        f"<h1>Migration report: {e(plan.target)}</h1>",
        "<div class='counts' id='summary'>",
        *(f"<span>{e(k)}: <b>{v}</b></span>" for k, v in counts.items()),
        *(f"<span class='{s}'>{s}s: <b>{report.count(s)}</b></span>" for s in ("error", "warning", "info")),
        f"<span>redirects: <b>{len(set(plan.redirects))}</b></span></div>",
        "<p><input id='q' placeholder='search documents, issues, URLs' oninput='filter()'></p>",
        "<h2>Issues by code</h2>",
    ]
    grouped: dict[str, list] = defaultdict(list)
    for issue in report.sorted():
        grouped[issue.code].append(issue)
    if not grouped:
        parts.append("<p>No issues.</p>")
    for code in sorted(grouped):
        issues = grouped[code]
        parts.append(
            f"<details data-search='{e(code)}'><summary class='{issues[0].severity}'>{e(code)} "
            f"({len(issues)})</summary><table><tr><th>file</th><th>line</th><th>message</th></tr>"
        )
        for i in issues:
            parts.append(f"<tr><td>{e(i.source or '')}</td><td>{i.line or ''}</td><td>{e(i.message)}</td></tr>")
        parts.append("</table></details>")
    parts.append("<h2>Documents</h2><table><tr><th>source</th><th>kind</th><th>old URL</th>"
                 "<th>new URL</th><th>status</th></tr>")
    for d in sorted(plan.documents, key=lambda d: d.source):
        key = f"{d.source} {d.old_url} {d.new_url} {d.status}"
        reason = f" ({e(d.reason)})" if d.reason else ""
        parts.append(
            f"<tr data-search='{e(key)}'><td>{e(d.source)}</td><td>{e(d.kind)}</td><td>{e(d.old_url or '')}"
            f"</td><td>{e(d.new_url or '')}</td><td>{e(d.status)}{reason}</td></tr>"
        )
    parts.append("</table><h2>Redirects</h2><table><tr><th>old URL</th><th>new URL</th></tr>")
    for old, new in sorted(set(plan.redirects)):
        parts.append(f"<tr data-search='{e(old)} {e(new)}'><td>{e(old)}</td><td>{e(new)}</td></tr>")
    parts.append("</table>")
    if plan.bodies:
        parts.append("<h2>Source and converted body</h2>")
        for source in sorted(plan.bodies):
            raw, converted = plan.bodies[source]
            table = side_by_side(raw, converted)
            parts.append(f"<details data-search='{e(source)}'><summary>{e(source)}</summary>{table}</details>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


MAX_DIFF_LINES = 5000
"""Lines of each side a body's diff compares and shows; the rest is counted, not shown."""


def side_by_side(raw: str, converted: str, *, limit: int = MAX_DIFF_LINES) -> str:
    """A source body and its conversion side by side, lines paired by a line-level diff.

    difflib.HtmlDiff also pairs similar lines inside every changed block and diffs their characters, which
    is quadratic in the block's size; a converted body differs on nearly every line, so one long page took
    minutes. Lines are compared whole here (SequenceMatcher's junk heuristic keeps blank and repeated lines
    from making it quadratic), and at most ``limit`` lines of each side are compared.
    """
    e = html.escape
    a, b = raw.expandtabs(4).splitlines(), converted.expandtabs(4).splitlines()
    cut_a, cut_b = max(0, len(a) - limit), max(0, len(b) - limit)
    a, b = a[:limit], b[:limit]
    rows = ["<table class='diff'><tr><th class='n'></th><th>source</th><th class='n'></th><th>converted</th></tr>"]

    def row(i: int | None, left: str | None, j: int | None, right: str | None, kind: str) -> None:
        lcls = f" class='{kind}'" if kind and left is not None else ""
        rcls = f" class='{kind}'" if kind and right is not None else ""
        rows.append(
            f"<tr><td class='n'>{'' if i is None else i + 1}</td><td{lcls}>{e(left or '')}</td>"
            f"<td class='n'>{'' if j is None else j + 1}</td><td{rcls}>{e(right or '')}</td></tr>"
        )

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                row(i1 + k, a[i1 + k], j1 + k, b[j1 + k], "")
            continue
        kind = {"replace": "diff_chg", "delete": "diff_sub", "insert": "diff_add"}[tag]
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            row(i if i < i2 else None, a[i] if i < i2 else None, j if j < j2 else None,
                b[j] if j < j2 else None, kind)
    if cut_a or cut_b:
        rows.append(f"<tr><td></td><td>({cut_a} more lines not compared)</td><td></td>"
                    f"<td>({cut_b} more lines not compared)</td></tr>")
    rows.append("</table>")
    return "".join(rows)
