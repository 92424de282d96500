"""Compare what readers see of two imports of one site: the rendered ``the_content`` of each post that
``wp_import.py --rendered FILE`` wrote, for a classic export and a ``--wp-content blocks`` export.

    python tests/support/wordpress/same_rendering.py classic.json blocks.json

Each post is reduced to what a reader meets, in order: its text (white space collapsed), its headings by
level, list items, quotes, code, tables and their cells, rules, links (by target; in-page targets only as
``#``, since footnote anchors are named differently) and images (by file path). Markup that only styles
(classes, wrappers such as ``figure`` or ``div``) is left out, and so are Rouge's line-number gutters, which
the code block does not carry. Prints one summary line and the first difference of each post that differs.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

KEPT = {"h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "table", "tr", "th", "td", "hr", "img", "a"}
SKIPPED = {"script", "style"}
BREAKS = {"br", "p", "div", "section", "aside", "article", "figure", "figcaption", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
          "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "li", "hr", "header", "footer"}
"""Where a browser starts a new line or box: words on either side are apart."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.skip = 0
        self.stack: list[tuple[str, bool]] = []
        self.layout = 0
        """Inside Rouge's line-number table, whose rows and cells only lay the code out."""

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if text:
            self.out.append(text)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BREAKS and not self.skip:
            self.text.append(" ")
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        hidden = bool(self.skip) or tag in SKIPPED or "gutter" in classes or "lineno" in classes
        if tag not in ("img", "br", "hr", "input", "meta", "link", "source", "wbr"):
            self.stack.append((tag, hidden))
            if hidden:
                self.skip += 1
        if tag == "table" and "rouge-table" in classes:
            self.layout += 1
        if hidden:
            return
        if tag in KEPT and not (self.layout and tag in ("table", "tr", "td", "pre")):
            self._flush()
            if tag == "a":
                href = values.get("href") or ""
                self.out.append("<a " + ("#" if href.startswith("#") else unquote(urlsplit(href).path or href)) + ">")
            elif tag == "img":
                self.out.append("<img " + unquote(urlsplit(values.get("src") or "").path) + ">")
            else:
                self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in BREAKS and not self.skip:
            self.text.append(" ")
        names = [name for name, _ in self.stack]
        if tag not in names:
            return
        while self.stack:
            name, hidden = self.stack.pop()
            if hidden:
                self.skip -= 1
            if name == tag:
                break
        if not self.skip and tag in KEPT and not (self.layout and tag in ("tr", "td", "pre")):
            self._flush()
        if tag == "table" and self.layout:
            self.layout -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data.replace("\ufe0e", ""))


def seen(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    return reader.out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    one, two = (json.loads(Path(a).read_text("utf-8")) for a in args[:2])
    same = 0
    problems = []
    for source in sorted(set(one) | set(two)):
        a, b = seen(one.get(source, "")), seen(two.get(source, ""))
        if a == b:
            same += 1
            continue
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        problems.append(f"{source}: at {at}: {a[at:at + 3]} != {b[at:at + 3]}")
    print(f"RENDERED same={same}/{len(set(one) | set(two))}")
    for problem in problems:
        print("  differs:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
