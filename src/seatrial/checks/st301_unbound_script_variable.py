"""ST301: a script reads a variable under `set -u` that its container never sets."""

from __future__ import annotations

from collections.abc import Iterator

from seatrial.checks.registry import ContainerContext, Scope, Violation, check
from seatrial.facts.scripts import ContainerScripts, UnboundRead
from seatrial.findings import Severity
from seatrial.shell.discovery import manifest_location
from seatrial.shell.environment import Provided, provided_env


def _siblings(
    ctx: ContainerContext, scripts: ContainerScripts, read: UnboundRead
) -> tuple[list[str], list[str]]:
    """Other workloads of the render running the same script: those that set the variable
    and those that do not."""
    digest = next((s.digest for s in scripts.scripts if s.origin == read.origin), None)
    sets: list[str] = []
    lacks: list[str] = []
    if digest is None:
        return sets, lacks
    own = ctx.workload.obj.key
    by_key = {w.obj.key: w for w in ctx.cell.objects.workloads}
    for (key, cname), other in sorted(ctx.facts.scripts.items()):
        if key == own or not isinstance(other, ContainerScripts) or digest not in other.digests:
            continue
        w = by_key.get(key)
        c = next((x for x in w.pod.all_containers if x.name == cname), None) if w else None
        if w is None or c is None:
            continue
        env = provided_env(c, w, ctx.cell.objects, ctx.facts.images.get(c.image))
        label = f"{w.kind} {w.name}"
        (sets if read.name in env.names else lacks).append(label)
    return sets, lacks


def _message(
    ctx: ContainerContext,
    read: UnboundRead,
    others: list[UnboundRead],
    env: Provided,
    sets: list[str],
) -> str:
    w, c = ctx.workload, ctx.container
    msg = (
        f"{read.name} is read at {read.where} under `set -u`, but container {c.name} of "
        f"{w.kind} {w.name} does not set it: the script stops with "
        f"'{read.name}: unbound variable'"
    )
    if read.via:
        msg += f" (on the path through {' -> '.join(read.via)})"
    if others:
        msg += "; also read at " + ", ".join(
            f"line {o.line}" if o.origin == read.origin else o.where for o in others[:3]
        )
        if len(others) > 3:
            msg += f" and {len(others) - 3} more"
    if sets:
        msg += f". {'; '.join(f'{s} sets {read.name}' for s in sets)}; {w.kind} {w.name} does not"
    if env.unresolved:
        msg += f". envFrom {', '.join(env.unresolved)} is not rendered here and could provide it"
    if read.opaque_before:
        msg += (
            f". {read.opaque_before} runs before this and may set it (its assignments "
            "could not be followed)"
        )
    if env.image_unknown:
        msg += f" (image Env not considered: {env.image_unknown})"
    return msg


@check(
    "ST301",
    "unbound-script-variable",
    Severity.ERROR,
    scope=Scope.CONTAINER,
    needs_images=True,
    needs_scripts=True,
)
def unbound_script_variable(ctx: ContainerContext) -> Iterator[Violation]:
    """A script the container runs reads a variable under `set -u` that the container does
    not provide.

    seatrial finds the script each container runs (a ConfigMap or Secret volume, the image
    filesystem, or `--script-path`), follows the path its arguments select (`case "$1"`
    dispatch, function calls, sourced files) and reports every variable read without a default
    while nounset is on, that the script does not assign earlier on that path, and that neither
    `env`, `envFrom`, the image Env nor Kubernetes provides.

    ## Why is this bad?
    Under `set -u` bash exits at the first unset variable: the pod loops in
    CrashLoopBackOff with `SHIMS: unbound variable`. It happens when two workloads run one
    script with different arguments (install and cleanup) and only one of them was given the
    environment the script expects.

    ## Example
        # kata-cleanup runs the same script as kata-deploy, without SHIMS
        command: ["bash", "-c", "/opt/kata-artifacts/scripts/kata-deploy.sh cleanup"]
        # kata-deploy.sh, under set -u:
        for shim in ${SHIMS}; do

    ## Fix
    Give the variable a default in the script (`${SHIMS:-}`, `${SHIMS:-qemu}`), or add the
    env entry to the container (as the sibling workload that runs the same script does).
    """
    scripts = ContainerScripts.of(ctx.facts.scripts, ctx.workload.obj.key, ctx.container.name)
    if scripts is None or not scripts.reads:
        return
    env = provided_env(
        ctx.container, ctx.workload, ctx.cell.objects, ctx.facts.images.get(ctx.container.image)
    )
    missing: dict[str, list[UnboundRead]] = {}
    for read in scripts.reads:
        if read.name not in env.names and read.happens(env.names):
            missing.setdefault(read.name, []).append(read)
    container_at = manifest_location(ctx.workload.obj, ctx.container.path)
    for name, reads in missing.items():
        first = reads[0]
        sets, _ = _siblings(ctx, scripts, first)
        warn = bool(env.unresolved or first.opaque_before)
        related = (container_at,) + ((first.origin.manifest,) if first.origin.manifest else ())
        fix = (
            f"Read it with a default in the script (${{{name}:-default}}) or add "
            f"`- name: {name}` with a value to the env of container {ctx.container.name}"
        )
        if sets:
            fix += f" (as {sets[0]} does)"
        yield Violation(
            _message(ctx, first, reads[1:], env, sets),
            field=(*ctx.container.path, "env") if ctx.container.env else ctx.container.path,
            fix=fix,
            severity=Severity.WARNING if warn else None,
            source=first.origin.at(first.line),
            related=related,
        )
