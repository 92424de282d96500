"""The reader's books: which files of the site it read, which it passed over and why (``Site.other_files``),
and where each file's problems go in the issue list."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from migrate.ir import AccountedFile, Issue
from migrate.reader.entry_filter import EntryFilter
from migrate.reader.settings import Settings

_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def undecodable(name: str) -> bool:
    """Whether a name from the file system held bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which cannot be written out again as text)."""
    return not name.isascii() and _NOT_UTF8.search(name) is not None


@dataclass
class Ledger:
    """What the walk did with the files it met, kept for :func:`account_rest`."""

    claimed: set[str] = field(default_factory=set)
    """Site-relative paths read as pages, documents or static files."""
    accounted: dict[str, str] = field(default_factory=dict)
    """Site-relative paths the walk met and did not read (or read as data), with the reason."""
    followed_dirs: set[str] = field(default_factory=set)
    """Site-relative paths of the linked folders the walk went into."""


def place_issues(found: list[Issue], placed: Iterable[tuple[int, list[Issue]]]) -> None:
    """Puts each file's problems where the walk found the file: ``placed`` gives, in the walk's order, the
    length ``found`` had then and the problems; ``found`` is changed in place (others hold it too)."""
    merged: list[Issue] = []
    at = 0
    for issue_at, issues in placed:
        merged.extend(found[at:issue_at])
        merged.extend(issues)
        at = issue_at
    merged.extend(found[at:])
    found[:] = merged


def account_rest(settings: Settings, ledger: Ledger, issues: list[Issue]) -> list[AccountedFile]:
    """Every file of the site that is not a page, document or static file, with the reason Jekyll passes
    over it (a layout, data, excluded, hidden, ...); the ones nobody reads for a reason are warned of."""
    books = _Books(settings, ledger)
    result: list[AccountedFile] = []
    for dirpath, dirnames, filenames in os.walk(settings.root, followlinks=True):
        rel_dir = Path(dirpath).relative_to(settings.root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        names = list(filenames)
        for d in list(dirnames):
            if (f"{rel_dir}/{d}" if rel_dir else d) in ledger.followed_dirs:
                continue  # entered by the walk as Jekyll enters it (the links there are free of loops)
            if os.path.islink(os.path.join(dirpath, d)) or undecodable(d):
                names.append(d)  # reported below, not entered
                dirnames.remove(d)
        for name in names:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if not undecodable(name) and rel in ledger.claimed:
                continue
            result.append(books.account(rel, name, issues))
    return result


@dataclass
class _Books:
    settings: Settings
    ledger: Ledger

    def __post_init__(self) -> None:
        settings = self.settings
        self.known = {
            settings.layouts_dir: "layout",
            settings.includes_dir: "include",
            settings.data_dir: "data",
            "_sass": "sass",
            settings.plugins_dir: "plugin",
            settings.destination: "output",
            ".jekyll-cache": "cache",
            ".sass-cache": "cache",
            ".git": "vcs",
        }
        self.config_names = set(settings.config_used) | {"_config.yml", "_config.yaml", "_config.toml"}
        self.entry_filter = EntryFilter(settings.include_patterns, settings.exclude_patterns)

    def account(self, rel: str, name: str, issues: list[Issue]) -> AccountedFile:
        """One file nobody claimed, with the reason; a warning when that is something to act on."""
        if undecodable(name):
            shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
            issues.append(Issue("file-name-not-utf8", "warning",
                                "name is not UTF-8, which no URL, XML or JSON can hold: not read "
                                "(rename it)", shown))
            return AccountedFile(source=shown, reason="bad-name")
        reason = self.ledger.accounted.get(rel) or self._reason(rel)
        if reason == "error":
            issues.append(Issue("unaccounted", "warning", "file not read", rel))
        elif reason == "special-file":
            issues.append(Issue("special-file", "warning",
                                "not a regular file (a pipe, socket or device): not read", rel))
        return AccountedFile(source=rel, reason=reason)

    def _reason(self, rel: str) -> str:
        try:
            mode = os.lstat(self.settings.root / rel).st_mode
        except OSError:
            return "error"
        if stat.S_ISLNK(mode):
            return "symlink"
        if not stat.S_ISREG(mode):
            return "special-file"  # wherever it is: a pipe would block whoever reads it
        if rel in self.config_names:
            return "config"
        for prefix, reason in self.known.items():
            if prefix and (rel == prefix or rel.startswith(prefix + "/")):
                return reason
        return self.entry_filter.skip_reason(rel)
