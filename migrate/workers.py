"""What the reader's and the converter's worker processes share: how many there are, and how they start."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any


def default_jobs() -> int:
    """One process per core this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def fork_context() -> Any:
    """Workers are forked, so they inherit the parent's state (the site, the prepared exporter) without
    pickling it; None on a platform without fork, where the work stays in-process."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None
