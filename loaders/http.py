"""The one HTTP client every harvester gets injected: polite, patient, and clear when it gives up.

Sources are public services run on small budgets; a harvest that hammers them
gets the portal blocked. So every request goes through `HttpClient.get`:

- a per-source rate limit (sliding windows, e.g. loc.gov's item endpoint:
  burst 10 requests / 10 s and crawl 200 / min), taken before *every*
  attempt, retries included;
- retries with exponential back-off on 5xx answers and connection errors;
- `Retry-After` (seconds or an HTTP date) honoured on 429 and 503, up to a
  ceiling: a source asking for a longer pause stops the load with a message
  (the checkpoint lets the same command resume later);
- a User-Agent naming Meros, its version and the operator's contact;
- connect and read timeouts on every request.

The `requests.Session` is injected too (tests and a caching session can pass
their own); the client closes only a session it created.
"""
from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from urllib.parse import urlsplit

import requests

from ontology.errors import MerosError

log = logging.getLogger("meros.http")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_STATUSES = frozenset({429, 503})


class HttpError(MerosError):
    """A request that failed for good (after the retries it deserved); names the URL and what came back."""

    status = 502

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code


def meros_version() -> str:
    try:
        return metadata.version("meros-portal")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def user_agent(contact: str = "") -> str:
    """'Meros/0.1.0 (cultural heritage portal harvester; +contact) python-requests/2.x'.

    >>> user_agent("mailto:ops@meros.invalid").startswith("Meros/")
    True
    """
    who = f"; {contact}" if contact else ""
    return f"Meros/{meros_version()} (cultural heritage portal harvester{who}) python-requests/{requests.__version__}"


class Window:
    """At most `n` requests in any `per` seconds: a sliding window over the times of the last `n` requests.

    Sources publish their limits as windows ("10 requests per 10 seconds"); a
    plain token bucket of the same size would let up to twice that through
    across a window's edge and get the harvester blocked, so each bucket of a
    `RateLimit` keeps the window exactly.
    """

    def __init__(self, n: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        if n < 1 or per <= 0:
            raise ValueError("a rate limit needs at least 1 request per a positive period")
        self.n, self.per, self.clock = n, per, clock
        self.stamps: deque[float] = deque()

    def wait_time(self) -> float:
        """Seconds until one more request fits in the window (0 if it fits now)."""
        now = self.clock()
        while self.stamps and self.stamps[0] <= now - self.per:
            self.stamps.popleft()
        return 0.0 if len(self.stamps) < self.n else self.stamps[0] + self.per - now

    def take(self) -> None:
        self.stamps.append(self.clock())


@dataclass
class RateLimit:
    """Several windows (a burst limit and a crawl limit) that must all grant a request.

    >>> RateLimit.parse("10/10,200/60").describe()
    '10 requests / 10 s, 200 requests / 60 s'
    """

    limits: tuple[tuple[float, float], ...]  # (requests, per seconds)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _buckets: list[Window] = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._buckets = [Window(int(n), per, self.clock) for n, per in self.limits]

    @classmethod
    def parse(cls, text: str) -> "RateLimit":
        """'N/S[,N/S…]': N requests per S seconds, each pair one bucket ('5/1' is 5 a second)."""
        pairs = []
        for part in (p.strip() for p in text.split(",") if p.strip()):
            try:
                n, per = (float(x) for x in part.split("/"))
            except ValueError:
                raise MerosError(f"rate limit {text!r}: write N/SECONDS pairs, e.g. '10/10,200/60'", 400) from None
            if n < 1 or per <= 0 or n != int(n):
                raise MerosError(f"rate limit {text!r}: N must be a whole number of requests, 1 or more, "
                                 "and SECONDS positive", 400)
            pairs.append((n, per))
        if not pairs:
            raise MerosError(f"rate limit {text!r} is empty", 400)
        return cls(tuple(pairs))

    def describe(self) -> str:
        return ", ".join(f"{n:g} requests / {per:g} s" for n, per in self.limits)

    def acquire(self) -> float:
        """Block until every bucket grants a request; returns the seconds waited."""
        waited = 0.0
        with self._lock:
            while True:
                delay = max(b.wait_time() for b in self._buckets)
                if delay <= 0:
                    for b in self._buckets:
                        b.take()
                    return waited
                self.sleep(delay)
                waited += delay


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent or unreadable.

    >>> parse_retry_after("120"), parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT",
    ...     datetime(2015, 10, 21, 7, 28, tzinfo=timezone.utc)), parse_retry_after("soon")
    (120.0, 10.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class HttpClient:
    """GET with rate limits per source, retries, back-off and `Retry-After`; see the module docstring."""

    def __init__(self, session: requests.Session | None = None, *, limits: Mapping[str, RateLimit] | None = None,
                 default_limit: RateLimit | None = None, contact: str = "", timeout: float = 30.0,
                 connect_timeout: float = 10.0, retries: int = 4, backoff: float = 1.0, max_wait: float = 300.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._owns_session = session is None
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent(contact)
        self.limits: dict[str, RateLimit] = dict(limits or {})
        self.default_limit = default_limit
        self.timeout = (connect_timeout, timeout)
        self.retries, self.backoff, self.max_wait, self.sleep = retries, backoff, max_wait, sleep
        self.requests_sent = 0
        self.waited = 0.0  # seconds spent waiting for rate limits, back-off and Retry-After

    def limit_for(self, source: str) -> RateLimit | None:
        if source not in self.limits and self.default_limit is not None:
            self.limits[source] = RateLimit(self.default_limit.limits, self.default_limit.sleep,
                                            self.default_limit.clock)
        return self.limits.get(source)

    def get(self, url: str, *, params: Mapping[str, str | int] | None = None, source: str | None = None,
            accept: str | None = None) -> requests.Response:
        """The response (2xx, or another status that retrying cannot change, e.g. 404); HttpError when it gives up.

        `source` names the rate limit to apply (default: the URL's host).
        """
        source = source or urlsplit(url).netloc
        limit = self.limit_for(source)
        headers = {"Accept": accept} if accept else None
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            if limit is not None:
                self.waited += limit.acquire()
            self.requests_sent += 1
            try:
                resp = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                if attempt == attempts:
                    raise HttpError(f"GET {url}: no answer after {attempts} attempts ({type(exc).__name__}: {exc})",
                                    url=url) from None
                self._pause(self._backoff(attempt), f"GET {url}: {type(exc).__name__}", attempt, attempts)
                continue
            if resp.status_code not in RETRY_STATUSES:
                return resp
            shown = resp.url or url
            wait = parse_retry_after(resp.headers.get("Retry-After")) \
                if resp.status_code in RETRY_AFTER_STATUSES else None
            resp.close()
            if wait is not None and wait > self.max_wait:
                raise HttpError(f"GET {shown}: {resp.status_code}, and the source asks us to wait {wait:.0f} s "
                                f"(more than MEROS_HTTP_MAX_WAIT={self.max_wait:g} s); run the same command later: "
                                "it resumes from its checkpoint", url=shown, status_code=resp.status_code)
            if attempt == attempts:
                raise HttpError(f"GET {shown}: {resp.status_code} {resp.reason} after {attempts} attempts",
                                url=shown, status_code=resp.status_code)
            self._pause(wait if wait is not None else self._backoff(attempt),
                        f"GET {shown}: {resp.status_code} {resp.reason}", attempt, attempts)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return min(self.max_wait, self.backoff * 2 ** (attempt - 1))

    def _pause(self, seconds: float, what: str, attempt: int, attempts: int) -> None:
        log.warning("%s; retrying in %.1f s (attempt %d of %d)", what, seconds, attempt + 1, attempts)
        self.waited += seconds
        self.sleep(seconds)

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
