"""ST103 dependency-missing."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.findings import Severity
from seatrial.render.matrix import dependency_cause


@check("ST103", "dependency-missing", Severity.WARNING, scope=Scope.MATRIX)
def dependency_missing(ctx: MatrixContext) -> Iterator[Violation]:
    """A dependency in Chart.yaml is not in `charts/` and could not be fetched.

    ## Why is this bad?
    The chart was rendered without it, so nothing it would deploy was checked. Upstream charts
    often keep OCI dependencies out of git; `helm install` then fails with
    "found in Chart.yaml, but missing in charts/ directory" until someone runs
    `helm dependency build`.

    ## Example
        dependencies:
          - name: redis
            repository: oci://registry-1.docker.io/bitnamicharts

    ## Fix
    Run `helm dependency build` before `seatrial check` (or let seatrial fetch it by not
    passing `--offline`), or vendor the subchart into `charts/`.

    Cells that fail to render because of it (`no template "common.names.fullname"`, a nil
    pointer on its values) are listed here, not reported again as ST101.
    """
    names = [d.name for d in ctx.missing_dependencies]
    for dep in ctx.missing_dependencies:
        repo = f" from {dep.repository}" if dep.repository else ""
        failed = [f for f in ctx.failures if dependency_cause(f.message, names) == dep.name]
        effect = "rendered without it"
        if failed:
            count = f"{len(failed)} cell" + ("s fail" if len(failed) > 1 else " fails")
            effect = (
                f"{count} to render without it (first error: {' '.join(failed[0].message.split())})"
            )
        yield Violation(
            f"dependency {dep.name} {dep.version}{repo} is missing from charts/ ({dep.reason}); "
            f"{effect}",
            source=dep.source,
            cells=tuple(f.cell for f in failed),
            fix="run `helm dependency build` or vendor the chart into charts/",
        )
