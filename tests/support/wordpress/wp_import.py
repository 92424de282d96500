"""Import a jekyll-migrate WordPress export into a real WordPress on SQLite and check the result.

A by-hand check, not part of CI: the official importer plugin is in no package registry. Needs Debian
``php-cli php-sqlite3 php-xml php-mbstring``, the npm tarball ``@wp-playground/wordpress-builds@0.9.19``
(WordPress zips and the SQLite integration plugin) and a copy of the importer plugin's ``src`` folder
(github.com/WordPress/wordpress-importer, tag 0.9.5), given with ``--importer``; nothing of it is kept here.

    python tests/support/wordpress/wp_import.py --builds wp-playground-wordpress-builds-0.9.19.tgz \
        --importer /path/to/wordpress-importer/src --site samples/blog-classic --work /tmp/wp-check

The script exports the site with ``--asset-base-url`` pointing at the WordPress server itself (the importer
only downloads from the site's own host or ports 80/443/8080), installs WordPress (through
``tests/support/wordpress/server.py``, under the site's baseurl) with the permalink
structure and timezone the README names, imports every WXR file with attachments, serves the redirects
from ``redirects/redirection.csv`` through a small must-use plugin (standing in for the Redirection plugin,
which is in no registry either), requests every old URL, and prints one summary line plus the problems.
With ``--comments-disqus`` / ``--comments-github`` the site's comments include those exports; every comment
is checked on its imported post (author, UTC date, status, parent) and counted in a ``COMMENTS`` line.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from tests.support.wordpress import server

IMPORT = """
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
if (!defined('WP_LOAD_IMPORTERS')) { define('WP_LOAD_IMPORTERS', true); }
require_once WP_PLUGIN_DIR . '/wordpress-importer/wordpress-importer.php';
wp_set_current_user(1);
$importer = new WP_Import();
$importer->fetch_attachments = true;
ob_start();
$importer->import({file});
$out = ob_get_clean();
echo strip_tags(str_replace(array('<br />', '<br>', '</p>'), "\\n", $out));
"""

REPORT = """
require __DIR__ . '/wp-load.php';
$out = array('posts' => array(), 'terms' => array());
$q = get_posts(array('post_type' => array('post', 'page', 'attachment'), 'post_status' => 'any',
                     'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC'));
foreach ($q as $p) {
  $meta = get_post_meta($p->ID, '_jekyll_source', true);
  $row = array('id' => $p->ID, 'type' => $p->post_type, 'status' => $p->post_status, 'name' => $p->post_name,
    'title' => $p->post_title, 'date' => $p->post_date, 'date_gmt' => $p->post_date_gmt, 'parent' => $p->post_parent,
    'source' => $meta, 'permalink' => get_permalink($p->ID), 'content' => $p->post_content,
    'categories' => wp_get_post_terms($p->ID, 'category', array('fields' => 'names')),
    'tags' => wp_get_post_terms($p->ID, 'post_tag', array('fields' => 'names')),
    'languages' => wp_get_post_terms($p->ID, 'language', array('fields' => 'slugs')),
    'thumbnail' => (int) get_post_thumbnail_id($p->ID));
  if ($p->post_type !== 'attachment') {
    // What a reader sees: the_content as the theme prints it (blocks rendered, footnotes from post meta).
    $GLOBALS['post'] = $p; setup_postdata($p);
    $row['rendered'] = apply_filters('the_content', $p->post_content);
    wp_reset_postdata();
  }
  if ($p->post_type === 'attachment') { $row['file'] = get_attached_file($p->ID); $row['exists'] = file_exists($row['file']); $row['url'] = wp_get_attachment_url($p->ID); }
  $out['posts'][] = $row;
}
$out['comments'] = array();
foreach (array('all', 'spam') as $status) {  // 'all' is approved and held comments, not spam
  foreach (get_comments(array('status' => $status, 'type' => 'all', 'orderby' => 'comment_ID', 'order' => 'ASC')) as $c) {
    $out['comments'][] = array('id' => (int) $c->comment_ID, 'post' => (int) $c->comment_post_ID,
      'parent' => (int) $c->comment_parent, 'author' => $c->comment_author, 'date_gmt' => $c->comment_date_gmt,
      'approved' => $c->comment_approved, 'jekyll_id' => get_comment_meta($c->comment_ID, '_jekyll_comment_id', true));
  }
}
echo json_encode($out);
"""

REDIRECTS_PLUGIN = """<?php
// Stands in for the Redirection plugin: 301 for every source of redirects/redirection.csv.
add_action('parse_request', function () {
  $path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
  static $map = null;
  if ($map === null) {
    $map = array();
    if (($fh = fopen(__DIR__ . '/redirection.csv', 'r')) !== false) {
      fgetcsv($fh);
      while (($row = fgetcsv($fh)) !== false) { $map[rawurldecode($row[0])] = $row[1]; }
    }
  }
  $key = rawurldecode($path);
  if (isset($map[$key])) { wp_redirect($map[$key], 301); exit; }
}, 0);
"""


LANGUAGE_TAXONOMY_PLUGIN = """<?php
// Stands in for Polylang (in no registry): its `language` taxonomy, so the importer can attach the terms.
add_action('init', function () {
  register_taxonomy('language', array('post', 'page'), array('public' => false, 'query_var' => 'lang'));
}, 0);
"""


def shown_id(url: str) -> int | None:
    """The id of the post or page WordPress shows at ``url`` (from its ``<body>`` classes), None for an
    archive or anything else."""
    with urllib.request.urlopen(url, timeout=60) as response:
        page = response.read().decode("utf-8", errors="replace")
    body = re.search(r'<body[^>]*class="([^"]*)"', page)
    found = re.search(r"\b(?:postid|page-id)-(\d+)\b", body.group(1)) if body else None
    return int(found.group(1)) if found else None


def fetch(url: str) -> tuple[int, str]:
    """Status and final URL, following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    current = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    host = urlsplit(current).netloc
    for _ in range(8):
        if urlsplit(current).netloc != host:
            return 0, current  # left for another site: the redirect itself was the answer
        try:
            with opener.open(current, timeout=60) as response:
                return response.status, current
        except urllib.error.HTTPError as err:
            if err.code in (301, 302, 307, 308) and err.headers.get("Location"):
                current = quote(urljoin(current, err.headers["Location"]), safe=":/?#[]@!$&'()*+,;=%-._~")
                continue
            return err.code, current
    return 310, current


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--builds", required=True, type=Path, help="wordpress-builds npm tarball")
    parser.add_argument("--importer", required=True, type=Path, help="the importer plugin's src folder")
    parser.add_argument("--site", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--drafts", action="store_true")
    parser.add_argument("--split-size", default=None)
    parser.add_argument("--option", action="append", default=[], help="extra exporter option KEY=VALUE")
    parser.add_argument("--comments-disqus", type=Path, help="a Disqus export to migrate with the site")
    parser.add_argument("--comments-github", type=Path, help="a GitHub (utterances, giscus) export")
    parser.add_argument("--rendered", type=Path, default=None,
                        help="write each post's rendered the_content here (JSON by source), to compare two exports "
                        "with tests/support/wordpress/same_rendering.py")
    args = parser.parse_args(argv)

    from exporters.wordpress import WordPressExporter
    from migrate.export import build_plan
    from migrate.plan import write_plan
    from migrate.reader import read_site
    from migrate.report import Report

    site = read_site(str(args.site), drafts=args.drafts, unpublished=args.drafts)
    from migrate.reader.comments import read_comment_exports

    site = read_comment_exports(site, disqus=args.comments_disqus, github=args.comments_github)
    args.ir_site = site
    args.baseurl = site.baseurl or ""
    template = server.prepared(args.builds, args.work)
    wp = server.WordPress(template, args.work / "docroot", base=args.baseurl, lifetime=4 * 3600)
    home = wp.host
    values: dict[str, Any] = {"asset_base_url": home + "/media"}
    if args.split_size:
        values["split_size"] = args.split_size
    for item in args.option:
        key, _, value = item.partition("=")
        values[key.replace("-", "_")] = value
    options, problems = WordPressExporter.validate_options(values)
    if problems:
        print("\n".join(problems))
        return 2
    report = Report()
    plan = build_plan(site, WordPressExporter, options, report)
    out = args.work / "export"
    write_plan(plan, out, force=True)
    manifest = json.loads((out / "migration.json").read_text("utf-8"))

    shutil.copytree(args.importer, wp.root / "wp-content/plugins/wordpress-importer")
    if (out / "media").is_dir():
        shutil.copytree(out / "media", wp.docroot / "media")
    wp.set_options(
        permalink_structure=manifest["permalink_structure"],
        timezone_string=site.timezone or "UTC",
        gmt_offset="",
        # "" is WordPress's default base (category, tag); the README names another when pages need it
        category_base=manifest.get("category_base", ""),
        tag_base=manifest.get("tag_base", ""),
        uploads_use_yearmonth_folders=1,
    )
    with wp:
        log_lines = []
        wp.add_mu_plugin("language", LANGUAGE_TAXONOMY_PLUGIN)
        for name in manifest["wxr_files"]:
            log_lines.append(wp.php(IMPORT.replace("{file}", json.dumps(str(out / name)))))
        import_log = "\n".join(log_lines)
        (args.work / "import.log").write_text(import_log, "utf-8")
        shutil.copy(out / "redirects/redirection.csv", wp.root / "wp-content/mu-plugins/redirection.csv")
        wp.add_mu_plugin("redirects", REDIRECTS_PLUGIN)
        state = json.loads(wp.php(REPORT))
        if args.rendered:
            rendered = {p["source"]: p["rendered"] for p in state["posts"] if p["source"] and "rendered" in p}
            args.rendered.write_text(json.dumps(rendered, indent=1, sort_keys=True, ensure_ascii=False), "utf-8")
        return check(manifest, plan, state, import_log, home, args)


def same_path(a: str, b: str) -> bool:
    return unquote(urlsplit(a).path).rstrip("/") == unquote(urlsplit(b).path).rstrip("/")


def check(
    manifest: dict[str, Any],
    plan: Any,
    state: dict[str, Any],
    import_log: str,
    home: str,
    args: argparse.Namespace,
) -> int:
    problems: list[str] = []
    imported = {p["source"]: p for p in state["posts"] if p["source"] and p["type"] != "attachment"}
    exported = [d for d in manifest["documents"] if d["status"] == "exported"]
    for doc in exported:
        if doc["source"] not in imported:
            problems.append(f"not imported: {doc['source']}")
    attachments = [p for p in state["posts"] if p["type"] == "attachment"]
    wxr_attachments = sum(
        (out_file.read_text("utf-8").count("<wp:post_type><![CDATA[attachment]]></wp:post_type>"))
        for out_file in [(args.work / "export" / n) for n in manifest["wxr_files"]]
    )
    downloaded = [a for a in attachments if a.get("exists")]
    if len(downloaded) != wxr_attachments:
        problems.append(f"attachments: {len(downloaded)} downloaded of {wxr_attachments} in the WXR")
    media_base = home + "/media/"
    for post in imported.values():
        if media_base in post["content"]:
            leftover = post["content"].split(media_base, 1)[1].split('"', 1)[0]
            # a file WordPress takes no upload of (SVG, Markdown, fonts) stays in media/, linked absolutely
            from exporters.wordpress.media import UPLOADABLE

            if leftover.rsplit(".", 1)[-1].lower() in UPLOADABLE:
                problems.append(f"{post['source']}: content still points at {media_base}{leftover}")
    # an image block names its attachment by ID (--wp-content blocks): the importer kept the IDs of the WXR
    att_urls = {a["id"]: a.get("url") or "" for a in attachments}
    image_ids = image_ids_ok = 0
    for post in imported.values():
        for src, ident in re.findall(r'<img src="([^"]+)"[^>]*? class="wp-image-(\d+)"', post["content"]):
            image_ids += 1
            if posixpath.basename(att_urls.get(int(ident), "")) == posixpath.basename(src):
                image_ids_ok += 1
            else:
                problems.append(f"{post['source']}: image {src} names attachment {ident} ({att_urls.get(int(ident))})")
    # the stored content is the exported content, but for the media URLs the importer rewrote
    sent: dict[str, str] = {}
    languages_sent: dict[str, list[str]] = {}
    wp_ns = "{http://wordpress.org/export/1.2/}"
    for name in manifest["wxr_files"]:
        for item in ET.parse(args.work / "export" / name).getroot().iter("item"):
            for meta in item.findall(f"{wp_ns}postmeta"):
                if meta.findtext(f"{wp_ns}meta_key") == "_jekyll_source":
                    sent[meta.findtext(f"{wp_ns}meta_value") or ""] = (
                        item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") or ""
                    )
            marked = [c.get("nicename") for c in item.findall("category") if c.get("domain") == "language"]
            source = next((m.findtext(f"{wp_ns}meta_value") for m in item.findall(f"{wp_ns}postmeta")
                           if m.findtext(f"{wp_ns}meta_key") == "_jekyll_source"), None)
            if marked and source:
                languages_sent[source] = marked
    media_url = re.compile(re.escape(home) + r"/(?:media|[^\s\"']*wp-content/uploads)/[^\s\"'<>)]+")
    same_content = 0
    for source, post in imported.items():
        # WordPress itself adds rel="noopener" to links that open a new window
        stored = post["content"].replace(' rel="noopener"', "")
        if media_url.sub("URL", stored) == media_url.sub(
            "URL", sent.get(source, "").replace(' rel="noopener"', "")
        ):
            same_content += 1
        else:
            problems.append(f"{source}: stored content differs from the exported content")
    languages_kept = 0
    for source, marked in languages_sent.items():
        got = imported.get(source, {}).get("languages", [])
        if sorted(got) == sorted(marked):
            languages_kept += 1
        else:
            problems.append(f"{source}: language terms {got}, the WXR marked {marked}")
    # every old URL of a built, published document answers, at the URL the manifest promised
    answered = 0
    checked = 0
    base = args.baseurl
    old_urls = [d["old_url"] for d in exported if d["old_url"]]
    collided = {u for u in old_urls if old_urls.count(u) > 1}  # Jekyll served only one of them
    by_source = {d["source"]: d for d in exported}
    for doc in exported:
        post = imported.get(doc["source"])
        if post is None or post["status"] not in ("publish",) or not doc["old_url"]:
            continue
        if post.get("type") == "post" and doc["source"].startswith("_drafts/"):
            continue
        checked += 1
        status, final = fetch(home + base + doc["old_url"])
        want = home + by_source[doc["source"]]["new_url"]
        is_home = doc["old_url"].split("index.html")[0].rstrip("/") == ""  # WordPress's own front page
        ok = status == 200 and (is_home or same_path(final, want) or doc["old_url"] in collided)
        if ok and not is_home and doc["old_url"] not in collided:
            # the very document, not another one (or an archive) WordPress shows at the same path
            shown = shown_id(final)
            if shown != post["id"]:
                what = f"post {shown}" if shown else "no post (an archive?)"
                problems.append(f"old URL {doc['old_url']} shows {what}, not {doc['source']} ({post['id']})")
                continue
        if ok:
            answered += 1
        else:
            problems.append(f"old URL {doc['old_url']} -> {status} {final} (want {want})")
    redirect_ok = 0
    scheduled = 0  # WordPress schedules a post dated ahead of its clock: the export warns (wp-scheduled)
    by_new_url = {unquote(d["new_url"]): imported.get(d["source"]) for d in exported if d.get("new_url")}
    for source, target in manifest["redirects"]:
        status, final = fetch(home + source)
        lands_on = by_new_url.get(unquote(urlsplit(target).path))
        if status == 200 or (status == 0 and urlsplit(target).scheme):
            redirect_ok += 1
        elif status == 404 and lands_on is not None and lands_on["status"] == "future":
            scheduled += 1
        else:
            problems.append(f"redirect {source} -> {target}: {status} at {final}")
    # pages Jekyll's plugins generated (pagination, archives, feeds, sitemaps, language copies):
    # each answers on the real WordPress, natively or through a Redirection rule, with a 200 at the end
    generated_ok = 0
    generated = manifest.get("generated", [])
    for page in generated:
        status, final = fetch(home + base + page["url"])
        if status == 200:
            generated_ok += 1
        else:
            problems.append(f"generated {page['kind']} {page['url']} ({page['how']} {page['new_url']}): "
                            f"{status} at {final}")
    failed_lines = [line for line in import_log.splitlines() if "Failed" in line or "error" in line.lower()]
    print(
        f"WordPress 6.5.5 import site={args.site.name} documents={len(exported)} imported="
        f"{sum(1 for d in exported if d['source'] in imported)} attachments={len(downloaded)}/{wxr_attachments} "
        f"old_urls_answering={answered}/{checked} redirects_answering={redirect_ok}/{len(manifest['redirects'])} "
        f"(to_scheduled_posts={scheduled}) "
        f"content_kept={same_content}/{len(imported)} languages_kept={languages_kept}/{len(languages_sent)} "
        f"importer_failures={len(failed_lines)}"
        + (f" image_block_ids={image_ids_ok}/{image_ids}" if image_ids else "")
    )
    print(f"GENERATED site={args.site.name} target=wordpress urls={len(generated)} answering={generated_ok} "
          f"(real WordPress after the official importer)")
    problems += check_comments(args.ir_site, imported, state.get("comments", []), args.site.name)
    for line in failed_lines[:20]:
        print("  importer:", line.strip())
    for problem in problems[:40]:
        print("  problem:", problem)
    return 1 if problems or failed_lines else 0


def check_comments(site: Any, imported: dict[str, Any], comments: list[dict[str, Any]], name: str) -> list[str]:
    """Every comment of the IR imported on its post, under the comment it answers, with its author, UTC
    date and status; prints the ``COMMENTS`` line."""
    import datetime as dt

    problems: list[str] = []
    by_post: dict[int, list[dict[str, Any]]] = {}
    seen: set[int] = set()
    for row in comments:
        if row["id"] not in seen:
            seen.add(row["id"])
            by_post.setdefault(row["post"], []).append(row)
    source_n = imported_n = threaded_ok = 0
    approved = {"approved": "1", "pending": "0", "spam": "spam"}
    for doc in site.documents:
        if not doc.comments:
            continue
        source_n += len(doc.comments)
        post = imported.get(doc.source)
        rows = {r["jekyll_id"]: r for r in by_post.get(post["id"], [])} if post else {}
        wp_ids = {r["id"]: r["jekyll_id"] for r in rows.values()}
        for c in doc.comments:
            row = rows.get(c.id)
            if row is None:
                problems.append(f"comment {c.id} of {doc.source} not imported")
                continue
            imported_n += 1
            want_gmt = c.date.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if c.date else None
            wrong = [what for what, ok in (("author", row["author"] == c.author),
                                           ("status", row["approved"] == approved[c.status]),
                                           ("date", want_gmt is None or row["date_gmt"] == want_gmt)) if not ok]
            if wrong:
                problems.append(f"comment {c.id} of {doc.source}: {', '.join(wrong)} differ ({row})")
            parent = wp_ids.get(row["parent"]) if row["parent"] else None
            if parent == c.parent:
                threaded_ok += 1
            else:
                problems.append(f"comment {c.id} of {doc.source} answers {parent!r}, not {c.parent!r}")
    print(f"COMMENTS site={name} target=wordpress source={source_n} imported={imported_n} threaded_ok={threaded_ok}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
