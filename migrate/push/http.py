"""The one network seam of a push: timeouts, retries with backoff, ``Retry-After``, counted writes, and no
credential in any message."""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from migrate.push.items import PushError

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Http:
    """Requests to one site. ``auth`` (set by the target) returns the headers that authenticate a request;
    it is called for every attempt (a short-lived token is made afresh)."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_wait: float = 120.0,
        secrets: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        user_agent: str = "jekyll-migrate push",
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.secrets = [s for s in secrets if s]
        self.sleep = sleep
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.auth: Callable[[], Mapping[str, str]] | None = None
        self._lock = threading.Lock()
        self.reads = 0
        """Read requests sent (every attempt)."""
        self.writes = 0
        """Write requests sent (every attempt): POST, PUT, PATCH, DELETE."""
        self.retried = 0
        self.waited = 0.0
        """Seconds slept before retries (``Retry-After`` and backoff)."""

    def add_secret(self, secret: str) -> None:
        if secret:
            self.secrets.append(secret)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def url(self, path: str) -> str:
        if urlsplit(path).scheme:
            return path
        return urljoin(self.base_url, path.lstrip("/"))

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        files: Mapping[str, tuple[str, Path, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        allow: Iterable[int] = (),
        what: str | None = None,
        allow_redirects: bool = True,
    ) -> requests.Response:
        """Send one request, retrying 429/5xx and timeouts with backoff (``Retry-After`` honoured).

        A 2xx answer, or one of the ``allow`` statuses, is returned; anything else raises
        :class:`PushError` naming ``what`` (default: the method and path) and the status."""
        method = method.upper()
        url = self.url(path)
        what = what or f"{method} {urlsplit(url).path}"
        allowed = set(allow)
        attempt = 0
        while True:
            attempt += 1
            sent_headers = dict(headers or {})
            if self.auth is not None:
                sent_headers.update(self.auth())
            handles = []
            try:
                upload = None
                if files:
                    upload = {}
                    for field_name, (name, file_path, mime) in files.items():
                        handle = open(file_path, "rb")  # noqa: SIM115 - closed in finally, after the request
                        handles.append(handle)
                        upload[field_name] = (name, handle, mime)
                with self._lock:
                    if method in READ_METHODS:
                        self.reads += 1
                    else:
                        self.writes += 1
                log.debug("%s %s (attempt %d)", method, urlsplit(url).path, attempt)
                response = self.session.request(
                    method, url, json=json, params=params, data=data, files=upload, headers=sent_headers,
                    timeout=self.timeout, allow_redirects=allow_redirects,
                )
            except requests.Timeout:
                if attempt <= self.retries:
                    self._wait(attempt, None)
                    continue
                raise PushError(f"{what}: no answer from {self._host(url)} within {self.timeout:g} s "
                                f"(tried {attempt} times)") from None
            except requests.ConnectionError as exc:
                if attempt <= self.retries:
                    self._wait(attempt, None)
                    continue
                raise PushError(f"{what}: cannot reach {self._host(url)} ({self._reason(exc)}; "
                                f"tried {attempt} times)") from None
            except requests.RequestException as exc:
                raise PushError(self.redact(f"{what}: {exc}")) from None
            finally:
                for handle in handles:
                    handle.close()
            status = response.status_code
            if 200 <= status < 300 or status in allowed:
                return response
            if status in RETRY_STATUSES and attempt <= self.retries:
                self._wait(attempt, response.headers.get("Retry-After"))
                continue
            raise PushError(self.redact(f"{what}: HTTP {status} {response.reason or ''}".rstrip()
                                        + _detail(response)), status=status)

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = _retry_after(retry_after)
        if delay is None:
            delay = self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4)
        delay = min(max(delay, 0.0), self.max_wait)
        with self._lock:
            self.retried += 1
            self.waited += delay
        log.debug("retrying in %.1f s", delay)
        self.sleep(delay)

    @staticmethod
    def _host(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _reason(self, exc: Exception) -> str:
        text = str(exc)
        for reason in ("Connection refused", "Name or service not known", "No route to host",
                       "Temporary failure in name resolution", "Connection reset", "Remote end closed"):
            if reason in text:
                return reason.lower()
        return "connection failed"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return when.timestamp() - time.time()


def _detail(response: requests.Response) -> str:
    """The server's own words about an error (Ghost's and WordPress's JSON error messages), short."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = None
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            message = " ".join(str(first.get(k)) for k in ("message", "context") if first.get(k))
        elif isinstance(body.get("message"), str):
            message = body["message"]
            if isinstance(body.get("code"), str):
                message = f"{message} ({body['code']})"
    if not message:
        return ""
    message = " ".join(message.split())
    return ": " + (message[:300] + "..." if len(message) > 300 else message)
