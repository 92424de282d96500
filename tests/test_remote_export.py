"""`export --download-remote-assets` end to end, for every target, against a local server.

The files land in OUT, the bodies point at them, a second export is identical and fetches nothing; without
the flag, nothing is fetched at all."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from migrate.cli import main
from tests.support.remote_server import DOWNLOADED, FILES, serving_assets, write_site

TARGETS = ("hugo", "wordpress", "ghost")


@pytest.fixture()
def server():
    with serving_assets() as state:
        yield state


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def exported(target: str, out: Path) -> tuple[str, dict[str, bytes]]:
    """(the text holding the bodies, the exported files by path) for one target's output."""
    files = tree(out)
    if target == "hugo":
        text = "\n".join(v.decode() for k, v in files.items() if k.startswith("content/") and k.endswith(".md"))
        return text, {k: v for k, v in files.items() if k.startswith(("static/", "content/"))}
    if target == "wordpress":
        return files["wordpress.xml"].decode(), {k: v for k, v in files.items() if k.startswith("media/")}
    with zipfile.ZipFile(out / "ghost-import.zip") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return files["ghost-import.json"].decode(), {k: v for k, v in members.items() if k.startswith("content/")}


def reference_to(target: str, path: str) -> str:
    """How the body names the exported file at ``path``."""
    if target == "hugo":
        return path.rsplit("/", 1)[1] if path.startswith("content/") else path[len("static"):]
    if target == "wordpress":
        return "https://example.org/" + path[len("media/"):]
    return "/" + path


def remote_spellings(base: str, path: str) -> list[str]:
    return [base + path, base + path.replace("caf%C3%A9%20au%20lait", "café au lait")]


@pytest.mark.parametrize("target", TARGETS)
def test_export_downloads_remote_assets(target, server, tmp_path):
    site = write_site(tmp_path / "site", server.base)
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    code, _, err = _cli("export", str(site), "--to", target, "-o", str(out), "--download-remote-assets",
                        "--report", str(report), "--strict")
    assert code == 0, err
    assert sorted(set(server.requests)) == sorted(DOWNLOADED) and len(server.requests) == len(DOWNLOADED)

    text, files = exported(target, out)
    by_content = {content: path for path, content in files.items()}
    for requested in DOWNLOADED:
        placed = by_content.get(FILES[requested][1])
        assert placed is not None, f"{requested} is not in the output"
        if requested == "/img/cover.jpg" and target == "hugo":
            continue  # named only in front matter, which Hugo keeps as written (the file is still exported)
        assert reference_to(target, placed) in text, placed
        for spelling in remote_spellings(server.base, requested):
            assert spelling not in text
    assert f"{server.base}/about.html" in text  # a link to a page stays a link
    assert "/assets/local.png" in text or "local.png" in text

    manifest = json.loads((out / "migration.json").read_text())
    assert manifest["counts"] == {"read": 2, "exported": 2, "skipped": 0, "failed": 0}
    assert all("assets/remote" not in json.dumps(d) for d in manifest["documents"])
    assert all("assets/remote" not in json.dumps(r) and server.base not in json.dumps(r)
               for r in manifest["redirects"])
    codes = {i["code"] for i in json.loads(report.read_text())["issues"]["issues"]}
    assert "remote-assets-downloaded" in codes and "remote-asset-failed" not in codes
    assert "missing-asset" not in codes and "broken-link" not in codes

    # Again: byte for byte the same, and not one request more.
    before, requests = tree(out), list(server.requests)
    code, _, err = _cli("export", str(site), "--to", target, "-o", str(out), "--download-remote-assets")
    assert code == 0, err
    assert tree(out) == before
    assert server.requests == requests


@pytest.mark.parametrize("target", TARGETS)
def test_without_the_flag_nothing_is_fetched(target, server, tmp_path):
    site = write_site(tmp_path / "site", server.base, failing=True)
    out = tmp_path / "out"
    code, _, err = _cli("export", str(site), "--to", target, "-o", str(out))
    assert code == 0, err
    assert server.requests == []
    text, files = exported(target, out)
    assert f"{server.base}/img/a.png" in text and f"{server.base}/img/b.jpg" in text
    assert "assets/remote" not in text
    assert not any("remote" in path for path in files)
    assert "remote" not in err


@pytest.mark.parametrize("target", TARGETS)
def test_one_failing_url_does_not_stop_the_others(target, server, tmp_path):
    site = write_site(tmp_path / "site", server.base, failing=True)
    out = tmp_path / "out"
    code, _, err = _cli("export", str(site), "--to", target, "-o", str(out), "--download-remote-assets",
                        "--remote-timeout", "5")
    assert code == 0, err  # warnings only
    failed = [line for line in err.splitlines() if line.startswith("warning[remote-asset-failed]")]
    assert len(failed) == 3, err
    assert any("/missing.png was not downloaded: HTTP 404" in line for line in failed)
    assert any("/page.png was not downloaded: the server answered with an HTML page" in line for line in failed)
    assert any("/redirect/file was not downloaded: redirected to a file: URL" in line for line in failed)
    assert all("_posts/2021-03-04-gallery.md" in line for line in failed)
    text, files = exported(target, out)
    assert FILES["/img/a.png"][1] in files.values()
    assert f"{server.base}/missing.png" in text and f"{server.base}/img/a.png" not in text
    code, _, _ = _cli("export", str(site), "--to", target, "-o", str(out), "--download-remote-assets", "--strict")
    assert code == 1


def test_dry_run_downloads_into_the_cache_only(server, tmp_path):
    site = write_site(tmp_path / "site", server.base)
    out = tmp_path / "out"
    code, stdout, err = _cli("export", str(site), "--to", "hugo", "-o", str(out), "--dry-run",
                             "--download-remote-assets")
    assert code == 0, err
    assert not out.exists()
    assert "static/assets/remote/" in stdout
    cache = tmp_path / ".jekyll-migrate-cache" / "remote"
    assert len([p for p in cache.rglob("*.json")]) == len(DOWNLOADED)
    requests = list(server.requests)
    code, _, err = _cli("export", str(site), "--to", "hugo", "-o", str(out), "--download-remote-assets")
    assert code == 0 and server.requests == requests  # the real run takes them from the cache
    assert (out / "static" / "assets" / "remote").is_dir()


def test_no_cache_downloads_into_a_temporary_folder(server, tmp_path):
    site = write_site(tmp_path / "site", server.base)
    out = tmp_path / "out"
    code, _, err = _cli("export", str(site), "--to", "wordpress", "-o", str(out), "--no-cache",
                        "--download-remote-assets")
    assert code == 0, err
    assert not (tmp_path / ".jekyll-migrate-cache").exists()
    _, files = exported("wordpress", out)
    assert FILES["/img/a.png"][1] in files.values()


def test_convert_shows_where_remote_assets_land(server, tmp_path):
    site = write_site(tmp_path / "site", server.base)
    code, stdout, err = _cli("convert", str(site), "_posts/2021-03-05-second.md", "--download-remote-assets")
    assert code == 0, err
    assert '<img src="/assets/remote/127.0.0.1-' in stdout and server.requests == ["/img/a.png"]
    code, stdout, _ = _cli("convert", str(site), "_posts/2021-03-05-second.md")
    assert f'src="{server.base}/img/a.png"' in stdout and server.requests == ["/img/a.png"]


@pytest.mark.parametrize("flag", ["--remote-timeout=0", "--remote-max-size=-1"])
def test_bad_limits_are_usage_errors(flag, tmp_path):
    code, _, err = _cli("export", str(tmp_path), "--to", "hugo", "-o", str(tmp_path / "out"), flag,
                        "--download-remote-assets")
    assert code == 2 and "must be above 0" in err
