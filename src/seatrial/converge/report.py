"""What `seatrial converge` prints: per run, the files added, removed and changed (with unified
diffs for text files), then the findings in the same text form as `seatrial check`; and the
machine-readable run record that goes into the JSON report. Both go through the redaction
layer (`seatrial.redact`): secret values the workload was given (and their base64 and other
forms) never show, in paths, link targets, diffs or copied script output, and control
characters a script printed are escaped."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, TextIO

from seatrial.converge.accumulate import Growth, file_growths, path_growths
from seatrial.converge.scenarios import Invocation, ScenarioResult
from seatrial.converge.snapshot import Change, Snapshot, top_level
from seatrial.redact import Redactor, printable, remember

#: diff lines shown per file in the text report
DIFF_LINES = 60
#: output lines per run kept in the JSON report
OUTPUT_LINES = 20


def _indent(text: str, prefix: str) -> str:
    return "".join(prefix + line + "\n" for line in text.splitlines())


def _secrets(result: ScenarioResult) -> tuple[str, ...]:
    """The values the runs were given from Secrets, now known to every later output too."""
    secrets = tuple(s for step in result.steps for s in step.invocation.secrets)
    remember(*secrets)
    return secrets


def write_runs(result: ScenarioResult, stream: TextIO, notes: Sequence[str] = ()) -> None:
    out = io.StringIO()
    _write_runs(result, out, notes)
    stream.write(printable(Redactor.current(_secrets(result)).text(out.getvalue())))


def _write_runs(result: ScenarioResult, stream: TextIO, notes: Sequence[str]) -> None:
    first = result.steps[0].invocation if result.steps else None
    where = (
        ", ".join(
            f"{m.dest}" + (f" <- {m.state_path}" if m.state_path else "") for m in first.mounts
        )
        if first
        else ""
    )
    stream.write(
        f"scenario {result.scenario}: {len(result.steps)} runs on a scratch copy of "
        f"{result.state_label} (seen at {where})\n"
    )
    for note in notes:
        stream.write(f"  {note}\n")
    for r in result.results:
        inv = r.step.invocation
        status = (
            r.run.status()
            if r.run.ok
            else r.run.reason(result.limits.timeout, result.limits.output_limit)
        )
        changes = top_level(list(r.changes))
        count = (
            f"{len(changes)} change{'s' if len(changes) != 1 else ''}" if changes else "no change"
        )
        stream.write(
            f"\n{r.step.name}: `{inv.shown_command()}` {status} in "
            f"{r.run.duration:.2f}s, {count}"
            + (" (must be none)" if r.step.must_not_change and changes else "")
            + "\n"
        )
        for c in changes:
            line = (
                f"  {c.kind:<8} {inv.sandbox_path(c.path)}  {c.what()}"
                f"{_growth_note(c, r.before, inv)}"
            )
            stream.write(line + "\n")
            patch = c.unified_diff()
            if patch and c.kind == "changed":
                lines = patch.splitlines()
                shown = "\n".join(lines[:DIFF_LINES])
                stream.write(_indent(shown, "      "))
                if len(lines) > DIFF_LINES:
                    stream.write(f"      ({len(lines) - DIFF_LINES} more diff lines)\n")
        if r.calls:
            stream.write(
                f"  node kit: {len(r.calls)} call{'s' if len(r.calls) != 1 else ''}"
                " (recorded, answered with success)\n"
            )
            stream.write(_indent("\n".join(r.calls), "    $ "))
    skipped = result.steps[len(result.results) :]
    for step in skipped:
        stream.write(f"\n{step.name}: skipped (an earlier run failed)\n")
    stream.write("\n")


def _growth_note(c: Change, before: Snapshot, inv: Invocation) -> str:
    """ "; grows by '-cicd'" when the change repeats a segment (the finding says more)."""
    growths: list[Growth] = []
    origin = ""
    if c.kind == "changed" and c.before and c.after:
        old, new = c.before.text(), c.after.text()
        if old is not None and new is not None:
            growths = file_growths(old, new)
    elif c.kind == "added":
        parent = c.path.rsplit("/", 1)[0] if "/" in c.path else ""
        siblings = [p for p in before if (p.rsplit("/", 1)[0] if "/" in p else "") == parent]
        growths = path_growths(c.path, sorted(siblings, key=len, reverse=True))
        origin = f" from {inv.sandbox_path(growths[0].before)}" if growths else ""
    if not growths:
        return ""
    return "; " + " and ".join(dict.fromkeys(g.phrase() for g in growths)) + origin


def runs_json(result: ScenarioResult, notes: Sequence[str] = ()) -> dict[str, Any]:
    """Redacted when the report is written (`seatrial.report.emit`), as every field is."""
    _secrets(result)
    return {
        "scenario": result.scenario,
        "state": result.state_label,
        "notes": list(notes),
        "runs": [
            {
                "name": r.step.name,
                "command": r.step.invocation.shown_command(),
                "exit_code": r.run.exit_code,
                "timed_out": r.run.timed_out,
                "output_exceeded": r.run.output_exceeded,
                "duration_s": round(r.run.duration, 3),
                "must_not_change": r.step.must_not_change,
                "output": r.run.last_lines(OUTPUT_LINES),
                "started": r.run.started,
                "node_kit_calls": list(r.calls),
                "timeout_s": round(r.timeout, 3),
                "changes": [
                    {
                        "kind": c.kind,
                        "path": c.path,
                        "sandbox_path": r.step.invocation.sandbox_path(c.path),
                        "what": c.what(),
                    }
                    for c in top_level(list(r.changes))
                ],
            }
            for r in result.results
        ],
        "skipped": [s.name for s in result.steps[len(result.results) :]],
    }
