"""The command line: the only place that prints, shows progress bars, or exits."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.errors import MigrateError, OptionError
from migrate.ir import Document, GeneratedPage, Site
from migrate.report import Report, format_issue

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_FATAL = 2

log = logging.getLogger("migrate")


# -- helpers -------------------------------------------------------------------------------------------


def _read(args: argparse.Namespace, report: Report) -> Site:
    from migrate.reader import read_site

    site = read_site(
        args.site,
        drafts=getattr(args, "drafts", False),
        future=getattr(args, "future", False),
        unpublished=getattr(args, "unpublished", False),
        config_files=args.config.split(",") if getattr(args, "config", None) else None,
        jobs=getattr(args, "jobs", 0) or None,
        github_pages=getattr(args, "github_pages", None),
    )
    if getattr(args, "comments_disqus", None) or getattr(args, "comments_github", None):
        from migrate.reader.comments import read_comment_exports

        for flag, given in (("--comments-disqus", args.comments_disqus), ("--comments-github", args.comments_github)):
            if given and not Path(given).is_file():
                raise OptionError(f"{flag} {given}: no such file")

        site = read_comment_exports(site, disqus=args.comments_disqus, github=args.comments_github)
    report.extend(site.issues)
    return site


def _progress(items: Iterable[Any], *, desc: str, total: int | None = None) -> Iterable[Any]:
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="doc", leave=False, total=total)


def _print_issues(report: Report, *, stream: Any = None, limit: int | None = None) -> None:
    stream = stream or sys.stderr
    issues = report.sorted()
    shown = issues if limit is None else issues[:limit]
    for issue in shown:
        print(format_issue(issue), file=stream)
    if limit is not None and len(issues) > limit:
        print(f"... and {len(issues) - limit} more issues (see --report)", file=stream)


def _exit_code(report: Report, *, strict: bool = False, failed: bool = False) -> int:
    if failed or report.has_errors or (strict and report.has_warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def _document_json(doc: Document) -> dict[str, Any]:
    return {
        "source": doc.source,
        "kind": doc.kind,
        "collection": doc.collection,
        "url": doc.url,
        "output_path": doc.output_path,
        "built": doc.built_by_jekyll,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "redirect_from": list(doc.redirect_from),
        "redirect_to": doc.redirect_to,
        "language": doc.language,
        "translations": list(doc.translations),
        "language_copies": [{"language": lang, "url": url} for lang, url in doc.language_copies],
        "comments": len(doc.comments),
    }


def _comment_counts(doc: Document) -> str:
    statuses = Counter(c.status for c in doc.comments)
    replies = sum(1 for c in doc.comments if c.parent is not None)
    return (f"{len(doc.comments)} ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}; "
            f"{replies} replies)")


def _generated_json(page: GeneratedPage) -> dict[str, Any]:
    return {
        "url": page.url,
        "kind": page.kind,
        "generator": page.generator,
        "output_path": page.output_path,
        "template": page.template,
        "lists": page.lists,
        "page_number": page.page_number,
        "total_pages": page.total_pages,
        "per_page": page.per_page,
        "category": page.category,
        "tag": page.tag,
        "period": page.period,
        "language": page.language,
        "members": list(page.members),
    }


def _issue_json(report: Report) -> list[dict[str, Any]]:
    return report.to_dict()["issues"]


# -- commands ------------------------------------------------------------------------------------------


def cmd_inspect(args: argparse.Namespace) -> int:
    from migrate.reader.plugins import MODELLED

    report = Report()
    site = _read(args, report)
    if args.json:
        out = {
            "site": {
                "title": site.title,
                "url": site.url,
                "baseurl": site.baseurl,
                "timezone": site.timezone,
                "permalink": site.permalink,
                "languages": list(site.languages),
                # each plugin the build loads, and whether the migration carries out what it does
                "plugins": [{"name": p, "modelled": p in MODELLED} for p in site.plugins],
            },
            "documents": [_document_json(d) for d in sorted(site.documents, key=lambda d: d.source)],
            "static_files": [
                {"source": s.source, "url": s.url} for s in sorted(site.static_files, key=lambda s: s.source)
            ],
            "generated": [_generated_json(g) for g in site.generated],
            "other_files": [
                {"source": o.source, "reason": o.reason} for o in sorted(site.other_files, key=lambda o: o.source)
            ],
            "issues": _issue_json(report),
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return _exit_code(report)
    kinds = Counter(d.kind for d in site.documents)
    total = sum(len(d.comments) for d in site.documents)
    print(f"site: {site.title or '(untitled)'}  url: {site.url}{site.baseurl}  timezone: {site.timezone or 'local'}")
    print(
        "documents: "
        + ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(kinds.items()))
        + f"; static files: {len(site.static_files)}; other files: {len(site.other_files)}"
        + (f"; comments: {total} on {sum(1 for d in site.documents if d.comments)} documents" if total else "")
    )
    if site.plugins:
        print("plugins: " + ", ".join(f"{p}{'' if p in MODELLED else ' (not modelled)'}" for p in site.plugins))
    for doc in sorted(site.documents, key=lambda d: d.source):
        flag = "" if doc.built_by_jekyll else "  (not built)"
        print(f"  {doc.kind:8} {doc.url}  <- {doc.source}{flag}")
        for old in doc.redirect_from:
            print(f"  {'redirect':8} {old}  -> {doc.url}")
        for lang, url in doc.language_copies:
            print(f"  {'copy ' + lang:8} {url}  <- {doc.source}")
        if doc.comments:
            print(f"  {'comments':8} {_comment_counts(doc)}")
    for page in site.generated:
        what = ", ".join(f"{k} {v}" for k, v in (("page", page.page_number), ("tag", page.tag),
                                                  ("category", page.category), ("period", page.period)) if v)
        print(f"  {page.kind:8} {page.url}  <- {page.generator}{f' ({what})' if what else ''}")
    _print_issues(report, stream=sys.stdout)
    return _exit_code(report)


def cmd_dump_ir(args: argparse.Namespace) -> int:
    report = Report()
    site = _read(args, report)
    print(json.dumps(site.to_dict(), indent=2, ensure_ascii=False, sort_keys=True))
    return _exit_code(report)


def cmd_exporters(args: argparse.Namespace) -> int:
    from migrate.exporter import Registry

    registry = Registry.load()
    for name, cls in registry.items():
        print(f"{name:12} {getattr(cls, 'description', '')}")
        for option in cls.options:
            print(f"    --{option.name:22} {option.help}")
    return EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    report = Report()
    _check_remote_flags(args)
    _activate_extensions(args, report)
    site = _read(args, report)
    with contextlib.ExitStack() as stack:
        site = _download_remote(args, site, report, stack, None, sources=args.sources or None)
        rendering = _render(args, site, report)
        site, rendering = _with_generated_pages(site, rendering, report)
        return _print_converted(args, site, report, rendering)


def _print_converted(args: argparse.Namespace, site: Site, report: Report, rendering: Any = None) -> int:
    from migrate.content import Targets
    from migrate.content.pipeline import ContentPipeline

    wanted = set(args.sources or ())
    docs = [d for d in sorted(site.documents, key=lambda d: d.source) if not wanted or d.source in wanted]
    missing = wanted - {d.source for d in docs}
    for source in sorted(missing):
        report.emit("unknown-source", "error", "no such document in the site", source=source)
    pipeline = ContentPipeline(site, Targets(document_urls={d.source: d.url for d in site.documents},
                                             site_url=site.url, base_path=site.baseurl), rendering=rendering)
    results = []
    for doc in docs:
        converted = pipeline.convert(doc, args.format)
        report.extend(converted.issues)
        results.append({"source": doc.source, "url": doc.url, "body": converted.body})
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for item in results:
            print(f"==> {item['source']} ({item['url']}) <==")
            print(item["body"])
    _print_issues(report)
    return _exit_code(report)


def _exporter_options(cls: Any, args: argparse.Namespace) -> dict[str, Any]:
    values = {}
    for option in cls.options:
        value = getattr(args, "x_" + option.key, None)
        if value is not None and value != [] and value is not False:
            values[option.key] = value
    options, problems = cls.validate_options(values)
    if problems:
        raise OptionError("; ".join(problems))
    return options


def _limits(args: argparse.Namespace) -> Any:
    from migrate.content.liquid import Limits

    return Limits(include_depth=args.max_include_depth, loop_iterations=args.max_loop_iterations,
                  render_seconds=args.max_render_seconds)


def _apply_memory_limit(megabytes: float | None) -> None:
    """Cap this process's address space: a document that needs more fails alone with MemoryError."""
    if not megabytes:
        return
    import resource

    limit = int(megabytes * 1024 * 1024)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _accounting_line(plan: Any) -> str:
    counts = plan.counts()
    reasons = Counter(d.reason or "unspecified" for d in plan.documents if d.status == "skipped")
    why = ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
    skipped = f"skipped {counts['skipped']}" + (f" ({why})" if why else "")
    return f"read {counts['read']}, exported {counts['exported']}, {skipped}, failed {counts['failed']}"


def cmd_export(args: argparse.Namespace, exporter_cls: Any) -> int:
    with contextlib.ExitStack() as stack:  # a temporary download folder lives until the output is written
        return _export(args, exporter_cls, stack)


def _export(args: argparse.Namespace, exporter_cls: Any, stack: contextlib.ExitStack) -> int:
    from migrate.export import build_plan
    from migrate.plan import check_file_place, check_output_place, diff_plan, write_plan
    from migrate.workers import default_jobs

    report = Report(suppressed=frozenset(args.suppress or ()))
    options = _exporter_options(exporter_cls, args)
    _check_remote_flags(args)
    _apply_memory_limit(args.max_memory)
    out = Path(args.output)
    if not (args.dry_run or args.check):
        check_output_place(out, force=args.force)  # before minutes of work, not after
    if args.report:
        check_file_place(args.report)
    cache_root = None if args.no_cache else (
        Path(args.cache) if args.cache else out.absolute().parent / ".jekyll-migrate-cache")
    records, inputs = _run_records(args, exporter_cls, options, out, cache_root)
    if records is not None:
        replay = records.replay(out, inputs)
        if replay is not None:
            report.extend(replay.issues)
            print(f"{out} is up to date: the site, its config and the options are unchanged since the export "
                  f"that wrote its {replay.files} files (--no-cache runs it again)", file=sys.stderr)
            _print_issues(report, limit=50)
            print(replay.accounting, file=sys.stderr)
            return replay.exit_code
        records.forget(out)
    _activate_extensions(args, report)
    site = _read(args, report)
    site = _download_remote(args, site, report, stack, cache_root)
    rendering = _render(args, site, report, limits=_limits(args))
    site, rendering = _with_generated_pages(site, rendering, report)
    cache_dir = None
    if not (args.no_cache or args.dry_run or args.check):
        cache_dir = cache_root
    plan = build_plan(site, exporter_cls, options, report,
                      progress=lambda results: _progress(results, desc="converting", total=len(site.documents)),
                      keep_bodies=bool(args.report and args.report.endswith(".html")),
                      jobs=args.jobs or default_jobs(), cache_dir=cache_dir, limits=_limits(args),
                      max_document_bytes=int(args.max_document_size * 1_000_000), rendering=rendering)
    failed = any(d.status == "failed" for d in plan.documents)
    exit_code = _exit_code(report, strict=args.strict, failed=failed)
    if args.dry_run or args.check:
        diff = diff_plan(plan, out)
        print(diff.summary())
        if args.diff:
            for chunk in diff.unified():
                sys.stdout.write(chunk)
        if args.check and diff.has_changes:
            _finish_report(args, report, plan, site)
            print(_accounting_line(plan), file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        write_plan(plan, out, force=args.force)
        print(f"wrote {len(plan.files)} files to {out}", file=sys.stderr)
        if records is not None:
            records.save(out, inputs, site, report.issues, files=len(plan.files), accounting=_accounting_line(plan),
                         exit_code=exit_code)
    _finish_report(args, report, plan, site)
    _print_issues(report, limit=50)
    print(_accounting_line(plan), file=sys.stderr)
    return exit_code


_NOT_INPUTS = frozenset({"jobs", "cache", "no_cache", "force", "output", "site", "command", "verbose"})
"""Arguments that do not change what an export writes (or, for ``output``, are part of the record's name)."""


def _run_records(args: argparse.Namespace, exporter_cls: Any, options: dict[str, Any], out: Path,
                 cache_root: Path | None) -> tuple[Any, str]:
    """The records of past exports and this run's inputs digest, when this run may be skipped: a real
    export (not a dry run), with a cache, without a report page or downloads (remote files may change)."""
    if cache_root is None or args.dry_run or args.check or args.report or args.download_remote_assets:
        return None, ""
    from migrate.uptodate import RunRecords, inputs_digest

    settings = {"target": exporter_cls.name, "options": options,
                "args": {k: v for k, v in sorted(vars(args).items()) if k not in _NOT_INPUTS and not callable(v)}}
    site_dir = Path(args.site)
    extra = [f if Path(f).is_absolute() else site_dir / f for f in args.config.split(",")] if args.config else []
    # comment exports are inputs too: a new export under the same name must not be taken for the old one
    extra += [Path(f) for f in (args.comments_disqus, args.comments_github) if f]
    extra += [Path(f) for f in getattr(args, "extension", None) or ()]  # their code decides the bodies
    return RunRecords(cache_root), inputs_digest(site_dir, [p for p in extra if not _inside(p, site_dir)], settings,
                                                 skip=[out, cache_root])


def _inside(path: Path | str, folder: Path) -> bool:
    return Path(path).absolute().is_relative_to(folder.absolute())


def _check_remote_flags(args: argparse.Namespace) -> None:
    problems = []
    if args.remote_timeout <= 0:
        problems.append(f"--remote-timeout must be above 0 (got {args.remote_timeout:g})")
    if args.remote_max_size <= 0:
        problems.append(f"--remote-max-size must be above 0 (got {args.remote_max_size:g})")
    if problems:
        raise OptionError("; ".join(problems))


def _download_remote(args: argparse.Namespace, site: Site, report: Report, stack: contextlib.ExitStack,
                     cache_root: Path | None, *, sources: Sequence[str] | None = None) -> Site:
    """With ``--download-remote-assets``: the site plus the remote files it embeds, fetched into the
    cache (a temporary folder without one, removed when ``stack`` closes). Without it: the site as read."""
    if not args.download_remote_assets:
        return site
    import tempfile

    from migrate.content.remote import RemoteFetcher, download_remote_assets

    if cache_root is None:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jekyll-migrate-remote-")))
    else:
        folder = cache_root / "remote"
    fetcher = RemoteFetcher(timeout=args.remote_timeout, max_bytes=int(args.remote_max_size * 1_000_000))
    try:
        site, issues = download_remote_assets(
            site, folder, fetcher=fetcher, sources=sources,
            progress=lambda items: _progress(items, desc="downloading"))
    finally:
        fetcher.close()
    report.extend(issues)
    return site


def _add_remote_flags(parser: argparse.ArgumentParser, *, where: str) -> None:
    group = parser.add_argument_group("remote assets (nothing is fetched without --download-remote-assets)")
    group.add_argument("--download-remote-assets", action="store_true",
                       help="download the images and files the posts embed from other hosts (http and https "
                       f"only) and export them with the site; {where}")
    group.add_argument("--remote-timeout", type=float, default=20.0, metavar="SECONDS",
                       help="connect and read timeout of each download (default: 20)")
    group.add_argument("--remote-max-size", type=float, default=50.0, metavar="MB",
                       help="largest remote file (default: 50)")


# -- --renderer jekyll (issue 19) ----------------------------------------------------------------------------


def _render(args: argparse.Namespace, site: Site, report: Report, *, limits: Any = None) -> Any:
    """With ``--renderer jekyll``: the bodies the site's own Jekyll renders (its failure is fatal, before any
    output is written); with ``jekyll,builtin`` a failure leaves every document to the built-in renderer,
    each listed in the report. None with the built-in renderer."""
    if args.renderer == "builtin":
        if args.compare_renderers:
            raise OptionError("--compare-renderers needs --renderer jekyll (or jekyll,builtin)")
        return None
    if args.renderer_timeout <= 0:
        raise OptionError(f"--renderer-timeout must be above 0 (got {args.renderer_timeout:g})")
    from migrate.renderers import Rendering
    from migrate.renderers.compare import compare_renderers
    from migrate.renderers.jekyll import RendererError, render_with_jekyll

    try:
        rendering = render_with_jekyll(site, drafts=args.drafts, future=args.future, unpublished=args.unpublished,
                                       timeout=args.renderer_timeout)
    except RendererError as exc:
        if args.renderer == "jekyll":
            raise
        report.emit("renderer-failed", "warning", f"{exc}; the built-in renderer renders every document")
        return Rendering("jekyll", failure=str(exc))
    report.extend(rendering.issues)
    report.emit("renderer", "info", f"the site's own Jekyll ({rendering.command}) rendered "
                f"{len(rendering.bodies)} documents in {rendering.seconds:.1f} s")
    if args.compare_renderers:
        report.extend(compare_renderers(site, rendering, limits=limits))
    return rendering


def _with_generated_pages(site: Site, rendering: Any, report: Report) -> tuple[Site, Any]:
    """With the site's own Jekyll as renderer: the pages its generators made, as pages of the site."""
    if rendering is None or rendering.failure is not None:
        return site, rendering
    from migrate.renderers import add_generated_pages

    site, rendering, issues = add_generated_pages(site, rendering)
    report.extend(issues)
    return site, rendering


def _add_renderer_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("renderer (the site's own Jekyll runs only when asked)")
    group.add_argument("--renderer", choices=("builtin", "jekyll", "jekyll,builtin"), default="builtin",
                       help="who renders each body (Liquid, Markdown): builtin (default, runs no code of the "
                       "site), jekyll (the site's own Jekyll with its _plugins and gems, on a copy of the site: "
                       "this RUNS THE SITE'S RUBY CODE; exit 2 when Jekyll is missing or fails), or "
                       "jekyll,builtin (the built-in renderer for what Jekyll did not render)")
    group.add_argument("--renderer-timeout", type=float, default=600.0, metavar="SECONDS",
                       help="stop the Jekyll build after this long (default: 600)")
    group.add_argument("--compare-renderers", action="store_true",
                       help="with --renderer jekyll: report, per document, where the built-in renderer and "
                       "Jekyll disagree, and how many do")


def _finish_report(args: argparse.Namespace, report: Report, plan: Any, site: Site | None = None) -> None:
    if not args.report:
        return
    from migrate.report_page import write_report

    try:
        write_report(Path(args.report), report, plan, site=site)
    except OSError as exc:
        raise MigrateError(f"could not write the report {args.report}: {exc}") from exc


def _check_redirects_place(args: argparse.Namespace) -> None:
    """``-o`` names a file (one redirect file) or a folder (several): either way, one that can be written."""
    from migrate.plan import check_file_place, check_output_place

    out = Path(args.output)
    if out.is_dir() or args.output.endswith("/"):
        check_output_place(out, force=args.force)
    else:
        check_file_place(out)


def cmd_redirects(args: argparse.Namespace, exporter_cls: Any) -> int:
    from dataclasses import replace

    from migrate.export import build_plan, export_redirect_map
    from migrate.redirects import render_redirects

    report = Report()
    options = _exporter_options(exporter_cls, args)
    if args.output:
        _check_redirects_place(args)
    site = _read(args, report)
    # The very map the export writes and applies: the same plan, built the same way.
    plan = build_plan(site, exporter_cls, options, report)
    redirect_map, facts = plan.redirect_map, plan.url_facts
    if args.base_path is not None:  # the same rules, answered under another sub-path
        facts = replace(facts, base_path=args.base_path)
        redirect_map = export_redirect_map(site, plan.documents, facts, plan.generated)
    files = render_redirects(redirect_map, args.format, old_site_url=(site.url + site.baseurl) or None,
                             new_site_url=facts.new_site_url)
    if args.output:
        out = Path(args.output)
        if len(files) == 1 and not out.is_dir() and not args.output.endswith("/"):
            ((_, content),) = files.items()
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(content)
            except OSError as exc:
                raise MigrateError(f"could not write {out}: {exc}") from exc
        else:
            from migrate.plan import Plan, write_plan

            redirect_plan = Plan(target=f"redirects-{args.format}")
            for name, content in sorted(files.items()):
                redirect_plan.add_bytes(name, content)
            redirect_plan.finalise()
            write_plan(redirect_plan, out, force=args.force)
    else:
        for name, content in sorted(files.items()):
            if len(files) > 1:
                print(f"==> {name} <==")
            sys.stdout.write(content.decode("utf-8"))
    print(f"{len(redirect_map.rules)} redirects", file=sys.stderr)
    _print_issues(report)
    return _exit_code(report)


def cmd_verify(args: argparse.Namespace) -> int:
    from migrate.redirects import load_map
    from migrate.verify import verify_map

    rules = load_map(str(Path(args.map)))  # its rewrites too: pages that must answer in place
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(rules) + len(rules.rewrites), desc="verifying", unit="url", leave=False)
    try:
        result = verify_map(
            rules, args.base_url, concurrency=args.concurrency, timeout=args.timeout, retries=args.retries,
            rate_limit=args.rate_limit, expected_statuses=tuple(args.expected_status or (301, 308)),
            check_external_targets=args.check_external, trace=bool(args.report),
            progress=(lambda _check: bar.update(1)) if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.close()
    summary = result.to_dict()
    if args.json_report:
        Path(args.json_report).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if args.report:  # the page of each old URL and the redirects it went through
        from migrate.report_page import render_verify_html

        report_path = Path(args.report)
        if report_path.suffix.lower() in (".html", ".htm"):
            report_path.write_text(render_verify_html(result), "utf-8")
        else:
            report_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(result.summary_line())
    for failure in result.failures[:50]:
        print(f"  FAIL {failure}", file=sys.stderr)
    return EXIT_PROBLEMS if result.failures else EXIT_OK


# -- parser --------------------------------------------------------------------------------------------


# -- push ----------------------------------------------------------------------------------------------


def _push_cache_root(args: argparse.Namespace) -> Path:
    if args.cache:
        return Path(args.cache)
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jekyll-migrate"


def _parse_author_map(values: Sequence[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values or ():
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise OptionError(f"--author-map expects OLD=NEW, got {value!r}")
        mapping[old.strip()] = new.strip()
    return mapping


def cmd_push(args: argparse.Namespace, exporter_cls: Any) -> int:
    from migrate.export import drive_export
    from migrate.plan import Plan
    from migrate.push import Exported
    from migrate.push.core import load_credentials, load_target, push
    from migrate.push.http import Http
    from migrate.push.items import PushError
    from migrate.push.state import PushState, state_path
    from migrate.workers import default_jobs

    report = Report(suppressed=frozenset(args.suppress or ()))
    options = _exporter_options(exporter_cls, args)
    target_cls = load_target(exporter_cls)
    push_options = {"author_map": _parse_author_map(args.author_map), "cache_dir": str(_push_cache_root(args))}
    credentials = load_credentials(target_cls.credentials, args.credentials)
    if args.timeout <= 0 or args.retries < 0 or args.concurrency < 1:
        raise OptionError("--timeout must be above 0, --retries 0 or more, --concurrency 1 or more")
    url = args.url.strip()
    if not url.startswith(("http://", "https://")):
        raise OptionError(f"--url must start with http:// or https:// (got {url!r})")
    http = Http(url, timeout=args.timeout, retries=args.retries, secrets=credentials.values())
    target = target_cls(url, credentials, http, push_options)
    try:
        target.check()
    except PushError as exc:
        print(f"jekyll-migrate: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    site = _read(args, report)
    exporter = exporter_cls(site, options, report, Plan(target=exporter_cls.name))
    plan = drive_export(exporter, jobs=args.jobs or default_jobs(), limits=_limits(args),
                        progress=lambda results: _progress(results, desc="converting", total=len(site.documents)))
    exported = Exported(site=site, exporter=exporter, plan=plan, redirect_map=plan.redirect_map, report=report,
                        options=push_options)
    items = target.build_items(exported)
    protected = {d.source for d in plan.documents if d.status == "failed"}
    state = PushState(state_path(_push_cache_root(args), target_cls.name, url), target=target_cls.name, url=url)
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(items), desc="pushing", unit="item", leave=False)

    def on_change(change: Any) -> None:
        if bar is not None and change.action in ("create", "update", "unchanged", "failed"):
            bar.update(1)
        if change.action == "failed":
            line = f"failed {change.kind} {change.label}: {change.message}"
            (bar.write(line, file=sys.stderr) if bar is not None else print(line, file=sys.stderr))

    try:
        result = push(target, items, state, dry_run=args.dry_run or args.check, diff=args.diff, prune=args.prune,
                      jobs=args.concurrency, protected=protected, on_change=on_change)
    except KeyboardInterrupt:
        state.close()
        print("jekyll-migrate: interrupted; what was sent is recorded, the next push resumes there",
              file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    state.close(compact=not (args.dry_run or args.check))
    dry = args.dry_run or args.check
    for change in result.changes:
        if change.action in ("unchanged", "failed"):
            continue
        if change.action == "orphan":
            print(f"not on the site any more: {change.kind} {change.label} {change.url or ''} "
                  "(removed only with --prune)".replace("  ", " "))
            continue
        verb = {"create": "create", "update": "update", "prune": "prune"}[change.action]
        verb = f"would {verb}" if dry else verb.rstrip("e") + "ed"
        print(f"{verb} {change.kind} {change.label}" + (f" {change.url}" if change.url else ""))
        for line in change.diff:
            sys.stdout.write(line)
    for line in target.summary():
        print(line, file=sys.stderr)
    _print_issues(report, limit=50)
    counts = {a: result.count(a) for a in ("create", "update", "unchanged", "failed", "prune", "orphan")}
    print(f"push {target_cls.name} {url}: {'would create' if dry else 'created'} {counts['create']}, "
          f"{'would update' if dry else 'updated'} {counts['update']}, unchanged {counts['unchanged']}, "
          f"failed {counts['failed']}, {'would prune' if dry else 'pruned'} {counts['prune']}, "
          f"not on the site {counts['orphan']} ({result.reads} reads, {result.writes} writes, "
          f"{result.retried} retries)", file=sys.stderr)
    if args.report:
        _write_push_report(Path(args.report), result, report)
    if result.failed:
        return EXIT_PROBLEMS
    if args.check and result.has_changes:
        return EXIT_PROBLEMS
    return _exit_code(report, strict=args.strict)


def _write_push_report(path: Path, result: Any, report: Report) -> None:
    import dataclasses

    data = {"changes": [dataclasses.asdict(c) for c in result.changes], "reads": result.reads,
            "writes": result.writes, "retried": result.retried, "dry_run": result.dry_run,
            "issues": _issue_json(report)}
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise MigrateError(f"could not write the report {path}: {exc}") from exc


def _add_push_parser(sub: Any, exporter_cls: Any) -> None:
    p = sub.add_parser("push", help="send the export straight into a live WordPress or Ghost")
    _add_read_flags(p)
    p.add_argument("--to", required=True, help="target (ghost, wordpress)")
    p.add_argument("--url", required=True, help="the live site's address (http:// or https://)")
    p.add_argument("--credentials", metavar="FILE",
                   help="file of NAME=value lines (JM_GHOST_ADMIN_KEY; JM_WP_USER, JM_WP_APP_PASSWORD) read "
                   "when the environment has no such variable; credentials are never taken as arguments")
    p.add_argument("--dry-run", action="store_true", help="send nothing; list what would be created, updated, "
                   "pruned")
    p.add_argument("--diff", action="store_true", help="with --dry-run: show the changed fields")
    p.add_argument("--check", action="store_true", help="send nothing; exit 1 when anything would change")
    p.add_argument("--prune", action="store_true", help="delete what this tool pushed and the site no longer has")
    p.add_argument("--author-map", action="append", metavar="OLD=NEW",
                   help="send the site's author OLD as the target's user NEW (login, slug or e-mail)")
    p.add_argument("--concurrency", type=int, default=4, help="requests at a time (default: 4)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each answer (default: 60)")
    p.add_argument("--retries", type=int, default=4,
                   help="retries of a request after a timeout, 429 or 5xx, with backoff (default: 4)")
    p.add_argument("--cache", help="folder of the push state (default: ~/.cache/jekyll-migrate)")
    p.add_argument("--report", help="write what happened to FILE.json")
    p.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    p.add_argument("--suppress", action="append", metavar="CODE", help="drop issues with this code")
    p.add_argument("--jobs", type=int, default=0, help="conversion worker processes (default: the number of cores)")
    p.add_argument("--max-include-depth", type=int, default=30, help=argparse.SUPPRESS)
    p.add_argument("--max-loop-iterations", type=int, default=1_000_000, help=argparse.SUPPRESS)
    p.add_argument("--max-render-seconds", type=float, default=20.0, help=argparse.SUPPRESS)
    if exporter_cls is not None:
        _add_exporter_options(p, exporter_cls)


def _add_read_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", help="the Jekyll site folder")
    parser.add_argument("--drafts", action="store_true", help="also read _drafts as Jekyll --drafts does")
    parser.add_argument("--future", action="store_true", help="treat future-dated posts as built")
    parser.add_argument("--unpublished", action="store_true", help="treat published: false as built")
    parser.add_argument("--config", help="config files to merge, comma-separated (as jekyll --config)")
    pages = parser.add_mutually_exclusive_group()
    pages.add_argument("--github-pages", dest="github_pages", action="store_true", default=None,
                       help="read the site as GitHub Pages builds it (detected from the Gemfile's github-pages gem "
                       "or a workflow running actions/jekyll-build-pages)")
    pages.add_argument("--no-github-pages", dest="github_pages", action="store_false",
                       help="read the site as plain Jekyll builds it, even where GitHub Pages is detected")
    comments = parser.add_argument_group("comments kept outside the site (its Staticman data files are always read)")
    comments.add_argument("--comments-disqus", metavar="FILE.xml", help="a Disqus export (XML) to migrate")
    comments.add_argument("--comments-github", metavar="FILE.json",
                          help="utterances or giscus comments, as the README's `gh api graphql` command saves them")


def _add_exporter_options(parser: argparse.ArgumentParser, cls: Any) -> None:
    group = parser.add_argument_group(f"options of the {cls.name} exporter")
    for option in cls.options:
        dest = "x_" + option.key
        if option.flag:
            group.add_argument(f"--{option.name}", dest=dest, action="store_true", help=option.help)
        elif option.multiple:
            group.add_argument(f"--{option.name}", dest=dest, action="append", help=option.help)
        else:
            group.add_argument(f"--{option.name}", dest=dest, help=option.help, choices=option.choices)


def _add_extension_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--extension", action="append", metavar="FILE.py", default=[],
                        help="load a Python extension: Liquid tags and filters ported from the site's plugins "
                        "(see docs/extensions.md; repeatable). An extension is Python code that runs with your "
                        "rights: give only files you trust. Packages installed in the "
                        "jekyll_migrate.extensions entry-point group load too.")


def _activate_extensions(args: argparse.Namespace, report: Report) -> None:
    """The packaged extensions and ``--extension`` files, for every renderer of this run."""
    from migrate.content import extensions

    report.extend(extensions.activate(getattr(args, "extension", None) or ()))


def build_parser(exporter_cls: Any = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jekyll-migrate",
        description="Move a Jekyll site to Hugo, WordPress or Ghost, keeping every URL.",
    )
    parser.add_argument("--version", action="version", version=f"jekyll-migrate {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging detail to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("inspect", help="what the reader found, with Jekyll's URLs")
    _add_read_flags(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("dump-ir", help="print the whole intermediate representation as JSON")
    _add_read_flags(p)

    sub.add_parser("exporters", help="list the registered exporters and their options")

    p = sub.add_parser("convert", help="print the converted body of documents")
    _add_read_flags(p)
    p.add_argument("sources", nargs="*", help="site-relative source files (default: all documents)")
    p.add_argument("--format", choices=("html", "markdown"), default="html")
    p.add_argument("--json", action="store_true")
    _add_remote_flags(p, where="they go to a temporary folder, and the bodies show where they would land")
    _add_extension_flag(p)
    _add_renderer_flags(p)

    p = sub.add_parser("export", help="export the site to a target")
    _add_read_flags(p)
    p.add_argument("--to", required=True, help="exporter name (see `jekyll-migrate exporters`)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--dry-run", action="store_true", help="write nothing; show what would change")
    p.add_argument("--diff", action="store_true", help="with --dry-run: show a diff of each change")
    p.add_argument("--check", action="store_true", help="exit 1 when the export would change anything")
    p.add_argument("--report", help="write the report to FILE.json or FILE.html")
    p.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    p.add_argument("--suppress", action="append", metavar="CODE", help="drop issues with this code")
    p.add_argument("--force", action="store_true", help="replace an output folder not made by this tool")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: the number of cores)")
    p.add_argument("--cache", help="conversion cache folder (default: .jekyll-migrate-cache beside OUT)")
    p.add_argument("--no-cache", action="store_true", help="convert every document afresh")
    _add_extension_flag(p)
    _add_remote_flags(p, where="they are kept in the cache folder (remote/), which --dry-run and --check "
                      "may fill too (never OUT); with --no-cache, in a temporary folder")
    _add_renderer_flags(p)
    limits = p.add_argument_group("limits (a document over a limit fails alone, with a message)")
    limits.add_argument("--max-document-size", type=float, default=100.0, metavar="MB",
                        help="largest document body (default: 100)")
    limits.add_argument("--max-include-depth", type=int, default=30, help="deepest include nesting (default: 30)")
    limits.add_argument("--max-loop-iterations", type=int, default=1_000_000,
                        help="Liquid loop iterations per document (default: 1000000)")
    limits.add_argument("--max-render-seconds", type=float, default=20.0,
                        help="Liquid render time per document (default: 20)")
    limits.add_argument("--max-memory", type=float, metavar="MB",
                        help="cap the process's memory (default: no cap)")
    if exporter_cls is not None:
        _add_exporter_options(p, exporter_cls)

    p = sub.add_parser("redirects", help="write the old-URL redirect map in a host's format")
    _add_read_flags(p)
    p.add_argument("--to", required=True, help="exporter whose URLs are the targets")
    p.add_argument("--format", required=True, help="netlify, nginx, apache, caddy, cloudflare, vercel, html, "
                   "wordpress-redirection, ghost, csv, json")
    p.add_argument("-o", "--output", help="file or folder to write (default: stdout)")
    p.add_argument("--base-path", help="serve sources and targets under this sub-path (default: where the "
                   "target puts the new site, as the export does)")
    p.add_argument("--force", action="store_true")
    if exporter_cls is not None:
        _add_exporter_options(p, exporter_cls)

    p = sub.add_parser("verify", help="request every old URL of a redirect map against a live site")
    p.add_argument("map", help="a redirect map (json or csv from `redirects`, or migration.json)")
    p.add_argument("--base-url", required=True)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--retries", type=int, default=2, help="retries per request, with backoff")
    p.add_argument("--rate-limit", type=float, help="at most this many requests per second")
    p.add_argument("--expected-status", type=int, action="append", help="accepted redirect status (repeatable)")
    p.add_argument("--check-external", action="store_true", help="also request targets on other hosts")
    p.add_argument("--json-report", help="write the JSON report here")
    p.add_argument("--report", help="write the report to FILE.html (each old URL, its redirect chain and final "
                   "status) or FILE.json")

    _add_push_parser(sub, exporter_cls)
    return parser


def _exporter_for(argv: Sequence[str]) -> Any:
    """Find ``--to NAME`` before full parsing, so the exporter's own options can be added."""
    if not argv or argv[0] not in ("export", "redirects", "push"):
        return None
    name = None
    for i, arg in enumerate(argv):
        if arg == "--to" and i + 1 < len(argv):
            name = argv[i + 1]
        elif arg.startswith("--to="):
            name = arg.split("=", 1)[1]
    if name is None:
        return None
    from migrate.exporter import Registry

    return Registry.load().get(name)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        exporter_cls = _exporter_for([a for a in argv if a not in ("-v", "--verbose")])
        parser = build_parser(exporter_cls)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            return EXIT_OK if exc.code == 0 else EXIT_FATAL
        if args.verbose:
            logging.getLogger().setLevel(logging.DEBUG)
        if args.command == "inspect":
            return cmd_inspect(args)
        if args.command == "dump-ir":
            return cmd_dump_ir(args)
        if args.command == "exporters":
            return cmd_exporters(args)
        if args.command == "convert":
            return cmd_convert(args)
        if args.command == "export":
            return cmd_export(args, exporter_cls)
        if args.command == "redirects":
            return cmd_redirects(args, exporter_cls)
        if args.command == "verify":
            return cmd_verify(args)
        if args.command == "push":
            return cmd_push(args, exporter_cls)
        parser.error(f"unknown command {args.command}")
    except MigrateError as exc:
        print(f"jekyll-migrate: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except OSError as exc:  # a file or folder the system refused: its error names it
        log.debug("system error", exc_info=True)
        print(f"jekyll-migrate: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("jekyll-migrate: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    return EXIT_FATAL


def main_entry() -> None:
    sys.exit(main())
