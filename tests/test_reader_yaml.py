"""YAML loading is safe and bounded, and keeps Psych's results where PyYAML would differ."""

from __future__ import annotations

import datetime as _dt
import time

import pytest

from migrate.reader.yamlsafe import YamlError, json_safe, load_yaml, ruby_str


def test_impossible_timestamp_stays_a_string():
    assert load_yaml("date: 2020-02-30") == {"date": "2020-02-30"}


def test_unquoted_colon_value_is_a_string():
    assert load_yaml("permalink: :title") == {"permalink": ":title"}


def test_repeated_key_keeps_the_last_value():
    assert load_yaml("title: a\ntitle: b\n") == {"title": "b"}


def test_small_aliases_still_work():
    assert load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_alias_bomb_is_refused_quickly():
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    start = time.perf_counter()
    with pytest.raises(YamlError, match="alias"):
        load_yaml("\n".join(levels))
    assert time.perf_counter() - start < 1.0


def test_python_tags_are_refused():
    with pytest.raises(YamlError):
        load_yaml("x: !!python/object/apply:os.system ['true']")


def test_syntax_error_has_a_line():
    with pytest.raises(YamlError) as info:
        load_yaml("title: ok\nlist: [unclosed\nother: x\n")
    assert info.value.line is not None and info.value.line >= 1


def test_json_safe_values():
    value = {"d": _dt.date(2020, 1, 2), 1: {"s": {3, 1}}, "f": float("nan")}
    assert json_safe(value) == {"d": "2020-01-02", "1": {"s": [1, 3]}, "f": "nan"}


@pytest.mark.parametrize(
    "value,expected",
    [(True, "true"), (None, ""), (2020, "2020"), (["a", 1], '["a", 1]'), (_dt.date(2020, 1, 2), "2020-01-02")],
)
def test_ruby_to_s(value, expected):
    assert ruby_str(value) == expected
