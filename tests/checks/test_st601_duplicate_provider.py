"""ST601 duplicate-provider: two archives install different files at one program name."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import violations

from seatrial.assets.analysis import AssetSet
from seatrial.assets.archive import ArchiveEntry, ArchiveIndex
from seatrial.checks.st601_duplicate_provider import duplicate_provider


def _archive(name: str, *entries: ArchiveEntry) -> ArchiveIndex:
    return ArchiveIndex(name, name, "tar.gz", entries)


HELM = ArchiveEntry("linux-amd64/helm", "file", 1, "0" * 64, 0o755)


def failing(tmp: Path) -> AssetSet:
    other = ArchiveEntry("usr/local/bin/helm", "file", 1, "1" * 64, 0o755)
    return AssetSet((_archive("helm.tgz", HELM), _archive("tools.tgz", other)), (), "basename")


def passing(tmp: Path) -> AssetSet:
    other = ArchiveEntry("usr/local/bin/kubectl", "file", 1, "1" * 64, 0o755)
    return AssetSet((_archive("helm.tgz", HELM), _archive("tools.tgz", other)), (), "basename")


def test_both_providers_are_named(tmp_path: Path) -> None:
    (v,) = violations(duplicate_provider, failing(tmp_path))
    assert "helm.tgz" in v.message + str(v.source) and "tools.tgz" in v.message + str(v.related)
