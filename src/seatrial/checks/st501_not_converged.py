"""ST501 not-converged: produced by `seatrial converge` from its scenario result."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seatrial.checks.registry import Scope, Violation, check
from seatrial.converge.accumulate import Growth, file_growths, path_growths
from seatrial.converge.snapshot import Change, top_level
from seatrial.findings import Location, Severity

if TYPE_CHECKING:  # the converge runner is not imported by `check`
    from seatrial.converge.scenarios import ScenarioResult, StepResult

_FIX_GROWTH = (
    "make the edit idempotent: derive the new value from the original one, not from "
    "the previous run's output (strip the suffix before appending it, or skip the "
    "edit when the value already has it)"
)
_FIX_CHANGE = (
    "a run with the same input must leave the state as it found it: compare before "
    "writing, write only when the content differs, never append blindly"
)


@dataclass(frozen=True)
class _Seen:
    step: StepResult
    change: Change
    growths: tuple[Growth, ...]


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _segments(growths: tuple[Growth, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(g.segment for g in growths))


def _observe(result: ScenarioResult) -> dict[str, list[_Seen]]:
    """Every change made by a run that should have changed nothing, grouped by path; a path
    created by growing another one (kata-cicd -> kata-cicd-cicd) joins the group of the path
    it grew from."""
    groups: dict[str, list[_Seen]] = {}
    lineage: dict[str, str] = {}
    for r in result.results:
        if not (r.step.must_not_change and r.run.ok):
            continue
        changes = top_level(list(r.changes))
        removed = [c.path for c in changes if c.kind == "removed"]
        children: dict[str, list[str]] = {}
        for p in r.before:
            children.setdefault(_parent(p), []).append(p)
        for c in changes:
            key, growths = c.path, []
            if c.kind == "changed" and c.before and c.after:
                old, new = c.before.text(), c.after.text()
                if old is not None and new is not None:
                    growths = file_growths(old, new)
            elif c.kind == "added":
                siblings = children.get(_parent(c.path), [])
                growths = path_growths(c.path, sorted(removed + siblings, key=len, reverse=True))
                if growths:
                    origin = growths[0].before
                    key = lineage.get(origin, origin)
                    lineage[c.path] = key
            groups.setdefault(key, []).append(_Seen(r, c, tuple(growths)))
    return groups


def _when(seen: list[_Seen], result: ScenarioResult, same_growth: bool) -> str:
    checked = [r for r in result.results if r.step.must_not_change and r.run.ok]
    if same_growth and len(checked) >= 2 and len(seen) == len(checked):
        return "at every run"
    return "at " + ", ".join(s.step.step.name for s in seen)


def _message(key: str, seen: list[_Seen], result: ScenarioResult) -> tuple[str, int | None]:
    first, last = seen[0], seen[-1]
    inv = first.step.step.invocation
    shown = inv.sandbox_path(key)
    segs = [_segments(s.growths) for s in seen]
    growing = all(segs) and all(s == segs[0] for s in segs)
    when = _when(seen, result, growing)
    if not growing:
        runs = "; ".join(f"{s.step.step.name}: {s.change.what()}" for s in seen)
        return f"{shown} changes again {when} ({runs})", None
    phrase = " and ".join(g.phrase() for g in {g.segment: g for g in first.growths}.values())
    if first.change.kind == "added":
        steps = ", ".join(
            f"{s.step.step.name} created {inv.sandbox_path(s.change.path)}" for s in seen
        )
        return f"{shown} {phrase} {when}: {steps}", None
    g0 = _showcase(first.growths)
    gn = next((g for g in last.growths if g.line == g0.line), last.growths[0])
    more = len({g.line for g in first.growths}) - 1
    also = f" (and {more} other line{'s' if more > 1 else ''})" if more else ""
    if g0.unit == "line":
        return (
            f"{shown}:{g0.line} {phrase} {when}{also}: the file has "
            f"{gn.after.count(g0.segment)} copies after {last.step.step.name}",
            g0.line,
        )
    return (
        f"{shown}:{g0.line} {phrase} {when}{also}\n"
        f"    before {first.step.step.name}: {_clip(g0.before.strip())}\n"
        f"    after {last.step.step.name}:  {_clip(gn.after.strip())}",
        g0.line,
    )


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[: limit // 2]} ... {text[-limit // 2 :]}"


def _showcase(growths: tuple[Growth, ...]) -> Growth:
    """The growth to show: the first one outside a comment."""
    return next(
        (g for g in growths if not g.after.lstrip().startswith(("#", ";", "//"))), growths[0]
    )


@check("ST501", "not-converged", Severity.ERROR, scope=Scope.COMMAND)
def not_converged(result: ScenarioResult) -> Iterator[Violation]:
    """A run with the same input as the run before it changed the state again.

    `seatrial converge` runs the container's command several times on a scratch copy of the
    node state (a restart, or the last two runs of an upgrade) and compares snapshots. After
    the first run, the same input must produce no change. When a value, a path or a line
    grows by repeating a segment, the finding names the segment (`grows by '-cicd' at every
    run`) and shows the text before and after.

    ## Why is this bad?
    Pods restart: after a node reboot, an eviction, an OOM kill or an upgrade the same script
    runs again on state it already changed. A script that appends instead of setting breaks
    the node a little more each time. kata-deploy appended its multi-install suffix to paths
    at every restart, and nodes ended up with
    `/host//opt/kata-cicd-cicd-cicd/bin/qemu-system-x86_64-installation-prefix-installation-prefix:
    No such file or directory`.

    ## Example
        sed -i "s|\\(/opt/kata[^/\\"]*\\)|\\1-${SUFFIX}|" /host/etc/kata/configuration.toml

    ## Fix
    Derive the value from the original, not from what the previous run wrote: strip the
    suffix before appending it, or skip the edit when it is already there. Write a file only
    when its content differs; never append to a file blindly.
    """
    for key, seen in sorted(_observe(result).items()):
        message, line = _message(key, seen, result)
        growing = any(s.growths for s in seen)
        first = seen[0]
        note = "" if line else f"after {first.step.step.name}"
        writer = next((w for s in seen if (w := s.step.writers.get(s.change.path))), None)
        came = _came_from(key, seen, result)
        related: list[Location] = []
        if writer is not None:
            message += f"\n    written by {writer.file}:{writer.line}"
        if key in result.seed:
            source: Location | None = Location(result.state_file(key), line, note)
        else:
            # not in the seed: the script line that wrote it, and where its value came from
            source = writer
            if came is not None:
                message += (
                    f"\n    {first.step.step.invocation.sandbox_path(key)} is not in "
                    f"the seed; its name comes from {came.file}:{came.line}"
                )
                related.append(came)
        yield Violation(
            message,
            fix=_FIX_GROWTH if growing else _FIX_CHANGE,
            source=source,
            related=tuple(related),
        )


def _came_from(key: str, seen: list[_Seen], result: ScenarioResult) -> Location | None:
    """For a path that grows (/opt/kata-cicd-cicd), the seed file that names its stem
    (/opt/kata): the value the script kept appending to."""
    segments = [g.segment for s in seen for g in s.growths if g.unit == "text"]
    if not segments:
        return None
    stem = "/" + key  # the state is the node's /
    while any(stem.endswith(seg) for seg in segments):
        stem = stem[: -len(next(seg for seg in segments if stem.endswith(seg)))]
    if len(stem.strip("/")) < 3:
        return None
    for rel, entry in sorted(result.seed.items()):
        text = entry.text()
        if text is None or stem not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if stem in line and not line.lstrip().startswith(("#", ";", "//")):
                return Location(result.state_file(rel), number)
    return None
