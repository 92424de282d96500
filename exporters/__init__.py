"""Exporter plugins: one module per target, registered through the ``jekyll_migrate.exporters``
entry-point group (the built-ins the same way a third party would)."""
