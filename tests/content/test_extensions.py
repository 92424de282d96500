"""Python extensions (``--extension FILE.py``, the ``jekyll_migrate.extensions`` entry points) and the
built-in embed tags: what they render, and how a broken extension is reported without breaking the page."""

from __future__ import annotations

import dataclasses
import importlib.metadata
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporters.ghost.cards import ghost_embed, ghost_html
from exporters.hugo.embeds import hugo_embed
from exporters.wordpress.embeds import wordpress_embed
from migrate import cli
from migrate.content import Targets, extensions
from migrate.content.pipeline import ContentPipeline, identity_targets
from tests.conftest import SAMPLES_DIR
from tests.content.cases import fixture_site
from tests.content.test_pipeline import codes, page

EXTENSION_BLOG = SAMPLES_DIR / "extension-blog"


@pytest.fixture(autouse=True)
def _no_extensions() -> Iterator[None]:
    extensions.deactivate()
    yield
    extensions.deactivate()
    extensions._ACTIVE.packaged = None  # the entry points a test faked


def render(body: str, fmt: str = "html", *, embed: object = None, source: str = "page.md",
           front_matter: dict[str, object] | None = None) -> object:
    doc = page(body, source=source, front_matter=front_matter or {})
    site = fixture_site([doc])
    targets = identity_targets(site)
    if embed is not None:
        targets = Targets(document_urls=targets.document_urls, embed=embed)  # type: ignore[arg-type]
    return ContentPipeline(site, targets).convert(doc, fmt)  # type: ignore[arg-type]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- extensions -----------------------------------------------------------------------------------------------

SHOUT = '''
def shout(value, times=1):
    return (str(value).upper() + "!") * int(times)

def badge(tag):
    return f"<b data-args='{','.join(tag.args)}' data-kind='{tag.options.get('kind', '')}'>" \\
        f"{tag.context.get('page.title')}, {tag.site.title}, {tag.markup}</b>"

def boxed(tag):
    return "[" + tag.body.strip() + "]"

def setup(registry):
    registry.filter("shout", shout)
    registry.tag("badge", badge)
    registry.tag("boxed", boxed, block=True)
'''


def test_an_extension_file_adds_a_filter_and_tags_with_arguments_context_and_site(tmp_path: Path) -> None:
    assert extensions.activate([write(tmp_path, "shout.py", SHOUT)]) == ()
    out = render('{{ "hi" | shout: 2 }} {% badge one "two words" kind=note %} {% boxed %}{{ 1 | plus: 1 }}'
                 '{% endboxed %}', front_matter={"title": "Ported"})
    assert out.body == ("<p>HI!HI! <b data-args='one,two words' data-kind='note'>Ported, Fixture Site, "  # type: ignore
                        'one “two words” kind=note</b> [2]</p>\n')  # (kramdown's typographic quotes)
    assert codes(out) == []


def test_without_the_extension_its_tag_and_filter_are_unknown() -> None:
    out = render('{{ "hi" | shout }} {% badge one %}')
    assert sorted(codes(out)) == ["liquid-unknown-filter", "liquid-unknown-tag"]


def test_an_extension_that_fails_to_load_is_an_issue_naming_its_file_and_line(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.py", "def setup(registry):\n    pass\n\nraise RuntimeError('no token')\n")
    issues = extensions.activate([broken])
    assert [(i.code, i.severity, i.source, i.line) for i in issues] == [("extension-error", "error", str(broken), 4)]
    assert "RuntimeError: no token" in issues[0].message
    syntax = write(tmp_path, "syntax.py", "def setup(registry)\n    pass\n")
    issues = extensions.activate([syntax, tmp_path / "missing.py"])
    assert [(i.source, i.line) for i in issues] == [(str(syntax), 1), (str(tmp_path / "missing.py"), None)]
    assert "SyntaxError" in issues[0].message and "cannot read it" in issues[1].message


def test_an_extension_without_setup_is_an_issue(tmp_path: Path) -> None:
    issues = extensions.activate([write(tmp_path, "nosetup.py", "X = 1\n")])
    assert len(issues) == 1 and "no setup(registry) function" in issues[0].message


RAISES = '''
def fail_tag(tag):
    return 1 / 0

def fail_filter(value):
    raise ValueError("bad " + str(value))

def setup(registry):
    registry.tag("fail", fail_tag)
    registry.filter("fail", fail_filter)
'''


def test_a_raising_tag_writes_nothing_a_raising_filter_keeps_its_input_and_both_name_file_and_lines(
    tmp_path: Path,
) -> None:
    ext = write(tmp_path, "raises.py", RAISES)
    assert extensions.activate([ext]) == ()
    out = render("Before\n\n{% fail %}\n\n{{ 'x' | fail }} after\n")
    assert out.body.split() == ["<p>Before</p>", "<p>x", "after</p>"]  # type: ignore[attr-defined]
    found = [(i.code, i.severity, i.source, i.line) for i in out.issues]  # type: ignore[attr-defined]
    assert found == [("extension-error", "warning", "page.md", 7), ("extension-error", "warning", "page.md", 9)]
    tag_issue, filter_issue = out.issues  # type: ignore[attr-defined]
    assert str(ext) in tag_issue.message and "ZeroDivisionError" in tag_issue.message
    assert "line 3 of the extension" in tag_issue.message
    assert "ValueError: bad x" in filter_issue.message and "line 6 of the extension" in filter_issue.message


def test_an_extension_overrides_a_built_in_tag(tmp_path: Path) -> None:
    ext = write(tmp_path, "mine.py", "def setup(r):\n    r.tag('youtube', lambda tag: 'mine:' + tag.args[0])\n")
    assert extensions.activate([ext]) == ()
    assert render("{% youtube abcdefgh %}").body == "<p>mine:abcdefgh</p>\n"  # type: ignore[attr-defined]


class _FakeDist:
    version = "1.2"


def test_packaged_extensions_load_from_the_entry_point_group(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    write(tmp_path, "jm_packaged_ext.py", "def setup(r):\n    r.filter('packaged', lambda v: 'P' + str(v))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    good = importlib.metadata.EntryPoint("packaged", "jm_packaged_ext", extensions.ENTRY_POINT_GROUP)
    bad = importlib.metadata.EntryPoint("broken", "jm_no_such_module", extensions.ENTRY_POINT_GROUP)
    monkeypatch.setattr(extensions, "entry_points", lambda group: [good, bad] if group == extensions.ENTRY_POINT_GROUP
                        else [])
    monkeypatch.setattr(extensions._ACTIVE, "packaged", None)
    issues = extensions.activate([])
    assert [i.code for i in issues] == ["extension-error"] and "jm_no_such_module" in issues[0].message
    assert render("{{ 'x' | packaged }}").body == "<p>Px</p>\n"  # type: ignore[attr-defined]


def test_the_sample_ports_render_their_tag_and_filter() -> None:
    ports = sorted((EXTENSION_BLOG / "extensions").glob("*.py"))
    assert extensions.activate(ports) == ()
    out = render('{{ "ada" | team_link: "role" }}\n\n{% figure /assets/img/pixel.png A "quoted" cap %}\n')
    # (the fixture site has no team data: an unknown handle is written as it is, as the Ruby filter does;
    # its baseurl is /blog)
    assert out.body == ('<p>ada</p>\n<figure class="post-figure"><img src="/blog/assets/img/pixel.png" '  # type: ignore
                        'alt="A &quot;quoted&quot; cap"><figcaption>A &quot;quoted&quot; cap</figcaption></figure>\n')


def test_cli_convert_loads_extensions_and_reports_a_broken_one(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    broken = write(tmp_path, "broken.py", "import no_such_module_here\n")
    ports = [str(p) for p in sorted((EXTENSION_BLOG / "extensions").glob("*.py"))]
    argv = ["convert", str(EXTENSION_BLOG), "_posts/2024-03-01-meet-the-team.md"]
    for port in ports + [str(broken)]:
        argv += ["--extension", port]
    assert cli.main(argv) == cli.EXIT_PROBLEMS  # the broken extension is an error; the rest converts
    out, err = capsys.readouterr()
    assert '<a class="team-link" href="/blog/team/ada/">Ada Lovelace (analyst)</a>' in out
    assert '<figure class="post-figure">' in out
    assert f"error[extension-error] {broken}" in err and "ModuleNotFoundError" in err
    assert "Traceback" not in out + err


def test_help_says_an_extension_is_code_that_runs() -> None:
    parser = cli.build_parser()
    for command in ("export", "convert"):
        sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
        text = " ".join(sub.format_help().split())
        assert "--extension FILE.py" in text and "Python code that runs with your rights" in text


# -- the well-known embed tags, as the plugins write them -------------------------------------------------------

JEKYLL_YOUTUBE = (
    "<style>.embed-container { position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden; "
    "max-width: 100%; } .embed-container iframe, .embed-container object, .embed-container embed { position: "
    "absolute; top: 0; left: 0; width: 100%; height: 100%; }</style><div class='embed-container'>    <iframe "
    'title="YouTube video player" width="640" height="390" src="http://www.youtube.com/embed/ho8-vK0L1_8" '
    'frameborder="0" allowfullscreen></iframe></div>'
)
"""jekyll-youtube's default output for ``{% youtube "https://www.youtube.com/watch?v=ho8-vK0L1_8" %}`` (its README and
lib/jekyll-youtube.rb: four spaces before the iframe)."""


@pytest.mark.parametrize("markup", [
    '"https://www.youtube.com/watch?v=ho8-vK0L1_8"', "https://youtu.be/ho8-vK0L1_8", "ho8-vK0L1_8",
    "https://www.youtube.com/embed/ho8-vK0L1_8", "page.talk",
])
def test_youtube_tag_writes_jekyll_youtubes_snippet(markup: str) -> None:
    doc = page("{% youtube " + markup + " %}\n", front_matter={"talk": "https://youtu.be/ho8-vK0L1_8"})
    site = fixture_site([doc])
    out = ContentPipeline(site, identity_targets(site)).convert(doc, "html")
    assert out.body == JEKYLL_YOUTUBE + "\n"
    assert codes(out) == []


def test_youtube_tag_renders_the_sites_own_youtube_include(tmp_path: Path) -> None:
    (tmp_path / "_includes").mkdir()
    (tmp_path / "_includes" / "youtube.html").write_text('<object data="/v/{{ youtube_id }}"></object>', "utf-8")
    doc = page('{% youtube "https://youtu.be/ho8-vK0L1_8" %}\n')
    site = dataclasses.replace(fixture_site([doc]), source_dir=str(tmp_path))
    out = ContentPipeline(site, identity_targets(site)).convert(doc, "html")
    assert '<object data="/v/ho8-vK0L1_8"></object>' in out.body and "embed-container" not in out.body
    hugo = ContentPipeline(site, Targets(document_urls={}, embed=hugo_embed)).convert(doc, "markdown")
    assert hugo.body == '{{< youtube "ho8-vK0L1_8" >}}\n'  # the target's own form all the same


def test_embed_tags_are_no_unknown_tags() -> None:
    body = ("{% youtube ho8-vK0L1_8 %}\n{% vimeo 76979871 %}\n{% twitter https://twitter.com/a/status/1 %}\n"
            "{% tweet https://x.com/a/status/1 %}\n{% oembed https://example.org/a %}\n{% video /v.mp4 %}\n"
            '{% figure src="/a.png" %}\n{% figure %}![a](/a.png){% endfigure %}\n'
            '{% include figure.html image_path="/a.png" %}\n')
    out = render(body)
    assert not [c for c in codes(out) if c.startswith("liquid-")], out.issues  # type: ignore[attr-defined]


def test_tweet_and_oembed_keep_the_url_and_say_they_did_not_fetch() -> None:
    out = render("{% twitter https://twitter.com/jekyllrb/status/1098621398325534720 %}\n")
    assert out.body.startswith("<div class='jekyll-twitter-plugin'><blockquote class=\"twitter-tweet\"><a "  # type: ignore
                               'href="https://twitter.com/jekyllrb/status/1098621398325534720">')
    assert '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>' in out.body  # type: ignore
    assert codes(out) == ["embed-offline"]


def test_jekyll_figure_block_converts_its_markdown_and_caption() -> None:
    out = render('{% figure caption:"A *tiny* pixel" class:"wide" %}\n![One](/a.png)\n{% endfigure %}\n')
    assert out.body == ('<figure class="wide"><p><img src="/a.png" alt="One" /></p>'  # type: ignore[attr-defined]
                        "<figcaption>A <em>tiny</em> pixel</figcaption></figure>\n")


def test_the_figure_include_a_theme_gem_brings_renders_the_figure() -> None:
    out = render('{% include figure.html image_path="/a.png" alt="A" caption="Seen **close**" %}\n')
    assert out.body == ('<figure><img src="/a.png" alt="A"><figcaption>Seen <strong>close</strong>'  # type: ignore
                        "</figcaption></figure>\n")
    assert "include-figure" in codes(out)


def test_a_broken_embed_argument_is_a_warning_and_nothing() -> None:
    out = render("a {% youtube https://example.org/not-a-video %} b")
    assert out.body == "<p>a  b</p>\n"  # type: ignore[attr-defined]
    assert codes(out) == ["embed-error"]


# -- each target's own form -----------------------------------------------------------------------------------

BODY = ("Intro.\n\n{% youtube https://youtu.be/ho8-vK0L1_8 %}\n\n{% vimeo 76979871 %}\n\n"
        "{% twitter https://twitter.com/jekyllrb/status/1098621398325534720 %}\n\n"
        "{% oembed https://example.org/article %}\n\n{% figure src=\"/a.png\" alt=\"A\" caption=\"Cap\" %}\n\n"
        "Inline {% youtube ho8-vK0L1_8 %} video.\n")


def test_hugo_writes_its_shortcodes() -> None:
    out = render(BODY, "markdown", embed=hugo_embed)
    assert out.body == (  # type: ignore[attr-defined]
        'Intro.\n\n{{< youtube "ho8-vK0L1_8" >}}\n\n{{< vimeo "76979871" >}}\n\n'
        '{{< x user="jekyllrb" id="1098621398325534720" >}}\n\n'
        '<a href="https://example.org/article">https://example.org/article</a>\n\n'
        '{{< figure src="/a.png" alt="A" caption="Cap" >}}\n\nInline {{< youtube "ho8-vK0L1_8" >}} video.\n'
    )


def test_wordpress_writes_the_oembed_url_alone_in_its_paragraph() -> None:
    out = render(BODY, embed=wordpress_embed)
    lines = out.body.split("\n")  # type: ignore[attr-defined]
    assert lines[1:5] == ["<p>https://www.youtube.com/watch?v=ho8-vK0L1_8</p>", "<p>https://vimeo.com/76979871</p>",
                          "<p>https://twitter.com/jekyllrb/status/1098621398325534720</p>",
                          "<p>https://example.org/article</p>"]
    assert '<figure><img src="/a.png"' in lines[5]  # a figure stays HTML
    assert lines[6].startswith("<p>Inline <style>")  # within running text: the plugin's HTML


def test_ghost_writes_embed_and_bookmark_cards_that_stay_out_of_html_cards() -> None:
    out = render(BODY, embed=ghost_embed)
    body = ghost_html(out.body)  # type: ignore[attr-defined]
    assert body.count('<figure class="kg-card kg-embed-card">') == 3
    assert '<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://example.org/' \
           'article">' in body
    assert 'src="https://www.youtube.com/embed/ho8-vK0L1_8?feature=oembed"' in body
    cards = body.split("<!--kg-card-begin: html-->")[1:]
    assert all("kg-embed-card" not in c.split("<!--kg-card-end: html-->")[0] for c in cards)


def test_without_a_target_form_every_embed_is_the_plugins_html() -> None:
    plain = render(BODY)
    assert "jmembed" not in plain.body and JEKYLL_YOUTUBE.replace("ho8-vK0L1_8", "ho8-vK0L1_8") in plain.body  # type: ignore


def test_cli_export_uses_extensions_and_a_changed_extension_is_no_longer_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ports = tmp_path / "ports"
    ports.mkdir()
    for port in (EXTENSION_BLOG / "extensions").glob("*.py"):
        (ports / port.name).write_text(port.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    argv = ["export", str(EXTENSION_BLOG), "--to", "hugo", "-o", str(out), "--cache", str(tmp_path / "cache"),
            "--jobs", "1", "--extension", str(ports / "team_link.py"), "--extension", str(ports / "figure.py")]
    assert cli.main(argv) == cli.EXIT_OK
    post = (out / "content" / "posts" / "meet-the-team" / "index.md").read_text("utf-8")
    assert 'Moncef Belyamani</a>' in post
    assert '{{< figure src="/blog/assets/img/pixel.png" alt="The team at work"' in post  # the port's Embed
    capsys.readouterr()
    assert cli.main(argv) == cli.EXIT_OK
    assert "is up to date" in capsys.readouterr().err
    port = ports / "team_link.py"
    port.write_text(port.read_text("utf-8").replace('class="team-link"', 'class="member"'), "utf-8")
    assert cli.main(argv) == cli.EXIT_OK
    assert "is up to date" not in capsys.readouterr().err
    assert 'class="member"' in (out / "content" / "posts" / "meet-the-team" / "index.md").read_text("utf-8")
