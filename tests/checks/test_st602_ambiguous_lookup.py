"""ST602 ambiguous-lookup: a name an installer looks up matches several files."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import violations

from seatrial.assets.analysis import AssetSet
from seatrial.assets.archive import ArchiveEntry, ArchiveIndex
from seatrial.checks.st602_ambiguous_lookup import ambiguous_lookup

TOOLS = ArchiveIndex(
    "tools.tgz",
    "tools.tgz",
    "tar.gz",
    (
        ArchiveEntry("bin/tool", "file", 1, "0" * 64, 0o755),
        ArchiveEntry("bin/tool-helper", "file", 1, "1" * 64, 0o755),
    ),
)


def failing(tmp: Path) -> AssetSet:
    return AssetSet((TOOLS,), ("tool",), "substring")


def passing(tmp: Path) -> AssetSet:
    return AssetSet((TOOLS,), ("tool",), "basename")


def test_every_match_is_named(tmp_path: Path) -> None:
    (v,) = violations(ambiguous_lookup, failing(tmp_path))
    assert "bin/tool-helper" in v.message
