"""Old URL -> new URL redirect maps built from the IR, and their output formats for every host."""

from migrate.redirects.core import Redirect, RedirectMap, build_redirect_map, load_map, page_key, served_forms
from migrate.redirects.formats import (
    FORMATS,
    format_names,
    register_format,
    render_redirects,
    stream_redirects,
)

__all__ = [
    "FORMATS",
    "Redirect",
    "RedirectMap",
    "build_redirect_map",
    "format_names",
    "load_map",
    "page_key",
    "register_format",
    "render_redirects",
    "served_forms",
    "stream_redirects",
]
