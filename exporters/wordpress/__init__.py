"""WordPress exporter: a WXR 1.2 file the official importer takes whole, the media, and redirects for old URLs.

One module per concern: :mod:`.wxr` (XML text, wpautop-safe HTML, the channel and items), :mod:`.slugs`,
:mod:`.permalinks` (structure choice, term bases), :mod:`.authors`, :mod:`.placement` (pass one),
:mod:`.media`, :mod:`.options`, :mod:`.readme`, and :mod:`.exporter`, the class the entry point names."""

from exporters.wordpress.exporter import WordPressExporter
from exporters.wordpress.slugs import wp_slug

__all__ = ["WordPressExporter", "wp_slug"]
