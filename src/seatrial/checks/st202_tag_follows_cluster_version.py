"""ST202 tag-follows-cluster-version."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seatrial.checks.image_occurrences import slots, suggested_tag, tag_of
from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.facts.image import ImageProblem
from seatrial.findings import Cell, Severity


@check(
    "ST202", "tag-follows-cluster-version", Severity.WARNING, scope=Scope.MATRIX, needs_images=True
)
def tag_follows_cluster_version(ctx: MatrixContext) -> Iterator[Violation]:
    """An image tag changes with the Kubernetes version of the cluster.

    Compares the same container across cells that differ only in their Kubernetes version;
    when its image reference differs, the tag is computed from `.Capabilities.KubeVersion`
    (or a `semverCompare` branch). Points at the template line of the `image` field. The fix
    names the same published tag as ST201 for the same container.

    ## Why is this bad?
    Every new Kubernetes release needs a matching image to be published before users
    upgrade; until then the chart installs an image that does not exist and pods stay in
    `ImagePullBackOff` (Capsule's `clastix/kubectl:v1.32`, S2). Clusters newer than the last
    release of the image break first.

    ## Example
        {{- $v := .Capabilities.KubeVersion }}
        {{- $kube := printf "v%s.%s" $v.Major $v.Minor }}
        image: clastix/kubectl:{{ $kube }}   # Warning: v1.29 ... v1.33, one per cluster

    ## Fix
    Pin the tag (a client that works across versions), or fall back to a published tag when
    the computed one does not exist, and let users override it in values.
    """
    for slot in slots(ctx):
        groups: dict[tuple[Any, ...], list[Cell]] = {}
        for cell in slot.images:
            groups.setdefault((cell.name, cell.values), []).append(cell)
        for cells in groups.values():
            cells.sort()
            refs = list(dict.fromkeys(slot.images[c] for c in cells))
            if len(refs) < 2 or len({c.kube_version for c in cells}) < 2:
                continue
            shown = ", ".join(f"{c.kube_version}: {tag_of(slot.images[c])}" for c in cells)
            missing = [
                tag_of(r)
                for r in refs
                if isinstance(p := ctx.facts.images.get(r), ImageProblem) and p.kind == "not-found"
            ]
            message = (
                f"the image tag of container {slot.container.name} follows the "
                f"Kubernetes version ({shown})"
            )
            if missing:
                message += f"; not published: {', '.join(missing)}"
            suggestion = suggested_tag(slot, ctx.facts.images)
            fallback = f" such as {suggestion}" if suggestion else ""
            yield Violation(
                message,
                field=(*slot.container.path, "image"),
                fix=f"pin the tag, or fall back to a published tag{fallback} when the "
                "cluster version has none",
                obj=slot.obj,
                container=slot.container.name,
                cells=tuple(cells),
            )
