"""ST503 run-failed: produced by `seatrial converge` when a sandboxed run fails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from seatrial.checks.registry import Scope, Violation, check
from seatrial.findings import Location, Severity

if TYPE_CHECKING:  # the converge runner is not imported by `check`
    from seatrial.converge.scenarios import ScenarioResult

#: how many lines of output a finding shows
LAST_LINES = 8
#: bash, dash and busybox sh name the script and line: "/x/install.sh: line 12: SHIMS: ..."
_SCRIPT_LINE = re.compile(r"^(?P<file>[^:\s]+): (?:line )?(?P<line>\d+): ")


def _script_location(lines: list[str], result: ScenarioResult, index: int) -> Location | None:
    inv = result.results[index].step.invocation
    for text in reversed(lines):
        m = _SCRIPT_LINE.match(text)
        if m:
            local = inv.host_file(m.group("file"))
            if local:
                return Location(local, int(m.group("line")))
    return None


@check("ST503", "run-failed", Severity.ERROR, scope=Scope.COMMAND)
def run_failed(result: ScenarioResult) -> Iterator[Violation]:
    """A sandboxed run of the container's command failed.

    The run exited with a non-zero status, was killed by a signal, or hit a limit of the
    sandbox (`--timeout`, `--output-limit`, `--memory-limit`, `--pids-limit`,
    `--state-limit`, which the message names). A run also fails when it leaves a fifo, socket
    or device in the state, and is not started when a directory it mounts was replaced by a
    symlink (a previous run tried to make the sandbox mount a host directory). The finding
    shows the last lines of output and, when the shell names it (`install.sh: line 12: SHIMS:
    unbound variable`) or a bash trace of the run shows it, the script line. A run that fails
    after a successful run with the same input is ST504 instead. The scenario stops there:
    later runs would start from a half-done state.

    ## Why is this bad?
    On a node this is a pod in CrashLoopBackOff. kata-cleanup looped on
    `SHIMS: unbound variable`: it ran the install script under `set -u` without the env the
    install DaemonSet defines. A script that fails only on its second run (a `mkdir` without
    `-p`, a `ln -s` onto an existing link) fails at the first restart.

    ## Example
        set -u
        for shim in ${SHIMS}; do ...   # SHIMS is not set in this container

    ## Fix
    Read the last lines: give the variable a default (`${SHIMS:-}`) or define it in the
    container's env; make every step safe to repeat (`mkdir -p`, `ln -sf`, `rm -f`).
    """
    from seatrial.checks.st504_restart_breaks import breaks_at

    broken = breaks_at(result)
    for i, r in enumerate(result.results):
        if r.run.ok or r is broken:
            continue
        lines = r.run.last_lines(LAST_LINES)
        why = r.run.reason(result.limits.timeout, result.limits.output_limit)
        total = len(result.steps)
        output = "\n".join(f"    | {line}" for line in lines) if lines else "    (no output)"
        message = (
            f"{r.step.name} of {total} (`{r.step.invocation.shown_command()}`) {why}; "
            f"last lines of output:\n{output}"
        )
        skipped = total - r.index
        if skipped:
            message += f"\n    ({skipped} later run{'s' if skipped > 1 else ''} skipped)"
        where = _script_location(lines, result, i) or r.last_line
        yield Violation(message, source=where, fix=_fix(lines))


_UNBOUND = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): unbound variable")


def _fix(lines: list[str]) -> str:
    for text in reversed(lines):
        m = _UNBOUND.search(text)
        if m:
            return (
                f"define {m.group(1)} in the container's env, or read it with a default "
                f"(${{{m.group(1)}:-}}) in the script"
            )
    return (
        "fix the error in the last lines of output; every step must also be safe to repeat "
        "(mkdir -p, ln -sf, rm -f)"
    )
