"""ST602 ambiguous-lookup."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.assets.analysis import Ambiguity, AssetSet, ambiguous_lookups
from seatrial.checks.registry import Scope, Violation, check
from seatrial.findings import Location, Severity

_HOW = {
    "basename": "by base name",
    "substring": "by substring of the base name",
    "path-regex": "as a regular expression searched in the path",
}


def _message(amb: Ambiguity) -> str:
    names = ", ".join(p.label() for p in amb.matches)
    message = (
        f"lookup key {amb.key!r} matches {len(amb.matches)} entries {_HOW[amb.match]}: {names}"
    )
    if amb.match != "basename":
        message += f"; by whole base name it matches {len(amb.exact)}"
    return message


def _fix(amb: Ambiguity) -> str:
    if amb.match == "basename":
        return (
            f"install {amb.key} from one archive only, or look it up by its path inside "
            "the archive as well as its name"
        )
    if len(amb.exact) == 1:
        return (
            f"match the whole base name (`^{amb.key}$`) or the exact path {amb.exact[0].entry.path}"
        )
    return f"match the whole base name (`^{amb.key}$`) or the exact path"


@check("ST602", "ambiguous-lookup", Severity.ERROR, scope=Scope.COMMAND)
def ambiguous_lookup(assets: AssetSet) -> Iterator[Violation]:
    """A lookup key finds several files in the archives installed together.

    It models how an installer finds a file by key in the unpacked archives, as chosen with
    `--match`:

    - `basename` (default): the member's base name equals the key. kOps nodeup does this:
      `AssetStore.Find(key, "")` keeps every asset whose base name is the key and fails with
      `found multiple matching assets for key` when there are several.
    - `substring`: the base name contains the key.
    - `path-regex`: the key is a regular expression searched in the member's path.

    Nothing is reported unless the chosen semantics find several entries. Keys given with
    `--key` are reported whenever they do. Without `--key`, each command name is a key, taken
    literally, reported only when installing the archives together makes it ambiguous (no
    single archive matches it twice) and, by base name, when not every match is a command
    (those are ST601 duplicates already).

    ## Why is this bad?
    The installer stops, or picks one match by chance. In kOps (S4), the cluster's
    `cri-containerd-cni` package ships `usr/local/bin/crictl` and kOps adds its own `crictl`
    archive: `Find("crictl", "")` found both and nodeup failed with `unable to locate asset
    "crictl": found multiple matching assets for key: "crictl"`; the node never joined.

    ## Example
        seatrial assets cluster.yaml --with crictl-v1.29.0-linux-amd64.tar.gz --key crictl
        # lookup key 'crictl' matches 2 entries by base name

    ## Fix
    Install the file from one archive only, or look it up by something that names one entry
    (its path inside the archive, a whole-name match instead of a substring or pattern).
    """
    for amb in ambiguous_lookups(assets):
        first = amb.exact[0] if amb.exact else amb.matches[0]
        others = tuple(p for p in amb.matches if p != first)
        yield Violation(
            _message(amb),
            source=Location(first.archive, None, first.entry.path),
            related=tuple(Location(p.archive, None, p.entry.path) for p in others),
            fix=_fix(amb),
        )
