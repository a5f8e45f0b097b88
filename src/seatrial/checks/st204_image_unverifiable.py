"""ST204 image-unverifiable."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.image_occurrences import Slot, also_run_by, slots
from seatrial.checks.registry import MatrixContext, Scope, Violation, check
from seatrial.facts.image import ImageProblem
from seatrial.findings import Cell, Severity

_RANK = {"Deployment": 0, "StatefulSet": 0, "DaemonSet": 0, "CronJob": 2, "Job": 2, "Pod": 3}


@check("ST204", "image-unverifiable", Severity.WARNING, scope=Scope.MATRIX, needs_images=True)
def image_unverifiable(ctx: MatrixContext) -> Iterator[Violation]:
    """An image could not be checked: the registry refused access, did not answer, sent a
    broken or hostile image, or the run was `--offline` without a cached copy.

    The message names the reason. The image checks that need the image's contents (ST203,
    ST205, script checks) are skipped for it, so a clean report does not mean it is fine.
    Reported once per image, on the workload that runs it in the most cells; the message
    names the others (`also run by ...`) and `see:` lists their `image:` lines.

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
    by_image: dict[str, list[tuple[Slot, tuple[Cell, ...]]]] = {}
    for slot in slots(ctx):
        for ref in slot.distinct_images():
            problem = ctx.facts.images.get(ref)
            if isinstance(problem, ImageProblem) and problem.kind == "unverifiable":
                by_image.setdefault(ref, []).append((slot, slot.cells_of(ref)))
    for ref, uses in by_image.items():
        problem = ctx.facts.images[ref]
        assert isinstance(problem, ImageProblem)
        # on the workload that runs it in the most cells (the defaults' one, usually), a
        # long-running one before a Job or a bare (test) Pod
        uses.sort(
            key=lambda u: (
                -len(u[1]),
                _RANK.get(u[0].obj.kind, 1),
                u[0].obj.key,
                u[0].container.name,
            )
        )
        (first, cells), *others = uses
        suffix, related = also_run_by(
            (first.obj, first.container),
            [(s.obj, s.container) for s, _ in others],
            ctx.template_sources,
        )
        reason = problem.detail(ref)
        yield Violation(
            f"image {ref}{suffix} could not be verified: {reason}",
            severity=Severity.INFO if problem.offline else None,
            field=(*first.container.path, "image"),
            fix="give seatrial access to the registry (docker login, REGISTRY_AUTH_FILE, "
            "--registry-mirror), or run online once to fill the cache",
            obj=first.obj,
            container=first.container.name,
            cells=cells,  # where its object runs it (the others' cells are theirs)
            related=related,
        )
