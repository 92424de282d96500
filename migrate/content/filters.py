"""Jekyll's Liquid filters (``relative_url``, ``where``, ``date_to_xmlschema``, ...) for python-liquid."""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote, quote_plus

from liquid.filter import with_context
from liquid.undefined import Undefined

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.context import RenderContext
    from liquid.template import BoundTemplate

    CompileTemplate = Callable[[str, None], BoundTemplate]


# -- URLs ---------------------------------------------------------------------------------------------

_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _normalize_url(url: str) -> str:
    """Addressable's ``normalize`` for the cases that matter: non-ASCII and spaces percent-encoded."""
    return quote(url, safe="/:?#[]@!$&'()*+,;=%~-._")


def relative_url_of(url: str, base_path: str) -> str:
    """Jekyll's ``relative_url``: the base path joined with a leading-slash path."""
    if _ABSOLUTE.match(url):
        return url
    parts = [base_path.rstrip("/"), url]
    joined = "".join(p if (not p or p.startswith("/")) else "/" + p for p in parts)
    return _normalize_url(joined)


def _to_text(value: Any) -> str:
    if isinstance(value, Mapping) and "url" in value and not isinstance(value, dict):
        return to_s(value["url"])
    return to_s(value)


# -- Ruby's string conversion ------------------------------------------------------------------------------


def ruby_float(value: float) -> str:
    """Ruby's ``Float#to_s``: ``1.0``, ``0.031``, ``1.0e+20``, ``Infinity``."""
    if math.isnan(value):
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    text = repr(float(value))  # the shortest repr, with exponents where Ruby uses them (< 1e-4, >= 1e16)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        return f"{mantissa}e{exponent}"
    return text


def ruby_time(value: _dt.datetime) -> str:
    """Ruby's ``Time#to_s``: ``2017-09-11 00:00:00 +0000``."""
    return value.strftime("%Y-%m-%d %H:%M:%S ") + _offset(value, False)


def to_s(value: Any) -> str:
    """A value as Ruby's ``to_s`` turns it into text for Liquid's filters: ``nil`` is empty, ``true``,
    ``1.0``, a time as ``2017-09-11 00:00:00 +0000``, arrays and hashes as Ruby inspects them."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, Undefined):
        return str(value)  # empty, and reported once by the environment's undefined type
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return ruby_float(float(value))
    if isinstance(value, _dt.datetime):
        return ruby_time(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return _ruby_inspect(value)
    if isinstance(value, range):
        return f"{value.start}..{value.stop - 1}"
    return str(value)


def liquid_output(value: Any) -> str:
    """What ``{{ value }}`` writes: an array joined without separator (nested arrays flattened, nil
    empty), anything else as :func:`to_s`."""
    if isinstance(value, (list, tuple)):
        return "".join(_join_item(v) for v in value)
    return to_s(value)


def _join_item(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "".join(_join_item(v) for v in value)
    return to_s(value)


def join(value: Any, glue: Any = " ") -> str:
    """Liquid's ``join``: Ruby's ``Array#join`` (elements through ``to_s``, nested arrays flattened)."""
    if isinstance(value, Mapping) and not isinstance(value, dict):
        value = [value]
    items = _items(value) if not isinstance(value, str) else [value]
    return to_s(glue).join(_join_item(v) for v in items)


# Liquid's string filters turn their input and their text arguments into strings with ``to_s``
STRING_FILTERS = (
    "append prepend remove remove_first remove_last replace replace_first replace_last split capitalize "
    "downcase upcase escape escape_once lstrip rstrip strip newline_to_br strip_html strip_newlines "
    "truncate truncatewords url_encode url_decode base64_encode base64_decode base64_url_safe_encode "
    "base64_url_safe_decode squish"
).split()
TEXT_ARGUMENT_FILTERS = frozenset(
    "append prepend remove remove_first remove_last replace replace_first replace_last split".split()
)


def ruby_strings(func: Any, name: str) -> Any:
    """``func`` with its input (and, for filters that take text, its arguments) converted by ``to_s``."""

    def run(value: Any, *args: Any, **kwargs: Any) -> Any:
        value = to_s(value)
        if name in TEXT_ARGUMENT_FILTERS:
            args = tuple(to_s(a) for a in args)
        return func(value, *args, **kwargs)

    for attr in ("with_context", "with_environment"):
        if getattr(func, attr, False):
            setattr(run, attr, True)
    run.__name__ = getattr(func, "__name__", name)
    return run


_ROUND_HALF_AWAY = decimal.ROUND_HALF_UP


def round_(value: Any, digits: Any = 0) -> Any:
    """Liquid's ``round``: a float goes through ``BigDecimal(float.to_s)``, so it rounds its decimal
    digits half away from zero (``2.5`` is 3, ``0.0305`` to 3 digits is 0.031); an integer result when the
    digits are 0."""
    number = _to_number(value)
    places = _to_number(digits)
    places = int(places) if not isinstance(places, int) else places
    if isinstance(number, int) and places >= 0:
        result: Any = number
    else:
        try:
            rounded = Decimal(number).quantize(Decimal(1).scaleb(-places), rounding=_ROUND_HALF_AWAY)
        except decimal.InvalidOperation:
            rounded = Decimal(number)
        # Ruby rounds to an Integer for no or negative digits, to a BigDecimal (then a Float) for others
        result = int(rounded) if places <= 0 or isinstance(number, int) else float(rounded)
    if digits == 0:
        result = int(result)
    return result


def _to_number(value: Any) -> Any:
    """Liquid's ``Utils.to_number``: a float as the decimal of its ``to_s``, a numeric string as a
    number, anything else 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return Decimal(0)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+\.\d+", text):
            return Decimal(text)
        m = re.match(r"[+-]?\d+", text.replace("_", ""))
        return int(m.group(0)) if m else 0
    return 0


# -- dates --------------------------------------------------------------------------------------------


def _to_datetime(value: Any) -> _dt.datetime | None:
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text == "now" or text == "today":
            return _dt.datetime.now().astimezone()
        for candidate in (text, text.replace(" ", "T", 1)):
            try:
                return _dt.datetime.fromisoformat(candidate.replace("Z", "+00:00"))
            except ValueError:
                pass
        m = re.match(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}:?\d{2}|Z|UTC)?$", text)
        if m:
            t = m.group(2) if m.group(2).count(":") == 2 else m.group(2) + ":00"
            zone = m.group(3) or ""
            zone = "+00:00" if zone in ("Z", "UTC") else zone
            if zone and ":" not in zone:
                zone = zone[:3] + ":" + zone[3:]
            try:
                return _dt.datetime.fromisoformat(f"{m.group(1)}T{t.zfill(8)}{zone}")
            except ValueError:
                return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _dt.datetime.fromtimestamp(value).astimezone()
    return None


def _offset(d: _dt.datetime, colon: bool) -> str:
    off = d.utcoffset()
    if off is None:
        off = _dt.datetime.now().astimezone().utcoffset() or _dt.timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{':' if colon else ''}{minutes % 60:02d}"


def date_to_xmlschema(value: Any) -> Any:
    d = _to_datetime(value)
    if d is None:
        return value
    return d.strftime("%Y-%m-%dT%H:%M:%S") + _offset(d, True)


def date_to_rfc822(value: Any) -> Any:
    d = _to_datetime(value)
    if d is None:
        return value
    return d.strftime("%a, %d %b %Y %H:%M:%S ") + _offset(d, False)


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _date_string(value: Any, month_fmt: str, type_: Any = None, style: Any = None) -> Any:
    d = _to_datetime(value)
    if d is None:
        return value
    if type_ == "ordinal":
        month = d.strftime(month_fmt)
        if style == "US":
            return f"{month} {_ordinal(d.day)}, {d.year}"
        return f"{_ordinal(d.day)} {month} {d.year}"
    return d.strftime(f"%d {month_fmt} %Y")


def date_to_string(value: Any, type_: Any = None, style: Any = None) -> Any:
    return _date_string(value, "%b", type_, style)


def date_to_long_string(value: Any, type_: Any = None, style: Any = None) -> Any:
    return _date_string(value, "%B", type_, style)


# -- strings ------------------------------------------------------------------------------------------------


def xml_escape(value: Any) -> str:
    text = _to_text(value)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def cgi_escape(value: Any) -> str:
    return quote_plus(_to_text(value), safe="*")


def uri_escape(value: Any) -> str:
    return quote(_to_text(value), safe="/:?#[]@!$&'()*+,;=%~-._")


def number_of_words(value: Any, mode: Any = None) -> int:
    text = _to_text(value)
    if mode in ("cjk", "auto"):
        cjk = re.findall(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]", text)
        if mode == "cjk" or cjk:
            return len(cjk) + len(re.sub(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]", " ", text).split())
    return len(text.split())


def array_to_sentence_string(value: Any, connector: Any = "and") -> str:
    items = [_to_text(v) for v in (value or [])] if not isinstance(value, str) else [value]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {connector} {items[1]}"
    return f"{', '.join(items[:-1])}, {connector} {items[-1]}"


_SLUG_MODES = {
    "raw": re.compile(r"\s+"),
    "default": re.compile(r"[^\w]+|_+"),
    "pretty": re.compile(r"[^\w._~!$&'()+,;=@]+|_+"),
    "ascii": re.compile(r"[^a-zA-Z0-9]+"),
    "latin": re.compile(r"[^a-zA-Z0-9]+"),
}


def slugify(value: Any, mode: Any = "default", cased: Any = False) -> str:
    """Jekyll's ``Utils.slugify``."""
    text = _to_text(value)
    mode = mode if isinstance(mode, str) and mode in _SLUG_MODES or mode == "none" else "default"
    if mode == "none":
        return text
    if mode == "latin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if mode == "default":
        # Jekyll keeps letters, marks and decimal digits only (no underscore).
        slug = re.sub(r"[^\w]|_", "-", text)
    elif mode == "pretty":
        slug = re.sub(r"[^\w._~!$&'()+,;=@]", "-", text)
    else:
        slug = _SLUG_MODES[mode].sub("-", text)
    slug = re.sub(r"-{2,}", "-", slug) if mode != "raw" else slug
    slug = slug.strip("-")
    return slug if cased else slug.lower()


def normalize_whitespace(value: Any) -> str:
    return re.sub(r"\s+", " ", _to_text(value)).strip()


def to_integer(value: Any) -> int:
    if isinstance(value, bool):
        return 1 if value else 0
    try:
        return int(float(value)) if isinstance(value, str) and "." in value else int(value)
    except (TypeError, ValueError):
        return 0


def smartify(value: Any) -> str:
    from migrate.content.typography import smarten

    return smarten(_to_text(value))


def _ruby_inspect(value: Any) -> str:
    if value is None or isinstance(value, Undefined):
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_ruby_inspect(k)}=>{_ruby_inspect(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_ruby_inspect(v) for v in value) + "]"
    return to_s(value)


def inspect(value: Any) -> str:
    return xml_escape(_ruby_inspect(value))


def _jsonable(value: Any, depth: int = 0) -> Any:
    if depth > 20:
        return None
    if value is None or isinstance(value, Undefined):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S ") + _offset(value, False)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    return str(value)


def jsonify(value: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))


# -- arrays ------------------------------------------------------------------------------------------------


def _items(value: Any) -> list[Any]:
    if value is None or isinstance(value, Undefined):
        return []
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _prop(item: Any, prop: str) -> Any:
    if isinstance(item, Mapping):
        try:
            return item[prop]
        except (KeyError, TypeError):
            return None
    if isinstance(item, Sequence) and not isinstance(item, str) and str(prop).lstrip("-").isdigit():
        try:
            return item[int(prop)]
        except IndexError:
            return None
    return None


def _prop_path(item: Any, prop: str) -> Any:
    for part in str(prop).split("."):
        item = _prop(item, part)
        if item is None:
            return None
    return item


def _ruby_to_s(value: Any) -> str:
    return to_s(value)


def where(value: Any, prop: Any = None, target: Any = None) -> Any:
    if prop is None or isinstance(target, (list, Mapping)):
        return value
    items = _items(value)
    out = []
    for item in items:
        got = _prop_path(item, str(prop))
        if target is None or isinstance(target, Undefined):
            if got is None:
                out.append(item)
            continue
        t = _ruby_to_s(target)
        if isinstance(got, str):
            if got == t:
                out.append(item)
        elif isinstance(got, (list, tuple)):
            if any(_ruby_to_s(p) == t for p in got):
                out.append(item)
        elif _ruby_to_s(got) == t:
            out.append(item)
    return out


def group_by(value: Any, prop: Any) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for item in _items(value):
        key = _ruby_to_s(_prop_path(item, str(prop)))
        groups.setdefault(key, []).append(item)
    return [{"name": k, "items": v, "size": len(v)} for k, v in groups.items()]


def _sort_key(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return (1, v, "")
    if isinstance(v, _dt.datetime):
        ts = v.timestamp() if v.tzinfo else v.replace(tzinfo=_dt.timezone.utc).timestamp()
        return (1, ts, "")
    return (2, 0, _ruby_to_s(v))


def sort(value: Any, prop: Any = None, nils: Any = "first") -> Any:
    items = _items(value)
    if prop is None or isinstance(prop, Undefined):
        try:
            return sorted(items, key=_sort_key)
        except TypeError:
            return items
    with_value = [i for i in items if _prop_path(i, str(prop)) is not None]
    without = [i for i in items if _prop_path(i, str(prop)) is None]
    ordered = sorted(with_value, key=lambda i: _sort_key(_prop_path(i, str(prop))))
    return ordered + without if nils == "last" else without + ordered


def push(value: Any, item: Any) -> list[Any]:
    return _items(value) + [item]


def pop(value: Any, count: Any = 1) -> list[Any]:
    items = _items(value)
    n = to_integer(count)
    return items[: len(items) - n] if n else items


def shift(value: Any, count: Any = 1) -> list[Any]:
    return _items(value)[to_integer(count) :]


def unshift(value: Any, item: Any) -> list[Any]:
    return [item] + _items(value)


def sample(value: Any, count: Any = 1) -> Any:
    items = _items(value)
    n = to_integer(count)
    rnd = random.Random(0)
    if n == 1:
        return rnd.choice(items) if items else None
    return rnd.sample(items, min(n, len(items)))


def _expression_filter(compile_template: CompileTemplate, name: str) -> Any:
    @with_context
    def run(value: Any, variable: Any, expression: Any, *, context: RenderContext) -> Any:
        template = compile_template(f"{{% if {expression} %}}1{{% endif %}}", None)
        results = []
        items = _items(value)
        for item in items:
            with context.extend({str(variable): item}):
                from io import StringIO

                buf = StringIO()
                template.render_with_context(context, buf, partial=True)
                hit = buf.getvalue() == "1"
            if name == "where_exp" and hit:
                results.append(item)
            elif name == "find_exp" and hit:
                return item
            elif name == "group_by_exp":
                results.append(item)
        if name == "find_exp":
            return None
        if name == "group_by_exp":
            groups: dict[str, list[Any]] = {}
            vtemplate = compile_template(f"{{{{ {expression} }}}}", None)
            for item in items:
                with context.extend({str(variable): item}):
                    from io import StringIO

                    buf = StringIO()
                    vtemplate.render_with_context(context, buf, partial=True)
                groups.setdefault(buf.getvalue(), []).append(item)
            return [{"name": k, "items": v, "size": len(v)} for k, v in groups.items()]
        return results

    return run


def find(value: Any, prop: Any, target: Any) -> Any:
    found = where(value, prop, target)
    return found[0] if isinstance(found, list) and found else None


def register(
    env: Environment,
    *,
    base_path: str,
    site_url: str,
    convert_markdown: Callable[[str], str],
    compile_template: CompileTemplate,
) -> None:
    """Add Jekyll's filters to ``env`` (overriding Liquid's where Jekyll differs): the URL filters of a site
    at ``site_url`` + ``base_path``, ``markdownify`` with the site's ``convert_markdown``, and the ``*_exp``
    filters compiling their expression with ``compile_template(text, None)``."""

    def relative_url(value: Any) -> Any:
        if value is None or isinstance(value, Undefined):
            return None
        return relative_url_of(_to_text(value), base_path)

    def absolute_url(value: Any) -> Any:
        if value is None or isinstance(value, Undefined):
            return None
        text = _to_text(value)
        if _ABSOLUTE.match(text):
            return text
        rel = relative_url_of(text, base_path)
        if not site_url:
            return rel
        return _normalize_url(site_url) + rel

    def markdownify(value: Any) -> str:
        return convert_markdown(_to_text(value))

    table = {
        "relative_url": relative_url,
        "absolute_url": absolute_url,
        "markdownify": markdownify,
        "slugify": slugify,
        "date_to_xmlschema": date_to_xmlschema,
        "date_to_rfc822": date_to_rfc822,
        "date_to_string": date_to_string,
        "date_to_long_string": date_to_long_string,
        "where": where,
        "where_exp": _expression_filter(compile_template, "where_exp"),
        "find": find,
        "find_exp": _expression_filter(compile_template, "find_exp"),
        "group_by": group_by,
        "group_by_exp": _expression_filter(compile_template, "group_by_exp"),
        "jsonify": jsonify,
        "xml_escape": xml_escape,
        "cgi_escape": cgi_escape,
        "uri_escape": uri_escape,
        "number_of_words": number_of_words,
        "array_to_sentence_string": array_to_sentence_string,
        "sort": sort,
        "push": push,
        "pop": pop,
        "shift": shift,
        "unshift": unshift,
        "sample": sample,
        "to_integer": to_integer,
        "normalize_whitespace": normalize_whitespace,
        "smartify": smartify,
        "inspect": inspect,
        "scssify": lambda v: _to_text(v),
        "sassify": lambda v: _to_text(v),
    }
    for name in STRING_FILTERS:
        if name in env.filters:
            env.add_filter(name, ruby_strings(env.filters[name], name))
    table["join"] = join
    table["round"] = round_
    for name, func in table.items():
        env.add_filter(name, func)
