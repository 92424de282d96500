"""jekyll-github-metadata, jekyll-last-modified-at and jekyll-avatar: our pages against real Jekyll's with
the real (Debian) plugins, offline, in the same environment.

Each fixture under ``tests/fixtures/`` is copied, set up for the case (configuration, environment, a git
repository) and built by ``jekyll build`` run in the copy, as a site's owner runs it; the reader reads the
same copy with the same environment, and every page's HTML is compared with what Jekyll wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from migrate.content.pipeline import ContentPipeline, identity_targets
from migrate.reader import read_site
from tests.content.htmlnorm import first_difference, normalise_html

pytestmark = pytest.mark.acceptance

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENV_KEYS = ("PAGES_REPO_NWO", "PAGES_ENV", "PAGE_BUILD_ID", "SSL", "SUBDOMAIN_ISOLATION", "PAGES_GITHUB_HOSTNAME",
            "PAGES_PAGES_HOSTNAME", "PAGES_HOSTNAME", "GITHUB_HOSTNAME", "PAGES_API_URL", "API_URL",
            "PAGES_HELP_URL", "HELP_URL", "JEKYLL_BUILD_REVISION", "JEKYLL_ENV", "PAGES_AVATARS_URL")


def git(folder: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env, timeout=60)


def build_and_compare(site: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, str]]:
    """Real Jekyll run in ``site`` with ``env``, and our HTML of every page it wrote: (pages, differences)."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    run_env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    run_env.update({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC", **env})
    run_env.setdefault("JEKYLL_ENV", "development")
    dest = site.parent / "_site-out"
    run = subprocess.run(["jekyll", "build", "--destination", str(dest), "--disable-disk-cache"], cwd=site,
                         capture_output=True, text=True, env=run_env, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("TZ", "UTC")
    ir_site = read_site(site)
    pipeline = ContentPipeline(ir_site, identity_targets(ir_site))
    differences: dict[str, str] = {}
    compared = 0
    for doc in ir_site.documents:
        if not doc.built_by_jekyll or not doc.url.endswith(("/", ".html")):
            continue
        path = unquote(doc.url).lstrip("/") + ("index.html" if doc.url.endswith("/") else "")
        theirs = (dest / path).read_text("utf-8")
        ours = pipeline.convert(doc, "html").body
        compared += 1
        if normalise_html(ours) != normalise_html(theirs):
            differences[doc.source] = first_difference(normalise_html(ours), normalise_html(theirs))
    return compared, differences


def fixture_copy(name: str, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / name, site)
    return site


# -- jekyll-github-metadata ---------------------------------------------------------------------------------

METADATA_CASES = {
    # repository: in the configuration, a development build (Jekyll's default): the Enterprise-style URL the
    # plugin builds outside GitHub's own builds, pages_hostname localhost:4000
    "config-repository": ("repository: octo-org/octo-repo\n", {}, None),
    # GitHub's own build: dotcom, a page build (site.url and site.baseurl fall back to the Pages URL), a
    # user site named by PAGES_REPO_NWO, HTTPS
    "pages-build-user-site": (
        "", {"PAGES_REPO_NWO": "Octo/octo.github.io", "PAGES_ENV": "dotcom", "PAGE_BUILD_ID": "42",
             "JEKYLL_ENV": "production", "SSL": "true"}, None),
    "dotcom-project-site": ("repository: octo-org/octo-repo\nbaseurl: /\n", {"PAGES_ENV": "dotcom", "PAGE_BUILD_ID": "7"},
                            None),
    # the git remote of the folder Jekyll runs in; name: without title keeps the title empty
    "git-remote": ("name: A named site\n", {}, "git@github.com:remote-owner/remote.repo.git"),
    "enterprise": ("repository: team/tool\n", {"PAGES_ENV": "enterprise", "PAGES_GITHUB_HOSTNAME": "ghe.example.com",
                                               "PAGES_PAGES_HOSTNAME": "pages.ghe.example.com",
                                               "SUBDOMAIN_ISOLATION": "true", "SSL": "true"}, None),
}


@pytest.mark.parametrize("case", sorted(METADATA_CASES))
def test_site_github_equals_jekyll_with_the_plugin_offline(case: str, tmp_path: Path, monkeypatch) -> None:
    """Every key of ``site.github`` the plugin computes offline, the title, url and baseurl it falls back to,
    and the keys the API would fill (empty), as real Jekyll with jekyll-github-metadata writes them."""
    extra, env, remote = METADATA_CASES[case]
    site = fixture_copy("github-metadata", tmp_path)
    config = site / "_config.yml"
    config.write_text(config.read_text("utf-8") + extra, "utf-8")
    if remote:
        git(site, "init", "-q")
        git(site, "remote", "add", "origin", remote)
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", "site")
    compared, differences = build_and_compare(site, env, monkeypatch)
    print(f"GITHUB_METADATA case={case} pages={compared} identical={compared - len(differences)}")
    assert compared == 3 and differences == {}


# -- jekyll-last-modified-at --------------------------------------------------------------------------------

MTIMES = {"index.md": 1_700_000_000, "formatted.md": 1_650_000_123, "_posts/2020-01-02-plain.md": 1_600_000_456,
          "_posts/2020-01-03-own.md": 1_500_000_789, "list.html": 1_400_000_000}
"""Modification times the test gives the files (seconds)."""


@pytest.mark.parametrize("case", ["modification-times", "git-commits", "config-format"])
def test_last_modified_at_equals_jekyll_with_the_plugin(case: str, tmp_path: Path, monkeypatch) -> None:
    """``page.last_modified_at`` and ``{% last_modified_at [FORMAT] %}`` on pages (over their front matter) and
    posts (under it), in the site's zone: from the files' modification times outside git; inside, from the
    last commit of each file, a file never committed falling back to its modification time."""
    site = fixture_copy("last-modified-at", tmp_path)
    if case == "config-format":
        config = site / "_config.yml"
        config.write_text(config.read_text("utf-8") + 'last-modified-at:\n  date-format: "%Y/%m/%d %H:%M"\n', "utf-8")
    for name, mtime in MTIMES.items():
        os.utime(site / name, (mtime, mtime))
    if case == "git-commits":
        git(site, "init", "-q")
        for n, name in enumerate(["index.md", "_posts/2020-01-02-plain.md", "formatted.md"]):
            stamp = f"{1_710_000_000 + n * 86_400 + 3_600} +0000"
            git(site, "add", name)
            env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
            subprocess.run(["git", "commit", "-q", "-m", name], cwd=site, check=True, capture_output=True,
                           env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                                    GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com", **env))
        for name, mtime in MTIMES.items():  # git add left them alone; list.html is never committed
            os.utime(site / name, (mtime, mtime))
    compared, differences = build_and_compare(site, {}, monkeypatch)
    print(f"LAST_MODIFIED_AT case={case} pages={compared} identical={compared - len(differences)}")
    assert compared == 5 and differences == {}


# -- jekyll-avatar ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["", "https://avatars.ghe.example.com/base"])
def test_avatars_equal_jekyll_with_the_plugin(host: str, tmp_path: Path, monkeypatch) -> None:
    """``{% avatar %}`` with a name, ``@name``, ``size=``, ``user=`` (a page's value, a nested one, an assigned
    one, an unknown one, a loop variable), Liquid in its argument and ``lazy=true``, in Markdown and HTML: the
    ``<img>`` real Jekyll with jekyll-avatar writes (its server picked from the path's CRC32, or
    ``PAGES_AVATARS_URL``)."""
    site = fixture_copy("avatar", tmp_path)
    env = {"PAGES_AVATARS_URL": host} if host else {}
    if not host:
        monkeypatch.delenv("PAGES_AVATARS_URL", raising=False)
    compared, differences = build_and_compare(site, env, monkeypatch)
    print(f"AVATAR host={host or 'github'} pages={compared} identical={compared - len(differences)}")
    assert compared == 3 and differences == {}


# -- jemoji's names ----------------------------------------------------------------------------------------

NPM_PREFIX = Path(os.environ.get("JM_NPM_PREFIX", "/opt/jm-npm"))
_GEMOJI_NAMES = """
import {gemoji} from %s;
const names = {};
for (const entry of gemoji) for (const name of entry.names) names[name] = entry.emoji;
process.stdout.write(JSON.stringify(names));
"""


def test_emoji_table_is_githubs_gemoji() -> None:
    """Every name jemoji knows (gemoji 4.1.0, as the npm package gemoji@8.1.0 lists it, which .ci/install.sh
    installs) and the emoji it stands for, and no other: migrate/content/gemoji.tsv (regenerate it from the
    same list)."""
    import json

    from migrate.content.emoji import table

    module = NPM_PREFIX / "node_modules" / "gemoji" / "index.js"
    assert module.is_file(), f"npm package gemoji not installed under {NPM_PREFIX} (.ci/install.sh)"
    run = subprocess.run(["node", "--input-type=module", "-e", _GEMOJI_NAMES % json.dumps(module.as_uri())],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    names = json.loads(run.stdout)
    ours = table()
    print(f"GEMOJI names={len(names)} ours={len(ours)} same={sum(1 for k, v in names.items() if ours.get(k) == v)}")
    assert ours == names
