"""Hypothesis strategies for HTML start tags as the fast scanners' differential tests draw them."""

from __future__ import annotations

from hypothesis import strategies as st

ODD_WHITESPACE = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", "\f", "\x0b", "\xa0", ""])
"""Spaces html.parser does and does not treat as separators between attributes."""


def start_tags(tags: list[str], attrs: list[str], values: list[str]) -> st.SearchStrategy[str]:
    """Start tags, well-formed or not: up to three attributes, bare, quoted either way or without a value,
    odd spacing around ``=`` and before the end, which may be ``>``, ``/>`` or missing."""

    @st.composite
    def start_tag(draw: st.DrawFn) -> str:
        out = "<" + draw(st.sampled_from(tags))
        for _ in range(draw(st.integers(0, 3))):
            out += draw(ODD_WHITESPACE) + draw(st.sampled_from(attrs))
            form = draw(st.sampled_from(["none", "dq", "sq", "bare"]))
            if form == "none":
                continue
            value = draw(st.sampled_from(values))
            out += draw(st.sampled_from(["=", " = ", "==", "=\n"]))
            out += {"dq": f'"{value}"', "sq": f"'{value}'", "bare": value}[form]
        return out + draw(ODD_WHITESPACE) + draw(st.sampled_from([">", "/>", " />", "", ">", ">"]))

    return start_tag()
