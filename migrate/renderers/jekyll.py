"""The site's own Jekyll as renderer: build a copy of the site with its plugins and read back each document's
content before its layout, through a small recorder plugin of ours (``ruby/jekyll_migrate_recorder.rb``).

It runs the site's Ruby code (``_plugins``, gems), so it only ever runs when asked (``--renderer jekyll``).
The site folder is never written: Jekyll builds a copy in a temporary folder, removed afterwards.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from migrate.errors import MigrateError
from migrate.ir import Issue, Site
from migrate.renderers import GeneratedBody, RenderedBody, Rendering

log = logging.getLogger(__name__)

RECORDER_DIR = Path(__file__).resolve().parent / "ruby"
DEFAULT_TIMEOUT = 600.0
"""Seconds a Jekyll build may take before it is stopped (``--renderer-timeout``)."""
_NOT_COPIED = {".git", ".hg", ".svn", ".jekyll-cache", ".sass-cache", ".jekyll-metadata"}
_STYLESHEETS = (".scss", ".sass")


class RendererError(MigrateError):
    """The site's Jekyll could not render the site (missing, failed, timed out)."""

    category = "renderer"


def render_with_jekyll(
    site: Site,
    *,
    drafts: bool = False,
    future: bool = False,
    unpublished: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    environment: str = "development",
) -> Rendering:
    """Build a copy of ``site`` with its own Jekyll and return every document's body before its layout.

    Raises :class:`RendererError` (one line) when Jekyll is missing, fails or runs over ``timeout`` seconds.
    """
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        raise RendererError("--renderer jekyll: the jekyll command is not on the PATH (install Jekyll, or use "
                            "--renderer jekyll,builtin to fall back to the built-in renderer)")
    started = time.monotonic()
    notes: list[Issue] = []
    with tempfile.TemporaryDirectory(prefix="jekyll-migrate-render-") as tmp:
        work = Path(tmp)
        copy = work / "site"
        root = Path(site.source_dir)
        destination = str(site.config.get("destination") or "_site")
        ignore_top = {destination.strip("/").split("/")[0]} if not Path(destination).is_absolute() else set()
        try:
            shutil.copytree(root, copy, symlinks=True,
                            ignore=lambda folder, names: [n for n in names if n in _NOT_COPIED
                                                          or (Path(folder) == root and n in ignore_top)])
            skipped = _empty_stylesheets(copy)
        except (OSError, shutil.Error) as exc:
            raise RendererError(f"--renderer jekyll: the site could not be copied for Jekyll: "
                                f"{str(exc).splitlines()[0][:300]}") from exc
        command, bundled = _command(copy, jekyll, timeout)
        config, missing = _config(site, copy, work / "_site", bundled, notes)
        config_path = work / "jekyll-migrate-config.yml"
        config_path.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
        out = work / "rendered.json"
        command += ["build", "--config", str(config_path), "--disable-disk-cache"]
        command += [flag for flag, on in (("--drafts", drafts), ("--future", future),
                                          ("--unpublished", unpublished)) if on]
        env = {**os.environ, "JEKYLL_MIGRATE_RENDER_OUT": str(out), "JEKYLL_ENV": environment,
               "JEKYLL_MIGRATE_MISSING_PLUGINS": ",".join(missing),
               "LANG": os.environ.get("LANG") or "C.UTF-8", "LC_ALL": os.environ.get("LC_ALL") or "C.UTF-8"}
        if not bundled:  # without a resolvable bundle, Jekyll must not set up Bundler from the Gemfile beside it
            env["JEKYLL_NO_BUNDLER_REQUIRE"] = "true"
        code, output = _run(command, copy, env, timeout)
        per_language = sorted(work.glob(out.name + ".lang-*"))
        if code != 0 or not (out.is_file() or per_language):
            why = _last_error(output).replace(f"{copy}/", "")  # the site's own paths, not the copy's
            raise RendererError(f"--renderer jekyll: jekyll build failed (exit {code}): {why}")
        try:
            builds = [json.loads(p.read_text("utf-8")) for p in ([out] if out.is_file() else per_language)]
        except (OSError, ValueError) as exc:
            raise RendererError(f"--renderer jekyll: the recorder's output could not be read: {exc}") from exc
    rendering = _rendering(site, _merge_languages(builds, work / "_site"), skipped, time.monotonic() - started)
    return dataclasses.replace(rendering, issues=tuple(notes) + rendering.issues,
                               command="bundle exec jekyll" if bundled else "jekyll")


def _empty_stylesheets(copy: Path) -> frozenset[str]:
    """Sass pages keep their front matter and lose their text in the copy: Debian's sassc rejects modern
    Sass, and a stylesheet is no content (the built-in pipeline handles it as before)."""
    emptied = set()
    for path in sorted(copy.rglob("*")):
        if path.suffix.lower() not in _STYLESHEETS or path.is_symlink() or not path.is_file():
            continue
        raw = path.read_bytes()
        end = re.match(rb"---[ \t]*\r?\n(?:.*?\r?\n)??---[ \t]*(?:\r?\n|$)", raw, re.DOTALL)
        if end is None:
            continue
        path.write_bytes(raw[: end.end()] + b"\n")
        emptied.add(path.relative_to(copy).as_posix())
    return frozenset(emptied)


def _command(copy: Path, jekyll: str, timeout: float) -> tuple[list[str], bool]:
    """``bundle exec jekyll`` where the site has a Gemfile and Bundler resolves it offline, else ``jekyll``."""
    bundle = shutil.which("bundle")
    if bundle is None or not (copy / "Gemfile").is_file():
        return [jekyll], False
    try:
        check = subprocess.run([bundle, "check"], cwd=copy, capture_output=True, text=True,
                               timeout=min(timeout, 120), check=False)
    except (subprocess.TimeoutExpired, OSError):
        return [jekyll], False
    if check.returncode != 0:
        log.debug("bundle check failed, running jekyll without Bundler: %s", check.stdout + check.stderr)
        return [jekyll], False
    return [bundle, "exec", "jekyll"], True


_LOADABLE = """
require "jekyll"
ARGV.each do |name|
  kind, gem = name.split(":", 2)
  if kind == "theme"
    puts name if Gem::Specification.find_all_by_name(gem).any?
  else
    begin
      require gem
      puts name
    rescue LoadError
      nil
    rescue StandardError, ScriptError
      puts name
    end
  end
end
"""


def _loadable(plugins: list[str], theme: str | None) -> frozenset[str] | None:
    """Which of ``plugins`` Jekyll can require here, and ``theme:NAME`` when the theme gem is installed
    (None when Ruby cannot say)."""
    ruby = shutil.which("ruby")
    if ruby is None:
        return None
    names = [f"plugin:{p}" for p in plugins] + ([f"theme:{theme}"] if theme else [])
    try:
        proc = subprocess.run([ruby, "-e", _LOADABLE, *names], capture_output=True, text=True, timeout=120,
                              check=False, env={**os.environ, "JEKYLL_NO_BUNDLER_REQUIRE": "true"})
    except (subprocess.TimeoutExpired, OSError):
        return None
    return frozenset(proc.stdout.split()) if proc.returncode == 0 else None


def _config(site: Site, copy: Path, dest: Path, bundled: bool,
            notes: list[Issue]) -> tuple[dict[str, Any], list[str]]:
    """The configuration the reader read (the site's files merged, GitHub Pages' settings where it builds
    the site), as one file, so Jekyll and the reader see the same settings; plus our recorder plugin.
    ``safe`` is turned off so the recorder loads; the site's own ``_plugins`` load only where the site's
    build loads them (not in safe mode, not on GitHub Pages). Also the plugins (and theme) not installed
    here, which are left out."""
    config = dict(site.config)
    safe = config.get("safe") is True
    source = copy / str(config.get("source") or ".")
    config["source"] = str(source)
    config["destination"] = str(dest)
    own = config.get("plugins_dir") or "_plugins"
    own_dirs = [p if Path(p).is_absolute() else str(source / p)
                for p in (own if isinstance(own, list) else [own]) if isinstance(p, str)]
    config["plugins_dir"] = ([] if safe else own_dirs) + [str(RECORDER_DIR)]
    config["safe"] = False
    config["disable_disk_cache"] = True
    plugins = list(site.plugins)
    if "jekyll-github-metadata" in plugins:
        # the plugin asks GitHub's API (and stops the build offline, where the site's github: mapping or a
        # missing repository name makes it look): site.github is the configuration's ``github``, which holds
        # the values the reader computed as the plugin does without the network
        plugins.remove("jekyll-github-metadata")
        notes.append(Issue("renderer-github-metadata", "info",
                           "jekyll-github-metadata is not run (it needs GitHub's API): site.github holds the "
                           "values the plugin computes offline, as the built-in renderer uses them", None))
    missing: list[str] = []
    theme = config.get("theme") if isinstance(config.get("theme"), str) else None
    installed = None if bundled else _loadable(plugins, theme)
    if installed is not None:
        missing = [p for p in plugins if f"plugin:{p}" not in installed]
        for name in missing:
            notes.append(Issue("renderer-plugin-missing", "warning",
                               f"the site loads the plugin {name}, which is not installed here: Jekyll rendered "
                               "the site without it", None))
        plugins = [p for p in plugins if f"plugin:{p}" in installed]
        if theme and f"theme:{theme}" not in installed:
            notes.append(Issue("renderer-plugin-missing", "warning",
                               f"the site's theme {theme} is not installed here: Jekyll rendered the site "
                               "without it", None))
            del config["theme"]
            missing.append(theme)
    config["plugins"] = plugins
    config.pop("gems", None)
    return config, missing


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run Jekyll in its own process group, stopped whole at ``timeout``."""
    try:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise RendererError(f"--renderer jekyll: could not run {command[0]}: {exc}") from exc
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RendererError(f"--renderer jekyll: jekyll build took longer than {timeout:g} seconds and was "
                            "stopped (raise --renderer-timeout)") from None
    return proc.returncode, output


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _last_error(output: str) -> str:
    """The line of Jekyll's output that says what went wrong (its red lines first), on one line."""
    lines = [line for line in output.splitlines() if line.strip() and not line.lstrip().startswith("from ")]
    red = [_ANSI.sub("", line).strip() for line in lines if "\x1b[31m" in line]
    plain = [_ANSI.sub("", line).strip() for line in lines]
    for line in red + plain:
        if re.search(r"error|exception|could not find|cannot|fatal", line, re.IGNORECASE) and "-----" not in line:
            return line[:300]
    return (plain[-1] if plain else "no output")[:300]


def _merge_languages(builds: list[dict[str, Any]], dest: Path) -> dict[str, Any]:
    """One dump from the dumps of a language plugin's builds (one per language, each into its own folder,
    so URLs gain that folder): the default language's records, and from each other build the records of the
    documents in that language (front matter ``lang``), which are the ones that build wrote for it."""
    if len(builds) == 1 and not builds[0].get("language"):
        return builds[0]
    default = builds[0].get("default_language")
    builds = sorted(builds, key=lambda b: (b.get("language") != default, str(b.get("language"))))
    records: list[dict[str, Any]] = []
    for build in builds:
        folder = os.path.relpath(build["dest"], dest) if build.get("dest") else "."
        prefix = "" if folder == "." else "/" + Path(folder).as_posix()
        for record in build["records"]:
            record = {**record, "url": prefix + record["url"], "language": build.get("language"),
                      "default_build": build.get("language") == default}
            records.append(record)
    return {"records": records, "languages": [b.get("language") for b in builds]}


def _rendering(site: Site, dumped: dict[str, Any], skipped: frozenset[str], seconds: float) -> Rendering:
    """Bodies by source, generated pages, and the URL cross-check against the reader."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    generated: list[GeneratedBody] = []
    readers = {d.source: d for d in site.documents}
    languages = {d.source: d.language for d in site.documents}
    built = set(dumped.get("languages") or ())
    for record in dumped.get("records", ()):
        if "default_build" in record:
            # a language's build: its own language's documents; the default build: every other record
            wanted = languages.get(record.get("source") or "")
            own = wanted if wanted in built else None
            if (own is None and not record["default_build"]) or (own is not None and record["language"] != own):
                continue
        if record.get("overwritten") and record.get("source") not in readers:
            continue  # a page a document wrote over: never served, and the reader rightly has no document
        if record.get("generated") or not record.get("source"):
            generated.append(GeneratedBody(record["url"], record.get("output_path") or "",
                                           record.get("class") or "", record.get("content"), record.get("title")))
        else:
            by_source.setdefault(record["source"], []).append(record)
    issues: list[Issue] = []
    bodies: dict[str, RenderedBody] = {}
    for source, records in sorted(by_source.items()):
        doc = readers.get(source)
        if doc is None:
            if source not in skipped:
                issues.append(Issue("renderer-unknown-document", "warning",
                                    f"Jekyll rendered {source} at {records[0]['url']}, which the reader did not "
                                    "return as a document", source))
            continue
        # a generator may make more pages of one file (pagination): the document is the one at its URL
        record = next((r for r in records if r["url"] == doc.url), records[0])
        for other in records:
            if other is not record:
                generated.append(GeneratedBody(other["url"], other.get("output_path") or "",
                                               other.get("class") or "", other.get("content"), other.get("title")))
        if record["url"] != doc.url and doc.served_by_jekyll:
            issues.append(Issue("renderer-url-mismatch", "warning",
                                f"Jekyll serves this document at {record['url']}, the reader at {doc.url}",
                                source))
        if source in skipped or not record.get("rendered"):
            continue
        for tag in record.get("unknown_tags") or ():
            issues.append(Issue("liquid-unknown-tag", "warning",
                                f"unknown Liquid tag '{tag}' kept as written: the plugin that defines it is not "
                                "installed here, so Jekyll rendered the page without it", source))
        bodies[source] = RenderedBody(record.get("content") or "", record.get("excerpt"), record["url"])
    for doc in site.documents:
        if doc.served_by_jekyll and doc.source not in by_source and doc.source not in skipped \
                and not doc.redirect_to:
            issues.append(Issue("renderer-url-mismatch", "warning",
                                f"the reader has this document at {doc.url}, Jekyll wrote no document from it",
                                doc.source))
    return Rendering("jekyll", bodies, tuple(sorted(generated, key=lambda g: g.url)), tuple(issues), None,
                     seconds, skipped)
