"""Small real HTTP servers on loopback addresses (127.0.0.1, 127.0.0.2, ...) for the network
tests: they record what each host received and misbehave on purpose (trickle, endless or
huge bodies, generated on the fly and never stored)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@dataclass
class Seen:
    method: str
    path: str
    authorization: str | None


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Iterable[bytes] = ()
    delay: float = 0.0  # between body chunks
    trickle_headers: bool = False  # send the status line and headers one byte at a time


Handler = Callable[[str, str, dict[str, str]], Reply]


@dataclass
class Server:
    host: str
    port: int
    seen: list[Seen]

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.netloc}"

    def authorizations(self) -> set[str]:
        return {s.authorization for s in self.seen if s.authorization}


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up on an endless body is the point of the test


@contextmanager
def serve(handler: Handler, host: str = "127.0.0.1") -> Iterator[Server]:
    seen: list[Seen] = []

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _any(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen.append(Seen(self.command, self.path, headers.get("authorization")))
            reply = handler(self.command, self.path, headers)
            head = f"HTTP/1.1 {reply.status} X\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in reply.headers.items()
            )
            if "Content-Length" not in reply.headers:
                head += "Connection: close\r\n"
            raw = (head + "\r\n").encode()
            if reply.trickle_headers:
                for i in range(len(raw)):
                    self.wfile.write(raw[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.delay)
            else:
                self.wfile.write(raw)
            if self.command == "HEAD":
                return
            for chunk in reply.body:
                self.wfile.write(chunk)
                self.wfile.flush()
                if reply.delay:
                    time.sleep(reply.delay)
            if "Content-Length" not in reply.headers:
                self.close_connection = True

        do_GET = do_HEAD = _any

    srv = _Quiet((host, 0), H)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(host, srv.server_address[1], seen)
    finally:
        srv.shutdown()
        srv.server_close()


def forward(upstream: str) -> Callable[[str, str, dict[str, str]], Reply]:
    """A handler body that passes a request on to `upstream` (the real registry)."""

    def go(method: str, path: str, headers: dict[str, str]) -> Reply:
        resp = httpx.request(
            method, upstream + path, headers={k: v for k, v in headers.items() if k in ("accept",)}
        )
        keep = {
            k: v
            for k, v in resp.headers.items()
            if k.lower() in ("content-type", "docker-content-digest")
        }
        keep["Content-Length"] = resp.headers.get("content-length", str(len(resp.content)))
        return Reply(resp.status_code, keep, [resp.content])

    return go


def endless(chunk: bytes = b"x" * 65536) -> Iterator[bytes]:
    while True:
        yield chunk


def sized(total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """`total` bytes generated on the fly (a 3 GB body is never stored)."""
    block = b"y" * chunk
    while total > 0:
        yield block[:total]
        total -= len(block)
