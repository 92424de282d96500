"""Run code in a given local timezone (the reader must see the zone Jekyll ran in)."""

from __future__ import annotations

import contextlib
import os
import time
from typing import Iterator


@contextlib.contextmanager
def local_timezone(name: str | None) -> Iterator[None]:
    """Set ``TZ`` to ``name`` (nothing when None) for the block, and restore it afterwards."""
    old = os.environ.get("TZ")
    if name:
        os.environ["TZ"] = name
        time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()
