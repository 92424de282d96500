"""Safe, bounded YAML loading with Psych-like results (bad timestamps stay strings, alias bombs refused)."""

from __future__ import annotations

import datetime as _dt
import math
import re
import sys
from typing import Any

import yaml

try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing
    _FastBase: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _FastBase = yaml.SafeLoader

MAX_EXPANDED_NODES = 100_000
"""Upper bound on the number of nodes a document may expand to once aliases are followed."""

_ALIAS_HINT = re.compile(r"[&*][^\s,\]}]")


class YamlError(Exception):
    """YAML that cannot be loaded; carries the 0-based line of the problem when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _timestamp(loader: yaml.constructor.SafeConstructor, node: yaml.Node) -> Any:
    # Psych keeps an impossible date (2020-02-30) as a string; PyYAML would raise.
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # type: ignore[arg-type]


def _string(loader: yaml.constructor.SafeConstructor, node: yaml.Node) -> str:
    # Every file of a site repeats the same keys and short values (tags, categories, authors, layouts):
    # one shared copy of each keeps the IR of a large site small.
    value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return sys.intern(value) if len(value) <= _SHARED_MAX else value


_SHARED_MAX = 40


class _FastLoader(_FastBase):  # type: ignore[misc,valid-type]
    pass


class _CountingLoader(yaml.SafeLoader):
    """Pure-Python loader used when a document has anchors: measures the expanded size first."""


for _loader in (_FastLoader, _CountingLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)  # type: ignore[type-var]
    _loader.add_constructor("tag:yaml.org,2002:str", _string)  # type: ignore[type-var]


def _expanded_size(node: yaml.Node, memo: dict[int, int], depth: int = 0) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    if depth > 200:
        raise YamlError("YAML nesting is too deep")
    memo[key] = MAX_EXPANDED_NODES + 1  # a node reached again while being sized: recursive
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, depth + 1)
            if size > MAX_EXPANDED_NODES:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, depth + 1) + _expanded_size(v, memo, depth + 1)
            if size > MAX_EXPANDED_NODES:
                break
    memo[key] = size
    return size


def load_yaml(text: str) -> Any:
    """Load one YAML document safely; raises :class:`YamlError` for bad or oversized YAML."""
    try:
        if _ALIAS_HINT.search(text) is None:
            return yaml.load(text, Loader=_FastLoader)
        loader = _CountingLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
                raise YamlError(
                    f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes; refused (alias bomb?)"
                )
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line if mark is not None else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or str(exc)
        raise YamlError(message, line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise YamlError(str(exc)) from None


def json_safe(value: Any, _depth: int = 0) -> Any:
    """YAML values as JSON-safe values: dates as ISO strings, sets as sorted lists, keys as strings."""
    if _depth > 100:
        return None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {ruby_str(k): json_safe(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, _depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(v, _depth + 1) for v in value), key=repr)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def ruby_str(value: Any) -> str:
    """``to_s`` as Ruby writes it for the YAML scalar types (``true``, ``nil`` -> "", ...)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() == _dt.timedelta(0):
            return value.strftime("%Y-%m-%d %H:%M:%S") + " UTC"
        return value.strftime("%Y-%m-%d %H:%M:%S %z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_ruby_inspect(v) for v in value) + "]"
    return str(value)


def _ruby_inspect(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "nil"
    return ruby_str(value)
