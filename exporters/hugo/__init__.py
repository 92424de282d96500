"""Hugo exporter: leaf bundles, hugo.toml, default layouts, aliases and redirect pages keeping every old URL.

One module per concern: :mod:`.paths` (site paths and URLs as Hugo reads them), :mod:`.placement` (pass
one: where each document lands, sections, bundles, permalinks), :mod:`.aliases` (redirect pages, aliases
and collisions), :mod:`.front_matter` with :mod:`.front_matter_yaml` (the content files), :mod:`.config`
(hugo.toml, layouts), :mod:`.readme`, and :mod:`.exporter`, the class the entry point names."""

from exporters.hugo.exporter import HugoExporter

__all__ = ["HugoExporter"]
