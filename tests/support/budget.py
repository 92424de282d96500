"""How many examples a property test draws: its full budget by default (CI, `scripts/test.sh`), a tenth in the
quick inner loop (`scripts/unit.sh`, which sets JEKYLL_MIGRATE_HYPOTHESIS=quick)."""

from __future__ import annotations

import os

QUICK = os.environ.get("JEKYLL_MIGRATE_HYPOTHESIS") == "quick"


def examples(full: int) -> int:
    """The number of examples for a test whose full budget is `full`."""
    return max(10, full // 10) if QUICK else full
