"""Checks a redirect map against a live server: each old URL must redirect to its target, which must answer 200."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import requests

from migrate.errors import OptionError
from migrate.redirects.core import Redirect, RedirectMap, load_map

log = logging.getLogger(__name__)

_URL_SAFE = "/!$&'()*+,;=:@-._~%?"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Check:
    """The outcome for one redirect rule."""

    source: str
    url: str
    """The URL requested."""
    expected: str
    """The absolute URL the Location header should name."""
    ok: bool
    status: int | None = None
    location: str | None = None
    """The Location header made absolute against the requested URL."""
    target_status: int | None = None
    """What the target answered; None when it was not requested (another host, or the redirect failed)."""
    problem: str | None = None
    attempts: int = 1
    in_place: bool = False
    """A rewrite of the map: the page answers at ``url`` itself (200, no redirect)."""
    chain: tuple[tuple[str, int | None], ...] = ()
    """With ``trace``: every URL requested, from ``url`` through each Location to the last answer, with
    its status (None: no answer); empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        return ({"chain": [list(hop) for hop in self.chain]} if self.chain else {}) | {
            "source": self.source,
            "url": self.url,
            "expected": self.expected,
            "ok": self.ok,
            "status": self.status,
            "location": self.location,
            "target_status": self.target_status,
            "problem": self.problem,
            "attempts": self.attempts,
            "in_place": self.in_place,
        }


@dataclass(frozen=True)
class VerifyResult:
    """Every check, in the order of the rules, and a summary."""

    base_url: str
    checks: tuple[Check, ...] = ()
    expected_statuses: tuple[int, ...] = (301, 308)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def ok(self) -> int:
        return sum(1 for c in self.checks if c.ok)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)

    @property
    def target_unchecked(self) -> int:
        """Redirects that were right but whose target (on another host) was not requested."""
        return sum(1 for c in self.checks if c.ok and c.target_status is None)

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def failures(self) -> list[str]:
        """One line per failed rule: ``SOURCE: problem``."""
        return [f"{c.source}: {c.problem}" for c in self.failed]

    def summary_line(self) -> str:
        return self.summary()

    @property
    def in_place(self) -> int:
        """Checks of pages that must answer at their old URL itself (the map's rewrites)."""
        return sum(1 for c in self.checks if c.in_place)

    def summary(self) -> str:
        return (
            f"{self.ok}/{self.total} old URLs redirect correctly"
            + (f" ({self.target_unchecked} to other hosts, target not requested)" if self.target_unchecked else "")
            + (f" ({self.in_place} of them pages that must answer in place)" if self.in_place else "")
            + (f"; {len(self.failed)} failed" if self.failed else "")
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "expected_statuses": list(self.expected_statuses),
            "total": self.total,
            "ok": self.ok,
            "failed": len(self.failed),
            "target_unchecked": self.target_unchecked,
            "in_place": self.in_place,
            "checks": [c.to_dict() for c in self.checks],
        }


def load_rules(path: str | os.PathLike[str]) -> list[Redirect]:
    """The rules of a redirect map file (``json`` or ``csv`` format, or a ``migration.json``)."""
    return list(load_map(os.fspath(path)).rules)


class _RateLimiter:
    """At most ``rate`` request starts per second across all threads."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.lock = threading.Lock()
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_at)
            self.next_at = start + self.interval
        if start > now:
            time.sleep(start - now)


def canonical_url(url: str) -> str:
    """A comparable spelling: scheme and host lower-cased, default port dropped, path escapes normalised."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/!$&'()*+,;=:@-._~")
    out = f"{scheme}://{netloc}{path}"
    if parts.query:
        out += "?" + parts.query
    if parts.fragment:
        out += "#" + parts.fragment
    return out


def request_url(base_url: str, path: str) -> str:
    """``base_url`` joined with a root-relative source, non-ASCII and spaces percent-encoded."""
    return base_url.rstrip("/") + quote(path, safe=_URL_SAFE)


def expected_location(base_url: str, target: str) -> str:
    if urlsplit(target).scheme:
        return target
    return urljoin(base_url.rstrip("/") + "/", quote(target, safe=_URL_SAFE + "#"))


class _Verifier:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        retries: int,
        rate_limit: float | None,
        expected_statuses: Sequence[int],
        check_external_targets: bool,
        backoff: float,
        trace: bool = False,
    ) -> None:
        self.trace = trace
        self.base_url = base_url
        self.base_origin = urlsplit(canonical_url(base_url)).netloc
        self.timeout = timeout
        self.retries = retries
        self.limiter = _RateLimiter(rate_limit)
        self.expected_statuses = tuple(expected_statuses)
        self.check_external_targets = check_external_targets
        self.backoff = backoff
        self.local = threading.local()
        self.target_lock = threading.Lock()
        self.target_results: dict[str, tuple[int | None, str | None]] = {}
        self.target_events: dict[str, threading.Event] = {}

    def session(self) -> requests.Session:
        s = getattr(self.local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers["User-Agent"] = "jekyll-migrate-verify"
            self.local.session = s
        return s

    def get(self, url: str) -> tuple[requests.Response | None, str | None, int]:
        """GET without following redirects, retrying network errors and 429/5xx with backoff."""
        problem = None
        for attempt in range(1, self.retries + 2):
            self.limiter.wait()
            try:
                response = self.session().get(url, allow_redirects=False, timeout=self.timeout, stream=True)
                response.close()
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code not in _RETRY_STATUSES or attempt > self.retries:
                    return response, None, attempt
                problem = f"status {response.status_code}"
            if attempt <= self.retries:
                time.sleep(self.backoff * (2 ** (attempt - 1)))
        return None, problem, self.retries + 1

    def target_status(self, url: str) -> tuple[int | None, str | None]:
        with self.target_lock:
            event = self.target_events.get(url)
            owner = event is None
            if owner:
                event = self.target_events[url] = threading.Event()
        assert event is not None
        if not owner:
            event.wait()
            return self.target_results[url]
        response, problem, _ = self.get(url)
        result = (response.status_code if response is not None else None, problem)
        self.target_results[url] = result
        event.set()
        return result

    MAX_HOPS = 10

    def traced(self, check: Check) -> Check:
        """``check`` with its redirect chain: the requested URL, then each Location followed (on the base
        URL's host, or any host with ``check_external_targets``) until an answer that is not a redirect."""
        if not self.trace:
            return check
        hops: list[tuple[str, int | None]] = [(check.url, check.status)]
        location, seen = check.location, {check.url}
        while location and len(hops) <= self.MAX_HOPS and location not in seen:
            url = location.split("#", 1)[0]
            if urlsplit(canonical_url(url)).netloc != self.base_origin and not self.check_external_targets:
                hops.append((location, None))
                break
            seen.add(location)
            response, _problem, _ = self.get(url)
            status = response.status_code if response is not None else None
            hops.append((location, status))
            raw = response.headers.get("Location") if response is not None and 300 <= status < 400 else None
            location = urljoin(url, raw) if raw else None
        return replace(check, chain=tuple(hops))

    def check_in_place(self, rule: Redirect) -> Check:
        """A rewrite: the old URL answers 200 itself (served from ``rule.target``), no redirect."""
        url = request_url(self.base_url, rule.source)
        response, problem, attempts = self.get(url)
        if response is None:
            return Check(rule.source, url, url, False, problem=f"no answer: {problem}", attempts=attempts,
                         in_place=True)
        raw_location = response.headers.get("Location")
        location = urljoin(url, raw_location) if raw_location else None
        ok = response.status_code == 200
        return Check(rule.source, url, url, ok, status=response.status_code, location=location,
                     target_status=response.status_code, attempts=attempts, in_place=True,
                     problem=None if ok else f"status {response.status_code}, expected 200 (the page itself, "
                     f"from {rule.target}: the host needs the rewrite)")

    def check(self, rule: Redirect) -> Check:
        url = request_url(self.base_url, rule.source)
        expected = expected_location(self.base_url, rule.target)
        response, problem, attempts = self.get(url)
        if response is None:
            return Check(rule.source, url, expected, False, problem=f"no answer: {problem}", attempts=attempts)
        status = response.status_code
        raw_location = response.headers.get("Location")
        location = urljoin(url, raw_location) if raw_location else None
        base: dict[str, Any] = {"source": rule.source, "url": url, "expected": expected, "status": status,
                                "location": location, "attempts": attempts}
        if status not in self.expected_statuses:
            wanted = " or ".join(str(s) for s in self.expected_statuses)
            return Check(**base, ok=False, problem=f"status {status}, expected {wanted}")
        if location is None:
            return Check(**base, ok=False, problem="no Location header")
        if urlsplit(location).scheme not in ("http", "https"):
            return Check(**base, ok=False, problem=f"Location is not http(s): {raw_location}")
        if canonical_url(location) != canonical_url(expected):
            return Check(**base, ok=False, problem=f"Location {location} is not {expected}")
        same_host = urlsplit(canonical_url(location)).netloc == self.base_origin
        if not same_host and not self.check_external_targets:
            return Check(**base, ok=True)
        target_status, target_problem = self.target_status(location.split("#", 1)[0])
        if target_status != 200:
            detail = target_problem or f"status {target_status}"
            return Check(**base, ok=False, target_status=target_status,
                         problem=f"target {location} answered {detail}, expected 200")
        return Check(**base, ok=True, target_status=200)


def verify_map(
    rules: RedirectMap | Iterable[Redirect],
    base_url: str,
    *,
    concurrency: int = 8,
    timeout: float = 10.0,
    retries: int = 2,
    rate_limit: float | None = None,
    expected_statuses: Sequence[int] = (301, 308),
    progress: Callable[[Check], None] | None = None,
    check_external_targets: bool = False,
    backoff: float = 0.5,
    trace: bool = False,
) -> VerifyResult:
    """Request every rule's source under ``base_url`` without following redirects and check the status,
    that Location names the rule's target (relative Locations made absolute), and that the target
    answers 200; a map's rewrites (pages a static host serves at their extensionless old URL) must
    answer 200 themselves. ``trace`` records each check's whole redirect chain (more requests: one per
    hop, for the report page). ``rate_limit`` caps requests per second; ``progress`` is called once per finished rule.
    Targets on another host than ``base_url`` are only requested with ``check_external_targets``."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OptionError(f"--base-url must be an http(s) URL with a host, not {base_url!r}")
    if concurrency < 1:
        raise OptionError("--concurrency must be at least 1")
    rule_list = list(rules.rules if isinstance(rules, RedirectMap) else rules)
    rewrites = list(rules.rewrites) if isinstance(rules, RedirectMap) else []
    verifier = _Verifier(
        base_url,
        timeout=timeout,
        retries=max(0, retries),
        rate_limit=rate_limit,
        expected_statuses=expected_statuses,
        check_external_targets=check_external_targets,
        backoff=backoff,
        trace=trace,
    )

    def run(rule: Redirect, in_place: bool = False) -> Check:
        try:
            result = verifier.traced(verifier.check_in_place(rule) if in_place else verifier.check(rule))
        except Exception as exc:  # one odd answer must not stop the others
            log.debug("checking %s failed", rule.source, exc_info=True)
            result = Check(rule.source, request_url(base_url, rule.source), rule.target, False,
                           problem=f"{type(exc).__name__}: {exc}")
        if progress is not None:
            progress(result)
        return result

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        checks = tuple(pool.map(run, rule_list + rewrites, [False] * len(rule_list) + [True] * len(rewrites)))
    return VerifyResult(base_url=base_url, checks=checks, expected_statuses=tuple(expected_statuses))

