"""ST601 and ST602 as pure functions over hand-built indexes: each has failing and passing sets."""

from __future__ import annotations

import hashlib

import pytest

from seatrial.assets.analysis import AssetSet, wrapper_dir
from seatrial.assets.archive import ArchiveEntry, ArchiveIndex
from seatrial.checks.catalog import by_id
from seatrial.checks.registry import Scope, Violation
from seatrial.checks.st601_duplicate_provider import duplicate_provider
from seatrial.checks.st602_ambiguous_lookup import ambiguous_lookup
from seatrial.errors import UsageError
from seatrial.findings import Location, Severity


def f(path: str, content: str = "", mode: int | None = 0o755) -> ArchiveEntry:
    digest = hashlib.sha256(content.encode()).hexdigest()
    return ArchiveEntry(path, "file", len(content), digest, mode)


def link(path: str, target: str) -> ArchiveEntry:
    return ArchiveEntry(path, "symlink", 0, None, 0o777, target)


def archive(name: str, *entries: ArchiveEntry) -> ArchiveIndex:
    return ArchiveIndex(name, name, "tar.gz", entries)


Where = tuple[Severity | None, Location | None, tuple[Location, ...]]


def where(vs: list[Violation]) -> list[Where]:
    return [(v.severity, v.source, v.related) for v in vs]


@pytest.mark.parametrize("check_id", ["ST601", "ST602"])
def test_checks_are_registered_as_command_checks_with_documentation(check_id: str) -> None:
    spec = by_id(check_id)
    assert spec is not None and spec.scope is Scope.COMMAND and spec.severity is Severity.ERROR
    for section in ("## Why is this bad?", "## Example", "## Fix"):
        assert section in spec.doc


def test_st601_symlink_and_file_in_bin_dirs_collide_by_name() -> None:
    assets = AssetSet(
        (
            archive("a.tgz", f("usr/bin/tool", "x")),
            archive("b.tgz", link("sbin/tool", "/opt/b/tool"), f("opt/b/tool", "y")),
        )
    )
    assert where(list(duplicate_provider.func(assets))) == [
        (
            Severity.ERROR,
            Location("a.tgz", None, "usr/bin/tool"),
            (Location("b.tgz", None, "sbin/tool"),),
        ),
    ]


def test_st601_not_executable_outside_bin_is_not_a_command() -> None:
    assets = AssetSet(
        (
            archive("a.tgz", f("share/tool", "x", 0o644), f("lib/tool", "x")),
            archive("b.tgz", f("tool", "y", 0o644), f("doc/tool", "y")),
        )
    )
    assert list(duplicate_provider.func(assets)) == []


def test_st601_same_path_identical_is_reported_with_identical_flag() -> None:
    conf = f("etc/tool/config.toml", "same", 0o644)
    assets = AssetSet((archive("a.tgz", conf), archive("b.tgz", conf), archive("c.tgz", conf)))
    [v] = list(duplicate_provider.func(assets))
    assert v.severity is Severity.WARNING
    assert v.source == Location("a.tgz", None, "etc/tool/config.toml")
    assert v.message.startswith(
        "the install path etc/tool/config.toml is provided by 3 archives (identical content): "
    )


def test_st601_one_archive_providing_a_name_twice_is_not_a_duplicate() -> None:
    assets = AssetSet(
        (
            archive("a.tgz", f("bin/tool", "1"), f("usr/sbin/tool", "2")),
            archive("b.tgz", f("bin/other")),
        )
    )
    assert list(duplicate_provider.func(assets)) == []


def test_st601_unknown_mode_in_bin_counts_as_a_command() -> None:
    assets = AssetSet(
        (
            archive("a.zip", f("bin/tool.exe", "1", None)),
            archive("b.zip", f("x/bin/tool.exe", "2", None)),
        )
    )
    assert [v.source for v in duplicate_provider.func(assets)] == [
        Location("a.zip", None, "bin/tool.exe")
    ]


def test_wrapper_dir() -> None:
    assert (
        wrapper_dir(archive("h", f("linux-amd64/helm"), f("linux-amd64/LICENSE"))) == "linux-amd64"
    )
    assert wrapper_dir(archive("c", f("usr/bin/a"), f("usr/sbin/b"))) == ""
    assert wrapper_dir(archive("t", f("tool"), f("x/README"))) == ""


def test_st602_by_base_name_as_kops_finds_assets() -> None:
    """The default: kOps' AssetStore.Find(key, "") keeps every member whose base name is the
    key; crictl from the cri-containerd-cni package and from kOps' own crictl archive."""
    cni = archive(
        "cri-containerd-cni.tgz", f("usr/local/bin/crictl"), f("etc/crictl.yaml", "", 0o644)
    )
    crictl = archive("crictl.tgz", f("crictl"))
    [v] = ambiguous_lookup.func(AssetSet((cni, crictl), keys=("crictl",)))
    assert where([v]) == [
        (
            None,
            Location("cri-containerd-cni.tgz", None, "usr/local/bin/crictl"),
            (Location("crictl.tgz", None, "crictl"),),
        )
    ]
    assert v.message == (
        "lookup key 'crictl' matches 2 entries by base name: "
        "cri-containerd-cni.tgz: usr/local/bin/crictl, crictl.tgz: crictl"
    )
    assert v.fix == (
        "install crictl from one archive only, or look it up by its path inside "
        "the archive as well as its name"
    )
    # the package alone: crictl.yaml is another base name, so the key finds one entry
    assert list(ambiguous_lookup.func(AssetSet((cni,), keys=("crictl",)))) == []


def test_st602_substring_and_path_regex_only_when_chosen() -> None:
    one = archive("a.tgz", f("usr/bin/etcd"), f("usr/bin/etcdctl"), f("usr/bin/etcdutl"))
    assert list(ambiguous_lookup.func(AssetSet((one,), keys=("etcd",)))) == []
    [v] = ambiguous_lookup.func(AssetSet((one,), keys=("etcd",), match="substring"))
    assert where([v]) == [
        (
            None,
            Location("a.tgz", None, "usr/bin/etcd"),
            (
                Location("a.tgz", None, "usr/bin/etcdctl"),
                Location("a.tgz", None, "usr/bin/etcdutl"),
            ),
        )
    ]
    assert v.message.endswith("; by whole base name it matches 1")
    assert v.fix == "match the whole base name (`^etcd$`) or the exact path usr/bin/etcd"
    [v] = ambiguous_lookup.func(AssetSet((one,), keys=("bin/etcd(ctl|utl)$",), match="path-regex"))
    assert v.message.startswith(
        "lookup key 'bin/etcd(ctl|utl)$' matches 2 entries as a "
        "regular expression searched in the path: "
    )
    assert (
        list(ambiguous_lookup.func(AssetSet((one,), keys=("bin/etcd$",), match="path-regex"))) == []
    )


def test_st602_without_keys_only_what_installing_together_makes_ambiguous() -> None:
    a = archive("a.tgz", f("bin/tool"), f("bin/tool-helper"))
    completion = archive("b.tgz", f("share/bash-completion/completions/tool", "", 0o644))
    same_command = archive("c.tgz", f("usr/bin/tool"))
    # a command and another archive's file with the same base name: ambiguous by base name
    assert [v.source for v in ambiguous_lookup.func(AssetSet((a, completion)))] == [
        Location("a.tgz", None, "bin/tool")
    ]
    # two commands: ST601's duplicate, not reported again
    assert list(ambiguous_lookup.func(AssetSet((a, same_command)))) == []
    # a package's own family of names (tool, tool-helper) is not made ambiguous by another
    assert list(ambiguous_lookup.func(AssetSet((a, completion), match="substring"))) == []


def test_st602_bad_pattern_is_refused() -> None:
    with pytest.raises(UsageError, match="not a regular expression"):
        AssetSet((), keys=("crictl(",), match="path-regex")
