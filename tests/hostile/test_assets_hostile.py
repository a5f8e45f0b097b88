"""`seatrial assets` on hostile input: one error line, exit 2, no credentials shown."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from tests.hostile.support import BOMB, fails


def test_traversal_archive(tmp_path: Path) -> None:
    with tarfile.open(tmp_path / "a.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/evil")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    fails(["assets", str(tmp_path / "a.tar.gz")], "hostile archive", "escapes")


def test_truncated_archive(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("bin/x")
        info.size = 5000
        tar.addfile(info, io.BytesIO(b"y" * 5000))
    (tmp_path / "t.tar.gz").write_bytes(buf.getvalue()[:40])
    fails(["assets", str(tmp_path / "t.tar.gz")], "t.tar.gz", "truncated")


def test_cluster_spec_alias_bomb(tmp_path: Path) -> None:
    (tmp_path / "cluster.yaml").write_text(BOMB)
    fails(["assets", str(tmp_path / "cluster.yaml")], "cluster.yaml", "excessive aliasing")


@pytest.mark.parametrize(
    "url",
    [
        "http://user:SECRETPW@[::1/x.tar.gz",
        "http://user:SECRETPW@host:99999/x.tar.gz",
    ],
)
def test_malformed_url_hides_credentials(url: str) -> None:
    line = fails(["assets", url], "invalid URL")
    assert "SECRETPW" not in line


def test_unreachable_url_hides_credentials() -> None:
    line = fails(["assets", "http://user:SECRETPW@127.0.0.1:9/x.tar.gz"], "cannot download")
    assert "SECRETPW" not in line
