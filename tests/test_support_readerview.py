"""The reader's view the Hugo acceptance test compares: what counts and what a renderer may choose."""

from __future__ import annotations

from tests.support.readerview import reader_view, same_view


def test_markup_a_renderer_chooses_is_left_out():
    kramdown = '<p><img src="/assets/a%20b.png" alt="x" class="c"></p>\n<p>foo<em>bar</em> &amp; &#8220;q&#8221;</p>'
    goldmark = '<img src="/posts/x/a b.png" alt="x">\n<p>foo<em>bar</em> &amp; “q”</p>'
    assert reader_view(kramdown) == reader_view(goldmark) == ["<img a b.png>", "foobar", "&", "“q”"]


def test_links_are_where_they_lead():
    ours = reader_view('<a href="https://example.org/docs/x/?a=1#top">x</a> <a href="/files/r.pdf">r</a>',
                       "https://example.org/docs/")
    theirs = reader_view('<a href="/x/?a=1#top">x</a> <a href="../assets/r.pdf">r</a>', "https://example.org/docs/")
    assert ours == theirs
    assert reader_view('<a href="/old/">x</a>', resolve={"/old/": "/new/"}.get) == ["<a /new/>", "x", "</a>"]
    assert reader_view('<a href="https://x.org/?u=%E2%9C%93">x</a>') == reader_view('<a href="https://x.org/?u=✓">x</a>')


def test_heading_ids_count_but_an_id_on_a_heading_that_had_none_does_not():
    assert not same_view(reader_view('<h2 id="a">T</h2>'), reader_view('<h2 id="b">T</h2>'))
    assert same_view(reader_view('<h2 id="a">T</h2>'), reader_view("<h2>T</h2>"))
    assert not same_view(reader_view("<h2>T</h2>"), reader_view('<h2 id="a">T</h2>'))


def test_words_in_order():
    assert not same_view(reader_view("<p>a b</p>"), reader_view("<p>b a</p>"))
    assert not same_view(reader_view("<p>### Heading</p>"), reader_view("<h3>Heading</h3>"))
