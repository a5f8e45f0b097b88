"""ST201 image-not-found."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.image_occurrences import kube_label, slots
from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.findings import Severity
from seatrial.images.facts import ImageProblem


@check("ST201", "image-not-found", Severity.ERROR, scope=Scope.MATRIX, needs_images=True)
def image_not_found(ctx: MatrixContext) -> Iterator[Violation]:
    """An image reference does not resolve in its registry: the tag, digest or repository
    is absent.

    One finding per container, listing every cell where its image is missing and, for a
    missing tag, the nearest published tags (the closest lower and higher by version).
    Images that could not be checked (auth, network, offline) are ST204 instead.

    ## Why is this bad?
    The pod never starts: the kubelet reports `ErrImagePull` then `ImagePullBackOff`. When
    the tag is computed (from `.Capabilities.KubeVersion`, `.Chart.AppVersion`, a values
    default), it often points at a tag that was never published, only on some Kubernetes
    versions or modes (Capsule's `clastix/kubectl:v1.32`, S2).

    ## Example
        image: clastix/kubectl:{{ include "capsule.jobsTagKubeVersion" . }}   # v1.32: absent

    ## Fix
    Pin a tag that exists (the message names the nearest ones), or fall back to one when the
    computed tag is not published; push the missing tag if it should exist.
    """
    for slot in slots(ctx):
        missing = [(ref, r) for ref in slot.distinct_images()
                   if isinstance(r := ctx.facts.images.get(ref), ImageProblem)
                   and r.kind == "not-found"]
        if not missing:
            continue
        nearest = list(dict.fromkeys(t for _, r in missing for t in r.nearest_tags))
        if len(missing) == 1:
            ref, problem = missing[0]
            message = f"image {ref} does not exist: {problem.reason}"
        else:
            parts = [f"{ref} on {kube_label(slot.cells_of(ref))}" for ref, _ in missing]
            message = "images do not exist: " + "; ".join(parts)
        if nearest:
            message += f"; nearest published tags: {', '.join(nearest)}"
        fix = (f"pin a published tag such as {nearest[0]}, or fall back to it when the "
               "computed tag is not published" if nearest else
               "check the image name and tag, or publish the image")
        yield Violation(
            message,
            field=(*slot.container.path, "image"),
            fix=fix,
            obj=slot.obj,
            container=slot.container.name,
            cells=tuple(sorted(c for ref, _ in missing for c in slot.cells_of(ref))),
        )
