"""Properties of the redirect map and its escaping, over generated sites and paths."""

from __future__ import annotations

import re
from urllib.parse import unquote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.ir import Document, Site
from migrate.redirects import build_redirect_map, render_redirects
from migrate.redirects.core import encode_path, is_absolute, same_page
from migrate.redirects.formats import ghost_pattern, regex_escape
from tests.support.budget import examples

SEGMENT = st.text(
    alphabet=st.sampled_from(list("abcxyz019-_.~()+$;'[]{}*! ") + ["é", "ж", "日"]), min_size=1, max_size=6
).filter(lambda s: s not in (".", "..") and s.strip() == s)
ENDING = st.sampled_from(["/", ".html", ""])


@st.composite
def urls(draw: st.DrawFn) -> str:
    segments = draw(st.lists(SEGMENT, min_size=1, max_size=3))
    return encode_path("/" + "/".join(segments) + draw(ENDING))


@st.composite
def sites(draw: st.DrawFn) -> tuple[Site, dict[str, str]]:
    n = draw(st.integers(min_value=1, max_value=8))
    docs, new_urls = [], {}
    pool = [draw(urls()) for _ in range(n + 3)]
    for i in range(n):
        url = draw(st.sampled_from(pool))
        redirect_from = tuple(draw(st.lists(st.sampled_from(pool), max_size=2)))
        redirect_to = draw(st.one_of(st.none(), st.sampled_from(pool), st.just("https://example.org/x")))
        kind = draw(st.sampled_from(["page", "post"]))
        source = f"d{i}.md"
        docs.append(Document(kind=kind, source=source, url=url, output_path="x", title=source, slug=source,
                             redirect_from=redirect_from, redirect_to=redirect_to))
        if draw(st.booleans()):
            new_urls[source] = draw(st.sampled_from(pool + [draw(urls())]))
    return Site(source_dir="/nowhere", url="https://old.example", documents=tuple(docs)), new_urls


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_map_invariants(case: tuple[Site, dict[str, str]]) -> None:
    site, new_urls = case
    m = build_redirect_map(site, new_urls)
    sources = [r.source for r in m.rules]
    assert sources == sorted(set(sources))  # sorted, one rule per source
    by_source = m.as_dict()
    for rule in m.rules:
        assert not same_page(rule.source, rule.target)  # no identities
        if not is_absolute(rule.target):
            bare = rule.target.split("#", 1)[0]
            assert bare not in by_source and bare.split("?", 1)[0] not in by_source  # chains collapsed
    assert m == build_redirect_map(site, dict(reversed(list(new_urls.items()))))  # deterministic
    for fmt in ("nginx", "apache", "caddy", "netlify", "vercel", "ghost", "csv", "json"):
        assert render_redirects(m, fmt)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_regex_escape_matches_exactly_itself(text: str, other: str) -> None:
    pattern = re.compile(regex_escape(text))
    assert pattern.fullmatch(text)
    if other != text:
        assert not pattern.fullmatch(other)
    assert re.fullmatch(ghost_pattern(text), text)


@settings(max_examples=examples(100), deadline=None)
@given(urls())
def test_apache_pattern_matches_the_decoded_path_only(url: str) -> None:
    from migrate.redirects import Redirect, RedirectMap

    text = render_redirects(RedirectMap((Redirect(url, "/target/"),)), "apache")[".htaccess"].decode()
    (line,) = [ln for ln in text.splitlines() if ln.startswith("RewriteRule ")]
    pattern = re.match(r'RewriteRule "((?:[^"\\]|\\.)*)"', line).group(1).replace('\\"', '"')  # type: ignore[union-attr]
    decoded = unquote(url).lstrip("/")
    assert re.fullmatch(pattern, decoded)
    assert not re.fullmatch(pattern, decoded + "x")


_URL_TEXT = st.lists(
    st.sampled_from(list("/a:%2Fé?#\t\n /.-_~@!$&'()*+,;=[]") + ["%C3%A9", "%2f", "http://"]), max_size=12
).map("".join)


def _outcome(func, arg):  # the value, or the error it raised
    try:
        return func(arg)
    except ValueError as exc:
        return ("ValueError", str(exc))


@given(_URL_TEXT)
def test_url_helpers_give_what_urllib_gives(url: str) -> None:
    """The shortcuts for plain paths agree with the long way through urllib."""
    from urllib.parse import quote, urlsplit

    from migrate.redirects import core

    def encode_path_long(path: str) -> str:
        return quote(unquote(path), safe=core._PATH_SAFE)

    def normalise_long(url: str) -> str:
        parts = urlsplit(url if url.startswith("/") else "/" + url)
        out = encode_path_long(parts.path or "/")
        if parts.query:
            out += "?" + core.encode_query(parts.query)
        if parts.fragment:
            out += "#" + quote(parts.fragment, safe=core._QUERY_SAFE + "%")
        return out

    def decoded_long(source: str) -> str | None:
        path, sep, query = source.partition("?")
        raw = unquote(path)
        if "%2f" in path.lower() or raw == path or any(c in raw for c in "%?#"):
            return None
        return None if any(ord(c) < 32 or ord(c) == 127 for c in raw) else raw + sep + query

    assert _outcome(core.encode_path, url) == _outcome(encode_path_long, url)
    assert _outcome(core.normalise_relative, url) == _outcome(normalise_long, url)
    assert _outcome(is_absolute, url) == _outcome(lambda u: u.startswith("//") or bool(urlsplit(u).scheme), url)
    assert core.decoded_form(url) == decoded_long(url)
