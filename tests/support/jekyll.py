"""Real Jekyll as the oracle: build a site with Debian's ``jekyll`` and read back every URL it wrote."""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PLUGIN_DIR = Path(__file__).resolve().parent / "jekyll_plugin"
URL_KINDS = frozenset({"post", "draft", "document", "page", "redirect"})
"""Record kinds whose URLs a migration must keep (generated pages such as feeds and sitemaps are not)."""

_CONFIG_NAMES = ("_config.yml", "_config.yaml", "_config.toml")
_UNQUOTED_COLON = re.compile(r"^(\s*(?:-\s+)?[^\s#'\"-][^:#\n]*:[ \t]+|\s*-[ \t]+)(:[^\s'\"#{\[][^\n]*?)([ \t]+#.*)?$", re.MULTILINE)


class JekyllError(RuntimeError):
    """Jekyll failed to build the site."""


@dataclass(frozen=True)
class JekyllBuild:
    """What one ``jekyll build`` wrote, as dumped by ``jekyll_plugin/oracle.rb``."""

    site: Path
    """The (symlink-resolved) site that was built."""
    dest: Path
    """The folder Jekyll wrote."""
    records: tuple[dict[str, Any], ...]
    """One per post, document, page, redirect page and generated page: ``kind`` (post, draft, document,
    page, redirect, generated: feeds, sitemaps, pagination pages; theme: a theme gem's asset pages),
    ``collection``, ``relative_path``, ``url``, ``written``, ``output``
    (dest-relative path), ``redirect``."""
    static_files: tuple[dict[str, Any], ...]
    """``relative_path``, ``url``, ``written`` and ``theme`` (from a theme gem) of every static file."""
    time: _dt.datetime
    """Jekyll's ``site.time`` (aware, UTC): give the reader the same "now"."""
    timezone: str
    """The TZ Jekyll ran in (the site's ``timezone`` or the one the harness set)."""
    stripped_plugins: tuple[str, ...]
    """Plugins the site asks for that are not installed here and were left out of the build (a theme
    gem that is not installed appears as ``theme:NAME``)."""
    log: str
    languages: tuple[str, ...] = ()
    """With jekyll-polyglot or jekyll-multiple-languages-plugin: the languages built, the default first (records
    then carry ``lang``, the build that wrote them, with URLs and outputs in its folder); () otherwise."""
    github_pages: bool = False
    """Built with GitHub Pages' configuration and plugins."""

    @property
    def urls(self) -> set[str]:
        """URLs of written posts, documents, pages and redirect pages."""
        return {r["url"] for r in self.records if r["kind"] in URL_KINDS and r["written"]}

    @property
    def static_urls(self) -> set[str]:
        return {s["url"] for s in self.static_files if s["written"] and not s.get("theme")}


@lru_cache(maxsize=1)
def installed_plugins() -> frozenset[str]:
    """Names of the Ruby gems Jekyll can load here."""
    proc = subprocess.run(
        ["ruby", "-e", "puts Gem::Specification.map(&:name)"], capture_output=True, text=True, timeout=120, check=False
    )
    return frozenset(proc.stdout.split())


ORACLE_LEAVES_OUT = frozenset({"jekyll-github-metadata"})
"""Installed plugins the oracle builds never load: offline, jekyll-github-metadata stops the build of a site
whose configuration has a ``github:`` mapping (its call for the owner's public repositories gets no answer)
or that names no repository, and it changes no URL of a development build. Its own test
(``tests/acceptance/test_github_plugins.py``) builds with it, in the environment it reads."""


def oracle_plugins() -> frozenset[str]:
    """The plugins the oracle builds may load: those installed, less :data:`ORACLE_LEAVES_OUT`."""
    return installed_plugins() - ORACLE_LEAVES_OUT


_GEMFILE_GROUP = (
    "puts Bundler::Dsl.evaluate(ARGV[0], nil, {}).dependencies"
    ".select { |d| d.groups.include?(:jekyll_plugins) }.map(&:name)"
)


def _gemfile_plugins(site: Path) -> list[str]:
    """The Gemfile's ``:jekyll_plugins`` group as Bundler itself reads it: Jekyll requires those gems
    through Bundler when it runs beside the Gemfile (the harness runs elsewhere, so the overlay loads them)."""
    if not (site / "Gemfile").is_file():
        return []
    proc = subprocess.run(["ruby", "-rbundler", "-e", _GEMFILE_GROUP, "Gemfile"], capture_output=True, text=True,
                          timeout=120, cwd=site, check=False)
    return proc.stdout.split() if proc.returncode == 0 else []


_GEMFILE_GEMS = "puts Bundler::Dsl.evaluate(ARGV[0], nil, {}).dependencies.map(&:name)"
GITHUB_PAGES_DEFAULT_PLUGINS = (
    "jekyll-coffeescript", "jekyll-gist", "jekyll-github-metadata", "jekyll-paginate", "jekyll-relative-links",
    "jekyll-optional-front-matter", "jekyll-readme-index", "jekyll-default-layout", "jekyll-titles-from-headings",
)
GITHUB_PAGES_WHITELIST = frozenset(GITHUB_PAGES_DEFAULT_PLUGINS) | {
    "jekyll-feed", "jekyll-redirect-from", "jekyll-seo-tag", "jekyll-sitemap", "jekyll-avatar", "jemoji",
    "jekyll-mentions", "jekyll-include-cache", "jekyll-octicons", "jekyll-remote-theme", "jekyll-commonmark-ghpages",
}
"""github/pages-gem ``plugins.rb`` (2024): the plugins GitHub Pages always runs, and the only ones it allows."""


def is_github_pages_site(site: Path) -> bool:
    """Whether GitHub Pages builds the site: its Gemfile (as Bundler reads it) depends on ``github-pages``, or
    a workflow of the site runs ``actions/jekyll-build-pages``."""
    if (site / "Gemfile").is_file():
        proc = subprocess.run(["ruby", "-rbundler", "-e", _GEMFILE_GEMS, "Gemfile"], capture_output=True, text=True,
                              timeout=120, cwd=site, check=False)
        if proc.returncode == 0 and "github-pages" in proc.stdout.split():
            return True
    workflows = site / ".github" / "workflows"
    for path in sorted(workflows.glob("*.y*ml")) if workflows.is_dir() else []:
        try:
            steps = [step for job in (yaml.safe_load(path.read_text("utf-8")) or {}).get("jobs", {}).values()
                     for step in job.get("steps") or []]
        except (yaml.YAMLError, OSError, AttributeError):
            continue
        if any(str(step.get("uses", "")).startswith("actions/jekyll-build-pages@") for step in steps):
            return True
    return False


def github_pages_overlay(user: dict[str, Any]) -> dict[str, Any]:
    """What GitHub Pages' configuration (github/pages-gem ``configuration.rb``) adds to the site's own, as a
    config file merged last: its defaults only where the site sets nothing, its overrides always. ``safe``
    stays off here so the dumping plugin loads: the plugins are limited to GitHub's list by hand instead."""
    overlay: dict[str, Any] = {"lsi": False, "highlighter": "rouge"}
    if "future" not in user:
        overlay["future"] = True
    if "exclude" not in user:
        overlay["exclude"] = ["CNAME"]
    kramdown = user.get("kramdown") if isinstance(user.get("kramdown"), dict) else {}
    defaults = {"input": "GFM", "hard_wrap": False, "gfm_quirks": "paragraph_end"}
    overlay["kramdown"] = {**{k: v for k, v in defaults.items() if k not in kramdown},
                           "template": "", "math_engine": "mathjax", "syntax_highlighter": "rouge"}
    markdown = str(user.get("markdown") or "kramdown").lower()
    if markdown not in ("kramdown", "gfm", "commonmarkghpages"):
        overlay["markdown"] = "kramdown"
    return overlay


def _config_files(site: Path) -> list[Path]:
    for name in _CONFIG_NAMES:
        if (site / name).is_file():
            return [site / name]
    return []


def quote_colon_values(text: str) -> str:
    """Quote YAML values that start with ``:`` (``permalink: :title``), which Debian's Jekyll rejects."""

    def fix(m: re.Match[str]) -> str:
        value = m.group(2).rstrip()
        return m.group(1) + json.dumps(value) + (m.group(3) or "")

    return _UNQUOTED_COLON.sub(fix, text)


def _load_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8-sig")) if path.suffix != ".toml" else {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _neutralise_sass(copy: Path) -> None:
    # Debian's sassc cannot compile modern Sass (@use, meta.load-css); stylesheets have no URL we
    # compare beyond their own name, so their bodies are emptied in the copy and the front matter kept.
    for path in list(copy.rglob("*.scss")) + list(copy.rglob("*.sass")):
        if path.is_symlink() or not path.is_file():
            continue
        raw = path.read_bytes()
        if not re.match(rb"---\s*\r?\n", raw):
            continue
        end = re.search(rb"^---\s*$", raw[3:], re.MULTILINE)
        if end:
            path.write_bytes(raw[: 3 + end.end()] + b"\n")


def jekyll_build(
    site_dir: str | Path,
    dest_dir: str | Path,
    *,
    drafts: bool = False,
    future: bool | None = None,
    unpublished: bool = False,
    tz: str = "UTC",
    config_files: tuple[str, ...] | None = None,
    github_pages: bool | None = None,
    timeout: float = 900,
) -> JekyllBuild:
    """Build ``site_dir`` into ``dest_dir`` with real Jekyll and return what it wrote.

    The site is copied (symlinks resolved first, modification times kept) so read-only corpora build;
    config values starting with ``:`` are quoted in the copy; Sass stylesheets are emptied in the copy
    (Debian's sassc rejects modern Sass; it changes no URL); plugins that are not installed are
    dropped through an overlay config that also loads our dumping plugin. ``tz`` is the TZ Jekyll runs
    in unless the site sets ``timezone``. ``future=None`` keeps the site's own setting.
    ``config_files`` (site-relative) replaces the default ``_config.yml`` like ``--config a,b``.
    ``github_pages`` builds with GitHub Pages' configuration and plugins (None: when the site is one, see
    :func:`is_github_pages_site`): its Gemfile and ``_plugins`` play no part then, as on GitHub.
    """
    site = Path(site_dir).resolve()
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="jekyll-oracle-", dir=dest.parent))
    copy = work / "site"
    shutil.copytree(site, copy, symlinks=True)
    _neutralise_sass(copy)
    configs = [copy / name for name in config_files] if config_files else _config_files(copy)
    wanted: list[str] = []
    themes_stripped: list[str] = []
    source = copy
    user: dict[str, Any] = {}
    pages = is_github_pages_site(copy) if github_pages is None else github_pages
    for cfg in configs:
        if cfg.suffix != ".toml":
            cfg.write_text(quote_colon_values(cfg.read_text("utf-8-sig")), "utf-8")
        loaded = _load_config(cfg)
        user.update(loaded)
        if isinstance(loaded.get("source"), str):
            # Jekyll reads source: relative to the folder it runs in; --source would override it
            source = copy / loaded["source"]
        for key in ("plugins", "gems"):
            if isinstance(loaded.get(key), list):
                wanted += [str(p) for p in loaded[key]]
        theme = loaded.get("theme")
        if isinstance(theme, str) and theme not in installed_plugins() and cfg.suffix != ".toml":
            # an overlay cannot unset a key (nil never overrides): comment the theme out in the copy
            cfg.write_text(re.sub(r"^theme:", "# theme:", cfg.read_text("utf-8"), flags=re.MULTILINE), "utf-8")
            themes_stripped.append(f"theme:{theme}")
    if pages:
        wanted = [p for p in dict.fromkeys(wanted + list(GITHUB_PAGES_DEFAULT_PLUGINS)) if p in GITHUB_PAGES_WHITELIST]
    else:
        wanted += _gemfile_plugins(copy)
    available = oracle_plugins()
    keep = [p for p in dict.fromkeys(wanted) if p in available]
    stripped = tuple(p for p in dict.fromkeys(wanted) if p not in available) + tuple(themes_stripped)
    plugin_dirs = [str(PLUGIN_DIR)]
    own_plugins = source / "_plugins"
    if own_plugins.is_dir() and not pages:
        plugin_dirs.insert(0, str(own_plugins))
    overlay: dict[str, Any] = {"plugins": keep, "gems": keep, "plugins_dir": plugin_dirs, "disable_disk_cache": True}
    if pages:
        overlay.update(github_pages_overlay(user))
    if future is not None:
        overlay["future"] = future
    overlay_path = work / "overlay.yml"
    overlay_path.write_text(json.dumps(overlay), "utf-8")
    out_json = work / "oracle.json"
    cmd = [
        "jekyll", "build", "--source", str(source), "--destination", str(dest),
        "--config", ",".join([str(c) for c in configs] + [str(overlay_path)]), "--disable-disk-cache", "--trace",
    ]
    if drafts:
        cmd.append("--drafts")
    if future:
        cmd.append("--future")
    if unpublished:
        cmd.append("--unpublished")
    env = {**os.environ, "TZ": tz, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "JEKYLL_ENV": "development",
           "JEKYLL_MIGRATE_ORACLE_OUT": str(out_json)}
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=str(work), check=False
    )
    log = proc.stdout + proc.stderr
    per_language = sorted(work.glob(out_json.name + ".lang-*"))
    if proc.returncode != 0 or not (out_json.exists() or per_language):
        raise JekyllError(f"jekyll build of {site} failed (exit {proc.returncode}):\n{log[-4000:]}")
    dumped = json.loads(out_json.read_text("utf-8")) if not per_language else _merge_languages(per_language, dest)
    shutil.rmtree(copy, ignore_errors=True)
    return JekyllBuild(
        site=site,
        dest=dest,
        records=tuple(dumped["records"]),
        static_files=tuple(dumped["static_files"]),
        time=_dt.datetime.fromtimestamp(dumped["time"], _dt.timezone.utc),
        timezone=dumped.get("timezone") or tz,
        stripped_plugins=stripped,
        log=log,
        languages=tuple(dumped.get("languages", ())),
        github_pages=pages,
    )


def _merge_languages(dumps: list[Path], dest: Path) -> dict[str, Any]:
    """One dump of a build by a language plugin from the dump of each language's build: URLs and outputs get
    the folder that language's build wrote to; a record counts as written when its file is there at the end
    (a language's build removes what the default language's build wrote into its folder before it)."""
    loaded = [json.loads(p.read_text("utf-8")) for p in dumps]
    default = loaded[0]["default_language"]
    loaded.sort(key=lambda d: (d["language"] != default, d["language"]))
    records: list[dict[str, Any]] = []
    statics: list[dict[str, Any]] = []
    for dump in loaded:
        lang = dump["language"]
        folder = os.path.relpath(dump["dest"], dest)
        prefix = "" if folder == "." else "/" + Path(folder).as_posix()
        for record in dump["records"]:
            record = {**record, "lang": lang, "url": prefix + record["url"]}
            if record.get("output") is not None:
                record["output"] = (prefix + "/" + record["output"]).lstrip("/")
                record["written"] = bool(record["written"]) and (dest / record["output"]).is_file()
            records.append(record)
        for static in dump["static_files"]:
            url = prefix + static["url"]
            on_disk = (dest / urllib.parse.unquote(url).lstrip("/")).is_file()
            statics.append({**static, "lang": lang, "url": url, "written": bool(static["written"]) and on_disk})
    return {"time": loaded[0]["time"], "timezone": loaded[0]["timezone"], "records": records,
            "static_files": statics, "languages": [d["language"] for d in loaded]}


_CACHE: dict[tuple[Any, ...], JekyllBuild] = {}


def cached_jekyll_build(site_dir: str | Path, root: str | Path, **options: Any) -> JekyllBuild:
    """:func:`jekyll_build` once per (site, options) in this process; builds land under ``root``."""
    site = Path(site_dir).resolve()
    key = (str(site), tuple(sorted(options.items())))
    if key not in _CACHE:
        tag = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{site.name}-{abs(hash(key)) % 10**8}")
        _CACHE[key] = jekyll_build(site, Path(root) / tag / "_site", **options)
    return _CACHE[key]
