"""ST101 render-failed: a cell Helm cannot render is flagged; the same chart with the value
set renders and is clean."""

from __future__ import annotations

from pathlib import Path

from tests.checks.harness import rendered, violations, write_chart

from seatrial.checks.registry import MatrixContext
from seatrial.checks.st101_render_failed import render_failed

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  a: {{ required "set a" .Values.a }}
"""


def failing(tmp: Path) -> MatrixContext:
    return rendered(write_chart(tmp, {"cm.yaml": TEMPLATE}))


def passing(tmp: Path) -> MatrixContext:
    return rendered(write_chart(tmp, {"cm.yaml": TEMPLATE}, values="a: x\n"))


def test_the_failed_cell_is_reported_with_helms_reason(tmp_path: Path) -> None:
    (v,) = violations(render_failed, failing(tmp_path))
    assert "set a" in v.message
    assert violations(render_failed, passing(tmp_path / "ok")) == []
