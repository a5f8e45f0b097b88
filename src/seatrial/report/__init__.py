"""Reporters: each turns a `Summary` into one output format. They see only findings."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from seatrial.errors import UsageError
from seatrial.findings import Summary

Reporter = Callable[[Summary, TextIO, bool], None]

FORMATS = ("text", "json", "sarif", "junit", "html", "github", "gitlab")


def emit(summary: Summary, fmt: str, stream: TextIO, *, show_suppressed: bool = False) -> None:
    """Write `summary` to `stream` in `fmt`."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    module = importlib.import_module(f"seatrial.report.{fmt}")
    writer: Reporter = module.write
    writer(summary, stream, show_suppressed)
