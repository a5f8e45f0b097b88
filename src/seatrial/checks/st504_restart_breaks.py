"""ST504 restart-breaks: produced by `seatrial converge` when a run succeeds and the same run
after it fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seatrial.checks.registry import Scope, Violation, check
from seatrial.converge.snapshot import Change, top_level
from seatrial.findings import Location, Severity

if TYPE_CHECKING:  # the converge runner is not imported by `check`
    from seatrial.converge.scenarios import ScenarioResult, StepResult

#: output lines and changes of the previous run shown
LAST_LINES = 6
CHANGES = 3


def breaks_at(result: ScenarioResult) -> StepResult | None:
    """The first run that fails after a successful run with the same input, if any."""
    for prev, cur in zip(result.results, result.results[1:], strict=False):
        # the script failed by itself (a run seatrial stopped or refused to start is ST503)
        if (
            prev.run.ok
            and not cur.run.ok
            and cur.run.exit_code is not None
            and cur.step.must_not_change
            and cur.step.invocation == prev.step.invocation
        ):
            return cur
    return None


def _cause(prev: StepResult, failing: StepResult) -> list[Change]:
    """The changes of the previous run the failure names (its output or its last command),
    else its first changes."""
    inv = failing.step.invocation
    text = failing.run.output_tail + "\n" + failing.last_command
    named = [c for c in prev.changes if inv.sandbox_path(c.path) in text]
    # the most specific: /opt/kata-cicd/run rather than /opt/kata-cicd
    named = [c for c in named if not any(o.path.startswith(c.path + "/") for o in named)]
    return named[:CHANGES] or top_level(list(prev.changes))[:CHANGES]


@check("ST504", "restart-breaks", Severity.ERROR, scope=Scope.COMMAND)
def restart_breaks(result: ScenarioResult) -> Iterator[Violation]:
    """A run succeeded and the same run after it, on the state it left, failed.

    `seatrial converge` runs the container's command again on the state the previous run
    left, as a container restart does. This finding is raised for the first run that fails
    after a successful one with the same input by exiting non-zero (ST503 covers a first run
    that fails, and a run stopped at a limit or not started). It
    names the failing run, the script line it stopped at (from a bash trace of the run, or
    the shell's error message) and the changes of the previous run that the failure trips
    on: the state the first run left is what the second cannot handle.

    ## Why is this bad?
    The pod installs fine once, then crash-loops at its first restart (a node reboot, an
    eviction, an upgrade of the DaemonSet): `mkdir: cannot create directory
    '/opt/kata/run': File exists` under `set -e`, a `ln -s` onto the link the first run made,
    a `useradd` of a user that now exists.

    ## Example
        set -e
        mkdir /opt/kata/run          # run 2: File exists

    ## Fix
    Make every step safe to repeat: `mkdir -p`, `ln -sfn`, `rm -f`, `useradd ... || true`
    only when the user exists, `cp` over instead of failing on an existing file.
    """
    failing = breaks_at(result)
    if failing is None:
        return
    prev = result.results[failing.index - 2]
    inv = failing.step.invocation
    why = failing.run.reason(failing.timeout or result.limits.timeout, result.limits.output_limit)
    cause = _cause(prev, failing)
    lines = failing.run.last_lines(LAST_LINES)
    output = "\n".join(f"    | {line}" for line in lines) if lines else "    (no output)"
    where = failing.last_line
    at = f" at {where.file}:{where.line}" if where else ""
    left = (
        "; ".join(f"{c.kind} {inv.sandbox_path(c.path)} ({c.what()})" for c in cause) or "no change"
    )
    message = (
        f"{failing.step.name} of {len(result.steps)} (`{inv.shown_command()}`) {why}"
        f"{at}, on the state {prev.step.name} left; {prev.step.name} succeeded and "
        f"changed: {left}\n    last lines of output:\n{output}"
    )
    related: tuple[Location, ...] = ()
    writer = next((prev.writers[c.path] for c in cause if c.path in prev.writers), None)
    if writer is not None and writer != where:
        message += f"\n    {prev.step.name} made that change at {writer.file}:{writer.line}"
        related = (writer,)
    yield Violation(
        message,
        source=where,
        related=related,
        fix="make the failing step safe to repeat on the state the previous run "
        "left (mkdir -p, ln -sfn, rm -f, skip what is already done)",
    )
