"""Redirect files written piece by piece are byte for byte the files rendered whole."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.redirects import RedirectMap, render_redirects, stream_redirects
from migrate.redirects.core import Redirect
from migrate.redirects.formats import (
    _YAML_DUMPER,
    _ghost_yaml,
    _redirection_item,
    _redirection_items,
    ghost_pattern,
)
from tests.support.budget import examples

_TEXT = st.text(alphabet=st.sampled_from(list("ab/.-_%?#:'\" é日\u2028\x85") + ["\t"]), max_size=12)
_RULES = st.lists(
    st.builds(Redirect, source=_TEXT.map(lambda s: "/" + s), target=_TEXT.map(lambda s: "/t" + s),
              status=st.sampled_from([301, 302, 307, 308])),
    max_size=12,
)


def _ghost_yaml_whole(rules: list[Redirect]) -> bytes:
    """The one-call rendering the chunked one must equal."""
    by_status: dict[int, dict[str, str]] = {}
    for rule in rules:
        by_status.setdefault(301 if rule.status in (301, 308) else 302, {})[ghost_pattern(rule.source)] = rule.target
    maps = {k: by_status[k] for k in sorted(by_status)}
    plain = all(k and k.isprintable() and v.isprintable() for m in maps.values() for k, v in m.items())
    dumper = _YAML_DUMPER if plain else yaml.SafeDumper
    return yaml.dump(maps, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000).encode()


@settings(max_examples=examples(300), deadline=None)
@given(_RULES, st.integers(1, 4))
def test_ghost_yaml_in_chunks_is_the_whole_dump(rules, chunk):
    assert b"".join(_ghost_yaml(rules, chunk)) == _ghost_yaml_whole(rules)


def test_ghost_yaml_long_keys_and_many_rules():
    rules = [Redirect("/" + "x" * n + f"/{n}", f"/new/{n}é", 301 if n % 3 else 302) for n in range(0, 400, 7)]
    assert b"".join(_ghost_yaml(rules, 5)) == _ghost_yaml_whole(rules)


@settings(max_examples=examples(100), deadline=None)
@given(_RULES)
def test_streamed_files_equal_rendered_files(rules):
    redirect_map = RedirectMap(rules=tuple(sorted(rules, key=lambda r: r.source)))
    for fmt in ("ghost", "wordpress-redirection", "netlify", "json"):
        whole = render_redirects(redirect_map, fmt)
        streamed = {name: b"".join(pieces) for name, pieces in stream_redirects(redirect_map, fmt).items()}
        assert streamed == whole


def test_wordpress_redirection_json_is_json_dumps_indent_2():
    rules = tuple(Redirect(f"/old/{n}/", f"/new/{n}/", 301) for n in range(3000))
    data = render_redirects(RedirectMap(rules=rules), "wordpress-redirection")["redirection.json"]
    assert data == (json.dumps(json.loads(data), indent=2, ensure_ascii=False) + "\n").encode()
    assert json.loads(data)["groups"][0]["redirects"] == 3000


@settings(max_examples=examples(200), deadline=None)
@given(_RULES)
def test_redirection_items_from_the_template_are_json_dumps_of_each_item(rules):
    expected = [json.dumps(_redirection_item(i, r), indent=2, ensure_ascii=False) for i, r in enumerate(rules, 1)]
    assert [item.text for item in _redirection_items(rules)] == expected
