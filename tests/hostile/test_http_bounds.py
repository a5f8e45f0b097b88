"""Every HTTP exchange is bounded: a deadline (a server trickling bytes is cut, however slowly it
sends) and a size limit on every body (error bodies, manifests, tag lists, token answers,
blobs). Real loopback servers misbehave on purpose; bodies of gigabytes are generated on the
fly, never stored. Timings are asserted only against a generous upper bound."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from tests.hostile.netserve import Reply, Server, endless, serve, sized

from seatrial.facts.image import ImageProblem, ImageResult
from seatrial.images import exchange
from seatrial.images.gather import ImageOptions, gather_images

BOUND = 30.0  # seconds: every case here must end well within it
CONFIG = b'{"config": {"Entrypoint": ["/app"]}}'
CONFIG_DIGEST = "sha256:" + hashlib.sha256(CONFIG).hexdigest()
MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "digest": CONFIG_DIGEST,
            "size": len(CONFIG),
        },
        "layers": [],
    }
).encode()
MANIFEST_DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
JSON = "application/vnd.docker.distribution.manifest.v2+json"

Handler = Callable[[str, str, dict[str, str]], Reply]


def ok(body: bytes, content_type: str = JSON) -> Reply:
    return Reply(
        200,
        {
            "Content-Type": content_type,
            "Content-Length": str(len(body)),
            "Docker-Content-Digest": "sha256:" + hashlib.sha256(body).hexdigest(),
        },
        [body],
    )


def registry(
    manifest: Handler | None = None,
    blob: Handler | None = None,
    tags: Handler | None = None,
    v2: Handler | None = None,
) -> Handler:
    """A registry serving MANIFEST and CONFIG, with one endpoint swapped for a hostile one."""

    def handle(method: str, path: str, headers: dict[str, str]) -> Reply:
        if v2 is not None and not path.startswith("/token"):
            return v2(method, path, headers)
        if "/manifests/" in path:
            return (manifest or (lambda *_: ok(MANIFEST)))(method, path, headers)
        if "/blobs/" in path:
            return (blob or (lambda *_: ok(CONFIG, "application/json")))(method, path, headers)
        if "/tags/list" in path and tags is not None:
            return tags(method, path, headers)
        return Reply(404, {"Content-Length": "0"})

    return handle


def run(
    handler: Handler, cache: Path, ref_path: str = "app:1", deadline: float = 3.0
) -> tuple[ImageResult, float, Server]:
    with serve(handler) as srv:
        ref = f"{srv.netloc}/{ref_path}"
        start = time.monotonic()
        got = gather_images([ref], ImageOptions(cache_dir=cache, retries=0, deadline=deadline))[ref]
        took = time.monotonic() - start
    assert took < BOUND, took
    return got, took, srv


def unverifiable(got: ImageResult) -> str:
    assert isinstance(got, ImageProblem) and got.kind == "unverifiable", got
    return got.reason


def trickle(body: bytes, headers_too: bool = False) -> Handler:
    def handle(method: str, path: str, headers: dict[str, str]) -> Reply:
        return Reply(
            200,
            {"Content-Type": JSON, "Content-Length": str(len(body))},
            (body[i : i + 1] for i in range(len(body))),
            delay=0.5,
            trickle_headers=headers_too,
        )

    return handle


def test_trickled_manifest_body_is_cut_at_the_deadline(tmp_path: Path) -> None:
    got, took, _ = run(registry(manifest=trickle(MANIFEST)), tmp_path, f"app@{MANIFEST_DIGEST}")
    assert unverifiable(got).endswith(f"no complete manifest {MANIFEST_DIGEST} within the deadline")
    assert took >= 2.5  # it was the deadline (3 s), not the 30 s read timeout, that cut it


def test_trickled_response_headers_are_cut_at_the_deadline(tmp_path: Path) -> None:
    got, _, srv = run(registry(v2=trickle(b"{}", headers_too=True)), tmp_path)
    assert unverifiable(got) == (
        f"{srv.netloc}/app:1: {srv.netloc}: no answer within the timeout (HEAD manifests/1)"
    )


def test_endless_manifest_is_cut_at_its_size_limit(tmp_path: Path) -> None:
    def forever(method: str, path: str, headers: dict[str, str]) -> Reply:
        return Reply(200, {"Content-Type": JSON}, endless())

    got, _, _ = run(registry(manifest=forever), tmp_path, f"app@{MANIFEST_DIGEST}")
    assert unverifiable(got).endswith(f"manifest {MANIFEST_DIGEST} is larger than 4194304 bytes")


def test_three_gigabyte_error_body_is_not_read(tmp_path: Path) -> None:
    def huge_error(method: str, path: str, headers: dict[str, str]) -> Reply:
        return Reply(400, {"Content-Length": str(3 << 30)}, sized(3 << 30))

    got, _, srv = run(registry(manifest=huge_error), tmp_path, f"app@{MANIFEST_DIGEST}")
    assert unverifiable(got) == (
        f"{srv.netloc}/app@{MANIFEST_DIGEST}: {srv.netloc}: "
        f"answered 400 for manifest {MANIFEST_DIGEST}"
    )


def test_huge_tag_list_is_cut_and_the_missing_tag_still_reported(tmp_path: Path) -> None:
    def missing(method: str, path: str, headers: dict[str, str]) -> Reply:
        body = b'{"errors": [{"code": "MANIFEST_UNKNOWN"}]}'
        return Reply(404, {"Content-Length": str(len(body))}, [body])

    def tags(method: str, path: str, headers: dict[str, str]) -> Reply:
        return Reply(
            200,
            {"Content-Type": "application/json"},
            iter([b'{"name": "app", "tags": [', *([b'"1.0.0",' * 8192] * 40000)]),
        )

    got, _, srv = run(registry(manifest=missing, tags=tags), tmp_path, "app:1.0.1")
    assert got == ImageProblem("not-found", f"tag 1.0.1 is not published in {srv.netloc}/app")


def test_endless_blob_is_cut_at_its_declared_size(tmp_path: Path) -> None:
    def forever(method: str, path: str, headers: dict[str, str]) -> Reply:
        return Reply(200, {"Content-Type": "application/json"}, endless())

    got, _, _ = run(registry(blob=forever), tmp_path, f"app@{MANIFEST_DIGEST}")
    assert unverifiable(got).endswith(f"blob {CONFIG_DIGEST} is larger than its declared size")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (
            "endless",
            "token service unreachable or misbehaving (response larger than 1048576 bytes)",
        ),
        (
            "trickle",
            "token service unreachable or misbehaving (no complete answer within the deadline)",
        ),
    ],
)
def test_token_service_answers_are_bounded(answer: str, reason: str, tmp_path: Path) -> None:
    def token(method: str, path: str, headers: dict[str, str]) -> Reply:
        if answer == "endless":
            return Reply(200, {"Content-Type": "application/json"}, endless())
        return Reply(200, {"Content-Length": "100"}, (b"{" for _ in range(100)), delay=0.5)

    with serve(token, "127.0.0.2") as realm:

        def gate(method: str, path: str, headers: dict[str, str]) -> Reply:
            return Reply(
                401,
                {"WWW-Authenticate": f'Bearer realm="{realm.url}/token"', "Content-Length": "0"},
            )

        got, _, srv = run(registry(v2=gate), tmp_path)
    assert unverifiable(got) == f"{srv.netloc}/app:1: {srv.netloc}: {reason}"


def test_the_socket_backend_is_still_wrapped() -> None:
    """The deadline lives in httpcore's network backend: fail loudly if an upgrade moves it."""
    client = exchange.bounded_client()
    try:
        transport = client._transport  # the only reach into httpx internals, on purpose
        assert isinstance(transport, exchange.BoundedTransport)
        pool = transport._inner._pool  # type: ignore[attr-defined]
        assert isinstance(pool._network_backend, exchange._DeadlineBackend)
    finally:
        client.close()


def test_a_timeout_inside_an_error_body_never_escapes(tmp_path: Path) -> None:
    """The error body of a 400 stops mid-way with a timeout (as after 3 GB of it): the status
    is the answer, the timeout never escapes as a traceback."""

    class Stalls(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b'{"errors": ['
            raise httpx.ReadTimeout("stalled")

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, stream=Stalls())

    ref = f"fault.test/app@{MANIFEST_DIGEST}"
    got = gather_images(
        [ref], ImageOptions(cache_dir=tmp_path, retries=0, transport=httpx.MockTransport(answer))
    )[ref]
    assert unverifiable(got) == f"{ref}: fault.test: answered 400 for manifest {MANIFEST_DIGEST}"
