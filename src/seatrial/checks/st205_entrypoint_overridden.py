"""ST205 entrypoint-overridden."""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from seatrial.checks.image_occurrences import is_preloaded
from seatrial.checks.registry import ContainerContext, Scope, Violation, check
from seatrial.facts.image import ImageFacts
from seatrial.findings import Severity


@check("ST205", "entrypoint-overridden", Severity.INFO, scope=Scope.CONTAINER, needs_images=True)
def entrypoint_overridden(ctx: ContainerContext) -> Iterator[Violation]:
    """The container sets `command` while its image has an ENTRYPOINT.

    `command` replaces the image ENTRYPOINT (and drops its CMD). That is sometimes intended,
    but it ties the chart to the image's internal layout. Not checked for a container with
    `imagePullPolicy: Never`, whose preloaded image the registry's copy need not match.

    ## Why is this bad?
    When the image is rebuilt (a new base, a switch to ko or distroless) the ENTRYPOINT moves
    with it, but the chart keeps starting the old path: the pod fails with `exec: ... no such
    file or directory` (S1). An overridden ENTRYPOINT also skips any init logic the image
    authors put there.

    ## Example
        image: clastix/capsule:v0.10.0   # ENTRYPOINT ["/ko-app/capsule"]
        command: ["/manager"]            # Info: replaces the ENTRYPOINT

    ## Fix
    Drop `command` and pass options through `args`, so the image's ENTRYPOINT runs; keep it
    only when overriding is the point (then suppress this finding with a reason).
    """
    c = ctx.container
    image = ctx.facts.images.get(c.image)
    if (
        not isinstance(image, ImageFacts)
        or not c.command
        or not image.entrypoint
        or is_preloaded(ctx.workload.obj, c)
    ):
        return
    if tuple(c.command) == tuple(image.entrypoint):
        return
    yield Violation(
        f"`command` {shlex.join(c.command)} replaces the image ENTRYPOINT "
        f"{shlex.join(image.entrypoint)} of {c.image}",
        field=(*c.path, "command"),
        fix="remove `command` and pass options through `args` so the image's ENTRYPOINT runs",
    )
