"""Reporters: each turns a `Summary` into one output format. They see only findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from seatrial.errors import UsageError
from seatrial.findings import Summary

Reporter = Callable[[Summary, TextIO, bool], None]

FORMATS = ("text", "json", "sarif", "junit", "html")


def emit(summary: Summary, fmt: str, stream: TextIO, *, show_suppressed: bool = False) -> None:
    """Write `summary` to `stream` in `fmt`."""
    if fmt == "text":
        from seatrial.report.text import write
    elif fmt == "json":
        from seatrial.report.json import write
    elif fmt == "sarif":
        from seatrial.report.sarif import write
    elif fmt == "junit":
        from seatrial.report.junit import write
    elif fmt == "html":
        try:
            from seatrial.report.html import write
        except ImportError:
            raise UsageError("--format html is not available in this build") from None
    else:
        raise UsageError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    write(summary, stream, show_suppressed)
