"""The direct front-matter writer writes exactly what ``yaml.dump`` writes, or leaves the job to it."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporters.hugo import HugoExporter
from exporters.hugo.front_matter import YAML_DUMPER, front_matter
from exporters.hugo.front_matter_yaml import block_yaml
from migrate.content import Converted
from migrate.plan import Plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import all_sites, site_id
from tests.support.budget import examples

ROOT = Path(__file__).resolve().parents[1]


def dumped(mapping: dict) -> str:
    """What the Hugo exporter wrote before the direct writer existed."""
    return yaml.dump(mapping, Dumper=YAML_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=1000)


# Pieces that YAML reads as something other than a string, or that force a quoting style.
TRICKY = ["yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "", " ", "-", "- x", "-x", "?", "? x",
          "?x", ":", ": x", ":x", "a: b", "a:b", "a :", "#", " #c", "a#b", "---", "...", "--- x", "...x", "0x1F",
          "0o17", "017", "1_000", "1:20", "190:20:30", ".inf", "-.Inf", ".NaN", "1e3", "1.5", "+1", "-2",
          "2020-01-01", "2020-01-01 10:00:00 +01:00", "2001-12-14t21:59:43.10-05:00", "<<", "=", "!", "&a", "*a",
          "|", ">", "'", '"', "%", "@", "`", "[a, b]", "{a: 1}", "a, b", "é", "日本語", "\u00a0", "\t", "\n", "a\nb",
          "\u2028", "\x85", "\ufeff", "\x7f", "\ufffe", "😀", "a 😀 b", "\U00010000", "a ", " a", "it's", "x" * 450, "word " * 250 + "end"]
text = st.one_of(st.sampled_from(TRICKY), st.text(st.sampled_from(list("ab :#-'\"?,[]{}!&*|>%@`.~01é\u00a0\t\n")),
                                                  max_size=12), st.text(max_size=20))
keys = st.one_of(st.sampled_from(["title", "date", "slug", "tags", "yes", "on", "null", "1", "a b", "a:b", "-k",
                                  "_x", "k" * 70, ""]), st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True))
scalars = st.one_of(text, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
                    st.dates(), st.datetimes())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=4)), max_leaves=12)
front_matters = st.dictionaries(keys, values, max_size=8)


@pytest.mark.parametrize("piece", TRICKY)
def test_each_tricky_piece_as_key_value_and_list_item(piece):
    for mapping in ({"k": piece}, {"k": [piece, "x"]}, {piece or "e": 1}, {"k": {"n": piece}}, {"k": f"a{piece}"},
                    {"k": f"{piece}a"}, {"k": f"a {piece} b"}):
        written = block_yaml(mapping)
        assert written is None or written == dumped(mapping), mapping


@pytest.mark.parametrize("value", [None, True, False, 0, -5, 10**30, 1.5, [], {}, [None, 1, True], {"a": []}])
def test_each_other_scalar_and_empty_container(value):
    for mapping in ({"k": value}, {"k": {"n": value}}):
        written = block_yaml(mapping)
        assert written is None or written == dumped(mapping), mapping
    assert block_yaml({"k": value}) is not None or value == 1.5


@settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters)
def test_written_text_equals_yaml_dump_or_is_left_to_it(mapping):
    written = block_yaml(mapping)
    if written is not None:
        assert written == dumped(mapping)
        assert yaml.safe_load(written) == mapping


one_line = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co", "Cf", "Zl", "Zp", "Zs"),
                                  max_codepoint=0xFFFF) | st.just(" "), max_size=40)


@settings(max_examples=examples(500), deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(lambda k: yaml.safe_load(k) == k),
                       st.one_of(one_line, st.integers(), st.booleans(), st.lists(one_line, max_size=3)),
                       min_size=1, max_size=6))
def test_everyday_front_matter_takes_the_direct_path(mapping):
    """The writer is not a stub that always defers: plain keys with one-line values are written directly."""
    written = block_yaml(mapping)
    assert written is not None
    assert written == dumped(mapping)


def test_shared_containers_are_left_to_yaml_dump():
    for shared in (["a", "b"], {"a": "b"}):
        assert block_yaml({"x": shared, "y": {"z": shared}}) is None
        assert "&id001" in dumped({"x": shared, "y": {"z": shared}})


def _front_matters(site_dir: Path) -> list[dict]:
    """Every front matter the Hugo exporter renders for a site, as ``render`` hands it to YAML."""
    site = read_site(site_dir)
    exporter = HugoExporter(site, {}, Report(), Plan(target="hugo"))
    exporter.prepare()
    out = []
    for document in exporter.documents():
        placement = exporter.placements[document.source]
        if placement.mode in ("redirect", "snapshot"):
            continue
        front = front_matter(placement, Converted(body="", excerpt="An excerpt."))
        out.append({k: v.isoformat() if isinstance(v, _dt.datetime) else v for k, v in front.items()})
    return out


@pytest.mark.parametrize("site_dir", all_sites(), ids=site_id)
def test_every_front_matter_of_the_samples_and_corpora(site_dir):
    front_matters = _front_matters(site_dir)
    direct = 0
    for mapping in front_matters:
        written = block_yaml(mapping)
        if written is not None:
            direct += 1
            assert written == dumped(mapping)
    assert front_matters and direct > 0
