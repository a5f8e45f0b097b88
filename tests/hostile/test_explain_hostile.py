"""`seatrial explain` on hostile input: one error line, exit 2, no Secret data shown."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from tests.hostile.support import BOMB, fails


def _bundle(path: Path) -> bytes:
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/x.log")
        data = b"Error: ImagePullBackOff\n"
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path.read_bytes()


def test_traversal_bundle(tmp_path: Path) -> None:
    _bundle(tmp_path / "b.tar.gz")
    fails(["explain", str(tmp_path / "b.tar.gz")], "cannot unpack", "outside the destination")


def test_truncated_bundle(tmp_path: Path) -> None:
    data = _bundle(tmp_path / "b.tar.gz")
    (tmp_path / "t.tar.gz").write_bytes(data[:30])
    fails(["explain", str(tmp_path / "t.tar.gz")], "t.tar.gz", "truncated")


def test_binary_input(tmp_path: Path) -> None:
    (tmp_path / "core").write_bytes(b"\x7fELF\x00\x00\x01" * 200)
    fails(["explain", str(tmp_path / "core")], "core", "binary data")


def test_binary_rules(tmp_path: Path) -> None:
    (tmp_path / "log.txt").write_text("hello\n")
    (tmp_path / "r.yaml").write_bytes(b"\xe8\x00\xff" * 10)
    fails(
        ["explain", str(tmp_path / "log.txt"), "--rules", str(tmp_path / "r.yaml")],
        "r.yaml",
        "not UTF-8",
    )


def test_rules_alias_bomb(tmp_path: Path) -> None:
    (tmp_path / "log.txt").write_text("hello\n")
    (tmp_path / "r.yaml").write_text(BOMB)
    fails(
        ["explain", str(tmp_path / "log.txt"), "--rules", str(tmp_path / "r.yaml")],
        "r.yaml",
        "excessive aliasing",
    )


def test_release_secret_with_bad_base64_is_not_printed(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: sh.helm.release.v1.x.v1}\n"
        "type: helm.sh/release.v1\ndata:\n  release: 'SUPERSECRET!!notbase64'\n"
    )
    line = fails(["explain", str(tmp_path / "s.yaml")], "not valid base64")
    assert "SUPERSECRET" not in line
