"""Reporters: each turns a `Summary` into one output format. They see only findings, and only
after the redaction layer (`seatrial.redact`) has replaced every secret value and escaped every
control character in them: no reporter can leak a Secret or write a terminal escape."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from seatrial.errors import UsageError
from seatrial.findings import Severity, Summary
from seatrial.redact import Redactor, scrub

Reporter = Callable[[Summary, TextIO, bool], None]

FORMATS = ("text", "json", "sarif", "junit", "html", "github", "gitlab")


def emit(
    summary: Summary,
    fmt: str,
    stream: TextIO,
    *,
    show_suppressed: bool = False,
    color: str = "auto",
    fail_on: Severity = Severity.ERROR,
) -> None:
    """Write `summary` to `stream` in `fmt`. `color` (auto, always, never) is for the text
    report; `fail_on`, the severity that fails the run, decides JUnit's failures."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    module = importlib.import_module(f"seatrial.report.{fmt}")
    redactor = Redactor.current(public=public_names(summary))
    clean = scrub(summary, redactor)
    if fmt == "text":
        module.write(clean, stream, show_suppressed, color=color)
        return
    if fmt == "junit":
        module.write(clean, stream, show_suppressed, fail_on=fail_on)
        return
    writer: Reporter = module.write
    writer(clean, stream, show_suppressed)


def public_names(summary: Summary) -> set[str]:
    """What the report shows by design (see `seatrial.redact`): object, container and chart
    file names, and the cells' names and override values."""
    out: set[str] = set()
    for f in summary.findings:
        if f.object:
            out |= {f.object.name, f.object.namespace}
        # chart files only: a finding's own file may be a path a script wrote (converge)
        out |= {f.container or ""} | {loc.file for loc in f.related}
        for cell in f.cells:
            out |= {cell.name} | _strings(cell.values)
    for item in summary.attachments.get("workloads") or []:
        out |= _strings(item)
    out |= _strings(summary.attachments.get("cells") or [])
    out |= {str(k) for k in summary.attachments.get("sources") or {}}
    out.discard("")
    return out


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        return {s for k, v in value.items() for s in (*_strings(k), *_strings(v))}
    if isinstance(value, list | tuple):
        return {s for v in value for s in _strings(v)}
    return set()
