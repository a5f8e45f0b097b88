"""The public Python surface: what the CLI does, as functions."""

from __future__ import annotations

from seatrial.commands.check import CheckRequest, check_chart, render, run
from seatrial.commands.pipeline import Policy, load_policy

__all__ = ["CheckRequest", "Policy", "check_chart", "load_policy", "render", "run"]
