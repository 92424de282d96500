"""Limits are configurable from the command line, and a document over a limit fails alone with a message."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from migrate.cli import main


def _site(root: Path, posts: dict[str, str]) -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "_includes").mkdir()
    (root / "_includes" / "self.html").write_text("x{% include self.html %}")
    (root / "_config.yml").write_text("title: Limits\n")
    for name, body in posts.items():
        (root / "_posts" / name).write_text(f"---\ntitle: {name}\n---\n{body}\n")
    return root


def _export(site: Path, out: Path, *flags: str) -> tuple[int, str, dict]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["export", str(site), "--to", "hugo", "-o", str(out), "--no-cache", *flags])
    manifest = json.loads((out / "migration.json").read_text()) if (out / "migration.json").exists() else {}
    return code, err.getvalue(), manifest


def _status(manifest: dict, source: str) -> str:
    return next(d["status"] for d in manifest["documents"] if d["source"] == source)


def test_document_size_limit(tmp_path):
    site = _site(tmp_path / "s", {"2020-01-01-big.md": "word " * 50_000, "2020-01-02-small.md": "ok"})
    code, err, manifest = _export(site, tmp_path / "out", "--max-document-size", "0.1")
    assert code == 1
    assert "over the limit of 0.1 MB" in err and "_posts/2020-01-01-big.md" in err
    assert _status(manifest, "_posts/2020-01-01-big.md") == "failed"
    assert _status(manifest, "_posts/2020-01-02-small.md") == "exported"
    code, _, manifest = _export(site, tmp_path / "out2", "--max-document-size", "1")
    assert _status(manifest, "_posts/2020-01-01-big.md") == "exported"


def test_loop_iteration_limit_is_configurable(tmp_path):
    loop = "{% for i in (1..5000) %}x{% endfor %}"
    site = _site(tmp_path / "s", {"2020-01-01-loop.md": loop})
    _, err, _ = _export(site, tmp_path / "a", "--max-loop-iterations", "100")
    assert "liquid-limit" in err
    _, err, _ = _export(site, tmp_path / "b", "--max-loop-iterations", "100000")
    assert "liquid-limit" not in err
    body = (tmp_path / "b" / "content").rglob("index.md")
    assert "x" * 5000 in next(body).read_text()


def test_include_depth_limit_is_configurable(tmp_path):
    site = _site(tmp_path / "s", {"2020-01-01-rec.md": "{% include self.html %}"})
    _, err, manifest = _export(site, tmp_path / "a", "--max-include-depth", "5")
    assert "liquid-limit" in err or "include" in err
    assert manifest["counts"]["read"] == 1
