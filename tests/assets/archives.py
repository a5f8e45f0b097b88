"""Build real archives for the assets tests: tar (plain, gz, zst, xz), zip and .deb."""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import zstandard


@dataclass(frozen=True)
class Member:
    """A file (`data`), a symlink (`symlink`) or a hard link (`hardlink`) at `path`."""

    path: str
    data: bytes = b""
    mode: int = 0o644
    symlink: str = ""
    hardlink: str = ""


def exe(path: str, tag: str = "") -> Member:
    """An executable whose content is unique to its path (and `tag`, to make versions differ)."""
    return Member(path, b"\x7fELF" + f"{path}:{tag}".encode() * 16, 0o755)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tar_bytes(members: list[Member]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for m in members:
            info = tarfile.TarInfo(m.path)
            info.mode = m.mode
            info.mtime = int(time.time())
            if m.symlink:
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, m.symlink, 0o777
                tf.addfile(info)
            elif m.hardlink:
                info.type, info.linkname = tarfile.LNKTYPE, m.hardlink
                tf.addfile(info)
            else:
                info.size = len(m.data)
                tf.addfile(info, io.BytesIO(m.data))
    return buf.getvalue()


def compress(data: bytes, how: str) -> bytes:
    if how == "gz":
        return gzip.compress(data, compresslevel=1)
    if how == "zst":
        return zstandard.ZstdCompressor(level=1).compress(data)
    if how == "xz":
        return lzma.compress(data)
    assert how == "", how
    return data


def write_tar(path: Path, members: list[Member], how: str = "gz") -> Path:
    path.write_bytes(compress(tar_bytes(members), how))
    return path


def write_zip(path: Path, members: list[Member]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for m in members:
            info = zipfile.ZipInfo(m.path)
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            if m.symlink:
                info.external_attr = 0o120777 << 16
                zf.writestr(info, m.symlink)
            else:
                info.external_attr = (0o100000 | m.mode) << 16
                zf.writestr(info, m.data)
    return path


def _ar_member(name: str, data: bytes) -> bytes:
    header = f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(data):<10}`\n".encode()
    assert len(header) == 60
    return header + data + (b"\n" if len(data) % 2 else b"")


def write_deb(path: Path, members: list[Member], how: str = "xz") -> Path:
    """A real Debian package: debian-binary, control.tar.xz, data.tar.<how>."""
    control = tar_bytes([Member("./control", b"Package: demo\nVersion: 1.0\n")])
    data = tar_bytes(
        [Member("./" + m.path, m.data, m.mode, m.symlink, m.hardlink) for m in members]
    )
    suffix = f".{how}" if how else ""
    path.write_bytes(
        b"!<arch>\n"
        + _ar_member("debian-binary", b"2.0\n")
        + _ar_member("control.tar.xz", lzma.compress(control))
        + _ar_member(f"data.tar{suffix}", compress(data, how))
    )
    return path


# The S4 reproduction: what kOps installs from these packages (layouts as published).
CONTAINERD = "containerd-1.7.13-linux-amd64.tar.gz"
CRI_CONTAINERD_CNI = "cri-containerd-cni-1.7.6-linux-amd64.tar.gz"
CRICTL = "crictl-v1.29.0-linux-amd64.tar.gz"
RUNC = "runc.amd64"


def containerd_members() -> list[Member]:
    return [
        exe(f"bin/{n}", "1.7.13")
        for n in (
            "containerd",
            "containerd-shim",
            "containerd-shim-runc-v1",
            "containerd-shim-runc-v2",
            "containerd-stress",
            "ctr",
        )
    ]


def cri_containerd_cni_members() -> list[Member]:
    return [
        Member("etc/crictl.yaml", b"runtime-endpoint: unix:///run/containerd/containerd.sock\n"),
        Member("etc/cni/net.d/10-containerd-net.conflist", b'{"cniVersion": "1.0.0"}\n'),
        Member("etc/systemd/system/containerd.service", b"[Service]\nExecStart=containerd\n"),
        exe("usr/local/bin/containerd", "1.7.6"),
        exe("usr/local/bin/containerd-shim-runc-v2", "1.7.6"),
        exe("usr/local/bin/ctr", "1.7.6"),
        exe("usr/local/bin/crictl", "1.28.0"),
        exe("usr/local/bin/critest", "1.28.0"),
        exe("usr/local/sbin/runc", "1.1.9"),
        exe("opt/cni/bin/bridge"),
        exe("opt/cni/bin/host-local"),
        exe("opt/cni/bin/loopback"),
        Member("opt/containerd/cluster/gce/env", b"CONTAINERD_HOME=/home/containerd\n", 0o644),
    ]


def crictl_members() -> list[Member]:
    return [exe("crictl", "1.29.0")]


def runc_binary() -> bytes:
    return b"\x7fELF" + b"runc 1.1.12" * 100


def write_s4(directory: Path) -> dict[str, Path]:
    """The S4 packages in `directory`, by file name."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {
        CONTAINERD: write_tar(directory / CONTAINERD, containerd_members()),
        CRI_CONTAINERD_CNI: write_tar(directory / CRI_CONTAINERD_CNI, cri_containerd_cni_members()),
        CRICTL: write_tar(directory / CRICTL, crictl_members()),
        RUNC: directory / RUNC,
    }
    out[RUNC].write_bytes(runc_binary())
    out[RUNC].chmod(0o755)
    return out
