"""What a set of archives installed together provides, and where names collide.

Pure functions over `ArchiveIndex`es (no I/O): `duplicates` finds every command name or install
path that more than one archive provides (ST601); `ambiguous_lookups` finds lookup keys that an
installer matching by prefix or substring would resolve to several entries while an exact match
finds one (ST602).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from seatrial.assets.archive import ArchiveIndex, Entry

BIN_DIRS = frozenset({"bin", "sbin"})
# Top-level directories of a filesystem tree: an archive whose members all sit under one of
# these is laid out to be unpacked at `/`, not wrapped in a folder of its own.
_FS_TOP = frozenset({"bin", "sbin", "usr", "etc", "opt", "lib", "lib64", "var", "srv", "run",
                     "root", "home", "boot"})


@dataclass(frozen=True)
class Provided:
    """One entry of one archive."""

    archive: str
    entry: Entry

    def label(self) -> str:
        return f"{self.archive}: {self.entry.path}"

    def to_json(self) -> dict[str, object]:
        return {"archive": self.archive, **self.entry.to_json()}


@dataclass(frozen=True)
class AssetSet:
    """The archives installed together, in the order they were named, and the lookup keys the
    user asked about (`--key`)."""

    archives: tuple[ArchiveIndex, ...]
    keys: tuple[str, ...] = ()

    def provided(self) -> Iterator[Provided]:
        for archive in self.archives:
            for entry in archive.entries:
                yield Provided(archive.name, entry)


@dataclass(frozen=True)
class Duplicate:
    """A command name (`by == "name"`) or an install path (`by == "path"`) that more than one
    archive provides."""

    key: str
    by: str
    providers: tuple[Provided, ...]
    executable: bool

    @property
    def identical(self) -> bool:
        first = self.providers[0].entry
        return all(p.entry.same_content(first) for p in self.providers[1:])

    @property
    def archives(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.archive for p in self.providers))

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "by": self.by,
            "executable": self.executable,
            "identical": self.identical,
            "providers": [p.to_json() for p in self.providers],
        }


@dataclass(frozen=True)
class Ambiguity:
    """A lookup key that loose matching (`mode`: "substring" or "prefix") resolves to several
    entries and exact matching to one."""

    key: str
    mode: str
    exact: Provided
    loose: tuple[Provided, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "mode": self.mode,
            "exact": self.exact.to_json(),
            "loose": [p.to_json() for p in self.loose],
        }


def wrapper_dir(archive: ArchiveIndex) -> str:
    """The one folder every member sits in (`linux-amd64/helm`), or "" when the archive is laid
    out as a filesystem tree or has members at its top."""
    tops = {e.path.split("/", 1)[0] for e in archive.entries}
    if len(tops) != 1 or any("/" not in e.path for e in archive.entries):
        return ""
    top = tops.pop()
    return "" if top in _FS_TOP else top


def is_command(entry: Entry, top: str) -> bool:
    """Whether an installer would put `entry` on PATH under its own name: anything executable
    in a bin or sbin directory (or whose mode is unknown there), and executables at the top."""
    if posixpath.basename(entry.directory) in BIN_DIRS:
        return entry.kind == "symlink" or entry.mode is None or entry.executable
    return entry.directory == top and entry.executable


def commands(assets: AssetSet) -> Iterator[Provided]:
    for archive in assets.archives:
        top = wrapper_dir(archive)
        for entry in archive.entries:
            if is_command(entry, top):
                yield Provided(archive.name, entry)


def _in_several(providers: list[Provided]) -> bool:
    return len({p.archive for p in providers}) > 1


def duplicates(assets: AssetSet) -> list[Duplicate]:
    """Command names, then install paths (with a directory: top-level README or LICENSE files
    say nothing about where anything is installed), provided by more than one archive. A path
    whose every copy is already reported under its command name is not reported again."""
    by_name: dict[str, list[Provided]] = {}
    for p in commands(assets):
        by_name.setdefault(p.entry.name, []).append(p)
    by_path: dict[str, list[Provided]] = {}
    for p in assets.provided():
        if "/" in p.entry.path:
            by_path.setdefault(p.entry.path, []).append(p)

    found: list[Duplicate] = []
    covered: set[tuple[str, str]] = set()
    for name, providers in by_name.items():
        if _in_several(providers):
            found.append(Duplicate(name, "name", tuple(providers), executable=True))
            covered.update((p.archive, p.entry.path) for p in providers)
    for path, providers in by_path.items():
        if _in_several(providers) and any(
            (p.archive, p.entry.path) not in covered for p in providers
        ):
            executable = any(p.entry.executable for p in providers)
            found.append(Duplicate(path, "path", tuple(providers), executable))
    return found


def ambiguous_lookups(assets: AssetSet) -> list[Ambiguity]:
    """Keys the user named are matched as an unanchored pattern would (substring), against every
    entry name. Without keys, each command name is a key matched by prefix, and counts only when
    it is unambiguous inside its own archive: a package's own family of names (containerd,
    containerd-shim) is what its installer was written against; another archive's is not."""
    everything = list(assets.provided())
    found: list[Ambiguity] = []
    if assets.keys:
        keys = [(k, "substring") for k in dict.fromkeys(assets.keys)]
    else:
        keys = [(k, "prefix") for k in dict.fromkeys(p.entry.name for p in commands(assets))]
    for key, mode in keys:
        exact = [p for p in everything if p.entry.name == key]
        if len(exact) != 1:
            continue
        if mode == "substring":
            loose = [p for p in everything if key in p.entry.name]
        else:
            loose = [p for p in everything if p.entry.name.startswith(key)]
            if sum(p.archive == exact[0].archive for p in loose) > 1:
                continue  # already ambiguous inside its own package: not from installing together
        if len(loose) > 1:
            found.append(Ambiguity(key, mode, exact[0], tuple(loose)))
    return found
