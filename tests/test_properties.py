"""Property-based tests: for any front matter and body, reading and exporting never crash, every
document is accounted for, and each exporter's output parses."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import tomllib
import xml.dom.minidom
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.content import Targets
from migrate.content.pipeline import ContentPipeline
from migrate.export import build_plan
from migrate.exporter import Registry
from migrate.reader import read_site
from migrate.report import Report
from tests.support.budget import examples

SETTINGS = settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])

LIQUID_BITS = ["{{ site.title }}", "{{ page.title | upcase }}", "{% if x %}a{% endif %}", "{% raw %}{{ r }}{% endraw %}",
               "{% for i in (1..3) %}{{ i }}{% endfor %}", "{% include nope.html %}", "{% post_url 2020-01-01-a %}",
               "{% link missing.md %}", "{{", "{%", "%}", "}}", "{% highlight %}x{% endhighlight %}", "{% unknown %}",
               "{{ x | nofilter }}", "]]>", "</script>", "\x00", "\r\n", "<div>\n\n*x*\n</div>", "{: .c #i}", "[^1]",
               "| a |\n|---|\n| b |", "```\ncode\n```", "![i](/img/x.png)", "[l](../a/b)"]

scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                   st.text(max_size=40), st.dates().map(str))
front_value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=10)
front_keys = st.sampled_from(["title", "date", "categories", "category", "tags", "permalink", "slug", "published",
                              "author", "authors", "excerpt", "layout", "redirect_from", "redirect_to", "image",
                              "description", "lang", "last_modified_at", "render_with_liquid", "weird key"])
front_matter = st.dictionaries(st.one_of(front_keys, st.text(max_size=10)), front_value, max_size=8)
body = st.lists(st.one_of(st.sampled_from(LIQUID_BITS), st.text(max_size=30)), max_size=12).map("".join)


def _write_site(root: Path, posts: list[tuple[dict, str]]) -> None:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Prop\nurl: https://example.org\n", "utf-8")
    for i, (fm, text) in enumerate(posts):
        try:
            header = yaml.safe_dump(fm, allow_unicode=True)
        except yaml.YAMLError:
            header = "title: unrepresentable\n"
        (root / "_posts" / f"2020-01-{i + 1:02d}-p{i}.md").write_text(f"---\n{header}---\n{text}", "utf-8",
                                                                     errors="surrogatepass")


def _parse_output(target: str, plan) -> None:
    for path, planned in plan.files.items():
        data = planned.read()
        if path.endswith(".xml") and target == "wordpress":
            xml.dom.minidom.parseString(data)
        elif path.endswith(".json"):
            json.loads(data)
        elif path.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                assert zf.testzip() is None
        elif path.endswith(".toml"):
            tomllib.loads(data.decode("utf-8"))
        elif path.endswith(".md") and path.startswith("content/"):
            text = data.decode("utf-8")
            if text.startswith("---\n"):
                yaml.safe_load(text[4:text.index("\n---\n", 4)])
            elif text.startswith("+++\n"):
                tomllib.loads(text[4:text.index("\n+++\n", 4)])


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
@SETTINGS
@given(posts=st.lists(st.tuples(front_matter, body), min_size=1, max_size=4))
def test_any_front_matter_and_body_exports(target, posts):
    root = Path(tempfile.mkdtemp(prefix="jm-prop-"))
    try:
        _write_site(root / "site", posts)
        site = read_site(str(root / "site"))
        report = Report()
        exporter = Registry.load().get(target)
        options, problems = exporter.validate_options({})
        assert problems == []
        plan = build_plan(site, exporter, options, report)
        counts = plan.counts()
        assert counts["read"] == counts["exported"] + counts["skipped"] + counts["failed"]
        accounted = {d.source for d in plan.documents}
        assert {d.source for d in site.documents} <= accounted
        assert {f"_posts/2020-01-{i + 1:02d}-p{i}.md" for i in range(len(posts))} <= accounted | {
            o.source for o in site.other_files}
        _parse_output(target, plan)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@SETTINGS
@given(text=body, fm=front_matter)
def test_liquid_and_markdown_never_raise(text, fm):
    root = Path(tempfile.mkdtemp(prefix="jm-prop-"))
    try:
        _write_site(root / "site", [(fm, text)])
        site = read_site(str(root / "site"))
        pipeline = ContentPipeline(site, Targets(document_urls={d.source: d.url for d in site.documents}))
        for document in site.documents:
            for fmt in ("html", "markdown"):
                converted = pipeline.convert(document, fmt)
                assert isinstance(converted.body, str)
    finally:
        shutil.rmtree(root, ignore_errors=True)
