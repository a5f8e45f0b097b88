"""ST203 command-not-in-image."""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Iterator

from seatrial.checks.image_occurrences import is_preloaded
from seatrial.checks.registry import ContainerContext, Scope, Violation, check
from seatrial.facts.image import ImageFacts
from seatrial.findings import Severity
from seatrial.images.program import (
    check_file,
    check_program,
    config_keys,
    expand,
    launch,
    literal_env,
    mount_for,
    script_operand,
    working_dir,
)
from seatrial.objects.model import Container

_WHERE = {
    "command": "`command`",
    "args": "`args`",
    "entrypoint": "the image ENTRYPOINT",
    "cmd": "the image CMD",
}


def _entrypoint_fix(c: Container, image: ImageFacts) -> str | None:
    """When the image's own ENTRYPOINT would run, say so."""
    if not image.entrypoint or check_program(image.entrypoint[0], c, image) is not None:
        return None
    return f"remove `command`; the image's ENTRYPOINT {shlex.join(image.entrypoint)} runs instead"


def _program_fix(c: Container, image: ImageFacts, name: str, origin: str) -> str:
    if origin == "command":
        ep = _entrypoint_fix(c, image)
        if ep:
            return ep
    elsewhere = image.files.find_name(posixpath.basename(name))
    field = (
        "`command`"
        if origin == "command"
        else "`args`"
        if origin == "args"
        else "`command` (or rebuild the image)"
    )
    if elsewhere:
        return f"point {field} at {' or '.join(elsewhere)}, which the image has"
    return f"point {field} at a program the image has, or fix the image"


def _configs(ctx: ContainerContext) -> dict[tuple[str, str], frozenset[str]]:
    return {
        ("Secret" if cd.is_secret else "ConfigMap", cd.name): frozenset(cd.data)
        for cd in ctx.cell.objects.configs
    }


def _script_violation(
    ctx: ContainerContext, image: ImageFacts, argv: tuple[str, ...]
) -> Violation | None:
    c = ctx.container
    operand = script_operand(argv)
    script = expand(operand, literal_env(c)) if operand else None
    if not script or "$(" in script:
        return None
    cwd = working_dir(c, image)
    path = posixpath.normpath(posixpath.join(cwd, script))
    field = (
        "command"
        if c.command and operand in c.command[1:]
        else "args"
        if c.args and operand in c.args
        else "image"
    )
    mount = mount_for(c, path)
    if mount is not None:
        volume = ctx.workload.pod.volume(mount.name)
        keys = config_keys(volume, _configs(ctx)) if volume else None
        if volume is None or keys is None:
            return None  # emptyDir, hostPath, PVC, or a ConfigMap outside the render
        rel = (
            mount.sub_path
            if path == posixpath.normpath(mount.mount_path) and mount.sub_path
            else posixpath.relpath(path, posixpath.normpath(mount.mount_path))
        )
        if rel in keys:
            return None
        kind = "Secret" if volume.kind == "secret" else "ConfigMap"
        shown = ", ".join(sorted(keys)) or "none"
        return Violation(
            f"{argv[0]} runs script {script}, which is not in {kind} {volume.ref_name} "
            f"mounted at {mount.mount_path} (keys: {shown})",
            field=(*c.path, field),
            fix=f"add {rel} to {kind} {volume.ref_name}, or run a script it has",
        )
    problem = check_file(path, image, cwd, executable=False)
    if problem is None:
        return None
    return Violation(
        f"{argv[0]} runs script {script}, which {problem.what} in image {c.image} "
        "and no volume is mounted there",
        field=(*c.path, field),
        fix="mount the script (a ConfigMap volume) or point to a script the image has",
    )


@check("ST203", "command-not-in-image", Severity.ERROR, scope=Scope.CONTAINER, needs_images=True)
def command_not_in_image(ctx: ContainerContext) -> Iterator[Violation]:
    """The program a container starts does not exist in its image.

    Resolves the container's `command[0]` (or, without `command`, the image ENTRYPOINT, or
    without both, `args`/the image CMD) against the image's real filesystem from its
    registry: the path must exist, be a regular executable file (symlinks followed), or, when
    relative, be found on the PATH from the container env or the image Env. For `sh script.sh`
    and `bash -e /x.sh` forms the interpreter must exist and the script must be in the image
    or in a mounted ConfigMap/Secret that has it (other volumes cannot be verified and are
    skipped). A container with `imagePullPolicy: Never` runs an image preloaded on the
    nodes, which the registry's copy need not match: it is not checked.

    ## Why is this bad?
    The pod never starts: the runtime fails with `exec: "/manager": stat /manager: no such
    file or directory` and the pod loops in CrashLoopBackOff. It happens when a chart
    hard-codes `command` and the image is later rebuilt with the binary elsewhere (ko puts it
    in /ko-app/NAME), often in a mode nobody tests (Capsule's DaemonSet mode, S1).

    ## Example
        containers:
          - name: manager
            image: clastix/capsule:v0.10.0   # ENTRYPOINT ["/ko-app/capsule"]
            command: ["/manager"]            # Error: /manager is not in the image

    ## Fix
    Remove `command` and let the image ENTRYPOINT run, or point it at a path the image has.
    """
    c = ctx.container
    image = ctx.facts.images.get(c.image)
    if not isinstance(image, ImageFacts) or is_preloaded(ctx.workload.obj, c):
        return  # ST201/ST204 report images that could not be opened
    start = launch(c, image)
    if start is None:
        yield Violation(
            f"image {c.image} has no ENTRYPOINT or CMD and the container sets no `command`",
            field=(*c.path, "image"),
            fix="set `command` to the program to run",
        )
        return
    problem = check_program(start.argv[0], c, image)
    if problem is not None:
        field = start.origin if start.origin in ("command", "args") else "image"
        yield Violation(
            f"{_WHERE[start.origin]} runs {problem.path}, which {problem.what} in image {c.image}",
            field=(*c.path, field),
            fix=_program_fix(c, image, problem.path, start.origin),
        )
        return
    script = _script_violation(ctx, image, start.argv)
    if script is not None:
        yield script
