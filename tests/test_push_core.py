"""The push core against an in-memory target: order, state, idempotence, resumption, pruning, failures;
the state journal; credentials; the HTTP seam (retries, Retry-After, no secret in a message)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from migrate.push import (
    Managed,
    PushError,
    PushItem,
    PushTarget,
    Remote,
    RemoteGone,
    ref,
    refs_in,
    resolve_refs,
)
from migrate.push.core import load_credentials, push
from migrate.push.http import Http, _retry_after
from migrate.push.state import PushState, state_path


class MemoryTarget(PushTarget):
    """A remote kept in a dict; counts its writes; fails the keys in ``fail``."""

    name = "memory"

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9", {}, Http("http://127.0.0.1:9"), {})
        self.things: dict[str, dict[str, Any]] = {}  # remote id -> {"key", "fields", "hash"}
        self.writes: list[tuple[str, str]] = []
        self.fail: set[str] = set()
        self.next_id = 1

    def check(self) -> None:
        pass

    def find(self, item: PushItem) -> Remote | None:
        for rid, thing in self.things.items():
            if thing["key"] == item.key:
                return Remote(id=rid, url=f"/{rid}", hash=thing["hash"])
        return None

    def _write(self, action: str, item: PushItem) -> None:
        if item.key in self.fail:
            raise PushError(f"{item.key}: HTTP 500 Internal Server Error", status=500)
        self.writes.append((action, item.key))

    def create(self, item: PushItem, fields: Mapping[str, Any], digest: str) -> Remote:
        self._write("create", item)
        rid = str(self.next_id)
        self.next_id += 1
        self.things[rid] = {"key": item.key, "fields": dict(fields), "hash": digest}
        return Remote(id=rid, url=f"/{rid}")

    def update(self, item: PushItem, remote: Remote, fields: Mapping[str, Any], digest: str) -> Remote:
        if remote.id not in self.things:
            raise RemoteGone("gone")
        self._write("update", item)
        self.things[remote.id] = {"key": item.key, "fields": dict(fields), "hash": digest}
        return Remote(id=remote.id, url=f"/{remote.id}")

    def list_managed(self) -> list[Managed]:
        return [Managed(t["key"], "post", Remote(id=rid)) for rid, t in self.things.items()
                if not t["key"].startswith("media:")]

    def remove(self, managed: Managed) -> None:
        self.writes.append(("remove", managed.key))
        del self.things[managed.remote.id]


def site_items(body: str = "hello", *, extra: bool = False) -> list[PushItem]:
    items = [
        PushItem("_posts/b.md", "post", "b", {"html": f"<img src='{ref('media:a.png', 'url')}'> {body}",
                                              "feature": ref("media:a.png")}),
        PushItem("media:a.png", "media", None, {"name": "a.png"}),
        PushItem("about.md", "page", "about", {"html": "about"}),
    ]
    if extra:
        items.append(PushItem("_posts/c.md", "post", "c", {"html": "new"}))
    return items


def test_refs_resolve_whole_and_inside_strings() -> None:
    remotes = {"media:a.png": Remote(id=7, url="http://x/a.png")}
    value = {"img": f"<img src='{ref('media:a.png', 'url')}'>", "id": ref("media:a.png"), "n": [ref("media:a.png")]}
    assert refs_in(value) == {"media:a.png"}
    assert resolve_refs(value, remotes) == {"img": "<img src='http://x/a.png'>", "id": 7, "n": [7]}
    with pytest.raises(KeyError):
        resolve_refs(value, {})
    assert resolve_refs(value, {}, keep_missing=True)["id"] == ref("media:a.png")


def test_dependencies_go_first_and_a_second_push_writes_nothing(tmp_path: Path) -> None:
    target = MemoryTarget()
    state = PushState(tmp_path / "s.jsonl")
    result = push(target, site_items(), state, jobs=3)
    assert [w for w in target.writes if w[1] == "media:a.png"] == [("create", "media:a.png")]
    assert target.writes.index(("create", "media:a.png")) < target.writes.index(("create", "_posts/b.md"))
    post = next(t for t in target.things.values() if t["key"] == "_posts/b.md")
    assert post["fields"]["html"].startswith("<img src='/1'>") or post["fields"]["html"].startswith("<img src='/")
    assert post["fields"]["feature"] == next(rid for rid, t in target.things.items() if t["key"] == "media:a.png")
    assert result.count("create") == 3
    state.close(compact=True)

    target.writes.clear()
    again = push(target, site_items(), PushState(tmp_path / "s.jsonl"), jobs=3)
    assert target.writes == [] and again.count("unchanged") == 3 and not again.has_changes


def test_lost_state_finds_the_remote_and_writes_nothing(tmp_path: Path) -> None:
    target = MemoryTarget()
    push(target, site_items(), PushState(tmp_path / "s.jsonl"))
    target.writes.clear()
    result = push(target, site_items(), PushState(tmp_path / "other.jsonl"))
    assert target.writes == [] and result.count("unchanged") == 3


def test_one_edit_one_add_one_removal(tmp_path: Path) -> None:
    target = MemoryTarget()
    push(target, site_items(), PushState(tmp_path / "s.jsonl"))
    target.writes.clear()
    changed = [i for i in site_items(body="edited", extra=True) if i.key != "about.md"]
    result = push(target, changed, PushState(tmp_path / "s.jsonl"))
    assert sorted(target.writes) == [("create", "_posts/c.md"), ("update", "_posts/b.md")]
    assert [(c.action, c.key) for c in result.changes if c.action == "orphan"] == [("orphan", "about.md")]
    target.writes.clear()
    dry = push(target, changed, PushState(tmp_path / "s.jsonl"), prune=True, dry_run=True)
    assert target.writes == [] and [c.key for c in dry.changes if c.action == "prune"] == ["about.md"]
    result = push(target, changed, PushState(tmp_path / "s.jsonl"), prune=True)
    assert target.writes == [("remove", "about.md")]


def test_a_failure_stops_its_dependents_only_and_a_rerun_completes(tmp_path: Path) -> None:
    target = MemoryTarget()
    target.fail = {"media:a.png"}
    result = push(target, site_items(), PushState(tmp_path / "s.jsonl"))
    actions = {c.key: c.action for c in result.changes}
    assert actions == {"media:a.png": "failed", "_posts/b.md": "failed", "about.md": "create"}
    assert "which failed" in next(c.message for c in result.changes if c.key == "_posts/b.md")
    target.fail = set()
    target.writes.clear()
    result = push(target, site_items(), PushState(tmp_path / "s.jsonl"))
    assert sorted(target.writes) == [("create", "_posts/b.md"), ("create", "media:a.png")]


def test_failed_documents_are_not_pruned(tmp_path: Path) -> None:
    target = MemoryTarget()
    push(target, site_items(), PushState(tmp_path / "s.jsonl"))
    items = [i for i in site_items() if i.key != "about.md"]
    result = push(target, items, PushState(tmp_path / "s.jsonl"), prune=True, protected={"about.md"})
    assert not any(c.action == "prune" for c in result.changes)


def test_a_remote_deleted_by_hand_is_made_again(tmp_path: Path) -> None:
    target = MemoryTarget()
    push(target, site_items(), PushState(tmp_path / "s.jsonl"))
    rid = next(rid for rid, t in target.things.items() if t["key"] == "about.md")
    del target.things[rid]
    target.writes.clear()
    items = [i if i.key != "about.md" else PushItem("about.md", "page", "about", {"html": "new"}) for i in site_items()]
    result = push(target, items, PushState(tmp_path / "s.jsonl"))
    assert target.writes == [("create", "about.md")] and result.count("create") == 1


def test_missing_dependency_and_cycle_fail_clearly(tmp_path: Path) -> None:
    items = [PushItem("a", "post", fields={"x": ref("nothing")}),
             PushItem("b", "post", depends_on=("c",)), PushItem("c", "post", depends_on=("b",))]
    result = push(MemoryTarget(), items, PushState(None))
    messages = {c.key: c.message for c in result.changes}
    assert "nothing, which is not pushed" in messages["a"]
    assert "cycle" in messages["b"] or "cycle" in messages["c"]


def test_state_journal_survives_a_cut_line_and_compacts(tmp_path: Path) -> None:
    path = state_path(tmp_path, "ghost", "https://Example.org/")
    assert path == state_path(tmp_path, "ghost", "https://example.org")
    state = PushState(path, target="ghost", url="https://example.org")
    state.record("a", "post", Remote(id="1", url="/a", hash="h1"))
    state.record("b", "post", Remote(id="2", hash="h2"))
    state.forget("b")
    state.close()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('{"key": "c", "id": ')  # a kill in the middle of a line
    again = PushState(path)
    assert again.get("a") == Remote(id="1", url="/a", hash="h1") and again.get("b") is None and again.get("c") is None
    again.close(compact=True)
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["key"] == "a"


def test_credentials_from_environment_then_file(tmp_path: Path) -> None:
    assert load_credentials(("K",), None, {"K": "v"}) == {"K": "v"}
    file = tmp_path / "creds"
    file.write_text("# comment\nexport K='from file'\nOTHER=x\n", "utf-8")
    assert load_credentials(("K",), file, {}) == {"K": "from file"}
    with pytest.raises(PushError, match="missing credential K") as info:
        load_credentials(("K",), None, {})
    assert "command line" in str(info.value)
    bad = tmp_path / "bad"
    bad.write_text("K supersecret\n", "utf-8")
    with pytest.raises(PushError) as info:
        load_credentials(("K",), bad, {})
    assert "supersecret" not in str(info.value)


def test_retry_after_seconds_and_dates() -> None:
    assert _retry_after("3") == 3.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    import email.utils
    import time

    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (_retry_after(soon) or 0) <= 30


class _Script(http.server.BaseHTTPRequestHandler):
    """Answers from the server's ``script`` list of (status, headers, body), then 200."""

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        server: Any = self.server
        server.seen.append((self.command, self.path, dict(self.headers)))
        status, headers, body = server.script.pop(0) if server.script else (200, {}, b'{"ok": true}')
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def scripted() -> Iterator[Any]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Script)
    server.script, server.seen = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_http_retries_429_honouring_retry_after_and_counts_writes(scripted: Any) -> None:
    slept: list[float] = []
    scripted.script = [(429, {"Retry-After": "7"}, b""), (503, {}, b""), (201, {}, b'{"made": 1}')]
    client = Http(scripted.base, retries=3, backoff=0.25, sleep=slept.append)
    r = client.request("POST", "/thing/", json={"a": 1})
    assert r.json() == {"made": 1}
    assert slept[0] == 7.0 and 0.5 <= slept[1] <= 0.63  # Retry-After, then backoff of the 2nd attempt
    assert client.writes == 3 and client.reads == 0 and client.retried == 2


def test_http_gives_up_with_a_clear_message_without_the_secret(scripted: Any) -> None:
    secret = "0123456789abcdef" * 4
    body = json.dumps({"errors": [{"message": f"bad token {secret}"}]}).encode()
    scripted.script = [(500, {}, body)] * 3
    client = Http(scripted.base, retries=2, sleep=lambda s: None, secrets=[secret])
    client.auth = lambda: {"Authorization": "Ghost " + secret}
    with pytest.raises(PushError) as info:
        client.request("PUT", "/posts/1/", what="updating post x")
    assert "updating post x: HTTP 500" in str(info.value) and secret not in str(info.value)
    assert info.value.status == 500 and len(scripted.seen) == 3


def test_http_server_down_is_one_line() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Http(f"http://127.0.0.1:{port}", retries=1, sleep=lambda s: None)
    with pytest.raises(PushError, match=r"cannot reach http://127.0.0.1:\d+ \(connection refused; tried 2 times\)"):
        client.request("GET", "/ghost/api/admin/site/")


def test_ghost_admin_token_is_signed_as_ghost_documents() -> None:
    from exporters.ghost.push import admin_token, marker, read_marker

    kid, secret = "a" * 24, "0f" * 32
    token = admin_token(f"{kid}:{secret}", now=1000)
    header, payload, signature = token.split(".")

    def decode(part: str) -> Any:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    assert json.loads(decode(header)) == {"alg": "HS256", "kid": kid, "typ": "JWT"}
    assert json.loads(decode(payload)) == {"iat": 1000, "exp": 1300, "aud": "/admin/"}
    expected = hmac.new(bytes.fromhex(secret), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert decode(signature) == expected
    with pytest.raises(PushError) as info:
        admin_token("not-a-key-but-a-secret-value")
    assert "not-a-key" not in str(info.value)
    assert read_marker("x " + marker("_posts/a b--c.md", "abc123") + " y") == ("_posts/a b--c.md", "abc123")
    assert "--c" not in marker("_posts/a b--c.md", "abc")[4:-3]


def test_push_command_usage_errors(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path) -> None:
    from migrate.cli import main

    site = str(Path(__file__).parent / "fixtures" / "push" / "tiny-blog")
    monkeypatch.delenv("JM_GHOST_ADMIN_KEY", raising=False)
    assert main(["push", site, "--to", "hugo", "--url", "http://127.0.0.1:9"]) == 2
    assert "the hugo exporter cannot push to a live site" in capsys.readouterr().err
    assert main(["push", site, "--to", "ghost", "--url", "http://127.0.0.1:9"]) == 2
    assert "missing credential JM_GHOST_ADMIN_KEY" in capsys.readouterr().err
    creds = tmp_path / "creds"
    secret = "ab" * 32
    creds.write_text(f"JM_GHOST_ADMIN_KEY={'c' * 24}:{secret}\n", "utf-8")
    assert main(["push", site, "--to", "ghost", "--url", "ftp://x", "--credentials", str(creds)]) == 2
    err = capsys.readouterr().err
    assert "--url must start with http:// or https://" in err and secret not in err
    monkeypatch.setenv("JM_GHOST_ADMIN_KEY", "id-and-secret-of-the-wrong-shape")
    assert main(["push", site, "--to", "ghost", "--url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "not a Ghost Admin API key" in err and "wrong-shape" not in err
