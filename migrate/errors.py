"""A small error hierarchy: expected failures carry the file and line they concern."""

from __future__ import annotations


class MigrateError(Exception):
    """An expected failure: the CLI prints it as one line and exits 2."""

    category = "error"

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = f"{self.source}:{self.line}: " if self.line else f"{self.source}: "
        return f"{where}{self.message}"


class SiteError(MigrateError):
    """The site folder cannot be read as a Jekyll site at all."""

    category = "site"


class OptionError(MigrateError):
    """An exporter option or command-line value is invalid."""

    category = "option"


class UnsafePathError(MigrateError):
    """A path would land outside the output folder."""

    category = "unsafe-path"
