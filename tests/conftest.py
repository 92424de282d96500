"""Shared fixtures: where the samples and the corpora are, and whether we run in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO / "samples"
IN_CI = os.environ.get("CI") == "true"


def sample_sites() -> list[Path]:
    """Every sample site (a folder of samples/ with a _config.yml)."""
    return sorted(p.parent for p in SAMPLES_DIR.glob("*/_config.yml"))


def corpus_sites() -> list[Path]:
    """Every site under $JEKYLL_MIGRATE_CORPORA; CI must set it, a developer may not."""
    root = os.environ.get("JEKYLL_MIGRATE_CORPORA")
    if not root:
        if IN_CI:
            raise RuntimeError("JEKYLL_MIGRATE_CORPORA must be set in CI")
        return []
    return sorted(p.parent for p in Path(root).glob("*/_config.yml"))


def all_sites() -> list[Path]:
    return sample_sites() + corpus_sites()


def site_id(path: Path) -> str:
    return path.name


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO
