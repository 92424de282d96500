"""``python -m migrate``: the same as the ``jekyll-migrate`` command."""

from migrate.cli import main_entry

main_entry()
