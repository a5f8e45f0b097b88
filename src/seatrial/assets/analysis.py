"""What a set of archives installed together provides, and where names collide.

Pure functions over `ArchiveIndex`es (no I/O): `duplicates` finds every command name or install
path that more than one archive provides (ST601); `ambiguous_lookups` finds lookup keys that the
chosen lookup semantics (`MATCHES`) resolve to several entries (ST602).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from seatrial.assets.archive import ArchiveEntry, ArchiveIndex
from seatrial.errors import UsageError

BIN_DIRS = frozenset({"bin", "sbin"})
# Top-level directories of a filesystem tree: an archive whose members all sit under one of
# these is laid out to be unpacked at `/`, not wrapped in a folder of its own.
_FS_TOP = frozenset(
    {
        "bin",
        "sbin",
        "usr",
        "etc",
        "opt",
        "lib",
        "lib64",
        "var",
        "srv",
        "run",
        "root",
        "home",
        "boot",
    }
)
#: how an installer finds a file by key: `basename`, the member's base name equals the key (what
#: kOps nodeup's `AssetStore.Find(key, "")` does, and the default); `substring`, the base name
#: contains the key; `path-regex`, the key is a regular expression searched in the member's path
MATCHES = ("basename", "substring", "path-regex")


@dataclass(frozen=True)
class ProvidedFile:
    """One entry of one archive."""

    archive: str
    entry: ArchiveEntry

    def label(self) -> str:
        return f"{self.archive}: {self.entry.path}"

    def to_json(self) -> dict[str, object]:
        return {"archive": self.archive, **self.entry.to_json()}


@dataclass(frozen=True)
class AssetSet:
    """The archives installed together, in the order they were named, the lookup keys the
    user asked about (`--key`) and how the installer matches them (`--match`, one of
    `MATCHES`)."""

    archives: tuple[ArchiveIndex, ...]
    keys: tuple[str, ...] = ()
    match: str = "basename"

    def __post_init__(self) -> None:
        for key in self.keys:  # bad input is refused here, before any check runs
            _matcher(key, self.match, literal=False)

    def provided(self) -> Iterator[ProvidedFile]:
        for archive in self.archives:
            for entry in archive.entries:
                yield ProvidedFile(archive.name, entry)


@dataclass(frozen=True)
class Duplicate:
    """A command name (`by == "name"`) or an install path (`by == "path"`) that more than one
    archive provides."""

    key: str
    by: str
    providers: tuple[ProvidedFile, ...]
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
    """A lookup key that the `match` semantics resolve to several entries; `exact` are those
    whose base name equals the key."""

    key: str
    match: str
    matches: tuple[ProvidedFile, ...]
    exact: tuple[ProvidedFile, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "match": self.match,
            "matches": [p.to_json() for p in self.matches],
            "exact": [p.to_json() for p in self.exact],
        }


def wrapper_dir(archive: ArchiveIndex) -> str:
    """The one folder every member sits in (`linux-amd64/helm`), or "" when the archive is laid
    out as a filesystem tree or has members at its top."""
    tops = {e.path.split("/", 1)[0] for e in archive.entries}
    if len(tops) != 1 or any("/" not in e.path for e in archive.entries):
        return ""
    top = tops.pop()
    return "" if top in _FS_TOP else top


def is_command(entry: ArchiveEntry, top: str) -> bool:
    """Whether an installer would put `entry` on PATH under its own name: anything executable
    in a bin or sbin directory (or whose mode is unknown there), and executables at the top."""
    if posixpath.basename(entry.directory) in BIN_DIRS:
        return entry.kind == "symlink" or entry.mode is None or entry.executable
    return entry.directory == top and entry.executable


def commands(assets: AssetSet) -> Iterator[ProvidedFile]:
    for archive in assets.archives:
        top = wrapper_dir(archive)
        for entry in archive.entries:
            if is_command(entry, top):
                yield ProvidedFile(archive.name, entry)


def _in_several(providers: list[ProvidedFile]) -> bool:
    return len({p.archive for p in providers}) > 1


def duplicates(assets: AssetSet) -> list[Duplicate]:
    """Command names, then install paths (with a directory: top-level README or LICENSE files
    say nothing about where anything is installed), provided by more than one archive. A path
    whose every copy is already reported under its command name is not reported again."""
    by_name: dict[str, list[ProvidedFile]] = {}
    for p in commands(assets):
        by_name.setdefault(p.entry.name, []).append(p)
    by_path: dict[str, list[ProvidedFile]] = {}
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


def _matcher(key: str, match: str, literal: bool) -> Callable[[ArchiveEntry], bool]:
    if match == "basename":
        return lambda e: e.name == key
    if match == "substring":
        return lambda e: key in e.name
    if match != "path-regex":
        raise UsageError(f"--match {match}: expected one of {', '.join(MATCHES)}")
    try:
        pattern = re.compile(re.escape(key) if literal else key)
    except re.error as exc:
        raise UsageError(f"--key {key!r}: not a regular expression: {exc}") from None
    return lambda e: pattern.search(e.path) is not None


def ambiguous_lookups(assets: AssetSet) -> list[Ambiguity]:
    """Keys that the chosen semantics resolve to several entries. The keys the user named are
    reported whenever they do. Without keys, each command name is a key (taken literally), and
    counts only when the archives installed together make it ambiguous: no single archive
    matches it twice on its own (its installer was written against its own layout), and, by
    base name, not every match is a command (ST601 reports those)."""
    everything = list(assets.provided())
    found: list[Ambiguity] = []
    asked = bool(assets.keys)
    keys = assets.keys or tuple(p.entry.name for p in commands(assets))
    command_paths = {(p.archive, p.entry.path) for p in commands(assets)}
    for key in dict.fromkeys(keys):
        hit = _matcher(key, assets.match, literal=not asked)
        matches = [p for p in everything if hit(p.entry)]
        if len(matches) < 2:
            continue
        if not asked:
            per_archive = [p.archive for p in matches]
            if len(set(per_archive)) < 2 or len(set(per_archive)) < len(per_archive):
                continue
            if assets.match == "basename" and all(
                (p.archive, p.entry.path) in command_paths for p in matches
            ):
                continue
        exact = tuple(p for p in matches if p.entry.name == key)
        found.append(Ambiguity(key, assets.match, tuple(matches), exact))
    return found
