"""Compare HTML as a reader sees it: whitespace, attribute order and highlighting markup don't count."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "source",
    "wbr",
    "col",
    "area",
    "base",
    "embed",
    "param",
    "track",
}


class _Normaliser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.code_depth = 0
        self.pending: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.pending).replace("\u00a0", " ").split())
        self.pending.clear()
        if text:
            self.out.append("#" + text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.code_depth and tag == "span":
            return  # highlighting markup differs by highlighter
        self._flush()
        if tag in ("pre", "code"):
            self.code_depth += 1
        norm = []
        for k, v in sorted(attrs):
            v = v or ""
            if k == "class":
                v = " ".join(sorted(v.split()))
            norm.append(f'{k}="{" ".join(v.split())}"')
        self.out.append(f"<{tag}{''.join(' ' + a for a in norm)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.code_depth and tag == "span":
            return
        self._flush()
        if tag in ("pre", "code"):
            self.code_depth = max(0, self.code_depth - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        # An unknown plugin tag is kept as written; the oracle's stand-in cannot see its ``-`` markers.
        self.pending.append(data.replace("{%-", "{%").replace("-%}", "%}"))

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.out.append("<!--" + " ".join(data.split()) + "-->")

    def close(self) -> None:
        super().close()
        self._flush()


def normalise_html(text: str) -> list[str]:
    """A whitespace-, attribute-order- and highlighting-insensitive form of an HTML fragment."""
    parser = _Normaliser()
    parser.feed(text)
    parser.close()
    return parser.out


def first_difference(ours: list[str], theirs: list[str]) -> str:
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            return f"at {i}: ours {a[:120]!r} / jekyll {b[:120]!r}"
    return f"length ours {len(ours)} / jekyll {len(theirs)}"
