"""Paths the foundation tests share (the CLI runner is tests/cli_runner.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CHARTS = ROOT / "tests" / "fixtures" / "charts"
