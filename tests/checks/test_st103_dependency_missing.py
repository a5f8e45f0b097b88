"""ST103 dependency-missing: a dependency Chart.yaml names and the chart does not hold."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import matrix, violations

from seatrial.checks.registry import MatrixContext, MissingDependency
from seatrial.checks.st103_dependency_missing import dependency_missing
from seatrial.findings import Location


def failing(tmp: Path) -> MatrixContext:
    return matrix(
        missing=(
            MissingDependency(
                "redis",
                "18.1.0",
                "https://charts.example",
                "not in charts/ (run helm dependency build)",
                Location("Chart.yaml", 7),
            ),
        )
    )


def passing(tmp: Path) -> MatrixContext:
    return matrix()


def test_the_missing_dependency_is_named_at_its_chart_yaml_line(tmp_path: Path) -> None:
    (v,) = violations(dependency_missing, failing(tmp_path))
    assert "redis" in v.message and v.source == Location("Chart.yaml", 7)
