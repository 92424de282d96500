"""Jekyll's URL machinery: permalink styles, placeholders, ``Utils.slugify`` and Addressable escaping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

STYLE_TO_PERMALINK = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}

SLUGIFY_MODES = ("raw", "default", "pretty", "ascii", "latin")

# -- escaping ----------------------------------------------------------------------------------------

_SAFE_PATH = re.compile(r"^[a-zA-Z0-9./-]+$", re.MULTILINE)  # Ruby's ^ and $ are line anchors: any one safe line
_URIREGEX = re.compile(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$", re.DOTALL)
_ALPHA_DIGIT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_UNRESERVED = _ALPHA_DIGIT + "-._~"
_SUB_DELIMS = "!$&'()*+,;="
_PCHAR = _UNRESERVED + _SUB_DELIMS + ":@"
_CLASSES = {
    "scheme": frozenset(_ALPHA_DIGIT + "-+."),
    "authority": frozenset(_PCHAR + "[:]"),
    "path": frozenset(_PCHAR + "/"),
    "query": frozenset(_PCHAR + "/?"),
    "fragment": frozenset(_PCHAR + "/?"),
}
_SCHEME_OK = re.compile(r"\A[a-z][a-z0-9.+\-]*\Z", re.IGNORECASE)


class UrlError(ValueError):
    """Jekyll (Addressable) would fail on this URL."""


def _encode_component(text: str, allowed: frozenset[str]) -> str:
    out = []
    for byte in text.encode("utf-8", "surrogateescape"):
        ch = chr(byte)
        out.append(ch if byte < 128 and ch in allowed else f"%{byte:02X}")
    return "".join(out)


@lru_cache(maxsize=4096)
def escape_path(path: str) -> str:
    """``Jekyll::URL.escape_path``: ``Addressable::URI.encode`` of the value, then the first ``#``."""
    if not path or _SAFE_PATH.search(path):
        return path
    m = _URIREGEX.match(path)
    assert m is not None  # the expression matches every string
    scheme, authority, upath, query, fragment = m.group(2), m.group(4), m.group(5), m.group(7), m.group(9)
    out = ""
    if scheme is not None:
        scheme = _encode_component(scheme, _CLASSES["scheme"])
        if not _SCHEME_OK.match(scheme):
            raise UrlError(f"invalid scheme format: {scheme!r} in {path!r}")
        out += scheme + ":"
    if authority is not None:
        out += "//" + _encode_component(authority, _CLASSES["authority"])
    out += _encode_component(upath or "", _CLASSES["path"])
    if query is not None:
        out += "?" + _encode_component(query, _CLASSES["query"])
    if fragment is not None:
        out += "#" + _encode_component(fragment, _CLASSES["fragment"])
    return out.replace("#", "%23", 1)


def unescape_path(path: str) -> str:
    """``Jekyll::URL.unescape_path``: percent-decoding as Addressable does it."""
    if "%" not in path:
        return path
    raw = re.sub(
        rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), path.encode("utf-8", "surrogateescape")
    )
    return raw.decode("utf-8", "surrogateescape")


def sanitize_url(text: str) -> str:
    """``Jekyll::URL#sanitize_url``."""
    result = ("/" + text).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", result)


# -- slugify -----------------------------------------------------------------------------------------

_PRETTY_KEEP = frozenset("._~!$&'()+,;=@")
_LATIN = {
    "ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "Þ": "Th",
    "þ": "th", "Ð": "D", "ð": "d", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "ı": "i", "Ħ": "H", "ħ": "h",
    "ĸ": "k", "Ŀ": "L", "ŀ": "l", "ŉ": "'n", "Ŋ": "NG", "ŋ": "ng", "Ŧ": "T", "ŧ": "t", "×": "x",
}


def _keep_default(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "ML" or cat == "Nd"


def _keep_pretty(ch: str) -> bool:
    return ch in _PRETTY_KEEP or _keep_default(ch)


def _keep_ascii(ch: str) -> bool:
    return ch in _ALPHA_DIGIT


# For ASCII text the kept characters of each mode are a fixed set, so a run of the others is one regex.
_ASCII_RUNS: dict[Callable[[str], bool], re.Pattern[str]] = {}


def _replace_runs(text: str, keep: Callable[[str], bool]) -> str:
    if text.isascii():
        return _ASCII_RUNS[keep].sub("-", text)
    out: list[str] = []
    in_run = False
    for ch in text:
        if keep(ch):
            out.append(ch)
            in_run = False
        elif not in_run:
            out.append("-")
            in_run = True
    return "".join(out)


for _kept in (_keep_default, _keep_pretty, _keep_ascii):
    _ASCII_RUNS[_kept] = re.compile("[^" + re.escape("".join(c for c in map(chr, range(128)) if _kept(c))) + "]+")


def _transliterate(text: str) -> str:
    # I18n.transliterate: Latin letters lose their accents, everything else non-ASCII becomes "?"
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
        elif ch in _LATIN:
            out.append(_LATIN[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and all(ord(c) < 128 for c in base) and base.isalpha() else "?")
    return "".join(out)


@lru_cache(maxsize=4096)
def slugify(text: str, mode: str | None = None, cased: bool = False) -> str:
    """``Jekyll::Utils.slugify`` for every mode (``raw``, ``default``, ``pretty``, ``ascii``, ``latin``, ``none``)."""
    mode = mode or "default"
    if mode not in SLUGIFY_MODES:
        return text if cased else text.lower()
    if mode == "latin":
        text = _transliterate(text)
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    elif mode == "pretty":
        slug = _replace_runs(text, _keep_pretty)
    elif mode == "ascii":
        slug = _replace_runs(text, _keep_ascii)
    else:
        slug = _replace_runs(text, _keep_default)
    slug = re.sub(r"^-|-$", "", slug, flags=re.MULTILINE)
    return slug if cased else slug.lower()


# -- templates ---------------------------------------------------------------------------------------


def add_permalink_suffix(template: str, style: str) -> str:
    """``Utils.add_permalink_suffix``."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def style_to_permalink(style: str) -> str:
    return STYLE_TO_PERMALINK.get(style, style)


_PLACEHOLDER = re.compile(r":([a-z_]+)")


class PlaceholderError(ValueError):
    """A permalink names a placeholder Jekyll does not know (Jekyll stops the build)."""


def generate_from_drop(template: str, lookup: Callable[[str], str | None]) -> str:
    """``URL#generate_url_from_drop``: ``lookup(name)`` returns the raw value, None for unknown names."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        for key in pool:
            value = lookup(key)
            if value is not None:
                rest = match.group(0)[1 + len(key) :]
                return escape_path(value) + rest
        raise PlaceholderError(f"the permalink placeholder :{name} is not one Jekyll knows")

    return _PLACEHOLDER.sub(replace, template)


def generate_from_hash(template: str, placeholders: Mapping[str, str | None]) -> str:
    """``URL#generate_url_from_hash`` (pages, static files, redirect pages)."""
    result = template
    for key, value in placeholders.items():
        if ":" not in result:
            break
        if value is None:
            result = result.replace(f"/:{key}", "")
        else:
            result = result.replace(f":{key}", escape_path(value))
    return result
