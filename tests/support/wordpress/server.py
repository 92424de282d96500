"""A real WordPress on 127.0.0.1 for tests: WordPress and its SQLite integration from the npm package
``@wp-playground/wordpress-builds`` (pinned below; ``.ci/install.sh`` puts the tarball in
``$JM_NPM_PREFIX/tarballs``), served by Debian's ``php -S``.

Installing WordPress takes a few seconds, so it is done once (:func:`prepared`) into a template: WordPress
6.5 with the SQLite drop-in, pretty permalinks, ``WP_ENVIRONMENT_TYPE=local`` (application passwords work
over plain http), an administrator ``admin`` with an application password and a second user ``editor``.
Each :class:`WordPress` is a hard-linked copy of that template with its own database file, started on a
free port; the site URL follows the Host header, so the copy works on any port. The server stops itself
after ``lifetime`` seconds even if nobody stops it, and every request is appended to ``requests.log``
(method and URI) by the router, which is how tests count write requests.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

BUILDS_PACKAGE = "@wp-playground/wordpress-builds"
BUILDS_VERSION = "0.9.19"
BUILDS_TARBALL = f"wp-playground-wordpress-builds-{BUILDS_VERSION}.tgz"
WP_ZIP = "package/src/wordpress/wp-6.5.zip"
SQLITE_ZIP = "package/src/sqlite-database-integration/sqlite-database-integration.zip"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "jekyll-migrate-Test-1234"

ROUTER = r"""<?php
// Every request is logged (method and URI) before WordPress sees it; files are served as they are.
$log = __DIR__ . '/requests.log';  // the document root's
file_put_contents($log, $_SERVER['REQUEST_METHOD'] . ' ' . $_SERVER['REQUEST_URI'] . "\n", FILE_APPEND | LOCK_EX);
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$file = __DIR__ . urldecode($path);
if ($path !== '/' && is_file($file) && substr($file, -4) !== '.php') { return false; }
$_SERVER['SCRIPT_NAME'] = '{base}/index.php';
require __DIR__ . '{base}/index.php';
"""

CONFIG = r"""<?php
define('DB_NAME', 'wordpress'); define('DB_USER', ''); define('DB_PASSWORD', ''); define('DB_HOST', '');
define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('DB_DIR', __DIR__ . '/wp-content/database/'); define('DB_FILE', '.ht.sqlite');
$jm_host = isset($_SERVER['HTTP_HOST']) ? $_SERVER['HTTP_HOST'] : '127.0.0.1';
define('WP_HOME', 'http://' . $jm_host . '{base}'); define('WP_SITEURL', 'http://' . $jm_host . '{base}');
define('AUTH_KEY', 'k1'); define('SECURE_AUTH_KEY', 'k2'); define('LOGGED_IN_KEY', 'k3'); define('NONCE_KEY', 'k4');
define('AUTH_SALT', 's1'); define('SECURE_AUTH_SALT', 's2'); define('LOGGED_IN_SALT', 's3'); define('NONCE_SALT', 's4');
define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_DEBUG', false);
define('FS_METHOD', 'direct'); define('WP_ENVIRONMENT_TYPE', 'local');
$table_prefix = 'wp_';
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
"""

CLI_PRELUDE = r"""<?php
$_SERVER['HTTP_HOST'] = '{host}'; $_SERVER['SERVER_NAME'] = '127.0.0.1'; $_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PORT'] = '{port}'; $_SERVER['REQUEST_METHOD'] = 'GET';
"""

INSTALL = r"""
define('WP_INSTALLING', true);
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if (!is_blog_installed()) { wp_install('Push check', 'admin', 'admin@example.org', true, '', '{password}'); }
update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
update_option('uploads_use_yearmonth_folders', 1);
wp_insert_user(array('user_login' => 'editor', 'user_pass' => '{password}', 'user_email' => 'editor@example.org',
                     'role' => 'editor', 'display_name' => 'An Editor'));
$made = WP_Application_Passwords::create_new_application_password(1, array('name' => 'jekyll-migrate tests'));
if (is_wp_error($made)) { fwrite(STDERR, $made->get_error_message()); exit(1); }
flush_rewrite_rules(true);
echo 'JM-INSTALL:' . json_encode(array('app_password' => $made[0]));
"""

OPTIONS = r"""
require __DIR__ . '/wp-load.php';
global $wp_rewrite;
foreach (json_decode(base64_decode('{options}'), true) as $name => $value) {
  if ($name === 'permalink_structure') { $wp_rewrite->set_permalink_structure($value); }
  elseif ($name === 'category_base') { $wp_rewrite->set_category_base($value); }
  elseif ($name === 'tag_base') { $wp_rewrite->set_tag_base($value); }
  else { update_option($name, $value); }
}
$wp_rewrite->init();
flush_rewrite_rules(true);
echo "ok";
"""

REST_OFF = r"""<?php
// The REST API switched off, as some security plugins do.
add_filter('rest_authentication_errors', function () {
  return new WP_Error('rest_disabled', 'The REST API is disabled on this site.', array('status' => 403));
});
"""


def builds_tarball() -> Path | None:
    """The npm tarball, where ``.ci/install.sh`` put it (or $JM_WP_BUILDS names it); None if absent."""
    named = os.environ.get("JM_WP_BUILDS")
    candidates = [Path(named)] if named else []
    prefix = Path(os.environ.get("JM_NPM_PREFIX", "/opt/jm-npm"))
    candidates.append(prefix / "tarballs" / BUILDS_TARBALL)
    for path in candidates:
        if path.is_file():
            return path
    return None


def php_available() -> bool:
    if shutil.which("php") is None:
        return False
    run = subprocess.run(["php", "-m"], capture_output=True, text=True, check=False)
    modules = {line.strip().lower() for line in run.stdout.splitlines()}
    return {"pdo_sqlite", "mbstring", "xml"} <= modules


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_php(root: Path, body: str, timeout: float = 3600, port: int = 80) -> str:
    """Run a PHP script (``body`` after the CLI prelude) inside the WordPress at ``root``, as if requested
    on 127.0.0.1:``port`` (so the URLs it makes are the server's)."""
    script = root / f"_cli_{os.getpid()}_{time.monotonic_ns()}.php"
    host = "127.0.0.1" if port == 80 else f"127.0.0.1:{port}"
    script.write_text(CLI_PRELUDE.replace("{host}", host).replace("{port}", str(port)) + body, "utf-8")
    try:
        run = subprocess.run(
            ["php", "-d", "memory_limit=1G", str(script)],
            cwd=root,
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


def prepared(builds: Path, work: Path) -> Path:
    """An installed WordPress template in ``work/template`` (made once; reused while it exists)."""
    template = work / "template"
    if (template / "jm-install.json").is_file():
        return template
    shutil.rmtree(template, ignore_errors=True)
    template.mkdir(parents=True)
    extract = work / "builds"
    with tarfile.open(builds) as tar:
        for name in (WP_ZIP, SQLITE_ZIP):
            member = tar.getmember(name)
            if hasattr(tarfile, "data_filter"):
                tar.extract(member, extract, filter="data")
            else:
                tar.extract(member, extract)
    with zipfile.ZipFile(extract / WP_ZIP) as z:
        z.extractall(template)
    plugin = template / "wp-content/plugins/sqlite-database-integration"
    with zipfile.ZipFile(extract / SQLITE_ZIP) as z:
        for info in z.infolist():
            rel = info.filename.split("/", 1)[1] if "/" in info.filename else ""
            if not rel or info.is_dir():
                continue
            target = plugin / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
    shutil.rmtree(extract)
    # The drop-in names the plugin relative to WP_CONTENT_DIR, so a copy of the tree works where it lies.
    dropin = (plugin / "db.copy").read_text("utf-8")
    dropin = dropin.replace(
        "'{SQLITE_IMPLEMENTATION_FOLDER_PATH}'", "WP_CONTENT_DIR . '/plugins/sqlite-database-integration'"
    ).replace("{SQLITE_PLUGIN}", "sqlite-database-integration/load.php")
    (template / "wp-content/db.php").write_text(dropin, "utf-8")
    (template / "wp-content/database").mkdir(exist_ok=True)
    (template / "wp-content/mu-plugins").mkdir(exist_ok=True)
    (template / "wp-config.php").write_text(CONFIG.replace("{base}", ""), "utf-8")
    (template / "router.php").write_text(ROUTER.replace("{base}", ""), "utf-8")
    out = run_php(template, INSTALL.replace("{password}", ADMIN_PASSWORD))
    info = json.loads(out[out.index("JM-INSTALL:") + len("JM-INSTALL:") :])
    info["user"] = ADMIN_USER
    (template / "jm-install.json").write_text(json.dumps(info), "utf-8")
    return template


class WordPress:
    """One running WordPress, a copy of the template in ``root``."""

    def __init__(self, template: Path, docroot: Path, *, base: str = "", lifetime: float = 900) -> None:
        """``base``: the path WordPress is installed under (``/docs``), as the old site's baseurl was."""
        self.base = "/" + base.strip("/") if base.strip("/") else ""
        self.docroot = docroot
        self.root = docroot / self.base.lstrip("/") if self.base else docroot
        shutil.rmtree(docroot, ignore_errors=True)
        self.root.parent.mkdir(parents=True, exist_ok=True)
        # Hard links for WordPress's own files (never written to), a real copy of the database.
        subprocess.run(["cp", "-al", str(template), str(self.root)], check=True)
        db = self.root / "wp-content/database/.ht.sqlite"
        db.unlink()
        shutil.copyfile(template / "wp-content/database/.ht.sqlite", db)
        for name in ("wp-config.php", "router.php", "jm-install.json"):
            (self.root / name).unlink()
        (self.root / "wp-config.php").write_text(CONFIG.replace("{base}", self.base), "utf-8")
        (docroot / "router.php").write_text(ROUTER.replace("{base}", self.base), "utf-8")
        info = json.loads((template / "jm-install.json").read_text("utf-8"))
        self.user: str = info["user"]
        self.app_password: str = info["app_password"]
        self.port = free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.url = self.host + self.base
        self.lifetime = lifetime
        self.proc: subprocess.Popen[bytes] | None = None

    # -- the server ---------------------------------------------------------------------------------

    def start(self) -> WordPress:
        self.proc = subprocess.Popen(
            # coreutils timeout: the server goes by itself even if the test process dies
            ["timeout", str(int(self.lifetime)), "php", "-d", "opcache.enable_cli=1", "-S", f"127.0.0.1:{self.port}", "-t", str(self.docroot),
             str(self.docroot / "router.php")],
            cwd=self.docroot,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/wp-json/", timeout=10) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("WordPress did not start") from None
                time.sleep(0.1)
        self.clear_log()
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> WordPress:  # noqa: PYI034 (Python 3.10 has no typing.Self)
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests need ------------------------------------------------------------------------------

    def php(self, body: str) -> str:
        return run_php(self.root, body, port=self.port)

    def set_options(self, **options: object) -> None:
        """WordPress options (``permalink_structure``, ``timezone_string``, ...), rewrite rules flushed."""
        self.php(OPTIONS.replace("{options}", base64.b64encode(json.dumps(options).encode()).decode()))

    def disable_rest(self) -> None:
        self.add_mu_plugin("rest-off", REST_OFF)

    def add_mu_plugin(self, name: str, code: str) -> Path:
        """A must-use plugin (PHP code with its ``<?php``): loaded by every request from now on."""
        path = self.root / f"wp-content/mu-plugins/{name}.php"
        path.write_text(code, "utf-8")
        return path

    @property
    def log_path(self) -> Path:
        return self.docroot / "requests.log"

    def clear_log(self) -> None:
        self.log_path.write_text("", "utf-8")

    def requests(self) -> list[tuple[str, str]]:
        """(method, URI) of every request since the last :meth:`clear_log`."""
        if not self.log_path.is_file():
            return []
        out = []
        for line in self.log_path.read_text("utf-8").splitlines():
            method, _, uri = line.partition(" ")
            out.append((method, uri))
        return out

    def writes(self) -> list[tuple[str, str]]:
        return [(m, u) for m, u in self.requests() if m not in ("GET", "HEAD", "OPTIONS")]
