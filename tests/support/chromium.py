"""Headless Chromium driven over the DevTools protocol through a pipe (``--remote-debugging-pipe``): no
websocket library, no port. Records every console error, uncaught exception and network request of a page
and of the frames inside it."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

_LOCAL_SCHEMES = ("data:", "about:", "blob:", "chrome-error:")


class Browser:
    """One headless Chromium; ``open(path)`` gives a :class:`Page`."""

    def __init__(self, *, width: int = 1280, height: int = 900) -> None:
        if CHROMIUM is None:
            raise RuntimeError("no chromium on PATH")
        self.profile = tempfile.mkdtemp(prefix="jm-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def fds() -> None:  # Chromium reads commands on fd 3 and writes answers on fd 4
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--mute-audio",
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, close_fds=False,  # noqa: PLW1509 - only fcntl and dup2 run there, before exec
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.width, self.height = width, height
        self._next = 0
        self._lock = threading.Lock()
        self._answers: dict[int, Any] = {}
        self._cond = threading.Condition()
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.intercepted: list[str] = []
        """Every request of every page and frame, seen by the browser-wide Fetch domain: a request for
        anything but a local file is recorded and refused, so nothing leaves the machine."""
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._answers[-1] = "closed"
                    self._cond.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._cond:
                    if "id" in message:
                        self._answers[message["id"]] = message
                    else:
                        self.events.append(message)
                        self._on_event(message)
                    self._cond.notify_all()

    def _on_event(self, message: dict[str, Any]) -> None:
        if message.get("method") == "Fetch.requestPaused" and "sessionId" not in message:
            params = message["params"]
            url = params["request"]["url"]
            self.intercepted.append(url)
            if url.startswith("file:"):
                self.send("Fetch.continueRequest", {"requestId": params["requestId"]}, wait=False)
            else:
                self.send("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                          wait=False)
            return
        # Frames in other processes (sandboxed srcdoc frames may be) attach as targets of their own: watch them.
        if message.get("method") == "Target.attachedToTarget":
            session = message["params"]["sessionId"]
            threading.Thread(target=self._watch, args=(session,), daemon=True).start()

    def _watch(self, session: str) -> None:
        for method in ("Runtime.enable", "Log.enable", "Network.enable"):
            self.send(method, session=session, wait=False)
        self.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
                  session=session, wait=False)
        self.send("Runtime.runIfWaitingForDebugger", session=session, wait=False)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None,
             wait: bool = True, timeout: float = 60.0) -> Any:
        with self._lock:
            self._next += 1
            ident = self._next
            message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        if not wait:
            return None
        deadline = time.monotonic() + timeout
        with self._cond:
            while ident not in self._answers:
                if -1 in self._answers or time.monotonic() > deadline:
                    raise RuntimeError(f"chromium gave no answer to {method}")
                self._cond.wait(0.5)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def open(self, path: str | os.PathLike[str], *, timeout: float = 60.0) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        page.go(Path(path).absolute().as_uri(), timeout=timeout)
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close", wait=False)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - it is going away either way
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:  # noqa: PYI034 - Python 3.10 has no typing.Self
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    """One tab: evaluate script, take screenshots, and read what it logged and requested."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self.url = ""
        self.start = len(browser.events)
        self.fetch_start = len(browser.intercepted)
        b = browser
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            b.send(method, session=session)
        b.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
               session=session)
        b.send("Emulation.setDeviceMetricsOverride", {"width": b.width, "height": b.height,
                                                      "deviceScaleFactor": 1, "mobile": False}, session=session)

    def go(self, url: str, *, timeout: float = 60.0) -> float:
        """Navigate and wait for the load event; returns the seconds it took."""
        self.url = url
        self.start = len(self.browser.events)
        self.fetch_start = len(self.browser.intercepted)
        started = time.monotonic()
        self.browser.send("Page.navigate", {"url": url}, session=self.session)
        self.wait_for(lambda e: e.get("method") == "Page.loadEventFired" and e.get("sessionId") == self.session,
                      timeout=timeout)
        return time.monotonic() - started

    def wait_for(self, predicate: Any, *, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        b = self.browser
        with b._cond:
            seen = self.start
            while True:
                for event in b.events[seen:]:
                    if predicate(event):
                        return event
                seen = len(b.events)
                if time.monotonic() > deadline:
                    raise TimeoutError("the page did not get there in time")
                b._cond.wait(0.2)

    def eval(self, expression: str, *, timeout: float = 60.0) -> Any:
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                        "awaitPromise": True}, session=self.session,
                                   timeout=timeout)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: str | os.PathLike[str], *, full: bool = False,
                   clip: dict[str, float] | None = None) -> None:
        params: dict[str, Any] = {"format": "png"}
        if clip:
            params["clip"] = {**clip, "scale": 1}
        elif full:
            params["captureBeyondViewport"] = True
        data = self.browser.send("Page.captureScreenshot", params, session=self.session)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def events(self) -> list[dict[str, Any]]:
        return self.browser.events[self.start:]

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors of the page and its frames."""
        out = []
        for e in self.events():
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                out.append("exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        return out

    def requests(self) -> list[str]:
        """Every URL the page or its frames requested (the page's own file and data/about/blob URLs left out).
        One browser's pages share the Fetch record: open them one after the other."""
        seen = list(self.browser.intercepted[self.fetch_start:])
        seen += [e["params"]["request"]["url"] for e in self.events() if e.get("method") == "Network.requestWillBeSent"]
        return sorted({u for u in seen if u != self.url and not u.startswith(_LOCAL_SCHEMES)})

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
