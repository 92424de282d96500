"""The site configuration as Jekyll 4.3 merges it, and front-matter ``defaults`` with Jekyll's precedence."""

from __future__ import annotations

import codecs
import copy
import fnmatch
import glob
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib

from migrate.ir import Issue
from migrate.reader.urls import style_to_permalink
from migrate.reader.yamlsafe import YamlError, load_yaml

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "source": ".",
    "destination": "_site",
    "collections_dir": "",
    "cache_dir": ".jekyll-cache",
    "plugins_dir": "_plugins",
    "layouts_dir": "_layouts",
    "data_dir": "_data",
    "includes_dir": "_includes",
    "collections": {},
    "safe": False,
    "include": [".htaccess"],
    "exclude": [],
    "keep_files": [".git", ".svn"],
    "encoding": "utf-8",
    "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "strict_front_matter": False,
    "show_drafts": None,
    "limit_posts": 0,
    "future": False,
    "unpublished": False,
    "whitelist": [],
    "plugins": [],
    "markdown": "kramdown",
    "highlighter": "rouge",
    "lsi": False,
    "excerpt_separator": "\n\n",
    "incremental": False,
    "baseurl": None,
    "permalink": "date",
    "paginate_path": "/page:num",
    "timezone": None,
    "quiet": False,
    "verbose": False,
    "defaults": [],
}

DEFAULT_EXCLUDES = [
    ".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/",
]


def deep_merge(master: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``Utils.deep_merge_hashes``: a nil value never overwrites, nested hashes merge."""
    result = dict(master)
    for key, new in other.items():
        old = result.get(key)
        if new is None and key in result:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            result[key] = deep_merge(old, new)
        else:
            result[key] = new
    return result


def default_config_files(root: Path) -> list[Path]:
    for ext in ("yml", "yaml", "toml"):
        candidate = root / f"_config.{ext}"
        if candidate.exists():
            return [candidate]
    return [root / "_config.yml"]


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def load_config(
    root: Path,
    config_files: list[str | Path] | None,
    issues: list[Issue],
    *,
    defaults: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The merged configuration, and the site-relative names of the config files read. ``defaults`` (GitHub
    Pages' own) go between Jekyll's defaults and the site's files."""
    explicit = config_files is not None
    files = [Path(f) if Path(f).is_absolute() else root / f for f in (config_files or [])] if explicit else (
        default_config_files(root)
    )
    config = copy.deepcopy(DEFAULTS)
    if defaults:
        config = deep_merge(config, defaults)
    used: list[str] = []
    for path in files:
        name = _rel(root, path)
        try:
            raw = path.read_bytes()
        except OSError:
            if explicit:
                issues.append(Issue("config-missing", "error", f"configuration file {path} cannot be read", name))
            continue
        used.append(name)
        text = raw.decode("utf-8-sig", "replace").replace("\r\n", "\n")
        try:
            if path.suffix.lower() == ".toml":
                loaded = tomllib.loads(text)
            else:
                loaded = load_yaml(text) or {}
        except YamlError as exc:
            line = exc.line + 1 if exc.line is not None else None
            issues.append(Issue("config-error", "error", f"invalid YAML in the configuration: {exc.message}", name, line))
            continue
        except tomllib.TOMLDecodeError as exc:
            issues.append(Issue("config-error", "error", f"invalid TOML in the configuration: {exc}", name))
            continue
        if not isinstance(loaded, dict):
            issues.append(Issue("config-error", "error", "the configuration is not a mapping; ignored", name))
            continue
        config = deep_merge(config, {str(k): v for k, v in loaded.items()})
    for option in ("include", "exclude"):
        if not isinstance(config.get(option), list):
            issues.append(
                Issue("config-error", "error", f"'{option}' should be a list; ignored", used[0] if used else None)
            )
            config[option] = list(DEFAULTS[option])
    config["exclude"] = _uniq([str(x) for x in config["exclude"] if x is not None] + DEFAULT_EXCLUDES)
    config["include"] = [str(x) for x in config["include"] if x is not None]
    config["collections"] = _collections(config)
    for key in ("layouts_dir", "data_dir", "includes_dir", "collections_dir", "destination", "plugins_dir"):
        if not isinstance(config.get(key), str):
            config[key] = DEFAULTS[key]
    if not isinstance(config.get("permalink"), str):
        config["permalink"] = str(config.get("permalink") or "date")
    return config, used


def _uniq(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _collections(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = config.get("collections")
    if isinstance(raw, list):
        raw = {str(label): {} for label in raw}
    if not isinstance(raw, dict):
        raw = {}
    result = {str(k): dict(v) if isinstance(v, dict) else {} for k, v in raw.items()}
    posts = {**result.get("posts", {})}
    posts["output"] = True
    if config.get("permalink") and not posts.get("permalink"):
        posts["permalink"] = style_to_permalink(str(config["permalink"]))
    result["posts"] = posts
    return result


# -- front-matter defaults -----------------------------------------------------------------------------


def _sanitize_scope_path(path: Any) -> str:
    if not isinstance(path, str) or not path:
        return ""
    if path.startswith("/"):
        return re.sub(r"\A/", "", path)
    return path


@dataclass
class _Set:
    scope: dict[str, Any]
    values: dict[str, Any]
    path: str
    glob_paths: list[str] | None = None


@dataclass
class FrontmatterDefaults:
    """``Jekyll::FrontmatterDefaults``: scoped by path prefix (or glob) and type."""

    root: Path
    collections_dir: str
    raw: list[Any]
    issues: list[Issue]
    _sets: list[_Set] = field(default_factory=list)
    _cache: dict[tuple[str, str | None], list[_Set]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        renames = {"page": "pages", "post": "posts", "draft": "drafts"}
        for entry in self.raw if isinstance(self.raw, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                self.issues.append(Issue("config-defaults", "warning", f"invalid front-matter default set: {entry!r}"[:300]))
                continue
            scope = dict(entry["scope"]) if isinstance(entry.get("scope"), dict) else {}
            if "type" in scope:
                scope["type"] = renames.get(str(scope["type"]), str(scope["type"]))
            path = scope.get("path")
            glob_paths = None
            if isinstance(path, str) and "*" in path:
                matches = glob.glob(str(self.root / path))
                glob_paths = [self._strip_collections_dir(Path(m).relative_to(self.root).as_posix()) for m in matches]
            self._sets.append(_Set(scope, entry["values"], _sanitize_scope_path(path), glob_paths))

    def _strip_collections_dir(self, path: str) -> str:
        if self.collections_dir and path.startswith(self.collections_dir + "/"):
            return path[len(self.collections_dir) + 1 :]
        return path

    def _applies(self, item: _Set, path: str, kind: str | None) -> bool:
        if "type" in item.scope and item.scope["type"] != kind:
            return False
        raw = item.scope.get("path")
        if not isinstance(raw, str) or not raw:
            return True
        sanitized = _sanitize_scope_path(path)
        if item.glob_paths is not None:
            return any(sanitized.startswith(p) for p in item.glob_paths)
        return sanitized.startswith(self._strip_collections_dir(raw))

    def matching(self, path: str, kind: str | None) -> list[_Set]:
        key = (path, kind)
        found = self._cache.get(key)
        if found is None:
            found = [s for s in self._sets if not s.scope or self._applies(s, path, kind)]
            self._cache[key] = found
        return found

    @staticmethod
    def _precedes(old: _Set | None, new: _Set) -> bool:
        if old is None:
            return True
        if len(new.path) != len(old.path):
            return len(new.path) >= len(old.path)
        if "type" in new.scope:
            return True
        return "type" not in old.scope

    def all(self, path: str, kind: str | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        old: _Set | None = None
        for item in self.matching(path, kind):
            if self._precedes(old, item):
                values = deep_merge(values, item.values)
                old = item
            else:
                values = deep_merge(item.values, values)
        return values

    def find(self, path: str, kind: str | None, key: str) -> Any:
        value = None
        old: _Set | None = None
        for item in self.matching(path, kind):
            if key in item.values and self._precedes(old, item):
                value = item.values[key]
                old = item
        return value


def compile_patterns(patterns: list[str]) -> list[tuple[str, re.Pattern[str]]]:
    return [(p.lstrip("/"), re.compile(fnmatch.translate(p.lstrip("/")), re.DOTALL)) for p in patterns]


# -- plugins -------------------------------------------------------------------------------------------

_GEM = re.compile(r"""^\s*gem\s*\(?\s*(['"])([^'"]+)\1(.*)$""")
_GROUP = re.compile(r"""^\s*group\s*\(?(.*?)\)?\s+do\b""")
_BLOCK_OPEN = re.compile(r"""\bdo\b(\s*\|[^|]*\|)?\s*(#.*)?$""")
_BLOCK_END = re.compile(r"""^\s*end\b""")
_KEYWORD_OPEN = re.compile(r"""^\s*(?:if|unless|case|begin|while|until|def)\b""")
_PLUGIN_GROUP = re.compile(r"""(?::|['"])jekyll_plugins\b""")


def gemfile_plugins(text: str) -> list[str]:
    """The gems a Gemfile puts in the ``:jekyll_plugins`` group, which Jekyll requires through Bundler
    (``group :jekyll_plugins do ... end`` or ``gem "x", group: :jekyll_plugins``)."""
    found: list[str] = []
    stack: list[bool] = []  # one entry per open block: whether it is a jekyll_plugins group
    for raw in text.splitlines():
        line = raw.split("#", 1)[0] if not raw.lstrip().startswith("gem") else raw
        group = _GROUP.match(line)
        if group:
            stack.append(bool(_PLUGIN_GROUP.search(group.group(1))))
            continue
        gem = _GEM.match(line)
        if gem:
            options = gem.group(3).split("#", 1)[0]
            in_group = any(stack) or bool(re.search(r"group[s]?\s*(?::|=>)\s*\[?[^\]]*" + _PLUGIN_GROUP.pattern, options))
            if in_group:
                found.append(gem.group(2))
            continue
        if _BLOCK_END.match(line):
            if stack:
                stack.pop()
            continue
        if _BLOCK_OPEN.search(line) or _KEYWORD_OPEN.match(line):
            stack.append(False)  # another block (platforms, source, if...): keeps the groups around it
    return found


THEME_PLUGINS = {
    "minimal-mistakes-jekyll": ("jekyll-include-cache",),
    "just-the-docs": ("jekyll-seo-tag", "jekyll-include-cache"),
}
"""The plugins among the runtime dependencies of well-known theme gems (their gemspecs: minimal-mistakes-jekyll
4.24, just-the-docs 0.5), which Jekyll requires for a site with ``theme:`` (``require_theme_deps``); a
``remote_theme`` brings none."""


def enabled_plugins(root: Path, config: dict[str, Any]) -> tuple[str, ...]:
    """The plugin gems Jekyll loads: ``plugins`` (and Jekyll 3's ``gems``) of the configuration, and the
    Gemfile's ``:jekyll_plugins`` group (in the folder Jekyll runs in, where ``_config.yml`` is), then the
    plugins a known ``theme`` gem depends on; in safe mode only those the ``whitelist`` names."""
    names: list[str] = []
    for key in ("plugins", "gems"):
        value = config.get(key)
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        names += [p.strip() for p in items if isinstance(p, str) and p.strip()]
    try:
        names += gemfile_plugins((root / "Gemfile").read_text("utf-8", "replace"))
    except OSError:
        pass
    theme = config.get("theme")
    if isinstance(theme, str):
        names += THEME_PLUGINS.get(theme.strip(), ())
    if config.get("safe") is True:
        whitelist = config.get("whitelist")
        allowed = {str(w) for w in whitelist} if isinstance(whitelist, list) else {str(whitelist)}
        names = [n for n in names if n in allowed]
    return tuple(dict.fromkeys(names))


# -- what the migration does with each configuration key ---------------------------------------------

KRAMDOWN_HONOURED = frozenset({"auto_ids", "auto_id_prefix", "footnote_backlink", "syntax_highlighter_opts"})
"""kramdown options the content pipeline applies (see ``migrate.content.pipeline``)."""
KRAMDOWN_DEFAULTS: dict[str, Any] = {
    "toc_levels": [1, 2, 3, 4, 5, 6], "entity_output": "as_char", "smart_quotes": "lsquo,rsquo,ldquo,rdquo",
    "input": "GFM", "hard_wrap": False, "footnote_nr": 1, "syntax_highlighter": "rouge", "math_engine": "mathjax",
    "gfm_quirks": "paragraph_end", "template": "",
}
"""Jekyll's (and GitHub Pages') values of the other options: the pipeline behaves as they say."""
KRAMDOWN_NO_OUTPUT = frozenset({"show_warnings", "guess_lang", "syntax_highlighter_opts"})
LIQUID_DEFAULTS = {"error_mode": "warn", "strict_filters": False, "strict_variables": False}


def _same(value: Any, default: Any) -> bool:
    if isinstance(default, list) and isinstance(value, str):  # toc_levels: "1..6"
        m = re.fullmatch(r"\s*(\d+)\s*\.\.\s*(\d+)\s*", value)
        return bool(m) and list(range(int(m.group(1)), int(m.group(2)) + 1)) == default
    if isinstance(default, str) and isinstance(value, str):
        return value.strip().lower() == default.lower()
    return bool(value == default)


def python_codec(value: Any) -> str | None:
    """The Python codec for Jekyll's ``encoding`` (Ruby's name, ``bom|`` allowed): None when Python has
    none, or when it is not ASCII-compatible (front matter is found by its ``---`` bytes)."""
    if not isinstance(value, str) or not value.strip():
        return "utf-8"
    name = re.sub(r"^bom\|", "", value.strip(), flags=re.IGNORECASE)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    try:
        if "---\n".encode(codec) != b"---\n":
            return None
    except (UnicodeError, LookupError):
        return None
    return codec


def audit_config(config: dict[str, Any], where: str | None) -> list[Issue]:
    """A warning naming each key Jekyll honours that changes what the site is, when set to a value the
    migration does not carry out. Keys for ``jekyll serve``, the build's cache and its output folder change
    nothing migrated; ``source``, paths, collections, filters, permalinks, dates, defaults, ``plugins``,
    ``safe``/``whitelist`` and ``excerpt_separator`` are honoured by the reader."""
    found: list[Issue] = []

    def unsupported(key: str, what: str, severity: str = "warning") -> None:
        found.append(Issue("config-unsupported", severity, f"{key}: {what}", where))  # type: ignore[arg-type]

    encoding = config.get("encoding")
    if python_codec(encoding) is None:
        unsupported("encoding", f"{encoding!r} is not supported: files are read as UTF-8")
    markdown = config.get("markdown")
    if isinstance(markdown, str) and markdown.strip().lower() != "kramdown":
        unsupported("markdown", f"{markdown!r} is not supported: Markdown is converted as kramdown converts it")
    highlighter = config.get("highlighter")
    if highlighter not in (None, "rouge", "none", False) and not (isinstance(highlighter, str) and highlighter.lower() == "rouge"):
        unsupported("highlighter", f"{highlighter!r} is not supported: code blocks are marked up as Rouge does")
    if config.get("lsi"):
        unsupported("lsi", "related posts by content (classifier-reborn) are not supported: site.related_posts "
                    "are the most recent posts, as without lsi", "info")
    if config.get("page_excerpts"):
        unsupported("page_excerpts", "excerpts of pages are not supported")
    if config.get("relative_permalinks"):
        unsupported("relative_permalinks", "Jekyll 4 stops the build on this option", "error")
    kramdown = config.get("kramdown")
    if isinstance(kramdown, dict):
        odd = sorted(
            str(k) for k, v in kramdown.items()
            if k not in KRAMDOWN_HONOURED and k not in KRAMDOWN_NO_OUTPUT
            and not (k in KRAMDOWN_DEFAULTS and _same(v, KRAMDOWN_DEFAULTS[k]))
        )
        opts = kramdown.get("syntax_highlighter_opts")
        if isinstance(opts, dict):
            odd += [f"syntax_highlighter_opts.{k}" for k in sorted(map(str, opts)) if k not in ("default_lang", "guess_lang")]
        if odd:
            unsupported("kramdown", "options not supported (the conversion behaves as Jekyll's defaults): "
                        + ", ".join(odd))
    liquid = config.get("liquid")
    if isinstance(liquid, dict):
        odd = sorted(str(k) for k, v in liquid.items() if k in LIQUID_DEFAULTS and not _same(v, LIQUID_DEFAULTS[k]))
        if odd:
            unsupported("liquid", "strict modes are not applied (Jekyll stops the build where they fail; the "
                        "migration reports the same places and goes on): " + ", ".join(odd), "info")
    return found
