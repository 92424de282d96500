"""The exporter interface and the registry, kept here for exporters that import them from ``exporters.base``;
they live in :mod:`migrate.exporter`, so the core depends on nothing in ``exporters/``."""

from migrate.exporter import ENTRY_POINT_GROUP, Exporter, Option, Outcome, Registry, UrlFacts

__all__ = ["ENTRY_POINT_GROUP", "Exporter", "Option", "Outcome", "Registry", "UrlFacts"]
