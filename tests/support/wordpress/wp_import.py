"""Import a jekyll-migrate WordPress export into a real WordPress on SQLite and check the result.

A by-hand check, not part of CI: the official importer plugin is in no package registry. Needs Debian
``php-cli php-sqlite3 php-xml php-mbstring``, the npm tarball ``@wp-playground/wordpress-builds@0.9.19``
(WordPress zips and the SQLite integration plugin) and a copy of the importer plugin's ``src`` folder
(github.com/WordPress/wordpress-importer, tag 0.9.5), given with ``--importer``; nothing of it is kept here.

    python tests/support/wordpress/wp_import.py --builds wp-playground-wordpress-builds-0.9.19.tgz \
        --importer /path/to/wordpress-importer/src --site samples/blog-classic --work /tmp/wp-check

The script exports the site with ``--asset-base-url`` pointing at the WordPress server itself (the importer
only downloads from the site's own host or ports 80/443/8080), installs WordPress with the permalink
structure and timezone the README names, imports every WXR file with attachments, serves the redirects
from ``redirects/redirection.csv`` through a small must-use plugin (standing in for the Redirection plugin,
which is in no registry either), requests every old URL, and prints one summary line plus the problems.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

ROUTER = """<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$file = __DIR__ . urldecode($path);
if ($path !== '/' && is_file($file) && substr($file, -4) !== '.php') { return false; }
$_SERVER['SCRIPT_NAME'] = '{base}/index.php';
require __DIR__ . '{base}/index.php';
"""

CONFIG = """<?php
define('DB_NAME', 'wordpress'); define('DB_USER', ''); define('DB_PASSWORD', ''); define('DB_HOST', '');
define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('DB_DIR', __DIR__ . '/wp-content/database/'); define('DB_FILE', '.ht.sqlite');
define('WP_HOME', '{home}'); define('WP_SITEURL', '{home}');
define('AUTH_KEY', 'k1'); define('SECURE_AUTH_KEY', 'k2'); define('LOGGED_IN_KEY', 'k3'); define('NONCE_KEY', 'k4');
define('AUTH_SALT', 's1'); define('SECURE_AUTH_SALT', 's2'); define('LOGGED_IN_SALT', 's3'); define('NONCE_SALT', 's4');
define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_DEBUG', false);
define('FS_METHOD', 'direct'); define('WP_HTTP_BLOCK_EXTERNAL', false);
$table_prefix = 'wp_';
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
"""

CLI_PRELUDE = """<?php
$_SERVER['HTTP_HOST'] = '{host}'; $_SERVER['SERVER_NAME'] = '127.0.0.1'; $_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PORT'] = '{port}'; $_SERVER['REQUEST_METHOD'] = 'GET';
"""

INSTALL = """
define('WP_INSTALLING', true);
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if (!is_blog_installed()) { wp_install('Import check', 'admin', 'admin@example.org', true, '', 'password'); }
update_option('permalink_structure', {structure});
update_option('category_base', {category_base});
update_option('tag_base', {tag_base});
update_option('timezone_string', {timezone});
update_option('gmt_offset', '');
update_option('uploads_use_yearmonth_folders', 1);
flush_rewrite_rules(true);
echo "installed\n";
"""

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


def php(wp: Path, body: str, host: str, port: int, timeout: int = 3600) -> str:
    script = wp / f"_cli_{abs(hash(body))}.php"
    prelude = CLI_PRELUDE.replace("{host}", host).replace("{port}", str(port))
    script.write_text(prelude + body, "utf-8")
    try:
        run = subprocess.run(
            ["php", "-d", "memory_limit=1G", str(script)],
            cwd=wp,
            capture_output=True,
            check=False,
            text=True,
            timeout=timeout,
        )
    finally:
        script.unlink()
    if run.returncode != 0:
        raise RuntimeError(f"php failed ({run.returncode}): {run.stdout[-2000:]} {run.stderr[-2000:]}")
    return run.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def install_wordpress(builds: Path, importer: Path, work: Path, home: str, base: str) -> Path:
    """WordPress in ``work/docroot`` + ``base`` (the old site's baseurl), so old paths keep their prefix."""
    docroot = work / "docroot"
    shutil.rmtree(docroot, ignore_errors=True)
    wp = docroot / base.strip("/") if base.strip("/") else docroot
    wp.mkdir(parents=True)
    with tarfile.open(builds) as tar:
        zips = {
            m.name: m
            for m in tar.getmembers()
            if m.name
            in (
                "package/src/wordpress/wp-6.5.zip",
                "package/src/sqlite-database-integration/sqlite-database-integration.zip",
            )
        }
        for member in zips.values():
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse members that would leave ``work``
                tar.extract(member, work / "builds", filter="data")
            else:
                tar.extract(member, work / "builds")
    with zipfile.ZipFile(work / "builds/package/src/wordpress/wp-6.5.zip") as z:
        z.extractall(wp)
    plugin = wp / "wp-content/plugins/sqlite-database-integration"
    with zipfile.ZipFile(
        work / "builds/package/src/sqlite-database-integration/sqlite-database-integration.zip"
    ) as z:
        for info in z.infolist():
            rel = info.filename.split("/", 1)[1] if "/" in info.filename else ""
            if not rel or info.is_dir():
                continue
            target = plugin / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
    dropin = (plugin / "db.copy").read_text("utf-8")
    dropin = dropin.replace("{SQLITE_IMPLEMENTATION_FOLDER_PATH}", str(plugin)).replace(
        "{SQLITE_PLUGIN}", "sqlite-database-integration/load.php"
    )
    (wp / "wp-content/db.php").write_text(dropin, "utf-8")
    (wp / "wp-content/database").mkdir(exist_ok=True)
    (wp / "wp-config.php").write_text(CONFIG.replace("{home}", home + base), "utf-8")
    (docroot / "router.php").write_text(ROUTER.replace("{base}", base), "utf-8")
    shutil.copytree(importer, wp / "wp-content/plugins/wordpress-importer")
    return wp


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
    parser.add_argument("--rendered", type=Path, default=None,
                        help="write each post's rendered the_content here (JSON by source), to compare two exports "
                        "with tests/support/wordpress/same_rendering.py")
    args = parser.parse_args(argv)

    from exporters.wordpress import WordPressExporter
    from migrate.export import build_plan
    from migrate.plan import write_plan
    from migrate.reader import read_site
    from migrate.report import Report

    port = free_port()
    host = f"127.0.0.1:{port}"
    home = f"http://{host}"
    site = read_site(str(args.site), drafts=args.drafts, unpublished=args.drafts)
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

    args.baseurl = site.baseurl or ""
    wp = install_wordpress(args.builds, args.importer, args.work, home, args.baseurl)
    docroot = args.work / "docroot"
    if (out / "media").is_dir():
        shutil.copytree(out / "media", docroot / "media")
    install = (
        INSTALL.replace("{structure}", json.dumps(manifest["permalink_structure"]))
        .replace("{timezone}", json.dumps(site.timezone or "UTC"))
        # "" is WordPress's default base (category, tag); the README names another when pages need it
        .replace("{category_base}", json.dumps(manifest.get("category_base", "")))
        .replace("{tag_base}", json.dumps(manifest.get("tag_base", "")))
    )
    print(php(wp, install, host, port).strip())
    server = subprocess.Popen(
        ["php", "-S", host, "-t", str(docroot), str(docroot / "router.php")],
        cwd=docroot,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
        start_new_session=True,  # its worker processes share the group, and go with it
    )
    try:
        time.sleep(1.5)
        log_lines = []
        for name in manifest["wxr_files"]:
            log_lines.append(php(wp, IMPORT.replace("{file}", json.dumps(str(out / name))), host, port))
        import_log = "\n".join(log_lines)
        (args.work / "import.log").write_text(import_log, "utf-8")
        mu = wp / "wp-content/mu-plugins"
        mu.mkdir(exist_ok=True)
        shutil.copy(out / "redirects/redirection.csv", mu / "redirection.csv")
        (mu / "redirects.php").write_text(REDIRECTS_PLUGIN, "utf-8")
        state = json.loads(php(wp, REPORT, host, port))
        if args.rendered:
            rendered = {p["source"]: p["rendered"] for p in state["posts"] if p["source"] and "rendered" in p}
            args.rendered.write_text(json.dumps(rendered, indent=1, sort_keys=True, ensure_ascii=False), "utf-8")
        return check(manifest, plan, state, import_log, home, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


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
            if not leftover.lower().endswith(".svg"):
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
    wp_ns = "{http://wordpress.org/export/1.2/}"
    for name in manifest["wxr_files"]:
        for item in ET.parse(args.work / "export" / name).getroot().iter("item"):
            for meta in item.findall(f"{wp_ns}postmeta"):
                if meta.findtext(f"{wp_ns}meta_key") == "_jekyll_source":
                    sent[meta.findtext(f"{wp_ns}meta_value") or ""] = (
                        item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") or ""
                    )
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
    for source, target in manifest["redirects"]:
        status, final = fetch(home + source)
        if status == 200 or (status == 0 and urlsplit(target).scheme):
            redirect_ok += 1
        else:
            problems.append(f"redirect {source} -> {target}: {status} at {final}")
    failed_lines = [line for line in import_log.splitlines() if "Failed" in line or "error" in line.lower()]
    print(
        f"WordPress 6.5.5 import site={args.site.name} documents={len(exported)} imported="
        f"{sum(1 for d in exported if d['source'] in imported)} attachments={len(downloaded)}/{wxr_attachments} "
        f"old_urls_answering={answered}/{checked} redirects_answering={redirect_ok}/{len(manifest['redirects'])} "
        f"content_kept={same_content}/{len(imported)} importer_failures={len(failed_lines)}"
        + (f" image_block_ids={image_ids_ok}/{image_ids}" if image_ids else "")
    )
    for line in failed_lines[:20]:
        print("  importer:", line.strip())
    for problem in problems[:40]:
        print("  problem:", problem)
    return 1 if problems or failed_lines else 0


if __name__ == "__main__":
    sys.exit(main())
