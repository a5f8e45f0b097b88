"""The layer file index on in-memory layers: overlay rules, symlinks, `which`, round trip."""

from __future__ import annotations

import io

import pytest
from testkit.oci import OPAQUE, WHITEOUT, Dir, File, Hardlink, Symlink, compress, tar_bytes

from seatrial.errors import ArchiveError
from seatrial.facts.files import FileIndex, SymlinkLoop, normalize_member
from seatrial.images.index import index_layer


def build(*layers: dict[str, object], compression: str = "gzip") -> FileIndex:
    index = FileIndex()
    for n, spec in enumerate(layers):
        data = compress(tar_bytes(spec), compression)  # type: ignore[arg-type]
        index_layer(index, io.BytesIO(data), n, len(data), f"layer{n}")
    return index


def test_opaque_keeps_this_layers_entries_written_before_the_marker() -> None:
    idx = build(
        {"/d/old": b"o", "/d/sub/old": b"o"}, {"/d/new": b"n", "/d": OPAQUE, "/d/sub/again": b"a"}
    )
    assert sorted(e.path for e in idx if e.path.startswith("/d/")) == [
        "/d/new",
        "/d/sub",
        "/d/sub/again",
    ]


def test_whiteout_then_readd_in_a_later_layer() -> None:
    idx = build({"/etc/x": b"1"}, {"/etc/x": WHITEOUT}, {"/etc/x": File(b"3", 0o700)})
    entry = idx.lookup("/etc/x")
    assert entry is not None and entry.mode == 0o700 and entry.layer == 2


def test_symlink_resolution_and_loops() -> None:
    idx = build(
        {
            "/bin/busybox": File(b"b", 0o755),
            "/bin/sh": Symlink("busybox"),
            "/usr": Dir(),
            "/usr/bin": Symlink("../bin"),
            "/lib": Symlink("/lib"),
            "/far": Symlink("/../../../bin/sh"),
        },
        compression="zstd",
    )
    assert idx.which("sh", "/usr/bin") == "/usr/bin/sh"
    assert idx.is_executable("/far")
    with pytest.raises(SymlinkLoop):
        idx.resolve("/lib/x")
    assert not idx.exists("/lib/x")
    assert idx.which("busybox", "") is None
    assert idx.which("./busybox", cwd="/bin") == "/bin/busybox"


def test_hardlink_to_missing_target_is_an_archive_error() -> None:
    with pytest.raises(ArchiveError, match="hard link /a points to missing /nothere"):
        build({"/a": Hardlink("/nothere")}, compression="none")


def test_json_round_trip() -> None:
    idx = build({"/a/b": File(b"x", 0o755), "/l": Symlink("/a/b")})
    again = FileIndex.from_json(idx.to_json())
    assert again is not None and list(again) == list(idx)
    assert FileIndex.from_json([["bad"]]) is None
    assert FileIndex.from_json({"not": "a list"}) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("./usr/bin/x", "/usr/bin/x"),
        ("/abs", "/abs"),
        ("a/../b", "/b"),
        ("a//b/.", "/a/b"),
    ],
)
def test_normalize_member(name: str, expected: str) -> None:
    assert normalize_member(name) == expected


def test_normalize_member_refuses_escapes() -> None:
    with pytest.raises(ArchiveError) as err:
        normalize_member("a/../../etc/passwd")
    assert str(err.value) == (
        "layer: refusing a hostile archive: path 'a/../../etc/passwd' escapes the archive root"
    )
