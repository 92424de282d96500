"""Jekyll's ``EntryFilter``: which names the reader skips (``exclude``, names that start with ``.``, ``_``,
``#`` or ``~`` or end with ``~``) and which it reads all the same (``include``)."""

from __future__ import annotations

from dataclasses import dataclass

from migrate.reader.settings import Patterns

SPECIAL_START = (".", "_", "#", "~")


def glob_include(patterns: Patterns, entry: str, is_dir: bool) -> bool:
    """``EntryFilter#glob_include?``: whether one of ``patterns`` names ``entry``."""
    entry = entry.lstrip("/")
    for text, rx in patterns:
        if rx.match(entry) or entry.startswith(text) or (is_dir and text == entry + "/"):
            return True
    return False


@dataclass(frozen=True)
class EntryFilter:
    include: Patterns
    exclude: Patterns

    def included(self, entry: str, is_dir: bool) -> bool:
        return glob_include(self.include, entry, is_dir) or glob_include(
            self.include, entry.rsplit("/", 1)[-1], is_dir
        )

    def keep(self, entry: str, rel_to_source: str, is_dir: bool) -> bool:
        """``EntryFilter#filter`` for one entry (``entry`` relative to the folder being read)."""
        if entry.endswith("."):
            return False
        included = self.included(entry, is_dir)
        if not included and glob_include(self.exclude, rel_to_source, is_dir):
            return False
        if included:
            return True
        base = entry.rsplit("/", 1)[-1]
        if entry.startswith(SPECIAL_START) or base.startswith(SPECIAL_START):
            return False
        return not entry.endswith("~")

    def skip_reason(self, rel: str) -> str:
        """Why the walk passed over a file of the site: "excluded" (by ``exclude``, in a folder or by name),
        "hidden" (a name starting with ``.``, ``_``, ... in its path), or else "ignored"."""
        parts = rel.split("/")
        for i in range(len(parts)):
            sub = "/".join(parts[: i + 1])
            if glob_include(self.exclude, sub, i < len(parts) - 1) and not self.included(parts[i], False):
                return "excluded"
        for part in parts:
            if part.startswith(SPECIAL_START) or part.endswith("~"):
                return "hidden"
        return "ignored"
