"""kramdown's syntax, said once: the patterns (fences, reference definitions, attribute lists, header ids,
extensions, ``markdown`` attributes) and element classes that the HTML converter (:mod:`markdown`) and the
Markdown writer (:mod:`to_markdown`) both read kramdown by."""

from __future__ import annotations

import re
from functools import lru_cache

# -- code fences ---------------------------------------------------------------------------------------------

FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
"""A line opening a fenced code block; group 1 is the fence (its character, three times or more)."""


@lru_cache(maxsize=64)
def closing_fence(fence: str, indent: str = r"[ \t]{0,3}") -> re.Pattern[str]:
    """The line that closes the code block ``fence`` opened: ``indent``, the fence's character at least as
    many times, and white space. The scans that call it look at lines at different stages (raw, with the
    blockquote marks taken off, stripped), which is all ``indent`` says."""
    return re.compile(rf"^{indent}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")


# -- definitions ---------------------------------------------------------------------------------------------

REF_LABEL = r"[^\]^][^\]]*"
"""A link reference's label: anything up to the ``]``, not starting with ``^`` (that is a footnote's)."""
REF_DEF = re.compile(rf"^ {{0,3}}\[{REF_LABEL}\]:[ \t]*\S")
"""A line defining a link reference (``[label]: target``)."""
REF_DEF_TARGET = re.compile(rf"^( {{0,3}}\[{REF_LABEL}\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
"""A reference definition in a text: group 1 up to its target, group 2 the target."""
DEFINITION_LINE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
"""A line defining a link reference or a footnote."""
FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]]+)\]:")
"""A line defining a footnote; group 1 is its label."""
ABBR_DEF = re.compile(r"^\*\[([^\]]+)\]:[ \t]*(.*)$")
"""An abbreviation definition (``*[HTML]: Hyper Text Markup Language``): the abbreviation and its title."""

# -- extensions ----------------------------------------------------------------------------------------------

OPTIONS_LINE = re.compile(r"^\{::options\s+(.*?)\s*/\}$")
"""A ``{::options ... /}`` line (stripped); group 1 the options."""
PARSE_BLOCK_HTML_ON = r"parse_block_html=[\"']?true"
"""The option that turns on Markdown inside block HTML."""
EXTENSIONS = frozenset({"comment", "nomarkdown", "options"})
"""The extensions kramdown knows; ``{::other}`` is text."""
_EXT_START = r"\{::([A-Za-z0-9_]+)(?:\s((?:\\\}|[^}])*?)|)(/)?\}"
EXTENSION_BLOCK_START = re.compile(rf"(?:{_EXT_START}|\{{:/([A-Za-z0-9_][\w-]*)?\}})\s*$")
"""A line (less its indentation) that is an extension's start tag alone: group 1 the name, 2 its
attributes, 3 ``/`` when it has no body; group 4 or a stop tag alone (which is text for kramdown)."""
EXTENSION_SPAN_START = re.compile(_EXT_START)
"""An extension's start tag inside a paragraph (same groups)."""


def extension_stop(name: str) -> re.Pattern[str]:
    """The stop tag of the extension ``name`` inside a paragraph: ``{:/name}`` or ``{:/}``."""
    return re.compile(rf"\{{:/(?:{re.escape(name)})?\}}")


def extension_block_stop(name: str) -> re.Pattern[str]:
    """The line (less the block's indentation) that ends the block extension ``name``: its stop tag alone,
    indented up to three spaces."""
    return re.compile(rf" {{0,3}}\{{:/(?:{re.escape(name)})?\}}\s*$")

# -- attribute lists -----------------------------------------------------------------------------------------

IAL_LINE = re.compile(r"^[ \t]*\{:(?![:/])\s*([^}]*)\}[ \t]*$")
"""A block attribute list alone on a line (``{: .note}``); not an extension's start or stop tag."""
IAL_SPAN = re.compile(r"^\{:(?![:/])\s*([^}]*)\}")
"""A span attribute list at the start of a text (``{:.hl}`` after ``*x*``)."""
# XML's NameStartChar and NameChar, as kramdown's header id (REXML::XMLTokens)
XML_NAME_START = (
    ":A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
XML_NAME_CHAR = XML_NAME_START + "\\-.0-9\u00b7\u0300-\u036f\u203f\u2040"
HEADER_ID = re.compile(rf"[\t ]+\{{#([{XML_NAME_START}][{XML_NAME_CHAR}]*)\}}\s*$")
SPAN_IAL_AT = re.compile(r"\{:(?!:)[^}\n]*\}")

_ALD_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
_ALD_ID = r"#[A-Za-z][A-Za-z0-9_:-]*"
_ALD_CLASS = r"\.[^\s.#]+"
_ALD_ANY = re.compile(
    rf"""(?:\A|\s)(?:({_ALD_NAME})=("|')((?:\\\}}|\\\2|[^}}\x02])*?)\2|({_ALD_NAME})|((?:{_ALD_ID}|{_ALD_CLASS})+))"""
    r"(?=\s|\Z)"
)
_ALD_ID_OR_CLASS = re.compile(r"#([A-Za-z][A-Za-z0-9_:-]*)|\.([^\s.#]+)")


def parse_ial(text: str) -> dict[str, str]:
    """``.a #b k="v"`` -> attributes (classes joined), by kramdown's attribute-list rule: each part
    stands between spaces, values are quoted, anything else is ignored."""
    attrs: dict[str, str] = {}
    classes: list[str] = []
    for m in _ALD_ANY.finditer(text):
        if m.group(4):
            if m.group(4) == "toc":
                attrs["data-kd-toc"] = "1"
            elif m.group(4) == "auto_ids":
                attrs["data-kd-auto-ids"] = "1"
        elif m.group(5):
            for part in _ALD_ID_OR_CLASS.finditer(m.group(5)):
                if part.group(2):
                    classes.append(part.group(2))
                else:
                    attrs["id"] = part.group(1)
        else:
            sep = m.group(2)
            attrs[m.group(1)] = re.sub(r"\\(\}|" + re.escape(sep) + ")", r"\1", m.group(3))
    if classes:
        attrs["class"] = " ".join(classes)
    return attrs


# -- the ``markdown`` attribute and kramdown's element classes -----------------------------------------------

HAS_MD_ATTR = re.compile(r"\bmarkdown\s*=")
MD_ATTR_TAG = re.compile(
    r"""<([A-Za-z][\w-]*)\b([^>]*?)\s+markdown\s*=\s*("1"|'1'|1|"block"|"span"|'block'|'span')([^>]*)>"""
)
BLOCK_MODEL = frozenset(
    """address applet article aside blockquote body dd details div dl fieldset figure
figcaption footer form header hgroup iframe li main map menu nav noscript object section summary td""".split()
)
KNOWN_ELEMENTS = frozenset(
    """a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb
rbc rp rt rtc ruby samp select small span strong sub sup tt u var address article aside applet body
blockquote caption col colgroup dd div dl dt fieldset figcaption footer form h1 h2 h3 h4 h5 h6 header
hgroup hr html head iframe legend menu li main map nav ol optgroup p pre section summary table tbody td th
thead tfoot tr ul area base command embed keygen link meta param source track wbr details figure noscript
object script style math textarea""".split()
)
SPAN_MODEL = frozenset(
    """a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label
legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt""".split()
)
# kramdown treats these as span-level: a line starting with one is a paragraph, not an HTML block.
SPAN_ELEMENTS = frozenset(
    """a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark
option q rb rbc rp rt rtc ruby samp select small span strike strong sub sup textarea tt u var""".split()
)
VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
BODYLESS_ELEMENTS = VOID_ELEMENTS | {"command", "keygen"}
# kramdown's HTML_BLOCK_ELEMENTS: such a tag inside a paragraph is text for it
HTML_BLOCK_ELEMENTS = frozenset(
    """address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption
footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol optgroup p
pre section summary table tbody td th thead tfoot tr ul""".split()
)
MD_ATTR_IN_TAG = re.compile(r"""\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+)""")


# -- lists ---------------------------------------------------------------------------------------------------

LIST_ITEM = re.compile(r"^( {0,3}(?:[*+-]|\d+\.))([ \t]+)(?=\S)")
HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def lazy_list_lines(lines: list[str]) -> list[str]:
    """kramdown continues a list item with any unindented line that directly follows it (a fence, a header,
    ...); CommonMark only with paragraph text. Indent such lines so markdown-it keeps them in the item."""
    out: list[str] = []
    content_col: int | None = None
    list_col: int | None = None  # the content column of the outermost list's latest item
    list_kind = list_marker = ""
    nested_markers: dict[int, str] = {}  # the first bullet of each nested list, by its indentation
    item_fence: str | None = None  # the fence of a code block inside a list item
    last_blank = True
    fence: str | None = None
    for line in lines:
        if content_col is None and fence is not None:
            out.append(line)
            if closing_fence(fence, " {0,3}").match(line):
                fence = None
            continue
        if not line.strip():
            last_blank = True
            out.append(line)
            continue
        expanded = re.sub(r"^\t+", lambda t: "    " * len(t.group(0)), line) if line[0] == "\t" else line
        indent = len(expanded) - len(expanded.lstrip(" "))
        if content_col is not None:
            opening = FENCE.match(expanded.lstrip(" "))
            if item_fence is not None:
                if closing_fence(item_fence, "").match(expanded.lstrip(" ")):
                    item_fence = None
            elif opening and not LIST_ITEM.match(expanded):
                item_fence = opening.group(1)
        else:
            item_fence = None
        m = LIST_ITEM.match(expanded)
        if m and content_col is None and not last_blank and out and not HR.match(line):
            # kramdown lets any list interrupt a paragraph, CommonMark only one starting at 1 (kramdown
            # writes no start number anyway)
            num = re.match(r"^( *)(\d+)\.", expanded)
            if num and num.group(2) != "1":
                width = len(num.group(1)) + len(num.group(2))
                line = expanded = " " * (width - 1) + "1" + expanded[num.end() - 1 :]
        if m and not HR.match(line) and (content_col is not None or last_blank or indent == 0):
            kind = "ol" if m.group(1).strip()[0].isdigit() else "ul"
            if item_fence is not None:
                pass  # a line of a code block in the item
            elif content_col is not None and list_col is not None and indent < list_col:
                # kramdown: a sibling item is one of the same list type indented less than the item's
                # content (any bullet character); any other list line right after the item is a lazy
                # line of it, which starts a list nested in the item
                if kind != list_kind or indent > min(list_col - 1, 3):
                    if not last_blank:
                        out.append(" " * list_col + _as_first_number(line))
                        continue
                elif kind == "ul" and m.group(1).strip() != list_marker:
                    line = expanded = expanded[:indent] + list_marker + expanded[indent + 1 :]
            elif content_col is not None and kind == "ul":
                # a nested list: its items share the first one's bullet for kramdown too
                first = nested_markers.setdefault(indent, m.group(1).strip())
                if first[0] in "*+-" and first != m.group(1).strip():
                    line = expanded = expanded[:indent] + first + expanded[indent + 1 :]
            if list_col is None or indent < list_col:
                nested_markers = {}
                if list_col is None or kind != list_kind or indent > min(list_col - 1, 3):
                    list_kind, list_marker = kind, m.group(1).strip()  # a new list
                list_col = m.end() if len(m.group(2)) <= 4 else len(m.group(1)) + 1
            content_col = m.end() if len(m.group(2)) <= 4 else len(m.group(1)) + 1
            last_blank = False
            out.append(line)
            continue
        if content_col is not None:
            if indent >= content_col or (indent > 0 and not last_blank):
                last_blank = False
                out.append(line)
                continue
            if not last_blank and not line.lstrip().startswith(("{:", "<")) and not HR.match(line):
                out.append(" " * content_col + line)
                continue
            content_col = list_col = None
        if last_blank and IAL_LINE.match(line):
            out.extend([line, ""])  # an IAL above a block: kept as its own paragraph, applied to the next
            continue
        last_blank = False
        f = FENCE.match(line)
        if f:
            fence = f.group(1)
        out.append(line)
    return out


def _as_first_number(line: str) -> str:
    """An ordered list item renumbered 1 (CommonMark lets only such a list interrupt a paragraph)."""
    num = re.match(r"^( *)(\d+)\.", line)
    if num and num.group(2) != "1":
        width = len(num.group(1)) + len(num.group(2))
        return " " * (width - 1) + "1" + line[num.end() - 1 :]
    return line
