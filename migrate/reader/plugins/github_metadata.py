"""jekyll-github-metadata: ``site.github`` as the plugin fills it with no network, and its fallbacks.

The plugin names the repository from ``PAGES_REPO_NWO``, then ``repository:`` of the configuration, then (in a
development or test build) the ``origin`` remote of the git repository Jekyll runs in. Everything it asks
GitHub's API for (the description, licence, owner's profile, contributors, releases, a custom domain) is what
it gets offline: nothing. The values below are the ones it computes from the repository's name and the
``PAGES_*`` environment it reads; the migration never uses the network.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from migrate.ir import Issue
from migrate.reader.config import deep_merge

NAME = "jekyll-github-metadata"

_DEFAULTS = {
    "PAGES_ENV": "development",
    "PAGES_API_URL": "https://api.github.com",
    "PAGES_HELP_URL": "https://help.github.com",
    "PAGES_GITHUB_HOSTNAME": "github.com",
    "PAGES_PAGES_HOSTNAME": "github.io",
    "SSL": "false",
    "SUBDOMAIN_ISOLATION": "false",
}
"""The plugin's ``Pages::DEFAULTS``."""

API_VALUES = {
    "project_tagline": None,
    "owner_display_name": None,
    "issues_url": None,
    "wiki_url": None,
    "language": None,
    "show_downloads": None,
    "private": None,
    "archived": None,
    "disabled": None,
    "license": None,
    "contributors": False,
    "releases": False,
    "latest_release": False,
    "organization_members": None,
    "public_repositories": None,
}
"""Keys the plugin asks GitHub's API for, as it leaves them when the API does not answer (its client returns
``false`` for a call; a missing record reads as nil). ``public_repositories`` stops the plugin's build
offline; nil here."""
OWNER_KEYS = (
    "avatar_url", "bio", "blog", "collaborators", "company", "created_at", "description", "email", "followers",
    "following", "has_organization_projects", "has_repository_projects", "hireable", "html_url", "id",
    "is_verified", "location", "login", "name", "node_id", "public_gists", "public_repos", "type", "updated_at",
)
"""``site.github.owner``: the owner's profile from the API, each key nil offline."""


class _Pages:
    """The plugin's ``Pages``: the GitHub instance and build environment, from environment variables."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def var(self, key: str, fallback: str | None = None) -> str | None:
        value = self.environ.get(key)
        return value if value else (fallback or _DEFAULTS.get(key))

    @property
    def env(self) -> str:
        return self.var("PAGES_ENV", self.environ.get("JEKYLL_ENV")) or "development"

    def is_(self, name: str) -> bool:
        return self.env == name

    @property
    def ssl(self) -> bool:
        return self.var("SSL") == "true" or self.is_("test")

    @property
    def scheme(self) -> str:
        return "https" if self.ssl else "http"

    @property
    def custom_domains(self) -> bool:
        return self.is_("dotcom") or self.is_("test")

    @property
    def github_hostname(self) -> str:
        return _trim(self.var("PAGES_GITHUB_HOSTNAME", self.environ.get("GITHUB_HOSTNAME")) or "")

    @property
    def pages_hostname(self) -> str:
        fallback = self.environ.get("PAGES_HOSTNAME") or ("localhost:4000" if self.is_("development") else None)
        return _trim(self.var("PAGES_PAGES_HOSTNAME", fallback) or "")

    @property
    def github_url(self) -> str:
        if self.is_("dotcom") or self.github_hostname == "github.com":
            return "https://github.com"
        return f"{self.scheme}://{self.github_hostname}"

    @property
    def api_url(self) -> str:
        return _trim(self.var("PAGES_API_URL", self.environ.get("API_URL")) or "")

    @property
    def help_url(self) -> str:
        return _trim(self.var("PAGES_HELP_URL", self.environ.get("HELP_URL")) or "")


def _truthy(value: Any) -> bool:
    """Ruby's truth: only nil and false are false."""
    return value is not None and value is not False


def _trim(url: str) -> str:
    return url.removesuffix("/")


class _Repository:
    """The plugin's ``Repository`` (and ``RepositoryCompat``) with no answer from the API."""

    def __init__(self, nwo: str, pages: _Pages) -> None:
        parts = nwo.split("/")
        while parts and parts[-1] == "":  # Ruby's split drops trailing empty fields
            parts.pop()
        self.nwo = nwo
        self.owner = parts[0] if parts else ""
        self.name = parts[-1] if parts else ""
        self.pages = pages

    @property
    def owner_url(self) -> str:
        return f"{self.pages.github_url}/{self.owner}"

    @property
    def repository_url(self) -> str:
        return f"{self.owner_url}/{self.name}"

    def default_user_domain(self) -> str:
        if not self.pages.is_("enterprise") and self.owner == "github":
            return f"{self.owner}.{self.pages.github_hostname}".lower()
        if self.pages.is_("enterprise"):
            return self.pages.pages_hostname.lower()
        return f"{self.owner}.{self.pages.pages_hostname}".lower()

    @property
    def user_page(self) -> bool:
        if self.pages.is_("enterprise"):
            return self.name.lower() == f"{self.owner.lower()}.{self.pages.github_hostname}"
        domains = [self.default_user_domain(), f"{self.owner}.github.com".lower()]
        return self.name.lower() in domains

    @property
    def source(self) -> dict[str, str]:
        return {"branch": "master" if self.user_page else "gh-pages", "path": "/"}

    @property
    def html_url(self) -> str:
        pages = self.pages
        if not pages.custom_domains:
            path = self.owner if self.user_page else self.nwo
            if pages.var("SUBDOMAIN_ISOLATION") == "true":
                url = urljoin(f"{pages.scheme}://{pages.pages_hostname}/", path)
            else:
                url = urljoin(f"{pages.github_url}/pages/", path)
        else:
            # no CNAME from the API; a project's domain is its owner's user domain (the API would say
            # whether the owner's own Pages repository names another)
            domain = self.default_user_domain()
            if pages.is_("enterprise"):
                scheme = pages.scheme
            elif self.owner == "github" and domain.endswith(".github.com"):
                scheme = "https"
            else:
                scheme = "http"
            url = f"{scheme}://{domain}" if self.user_page else urljoin(f"{scheme}://{domain}", self.name)
        return url.removesuffix("/")


@dataclass
class Metadata:
    """What the plugin adds to the site: ``site.github`` and the configuration's fallbacks."""

    github: Any
    """``site.github`` as Liquid sees it."""
    config: dict[str, Any]
    """The configuration with the plugin's fallbacks (``title``; ``url`` and ``baseurl`` in a production or
    Pages build)."""
    issues: list[Issue] = field(default_factory=list)


_REMOTE_LINE = re.compile(r"\Aorigin\t(.*) \([a-z]+\)")


def _git(args: list[str], folder: Path) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout if run.returncode == 0 else None


def nwo_from_remote(folder: Path, hostname: str) -> str | None:
    """``owner/name`` from the ``origin`` remote of the git repository ``folder`` is in, as the plugin reads it
    from ``git remote --verbose``."""
    out = _git(["remote", "--verbose"], folder) or ""
    urls = [_REMOTE_LINE.sub(r"\1", line) for line in out.strip().split("\n") if line.startswith("origin\t")]
    url = urls[0] if urls else ""
    url = url.removesuffix(".git")
    m = re.search(re.escape(hostname) + r"(:|/)([\w-]+)/([\w.-]+)", url, re.ASCII)
    return f"{m.group(2)}/{m.group(3)}" if m else None


def find_nwo(config: dict[str, Any], folder: Path, environ: Mapping[str, str], pages: _Pages) -> tuple[str | None, str]:
    """The repository's ``owner/name`` and where it came from, in the plugin's order."""
    if environ.get("PAGES_REPO_NWO"):
        return environ["PAGES_REPO_NWO"], "PAGES_REPO_NWO"
    repo = config.get("repository")
    if isinstance(repo, str) and "/" in repo:
        return repo, "repository: in the configuration"
    jekyll_env = environ.get("JEKYLL_ENV") or "development"
    if jekyll_env in ("development", "test"):
        found = nwo_from_remote(folder, pages.github_hostname)
        if found:
            return found, "the site's git remote origin"
    return None, ""


def _namespace(repo: _Repository | None, pages: _Pages, folder: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    revision = environ.get("JEKYLL_BUILD_REVISION")
    if revision is None:
        revision = (_git(["rev-parse", "HEAD"], folder) or "").strip()
    values: dict[str, Any] = {
        "environment": pages.env,
        "pages_env": pages.env,
        "hostname": pages.github_hostname,
        "pages_hostname": pages.pages_hostname,
        "api_url": pages.api_url,
        "help_url": pages.help_url,
        "versions": {},
        "build_revision": revision,
    }
    if repo is not None:
        source = repo.source
        html_url = repo.html_url
        values.update(API_VALUES)
        values.update(
            {
                "owner": dict.fromkeys(OWNER_KEYS),
                "project_title": repo.name,
                "repository_name": repo.name,
                "owner_name": repo.owner,
                "owner_url": repo.owner_url,
                "owner_gravatar_url": f"{repo.owner_url}.png",
                "repository_url": repo.repository_url,
                "repository_nwo": repo.nwo,
                "zip_url": f"{repo.repository_url}/zipball/{source['branch']}",
                "tar_url": f"{repo.repository_url}/tarball/{source['branch']}",
                "clone_url": f"{repo.repository_url}.git",
                "releases_url": f"{repo.repository_url}/releases",
                "is_user_page": repo.user_page,
                "is_project_page": not repo.user_page,
                "url": html_url,
                "baseurl": urlsplit(html_url).path,
                "source": source,
            }
        )
    return dict(sorted(values.items()))


def apply(config: dict[str, Any], folder: Path, where: str | None, environ: Mapping[str, str] | None = None) -> Metadata:
    """``site.github`` and the fallbacks the plugin sets, for a site whose build runs in ``folder`` with the
    environment ``environ`` (the process's by default, as the plugin reads it)."""
    environ = os.environ if environ is None else environ
    pages = _Pages(environ)
    nwo, origin = find_nwo(config, folder, environ, pages)
    repo = _Repository(nwo, pages) if nwo is not None else None
    namespace = _namespace(repo, pages, folder, environ)
    config = dict(config)
    issues: list[Issue] = []
    own = config.get("github")
    github: Any = namespace if own is None else deep_merge(namespace, copy.deepcopy(own)) if isinstance(own, dict) else own
    if repo is None:
        issues.append(
            Issue(
                "github-metadata-no-repository",
                "info",
                "jekyll-github-metadata finds no repository name (PAGES_REPO_NWO, repository: in the configuration, "
                "or an origin remote on GitHub): site.github has only "
                + ", ".join(k for k in namespace)
                + " (Jekyll stops the build where the site uses the others); set repository: owner/name",
                where,
            )
        )
    else:
        empty = sorted(k for k in API_VALUES if not isinstance(own, dict) or k not in own)
        issues.append(
            Issue(
                "github-metadata-offline",
                "info",
                f"site.github describes the repository {repo.nwo} (from {origin}) with what jekyll-github-metadata "
                "computes without GitHub's API; the migration never uses the network, so these stay empty as "
                "the plugin leaves them offline: " + ", ".join(empty) + ", and owner's profile",
                where,
            )
        )
        if not _truthy(config.get("title")) and not _truthy(config.get("name")):
            config["title"] = repo.name if not repo.user_page else repo.owner  # owner_display_name needs the API
        if (environ.get("JEKYLL_ENV") or "development") == "production" or environ.get("PAGE_BUILD_ID"):
            parts = urlsplit(namespace["url"])
            if not _truthy(config.get("url")):
                config["url"] = f"{parts.scheme}://{parts.netloc}"
            if config.get("baseurl") is None or config.get("baseurl") == "/":
                config["baseurl"] = parts.path
    config["github"] = github
    return Metadata(github, config, issues)
