"""Warnings and errors collected as data (``Issue``), grouped, suppressed and rendered once."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from migrate.ir import Issue, Severity


@dataclass
class Report:
    """Collects issues from every stage; the CLI renders it once at the end."""

    suppressed: frozenset[str] = frozenset()
    issues: list[Issue] = field(default_factory=list)
    _seen: set[Issue] = field(default_factory=set)

    def add(self, issue: Issue) -> None:
        if issue.code in self.suppressed or issue in self._seen:
            return
        self._seen.add(issue)
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(issue)

    def emit(
        self,
        code: str,
        severity: Severity,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
    ) -> None:
        self.add(Issue(code=code, severity=severity, message=message, source=source, line=line))

    def count(self, severity: Severity) -> int:
        return sum(1 for i in self.issues if i.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    @property
    def has_warnings(self) -> bool:
        return self.count("warning") > 0

    def sorted(self) -> list[Issue]:
        order = {"error": 0, "warning": 1, "info": 2}
        return sorted(
            self.issues, key=lambda i: (order[i.severity], i.code, i.source or "", i.line or 0, i.message)
        )

    def by_code(self) -> Counter[str]:
        return Counter(i.code for i in self.issues)

    def to_dict(self) -> dict:
        return {
            "counts": {s: self.count(s) for s in ("error", "warning", "info")},
            "by_code": dict(sorted(self.by_code().items())),
            "issues": [
                {"code": i.code, "severity": i.severity, "source": i.source, "line": i.line,
                 "message": i.message}
                for i in self.sorted()
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def format_issue(issue: Issue) -> str:
    """One line: ``severity[code] file:line: message``."""
    where = ""
    if issue.source:
        where = f"{issue.source}:{issue.line}: " if issue.line else f"{issue.source}: "
    return f"{issue.severity}[{issue.code}] {where}{issue.message}"
