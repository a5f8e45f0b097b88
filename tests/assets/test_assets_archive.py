"""Indexing real archives of every supported format, and refusing hostile ones."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
import zstandard
from tests.assets.archives import Member, exe, sha, tar_bytes, write_deb, write_tar, write_zip

from seatrial.assets.archive import ArchiveEntry, index_archive, install_name
from seatrial.errors import ArchiveError

MEMBERS = [
    exe("usr/bin/tool"),
    Member("usr/share/doc/tool/README", b"read me\n"),
    Member("usr/bin/tool-alias", symlink="tool"),
]


def expected_entries(prefix: str = "") -> set[ArchiveEntry]:
    tool, readme = MEMBERS[0], MEMBERS[1]
    return {
        ArchiveEntry("usr/bin/tool", "file", len(tool.data), sha(tool.data), 0o755),
        ArchiveEntry(
            "usr/share/doc/tool/README", "file", len(readme.data), sha(readme.data), 0o644
        ),
        ArchiveEntry("usr/bin/tool-alias", "symlink", 0, None, 0o777, "tool"),
    }


@pytest.mark.parametrize(
    "how, fmt", [("gz", "tar.gz"), ("zst", "tar.zst"), ("xz", "tar.xz"), ("", "tar")]
)
def test_tar_formats_are_indexed_by_magic_not_name(tmp_path: Path, how: str, fmt: str) -> None:
    path = write_tar(tmp_path / "pkg.bin", MEMBERS, how)
    index = index_archive(path, "pkg.bin")
    assert index.format == fmt
    assert set(index.entries) == expected_entries()


def test_zip_keeps_unix_modes_and_symlinks(tmp_path: Path) -> None:
    index = index_archive(write_zip(tmp_path / "pkg.zip", MEMBERS), "pkg.zip")
    assert index.format == "zip"
    assert set(index.entries) == expected_entries()


@pytest.mark.parametrize("how", ["xz", "gz", "zst", ""])
def test_deb_indexes_its_data_member(tmp_path: Path, how: str) -> None:
    index = index_archive(write_deb(tmp_path / "tool_1.0_amd64.deb", MEMBERS, how), "tool.deb")
    assert index.format == f"deb (data.tar{'.' + how if how else ''})"
    assert set(index.entries) == expected_entries()


def test_hard_link_takes_its_targets_content_and_later_members_replace_earlier(
    tmp_path: Path,
) -> None:
    first, second = exe("bin/a", "v1"), exe("bin/a", "v2")
    path = write_tar(
        tmp_path / "t.tar.gz", [first, Member("bin/b", hardlink="bin/a", mode=0o755), second]
    )
    entries = {e.path: e for e in index_archive(path, "t").entries}
    assert entries["bin/b"] == ArchiveEntry(
        "bin/b", "file", len(first.data), sha(first.data), 0o755
    )
    assert entries["bin/a"].sha256 == sha(second.data)
    assert list(entries) == ["bin/b", "bin/a"]


def test_bare_executable_is_one_file_named_without_its_arch_suffix(tmp_path: Path) -> None:
    path = tmp_path / "runc.amd64"
    path.write_bytes(b"\x7fELF runc")
    index = index_archive(path, "runc.amd64")
    assert index.format == "executable"
    assert index.entries == (ArchiveEntry("runc", "file", 9, sha(b"\x7fELF runc"), 0o755),)


@pytest.mark.parametrize(
    "name, installed",
    [
        ("runc.amd64", "runc"),
        ("kubectl-linux-arm64", "kubectl"),
        ("tool_x86_64", "tool"),
        ("plain", "plain"),
        ("amd64", "amd64"),
    ],
)
def test_install_name(name: str, installed: str) -> None:
    assert install_name(name) == installed


def _raises(path: Path, fragment: str) -> None:
    with pytest.raises(ArchiveError) as err:
        index_archive(path, path.name)
    assert str(err.value).startswith(f"{path.name}: ")
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("write", [write_tar, write_zip])
def test_path_traversal_is_refused(tmp_path: Path, write: object) -> None:
    path = write(tmp_path / "evil.pkg", [exe("bin/ok"), Member("bin/../../etc/cron.d/x", b"x")])  # type: ignore[operator]
    _raises(path, "path 'bin/../../etc/cron.d/x' escapes the archive root")


@pytest.mark.parametrize("write", [write_tar, write_zip])
def test_absolute_path_is_taken_from_the_root(tmp_path: Path, write: object) -> None:
    """One path policy for every archive (seatrial.archive): `/etc/passwd` is `etc/passwd`
    under the archive root, as GNU tar and the container runtimes read it."""
    path = write(tmp_path / "abs.pkg", [Member("/etc/passwd", b"root::0:0::/:/bin/sh\n")])  # type: ignore[operator]
    assert [e.path for e in index_archive(path, path.name).entries] == ["etc/passwd"]


@pytest.mark.parametrize("name", ["C:\\Windows\\evil.exe", "\\evil", "bin\\..\\..\\evil"])
def test_windows_absolute_and_backslash_escapes_are_refused(tmp_path: Path, name: str) -> None:
    path = write_zip(tmp_path / "win.zip", [Member(name, b"x")])
    _raises(path, "refusing a hostile archive")


def test_write_through_own_symlink_is_refused(tmp_path: Path) -> None:
    path = write_tar(
        tmp_path / "link.tar.gz", [Member("etc", symlink="/etc"), Member("etc/passwd", b"x")]
    )
    _raises(path, "'etc/passwd' is written through the symlink 'etc'")


def test_hard_link_to_missing_member_is_refused(tmp_path: Path) -> None:
    path = write_tar(tmp_path / "hl.tar.gz", [Member("bin/x", hardlink="../../etc/shadow")])
    _raises(path, "escapes the archive root")
    path = write_tar(tmp_path / "hl2.tar.gz", [Member("bin/x", hardlink="bin/nothing")])
    _raises(path, "hard link 'bin/x' points to 'bin/nothing'")


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buf: memoryview) -> int:  # type: ignore[override]
        n = min(len(buf), self.left)
        buf[:n] = bytes(n)
        self.left -= n
        return n


def test_decompression_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    size = 96 << 20  # zeros: packs into a few KiB, more than the 64 MiB the ratio allows
    path = tmp_path / "bomb.tar.zst"
    with (
        path.open("wb") as raw,
        zstandard.ZstdCompressor(level=1).stream_writer(raw) as out,
        tarfile.open(fileobj=out, mode="w|") as tf,
    ):
        info = tarfile.TarInfo("bin/bomb")
        info.size = size
        tf.addfile(info, io.BufferedReader(_Zeros(size)))
    assert path.stat().st_size < 1 << 20
    _raises(path, "refusing a decompression bomb")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("bin/bomb", "w") as out,
    ):
        chunk = bytes(1 << 20)
        for _ in range(80):
            out.write(chunk)
    _raises(path, "refusing a decompression bomb")


@pytest.mark.parametrize("how", ["gz", "zst", "xz", ""])
def test_truncated_archive_is_refused(tmp_path: Path, how: str) -> None:
    whole = write_tar(
        tmp_path / "whole", [exe("bin/a"), Member("bin/b", bytes(range(256)) * 400)], how
    ).read_bytes()
    path = tmp_path / "cut.tar"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    _raises(path, "broken or truncated archive")


def test_truncated_deb_and_zip_are_refused(tmp_path: Path) -> None:
    deb = write_deb(tmp_path / "a.deb", MEMBERS).read_bytes()
    (tmp_path / "cut.deb").write_bytes(deb[: len(deb) - 40])
    _raises(tmp_path / "cut.deb", "truncated")
    zipped = write_zip(tmp_path / "a.zip", MEMBERS).read_bytes()
    (tmp_path / "cut.zip").write_bytes(zipped[: len(zipped) // 2])
    _raises(tmp_path / "cut.zip", "broken or truncated archive")


def test_not_an_archive_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just text\n")
    _raises(tmp_path / "notes.txt", "not a supported archive")


def test_tar_without_files_has_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "empty.tar"
    path.write_bytes(tar_bytes([]))
    assert index_archive(path, "empty.tar").entries == ()
