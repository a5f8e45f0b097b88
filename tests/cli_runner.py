"""The one way tests run the seatrial CLI in-process (click's runner over `seatrial.cli.main`,
so every subcommand goes through the same group, its lazy loading and its one-line usage
errors). Subprocess runs, which test the installed entry point, are not this."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from seatrial.cli import main


def invoke(
    *args: str | Path,
    env: dict[str, str] | None = None,
    input: str | None = None,
    catch_exceptions: bool = True,
) -> Result:
    """`seatrial ARGS...`, with click's whole result (exit code, stdout, stderr, exception)."""
    return CliRunner().invoke(
        main, [str(a) for a in args], env=env, input=input, catch_exceptions=catch_exceptions
    )


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data

    def findings(self, *checks: str) -> list[dict[str, Any]]:
        """The JSON report's findings, only those of `checks` when any are named."""
        found: list[dict[str, Any]] = self.json()["findings"]
        return [f for f in found if not checks or f["check"] in checks]


def run(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    """`seatrial ARGS...`; an exception escapes instead of becoming exit code 1."""
    res = invoke(*args, env=env, catch_exceptions=False)
    return Run(res.exit_code, res.stdout, res.stderr)


def run_json(
    *args: str | Path,
    expect: int | tuple[int, ...] = (0, 1),
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """`seatrial ARGS...` that must exit with `expect`, and its JSON report."""
    res = invoke(*args, env=env, input=input)
    assert res.exit_code in ((expect,) if isinstance(expect, int) else expect), res.output
    data: dict[str, Any] = json.loads(res.stdout)
    return res.exit_code, data
