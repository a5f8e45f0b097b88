"""ST602 ambiguous-lookup."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.assets.analysis import AssetSet, ambiguous_lookups
from seatrial.checks.registry import Scope, Violation, check
from seatrial.findings import Location, Severity


@check("ST602", "ambiguous-lookup", Severity.ERROR, scope=Scope.COMMAND)
def ambiguous_lookup(assets: AssetSet) -> Iterator[Violation]:
    """A lookup key finds several files when matched loosely but one when matched exactly.

    Installers often find a file in the unpacked archives by an unanchored pattern (substring)
    or by prefix. For each key given with `--key`, every entry name containing the key is
    compared with the names equal to it; without `--key`, each command name is a key matched by
    prefix, reported when it finds one file inside its own archive but several once the other
    archives are added (a package's own family of names is what its installer was written
    against). The finding shows both results.

    ## Why is this bad?
    The installer picks an arbitrary match or fails with "found multiple matching assets". In
    kOps, looking up `crictl` by the pattern `crictl` also matched `etc/crictl.yaml` from the
    `cri-containerd-cni` package; the fix anchored it as `^crictl$`.

    ## Example
        assets.FindMatches(regexp.MustCompile(`crictl`))   # crictl and crictl.yaml

    ## Fix
    Match whole names (`^crictl$`), or the exact path, so the key finds one file.
    """
    for amb in ambiguous_lookups(assets):
        how = "substring" if amb.mode == "substring" else "prefix"
        names = ", ".join(p.label() for p in amb.loose)
        others = tuple(p for p in amb.loose if p != amb.exact)
        yield Violation(
            f"lookup key {amb.key!r} matches {len(amb.loose)} entries by {how} (pattern "
            f"`{amb.key}`): {names}; exact matching (`^{amb.key}$`) matches 1: "
            f"{amb.exact.label()}",
            source=Location(amb.exact.archive, None, amb.exact.entry.path),
            related=tuple(Location(p.archive, None, p.entry.path) for p in others),
            fix=f"look {amb.key} up by its whole name (`^{amb.key}$`) or by its exact path "
            f"{amb.exact.entry.path}",
        )
