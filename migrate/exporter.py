"""The exporter interface and the registry of exporters found through entry points (the core's side of the
contract: ``exporters/`` and third-party packages implement it, the core depends on nothing there)."""

from __future__ import annotations

import abc
import dataclasses
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Callable, ClassVar, Iterable, Literal, Mapping, Sequence

from migrate.content import ContentFormat, Converted, Targets
from migrate.errors import OptionError
from migrate.ir import Document, GeneratedPage, Site
from migrate.plan import Plan
from migrate.redirects import RedirectMap
from migrate.report import Report

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "jekyll_migrate.exporters"


@dataclass(frozen=True)
class Option:
    """One option an exporter declares; the CLI turns it into ``--name``."""

    name: str
    """Option name as typed on the command line without dashes, e.g. ``new-site-url``."""
    help: str
    type: Callable[[str], Any] = str
    default: Any = None
    choices: tuple[str, ...] | None = None
    multiple: bool = False
    """May be given several times; the value is then a tuple."""
    flag: bool = False
    """A boolean switch taking no value."""

    @property
    def key(self) -> str:
        return self.name.replace("-", "_")


@dataclass(frozen=True)
class Outcome:
    """What became of one document, as ``export_document`` returns it. The core records it in
    ``migration.json`` with the document's source, kind and old URL; an exporter never records anything."""

    new_url: str | None
    """Where the document now lives: root-relative on the new site (or absolute); None when it has no
    public URL there (a draft, a file the target keeps but does not serve)."""
    status: Literal["exported", "skipped"] = "exported"
    reason: str | None = None
    """Why, when it is skipped or exported in some special way (shown in the manifest and the report)."""

    @classmethod
    def exported(cls, new_url: str | None, reason: str | None = None) -> Outcome:
        return cls(new_url, "exported", reason)

    @classmethod
    def skipped(cls, reason: str) -> Outcome:
        return cls(None, "skipped", reason)


@dataclass(frozen=True)
class UrlFacts:
    """How the target's platform answers URLs: what the core needs, besides each document's new URL, to
    build the one redirect map of an export (the map ``export`` writes and ``redirects`` renders)."""

    feed_url: str | None = None
    """Where the old site's feeds go (the platform's own feed); None when it has none."""
    index_files: bool = True
    """Whether the new host answers ``/x/index.html`` for ``/x/`` and ``/x.html`` for an extensionless
    ``/x`` by itself (static hosts do; WordPress and Ghost do not, so their map holds rules for those)."""
    base_path: str = ""
    """The sub-path (``/blog``) the old URLs are answered under on the new host: it goes in front of every
    rule's source and of every relative target that does not already start with it."""
    new_site_url: str | None = None
    """The new site's URL, when known: absolute new URLs on that host are written root-relative."""
    sitemap_url: str | None = None
    """The platform's own sitemap, where an old sitemap leads; None when it has none."""
    platform_urls: tuple[str, ...] = ()
    """Old URLs (below ``base_path``) the platform answers itself with its own page, which no rule may
    take over (WordPress's front page at ``/``)."""


def page_number_on_target(page: GeneratedPage, per_page: int) -> int:
    """The number of the page of the target's own pagination of the same list that starts with what a
    page of the old list started with: page N of ``page.per_page`` items begins with item
    ``(N-1) * page.per_page``, which a target showing ``per_page`` items a page shows on this page."""
    number = page.page_number or 1
    if not page.per_page or per_page <= 0:
        return number
    return (number - 1) * page.per_page // per_page + 1


class Exporter(abc.ABC):
    """Base class of every target. The core drives it in this order:

    1. ``validate_options`` (class method) checks every option at once; the exporter reads them as
       attributes of ``self.opts`` (a frozen dataclass made from its ``options``);
    2. ``prepare()`` decides where every document and asset lands and returns :class:`Targets`;
    3. ``skip_reason(doc)`` for every document, in source order: a document the target leaves out is
       recorded as skipped and not converted;
    4. ``render_document(doc, converted)`` once per other document, possibly in a worker process, turns
       the converted body into what the target stores (pure: it reads only what ``prepare()`` decided);
    5. ``export_document(doc, rendered, converted)`` once per document, in source order, in this
       process, adds files to the plan and returns the document's :class:`Outcome`, which the core
       records (a document that raises is recorded as failed, and the others go on);
    6. the core builds the one redirect map of the export from the outcomes and the exporter's
       :class:`UrlFacts`, and ``write_redirects(redirect_map)`` writes it in the target's own files;
    7. ``finish()`` adds the whole-site files (config, WXR, import JSON, README).
    """

    name: ClassVar[str]
    """What ``--to`` takes."""
    description: ClassVar[str]
    content_format: ClassVar[ContentFormat]
    """The body format this target reads."""
    options: ClassVar[Sequence[Option]] = ()
    push_target: ClassVar[str | None] = None
    """``"module:Class"`` of the :class:`migrate.push.PushTarget` that pushes this export into a live site
    (``jekyll-migrate push``), imported only when pushing; None: this target cannot be pushed to."""

    def __init__(self, site: Site, options: Mapping[str, Any], report: Report, plan: Plan) -> None:
        self.site = site
        values, problems = self.validate_options(options)
        if problems:
            raise OptionError("; ".join(problems))
        self.opts = self.options_type()(**values)
        self.report = report
        self.plan = plan

    @classmethod
    def options_type(cls) -> type:
        """The frozen dataclass of this exporter's options: one attribute per declared option (its key),
        holding the validated value."""
        made = cls.__dict__.get("_options_type")
        if made is None:
            fields = [(o.key, Any, dataclasses.field(default=None)) for o in cls.options]
            made = dataclasses.make_dataclass(f"{cls.__name__}Options", fields, frozen=True)
            setattr(cls, "_options_type", made)
        return made

    @classmethod
    def validate_options(cls, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Fill defaults and check values; returns (options, problems). All problems are listed at once."""
        out: dict[str, Any] = {}
        problems: list[str] = []
        for option in cls.options:
            value = values.get(option.key, option.default)
            if value is None:
                out[option.key] = () if option.multiple else (False if option.flag else None)
                continue
            raw_values = value if option.multiple and isinstance(value, (list, tuple)) else [value]
            converted = []
            for raw in raw_values:
                try:
                    item = raw if option.flag or not isinstance(raw, str) else option.type(raw)
                except (TypeError, ValueError) as exc:
                    problems.append(f"--{option.name}: {exc}")
                    continue
                if option.choices and item not in option.choices:
                    problems.append(f"--{option.name}: {item!r} is not one of {', '.join(option.choices)}")
                    continue
                converted.append(item)
            out[option.key] = tuple(converted) if option.multiple else (converted[0] if converted else None)
        unknown = set(values) - {o.key for o in cls.options}
        problems.extend(f"unknown option {k!r} for exporter {cls.name}" for k in sorted(unknown))
        return out, problems

    def url_facts(self) -> UrlFacts:
        """How the platform answers URLs (called after every document is exported). The default: a
        static host at the root of its domain, without a feed."""
        return UrlFacts()

    def documents(self) -> Iterable[Document]:
        """Every document the reader found, in source order (the order the core exports them in)."""
        return sorted(self.site.documents, key=lambda d: d.source)

    def skip_reason(self, document: Document) -> str | None:
        """Why the target leaves ``document`` out (it is then recorded as skipped and not converted), or
        None to export it. The default exports every document."""
        return None

    @abc.abstractmethod
    def prepare(self) -> Targets:
        """Pass one: decide every document's new URL and every asset's location."""

    def uses_excerpt(self, document: Document) -> bool:
        """Whether ``export_document`` reads ``converted.excerpt`` for this document. When it does not, the
        excerpt is not converted (Jekyll's default excerpt is a second conversion of the first paragraph)
        and ``converted.excerpt`` is None. The default: always."""
        return True

    def render_document(self, document: Document, converted: Converted) -> Any:
        """Pass two, the expensive and pure part: whatever ``export_document`` needs from this document
        alone (serialised front matter, a rewritten body...). It runs in the worker process that converted
        the document, so it must not change the exporter, the plan or anything shared; issues it emits on
        ``self.report`` are carried back and added in document order. The default renders nothing."""
        return None

    @abc.abstractmethod
    def export_document(self, document: Document, rendered: Any, converted: Converted) -> Outcome:
        """Pass two, in this process: add the files for one document to the plan and say what became of
        it. ``rendered`` is what ``render_document`` returned; ``converted`` is the body (and excerpt) in
        the exporter's ``content_format``."""

    def generated_url(self, page: GeneratedPage) -> str | None:
        """The target's own page for a page a plugin generated on the old site (its pagination of the same
        list, its page of the same tag or category, its feed of it), or None where the platform has none:
        the core then leads the old URL to the nearest page that lists the same content. The default: none."""
        return None

    def write_redirects(self, redirect_map: RedirectMap) -> None:
        """Write the export's redirect map (built by the core from the outcomes and :meth:`url_facts`) in
        the target's own files. ``migration.json`` lists its rules whatever this does; the default writes
        nothing more (``jekyll-migrate redirects`` renders the same map for any host)."""

    @abc.abstractmethod
    def finish(self) -> None:
        """Add the whole-site files to the plan (``self.plan.redirect_map`` is the export's map)."""


class Registry:
    """Exporter classes by name, loaded from the entry-point group."""

    def __init__(self, classes: Mapping[str, type[Exporter]]) -> None:
        self._classes = dict(classes)

    @classmethod
    def load(cls) -> Registry:
        found: dict[str, type[Exporter]] = {}
        origin: dict[str, str] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                exporter = ep.load()
            except Exception as exc:  # a broken third-party plugin must not take the tool down
                log.warning("exporter plugin %s (%s) failed to load: %s", ep.name, ep.value, exc)
                continue
            if ep.name in found and origin[ep.name] != ep.value:
                raise OptionError(
                    f"two exporters claim the name {ep.name!r}: {origin[ep.name]} and {ep.value}"
                )
            found[ep.name] = exporter
            origin[ep.name] = ep.value
        return cls(found)

    def names(self) -> list[str]:
        return sorted(self._classes)

    def get(self, name: str) -> type[Exporter]:
        try:
            return self._classes[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise OptionError(f"unknown exporter {name!r} (registered: {known})") from None

    def items(self) -> list[tuple[str, type[Exporter]]]:
        return sorted(self._classes.items())
