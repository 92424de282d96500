"""The reader's settings: everything it derives from ``_config.yml`` and the command line, worked out once."""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.ir import Issue
from migrate.reader.config import (
    FrontmatterDefaults,
    audit_config,
    compile_patterns,
    python_codec,
)
from migrate.reader.dates import jekyll_date, local_zone, named_zone
from migrate.reader.github_pages import Build, detect_build, load_site_config, site_plugins
from migrate.reader.plugins import github_metadata
from migrate.reader.urls import add_permalink_suffix
from migrate.reader.yamlsafe import ruby_str

Patterns = list[tuple[str, re.Pattern[str]]]
"""``include`` or ``exclude`` compiled: each entry's text and its glob as a pattern."""


@dataclass(frozen=True)
class Settings:
    """One site's configuration as the reader applies it; made by :func:`read_settings`, never changed."""

    build: Build
    """Which build made the site: plain Jekyll, or GitHub Pages (its settings and plugins)."""
    run_dir: Path
    """The folder Jekyll runs in: where it finds ``_config.yml`` and the Gemfile."""
    root: Path
    """The site's ``source``: every path of the site is relative to it."""
    real_root: str
    """``root`` with its links resolved: a followed link must point inside it."""
    config: dict[str, Any]
    """The merged configuration: Jekyll's defaults, then each configuration file in turn."""
    config_used: tuple[str, ...]
    """The names of the configuration files read, relative to ``run_dir``."""
    plugins: tuple[str, ...]
    """The plugins the site loads (``plugins:`` and the Gemfile's ``:jekyll_plugins`` group)."""
    timezone: str | None
    """``timezone`` as written, when it is a string."""
    zone: _dt.tzinfo
    """The zone dates without an offset are read in (UTC for a name that is no zone, as Jekyll does)."""
    time: _dt.datetime
    """``site.time``: now (or ``time:`` of the configuration), in ``zone``."""
    show_future: bool
    show_unpublished: bool
    show_drafts: bool
    permalink_style: str
    markdown_exts: frozenset[str]
    """``markdown_ext`` as lower-case extensions with their dot."""
    collections_dir: str
    collections: dict[str, dict[str, Any]]
    """Each collection's metadata by label, ``posts`` included."""
    defaults: FrontmatterDefaults
    include: tuple[str, ...]
    """``include`` as written: its entries are also read when they name a file."""
    include_patterns: Patterns
    exclude_patterns: Patterns
    """``exclude`` less what ``include`` names."""
    destination: str
    """The output folder as a path inside the source (Jekyll skips it there), or "" when it is outside."""
    redirect_plugin: bool
    """Whether the site loads jekyll-redirect-from: without it ``redirect_from`` is plain data."""
    codec: str
    """How Jekyll reads pages and documents (``encoding``; Jekyll skips a UTF-8 byte order mark)."""
    data_dir: str
    layouts_dir: str
    includes_dir: str
    plugins_dir: str
    limit_posts: int
    """``limit_posts``: how many of the newest posts are built (0: all)."""
    excerpt_separator: Any
    lang: str | None
    """``lang`` of the configuration: the language of a document that names none."""
    title: str
    description: str
    url: str
    baseurl: str
    language: str | None
    """``lang`` or ``language`` of the configuration: the site's language."""

    @property
    def config_name(self) -> str | None:
        """The first configuration file read: where problems of the configuration are reported."""
        return self.config_used[0] if self.config_used else None

    def collection_dir(self, label: str) -> str:
        return f"{self.collections_dir}/_{label}" if self.collections_dir else f"_{label}"

    def collection_template(self, label: str) -> str:
        meta = self.collections.get(label, {})
        if meta.get("permalink"):
            return ruby_str(meta["permalink"])
        return add_permalink_suffix("/:collection/:path", self.permalink_style)

    def collection_output(self, label: str) -> bool:
        """Whether Jekyll writes the collection's documents (``output: true``)."""
        return bool(self.collections.get(label, {}).get("output", False))


def read_settings(
    run_dir: Path,
    *,
    config_files: list[str | Path] | None,
    drafts: bool,
    future: bool | None,
    unpublished: bool,
    now: _dt.datetime | None,
    issues: list[Issue],
    github_pages: bool | None = None,
) -> Settings:
    """The settings of the site Jekyll would build when run in ``run_dir``; the configuration's problems go to
    ``issues``, in the order Jekyll meets them. ``future`` None: as the configuration says. ``github_pages``:
    read the site as GitHub Pages builds it (True), as plain Jekyll (False), or as detected (None)."""
    build = detect_build(run_dir, github_pages)
    config, used = load_site_config(run_dir, config_files, issues, build)
    config_name = used[0] if used else None
    issues.extend(audit_config(config, config_name))
    # the Gemfile sits where Jekyll runs, beside _config.yml
    plugins = site_plugins(run_dir, config, build, config_name, issues)
    if github_metadata.NAME in plugins:  # site.github, and the title (url, baseurl) it falls back to
        metadata = github_metadata.apply(config, run_dir, config_name)
        config = metadata.config
        issues.extend(metadata.issues)
    root = _source(run_dir, config, config_name, issues)
    tz_name = config.get("timezone") if isinstance(config.get("timezone"), str) else None
    zone = local_zone(tz_name)
    if tz_name and named_zone(tz_name) is None:
        issues.append(Issue("unknown-timezone", "warning",
                            f"timezone {tz_name!r} is no zone name: dates are read in UTC, as Jekyll does", config_name))
    time = _site_time(config, zone, now, issues)
    collections_dir = str(config.get("collections_dir") or "").strip("/")
    defaults = FrontmatterDefaults(root, collections_dir, config.get("defaults") or [], issues)
    _note_themes(config, config_name, issues)
    return Settings(
        build=build,
        run_dir=run_dir,
        root=root,
        real_root=os.path.realpath(root),
        config=config,
        config_used=tuple(used),
        plugins=plugins,
        timezone=tz_name,
        zone=zone,
        time=time,
        show_future=bool(config.get("future")) if future is None else (future or bool(config.get("future"))),
        show_unpublished=unpublished or bool(config.get("unpublished")),
        show_drafts=drafts or bool(config.get("show_drafts")),
        permalink_style=str(config.get("permalink") or "date"),
        markdown_exts=frozenset(
            "." + e.strip().lower() for e in str(config.get("markdown_ext", "")).split(",") if e.strip()
        ),
        collections_dir=collections_dir,
        collections=config["collections"],
        defaults=defaults,
        include=tuple(config["include"]),
        include_patterns=compile_patterns(config["include"]),
        exclude_patterns=compile_patterns([p for p in config["exclude"] if p not in config["include"]]),
        destination=_destination(run_dir, root, config),
        redirect_plugin="jekyll-redirect-from" in plugins,
        codec=python_codec(config.get("encoding")) or "utf-8",
        data_dir=_folder(config, "data_dir", "_data"),
        layouts_dir=_folder(config, "layouts_dir", "_layouts"),
        includes_dir=_folder(config, "includes_dir", "_includes"),
        plugins_dir=_folder(config, "plugins_dir", "_plugins") if isinstance(config.get("plugins_dir"), str) else "_plugins",
        limit_posts=_limit_posts(config),
        excerpt_separator=config.get("excerpt_separator"),
        lang=ruby_str(config.get("lang")) or None,
        title=_text(config, "title"),
        description=_text(config, "description"),
        url=ruby_str(config.get("url")).rstrip("/") if config.get("url") else "",
        baseurl=_baseurl(config),
        language=ruby_str(config.get("lang") or config.get("language")) or None,
    )


def _source(run_dir: Path, config: dict[str, Any], where: str | None, issues: list[Issue]) -> Path:
    """Jekyll's ``source``: the folder the site is read from, relative to the folder Jekyll runs in (where
    it found ``_config.yml``); every other path of the site is relative to it."""
    value = config.get("source")
    if value is None or not isinstance(value, (str, int, float)) or str(value).strip() in ("", "."):
        return run_dir
    source = Path(os.path.normpath(run_dir / str(value)))
    if not source.is_dir():
        issues.append(Issue("config-error", "error", f"source {value!r}: no such folder; the site is read "
                            "from the folder given", where))
        return run_dir
    issues.append(Issue("config-source", "info", f"the site is read from {value!r} (source: in the "
                        "configuration), as Jekyll reads it", where))
    return source


def _site_time(config: dict[str, Any], zone: _dt.tzinfo, now: _dt.datetime | None, issues: list[Issue]) -> _dt.datetime:
    """``site.time``: ``time:`` of the configuration, or now."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=_dt.timezone.utc)
    if config.get("time"):
        try:
            now = jekyll_date(config["time"], zone)
        except ValueError:
            issues.append(Issue("config-error", "warning", "invalid 'time' in the configuration"))
    return now.astimezone(zone)


def _destination(run_dir: Path, root: Path, config: dict[str, Any]) -> str:
    """The output folder as a path inside the source (Jekyll skips it there), relative to where Jekyll runs."""
    dest = os.path.normpath(os.path.join(run_dir, str(config.get("destination") or "_site")))
    rel = os.path.relpath(dest, root)
    return "" if rel == "." or rel.startswith("..") else Path(rel).as_posix()


def _folder(config: dict[str, Any], key: str, default: str) -> str:
    """A special folder of the source (``data_dir``, ``layouts_dir``, ...), without slashes around it."""
    return str(config.get(key) or default).strip("/")


def _limit_posts(config: dict[str, Any]) -> int:
    try:
        return int(config.get("limit_posts") or 0)
    except (TypeError, ValueError, OverflowError):  # .inf: no number of posts
        return 0


def _text(config: dict[str, Any], key: str) -> str:
    return ruby_str(config.get(key)) if config.get(key) is not None else ""


def _baseurl(config: dict[str, Any]) -> str:
    base = config.get("baseurl")
    if not base:
        return ""
    base = "/" + ruby_str(base).strip("/")
    return "" if base == "/" else base


def _note_themes(config: dict[str, Any], where: str | None, issues: list[Issue]) -> None:
    for key in ("theme", "remote_theme"):
        if isinstance(config.get(key), str) and config[key]:
            issues.append(
                Issue(
                    "theme-gem", "info",
                    f"the site uses the {key} {config[key]!r}: its layouts and assets live outside the site "
                    "folder and are not read",
                    where,
                )
            )
