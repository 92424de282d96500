"""The exporter interface and the registry of exporters found through entry points (the core's side of the
contract: ``exporters/`` and third-party packages implement it, the core depends on nothing there)."""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Callable, ClassVar, Iterable, Mapping, Sequence

from migrate.content import ContentFormat, Converted, Targets
from migrate.errors import OptionError
from migrate.ir import Document, Site
from migrate.plan import Plan
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


class Exporter(abc.ABC):
    """Base class of every target. The CLI drives it in this order:

    1. ``validate_options`` (class method) checks every option at once;
    2. ``prepare()`` decides where every document and asset lands and returns :class:`Targets`;
    3. ``render_document(doc, converted)`` once per document, possibly in a worker process, turns the
       converted body into what the target stores (pure: it reads only what ``prepare()`` decided);
    4. ``export_document(doc, converted, rendered)`` once per document, in source order, in this
       process, adds files to the plan;
    5. ``finish()`` adds the whole-site files (config, WXR, import JSON, redirects, README).
    """

    name: ClassVar[str]
    """What ``--to`` takes."""
    description: ClassVar[str]
    content_format: ClassVar[ContentFormat]
    """The body format this target reads."""
    options: ClassVar[Sequence[Option]] = ()
    serves_index_files: ClassVar[bool] = True
    """Whether the target serves ``/x/index.html`` for ``/x/`` (static hosts do; WordPress and Ghost do not)."""

    def __init__(self, site: Site, options: Mapping[str, Any], report: Report, plan: Plan) -> None:
        self.site = site
        self.opts = dict(options)
        self.report = report
        self.plan = plan

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

    def feed_url(self) -> str | None:
        """The new site's feed URL, which the old feed redirects to; None when the target has none."""
        return None

    def documents(self) -> Iterable[Document]:
        """The documents this export considers (every document the reader found), in source order."""
        return sorted(self.site.documents, key=lambda d: d.source)

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
    def export_document(self, document: Document, converted: Converted, rendered: Any = None) -> None:
        """Pass two, in this process: add the files for one converted document to the plan, and record its
        outcome. ``rendered`` is what ``render_document`` returned (None when the caller did not render)."""

    @abc.abstractmethod
    def finish(self) -> None:
        """Add the whole-site files to the plan."""


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
