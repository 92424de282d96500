"""Language plugins as they really build a site: jekyll-polyglot's one site per language, modelled on the IR.

jekyll-polyglot 1.5.1 (Debian's ``ruby-jekyll-polyglot``) runs Jekyll's whole ``process`` once per language of
``languages`` (plus ``default_lang``, in that order): the default language writes to the destination itself,
every other language to ``DEST/LANG/``, where it first leaves out the ``exclude_from_localization`` paths as if
``exclude`` named them. After reading, each pass keeps one document per URL (its ``coordinate_documents``):
the first one in the pass's own language, else the first one in the default language, else the last one in
any other language; ``lang-exclusive`` keeps a document out of the passes it does not name. The URL compared
is the document's own URL with every ``/LANG/`` or ``.LANG.`` of ``languages`` replaced by ``/``; the file
is still written at the document's own URL (Jekyll memoised it before the plugin changed the permalink).
A document's language is its ``lang`` (front matter or defaults), else, with ``lang_from_path``, a language-like
first folder (or second, under an underscore folder), else ``default_lang``.

Every page, document, redirect page, generated page and static file of a pass is written under that pass's
folder, so a document with no version of its own in a language is served there too (the fallback copy), and
so is every asset that is not excluded from localization. Each non-default pass empties its folder of files
it did not write itself (Jekyll's cleaner), except ``keep_files`` and the other languages' folders: what the
default pass wrote under ``LANG/`` survives only when pass LANG ran before it. With ``parallel_localization``
(the default) the passes race each other; this module takes the order of ``languages``, and says so. Without
it, the passes run in turn and the default pass starts from the documents the previous pass kept.

The result, on the IR: ``Site.languages``; each document's ``language``, its own URL (in its language's folder
when it has a site of its own), ``translations`` (same compared URL, other language), ``language_copies`` (the
other passes that wrote it), ``redirect_from`` of every pass; documents no pass wrote are no longer built;
per-language copies of static files and generated pages are ``GeneratedPage`` entries of ``Site.generated``
with the ``language`` they belong to (a static file's copy: ``kind="other"``, ``generator="jekyll-polyglot"``,
``template`` = the static file's source, ``lists=None``).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import re
from dataclasses import dataclass
from typing import Any

from migrate.ir import Document, GeneratedPage, Issue, Site, StaticFile
from migrate.reader.config import compile_patterns
from migrate.reader.rubyish import dest_path
from migrate.reader.urls import unescape_path

POLYGLOT = "jekyll-polyglot"
_LANG_SEGMENT = re.compile(r"^[a-z]{2,3}(:?[_-](:?[A-Za-z]{2}){1,2}){0,2}$")
"""``derive_lang_from_path``'s pattern, as the plugin writes it (``(:?`` is an optional colon, not a group)."""


def apply_languages(site: Site) -> Site:
    """``site`` as the language plugin it loads builds it; unchanged for a site without one."""
    if POLYGLOT in site.plugins:
        return _Polyglot(site).apply()
    return site


@dataclass
class _Write:
    lang: str
    url: str
    output: str | None


class _Polyglot:
    def __init__(self, site: Site) -> None:
        self.site = site
        config = site.config
        self.default = _text(config.get("default_lang"), "en")
        langs = config.get("languages", ["en"])
        langs = langs if isinstance(langs, list) else [langs]
        self.languages = list(dict.fromkeys(_text(x, "") for x in langs if x is not None))
        self.passes = list(dict.fromkeys(self.languages + [self.default]))
        """``all_langs``: the order the plugin processes (and, in parallel, starts) the languages."""
        self.parallel = config.get("parallel_localization", True) not in (False, None)
        self.from_path = config.get("lang_from_path", False) not in (False, None)
        raw_excl = config.get("exclude_from_localization", [])
        excl = [_text(e, "") for e in (raw_excl if isinstance(raw_excl, list) else [raw_excl]) if e is not None]
        # the plugin adds "/" to a folder name (tested relative to where Jekyll runs: the site folder here)
        self.excl_names = [e + "/" if e and not e.endswith("/") and os.path.isdir(os.path.join(site.source_dir, e))
                           else e for e in excl]
        include = [str(p) for p in (config.get("include") or []) if p is not None]
        self.excl = compile_patterns([e for e in self.excl_names if e and e not in include])
        self.include = compile_patterns(include)
        keep = config.get("keep_files") or []
        self.keep = [str(k) for k in (keep if isinstance(keep, list) else [keep])] + [
            lang for lang in self.languages if lang != self.default]
        alternatives = "|".join(f"([/.]{lang}[/.])" for lang in self.languages)
        try:
            self.url_regex: re.Pattern[str] | None = re.compile(alternatives) if alternatives else None
        except re.error:
            self.url_regex = re.compile("|".join(f"([/.]{re.escape(lang)}[/.])" for lang in self.languages))
        self.issues: list[Issue] = []
        self._raced: list[str] = []

    # -- the plugin's rules -------------------------------------------------------------------------------
    def lang_of(self, doc: Document) -> str:
        lang = doc.front_matter.get("lang")
        if lang not in (None, False, ""):
            return _text(lang, self.default)
        return self.lang_from_path(doc) or self.default

    def lang_from_path(self, doc: Document) -> str | None:
        if not self.from_path:
            return None
        rel = self._relative_path(doc)
        segments = rel.split("/")
        if rel.startswith("_") and len(segments) > 2 and _LANG_SEGMENT.match(segments[1]):
            return segments[1]
        if len(segments) > 1 and _LANG_SEGMENT.match(segments[0]):
            return segments[0]
        return None

    def _relative_path(self, doc: Document) -> str:
        """Jekyll's ``relative_path``: a collection document's path is relative to ``collections_dir``."""
        cdir = str(self.site.config.get("collections_dir") or "").strip("/")
        if doc.collection is not None and cdir and doc.source.startswith(cdir + "/"):
            return doc.source[len(cdir) + 1:]
        return doc.source

    def key(self, url: str) -> str:
        return self.url_regex.sub("/", url) if self.url_regex is not None else url

    def localized(self, source: str) -> bool:
        """Whether a non-default pass reads ``source`` (``exclude_from_localization`` joins ``exclude`` there)."""
        if not self.excl:
            return True
        parts = source.split("/")
        for i in range(len(parts)):
            entry = "/".join(parts[: i + 1])
            is_dir = i < len(parts) - 1
            if _glob(self.include, entry, is_dir) or _glob(self.include, parts[i], is_dir):
                continue
            if _glob(self.excl, entry, is_dir):
                return False
        return True

    def static_localized(self, static: StaticFile) -> bool:
        """``StaticFile#exclude_from_localization?`` on top of the reading rule: a plain prefix test."""
        return self.localized(static.source) and not any(
            e and static.source.startswith(e) for e in self.excl_names)

    def coordinate(self, lang: str, docs: list[tuple[Document, str]], file_langs: dict[str, str]) -> list[Document]:
        """``coordinate_documents`` for the pass of ``lang``: the documents it keeps, one per compared URL."""
        approved: dict[str, Document] = {}
        for doc, doc_lang in docs:
            url = self.key(doc.url)
            exclusive = doc.front_matter.get("lang-exclusive") or []
            exclusive = exclusive if isinstance(exclusive, list) else [exclusive]
            if file_langs.get(url) == lang:
                continue
            if file_langs.get(url) == self.default and doc_lang != lang:
                continue
            if exclusive and lang not in [_text(x, "") for x in exclusive]:
                continue
            approved[url] = doc
            file_langs[url] = doc_lang
        return list(approved.values())

    # -- the whole build -----------------------------------------------------------------------------------
    def apply(self) -> Site:
        site = self.site
        time = site.time or _dt.datetime.now(_dt.timezone.utc)
        # what Jekyll holds after reading: built documents, and those of a collection without output (not written,
        # yet they take part: one can keep a URL from the pages after it)
        quiet = {c.label for c in site.collections if not c.output}
        present = [d for d in site.documents
                   if d.built_by_jekyll or d.kind == "document" and d.collection in quiet and d.published]
        langs = {d.source: self.lang_of(d) for d in present}
        order = self._jekyll_order(present, time)
        writes: dict[str, list[_Write]] = {d.source: [] for d in present}
        redirects: dict[str, list[_Write]] = {d.source: [] for d in present}
        written_by: dict[str, set[str]] = {}
        """Output path -> the passes that wrote it (for the cleaner)."""
        claims: dict[str, list[str]] = {}
        file_langs: dict[str, str] = {}
        for lang in self.passes:
            if lang != self.default or self.parallel:
                file_langs = {}  # a fork starts from the parent's empty table; a non-default pass resets it
            candidates = [(d, langs[d.source]) for d in order if lang == self.default or self.localized(d.source)]
            for doc in self.coordinate(lang, candidates, file_langs):
                if doc.output_path is None:
                    continue
                url, out = self._in_pass(lang, doc.url, doc.output_path)
                writes[doc.source].append(_Write(lang, url, out))
                written_by.setdefault(out, set()).add(lang)
                claims.setdefault(out, []).append(doc.source)
                for old in doc.redirect_from:
                    rurl, rout = self._in_pass(lang, old, _redirect_output(old))
                    redirects[doc.source].append(_Write(lang, rurl, rout))
                    written_by.setdefault(rout, set()).add(lang)
                    claims.setdefault(rout, []).append(f"{doc.source} (redirect {old})")
        static_writes = self._static_writes(written_by)
        documents = tuple(self._document(d, langs, writes, redirects, written_by) for d in site.documents)
        translations = self._translations(documents, langs)
        documents = tuple(dataclasses.replace(d, translations=translations.get(d.source, ())) for d in documents)
        statics, copies = self._statics(static_writes, written_by)
        generated = self._generated_copies()
        if self.parallel and self._raced:
            self.issues.append(Issue(
                "polyglot-race", "warning",
                f"{len(self._raced)} files the default language writes into a language folder ({self._raced[0]} ...) "
                "are removed by that language's build when it runs after the default one: with "
                "parallel_localization the builds race, and the migration takes the order of 'languages'"))
        return dataclasses.replace(
            site,
            languages=tuple([self.default] + [lang for lang in self.passes if lang != self.default]),
            documents=documents,
            static_files=statics,
            generated=tuple(sorted(site.generated + copies + generated, key=lambda g: (g.url, g.output_path))),
            # two versions of one page in two languages are no collision: the per-language builds decide
            issues=tuple(i for i in site.issues if i.code != "url-collision") + self._collisions(claims)
            + tuple(self.issues),
        )

    @staticmethod
    def _collisions(claims: dict[str, list[str]]) -> tuple[Issue, ...]:
        found = []
        for path, owners in sorted(claims.items()):
            if len(owners) > 1:
                found.append(Issue("url-collision", "warning", f"{len(owners)} documents claim /{path} in one "
                                   f"language build: {', '.join(owners)}; the last one written wins",
                                   owners[0].split(" (", 1)[0]))
        return tuple(found)

    def _jekyll_order(self, docs: list[Document], time: _dt.datetime) -> list[Document]:
        """Collections in Jekyll's order (posts first), each sorted as ``Document#<=>`` does; then pages by name."""
        labels = ["posts"] + [c.label for c in self.site.collections if c.label != "posts"]
        ordered: list[Document] = []
        for label in labels:
            members = [d for d in docs if d.collection == label and d.kind != "page"]
            ordered += sorted(members, key=lambda d: (d.date or time, d.source))
        pages = [d for d in docs if d.kind == "page"]
        ordered += sorted(pages, key=lambda d: (d.source.rsplit("/", 1)[-1], d.source))
        return ordered

    def _in_pass(self, lang: str, url: str, output: str) -> tuple[str, str]:
        if lang == self.default:
            return url, output
        return f"/{lang}{url}", f"{lang}/{output}"

    def _survives(self, write: _Write, written_by: dict[str, set[str]]) -> bool:
        """Whether Jekyll's cleaner of a later language pass leaves a file the default pass wrote there."""
        if write.lang != self.default or write.output is None:
            return True
        first, _, rest = write.output.partition("/")
        if first not in self.languages or first == self.default or not rest:
            return True
        if self.passes.index(first) < self.passes.index(self.default):
            return True
        if first in written_by.get(write.output, set()):
            return True
        if any(rest.startswith(k) for k in self.keep if k):
            return True
        if write.output not in self._raced:
            self._raced.append(write.output)
        return False

    def _document(self, doc: Document, langs: dict[str, str], writes: dict[str, list[_Write]],
                  redirects: dict[str, list[_Write]], written_by: dict[str, set[str]]) -> Document:
        if doc.source not in writes:
            return doc
        lang = langs[doc.source]
        done = [w for w in writes[doc.source] if self._survives(w, written_by)]
        olds = tuple(dict.fromkeys(w.url for w in redirects[doc.source] if self._survives(w, written_by)))
        if not done:
            if doc.output_path is not None:
                self.issues.append(Issue(
                    "polyglot-not-written", "info",
                    "jekyll-polyglot writes this document in no language: another document with the same URL "
                    "takes its place in every language build (or lang-exclusive leaves it out)", doc.source))
            return dataclasses.replace(doc, language=lang, built_by_jekyll=doc.output_path is None and doc.built_by_jekyll,
                                       redirect_from=olds)
        own = next((w for w in done if w.lang == lang), None) or next(
            (w for w in done if w.lang == self.default), None) or done[0]
        copies = tuple((w.lang, w.url) for w in done if w is not own)
        return dataclasses.replace(doc, language=lang, url=own.url, output_path=own.output, language_copies=copies,
                                   redirect_from=olds)

    def _translations(self, documents: tuple[Document, ...], langs: dict[str, str]) -> dict[str, tuple[str, ...]]:
        groups: dict[str, list[Document]] = {}
        for doc in documents:
            if doc.source in langs and doc.served_by_jekyll:
                original = self.site.document(doc.source)
                groups.setdefault(self.key(original.url if original else doc.url), []).append(doc)
        result: dict[str, tuple[str, ...]] = {}
        for members in groups.values():
            for doc in members:
                others = sorted(o.source for o in members if o.language != doc.language)
                if others:
                    result[doc.source] = tuple(others)
        return result

    def _static_writes(self, written_by: dict[str, set[str]]) -> dict[str, list[_Write]]:
        result: dict[str, list[_Write]] = {}
        for static in self.site.static_files:
            if static.origin_url is not None:
                continue
            out = dest_path(unescape_path(static.url))
            items = [_Write(self.default, static.url, out)]
            written_by.setdefault(out, set()).add(self.default)
            if self.static_localized(static):
                for lang in self.passes:
                    if lang != self.default:
                        url, path = self._in_pass(lang, static.url, out)
                        items.append(_Write(lang, url, path))
                        written_by.setdefault(path, set()).add(lang)
            result[static.source] = items
        return result

    def _statics(self, static_writes: dict[str, list[_Write]], written_by: dict[str, set[str]]
                 ) -> tuple[tuple[StaticFile, ...], tuple[GeneratedPage, ...]]:
        statics: list[StaticFile] = []
        copies: list[GeneratedPage] = []
        for static in self.site.static_files:
            items = static_writes.get(static.source)
            if items is None:
                statics.append(static)
                continue
            done = [w for w in items if self._survives(w, written_by)]
            if not done:
                continue
            own = done[0]
            statics.append(static if own.url == static.url else dataclasses.replace(static, url=own.url))
            copies += [GeneratedPage(kind="other", url=w.url, output_path=w.output or "", generator=POLYGLOT,
                                     template=static.source, lists=None, language=w.lang) for w in done[1:]]
        return tuple(statics), tuple(copies)

    def _generated_copies(self) -> tuple[GeneratedPage, ...]:
        """Every page a generator made is made again by each language's build, in its folder."""
        result: list[GeneratedPage] = []
        for page in self.site.generated:
            if page.language is not None:
                continue
            if page.template and not self.localized(page.template):
                continue
            for lang in self.passes:
                if lang != self.default:
                    url, out = self._in_pass(lang, page.url, page.output_path)
                    result.append(dataclasses.replace(page, url=url, output_path=out, language=lang))
        return tuple(result)


def _redirect_output(old: str) -> str:
    """Where jekyll-redirect-from writes the redirect page of ``old``."""
    path = unescape_path(old)
    path = path + "index.html" if old.endswith("/") else (path if path.endswith(".html") else path + ".html")
    return dest_path(path)


def _glob(patterns: list[tuple[str, re.Pattern[str]]], entry: str, is_dir: bool) -> bool:
    """``EntryFilter#glob_include?`` for a site-relative entry."""
    entry = entry.lstrip("/")
    return any(rx.match(entry) or entry.startswith(text) or (is_dir and text == entry + "/") for text, rx in patterns)


def _text(value: Any, fallback: str) -> str:
    if value is None or value is False:
        return fallback
    if value is True:
        return "true"
    return str(value)


# -- jekyll-multiple-languages-plugin --------------------------------------------------------------------

MULTIPLE = "jekyll-multiple-languages-plugin"


def read_with_languages(reader: Any) -> Site:
    """``reader.read()`` (a :class:`migrate.reader.site.SiteReader`), as the site's language plugin builds it.

    jekyll-multiple-languages-plugin (1.7.0, Debian's ``ruby-jekyll-multiple-languages``) changes what is read,
    so the site is read again for each of its languages; jekyll-polyglot changes only what is written."""
    site = reader.read()
    if MULTIPLE in site.plugins and POLYGLOT not in site.plugins:
        return _MultipleLanguages(reader, site).apply()
    return apply_languages(site)


class _MultipleLanguages:
    """Jekyll's whole ``process`` once per language of ``languages``, the first the default one: the default
    writes to the destination (or ``DEST/LANG/`` with ``default_locale_in_subfolder``), every other language
    to ``DEST/LANG/``. Each build reads its posts from ``_i18n/LANG/_posts`` instead of ``_posts`` (unless
    ``exclude_from_localizations`` names ``_posts``) and drops the categories ``_i18n`` and ``LANG`` that
    folder gives them (from every document); a page's or document's ``permalink_LANG`` replaces its
    ``permalink`` (only where a ``permalink`` is set); ``.htaccess`` is no longer included; a non-default build
    copies no static file under a path ``exclude_from_localizations`` names (whole path segments)."""

    def __init__(self, reader: Any, site: Site) -> None:
        self.reader = reader
        self.site = site
        config = site.config
        langs = config.get("languages")
        langs = langs if isinstance(langs, list) else [langs] if langs else []
        self.languages = [_text(x, "") if x not in (None, False) else "" for x in langs]
        self.default = self.languages[0] if self.languages else ""
        raw = config.get("exclude_from_localizations") or []
        self.excluded = [_text(e, "") for e in (raw if isinstance(raw, list) else [raw]) if e is not None]
        self.translate_posts = "_posts" not in self.excluded
        self.subfolder = bool(config.get("default_locale_in_subfolder"))

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default and not self.subfolder else lang

    def apply(self) -> Site:
        if not self.languages or not all(self.languages):
            issue = Issue("language-config", "error", "jekyll-multiple-languages-plugin needs a list of languages "
                          "(the 'languages' setting): Jekyll stops without one")
            return dataclasses.replace(self.site, issues=self.site.issues + (issue,))
        passes = {lang: self._read(lang) for lang in self.languages}
        default_site = passes[self.default]
        docs: dict[str, list[tuple[str, Document]]] = {}
        for lang in self.languages:
            for doc in passes[lang].documents:
                docs.setdefault(doc.source, []).append((lang, doc))
        documents = []
        for source in sorted(docs):
            versions = docs[source]
            served = [(lang, d) for lang, d in versions if d.served_by_jekyll]
            own_lang, own = next(((lang, d) for lang, d in versions if lang == self.default), versions[0])
            if own not in [d for _, d in served] and served:
                own_lang, own = served[0]
            redirects = tuple(dict.fromkeys(r for _, d in served for r in d.redirect_from))
            documents.append(dataclasses.replace(
                own, language=self._post_language(source) or own_lang,
                language_copies=tuple((lang, d.url) for lang, d in served if d is not own),
                redirect_from=redirects))
        documents = self._translations(documents)
        copies = []
        for lang in self.languages:
            if lang == self.default:
                continue
            for static in passes[lang].static_files:
                if static.origin_url is None:
                    copies.append(GeneratedPage(kind="other", url=static.url, output_path=dest_path(unescape_path(
                        static.url)), generator=MULTIPLE, template=static.source, lists=None, language=lang))
            prefix = self.prefix(lang)  # each language's build runs the page-making plugins again, in its folder
            copies += [dataclasses.replace(page, url=f"/{prefix}{page.url}" if prefix else page.url,
                                           output_path=f"{prefix}/{page.output_path}" if prefix else page.output_path,
                                           language=lang)
                       for page in passes[lang].generated]
        issues = list(default_site.issues)
        for lang in self.languages:
            if lang != self.default:
                issues += [i for i in passes[lang].issues if (i.source or "").startswith(f"_i18n/{lang}/")]
        posts = {d.source for d in documents}
        for lang in self.languages:
            if not (self.reader.root / "_i18n" / f"{lang}.yml").is_file():
                issues.append(Issue("language-config", "error", f"jekyll-multiple-languages-plugin loads the "
                                    f"translations of {lang!r} from _i18n/{lang}.yml, which is missing: Jekyll stops "
                                    "the build", "_config.yml"))
        if self.translate_posts and (self.reader.root / "_posts").is_dir():
            issues.append(Issue("language-posts-folder", "info", "jekyll-multiple-languages-plugin reads each "
                                "language's posts from _i18n/LANG/_posts: Jekyll builds none of the posts here", "_posts"))
        return dataclasses.replace(
            default_site,
            languages=tuple(self.languages),
            documents=tuple(documents),
            generated=tuple(sorted(default_site.generated + tuple(copies), key=lambda g: (g.url, g.output_path))),
            other_files=tuple(o for o in default_site.other_files if o.source not in posts),
            issues=tuple(issues),
        )

    def _post_language(self, source: str) -> str | None:
        parts = source.split("/")
        if len(parts) > 3 and parts[0] == "_i18n" and parts[2] == "_posts" and parts[1] in self.languages:
            return parts[1]
        return None

    def _translations(self, documents: list[Document]) -> list[Document]:
        """A post of ``_i18n/ru/_posts/x.md`` and one of ``_i18n/en/_posts/x.md`` are one post in two languages."""
        groups: dict[str, list[str]] = {}
        for doc in documents:
            if self._post_language(doc.source) and doc.served_by_jekyll:
                parts = doc.source.split("/")
                groups.setdefault("/".join(parts[2:]), []).append(doc.source)
        result = []
        for doc in documents:
            lang = self._post_language(doc.source)
            if lang and doc.served_by_jekyll:
                others = sorted(s for s in groups["/".join(doc.source.split("/")[2:])] if s != doc.source)
                doc = dataclasses.replace(doc, translations=tuple(others))
            result.append(doc)
        return result

    def _read(self, lang: str) -> Site:
        """One language's build: the reader's own pipeline (:meth:`SiteReader.read_build`) with the plugin's
        changes as its hooks."""
        from migrate.reader.documents import liquid_data
        from migrate.reader.permalinks import entry_url
        from migrate.reader.walk import Walk

        reader = self.reader
        plugin = self

        def without_htaccess(settings: Any) -> Any:
            include = tuple(p for p in settings.include if p != ".htaccess")
            return dataclasses.replace(settings, include=include, include_patterns=compile_patterns(list(include)))

        class LanguageWalk(Walk):  # type: ignore[misc]
            def _read_posts(self, rel_dir: str, magic: str) -> None:
                if rel_dir == "" and magic == "_posts" and plugin.translate_posts:
                    rel_dir = f"_i18n/{lang}"
                super()._read_posts(rel_dir, magic)

        def localize(settings: Any, entries: list[Any]) -> None:
            for entry in entries:
                changed = False
                if entry.kind != "page" and isinstance(entry.data.get("categories"), list):
                    kept = [c for c in entry.data["categories"] if c not in ("_i18n", lang)]
                    changed = kept != entry.data["categories"]
                    entry.data["categories"] = kept
                data = liquid_data(settings, entry)
                own = data.get(f"permalink_{lang}")
                if data.get("permalink") is not None and own is not None:
                    entry.data["permalink"] = own
                    changed = True
                if changed:
                    entry_url(settings, entry)

        issues: list[Issue] = []
        built = reader.read_build(issues, adjust_settings=without_htaccess, walk_class=LanguageWalk,
                                  adjust_entries=localize, jobs=1)
        prefix = self.prefix(lang)
        if not prefix:
            return built
        documents = tuple(dataclasses.replace(
            d, url=f"/{prefix}{d.url}", output_path=f"{prefix}/{d.output_path}" if d.output_path else None,
            redirect_from=tuple(f"/{prefix}{r}" for r in d.redirect_from)) for d in built.documents)
        statics = tuple(dataclasses.replace(s, url=f"/{prefix}{s.url}") for s in built.static_files
                        if lang == self.default or not self._static_excluded(s))
        return dataclasses.replace(built, documents=documents, static_files=statics)

    def _static_excluded(self, static: StaticFile) -> bool:
        parts = static.source.split("/")
        prefixes = {"/".join(parts[: i + 1]) for i in range(len(parts))}
        return any(e in prefixes for e in self.excluded)
