"""Ghost exporter: a Ghost 6 import (JSON plus images in a zip) and Ghost's redirects files.

``schema`` (what an import accepts), ``slugs``, ``cards`` (bodies as Ghost keeps them), ``assets``
(static files in the zip), ``archive`` (the import JSON, the zip and the redirects files) and
``exporter`` (the exporter class, which uses them all).
"""

from exporters.ghost.exporter import GhostExporter

__all__ = ["GhostExporter"]
