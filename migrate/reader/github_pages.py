"""Which build made the site: GitHub Pages (the ``github-pages`` gem's settings and plugins) or plain Jekyll."""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.ir import Issue
from migrate.reader.config import THEME_PLUGINS, deep_merge, load_config
from migrate.reader.config import enabled_plugins as jekyll_plugins
from migrate.reader.plugins import unmodelled

log = logging.getLogger(__name__)

DEFAULT_PLUGINS = (
    "jekyll-coffeescript",
    "jekyll-gist",
    "jekyll-github-metadata",
    "jekyll-paginate",
    "jekyll-relative-links",
    "jekyll-optional-front-matter",
    "jekyll-readme-index",
    "jekyll-default-layout",
    "jekyll-titles-from-headings",
)
"""Plugins GitHub Pages always runs (github/pages-gem ``plugins.rb``)."""
WHITELIST = frozenset(DEFAULT_PLUGINS) | {
    "jekyll-feed",
    "jekyll-redirect-from",
    "jekyll-seo-tag",
    "jekyll-sitemap",
    "jekyll-avatar",
    "jemoji",
    "jekyll-mentions",
    "jekyll-include-cache",
    "jekyll-octicons",
    "jekyll-remote-theme",
    "jekyll-commonmark-ghpages",
}
"""The only plugins GitHub Pages loads; it ignores any other the site lists."""
DEFAULTS: dict[str, Any] = {
    "plugins": list(DEFAULT_PLUGINS),
    "future": True,
    "theme": "jekyll-theme-primer",
    "markdown": "kramdown",
    "kramdown": {
        "input": "GFM",
        "hard_wrap": False,
        "gfm_quirks": "paragraph_end",
        "syntax_highlighter_opts": {"default_lang": "plaintext"},
    },
    "exclude": ["CNAME"],
}
"""GitHub Pages' defaults, which the site's configuration may change (``configuration.rb``)."""
OVERRIDES: dict[str, Any] = {
    "lsi": False,
    "safe": True,
    "whitelist": sorted(WHITELIST),
    "highlighter": "rouge",
    "kramdown": {"template": "", "math_engine": "mathjax", "syntax_highlighter": "rouge"},
    "gist": {"noscript": False},
}
"""What GitHub Pages sets whatever the site says (``plugins_dir`` too: a random name, so ``_plugins`` never runs)."""

_GEMFILE_GEM = re.compile(r"""^\s*gem\s*\(?\s*(['"])github-pages\1""", re.MULTILINE)
_BUILD_ACTION = re.compile(r"""^[^#\n]*\buses:\s*['"]?actions/jekyll-build-pages@""", re.MULTILINE)


@dataclass(frozen=True)
class Build:
    """How the site is built, and why the reader thinks so."""

    github_pages: bool
    reason: str = ""


def detect_build(root: Path, flag: bool | None) -> Build:
    """GitHub Pages builds the site when ``flag`` says so, or (``flag`` None) when its Gemfile names the
    ``github-pages`` gem or a workflow of its repository runs ``actions/jekyll-build-pages``."""
    if flag is not None:
        return Build(flag, "--github-pages" if flag else "")
    try:
        if _GEMFILE_GEM.search((root / "Gemfile").read_text("utf-8", "replace")):
            return Build(True, "its Gemfile names the github-pages gem")
    except OSError:
        pass
    for folder in _repository_folders(root):
        workflows = folder / ".github" / "workflows"
        if not workflows.is_dir():
            continue
        for path in sorted(workflows.iterdir()):
            if path.suffix.lower() not in (".yml", ".yaml") or not path.is_file():
                continue
            try:
                text = path.read_text("utf-8", "replace")
            except OSError:
                continue
            if _BUILD_ACTION.search(text):
                where = path.relative_to(folder).as_posix()
                return Build(True, f"the workflow {where} runs actions/jekyll-build-pages")
    return Build(False)


def _repository_folders(root: Path) -> list[Path]:
    """The site folder, and the folders above it up to its git repository's top (a Pages site often lives in
    ``docs/`` while its workflows sit at the top); only the site folder when it is in no repository."""
    folders = [root]
    try:
        here = root.resolve()
    except OSError:
        return folders
    if (here / ".git").exists():
        return folders
    for parent in here.parents:
        folders.append(parent)
        if (parent / ".git").exists():
            return folders
    return [root]


def config_defaults() -> dict[str, Any]:
    """Defaults the site's own configuration is merged onto (``theme`` apart: see :func:`apply_overrides`)."""
    return copy.deepcopy({k: v for k, v in DEFAULTS.items() if k != "theme"})


def apply_overrides(config: dict[str, Any]) -> dict[str, Any]:
    """The configuration GitHub Pages builds with: its overrides on top, Markdown restricted to kramdown
    (or its CommonMark), and the default plugins added to ``plugins``."""
    config = deep_merge(config, copy.deepcopy(OVERRIDES))
    if "theme" not in config:  # ``theme: null`` in the site's file turns the default theme off
        config["theme"] = DEFAULTS["theme"]
    markdown = str(config.get("markdown") or "").lower()
    if markdown not in ("kramdown", "gfm", "commonmarkghpages"):
        config["markdown"] = "kramdown"
    elif markdown == "gfm":
        config["markdown"] = "CommonMarkGhPages"
    config["plugins"] = list(dict.fromkeys(_listed(config, "plugins") + list(DEFAULT_PLUGINS)))
    if "remote_theme" in config:
        config["plugins"].append("jekyll-remote-theme")
    return config


def _listed(config: dict[str, Any], key: str) -> list[str]:
    value = config.get(key)
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [p.strip() for p in items if isinstance(p, str) and p.strip()]


def github_plugins(config: dict[str, Any], where: str | None, issues: list[Issue]) -> tuple[str, ...]:
    """The plugins a GitHub Pages build runs: ``plugins`` (and Jekyll 3's ``gems``) with the default ones,
    then the plugins a known ``theme`` depends on, all limited to GitHub's list. The Gemfile plays no part:
    GitHub builds with its own. Each plugin the site lists that GitHub does not run is reported."""
    names = _listed(config, "plugins") + _listed(config, "gems")
    theme = config.get("theme")
    if isinstance(theme, str):
        names += THEME_PLUGINS.get(theme.strip(), ())
    names = list(dict.fromkeys(names))
    for name in names:
        if name not in WHITELIST:
            issues.append(
                Issue(
                    "github-pages-plugin-ignored",
                    "info",
                    f"the site lists the plugin {name}, which GitHub Pages does not run: it made "
                    "nothing on the site as served, and the migration ignores it too",
                    where,
                )
            )
    return tuple(n for n in names if n in WHITELIST)


def load_site_config(
    root: Path, config_files: list[str | Path] | None, issues: list[Issue], build: Build
) -> tuple[dict[str, Any], list[str]]:
    """The configuration the site is built with: Jekyll's, or on GitHub Pages its defaults below the site's
    files and its overrides above them."""
    if not build.github_pages:
        return load_config(root, config_files, issues)
    config, used = load_config(root, config_files, issues, defaults=config_defaults())
    issues.append(
        Issue(
            "github-pages",
            "info",
            f"the site is built by GitHub Pages ({build.reason}): read with GitHub Pages' settings "
            "(future-dated posts published, safe mode) and default plugins; --no-github-pages "
            "reads it as plain Jekyll",
            used[0] if used else None,
        )
    )
    return apply_overrides(config), used


def site_plugins(
    root: Path, config: dict[str, Any], build: Build, where: str | None, issues: list[Issue]
) -> tuple[str, ...]:
    """The plugins the build loads (see :func:`github_plugins` and ``config.enabled_plugins``), and a note
    for each one whose work the migration does not carry out."""
    if build.github_pages:
        plugins = github_plugins(config, where, issues)
    else:
        plugins = jekyll_plugins(root, config)
    issues.extend(unmodelled(plugins, where))
    return plugins
