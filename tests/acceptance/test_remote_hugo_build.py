"""Real Hugo builds an export made with --download-remote-assets, downloaded files included.

Every downloaded file is in public/ at the URL the built page references, with the bytes the remote host
served."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from urllib.parse import urljoin

import pytest

from migrate.cli import main
from tests.acceptance.test_hugo_build import _Refs, broken_references, hugo_build, local_path, site_file
from tests.support.remote_server import DOWNLOADED, FILES, serving_assets, write_site

pytestmark = pytest.mark.acceptance

BASE_URL = "https://example.org/"


def test_hugo_builds_the_downloaded_assets(tmp_path: Path) -> None:
    with serving_assets() as server:
        site = write_site(tmp_path / "site", server.base)
        out = tmp_path / "out"
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["export", str(site), "--to", "hugo", "-o", str(out), "--download-remote-assets"])
        assert code == 0, err.getvalue()
    public = hugo_build(out)
    assert broken_references(public, BASE_URL) == []

    served: dict[bytes, str] = {}  # bytes found in public/ -> the reference that found them
    for page in sorted(public.rglob("*.html")):
        parser = _Refs()
        parser.feed(page.read_text("utf-8"))
        page_url = BASE_URL + page.relative_to(public).as_posix().removesuffix("index.html")
        for ref in parser.refs:
            assert not ref.startswith(server.base) or ref == f"{server.base}/about.html", (page, ref)
            path = local_path(urljoin(page_url, ref.split("#")[0]), BASE_URL)
            file = site_file(public, path) if path else None
            if file is not None:
                served.setdefault(file.read_bytes(), ref)
    in_bodies = [p for p in DOWNLOADED if p != "/img/cover.jpg"]  # the cover is front matter only
    missing = [p for p in in_bodies if FILES[p][1] not in served]
    assert missing == []
