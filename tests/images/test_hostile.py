"""Hostile images and misbehaving registries: one clear ImageProblem each, never a crash,
a hang, or a write outside the cache."""

from __future__ import annotations

import gzip
import io
import socket
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from testkit.oci import (
    Blob,
    File,
    LayerBlob,
    RawMember,
    build_image,
    push,
    sha256,
    tar_bytes,
)
from tests.conftest import Registry
from tests.images.fake_registry import FakeRegistry

from seatrial.archive import ArchiveLimits
from seatrial.facts.image import ImageFacts, ImageProblem
from seatrial.images.cache import Cache
from seatrial.images.gather import ImageOptions, gather_images
from seatrial.images.index import read_image_file
from seatrial.images.refs import parse_reference
from seatrial.images.registry import RegistryClient


def problem(result: object) -> ImageProblem:
    assert isinstance(result, ImageProblem), result
    return result


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


def raw(
    name: str, content: bytes = b"x", type_: bytes = tarfile.REGTYPE, link: str = ""
) -> RawMember:
    info = tarfile.TarInfo(name)
    info.size = len(content) if type_ == tarfile.REGTYPE else 0
    info.type = type_
    info.linkname = link
    return RawMember(info, content if type_ == tarfile.REGTYPE else b"")


def test_dotdot_entry_is_refused_and_nothing_written_outside(
    registry: Registry, tmp_path: Path
) -> None:
    push(
        registry.url,
        "hostile/dotdot",
        "1",
        build_image({"ok": b"fine", "x": raw("../../../../escaped-by-seatrial")}),
    )
    ref = f"{registry.host}/hostile/dotdot:1"
    before = files_under(tmp_path.parent)
    got = problem(gather_images([ref], ImageOptions(cache_dir=tmp_path / "cache"))[ref])
    assert got.kind == "unverifiable"
    assert (
        "refusing a hostile archive: path '../../../../escaped-by-seatrial' escapes the "
        "archive root"
    ) in got.reason
    created = files_under(tmp_path.parent) - before
    assert all(p.startswith(f"{tmp_path.name}/cache") for p in created), created
    assert not Path("/escaped-by-seatrial").exists()


def test_absolute_names_are_taken_from_the_root(registry: Registry, tmp_path: Path) -> None:
    push(
        registry.url,
        "hostile/abs",
        "1",
        build_image({"x": raw("/etc/abs-file", b"abs"), "y": raw("./rel/./f", b"rel")}),
    )
    ref = f"{registry.host}/hostile/abs:1"
    f = gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref]
    assert isinstance(f, ImageFacts)
    assert read_image_file(f, "/etc/abs-file") == b"abs"
    assert read_image_file(f, "/rel/f") == b"rel"


def test_symlink_loops_and_escaping_links_stay_inside(registry: Registry, tmp_path: Path) -> None:
    push(
        registry.url,
        "hostile/links",
        "1",
        build_image(
            {
                "a": raw("/a", type_=tarfile.SYMTYPE, link="/b"),
                "b": raw("/b", type_=tarfile.SYMTYPE, link="a"),
                "up": raw("/usr/up", type_=tarfile.SYMTYPE, link="../../../../etc/passwd"),
                "passwd": raw("/etc/passwd", b"root:x:0:0"),
                "self": raw("/self", type_=tarfile.SYMTYPE, link="self/x"),
            }
        ),
    )
    ref = f"{registry.host}/hostile/links:1"
    f = gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref]
    assert isinstance(f, ImageFacts)
    assert not f.exists("/a") and not f.exists("/self")
    assert read_image_file(f, "/a") is None
    assert read_image_file(f, "/usr/up") == b"root:x:0:0"  # `..` stops at the image root


def test_gzip_bomb_is_refused(registry: Registry, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("zeros")
        info.size = 16 << 20
        tar.addfile(info, io.BytesIO(bytes(info.size)))
    data = gzip.compress(buf.getvalue(), 9)
    bomb = LayerBlob(Blob(data, "application/vnd.oci.image.layer.v1.tar+gzip"), sha256(b""))
    push(registry.url, "hostile/bomb", "1", build_image(layers=[bomb]))
    ref = f"{registry.host}/hostile/bomb:1"
    limits = ArchiveLimits(max_ratio=100, ratio_floor=1 << 20)
    opts = ImageOptions(cache_dir=tmp_path, limits=limits)
    got = problem(gather_images([ref], opts)[ref])
    assert got.kind == "unverifiable"
    assert (
        f"refusing a decompression bomb: it unpacks to more than {100 * len(data)} bytes "
        f"from {len(data)} packed (limit 100x the packed size, at least 1048576, at most "
        f"{64 << 30} bytes)"
    ) in got.reason


def test_truncated_gzip_layer(registry: Registry, tmp_path: Path) -> None:
    whole = gzip.compress(tar_bytes({"/big": File(bytes(range(256)) * 4096)}))
    cut = LayerBlob(
        Blob(whole[: len(whole) // 2], "application/vnd.oci.image.layer.v1.tar+gzip"), sha256(b"")
    )
    push(registry.url, "hostile/cut", "1", build_image(layers=[cut]))
    ref = f"{registry.host}/hostile/cut:1"
    got = problem(gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref])
    assert got.kind == "unverifiable"
    assert "broken or truncated archive" in got.reason


def test_not_a_tar_at_all(registry: Registry, tmp_path: Path) -> None:
    junk = LayerBlob(
        Blob(b"\x00garbage" * 100, "application/vnd.oci.image.layer.v1.tar"), sha256(b"")
    )
    push(registry.url, "hostile/junk", "1", build_image(layers=[junk]))
    ref = f"{registry.host}/hostile/junk:1"
    got = problem(gather_images([ref], ImageOptions(cache_dir=tmp_path))[ref])
    assert "broken or truncated archive" in got.reason


# --- fault injection through httpx.MockTransport ---------------------------------------


@pytest.fixture
def fake() -> FakeRegistry:
    reg = FakeRegistry()
    reg.add(
        "app", "1", build_image({"/bin/app": File(b"app" * 100, 0o755)}, entrypoint=["/bin/app"])
    )
    return reg


def gather_fake(fake: FakeRegistry, tmp_path: Path, **kw: object) -> object:
    opts = ImageOptions(cache_dir=tmp_path, transport=fake.transport(), **kw)  # type: ignore[arg-type]
    return gather_images(["fault.test/app:1"], opts)["fault.test/app:1"]


def layer_digest(fake: FakeRegistry) -> str:
    return max(
        fake.blobs, key=lambda d: len(fake.blobs[d]) if b"config" not in fake.blobs[d][:200] else -1
    )


def test_served_blob_with_wrong_content(fake: FakeRegistry, tmp_path: Path) -> None:
    for digest, data in list(fake.blobs.items()):
        fake.blobs[digest] = data[:-1] + bytes([data[-1] ^ 1])
    got = problem(gather_fake(fake, tmp_path))
    assert got.kind == "unverifiable"
    assert "does not match digest sha256:" in got.reason
    stored = {p.name for p in (tmp_path / "v1" / "blobs" / "sha256").iterdir()}
    assert stored == {fake.manifests["app:1"].digest.removeprefix("sha256:")}


def test_served_blob_cut_short(fake: FakeRegistry, tmp_path: Path) -> None:
    for digest, data in list(fake.blobs.items()):
        fake.blobs[digest] = data[: len(data) // 2]
    got = problem(gather_fake(fake, tmp_path))
    assert "is truncated:" in got.reason


def test_manifest_digest_mismatch_and_path_digest(fake: FakeRegistry, tmp_path: Path) -> None:
    hostile = Blob(
        b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
        b'"config":{"digest":"sha256:../../../../etc/x","size":1},"layers":[]}',
        "application/vnd.oci.image.manifest.v1+json",
    )
    fake.manifests["app:1"] = fake.manifests[f"app@{hostile.digest}"] = hostile
    got = problem(gather_fake(fake, tmp_path))
    assert got.reason == (
        "fault.test/app:1: unsupported or malformed digest 'sha256:../../../../etc/x'"
    )
    fake.faults.append(
        lambda r: (
            httpx.Response(
                200, content=b"{}", headers={"Docker-Content-Digest": "sha256:" + "1" * 64}
            )
            if "/manifests/" in r.url.path
            else None
        )
    )
    got = problem(gather_fake(fake, tmp_path))
    assert "does not match its digest" in got.reason


def test_500_is_retried_then_reported(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.faults.append(lambda r: httpx.Response(500))
    got = problem(gather_fake(fake, tmp_path, retries=1))
    assert got == ImageProblem(
        "unverifiable", "fault.test/app:1: fault.test: answered 500 after 2 attempts"
    )
    assert len(fake.seen) == 2


def test_429_honours_retry_after(fake: FakeRegistry, tmp_path: Path) -> None:
    calls = {"n": 0}

    def limited(request: httpx.Request) -> httpx.Response | None:
        calls["n"] += 1
        return httpx.Response(429, headers={"Retry-After": "3"}) if calls["n"] <= 2 else None

    fake.faults.append(limited)
    slept: list[float] = []
    client = RegistryClient(transport=fake.transport(), sleep=slept.append)
    ref = parse_reference("fault.test/app:1")
    assert client.head_digest(ref) == fake.manifests["app:1"].digest
    assert slept == [3.0, 3.0]
    fake.faults[:] = [lambda r: httpx.Response(429, headers={"Retry-After": "3600"})]
    got = problem(gather_fake(fake, tmp_path))
    assert got.reason == "fault.test/app:1: fault.test: answered 429 and asks to retry after 3600s"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    conns: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                conns.append(srv.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    thread.join()
    for c in conns:
        c.close()
    srv.close()


def test_server_that_never_answers_times_out(silent_server: str, tmp_path: Path) -> None:
    ref = f"{silent_server}/app:1"
    got = problem(gather_images([ref], ImageOptions(cache_dir=tmp_path, timeout=0.5))[ref])
    assert got == ImageProblem(
        "unverifiable", f"{ref}: {silent_server}: no answer within the timeout (HEAD manifests/1)"
    )


def test_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ref = f"127.0.0.1:{port}/app:1"
    got = problem(gather_images([ref], ImageOptions(cache_dir=tmp_path, retries=0))[ref])
    assert got.reason == f"{ref}: 127.0.0.1:{port}: cannot connect (ConnectError)"


def test_cache_drops_corrupted_small_blob(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    data = b'{"a": 1}'
    digest = sha256(data)
    cache.put_small(digest, data)
    assert cache.get_small(digest) == data
    cache.blob_path(digest).write_bytes(b'{"a": 2}')
    assert cache.get_small(digest) is None
    assert not cache.blob_path(digest).exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>not json</html>", "manifest of fault.test/app:1 is not JSON"),
        (
            b'{"schemaVersion": 1, "fsLayers": []}',
            "manifest of fault.test/app:1 uses the retired schema 1 format",
        ),
        (b"[1, 2]", "manifest of fault.test/app:1 is not a JSON object"),
        (
            b'{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json"}',
            "fault.test/app:1: manifest has no layer list",
        ),
    ],
)
def test_malformed_manifests(fake: FakeRegistry, tmp_path: Path, body: bytes, reason: str) -> None:
    bad = Blob(body, "application/vnd.oci.image.manifest.v1+json")
    fake.manifests["app:1"] = fake.manifests[f"app@{bad.digest}"] = bad
    assert problem(gather_fake(fake, tmp_path)) == ImageProblem("unverifiable", reason)
