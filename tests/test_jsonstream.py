"""JSON written piece by piece is the very text json.dumps gives, lazy arrays and encoded parts included."""

from __future__ import annotations

import json
import random
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import jsonstream
from migrate.jsonstream import Encoded, LazyArray, iter_json, iter_json_bytes
from tests.support.budget import examples

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from(["", "\n", "a\nb", "\u2028\u0085", "é😀", '"\\', "\x00\x1f"])
)
_keys = st.text() | st.sampled_from(["", "\n", "é😀"])
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=30,
)


def _disguise(value: Any, rng: random.Random, indent: int, ascii_only: bool) -> Any:
    """The same value with some lists made lazy and some parts encoded in advance."""
    roll = rng.random()
    if roll < 0.15:
        return Encoded(json.dumps(value, indent=indent, ensure_ascii=ascii_only))
    if isinstance(value, list):
        items = [_disguise(v, rng, indent, ascii_only) for v in value]
        return LazyArray(iter(items)) if roll < 0.6 else items
    if isinstance(value, dict):
        return {k: _disguise(v, rng, indent, ascii_only) for k, v in value.items()}
    return value


@settings(max_examples=examples(400), deadline=None)
@given(_values, st.integers(0, 3), st.booleans(), st.integers(0, 2**32))
def test_same_text_as_json_dumps(value, indent, ascii_only, seed):
    expected = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert "".join(iter_json(value, indent=indent, ensure_ascii=ascii_only)) == expected
    disguised = _disguise(value, random.Random(seed), indent, ascii_only)
    assert "".join(iter_json(disguised, indent=indent, ensure_ascii=ascii_only)) == expected


@pytest.mark.parametrize("value", [[], {}, {"a": []}, {"a": {}}, [[], {}], {"a": [1, {"b": []}]}])
def test_empty_containers(value):
    for lazy in (value, {"x": LazyArray(iter(())), "y": value}):
        expected = json.dumps(_plain(lazy), indent=1, ensure_ascii=False)
        assert "".join(iter_json(lazy, indent=1, ensure_ascii=False)) == expected


def test_non_string_keys_beside_a_lazy_array():
    value = {7: "a", 2.5: "b", True: "c", None: "d", "list": [1, 2]}
    lazy = {**value, "list": LazyArray(iter([1, 2]))}
    assert "".join(iter_json(lazy, indent=2)) == json.dumps(value, indent=2)


def test_bytes_come_in_chunks_that_join_to_the_text():
    value = {"rows": LazyArray({"n": i, "text": "é" * 50} for i in range(5000))}
    chunks = list(iter_json_bytes(value, indent=1, ensure_ascii=False))
    assert len(chunks) > 1
    plain = {"rows": [{"n": i, "text": "é" * 50} for i in range(5000)]}
    assert b"".join(chunks) == json.dumps(plain, indent=1, ensure_ascii=False).encode()


def _plain(value: Any) -> Any:
    if isinstance(value, LazyArray):
        return [_plain(v) for v in value.items]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@settings(max_examples=examples(300), deadline=None)
@given(_values, st.integers(0, 3), st.booleans(), st.integers(0, 2**32), st.integers(0, 2))
def test_long_containers_written_member_by_member_are_the_same_text(value, indent, ascii_only, seed, limit):
    """With a tiny limit every container takes the member-by-member path (and its mix with lazy parts)."""
    expected = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    with mock.patch.object(jsonstream, "_WHOLE_LIMIT", limit):
        assert "".join(iter_json(value, indent=indent, ensure_ascii=ascii_only)) == expected
        disguised = _disguise(value, random.Random(seed), indent, ascii_only)
        assert "".join(iter_json(disguised, indent=indent, ensure_ascii=ascii_only)) == expected


def test_a_large_plain_document_comes_in_small_pieces():
    """No lazy parts at all (the manifest): long lists and dicts are still written member by member."""
    value = {
        "files": [f"content/file-{i}.md" for i in range(5000)],
        "documents": [{"source": f"_posts/{i}.md", "status": "exported"} for i in range(5000)],
        "by_name": {f"name-{i}": [i, str(i)] for i in range(5000)},
    }
    pieces = list(iter_json(value, indent=2, ensure_ascii=False))
    assert "".join(pieces) == json.dumps(value, indent=2, ensure_ascii=False)
    assert max(len(p) for p in pieces) < 100


@pytest.mark.parametrize(
    "value", [{"a": {1, 2}}, [object()], {(1, 2): "tuple key"}, {"x": [LazyArray(iter([1])), b"bytes"]}]
)
def test_what_json_refuses_is_refused(value):
    with pytest.raises(TypeError):
        "".join(iter_json(value, indent=2))


@pytest.mark.parametrize("value", [7, 2.5, float("nan"), float("-inf"), True, None, "é", [float("inf")]])
def test_scalars_and_subclasses(value):
    class Text(str):
        pass

    class Number(int):
        pass

    for item in (value, [Text("t"), Number(3), {Text("k"): Number(4)}, value]):
        assert "".join(iter_json(item, indent=1)) == json.dumps(item, indent=1)
