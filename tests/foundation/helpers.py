"""Run the CLI in-process and parse its JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from seatrial.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CHARTS = ROOT / "tests" / "fixtures" / "charts"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data

    def findings(self, check: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.json()["findings"] if check is None or f["check"] == check]


def run(*args: str) -> Result:
    res = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return Result(res.exit_code, res.stdout, res.stderr)
