"""ST201 image-not-found."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.image_occurrences import (
    Slot,
    kube_label,
    slots,
    suggested_tag,
    version_key,
)
from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.facts.image import ImageProblem
from seatrial.findings import Cell, Severity


def _nearest(missing: list[tuple[str, ImageProblem]]) -> list[str]:
    """The registry's nearest tags of every missing tag, once each, in version order."""
    return sorted({t for _, r in missing for t in r.nearest_tags}, key=version_key)


def _preloaded_note(slot: Slot, ref: str, cells: tuple[Cell, ...]) -> Violation:
    return Violation(
        f"image {ref} is not in its registry; not checked further: imagePullPolicy: Never "
        "expects it preloaded on the nodes",
        field=(*slot.container.path, "imagePullPolicy"),
        fix="none needed if the image is preloaded on every node; otherwise publish it and "
        "drop imagePullPolicy: Never",
        severity=Severity.INFO,
        obj=slot.obj,
        container=slot.container.name,
        cells=cells,
    )


@check("ST201", "image-not-found", Severity.ERROR, scope=Scope.MATRIX, needs_images=True)
def image_not_found(ctx: MatrixContext) -> Iterator[Violation]:
    """An image reference does not resolve in its registry: the tag, digest or repository
    is absent.

    One finding per container, listing every cell where its image is missing and, for a
    missing tag, the nearest published tags (the closest lower and higher by version, in the
    same tag form: same prefix such as `v`, same suffix such as `-alpine`). The fix names one
    tag: the nearest by version to the newest missing tag (the closest lower one, else the
    closest higher one), the same tag ST202 suggests. Images that could not be checked (auth,
    network, offline) are ST204 instead. A container with `imagePullPolicy: Never` runs an
    image preloaded on the nodes, never pulled: an absent registry copy is only noted (info).

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
        missing: list[tuple[str, ImageProblem]] = []
        for ref in slot.distinct_images():
            r = ctx.facts.images.get(ref)
            if not isinstance(r, ImageProblem) or r.kind != "not-found":
                continue
            pulled = tuple(c for c in slot.cells_of(ref) if c not in slot.preloaded)
            if pulled:
                missing.append((ref, r))
            else:
                yield _preloaded_note(slot, ref, slot.cells_of(ref))
        if not missing:
            continue
        nearest = _nearest(missing)
        if len(missing) == 1:
            ref, problem = missing[0]
            message = f"image {ref} does not exist: {problem.reason}"
        else:
            parts = [f"{ref} on {kube_label(slot.cells_of(ref))}" for ref, _ in missing]
            message = "images do not exist: " + "; ".join(parts)
        if nearest:
            message += f"; nearest published tags: {', '.join(nearest)}"
        suggestion = suggested_tag(slot, ctx.facts.images)
        fix = (
            f"pin a published tag such as {suggestion}, or fall back to it when the "
            "computed tag is not published"
            if suggestion
            else "check the image name and tag, or publish the image"
        )
        yield Violation(
            message,
            field=(*slot.container.path, "image"),
            fix=fix,
            obj=slot.obj,
            container=slot.container.name,
            cells=tuple(
                sorted(
                    c for ref, _ in missing for c in slot.cells_of(ref) if c not in slot.preloaded
                )
            ),
        )
