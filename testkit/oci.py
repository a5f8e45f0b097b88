"""Build container images in Python and push them to a real registry (shared test helper).

Everything is built in memory (tar layers, config, manifest) and pushed through the registry
HTTP API (blob upload POST + PUT, manifest PUT), so tests exercise real registries without
Docker. Typical use, with the session `registry` fixture from tests/conftest.py:

    from testkit.oci import push_image, push_ko_image, Symlink, File

    digest = push_image(registry.url, "team/app", "v1",
                        files={"/bin/sh": File(b"#!", mode=0o755),
                               "/usr/bin/env": Symlink("/bin/sh"),
                               "/opt/run.sh": b"#!/bin/sh\\necho hi\\n"},
                        entrypoint=["/bin/sh"], env=["PATH=/usr/bin:/bin"])
    push_ko_image(registry.url, "clastix/capsule", "v0.10.0", "capsule")  # /ko-app/capsule

Entries of a layer map an absolute or relative path to:
    bytes                         a regular file, mode 0644
    File(content, mode)           a regular file with a mode (0o755 for executables)
    Dir(mode)                     a directory (parents are never required)
    Symlink(target)               a symbolic link
    Hardlink(target)              a hard link to an earlier path of the same layer
    WHITEOUT                      deletes the path from lower layers (written as `.wh.<name>`)
    OPAQUE                        the directory hides everything lower layers put in it
                                  (written as `<dir>/.wh..wh..opq`)
    RawMember(tarinfo, content)   a tar member written exactly as given (hostile input tests)

Multi-layer images: `push_image(..., layers=[{...}, {...}])` (bottom first); `files=` is a
shortcut for one layer. Compression per image: "gzip" (default), "zstd" or "none". Manifest
format: "docker" (v2 schema 2, default) or "oci". Multi-arch: `build_image` per platform, then
`push_index(url, repo, tag, {"linux/amd64": img1, "linux/arm64": img2})`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import httpx
import zstandard

Compression = Literal["gzip", "zstd", "none"]
ManifestFormat = Literal["docker", "oci"]

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"

DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class File:
    content: bytes
    mode: int = 0o644


@dataclass(frozen=True)
class Dir:
    mode: int = 0o755


@dataclass(frozen=True)
class Symlink:
    target: str


@dataclass(frozen=True)
class Hardlink:
    target: str


@dataclass(frozen=True)
class RawMember:
    """A tar member written as is: lets tests put `../x`, `/etc/x` or odd types in a layer."""

    info: tarfile.TarInfo
    content: bytes = b""


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


WHITEOUT = _Marker("WHITEOUT")
OPAQUE = _Marker("OPAQUE")

Entry = bytes | File | Dir | Symlink | Hardlink | RawMember | _Marker
LayerSpec = Mapping[str, Entry]


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Blob:
    data: bytes
    media_type: str

    @property
    def digest(self) -> str:
        return sha256(self.data)

    def descriptor(self) -> dict[str, object]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": len(self.data)}


@dataclass(frozen=True)
class Image:
    """A built image: push its `blobs` then its `manifest` (see `push`)."""

    config: Blob
    layers: tuple[Blob, ...]
    manifest: Blob
    platform: str = "linux/amd64"

    @property
    def digest(self) -> str:
        return self.manifest.digest

    @property
    def blobs(self) -> tuple[Blob, ...]:
        return (self.config, *self.layers)


def _tar_name(path: str) -> str:
    name = path.lstrip("/")
    return name or "."


def _add(tar: tarfile.TarFile, path: str, entry: Entry) -> None:
    if isinstance(entry, RawMember):
        tar.addfile(entry.info, io.BytesIO(entry.content) if entry.content else None)
        return
    name = _tar_name(path)
    if entry is WHITEOUT:
        head, _, base = name.rpartition("/")
        info = tarfile.TarInfo(f"{head}/.wh.{base}" if head else f".wh.{base}")
        tar.addfile(info, io.BytesIO(b""))
        return
    if entry is OPAQUE:
        info = tarfile.TarInfo(f"{name.rstrip('/')}/.wh..wh..opq")
        tar.addfile(info, io.BytesIO(b""))
        return
    info = tarfile.TarInfo(name)
    info.mtime = 0
    if isinstance(entry, bytes):
        entry = File(entry)
    if isinstance(entry, File):
        info.size = len(entry.content)
        info.mode = entry.mode
        tar.addfile(info, io.BytesIO(entry.content))
    elif isinstance(entry, Dir):
        info.type = tarfile.DIRTYPE
        info.mode = entry.mode
        tar.addfile(info)
    elif isinstance(entry, Symlink):
        info.type = tarfile.SYMTYPE
        info.linkname = entry.target
        info.mode = 0o777
        tar.addfile(info)
    elif isinstance(entry, Hardlink):
        info.type = tarfile.LNKTYPE
        info.linkname = _tar_name(entry.target)
        tar.addfile(info)
    else:  # pragma: no cover - guarded by the Entry type
        raise TypeError(f"unknown layer entry {entry!r}")


def tar_bytes(entries: LayerSpec) -> bytes:
    """An uncompressed tar of `entries`, in the order given."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, entry in entries.items():
            _add(tar, path, entry)
    return buf.getvalue()


def compress(data: bytes, compression: Compression) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, compresslevel=1, mtime=0)
    if compression == "zstd":
        return zstandard.ZstdCompressor(level=1).compress(data)
    return data


def layer_media_type(compression: Compression, fmt: ManifestFormat) -> str:
    if fmt == "docker" and compression == "gzip":
        return DOCKER_LAYER_GZIP
    suffix = {"gzip": "+gzip", "zstd": "+zstd", "none": ""}[compression]
    return OCI_LAYER + suffix


@dataclass(frozen=True)
class LayerBlob:
    blob: Blob
    diff_id: str


def build_layer(
    entries: LayerSpec, compression: Compression = "gzip", fmt: ManifestFormat = "docker"
) -> LayerBlob:
    raw = tar_bytes(entries)
    return LayerBlob(
        Blob(compress(raw, compression), layer_media_type(compression, fmt)), sha256(raw)
    )


def build_image(
    files: LayerSpec | None = None,
    *,
    layers: Sequence[LayerSpec | LayerBlob] = (),
    entrypoint: Sequence[str] | None = None,
    cmd: Sequence[str] | None = None,
    env: Sequence[str] | None = None,
    working_dir: str = "",
    user: str = "",
    compression: Compression = "gzip",
    fmt: ManifestFormat = "docker",
    platform: str = "linux/amd64",
) -> Image:
    """Build one image in memory. `files` is a one-layer shortcut; `layers` go bottom first
    (a prebuilt `LayerBlob` is used as is, e.g. a hostile one)."""
    specs: list[LayerSpec | LayerBlob] = list(layers)
    if files is not None:
        specs.append(files)
    built = [s if isinstance(s, LayerBlob) else build_layer(s, compression, fmt) for s in specs]
    os_name, _, arch = platform.partition("/")
    arch, _, variant = arch.partition("/")
    container_config: dict[str, object] = {"Env": list(env) if env is not None else [DEFAULT_PATH]}
    if entrypoint is not None:
        container_config["Entrypoint"] = list(entrypoint)
    if cmd is not None:
        container_config["Cmd"] = list(cmd)
    if working_dir:
        container_config["WorkingDir"] = working_dir
    if user:
        container_config["User"] = user
    config_doc: dict[str, object] = {
        "architecture": arch,
        "os": os_name,
        "config": container_config,
        "rootfs": {"type": "layers", "diff_ids": [b.diff_id for b in built]},
        "history": [{"created_by": "testkit/oci.py"} for _ in built],
    }
    if variant:
        config_doc["variant"] = variant
    config = Blob(
        json.dumps(config_doc, sort_keys=True).encode(),
        DOCKER_CONFIG if fmt == "docker" else OCI_CONFIG,
    )
    manifest_type = DOCKER_MANIFEST if fmt == "docker" else OCI_MANIFEST
    manifest_doc = {
        "schemaVersion": 2,
        "mediaType": manifest_type,
        "config": config.descriptor(),
        "layers": [b.blob.descriptor() for b in built],
    }
    manifest = Blob(json.dumps(manifest_doc, indent=2).encode(), manifest_type)
    return Image(config, tuple(b.blob for b in built), manifest, platform)


def build_index(images: Sequence[Image], fmt: ManifestFormat = "oci") -> Blob:
    media_type = OCI_INDEX if fmt == "oci" else DOCKER_LIST
    manifests = []
    for img in images:
        os_name, _, arch = img.platform.partition("/")
        arch, _, variant = arch.partition("/")
        plat: dict[str, str] = {"os": os_name, "architecture": arch}
        if variant:
            plat["variant"] = variant
        manifests.append({**img.manifest.descriptor(), "platform": plat})
    doc = {"schemaVersion": 2, "mediaType": media_type, "manifests": manifests}
    return Blob(json.dumps(doc, indent=2).encode(), media_type)


# --- pushing -------------------------------------------------------------------------------


def _client() -> httpx.Client:
    return httpx.Client(timeout=30.0)


def push_blob(registry_url: str, repo: str, data: bytes, client: httpx.Client | None = None) -> str:
    """Upload one blob (monolithic POST then PUT); returns its digest."""
    digest = sha256(data)
    own = client is None
    c = client or _client()
    try:
        if c.head(f"{registry_url}/v2/{repo}/blobs/{digest}").status_code == 200:
            return digest
        start = c.post(f"{registry_url}/v2/{repo}/blobs/uploads/")
        start.raise_for_status()
        location = start.headers["Location"]
        if location.startswith("/"):
            location = registry_url + location
        sep = "&" if "?" in location else "?"
        done = c.put(
            f"{location}{sep}digest={digest}",
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        done.raise_for_status()
        return digest
    finally:
        if own:
            c.close()


def push_manifest(
    registry_url: str, repo: str, reference: str, manifest: Blob, client: httpx.Client | None = None
) -> str:
    own = client is None
    c = client or _client()
    try:
        r = c.put(
            f"{registry_url}/v2/{repo}/manifests/{reference}",
            content=manifest.data,
            headers={"Content-Type": manifest.media_type},
        )
        if r.status_code >= 400:
            raise RuntimeError(f"manifest PUT {repo}:{reference} -> {r.status_code}: {r.text}")
        return manifest.digest
    finally:
        if own:
            c.close()


def push(registry_url: str, repo: str, tag: str | None, image: Image) -> str:
    """Push a built image (blobs, then manifest under `tag`, or by digest when None)."""
    with _client() as c:
        for blob in image.blobs:
            push_blob(registry_url, repo, blob.data, c)
        return push_manifest(registry_url, repo, tag or image.digest, image.manifest, c)


def push_image(
    registry_url: str, repo: str, tag: str | None, files: LayerSpec | None = None, **kwargs: object
) -> str:
    """Build (see `build_image` for keyword arguments) and push; returns the manifest digest."""
    return push(registry_url, repo, tag, build_image(files, **kwargs))  # type: ignore[arg-type]


def push_index(
    registry_url: str,
    repo: str,
    tag: str,
    images: Mapping[str, Image] | Sequence[Image],
    fmt: ManifestFormat = "oci",
) -> str:
    """Push each platform image by digest, then an index (OCI) or manifest list (docker)."""
    imgs = list(images.values()) if isinstance(images, Mapping) else list(images)
    for img in imgs:
        push(registry_url, repo, None, img)
    index = build_index(imgs, fmt)
    with _client() as c:
        return push_manifest(registry_url, repo, tag, index, c)


@dataclass(frozen=True)
class KoImage:
    """What `ko build` produces: a static binary at /ko-app/NAME, the ENTRYPOINT pointing
    there, kodata under /var/run/ko, on a distroless-like base without a shell."""

    name: str
    extra: Mapping[str, Entry] = field(default_factory=dict)

    def layers(self) -> list[LayerSpec]:
        base: dict[str, Entry] = {
            "/etc/passwd": b"root:x:0:0:root:/root:/sbin/nologin\n"
            b"nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n",
            "/etc/ssl/certs/ca-certificates.crt": b"-----BEGIN CERTIFICATE-----\n",
            "/tmp": Dir(0o1777),
            "/home/nonroot": Dir(0o700),
        }
        app: dict[str, Entry] = {
            "/ko-app": Dir(),
            f"/ko-app/{self.name}": File(b"\x7fELF" + self.name.encode() * 16, 0o755),
            "/var/run/ko": Dir(),
            **self.extra,
        }
        return [base, app]

    def build(self, **kwargs: object) -> Image:
        return build_image(
            layers=self.layers(),
            entrypoint=[f"/ko-app/{self.name}"],
            env=[
                "PATH=/usr/local/bin:/usr/bin:/bin:/ko-app",
                "KO_DATA_PATH=/var/run/ko",
                "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
            ],
            user="65532",
            **kwargs,  # type: ignore[arg-type]
        )


def push_ko_image(registry_url: str, repo: str, tag: str, name: str, **kwargs: object) -> str:
    """Push a ko-style image whose ENTRYPOINT is /ko-app/NAME; returns the manifest digest."""
    return push(registry_url, repo, tag, KoImage(name).build(**kwargs))


def busybox_layer(*programs: str) -> dict[str, Entry]:
    """A small base layer with /bin/sh and the named programs as executables in /bin (the
    usual shell image), plus /usr/bin/env as a symlink."""
    out: dict[str, Entry] = {
        "/bin/sh": File(b"\x7fELFsh", 0o755),
        "/usr/bin/env": Symlink("/bin/sh"),
    }
    for prog in programs:
        out[f"/bin/{prog}"] = File(b"\x7fELF" + prog.encode(), 0o755)
    return out
