"""ST103 dependency-missing."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.findings import Severity


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
    """
    for dep in ctx.missing_dependencies:
        repo = f" from {dep.repository}" if dep.repository else ""
        yield Violation(
            f"dependency {dep.name} {dep.version}{repo} is missing from charts/ ({dep.reason}); "
            "rendered without it",
            source=dep.source,
            cells=(),
            fix="run `helm dependency build` or vendor the chart into charts/",
        )
