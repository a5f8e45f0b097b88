"""Bounded HTTP exchanges: every response has a deadline and a size limit.

httpx only has per-operation timeouts, so a server that trickles one byte every few seconds
keeps a request alive forever. `bounded_client` gives each exchange (one request and its
response body, each redirect hop counting as one) a budget:

    deadline = start + base + bytes received / min_rate

so a trickling server is cut about `base` seconds (60 by default) after the request started,
while a large download that keeps at least `min_rate` (64 KiB/s) on average may run longer.
The deadline is enforced on every socket read and write (the network stream clamps its
timeout to what is left), not only between chunks. The body is cut at `max_body` bytes on the
wire (per request through `extensions={"max_body": n}`); callers apply tighter limits to the
bytes they keep. A cut exchange raises `httpx.ReadTimeout` or `BodyTooLarge` (an
`httpx.TransportError`), which callers turn into one line.

Environment proxies (`HTTPS_PROXY`, `NO_PROXY`...) are honoured as httpx does.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from seatrial.errors import UsageError
from seatrial.images.oci import BASE_DEADLINE

MIN_RATE = 64 * 1024
MAX_BODY = 64 << 20

_local = threading.local()


class BodyTooLarge(httpx.TransportError):
    """A response body went past its size limit."""


class _Budget:
    def __init__(self, base: float, min_rate: float) -> None:
        self.start = time.monotonic()
        self.base = base
        self.min_rate = min_rate
        self.received = 0

    def left(self) -> float:
        return self.start + self.base + self.received / self.min_rate - time.monotonic()


@contextmanager
def _active(budget: _Budget) -> Iterator[None]:
    previous = getattr(_local, "budget", None)
    _local.budget = budget
    try:
        yield
    finally:
        _local.budget = previous


def _clamp(timeout: float | None, exc: type[Exception]) -> float | None:
    budget: _Budget | None = getattr(_local, "budget", None)
    if budget is None:
        return timeout
    left = budget.left()
    if left <= 0:
        raise exc("no complete answer within the deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.start_tls(
                ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
            )
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_tcp(
                host, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
            )
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_unix_socket(
                path, _clamp(timeout, httpcore.ConnectTimeout), socket_options
            )
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _network_transport(**kwargs: Any) -> httpx.HTTPTransport:
    """An httpx transport whose sockets obey the per-exchange deadline. httpx has no public
    hook for the network backend: the pool's is wrapped (tests/hostile/test_http_bounds.py
    fails if an upgrade moves it)."""
    transport = httpx.HTTPTransport(**kwargs)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None:
        raise RuntimeError("httpx/httpcore changed: cannot bound socket reads")
    pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport


class _BoundedStream(httpx.SyncByteStream):
    def __init__(
        self, inner: httpx.SyncByteStream, budget: _Budget, max_body: int, request: httpx.Request
    ) -> None:
        self._inner = inner
        self._budget = budget
        self._max = max_body
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        chunks = iter(self._inner)
        while True:
            if self._budget.left() <= 0:
                raise httpx.ReadTimeout(
                    "no complete answer within the deadline", request=self._request
                )
            with _active(self._budget):
                chunk = next(chunks, None)
            if chunk is None:
                return
            self._budget.received += len(chunk)
            if self._budget.received > self._max:
                raise BodyTooLarge(f"response larger than {self._max} bytes", request=self._request)
            yield chunk

    def close(self) -> None:
        with _active(self._budget):
            self._inner.close()


class BoundedTransport(httpx.BaseTransport):
    """Wraps a transport: a budget per exchange, a size limit per response body."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        base: float = BASE_DEADLINE,
        min_rate: float = MIN_RATE,
        max_body: int = MAX_BODY,
    ) -> None:
        self._inner = inner
        self._base = base
        self._min_rate = min_rate
        self._max_body = max_body

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        budget = _Budget(self._base, self._min_rate)
        limit = request.extensions.get("max_body", self._max_body)
        with _active(budget):
            resp = self._inner.handle_request(request)
        stream = resp.stream
        assert isinstance(stream, httpx.SyncByteStream)
        return httpx.Response(
            resp.status_code,
            headers=resp.headers,
            stream=_BoundedStream(stream, budget, int(limit), request),
            extensions=resp.extensions,
        )

    def close(self) -> None:
        self._inner.close()


def _proxy_mounts(
    base: float, min_rate: float, max_body: int, limits: httpx.Limits
) -> dict[str, httpx.BaseTransport | None]:
    """httpx's own environment-proxy routing, for a client built with a custom transport."""
    proxies = urllib.request.getproxies()
    mounts: dict[str, httpx.BaseTransport | None] = {}
    for scheme in ("all", "http", "https"):
        url = proxies.get(scheme)
        if url:
            url = url if "://" in url else f"http://{url}"
            try:
                proxied = _network_transport(proxy=url, limits=limits)
            except (ValueError, ImportError, httpx.InvalidURL):
                raise UsageError(
                    f"{scheme}_proxy: {redact_userinfo(url)} is not a usable proxy URL"
                ) from None
            mounts[f"{scheme}://"] = BoundedTransport(
                proxied, base=base, min_rate=min_rate, max_body=max_body
            )
    if not mounts:
        return {}
    for host in (proxies.get("no") or "").split(","):
        host = host.strip()
        if host == "*":
            return {}
        if host:
            pattern = (
                host
                if "://" in host
                else (
                    f"all://{host}"
                    if host[0].isdigit() or host == "localhost"
                    else f"all://*{host.lstrip('.')}"
                    if host.startswith(".")
                    else f"all://*{host}"
                )
            )
            mounts[pattern] = None
    return mounts


def redact_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}***@{rest.rsplit('@', 1)[1]}" if "@" in rest else url


def bounded_client(
    *,
    timeout: float = 30.0,
    base: float = BASE_DEADLINE,
    min_rate: float = MIN_RATE,
    max_body: int = MAX_BODY,
    transport: httpx.BaseTransport | None = None,
    headers: Mapping[str, str] | None = None,
    limits: httpx.Limits | None = None,
    follow_redirects: bool = True,
) -> httpx.Client:
    """An httpx client whose every exchange is bounded (see the module docstring).
    `transport` (fault-injection tests) is wrapped too, with the checks between chunks."""
    limits = limits or httpx.Limits()
    inner = transport if transport is not None else _network_transport(limits=limits)
    mounts = _proxy_mounts(base, min_rate, max_body, limits) if transport is None else {}
    return httpx.Client(
        transport=BoundedTransport(inner, base=base, min_rate=min_rate, max_body=max_body),
        mounts=mounts,
        follow_redirects=follow_redirects,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": "seatrial", "Accept-Encoding": "identity", **(headers or {})},
    )


def read_limited(resp: httpx.Response, limit: int) -> bytes:
    """The body of a streamed response, at most `limit` bytes (BodyTooLarge beyond)."""
    chunks, total = [], 0
    try:
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise BodyTooLarge(f"response larger than {limit} bytes", request=resp.request)
            chunks.append(chunk)
    finally:
        resp.close()
    return b"".join(chunks)


def read_prefix(resp: httpx.Response, limit: int) -> bytes:
    """At most the first `limit` bytes of a streamed response (an error body); the rest is
    dropped with the connection, never read."""
    chunks, total = [], 0
    try:
        for chunk in resp.iter_bytes():
            chunks.append(chunk)
            total += len(chunk)
            if total >= limit:
                break
    except httpx.HTTPError:
        pass
    finally:
        resp.close()
    return b"".join(chunks)[:limit]
