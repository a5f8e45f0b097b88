"""ST601 duplicate-provider."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.assets.analysis import AssetSet, Duplicate, ProvidedFile, duplicates
from seatrial.checks.registry import Scope, Violation, check
from seatrial.findings import Location, Severity


def describe(p: ProvidedFile) -> str:
    e = p.entry
    if e.kind == "symlink":
        return f"{p.archive}: {e.path} (symlink to {e.target})"
    return f"{p.archive}: {e.path} ({e.size:,} bytes, sha256:{(e.sha256 or '')[:12]})"


def _message(dup: Duplicate) -> str:
    what = "the command" if dup.by == "name" else "the install path"
    same = "identical content" if dup.identical else "different content"
    listing = "; ".join(describe(p) for p in dup.providers)
    return f"{what} {dup.key} is provided by {len(dup.archives)} archives ({same}): {listing}"


@check("ST601", "duplicate-provider", Severity.ERROR, scope=Scope.COMMAND)
def duplicate_provider(assets: AssetSet) -> Iterator[Violation]:
    """The same command name or install path comes from more than one archive installed together.

    Executables in `bin`/`sbin` (or at the top of an archive) are compared by name, every other
    file by its path inside the archive. The finding lists each archive, the path inside it, the
    size, the sha256 and whether the copies are identical. It is an error for executables and a
    warning for other files.

    ## Why is this bad?
    Which copy ends up installed depends on the order the archives are unpacked, and an
    installer that looks files up by name finds several and stops. kOps nodeup failed with
    `unable to locate asset "crictl": found multiple matching assets for key: "crictl"` when
    the cluster used the `cri-containerd-cni` package, which ships `usr/local/bin/crictl`,
    while kOps also added its own `crictl` archive: the node never joined.

    ## Example
        containerd:
          packages:
            urlAmd64: .../cri-containerd-cni-1.7.6-linux-amd64.tar.gz   # has usr/local/bin/crictl
        # and the installer adds crictl-v1.29.0-linux-amd64.tar.gz     # has crictl

    ## Fix
    Install each command from one archive: use the package without the tool (the plain
    `containerd-<version>-linux-<arch>.tar.gz`), drop the extra asset, or make the installer
    pick one copy by its exact path.
    """
    for dup in duplicates(assets):
        first, *rest = dup.providers
        yield Violation(
            _message(dup),
            severity=Severity.ERROR if dup.executable else Severity.WARNING,
            source=Location(first.archive, None, first.entry.path),
            related=tuple(Location(p.archive, None, p.entry.path) for p in rest),
            fix=f"install {dup.key} from one of {', '.join(dup.archives)} only, or have the "
            "installer pick one by its exact path",
        )
