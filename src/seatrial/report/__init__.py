"""Reporters: each turns a `Summary` into one output format. They see only findings."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from seatrial.errors import UsageError
from seatrial.findings import Severity, Summary

Reporter = Callable[[Summary, TextIO, bool], None]

FORMATS = ("text", "json", "sarif", "junit", "html", "github", "gitlab")


def emit(summary: Summary, fmt: str, stream: TextIO, *, show_suppressed: bool = False,
         color: str = "auto", fail_on: Severity = Severity.ERROR) -> None:
    """Write `summary` to `stream` in `fmt`. `color` (auto, always, never) is for the text
    report; `fail_on`, the severity that fails the run, decides JUnit's failures."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    module = importlib.import_module(f"seatrial.report.{fmt}")
    if fmt == "text":
        module.write(summary, stream, show_suppressed, color=color)
        return
    if fmt == "junit":
        module.write(summary, stream, show_suppressed, fail_on=fail_on)
        return
    writer: Reporter = module.write
    writer(summary, stream, show_suppressed)
