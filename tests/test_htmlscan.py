"""``htmlscan`` reads tags and comments as html.parser does, wherever it reads a text at all: the same
start, empty and end tags with the same attributes, and the same comments, at the same offsets."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

from hypothesis import example, given
from hypothesis import strategies as st

from migrate.content import htmlscan
from tests.test_ghost_scanner import SETTINGS, html_text, kramdown_html
from tests.test_links_scanner import good_html_text

Event = tuple[str, int, str, list[tuple[str, str | None]]]


class _Events(HTMLParser):
    """(kind, offset, tag, attributes) of every tag and comment html.parser reports."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.events: list[Event] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((htmlscan.START, self._pos(), tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((htmlscan.EMPTY, self._pos(), tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.events.append((htmlscan.END, self._pos(), tag, []))

    def handle_comment(self, data: str) -> None:
        self.events.append((htmlscan.COMMENT, self._pos(), "", []))


def _parser_events(text: str) -> list[Event]:
    parser = _Events(text)
    parser.feed(text)
    parser.close()
    return parser.events


def _token_events(text: str, tokens: list[htmlscan.Token]) -> list[Event]:
    events: list[Event] = []
    for token in tokens:
        kind, start, _end, tag = token
        if kind in (htmlscan.START, htmlscan.EMPTY):
            events.append((kind, start, tag, htmlscan.attributes(text, token)))
        elif kind != htmlscan.RAW:
            events.append((kind, start, tag, []))
    return events


@SETTINGS
@given(st.one_of(html_text, kramdown_html, good_html_text))
@example("<p id>x</p><h2 ID=a>y</h2 ><a x><br/><hr />")
@example("<DIV CLASS='A &amp; B' data-x=\"1\"\n  title=\"&quot;\">x</Div><img src=/a.png alt=''/>")
@example("<!-- a --><p>b<!---->c</p><script>a < b</script><textarea>x</textarea>")
def test_tokens_and_attributes_are_html_parsers_events(text: str) -> None:
    tokens = htmlscan.tokens(text)
    if tokens is not None:
        assert _token_events(text, tokens) == _parser_events(text)
        # the tokens tile the text with what lies between them
        assert all(a[2] <= b[1] for a, b in itertools.pairwise(tokens))
