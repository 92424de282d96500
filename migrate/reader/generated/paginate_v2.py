"""jekyll-paginate-v2 3.0: pagination of any page with ``pagination: {enabled: true}``, and autopages.

As ``PaginationGenerator``, ``PaginationModel``, ``Paginator`` and ``AutoPages`` decide:

- the site's ``pagination:`` is merged over the plugin's defaults (``per_page`` 10, ``permalink``
  ``/page:num/``, ``collection`` posts, ``sort_field`` date, ``offset``, ``limit``, ``indexpage``,
  ``extension`` html), and each template page's own ``pagination:`` over that;
- a template lists the documents of its ``collection`` (a list, or names split on ``;``, ``,`` and spaces;
  ``all`` = every collection but posts), without documents that have a ``pagination`` key or ``hidden``,
  narrowed by ``category``, ``tag`` and ``locale`` (lowercased, ``;``/``,``-separated); ``offset`` documents
  are dropped from the end of the sorted list; ``limit`` caps the page count; a list has at least one page;
- the template itself is not written: page 1 and every other page are new pages whose URL is
  ``first/`` (the template's ``permalink``, else its folder) joined with ``permalink`` (``:num``), made a
  full file path (``index`` + ``extension``): ``/blog/page2/index.html``, ``page.url`` as Jekyll writes it;
- autopages (``autopages: {enabled: true}``): for each tag, category (of every document of every
  collection, lowercased) or collection, one page per layout in ``layouts`` (read from ``_layouts``) at
  ``permalink`` with ``:tag``/``:cat``/``:coll`` slugified as ``slugify`` says (mode ``none`` by default),
  itself paginated when pagination is enabled (site or layout front matter), else written once; a missing
  layout only means no front matter and no layout (Jekyll warns and writes the pages).

With the legacy ``paginate:`` key set the plugin stops the build (its compatibility mode expired in 2018):
nothing is modelled then, and an issue says so.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from migrate.ir import Document, GeneratedPage, Issue
from migrate.reader.config import deep_merge
from migrate.reader.generated.common import Inputs, output_path, ruby_to_i
from migrate.reader.rubyish import rb_extname
from migrate.reader.urls import slugify
from migrate.reader.yamlsafe import YamlError, load_yaml, ruby_str

GEM = "jekyll-paginate-v2"
DEFAULT: dict[str, Any] = {
    "enabled": False, "collection": "posts", "offset": 0, "per_page": 10, "permalink": "/page:num/",
    "title": ":title - page :num", "page_num": 1, "sort_reverse": False, "sort_field": "date", "limit": 0,
    "trail": {"before": 0, "after": 0}, "indexpage": None, "extension": "html", "debug": False, "legacy": False,
}
_AUTO_KIND = {"layouts": [], "title": "", "permalink": "", "enabled": True, "slugify": {"mode": "none", "cased": False}}
AUTOPAGES_DEFAULT: dict[str, Any] = {
    "enabled": False,
    "tags": {**_AUTO_KIND, "layouts": ["autopage_tags.html"], "permalink": "/tag/:tag"},
    "categories": {**_AUTO_KIND, "layouts": ["autopage_category.html"], "permalink": "/category/:cat"},
    "collections": {**_AUTO_KIND, "layouts": ["autopage_collection.html"], "permalink": "/collection/:coll"},
}
_SPLIT = re.compile(r";|,|\s")
_SPLIT_KEYS = re.compile(r";|,")
_FRONT_MATTER = re.compile(r"\A---\s*\r?\n(.*?\r?\n)?(?:---|\.\.\.)\s*$", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class _Template:
    """A page the paginator starts from: a site page, or an autopage made from a layout."""

    source: str | None
    """The page's source, or the autopage's layout file (None when that layout does not exist)."""
    config: dict[str, Any]
    permalink: str | None
    folder: str
    """``Page#dir``: the template's URL if it ends with ``/``, else the URL's folder."""


def generate(inputs: Inputs, issues: list[Issue]) -> list[GeneratedPage]:
    config = inputs.config
    raw = config.get("pagination")
    site_config = deep_merge(DEFAULT, raw if isinstance(raw, dict) else {})
    if config.get("paginate") is not None:
        issues.append(Issue("pagination-config", "warning",
                            "jekyll-paginate-v2 with the old paginate: key stops Jekyll's build (its compatibility "
                            "mode expired in 2018); no pagination pages are listed", inputs.config_source))
        return []
    collections = _collection_docs(inputs)
    pages: list[GeneratedPage] = []
    templates = _page_templates(inputs, site_config)
    autopages, written = _autopages(inputs, site_config, collections, issues)
    pages += written
    templates += autopages
    for template in templates:
        pages += _paginate(inputs, template, collections, issues)
    return pages


def _collection_docs(inputs: Inputs) -> dict[str, list[Document]]:
    """``site.collections[label].docs``: the documents Jekyll read (written or not), posts in date order."""
    found: dict[str, list[Document]] = {"posts": inputs.posts()}
    for doc in sorted(inputs.documents, key=lambda d: d.source):
        if doc.collection and doc.collection != "posts" and (doc.built_by_jekyll or doc.published and not doc.future):
            found.setdefault(doc.collection, []).append(doc)
    for col in inputs.config.get("collections") or {}:
        found.setdefault(str(col), [])
    return found


def _page_templates(inputs: Inputs, site_config: dict[str, Any]) -> list[_Template]:
    result = []
    for page in sorted(inputs.pages(), key=lambda d: d.source):
        own = page.front_matter.get("pagination")
        if not (isinstance(own, dict) and own.get("enabled")):
            continue
        url = page.url
        folder = url if url.endswith("/") else posixpath.dirname(url).rstrip("/") + "/"
        result.append(_Template(source=page.source, config=deep_merge(site_config, own),
                                permalink=page.permalink, folder=folder))
    return result


def _layout_front_matter(inputs: Inputs, name: str) -> dict[str, Any] | None:
    path = inputs.root / "_layouts" / name
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}
    try:
        data = load_yaml(m.group(1) or "")
    except YamlError:
        return {}
    return data if isinstance(data, dict) else {}


def _index(docs: list[Document], key: str) -> dict[str, str]:
    """``AutoPages::Utils.ap_index_posts_by``: each lowercased key and the spelling it was first seen in."""
    found: dict[str, str] = {}
    for doc in docs:
        values = [doc.collection or ""] if key == "__coll" else list(doc.categories if key == "categories" else doc.tags)
        for value in values:
            for part in _SPLIT_KEYS.split(str(value).strip()):
                found.setdefault(part.lower().strip(), part)
    return found


def _autopages(inputs: Inputs, site_config: dict[str, Any], collections: dict[str, list[Document]],
               issues: list[Issue]) -> tuple[list[_Template], list[GeneratedPage]]:
    raw = inputs.config.get("autopages")
    config = deep_merge(AUTOPAGES_DEFAULT, raw if isinstance(raw, dict) else {})
    if not config.get("enabled"):
        return [], []
    every = [d for label in collections for d in collections[label] if "pagination" not in d.front_matter]
    templates: list[_Template] = []
    written: list[GeneratedPage] = []
    missing: set[str] = set()
    for kind, index_key, macro, filter_key in (("tags", "tags", ":tag", "tag"), ("categories", "categories", ":cat", "category"),
                                               ("collections", "__coll", ":coll", "collection")):
        sub = config.get(kind)
        if not isinstance(sub, dict) or not sub.get("enabled"):
            continue
        for key in _index(every, index_key):
            layouts = sub.get("layouts") or []
            for layout in layouts if isinstance(layouts, list) else [layouts]:
                front = _layout_front_matter(inputs, str(layout))
                if front is None:
                    missing.add(str(layout))
                    front = {}
                own_pagination = front.get("pagination") if isinstance(front.get("pagination"), dict) else {}
                page_config = deep_merge(site_config, own_pagination)
                page_config[filter_key] = key
                own_auto = front.get("autopages") if isinstance(front.get("autopages"), dict) else {}
                ap_config = deep_merge(sub, own_auto)
                slug = ap_config.get("slugify") if isinstance(ap_config.get("slugify"), dict) else {}
                mode = slug.get("mode")
                slugged = slugify(key, str(mode) if mode is not None else None, bool(slug.get("cased")))
                permalink = ruby_str(ap_config.get("permalink") or "").replace(macro, slugged, 1)
                url = posixpath.join(permalink, "index.html") if permalink else "index.html"
                source = None if str(layout) in missing else f"_layouts/{layout}"
                template = _Template(source=source, config=page_config, permalink=permalink, folder=permalink)
                if page_config.get("enabled"):
                    templates.append(template)
                else:
                    members = _filtered(collections, page_config)
                    written.append(GeneratedPage(
                        kind="archive", url=url, output_path=output_path(url, rb_extname(url) or ".html"),
                        generator=GEM, template=template.source, lists=_lists(page_config),
                        members=tuple(d.source for d in members), **_what(filter_key, key)))
    for layout in sorted(missing):
        issues.append(Issue("autopage-layout", "info", f"jekyll-paginate-v2 autopages: layout _layouts/{layout} "
                            "does not exist; Jekyll writes its pages anyway, without that layout", inputs.config_source))
    return templates, written


def _what(filter_key: str, key: str) -> dict[str, str]:
    return {"tag": key} if filter_key == "tag" else {"category": key} if filter_key == "category" else {}


def _lists(config: dict[str, Any]) -> str:
    value = config.get("collection")
    return ruby_str(value) if isinstance(value, str) else ",".join(ruby_str(v) for v in value or [])


def _docs_in(collections: dict[str, list[Document]], names: Any) -> list[Document]:
    wanted = _SPLIT.split(names) if isinstance(names, str) else [ruby_str(n) for n in names or []]
    docs: list[Document] = []
    for name in wanted:
        name = name.lower().strip()
        if name == "all":
            docs += [d for label, items in collections.items() if label != "posts" for d in items]
        else:
            docs += collections.get(name, [])
    return [d for d in docs if "pagination" not in d.front_matter and not d.front_matter.get("hidden")]


def _keys_of(doc: Document, key: str) -> set[str]:
    raw: Any = list(doc.categories) if key == "categories" else list(doc.tags) if key == "tags" else doc.front_matter.get(key)
    if not raw:
        return set()
    values = raw if isinstance(raw, list) else _SPLIT.split(str(raw))
    return {part.lower().strip() for v in values for part in _SPLIT_KEYS.split(str(v).lower().strip())}


def _filtered(collections: dict[str, list[Document]], config: dict[str, Any]) -> list[Document]:
    docs = _docs_in(collections, config.get("collection"))
    for config_key, doc_key in (("category", "categories"), ("tag", "tags"), ("locale", "locale")):
        value = config.get(config_key)
        if value is None:
            continue
        wanted = _SPLIT_KEYS.split(value) if isinstance(value, str) else list(value) if isinstance(value, list) else [value]
        for item in wanted:
            item_key = ruby_str(item).lower().strip()
            docs = [d for d in docs if item_key in _keys_of(d, doc_key)]
    return docs


def _sorted(docs: list[Document], config: dict[str, Any]) -> list[Document]:
    field = config.get("sort_field")
    if not field:
        return docs
    if str(field) == "date":
        docs = sorted(docs, key=lambda d: d.date.timestamp() if d.date else 0.0)
    else:
        def value(doc: Document) -> tuple[int, str]:
            current: Any = doc.front_matter
            for part in str(field).split(":"):
                if not isinstance(current, dict) or part not in current:
                    return (0, "")
                current = current[part]
            return (1, ruby_str(current).lower()) if current is not None and not isinstance(current, dict) else (0, "")
        docs = sorted(docs, key=value)
    offset = max(0, ruby_to_i(config.get("offset")))
    if offset:
        docs = docs[: max(0, len(docs) - offset)]
    if config.get("sort_reverse"):
        docs.reverse()
    return docs


def _full_path(url: str, index: str, ext: str) -> str:
    """``Utils.ensure_full_path``."""
    if url.endswith("/"):
        return url + index + ext
    if "." not in url:
        return url + index
    return url


def _join(first: str, rest: str) -> str:
    """Ruby's ``File.join`` of two strings: one slash between them."""
    return first.rstrip("/") + "/" + rest.lstrip("/") if first and rest else first + rest


def _paginate(inputs: Inputs, template: _Template, collections: dict[str, list[Document]],
              issues: list[Issue]) -> list[GeneratedPage]:
    config = template.config
    per_page = ruby_to_i(config.get("per_page"))
    if per_page <= 0:
        issues.append(Issue("pagination-config", "warning", f"jekyll-paginate-v2: per_page {config.get('per_page')!r} "
                            "stops Jekyll's build", template.source))
        return []
    docs = _sorted(_filtered(collections, config), config)
    total = math.ceil(len(docs) / per_page)
    limit = ruby_to_i(config.get("limit"))
    if 0 < limit < total:
        total = limit
    total = max(total, 1)
    index_name = "" if config.get("indexpage") is None else ruby_str(config["indexpage"]).split(".")[0]
    ext = config.get("extension")
    index_ext = "" if ext is None else (ruby_str(ext) if ruby_str(ext).startswith(".") else "." + ruby_str(ext))
    first = template.permalink if template.permalink else template.folder
    first = first if first.endswith("/") else first + "/"
    paginated = _join(first, ruby_str(config.get("permalink") or ""))
    result = []
    for number in range(1, total + 1):
        this = _full_path(first if number == 1 else paginated, index_name or "index", index_ext or ".html")
        page_path = this.replace(":num", str(number), 1).replace(":max", str(total), 1)
        if page_path.endswith("/"):
            url = _join(page_path, index_name + index_ext)
        elif page_path.endswith(index_ext):
            url = page_path
        else:
            url = page_path + index_ext
        name_ext = rb_extname(index_name + index_ext) if index_name + index_ext else ".html"
        members = docs[(number - 1) * per_page: number * per_page]
        result.append(GeneratedPage(
            kind="pagination", url=url, output_path=output_path(url, name_ext), generator=GEM,
            template=template.source, lists=_lists(config), page_number=number, total_pages=total,
            per_page=per_page, members=tuple(d.source for d in members),
            **{k: v for k, v in (("tag", _one(config.get("tag"))), ("category", _one(config.get("category")))) if v},
        ))
    return result


def _one(value: Any) -> str | None:
    if value is None:
        return None
    return ruby_str(value) if not isinstance(value, list) else ",".join(ruby_str(v) for v in value)
