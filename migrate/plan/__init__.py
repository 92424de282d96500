"""What an export would write: files with their contents, the manifest, and the one writer that turns a
plan into files safely (temporary folder, atomic swap, nothing outside the output folder).

The plan itself is in :mod:`migrate.plan.plan`, the spool holding large contents in :mod:`migrate.plan.spool`,
the writer in :mod:`migrate.plan.writer` and the dry-run diff in :mod:`migrate.plan.diff`; their public names
are all here."""

from __future__ import annotations

from migrate.plan.diff import PlanDiff, diff_plan
from migrate.plan.plan import (
    INLINE_MAX,
    MANIFEST_NAME,
    TOOL_MARKER,
    DocumentOutcome,
    GeneratedOutcome,
    Itemizer,
    Plan,
    PlannedFile,
    Status,
    safe_relative_path,
)
from migrate.plan.spool import Span, Spool, SpoolWriter
from migrate.plan.writer import check_file_place, check_output_place, is_tool_output, write_plan

__all__ = [
    "INLINE_MAX",
    "MANIFEST_NAME",
    "TOOL_MARKER",
    "DocumentOutcome",
    "GeneratedOutcome",
    "Itemizer",
    "Plan",
    "PlanDiff",
    "PlannedFile",
    "Span",
    "Spool",
    "SpoolWriter",
    "Status",
    "check_file_place",
    "check_output_place",
    "diff_plan",
    "is_tool_output",
    "safe_relative_path",
    "write_plan",
]
