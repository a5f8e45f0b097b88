"""One safe-archive reader (seatrial.archive) for image layers and assets: the same bytes get
the same verdict from both, under one `ArchiveLimits`."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
import zstandard

from seatrial.archive import ArchiveLimits, member_path
from seatrial.assets.archive import index_archive
from seatrial.errors import ArchiveError
from seatrial.facts.files import FileIndex
from seatrial.images.index import index_layer


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _both(tmp_path: Path, packed: bytes, limits: ArchiveLimits) -> tuple[str, str]:
    """What the image layer reader and the asset indexer say about the same archive."""
    path = tmp_path / "a.tar.zst"
    path.write_bytes(packed)
    said = []
    try:
        index = FileIndex()
        index_layer(index, io.BytesIO(packed), 0, len(packed), "L", limits)
        said.append(" ".join(sorted(e.path for e in index)))
    except ArchiveError as exc:
        said.append(str(exc).removeprefix("layer L: "))
    try:
        found = index_archive(path, "A", limits=limits)
        said.append(" ".join(sorted("/" + e.path for e in found.entries)))
    except ArchiveError as exc:
        said.append(str(exc).removeprefix("A: "))
    return said[0], said[1]


def test_a_bomb_is_refused_by_both_readers_at_the_same_size(tmp_path: Path) -> None:
    packed = zstandard.ZstdCompressor().compress(_tar({"zeros": bytes(4 << 20)}))
    limits = ArchiveLimits(max_ratio=10, ratio_floor=1 << 20)
    layer, asset = _both(tmp_path, packed, limits)
    assert (
        layer
        == asset
        == (
            f"refusing a decompression bomb: it unpacks to more than {1 << 20} bytes from "
            f"{len(packed)} packed (limit 10x the packed size, at least {1 << 20}, at most "
            f"{64 << 30} bytes)"
        )
    )
    # the same archive under the default limits is no bomb (it stays under the floor)
    layer, asset = _both(tmp_path, packed, ArchiveLimits())
    assert layer == "/ /zeros" and asset == "/zeros"


def test_too_many_entries_is_refused_by_both(tmp_path: Path) -> None:
    packed = _tar({f"f{i}": b"" for i in range(5)})
    layer, asset = _both(tmp_path, packed, ArchiveLimits(max_entries=4))
    assert layer == asset == "more than 4 entries; refusing to read it"


@pytest.mark.parametrize(
    ("name", "layer_view"),
    [
        ("/etc/abs", "/ /etc /etc/abs"),
        ("./a/../b", "/ /b"),
    ],
)
def test_one_path_policy(tmp_path: Path, name: str, layer_view: str) -> None:
    layer, asset = _both(tmp_path, _tar({name: b"x"}), ArchiveLimits())
    assert layer == layer_view
    assert asset == layer_view.split()[-1]


@pytest.mark.parametrize("name", ["../x", "a/../../x", "a\\..\\..\\x", "C:/x", "\\x", "a\0b"])
def test_hostile_names_are_refused_by_both(tmp_path: Path, name: str) -> None:
    with pytest.raises(ArchiveError, match=r"^A: refusing a hostile archive: "):
        member_path(name, "A")
    if "\0" in name:
        return  # tar cannot write a NUL into a name
    layer, asset = _both(tmp_path, _tar({name: b"x"}), ArchiveLimits())
    assert layer == asset and layer.startswith("refusing a hostile archive: "), (layer, asset)
