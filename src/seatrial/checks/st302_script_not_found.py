"""ST302: the script a container runs, or a file it sources, cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import ContainerContext, Scope, Violation, check
from seatrial.facts.scripts import ContainerScripts, ProblemKind
from seatrial.findings import Severity


@check(
    "ST302",
    "script-not-found",
    Severity.WARNING,
    scope=Scope.CONTAINER,
    needs_images=True,
    needs_scripts=True,
)
def script_not_found(ctx: ContainerContext) -> Iterator[Violation]:
    """The script a container runs (or a file that script sources) cannot be found.

    The script was looked up in the container's ConfigMap and Secret volumes, the
    `--script-path` source trees and the image filesystem. The message says why it was not
    found: the ConfigMap is not rendered in this chart, the key is missing, the image is
    unavailable or was not inspected (offline), or the file is not in the image.

    A script that could not be looked for because the image holding it could not be read
    (offline and not cached, a registry error, `--no-images`) is reported as info: not
    checked, rather than missing.

    ## Why is this bad?
    If the file is really missing the container fails with `No such file or directory`. If it
    only could not be read here, seatrial could not check the variables it reads (ST301).

    ## Example
        command: ["bash", "/scripts/install.sh"]
        volumes: [{name: scripts, configMap: {name: install-scripts}}]  # not in the chart

    ## Fix
    Render the ConfigMap with the chart, fix the path or key, or pass
    `--script-path IMAGE_DIR=LOCAL_DIR` so seatrial reads the script from your source tree.
    """
    scripts = ContainerScripts.of(ctx.facts.scripts, ctx.workload.obj.key, ctx.container.name)
    for p in scripts.problems_of(ProblemKind.NOT_FOUND) if scripts else []:
        field = (*ctx.container.path, "command" if ctx.container.command else "args")
        source = p.origin.location(p.line) if p.origin else None
        if p.unverified:
            yield Violation(
                f"script {p.path} run by container {ctx.container.name} was not checked: "
                f"{p.reason}",
                field=field,
                source=source,
                severity=Severity.INFO,
                fix="give seatrial access to the image, or pass --script-path IMAGE_DIR=LOCAL_DIR",
            )
            continue
        yield Violation(
            f"script {p.path} run by container {ctx.container.name} could not be read: {p.reason}",
            field=field,
            source=source,
            fix="Render the ConfigMap or Secret that holds it, fix the path, or pass "
            "--script-path IMAGE_DIR=LOCAL_DIR",
        )
