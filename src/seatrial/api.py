"""The public Python surface: what the CLI does, as functions."""

from __future__ import annotations

from seatrial.commands.check import (
    CheckRequest,
    TargetResult,
    check_chart,
    local_target,
    merge_summaries,
    render,
    run,
    run_many,
)
from seatrial.commands.pipeline import Policy, load_policy

__all__ = [
    "CheckRequest",
    "Policy",
    "TargetResult",
    "check_chart",
    "load_policy",
    "local_target",
    "merge_summaries",
    "render",
    "run",
    "run_many",
]
