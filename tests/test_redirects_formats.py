"""Every redirect format renders a map that its reader can parse, with exact matches and careful escaping."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import unquote

import pytest
import yaml

from migrate.errors import OptionError
from migrate.ir import Document, Site
from migrate.redirects import FORMATS, RedirectMap, build_redirect_map, render_redirects
from migrate.redirects.formats import ghost_pattern, regex_escape

ODD = "/odd/(paren)+plus$dollar;semi'quote[x]{y}*.html"


def _doc(source: str, url: str, **kw: object) -> Document:
    return Document(kind="page", source=source, url=url, output_path=url.lstrip("/") or "index.html",
                    title=source, slug=source, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def redirect_map() -> RedirectMap:
    site = Site(
        source_dir="/nowhere",
        url="https://old.example",
        documents=(
            _doc("a.md", "/a.html", redirect_from=("/index.php?p=12", "/old page/")),
            _doc("ru.md", "/ru/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/"),
            _doc("odd.md", ODD),
            _doc("q.md", "/q/", redirect_to="/a.html?x=1#frag"),
            _doc("ext.md", "/ext/", redirect_to="https://example.org/elsewhere"),
        ),
    )
    return build_redirect_map(site, {"a.md": "/a/", "ru.md": "/ru/new/", "odd.md": "/odd-new/"})


def render(m: RedirectMap, fmt: str) -> dict[str, bytes]:
    return render_redirects(m, fmt, old_site_url="https://old.example", new_site_url="https://new.example")


def test_every_format_is_registered() -> None:
    assert sorted(FORMATS) == sorted(
        ["apache", "caddy", "cloudflare", "csv", "ghost", "html", "json", "netlify", "nginx", "vercel",
         "wordpress-redirection"]
    )


def test_unknown_format_is_an_option_error(redirect_map: RedirectMap) -> None:
    with pytest.raises(OptionError, match="unknown redirect format 'iis'"):
        render_redirects(redirect_map, "iis")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_is_deterministic_utf8(redirect_map: RedirectMap, fmt: str) -> None:
    one, two = render(redirect_map, fmt), render(redirect_map, fmt)
    assert one == two and one
    for content in one.values():
        content.decode("utf-8")


def test_map_covers_the_awkward_sources(redirect_map: RedirectMap) -> None:
    d = redirect_map.as_dict()
    assert d["/index.php?p=12"] == "/a/"
    assert d["/old page/"] == d["/old%20page/"] == "/a/"
    assert d["/ru/привет/"] == "/ru/new/"
    assert d["/q/"] == "/a/?x=1#frag"  # chain collapsed, query and fragment kept
    assert d["/odd/(paren)+plus$dollar;semi'quote%5Bx%5D%7By%7D*.html"] == "/odd-new/"


def test_json_round_trips(redirect_map: RedirectMap) -> None:
    data = json.loads(render(redirect_map, "json")["redirects.json"])
    assert RedirectMap.from_dict(data) == redirect_map


def test_csv_reads_back(redirect_map: RedirectMap) -> None:
    rows = list(csv.DictReader(io.StringIO(render(redirect_map, "csv")["redirects.csv"].decode())))
    assert [(r["source"], r["target"], int(r["status"])) for r in rows] == [
        (r.source, r.target, r.status) for r in redirect_map.rules
    ]


def test_netlify_lines(redirect_map: RedirectMap) -> None:
    lines = [ln for ln in render(redirect_map, "netlify")["_redirects"].decode().splitlines() if not ln.startswith("#")]
    assert "/index.php p=12 /a/ 301" in lines
    assert "/old%20page/ /a/ 301" in lines
    for line in lines:
        fields = line.split()
        assert fields[-1] == "301" and fields[0].startswith("/") and len(fields) in (3, 4)
        assert all(ord(c) < 128 for c in line)


def _nginx_locations(text: str) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("location = "):
            m = re.fullmatch(r'location = "((?:[^"\\]|\\.)*)" \{', line)
            assert m, line
            current = re.sub(r"\\(.)", r"\1", m.group(1))
            blocks[current] = []
        elif line == "}":
            current = None
        elif current is not None:
            blocks[current].append(line.strip())
    return blocks


def test_nginx_exact_locations_on_decoded_paths(redirect_map: RedirectMap) -> None:
    text = render(redirect_map, "nginx")["redirects.nginx.conf"].decode()
    assert text.count("{") == text.count("}")
    blocks = _nginx_locations(text)
    assert blocks["/old page/"] == ['return 301 "/a/";']  # raw and %20 spellings share one location
    assert blocks["/ru/привет/"] == ['return 301 "/ru/new/";']
    assert blocks["/index.php"] == ['if ($args = "p=12") { return 301 "/a/"; }']
    assert unquote("/odd/(paren)+plus$dollar;semi'quote%5Bx%5D%7By%7D*.html") in blocks
    # every old path once
    decoded = {unquote(r.source.split("?")[0]) for r in redirect_map.rules}
    assert set(blocks) == decoded


def test_nginx_return_never_expands_a_variable() -> None:
    m = RedirectMap((build_redirect_map.__globals__["Redirect"]("/x", "/price$5/"),))
    assert 'return 301 "/price%245/";' in render(m, "nginx")["redirects.nginx.conf"].decode()


def test_apache_rules_match_exactly_their_decoded_path(redirect_map: RedirectMap) -> None:
    text = render(redirect_map, "apache")[".htaccess"].decode()
    rules = re.findall(r'^RewriteRule "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)" \[(.*)\]$', text, re.MULTILINE)
    assert len(rules) == len({unquote(r.source) for r in redirect_map.rules})
    for pattern, _target, flags in rules:
        assert flags == "R=301,L,NE,QSD"
        assert pattern.startswith("^") and pattern.endswith("$")
    patterns = [re.compile(p) for p, _, _ in rules]
    odd = unquote("odd/(paren)+plus$dollar;semi'quote%5Bx%5D%7By%7D*.html")
    assert sum(1 for p in patterns if p.fullmatch(odd)) == 1
    assert not any(p.fullmatch("odd/paren+plus") for p in patterns)
    assert not any(p.fullmatch("aXhtml") for p in patterns)
    assert 'RewriteCond %{QUERY_STRING} "=p=12"\nRewriteRule "^index\\.php$" "/a/"' in text
    assert 'RewriteRule "^old page/$" "/a/"' in text


def test_apache_substitution_escapes_backreferences() -> None:
    from migrate.redirects import Redirect

    m = RedirectMap((Redirect("/x", "/a%20b$1/"),))
    assert '"/a\\%20b\\$1/"' in render(m, "apache")[".htaccess"].decode()


def test_caddy_blocks(redirect_map: RedirectMap) -> None:
    text = render(redirect_map, "caddy")["redirects.caddy"].decode()
    assert text.count("{") - text.count("\\{") == text.count("}") - text.count("\\}")
    assert 'path "/old page/"' in text
    assert "expression {http.request.uri.query} == \"p=12\"" in text
    assert text.count("redir @jm") == len({(unquote(r.source.split("?")[0]), "?" in r.source) for r in redirect_map.rules})


def test_cloudflare_csv(redirect_map: RedirectMap) -> None:
    rows = list(csv.reader(io.StringIO(render(redirect_map, "cloudflare")["cloudflare-bulk-redirects.csv"].decode())))
    assert all(len(r) == 7 and r[0].startswith("old.example/") for r in rows)
    assert ["old.example/old%20page/", "https://new.example/a/", "301", "FALSE", "FALSE", "FALSE", "FALSE"] in rows
    assert not any("?" in r[0] for r in rows)  # Cloudflare refuses query strings in a source URL
    with pytest.raises(OptionError):
        render_redirects(redirect_map, "cloudflare")


def test_vercel_json(redirect_map: RedirectMap) -> None:
    data = json.loads(render(redirect_map, "vercel")["vercel.json"])
    by_source = {r["source"]: r for r in data["redirects"]}
    assert by_source["/index.php"]["has"] == [{"type": "query", "key": "p", "value": "12"}]
    odd = "/odd/\\(paren\\)\\+plus$dollar;semi'quote%5Bx%5D%7By%7D\\*.html"
    assert by_source[odd]["destination"] == "/odd-new/"
    assert all(r["statusCode"] == 301 for r in data["redirects"])


def test_html_stub_pages(redirect_map: RedirectMap) -> None:
    files = render(redirect_map, "html")
    assert "a.html" in files and "a.html" in files and "ru/привет/index.html" in files and "old page/index.html" in files
    page = files["ru/привет/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=https://new.example/ru/new/">' in page
    assert '<link rel="canonical" href="https://new.example/ru/new/">' in page
    assert files["ext/index.html"].decode().count("https://example.org/elsewhere") == 4
    assert not any("?" in name for name in files)


def test_wordpress_redirection(redirect_map: RedirectMap) -> None:
    out = render(redirect_map, "wordpress-redirection")
    rows = list(csv.reader(io.StringIO(out["redirection.csv"].decode())))
    assert rows[0] == ["source", "target", "regex", "code"]
    assert all(r[2] == "0" and r[3] == "301" for r in rows[1:])
    data = json.loads(out["redirection.json"])
    assert set(data) == {"plugin", "groups", "redirects"}
    assert data["groups"][0]["redirects"] == len(data["redirects"]) == len(rows) - 1
    assert all(r["regex"] is False and r["group_id"] == 1 for r in data["redirects"])


def test_ghost_yaml_and_json_agree(redirect_map: RedirectMap) -> None:
    out = render(redirect_map, "ghost")
    doc = yaml.safe_load(out["redirects.yaml"])
    entries = json.loads(out["redirects.json"])
    assert set(doc) == {301}
    assert doc[301] == {e["from"]: e["to"] for e in entries}
    for entry in entries:
        pattern = re.compile(entry["from"])
        assert entry["from"].startswith("^") and entry["from"].endswith("$")
        matched = [r for r in redirect_map.rules if pattern.search(r.source)]
        assert len(matched) == 1 and matched[0].target == entry["to"]
        assert all(ord(c) < 128 for c in entry["from"])  # non-ASCII paths percent-encoded


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("/a.html", "/a\\.html"), ("/a(b)+c", "/a\\(b\\)\\+c"), ("/a?b=1", "/a\\?b=1"), ("/a$^|", "/a\\$\\^\\|")],
)
def test_regex_escape(text: str, escaped: str) -> None:
    assert regex_escape(text) == escaped
    assert re.fullmatch(regex_escape(text), text)
    assert ghost_pattern(text) == "^" + escaped + "$"


@pytest.fixture(scope="module")
def rewrite_map() -> RedirectMap:
    site = Site(
        source_dir="/nowhere",
        url="https://old.example",
        documents=(
            Document(kind="post", source="p.md", url="/ru/pr-blog/p", output_path="ru/pr-blog/p.html", title="p",
                     slug="p", redirect_from=("/ru/pr-blog/p?from=old",)),
            Document(kind="post", source="u.md", url="/%D0%B0/b", output_path="а/b.html", title="u", slug="u"),
        ),
    )
    return build_redirect_map(site, {"p.md": "/ru/pr-blog/p", "u.md": "/%D0%B0/b"})


def test_rewrites_on_hosts_without_html_lookup(rewrite_map: RedirectMap) -> None:
    """nginx, Apache, Caddy and Vercel answer /x with x.html only through a rule: an internal rewrite,
    never a redirect; Netlify and Cloudflare Pages look x.html up themselves."""
    assert len(rewrite_map.rewrites) == 2
    nginx = _nginx_locations(render(rewrite_map, "nginx")["redirects.nginx.conf"].decode())
    assert nginx["/ru/pr-blog/p"][-1] == 'try_files "/ru/pr-blog/p.html" =404;'
    assert nginx["/ru/pr-blog/p"][0].startswith('if ($args = "from=old") { return 301')
    assert nginx["/а/b"] == ['try_files "/а/b.html" =404;']
    apache = render(rewrite_map, "apache")[".htaccess"].decode()
    assert 'RewriteRule "^ru/pr-blog/p$" "/ru/pr-blog/p.html" [END]' in apache
    assert 'RewriteRule "^а/b$" "/а/b.html" [END]' in apache
    # the query rule on the same path comes first, or the rewrite would end the round before it
    assert apache.index('%{QUERY_STRING} "=from=old"') < apache.index('"^ru/pr-blog/p$" "/ru/pr-blog/p.html"')
    caddy = render(rewrite_map, "caddy")["redirects.caddy"].decode()
    assert '@jm2 {\n    path "/а/b"\n}\nrewrite @jm2 "/а/b.html"\n' in caddy
    assert '@jm3 {\n    path "/ru/pr-blog/p"\n}\nrewrite @jm3 "/ru/pr-blog/p.html"\n' in caddy
    vercel = json.loads(render(rewrite_map, "vercel")["vercel.json"])
    assert vercel["rewrites"] == [{"source": "/%D0%B0/b", "destination": "/%D0%B0/b.html"},
                                  {"source": "/ru/pr-blog/p", "destination": "/ru/pr-blog/p.html"}]
    netlify = render(rewrite_map, "netlify")["_redirects"].decode()
    assert " 200" not in netlify and "look up x.html themselves" in netlify
    for fmt in ("html", "cloudflare", "csv", "ghost", "wordpress-redirection"):
        for content in render(rewrite_map, fmt).values():
            assert b"p.html" not in content, fmt  # a rewrite is no redirect and no stub


def test_html_stubs_of_extensionless_urls_are_files_with_no_folder_beside() -> None:
    """Moved extensionless pages: each old /x gets the stub x.html, where Jekyll wrote the page, and no
    folder x/ appears beside it (GitHub Pages would answer /x with x.html first, other hosts with x/)."""
    site = Site(
        source_dir="/nowhere",
        url="https://old.example",
        documents=(
            Document(kind="post", source="p.md", url="/ru/pr-blog/p", output_path="ru/pr-blog/p.html", title="p",
                     slug="p", redirect_from=("/old-p",)),
            Document(kind="page", source="a.md", url="/about", output_path="about.html", title="a", slug="a"),
        ),
    )
    files = render(build_redirect_map(site, {"p.md": "/posts/p/", "a.md": "/about/"}), "html")
    assert {"ru/pr-blog/p.html", "old-p.html", "about.html"} <= set(files)
    folders = {"/".join(name.split("/")[:n]) for name in files for n in range(1, name.count("/") + 1)}
    assert "ru/pr-blog" in folders
    assert not folders & {"ru/pr-blog/p", "old-p", "about"}
