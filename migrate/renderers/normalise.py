"""HTML as a reader sees it, for comparing two renderers' bodies: whitespace, attribute order, class order and
highlighting markup do not count."""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])


class _Tokens(HTMLParser):
    """An HTML fragment as a list of tokens: tags with sorted attributes, runs of text with whitespace
    collapsed, comments; ``span`` tags inside code (a highlighter's) left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self._text: list[str] = []
        self._code = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._text).replace("\u00a0", " ").split())
        self._text.clear()
        if text:
            self.tokens.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._code and tag == "span":
            return
        self._flush()
        if tag in ("pre", "code"):
            self._code += 1
        parts = []
        for name, value in sorted(attrs):
            value = " ".join((value or "").split())
            if name == "class":
                value = " ".join(sorted(value.split()))
            parts.append(f' {name}="{value}"')
        self.tokens.append(f"<{tag}{''.join(parts)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or (self._code and tag == "span"):
            return
        self._flush()
        if tag in ("pre", "code"):
            self._code = max(0, self._code - 1)
        self.tokens.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.tokens.append("<!--" + " ".join(data.split()) + "-->")

    def close(self) -> None:
        super().close()
        self._flush()


def normalise(html_text: str) -> list[str]:
    """``html_text`` as a reader sees it (see the module's docstring)."""
    parser = _Tokens()
    parser.feed(html_text)
    parser.close()
    return parser.tokens


def first_difference(ours: list[str], theirs: list[str]) -> str:
    """Where two normalised bodies part, in a few words."""
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"token {i}: built-in {a[:80]!r}, Jekyll {b[:80]!r}"
    if len(ours) > len(theirs):
        return f"the built-in body goes on: {ours[len(theirs)][:80]!r}"
    return f"Jekyll's body goes on: {theirs[len(ours)][:80]!r}"
