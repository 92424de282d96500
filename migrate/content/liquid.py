"""Liquid rendered as Jekyll renders it: python-liquid 2 plus Jekyll's tags, filters, site and page."""

from __future__ import annotations

import contextvars
import hashlib
import datetime as _dt
import logging
import os
import re
import time
import zlib
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Iterator, Mapping, TextIO
from urllib.parse import quote, urljoin

from liquid import Environment, Mode
from liquid.ast import BlockNode, Node
from liquid.builtin.expressions import BooleanExpression, FilteredExpression, parse_identifier, tokenize
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.context import RenderContext
from liquid.exceptions import (
    ContextDepthError,
    LiquidError,
    LoopIterationLimitError,
    OutputStreamLimitError,
)
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.template import BoundTemplate
from liquid.token import TOKEN_ASSIGN, TOKEN_EXPRESSION, TOKEN_ILLEGAL, TOKEN_OUTPUT, TOKEN_TAG, Token
from liquid.undefined import Undefined

from migrate import ir
from migrate.content import extensions as jext
from migrate.content import filters as jfilters
from migrate.filedates import LastModified
from migrate.content import laxliquid

logger = logging.getLogger(__name__)

JEKYLL_VERSION = "4.3.1"


@dataclass(frozen=True)
class Limits:
    """Resource limits for rendering one document's Liquid."""

    include_depth: int = 30
    """How deeply includes may nest (python-liquid's context depth)."""
    loop_iterations: int = 1_000_000
    """Total loop iterations allowed in one render."""
    output_bytes: int = 20_000_000
    """Largest rendered output."""
    render_seconds: float = 20.0
    """Wall-clock budget for one document."""


class RenderTimeout(LiquidError):
    """The render took longer than ``Limits.render_seconds``."""


@dataclass
class RenderState:
    """Per-document state shared by tags, filters and the undefined type during one render."""

    document: ir.Document | None
    deadline: float
    issues: list[ir.Issue] = field(default_factory=list)
    undefined_seen: set[str] = field(default_factory=set)
    unknown_seen: set[tuple[str, int | None]] = field(default_factory=set)
    file_of_text: dict[str, tuple[str, int]] = field(default_factory=dict)
    linked: list[str] = field(default_factory=list)
    fmt: str = "html"

    def where(self, token: Token | None) -> tuple[str | None, int | None]:
        """The file and line a token comes from (the document, or an include)."""
        if token is None or not token.source:
            return (self.document.source if self.document else None, None)
        found = self.file_of_text.get(token.source)
        if found is None:
            base_line = self.document.body_line if self.document else 1
            source = self.document.source if self.document else None
        else:
            source, base_line = found
        line = token.source.count("\n", 0, max(token.start_index, 0)) + base_line
        return source, line

    def add(self, code: str, severity: ir.Severity, message: str, token: Token | None = None) -> None:
        source, line = self.where(token)
        self.issues.append(ir.Issue(code=code, severity=severity, message=message, source=source, line=line))

    def add_once(self, name: str, code: str, severity: ir.Severity, message: str, token: Token | None) -> None:
        """``add``, once per unknown tag or filter ``name`` and line (a loop must not repeat it per pass)."""
        key = (name, self.where(token)[1])
        if key not in self.unknown_seen:
            self.unknown_seen.add(key)
            self.add(code, severity, message, token)


_STATE: contextvars.ContextVar[RenderState | None] = contextvars.ContextVar(
    "jekyll_liquid_state", default=None
)


def current_state() -> RenderState | None:
    return _STATE.get()


# -- undefined ---------------------------------------------------------------------------------------


class ReportingUndefined(Undefined):
    """Renders empty as Jekyll does, and notes the name the first time it is output."""

    __slots__ = ()

    def __str__(self) -> str:
        state = _STATE.get()
        if state is not None:
            name = self.name
            if self.hint and " is undefined" in self.hint:
                name = self.hint.split(" is undefined")[0].strip("'")
            if name not in state.undefined_seen:
                state.undefined_seen.add(name)
                state.add(
                    "liquid-undefined", "info", f"undefined variable {name!r} rendered empty", self.token
                )
        return ""


# -- context with a time budget ------------------------------------------------------------------------


class JekyllContext(RenderContext):
    def raise_for_loop_limit(self, length: int = 1) -> None:
        super().raise_for_loop_limit(length)
        _check_deadline()

    def filter(self, name: str, token: Token | None) -> Callable[..., object]:
        """An unknown filter leaves the value as it is (lax Liquid, Jekyll's default), and is reported."""
        if name in self.env.filters:
            found = super().filter(name, token)
            spec = getattr(self.env.filters[name], "extension", None)
            if spec is not None:
                return lambda value, *args, **kwargs: _run_filter(spec, self, token, value, args, kwargs)
            return found
        state = _STATE.get()
        if state is not None:
            state.add_once(
                "|" + name,
                "liquid-unknown-filter",
                "warning",
                f"unknown Liquid filter {name!r} (a plugin?): the value is output unfiltered, as Jekyll does",
                token,
            )
        return _unfiltered


def _unfiltered(value: object, *_args: object, **_kwargs: object) -> object:
    return value


class JekyllTemplate(BoundTemplate):
    context_class = JekyllContext


def _check_deadline() -> None:
    state = _STATE.get()
    if state is not None and time.monotonic() > state.deadline:
        raise RenderTimeout("render time limit reached", token=None)


_FATAL = (ContextDepthError, LoopIterationLimitError, OutputStreamLimitError, RenderTimeout)


# -- helpers for tags ----------------------------------------------------------------------------------


def _tag_markup(stream: TokenStream) -> tuple[Token, str, Token]:
    """Read a tag's name token and its raw markup, leaving the stream on the tag's last token."""
    tag_token = stream.current
    last = tag_token
    markup = ""
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        last = stream.current
        markup = last.value
    return tag_token, markup, last


def _verbatim(token: Token, last: Token) -> str:
    """The exact source text of a tag, from ``{%`` to ``%}``."""
    src = token.source
    start = src.rfind("{%", 0, token.start_index)
    end_from = (
        last.start_index + len(last.value) if last is not token else token.start_index + len(token.value)
    )
    end = src.find("%}", end_from)
    if start < 0 or end < 0:
        return "{% " + token.value + (" " + last.value if last is not token else "") + " %}"
    return src[start : end + 2]


def _render_inline_liquid(context: RenderContext, text: str) -> str:
    """Render ``{{ }}`` inside a tag argument (Jekyll renders link and include paths)."""
    if "{{" not in text and "{%" not in text:
        return text
    env = context.env
    assert isinstance(env, JekyllEnvironment)
    template = env.cached_template(text, None)
    buf = StringIO()
    template.render_with_context(context, buf, partial=True)
    return buf.getvalue()


# -- unknown tags ----------------------------------------------------------------------------------------


class VerbatimNode(Node):
    """An unknown tag: kept as written, reported when rendered."""

    __slots__ = ("text",)

    def __init__(self, token: Token, text: str) -> None:
        super().__init__(token)
        self.text = text
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = _STATE.get()
        if state is not None:
            state.add_once(
                self.token.value,
                "liquid-unknown-tag",
                "warning",
                f"unknown Liquid tag {self.token.value!r} (a plugin?) kept as written",
                self.token,
            )
        return buffer.write(self.text)


class UnknownTag(Tag):
    name = TOKEN_ILLEGAL
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, _markup, last = _tag_markup(stream)
        return VerbatimNode(token, _verbatim(token, last))


# -- output statements: values printed as Ruby prints them ------------------------------------------------


class RubyOutputNode(OutputNode):
    """``{{ x }}`` writes what Ruby Liquid writes: ``nil`` empty, ``true``, ``1.0``, a time as
    ``2017-09-11 00:00:00 +0000``, an array joined; never a Python repr."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(jfilters.liquid_output(self.expression.evaluate(context)))


class RubyOutput(Output):
    node_class = RubyOutputNode


class RubyEchoNode(EchoNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(jfilters.liquid_output(self.expression.evaluate(context)))


class RubyEcho(EchoTag):
    node_class = RubyEchoNode


# -- include / include_relative ------------------------------------------------------------------------------

_INCLUDE_PARAM = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.\[\]"'-]+))"""
)
# Jekyll's VARIABLE_SYNTAX: a name with ``{{ }}`` in it (``dir/{{ x }}.html``), else the first word
_INCLUDE_FILE = re.compile(r"^\s*([^\s{]*(?:\{\{.+?\}\}[^\s{}]*)+|[^\s{}]+)\s*(.*)$", re.DOTALL)


class IncludeNode(Node):
    __slots__ = ("file", "params", "relative", "raw", "plugin")

    def __init__(
        self,
        token: Token,
        file: str,
        params: list[tuple[str, Any]],
        relative: bool,
        raw: str,
        plugin: str | None = None,
    ) -> None:
        super().__init__(token)
        self.file = file
        self.params = params
        self.relative = relative
        self.raw = raw
        self.plugin = plugin
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        _check_deadline()
        env = context.env
        assert isinstance(env, JekyllEnvironment)
        state = _STATE.get()
        if self.plugin is not None and self.plugin not in env.site_info.site.plugins and state is not None:
            state.add_once(
                self.token.value,
                "plugin-not-enabled",
                "warning",
                f"{{% {self.token.value} %}} is a tag of the {self.plugin} plugin, which the site does not "
                f"enable (Jekyll stops the build on it as an unknown tag): rendered as include; add "
                f"{self.plugin} to the configuration's plugins",
                self.token,
            )
        name = _render_inline_liquid(context, self.file).strip()
        params: dict[str, Any] = {}
        for key, value in self.params:
            params[key] = value.evaluate(context) if isinstance(value, FilteredExpression) else value
        loaded = env.load_include(name, relative=self.relative, context=context)
        if loaded is None and name == "figure.html" and not self.relative:
            from migrate.content.embeds import include_figure

            figure = include_figure(params, env.markdownify_func)
            if figure is not None:
                if state is not None:
                    state.add_once("include figure.html", "include-figure", "info",
                                   "figure.html is not among the site's includes (a theme gem's?): rendered as "
                                   "the figure it stands for (Minimal Mistakes' figure include)", self.token)
                return _write_result(env, figure, buffer)
        if loaded is None:
            if state is not None:
                kind = self.token.value
                state.add("liquid-include-missing", "warning", f"{kind} file {name!r} not found", self.token)
            return 0
        template, rel = loaded
        namespace: dict[str, Any] = {"include": params} if self.params else {}
        with context.extend(namespace, template=template):
            template.render_with_context(context, buffer, partial=True)
        return 1


class IncludeTag(Tag):
    name = "include"
    block = False
    relative = False
    plugin: str | None = None
    """The plugin that brings the tag, when it is not Jekyll's own."""

    def parse(self, stream: TokenStream) -> Node:
        token, markup, last = _tag_markup(stream)
        m = _INCLUDE_FILE.match(markup)
        if not m:
            raise LiquidError(f"{self.name} needs a file name", token=token)
        file, rest = m.group(1), m.group(2)
        params: list[tuple[str, Any]] = []
        for pm in _INCLUDE_PARAM.finditer(rest):
            key = pm.group(1)
            if pm.group(2) is not None:
                params.append((key, pm.group(2).replace('\\"', '"')))
            elif pm.group(3) is not None:
                params.append((key, pm.group(3).replace("\\'", "'")))
            else:
                expr_token = Token(TOKEN_EXPRESSION, pm.group(4), last.start_index + pm.start(4), last.source)
                params.append(
                    (key, FilteredExpression.parse(self.env, TokenStream(tokenize(pm.group(4), expr_token))))
                )
        return IncludeNode(token, file, params, self.relative, _verbatim(token, last), self.plugin)


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"
    relative = True


class IncludeCachedTag(IncludeTag):
    """jekyll-include-cache's ``include_cached``, rendered as Jekyll's ``include`` (its lookup, parameters and
    output). The plugin reuses the first output for the same file and parameters for the rest of the build:
    the same text for an include that depends only on its parameters and the site, which is what it is for."""

    name = "include_cached"
    plugin = "jekyll-include-cache"


# -- gist (jekyll-gist) --------------------------------------------------------------------------------------

_GIST_ARGUMENTS = re.compile(r"\A(\S+|.*(?=/).+)\s?(\S*)\Z")
"""jekyll-gist's markup: a gist id (``user/1234567`` or ``28949e1d...``), optionally a file name."""
_CONTEXT_NAME = re.compile(r"[\w-]+(?:\.[\w-]+)*\Z")


class GistNode(Node):
    __slots__ = ("markup",)

    def __init__(self, token: Token, markup: str) -> None:
        super().__init__(token)
        self.markup = markup
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env = context.env
        assert isinstance(env, JekyllEnvironment)
        state = _STATE.get()
        m = _GIST_ARGUMENTS.match(self.markup.strip())
        if m is None:
            if state is not None:
                state.add(
                    "liquid-error",
                    "warning",
                    f"gist tag: {self.markup.strip()!r} is no gist id (Jekyll stops the build on it): rendered as "
                    "nothing",
                    self.token,
                )
            return 0
        gist_id = _gist_argument(context, m.group(1).strip())
        filename = _gist_argument(context, m.group(2).strip())
        settings = env.site_info.site.config.get("gist")
        if not (isinstance(settings, dict) and settings.get("noscript") is False) and state is not None:
            state.add_once(
                "gist",
                "gist-noscript",
                "info",
                "jekyll-gist fetches each gist's code over the network for a <noscript> copy (gist: noscript, "
                "on by default; offline it writes 'true' there); the migration never uses the network and writes "
                "the gist's <script> embed alone, as the plugin does with gist: noscript: false",
                self.token,
            )
        url = f"https://gist.github.com/{gist_id}.js"
        if filename:
            url += f"?file={filename}"
        embed = jext.Embed("gist", f"https://gist.github.com/{gist_id}", f'<script src="{url}"> </script>',
                           id=gist_id, file=filename)
        return _write_result(env, embed, buffer)


def _gist_argument(context: RenderContext, word: str) -> str:
    """jekyll-gist's argument: the value of the variable so named when the context has it, else the word."""
    if word and _CONTEXT_NAME.match(word):
        value = context.get(word.split("."), token=None, default=None)
        if value is not None and not isinstance(value, Undefined):
            return jfilters.liquid_output(value)
    return word


class GistTag(Tag):
    """jekyll-gist's ``{% gist ID [FILE] %}``: the gist's ``<script>`` embed, as the plugin writes it."""

    name = "gist"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup, _last = _tag_markup(stream)
        return GistNode(token, markup)


# -- extensions (migrate.content.extensions): the embed tags, packaged extensions, --extension files ------------

EMBED_KEY = re.compile(r"<p>(jmembed[0-9a-f]{24})</p>|(jmembed[0-9a-f]{24})")
"""Where an embed the target writes its own way stands until the body is converted."""


def _write_result(env: JekyllEnvironment, result: Any, buffer: TextIO) -> int:
    """A tag function's result: text as it is, an :class:`~migrate.content.extensions.Embed` as the target
    writes it (through a placeholder the pipeline replaces after conversion) or as the plugin's HTML."""
    if result is None:
        return 0
    if isinstance(result, jext.Embed):
        state = _STATE.get()
        fmt = state.fmt if state is not None else "html"
        writer = env.site_info.embed_writer
        if writer is None or writer(result, fmt) is None:
            return buffer.write(result.html)
        key = "jmembed" + hashlib.sha256(repr((result, fmt)).encode("utf-8")).hexdigest()[:24]
        env.embeds[key] = (result, fmt)
        return buffer.write(key)
    return buffer.write(result if isinstance(result, str) else jfilters.liquid_output(result))


def place_embeds(text: str, embeds: Mapping[str, Any], write: Callable[[Any, str], str]) -> str:
    """``text`` with every embed placeholder replaced by what ``write(embed, fmt)`` gives (a paragraph
    holding only the placeholder becomes the target's block); in HTML, one inside running text stays the
    plugin's HTML (a target's block form would break the paragraph)."""
    if "jmembed" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        found = embeds.get(m.group(1) or m.group(2))
        if found is None:
            return m.group(0)
        embed, fmt = found
        if m.group(1) is None and fmt == "html" and not _own_line(text, m.start(), m.end()):
            return str(embed.html)
        return write(embed, fmt)

    return EMBED_KEY.sub(one, text)


def _own_line(text: str, start: int, end: int) -> bool:
    before = text.rfind("\n", 0, start)
    after = text.find("\n", end)
    return not text[before + 1 : start].strip() and not text[end : after if after >= 0 else len(text)].strip()


def _extension_problem(spec: Any, kind: str, err: BaseException, token: Token | None, then: str) -> None:
    state = _STATE.get()
    if state is None:
        return
    line = jext.where_in(err, str(Path(spec.origin).absolute())) if not spec.origin.endswith(")") else None
    at = f" at line {line} of the extension" if line else ""
    state.add("extension-error", "warning",
              f"{kind} {spec.name!r} of extension {spec.origin} raised {jext.describe(err)}{at}: {then}", token)


class ExtensionNode(Node):
    """A tag an extension registered: its function called with a :class:`~migrate.content.extensions.TagCall`."""

    __slots__ = ("body", "markup", "spec")

    def __init__(self, token: Token, spec: Any, markup: str, body: BlockNode | None) -> None:
        super().__init__(token)
        self.spec = spec
        self.markup = markup
        self.body = body
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        _check_deadline()
        env = context.env
        assert isinstance(env, JekyllEnvironment)
        state = _STATE.get()
        inner = None
        if self.body is not None:
            buf = StringIO()
            self.body.render(context, buf)
            inner = buf.getvalue()
        args, options = jext.split_markup(self.markup)
        source, line = state.where(self.token) if state is not None else (None, None)
        call = jext.TagCall(
            name=self.spec.name, markup=self.markup, args=args, options=options,
            context=jext.LiquidContext(context), site=env.site_info.site, source=source, line=line, body=inner,
            format=state.fmt if state is not None else "html",
            notify=lambda code, severity, message: state.add(code, severity, message, self.token)  # type: ignore
            if state is not None else None,
        )
        try:
            result = self.spec.func(call)
        except _FATAL:
            raise
        except Exception as err:  # the user's code: a warning, and the page still renders
            logger.debug("extension tag %s failed", self.spec.name, exc_info=True)
            _extension_problem(self.spec, "tag", err, self.token, "the tag wrote nothing")
            return 0
        return _write_result(env, result, buffer)

    def children(self, static_context: RenderContext, *, include_partials: bool = True) -> Iterable[Node]:
        if self.body is not None:
            yield self.body


def _ends_block(same_name: re.Pattern[str], token: Token) -> bool:
    """Whether the next tag of this name after ``token`` is its end tag (the block form of a tag that
    plugins also write alone)."""
    following = same_name.search(token.source, token.start_index + len(token.value))
    return following is not None and following.group(1) is not None


def extension_tag(spec: Any) -> type[Tag]:
    """A python-liquid tag class for an extension's tag."""

    same_name = re.compile(r"\{%-?\s*(end)?" + re.escape(spec.name) + r"\b")

    class ExtensionTag(Tag):
        name = spec.name
        block = spec.block is True
        end = "end" + spec.name

        def parse(self, stream: TokenStream) -> Node:
            token, markup, _last = _tag_markup(stream)
            body = None
            # "auto": a block when its end tag follows (plugins use one name for both forms)
            if spec.block is True or (spec.block == "auto" and _ends_block(same_name, token)):
                next(stream)
                body = self.env.parser.parse_block(stream, (self.end,))  # type: ignore[attr-defined]
                stream.expect(TOKEN_TAG, value=self.end)
            return ExtensionNode(token, spec, markup, body)

    return ExtensionTag


def _run_filter(spec: Any, context: RenderContext, token: Token | None, value: Any, args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    if spec.wants_context:
        kwargs = {**kwargs, "context": jext.LiquidContext(context)}
    try:
        return spec.func(value, *args, **kwargs)
    except _FATAL:
        raise
    except Exception as err:  # the user's code: a warning, and the page still renders
        logger.debug("extension filter %s failed", spec.name, exc_info=True)
        _extension_problem(spec, "filter", err, token, "its input was output unfiltered")
        return value


def _marked(spec: Any) -> Callable[..., Any]:
    def call(value: Any, *args: Any, **kwargs: Any) -> Any:
        return spec.func(value, *args, **kwargs)

    call.extension = spec  # type: ignore[attr-defined]
    return call


def install_extensions(env: JekyllEnvironment, loaded: Iterable[Any]) -> None:
    """Register each extension's tags and filters on ``env``, later ones over earlier ones."""
    for extension in loaded:
        for spec in extension.tags:
            env.add_tag(extension_tag(spec))
        for fspec in extension.filters:
            env.add_filter(fspec.name, _marked(fspec))


# -- avatar (jekyll-avatar) ----------------------------------------------------------------------------------

_AVATAR_SIZE = re.compile(r"\bsize=(\d+)\b", re.IGNORECASE)
_AVATAR_USER = re.compile(r"\buser=([\w.]+)\b")


class AvatarNode(Node):
    __slots__ = ("size", "template", "user_variable")

    def __init__(self, token: Token, template: BoundTemplate, text: str) -> None:
        super().__init__(token)
        self.template = template
        m = _AVATAR_SIZE.search(text)
        self.size = m.group(1) if m else "40"
        m = _AVATAR_USER.search(text)
        self.user_variable = m.group(1) if m else None
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        out = StringIO()
        self.template.render_with_context(context, out, partial=True)
        text = out.getvalue()  # the markup is itself Liquid, rendered in the page's context
        if self.user_variable is not None:
            value: Any = context
            for part in self.user_variable.split("."):
                value = value.get([part], token=None, default=None) if value is context else _item(value, part)
            username = jfilters.liquid_output(value) if value not in (None, False) else self.user_variable
        else:
            username = text.split()[0] if text.split() else ""
            if username.startswith("@"):
                username = username.replace("@", "", 1)
        size = int(self.size)

        def path(scale: int = 1) -> str:
            return f"{username}?v=3&s={self.size if scale == 1 else size * scale}"

        custom = os.environ.get("PAGES_AVATARS_URL", "")

        def url(scale: int = 1) -> str:
            if custom:
                return urljoin(custom if custom.endswith("/") else custom + "/", path(scale))
            return f"https://avatars{zlib.crc32(path().encode()) % 4}.githubusercontent.com/{path(scale)}"

        srcset = ", ".join(f"{url(scale)} {scale}x" for scale in (1, 2, 3, 4))
        classes = "avatar avatar-small" if size < 48 else "avatar"
        attrs = [("class", classes), ("alt", username), ("width", self.size), ("height", self.size),
                 ("data-proofer-ignore", "true")]
        if "lazy=true" in text:
            attrs += [("src", ""), ("data-src", url()), ("data-srcset", srcset)]
        else:
            attrs += [("src", url()), ("srcset", srcset)]
        # the plugin formats its attributes as they are, without escaping
        return buffer.write("<img " + " ".join(f'{k}="{v}"' for k, v in attrs) + " />")


def _item(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key)
    return None


class AvatarTag(Tag):
    """jekyll-avatar's ``{% avatar USER [size=N] [user=VARIABLE] [lazy=true] %}``: the ``<img>`` of the GitHub
    avatar, as the plugin writes it (no network: the image URL is built from the name)."""

    name = "avatar"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup, _last = _tag_markup(stream)
        text = markup.strip()
        return AvatarNode(token, self.env.from_string(text), text)


# -- github_edit_link (jekyll-github-metadata) ---------------------------------------------------------------

_EDIT_LINK_TEXT = re.compile(r"(?:\"(.*)\"|'(.*)')")


class GithubEditLinkNode(Node):
    __slots__ = ("text",)

    def __init__(self, token: Token, text: str | None) -> None:
        super().__init__(token)
        self.text = text
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        github = context.get(["site", "github"], token=None, default=None)
        github = github if isinstance(github, Mapping) else {}
        source = github.get("source") if isinstance(github.get("source"), Mapping) else {}
        page = context.get(["page"], token=None, default=None)
        page_path = page.get("path") if isinstance(page, Mapping) else None
        parts = [github.get("repository_url"), "edit/", source.get("branch"), source.get("path"), page_path]
        if any(p is None for p in parts):
            state = _STATE.get()
            if state is not None:
                state.add("github-edit-link", "warning", "github_edit_link: site.github has no repository_url or "
                          "source, or the page no path: Jekyll writes nothing here, and so does the migration",
                          self.token)
            return buffer.write(f'<a href="">{self.text}</a>' if self.text is not None else "")
        url = ""
        for n, part in enumerate(parts):
            text = jfilters.liquid_output(part).removeprefix("/")
            if n < len(parts) - 1 and not text.endswith("/"):
                text += "/"
            url = urljoin(url, "" if text == "/" else text) if url else text
        url = quote(url, safe="/:@!$&'()*+,;=-._~%?#")
        return buffer.write(f'<a href="{url}">{self.text}</a>' if self.text is not None else url)


class GithubEditLinkTag(Tag):
    """jekyll-github-metadata's ``{% github_edit_link ["TEXT"] %}``: the URL of the page's source on GitHub's
    editor (``site.github.repository_url``/edit/branch/path/page.path), or a link to it with TEXT."""

    name = "github_edit_link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup, _last = _tag_markup(stream)
        m = _EDIT_LINK_TEXT.search(markup)
        return GithubEditLinkNode(token, (m.group(1) if m.group(1) is not None else m.group(2)) if m else None)


# -- last_modified_at (jekyll-last-modified-at) --------------------------------------------------------------

_STRFTIME_DIRECTIVE = re.compile(r"%[-_0^#]?[a-zA-Z%]")


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _directive(date: _dt.datetime, directive: str) -> str:
    names = {"%b": _MONTH_NAMES[date.month - 1][:3], "%B": _MONTH_NAMES[date.month - 1],
             "%a": _DAY_NAMES[date.weekday()][:3], "%A": _DAY_NAMES[date.weekday()], "%Y": f"{date.year:04d}",
             "%-d": str(date.day), "%-m": str(date.month), "%%": "%"}
    return names[directive] if directive in names else date.strftime(directive)


def ruby_strftime(date: _dt.datetime, fmt: str) -> str:
    """Ruby's locale-independent ``Time#strftime``, one directive at a time."""
    return _STRFTIME_DIRECTIVE.sub(lambda m: _directive(date, m.group(0)), fmt)


class LastModifiedAtNode(Node):
    __slots__ = ("format",)

    def __init__(self, token: Token, fmt: str | None) -> None:
        super().__init__(token)
        self.format = fmt
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env = context.env
        assert isinstance(env, JekyllEnvironment)
        state = _STATE.get()
        doc = state.document if state is not None else None
        if doc is None:
            return 0
        when = env.last_modified(doc)
        if when is None:
            return 0
        site = env.site_info.site
        settings = site.config.get("last-modified-at")
        fmt = self.format or (settings.get("date-format") if isinstance(settings, dict) else None) or "%d-%b-%y"
        # the plugin caches each file's first formatted date, whatever format a later tag asks for
        cached = env.last_modified_formats.setdefault(doc.source, ruby_strftime(when, str(fmt)))
        return buffer.write(cached)


class LastModifiedAtTag(Tag):
    """jekyll-last-modified-at's ``{% last_modified_at [FORMAT] %}``: the page's last change, formatted."""

    name = "last_modified_at"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup, _last = _tag_markup(stream)
        return LastModifiedAtNode(token, markup.strip() or None)


# -- link / post_url ---------------------------------------------------------------------------------------


class LinkNode(Node):
    __slots__ = ("path", "post")

    def __init__(self, token: Token, path: str, post: bool) -> None:
        super().__init__(token)
        self.path = path
        self.post = post
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env = context.env
        assert isinstance(env, JekyllEnvironment)
        state = _STATE.get()
        path = _render_inline_liquid(context, self.path).strip()
        source = env.site_info.find_post(path) if self.post else env.site_info.find_link(path)
        if source is None:
            if state is not None:
                tag = "post_url" if self.post else "link"
                state.add("broken-link", "warning", f"{tag} target {path!r} matches no document", self.token)
            return 0
        if state is not None:
            state.linked.append(source)
        return buffer.write(env.site_info.link_url(source))


class LinkTag(Tag):
    name = "link"
    block = False
    post = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup, _last = _tag_markup(stream)
        return LinkNode(token, markup.strip(), self.post)


class PostUrlTag(LinkTag):
    name = "post_url"
    post = True


# -- highlight ---------------------------------------------------------------------------------------------

_HIGHLIGHT = re.compile(r"^([\w+#.-]+)\s*(.*)$", re.DOTALL)
_LINE_TERMINATORS = re.compile(r"\A[\n\r]+|[\n\r]+\Z")


def highlight_html(code: str, lang: str, *, linenos: bool = False) -> str:
    """What Jekyll's ``highlight`` tag writes (with the highlighter's token spans left out)."""
    escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if linenos:
        count = code.count("\n") + (0 if code.endswith("\n") else 1)
        gutter = "".join(f"{n}\n" for n in range(1, count + 1))
        body = escaped if escaped.endswith("\n") else escaped + "\n"
        inner = (
            f'<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">{gutter}'
            f'</pre></td><td class="code"><pre>{body}</pre></td></tr></tbody></table>'
        )
    else:
        inner = escaped
    inner = inner[:-1] if inner.endswith("\n") else inner
    return (
        f'<figure class="highlight"><pre><code class="language-{lang.replace("+", "-")}" '
        f'data-lang="{lang}">{inner}</code></pre></figure>'
    )


class HighlightNode(Node):
    __slots__ = ("lang", "linenos", "body")

    def __init__(self, token: Token, lang: str, linenos: bool, body: BlockNode) -> None:
        super().__init__(token)
        self.lang = lang
        self.linenos = linenos
        self.body = body
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        buf = StringIO()
        self.body.render(context, buf)
        code = _LINE_TERMINATORS.sub("", buf.getvalue())
        state = _STATE.get()
        if state is not None and state.fmt == "markdown":
            fence = "```"
            while fence in code:
                fence += "`"
            options = " {linenos=table}" if self.linenos else ""  # Hugo's code fence option
            return buffer.write(f"{fence}{self.lang}{options}\n{code}\n{fence}")
        return buffer.write(highlight_html(code, self.lang, linenos=self.linenos))

    def children(self, static_context: RenderContext, *, include_partials: bool = True) -> Iterable[Node]:
        yield self.body


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token, markup, _last = _tag_markup(stream)
        m = _HIGHLIGHT.match(markup.strip())
        if not m:
            raise LiquidError("highlight needs a language", token=token)
        lang, options = m.group(1), m.group(2)
        linenos = bool(re.search(r"\blinenos\b", options))
        next(stream)
        body = self.env.parser.parse_block(stream, (self.end,))  # type: ignore[attr-defined]
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, lang, linenos, body)


# -- site information for tags and filters -----------------------------------------------------------------

_POST_NAME = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")


_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?$")
"""A zone-less YAML timestamp as the reader's JSON-safe IR writes it (Python's ``isoformat``)."""


def _site_zone(name: str | None) -> _dt.tzinfo | None:
    """The site's ``timezone`` (Jekyll puts it in ``TZ``); None for the machine's own zone."""
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, OSError, KeyError, ImportError):
        return _dt.timezone.utc  # Jekyll with a zone the C library does not know: UTC


class SiteInfo:
    """What tags and filters need to know about the site and where its documents now live."""

    def __init__(
        self, site: ir.Site, document_urls: Mapping[str, str], *, base_path: str, site_url: str
    ) -> None:
        self.site = site
        self.document_urls = document_urls
        self.base_path = base_path.rstrip("/")
        self.site_url = site_url.rstrip("/")
        self.by_source = {d.source: d for d in site.documents}
        self._post_list: list[ir.Document] | None = None
        self._post_lookup: tuple[dict[str, list[int]], dict[str, str]] | None = None
        self.render_html: Callable[[ir.Document, str], str] | None = None
        """Set by the pipeline: another document's rendered ``content`` or ``excerpt`` (as Jekyll exposes
        them in ``site.posts``)."""
        self.zone = _site_zone(site.timezone)
        self.embed_writer: Callable[[Any, str], str | None] | None = None
        """Set by the pipeline from ``Targets.embed``: how the target writes an embed (None: the plugin's HTML)."""

    def yaml_value(self, value: Any) -> Any:
        """A front matter or data value as Ruby's YAML gave it to Liquid. The IR keeps YAML timestamps as
        ISO strings; one without a zone (``2020-01-02T10:00:00``, what the reader writes for
        ``2020-01-02 10:00:00``) is a time again, read as UTC and shown in the site's zone, so it prints and
        compares as Jekyll's does. One with an offset stays text: the IR cannot tell it from a quoted string
        such as ``'2008-11-07T13:07:54-08:00'``, which Jekyll prints as written."""
        if isinstance(value, str):
            if _ISO_TIMESTAMP.match(value):
                try:
                    moment = _dt.datetime.fromisoformat(value).replace(tzinfo=_dt.timezone.utc)
                except ValueError:
                    return value
                return moment.astimezone(self.zone) if self.zone is not None else moment.astimezone()
            return value
        if isinstance(value, dict):
            return {k: self.yaml_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.yaml_value(v) for v in value]
        return value

    @staticmethod
    def current_source() -> str | None:
        state = _STATE.get()
        return state.document.source if state is not None and state.document is not None else None

    def new_url(self, source: str) -> str:
        doc = self.by_source[source]
        return self.document_urls.get(source, doc.url)

    def link_url(self, source: str) -> str:
        url = self.new_url(source)
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
            return url
        return jfilters.relative_url_of(url, self.base_path)

    def find_link(self, path: str) -> str | None:
        path = path.lstrip("/")
        if path in self.by_source:
            return path
        return None

    def find_post(self, name: str) -> str | None:
        m = _POST_NAME.match(name.lstrip("/"))
        if not m:
            return None
        # Jekyll matches the post's relative path against
        # ^_posts/{sub}{date}-{slug}\.[^.]+$ or ^{sub}_posts/?{date}-{slug}\.[^.]+$ ; that is, the path
        # before its last dot is one of three strings, and something follows the dot. An index of posts
        # by that head answers it without a scan (or a regex) per tag.
        tail = f"{m.group(2)}-{m.group(3)}"
        sub = m.group(1) or ""
        by_head, by_stem = self._post_index()
        found = [i for head in {f"_posts/{sub}{tail}", f"{sub}_posts{tail}", f"{sub}_posts/{tail}"}
                 for i in by_head.get(head, ())]
        if found:
            return self._posts()[min(found)].source
        # Jekyll's deprecated fallback: the file name alone
        return by_stem.get(name.rsplit("/", 1)[-1])

    def _posts(self) -> list[ir.Document]:
        if self._post_list is None:
            self._post_list = [d for d in self.site.documents if d.collection == "posts" and d.kind == "post"]
        return self._post_list

    def _post_index(self) -> tuple[dict[str, list[int]], dict[str, str]]:
        """Posts (by position) under their path before its last dot, when an extension follows; and the
        first post of each stem. Built once."""
        if self._post_lookup is None:
            by_head: dict[str, list[int]] = {}
            by_stem: dict[str, str] = {}
            for i, doc in enumerate(self._posts()):
                head, dot, ext = doc.source.rpartition(".")
                if dot and ext:
                    by_head.setdefault(head, []).append(i)
                by_stem.setdefault(PurePosixPath(doc.source).stem, doc.source)
            self._post_lookup = (by_head, by_stem)
        return self._post_lookup


# -- Ruby Liquid accepts variables named like python-liquid's loop keywords --------------------------------

_KEYWORD_VARS = ("offset", "limit", "cols", "reversed", "continue", "required")
_KEYWORD_RE = re.compile(r"(?<![\w.\-])(" + "|".join(_KEYWORD_VARS) + r")(?![\w\-])")
_LIQUID_MARKUP = re.compile(
    r"(\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})|(\{%-?\s*(\w+))(.*?)(-?%\})|(\{\{)(.*?)(\}\})", re.DOTALL
)
_QUOTED = re.compile(r"(\"[^\"]*\"|'[^']*')")


def _rename_in_expression(expr: str, loop_tag: bool) -> str:
    def rename(text: str) -> str:
        def sub(m: re.Match[str]) -> str:
            word = m.group(1)
            after = text[m.end() :].lstrip()
            if loop_tag and (word in ("reversed", "continue") or after.startswith(":")):
                return word  # a real loop argument
            return f"{word}__jm"

        return _KEYWORD_RE.sub(sub, text)

    parts = _QUOTED.split(expr)
    return "".join(rename(part) if i % 2 == 0 else part for i, part in enumerate(parts))


def rename_keyword_variables(source: str) -> str:
    """Rename variables such as ``offset`` (a loop keyword for python-liquid, a plain name for Jekyll)."""
    if not _KEYWORD_RE.search(source):
        return source

    def fix(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(0)
        if m.group(2):
            tag = m.group(3)
            if tag in ("comment", "highlight", "include", "include_relative", "include_cached", "link", "post_url",
                       "gist", "avatar", "github_edit_link"):
                return m.group(0)
            return m.group(2) + _rename_in_expression(m.group(4), tag in ("for", "tablerow")) + m.group(5)
        return m.group(6) + _rename_in_expression(m.group(7), False) + m.group(8)

    return _LIQUID_MARKUP.sub(fix, source)


_LAX_READERS: dict[str, Callable[[str], str | None]] = {
    "output": laxliquid.lax_variable,
    "echo": laxliquid.lax_variable,
    "assign": laxliquid.lax_assign,
    "if": laxliquid.lax_condition,
    "elsif": laxliquid.lax_condition,
    "unless": laxliquid.lax_condition,
}


# -- environment -------------------------------------------------------------------------------------------


class JekyllEnvironment(Environment):
    """A python-liquid environment with Jekyll's tags and filters, reporting problems as issues."""

    template_class = JekyllTemplate

    def __init__(
        self,
        site_info: SiteInfo,
        *,
        limits: Limits | None = None,
        markdownify: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(tolerance=Mode.STRICT, undefined=ReportingUndefined, strict_filters=True)
        self.limits = limits or Limits()
        self.context_depth_limit = self.limits.include_depth  # type: ignore[misc]
        self.loop_iteration_limit = self.limits.loop_iterations  # type: ignore[misc]
        self.output_stream_limit = self.limits.output_bytes  # type: ignore[misc]
        self.site_info = site_info
        self.site_dir = Path(site_info.site.source_dir)
        self.includes_dir = str(site_info.site.config.get("includes_dir") or "_includes")
        self._cache: dict[tuple[str, str | None], BoundTemplate] = {}
        self._files: dict[str, tuple[BoundTemplate, str] | None] = {}
        self.origins: dict[str, tuple[str, int]] = {}
        """Include source text -> (file, first line), so issues name the include they come from."""
        self.markdownify_func = markdownify or (lambda s: s)
        self.parser = None
        from liquid.parser import get_parser

        self.parser = get_parser(self)
        self.add_tag(UnknownTag)
        self.add_tag(RubyOutput)
        self.add_tag(RubyEcho)
        for tag in (IncludeTag, IncludeRelativeTag, IncludeCachedTag, LinkTag, PostUrlTag, HighlightTag):
            self.add_tag(tag)
        if "jekyll-gist" in site_info.site.plugins:
            self.add_tag(GistTag)
        self.last_modified_formats: dict[str, str] = {}
        """jekyll-last-modified-at's cache: each file's date as first formatted."""
        self._file_dates: LastModified | None = None
        if "jekyll-last-modified-at" in site_info.site.plugins:
            self.add_tag(LastModifiedAtTag)
        if "jekyll-avatar" in site_info.site.plugins:
            self.add_tag(AvatarTag)
        if "jekyll-github-metadata" in site_info.site.plugins:
            self.add_tag(GithubEditLinkTag)
        jfilters.register(
            self,
            base_path=site_info.base_path,
            site_url=site_info.site_url,
            convert_markdown=self.markdownify_func,
            compile_template=self.cached_template,
        )
        self.embeds: dict[str, tuple[jext.Embed, str]] = {}
        """Placeholder -> the embed (and body format) it stands for, until the pipeline places it."""
        from migrate.content import embeds

        install_extensions(self, [embeds.BUILT_IN, *jext.active()])

    def error(self, exc: Any, msg: str | None = None, token: Token | None = None) -> None:
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        if isinstance(exc, _FATAL):
            raise exc
        state = _STATE.get()
        if state is None:
            raise exc
        state.add("liquid-error", "warning", f"Liquid: {exc.message}", exc.token)

    def _parse(self, source: str) -> list[Node]:
        assert self.parser is not None
        tokens = list(self.tokenizer()(source))
        for i in range(1, len(tokens)):
            if tokens[i].kind == TOKEN_EXPRESSION:
                tokens[i] = self._lax_expression(tokens[i - 1], tokens[i])
        return self.parser.parse(TokenStream(iter(tokens)))

    def _lax_expression(self, before: Token, token: Token) -> Token:
        """``token`` as Jekyll reads it: strictly, else (``error_mode: warn``) as lax Liquid reads it."""
        kind = "output" if before.kind == TOKEN_OUTPUT else before.value if before.kind == TOKEN_TAG else ""
        if kind not in _LAX_READERS:
            return token
        try:
            if kind in ("if", "elsif", "unless"):
                BooleanExpression.parse(self, TokenStream(tokenize(token.value, token)))
            elif kind == "assign":
                stream = TokenStream(tokenize(token.value, token))
                parse_identifier(self, stream, allow_trailing_question_mark=False)
                stream.eat(TOKEN_ASSIGN)
                FilteredExpression.parse(self, stream)
            else:
                FilteredExpression.parse(self, TokenStream(tokenize(token.value, token)))
            return token
        except LiquidError:
            pass
        lax = _LAX_READERS[kind](token.value)
        if lax is None or lax == token.value:
            return token
        state = _STATE.get()
        if state is not None:
            state.add(
                "liquid-lax-syntax",
                "info",
                f"Liquid syntax error in {token.value.strip()!r}: read as {lax!r}, as Jekyll's lax Liquid does",
                token,
            )
        return token._replace(value=lax)

    def last_modified(self, doc: ir.Document) -> _dt.datetime | None:
        """The time jekyll-last-modified-at's tag shows: the document's (the reader's), or, for a post or
        document whose front matter has its own ``last_modified_at``, its file's own (the tag ignores the
        front matter), when the site's folder is at hand."""
        if doc.kind == "page" or doc.front_matter.get("last_modified_at") is None:
            return doc.last_modified
        site = self.site_info.site
        if not site.source_dir or not Path(site.source_dir).is_dir():
            return doc.last_modified
        if self._file_dates is None:
            self._file_dates = LastModified(Path(site.source_dir))
        return self._file_dates.time(doc.source, self.site_info.zone) or doc.last_modified

    def cached_template(self, text: str, origin: tuple[str, int] | None) -> BoundTemplate:
        key = (text, origin[0] if origin else None)
        template = self._cache.get(key)
        if template is None:
            template = self.from_string(rename_keyword_variables(text))
            self._cache[key] = template
        return template

    def load_include(
        self, name: str, *, relative: bool, context: RenderContext
    ) -> tuple[BoundTemplate, str] | None:
        state = _STATE.get()
        if relative:
            doc = state.document if state else None
            base = PurePosixPath(doc.source).parent if doc else PurePosixPath(".")
            rel = str(PurePosixPath(base, name))
        else:
            rel = str(PurePosixPath(self.includes_dir, name))
        if ".." in PurePosixPath(rel).parts:
            return None
        if rel not in self._files:
            path = self.site_dir / rel
            try:
                text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                self._files[rel] = None
                return None
            line = 1
            if relative and text.startswith("---"):
                m = re.match(r"---[ \t]*\n.*?\n---[ \t]*\n", text, re.DOTALL)
                if m:
                    line += m.group(0).count("\n")
                    text = text[m.end() :]
            self.origins.setdefault(rename_keyword_variables(text), (rel, line))
            self._files[rel] = (self.cached_template(text, None), rel)
        return self._files[rel]


# -- drops -------------------------------------------------------------------------------------------------


class DocumentDrop(Mapping[str, Any]):
    """A document as Liquid sees it (``page`` or an item of ``site.posts``), with its new URL."""

    def __init__(self, doc: ir.Document, info: SiteInfo) -> None:
        self._doc = doc
        self._info = info
        self._data: dict[str, Any] | None = None

    def _build(self) -> dict[str, Any]:
        doc = self._doc
        fm = self._info.yaml_value(dict(doc.front_matter))
        src = PurePosixPath(doc.source)
        url = self._info.document_urls.get(doc.source, doc.url)
        if doc.kind == "page":
            # PageDrop: front matter, then the page's own methods
            data: dict[str, Any] = dict(fm)
            data.update(
                {
                    "url": url,
                    "path": doc.source,
                    "name": src.name,
                    "content": doc.body,
                    "dir": url if url.endswith("/") else url.rsplit("/", 1)[0] + "/",
                }
            )
            data.setdefault("title", fm.get("title"))
            data.setdefault("excerpt", None)
            self._last_modified_at(data)
            return data
        # DocumentDrop: Jekyll's defaults, overridden by front matter, then the drop's own methods
        data = {
            "title": doc.title,
            "slug": doc.slug,
            "categories": list(doc.categories),
            "tags": list(doc.tags),
            "ext": doc.extension,
            "draft": doc.draft,
        }
        data.update(fm)
        if doc.categories or "categories" not in fm:
            data["categories"] = list(doc.categories)
        if doc.tags or "tags" not in fm:
            data["tags"] = list(doc.tags)
        data.update(
            {
                "url": url,
                "path": doc.source,
                "relative_path": doc.source,
                "collection": doc.collection,
                "id": url.rsplit(".", 1)[0] if url.endswith(".html") else url.rstrip("/"),
                "content": doc.body,
                "excerpt": doc.excerpt if doc.excerpt is not None else "",
                "output": None,
            }
        )
        data["date"] = doc.date if doc.date is not None else fm.get("date")
        self._last_modified_at(data)
        return data

    def _last_modified_at(self, data: dict[str, Any]) -> None:
        """jekyll-last-modified-at's time (over a page's front matter; a document's own value stays)."""
        doc = self._doc
        if doc.last_modified is None or "jekyll-last-modified-at" not in self._info.site.plugins:
            return
        if doc.kind == "page" or doc.front_matter.get("last_modified_at") is None:
            data["last_modified_at"] = doc.last_modified

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._build()
        return self._data

    def __getitem__(self, key: str) -> Any:
        if key in ("excerpt", "content") and self._info.render_html is not None and key in self.data:
            if self._info.current_source() == self._doc.source:
                return self.data[key]  # a document's own content during its own render is the raw text
            return self._info.render_html(self._doc, key)
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __str__(self) -> str:
        return str(self._doc.body)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items()}


def _sort_key_date(doc: ir.Document) -> Any:
    date = doc.date or _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
    if date.tzinfo is None:
        date = date.replace(tzinfo=_dt.timezone.utc)
    return (date, doc.source)


def build_site_drop(site: ir.Site, info: SiteInfo, *, now: _dt.datetime | None = None) -> dict[str, Any]:
    """``site`` as Jekyll exposes it to Liquid: the config, ``data``, posts, pages and collections."""
    drop: dict[str, Any] = dict(site.config)
    drops = {d.source: DocumentDrop(d, info) for d in site.documents}
    unrendered = {c.label for c in site.collections if not c.output}
    # documents of an ``output: false`` collection are not written, but Liquid still sees them
    built = [
        d
        for d in site.documents
        if d.built_by_jekyll or (d.collection in unrendered and d.published and not d.draft)
    ]
    posts = sorted((d for d in built if d.kind == "post"), key=_sort_key_date, reverse=True)
    drop["posts"] = [drops[d.source] for d in posts]
    drop["pages"] = [drops[d.source] for d in built if d.kind == "page"]
    # Jekyll's html_pages: pages that are web pages or whose URL ends with a slash
    drop["html_pages"] = [
        drops[d.source] for d in built if d.kind == "page" and (d.is_html_page or d.url.endswith("/"))
    ]
    drop["documents"] = [drops[d.source] for d in built if d.kind in ("post", "document")]
    collections = []
    for coll in site.collections:
        docs = [
            drops[d.source] for d in built if d.collection == coll.label and d.kind in ("post", "document")
        ]
        if coll.label == "posts":
            docs = drop["posts"]
        else:
            drop[coll.label] = docs
        collections.append(
            {
                "label": coll.label,
                "docs": docs,
                "output": coll.output,
                "permalink": coll.permalink,
                "directory": coll.directory,
                "relative_directory": coll.directory,
                "files": [],
            }
        )
    drop["collections"] = collections
    categories: dict[str, list[Any]] = {}
    tags: dict[str, list[Any]] = {}
    for d in posts:
        for c in d.categories:
            categories.setdefault(c, []).append(drops[d.source])
        for t in d.tags:
            tags.setdefault(t, []).append(drops[d.source])
    drop["categories"] = categories
    drop["tags"] = tags
    drop["data"] = info.yaml_value(site.data)
    drop["static_files"] = [
        {
            "path": "/" + s.source,
            "name": PurePosixPath(s.source).name,
            "extname": PurePosixPath(s.source).suffix,
            "basename": PurePosixPath(s.source).stem,
            "collection": s.collection,
            "url": s.url,
        }
        for s in site.served_static_files()
    ]
    drop["time"] = now or site.time or _dt.datetime.now(_dt.timezone.utc)
    # Jekyll leaves ``url`` and ``baseurl`` nil (falsy) when the config does not set them
    drop["url"] = site.url or site.config.get("url") or None
    drop["baseurl"] = site.baseurl or site.config.get("baseurl") or None
    return drop


class LiquidRenderer:
    """Renders documents' Liquid for one site; cache-friendly, one instance per pipeline."""

    def __init__(
        self,
        site: ir.Site,
        info: SiteInfo,
        *,
        limits: Limits | None = None,
        markdownify: Callable[[str], str] | None = None,
        environment: str = "development",
    ) -> None:
        self.site = site
        self.info = info
        self.limits = limits or Limits()
        self.env = JekyllEnvironment(info, limits=self.limits, markdownify=markdownify)
        self.site_drop = build_site_drop(site, info)
        self.jekyll = {"version": JEKYLL_VERSION, "environment": environment}

    def render(
        self, doc: ir.Document, text: str | None = None, *, fmt: str = "html"
    ) -> tuple[str, list[ir.Issue], list[str]]:
        """Render ``text`` (default: the document body) as the document's content; never raises.

        With ``fmt="markdown"`` the ``highlight`` tag writes a fenced code block instead of HTML."""
        body = doc.body if text is None else text
        if not doc.render_with_liquid or ("{{" not in body and "{%" not in body):
            return body, [], []
        state = RenderState(
            document=doc,
            deadline=time.monotonic() + self.limits.render_seconds,
            file_of_text=self.env.origins,
            fmt=fmt,
        )
        token = _STATE.set(state)
        try:
            template = self.env.from_string(rename_keyword_variables(body))
            page = DocumentDrop(doc, self.info)
            out = template.render(site=self.site_drop, page=page, jekyll=self.jekyll, paginator=None)
        except _FATAL as err:
            state.add("liquid-limit", "error", f"Liquid {err.message}: body left unrendered", err.token)
            out = body
        except LiquidError as err:
            state.add("liquid-error", "error", f"Liquid: {err.message}: body left unrendered", err.token)
            out = body
        except Exception as err:  # noqa: BLE001 - a site's content must never crash the run
            logger.debug("liquid crash on %s", doc.source, exc_info=True)
            state.add(
                "liquid-error", "error", f"Liquid failed ({type(err).__name__}: {err}): body left unrendered"
            )
            out = body
        finally:
            _STATE.reset(token)
        return out, state.issues, state.linked
