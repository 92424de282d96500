"""Python extensions for the built-in renderer: a site plugin's Liquid tag or filter, ported in a few lines.

An extension is a Python file given with ``--extension FILE.py``, or a module a package registers in the
``jekyll_migrate.extensions`` entry-point group. Either has a ``setup(registry)`` function that registers
its tags and filters::

    def team_link(name, *args):
        return f'<a href="/team/{name}/">{name}</a>'

    def youtube(tag):
        return f'<iframe src="https://www.youtube.com/embed/{tag.args[0]}"></iframe>'

    def setup(registry):
        registry.filter("team_link", team_link)
        registry.tag("youtube", youtube)

A tag function gets one :class:`TagCall` (the raw markup, its words, its ``key=value`` options, the Liquid
context with ``page`` and ``site``, the site's IR) and returns the text to write, or an :class:`Embed` the
target may write its own way. A filter gets its input and arguments (and, when it has a ``context``
parameter, the :class:`LiquidContext`). Jekyll's own tags, the well-known embed tags
(:mod:`migrate.content.embeds`), packaged extensions and ``--extension`` files all register the same way;
a later one overrides an earlier one of the same name.

Loading an extension runs its code: only files the user names, and packages the user installed, are run.
A file that fails to load, and a tag or filter that raises, is an issue naming the extension file and the
document line; the document still renders (the tag writes nothing, the filter returns its input).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from migrate import ir

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "jekyll_migrate.extensions"


@dataclass(frozen=True)
class Embed:
    """A piece of embedded media a tag stands for, which each target may write its own way (a Hugo
    shortcode, an oEmbed URL WordPress expands, a Ghost embed card)."""

    kind: str
    """``youtube``, ``vimeo``, ``x`` (a tweet), ``gist``, ``video`` (a video file), ``figure`` (an image
    with a caption) or ``link`` (any other URL, for an oEmbed or bookmark card)."""
    url: str
    """The canonical URL of the thing embedded (the watch page, the tweet, the gist, the file)."""
    html: str
    """What the plugin writes in the page: the built-in renderer's output where the target has no own form."""
    id: str = ""
    """The provider's id (video id, tweet id, ``user/gistid``) where there is one."""
    caption: str = ""
    """Caption text (figures), as HTML."""
    alt: str = ""
    """Alternative text (figures)."""
    file: str = ""
    """One file of a gist, when the tag names it."""


EmbedWriter = Callable[[Embed, str], "str | None"]
"""What a target writes for an embed in a body of the given format (``html`` or ``markdown``); None keeps
the plugin's HTML."""


class LiquidContext:
    """The Liquid context a tag or filter runs in: ``page``, ``site`` and every variable in scope."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def get(self, path: str, default: Any = None) -> Any:
        """The value of a variable path (``page.title``, ``site.data.team``), or ``default``."""
        from liquid.undefined import Undefined

        parts: list[Any] = [int(p) if p.isdigit() else p for p in re.split(r"\.|\[|\]", path) if p]
        if not parts:
            return default
        value = self._context.get(parts, token=None, default=None)
        return default if value is None or isinstance(value, Undefined) else value

    @property
    def page(self) -> Any:
        return self.get("page", {})

    @property
    def site(self) -> Any:
        return self.get("site", {})

    def resolve(self, word: str) -> Any:
        """``word`` as Jekyll plugins commonly read an argument: the variable so named when one is in scope,
        else the word itself (quotes removed)."""
        if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"'":
            return word[1:-1]
        if re.fullmatch(r"[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*", word):
            value = self.get(word)
            if value is not None:
                return value
        return word

    def render(self, text: str, variables: Mapping[str, Any] | None = None) -> str:
        """``text`` rendered as Liquid in this context, with ``variables`` added (an include a plugin renders)."""
        from io import StringIO

        env = self._context.env
        template = env.cached_template(text, None) if hasattr(env, "cached_template") else env.from_string(text)
        buffer = StringIO()
        with self._context.extend(dict(variables or {})):
            template.render_with_context(self._context, buffer, partial=True)
        return buffer.getvalue()

    def markdownify(self, text: str) -> str:
        """``text`` converted as the site's kramdown converts Markdown (Jekyll's ``markdownify``)."""
        return str(self._context.env.markdownify_func(text))


def escape_html(text: Any) -> str:
    """Ruby's ``CGI.escapeHTML`` (what plugins commonly escape with): ``& < > " '``."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


def slugify(text: Any, mode: str = "default") -> str:
    """Jekyll's ``Utils.slugify`` (the ``slugify`` filter)."""
    from migrate.content.filters import slugify as jekyll_slugify

    return str(jekyll_slugify(text, mode))


_WORD = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+)""")
_OPTION = re.compile(r"""([\w-]+)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+)\Z""")


def split_markup(markup: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """A tag's markup as words (quotes removed) and ``key=value`` options."""
    args: list[str] = []
    options: dict[str, str] = {}
    for m in _WORD.finditer(markup):
        word = m.group(1)
        opt = _OPTION.match(word)
        if opt:
            options[opt.group(1)] = _unquote(opt.group(2))
        else:
            args.append(_unquote(word))
    return tuple(args), options


def _unquote(word: str) -> str:
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "\"'":
        return word[1:-1]
    return word


@dataclass(frozen=True)
class TagCall:
    """One use of an extension's tag in a document."""

    name: str
    """The tag's name as written."""
    markup: str
    """Everything after the name up to ``%}``, exactly as written (what a Ruby tag gets as ``markup``)."""
    args: tuple[str, ...]
    """The markup's words, quotes removed, without the ``key=value`` options."""
    options: Mapping[str, str]
    """The markup's ``key=value`` (or ``key="a value"``) options."""
    context: LiquidContext
    """The Liquid context: ``context.page``, ``context.site``, ``context.get("page.title")``."""
    site: ir.Site
    """The whole site as the reader found it."""
    source: str | None
    """The document being rendered."""
    line: int | None
    """The tag's line in ``source``."""
    body: str | None = None
    """A block tag's rendered inner text; None for a plain tag."""
    format: str = "html"
    """``markdown`` when the document's Markdown goes to a Markdown target (Hugo), else ``html``."""
    notify: Callable[[str, str, str], None] = field(default=lambda code, severity, message: None, repr=False)

    @property
    def page(self) -> Any:
        return self.context.page

    def note(self, code: str, severity: str, message: str) -> None:
        """Report an issue (``warning`` or ``info``) at this tag's line of the document."""
        self.notify(code, severity, message)


@dataclass(frozen=True)
class TagSpec:
    name: str
    func: Callable[[TagCall], Any]
    block: bool | str
    """True for ``{% name %}...{% endname %}``; ``"auto"``: a block where its end tag follows."""
    origin: str
    """The extension that registered it (a file path or ``package:module``)."""


@dataclass(frozen=True)
class FilterSpec:
    name: str
    func: Callable[..., Any]
    origin: str
    wants_context: bool


class Registry:
    """What one extension's ``setup`` sees: register tags and filters."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.tags: dict[str, TagSpec] = {}
        self.filters: dict[str, FilterSpec] = {}

    def tag(self, name: str, func: Callable[[TagCall], Any], *, block: bool | str = False) -> None:
        """Register ``{% name ... %}`` (with ``block=True``, ``{% name %}...{% endname %}``; with
        ``block="auto"``, either, as the document writes it)."""
        self.tags[name] = TagSpec(name, func, block, self.origin)

    def filter(self, name: str, func: Callable[..., Any]) -> None:
        """Register ``{{ value | name: arg, ... }}``: ``func(value, arg, ...)``."""
        import inspect

        try:
            wants_context = "context" in inspect.signature(func).parameters
        except (TypeError, ValueError):
            wants_context = False
        self.filters[name] = FilterSpec(name, func, self.origin, wants_context)


@dataclass(frozen=True)
class Extension:
    """One loaded extension and what it registered."""

    origin: str
    tags: tuple[TagSpec, ...] = ()
    filters: tuple[FilterSpec, ...] = ()
    digest: str = ""
    """What the extension's output depends on (its file's bytes, or its package's name and version)."""


@dataclass
class _Active:
    extensions: tuple[Extension, ...] = ()
    issues: tuple[ir.Issue, ...] = ()
    packaged: tuple[Extension, ...] | None = None
    packaged_issues: tuple[ir.Issue, ...] = ()
    files: tuple[str, ...] = field(default_factory=tuple)


_ACTIVE = _Active()


def where_in(error: BaseException, path: str) -> int | None:
    """The last line of ``path`` the traceback of ``error`` passes through."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == path:
            line = frame.lineno
    if line is None and isinstance(error, SyntaxError) and error.filename == path:
        line = error.lineno
    return line


def describe(error: BaseException) -> str:
    text = str(error).strip().split("\n")[0]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _setup(module: ModuleType, origin: str, digest: str) -> Extension:
    setup = getattr(module, "setup", None)
    if not callable(setup):
        raise TypeError("it has no setup(registry) function")
    registry = Registry(origin)
    setup(registry)
    return Extension(origin, tuple(registry.tags.values()), tuple(registry.filters.values()), digest)


def load_file(path: str | Path) -> tuple[Extension | None, ir.Issue | None]:
    """The extension in the Python file ``path``, or the issue that says why it could not be loaded."""
    full = str(Path(path).absolute())
    try:
        data = Path(full).read_bytes()
    except OSError as err:
        return None, ir.Issue("extension-error", "error", f"extension {path}: cannot read it ({err.strerror})",
                              str(path))
    name = "jekyll_migrate_extension_" + hashlib.sha256(full.encode()).hexdigest()[:16]
    try:
        spec = importlib.util.spec_from_file_location(name, full)
        if spec is None or spec.loader is None:
            raise ImportError("not a Python file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and pickling look a module up by name
        spec.loader.exec_module(module)
        return _setup(module, str(path), hashlib.sha256(data).hexdigest()), None
    except Exception as err:
        sys.modules.pop(name, None)
        log.debug("extension %s failed to load", full, exc_info=True)
        line = where_in(err, full)
        at = f" (line {line})" if line else ""
        return None, ir.Issue("extension-error", "error",
                              f"extension {path} could not be loaded{at}: {describe(err)}; its tags and filters "
                              "are not available", str(path), line)


def load_packaged() -> tuple[tuple[Extension, ...], tuple[ir.Issue, ...]]:
    """Extensions installed packages register in the ``jekyll_migrate.extensions`` group (loaded once)."""
    if _ACTIVE.packaged is not None:
        return _ACTIVE.packaged, _ACTIVE.packaged_issues
    found: list[Extension] = []
    issues: list[ir.Issue] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        origin = f"{ep.value} (entry point {ep.name!r})"
        try:
            module = ep.load()
            version = ep.dist.version if ep.dist is not None else ""
            found.append(_setup(module, origin, f"{ep.value}=={version}"))
        except Exception as err:
            log.debug("extension %s failed to load", origin, exc_info=True)
            issues.append(ir.Issue("extension-error", "error",
                                   f"extension {origin} could not be loaded: {describe(err)}; its tags and "
                                   "filters are not available"))
    _ACTIVE.packaged, _ACTIVE.packaged_issues = tuple(found), tuple(issues)
    return _ACTIVE.packaged, _ACTIVE.packaged_issues


def activate(paths: Iterable[str | Path]) -> tuple[ir.Issue, ...]:
    """Load the packaged extensions and the files ``paths`` for every renderer this process (and the worker
    processes it forks) makes from now on; the issues of those that failed."""
    packaged, issues = load_packaged()
    loaded: list[Extension] = list(packaged)
    problems: list[ir.Issue] = list(issues)
    for path in paths:
        extension, issue = load_file(path)
        if extension is not None:
            loaded.append(extension)
        if issue is not None:
            problems.append(issue)
    _ACTIVE.extensions = tuple(loaded)
    _ACTIVE.issues = tuple(problems)
    _ACTIVE.files = tuple(str(p) for p in paths)
    return _ACTIVE.issues


def deactivate() -> None:
    """Back to no extension files (tests)."""
    _ACTIVE.extensions, _ACTIVE.issues, _ACTIVE.files = (), (), ()


def active() -> tuple[Extension, ...]:
    """The extensions every new renderer registers after Jekyll's tags and the built-in embeds."""
    if not _ACTIVE.extensions and not _ACTIVE.files:
        return load_packaged()[0]
    return _ACTIVE.extensions


def fingerprint() -> list[str]:
    """What the active extensions' output depends on (part of the conversion cache's key)."""
    return [f"{e.origin}:{e.digest}" for e in active()]
