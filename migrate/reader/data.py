"""``site.data`` from the ``_data`` folder (YAML, JSON, CSV, TSV) and the authors it describes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from migrate.ir import Author, Issue
from migrate.reader.yamlsafe import YamlError, json_safe, load_yaml, ruby_str

DATA_EXTS = ("yml", "yaml", "json", "csv", "tsv")


def read_data(folder: Path, rel: str, entries: list[str], issues: list[Issue]) -> dict[str, Any]:
    """The nested mapping Jekyll exposes as ``site.data``; ``entries`` are paths relative to ``folder``."""
    data: dict[str, Any] = {}
    for entry in entries:
        source = f"{rel}/{entry}"
        stem, _, ext = entry.rpartition(".")
        ext = ext.lower()
        if not stem or ext not in DATA_EXTS:
            continue
        try:
            text = (folder / entry).read_text("utf-8-sig")
            if ext in ("yml", "yaml"):
                value = load_yaml(text)
            elif ext == "json":
                value = json.loads(text)
            else:
                value = list(csv.DictReader(io.StringIO(text), delimiter="\t" if ext == "tsv" else ","))
        except (OSError, UnicodeDecodeError, ValueError, YamlError, csv.Error) as exc:
            line = getattr(exc, "line", None)
            issues.append(
                Issue(
                    "data-error", "warning", f"cannot read data file: {getattr(exc, 'message', exc)}", source,
                    line + 1 if isinstance(line, int) else None,
                )
            )
            continue
        node = data
        parts = stem.split("/")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    return data


def authors_from_data(data: dict[str, Any]) -> tuple[Author, ...]:
    """Authors from ``site.data.authors`` (a mapping of key -> details, or a list of details)."""
    raw = data.get("authors")
    authors: list[Author] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            info = value if isinstance(value, dict) else {"name": value}
            authors.append(_author(ruby_str(key), info))
    elif isinstance(raw, list):
        for value in raw:
            if isinstance(value, dict):
                key = ruby_str(value.get("key") or value.get("username") or value.get("name") or "")
                if key:
                    authors.append(_author(key, value))
    return tuple(authors)


def _author(key: str, info: dict[str, Any]) -> Author:
    mapped = {"name", "email", "url", "bio", "key"}
    return Author(
        key=key,
        name=ruby_str(info.get("name") or key),
        email=ruby_str(info["email"]) if info.get("email") else None,
        url=ruby_str(info.get("url") or info.get("web") or "") or None,
        bio=ruby_str(info["bio"]) if info.get("bio") else None,
        extra=json_safe({k: v for k, v in info.items() if k not in mapped}),
    )
