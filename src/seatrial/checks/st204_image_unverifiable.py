"""ST204 image-unverifiable."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.image_occurrences import slots
from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.facts.image import ImageProblem
from seatrial.findings import Severity


@check("ST204", "image-unverifiable", Severity.WARNING, scope=Scope.MATRIX, needs_images=True)
def image_unverifiable(ctx: MatrixContext) -> Iterator[Violation]:
    """An image could not be checked: the registry refused access, did not answer, sent a
    broken or hostile image, or the run was `--offline` without a cached copy.

    The message names the reason. The image checks that need the image's contents (ST203,
    ST205, script checks) are skipped for it, so a clean report does not mean it is fine.

    ## Why is this bad?
    seatrial cannot tell whether the image exists or whether the program the container
    starts is in it. The same failure may stop the cluster from pulling it (a private
    registry without an `imagePullSecret`, a rate limit).

    ## Example
        image: registry.internal/team/app:1.4   # 401: no credentials configured

    ## Fix
    With `--offline`, an image that is not in the cache is reported as info, not a warning:
    the user chose not to reach the registry, and the summary counts what was not verified.

    Give seatrial access (`docker login`, `~/.docker/config.json`, `REGISTRY_AUTH_FILE`), a
    mirror (`--registry-mirror SRC=DST`), or run once online to fill the cache.
    """
    for slot in slots(ctx):
        for ref in slot.distinct_images():
            problem = ctx.facts.images.get(ref)
            if not isinstance(problem, ImageProblem) or problem.kind != "unverifiable":
                continue
            reason = problem.reason.removeprefix(f"{ref}: ")
            yield Violation(
                f"image {ref} could not be verified: {reason}",
                severity=Severity.INFO if problem.offline else None,
                field=(*slot.container.path, "image"),
                fix="give seatrial access to the registry (docker login, REGISTRY_AUTH_FILE, "
                    "--registry-mirror), or run online once to fill the cache",
                obj=slot.obj,
                container=slot.container.name,
                cells=slot.cells_of(ref),
            )
